//! `/conflicts`: the fields two devices set at once in a supervisor's areas, each named in words
//! (`Catalogue::conflict_field`), each value in words with who wrote it, when and on which phone,
//! and the form that keeps one or writes a new one (`Store::resolve_conflict`).

use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use homeward_shared::edit::Resolution;
use homeward_shared::i18n::Catalogue;
use homeward_shared::model::{
    CaseState, ClosureReason, DocumentState, FIELD_UTC_OFFSET_SECONDS, Risk, field_date,
};
use homeward_shared::need::Status;
use homeward_shared::schema::ConflictValue;
use maud::html;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::ApiError;
use crate::limits;
use crate::web::auth::{SignedIn, Supervisor};
use crate::web::html::{Notice, NoticeQuery, case_href, layout, redirect_with};
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
    let t = ui.catalogue();
    let body = html! {
        main {
            h1 { (t.get("web-nav-conflicts")) }
            p.hint { (t.get("web-conflicts-hint")) }
            (Notice::alert(q.error.as_deref(), &t))
            @if queue.is_empty() {
                p #no-conflicts { (t.get("web-conflicts-none")) }
            }
            @for (i, c) in queue.iter().enumerate() {
                form.conflict method="post" action="/conflicts" data-case=(c.case_id) data-path=(c.path) {
                    h2 {
                        a href=(case_href(&c.case_id)) { (c.child_name) }
                        " " span.hint { (c.case_id) " · " (c.block) ", " (c.district) }
                    }
                    p { (t.get("web-conflict-field")) ": " b { (t.conflict_field(&c.path)) } }
                    input type="hidden" name="case_id" value=(c.case_id);
                    input type="hidden" name="path" value=(c.path);
                    @for (v, device) in c.values.iter().zip(&c.devices) {
                        label.choice {
                            input type="radio" name="choice" value=(v.actor) required;
                            " " b { (value_words(&c.path, &v.value, &t)) }
                            " " span.hint { (who(v, device.as_deref(), &t)) }
                        }
                    }
                    label.choice {
                        input type="radio" name="choice" value="new";
                        " " (t.get("web-conflict-new")) " "
                        input name="value" aria-label=(t.text("web-conflict-new-label", &[("n", &(i + 1).to_string())]));
                    }
                    button { (t.get("web-conflict-settle")) }
                }
            }
        }
    };
    layout(&ui, &t, &t.get("web-nav-conflicts"), Some(&user), body).into_response()
}

/// A conflicting value in words: a need's status, a document's or the case's state, a risk
/// level, a closure's reason, a day, yes or no, nothing; other text as it was typed.
fn value_words(path: &str, value: &str, t: &Catalogue) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    let worded = match parts[..] {
        ["needs", _, "status"] => value.parse::<Status>().ok().map(|s| t.status(s)),
        ["documents", _, "state"] => value
            .parse::<DocumentState>()
            .ok()
            .map(|s| t.get(&format!("ui-doc-{}", s.key()))),
        ["status", "state"] => value.parse::<CaseState>().ok().map(|s| t.state(s)),
        ["status", "closure"] => value.parse::<ClosureReason>().ok().map(|r| t.closure(r)),
        ["risk_override", "level"] => value.parse::<Risk>().ok().map(|r| t.risk(r)),
        _ => None,
    };
    worded.unwrap_or_else(|| match value {
        "null" | "" => t.get("web-conflict-empty"),
        "true" => t.get("web-conflict-yes"),
        "false" => t.get("web-conflict-no"),
        v => match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
            Ok(d) => t.date(d),
            Err(_) => v.to_owned(),
        },
    })
}

/// Who wrote a value, when (India time) and on which phone.
fn who(v: &ConflictValue, device: Option<&str>, t: &Catalogue) -> String {
    let name = v
        .author
        .as_ref()
        .map_or_else(|| t.get("web-conflict-someone"), |a| a.name.clone());
    let at = match v.at {
        Some(at) => {
            let local = at + chrono::Duration::seconds(i64::from(FIELD_UTC_OFFSET_SECONDS));
            t.text(
                "web-conflict-at",
                &[
                    ("date", &t.date(field_date(at))),
                    ("time", &local.format("%H:%M").to_string()),
                ],
            )
        }
        None => t.get("web-conflict-at-unknown"),
    };
    match device {
        Some(d) => t.text(
            "web-conflict-by",
            &[("name", &name), ("at", &at), ("device", d)],
        ),
        None => t.text(
            "web-conflict-by-unenrolled",
            &[
                ("name", &name),
                ("at", &at),
                ("actor", v.actor.get(..8).unwrap_or(&v.actor)),
            ],
        ),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use homeward_shared::i18n::Lang;

    /// A value is worded by its field: a status, a state, a level, a day, yes or no; a text
    /// typed by a fieldworker stays as typed.
    #[test]
    fn conflicting_values_are_worded_by_their_field() {
        let en = Catalogue::new(Lang::En);
        let hi = Catalogue::new(Lang::Hi);
        let cases = [
            ("needs.education.status", "dropped_out", "dropped out"),
            ("documents.bank_account.state", "received", "received"),
            ("status.state", "missing", "missing"),
            ("risk_override.level", "high", "high"),
            ("services.c1.paid_on", "2026-11-03", "3 November 2026"),
            ("legal.court", "null", "(empty)"),
            ("child.caregiver.phone", "98765 43210", "98765 43210"),
        ];
        for (path, value, want) in cases {
            assert_eq!(value_words(path, value, &en), want, "{path} {value}");
        }
        assert_eq!(
            value_words("services.c1.paid_on", "2026-11-03", &hi),
            "3 नवंबर 2026"
        );
        assert_eq!(
            value_words("needs.education.status", "dropped_out", &hi),
            hi.status(Status::DroppedOut)
        );
    }
}
