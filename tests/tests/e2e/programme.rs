//! One programme for every part (issue 12, section 3): the programme the real server is given
//! (`serve --programme`, `programme set`) is what a synced phone computes its prompts and next
//! visits with, over any file given on the phone.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use crate::support::{Device, Server, admin, bin, db_flag, user};

/// `homeward-sync-server serve --programme FILE` on `listen`.
fn serve_with(db: &Path, listen: &str, programme: &Path) -> Server {
    let mut child = Command::new(bin("homeward-sync-server"))
        .arg("--db")
        .arg(db_flag(db))
        .args(["serve", "--listen", listen, "--programme"])
        .arg(programme)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("piped"))
        .read_line(&mut line)
        .expect("the server prints its address");
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    Server {
        child,
        url,
        db: db.to_owned(),
        key: None,
    }
}

/// The next visit due of `case` on the phone, and whether `homeward today` on `day` holds an
/// overdue visit for it.
fn schedule(phone: &Device, case: &str, day: &str) -> (String, bool) {
    let shown = phone.json(&["case", "show", case, "--date", day]);
    let due = shown["next_visit"]["due"]
        .as_str()
        .unwrap_or_else(|| panic!("a next visit: {shown}"))
        .to_owned();
    let today = phone.json(&["today", "--date", day]);
    let overdue = today
        .as_array()
        .expect("a list")
        .iter()
        .any(|p| p["case_id"] == case && p["kind"] == "visit_overdue");
    (due, overdue)
}

fn programme_version(db: &Path) -> u64 {
    let shown: serde_json::Value =
        serde_json::from_str(&admin(db, &["--json", "programme", "show"])).expect("JSON");
    shown["version"].as_u64().expect("a version")
}

#[test]
fn the_servers_programme_is_what_a_synced_phone_computes_its_next_visits_with() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("server.db");
    user(&db, "anita", "fieldworker", &["Gaya/Tekari"]);
    let file = |name: &str, text: &str| {
        let path = tmp.path().join(name);
        std::fs::write(&path, text).expect("writes");
        path
    };
    let every_3 = file("every-3.toml", "[visits]\nhigh_days = 3\n");
    let mut server = serve_with(&db, "127.0.0.1:0", &every_3);
    assert_eq!(programme_version(&db), 1);

    // A child assessed on 3 October with one need known: high risk (six needs unassessed), a
    // visit every 7 days by default, due on 10 October.
    let phone = Device::enrol(&server, "anita");
    let case = phone.add_case("Puja Kumari", "Gaya", "Tekari");
    phone.ok(&[
        "assess",
        &case,
        "--need",
        "education=not_enrolled",
        "--date",
        "2026-10-03",
    ]);
    assert_eq!(
        schedule(&phone, &case, "2026-10-08"),
        ("2026-10-10".to_owned(), false),
        "before its first sync the phone has the defaults"
    );
    phone.sync();
    assert_eq!(
        schedule(&phone, &case, "2026-10-08"),
        ("2026-10-06".to_owned(), true),
        "the server's programme: every 3 days"
    );

    // An administrator changes it on the running server; the phone follows at its next sync.
    let every_5 = file("every-5.toml", "[visits]\nhigh_days = 5\n");
    server.admin(&["programme", "set", every_5.to_str().expect("utf-8")]);
    assert_eq!(
        schedule(&phone, &case, "2026-10-08"),
        ("2026-10-06".to_owned(), true),
        "nothing changes before the sync"
    );
    phone.sync();
    assert_eq!(
        schedule(&phone, &case, "2026-10-08"),
        ("2026-10-08".to_owned(), false),
        "every 5 days"
    );

    // Restarted with another file, the server's new threshold reaches the phone too.
    let every_4 = file("every-4.toml", "[visits]\nhigh_days = 4\n");
    let listen = server.addr().to_owned();
    server.kill();
    let server = serve_with(&db, &listen, &every_4);
    phone.sync();
    assert_eq!(
        schedule(&phone, &case, "2026-10-08"),
        ("2026-10-07".to_owned(), true),
        "every 4 days"
    );
    assert_eq!(programme_version(&db), 3);

    // A file given on the phone does not override the server's, and the phone says so.
    let own = file("phone.toml", "[visits]\nhigh_days = 14\n");
    let out = phone
        .command()
        .env("HOMEWARD_PROGRAMME", &own)
        .args(["--json", "case", "show", &case, "--date", "2026-10-08"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let shown: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        shown["next_visit"]["due"], "2026-10-07",
        "the server's wins"
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("is not used"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The same file again at a restart is no new version, and sends the phone nothing new.
    let listen = server.addr().to_owned();
    drop(server);
    let _server = serve_with(&db, &listen, &every_4);
    assert_eq!(programme_version(&db), 3);
    phone.sync();
    assert_eq!(
        schedule(&phone, &case, "2026-10-08"),
        ("2026-10-07".to_owned(), true)
    );
}

#[test]
fn a_programme_file_the_server_cannot_read_stops_it_with_the_line_at_fault() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("server.db");
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, "[visits]\n\nhigh_dayz = 3\n").expect("writes");
    let out = Command::new(bin("homeward-sync-server"))
        .arg("--db")
        .arg(db_flag(&db))
        .args(["serve", "--listen", "127.0.0.1:0", "--programme"])
        .arg(&bad)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2), "bad input");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml") && err.contains("line 3") && err.contains("high_dayz"),
        "{err}"
    );
    assert!(out.stdout.is_empty(), "it never listened");
    assert_eq!(programme_version(&db), 0, "nothing stored");
}
