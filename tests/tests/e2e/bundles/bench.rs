//! The figures of issue 14 (`scripts/bench-bundles`, ignored in CI): the size of a bundle for
//! one edited case and for a week of offline work (40 visits over 30 children), and how long
//! `homeward-sync-server bundle import` takes with each (the real binaries; the import's wall
//! time, process start included, median of five imports each into a fresh copy of the server's
//! database).

use std::path::Path;
use std::time::Instant;

use crate::support::{Device, Server, bin, user};

fn import_ms(db: &Path, file: &Path, runs: usize) -> Vec<f64> {
    let mut times = Vec::new();
    for i in 0..runs {
        let copy = db.with_file_name(format!("copy-{i}-{}.db", file.display().to_string().len()));
        std::fs::copy(db, &copy).expect("copies the database");
        // The server was killed: what it wrote last may still be in its write-ahead log.
        for ext in ["-wal", "-shm"] {
            let from = std::path::PathBuf::from(format!("{}{ext}", db.display()));
            if from.exists() {
                std::fs::copy(&from, format!("{}{ext}", copy.display())).expect("copies");
            }
        }
        let start = Instant::now();
        let o = std::process::Command::new(bin("homeward-sync-server"))
            .arg("--db")
            .arg(&copy)
            .args(["bundle", "import", "--json"])
            .arg(file)
            .output()
            .expect("runs");
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let receipt: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
        assert_eq!(receipt["already"], false);
        for ext in ["", "-wal", "-shm"] {
            std::fs::remove_file(format!("{}{ext}", copy.display())).ok();
        }
    }
    times.sort_by(f64::total_cmp);
    times
}

fn median(v: &[f64]) -> f64 {
    v[v.len() / 2]
}

#[test]
#[ignore = "a benchmark: scripts/bench-bundles"]
fn bench_bundle_sizes_and_import_time() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let db = tmp.path().join("server.db");
    user(&db, "anita", "fieldworker", &["Gaya/Tekari"]);
    let mut server = Server::start(&db);
    let anita = Device::enrol(&server, "anita");
    // Thirty invented children, no two alike (the phone refuses a likely duplicate).
    const NAMES: [&str; 30] = [
        "Aarti", "Babli", "Chanda", "Deepa", "Gudiya", "Heena", "Indu", "Jyoti", "Kajal", "Lalita",
        "Mamta", "Neha", "Omvati", "Pinki", "Rekha", "Sapna", "Tara", "Usha", "Vandana", "Yashoda",
        "Anju", "Bindu", "Champa", "Durga", "Gita", "Kiran", "Leela", "Madhu", "Nisha", "Radha",
    ];
    let cases: Vec<String> = NAMES
        .iter()
        .map(|n| anita.add_case(&format!("{n} Kumari"), "Gaya", "Tekari"))
        .collect();
    anita.sync();

    anita.ok(&[
        "visit",
        "add",
        &cases[0],
        "--date",
        "2026-11-20",
        "--note",
        "the school has enrolled her; the family asks about the compensation",
    ]);
    let one = tmp.path().join("one.hwsealed");
    anita.ok(&["bundle", "export", "-o", one.to_str().expect("utf-8")]);
    let one_bytes = std::fs::metadata(&one).expect("file").len();
    anita.sync();

    for v in 0..40 {
        let day = format!("2026-11-{:02}", 21 + v % 7);
        anita.ok(&[
            "visit",
            "add",
            &cases[v % cases.len()],
            "--date",
            &day,
            "--note",
            &format!("visit {v}: met the child and the mother at home; attending school"),
        ]);
    }
    let week = tmp.path().join("week.hwsealed");
    anita.ok(&["bundle", "export", "-o", week.to_str().expect("utf-8")]);
    let week_bytes = std::fs::metadata(&week).expect("file").len();

    // Stopped, so that the database file is whole to copy.
    server.kill();
    let week_ms = import_ms(&db, &week, 5);
    // The one-case bundle's visit reached the server by the sync after it: this import checks
    // everything and finds the change already held.
    let one_ms = import_ms(&db, &one, 5);
    println!("bundle, one edited case (1 visit): {one_bytes} bytes");
    println!("bundle, a week offline (40 visits over 30 children): {week_bytes} bytes");
    println!(
        "server import of the week's bundle (CLI wall time, median of 5): {:.0} ms (min {:.0}, max {:.0})",
        median(&week_ms),
        week_ms[0],
        week_ms[week_ms.len() - 1]
    );
    println!(
        "server import of the one-case bundle, its change already held (median of 5): {:.0} ms",
        median(&one_ms)
    );
}
