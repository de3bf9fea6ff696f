//! The Core Team and CWC dashboard: login with a session cookie, an overview scoped to the
//! user's areas, and the CWC report download. Every page checks the session and the user's
//! districts; a district outside them answers "not found", so scope cannot be probed.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use homeward_shared::edit::Resolution;
use homeward_shared::i18n::{Catalogue, Lang};
use homeward_shared::indicators::Month;
use homeward_shared::model::Risk;
use homeward_shared::programme::Programme;
use homeward_shared::prompt;
use homeward_shared::spotcheck::Outcome;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api_doc;
use crate::error::ApiError;
use crate::limits;
use crate::report::{self, esc};
use crate::scope;
use crate::store::{Role, WebUser};
use crate::today;

/// The session cookie's name.
pub const COOKIE: &str = "hw_session";

pub(crate) fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{} · Homeward</title><style>{STYLE}</style></head><body>{body}</body></html>",
        esc(title)
    ))
}

/// The dashboard's one stylesheet, inline in every page; the Content-Security-Policy allows it
/// by its hash ([`crate::web_guard`]) and no other style.
pub(crate) const STYLE: &str = "body{font-family:'Noto Sans','Noto Sans Devanagari',sans-serif;margin:0;color:#111;background:#f6f6f4}
header{background:#1f4e3d;color:#fff;padding:10px 16px;display:flex;justify-content:space-between;align-items:center}
header form{margin:0} header a{color:#fff} .hint{color:#555;font-size:14px} form.outcome{display:flex;gap:4px;flex-wrap:wrap} form.conflict{background:#fff;border:1px solid #bbb;padding:8px 12px;margin:12px 0} label.choice{display:block;margin:6px 0} form.review{background:#fff;border:1px solid #bbb;padding:8px 12px;margin:12px 0} main{padding:16px;max-width:1100px} h1{font-size:20px} h2{font-size:17px;margin-top:24px}
table{border-collapse:collapse;background:#fff} th,td{border:1px solid #bbb;padding:4px 8px;text-align:left} td.n{text-align:right}
.high{color:#a00;font-weight:bold} .err{color:#a00} button,input{font-size:16px;padding:6px}
form.login{background:#fff;padding:16px;max-width:320px;margin:40px auto;border:1px solid #bbb} form.login input{width:100%;margin:4px 0 12px}
#visit-charts{display:flex;flex-wrap:wrap;gap:12px}";

fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_owned())
}

/// The logged-in user, or a redirect to the login page.
pub(crate) async fn user(state: &AppState, headers: &HeaderMap) -> Result<WebUser, Response> {
    let Some(token) = session_token(headers) else {
        return Err(Redirect::to("/login").into_response());
    };
    match state.with_store(move |s| s.session(&token)).await {
        Ok(u) => Ok(u),
        Err(ApiError::Unauthorized(_)) => Err(Redirect::to("/login").into_response()),
        Err(e) => Err(e.into_response()),
    }
}

fn login_form(error: Option<&str>) -> Html<String> {
    let err = error.map_or_else(String::new, |e| {
        format!("<p class=\"err\" role=\"alert\">{}</p>", esc(e))
    });
    page(
        "Log in",
        &format!(
            "<form class=\"login\" method=\"post\" action=\"/login\"><h1>Homeward</h1>{err}<label>User<input name=\"user\" autocomplete=\"username\" required></label><label>Password<input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label><button type=\"submit\">Log in</button></form>"
        ),
    )
}

/// `GET /login`.
#[utoipa::path(
    get,
    path = "/login",
    tag = "dashboard",
    responses((status = 200, description = "The login form.", body = String, content_type = "text/html"))
)]
pub async fn login_page() -> Html<String> {
    login_form(None)
}

/// The login form's fields.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginForm {
    /// The user id (case and surrounding spaces do not matter).
    user: String,
    /// The dashboard password.
    #[schema(format = Password)]
    password: String,
}

/// `POST /login`: a session cookie and the overview, or the form again with an error.
#[utoipa::path(
    post,
    path = "/login",
    tag = "dashboard",
    request_body(content = LoginForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Logged in: the session cookie, and on to /.", headers(
            ("location" = String, description = "`/`."),
            ("set-cookie" = String, description = "`hw_session=TOKEN; HttpOnly; SameSite=Strict; Path=/`."))),
        (status = 401, description = "Unknown user, wrong password, a disabled user, or too many failures of this id: the form again, with the reason.", body = String, content_type = "text/html"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "Form fields that do not deserialize: a missing user or password (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 429, description = "Too many failed logins from this address, or from all, in the last minute; refused before any password is checked.", body = String, content_type = "text/plain",
            headers(("retry-after" = String, description = "Seconds until the window ends."))),
    )
)]
pub async fn login(State(state): State<AppState>, Form(form): Form<LoginForm>) -> Response {
    let user = form.user.trim().to_lowercase();
    match state
        .with_store(move |s| s.login(&user, &form.password))
        .await
    {
        Ok((token, _)) => {
            let mut resp = Redirect::to("/").into_response();
            if let Ok(v) =
                HeaderValue::from_str(&format!("{COOKIE}={token}; {}", state.cookie_attributes()))
            {
                resp.headers_mut().insert(header::SET_COOKIE, v);
            }
            resp
        }
        Err(ApiError::Unauthorized(m)) => {
            (StatusCode::UNAUTHORIZED, login_form(Some(&m))).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// `POST /logout`.
#[utoipa::path(
    post,
    path = "/logout",
    tag = "dashboard",
    security((), ("session" = [])),
    responses(
        (status = 303, description = "The session (if any) ended: to /login, the cookie cleared.", headers(
            ("location" = String, description = "`/login`."),
            ("set-cookie" = String, description = "`hw_session=` with `Max-Age=0`."))),
    )
)]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = session_token(&headers) {
        let _ = state.with_store(move |s| s.logout(&token)).await;
    }
    let mut resp = Redirect::to("/login").into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{COOKIE}=; {}; Max-Age=0",
        state.cookie_attributes()
    )) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}

/// The logged-in user, when not a fieldworker (the dashboard is not theirs: 403).
pub(crate) async fn staff(state: &AppState, headers: &HeaderMap) -> Result<WebUser, Response> {
    let user = user(state, headers).await?;
    if user.role == Role::Fieldworker {
        return Err(forbidden_fieldworker());
    }
    Ok(user)
}

/// The logged-in supervisor or administrator; anyone else gets 403 naming the page.
pub(crate) async fn supervisor(
    state: &AppState,
    headers: &HeaderMap,
    title: &str,
) -> Result<WebUser, Response> {
    let user = user(state, headers).await?;
    if !matches!(user.role, Role::Supervisor | Role::Admin) {
        return Err((
            StatusCode::FORBIDDEN,
            page(
                title,
                &format!("<main><p>{}: for supervisors only.</p></main>", esc(title)),
            ),
        )
            .into_response());
    }
    Ok(user)
}

pub(crate) fn forbidden_fieldworker() -> Response {
    (
        StatusCode::FORBIDDEN,
        page("Not for fieldworkers", "<main><p>The dashboard is for the Core Team and the CWC; fieldworkers use the field app.</p></main>"),
    )
        .into_response()
}

/// `GET /`: cases per district and block by risk, visits this month, report links.
#[utoipa::path(
    get,
    path = "/",
    tag = "dashboard",
    security(("session" = [])),
    responses(
        (status = 200, description = "The overview page.", body = String, content_type = "text/html"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "A fieldworker: the dashboard is not theirs (an HTML page).", body = String, content_type = "text/html"),
    )
)]
pub async fn overview(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let user = match staff(&state, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let day = today();
    let month = Month::of(day);
    let u = user.clone();
    let loaded = state
        .with_store(move |s| {
            Ok((
                crate::oversight::scoped_cases(s, &u)?,
                s.last_sync_by_user()?,
            ))
        })
        .await;
    let (cases, last_sync) = match loaded {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let programme = Programme::default();
    let before = month.first_day().pred_opt().unwrap_or(month.first_day());
    // (district, block) -> [high, medium, stable, visits this month, active, due, due and visited]
    let mut rows: std::collections::BTreeMap<(String, String), [u32; 7]> =
        std::collections::BTreeMap::new();
    // fieldworker (id, name) -> visits in each of the last four weeks, most recent first
    let activity = crate::oversight::visits_by_week(&cases, day);
    for c in cases.iter() {
        let r = rows
            .entry((
                c.child.address.district.clone(),
                c.child.address.block.clone(),
            ))
            .or_default();
        if c.is_active() {
            r[4] += 1;
            match prompt::risk(c, day, &programme) {
                Risk::High => r[0] += 1,
                Risk::Medium => r[1] += 1,
                Risk::Stable => r[2] += 1,
            }
        }
        let visited = c.visits.iter().any(|v| month.contains(v.date));
        r[3] +=
            u32::try_from(c.visits.iter().filter(|v| month.contains(v.date)).count()).unwrap_or(0);
        // Due this month: active when the month began, and its schedule (as it stood then)
        // asked for a visit by the month's end, or its assessment was still to do.
        let past = c.as_of(before);
        if c.rescue.returned_on <= month.last_day()
            && (past.is_active() || c.rescue.returned_on > before)
        {
            let due = prompt::next_visit(&past, before, &programme)
                .map_or(past.assessed_on().is_none(), |n| n.due <= month.last_day());
            if due {
                r[5] += 1;
                r[6] += u32::from(visited);
            }
        }
    }
    let mut body = nav(&user);
    body.push_str(&format!(
        "<main><h1>Overview, {}</h1><table><tr><th>District</th><th>Block</th><th>Active cases</th><th>High risk</th><th>Medium</th><th>Stable</th><th>Visits in {}</th><th>Cases due a visit in {} / visited</th></tr>",
        day, month, month
    ));
    for ((d, b), r) in &rows {
        body.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n high\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{} / {}</td></tr>",
            esc(d), esc(b), r[4], r[0], r[1], r[2], r[3], r[5], r[6]
        ));
    }
    body.push_str("</table><h2>Fieldworkers</h2><table><tr><th>Fieldworker</th><th>Visits this week</th><th>Last week</th><th>2 weeks ago</th><th>3 weeks ago</th><th>Last sync</th></tr>");
    for ((id, name), w) in &activity {
        let sync = last_sync
            .get(id)
            .map_or("never", |s| s.get(..16).unwrap_or(s));
        body.push_str(&format!(
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            esc(name), w[0], w[1], w[2], w[3], esc(sync)
        ));
    }
    body.push_str("</table><h2>CWC monthly reports</h2><ul>");
    let mut districts: Vec<&String> = rows.keys().map(|(d, _)| d).collect();
    districts.dedup();
    let last = month.prev();
    for d in districts {
        body.push_str(&format!(
            "<li>{d}, {last}: <a href=\"/reports/cwc?district={q}&month={last}&format=pdf&lang=en\">PDF (English)</a> · <a href=\"/reports/cwc?district={q}&month={last}&format=pdf&lang=hi\">PDF (हिन्दी)</a> · <a href=\"/reports/cwc?district={q}&month={last}&format=csv&lang=en\">CSV</a></li>",
            d = esc(d),
            q = esc(&d.replace(' ', "+")),
        ));
    }
    body.push_str("</ul></main>");
    page("Overview", &body).into_response()
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
        (status = 400, description = "A bad month, format or language, or a query that does not deserialize (axum's rejection: no district or month, a parameter given twice).", body = String, content_type = "text/plain"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "A fieldworker: the dashboard is not theirs (an HTML page).", body = String, content_type = "text/html"),
        (status = 404, description = "A district outside the user's scope (answered like a missing one).", body = String, content_type = "text/plain"),
    )
)]
pub async fn cwc_report(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ReportQuery>,
) -> Response {
    let user = match staff(&state, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
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
    let prepared = today();
    let name = format!(
        "cwc-{}-{month}-{lang}.{}",
        file_part(&area),
        match format {
            report::Format::Csv => "csv",
            report::Format::Pdf => "pdf",
        }
    );
    let result = state
        .with_store(move |s| {
            let data = report::cwc(s, &area, month)?;
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
            match format {
                report::Format::Csv => report::csv(&data, lang),
                report::Format::Pdf => report::pdf(&report::html(&data, &area, lang, prepared)),
            }
        })
        .await;
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

/// An area as part of a file name: the district, then its blocks when the area is some of them,
/// lower case, every character but ASCII letters and digits as `-`.
pub(crate) fn file_part(area: &scope::Area) -> String {
    std::iter::once(&area.district)
        .chain(&area.blocks)
        .map(|p| {
            p.to_lowercase()
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

pub(crate) fn nav(user: &WebUser) -> String {
    let admin = if user.role == Role::Admin {
        " · <a href=\"/audit\">Audit</a>"
    } else {
        ""
    };
    let supervise = if matches!(user.role, Role::Supervisor | Role::Admin) {
        " · <a href=\"/spot-checks\">Spot checks</a> · <a href=\"/conflicts\">Conflicts</a> · <a href=\"/reviews\">Reviews</a> · <a href=\"/duplicates\">Duplicates</a> · <a href=\"/moves\">Moves</a>"
    } else {
        ""
    };
    format!(
        "<header><span>Homeward · {} ({})</span><nav><a href=\"/\">Overview</a> · <a href=\"/reports\">Reports</a>{supervise}{admin}</nav><form method=\"post\" action=\"/logout\"><button>Log out</button></form></header>",
        esc(&user.name),
        user.role.key()
    )
}

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

/// The query of a page with forms (conflicts, reviews).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeQuery {
    /// A notice to show after a refused form, by its code (an unknown code shows nothing).
    pub(crate) error: Option<String>,
}

/// `GET /spot-checks`: the month's drawn visits in the user's areas, by fieldworker, with a
/// form to record each outcome, and the discrepancy rate per fieldworker and month.
#[utoipa::path(
    get,
    path = "/spot-checks",
    tag = "dashboard",
    security(("session" = [])),
    params(SpotQuery),
    responses(
        (status = 200, description = "The page (the view is recorded in the audit log).", body = String, content_type = "text/html"),
        (status = 400, description = "A bad month, or a query that does not deserialize (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "Not a supervisor or administrator (an HTML page).", body = String, content_type = "text/html"),
    )
)]
pub async fn spot_checks(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<SpotQuery>,
) -> Response {
    let user = match supervisor(&state, &headers, "Spot checks").await {
        Ok(u) => u,
        Err(r) => return r,
    };
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
    let mut body = nav(&user);
    body.push_str(&format!(
        "<main><h1>Spot checks, {month}</h1><form method=\"get\" action=\"/spot-checks\">Month <input name=\"month\" value=\"{month}\" size=\"8\" pattern=\"\\d{{4}}-\\d{{2}}\"> <button>Show</button></form>"
    ));
    body.push_str(&Notice::alert(q.error.as_deref()));
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
    page("Spot checks", &body).into_response()
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

/// What a page may say in its alert box after a refused form, chosen by a code in the page's
/// address (`?error=note-needed`). The address never carries the words, so a link someone
/// sends cannot make the dashboard say anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// A spot-check form without an outcome.
    OutcomeNeeded,
    /// "Has issues" or "could not verify" without a note.
    NoteNeeded,
    /// A spot check recorded before.
    AlreadyRecorded,
    /// A month's sample drawn before.
    AlreadyDrawn,
    /// "A new value" chosen without one.
    ValueNeeded,
    /// A new value the field does not take.
    ValueRefused,
    /// A send-back without a comment.
    CommentNeeded,
    /// A note, comment or value over its length limit.
    TooLong,
    /// A move approved without choosing who follows the child.
    AssigneeNeeded,
    /// A move decided on a case with no move request waiting.
    NoMove,
}

impl Notice {
    /// Every notice.
    pub const ALL: [Notice; 10] = [
        Notice::OutcomeNeeded,
        Notice::NoteNeeded,
        Notice::AlreadyRecorded,
        Notice::AlreadyDrawn,
        Notice::ValueNeeded,
        Notice::ValueRefused,
        Notice::CommentNeeded,
        Notice::TooLong,
        Notice::AssigneeNeeded,
        Notice::NoMove,
    ];

    /// The code in the address.
    pub fn code(self) -> &'static str {
        match self {
            Notice::OutcomeNeeded => "outcome-needed",
            Notice::NoteNeeded => "note-needed",
            Notice::AlreadyRecorded => "already-recorded",
            Notice::AlreadyDrawn => "already-drawn",
            Notice::ValueNeeded => "value-needed",
            Notice::ValueRefused => "value-refused",
            Notice::CommentNeeded => "comment-needed",
            Notice::TooLong => "too-long",
            Notice::AssigneeNeeded => "assignee-needed",
            Notice::NoMove => "no-move",
        }
    }

    /// The words shown.
    pub fn message(self) -> String {
        match self {
            Notice::OutcomeNeeded => {
                "choose an outcome: verified, has issues or could not verify".into()
            }
            Notice::NoteNeeded => {
                "say in the note what was wrong, or why the visit could not be verified".into()
            }
            Notice::AlreadyRecorded => {
                "this spot check was recorded already: an outcome, once recorded, is not changed"
                    .into()
            }
            Notice::AlreadyDrawn => {
                "this month's sample was drawn already: a month is drawn once".into()
            }
            Notice::ValueNeeded => "write the new value, or choose one of the values".into(),
            Notice::ValueRefused => "the new value was refused: the field expected another kind \
                 of value (a need's status takes one of that need's statuses)"
                .into(),
            Notice::CommentNeeded => "say in the comment what the fieldworker should do".into(),
            Notice::AssigneeNeeded => {
                "choose the fieldworker who follows the child in the new place".into()
            }
            Notice::NoMove => {
                "this case has no move request waiting (decided already, or withdrawn)".into()
            }
            Notice::TooLong => format!(
                "the text is too long: a note or a comment takes at most {} characters, a value {}",
                limits::NOTE.min(limits::COMMENT),
                limits::VALUE
            ),
        }
    }

    /// The alert box for the code in a page's address; nothing for an unknown code.
    pub fn alert(code: Option<&str>) -> String {
        Notice::ALL
            .into_iter()
            .find(|n| Some(n.code()) == code)
            .map_or_else(String::new, |n| {
                format!("<p class=\"err\" role=\"alert\">{}</p>", esc(&n.message()))
            })
    }
}

/// A redirect to `path` (which may carry a query already), with `notice` shown there.
pub(crate) fn redirect_with(path: &str, notice: Option<Notice>) -> Response {
    let mut url = path.to_owned();
    if let Some(n) = notice {
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str("error=");
        url.push_str(n.code());
    }
    Redirect::to(&url).into_response()
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
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<OutcomeForm>,
) -> Response {
    let user = match user(&state, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
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
        (status = 303, description = "Done, or refused with a notice: back to the month's spot checks (`?error=CODE` names the notice). Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 400, description = "A bad month.", body = String, content_type = "text/plain"),
        (status = 403, description = "Not an administrator.", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "Form fields that do not deserialize: a missing month (axum's rejection).", body = String, content_type = "text/plain"),
    )
)]
pub async fn draw_spot_checks(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<DrawForm>,
) -> Response {
    let user = match user(&state, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    if user.role != Role::Admin {
        return ApiError::Forbidden("only an administrator draws the sample".into())
            .into_response();
    }
    let month: Month = match form.month.parse() {
        Ok(m) => m,
        Err(e) => return ApiError::BadRequest(format!("{e}")).into_response(),
    };
    match state
        .with_store(move |s| s.draw_spot_checks(month, &user.id))
        .await
    {
        Ok(_) => back_to(&form.month, None),
        Err(ApiError::Conflict(_)) => back_to(&form.month, Some(Notice::AlreadyDrawn)),
        Err(e) => e.into_response(),
    }
}

/// `GET /conflicts`: the conflict queue of the user's areas: every field devices set at once,
/// each value with who wrote it, and a form to keep one or write a new one.
#[utoipa::path(
    get,
    path = "/conflicts",
    tag = "dashboard",
    security(("session" = [])),
    params(NoticeQuery),
    responses(
        (status = 200, description = "The page.", body = String, content_type = "text/html"),
        (status = 400, description = "A query that does not deserialize: a parameter given twice, a required one missing (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "Not a supervisor or administrator (an HTML page).", body = String, content_type = "text/html"),
    )
)]
pub async fn conflicts(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<NoticeQuery>,
) -> Response {
    let user = match supervisor(&state, &headers, "Conflicts").await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let u = user.clone();
    let queue = match state.with_store(move |s| s.conflict_queue(&u)).await {
        Ok(q) => q,
        Err(e) => return e.into_response(),
    };
    let mut body = nav(&user);
    body.push_str("<main><h1>Conflicts</h1><p class=\"hint\">Fields two devices changed before either had seen the other's change. Both values are kept until you choose; your choice reaches every phone at its next sync.</p>");
    body.push_str(&Notice::alert(q.error.as_deref()));
    if queue.is_empty() {
        body.push_str("<p id=\"no-conflicts\">No conflicts in your areas.</p>");
    }
    for (i, c) in queue.iter().enumerate() {
        body.push_str(&format!(
            "<form method=\"post\" action=\"/conflicts\" class=\"conflict\" data-case=\"{case}\" data-path=\"{path}\"><h2><a href=\"/cases/{case}\">{name}</a> <span class=\"hint\">{case} · {block}, {district}</span></h2><p>Field: <code>{path}</code></p><input type=\"hidden\" name=\"case_id\" value=\"{case}\"><input type=\"hidden\" name=\"path\" value=\"{path}\">",
            name = esc(&c.child_name),
            case = esc(&c.case_id),
            block = esc(&c.block),
            district = esc(&c.district),
            path = esc(&c.path),
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
    page("Conflicts", &body).into_response()
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
    headers: HeaderMap,
    Form(form): Form<ResolveForm>,
) -> Response {
    let user = match user(&state, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
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

/// `GET /reviews`: initial assessments and closures of the user's areas waiting for a
/// supervisor, with forms to approve them or send them back with a comment.
#[utoipa::path(
    get,
    path = "/reviews",
    tag = "dashboard",
    security(("session" = [])),
    params(NoticeQuery),
    responses(
        (status = 200, description = "The page.", body = String, content_type = "text/html"),
        (status = 400, description = "A query that does not deserialize: a parameter given twice, a required one missing (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "Not a supervisor or administrator (an HTML page).", body = String, content_type = "text/html"),
    )
)]
pub async fn reviews(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<NoticeQuery>,
) -> Response {
    let user = match supervisor(&state, &headers, "Reviews").await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let u = user.clone();
    let queue = match state.with_store(move |s| s.review_queue(&u)).await {
        Ok(q) => q,
        Err(e) => return e.into_response(),
    };
    let mut body = nav(&user);
    body.push_str("<main><h1>Reviews</h1><p class=\"hint\">Initial assessments and case closures wait here until approved. Sending one back needs a comment; the fieldworker's phone shows it at its next sync.</p>");
    body.push_str(&Notice::alert(q.error.as_deref()));
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
    page("Reviews", &body).into_response()
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
    headers: HeaderMap,
    Form(form): Form<ReviewForm>,
) -> Response {
    let user = match user(&state, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
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
