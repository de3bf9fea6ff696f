//! What travels without a network (issue 14): `export` (a case sealed to the server or to a
//! colleague's phone; `--plain` the unencrypted document, with a warning), `import` (a case
//! sealed to this phone, or a plain document) and `sms` (the urgent SMS of a summons or an
//! incident). Apart from `records.rs` because these verbs read and write files.

use std::path::Path;

use homeward_field::FieldError;
use homeward_field::store::{SealedFor, Store, UrgentProblem};
use homeward_shared::i18n::Catalogue;
use homeward_shared::seal::{self, Kind, PublicKeys};

use crate::args::*;
use crate::error::{Error, Result, say};
use crate::records::Cx;
use crate::{out, warn};

/// Runs `verb` if it is one of these; gives any other verb back.
pub(crate) fn run(store: &mut Store, verb: Verb, cx: &Cx) -> Result<std::result::Result<(), Verb>> {
    let (json, c) = (cx.json, cx.words);
    let done = match verb {
        Verb::Export {
            id,
            output,
            to,
            plain,
        } => {
            let id = store.resolve(&id)?;
            let shown = output.display().to_string();
            let (bytes, sealed_to) = if plain {
                (store.export(&id)?, None)
            } else {
                let to = to
                    .map(|t| PublicKeys::from_text(&t))
                    .transpose()
                    .map_err(FieldError::from)?;
                let entropy = homeward_field::key::random_bytes()?;
                let bytes = store.export_sealed_case(&id, to.as_ref(), entropy)?;
                let whom = match &to {
                    Some(k) => say(c, "cli-sealed-to-phone", &[("key", k.id().to_string())]),
                    None => c.get("cli-sealed-to-server"),
                };
                (bytes, Some(whom))
            };
            write_file(&output, &bytes)?;
            if plain {
                warn(
                    c,
                    say(c, "cli-warn-plain-export", &[("file", shown.clone())]),
                );
            }
            out(
                json,
                &serde_json::json!({ "id": id, "file": output, "bytes": bytes.len(), "sealed": !plain }),
                || {
                    let args = [
                        ("case", id.clone()),
                        ("file", shown.clone()),
                        ("bytes", bytes.len().to_string()),
                    ];
                    match &sealed_to {
                        None => say(c, "cli-exported", &args),
                        Some(whom) => {
                            let mut args = args.to_vec();
                            args.push(("to", whom.clone()));
                            say(c, "cli-exported-sealed", &args)
                        }
                    }
                },
            )
        }
        Verb::Import { file } => import(store, &file, json, c),
        Verb::Sms { id, record } => {
            let id = store.resolve(&id)?;
            let sms = store.urgent_sms(&id, &record)?;
            out(json, &sms, || {
                let to = match &sms.number {
                    Some(n) => say(c, "cli-sms-send-to", &[("number", n.clone())]),
                    None => c.get("cli-sms-no-number"),
                };
                let note = say(c, "cli-sms-no-name", &[("chars", sms.chars.to_string())]);
                format!("{}\n{to}\n{note}", sms.text)
            })
        }
        other => return Ok(Err(other)),
    };
    done.map(Ok)
}

/// `homeward import FILE`: a sealed file opens here only when sealed to this phone; a plain
/// document keeps the rule of this device's own changes only.
fn import(store: &mut Store, file: &Path, json: bool, c: &Catalogue) -> Result<()> {
    let shown = file.display().to_string();
    let in_file = |detail: String| {
        Error::bad(
            "cli-err-in-file",
            vec![("file", shown.clone()), ("detail", detail)],
        )
    };
    let bytes = std::fs::read(file).map_err(|e| in_file(e.to_string()))?;
    let sealed = bytes.starts_with(seal::MAGIC);
    let result = if sealed {
        let (kind, to) = store.sealed_for(&bytes)?;
        if kind != Kind::CaseExport {
            return Err(Error::bad(
                "cli-err-import-not-case",
                vec![("file", shown.clone())],
            ));
        }
        match to {
            SealedFor::ThisPhone => store.import_sealed_file(&bytes),
            SealedFor::Server => {
                return Err(Error::bad(
                    "cli-err-import-for-server",
                    vec![("file", shown.clone())],
                ));
            }
            SealedFor::Another(key) => {
                return Err(Error::bad(
                    "cli-err-import-for-another",
                    vec![("file", shown.clone()), ("key", key.to_string())],
                ));
            }
        }
    } else {
        store.import(&bytes)
    };
    let (id, new) = result.map_err(|e| match e {
        FieldError::BadInput(m) => in_file(m),
        FieldError::EditRefused(e) => in_file(crate::error::schema_error(&e, c)),
        other => other.into(),
    })?;
    out(
        json,
        &serde_json::json!({ "id": id, "new": new, "sealed": sealed }),
        || {
            let done = say(
                c,
                if new {
                    "cli-imported-new"
                } else {
                    "cli-imported-merged"
                },
                &[("case", id.clone())],
            );
            if sealed {
                format!("{done}\n{}\n{id}", c.get("cli-imported-relay"))
            } else {
                format!("{done}\n{id}")
            }
        },
    )
}

/// Writes a file whole or not at all (a temporary file renamed).
fn write_file(output: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = output.with_extension("tmp");
    std::fs::write(&tmp, bytes).map_err(|e| FieldError::Io {
        path: tmp.display().to_string(),
        source: e,
    })?;
    std::fs::rename(&tmp, output).map_err(|e| FieldError::Io {
        path: output.display().to_string(),
        source: e,
    })?;
    Ok(())
}

/// Why no urgent SMS was composed, in words.
pub(crate) fn urgent_problem(p: &UrgentProblem, c: &Catalogue) -> String {
    match p {
        UrgentProblem::NoKey => c.get("cli-err-sms-no-key"),
        UrgentProblem::UnknownRecord { case, record } => say(
            c,
            "cli-err-sms-unknown-record",
            &[("case", case.clone()), ("record", record.clone())],
        ),
        UrgentProblem::NotUrgent { case, record, what } => say(
            c,
            "cli-err-sms-not-urgent",
            &[
                ("case", case.clone()),
                ("record", record.clone()),
                ("what", (*what).to_owned()),
            ],
        ),
        UrgentProblem::Compose(e) => say(c, "cli-err-bad_input", &[("detail", e.to_string())]),
    }
}
