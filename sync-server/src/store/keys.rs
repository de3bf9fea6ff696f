//! The server's key pairs (issue 14): the newest not retired signs (revocations, certificates,
//! server bundles) and is what devices seal their files to; every key not retired still opens
//! files sealed to it and is offered to devices, so that a rotation has an overlap in which
//! phones learn the new key (endorsed by the old one) before the old one stops working.
//!
//! The first key is made the first time one is needed, from the system's randomness. Secrets
//! stay in the database (encrypted at rest under `HOMEWARD_DB_KEY`).

use homeward_shared::bundle::{self, ServerKey};
use homeward_shared::seal::{PublicKeys, SEED_BYTES, SecretKeys};

use super::*;

/// A line of `homeward-sync-server keys list`.
#[derive(Debug, Clone, Serialize)]
pub struct KeyRow {
    /// The key's name (16 hex digits).
    pub id: String,
    /// Its public keys as devices see them (`hwkey1:...`).
    pub public: String,
    /// Since when it is in use (RFC 3339).
    pub since: String,
    /// Whether the key before endorsed it (false only for the first key).
    pub endorsed: bool,
    /// When it was retired, if it was.
    pub retired_at: Option<String>,
    /// Whether it is the key that signs now (the newest not retired).
    pub current: bool,
}

/// A key's `since`: one format for every key, so that text order is the order of use.
fn stamp() -> String {
    now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// 64 random bytes from the system, as a new key pair.
fn new_keys() -> Result<SecretKeys, ApiError> {
    let mut seed = [0u8; SEED_BYTES];
    getrandom::fill(&mut seed).map_err(|e| ApiError::Internal(format!("no randomness: {e}")))?;
    Ok(SecretKeys::from_seed(seed))
}

fn insert(
    conn: &Db,
    keys: &SecretKeys,
    since: &str,
    endorsement: Option<Vec<u8>>,
) -> Result<(), ApiError> {
    conn.execute(
        "INSERT INTO server_keys (id, secret, public, since, endorsement) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            keys.public().id().0,
            keys.to_hex(),
            keys.public().to_text(),
            since,
            endorsement
        ],
    )?;
    Ok(())
}

/// The non-retired keys, oldest first; the first key is made when there is none.
fn open_in(conn: &Db) -> Result<Vec<(SecretKeys, ServerKey)>, ApiError> {
    // secret, public, since, endorsement.
    type Row = (String, String, String, Option<Vec<u8>>);
    let read = |conn: &Db| -> Result<Vec<Row>, ApiError> {
        Ok(conn
            .prepare(
                "SELECT secret, public, since, endorsement FROM server_keys
                 WHERE retired_at IS NULL ORDER BY since, rowid",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<db::Result<_>>()?)
    };
    let mut rows = read(conn)?;
    if rows.is_empty() {
        insert(conn, &new_keys()?, &stamp(), None)?;
        rows = read(conn)?;
    }
    rows.into_iter()
        .map(|(secret, public, since, endorsement)| {
            let bad = |e: homeward_shared::seal::SealError| {
                ApiError::Internal(format!("a stored server key does not read: {e}"))
            };
            Ok((
                SecretKeys::from_hex(&secret).map_err(bad)?,
                ServerKey {
                    key: PublicKeys::from_text(&public).map_err(bad)?,
                    since,
                    endorsement,
                },
            ))
        })
        .collect()
}

/// The key that signs now: the newest not retired (made if there is none).
pub(super) fn current_in(conn: &Db) -> Result<SecretKeys, ApiError> {
    open_in(conn)?
        .pop()
        .map(|(k, _)| k)
        .ok_or_else(|| ApiError::Internal("no server key".into()))
}

/// Every key that still opens files sealed to it (not retired), oldest first.
pub(super) fn opening_in(conn: &Db) -> Result<Vec<SecretKeys>, ApiError> {
    Ok(open_in(conn)?.into_iter().map(|(k, _)| k).collect())
}

/// The keys offered to devices (`Reference.server_keys`, the grant), oldest first.
pub(super) fn offered_in(conn: &Db) -> Result<Vec<ServerKey>, ApiError> {
    Ok(open_in(conn)?.into_iter().map(|(_, k)| k).collect())
}

/// When the key named was retired, if a key of that name was ever the server's.
pub(super) fn retired_at(conn: &Db, id: &str) -> Result<Option<String>, ApiError> {
    Ok(conn
        .query_row(
            "SELECT retired_at FROM server_keys WHERE id = ?1",
            [id],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}

impl Store {
    /// The key that signs now (made the first time it is needed).
    pub fn current_key(&mut self) -> Result<SecretKeys, ApiError> {
        let tx = self.tx()?;
        let k = current_in(&tx)?;
        tx.commit()?;
        Ok(k)
    }

    /// Every key that still opens files (not retired), oldest first.
    pub fn open_keys(&mut self) -> Result<Vec<SecretKeys>, ApiError> {
        let tx = self.tx()?;
        let k = opening_in(&tx)?;
        tx.commit()?;
        Ok(k)
    }

    /// The keys devices are offered, oldest first, each endorsed by the one before.
    pub fn offered_keys(&mut self) -> Result<Vec<ServerKey>, ApiError> {
        let tx = self.tx()?;
        let k = offered_in(&tx)?;
        tx.commit()?;
        Ok(k)
    }

    /// Every key the server has had, oldest first.
    pub fn keys(&mut self) -> Result<Vec<KeyRow>, ApiError> {
        let tx = self.tx()?;
        let current = current_in(&tx)?.public().id().0;
        let rows: Vec<KeyRow> = tx
            .prepare(
                "SELECT id, public, since, endorsement IS NOT NULL, retired_at FROM server_keys
                 ORDER BY since, rowid",
            )?
            .query_map([], |r| {
                Ok(KeyRow {
                    id: r.get(0)?,
                    public: r.get(1)?,
                    since: r.get(2)?,
                    endorsed: r.get(3)?,
                    retired_at: r.get(4)?,
                    current: false,
                })
            })?
            .collect::<db::Result<_>>()?;
        tx.commit()?;
        Ok(rows
            .into_iter()
            .map(|k| KeyRow {
                current: k.id == current,
                ..k
            })
            .collect())
    }

    /// Makes a new key, endorsed by the current one, which signs from now on; the old keys stay
    /// offered and opening until retired. Every user's devices receive the keys at their next
    /// sync. Audited.
    pub fn rotate_key(&mut self, by: &str) -> Result<KeyRow, ApiError> {
        let tx = self.tx()?;
        let current = current_in(&tx)?;
        let new = new_keys()?;
        let since = stamp();
        let endorsed = bundle::endorse(&current, &new.public(), &since);
        insert(&tx, &new, &since, endorsed.endorsement)?;
        tx.execute("UPDATE users SET ref_version = ref_version + 1", [])?;
        let id = new.public().id().0;
        tx.execute(
            "INSERT INTO audit (at, user_id, action, detail) VALUES (?1, ?2, 'key-rotate', ?3)",
            params![
                now().to_rfc3339(),
                by,
                format!("new server key {id}, endorsed by {}", current.public().id())
            ],
        )?;
        tx.commit()?;
        Ok(KeyRow {
            public: new.public().to_text(),
            id,
            since,
            endorsed: true,
            retired_at: None,
            current: true,
        })
    }

    /// Retires a key: it no longer opens files sealed to it nor is offered. The key that signs
    /// now cannot be retired (rotate first). Audited.
    pub fn retire_key(&mut self, id: &str, by: &str) -> Result<(), ApiError> {
        let tx = self.tx()?;
        let current = current_in(&tx)?.public().id().0;
        if current == id {
            return Err(ApiError::Conflict(format!(
                "key {id} is the one that signs now: rotate first (keys rotate), let devices sync, then retire it"
            )));
        }
        let n = tx.execute(
            "UPDATE server_keys SET retired_at = coalesce(retired_at, ?2) WHERE id = ?1",
            params![id, now().to_rfc3339()],
        )?;
        if n == 0 {
            return Err(ApiError::NotFound(format!(
                "no server key '{id}' (keys list shows them)"
            )));
        }
        tx.execute("UPDATE users SET ref_version = ref_version + 1", [])?;
        tx.execute(
            "INSERT INTO audit (at, user_id, action, detail) VALUES (?1, ?2, 'key-retire', ?3)",
            params![now().to_rfc3339(), by, format!("server key {id} retired")],
        )?;
        tx.commit()?;
        Ok(())
    }
}
