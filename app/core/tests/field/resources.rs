//! The resource map and referrals on the device (issue 17, section 4): the map kept from the
//! reference data of a sync round (apart from the rest of it, kept when the next round sends
//! none, replaced when it sends another), its version in the next request, the offline search
//! and the block's suggestions, and referrals made offline through the ordinary edit path.

use std::sync::{Arc, Mutex};

use homeward_field::store::Outbox;
use homeward_field::sync::{self, SyncOptions};
use homeward_field::{FieldError, Store};
use homeward_shared::edit::{Edit, NeedUpdate, NewVisit};
use homeward_shared::model::{ReferralState, Sex, VisitKind};
use homeward_shared::need::{Dimension, Status};
use homeward_shared::prompt::PromptKind;
use homeward_shared::resource::{Resource, ResourceKind, ResourceQuery};
use homeward_shared::wire::{Cursor, Reference, ResourceMap, SyncResponse};

use crate::support::{Folder, PIN, at, d, new_store, open, profile};
use crate::sync::{Fake, enrolled, enrolment};

fn resource(id: &str, block: &str, kind: ResourceKind, name: &str) -> Resource {
    Resource {
        id: id.into(),
        district: "Gaya".into(),
        block: block.into(),
        kind,
        name: name.into(),
        address: Some("Near the block office".into()),
        contact: Some("0000012345".into()),
        offers: Some("Admission help for returned children".into()),
        min_age: None,
        max_age: None,
        sex: None,
        active: true,
    }
}

/// Tekari's school, a bridge centre for girls of 10 to 14, an inactive school, a health centre,
/// and a school of another block.
pub(crate) fn map() -> Vec<Resource> {
    let mut bridge = resource(
        "r-bridge",
        "Tekari",
        ResourceKind::SpecialEducation,
        "KGBV Tekari",
    );
    bridge.sex = Some(Sex::Female);
    bridge.min_age = Some(10);
    bridge.max_age = Some(14);
    let mut closed = resource("r-old", "Tekari", ResourceKind::School, "Old middle school");
    closed.active = false;
    vec![
        resource(
            "r-school",
            "Tekari",
            ResourceKind::School,
            "Government Middle School Tekari",
        ),
        bridge,
        closed,
        resource("r-phc", "Tekari", ResourceKind::Health, "PHC Tekari"),
        resource(
            "r-bodh",
            "Bodh Gaya",
            ResourceKind::School,
            "Middle School Bodh Gaya",
        ),
    ]
}

pub(crate) fn reference(version: u64, resources: Option<ResourceMap>) -> Reference {
    Reference {
        server_keys: Vec::new(),
        urgent: Vec::new(),
        version,
        user_id: "local".into(),
        user_name: "Anita Kumari".into(),
        role: "fieldworker".into(),
        areas: vec![("Gaya".into(), "Tekari".into())],
        assigned: vec!["a".into()],
        spot_checks: Vec::new(),
        sent_back: Vec::new(),
        programme: Default::default(),
        closures_pending: Vec::new(),
        resources,
    }
}

/// A sync round's answer that brings only reference data.
fn round_with(version: u64, resources: Option<ResourceMap>) -> SyncResponse {
    SyncResponse {
        bundled: None,
        stored: 0,
        documents: Vec::new(),
        changes: Vec::new(),
        dropped: Vec::new(),
        cursor: Cursor::Feed(1),
        more: false,
        reference: Some(reference(version, resources)),
        spot_check_results: Vec::new(),
    }
}

fn ids(resources: &[Resource]) -> Vec<&str> {
    resources.iter().map(|r| r.id.as_str()).collect()
}

/// Puja (11, Tekari) out of school since her assessment on 3 October.
pub(crate) fn out_of_school(store: &mut Store) {
    store
        .register(&profile("a", "Puja Kumari", "Rampur"), at("2026-09-02"))
        .expect("registers");
    let visit = Edit::RecordVisit {
        visit: NewVisit {
            id: "v1".into(),
            date: d("2026-10-03"),
            kind: VisitKind::InitialAssessment,
            met: Some("mother".into()),
            note: None,
            next_steps: None,
            summons_id: None,
            safety_checked: false,
        },
        updates: vec![NeedUpdate {
            id: "v1-education".into(),
            dimension: Dimension::Education,
            status: Status::NotEnrolled,
            note: None,
        }],
    };
    store.edit("a", &visit, at("2026-10-03")).expect("visit");
}

#[test]
fn the_map_is_kept_from_a_round_kept_when_the_next_sends_none_and_replaced_when_it_sends_one() {
    let tmp = Folder::new();
    let mut store = new_store(tmp.path());
    assert!(store.resource_map().expect("reads").is_none());
    assert!(store.resources().expect("reads").is_empty());
    assert_eq!(store.resources_version().expect("reads"), 0, "none held");

    let first = ResourceMap::new(map());
    store
        .apply_round(&Outbox::default(), &round_with(3, Some(first.clone())))
        .expect("applies");
    assert_eq!(store.resources().expect("reads"), map());
    assert_eq!(store.resources_version().expect("reads"), first.version);
    let kept = store.reference().expect("reads").expect("a reference");
    assert_eq!(kept.version, 3);
    assert!(
        kept.resources.is_none(),
        "the reference is kept without the map"
    );

    // The next reference says nothing of the map: the one held stays.
    store
        .apply_round(&Outbox::default(), &round_with(4, None))
        .expect("applies");
    assert_eq!(store.resources().expect("reads"), map());
    assert_eq!(store.resources_version().expect("reads"), first.version);
    assert_eq!(store.reference().expect("reads").expect("kept").version, 4);

    // A new map replaces it whole.
    let second = ResourceMap::new(map().into_iter().skip(3).collect());
    assert_ne!(second.version, first.version);
    store
        .apply_round(&Outbox::default(), &round_with(5, Some(second.clone())))
        .expect("applies");
    assert_eq!(ids(&store.resources().expect("reads")), ["r-phc", "r-bodh"]);
    assert_eq!(store.resources_version().expect("reads"), second.version);

    // A test standing in for the server with set_reference keeps it the same way.
    store
        .set_reference(&reference(6, Some(first.clone())))
        .expect("sets");
    assert_eq!(store.resources_version().expect("reads"), first.version);
    store.set_reference(&reference(7, None)).expect("sets");
    assert_eq!(store.resources().expect("reads"), map());
    assert!(
        store
            .reference()
            .expect("reads")
            .expect("kept")
            .resources
            .is_none()
    );

    // Kept in the encrypted store: a new connection reads the same map.
    drop(store);
    let store = open(tmp.path(), PIN).expect("opens");
    assert_eq!(store.resources().expect("reads"), map());
    assert_eq!(store.resources_version().expect("reads"), first.version);
}

#[test]
fn the_next_sync_request_says_which_map_is_held() {
    let tmp = Folder::new();
    let sent = Arc::new(Mutex::new(Vec::<u64>::new()));
    let log = sent.clone();
    let held = ResourceMap::new(map());
    let version = held.version;
    let server = Fake::start(move |path, body| {
        if path == "/api/v1/enrol" {
            return enrolment();
        }
        let req = homeward_shared::wire::decode_request(body).expect("a sync request");
        let mut log = log.lock().expect("log");
        log.push(req.resources_version);
        // The first sync's first round sends the map; every later round keeps it.
        let resources = (req.resources_version != held.version).then(|| held.clone());
        let resp = SyncResponse {
            more: log.len() == 1,
            ..round_with(1, resources)
        };
        (200, vec![], homeward_shared::wire::encode(&resp))
    });
    let mut store = enrolled(&tmp, &server);
    sync::sync(&mut store, &SyncOptions::default(), &mut |_| {}).expect("syncs");
    sync::sync(&mut store, &SyncOptions::default(), &mut |_| {}).expect("syncs again");
    assert_eq!(*sent.lock().expect("log"), [0, version, version]);
    assert_eq!(store.resources().expect("reads"), map());
}

#[test]
fn the_held_map_is_searched_and_suggests_the_blocks_resources_for_a_need() {
    let tmp = Folder::new();
    let mut store = new_store(tmp.path());
    out_of_school(&mut store);
    store
        .set_reference(&reference(1, Some(ResourceMap::new(map()))))
        .expect("sets");

    let schools = ResourceQuery {
        block: Some("tekari".into()),
        need: Some(Dimension::Education),
        ..ResourceQuery::default()
    };
    assert_eq!(
        ids(&store.search_resources(&schools).expect("searches")),
        ["r-bridge", "r-school"],
        "active ones of the block that answer the need, by kind then name"
    );
    let all = ResourceQuery {
        include_inactive: true,
        ..schools
    };
    assert_eq!(
        ids(&store.search_resources(&all).expect("searches")),
        ["r-bridge", "r-school", "r-old"],
        "by kind (the bridge centre before the schools), then name"
    );
    let text = ResourceQuery {
        text: Some("PHC".into()),
        ..ResourceQuery::default()
    };
    assert_eq!(
        ids(&store.search_resources(&text).expect("searches")),
        ["r-phc"]
    );

    // Puja is a girl of 11 in Tekari: the school first, then the bridge centre that takes her.
    let day = d("2026-10-05");
    assert_eq!(
        ids(&store
            .suggested_resources("a", Dimension::Education, day)
            .expect("suggests")),
        ["r-school", "r-bridge"]
    );
    assert_eq!(
        ids(&store
            .suggested_resources("a", Dimension::Health, day)
            .expect("suggests")),
        ["r-phc"]
    );
    assert!(matches!(
        store.suggested_resources("nobody", Dimension::Health, day),
        Err(FieldError::UnknownCase(_))
    ));
}

#[test]
fn a_resource_not_on_the_phones_map_is_refused_and_nothing_is_written() {
    let tmp = Folder::new();
    let mut store = new_store(tmp.path());
    out_of_school(&mut store);
    let waiting = store.waiting().expect("counts");

    // Before any sync: no map at all.
    let err = store
        .refer(
            "a",
            "r-school",
            Dimension::Education,
            d("2026-10-05"),
            None,
            at("2026-10-05"),
        )
        .expect_err("no map held");
    assert!(
        matches!(&err, FieldError::ResourceNotHeld(id) if id == "r-school"),
        "{err}"
    );
    assert_eq!(
        err.kind(),
        "resource_not_held",
        "worded by the app in its language"
    );
    assert!(err.to_string().contains("sync"), "{err}");

    store
        .set_reference(&reference(1, Some(ResourceMap::new(map()))))
        .expect("sets");
    let err = store
        .refer(
            "a",
            "r-gone",
            Dimension::Education,
            d("2026-10-05"),
            None,
            at("2026-10-05"),
        )
        .expect_err("an id the map does not hold");
    assert!(matches!(err, FieldError::ResourceNotHeld(_)), "{err}");
    // On the map but inactive: it no longer takes referrals.
    let err = store
        .refer(
            "a",
            "r-old",
            Dimension::Education,
            d("2026-10-05"),
            None,
            at("2026-10-05"),
        )
        .expect_err("an inactive resource");
    assert!(
        matches!(&err, FieldError::ResourceInactive { id, .. } if id == "r-old"),
        "{err}"
    );
    assert_eq!(err.kind(), "resource_inactive");
    assert!(store.case("a").expect("reads").referrals.is_empty());
    assert_eq!(store.waiting().expect("counts"), waiting, "nothing written");

    // A referral of an unknown case is refused as any edit of one.
    assert!(matches!(
        store.refer(
            "nobody",
            "r-school",
            Dimension::Education,
            d("2026-10-05"),
            None,
            at("2026-10-05")
        ),
        Err(FieldError::UnknownCase(_))
    ));
}

#[test]
fn a_referral_made_offline_is_in_the_case_asks_for_a_follow_up_after_the_programmes_days_and_stops_when_served()
 {
    let tmp = Folder::new();
    let mut store = new_store(tmp.path());
    out_of_school(&mut store);
    store
        .set_reference(&reference(1, Some(ResourceMap::new(map()))))
        .expect("sets");
    let kinds = |store: &mut Store, day: &str| -> Vec<PromptKind> {
        store
            .today(d(day))
            .expect("prompts")
            .into_iter()
            .map(|p| p.prompt.kind)
            .collect()
    };
    assert!(
        kinds(&mut store, "2026-10-05").contains(&PromptKind::SchoolEnrolment),
        "out of school, no referral yet"
    );
    let waiting = store.waiting().expect("counts");

    let id = store
        .refer(
            "a",
            "r-school",
            Dimension::Education,
            d("2026-10-05"),
            Some("Admission in class 6"),
            at("2026-10-05"),
        )
        .expect("refers");
    assert_eq!(
        store.waiting().expect("counts"),
        waiting + 1,
        "in the outbox"
    );
    let case = store.case("a").expect("reads");
    let referral = case
        .referrals
        .iter()
        .find(|r| r.id == id)
        .expect("the referral is in the case");
    assert_eq!(referral.resource_name, "Government Middle School Tekari");
    assert_eq!(referral.resource_kind, ResourceKind::School);
    assert_eq!(referral.note.as_deref(), Some("Admission in class 6"));
    assert_eq!(referral.state(), (ReferralState::Referred, d("2026-10-05")));

    // The enrolment prompt waits while the referral is open; the follow-up comes after 14 days.
    let before = kinds(&mut store, "2026-10-18");
    assert!(!before.contains(&PromptKind::SchoolEnrolment), "{before:?}");
    assert!(
        !before.contains(&PromptKind::FollowUpReferral),
        "{before:?}"
    );
    let due = store.today(d("2026-10-19")).expect("prompts");
    let follow_up = due
        .iter()
        .find(|p| p.prompt.kind == PromptKind::FollowUpReferral)
        .expect("a follow-up 14 days after the referral");
    assert_eq!(follow_up.prompt.subject.as_deref(), Some(id.as_str()));
    assert_eq!(follow_up.prompt.dimension, Some(Dimension::Education));
    assert_eq!(follow_up.name, "Puja Kumari");

    // A refusal without a note is refused by the case document; nothing is written.
    let waiting = store.waiting().expect("counts");
    let err = store
        .update_referral(
            "a",
            &id,
            ReferralState::Refused,
            d("2026-10-19"),
            None,
            at("2026-10-19"),
        )
        .expect_err("a refusal needs a note");
    assert!(matches!(err, FieldError::EditRefused(_)), "{err}");
    assert_eq!(store.waiting().expect("counts"), waiting);

    // Accepted: asked again 14 days after the acceptance. Served: no more follow-up.
    store
        .update_referral(
            "a",
            &id,
            ReferralState::Accepted,
            d("2026-10-19"),
            None,
            at("2026-10-19"),
        )
        .expect("accepted");
    assert!(!kinds(&mut store, "2026-10-20").contains(&PromptKind::FollowUpReferral));
    let step = store
        .update_referral(
            "a",
            &id,
            ReferralState::Served,
            d("2026-10-25"),
            Some("Enrolled in class 6"),
            at("2026-10-25"),
        )
        .expect("served");
    let case = store.case("a").expect("reads");
    let referral = &case.referrals[0];
    assert_eq!(
        referral.steps.last().map(|s| s.id.as_str()),
        Some(step.as_str())
    );
    assert_eq!(referral.state(), (ReferralState::Served, d("2026-10-25")));
    let after = kinds(&mut store, "2026-11-20");
    assert!(!after.contains(&PromptKind::FollowUpReferral), "{after:?}");

    // All of it survives a new connection.
    drop(store);
    let store = open(tmp.path(), PIN).expect("opens");
    assert_eq!(
        store.case("a").expect("reads").referrals[0].state().0,
        ReferralState::Served
    );
    assert_eq!(store.resources().expect("reads").len(), map().len());
}
