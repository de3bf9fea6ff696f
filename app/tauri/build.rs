//! Opts the app's own commands into Tauri's permission system, so a window may call only the
//! commands its capability (`capabilities/main.json`) lists.

const COMMANDS: &[&str] = &[
    "status",
    "enrol",
    "unlock",
    "lock",
    "today",
    "cases",
    "case_view",
    "register",
    "similar_cases",
    "edit",
    "sync",
    "sync_status",
    "change_pin",
    "set_language",
    "vocabulary",
    "schemes",
    "areas",
    "spot_checks",
    "urgent",
    "record_spot_check",
    "sent_back",
    "resources",
    "suggested_resources",
    "case_help",
    "refer",
    "attach",
    "attachments",
    "attachment_page",
    "withdraw_attachment",
    "fetch_attachment",
    "export_bundle",
    "receive",
    "relay_list",
    "relay_drop",
    "export_sealed_case",
    "urgent_sms",
    "public_key",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .expect("tauri build step");
}
