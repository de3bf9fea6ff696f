//! A closure waits for the Core Team's review on the phone too (issue 12, section 2,
//! "Reviews"): the reference data a fieldworker receives names their cases closed with no
//! review yet, and moves when a closure is pushed and when a review decides it.

use super::open_store;
use automerge::{AutoCommit, ChangeHash};
use homeward_shared::edit::{Edit, EditContext};
use homeward_shared::model::{Author, CaseState, ClosureReason};
use homeward_shared::schema;
use homeward_shared::wire::{CasePush, Cursor, Reference, SyncRequest};
use homeward_sync_server::store::{Decision, Role, Store, Subject, WebUser};

/// A store with a fieldworker of Tekari (Gaya), her enrolled phone's token, and the
/// district's supervisor.
fn store() -> (tempfile::TempDir, Store, String, WebUser) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = open_store(&tmp.path().join("s.db")).expect("opens");
    let gaya = [("Gaya".to_owned(), String::new())];
    store
        .add_user_with_id(
            Some("anita"),
            "Anita Kumari",
            Role::Fieldworker,
            &[("Gaya".into(), "Tekari".into())],
            None,
        )
        .expect("adds");
    store
        .add_user_with_id(Some("meera"), "Meera Singh", Role::Supervisor, &gaya, None)
        .expect("adds");
    let code = store.enrolment_code("anita").expect("code");
    let token = store.enrol(&code, &[7; 16], "phone").expect("enrols").token;
    let meera = WebUser {
        id: "meera".into(),
        name: "Meera Singh".into(),
        role: Role::Supervisor,
        areas: gaya.to_vec(),
    };
    (tmp, store, token, meera)
}

fn ctx() -> EditContext {
    EditContext {
        author: Author {
            user_id: "anita".into(),
            name: "Anita Kumari".into(),
        },
        at: chrono::DateTime::parse_from_rfc3339("2026-11-28T10:00:00Z")
            .expect("time")
            .to_utc(),
    }
}

/// A synthetic child registered in Tekari on the phone (actor 7).
fn register(case_id: &str) -> AutoCommit {
    let load = homeward_shared::synth::caseload(homeward_shared::synth::Options {
        seed: 5,
        cases: 1,
        until: chrono::NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
        months: 6,
    });
    let mut profile = load.cases[0].profile.clone();
    profile.case_id = case_id.to_owned();
    profile.child.address.district = "Gaya".into();
    profile.child.address.block = "Tekari".into();
    schema::new_case(automerge::ActorId::from(&[7; 16][..]), &profile, &ctx()).expect("registers")
}

fn set_status(doc: &mut AutoCommit, state: CaseState, day: &str) {
    let edit = Edit::SetStatus {
        state,
        reason: Some("The family is settled; the girl attends school.".into()),
        since: day.parse().expect("date"),
        closure: Some(ClosureReason::FollowUpEnded),
    };
    schema::apply(doc, &edit, &ctx()).expect("status");
}

/// One sync round of the phone holding `version` of the reference data, pushing what `doc`
/// holds after `since`; the reference data it receives, if it moved.
fn round(
    store: &mut Store,
    token: &str,
    version: u64,
    push: Option<(&str, &AutoCommit, &[ChangeHash])>,
) -> Option<Reference> {
    let device = store.authenticate(token).expect("a device");
    let push = push
        .map(|(case_id, doc, since)| {
            vec![CasePush {
                case_id: case_id.to_owned(),
                changes: doc
                    .clone()
                    .get_changes(since)
                    .iter()
                    .map(|c| c.raw_bytes().to_vec())
                    .collect(),
            }]
        })
        .unwrap_or_default();
    store
        .sync(
            &device,
            &SyncRequest {
                bundle_seen: 0,
                cursor: Cursor::Start,
                budget: 64 * 1024,
                reference_version: version,
                resources_version: 0,
                push,
                spot_check_outcomes: Vec::new(),
            },
        )
        .expect("a round")
        .reference
}

fn closure_ref(store: &Store, supervisor: &WebUser, case_id: &str) -> String {
    store
        .review_queue(supervisor)
        .expect("queue")
        .into_iter()
        .find(|i| i.case_id == case_id && i.subject == Subject::Closure)
        .expect("the closure waits for review")
        .subject_ref
}

#[test]
fn a_pushed_closure_is_pending_on_the_phone_until_approved_and_a_send_back_stays_a_send_back() {
    let (_tmp, mut store, token, meera) = store();
    let mut doc = register("c-1");
    let first = round(&mut store, &token, 0, Some(("c-1", &doc, &[]))).expect("reference");
    assert_eq!(first.assigned, vec!["c-1".to_owned()]);
    assert!(
        first.closures_pending.is_empty(),
        "an open case waits for nothing"
    );
    assert!(
        round(&mut store, &token, first.version, None).is_none(),
        "idle"
    );

    // The closure pushed: the same round brings it back as pending.
    let heads = doc.get_heads();
    set_status(&mut doc, CaseState::Closed, "2026-11-20");
    let closed = round(
        &mut store,
        &token,
        first.version,
        Some(("c-1", &doc, &heads)),
    )
    .expect("the reference moved with the closure");
    assert_eq!(closed.closures_pending, vec!["c-1".to_owned()]);
    assert!(closed.sent_back.is_empty());

    // Approved on the dashboard: gone at the next sync.
    let subject = closure_ref(&store, &meera, "c-1");
    store
        .review(
            &meera,
            "c-1",
            Subject::Closure,
            &subject,
            Decision::Approved,
            "",
        )
        .expect("approved");
    let approved = round(&mut store, &token, closed.version, None)
        .expect("the reference moved with the review");
    assert!(approved.closures_pending.is_empty(), "{approved:?}");
    assert!(approved.sent_back.is_empty());

    // Reopened and closed again on another day: a new closure, pending again.
    let heads = doc.get_heads();
    set_status(&mut doc, CaseState::Active, "2026-11-22");
    let reopened = round(
        &mut store,
        &token,
        approved.version,
        Some(("c-1", &doc, &heads)),
    )
    .expect("the reference moved with the reopening");
    assert!(reopened.closures_pending.is_empty());
    let heads = doc.get_heads();
    set_status(&mut doc, CaseState::Closed, "2026-11-25");
    let again = round(
        &mut store,
        &token,
        reopened.version,
        Some(("c-1", &doc, &heads)),
    )
    .expect("the reference moved with the closure");
    assert_eq!(again.closures_pending, vec!["c-1".to_owned()]);

    // Sent back: no longer waiting for the Core Team, a send-back for the fieldworker.
    let subject = closure_ref(&store, &meera, "c-1");
    assert_eq!(subject, "closed:2026-11-25");
    store
        .review(
            &meera,
            "c-1",
            Subject::Closure,
            &subject,
            Decision::SentBack,
            "The school has no record of her: visit the school first.",
        )
        .expect("sent back");
    let sent = round(&mut store, &token, again.version, None)
        .expect("the reference moved with the review");
    assert!(sent.closures_pending.is_empty(), "{sent:?}");
    assert_eq!(sent.sent_back.len(), 1);
    assert_eq!(
        (
            sent.sent_back[0].case_id.as_str(),
            sent.sent_back[0].subject.as_str()
        ),
        ("c-1", "closure")
    );
}

/// A change that leaves the closure as it was (a note, a visit) moves no reference version.
#[test]
fn a_change_that_leaves_the_closure_alone_moves_no_reference_version() {
    let (_tmp, mut store, token, _) = store();
    let mut doc = register("c-2");
    let first = round(&mut store, &token, 0, Some(("c-2", &doc, &[]))).expect("reference");
    let heads = doc.get_heads();
    let edit = Edit::SetStatus {
        state: CaseState::Active,
        reason: Some("still followed".into()),
        since: "2026-11-21".parse().expect("date"),
        closure: None,
    };
    schema::apply(&mut doc, &edit, &ctx()).expect("status");
    assert!(
        round(
            &mut store,
            &token,
            first.version,
            Some(("c-2", &doc, &heads))
        )
        .is_none(),
        "an open case stays open: nothing new for the phone"
    );
}
