//! `/conflicts`: the fields two devices set at once in a supervisor's areas, each value with who
//! wrote it, and the form that keeps one or writes a new one (`Store::resolve_conflict`).

use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use homeward_shared::edit::Resolution;
use homeward_shared::i18n::{Catalogue, Lang};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::ApiError;
use crate::limits;
use crate::report::esc;
use crate::web::auth::{SignedIn, Supervisor};
use crate::web::html::{Notice, NoticeQuery, legacy, redirect_with};
use crate::web::ui::Ui;

/// `GET /conflicts`: the conflict queue of the user's areas: every field devices set at once,
/// each value with who wrote it, and a form to keep one or write a new one.
#[utoipa::path(
    get,
    path = "/conflicts",
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
pub async fn conflicts(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    ui: Ui,
    Query(q): Query<NoticeQuery>,
) -> Response {
    let u = user.clone();
    let queue = match state.with_store(move |s| s.conflict_queue(&u)).await {
        Ok(q) => q,
        Err(e) => return e.into_response(),
    };
    let mut body = String::new();
    body.push_str("<main><h1>Conflicts</h1><p class=\"hint\">Fields two devices changed before either had seen the other's change. Both values are kept until you choose; your choice reaches every phone at its next sync.</p>");
    body.push_str(&Notice::alert(q.error.as_deref(), &ui.catalogue()).into_string());
    if queue.is_empty() {
        body.push_str("<p id=\"no-conflicts\">No conflicts in your areas.</p>");
    }
    for (i, c) in queue.iter().enumerate() {
        body.push_str(&format!(
            "<form method=\"post\" action=\"/conflicts\" class=\"conflict\" data-case=\"{case}\" data-path=\"{path}\"><h2><a href=\"/cases/{case}\">{name}</a> <span class=\"hint\">{case} · {block}, {district}</span></h2><p>Field: <b>{field}</b> <span class=\"hint\"><code>{path}</code></span></p><input type=\"hidden\" name=\"case_id\" value=\"{case}\"><input type=\"hidden\" name=\"path\" value=\"{path}\">",
            name = esc(&c.child_name),
            case = esc(&c.case_id),
            block = esc(&c.block),
            district = esc(&c.district),
            path = esc(&c.path),
            field = esc(&Catalogue::new(Lang::En).conflict_field(&c.path)),
        ));
        let en = Catalogue::new(Lang::En);
        // A need's status in words, the key beside it (what is stored).
        let shown = |value: &str| -> String {
            let is_status = c.path.starts_with("needs.") && c.path.ends_with(".status");
            match value.parse::<homeward_shared::need::Status>() {
                Ok(st) if is_status => format!("{} ({value})", en.status(st)),
                _ => value.to_owned(),
            }
        };
        for (v, device) in c.values.iter().zip(&c.devices) {
            let name = v
                .author
                .as_ref()
                .map_or("unknown user", |a| a.name.as_str());
            let who = match device {
                Some(d) => format!("{name}, on “{d}”"),
                None => format!("{name}, on device {}", v.actor.get(..8).unwrap_or(&v.actor)),
            };
            body.push_str(&format!(
                "<label class=\"choice\"><input type=\"radio\" name=\"choice\" value=\"{actor}\" required> <b>{value}</b> <span class=\"hint\">by {who}</span></label>",
                actor = esc(&v.actor),
                value = esc(&shown(&v.value)),
                who = esc(&who),
            ));
        }
        body.push_str(&format!(
            "<label class=\"choice\"><input type=\"radio\" name=\"choice\" value=\"new\"> a new value: <input name=\"value\" aria-label=\"New value {i}\"></label><button>Settle</button></form>"
        ));
    }
    body.push_str("</main>");
    legacy(&ui, "Conflicts", &user, body).into_response()
}

/// The conflict form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResolveForm {
    /// The case.
    case_id: String,
    /// The field, as the queue names it (`needs.education.status`).
    path: String,
    /// The actor id (hex) whose value stays, or `new`.
    choice: String,
    /// The new value when `choice` is `new`.
    #[serde(default)]
    value: String,
}

/// `POST /conflicts`: keeps the chosen value, or sets a new one.
#[utoipa::path(
    post,
    path = "/conflicts",
    tag = "dashboard",
    security(("session" = [])),
    request_body(content = ResolveForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Done, or refused with a notice: back to the queue (`?error=CODE` names the notice). Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 403, description = "Not a supervisor or administrator.", body = String, content_type = "text/plain"),
        (status = 404, description = "A case outside the user's areas, or a field without a conflict.", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "Form fields that do not deserialize: a missing case_id, path or choice (axum's rejection).", body = String, content_type = "text/plain"),
    )
)]
pub async fn resolve_conflict(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Form(form): Form<ResolveForm>,
) -> Response {
    let value = if form.choice == "new" {
        if form.value.trim().is_empty() {
            return conflicts_back(Some(Notice::ValueNeeded));
        }
        if limits::check("value", form.value.trim(), limits::VALUE).is_err() {
            return conflicts_back(Some(Notice::TooLong));
        }
        Resolution::Set(form.value.trim().to_owned())
    } else {
        Resolution::Keep(form.choice.clone())
    };
    match state
        .with_store(move |s| s.resolve_conflict(&user, &form.case_id, &form.path, value))
        .await
    {
        Ok(()) => conflicts_back(None),
        Err(ApiError::BadRequest(m)) => {
            tracing::info!(reason = %m, "a conflict resolution was refused");
            conflicts_back(Some(Notice::ValueRefused))
        }
        Err(e) => e.into_response(),
    }
}

fn conflicts_back(notice: Option<Notice>) -> Response {
    redirect_with("/conflicts", notice)
}
