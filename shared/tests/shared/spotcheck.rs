//! The monthly spot check on hand-made caseloads whose flags and samples are known.

use std::collections::{BTreeMap, BTreeSet};

use automerge::AutoCommit;
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use homeward_shared::edit::{Edit, EditContext, NewVisit};
use homeward_shared::indicators::Month;
use homeward_shared::model::{Birth, Case, VisitKind};
use homeward_shared::schema;
use homeward_shared::spotcheck::{
    self, Anomaly, ChosenFor, Discrepancy, DiscrepancyRow, FieldworkerSample, Outcome,
    SpotCheckRules,
};
use proptest::prelude::*;

use crate::support::{actor, author, ctx, d, profile};

const OCTOBER: Month = Month {
    year: 2026,
    month: 10,
};

const NOTE: &str = "Child attending school regularly, mother happy";

/// A family in a village of a block of Gaya, and the visits reported to it.
struct Family {
    doc: AutoCommit,
}

impl Family {
    fn new(case_id: &str, block: &str, village: &str) -> Family {
        let mut p = profile(
            case_id,
            Birth::Estimated {
                years: 12,
                as_of: d("2026-06-01"),
            },
            "2026-06-01",
        );
        p.child.address.block = block.into();
        p.child.address.village = village.into();
        let doc = schema::new_case(actor(1), &p, &ctx("2026-06-01")).expect("registers");
        Family { doc }
    }

    /// A visit of `kind` by `worker` on `day`, recorded at `recorded`, with `note`.
    fn record(
        &mut self,
        id: &str,
        worker: u8,
        day: NaiveDate,
        kind: VisitKind,
        recorded: DateTime<Utc>,
        note: Option<&str>,
    ) -> &mut Family {
        let edit = Edit::RecordVisit {
            visit: NewVisit {
                id: id.into(),
                date: day,
                kind,
                met: Some("mother".into()),
                note: note.map(Into::into),
                next_steps: None,
                summons_id: None,
                safety_checked: false,
            },
            updates: vec![],
        };
        let ctx = EditContext {
            author: author(worker),
            at: recorded,
        };
        schema::apply(&mut self.doc, &edit, &ctx).expect("a valid visit");
        self
    }

    /// A follow-up visit by `worker` on `day`, recorded that evening, without a note.
    fn visit(&mut self, id: &str, worker: u8, day: &str) -> &mut Family {
        self.record(id, worker, d(day), VisitKind::FollowUp, evening(day), None)
    }

    /// A visit of `kind` by `worker` on `day`, recorded that evening, with `note`.
    fn noted(
        &mut self,
        id: &str,
        worker: u8,
        day: &str,
        kind: VisitKind,
        note: Option<&str>,
    ) -> &mut Family {
        self.record(id, worker, d(day), kind, evening(day), note)
    }

    fn case(&self) -> Case {
        schema::read_case(&self.doc).expect("the case reads back")
    }
}

/// 13:00 UTC is 18:30 in India: the same field date.
fn evening(day: &str) -> DateTime<Utc> {
    d(day)
        .and_time(NaiveTime::from_hms_opt(13, 0, 0).expect("a valid time"))
        .and_utc()
}

fn at(moment: &str) -> DateTime<Utc> {
    moment.parse().expect("test moments are valid")
}

/// The `i`th day of October, cycling over its first 28 days.
fn october(i: usize) -> String {
    format!("2026-10-{:02}", i % 28 + 1)
}

fn draw(cases: &[Case], seed: u64) -> Vec<FieldworkerSample> {
    spotcheck::draw(cases, OCTOBER, seed, &SpotCheckRules::default())
}

/// Every visit that can be drawn, with its anomalies: a draw of everything.
fn flags(cases: &[Case]) -> BTreeMap<String, Vec<Anomaly>> {
    let all = SpotCheckRules {
        share_percent: 100,
        ..SpotCheckRules::default()
    };
    spotcheck::draw(cases, OCTOBER, 0, &all)
        .into_iter()
        .flat_map(|s| s.draws)
        .map(|v| (v.visit_id, v.anomalies))
        .collect()
}

fn flagged(flags: &BTreeMap<String, Vec<Anomaly>>) -> BTreeMap<&str, &[Anomaly]> {
    flags
        .iter()
        .filter(|(_, a)| !a.is_empty())
        .map(|(id, a)| (id.as_str(), a.as_slice()))
        .collect()
}

fn drawn(sample: &FieldworkerSample) -> Vec<&str> {
    sample.draws.iter().map(|v| v.visit_id.as_str()).collect()
}

#[test]
fn a_tenth_of_a_fieldworkers_visits_is_drawn_but_at_least_two_and_never_more_than_they_made() {
    let rules = SpotCheckRules::default();
    for (visits, want) in [
        (0, 0),
        (1, 1),
        (2, 2),
        (5, 2),
        (20, 2),
        (21, 3),
        (35, 4),
        (100, 10),
        (101, 11),
    ] {
        assert_eq!(rules.sample_size(visits), want, "{visits} visits");
    }

    let mut a = Family::new("case-a", "Wazirganj", "Keshopur");
    a.visit("a1", 1, "2026-10-02");
    for i in 0..5 {
        a.visit(&format!("b{i}"), 2, &october(i));
    }
    let mut b = Family::new("case-b", "Atri", "Pipra");
    for i in 0..35 {
        b.visit(&format!("c{i}"), 3, &october(i));
    }
    let samples = draw(&[a.case(), b.case()], 7);
    let sizes: Vec<_> = samples
        .iter()
        .map(|s| (s.fieldworker.user_id.as_str(), s.visits, s.draws.len()))
        .collect();
    assert_eq!(
        sizes,
        [("user-1", 1, 1), ("user-2", 5, 2), ("user-3", 35, 4)],
        "one visit gives one, five give the minimum of two, 35 give 10% rounded up"
    );
    for s in &samples {
        assert_eq!(s.flagged, 0, "plain visits carry no anomaly");
        assert!(
            s.draws
                .iter()
                .all(|v| v.chosen_for == ChosenFor::Random && v.anomalies.is_empty()),
            "without anomalies every pick is random: {s:?}"
        );
    }
}

#[test]
fn visits_in_three_villages_of_two_blocks_on_one_day_are_all_flagged() {
    let mut k1 = Family::new("k1", "Wazirganj", "Keshopur");
    let mut k2 = Family::new("k2", "Wazirganj", "Bishunpur");
    let mut k3 = Family::new("k3", "Atri", "Pipra");
    // The same village as k3, typed differently.
    let mut k4 = Family::new("k4", "atri", " pipra");
    let mut k5 = Family::new("k5", "Fatehpur", "Mohra");
    let mut k6 = Family::new("k6", "Wazirganj", "Tetua");
    // Worker 1 on 6 October: four families in three villages across two blocks, and a phone
    // call to a fourth village, which says nothing about where they were.
    k1.visit("w1-k1", 1, "2026-10-06");
    k2.visit("w1-k2", 1, "2026-10-06");
    k3.visit("w1-k3", 1, "2026-10-06");
    k4.visit("w1-k4", 1, "2026-10-06");
    k5.noted("w1-k5", 1, "2026-10-06", VisitKind::Phone, None);
    // Worker 1 on 8 October: two villages in two blocks.
    k1.visit("w1-k1-8", 1, "2026-10-08");
    k3.visit("w1-k3-8", 1, "2026-10-08");
    // Worker 2 on 7 October: three villages of one block.
    k1.visit("w2-k1", 2, "2026-10-07");
    k2.visit("w2-k2", 2, "2026-10-07");
    k6.visit("w2-k6", 2, "2026-10-07");
    // Worker 3 in September: three villages of two blocks, outside the month.
    k1.visit("w3-k1", 3, "2026-09-06");
    k2.visit("w3-k2", 3, "2026-09-06");
    k3.visit("w3-k3", 3, "2026-09-06");

    let cases = [k1, k2, k3, k4, k5, k6].map(|f| f.case());
    let flags = flags(&cases);
    let far = [Anomaly::ManyPlacesOneDay {
        villages: 3,
        blocks: 2,
    }];
    assert_eq!(
        flagged(&flags),
        BTreeMap::from([
            ("w1-k1", &far[..]),
            ("w1-k2", &far[..]),
            ("w1-k3", &far[..]),
            ("w1-k4", &far[..]),
        ]),
        "only 6 October of worker 1 covers three villages over two blocks"
    );
    assert_eq!(
        flags.len(),
        9,
        "every October visit but the phone call can be drawn"
    );
}

#[test]
fn a_visit_recorded_more_than_seven_india_days_after_it_happened_is_flagged() {
    let mut k = Family::new("k1", "Wazirganj", "Keshopur");
    let follow_up = VisitKind::FollowUp;
    // 17:30 in India on 9 October: seven days after.
    k.record(
        "on-time",
        1,
        d("2026-10-02"),
        follow_up,
        at("2026-10-09T12:00:00Z"),
        None,
    );
    // 01:30 in India on 10 October (still 9 October in UTC): eight days after.
    k.record(
        "late",
        1,
        d("2026-10-02"),
        follow_up,
        at("2026-10-09T20:00:00Z"),
        None,
    );
    k.record(
        "later",
        1,
        d("2026-10-03"),
        VisitKind::Urgent,
        at("2026-10-20T06:00:00Z"),
        None,
    );
    k.visit("same-day", 1, "2026-10-04");
    let flags = flags(&[k.case()]);
    assert_eq!(
        flagged(&flags),
        BTreeMap::from([
            ("late", &[Anomaly::RecordedLate { days: 8 }][..]),
            ("later", &[Anomaly::RecordedLate { days: 17 }][..]),
        ]),
        "the gap is counted in India dates and only beyond seven days"
    );
    assert_eq!(flags.len(), 4);
}

#[test]
fn the_same_note_on_several_visits_of_one_fieldworker_is_flagged() {
    let mut k1 = Family::new("k1", "Wazirganj", "Keshopur");
    let mut k2 = Family::new("k2", "Wazirganj", "Bishunpur");
    let mut k3 = Family::new("k3", "Atri", "Pipra");
    let follow_up = VisitKind::FollowUp;
    k1.noted("n1", 1, "2026-10-01", follow_up, Some(NOTE));
    k2.noted(
        "n2",
        1,
        "2026-10-02",
        follow_up,
        Some("  child attending   school\tregularly, MOTHER happy "),
    );
    k1.noted("n3", 1, "2026-10-15", follow_up, Some(NOTE));
    // Short notes may repeat.
    k1.noted("n4", 1, "2026-10-03", follow_up, Some("All well."));
    k2.noted("n5", 1, "2026-10-04", follow_up, Some("All well."));
    // Another fieldworker writing the same once is no copy of their own.
    k3.noted("n6", 2, "2026-10-05", follow_up, Some(NOTE));
    // A phone call is not drawn and does not count.
    k3.noted("n7", 1, "2026-10-06", VisitKind::Phone, Some(NOTE));
    // One character differs.
    k3.noted("n8", 1, "2026-10-07", follow_up, Some(&format!("{NOTE}!")));
    // The same note in September.
    k3.noted("n9", 1, "2026-09-07", follow_up, Some(NOTE));

    let flags = flags(&[k1.case(), k2.case(), k3.case()]);
    let copied = [Anomaly::IdenticalNote {
        visits: 3,
        cases: 2,
    }];
    assert_eq!(
        flagged(&flags),
        BTreeMap::from([
            ("n1", &copied[..]),
            ("n2", &copied[..]),
            ("n3", &copied[..])
        ]),
        "notes are compared trimmed, ignoring case and spacing, per fieldworker and month"
    );
    assert_eq!(flags.len(), 7);
}

#[test]
fn flagged_visits_are_drawn_first_most_anomalies_first_then_random_ones() {
    let mut k = Family::new("k1", "Wazirganj", "Keshopur");
    let follow_up = VisitKind::FollowUp;
    let late = at("2026-10-25T06:00:00Z");
    k.record("x", 1, d("2026-10-05"), follow_up, late, Some(NOTE));
    k.noted("y", 1, "2026-10-06", follow_up, Some(NOTE));
    k.record("z", 1, d("2026-10-07"), follow_up, late, None);
    for i in 0..32 {
        k.visit(&format!("plain-{i:02}"), 1, &october(i));
    }
    let cases = [k.case()];

    let mut middle_orders = BTreeSet::new();
    for seed in 0..20 {
        let samples = draw(&cases, seed);
        let [s] = samples.as_slice() else {
            panic!("one fieldworker, one sample: {samples:?}");
        };
        assert_eq!((s.visits, s.flagged), (35, 3));
        let ids = drawn(s);
        assert_eq!(ids.len(), 4, "35 visits: four drawn");
        assert_eq!(ids[0], "x", "two anomalies come before one (seed {seed})");
        assert_eq!(s.draws[0].anomalies.len(), 2);
        let middle = BTreeSet::from([ids[1], ids[2]]);
        assert_eq!(
            middle,
            BTreeSet::from(["y", "z"]),
            "one anomaly before none (seed {seed})"
        );
        middle_orders.insert((ids[1].to_owned(), ids[2].to_owned()));
        assert!(ids[3].starts_with("plain-"), "then a random plain visit");
        let why: Vec<_> = s.draws.iter().map(|v| v.chosen_for).collect();
        assert_eq!(
            why,
            [
                ChosenFor::Anomaly,
                ChosenFor::Anomaly,
                ChosenFor::Anomaly,
                ChosenFor::Random
            ]
        );
    }
    assert_eq!(
        middle_orders.len(),
        2,
        "visits with as many anomalies come in a seeded random order"
    );
}

#[test]
fn a_draw_carries_where_and_by_whom_the_visit_was_made() {
    let mut k = Family::new("k1", "Wazirganj", "Keshopur");
    k.noted("a", 4, "2026-10-02", VisitKind::InitialAssessment, None);
    let samples = draw(&[k.case()], 1);
    let [s] = samples.as_slice() else {
        panic!("one fieldworker, one sample: {samples:?}");
    };
    assert_eq!(s.fieldworker, author(4));
    assert_eq!(
        s.draws,
        [spotcheck::SpotCheckDraw {
            case_id: "k1".into(),
            visit_id: "a".into(),
            date: d("2026-10-02"),
            kind: VisitKind::InitialAssessment,
            fieldworker_id: "user-4".into(),
            fieldworker_name: "Worker 4".into(),
            district: "Gaya".into(),
            block: "Wazirganj".into(),
            village: "Keshopur".into(),
            anomalies: vec![],
            chosen_for: ChosenFor::Random,
        }],
        "an initial assessment is a visit at the door like any other"
    );
}

#[test]
fn phone_calls_and_visits_outside_the_month_are_never_drawn() {
    let mut k1 = Family::new("k1", "Wazirganj", "Keshopur");
    let mut k2 = Family::new("k2", "Atri", "Pipra");
    let follow_up = VisitKind::FollowUp;
    k1.visit("in-1", 1, "2026-10-01");
    k2.noted("in-2", 1, "2026-10-31", VisitKind::InitialAssessment, None);
    for (i, day) in ["2026-10-02", "2026-10-03", "2026-10-04"]
        .iter()
        .enumerate()
    {
        k1.noted(&format!("phone-{i}"), 1, day, VisitKind::Phone, Some(NOTE));
    }
    // Flagged, but in September or November.
    let late = at("2026-10-20T06:00:00Z");
    k1.record("sep", 1, d("2026-09-30"), follow_up, late, Some(NOTE));
    k2.record("sep-2", 1, d("2026-09-29"), follow_up, late, Some(NOTE));
    k2.record(
        "nov",
        1,
        d("2026-11-01"),
        follow_up,
        at("2026-11-20T06:00:00Z"),
        None,
    );
    // Worker 2 only phoned in October.
    k2.noted("phone-w2", 2, "2026-10-10", VisitKind::Phone, None);
    k2.visit("sep-w2", 2, "2026-09-10");

    let cases = [k1.case(), k2.case()];
    for seed in 0..10 {
        let samples = draw(&cases, seed);
        let [s] = samples.as_slice() else {
            panic!("worker 2 has nothing to draw: {samples:?}");
        };
        assert_eq!(
            (s.fieldworker.user_id.as_str(), s.visits, s.flagged),
            ("user-1", 2, 0)
        );
        let ids: BTreeSet<_> = drawn(s).into_iter().collect();
        assert_eq!(ids, BTreeSet::from(["in-1", "in-2"]), "seed {seed}");
    }
}

/// Four fieldworkers over six families, with every kind of anomaly.
fn caseload() -> Vec<Case> {
    let places = [
        ("Wazirganj", "Keshopur"),
        ("Wazirganj", "Bishunpur"),
        ("Atri", "Pipra"),
        ("Atri", "Mohra"),
        ("Fatehpur", "Tetua"),
        ("Fatehpur", "Jamuawan"),
    ];
    let mut families: Vec<Family> = places
        .iter()
        .enumerate()
        .map(|(i, (block, village))| Family::new(&format!("case-{i}"), block, village))
        .collect();
    for i in 0..90 {
        let worker = u8::try_from(i % 4 + 1).expect("small");
        let day = october(i / 3);
        let family = &mut families[(i * 7) % 6];
        let note = (i % 5 == 0).then_some(NOTE);
        let recorded = if i % 11 == 0 {
            evening(&day) + chrono::Duration::days(9)
        } else {
            evening(&day)
        };
        let kind = if i % 13 == 0 {
            VisitKind::Phone
        } else {
            VisitKind::FollowUp
        };
        family.record(&format!("v{i:02}"), worker, d(&day), kind, recorded, note);
    }
    families.iter().map(Family::case).collect()
}

#[test]
fn the_same_seed_gives_the_same_sample_whatever_the_order_of_cases_and_visits() {
    let cases = caseload();
    let first = draw(&cases, 42);
    assert_eq!(first.len(), 4);
    assert!(
        first.iter().any(|s| s.flagged > 0),
        "the caseload has anomalies"
    );
    assert_eq!(draw(&cases, 42), first, "a draw repeats exactly");

    let mut reordered = cases.clone();
    reordered.reverse();
    reordered.rotate_left(2);
    for case in &mut reordered {
        case.visits.reverse();
    }
    assert_eq!(
        draw(&reordered, 42),
        first,
        "the order cases and visits arrive in does not matter"
    );

    let mut twice = cases.clone();
    twice.extend(cases.iter().cloned());
    assert_eq!(draw(&twice, 42), first, "a case given twice counts once");
}

#[test]
fn different_seeds_can_give_different_random_picks() {
    let mut k = Family::new("k1", "Wazirganj", "Keshopur");
    for i in 0..35 {
        k.visit(&format!("plain-{i:02}"), 1, &october(i));
    }
    let cases = [k.case()];
    let samples: BTreeSet<Vec<String>> = (0..10)
        .map(|seed| {
            draw(&cases, seed)
                .iter()
                .flat_map(|s| s.draws.iter().map(|v| v.visit_id.clone()))
                .collect()
        })
        .collect();
    assert!(
        samples.len() > 1,
        "ten seeds picking 4 of 35 visits should not all agree: {samples:?}"
    );
}

#[test]
fn a_fieldworkers_sample_does_not_depend_on_the_others() {
    let cases = caseload();
    let alone: Vec<Case> = cases
        .iter()
        .cloned()
        .map(|mut c| {
            c.visits.retain(|v| v.by.user_id == "user-1");
            c
        })
        .collect();
    let together = draw(&cases, 5);
    let by_one = draw(&alone, 5);
    assert_eq!(by_one.len(), 1);
    assert_eq!(
        together.iter().find(|s| s.fieldworker.user_id == "user-1"),
        by_one.first(),
        "anomalies and the random order are per fieldworker"
    );
}

#[test]
fn anomalies_and_outcomes_serialise_in_snake_case_with_their_evidence() {
    let json = |v: serde_json::Value| v.to_string();
    let cases = [
        (
            serde_json::to_value(Anomaly::RecordedLate { days: 8 }),
            r#"{"recorded_late":{"days":8}}"#,
        ),
        (
            serde_json::to_value(Anomaly::ManyPlacesOneDay {
                villages: 3,
                blocks: 2,
            }),
            r#"{"many_places_one_day":{"blocks":2,"villages":3}}"#,
        ),
        (
            serde_json::to_value(Anomaly::IdenticalNote {
                visits: 2,
                cases: 1,
            }),
            r#"{"identical_note":{"cases":1,"visits":2}}"#,
        ),
        (serde_json::to_value(ChosenFor::Random), r#""random""#),
        (serde_json::to_value(Outcome::HasIssues), r#""has_issues""#),
        (
            serde_json::to_value(Outcome::CouldNotVerify),
            r#""could_not_verify""#,
        ),
    ];
    for (value, want) in cases {
        assert_eq!(json(value.expect("serialises")), want);
    }
}

#[test]
fn the_discrepancy_rate_leaves_out_visits_that_could_not_be_verified() {
    use Outcome::{CouldNotVerify, HasIssues, Verified};
    let d = Discrepancy::of([
        Verified,
        Verified,
        CouldNotVerify,
        HasIssues,
        Verified,
        CouldNotVerify,
    ]);
    assert_eq!(
        d,
        Discrepancy {
            verified: 3,
            has_issues: 1,
            could_not_verify: 2,
        }
    );
    assert_eq!(d.checked(), 4);
    assert_eq!(d.rate(), Some(0.25), "one issue in four visits checked");
    assert_eq!(Discrepancy::of([HasIssues, HasIssues]).rate(), Some(1.0));
    assert_eq!(Discrepancy::of([Verified]).rate(), Some(0.0));
}

#[test]
fn the_discrepancy_rate_is_none_when_no_visit_could_be_checked() {
    assert_eq!(Discrepancy::of([]).rate(), None);
    let unreachable = Discrepancy::of([Outcome::CouldNotVerify, Outcome::CouldNotVerify]);
    assert_eq!(unreachable.rate(), None, "no visit checked: no rate");
    assert_eq!(unreachable.could_not_verify, 2, "but the count is reported");
}

#[test]
fn discrepancies_are_tallied_per_fieldworker_and_month() {
    let sep = OCTOBER.prev();
    let rows = spotcheck::discrepancies([
        ("user-2", OCTOBER, Outcome::Verified),
        ("user-1", OCTOBER, Outcome::HasIssues),
        ("user-1", sep, Outcome::Verified),
        ("user-1", OCTOBER, Outcome::Verified),
        ("user-2", OCTOBER, Outcome::CouldNotVerify),
    ]);
    let row = |who: &str, month, verified, has_issues, could_not_verify| DiscrepancyRow {
        fieldworker_id: who.into(),
        month,
        counts: Discrepancy {
            verified,
            has_issues,
            could_not_verify,
        },
    };
    assert_eq!(
        rows,
        [
            row("user-1", sep, 1, 0, 0),
            row("user-1", OCTOBER, 1, 1, 0),
            row("user-2", OCTOBER, 1, 0, 1),
        ]
    );
    let rates: Vec<_> = rows.iter().map(|r| r.counts.rate()).collect();
    assert_eq!(rates, [Some(0.0), Some(0.5), Some(0.0)]);
}

/// One generated visit: family, fieldworker, day from 28 September, kind, days until it was
/// recorded, note.
type GenVisit = (usize, u8, u64, VisitKind, u64, Option<&'static str>);

fn gen_visit() -> impl Strategy<Value = GenVisit> {
    (
        0usize..4,
        1u8..=3,
        0u64..38,
        prop::sample::select(VisitKind::ALL),
        prop_oneof![3 => Just(0u64), 1 => 0u64..15],
        prop::sample::select(vec![
            None,
            Some("all well"),
            Some(NOTE),
            Some("Mother asks about the compensation"),
        ]),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn a_sample_never_holds_a_visit_twice_nor_more_than_the_size_rule(
        visits in prop::collection::vec(gen_visit(), 0..45),
        seed in any::<u64>(),
    ) {
        let places = [
            ("Wazirganj", "Keshopur"),
            ("Wazirganj", "Bishunpur"),
            ("Atri", "Pipra"),
            ("Atri", "Mohra"),
        ];
        let mut families: Vec<Family> = places
            .iter()
            .enumerate()
            .map(|(i, (block, village))| Family::new(&format!("case-{i}"), block, village))
            .collect();
        let start = d("2026-09-28");
        let mut eligible: BTreeMap<String, usize> = BTreeMap::new();
        for (i, (family, worker, day, kind, late, note)) in visits.iter().enumerate() {
            let day = start.checked_add_days(Days::new(*day)).expect("a valid day");
            let recorded = day
                .and_time(NaiveTime::from_hms_opt(13, 0, 0).expect("a valid time"))
                .and_utc()
                + chrono::Duration::days(i64::try_from(*late).expect("small"));
            families[*family].record(&format!("v{i}"), *worker, day, *kind, recorded, *note);
            if *kind != VisitKind::Phone && OCTOBER.contains(day) {
                *eligible.entry(author(*worker).user_id).or_default() += 1;
            }
        }
        let cases: Vec<Case> = families.iter().map(Family::case).collect();
        let rules = SpotCheckRules::default();
        let samples = spotcheck::draw(&cases, OCTOBER, seed, &rules);

        let counted: BTreeMap<String, usize> = samples
            .iter()
            .map(|s| (s.fieldworker.user_id.clone(), s.visits as usize))
            .collect();
        prop_assert_eq!(counted, eligible, "every visit at the door in October counts once");
        for s in &samples {
            let keys: BTreeSet<_> = s.draws.iter().map(|v| (&v.case_id, &v.visit_id)).collect();
            prop_assert_eq!(keys.len(), s.draws.len(), "no visit drawn twice");
            prop_assert_eq!(s.draws.len(), rules.sample_size(s.visits as usize));
            for v in &s.draws {
                prop_assert!(OCTOBER.contains(v.date) && v.kind != VisitKind::Phone);
                prop_assert_eq!(&v.fieldworker_id, &s.fieldworker.user_id);
                prop_assert_eq!(v.chosen_for == ChosenFor::Anomaly, !v.anomalies.is_empty());
            }
            let mut counts: Vec<usize> = s.draws.iter().map(|v| v.anomalies.len()).collect();
            let drawn_in_order = counts.clone();
            counts.sort_by(|a, b| b.cmp(a));
            prop_assert_eq!(drawn_in_order, counts, "most anomalies first");
            let by_anomaly = s.draws.iter().filter(|v| v.chosen_for == ChosenFor::Anomaly).count();
            prop_assert_eq!(by_anomaly, (s.flagged as usize).min(s.draws.len()), "flagged visits are taken first");
        }
    }
}
