//! The OpenAPI document served at `/api/openapi.json`, generated from the handlers.
//!
//! Every route of [`crate::router`] is registered through utoipa-axum's `OpenApiRouter` with
//! `routes!(handler)`: the handler's `#[utoipa::path]` attribute names its path, method,
//! parameters (the query and form structs the handler extracts derive `IntoParams` and
//! `ToSchema`), security and the statuses it answers, so a route cannot be added without its
//! description. [`finish`] then adds what the router's layers answer on every route (408 from
//! the request timeout, 413 for a declared length over the route's limit, 500) and, on the
//! dashboard's state-changing routes, what the web guard answers (403 for a form from another
//! origin, 413 for a form body over its limit).
//!
//! The answers of axum's extractors, as axum 0.8 gives them (plain-text bodies):
//! - `Json`: 415 without `Content-Type: application/json`, 400 for a body that is not JSON, 422
//!   for JSON of the wrong shape (a missing field, a number for a string);
//! - `Form` (a POST): 415 without `Content-Type: application/x-www-form-urlencoded`, 422 for
//!   fields that do not deserialize (a missing required field, an unknown enum value);
//! - `Query`: 400 for a query that does not deserialize (a missing required parameter, a
//!   parameter given twice);
//! - `Path`: 400 for a segment that is not UTF-8 once percent-decoded.
//!
//! A method a path does not serve is answered 405 with an `Allow` header by axum; an unknown
//! path 404 with an empty body.

use std::borrow::Cow;
use std::sync::OnceLock;

use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, ContentBuilder, OpenApi, RefOr, Response, ResponseBuilder, Schema};

use crate::MAX_FORM;

/// The document's fixed parts: title, description, tags and security schemes. The paths come
/// from the router ([`crate::openapi`]).
#[derive(Debug, utoipa::OpenApi)]
#[openapi(
    info(
        title = "Homeward sync server",
        version = "1",
        description = "Carries case documents (Automerge) between field devices in one round \
            trip, checks every change against the sender's scope, and serves the Core Team and \
            the CWC (an HTML dashboard with forms). Generated from the server's handlers. Error \
            bodies are plain text saying what to fix; a 5xx body says only `internal error`. \
            A method a path does not serve is answered 405 (with `Allow`), an unknown path 404.",
        license(name = "AGPL-3.0-or-later")
    ),
    tags(
        (name = "device", description = "The field devices' API: enrolment and sync."),
        (name = "dashboard", description = "The Core Team and CWC dashboard (HTML pages and \
            forms, a session cookie). State-changing requests must come from the dashboard's \
            own origin (`Sec-Fetch-Site: same-origin` or a matching `Origin`), else 403."),
        (name = "gateway", description = "An SMS gateway's posts of the urgent texts the \
            server's number receives (`?key=` the deployment's `HOMEWARD_SMS_SECRET`)."),
        (name = "server", description = "Health and this document.")
    ),
    modifiers(&SecuritySchemes)
)]
pub struct ApiDoc;

/// The two ways in: a device's bearer token, a dashboard session cookie.
#[derive(Debug)]
struct SecuritySchemes;

impl utoipa::Modify for SecuritySchemes {
    fn modify(&self, doc: &mut OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "device",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The device token from POST /api/v1/enrol: DEVICE_ID.SECRET.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::web::auth::COOKIE,
                "The dashboard session set by POST /login (HttpOnly, SameSite=Strict).",
            ))),
        );
    }
}

/// A sync body on the wire: one format byte, then raw deflate of a postcard message.
#[derive(Debug)]
pub struct SyncBody;

impl utoipa::PartialSchema for SyncBody {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .description(Some(
                "One format byte (6), then raw deflate of the message in postcard encoding \
                 (homeward-shared's wire module: SyncRequest from the device, SyncResponse from \
                 the server). SyncRequest: cursor (Start | Documents{high, after} | Feed(seq)), \
                 budget (response bytes wanted), reference_version, push: [{case_id, changes: \
                 [raw Automerge change]}], spot_check_outcomes. SyncResponse: stored: [change \
                 hash], documents: [{case_id, doc}], changes: [{case_id, bytes}], dropped: \
                 [case_id], cursor, more, reference (the user, areas, assignments and a \
                 supervisor's open spot checks) or none. Inflated, a request takes at most \
                 homeward-shared's wire::MAX_REQUEST_BODY bytes, with bounded element counts.",
            ))
            .into()
    }
}

impl utoipa::ToSchema for SyncBody {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("SyncBody")
    }
}

/// A downloaded file (the CWC report's PDF).
#[derive(Debug)]
pub struct PdfFile;

impl utoipa::PartialSchema for PdfFile {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .description(Some("A PDF file."))
            .into()
    }
}

impl utoipa::ToSchema for PdfFile {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("PdfFile")
    }
}

/// Raw bytes: a chunk of a page uploaded, a page downloaded (issue 15).
#[derive(Debug)]
pub struct Bytes;

impl utoipa::PartialSchema for Bytes {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .description(Some("Raw bytes."))
            .into()
    }
}

impl utoipa::ToSchema for Bytes {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Bytes")
    }
}

/// A query parameter or form field that takes one of `values` (and `default` when absent).
pub(crate) fn one_of(values: &[&str], default: Option<&str>) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().copied()))
        .default(default.map(|d| serde_json::Value::String(d.to_owned())))
}

/// `YYYY-MM`.
pub(crate) fn month() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some("^[0-9]{4}-(0[1-9]|1[0-2])$"))
        .examples(["2026-10"])
}

/// `pdf` or `csv` (the CWC report).
pub(crate) fn report_format() -> ObjectBuilder {
    one_of(&["pdf", "csv"], Some("pdf"))
}

/// `en` or `hi`.
pub(crate) fn lang() -> ObjectBuilder {
    one_of(&["en", "hi"], Some("en"))
}

fn text(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content("text/plain", plain())
        .build()
}

fn plain() -> Content {
    ContentBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build()
}

/// Adds the answers of the router's layers to every operation (see the module's
/// documentation). A status the handler documents already keeps its description; a content
/// type the layer adds is added beside the handler's.
pub fn finish(mut doc: OpenApi) -> OpenApi {
    for (path, item) in doc.paths.paths.iter_mut() {
        let dashboard = !path.starts_with("/api/") && path != "/healthz";
        for (post, op) in [
            (false, item.get.as_mut()),
            (true, item.post.as_mut()),
            (false, item.put.as_mut()),
        ] {
            let Some(op) = op else { continue };
            let responses = &mut op.responses.responses;
            let limit = if path == "/api/v1/sync" {
                crate::MAX_REQUEST
            } else {
                MAX_FORM
            };
            let mut add = |status: &str, response: Response| match responses.get_mut(status) {
                Some(RefOr::T(have)) => {
                    for (ctype, content) in response.content {
                        have.content.entry(ctype).or_insert(content);
                    }
                }
                Some(RefOr::Ref(_)) => {}
                None => {
                    responses.insert(status.to_owned(), RefOr::T(response));
                }
            };
            add(
                "408",
                ResponseBuilder::new()
                    .description(format!(
                        "The request was not answered within {} s (a body trickling in); the \
                         connection is closed. No body.",
                        crate::serve::REQUEST_TIMEOUT.as_secs()
                    ))
                    .build(),
            );
            add(
                "413",
                text(&format!(
                    "The request declares (Content-Length) or sends a body over this route's \
                     limit of {limit} bytes; refused before the body is read."
                )),
            );
            add(
                "500",
                text(
                    "Something failed on the server (logged); the body says only `internal error`.",
                ),
            );
            if dashboard && post {
                add(
                    "403",
                    text(
                        "The form was sent from another origin (Sec-Fetch-Site other than \
                         same-origin or none, or an Origin that is not this server's).",
                    ),
                );
            }
        }
    }
    doc
}

/// The document as served (built once).
pub fn json() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        crate::openapi()
            .to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\": \"the document did not serialise: {e}\"}}"))
    })
}
