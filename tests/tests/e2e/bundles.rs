//! Sync with no network at all (issue 14), end to end with the real `homeward` and
//! `homeward-sync-server`: a week of offline work carried by hand and relayed by a
//! supervisor's phone, the server's updates carried back, a case sealed to a colleague's
//! phone, a revocation the phone verifies (and a fake one it refuses), and an urgent summons by
//! SMS matched to its record when that arrives.

use std::path::Path;

use serde_json::Value;

use crate::support::{Device, PIN, Server, bin, db_flag, user};

mod bench;

/// The gateway's secret of the test server (`HOMEWARD_SMS_SECRET`; a test value).
const SMS_SECRET: &str = "sms-gateway-test-secret";
/// The fieldworker's phone number, as her SIM sends it.
const ANITA_PHONE: &str = "+919876543210";

fn server(tmp: &tempfile::TempDir) -> Server {
    let db = tmp.path().join("server.db");
    user(&db, "anita", "fieldworker", &["Gaya/Tekari"]);
    user(&db, "sunita", "supervisor", &["Gaya"]);
    user(&db, "ravi", "fieldworker", &["Nalanda/Rajgir"]);
    user(&db, "admin", "admin", &[]);
    Server::start_env(&db, &[("HOMEWARD_SMS_SECRET", SMS_SECRET)])
}

/// The id of the device enrolled last (`device list` lists the newest first).
fn newest_device(server: &Server) -> String {
    server
        .admin(&["device", "list"])
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().next())
        .expect("a device id")
        .to_owned()
}

fn visit(phone: &Device, case: &str, date: &str, note: &str) {
    phone.ok(&["visit", "add", case, "--date", date, "--note", note]);
}

/// Runs `homeward-sync-server --db DB ARGS` (no success required); the output.
fn server_cli(server: &Server, args: &[&str]) -> std::process::Output {
    std::process::Command::new(bin("homeward-sync-server"))
        .arg("--db")
        .arg(db_flag(&server.db))
        .args(args)
        .output()
        .expect("runs")
}

fn contains(file: &Path, needle: &str) -> bool {
    let bytes = std::fs::read(file).expect("reads");
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn notes(phone: &Device, case: &str) -> Vec<String> {
    phone.json(&["case", "show", case])["case"]["visits"]
        .as_array()
        .expect("visits")
        .iter()
        .filter_map(|v| v["note"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn a_week_offline_goes_by_hand_through_a_supervisors_phone_and_is_stored_once_and_never_sent_again()
{
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = server(&tmp);
    let anita = Device::enrol(&server, "anita");
    let sunita = Device::enrol(&server, "sunita");
    let cases: Vec<String> = ["Puja Kumari", "Rani Devi", "Sonu Kumar"]
        .iter()
        .map(|n| anita.add_case(n, "Gaya", "Tekari"))
        .collect();
    anita.sync();
    sunita.sync();

    // A week with no signal: visits on every child, one new child.
    for (i, case) in cases.iter().enumerate() {
        visit(
            &anita,
            case,
            "2026-11-20",
            &format!("week offline visit {i}"),
        );
    }
    let new_case = anita.add_case("Khushi Kumari", "Gaya", "Tekari");
    // A copy of a document photographed offline: its page travels inside the file too (a
    // synthetic PDF, kept byte for byte).
    let pdf = tmp.path().join("fir.pdf");
    let pdf_bytes = format!(
        "%PDF-1.4\n% synthetic first information report, week offline\n{}\n%%EOF\n",
        "0123456789abcdef".repeat(64)
    )
    .into_bytes();
    std::fs::write(&pdf, &pdf_bytes).expect("writes");
    let copy = anita
        .ok(&["attach", &cases[0], "fir", pdf.to_str().expect("utf-8")])
        .lines()
        .last()
        .expect("the copy's id")
        .trim()
        .to_owned();
    let file = tmp.path().join("anita-week.hwsealed");
    let made = anita.json(&["bundle", "export", "-o", file.to_str().expect("utf-8")]);
    assert_eq!(made["cases"], 4, "{made}");
    assert_eq!(made["pages"], 1, "{made}");
    assert!(
        !contains(&file, "Khushi") && !contains(&file, "week offline visit"),
        "whoever carries the file reads nothing of it"
    );

    // A changed copy is refused by the server, nothing stored.
    let mut bytes = std::fs::read(&file).expect("reads");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    let flipped = tmp.path().join("flipped.hwsealed");
    std::fs::write(&flipped, &bytes).expect("writes");
    let o = server_cli(
        &server,
        &["bundle", "import", flipped.to_str().expect("utf-8")],
    );
    assert!(!o.status.success(), "a changed byte is refused");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("damaged"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    // The supervisor's phone takes the file, cannot read it, and relays it in its own sync.
    let kept = sunita.json(&["receive", file.to_str().expect("utf-8")]);
    assert_eq!(kept["received"], "kept_for_relay", "{kept}");
    sunita.sync();
    assert!(
        sunita.json(&["relay"]).as_array().expect("list").is_empty(),
        "relayed and gone"
    );
    sunita.sync();
    for (i, case) in cases.iter().enumerate() {
        assert!(
            notes(&sunita, case).contains(&format!("week offline visit {i}")),
            "the supervisor's phone holds the week's visit of {case}"
        );
    }
    assert!(sunita.case_ids().contains(&new_case));
    // The page came with the file: the supervisor's phone fetches it from the server.
    let out = tmp.path().join("fetched.pdf");
    let printed = sunita.ok(&[
        "attachment",
        "get",
        &copy,
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    let fetched = printed
        .lines()
        .find(|l| !l.trim().is_empty())
        .expect("a file");
    assert_eq!(std::fs::read(fetched.trim()).expect("written"), pdf_bytes);

    // The admin imports the same file from a pen drive: stored nothing twice.
    let again: Value = serde_json::from_str(&server.admin(&[
        "bundle",
        "import",
        "--json",
        file.to_str().expect("utf-8"),
    ]))
    .expect("JSON receipt");
    assert_eq!(again["already"], true, "{again}");

    // Anita's next sync confirms the week without sending it again.
    let report = anita.sync();
    assert_eq!(
        report["pushed"].as_u64().unwrap_or(0),
        0,
        "nothing of the bundle is sent again: {report}"
    );
    let status = anita.json(&["sync", "--retries", "0"]);
    assert_eq!(status["pushed"].as_u64().unwrap_or(0), 0, "{status}");
    for (i, case) in cases.iter().enumerate() {
        let n = notes(&sunita, case)
            .iter()
            .filter(|n| **n == format!("week offline visit {i}"))
            .count();
        assert_eq!(n, 1, "stored once");
    }
}

#[test]
fn the_server_sends_a_phone_its_updates_as_a_file_and_a_replay_another_phones_file_or_a_changed_byte_changes_nothing()
 {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = server(&tmp);
    let anita = Device::enrol(&server, "anita");
    let anita_id = newest_device(&server);
    let sunita = Device::enrol(&server, "sunita");
    let sunita_id = newest_device(&server);
    let case = anita.add_case("Puja Kumari", "Gaya", "Tekari");
    anita.sync();
    sunita.sync();
    visit(
        &sunita,
        &case,
        "2026-11-22",
        "supervisor's visit, sent by file",
    );
    sunita.sync();

    let file = tmp.path().join("for-anita.hwsealed");
    server.admin(&[
        "bundle",
        "export",
        "--device",
        &anita_id,
        "-o",
        file.to_str().expect("utf-8"),
    ]);
    assert!(!contains(&file, "Puja"), "sealed");
    let other = tmp.path().join("for-sunita.hwsealed");
    server.admin(&[
        "bundle",
        "export",
        "--device",
        &sunita_id,
        "-o",
        other.to_str().expect("utf-8"),
    ]);

    // Another phone's file is refused, nothing changed.
    let o = anita.run(&["receive", other.to_str().expect("utf-8")]);
    assert!(!o.status.success());
    assert!(
        !notes(&anita, &case).contains(&"supervisor's visit, sent by file".to_owned()),
        "nothing applied"
    );
    let mut bytes = std::fs::read(&file).expect("reads");
    let last = bytes.len() - 1;
    bytes[last] ^= 0x80;
    let flipped = tmp.path().join("flipped.hwsealed");
    std::fs::write(&flipped, &bytes).expect("writes");
    assert!(
        !anita
            .run(&["receive", flipped.to_str().expect("utf-8")])
            .status
            .success()
    );

    let applied = anita.json(&["receive", file.to_str().expect("utf-8")]);
    assert_eq!(applied["received"], "applied", "{applied}");
    assert!(notes(&anita, &case).contains(&"supervisor's visit, sent by file".to_owned()));

    // The same file again is a replay: refused, in Hindi too.
    let o = anita.run(&["receive", file.to_str().expect("utf-8")]);
    assert!(!o.status.success(), "a replay is refused");
    let o = anita
        .command()
        .args(["--lang", "hi", "receive", file.to_str().expect("utf-8")])
        .output()
        .expect("runs");
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .chars()
            .any(|c| ('\u{0900}'..='\u{097f}').contains(&c)),
        "worded in Hindi: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    // And the phone carries on syncing from where the file left it.
    anita.sync();
    assert_eq!(
        notes(&anita, &case)
            .iter()
            .filter(|n| *n == "supervisor's visit, sent by file")
            .count(),
        1
    );
}

#[test]
fn a_case_sealed_to_a_colleagues_phone_goes_to_the_server_under_its_authors_signature() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = server(&tmp);
    let anita = Device::enrol(&server, "anita");
    let sunita = Device::enrol(&server, "sunita");
    anita.sync();
    sunita.sync();
    // Registered offline, never synced: the case reaches the supervisor's phone by a file.
    let case = anita.add_case("Meena Kumari", "Gaya", "Tekari");
    visit(&anita, &case, "2026-11-21", "registered offline");
    let key = sunita.json(&["keys"])["key"]
        .as_str()
        .expect("the phone's public key")
        .to_owned();
    let file = tmp.path().join("meena.hwsealed");
    anita.ok(&[
        "export",
        &case,
        "-o",
        file.to_str().expect("utf-8"),
        "--to",
        &key,
    ]);
    assert!(!contains(&file, "Meena"));
    sunita.ok(&["import", file.to_str().expect("utf-8")]);
    visit(&sunita, &case, "2026-11-23", "supervisor's follow-up");
    // Before issue 14 the server refused every later edit of an imported foreign change.
    let report = sunita.sync();
    assert!(
        report["refused"].as_array().is_none_or(|r| r.is_empty()),
        "nothing refused: {report}"
    );
    let fresh = Device::enrol(&server, "sunita");
    fresh.sync();
    let seen = notes(&fresh, &case);
    assert!(
        seen.contains(&"registered offline".to_owned())
            && seen.contains(&"supervisor's follow-up".to_owned()),
        "{seen:?}"
    );
    // Anita's own sync later stores nothing twice.
    anita.sync();
    fresh.sync();
    assert_eq!(notes(&fresh, &case).len(), 2);
}

#[test]
fn a_revoked_phone_keeps_only_a_sealed_file_which_the_admin_imports() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = server(&tmp);
    let anita = Device::enrol(&server, "anita");
    let anita_id = newest_device(&server);
    let sunita = Device::enrol(&server, "sunita");
    let case = anita.add_case("Puja Kumari", "Gaya", "Tekari");
    anita.sync();
    visit(
        &anita,
        &case,
        "2026-11-24",
        "recorded just before the phone was revoked",
    );
    server.admin(&["device", "revoke", &anita_id]);
    let o = anita.run(&["sync", "--retries", "0"]);
    assert!(!o.status.success());
    assert!(
        !anita.data().join("homeward.db").exists(),
        "the store is gone"
    );
    let leftovers: Vec<_> = std::fs::read_dir(anita.data())
        .expect("the folder stays")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "hwsealed"))
        .collect();
    assert_eq!(leftovers.len(), 1, "one sealed file left");
    let leftover = &leftovers[0];
    let said =
        String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr);
    assert!(
        said.contains(&*leftover.to_string_lossy()),
        "the phone says where: {said}"
    );
    assert!(
        !contains(leftover, "recorded just before"),
        "unreadable on the phone"
    );

    // A colleague's phone may not pass it on; the admin imports it.
    let relayed = sunita.json(&["receive", leftover.to_str().expect("utf-8")]);
    assert_eq!(relayed["received"], "kept_for_relay");
    sunita.sync();
    let refused = sunita.json(&["relay"]);
    assert!(
        refused[0]["refused"].is_string(),
        "a leftover goes to the server by an admin: {refused}"
    );
    let receipt: Value = serde_json::from_str(&server.admin(&[
        "bundle",
        "import",
        "--json",
        leftover.to_str().expect("utf-8"),
    ]))
    .expect("JSON receipt");
    assert!(
        receipt["cases"][0]["refused"].is_null(),
        "stored: {receipt}"
    );
    sunita.sync();
    assert!(
        notes(&sunita, &case).contains(&"recorded just before the phone was revoked".to_owned())
    );
}

#[test]
fn a_revocation_the_phone_cannot_verify_wipes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut server = server(&tmp);
    let anita = Device::enrol(&server, "anita");
    let case = anita.add_case("Puja Kumari", "Gaya", "Tekari");
    anita.sync();
    visit(&anita, &case, "2026-11-24", "not yet on the server");
    // Someone answers at the server's address with 410 and a made-up statement.
    let addr = server.addr().to_owned();
    server.kill();
    let fake = std::net::TcpListener::bind(&addr).expect("the address is free again");
    let answer = std::thread::spawn(move || {
        for _ in 0..2 {
            let Ok((mut s, _)) = fake.accept() else {
                return;
            };
            use std::io::{Read, Write};
            let mut buf = [0u8; 65536];
            let _ = s.read(&mut buf);
            let body = "revoked";
            let _ = write!(
                s,
                "HTTP/1.1 410 Gone\r\nhomeward-wipe: 1\r\nhomeward-revocation: 00ff\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let o = anita.run(&["sync", "--retries", "0"]);
    assert!(!o.status.success());
    assert!(anita.data().join("homeward.db").exists(), "nothing wiped");
    assert!(notes(&anita, &case).contains(&"not yet on the server".to_owned()));
    drop(answer);
}

#[test]
fn an_urgent_summons_by_sms_reaches_the_supervisors_phone_and_the_record_matches_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = server(&tmp);
    let anita = Device::enrol(&server, "anita");
    let anita_id = newest_device(&server);
    server.admin(&["device", "phone", &anita_id, ANITA_PHONE]);
    let sunita = Device::enrol(&server, "sunita");
    let case = anita.add_case("Puja Kumari", "Gaya", "Tekari");
    anita.sync();
    sunita.sync();
    let summons = anita.json(&[
        "summons",
        "add",
        &case,
        "--received-on",
        "2026-11-27",
        "--hearing",
        "2026-12-04",
    ])["summons"]
        .as_str()
        .expect("the summons id")
        .to_owned();
    let sms = anita.json(&["sms", &case, &summons]);
    let text = sms["text"].as_str().expect("the text").to_owned();
    assert!(
        text.chars().count() <= 160 && !text.contains("Puja"),
        "{text}"
    );

    // As a gateway posts it: application/x-www-form-urlencoded.
    let post = |form: &[(&str, &str)]| {
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        reqwest::blocking::Client::new()
            .post(format!("{}/api/v1/sms?key={SMS_SECRET}", server.url))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .expect("posts")
            .status()
            .as_u16()
    };
    assert_eq!(
        post(&[("From", "+919999999999"), ("Body", &text)]),
        403,
        "wrong sender"
    );
    assert_eq!(post(&[("From", ANITA_PHONE), ("Body", &text)]), 200);
    assert_eq!(
        post(&[("From", ANITA_PHONE), ("Body", &text)]),
        409,
        "a replay"
    );
    sunita.sync();
    let urgent = sunita.json(&["urgent"]);
    assert_eq!(urgent.as_array().map(Vec::len), Some(1), "{urgent}");
    assert_eq!(urgent[0]["child_name"], "Puja Kumari");
    let o = sunita
        .command()
        .args(["--lang", "hi", "urgent"])
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&o.stdout).contains("समन"));

    // The full record arrives with Anita's next sync: the item is matched, counted once.
    anita.sync();
    sunita.sync();
    assert_eq!(sunita.json(&["urgent"]).as_array().map(Vec::len), Some(0));
    let shown = sunita.json(&["case", "show", &case]);
    assert_eq!(
        shown["case"]["legal"]["summonses"].as_array().map(Vec::len),
        Some(1),
        "{shown}"
    );
    let _ = PIN;
}
