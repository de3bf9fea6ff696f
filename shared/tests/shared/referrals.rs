//! Referrals (issue 17): the edits and their checks, the document list two devices may create
//! at once on an older case, the prompts, the month's report, the gaps and the merge.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ROOT, ReadDoc};
use homeward_shared::edit::{Edit, InvalidEdit, NewReferral, ReferralUpdate};
use homeward_shared::gaps::resource_gaps;
use homeward_shared::indicators::{self, Month};
use homeward_shared::model::{Birth, ReferralState, Sex};
use homeward_shared::need::{Dimension, Status};
use homeward_shared::programme::Programme;
use homeward_shared::prompt::{self, Priority, PromptKind};
use homeward_shared::resource::{Resource, ResourceKind, suggest};
use homeward_shared::schema::{self, SchemaError};

use crate::support::{ALL_SETTLED, Doc, actor, author, ctx, ctx_by, d, profile};

fn refer(id: &str, resource: &str, kind: ResourceKind, dim: Dimension, on: &str) -> Edit {
    Edit::Refer(NewReferral {
        id: id.into(),
        resource_id: resource.into(),
        resource_kind: kind,
        resource_name: format!("{resource} centre"),
        dimension: dim,
        on: d(on),
        note: Some("tailoring course".into()),
    })
}

fn step(id: &str, referral: &str, state: ReferralState, on: &str, note: Option<&str>) -> Edit {
    Edit::UpdateReferral(ReferralUpdate {
        id: id.into(),
        referral_id: referral.into(),
        state,
        on: d(on),
        note: note.map(str::to_owned),
    })
}

fn livelihood() -> Edit {
    refer(
        "r1",
        "res-jeevika",
        ResourceKind::Livelihood,
        Dimension::Livelihood,
        "2026-03-02",
    )
}

/// Assessed with every need settled but livelihood, which needs support.
fn needs_livelihood() -> Doc {
    let mut statuses = ALL_SETTLED;
    statuses[3] = Status::NeedsSupport;
    let mut doc = Doc::new("2026-02-01");
    doc.assess("2026-02-03", statuses);
    doc
}

#[test]
fn a_referral_and_its_steps_read_back_and_a_retry_writes_nothing() {
    let mut doc = needs_livelihood();
    doc.edit("2026-03-02", livelihood());
    let heads = doc.doc.get_heads();
    doc.edit("2026-03-02", livelihood());
    assert_eq!(doc.doc.get_heads(), heads, "a retried referral is a no-op");
    doc.edit(
        "2026-03-09",
        step("s1", "r1", ReferralState::Accepted, "2026-03-09", None),
    );
    doc.edit(
        "2026-04-20",
        step(
            "s2",
            "r1",
            ReferralState::Served,
            "2026-04-20",
            Some("joined"),
        ),
    );
    let heads = doc.doc.get_heads();
    doc.edit(
        "2026-04-20",
        step(
            "s2",
            "r1",
            ReferralState::Served,
            "2026-04-20",
            Some("joined"),
        ),
    );
    assert_eq!(doc.doc.get_heads(), heads, "a retried step is a no-op");

    let case = doc.case();
    assert_eq!(case.referrals.len(), 1);
    let r = &case.referrals[0];
    assert_eq!(
        (r.resource_id.as_str(), r.resource_kind, r.dimension, r.on),
        (
            "res-jeevika",
            ResourceKind::Livelihood,
            Dimension::Livelihood,
            d("2026-03-02")
        )
    );
    assert_eq!(r.resource_name, "res-jeevika centre");
    assert_eq!(r.note.as_deref(), Some("tailoring course"));
    assert_eq!(r.recorded_by, author(1));
    let states: Vec<_> = r.steps.iter().map(|s| (s.state, s.on)).collect();
    assert_eq!(
        states,
        [
            (ReferralState::Accepted, d("2026-03-09")),
            (ReferralState::Served, d("2026-04-20"))
        ]
    );
    assert_eq!(r.state(), (ReferralState::Served, d("2026-04-20")));

    // As the case stood at the end of March: accepted, not yet served; in February: none.
    let march = case.as_of(d("2026-03-31"));
    assert_eq!(march.referrals[0].steps.len(), 1);
    assert!(case.as_of(d("2026-02-28")).referrals.is_empty());
}

#[test]
fn bad_referral_edits_are_refused_and_write_nothing() {
    let mut doc = needs_livelihood();
    doc.edit("2026-03-02", livelihood());
    let heads = doc.doc.get_heads();
    let refused = |doc: &mut Doc, edit: Edit, day: &str| {
        schema::apply(&mut doc.doc, &edit, &ctx(day)).expect_err("refused")
    };
    let cases: Vec<(Edit, &str, SchemaError)> = vec![
        (
            step("s1", "r1", ReferralState::Refused, "2026-03-05", None),
            "2026-03-05",
            InvalidEdit::Empty("why it was refused").into(),
        ),
        (
            step("s1", "r1", ReferralState::Referred, "2026-03-05", None),
            "2026-03-05",
            InvalidEdit::Required("referral outcome").into(),
        ),
        (
            step("s1", "r1", ReferralState::Served, "2026-03-01", None),
            "2026-03-05",
            InvalidEdit::DatesOutOfOrder {
                earlier: "referred on",
                earlier_on: d("2026-03-02"),
                later: "referral date",
                later_on: d("2026-03-01"),
            }
            .into(),
        ),
        (
            step("s1", "r9", ReferralState::Served, "2026-03-05", None),
            "2026-03-05",
            SchemaError::NotFound {
                what: "referral",
                id: "r9".into(),
            },
        ),
        (
            step("s1", "r1", ReferralState::Served, "2026-03-09", None),
            "2026-03-05",
            InvalidEdit::InFuture {
                what: "referral date",
                on: d("2026-03-09"),
            }
            .into(),
        ),
        (
            Edit::Refer(NewReferral {
                id: "r2".into(),
                resource_id: " ".into(),
                resource_kind: ResourceKind::School,
                resource_name: "Middle school".into(),
                dimension: Dimension::Education,
                on: d("2026-03-05"),
                note: None,
            }),
            "2026-03-05",
            InvalidEdit::Empty("resource id").into(),
        ),
    ];
    for (edit, day, want) in cases {
        assert_eq!(refused(&mut doc, edit.clone(), day), want, "{edit:?}");
        assert_eq!(doc.doc.get_heads(), heads, "nothing written by {edit:?}");
    }
}

/// An older case: its document has no referrals list (made here by taking the list out of a
/// new one, which reads the same).
fn older_case() -> AutoCommit {
    let mut doc = needs_livelihood().doc;
    doc.delete(ROOT, "referrals").expect("delete");
    doc.commit();
    assert!(doc.get(ROOT, "referrals").expect("reads").is_none());
    assert!(
        schema::read_case(&doc)
            .expect("an older case reads")
            .referrals
            .is_empty()
    );
    doc
}

#[test]
fn two_devices_giving_an_older_case_its_first_referral_at_once_lose_neither() {
    let mut base = older_case();
    let mut a = base.fork().with_actor(actor(2));
    let mut b = base.fork().with_actor(actor(3));
    schema::apply(&mut a, &livelihood(), &ctx_by(2, "2026-03-02")).expect("refers on A");
    let school = refer(
        "r2",
        "res-kgbv",
        ResourceKind::SpecialEducation,
        Dimension::Education,
        "2026-03-03",
    );
    schema::apply(&mut b, &school, &ctx_by(3, "2026-03-03")).expect("refers on B");
    let a_change = a.get_last_local_change().expect("A's change").clone();
    let b_change = b.get_last_local_change().expect("B's change").clone();

    // The server holds A's push when B's arrives: B created the list too, concurrently. That
    // replaces nothing B saw, so it is let through.
    let mut server = base.clone();
    server
        .apply_changes([a_change.clone()])
        .expect("A's change applies");
    let mut after = server.clone();
    after
        .apply_changes([b_change.clone()])
        .expect("B's change applies");
    schema::check_change(&base, &server, &a_change, &author(2)).expect("A's push");
    schema::check_change(&server, &after, &b_change, &author(3)).expect("B's push");

    // Everyone reads both referrals, whichever list Automerge shows, and settles nothing.
    a.merge(&mut b).expect("merge");
    b.merge(&mut a).expect("merge");
    for doc in [&a, &b, &after] {
        let ids: Vec<String> = schema::read_case(doc)
            .expect("reads")
            .referrals
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(ids, ["r1", "r2"]);
        assert!(
            schema::conflicts(doc).expect("conflicts").is_empty(),
            "two lists are no conflict to settle"
        );
    }

    // A step on the referral of the list not shown is written and read.
    for (id, referral) in [("s1", "r1"), ("s2", "r2")] {
        schema::apply(
            &mut a,
            &step(id, referral, ReferralState::Accepted, "2026-03-10", None),
            &ctx_by(2, "2026-03-10"),
        )
        .expect("a step on either list");
    }
    let case = schema::read_case(&a).expect("reads");
    assert!(case.referrals.iter().all(|r| r.steps.len() == 1));
    // A third referral goes to the list shown; still three, once each.
    let third = refer(
        "r3",
        "res-phc",
        ResourceKind::Health,
        Dimension::Health,
        "2026-03-11",
    );
    schema::apply(&mut a, &third, &ctx_by(2, "2026-03-11")).expect("refers");
    assert_eq!(schema::read_case(&a).expect("reads").referrals.len(), 3);
}

#[test]
fn a_device_that_saw_the_referrals_list_may_not_replace_it() {
    let mut doc = needs_livelihood();
    doc.edit("2026-03-02", livelihood());
    let before = doc.doc.clone();
    let mut dev = before.clone().with_actor(actor(2));
    dev.put_object(ROOT, "referrals", automerge::ObjType::List)
        .expect("put");
    dev.commit();
    let change = dev.get_last_local_change().expect("a change").clone();
    let err = schema::check_change(&before, &dev, &change, &author(2)).expect_err("replaced");
    assert_eq!(err, SchemaError::NotAllowed("replace referrals".into()));
}

#[track_caller]
fn prompts_of(doc: &Doc, day: &str, kind: PromptKind) -> Vec<prompt::Prompt> {
    prompt::prompts(&doc.case(), d(day), &Programme::default())
        .into_iter()
        .filter(|p| p.kind == kind)
        .collect()
}

#[test]
fn a_referral_without_an_outcome_asks_for_a_follow_up_and_holds_the_needs_own_prompt() {
    let mut doc = needs_livelihood();
    // Needing support, nothing referred: the need's own prompt.
    assert_eq!(
        prompts_of(&doc, "2026-03-01", PromptKind::LivelihoodSupport).len(),
        1
    );
    doc.edit("2026-03-02", livelihood());
    // (day, livelihood prompt, follow-up due and its priority)
    let rows: [(&str, bool, Option<&str>); 3] = [
        ("2026-03-02", false, None),
        ("2026-03-15", false, None),
        ("2026-03-16", false, Some("2026-03-16")),
    ];
    for (day, own, follow_up) in rows {
        assert_eq!(
            prompts_of(&doc, day, PromptKind::LivelihoodSupport).len(),
            usize::from(own),
            "{day}"
        );
        let got = prompts_of(&doc, day, PromptKind::FollowUpReferral);
        match follow_up {
            None => assert!(got.is_empty(), "{day}: {got:?}"),
            Some(due) => {
                assert_eq!(got.len(), 1, "{day}");
                assert_eq!(
                    (got[0].priority, got[0].due, got[0].subject.as_deref()),
                    (Priority::Normal, d(due), Some("r1"))
                );
                assert_eq!(got[0].dimension, Some(Dimension::Livelihood));
            }
        }
    }
    // Accepted: the follow-up counts again from the acceptance.
    doc.edit(
        "2026-03-16",
        step("s1", "r1", ReferralState::Accepted, "2026-03-16", None),
    );
    assert!(prompts_of(&doc, "2026-03-29", PromptKind::FollowUpReferral).is_empty());
    let got = prompts_of(&doc, "2026-03-30", PromptKind::FollowUpReferral);
    assert_eq!(got.len(), 1);
    assert!(matches!(
        got[0].why,
        prompt::Why::FollowUpReferral {
            state: ReferralState::Accepted,
            days: 14,
            ..
        }
    ));
    // Refused: no follow-up, and the need asks for help again.
    doc.edit(
        "2026-03-31",
        step(
            "s2",
            "r1",
            ReferralState::Refused,
            "2026-03-31",
            Some("no seats"),
        ),
    );
    assert!(prompts_of(&doc, "2026-04-01", PromptKind::FollowUpReferral).is_empty());
    assert_eq!(
        prompts_of(&doc, "2026-04-01", PromptKind::LivelihoodSupport).len(),
        1
    );
    // The programme's days are the programme's.
    let p = Programme::from_toml("[referrals]\nfollow_up_days = 3\n").expect("valid");
    doc.edit("2026-04-02", {
        let mut e = livelihood();
        if let Edit::Refer(r) = &mut e {
            r.id = "r2".into();
            r.on = d("2026-04-02");
        }
        e
    });
    let due: Vec<_> = prompt::prompts(&doc.case(), d("2026-04-05"), &p)
        .into_iter()
        .filter(|p| p.kind == PromptKind::FollowUpReferral)
        .map(|p| p.due)
        .collect();
    assert_eq!(due, [d("2026-04-05")]);
    assert!(Programme::from_toml("[referrals]\nfollow_up_days = 0\n").is_err());
}

fn resource(id: &str, block: &str, kind: ResourceKind, name: &str) -> Resource {
    Resource {
        id: id.into(),
        district: "Gaya".into(),
        block: block.into(),
        kind,
        name: name.into(),
        address: None,
        contact: None,
        offers: None,
        min_age: None,
        max_age: None,
        sex: None,
        active: true,
    }
}

#[test]
fn the_block_s_resources_are_suggested_for_the_need_to_those_they_serve() {
    let case = needs_livelihood().case();
    let mut girls_only = resource("r3", "Wazirganj", ResourceKind::SpecialEducation, "KGBV");
    girls_only.sex = Some(Sex::Female);
    let mut older = resource(
        "r4",
        "Wazirganj",
        ResourceKind::SpecialEducation,
        "Bridge 14+",
    );
    older.min_age = Some(14);
    let mut adults = resource("r7", "Wazirganj", ResourceKind::Livelihood, "Adult SHG");
    adults.min_age = Some(18);
    adults.sex = Some(Sex::Female);
    let map = vec![
        resource("r1", "Wazirganj", ResourceKind::SkillsTraining, "Training"),
        resource("r2", "Wazirganj", ResourceKind::Livelihood, "Jeevika"),
        girls_only,
        older,
        resource("r5", "Tekari", ResourceKind::Livelihood, "Elsewhere"),
        resource("r6", "Wazirganj", ResourceKind::School, "School"),
        adults,
    ];
    let ids = |dim| -> Vec<String> {
        suggest(&map, &case, dim, d("2026-03-01"))
            .into_iter()
            .map(|r| r.id.clone())
            .collect()
    };
    // The ten-year-old boy of Wazirganj's livelihood need is his family's: the block's
    // providers, the women's SHG for adults included, then training; not another block's.
    assert_eq!(ids(Dimension::Livelihood), ["r7", "r2", "r1"]);
    // His schooling is his own: the school, not the girls' centre nor the one from 14.
    assert_eq!(ids(Dimension::Education), ["r6"]);
}

#[test]
fn the_month_lists_each_child_s_referrals_and_counts_them_by_kind() {
    let mut doc = needs_livelihood();
    doc.edit("2026-03-02", livelihood())
        .edit(
            "2026-03-09",
            step("s1", "r1", ReferralState::Accepted, "2026-03-09", None),
        )
        .edit(
            "2026-03-10",
            refer(
                "r2",
                "res-phc",
                ResourceKind::Health,
                Dimension::Health,
                "2026-03-10",
            ),
        )
        .edit(
            "2026-03-20",
            step("s2", "r2", ReferralState::NoResponse, "2026-03-20", None),
        )
        .edit(
            "2026-04-20",
            step(
                "s3",
                "r1",
                ReferralState::Served,
                "2026-04-20",
                Some("joined"),
            ),
        );
    let p = Programme::default();
    let month = |m: &str| {
        let month: Month = m.parse().expect("a month");
        indicators::monthly(&[doc.case()], month, &p)
    };
    let march = month("2026-03");
    let child = &march.children[0];
    let listed: Vec<_> = child
        .referrals
        .iter()
        .map(|r| (r.resource.as_str(), r.state, r.state_on))
        .collect();
    assert_eq!(
        listed,
        [
            (
                "res-jeevika centre",
                ReferralState::Accepted,
                d("2026-03-09")
            ),
            ("res-phc centre", ReferralState::NoResponse, d("2026-03-20")),
        ]
    );
    let counts: Vec<_> = march
        .aggregates
        .referrals
        .iter()
        .map(|c| (c.kind, c.made, c.accepted, c.served, c.not_served))
        .collect();
    assert_eq!(
        counts,
        [
            (Some(ResourceKind::Livelihood), 1, 1, 0, 0),
            (Some(ResourceKind::Health), 1, 0, 0, 1),
            (None, 2, 1, 0, 1),
        ]
    );
    // April: the livelihood referral is served; the unanswered one was closed in March.
    let april = month("2026-04");
    let listed: Vec<_> = april.children[0]
        .referrals
        .iter()
        .map(|r| (r.state, r.note.as_deref()))
        .collect();
    assert_eq!(listed, [(ReferralState::Served, Some("joined"))]);
    let counts: Vec<_> = april
        .aggregates
        .referrals
        .iter()
        .map(|c| (c.kind, c.made, c.accepted, c.served))
        .collect();
    assert_eq!(counts, [(Some(ResourceKind::Livelihood), 0, 0, 1)]);
    // May: nothing moved, nothing open.
    assert!(month("2026-05").children[0].referrals.is_empty());
}

#[test]
fn the_gaps_name_blocks_without_help_unanswered_resources_and_time_to_service() {
    let p = Programme::default();
    let today = d("2026-06-01");
    // Five children of Wazirganj needing livelihood support, each referred to one provider:
    // three never answered, two served after 10 and 20 days.
    let mut cases = Vec::new();
    for i in 0..5u8 {
        let mut doc = needs_livelihood();
        doc.edit("2026-03-02", livelihood());
        if i >= 3 {
            let served = if i == 3 { "2026-03-12" } else { "2026-03-22" };
            doc.edit(served, step("s", "r1", ReferralState::Served, served, None));
        }
        cases.push(doc.case());
    }
    let map = vec![resource(
        "res-jeevika",
        "Wazirganj",
        ResourceKind::Livelihood,
        "Jeevika VO",
    )];
    let gaps = resource_gaps(&cases, &map, today, &p);
    // The block has an active livelihood provider: no block without help.
    assert!(gaps.missing.is_empty(), "{:?}", gaps.missing);
    assert_eq!(gaps.unanswered.len(), 1);
    let u = &gaps.unanswered[0];
    assert_eq!(
        (u.name.as_str(), u.referred, u.unanswered),
        ("Jeevika VO", 5, 3)
    );
    assert_eq!(u.published(), (Some(5), Some(3)));
    assert_eq!(gaps.time_to_service.len(), 1);
    let t = &gaps.time_to_service[0];
    assert_eq!((t.served, t.median_days), (2, Some(15)));
    assert_eq!(
        t.published(),
        (None, None),
        "two families' figures are hidden"
    );

    // Without an active provider, the block's children needing livelihood support are counted.
    let mut closed = map.clone();
    closed[0].active = false;
    let gaps = resource_gaps(&cases, &closed, today, &p);
    assert_eq!(gaps.missing.len(), 1);
    let m = &gaps.missing[0];
    assert_eq!(
        (m.block.as_str(), m.dimension, m.children),
        ("Wazirganj", Dimension::Livelihood, 5),
        "the counts follow the needs' status: the two served still read 'needs support'"
    );
    assert_eq!(
        m.kinds,
        [ResourceKind::Livelihood, ResourceKind::SkillsTraining]
    );
    assert_eq!(m.published(), Some(5));
    // One child alone is not published.
    let gaps = resource_gaps(&cases[..1], &closed, today, &p);
    assert_eq!(gaps.missing[0].published(), None);
}

#[test]
fn a_merge_carries_the_other_case_s_referrals_and_their_later_steps() {
    let mut kept = needs_livelihood();
    let born = Birth::Estimated {
        years: 10,
        as_of: d("2026-02-01"),
    };
    let mut other = Doc {
        doc: schema::new_case(
            actor(5),
            &profile("case-2", born, "2026-02-01"),
            &ctx_by(5, "2026-02-01"),
        )
        .expect("registers"),
    };
    let second = refer(
        "b-r1",
        "res-phc",
        ResourceKind::Health,
        Dimension::Health,
        "2026-03-04",
    );
    schema::apply(&mut other.doc, &second, &ctx_by(5, "2026-03-04")).expect("refers");
    // The kept case is an older one without the list: the merge creates it.
    kept.doc.delete(ROOT, "referrals").expect("delete");
    kept.doc.commit();
    let sup = ctx_by(9, "2026-03-05");
    let carried = schema::merge::carry_over(&mut kept.doc, &other.doc, &sup).expect("merges");
    assert_eq!(carried.referrals, 1);
    let r = &kept.case().referrals[0];
    assert_eq!((r.id.as_str(), &r.recorded_by), ("b-r1", &author(5)));
    // A step recorded on the closed case's phone after the merge is carried by merging again.
    schema::apply(
        &mut other.doc,
        &step("b-s1", "b-r1", ReferralState::Served, "2026-03-06", None),
        &ctx_by(5, "2026-03-06"),
    )
    .expect("a step");
    let again = schema::merge::carry_over(&mut kept.doc, &other.doc, &sup).expect("merges");
    assert_eq!(again.referrals, 1);
    assert_eq!(
        kept.case().referrals[0].state(),
        (ReferralState::Served, d("2026-03-06"))
    );
    let nothing = schema::merge::carry_over(&mut kept.doc, &other.doc, &sup).expect("merges");
    assert!(nothing.is_empty(), "{nothing:?}");
}

#[test]
fn a_served_referral_holds_the_need_s_prompt_until_the_need_is_set_again() {
    // Found in the December report: livelihood served, and the next steps still said "Find
    // livelihood support".
    let mut doc = needs_livelihood();
    doc.edit("2026-03-02", livelihood()).edit(
        "2026-03-20",
        step("s1", "r1", ReferralState::Served, "2026-03-20", None),
    );
    for day in ["2026-03-21", "2026-06-01"] {
        assert!(
            prompts_of(&doc, day, PromptKind::LivelihoodSupport).is_empty(),
            "{day}: the help was given"
        );
        assert!(prompts_of(&doc, day, PromptKind::FollowUpReferral).is_empty());
    }
    // A later visit finds the family still needing support: look for help again.
    doc.visit(
        "2026-06-02",
        homeward_shared::model::VisitKind::FollowUp,
        &[(Dimension::Livelihood, Status::NeedsSupport)],
    );
    assert!(
        prompts_of(&doc, "2026-06-03", PromptKind::LivelihoodSupport).len() == 1,
        "set again after the service"
    );
}
