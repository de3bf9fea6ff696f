//! What a device receives in a round: whole documents of its scope from the start (in pages,
//! by id), then the feed after its cursor (changes of the cases it may read, grants and
//! revocations of its user). Apart from `store/sync.rs`, which checks and stores what a device
//! sends, because reading never writes and is the half a second storage backend answers with
//! its own queries; the scope's one SQL form, `scope_condition`, lives here with it.

use super::*;
use crate::scope::SyncScope;

/// The SQL condition "the user `?2` may read the case whose id is in `case_column`" for a sync
/// scope: the one translation of [`SyncScope`] into SQL, tested against
/// [`SyncScope::admits`].
fn scope_condition(scope: SyncScope, case_column: &str) -> String {
    match scope {
        SyncScope::Everything => "CAST(?2 AS TEXT) IS NOT NULL".to_owned(),
        SyncScope::Nothing => "(CAST(?2 AS TEXT) IS NULL AND 1 = 0)".to_owned(),
        SyncScope::Held => format!(
            "EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = {case_column} AND a.user_id = ?2)"
        ),
        SyncScope::Areas => format!(
            "EXISTS (SELECT 1 FROM cases k JOIN user_areas ua ON ua.user_id = ?2
                     AND ua.district = k.district AND (ua.block = '' OR ua.block = k.block)
                     WHERE k.id = {case_column})"
        ),
    }
}

pub(super) fn pull(
    tx: &Db,
    device: &DeviceAuth,
    cursor: &Cursor,
    budget: usize,
) -> Result<SyncResponse, ApiError> {
    let mut resp = SyncResponse {
        bundled: None,
        stored: 0,
        documents: Vec::new(),
        changes: Vec::new(),
        dropped: Vec::new(),
        cursor: cursor.clone(),
        more: false,
        reference: None,
        spot_check_results: Vec::new(),
    };
    let mut used = 0usize;
    let (high, after) = match cursor {
        Cursor::Start => {
            let high: i64 =
                tx.query_row("SELECT coalesce(max(seq), 0) FROM feed", [], |r| r.get(0))?;
            (u64::try_from(high).unwrap_or(0), String::new())
        }
        Cursor::Documents { high, after } => (*high, after.clone()),
        Cursor::Feed(seq) => return pull_feed(tx, device, *seq, budget, resp),
    };
    // First sync: whole documents of every case in scope, by id, in pages.
    // A case this device created is already on it: changes others made to it after `high`
    // come through the feed, and none can predate its first push.
    let scope = scope_condition(SyncScope::reads(device.role), "c.id");
    let sql = format!(
        "SELECT c.id, c.doc FROM cases c WHERE c.id > ?1 AND c.created_by != ?3 AND ({scope}) ORDER BY c.id"
    );
    let mut full = false;
    let mut failed = None;
    tx.each(
        &sql,
        params![after, device.user_id, device.device_id],
        |row| {
            let (case_id, doc): (String, Vec<u8>) = (row.get(0)?, row.get(1)?);
            let doc = match wire_document(&case_id, &doc) {
                Ok(doc) => doc,
                Err(e) => {
                    failed = Some(e);
                    return Ok(false);
                }
            };
            if used > 0 && used + doc.len() > budget {
                full = true;
                return Ok(false);
            }
            used += doc.len();
            resp.documents.push(Document { case_id, doc });
            Ok(true)
        },
    )?;
    if let Some(e) = failed {
        return Err(e);
    }
    if full {
        resp.cursor = Cursor::Documents {
            high,
            after: resp
                .documents
                .last()
                .map(|d| d.case_id.clone())
                .unwrap_or_default(),
        };
        resp.more = true;
        return Ok(resp);
    }
    resp.cursor = Cursor::Feed(high);
    // Changes after `high` follow in the next round.
    let later: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM feed WHERE seq > ?1)",
        [i64::try_from(high).unwrap_or(i64::MAX)],
        |r| r.get(0),
    )?;
    resp.more = later;
    Ok(resp)
}

fn pull_feed(
    tx: &Db,
    device: &DeviceAuth,
    seq: u64,
    budget: usize,
    mut resp: SyncResponse,
) -> Result<SyncResponse, ApiError> {
    let scope = scope_condition(SyncScope::reads(device.role), "f.case_id");
    let sql = format!(
        "SELECT f.seq, f.kind, f.case_id, ch.bytes FROM feed f LEFT JOIN changes ch ON ch.hash = f.hash
         WHERE f.seq > ?1 AND (
             (f.kind = 'change' AND f.device_id != ?3 AND ({scope}))
             OR (f.kind = 'grant' AND f.user_id = ?2 AND f.device_id IS DISTINCT FROM ?3
                 AND EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = f.case_id AND a.user_id = ?2))
             OR (f.kind = 'revoke' AND f.user_id = ?2))
         ORDER BY f.seq"
    );
    // The page's rows are read first, then documents looked up for its grants: one statement
    // at a time on the connection.
    let rows: Vec<(i64, String, String, Option<Vec<u8>>)> = tx
        .prepare(&sql)?
        .query_map(
            params![
                i64::try_from(seq).unwrap_or(i64::MAX),
                device.user_id,
                device.device_id
            ],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )?
        .collect::<db::Result<_>>()?;
    let mut used = 0usize;
    let mut last = seq;
    for (n, kind, case_id, bytes) in rows {
        let size = match kind.as_str() {
            "grant" => tx.query_row(
                "SELECT length(doc) FROM cases WHERE id = ?1",
                [&case_id],
                |r| r.get::<_, i64>(0),
            )?,
            _ => i64::try_from(bytes.as_ref().map_or(0, Vec::len)).unwrap_or(0),
        };
        let size = usize::try_from(size).unwrap_or(0) + case_id.len();
        if used > 0 && used + size > budget {
            resp.more = true;
            break;
        }
        used += size;
        last = u64::try_from(n).unwrap_or(last);
        match kind.as_str() {
            "change" => {
                if let Some(bytes) = bytes {
                    resp.changes.push(FeedChange { case_id, bytes });
                }
            }
            "grant" => {
                let doc: Vec<u8> =
                    tx.query_row("SELECT doc FROM cases WHERE id = ?1", [&case_id], |r| {
                        r.get(0)
                    })?;
                let doc = wire_document(&case_id, &doc)?;
                resp.dropped.retain(|c| *c != case_id);
                resp.documents.push(Document { case_id, doc });
            }
            _ => {
                // Lost access; unless granted again later in this page.
                resp.documents.retain(|d| d.case_id != case_id);
                resp.changes.retain(|c| c.case_id != case_id);
                resp.dropped.push(case_id);
            }
        }
    }
    resp.cursor = Cursor::Feed(last);
    Ok(resp)
}

/// A stored document as sent on the wire: uncompressed, so that the response's compression
/// works across the documents of a page (about half the size of sending each compressed).
fn wire_document(case_id: &str, saved: &[u8]) -> Result<Vec<u8>, ApiError> {
    let mut doc = untrusted::load(saved)
        .map_err(|e| ApiError::Internal(format!("stored case {case_id} does not load: {e}")))?;
    Ok(doc.save_nocompress())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// For every role, the SQL a pull runs selects exactly the cases [`SyncScope::admits`] lets
    /// the user read, whichever column names the case.
    #[test]
    fn the_sql_of_each_sync_scope_agrees_with_the_rule_case_by_case() {
        let conn = Db::sqlite(rusqlite::Connection::open_in_memory().expect("db"));
        conn.execute_batch(
            "CREATE TABLE cases (id TEXT PRIMARY KEY, district TEXT NOT NULL, block TEXT NOT NULL);
             CREATE TABLE assignments (case_id TEXT PRIMARY KEY, user_id TEXT NOT NULL);
             CREATE TABLE user_areas (user_id TEXT NOT NULL, district TEXT NOT NULL, block TEXT NOT NULL);",
        )
        .expect("tables");
        let cases = [
            ("c1", "Gaya", "Tekari", Some("anita")),
            ("c2", "Gaya", "Manpur", Some("ravi")),
            ("c3", "Nalanda", "Hilsa", None),
            ("c4", "Gaya", "Tekari", None),
            ("c5", "gaya", "Tekari", Some("anita")),
        ];
        for (id, d, b, holder) in cases {
            conn.execute("INSERT INTO cases VALUES (?1, ?2, ?3)", [id, d, b])
                .expect("case");
            if let Some(h) = holder {
                conn.execute("INSERT INTO assignments VALUES (?1, ?2)", [id, h])
                    .expect("held");
            }
        }
        let users: [(&str, &[(&str, &str)]); 4] = [
            ("anita", &[("Gaya", "Tekari")]),
            ("sup", &[("Gaya", "")]),
            ("two", &[("Gaya", "Manpur"), ("Nalanda", "")]),
            ("none", &[]),
        ];
        for (user, areas) in users {
            for (d, b) in areas {
                conn.execute("INSERT INTO user_areas VALUES (?1, ?2, ?3)", [user, d, b])
                    .expect("area");
            }
        }
        for role in [Role::Admin, Role::Supervisor, Role::Cwc, Role::Fieldworker] {
            for scope in [SyncScope::reads(role), SyncScope::writes(role)] {
                for (user, areas) in users {
                    let areas: Vec<(String, String)> = areas
                        .iter()
                        .map(|(d, b)| ((*d).to_owned(), (*b).to_owned()))
                        .collect();
                    let sql = format!(
                        "SELECT c.id FROM cases c WHERE CAST(?1 AS TEXT) IS NULL AND ({}) ORDER BY c.id",
                        scope_condition(scope, "c.id")
                    );
                    let got: Vec<String> = conn
                        .prepare(&sql)
                        .expect("prepares")
                        .query_map(params![None::<String>, user], |r| r.get(0))
                        .expect("runs")
                        .collect::<db::Result<_>>()
                        .expect("rows");
                    let want: Vec<String> = cases
                        .iter()
                        .filter(|(_, d, b, holder)| {
                            scope.admits(&areas, *holder == Some(user), d, b)
                        })
                        .map(|(id, ..)| (*id).to_owned())
                        .collect();
                    assert_eq!(got, want, "{role:?} {scope:?} as {user}");
                }
            }
        }
        assert_eq!(SyncScope::writes(Role::Cwc), SyncScope::Nothing);
        assert_eq!(SyncScope::reads(Role::Cwc), SyncScope::Areas);
    }
}
