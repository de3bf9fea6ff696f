//! What the `keys` and `bundle` verbs do (their words are in `cli_args.rs`): the server's keys
//! and sealed files carried by hand (issue 14), through the same store methods as the
//! dashboard's `/bundles` and the device routes.

use homeward_sync_server::ApiError;
use homeward_sync_server::store::{Store, Via};

use crate::cli_args::{BundleVerb, KeysVerb};

fn json_line<T: serde::Serialize>(v: &T) -> Result<(), ApiError> {
    println!(
        "{}",
        serde_json::to_string(v).map_err(|e| ApiError::Internal(e.to_string()))?
    );
    Ok(())
}

/// Runs one `keys` verb as `by` (the command line).
pub(crate) fn keys(
    store: &mut Store,
    verb: KeysVerb,
    json: bool,
    by: &str,
) -> Result<(), ApiError> {
    match verb {
        KeysVerb::List => {
            let keys = store.keys()?;
            if json {
                return json_line(&keys);
            }
            for k in keys {
                let state = match (&k.retired_at, k.current) {
                    (Some(at), _) => format!("retired {at}"),
                    (None, true) => "signs now".to_owned(),
                    (None, false) => "still opens files (overlap)".to_owned(),
                };
                println!("{}  since {}  {state}  {}", k.id, k.since, k.public);
            }
            Ok(())
        }
        KeysVerb::Rotate => {
            let k = store.rotate_key(by)?;
            if json {
                return json_line(&k);
            }
            println!(
                "new server key {} signs from now on, endorsed by the previous one; devices learn it at their next sync. Once they have synced, retire the old key (keys retire ID).",
                k.id
            );
            Ok(())
        }
        KeysVerb::Retire { id } => {
            store.retire_key(&id, by)?;
            if json {
                return json_line(&serde_json::json!({ "retired": id }));
            }
            println!("server key {id} retired: files sealed to it are refused from now on");
            Ok(())
        }
    }
}

/// Runs one `bundle` verb as `by` (the command line).
pub(crate) fn bundle(
    store: &mut Store,
    verb: BundleVerb,
    json: bool,
    by: &str,
) -> Result<(), ApiError> {
    match verb {
        BundleVerb::Import { file } => {
            let bytes = std::fs::read(&file).map_err(|e| {
                ApiError::BadRequest(format!("cannot read {}: {e}", file.display()))
            })?;
            let r = store.import_bundle(&bytes, Via::Cli)?;
            if json {
                json_line(&r)?;
            } else {
                let what = if r.kind == "case_export" {
                    "an exported case".to_owned()
                } else {
                    format!("bundle {}", r.seq)
                };
                println!(
                    "{what} of device {} ({}){}",
                    r.device,
                    r.user_name,
                    if r.already {
                        ": imported before, nothing stored again"
                    } else {
                        ""
                    }
                );
                for c in &r.cases {
                    match &c.refused {
                        None => println!("  case {}: stored ({} change(s))", c.case, c.changes),
                        Some(why) => println!("  case {}: refused: {why}", c.case),
                    }
                }
                for (id, why) in &r.outcomes {
                    match why {
                        None => println!("  spot check {id}: outcome recorded"),
                        Some(why) => println!("  spot check {id}: refused: {why}"),
                    }
                }
                if r.pages > 0 {
                    println!("  {} page(s) of copies stored", r.pages);
                }
            }
            if !r.cases.is_empty() && r.cases.iter().all(|c| c.refused.is_some()) {
                return Err(ApiError::Unprocessable(
                    "every case of the file was refused: nothing of it was stored".into(),
                ));
            }
            Ok(())
        }
        BundleVerb::Export { device, output } => {
            let b = store.export_bundle(&device, by)?;
            write_private(&output, &b.sealed)?;
            if json {
                return json_line(&serde_json::json!({
                    "device": b.device,
                    "file": output,
                    "documents": b.documents,
                    "changes": b.changes,
                    "dropped": b.dropped,
                    "confirmations": b.confirmations,
                    "bytes": b.sealed.len(),
                }));
            }
            println!(
                "{}: for device {}: {} case document(s), {} change(s), {} case(s) no longer held{}, {} bytes, sealed to the phone (whoever carries it can read nothing)",
                output.display(),
                b.device,
                b.documents,
                b.changes,
                b.dropped,
                if b.confirmations {
                    ", confirmations of its bundles"
                } else {
                    ""
                },
                b.sealed.len()
            );
            Ok(())
        }
    }
}

/// Writes a file readable by its owner only.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> Result<(), ApiError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| ApiError::BadRequest(format!("cannot write {}: {e}", path.display())))?;
    f.write_all(bytes)
        .map_err(|e| ApiError::BadRequest(format!("cannot write {}: {e}", path.display())))
}
