//! One sync round: the push checked against the device's scope and stored all or nothing,
//! then the pull of what the device may read after its cursor; and case assignment, which
//! feeds the grants and revocations devices receive.

use super::*;
use crate::scope::SyncScope;
use homeward_shared::schema::Authority;

/// The most response bytes a device may ask for in one round.
pub const MAX_BUDGET: u32 = 1024 * 1024;

/// For how long after a transfer the former holder's device may still push to the case what it
/// recorded before it learned of the transfer (it learns at its next sync, when it confirms the
/// revocation; then it may push nothing more). A phone offline for longer than this has its
/// changes refused and set aside on the phone, for a supervisor to settle.
pub const TRANSFER_GRACE_DAYS: i64 = 30;

/// The largest saved case document the server stores (a case of 200 visits is about 13 KB).
pub const MAX_CASE_BYTES: usize = 2 * 1024 * 1024;

impl Store {
    /// Assigns (or transfers) a case to a user. The previous holder loses it through the feed.
    pub fn assign(&mut self, case_id: &str, user_id: &str) -> Result<(), ApiError> {
        let tx = self.tx()?;
        let case: Option<String> = tx
            .query_row("SELECT id FROM cases WHERE id = ?1", [case_id], |r| {
                r.get(0)
            })
            .optional()?;
        if case.is_none() {
            return Err(ApiError::NotFound(format!("no case '{case_id}'")));
        }
        let user: Option<String> = tx
            .query_row("SELECT id FROM users WHERE id = ?1", [user_id], |r| {
                r.get(0)
            })
            .optional()?;
        if user.is_none() {
            return Err(ApiError::NotFound(format!("no user '{user_id}'")));
        }
        assign_in(&tx, case_id, user_id, None)?;
        tx.commit()?;
        Ok(())
    }

    /// One sync round for an authenticated device: stores the pushed changes (all or none),
    /// then answers with what the device may read after its cursor.
    pub fn sync(
        &mut self,
        device: &DeviceAuth,
        req: &SyncRequest,
    ) -> Result<SyncResponse, ApiError> {
        // A round that stores nothing (the most common: a phone with nothing new) writes only
        // the device's own row, so on PostgreSQL it takes no writer lock and the rounds of
        // several nodes run side by side. It reads the feed as committed: writers number it
        // under the lock, in commit order, so what it sees is always a prefix.
        let tx = self.conn.transaction_unlocked()?;
        if !req.push.is_empty() || !req.spot_check_outcomes.is_empty() {
            tx.lock_writers()?;
        }
        // The cursor a device sends is what it has applied: it confirms every feed row up to it.
        // A cursor behind what it confirmed before (a store restored from a copy, or a forged
        // one), or beyond the feed, starts it over from its current scope.
        let confirmed: i64 = tx.query_row(
            "SELECT confirmed_seq FROM devices WHERE id = ?1",
            [&device.device_id],
            |r| r.get(0),
        )?;
        let high: i64 = tx.query_row("SELECT coalesce(max(seq), 0) FROM feed", [], |r| r.get(0))?;
        let cursor = checked_cursor(&req.cursor, confirmed, high, &feed_gaps(&tx)?);
        let confirmed = match &cursor {
            Cursor::Feed(n) => confirmed.max(i64::try_from(*n).unwrap_or(i64::MAX)),
            _ => confirmed,
        };
        // The bundle confirmations it has applied: those after it are sent (issue 14).
        tx.execute(
            "UPDATE devices SET confirmed_seq = ?2, bundle_seen = ?3 WHERE id = ?1",
            params![
                device.device_id,
                confirmed,
                i64::try_from(req.bundle_seen).unwrap_or(i64::MAX)
            ],
        )?;
        let stored = store_push(&tx, device, confirmed, &req.push, None, Authority::Device)?;
        let budget = usize::try_from(req.budget.clamp(1024, MAX_BUDGET)).unwrap_or(65536);
        let mut resp = super::pull::pull(&tx, device, &cursor, budget)?;
        resp.stored = stored;
        resp.bundled = bundles::confirmations(&tx, &device.device_id, req.bundle_seen)?;
        if !req.spot_check_outcomes.is_empty() {
            let user = web_user_in(&tx, &device.user_id)?;
            resp.spot_check_results =
                spotchecks::record_outcomes(&tx, &user, &req.spot_check_outcomes)?;
        }
        // The reference data (areas, assignments, spot checks, send-backs, the programme) is
        // read and sent only when its version moved (a new programme moves every user's): an
        // idle sync costs one indexed lookup here.
        let version: i64 = tx.query_row(
            "SELECT ref_version FROM users WHERE id = ?1",
            [&device.user_id],
            |r| r.get(0),
        )?;
        if u64::try_from(version).unwrap_or(0) != req.reference_version {
            resp.reference = Some(reference(&tx, &device.user_id, req.resources_version)?);
        }
        let cursor_seq = match &resp.cursor {
            Cursor::Feed(s) => Some(i64::try_from(*s).unwrap_or(i64::MAX)),
            _ => None,
        };
        tx.execute(
            "UPDATE devices SET last_seen = ?2, last_cursor = coalesce(?3, last_cursor) WHERE id = ?1",
            params![device.device_id, now().to_rfc3339(), cursor_seq],
        )?;
        tx.commit()?;
        Ok(resp)
    }

    /// Stores changes as if pushed by a device (the demo fills the server this way).
    pub fn push_as(&mut self, device: &DeviceAuth, push: &[CasePush]) -> Result<(), ApiError> {
        let tx = self.tx()?;
        store_push(&tx, device, 0, push, None, Authority::Device)?;
        tx.commit()?;
        Ok(())
    }
}

/// The cursor to answer: the device's own, or [`Cursor::Start`] when it is behind the feed
/// position the device already confirmed, beyond the feed, or inside a gap a restore left
/// (`gaps`, from [`feed_gaps`]: a position the lost server gave and this one never will).
pub(super) fn checked_cursor(
    cursor: &Cursor,
    confirmed: i64,
    high: i64,
    gaps: &[(i64, i64)],
) -> Cursor {
    let known = |n: u64| {
        i64::try_from(n).is_ok_and(|n| {
            (confirmed..=high).contains(&n)
                && !gaps.iter().any(|(after, until)| n > *after && n <= *until)
        })
    };
    match cursor {
        Cursor::Feed(n) | Cursor::Documents { high: n, .. } if !known(*n) => Cursor::Start,
        other => other.clone(),
    }
}

/// The gaps restores left in the feed's numbering: (the backup's highest position, the first
/// the restored server numbers after). Usually none.
pub(super) fn feed_gaps(conn: &Db) -> Result<Vec<(i64, i64)>, ApiError> {
    Ok(conn
        .prepare_cached("SELECT after, until FROM feed_gaps")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<db::Result<_>>()?)
}

/// Records that `user_id` now holds the case. `by_device` is the device that created the case,
/// which already holds it and so is not sent the document again.
pub(super) fn assign_in(
    tx: &Db,
    case_id: &str,
    user_id: &str,
    by_device: Option<&str>,
) -> Result<(), ApiError> {
    let at = now().to_rfc3339();
    let previous: Option<String> = tx
        .query_row(
            "SELECT user_id FROM assignments WHERE case_id = ?1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?;
    if previous.as_deref() == Some(user_id) {
        return Ok(());
    }
    if let Some(prev) = &previous {
        tx.execute(
            "INSERT INTO feed (kind, case_id, user_id, at) VALUES ('revoke', ?1, ?2, ?3)",
            params![case_id, prev, at],
        )?;
        tx.execute(
            "UPDATE users SET ref_version = ref_version + 1 WHERE id = ?1",
            [prev],
        )?;
    }
    tx.execute(
        "INSERT INTO assignments (case_id, user_id, since) VALUES (?1, ?2, ?3)
         ON CONFLICT (case_id) DO UPDATE SET user_id = excluded.user_id, since = excluded.since",
        params![case_id, user_id, at],
    )?;
    tx.execute(
        "INSERT INTO feed (kind, case_id, user_id, device_id, at) VALUES ('grant', ?1, ?2, ?3, ?4)",
        params![case_id, user_id, by_device, at],
    )?;
    tx.execute(
        "UPDATE users SET ref_version = ref_version + 1 WHERE id = ?1",
        [user_id],
    )?;
    Ok(())
}

/// Whether the user's areas cover (district, block).
pub(super) fn in_areas(
    tx: &Db,
    user_id: &str,
    district: &str,
    block: &str,
) -> Result<bool, ApiError> {
    Ok(tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM user_areas WHERE user_id = ?1 AND district = ?2 AND (block = '' OR block = ?3))",
        params![user_id, district, block],
        |r| r.get(0),
    )?)
}

/// Whether the device's user may write to an existing case. `confirmed` is the feed position
/// the device has confirmed.
pub(super) fn may_write(
    tx: &Db,
    device: &DeviceAuth,
    confirmed: i64,
    case_id: &str,
    district: &str,
    block: &str,
) -> Result<bool, ApiError> {
    Ok(match SyncScope::writes(device.role) {
        SyncScope::Everything => true,
        SyncScope::Nothing => false,
        SyncScope::Areas => in_areas(tx, &device.user_id, district, block)?,
        // A fieldworker writes to the cases they hold. A former holder's device may still push
        // what it recorded offline before it learned of the transfer: until it confirms the
        // revocation, within TRANSFER_GRACE_DAYS of it.
        SyncScope::Held => {
            let since = (now() - Duration::days(TRANSFER_GRACE_DAYS)).to_rfc3339();
            tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM assignments WHERE case_id = ?1 AND user_id = ?2)
                     OR EXISTS (SELECT 1 FROM feed WHERE kind = 'revoke' AND case_id = ?1
                                AND user_id = ?2 AND seq > ?3 AND at > ?4)",
                params![case_id, device.user_id, confirmed, since],
                |r| r.get(0),
            )?
        }
    })
}

/// Stores a push, all of it or none: the caller's transaction is dropped on error. `moving`:
/// the district and block a supervisor's approved move takes the pushed case to (the one way a
/// case's place changes: `store/moves.rs`); `None` for every sync. `authority`: how its changes
/// are checked, [`Authority::Device`] for every sync and dashboard edit, [`Authority::Merge`]
/// only for the server's merge of two cases (`store/merges.rs`).
pub(super) fn store_push(
    tx: &Db,
    device: &DeviceAuth,
    confirmed: i64,
    push: &[CasePush],
    moving: Option<(&str, &str)>,
    authority: Authority,
) -> Result<u32, ApiError> {
    let mut stored = 0u32;
    let at = now().to_rfc3339();
    for case in push {
        stored += store_case(tx, device, confirmed, case, &at, moving, authority).map_err(|e| {
            if e.status().is_client_error() {
                ApiError::CaseRefused {
                    case_id: case.case_id.clone(),
                    source: Box::new(e),
                }
            } else {
                e
            }
        })?;
    }
    Ok(stored)
}

/// Checks and stores the changes of one case; returns how many the server now holds.
fn store_case(
    tx: &Db,
    device: &DeviceAuth,
    confirmed: i64,
    case: &CasePush,
    at: &str,
    moving: Option<(&str, &str)>,
    authority: Authority,
) -> Result<u32, ApiError> {
    if case.changes.is_empty() {
        return Ok(0);
    }
    // The role first: a CWC member's device never writes, so nothing it sends is even parsed.
    if device.role == Role::Cwc {
        return Err(ApiError::Forbidden(format!(
            "case {}: a CWC member's device does not write cases",
            case.case_id
        )));
    }
    let mut changes = Vec::with_capacity(case.changes.len());
    for bytes in &case.changes {
        let change = untrusted::parse_change(bytes).map_err(|e| {
            ApiError::BadRequest(format!("case {}: a change is malformed: {e}", case.case_id))
        })?;
        if change.actor_id().to_bytes() != device.actor.as_slice() {
            return Err(ApiError::Forbidden(format!(
                "case {}: a change was made by another device (actor {})",
                case.case_id,
                change.actor_id()
            )));
        }
        changes.push(change);
    }
    let existing: Option<(String, String, Vec<u8>)> = tx
        .query_row(
            "SELECT district, block, doc FROM cases WHERE id = ?1",
            [&case.case_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let new_case = existing.is_none();
    let doc = match &existing {
        Some((district, block, doc)) => {
            if !may_write(tx, device, confirmed, &case.case_id, district, block)? {
                return Err(ApiError::Forbidden(format!(
                    "case {} is not in this device's scope",
                    case.case_id
                )));
            }
            untrusted::load(doc).map_err(|e| {
                ApiError::Internal(format!("stored case {} does not load: {e}", case.case_id))
            })?
        }
        None => AutoCommit::new(),
    };
    let fresh: Vec<Change> = changes
        .into_iter()
        .filter(|c| doc.get_change_by_hash(&c.hash()).is_none())
        .collect();
    let stored = u32::try_from(case.changes.len()).unwrap_or(u32::MAX);
    if fresh.is_empty() {
        return Ok(stored); // A retried push: everything is already stored.
    }
    let fresh_hashes: Vec<(Vec<u8>, Vec<u8>)> = fresh
        .iter()
        .map(|c| (c.hash().0.to_vec(), c.raw_bytes().to_vec()))
        .collect();
    let before = doc.clone();
    // A change automerge panics on is refused like one it returns an error for (untrusted).
    let mut doc = untrusted::apply_changes(doc, fresh.clone()).map_err(|e| {
        ApiError::BadRequest(format!("case {}: changes do not apply: {e}", case.case_id))
    })?;
    if !doc.get_missing_deps(&[]).is_empty() {
        return Err(ApiError::Conflict(format!(
            "case {}: changes depend on changes the server does not have; push the case's whole history",
            case.case_id
        )));
    }
    let read = schema::read_case(&doc).map_err(|e| {
        ApiError::Unprocessable(format!(
            "case {}: the changes leave an invalid case: {e}",
            case.case_id
        ))
    })?;
    if read.id != case.case_id {
        return Err(ApiError::BadRequest(format!(
            "changes pushed for case {} belong to case {}",
            case.case_id, read.id
        )));
    }
    // Each change may sign only as the device's user and add, never erase.
    let author = homeward_shared::model::Author {
        user_id: device.user_id.clone(),
        name: device.user_name.clone(),
    };
    for change in &fresh {
        schema::check_change_as(&before, &doc, change, &author, authority)
            .map_err(|e| ApiError::Forbidden(format!("case {}: {e}", case.case_id)))?;
    }
    // A document that would not load back as itself is refused before it replaces the case.
    let saved = untrusted::save_checked(&mut doc).map_err(|e| {
        ApiError::BadRequest(format!("case {}: changes do not apply: {e}", case.case_id))
    })?;
    if saved.len() > MAX_CASE_BYTES {
        return Err(ApiError::Unprocessable(format!(
            "case {}: the document would be {} bytes, more than the {MAX_CASE_BYTES} a case may take",
            case.case_id,
            saved.len()
        )));
    }
    // Copies of documents (issue 15): a push that changes a case's copies must leave them
    // within the programme's limits (a phone with an older programme, or a hostile one). A
    // case whose copies this push leaves as they were is not refused for a limit lowered since.
    let before_case = schema::read_case(&before).ok();
    if before_case
        .as_ref()
        .is_none_or(|b| b.attachments != read.attachments)
    {
        // Verifying a copy and confirming its withdrawal (which drops its bytes here) are a
        // supervisor's: a fieldworker's phone may not push either.
        if device.role == Role::Fieldworker
            && let Some(a) = attachments::supervised_since(before_case.as_ref(), &read)
        {
            return Err(ApiError::Forbidden(format!(
                "case {}: only a supervisor verifies a copy or confirms its withdrawal (copy {a})",
                case.case_id
            )));
        }
        let limits = programme::in_force(tx)?.attachments;
        homeward_shared::attachment::check_case(&read, &limits)
            .map_err(|e| ApiError::Unprocessable(format!("case {}: {e}", case.case_id)))?;
    }
    let (district, block) = (
        read.child.address.district.clone(),
        read.child.address.block.clone(),
    );
    // A closure pushed (or a case reopened, or closed again on another day) changes what
    // waits for review: the case's holder learns it with the reference data.
    let closure_before = before_case.as_ref().and_then(reviews::closure_ref);
    let closure_moved = closure_before != reviews::closure_ref(&read);
    if new_case {
        let allowed = match device.role {
            Role::Admin => true,
            Role::Cwc => false,
            Role::Supervisor | Role::Fieldworker => {
                in_areas(tx, &device.user_id, &district, &block)?
            }
        };
        if !allowed {
            return Err(ApiError::Forbidden(format!(
                "case {} is in {block}, {district}: outside this device's areas",
                case.case_id
            )));
        }
        tx.execute(
            "INSERT INTO cases (id, district, block, created_by, updated_at, doc) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![case.case_id, district, block, device.device_id, at, saved],
        )?;
        if device.role == Role::Fieldworker {
            assign_in(tx, &case.case_id, &device.user_id, Some(&device.device_id))?;
        }
    } else {
        let moved = existing
            .as_ref()
            .is_some_and(|(d, b, _)| *d != district || *b != block);
        if moved && moving != Some((district.as_str(), block.as_str())) {
            return Err(ApiError::Unprocessable(format!(
                "case {}: its district and block cannot change by sync",
                case.case_id
            )));
        }
        tx.execute(
            "UPDATE cases SET doc = ?2, updated_at = ?3, district = ?4, block = ?5 WHERE id = ?1",
            params![case.case_id, saved, at, district, block],
        )?;
    }
    super::summaries::write(tx, &read)?;
    attachments::refresh_pages(tx, &read)?;
    // An urgent SMS of this case whose summons or incident the document now holds is matched.
    sms::match_urgent(tx, &case.case_id, &read)?;
    let mut ins_change = tx.prepare_cached(
        "INSERT INTO changes (hash, case_id, device_id, received_at, bytes) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT DO NOTHING",
    )?;
    let mut ins_feed = tx.prepare_cached(
        "INSERT INTO feed (kind, case_id, hash, device_id, at) VALUES ('change', ?1, ?2, ?3, ?4)",
    )?;
    let mut fresh_count = 0usize;
    for (hash, bytes) in &fresh_hashes {
        if ins_change.execute(params![hash, case.case_id, device.device_id, at, bytes])? == 1 {
            ins_feed.execute(params![case.case_id, hash, device.device_id, at])?;
            fresh_count += 1;
        }
    }
    if closure_moved {
        tx.execute(
            "UPDATE users SET ref_version = ref_version + 1 WHERE id IN (SELECT user_id FROM assignments WHERE case_id = ?1)",
            [&case.case_id],
        )?;
    }
    // Who changed which case: one audit line per case per push.
    tx.execute(
        "INSERT INTO audit (at, user_id, action, case_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            at,
            device.user_id,
            if new_case {
                "case-create"
            } else {
                "case-change"
            },
            case.case_id,
            format!("{fresh_count} change(s) from device {}", device.device_id)
        ],
    )?;
    Ok(stored)
}

/// The user's reference data. The resource map of their areas is sent only when it differs from
/// the one the device holds (`resources_version`, 0 for none); `None` keeps the one held.
pub(super) fn reference(
    tx: &Db,
    user_id: &str,
    resources_version: u64,
) -> Result<Reference, ApiError> {
    let (name, role, version): (String, String, i64) = tx.query_row(
        "SELECT name, role, ref_version FROM users WHERE id = ?1",
        [user_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let areas: Vec<(String, String)> = tx
        .prepare(
            "SELECT district, block FROM user_areas WHERE user_id = ?1 ORDER BY district, block",
        )?
        .query_map([user_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<db::Result<_>>()?;
    let assigned = tx
        .prepare("SELECT case_id FROM assignments WHERE user_id = ?1 ORDER BY case_id")?
        .query_map([user_id], |r| r.get(0))?
        .collect::<db::Result<_>>()?;
    let version = u64::try_from(version).unwrap_or(0);
    let spot_checks = if role == "supervisor" || role == "admin" {
        spotchecks::open_tasks(tx, &web_user_in(tx, user_id)?)?
    } else {
        Vec::new()
    };
    Ok(Reference {
        server_keys: keys::offered_in(tx)?,
        urgent: sms::urgent_for(tx, user_id)?,
        version,
        user_id: user_id.to_owned(),
        user_name: name,
        role,
        areas,
        sent_back: reviews::sent_back(tx, user_id)?,
        assigned,
        spot_checks,
        programme: programme::for_devices(tx)?,
        closures_pending: reviews::closures_pending(tx, user_id)?,
        resources: Some(homeward_shared::wire::ResourceMap::new(
            resources::for_user(tx, user_id)?,
        ))
        .filter(|map| map.version != resources_version),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cursor a device got from a server since restored from a backup (inside the gap the
    /// restore left) starts it over; positions outside the gap are answered as they are.
    #[test]
    fn a_cursor_inside_a_restores_gap_starts_the_device_over() {
        let gaps = [(40, 40 + RESTORE_GAP)];
        let high = 40 + RESTORE_GAP + 5;
        let at = |n: i64| checked_cursor(&Cursor::Feed(n as u64), 10, high, &gaps);
        assert_eq!(at(40), Cursor::Feed(40), "the backup's last position");
        assert_eq!(at(41), Cursor::Start, "the lost server's next");
        assert_eq!(at(40 + RESTORE_GAP), Cursor::Start, "the gap's end");
        assert_eq!(
            at(41 + RESTORE_GAP),
            Cursor::Feed((41 + RESTORE_GAP) as u64)
        );
        assert_eq!(at(9), Cursor::Start, "behind what the device confirmed");
        assert_eq!(at(high + 1), Cursor::Start, "beyond the feed");
        assert_eq!(
            checked_cursor(
                &Cursor::Documents {
                    high: 50,
                    after: "c1".into()
                },
                10,
                high,
                &gaps
            ),
            Cursor::Start,
            "a first sync's pages from the lost server"
        );
        assert_eq!(
            checked_cursor(&Cursor::Feed(50), 10, 60, &[]),
            Cursor::Feed(50)
        );
    }
}
