//! The `homeward` binary: the contract's verbs and flags, JSON output, bad input.

use serde_json::Value;

use crate::support::{homeward, homeward_pin, ok, stderr, stdout};

fn json(dir: &std::path::Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(dir, &all))
        .unwrap_or_else(|e| panic!("homeward {args:?} printed bad JSON: {e}"))
}

fn add_case(dir: &std::path::Path) -> String {
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
            "Bodh Gaya",
            "--village",
            "Madhopur",
            "--returned-on",
            "2026-11-01",
        ],
    );
    let id = out.lines().last().expect("a last line").trim().to_owned();
    assert_eq!(
        id.len(),
        16,
        "the new case id alone on the last line: {out:?}"
    );
    id
}

#[test]
fn a_fieldworker_day_through_the_command_line() {
    let tmp = crate::support::Folder::new();
    let dir = tmp.path();
    ok(dir, &["init", "--user", "Anita Kumari"]);
    let id = add_case(dir);
    ok(
        dir,
        &[
            "assess",
            &id,
            "--need",
            "education=not_enrolled",
            "--need",
            "health=counselling",
            "--note",
            "first visit",
            "--date",
            "2026-11-03",
        ],
    );
    ok(
        dir,
        &[
            "visit",
            "add",
            &id,
            "--date",
            "2026-11-10",
            "--kind",
            "follow-up",
            "--met",
            "mother",
            "--need",
            "education=enrolled",
            "--note",
            "enrolled in class 6",
        ],
    );
    ok(
        dir,
        &[
            "summons",
            "add",
            &id,
            "--received-on",
            "2026-11-20",
            "--hearing",
            "2026-12-05",
            "--mode",
            "video",
        ],
    );
    let service = json(
        dir,
        &[
            "service",
            "add",
            &id,
            "--dimension",
            "compensation",
            "--scheme",
            "victim_compensation",
            "--applied-on",
            "2026-11-12",
            "--amount",
            "50000",
        ],
    );
    let sid = service["service"].as_str().expect("service id").to_owned();
    ok(
        dir,
        &[
            "service",
            "update",
            &id,
            &sid,
            "--sanctioned-on",
            "2026-11-15",
        ],
    );
    ok(
        dir,
        &[
            "document",
            "set",
            &id,
            "fir",
            "received",
            "--date",
            "2026-11-12",
        ],
    );

    let today = json(dir, &["today", "--date", "2026-11-20"]);
    let first = &today[0];
    assert_eq!(
        first["kind"], "court_summons",
        "the summons comes first: {today:#}"
    );
    assert_eq!(first["priority"], "urgent");
    assert_eq!(first["name"], "Rani Paswan");

    let shown = json(dir, &["case", "show", &id[..6], "--date", "2026-11-20"]);
    assert_eq!(shown["case"]["child"]["name"], "Rani Paswan");
    assert_eq!(shown["case"]["visits"].as_array().map(Vec::len), Some(2));
    assert_eq!(shown["case"]["services"][0]["sanctioned_on"], "2026-11-15");
    assert_eq!(shown["case"]["documents"]["fir"]["state"], "received");
    assert_eq!(shown["risk"], "high", "a hearing is ahead");
    let list = json(dir, &["case", "list"]);
    assert_eq!(list[0]["id"], Value::String(id.clone()));
    let text = ok(dir, &["case", "show", &id]);
    assert!(
        text.contains("Rani Paswan") && text.contains("Education"),
        "{text}"
    );
    let text = ok(dir, &["today", "--date", "2026-11-20"]);
    assert!(
        text.contains("URGENT") && text.contains("Court summons"),
        "{text}"
    );

    // Export; the file comes back into its own store, and another device refuses it (its
    // changes can reach the server only from this device).
    let file = tmp.outer().join("case.automerge");
    ok(
        dir,
        &[
            "export",
            &id,
            "--plain",
            "-o",
            file.to_str().expect("utf-8 path"),
        ],
    );
    let imported = ok(dir, &["import", file.to_str().expect("utf-8 path")]);
    assert_eq!(imported.lines().last(), Some(id.as_str()));
    let other = crate::support::Folder::new();
    ok(other.path(), &["init"]);
    let o = homeward(
        other.path(),
        &["import", file.to_str().expect("utf-8 path")],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("another device") && stderr(&o).contains("sync"),
        "{}",
        stderr(&o)
    );
    assert_eq!(json(other.path(), &["case", "list"]), serde_json::json!([]));

    // PIN change.
    let o = std::process::Command::new(crate::support::homeward_bin())
        .args(["--data", dir.to_str().expect("utf-8"), "pin", "change"])
        .env("HOMEWARD_PIN", crate::support::PIN)
        .env("HOMEWARD_KEYSTORE", crate::support::keystore_env(dir))
        .env("HOMEWARD_NEW_PIN", "864213")
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        homeward(dir, &["case", "list"]).status.code(),
        Some(2),
        "the old PIN fails"
    );
    assert!(
        homeward_pin(dir, "864213", &["case", "list"])
            .status
            .success()
    );
}

#[test]
fn bad_input_gives_one_line_that_names_the_value_exit_2_and_no_change() {
    let tmp = crate::support::Folder::new();
    let dir = tmp.path();
    ok(dir, &["init"]);
    let id = add_case(dir);
    let junk = dir.join("junk.automerge");
    std::fs::write(&junk, b"this is not automerge").expect("write");
    let junk = junk.to_str().expect("utf-8").to_owned();
    let before = ok(dir, &["--json", "case", "show", &id]);
    let rows: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["visit", "add", "nosuchcase", "--date", "2026-11-05"],
            "nosuchcase",
        ),
        (
            vec!["visit", "add", &id, "--date", "2026-02-30"],
            "2026-02-30",
        ),
        (
            vec!["visit", "add", &id, "--date", "yesterday"],
            "yesterday",
        ),
        (
            vec![
                "visit",
                "add",
                &id,
                "--date",
                "2026-11-05",
                "--need",
                "schooling=enrolled",
            ],
            "schooling",
        ),
        (
            vec![
                "visit",
                "add",
                &id,
                "--date",
                "2026-11-05",
                "--need",
                "education=paid",
            ],
            "paid",
        ),
        (
            vec![
                "visit",
                "add",
                &id,
                "--date",
                "2026-11-05",
                "--kind",
                "party",
            ],
            "party",
        ),
        (
            vec!["visit", "add", &id, "--date", "2099-01-01"],
            "1 January 2099",
        ),
        (vec!["assess", &id, "--need", "health"], "health"),
        (
            vec!["document", "set", &id, "passport", "received"],
            "passport",
        ),
        (vec!["document", "set", &id, "fir", "lost"], "lost"),
        (
            vec![
                "summons",
                "add",
                &id,
                "--received-on",
                "2026-11-05",
                "--hearing",
                "2026-11-01",
            ],
            "1 November 2026",
        ),
        (
            vec![
                "service",
                "update",
                &id,
                "nosuchservice",
                "--paid-on",
                "2026-11-05",
            ],
            "nosuchservice",
        ),
        (
            vec![
                "case",
                "add",
                "--name",
                "X",
                "--sex",
                "q",
                "--age",
                "9",
                "--district",
                "Gaya",
                "--block",
                "B",
                "--village",
                "V",
                "--returned-on",
                "2026-11-01",
            ],
            "'q'",
        ),
        (vec!["case", "list", "--risk", "extreme"], "extreme"),
        (vec!["import", &junk], "junk.automerge"),
        (vec!["today", "--date", "2026-13-01"], "2026-13-01"),
        (
            vec!["--programme", "/nonexistent/programme.toml", "case", "list"],
            "programme.toml",
        ),
    ];
    for (args, needle) in rows {
        let o = homeward(dir, &args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?} exits 2: {err}");
        assert_eq!(
            err.trim_end().lines().count(),
            1,
            "{args:?}: one line, got {err:?}"
        );
        assert!(
            err.contains(needle),
            "{args:?}: {err:?} should name {needle}"
        );
    }
    let o = homeward_pin(dir, "0000", &["case", "list"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o).trim_end(),
        format!("error: wrong PIN for the store in {}", dir.display())
    );
    assert_eq!(
        ok(dir, &["--json", "case", "show", &id]),
        before,
        "nothing changed"
    );
}

#[test]
fn every_verb_that_prints_data_prints_json() {
    let tmp = crate::support::Folder::new();
    let dir = tmp.path();
    assert!(json(dir, &["init"])["data"].is_string());
    let demo = json(dir, &["demo", "--cases", "3", "--seed", "9"]);
    assert_eq!(demo["cases"], 3);
    let list = json(dir, &["case", "list"]);
    let id = list[0]["id"].as_str().expect("id").to_owned();
    assert_eq!(list.as_array().map(Vec::len), Some(3));
    assert!(json(dir, &["case", "show", &id])["case"].is_object());
    assert!(json(dir, &["today"]).is_array());
    assert!(json(dir, &["visit", "add", &id, "--date", "2026-11-01"])["visit"].is_string());
}

#[test]
fn init_refuses_a_trivial_pin_and_says_why() {
    let tmp = crate::support::Folder::new();
    for (pin, why) in [
        ("2468", "at least 6 digits"),
        ("123456", "run of digits"),
        ("222222", "repeats one digit"),
        ("123123", "repeats a short group"),
    ] {
        let o = homeward_pin(tmp.path(), pin, &["init"]);
        assert_eq!(o.status.code(), Some(2), "{pin}: {}", stderr(&o));
        assert!(stderr(&o).contains(why), "{pin}: {}", stderr(&o));
    }
    assert!(
        std::fs::read_dir(tmp.path()).expect("dir").next().is_none(),
        "nothing was created"
    );
}

#[test]
fn with_no_keystore_reachable_init_says_what_to_set_and_stores_no_secret() {
    let tmp = crate::support::Folder::new();
    let o = std::process::Command::new(crate::support::homeward_bin())
        .arg("--data")
        .arg(tmp.path())
        .arg("init")
        .env("HOMEWARD_PIN", crate::support::PIN)
        .env_remove("HOMEWARD_KEYSTORE")
        // No Secret Service: a session bus address where nothing listens.
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/homeward-test-bus",
        )
        .output()
        .expect("runs");
    assert!(!o.status.success());
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "one message: {err}");
    assert!(
        err.contains("no keystore can be reached") && err.contains("HOMEWARD_KEYSTORE=file:"),
        "{err}"
    );
    assert!(
        std::fs::read_dir(tmp.path()).expect("dir").next().is_none(),
        "nothing was written beside the store, the secret least of all"
    );
}

/// Issue 10, finding 1: a case file whose document nests maps thousands of levels deep (about
/// 6.6 KB) made `homeward import` overflow its stack and abort. It is refused with exit 2, one
/// line naming why, and the store is unchanged.
#[test]
fn a_case_file_nested_thousands_of_levels_deep_is_refused_with_exit_2() {
    use automerge::transaction::Transactable;

    let tmp = crate::support::Folder::new();
    let dir = tmp.path();
    ok(dir, &["init"]);
    let id = add_case(dir);
    let before = ok(dir, &["--json", "case", "show", &id]);
    let file = tmp.outer().join("case.automerge");
    let path = file.to_str().expect("utf-8 path");
    ok(dir, &["export", &id, "--plain", "-o", path]);

    let saved = std::fs::read(&file).expect("exported");
    let mut doc = automerge::AutoCommit::load(&saved).expect("loads");
    let mut obj = doc
        .put_object(automerge::ROOT, "x", automerge::ObjType::Map)
        .expect("map");
    for _ in 1..2_000 {
        obj = doc
            .put_object(&obj, "x", automerge::ObjType::Map)
            .expect("map");
    }
    let hostile = doc.save();
    assert!(hostile.len() < 32_000, "small: {} bytes", hostile.len());
    std::fs::write(&file, &hostile).expect("written");

    let o = homeward(dir, &["import", path]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "exits 2, not an abort: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err:?}");
    assert!(err.contains("levels deep"), "{err}");
    assert_eq!(
        ok(dir, &["--json", "case", "show", &id]),
        before,
        "the store is unchanged"
    );
}

#[test]
fn case_add_refuses_a_child_like_one_in_the_store_with_exit_2_unless_told_not_a_duplicate() {
    let tmp = crate::support::Folder::new();
    let dir = tmp.path();
    ok(dir, &["init"]);
    let id = add_case(dir);
    let count = |dir: &std::path::Path| json(dir, &["case", "list"]).as_array().map(Vec::len);
    // Rani Paswan of Madhopur again, from a Hindi order, a year older on this estimate.
    let again = [
        "case",
        "add",
        "--name",
        "रानी पासवान",
        "--sex",
        "f",
        "--age",
        "13",
        "--district",
        "गया",
        "--block",
        "Bodh Gaya",
        "--village",
        "माधोपुर",
        "--returned-on",
        "2026-11-02",
    ];
    let o = homeward(dir, &again);
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(2),
        "a likely duplicate is bad input: {err}"
    );
    assert!(
        err.contains(&id)
            && err.contains("Rani Paswan (Madhopur, Gaya, 12 years)")
            && err.contains("same name, district, age (within 2 years), village")
            && err.contains("--not-duplicate"),
        "the refusal names the case, why, and the way past it: {err}"
    );
    assert_eq!(count(dir), Some(1), "nothing was registered");

    let mut with_json = vec!["--json"];
    with_json.extend_from_slice(&again);
    let o = homeward(dir, &with_json);
    assert_eq!(o.status.code(), Some(2));
    let printed: Value = serde_json::from_str(&stdout(&o)).expect("JSON on stdout");
    assert_eq!(printed["similar"][0]["case_id"], id.as_str());
    assert_eq!(
        printed["similar"][0]["matched"],
        serde_json::json!(["name", "district", "age", "village"]),
        "{printed}"
    );

    // Her sister, of the same village and surname, is registered without a word.
    let mut sister = again;
    sister[3] = "Rina Paswan";
    ok(dir, &sister);
    assert_eq!(count(dir), Some(2));

    // Checked, and another child after all.
    let mut anyway = again.to_vec();
    anyway.push("--not-duplicate");
    let out = ok(dir, &anyway);
    assert_eq!(
        out.lines().last().map(|l| l.trim().len()),
        Some(16),
        "registered, the new id on the last line: {out}"
    );
    assert_eq!(count(dir), Some(3));
}

/// The records the command line could not make before: a summons discussed on a visit, the
/// hearing's outcome and the next hearing, the lawyer's authorisation, police informed later,
/// the case status; and the prompts' reasons in the language asked for (`--lang`).
#[test]
fn the_court_case_from_summons_to_outcome_through_the_command_line_in_both_languages() {
    let tmp = crate::support::Folder::new();
    let dir = tmp.path();
    ok(dir, &["init", "--user", "Anita Kumari"]);
    let id = add_case(dir);
    fn day<'a>(args: &[&'a str]) -> Vec<&'a str> {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--date", "2026-11-20"]);
        all
    }
    ok(
        dir,
        &[
            "assess",
            &id,
            "--need",
            "education=enrolled",
            "--date",
            "2026-11-03",
        ],
    );
    let summons = json(
        dir,
        &[
            "summons",
            "add",
            &id,
            "--received-on",
            "2026-11-19",
            "--hearing",
            "2026-11-25",
        ],
    )["summons"]
        .as_str()
        .expect("the summons id")
        .to_owned();
    // The same morning's assessment does not answer it; the reason in English and in Hindi.
    let en = json(dir, &day(&["--lang", "en", "today"]));
    let court = |v: &Value| {
        v.as_array()
            .expect("a list")
            .iter()
            .find(|p| p["kind"] == "court_summons")
            .map(|p| p["reason"].as_str().unwrap_or_default().to_owned())
    };
    let reason = court(&en).expect("the summons prompt");
    assert!(reason.contains("19 November 2026"), "{reason}");
    let hi = court(&json(dir, &day(&["--lang", "hi", "today"]))).expect("in Hindi too");
    assert!(
        hi.contains("19 नवंबर 2026") && hi.contains("अदालत का समन"),
        "{hi}"
    );
    // A visit that discussed it answers it.
    ok(
        dir,
        &[
            "visit",
            "add",
            &id,
            "--date",
            "2026-11-20",
            "--summons",
            &summons,
        ],
    );
    assert_eq!(court(&json(dir, &day(&["today"]))), None);
    let refused = homeward(
        dir,
        &[
            "visit",
            "add",
            &id,
            "--date",
            "2026-11-20",
            "--summons",
            "nosuch",
        ],
    );
    assert_eq!(refused.status.code(), Some(2), "{}", stderr(&refused));
    ok(
        dir,
        &[
            "legal",
            "set",
            &id,
            "--court",
            "Sessions Court, Jaipur",
            "--reference",
            "SC 41/2026",
            "--lawyer-authorised-on",
            "2026-11-20",
            "--lawyer-authorised-by",
            "mother",
        ],
    );
    // Adjourned without a next date: refused; with one: the next hearing is recorded.
    let bad = homeward(dir, &["hearing", &id, &summons, "--outcome", "adjourned"]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
    let next = json(
        dir,
        &[
            "hearing",
            &id,
            &summons,
            "--outcome",
            "adjourned",
            "--next-hearing",
            "2027-01-12",
        ],
    )["next_hearing"]
        .as_str()
        .expect("the next hearing's id")
        .to_owned();
    let incident = json(
        dir,
        &[
            "incident",
            "add",
            &id,
            "--date",
            "2026-11-21",
            "--what",
            "threats at the market",
        ],
    )["incident"]
        .as_str()
        .expect("the incident id")
        .to_owned();
    ok(
        dir,
        &["incident", "update", &id, &incident, "--police-informed"],
    );
    let case = &json(dir, &["case", "show", &id])["case"];
    let legal = &case["legal"];
    assert_eq!(legal["court"], "Sessions Court, Jaipur");
    assert_eq!(legal["lawyer_authorised_by"], "mother");
    assert_eq!(legal["summonses"][0]["outcome"]["result"], "adjourned");
    assert_eq!(legal["summonses"][1]["id"], next.as_str());
    assert_eq!(legal["summonses"][1]["follows"], summons.as_str());
    assert_eq!(legal["incidents"][0]["police_informed"], true);
    assert_eq!(case["visits"][1]["summons_id"], summons.as_str());
    // The case status: a reason is required; a transfer is not the device's to set.
    let no_reason = homeward(dir, &["case", "status", &id, "missing"]);
    assert_eq!(no_reason.status.code(), Some(2), "{}", stderr(&no_reason));
    let transfer = homeward(
        dir,
        &["case", "status", &id, "transferred", "--reason", "x"],
    );
    assert_eq!(transfer.status.code(), Some(2), "{}", stderr(&transfer));
    ok(
        dir,
        &[
            "case",
            "status",
            &id,
            "re-trafficked",
            "--reason",
            "seen at a workshop in Jaipur",
        ],
    );
    assert_eq!(
        json(dir, &["case", "show", &id])["case"]["status"]["state"],
        "retrafficked"
    );
}

/// A claim applied before the rescue is saved, with a warning to check the date; a stuck
/// claim's reason is cleared by an empty one.
#[test]
fn a_claim_applied_before_the_rescue_is_saved_with_a_warning() {
    let tmp = crate::support::Folder::new();
    let dir = tmp.path();
    ok(dir, &["init"]);
    let out = ok(
        dir,
        &[
            "case",
            "add",
            "--name",
            "Meena Kumari",
            "--sex",
            "f",
            "--age",
            "13",
            "--district",
            "Nalanda",
            "--block",
            "Rajgir",
            "--village",
            "Pilkhi",
            "--rescued-on",
            "2026-10-01",
            "--returned-on",
            "2026-10-20",
        ],
    );
    let id = out.lines().last().expect("the id").trim().to_owned();
    let o = homeward(
        dir,
        &[
            "service",
            "add",
            &id,
            "--dimension",
            "entitlements",
            "--scheme",
            "ration_card",
            "--applied-on",
            "2026-09-01",
            "--stuck",
            "waiting for the block office",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("before the rescue on 1 October 2026"),
        "{}",
        stderr(&o)
    );
    let service = stdout(&o).lines().last().expect("its id").trim().to_owned();
    ok(dir, &["service", "update", &id, &service, "--stuck", ""]);
    let case = json(dir, &["case", "show", &id]);
    assert_eq!(case["case"]["services"][0]["stuck_reason"], Value::Null);
}
