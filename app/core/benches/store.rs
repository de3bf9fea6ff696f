//! Field store figures: open a store of 500 synthetic cases and list today's prompts.
//!
//! Run: `cargo bench -p homeward-field --bench store`. The store is built first (in this
//! process); the figures are then taken in a fresh child process, so its peak resident memory
//! covers only opening the store and listing prompts. Times are medians.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::Days;
use homeward_field::Store;
use homeward_field::keystore::Keystore;
use homeward_field::store::CaseFilter;
use homeward_shared::model::Author;

const PIN: &str = "246813";

/// The bench's keystore: key files beside the data folder (`DIR/../keys`).
fn keystore(dir: &Path) -> Keystore {
    Keystore::File(dir.parent().expect("inside a folder").join("keys"))
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort_unstable();
    xs[xs.len() / 2]
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN);
    kb / 1024.0
}

fn measure(dir: &Path) {
    let today = homeward_field::store::today();
    let t = Instant::now();
    let mut store = Store::open(dir, &keystore(dir), PIN).expect("opens");
    let open = t.elapsed();
    // The store keeps each case's prompts for the days over which they do not change: the
    // first listing of a day recomputes only the cases whose window has passed.
    let t = Instant::now();
    let first = store.today(today).expect("prompts");
    let first_time = t.elapsed();
    let same_day: Vec<Duration> = (0..21)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(store.today(today).expect("prompts"));
            t.elapsed()
        })
        .collect();
    // The next seven days, each listed for the first time, as a fieldworker would each morning.
    let next_days: Vec<Duration> = (1..8)
        .map(|i| {
            let day = today.checked_add_days(Days::new(i)).expect("in range");
            let t = Instant::now();
            std::hint::black_box(store.today(day).expect("prompts"));
            t.elapsed()
        })
        .collect();
    // The worst case: a day past every case's window (a phone left unused for months).
    let far = today.checked_add_days(Days::new(200)).expect("in range");
    let t = Instant::now();
    std::hint::black_box(store.today(far).expect("prompts"));
    let far_time = t.elapsed();
    let list: Vec<Duration> = (0..21)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(store.cases(&CaseFilter::default()).expect("list"));
            t.elapsed()
        })
        .collect();
    let (cases, _, visits) = store.counts().expect("counts");
    println!("store: {cases} cases, {visits} visits");
    println!("open (argon2id key derivation + SQLCipher + migrations check): {open:.1?}");
    println!(
        "today's prompts ({} prompts): first listing today {first_time:.1?}; again the same day median {:.2?}; first listing of each of the next 7 days median {:.1?} (goal: within 50 ms); a day 200 days ahead, every case recomputed, {far_time:.1?}",
        first.len(),
        median(same_day),
        median(next_days)
    );
    println!("case list of {cases}: median {:.2?}", median(list));
    println!(
        "peak resident memory of this process: {:.1} MB (goal: within 100 MB)",
        peak_rss_mb()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--measure") {
        measure(Path::new(&args[i + 1]));
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let data = tmp.path().join("data");
    let dir = data.as_path();
    let today = homeward_field::store::today();
    let t = Instant::now();
    let mut store = Store::init(
        dir,
        &keystore(dir),
        PIN,
        &Author {
            user_id: "fw".into(),
            name: "Bench".into(),
        },
    )
    .expect("init");
    let load = homeward_shared::synth::caseload(homeward_shared::synth::Options {
        seed: 1,
        cases: 500,
        until: today,
        months: 12,
    });
    for c in &load.cases {
        store.add_synthetic(c).expect("adds");
    }
    // A few edits through the normal path, to time one edit.
    let ids: Vec<String> = load
        .cases
        .iter()
        .take(21)
        .map(|c| c.profile.case_id.clone())
        .collect();
    let edits: Vec<Duration> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let edit = homeward_shared::edit::Edit::RecordVisit {
                visit: homeward_shared::edit::NewVisit {
                    id: format!("bench-{i}"),
                    date: today,
                    kind: homeward_shared::model::VisitKind::FollowUp,
                    met: Some("mother".into()),
                    note: Some("Routine visit; child attending school.".into()),
                    next_steps: None,
                    summons_id: None,
                    safety_checked: false,
                },
                updates: vec![],
            };
            let t = Instant::now();
            store
                .edit(id, &edit, homeward_field::store::now())
                .expect("edits");
            t.elapsed()
        })
        .collect();
    drop(store);
    let size: u64 = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "built a store of 500 synthetic cases in {:.1?} ({:.1} MB on disk)",
        t.elapsed(),
        size as f64 / 1e6
    );
    println!(
        "one visit recorded (one transaction: change, document, materialised rows): median {:.1?}",
        median(edits)
    );
    let exe = std::env::current_exe().expect("own path");
    let status = Command::new(exe)
        .arg("--measure")
        .arg(dir)
        .status()
        .expect("runs");
    assert!(status.success());
}
