//! `/spot-checks`: the month's sample of visits a supervisor checks at the door, the outcome
//! forms, the discrepancy rate per fieldworker, and an administrator's draw of a month. The
//! sample and the outcomes are `Store::draw_spot_checks` and `record_spot_check`.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

use chrono::NaiveDate;
use homeward_shared::i18n::Catalogue;
use homeward_shared::indicators::Month;
use homeward_shared::model::field_date;
use homeward_shared::spotcheck::Outcome;
use maud::{Markup, html};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api_doc;
use crate::error::ApiError;
use crate::limits;
use crate::store::{Role, SpotCheck};
use crate::today;
use crate::web::auth::{SignedIn, Supervisor};
use crate::web::html::{Notice, case_href, layout, query_value, redirect_with};
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
        .read_store(move |s| {
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
    let t = ui.catalogue();
    let title = t.text("web-spot-title", &[("month", &t.month(month))]);
    let names: HashMap<&str, &str> = checks
        .iter()
        .map(|c| (c.fieldworker_id.as_str(), c.fieldworker_name.as_str()))
        .collect();
    let mut by_fieldworker: Vec<(&str, Vec<&SpotCheck>)> = Vec::new();
    for c in &checks {
        match by_fieldworker.last_mut() {
            Some((id, rows)) if *id == c.fieldworker_id => rows.push(c),
            _ => by_fieldworker.push((&c.fieldworker_id, vec![c])),
        }
    }
    let body = html! {
        main {
            h1 { (title) }
            form method="get" action="/spot-checks" {
                label { (t.get("web-spot-month")) " "
                    input name="month" value=(month) size="8" pattern="\\d{4}-\\d{2}";
                }
                " " button { (t.get("web-spot-show")) }
            }
            (Notice::alert(q.error.as_deref(), &t))
            @if user.role == Role::Admin {
                form method="post" action="/spot-checks/draw" {
                    input type="hidden" name="month" value=(month);
                    button { (t.text("web-spot-draw", &[("month", &t.month(month))])) }
                    " " span.hint { (t.get("web-spot-draw-hint")) }
                }
            }
            @if checks.is_empty() {
                p { (t.get("web-spot-none")) }
            }
            @for (_, rows) in &by_fieldworker {
                h2 { (rows[0].fieldworker_name) }
                table.spot {
                    tr {
                        th { (t.get("web-child")) } th { (t.get("web-spot-place")) }
                        th { (t.get("web-spot-visit")) } th { (t.get("web-spot-reported")) }
                        th { (t.get("web-spot-why")) } th { (t.get("web-spot-outcome")) }
                    }
                    @for c in rows {
                        (row(c, month, &t))
                    }
                }
            }
            h2 { (t.get("web-spot-rate-title")) }
            p.hint { (t.get("web-spot-rate-hint")) }
            table #discrepancy {
                tr {
                    th { (t.get("web-fieldworker")) } th { (t.get("web-spot-month")) }
                    th { (t.get("web-spot-verified")) } th { (t.get("web-spot-has-issues")) }
                    th { (t.get("web-spot-could-not-verify")) } th { (t.get("web-spot-rate")) }
                }
                @for r in &rates {
                    tr {
                        td { (names.get(r.fieldworker_id.as_str()).copied().unwrap_or(&r.fieldworker_id)) }
                        td { (t.month(r.month)) }
                        td.n { (r.counts.verified) }
                        td.n { (r.counts.has_issues) }
                        td.n { (r.counts.could_not_verify) }
                        td.n { @match r.counts.rate() {
                            Some(x) => (format!("{:.0}%", x * 100.0)),
                            None => "–",
                        } }
                    }
                }
            }
        }
    };
    layout(&ui, &t, &title, Some(&user), body).into_response()
}

/// One drawn visit: the child, where, the visit (day, kind, who made it), what the fieldworker
/// reported in it (who was met, the note, next steps, the needs changed), why it was drawn, and
/// the outcome or its form.
fn row(c: &SpotCheck, month: Month, t: &Catalogue) -> Markup {
    let day = c.visit_date.parse::<NaiveDate>().ok();
    let why = if c.anomalies.is_empty() {
        t.get("spot-random")
    } else {
        c.anomalies
            .iter()
            .map(|a| t.anomaly(a))
            .collect::<Vec<_>>()
            .join("; ")
    };
    html! {
        tr data-check=(c.id) {
            td {
                a href=(case_href(&c.case_id)) { (c.child_name) }
                div.hint { (c.case_id) }
            }
            td { (c.village) ", " (c.block) }
            td.visit {
                @match day { Some(d) => (t.date(d)), None => (c.visit_date) }
                @if let Some(v) = &c.visit {
                    br; (t.get(&format!("ui-visit-{}", v.kind.key())))
                    br; span.hint { (t.text("web-spot-by", &[("name", &v.by.name)])) }
                    @let recorded = field_date(v.recorded_at);
                    @if Some(recorded) != day {
                        br; span.hint { (t.text("web-recorded", &[("date", &t.date(recorded))])) }
                    }
                }
            }
            td.reported {
                @match &c.visit {
                    Some(v) => {
                        @if let Some(met) = &v.met { div { (t.get("ui-met")) ": " (met) } }
                        @if let Some(note) = &v.note { div { (t.get("ui-note")) ": " (note) } }
                        @if let Some(next) = &v.next_steps { div { (t.get("ui-next-steps")) ": " (next) } }
                        div.needs {
                            (t.get("web-spot-needs")) ": "
                            @if v.updates.is_empty() {
                                (t.get("web-spot-no-needs"))
                            } @else {
                                @for (i, (d, s)) in v.updates.iter().enumerate() {
                                    @if i > 0 { "; " }
                                    (t.dimension(*d)) " → " (t.status(*s))
                                }
                            }
                        }
                    }
                    None => span.err { (t.get("web-spot-visit-gone")) },
                }
            }
            td { (why) }
            td {
                @match c.outcome {
                    Some(o) => {
                        b { (t.outcome(o)) } @if let Some(n) = &c.note { ": " (n) }
                        div.hint {
                            (c.checked_by.as_deref().unwrap_or("")) " "
                            (c.checked_at.as_deref().and_then(|a| a.get(..10)).and_then(|d| d.parse::<NaiveDate>().ok()).map(|d| t.date(d)).unwrap_or_default())
                        }
                    }
                    None => {
                        form.outcome method="post" action={"/spot-checks/" (query_value(&c.id))} data-check=(c.id) {
                            select name="outcome" aria-label=(t.get("web-spot-outcome")) required {
                                option value="" { (t.get("web-spot-choose")) }
                                @for o in [Outcome::Verified, Outcome::HasIssues, Outcome::CouldNotVerify] {
                                    option value=(outcome_key(o)) { (t.outcome(o)) }
                                }
                            }
                            " "
                            input name="note" placeholder=(t.get("web-spot-note")) aria-label=(t.get("ui-note"));
                            " "
                            input type="hidden" name="month" value=(month);
                            button { (t.get("web-spot-save")) }
                        }
                    }
                }
            }
        }
    }
}

/// The form value of an outcome (what `OutcomeForm` reads back).
fn outcome_key(o: Outcome) -> &'static str {
    match o {
        Outcome::Verified => "verified",
        Outcome::HasIssues => "has_issues",
        Outcome::CouldNotVerify => "could_not_verify",
    }
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
