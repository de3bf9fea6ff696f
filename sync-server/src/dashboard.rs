//! The Core Team and CWC dashboard: login with a session cookie, an overview scoped to the
//! user's areas, and the CWC report download. Every page checks the session and the user's
//! districts; a district outside them answers "not found", so scope cannot be probed.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use homeward_shared::i18n::Lang;
use homeward_shared::indicators::Month;
use homeward_shared::model::Risk;
use homeward_shared::programme::Programme;
use homeward_shared::prompt;
use serde::Deserialize;

use crate::AppState;
use crate::error::ApiError;
use crate::report::{self, esc};
use crate::store::{Role, WebUser};
use crate::today;

/// The session cookie's name.
pub const COOKIE: &str = "hw_session";

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{} · Homeward</title><style>{STYLE}</style></head><body>{body}</body></html>",
        esc(title)
    ))
}

const STYLE: &str = "body{font-family:'Noto Sans','Noto Sans Devanagari',sans-serif;margin:0;color:#111;background:#f6f6f4}
header{background:#1f4e3d;color:#fff;padding:10px 16px;display:flex;justify-content:space-between;align-items:center}
header form{margin:0} main{padding:16px;max-width:1100px} h1{font-size:20px} h2{font-size:17px;margin-top:24px}
table{border-collapse:collapse;background:#fff} th,td{border:1px solid #bbb;padding:4px 8px;text-align:left} td.n{text-align:right}
.high{color:#a00;font-weight:bold} .err{color:#a00} button,input{font-size:16px;padding:6px}
form.login{background:#fff;padding:16px;max-width:320px;margin:40px auto;border:1px solid #bbb} form.login input{width:100%;margin:4px 0 12px}";

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
async fn user(state: &AppState, headers: &HeaderMap) -> Result<WebUser, Response> {
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
pub async fn login_page() -> Html<String> {
    login_form(None)
}

/// The login form's fields.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    user: String,
    password: String,
}

/// `POST /login`: a session cookie and the overview, or the form again with an error.
pub async fn login(State(state): State<AppState>, Form(form): Form<LoginForm>) -> Response {
    let user = form.user.trim().to_lowercase();
    match state
        .with_store(move |s| s.login(&user, &form.password))
        .await
    {
        Ok((token, _)) => {
            let mut resp = Redirect::to("/").into_response();
            if let Ok(v) = HeaderValue::from_str(&format!(
                "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
            )) {
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
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = session_token(&headers) {
        let _ = state.with_store(move |s| s.logout(&token)).await;
    }
    let mut resp = Redirect::to("/login").into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("hw_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"),
    );
    resp
}

fn forbidden_fieldworker() -> Response {
    (
        StatusCode::FORBIDDEN,
        page("Not for fieldworkers", "<main><p>The dashboard is for the Core Team and the CWC; fieldworkers use the field app.</p></main>"),
    )
        .into_response()
}

/// `GET /`: cases per district and block by risk, visits this month, report links.
pub async fn overview(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let user = match user(&state, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    if user.role == Role::Fieldworker {
        return forbidden_fieldworker();
    }
    let day = today();
    let month = Month::of(day);
    let u = user.clone();
    let loaded = state
        .with_store(move |s| {
            let all = s.cases(None)?;
            let cases: Vec<_> = all
                .into_iter()
                .filter(|c| {
                    let a = &c.child.address;
                    u.role == Role::Admin
                        || u.areas
                            .iter()
                            .any(|(d, b)| *d == a.district && (b.is_empty() || *b == a.block))
                })
                .collect();
            Ok((cases, s.last_sync_by_user()?))
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
    let mut activity: std::collections::BTreeMap<(String, String), [u32; 4]> =
        std::collections::BTreeMap::new();
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
        for v in &c.visits {
            let age = (day - v.date).num_days();
            if (0..28).contains(&age) {
                let week = usize::try_from(age / 7).unwrap_or(0);
                activity
                    .entry((v.by.user_id.clone(), v.by.name.clone()))
                    .or_default()[week] += 1;
            }
        }
    }
    let mut body = format!(
        "<header><span>Homeward · {} ({})</span><form method=\"post\" action=\"/logout\"><button>Log out</button></form></header><main><h1>Overview, {}</h1><table><tr><th>District</th><th>Block</th><th>Active cases</th><th>High risk</th><th>Medium</th><th>Stable</th><th>Visits in {}</th><th>Cases due a visit in {} / visited</th></tr>",
        esc(&user.name),
        user.role.key(),
        day,
        month,
        month
    );
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
#[derive(Debug, Deserialize)]
pub struct ReportQuery {
    district: String,
    month: String,
    #[serde(default = "default_format")]
    format: String,
    #[serde(default = "default_lang")]
    lang: String,
}

fn default_format() -> String {
    "pdf".into()
}

fn default_lang() -> String {
    "en".into()
}

/// `GET /reports/cwc`: the report of a district in the user's scope (else not found).
pub async fn cwc_report(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ReportQuery>,
) -> Response {
    let user = match user(&state, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    if user.role == Role::Fieldworker {
        return forbidden_fieldworker();
    }
    if !user.may_read_district(&q.district) {
        return ApiError::NotFound(format!("no report for district '{}'", q.district))
            .into_response();
    }
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
    let district = q.district.clone();
    let prepared = today();
    let result = state
        .with_store(move |s| {
            let data = report::cwc(s, &district, month)?;
            s.audit(
                &user.id,
                "report-cwc",
                None,
                Some(&format!("{district} {month} {} {lang}", q.format)),
            )?;
            match format {
                report::Format::Csv => report::csv(&data, lang),
                report::Format::Pdf => report::pdf(&report::html(&data, &district, lang, prepared)),
            }
        })
        .await;
    match result {
        Ok(bytes) => {
            let (ctype, ext) = match format {
                report::Format::Csv => ("text/csv; charset=utf-8", "csv"),
                report::Format::Pdf => ("application/pdf", "pdf"),
            };
            let name = format!(
                "cwc-{}-{month}-{lang}.{ext}",
                q.district.to_lowercase().replace(' ', "-")
            );
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
