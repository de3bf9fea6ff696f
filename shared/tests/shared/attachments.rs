//! Copies of documents (issue 15): the references in the case document, withdrawing, verifying
//! and confirming, the list two devices may create at once on an older case, the programme's
//! limits, the edits' checks and the merge.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT, ReadDoc};
use homeward_shared::attachment::{self, AttachProblem};
use homeward_shared::edit::{Edit, InvalidEdit, NewAttachment};
use homeward_shared::i18n::{Catalogue, Lang};
use homeward_shared::model::{AttachmentPage, DocumentKind, DocumentState, MediaType};
use homeward_shared::programme::{AttachmentLimits, Programme};
use homeward_shared::refusal;
use homeward_shared::schema::{self, SchemaError, merge};

use crate::support::{Doc, actor, author, ctx, ctx_by, d};

fn page(seed: &str, size: u64) -> AttachmentPage {
    AttachmentPage {
        hash: attachment::sha256_hex(seed.as_bytes()),
        size,
        media_type: MediaType::Jpeg,
    }
}

fn attach(id: &str, kind: DocumentKind, pages: Vec<AttachmentPage>, on: &str) -> Edit {
    Edit::Attach(NewAttachment {
        id: id.into(),
        kind,
        pages,
        taken_on: d(on),
    })
}

fn fir_scan() -> Edit {
    attach(
        "att-1",
        DocumentKind::Fir,
        vec![
            page("p1", 200_000),
            page("p2", 180_000),
            page("p3", 210_000),
        ],
        "2026-03-02",
    )
}

#[test]
fn a_copy_reads_back_as_references_and_a_retry_writes_nothing() {
    let mut doc = Doc::new("2026-02-01");
    let bytes_before = doc.doc.save().len();
    doc.edit("2026-03-02", fir_scan());
    let heads = doc.doc.get_heads();
    doc.edit("2026-03-02", fir_scan());
    assert_eq!(doc.doc.get_heads(), heads, "a retried copy is a no-op");
    let case = doc.case();
    assert_eq!(case.attachments.len(), 1);
    let a = &case.attachments[0];
    assert_eq!(a.kind, DocumentKind::Fir);
    assert_eq!(a.pages.len(), 3);
    assert_eq!(a.size(), 590_000);
    assert_eq!(a.taken_on, d("2026-03-02"));
    assert_eq!(a.recorded_by, author(1));
    assert!(a.withdrawn.is_none() && a.verified.is_none());
    assert_eq!(case.copies(DocumentKind::Fir).count(), 1);
    assert_eq!(case.copies(DocumentKind::CarePlan).count(), 0);
    // References only: 590 KB of pages cost the document a few hundred bytes.
    let grew = doc.doc.save().len() - bytes_before;
    assert!(grew < 1_000, "the document grew by {grew} bytes");
    // Attaching a copy does not change the checklist: the fieldworker marks it received.
    assert_eq!(case.document(DocumentKind::Fir), DocumentState::Missing);
}

#[test]
fn verifying_a_copy_marks_the_checklist_verified_by_that_person() {
    let mut doc = Doc::new("2026-02-01");
    doc.edit("2026-03-02", fir_scan());
    let supervisor = ctx_by(9, "2026-03-05");
    schema::apply(
        &mut doc.doc,
        &Edit::VerifyCopy {
            id: "att-1".into(),
            on: d("2026-03-05"),
        },
        &supervisor,
    )
    .expect("verifies");
    let case = doc.case();
    let v = case.attachments[0].verified.as_ref().expect("verified");
    assert_eq!((v.on, &v.by), (d("2026-03-05"), &author(9)));
    let entry = &case.documents[&DocumentKind::Fir];
    assert_eq!(entry.state, DocumentState::Verified);
    assert_eq!(entry.on, Some(d("2026-03-05")));
    assert_eq!(entry.by.as_ref(), Some(&author(9)));
    assert_eq!(attachment::verified_copies(&case), [DocumentKind::Fir]);
    // The month before, the copy was neither there nor verified.
    let earlier = case.as_of(d("2026-03-01"));
    assert!(earlier.attachments.is_empty());
    let that_day = case.as_of(d("2026-03-04"));
    assert!(that_day.attachments[0].verified.is_none());
}

#[test]
fn a_withdrawn_copy_stays_in_the_record_and_cannot_be_verified() {
    let mut doc = Doc::new("2026-02-01");
    doc.edit("2026-03-02", fir_scan());
    // Only a withdrawn copy's withdrawal can be confirmed.
    let confirm = Edit::ConfirmWithdrawal { id: "att-1".into() };
    let err =
        schema::apply(&mut doc.doc, &confirm, &ctx_by(9, "2026-03-03")).expect_err("not withdrawn");
    assert_eq!(
        err,
        SchemaError::Invalid(InvalidEdit::CopyNotWithdrawn("att-1".into()))
    );
    doc.edit(
        "2026-03-03",
        Edit::WithdrawAttachment {
            id: "att-1".into(),
            reason: "another child's paper".into(),
            on: d("2026-03-03"),
        },
    );
    let case = doc.case();
    let w = case.attachments[0].withdrawn.as_ref().expect("withdrawn");
    assert_eq!(w.reason, "another child's paper");
    assert!(w.confirmed_by.is_none());
    assert_eq!(case.copies(DocumentKind::Fir).count(), 0);
    assert!(attachment::wanted_pages(&case).is_empty());
    assert_eq!(attachment::held(&case), 0);

    let verify = Edit::VerifyCopy {
        id: "att-1".into(),
        on: d("2026-03-04"),
    };
    let heads = doc.doc.get_heads();
    let err =
        schema::apply(&mut doc.doc, &verify, &ctx_by(9, "2026-03-04")).expect_err("withdrawn");
    assert_eq!(
        err,
        SchemaError::Invalid(InvalidEdit::CopyWithdrawn("att-1".into()))
    );
    assert_eq!(doc.doc.get_heads(), heads, "nothing written");

    schema::apply(&mut doc.doc, &confirm, &ctx_by(9, "2026-03-04")).expect("confirms");
    let w = doc.case().attachments[0]
        .withdrawn
        .clone()
        .expect("withdrawn");
    assert_eq!(w.confirmed_by, Some(author(9)));
    // A copy nobody attached is not found.
    let missing = Edit::WithdrawAttachment {
        id: "att-9".into(),
        reason: "x".into(),
        on: d("2026-03-04"),
    };
    let err = schema::apply(&mut doc.doc, &missing, &ctx("2026-03-04")).expect_err("none");
    assert!(matches!(err, SchemaError::NotFound { what: "copy", .. }));
}

#[test]
fn the_edits_refuse_bad_references_and_dates() {
    let mut doc = Doc::new("2026-02-01");
    let mut bad_hash = page("p1", 10);
    bad_hash.hash = bad_hash.hash.to_uppercase();
    let cases = [
        (
            attach("a", DocumentKind::Fir, vec![], "2026-03-02"),
            InvalidEdit::Required("pages"),
        ),
        (
            attach(
                "a",
                DocumentKind::Fir,
                vec![page("p1", 10), bad_hash],
                "2026-03-02",
            ),
            InvalidEdit::BadPage { page: 2 },
        ),
        (
            attach("a", DocumentKind::Fir, vec![page("p1", 0)], "2026-03-02"),
            InvalidEdit::BadPage { page: 1 },
        ),
        (
            attach("a", DocumentKind::Fir, vec![page("p1", 10)], "2027-01-01"),
            InvalidEdit::InFuture {
                what: "taken on",
                on: d("2027-01-01"),
            },
        ),
        (
            attach(
                "a",
                DocumentKind::Fir,
                (0..101).map(|i| page(&i.to_string(), 10)).collect(),
                "2026-03-02",
            ),
            InvalidEdit::TooMany {
                what: "pages",
                max: 101 - 1,
            },
        ),
        (
            Edit::WithdrawAttachment {
                id: "a".into(),
                reason: " ".into(),
                on: d("2026-03-02"),
            },
            InvalidEdit::Empty("reason"),
        ),
    ];
    let heads = doc.doc.get_heads();
    for (edit, want) in cases {
        let err = schema::apply(&mut doc.doc, &edit, &ctx("2026-03-02")).expect_err("refused");
        assert_eq!(err, SchemaError::Invalid(want), "{edit:?}");
        assert_eq!(doc.doc.get_heads(), heads, "nothing written by {edit:?}");
    }
}

#[test]
fn the_programme_limits_pages_files_and_cases_and_words_each_refusal() {
    let mut doc = Doc::new("2026-02-01");
    doc.edit(
        "2026-03-02",
        attach(
            "big",
            DocumentKind::CarePlan,
            vec![page("c1", 3 * 1024 * 1024)],
            "2026-03-02",
        ),
    );
    let case = doc.case();
    let limits = AttachmentLimits {
        max_file_kb: 1024,
        max_case_mb: 4,
        max_pages: 2,
    };
    assert_eq!(
        attachment::check_new(&case, &[], &limits),
        Err(AttachProblem::NoPages)
    );
    let three = [page("a", 1), page("b", 1), page("c", 1)];
    assert_eq!(
        attachment::check_new(&case, &three, &limits),
        Err(AttachProblem::TooManyPages { pages: 3, max: 2 })
    );
    assert_eq!(
        attachment::check_new(&case, &[page("a", 1), page("b", 1024 * 1024 + 1)], &limits),
        Err(AttachProblem::FileTooLarge {
            page: 2,
            size: 1024 * 1024 + 1,
            max: 1024 * 1024
        })
    );
    // 3 MB held (under a larger limit then) and 1 MB more is within 4 MB; a byte more is not.
    assert_eq!(
        attachment::check_new(&case, &[page("a", 1024 * 1024)], &limits),
        Ok(())
    );
    assert_eq!(
        attachment::check_new(
            &case,
            &[page("a", 512 * 1024), page("b", 512 * 1024 + 1)],
            &limits
        ),
        Err(AttachProblem::CaseTooLarge {
            total: 4 * 1024 * 1024 + 1,
            max: 4 * 1024 * 1024
        })
    );
    // The server's check of a pushed case: its 3 MB page is above this programme's 1 MB.
    assert_eq!(
        attachment::check_case(&case, &limits),
        Err(AttachProblem::FileTooLarge {
            page: 1,
            size: 3 * 1024 * 1024,
            max: 1024 * 1024
        })
    );
    assert_eq!(
        attachment::check_case(&case, &Programme::default().attachments),
        Ok(())
    );
    let problems = [
        AttachProblem::NoPages,
        AttachProblem::TooManyPages { pages: 3, max: 2 },
        AttachProblem::UnknownType { page: 1 },
        AttachProblem::FileTooLarge {
            page: 2,
            size: 5_000_000,
            max: 1_048_576,
        },
        AttachProblem::CaseTooLarge {
            total: 42_000_000,
            max: 41_943_040,
        },
    ];
    for lang in [Lang::En, Lang::Hi] {
        let c = Catalogue::new(lang);
        for p in &problems {
            let text = refusal::attach_problem(p, &c);
            assert!(
                !text.contains("attach-") && !text.is_empty(),
                "{lang:?} {p:?}: {text}"
            );
        }
    }
    let c = Catalogue::new(Lang::En);
    assert_eq!(
        refusal::attach_problem(&problems[3], &c),
        "page 2 is 4883 KB: a page may be at most 1024 KB (the programme's attachments max_file_kb)"
    );
}

#[test]
fn a_programme_file_sets_the_limits_and_refuses_nonsense_with_its_line() {
    let p = Programme::from_toml("[attachments]\nmax_file_kb = 800\n").expect("reads");
    assert_eq!(p.attachments.max_file_kb, 800);
    assert_eq!(p.attachments.max_pages, 20, "the default kept");
    let whole = Programme::from_whole_toml(&p.to_toml()).expect("round trip");
    assert_eq!(whole.attachments, p.attachments);
    let err = Programme::from_toml("[attachments]\nmax_pages = 0\n").expect_err("refused");
    assert_eq!(err.line(), Some(2));
    let err = Programme::from_toml("[attachments]\nmax_pages = 500\n").expect_err("refused");
    assert!(err.to_string().contains("max_pages = 500"), "{err}");
}

/// An older case: no `attachments` list in its document.
fn older_case() -> AutoCommit {
    let mut doc = Doc::new("2026-02-01").doc;
    doc.delete(ROOT, "attachments").expect("delete");
    doc.commit();
    assert!(doc.get(ROOT, "attachments").expect("reads").is_none());
    assert!(
        schema::read_case(&doc)
            .expect("reads")
            .attachments
            .is_empty()
    );
    doc
}

#[test]
fn two_devices_giving_an_older_case_its_first_copy_at_once_lose_neither() {
    let mut base = older_case();
    let mut a = base.fork().with_actor(actor(2));
    let mut b = base.fork().with_actor(actor(3));
    schema::apply(&mut a, &fir_scan(), &ctx_by(2, "2026-03-02")).expect("attaches on A");
    let plan = attach(
        "att-2",
        DocumentKind::CarePlan,
        vec![page("cp", 90_000)],
        "2026-03-03",
    );
    schema::apply(&mut b, &plan, &ctx_by(3, "2026-03-03")).expect("attaches on B");
    let a_change = a.get_last_local_change().expect("A's change").clone();
    let b_change = b.get_last_local_change().expect("B's change").clone();
    let mut server = base.clone();
    server.apply_changes([a_change.clone()]).expect("applies");
    let mut after = server.clone();
    after.apply_changes([b_change.clone()]).expect("applies");
    schema::check_change(&base, &server, &a_change, &author(2)).expect("A's push");
    schema::check_change(&server, &after, &b_change, &author(3)).expect("B's push");
    schema::check_shape(&after).expect("both lists within the limits");
    a.merge(&mut b).expect("merge");
    for doc in [&a, &after] {
        let ids: Vec<String> = schema::read_case(doc)
            .expect("reads")
            .attachments
            .into_iter()
            .map(|x| x.id)
            .collect();
        assert_eq!(ids, ["att-1", "att-2"]);
        assert!(schema::conflicts(doc).expect("conflicts").is_empty());
    }
    // The copy in the list Automerge does not show is withdrawn and verified like any other.
    for (edit, by) in [
        (
            Edit::VerifyCopy {
                id: "att-2".into(),
                on: d("2026-03-05"),
            },
            9,
        ),
        (
            Edit::WithdrawAttachment {
                id: "att-1".into(),
                reason: "blurred".into(),
                on: d("2026-03-05"),
            },
            2,
        ),
    ] {
        schema::apply(&mut a, &edit, &ctx_by(by, "2026-03-05")).expect("either list");
    }
    let case = schema::read_case(&a).expect("reads");
    assert!(case.attachments[0].withdrawn.is_some());
    assert!(case.attachments[1].verified.is_some());
    assert_eq!(
        case.document(DocumentKind::CarePlan),
        DocumentState::Verified
    );
}

#[test]
fn a_device_that_saw_the_copies_list_may_not_replace_it() {
    let mut doc = Doc::new("2026-02-01");
    doc.edit("2026-03-02", fir_scan());
    let before = doc.doc.clone();
    let mut dev = before.clone().with_actor(actor(2));
    dev.put_object(ROOT, "attachments", automerge::ObjType::List)
        .expect("put");
    dev.commit();
    let change = dev.get_last_local_change().expect("a change").clone();
    let err = schema::check_change(&before, &dev, &change, &author(2)).expect_err("replaced");
    assert_eq!(err, SchemaError::NotAllowed("replace attachments".into()));
}

#[test]
fn a_merge_carries_the_other_registrations_copies_as_they_stand() {
    let mut kept = Doc::new("2026-02-01");
    let mut other = {
        let mut p = crate::support::profile(
            "case-2",
            homeward_shared::model::Birth::Estimated {
                years: 10,
                as_of: d("2026-02-01"),
            },
            "2026-02-01",
        );
        p.child.name = "Sooraj Yadav".into();
        schema::new_case(actor(2), &p, &ctx_by(2, "2026-02-01")).expect("registers")
    };
    for (edit, day) in [
        (fir_scan(), "2026-03-02"),
        (
            Edit::WithdrawAttachment {
                id: "att-1".into(),
                reason: "blurred".into(),
                on: d("2026-03-03"),
            },
            "2026-03-03",
        ),
        (
            attach(
                "att-2",
                DocumentKind::BankAccount,
                vec![page("b", 80_000)],
                "2026-03-04",
            ),
            "2026-03-04",
        ),
    ] {
        schema::apply(&mut other, &edit, &ctx_by(2, day)).expect("edits");
    }
    // The kept case is an older one without the list: the merge creates it.
    kept.doc.delete(ROOT, "attachments").expect("delete");
    kept.doc.commit();
    let carried =
        merge::carry_over(&mut kept.doc, &other, &ctx_by(9, "2026-03-10")).expect("merges");
    assert_eq!(carried.attachments, 2);
    let case = kept.case();
    assert_eq!(case.attachments.len(), 2);
    assert!(
        case.attachments[0].withdrawn.is_some(),
        "withdrawn stays withdrawn"
    );
    assert_eq!(case.attachments[1].kind, DocumentKind::BankAccount);
    // A second merge carries nothing twice.
    let again = merge::carry_over(&mut kept.doc, &other, &ctx_by(9, "2026-03-11")).expect("merges");
    assert_eq!(again.attachments, 0);
}
