//! The store through the library: encryption, PIN, migrations, atomic edits, materialised rows.

use std::fs;
use std::path::Path;

use homeward_field::store::CaseFilter;
use homeward_field::{FieldError, Store};
use homeward_shared::edit::{Edit, NeedUpdate, NewVisit};
use homeward_shared::model::{Caregiver, VisitKind};
use homeward_shared::need::{Dimension, Status};
use homeward_shared::prompt;

use crate::support::{PIN, at, author, d, new_store, profile};

fn visit(id: &str, day: &str, note: &str, updates: &[(Dimension, Status)]) -> Edit {
    Edit::RecordVisit {
        visit: NewVisit {
            id: id.into(),
            date: d(day),
            kind: VisitKind::FollowUp,
            met: Some("mother".into()),
            note: Some(note.into()),
            next_steps: None,
        },
        updates: updates
            .iter()
            .map(|(dim, st)| NeedUpdate {
                id: format!("{id}-{dim}"),
                dimension: *dim,
                status: *st,
                note: None,
            })
            .collect(),
    }
}

/// Every file in the folder, as (name, bytes).
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in fs::read_dir(dir).expect("readable folder") {
        let e = e.expect("entry");
        if e.file_type().expect("type").is_file() {
            out.push((
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).expect("readable file"),
            ));
        }
    }
    out.sort();
    out
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn no_file_in_the_data_folder_holds_personal_data_in_plain_text() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = new_store(tmp.path());
    let name = "Zorawar Qwertyson";
    store
        .register(&profile("case-a", name, "Xylophonepur"), at("2026-09-02"))
        .expect("registers");
    store
        .edit(
            "case-a",
            &visit("v1", "2026-09-03", "Quixotic jabberwocky note", &[]),
            at("2026-09-03"),
        )
        .expect("visit");
    let needles: [&[u8]; 4] = [b"Zorawar", b"Qwertyson", b"Xylophonepur", b"jabberwocky"];
    // While the store is open (the WAL file exists) and after it is closed.
    let check = |when: &str| {
        let all = files(tmp.path());
        assert!(
            all.iter().any(|(n, _)| n == "homeward.db"),
            "{when}: the database is there"
        );
        for (file, bytes) in &all {
            for n in needles {
                assert!(
                    !contains(bytes, n),
                    "{when}: {file} holds {:?} in plain text",
                    String::from_utf8_lossy(n)
                );
            }
        }
        all.len()
    };
    let open_files = check("open");
    assert!(
        open_files >= 3,
        "the WAL and shared-memory files were checked too"
    );
    drop(store);
    check("closed");
    // And the name is really in there: the store reads it back.
    let store = Store::open(tmp.path(), PIN).expect("opens");
    assert_eq!(store.case("case-a").expect("case").child.name, name);
}

#[test]
fn a_wrong_pin_is_refused_and_touches_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = new_store(tmp.path());
    store
        .register(
            &profile("case-a", "Puja Kumari", "Rampur"),
            at("2026-09-02"),
        )
        .expect("registers");
    drop(store);
    let before = files(tmp.path());
    let err = Store::open(tmp.path(), "9999").expect_err("wrong PIN");
    assert!(matches!(err, FieldError::WrongPin(_)), "{err}");
    assert!(err.to_string().contains("wrong PIN"), "{err}");
    assert_eq!(files(tmp.path()), before, "no file was created or changed");
    assert!(Store::open(tmp.path(), PIN).is_ok());
}

#[test]
fn changing_the_pin_rekeys_the_store() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = new_store(tmp.path());
    store
        .register(
            &profile("case-a", "Puja Kumari", "Rampur"),
            at("2026-09-02"),
        )
        .expect("registers");
    store.change_pin("1357").expect("rekeys");
    drop(store);
    assert!(
        matches!(Store::open(tmp.path(), PIN), Err(FieldError::WrongPin(_))),
        "the old PIN no longer opens it"
    );
    let store = Store::open(tmp.path(), "1357").expect("the new PIN opens it");
    assert_eq!(
        store.case("case-a").expect("case").child.name,
        "Puja Kumari"
    );
    let mut store = store;
    assert!(
        matches!(store.change_pin("12"), Err(FieldError::BadInput(_))),
        "a short PIN is refused"
    );
    // The app asks for the old PIN before a change.
    assert!(store.pin_matches("1357").expect("checks"));
    assert!(!store.pin_matches(PIN).expect("checks"));
}

#[test]
fn a_second_connection_sees_and_makes_the_same_edits() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = new_store(tmp.path());
    store
        .register(
            &profile("case-a", "Puja Kumari", "Rampur"),
            at("2026-09-02"),
        )
        .expect("registers");
    // The app syncs on a second connection while its screens keep using the first.
    let mut second = store.reopen().expect("reopens");
    assert_eq!(second.actor(), store.actor());
    second
        .edit(
            "case-a",
            &visit(
                "v1",
                "2026-09-03",
                "met the mother",
                &[(Dimension::Health, Status::Well)],
            ),
            at("2026-09-03"),
        )
        .expect("edits on the second");
    let view = store.case_view("case-a", d("2026-09-04")).expect("view");
    assert_eq!(view.case.visits.len(), 1, "the first connection sees it");
    assert_eq!(view.case.need(Dimension::Health).status, Status::Well);
    assert_eq!(
        view.next_visit.as_ref().map(|n| n.last_visit),
        Some(d("2026-09-03"))
    );
    assert!(view.prompts.iter().all(|p| p.case_id == "case-a"));
    assert!(view.conflicts.is_empty());
    assert_eq!(store.blocks().expect("blocks").len(), 1);
    assert!(store.verify().expect("verifies").is_empty());
    assert!(Store::exists(tmp.path()));
    assert!(!Store::exists(&tmp.path().join("nothing-here")));
}

#[test]
fn init_refuses_an_existing_store_and_open_refuses_an_empty_folder() {
    let tmp = tempfile::tempdir().expect("tempdir");
    assert!(matches!(
        Store::open(tmp.path(), PIN),
        Err(FieldError::NotInitialised(_))
    ));
    drop(new_store(tmp.path()));
    assert!(matches!(
        Store::init(tmp.path(), PIN, &author()),
        Err(FieldError::AlreadyInitialised(_))
    ));
}

#[test]
fn migrations_run_once_and_a_store_from_a_newer_version_is_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    drop(new_store(tmp.path()));
    let store = Store::open(tmp.path(), PIN)
        .expect("reopens: migrations already applied are not run again");
    drop(store);
    // Simulate a store written by a newer Homeward with one more migration.
    let conn = rusqlite_open(tmp.path());
    conn.execute(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, '0099_future', 'x')",
        [],
    )
    .expect("insert");
    drop(conn);
    let err = Store::open(tmp.path(), PIN).expect_err("newer store");
    assert!(err.to_string().contains("newer Homeward"), "{err}");
}

/// Opens the raw database with the PIN's key, bypassing the store (for the migration test).
fn rusqlite_open(dir: &Path) -> rusqlite::Connection {
    let device = homeward_field::key::DeviceFile::read(dir).expect("device file");
    let key = device.key(PIN).expect("key");
    let conn = rusqlite::Connection::open(dir.join("homeward.db")).expect("open");
    conn.execute_batch(&format!("PRAGMA key = \"x'{key}'\";"))
        .expect("key");
    conn
}

#[test]
fn an_edit_updates_the_document_and_every_materialised_table_together() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = new_store(tmp.path());
    store
        .register(
            &profile("case-a", "Puja Kumari", "Rampur"),
            at("2026-09-02"),
        )
        .expect("registers");
    store
        .edit(
            "case-a",
            &visit(
                "v1",
                "2026-09-03",
                "n",
                &[(Dimension::Education, Status::NotEnrolled)],
            ),
            at("2026-09-03"),
        )
        .expect("visit");
    let (cases, changes, visits) = store.counts().expect("counts");
    assert_eq!(
        (cases, changes, visits),
        (1, 2, 1),
        "registration and visit: two changes"
    );
    let row = &store.cases(&CaseFilter::default()).expect("list")[0];
    assert_eq!(row.last_visit.as_deref(), Some("2026-09-03"));
    let prompts = store.today(d("2026-09-04")).expect("today");
    assert!(
        prompts
            .iter()
            .any(|p| p.prompt.kind == prompt::PromptKind::SchoolEnrolment)
    );
    assert!(store.verify().expect("verifies").is_empty());
}

#[test]
fn a_refused_edit_changes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = new_store(tmp.path());
    store
        .register(
            &profile("case-a", "Puja Kumari", "Rampur"),
            at("2026-09-02"),
        )
        .expect("registers");
    let before = (
        store.counts().expect("counts"),
        store.case("case-a").expect("case"),
    );
    let bad = [
        visit("v1", "2026-12-03", "in the future", &[]),
        Edit::SetCaregiver(Caregiver {
            name: String::new(),
            relation: "x".into(),
            phone: None,
        }),
    ];
    for edit in &bad {
        let err = store
            .edit("case-a", edit, at("2026-09-03"))
            .expect_err("refused");
        assert!(err.is_bad_input(), "{err}");
    }
    assert!(matches!(
        store.edit("nope", &bad[0], at("2026-09-03")),
        Err(FieldError::UnknownCase(_))
    ));
    assert_eq!(
        (
            store.counts().expect("counts"),
            store.case("case-a").expect("case")
        ),
        before
    );
}

#[test]
fn todays_prompts_for_another_day_match_the_rules_applied_to_each_case() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = new_store(tmp.path());
    let load = homeward_shared::synth::caseload(homeward_shared::synth::Options {
        seed: 5,
        cases: 25,
        until: d("2026-11-27"),
        months: 12,
    });
    for c in &load.cases {
        store.add_synthetic(c).expect("adds");
    }
    for day in ["2026-11-27", "2026-12-15", "2026-11-27"] {
        let got: Vec<_> = store
            .today(d(day))
            .expect("today")
            .into_iter()
            .map(|p| p.prompt)
            .collect();
        let mut want = Vec::new();
        for c in &load.cases {
            let case = store.case(&c.profile.case_id).expect("case");
            want.extend(prompt::prompts(&case, d(day), store.programme()));
        }
        prompt::sort(&mut want);
        assert_eq!(got, want, "on {day} the prompts table equals the rules");
        assert!(!got.is_empty());
    }
    assert!(store.verify().expect("verifies").is_empty());
}

#[test]
fn a_case_id_prefix_resolves_when_unique() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = new_store(tmp.path());
    store
        .register(&profile("abcd1111", "A", "V"), at("2026-09-02"))
        .expect("a");
    store
        .register(&profile("abcd2222", "B", "V"), at("2026-09-02"))
        .expect("b");
    assert_eq!(store.resolve("abcd1").expect("unique"), "abcd1111");
    assert!(matches!(
        store.resolve("abcd"),
        Err(FieldError::AmbiguousCase(_, 2))
    ));
    assert!(
        matches!(store.resolve("abc"), Err(FieldError::UnknownCase(_))),
        "too short to be a prefix"
    );
    assert!(matches!(
        store.resolve("ffff"),
        Err(FieldError::UnknownCase(_))
    ));
    assert!(matches!(
        store.register(&profile("abcd1111", "C", "V"), at("2026-09-02")),
        Err(FieldError::BadInput(_))
    ));
}

#[test]
fn cases_edited_on_two_devices_merge_through_export_and_import() {
    let (t1, t2) = (
        tempfile::tempdir().expect("tempdir"),
        tempfile::tempdir().expect("tempdir"),
    );
    let mut a = new_store(t1.path());
    let mut b = new_store(t2.path());
    a.register(
        &profile("case-a", "Puja Kumari", "Rampur"),
        at("2026-09-02"),
    )
    .expect("registers");
    let (id, new) = b
        .import(&a.export("case-a").expect("export"))
        .expect("import");
    assert_eq!((id.as_str(), new), ("case-a", true));
    a.edit(
        "case-a",
        &visit(
            "va",
            "2026-09-05",
            "by a",
            &[(Dimension::Health, Status::Well)],
        ),
        at("2026-09-05"),
    )
    .expect("a");
    b.edit(
        "case-a",
        &visit(
            "vb",
            "2026-09-05",
            "by b",
            &[(Dimension::Health, Status::NeedsCare)],
        ),
        at("2026-09-05"),
    )
    .expect("b");
    let (_, new) = a
        .import(&b.export("case-a").expect("export"))
        .expect("merge");
    assert!(!new);
    let case = a.case("case-a").expect("case");
    let mut ids: Vec<_> = case.visits.iter().map(|v| v.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, ["va", "vb"], "both visits kept");
    let conflicts = a.conflicts("case-a").expect("conflicts");
    assert!(
        conflicts.iter().any(|c| c.path == "needs.health.status"),
        "{conflicts:?}"
    );
    assert_eq!(
        a.cases(&CaseFilter::default()).expect("list")[0].conflicts,
        1
    );
    assert!(a.verify().expect("verifies").is_empty());

    for junk in [&b"garbage"[..], &[]] {
        let err = a.import(junk).expect_err("junk");
        assert!(
            err.is_bad_input() && err.to_string().contains("not a Homeward case file"),
            "{err}"
        );
    }
}

#[test]
fn the_case_list_filters_by_search_risk_and_block() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = new_store(tmp.path());
    store
        .register(&profile("a", "Puja Kumari", "Rampur"), at("2026-09-02"))
        .expect("a");
    store
        .register(&profile("b", "Sonu Manjhi", "Keshoganj"), at("2026-09-02"))
        .expect("b");
    let search = |s: &str| {
        store
            .cases(&CaseFilter {
                search: Some(s.into()),
                ..CaseFilter::default()
            })
            .expect("list")
            .len()
    };
    assert_eq!(search("puja"), 1);
    assert_eq!(search("KESHO"), 1, "village, any case");
    assert_eq!(search("zzz"), 0);
    let by_block = store
        .cases(&CaseFilter {
            block: Some("Tekari".into()),
            ..CaseFilter::default()
        })
        .expect("list");
    assert_eq!(by_block.len(), 2);
    let high = store
        .cases(&CaseFilter {
            risk: Some("high".into()),
            ..CaseFilter::default()
        })
        .expect("list");
    assert_eq!(high.len(), 2, "unassessed cases are high risk");
}

#[test]
fn the_outbox_goes_up_in_bounded_pages_oldest_first() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = new_store(tmp.path());
    store
        .register(&profile("a", "Puja Kumari", "Rampur"), at("2026-09-02"))
        .expect("a");
    store
        .register(&profile("b", "Sonu Manjhi", "Keshoganj"), at("2026-09-02"))
        .expect("b");
    for i in 0..10 {
        let case = if i % 2 == 0 { "a" } else { "b" };
        store
            .edit(
                case,
                &visit(&format!("v{i}"), "2026-09-03", "a note of some length", &[]),
                at("2026-09-03"),
            )
            .expect("visit");
    }
    let all = store.outbox(usize::MAX).expect("outbox");
    assert_eq!(all.count, 12, "two registrations and ten visits");
    assert_eq!(store.waiting().expect("waiting"), 12);
    let page = store.outbox(2_000).expect("outbox");
    let bytes: usize = page
        .push
        .iter()
        .flat_map(|p| &p.changes)
        .map(Vec::len)
        .sum();
    assert!(
        page.count >= 1 && page.count < 12,
        "a page, not everything: {}",
        page.count
    );
    assert!(bytes <= 2_000, "{bytes} bytes");
    let first = &all.push[0].changes[0];
    assert_eq!(&page.push[0].changes[0], first, "oldest first");
    let one = store.outbox(1).expect("outbox");
    assert_eq!(one.count, 1, "at least one change, however small the page");
}

#[test]
fn a_new_programme_file_recomputes_the_prompts_kept_for_later_days() {
    use homeward_shared::programme::Programme;
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut store = new_store(tmp.path());
    store
        .register(&profile("a", "Puja Kumari", "Rampur"), at("2026-09-02"))
        .expect("a");
    let statuses = [
        (Dimension::Education, Status::EnrolledIrregular),
        (Dimension::Compensation, Status::Applied),
        (Dimension::Entitlements, Status::PartlyLinked),
        (Dimension::Livelihood, Status::InTraining),
        (Dimension::Legal, Status::CasePending),
        (Dimension::Health, Status::Counselling),
        (Dimension::Documents, Status::Partial),
    ];
    store
        .edit(
            "a",
            &visit("v1", "2026-09-03", "assessment", &statuses),
            at("2026-09-03"),
        )
        .expect("visit");
    let overdue = |store: &mut Store| {
        store
            .today(d("2026-09-10"))
            .expect("today")
            .iter()
            .any(|p| p.prompt.kind == prompt::PromptKind::VisitOverdue)
    };
    assert!(
        !overdue(&mut store),
        "medium risk: every 14 days, due on 17 September"
    );
    let fast = Programme::from_toml("[visits]\nhigh_days = 3\nmedium_days = 5\n").expect("valid");
    store.set_programme(fast).expect("set");
    assert!(
        overdue(&mut store),
        "every 5 days: overdue since 8 September, not the kept prompts"
    );
    store.set_programme(Programme::default()).expect("set");
    assert!(!overdue(&mut store), "back to the defaults");
}
