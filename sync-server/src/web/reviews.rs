//! `/reviews`: initial assessments and closures waiting for a supervisor, approved or sent back
//! with a comment (`Store::review`).

use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::ApiError;
use crate::limits;
use crate::report::esc;
use crate::web::auth::{SignedIn, Supervisor};
use crate::web::html::{Notice, NoticeQuery, legacy, redirect_with};
use crate::web::ui::Ui;

/// `GET /reviews`: initial assessments and closures of the user's areas waiting for a
/// supervisor, with forms to approve them or send them back with a comment.
#[utoipa::path(
    get,
    path = "/reviews",
    tag = "dashboard",
    security(("session" = [])),
    params(NoticeQuery, crate::web::ui::LangQuery),
    responses(
        (status = 200, description = "The page.", body = String, content_type = "text/html"),
        (status = 400, description = "A query that does not deserialize: a parameter given twice, a required one missing (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "Not a supervisor or administrator (an HTML page).", body = String, content_type = "text/html"),
    )
)]
pub async fn reviews(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    ui: Ui,
    Query(q): Query<NoticeQuery>,
) -> Response {
    let u = user.clone();
    let queue = match state.with_store(move |s| s.review_queue(&u)).await {
        Ok(q) => q,
        Err(e) => return e.into_response(),
    };
    let mut body = String::new();
    body.push_str("<main><h1>Reviews</h1><p class=\"hint\">Initial assessments and case closures wait here until approved. Sending one back needs a comment; the fieldworker's phone shows it at its next sync.</p>");
    body.push_str(&Notice::alert(q.error.as_deref(), &ui.catalogue()).into_string());
    if queue.is_empty() {
        body.push_str("<p id=\"no-reviews\">Nothing waits for review in your areas.</p>");
    }
    for item in &queue {
        let (what, label) = match item.subject {
            crate::store::Subject::Assessment => ("assessment", "Initial assessment"),
            crate::store::Subject::Closure => ("closure", "Case closed"),
        };
        let back = item
            .sent_back
            .as_ref()
            .map_or_else(String::new, |(c, by, at)| {
                format!(
                    "<p class=\"err\">Sent back by {} on {}: {}</p>",
                    esc(by),
                    esc(at.get(..10).unwrap_or(at)),
                    esc(c)
                )
            });
        body.push_str(&format!(
            "<form method=\"post\" action=\"/reviews\" class=\"review\" data-case=\"{case}\" data-subject=\"{what}\"><h2>{label}: <a href=\"/cases/{case}\">{name}</a> <span class=\"hint\">{case} · {block}, {district}</span></h2><p>{on}{by}</p><p>{detail}</p>{back}<input type=\"hidden\" name=\"case_id\" value=\"{case}\"><input type=\"hidden\" name=\"subject\" value=\"{what}\"><input type=\"hidden\" name=\"subject_ref\" value=\"{sref}\"><input name=\"comment\" placeholder=\"comment (needed to send back)\" aria-label=\"Comment\" size=\"50\"> <button name=\"decision\" value=\"approved\">Approve</button> <button name=\"decision\" value=\"sent_back\">Send back</button></form>",
            case = esc(&item.case_id),
            name = esc(&item.child_name),
            block = esc(&item.block),
            district = esc(&item.district),
            on = esc(&item.on),
            by = if item.by.is_empty() { String::new() } else { format!(", by {}", esc(&item.by)) },
            detail = esc(&item.detail),
            sref = esc(&item.subject_ref),
        ));
    }
    body.push_str("</main>");
    legacy(&ui, "Reviews", &user, body).into_response()
}

/// The review form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewForm {
    /// The case.
    case_id: String,
    /// What is reviewed.
    subject: crate::store::Subject,
    /// Which assessment (visit id) or closure, as the queue names it.
    subject_ref: String,
    /// The decision.
    decision: crate::store::Decision,
    /// Why it is sent back (needed to send back).
    #[serde(default)]
    comment: String,
}

/// `POST /reviews`: approves an assessment or closure, or sends it back with a comment.
#[utoipa::path(
    post,
    path = "/reviews",
    tag = "dashboard",
    security(("session" = [])),
    request_body(content = ReviewForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Done, or refused with a notice: back to the queue (`?error=CODE` names the notice). Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 403, description = "Not a supervisor or administrator.", body = String, content_type = "text/plain"),
        (status = 404, description = "A case outside the user's areas, or nothing of it waits for review.", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "Form fields that do not deserialize: a missing field, a subject or decision not among the listed values (axum's rejection).", body = String, content_type = "text/plain"),
    )
)]
pub async fn review(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Form(form): Form<ReviewForm>,
) -> Response {
    if limits::check("comment", form.comment.trim(), limits::COMMENT).is_err() {
        return redirect_with("/reviews", Some(Notice::TooLong));
    }
    match state
        .with_store(move |s| {
            s.review(
                &user,
                &form.case_id,
                form.subject,
                &form.subject_ref,
                form.decision,
                &form.comment,
            )
        })
        .await
    {
        Ok(()) => redirect_with("/reviews", None),
        Err(ApiError::BadRequest(_)) => redirect_with("/reviews", Some(Notice::CommentNeeded)),
        Err(e) => e.into_response(),
    }
}
