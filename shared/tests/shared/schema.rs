//! The case document: round trips, refusals, idempotent retries, conflicts, malformed input.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT, ReadDoc};
use homeward_shared::edit::{Edit, InvalidEdit, NewService, ServiceProgress};
use homeward_shared::model::{
    Birth, Caregiver, DocumentKind, DocumentState, Education, Schooling, ServiceDimension,
    VisitKind,
};
use homeward_shared::need::{Dimension, Status};
use homeward_shared::schema::{self, SchemaError};
use proptest::prelude::*;

use crate::support::{Doc, IN_PROGRESS, actor, ctx, ctx_by, d, profile};

#[test]
fn a_registered_case_reads_back_with_every_field() {
    let p = profile("case-9", Birth::Dob(d("2014-03-02")), "2026-09-01");
    let doc = schema::new_case(actor(1), &p, &ctx("2026-09-01")).expect("registers");
    let case = schema::read_case(&doc).expect("reads");
    assert_eq!(case.id, "case-9");
    assert_eq!(case.child, p.child);
    assert_eq!(case.rescue, p.rescue);
    assert_eq!(case.legal_basis, p.legal_basis);
    assert!(
        case.needs
            .iter()
            .all(|n| n.status == Status::NotAssessed && n.history.is_empty())
    );
    assert_eq!(case.documents.len(), DocumentKind::ALL.len());
    assert!(
        case.documents
            .values()
            .all(|e| e.state == DocumentState::Missing)
    );
    assert!(case.is_active());
}

#[test]
fn a_case_survives_save_and_load_unchanged() {
    let mut doc = Doc::new("2026-01-01");
    doc.assess("2026-01-03", IN_PROGRESS)
        .edit(
            "2026-01-04",
            Edit::SetEducation(Education {
                kind: Some(Schooling::Bridge),
                institution: Some("Bridge centre".into()),
                enrolled_on: Some(d("2026-01-04")),
                attendance: Some("80%".into()),
                class: Some("5".into()),
            }),
        )
        .edit(
            "2026-01-05",
            Edit::SetDocument {
                kind: DocumentKind::Fir,
                state: DocumentState::Verified,
                on: d("2026-01-05"),
            },
        );
    let before = doc.case();
    let bytes = doc.doc.save();
    let loaded = schema::load(&bytes, actor(2)).expect("loads");
    assert_eq!(schema::read_case(&loaded).expect("reads"), before);
}

#[test]
fn a_retried_edit_is_stored_once() {
    let mut doc = Doc::new("2026-01-01");
    let visit = crate::support::visit_edit(
        "v1",
        "2026-01-02",
        VisitKind::FollowUp,
        &[(Dimension::Health, Status::Well)],
    );
    doc.edit("2026-01-02", visit.clone());
    doc.edit("2026-01-02", visit);
    let case = doc.case();
    assert_eq!(case.visits.len(), 1);
    assert_eq!(case.need(Dimension::Health).history.len(), 1);
}

#[test]
fn a_refused_edit_writes_nothing() {
    let mut doc = Doc::new("2026-01-01");
    doc.edit(
        "2026-01-25",
        Edit::AddService(NewService {
            id: "s1".into(),
            dimension: ServiceDimension::Compensation,
            scheme: "victim_compensation".into(),
            applied_on: Some(d("2026-01-02")),
            sanctioned_on: Some(d("2026-01-20")),
            paid_on: None,
            amount: None,
            stuck_reason: None,
        }),
    );
    let heads = doc.doc.get_heads();
    let rows: Vec<(Edit, &str)> = vec![
        (
            Edit::UpdateService(ServiceProgress {
                id: "s1".into(),
                paid_on: Some(d("2026-01-10")),
                ..Default::default()
            }),
            "paid on (2026-01-10) cannot be before sanctioned on (2026-01-20)",
        ),
        (
            Edit::UpdateService(ServiceProgress {
                id: "nope".into(),
                paid_on: Some(d("2026-01-25")),
                ..Default::default()
            }),
            "no service with id 'nope'",
        ),
        (
            crate::support::visit_edit("v9", "2026-03-01", VisitKind::FollowUp, &[]),
            "visit date (2026-03-01) is in the future",
        ),
        (
            Edit::SetNeed {
                update: homeward_shared::edit::NeedUpdate {
                    id: "x".into(),
                    dimension: Dimension::Education,
                    status: Status::Paid,
                    note: None,
                },
                on: d("2026-01-30"),
            },
            "status 'paid' is not one of education's statuses",
        ),
        (
            Edit::SetCaregiver(Caregiver {
                name: " ".into(),
                relation: "mother".into(),
                phone: None,
            }),
            "caregiver name must not be empty",
        ),
        (
            Edit::Register(Box::new(profile(
                "other",
                Birth::Dob(d("2015-01-01")),
                "2026-01-01",
            ))),
            "already holds case case-1",
        ),
    ];
    for (edit, message) in rows {
        let err = schema::apply(&mut doc.doc, &edit, &ctx("2026-02-01")).expect_err(message);
        assert!(
            err.to_string().contains(message),
            "{err} should say {message}"
        );
        assert_eq!(doc.doc.get_heads(), heads, "{message}: nothing written");
    }
    assert!(matches!(
        schema::apply(
            &mut doc.doc,
            &Edit::SetCaregiver(Caregiver::default()),
            &ctx("2026-02-01")
        ),
        Err(SchemaError::Invalid(InvalidEdit::Empty(_)))
    ));
}

#[test]
fn bytes_that_are_not_a_case_give_a_typed_error() {
    assert!(matches!(
        schema::load(b"not automerge at all", actor(1)),
        Err(SchemaError::Corrupt(_))
    ));
    let mut other = AutoCommit::new();
    other.put(ROOT, "title", "a shopping list").expect("put");
    assert!(matches!(
        schema::load(&other.save(), actor(1)),
        Err(SchemaError::NotACase { found: None })
    ));

    let mut doc = Doc::new("2026-01-01");
    doc.doc.put(ROOT, "schema", 99_u64).expect("put");
    let err = schema::read_case(&doc.doc).expect_err("newer schema");
    assert_eq!(err, SchemaError::UnsupportedVersion { found: 99 });
    assert!(err.to_string().contains("update the app"), "{err}");
}

#[test]
fn a_field_of_the_wrong_type_names_its_path() {
    let mut doc = Doc::new("2026-01-01");
    doc.visit("2026-01-02", VisitKind::FollowUp, &[]);
    let visits = match doc.doc.get(ROOT, "visits").expect("get") {
        Some((_, id)) => id,
        None => panic!("visits list exists"),
    };
    let v = match doc.doc.get(&visits, 0).expect("get") {
        Some((_, id)) => id,
        None => panic!("one visit"),
    };
    doc.doc.put(&v, "date", "yesterday").expect("put");
    let err = schema::read_case(&doc.doc).expect_err("bad date");
    assert!(err.to_string().contains("visits.date"), "{err}");
    doc.doc.put(ROOT, "needs", 7_i64).expect("put");
    let err = schema::read_case(&doc.doc).expect_err("bad needs");
    assert_eq!(
        err,
        SchemaError::Malformed {
            path: "needs".into(),
            expected: "an object"
        }
    );
}

#[test]
fn the_current_schema_needs_no_upgrade_and_a_newer_one_is_refused() {
    let mut doc = Doc::new("2026-01-01");
    assert_eq!(schema::schema_version(&doc.doc), Ok(schema::SCHEMA_VERSION));
    assert_eq!(schema::upgrade(&mut doc.doc, &ctx("2026-01-02")), Ok(false));
    doc.doc
        .put(ROOT, "schema", schema::SCHEMA_VERSION + 1)
        .expect("put");
    assert!(matches!(
        schema::upgrade(&mut doc.doc, &ctx("2026-01-02")),
        Err(SchemaError::UnsupportedVersion { .. })
    ));
}

fn set_education(id: &str, status: Status) -> Edit {
    Edit::SetNeed {
        update: homeward_shared::edit::NeedUpdate {
            id: id.into(),
            dimension: Dimension::Education,
            status,
            note: None,
        },
        on: d("2026-01-05"),
    }
}

/// A case whose education status two devices set at once: (device 1's doc, device 2's doc),
/// before they merge.
fn set_apart() -> (Doc, AutoCommit) {
    let mut a = Doc::new("2026-01-01");
    let mut b = a.doc.fork().with_actor(actor(2));
    let ctx = |n| ctx_by(n, "2026-01-05");
    schema::apply(&mut a.doc, &set_education("a", Status::Enrolled), &ctx(1)).expect("a");
    schema::apply(&mut b, &set_education("b", Status::NotEnrolled), &ctx(2)).expect("b");
    (a, b)
}

/// The same, merged both ways.
fn conflicted() -> (Doc, AutoCommit) {
    let (mut a, mut b) = set_apart();
    a.doc.merge(&mut b).expect("merge");
    b.merge(&mut a.doc).expect("merge back");
    (a, b)
}
#[test]
fn a_supervisor_settles_a_conflict_and_every_device_that_merges_it_agrees() {
    use homeward_shared::edit::Resolution;
    let (mut a, mut b) = conflicted();
    let path = "needs.education.status";
    let conflict = schema::conflicts(&a.doc).expect("lists");
    let worker2 = conflict[0]
        .values
        .iter()
        .find(|v| v.value == "not_enrolled")
        .expect("device 2's value")
        .actor
        .clone();
    // The supervisor's copy keeps device 2's value.
    let mut sup = a.doc.fork().with_actor(actor(9));
    let keep = Edit::ResolveConflict {
        path: path.into(),
        value: Resolution::Keep(worker2),
    };
    schema::apply(&mut sup, &keep, &ctx_by(9, "2026-01-07")).expect("resolves");
    assert!(schema::conflicts(&sup).expect("lists").is_empty());
    // Both devices receive the resolution and agree, with both observations in the history and
    // the settlement after them.
    a.doc.merge(&mut sup).expect("merge");
    b.merge(&mut sup).expect("merge");
    for doc in [&a.doc, &b] {
        assert!(schema::conflicts(doc).expect("lists").is_empty());
        let case = schema::read_case(doc).expect("reads");
        assert_eq!(case.need(Dimension::Education).status, Status::NotEnrolled);
        assert_eq!(case.need(Dimension::Education).history.len(), 3);
    }
}

/// What a report reads after a settlement (issue 12): the settled status, whichever of the two
/// concurrent entries the history lists last, with the settlement's day as "since"; and the
/// month's report made before any settlement reads the need's own status too.
#[test]
fn a_settled_status_is_what_a_report_of_the_month_reads_and_since_is_the_settlement_day() {
    use homeward_shared::edit::Resolution;
    for kept in [Status::Enrolled, Status::NotEnrolled] {
        let (mut a, _) = conflicted();
        let actor_of = |doc: &AutoCommit| {
            schema::conflicts(doc).expect("lists")[0]
                .values
                .iter()
                .find(|v| v.value == kept.key())
                .expect("a value")
                .actor
                .clone()
        };
        let mut sup = a.doc.fork().with_actor(actor(9));
        let keep = Edit::ResolveConflict {
            path: "needs.education.status".into(),
            value: Resolution::Keep(actor_of(&sup)),
        };
        schema::apply(&mut sup, &keep, &ctx_by(9, "2026-01-07")).expect("resolves");
        let case = schema::read_case(&sup).expect("reads");
        let month_end = d("2026-01-31");
        assert_eq!(
            case.as_of(month_end).need(Dimension::Education).status,
            kept,
            "the January report reads the settled status"
        );
        assert_eq!(
            case.need(Dimension::Education).status_since(),
            Some(d("2026-01-07")),
            "since: the settlement's day"
        );
        // Before the settlement, a report reads the need as the document holds it too.
        let mut unsettled = a.doc.fork();
        let (mut other, _) = conflicted();
        unsettled.merge(&mut other.doc).expect("merge");
        let mut resolved = unsettled.fork().with_actor(actor(8));
        let set = Edit::ResolveConflict {
            path: "needs.education.status".into(),
            value: Resolution::Keep(actor_of(&resolved)),
        };
        schema::apply(&mut resolved, &set, &ctx_by(8, "2026-02-10")).expect("resolves");
        let case = schema::read_case(&resolved).expect("reads");
        assert_eq!(
            case.as_of(month_end).need(Dimension::Education).status,
            kept,
            "a January report made after a February settlement reads it"
        );
    }
}

/// Each value of a conflict says who wrote it and when (issue 12: the supervisor saw a path and
/// two bare values): the time is the writing phone's moment of the edit, read from the change
/// that wrote the value, so a value written a day later reads a day later.
#[test]
fn each_conflicting_value_carries_its_author_and_the_moment_it_was_written() {
    let mut a = Doc::new("2026-01-01");
    let mut b = a.doc.fork().with_actor(actor(2));
    let (first, second) = (ctx_by(1, "2026-01-05"), ctx_by(2, "2026-01-06"));
    schema::apply(&mut a.doc, &set_education("a", Status::Enrolled), &first).expect("a");
    schema::apply(&mut b, &set_education("b", Status::NotEnrolled), &second).expect("b");
    a.doc.merge(&mut b).expect("merge");
    let conflicts = schema::conflicts(&a.doc).expect("lists");
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let mut seen: Vec<_> = conflicts[0]
        .values
        .iter()
        .map(|v| {
            (
                v.value.as_str(),
                v.author.as_ref().map(|a| a.name.clone()),
                v.at,
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        vec![
            ("enrolled", Some(first.author.name.clone()), Some(first.at)),
            (
                "not_enrolled",
                Some(second.author.name.clone()),
                Some(second.at)
            ),
        ],
        "each value with the user and the moment of the edit that wrote it"
    );
}

#[test]
fn a_conflict_takes_a_new_value_only_where_the_case_still_reads() {
    use homeward_shared::edit::Resolution;
    let (mut a, _) = conflicted();
    let path = "needs.education.status";
    let mut sup = a.doc.fork().with_actor(actor(9));
    let set = |v: &str| Edit::ResolveConflict {
        path: path.into(),
        value: Resolution::Set(v.into()),
    };
    let heads = sup.get_heads();
    // A status the need does not allow is refused, and nothing is written.
    let err = schema::apply(&mut sup, &set("well"), &ctx_by(9, "2026-01-07")).expect_err("refused");
    assert!(matches!(err, SchemaError::Malformed { .. }), "{err}");
    assert_eq!(sup.get_heads(), heads);
    // An actor that wrote no value there, a field without a conflict, a path that is not there.
    for (p, v) in [
        (path, Resolution::Keep("00ff".into())),
        ("needs.health.status", Resolution::Set("well".into())),
        ("needs.nowhere.status", Resolution::Set("well".into())),
    ] {
        let edit = Edit::ResolveConflict {
            path: p.into(),
            value: v,
        };
        let err = schema::apply(&mut sup, &edit, &ctx_by(9, "2026-01-07")).expect_err("refused");
        assert!(matches!(err, SchemaError::NotFound { .. }), "{p}: {err}");
        assert_eq!(sup.get_heads(), heads);
    }
    schema::apply(
        &mut sup,
        &set("enrolled_irregular"),
        &ctx_by(9, "2026-01-07"),
    )
    .expect("a new value");
    let case = schema::read_case(&sup).expect("reads");
    assert_eq!(
        case.need(Dimension::Education).status,
        Status::EnrolledIrregular
    );
    assert!(schema::conflicts(&sup).expect("lists").is_empty());
}

#[test]
fn a_field_set_on_two_devices_at_once_is_listed_with_both_values_and_authors() {
    let (mut a, mut b) = set_apart();
    schema::apply(
        &mut b,
        &Edit::SetCaregiver(Caregiver {
            name: "Kamla Devi".into(),
            relation: "mother".into(),
            phone: Some("0000099999".into()),
        }),
        &ctx_by(2, "2026-01-05"),
    )
    .expect("b");
    a.doc.merge(&mut b).expect("merge");

    let conflicts = schema::conflicts(&a.doc).expect("lists");
    let edu = conflicts
        .iter()
        .find(|c| c.path == "needs.education.status")
        .expect("education conflict");
    let mut values: Vec<_> = edu
        .values
        .iter()
        .map(|v| (v.value.as_str(), v.author.as_ref().map(|a| a.name.as_str())))
        .collect();
    values.sort();
    assert_eq!(
        values,
        [
            ("enrolled", Some("Worker 1")),
            ("not_enrolled", Some("Worker 2"))
        ]
    );
    assert!(
        conflicts.iter().all(|c| c.path != "child.caregiver.phone"),
        "only one device changed the phone: no conflict"
    );
    let case = a.case();
    assert_eq!(
        case.need(Dimension::Education).history.len(),
        2,
        "both observations are kept"
    );

    // Setting the field again after seeing both values settles it.
    schema::apply(
        &mut a.doc,
        &set_education("c", Status::Enrolled),
        &ctx_by(3, "2026-01-06"),
    )
    .expect("settle");
    assert!(schema::conflicts(&a.doc).expect("lists").is_empty());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_registration_round_trips_for_any_text(
        name in "\\PC{1,40}",
        village in "[a-zA-Z\u{0900}-\u{097F} ]{1,30}",
        phone in proptest::option::of("[0-9]{5,12}"),
        other in proptest::collection::vec("\\PC{1,20}", 0..3),
        years in 0u8..18,
    ) {
        prop_assume!(!name.trim().is_empty() && !village.trim().is_empty());
        let mut p = profile("c", Birth::Estimated { years, as_of: d("2026-01-01") }, "2026-01-02");
        p.child.name = name;
        p.child.address.village = village;
        p.child.other_names = other;
        if let Some(c) = p.child.caregiver.as_mut() { c.phone = phone; }
        let mut doc = schema::new_case(actor(3), &p, &ctx("2026-01-02")).expect("registers");
        let loaded = schema::load(&doc.save(), actor(4)).expect("loads");
        let case = schema::read_case(&loaded).expect("reads");
        prop_assert_eq!(case.child, p.child);
    }

    #[test]
    fn damaged_bytes_never_panic(cut in 0usize..4000, flip in 0usize..4000, byte: u8) {
        let mut doc = Doc::new("2026-01-01");
        doc.assess("2026-01-03", IN_PROGRESS);
        let mut bytes = doc.doc.save();
        if !bytes.is_empty() {
            let i = flip % bytes.len();
            bytes[i] = byte;
            bytes.truncate(cut.max(1));
        }
        // Any outcome but a panic is acceptable: Ok for a harmless flip, a typed error otherwise.
        if let Ok(loaded) = schema::load(&bytes, actor(2)) {
            let _ = schema::read_case(&loaded);
            let _ = schema::conflicts(&loaded);
        }
    }
}

#[test]
fn a_field_date_may_be_one_day_ahead_of_the_utc_recording_day_and_no_more() {
    // 00:30 in Bihar on 2 February is 19:00 UTC on 1 February.
    let mut doc = Doc::new("2026-01-01");
    let ctx = ctx("2026-02-01");
    let ok = crate::support::visit_edit("v1", "2026-02-02", VisitKind::FollowUp, &[]);
    schema::apply(&mut doc.doc, &ok, &ctx).expect("the local date is one day ahead of UTC");
    let late = crate::support::visit_edit("v2", "2026-02-03", VisitKind::FollowUp, &[]);
    let err = schema::apply(&mut doc.doc, &late, &ctx).expect_err("two days ahead");
    assert!(err.to_string().contains("in the future"), "{err}");
}

/// A registered case with `levels` maps nested under one root key, as a hostile device would
/// push it (about 6.6 KB for 2,000 levels).
fn nested(levels: usize) -> AutoCommit {
    let mut doc = Doc::new("2026-01-01").doc;
    let mut obj = doc
        .put_object(ROOT, "x", automerge::ObjType::Map)
        .expect("map");
    for _ in 1..levels {
        obj = doc
            .put_object(&obj, "x", automerge::ObjType::Map)
            .expect("map");
    }
    doc.commit();
    doc
}

#[test]
fn a_document_nested_thousands_of_levels_deep_is_refused_without_exhausting_the_stack() {
    let mut doc = nested(2_000);
    let saved = doc.save();
    assert!(
        saved.len() < 16_000,
        "the attack is small: {} bytes",
        saved.len()
    );
    let loaded = schema::load(&saved, actor(2)).expect("automerge loads it (flat op storage)");
    for err in [
        schema::read_case(&loaded).expect_err("refused"),
        schema::conflicts(&loaded).expect_err("refused"),
        schema::check_shape(&loaded).expect_err("refused"),
    ] {
        assert_eq!(
            err,
            SchemaError::TooDeep {
                limit: schema::MAX_DEPTH
            }
        );
    }
}

#[test]
fn a_document_nested_as_deep_as_the_limit_still_reads() {
    // The case's own deepest object (needs.<dimension>.history[i]) is at level 4; a document
    // that adds nesting up to the limit reads, one more level is refused.
    let ok = nested(schema::MAX_DEPTH);
    schema::read_case(&ok).expect("at the limit");
    let deep = nested(schema::MAX_DEPTH + 1);
    assert!(matches!(
        schema::read_case(&deep),
        Err(SchemaError::TooDeep { .. })
    ));
}

#[test]
fn a_document_with_a_huge_string_or_too_many_objects_is_refused() {
    let mut doc = Doc::new("2026-01-01").doc;
    let child = match doc.get(ROOT, "child").expect("reads") {
        Some((automerge::Value::Object(_), id)) => id,
        _ => panic!("child is a map"),
    };
    doc.put(&child, "name", "x".repeat(schema::MAX_STRING_BYTES + 1))
        .expect("put");
    assert!(matches!(
        schema::read_case(&doc),
        Err(SchemaError::TooLarge {
            what: "bytes in one string",
            ..
        })
    ));

    // The object and value bounds, with small limits (a document of 50,000 objects takes
    // minutes to build in a debug test).
    let small = schema::ShapeLimits {
        depth: schema::MAX_DEPTH,
        objects: 200,
        values: 2_000,
        string_bytes: schema::MAX_STRING_BYTES,
    };
    let mut doc = Doc::new("2026-01-01").doc;
    schema::check_shape_within(&doc, &small).expect("a new case is small");
    let list = doc
        .put_object(ROOT, "junk", automerge::ObjType::List)
        .expect("list");
    for i in 0..200 {
        doc.insert_object(&list, i, automerge::ObjType::Map)
            .expect("insert");
    }
    assert!(matches!(
        schema::check_shape_within(&doc, &small),
        Err(SchemaError::TooLarge {
            what: "objects",
            ..
        })
    ));
    let mut doc = Doc::new("2026-01-01").doc;
    let list = doc
        .put_object(ROOT, "junk", automerge::ObjType::List)
        .expect("list");
    for i in 0..2_000 {
        doc.insert(&list, i, 1u64).expect("insert");
    }
    assert!(matches!(
        schema::check_shape_within(&doc, &small),
        Err(SchemaError::TooLarge { what: "values", .. })
    ));
}

#[test]
fn every_text_of_an_edit_has_a_length_limit() {
    use homeward_shared::edit::{MAX_NAME, MAX_NOTE};
    let mut doc = Doc::new("2026-01-01");
    let long_note = "न".repeat(MAX_NOTE + 1);
    let visit = crate::support::visit_edit("v1", "2026-01-02", VisitKind::FollowUp, &[]);
    let Edit::RecordVisit { mut visit, updates } = visit else {
        panic!("a visit edit")
    };
    visit.note = Some(long_note.clone());
    let err = schema::apply(
        &mut doc.doc,
        &Edit::RecordVisit {
            visit: visit.clone(),
            updates: updates.clone(),
        },
        &ctx("2026-01-02"),
    )
    .expect_err("a note of 2,001 characters");
    assert_eq!(
        err,
        SchemaError::Invalid(InvalidEdit::TooLong {
            what: "note",
            max: MAX_NOTE
        })
    );
    visit.note = Some("न".repeat(MAX_NOTE));
    schema::apply(
        &mut doc.doc,
        &Edit::RecordVisit { visit, updates },
        &ctx("2026-01-02"),
    )
    .expect("2,000 Devanagari characters are within the limit and the document's string bound");

    let mut p = profile("c2", Birth::Dob(d("2014-03-02")), "2026-01-01");
    p.child.name = "a".repeat(MAX_NAME + 1);
    let err = schema::new_case(actor(1), &p, &ctx("2026-01-01")).expect_err("a long name");
    assert_eq!(
        err,
        SchemaError::Invalid(InvalidEdit::TooLong {
            what: "name",
            max: MAX_NAME
        })
    );
    p.child.name = "Sonu".into();
    p.child.other_names = vec!["x".into(); 11];
    assert!(matches!(
        schema::new_case(actor(1), &p, &ctx("2026-01-01")),
        Err(SchemaError::Invalid(InvalidEdit::TooMany { .. }))
    ));
}

/// What a device with actor `n` pushes when it applies `edit` signed as `signed`.
fn device_change(
    before: &AutoCommit,
    n: u8,
    edit: &Edit,
    signed: &homeward_shared::edit::EditContext,
) -> (AutoCommit, automerge::Change) {
    let mut dev = before.clone().with_actor(actor(n));
    schema::apply(&mut dev, edit, signed).expect("the edit applies on the device");
    let change = dev.get_last_local_change().expect("a change").clone();
    (dev, change)
}

#[test]
fn a_change_that_signs_as_another_user_is_refused() {
    let doc = Doc::new("2026-01-01").doc;
    let visit = crate::support::visit_edit("v9", "2026-01-03", VisitKind::FollowUp, &[]);
    // Device 2 belongs to Worker 2 but signs the visit as Worker 1.
    let (after, change) = device_change(&doc, 2, &visit, &ctx_by(1, "2026-01-03"));
    let err = schema::check_change(&doc, &after, &change, &crate::support::author(2))
        .expect_err("forged authorship");
    assert!(
        matches!(&err, SchemaError::NotAllowed(m) if m.contains("other than its own user's")),
        "{err}"
    );
    // A change that writes only the visit's signature (the device's actor entry is right).
    let (mut dev, _) = device_change(&doc, 2, &visit, &ctx_by(2, "2026-01-03"));
    let before = dev.clone();
    let visits = match dev.get(ROOT, "visits").expect("reads") {
        Some((automerge::Value::Object(_), id)) => id,
        _ => panic!("visits is a list"),
    };
    let v = match dev.get(&visits, 0).expect("reads") {
        Some((automerge::Value::Object(_), id)) => id,
        _ => panic!("a visit"),
    };
    dev.put(&v, "by", "user-1").expect("put");
    dev.put(&v, "by_name", "Worker 1").expect("put");
    dev.commit();
    let change = dev.get_last_local_change().expect("a change").clone();
    let err = schema::check_change(&before, &dev, &change, &crate::support::author(2))
        .expect_err("forged signature");
    assert_eq!(
        err,
        SchemaError::NotAllowed("sign visits.0.by with an author other than its own user's".into())
    );
    // Signed as itself, the same visit is accepted.
    let (after, change) = device_change(&doc, 2, &visit, &ctx_by(2, "2026-01-03"));
    schema::check_change(&doc, &after, &change, &crate::support::author(2))
        .expect("its own signature");
}

#[test]
fn a_change_that_relabels_another_device_in_the_actor_map_is_refused() {
    let doc = Doc::new("2026-01-01").doc;
    let mut dev = doc.clone().with_actor(actor(2));
    let actors = match dev.get(ROOT, "actors").expect("reads") {
        Some((automerge::Value::Object(_), id)) => id,
        _ => panic!("actors is a map"),
    };
    let first = match dev
        .get(&actors, actor(1).to_hex_string().as_str())
        .expect("reads")
    {
        Some((automerge::Value::Object(_), id)) => id,
        _ => panic!("device 1 has an entry"),
    };
    dev.put(&first, "name", "Worker 2").expect("put");
    dev.commit();
    let change = dev.get_last_local_change().expect("a change").clone();
    let err = schema::check_change(&doc, &dev, &change, &crate::support::author(2))
        .expect_err("another device's entry");
    assert!(
        matches!(&err, SchemaError::NotAllowed(m) if m.contains("another device's entry")),
        "{err}"
    );
}

#[test]
fn a_change_that_deletes_or_replaces_records_is_refused() {
    let mut base = Doc::new("2026-01-01");
    base.visit("2026-01-02", VisitKind::FollowUp, &[]);
    let doc = base.doc;
    let visits = match doc.get(ROOT, "visits").expect("reads") {
        Some((automerge::Value::Object(_), id)) => id,
        _ => panic!("visits is a list"),
    };
    let mut del = doc.clone().with_actor(actor(2));
    del.delete(&visits, 0).expect("delete");
    del.commit();
    let change = del.get_last_local_change().expect("a change").clone();
    let err = schema::check_change(&doc, &del, &change, &crate::support::author(2))
        .expect_err("a deleted visit");
    assert!(
        matches!(&err, SchemaError::NotAllowed(m) if m.starts_with("delete")),
        "{err}"
    );

    // Deleting a field's only value removes the field.
    let mut unset = doc.clone().with_actor(actor(2));
    let child = match unset.get(ROOT, "child").expect("reads") {
        Some((automerge::Value::Object(_), id)) => id,
        _ => panic!("child is a map"),
    };
    unset.delete(&child, "name").expect("delete");
    unset.commit();
    let change = unset.get_last_local_change().expect("a change").clone();
    let err = schema::check_change(&doc, &unset, &change, &crate::support::author(2))
        .expect_err("a field deleted");
    assert_eq!(err, SchemaError::NotAllowed("delete child.name".into()));

    let mut replace = doc.clone().with_actor(actor(2));
    replace
        .put_object(ROOT, "visits", automerge::ObjType::List)
        .expect("replace");
    replace.commit();
    let change = replace.get_last_local_change().expect("a change").clone();
    let err = schema::check_change(&doc, &replace, &change, &crate::support::author(2))
        .expect_err("a replaced visit list");
    assert!(
        matches!(&err, SchemaError::NotAllowed(m) if m == "replace visits"),
        "{err}"
    );
}

#[test]
fn every_change_of_a_synthetic_caseload_passes_the_authorship_check() {
    use homeward_shared::synth::{self, Options};
    let load = synth::caseload(Options {
        seed: 11,
        cases: 12,
        until: d("2026-11-01"),
        months: 18,
    });
    let mut checked = 0;
    for case in &load.cases {
        let empty = AutoCommit::new();
        let (mut doc, change) = device_change(
            &empty,
            1,
            &Edit::Register(Box::new(case.profile.clone())),
            &case.registered,
        );
        schema::check_change(&empty, &doc, &change, &case.registered.author)
            .expect("a registration");
        for (ctx, edit) in &case.edits {
            let before = doc.clone();
            schema::apply(&mut doc, edit, ctx).expect("applies");
            if let Some(change) = doc.get_last_local_change()
                && before.get_change_by_hash(&change.hash()).is_none()
            {
                schema::check_change(&before, &doc, &change, &ctx.author)
                    .unwrap_or_else(|e| panic!("{}: {e}", edit.summary()));
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "checked {checked} edits");
}

#[test]
fn a_supervisors_settlement_of_a_conflict_passes_the_authorship_check() {
    use homeward_shared::edit::Resolution;
    for value in [
        Resolution::Set("enrolled_irregular".into()),
        Resolution::Keep(actor(2).to_hex_string()),
    ] {
        let (a, _) = conflicted();
        let edit = Edit::ResolveConflict {
            path: "needs.education.status".into(),
            value,
        };
        let (after, change) = device_change(&a.doc, 9, &edit, &ctx_by(9, "2026-01-07"));
        schema::check_change(&a.doc, &after, &change, &crate::support::author(9))
            .expect("a settlement only sets the field");
    }
}
