//! Sync with no network through the `homeward` binary: `bundle export`, `receive`, `relay`,
//! `keys`, sync's lines about the files it passed on, and a verified revocation's leftover.

use std::path::Path;

use homeward_field::store::DB_FILE;
use homeward_shared::seal;

use crate::bundles::{colleagues_bundle, office, server_secret, statement};
use crate::support::{Folder, homeward, ok, stderr, stdout};

fn enrol(dir: &Path, url: &str) {
    ok(
        dir,
        &[
            "enrol",
            "--server",
            url,
            "--code",
            "CODE-1",
            "--phone",
            "+919800000000",
        ],
    );
}

fn add_case(dir: &Path) -> String {
    let out = ok(
        dir,
        &[
            "case",
            "add",
            "--name",
            "Rani Paswan",
            "--sex",
            "f",
            "--age",
            "12",
            "--district",
            "Gaya",
            "--block",
            "Tekari",
            "--village",
            "Madhopur",
            "--returned-on",
            "2026-11-01",
        ],
    );
    out.lines().last().expect("id").trim().to_owned()
}

#[test]
fn bundle_export_writes_a_sealed_file_and_says_what_it_holds() {
    let (server, office) = office();
    let tmp = Folder::new();
    let dir = tmp.path();
    enrol(dir, &server.url);
    assert_eq!(
        office.lock().expect("office").enrolments[0]["phone"],
        "+919800000000",
        "--phone goes with the enrolment"
    );
    let file = tmp.outer().join("changes.hwsealed");
    let file_s = file.display().to_string();
    let said = ok(dir, &["bundle", "export", "-o", &file_s]);
    assert!(said.contains("nothing to carry"), "{said}");
    assert!(!file.exists(), "no file when nothing is unconfirmed");

    add_case(dir);
    let said = ok(dir, &["bundle", "export", "-o", &file_s]);
    assert!(
        said.contains("bundle 1 written") && said.contains("can neither read nor change it"),
        "{said}"
    );
    let bytes = std::fs::read(&file).expect("written");
    assert!(bytes.starts_with(b"HWSEAL1\n"), "a sealed file");
    let seal::Header { kind, recipient } = seal::header(&bytes).expect("a header");
    assert_eq!(kind, seal::Kind::DeviceBundle);
    assert_eq!(
        recipient,
        server_secret().public().id(),
        "sealed to the server"
    );

    let json = ok(dir, &["--json", "bundle", "export", "-o", &file_s]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["seq"], 2);
    assert_eq!(v["cases"], 1);
    let hi = ok(dir, &["--lang", "hi", "bundle", "export", "-o", &file_s]);
    assert!(hi.contains("बंडल 3"), "{hi}");
}

#[test]
fn a_colleagues_file_is_kept_listed_passed_on_at_the_sync_and_dropped_when_refused() {
    let (server, office) = office();
    let tmp = Folder::new();
    let dir = tmp.path();
    enrol(dir, &server.url);
    let file = tmp.outer().join("colleague.hwsealed");
    std::fs::write(&file, colleagues_bundle(21)).expect("writes");
    let file_s = file.display().to_string();
    let said = ok(dir, &["receive", &file_s]);
    assert!(said.contains("kept to pass on to the server"), "{said}");
    let said = ok(dir, &["--lang", "hi", "receive", &file_s]);
    assert!(said.contains("पहले से"), "{said}");
    let listed = ok(dir, &["relay"]);
    assert!(
        listed.contains("goes to the server at the next sync"),
        "{listed}"
    );
    office.lock().expect("office").case_refused =
        Some(("case-y".into(), "not in the user's areas".into()));
    let said = ok(dir, &["sync", "--retries", "0"]);
    assert!(
        said.contains("passed on to the server") && said.contains("Sunita Devi"),
        "{said}"
    );
    assert!(
        said.contains("case case-y was refused") && said.contains("not in the user's areas"),
        "a case the server refused in a file passed on is said: {said}"
    );
    assert_eq!(
        ok(dir, &["relay"]).trim(),
        "no file waiting to be passed on to the server"
    );

    // A file the server refuses stays, says why, and is dropped by hand.
    office.lock().expect("office").relay_refusal = Some((422, "not sealed to this server".into()));
    std::fs::write(&file, colleagues_bundle(22)).expect("writes");
    ok(dir, &["receive", &file_s]);
    let o = homeward(dir, &["sync", "--retries", "0"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("refused the file") && stdout(&o).contains("not sealed to this server"),
        "{}",
        stdout(&o)
    );
    let listed: serde_json::Value =
        serde_json::from_str(&ok(dir, &["--json", "relay", "list"])).expect("json");
    let id = listed[0]["id"].as_str().expect("an id").to_owned();
    assert!(
        listed[0]["refused"]
            .as_str()
            .is_some_and(|r| r.contains("422"))
    );
    let said = ok(dir, &["relay", "drop", &id[..8]]);
    assert!(said.contains("removed"), "{said}");
    assert_eq!(
        ok(dir, &["--json", "relay"]).trim(),
        "[]",
        "nothing left to pass on"
    );
    let o = homeward(dir, &["relay", "drop", "abcdef12"]);
    assert_eq!(o.status.code(), Some(2), "an unknown id is bad input");
}

#[test]
fn a_damaged_or_foreign_file_is_refused_with_exit_2() {
    let (server, _office) = office();
    let tmp = Folder::new();
    let dir = tmp.path();
    enrol(dir, &server.url);
    let file = tmp.outer().join("bad.hwsealed");
    // A file sealed to nobody this phone knows is refused here.
    let stranger = seal::SecretKeys::from_seed([99; seal::SEED_BYTES]).public();
    let foreign =
        homeward_shared::bundle::revocation(&server_secret(), "dev1", "2026-11-01T00:00:00Z")
            .seal(&stranger, [1; 32]);
    std::fs::write(&file, foreign).expect("writes");
    let o = homeward(dir, &["receive", &file.display().to_string()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not this phone's"), "{}", stderr(&o));
    std::fs::write(&file, b"just text").expect("writes");
    let o = homeward(dir, &["receive", &file.display().to_string()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(ok(dir, &["--json", "relay"]).trim(), "[]", "nothing kept");
}

#[test]
fn keys_prints_this_devices_key_and_the_servers() {
    let (server, _office) = office();
    let tmp = Folder::new();
    let dir = tmp.path();
    enrol(dir, &server.url);
    let said = ok(dir, &["keys"]);
    assert!(
        said.contains("device dev1") && said.contains("hwkey1:"),
        "{said}"
    );
    assert!(
        said.contains(&format!("server key {}", server_secret().public().id())),
        "{said}"
    );
    let v: serde_json::Value = serde_json::from_str(&ok(dir, &["--json", "keys"])).expect("json");
    let text = v["key"].as_str().expect("a key");
    assert!(seal::PublicKeys::from_text(text).is_ok(), "{text}");
}

#[test]
fn a_verified_revocation_leaves_the_sealed_leftover_and_says_where() {
    let (server, office) = office();
    let tmp = Folder::new();
    let dir = tmp.path();
    enrol(dir, &server.url);
    add_case(dir);
    office.lock().expect("office").revoke = Some(Some(statement(&server_secret(), "dev1")));
    let o = homeward(dir, &["sync", "--retries", "0"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let said = stdout(&o);
    assert!(
        said.contains("homeward-leftover-dev1-") && said.contains("only the server can read"),
        "{said}"
    );
    assert!(!dir.join(DB_FILE).exists(), "the store is wiped");
}
