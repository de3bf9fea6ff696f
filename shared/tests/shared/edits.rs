//! What `Edit::check` and `schema::apply` refuse, for every client alike: impossible dates, a
//! second open claim for one scheme; and that the follow-up records added for the phone (hearing
//! outcomes, police informed, court, the lawyer's authoriser, class, a visit about a summons)
//! survive a save and a load.

use homeward_shared::edit::{
    Edit, InvalidEdit, NewHearing, NewIncident, NewService, NewSummons, ServiceProgress,
};
use homeward_shared::model::{
    Birth, Education, HearingMode, HearingResult, Schooling, ServiceDimension, VisitKind,
};
use homeward_shared::schema::{self, SchemaError};

use crate::support::{Doc, IN_PROGRESS, actor, ctx, d, profile, visit_edit};

fn service(id: &str, scheme: &str) -> Edit {
    Edit::AddService(NewService {
        id: id.into(),
        dimension: ServiceDimension::Compensation,
        scheme: scheme.into(),
        applied_on: Some(d("2026-08-20")),
        sanctioned_on: None,
        paid_on: None,
        amount: None,
        stuck_reason: None,
    })
}

/// A year typed as 0020 (the date field took it and the CWC report counted it) is refused with
/// `TooEarly` wherever a date is entered; a date after today with `InFuture`.
#[test]
fn a_mistyped_year_or_a_future_date_is_refused_in_every_edit() {
    let today = ctx("2026-11-28");
    let early = "0020-11-28";
    let rescued = |on: &str| {
        let mut p = profile("c1", Birth::Dob(d("2014-03-01")), "2026-11-20");
        p.rescue.rescued_on = Some(d(on));
        Edit::Register(Box::new(p))
    };
    let rows: Vec<(&str, Edit)> = vec![
        ("visit", visit_edit("v1", early, VisitKind::FollowUp, &[])),
        (
            "return",
            Edit::Register(Box::new(profile("c1", Birth::Dob(d("2014-03-01")), early))),
        ),
        ("rescue", rescued(early)),
        (
            "birth",
            Edit::Register(Box::new(profile("c1", Birth::Dob(d(early)), "2026-11-20"))),
        ),
        (
            "summons",
            Edit::AddSummons(NewSummons {
                id: "s1".into(),
                received_on: d(early),
                hearing_on: d("2026-12-01"),
                mode: None,
            }),
        ),
        (
            "claim",
            Edit::UpdateService(ServiceProgress {
                id: "x".into(),
                applied_on: Some(d(early)),
                ..ServiceProgress::default()
            }),
        ),
        (
            "incident",
            Edit::AddIncident(NewIncident {
                id: "i1".into(),
                on: d(early),
                what: "threats".into(),
                police_informed: false,
            }),
        ),
        (
            "school",
            Edit::SetEducation(Education {
                enrolled_on: Some(d(early)),
                ..Education::default()
            }),
        ),
        (
            "hearing",
            Edit::RecordHearing(NewHearing {
                id: "h1".into(),
                summons_id: "s1".into(),
                held_on: d(early),
                result: HearingResult::TestimonyGiven,
                next_hearing_on: None,
                note: None,
            }),
        ),
    ];
    for (what, edit) in &rows {
        assert!(
            matches!(edit.check(&today), Err(InvalidEdit::TooEarly { .. })),
            "{what}: {:?}",
            edit.check(&today)
        );
    }
    // The same edits with a date after today.
    let future = visit_edit("v1", "2026-12-05", VisitKind::FollowUp, &[]);
    assert!(matches!(
        future.check(&today),
        Err(InvalidEdit::InFuture { .. })
    ));
    assert!(matches!(
        rescued("2026-12-05").check(&today),
        Err(InvalidEdit::InFuture { .. })
    ));
    // A rescue after the return is refused; a sensible one passes.
    assert!(matches!(
        rescued("2026-11-25").check(&today),
        Err(InvalidEdit::DatesOutOfOrder { .. })
    ));
    assert_eq!(rescued("2026-10-02").check(&today), Ok(()));
    // A hearing ahead is of course allowed (only a summons received in the future is not).
    let summons = Edit::AddSummons(NewSummons {
        id: "s1".into(),
        received_on: d("2026-11-28"),
        hearing_on: d("2027-01-15"),
        mode: Some(HearingMode::Video),
    });
    assert_eq!(summons.check(&today), Ok(()));
}

#[test]
fn a_second_open_claim_for_a_scheme_is_refused_naming_the_first() {
    let mut doc = Doc::new("2026-08-01");
    doc.assess("2026-08-02", IN_PROGRESS);
    doc.edit("2026-08-20", service("claim-1", "victim_compensation"));
    let before = doc.doc.save();
    let err = schema::apply(
        &mut doc.doc,
        &service("claim-2", "victim_compensation"),
        &ctx("2026-11-28"),
    )
    .expect_err("refused");
    assert!(
        matches!(&err, SchemaError::OpenClaim { scheme, id } if scheme == "victim_compensation" && id == "claim-1"),
        "{err:?}"
    );
    assert_eq!(doc.doc.save(), before, "nothing written");
    // Another scheme is fine; and once the first is paid, a new claim for it too.
    doc.edit(
        "2026-11-28",
        service("claim-3", "child_labour_rehabilitation"),
    );
    doc.edit(
        "2026-11-28",
        Edit::UpdateService(ServiceProgress {
            id: "claim-1".into(),
            sanctioned_on: Some(d("2026-10-01")),
            paid_on: Some(d("2026-11-20")),
            amount: Some(25_000),
            ..ServiceProgress::default()
        }),
    );
    doc.edit("2026-11-28", service("claim-4", "victim_compensation"));
    assert_eq!(doc.case().services.len(), 3);
    // A retried first claim is still a no-op, not a refusal.
    doc.edit("2026-11-28", service("claim-4", "victim_compensation"));
    assert_eq!(doc.case().services.len(), 3);
}

#[test]
fn the_follow_up_records_survive_save_and_load() {
    let mut doc = Doc::new("2026-08-01");
    doc.assess("2026-08-02", IN_PROGRESS);
    doc.edit(
        "2026-11-01",
        Edit::AddSummons(NewSummons {
            id: "s1".into(),
            received_on: d("2026-11-01"),
            hearing_on: d("2026-11-20"),
            mode: Some(HearingMode::InPerson),
        }),
    )
    .visit_about("2026-11-02", Some("s1"), true)
    .edit(
        "2026-11-03",
        Edit::SetLegal {
            court_case_ref: Some("Sessions Case 41/2026".into()),
            court: Some("Sessions Court, Jaipur".into()),
            lawyer_authorised_on: Some(d("2026-11-03")),
            lawyer_authorised_by: Some("mother".into()),
        },
    )
    .edit(
        "2026-11-21",
        Edit::RecordHearing(NewHearing {
            id: "h1".into(),
            summons_id: "s1".into(),
            held_on: d("2026-11-20"),
            result: HearingResult::Adjourned,
            next_hearing_on: Some(d("2027-01-10")),
            note: Some("the accused's lawyer asked for time".into()),
        }),
    )
    .edit(
        "2026-11-22",
        Edit::AddIncident(NewIncident {
            id: "i1".into(),
            on: d("2026-11-22"),
            what: "threatened at the market".into(),
            police_informed: false,
        }),
    )
    .edit(
        "2026-11-23",
        Edit::UpdateIncident {
            id: "i1".into(),
            police_informed: true,
        },
    )
    .edit(
        "2026-11-24",
        Edit::SetEducation(Education {
            kind: Some(Schooling::School),
            institution: Some("Government Middle School, Keshopur".into()),
            class: Some("5".into()),
            enrolled_on: Some(d("2026-11-24")),
            attendance: Some("regular".into()),
        }),
    );
    let case = doc.case();
    let visit = case.visits.last().expect("the visit");
    assert_eq!(
        (visit.summons_id.as_deref(), visit.safety_checked),
        (Some("s1"), true)
    );
    assert_eq!(case.legal.court.as_deref(), Some("Sessions Court, Jaipur"));
    assert_eq!(case.legal.lawyer_authorised_by.as_deref(), Some("mother"));
    let s1 = &case.legal.summonses[0];
    let outcome = s1.outcome.as_ref().expect("the outcome");
    assert_eq!(
        (
            outcome.result,
            outcome.next_hearing_on,
            outcome.recorded_by.user_id.as_str()
        ),
        (HearingResult::Adjourned, Some(d("2027-01-10")), "user-1")
    );
    assert_eq!(case.legal.summonses[1].follows.as_deref(), Some("s1"));
    assert!(case.legal.incidents[0].police_informed);
    assert_eq!(case.education.class.as_deref(), Some("5"));
    let loaded = schema::load(&doc.doc.save(), actor(2)).expect("loads");
    assert_eq!(schema::read_case(&loaded).expect("reads"), case);
    // The case as of a day before the hearing has no outcome yet.
    let earlier = case.as_of(d("2026-11-19"));
    assert!(earlier.legal.summonses.iter().all(|s| s.outcome.is_none()));
    assert_eq!(earlier.legal.summonses.len(), 1);
}

/// An incident or summons the case does not have: a typed error, nothing written.
#[test]
fn an_update_of_a_record_the_case_does_not_have_is_refused() {
    let mut doc = Doc::new("2026-08-01");
    let before = doc.doc.save();
    let missing = |edit: &Edit, doc: &mut Doc| {
        matches!(
            schema::apply(&mut doc.doc, edit, &ctx("2026-11-28")),
            Err(SchemaError::NotFound { .. })
        )
    };
    assert!(missing(
        &Edit::UpdateIncident {
            id: "nope".into(),
            police_informed: true
        },
        &mut doc
    ));
    assert!(missing(
        &Edit::RecordHearing(NewHearing {
            id: "h1".into(),
            summons_id: "nope".into(),
            held_on: d("2026-11-20"),
            result: HearingResult::TestimonyGiven,
            next_hearing_on: None,
            note: None,
        }),
        &mut doc
    ));
    assert_eq!(doc.doc.save(), before);
}

/// A move request and its settlement: refused, the request is withdrawn and the place stays;
/// asked again and approved, the child's address is the new one; a refusal needs a note.
#[test]
fn a_move_request_is_settled_by_a_refusal_or_an_approval() {
    let ask = Edit::RequestTransfer {
        district: "Nalanda".into(),
        block: "Rajgir".into(),
        village: "Pilkhi".into(),
        reason: "work at a brick kiln".into(),
        on: d("2026-11-18"),
    };
    let mut doc = Doc::new("2026-08-01");
    doc.edit("2026-11-18", ask.clone());
    let asked = doc.case().status.move_request.expect("the request");
    assert_eq!(
        (asked.block.as_str(), asked.requested_by.user_id.as_str()),
        ("Rajgir", "user-1")
    );
    let settle = |approved, note: Option<&str>| Edit::SettleMove {
        approved,
        note: note.map(str::to_owned),
    };
    assert!(matches!(
        settle(false, None).check(&ctx("2026-11-20")),
        Err(InvalidEdit::Empty(_))
    ));
    doc.edit(
        "2026-11-20",
        settle(false, Some("the family is coming back after the harvest")),
    );
    let case = doc.case();
    assert!(case.status.move_request.is_none());
    let decision = case.status.move_decision.expect("decided");
    assert!(!decision.approved);
    assert_eq!(case.child.address.block, "Wazirganj", "the place stays");
    doc.edit("2026-12-01", ask);
    doc.edit("2026-12-02", settle(true, None));
    let case = doc.case();
    assert_eq!(
        (
            case.child.address.district.as_str(),
            case.child.address.block.as_str(),
            case.child.address.village.as_str()
        ),
        ("Nalanda", "Rajgir", "Pilkhi")
    );
    assert!(case.status.move_decision.expect("decided").approved);
    // Nothing to settle any more.
    assert!(matches!(
        schema::apply(&mut doc.doc, &settle(true, None), &ctx("2026-12-03")),
        Err(SchemaError::NotFound { .. })
    ));
}

/// A claim's "why it is stuck" is cleared by an empty reason (it is moving again); left out, it
/// stays.
#[test]
fn a_claims_stuck_reason_is_cleared_by_an_empty_one() {
    let mut doc = Doc::new("2026-08-01");
    doc.edit("2026-08-20", service("claim-1", "victim_compensation"));
    let progress = |stuck: Option<&str>| {
        Edit::UpdateService(ServiceProgress {
            id: "claim-1".into(),
            stuck_reason: stuck.map(str::to_owned),
            ..ServiceProgress::default()
        })
    };
    doc.edit("2026-09-01", progress(Some("the bank account is missing")));
    doc.edit("2026-09-02", progress(None));
    assert_eq!(
        doc.case().services[0].stuck_reason.as_deref(),
        Some("the bank account is missing")
    );
    doc.edit("2026-10-01", progress(Some("  ")));
    assert_eq!(doc.case().services[0].stuck_reason, None);
}
