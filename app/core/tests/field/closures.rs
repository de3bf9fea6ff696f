//! A closure waits for the Core Team's review on the phone (issue 12, section 2, "Reviews"):
//! the case view's `closure_pending` follows the server's reference data (kept with the rest of
//! it in the store), and `case show` says it.

use homeward_field::Store;
use homeward_field::store::Outbox;
use homeward_shared::edit::Edit;
use homeward_shared::model::{CaseState, ClosureReason};
use homeward_shared::wire::{Cursor, Reference, SyncResponse};

use crate::support::{at, d, new_store, ok, profile};

/// A sync round's answer that brings only reference data, naming `pending` as closures no
/// review has decided.
fn round_with(version: u64, pending: &[&str]) -> SyncResponse {
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
            version,
            user_id: "local".into(),
            user_name: "Anita Kumari".into(),
            role: "fieldworker".into(),
            areas: vec![("Gaya".into(), "Tekari".into())],
            assigned: vec!["a".into(), "b".into()],
            spot_checks: Vec::new(),
            sent_back: Vec::new(),
            programme: Default::default(),
            closures_pending: pending.iter().map(|s| (*s).to_owned()).collect(),
            resources: None,
        }),
        spot_check_results: Vec::new(),
    }
}

fn set_status(store: &mut Store, id: &str, state: CaseState, day: &str) {
    let edit = Edit::SetStatus {
        state,
        reason: Some("The family is settled; she attends school.".into()),
        since: d(day),
        closure: Some(ClosureReason::FollowUpEnded),
    };
    store.edit(id, &edit, at(day)).expect("status");
}

fn pending(store: &Store, id: &str) -> bool {
    store
        .case_view(id, d("2026-11-25"))
        .expect("view")
        .closure_pending
}

#[test]
fn the_closure_pending_flag_follows_the_reference_data() {
    let tmp = crate::support::Folder::new();
    let mut store = new_store(tmp.path());
    for (id, name) in [("a", "Puja Kumari"), ("b", "Rani Kumari")] {
        store
            .register(&profile(id, name, "Rampur"), at("2026-09-02"))
            .expect("registers");
    }
    set_status(&mut store, "a", CaseState::Closed, "2026-11-20");
    assert!(!pending(&store, "a"), "no reference data yet: nothing said");

    // The round that took the closure to the server brings it back as pending.
    store
        .apply_round(&Outbox::default(), &round_with(5, &["a"]))
        .expect("applies");
    assert!(pending(&store, "a"));
    assert!(!pending(&store, "b"), "an open case waits for nothing");

    // Kept in the store: the next command (a new connection) still says it.
    drop(store);
    let store = crate::support::open(tmp.path(), crate::support::PIN).expect("opens");
    assert!(pending(&store, "a"));
    let mut store = store;

    // Reopened here before the server heard of it: no longer closed, so nothing waits.
    set_status(&mut store, "a", CaseState::Active, "2026-11-22");
    assert!(!pending(&store, "a"));
    set_status(&mut store, "a", CaseState::Closed, "2026-11-23");
    assert!(
        pending(&store, "a"),
        "closed again, the server not told otherwise"
    );

    // Approved: the next reference data no longer names it.
    store
        .apply_round(&Outbox::default(), &round_with(6, &[]))
        .expect("applies");
    assert!(!pending(&store, "a"));
}

#[test]
fn case_show_says_a_closure_waits_for_the_core_team_in_both_languages() {
    let tmp = crate::support::Folder::new();
    let dir = tmp.path();
    let mut store = new_store(dir);
    store
        .register(&profile("a", "Puja Kumari", "Rampur"), at("2026-09-02"))
        .expect("registers");
    set_status(&mut store, "a", CaseState::Closed, "2026-11-20");
    store
        .apply_round(&Outbox::default(), &round_with(5, &["a"]))
        .expect("applies");
    drop(store);
    let en = ok(dir, &["--lang", "en", "case", "show", "a"]);
    assert!(
        en.contains("Closed — waiting for the Core Team's review"),
        "{en}"
    );
    let hi = ok(dir, &["--lang", "hi", "case", "show", "a"]);
    assert!(hi.contains("बंद — कोर टीम की समीक्षा का इंतज़ार"), "{hi}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(dir, &["--json", "case", "show", "a"])).expect("json");
    assert_eq!(json["closure_pending"], true);

    let mut store = crate::support::open(dir, crate::support::PIN).expect("opens");
    store
        .apply_round(&Outbox::default(), &round_with(6, &[]))
        .expect("applies");
    drop(store);
    let en = ok(dir, &["--lang", "en", "case", "show", "a"]);
    assert!(!en.contains("waiting for the Core Team"), "approved: {en}");
    assert!(en.contains("status closed"), "{en}");
}
