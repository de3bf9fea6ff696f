//! Copies of the checklist's documents on the phone (issue 15): the pages' bytes, held in this
//! encrypted store, and the references the case document keeps.
//!
//! A copy is attached in one transaction: its pages reduced first ([`crate::scan`]), checked
//! against the programme's limits (`shared::attachment::check_new`), then the [`Edit::Attach`]
//! recorded through the ordinary edit path and the bytes stored (`attachment_pages`) together,
//! so a copy is never referenced without its bytes, nor bytes kept without a copy. The bytes
//! never enter the case document.
//!
//! Which pages are still wanted follows the documents: `attachment_refs` is materialised with
//! every other row of a case, and a page no active copy of a held case names is dropped in the
//! same transaction. So a withdrawal (made here or arriving from another phone) and a case
//! leaving the phone both drop the bytes, and nothing else has to.
//!
//! A page made here waits for the upload (`origin = 'here'`, `sent` below its size); `sent`
//! moves only as the server confirms chunks ([`crate::sync`]). A page fetched on demand is a
//! cache (`origin = 'fetched'`), its bytes growing chunk by chunk so a cut download resumes.
//! Every statement here is short and outside any transaction the network waits on: the sync
//! reads one chunk, lets the store go while the chunk travels, then writes the confirmation.

use homeward_shared::attachment::{self as rules, AttachProblem, sha256_hex};
use homeward_shared::edit::NewAttachment;
use homeward_shared::model::{Attachment, AttachmentPage, DocumentKind, DocumentState, MediaType};

use super::*;
use crate::scan;

/// A copy as a screen shows it: the reference, and what this phone holds of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AttachmentView {
    /// The copy, as the case document has it.
    pub attachment: Attachment,
    /// For each page: whether its bytes are on this phone (to open it without a download).
    pub held: Vec<bool>,
    /// Bytes of its pages made here that the server does not hold yet (0: synced, or fetched).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub waiting_bytes: u64,
}

/// Pages made here that the server does not hold yet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Backlog {
    /// Pages not wholly uploaded.
    pub pages: usize,
    /// Their bytes not yet confirmed by the server.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
}

/// A page waiting for the upload, as the sync takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Upload {
    /// Its hash (its name on the server).
    pub(crate) hash: String,
    /// Its bytes in all.
    pub(crate) size: u64,
    /// What the server confirmed holding.
    pub(crate) sent: u64,
}

/// Rewrites the page references of one case from the case and drops the bytes no active copy
/// names any more. Called by `materialise`, inside the edit's or the round's transaction.
pub(super) fn write_refs(tx: &Transaction<'_>, case: &Case) -> Result<()> {
    tx.prepare_cached("DELETE FROM attachment_refs WHERE case_id = ?1")?
        .execute([&case.id])?;
    let mut ins = tx.prepare_cached(
        "INSERT OR REPLACE INTO attachment_refs (case_id, attachment_id, page, hash, active)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for a in &case.attachments {
        for (i, p) in a.pages.iter().enumerate() {
            ins.execute(params![
                case.id,
                a.id,
                i64::try_from(i).unwrap_or(i64::MAX),
                p.hash,
                a.is_active()
            ])?;
        }
    }
    drop_unnamed(tx)
}

/// Drops the page bytes no active copy of a held case names.
pub(super) fn drop_unnamed(conn: &Connection) -> Result<()> {
    conn.prepare_cached(
        "DELETE FROM attachment_pages WHERE NOT EXISTS (
             SELECT 1 FROM attachment_refs r WHERE r.hash = attachment_pages.hash AND r.active = 1)",
    )?
    .execute([])?;
    Ok(())
}

impl Store {
    /// Attaches a copy of the checklist document `kind` to a case, as this store's user: each
    /// file becomes a page (a photo reduced to a readable scan without its metadata, a PDF as
    /// given), checked against the programme's limits, then the reference recorded and the
    /// bytes stored in one transaction. Returns the copy as the case now has it.
    ///
    /// A file that is not a JPEG, PNG, WebP or PDF, or does not read, is refused
    /// ([`FieldError::Scan`]), and so is a copy beyond the limits ([`FieldError::Attach`]):
    /// nothing is written.
    pub fn attach(
        &mut self,
        case_id: &str,
        kind: DocumentKind,
        files: Vec<Vec<u8>>,
        taken_on: NaiveDate,
    ) -> Result<Attachment> {
        let mut scans = Vec::with_capacity(files.len());
        for (i, file) in files.into_iter().enumerate() {
            let s = scan::reduce(&file).map_err(|problem| match problem {
                scan::ScanProblem::UnknownType => {
                    FieldError::Attach(AttachProblem::UnknownType { page: i + 1 })
                }
                problem => FieldError::Scan {
                    page: i + 1,
                    problem,
                },
            })?;
            scans.push(s);
        }
        let pages: Vec<AttachmentPage> = scans
            .iter()
            .map(|s| AttachmentPage {
                hash: sha256_hex(&s.bytes),
                size: u64::try_from(s.bytes.len()).unwrap_or(u64::MAX),
                media_type: s.media_type,
            })
            .collect();
        let id = new_id()?;
        let at = now();
        let ctx = self.context(at)?;
        let edit = Edit::Attach(NewAttachment {
            id: id.clone(),
            kind,
            pages: pages.clone(),
            taken_on,
        });
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Checked inside the transaction, against the case as it is when the copy is recorded.
        let case = read_model(&tx, case_id)?;
        rules::check_new(&case, &pages, &self.programme.attachments).map_err(FieldError::Attach)?;
        edit_in(&tx, case_id, &edit, &ctx, &self.actor, &self.programme)?;
        // A copy of the paper means a copy is in hand: a missing item becomes received, in the
        // same transaction, on every client alike (the app and the command line).
        if case.document(kind) == DocumentState::Missing {
            let received = Edit::SetDocument {
                kind,
                state: DocumentState::Received,
                on: taken_on,
            };
            edit_in(&tx, case_id, &received, &ctx, &self.actor, &self.programme)?;
        }
        let mut put = tx.prepare_cached(
            "INSERT INTO attachment_pages (hash, media_type, size, bytes, origin, sent, stored_at)
             VALUES (?1, ?2, ?3, ?4, 'here', 0, ?5)
             ON CONFLICT (hash) DO UPDATE SET bytes = excluded.bytes
             WHERE length(attachment_pages.bytes) < attachment_pages.size",
        )?;
        for (page, s) in pages.iter().zip(&scans) {
            put.execute(params![
                page.hash,
                page.media_type.key(),
                i64::try_from(page.size).unwrap_or(i64::MAX),
                s.bytes,
                at.to_rfc3339()
            ])?;
        }
        drop(put);
        let case = read_model(&tx, case_id)?;
        tx.commit()?;
        case.attachments
            .into_iter()
            .find(|a| a.id == id)
            .ok_or_else(|| FieldError::UnknownAttachment(id))
    }

    /// The copies of a case, withdrawn ones included, with what this phone holds of each.
    pub fn attachments(&self, case_id: &str) -> Result<Vec<AttachmentView>> {
        let case = self.case(case_id)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT length(bytes) = size, CASE WHEN origin = 'here' THEN size - sent ELSE 0 END
             FROM attachment_pages WHERE hash = ?1",
        )?;
        let mut out = Vec::with_capacity(case.attachments.len());
        for attachment in case.attachments {
            let mut held = Vec::with_capacity(attachment.pages.len());
            let mut waiting_bytes = 0u64;
            for p in &attachment.pages {
                let row: Option<(bool, i64)> = stmt
                    .query_row([&p.hash], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?;
                let (h, w) = row.unwrap_or((false, 0));
                held.push(h);
                waiting_bytes += u64::try_from(w).unwrap_or(0);
            }
            out.push(AttachmentView {
                attachment,
                held,
                waiting_bytes,
            });
        }
        Ok(out)
    }

    /// The copy with this id and the case it belongs to (`None`: no held case has it).
    pub fn find_attachment(&self, attachment_id: &str) -> Result<Option<(String, Attachment)>> {
        let case_id: Option<String> = self
            .conn
            .query_row(
                "SELECT case_id FROM attachment_refs WHERE attachment_id = ?1 LIMIT 1",
                [attachment_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(case_id) = case_id else {
            return Ok(None);
        };
        let found = self
            .case(&case_id)?
            .attachments
            .into_iter()
            .find(|a| a.id == attachment_id);
        Ok(found.map(|a| (case_id, a)))
    }

    /// Resolves a copy's id or a unique prefix of one (at least 4 characters), as the command
    /// line takes it: the case and the copy.
    pub fn resolve_attachment(&self, id_or_prefix: &str) -> Result<(String, Attachment)> {
        if let Some(found) = self.find_attachment(id_or_prefix)? {
            return Ok(found);
        }
        if id_or_prefix.len() < 4 {
            return Err(FieldError::UnknownAttachment(id_or_prefix.to_owned()));
        }
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT attachment_id FROM attachment_refs
             WHERE substr(attachment_id, 1, length(?1)) = ?1 LIMIT 3",
        )?;
        let ids: Vec<String> = stmt
            .query_map([id_or_prefix], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [one] => self
                .find_attachment(one)?
                .ok_or_else(|| FieldError::UnknownAttachment(id_or_prefix.to_owned())),
            [] => Err(FieldError::UnknownAttachment(id_or_prefix.to_owned())),
            many => Err(FieldError::AmbiguousAttachment(
                id_or_prefix.to_owned(),
                many.len(),
            )),
        }
    }

    /// The bytes of one page of a copy (`page` from 0) and what they are; `None` when this
    /// phone does not hold them (made on another phone and not fetched, or fetched in part).
    pub fn attachment_page(
        &self,
        attachment_id: &str,
        page: usize,
    ) -> Result<Option<(MediaType, Vec<u8>)>> {
        let (_, attachment) = self
            .find_attachment(attachment_id)?
            .ok_or_else(|| FieldError::UnknownAttachment(attachment_id.to_owned()))?;
        let p = attachment
            .pages
            .get(page)
            .ok_or_else(|| FieldError::NoSuchPage {
                attachment: attachment_id.to_owned(),
                page: page + 1,
                pages: attachment.pages.len(),
            })?;
        let bytes: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT bytes FROM attachment_pages WHERE hash = ?1 AND length(bytes) = size",
                [&p.hash],
                |r| r.get(0),
            )
            .optional()?;
        Ok(bytes.map(|b| (p.media_type, b)))
    }

    /// Withdraws a copy (a wrong photo) as this store's user: the case keeps it as withdrawn,
    /// with the reason, and its bytes leave this phone in the same transaction (the server
    /// drops its own once a supervisor confirms the withdrawal).
    pub fn withdraw_attachment(
        &mut self,
        case_id: &str,
        attachment_id: &str,
        reason: &str,
        on: NaiveDate,
    ) -> Result<()> {
        let case = self.case(case_id)?;
        if !case.attachments.iter().any(|a| a.id == attachment_id) {
            return Err(FieldError::UnknownAttachment(attachment_id.to_owned()));
        }
        let edit = Edit::WithdrawAttachment {
            id: attachment_id.to_owned(),
            reason: reason.to_owned(),
            on,
        };
        self.edit(case_id, &edit, now())
    }

    /// What waits for the upload: pages made here the server does not wholly hold.
    pub fn attachments_waiting(&self) -> Result<Backlog> {
        let (pages, bytes): (i64, i64) = self.conn.query_row(
            "SELECT count(*), coalesce(sum(size - sent), 0) FROM attachment_pages
             WHERE origin = 'here' AND sent < size",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(Backlog {
            pages: usize::try_from(pages).unwrap_or(0),
            bytes: u64::try_from(bytes).unwrap_or(0),
        })
    }

    /// The next page to upload, oldest first, leaving out those this sync gave up on.
    pub(crate) fn next_upload(&self, skip: &[String]) -> Result<Option<Upload>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT hash, size, sent FROM attachment_pages
             WHERE origin = 'here' AND sent < size ORDER BY stored_at, hash",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let hash: String = r.get(0)?;
            if skip.contains(&hash) {
                continue;
            }
            return Ok(Some(Upload {
                hash,
                size: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                sent: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
            }));
        }
        Ok(None)
    }

    /// Where the upload of a page stands now (`None`: no longer wanted, withdrawn meanwhile).
    pub(crate) fn upload_of(&self, hash: &str) -> Result<Option<Upload>> {
        Ok(self
            .conn
            .query_row(
                "SELECT size, sent FROM attachment_pages WHERE hash = ?1 AND origin = 'here'",
                [hash],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)),
            )
            .optional()?
            .map(|(size, sent)| Upload {
                hash: hash.to_owned(),
                size: u64::try_from(size).unwrap_or(0),
                sent: u64::try_from(sent).unwrap_or(0),
            }))
    }

    /// `len` bytes of a page from `offset` (fewer at its end): one chunk, read alone.
    pub(crate) fn page_chunk(&self, hash: &str, offset: u64, len: usize) -> Result<Vec<u8>> {
        let chunk: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT substr(bytes, ?2 + 1, ?3) FROM attachment_pages WHERE hash = ?1",
                params![
                    hash,
                    i64::try_from(offset).unwrap_or(i64::MAX),
                    i64::try_from(len).unwrap_or(i64::MAX)
                ],
                |r| r.get(0),
            )
            .optional()?;
        Ok(chunk.unwrap_or_default())
    }

    /// Keeps what the server says it holds of a page made here (never beyond the page).
    pub(crate) fn confirm_sent(&mut self, hash: &str, received: u64) -> Result<()> {
        self.conn.execute(
            "UPDATE attachment_pages SET sent = min(?2, size) WHERE hash = ?1 AND origin = 'here'",
            params![hash, i64::try_from(received).unwrap_or(i64::MAX)],
        )?;
        Ok(())
    }

    /// Starts or resumes the download of a page into the cache: how many of its bytes are held
    /// already (the whole size: nothing to fetch). `None`: no held case names it any more.
    pub(crate) fn fetch_from(&mut self, page: &AttachmentPage) -> Result<Option<u64>> {
        let named: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM attachment_refs WHERE hash = ?1 AND active = 1)",
            [&page.hash],
            |r| r.get(0),
        )?;
        if !named {
            return Ok(None);
        }
        self.conn.execute(
            "INSERT INTO attachment_pages (hash, media_type, size, bytes, origin, sent, stored_at)
             VALUES (?1, ?2, ?3, x'', 'fetched', 0, ?4) ON CONFLICT (hash) DO NOTHING",
            params![
                page.hash,
                page.media_type.key(),
                i64::try_from(page.size).unwrap_or(i64::MAX),
                now().to_rfc3339()
            ],
        )?;
        Ok(Some(held(&self.conn, &page.hash)?))
    }

    /// Whether this phone holds a page whole (made here, or fetched and checked).
    pub(crate) fn holds_page(&self, hash: &str) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM attachment_pages WHERE hash = ?1 AND length(bytes) = size)",
            [hash],
            |r| r.get(0),
        )?)
    }

    /// Keeps a piece received for a page at `offset` (what is held so far, else it is not
    /// kept); returns what is held after. One row per piece: nothing already held is written
    /// again.
    pub(crate) fn append_fetched(&mut self, hash: &str, offset: u64, bytes: &[u8]) -> Result<u64> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let before = held(&tx, hash)?;
        if before != offset || bytes.is_empty() {
            return Ok(before);
        }
        let fetched: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM attachment_pages WHERE hash = ?1 AND origin = 'fetched')",
            [hash],
            |r| r.get(0),
        )?;
        if !fetched {
            return Ok(before);
        }
        tx.execute(
            "INSERT INTO attachment_parts (hash, start, bytes) VALUES (?1, ?2, ?3)",
            params![hash, i64::try_from(offset).unwrap_or(i64::MAX), bytes],
        )?;
        let after = held(&tx, hash)?;
        tx.commit()?;
        Ok(after)
    }

    /// Forgets what was fetched of a page (the server sent it from the start, or it did not
    /// match its hash).
    pub(crate) fn restart_fetched(&mut self, hash: &str) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM attachment_parts WHERE hash = ?1", [hash])?;
        tx.execute(
            "UPDATE attachment_pages SET bytes = x'' WHERE hash = ?1 AND origin = 'fetched'",
            [hash],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Puts a fetched page together from its pieces and checks it against its hash: whether it
    /// is held whole now. One that does not match is forgotten, to be fetched again.
    pub(crate) fn check_fetched(&mut self, hash: &str) -> Result<bool> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let (mut whole, size): (Vec<u8>, i64) = tx.query_row(
            "SELECT bytes, size FROM attachment_pages WHERE hash = ?1",
            [hash],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if whole.is_empty() {
            let mut stmt =
                tx.prepare("SELECT bytes FROM attachment_parts WHERE hash = ?1 ORDER BY start")?;
            let mut rows = stmt.query([hash])?;
            while let Some(r) = rows.next()? {
                whole.extend_from_slice(&r.get::<_, Vec<u8>>(0)?);
            }
        }
        let good = i64::try_from(whole.len()).ok() == Some(size) && sha256_hex(&whole) == hash;
        if good {
            tx.execute(
                "UPDATE attachment_pages SET bytes = ?2 WHERE hash = ?1",
                params![hash, whole],
            )?;
        } else {
            tx.execute(
                "UPDATE attachment_pages SET bytes = x'' WHERE hash = ?1 AND origin = 'fetched'",
                [hash],
            )?;
        }
        tx.execute("DELETE FROM attachment_parts WHERE hash = ?1", [hash])?;
        tx.commit()?;
        Ok(good)
    }
}

/// How many bytes of a page this phone holds: the page when whole, else the pieces of its
/// download so far.
fn held(conn: &Connection, hash: &str) -> Result<u64> {
    let n: i64 = conn.query_row(
        "SELECT CASE WHEN length(p.bytes) > 0 THEN length(p.bytes)
                ELSE (SELECT coalesce(sum(length(a.bytes)), 0) FROM attachment_parts a
                      WHERE a.hash = p.hash) END
         FROM attachment_pages p WHERE p.hash = ?1",
        [hash],
        |r| r.get(0),
    )?;
    Ok(u64::try_from(n).unwrap_or(0))
}

/// The case as materialised (its JSON), on the caller's transaction.
fn read_model(conn: &Connection, case_id: &str) -> Result<Case> {
    let model: Vec<u8> = conn
        .query_row(
            "SELECT model FROM case_docs WHERE case_id = ?1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| FieldError::UnknownCase(case_id.to_owned()))?;
    serde_json::from_slice(&model).map_err(|e| FieldError::Damaged {
        id: case_id.to_owned(),
        source: schema::SchemaError::Corrupt(e.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keystore::Keystore;

    /// A store written before copies existed holds models without `attachments`: they did not
    /// read once `Case` gained the field (every case "damaged"). Opening the store materialises
    /// them again from their documents.
    #[test]
    fn models_of_an_older_shape_are_materialised_again_when_the_store_opens() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("data");
        let keystore = Keystore::File(tmp.path().join("keys"));
        let me = Author {
            user_id: "fw-1".into(),
            name: "Anita Kumari".into(),
        };
        let mut store = Store::init(&dir, &keystore, "246813", &me).expect("a store");
        let profile = homeward_shared::synth::caseload(homeward_shared::synth::Options {
            seed: 7,
            cases: 1,
            until: today(),
            months: 2,
        })
        .cases
        .remove(0);
        let id = store.add_synthetic(&profile).expect("a case");
        // As an app before issue 15 left it: no `attachments` in the model, no shape noted.
        store
            .conn
            .execute_batch(
                "UPDATE case_docs SET model = CAST(json_remove(CAST(model AS TEXT), '$.attachments') AS BLOB);
                 DELETE FROM meta WHERE key = 'model_shape';",
            )
            .expect("rewinds");
        assert!(
            matches!(store.case(&id), Err(FieldError::Damaged { .. })),
            "an older model does not read"
        );
        drop(store);
        let store = Store::open(&dir, &keystore, "246813").expect("opens");
        assert!(store.case(&id).is_ok(), "materialised again");
        assert_eq!(
            store.meta("model_shape").expect("reads").as_deref(),
            Some(super::super::verify::MODEL_SHAPE)
        );
    }
}
