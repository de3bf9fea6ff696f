//! The store through the library: encryption, PIN, migrations, atomic edits, materialised rows.

use std::fs;
use std::path::Path;

use homeward_field::attempts::Attempts;
use homeward_field::keystore::Keystore;
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
            summons_id: None,
            safety_checked: false,
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
    let tmp = crate::support::Folder::new();
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
    let store = crate::support::open(tmp.path(), PIN).expect("opens");
    assert_eq!(store.case("case-a").expect("case").child.name, name);
}

#[test]
fn a_wrong_pin_is_refused_and_touches_nothing() {
    let tmp = crate::support::Folder::new();
    let mut store = new_store(tmp.path());
    store
        .register(
            &profile("case-a", "Puja Kumari", "Rampur"),
            at("2026-09-02"),
        )
        .expect("registers");
    drop(store);
    let store_files = |dir: &Path| {
        let mut all = files(dir);
        all.retain(|(name, _)| name != homeward_field::attempts::FILE);
        all
    };
    let before = store_files(tmp.path());
    let err = crate::support::open(tmp.path(), "999990").expect_err("wrong PIN");
    assert!(matches!(err, FieldError::WrongPin { .. }), "{err}");
    assert!(err.to_string().contains("wrong PIN"), "{err}");
    assert_eq!(
        store_files(tmp.path()),
        before,
        "no file but the failure count was created or changed"
    );
    assert_eq!(
        Attempts::read(tmp.path()).failures,
        1,
        "the failure is counted"
    );
    assert!(crate::support::open(tmp.path(), PIN).is_ok());
    assert_eq!(
        Attempts::read(tmp.path()).failures,
        0,
        "the right PIN clears it"
    );
}

#[test]
fn changing_the_pin_rekeys_the_store() {
    let tmp = crate::support::Folder::new();
    let mut store = new_store(tmp.path());
    store
        .register(
            &profile("case-a", "Puja Kumari", "Rampur"),
            at("2026-09-02"),
        )
        .expect("registers");
    store.change_pin("135792").expect("rekeys");
    drop(store);
    assert!(
        matches!(
            crate::support::open(tmp.path(), PIN),
            Err(FieldError::WrongPin { .. })
        ),
        "the old PIN no longer opens it"
    );
    let store = crate::support::open(tmp.path(), "135792").expect("the new PIN opens it");
    assert_eq!(
        store.case("case-a").expect("case").child.name,
        "Puja Kumari"
    );
    let mut store = store;
    assert!(
        matches!(store.change_pin("12"), Err(FieldError::WeakPin(_))),
        "a short PIN is refused"
    );
    // The app asks for the old PIN before a change.
    assert!(store.pin_matches("135792").expect("checks"));
    assert!(!store.pin_matches(PIN).expect("checks"));
}

#[test]
fn a_second_connection_sees_and_makes_the_same_edits() {
    let tmp = crate::support::Folder::new();
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
    let tmp = crate::support::Folder::new();
    assert!(matches!(
        crate::support::open(tmp.path(), PIN),
        Err(FieldError::NotInitialised(_))
    ));
    drop(new_store(tmp.path()));
    assert!(matches!(
        Store::init(tmp.path(), &tmp.keystore(), PIN, &author()),
        Err(FieldError::AlreadyInitialised(_))
    ));
}

#[test]
fn migrations_run_once_and_a_store_from_a_newer_version_is_refused() {
    let tmp = crate::support::Folder::new();
    drop(new_store(tmp.path()));
    let store = crate::support::open(tmp.path(), PIN)
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
    let err = crate::support::open(tmp.path(), PIN).expect_err("newer store");
    assert!(err.to_string().contains("newer Homeward"), "{err}");
}

/// Opens the raw database with the PIN's key, bypassing the store (for the migration test).
fn rusqlite_open(dir: &Path) -> rusqlite::Connection {
    let device = homeward_field::key::DeviceFile::read(dir).expect("device file");
    let secret = crate::support::keystore_for(dir)
        .secret(&device.secret_id, dir)
        .expect("the device secret");
    let key = device.key(PIN, &secret).expect("key");
    let conn = rusqlite::Connection::open(dir.join("homeward.db")).expect("open");
    conn.execute_batch(&format!("PRAGMA key = \"x'{key}'\";"))
        .expect("key");
    conn
}

#[test]
fn an_edit_updates_the_document_and_every_materialised_table_together() {
    let tmp = crate::support::Folder::new();
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
    let tmp = crate::support::Folder::new();
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
    let tmp = crate::support::Folder::new();
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
    let tmp = crate::support::Folder::new();
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
        Err(FieldError::EditRefused(_) | FieldError::BadInput(_))
    ));
}

#[test]
fn an_import_carrying_another_devices_changes_is_refused_and_changes_nothing() {
    // Such changes reach the server only from the device that made them: merged here, every
    // later edit of the case would depend on them and be refused by the server.
    let (t1, t2) = (crate::support::Folder::new(), crate::support::Folder::new());
    let mut a = new_store(t1.path());
    let mut b = new_store(t2.path());
    a.register(
        &profile("case-a", "Puja Kumari", "Rampur"),
        at("2026-09-02"),
    )
    .expect("registers");
    let from_a = a.export("case-a").expect("export");
    let err = b.import(&from_a).expect_err("another device's case");
    assert!(
        err.is_bad_input() && err.to_string().contains("another device"),
        "the refusal says why: {err}"
    );
    assert!(err.to_string().contains("sync"), "and what to do: {err}");
    assert_eq!(b.counts().expect("counts"), (0, 0, 0), "nothing came in");
    assert_eq!(b.waiting().expect("waiting"), 0, "nothing to push");

    // Its own file comes back in harmlessly, also after more edits here.
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
    let (id, new) = a.import(&from_a).expect("its own changes");
    assert_eq!((id.as_str(), new), ("case-a", false));
    assert_eq!(a.case("case-a").expect("case").visits.len(), 1);
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
fn a_case_exported_here_and_imported_into_a_fresh_copy_is_journaled_to_be_pushed() {
    // The store's own export, read back after its case was dropped, must not leave later edits
    // depending on changes the journal no longer holds.
    let tmp = crate::support::Folder::new();
    let mut a = new_store(tmp.path());
    a.register(
        &profile("case-a", "Puja Kumari", "Rampur"),
        at("2026-09-02"),
    )
    .expect("registers");
    let file = a.export("case-a").expect("export");
    let conn = rusqlite_open(tmp.path());
    for sql in [
        "DELETE FROM prompts",
        "DELETE FROM visits",
        "DELETE FROM changes",
        "DELETE FROM case_docs",
        "DELETE FROM cases",
    ] {
        conn.execute(sql, []).expect("drop the case");
    }
    drop(conn);
    let (_, new) = a.import(&file).expect("own changes");
    assert!(new);
    assert_eq!(
        a.waiting().expect("waiting"),
        1,
        "the registration is pushed again"
    );
}

#[test]
fn the_case_list_filters_by_search_risk_and_block() {
    let tmp = crate::support::Folder::new();
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
    let tmp = crate::support::Folder::new();
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
    let tmp = crate::support::Folder::new();
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

#[test]
fn a_copy_of_the_data_folder_without_its_keystore_does_not_open_with_the_right_pin() {
    let tmp = crate::support::Folder::new();
    let mut store = new_store(tmp.path());
    store
        .register(
            &profile("case-a", "Puja Kumari", "Rampur"),
            at("2026-09-02"),
        )
        .expect("registers");
    drop(store);
    let device = homeward_field::key::DeviceFile::read(tmp.path()).expect("device file");
    let secret = tmp
        .keystore()
        .secret(&device.secret_id, tmp.path())
        .expect("the device secret");
    for (file, bytes) in files(tmp.path()) {
        assert!(
            !contains(&bytes, &secret)
                && !contains(&bytes, homeward_field::key::hex(&secret).as_bytes()),
            "{file} holds the device secret"
        );
    }
    // Someone copies every file of the data folder to another machine, without the keystore.
    let copy = crate::support::Folder::new();
    for (name, bytes) in files(tmp.path()) {
        fs::write(copy.path().join(name), bytes).expect("copied");
    }
    let err = crate::support::open(copy.path(), PIN).expect_err("no device secret there");
    assert!(matches!(err, FieldError::Keystore(_)), "{err}");
    assert!(
        err.to_string().contains("not in this keystore"),
        "the message says what is missing: {err}"
    );
    assert_eq!(
        Attempts::read(copy.path()).failures,
        0,
        "a missing secret is not counted as a wrong PIN"
    );
    let err = Store::open(copy.path(), &Keystore::SecretService, PIN).expect_err("other keystore");
    assert!(
        err.to_string().contains("'file' keystore"),
        "a keystore other than the store's is named: {err}"
    );
    assert!(
        crate::support::open(tmp.path(), PIN).is_ok(),
        "the device itself still opens"
    );
}

#[test]
fn wrong_pins_are_counted_across_restarts_and_make_the_next_try_wait() {
    let tmp = crate::support::Folder::new();
    drop(new_store(tmp.path()));
    let (dir, keystore) = (tmp.path(), tmp.keystore());
    let t0 = at("2026-11-28");
    let s = |secs: i64| t0 + chrono::Duration::seconds(secs);
    for i in 0..2 {
        let err = Store::open_at(dir, &keystore, "999990", s(i)).expect_err("wrong PIN");
        assert!(
            matches!(err, FieldError::WrongPin { wait: None, .. }),
            "two slips cost nothing: {err}"
        );
    }
    // Each open reads the count from the device, as a restarted app does.
    assert_eq!(Attempts::read(dir).failures, 2);
    let err = Store::open_at(dir, &keystore, "999990", s(2)).expect_err("third");
    assert_eq!(err.wait_seconds(), Some(30), "{err}");
    assert!(err.to_string().contains("try again in 30 seconds"), "{err}");
    // During the delay not even the right PIN is tried.
    let err = Store::open_at(dir, &keystore, PIN, s(12)).expect_err("waiting");
    assert!(matches!(err, FieldError::TryLater(20)), "{err}");
    assert!(err.to_string().contains("try again in 20 seconds"), "{err}");
    assert_eq!(
        Attempts::read(dir).failures,
        3,
        "a refused try is not a guess"
    );
    // Once it is over, a fourth wrong PIN doubles it.
    let err = Store::open_at(dir, &keystore, "999990", s(32)).expect_err("fourth");
    assert_eq!(err.wait_seconds(), Some(60), "{err}");
    // The right PIN after the wait opens the store and clears the count.
    Store::open_at(dir, &keystore, PIN, s(92)).expect("opens after the wait");
    assert_eq!(Attempts::read(dir), Attempts::default());
}

#[test]
fn a_programme_that_asks_erases_the_store_and_its_secret_after_that_many_wrong_pins() {
    let tmp = crate::support::Folder::new();
    let mut store = new_store(tmp.path());
    store
        .register(
            &profile("case-a", "Puja Kumari", "Rampur"),
            at("2026-09-02"),
        )
        .expect("registers");
    store
        .set_programme(
            homeward_shared::programme::Programme::from_toml("[unlock]\nwipe_after_failures = 5\n")
                .expect("programme"),
        )
        .expect("set");
    drop(store);
    let (dir, keystore) = (tmp.path(), tmp.keystore());
    let device = homeward_field::key::DeviceFile::read(dir).expect("device file");
    // Guesses two hours apart: past every delay.
    let t = |i: i64| at("2026-11-28") + chrono::Duration::hours(2 * i);
    for i in 0..4 {
        let err = Store::open_at(dir, &keystore, "999990", t(i)).expect_err("wrong");
        assert!(matches!(err, FieldError::WrongPin { .. }), "{err}");
    }
    assert!(Store::exists(dir), "four wrong PINs erase nothing");
    let err = Store::open_at(dir, &keystore, "999990", t(4)).expect_err("fifth");
    assert!(
        matches!(err, FieldError::Erased { failures: 5, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("erased"), "{err}");
    assert!(
        files(dir).is_empty(),
        "no file of the store is left: {:?}",
        files(dir)
    );
    assert!(
        keystore.secret(&device.secret_id, dir).is_err(),
        "the device secret is gone too"
    );
}

#[test]
fn with_the_default_programme_wrong_pins_never_erase_the_store() {
    let tmp = crate::support::Folder::new();
    drop(new_store(tmp.path()));
    let (dir, keystore) = (tmp.path(), tmp.keystore());
    let t = |i: i64| at("2026-11-28") + chrono::Duration::hours(2 * i);
    for i in 0..12 {
        assert!(Store::open_at(dir, &keystore, "999990", t(i)).is_err());
    }
    Store::open_at(dir, &keystore, PIN, t(12)).expect("still opens");
}

#[test]
fn a_new_store_refuses_a_short_or_trivial_pin_and_creates_nothing() {
    use homeward_field::key::PinProblem;
    let tmp = crate::support::Folder::new();
    for (pin, why) in [
        ("2468", PinProblem::TooShort),
        ("123456", PinProblem::Sequence),
        ("111111", PinProblem::OneDigit),
        ("121212", PinProblem::Pattern),
    ] {
        let err = Store::init(tmp.path(), &tmp.keystore(), pin, &author()).expect_err(pin);
        assert!(
            matches!(err, FieldError::WeakPin(p) if p == why),
            "{pin}: {err}"
        );
        assert_eq!(err.pin_problem(), Some(why.key()));
    }
    assert!(files(tmp.path()).is_empty(), "no store was created");
    assert!(
        !tmp.outer().join("keys").exists(),
        "no device secret was made for a refused PIN"
    );
    let mut store = new_store(tmp.path());
    let err = store.change_pin("987654").expect_err("trivial");
    assert!(err.to_string().contains("run of digits"), "{err}");
}

#[test]
fn a_version_1_store_is_refused_with_what_to_do() {
    let tmp = crate::support::Folder::new();
    fs::write(
        tmp.path().join("device.json"),
        r#"{"version":1,"salt":"00112233445566778899aabbccddeeff","m_kib":19456,"t":2,"p":1}"#,
    )
    .expect("v1 device file");
    fs::write(tmp.path().join("homeward.db"), b"old").expect("db");
    let err = crate::support::open(tmp.path(), "2468").expect_err("v1");
    assert!(
        err.is_bad_input()
            && err.to_string().contains("older Homeward")
            && err.to_string().contains("new enrolment code"),
        "{err}"
    );
}

/// The registration form offers the user's areas: their blocks, and for a whole district the
/// blocks of its cases; nothing before the first sync brought the areas.
#[test]
fn the_areas_a_child_may_be_registered_in_come_from_the_reference_data() {
    let tmp = crate::support::Folder::new();
    let mut store = new_store(tmp.path());
    assert_eq!(store.known_areas().expect("areas"), Vec::new());
    store
        .register(&profile("c1", "Rani Kumari", "Keshopur"), at("2026-09-02"))
        .expect("registers");
    let reference = homeward_shared::wire::Reference {
        server_keys: Vec::new(),
        urgent: Vec::new(),
        version: 1,
        user_id: "local".into(),
        user_name: "Fieldworker".into(),
        role: "fieldworker".into(),
        areas: vec![
            ("Nalanda".into(), "Rajgir".into()),
            ("Gaya".into(), String::new()),
            ("Nalanda".into(), "Giriak".into()),
        ],
        assigned: vec!["c1".into()],
        spot_checks: Vec::new(),
        sent_back: Vec::new(),
        programme: Default::default(),
        closures_pending: Vec::new(),
        resources: None,
    };
    store.set_reference(&reference).expect("stored");
    let areas = store.known_areas().expect("areas");
    let got: Vec<(&str, Vec<&str>, bool)> = areas
        .iter()
        .map(|a| {
            (
                a.district.as_str(),
                a.blocks.iter().map(String::as_str).collect(),
                a.whole_district,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("Gaya", vec!["Tekari"], true),
            ("Nalanda", vec!["Giriak", "Rajgir"], false),
        ]
    );
}

/// A refused edit comes back typed, so the app's screen and the command line word it in the
/// fieldworker's language (it used to come back as English text only).
#[test]
fn a_refused_edit_comes_back_as_the_documents_reason_to_be_worded_in_hindi() {
    use homeward_shared::edit::InvalidEdit;
    use homeward_shared::i18n::{Catalogue, Lang};
    use homeward_shared::schema::SchemaError;
    let tmp = tempfile::tempdir().expect("tmp");
    let mut store = new_store(tmp.path());
    store
        .register(&profile("abcd1111", "A", "V"), at("2026-09-02"))
        .expect("registered");
    let edit = Edit::RecordVisit {
        visit: NewVisit {
            id: "v-future".into(),
            date: "2099-01-01".parse().expect("date"),
            kind: VisitKind::FollowUp,
            met: None,
            note: None,
            next_steps: None,
            summons_id: None,
            safety_checked: false,
        },
        updates: Vec::new(),
    };
    let err = store
        .edit("abcd1111", &edit, at("2026-09-03"))
        .expect_err("a visit in 2099 is refused");
    assert!(err.is_bad_input());
    let refusal = err.refusal().expect("typed");
    assert!(
        matches!(refusal, SchemaError::Invalid(InvalidEdit::InFuture { .. })),
        "{refusal:?}"
    );
    let hi = homeward_shared::refusal::words(refusal, &Catalogue::new(Lang::Hi));
    assert!(hi.contains("1 जनवरी 2099"), "{hi}");
}
