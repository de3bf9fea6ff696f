//! Each verb: open the store, do one thing through `homeward_field`, print it.

use homeward_field::FieldError;
use homeward_field::keystore::Keystore;
use homeward_field::store::{self, Store};
use homeward_shared::edit::Edit;
use homeward_shared::i18n::Catalogue;
use homeward_shared::model::Author;
use std::io::Write;

use crate::args::*;
use crate::attachments;
use crate::bundles;
use crate::error::{Error, Result, say};
use crate::offline;
use crate::records;
use crate::render::*;
use crate::resources;
use crate::{data_dir, out, pin, warn, warn_weak_keystore};

/// Runs the verb of `cli`; everything it prints for a person is in `c`'s words.
pub(crate) fn run(cli: Cli, c: &Catalogue) -> Result<()> {
    let dir = data_dir(&cli)?;
    let json = cli.json;
    let lang = c.lang();
    let shown = dir.display().to_string();
    let programme = cli.programme.clone();
    let verb = match cli.verb {
        Verb::Init { user_id, user } => {
            let pin = pin("HOMEWARD_PIN", "cli-pin-new", c)?;
            let author = Author {
                user_id,
                name: user,
            };
            let keystore = Keystore::from_env()?;
            Store::init(&dir, &keystore, &pin, &author)?;
            warn_weak_keystore(&keystore, c);
            return out(
                json,
                &serde_json::json!({ "data": dir, "user": author }),
                || say(c, "cli-init", &[("dir", shown.clone())]),
            );
        }
        Verb::Enrol {
            server,
            code,
            name,
            phone,
        } => {
            let pin = pin("HOMEWARD_PIN", "ui-pin", c)?;
            let keystore = Keystore::from_env()?;
            let allow_http = homeward_field::sync::allow_http_from_env();
            // The address is checked before a store is made for it.
            homeward_field::sync::server_url(&server, allow_http)?;
            let mut store = homeward_field::sync::open_or_create(&dir, &keystore, &pin)?;
            let e = homeward_field::sync::enrol_store_with_phone(
                &mut store,
                &server,
                &code,
                &name,
                phone.as_deref(),
                allow_http,
            )?;
            warn_weak_keystore(&keystore, c);
            return out(
                json,
                &serde_json::json!({ "device_id": e.device_id, "user_id": e.user_id, "user_name": e.user_name }),
                || {
                    say(
                        c,
                        "cli-enrolled",
                        &[
                            ("device", e.device_id.to_string()),
                            ("name", e.user_name.clone()),
                            ("user", e.user_id.clone()),
                        ],
                    )
                },
            );
        }
        other => other,
    };
    let keystore = Keystore::from_env()?;
    let mut store = Store::open(&dir, &keystore, &pin("HOMEWARD_PIN", "ui-pin", c)?)?;
    // The programme in force: the server's once a sync brought it (every phone then uses the
    // dashboard's thresholds), else the file given here, else the defaults. A change of it
    // recomputes the prompts.
    if let Some(path) = &programme {
        let file = store::programme_file(path)?;
        if let store::ProgrammeSource::Server { version } = store.set_programme(file)? {
            warn(
                c,
                say(
                    c,
                    "cli-programme-not-used",
                    &[
                        ("file", path.display().to_string()),
                        ("version", version.to_string()),
                    ],
                ),
            );
        }
    }
    let now = store::now();
    let today = store::today();
    let cx = records::Cx {
        json,
        words: c,
        now,
        today,
    };
    // The verbs that record or read a case; the rest (sync, devices, files) are below.
    let verb = match records::run(&mut store, verb, &cx)? {
        Ok(()) => return Ok(()),
        Err(other) => other,
    };
    // The resource map and referrals.
    let verb = match resources::run(&mut store, verb, &cx)? {
        Ok(()) => return Ok(()),
        Err(other) => other,
    };
    // Copies of documents.
    let verb = match attachments::run(&mut store, verb, &cx)? {
        Ok(()) => return Ok(()),
        Err(other) => other,
    };
    // Bundles, files received by hand, the relay queue and the keys.
    let verb = match bundles::run(&mut store, verb, &cx)? {
        Ok(()) => return Ok(()),
        Err(other) => other,
    };
    // Sealed case files and urgent SMS.
    let verb = match offline::run(&mut store, verb, &cx)? {
        Ok(()) => return Ok(()),
        Err(other) => other,
    };
    match verb {
        Verb::Init { .. } => Err(FieldError::AlreadyInitialised(shown).into()),
        Verb::Enrol { .. } => unreachable!("enrol is handled before the store opens"),
        Verb::Sync {
            server,
            budget,
            retries,
            retry_refused,
            resend,
            attachment_budget,
        } => {
            if retry_refused {
                let n = store.retry_refused()?;
                eprintln!("{}", say(c, "cli-sync-retry", &[("n", n.to_string())]));
            }
            if resend {
                let n = store.resend_confirmed()?;
                eprintln!("{}", say(c, "cli-sync-resend", &[("n", n.to_string())]));
            }
            let opts = homeward_field::sync::SyncOptions {
                server,
                allow_http: homeward_field::sync::allow_http_from_env(),
                budget,
                retries,
                attachment_budget,
                ..homeward_field::sync::SyncOptions::default()
            };
            let mut progress = |r: &homeward_field::sync::Round| {
                if r.more || r.number > 1 {
                    let round = say(
                        c,
                        "cli-sync-round",
                        &[
                            ("round", r.number.to_string()),
                            ("up", r.pushed.to_string()),
                            ("sent", r.sent_bytes.to_string()),
                            ("documents", r.applied.documents.to_string()),
                            ("changes", r.applied.changes.to_string()),
                            ("received", r.received_bytes.to_string()),
                        ],
                    );
                    if r.more {
                        eprintln!("{round}{}", c.get("cli-sync-more"));
                    } else {
                        eprintln!("{round}");
                    }
                }
            };
            let before = store.programme_source();
            let mut chunks = |_: &homeward_field::attachments_sync::ChunkSent| {};
            match homeward_field::sync::sync_with_pages(
                &mut store,
                &opts,
                &mut progress,
                &mut chunks,
            )? {
                homeward_field::sync::Outcome::Synced(r) => {
                    if let Some(why) = store.programme_refused()? {
                        warn(c, say(c, "cli-programme-refused", &[("reason", why)]));
                    } else if let store::ProgrammeSource::Server { version } =
                        store.programme_source()
                        && store.programme_source() != before
                    {
                        eprintln!(
                            "{}",
                            say(c, "cli-programme-now", &[("version", version.to_string())])
                        );
                    }
                    // Every change still set aside, refused in this sync or before.
                    for (case, n, reason) in store.refused()? {
                        warn(
                            c,
                            say(
                                c,
                                "cli-sync-refused",
                                &[("n", n.to_string()), ("case", case), ("reason", reason)],
                            ),
                        );
                    }
                    for (page, reason) in &r.attachments_skipped {
                        warn(
                            c,
                            say(
                                c,
                                "cli-sync-page-skipped",
                                &[("page", page.clone()), ("reason", reason.clone())],
                            ),
                        );
                    }
                    out(json, &r, || {
                        let synced = say(
                            c,
                            "cli-synced",
                            &[
                                ("rounds", r.rounds.to_string()),
                                ("confirmed", r.confirmed.to_string()),
                                ("sent", r.sent_bytes.to_string()),
                                ("documents", r.documents.to_string()),
                                ("changes", r.changes.to_string()),
                                ("received", r.received_bytes.to_string()),
                                ("dropped", r.dropped.to_string()),
                            ],
                        );
                        let copies = say(
                            c,
                            "cli-sync-copies",
                            &[
                                ("pages", r.attachment_pages_sent.to_string()),
                                ("sent", r.attachment_bytes_sent.to_string()),
                                ("waiting", r.attachments_waiting.bytes.to_string()),
                                ("waiting_pages", r.attachments_waiting.pages.to_string()),
                            ],
                        );
                        let mut lines = bundles::relayed_lines(&r, c);
                        lines.push(synced);
                        lines.push(copies);
                        lines.join("\n")
                    })
                }
                homeward_field::sync::Outcome::Revoked => {
                    // A verified revocation: what the server lacked is in the sealed leftover.
                    let leftover = store.leftover()?;
                    store.wipe()?;
                    let msg = match &leftover {
                        Some(l) => say(
                            c,
                            "cli-revoked-leftover",
                            &[
                                ("changes", l.changes.to_string()),
                                ("outcomes", l.outcomes.to_string()),
                                ("pages", l.pages.to_string()),
                                ("file", l.path.clone()),
                                ("dir", shown.clone()),
                            ],
                        ),
                        None => say(c, "cli-revoked-wiped", &[("dir", shown.clone())]),
                    };
                    out(
                        json,
                        &serde_json::json!({ "revoked": true, "wiped": true, "leftover": leftover }),
                        || msg.clone(),
                    )?;
                    Err(Error::failed("cli-err-revoked-wiped", vec![]))
                }
                homeward_field::sync::Outcome::RevokedKept { changes, outcomes } => {
                    let msg = say(
                        c,
                        "cli-revoked-kept",
                        &[
                            ("changes", changes.to_string()),
                            ("outcomes", outcomes.to_string()),
                            ("dir", shown.clone()),
                        ],
                    );
                    out(
                        json,
                        &serde_json::json!({ "revoked": true, "wiped": false, "kept_changes": changes, "kept_outcomes": outcomes }),
                        || msg.clone(),
                    )?;
                    Err(Error::failed("cli-err-revoked-kept", vec![]))
                }
            }
        }
        Verb::Today { date } => {
            let day = date.unwrap_or(today);
            let mut prompts = store.today(day)?;
            store.word_prompts(prompts.iter_mut().map(|p| &mut p.prompt), lang);
            let suggested = if json {
                Vec::new()
            } else {
                resources::suggestions(&store, &prompts, day)?
            };
            out(json, &prompts, || today_text(&prompts, &suggested, day, c))
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
                            let line = say(
                                c,
                                "cli-demo-visit",
                                &[("case", id.clone()), ("visit", visit.id.clone())],
                            );
                            let _ = writeln!(stdout, "{line}");
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
                    say(
                        c,
                        "cli-demo-done",
                        &[
                            ("cases", load.cases.len().to_string()),
                            ("visits", visits.to_string()),
                        ],
                    )
                },
            )
        }
        Verb::SentBack => {
            let notes = store.reference()?.map(|r| r.sent_back).unwrap_or_default();
            out(json, &notes, || {
                if notes.is_empty() {
                    return c.get("cli-sent-back-none");
                }
                notes
                    .iter()
                    .map(|n| {
                        let subject = match n.subject.as_str() {
                            "assessment" => c.get("cli-subject-assessment"),
                            "closure" => c.get("cli-subject-closure"),
                            other => other.to_owned(),
                        };
                        say(
                            c,
                            "cli-sent-back",
                            &[
                                ("case", n.case_id.clone()),
                                ("subject", subject),
                                ("by", n.by.clone()),
                                ("comment", n.comment.clone()),
                            ],
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
                || say(c, "cli-spot-recorded", &[("id", id.clone())]),
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
            out(json, &tasks, || {
                if tasks.is_empty() {
                    return c.get("cli-spot-none");
                }
                tasks
                    .iter()
                    .map(|t| {
                        let why = if t.anomalies.is_empty() {
                            c.get("spot-random")
                        } else {
                            t.anomalies
                                .iter()
                                .map(|a| c.anomaly(a))
                                .collect::<Vec<_>>()
                                .join("; ")
                        };
                        say(
                            c,
                            "cli-spot-row",
                            &[
                                ("id", t.id.clone()),
                                ("date", stored_date(Some(&t.visit_date), c)),
                                ("child", t.child_name.clone()),
                                ("village", t.village.clone()),
                                ("block", t.block.clone()),
                                ("by", t.fieldworker_name.clone()),
                                ("why", why),
                            ],
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Verb::Urgent => {
            let items = store.reference()?.map(|r| r.urgent).unwrap_or_default();
            out(json, &items, || {
                if items.is_empty() {
                    return c.get("cli-urgent-none");
                }
                items
                    .iter()
                    .map(|i| urgent_row(i, c))
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
                        say(
                            c,
                            "cli-verify-ok",
                            &[("cases", cases.to_string()), ("visits", visits.to_string())],
                        )
                    } else {
                        problems.join("\n")
                    }
                },
            )?;
            if problems.is_empty() {
                Ok(())
            } else {
                Err(Error::failed(
                    "cli-err-verify",
                    vec![("n", problems.len().to_string())],
                ))
            }
        }
        Verb::Pin(PinVerb::Change) => {
            let new_pin = pin("HOMEWARD_NEW_PIN", "cli-pin-new", c)?;
            store.change_pin(&new_pin)?;
            out(json, &serde_json::json!({ "changed": true }), || {
                c.get("ui-pin-changed")
            })
        }
        handled => unreachable!("records::run handles {handled:?}"),
    }
}

/// One urgent item that came by SMS, in words.
fn urgent_row(i: &homeward_shared::wire::UrgentItem, c: &Catalogue) -> String {
    use homeward_shared::sms::UrgentEvent;
    // The moment in India's time, as people there read a clock.
    let at = chrono::DateTime::parse_from_rfc3339(&i.received_at)
        .ok()
        .zip(chrono::FixedOffset::east_opt(
            homeward_shared::model::FIELD_UTC_OFFSET_SECONDS,
        ))
        .map(|(t, tz)| {
            let local = t.with_timezone(&tz);
            format!("{} {}", c.date(local.date_naive()), local.format("%H:%M"))
        })
        .unwrap_or_else(|| i.received_at.clone());
    let common = [
        ("case", i.case_id.clone()),
        ("child", i.child_name.clone()),
        ("by", i.from_name.clone()),
        ("at", at),
    ];
    match &i.event {
        UrgentEvent::Summons {
            received_on,
            hearing_on,
        } => {
            let mut args = common.to_vec();
            args.push(("received", c.date(*received_on)));
            args.push(("hearing", c.date(*hearing_on)));
            say(c, "cli-urgent-summons", &args)
        }
        UrgentEvent::Incident {
            on,
            police_informed,
        } => {
            let mut args = common.to_vec();
            args.push(("on", c.date(*on)));
            args.push((
                "police",
                c.get(if *police_informed {
                    "cli-urgent-police-yes"
                } else {
                    "cli-urgent-police-no"
                }),
            ));
            say(c, "cli-urgent-incident", &args)
        }
    }
}
