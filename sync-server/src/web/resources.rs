//! `/resources`: the resource map of the user's areas (issue 17): the providers a family can be
//! referred to, filtered by district, block and kind, each with its kind in the page's language,
//! contact, what it offers, whom it takes and whether it still takes referrals. Staff read it;
//! supervisors (within their areas) and administrators add, change, deactivate and import.
//!
//! An import is a CSV file pasted into a text area, not a file upload: the dashboard runs no
//! script and its forms are URL-encoded (axum's multipart feature is not built), the guard
//! bounds a form to 64 KB (some hundreds of resources), and a larger file goes through
//! `homeward-sync-server resource import`. The file is checked whole before anything is stored.
//!
//! A place outside the user's areas answers 404, like a missing one. A form that does not check
//! answers 422 with the form again (what was typed kept) and the error in the page's language.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use homeward_shared::i18n::Catalogue;
use homeward_shared::model::Sex;
use homeward_shared::resource::{InvalidResource, Resource, ResourceKind};
use maud::{Markup, html};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::ApiError;
use crate::scope;
use crate::store::{Role, WebUser, parse_resources_csv, resource_age, resource_sex};
use crate::web::auth::{Staff, Supervisor};
use crate::web::html::{layout, query_value};
use crate::web::ui::Ui;

/// The page's query; every parameter may be left out or empty.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResourcesQuery {
    /// Only this district (one outside the user's areas answers 404).
    district: Option<String>,
    /// Only this block.
    block: Option<String>,
    /// Only this kind (its key: `school`, `health`, ...).
    kind: Option<String>,
    /// Show the form to change this resource (supervisors and administrators).
    edit: Option<String>,
    /// After an import: how many were added, updated and unchanged.
    #[param(value_type = Option<u32>)]
    added: Option<u32>,
    /// See `added`.
    #[param(value_type = Option<u32>)]
    updated: Option<u32>,
    /// See `added`.
    #[param(value_type = Option<u32>)]
    unchanged: Option<u32>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A resource as typed on the add or change form (every field text, checked on the server).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ResourceForm {
    /// District.
    #[serde(default)]
    district: String,
    /// Block.
    #[serde(default)]
    block: String,
    /// Kind, by key.
    #[serde(default)]
    kind: String,
    /// Name (either script).
    #[serde(default)]
    name: String,
    /// Where it is.
    #[serde(default)]
    address: String,
    /// Whom to call or ask for.
    #[serde(default)]
    contact: String,
    /// What it offers.
    #[serde(default)]
    offers: String,
    /// The youngest age it takes (empty: none).
    #[serde(default)]
    min_age: String,
    /// The oldest age it takes (empty: none).
    #[serde(default)]
    max_age: String,
    /// `f` (girls only), `m` (boys only) or empty (everyone).
    #[serde(default)]
    sex: String,
}

impl ResourceForm {
    fn of(r: &Resource) -> ResourceForm {
        ResourceForm {
            district: r.district.clone(),
            block: r.block.clone(),
            kind: r.kind.key().to_owned(),
            name: r.name.clone(),
            address: r.address.clone().unwrap_or_default(),
            contact: r.contact.clone().unwrap_or_default(),
            offers: r.offers.clone().unwrap_or_default(),
            min_age: r.min_age.map(|a| a.to_string()).unwrap_or_default(),
            max_age: r.max_age.map(|a| a.to_string()).unwrap_or_default(),
            sex: r.sex.map(|s| s.key().to_owned()).unwrap_or_default(),
        }
    }

    /// The resource typed, or the error in the page's language.
    fn resource(&self, t: &Catalogue, active: bool) -> Result<Resource, String> {
        let kind: ResourceKind = self
            .kind
            .parse()
            .map_err(|_| t.get("web-resource-error-kind"))?;
        let age = |v: &str| {
            resource_age(v).map_err(|v| t.text("web-resource-error-age", &[("value", &v)]))
        };
        let r = Resource {
            id: String::new(),
            district: self.district.trim().to_owned(),
            block: self.block.trim().to_owned(),
            kind,
            name: self.name.trim().to_owned(),
            address: Some(self.address.trim().to_owned()).filter(|s| !s.is_empty()),
            contact: Some(self.contact.trim().to_owned()).filter(|s| !s.is_empty()),
            offers: Some(self.offers.trim().to_owned()).filter(|s| !s.is_empty()),
            min_age: age(&self.min_age)?,
            max_age: age(&self.max_age)?,
            sex: resource_sex(&self.sex).map_err(|_| t.get("web-resource-error-sex"))?,
            active,
        };
        r.check().map_err(|e| invalid(t, &e))?;
        Ok(r)
    }
}

/// A refusal of [`Resource::check`] in the page's language.
fn invalid(t: &Catalogue, e: &InvalidResource) -> String {
    let field = |what: &str| t.get(&format!("web-resource-{what}"));
    match e {
        InvalidResource::Empty(what) => {
            t.text("web-resource-error-empty", &[("field", &field(what))])
        }
        InvalidResource::TooLong { what, max } => t.text(
            "web-resource-error-long",
            &[("field", &field(what)), ("max", &max.to_string())],
        ),
        InvalidResource::Ages { min, max } => t.text(
            "web-resource-error-ages",
            &[("min", &min.to_string()), ("max", &max.to_string())],
        ),
    }
}

/// Whom a resource takes, in words.
fn eligibility(t: &Catalogue, r: &Resource) -> String {
    let ages = match (r.min_age, r.max_age) {
        (Some(a), Some(b)) => Some(t.text(
            "web-resource-ages",
            &[("min", &a.to_string()), ("max", &b.to_string())],
        )),
        (Some(a), None) => Some(t.text("web-resource-age-from", &[("min", &a.to_string())])),
        (None, Some(b)) => Some(t.text("web-resource-age-to", &[("max", &b.to_string())])),
        (None, None) => None,
    };
    let sex = r.sex.map(|s| {
        t.get(if s == Sex::Female {
            "web-resource-girls"
        } else {
            "web-resource-boys"
        })
    });
    match (ages, sex) {
        (None, None) => t.get("web-resource-everyone"),
        (Some(a), None) => a,
        (None, Some(s)) => s,
        (Some(a), Some(s)) => format!("{a}, {s}"),
    }
}

/// Whether the user may change resources of (district, block).
fn edits(user: &WebUser, district: &str, block: &str) -> bool {
    matches!(user.role, Role::Supervisor | Role::Admin) && scope::covers(user, district, block)
}

/// The page's address with its filters.
fn href(district: &str, block: &str) -> String {
    format!(
        "/resources?district={}&block={}",
        query_value(district),
        query_value(block)
    )
}

/// The add or change form.
fn form(t: &Catalogue, user: &WebUser, action: &str, f: &ResourceForm, submit: &str) -> Markup {
    let mut districts: Vec<&str> = user.areas.iter().map(|(d, _)| d.as_str()).collect();
    districts.dedup();
    let blocks: Vec<&str> = user
        .areas
        .iter()
        .map(|(_, b)| b.as_str())
        .filter(|b| !b.is_empty())
        .collect();
    html! {
        form.review #resource-form method="post" action=(action) {
            label { (t.get("web-resource-district")) " "
                input name="district" list="resource-districts" required value=(f.district); }
            " "
            label { (t.get("web-resource-block")) " "
                input name="block" list="resource-blocks" required value=(f.block); }
            " "
            label { (t.get("web-resource-kind")) " " select name="kind" {
                @for k in ResourceKind::ALL {
                    option value=(k.key()) selected[f.kind == k.key()] { (t.resource_kind(*k)) }
                }
            } }
            br;
            label { (t.get("web-resource-name")) " " input name="name" size="40" required value=(f.name); }
            br;
            label { (t.get("web-resource-address")) " " input name="address" size="60" value=(f.address); }
            br;
            label { (t.get("web-resource-contact")) " " input name="contact" size="40" value=(f.contact); }
            br;
            label { (t.get("web-resource-offers")) br;
                textarea name="offers" rows="2" cols="70" { (f.offers) } }
            br;
            label { (t.get("web-resource-min-age")) " " input name="min_age" inputmode="numeric" size="4" value=(f.min_age); }
            " "
            label { (t.get("web-resource-max-age")) " " input name="max_age" inputmode="numeric" size="4" value=(f.max_age); }
            " "
            label { (t.get("web-resource-sex")) " " select name="sex" {
                option value="" { (t.get("web-resource-everyone")) }
                option value="f" selected[f.sex == "f"] { (t.get("web-resource-girls")) }
                option value="m" selected[f.sex == "m"] { (t.get("web-resource-boys")) }
            } }
            br;
            button type="submit" { (submit) }
            datalist #resource-districts { @for d in &districts { option value=(d) {} } }
            datalist #resource-blocks { @for b in &blocks { option value=(b) {} } }
        }
    }
}

/// The import form.
fn import_form(t: &Catalogue, text: &str) -> Markup {
    html! {
        form.review #resource-import method="post" action="/resources/import" {
            label { (t.get("web-resource-import-file")) br;
                textarea name="csv" rows="8" cols="90" spellcheck="false"
                    placeholder="district,block,kind,name,address,contact,offers,min_age,max_age,sex,active" { (text) }
            }
            p.hint { (t.get("web-resource-import-hint")) }
            button type="submit" { (t.get("web-resource-import")) }
        }
    }
}

/// The answer to a form that does not check: the form again with the error, 422.
fn refused(ui: &Ui, user: &WebUser, why: &str, body: Markup) -> Response {
    let t = ui.catalogue();
    let page = html! {
        main {
            h1 { (t.get("web-resources-nav")) }
            p.err role="alert" { (why) }
            (body)
            p { a href="/resources" { (t.get("web-resource-back")) } }
        }
    };
    let mut resp = layout(ui, &t, &t.get("web-resources-nav"), Some(user), page).into_response();
    *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    resp
}

/// `GET /resources`: the resource map of the user's areas.
#[utoipa::path(
    get,
    path = "/resources",
    tag = "dashboard",
    security(("session" = [])),
    params(ResourcesQuery, crate::web::ui::LangQuery),
    responses(
        (status = 200, description = "The page: the resources of the user's areas that match the filters; the forms for supervisors and administrators.", body = String, content_type = "text/html"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 400, description = "A kind that is not one, or a query that does not deserialize (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 403, description = "A fieldworker: the dashboard is not theirs (an HTML page).", body = String, content_type = "text/html"),
        (status = 404, description = "A district, or a resource to change, outside the user's areas (answered like a missing one).", body = String, content_type = "text/plain"),
    )
)]
pub async fn resources(
    State(state): State<AppState>,
    Staff(user): Staff,
    ui: Ui,
    Query(q): Query<ResourcesQuery>,
) -> Response {
    let kind = match given(&q.kind).map(str::parse::<ResourceKind>).transpose() {
        Ok(k) => k,
        Err(e) => return ApiError::BadRequest(e.to_string()).into_response(),
    };
    let district = given(&q.district).map(str::to_owned);
    if let Some(d) = &district
        && scope::area(&user, d).is_none()
    {
        return ApiError::NotFound(format!("no district '{d}'")).into_response();
    }
    let u = user.clone();
    let edit_id = given(&q.edit).map(str::to_owned);
    let loaded = state
        .with_store(move |s| {
            let all: Vec<Resource> = s
                .resources(None)?
                .into_iter()
                .filter(|r| scope::covers(&u, &r.district, &r.block))
                .collect();
            let editing = match edit_id {
                None => None,
                Some(id) => {
                    let missing = || ApiError::NotFound(format!("no resource '{id}'"));
                    let r = all.iter().find(|r| r.id == id).ok_or_else(missing)?;
                    if !edits(&u, &r.district, &r.block) {
                        return Err(missing());
                    }
                    Some(r.clone())
                }
            };
            Ok((all, editing))
        })
        .await;
    let (all, editing) = match loaded {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let block = given(&q.block);
    let mut districts: Vec<&str> = all.iter().map(|r| r.district.as_str()).collect();
    districts.dedup();
    let mut blocks: Vec<&str> = all
        .iter()
        .filter(|r| district.as_deref().is_none_or(|d| r.district == d))
        .map(|r| r.block.as_str())
        .collect();
    blocks.sort_unstable();
    blocks.dedup();
    let shown: Vec<&Resource> = all
        .iter()
        .filter(|r| district.as_deref().is_none_or(|d| r.district == d))
        .filter(|r| block.is_none_or(|b| r.block == b))
        .filter(|r| kind.is_none_or(|k| r.kind == k))
        .collect();
    let t = ui.catalogue();
    let editor = matches!(user.role, Role::Supervisor | Role::Admin);
    let chosen = |v: Option<&str>, x: &str| v == Some(x);
    let body = html! {
        main {
            h1 { (t.get("web-resources-nav")) }
            p.hint { (t.get("web-resource-hint")) }
            @if let (Some(a), Some(u), Some(n)) = (q.added, q.updated, q.unchanged) {
                p #imported role="status" { (t.text("web-resource-imported", &[
                    ("added", &a.to_string()), ("updated", &u.to_string()), ("unchanged", &n.to_string()),
                ])) }
            }
            @if let Some(r) = &editing {
                h2 { (t.text("web-resource-edit-title", &[("name", &r.name)])) }
                (form(&t, &user, &format!("/resources/{}/edit", query_value(&r.id).replace('+', "%20")), &ResourceForm::of(r), &t.get("web-resource-save")))
            }
            form.filters #resource-filters method="get" action="/resources" role="search" {
                label { (t.get("web-resource-district")) select name="district" {
                    option value="" { (t.get("web-all")) }
                    @for d in &districts { option value=(d) selected[chosen(district.as_deref(), d)] { (d) } }
                } }
                label { (t.get("web-resource-block")) select name="block" {
                    option value="" { (t.get("web-all")) }
                    @for b in &blocks { option value=(b) selected[chosen(block, b)] { (b) } }
                } }
                label { (t.get("web-resource-kind")) select name="kind" {
                    option value="" { (t.get("web-all")) }
                    @for k in ResourceKind::ALL { option value=(k.key()) selected[kind == Some(*k)] { (t.resource_kind(*k)) } }
                } }
                button type="submit" { (t.get("web-find")) }
            }
            p #count role="status" { (t.text("web-resource-count", &[("count", &shown.len().to_string())])) }
            @if !shown.is_empty() {
                table #resources {
                    tr {
                        th { (t.get("web-resource-name")) } th { (t.get("web-resource-kind")) }
                        th { (t.get("web-resource-district")) } th { (t.get("web-resource-block")) }
                        th { (t.get("web-resource-contact")) } th { (t.get("web-resource-offers")) }
                        th { (t.get("web-resource-eligibility")) } th { (t.get("web-resource-state")) }
                        @if editor { th {} }
                    }
                    @for r in &shown { (row(&t, &user, r)) }
                }
            }
            @if editor {
                details #add open[all.is_empty()] {
                    summary { (t.get("web-resource-add")) }
                    (form(&t, &user, "/resources/add", &ResourceForm {
                        district: district.clone().unwrap_or_default(),
                        block: block.unwrap_or_default().to_owned(),
                        ..ResourceForm::default()
                    }, &t.get("web-resource-add")))
                }
                details #import {
                    summary { (t.get("web-resource-import")) }
                    (import_form(&t, ""))
                }
            }
        }
    };
    layout(&ui, &t, &t.get("web-resources-nav"), Some(&user), body).into_response()
}

fn row(t: &Catalogue, user: &WebUser, r: &Resource) -> Markup {
    let id = query_value(&r.id).replace('+', "%20");
    html! {
        tr data-id=(r.id) {
            td { (r.name) @if let Some(a) = &r.address { br; span.hint { (a) } } }
            td { (t.resource_kind(r.kind)) }
            td { (r.district) }
            td { (r.block) }
            td { (r.contact.as_deref().unwrap_or("")) }
            td { (r.offers.as_deref().unwrap_or("")) }
            td { (eligibility(t, r)) }
            td { @if r.active { (t.get("web-resource-active")) } @else { span.hint { (t.get("web-resource-inactive")) } } }
            @if matches!(user.role, Role::Supervisor | Role::Admin) {
                td { @if edits(user, &r.district, &r.block) {
                    a href=(format!("{}&edit={id}", href(&r.district, &r.block))) { (t.get("web-resource-edit")) }
                    form.outcome method="post" action=(format!("/resources/{id}/active")) {
                        @if r.active {
                            input type="hidden" name="active" value="no";
                            button { (t.get("web-resource-deactivate")) }
                        } @else {
                            input type="hidden" name="active" value="yes";
                            button { (t.get("web-resource-activate")) }
                        }
                    }
                } }
            }
        }
    }
}

/// `POST /resources/add`: a supervisor (within their areas) or an administrator puts a
/// resource on the map.
#[utoipa::path(
    post,
    path = "/resources/add",
    tag = "dashboard",
    security(("session" = [])),
    request_body(content = ResourceForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Added (audited; the devices of its block receive it at their next sync): to the list of its block. Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 403, description = "Not a supervisor or administrator (an HTML page), or a form from another origin (text).", content((String = "text/html"), (String = "text/plain"))),
        (status = 404, description = "A place outside the user's areas (answered like a missing one).", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "A resource that does not check (the form again with the error; nothing stored), or form fields that do not deserialize (axum's rejection).", content((String = "text/html"), (String = "text/plain"))),
    )
)]
pub async fn add(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    ui: Ui,
    Form(f): Form<ResourceForm>,
) -> Response {
    if !edits(&user, f.district.trim(), f.block.trim()) {
        return ApiError::NotFound("no such district or block".into()).into_response();
    }
    let again = |why: &str| {
        let t = ui.catalogue();
        let body = form(&t, &user, "/resources/add", &f, &t.get("web-resource-add"));
        refused(&ui, &user, why, body)
    };
    // The catalogue is not `Send`: it is dropped before the store is awaited.
    let typed = f.resource(&ui.catalogue(), true);
    let r = match typed {
        Ok(r) => r,
        Err(why) => return again(&why),
    };
    let by = user.id.clone();
    let (d, b) = (r.district.clone(), r.block.clone());
    match state.with_store(move |s| s.add_resource(&r, &by)).await {
        Ok(_) => Redirect::to(&href(&d, &b)).into_response(),
        Err(ApiError::BadRequest(why)) => again(&why),
        Err(e) => e.into_response(),
    }
}

/// `POST /resources/{id}/edit`: a supervisor (the resource and its new place within their
/// areas) or an administrator changes a resource.
#[utoipa::path(
    post,
    path = "/resources/{id}/edit",
    tag = "dashboard",
    security(("session" = [])),
    params(("id" = String, Path, description = "The resource id.")),
    request_body(content = ResourceForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Changed (audited; the devices of its old and new block receive it at their next sync): to the list of its block. Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 400, description = "A path segment that is not UTF-8 (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 403, description = "Not a supervisor or administrator (an HTML page), or a form from another origin (text).", content((String = "text/html"), (String = "text/plain"))),
        (status = 404, description = "No such resource, or one (or a new place) outside the user's areas (answered like a missing one).", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "A resource that does not check (the form again with the error; nothing changed), or form fields that do not deserialize (axum's rejection).", content((String = "text/html"), (String = "text/plain"))),
    )
)]
pub async fn edit(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    ui: Ui,
    Path(id): Path<String>,
    Form(f): Form<ResourceForm>,
) -> Response {
    let rid = id.clone();
    let old = match state.with_store(move |s| s.resource(&rid)).await {
        Ok(r) if edits(&user, &r.district, &r.block) => r,
        Ok(_) => return ApiError::NotFound(format!("no resource '{id}'")).into_response(),
        Err(e) => return e.into_response(),
    };
    if !edits(&user, f.district.trim(), f.block.trim()) {
        return ApiError::NotFound("no such district or block".into()).into_response();
    }
    let action = format!("/resources/{}/edit", query_value(&id).replace('+', "%20"));
    let again = |why: &str| {
        let t = ui.catalogue();
        let body = form(&t, &user, &action, &f, &t.get("web-resource-save"));
        refused(&ui, &user, why, body)
    };
    let typed = f.resource(&ui.catalogue(), old.active);
    let r = match typed {
        Ok(r) => r,
        Err(why) => return again(&why),
    };
    let by = user.id.clone();
    let (d, b) = (r.district.clone(), r.block.clone());
    match state
        .with_store(move |s| s.update_resource(&id, &r, &by))
        .await
    {
        Ok(()) => Redirect::to(&href(&d, &b)).into_response(),
        Err(ApiError::BadRequest(why)) => again(&why),
        Err(e) => e.into_response(),
    }
}

/// The active form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ActiveForm {
    /// `yes`: it takes referrals again; `no`: it no longer does (it stays on the map).
    active: String,
}

/// `POST /resources/{id}/active`: a supervisor (within their areas) or an administrator sets
/// whether a resource still takes referrals.
#[utoipa::path(
    post,
    path = "/resources/{id}/active",
    tag = "dashboard",
    security(("session" = [])),
    params(("id" = String, Path, description = "The resource id.")),
    request_body(content = ActiveForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Set (audited when it changed; the devices of its block receive it at their next sync): to the list of its block. Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 400, description = "`active` neither yes nor no, or a path segment that is not UTF-8.", body = String, content_type = "text/plain"),
        (status = 403, description = "Not a supervisor or administrator (an HTML page), or a form from another origin (text).", content((String = "text/html"), (String = "text/plain"))),
        (status = 404, description = "No such resource, or one outside the user's areas (answered like a missing one).", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "Form fields that do not deserialize (axum's rejection).", body = String, content_type = "text/plain"),
    )
)]
pub async fn active(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    Path(id): Path<String>,
    Form(f): Form<ActiveForm>,
) -> Response {
    let done = state
        .with_store(move |s| {
            let r = s.resource(&id)?;
            if !edits(&user, &r.district, &r.block) {
                return Err(ApiError::NotFound(format!("no resource '{id}'")));
            }
            let active = match f.active.as_str() {
                "yes" => true,
                "no" => false,
                other => {
                    return Err(ApiError::BadRequest(format!(
                        "active is yes or no, not '{other}'"
                    )));
                }
            };
            s.set_resource_active(&id, active, &user.id)?;
            Ok(href(&r.district, &r.block))
        })
        .await;
    match done {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The import form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ImportForm {
    /// The CSV file's text: a header row (district, block, kind, name, address, contact, offers,
    /// min_age, max_age, sex, active), then one resource a row.
    csv: String,
}

/// `POST /resources/import`: a supervisor (every row within their areas) or an administrator
/// imports a CSV file: checked whole first, refused with the line of the first bad row (nothing
/// stored); a row whose district, block, kind and name are a stored resource's updates it.
#[utoipa::path(
    post,
    path = "/resources/import",
    tag = "dashboard",
    security(("session" = [])),
    request_body(content = ImportForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Imported (audited; the devices of the blocks changed receive them at their next sync): to the list, saying how many were added, updated and unchanged. Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 403, description = "Not a supervisor or administrator (an HTML page), or a form from another origin (text).", content((String = "text/html"), (String = "text/plain"))),
        (status = 413, description = "A form over 64 KB: import a larger file with `homeward-sync-server resource import`.", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "A file refused, naming the line of its first bad row or of a row outside the user's areas (the form again; nothing stored), or form fields that do not deserialize (axum's rejection).", content((String = "text/html"), (String = "text/plain"))),
    )
)]
pub async fn import(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    ui: Ui,
    Form(f): Form<ImportForm>,
) -> Response {
    let fail = |why: String| {
        let t = ui.catalogue();
        let why = t.text("web-resource-import-refused", &[("why", &why)]);
        refused(&ui, &user, &why, import_form(&t, &f.csv))
    };
    let rows = match parse_resources_csv(&f.csv) {
        Ok(rows) => rows,
        Err(e) => return fail(e.to_string()),
    };
    if let Some(r) = rows
        .iter()
        .find(|r| !edits(&user, &r.resource.district, &r.resource.block))
    {
        let why = ui.catalogue().text(
            "web-resource-import-outside",
            &[
                ("line", &r.line.to_string()),
                ("district", &r.resource.district),
                ("block", &r.resource.block),
            ],
        );
        return fail(why);
    }
    let by = user.id.clone();
    match state
        .with_store(move |s| s.import_resources(&rows, &by))
        .await
    {
        Ok(done) => Redirect::to(&format!(
            "/resources?added={}&updated={}&unchanged={}",
            done.added, done.updated, done.unchanged
        ))
        .into_response(),
        Err(ApiError::BadRequest(why)) => fail(why),
        Err(e) => e.into_response(),
    }
}
