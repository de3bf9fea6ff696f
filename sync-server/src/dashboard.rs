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

/// The query of a page with forms (conflicts, reviews).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NoticeQuery {
    /// A notice to show after a refused form, by its code (an unknown code shows nothing).
    pub(crate) error: Option<String>,
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
    /// A merge asked for without ticking "they are the same child".
    SameChildUnconfirmed,
    /// A month's spot checks drawn before the month is over.
    MonthNotOver,
}

impl Notice {
    /// Every notice.
    pub const ALL: [Notice; 12] = [
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
        Notice::SameChildUnconfirmed,
        Notice::MonthNotOver,
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
            Notice::SameChildUnconfirmed => "same-child-unconfirmed",
            Notice::MonthNotOver => "month-not-over",
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
            Notice::MonthNotOver => {
                "this month is not over: its sample is drawn from the first day \
                 of the next month, so that every visit of the month can be sampled"
                    .into()
            }
            Notice::SameChildUnconfirmed => "nothing was merged: tick “they are the same child” \
                 once you have checked both cases (siblings look alike too)"
                .into(),
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
