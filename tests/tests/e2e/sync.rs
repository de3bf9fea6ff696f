//! Sync between real devices through the real server.

use std::process::Command;
use std::time::Duration;

use crate::support::{Device, Server, admin, bin, db_flag, user};

fn server(tmp: &tempfile::TempDir) -> Server {
    let db = tmp.path().join("server.db");
    user(&db, "anita", "fieldworker", &["Gaya/Tekari"]);
    user(&db, "supervisor-gaya", "supervisor", &["Gaya"]);
    user(&db, "ravi", "fieldworker", &["Nalanda/Rajgir"]);
    user(&db, "admin", "admin", &[]);
    Server::start(&db)
}

#[test]
fn three_devices_edit_the_same_case_offline_and_converge_with_every_visit_kept() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = server(&tmp);
    let phone = Device::enrol(&server, "anita");
    let spare = Device::enrol(&server, "anita"); // a second phone of the same fieldworker
    let supervisor = Device::enrol(&server, "supervisor-gaya");
    let case = phone.add_case("Puja Kumari", "Gaya", "Tekari");
    phone.ok(&[
        "assess",
        &case,
        "--need",
        "education=not_enrolled",
        "--date",
        "2026-10-03",
    ]);
    phone.sync();
    spare.sync();
    supervisor.sync();
    assert_eq!(spare.case_ids(), [case.as_str()]);
    assert_eq!(supervisor.case_ids(), [case.as_str()]);

    // Offline, all three record a visit; two set the same need differently.
    phone.ok(&[
        "visit",
        "add",
        &case,
        "--date",
        "2026-10-10",
        "--need",
        "education=enrolled",
        "--note",
        "phone",
    ]);
    spare.ok(&[
        "visit",
        "add",
        &case,
        "--date",
        "2026-10-11",
        "--need",
        "education=enrolled_irregular",
        "--note",
        "spare",
    ]);
    supervisor.ok(&[
        "visit",
        "add",
        &case,
        "--date",
        "2026-10-12",
        "--kind",
        "urgent",
        "--note",
        "spot check",
    ]);
    for d in [&supervisor, &phone, &spare, &supervisor, &phone] {
        d.sync();
    }
    let visits = phone.visit_ids(&case);
    assert_eq!(
        visits.len(),
        4,
        "the assessment and three visits: {visits:?}"
    );
    assert_eq!(spare.visit_ids(&case), visits, "the spare phone converged");
    assert_eq!(
        supervisor.visit_ids(&case),
        visits,
        "the supervisor converged"
    );
    let shown = [&phone, &spare, &supervisor]
        .map(|d| d.json(&["case", "show", &case, "--date", "2026-10-20"]));
    assert_eq!(
        shown[0]["case"], shown[1]["case"],
        "same case on both phones"
    );
    assert_eq!(
        shown[0]["case"], shown[2]["case"],
        "same case on the supervisor's device"
    );
    let conflicts = shown[0]["conflicts"].as_array().expect("conflicts");
    assert!(
        conflicts
            .iter()
            .any(|c| c["path"] == "needs.education.status"),
        "the concurrent status is kept for a supervisor: {conflicts:?}"
    );
}

#[test]
fn a_fieldworker_never_receives_a_case_from_another_area_and_a_push_to_one_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = server(&tmp);
    let anita = Device::enrol(&server, "anita");
    let ravi = Device::enrol(&server, "ravi");
    let own = anita.add_case("Puja Kumari", "Gaya", "Tekari");
    let other = ravi.add_case("Sonu Manjhi", "Nalanda", "Rajgir");
    anita.sync();
    ravi.sync();
    anita.sync();
    assert_eq!(anita.case_ids(), [own.as_str()], "Anita sees only her case");
    assert_eq!(ravi.case_ids(), [other.as_str()], "Ravi sees only his");
    let stored = || {
        let s: serde_json::Value =
            serde_json::from_str(&admin(&server.db, &["--json", "stats"])).expect("JSON");
        (
            s["cases"].clone(),
            s["changes"].clone(),
            s["visits"].clone(),
        )
    };
    let before = stored();

    // Offline, Anita registers a child of another area (a file of another device's case can no
    // longer be imported: such changes reach the server only from the device that made them),
    // records a visit to it, and one to her own case.
    let other = anita.add_case("Sonu Manjhi", "Nalanda", "Rajgir");
    anita.ok(&[
        "visit",
        "add",
        &other,
        "--date",
        "2026-10-10",
        "--note",
        "not mine",
    ]);
    anita.ok(&[
        "visit",
        "add",
        &own,
        "--date",
        "2026-10-10",
        "--note",
        "mine",
    ]);
    let o = anita.run(&["sync", "--retries", "0"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.success(),
        "the rest of the sync goes through: {err}"
    );
    assert!(
        err.contains(&format!("refused 2 changes to case {other}"))
            && err.contains("403")
            && err.contains("outside this device's areas"),
        "the refusal is reported: {err}"
    );
    let (cases, changes, visits) = stored();
    assert_eq!(cases, before.0);
    assert_eq!(
        (changes.as_i64(), visits.as_i64()),
        (
            before.1.as_i64().map(|c| c + 1),
            before.2.as_i64().map(|v| v + 1)
        ),
        "her own visit was stored in the next round; the refused one never was"
    );
    assert_eq!(
        anita.visit_ids(&other).len(),
        1,
        "the refused visit stays on her phone"
    );
    let again = anita.json(&["sync", "--retries", "0"]);
    assert_eq!(
        again["refused"],
        serde_json::json!([]),
        "set aside, not resent"
    );
    assert_eq!(stored().1, changes);

    // A new case outside her areas is refused too.
    let code = crate::support::code(&server, "anita");
    let third = Device::new();
    third.ok(&["enrol", "--server", &server.url, "--code", &code]);
    third.add_case("Rani Paswan", "Nalanda", "Rajgir");
    let before = stored();
    let o = third.run(&["sync", "--retries", "0"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("outside this device's areas"), "{err}");
    assert_eq!(
        stored(),
        before,
        "nothing of the refused request was stored"
    );
}

#[test]
fn a_server_killed_in_the_middle_of_a_push_loses_nothing_and_duplicates_nothing() {
    let mut rng = fastrand::Rng::with_seed(7);
    let mut interrupted = 0;
    for trial in 0..3 {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut server = server(&tmp);
        let device = Device::enrol(&server, "admin");
        let filled = device.json(&["demo", "--cases", "40", "--seed", &trial.to_string()]);
        let visits = filled["visits"].as_u64().expect("visits");
        // Push, and kill the server part-way (the first push takes a few hundred ms here).
        let mut sync = device
            .command()
            .args(["sync", "--retries", "0"])
            .spawn()
            .expect("sync starts");
        std::thread::sleep(Duration::from_millis(rng.u64(20..400)));
        server.kill();
        if !sync.wait().is_ok_and(|s| s.success()) {
            interrupted += 1;
        }
        // Restarted on the same database and address, the next sync completes the push.
        let db = server.db.clone();
        let restarted = Server::start_at(&db, server.addr());
        device.ok(&["sync", "--retries", "2"]);
        device.ok(&["sync", "--retries", "2"]);
        let stats: serde_json::Value =
            serde_json::from_str(&restarted.admin(&["--json", "stats"])).expect("JSON");
        assert_eq!(stats["cases"], 40, "trial {trial}: every case arrived");
        assert_eq!(
            stats["visits"].as_u64(),
            Some(visits),
            "trial {trial}: every visit arrived"
        );
        assert_eq!(
            stats["changes"], stats["feed_changes"],
            "trial {trial}: no change stored twice"
        );
        // A second device sees exactly the same.
        let other = Device::enrol(&restarted, "admin");
        other.sync();
        assert_eq!(other.case_ids(), device.case_ids(), "trial {trial}");
    }
    assert!(interrupted > 0, "at least one kill landed during the push");
}

#[test]
fn a_revoked_device_is_wiped_on_its_next_sync() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = server(&tmp);
    let phone = Device::enrol(&server, "anita");
    phone.add_case("Puja Kumari", "Gaya", "Tekari");
    phone.sync();
    let list = server.admin(&["device", "list"]);
    let id = list
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().next())
        .expect("a device id")
        .to_owned();
    server.admin(&["device", "revoke", &id]);
    assert!(server.admin(&["device", "list"]).contains("REVOKED"));
    let o = phone.run(&["sync", "--retries", "0"]);
    assert!(!o.status.success());
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("revoked") && out.contains("wiped"),
        "the device says so: {out}"
    );
    assert!(
        !phone.data().join("homeward.db").exists(),
        "the store is gone"
    );
    assert!(!phone.data().join("device.json").exists());
    let o = phone.run(&["case", "list"]);
    assert_eq!(o.status.code(), Some(2), "nothing left to open");
}

// A revoked device holding unsynced work: since issue 14 it verifies the server's signed
// statement, seals that work into one file only the server opens, and wipes the rest
// (`bundles::a_revoked_phone_keeps_only_a_sealed_file_which_the_admin_imports`); an
// unverified 410 wipes nothing (`bundles::a_revocation_the_phone_cannot_verify_wipes_nothing`).

#[test]
fn a_transferred_case_leaves_the_old_phone_and_reaches_the_new_one() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("server.db");
    user(&db, "anita", "fieldworker", &["Gaya/Tekari"]);
    user(&db, "sunil", "fieldworker", &["Gaya/Tekari"]);
    let server = Server::start(&db);
    let anita = Device::enrol(&server, "anita");
    let sunil = Device::enrol(&server, "sunil");
    let case = anita.add_case("Puja Kumari", "Gaya", "Tekari");
    anita.sync();
    sunil.sync();
    assert!(sunil.case_ids().is_empty(), "not Sunil's case yet");
    // Anita records a visit offline while the case is transferred.
    anita.ok(&[
        "visit",
        "add",
        &case,
        "--date",
        "2026-10-05",
        "--note",
        "before transfer",
    ]);
    server.admin(&["case", "assign", &case, "sunil"]);
    anita.sync();
    sunil.sync();
    assert!(
        anita.case_ids().is_empty(),
        "the case left Anita's phone once her visit was stored"
    );
    assert_eq!(sunil.case_ids(), [case.as_str()]);
    assert_eq!(sunil.visit_ids(&case).len(), 1, "with Anita's last visit");
}

#[test]
fn a_sync_killed_at_any_moment_leaves_the_store_consistent_and_the_next_one_completes_it() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = server(&tmp);
    let source = Device::enrol(&server, "admin");
    source.json(&["demo", "--cases", "40", "--seed", "11"]);
    source.sync();
    let mut rng = fastrand::Rng::with_seed(3);
    let mut interrupted = 0;
    for trial in 0..4 {
        let device = Device::enrol(&server, "supervisor-gaya");
        // Small pages, so the first sync takes many rounds; kill it part-way.
        let mut child = device
            .command()
            .args(["sync", "--retries", "0", "--budget", "8192"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("sync starts");
        std::thread::sleep(Duration::from_millis(rng.u64(10..250)));
        let _ = child.kill();
        if !child.wait().is_ok_and(|s| s.success()) {
            interrupted += 1;
        }
        device.ok(&["verify"]);
        device.ok(&["sync", "--retries", "0", "--budget", "8192"]);
        device.ok(&["verify"]);
        let want: Vec<String> = source
            .json(&["case", "list"])
            .as_array()
            .expect("list")
            .iter()
            .filter(|c| c["district"] == "Gaya")
            .map(|c| c["id"].as_str().expect("id").to_owned())
            .collect();
        let mut want = want;
        want.sort();
        assert!(!want.is_empty());
        assert_eq!(
            device.case_ids(),
            want,
            "trial {trial}: every Gaya case arrived once"
        );
    }
    assert!(interrupted > 0, "at least one kill landed during the sync");
}

#[test]
fn spot_checks_reach_the_supervisors_phone_for_their_areas_only() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = server(&tmp);
    let anita = Device::enrol(&server, "anita");
    let ravi = Device::enrol(&server, "ravi");
    for (device, district, block) in [(&anita, "Gaya", "Tekari"), (&ravi, "Nalanda", "Rajgir")] {
        let case = device.add_case("Golu Kumar", district, block);
        for date in ["2026-10-06", "2026-10-20"] {
            device.ok(&[
                "visit",
                "add",
                &case,
                "--date",
                date,
                "--note",
                "met the mother",
            ]);
        }
        device.sync();
    }
    let drawn = server.admin(&["--json", "spot-check", "draw", "--month", "2026-10"]);
    let drawn: serde_json::Value = serde_json::from_str(&drawn).expect("json");
    assert_eq!(drawn["drawn"], 4, "two visits of each fieldworker: {drawn}");

    let supervisor = Device::enrol(&server, "supervisor-gaya");
    supervisor.sync();
    let tasks = supervisor.json(&["spot-checks"]);
    let tasks = tasks.as_array().expect("a list");
    assert_eq!(tasks.len(), 2, "only Gaya's: {tasks:?}");
    for t in tasks {
        assert_eq!(t["district"], "Gaya");
        assert_eq!(t["child_name"], "Golu Kumar");
        assert!(
            t["visit_date"]
                .as_str()
                .expect("date")
                .starts_with("2026-10-")
        );
    }
    // A fieldworker's phone gets none.
    anita.sync();
    assert_eq!(anita.json(&["spot-checks"]), serde_json::json!([]));

    // At the family's door, offline, the supervisor records what she found on her phone.
    let first = tasks[0]["id"].as_str().expect("id").to_owned();
    let no_note = supervisor.run(&["spot-check", &first, "--outcome", "has_issues"]);
    assert_eq!(no_note.status.code(), Some(2), "has issues needs a note");
    let unknown = supervisor.run(&["spot-check", "nope", "--outcome", "verified"]);
    assert_eq!(unknown.status.code(), Some(2));
    supervisor.ok(&[
        "spot-check",
        &first,
        "--outcome",
        "has_issues",
        "--note",
        "the mother says nobody came that week",
    ]);
    let left = supervisor.json(&["spot-checks"]);
    assert_eq!(
        left.as_array().map(Vec::len),
        Some(1),
        "recorded: no longer to do"
    );
    supervisor.sync();
    let listed: serde_json::Value = serde_json::from_str(&server.admin(&[
        "--json",
        "spot-check",
        "list",
        "--month",
        "2026-10",
    ]))
    .expect("json");
    let row = listed
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["id"] == first.as_str())
        .expect("the spot check");
    assert_eq!(row["outcome"], "has_issues");
    assert_eq!(row["note"], "the mother says nobody came that week");
    assert_eq!(row["checked_by"], "supervisor-gaya");
    // Her phone's list follows the server's: one left to do.
    assert_eq!(
        supervisor.json(&["spot-checks"]).as_array().map(Vec::len),
        Some(1)
    );
}

#[test]
fn a_conflict_settled_by_a_supervisor_on_the_server_reaches_every_phone() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = server(&tmp);
    let phone = Device::enrol(&server, "anita");
    let spare = Device::enrol(&server, "anita");
    let case = phone.add_case("Puja Kumari", "Gaya", "Tekari");
    phone.sync();
    spare.sync();
    for (device, status) in [(&phone, "enrolled"), (&spare, "enrolled_irregular")] {
        device.ok(&[
            "need",
            "set",
            &case,
            &format!("education={status}"),
            "--date",
            "2026-10-12",
        ]);
    }
    phone.sync();
    spare.sync();
    phone.sync();

    let queue: serde_json::Value = serde_json::from_str(&server.admin(&[
        "--json",
        "conflict",
        "list",
        "--as",
        "supervisor-gaya",
    ]))
    .expect("json");
    let queue = queue.as_array().expect("a list");
    assert_eq!(queue.len(), 1, "{queue:?}");
    assert_eq!(queue[0]["path"], "needs.education.status");
    let spare_value = queue[0]["values"]
        .as_array()
        .expect("values")
        .iter()
        .find(|v| v["value"] == "enrolled_irregular")
        .expect("the spare phone's value");
    assert_eq!(spare_value["author"]["user_id"], "anita");
    // A fieldworker may not settle it; the supervisor keeps the spare phone's value.
    let refused = Command::new(bin("homeward-sync-server"))
        .arg("--db")
        .arg(db_flag(&server.db))
        .args([
            "conflict",
            "resolve",
            &case,
            "needs.education.status",
            "--value",
            "enrolled",
            "--as",
            "anita",
        ])
        .output()
        .expect("runs");
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("only supervisors settle conflicts"), "{said}");
    server.admin(&[
        "conflict",
        "resolve",
        &case,
        "needs.education.status",
        "--keep",
        spare_value["actor"].as_str().expect("actor"),
        "--as",
        "supervisor-gaya",
    ]);
    assert!(
        server
            .admin(&["--json", "conflict", "list"])
            .trim()
            .starts_with("[]"),
        "the queue is empty"
    );
    for device in [&phone, &spare] {
        device.sync();
        let shown = device.json(&["case", "show", &case]);
        assert_eq!(shown["conflicts"], serde_json::json!([]));
        assert_eq!(shown["case"]["needs"][0]["status"], "enrolled_irregular");
    }
}
