//! The resource map and referrals end to end (issue 17): a resource a supervisor puts on the
//! map on the dashboard reaches the phone of a fieldworker of that block at its next sync; she finds it
//! offline, refers a family, is asked to follow the referral up, records what came of it; the
//! outcome reaches the server, where the CWC report lists it and the gaps count it.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::{Device, Server, admin, bin, db_flag, user};

/// A supervisor of `district` with a dashboard password, added through the command line.
fn supervisor(db: &std::path::Path, id: &str, district: &str, password: &str) {
    let mut child = Command::new(bin("homeward-sync-server"))
        .arg("--db")
        .arg(db_flag(db))
        .args(["user", "add", id, "--id", id, "--role", "supervisor"])
        .args(["--district", district, "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(format!("{password}\n").as_bytes())
        .expect("writes");
    assert!(child.wait().expect("waits").success());
}

const FORM: &str = "application/x-www-form-urlencoded";

/// A form's fields as a browser sends them (the workspace's reqwest has no `form` feature).
fn encoded(fields: &[(&str, &str)]) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                b' ' => "+".to_owned(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    fields
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Logs `id` in on the dashboard and submits the add form of `/resources`, as the page's form
/// does; the new resource's id, read back from the map.
fn add_on_the_dashboard(
    server: &Server,
    id: &str,
    password: &str,
    form: &[(&str, &str)],
) -> String {
    let http = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let login = http
        .post(format!("{}/login", server.url))
        .header("content-type", FORM)
        .body(encoded(&[("user", id), ("password", password)]))
        .send()
        .expect("logs in");
    assert_eq!(login.status().as_u16(), 303, "the supervisor logs in");
    let cookie: Vec<String> = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|c| c.to_str().ok())
        .filter_map(|c| c.split(';').next())
        .map(str::to_owned)
        .collect();
    let added = http
        .post(format!("{}/resources/add", server.url))
        .header("cookie", cookie.join("; "))
        .header("content-type", FORM)
        .body(encoded(form))
        .send()
        .expect("posts the form");
    assert_eq!(added.status().as_u16(), 303, "added, back to the list");
    let name = form
        .iter()
        .find(|(k, _)| *k == "name")
        .map(|(_, v)| *v)
        .expect("a name");
    let map: Value =
        serde_json::from_str(&server.admin(&["--json", "resource", "list"])).expect("JSON");
    map.as_array()
        .expect("a list")
        .iter()
        .find(|r| r["name"] == name)
        .and_then(|r| r["id"].as_str())
        .expect("on the map")
        .to_owned()
}

/// `homeward-sync-server resource add ...`: the new resource's id, on the last line.
fn add_resource(server: &Server, args: &[&str]) -> String {
    let mut all = vec!["resource", "add"];
    all.extend_from_slice(args);
    let out = server.admin(&all);
    out.lines().last().expect("an id").trim().to_owned()
}

fn prompts(phone: &Device, day: &str) -> Vec<Value> {
    phone
        .json(&["today", "--date", day])
        .as_array()
        .expect("a list")
        .clone()
}

fn has(prompts: &[Value], case: &str, kind: &str) -> bool {
    prompts
        .iter()
        .any(|p| p["case_id"] == case && p["kind"] == kind)
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a list")
        .iter()
        .map(|r| r["name"].as_str().expect("a name").to_owned())
        .collect()
}

#[test]
fn a_provider_put_on_the_map_is_found_offline_referred_to_and_followed_to_its_outcome() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("server.db");
    user(
        &db,
        "anita",
        "fieldworker",
        &["Gaya/Tekari", "Gaya/Bodh Gaya"],
    );
    supervisor(&db, "sup-gaya", "Gaya", "a long demo password");
    let server = Server::start(&db);
    let centre = add_on_the_dashboard(
        &server,
        "sup-gaya",
        "a long demo password",
        &[
            ("district", "Gaya"),
            ("block", "Tekari"),
            ("kind", "skills-training"),
            ("name", "Jeevika skills centre"),
            ("contact", "Sunita Devi, 0631 000 1111"),
            ("offers", "tailoring, mobile repair"),
        ],
    );
    let elsewhere = add_resource(
        &server,
        &[
            "--district",
            "Patna",
            "--block",
            "Danapur",
            "--kind",
            "skills-training",
            "--name",
            "Danapur ITI",
        ],
    );
    assert_ne!(centre, elsewhere);

    let phone = Device::enrol(&server, "anita");
    // Before any sync the phone has no map, and says so rather than listing nothing.
    let none = phone.run(&["resource", "list"]);
    assert!(
        !none.status.success() || !String::from_utf8_lossy(&none.stdout).trim().is_empty(),
        "an empty map is said, not printed as nothing"
    );
    let case = phone.add_case("Puja Kumari", "Gaya", "Tekari");
    let other = phone.add_case("Rani Kumari", "Gaya", "Bodh Gaya");
    for c in [&case, &other] {
        phone.ok(&[
            "assess",
            c,
            "--need",
            "livelihood=needs_support",
            "--date",
            "2026-11-02",
        ]);
    }
    phone.sync();

    // The map of her areas only, searched on the phone, in either script.
    let map = phone.json(&["resource", "list"]);
    assert_eq!(names(&map), ["Jeevika skills centre"]);
    let found = phone.json(&[
        "resource",
        "list",
        "--need",
        "livelihood",
        "--text",
        "जीविका",
    ]);
    assert_eq!(names(&found), ["Jeevika skills centre"]);
    let hindi = phone.ok(&["--lang", "hi", "resource", "list"]);
    assert!(hindi.contains("कौशल प्रशिक्षण केंद्र"), "{hindi}");

    // The need asks for help; a referral made offline holds it and asks for a follow-up later.
    assert!(has(
        &prompts(&phone, "2026-11-03"),
        &case,
        "livelihood_support"
    ));
    let out = phone.ok(&[
        "refer",
        &case,
        "--resource",
        &centre,
        "--need",
        "livelihood",
        "--note",
        "tailoring course for the mother",
        "--date",
        "2026-11-03",
    ]);
    let referral = out.lines().last().expect("an id").trim().to_owned();
    let on = |day| prompts(&phone, day);
    assert!(!has(&on("2026-11-10"), &case, "livelihood_support"));
    assert!(!has(&on("2026-11-16"), &case, "follow_up_referral"));
    let due = on("2026-11-17");
    let follow_up = due
        .iter()
        .find(|p| p["case_id"] == case.as_str() && p["kind"] == "follow_up_referral")
        .expect("a follow-up after 14 days");
    assert_eq!(follow_up["subject"], referral.as_str());
    // A resource the phone's map does not hold is refused, nothing recorded.
    let refused = phone.run(&[
        "refer",
        &case,
        "--resource",
        &elsewhere,
        "--need",
        "livelihood",
    ]);
    assert_eq!(refused.status.code(), Some(2), "bad input");
    phone.ok(&[
        "referral",
        "update",
        &case,
        &referral,
        "--state",
        "served",
        "--date",
        "2026-11-20",
        "--note",
        "enrolled in the tailoring course",
    ]);
    assert!(!has(&on("2026-11-21"), &case, "follow_up_referral"));
    let shown = phone.json(&["case", "show", &case]);
    let referrals = shown["case"]["referrals"].as_array().expect("referrals");
    assert_eq!(referrals.len(), 1, "{shown}");
    assert_eq!(referrals[0]["steps"][0]["state"], "served");
    phone.sync();

    // On the server: the CWC report lists the referral and its outcome.
    let csv = tmp.path().join("cwc.csv");
    admin(
        &db,
        &[
            "report",
            "cwc",
            "--district",
            "Gaya",
            "--month",
            "2026-11",
            "--format",
            "csv",
            "--output",
            csv.to_str().expect("utf-8"),
        ],
    );
    let report = std::fs::read_to_string(&csv).expect("the report");
    let row = report
        .lines()
        .find(|l| l.contains("Jeevika skills centre"))
        .unwrap_or_else(|| panic!("the referral in the report:\n{report}"));
    assert!(row.contains("served"), "{row}");

    // A resource deactivated on the server leaves the phone's suggestions at its next sync,
    // and stays on its map for the referrals that name it.
    server.admin(&["resource", "deactivate", &centre]);
    phone.sync();
    assert!(names(&phone.json(&["resource", "list"])).is_empty());
    assert_eq!(
        names(&phone.json(&["resource", "list", "--all"])),
        ["Jeevika skills centre"]
    );
}
