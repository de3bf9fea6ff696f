//! The store key: argon2id over the worker's PIN with a per-device salt.
//!
//! The salt and the KDF parameters sit in plain text in `device.json` beside the database: they
//! are not secret and must be readable before the key exists. The derived 32-byte key is given
//! to SQLCipher as a raw key, so SQLCipher's own PBKDF2 is skipped.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Result};

/// The file that holds the salt and KDF parameters.
pub const DEVICE_FILE: &str = "device.json";

/// Fewest characters a PIN may have.
pub const MIN_PIN_LEN: usize = 4;

/// Salt and parameters of the key derivation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceFile {
    /// Format version of this file.
    pub version: u32,
    /// 16 random bytes, hex.
    pub salt: String,
    /// argon2id memory in KiB.
    pub m_kib: u32,
    /// argon2id iterations.
    pub t: u32,
    /// argon2id lanes.
    pub p: u32,
}

impl DeviceFile {
    /// A new device file with a fresh salt and OWASP's recommended argon2id parameters
    /// (19 MiB, 2 iterations, 1 lane), which take well under a second on a cheap phone.
    pub fn new() -> Result<DeviceFile> {
        Ok(DeviceFile {
            version: 1,
            salt: hex(&random_bytes::<16>()?),
            m_kib: 19 * 1024,
            t: 2,
            p: 1,
        })
    }

    /// Reads the device file of a data folder.
    pub fn read(dir: &Path) -> Result<DeviceFile> {
        let path = dir.join(DEVICE_FILE);
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(FieldError::NotInitialised(dir.display().to_string()));
            }
            Err(e) => return Err(FieldError::io(&path, e)),
        };
        serde_json::from_str(&text)
            .map_err(|e| FieldError::BadInput(format!("{} is damaged: {e}", path.display())))
    }

    /// Writes the device file atomically (a temporary file renamed into place).
    pub fn write(&self, dir: &Path) -> Result<()> {
        let path = dir.join(DEVICE_FILE);
        let tmp = dir.join(format!("{DEVICE_FILE}.tmp"));
        let text =
            serde_json::to_string_pretty(self).map_err(|e| FieldError::BadInput(e.to_string()))?;
        fs::write(&tmp, text).map_err(|e| FieldError::io(&tmp, e))?;
        fs::rename(&tmp, &path).map_err(|e| FieldError::io(&path, e))
    }

    /// Derives the store key from a PIN, as the hex form SQLCipher takes (`x'…'`).
    pub fn key(&self, pin: &str) -> Result<String> {
        check_pin(pin)?;
        let salt = unhex(&self.salt)
            .ok_or_else(|| FieldError::BadInput("device.json has a bad salt".into()))?;
        let params = argon2::Params::new(self.m_kib, self.t, self.p, Some(32)).map_err(|e| {
            FieldError::BadInput(format!("device.json has bad KDF parameters: {e}"))
        })?;
        let kdf = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
        let mut key = [0u8; 32];
        kdf.hash_password_into(pin.as_bytes(), &salt, &mut key)
            .map_err(|e| FieldError::BadInput(format!("cannot derive the key: {e}")))?;
        Ok(hex(&key))
    }
}

/// Refuses a PIN that is too short to be worth encrypting with.
pub fn check_pin(pin: &str) -> Result<()> {
    if pin.chars().count() < MIN_PIN_LEN {
        return Err(FieldError::BadInput(format!(
            "the PIN must have at least {MIN_PIN_LEN} characters"
        )));
    }
    Ok(())
}

/// `N` bytes from the operating system's random source.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|e| FieldError::Random(e.to_string()))?;
    Ok(buf)
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_pin_and_salt_give_the_same_key_and_another_pin_another() {
        let dev = DeviceFile::new().unwrap();
        let a = dev.key("2468").unwrap();
        assert_eq!(a, dev.key("2468").unwrap());
        assert_ne!(a, dev.key("2469").unwrap());
        assert_eq!(a.len(), 64);
        let other = DeviceFile::new().unwrap();
        assert_ne!(a, other.key("2468").unwrap(), "the salt is per device");
    }

    #[test]
    fn a_short_pin_is_refused() {
        let err = DeviceFile::new().unwrap().key("123").unwrap_err();
        assert!(err.to_string().contains("at least 4"), "{err}");
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(unhex(&hex(&[0, 1, 254, 255])), Some(vec![0, 1, 254, 255]));
        assert_eq!(unhex("zz"), None);
        assert_eq!(unhex("abc"), None);
    }
}
