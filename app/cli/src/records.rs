//! The verbs that record or read one case (register, visits, needs, the court case, claims,
//! documents, school, family, risk, status, moves): each one `homeward_field` call and what it
//! prints. `run` gives any other verb back to the caller.

use homeward_field::store::{self, CaseFilter, Store};
use homeward_field::{FieldError, Result};
use homeward_shared::edit::{
    Edit, NeedUpdate, NewHearing, NewIncident, NewService, NewSummons, ServiceProgress,
};
use homeward_shared::model::{Caregiver, Education, VisitKind};

use crate::args::*;
use crate::edits::*;
use crate::out;
use crate::render::*;

/// What every verb needs beside the store.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cx {
    /// Print JSON.
    pub(crate) json: bool,
    /// The language of the prompts' reasons.
    pub(crate) lang: homeward_shared::i18n::Lang,
    /// The moment of the edits.
    pub(crate) now: chrono::DateTime<chrono::Utc>,
    /// Today, for dates left out.
    pub(crate) today: chrono::NaiveDate,
}

/// Runs `verb` if it records or reads a case; gives any other verb back.
pub(crate) fn run(store: &mut Store, verb: Verb, cx: &Cx) -> Result<std::result::Result<(), Verb>> {
    let Cx {
        json,
        lang,
        now,
        today,
    } = *cx;
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
                    return Err(FieldError::BadInput(resembles(&profile, &alike)));
                }
            }
            let id = store.register(&profile, now)?;
            out(json, &serde_json::json!({ "id": id }), || {
                format!("registered {}\n{id}", profile.child.name)
            })
        }
        Verb::Case(CaseVerb::List {
            search,
            risk,
            block,
        }) => {
            if let Some(r) = &risk {
                r.parse::<homeward_shared::model::Risk>()
                    .map_err(|e| FieldError::BadInput(e.to_string()))?;
            }
            let rows = store.cases(&CaseFilter {
                search,
                risk,
                block,
            })?;
            out(json, &rows, || {
                if rows.is_empty() {
                    return "no cases".into();
                }
                rows.iter()
                    .map(|r| {
                        format!(
                            "{}  {:<22} {:<12} {:<14} {:<7} {:<11} last {:<10} next {}{}",
                            r.id,
                            r.name,
                            r.village,
                            r.block,
                            r.risk,
                            r.state,
                            r.last_visit.as_deref().unwrap_or("-"),
                            r.next_due.as_deref().unwrap_or("-"),
                            if r.conflicts > 0 {
                                format!("  ({} conflicts)", r.conflicts)
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
                show_text(
                    &view.case,
                    view.risk,
                    view.next_visit.as_ref(),
                    &view.prompts,
                    &view.conflicts,
                    day,
                    (store.programme(), lang),
                )
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
            store.edit(&id, &edit, now)?;
            out(
                json,
                &serde_json::json!({ "id": id, "assessed": needs.len() }),
                || format!("assessment saved: {} need(s)", needs.len()),
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
                return Err(FieldError::BadInput(
                    "record an assessment with `homeward assess`".into(),
                ));
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
                return Err(FieldError::BadInput(format!(
                    "case {id} has no summons '{summons}' (`homeward case show {id}` lists them)"
                )));
            }
            let visit_id = match &mut edit {
                Edit::RecordVisit { visit, .. } => {
                    visit.summons_id = summons;
                    visit.safety_checked = safety_checked;
                    visit.id.clone()
                }
                _ => String::new(),
            };
            store.edit(&id, &edit, now)?;
            out(
                json,
                &serde_json::json!({ "id": id, "visit": visit_id }),
                || format!("visit saved\n{visit_id}"),
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
            store.edit(&id, &edit, now)?;
            out(json, &serde_json::json!({ "id": id }), || {
                format!("{} set to {}", need.0, need.1)
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
            store.edit(
                &id,
                &Edit::AddSummons(NewSummons {
                    id: sid.clone(),
                    received_on,
                    hearing_on: hearing,
                    mode,
                }),
                now,
            )?;
            out(
                json,
                &serde_json::json!({ "id": id, "summons": sid }),
                || format!("summons saved: reach the family within 24 hours\n{sid}"),
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
            store.edit(
                &id,
                &Edit::AddIncident(NewIncident {
                    id: iid.clone(),
                    on: date,
                    what,
                    police_informed,
                }),
                now,
            )?;
            out(
                json,
                &serde_json::json!({ "id": id, "incident": iid }),
                || format!("incident saved\n{iid}"),
            )
        }
        Verb::Incident(IncidentVerb::Update {
            id,
            incident,
            police_informed,
        }) => {
            let id = store.resolve(&id)?;
            store.edit(
                &id,
                &Edit::UpdateIncident {
                    id: incident.clone(),
                    police_informed,
                },
                now,
            )?;
            out(
                json,
                &serde_json::json!({ "id": id, "incident": incident }),
                || "incident updated".into(),
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
                return Err(FieldError::BadInput(
                    "nothing to set: give --court, --reference, --lawyer-authorised-on or --lawyer-authorised-by".into(),
                ));
            }
            store.edit(
                &id,
                &Edit::SetLegal {
                    court_case_ref: reference,
                    court,
                    lawyer_authorised_on,
                    lawyer_authorised_by,
                },
                now,
            )?;
            out(json, &serde_json::json!({ "id": id }), || {
                "court case updated".into()
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
                return Err(FieldError::BadInput(format!(
                    "case {id} has no summons '{summons}' (`homeward case show {id}` lists them)"
                )));
            };
            let hid = store::new_id()?;
            store.edit(
                &id,
                &Edit::RecordHearing(NewHearing {
                    id: hid.clone(),
                    summons_id: summons.clone(),
                    held_on: held_on.unwrap_or(s.hearing_on),
                    result: outcome,
                    next_hearing_on: next_hearing,
                    note,
                }),
                now,
            )?;
            let next = next_hearing.map(|_| hid);
            out(
                json,
                &serde_json::json!({ "id": id, "summons": summons, "next_hearing": next }),
                || match &next {
                    Some(n) => format!("hearing outcome saved; next hearing recorded\n{n}"),
                    None => "hearing outcome saved".into(),
                },
            )
        }
        Verb::Case(CaseVerb::Status {
            id,
            state,
            reason,
            date,
        }) => {
            let id = store.resolve(&id)?;
            store.edit(
                &id,
                &Edit::SetStatus {
                    state,
                    reason,
                    since: date.unwrap_or(today),
                },
                now,
            )?;
            out(
                json,
                &serde_json::json!({ "id": id, "state": state.key() }),
                || format!("case status set to {state}"),
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
            store.edit(
                &id,
                &Edit::RequestTransfer {
                    district,
                    block,
                    village,
                    reason,
                    on: date.unwrap_or(today),
                },
                now,
            )?;
            out(json, &serde_json::json!({ "id": id }), || {
                "move requested: the supervisor decides after the next sync".into()
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
            store.edit(
                &id,
                &Edit::SetEducation(Education {
                    kind,
                    institution: name,
                    class,
                    enrolled_on,
                    attendance,
                }),
                now,
            )?;
            out(json, &serde_json::json!({ "id": id }), || {
                "education record saved".into()
            })
        }
        Verb::Family(FamilyVerb::Set {
            id,
            caregiver,
            relation,
            phone,
        }) => {
            let id = store.resolve(&id)?;
            store.edit(
                &id,
                &Edit::SetCaregiver(Caregiver {
                    name: caregiver,
                    relation,
                    phone,
                }),
                now,
            )?;
            out(json, &serde_json::json!({ "id": id }), || {
                "caregiver saved".into()
            })
        }
        Verb::Risk(verb) => {
            let (id, level, reason) = match verb {
                RiskVerb::Set { id, level, reason } => (id, Some(level), reason),
                RiskVerb::Clear { id, reason } => (id, None, reason),
            };
            let id = store.resolve(&id)?;
            store.edit(&id, &Edit::OverrideRisk { level, reason }, now)?;
            out(json, &serde_json::json!({ "id": id }), || match level {
                Some(l) => format!("risk set to {l}"),
                None => "risk override cleared".into(),
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
            store.edit(&id, &edit, now)?;
            // Allowed (a family may have applied long before), but worth a second look.
            if let (Some(applied), Some(rescued)) = (applied_on, store.case(&id)?.rescue.rescued_on)
                && applied < rescued
            {
                eprintln!(
                    "warning: applied on {applied}, before the rescue on {rescued}: check the date"
                );
            }
            out(
                json,
                &serde_json::json!({ "id": id, "service": sid }),
                || format!("service saved\n{sid}"),
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
            store.edit(&id, &edit, now)?;
            out(
                json,
                &serde_json::json!({ "id": id, "service": service }),
                || "service updated".into(),
            )
        }
        Verb::Document(DocumentVerb::Set {
            id,
            kind,
            state,
            date,
        }) => {
            let id = store.resolve(&id)?;
            store.edit(
                &id,
                &Edit::SetDocument {
                    kind,
                    state,
                    on: date.unwrap_or(today),
                },
                now,
            )?;
            out(
                json,
                &serde_json::json!({ "id": id, "document": kind, "state": state }),
                || format!("{kind} marked {state}"),
            )
        }
        other => return Ok(Err(other)),
    };
    done.map(Ok)
}
