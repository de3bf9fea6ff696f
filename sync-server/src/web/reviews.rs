//! `/reviews`: initial assessments and closures waiting for a supervisor, approved or sent back
//! with a comment (`Store::review`). An assessment shows its note and each need as assessed; once
//! sent back, each need as recorded since beside it (`ReviewItem::corrected`), so the supervisor
//! reviews the correction, not the assessment again.

use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use homeward_shared::i18n::Catalogue;
use homeward_shared::model::field_date;
use maud::{Markup, html};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::ApiError;
use crate::limits;
use crate::store::{ReviewItem, Subject};
use crate::web::auth::{SignedIn, Supervisor};
use crate::web::html::{Notice, NoticeQuery, case_href, layout, redirect_with};
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
    let t = ui.catalogue();
    let body = html! {
        main {
            h1 { (t.get("web-nav-reviews")) }
            p.hint { (t.get("web-reviews-hint")) }
            (Notice::alert(q.error.as_deref(), &t))
            @if queue.is_empty() {
                p #no-reviews { (t.get("web-reviews-none")) }
            }
            @for item in &queue {
                (review_form(item, &t))
            }
        }
    };
    layout(&ui, &t, &t.get("web-nav-reviews"), Some(&user), body).into_response()
}

/// One assessment or closure: what it says, a send-back and what was recorded since, and the
/// decision form.
fn review_form(item: &ReviewItem, t: &Catalogue) -> Markup {
    let (what, label) = match item.subject {
        Subject::Assessment => ("assessment", t.get("ui-assess")),
        Subject::Closure => ("closure", t.get("web-review-closure")),
    };
    let sent_back_on = item.sent_back.as_ref().map(|(_, _, at)| {
        DateTime::parse_from_rfc3339(at)
            .map(|d| t.date(field_date(d.with_timezone(&Utc))))
            .unwrap_or_else(|_| at.get(..10).unwrap_or(at).to_owned())
    });
    html! {
        form.review method="post" action="/reviews" data-case=(item.case_id) data-subject=(what) {
            h2 {
                (label) ": " a href=(case_href(&item.case_id)) { (item.child_name) }
                " " span.hint { (item.case_id) " · " (item.block) ", " (item.district) }
            }
            p {
                @match &item.by {
                    Some(name) => (t.text("web-review-on-by", &[("date", &t.date(item.on)), ("name", name)])),
                    None => (t.date(item.on)),
                }
            }
            @if let Some(r) = item.closure { p { (t.get("web-reason")) ": " (t.closure(r)) } }
            @if let Some(note) = &item.note { p.note { (t.get("ui-note")) ": " (note) } }
            @if let (Some((comment, by, _)), Some(on)) = (&item.sent_back, &sent_back_on) {
                p.err { (t.text("web-review-sent-back", &[("name", by), ("date", on), ("comment", comment)])) }
            }
            @if item.subject == Subject::Assessment {
                (assessment_table(item, t))
            }
            input type="hidden" name="case_id" value=(item.case_id);
            input type="hidden" name="subject" value=(what);
            input type="hidden" name="subject_ref" value=(item.subject_ref);
            input name="comment" placeholder=(t.get("web-review-comment")) aria-label=(t.get("web-review-comment-label")) size="50";
            " " button name="decision" value="approved" { (t.get("web-review-approve")) }
            " " button name="decision" value="sent_back" { (t.get("web-review-send-back")) }
        }
    }
}

/// The assessed needs; once sent back, beside each the need as recorded since (the correction
/// against what was sent back, not the assessment again).
fn assessment_table(item: &ReviewItem, t: &Catalogue) -> Markup {
    let sent_back = item.sent_back.is_some();
    let corrected = !item.corrected.is_empty();
    let mut needs: Vec<_> = item.assessed.iter().map(|a| a.dimension).collect();
    needs.extend(
        item.corrected
            .iter()
            .map(|c| c.dimension)
            .filter(|d| !item.assessed.iter().any(|a| a.dimension == *d)),
    );
    html! {
        @if needs.is_empty() {
            p { (t.get("web-review-no-needs")) }
        } @else {
            @if corrected {
                p.hint { (t.get("web-review-correction-hint")) }
            } @else if sent_back {
                p.hint.correction { (t.get("web-review-no-correction")) }
            }
            table.assessed {
                tr {
                    th { (t.get("web-need")) }
                    th { (t.get(if sent_back { "web-review-as-sent-back" } else { "web-review-as-assessed" })) }
                    @if corrected { th { (t.get("web-review-corrected")) } }
                }
                @for d in &needs {
                    @let assessed = item.assessed.iter().find(|a| a.dimension == *d);
                    @let since = item.corrected.iter().find(|c| c.dimension == *d);
                    tr data-need=(d.key()) {
                        td { (t.dimension(*d)) }
                        td {
                            @match assessed {
                                Some(a) => {
                                    (t.status(a.status))
                                    @if let Some(n) = &a.note { " · " span.hint { (n) } }
                                }
                                None => span.hint { (t.get("web-review-left-out")) },
                            }
                        }
                        @if corrected {
                            td.corrected {
                                @match since {
                                    Some(c) => {
                                        @let on = t.date(c.on);
                                        @if c.was == Some(c.now) {
                                            (t.text("web-review-same", &[("date", &on), ("name", &c.by)]))
                                        } @else {
                                            strong { (t.text("web-review-correction", &[("status", &t.status(c.now)), ("date", &on), ("name", &c.by)])) }
                                        }
                                        @let recorded = field_date(c.recorded_at);
                                        @if recorded != c.on {
                                            " · " span.hint { (t.text("web-recorded", &[("date", &t.date(recorded))])) }
                                        }
                                        @if let Some(n) = &c.note { " · " span.hint { (n) } }
                                    }
                                    None => span.hint { (t.get("web-review-unchanged")) },
                                }
                            }
                        }
                    }
                }
            }
        }
    }
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
