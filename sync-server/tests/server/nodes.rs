//! Several server nodes on one PostgreSQL database (issue 13): each node is a store of its own
//! on the same database, as two server processes are. Phones push through either node while a
//! supervisor's phone pulls through a third, and nothing is lost, doubled or skipped.
//!
//! PostgreSQL only: a SQLite file is served by exactly one server, whose one writing
//! connection takes every write in turn (README "Running at scale"). These tests fail, rather
//! than pass vacuously, without `HOMEWARD_TEST_POSTGRES`; `.ci/run` leaves them out of the
//! SQLite run by name (`postgres_`) and runs them in the PostgreSQL run.

use std::collections::HashSet;

use automerge::AutoCommit;
use homeward_shared::model::Author;
use homeward_shared::schema;
use homeward_shared::wire::{CasePush, Cursor, SyncRequest};
use homeward_sync_server::store::{DeviceAuth, Role, Store};

use super::open_store;

const CASES_PER_NODE: usize = 30;

fn request(cursor: Cursor, push: Vec<CasePush>) -> SyncRequest {
    SyncRequest {
        bundle_seen: 0,
        cursor,
        budget: 1024 * 1024,
        reference_version: 0,
        resources_version: 0,
        push,
        spot_check_outcomes: Vec::new(),
    }
}

/// Enrols a phone of `user` with `actor`.
fn phone(store: &mut Store, user: &str, actor: u8) -> DeviceAuth {
    let code = store.enrolment_code(user).expect("a code");
    let token = store
        .enrol(&code, &[actor; 16], "phone")
        .expect("enrols")
        .token;
    store.authenticate(&token).expect("authenticates")
}

/// A synthetic case of Tekari registered by `device`, with its changes as pushed.
fn case(device: &DeviceAuth, id: &str) -> CasePush {
    let load = homeward_shared::synth::caseload(homeward_shared::synth::Options {
        seed: 11,
        cases: 1,
        until: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
        months: 3,
    });
    let mut profile = load.cases[0].profile.clone();
    profile.case_id = id.to_owned();
    profile.child.address.district = "Gaya".into();
    profile.child.address.block = "Tekari".into();
    let ctx = homeward_shared::edit::EditContext {
        author: Author {
            user_id: device.user_id.clone(),
            name: device.user_name.clone(),
        },
        at: chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()),
    };
    let mut doc: AutoCommit = schema::new_case(
        automerge::ActorId::from(device.actor.as_slice()),
        &profile,
        &ctx,
    )
    .expect("registers");
    CasePush {
        case_id: id.to_owned(),
        changes: doc
            .get_changes(&[])
            .iter()
            .map(|c| c.raw_bytes().to_vec())
            .collect(),
    }
}

/// Two nodes take pushes at once while a third answers a supervisor's phone round after round:
/// every change stored reaches the supervisor exactly once. A feed numbered in the order
/// transactions began writing, not the order they committed, fails this: a reader that saw
/// position N while a row below N was still uncommitted never receives that row.
#[test]
fn postgres_two_nodes_take_pushes_at_once_and_a_reader_through_a_third_misses_and_doubles_nothing()
{
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("nodes.db");
    assert!(
        super::db_arg(&path).is_some(),
        "several nodes need PostgreSQL: set HOMEWARD_TEST_POSTGRES"
    );
    let mut first = open_store(&path).expect("node 1");
    let tekari = [("Gaya".to_owned(), "Tekari".to_owned())];
    let gaya = [("Gaya".to_owned(), String::new())];
    for (id, role, areas) in [
        ("anita", Role::Fieldworker, &tekari[..]),
        ("sunil", Role::Fieldworker, &tekari[..]),
        ("meera", Role::Supervisor, &gaya[..]),
    ] {
        first
            .add_user_with_id(Some(id), id, role, areas, None)
            .expect("a user");
    }
    let anita = phone(&mut first, "anita", 1);
    let sunil = phone(&mut first, "sunil", 2);
    let meera = phone(&mut first, "meera", 3);
    let second = open_store(&path).expect("node 2");
    let mut reader = open_store(&path).expect("node 3");
    let start = reader
        .sync(&meera, &request(Cursor::Start, Vec::new()))
        .expect("a first sync")
        .cursor;

    let (received, pushed) = std::thread::scope(|s| {
        let writers: Vec<_> = [(first, anita, "a"), (second, sunil, "s")]
            .into_iter()
            .map(|(mut node, device, prefix)| {
                s.spawn(move || {
                    let mut pushed = Vec::new();
                    for i in 0..CASES_PER_NODE {
                        let push = case(&device, &format!("case-{prefix}-{i:03}"));
                        pushed.extend(push.changes.iter().cloned());
                        let resp = node
                            .sync(&device, &request(Cursor::Start, vec![push]))
                            .expect("a push");
                        assert_eq!(resp.stored, 1, "the case is stored");
                    }
                    pushed
                })
            })
            .collect();
        let mut received: Vec<Vec<u8>> = Vec::new();
        let mut cursor = start;
        loop {
            // Finished or failed: a writer that panicked ends the loop too (its join says why).
            let finished = writers.iter().all(|w| w.is_finished());
            let resp = reader
                .sync(&meera, &request(cursor.clone(), Vec::new()))
                .expect("a pull");
            assert!(
                resp.documents.is_empty() && resp.dropped.is_empty(),
                "a supervisor's phone past its first sync receives changes only"
            );
            received.extend(resp.changes.into_iter().map(|c| c.bytes));
            cursor = resp.cursor;
            if finished && !resp.more {
                break;
            }
        }
        let pushed: Vec<Vec<u8>> = writers
            .into_iter()
            .flat_map(|w| w.join().expect("a writer"))
            .collect();
        (received, pushed)
    });

    let unique: HashSet<&Vec<u8>> = received.iter().collect();
    assert_eq!(unique.len(), received.len(), "no change received twice");
    let pushed: HashSet<&Vec<u8>> = pushed.iter().collect();
    let missing = pushed.difference(&unique).count();
    assert_eq!(missing, 0, "every stored change reaches the reader");
    assert_eq!(unique, pushed, "and nothing else");
    let stats = reader.stats().expect("stats");
    assert_eq!(
        stats.cases,
        i64::try_from(2 * CASES_PER_NODE).expect("fits")
    );
    assert_eq!(
        stats.feed_changes,
        i64::try_from(received.len()).expect("fits"),
        "one feed row per change"
    );
}
