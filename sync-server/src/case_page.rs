//! The dashboard's read-only case page (`/cases/{id}`) for supervisors, CWC members and
//! administrators whose areas cover the case's district and block: the child, the risk in
//! force, each need's status, pending claims, visits and today's prompts. Nothing is edited
//! here (cases change through `Edit`s from devices and the conflict queue).
//!
//! A case outside the user's areas answers 404 exactly like a missing one, so scope cannot be
//! probed; every view is written to the audit log (`case-view` with the case id).

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use homeward_shared::i18n::{Catalogue, Lang};
use homeward_shared::model::{Case, Risk, ServiceStage, field_date};
use homeward_shared::programme::Programme;
use homeward_shared::prompt::{self, Priority};

use crate::AppState;
use crate::dashboard::{nav, page, staff};
use crate::error::ApiError;
use crate::report::esc;
use crate::scope::covers;
use crate::today;

/// `GET /cases/{id}`: one case, read-only, if the user's areas cover it (else not found).
/// Audited.
#[utoipa::path(
    get,
    path = "/cases/{id}",
    tag = "dashboard",
    security(("session" = [])),
    params(("id" = String, Path, description = "The case id.")),
    responses(
        (status = 200, description = "The page.", body = String, content_type = "text/html"),
        (status = 400, description = "A path segment that is not UTF-8 (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "A fieldworker: the dashboard is not theirs (an HTML page).", body = String, content_type = "text/html"),
        (status = 404, description = "No such case, or a case outside the user's areas (answered alike).", body = String, content_type = "text/plain"),
    )
)]
pub async fn case(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let user = match staff(&state, &headers).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let u = user.clone();
    let found = state
        .with_store(move |s| {
            let case = s
                .cases(None)?
                .into_iter()
                .find(|c| {
                    c.id == id && covers(&u, &c.child.address.district, &c.child.address.block)
                })
                .ok_or_else(|| ApiError::NotFound(format!("no case '{id}'")))?;
            s.audit(&u.id, "case-view", Some(&case.id), None)?;
            Ok(case)
        })
        .await;
    let case = match found {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let mut body = nav(&user);
    body.push_str(&render(&case, today()));
    page(&case.child.name, &body).into_response()
}

fn priority(p: Priority) -> &'static str {
    match p {
        Priority::Urgent => "urgent",
        Priority::High => "high",
        Priority::Normal => "normal",
    }
}

/// The page's `<main>`: the case as it stands on `day`, in English.
fn render(case: &Case, day: NaiveDate) -> String {
    let en = Catalogue::new(Lang::En);
    let programme = Programme::default();
    let a = &case.child.address;
    let mut out = format!(
        "<main><h1>{}</h1><p class=\"hint\">Case {} · read only</p><p>{}{}, {} block, {} district. Returned home on {}. {}.</p>",
        esc(&case.child.name),
        esc(&case.id),
        esc(&a.village),
        a.panchayat
            .as_deref()
            .map_or_else(String::new, |p| format!(" ({} panchayat)", esc(p))),
        esc(&a.block),
        esc(&a.district),
        esc(&en.date(case.rescue.returned_on)),
        esc(&capitalised(&en.state(case.status.state))),
    );
    if let Some(into) = &case.status.merged_into {
        out.push_str(&format!(
            "<p id=\"merged-into\" class=\"alert\">Registered twice: merged into <a href=\"/cases/{0}\">case {0}</a> on {1}, which holds this case's records now.</p>",
            esc(into),
            esc(&en.date(case.status.since)),
        ));
    }
    if !case.status.merged_from.is_empty() {
        let links: Vec<String> = case
            .status
            .merged_from
            .iter()
            .map(|m| format!("<a href=\"/cases/{0}\">case {0}</a>", esc(m)))
            .collect();
        out.push_str(&format!(
            "<p id=\"merged-from\" class=\"hint\">Also registered as {}: its records were merged into this case.</p>",
            links.join(", ")
        ));
    }
    let risk = prompt::risk(case, day, &programme);
    out.push_str(&format!(
        "<p id=\"risk\">Risk: <span class=\"{}\">{}</span>",
        if risk == Risk::High { "high" } else { "" },
        esc(&en.risk(risk))
    ));
    if let Some(o) = &case.risk_override {
        out.push_str(&format!(
            " <span class=\"hint\">(set by {}: {})</span>",
            esc(&o.by.name),
            esc(&o.reason)
        ));
    }
    if let Some(next) = prompt::next_visit(case, day, &programme) {
        out.push_str(&format!(" · next visit due {}", esc(&en.date(next.due))));
    }
    out.push_str("</p>");

    out.push_str(
        "<h2>Needs</h2><table id=\"needs\"><tr><th>Need</th><th>Status</th><th>Since</th></tr>",
    );
    for n in &case.needs {
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&en.dimension(n.dimension)),
            esc(&en.status(n.status)),
            n.status_since()
                .map_or_else(String::new, |d| esc(&en.date(d)))
        ));
    }
    out.push_str("</table>");

    out.push_str("<h2>Pending compensation and entitlements</h2>");
    let pending: Vec<_> = case
        .services
        .iter()
        .filter_map(|s| {
            let (stage, reached) = s.stage_on(day);
            (stage != ServiceStage::Paid).then(|| {
                // A claim not applied for yet has waited since it was recorded.
                let since = reached.unwrap_or_else(|| field_date(s.recorded_at));
                (s, stage, since)
            })
        })
        .collect();
    if pending.is_empty() {
        out.push_str("<p>None pending.</p>");
    } else {
        out.push_str("<table id=\"services\"><tr><th>Scheme</th><th>Need</th><th>Stage</th><th>Since</th><th>Pending</th><th>Why stuck</th></tr>");
        for (s, stage, since) in &pending {
            let days = (day - *since).num_days().max(0);
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
                esc(&programme.scheme_name(&s.scheme, "en")),
                esc(&en.dimension(s.dimension.into())),
                esc(&en.get(match stage {
                    ServiceStage::NotApplied | ServiceStage::Paid => "status-not_applied",
                    ServiceStage::Applied => "status-applied",
                    ServiceStage::Sanctioned => "status-sanctioned",
                })),
                esc(&en.date(*since)),
                esc(&en.text("ui-days-pending", &[("days", &days.to_string())])),
                esc(s.stuck_reason.as_deref().unwrap_or("")),
            ));
        }
        out.push_str("</table>");
    }

    out.push_str("<h2>Prompts today</h2>");
    let prompts = prompt::prompts(case, day, &programme);
    if prompts.is_empty() {
        out.push_str(&format!("<p>{}</p>", esc(&en.get("ui-no-prompts"))));
    } else {
        out.push_str(
            "<table id=\"prompts\"><tr><th>Priority</th><th>What</th><th>Due</th><th>Why</th></tr>",
        );
        for p in &prompts {
            out.push_str(&format!(
                "<tr><td class=\"{}\">{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                if p.priority == Priority::Urgent {
                    "high"
                } else {
                    ""
                },
                priority(p.priority),
                esc(&en.prompt(p.kind)),
                esc(&en.date(p.due)),
                esc(&p.reason)
            ));
        }
        out.push_str("</table>");
    }

    out.push_str("<h2>Visits</h2>");
    let mut visits: Vec<_> = case.visits.iter().collect();
    visits.sort_by_key(|v| std::cmp::Reverse((v.date, v.recorded_at)));
    if visits.is_empty() {
        out.push_str(&format!("<p>{}</p>", esc(&en.get("ui-none-yet"))));
    } else {
        out.push_str(
            "<table id=\"visits\"><tr><th>Date</th><th>Kind</th><th>By</th><th>Note</th></tr>",
        );
        for v in visits {
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&en.date(v.date)),
                esc(&en.get(&format!("ui-visit-{}", v.kind.key()))),
                esc(&v.by.name),
                esc(v.note.as_deref().unwrap_or(""))
            ));
        }
        out.push_str("</table>");
    }
    out.push_str("</main>");
    out
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |f| {
        f.to_uppercase().chain(chars).collect::<String>()
    })
}
