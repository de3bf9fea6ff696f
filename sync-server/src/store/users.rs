//! Users, their roles and areas, dashboard logins and sessions, and the audit log.

use super::*;
use crate::limits;

/// How long a dashboard session lasts.
pub const SESSION_HOURS: i64 = 12;

/// Failed dashboard logins of one user id that lock it out for a while.
pub const MAX_FAILED_LOGINS: i64 = 5;
/// How long failed logins count, and the lockout lasts, in minutes.
pub const LOCKOUT_MINUTES: i64 = 15;

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
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

/// What disabling a user did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Offboarded {
    /// The user was disabled before.
    pub already: bool,
    /// Devices revoked now.
    pub devices: usize,
    /// Dashboard sessions ended.
    pub sessions: usize,
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
        limits::check("name", name.trim(), limits::NAME)?;
        let id: String = match id {
            Some(id) => {
                let id = id.trim();
                limits::check("user id", id, limits::USER_ID)?;
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
        if !plausible_id(&id) {
            return Err(ApiError::BadRequest(format!(
                "the user id '{id}' derived from the name is not usable: give one with --id                  (at most {} letters, digits and '-')",
                limits::USER_ID
            )));
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
                "INSERT INTO user_areas (user_id, district, block) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
                params![id, district, block],
            )?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// Checks a user's password and opens a dashboard session; returns its token.
    ///
    /// Every refusal of a user id that could exist costs one argon2 verification, against a
    /// dummy hash when the id is unknown, has no password or is disabled, so the time taken does
    /// not tell which ids exist. An id no user can have (too long, other characters) is refused
    /// the same way and not written to the audit log. After [`MAX_FAILED_LOGINS`] failures of an
    /// id within [`LOCKOUT_MINUTES`] (counted from the audit log since its last success), the id
    /// is refused, even with the right password, until the window has passed.
    pub fn login(&mut self, user_id: &str, password: &str) -> Result<(String, WebUser), ApiError> {
        let refused = || ApiError::Unauthorized("unknown user or wrong password".into());
        if !plausible_id(user_id) || password.len() > limits::PASSWORD {
            verify(DUMMY_HASH, password)?;
            return Err(refused());
        }
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
        let row: Option<(Option<String>, Option<String>)> = self
            .conn
            .query_row(
                "SELECT password_hash, disabled_at FROM users WHERE id = ?1",
                [user_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (hash, disabled) = match row {
            Some((Some(hash), disabled)) => (hash, disabled.is_some()),
            _ => (DUMMY_HASH.to_owned(), true),
        };
        if !verify(&hash, password)? || disabled {
            self.audit(user_id, "login-failed", None, None)?;
            return Err(refused());
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

    /// The user of a live dashboard session (a disabled user has none).
    pub fn session(&self, token: &str) -> Result<WebUser, ApiError> {
        let user: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT s.user_id, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = ?1 AND u.disabled_at IS NULL",
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

    /// Disables a user: they can no longer log in, enrol or sync. Their devices are revoked
    /// (each is told to wipe its store at its next sync; the records are safe on the server),
    /// their dashboard sessions end and their unused enrolment codes are deleted. Their cases
    /// stay assigned to them until `case assign` moves them. `by` is who did it, for the audit
    /// log.
    pub fn disable_user(&mut self, user_id: &str, by: &str) -> Result<Offboarded, ApiError> {
        let at = now().to_rfc3339();
        let tx = self.tx()?;
        let disabled: Option<Option<String>> = tx
            .query_row(
                "SELECT disabled_at FROM users WHERE id = ?1",
                [user_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(disabled) = disabled else {
            return Err(ApiError::NotFound(format!(
                "no user '{user_id}' (user ids are listed by the audit log and device list)"
            )));
        };
        tx.execute(
            "UPDATE users SET disabled_at = coalesce(disabled_at, ?2), ref_version = ref_version + 1 WHERE id = ?1",
            params![user_id, at],
        )?;
        let devices = tx.execute(
            "UPDATE devices SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
            params![user_id, at],
        )?;
        let sessions = tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])?;
        tx.execute(
            "DELETE FROM enrol_codes WHERE user_id = ?1 AND used_at IS NULL",
            [user_id],
        )?;
        tx.execute(
            "INSERT INTO audit (at, user_id, action, case_id, detail) VALUES (?1, ?2, 'user-disable', NULL, ?3)",
            params![at, by, format!("{user_id}: {devices} devices revoked, {sessions} sessions ended")],
        )?;
        tx.commit()?;
        Ok(Offboarded {
            already: disabled.is_some(),
            devices,
            sessions,
        })
    }

    /// Enables a disabled user again: they may log in and be given enrolment codes. Devices
    /// revoked when they were disabled stay revoked.
    pub fn enable_user(&mut self, user_id: &str, by: &str) -> Result<(), ApiError> {
        let at = now().to_rfc3339();
        let tx = self.tx()?;
        let n = tx.execute(
            "UPDATE users SET disabled_at = NULL WHERE id = ?1",
            [user_id],
        )?;
        if n == 0 {
            return Err(ApiError::NotFound(format!("no user '{user_id}'")));
        }
        tx.execute(
            "INSERT INTO audit (at, user_id, action, case_id, detail) VALUES (?1, ?2, 'user-enable', NULL, ?3)",
            params![at, by, user_id],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Sets a user's dashboard password (a reset, or a change) and ends their sessions, so a
    /// browser logged in with the old password is logged out. Returns how many sessions ended.
    pub fn set_password(
        &mut self,
        user_id: &str,
        password: &str,
        by: &str,
    ) -> Result<usize, ApiError> {
        let hash = hash_password(password)?;
        let at = now().to_rfc3339();
        let tx = self.tx()?;
        let n = tx.execute(
            "UPDATE users SET password_hash = ?2 WHERE id = ?1",
            params![user_id, hash],
        )?;
        if n == 0 {
            return Err(ApiError::NotFound(format!("no user '{user_id}'")));
        }
        let sessions = tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])?;
        tx.execute(
            "INSERT INTO audit (at, user_id, action, case_id, detail) VALUES (?1, ?2, 'password-set', NULL, ?3)",
            params![at, by, format!("{user_id}: {sessions} sessions ended")],
        )?;
        tx.commit()?;
        Ok(sessions)
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
             WHERE (CAST(?1 AS TEXT) IS NULL OR user_id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR case_id = ?2)
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
            .collect::<db::Result<_>>()?;
        Ok(rows)
    }
}

/// Hashes a dashboard password with argon2id (PHC string).
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    if password.chars().count() < limits::PASSWORD_MIN {
        return Err(ApiError::BadRequest(format!(
            "a password needs at least {} characters",
            limits::PASSWORD_MIN
        )));
    }
    if password.len() > limits::PASSWORD {
        return Err(ApiError::BadRequest(format!(
            "the password is {} bytes long: at most {} are allowed, shorten it",
            password.len(),
            limits::PASSWORD
        )));
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| ApiError::Internal(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| ApiError::Internal(e.to_string()))?
        .to_string())
}

/// An argon2id hash of no one's password, with the parameters [`hash_password`] uses: a login
/// for an id without a usable hash verifies against it, so it takes as long as a wrong password.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$A6DvkveaEPcjsJ7/G1Tu7w$i7pOnQMc2aQfZUiRgLOX+/TgyD0LyTc8a8Ezg2Cd61Q";

/// Whether `password` matches the PHC `hash`.
fn verify(hash: &str, password: &str) -> Result<bool, ApiError> {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    let parsed = PasswordHash::new(hash)
        .map_err(|e| ApiError::Internal(format!("stored password hash: {e}")))?;
    Ok(argon2::Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok())
}

/// Whether `id` could be a user's id: at most [`limits::USER_ID`] letters, digits and `-`.
fn plausible_id(id: &str) -> bool {
    !id.is_empty()
        && id.chars().count() <= limits::USER_ID
        && id.chars().all(|c| c.is_alphanumeric() || c == '-')
}

/// A user with their role and areas, read in `conn` (a transaction or the connection).
pub(super) fn web_user_in(conn: &Db, user_id: &str) -> Result<WebUser, ApiError> {
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
        .collect::<db::Result<_>>()?;
    Ok(WebUser {
        id: user_id.to_owned(),
        name,
        role: Role::parse(&role).ok_or_else(|| ApiError::Internal(format!("bad role {role}")))?,
        areas,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dummy_hash_costs_what_a_real_password_hash_costs() {
        use argon2::password_hash::PasswordHash;
        let real = hash_password("a real password").expect("hashes");
        let (real, dummy) = (
            PasswordHash::new(&real).expect("parses"),
            PasswordHash::new(DUMMY_HASH).expect("parses"),
        );
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.version, real.version);
        assert_eq!(
            dummy.params, real.params,
            "same memory, time and parallelism: same time to verify"
        );
        assert_eq!(
            dummy.hash.map(|h| h.len()),
            real.hash.map(|h| h.len()),
            "same output length"
        );
    }
}
