//! `/duplicates`: the children likely registered twice in a supervisor's areas, across devices.
//!
//! A phone catches a duplicate among its own cases before registering a child
//! (`homeward_shared::duplicates::similar`); two fieldworkers who each registered the same child
//! on their own phones see nothing there. The server holds both cases, so the supervisor sees
//! every pair here, with what the two records share, opens each case to decide, and merges
//! them: the case kept receives every record of the other, which is closed as "merged into" it
//! (`Store::merge_cases`, `store/merges.rs`). Siblings that look alike are left as they are.

use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use homeward_shared::duplicates::{Fact, Likeness, similar};
use homeward_shared::i18n::Catalogue;
use homeward_shared::model::{Case, Profile};
use maud::{Markup, html};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::today;
use crate::web::auth::Supervisor;
use crate::web::html::{Notice, NoticeQuery, case_href, layout, redirect_with};
use crate::web::scoped_cases;
use crate::web::ui::Ui;

/// Every pair of active cases among `cases` that are likely one child, each pair once: the
/// index of the earlier case and how the later one resembles it. Same rule as on the phone.
pub fn likely_pairs(cases: &[Case], today: NaiveDate) -> Vec<(usize, Likeness)> {
    let active: Vec<(usize, &Case)> = cases
        .iter()
        .enumerate()
        .filter(|(_, c)| c.is_active())
        .collect();
    let mut out = Vec::new();
    for (n, (i, case)) in active.iter().enumerate() {
        let profile = Profile {
            case_id: case.id.clone(),
            child: case.child.clone(),
            rescue: case.rescue.clone(),
            legal_basis: case.legal_basis.clone(),
        };
        let later = active[n + 1..].iter().map(|(_, c)| *c);
        out.extend(similar(&profile, later, today).into_iter().map(|l| (*i, l)));
    }
    out
}

/// One case of a pair: name, case id, place, age, and what the supervisor weighs to choose the
/// case to keep (when the child returned, how many visits, the last one).
fn cell(c: &Case, day: NaiveDate, t: &Catalogue) -> Markup {
    let a = &c.child.address;
    let last = c.visits.iter().map(|v| v.date).max();
    html! {
        a href=(case_href(&c.id)) { (c.child.name) }
        " " span.hint { (t.text("web-case-n", &[("id", &c.id)])) }
        br;
        span.hint {
            (a.village) ", " (a.block) ", " (a.district)
            " · " (t.text("ui-age", &[("years", &c.age_on(day).to_string())]))
            " · " (t.text("web-dup-returned", &[("date", &t.date(c.rescue.returned_on))]))
            " · " (t.text("web-dup-visits", &[("n", &c.visits.len().to_string())]))
            @if let Some(d) = last { ", " (t.text("web-dup-last", &[("date", &t.date(d))])) }
        }
    }
}

/// What two records share, in words.
fn fact(f: Fact, t: &Catalogue) -> String {
    t.get(match f {
        Fact::Name => "ui-dup-fact-name",
        Fact::District => "ui-dup-fact-district",
        Fact::Age => "ui-dup-fact-age",
        Fact::Village => "ui-dup-fact-village",
        Fact::Caregiver => "ui-dup-fact-caregiver",
    })
}

/// The form that keeps `keep` and merges the other case into it.
fn merge_form(keep: &Case, other_id: &str, t: &Catalogue) -> Markup {
    html! {
        form.merge method="post" action="/duplicates/merge" {
            input type="hidden" name="keep" value=(keep.id);
            input type="hidden" name="other" value=(other_id);
            label { input type="checkbox" name="same" value="yes"; " " (t.get("web-dup-same-child")) }
            " " button { (t.text("web-dup-keep", &[("id", &keep.id), ("name", &keep.child.name)])) }
        }
    }
}

/// `GET /duplicates`: likely duplicate children in the user's areas, each pair with what the two
/// records share.
#[utoipa::path(
    get,
    path = "/duplicates",
    tag = "dashboard",
    security(("session" = [])),
    params(NoticeQuery, crate::web::ui::LangQuery),
    responses(
        (status = 200, description = "The page.", body = String, content_type = "text/html"),
        (status = 400, description = "A query that does not deserialize: a parameter given twice (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "Not a supervisor or administrator (an HTML page).", body = String, content_type = "text/html"),
    )
)]
pub async fn duplicates(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    ui: Ui,
    Query(q): Query<NoticeQuery>,
) -> Response {
    let u = user.clone();
    let cases = match state.read_store(move |s| scoped_cases(s, &u)).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let day = today();
    let pairs = likely_pairs(&cases, day);
    let t = ui.catalogue();
    let body = html! {
        main {
            h1 { (t.get("web-dup-title")) }
            p.hint { (t.get("web-dup-hint")) }
            (Notice::alert(q.error.as_deref(), &t))
            @if pairs.is_empty() {
                p #no-duplicates { (t.get("web-dup-none")) }
            } @else {
                table #duplicates {
                    thead { tr {
                        th { (t.get("web-child")) } th { (t.get("web-dup-same-as")) }
                        th { (t.get("web-dup-shared")) } th { (t.get("web-dup-merge")) }
                    } }
                    tbody {
                        @for (i, l) in &pairs {
                            @let a = &cases[*i];
                            @let b = cases.iter().find(|c| c.id == l.case_id);
                            tr {
                                td { (cell(a, day, &t)) }
                                td { @match b { Some(b) => (cell(b, day, &t)), None => (l.name), } }
                                td { (l.matched.iter().map(|f| fact(*f, &t)).collect::<Vec<_>>().join(", ")) }
                                td {
                                    (merge_form(a, &l.case_id, &t))
                                    @if let Some(b) = b { (merge_form(b, &a.id, &t)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    layout(&ui, &t, &t.get("web-dup-title"), Some(&user), body).into_response()
}

/// The merge form: which case stays, which is merged into it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct MergeForm {
    /// The case kept.
    keep: String,
    /// The case merged into it and closed.
    other: String,
    /// `yes`: the supervisor ticked "they are the same child" (else nothing is merged).
    #[serde(default)]
    same: String,
}

/// `POST /duplicates/merge`: merges case `other` into case `keep` (both in the user's areas),
/// then shows the kept case.
#[utoipa::path(
    post,
    path = "/duplicates/merge",
    tag = "dashboard",
    security(("session" = [])),
    request_body(content = MergeForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Merged: to the kept case's page. Not confirmed (`same` is not `yes`): back to the list with `?error=same-child-unconfirmed`, nothing merged. Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 403, description = "Not a supervisor or administrator (an HTML page).", body = String, content_type = "text/html"),
        (status = 404, description = "No such case, or a case outside the user's areas (answered alike).", body = String, content_type = "text/plain"),
        (status = 415, description = "Not a form body (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "A form that does not deserialize (axum's rejection), or a merge the cases refuse: a case into itself, a case merged into a third.", body = String, content_type = "text/plain"),
    )
)]
pub async fn merge(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    Form(form): Form<MergeForm>,
) -> Response {
    if form.same != "yes" {
        return redirect_with("/duplicates", Some(Notice::SameChildUnconfirmed));
    }
    let keep = form.keep.clone();
    match state
        .with_store(move |s| s.merge_cases(&user, &form.keep, &form.other))
        .await
    {
        Ok(_) => redirect_with(&format!("/cases/{}", path_segment(&keep)), None),
        Err(e) => e.into_response(),
    }
}

/// A case id as a path segment (ids are hex or word characters; anything else is escaped).
fn path_segment(id: &str) -> String {
    id.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
