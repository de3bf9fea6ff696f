//! Copies of documents on the dashboard (issue 15): a page's bytes for the case page's
//! thumbnails and the viewer (`GET /cases/{id}/pages/{hash}`), the viewer, one page at a time
//! (`GET /cases/{id}/copies/{copy}?page=N`), and a supervisor's two forms: "Mark verified"
//! (`Edit::VerifyCopy`: the copy, and the checklist's document, verified by them) and "Confirm
//! withdrawal" (`Edit::ConfirmWithdrawal`: the copy's bytes are then dropped from the server).
//! The case page's "Copies of documents" section is `web/case.rs`'s.
//!
//! A case outside the user's areas, or a page the case does not list, answers 404 like a
//! missing one; every page's bytes shown is written to the audit log (`copy-view`, the case and
//! the hash). Bytes go with their stored media type, `inline`, `nosniff`, and a PDF in a CSP
//! sandbox ([`crate::attachments::page_headers`]).

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use homeward_shared::model::MediaType;
use maud::html;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::ApiError;
use crate::today;
use crate::web::auth::{Staff, Supervisor};
use crate::web::html::{Notice, case_href, layout, page_href, redirect_with, viewer_href};
use crate::web::ui::Ui;

/// `GET /cases/{id}/pages/{hash}`: the bytes of a page of a copy of the case (audited).
#[utoipa::path(
    get,
    path = "/cases/{id}/pages/{hash}",
    tag = "dashboard",
    security(("session" = [])),
    params(
        ("id" = String, Path, description = "The case id."),
        ("hash" = String, Path, description = "The page's SHA-256, 64 lowercase hexadecimal digits."),
    ),
    responses(
        (status = 200, description = "The page with its media type, shown inline (recorded in the audit log).", content(
            (crate::api_doc::Bytes = "image/jpeg"), (crate::api_doc::Bytes = "image/png"),
            (crate::api_doc::Bytes = "image/webp"), (crate::api_doc::Bytes = "application/pdf"))),
        (status = 400, description = "A path segment that is not UTF-8 (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "A fieldworker: the dashboard is not theirs (an HTML page).", body = String, content_type = "text/html"),
        (status = 404, description = "No such case or page, a case outside the user's areas (answered alike), or a page whose bytes have not arrived from the phone yet.", body = String, content_type = "text/plain"),
    )
)]
pub async fn page_bytes(
    State(state): State<AppState>,
    Staff(user): Staff,
    Path((id, hash)): Path<(String, String)>,
) -> Response {
    match state
        .with_store(move |s| s.view_page(&user, &id, &hash))
        .await
    {
        Ok(page) => {
            let mut resp = page.bytes.into_response();
            crate::attachments::page_headers(resp.headers_mut(), page.media_type);
            resp
        }
        Err(e) => e.into_response(),
    }
}

/// The viewer's query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ViewerQuery {
    /// The page to show, from 1 (the first when absent or out of range).
    #[serde(default)]
    page: Option<usize>,
}

/// `GET /cases/{id}/copies/{copy}`: one copy of a case, one page at a time, with the previous
/// and next pages.
#[utoipa::path(
    get,
    path = "/cases/{id}/copies/{copy}",
    tag = "dashboard",
    security(("session" = [])),
    params(
        ("id" = String, Path, description = "The case id."),
        ("copy" = String, Path, description = "The copy's id."),
        ViewerQuery, crate::web::ui::LangQuery,
    ),
    responses(
        (status = 200, description = "The page.", body = String, content_type = "text/html"),
        (status = 400, description = "A path segment that is not UTF-8, or a query that does not deserialize (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "A fieldworker: the dashboard is not theirs (an HTML page).", body = String, content_type = "text/html"),
        (status = 404, description = "No such case or copy, or a case outside the user's areas (answered alike).", body = String, content_type = "text/plain"),
    )
)]
pub async fn viewer(
    State(state): State<AppState>,
    Staff(user): Staff,
    ui: Ui,
    Path((id, copy)): Path<(String, String)>,
    Query(q): Query<ViewerQuery>,
) -> Response {
    let u = user.clone();
    let found = state
        .with_store(move |s| {
            let case = s.case_for(&u, &id)?;
            let held = s.held_pages(&case.id)?;
            Ok((case, held))
        })
        .await;
    let (case, held) = match found {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let Some(a) = case.attachments.iter().find(|a| a.id == copy) else {
        return ApiError::NotFound(format!("no copy '{copy}'")).into_response();
    };
    let t = ui.catalogue();
    let count = a.pages.len();
    let n = q.page.filter(|n| (1..=count).contains(n)).unwrap_or(1);
    let title = format!("{} · {}", case.child.name, t.document(a.kind));
    let body = html! {
        main {
            h1 { (title) }
            p { a href={(case_href(&case.id)) "#copies"} { (t.get("web-copy-back")) } }
            @if let Some(w) = &a.withdrawn {
                p.err { (t.text("web-copy-withdrawn", &[("date", &t.date(w.on)), ("name", &w.by.name), ("reason", &w.reason)])) }
            }
            @if let Some(v) = &a.verified {
                p { (t.text("web-copy-verified", &[("date", &t.date(v.on)), ("name", &v.by.name)])) }
            }
            @if let Some(p) = a.pages.get(n - 1) {
                nav.pages {
                    @if n > 1 { a href=(viewer_href(&case.id, &a.id, n - 1)) rel="prev" { (t.get("web-copy-previous")) } }
                    span #page-of { (t.text("web-copy-page-of", &[("n", &n.to_string()), ("count", &count.to_string())])) }
                    @if n < count { a href=(viewer_href(&case.id, &a.id, n + 1)) rel="next" { (t.get("web-copy-next")) } }
                }
                @if !held.contains(&p.hash) {
                    p.hint #waiting { (t.get("web-copy-waiting")) }
                } @else if p.media_type == MediaType::Pdf {
                    p { a href=(page_href(&case.id, &p.hash)) { (t.text("web-copy-pdf", &[("n", &n.to_string())])) } }
                } @else {
                    img.page src=(page_href(&case.id, &p.hash)) alt=(t.text("web-copy-page-of", &[("n", &n.to_string()), ("count", &count.to_string())]));
                }
            }
        }
    };
    layout(&ui, &t, &title, Some(&user), body).into_response()
}

/// A supervisor's form on a copy: ticked to say they mean it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CopyForm {
    /// `yes`: verify: "I compared this copy with the original"; confirm a withdrawal: "its
    /// pages will be deleted from the server".
    #[serde(default)]
    confirm: String,
}

/// `POST /cases/{id}/copies/{copy}/verify`: marks the copy verified, and the checklist's
/// document verified by this supervisor, today.
#[utoipa::path(
    post,
    path = "/cases/{id}/copies/{copy}/verify",
    tag = "dashboard",
    security(("session" = [])),
    params(
        ("id" = String, Path, description = "The case id."),
        ("copy" = String, Path, description = "The copy's id."),
    ),
    request_body(content = CopyForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Done (recorded in the audit log; every phone holding the case learns it at its next sync), or not ticked: back to the case (`?error=copy-unchecked`). Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 400, description = "A path segment that is not UTF-8 (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 403, description = "Not a supervisor or administrator (an HTML page).", body = String, content_type = "text/html"),
        (status = 404, description = "No such case or copy, or a case outside the user's areas (answered alike).", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "A withdrawn copy, or form fields that do not deserialize (axum's rejection).", body = String, content_type = "text/plain"),
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    Path((id, copy)): Path<(String, String)>,
    Form(form): Form<CopyForm>,
) -> Response {
    let back = format!("{}#copies", case_href(&id));
    if form.confirm != "yes" {
        return redirect_with(&case_href(&id), Some(Notice::CopyUnchecked));
    }
    let day = today();
    match state
        .with_store(move |s| s.verify_copy(&user, &id, &copy, day))
        .await
    {
        Ok(()) => redirect_with(&back, None),
        Err(e) => e.into_response(),
    }
}

/// `POST /cases/{id}/copies/{copy}/confirm-withdrawal`: confirms a copy's withdrawal; its pages'
/// bytes are deleted from the server (unless a standing copy holds the same page).
#[utoipa::path(
    post,
    path = "/cases/{id}/copies/{copy}/confirm-withdrawal",
    tag = "dashboard",
    security(("session" = [])),
    params(
        ("id" = String, Path, description = "The case id."),
        ("copy" = String, Path, description = "The copy's id."),
    ),
    request_body(content = CopyForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Done (recorded in the audit log), or not ticked: back to the case (`?error=withdrawal-unconfirmed`). Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 400, description = "A path segment that is not UTF-8 (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 403, description = "Not a supervisor or administrator (an HTML page).", body = String, content_type = "text/html"),
        (status = 404, description = "No such case or copy, or a case outside the user's areas (answered alike).", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "A copy that was not withdrawn, or form fields that do not deserialize (axum's rejection).", body = String, content_type = "text/plain"),
    )
)]
pub async fn confirm_withdrawal(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    Path((id, copy)): Path<(String, String)>,
    Form(form): Form<CopyForm>,
) -> Response {
    let back = format!("{}#copies", case_href(&id));
    if form.confirm != "yes" {
        return redirect_with(&case_href(&id), Some(Notice::WithdrawalUnconfirmed));
    }
    match state
        .with_store(move |s| s.confirm_withdrawal(&user, &id, &copy))
        .await
    {
        Ok(()) => redirect_with(&back, None),
        Err(e) => e.into_response(),
    }
}
