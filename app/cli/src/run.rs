//! Each verb: open the store, do one thing through `homeward_field`, print it.

use homeward_field::keystore::Keystore;
use homeward_field::store::{self, Store};
use homeward_field::{FieldError, Result};
use homeward_shared::edit::Edit;
use homeward_shared::model::Author;
use std::io::Write;

use crate::args::*;
use crate::records;
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
    let cx = records::Cx {
        json,
        lang,
        now,
        today,
    };
    // The verbs that record or read a case; the rest (sync, devices, files) are below.
    let verb = match records::run(&mut store, verb, &cx)? {
        Ok(()) => return Ok(()),
        Err(other) => other,
    };
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
        handled => unreachable!("records::run handles {handled:?}"),
    }
}
