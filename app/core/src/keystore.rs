//! The device secret: 32 random bytes kept in a keystore, never beside the store.
//!
//! The store key is argon2id over the PIN *keyed with this secret* ([`crate::key`]), so a copy
//! of the data folder alone is useless: an offline search of the PIN needs the keystore too.
//! Each store has its own entry, named by the random `secret_id` in `device.json`.
//!
//! The backends, chosen by `HOMEWARD_KEYSTORE` or by the platform:
//! - `secret-service`: the Linux desktop's Secret Service (GNOME Keyring, KWallet) over D-Bus,
//!   through `keyring-core` and `dbus-secret-service-keyring-store`. The default on Linux.
//! - `file:/a/folder`: one key file per store in a folder chosen explicitly, which must lie
//!   outside the data folder. For tests, demos and headless command lines. It protects less:
//!   whoever copies both folders can search the PIN offline at the argon2id cost.
//! - The Android Keystore is the phone's backend behind this same seam
//!   (`android-native-keyring-store`, also a `keyring-core` store). It is **not built here**:
//!   no Android toolchain can be reached from these machines, so on Android this module says so
//!   instead of storing the secret anywhere weaker.
//!
//! With no keystore reachable and none configured, every operation fails with one message that
//! says what to set; the secret is never written beside the store.

use std::path::{Path, PathBuf};

use crate::error::{FieldError, Result};
use crate::key;

/// The environment variable that chooses the keystore.
pub const ENV: &str = "HOMEWARD_KEYSTORE";

/// The service name of the keystore entries.
pub const SERVICE: &str = "homeward";

/// Where the device secret of a store is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keystore {
    /// The desktop's Secret Service over D-Bus.
    SecretService,
    /// Key files in a folder outside the data folder, chosen explicitly.
    File(PathBuf),
}

/// What to tell a person who has no keystore.
const WHAT_TO_SET: &str = "set HOMEWARD_KEYSTORE=file:/a/folder/outside/the/data/folder (weaker: \
     whoever copies both folders can search the PIN offline), or start a Secret Service \
     (GNOME Keyring, KWallet)";

impl Keystore {
    /// The keystore `HOMEWARD_KEYSTORE` names, else the platform's.
    pub fn from_env() -> Result<Keystore> {
        Keystore::parse(std::env::var(ENV).ok().as_deref())
    }

    /// Reads a keystore setting: `secret-service`, `file:/path`, or nothing (the platform's).
    pub fn parse(spec: Option<&str>) -> Result<Keystore> {
        match spec.map(str::trim) {
            None | Some("") => Keystore::platform(),
            Some("secret-service") => Ok(Keystore::SecretService),
            Some(s) => match s.strip_prefix("file:") {
                Some(path) if !path.trim().is_empty() => {
                    let path = PathBuf::from(path.trim());
                    let path = if path.is_absolute() {
                        path
                    } else {
                        std::env::current_dir()
                            .map_err(|e| FieldError::io(&path, e))?
                            .join(path)
                    };
                    Ok(Keystore::File(path))
                }
                _ => Err(FieldError::BadInput(format!(
                    "unknown keystore '{s}' in {ENV} (expected secret-service or file:/a/folder)"
                ))),
            },
        }
    }

    #[cfg(target_os = "linux")]
    fn platform() -> Result<Keystore> {
        Ok(Keystore::SecretService)
    }

    #[cfg(not(target_os = "linux"))]
    fn platform() -> Result<Keystore> {
        Err(FieldError::Keystore(format!(
            "this platform's keystore is not built into Homeward yet: {WHAT_TO_SET}"
        )))
    }

    /// The name written in `device.json` (`secret-service` or `file`).
    pub fn kind(&self) -> &'static str {
        match self {
            Keystore::SecretService => "secret-service",
            Keystore::File(_) => "file",
        }
    }

    /// Makes and keeps a new secret for the store in `data_dir`, under `id`.
    pub(crate) fn create(&self, id: &str, data_dir: &Path) -> Result<[u8; 32]> {
        let secret = key::random_bytes::<32>()?;
        match self {
            Keystore::SecretService => secret_service::set(id, &secret)?,
            Keystore::File(dir) => file::create(dir, data_dir, id, &secret)?,
        }
        Ok(secret)
    }

    /// The secret of the store in `data_dir`, kept under `id`.
    pub fn secret(&self, id: &str, data_dir: &Path) -> Result<[u8; 32]> {
        let found = match self {
            Keystore::SecretService => secret_service::get(id)?,
            Keystore::File(dir) => file::get(dir, id)?,
        };
        let bytes = found.ok_or_else(|| {
            FieldError::Keystore(format!(
                "the device secret of the store in {} is not in this keystore ({}, entry {SERVICE}/{id}): \
                 the folder was copied from another device, or the keystore was reset or is another one; \
                 the store cannot be opened without it (set {ENV} to the keystore it was created with)",
                data_dir.display(),
                self.describe()
            ))
        })?;
        <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| {
            FieldError::Keystore(format!(
                "the device secret {SERVICE}/{id} in {} is damaged ({} bytes, not 32)",
                self.describe(),
                bytes.len()
            ))
        })
    }

    /// Deletes the secret kept under `id` (a wiped store leaves nothing that could open a copy).
    pub(crate) fn delete(&self, id: &str) -> Result<()> {
        match self {
            Keystore::SecretService => secret_service::delete(id),
            Keystore::File(dir) => file::delete(dir, id),
        }
    }

    /// The keystore in words, for messages.
    pub fn describe(&self) -> String {
        match self {
            Keystore::SecretService => "the Secret Service".into(),
            Keystore::File(dir) => format!("the key files in {}", dir.display()),
        }
    }

    /// A warning to print when the keystore protects less than a platform keystore.
    pub fn warning(&self) -> Option<String> {
        match self {
            Keystore::SecretService => None,
            Keystore::File(dir) => Some(format!(
                "the device secret is in a plain key file in {}: whoever copies that folder and the data folder can search the PIN offline; use it for tests, demos and headless machines only",
                dir.display()
            )),
        }
    }
}

fn unreachable(what: impl std::fmt::Display) -> FieldError {
    FieldError::Keystore(format!(
        "no keystore can be reached ({what}): {WHAT_TO_SET}"
    ))
}

#[cfg(target_os = "linux")]
mod secret_service {
    //! The Secret Service through keyring-core.

    use std::collections::HashMap;

    use keyring_core::{Entry, Error};

    use super::{SERVICE, unreachable};
    use crate::error::{FieldError, Result};

    fn entry(id: &str) -> Result<Entry> {
        let store: std::sync::Arc<keyring_core::CredentialStore> =
            dbus_secret_service_keyring_store::Store::new()
                .map_err(|e| unreachable(format!("the Secret Service over D-Bus: {e}")))?;
        let label = format!("Homeward device secret {id}");
        let modifiers = HashMap::from([("label", label.as_str())]);
        Entry::new_in_store_with_modifiers(&store, SERVICE, id, &modifiers).map_err(|e| {
            FieldError::Keystore(format!("the Secret Service refused entry {id}: {e}"))
        })
    }

    fn failed(e: Error) -> FieldError {
        match e {
            Error::NoStorageAccess(_) | Error::PlatformFailure(_) => {
                unreachable(format!("the Secret Service: {e}"))
            }
            other => FieldError::Keystore(format!("the Secret Service: {other}")),
        }
    }

    pub fn set(id: &str, secret: &[u8]) -> Result<()> {
        entry(id)?.set_secret(secret).map_err(failed)
    }

    pub fn get(id: &str) -> Result<Option<Vec<u8>>> {
        match entry(id)?.get_secret() {
            Ok(s) => Ok(Some(s)),
            Err(Error::NoEntry) => Ok(None),
            Err(e) => Err(failed(e)),
        }
    }

    pub fn delete(id: &str) -> Result<()> {
        match entry(id)?.delete_credential() {
            Ok(()) | Err(Error::NoEntry) => Ok(()),
            Err(e) => Err(failed(e)),
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod secret_service {
    //! No Secret Service off the Linux desktop.

    use super::unreachable;
    use crate::error::Result;

    pub fn set(_id: &str, _secret: &[u8]) -> Result<()> {
        Err(unreachable("no Secret Service on this platform"))
    }

    pub fn get(_id: &str) -> Result<Option<Vec<u8>>> {
        Err(unreachable("no Secret Service on this platform"))
    }

    pub fn delete(_id: &str) -> Result<()> {
        Err(unreachable("no Secret Service on this platform"))
    }
}

mod file {
    //! Key files in a folder chosen explicitly, outside the data folder.

    use std::io::Write;
    use std::path::{Path, PathBuf};

    use crate::error::{FieldError, Result};
    use crate::key;

    fn path(dir: &Path, id: &str) -> PathBuf {
        dir.join(format!("homeward-{id}.key"))
    }

    /// Refuses a keystore folder inside the data folder: a copy of the folder would carry it.
    fn check_outside(dir: &Path, data_dir: &Path) -> Result<()> {
        let canon = |p: &Path| p.canonicalize().map_err(|e| FieldError::io(p, e));
        let (keys, data) = (canon(dir)?, canon(data_dir)?);
        if keys.starts_with(&data) {
            return Err(FieldError::BadInput(format!(
                "the keystore folder {} is inside the data folder {}: a copy of the data folder would carry the key; choose a folder outside it",
                dir.display(),
                data_dir.display()
            )));
        }
        Ok(())
    }

    pub fn create(dir: &Path, data_dir: &Path, id: &str, secret: &[u8]) -> Result<()> {
        create_private_dir(dir)?;
        check_outside(dir, data_dir)?;
        let path = path(dir, id);
        let tmp = dir.join(format!("homeward-{id}.key.tmp"));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options.open(&tmp).map_err(|e| FieldError::io(&tmp, e))?;
        f.write_all(key::hex(secret).as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(|e| FieldError::io(&tmp, e))?;
        if path.exists() {
            return Err(FieldError::Keystore(format!(
                "{} already exists: a device secret is never replaced",
                path.display()
            )));
        }
        std::fs::rename(&tmp, &path).map_err(|e| FieldError::io(&path, e))
    }

    fn create_private_dir(dir: &Path) -> Result<()> {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(dir).map_err(|e| FieldError::io(dir, e))
    }

    pub fn get(dir: &Path, id: &str) -> Result<Option<Vec<u8>>> {
        let path = path(dir, id);
        match std::fs::read_to_string(&path) {
            Ok(text) => key::unhex(text.trim()).map(Some).ok_or_else(|| {
                FieldError::Keystore(format!("{} is damaged (not hex)", path.display()))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(FieldError::io(&path, e)),
        }
    }

    pub fn delete(dir: &Path, id: &str) -> Result<()> {
        let path = path(dir, id);
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(FieldError::io(&path, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_names_a_backend_or_is_refused_with_what_to_write() {
        assert_eq!(
            Keystore::parse(Some("secret-service")).expect("valid"),
            Keystore::SecretService
        );
        assert_eq!(
            Keystore::parse(Some("file:/var/lib/homeward-keys")).expect("valid"),
            Keystore::File("/var/lib/homeward-keys".into())
        );
        let err = Keystore::parse(Some("vault")).expect_err("unknown");
        assert!(err.to_string().contains("'vault'"), "{err}");
        assert!(
            Keystore::parse(Some("file:")).is_err(),
            "a file keystore needs a folder"
        );
    }

    #[test]
    fn a_file_keystore_inside_the_data_folder_is_refused() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let store = Keystore::File(tmp.path().join("keys"));
        let err = store.create("abcd", tmp.path()).expect_err("inside");
        assert!(err.to_string().contains("inside the data folder"), "{err}");
    }

    #[test]
    fn a_file_keystore_keeps_gives_and_deletes_a_secret() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let data = tmp.path().join("data");
        std::fs::create_dir(&data).expect("data");
        let store = Keystore::File(tmp.path().join("keys"));
        let secret = store.create("abcd", &data).expect("created");
        assert_eq!(store.secret("abcd", &data).expect("read"), secret);
        store.delete("abcd").expect("deleted");
        let err = store.secret("abcd", &data).expect_err("gone");
        assert!(matches!(err, FieldError::Keystore(_)), "{err}");
        assert!(err.to_string().contains("not in this keystore"), "{err}");
    }
}
