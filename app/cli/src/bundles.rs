//! Sync with no network on the command line (issue 14): `bundle export` (this device's
//! unconfirmed work as a file sealed to the server), `receive` (the server's file for this
//! phone, or a colleague's file to pass on), `relay` (the files waiting to go to the server)
//! and `keys` (this device's public key and the server keys it trusts). Apart from `records.rs`
//! because these verbs read and write files.

use std::path::Path;

use homeward_field::FieldError;
use homeward_field::store::{Received, RelayItem, Store};
use homeward_shared::i18n::Catalogue;

use crate::args::*;
use crate::error::{Error, Result, say};
use crate::out;
use crate::records::Cx;

/// Runs `verb` if it is one of these; gives any other verb back.
pub(crate) fn run(store: &mut Store, verb: Verb, cx: &Cx) -> Result<std::result::Result<(), Verb>> {
    let (json, c) = (cx.json, cx.words);
    let done = match verb {
        Verb::Bundle(BundleVerb::Export { output }) => export(store, &output, json, c),
        Verb::Receive { file } => receive(store, &file, json, c),
        Verb::Relay { verb } => relay(store, verb, json, c),
        Verb::Keys => keys(store, json, c),
        other => return Ok(Err(other)),
    };
    done.map(Ok)
}

fn export(store: &mut Store, output: &Path, json: bool, c: &Catalogue) -> Result<()> {
    let entropy = homeward_field::key::random_bytes()?;
    let shown = output.display().to_string();
    let Some(b) = store.export_bundle(entropy)? else {
        return out(
            json,
            &serde_json::json!({ "file": null, "changes": 0 }),
            || c.get("cli-bundle-nothing"),
        );
    };
    write_file(output, &b.sealed)?;
    out(
        json,
        &serde_json::json!({
            "file": output, "seq": b.seq, "cases": b.cases, "changes": b.changes,
            "outcomes": b.outcomes, "pages": b.pages, "bytes": b.bytes,
        }),
        || {
            say(
                c,
                "cli-bundle-made",
                &[
                    ("seq", b.seq.to_string()),
                    ("file", shown.clone()),
                    ("changes", b.changes.to_string()),
                    ("cases", b.cases.to_string()),
                    ("outcomes", b.outcomes.to_string()),
                    ("pages", b.pages.to_string()),
                    ("bytes", b.bytes.to_string()),
                ],
            )
        },
    )
}

fn receive(store: &mut Store, file: &Path, json: bool, c: &Catalogue) -> Result<()> {
    let shown = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| {
        Error::bad(
            "cli-err-in-file",
            vec![("file", shown.clone()), ("detail", e.to_string())],
        )
    })?;
    let got = store.receive(&bytes)?;
    out(json, &got, || match &got {
        Received::Applied {
            documents,
            changes,
            confirmed,
        } => say(
            c,
            "cli-received-applied",
            &[
                ("documents", documents.to_string()),
                ("changes", changes.to_string()),
                ("confirmed", confirmed.to_string()),
            ],
        ),
        Received::KeptForRelay { kind, id } => say(
            c,
            "cli-received-kept",
            &[("kind", kind.clone()), ("id", short(id))],
        ),
        Received::CaseImported { case, new } => {
            let done = say(
                c,
                if *new {
                    "cli-imported-new"
                } else {
                    "cli-imported-merged"
                },
                &[("case", case.clone())],
            );
            format!("{done}\n{case}")
        }
        Received::AlreadyHeld { kind, id } => say(
            c,
            "cli-received-already",
            &[("kind", kind.clone()), ("id", short(id))],
        ),
    })
}

fn relay(store: &mut Store, verb: Option<RelayVerb>, json: bool, c: &Catalogue) -> Result<()> {
    match verb.unwrap_or(RelayVerb::List) {
        RelayVerb::List => {
            let items = store.relay_list()?;
            out(json, &items, || {
                if items.is_empty() {
                    return c.get("cli-relay-none");
                }
                items
                    .iter()
                    .map(|i| relay_row(i, c))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        RelayVerb::Drop { id } => {
            let gone = store.relay_drop(&id)?;
            out(json, &gone, || {
                say(
                    c,
                    "cli-relay-dropped",
                    &[("id", short(&gone.id)), ("kind", gone.kind.clone())],
                )
            })
        }
    }
}

fn relay_row(i: &RelayItem, c: &Catalogue) -> String {
    let mut args = vec![
        ("id", short(&i.id)),
        ("kind", i.kind.clone()),
        ("at", i.received_at.clone()),
        ("bytes", i.bytes.to_string()),
    ];
    match &i.refused {
        None => say(c, "cli-relay-row", &args),
        Some(reason) => {
            args.push(("reason", reason.clone()));
            say(c, "cli-relay-row-refused", &args)
        }
    }
}

fn keys(store: &Store, json: bool, c: &Catalogue) -> Result<()> {
    let device = store.meta("device_id")?;
    let text = store.public_key_text()?;
    let id = store.device_keys()?.map(|k| k.public().id().to_string());
    let server = store.trusted_server_keys()?;
    out(
        json,
        &serde_json::json!({
            "device": device, "key": text, "key_id": id,
            "server_keys": server.iter().map(|k| serde_json::json!({
                "id": k.id().to_string(), "since": k.since, "key": k.key.to_text(),
            })).collect::<Vec<_>>(),
        }),
        || {
            let mut lines = vec![match (&text, &id) {
                (Some(text), Some(id)) => say(
                    c,
                    "cli-keys-device",
                    &[
                        ("device", device.clone().unwrap_or_else(|| "-".into())),
                        ("id", id.clone()),
                        ("text", text.clone()),
                    ],
                ),
                _ => c.get("cli-keys-none"),
            }];
            if server.is_empty() {
                lines.push(c.get("cli-keys-no-server"));
            }
            for k in &server {
                lines.push(say(
                    c,
                    "cli-keys-server",
                    &[("id", k.id().to_string()), ("since", k.since.clone())],
                ));
            }
            lines.join("\n")
        },
    )
}

/// The start of a file's id, enough to name it (`relay drop` takes it).
pub(crate) fn short(id: &str) -> String {
    id.chars().take(12).collect()
}

/// Writes a file whole: a temporary file beside it, then renamed into place.
fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(|e| FieldError::Io {
        path: tmp.display().to_string(),
        source: e,
    })?;
    std::fs::rename(&tmp, path).map_err(|e| FieldError::Io {
        path: path.display().to_string(),
        source: e,
    })?;
    Ok(())
}

/// The sync's lines about the sealed files it passed on: taken by the server, or refused.
pub(crate) fn relayed_lines(r: &homeward_field::sync::SyncReport, c: &Catalogue) -> Vec<String> {
    let mut lines = Vec::new();
    for x in &r.relayed {
        lines.push(say(
            c,
            if x.already {
                "cli-sync-relayed-already"
            } else {
                "cli-sync-relayed"
            },
            &[
                ("id", short(&x.id)),
                ("kind", x.kind.clone()),
                ("device", x.device.clone()),
                ("user", x.user_name.clone()),
                ("changes", x.changes.to_string()),
                ("pages", x.pages.to_string()),
            ],
        ));
        // A case the server refused in that file: nothing of it was stored.
        for (case, reason) in &x.refused {
            lines.push(say(
                c,
                "cli-sync-relayed-case-refused",
                &[("case", case.clone()), ("reason", reason.clone())],
            ));
        }
    }
    for (id, reason) in &r.relay_refused {
        lines.push(say(
            c,
            "cli-sync-relay-refused",
            &[("id", short(id)), ("reason", reason.clone())],
        ));
    }
    lines
}
