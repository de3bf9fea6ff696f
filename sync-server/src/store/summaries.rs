//! A summary row per case (`case_summaries`), written in the same transaction as its document,
//! like the field store's materialised tables: the dashboard's pages and the reports read these
//! rows and load an Automerge document only to show that one case.
//!
//! A row holds what queries filter on (district, block, state, merged, visits) and the case as
//! read (`model::Case`, JSON). Figures that depend on the day and the programme (the risk in
//! force, the next visit, how long a claim has waited) are computed from it when a page is read,
//! by the pure functions the field app uses; storing them would make them wrong the next day.
//!
//! The JSON is only as good as the shape it was written in: rows whose `view_version` is not
//! [`VIEW_VERSION`] (or that are missing: a database from before this table) are made again from
//! their documents when the server opens the database ([`refresh`]).

use super::db::{self, Db, OptionalExtension, params};
use homeward_shared::model::Case;
use homeward_shared::{schema, untrusted};
use sha2::Digest;

use super::key;
use crate::error::ApiError;
use crate::scope::Reach;

/// The shape of the stored view. Bump it whenever `model::Case` or `schema::read_case` changes
/// what a case reads as: every row is then made again from its document at the next start (the
/// test `summary_view_shape_is_pinned` fails until it is bumped).
pub const VIEW_VERSION: i64 = 1;

/// Writes (or replaces) the summary row of `case`, inside the caller's transaction.
pub(super) fn write(conn: &Db, case: &Case) -> Result<(), ApiError> {
    let view = serde_json::to_vec(case)
        .map_err(|e| ApiError::Internal(format!("case {} does not serialise: {e}", case.id)))?;
    let stamp_of = stamp(&view);
    let last_visit = case.visits.iter().map(|v| v.date).max();
    conn.prepare_cached(
        "INSERT INTO case_summaries
             (case_id, district, block, state, merged_into, returned_on, last_visit, visits,
              view_version, view, stamp)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT (case_id) DO UPDATE SET district = excluded.district,
             block = excluded.block, state = excluded.state, merged_into = excluded.merged_into,
             returned_on = excluded.returned_on, last_visit = excluded.last_visit,
             visits = excluded.visits, view_version = excluded.view_version, view = excluded.view,
             stamp = excluded.stamp",
    )?
    .execute(params![
        case.id,
        case.child.address.district,
        case.child.address.block,
        key(&case.status.state)?,
        case.status.merged_into,
        case.rescue.returned_on.to_string(),
        last_visit.map(|d| d.to_string()),
        i64::try_from(case.visits.len()).unwrap_or(i64::MAX),
        VIEW_VERSION,
        view,
        stamp_of,
    ])?;
    Ok(())
}

/// A summary row's stamp: the first eight bytes of its view's SHA-256, never 0 (which marks a
/// row not stamped yet). Whatever changes the view changes the stamp.
fn stamp(view: &[u8]) -> i64 {
    let hash = sha2::Sha256::digest(view);
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash[..8]);
    match i64::from_le_bytes(first) {
        0 => 1,
        n => n,
    }
}

/// Makes the summary rows that are missing or of another [`VIEW_VERSION`] from the stored
/// documents, in batches of one transaction each; returns how many were made.
pub(super) fn refresh(conn: &Db) -> Result<usize, ApiError> {
    const BATCH: usize = 500;
    let mut made = 0;
    loop {
        let stale: Vec<(String, Vec<u8>)> = conn
            .prepare(
                "SELECT c.id, c.doc FROM cases c LEFT JOIN case_summaries s ON s.case_id = c.id
                 WHERE s.case_id IS NULL OR s.view_version != ?1 ORDER BY c.id LIMIT ?2",
            )?
            .query_map(
                params![VIEW_VERSION, i64::try_from(BATCH).unwrap_or(500)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?
            .collect::<db::Result<_>>()?;
        if stale.is_empty() {
            stamp_rows(conn)?;
            return Ok(made);
        }
        let tx = conn.unchecked_transaction()?;
        for (id, doc) in &stale {
            write(&tx, &read_document(id, doc)?)?;
        }
        tx.commit()?;
        made += stale.len();
    }
}

/// Stamps the rows written before stamps were (migration 0013), in batches of one transaction
/// each: their views are read and hashed, no document is parsed.
fn stamp_rows(conn: &Db) -> Result<(), ApiError> {
    loop {
        // The ids alone, which the stamps' index holds: asking for the views here would read
        // every row's view to find none (155 ms at every open at 10,000 cases on SQLite).
        let ids: Vec<String> = conn
            .prepare("SELECT case_id FROM case_summaries WHERE stamp = 0 LIMIT 500")?
            .query_map([], |r| r.get(0))?
            .collect::<db::Result<_>>()?;
        if ids.is_empty() {
            return Ok(());
        }
        let tx = conn.unchecked_transaction()?;
        for id in &ids {
            let view: Vec<u8> = tx.query_row(
                "SELECT view FROM case_summaries WHERE case_id = ?1",
                [id],
                |r| r.get(0),
            )?;
            tx.execute(
                "UPDATE case_summaries SET stamp = ?1 WHERE case_id = ?2",
                params![stamp(&view), id],
            )?;
        }
        tx.commit()?;
    }
}

/// The case a stored document reads as.
pub(super) fn read_document(id: &str, doc: &[u8]) -> Result<Case, ApiError> {
    let doc = untrusted::load(doc)
        .map_err(|e| ApiError::Internal(format!("stored case {id} does not load: {e}")))?;
    schema::read_case(&doc)
        .map_err(|e| ApiError::Internal(format!("stored case {id} does not read: {e}")))
}

/// The cases `reach` holds, read from their summary rows, by id.
pub(super) fn cases(conn: &Db, reach: &Reach) -> Result<Vec<Case>, ApiError> {
    let mut out = Vec::new();
    each_by(conn, reach, ROWS_AT_A_TIME, |case| {
        out.push(case);
        Ok(())
    })?;
    Ok(out)
}

/// How many summary rows a region's reader takes in one statement: on PostgreSQL a statement's
/// rows arrive whole, so a state's 100,000 rows are read a page at a time.
const ROWS_AT_A_TIME: i64 = 500;

/// Calls `f` with each case `reach` holds, by id, reading `rows` summary rows per statement.
fn each_by(
    conn: &Db,
    reach: &Reach,
    rows: i64,
    mut f: impl FnMut(Case) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    each_row(conn, reach, rows, "view", |id, row| {
        f(decode(id, &row.get::<_, Vec<u8>>(1)?)?)
    })
}

/// Calls `f` with the ids and stamps of the cases `reach` holds, by id, a page of at most
/// [`ROWS_AT_A_TIME`] at a time, each with the id the page comes after (`""` for the first):
/// the page's cases are those of `reach` with ids in `(after, last id of the page]`.
pub(super) fn each_stamp_page(
    conn: &Db,
    reach: &Reach,
    f: impl FnMut(&str, &[(String, i64)]) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    each_stamp_page_by(conn, reach, ROWS_AT_A_TIME, f)
}

/// [`each_stamp_page`] with pages of `rows`.
fn each_stamp_page_by(
    conn: &Db,
    reach: &Reach,
    rows: i64,
    mut f: impl FnMut(&str, &[(String, i64)]) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    let mut page: Vec<(String, i64)> = Vec::new();
    let mut after = String::new();
    let full = usize::try_from(rows).unwrap_or(500);
    each_row(conn, reach, rows, "stamp", |id, row| {
        page.push((id.to_owned(), row.get(1)?));
        if page.len() == full {
            f(&after, &page)?;
            after = page.last().map(|(id, _)| id.clone()).unwrap_or_default();
            page.clear();
        }
        Ok(())
    })?;
    if page.is_empty() {
        Ok(())
    } else {
        f(&after, &page)
    }
}

/// The cases of `reach` with ids in `(after, last]` that `wanted` names, as their summary rows
/// hold them, by id: one statement for a page's worth.
pub(super) fn between(
    conn: &Db,
    reach: &Reach,
    after: &str,
    last: &str,
    wanted: &std::collections::HashSet<&str>,
) -> Result<Vec<Case>, ApiError> {
    let (condition, args) = area_condition(reach);
    let sql = format!(
        "SELECT case_id, view FROM case_summaries WHERE {condition} AND case_id > ?{}
         AND case_id <= ?{} ORDER BY case_id",
        args.len() + 1,
        args.len() + 2
    );
    let mut values = db::params_from_iter(args.iter());
    values.push(db::Value::Text(after.to_owned()));
    values.push(db::Value::Text(last.to_owned()));
    let mut out = Vec::new();
    let mut failed = None;
    conn.each(&sql, values, |row| {
        let id: String = row.get(0)?;
        if wanted.contains(id.as_str()) {
            match decode(&id, &row.get::<_, Vec<u8>>(1)?) {
                Ok(case) => out.push(case),
                Err(e) => {
                    failed = Some(e);
                    return Ok(false);
                }
            }
        }
        Ok(true)
    })?;
    failed.map_or(Ok(out), Err)
}

/// One case as its summary row holds it, or `None`.
pub(super) fn one(conn: &Db, id: &str) -> Result<Option<Case>, ApiError> {
    let view: Option<Vec<u8>> = conn
        .query_row(
            "SELECT view FROM case_summaries WHERE case_id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    view.map(|v| decode(id, &v)).transpose()
}

fn decode(id: &str, view: &[u8]) -> Result<Case, ApiError> {
    serde_json::from_slice(view)
        .map_err(|e| ApiError::Internal(format!("the summary of case {id} does not read: {e}")))
}

/// Calls `f` with the id and the row (`case_id, COLUMN`) of each summary `reach` holds, by id,
/// reading `rows` rows per statement: keyset pages by case id, so a case is handed out once even
/// if rows change between statements. An error of `f` stops the reading and is returned.
fn each_row(
    conn: &Db,
    reach: &Reach,
    rows: i64,
    column: &str,
    mut f: impl FnMut(&str, &db::Row<'_>) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    let (condition, args) = area_condition(reach);
    let sql = format!(
        "SELECT case_id, {column} FROM case_summaries WHERE {condition} AND case_id > ?{}
         ORDER BY case_id LIMIT ?{}",
        args.len() + 1,
        args.len() + 2
    );
    let mut after = String::new();
    loop {
        let mut values = db::params_from_iter(args.iter());
        values.push(db::Value::Text(after.clone()));
        values.push(db::Value::Int(rows));
        let (mut read, mut failed) = (0, None);
        conn.each(&sql, values, |row| {
            read += 1;
            after = row.get(0)?;
            match f(&after, row) {
                Ok(()) => Ok(true),
                Err(e) => {
                    failed = Some(e);
                    Ok(false)
                }
            }
        })?;
        if let Some(e) = failed {
            return Err(e);
        }
        if read < rows {
            return Ok(());
        }
    }
}

/// The SQL condition on `district` and `block` columns that holds the places of `reach`, with
/// its arguments in order: the one translation of [`Reach`] into SQL.
pub(super) fn area_condition(reach: &Reach) -> (String, Vec<String>) {
    match reach {
        Reach::Everywhere => ("1 = 1".into(), Vec::new()),
        Reach::Nowhere => ("1 = 0".into(), Vec::new()),
        Reach::Areas(areas) if areas.is_empty() => ("1 = 0".into(), Vec::new()),
        Reach::Areas(areas) => {
            let mut parts = Vec::new();
            let mut args = Vec::new();
            for (district, block) in areas {
                args.push(district.clone());
                if block.is_empty() {
                    parts.push(format!("district = ?{}", args.len()));
                } else {
                    args.push(block.clone());
                    parts.push(format!(
                        "(district = ?{} AND block = ?{})",
                        args.len() - 1,
                        args.len()
                    ));
                }
            }
            (format!("({})", parts.join(" OR ")), args)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SQL form of every reach selects exactly the places the pure rule admits.
    #[test]
    fn the_sql_of_a_reach_agrees_with_the_rule_at_every_place() {
        let conn = Db::sqlite(rusqlite::Connection::open_in_memory().expect("db"));
        conn.execute_batch("CREATE TABLE p (district TEXT NOT NULL, block TEXT NOT NULL);")
            .expect("table");
        let places = [
            ("Gaya", "Tekari"),
            ("Gaya", "Manpur"),
            ("Gaya", ""),
            ("Nalanda", "Hilsa"),
            ("Nalanda", "Rajgir"),
            ("Katihar", "Barsoi"),
            ("gaya", "Tekari"),
            ("Gaya", "Tekari "),
            ("Gaya", "Tekari' OR 1=1 --"),
        ];
        for (d, b) in places {
            conn.execute("INSERT INTO p VALUES (?1, ?2)", [d, b])
                .expect("row");
        }
        let area = |d: &str, b: &str| (d.to_owned(), b.to_owned());
        let reaches = [
            Reach::Everywhere,
            Reach::Nowhere,
            Reach::Areas(Vec::new()),
            Reach::Areas(vec![area("Gaya", "")]),
            Reach::Areas(vec![area("Gaya", "Tekari")]),
            Reach::Areas(vec![area("Gaya", "Tekari"), area("Nalanda", "")]),
            Reach::Areas(vec![area("Gaya", "Tekari"), area("Gaya", "Manpur")]),
            Reach::Areas(vec![area("Katihar", "Barsoi"), area("Gaya", "")]),
            Reach::Areas(vec![area("Gaya", "Tekari' OR 1=1 --")]),
        ];
        for reach in &reaches {
            let (condition, args) = area_condition(reach);
            let mut got: Vec<(String, String)> = conn
                .prepare(&format!(
                    "SELECT district, block FROM p WHERE {condition} ORDER BY district, block"
                ))
                .expect("prepares")
                .query_map(db::params_from_iter(args.iter()), |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .expect("runs")
                .collect::<db::Result<_>>()
                .expect("rows");
            got.sort();
            let mut want: Vec<(String, String)> = places
                .iter()
                .filter(|(d, b)| reach.admits(d, b))
                .map(|(d, b)| ((*d).to_owned(), (*b).to_owned()))
                .collect();
            want.sort();
            assert_eq!(got, want, "{reach:?}: {condition}");
        }
    }

    /// A region read in pages of two rows hands out each of its cases once, in id order, and
    /// none of another region; an error of `f` stops the reading and is returned.
    #[test]
    fn a_region_read_a_few_rows_at_a_time_gives_each_case_once() {
        let conn = Db::sqlite(rusqlite::Connection::open_in_memory().expect("db"));
        conn.execute_batch(
            "CREATE TABLE case_summaries (case_id TEXT PRIMARY KEY, district TEXT NOT NULL,
             block TEXT NOT NULL, view BLOB NOT NULL, stamp INTEGER NOT NULL DEFAULT 1);",
        )
        .expect("table");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("a day");
        let load = homeward_shared::synth::caseload(homeward_shared::synth::Options {
            seed: 3,
            cases: 7,
            until: day,
            months: 2,
        });
        let mut gaya = Vec::new();
        for (n, sc) in load.cases.iter().enumerate() {
            let doc = sc
                .build(automerge::ActorId::from(&[7u8, 7, 7, 7][..]))
                .expect("builds");
            let mut case = schema::read_case(&doc).expect("reads");
            let district = if n % 3 == 0 { "Nalanda" } else { "Gaya" };
            case.child.address.district = district.to_owned();
            if district == "Gaya" {
                gaya.push(case.id.clone());
            }
            conn.execute(
                "INSERT INTO case_summaries (case_id, district, block, view)
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    case.id,
                    district,
                    case.child.address.block,
                    serde_json::to_vec(&case).expect("json")
                ],
            )
            .expect("row");
        }
        gaya.sort();
        let mut all: Vec<String> = load
            .cases
            .iter()
            .map(|c| c.profile.case_id.clone())
            .collect();
        all.sort();
        let gaya_only = Reach::Areas(vec![("Gaya".to_owned(), String::new())]);
        for (reach, want) in [(Reach::Everywhere, &all), (gaya_only, &gaya)] {
            for rows in [1, 2, 3, 500] {
                let mut seen = Vec::new();
                each_by(&conn, &reach, rows, |c| {
                    seen.push(c.id);
                    Ok(())
                })
                .expect("reads");
                assert_eq!(&seen, want, "{reach:?} by {rows}");
            }
        }
        // Pages of stamps, and each page's cases read back in one statement by its range.
        for (reach, want) in [
            (Reach::Everywhere, &all),
            (
                Reach::Areas(vec![("Gaya".to_owned(), String::new())]),
                &gaya,
            ),
        ] {
            for rows in [1, 2, 3, 500] {
                let mut seen = Vec::new();
                each_stamp_page_by(&conn, &reach, rows, |after, page| {
                    assert!(!page.is_empty() && page.len() <= 500);
                    let ids: std::collections::HashSet<&str> =
                        page.iter().map(|(id, _)| id.as_str()).collect();
                    let last = &page.last().expect("a row").0;
                    let cases = between(&conn, &reach, after, last, &ids).expect("reads");
                    let got: Vec<&str> = cases.iter().map(|c| c.id.as_str()).collect();
                    let listed: Vec<&str> = page.iter().map(|(id, _)| id.as_str()).collect();
                    assert_eq!(got, listed, "{reach:?} by {rows}, after {after:?}");
                    seen.extend(got.iter().map(|id| (*id).to_owned()));
                    Ok(())
                })
                .expect("reads");
                assert_eq!(&seen, want, "{reach:?} by {rows}");
            }
        }
        let mut seen = 0;
        let stopped = each_by(&conn, &Reach::Everywhere, 2, |_| {
            seen += 1;
            if seen == 3 {
                return Err(ApiError::Internal("enough".into()));
            }
            Ok(())
        });
        assert!(matches!(stopped, Err(ApiError::Internal(m)) if m == "enough"));
        assert_eq!(seen, 3, "nothing read after the error");
    }
}
