//! Copies of documents (issue 15): the pages' bytes, kept apart from the case documents.
//!
//! A case document lists each copy's pages by reference (hash, size, media type); the rows of
//! `attachment_pages` mirror that list for every case, rewritten by [`refresh_pages`] in the
//! transaction of each push and dashboard edit, so the scope of a page and what a page shows
//! are queries, never documents read. The bytes arrive afterwards in chunks
//! ([`Store::put_chunk`], `PUT /api/v1/attachments/{hash}?offset=N`), kept as chunks in
//! `attachment_chunks` until the page is whole; then its SHA-256 and its magic bytes are checked
//! and it is kept once in `attachment_blobs`, whichever cases list it. The database is
//! SQLCipher-encrypted when `HOMEWARD_DB_KEY` is set, so the bytes are too.
//!
//! Scope, for a device: a page may be uploaded by a device whose user may write one of the
//! cases listing it, and standing (not withdrawn); read (its bytes, its status) by a device
//! whose user may read one of them (`sync.rs`'s read scope: a fieldworker the cases they hold,
//! a supervisor or CWC member their areas, an administrator all). For a dashboard user: the
//! case must be in their areas ([`crate::scope::covers`]) and list the page. Anything else is
//! answered 404 like a page nobody listed. Every read of bytes is audited (`copy-download` from
//! a device, `copy-view` on the dashboard, with the case and the hash).
//!
//! A supervisor's confirmation of a withdrawal (`Edit::ConfirmWithdrawal`, from the dashboard)
//! drops the bytes in the same transaction, once no page listing the hash is left that is not
//! withdrawn and confirmed.

use std::collections::BTreeSet;

use super::db::{self, Db, OptionalExtension, params};
use homeward_shared::attachment::{self, CHUNK_BYTES};
use homeward_shared::edit::Edit;
use homeward_shared::model::{Case, MediaType};
use serde::Serialize;

use super::conflicts::dashboard_edit;
use super::sync::{in_areas, may_write};
use super::{DeviceAuth, Role, Store, WebUser, now};
use crate::error::ApiError;
use crate::scope::covers;

/// Where an upload stands: the answer of every attachment request but a download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct UploadStatus {
    /// The bytes the server holds of the page (the offset to send next).
    pub received: u64,
    /// The page's size, as its case document gives it.
    pub size: u64,
    /// Whether the page is whole and checked on the server.
    pub complete: bool,
}

/// What a chunk did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Put {
    /// Taken (or the page was complete already): where the upload stands now.
    Taken(UploadStatus),
    /// The offset is not what the server holds: resume at `received`.
    WrongOffset(UploadStatus),
    /// The page was whole but its bytes are not the page: they were dropped (a 422).
    Mismatch(String),
}

/// A page's bytes as stored, for a download.
#[derive(Debug, Clone)]
pub struct PageBytes {
    /// The case it was read through (the audit's case).
    pub case_id: String,
    /// What the bytes are.
    pub media_type: MediaType,
    /// The whole page.
    pub bytes: Vec<u8>,
}

impl Store {
    /// Takes one chunk of a page from a device: `offset` must be what the server holds of it
    /// (else [`Put::WrongOffset`]); once the page is whole its hash and type are checked and
    /// it is kept once (else its bytes are dropped, [`Put::Mismatch`]). A page complete already
    /// takes nothing and answers complete. 404 for a hash no standing page of a case the
    /// device's user may write lists; 422 for a chunk past the page's size.
    pub fn put_chunk(
        &mut self,
        device: &DeviceAuth,
        hash: &str,
        offset: u64,
        bytes: &[u8],
    ) -> Result<Put, ApiError> {
        if bytes.len() > 2 * CHUNK_BYTES {
            return Err(ApiError::TooLarge(format!(
                "a chunk may carry at most {} bytes",
                2 * CHUNK_BYTES
            )));
        }
        let tx = self.tx()?;
        let (size, media_type) = writable_page(&tx, device, hash)?;
        let stored: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM attachment_blobs WHERE hash = ?1)",
            [hash],
            |r| r.get(0),
        )?;
        if stored {
            return Ok(Put::Taken(UploadStatus {
                received: size,
                size,
                complete: true,
            }));
        }
        let received = received(&tx, hash)?;
        let status = |received| UploadStatus {
            received,
            size,
            complete: false,
        };
        if offset != received {
            return Ok(Put::WrongOffset(status(received)));
        }
        let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if offset.saturating_add(len) > size {
            return Err(ApiError::Unprocessable(format!(
                "the chunk ends at byte {}, past the page's {size} bytes",
                offset.saturating_add(len)
            )));
        }
        if bytes.is_empty() {
            return Ok(Put::Taken(status(received)));
        }
        let at = now().to_rfc3339();
        let received = received + len;
        tx.execute(
            "INSERT INTO attachment_uploads (hash, received, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (hash) DO UPDATE SET received = excluded.received, updated_at = excluded.updated_at",
            params![hash, to_i64(received), at],
        )?;
        tx.execute(
            "INSERT INTO attachment_chunks (hash, start, bytes) VALUES (?1, ?2, ?3)",
            params![hash, to_i64(offset), bytes],
        )?;
        if received < size {
            tx.commit()?;
            return Ok(Put::Taken(status(received)));
        }
        // Whole: the bytes must be the page the case names, and of the type it says.
        let mut whole = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        {
            tx.each(
                "SELECT bytes FROM attachment_chunks WHERE hash = ?1 ORDER BY start",
                [hash],
                |row| {
                    whole.extend_from_slice(&row.get::<_, Vec<u8>>(0)?);
                    Ok(true)
                },
            )?;
        }
        tx.execute("DELETE FROM attachment_uploads WHERE hash = ?1", [hash])?;
        let actual = attachment::sha256_hex(&whole);
        let outcome = if actual != hash {
            Put::Mismatch(format!(
                "the page's bytes hash to {actual}, not {hash}: they were dropped; send the page again from offset 0"
            ))
        } else if MediaType::sniff(&whole) != Some(media_type) {
            Put::Mismatch(format!(
                "the page's bytes are not {}: they were dropped",
                media_type.mime()
            ))
        } else {
            tx.execute(
                "INSERT INTO attachment_blobs (hash, media_type, size, bytes, stored_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![hash, media_type.key(), to_i64(size), whole, at],
            )?;
            Put::Taken(UploadStatus {
                received: size,
                size,
                complete: true,
            })
        };
        tx.commit()?;
        Ok(outcome)
    }

    /// Where the upload of a page stands, for a device whose user may read or write a case
    /// listing it (404 otherwise).
    pub fn upload_status(
        &mut self,
        device: &DeviceAuth,
        hash: &str,
    ) -> Result<UploadStatus, ApiError> {
        let tx = self.tx()?;
        let (size, _) = match readable_page(&tx, device, hash)? {
            Some((_, size, media)) => (size, media),
            None => writable_page(&tx, device, hash)?,
        };
        let stored: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM attachment_blobs WHERE hash = ?1)",
            [hash],
            |r| r.get(0),
        )?;
        let status = if stored {
            UploadStatus {
                received: size,
                size,
                complete: true,
            }
        } else {
            UploadStatus {
                received: received(&tx, hash)?,
                size,
                complete: false,
            }
        };
        Ok(status)
    }

    /// A page's bytes for a device whose user may read a case listing it; 404 when none, or
    /// while its bytes have not arrived. Audited as `copy-download` (the case, the hash).
    pub fn download_page(
        &mut self,
        device: &DeviceAuth,
        hash: &str,
    ) -> Result<PageBytes, ApiError> {
        let tx = self.tx()?;
        let Some((case_id, _, _)) = readable_page(&tx, device, hash)? else {
            return Err(not_found(hash));
        };
        let page = blob(&tx, hash, &case_id)?;
        audit(&tx, &device.user_id, "copy-download", &case_id, hash)?;
        tx.commit()?;
        Ok(page)
    }

    /// A page's bytes for the dashboard: the case must be in the user's areas and list the
    /// page, and its bytes must have arrived (else 404). Audited as `copy-view`.
    pub fn view_page(
        &mut self,
        user: &WebUser,
        case_id: &str,
        hash: &str,
    ) -> Result<PageBytes, ApiError> {
        let tx = self.tx()?;
        let place: Option<(String, String)> = tx
            .query_row(
                "SELECT c.district, c.block FROM cases c
                 WHERE c.id = ?1 AND EXISTS (SELECT 1 FROM attachment_pages p WHERE p.case_id = c.id AND p.hash = ?2)",
                params![case_id, hash],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if !place.is_some_and(|(d, b)| covers(user, &d, &b)) {
            return Err(not_found(hash));
        }
        let page = blob(&tx, hash, case_id)?;
        audit(&tx, &user.id, "copy-view", case_id, hash)?;
        tx.commit()?;
        Ok(page)
    }

    /// One case, read from its current document, if the user's areas cover it (else 404, like
    /// a missing one).
    pub fn case_for(&self, user: &WebUser, case_id: &str) -> Result<Case, ApiError> {
        let row: Option<(String, String, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT district, block, doc FROM cases WHERE id = ?1",
                [case_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((_, _, doc)) = row.filter(|(d, b, _)| covers(user, d, b)) else {
            return Err(ApiError::NotFound(format!("no case '{case_id}'")));
        };
        let doc = homeward_shared::untrusted::load(&doc)
            .map_err(|e| ApiError::Internal(format!("stored case {case_id} does not load: {e}")))?;
        homeward_shared::schema::read_case(&doc)
            .map_err(|e| ApiError::Internal(format!("stored case {case_id} does not read: {e}")))
    }

    /// The hashes of a case's pages whose bytes the server holds.
    pub fn held_pages(&self, case_id: &str) -> Result<BTreeSet<String>, ApiError> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT p.hash FROM attachment_pages p JOIN attachment_blobs b ON b.hash = p.hash
             WHERE p.case_id = ?1",
        )?;
        let rows = stmt
            .query_map([case_id], |r| r.get(0))?
            .collect::<db::Result<_>>()?;
        Ok(rows)
    }

    /// How many distinct pages' bytes the server holds, and their bytes (for operators and
    /// tests: one copy per hash).
    pub fn stored_pages(&self) -> Result<(u64, u64), ApiError> {
        let (n, bytes): (i64, i64) = self.conn.query_row(
            "SELECT count(*), CAST(coalesce(sum(length(bytes)), 0) AS BIGINT) FROM attachment_blobs",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((
            u64::try_from(n).unwrap_or(0),
            u64::try_from(bytes).unwrap_or(0),
        ))
    }

    /// A supervisor (or administrator) marks a copy of a case in their areas verified on `on`:
    /// `Edit::VerifyCopy` by their dashboard device, so the checklist's document is verified by
    /// them too, and every phone holding the case learns it at its next sync. Audited.
    pub fn verify_copy(
        &mut self,
        user: &WebUser,
        case_id: &str,
        attachment_id: &str,
        on: chrono::NaiveDate,
    ) -> Result<(), ApiError> {
        let edit = Edit::VerifyCopy {
            id: attachment_id.to_owned(),
            on,
        };
        self.supervise_copy(user, case_id, &edit)?;
        self.audit(&user.id, "copy-verify", Some(case_id), Some(attachment_id))
    }

    /// A supervisor (or administrator) confirms the withdrawal of a copy of a case in their
    /// areas: `Edit::ConfirmWithdrawal` by their dashboard device; its pages' bytes are dropped
    /// in the same transaction unless a standing page (of any case) still lists them. Audited.
    pub fn confirm_withdrawal(
        &mut self,
        user: &WebUser,
        case_id: &str,
        attachment_id: &str,
    ) -> Result<(), ApiError> {
        let edit = Edit::ConfirmWithdrawal {
            id: attachment_id.to_owned(),
        };
        self.supervise_copy(user, case_id, &edit)?;
        self.audit(
            &user.id,
            "copy-withdrawal-confirm",
            Some(case_id),
            Some(attachment_id),
        )
    }

    fn supervise_copy(
        &mut self,
        user: &WebUser,
        case_id: &str,
        edit: &Edit,
    ) -> Result<(), ApiError> {
        if !matches!(user.role, Role::Supervisor | Role::Admin) {
            return Err(ApiError::Forbidden(
                "only supervisors and administrators check copies".into(),
            ));
        }
        let (device, mut doc) = self.dashboard_doc(user, case_id)?;
        let push = dashboard_edit(user, case_id, &mut doc, edit).map_err(|e| match e {
            homeward_shared::schema::SchemaError::NotFound { .. } => {
                ApiError::NotFound(e.to_string())
            }
            other => ApiError::Unprocessable(other.to_string()),
        })?;
        self.push_as(&device, &push)
    }
}

/// Rewrites the page rows of `case` from its document as just stored, then drops the bytes of
/// every page it listed before or lists now that no row needs any longer (every row of the hash
/// withdrawn and confirmed), with any upload of them under way.
pub(super) fn refresh_pages(tx: &Db, case: &Case) -> Result<(), ApiError> {
    let mut hashes: BTreeSet<String> = tx
        .prepare("SELECT hash FROM attachment_pages WHERE case_id = ?1")?
        .query_map([&case.id], |r| r.get(0))?
        .collect::<db::Result<_>>()?;
    tx.execute(
        "DELETE FROM attachment_pages WHERE case_id = ?1",
        [&case.id],
    )?;
    let mut ins = tx.prepare_cached(
        "INSERT INTO attachment_pages
             (case_id, attachment_id, page, hash, size, media_type, kind, withdrawn, confirmed)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (case_id, attachment_id, page) DO UPDATE SET hash = excluded.hash,
             size = excluded.size, media_type = excluded.media_type, kind = excluded.kind,
             withdrawn = excluded.withdrawn, confirmed = excluded.confirmed",
    )?;
    for a in &case.attachments {
        let withdrawn = a.withdrawn.is_some();
        let confirmed = a
            .withdrawn
            .as_ref()
            .is_some_and(|w| w.confirmed_at.is_some());
        for (i, p) in a.pages.iter().enumerate() {
            ins.execute(params![
                case.id,
                a.id,
                i64::try_from(i).unwrap_or(i64::MAX),
                p.hash,
                to_i64(p.size),
                p.media_type.key(),
                a.kind.key(),
                withdrawn,
                confirmed,
            ])?;
            hashes.insert(p.hash.clone());
        }
    }
    for hash in &hashes {
        let needed: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM attachment_pages WHERE hash = ?1 AND confirmed = 0)",
            [hash],
            |r| r.get(0),
        )?;
        if !needed {
            tx.execute("DELETE FROM attachment_blobs WHERE hash = ?1", [hash])?;
            tx.execute("DELETE FROM attachment_uploads WHERE hash = ?1", [hash])?;
        }
    }
    Ok(())
}

/// The first copy of `after` that a push verified or whose withdrawal it confirmed, since
/// `before` (none: a new case): what only a supervisor may do.
pub(super) fn supervised_since<'a>(before: Option<&Case>, after: &'a Case) -> Option<&'a str> {
    after.attachments.iter().find_map(|a| {
        let was = before.and_then(|b| b.attachments.iter().find(|b| b.id == a.id));
        let verified = a.verified.is_some() && was.is_none_or(|b| b.verified.is_none());
        let confirmed = |x: &homeward_shared::model::Attachment| {
            x.withdrawn
                .as_ref()
                .is_some_and(|w| w.confirmed_at.is_some())
        };
        let confirmed = confirmed(a) && !was.is_some_and(confirmed);
        (verified || confirmed).then_some(a.id.as_str())
    })
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn not_found(hash: &str) -> ApiError {
    ApiError::NotFound(format!("no page {hash} here"))
}

fn received(tx: &Db, hash: &str) -> Result<u64, ApiError> {
    let n: Option<i64> = tx
        .query_row(
            "SELECT received FROM attachment_uploads WHERE hash = ?1",
            [hash],
            |r| r.get(0),
        )
        .optional()?;
    Ok(n.map_or(0, |n| u64::try_from(n).unwrap_or(0)))
}

type PageRow = (String, String, String, i64, String);

/// Every row listing `hash`: (case, district, block, size, media type), cases in id order.
fn rows_of(tx: &Db, hash: &str, standing: bool) -> Result<Vec<PageRow>, ApiError> {
    let mut stmt = tx.prepare_cached(
        "SELECT p.case_id, c.district, c.block, p.size, p.media_type
         FROM attachment_pages p JOIN cases c ON c.id = p.case_id
         WHERE p.hash = ?1 AND (?2 = 0 OR p.withdrawn = 0) AND p.confirmed = 0
         ORDER BY p.case_id, p.attachment_id, p.page",
    )?;
    let rows = stmt
        .query_map(params![hash, standing], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<db::Result<_>>()?;
    Ok(rows)
}

fn media(key: &str) -> Result<MediaType, ApiError> {
    key.parse()
        .map_err(|_| ApiError::Internal(format!("bad stored media type '{key}'")))
}

/// The size and type of a standing page of a case the device's user may write; 404 otherwise.
pub(super) fn writable_page(
    tx: &Db,
    device: &DeviceAuth,
    hash: &str,
) -> Result<(u64, MediaType), ApiError> {
    let confirmed: i64 = tx.query_row(
        "SELECT confirmed_seq FROM devices WHERE id = ?1",
        [&device.device_id],
        |r| r.get(0),
    )?;
    for (case_id, district, block, size, media_type) in rows_of(tx, hash, true)? {
        if may_write(tx, device, confirmed, &case_id, &district, &block)? {
            return Ok((u64::try_from(size).unwrap_or(0), media(&media_type)?));
        }
    }
    Err(not_found(hash))
}

/// The first case listing `hash` (its bytes not dropped) that the device's user may read, with
/// the page's size and type.
fn readable_page(
    tx: &Db,
    device: &DeviceAuth,
    hash: &str,
) -> Result<Option<(String, u64, MediaType)>, ApiError> {
    for (case_id, district, block, size, media_type) in rows_of(tx, hash, false)? {
        let may = match device.role {
            Role::Admin => true,
            Role::Fieldworker => tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM assignments WHERE case_id = ?1 AND user_id = ?2)",
                params![case_id, device.user_id],
                |r| r.get(0),
            )?,
            Role::Supervisor | Role::Cwc => in_areas(tx, &device.user_id, &district, &block)?,
        };
        if may {
            return Ok(Some((
                case_id,
                u64::try_from(size).unwrap_or(0),
                media(&media_type)?,
            )));
        }
    }
    Ok(None)
}

fn blob(tx: &Db, hash: &str, case_id: &str) -> Result<PageBytes, ApiError> {
    let row: Option<(String, Vec<u8>)> = tx
        .query_row(
            "SELECT media_type, bytes FROM attachment_blobs WHERE hash = ?1",
            [hash],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((media_type, bytes)) = row else {
        return Err(ApiError::NotFound(format!(
            "page {hash} has not arrived from the phone yet"
        )));
    };
    Ok(PageBytes {
        case_id: case_id.to_owned(),
        media_type: media(&media_type)?,
        bytes,
    })
}

fn audit(tx: &Db, user_id: &str, action: &str, case_id: &str, hash: &str) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO audit (at, user_id, action, case_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![now().to_rfc3339(), user_id, action, case_id, hash],
    )?;
    Ok(())
}
