//! Merging a child registered twice (`schema::merge`): every record of the closed case reaches
//! the kept one, signed as it was; gaps are filled, nothing is overwritten; a second merge
//! carries only what is new; and no device may write what only the server's merge writes.

use automerge::AutoCommit;
use homeward_shared::edit::{
    Edit, NewHearing, NewIncident, NewService, NewSummons, ServiceProgress,
};
use homeward_shared::model::{
    Birth, DocumentKind, DocumentState, Education, HearingMode, HearingResult, Schooling,
    ServiceDimension, VisitKind,
};
use homeward_shared::need::{Dimension, Status};
use homeward_shared::schema::merge::{Carried, carry_over, close_as_merged};
use homeward_shared::schema::{self, Authority, SchemaError};

use crate::support::{Doc, IN_PROGRESS, actor, author, ctx, ctx_by, d, profile, visit_edit};

fn claim(id: &str, scheme: &str, applied: &str) -> Edit {
    Edit::AddService(NewService {
        id: id.into(),
        dimension: ServiceDimension::Compensation,
        scheme: scheme.into(),
        applied_on: Some(d(applied)),
        sanctioned_on: None,
        paid_on: None,
        amount: None,
        stuck_reason: None,
    })
}

/// The kept case: registered on the first phone, assessed, a claim applied for.
fn kept() -> Doc {
    let mut a = Doc::new("2026-09-01");
    a.assess("2026-09-03", IN_PROGRESS).edit(
        "2026-09-05",
        claim("a-claim", "victim_compensation", "2026-08-20"),
    );
    a
}

/// The same child registered again on a second phone (another fieldworker, another spelling),
/// with records the first phone never saw.
fn second() -> AutoCommit {
    let mut p = profile(
        "case-2",
        Birth::Estimated {
            years: 10,
            as_of: d("2026-09-02"),
        },
        "2026-09-02",
    );
    p.child.name = "Sooraj Yadav".into();
    p.child.other_names = vec!["सूरज यादव".into()];
    p.child.caregiver = None;
    let by2 = |day: &str| ctx_by(2, day);
    let mut b = schema::new_case(actor(2), &p, &by2("2026-09-02")).expect("registers");
    let edits = [
        (
            "2026-09-10",
            visit_edit(
                "b-v1",
                "2026-09-10",
                VisitKind::FollowUp,
                &[(Dimension::Education, Status::Enrolled)],
            ),
        ),
        (
            "2026-09-11",
            claim("b-claim-same", "victim_compensation", "2026-08-21"),
        ),
        (
            "2026-09-12",
            Edit::UpdateService(ServiceProgress {
                id: "b-claim-same".into(),
                applied_on: None,
                sanctioned_on: Some(d("2026-09-12")),
                paid_on: None,
                amount: Some(25_000),
                stuck_reason: None,
            }),
        ),
        (
            "2026-09-12",
            Edit::AddService(NewService {
                id: "b-ration".into(),
                dimension: ServiceDimension::Entitlements,
                scheme: "ration_card".into(),
                applied_on: Some(d("2026-09-12")),
                sanctioned_on: None,
                paid_on: None,
                amount: None,
                stuck_reason: None,
            }),
        ),
        (
            "2026-09-14",
            Edit::AddSummons(NewSummons {
                id: "b-s1".into(),
                received_on: d("2026-09-14"),
                hearing_on: d("2026-10-01"),
                mode: Some(HearingMode::InPerson),
            }),
        ),
        (
            "2026-10-02",
            Edit::RecordHearing(NewHearing {
                id: "b-s2".into(),
                summons_id: "b-s1".into(),
                held_on: d("2026-10-01"),
                result: HearingResult::Adjourned,
                next_hearing_on: Some(d("2026-11-05")),
                note: None,
            }),
        ),
        (
            "2026-10-03",
            Edit::AddIncident(NewIncident {
                id: "b-i1".into(),
                on: d("2026-10-03"),
                what: "threatened at the hand pump".into(),
                police_informed: false,
            }),
        ),
        (
            "2026-10-04",
            Edit::SetDocument {
                kind: DocumentKind::BankAccount,
                state: DocumentState::Received,
                on: d("2026-10-04"),
            },
        ),
        (
            "2026-10-04",
            Edit::SetEducation(Education {
                kind: Some(Schooling::School),
                institution: Some("Middle School, Keshopur".into()),
                class: Some("5".into()),
                enrolled_on: Some(d("2026-09-20")),
                attendance: Some("regular".into()),
            }),
        ),
    ];
    for (day, e) in edits {
        schema::apply(&mut b, &e, &by2(day)).expect("a valid edit");
    }
    b
}

fn supervisor() -> homeward_shared::edit::EditContext {
    ctx_by(9, "2026-11-28")
}

#[test]
fn a_merge_carries_every_record_of_the_second_registration_as_its_author_made_it() {
    let mut a = kept();
    let b = second();
    let carried = carry_over(&mut a.doc, &b, &supervisor()).expect("merges");
    assert_eq!(
        carried,
        Carried {
            visits: 1,
            need_entries: 1,
            claims: 1,
            claims_combined: 1,
            summonses: 2,
            incidents: 1,
            documents: 1,
            fields: 1,
            names: 2,
            referrals: 0,
            attachments: 0,
        }
    );
    let case = a.case();
    let b_case = schema::read_case(&b).expect("reads");

    // The visit, as the second fieldworker recorded it.
    let visit = case
        .visits
        .iter()
        .find(|v| v.id == "b-v1")
        .expect("carried");
    let original = b_case
        .visits
        .iter()
        .find(|v| v.id == "b-v1")
        .expect("there");
    assert_eq!(visit, original);
    assert_eq!(visit.by, author(2));

    // Education's later status came with it; the other needs keep the kept case's.
    assert_eq!(case.need(Dimension::Education).status, Status::Enrolled);
    assert_eq!(case.need(Dimension::Health).status, Status::Counselling);

    // One open claim per scheme: the kept claim gained the sanction and amount it lacked, and
    // kept its own application date; the ration card claim was copied.
    let comp: Vec<_> = case
        .services
        .iter()
        .filter(|s| s.scheme == "victim_compensation")
        .collect();
    assert_eq!(comp.len(), 1, "{:?}", case.services);
    assert_eq!(comp[0].id, "a-claim");
    assert_eq!(comp[0].applied_on, Some(d("2026-08-20")));
    assert_eq!(comp[0].sanctioned_on, Some(d("2026-09-12")));
    assert_eq!(comp[0].amount, Some(25_000));
    assert!(case.services.iter().any(|s| s.id == "b-ration"));

    // The summons, its hearing's outcome and the next hearing; the incident; the document.
    assert_eq!(case.legal.summonses, b_case.legal.summonses);
    assert_eq!(case.legal.incidents, b_case.legal.incidents);
    assert_eq!(
        case.document(DocumentKind::BankAccount),
        DocumentState::Received
    );
    assert_eq!(case.education, b_case.education);

    // The kept case's own identity stays; the other spellings become other names.
    assert_eq!(case.child.name, "Sonu Manjhi");
    assert!(case.child.other_names.contains(&"Sooraj Yadav".to_owned()));
    assert!(case.child.other_names.contains(&"सूरज यादव".to_owned()));
    assert_eq!(case.status.merged_from, vec!["case-2".to_owned()]);
    assert!(case.is_active());
    // The kept caregiver is not replaced by the second registration's empty one.
    assert_eq!(
        case.child.caregiver.as_ref().map(|c| c.name.as_str()),
        Some("Kamla Devi")
    );
}

#[test]
fn the_second_registration_is_closed_as_merged_and_leaves_the_followed_children() {
    let mut b = second();
    close_as_merged(&mut b, "case-1", d("2026-11-28"), &supervisor()).expect("closes");
    let case = schema::read_case(&b).expect("reads");
    assert!(!case.is_active());
    assert_eq!(case.status.merged_into.as_deref(), Some("case-1"));
    assert_eq!(case.status.since, d("2026-11-28"));
    assert_eq!(
        case.status.reason.as_deref(),
        Some("merged into case case-1")
    );
    // Its own records are still there to read.
    assert_eq!(case.visits.len(), 1);
}

#[test]
fn merging_again_carries_only_what_was_recorded_on_the_closed_case_since() {
    let mut a = kept();
    let mut b = second();
    carry_over(&mut a.doc, &b, &supervisor()).expect("merges");
    close_as_merged(&mut b, "case-1", d("2026-11-28"), &supervisor()).expect("closes");
    let before = a.case();

    let again = carry_over(&mut a.doc, &b, &supervisor()).expect("merges again");
    assert!(again.is_empty(), "{again:?}");
    assert_eq!(a.case(), before);

    // The second phone, offline, recorded a visit on the closed case after the merge.
    schema::apply(
        &mut b,
        &visit_edit("b-v2", "2026-11-28", VisitKind::Phone, &[]),
        &ctx_by(2, "2026-11-28"),
    )
    .expect("recorded");
    let late = carry_over(&mut a.doc, &b, &supervisor()).expect("merges the late visit");
    assert_eq!(late.visits, 1);
    assert_eq!(late.names, 0);
    assert!(a.case().visits.iter().any(|v| v.id == "b-v2"));
    assert_eq!(a.case().status.merged_from, vec!["case-2".to_owned()]);
}

#[test]
fn a_record_added_on_a_phone_while_the_server_merged_survives_both() {
    let mut a = kept();
    let mut phone = a.doc.fork().with_actor(actor(3));
    schema::apply(
        &mut phone,
        &visit_edit("a-v-offline", "2026-11-27", VisitKind::FollowUp, &[]),
        &ctx("2026-11-27"),
    )
    .expect("recorded offline");
    carry_over(&mut a.doc, &second(), &supervisor()).expect("merges");
    a.doc.merge(&mut phone).expect("syncs");
    let ids: Vec<_> = a.case().visits.into_iter().map(|v| v.id).collect();
    assert!(ids.contains(&"a-v-offline".to_owned()), "{ids:?}");
    assert!(ids.contains(&"b-v1".to_owned()), "{ids:?}");
}

#[test]
fn a_case_is_not_merged_into_itself_nor_into_a_case_merged_away() {
    let mut a = kept();
    let copy = a.doc.fork();
    let err = carry_over(&mut a.doc, &copy, &supervisor()).expect_err("itself");
    assert!(matches!(err, SchemaError::NotAllowed(_)), "{err}");

    let mut b = second();
    close_as_merged(&mut b, "case-9", d("2026-11-28"), &supervisor()).expect("closes");
    let err = carry_over(&mut b, &a.doc, &supervisor()).expect_err("into a merged case");
    assert!(err.to_string().contains("case-9"), "{err}");
    // And a case merged into another is not merged into a third.
    let err = carry_over(&mut a.doc, &b, &supervisor()).expect_err("merged elsewhere");
    assert!(err.to_string().contains("case-9"), "{err}");
    assert!(a.case().status.merged_from.is_empty());
}

/// Only the server merges: a device's change that writes a merge key is refused, and the
/// merge's own change (records signed by others) passes only as [`Authority::Merge`].
#[test]
fn no_device_may_write_what_only_the_servers_merge_writes() {
    let mut a = kept();
    let mut merged = a.doc.fork().with_actor(actor(9));
    carry_over(&mut merged, &second(), &supervisor()).expect("merges");
    let change = merged.get_last_local_change().expect("one change").clone();
    let err = schema::check_change(&a.doc, &merged, &change, &author(9)).expect_err("device");
    assert!(matches!(err, SchemaError::NotAllowed(_)), "{err}");
    schema::check_change_as(&a.doc, &merged, &change, &author(9), Authority::Merge)
        .expect("the server's merge");

    // A phone closing its own case as "merged" (to hide it from the reports) is refused.
    let mut b = second();
    let before = b.clone();
    close_as_merged(&mut b, "case-1", d("2026-11-28"), &ctx_by(2, "2026-11-28")).expect("local");
    let change = b.get_last_local_change().expect("one change").clone();
    let err = schema::check_change(&before, &b, &change, &author(2)).expect_err("refused");
    assert!(err.to_string().contains("merged_into"), "{err}");

    // The merge authority still erases nothing.
    let mut erase = a.doc.fork().with_actor(actor(9));
    let visits = match automerge::ReadDoc::get(&erase, automerge::ROOT, "visits") {
        Ok(Some((_, id))) => id,
        other => panic!("no visits list: {other:?}"),
    };
    automerge::transaction::Transactable::delete(&mut erase, &visits, 0).expect("deletes");
    erase.commit();
    let change = erase.get_last_local_change().expect("one change").clone();
    let err = schema::check_change_as(&a.doc, &erase, &change, &author(9), Authority::Merge)
        .expect_err("a delete");
    assert!(err.to_string().contains("delete"), "{err}");
}

#[test]
fn a_merged_case_saves_and_loads_as_itself() {
    let mut a = kept();
    carry_over(&mut a.doc, &second(), &supervisor()).expect("merges");
    let bytes = a.doc.save();
    let loaded = schema::load(&bytes, actor(5)).expect("loads");
    assert_eq!(schema::read_case(&loaded).expect("reads"), a.case());
}

/// A merged case is not reopened or moved from a phone (the child would count twice again);
/// its records can still be added, and the next merge carries them.
#[test]
fn a_merged_case_keeps_its_status_on_every_phone() {
    let mut b = second();
    close_as_merged(&mut b, "case-1", d("2026-11-28"), &supervisor()).expect("closes");
    let reopen = Edit::SetStatus {
        state: homeward_shared::model::CaseState::Active,
        reason: None,
        since: d("2026-11-28"),
        closure: None,
    };
    let err = schema::apply(&mut b, &reopen, &ctx_by(2, "2026-11-28")).expect_err("refused");
    assert_eq!(
        err,
        SchemaError::MergedAway {
            into: "case-1".into()
        }
    );
    let moved = Edit::RequestTransfer {
        district: "Nalanda".into(),
        block: "Rajgir".into(),
        village: "Pilkhi".into(),
        reason: "moved".into(),
        on: d("2026-11-28"),
    };
    assert!(matches!(
        schema::apply(&mut b, &moved, &ctx_by(2, "2026-11-28")),
        Err(SchemaError::MergedAway { .. })
    ));
    schema::apply(
        &mut b,
        &visit_edit("b-late", "2026-11-28", VisitKind::Phone, &[]),
        &ctx_by(2, "2026-11-28"),
    )
    .expect("a late visit is still kept, for the next merge to carry");
    assert_eq!(
        schema::read_case(&b)
            .expect("reads")
            .status
            .merged_into
            .as_deref(),
        Some("case-1")
    );
}

/// A child registered twice and merged counts once in the month's report (issue 12): the
/// second registration is not among the children followed, in the month of the merge or before.
#[test]
fn a_merged_second_registration_is_not_a_second_child_in_the_monthly_report() {
    use homeward_shared::indicators::{Month, monthly};
    use homeward_shared::programme::Programme;
    let mut a = kept();
    let mut b = second();
    carry_over(&mut a.doc, &b, &supervisor()).expect("merges");
    close_as_merged(&mut b, "case-1", d("2026-11-28"), &supervisor()).expect("closes");
    let cases = [a.case(), schema::read_case(&b).expect("reads")];
    for month in ["2026-10-01", "2026-11-01"] {
        let report = monthly(&cases, Month::of(d(month)), &Programme::default());
        assert_eq!(report.aggregates.children_followed, 1, "{month}");
        assert_eq!(report.children.len(), 1, "{month}");
    }
}
