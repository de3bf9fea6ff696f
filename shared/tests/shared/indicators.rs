//! Monthly indicators on hand-made cases whose figures are known.

use homeward_shared::edit::{Edit, NewIncident, NewService, ServiceProgress};
use homeward_shared::indicators::{self, Month};
use homeward_shared::model::{Birth, CaseState, ServiceDimension, VisitKind};
use homeward_shared::need::{Dimension, Status};
use homeward_shared::programme::Programme;

use crate::support::{ALL_SETTLED, Doc, IN_PROGRESS, d};

fn service(id: &str, dim: ServiceDimension, scheme: &str, applied: &str) -> Edit {
    Edit::AddService(NewService {
        id: id.into(),
        dimension: dim,
        scheme: scheme.into(),
        applied_on: Some(d(applied)),
        sanctioned_on: None,
        paid_on: None,
        amount: None,
        stuck_reason: None,
    })
}

#[test]
fn a_month_of_three_children_gives_the_expected_figures() {
    // A: school age, enrolled in October, compensation applied in August still pending,
    //    health insurance linked in October, one harassment incident in October.
    let mut a = Doc::with_birth(Birth::Dob(d("2015-05-01")), "2026-07-01");
    a.assess("2026-07-03", IN_PROGRESS)
        .visit(
            "2026-10-05",
            VisitKind::FollowUp,
            &[(Dimension::Education, Status::Enrolled)],
        )
        .visit("2026-10-20", VisitKind::Phone, &[])
        .edit(
            "2026-08-01",
            service(
                "c",
                ServiceDimension::Compensation,
                "victim_compensation",
                "2026-08-01",
            ),
        )
        .edit(
            "2026-09-01",
            service(
                "h",
                ServiceDimension::Entitlements,
                "health_insurance",
                "2026-09-01",
            ),
        )
        .edit(
            "2026-10-10",
            Edit::UpdateService(ServiceProgress {
                id: "h".into(),
                sanctioned_on: Some(d("2026-10-10")),
                paid_on: Some(d("2026-10-10")),
                ..Default::default()
            }),
        )
        .edit(
            "2026-10-12",
            Edit::AddIncident(NewIncident {
                id: "i".into(),
                on: d("2026-10-12"),
                what: "threat".into(),
                police_informed: true,
            }),
        );
    // B: school age, not enrolled, last visit in August: overdue; compensation applied in
    //    June and paid in October; a ration card linked in October; livelihood linked.
    let mut b = Doc::with_birth(Birth::Dob(d("2016-01-01")), "2026-06-01");
    b.assess("2026-06-02", IN_PROGRESS)
        .visit(
            "2026-08-01",
            VisitKind::FollowUp,
            &[(Dimension::Education, Status::NotEnrolled)],
        )
        .edit(
            "2026-06-10",
            service(
                "c",
                ServiceDimension::Compensation,
                "victim_compensation",
                "2026-06-10",
            ),
        )
        .edit(
            "2026-10-15",
            Edit::UpdateService(ServiceProgress {
                id: "c".into(),
                sanctioned_on: Some(d("2026-10-01")),
                paid_on: Some(d("2026-10-15")),
                ..Default::default()
            }),
        )
        .edit(
            "2026-09-01",
            service(
                "r",
                ServiceDimension::Entitlements,
                "ration_card",
                "2026-09-01",
            ),
        )
        .edit(
            "2026-10-15",
            Edit::UpdateService(ServiceProgress {
                id: "r".into(),
                paid_on: Some(d("2026-10-15")),
                ..Default::default()
            }),
        )
        .edit(
            "2026-10-15",
            Edit::SetNeed {
                update: homeward_shared::edit::NeedUpdate {
                    id: "l".into(),
                    dimension: Dimension::Livelihood,
                    status: Status::Linked,
                    note: None,
                },
                on: d("2026-10-15"),
            },
        );
    // C: 16 years old, every need settled during October, closed on 2026-10-30.
    let mut c = Doc::with_birth(Birth::Dob(d("2010-01-01")), "2026-05-01");
    c.assess("2026-05-02", IN_PROGRESS)
        .assess("2026-10-02", ALL_SETTLED)
        .edit(
            "2026-10-30",
            Edit::SetStatus {
                state: CaseState::Closed,
                reason: Some("stable".into()),
                since: d("2026-10-30"),
                closure: None,
            },
        );
    // D: returned after the month: not counted. E: closed before it: not counted.
    let d_case = Doc::new("2026-11-05");
    let mut e = Doc::new("2026-01-01");
    e.edit(
        "2026-03-01",
        Edit::SetStatus {
            state: CaseState::Missing,
            reason: Some("left".into()),
            since: d("2026-03-01"),
            closure: None,
        },
    );

    let cases: Vec<_> = [&a, &b, &c, &d_case, &e].iter().map(|x| x.case()).collect();
    let month: Month = "2026-10".parse().expect("month");
    let report = indicators::monthly(&cases, month, &Programme::default());
    let g = &report.aggregates;
    assert_eq!(g.children_followed, 3);
    assert_eq!(g.visits_made, 3, "A's visit and call, C's visit");
    assert_eq!(
        g.visits_missed, 2,
        "B was last visited in August; A is high risk after the October incident (weekly visits) and last visited on 5 October"
    );
    assert_eq!(
        (
            g.school_age,
            g.school_age_enrolled,
            g.school_age_enrolled_pct
        ),
        (2, 1, Some(50))
    );
    assert_eq!(g.children_new_health_insurance, 1);
    assert_eq!(
        g.children_new_entitlement, 1,
        "the ration card, insurance counted apart"
    );
    assert_eq!(
        (
            g.compensation.applied,
            g.compensation.sanctioned,
            g.compensation.paid
        ),
        (0, 1, 1)
    );
    assert_eq!(g.compensation.pending, 1);
    assert_eq!(
        g.compensation.median_days_pending,
        Some(91),
        "1 August to 31 October"
    );
    assert_eq!(
        g.livelihood_linkages, 2,
        "B linked; C linked by its reassessment"
    );
    assert_eq!(g.harassment_incidents, 1);
    assert_eq!(g.stabilised, 1);
    assert_eq!(g.closed, 1);
    assert_eq!(g.missing_or_retrafficked, 0, "E went missing in March");

    let a_row = report
        .children
        .iter()
        .find(|r| r.visits_made == 2)
        .expect("A is listed");
    let edu = &a_row.dimensions[0];
    assert_eq!(
        (edu.dimension, edu.at_start, edu.at_end),
        (
            Dimension::Education,
            Status::EnrolledIrregular,
            Status::Enrolled
        )
    );
    assert_eq!(edu.changes, [(d("2026-10-05"), Status::Enrolled)]);
    assert_eq!(edu.pending_since, None, "enrolled is settled");
    let comp = &a_row.dimensions[1];
    assert_eq!(
        comp.pending_since,
        Some(d("2026-08-01")),
        "pending since the claim was applied for (the need said 'applied' from the assessment)"
    );
    assert!(
        !a_row.next_steps.is_empty(),
        "an active case has next steps"
    );
}

#[test]
fn a_month_without_children_has_no_percentages() {
    let report = indicators::monthly(
        &[],
        "2026-10".parse().expect("month"),
        &Programme::default(),
    );
    assert_eq!(report.aggregates.school_age_enrolled_pct, None);
    assert_eq!(report.aggregates.compensation.median_days_pending, None);
    assert!(report.children.is_empty());
}

#[test]
fn systemic_gaps_count_pending_claims_by_area_scheme_and_age_without_naming_anyone() {
    use homeward_shared::gaps::{self, Waiting};
    let mut a = Doc::new("2026-01-01");
    a.edit(
        "2026-01-10",
        service(
            "c",
            ServiceDimension::Compensation,
            "victim_compensation",
            "2026-01-10",
        ),
    )
    .edit(
        "2026-03-01",
        service(
            "h",
            ServiceDimension::Entitlements,
            "health_insurance",
            "2026-03-01",
        ),
    )
    .edit(
        "2026-04-01",
        Edit::UpdateService(ServiceProgress {
            id: "h".into(),
            sanctioned_on: Some(d("2026-04-01")),
            ..Default::default()
        }),
    )
    .edit(
        "2026-05-01",
        service(
            "r",
            ServiceDimension::Entitlements,
            "ration_card",
            "2026-05-01",
        ),
    )
    .edit(
        "2026-05-20",
        Edit::UpdateService(ServiceProgress {
            id: "r".into(),
            paid_on: Some(d("2026-05-20")),
            ..Default::default()
        }),
    );
    let mut b = Doc::new("2026-01-01");
    b.edit(
        "2026-06-15",
        service(
            "c",
            ServiceDimension::Compensation,
            "victim_compensation",
            "2026-06-15",
        ),
    );
    let mut closed = Doc::new("2026-01-01");
    closed
        .edit(
            "2026-01-10",
            service(
                "c",
                ServiceDimension::Compensation,
                "victim_compensation",
                "2026-01-10",
            ),
        )
        .edit(
            "2026-02-01",
            Edit::SetStatus {
                state: CaseState::Closed,
                reason: Some("moved".into()),
                since: d("2026-02-01"),
                closure: None,
            },
        );
    let rows = gaps::systemic_gaps(&[a.case(), b.case(), closed.case()], d("2026-07-01"));
    assert_eq!(rows.len(), 2, "{rows:#?}");
    let comp = &rows[0];
    assert_eq!(
        (
            comp.district.as_str(),
            comp.block.as_str(),
            comp.scheme.as_str(),
            comp.waiting
        ),
        (
            "Gaya",
            "Wazirganj",
            "victim_compensation",
            Waiting::Sanction
        )
    );
    assert_eq!(
        comp.counts,
        [1, 0, 1, 0],
        "16 days (b) and 172 days (a) since application"
    );
    let ins = &rows[1];
    assert_eq!(
        (ins.scheme.as_str(), ins.waiting, ins.counts),
        ("health_insurance", Waiting::Payment, [0, 0, 1, 0]),
        "122 days since application"
    );
    assert_eq!(
        rows.iter().map(|r| r.total()).sum::<u32>(),
        3,
        "paid claims and closed cases are left out"
    );
    let json = serde_json::to_string(&rows).expect("json");
    assert!(
        !json.contains("case-1") && !json.contains("Sonu") && !json.contains("Keshopur"),
        "no id, name or village: {json}"
    );
}

/// Issue 12: a claim applied on 20 August and not sanctioned by the end of November is pending
/// since 20 August, not since the day the need's status was last set (28 November), and the
/// child's section lists it with its stage, application day and days waiting.
#[test]
fn a_claim_is_pending_since_its_application_not_since_the_need_was_last_set() {
    let mut a = Doc::with_birth(Birth::Dob(d("2014-05-01")), "2026-07-01");
    a.assess("2026-07-03", IN_PROGRESS)
        .edit(
            "2026-08-20",
            service(
                "c",
                ServiceDimension::Compensation,
                "victim_compensation",
                "2026-08-20",
            ),
        )
        .edit(
            "2026-11-28",
            Edit::SetNeed {
                update: homeward_shared::edit::NeedUpdate {
                    id: "n-late".into(),
                    dimension: Dimension::Compensation,
                    status: Status::Applied,
                    note: Some("office visited again".into()),
                },
                on: d("2026-11-28"),
            },
        );
    let report = indicators::monthly(
        &[a.case()],
        Month::of(d("2026-11-01")),
        &Programme::default(),
    );
    let child = &report.children[0];
    let comp = child
        .dimensions
        .iter()
        .find(|x| x.dimension == Dimension::Compensation)
        .expect("compensation");
    assert_eq!(comp.pending_since, Some(d("2026-08-20")));
    assert_eq!(child.open_claims.len(), 1);
    let claim = &child.open_claims[0];
    assert_eq!(claim.scheme, "victim_compensation");
    assert_eq!(claim.applied_on, d("2026-08-20"));
    assert_eq!(claim.days_pending, 102, "20 August to 30 November");
    assert_eq!(claim.stage, homeward_shared::model::ServiceStage::Applied);

    // Made on 29 November, the month is not over: the report stands on the 29th, not the 30th.
    let made = indicators::monthly_until(
        &[a.case()],
        Month::of(d("2026-11-01")),
        &Programme::default(),
        d("2026-11-29"),
    );
    assert_eq!(made.as_of, d("2026-11-29"));
    assert_eq!(made.children[0].open_claims[0].days_pending, 101);
    assert_eq!(report.as_of, d("2026-11-30"), "a month over: its last day");
}

/// Issue 12: the child's section states the month's facts, not only prompts: every visit with
/// who made it, the summons and the hearing's outcome, the incident, the document received and
/// the claim's progress, by day; nothing from another month.
#[test]
fn the_months_facts_are_listed_by_day() {
    use homeward_shared::edit::{NewHearing, NewSummons};
    use homeward_shared::indicators::MonthFact;
    use homeward_shared::model::{DocumentKind, DocumentState, HearingResult, ServiceStage};
    let mut a = Doc::with_birth(Birth::Dob(d("2014-05-01")), "2026-07-01");
    a.assess("2026-07-03", IN_PROGRESS)
        .edit(
            "2026-08-20",
            service(
                "c",
                ServiceDimension::Compensation,
                "victim_compensation",
                "2026-08-20",
            ),
        )
        .visit("2026-11-03", VisitKind::FollowUp, &[])
        .edit(
            "2026-11-05",
            Edit::AddSummons(NewSummons {
                id: "s1".into(),
                received_on: d("2026-11-05"),
                hearing_on: d("2026-11-20"),
                mode: None,
            }),
        )
        .edit(
            "2026-11-21",
            Edit::RecordHearing(NewHearing {
                id: "s2".into(),
                summons_id: "s1".into(),
                held_on: d("2026-11-20"),
                result: HearingResult::Adjourned,
                next_hearing_on: Some(d("2027-01-12")),
                note: None,
            }),
        )
        .edit(
            "2026-11-22",
            Edit::AddIncident(NewIncident {
                id: "i1".into(),
                on: d("2026-11-22"),
                what: "threatened near the school".into(),
                police_informed: true,
            }),
        )
        .edit(
            "2026-11-24",
            Edit::SetDocument {
                kind: DocumentKind::BankAccount,
                state: DocumentState::Received,
                on: d("2026-11-24"),
            },
        )
        .edit(
            "2026-11-26",
            Edit::UpdateService(ServiceProgress {
                id: "c".into(),
                applied_on: None,
                sanctioned_on: Some(d("2026-11-26")),
                paid_on: None,
                amount: Some(50_000),
                stuck_reason: None,
            }),
        );
    let report = indicators::monthly(
        &[a.case()],
        Month::of(d("2026-11-01")),
        &Programme::default(),
    );
    let facts = &report.children[0].facts;
    let days: Vec<_> = facts.iter().map(MonthFact::on).collect();
    assert_eq!(
        days,
        [
            d("2026-11-03"),
            d("2026-11-05"),
            d("2026-11-20"),
            d("2026-11-22"),
            d("2026-11-24"),
            d("2026-11-26")
        ],
        "{facts:?}"
    );
    assert!(
        matches!(&facts[0], MonthFact::Visit { visit: VisitKind::FollowUp, by, .. } if by == "Worker 1")
    );
    assert!(
        matches!(facts[2], MonthFact::Hearing { result: HearingResult::Adjourned, next_on: Some(n), .. } if n == d("2027-01-12"))
    );
    assert!(matches!(
        &facts[3],
        MonthFact::Incident {
            police_informed: true,
            ..
        }
    ));
    assert!(matches!(
        facts[4],
        MonthFact::Document {
            document: DocumentKind::BankAccount,
            state: DocumentState::Received,
            ..
        }
    ));
    assert!(matches!(
        &facts[5],
        MonthFact::Claim {
            stage: ServiceStage::Sanctioned,
            amount: Some(50_000),
            ..
        }
    ));
    // The August application and the July assessment belong to other months.
    let october = indicators::monthly(
        &[a.case()],
        Month::of(d("2026-10-01")),
        &Programme::default(),
    );
    assert!(
        october.children[0].facts.is_empty(),
        "{:?}",
        october.children[0].facts
    );
}

/// Issue 12: a case closed as registered in error is no child of the programme: no month counts
/// it among the children followed nor lists it, not even a month before the mistake was found;
/// an ordinary closure still counts in the months the child was followed; reopening undoes the
/// error; a closure's reason is kept on a closure only and read back from the document.
#[test]
fn a_case_registered_in_error_is_no_child_followed_in_any_month() {
    use homeward_shared::model::ClosureReason;
    let close = |closure| Edit::SetStatus {
        state: CaseState::Closed,
        reason: Some("a test entry, not a child of the programme".into()),
        since: d("2026-10-20"),
        closure,
    };
    let reopen = Edit::SetStatus {
        state: CaseState::Active,
        reason: None,
        since: d("2026-11-05"),
        // Sent with a closure reason, kept with none: it belongs to a closure.
        closure: Some(ClosureReason::RegisteredInError),
    };
    // (what happened, the months asked, children followed in each)
    #[allow(clippy::type_complexity)] // A table: each row reads as one sentence.
    let table: [(&str, Vec<Edit>, [u32; 3]); 5] = [
        ("never closed", vec![], [1, 1, 1]),
        (
            "closed on 20 October, the follow-up over",
            vec![close(Some(ClosureReason::FollowUpEnded))],
            [1, 1, 0],
        ),
        (
            "closed on 20 October without a reason's kind (an older phone)",
            vec![close(None)],
            [1, 1, 0],
        ),
        (
            "closed on 20 October as registered in error",
            vec![close(Some(ClosureReason::RegisteredInError))],
            [0, 0, 0],
        ),
        (
            "closed in error, then reopened on 5 November",
            vec![close(Some(ClosureReason::RegisteredInError)), reopen],
            [1, 1, 1],
        ),
    ];
    let months: [Month; 3] = ["2026-09", "2026-10", "2026-11"].map(|m| m.parse().expect("month"));
    for (what, edits, want) in table {
        let mut doc = Doc::new("2026-08-01");
        for e in edits {
            let on = match &e {
                Edit::SetStatus { since, .. } => since.to_string(),
                _ => unreachable!("the table holds status changes"),
            };
            doc.edit(&on, e);
        }
        let case = doc.case();
        let got = months.map(|m| {
            let r = indicators::monthly(std::slice::from_ref(&case), m, &Programme::default());
            assert_eq!(
                r.children.len() as u32,
                r.aggregates.children_followed,
                "{what}: every child followed is listed, no other"
            );
            r.aggregates.children_followed
        });
        assert_eq!(
            got, want,
            "{what}: children followed in September, October, November"
        );
        let in_error = what.ends_with("registered in error");
        assert_eq!(case.status.registered_in_error(), in_error, "{what}");
        assert_eq!(case.status.is_a_child(), !in_error, "{what}");
        if what.contains("reopened") {
            assert_eq!(
                case.status.closure, None,
                "{what}: reopening clears the closure"
            );
        }
    }
}

/// Issue 12: the month's changes of a need read as the supervisor settled them: two phones set
/// education on 14 November to "enrolled, irregular" and "dropped out", the supervisor kept
/// the first on 18 November; the report lists 14 November "enrolled, irregular" once, never
/// "dropped out", and the settlement adds no change of its own. A month in progress lists no
/// change after the day it is reported on.
#[test]
fn the_months_changes_of_a_need_are_the_settled_ones_up_to_the_day() {
    use homeward_shared::edit::{NeedUpdate, Resolution};
    use homeward_shared::schema;
    let set = |id: &str, status| Edit::SetNeed {
        update: NeedUpdate {
            id: id.into(),
            dimension: Dimension::Education,
            status,
            note: None,
        },
        on: d("2026-11-14"),
    };
    let mut a = Doc::with_birth(Birth::Dob(d("2014-05-01")), "2026-07-01");
    // Enrolled at the assessment; the phones' two values both differ from it.
    a.assess("2026-07-03", ALL_SETTLED);
    let mut b = a.doc.fork().with_actor(crate::support::actor(2));
    a.edit("2026-11-14", set("a", Status::EnrolledIrregular));
    schema::apply(
        &mut b,
        &set("b", Status::DroppedOut),
        &crate::support::ctx_by(2, "2026-11-14"),
    )
    .expect("the other phone");
    a.doc.merge(&mut b).expect("merges");
    let kept = schema::conflicts(&a.doc).expect("lists")[0]
        .values
        .iter()
        .find(|v| v.value == "enrolled_irregular")
        .expect("the first phone's value")
        .actor
        .clone();
    schema::apply(
        &mut a.doc,
        &Edit::ResolveConflict {
            path: "needs.education.status".into(),
            value: Resolution::Keep(kept),
        },
        &crate::support::ctx_by(9, "2026-11-18"),
    )
    .expect("settles");
    a.edit(
        "2026-11-25",
        Edit::SetNeed {
            update: NeedUpdate {
                id: "c".into(),
                dimension: Dimension::Education,
                status: Status::Enrolled,
                note: None,
            },
            on: d("2026-11-25"),
        },
    );
    let november = Month::of(d("2026-11-01"));
    let education = |until: &str| {
        let r = indicators::monthly_until(&[a.case()], november, &Programme::default(), d(until));
        r.children[0].dimensions[0].clone()
    };
    let on_20th = education("2026-11-20");
    assert_eq!(on_20th.dimension, Dimension::Education);
    assert_eq!(
        on_20th.changes,
        [(d("2026-11-14"), Status::EnrolledIrregular)],
        "the settled status, once; nothing from the 25th"
    );
    assert_eq!(on_20th.at_end, Status::EnrolledIrregular);
    assert_eq!(
        education("2026-11-30").changes,
        [
            (d("2026-11-14"), Status::EnrolledIrregular),
            (d("2026-11-25"), Status::Enrolled)
        ]
    );
}
