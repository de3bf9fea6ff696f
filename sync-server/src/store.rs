//! The server's storage on embedded SQLite: users and areas, devices, case documents, the
//! change log and the feed. Every method is one transaction; the HTTP layer runs them on
//! blocking threads.
//!
//! A PostgreSQL implementation will join this one behind the same methods when a state
//! outgrows one machine; until then this is a concrete type (no trait with one implementation).

use std::path::Path;

use automerge::{AutoCommit, Change, ReadDoc};
use chrono::{DateTime, Duration, Utc};
use homeward_shared::schema;
use homeward_shared::wire::{
    CasePush, Cursor, Document, FeedChange, Reference, SyncRequest, SyncResponse,
};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

mod conflicts;
mod reviews;
mod spotchecks;
pub use conflicts::QueuedConflict;
pub use reviews::{Decision, ReviewItem, Subject};
pub use spotchecks::{SpotCheck, covers};

const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_init",
        include_str!("../../migrations/server-sqlite/0001_init.sql"),
    ),
    (
        "0002_sessions_audit",
        include_str!("../../migrations/server-sqlite/0002_sessions_audit.sql"),
    ),
    (
        "0003_spot_checks",
        include_str!("../../migrations/server-sqlite/0003_spot_checks.sql"),
    ),
    (
        "0004_reviews",
        include_str!("../../migrations/server-sqlite/0004_reviews.sql"),
    ),
];

/// How long a dashboard session lasts.
pub const SESSION_HOURS: i64 = 12;

/// Failed dashboard logins of one user id that lock it out for a while.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// How long failed logins count, and the lockout lasts, in minutes.
pub const LOCKOUT_MINUTES: i64 = 15;

/// The most response bytes a device may ask for in one round.
pub const MAX_BUDGET: u32 = 1024 * 1024;

/// A device enrolled with a one-time code: the answer to `POST /api/v1/enrol`.
#[derive(Debug, Clone, Serialize)]
pub struct Enrolled {
    /// The device id.
    pub device_id: String,
    /// The bearer token for sync. Shown once; the server keeps only its hash.
    pub token: String,
    /// The user's id.
    pub user_id: String,
    /// The user's name.
    pub user_name: String,
    /// The user's role (`fieldworker`, `supervisor`...): the field app shows a supervisor's
    /// spot checks.
    pub role: String,
}

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Holds assigned cases; creates cases in their areas.
    Fieldworker,
    /// Reads and writes every case in their areas.
    Supervisor,
    /// Reads the cases of their district (reports); never writes.
    Cwc,
    /// Everything.
    Admin,
}

impl Role {
    /// Parses a role name.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "fieldworker" => Some(Role::Fieldworker),
            "supervisor" => Some(Role::Supervisor),
            "cwc" => Some(Role::Cwc),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    /// The role's name.
    pub fn key(self) -> &'static str {
        match self {
            Role::Fieldworker => "fieldworker",
            Role::Supervisor => "supervisor",
            Role::Cwc => "cwc",
            Role::Admin => "admin",
        }
    }
}

/// An authenticated device and its user.
#[derive(Debug, Clone)]
pub struct DeviceAuth {
    /// Device id.
    pub device_id: String,
    /// Its user.
    pub user_id: String,
    /// The user's role.
    pub role: Role,
    /// The actor id the device's changes must carry.
    pub actor: Vec<u8>,
}

/// A line of `device list`.
#[derive(Debug, Clone, Serialize)]
pub struct DeviceRow {
    /// Device id.
    pub id: String,
    /// User id.
    pub user_id: String,
    /// Device name.
    pub name: String,
    /// When enrolled.
    pub enrolled_at: String,
    /// When revoked, if it was.
    pub revoked_at: Option<String>,
    /// Last contact.
    pub last_seen: Option<String>,
}

/// A user logged in to the dashboard, with their scope.
#[derive(Debug, Clone, Serialize)]
pub struct WebUser {
    /// User id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// (district, block or empty for the whole district).
    pub areas: Vec<(String, String)>,
}

impl WebUser {
    /// Whether the user may see a district's report and cases: admins every district,
    /// supervisors and CWC members the districts of their areas, fieldworkers none (they use
    /// the field app).
    pub fn may_read_district(&self, district: &str) -> bool {
        match self.role {
            Role::Admin => true,
            Role::Supervisor | Role::Cwc => self.areas.iter().any(|(d, _)| d == district),
            Role::Fieldworker => false,
        }
    }
}

/// A line of the audit log.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRow {
    /// When.
    pub at: String,
    /// Who.
    pub user_id: String,
    /// What (login, report, view-case...).
    pub action: String,
    /// Which case, if any.
    pub case_id: Option<String>,
    /// More (the report's district and month...).
    pub detail: Option<String>,
}

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

/// The server store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
}

fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from(std::time::SystemTime::now())
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
        let conn = Connection::open(path)?;
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
        conn.execute_batch(
            // WAL: readers do not block the writer. NORMAL is durable across a killed process;
            // FULL adds durability across a power cut on the server.
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = FULL;
             PRAGMA foreign_keys = ON;
             PRAGMA busy_timeout = 5000;",
        )?;
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT;",
        )?;
        let applied: Vec<String> = conn
            .prepare("SELECT name FROM schema_migrations ORDER BY version")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        if applied.len() > MIGRATIONS.len() {
            return Err(ApiError::BadRequest(
                "this database was migrated by a newer homeward-sync-server".into(),
            ));
        }
        for (name, (known, _)) in applied.iter().zip(MIGRATIONS) {
            if name != known {
                return Err(ApiError::BadRequest(format!(
                    "database migration '{name}' is not this version's '{known}'"
                )));
            }
        }
        for (i, (name, sql)) in MIGRATIONS.iter().enumerate().skip(applied.len()) {
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
        Ok(Store { conn })
    }

    fn tx(&mut self) -> Result<Transaction<'_>, ApiError> {
        Ok(self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }

    /// Adds a user with a role and areas; returns the user id (the name, lower-cased and
    /// hyphenated).
    pub fn add_user(
        &mut self,
        name: &str,
        role: Role,
        areas: &[(String, String)],
        password: Option<&str>,
    ) -> Result<String, ApiError> {
        self.add_user_with_id(None, name, role, areas, password)
    }

    /// Adds a user with a chosen id (`None`: derived from the name, lower case, `-` for any
    /// other character). An id is letters, digits and `-` only.
    pub fn add_user_with_id(
        &mut self,
        id: Option<&str>,
        name: &str,
        role: Role,
        areas: &[(String, String)],
        password: Option<&str>,
    ) -> Result<String, ApiError> {
        let id: String = match id {
            Some(id) => {
                let id = id.trim();
                if !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
                    return Err(ApiError::BadRequest(format!(
                        "bad user id '{id}' (letters, digits and '-' only)"
                    )));
                }
                id.to_owned()
            }
            None => name
                .trim()
                .to_lowercase()
                .chars()
                .map(|c| if c.is_alphanumeric() { c } else { '-' })
                .collect(),
        };
        if id.is_empty() || name.trim().is_empty() {
            return Err(ApiError::BadRequest("a user needs a name".into()));
        }
        if role != Role::Admin && areas.is_empty() {
            return Err(ApiError::BadRequest(format!(
                "a {} needs at least one --district or --block",
                role.key()
            )));
        }
        let hash = password.map(hash_password).transpose()?;
        let tx = self.tx()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1)",
            [&id],
            |r| r.get(0),
        )?;
        if exists {
            return Err(ApiError::Conflict(format!("user '{id}' already exists")));
        }
        tx.execute(
            "INSERT INTO users (id, name, role, password_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, name.trim(), role.key(), hash, now().to_rfc3339()],
        )?;
        for (district, block) in areas {
            tx.execute(
                "INSERT OR IGNORE INTO user_areas (user_id, district, block) VALUES (?1, ?2, ?3)",
                params![id, district, block],
            )?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// Creates a one-time enrolment code for a user, valid for seven days.
    pub fn enrolment_code(&mut self, user_id: &str) -> Result<String, ApiError> {
        let tx = self.tx()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM users WHERE id = ?1)",
            [user_id],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(ApiError::NotFound(format!("no user '{user_id}'")));
        }
        // 10 characters from an alphabet without look-alikes: easy to type on a phone.
        const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
        let mut buf = [0u8; 10];
        getrandom::fill(&mut buf).map_err(|e| ApiError::Internal(e.to_string()))?;
        let code: String = buf
            .iter()
            .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
            .collect();
        let at = now();
        tx.execute(
            "INSERT INTO enrol_codes (code_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![
                sha256(code.as_bytes()),
                user_id,
                at.to_rfc3339(),
                (at + Duration::days(7)).to_rfc3339()
            ],
        )?;
        tx.commit()?;
        Ok(code)
    }

    /// Exchanges an enrolment code for a device token.
    pub fn enrol(&mut self, code: &str, actor: &[u8], name: &str) -> Result<Enrolled, ApiError> {
        let code = code.trim().to_uppercase().replace('-', "");
        let tx = self.tx()?;
        let row: Option<(String, String, Option<String>)> = tx
            .query_row(
                "SELECT user_id, expires_at, used_at FROM enrol_codes WHERE code_hash = ?1",
                [sha256(code.as_bytes())],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let refused = || ApiError::Unauthorized("enrolment code unknown, used or expired".into());
        let Some((user_id, expires, used)) = row else {
            return Err(refused());
        };
        if used.is_some() || expires < now().to_rfc3339() {
            return Err(refused());
        }
        if actor.is_empty() || actor.len() > 32 {
            return Err(ApiError::BadRequest(
                "the actor id must be 1 to 32 bytes".into(),
            ));
        }
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM devices WHERE actor = ?1)",
            [actor],
            |r| r.get(0),
        )?;
        if taken {
            return Err(ApiError::Conflict(
                "this actor id belongs to another device".into(),
            ));
        }
        let device_id = random_hex::<8>()?;
        let secret = random_hex::<16>()?;
        let at = now().to_rfc3339();
        tx.execute(
            "INSERT INTO devices (id, user_id, token_hash, actor, name, enrolled_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![device_id, user_id, sha256(secret.as_bytes()), actor, name, at],
        )?;
        tx.execute(
            "UPDATE enrol_codes SET used_at = ?2 WHERE code_hash = ?1",
            params![sha256(code.as_bytes()), at],
        )?;
        let (user_name, role): (String, String) = tx.query_row(
            "SELECT name, role FROM users WHERE id = ?1",
            [&user_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        tx.commit()?;
        Ok(Enrolled {
            token: format!("{device_id}.{secret}"),
            device_id,
            user_id,
            user_name,
            role,
        })
    }

    /// Checks a device token. A revoked device gets [`ApiError::Revoked`].
    pub fn authenticate(&self, token: &str) -> Result<DeviceAuth, ApiError> {
        let bad = || ApiError::Unauthorized("unknown device token".into());
        let (device_id, secret) = token.split_once('.').ok_or_else(bad)?;
        type Row = (Vec<u8>, String, String, Vec<u8>, Option<String>);
        let row: Option<Row> = self
            .conn
            .query_row(
                "SELECT d.token_hash, d.user_id, u.role, d.actor, d.revoked_at
                 FROM devices d JOIN users u ON u.id = d.user_id WHERE d.id = ?1",
                [device_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?;
        let (hash, user_id, role, actor, revoked) = row.ok_or_else(bad)?;
        if !constant_time_eq(&hash, &sha256(secret.as_bytes())) {
            return Err(bad());
        }
        if revoked.is_some() {
            return Err(ApiError::Revoked);
        }
        Ok(DeviceAuth {
            device_id: device_id.to_owned(),
            user_id,
            role: Role::parse(&role)
                .ok_or_else(|| ApiError::Internal(format!("bad role {role}")))?,
            actor,
        })
    }

    /// Every device, newest first.
    pub fn devices(&self) -> Result<Vec<DeviceRow>, ApiError> {
        let mut stmt = self.conn.prepare(
            "SELECT id, user_id, name, enrolled_at, revoked_at, last_seen FROM devices ORDER BY enrolled_at DESC, id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(DeviceRow {
                    id: r.get(0)?,
                    user_id: r.get(1)?,
                    name: r.get(2)?,
                    enrolled_at: r.get(3)?,
                    revoked_at: r.get(4)?,
                    last_seen: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Each user's most recent sync from any of their devices.
    pub fn last_sync_by_user(
        &self,
    ) -> Result<std::collections::BTreeMap<String, String>, ApiError> {
        let mut stmt = self.conn.prepare(
            "SELECT user_id, max(last_seen) FROM devices WHERE last_seen IS NOT NULL GROUP BY user_id",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Revokes a device: its token stops working and its next contact is told to wipe.
    pub fn revoke(&mut self, device_id: &str) -> Result<(), ApiError> {
        let n = self.conn.execute(
            "UPDATE devices SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1",
            params![device_id, now().to_rfc3339()],
        )?;
        if n == 0 {
            return Err(ApiError::NotFound(format!("no device '{device_id}'")));
        }
        Ok(())
    }

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

    /// Checks a user's password and opens a dashboard session; returns its token.
    pub fn login(&mut self, user_id: &str, password: &str) -> Result<(String, WebUser), ApiError> {
        use argon2::password_hash::{PasswordHash, PasswordVerifier};
        let refused = || ApiError::Unauthorized("unknown user or wrong password".into());
        // Password guessing: after MAX_FAILED_LOGINS failures since the last success within
        // LOCKOUT_MINUTES, the user id is refused, even with the right password, until the
        // window has passed. Failures are kept in the audit log.
        let window = (now() - Duration::minutes(LOCKOUT_MINUTES)).to_rfc3339();
        let failures: i64 = self.conn.query_row(
            "SELECT count(*) FROM audit WHERE user_id = ?1 AND action = 'login-failed' AND at > ?2
               AND at > COALESCE((SELECT max(at) FROM audit WHERE user_id = ?1 AND action = 'login'), '')",
            params![user_id, window],
            |r| r.get(0),
        )?;
        if failures >= MAX_FAILED_LOGINS {
            return Err(ApiError::Unauthorized(format!(
                "too many failed attempts for this user: try again in {LOCKOUT_MINUTES} minutes"
            )));
        }
        let failed = |store: &Store| -> ApiError {
            match store.audit(user_id, "login-failed", None, None) {
                Ok(()) => refused(),
                Err(e) => e,
            }
        };
        let hash: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT password_hash FROM users WHERE id = ?1",
                [user_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(Some(hash)) = hash else {
            return Err(failed(self));
        };
        let parsed = PasswordHash::new(&hash)
            .map_err(|e| ApiError::Internal(format!("stored password hash: {e}")))?;
        if argon2::Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_err()
        {
            return Err(failed(self));
        }
        let token = random_hex::<24>()?;
        let at = now();
        self.conn.execute(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
            params![sha256(token.as_bytes()), user_id, at.to_rfc3339(), (at + Duration::hours(SESSION_HOURS)).to_rfc3339()],
        )?;
        let user = self.web_user(user_id)?;
        self.audit(&user.id, "login", None, None)?;
        Ok((token, user))
    }

    /// The user of a live dashboard session.
    pub fn session(&self, token: &str) -> Result<WebUser, ApiError> {
        let user: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT user_id, expires_at FROM sessions WHERE token_hash = ?1",
                [sha256(token.as_bytes())],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match user {
            Some((user_id, expires)) if expires > now().to_rfc3339() => self.web_user(&user_id),
            _ => Err(ApiError::Unauthorized("not logged in".into())),
        }
    }

    /// Ends a dashboard session.
    pub fn logout(&mut self, token: &str) -> Result<(), ApiError> {
        self.conn.execute(
            "DELETE FROM sessions WHERE token_hash = ?1",
            [sha256(token.as_bytes())],
        )?;
        Ok(())
    }

    /// A user with their role and areas (the dashboard's view of them).
    pub fn web_user(&self, user_id: &str) -> Result<WebUser, ApiError> {
        web_user_in(&self.conn, user_id)
    }

    /// Records who viewed or changed what.
    pub fn audit(
        &self,
        user_id: &str,
        action: &str,
        case_id: Option<&str>,
        detail: Option<&str>,
    ) -> Result<(), ApiError> {
        self.conn.execute(
            "INSERT INTO audit (at, user_id, action, case_id, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![now().to_rfc3339(), user_id, action, case_id, detail],
        )?;
        Ok(())
    }

    /// The audit log, newest first, optionally for one user or one case.
    pub fn audit_log(
        &self,
        user_id: Option<&str>,
        case_id: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AuditRow>, ApiError> {
        let mut stmt = self.conn.prepare(
            "SELECT at, user_id, action, case_id, detail FROM audit
             WHERE (?1 IS NULL OR user_id = ?1) AND (?2 IS NULL OR case_id = ?2)
             ORDER BY id DESC LIMIT ?3",
        )?;
        let rows = stmt
            .query_map(params![user_id, case_id, limit], |r| {
                Ok(AuditRow {
                    at: r.get(0)?,
                    user_id: r.get(1)?,
                    action: r.get(2)?,
                    case_id: r.get(3)?,
                    detail: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Counts of what the server holds.
    pub fn stats(&self) -> Result<Stats, ApiError> {
        let count = |sql: &str| -> Result<i64, ApiError> {
            Ok(self.conn.query_row(sql, [], |r| r.get(0))?)
        };
        let mut visits = 0;
        let mut stmt = self.conn.prepare("SELECT doc FROM cases")?;
        let docs = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
        for doc in docs {
            let doc = AutoCommit::load(&doc?).map_err(|e| ApiError::Internal(e.to_string()))?;
            let case = schema::read_case(&doc).map_err(|e| ApiError::Internal(e.to_string()))?;
            visits += i64::try_from(case.visits.len()).unwrap_or(0);
        }
        Ok(Stats {
            users: count("SELECT count(*) FROM users")?,
            devices: count("SELECT count(*) FROM devices")?,
            cases: count("SELECT count(*) FROM cases")?,
            changes: count("SELECT count(*) FROM changes")?,
            feed_changes: count("SELECT count(*) FROM feed WHERE kind = 'change'")?,
            visits,
        })
    }

    /// One sync round for an authenticated device: stores the pushed changes (all or none),
    /// then answers with what the device may read after its cursor.
    pub fn sync(
        &mut self,
        device: &DeviceAuth,
        req: &SyncRequest,
    ) -> Result<SyncResponse, ApiError> {
        let tx = self.tx()?;
        let stored = store_push(&tx, device, &req.push)?;
        let budget = usize::try_from(req.budget.clamp(1024, MAX_BUDGET)).unwrap_or(65536);
        let mut resp = pull(&tx, device, &req.cursor, budget)?;
        resp.stored = stored;
        if !req.spot_check_outcomes.is_empty() {
            let user = web_user_in(&tx, &device.user_id)?;
            resp.spot_check_results =
                spotchecks::record_outcomes(&tx, &user, &req.spot_check_outcomes)?;
        }
        // The reference data (areas, assignments, spot checks, send-backs) is read and sent only
        // when its version moved: an idle sync costs one indexed lookup here.
        let version: i64 = tx.query_row(
            "SELECT ref_version FROM users WHERE id = ?1",
            [&device.user_id],
            |r| r.get(0),
        )?;
        if u64::try_from(version).unwrap_or(0) != req.reference_version {
            resp.reference = Some(reference(&tx, &device.user_id)?);
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
        store_push(&tx, device, push)?;
        tx.commit()?;
        Ok(())
    }

    /// Every case of a district (or of every district), read from its current document.
    pub fn cases(
        &self,
        district: Option<&str>,
    ) -> Result<Vec<homeward_shared::model::Case>, ApiError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, doc FROM cases WHERE ?1 IS NULL OR district = ?1 ORDER BY id")?;
        let rows: Vec<(String, Vec<u8>)> = stmt
            .query_map([district], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(id, doc)| {
                let doc = AutoCommit::load(&doc).map_err(|e| {
                    ApiError::Internal(format!("stored case {id} does not load: {e}"))
                })?;
                schema::read_case(&doc)
                    .map_err(|e| ApiError::Internal(format!("stored case {id} does not read: {e}")))
            })
            .collect()
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Hashes a dashboard password with argon2id (PHC string).
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    if password.chars().count() < 4 {
        return Err(ApiError::BadRequest(
            "a password needs at least 4 characters".into(),
        ));
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| ApiError::Internal(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .to_string())
}

/// Records that `user_id` now holds the case. `by_device` is the device that created the case,
/// which already holds it and so is not sent the document again.
fn assign_in(
    tx: &Transaction<'_>,
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
fn in_areas(
    tx: &Transaction<'_>,
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

/// Whether the device's user may write to an existing case.
fn may_write(
    tx: &Transaction<'_>,
    device: &DeviceAuth,
    case_id: &str,
    district: &str,
    block: &str,
) -> Result<bool, ApiError> {
    Ok(match device.role {
        Role::Admin => true,
        Role::Cwc => false,
        Role::Supervisor => in_areas(tx, &device.user_id, district, block)?,
        // A fieldworker writes to the cases they hold, and to cases they held before: work done
        // offline on a case transferred meanwhile is kept, not refused.
        Role::Fieldworker => tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM feed WHERE kind = 'grant' AND case_id = ?1 AND user_id = ?2)",
            params![case_id, device.user_id],
            |r| r.get(0),
        )?,
    })
}

/// Stores a push, all of it or none: the caller's transaction is dropped on error.
fn store_push(
    tx: &Transaction<'_>,
    device: &DeviceAuth,
    push: &[CasePush],
) -> Result<u32, ApiError> {
    let mut stored = 0u32;
    let at = now().to_rfc3339();
    for case in push {
        stored += store_case(tx, device, case, &at).map_err(|e| {
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
    tx: &Transaction<'_>,
    device: &DeviceAuth,
    case: &CasePush,
    at: &str,
) -> Result<u32, ApiError> {
    if case.changes.is_empty() {
        return Ok(0);
    }
    let mut changes = Vec::with_capacity(case.changes.len());
    for bytes in &case.changes {
        let change = Change::try_from(bytes.as_slice()).map_err(|e| {
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
    let mut doc = match &existing {
        Some((district, block, doc)) => {
            if !may_write(tx, device, &case.case_id, district, block)? {
                return Err(ApiError::Forbidden(format!(
                    "case {} is not in this device's scope",
                    case.case_id
                )));
            }
            AutoCommit::load(doc).map_err(|e| {
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
    doc.apply_changes(fresh).map_err(|e| {
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
    let (district, block) = (
        read.child.address.district.clone(),
        read.child.address.block.clone(),
    );
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
            params![case.case_id, district, block, device.device_id, at, doc.save()],
        )?;
        if device.role == Role::Fieldworker {
            assign_in(tx, &case.case_id, &device.user_id, Some(&device.device_id))?;
        }
    } else {
        if existing
            .as_ref()
            .is_some_and(|(d, b, _)| *d != district || *b != block)
        {
            return Err(ApiError::Unprocessable(format!(
                "case {}: its district and block cannot change by sync",
                case.case_id
            )));
        }
        tx.execute(
            "UPDATE cases SET doc = ?2, updated_at = ?3 WHERE id = ?1",
            params![case.case_id, doc.save(), at],
        )?;
    }
    let mut ins_change = tx.prepare_cached(
        "INSERT OR IGNORE INTO changes (hash, case_id, device_id, received_at, bytes) VALUES (?1, ?2, ?3, ?4, ?5)",
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

/// The SQL condition "the device's user may read case `?case`" for each role.
fn read_scope(role: Role) -> &'static str {
    match role {
        Role::Admin => "?2 IS NOT NULL",
        Role::Fieldworker => "EXISTS (SELECT 1 FROM assignments a WHERE a.case_id = f.case_id AND a.user_id = ?2)",
        Role::Supervisor | Role::Cwc => {
            "EXISTS (SELECT 1 FROM cases k JOIN user_areas ua ON ua.user_id = ?2 AND ua.district = k.district
                     AND (ua.block = '' OR ua.block = k.block) WHERE k.id = f.case_id)"
        }
    }
}

fn pull(
    tx: &Transaction<'_>,
    device: &DeviceAuth,
    cursor: &Cursor,
    budget: usize,
) -> Result<SyncResponse, ApiError> {
    let mut resp = SyncResponse {
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
    let scope = read_scope(device.role).replace("f.case_id", "c.id");
    let sql = format!(
        "SELECT c.id, c.doc FROM cases c WHERE c.id > ?1 AND c.created_by != ?3 AND ({scope}) ORDER BY c.id"
    );
    let mut stmt = tx.prepare(&sql)?;
    let mut rows = stmt.query(params![after, device.user_id, device.device_id])?;
    while let Some(row) = rows.next()? {
        let (case_id, doc): (String, Vec<u8>) = (row.get(0)?, row.get(1)?);
        let doc = wire_document(&case_id, &doc)?;
        if used > 0 && used + doc.len() > budget {
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
        used += doc.len();
        resp.documents.push(Document { case_id, doc });
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
    tx: &Transaction<'_>,
    device: &DeviceAuth,
    seq: u64,
    budget: usize,
    mut resp: SyncResponse,
) -> Result<SyncResponse, ApiError> {
    let scope = read_scope(device.role);
    let sql = format!(
        "SELECT f.seq, f.kind, f.case_id, ch.bytes FROM feed f LEFT JOIN changes ch ON ch.hash = f.hash
         WHERE f.seq > ?1 AND (
             (f.kind = 'change' AND f.device_id != ?3 AND ({scope}))
             OR (f.kind = 'grant' AND f.user_id = ?2 AND f.device_id IS NOT ?3)
             OR (f.kind = 'revoke' AND f.user_id = ?2))
         ORDER BY f.seq"
    );
    let mut stmt = tx.prepare(&sql)?;
    let mut rows = stmt.query(params![
        i64::try_from(seq).unwrap_or(i64::MAX),
        device.user_id,
        device.device_id
    ])?;
    let mut used = 0usize;
    let mut last = seq;
    while let Some(row) = rows.next()? {
        let (n, kind, case_id, bytes): (i64, String, String, Option<Vec<u8>>) =
            (row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?);
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
    let mut doc = AutoCommit::load(saved)
        .map_err(|e| ApiError::Internal(format!("stored case {case_id} does not load: {e}")))?;
    Ok(doc.save_nocompress())
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

/// A user with their role and areas, read in `conn` (a transaction or the connection).
fn web_user_in(conn: &Connection, user_id: &str) -> Result<WebUser, ApiError> {
    let (name, role): (String, String) = conn.query_row(
        "SELECT name, role FROM users WHERE id = ?1",
        [user_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let areas = conn
        .prepare(
            "SELECT district, block FROM user_areas WHERE user_id = ?1 ORDER BY district, block",
        )?
        .query_map([user_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(WebUser {
        id: user_id.to_owned(),
        name,
        role: Role::parse(&role).ok_or_else(|| ApiError::Internal(format!("bad role {role}")))?,
        areas,
    })
}

fn reference(tx: &Transaction<'_>, user_id: &str) -> Result<Reference, ApiError> {
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
        .collect::<rusqlite::Result<_>>()?;
    let assigned = tx
        .prepare("SELECT case_id FROM assignments WHERE user_id = ?1 ORDER BY case_id")?
        .query_map([user_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let version = u64::try_from(version).unwrap_or(0);
    let spot_checks = if role == "supervisor" || role == "admin" {
        spotchecks::open_tasks(tx, &web_user_in(tx, user_id)?)?
    } else {
        Vec::new()
    };
    Ok(Reference {
        version,
        user_id: user_id.to_owned(),
        user_name: name,
        role,
        areas,
        sent_back: reviews::sent_back(tx, user_id)?,
        assigned,
        spot_checks,
    })
}
