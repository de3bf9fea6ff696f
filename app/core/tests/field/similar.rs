//! The likely duplicates of a child before registration: `Store::similar_children` over the
//! active cases, and the server's answer joined to them (`similar_here`, `DuplicateQuestion`).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use homeward_field::FieldError;
use homeward_field::similar::{ServerCheck, SimilarChildren};
use homeward_field::store::today;
use homeward_field::sync::{self, DUPLICATES_TIMEOUT, DuplicateQuestion, SyncOptions};
use homeward_shared::duplicates::{DuplicateAnswer, DuplicateQuery, Fact, Likeness};
use homeward_shared::edit::Edit;
use homeward_shared::model::CaseState;

use crate::support::{Folder, at, d, new_store, profile};
use crate::sync::{Fake, Reply, TOKEN, enrolled, enrolment, revoking_server, unsynced_visit};

#[test]
fn similar_children_are_found_among_the_active_cases_only() {
    let tmp = crate::support::Folder::new();
    let mut store = new_store(tmp.path());
    for (id, name, village) in [
        ("case-puja", "Puja Kumari", "Keshopur"),
        ("case-sister", "Rina Kumari", "Keshopur"),
        ("case-closed", "Puja Kumari", "Keshopur"),
        ("case-elsewhere", "Puja Kumari", "Madhopur"),
    ] {
        store
            .register(&profile(id, name, village), at("2026-09-02"))
            .expect("registers");
    }
    store
        .edit(
            "case-closed",
            &Edit::SetStatus {
                state: CaseState::Closed,
                reason: Some("registered twice".into()),
                since: d("2026-09-03"),
                closure: None,
            },
            at("2026-09-03"),
        )
        .expect("closes");

    // Puja again, in Devanagari, from the same village and with the same mother.
    let mut new = profile("case-new", "पूजा", "केशोपुर");
    new.child.caregiver = new.child.caregiver.map(|mut c| {
        c.name = "मीना देवी".into();
        c
    });
    let found = store
        .similar_children(&new, today())
        .expect("reads the cases");
    let ids: Vec<(&str, &[Fact])> = found
        .iter()
        .map(|l| (l.case_id.as_str(), l.matched.as_slice()))
        .collect();
    assert_eq!(
        ids,
        [
            (
                "case-puja",
                &[
                    Fact::Name,
                    Fact::District,
                    Fact::Age,
                    Fact::Village,
                    Fact::Caregiver
                ][..]
            ),
            (
                "case-elsewhere",
                &[Fact::Name, Fact::District, Fact::Age, Fact::Caregiver][..]
            ),
        ],
        "the active Pujas, the one of the same village first; not her sister Rina, not the closed case"
    );
    assert_eq!(
        (found[0].name.as_str(), found[0].village.as_str()),
        ("Puja Kumari", "Keshopur"),
        "enough for a screen to name the case"
    );

    let stranger = profile("case-other", "Sonu Manjhi", "Keshopur");
    assert_eq!(
        store
            .similar_children(&stranger, today())
            .expect("reads the cases"),
        [],
        "another child resembles no one"
    );
}

// Before a registration, an enrolled phone online also asks its server (`POST
// /api/v1/duplicates`); the fake server of `sync.rs` answers it.

/// A match as the server words it: a case of the user's areas followed by `followed_by`.
fn remote(case_id: &str, name: &str, followed_by: Option<&str>) -> Likeness {
    Likeness {
        case_id: case_id.into(),
        name: name.into(),
        matched_name: name.into(),
        village: "Keshopur".into(),
        district: "Gaya".into(),
        age: 11,
        matched: vec![Fact::Name, Fact::District, Fact::Age, Fact::Village],
        followed_by: followed_by.map(str::to_owned),
    }
}

/// A fake server that enrols, then answers the duplicate question with `reply`, keeping the
/// questions' bodies.
fn duplicates_server(
    reply: impl Fn() -> Reply + Send + 'static,
) -> (Fake, Arc<Mutex<Vec<Vec<u8>>>>) {
    let bodies: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let log = bodies.clone();
    let fake = Fake::start(move |path, body| match path {
        "/api/v1/enrol" => enrolment(),
        "/api/v1/duplicates" => {
            log.lock().expect("log").push(body.to_vec());
            reply()
        }
        _ => (404, vec![], vec![]),
    });
    (fake, bodies)
}

fn json_reply(answer: &DuplicateAnswer) -> Reply {
    (
        200,
        vec![("content-type".into(), "application/json".into())],
        serde_json::to_vec(answer).expect("serialises"),
    )
}

/// An enrolled store holding Puja (active) and an old closed case, and the profile of Puja
/// registered again, in Devanagari.
fn puja_again(store: &mut homeward_field::Store) -> homeward_shared::model::Profile {
    for id in ["case-puja", "case-closed-here"] {
        store
            .register(&profile(id, "Puja Kumari", "Keshopur"), at("2026-09-02"))
            .expect("registers");
    }
    store
        .edit(
            "case-closed-here",
            &Edit::SetStatus {
                state: CaseState::Closed,
                reason: Some("moved away".into()),
                since: d("2026-09-03"),
                closure: None,
            },
            at("2026-09-03"),
        )
        .expect("closes");
    profile("case-new", "पूजा कुमारी", "केशोपुर")
}

fn ask(
    store: &homeward_field::Store,
    new: &homeward_shared::model::Profile,
    timeout: Duration,
) -> SimilarChildren {
    let here = store.similar_here(new, today()).expect("reads the cases");
    let question = DuplicateQuestion::for_store(store, false)
        .expect("reads the store")
        .map(|q| q.with_timeout(timeout));
    here.with_server(question.map(|q| q.ask(new)))
}

/// The cases found on this phone, then elsewhere, with who follows each.
fn ids(found: &SimilarChildren) -> (Vec<&str>, Vec<(&str, Option<&str>)>) {
    (
        found.here.iter().map(|l| l.case_id.as_str()).collect(),
        found
            .elsewhere
            .iter()
            .map(|l| (l.case_id.as_str(), l.followed_by.as_deref()))
            .collect(),
    )
}

#[test]
fn the_servers_matches_follow_the_phones_own_without_the_cases_this_phone_holds() {
    let (server, bodies) = duplicates_server(|| {
        let mut matches = vec![
            remote("case-puja", "Puja Kumari", Some("Anita Kumari")),
            remote("case-closed-here", "Puja Kumari", None),
            remote("case-sunil", "Puja Kumari", Some("Sunil Manjhi")),
            remote("case-sunil", "Puja Kumari", Some("Sunil Manjhi")),
            remote("case-nobody", "Puja", None),
        ];
        // A server sending more than it should: the phone keeps the first five.
        matches.extend((0..4).map(|i| remote(&format!("case-extra-{i}"), "Puja", None)));
        json_reply(&DuplicateAnswer { matches })
    });
    let tmp = Folder::new();
    let mut store = enrolled(&tmp, &server);
    let new = puja_again(&mut store);

    let found = ask(&store, &new, DUPLICATES_TIMEOUT);
    assert_eq!(found.server, ServerCheck::Answered);
    assert_eq!(
        ids(&found),
        (
            vec!["case-puja"],
            vec![("case-sunil", Some("Sunil Manjhi")), ("case-nobody", None),]
        ),
        "this phone's own match (it opens here), then the server's cases that are not on this \
         phone, once each, each with who follows it; the cases held here (active or closed) \
         are not repeated from the server, and at most five of the server's are read"
    );

    let asked = server.requests();
    assert_eq!(
        asked.last(),
        Some(&(
            "/api/v1/duplicates".to_owned(),
            Some(format!("Bearer {TOKEN}"))
        )),
        "the question goes with the device token"
    );
    let body: DuplicateQuery =
        serde_json::from_slice(&bodies.lock().expect("log")[0]).expect("a DuplicateQuery");
    assert_eq!(
        body.profile, new,
        "the server is asked about the child being registered"
    );
}

#[test]
fn without_network_the_phones_own_matches_stand_and_say_so() {
    // The fake server answers the enrolment, then stops listening: no network.
    let server = Fake::start_for(1, |_, _| enrolment());
    let tmp = Folder::new();
    let mut store = enrolled(&tmp, &server);
    let new = puja_again(&mut store);
    let found = ask(&store, &new, DUPLICATES_TIMEOUT);
    assert_eq!(found.server, ServerCheck::Offline);
    assert_eq!(
        ids(&found),
        (vec!["case-puja"], vec![]),
        "the phone's own check stands"
    );
}

#[test]
fn a_server_that_does_not_answer_in_time_is_given_up() {
    let (server, _) = duplicates_server(|| {
        std::thread::sleep(Duration::from_secs(3));
        json_reply(&DuplicateAnswer {
            matches: vec![remote("case-late", "Puja", Some("Sunil Manjhi"))],
        })
    });
    let tmp = Folder::new();
    let mut store = enrolled(&tmp, &server);
    let new = puja_again(&mut store);
    let started = Instant::now();
    let found = ask(&store, &new, Duration::from_millis(500));
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the phone waits no longer than its limit: {:?}",
        started.elapsed()
    );
    assert_eq!(found.server, ServerCheck::Timeout);
    assert_eq!(
        ids(&found),
        (vec!["case-puja"], vec![]),
        "the late answer is not waited for"
    );
}

#[test]
fn a_server_error_or_refusal_leaves_the_phones_own_matches() {
    for (reply, want) in [
        ((503, vec![], b"busy".to_vec()), ServerCheck::Failed),
        ((500, vec![], b"oops".to_vec()), ServerCheck::Failed),
        ((200, vec![], b"{not json".to_vec()), ServerCheck::Failed),
        ((410, vec![], b"revoked".to_vec()), ServerCheck::Refused),
        ((401, vec![], b"bad token".to_vec()), ServerCheck::Refused),
    ] {
        let status = reply.0;
        let (server, _) = duplicates_server(move || reply.clone());
        let tmp = Folder::new();
        let mut store = enrolled(&tmp, &server);
        let new = puja_again(&mut store);
        let found = ask(&store, &new, DUPLICATES_TIMEOUT);
        assert_eq!(found.server, want, "answer {status}");
        assert_eq!(ids(&found), (vec!["case-puja"], vec![]), "answer {status}");
        assert_eq!(
            server
                .requests()
                .iter()
                .filter(|(p, _)| p == "/api/v1/duplicates")
                .count(),
            1,
            "asked once, never retried (answer {status})"
        );
    }
}

#[test]
fn an_unenrolled_or_revoked_phone_does_not_ask() {
    let tmp = Folder::new();
    let mut store = new_store(tmp.path());
    let new = puja_again(&mut store);
    assert!(
        DuplicateQuestion::for_store(&store, false)
            .expect("reads the store")
            .is_none(),
        "an unenrolled store has no server to ask"
    );
    let found = ask(&store, &new, DUPLICATES_TIMEOUT);
    assert_eq!(found.server, ServerCheck::NotEnrolled);
    assert_eq!(ids(&found), (vec!["case-puja"], vec![]));

    // A 410 the device cannot verify is no revocation: the phone keeps asking its server.
    let server = revoking_server();
    let tmp = Folder::new();
    let mut store = enrolled(&tmp, &server);
    unsynced_visit(&mut store);
    let err = sync::sync(&mut store, &SyncOptions::default(), &mut |_| {}).expect_err("410");
    assert!(matches!(err, FieldError::UnverifiedRevocation(_)), "{err}");
    assert!(
        DuplicateQuestion::for_store(&store, false)
            .expect("reads the store")
            .is_some(),
        "an unverified answer does not silence the phone"
    );
}

#[test]
fn a_case_the_supervisor_merged_arrives_closed_with_no_prompt_and_is_no_duplicate() {
    // The server holds the pair: the phone's Puja and her second registration, merged into
    // the first by the supervisor's dashboard device. The phone receives the merged one.
    let ctx = homeward_shared::edit::EditContext {
        author: homeward_shared::model::Author {
            user_id: "sup-1".into(),
            name: "Kavita Singh".into(),
        },
        at: at("2026-09-10"),
    };
    let mut twice = homeward_shared::schema::new_case(
        automerge::ActorId::from(b"dashboard-device".as_slice()),
        &profile("case-twice", "Puja Kumari", "Keshopur"),
        &ctx,
    )
    .expect("a case");
    homeward_shared::schema::merge::close_as_merged(&mut twice, "case-puja", d("2026-09-10"), &ctx)
        .expect("closes as merged");
    let doc = twice.save_nocompress();
    let server = Fake::start(move |path, body| {
        match path {
            "/api/v1/enrol" => return enrolment(),
            "/api/v1/duplicates" => return json_reply(&DuplicateAnswer { matches: vec![] }),
            _ => {}
        }
        let req = homeward_shared::wire::decode_request(body).expect("a sync request");
        let pushed: usize = req.push.iter().map(|p| p.changes.len()).sum();
        let resp = homeward_shared::wire::SyncResponse {
            bundled: None,
            stored: u32::try_from(pushed).expect("small"),
            documents: vec![homeward_shared::wire::Document {
                case_id: "case-twice".into(),
                doc: doc.clone(),
            }],
            changes: vec![],
            dropped: vec![],
            cursor: homeward_shared::wire::Cursor::Feed(1),
            more: false,
            reference: None,
            spot_check_results: vec![],
        };
        (200, vec![], homeward_shared::wire::encode(&resp))
    });
    let tmp = Folder::new();
    let mut store = enrolled(&tmp, &server);
    let new = puja_again(&mut store);
    sync::sync(&mut store, &SyncOptions::default(), &mut |_| {}).expect("syncs");

    let merged = store
        .case("case-twice")
        .expect("the merged case is on the phone");
    assert_eq!(merged.status.merged_into.as_deref(), Some("case-puja"));
    assert_eq!(merged.status.state, CaseState::Closed);
    let day = today();
    assert!(
        store
            .today(day)
            .expect("today")
            .iter()
            .all(|p| p.prompt.case_id != "case-twice"),
        "a merged case asks for nothing on Today: its visits are recorded on the kept case"
    );
    assert!(
        store
            .today(day)
            .expect("today")
            .iter()
            .any(|p| p.prompt.case_id == "case-puja"),
        "while the kept case still has its prompts (the check above can fail)"
    );
    assert_eq!(
        ids(&ask(&store, &new, DUPLICATES_TIMEOUT)).0,
        ["case-puja"],
        "the merged case is not offered as a duplicate"
    );
}
