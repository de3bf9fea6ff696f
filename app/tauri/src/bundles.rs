//! The commands of sync without a network (issue 14): this phone's changes as a sealed file,
//! a file received by hand (the server's bundle for this phone, a colleague's file to pass on, a
//! case sealed to this phone), the files waiting to be passed on, a case sent as a sealed file,
//! an urgent SMS of a summons or incident, and this phone's key for colleagues. As thin as
//! `commands.rs`: the keys, the sealing and every check are homeward-field's and
//! homeward-shared's; here only the file is written where the person can take it.
//!
//! Where a sealed file goes: on a desktop, the folder `HOMEWARD_FILES_DIR` names (tests, demos),
//! else the user's Downloads folder, else the data folder; the window shows the path. The app
//! has no dialog plugin (its capability allows nothing of Tauri's plugins), and on Android the
//! share sheet is still to be built (README, "No network").

use std::io::Write;
use std::path::{Path, PathBuf};

use homeward_field::key::random_bytes;
use homeward_field::store::{ExportedBundle, Received, RelayItem, UrgentText};
use homeward_shared::seal::PublicKeys;
use serde::Serialize;
use tauri::ipc::{InvokeBody, Request};
use tauri::{AppHandle, Manager};

use crate::commands::{Answer, CmdError, blocking};

/// The environment variable naming the folder where sealed files are saved.
pub const FILES_DIR_ENV: &str = "HOMEWARD_FILES_DIR";

/// A sealed file saved for the person to carry: where it is, and what it holds.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct BundleSaved {
    /// The file.
    path: String,
    /// What it holds (cases, changes, spot-check outcomes, pages, bytes).
    bundle: ExportedBundle,
}

/// "Share my changes as a file": every change and spot-check outcome the server has not
/// confirmed, and the pages of copies it lacks, signed by this phone and sealed to the server,
/// saved as a new file; `None` (and no file) when the server already has everything.
#[tauri::command]
pub async fn export_bundle(handle: AppHandle) -> Answer<Option<BundleSaved>> {
    let dir = files_dir(&handle);
    blocking(handle, move |app| {
        let (made, device) = app.with_store(|s| {
            let made = s.export_bundle(random_bytes()?)?;
            Ok((made, s.meta("device_id")?.unwrap_or_default()))
        })?;
        made.map(|bundle| {
            let stem = format!("homeward-changes-{device}-{}", bundle.seq);
            let path = save_new(&dir, &stem, &bundle.sealed)?;
            Ok(BundleSaved {
                path: path.display().to_string(),
                bundle,
            })
        })
        .transpose()
    })
    .await
}

/// "Receive a file": the file's bytes as the raw body. The server's bundle for this phone is
/// applied as a sync round; a file for the server is kept to go with the next sync; anything
/// else is refused, and then nothing changed.
#[tauri::command]
pub async fn receive(handle: AppHandle, request: Request<'_>) -> Answer<Received> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(CmdError::new(
            "bad_input",
            "the file must come as raw bytes".into(),
        ));
    };
    let bytes = bytes.clone();
    blocking(handle, move |app| app.with_store(|s| s.receive(&bytes))).await
}

/// The files held to pass on to the server at the next sync, oldest first, with the server's
/// reason for any it refused.
#[tauri::command]
pub async fn relay_list(handle: AppHandle) -> Answer<Vec<RelayItem>> {
    blocking(handle, move |app| app.with_store(|s| s.relay_list())).await
}

/// Removes a file held to pass on (one the server refused, say); returns those left.
#[tauri::command]
pub async fn relay_drop(handle: AppHandle, id: String) -> Answer<Vec<RelayItem>> {
    blocking(handle, move |app| {
        app.with_store(|s| {
            s.relay_drop(&id)?;
            s.relay_list()
        })
    })
    .await
}

/// A case sealed to the server, or to a colleague's phone by the key text she gave
/// (`hwkey1:...`), saved as a new file.
#[tauri::command]
pub async fn export_sealed_case(
    handle: AppHandle,
    id: String,
    to: Option<String>,
) -> Answer<String> {
    let dir = files_dir(&handle);
    blocking(handle, move |app| {
        let sealed = app.with_store(|s| {
            let to = to
                .as_deref()
                .map(PublicKeys::from_text)
                .transpose()
                .map_err(homeward_field::FieldError::from)?;
            s.export_sealed_case(&id, to.as_ref(), random_bytes()?)
        })?;
        let path = save_new(&dir, &format!("homeward-case-{id}"), &sealed)?;
        Ok(path.display().to_string())
    })
    .await
}

/// The urgent SMS of a summons or incident of a case (its text holds no name), and the number
/// to send it to; this phone's SMS counter moves by one.
#[tauri::command]
pub async fn urgent_sms(handle: AppHandle, id: String, record: String) -> Answer<UrgentText> {
    blocking(handle, move |app| {
        app.with_store(|s| s.urgent_sms(&id, &record))
    })
    .await
}

/// This phone's public key as text (`hwkey1:...`), for a colleague who seals a case to it;
/// `None` before the keys are made (the next sync makes them).
#[tauri::command]
pub async fn public_key(handle: AppHandle) -> Answer<Option<String>> {
    blocking(handle, move |app| app.with_store(|s| s.public_key_text())).await
}

/// The folder sealed files are saved in (see the module's documentation).
pub(crate) fn files_dir(handle: &AppHandle) -> PathBuf {
    match std::env::var_os(FILES_DIR_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => handle
            .path()
            .download_dir()
            .or_else(|_| handle.path().app_data_dir())
            .unwrap_or_else(|_| PathBuf::from(".")),
    }
}

/// Writes `bytes` to a new file `stem.hwsealed` in `dir` (`stem-2.hwsealed`... when the name is
/// taken: a file already there is never overwritten) and returns its path.
pub(crate) fn save_new(dir: &Path, stem: &str, bytes: &[u8]) -> Result<PathBuf, CmdError> {
    let failed = |path: &Path, e: std::io::Error| {
        CmdError::new(
            "not_saved",
            format!("the file {} could not be written: {e}", path.display()),
        )
    };
    std::fs::create_dir_all(dir).map_err(|e| failed(dir, e))?;
    for n in 1..=1000u32 {
        let name = if n == 1 {
            format!("{stem}.hwsealed")
        } else {
            format!("{stem}-{n}.hwsealed")
        };
        let path = dir.join(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(bytes)
                    .and_then(|()| f.sync_all())
                    .map_err(|e| failed(&path, e))?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(failed(&path, e)),
        }
    }
    Err(CmdError::new(
        "not_saved",
        format!("{} already holds 1,000 files named {stem}", dir.display()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_file_never_overwrites_one_already_there() {
        let dir = std::env::temp_dir().join(format!("homeward-save-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let first = save_new(&dir, "homeward-changes", b"one").expect("a new folder");
        let second = save_new(&dir, "homeward-changes", b"two").expect("the next name");
        assert_eq!(first, dir.join("homeward-changes.hwsealed"));
        assert_eq!(second, dir.join("homeward-changes-2.hwsealed"));
        assert_eq!(
            std::fs::read(&first).expect("kept"),
            b"one",
            "the first file is left as it was"
        );
        assert_eq!(std::fs::read(&second).expect("written"), b"two");
        std::fs::remove_dir_all(&dir).expect("cleaned up");
    }
}
