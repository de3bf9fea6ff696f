//! Sync with no network (issue 14): this device's changes as a sealed file ([`Store::export_bundle`]),
//! files received by hand ([`Store::receive`]: the server's bundle for this phone, applied as a
//! sync round; a colleague's sealed file, kept opaque for the server), the relay queue those wait
//! in until the next sync, and the leftover a verified revocation leaves behind
//! ([`Store::write_leftover`]).
//!
//! A bundle is signed by this device and sealed to the server's newest trusted key: whoever
//! carries it learns its kind, the key it is sealed to and its size, nothing else. The changes
//! and outcomes it carries are marked `bundled` with its number: the next sync's first round
//! leaves them out, and the server's `bundled` confirmations settle them
//! ([`Store::apply_round`]); a bundle that never arrived costs one round, not a lost visit.

use homeward_shared::attachment::sha256_hex;
use homeward_shared::bundle::{self, BundlePage, DeviceBundle, ServerBundle};
use homeward_shared::seal::{self, ENTROPY_BYTES, Kind, SealError, Signed};
use homeward_shared::wire::{self, SpotCheckOutcome, SyncRequest};
use serde::Deserialize;

use super::*;

/// The name of a leftover file begins with this.
pub const LEFTOVER_PREFIX: &str = "homeward-leftover-";

/// The name of a leftover file ends with this.
pub const SEALED_EXTENSION: &str = ".hwsealed";

/// A bundle of this device's unconfirmed work, sealed to the server.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ExportedBundle {
    /// The sealed file's bytes, to write where the person chose.
    #[serde(skip)]
    #[cfg_attr(feature = "ts", ts(skip))]
    pub sealed: Vec<u8>,
    /// The bundle's number on this device (1, 2...).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seq: u64,
    /// Cases with changes in it.
    pub cases: usize,
    /// Changes in it.
    pub changes: usize,
    /// Spot-check outcomes in it.
    pub outcomes: usize,
    /// Pages of copies in it.
    pub pages: usize,
    /// The file's size.
    pub bytes: usize,
}

/// What a verified revocation left in the data folder: one sealed file with everything the
/// server had not confirmed, readable only by the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Leftover {
    /// The file.
    pub path: String,
    /// When the server revoked this device, as its signed statement says (RFC 3339).
    #[serde(default)]
    pub revoked_at: String,
    /// Changes in it.
    pub changes: usize,
    /// Spot-check outcomes in it.
    pub outcomes: usize,
    /// Pages of copies in it.
    pub pages: usize,
}

/// What receiving a file did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(tag = "received", rename_all = "snake_case")]
pub enum Received {
    /// The server's bundle for this phone, applied as a sync round.
    Applied {
        /// Whole documents merged or added.
        documents: usize,
        /// Feed changes applied.
        changes: usize,
        /// Changes made here that the server confirmed.
        confirmed: usize,
    },
    /// A sealed file for the server, kept to go with the next sync.
    KeptForRelay {
        /// What it holds (`device_bundle`, `case_export`).
        kind: String,
        /// Its id (SHA-256 of the file).
        id: String,
    },
    /// A case another phone sealed to this one, imported ([`Store::import_sealed_case`]).
    CaseImported {
        /// The case.
        case: String,
        /// Whether it was new on this phone (else merged).
        new: bool,
    },
    /// A file for the server already kept: not kept twice.
    AlreadyHeld {
        /// What it holds.
        kind: String,
        /// Its id.
        id: String,
    },
}

/// A sealed file waiting to go to the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RelayItem {
    /// Its id (SHA-256 of the file, hex).
    pub id: String,
    /// What it holds.
    pub kind: String,
    /// When this phone took it (RFC 3339).
    pub received_at: String,
    /// The file's size.
    pub bytes: usize,
    /// The server's reason, when it refused the file: it is not sent again.
    pub refused: Option<String>,
}

/// What a bundle carries, read from the store.
struct Contents {
    push: Vec<CasePush>,
    seqs: Vec<i64>,
    outcomes: Vec<SpotCheckOutcome>,
    pages: Vec<BundlePage>,
}

impl Contents {
    fn changes(&self) -> usize {
        self.seqs.len()
    }
}

impl Store {
    /// Makes a bundle of this device's unconfirmed work for the server (`None` when there is
    /// none): every change waiting to go up (not those set aside), every spot-check outcome not
    /// refused, the pages of copies made here the server does not hold; signed by this device,
    /// sealed to the server's newest trusted key with `entropy` (fresh random bytes). Its changes
    /// and outcomes are marked with its number in the same transaction that counts it.
    pub fn export_bundle(
        &mut self,
        entropy: [u8; ENTROPY_BYTES],
    ) -> Result<Option<ExportedBundle>> {
        let contents = self.contents(false)?;
        if contents.changes() == 0 && contents.outcomes.is_empty() && contents.pages.is_empty() {
            return Ok(None);
        }
        self.seal_contents(contents, None, entropy).map(Some)
    }

    /// The sealed leftover of a verified revocation: everything the server has not confirmed
    /// (set-aside changes and refused outcomes too), with the server's statement, written to
    /// the data folder as `homeward-leftover-DEVICE-YYYYMMDDTHHMMSS.hwsealed` (readable by
    /// this user only). `None` when nothing is unconfirmed. The caller wipes the store after.
    pub fn write_leftover(
        &mut self,
        statement: &[u8],
        revoked_at: &str,
        entropy: [u8; ENTROPY_BYTES],
    ) -> Result<Option<Leftover>> {
        let contents = self.contents(true)?;
        if contents.changes() == 0 && contents.outcomes.is_empty() && contents.pages.is_empty() {
            return Ok(None);
        }
        let made = self.seal_contents(contents, Some(statement.to_vec()), entropy)?;
        let device = self.meta("device_id")?.unwrap_or_default();
        let name = format!(
            "{LEFTOVER_PREFIX}{device}-{}{SEALED_EXTENSION}",
            now().format("%Y%m%dT%H%M%S")
        );
        let path = self.dir.join(name);
        // Written private to this user (a temporary file is 0600) and renamed into place.
        crate::error::write_whole(&path, &made.sealed)?;
        let leftover = Leftover {
            path: path.display().to_string(),
            revoked_at: revoked_at.to_owned(),
            changes: made.changes,
            outcomes: made.outcomes,
            pages: made.pages,
        };
        let j = serde_json::to_string(&leftover).map_err(|e| FieldError::Corrupt(e.to_string()))?;
        self.set_meta("leftover", &j)?;
        Ok(Some(leftover))
    }

    /// The leftover file a verified revocation wrote, and what it holds (read it before
    /// [`Store::wipe`]: the caller tells the person where it is and what to do with it).
    pub fn leftover(&self) -> Result<Option<Leftover>> {
        self.meta("leftover")?
            .map(|j| {
                serde_json::from_str(&j)
                    .map_err(|e| FieldError::Corrupt(format!("the leftover: {e}")))
            })
            .transpose()
    }

    /// The spot checks whose outcomes a bundle carried and the server has not confirmed.
    pub(crate) fn bundled_outcomes(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM spot_check_outcomes WHERE bundled IS NOT NULL")?;
        let rows = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Reads what a bundle carries. `all`: set-aside changes and refused outcomes too (a
    /// leftover carries everything the server lacks).
    fn contents(&self, all: bool) -> Result<Contents> {
        let sql = if all {
            "SELECT seq, case_id, bytes FROM changes WHERE pushed != 1 ORDER BY seq"
        } else {
            "SELECT seq, case_id, bytes FROM changes WHERE pushed = 0 ORDER BY seq"
        };
        let mut stmt = self.conn.prepare(sql)?;
        let mut rows = stmt.query([])?;
        let (mut push, mut seqs): (Vec<CasePush>, Vec<i64>) = (Vec::new(), Vec::new());
        while let Some(row) = rows.next()? {
            let (seq, case_id, change): (i64, String, Vec<u8>) =
                (row.get(0)?, row.get(1)?, row.get(2)?);
            seqs.push(seq);
            match push.iter_mut().find(|p| p.case_id == case_id) {
                Some(p) => p.changes.push(change),
                None => push.push(CasePush {
                    case_id,
                    changes: vec![change],
                }),
            }
        }
        let outcomes = if all {
            self.local_outcomes()?
                .into_iter()
                .map(|o| SpotCheckOutcome {
                    id: o.id,
                    outcome: o.outcome,
                    note: o.note,
                    at: o.at,
                })
                .collect()
        } else {
            self.pending_outcomes()?
        };
        let mut stmt = self.conn.prepare(
            "SELECT hash, bytes FROM attachment_pages WHERE origin = 'here' AND sent < size
             ORDER BY stored_at, hash",
        )?;
        let pages = stmt
            .query_map([], |r| {
                Ok(BundlePage {
                    hash: r.get(0)?,
                    bytes: r.get(1)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Contents {
            push,
            seqs,
            outcomes,
            pages,
        })
    }

    /// Signs and seals what a bundle carries, numbers it and marks its changes and outcomes.
    fn seal_contents(
        &mut self,
        contents: Contents,
        revocation: Option<Vec<u8>>,
        entropy: [u8; ENTROPY_BYTES],
    ) -> Result<ExportedBundle> {
        let (keys, signer) = self.signer()?;
        let to = self.server_seal_key()?;
        let device = self.meta("device_id")?.unwrap_or_default();
        let seq = self.meta_number("bundle_seq")? + 1;
        let request = SyncRequest {
            cursor: self.cursor()?,
            budget: 0,
            reference_version: self.reference()?.map_or(0, |r| r.version),
            resources_version: self.resources_version()?,
            push: contents.push,
            spot_check_outcomes: contents.outcomes,
            bundle_seen: self.meta_number("bundle_seen")?,
        };
        let (cases, changes, outcomes, pages) = (
            request.push.len(),
            contents.seqs.len(),
            request.spot_check_outcomes.len(),
            contents.pages.len(),
        );
        let payload = DeviceBundle {
            device,
            seq,
            made_at: now().to_rfc3339(),
            request: wire::encode(&request),
            pages: contents.pages,
            revocation,
        };
        let sealed = bundle::sign(&keys, Kind::DeviceBundle, signer, &payload).seal(&to, entropy);
        if sealed.is_empty() {
            return Err(FieldError::Corrupt("the server's key".into()));
        }
        let n = i64::try_from(seq).unwrap_or(i64::MAX);
        let tx = self.conn.transaction()?;
        for s in &contents.seqs {
            tx.execute(
                "UPDATE changes SET bundled = ?2 WHERE seq = ?1",
                params![s, n],
            )?;
        }
        for o in &request.spot_check_outcomes {
            tx.execute(
                "UPDATE spot_check_outcomes SET bundled = ?2 WHERE id = ?1",
                params![o.id, n],
            )?;
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('bundle_seq', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [seq.to_string()],
        )?;
        tx.commit()?;
        Ok(ExportedBundle {
            bytes: sealed.len(),
            sealed,
            seq,
            cases,
            changes,
            outcomes,
            pages,
        })
    }

    /// A number kept in `meta` (0 when unset).
    pub(crate) fn meta_number(&self, key: &str) -> Result<u64> {
        Ok(self
            .meta(key)?
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0))
    }

    /// Takes a file received by hand. Sealed to this phone: the server's bundle for it is
    /// checked (signed by a trusted server key, for this device, neither a replay nor made for
    /// a phone further along) and applied as a sync round; a case another phone sealed to this
    /// one is imported ([`Store::import_sealed_case`]). Sealed to a server key this phone
    /// trusts: kept opaque in the relay queue for the next sync (once). Anything else is
    /// refused ([`FieldError::Sealed`] or [`FieldError::BadInput`]) and nothing changes.
    pub fn receive(&mut self, file: &[u8]) -> Result<Received> {
        let h = seal::header(file)?;
        if let Some(keys) = self
            .device_keys()?
            .filter(|k| k.public().id() == h.recipient)
        {
            let signed = seal::open(file, std::slice::from_ref(&keys), "phone")?;
            return match h.kind {
                Kind::ServerBundle => self.apply_server_bundle(&signed),
                Kind::CaseExport => {
                    let (case, new) = self.import_sealed_case(signed)?;
                    Ok(Received::CaseImported { case, new })
                }
                other => Err(FieldError::BadInput(format!(
                    "this file holds a {} sealed to this phone, which a phone does not receive; nothing changed",
                    other.name()
                ))),
            };
        }
        if self
            .trusted_server_keys()?
            .iter()
            .any(|k| k.id() == h.recipient)
        {
            if !matches!(h.kind, Kind::DeviceBundle | Kind::CaseExport) {
                return Err(FieldError::BadInput(format!(
                    "this file holds a {} for the server, which it does not take from a phone; nothing changed",
                    h.kind.name()
                )));
            }
            return self.keep_for_relay(file, h.kind);
        }
        Err(SealError::NotForUs {
            recipient: h.recipient,
            holder: "phone",
        }
        .into())
    }

    /// Applies the server's bundle for this phone, after every check.
    fn apply_server_bundle(&mut self, signed: &Signed) -> Result<Received> {
        let trusted = self.trusted_server_keys()?;
        let by = bundle::server_key(&trusted, &signed.signer)?;
        let sb: ServerBundle = signed.open_as(Kind::ServerBundle, by)?;
        let me = self.meta("device_id")?.unwrap_or_default();
        if sb.device != me {
            return Err(SealError::OtherDevice { device: sb.device }.into());
        }
        let resp: SyncResponse = wire::decode(&sb.response)
            .map_err(|e| SealError::Malformed(format!("the server's updates: {e}")))?;
        let at = self.cursor()?;
        if position(&sb.from) > position(&at) {
            return Err(SealError::Ahead.into());
        }
        if position(&resp.cursor) <= position(&at) {
            return Err(SealError::Replay.into());
        }
        let stats = self.apply_round(&Outbox::default(), &resp)?;
        self.settle_outcomes(&resp.spot_check_results)?;
        Ok(Received::Applied {
            documents: stats.documents,
            changes: stats.changes,
            confirmed: stats.confirmed,
        })
    }

    /// Keeps a sealed file for the server in the relay queue (once).
    fn keep_for_relay(&mut self, file: &[u8], kind: Kind) -> Result<Received> {
        let added = super::sealed_cases::keep_for_relay(&self.conn, file, kind)?;
        let (id, kind) = (sha256_hex(file), kind.name().to_owned());
        Ok(if added {
            Received::KeptForRelay { kind, id }
        } else {
            Received::AlreadyHeld { kind, id }
        })
    }

    /// The files to send to the server at the next sync: (id, sealed bytes), oldest first,
    /// leaving out those the server refused.
    pub fn relay_pending(&self) -> Result<Vec<(String, Vec<u8>)>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, sealed FROM relay WHERE refused IS NULL ORDER BY received_at, id",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The server took a relayed file: it leaves the phone.
    pub fn relay_done(&mut self, id: &str) -> Result<()> {
        self.conn.execute("DELETE FROM relay WHERE id = ?1", [id])?;
        Ok(())
    }

    /// The server refused a relayed file: it stays with the reason and is not sent again
    /// (`homeward relay drop` removes it).
    pub fn relay_refused(&mut self, id: &str, reason: &str) -> Result<()> {
        self.conn.execute(
            "UPDATE relay SET refused = ?2 WHERE id = ?1",
            params![id, reason],
        )?;
        Ok(())
    }

    /// Every file held for the server, oldest first.
    pub fn relay_list(&self) -> Result<Vec<RelayItem>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, kind, received_at, length(sealed), refused FROM relay ORDER BY received_at, id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(RelayItem {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    received_at: r.get(2)?,
                    bytes: usize::try_from(r.get::<_, i64>(3)?).unwrap_or(0),
                    refused: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Removes a file held for the server, by its id or the start of it (at least 6
    /// characters); returns what was removed.
    pub fn relay_drop(&mut self, id: &str) -> Result<RelayItem> {
        let id = id.trim().to_ascii_lowercase();
        if id.len() < 6 {
            return Err(FieldError::BadInput(format!(
                "give at least 6 characters of the file's id, not '{id}' (`homeward relay` lists them)"
            )));
        }
        let found: Vec<RelayItem> = self
            .relay_list()?
            .into_iter()
            .filter(|r| r.id.starts_with(&id))
            .collect();
        match found.as_slice() {
            [one] => {
                self.relay_done(&one.id)?;
                Ok(one.clone())
            }
            [] => Err(FieldError::BadInput(format!(
                "no file '{id}' is held for the server (`homeward relay` lists them)"
            ))),
            many => Err(FieldError::BadInput(format!(
                "'{id}' starts {} files' ids: give more characters",
                many.len()
            ))),
        }
    }

    /// Moves leftover files found in the data folder (a revoked device's, before this store was
    /// set up again here) into the relay queue, and deletes each file once it is in the store.
    /// Returns the files moved.
    pub fn relay_leftovers(&mut self) -> Result<Vec<String>> {
        let mut moved = Vec::new();
        let entries = std::fs::read_dir(&self.dir).map_err(|e| FieldError::io(&self.dir, e))?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                    n.starts_with(LEFTOVER_PREFIX) && n.ends_with(SEALED_EXTENSION)
                })
            })
            .collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).map_err(|e| FieldError::io(&path, e))?;
            // Only a sealed bundle is taken; anything else of that name stays as it is.
            let Ok(h) = seal::header(&bytes) else {
                continue;
            };
            if h.kind != Kind::DeviceBundle {
                continue;
            }
            self.keep_for_relay(&bytes, h.kind)?;
            std::fs::remove_file(&path).map_err(|e| FieldError::io(&path, e))?;
            moved.push(path.display().to_string());
        }
        Ok(moved)
    }
}

/// A cursor's place in the feed, to compare two: before the start, part-way through the
/// documents, then in the feed.
fn position(c: &Cursor) -> (u8, u64, &str) {
    match c {
        Cursor::Start => (0, 0, ""),
        Cursor::Documents { high, after } => (1, *high, after.as_str()),
        Cursor::Feed(n) => (2, *n, ""),
    }
}
