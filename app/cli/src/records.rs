//! The verbs that record or read one case (register, visits, needs, the court case, claims,
//! documents, school, family, risk, status, moves): each one `homeward_field` call and what it
//! prints. `run` gives any other verb back to the caller.

use homeward_field::store::{self, CaseFilter, Store};
use homeward_shared::edit::{
    Edit, NeedUpdate, NewHearing, NewIncident, NewService, NewSummons, ServiceProgress,
};
use homeward_shared::i18n::Catalogue;
use homeward_shared::model::{Caregiver, Education, VisitKind};

use crate::args::*;
use crate::edits::*;
use crate::error::{self, Error, Result, say};
use crate::render::*;
use crate::{out, warn};

/// What every verb needs beside the store.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cx<'a> {
    /// Print JSON.
    pub(crate) json: bool,
    /// The words of everything printed for a person (and of the prompts' reasons).
    pub(crate) words: &'a Catalogue,
    /// The moment of the edits.
    pub(crate) now: chrono::DateTime<chrono::Utc>,
    /// Today, for dates left out.
    pub(crate) today: chrono::NaiveDate,
}

/// Runs `verb` if it records or reads a case; gives any other verb back.
pub(crate) fn run(store: &mut Store, verb: Verb, cx: &Cx) -> Result<std::result::Result<(), Verb>> {
    let Cx {
        json,
        words: c,
        now,
        today,
    } = *cx;
    let lang = c.lang();
    let at = (now, lang);
    let saved = |id: &str| c.get(id);
    let done: Result<()> = match verb {
        Verb::Case(CaseVerb::Add(a)) => {
            let not_duplicate = a.not_duplicate;
            let profile = profile(*a, today)?;
            if !not_duplicate {
                let alike = store.similar_children(&profile, today)?;
                if !alike.is_empty() {
                    if json {
                        out(json, &serde_json::json!({ "similar": alike }), String::new)?;
                    }
                    return Err(Error::Worded(resembles(&profile, &alike, c)));
                }
            }
            let id = error::register(store, &profile, at)?;
            out(json, &serde_json::json!({ "id": id }), || {
                let done = say(c, "cli-registered", &[("name", profile.child.name.clone())]);
                format!("{done}\n{id}")
            })
        }
        Verb::Case(CaseVerb::List {
            search,
            risk,
            block,
        }) => {
            if let Some(r) = &risk {
                r.parse::<homeward_shared::model::Risk>().map_err(|_| {
                    Error::bad(
                        "cli-err-unknown-risk",
                        vec![
                            ("value", r.clone()),
                            ("expected", "high, medium, stable".into()),
                        ],
                    )
                })?;
            }
            let rows = store.cases(&CaseFilter {
                search,
                risk,
                block,
            })?;
            out(json, &rows, || {
                if rows.is_empty() {
                    return c.get("cli-no-cases");
                }
                rows.iter()
                    .map(|r| {
                        let risk = r
                            .risk
                            .parse()
                            .map_or_else(|_| r.risk.clone(), |k| c.risk(k));
                        let state = r
                            .state
                            .parse()
                            .map_or_else(|_| r.state.clone(), |k| c.state(k));
                        format!(
                            "{}  {:<22} {:<12} {:<14} {:<7} {:<14} {:<24} {}{}",
                            r.id,
                            r.name,
                            r.village,
                            r.block,
                            risk,
                            state,
                            say(
                                c,
                                "cli-last-visit",
                                &[("date", stored_date(r.last_visit.as_deref(), c))]
                            ),
                            say(
                                c,
                                "cli-next-visit",
                                &[("date", stored_date(r.next_due.as_deref(), c))]
                            ),
                            if r.conflicts > 0 {
                                format!(
                                    "  {}",
                                    say(c, "cli-conflicts", &[("n", r.conflicts.to_string())])
                                )
                            } else {
                                String::new()
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Verb::Case(CaseVerb::Show { id, date }) => {
            let id = store.resolve(&id)?;
            let day = date.unwrap_or(today);
            let mut view = store.case_view(&id, day)?;
            store.word_prompts(view.prompts.iter_mut(), lang);
            out(json, &view, || {
                show_text(&view, day, (store.programme(), c))
            })
        }
        Verb::Assess {
            id,
            needs,
            note,
            date,
        } => {
            let id = store.resolve(&id)?;
            let edit = visit_edit(
                date.unwrap_or(today),
                VisitKind::InitialAssessment,
                None,
                &needs,
                note,
                None,
            )?;
            error::edit(store, &id, &edit, at)?;
            out(
                json,
                &serde_json::json!({ "id": id, "assessed": needs.len() }),
                || say(c, "cli-assessed", &[("n", needs.len().to_string())]),
            )
        }
        Verb::Visit(VisitVerb::Add {
            id,
            date,
            kind,
            met,
            needs,
            note,
            next_steps,
            summons,
            safety_checked,
        }) => {
            if kind == VisitKind::InitialAssessment {
                return Err(Error::bad("cli-err-assess-verb", vec![]));
            }
            let id = store.resolve(&id)?;
            let mut edit = visit_edit(date, kind, met, &needs, note, next_steps)?;
            if let Some(summons) = &summons
                && !store
                    .case(&id)?
                    .legal
                    .summonses
                    .iter()
                    .any(|s| &s.id == summons)
            {
                return Err(Error::bad(
                    "cli-err-no-summons",
                    vec![("case", id.clone()), ("summons", summons.clone())],
                ));
            }
            let visit_id = match &mut edit {
                Edit::RecordVisit { visit, .. } => {
                    visit.summons_id = summons;
                    visit.safety_checked = safety_checked;
                    visit.id.clone()
                }
                _ => String::new(),
            };
            error::edit(store, &id, &edit, at)?;
            out(
                json,
                &serde_json::json!({ "id": id, "visit": visit_id }),
                || format!("{}\n{visit_id}", saved("cli-visit-saved")),
            )
        }
        Verb::Need(NeedVerb::Set {
            id,
            need,
            note,
            date,
        }) => {
            let id = store.resolve(&id)?;
            let edit = Edit::SetNeed {
                update: NeedUpdate {
                    id: store::new_id()?,
                    dimension: need.0,
                    status: need.1,
                    note,
                },
                on: date.unwrap_or(today),
            };
            error::edit(store, &id, &edit, at)?;
            out(json, &serde_json::json!({ "id": id }), || {
                say(
                    c,
                    "cli-need-set",
                    &[
                        ("dimension", c.dimension(need.0)),
                        ("status", c.status(need.1)),
                    ],
                )
            })
        }
        Verb::Summons(SummonsVerb::Add {
            id,
            received_on,
            hearing,
            mode,
        }) => {
            let id = store.resolve(&id)?;
            let sid = store::new_id()?;
            error::edit(
                store,
                &id,
                &Edit::AddSummons(NewSummons {
                    id: sid.clone(),
                    received_on,
                    hearing_on: hearing,
                    mode,
                }),
                at,
            )?;
            out(
                json,
                &serde_json::json!({ "id": id, "summons": sid }),
                || format!("{}\n{sid}", saved("cli-summons-saved")),
            )
        }
        Verb::Incident(IncidentVerb::Add {
            id,
            date,
            what,
            police_informed,
        }) => {
            let id = store.resolve(&id)?;
            let iid = store::new_id()?;
            error::edit(
                store,
                &id,
                &Edit::AddIncident(NewIncident {
                    id: iid.clone(),
                    on: date,
                    what,
                    police_informed,
                }),
                at,
            )?;
            out(
                json,
                &serde_json::json!({ "id": id, "incident": iid }),
                || format!("{}\n{iid}", saved("cli-incident-saved")),
            )
        }
        Verb::Incident(IncidentVerb::Update {
            id,
            incident,
            police_informed,
        }) => {
            let id = store.resolve(&id)?;
            error::edit(
                store,
                &id,
                &Edit::UpdateIncident {
                    id: incident.clone(),
                    police_informed,
                },
                at,
            )?;
            out(
                json,
                &serde_json::json!({ "id": id, "incident": incident }),
                || saved("cli-incident-updated"),
            )
        }
        Verb::Legal(LegalVerb::Set {
            id,
            court,
            reference,
            lawyer_authorised_on,
            lawyer_authorised_by,
        }) => {
            let id = store.resolve(&id)?;
            if court.is_none()
                && reference.is_none()
                && lawyer_authorised_on.is_none()
                && lawyer_authorised_by.is_none()
            {
                return Err(Error::bad("cli-err-legal-nothing", vec![]));
            }
            error::edit(
                store,
                &id,
                &Edit::SetLegal {
                    court_case_ref: reference,
                    court,
                    lawyer_authorised_on,
                    lawyer_authorised_by,
                },
                at,
            )?;
            out(json, &serde_json::json!({ "id": id }), || {
                saved("cli-legal-saved")
            })
        }
        Verb::Hearing {
            id,
            summons,
            outcome,
            held_on,
            next_hearing,
            note,
        } => {
            let id = store.resolve(&id)?;
            let case = store.case(&id)?;
            let Some(s) = case.legal.summonses.iter().find(|s| s.id == summons) else {
                return Err(Error::bad(
                    "cli-err-no-summons",
                    vec![("case", id.clone()), ("summons", summons.clone())],
                ));
            };
            let hid = store::new_id()?;
            error::edit(
                store,
                &id,
                &Edit::RecordHearing(NewHearing {
                    id: hid.clone(),
                    summons_id: summons.clone(),
                    held_on: held_on.unwrap_or(s.hearing_on),
                    result: outcome,
                    next_hearing_on: next_hearing,
                    note,
                }),
                at,
            )?;
            let next = next_hearing.map(|_| hid);
            out(
                json,
                &serde_json::json!({ "id": id, "summons": summons, "next_hearing": next }),
                || match &next {
                    Some(n) => format!("{}\n{n}", saved("cli-hearing-next")),
                    None => saved("cli-hearing-saved"),
                },
            )
        }
        Verb::Case(CaseVerb::Status {
            id,
            state,
            reason,
            date,
            in_error,
        }) => {
            use homeward_shared::model::{CaseState, ClosureReason};
            let id = store.resolve(&id)?;
            error::edit(
                store,
                &id,
                &Edit::SetStatus {
                    state,
                    reason,
                    since: date.unwrap_or(today),
                    closure: (state == CaseState::Closed).then_some(if in_error {
                        ClosureReason::RegisteredInError
                    } else {
                        ClosureReason::FollowUpEnded
                    }),
                },
                at,
            )?;
            out(
                json,
                &serde_json::json!({ "id": id, "state": state.key() }),
                || say(c, "cli-status-set", &[("state", c.state(state))]),
            )
        }
        Verb::Case(CaseVerb::Move {
            id,
            district,
            block,
            village,
            reason,
            date,
        }) => {
            let id = store.resolve(&id)?;
            error::edit(
                store,
                &id,
                &Edit::RequestTransfer {
                    district,
                    block,
                    village,
                    reason,
                    on: date.unwrap_or(today),
                },
                at,
            )?;
            out(json, &serde_json::json!({ "id": id }), || {
                saved("cli-move-requested")
            })
        }
        Verb::School(SchoolVerb::Set {
            id,
            kind,
            name,
            class,
            enrolled_on,
            attendance,
        }) => {
            let id = store.resolve(&id)?;
            error::edit(
                store,
                &id,
                &Edit::SetEducation(Education {
                    kind,
                    institution: name,
                    class,
                    enrolled_on,
                    attendance,
                }),
                at,
            )?;
            out(json, &serde_json::json!({ "id": id }), || {
                saved("cli-school-saved")
            })
        }
        Verb::Family(FamilyVerb::Set {
            id,
            caregiver,
            relation,
            phone,
        }) => {
            let id = store.resolve(&id)?;
            error::edit(
                store,
                &id,
                &Edit::SetCaregiver(Caregiver {
                    name: caregiver,
                    relation,
                    phone,
                }),
                at,
            )?;
            out(json, &serde_json::json!({ "id": id }), || {
                saved("cli-family-saved")
            })
        }
        Verb::Risk(verb) => {
            let (id, level, reason) = match verb {
                RiskVerb::Set { id, level, reason } => (id, Some(level), reason),
                RiskVerb::Clear { id, reason } => (id, None, reason),
            };
            let id = store.resolve(&id)?;
            error::edit(store, &id, &Edit::OverrideRisk { level, reason }, at)?;
            out(json, &serde_json::json!({ "id": id }), || match level {
                Some(l) => say(c, "cli-risk-set", &[("risk", c.risk(l))]),
                None => saved("cli-risk-cleared"),
            })
        }
        Verb::Service(ServiceVerb::Add {
            id,
            dimension,
            scheme,
            applied_on,
            sanctioned_on,
            paid_on,
            amount,
            stuck,
        }) => {
            let id = store.resolve(&id)?;
            let sid = store::new_id()?;
            let edit = Edit::AddService(NewService {
                id: sid.clone(),
                dimension,
                scheme,
                applied_on,
                sanctioned_on,
                paid_on,
                amount,
                stuck_reason: stuck,
            });
            error::edit(store, &id, &edit, at)?;
            // Allowed (a family may have applied long before), but worth a second look.
            if let (Some(applied), Some(rescued)) = (applied_on, store.case(&id)?.rescue.rescued_on)
                && applied < rescued
            {
                warn(
                    c,
                    say(
                        c,
                        "cli-warn-before-rescue",
                        &[("applied", c.date(applied)), ("rescued", c.date(rescued))],
                    ),
                );
            }
            out(
                json,
                &serde_json::json!({ "id": id, "service": sid }),
                || format!("{}\n{sid}", saved("cli-claim-saved")),
            )
        }
        Verb::Service(ServiceVerb::Update {
            id,
            service,
            applied_on,
            sanctioned_on,
            paid_on,
            amount,
            stuck,
        }) => {
            let id = store.resolve(&id)?;
            let edit = Edit::UpdateService(ServiceProgress {
                id: service.clone(),
                applied_on,
                sanctioned_on,
                paid_on,
                amount,
                stuck_reason: stuck,
            });
            error::edit(store, &id, &edit, at)?;
            out(
                json,
                &serde_json::json!({ "id": id, "service": service }),
                || saved("cli-claim-updated"),
            )
        }
        Verb::Document(DocumentVerb::Set {
            id,
            kind,
            state,
            date,
        }) => {
            let id = store.resolve(&id)?;
            error::edit(
                store,
                &id,
                &Edit::SetDocument {
                    kind,
                    state,
                    on: date.unwrap_or(today),
                },
                at,
            )?;
            out(
                json,
                &serde_json::json!({ "id": id, "document": kind, "state": state }),
                || {
                    say(
                        c,
                        "cli-document-set",
                        &[
                            ("document", c.document(kind)),
                            ("state", c.get(&format!("ui-doc-{}", state.key()))),
                        ],
                    )
                },
            )
        }
        other => return Ok(Err(other)),
    };
    done.map(Ok)
}
