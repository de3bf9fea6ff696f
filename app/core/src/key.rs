//! The store key: argon2id over the worker's PIN, keyed with the device secret.
//!
//! `device.json` beside the database holds, in plain text, what must be read before the key
//! exists and is not secret: the salt, the argon2id parameters, which keystore holds the device
//! secret and under which entry (`secret_id`). The 32-byte device secret itself is in the
//! keystore ([`crate::keystore`]), never in the data folder: argon2id takes it as its secret
//! input (`Argon2::new_with_secret`), so a copied folder without the keystore gives an attacker
//! nothing to test PINs against. The derived key is given to SQLCipher as a raw key, so
//! SQLCipher's own PBKDF2 is skipped.
//!
//! The PIN: at least six digits, not a trivial one ([`check_pin`]). Devanagari digits count as
//! the same digits (`१२३` is `123`), so a Hindi keyboard opens what an English one locked.
//!
//! Version 1 of `device.json` (a key from the PIN alone, 19 MiB, no device secret) is refused
//! with a message saying what to do: no phone ever carried it (the Android app was never built),
//! and opening it would keep a four-digit, PIN-only key alive.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Result};
use crate::keystore::Keystore;

/// The file that holds the salt and KDF parameters.
pub const DEVICE_FILE: &str = "device.json";

/// The version of `device.json` this Homeward writes and reads.
pub const VERSION: u32 = 2;

/// Fewest digits a PIN may have.
pub const MIN_PIN_LEN: usize = 6;

/// argon2id memory in KiB for new stores: 64 MiB. With two passes this takes about 0.16 s on
/// one core of the machine the figures in README.md were measured on; we assume a cheap phone
/// (Cortex-A53 class) is four to five times slower, well under a second.
pub const M_KIB: u32 = 64 * 1024;

/// argon2id passes for new stores.
pub const T: u32 = 2;

/// Salt and parameters of the key derivation, and where the device secret is kept.
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
    /// The kind of keystore holding the device secret (`secret-service`, `file`).
    #[serde(default)]
    pub keystore: String,
    /// The name of the device secret's entry in the keystore (16 random bytes, hex).
    #[serde(default)]
    pub secret_id: String,
}

/// Why a PIN is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinProblem {
    /// Fewer than six digits.
    TooShort,
    /// Something other than digits.
    NotDigits,
    /// One digit repeated (`111111`).
    OneDigit,
    /// A run up or down (`123456`, `987654`, `890123`).
    Sequence,
    /// A short group repeated (`121212`, `123123`).
    Pattern,
}

impl PinProblem {
    /// A stable name, for screens that word it in their own language.
    pub fn key(self) -> &'static str {
        match self {
            PinProblem::TooShort => "too_short",
            PinProblem::NotDigits => "not_digits",
            PinProblem::OneDigit => "one_digit",
            PinProblem::Sequence => "sequence",
            PinProblem::Pattern => "pattern",
        }
    }
}

impl std::fmt::Display for PinProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PinProblem::TooShort => "the PIN must have at least 6 digits",
            PinProblem::NotDigits => "the PIN must be digits only",
            PinProblem::OneDigit => {
                "the PIN repeats one digit (like 111111), the first thing anyone tries: choose another"
            }
            PinProblem::Sequence => {
                "the PIN is a run of digits (like 123456 or 987654), the first thing anyone tries: choose another"
            }
            PinProblem::Pattern => {
                "the PIN repeats a short group (like 121212 or 123123), the first thing anyone tries: choose another"
            }
        })
    }
}

/// The PIN as the KDF sees it: Devanagari digits become ASCII digits.
fn normalise(pin: &str) -> String {
    pin.chars()
        .map(|c| match c {
            '०'..='९' => char::from(b'0' + (u32::from(c) - u32::from('०')) as u8),
            c => c,
        })
        .collect()
}

/// Refuses a PIN too short or too easy to guess: fewer than six digits, anything but digits,
/// one digit repeated, a run up or down (wrapping past 9 or 0), or a short group repeated.
pub fn check_pin(pin: &str) -> Result<(), PinProblem> {
    let pin = normalise(pin);
    let digits: Vec<u8> = pin
        .chars()
        .map(|c| c.to_digit(10).map(|d| d as u8))
        .collect::<Option<_>>()
        .ok_or(PinProblem::NotDigits)?;
    if digits.len() < MIN_PIN_LEN {
        return Err(PinProblem::TooShort);
    }
    if digits.iter().all(|&d| d == digits[0]) {
        return Err(PinProblem::OneDigit);
    }
    let step = |a: u8, b: u8| (10 + b - a) % 10;
    let first = step(digits[0], digits[1]);
    if (first == 1 || first == 9) && digits.windows(2).all(|w| step(w[0], w[1]) == first) {
        return Err(PinProblem::Sequence);
    }
    let repeats = |period: usize| (period..digits.len()).all(|i| digits[i] == digits[i - period]);
    if (2..=digits.len() / 2).any(repeats) {
        return Err(PinProblem::Pattern);
    }
    Ok(())
}

impl DeviceFile {
    /// A new device file with a fresh salt and secret id, the argon2id parameters of this
    /// version, and the keystore that will hold the secret.
    pub fn new(keystore: &Keystore) -> Result<DeviceFile> {
        Ok(DeviceFile {
            version: VERSION,
            salt: hex(&random_bytes::<16>()?),
            m_kib: M_KIB,
            t: T,
            p: 1,
            keystore: keystore.kind().to_owned(),
            secret_id: hex(&random_bytes::<16>()?),
        })
    }

    /// Reads the device file of a data folder. A version-1 file is refused with what to do.
    pub fn read(dir: &Path) -> Result<DeviceFile> {
        let path = dir.join(DEVICE_FILE);
        let text = match fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(FieldError::NotInitialised(dir.display().to_string()));
            }
            Err(e) => return Err(FieldError::io(&path, e)),
        };
        let device: DeviceFile = serde_json::from_str(&text)
            .map_err(|e| FieldError::BadInput(format!("{} is damaged: {e}", path.display())))?;
        match device.version {
            VERSION => Ok(device),
            1 => Err(FieldError::BadInput(format!(
                "the store in {} was made by an older Homeward (device.json version 1: a key from the PIN alone) and this version does not open it; sync it with the version that made it, then set this device up again with a new enrolment code",
                dir.display()
            ))),
            v => Err(FieldError::BadInput(format!(
                "{} is version {v}, newer than this Homeward knows ({VERSION}): update the app",
                path.display()
            ))),
        }
    }

    /// Writes the device file atomically (a temporary file renamed into place).
    pub fn write(&self, dir: &Path) -> Result<()> {
        let text =
            serde_json::to_string_pretty(self).map_err(|e| FieldError::BadInput(e.to_string()))?;
        crate::error::write_whole(&dir.join(DEVICE_FILE), text.as_bytes())
    }

    /// Refuses a keystore other than the one the store was created with (a clear message
    /// rather than "the secret is missing").
    pub fn check_keystore(&self, keystore: &Keystore, dir: &Path) -> Result<()> {
        if self.keystore != keystore.kind() {
            return Err(FieldError::Keystore(format!(
                "the store in {} keeps its device secret in a '{}' keystore, but {} was chosen: set HOMEWARD_KEYSTORE to the keystore it was created with",
                dir.display(),
                self.keystore,
                keystore.describe()
            )));
        }
        Ok(())
    }

    /// Derives the store key from a PIN and the device secret, as the hex SQLCipher takes.
    /// The PIN is not checked against the rules here: a store opens with the PIN it has.
    pub fn key(&self, pin: &str, secret: &[u8; 32]) -> Result<String> {
        let salt = unhex(&self.salt)
            .ok_or_else(|| FieldError::BadInput("device.json has a bad salt".into()))?;
        let params = argon2::Params::new(self.m_kib, self.t, self.p, Some(32)).map_err(|e| {
            FieldError::BadInput(format!("device.json has bad KDF parameters: {e}"))
        })?;
        let kdf = argon2::Argon2::new_with_secret(
            secret,
            argon2::Algorithm::Argon2id,
            argon2::Version::V0x13,
            params,
        )
        .map_err(|e| FieldError::BadInput(format!("cannot use the device secret: {e}")))?;
        let mut key = [0u8; 32];
        kdf.hash_password_into(normalise(pin).as_bytes(), &salt, &mut key)
            .map_err(|e| FieldError::BadInput(format!("cannot derive the key: {e}")))?;
        Ok(hex(&key))
    }
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

/// The bytes of a hex string, or `None` when it is not hex.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
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

    fn device() -> DeviceFile {
        DeviceFile::new(&Keystore::File("/unused".into())).unwrap()
    }

    #[test]
    fn the_same_pin_salt_and_secret_give_the_same_key_and_any_other_another() {
        let dev = device();
        let secret = [7u8; 32];
        let a = dev.key("246813", &secret).unwrap();
        assert_eq!(a, dev.key("246813", &secret).unwrap());
        assert_ne!(a, dev.key("246814", &secret).unwrap());
        assert_eq!(a.len(), 64);
        assert_ne!(
            a,
            dev.key("246813", &[8u8; 32]).unwrap(),
            "the device secret is part of the key"
        );
        assert_ne!(
            a,
            device().key("246813", &secret).unwrap(),
            "the salt is per device"
        );
        assert_eq!(
            a,
            dev.key("२४६८१३", &secret).unwrap(),
            "Devanagari digits are the same digits"
        );
    }

    #[test]
    fn a_pin_too_short_or_trivial_is_refused_naming_why() {
        let cases = [
            ("2468", Some(PinProblem::TooShort)),
            ("24681", Some(PinProblem::TooShort)),
            ("24681x", Some(PinProblem::NotDigits)),
            ("111111", Some(PinProblem::OneDigit)),
            ("0000000", Some(PinProblem::OneDigit)),
            ("123456", Some(PinProblem::Sequence)),
            ("987654", Some(PinProblem::Sequence)),
            ("890123", Some(PinProblem::Sequence)),
            ("1234567890", Some(PinProblem::Sequence)),
            ("121212", Some(PinProblem::Pattern)),
            ("123123", Some(PinProblem::Pattern)),
            ("1212121", Some(PinProblem::Pattern)),
            ("१११११११", Some(PinProblem::OneDigit)),
            ("246813", None),
            ("135792", None),
            ("123457", None),
            ("112233", None),
            ("२४६८१३", None),
        ];
        for (pin, want) in cases {
            assert_eq!(check_pin(pin).err(), want, "PIN {pin}");
        }
        assert!(
            PinProblem::Sequence.to_string().contains("123456"),
            "the message names why"
        );
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(unhex(&hex(&[0, 1, 254, 255])), Some(vec![0, 1, 254, 255]));
        assert_eq!(unhex("zz"), None);
        assert_eq!(unhex("abc"), None);
    }
}
