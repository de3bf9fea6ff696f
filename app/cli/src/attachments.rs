//! Copies of the checklist's documents on the command line (issue 15): `attach` (photos or a
//! PDF, one file a page, reduced and stored encrypted), `attachments` (a case's copies, synced
//! or waiting), `attachment get` (the pages written out, fetched from the server first when this
//! phone does not hold them) and `attachment withdraw`. Apart from `records.rs` because these
//! verbs read and write files and may reach the server.

use std::path::{Path, PathBuf};

use homeward_field::FieldError;
use homeward_field::attachments_sync::{self, PageFetched};
use homeward_field::store::{AttachmentView, Store};
use homeward_field::sync::SyncOptions;
use homeward_shared::i18n::Catalogue;
use homeward_shared::model::Attachment;

use crate::args::*;
use crate::error::{self, Error, Result, say};
use crate::out;
use crate::records::Cx;

/// Runs `verb` if it is one of the copies'; gives any other verb back.
pub(crate) fn run(store: &mut Store, verb: Verb, cx: &Cx) -> Result<std::result::Result<(), Verb>> {
    let Cx {
        json,
        words: c,
        today,
        ..
    } = *cx;
    let lang = c.lang();
    let done: Result<()> = match verb {
        Verb::Attach {
            id,
            kind,
            files,
            date,
        } => {
            let id = store.resolve(&id)?;
            let mut pages = Vec::with_capacity(files.len());
            for f in &files {
                pages.push(std::fs::read(f).map_err(|e| {
                    Error::bad(
                        "cli-err-in-file",
                        vec![("file", f.display().to_string()), ("detail", e.to_string())],
                    )
                })?);
            }
            let copy = store
                .attach(&id, kind, pages, date.unwrap_or(today))
                .map_err(|e| error::refused(store, e, lang))?;
            out(json, &copy, || {
                let done = say(
                    c,
                    "cli-attached",
                    &[
                        ("document", c.document(kind)),
                        ("pages", copy.pages.len().to_string()),
                        ("kb", kb(copy.size())),
                    ],
                );
                format!("{done}\n{}", copy.id)
            })
        }
        Verb::Attachments { id } => {
            let id = store.resolve(&id)?;
            let copies = store.attachments(&id)?;
            out(json, &copies, || {
                if copies.is_empty() {
                    return c.get("cli-attachments-none");
                }
                copies
                    .iter()
                    .map(|v| copy_line(v, c))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Verb::Attachment(AttachmentVerb::Get {
            attachment_id,
            output,
            page,
        }) => {
            let (_, copy) = store.resolve_attachment(&attachment_id)?;
            if let Some(w) = &copy.withdrawn {
                // Its pages left this phone, and leave the server once confirmed.
                return Err(Error::bad(
                    "cli-err-attachment-withdrawn",
                    vec![("id", copy.id.clone()), ("date", c.date(w.on))],
                ));
            }
            let wanted: Vec<usize> = match page {
                Some(0) => {
                    return Err(FieldError::NoSuchPage {
                        attachment: copy.id.clone(),
                        page: 0,
                        pages: copy.pages.len(),
                    }
                    .into());
                }
                Some(n) if n > copy.pages.len() => {
                    return Err(FieldError::NoSuchPage {
                        attachment: copy.id.clone(),
                        page: n,
                        pages: copy.pages.len(),
                    }
                    .into());
                }
                Some(n) => vec![n - 1],
                None => (0..copy.pages.len()).collect(),
            };
            let missing = wanted
                .iter()
                .any(|&i| !matches!(store.attachment_page(&copy.id, i), Ok(Some(_))));
            if missing {
                fetch(store, &copy, c)?;
            }
            let mut written = Vec::with_capacity(wanted.len());
            for (n, &i) in wanted.iter().enumerate() {
                let (_, bytes) =
                    store
                        .attachment_page(&copy.id, i)?
                        .ok_or_else(|| FieldError::NotOnServer {
                            attachment: copy.id.clone(),
                            page: i + 1,
                        })?;
                let path = page_path(&output, n + 1);
                write_file(&path, &bytes)?;
                written.push(path);
            }
            out(
                json,
                &serde_json::json!({ "id": copy.id, "files": written }),
                || {
                    written
                        .iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join("\n")
                },
            )
        }
        Verb::Attachment(AttachmentVerb::Withdraw {
            attachment_id,
            reason,
            date,
        }) => {
            let (case_id, copy) = store.resolve_attachment(&attachment_id)?;
            store
                .withdraw_attachment(&case_id, &copy.id, &reason, date.unwrap_or(today))
                .map_err(|e| error::refused(store, e, lang))?;
            out(
                json,
                &serde_json::json!({ "id": copy.id, "case": case_id, "withdrawn": true }),
                || {
                    say(
                        c,
                        "cli-attachment-withdrawn",
                        &[("id", copy.id.clone()), ("document", c.document(copy.kind))],
                    )
                },
            )
        }
        other => return Ok(Err(other)),
    };
    done.map(Ok)
}

/// Fetches the pages of a copy this phone does not hold, saying on stderr how far it got.
fn fetch(store: &mut Store, copy: &Attachment, c: &Catalogue) -> Result<()> {
    let opts = SyncOptions {
        allow_http: homeward_field::sync::allow_http_from_env(),
        ..SyncOptions::default()
    };
    let mut said = (0usize, 0u64);
    let mut progress = |p: &PageFetched| {
        // One line per page start and per 64 KB or so: enough to see it move over 2G.
        if said.0 != p.page || p.received >= said.1 + 64 * 1024 || p.received == p.size {
            said = (p.page, p.received);
            eprintln!(
                "{}",
                say(
                    c,
                    "cli-attachment-fetching",
                    &[
                        ("page", p.page.to_string()),
                        ("pages", p.pages.to_string()),
                        ("kb", kb(p.received)),
                        ("size", kb(p.size)),
                    ],
                )
            );
        }
    };
    attachments_sync::fetch_attachment(store, &copy.id, &opts, &mut progress)?;
    Ok(())
}

/// Where page `n` (from 1) of a copy goes: the file given for the first, and beside it the same
/// name with `-2`, `-3`... before the extension for the others.
pub(crate) fn page_path(output: &Path, n: usize) -> PathBuf {
    if n <= 1 {
        return output.to_owned();
    }
    let stem = output
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match output.extension() {
        Some(ext) => format!("{stem}-{n}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{n}"),
    };
    output.with_file_name(name)
}

/// Writes a file whole: a temporary file beside it, renamed into place.
fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            FieldError::Io {
                path: path.display().to_string(),
                source: e,
            }
            .into()
        })
}

/// Kilobytes, rounded up, as the programme file counts them.
pub(crate) fn kb(bytes: u64) -> String {
    bytes.div_ceil(1024).to_string()
}

/// One copy on one line: id, document, pages, size, and where it stands.
fn copy_line(v: &AttachmentView, c: &Catalogue) -> String {
    let a = &v.attachment;
    let state = if let Some(w) = &a.withdrawn {
        say(
            c,
            "cli-attachment-state-withdrawn",
            &[("date", c.date(w.on)), ("reason", w.reason.clone())],
        )
    } else if v.waiting_bytes > 0 {
        say(
            c,
            "cli-attachment-state-waiting",
            &[("kb", kb(v.waiting_bytes))],
        )
    } else if v.held.iter().all(|h| *h) {
        c.get("cli-attachment-state-synced")
    } else {
        c.get("cli-attachment-state-not-held")
    };
    let verified = a.verified.as_ref().map_or_else(String::new, |ver| {
        format!(
            "  {}",
            say(
                c,
                "cli-attachment-verified",
                &[("name", ver.by.name.clone()), ("date", c.date(ver.on))],
            )
        )
    });
    format!(
        "{}{verified}",
        say(
            c,
            "cli-attachment-row",
            &[
                ("id", a.id.clone()),
                ("document", c.document(a.kind)),
                ("pages", a.pages.len().to_string()),
                ("kb", kb(a.size())),
                ("date", c.date(a.taken_on)),
                ("state", state),
            ],
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_after_the_first_get_a_number_before_the_extension() {
        let out = Path::new("/tmp/fir.jpg");
        assert_eq!(page_path(out, 1), PathBuf::from("/tmp/fir.jpg"));
        assert_eq!(page_path(out, 2), PathBuf::from("/tmp/fir-2.jpg"));
        assert_eq!(
            page_path(Path::new("scan"), 3),
            PathBuf::from("scan-3"),
            "no extension: the number at the end"
        );
    }
}
