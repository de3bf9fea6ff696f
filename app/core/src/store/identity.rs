//! This device's keys and what the server granted for them (issue 14), kept in `meta` inside
//! the encrypted store: the device's secret keys (`device_keys`), the server keys it trusts
//! (`server_keys`, JSON, oldest first), its certificate (`certificate`, hex), its SMS key
//! (`sms_key`, hex) and the number urgent SMS go to (`sms_number`).
//!
//! The keys are made at enrolment ([`Store::make_device_keys`]); a store enrolled before they
//! existed makes them at its next sync and asks the server for a grant then.

use homeward_shared::bundle::{KeyGrant, ServerKey, trusted_keys, verify_certificate};
use homeward_shared::seal::{PublicKeys, SEED_BYTES, SecretKeys, Signer};

use super::Store;
use crate::error::{FieldError, Result};
use crate::key::random_bytes;

impl Store {
    /// This device's secret keys, if it has made them.
    pub fn device_keys(&self) -> Result<Option<SecretKeys>> {
        self.meta("device_keys")?
            .map(|h| {
                SecretKeys::from_hex(&h)
                    .map_err(|e| FieldError::Corrupt(format!("the device keys: {e}")))
            })
            .transpose()
    }

    /// This device's keys, made now (from the system's random source) when it has none.
    pub fn make_device_keys(&mut self) -> Result<SecretKeys> {
        if let Some(k) = self.device_keys()? {
            return Ok(k);
        }
        let seed: [u8; SEED_BYTES] = random_bytes()?;
        let keys = SecretKeys::from_seed(seed);
        self.set_meta("device_keys", &keys.to_hex())?;
        Ok(keys)
    }

    /// This device's public keys as text (`hwkey1:...`), to give to a colleague who seals a
    /// case to this phone; `None` before the keys are made.
    pub fn public_key_text(&self) -> Result<Option<String>> {
        Ok(self.device_keys()?.map(|k| k.public().to_text()))
    }

    /// Who this device signs as.
    pub fn signer(&self) -> Result<(SecretKeys, Signer)> {
        let keys = self.device_keys()?.ok_or_else(no_keys)?;
        let device = self.meta("device_id")?.ok_or_else(|| {
            FieldError::BadInput(
                "this device is not enrolled: run `homeward enrol --server URL --code CODE`".into(),
            )
        })?;
        let key = keys.public().id();
        Ok((keys, Signer::Device { device, key }))
    }

    /// Keeps what the server granted for this device's keys: its keys (trusted as given: this
    /// is the server the device enrolled with, over its authenticated connection), the
    /// device's certificate (checked against them), the SMS key and number.
    pub fn keep_grant(&mut self, grant: &KeyGrant) -> Result<()> {
        if grant.server_keys.is_empty() {
            return Err(FieldError::Network("the server sent no keys".into()));
        }
        let cert = verify_certificate(&grant.certificate, &grant.server_keys)
            .map_err(|e| FieldError::Network(format!("the server's certificate: {e}")))?;
        let mine = self.device_keys()?.ok_or_else(no_keys)?.public();
        if cert.keys != mine {
            return Err(FieldError::Network(
                "the server certified other keys than this device's".into(),
            ));
        }
        let sms_key = hex_32(&grant.sms_key)
            .ok_or_else(|| FieldError::Network("the server sent a bad SMS key".into()))?;
        let keys = serde_json::to_string(&grant.server_keys)
            .map_err(|e| FieldError::Corrupt(e.to_string()))?;
        self.set_meta("server_keys", &keys)?;
        self.set_meta("certificate", &crate::key::hex(&grant.certificate))?;
        self.set_meta("sms_key", &crate::key::hex(&sms_key))?;
        match &grant.sms_number {
            Some(n) => self.set_meta("sms_number", n)?,
            None => self.delete_meta("sms_number")?,
        }
        Ok(())
    }

    /// The server keys this device trusts, oldest first (empty before a grant).
    pub fn trusted_server_keys(&self) -> Result<Vec<ServerKey>> {
        match self.meta("server_keys")? {
            None => Ok(Vec::new()),
            Some(j) => serde_json::from_str(&j)
                .map_err(|e| FieldError::Corrupt(format!("the server keys: {e}"))),
        }
    }

    /// Takes the server keys a reference offers: new ones only when endorsed by a key already
    /// trusted ([`trusted_keys`]).
    pub fn offer_server_keys(&mut self, offered: &[ServerKey]) -> Result<()> {
        if let Some(now) = self.keys_offered(offered)? {
            let j = serde_json::to_string(&now).map_err(|e| FieldError::Corrupt(e.to_string()))?;
            self.set_meta("server_keys", &j)?;
        }
        Ok(())
    }

    /// The server keys to trust after this offer, when they differ from those trusted now
    /// (a sync round keeps them in its own transaction).
    pub(crate) fn keys_offered(&self, offered: &[ServerKey]) -> Result<Option<Vec<ServerKey>>> {
        if offered.is_empty() {
            return Ok(None);
        }
        let trusted = self.trusted_server_keys()?;
        if trusted.is_empty() {
            // No grant yet: keys come only with a grant, over the enrolment's channel.
            return Ok(None);
        }
        let now = trusted_keys(&trusted, offered);
        Ok((now != trusted).then_some(now))
    }

    /// The server key files for the server are sealed to: the newest trusted.
    pub fn server_seal_key(&self) -> Result<PublicKeys> {
        self.trusted_server_keys()?
            .last()
            .map(|k| k.key.clone())
            .ok_or_else(|| {
                FieldError::BadInput(
                    "this device has no key of the server yet: sync once with a network (or enrol again) before making sealed files".into(),
                )
            })
    }

    /// This device's certificate (bytes of a signed `DeviceCertificate`).
    pub fn certificate(&self) -> Result<Vec<u8>> {
        let h = self.meta("certificate")?.ok_or_else(|| {
            FieldError::BadInput(
                "this device has no certificate from the server yet: sync once with a network"
                    .into(),
            )
        })?;
        hex_bytes(&h).ok_or_else(|| FieldError::Corrupt("the certificate".into()))
    }

    /// This device's SMS key, when the server granted one.
    pub fn sms_key(&self) -> Result<Option<[u8; 32]>> {
        Ok(self.meta("sms_key")?.and_then(|h| hex_32(&h)))
    }
}

fn no_keys() -> FieldError {
    FieldError::BadInput(
        "this device has no keys yet: sync once with a network (or enrol again) first".into(),
    )
}

fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

fn hex_32(s: &str) -> Option<[u8; 32]> {
    hex_bytes(s.trim())?.try_into().ok()
}
