//! Backups and restore with the real binaries (issue 13): a backup made while the server serves,
//! a restore into a new file after the server was lost, and the phone that synced after the
//! backup: it keeps everything, starts over without doubling anything, and gives the server back
//! what it lost with `homeward sync --resend`.

use crate::support::{Device, Server, admin, user};

fn notes(device: &Device, case: &str) -> Vec<String> {
    let shown = device.json(&["case", "show", case]);
    let mut notes: Vec<String> = shown["case"]["visits"]
        .as_array()
        .expect("visits")
        .iter()
        .filter_map(|v| v["note"].as_str().map(str::to_owned))
        .collect();
    notes.sort();
    notes
}

#[test]
fn a_server_restored_from_a_backup_gets_back_what_a_phone_sent_after_it_and_doubles_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("server.db");
    user(&db, "anita", "fieldworker", &["Gaya/Tekari"]);
    user(&db, "supervisor-gaya", "supervisor", &["Gaya"]);
    let mut server = Server::start(&db);
    let phone = Device::enrol(&server, "anita");
    let case = phone.add_case("Sunita Kumari", "Gaya", "Tekari");
    phone.ok(&[
        "visit",
        "add",
        &case,
        "--date",
        "2026-10-10",
        "--note",
        "before the backup",
    ]);
    phone.sync();

    // The nightly backup, taken while the server serves.
    let backup = tmp.path().join("nightly.db");
    let said = server.admin(&["backup", backup.to_str().expect("utf-8")]);
    assert!(
        said.contains("backed up to") && said.contains("cases 1"),
        "{said}"
    );
    // A second backup never overwrites the first.
    let again = std::process::Command::new(crate::support::bin("homeward-sync-server"))
        .arg("--db")
        .arg(&db)
        .args(["backup", backup.to_str().expect("utf-8")])
        .output()
        .expect("runs");
    assert!(!again.status.success(), "a backup never overwrites a file");
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("never overwrites"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    // After the backup the phone records a visit and the server confirms it...
    phone.ok(&[
        "visit",
        "add",
        &case,
        "--date",
        "2026-10-20",
        "--note",
        "after the backup",
    ]);
    let report = phone.sync();
    assert_eq!(report["confirmed"], 1, "the visit confirmed: {report}");
    // ...then the server's disk is lost. The admin restores the backup into a new file and
    // moves it into place.
    let addr = server.addr().to_owned();
    server.kill();
    let restored = tmp.path().join("restored.db");
    let said = admin(&restored, &["restore", backup.to_str().expect("utf-8")]);
    assert!(said.contains("the feed resumes after position"), "{said}");
    for ext in ["", "-wal", "-shm"] {
        std::fs::remove_file(format!("{}{ext}", db.display())).ok();
    }
    std::fs::rename(&restored, &db).expect("moves into place");
    let server = Server::start_at(&db, &addr);

    // The restored server holds what the backup held: a supervisor's new phone sees one visit.
    let supervisor = Device::enrol(&server, "supervisor-gaya");
    supervisor.sync();
    assert_eq!(notes(&supervisor, &case), ["before the backup"]);

    // The phone syncs: it starts over from its scope, keeps its later visit, doubles nothing.
    phone.sync();
    assert_eq!(
        notes(&phone, &case),
        ["after the backup", "before the backup"]
    );
    // It sends again what the server had confirmed; the server keeps each change once.
    let out = phone
        .command()
        .args(["sync", "--resend"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("put back to send again"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    supervisor.sync();
    assert_eq!(
        notes(&supervisor, &case),
        ["after the backup", "before the backup"],
        "the visit the server lost is back, once"
    );
    // Work goes on after the gap in the feed's numbering.
    phone.ok(&[
        "visit",
        "add",
        &case,
        "--date",
        "2026-10-27",
        "--note",
        "after the restore",
    ]);
    phone.sync();
    supervisor.sync();
    assert_eq!(
        notes(&supervisor, &case),
        ["after the backup", "after the restore", "before the backup"]
    );
    let stats: serde_json::Value =
        serde_json::from_str(&server.admin(&["--json", "stats"])).expect("JSON");
    assert_eq!(stats["visits"], 3, "{stats}");
}
