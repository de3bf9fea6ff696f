//! A command-line look at a synthetic caseload: today's most urgent prompts across 200 cases,
//! and last month's indicators for Gaya. Run: `cargo run -p homeward-shared --example caseload`.
//! Takes an optional date (`YYYY-MM-DD`) to use as today; the default is the system date.

use std::collections::BTreeMap;

use automerge::ActorId;
use chrono::{DateTime, NaiveDate, Utc};
use homeward_shared::indicators::{self, Month};
use homeward_shared::programme::Programme;
use homeward_shared::prompt::{self, Priority};
use homeward_shared::schema;
use homeward_shared::synth::{self, Options};

fn main() {
    let today = match std::env::args().nth(1) {
        Some(s) => match s.parse::<NaiveDate>() {
            Ok(d) => d,
            Err(_) => {
                eprintln!("error: bad date '{s}' (expected YYYY-MM-DD)");
                std::process::exit(2);
            }
        },
        None => DateTime::<Utc>::from(std::time::SystemTime::now()).date_naive(),
    };
    let programme = Programme::default();
    let load = synth::caseload(Options {
        seed: 2026,
        cases: 200,
        until: today,
        months: 12,
    });
    let cases: Vec<_> = load
        .cases
        .iter()
        .map(|c| {
            let doc = c
                .build(ActorId::from(&[1u8; 16][..]))
                .expect("synthetic cases are valid");
            schema::read_case(&doc).expect("and read back")
        })
        .collect();
    let names: BTreeMap<_, _> = cases.iter().map(|c| (c.id.clone(), c)).collect();

    let mut all: Vec<_> = cases
        .iter()
        .flat_map(|c| prompt::prompts(c, today, &programme))
        .collect();
    prompt::sort(&mut all);
    let count = |p: Priority| all.iter().filter(|x| x.priority == p).count();
    println!(
        "Homeward: synthetic caseload of {} children, today {today}",
        cases.len()
    );
    println!(
        "{} prompts: {} urgent, {} high, {} normal; {} overdue\n",
        all.len(),
        count(Priority::Urgent),
        count(Priority::High),
        count(Priority::Normal),
        all.iter().filter(|p| p.is_overdue(today)).count()
    );
    println!("Most urgent first:");
    for p in all.iter().take(15) {
        let c = names[&p.case_id];
        println!(
            "  [{:?}] due {}  {} ({}, {})\n      {}",
            p.priority,
            p.due,
            c.child.name,
            c.child.address.village,
            c.child.address.block,
            p.reason
        );
    }

    let month = Month::of(today).prev();
    let gaya: Vec<_> = cases
        .iter()
        .filter(|c| c.child.address.district == "Gaya")
        .cloned()
        .collect();
    let report = indicators::monthly(&gaya, month, &programme);
    let a = &report.aggregates;
    println!("\nGaya, {month}: the first page of the CWC report");
    println!("  children followed        {}", a.children_followed);
    println!(
        "  visits made / missed     {} / {}",
        a.visits_made, a.visits_missed
    );
    println!(
        "  aged 6-14 in school      {} of {} ({}%)",
        a.school_age_enrolled,
        a.school_age,
        a.school_age_enrolled_pct
            .map_or("-".into(), |p| p.to_string())
    );
    println!(
        "  new entitlements         {} (health insurance {})",
        a.children_new_entitlement, a.children_new_health_insurance
    );
    println!(
        "  compensation             applied {}, sanctioned {}, paid {}; {} pending, median {} days",
        a.compensation.applied,
        a.compensation.sanctioned,
        a.compensation.paid,
        a.compensation.pending,
        a.compensation
            .median_days_pending
            .map_or("-".into(), |d| d.to_string())
    );
    println!("  livelihood linkages      {}", a.livelihood_linkages);
    println!("  harassment incidents     {}", a.harassment_incidents);
    println!("  missing / re-trafficked  {}", a.missing_or_retrafficked);
    println!("  stabilised / closed      {} / {}", a.stabilised, a.closed);
}
