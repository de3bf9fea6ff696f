//! The resource map and referrals end to end (issue 17): a resource put on the map on the
//! server reaches the phone of a fieldworker of that block at its next sync; she finds it
//! offline, refers a family, is asked to follow the referral up, records what came of it; the
//! outcome reaches the server, where the CWC report lists it and the gaps count it.

use serde_json::Value;

use crate::support::{Device, Server, admin, user};

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
    let server = Server::start(&db);
    let centre = add_resource(
        &server,
        &[
            "--district",
            "Gaya",
            "--block",
            "Tekari",
            "--kind",
            "skills-training",
            "--name",
            "Jeevika skills centre",
            "--contact",
            "Sunita Devi, 0631 000 1111",
            "--offers",
            "tailoring, mobile repair",
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
