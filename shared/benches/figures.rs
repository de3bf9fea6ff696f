//! Prints the figures the foundation issue asks for: the time to compute today's prompts for
//! 500 synthetic cases, and the saved size of one case after two years of fortnightly visits.
//!
//! Run: `cargo bench -p homeward-shared --bench figures`. Times are medians of 31 runs; the
//! machines are shared, so read them as orders of magnitude and compare ratios within one run.

use std::time::{Duration, Instant};

use automerge::ActorId;
use chrono::{Days, NaiveDate, NaiveTime};
use homeward_shared::edit::{Edit, EditContext, NeedUpdate, NewVisit};
use homeward_shared::model::{Author, VisitKind};
use homeward_shared::need::Dimension;
use homeward_shared::programme::Programme;
use homeward_shared::prompt;
use homeward_shared::schema;
use homeward_shared::synth::{self, Options};

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort_unstable();
    xs[xs.len() / 2]
}

fn main() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("valid date");
    let programme = Programme::default();
    let load = synth::caseload(Options {
        seed: 1,
        cases: 500,
        until: today,
        months: 24,
    });
    let t = Instant::now();
    let mut docs: Vec<_> = load
        .cases
        .iter()
        .map(|c| {
            c.build(ActorId::from(&[7u8; 16][..]))
                .expect("synthetic cases build")
        })
        .collect();
    let build = t.elapsed();
    let saved: Vec<Vec<u8>> = docs.iter_mut().map(|d| d.save()).collect();
    let total: usize = saved.iter().map(Vec::len).sum();

    let reads = (0..11)
        .map(|_| {
            let t = Instant::now();
            for bytes in &saved {
                let doc = schema::load(bytes, ActorId::from(&[8u8; 16][..])).expect("loads");
                std::hint::black_box(schema::read_case(&doc).expect("reads"));
            }
            t.elapsed()
        })
        .collect();
    let loads = (0..5)
        .map(|_| {
            let t = Instant::now();
            for bytes in &saved {
                std::hint::black_box(
                    schema::load(bytes, ActorId::from(&[8u8; 16][..])).expect("loads"),
                );
            }
            t.elapsed()
        })
        .collect();
    let cases: Vec<_> = docs
        .iter()
        .map(|d| schema::read_case(d).expect("reads"))
        .collect();
    let mut count = 0;
    let prompt_times = (0..31)
        .map(|_| {
            let t = Instant::now();
            let mut all = Vec::new();
            for case in &cases {
                all.extend(prompt::prompts(case, today, &programme));
            }
            prompt::sort(&mut all);
            count = all.len();
            std::hint::black_box(&all);
            t.elapsed()
        })
        .collect();

    println!("synthetic caseload: 500 cases over 24 months, built in {build:.2?}");
    println!(
        "saved documents: {total} bytes in all, {} bytes per case on average",
        total / saved.len()
    );
    println!(
        "load + read 500 saved cases: median {:.2?} (load alone {:.2?})",
        median(reads),
        median(loads)
    );
    println!(
        "prompts for 500 cases ({count} prompts, sorted): median {:.2?} (goal: under 50 ms)",
        median(prompt_times)
    );

    // One case after two years of fortnightly visits, each updating a need with a note.
    let author = Author {
        user_id: "fw-gaya-1".into(),
        name: "Anita Kumari".into(),
    };
    let start = NaiveDate::from_ymd_opt(2024, 11, 27).expect("valid date");
    let ctx = |day: NaiveDate| EditContext {
        author: author.clone(),
        at: day
            .and_time(NaiveTime::from_hms_opt(11, 0, 0).expect("valid time"))
            .and_utc(),
    };
    let mut doc = load.cases[0]
        .build(ActorId::from(&[9u8; 16][..]))
        .expect("builds");
    let base = doc.save().len();
    let mut profile = load.cases[0].profile.clone();
    profile.rescue.returned_on = start;
    profile.rescue.rescued_on = start.checked_sub_days(Days::new(60));
    let mut doc =
        schema::new_case(ActorId::from(&[9u8; 16][..]), &profile, &ctx(start)).expect("registers");
    let mut visits = 0;
    let mut day = start;
    while day <= today {
        visits += 1;
        let dim = Dimension::ALL[visits % 7];
        let status = dim.statuses()[1 + visits % (dim.statuses().len() - 1)];
        let edit = Edit::RecordVisit {
            visit: NewVisit {
                id: format!("v{visits}"),
                date: day,
                kind: VisitKind::FollowUp,
                met: Some("child and mother".into()),
                note: Some("Met the child and mother at home. Child attending school; teacher says attendance improved. Discussed the compensation application.".into()),
                next_steps: Some("Follow up with the school headmaster.".into()),
                summons_id: None,
                safety_checked: false,
            },
            updates: vec![NeedUpdate { id: format!("u{visits}"), dimension: dim, status, note: None }],
        };
        schema::apply(&mut doc, &edit, &ctx(day)).expect("valid visit");
        day = day.checked_add_days(Days::new(14)).expect("in range");
    }
    println!(
        "one case after two years of fortnightly visits ({visits} visits, each with a 20-word note and a need update): {} bytes saved (a synthetic case averages {base} bytes)",
        doc.save().len()
    );
}
