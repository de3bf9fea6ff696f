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
use homeward_shared::model::{Case, Profile};

use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::report::esc;
use crate::today;
use crate::web::auth::Supervisor;
use crate::web::html::{Notice, NoticeQuery, legacy, redirect_with};
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
/// case to keep (who registered it and when, how many visits, the last one).
fn cell(c: &Case, day: NaiveDate) -> String {
    let en = homeward_shared::i18n::Catalogue::new(homeward_shared::i18n::Lang::En);
    let a = &c.child.address;
    let last = c.visits.iter().map(|v| v.date).max();
    format!(
        "<a href=\"/cases/{id}\">{name}</a> <span class=\"hint\">case {id}</span><br><span class=\"hint\">{village}, {block}, {district} · {age} years · returned {returned} · {visits} visit(s){last}</span>",
        id = esc(&c.id),
        name = esc(&c.child.name),
        village = esc(&a.village),
        block = esc(&a.block),
        district = esc(&a.district),
        age = c.age_on(day),
        returned = esc(&en.date(c.rescue.returned_on)),
        visits = c.visits.len(),
        last = last.map_or_else(String::new, |d| format!(", last {}", esc(&en.date(d)))),
    )
}

fn fact(f: Fact) -> &'static str {
    match f {
        Fact::Name => "name",
        Fact::District => "district",
        Fact::Age => "age",
        Fact::Village => "village",
        Fact::Caregiver => "caregiver",
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
    let cases = match state.with_store(move |s| scoped_cases(s, &u)).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let day = today();
    let pairs = likely_pairs(&cases, day);
    let mut body = String::new();
    body.push_str("<main><h1>Likely duplicates</h1><p class=\"hint\">Children registered twice, perhaps by two fieldworkers: the same name (across Hindi and English spellings), district and age, and the same village or caregiver. Open both cases to decide. Merging keeps the case you choose: every visit, claim, summons, incident and document of the other is copied into it as it was recorded, and the other is closed as “merged into” it. Children who only look alike (siblings) are left as they are.</p>");
    body.push_str(&Notice::alert(q.error.as_deref(), &ui.catalogue()).into_string());
    if pairs.is_empty() {
        body.push_str("<p id=\"no-duplicates\">No likely duplicates in your areas.</p>");
    } else {
        body.push_str("<table id=\"duplicates\"><thead><tr><th>Child</th><th>Likely the same as</th><th>Shared</th><th>Merge</th></tr></thead><tbody>");
        for (i, l) in &pairs {
            let a = &cases[*i];
            let b = cases.iter().find(|c| c.id == l.case_id);
            let merge = |keep: &Case, other_id: &str| {
                format!(
                    "<form method=\"post\" action=\"/duplicates/merge\" class=\"merge\"><input type=\"hidden\" name=\"keep\" value=\"{keep_id}\"><input type=\"hidden\" name=\"other\" value=\"{other}\"><label><input type=\"checkbox\" name=\"same\" value=\"yes\"> they are the same child</label> <button>Keep case {keep_id} ({name}), merge the other into it</button></form>",
                    keep_id = esc(&keep.id),
                    other = esc(other_id),
                    name = esc(&keep.child.name),
                )
            };
            body.push_str(&format!(
                "<tr><td>{a_cell}</td><td>{b_cell}</td><td>{shared}</td><td>{merge_a}{merge_b}</td></tr>",
                a_cell = cell(a, day),
                b_cell = b.map_or_else(|| esc(&l.name), |b| cell(b, day)),
                shared = l.matched.iter().map(|f| fact(*f)).collect::<Vec<_>>().join(", "),
                merge_a = merge(a, &l.case_id),
                merge_b = b.map_or_else(String::new, |b| merge(b, &a.id)),
            ));
        }
        body.push_str("</tbody></table>");
    }
    body.push_str("</main>");
    legacy(&ui, "Likely duplicates", &user, body).into_response()
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
