//! `GET /cases/{id}`: one case, read-only, as the phone shows it, for supervisors, CWC members
//! and administrators whose areas cover its district and block: the child and where the case
//! stands (closure and its reason, a merge, a move request waiting), the risk in force and the
//! next visit, each need with its status history, every claim with its days pending, every
//! referral with each of its steps (issue 17), the documents checklist, the court case (summonses, hearings and their outcomes, harassment),
//! today's prompts and every visit, and the urgent events reported for it by SMS (issue 14), open or
//! matched to their record. Nothing is edited here: cases change through `Edit`s from
//! devices and the supervisors' queues.
//!
//! A case outside the user's areas answers 404 exactly like a missing one, so scope cannot be
//! probed; every view is written to the audit log (`case-view` with the case id).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use homeward_shared::i18n::Catalogue;
use homeward_shared::model::{Case, CaseState, DocumentKind, DocumentState, ReferralState, Risk};
use homeward_shared::programme::Programme;
use homeward_shared::prompt::{self, Priority};
use maud::{Markup, html};

use crate::AppState;
use crate::error::ApiError;
use crate::scope::{self, covers};
use crate::store::{Role, UrgentRow};
use crate::today;
use crate::web::auth::Staff;
use crate::web::html::{Notice, NoticeQuery, case_href, layout, short_time, urgent_event};
use crate::web::ui::Ui;

/// `GET /cases/{id}`: one case, read-only, if the user's areas cover it (else not found).
/// Audited.
#[utoipa::path(
    get,
    path = "/cases/{id}",
    tag = "dashboard",
    security(("session" = [])),
    params(("id" = String, Path, description = "The case id."), NoticeQuery, crate::web::ui::LangQuery),
    responses(
        (status = 200, description = "The page.", body = String, content_type = "text/html"),
        (status = 400, description = "A path segment that is not UTF-8, or a query that does not deserialize (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "A fieldworker: the dashboard is not theirs (an HTML page).", body = String, content_type = "text/html"),
        (status = 404, description = "No such case, or a case outside the user's areas (answered alike).", body = String, content_type = "text/plain"),
    )
)]
pub async fn case(
    State(state): State<AppState>,
    Staff(user): Staff,
    ui: Ui,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Response {
    let u = user.clone();
    let found = state
        .read_store(move |s| {
            let case = s
                .case(&id)?
                .filter(|c| covers(&u, &c.child.address.district, &c.child.address.block))
                .ok_or_else(|| ApiError::NotFound(format!("no case '{id}'")))?;
            s.audit(&u.id, "case-view", Some(&case.id), None)?;
            let follower = s.assignee(&case.id)?.map(|(_, name)| name);
            let (district, block) = (&case.child.address.district, &case.child.address.block);
            // Who a supervisor may give the case to: the fieldworkers they act on who work
            // where the child lives (none for a CWC member).
            let candidates: Vec<(String, String)> = s
                .users()?
                .into_iter()
                .filter(|r| {
                    r.disabled_at.is_none()
                        && r.user.role == Role::Fieldworker
                        && scope::manages(&u, &r.user)
                        && scope::in_areas(&r.user.areas, district, block)
                })
                .map(|r| (r.user.id, r.user.name))
                .collect();
            let held = s.held_pages(&case.id)?;
            let urgent = s.urgent_items(&u, Some(&case.id))?;
            Ok((case, s.programme()?, follower, candidates, held, urgent))
        })
        .await;
    let (case, programme, follower, candidates, held, urgent) = match found {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let t = ui.catalogue();
    let assign = html! {
        (Notice::alert(q.error.as_deref(), &t))
        (urgent_items(&urgent, &t))
        p #follower {
            (t.get("web-followed-by")) ": "
            @if let Some(name) = &follower { strong { (name) } } @else { span.hint { (t.get("web-unassigned")) } }
        }
        @if case.is_active() && !candidates.is_empty() {
            form.outcome #assign method="post" action={(case_href(&case.id)) "/assign"} {
                label { (t.get("web-assign")) " " select name="user" {
                    @for (id, name) in &candidates {
                        option value=(id) selected[follower.as_deref() == Some(name.as_str())] { (name) }
                    }
                } }
                button { (t.get("web-assign-button")) }
                span.hint { (t.get("web-assign-hint")) }
            }
        }
    };
    let supervise = matches!(user.role, Role::Supervisor | Role::Admin);
    let copies = copies(&case, &held, supervise, &t);
    let body = render(&case, today(), &programme, &t, assign, copies);
    layout(&ui, &t, &case.child.name, Some(&user), body).into_response()
}

/// The urgent events reported for the case by SMS (`#urgent`, issue 14): each with who sent it
/// and when, and whether its full record has arrived.
fn urgent_items(items: &[UrgentRow], t: &Catalogue) -> Markup {
    html! {
        @if !items.is_empty() {
            div #urgent {
                h2 .high { (t.get("web-urgent")) }
                ul {
                    @for r in items {
                        li {
                            (urgent_event(t, &r.item.event)) " · " (t.get("web-urgent-sent-by")) ": "
                            (r.item.from_name) " · " (t.get("web-urgent-received")) ": "
                            (short_time(&r.item.received_at)) " · "
                            @match &r.matched_at {
                                Some(at) => span.hint { (t.text("web-urgent-matched", &[("date", &short_time(at))])) },
                                None => strong.err { (t.get("web-urgent-open")) },
                            }
                        }
                    }
                }
            }
        }
    }
}

fn priority(t: &Catalogue, p: Priority) -> String {
    t.get(match p {
        Priority::Urgent => "web-priority-urgent",
        Priority::High => "web-priority-high",
        Priority::Normal => "web-priority-normal",
    })
}

/// The case's copies of documents (`#copies`, issue 15), by the day taken: each with its
/// document, who took it when, whether it was verified or withdrawn, and its pages: an image's
/// thumbnail (the page itself, loaded lazily, audited as a view) opening the viewer, a PDF as a
/// link, a page whose bytes have not arrived as "waiting for the phone's upload". A supervisor
/// (or administrator, `supervise`) gets "Mark verified" on a standing copy not verified yet and
/// "Confirm withdrawal" on a withdrawn one not confirmed yet, each to be ticked first.
pub fn copies(
    case: &Case,
    held: &std::collections::BTreeSet<String>,
    supervise: bool,
    t: &Catalogue,
) -> Markup {
    use crate::web::html::{copy_href, page_href, viewer_href};
    use homeward_shared::model::MediaType;
    let mut copies: Vec<_> = case.attachments.iter().collect();
    copies.sort_by_key(|a| std::cmp::Reverse((a.taken_on, a.recorded_at)));
    html! {
        h2 #copies { (t.get("web-copies")) }
        @if copies.is_empty() {
            p { (t.get("web-copies-none")) }
        }
        @for a in &copies {
            @let count = a.pages.len().to_string();
            div.copy id={"copy-" (a.id)} {
                h3 {
                    (t.document(a.kind)) " · "
                    (t.text("web-copy-taken", &[("date", &t.date(a.taken_on)), ("name", &a.recorded_by.name), ("count", &count)]))
                }
                @if let Some(w) = &a.withdrawn {
                    p.err.withdrawn { (t.text("web-copy-withdrawn", &[("date", &t.date(w.on)), ("name", &w.by.name), ("reason", &w.reason)])) }
                    @if let (Some(by), Some(at)) = (&w.confirmed_by, w.confirmed_at) {
                        p.hint.confirmed { (t.text("web-copy-withdrawal-confirmed", &[("date", &t.date(homeward_shared::model::field_date(at))), ("name", &by.name)])) }
                    }
                }
                @if let Some(v) = &a.verified {
                    p.verified { (t.text("web-copy-verified", &[("date", &t.date(v.on)), ("name", &v.by.name)])) }
                }
                @if a.withdrawn.as_ref().is_none_or(|w| w.confirmed_at.is_none()) {
                    div.thumbs {
                        @for (i, p) in a.pages.iter().enumerate() {
                            @let n = (i + 1).to_string();
                            @if !held.contains(&p.hash) {
                                span.hint.waiting { (t.text("web-copy-page-waiting", &[("n", &n)])) }
                            } @else if p.media_type == MediaType::Pdf {
                                a.pdf href=(page_href(&case.id, &p.hash)) { (t.text("web-copy-pdf", &[("n", &n)])) }
                            } @else {
                                a href=(viewer_href(&case.id, &a.id, i + 1)) {
                                    img loading="lazy" src=(page_href(&case.id, &p.hash))
                                        alt=(t.text("web-copy-page-of", &[("n", &n), ("count", &count)]));
                                }
                            }
                        }
                    }
                }
                @if supervise && a.is_active() && a.verified.is_none() {
                    form.outcome.verify method="post" action={(copy_href(&case.id, &a.id)) "/verify"} {
                        label { input type="checkbox" name="confirm" value="yes"; " " (t.get("web-copy-verify-tick")) }
                        button { (t.get("web-copy-verify")) }
                    }
                }
                @if supervise && a.withdrawn.as_ref().is_some_and(|w| w.confirmed_at.is_none()) {
                    form.outcome.confirm-withdrawal method="post" action={(copy_href(&case.id, &a.id)) "/confirm-withdrawal"} {
                        label { input type="checkbox" name="confirm" value="yes"; " " (t.get("web-copy-confirm-tick")) }
                        button { (t.get("web-copy-confirm")) }
                    }
                }
            }
        }
    }
}

/// The page's `<main>`: the case as it stands on `day`.
pub fn render(
    case: &Case,
    day: NaiveDate,
    programme: &Programme,
    t: &Catalogue,
    assign: Markup,
    copies: Markup,
) -> Markup {
    let a = &case.child.address;
    let lang = t.lang().code();
    let risk = prompt::risk(case, day, programme);
    let next = case
        .is_active()
        .then(|| prompt::next_visit(case, day, programme))
        .flatten();
    let mut visits: Vec<_> = case.visits.iter().collect();
    visits.sort_by_key(|v| std::cmp::Reverse((v.date, v.recorded_at)));
    let mut summonses: Vec<_> = case.legal.summonses.iter().collect();
    summonses.sort_by_key(|s| std::cmp::Reverse((s.hearing_on, s.received_on)));
    let mut incidents: Vec<_> = case.legal.incidents.iter().collect();
    incidents.sort_by_key(|i| std::cmp::Reverse(i.on));
    let prompts = if case.is_active() {
        prompt::prompts(case, day, programme)
    } else {
        Vec::new()
    };
    html! {
        main {
            h1 { (case.child.name) }
            p.hint { (t.text("web-case-read-only", &[("id", &case.id)])) }
            @if !case.child.other_names.is_empty() {
                p { (t.get("web-other-names")) ": " (case.child.other_names.join(", ")) }
            }
            p {
                (t.text("web-case-place", &[
                    ("village", &a.village),
                    ("block", &a.block),
                    ("district", &a.district),
                ]))
                @if let Some(p) = &a.panchayat { " (" (t.text("web-panchayat", &[("name", p)])) ")" }
                ". " (t.text("web-returned-on", &[("date", &t.date(case.rescue.returned_on))])) "."
            }
            p #standing {
                (t.get("web-status")) ": " strong { (t.state(case.status.state)) }
                " · " (t.text("web-since", &[("date", &t.date(case.status.since))]))
                @if let Some(r) = &case.status.reason {
                    @if case.status.state != CaseState::Active { " · " (t.get("web-reason")) ": " (r) }
                }
            }
            (assign)
            @if let Some(into) = &case.status.merged_into {
                p #merged-into .err {
                    (t.get("web-merged-into")) " "
                    a href=(case_href(into)) { (t.text("web-case-n", &[("id", into)])) }
                    " (" (t.date(case.status.since)) ")."
                }
            }
            @if !case.status.merged_from.is_empty() {
                p #merged-from .hint {
                    (t.get("web-merged-from")) " "
                    @for (i, m) in case.status.merged_from.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href=(case_href(m)) { (t.text("web-case-n", &[("id", m)])) }
                    }
                }
            }
            @if let Some(m) = &case.status.move_request {
                p #move-request .err {
                    (t.text("ui-move-requested", &[("place", &format!("{}, {}, {}", m.village, m.block, m.district))]))
                    ". " (t.text("ui-move-requested-by", &[("date", &t.date(m.on)), ("name", &m.requested_by.name)]))
                    ": " (m.reason) " "
                    a href="/moves" { (t.get("web-decide")) }
                }
            }
            @if case.is_active() {
                p #risk {
                    (t.get("web-risk")) ": "
                    span class=[(risk == Risk::High).then_some("high")] { (t.risk(risk)) }
                    @if let Some(o) = &case.risk_override {
                        " " span.hint { "(" (t.text("ui-risk-set-by", &[("name", &o.by.name)])) ": " (o.reason) ")" }
                    }
                    @if let Some(n) = &next {
                        " · " (t.get("web-next-visit")) ": "
                        @if n.due < day { span.high { (t.due(n.due, day)) } } @else { (t.date(n.due)) }
                    }
                }
            }

            h2 { (t.get("web-needs")) }
            table #needs {
                tr { th { (t.get("web-need")) } th { (t.get("web-status")) } th { (t.get("web-since-column")) } th { (t.get("web-history")) } }
                @for n in &case.needs {
                    tr {
                        td { (t.dimension(n.dimension)) }
                        td { (t.status(n.status)) }
                        td { @if let Some(d) = n.status_since() { (t.date(d)) } }
                        td { @if !n.history.is_empty() {
                            details {
                                summary { (t.text("web-changes", &[("n", &n.history.len().to_string())])) }
                                ul { @for h in n.history.iter().rev() {
                                    li {
                                        (t.date(h.on)) ": " (t.status(h.status)) " · " (h.by.name)
                                        @if h.settles { " · " (t.get("web-settled-conflict")) }
                                        @if let Some(note) = &h.note { " · " (note) }
                                    }
                                } }
                            }
                        } }
                    }
                }
            }

            h2 { (t.get("web-claims")) }
            @if case.services.is_empty() {
                p { (t.get("ui-none-yet")) }
            } @else {
                table #services {
                    tr {
                        th { (t.get("web-scheme")) } th { (t.get("web-need")) } th { (t.get("web-stage")) }
                        th { (t.get("web-applied-on")) } th { (t.get("web-sanctioned-on")) } th { (t.get("web-paid-on")) }
                        th { (t.get("web-pending")) } th { (t.get("web-why-stuck")) }
                    }
                    @for s in &case.services {
                        @let (stage, _) = s.stage_on(day);
                        tr {
                            td { (programme.scheme_name(&s.scheme, lang)) }
                            td { (t.dimension(s.dimension.into())) }
                            td { (t.get(&format!("status-{}", stage_key(stage)))) }
                            td { @if let Some(d) = s.applied_on { (t.date(d)) } }
                            td { @if let Some(d) = s.sanctioned_on { (t.date(d)) } }
                            td { @if let Some(d) = s.paid_on { (t.date(d)) } }
                            td.n { @if let Some((_, _, days)) = s.pending_on(day) {
                                (t.text("ui-days-pending", &[("days", &days.to_string())]))
                            } }
                            td { (s.stuck_reason.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }

            h2 { (t.get("map-referrals")) }
            @if case.referrals.is_empty() {
                p { (t.get("map-case-referrals-none")) }
            } @else {
                (referrals(case, day, t))
            }

            h2 { (t.get("ui-documents")) }
            table #documents {
                tr { th { (t.get("web-document")) } th { (t.get("web-status")) } th { (t.get("web-since-column")) } }
                @for kind in DocumentKind::ALL {
                    @let entry = case.documents.get(kind);
                    @let state = case.document(*kind);
                    tr {
                        td { (t.document(*kind)) }
                        td class=[(state == DocumentState::Missing).then_some("high")] {
                            (t.get(&format!("ui-doc-{}", state.key())))
                        }
                        td { @if let Some(d) = entry.and_then(|e| e.on) { (t.date(d)) } }
                    }
                }
            }

            (copies)

            h2 { (t.get("ui-summonses")) }
            @if let Some(r) = &case.legal.court_case_ref {
                p { (t.get("web-court-case")) ": " (r) @if let Some(c) = &case.legal.court { " · " (c) } }
            }
            @if summonses.is_empty() {
                p { (t.get("ui-none-yet")) }
            } @else {
                table #summonses {
                    tr {
                        th { (t.get("ui-summons-received-on")) } th { (t.get("ui-hearing-date")) }
                        th { (t.get("ui-mode")) } th { (t.get("ui-outcome")) } th { (t.get("web-by")) }
                    }
                    @for s in &summonses {
                        tr {
                            td { (t.date(s.received_on)) }
                            td { (t.date(s.hearing_on)) }
                            td { @if let Some(m) = s.mode { (t.get(&format!("ui-mode-{}", m.key()))) } }
                            td { @if let Some(o) = &s.outcome {
                                (t.get(&format!("ui-outcome-{}", o.result.key())))
                                " (" (t.date(o.held_on)) ")"
                                @if let Some(n) = o.next_hearing_on { " · " (t.text("web-next-hearing", &[("date", &t.date(n))])) }
                                @if let Some(n) = &o.note { " · " (n) }
                            } @else if s.hearing_on < day {
                                span.high { (t.text("ui-hearing-outcome-due", &[("date", &t.date(s.hearing_on))])) }
                            } }
                            td { (s.recorded_by.name) }
                        }
                    }
                }
            }
            h2 { (t.get("ui-incidents")) }
            @if incidents.is_empty() {
                p { (t.get("web-no-incident")) }
            } @else {
                table #incidents {
                    tr { th { (t.get("ui-incident-on")) } th { (t.get("ui-incident-what")) } th { (t.get("web-police")) } th { (t.get("web-by")) } }
                    @for i in &incidents {
                        tr {
                            td { (t.date(i.on)) }
                            td { (i.what) }
                            td { (t.get(if i.police_informed { "ui-police-informed" } else { "ui-police-not-informed" })) }
                            td { (i.recorded_by.name) }
                        }
                    }
                }
            }

            h2 { (t.get("web-prompts-today")) }
            @if prompts.is_empty() {
                p { (t.get("ui-no-prompts")) }
            } @else {
                table #prompts {
                    tr { th { (t.get("web-priority")) } th { (t.get("web-what")) } th { (t.get("web-due")) } th { (t.get("web-why")) } }
                    @for p in &prompts {
                        tr {
                            td class=[(p.priority == Priority::Urgent).then_some("high")] { (priority(t, p.priority)) }
                            td { (t.prompt(p.kind)) }
                            td { (t.date(p.due)) }
                            td { (t.reason(&p.why, programme)) }
                        }
                    }
                }
            }

            h2 { (t.get("web-visits")) }
            @if visits.is_empty() {
                p { (t.get("ui-none-yet")) }
            } @else {
                table #visits {
                    tr { th { (t.get("web-date")) } th { (t.get("ui-visit-kind")) } th { (t.get("web-by")) } th { (t.get("ui-met")) } th { (t.get("ui-note")) } }
                    @for v in &visits {
                        tr {
                            td { (t.date(v.date)) }
                            td { (t.get(&format!("ui-visit-{}", v.kind.key()))) }
                            td { (v.by.name) }
                            td { (v.met.as_deref().unwrap_or("")) }
                            td { (v.note.as_deref().unwrap_or("")) }
                        }
                    }
                }
            }
        }
    }
}

fn stage_key(stage: homeward_shared::model::ServiceStage) -> &'static str {
    use homeward_shared::model::ServiceStage;
    match stage {
        ServiceStage::NotApplied => "not_applied",
        ServiceStage::Applied => "applied",
        ServiceStage::Sanctioned => "sanctioned",
        ServiceStage::Paid => "paid",
    }
}

/// The case's referrals (`#referrals`), latest first: the provider, its kind, the need, the day
/// referred, where it stands on `day`, and every step (the referral itself, then each answer)
/// with its day, who recorded it and its note.
fn referrals(case: &Case, day: NaiveDate, t: &Catalogue) -> Markup {
    let mut referrals: Vec<_> = case.referrals.iter().collect();
    referrals.sort_by_key(|r| std::cmp::Reverse((r.on, r.recorded_at)));
    html! {
        table #referrals {
            tr {
                th { (t.get("map-col-provider")) } th { (t.get("map-col-kind")) } th { (t.get("web-need")) }
                th { (t.get("map-col-referred-on")) } th { (t.get("map-col-state-now")) } th { (t.get("map-col-steps")) }
            }
            @for r in &referrals {
                @let (state, since) = r.state_on(day);
                tr {
                    td { (r.resource_name) }
                    td { (t.resource_kind(r.resource_kind)) }
                    td { (t.dimension(r.dimension)) }
                    td { (t.date(r.on)) }
                    td class=[(!state.is_open() && state != ReferralState::Served).then_some("high")] {
                        (t.referral_state(state)) " (" (t.text("web-since", &[("date", &t.date(since))])) ")"
                    }
                    td { ul {
                        li {
                            (t.date(r.on)) ": " (t.referral_state(ReferralState::Referred)) " · " (r.recorded_by.name)
                            @if let Some(note) = &r.note { " · " (note) }
                        }
                        @for s in &r.steps {
                            li {
                                (t.date(s.on)) ": " (t.referral_state(s.state)) " · " (s.recorded_by.name)
                                @if let Some(note) = &s.note { " · " (note) }
                            }
                        }
                    } }
                }
            }
        }
    }
}
