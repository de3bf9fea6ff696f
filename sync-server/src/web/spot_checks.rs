//! `/spot-checks`: the month's sample of visits a supervisor checks at the door, the outcome
//! forms, the discrepancy rate per fieldworker, and an administrator's draw of a month. The
//! sample and the outcomes are `Store::draw_spot_checks` and `record_spot_check`.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use homeward_shared::i18n::{Catalogue, Lang};
use homeward_shared::indicators::Month;
use homeward_shared::spotcheck::Outcome;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api_doc;
use crate::error::ApiError;
use crate::limits;
use crate::report::esc;
use crate::store::Role;
use crate::today;
use crate::web::auth::{SignedIn, Supervisor};
use crate::web::html::{Notice, legacy, redirect_with};
use crate::web::ui::Ui;

/// The spot-check page's query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpotQuery {
    /// The month, `YYYY-MM` (default: last month).
    #[param(schema_with = api_doc::month)]
    month: Option<String>,
    /// A notice to show after a refused form, by its code (an unknown code shows nothing).
    error: Option<String>,
}

/// `GET /spot-checks`: the month's drawn visits in the user's areas, by fieldworker, with a
/// form to record each outcome, and the discrepancy rate per fieldworker and month.
#[utoipa::path(
    get,
    path = "/spot-checks",
    tag = "dashboard",
    security(("session" = [])),
    params(SpotQuery, crate::web::ui::LangQuery),
    responses(
        (status = 200, description = "The page (the view is recorded in the audit log).", body = String, content_type = "text/html"),
        (status = 400, description = "A bad month, or a query that does not deserialize (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "Not a supervisor or administrator (an HTML page).", body = String, content_type = "text/html"),
    )
)]
pub async fn spot_checks(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    ui: Ui,
    Query(q): Query<SpotQuery>,
) -> Response {
    let month: Month = match q.month.as_deref().map(str::parse).transpose() {
        Ok(m) => m.unwrap_or_else(|| Month::of(today()).prev()),
        Err(e) => return ApiError::BadRequest(format!("{e}")).into_response(),
    };
    let u = user.clone();
    let loaded = state
        .with_store(move |s| {
            let checks = s.spot_checks(&u, Some(month))?;
            let rates = s.discrepancies(&u)?;
            s.audit(&u.id, "spot-checks-view", None, Some(&month.to_string()))?;
            Ok((checks, rates))
        })
        .await;
    let (checks, rates) = match loaded {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let en = Catalogue::new(Lang::En);
    let mut body = String::new();
    body.push_str(&format!(
        "<main><h1>Spot checks, {month}</h1><form method=\"get\" action=\"/spot-checks\">Month <input name=\"month\" value=\"{month}\" size=\"8\" pattern=\"\\d{{4}}-\\d{{2}}\"> <button>Show</button></form>"
    ));
    body.push_str(&Notice::alert(q.error.as_deref(), &ui.catalogue()).into_string());
    if user.role == Role::Admin {
        body.push_str(&format!(
            "<form method=\"post\" action=\"/spot-checks/draw\"><input type=\"hidden\" name=\"month\" value=\"{month}\"><button>Draw the sample of {month}</button> <span class=\"hint\">at least 2 visits or 10% per fieldworker, unusual visits first; once per month</span></form>"
        ));
    }
    if checks.is_empty() {
        body.push_str("<p>No spot checks in your areas for this month.</p>");
    }
    let mut current = String::new();
    for c in &checks {
        if c.fieldworker_id != current {
            if !current.is_empty() {
                body.push_str("</table>");
            }
            current.clone_from(&c.fieldworker_id);
            body.push_str(&format!(
                "<h2>{}</h2><table class=\"spot\"><tr><th>Child</th><th>Village, block</th><th>Visit</th><th>Why drawn</th><th>Outcome</th></tr>",
                esc(&c.fieldworker_name)
            ));
        }
        let why = if c.anomalies.is_empty() {
            en.get("spot-random")
        } else {
            c.anomalies
                .iter()
                .map(|a| en.anomaly(a))
                .collect::<Vec<_>>()
                .join("; ")
        };
        let outcome = match c.outcome {
            Some(o) => format!(
                "<b>{}</b>{}<div class=\"hint\">{} {}</div>",
                esc(&en.outcome(o)),
                c.note
                    .as_deref()
                    .map_or_else(String::new, |n| format!(": {}", esc(n))),
                esc(c.checked_by.as_deref().unwrap_or("")),
                esc(c
                    .checked_at
                    .as_deref()
                    .and_then(|a| a.get(..10))
                    .unwrap_or(""))
            ),
            None => format!(
                "<form method=\"post\" action=\"/spot-checks/{id}\" class=\"outcome\" data-check=\"{id}\"><select name=\"outcome\" aria-label=\"Outcome\" required><option value=\"\">choose…</option><option value=\"verified\">verified</option><option value=\"has_issues\">has issues</option><option value=\"could_not_verify\">could not verify</option></select> <input name=\"note\" placeholder=\"note (what was wrong)\" aria-label=\"Note\"> <input type=\"hidden\" name=\"month\" value=\"{month}\"><button>Save</button></form>",
                id = esc(&c.id)
            ),
        };
        body.push_str(&format!(
            "<tr data-check=\"{}\"><td><a href=\"/cases/{}\">{}</a><div class=\"hint\">{}</div></td><td>{}, {}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&c.id),
            esc(&c.case_id),
            esc(&c.child_name),
            esc(&c.case_id),
            esc(&c.village),
            esc(&c.block),
            esc(&c.visit_date),
            esc(&why),
            outcome
        ));
    }
    if !current.is_empty() {
        body.push_str("</table>");
    }
    body.push_str("<h2>Discrepancy rate</h2><p class=\"hint\">Has issues ÷ (verified + has issues). Visits that could not be verified are counted apart.</p><table id=\"discrepancy\"><tr><th>Fieldworker</th><th>Month</th><th>Verified</th><th>Has issues</th><th>Could not verify</th><th>Rate</th></tr>");
    let names: std::collections::HashMap<&str, &str> = checks
        .iter()
        .map(|c| (c.fieldworker_id.as_str(), c.fieldworker_name.as_str()))
        .collect();
    for r in &rates {
        let rate = r
            .counts
            .rate()
            .map_or_else(|| "–".to_owned(), |x| format!("{:.0}%", x * 100.0));
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(names.get(r.fieldworker_id.as_str()).copied().unwrap_or(&r.fieldworker_id)),
            r.month,
            r.counts.verified,
            r.counts.has_issues,
            r.counts.could_not_verify,
            rate
        ));
    }
    body.push_str("</table></main>");
    legacy(&ui, "Spot checks", &user, body).into_response()
}

/// The outcome form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OutcomeForm {
    /// `verified`, `has_issues` or `could_not_verify` (anything else: back with a notice).
    #[schema(examples("verified", "has_issues", "could_not_verify"))]
    outcome: String,
    /// What was wrong; needed unless verified.
    #[serde(default)]
    note: String,
    /// The month to show afterwards, `YYYY-MM`.
    month: String,
}

fn back_to(month: &str, notice: Option<Notice>) -> Response {
    let month: String = month
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    redirect_with(&format!("/spot-checks?month={month}"), notice)
}
/// `POST /spot-checks/{id}`: records what the supervisor found.
#[utoipa::path(
    post,
    path = "/spot-checks/{id}",
    tag = "dashboard",
    security(("session" = [])),
    params(("id" = String, Path, description = "The spot check.")),
    request_body(content = OutcomeForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Done, or refused with a notice: back to the month's spot checks (`?error=CODE` names the notice). Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 400, description = "A path segment that is not UTF-8 (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 403, description = "Not a supervisor or administrator.", body = String, content_type = "text/plain"),
        (status = 404, description = "A spot check outside the user's areas (answered like a missing one).", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "Form fields that do not deserialize: a missing outcome or month (axum's rejection).", body = String, content_type = "text/plain"),
    )
)]
pub async fn record_spot_check(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Path(id): Path<String>,
    Form(form): Form<OutcomeForm>,
) -> Response {
    let outcome: Outcome =
        match serde_json::from_value(serde_json::Value::String(form.outcome.clone())) {
            Ok(o) => o,
            Err(_) => return back_to(&form.month, Some(Notice::OutcomeNeeded)),
        };
    if limits::check("note", &form.note, limits::NOTE).is_err() {
        return back_to(&form.month, Some(Notice::TooLong));
    }
    let note = form.note.clone();
    match state
        .with_store(move |s| s.record_spot_check(&user, &id, outcome, &note))
        .await
    {
        Ok(_) => back_to(&form.month, None),
        Err(ApiError::BadRequest(_)) => back_to(&form.month, Some(Notice::NoteNeeded)),
        Err(ApiError::Conflict(_)) => back_to(&form.month, Some(Notice::AlreadyRecorded)),
        Err(e) => e.into_response(),
    }
}

/// The draw form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DrawForm {
    /// The month to draw, `YYYY-MM`.
    #[schema(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    month: String,
}

/// `POST /spot-checks/draw`: an administrator draws a month's sample (once).
#[utoipa::path(
    post,
    path = "/spot-checks/draw",
    tag = "dashboard",
    security(("session" = [])),
    request_body(content = DrawForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Done, or refused with a notice (drawn already, or the month is not over): back to the month's spot checks (`?error=CODE` names the notice). Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 400, description = "A bad month.", body = String, content_type = "text/plain"),
        (status = 403, description = "Not an administrator.", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "Form fields that do not deserialize: a missing month (axum's rejection).", body = String, content_type = "text/plain"),
    )
)]
pub async fn draw_spot_checks(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    Form(form): Form<DrawForm>,
) -> Response {
    if user.role != Role::Admin {
        return ApiError::Forbidden("only an administrator draws the sample".into())
            .into_response();
    }
    let month: Month = match form.month.parse() {
        Ok(m) => m,
        Err(e) => return ApiError::BadRequest(format!("{e}")).into_response(),
    };
    match state
        .with_store(move |s| s.draw_spot_checks(month, &user.id, crate::today()))
        .await
    {
        Ok(_) => back_to(&form.month, None),
        Err(ApiError::Conflict(_)) => back_to(&form.month, Some(Notice::AlreadyDrawn)),
        Err(ApiError::Unprocessable(_)) => back_to(&form.month, Some(Notice::MonthNotOver)),
        Err(e) => e.into_response(),
    }
}
