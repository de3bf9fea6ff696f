//! The server's programme on the device (issue 12, section 3): received with the reference data
//! in a sync round, kept in the encrypted store, in force from that round on (prompts, risk, next
//! visit, the case list's rows), over any file given on the device.

use homeward_field::Store;
use homeward_field::store::{CaseFilter, Outbox, ProgrammeSource};
use homeward_shared::edit::{Edit, NeedUpdate, NewVisit};
use homeward_shared::model::VisitKind;
use homeward_shared::need::{Dimension, Status};
use homeward_shared::programme::Programme;
use homeward_shared::prompt::PromptKind;
use homeward_shared::wire::{Cursor, Reference, ServerProgramme, SyncResponse};

use crate::support::{at, d, new_store, profile};

/// A child assessed on 3 September with every need in progress: medium risk, a visit every 14
/// days by default (next on 17 September).
fn assessed(store: &mut Store) {
    store
        .register(&profile("a", "Puja Kumari", "Rampur"), at("2026-09-02"))
        .expect("registers");
    let statuses = [
        (Dimension::Education, Status::EnrolledIrregular),
        (Dimension::Compensation, Status::Applied),
        (Dimension::Entitlements, Status::PartlyLinked),
        (Dimension::Livelihood, Status::InTraining),
        (Dimension::Legal, Status::CasePending),
        (Dimension::Health, Status::Counselling),
        (Dimension::Documents, Status::Partial),
    ];
    let visit = Edit::RecordVisit {
        visit: NewVisit {
            id: "v1".into(),
            date: d("2026-09-03"),
            kind: VisitKind::InitialAssessment,
            met: Some("mother".into()),
            note: Some("assessment".into()),
            next_steps: None,
            summons_id: None,
            safety_checked: false,
        },
        updates: statuses
            .iter()
            .map(|(dim, st)| NeedUpdate {
                id: format!("v1-{dim}"),
                dimension: *dim,
                status: *st,
                note: None,
            })
            .collect(),
    };
    store.edit("a", &visit, at("2026-09-03")).expect("visit");
}

/// A sync round's answer that brings only reference data with the server's programme.
fn round_with(version: u64, toml: String) -> SyncResponse {
    SyncResponse {
        bundled: None,
        stored: 0,
        documents: Vec::new(),
        changes: Vec::new(),
        dropped: Vec::new(),
        cursor: Cursor::Feed(1),
        more: false,
        reference: Some(Reference {
            server_keys: Vec::new(),
            urgent: Vec::new(),
            version: 10 + version,
            user_id: "local".into(),
            user_name: "Anita Kumari".into(),
            role: "fieldworker".into(),
            areas: vec![("Gaya".into(), "Tekari".into())],
            assigned: vec!["a".into()],
            spot_checks: Vec::new(),
            sent_back: Vec::new(),
            programme: ServerProgramme { version, toml },
            closures_pending: Vec::new(),
            resources: None,
        }),
        spot_check_results: Vec::new(),
    }
}

fn whole(text: &str) -> String {
    Programme::from_toml(text).expect("valid").to_toml()
}

fn overdue_on(store: &mut Store, day: &str) -> bool {
    store
        .today(d(day))
        .expect("today")
        .iter()
        .any(|p| p.prompt.kind == PromptKind::VisitOverdue)
}

fn next_due_listed(store: &Store) -> Option<String> {
    store
        .cases(&CaseFilter::default())
        .expect("list")
        .into_iter()
        .find(|r| r.id == "a")
        .and_then(|r| r.next_due)
}

#[test]
fn the_servers_programme_from_a_sync_round_moves_next_visits_and_prompts_at_once() {
    let tmp = crate::support::Folder::new();
    let mut store = new_store(tmp.path());
    assessed(&mut store);
    assert_eq!(store.programme_source(), ProgrammeSource::Defaults);
    assert_eq!(next_due_listed(&store).as_deref(), Some("2026-09-17"));
    assert!(!overdue_on(&mut store, "2026-09-10"), "due on 17 September");

    store
        .apply_round(
            &Outbox::default(),
            &round_with(1, whole("[visits]\nhigh_days = 3\nmedium_days = 5\n")),
        )
        .expect("applies");
    assert_eq!(
        store.programme_source(),
        ProgrammeSource::Server { version: 1 }
    );
    assert_eq!(store.programme().visits.medium_days, 5);
    assert_eq!(
        next_due_listed(&store).as_deref(),
        Some("2026-09-08"),
        "the case list's row is recomputed in the round, not at the next listing"
    );
    assert!(
        overdue_on(&mut store, "2026-09-10"),
        "every 5 days: overdue since 8 September"
    );
    let view = store.case_view("a", d("2026-09-10")).expect("view");
    assert_eq!(
        view.next_visit.map(|n| n.due),
        Some(d("2026-09-08")),
        "the case screen follows too"
    );

    // Kept in the store: a new connection (the next command) computes with it.
    drop(store);
    let mut store = crate::support::open(tmp.path(), crate::support::PIN).expect("opens");
    assert_eq!(
        store.programme_source(),
        ProgrammeSource::Server { version: 1 }
    );
    assert!(overdue_on(&mut store, "2026-09-10"));
}

#[test]
fn once_the_servers_programme_is_received_a_file_given_on_the_device_is_not_used() {
    let tmp = crate::support::Folder::new();
    let mut store = new_store(tmp.path());
    assessed(&mut store);
    let local = Programme::from_toml("[visits]\nhigh_days = 3\nmedium_days = 5\n").expect("valid");
    assert_eq!(
        store.set_programme(local.clone()).expect("set"),
        ProgrammeSource::Local,
        "a device never synced uses its own file"
    );
    assert!(overdue_on(&mut store, "2026-09-10"));

    // The server's: the defaults (no programme set there), which the dashboard uses too.
    store
        .apply_round(
            &Outbox::default(),
            &round_with(0, Programme::default().to_toml()),
        )
        .expect("applies");
    assert_eq!(
        store.programme_source(),
        ProgrammeSource::Server { version: 0 }
    );
    assert!(
        !overdue_on(&mut store, "2026-09-10"),
        "the server's thresholds, not the file's"
    );
    assert_eq!(
        store.set_programme(local).expect("set"),
        ProgrammeSource::Server { version: 0 },
        "the file is not used, and the caller is told"
    );
    assert!(!overdue_on(&mut store, "2026-09-10"));
}

#[test]
fn a_programme_a_second_connection_synced_is_in_force_on_the_first() {
    let tmp = crate::support::Folder::new();
    let mut store = new_store(tmp.path());
    assessed(&mut store);
    assert!(!overdue_on(&mut store, "2026-09-10"));
    // The app syncs on a second connection while its screens use the first.
    let mut second = store.reopen().expect("reopens");
    second
        .apply_round(
            &Outbox::default(),
            &round_with(4, whole("[visits]\nhigh_days = 3\nmedium_days = 6\n")),
        )
        .expect("applies");
    assert!(
        overdue_on(&mut store, "2026-09-10"),
        "today's prompts on the first connection use the programme the second kept"
    );
    assert_eq!(
        store.programme_source(),
        ProgrammeSource::Server { version: 4 }
    );
}

#[test]
fn a_programme_this_app_cannot_read_is_not_taken_up_and_the_round_applies_all_the_same() {
    let tmp = crate::support::Folder::new();
    let mut store = new_store(tmp.path());
    assessed(&mut store);
    store
        .apply_round(
            &Outbox::default(),
            &round_with(1, whole("[visits]\nhigh_days = 3\nmedium_days = 5\n")),
        )
        .expect("applies");
    // A newer server's programme with a key this app does not know.
    let newer = format!(
        "{}\n[curfew]\nhours = 2\n",
        whole("[visits]\nhigh_days = 3\nmedium_days = 20\n")
    );
    store
        .apply_round(&Outbox::default(), &round_with(2, newer))
        .expect("the round applies");
    assert_eq!(
        store.programme_source(),
        ProgrammeSource::Server { version: 1 },
        "the programme in force before stays"
    );
    assert_eq!(store.programme().visits.medium_days, 5);
    let why = store.programme_refused().expect("reads").expect("says why");
    assert!(why.contains("version 2") && why.contains("curfew"), "{why}");
    let kept = store.reference().expect("reads").expect("kept");
    assert_eq!(
        kept.user_name, "Anita Kumari",
        "the rest of the round applied"
    );
    assert_eq!(
        kept.version, 0,
        "asked again at every round, so an updated app takes it up"
    );
    // The next version it can read clears the refusal.
    store
        .apply_round(
            &Outbox::default(),
            &round_with(3, whole("[visits]\nhigh_days = 3\nmedium_days = 7\n")),
        )
        .expect("applies");
    assert_eq!(store.programme().visits.medium_days, 7);
    assert_eq!(store.programme_refused().expect("reads"), None);
}
