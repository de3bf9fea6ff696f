//! Each verb: open the store, do one thing through `homeward_field`, print it.

use homeward_field::keystore::Keystore;
use homeward_field::store::{self, CaseFilter, Store};
use homeward_field::{FieldError, Result};
use homeward_shared::edit::{
    Edit, NeedUpdate, NewHearing, NewIncident, NewService, NewSummons, ServiceProgress,
};
use homeward_shared::model::{Author, Caregiver, Education, VisitKind};
use std::io::Write;

use crate::args::*;
use crate::edits::*;
use crate::render::*;
use crate::{data_dir, out, pin, warn_weak_keystore};

pub(crate) fn run(cli: Cli) -> Result<()> {
    let dir = data_dir(&cli)?;
    let json = cli.json;
    let lang = cli
        .lang
        .or_else(|| homeward_field::settings::chosen_lang(&dir))
        .unwrap_or(homeward_shared::i18n::Lang::En);
    let programme = cli.programme.clone();
    let verb = match cli.verb {
        Verb::Init { user_id, user } => {
            let pin = pin("HOMEWARD_PIN", "New PIN (at least 6 digits): ")?;
            let author = Author {
                user_id,
                name: user,
            };
            let keystore = Keystore::from_env()?;
            Store::init(&dir, &keystore, &pin, &author)?;
            warn_weak_keystore(&keystore);
            return out(
                json,
                &serde_json::json!({ "data": dir, "user": author }),
                || format!("created an encrypted store in {}", dir.display()),
            );
        }
        Verb::Enrol { server, code, name } => {
            let pin = pin("HOMEWARD_PIN", "PIN: ")?;
            let keystore = Keystore::from_env()?;
            let e = homeward_field::sync::enrol(
                &dir,
                &keystore,
                &pin,
                &server,
                &code,
                &name,
                homeward_field::sync::allow_http_from_env(),
            )?;
            warn_weak_keystore(&keystore);
            return out(
                json,
                &serde_json::json!({ "device_id": e.device_id, "user_id": e.user_id, "user_name": e.user_name }),
                || {
                    format!(
                        "enrolled as device {} for {} ({}); run `homeward sync`",
                        e.device_id, e.user_name, e.user_id
                    )
                },
            );
        }
        other => other,
    };
    let keystore = Keystore::from_env()?;
    let mut store = Store::open(&dir, &keystore, &pin("HOMEWARD_PIN", "PIN: ")?)?;
    // The programme in force; a change of it (or back to the defaults) recomputes the prompts.
    let programme = match &programme {
        Some(path) => store::programme_file(path)?,
        None => homeward_shared::programme::Programme::default(),
    };
    store.set_programme(programme)?;
    let now = store::now();
    let today = store::today();
    match verb {
        Verb::Init { .. } => Err(FieldError::AlreadyInitialised(dir.display().to_string())),
        Verb::Enrol { .. } => Err(FieldError::BadInput(
            "enrol is handled before the store opens".into(),
        )),
        Verb::Sync {
            server,
            budget,
            retries,
            retry_refused,
        } => {
            if retry_refused {
                let n = store.retry_refused()?;
                eprintln!("{n} refused changes put back to push");
            }
            let opts = homeward_field::sync::SyncOptions {
                server,
                allow_http: homeward_field::sync::allow_http_from_env(),
                budget,
                retries,
                ..homeward_field::sync::SyncOptions::default()
            };
            let mut progress = |r: &homeward_field::sync::Round| {
                if r.more || r.number > 1 {
                    eprintln!(
                        "round {}: up {} changes ({} bytes), down {} documents and {} changes ({} bytes){}",
                        r.number,
                        r.pushed,
                        r.sent_bytes,
                        r.applied.documents,
                        r.applied.changes,
                        r.received_bytes,
                        if r.more { ", more to come" } else { "" }
                    );
                }
            };
            match homeward_field::sync::sync(&mut store, &opts, &mut progress)? {
                homeward_field::sync::Outcome::Synced(r) => {
                    // Every change still set aside, refused in this sync or before.
                    for (case, n, reason) in store.refused()? {
                        eprintln!(
                            "warning: the server refused {n} changes to case {case} ({reason}); they stay on this device, set aside (`homeward sync --retry-refused` pushes them again)"
                        );
                    }
                    out(json, &r, || {
                        format!(
                            "synced in {} round(s): up {} changes confirmed ({} bytes sent); down {} documents and {} changes ({} bytes); {} cases removed",
                            r.rounds,
                            r.confirmed,
                            r.sent_bytes,
                            r.documents,
                            r.changes,
                            r.received_bytes,
                            r.dropped
                        )
                    })
                }
                homeward_field::sync::Outcome::Revoked => {
                    store.wipe()?;
                    let msg = format!(
                        "this device was revoked by the administrator: its local store in {} has been wiped; ask for a new enrolment code",
                        dir.display()
                    );
                    out(
                        json,
                        &serde_json::json!({ "revoked": true, "wiped": true }),
                        || msg.clone(),
                    )?;
                    Err(FieldError::Refused(
                        "device revoked; local store wiped".into(),
                    ))
                }
                homeward_field::sync::Outcome::RevokedKept { changes, outcomes } => {
                    let msg = format!(
                        "the server says this device was revoked, but {changes} changes and {outcomes} spot-check outcomes made here never reached it: the store in {} is kept, not wiped, and no longer syncs; show this device to your supervisor",
                        dir.display()
                    );
                    out(
                        json,
                        &serde_json::json!({ "revoked": true, "wiped": false, "kept_changes": changes, "kept_outcomes": outcomes }),
                        || msg.clone(),
                    )?;
                    Err(FieldError::Refused(
                        "device revoked; unconfirmed work kept on this device".into(),
                    ))
                }
            }
        }
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
        Verb::Today { date } => {
            let day = date.unwrap_or(today);
            let mut prompts = store.today(day)?;
            store.word_prompts(prompts.iter_mut().map(|p| &mut p.prompt), lang);
            out(json, &prompts, || today_text(&prompts, day))
        }
        Verb::Export { id, output } => {
            let id = store.resolve(&id)?;
            let bytes = store.export(&id)?;
            let tmp = output.with_extension("tmp");
            std::fs::write(&tmp, &bytes).map_err(|e| FieldError::Io {
                path: tmp.display().to_string(),
                source: e,
            })?;
            std::fs::rename(&tmp, &output).map_err(|e| FieldError::Io {
                path: output.display().to_string(),
                source: e,
            })?;
            out(
                json,
                &serde_json::json!({ "id": id, "file": output, "bytes": bytes.len() }),
                || {
                    format!(
                        "exported case {id} to {} ({} bytes)",
                        output.display(),
                        bytes.len()
                    )
                },
            )
        }
        Verb::Import { file } => {
            let bytes = std::fs::read(&file)
                .map_err(|e| FieldError::BadInput(format!("{}: {e}", file.display())))?;
            let (id, new) = store.import(&bytes).map_err(|e| match e {
                FieldError::BadInput(m) => FieldError::BadInput(format!("{}: {m}", file.display())),
                other => other,
            })?;
            out(json, &serde_json::json!({ "id": id, "new": new }), || {
                format!(
                    "{} case {id}\n{id}",
                    if new { "imported new" } else { "merged into" }
                )
            })
        }
        Verb::Demo {
            cases,
            seed,
            months,
            per_edit,
        } => {
            let load = homeward_shared::synth::caseload(homeward_shared::synth::Options {
                seed,
                cases,
                until: today,
                months,
            });
            let mut visits = 0;
            let mut stdout = std::io::stdout().lock();
            // An enrolled device signs every edit as its own user (the server refuses a change
            // signed as anyone else); an unenrolled store keeps the synthetic authors.
            let me = store
                .meta("device_id")?
                .map(|_| store.author())
                .transpose()?;
            let cases: Vec<_> = load
                .cases
                .iter()
                .cloned()
                .map(|mut sc| {
                    if let Some(me) = &me {
                        sc.registered.author = me.clone();
                        for (ctx, _) in &mut sc.edits {
                            ctx.author = me.clone();
                        }
                    }
                    sc
                })
                .collect();
            for sc in &cases {
                if per_edit {
                    let id = store.register_as(&sc.profile, &sc.registered)?;
                    for (ctx, edit) in &sc.edits {
                        store.edit_as(&id, edit, ctx)?;
                        if let Edit::RecordVisit { visit, .. } = edit {
                            visits += 1;
                            // Printed only once the visit's transaction has committed.
                            let _ = writeln!(stdout, "saved visit {id} {}", visit.id);
                            let _ = stdout.flush();
                        }
                    }
                } else {
                    store.add_synthetic(sc)?;
                    visits += sc
                        .edits
                        .iter()
                        .filter(|(_, e)| matches!(e, Edit::RecordVisit { .. }))
                        .count();
                }
            }
            drop(stdout);
            out(
                json,
                &serde_json::json!({ "cases": load.cases.len(), "visits": visits }),
                || {
                    format!(
                        "added {} synthetic cases with {visits} visits",
                        load.cases.len()
                    )
                },
            )
        }
        Verb::SentBack => {
            let notes = store.reference()?.map(|r| r.sent_back).unwrap_or_default();
            out(json, &notes, || {
                if notes.is_empty() {
                    return "nothing was sent back".to_owned();
                }
                notes
                    .iter()
                    .map(|n| {
                        format!(
                            "{}  {} sent back by {}: {}",
                            n.case_id, n.subject, n.by, n.comment
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Verb::SpotCheck { id, outcome, note } => {
            let outcome = homeward_field::store::outcome(&outcome)?;
            store.record_spot_check(&id, outcome, &note, now)?;
            out(
                json,
                &serde_json::json!({ "id": id, "recorded": true }),
                || format!("spot check {id} recorded on this phone; it is sent at the next sync"),
            )
        }
        Verb::SpotChecks => {
            let recorded = store.local_outcomes()?;
            let tasks: Vec<_> = store
                .reference()?
                .map(|r| r.spot_checks)
                .unwrap_or_default()
                .into_iter()
                .filter(|t| !recorded.iter().any(|o| o.id == t.id && o.refused.is_none()))
                .collect();
            let en = homeward_shared::i18n::Catalogue::new(homeward_shared::i18n::Lang::En);
            out(json, &tasks, || {
                if tasks.is_empty() {
                    return "no spot checks to make (they arrive with the sync, for supervisors)"
                        .to_owned();
                }
                tasks
                    .iter()
                    .map(|t| {
                        let why = if t.anomalies.is_empty() {
                            en.get("spot-random")
                        } else {
                            t.anomalies
                                .iter()
                                .map(|a| en.anomaly(a))
                                .collect::<Vec<_>>()
                                .join("; ")
                        };
                        format!(
                            "{}  {}  {} ({}, {}), visit by {}: {}",
                            t.id,
                            t.visit_date,
                            t.child_name,
                            t.village,
                            t.block,
                            t.fieldworker_name,
                            why
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Verb::Verify => {
            let problems = store.verify()?;
            let (cases, _, visits) = store.counts()?;
            out(
                json,
                &serde_json::json!({ "cases": cases, "visits": visits, "problems": problems }),
                || {
                    if problems.is_empty() {
                        format!("ok: {cases} cases and {visits} visits, documents and tables agree")
                    } else {
                        problems.join("\n")
                    }
                },
            )?;
            if problems.is_empty() {
                Ok(())
            } else {
                Err(FieldError::Damaged {
                    id: "(several)".into(),
                    source: homeward_shared::schema::SchemaError::Corrupt(format!(
                        "{} problems",
                        problems.len()
                    )),
                })
            }
        }
        Verb::Pin(PinVerb::Change) => {
            let new_pin = pin("HOMEWARD_NEW_PIN", "New PIN (at least 6 digits): ")?;
            store.change_pin(&new_pin)?;
            out(json, &serde_json::json!({ "changed": true }), || {
                "PIN changed".into()
            })
        }
    }
}
