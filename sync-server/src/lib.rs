//! The Homeward sync server.
//!
//! It carries case documents between devices in one HTTP round trip (`POST /api/v1/sync`),
//! checks every pushed change against the sender's scope before storing any of a request, and
//! serves the Core Team and CWC dashboard ([`dashboard`]: login, overview, the CWC report). It depends on
//! `homeward-shared` for the domain and the wire format, and never on the field app.
//!
//! Entry points: [`router`] builds the axum router over an [`AppState`]; [`serve`] runs it on a
//! listener until a shutdown future resolves. The `homeward-sync-server` binary is a thin
//! command line over these and [`store::Store`].

pub mod api_doc;
pub mod attachments;
pub mod bundles;
pub mod demo;
pub mod error;
pub mod limits;
pub mod outlines;
pub mod report;
pub mod scope;
pub mod serve;
pub mod sms;
pub mod store;
pub mod web;

use std::future::Future;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use homeward_shared::wire::{self, SyncRequest};
use serde::{Deserialize, Serialize};
use tokio::net::TcpListener;
use utoipa::{OpenApi as _, ToSchema};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

pub use error::ApiError;
use store::Store;

/// Today in India Standard Time, from the system clock (the server's edge; `shared` reads none).
pub fn today() -> chrono::NaiveDate {
    homeward_shared::model::field_date(chrono::DateTime::<chrono::Utc>::from(
        std::time::SystemTime::now(),
    ))
}

/// The OpenAPI document of the HTTP API, generated from the handlers (see [`api_doc`]), as
/// served at `/api/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api_doc::finish(routes().split_for_parts().1)
}

/// Largest sync request body accepted on the wire (compressed). Inflated, a request may take
/// [`wire::MAX_REQUEST_BODY`]; a device pushes at most about 256 KB of changes a round.
pub const MAX_REQUEST: usize = wire::MAX_REQUEST_BODY;

/// The longest device name, in characters.
pub const MAX_DEVICE_NAME: usize = 64;

/// Largest body of any other request (an enrolment, a dashboard form).
pub const MAX_FORM: usize = 64 * 1024;

/// How many sync bodies are decoded at once; more wait their turn. Each takes at most a small
/// multiple of [`wire::MAX_REQUEST_BODY`] of memory while it is decoded.
pub const MAX_CONCURRENT_DECODES: usize = 2;

/// How many connections the server opens for reading (dashboard pages, reports, downloads)
/// beside the one that writes.
pub const READ_CONNECTIONS: u32 = 4;

/// Shared state: the store's writing connection behind a mutex and a pool of reading
/// connections, both used from blocking threads only, and the bound on concurrent sync decodes.
#[derive(Debug, Clone)]
pub struct AppState {
    store: Arc<Mutex<Store>>,
    readers: r2d2::Pool<store::Opener>,
    decodes: Arc<tokio::sync::Semaphore>,
    /// What the region's pages computed per case, kept between pages.
    outlines: Arc<outlines::Outlines>,
    secure_cookies: bool,
    sms_secret: Option<Arc<str>>,
}

impl AppState {
    /// Wraps an open store.
    ///
    /// Reads get connections of their own to the same file, opened when first needed (SQLite's
    /// WAL lets them read while the writer writes), so a report of a district never holds up a
    /// phone's sync.
    pub fn new(store: Store) -> AppState {
        let readers = r2d2::Pool::builder()
            .max_size(READ_CONNECTIONS)
            .min_idle(Some(0))
            .connection_timeout(std::time::Duration::from_secs(60))
            .build_unchecked(store.opener());
        AppState {
            store: Arc::new(Mutex::new(store)),
            readers,
            decodes: Arc::new(tokio::sync::Semaphore::new(MAX_CONCURRENT_DECODES)),
            outlines: Arc::new(outlines::Outlines::new()),
            secure_cookies: false,
            sms_secret: None,
        }
    }

    /// Takes urgent SMS at `POST /api/v1/sms?key=SECRET` from a gateway that knows `secret`
    /// (`HOMEWARD_SMS_SECRET`); without it that route answers 404. An empty secret is none.
    pub fn with_sms_secret(mut self, secret: &str) -> AppState {
        self.sms_secret = (!secret.is_empty()).then(|| Arc::from(secret));
        self
    }

    /// The SMS gateway's secret, when one is set.
    pub(crate) fn sms_secret(&self) -> Option<&str> {
        self.sms_secret.as_deref()
    }

    /// Marks the session cookie `Secure`, so a browser sends it over HTTPS only: for a server
    /// that serves TLS itself or sits behind a TLS proxy. (Without it the cookie also works on
    /// plain loopback HTTP, as the demo and the tests use.)
    pub fn with_secure_cookies(mut self) -> AppState {
        self.secure_cookies = true;
        self
    }

    /// The attributes of the session cookie, after its value.
    pub(crate) fn cookie_attributes(&self) -> &'static str {
        if self.secure_cookies {
            "HttpOnly; SameSite=Strict; Path=/; Secure"
        } else {
            "HttpOnly; SameSite=Strict; Path=/"
        }
    }

    /// Runs `f` on the store on a blocking thread (SQLite and Automerge work never runs on the
    /// async runtime's threads).
    ///
    /// A panic inside `f` answers 500 for that request only. The store stays usable: it holds
    /// nothing but the SQLite connection, and a transaction left open by the panic was rolled
    /// back when it was dropped during unwinding, so the lock's poison flag is ignored rather
    /// than turning every later request into a 500.
    pub async fn with_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let store = self.store.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = store
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            // PostgreSQL restarted or failed over since the last request: connect again (to
            // whichever host of the URL now takes writes). Out of reach, the request answers 503
            // and the phone retries.
            if guard.is_broken() {
                tracing::warn!("the database connection was lost: connecting again");
                *guard = Store::open_at(guard.location()).map_err(|e| {
                    ApiError::Storage(error::StorageError::Busy(format!(
                        "the database is out of reach: {e}"
                    )))
                })?;
            }
            f(&mut guard)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?
    }

    /// The outlines this node keeps between pages ([`outlines`]).
    pub fn outlines(&self) -> Arc<outlines::Outlines> {
        Arc::clone(&self.outlines)
    }

    /// Runs `f` on a reading connection on a blocking thread, beside the writer and other
    /// readers: for pages, reports and downloads that change nothing but the audit log (one
    /// insert each, which waits at most for the writer's current transaction).
    ///
    /// Each statement of `f` reads what was committed when it began; a page that needs one
    /// snapshot across several statements opens a transaction for them.
    pub async fn read_store<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let readers = self.readers.clone();
        tokio::task::spawn_blocking(move || {
            let store = readers.get().map_err(|e| {
                ApiError::Internal(format!("no reading connection to the database: {e}"))
            })?;
            f(&store)
        })
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?
    }
}

/// Every route with its OpenAPI description: a route is registered with `routes!` from its
/// handler's `#[utoipa::path]`, so the served document lists exactly what the router serves.
fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(api_doc::ApiDoc::openapi())
        .routes(routes!(healthz))
        .routes(routes!(openapi_json))
        .routes(routes!(enrol))
        .routes(routes!(sync).layer(DefaultBodyLimit::max(MAX_REQUEST)))
        .routes(routes!(duplicates))
        .routes(routes!(sms::receive))
        .routes(routes!(bundles::keys))
        .routes(routes!(bundles::relay).layer(DefaultBodyLimit::max(bundles::MAX_BUNDLE)))
        .routes(routes!(attachments::put_chunk, attachments::download))
        .routes(routes!(attachments::status))
        .routes(routes!(web::overview::overview))
        .routes(routes!(web::auth::login_page, web::auth::login))
        .routes(routes!(web::auth::logout))
        .routes(routes!(web::cases::cases))
        .routes(routes!(web::case::case))
        .routes(routes!(web::copies::page_bytes))
        .routes(routes!(web::copies::viewer))
        .routes(routes!(web::copies::verify))
        .routes(routes!(web::copies::confirm_withdrawal))
        .routes(routes!(web::people::people))
        .routes(routes!(web::people::code))
        .routes(routes!(web::people::revoke))
        .routes(routes!(web::people::add))
        .routes(routes!(web::people::disable))
        .routes(routes!(web::people::enable))
        .routes(routes!(web::people::assign))
        .routes(routes!(web::programme::programme, web::programme::set))
        .routes(routes!(web::resources::resources))
        .routes(routes!(web::resources::add))
        .routes(routes!(web::resources::edit))
        .routes(routes!(web::resources::active))
        .routes(routes!(web::resources::import))
        .routes(routes!(web::bundles::bundles))
        .routes(routes!(web::bundles::import).layer(DefaultBodyLimit::max(bundles::MAX_BUNDLE)))
        .routes(routes!(web::bundles::export))
        .routes(routes!(web::reports::cwc_report))
        .routes(routes!(web::reports::reports))
        .routes(routes!(web::reports::gaps))
        .routes(routes!(web::gaps::gaps))
        .routes(routes!(web::reports::audit))
        .routes(routes!(web::duplicates::duplicates))
        .routes(routes!(web::duplicates::merge))
        .routes(routes!(web::moves::moves, web::moves::settle_move))
        .routes(routes!(
            web::conflicts::conflicts,
            web::conflicts::resolve_conflict
        ))
        .routes(routes!(web::reviews::reviews, web::reviews::review))
        .routes(routes!(web::spot_checks::spot_checks))
        .routes(routes!(web::spot_checks::draw_spot_checks))
        .routes(routes!(web::spot_checks::record_spot_check))
}

/// The HTTP routes.
pub fn router(state: AppState) -> Router {
    let (routes, _) = routes().split_for_parts();
    routes
        .layer(DefaultBodyLimit::max(MAX_FORM))
        .layer(axum::middleware::from_fn(web::ui::remember))
        .layer(axum::middleware::from_fn_with_state(
            web::guard::Guard::default(),
            web::guard::check,
        ))
        .layer(axum::middleware::from_fn(declared_length))
        // A request that has not finished within the bound (a body trickling in) is answered
        // 408 and its connection closed, so it cannot hold a connection slot for long.
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            serve::REQUEST_TIMEOUT,
        ))
        .with_state(state)
}

/// Serves `state` on `listener` over plain HTTP until `shutdown` resolves; in-flight requests
/// finish first. The bounds of [`serve::serve`] apply.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve::serve(listener, router(state), None, shutdown).await
}

/// Answers 413 at once to a request that declares a body longer than its route takes, before
/// reading any of it. (`DefaultBodyLimit` still bounds bodies sent without a length.)
async fn declared_length(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let limit = match req.uri().path() {
        "/api/v1/sync" => MAX_REQUEST,
        "/api/v1/bundles" | "/bundles/import" => bundles::MAX_BUNDLE,
        _ => MAX_FORM,
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > u64::try_from(limit).unwrap_or(u64::MAX)) {
        return ApiError::TooLarge(format!("this request may carry at most {limit} bytes"))
            .into_response();
    }
    next.run(req).await
}

/// Health check: `ok` while the server serves.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "server",
    responses((status = 200, description = "The server is up.", body = String, content_type = "text/plain", example = "ok"))
)]
async fn healthz() -> &'static str {
    "ok"
}

/// This document (OpenAPI 3.1), generated from the server's handlers.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "server",
    responses((status = 200, description = "The OpenAPI document.", body = Object, content_type = "application/json"))
)]
async fn openapi_json() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        api_doc::json(),
    )
        .into_response()
}

/// What a device sends to enrol.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct EnrolRequest {
    /// The one-time code from `homeward-sync-server device code USER` (at most 64 bytes;
    /// dashes and case do not matter).
    pub code: String,
    /// The device installation's Automerge actor id, hex (1 to 32 bytes). Only changes by this
    /// actor are accepted from the device.
    pub actor: String,
    /// A name for the device, shown in `device list` (at most 64 characters; empty: "device").
    #[serde(default)]
    pub name: String,
    /// The device's public keys (`hwkey1:` then 128 hex digits): the answer then carries the
    /// device's grant (issue 14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keys: Option<String>,
    /// The phone number the device's urgent SMS will come from (digits, `+`, `-`, spaces; at
    /// most 20 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// Exchange a one-time enrolment code for a device token.
///
/// The token is shown once; the server keeps only its hash. With `keys`, the answer's `grant`
/// carries the server's keys, the device's certificate, its SMS key and the SMS number.
#[utoipa::path(
    post,
    path = "/api/v1/enrol",
    tag = "device",
    request_body(content = EnrolRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "Enrolled.", body = store::Enrolled),
        (status = 400, description = "A body that is not JSON (axum's rejection), a code or actor id over 64 bytes, an actor id that is not hex or not 1 to 32 bytes, a device name that is too long, keys that are not a Homeward public key, a phone that is not a number.", body = String, content_type = "text/plain"),
        (status = 401, description = "The code is unknown, used or expired, or its user is disabled.", body = String, content_type = "text/plain"),
        (status = 409, description = "The actor id belongs to another device.", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/json` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "JSON of the wrong shape: a missing code or actor, a value that is not a string (axum's rejection).", body = String, content_type = "text/plain"),
    )
)]
async fn enrol(
    State(state): State<AppState>,
    Json(req): Json<EnrolRequest>,
) -> Result<Json<store::Enrolled>, ApiError> {
    if req.code.len() > 64 || req.actor.len() > 64 {
        return Err(ApiError::BadRequest(
            "the enrolment code or the actor id is too long".into(),
        ));
    }
    if req.name.chars().count() > MAX_DEVICE_NAME {
        return Err(ApiError::BadRequest(format!(
            "a device name has at most {MAX_DEVICE_NAME} characters"
        )));
    }
    let actor =
        hex::decode(&req.actor).map_err(|_| ApiError::BadRequest("actor must be hex".into()))?;
    let name = if req.name.trim().is_empty() {
        "device".to_owned()
    } else {
        req.name.trim().to_owned()
    };
    let number = bundles::sms_number();
    let enrolled = state
        .with_store(move |s| {
            s.enrol_with(
                &req.code,
                &actor,
                &name,
                req.keys.as_deref(),
                req.phone.as_deref(),
                number.as_deref(),
            )
        })
        .await?;
    tracing::info!(device = %enrolled.device_id, user = %enrolled.user_id, "device enrolled");
    Ok(Json(enrolled))
}

pub(crate) fn bearer(headers: &HeaderMap) -> Result<String, ApiError> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned)
        .ok_or_else(|| ApiError::Unauthorized("missing bearer token".into()))
}

/// Is this child already followed? A phone asks before it registers one, when online.
///
/// The likely duplicates of the profile among the active cases of the device user's areas
/// (the same rule as on the phone and on `/duplicates`), best first, at most five, each with
/// who follows it. The phone shows them beside the ones it finds among its own cases. Audited.
#[utoipa::path(
    post,
    path = "/api/v1/duplicates",
    tag = "device",
    security(("device" = [])),
    request_body(content = Object, description = "A DuplicateQuery: `{\"profile\": Profile}`, the child about to be registered.", content_type = "application/json"),
    responses(
        (status = 200, description = "A DuplicateAnswer: `{\"matches\": [Likeness]}`.", body = Object, content_type = "application/json"),
        (status = 400, description = "A body that is not JSON (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 401, description = "A missing or unknown device token.", body = String, content_type = "text/plain"),
        (status = 403, description = "A CWC member's device (it registers no child).", body = String, content_type = "text/plain"),
        (status = 410, description = "The device was revoked (or its user disabled): it must wipe its local store.", body = String, content_type = "text/plain",
            headers(("homeward-wipe" = String, description = "Always `1`."),
                    ("homeward-revocation" = String, description = "The server's signed revocation of the device, hex: a device wipes only on one it verifies."))),
        (status = 413, description = "A body over the form limit.", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/json` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "JSON of the wrong shape (axum's rejection), or a profile with a text over its length limit.", body = String, content_type = "text/plain"),
    )
)]
async fn duplicates(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(query): Json<homeward_shared::duplicates::DuplicateQuery>,
) -> Result<Json<homeward_shared::duplicates::DuplicateAnswer>, ApiError> {
    let token = bearer(&headers)?;
    let device = state.with_store(move |s| s.authenticate(&token)).await?;
    let profile = query.profile;
    homeward_shared::edit::Edit::Register(Box::new(profile.clone()))
        .check_lengths()
        .map_err(|e| ApiError::Unprocessable(e.to_string()))?;
    let day = today();
    let matches = state
        .with_store(move |s| s.duplicates_for(&device, &profile, day))
        .await?;
    Ok(Json(homeward_shared::duplicates::DuplicateAnswer {
        matches,
    }))
}

/// One sync round: push unconfirmed changes, pull the feed after the cursor.
///
/// Stores all of the pushed changes or none of them. Every pushed change must be made by the
/// device's own actor id and belong to a case the device's user may write, or create a case in
/// the user's areas. The response carries the hashes now stored, whole documents (first sync,
/// newly assigned cases), feed changes the device may read (not its own), cases it no longer
/// holds, the new cursor and whether more follows. The token is checked before the body is
/// read. When a pushed case is refused (400, 403, 409, 422), the answer names it in the header
/// `homeward-refused-case`.
#[utoipa::path(
    post,
    path = "/api/v1/sync",
    tag = "device",
    security(("device" = [])),
    request_body(content = api_doc::SyncBody, content_type = "application/vnd.homeward.sync"),
    responses(
        (status = 200, description = "The round's response (a SyncResponse).", body = api_doc::SyncBody, content_type = "application/vnd.homeward.sync"),
        (status = 400, description = "A malformed body or change, or one over the decoder's bounds; nothing was stored.", body = String, content_type = "text/plain",
            headers(("homeward-refused-case" = String, description = "The refused case, when one case was refused."))),
        (status = 401, description = "A missing or unknown device token.", body = String, content_type = "text/plain"),
        (status = 403, description = "A change outside the device's scope or made by another device; nothing was stored.", body = String, content_type = "text/plain",
            headers(("homeward-refused-case" = String, description = "The refused case."))),
        (status = 404, description = "Something the request names (a spot check) is unknown or outside the device's scope.", body = String, content_type = "text/plain"),
        (status = 409, description = "Changes depend on changes the server does not have, or conflict with what is stored; nothing was stored.", body = String, content_type = "text/plain",
            headers(("homeward-refused-case" = String, description = "The refused case."))),
        (status = 410, description = "The device was revoked (or its user disabled): it must wipe its local store.", body = String, content_type = "text/plain",
            headers(("homeward-wipe" = String, description = "Always `1`."),
                    ("homeward-revocation" = String, description = "The server's signed revocation of the device, hex: a device wipes only on one it verifies."))),
        (status = 422, description = "The changes would leave an invalid case document; nothing was stored.", body = String, content_type = "text/plain",
            headers(("homeward-refused-case" = String, description = "The refused case."))),
    )
)]
async fn sync(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    // Who is asking comes first: an unknown caller's body is never read, let alone inflated.
    let token = bearer(&headers)?;
    let device = state.with_store(move |s| s.authenticate(&token)).await?;
    let body = axum::body::to_bytes(body, MAX_REQUEST).await.map_err(|_| {
        ApiError::TooLarge(format!("a sync body may take at most {MAX_REQUEST} bytes"))
    })?;
    // Inflating and parsing is CPU work: on a blocking thread, a bounded number at a time.
    let permit = state
        .decodes
        .clone()
        .acquire_owned()
        .await
        .map_err(|e| ApiError::Internal(format!("decode limit: {e}")))?;
    let req: SyncRequest = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        wire::decode_request(&body)
    })
    .await
    .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))?
    .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let pushed: usize = req.push.iter().map(|p| p.changes.len()).sum();
    let resp = state.with_store(move |s| s.sync(&device, &req)).await?;
    tracing::debug!(
        pushed,
        pulled = resp.changes.len(),
        documents = resp.documents.len(),
        "sync"
    );
    Ok((
        StatusCode::OK,
        [(header::CONTENT_TYPE, wire::CONTENT_TYPE)],
        wire::encode(&resp),
    )
        .into_response())
}
