//! The Tauri 2 shell of the Homeward field app.
//!
//! Contract: every command in [`commands`] is a few lines that delegate to `homeward-field`;
//! this crate holds no business logic, reads no database directly and is depended on by
//! nothing. The window may call only the commands `capabilities/main.json` lists (`build.rs`
//! opts them into Tauri's permission system).
//!
//! The data folder is `HOMEWARD_DATA_DIR` when set (tests and demos never touch a real
//! profile), else the platform's app data folder. The webview's own storage lives inside it too.

mod attachments;
mod bundles;
mod commands;
mod resources;

use std::path::PathBuf;

use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};

/// The environment variable that sets the data folder.
pub const DATA_DIR_ENV: &str = "HOMEWARD_DATA_DIR";

fn data_dir(app: &tauri::App) -> Result<PathBuf, Box<dyn std::error::Error>> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => Ok(app.path().app_data_dir()?),
    }
}

/// Starts the app (desktop `main`, and the mobile entry point).
#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    homeward_field::quiet_caught_panics();
    tauri::Builder::default()
        .setup(|app| {
            let dir = data_dir(app)?;
            std::fs::create_dir_all(&dir)?;
            app.manage(commands::App::new(dir.clone()));
            let builder =
                WebviewWindowBuilder::new(app, "main", WebviewUrl::App("index.html".into()));
            #[cfg(desktop)]
            let builder = builder
                .title("Homeward")
                .inner_size(400.0, 820.0)
                .min_inner_size(340.0, 480.0)
                .data_directory(dir.join("webview"));
            builder.build()?;
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::status,
            commands::enrol,
            commands::unlock,
            commands::lock,
            commands::today,
            commands::cases,
            commands::case_view,
            commands::register,
            commands::similar_cases,
            commands::edit,
            commands::sync,
            commands::sync_status,
            commands::change_pin,
            commands::set_language,
            commands::vocabulary,
            commands::schemes,
            commands::areas,
            commands::spot_checks,
            commands::urgent,
            commands::record_spot_check,
            commands::sent_back,
            resources::resources,
            resources::suggested_resources,
            resources::case_help,
            resources::refer,
            attachments::attach,
            attachments::attachments,
            attachments::attachment_page,
            attachments::withdraw_attachment,
            attachments::fetch_attachment,
            bundles::export_bundle,
            bundles::receive,
            bundles::relay_list,
            bundles::relay_drop,
            bundles::export_sealed_case,
            bundles::urgent_sms,
            bundles::public_key,
        ])
        .run(tauri::generate_context!())
        .expect("the Homeward window could not start");
}
