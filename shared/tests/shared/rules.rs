//! Table-driven tests of every prompt rule and threshold, through one `check` helper.

use homeward_shared::edit::{
    Edit, NewHearing, NewIncident, NewService, NewSummons, ServiceProgress,
};
use homeward_shared::model::{
    Birth, CaseState, DocumentKind, DocumentState, HearingMode, HearingResult, Risk,
    ServiceDimension, VisitKind,
};
use homeward_shared::need::{Dimension, Status};
use homeward_shared::programme::Programme;
use homeward_shared::prompt::{self, Priority, PromptKind};

use crate::support::{ALL_SETTLED, Doc, IN_PROGRESS, d};

/// Checks that on `today` the case has a prompt of `kind` with `want` (priority and due date),
/// or none of that kind when `want` is `None`.
#[track_caller]
fn check(doc: &Doc, today: &str, kind: PromptKind, want: Option<(Priority, &str)>) {
    check_with(&Programme::default(), doc, today, kind, want);
}

#[track_caller]
fn check_with(
    programme: &Programme,
    doc: &Doc,
    today: &str,
    kind: PromptKind,
    want: Option<(Priority, &str)>,
) {
    let prompts = prompt::prompts(&doc.case(), d(today), programme);
    let got: Vec<_> = prompts.iter().filter(|p| p.kind == kind).collect();
    match want {
        None => assert!(
            got.is_empty(),
            "on {today} expected no {kind:?}, got {got:#?}"
        ),
        Some((priority, due)) => {
            assert_eq!(
                got.len(),
                1,
                "on {today} expected one {kind:?} in {prompts:#?}"
            );
            assert_eq!(
                (got[0].priority, got[0].due),
                (priority, d(due)),
                "on {today}: {kind:?} has the wrong priority or due date: {:?}",
                got[0]
            );
            assert!(!got[0].reason.is_empty(), "a prompt always says why");
        }
    }
}

fn assessed(statuses: [Status; 7]) -> Doc {
    let mut doc = Doc::new("2026-01-01");
    doc.assess("2026-01-05", statuses);
    doc
}

#[test]
fn the_initial_assessment_is_due_seven_days_after_return_until_it_is_made() {
    let mut doc = Doc::new("2026-10-01");
    check(
        &doc,
        "2026-10-02",
        PromptKind::InitialAssessment,
        Some((Priority::High, "2026-10-08")),
    );
    check(
        &doc,
        "2026-10-20",
        PromptKind::InitialAssessment,
        Some((Priority::High, "2026-10-08")),
    );
    doc.assess("2026-10-03", IN_PROGRESS);
    check(&doc, "2026-10-04", PromptKind::InitialAssessment, None);
}

#[test]
fn a_summons_is_urgent_until_a_contact_about_it_and_the_hearing_prepared() {
    let summons = |hearing: &str, mode| {
        Edit::AddSummons(NewSummons {
            id: "s1".into(),
            received_on: d("2026-03-01"),
            hearing_on: d(hearing),
            mode,
        })
    };
    // Not reached yet: reach the family within 24 hours.
    let mut doc = assessed(IN_PROGRESS);
    doc.edit("2026-03-01", summons("2026-03-10", None));
    check(
        &doc,
        "2026-03-01",
        PromptKind::CourtSummons,
        Some((Priority::Urgent, "2026-03-02")),
    );
    check(&doc, "2026-03-01", PromptKind::PrepareHearing, None);
    // A visit that does not say it discussed the summons leaves the prompt.
    doc.visit("2026-03-02", VisitKind::Urgent, &[]);
    check(
        &doc,
        "2026-03-02",
        PromptKind::CourtSummons,
        Some((Priority::Urgent, "2026-03-02")),
    );
    // Reached about it, hearing within 14 days, no lawyer: preparing the hearing is urgent.
    doc.visit_about("2026-03-02", Some("s1"), false);
    check(&doc, "2026-03-02", PromptKind::CourtSummons, None);
    check(
        &doc,
        "2026-03-02",
        PromptKind::PrepareHearing,
        Some((Priority::Urgent, "2026-03-10")),
    );
    // After the hearing its outcome is asked for, and nothing else of it.
    check(&doc, "2026-03-11", PromptKind::PrepareHearing, None);
    check(
        &doc,
        "2026-03-11",
        PromptKind::HearingOutcome,
        Some((Priority::High, "2026-03-11")),
    );
    doc.edit(
        "2026-03-11",
        hearing(
            "h1",
            "s1",
            "2026-03-10",
            HearingResult::TestimonyGiven,
            None,
            None,
        ),
    );
    check(&doc, "2026-03-12", PromptKind::HearingOutcome, None);
    check(&doc, "2026-03-12", PromptKind::PrepareHearing, None);

    // A far hearing is high, not urgent, and done once lawyer and video are arranged.
    let mut doc = assessed(IN_PROGRESS);
    doc.edit(
        "2026-03-01",
        summons("2026-05-01", Some(HearingMode::Video)),
    );
    doc.visit_about("2026-03-01", Some("s1"), false);
    check(
        &doc,
        "2026-03-03",
        PromptKind::PrepareHearing,
        Some((Priority::High, "2026-05-01")),
    );
    check(
        &doc,
        "2026-04-20",
        PromptKind::PrepareHearing,
        Some((Priority::Urgent, "2026-05-01")),
    );
    doc.edit(
        "2026-03-04",
        Edit::SetLegal {
            court_case_ref: Some("SC 12/2026".into()),
            lawyer_authorised_on: Some(d("2026-03-04")),
            court: Some("Sessions Court, Jaipur".into()),
            lawyer_authorised_by: Some("mother".into()),
        },
    );
    check(&doc, "2026-03-05", PromptKind::PrepareHearing, None);
    check(&doc, "2026-03-05", PromptKind::CourtSummons, None);
}

fn hearing(
    id: &str,
    summons: &str,
    held: &str,
    result: HearingResult,
    next: Option<&str>,
    note: Option<&str>,
) -> Edit {
    Edit::RecordHearing(NewHearing {
        id: id.into(),
        summons_id: summons.into(),
        held_on: d(held),
        result,
        next_hearing_on: next.map(d),
        note: note.map(str::to_owned),
    })
}

/// The handbook's case: the assessment made that morning must not answer a summons recorded in
/// the afternoon (the old rule took any visit on or after the day the summons was received).
#[test]
fn an_assessment_made_before_the_summons_was_known_does_not_answer_it() {
    let mut doc = Doc::new("2026-11-20");
    doc.assess("2026-11-28", IN_PROGRESS);
    doc.edit(
        "2026-11-28",
        Edit::AddSummons(NewSummons {
            id: "s1".into(),
            received_on: d("2026-11-28"),
            hearing_on: d("2026-12-15"),
            mode: None,
        }),
    );
    check(
        &doc,
        "2026-11-28",
        PromptKind::CourtSummons,
        Some((Priority::Urgent, "2026-11-29")),
    );
}

#[test]
fn an_adjourned_hearing_is_followed_to_its_next_date_and_a_missed_one_asks_why() {
    let mut doc = assessed(IN_PROGRESS);
    doc.edit(
        "2026-03-01",
        Edit::AddSummons(NewSummons {
            id: "s1".into(),
            received_on: d("2026-03-01"),
            hearing_on: d("2026-03-10"),
            mode: Some(HearingMode::Video),
        }),
    );
    doc.visit_about("2026-03-01", Some("s1"), false);
    doc.edit(
        "2026-03-02",
        Edit::SetLegal {
            court_case_ref: None,
            lawyer_authorised_on: Some(d("2026-03-02")),
            court: None,
            lawyer_authorised_by: Some("father".into()),
        },
    );
    // Adjourned without a date, or missed without saying why: refused.
    let refused = |edit: &Edit| edit.check(&crate::support::ctx("2026-03-11")).is_err();
    assert!(refused(&hearing(
        "h1",
        "s1",
        "2026-03-10",
        HearingResult::Adjourned,
        None,
        None
    )));
    assert!(refused(&hearing(
        "h1",
        "s1",
        "2026-03-10",
        HearingResult::NotAttended,
        None,
        None
    )));
    assert!(refused(&hearing(
        "h1",
        "s1",
        "2026-03-10",
        HearingResult::Adjourned,
        Some("2026-03-09"),
        None
    )));
    doc.edit(
        "2026-03-11",
        hearing(
            "h1",
            "s1",
            "2026-03-10",
            HearingResult::Adjourned,
            Some("2026-04-20"),
            None,
        ),
    );
    let case = doc.case();
    let next = case
        .legal
        .summonses
        .iter()
        .find(|s| s.id == "h1")
        .expect("the next hearing");
    assert_eq!(
        (next.hearing_on, next.follows.as_deref()),
        (d("2026-04-20"), Some("s1"))
    );
    assert_eq!(next.mode, Some(HearingMode::Video), "the mode carries over");
    // The next hearing needs no "reach the family" (the court set it), and is ahead.
    check(&doc, "2026-03-12", PromptKind::CourtSummons, None);
    check(&doc, "2026-03-12", PromptKind::HearingOutcome, None);
    assert_eq!(
        prompt::computed_risk(&case, d("2026-04-01"), &Programme::default()),
        Risk::High,
        "a hearing ahead keeps the case high risk"
    );
    check(
        &doc,
        "2026-04-21",
        PromptKind::HearingOutcome,
        Some((Priority::High, "2026-04-21")),
    );
    doc.edit(
        "2026-04-21",
        hearing(
            "h2",
            "h1",
            "2026-04-20",
            HearingResult::NotAttended,
            Some("2026-05-25"),
            Some("no money for the bus fare"),
        ),
    );
    check(&doc, "2026-04-22", PromptKind::HearingOutcome, None);
    let case = doc.case();
    let missed = case
        .legal
        .summonses
        .iter()
        .find(|s| s.id == "h1")
        .expect("h1");
    let outcome = missed.outcome.as_ref().expect("recorded");
    assert_eq!(outcome.note.as_deref(), Some("no money for the bus fare"));
    // Retried: nothing twice.
    let before = doc.case().legal.summonses.len();
    doc.edit(
        "2026-04-21",
        hearing(
            "h2",
            "h1",
            "2026-04-20",
            HearingResult::NotAttended,
            Some("2026-05-25"),
            Some("no money for the bus fare"),
        ),
    );
    assert_eq!(doc.case().legal.summonses.len(), before);
}

#[test]
fn a_harassment_incident_is_urgent_until_a_visit_checks_the_childs_safety() {
    let incident = |id: &str, on: &str| {
        Edit::AddIncident(NewIncident {
            id: id.into(),
            on: d(on),
            what: "threatened at the market".into(),
            police_informed: false,
        })
    };
    let mut doc = assessed(IN_PROGRESS);
    doc.edit("2026-04-01", incident("i1", "2026-04-01"));
    check(&doc, "2026-03-31", PromptKind::Harassment, None);
    check(
        &doc,
        "2026-04-01",
        PromptKind::Harassment,
        Some((Priority::Urgent, "2026-04-02")),
    );
    // Waiting does not make the family safe: still asked for after 30 days.
    check(
        &doc,
        "2026-06-01",
        PromptKind::Harassment,
        Some((Priority::Urgent, "2026-04-02")),
    );
    assert_eq!(
        prompt::computed_risk(&doc.case(), d("2026-04-10"), &Programme::default()),
        Risk::High,
        "a recent incident makes the case high risk"
    );
    // A visit that did not check safety leaves it; one that did clears it.
    doc.visit("2026-04-02", VisitKind::FollowUp, &[]);
    check(
        &doc,
        "2026-04-03",
        PromptKind::Harassment,
        Some((Priority::Urgent, "2026-04-02")),
    );
    doc.visit_about("2026-04-03", None, true);
    check(&doc, "2026-04-03", PromptKind::Harassment, None);
    // Police informed later, on the same incident.
    doc.edit(
        "2026-04-04",
        Edit::UpdateIncident {
            id: "i1".into(),
            police_informed: true,
        },
    );
    assert!(doc.case().legal.incidents[0].police_informed);
    // A new incident reopens it, and a safety check made before it was known does not count.
    doc.visit_about("2026-04-10", None, true);
    doc.edit("2026-04-20", incident("i2", "2026-04-05"));
    check(
        &doc,
        "2026-04-20",
        PromptKind::Harassment,
        Some((Priority::Urgent, "2026-04-06")),
    );
    doc.visit_about("2026-04-21", None, true);
    check(&doc, "2026-04-21", PromptKind::Harassment, None);
}

#[test]
fn health_care_and_livelihood_support_needs_lead_to_a_prompt() {
    let mut doc = assessed(IN_PROGRESS);
    check(&doc, "2026-01-06", PromptKind::HealthCare, None);
    check(&doc, "2026-01-06", PromptKind::LivelihoodSupport, None);
    doc.visit(
        "2026-01-10",
        VisitKind::FollowUp,
        &[
            (Dimension::Health, Status::NeedsCare),
            (Dimension::Livelihood, Status::NeedsSupport),
        ],
    );
    check(
        &doc,
        "2026-01-11",
        PromptKind::HealthCare,
        Some((Priority::High, "2026-01-10")),
    );
    check(
        &doc,
        "2026-01-11",
        PromptKind::LivelihoodSupport,
        Some((Priority::Normal, "2026-01-10")),
    );
    doc.visit(
        "2026-01-20",
        VisitKind::FollowUp,
        &[
            (Dimension::Health, Status::UnderTreatment),
            (Dimension::Livelihood, Status::InTraining),
        ],
    );
    check(&doc, "2026-01-21", PromptKind::HealthCare, None);
    check(&doc, "2026-01-21", PromptKind::LivelihoodSupport, None);
}

#[test]
fn a_child_of_school_age_not_in_school_is_a_high_prompt() {
    let born = |dob: &str| Birth::Dob(d(dob));
    let rows: [(&str, Status, Option<Priority>); 7] = [
        ("2016-01-01", Status::NotEnrolled, Some(Priority::High)), // 10
        ("2016-01-01", Status::DroppedOut, Some(Priority::High)),
        ("2016-01-01", Status::NotAssessed, Some(Priority::High)),
        ("2016-01-01", Status::Enrolled, None),
        ("2016-01-01", Status::EnrolledIrregular, None),
        ("2020-06-01", Status::NotEnrolled, Some(Priority::High)), // exactly 6
        ("2011-05-01", Status::NotEnrolled, None),                 // 15
    ];
    for (dob, status, want) in rows {
        let mut doc = Doc::with_birth(born(dob), "2026-01-01");
        doc.visit(
            "2026-01-05",
            VisitKind::InitialAssessment,
            &[(Dimension::Education, status)],
        );
        let got = prompt::prompts(&doc.case(), d("2026-06-01"), &Programme::default())
            .into_iter()
            .find(|p| p.kind == PromptKind::SchoolEnrolment)
            .map(|p| p.priority);
        assert_eq!(got, want, "born {dob}, education {status}");
    }
    let mut doc = Doc::with_birth(born("2020-06-02"), "2026-01-01"); // 5 on the day
    doc.visit(
        "2026-01-05",
        VisitKind::InitialAssessment,
        &[(Dimension::Education, Status::NotEnrolled)],
    );
    check(&doc, "2026-06-01", PromptKind::SchoolEnrolment, None);
}

fn received(doc: &mut Doc, kinds: &[DocumentKind], on: &str) {
    for k in kinds {
        doc.edit(
            on,
            Edit::SetDocument {
                kind: *k,
                state: DocumentState::Received,
                on: d(on),
            },
        );
    }
}

#[test]
fn a_scheme_whose_documents_are_in_hand_prompts_an_application() {
    let mut doc = assessed(IN_PROGRESS);
    doc.visit(
        "2026-01-05",
        VisitKind::FollowUp,
        &[(Dimension::Compensation, Status::NotApplied)],
    );
    received(
        &mut doc,
        &[DocumentKind::Fir, DocumentKind::BankAccount],
        "2026-02-01",
    );
    let prompts = prompt::prompts(&doc.case(), d("2026-02-10"), &Programme::default());
    let apply: Vec<_> = prompts
        .iter()
        .filter(|p| p.kind == PromptKind::ApplyForScheme)
        .filter_map(|p| p.subject.as_deref())
        .collect();
    assert!(
        !apply.contains(&"victim_compensation"),
        "the identity card is still missing"
    );
    let blocker = prompts
        .iter()
        .find(|p| {
            p.kind == PromptKind::ObtainDocument && p.subject.as_deref() == Some("identity_card")
        })
        .expect("the missing identity card is named as a blocker");
    assert!(
        blocker.reason.contains("Victim compensation"),
        "{}",
        blocker.reason
    );
    assert!(
        !prompts
            .iter()
            .any(|p| p.kind == PromptKind::ObtainDocument && p.subject.as_deref() == Some("fir")),
        "a document in hand is not asked for"
    );

    received(&mut doc, &[DocumentKind::IdentityCard], "2026-02-15");
    let prompts = prompt::prompts(&doc.case(), d("2026-02-20"), &Programme::default());
    let p = prompts
        .iter()
        .find(|p| {
            p.kind == PromptKind::ApplyForScheme
                && p.subject.as_deref() == Some("victim_compensation")
        })
        .expect("all documents in hand: apply");
    assert_eq!((p.priority, p.due), (Priority::High, d("2026-02-15")));

    // Applying ends the prompt; a child found not eligible is never prompted.
    doc.edit(
        "2026-02-21",
        Edit::AddService(service("c1", "victim_compensation", Some("2026-02-21"))),
    );
    let prompts = prompt::prompts(&doc.case(), d("2026-02-22"), &Programme::default());
    assert!(
        !prompts
            .iter()
            .any(|p| p.subject.as_deref() == Some("victim_compensation"))
    );
    let mut doc = assessed(IN_PROGRESS);
    doc.visit(
        "2026-01-06",
        VisitKind::FollowUp,
        &[(Dimension::Compensation, Status::NotEligible)],
    );
    let prompts = prompt::prompts(&doc.case(), d("2026-02-22"), &Programme::default());
    assert!(
        !prompts
            .iter()
            .any(|p| p.dimension == Some(Dimension::Compensation)),
        "not eligible: {prompts:#?}"
    );
}

fn service(id: &str, scheme: &str, applied: Option<&str>) -> NewService {
    NewService {
        id: id.into(),
        dimension: ServiceDimension::Compensation,
        scheme: scheme.into(),
        applied_on: applied.map(d),
        sanctioned_on: None,
        paid_on: None,
        amount: None,
        stuck_reason: Some("file with the DLSA clerk".into()),
    }
}

#[test]
fn a_claim_stuck_past_its_thresholds_is_followed_up_then_escalated() {
    let mut doc = assessed(IN_PROGRESS);
    doc.edit(
        "2026-02-01",
        Edit::AddService(service("c1", "victim_compensation", Some("2026-02-01"))),
    );
    // Sanction: follow up after 30 days, escalate after 90.
    check(&doc, "2026-03-02", PromptKind::FollowUpClaim, None);
    check(
        &doc,
        "2026-03-03",
        PromptKind::FollowUpClaim,
        Some((Priority::Normal, "2026-03-03")),
    );
    check(
        &doc,
        "2026-05-01",
        PromptKind::FollowUpClaim,
        Some((Priority::Normal, "2026-03-03")),
    );
    check(&doc, "2026-05-01", PromptKind::EscalateClaim, None);
    check(
        &doc,
        "2026-05-02",
        PromptKind::EscalateClaim,
        Some((Priority::High, "2026-05-02")),
    );
    check(&doc, "2026-05-02", PromptKind::FollowUpClaim, None);
    // Payment: follow up after 30 days, escalate after 60.
    doc.edit(
        "2026-06-01",
        Edit::UpdateService(ServiceProgress {
            id: "c1".into(),
            sanctioned_on: Some(d("2026-06-01")),
            ..ServiceProgress::default()
        }),
    );
    check(&doc, "2026-06-02", PromptKind::EscalateClaim, None);
    check(
        &doc,
        "2026-07-01",
        PromptKind::FollowUpClaim,
        Some((Priority::Normal, "2026-07-01")),
    );
    check(
        &doc,
        "2026-07-31",
        PromptKind::EscalateClaim,
        Some((Priority::High, "2026-07-31")),
    );
    let esc = prompt::prompts(&doc.case(), d("2026-07-31"), &Programme::default())
        .into_iter()
        .find(|p| p.kind == PromptKind::EscalateClaim)
        .expect("escalated");
    assert!(
        esc.reason.contains("Stuck: file with the DLSA clerk"),
        "{}",
        esc.reason
    );
    doc.edit(
        "2026-08-01",
        Edit::UpdateService(ServiceProgress {
            id: "c1".into(),
            paid_on: Some(d("2026-08-01")),
            ..ServiceProgress::default()
        }),
    );
    check(&doc, "2026-08-02", PromptKind::EscalateClaim, None);
    check(&doc, "2026-08-02", PromptKind::FollowUpClaim, None);
}

#[test]
fn the_visit_interval_follows_the_risk_level() {
    // High: three or more needs unmet: every 7 days.
    let high = assessed([
        Status::NotEnrolled,
        Status::NotApplied,
        Status::NotLinked,
        Status::InTraining,
        Status::CasePending,
        Status::Well,
        Status::Partial,
    ]);
    assert_eq!(
        prompt::computed_risk(&high.case(), d("2026-01-06"), &Programme::default()),
        Risk::High
    );
    check(
        &high,
        "2026-01-09",
        PromptKind::VisitDue,
        Some((Priority::Normal, "2026-01-12")),
    );
    check(&high, "2026-01-08", PromptKind::VisitDue, None);
    check(
        &high,
        "2026-01-13",
        PromptKind::VisitOverdue,
        Some((Priority::High, "2026-01-12")),
    );
    // Medium: every 14 days.
    let medium = assessed(IN_PROGRESS);
    assert_eq!(
        prompt::computed_risk(&medium.case(), d("2026-01-06"), &Programme::default()),
        Risk::Medium
    );
    check(
        &medium,
        "2026-01-16",
        PromptKind::VisitDue,
        Some((Priority::Normal, "2026-01-19")),
    );
    check(
        &medium,
        "2026-01-20",
        PromptKind::VisitOverdue,
        Some((Priority::High, "2026-01-19")),
    );
    // Stable: every 30 days.
    let stable = assessed(ALL_SETTLED);
    check(
        &stable,
        "2026-02-04",
        PromptKind::VisitDue,
        Some((Priority::Normal, "2026-02-04")),
    );
    check(
        &stable,
        "2026-02-05",
        PromptKind::VisitOverdue,
        Some((Priority::High, "2026-02-04")),
    );
    // A programme file changes the interval.
    let fast = Programme::from_toml("[visits]\nhigh_days = 3\n").expect("valid");
    check_with(
        &fast,
        &high,
        "2026-01-09",
        PromptKind::VisitOverdue,
        Some((Priority::High, "2026-01-08")),
    );
}

#[test]
fn the_interval_stretches_once_every_need_has_long_been_settled() {
    let mut doc = assessed(ALL_SETTLED);
    doc.visit("2026-07-01", VisitKind::FollowUp, &[]);
    let next =
        prompt::next_visit(&doc.case(), d("2026-07-02"), &Programme::default()).expect("scheduled");
    assert!(
        !next.stretched,
        "settled since 5 January: 178 days on 2 July, not yet 180"
    );
    assert_eq!(next.interval_days, 30);
    doc.visit("2026-07-06", VisitKind::FollowUp, &[]);
    let next =
        prompt::next_visit(&doc.case(), d("2026-07-07"), &Programme::default()).expect("scheduled");
    assert!(next.stretched, "settled for 183 days");
    assert_eq!((next.interval_days, next.due), (90, d("2026-10-04")));
    check(&doc, "2026-08-15", PromptKind::VisitOverdue, None);
    // A need falling back ends the stretch.
    doc.visit(
        "2026-07-10",
        VisitKind::FollowUp,
        &[(Dimension::Health, Status::NeedsCare)],
    );
    let next =
        prompt::next_visit(&doc.case(), d("2026-07-11"), &Programme::default()).expect("scheduled");
    assert!(!next.stretched);
    assert_eq!(next.interval_days, 14);
}

#[test]
fn a_phone_call_does_not_reset_the_schedule_unless_the_programme_says_so() {
    let mut doc = assessed(IN_PROGRESS);
    doc.visit("2026-01-15", VisitKind::Phone, &[]);
    check(
        &doc,
        "2026-01-20",
        PromptKind::VisitOverdue,
        Some((Priority::High, "2026-01-19")),
    );
    let phones = Programme::from_toml("[visits]\nphone_counts_as_visit = true\n").expect("valid");
    check_with(&phones, &doc, "2026-01-20", PromptKind::VisitOverdue, None);
}

#[test]
fn a_manual_override_sets_the_risk_and_its_interval() {
    let mut doc = assessed(IN_PROGRESS);
    doc.edit(
        "2026-01-06",
        Edit::OverrideRisk {
            level: Some(Risk::High),
            reason: "agent seen in village".into(),
        },
    );
    let case = doc.case();
    assert_eq!(
        prompt::risk(&case, d("2026-01-07"), &Programme::default()),
        Risk::High
    );
    assert_eq!(
        case.risk_override.as_ref().map(|o| o.reason.as_str()),
        Some("agent seen in village")
    );
    check(
        &doc,
        "2026-01-13",
        PromptKind::VisitOverdue,
        Some((Priority::High, "2026-01-12")),
    );
    doc.edit(
        "2026-01-08",
        Edit::OverrideRisk {
            level: None,
            reason: String::new(),
        },
    );
    assert_eq!(doc.case().risk_override, None);
    check(&doc, "2026-01-13", PromptKind::VisitOverdue, None);
}

#[test]
fn a_case_that_is_not_active_has_no_prompts() {
    for state in [
        CaseState::Closed,
        CaseState::Transferred,
        CaseState::Missing,
        CaseState::Retrafficked,
    ] {
        let mut doc = Doc::new("2026-01-01");
        doc.edit(
            "2026-01-03",
            Edit::SetStatus {
                state,
                reason: Some("reason".into()),
                since: d("2026-01-03"),
                closure: None,
            },
        );
        let prompts = prompt::prompts(&doc.case(), d("2026-03-01"), &Programme::default());
        assert!(prompts.is_empty(), "{state}: {prompts:#?}");
    }
}

#[test]
fn prompts_come_most_urgent_first() {
    let mut doc = Doc::new("2026-01-01");
    doc.edit(
        "2026-01-10",
        Edit::AddSummons(NewSummons {
            id: "s".into(),
            received_on: d("2026-01-10"),
            hearing_on: d("2026-02-10"),
            mode: None,
        }),
    );
    let prompts = prompt::prompts(&doc.case(), d("2026-01-10"), &Programme::default());
    assert_eq!(prompts[0].kind, PromptKind::CourtSummons, "{prompts:#?}");
    assert!(
        prompts
            .windows(2)
            .all(|w| (w[0].priority, w[0].due) <= (w[1].priority, w[1].due))
    );
    assert!(
        prompts
            .iter()
            .any(|p| p.kind == PromptKind::InitialAssessment)
    );
}

#[test]
fn a_status_recorded_late_for_an_earlier_day_does_not_replace_the_current_one() {
    let mut doc = assessed(IN_PROGRESS);
    doc.visit(
        "2026-02-10",
        VisitKind::FollowUp,
        &[(Dimension::Education, Status::Enrolled)],
    );
    // Entered on 2026-02-12 for a visit made on 2026-02-01.
    doc.edit(
        "2026-02-12",
        crate::support::visit_edit(
            "late",
            "2026-02-01",
            VisitKind::FollowUp,
            &[(Dimension::Education, Status::DroppedOut)],
        ),
    );
    let case = doc.case();
    let edu = case.need(Dimension::Education);
    assert_eq!(
        edu.status,
        Status::Enrolled,
        "the latest observation stays current"
    );
    let seq: Vec<_> = edu.history.iter().map(|h| h.status).collect();
    assert_eq!(
        seq,
        [
            Status::EnrolledIrregular,
            Status::DroppedOut,
            Status::Enrolled
        ]
    );
    assert_eq!(edu.status_since(), Some(d("2026-02-10")));
}

#[test]
fn prompts_kept_until_the_day_given_are_the_prompts_of_every_day_before_it() {
    let programme = Programme::default();
    let load = homeward_shared::synth::caseload(homeward_shared::synth::Options {
        seed: 21,
        cases: 40,
        until: d("2026-11-27"),
        months: 12,
    });
    let mut changed_before_horizon = 0;
    for sc in &load.cases {
        let case = homeward_shared::schema::read_case(
            &sc.build(crate::support::actor(1)).expect("builds"),
        )
        .expect("reads");
        for start in ["2026-11-27", "2026-12-20"] {
            let day = d(start);
            let (now, until) =
                prompt::prompts_until(&case, day, &programme, prompt::PROMPTS_HORIZON_DAYS);
            assert_eq!(now, prompt::prompts(&case, day, &programme));
            let state = |x| {
                (
                    prompt::prompts(&case, x, &programme),
                    prompt::risk(&case, x, &programme),
                    prompt::next_visit(&case, x, &programme).map(|n| n.due),
                )
            };
            let first = state(day);
            let mut x = day;
            while x <= until {
                assert_eq!(
                    state(x),
                    first,
                    "case {} on {x}: kept from {day} until {until}",
                    case.id
                );
                x = x.succ_opt().expect("in range");
            }
            if (until - day).num_days() < i64::from(prompt::PROMPTS_HORIZON_DAYS) {
                changed_before_horizon += 1;
                assert_ne!(
                    state(x),
                    first,
                    "case {}: {x}, the day after {until}, differs",
                    case.id
                );
            }
        }
    }
    assert!(
        changed_before_horizon > 10,
        "the caseload exercises expiry ({changed_before_horizon})"
    );
}
