//! The server's storage: users and areas, devices, case documents, the change log and the feed.
//! Every method is one transaction; the HTTP layer runs them on blocking threads.
//!
//! One type over two databases: embedded SQLite by default, PostgreSQL when a state outgrows
//! one machine. The store's modules speak [`db`]'s one interface and one SQL text; `db` is
//! where the two differ.

use std::path::Path;

use automerge::{AutoCommit, Change, ReadDoc};
use chrono::{DateTime, Duration, Utc};
use db::{Db, OptionalExtension, Tx, params};
use homeward_shared::wire::{
    CasePush, Cursor, Document, FeedChange, Reference, SyncRequest, SyncResponse,
};
use homeward_shared::{schema, untrusted};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::scope::Reach;

mod attachments;
mod bundles;
mod caseload;
mod conflicts;
pub mod db;
mod devices;
mod keys;
mod merges;
mod moves;
mod programme;
mod pull;
mod resources;
mod reviews;
mod sms;
mod spotchecks;
mod staff;
mod summaries;
mod sync;
#[doc(hidden)]
pub mod testing;
mod users;
pub use attachments::{PageBytes, Put, UploadStatus};
pub use bundles::{ExportedBundle, KeyedDevice, Via};
pub use conflicts::QueuedConflict;
pub use devices::{DeviceAuth, DeviceRow, Enrolled, MAX_PHONE};
pub use keys::KeyRow;
pub use moves::{MoveProblem, QueuedMove};
pub use programme::{MAX_PROGRAMME_BYTES, ProgrammeVersion};
pub use resources::{
    CsvRow, Imported, age as resource_age, parse_csv as parse_resources_csv, sex as resource_sex,
};
pub use reviews::{Assessed, Correction, Decision, ReviewItem, Subject};
pub use sms::{SmsReceived, UrgentRow};
pub use spotchecks::SpotCheck;
pub use staff::UserRow;
pub use summaries::VIEW_VERSION;
pub use sync::{MAX_BUDGET, MAX_CASE_BYTES, TRANSFER_GRACE_DAYS};
use users::web_user_in;
pub use users::{
    AuditRow, LOCKOUT_MINUTES, MAX_FAILED_LOGINS, Role, SESSION_HOURS, WebUser, hash_password,
};

const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_init",
        include_str!("../../../migrations/server-sqlite/0001_init.sql"),
    ),
    (
        "0002_sessions_audit",
        include_str!("../../../migrations/server-sqlite/0002_sessions_audit.sql"),
    ),
    (
        "0003_spot_checks",
        include_str!("../../../migrations/server-sqlite/0003_spot_checks.sql"),
    ),
    (
        "0004_reviews",
        include_str!("../../../migrations/server-sqlite/0004_reviews.sql"),
    ),
    (
        "0005_sync_hardening",
        include_str!("../../../migrations/server-sqlite/0005_sync_hardening.sql"),
    ),
    (
        "0006_web_offboarding",
        include_str!("../../../migrations/server-sqlite/0006_web_offboarding.sql"),
    ),
    (
        "0007_programme",
        include_str!("../../../migrations/server-sqlite/0007_programme.sql"),
    ),
    (
        "0008_resources",
        include_str!("../../../migrations/server-sqlite/0008_resources.sql"),
    ),
    (
        "0009_attachments",
        include_str!("../../../migrations/server-sqlite/0009_attachments.sql"),
    ),
    (
        "0010_bundles_sms",
        include_str!("../../../migrations/server-sqlite/0010_bundles_sms.sql"),
    ),
    (
        "0011_case_summaries",
        include_str!("../../../migrations/server-sqlite/0011_case_summaries.sql"),
    ),
    (
        "0012_restores",
        include_str!("../../../migrations/server-sqlite/0012_restores.sql"),
    ),
    (
        "0013_summary_stamps",
        include_str!("../../../migrations/server-sqlite/0013_summary_stamps.sql"),
    ),
];

/// The PostgreSQL store's migrations (`migrations/server-postgres`): the same tables as
/// [`MIGRATIONS`] make on SQLite.
const POSTGRES_MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_schema",
        include_str!("../../../migrations/server-postgres/0001_schema.sql"),
    ),
    (
        "0002_summary_stamps",
        include_str!("../../../migrations/server-postgres/0002_summary_stamps.sql"),
    ),
];

/// The PostgreSQL session lock a server holds while it migrates, so that nodes started together
/// migrate one after another.
const MIGRATION_LOCK: i64 = 0x486f_6d65_7761_7200;

/// How far a restore moves the feed's numbering past the backup's highest position: further than
/// the lost server could have numbered after the backup (a billion rows), so no position a
/// device saw from it is given again.
pub const RESTORE_GAP: i64 = 1_000_000_000;

/// Counts of what the server holds, for operators and tests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// Users.
    pub users: i64,
    /// Devices (revoked included).
    pub devices: i64,
    /// Cases.
    pub cases: i64,
    /// Stored changes.
    pub changes: i64,
    /// Feed rows of kind change.
    pub feed_changes: i64,
    /// Visits across all case documents.
    pub visits: i64,
}

/// Where the server's data lives: a SQLite file (encrypted with its key, if any) or a
/// PostgreSQL database.
#[derive(Clone)]
pub enum Location {
    /// A SQLite database file.
    Sqlite {
        /// The file.
        path: std::path::PathBuf,
        /// The SQLCipher key, if the file is encrypted.
        key: Option<String>,
    },
    /// A PostgreSQL database, by its connection URL (`postgres://user@host:port/db`).
    Postgres {
        /// The URL.
        url: String,
    },
}

impl Location {
    /// The location `--db` names: a `postgres://` or `postgresql://` URL, or a SQLite file.
    pub fn from_arg(db: &Path, key: Option<&str>) -> Location {
        let text = db.to_string_lossy();
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Location::Postgres {
                url: text.into_owned(),
            }
        } else {
            Location::Sqlite {
                path: db.to_owned(),
                key: key.map(str::to_owned),
            }
        }
    }

    /// Opens a store here ([`Store::open`] or [`Store::connect`]).
    pub fn open(&self) -> Result<Store, ApiError> {
        self.open_as(Opening::Prepare)
    }

    fn open_as(&self, opening: Opening) -> Result<Store, ApiError> {
        match self {
            Location::Sqlite { path, key } => Store::open_as(path, key.as_deref(), opening),
            Location::Postgres { url } => Store::connect_as(url, opening),
        }
    }
}

/// Whether opening a store migrates the database and brings its summary rows up to date, or
/// only connects: a server's reading connections ([`Opener`]) follow its writer, which did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opening {
    Prepare,
    Connect,
}

impl std::fmt::Debug for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key, nor a password in the URL.
        match self {
            Location::Sqlite { path, key } => f
                .debug_struct("Sqlite")
                .field("path", path)
                .field("encrypted", &key.is_some())
                .finish(),
            Location::Postgres { url } => f
                .debug_struct("Postgres")
                .field("url", &without_password(url))
                .finish(),
        }
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::Sqlite { path, .. } => write!(f, "{}", path.display()),
            Location::Postgres { url } => f.write_str(&without_password(url)),
        }
    }
}

/// A connection URL with its password, if any, replaced by `***`.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (auth, host) = match rest.split_once('@') {
        Some((auth, host)) => (auth, host),
        None => return url.to_owned(),
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// The server store.
pub struct Store {
    conn: Db,
    /// Where it is, to open more connections to it ([`Store::opener`]).
    location: Location,
}

/// Opens more connections to one store's database ([`Store::opener`]), for the server's read
/// pool.
#[derive(Debug)]
pub struct Opener {
    location: Location,
}

impl r2d2::ManageConnection for Opener {
    type Connection = Store;
    type Error = ApiError;

    fn connect(&self) -> Result<Store, ApiError> {
        if let Location::Sqlite { path, .. } = &self.location
            && path.as_os_str().is_empty()
        {
            return Err(ApiError::Internal(
                "an in-memory store has no file to open again".into(),
            ));
        }
        // The server's writer migrated the database and made its summary rows when it opened:
        // a reading connection only connects (at 10,000 cases PostgreSQL spent 21 ms a new
        // connection looking for summary rows to make).
        self.location.open_as(Opening::Connect)
    }

    fn is_valid(&self, store: &mut Store) -> Result<(), ApiError> {
        // A reader's transaction left open by a panic would pin an old snapshot: end it.
        if !store.conn.is_autocommit() {
            store.conn.rollback()?;
        }
        Ok(())
    }

    fn has_broken(&self, store: &mut Store) -> bool {
        store.is_broken()
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("location", &self.location)
            .finish()
    }
}

fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from(std::time::SystemTime::now())
}

/// Creates the database file readable by its owner only, if it does not exist yet: SQLite gives
/// its WAL and shared-memory files the same permissions.
fn create_private(path: &Path) -> Result<(), ApiError> {
    use std::os::unix::fs::OpenOptionsExt;
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(ApiError::BadRequest(format!(
            "cannot create the database {}: {e}",
            path.display()
        ))),
    }
}

fn random_hex<const N: usize>() -> Result<String, ApiError> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| ApiError::Internal(format!("no randomness: {e}")))?;
    Ok(hex::encode(buf))
}

fn sha256(data: &[u8]) -> Vec<u8> {
    Sha256::digest(data).to_vec()
}

impl Store {
    /// Opens (creating if needed) the database at `path` and applies migrations.
    ///
    /// With `key`, the database is encrypted at rest (SQLCipher, the key stretched by its
    /// PBKDF2); a wrong or missing key is refused with a message that says so.
    pub fn open(path: &Path, key: Option<&str>) -> Result<Store, ApiError> {
        Store::open_as(path, key, Opening::Prepare)
    }

    fn open_as(path: &Path, key: Option<&str>, opening: Opening) -> Result<Store, ApiError> {
        create_private(path)?;
        let conn = rusqlite::Connection::open(path)?;
        if let Some(key) = key {
            conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
            conn.pragma_update(None, "key", key)?;
        }
        match conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        }) {
            Ok(_) => {}
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::NotADatabase =>
            {
                return Err(ApiError::BadRequest(format!(
                    "{} is not a readable database: it is encrypted with another key, or not a \
                     homeward-sync-server database (the key comes from HOMEWARD_DB_KEY)",
                    path.display()
                )));
            }
            Err(e) => return Err(e.into()),
        }
        let conn = Db::sqlite(conn);
        conn.execute_batch(
            // WAL: readers do not block the writer. NORMAL is durable across a killed process;
            // FULL adds durability across a power cut on the server. secure_delete: what is
            // deleted is overwritten, so the bytes of a copy whose withdrawal was confirmed
            // (issue 15) leave the file, not only the table, once the WAL is checkpointed.
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA busy_timeout = 5000;
             PRAGMA secure_delete = ON;",
        )?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT;",
        )?;
        if opening == Opening::Prepare {
            migrate(&conn, MIGRATIONS)?;
            // Summary rows for the cases of a database from before them, or of another shape.
            summaries::refresh(&conn)?;
        }
        Ok(Store {
            conn,
            location: Location::Sqlite {
                path: path.to_owned(),
                key: key.map(str::to_owned),
            },
        })
    }

    /// Connects to the PostgreSQL database at `url` and applies its migrations (one server at
    /// a time: nodes started together wait for each other).
    pub fn connect(url: &str) -> Result<Store, ApiError> {
        Store::connect_as(url, Opening::Prepare)
    }

    fn connect_as(url: &str, opening: Opening) -> Result<Store, ApiError> {
        let conn = Db::postgres(url).map_err(|e| {
            ApiError::BadRequest(format!(
                "cannot connect to the database {}: {e}",
                without_password(url)
            ))
        })?;
        if opening == Opening::Connect {
            conn.execute_batch("SET client_min_messages = WARNING")?;
            return Ok(Store {
                conn,
                location: Location::Postgres {
                    url: url.to_owned(),
                },
            });
        }
        conn.execute_batch(&format!(
            "SET client_min_messages = WARNING;
             SELECT pg_advisory_lock({MIGRATION_LOCK});
             CREATE TABLE IF NOT EXISTS schema_migrations (
                 version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);"
        ))?;
        let migrated = migrate(&conn, POSTGRES_MIGRATIONS)
            .and_then(|()| summaries::refresh(&conn).map(|_| ()));
        conn.execute_batch(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))?;
        migrated?;
        Ok(Store {
            conn,
            location: Location::Postgres {
                url: url.to_owned(),
            },
        })
    }

    /// Opens the store at `location`.
    pub fn open_at(location: &Location) -> Result<Store, ApiError> {
        location.open()
    }

    /// Whether its connection is gone (PostgreSQL restarted, failed over or out of reach): open
    /// the store again ([`Store::open_at`] its [`Store::location`]).
    pub fn is_broken(&self) -> bool {
        self.conn.is_broken()
    }

    /// Where this store is.
    pub fn location(&self) -> &Location {
        &self.location
    }

    /// The database connection, for tests that look at or damage rows directly.
    #[doc(hidden)]
    pub fn db(&self) -> &Db {
        &self.conn
    }

    /// What opens more connections to the same database file with the same key: the server
    /// keeps a pool of them for reading ([`crate::AppState::read_store`]), so a dashboard page
    /// or a report reads beside a sync.
    pub fn opener(&self) -> Opener {
        Opener {
            location: self.location.clone(),
        }
    }

    fn tx(&mut self) -> Result<Tx<'_>, ApiError> {
        Ok(self.conn.transaction()?)
    }

    /// Writes a consistent copy of the whole database to `to`, a new file readable by its owner
    /// only, encrypted with the same key (SQLite's `VACUUM INTO`: it runs beside a serving
    /// server, whose writes wait for it), checks that the copy opens and reads whole, and
    /// returns what it holds and its feed position. An existing file is never overwritten.
    pub fn backup(&self, to: &Path) -> Result<(Stats, i64), ApiError> {
        let Location::Sqlite { key, .. } = &self.location else {
            return Err(ApiError::BadRequest(
                "on PostgreSQL, back up with the cluster's own tools (pg_dump, or a standby made \
                 with pg_basebackup): README \"Running at scale\""
                    .into(),
            ));
        };
        if to.exists() {
            return Err(ApiError::Conflict(format!(
                "{} exists: a backup never overwrites a file",
                to.display()
            )));
        }
        create_private(to)?;
        let target = to
            .to_str()
            .ok_or_else(|| ApiError::BadRequest(format!("{} is not UTF-8", to.display())))?;
        if let Err(e) = self.conn.execute("VACUUM INTO ?1", [target]) {
            std::fs::remove_file(to).ok();
            return Err(e.into());
        }
        let copy = Store::open(to, key.as_deref())?;
        let check: String = copy
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        if check != "ok" {
            return Err(ApiError::Internal(format!(
                "the backup {} does not read whole: {check}",
                to.display()
            )));
        }
        Ok((copy.stats()?, copy.feed_high()?))
    }

    /// Makes the database `to` (a new file) from the backup `from` (made by [`Store::backup`]),
    /// with the same key, and moves the feed's numbering [`RESTORE_GAP`] past the backup's
    /// highest position. A device that synced after the backup holds a position inside that gap:
    /// at its next sync it starts over from its current scope, so it never skips a row the
    /// restored server writes; what it sent after the backup the server has lost, and the phone
    /// sends it again with `homeward sync --resend` (README "Backups and restore"). Returns what
    /// the restored database holds and the gap. The backup file is not changed.
    pub fn restore(
        from: &Path,
        to: &Path,
        key: Option<&str>,
    ) -> Result<(Stats, (i64, i64)), ApiError> {
        if to.exists() {
            return Err(ApiError::Conflict(format!(
                "{} exists: restore into a new file, then move it into place with the server \
                 stopped",
                to.display()
            )));
        }
        if !from.is_file() {
            return Err(ApiError::NotFound(format!("no backup {}", from.display())));
        }
        create_private(to)?;
        let restored = (|| {
            std::fs::copy(from, to).map_err(|e| {
                ApiError::BadRequest(format!("cannot copy {}: {e}", from.display()))
            })?;
            let mut store = Store::open(to, key)?;
            let gap = store.mark_restored(&from.display().to_string())?;
            Ok((store.stats()?, gap))
        })();
        if restored.is_err() {
            for ext in ["", "-wal", "-shm"] {
                std::fs::remove_file(format!("{}{ext}", to.display())).ok();
            }
        }
        restored
    }

    /// Records that this database was just restored from the backup `from` (named for the
    /// record only): moves the feed's numbering [`RESTORE_GAP`] past its highest position and
    /// records the gap, so a device holding a position the lost server gave after the backup
    /// starts over at its next sync instead of skipping rows this server writes. [`Store::restore`]
    /// does it for SQLite; on PostgreSQL run it (`restore --postgres-restored FROM`) after
    /// restoring with the cluster's tools, before any server serves. Returns the gap.
    pub fn mark_restored(&mut self, from: &str) -> Result<(i64, i64), ApiError> {
        let postgres = self.conn.is_postgres();
        let tx = self.tx()?;
        let after: i64 =
            tx.query_row("SELECT coalesce(max(seq), 0) FROM feed", [], |r| r.get(0))?;
        let until = after.saturating_add(RESTORE_GAP);
        tx.execute(
            "INSERT INTO feed_gaps (after, until, restored_at, backup) VALUES (?1, ?2, ?3, ?4)",
            params![after, until, now().to_rfc3339(), from],
        )?;
        if postgres {
            // The identity's next value is `until + 1`.
            tx.query_row(
                "SELECT setval(pg_get_serial_sequence('feed', 'seq'), ?1)",
                [until],
                |r| r.get::<_, i64>(0),
            )?;
        } else if tx.execute(
            // AUTOINCREMENT numbers after the highest of sqlite_sequence and the rows.
            "UPDATE sqlite_sequence SET seq = ?1 WHERE name = 'feed'",
            [until],
        )? == 0
        {
            tx.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES ('feed', ?1)",
                [until],
            )?;
        }
        tx.commit()?;
        Ok((after, until))
    }

    /// The highest feed position: what a device that synced last has seen.
    pub fn feed_high(&self) -> Result<i64, ApiError> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(seq), 0) FROM feed", [], |r| r.get(0))?)
    }

    /// Counts of what the server holds.
    pub fn stats(&self) -> Result<Stats, ApiError> {
        let count = |sql: &str| -> Result<i64, ApiError> {
            Ok(self.conn.query_row(sql, [], |r| r.get(0))?)
        };
        let visits = count("SELECT CAST(coalesce(sum(visits), 0) AS BIGINT) FROM case_summaries")?;
        Ok(Stats {
            users: count("SELECT count(*) FROM users")?,
            devices: count("SELECT count(*) FROM devices")?,
            cases: count("SELECT count(*) FROM cases")?,
            changes: count("SELECT count(*) FROM changes")?,
            feed_changes: count("SELECT count(*) FROM feed WHERE kind = 'change'")?,
            visits,
        })
    }

    /// Every case of a district (or of every district), as its summary row holds it.
    pub fn cases(
        &self,
        district: Option<&str>,
    ) -> Result<Vec<homeward_shared::model::Case>, ApiError> {
        let reach = match district {
            Some(d) => Reach::Areas(vec![(d.to_owned(), String::new())]),
            None => Reach::Everywhere,
        };
        summaries::cases(&self.conn, &reach)
    }

    /// The cases `reach` holds (a dashboard user's: [`crate::scope::reach`]), by id, as their
    /// summary rows hold them: one query, no document loaded.
    pub fn cases_in(&self, reach: &Reach) -> Result<Vec<homeward_shared::model::Case>, ApiError> {
        summaries::cases(&self.conn, reach)
    }

    /// Calls `f` with the ids and stamps of the cases `reach` holds, by id, a page at a time,
    /// each page with the id it comes after (`""` first): what a node that keeps figures per
    /// case ([`crate::outlines`]) reads to know which of them changed. A stamp of 0 is a row
    /// not stamped yet.
    pub fn each_stamp_page_in(
        &self,
        reach: &Reach,
        f: impl FnMut(&str, &[(String, i64)]) -> Result<(), ApiError>,
    ) -> Result<(), ApiError> {
        summaries::each_stamp_page(&self.conn, reach, f)
    }

    /// The cases `wanted` names among those `reach` holds with ids in `(after, last]`, as their
    /// summary rows hold them (no document loaded), by id: one statement for a page of
    /// [`Store::each_stamp_page_in`].
    pub fn summary_cases_between(
        &self,
        reach: &Reach,
        after: &str,
        last: &str,
        wanted: &std::collections::HashSet<&str>,
    ) -> Result<Vec<homeward_shared::model::Case>, ApiError> {
        summaries::between(&self.conn, reach, after, last, wanted)
    }

    /// One case as its summary row holds it (no document loaded), or `None`.
    pub fn summary_case(&self, id: &str) -> Result<Option<homeward_shared::model::Case>, ApiError> {
        summaries::one(&self.conn, id)
    }

    /// One case, read from its document (what its page shows), or `None` when there is no such
    /// case.
    pub fn case(&self, id: &str) -> Result<Option<homeward_shared::model::Case>, ApiError> {
        let doc: Option<Vec<u8>> = self
            .conn
            .query_row("SELECT doc FROM cases WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        doc.map(|doc| summaries::read_document(id, &doc))
            .transpose()
    }
}

/// Applies the migrations of `list` the database has not had, each in a transaction; refuses a
/// database migrated by another version.
fn migrate(conn: &Db, list: &[(&str, &str)]) -> Result<(), ApiError> {
    let applied: Vec<String> = conn
        .prepare("SELECT name FROM schema_migrations ORDER BY version")?
        .query_map([], |r| r.get(0))?
        .collect::<db::Result<_>>()?;
    if applied.len() > list.len() {
        return Err(ApiError::BadRequest(
            "this database was migrated by a newer homeward-sync-server".into(),
        ));
    }
    for (name, (known, _)) in applied.iter().zip(list) {
        if name != known {
            return Err(ApiError::BadRequest(format!(
                "database migration '{name}' is not this version's '{known}'"
            )));
        }
    }
    for (i, (name, sql)) in list.iter().enumerate().skip(applied.len()) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            params![
                i64::try_from(i + 1).unwrap_or(i64::MAX),
                name,
                now().to_rfc3339()
            ],
        )?;
        tx.commit()?;
    }
    Ok(())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The key serde writes for a unit enum value (`has_issues`), as stored in text columns.
fn key<T: Serialize>(v: &T) -> Result<String, ApiError> {
    match serde_json::to_value(v).map_err(|e| ApiError::Internal(e.to_string()))? {
        serde_json::Value::String(s) => Ok(s),
        other => Err(ApiError::Internal(format!("not a key: {other}"))),
    }
}

/// The enum value of a stored key (the inverse of [`key`]).
fn from_key<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, ApiError> {
    serde_json::from_value(serde_json::Value::String(s.to_owned()))
        .map_err(|e| ApiError::Internal(format!("bad stored value '{s}': {e}")))
}
