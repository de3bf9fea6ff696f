//! The programme in force: one for every part. An administrator sets it (the command line's
//! `programme set` and `serve --programme`, or the dashboard), the server validates it, keeps
//! each version with who set it and when, and sends it whole to every device with the reference
//! data; the dashboard's figures, the case pages and the CWC report read it here. So a phone's
//! prompts, risk and next visit use the thresholds the Core Team and the CWC read.
//!
//! A version is the file as given (laid over the defaults when read, schemes merged by key:
//! `homeward_shared::programme`). A file equal to the one in force is not a new version, so a
//! server restarted with the same `--programme` moves nothing. A new version moves every user's
//! reference version in the same transaction: each device receives it at its next sync.

use super::db::{self, Db, OptionalExtension, params};
use homeward_shared::programme::Programme;
use homeward_shared::wire::ServerProgramme;
use serde::Serialize;

use super::{Store, now};
use crate::error::ApiError;

/// The largest programme file the server takes, in bytes (the default file is about 6 KB).
pub const MAX_PROGRAMME_BYTES: usize = 64 * 1024;

/// One version of the programme, as set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgrammeVersion {
    /// 1, 2, ... in the order they were set.
    pub version: u64,
    /// The file as given (laid over the defaults when read).
    pub text: String,
    /// Who set it: a user id, or `command-line`.
    pub set_by: String,
    /// When (RFC 3339, the server's clock).
    pub set_at: String,
}

impl Store {
    /// The programme in force: the latest version laid over the defaults, or the defaults while
    /// none was set.
    pub fn programme(&self) -> Result<Programme, ApiError> {
        in_force(&self.conn)
    }

    /// The latest version set, with who set it and when; `None` while the defaults are in force.
    pub fn programme_version(&self) -> Result<Option<ProgrammeVersion>, ApiError> {
        Ok(self.programme_history(1)?.into_iter().next())
    }

    /// The versions set, newest first, at most `limit`.
    pub fn programme_history(&self, limit: u32) -> Result<Vec<ProgrammeVersion>, ApiError> {
        let mut stmt = self.conn.prepare(
            "SELECT version, text, set_by, set_at FROM programmes ORDER BY version DESC LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([limit], |r| {
                Ok(ProgrammeVersion {
                    version: u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                    text: r.get(1)?,
                    set_by: r.get(2)?,
                    set_at: r.get(3)?,
                })
            })?
            .collect::<db::Result<_>>()?;
        Ok(rows)
    }

    /// Sets the programme from an NGO's file, by `by` (a user id, or `command-line`), and
    /// returns the version in force. A file that does not read is refused (422) with the line at
    /// fault, and nothing changes. A file equal to the version in force (line ends aside) stores
    /// nothing and returns that version. Otherwise it is stored as the next version, audited as
    /// `programme-set`, and every user's reference version moves so devices receive it.
    ///
    /// Who may set it is the caller's to check: the dashboard lets administrators only.
    pub fn set_programme(&mut self, by: &str, text: &str) -> Result<u64, ApiError> {
        if text.len() > MAX_PROGRAMME_BYTES {
            return Err(ApiError::Unprocessable(format!(
                "the programme file is {} bytes: at most {MAX_PROGRAMME_BYTES} are taken",
                text.len()
            )));
        }
        let text = text.replace("\r\n", "\n");
        Programme::from_toml(&text).map_err(|e| ApiError::Unprocessable(e.to_string()))?;
        let tx = self.tx()?;
        let latest: Option<(i64, String)> = tx
            .query_row(
                "SELECT version, text FROM programmes ORDER BY version DESC LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((version, stored)) = &latest
            && stored.trim_end() == text.trim_end()
        {
            return Ok(u64::try_from(*version).unwrap_or(0));
        }
        let version = latest.map_or(1, |(v, _)| v + 1);
        let at = now().to_rfc3339();
        tx.execute(
            "INSERT INTO programmes (version, text, set_by, set_at) VALUES (?1, ?2, ?3, ?4)",
            params![version, text, by, at],
        )?;
        tx.execute("UPDATE users SET ref_version = ref_version + 1", [])?;
        tx.execute(
            "INSERT INTO audit (at, user_id, action, case_id, detail) VALUES (?1, ?2, 'programme-set', NULL, ?3)",
            params![at, by, format!("version {version}")],
        )?;
        tx.commit()?;
        Ok(u64::try_from(version).unwrap_or(0))
    }
}

pub(super) fn in_force(conn: &Db) -> Result<Programme, ApiError> {
    let latest: Option<(i64, String)> = conn
        .query_row(
            "SELECT version, text FROM programmes ORDER BY version DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match latest {
        None => Ok(Programme::default()),
        // Validated when set; only a server of another version could fail to read it.
        Some((version, text)) => Programme::from_toml(&text).map_err(|e| {
            ApiError::Internal(format!(
                "the programme in force (version {version}) does not read with this server: {e}; \
                 set a corrected one with `homeward-sync-server programme set FILE`"
            ))
        }),
    }
}

/// The programme as a device receives it with its reference data: the version in force (0 for
/// the defaults) and the whole programme, every key written.
pub(super) fn for_devices(tx: &Db) -> Result<ServerProgramme, ApiError> {
    let version: i64 = tx.query_row(
        "SELECT coalesce(max(version), 0) FROM programmes",
        [],
        |r| r.get(0),
    )?;
    Ok(ServerProgramme {
        version: u64::try_from(version).unwrap_or(0),
        toml: in_force(tx)?.to_toml(),
    })
}
