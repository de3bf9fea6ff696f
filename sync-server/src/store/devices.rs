//! Devices: one-time enrolment codes, enrolment, token checks and revocation.

use homeward_shared::bundle::{self, DeviceCertificate, KeyGrant};
use homeward_shared::seal::{Kind, PublicKeys, Signer};

use super::*;
use crate::limits;

/// The most characters of a phone number as given at enrolment.
pub const MAX_PHONE: usize = 20;

/// A device enrolled with a one-time code: the answer to `POST /api/v1/enrol`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
    #[schema(value_type = Role)]
    pub role: String,
    /// The device's certificate, the server's keys and the SMS key (issue 14): present when
    /// the enrolment gave the device's public keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub grant: Option<KeyGrant>,
}

/// An authenticated device and its user.
#[derive(Debug, Clone)]
pub struct DeviceAuth {
    /// Device id.
    pub device_id: String,
    /// Its user.
    pub user_id: String,
    /// The user's name: the only name the device's changes may sign with.
    pub user_name: String,
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

impl Store {
    /// Creates a one-time enrolment code for a user, valid for seven days.
    pub fn enrolment_code(&mut self, user_id: &str) -> Result<String, ApiError> {
        let tx = self.tx()?;
        let disabled: Option<Option<String>> = tx
            .query_row(
                "SELECT disabled_at FROM users WHERE id = ?1",
                [user_id],
                |r| r.get(0),
            )
            .optional()?;
        match disabled {
            None => return Err(ApiError::NotFound(format!("no user '{user_id}'"))),
            Some(Some(_)) => {
                return Err(ApiError::Conflict(format!(
                    "user '{user_id}' is disabled: enable them first (user enable {user_id})"
                )));
            }
            Some(None) => {}
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

    /// Exchanges an enrolment code for a device token. A disabled user's codes do not work.
    pub fn enrol(&mut self, code: &str, actor: &[u8], name: &str) -> Result<Enrolled, ApiError> {
        self.enrol_with(code, actor, name, None, None, None)
    }

    /// [`Store::enrol`] with the device's public keys (`hwkey1:...`, checked) and the phone
    /// number its urgent SMS come from: with keys, the answer carries the device's
    /// [`KeyGrant`] (`sms_number`: where urgent SMS go, when the server has a number).
    pub fn enrol_with(
        &mut self,
        code: &str,
        actor: &[u8],
        name: &str,
        keys: Option<&str>,
        phone: Option<&str>,
        sms_number: Option<&str>,
    ) -> Result<Enrolled, ApiError> {
        limits::check("device name", name, limits::DEVICE_NAME)?;
        let keys = keys.map(checked_keys).transpose()?;
        if let Some(p) = phone
            && (p.chars().count() > MAX_PHONE
                || !p.chars().all(|c| c.is_ascii_digit() || "+- ".contains(c)))
        {
            return Err(ApiError::BadRequest(format!(
                "'{p}' is not a phone number (digits, '+', '-' and spaces, at most {MAX_PHONE})"
            )));
        }
        let code = code.trim().to_uppercase().replace('-', "");
        let tx = self.tx()?;
        let row: Option<(String, String, Option<String>, Option<String>)> = tx
            .query_row(
                "SELECT c.user_id, c.expires_at, c.used_at, u.disabled_at
                 FROM enrol_codes c JOIN users u ON u.id = c.user_id WHERE c.code_hash = ?1",
                [sha256(code.as_bytes())],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let refused = || ApiError::Unauthorized("enrolment code unknown, used or expired".into());
        let Some((user_id, expires, used, disabled)) = row else {
            return Err(refused());
        };
        if used.is_some() || disabled.is_some() || expires < now().to_rfc3339() {
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
            "INSERT INTO devices (id, user_id, token_hash, actor, name, enrolled_at, phone) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![device_id, user_id, sha256(secret.as_bytes()), actor, name, at, phone],
        )?;
        let grant = match &keys {
            Some(k) => Some(set_keys_in(&tx, &device_id, k, sms_number)?),
            None => None,
        };
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
            grant,
        })
    }

    /// Gives a device enrolled before keys existed its public keys (`POST /api/v1/keys`) and
    /// answers its grant. The same keys again answer the same grant; other keys once set are
    /// refused (409): a phone's keys change only with a new enrolment.
    pub fn set_keys(
        &mut self,
        device: &DeviceAuth,
        keys: &str,
        sms_number: Option<&str>,
    ) -> Result<KeyGrant, ApiError> {
        let keys = checked_keys(keys)?;
        let tx = self.tx()?;
        let grant = set_keys_in(&tx, &device.device_id, &keys, sms_number)?;
        tx.commit()?;
        Ok(grant)
    }

    /// Checks a device token. A revoked device, or a device of a disabled user, gets
    /// [`ApiError::Revoked`].
    pub fn authenticate(&self, token: &str) -> Result<DeviceAuth, ApiError> {
        let bad = || ApiError::Unauthorized("unknown device token".into());
        let (device_id, secret) = token.split_once('.').ok_or_else(bad)?;
        type Row = (Vec<u8>, String, String, String, Vec<u8>, Option<String>);
        // A dashboard device is never given its token and never syncs.
        let row: Option<Row> = self
            .conn
            .query_row(
                "SELECT d.token_hash, d.user_id, u.name, u.role, d.actor,
                        coalesce(d.revoked_at, u.disabled_at)
                 FROM devices d JOIN users u ON u.id = d.user_id
                 WHERE d.id = ?1 AND d.kind = 'phone'",
                [device_id],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                    ))
                },
            )
            .optional()?;
        let (hash, user_id, user_name, role, actor, revoked) = row.ok_or_else(bad)?;
        if !constant_time_eq(&hash, &sha256(secret.as_bytes())) {
            return Err(bad());
        }
        if let Some(at) = revoked {
            let key = keys::current_in(&self.conn)?;
            return Err(ApiError::Revoked {
                statement: hex::encode(bundle::revocation(&key, device_id, &at).to_bytes()),
            });
        }
        Ok(DeviceAuth {
            device_id: device_id.to_owned(),
            user_id,
            user_name,
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
            .collect::<db::Result<_>>()?;
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
            .collect::<db::Result<_>>()?;
        Ok(rows)
    }

    /// Revokes a device: its token stops working and its next contact is told to wipe. Its
    /// user's dashboard sessions end too: a lost phone's browser may hold one.
    pub fn revoke(&mut self, device_id: &str) -> Result<(), ApiError> {
        let tx = self.tx()?;
        let n = tx.execute(
            "UPDATE devices SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1",
            params![device_id, now().to_rfc3339()],
        )?;
        if n == 0 {
            return Err(ApiError::NotFound(format!("no device '{device_id}'")));
        }
        tx.execute(
            "DELETE FROM sessions WHERE user_id = (SELECT user_id FROM devices WHERE id = ?1)",
            [device_id],
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// Public keys as given by a device, checked.
fn checked_keys(text: &str) -> Result<PublicKeys, ApiError> {
    if text.len() > 256 {
        return Err(ApiError::BadRequest("the keys text is too long".into()));
    }
    let k = PublicKeys::from_text(text.trim()).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    k.check().map_err(|e| ApiError::BadRequest(e.to_string()))?;
    Ok(k)
}

/// Sets a device's public keys (once: the same keys again change nothing, others are a 409),
/// makes its SMS key the first time, and answers its grant.
fn set_keys_in(
    tx: &Db,
    device_id: &str,
    keys: &PublicKeys,
    sms_number: Option<&str>,
) -> Result<KeyGrant, ApiError> {
    let (held, sms_key): (Option<String>, Option<Vec<u8>>) = tx.query_row(
        "SELECT public_keys, sms_key FROM devices WHERE id = ?1",
        [device_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    match held {
        Some(text) if text != keys.to_text() => {
            return Err(ApiError::Conflict(format!(
                "device {device_id} already has other keys: a phone's keys change only with a new enrolment"
            )));
        }
        Some(_) => {}
        None => {
            tx.execute(
                "UPDATE devices SET public_keys = ?2 WHERE id = ?1",
                params![device_id, keys.to_text()],
            )?;
        }
    }
    let sms_key = match sms_key {
        Some(k) => k,
        None => {
            let mut k = [0u8; 32];
            getrandom::fill(&mut k)
                .map_err(|e| ApiError::Internal(format!("no randomness: {e}")))?;
            tx.execute(
                "UPDATE devices SET sms_key = ?2 WHERE id = ?1",
                params![device_id, k.to_vec()],
            )?;
            k.to_vec()
        }
    };
    let (user_id, user_name, enrolled_at): (String, String, String) = tx.query_row(
        "SELECT u.id, u.name, d.enrolled_at FROM devices d JOIN users u ON u.id = d.user_id WHERE d.id = ?1",
        [device_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let current = keys::current_in(tx)?;
    // Issued "at enrolment": the same keys asked for again get the very same certificate
    // (Ed25519 signatures are deterministic) until the server's key rotates.
    let certificate = bundle::sign(
        &current,
        Kind::DeviceCertificate,
        Signer::Server {
            key: current.public().id(),
        },
        &DeviceCertificate {
            device: device_id.to_owned(),
            keys: keys.clone(),
            user_id,
            user_name,
            issued_at: enrolled_at,
        },
    )
    .to_bytes();
    Ok(KeyGrant {
        server_keys: keys::offered_in(tx)?,
        certificate,
        sms_key: hex::encode(sms_key),
        sms_number: sms_number.map(str::to_owned),
    })
}
