//! The resource map and referrals through the `homeward` binary (issue 17, section 4), in
//! English and Hindi: `resource list`, `refer`, `referral update`, the suggestions under
//! `today`'s prompts, the follow-up in `today --json`, and the referrals in `case show`.

use std::path::Path;

use homeward_shared::wire::ResourceMap;
use serde_json::Value;

use crate::resources::{map, out_of_school, reference};
use crate::support::{Folder, homeward, new_store, ok, stderr};

fn json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&ok(dir, &all))
        .unwrap_or_else(|e| panic!("homeward {args:?} printed bad JSON: {e}"))
}

/// Runs the binary, insists it failed with `code`, and gives what it said.
#[track_caller]
fn fails(dir: &Path, code: i32, args: &[&str]) -> String {
    let o = homeward(dir, args);
    assert_eq!(
        o.status.code(),
        Some(code),
        "homeward {args:?}: {}",
        stderr(&o)
    );
    stderr(&o)
}

/// A store with Puja out of school in Tekari and, when `with_map`, the map a sync brought.
fn store(tmp: &Folder, with_map: bool) {
    let mut store = new_store(tmp.path());
    out_of_school(&mut store);
    if with_map {
        store
            .set_reference(&reference(1, Some(ResourceMap::new(map()))))
            .expect("sets");
    }
}

fn last_line(out: &str) -> String {
    out.lines().last().expect("a last line").trim().to_owned()
}

#[test]
fn before_any_sync_the_phone_says_it_has_no_resource_map_in_both_languages() {
    let tmp = Folder::new();
    store(&tmp, false);
    let dir = tmp.path();
    let en = fails(dir, 1, &["--lang", "en", "resource", "list"]);
    assert!(
        en.contains("no resource map on this phone yet") && en.contains("sync"),
        "{en}"
    );
    let hi = fails(dir, 1, &["--lang", "hi", "resource", "list"]);
    assert!(hi.contains("अभी कोई संसाधन नक्शा नहीं है"), "{hi}");
    let refused = fails(
        dir,
        1,
        &[
            "refer",
            "a",
            "--resource",
            "r-school",
            "--need",
            "education",
        ],
    );
    assert!(refused.contains("no resource map"), "{refused}");
    // Nothing suggested, and nothing breaks, without a map.
    let today = ok(dir, &["--lang", "en", "today", "--date", "2026-10-05"]);
    assert!(today.contains("Puja Kumari"), "{today}");
    assert!(!today.contains("Suggested"), "{today}");
}

#[test]
fn resource_list_searches_the_held_map_in_both_languages() {
    let tmp = Folder::new();
    store(&tmp, true);
    let dir = tmp.path();

    let en = ok(
        dir,
        &["--lang", "en", "resource", "list", "--block", "Tekari"],
    );
    let lines: Vec<&str> = en.lines().collect();
    assert_eq!(lines.len(), 3, "the block's active resources: {en}");
    assert!(
        en.contains(
            "r-school  Government Middle School Tekari (School), Tekari block: 0000012345 — Admission help for returned children"
        ),
        "{en}"
    );
    assert!(
        !en.contains("Old middle school"),
        "inactive: only with --all"
    );
    let hi = ok(
        dir,
        &["--lang", "hi", "resource", "list", "--block", "Tekari"],
    );
    assert!(
        hi.contains("Government Middle School Tekari (विद्यालय), प्रखंड Tekari"),
        "{hi}"
    );
    assert!(hi.contains("PHC Tekari (स्वास्थ्य केंद्र)"), "{hi}");

    let all = ok(dir, &["--lang", "en", "resource", "list", "--all"]);
    assert!(
        all.lines()
            .any(|l| l.contains("Old middle school") && l.contains("no longer takes referrals")),
        "{all}"
    );
    let health = ok(dir, &["resource", "list", "--need", "health"]);
    assert_eq!(health.lines().count(), 1, "{health}");
    assert!(health.starts_with("r-phc"), "{health}");
    let text = ok(dir, &["resource", "list", "--text", "kgbv"]);
    assert!(text.starts_with("r-bridge"), "{text}");
    let kind = json(dir, &["resource", "list", "--kind", "school", "--all"]);
    let ids: Vec<&str> = kind
        .as_array()
        .expect("an array of resources")
        .iter()
        .map(|r| r["id"].as_str().expect("an id"))
        .collect();
    assert_eq!(ids, ["r-bodh", "r-school", "r-old"], "by block, then name");
    assert_eq!(kind[0]["kind"], "school");
    let none = ok(dir, &["--lang", "en", "resource", "list", "--text", "zzz"]);
    assert!(
        none.contains("no resource on this phone's map matches"),
        "{none}"
    );
    let bad = fails(dir, 2, &["resource", "list", "--kind", "bakery"]);
    assert!(bad.contains("bakery"), "{bad}");
}

#[test]
fn today_suggests_the_blocks_resources_under_a_need_that_calls_for_help() {
    let tmp = Folder::new();
    store(&tmp, true);
    let dir = tmp.path();
    let en = ok(dir, &["--lang", "en", "today", "--date", "2026-10-05"]);
    assert!(
        en.contains(
            "Suggested: Government Middle School Tekari (School, 0000012345); KGBV Tekari (Special education or bridge centre, 0000012345)"
        ),
        "{en}"
    );
    assert!(!en.contains("Bodh Gaya"), "another block's school: {en}");
    let hi = ok(dir, &["--lang", "hi", "today", "--date", "2026-10-05"]);
    assert!(
        hi.contains("सुझाव: Government Middle School Tekari (विद्यालय, 0000012345)"),
        "{hi}"
    );
}

#[test]
fn a_referral_through_the_command_line_from_refer_to_served() {
    let tmp = Folder::new();
    store(&tmp, true);
    let dir = tmp.path();

    let unknown = fails(
        dir,
        2,
        &[
            "--lang",
            "hi",
            "refer",
            "a",
            "--resource",
            "r-gone",
            "--need",
            "education",
        ],
    );
    assert!(unknown.contains("संसाधन नक्शे में नहीं है"), "{unknown}");
    for (lang, words) in [
        ("en", "Old middle school no longer takes referrals"),
        ("hi", "Old middle school अब रेफ़रल नहीं लेता"),
    ] {
        let inactive = fails(
            dir,
            2,
            &[
                "--lang",
                lang,
                "refer",
                "a",
                "--resource",
                "r-old",
                "--need",
                "education",
            ],
        );
        assert!(inactive.contains(words), "{lang}: {inactive}");
    }

    let out = ok(
        dir,
        &[
            "--lang",
            "en",
            "refer",
            "a",
            "--resource",
            "r-school",
            "--need",
            "education",
            "--note",
            "Admission in class 6",
            "--date",
            "2026-10-05",
        ],
    );
    assert!(
        out.contains("Puja Kumari referred to Government Middle School Tekari"),
        "{out}"
    );
    let referral = last_line(&out);
    assert_eq!(
        referral.len(),
        16,
        "the referral id on the last line: {out}"
    );

    // The school enrolment prompt waits while the referral is open: no suggestion either.
    let waiting = ok(dir, &["--lang", "en", "today", "--date", "2026-10-06"]);
    assert!(!waiting.contains("Suggested"), "{waiting}");

    // 14 days on, a follow-up.
    let prompts = json(dir, &["today", "--date", "2026-10-19"]);
    let follow_up = prompts
        .as_array()
        .expect("prompts")
        .iter()
        .find(|p| p["kind"] == "follow_up_referral")
        .unwrap_or_else(|| panic!("a follow-up: {prompts}"));
    assert_eq!(follow_up["subject"], referral.as_str());
    assert_eq!(follow_up["case_id"], "a");

    // A refusal with no note is refused by the shared rule, in either language.
    for (lang, words) in [
        ("en", "why it was refused must not be empty"),
        ("hi", "मना करने का कारण लिखना ज़रूरी है"),
    ] {
        let said = fails(
            dir,
            2,
            &[
                "--lang",
                lang,
                "referral",
                "update",
                "a",
                &referral,
                "--state",
                "refused",
                "--date",
                "2026-10-19",
            ],
        );
        assert!(said.contains(words), "{lang}: {said}");
    }
    // `referred` is where a referral starts, not a step: the shared rule says so, worded.
    let back = fails(
        dir,
        2,
        &[
            "--lang", "hi", "referral", "update", "a", &referral, "--state", "referred",
        ],
    );
    assert!(
        back.contains("रेफ़रल का नतीजा") && back.contains("ज़रूरी है"),
        "{back}"
    );
    let nowhere = fails(
        dir,
        2,
        &["referral", "update", "a", "ffff0000", "--state", "served"],
    );
    assert!(nowhere.contains("no referral"), "{nowhere}");

    let accepted = ok(
        dir,
        &[
            "referral",
            "update",
            "a",
            &referral[..6],
            "--state",
            "accepted",
            "--date",
            "2026-10-19",
        ],
    );
    assert_eq!(last_line(&accepted).len(), 16, "the step id: {accepted}");
    let served = ok(
        dir,
        &[
            "--lang",
            "hi",
            "referral",
            "update",
            "a",
            &referral,
            "--state",
            "served",
            "--date",
            "2026-10-25",
            "--note",
            "Enrolled in class 6",
        ],
    );
    assert!(served.contains("सेवा मिली"), "{served}");
    let prompts = json(dir, &["today", "--date", "2026-11-20"]);
    assert!(
        !prompts
            .as_array()
            .expect("prompts")
            .iter()
            .any(|p| p["kind"] == "follow_up_referral"),
        "served: no more follow-up: {prompts}"
    );

    let en = ok(
        dir,
        &["--lang", "en", "case", "show", "a", "--date", "2026-10-26"],
    );
    assert!(en.contains("referrals:"), "{en}");
    let line = en
        .lines()
        .find(|l| l.contains(&format!("referral {referral}")))
        .unwrap_or_else(|| panic!("the referral's line: {en}"));
    assert!(
        line.contains("Government Middle School Tekari (School)") && line.contains(": served"),
        "{line}"
    );
    assert!(
        line.contains("referred 5 Oct") && line.contains("accepted 19 Oct"),
        "{line}"
    );
    assert!(
        en.contains("Admission in class 6 / Enrolled in class 6"),
        "{en}"
    );
    // As of a day before it was served, it was accepted.
    let before = ok(
        dir,
        &["--lang", "en", "case", "show", "a", "--date", "2026-10-20"],
    );
    assert!(before.contains(": accepted"), "{before}");
    let hi = ok(
        dir,
        &["--lang", "hi", "case", "show", "a", "--date", "2026-10-26"],
    );
    assert!(hi.contains("रेफ़रल:"), "{hi}");
    assert!(hi.contains("(विद्यालय): सेवा मिली"), "{hi}");
    let shown = json(dir, &["case", "show", "a"]);
    let steps = &shown["case"]["referrals"][0]["steps"];
    assert_eq!(steps.as_array().map(Vec::len), Some(2), "{shown}");
    assert_eq!(steps[1]["state"], "served");
}
