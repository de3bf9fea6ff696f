//! Bundles carried by hand (issue 14): a device's sealed changes, or one case it exported,
//! imported once whichever way they came (the command line, the dashboard, another phone
//! relaying them), checked case by case as a sync push would be; and the server's sealed
//! updates for one device.
//!
//! One rule holds the import together: a bundle's cases go through the push path
//! (`sync::store_push`), one case at a time inside a savepoint, so a bundle's case is stored or
//! refused exactly as the same changes pushed by that device in a sync would be, and one case
//! refused leaves the others stored.

use homeward_shared::bundle::{
    self, BundleReceipt, CaseExport, CaseResult, DeviceBundle, Revocation, ServerBundle,
};
use homeward_shared::seal::{self, ENTROPY_BYTES, Kind, PublicKeys, Signed, Signer};
use homeward_shared::wire::{self, BundleConfirmations};

use super::*;
use schema::Authority;

/// How a bundle reached the server: who answers for its import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    /// `homeward-sync-server bundle import` (an administrator at the server).
    Cli,
    /// The dashboard's upload, by a signed-in user.
    Dashboard {
        /// The user.
        user: String,
        /// Whether they are an admin (only an admin imports a revoked device's leftover).
        admin: bool,
    },
    /// Another phone relaying the file at its sync (`POST /api/v1/bundles`).
    Relay {
        /// The relaying device.
        device: String,
    },
}

impl Via {
    /// As stored in `bundles.via`.
    fn key(&self) -> String {
        match self {
            Via::Cli => "cli".into(),
            Via::Dashboard { user, .. } => format!("dashboard:{user}"),
            Via::Relay { device } => format!("relay:{device}"),
        }
    }

    /// Who the audit names.
    fn who(&self, conn: &Db) -> Result<String, ApiError> {
        Ok(match self {
            Via::Cli => COMMAND_LINE.into(),
            Via::Dashboard { user, .. } => user.clone(),
            Via::Relay { device } => conn
                .query_row("SELECT user_id FROM devices WHERE id = ?1", [device], |r| {
                    r.get(0)
                })
                .optional()?
                .unwrap_or_else(|| device.clone()),
        })
    }
}

/// Who the audit names for the command line (as `homeward-sync-server`'s own verbs do).
const COMMAND_LINE: &str = "command-line";

/// A server bundle made for one device: the sealed file and what it holds.
#[derive(Debug, Clone)]
pub struct ExportedBundle {
    /// The sealed file.
    pub sealed: Vec<u8>,
    /// The device it is for.
    pub device: String,
    /// Whole case documents in it.
    pub documents: usize,
    /// Changes in it.
    pub changes: usize,
    /// Cases the device no longer holds.
    pub dropped: usize,
    /// Whether it carries bundle confirmations.
    pub confirmations: bool,
}

/// The author of a bundle as the server knows it.
struct Author {
    auth: DeviceAuth,
    keys: PublicKeys,
    /// `coalesce(device revoked_at, user disabled_at)`.
    revoked_at: Option<String>,
}

/// A phone a server bundle can be made for (not revoked, with keys), for the dashboard's list.
#[derive(Debug, Clone)]
pub struct KeyedDevice {
    /// Device id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its user.
    pub user: WebUser,
    /// When it last synced.
    pub last_seen: Option<String>,
}

impl Store {
    /// Phones with keys, not revoked, of users not disabled, with their users (and areas).
    pub fn keyed_devices(&self) -> Result<Vec<KeyedDevice>, ApiError> {
        let rows: Vec<(String, String, String, Option<String>)> = self
            .conn
            .prepare(
                "SELECT d.id, d.name, d.user_id, d.last_seen FROM devices d JOIN users u ON u.id = d.user_id
                 WHERE d.kind = 'phone' AND d.public_keys IS NOT NULL AND d.revoked_at IS NULL
                   AND u.disabled_at IS NULL
                 ORDER BY u.name, d.name, d.id",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<db::Result<_>>()?;
        rows.into_iter()
            .map(|(id, name, user, last_seen)| {
                Ok(KeyedDevice {
                    id,
                    name,
                    user: web_user_in(&self.conn, &user)?,
                    last_seen,
                })
            })
            .collect()
    }

    /// Imports a sealed bundle (server rules 1-7 of issue 14), all in one transaction: a file
    /// refused as a whole is an error (422 damaged, not sealed to this server or badly signed;
    /// 403 its author was revoked when it was made, or a leftover not allowed this way; 409
    /// older than a bundle already imported from that device) and nothing is stored; otherwise
    /// the receipt says, per case, what was stored or why it was refused. The same file again
    /// answers the first receipt with `already: true`.
    pub fn import_bundle(&mut self, sealed: &[u8], via: Via) -> Result<BundleReceipt, ApiError> {
        let id = hex::encode(sha256(sealed));
        let tx = self.tx()?;
        // 1. Opened with a key of ours.
        let head = seal::header(sealed).map_err(refused)?;
        if let Some(at) = keys::retired_at(&tx, &head.recipient.0)? {
            return Err(ApiError::Unprocessable(format!(
                "this file is sealed to server key {}, retired on {at}: the phone must sync once to learn the server's current key, then make the file again",
                head.recipient
            )));
        }
        let signed = seal::open(sealed, &keys::opening_in(&tx)?, "server").map_err(refused)?;
        // 2. Signed by a known device with its registered keys.
        let author = author(&tx, &signed)?;
        let (receipt, made_at) = match signed.kind() {
            Some(Kind::DeviceBundle) => {
                let b: DeviceBundle = signed
                    .open_as(Kind::DeviceBundle, &author.keys)
                    .map_err(refused)?;
                if b.device != author.auth.device_id {
                    return Err(ApiError::Forbidden(format!(
                        "this bundle names device {} but was signed by device {}: it is refused",
                        b.device, author.auth.device_id
                    )));
                }
                // 3. Revocation.
                match &b.revocation {
                    Some(statement) => leftover_allowed(&tx, &author, statement, &via)?,
                    None => made_before_revocation(&author, &b.made_at)?,
                }
                // 4. Once per file; never an older bundle after a newer.
                if let Some(r) = stored_receipt(&tx, &id)? {
                    return Ok(r);
                }
                let newest: Option<i64> = tx.query_row(
                    "SELECT max(seq) FROM bundles WHERE device_id = ?1 AND kind = 'device_bundle'",
                    [&author.auth.device_id],
                    |r| r.get(0),
                )?;
                if let Some(n) = newest
                    && i64::try_from(b.seq).unwrap_or(i64::MAX) <= n
                {
                    return Err(ApiError::Conflict(format!(
                        "bundle {} of device {} is older than bundle {n} already imported from this device: everything in it came with that one",
                        b.seq, author.auth.device_id
                    )));
                }
                (import_device_bundle(&tx, &id, &author, &b)?, b.made_at)
            }
            Some(Kind::CaseExport) => {
                let e: CaseExport = signed
                    .open_as(Kind::CaseExport, &author.keys)
                    .map_err(refused)?;
                if e.device != author.auth.device_id {
                    return Err(ApiError::Forbidden(format!(
                        "this case export names device {} but was signed by device {}: it is refused",
                        e.device, author.auth.device_id
                    )));
                }
                made_before_revocation(&author, &e.made_at)?;
                if let Some(r) = stored_receipt(&tx, &id)? {
                    return Ok(r);
                }
                (
                    import_case_export(&tx, &id, &author, &e)?,
                    e.made_at.clone(),
                )
            }
            _ => {
                return Err(ApiError::Unprocessable(format!(
                    "this file holds {}, not a device's bundle or an exported case",
                    head.kind.name()
                )));
            }
        };
        // 7. The bundle, its receipt and the audit.
        let kind = receipt.kind.clone();
        tx.execute(
            "INSERT INTO bundles (id, device_id, kind, seq, made_at, imported_at, via, receipt)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                id,
                author.auth.device_id,
                kind,
                i64::try_from(receipt.seq).unwrap_or(i64::MAX),
                made_at,
                now().to_rfc3339(),
                via.key(),
                serde_json::to_string(&receipt).map_err(|e| ApiError::Internal(e.to_string()))?
            ],
        )?;
        let stored = receipt.cases.iter().filter(|c| c.refused.is_none()).count();
        tx.execute(
            "INSERT INTO audit (at, user_id, action, detail) VALUES (?1, ?2, 'bundle-import', ?3)",
            params![
                now().to_rfc3339(),
                via.who(&tx)?,
                format!(
                    "{kind} {} of device {} via {}: {stored} of {} case(s) stored, {} page(s)",
                    receipt.seq,
                    author.auth.device_id,
                    via.key(),
                    receipt.cases.len(),
                    receipt.pages
                )
            ],
        )?;
        tx.commit()?;
        Ok(receipt)
    }

    /// The server's updates for one device as a sealed file (server rule 8): the whole pull
    /// from what the device confirmed, the reference data, and the confirmations of its
    /// bundles after its `bundle_seen`; signed with the current key and sealed to the
    /// device's keys. `by` is audited. A device without keys, or revoked, is refused.
    pub fn export_bundle(&mut self, device_id: &str, by: &str) -> Result<ExportedBundle, ApiError> {
        let tx = self.tx()?;
        type Row = (Option<String>, i64, i64, Option<String>, bool);
        let row: Option<Row> = tx
            .query_row(
                "SELECT d.public_keys, d.confirmed_seq, d.bundle_seen, coalesce(d.revoked_at, u.disabled_at),
                        d.last_cursor IS NOT NULL
                 FROM devices d JOIN users u ON u.id = d.user_id WHERE d.id = ?1 AND d.kind = 'phone'",
                [device_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let Some((keys_text, confirmed, bundle_seen, revoked, synced)) = row else {
            return Err(ApiError::NotFound(format!("no device '{device_id}'")));
        };
        if let Some(at) = revoked {
            return Err(ApiError::Conflict(format!(
                "device {device_id} was revoked on {at}: it receives nothing more"
            )));
        }
        let Some(keys_text) = keys_text else {
            return Err(ApiError::Conflict(format!(
                "device {device_id} has no keys yet, so nothing can be sealed to it: it gets them at its next sync (or a new enrolment)"
            )));
        };
        let keys = PublicKeys::from_text(&keys_text)
            .map_err(|e| ApiError::Internal(format!("stored keys of {device_id}: {e}")))?;
        let device = device_auth_in(&tx, device_id)?;
        // From the feed position the device confirmed. `Start` only for a device that never
        // finished a round: a first sync's documents leave out the cases the device created
        // (it holds them) and assume nobody changed them before its first push, which no longer
        // holds once it has synced (the regression: a supervisor's visit to a case the phone
        // registered never reached it by file).
        let from = if confirmed > 0 || synced {
            Cursor::Feed(u64::try_from(confirmed).unwrap_or(0))
        } else {
            Cursor::Start
        };
        // The whole pull, page after page merged into one response.
        let mut resp = pull::pull(&tx, &device, &from, usize::MAX)?;
        while resp.more {
            let next = pull::pull(&tx, &device, &resp.cursor, usize::MAX)?;
            for d in next.documents {
                resp.changes.retain(|c| c.case_id != d.case_id);
                resp.dropped.retain(|c| *c != d.case_id);
                resp.documents.retain(|x| x.case_id != d.case_id);
                resp.documents.push(d);
            }
            for c in next.dropped {
                resp.documents.retain(|d| d.case_id != c);
                resp.changes.retain(|x| x.case_id != c);
                resp.dropped.push(c);
            }
            resp.changes.extend(next.changes);
            if resp.cursor == next.cursor {
                break;
            }
            resp.cursor = next.cursor;
            resp.more = next.more;
        }
        resp.reference = Some(sync::reference(&tx, &device.user_id, 0)?);
        resp.bundled = confirmations(&tx, device_id, u64::try_from(bundle_seen).unwrap_or(0))?;
        let current = keys::current_in(&tx)?;
        let payload = ServerBundle {
            device: device_id.to_owned(),
            made_at: now().to_rfc3339(),
            from,
            response: wire::encode(&resp),
        };
        let signed = bundle::sign(
            &current,
            Kind::ServerBundle,
            Signer::Server {
                key: current.public().id(),
            },
            &payload,
        );
        let mut entropy = [0u8; ENTROPY_BYTES];
        getrandom::fill(&mut entropy)
            .map_err(|e| ApiError::Internal(format!("no randomness: {e}")))?;
        let sealed = signed.seal(&keys, entropy);
        let out = ExportedBundle {
            device: device_id.to_owned(),
            documents: resp.documents.len(),
            changes: resp.changes.len(),
            dropped: resp.dropped.len(),
            confirmations: resp.bundled.is_some(),
            sealed,
        };
        tx.execute(
            "INSERT INTO audit (at, user_id, action, detail) VALUES (?1, ?2, 'bundle-export', ?3)",
            params![
                now().to_rfc3339(),
                by,
                format!(
                    "for device {device_id}: {} document(s), {} change(s), {} bytes",
                    out.documents,
                    out.changes,
                    out.sealed.len()
                )
            ],
        )?;
        tx.commit()?;
        Ok(out)
    }
}

/// A file refused as a whole for what its seal says: 422 with the seal's own words.
fn refused(e: seal::SealError) -> ApiError {
    ApiError::Unprocessable(e.to_string())
}

/// The signing device, its registered keys checked against the signature.
fn author(tx: &Db, signed: &Signed) -> Result<Author, ApiError> {
    let Signer::Device { device, key } = &signed.signer else {
        return Err(ApiError::Unprocessable(format!(
            "this file is signed by {}, not by a device",
            signed.signer
        )));
    };
    let row: Option<(Option<String>, Option<String>)> = tx
        .query_row(
            "SELECT d.public_keys, coalesce(d.revoked_at, u.disabled_at)
             FROM devices d JOIN users u ON u.id = d.user_id WHERE d.id = ?1 AND d.kind = 'phone'",
            [device],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((keys, revoked_at)) = row else {
        return Err(ApiError::Unprocessable(format!(
            "this file is signed by device {device}, which this server does not know"
        )));
    };
    let keys = keys
        .as_deref()
        .map(PublicKeys::from_text)
        .transpose()
        .map_err(|e| ApiError::Internal(format!("stored keys of {device}: {e}")))?;
    let Some(keys) = keys.filter(|k| k.id() == *key) else {
        return Err(ApiError::Unprocessable(format!(
            "the signature does not match device {device}'s registered keys: the file was not made by who it says"
        )));
    };
    signed.verify(&keys).map_err(refused)?;
    Ok(Author {
        auth: device_auth_in(tx, device)?,
        keys,
        revoked_at,
    })
}

/// A device as a sync would authenticate it (revoked or not: a bundle may predate it).
fn device_auth_in(conn: &Db, device_id: &str) -> Result<DeviceAuth, ApiError> {
    let (user_id, user_name, role, actor): (String, String, String, Vec<u8>) = conn.query_row(
        "SELECT d.user_id, u.name, u.role, d.actor FROM devices d JOIN users u ON u.id = d.user_id WHERE d.id = ?1",
        [device_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    Ok(DeviceAuth {
        device_id: device_id.to_owned(),
        user_id,
        user_name,
        role: Role::parse(&role).ok_or_else(|| ApiError::Internal(format!("bad role {role}")))?,
        actor,
    })
}

fn instant(s: &str, what: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| ApiError::Unprocessable(format!("{what} '{s}' is not a time")))
}

/// Rule 3: a revoked author's file is taken only if made (by its signed clock) before.
fn made_before_revocation(author: &Author, made_at: &str) -> Result<(), ApiError> {
    let Some(revoked) = &author.revoked_at else {
        return Ok(());
    };
    if instant(made_at, "the file's time")? < instant(revoked, "the revocation time")? {
        return Ok(());
    }
    Err(ApiError::Forbidden(format!(
        "device {} was revoked on {revoked} and this file was made on {made_at}, after: it is refused (if the phone was lost, its files are not to be trusted)",
        author.auth.device_id
    )))
}

/// Rule 3, a leftover (made at a wipe on a verified revocation): the statement must be the
/// server's for that device, and the file must come from an admin, or be relayed by another
/// device of the same user enrolled after the revocation.
fn leftover_allowed(tx: &Db, author: &Author, statement: &[u8], via: &Via) -> Result<(), ApiError> {
    let r: Revocation =
        bundle::verify_revocation(statement, &keys::offered_in(tx)?, &author.auth.device_id)
            .map_err(|e| {
                ApiError::Forbidden(format!(
                    "this leftover file's revocation statement does not verify: {e}"
                ))
            })?;
    let allowed = match via {
        Via::Cli | Via::Dashboard { admin: true, .. } => true,
        Via::Dashboard { admin: false, .. } => false,
        Via::Relay { device } => {
            let row: Option<(String, String)> = tx
                .query_row(
                    "SELECT user_id, enrolled_at FROM devices WHERE id = ?1",
                    [device],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            match row {
                Some((user, enrolled)) => {
                    user == author.auth.user_id
                        && *device != author.auth.device_id
                        && instant(&enrolled, "an enrolment time")?
                            > instant(&r.revoked_at, "the revocation time")?
                }
                None => false,
            }
        }
    };
    if allowed {
        return Ok(());
    }
    Err(ApiError::Forbidden(format!(
        "this is what device {} held when it was wiped on its revocation ({}): only an admin imports it (homeward-sync-server bundle import FILE, or the dashboard's Bundles page as an admin), or a new phone of the same fieldworker relays it",
        author.auth.device_id, r.revoked_at
    )))
}

/// The receipt of a file imported before, marked `already`.
fn stored_receipt(tx: &Db, id: &str) -> Result<Option<BundleReceipt>, ApiError> {
    let text: Option<String> = tx
        .query_row("SELECT receipt FROM bundles WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?;
    text.map(|t| {
        let mut r: BundleReceipt = serde_json::from_str(&t)
            .map_err(|e| ApiError::Internal(format!("stored receipt of {id}: {e}")))?;
        r.already = true;
        Ok(r)
    })
    .transpose()
}

/// One case pushed as its author would in a sync, inside a savepoint: `Ok(None)` stored (the
/// count of its changes the server holds), `Ok(Some(reason))` refused with nothing of it kept.
fn push_one(
    tx: &Db,
    author: &DeviceAuth,
    confirmed: i64,
    case: &CasePush,
) -> Result<Result<u32, String>, ApiError> {
    tx.execute_batch("SAVEPOINT bundle_case")?;
    match sync::store_push(
        tx,
        author,
        confirmed,
        std::slice::from_ref(case),
        None,
        Authority::Device,
    ) {
        Ok(n) => {
            tx.execute_batch("RELEASE bundle_case")?;
            Ok(Ok(n))
        }
        Err(e) if e.status().is_client_error() => {
            tx.execute_batch("ROLLBACK TO bundle_case; RELEASE bundle_case")?;
            Ok(Err(e.to_string()))
        }
        Err(e) => Err(e),
    }
}

/// Rules 5 and 7 for a device's bundle.
fn import_device_bundle(
    tx: &Db,
    id: &str,
    author: &Author,
    b: &DeviceBundle,
) -> Result<BundleReceipt, ApiError> {
    let req = wire::decode_request(&b.request)
        .map_err(|e| ApiError::Unprocessable(format!("the bundle's changes do not read: {e}")))?;
    let device = &author.auth;
    // The request's cursor confirms feed rows as a sync's would (never backwards).
    let confirmed: i64 = tx.query_row(
        "SELECT confirmed_seq FROM devices WHERE id = ?1",
        [&device.device_id],
        |r| r.get(0),
    )?;
    let high: i64 = tx.query_row("SELECT coalesce(max(seq), 0) FROM feed", [], |r| r.get(0))?;
    let confirmed = match sync::checked_cursor(&req.cursor, confirmed, high, &sync::feed_gaps(tx)?)
    {
        Cursor::Feed(n) => confirmed.max(i64::try_from(n).unwrap_or(i64::MAX)),
        _ => confirmed,
    };
    tx.execute(
        "UPDATE devices SET confirmed_seq = ?2 WHERE id = ?1",
        params![device.device_id, confirmed],
    )?;
    let seq = i64::try_from(b.seq).unwrap_or(i64::MAX);
    let mut cases = Vec::with_capacity(req.push.len());
    for case in &req.push {
        match push_one(tx, device, confirmed, case)? {
            Ok(n) => {
                for bytes in &case.changes {
                    // Stored, so each parsed before.
                    if let Ok(c) = untrusted::parse_change(bytes) {
                        tx.execute(
                            "INSERT INTO bundle_changes (device_id, seq, hash) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                            params![device.device_id, seq, hex::encode(c.hash().0)],
                        )?;
                    }
                }
                cases.push(CaseResult {
                    case: case.case_id.clone(),
                    changes: n,
                    refused: None,
                });
            }
            Err(why) => cases.push(CaseResult {
                case: case.case_id.clone(),
                changes: 0,
                refused: Some(why),
            }),
        }
    }
    let outcomes = if req.spot_check_outcomes.is_empty() {
        Vec::new()
    } else {
        let user = web_user_in(tx, &device.user_id)?;
        spotchecks::record_outcomes(tx, &user, &req.spot_check_outcomes)?
    };
    for (spot_check, why) in &outcomes {
        if why.is_none() {
            tx.execute(
                "INSERT INTO bundle_outcomes (device_id, seq, spot_check_id) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                params![device.device_id, seq, spot_check],
            )?;
        }
    }
    let mut pages = 0u32;
    for page in &b.pages {
        if store_page(tx, device, &page.hash, &page.bytes)? {
            pages += 1;
        }
    }
    Ok(BundleReceipt {
        bundle: id.to_owned(),
        kind: "device_bundle".into(),
        device: device.device_id.clone(),
        user_name: device.user_name.clone(),
        seq: b.seq,
        already: false,
        cases,
        outcomes,
        pages,
    })
}

/// A page carried whole: stored when a case the author may write lists it (its hash and type
/// checked), once. Whether it was stored now.
fn store_page(tx: &Db, device: &DeviceAuth, hash: &str, bytes: &[u8]) -> Result<bool, ApiError> {
    use homeward_shared::{attachment, model::MediaType};
    let Ok((size, media_type)) = attachments::writable_page(tx, device, hash) else {
        return Ok(false); // Not listed by a case in scope (a refused case's page, say).
    };
    let held: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM attachment_blobs WHERE hash = ?1)",
        [hash],
        |r| r.get(0),
    )?;
    if held
        || u64::try_from(bytes.len()).ok() != Some(size)
        || attachment::sha256_hex(bytes) != hash
        || MediaType::sniff(bytes) != Some(media_type)
    {
        return Ok(false);
    }
    tx.execute(
        "INSERT INTO attachment_blobs (hash, media_type, size, bytes, stored_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            hash,
            media_type.key(),
            i64::try_from(size).unwrap_or(i64::MAX),
            bytes,
            now().to_rfc3339()
        ],
    )?;
    tx.execute("DELETE FROM attachment_uploads WHERE hash = ?1", [hash])?;
    tx.execute("DELETE FROM attachment_chunks WHERE hash = ?1", [hash])?;
    Ok(true)
}

/// Rule 6: an exported case. The changes the server lacks must all be the author's (each
/// checked as its push); a change of another device the server has not received refuses it.
fn import_case_export(
    tx: &Db,
    id: &str,
    author: &Author,
    e: &CaseExport,
) -> Result<BundleReceipt, ApiError> {
    let device = &author.auth;
    let result = |changes, refused| BundleReceipt {
        bundle: id.to_owned(),
        kind: "case_export".into(),
        device: device.device_id.clone(),
        user_name: device.user_name.clone(),
        seq: 0,
        already: false,
        cases: vec![CaseResult {
            case: e.case.clone(),
            changes,
            refused,
        }],
        outcomes: Vec::new(),
        pages: 0,
    };
    let mut doc = match untrusted::load(&e.document) {
        Ok(d) => d,
        Err(err) => {
            return Ok(result(
                0,
                Some(format!("the case's document does not read: {err}")),
            ));
        }
    };
    let held: Option<Vec<u8>> = tx
        .query_row("SELECT doc FROM cases WHERE id = ?1", [&e.case], |r| {
            r.get(0)
        })
        .optional()?;
    let held = held
        .map(|d| untrusted::load(&d))
        .transpose()
        .map_err(|err| {
            ApiError::Internal(format!("stored case {} does not load: {err}", e.case))
        })?;
    let mut missing = Vec::new();
    for c in doc.get_changes(&[]) {
        if held
            .as_ref()
            .is_some_and(|h| h.get_change_by_hash(&c.hash()).is_some())
        {
            continue;
        }
        if c.actor_id().to_bytes() != device.actor.as_slice() {
            return Ok(result(
                0,
                Some(format!(
                    "case {}: holds changes made on another device that the server has not received: that device must sync first",
                    e.case
                )),
            ));
        }
        missing.push(c.raw_bytes().to_vec());
    }
    let push = CasePush {
        case_id: e.case.clone(),
        changes: missing,
    };
    let confirmed: i64 = tx.query_row(
        "SELECT confirmed_seq FROM devices WHERE id = ?1",
        [&device.device_id],
        |r| r.get(0),
    )?;
    Ok(match push_one(tx, device, confirmed, &push)? {
        Ok(n) => result(n, None),
        Err(why) => result(0, Some(why)),
    })
}

/// What the server holds from a device's bundles after `seen` (its `bundle_seen`), for its
/// sync's answer; `None` when nothing.
pub(super) fn confirmations(
    tx: &Db,
    device_id: &str,
    seen: u64,
) -> Result<Option<BundleConfirmations>, ApiError> {
    let seen = i64::try_from(seen).unwrap_or(i64::MAX);
    let changes: Vec<(i64, String)> = tx
        .prepare_cached(
            "SELECT seq, hash FROM bundle_changes WHERE device_id = ?1 AND seq > ?2 ORDER BY seq, hash",
        )?
        .query_map(params![device_id, seen], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<db::Result<_>>()?;
    let outcomes: Vec<(i64, String)> = tx
        .prepare_cached(
            "SELECT seq, spot_check_id FROM bundle_outcomes WHERE device_id = ?1 AND seq > ?2 ORDER BY seq, spot_check_id",
        )?
        .query_map(params![device_id, seen], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<db::Result<_>>()?;
    // The highest bundle imported counts even when it brought nothing new to confirm.
    let high: Option<i64> = tx.query_row(
        "SELECT max(seq) FROM bundles WHERE device_id = ?1 AND kind = 'device_bundle' AND seq > ?2",
        params![device_id, seen],
        |r| r.get(0),
    )?;
    let Some(high) = high else {
        return Ok(None);
    };
    Ok(Some(BundleConfirmations {
        seq: u64::try_from(high).unwrap_or(0),
        changes: changes.into_iter().map(|(_, h)| h).collect(),
        outcomes: outcomes.into_iter().map(|(_, o)| o).collect(),
    }))
}
