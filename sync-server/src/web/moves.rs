//! `/moves`: the families that moved, as fieldworkers asked on their phones
//! (`Edit::RequestTransfer`), for a supervisor of the case's current area to decide: approve,
//! choosing a fieldworker of the new area who follows the child there, or refuse with a note.
//! The decision is `Store::settle_move` (see `store/moves.rs`).

use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::ApiError;
use crate::limits;
use crate::store::MoveProblem;
use crate::web::auth::Supervisor;
use crate::web::html::{Notice, NoticeQuery, case_href, layout, redirect_with};
use crate::web::ui::Ui;
use maud::html;

/// `GET /moves`: the move requests of the cases in the user's areas, each with a form.
#[utoipa::path(
    get,
    path = "/moves",
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
pub async fn moves(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    ui: Ui,
    Query(q): Query<NoticeQuery>,
) -> Response {
    let u = user.clone();
    let queue = match state.with_store(move |s| s.move_queue(&u)).await {
        Ok(q) => q,
        Err(e) => return e.into_response(),
    };
    let t = ui.catalogue();
    let place = |village: &str, block: &str, district: &str| {
        t.text(
            "web-case-place",
            &[
                ("village", village),
                ("block", block),
                ("district", district),
            ],
        )
    };
    let body = html! {
        main {
            h1 { (t.get("web-nav-moves")) }
            p.hint { (t.get("web-moves-hint")) }
            (Notice::alert(q.error.as_deref(), &t))
            @if queue.is_empty() {
                p #no-moves { (t.get("web-moves-none")) }
            }
            @for m in &queue {
                @let r = &m.request;
                form.move method="post" action="/moves" data-case=(m.case_id) {
                    h2 { a href=(case_href(&m.case_id)) { (m.child_name) } " " span.hint { (m.case_id) } }
                    p {
                        (t.text("web-move-from-to", &[
                            ("from", &place(&m.from.2, &m.from.1, &m.from.0)),
                            ("to", &place(&r.village, &r.block, &r.district)),
                            ("date", &t.date(r.on)),
                        ]))
                        " " (r.reason) " "
                        span.hint { "(" (t.text("web-move-asked-by", &[("name", &r.requested_by.name)])) ")" }
                    }
                    input type="hidden" name="case_id" value=(m.case_id);
                    @if m.candidates.is_empty() {
                        p.hint { (t.get("web-move-no-fieldworker")) }
                    }
                    label {
                        (t.get("web-move-assignee")) " "
                        select name="assignee" {
                            option value="" { (t.get("web-move-choose")) }
                            @for (id, name) in &m.candidates { option value=(id) { (name) } }
                        }
                    }
                    " "
                    label { (t.get("ui-note")) " " input name="note"; }
                    " " button name="decision" value="approve" { (t.get("web-move-approve")) }
                    " " button name="decision" value="refuse" { (t.get("web-move-refuse")) }
                }
            }
        }
    };
    layout(&ui, &t, &t.get("web-nav-moves"), Some(&user), body).into_response()
}

/// The move form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MoveForm {
    /// The case.
    case_id: String,
    /// `approve` or `refuse`.
    decision: String,
    /// Approving: the fieldworker of the new area who follows the child.
    #[serde(default)]
    assignee: String,
    /// A note (required when refusing).
    #[serde(default)]
    note: String,
}

/// `POST /moves`: approves a move (to the chosen fieldworker) or refuses it with a note.
#[utoipa::path(
    post,
    path = "/moves",
    tag = "dashboard",
    security(("session" = [])),
    request_body(content = MoveForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Done, or refused with a notice: back to the list (`?error=CODE` names the notice). Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 403, description = "Not a supervisor or administrator (an HTML page).", body = String, content_type = "text/html"),
        (status = 404, description = "No such case, or a case outside the user's areas (answered alike).", body = String, content_type = "text/plain"),
        (status = 415, description = "Not a form body (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "A form that does not deserialize (axum's rejection), an unknown decision, or a fieldworker not of the new area.", body = String, content_type = "text/plain"),
    )
)]
pub async fn settle_move(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    Form(form): Form<MoveForm>,
) -> Response {
    let approved = match form.decision.as_str() {
        "approve" => true,
        "refuse" => false,
        other => {
            return ApiError::Unprocessable(format!("unknown decision '{other}'")).into_response();
        }
    };
    let note = form.note.trim().to_owned();
    if limits::check("note", &note, limits::NOTE).is_err() {
        return redirect_with("/moves", Some(Notice::TooLong));
    }
    let assignee = form.assignee.trim().to_owned();
    let result = state
        .with_store(move |s| {
            s.settle_move(
                &user,
                &form.case_id,
                approved,
                Some(assignee.as_str()),
                Some(note.as_str()),
            )
        })
        .await;
    match result {
        Ok(Ok(())) => redirect_with("/moves", None),
        Ok(Err(problem)) => redirect_with(
            "/moves",
            Some(match problem {
                MoveProblem::NoMove => Notice::NoMove,
                MoveProblem::NoteNeeded => Notice::NoteNeeded,
                MoveProblem::AssigneeNeeded => Notice::AssigneeNeeded,
            }),
        ),
        Err(e) => e.into_response(),
    }
}
