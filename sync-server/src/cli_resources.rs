//! What the `resource` verb does (its words are in `cli_args.rs`): the resource map kept from
//! the command line, through the same store methods as the dashboard's `/resources`. Apart from
//! `main.rs` so that file stays about the server's other verbs.

use homeward_shared::resource::Resource;
use homeward_sync_server::ApiError;
use homeward_sync_server::store::{Store, parse_resources_csv};

use crate::cli_args::ResourceVerb;

/// Runs one `resource` verb as `by` (the command line).
pub(crate) fn run(
    store: &mut Store,
    verb: ResourceVerb,
    json: bool,
    by: &str,
) -> Result<(), ApiError> {
    match verb {
        ResourceVerb::Add {
            district,
            block,
            kind,
            name,
            contact,
            offers,
            address,
            min_age,
            max_age,
            sex,
        } => {
            let r = Resource {
                id: String::new(),
                district,
                block,
                kind,
                name,
                address,
                contact,
                offers,
                min_age,
                max_age,
                sex,
                active: true,
            };
            let id = store.add_resource(&r, by)?;
            if json {
                println!("{}", serde_json::json!({ "id": id }));
            } else {
                eprintln!(
                    "added {} ({}) in {}, {}; the devices of that block receive it at their next sync",
                    r.name.trim(),
                    r.kind,
                    r.block.trim(),
                    r.district.trim()
                );
                println!("{id}");
            }
            Ok(())
        }
        ResourceVerb::List { district } => {
            let list = store.resources(district.as_deref())?;
            if json {
                let text = serde_json::to_string_pretty(&list)
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
                println!("{text}");
                return Ok(());
            }
            for r in &list {
                let ages = match (r.min_age, r.max_age) {
                    (None, None) => String::new(),
                    (a, b) => format!(
                        " ages {}-{}",
                        a.map_or(String::new(), |a| a.to_string()),
                        b.map_or(String::new(), |b| b.to_string())
                    ),
                };
                let sex = r.sex.map_or(String::new(), |s| format!(" sex {s}"));
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}{ages}{sex}",
                    r.id,
                    r.district,
                    r.block,
                    r.kind,
                    r.name,
                    if r.active { "active" } else { "inactive" },
                    r.contact.as_deref().unwrap_or("-"),
                );
            }
            eprintln!("{} resources", list.len());
            Ok(())
        }
        ResourceVerb::Import { file } => {
            let text = std::fs::read_to_string(&file).map_err(|e| {
                ApiError::BadRequest(format!("cannot read {}: {e}", file.display()))
            })?;
            let in_file = |e: ApiError| match e {
                ApiError::BadRequest(m) => {
                    ApiError::BadRequest(format!("{}: {m}; nothing was stored", file.display()))
                }
                other => other,
            };
            let rows = parse_resources_csv(&text).map_err(in_file)?;
            let done = store.import_resources(&rows, by).map_err(in_file)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string(&done).map_err(|e| ApiError::Internal(e.to_string()))?
                );
            } else {
                println!(
                    "{}: {} added, {} updated, {} unchanged",
                    file.display(),
                    done.added,
                    done.updated,
                    done.unchanged
                );
            }
            Ok(())
        }
        ResourceVerb::Deactivate { id } => {
            store.set_resource_active(&id, false, by)?;
            println!("{id} is inactive: it stays on the map but is no longer suggested");
            Ok(())
        }
    }
}
