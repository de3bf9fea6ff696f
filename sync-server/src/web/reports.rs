//! The dashboard's report pages: `/reports` (the report links of the user's districts and
//! two charts), the systemic gaps download (`/reports/gaps`, counts only, for officials outside
//! the child-protection system) and the administrators' audit search (`/audit`).
//!
//! The CWC report itself (`/reports/cwc`) is here too: its data is read under the store's lock
//! and the PDF printed after the lock is released, so a report never holds up a phone's sync.
//!
//! Scope follows the rest of the dashboard ([`crate::scope`]): fieldworkers get 403, a district
//! outside the user's areas answers 404 like a missing one, a user of some blocks of a district
//! gets only those blocks' figures, and every download is written to the audit log.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Days;
use homeward_shared::i18n::Lang;
use homeward_shared::indicators::Month;
use maud::{PreEscaped, html};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::api_doc;
use crate::error::ApiError;
use crate::report;
use crate::scope;
use crate::store::{Role, WebUser};
use crate::today;
use crate::web::auth::{Admin, Staff};
use crate::web::charts;
use crate::web::figures::Tally;
use crate::web::html::{case_href, file_part, layout, query_value};
use crate::web::ui::Ui;

/// The districts whose reports the user may download: an administrator's are those with cases.
fn districts(user: &WebUser, seen: std::collections::BTreeSet<String>) -> Vec<String> {
    let mut out: Vec<String> = if user.role == Role::Admin {
        seen.into_iter().collect()
    } else {
        user.areas.iter().map(|(d, _)| d.clone()).collect()
    };
    out.sort();
    out.dedup();
    out
}

/// `GET /reports`: the CWC report links (last month) and the systemic gaps links of the user's
/// districts, a chart of active cases by risk per district and one of each fieldworker's
/// visits per week over the last four weeks.
#[utoipa::path(
    get,
    path = "/reports",
    tag = "dashboard",
    security(("session" = [])),
    params(crate::web::ui::LangQuery),
    responses(
        (status = 200, description = "The page (inline SVG charts).", body = String, content_type = "text/html"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "A fieldworker: the dashboard is not theirs (an HTML page).", body = String, content_type = "text/html"),
    )
)]
pub async fn reports(State(state): State<AppState>, Staff(user): Staff, ui: Ui) -> Response {
    let u = user.clone();
    let day = today();
    let outlines = state.outlines();
    let loaded = state
        .read_store(move |s| {
            let programme = s.programme()?;
            let mut tally = Tally::new(day, &programme);
            outlines.each_in(s, &crate::scope::reach(&u), day, &programme, |o| {
                tally.add_outline(o);
            })?;
            Ok((
                tally.risk.into_iter().collect::<Vec<_>>(),
                tally.activity,
                tally.districts,
            ))
        })
        .await;
    let (risk, activity, seen) = match loaded {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let last = Month::of(day).prev();
    let districts = districts(&user, seen);
    let t = ui.catalogue();
    let mut gaps: Vec<(String, String)> = districts
        .iter()
        .map(|d| (d.clone(), format!("district={}&", query_value(d))))
        .collect();
    if user.role == Role::Admin {
        gaps.insert(0, (t.get("web-all-districts"), String::new()));
    }
    let risk_chart = charts::stacked_bars(
        &t.text("web-risk-chart", &[("day", &t.date(day))]),
        &risk,
        charts::RISK_COLOURS,
        [
            &t.risk(homeward_shared::model::Risk::High),
            &t.risk(homeward_shared::model::Risk::Medium),
            &t.risk(homeward_shared::model::Risk::Stable),
        ],
    );
    let scale = activity
        .values()
        .flat_map(|w| w.iter().copied())
        .max()
        .unwrap_or(0);
    let starts: Vec<String> = (0..4u64)
        .rev()
        .map(|w| {
            day.checked_sub_days(Days::new(7 * w + 6))
                .map_or_else(String::new, |d| d.format("%-d/%-m").to_string())
        })
        .collect();
    let visit_charts: Vec<(String, String)> = activity
        .iter()
        .map(|((_, name), weeks)| {
            let values: Vec<(String, u32)> = starts
                .iter()
                .cloned()
                .zip(weeks.iter().rev().copied())
                .collect();
            let chart = charts::bars(
                &t.text("web-visits-by", &[("name", name)]),
                &t.get("web-visits"),
                &values,
                Some(scale),
            );
            (name.clone(), chart)
        })
        .collect();
    let body = html! {
        main {
            h1 { (t.text("web-reports-title", &[("day", &t.date(day))])) }
            h2 { (t.text("web-cwc-reports-of", &[("month", &t.month(last))])) }
            p.hint { (t.get("web-cwc-reports-hint")) }
            ul #cwc-reports {
                @for d in &districts {
                    @let q = format!("/reports/cwc?district={}&month={last}", query_value(d));
                    li {
                        (d) ": "
                        a href={(q) "&format=pdf&lang=en"} { "PDF (English)" } " · "
                        a href={(q) "&format=pdf&lang=hi"} { "PDF (हिन्दी)" } " · "
                        a href={(q) "&format=csv&lang=en"} { "CSV (English)" } " · "
                        a href={(q) "&format=csv&lang=hi"} { "CSV (हिन्दी)" } " · "
                        a href={(q) "&format=csv&part=summary&lang=" (ui.lang.code())} { (t.get("web-summary-csv")) }
                    }
                }
            }
            h2 { (t.get("web-gaps-title")) }
            p.hint { (t.get("web-gaps-hint")) }
            ul #gaps-reports {
                @for (name, q) in &gaps {
                    li {
                        (name) ": "
                        a href={"/reports/gaps?" (q) "lang=en"} { "CSV (English)" } " · "
                        a href={"/reports/gaps?" (q) "lang=hi"} { "CSV (हिन्दी)" }
                    }
                }
            }
            @if districts.is_empty() { p { (t.get("web-no-district")) } }
            h2 { (t.get("web-risk-title")) }
            figure #risk-chart { (PreEscaped(risk_chart)) }
            h2 { (t.get("web-visits-per-week")) }
            p.hint { (t.get("web-visits-per-week-hint")) }
            div #visit-charts {
                @for (name, chart) in &visit_charts {
                    figure.visits { figcaption { (name) } (PreEscaped(chart)) }
                }
            }
            @if visit_charts.is_empty() { p { (t.get("web-no-visits-4-weeks")) } }
        }
    };
    layout(&ui, &t, &t.get("web-nav-reports"), Some(&user), body).into_response()
}

/// The systemic gaps query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GapsQuery {
    /// A district in the user's scope; needed except by administrators, who get every district
    /// without it.
    district: Option<String>,
    /// `en` or `hi`.
    #[serde(default)]
    #[param(schema_with = crate::api_doc::lang)]
    lang: Option<String>,
}

/// `GET /reports/gaps`: the systemic gaps CSV of a district in the user's scope (else not
/// found), or of every district for an administrator who names none. Audited.
#[utoipa::path(
    get,
    path = "/reports/gaps",
    tag = "dashboard",
    security(("session" = [])),
    params(GapsQuery),
    responses(
        (status = 200, description = "The CSV, as an attachment (recorded in the audit log).", body = String, content_type = "text/csv"),
        (status = 400, description = "No district named (not an administrator), a bad language, or a query that does not deserialize (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "A fieldworker: the dashboard is not theirs (an HTML page).", body = String, content_type = "text/html"),
        (status = 404, description = "A district outside the user's scope (answered like a missing one).", body = String, content_type = "text/plain"),
    )
)]
pub async fn gaps(
    State(state): State<AppState>,
    Staff(user): Staff,
    Query(q): Query<GapsQuery>,
) -> Response {
    let district = q
        .district
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty());
    let area = match &district {
        Some(d) => match scope::area(&user, d) {
            Some(a) => Some(a),
            None => {
                return ApiError::NotFound(format!("no report for district '{d}'")).into_response();
            }
        },
        None if user.role == Role::Admin => None,
        None => {
            return ApiError::BadRequest("name a district: /reports/gaps?district=…".into())
                .into_response();
        }
    };
    let lang: Lang = match q.lang.as_deref().unwrap_or("en").parse() {
        Ok(l) => l,
        Err(e) => return ApiError::BadRequest(e.to_string()).into_response(),
    };
    let day = today();
    let name = format!(
        "gaps-{}-{day}-{lang}.csv",
        area.as_ref().map_or_else(|| "all".to_owned(), file_part)
    );
    let result = state
        .read_store(move |s| {
            let csv = report::gaps_csv(s, area.as_ref(), day, lang)?;
            let what = area.as_ref().map_or_else(
                || "all".to_owned(),
                |a| {
                    if a.blocks.is_empty() {
                        a.district.clone()
                    } else {
                        format!("{} (blocks {})", a.district, a.blocks.join(", "))
                    }
                },
            );
            s.audit(
                &user.id,
                "report-gaps",
                None,
                Some(&format!("{what} {day} {lang}")),
            )?;
            Ok(csv)
        })
        .await;
    match result {
        Ok(bytes) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}\""),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// The audit search.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only this user's entries.
    user: Option<String>,
    /// Only entries about this case.
    case: Option<String>,
    /// How many entries, 1 to 1000 (default 100).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    limit: Option<String>,
}

/// Entries shown when the search names no limit, and the most it may ask for.
const AUDIT_LIMITS: (u32, u32) = (100, 1000);

/// `GET /audit`: the newest audit entries, optionally of one user or one case (administrators
/// only).
#[utoipa::path(
    get,
    path = "/audit",
    tag = "dashboard",
    security(("session" = [])),
    params(AuditQuery, crate::web::ui::LangQuery),
    responses(
        (status = 200, description = "The page.", body = String, content_type = "text/html"),
        (status = 400, description = "A limit that is not a number from 1 to 1000, or a query that does not deserialize (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "Not an administrator (an HTML page).", body = String, content_type = "text/html"),
    )
)]
pub async fn audit(
    State(state): State<AppState>,
    Admin(user): Admin,
    ui: Ui,
    Query(q): Query<AuditQuery>,
) -> Response {
    let field = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let (who, case) = (field(&q.user), field(&q.case));
    let limit = match field(&q.limit).map(|l| l.parse::<u32>()) {
        None => AUDIT_LIMITS.0,
        Some(Ok(n)) if (1..=AUDIT_LIMITS.1).contains(&n) => n,
        Some(_) => {
            return ApiError::BadRequest(format!(
                "limit must be a number from 1 to {}",
                AUDIT_LIMITS.1
            ))
            .into_response();
        }
    };
    let (w, c) = (who.clone(), case.clone());
    let rows = match state
        .read_store(move |s| s.audit_log(w.as_deref(), c.as_deref(), limit))
        .await
    {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let t = ui.catalogue();
    let body = html! {
        main {
            h1 { (t.get("web-audit-title")) }
            form #audit-search method="get" action="/audit" {
                label { (t.get("web-audit-user")) " " input name="user" value=(who.as_deref().unwrap_or("")) size="16"; } " "
                label { (t.get("web-case-id")) " " input name="case" value=(case.as_deref().unwrap_or("")) size="16"; } " "
                label { (t.get("web-audit-entries")) " " input name="limit" value=(limit) size="5" inputmode="numeric"; } " "
                button { (t.get("web-find")) }
            }
            p.hint { (t.text("web-audit-shown", &[("n", &rows.len().to_string())])) }
            table #audit {
                tr {
                    th { (t.get("web-audit-at")) } th { (t.get("web-audit-user")) }
                    th { (t.get("web-audit-action")) } th { (t.get("web-case-id")) } th { (t.get("web-audit-detail")) }
                }
                @for r in &rows {
                    tr {
                        td { (r.at.get(..19).unwrap_or(&r.at).replace('T', " ")) }
                        td { a href={"/audit?user=" (query_value(&r.user_id))} { (r.user_id) } }
                        td { (r.action) }
                        td { @if let Some(c) = &r.case_id { a href=(case_href(c)) { (c) } } }
                        td { (r.detail.as_deref().unwrap_or("")) }
                    }
                }
            }
            @if rows.is_empty() { p { (t.get("web-audit-none")) } }
        }
    };
    layout(&ui, &t, &t.get("web-audit-title"), Some(&user), body).into_response()
}

/// The report query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// A district in the user's scope.
    district: String,
    /// The month, `YYYY-MM`.
    #[param(schema_with = api_doc::month)]
    month: String,
    /// `pdf` or `csv`.
    #[serde(default = "default_format")]
    #[param(schema_with = api_doc::report_format)]
    format: String,
    /// `en` or `hi`.
    #[serde(default = "default_lang")]
    #[param(schema_with = api_doc::lang)]
    lang: String,
    /// For a CSV: `children` (a row per child and need, and per claim waiting; the default) or
    /// `summary` (the month's figures).
    #[param(value_type = Option<String>, pattern = "^(children|summary)$")]
    part: Option<String>,
}

fn default_format() -> String {
    "pdf".into()
}

fn default_lang() -> String {
    "en".into()
}

/// `GET /reports/cwc`: the report of a district in the user's scope (else not found).
#[utoipa::path(
    get,
    path = "/reports/cwc",
    tag = "dashboard",
    security(("session" = [])),
    params(ReportQuery),
    responses(
        (status = 200, description = "The report, as an attachment (recorded in the audit log).", content(
            (crate::api_doc::PdfFile = "application/pdf"),
            (String = "text/csv"))),
        (status = 400, description = "A bad month, format, language or part (a summary is a CSV), or a query that does not deserialize (axum's rejection: no district or month, a parameter given twice).", body = String, content_type = "text/plain"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "A fieldworker: the dashboard is not theirs (an HTML page).", body = String, content_type = "text/html"),
        (status = 404, description = "A district outside the user's scope (answered like a missing one).", body = String, content_type = "text/plain"),
    )
)]
pub async fn cwc_report(
    State(state): State<AppState>,
    Staff(user): Staff,
    Query(q): Query<ReportQuery>,
) -> Response {
    let Some(area) = scope::area(&user, &q.district) else {
        return ApiError::NotFound(format!("no report for district '{}'", q.district))
            .into_response();
    };
    let month: Month = match q.month.parse() {
        Ok(m) => m,
        Err(e) => return ApiError::BadRequest(format!("{e}")).into_response(),
    };
    let format: report::Format = match q.format.parse() {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    let lang: Lang = match q.lang.parse() {
        Ok(l) => l,
        Err(e) => return ApiError::BadRequest(e.to_string()).into_response(),
    };
    let part: report::Part = match q.part.as_deref().map(str::parse).transpose() {
        Ok(p) => p.unwrap_or_default(),
        Err(e) => return e.into_response(),
    };
    if part == report::Part::Summary && format != report::Format::Csv {
        return ApiError::BadRequest("the summary is a CSV: format=csv&part=summary".into())
            .into_response();
    }
    let prepared = today();
    let name = format!(
        "cwc-{}-{month}-{lang}{}.{}",
        file_part(&area),
        if part == report::Part::Summary {
            "-summary"
        } else {
            ""
        },
        match format {
            report::Format::Csv => "csv",
            report::Format::Pdf => "pdf",
        }
    );
    // The report's data is read under the store's lock; the file is made after it is released
    // (a PDF takes Chromium seconds, and every phone's sync waits on that lock).
    let result = state
        .read_store(move |s| {
            let data = report::cwc(s, &area, month, prepared)?;
            let blocks = if area.blocks.is_empty() {
                String::new()
            } else {
                format!(" (blocks {})", area.blocks.join(", "))
            };
            s.audit(
                &user.id,
                "report-cwc",
                None,
                Some(&format!(
                    "{} {month} {} {lang}{blocks}",
                    area.district, q.format
                )),
            )?;
            Ok((data, area))
        })
        .await;
    let result = match result {
        Ok((data, area)) => tokio::task::spawn_blocking(move || match format {
            report::Format::Csv if part == report::Part::Summary => {
                report::summary_csv(&data, &area, lang, prepared)
            }
            report::Format::Csv => report::csv(&data, lang),
            report::Format::Pdf => report::pdf(&report::html(&data, &area, lang, prepared)),
        })
        .await
        .unwrap_or_else(|e| Err(ApiError::Internal(format!("the report's file failed: {e}")))),
        Err(e) => Err(e),
    };
    match result {
        Ok(bytes) => {
            let ctype = match format {
                report::Format::Csv => "text/csv; charset=utf-8",
                report::Format::Pdf => "application/pdf",
            };
            (
                [
                    (header::CONTENT_TYPE, ctype.to_owned()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}\""),
                    ),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => e.into_response(),
    }
}
