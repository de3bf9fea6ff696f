//! `/people`: the supervisors' and administrators' actions on people and phones, which were on
//! the server's command line only: a one-time enrolment code for a fieldworker's new phone
//! (shown once), revoking a lost phone (its next contact wipes it), and for administrators
//! adding, disabling and enabling users. Who may act on whom is [`scope::manages`]: a
//! supervisor acts on the fieldworkers inside their areas, an administrator on anyone; anyone
//! else is answered 404 like a user that does not exist. Every action is in the audit log.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use homeward_shared::i18n::Catalogue;
use maud::{Markup, html};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::ApiError;
use crate::limits;
use crate::scope;
use crate::store::{DeviceRow, Role, Store, UserRow, WebUser};
use crate::web::auth::{Admin, Supervisor};
use crate::web::html::{Notice, NoticeQuery, layout, redirect_with};
use crate::web::ui::Ui;

/// What the page shows of the store: the users the actor acts on and their phones.
struct Seen {
    users: Vec<UserRow>,
    devices: Vec<DeviceRow>,
}

fn seen(s: &Store, actor: &WebUser) -> Result<Seen, ApiError> {
    let users: Vec<UserRow> = s
        .users()?
        .into_iter()
        .filter(|u| scope::manages(actor, &u.user))
        .collect();
    let devices = s
        .devices()?
        .into_iter()
        .filter(|d| users.iter().any(|u| u.user.id == d.user_id))
        .collect();
    Ok(Seen { users, devices })
}

/// The user `id` if `actor` acts on them, else not found (whether or not they exist).
fn managed(s: &Store, actor: &WebUser, id: &str) -> Result<WebUser, ApiError> {
    let not_found = || ApiError::NotFound(format!("no user '{id}'"));
    let target = s.web_user(id).map_err(|_| not_found())?;
    if scope::manages(actor, &target) {
        Ok(target)
    } else {
        Err(not_found())
    }
}

fn areas(u: &WebUser) -> String {
    u.areas
        .iter()
        .map(|(d, b)| {
            if b.is_empty() {
                d.clone()
            } else {
                format!("{d}/{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn when(at: &str) -> String {
    at.get(..16).unwrap_or(at).replace('T', " ")
}

fn render(
    ui: &Ui,
    actor: &WebUser,
    seen: &Seen,
    alert: Markup,
    code: Option<(&WebUser, &str)>,
) -> Response {
    let t = ui.catalogue();
    let admin = actor.role == Role::Admin;
    let body = html! {
        main {
            h1 { (t.get("web-nav-people")) }
            (alert)
            @if let Some((user, code)) = code {
                section #code .review {
                    h2 { (t.text("web-code-for", &[("name", &user.name)])) }
                    p { code.big { (code) } }
                    p.hint { (t.get("web-code-hint")) }
                }
            }
            h2 { (t.get("web-people")) }
            p.hint { (t.get(if admin { "web-people-hint-admin" } else { "web-people-hint-supervisor" })) }
            table #people {
                tr {
                    th { (t.get("web-name")) } th { (t.get("web-user-id")) } th { (t.get("web-role")) }
                    th { (t.get("web-areas")) } th { (t.get("web-status")) } th { (t.get("web-actions")) }
                }
                @for u in &seen.users {
                    tr {
                        td { (u.user.name) } td { (u.user.id) }
                        td { (t.get(&format!("web-role-{}", u.user.role.key()))) }
                        td { (areas(&u.user)) }
                        td { @if let Some(at) = &u.disabled_at {
                            span.high { (t.text("web-disabled-on", &[("date", &when(at))])) }
                        } @else { (t.get("web-enabled")) } }
                        td {
                            @if u.disabled_at.is_none() && u.user.role == Role::Fieldworker {
                                form.outcome method="post" action="/people/code" {
                                    input type="hidden" name="user" value=(u.user.id);
                                    button { (t.get("web-new-code")) }
                                }
                            }
                            @if admin && u.user.id != actor.id {
                                form.outcome method="post" action=(if u.disabled_at.is_some() { "/people/enable" } else { "/people/disable" }) {
                                    input type="hidden" name="user" value=(u.user.id);
                                    button { (t.get(if u.disabled_at.is_some() { "web-enable" } else { "web-disable" })) }
                                }
                            }
                        }
                    }
                }
            }
            @if seen.users.is_empty() { p { (t.get("web-no-people")) } }
            h2 { (t.get("web-devices")) }
            @if seen.devices.is_empty() {
                p { (t.get("web-no-devices")) }
            } @else {
                table #devices {
                    tr {
                        th { (t.get("web-device")) } th { (t.get("web-fieldworker")) } th { (t.get("web-enrolled")) }
                        th { (t.get("web-last-sync")) } th { (t.get("web-status")) } th { (t.get("web-actions")) }
                    }
                    @for d in &seen.devices {
                        tr {
                            td { (d.name) br; span.hint { (d.id) } }
                            td { (seen.users.iter().find(|u| u.user.id == d.user_id).map_or(d.user_id.as_str(), |u| u.user.name.as_str())) }
                            td { (when(&d.enrolled_at)) }
                            td { @if let Some(s) = &d.last_seen { (when(s)) } @else { (t.get("web-never")) } }
                            td { @if let Some(at) = &d.revoked_at {
                                span.high { (t.text("web-revoked-on", &[("date", &when(at))])) }
                            } @else { (t.get("web-in-use")) } }
                            td { @if d.revoked_at.is_none() {
                                form.outcome method="post" action="/people/revoke" {
                                    input type="hidden" name="device" value=(d.id);
                                    label { input type="checkbox" name="confirm" value="yes"; " " (t.get("web-revoke-confirm")) }
                                    button { (t.get("web-revoke")) }
                                }
                            } }
                        }
                    }
                }
            }
            @if admin { (add_form(&t)) }
        }
    };
    layout(ui, &t, &t.get("web-nav-people"), Some(actor), body).into_response()
}

fn add_form(t: &Catalogue) -> Markup {
    html! {
        h2 { (t.get("web-add-user")) }
        form.review #add-user method="post" action="/people/add" {
            label.choice { (t.get("web-name")) " " input name="name" required size="30"; }
            label.choice { (t.get("web-user-id")) " " input name="id" size="20"; " " span.hint { (t.get("web-user-id-hint")) } }
            label.choice { (t.get("web-role")) " " select name="role" {
                @for r in [Role::Fieldworker, Role::Supervisor, Role::Cwc, Role::Admin] {
                    option value=(r.key()) { (t.get(&format!("web-role-{}", r.key()))) }
                }
            } }
            label.choice { (t.get("web-areas")) br; textarea name="areas" rows="3" cols="40" {} br; span.hint { (t.get("web-areas-hint")) } }
            label.choice { (t.get("web-login-password")) " " input name="password" type="password" autocomplete="new-password" size="20"; " " span.hint { (t.get("web-password-hint")) } }
            button { (t.get("web-add-user")) }
        }
    }
}

/// `GET /people`: the users the supervisor or administrator acts on, their phones, and the
/// forms.
#[utoipa::path(
    get,
    path = "/people",
    tag = "dashboard",
    security(("session" = [])),
    params(NoticeQuery, crate::web::ui::LangQuery),
    responses(
        (status = 200, description = "The page.", body = String, content_type = "text/html"),
        (status = 400, description = "A query that does not deserialize (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "Not a supervisor or administrator (an HTML page).", body = String, content_type = "text/html"),
    )
)]
pub async fn people(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    ui: Ui,
    axum::extract::Query(q): axum::extract::Query<NoticeQuery>,
) -> Response {
    let u = user.clone();
    match state.with_store(move |s| seen(s, &u)).await {
        Ok(seen) => {
            let alert = Notice::alert(q.error.as_deref(), &ui.catalogue());
            render(&ui, &user, &seen, alert, None)
        }
        Err(e) => e.into_response(),
    }
}

/// A form naming a user.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UserForm {
    /// The user id.
    user: String,
}

/// `POST /people/code`: a one-time enrolment code for a fieldworker's phone, shown once on
/// the page that answers (valid for seven days).
#[utoipa::path(
    post,
    path = "/people/code",
    tag = "dashboard",
    security(("session" = [])),
    request_body(content = UserForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "The people page with the code (recorded in the audit log).", body = String, content_type = "text/html"),
        (status = 303, description = "Not logged in: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "Not a supervisor or administrator, or a form from another origin. (the role: an HTML page; the origin: text)", content((String = "text/html"), (String = "text/plain"))),
        (status = 404, description = "A user the supervisor does not act on (answered like a missing one).", body = String, content_type = "text/plain"),
        (status = 409, description = "A disabled user.", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "Form fields that do not deserialize: no user (axum's rejection).", body = String, content_type = "text/plain"),
    )
)]
pub async fn code(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    ui: Ui,
    Form(form): Form<UserForm>,
) -> Response {
    let u = user.clone();
    let done = state
        .with_store(move |s| {
            let target = managed(s, &u, form.user.trim())?;
            let code = s.enrolment_code(&target.id)?;
            s.audit(&u.id, "device-code", None, Some(&target.id))?;
            Ok((target, code, seen(s, &u)?))
        })
        .await;
    match done {
        Ok((target, code, seen)) => render(&ui, &user, &seen, html! {}, Some((&target, &code))),
        Err(e) => e.into_response(),
    }
}

/// The revoke form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RevokeForm {
    /// The device id.
    device: String,
    /// `yes`: the supervisor confirms that the phone will be wiped at its next contact.
    #[serde(default)]
    confirm: String,
}

/// `POST /people/revoke`: revokes a phone (its next contact wipes it; its user's dashboard
/// sessions end).
#[utoipa::path(
    post,
    path = "/people/revoke",
    tag = "dashboard",
    security(("session" = [])),
    request_body(content = RevokeForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Done (recorded in the audit log), or not confirmed: back to /people (`?error=revoke-unconfirmed`). Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 403, description = "Not a supervisor or administrator, or a form from another origin. (the role: an HTML page; the origin: text)", content((String = "text/html"), (String = "text/plain"))),
        (status = 404, description = "A device of a user the supervisor does not act on (answered like a missing one).", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "Form fields that do not deserialize: no device (axum's rejection).", body = String, content_type = "text/plain"),
    )
)]
pub async fn revoke(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    Form(form): Form<RevokeForm>,
) -> Response {
    if form.confirm != "yes" {
        return redirect_with("/people", Some(Notice::RevokeUnconfirmed));
    }
    let device = form.device.trim().to_owned();
    let done = state
        .with_store(move |s| {
            let owner = s
                .devices()?
                .into_iter()
                .find(|d| d.id == device)
                .map(|d| d.user_id)
                .ok_or_else(|| ApiError::NotFound(format!("no device '{device}'")))?;
            managed(s, &user, &owner)
                .map_err(|_| ApiError::NotFound(format!("no device '{device}'")))?;
            s.revoke(&device)?;
            s.audit(&user.id, "device-revoke", None, Some(&device))
        })
        .await;
    match done {
        Ok(()) => redirect_with("/people", None),
        Err(e) => e.into_response(),
    }
}

/// The add-user form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AddForm {
    /// The user's name.
    name: String,
    /// The user id (letters, digits, `-`); made from the name when empty.
    #[serde(default)]
    id: String,
    /// `fieldworker`, `supervisor`, `cwc` or `admin`.
    role: String,
    /// The areas, one a line: `DISTRICT` or `DISTRICT/BLOCK`.
    #[serde(default)]
    areas: String,
    /// A dashboard password (not for fieldworkers, who use the field app).
    #[serde(default)]
    #[schema(format = Password)]
    password: String,
}

/// The areas written one a line, `DISTRICT` or `DISTRICT/BLOCK`.
pub fn parse_areas(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once('/') {
            Some((d, b)) => (d.trim().to_owned(), b.trim().to_owned()),
            None => (l.to_owned(), String::new()),
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `POST /people/add`: an administrator adds a user.
#[utoipa::path(
    post,
    path = "/people/add",
    tag = "dashboard",
    security(("session" = [])),
    request_body(content = AddForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Added (recorded in the audit log): to /people. Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 403, description = "Not an administrator, or a form from another origin. (the role: an HTML page; the origin: text)", content((String = "text/html"), (String = "text/plain"))),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "Refused: a bad name, id, role or area, an id taken, a password too short; the page again with the reason. Or form fields that do not deserialize (axum's rejection).", content(
            (String = "text/html"), (String = "text/plain"))),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    Admin(user): Admin,
    ui: Ui,
    Form(form): Form<AddForm>,
) -> Response {
    let u = user.clone();
    let done = state
        .with_store(move |s| {
            let role = Role::parse(form.role.trim()).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "no role '{}': fieldworker, supervisor, cwc or admin",
                    form.role.trim()
                ))
            })?;
            let areas = parse_areas(&form.areas);
            if role != Role::Admin && areas.is_empty() {
                return Err(ApiError::BadRequest(
                    "name the user's areas: a district, or district/block, a line each".into(),
                ));
            }
            let password = Some(form.password.as_str()).filter(|p| !p.is_empty());
            if password.is_some() && role == Role::Fieldworker {
                return Err(ApiError::BadRequest(
                    "a fieldworker has no dashboard password: give them an enrolment code".into(),
                ));
            }
            if let Some(p) = password {
                limits::check("password", p, limits::PASSWORD)?;
            }
            let id = Some(form.id.trim()).filter(|i| !i.is_empty());
            let id = s.add_user_with_id(id, &form.name, role, &areas, password)?;
            s.audit(
                &u.id,
                "user-add",
                None,
                Some(&format!("{id} {}", role.key())),
            )?;
            Ok(())
        })
        .await;
    match done {
        Ok(()) => redirect_with("/people", None),
        Err(ApiError::BadRequest(m) | ApiError::Conflict(m) | ApiError::Unprocessable(m)) => {
            refused(&state, &ui, &user, &m).await
        }
        Err(e) => e.into_response(),
    }
}

/// The page again, 422, saying why.
async fn refused(state: &AppState, ui: &Ui, user: &WebUser, why: &str) -> Response {
    let u = user.clone();
    match state.with_store(move |s| seen(s, &u)).await {
        Ok(seen) => {
            let alert = html! { p.err role="alert" { (why) } };
            let mut resp = render(ui, user, &seen, alert, None);
            *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            resp
        }
        Err(e) => e.into_response(),
    }
}

/// `POST /people/disable`: an administrator disables a user (no login, enrolment or sync;
/// their phones are revoked and their sessions end).
#[utoipa::path(
    post,
    path = "/people/disable",
    tag = "dashboard",
    security(("session" = [])),
    request_body(content = UserForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Done (recorded in the audit log), or the administrator's own id (`?error=not-yourself`): to /people. Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 403, description = "Not an administrator, or a form from another origin. (the role: an HTML page; the origin: text)", content((String = "text/html"), (String = "text/plain"))),
        (status = 404, description = "No such user.", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "Form fields that do not deserialize: no user (axum's rejection).", body = String, content_type = "text/plain"),
    )
)]
pub async fn disable(
    State(state): State<AppState>,
    Admin(user): Admin,
    Form(form): Form<UserForm>,
) -> Response {
    let id = form.user.trim().to_owned();
    if id == user.id {
        return redirect_with("/people", Some(Notice::NotYourself));
    }
    match state
        .with_store(move |s| s.disable_user(&id, &user.id).map(|_| ()))
        .await
    {
        Ok(()) => redirect_with("/people", None),
        Err(e) => e.into_response(),
    }
}

/// `POST /people/enable`: an administrator enables a disabled user again (their revoked
/// phones stay revoked).
#[utoipa::path(
    post,
    path = "/people/enable",
    tag = "dashboard",
    security(("session" = [])),
    request_body(content = UserForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Done (recorded in the audit log): to /people. Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 403, description = "Not an administrator, or a form from another origin. (the role: an HTML page; the origin: text)", content((String = "text/html"), (String = "text/plain"))),
        (status = 404, description = "No such user.", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "Form fields that do not deserialize: no user (axum's rejection).", body = String, content_type = "text/plain"),
    )
)]
pub async fn enable(
    State(state): State<AppState>,
    Admin(user): Admin,
    Form(form): Form<UserForm>,
) -> Response {
    let id = form.user.trim().to_owned();
    match state
        .with_store(move |s| s.enable_user(&id, &user.id))
        .await
    {
        Ok(()) => redirect_with("/people", None),
        Err(e) => e.into_response(),
    }
}

/// The assign form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignForm {
    /// The fieldworker who follows the child from now on.
    user: String,
}

/// `POST /cases/{id}/assign`: a supervisor or administrator gives a case to a fieldworker
/// whose areas hold the child's village. A fieldworker elsewhere is refused: a child who
/// moved to another district or block moves through a move request (the Moves page), which
/// changes the case's place and its follower together.
#[utoipa::path(
    post,
    path = "/cases/{id}/assign",
    tag = "dashboard",
    security(("session" = [])),
    params(("id" = String, Path, description = "The case id.")),
    request_body(content = AssignForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Done (recorded in the audit log), or refused with a notice (`?error=assignee-outside`): back to the case. Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 400, description = "A path segment that is not UTF-8 (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 403, description = "Not a supervisor or administrator, or a form from another origin. (the role: an HTML page; the origin: text)", content((String = "text/html"), (String = "text/plain"))),
        (status = 404, description = "A case outside the user's areas, or a user they do not act on (answered like missing ones).", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "Form fields that do not deserialize: no user (axum's rejection).", body = String, content_type = "text/plain"),
    )
)]
pub async fn assign(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    axum::extract::Path(id): axum::extract::Path<String>,
    Form(form): Form<AssignForm>,
) -> Response {
    let back = crate::web::html::case_href(&id);
    let case_id = id.clone();
    let done = state
        .with_store(move |s| {
            let not_found = || ApiError::NotFound(format!("no case '{case_id}'"));
            let (district, block) = s.case_place(&case_id)?.ok_or_else(not_found)?;
            if !scope::covers(&user, &district, &block) {
                return Err(not_found());
            }
            let target = managed(s, &user, form.user.trim())?;
            if target.role != Role::Fieldworker
                || !scope::in_areas(&target.areas, &district, &block)
            {
                return Ok(false);
            }
            s.assign(&case_id, &target.id)?;
            s.audit(&user.id, "case-assign", Some(&case_id), Some(&target.id))?;
            Ok(true)
        })
        .await;
    match done {
        Ok(true) => redirect_with(&back, None),
        Ok(false) => redirect_with(&back, Some(Notice::AssigneeOutside)),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_are_read_a_line_each_as_district_or_district_and_block() {
        assert_eq!(
            parse_areas(" Gaya \n\nNawada / Rajauli\nGaya\n"),
            vec![
                ("Gaya".to_owned(), String::new()),
                ("Nawada".to_owned(), "Rajauli".to_owned())
            ]
        );
        assert!(parse_areas("  \n ").is_empty());
    }
}
