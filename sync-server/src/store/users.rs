//! Users, their roles and areas, dashboard logins and sessions, and the audit log.

use super::*;

/// How long a dashboard session lasts.
pub const SESSION_HOURS: i64 = 12;

/// Failed dashboard logins of one user id that lock it out for a while.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// How long failed logins count, and the lockout lasts, in minutes.
pub const LOCKOUT_MINUTES: i64 = 15;

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

impl Store {
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

/// A user with their role and areas, read in `conn` (a transaction or the connection).
pub(super) fn web_user_in(conn: &Connection, user_id: &str) -> Result<WebUser, ApiError> {
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
