//! `/bundles`: sealed files carried by hand (issue 14), for supervisors and administrators.
//! Upload a phone's file (its changes, or a case it exported) and read the receipt, case by
//! case, in the page's language; or make the file of a phone's next sync for a phone of the
//! user's areas, to carry to it.
//!
//! The upload is a file input in a `multipart/form-data` form, read here by hand (one part,
//! the file; axum's multipart feature is not built) or a raw body of
//! `application/vnd.homeward.sealed`; the guard bounds this one form to
//! [`crate::bundles::MAX_BUNDLE`]. A revoked phone's leftover file is taken from an
//! administrator only (the store's rule).

use axum::Form;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use homeward_shared::bundle::BundleReceipt;
use homeward_shared::i18n::Catalogue;
use maud::{Markup, html};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::ApiError;
use crate::scope;
use crate::store::{KeyedDevice, Role, Via, WebUser};
use crate::web::auth::Supervisor;
use crate::web::html::layout;
use crate::web::ui::Ui;

/// Whether `user` may make a file for the phone: an administrator, or a supervisor whose areas
/// cover one of the phone's user's.
fn may_export(user: &WebUser, d: &KeyedDevice) -> bool {
    user.role == Role::Admin
        || d.user
            .areas
            .iter()
            .any(|(district, block)| scope::covers(user, district, block))
}

/// The phones `user` may make a file for.
async fn devices(state: &AppState, user: &WebUser) -> Result<Vec<KeyedDevice>, ApiError> {
    let all = state.with_store(|s| s.keyed_devices()).await?;
    Ok(all.into_iter().filter(|d| may_export(user, d)).collect())
}

fn page(
    ui: &Ui,
    user: &WebUser,
    devices: &[KeyedDevice],
    result: Option<Markup>,
) -> axum::response::Html<String> {
    let t = ui.catalogue();
    let body = html! {
        h1 { (t.get("web-bundles-title")) }
        @if let Some(r) = result { (r) }
        p { (t.get("web-bundles-intro")) }
        h2 { (t.get("web-bundles-upload")) }
        form method="post" action="/bundles/import" enctype="multipart/form-data" {
            label { (t.get("web-bundles-file")) " " input type="file" name="file" required; }
            " " button type="submit" { (t.get("web-bundles-import")) }
        }
        h2 { (t.get("web-bundles-export")) }
        p { (t.get("web-bundles-export-intro")) }
        @if devices.is_empty() {
            p { (t.get("web-bundles-no-devices")) }
        } @else {
            form method="post" action="/bundles/export" {
                label { (t.get("web-bundles-device")) " "
                    select name="device" {
                        @for d in devices {
                            option value=(d.id) { (d.user.name) " · " (d.name) " · " (d.id) }
                        }
                    }
                }
                " " button type="submit" { (t.get("web-bundles-make")) }
            }
        }
    };
    layout(ui, &t, &t.get("web-bundles-title"), Some(user), body)
}

/// A receipt in the page's language.
fn receipt(t: &Catalogue, r: &BundleReceipt) -> Markup {
    let what = if r.kind == "case_export" {
        t.get("web-bundles-receipt-case")
    } else {
        t.text("web-bundles-receipt-bundle", &[("seq", &r.seq.to_string())])
    };
    html! {
        section.receipt role="status" {
            h2 { (t.text("web-bundles-receipt", &[("what", &what), ("user", &r.user_name), ("device", &r.device)])) }
            @if r.already { p { (t.get("web-bundles-already")) } }
            ul {
                @for c in &r.cases {
                    @match &c.refused {
                        None => li { (t.text("web-bundles-case-stored", &[("case", &c.case), ("changes", &c.changes.to_string())])) },
                        Some(why) => li.err { (t.text("web-bundles-case-refused", &[("case", &c.case), ("why", why)])) },
                    }
                }
                @for (id, why) in &r.outcomes {
                    @match why {
                        None => li { (t.text("web-bundles-outcome-stored", &[("id", id)])) },
                        Some(why) => li.err { (t.text("web-bundles-outcome-refused", &[("id", id), ("why", why)])) },
                    }
                }
            }
            @if r.pages > 0 { p { (t.text("web-bundles-pages", &[("pages", &r.pages.to_string())])) } }
        }
    }
}

/// `GET /bundles`: the upload form and the phones a file can be made for.
#[utoipa::path(
    get,
    path = "/bundles",
    tag = "dashboard",
    security(("session" = [])),
    params(crate::web::ui::LangQuery),
    responses(
        (status = 200, description = "The page: the upload form, and the phones of the user's areas (with keys, not revoked) a file can be made for.", body = String, content_type = "text/html"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "Not a supervisor or administrator (an HTML page).", body = String, content_type = "text/html"),
    )
)]
pub async fn bundles(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    ui: Ui,
) -> Response {
    match devices(&state, &user).await {
        Ok(d) => page(&ui, &user, &d, None).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The file of a `multipart/form-data` body (its first part with a file name), or a raw
/// sealed body.
fn uploaded(headers: &HeaderMap, body: &[u8]) -> Option<Vec<u8>> {
    let content_type = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    if content_type.starts_with(crate::bundles::SEALED_CONTENT_TYPE) {
        return Some(body.to_vec());
    }
    let boundary = content_type
        .strip_prefix("multipart/form-data")?
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))?
        .trim_matches('"');
    let delimiter = format!("\r\n--{boundary}");
    // The body starts with the first delimiter (without its CRLF).
    let mut rest = body.strip_prefix(&delimiter.as_bytes()[2..])?;
    loop {
        let end = find(rest, delimiter.as_bytes())?;
        let part = &rest[..end];
        let head_end = find(part, b"\r\n\r\n")?;
        let head = String::from_utf8_lossy(&part[..head_end]).to_ascii_lowercase();
        if head.contains("filename=") {
            return Some(part[head_end + 4..].to_vec());
        }
        rest = &rest[end + delimiter.len()..];
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `POST /bundles/import`: imports a phone's sealed file and shows the receipt.
#[utoipa::path(
    post,
    path = "/bundles/import",
    tag = "dashboard",
    security(("session" = [])),
    params(crate::web::ui::LangQuery),
    request_body(content = Vec<u8>, description = "A `multipart/form-data` form whose file part is the sealed file, or the sealed file itself (`application/vnd.homeward.sealed`).", content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "The page with the receipt: each case stored or refused and why (audited).", body = String, content_type = "text/html"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 400, description = "No file in the form.", body = String, content_type = "text/html"),
        (status = 403, description = "Not a supervisor or administrator (an HTML page), a form from another origin (text), or a file refused for its author (revoked before it was made; a leftover, which only an administrator imports): the page with the reason.", content((String = "text/html"), (String = "text/plain"))),
        (status = 409, description = "Older than a bundle already imported from that phone: the page with the reason.", body = String, content_type = "text/html"),
        (status = 413, description = "A file over the bundle limit.", body = String, content_type = "text/plain"),
        (status = 422, description = "Damaged, not sealed to this server, or badly signed: the page with the reason; nothing stored.", body = String, content_type = "text/html"),
    )
)]
pub async fn import(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    ui: Ui,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let listed = devices(&state, &user).await.unwrap_or_default();
    let Some(file) = uploaded(&headers, &body) else {
        let t = ui.catalogue();
        let note = html! { p.err role="alert" { (t.get("web-bundles-no-file")) } };
        let mut resp = page(&ui, &user, &listed, Some(note)).into_response();
        *resp.status_mut() = StatusCode::BAD_REQUEST;
        return resp;
    };
    let via = Via::Dashboard {
        user: user.id.clone(),
        admin: user.role == Role::Admin,
    };
    let imported = state.with_store(move |s| s.import_bundle(&file, via)).await;
    // The catalogue is made after the last await: it is not Send.
    let t = ui.catalogue();
    match imported {
        Ok(r) => page(&ui, &user, &listed, Some(receipt(&t, &r))).into_response(),
        Err(e) if e.status().is_client_error() => {
            let why = t.text("web-bundles-refused", &[("why", &e.to_string())]);
            let note = html! { p.err role="alert" { (why) } };
            let mut resp = page(&ui, &user, &listed, Some(note)).into_response();
            *resp.status_mut() = e.status();
            resp
        }
        Err(e) => e.into_response(),
    }
}

/// The export form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ExportForm {
    /// The phone's device id.
    device: String,
}

/// `POST /bundles/export`: the sealed file of a phone's next sync, as a download.
#[utoipa::path(
    post,
    path = "/bundles/export",
    tag = "dashboard",
    security(("session" = [])),
    request_body(content = ExportForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "The sealed file, for the phone only (audited).", body = Vec<u8>, content_type = "application/vnd.homeward.sealed"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "Not a supervisor or administrator (an HTML page), or a form from another origin (text).", content((String = "text/html"), (String = "text/plain"))),
        (status = 404, description = "No such phone with keys in the user's areas.", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "Form fields that do not deserialize (axum's rejection).", body = String, content_type = "text/plain"),
    )
)]
pub async fn export(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    Form(f): Form<ExportForm>,
) -> Response {
    let listed = match devices(&state, &user).await {
        Ok(d) => d,
        Err(e) => return e.into_response(),
    };
    if !listed.iter().any(|d| d.id == f.device) {
        return ApiError::NotFound(format!("no phone '{}' with keys in your areas", f.device))
            .into_response();
    }
    let (device, by) = (f.device.clone(), user.id.clone());
    match state
        .with_store(move |s| s.export_bundle(&device, &by))
        .await
    {
        Ok(b) => (
            [
                (
                    header::CONTENT_TYPE,
                    crate::bundles::SEALED_CONTENT_TYPE.to_owned(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"homeward-for-{}.hwsealed\"",
                        b.device
                    ),
                ),
            ],
            b.sealed,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}
