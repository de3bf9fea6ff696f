//! A process killed at any moment leaves each edit whole or absent: a loop kills `homeward`
//! with SIGKILL at random moments while it records visits, then checks that every visit it
//! reported as saved is in the store, and that the store is consistent.
//!
//! Trials: `HOMEWARD_KILL_TRIALS` (default 200, the CI figure; the benchmark may run more).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::support::{PIN, new_store};

#[test]
fn every_visit_reported_saved_survives_a_sigkill_at_a_random_moment() {
    let trials: u64 = std::env::var("HOMEWARD_KILL_TRIALS")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(200);
    let tmp = crate::support::Folder::new();
    drop(new_store(tmp.path()));
    let mut rng = fastrand::Rng::with_seed(0x5eed);
    let mut reported: Vec<(String, String)> = Vec::new();
    let mut killed_mid_run = 0;
    for trial in 0..trials {
        let mut child = Command::new(crate::support::homeward_bin())
            .arg("--data")
            .arg(tmp.path())
            .args([
                "demo",
                "--per-edit",
                "--cases",
                "40",
                "--months",
                "6",
                "--seed",
            ])
            .arg((1000 + trial).to_string())
            .env("HOMEWARD_PIN", PIN)
            .env(
                "HOMEWARD_KEYSTORE",
                crate::support::keystore_env(tmp.path()),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawns");
        let stdout = child.stdout.take().expect("piped");
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Wait for the first saved visit, so the kill lands among the writes, then a random
        // delay of up to 60 ms.
        let first = rx.recv_timeout(Duration::from_secs(30));
        std::thread::sleep(Duration::from_micros(rng.u64(0..60_000)));
        let _ = child.kill(); // SIGKILL on Unix.
        let status = child.wait().expect("reaped");
        reader.join().expect("reader thread");
        if !status.success() {
            killed_mid_run += 1;
        }
        for line in first.into_iter().chain(rx.try_iter()) {
            if let Some(rest) = line.strip_prefix("saved visit ") {
                let (case, visit) = rest.split_once(' ').expect("saved visit CASE VISIT");
                reported.push((case.to_owned(), visit.to_owned()));
            }
        }
        // Every few trials, and at the end, check everything reported so far.
        if trial % 25 == 24 || trial + 1 == trials {
            let store =
                crate::support::open(tmp.path(), PIN).expect("the store opens after a kill");
            for (case, visit) in &reported {
                let c = store.case(case).unwrap_or_else(|e| {
                    panic!("trial {trial}: case {case} reported saved is gone: {e}")
                });
                assert!(
                    c.visits.iter().any(|v| &v.id == visit),
                    "trial {trial}: visit {visit} of {case} was reported saved and is gone"
                );
            }
            let problems = store.verify().expect("verifies");
            assert!(
                problems.is_empty(),
                "trial {trial}: inconsistent store: {problems:?}"
            );
        }
    }
    assert!(
        reported.len() as u64 >= trials,
        "each trial saved at least one visit ({} in {trials})",
        reported.len()
    );
    assert!(
        killed_mid_run * 10 >= trials * 9,
        "the kills landed mid-run ({killed_mid_run} of {trials})"
    );
    println!(
        "{trials} kills, {} visits reported saved, all present",
        reported.len()
    );
}
