//! The attachments' benchmark (`scripts/bench-attachments`), apart from the test it repeats at
//! 2G speed: its figures, printed, are the issue's "bytes and time for the scan over the 2G
//! link, against the floor of bytes / bandwidth".

use std::process::Stdio;
use std::time::{Duration, Instant};

use super::{CHUNK, World, get_copy, photos, record_visit, upload_with_cuts, waiting};
use crate::slow::{Request, Shape};
use crate::support::Device;

/// The median of some durations.
fn median(mut d: Vec<Duration>) -> Duration {
    d.sort();
    d.get(d.len() / 2).copied().unwrap_or_default()
}

/// The benchmark (`scripts/bench-attachments`): the same upload at 64 kbit/s with a 600 ms
/// round trip and three cuts, its figures printed; then a second scan uploaded in one sync
/// while the fieldworker records visits, each visit's way to the server timed.
#[test]
#[ignore = "the 2G benchmark, minutes long: scripts/bench-attachments runs it"]
fn bench_a_scan_over_2g() {
    let visits: usize = std::env::var("HOMEWARD_BENCH_VISITS")
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(9);
    let w = World::new(Shape::GPRS);
    let (id, figures) = upload_with_cuts(&w, false);
    figures.print(w.link.shape());

    // A second scan goes up in one sync; meanwhile the fieldworker records visits.
    let dir = w.path("photos-2");
    let mut args = vec!["attach".to_owned(), w.case.clone(), "care_plan".to_owned()];
    for (i, bytes) in photos(2, 3).into_iter().enumerate() {
        let f = dir.join(format!("plan-{}.jpg", i + 1));
        std::fs::write(&f, bytes).expect("writes");
        args.push(f.to_str().expect("utf-8").to_owned());
    }
    w.phone
        .ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let backlog = waiting(&w.phone, &w.case);
    let expected = Duration::from_secs_f64(backlog as f64 / w.link.shape().rate as f64);
    let mark = w.link.mark();
    let mut sync = w
        .phone
        .command()
        .args(["--json", "sync", "--retries", "0"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("syncs");
    let start = Instant::now();
    let mut recorded = Vec::new();
    for i in 0..visits {
        // Spread over the first two thirds of the upload.
        let at = expected.mul_f64(0.66 * (i as f64 + 0.5) / visits as f64);
        std::thread::sleep(at.saturating_sub(start.elapsed()));
        let begun = Instant::now();
        let o = record_visit(
            &w.phone.data(),
            &w.phone.keystore(),
            &w.case,
            "during the upload",
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        recorded.push((begun, Instant::now()));
    }
    assert!(sync.wait().expect("waits").success(), "the sync finishes");
    let requests = w.link.requests();
    let rounds: Vec<&Request> = requests[mark..].iter().filter(|r| r.is_records()).collect();
    let (mut latency, mut wait, mut round) = (Vec::new(), Vec::new(), Vec::new());
    for (begun, saved) in &recorded {
        let Some(r) = rounds.iter().find(|r| r.started >= *begun) else {
            println!("a visit found no records round after it (the upload ended first)");
            continue;
        };
        let answered = r.answered.expect("answered");
        latency.push(answered.saturating_duration_since(*saved));
        wait.push(r.started.saturating_duration_since(*saved));
        round.push(r.round().expect("answered"));
    }
    let ms = |d: Duration| d.as_millis();
    println!(
        "visits recorded during the upload: {}; from saved to confirmed by the server: median {} ms, max {} ms (all: {:?} ms); of which waiting for the chunk under way: median {} ms; the records round itself: median {} ms, max {} ms (a chunk of {CHUNK} bytes takes {} ms of airtime)",
        latency.len(),
        ms(median(latency.clone())),
        ms(latency.iter().max().copied().unwrap_or_default()),
        latency.iter().map(|d| ms(*d)).collect::<Vec<_>>(),
        ms(median(wait)),
        ms(median(round.clone())),
        ms(round.iter().max().copied().unwrap_or_default()),
        CHUNK * 1000 / w.link.shape().rate,
    );

    // The supervisor's download over the same link.
    let supervisor = Device::enrol_at(&w.server, "sup-gaya", &w.link.url());
    supervisor.sync();
    w.link.reset();
    let t = Instant::now();
    get_copy(&supervisor, &id, &w.path("supervisor"));
    let took = t.elapsed().as_secs_f64();
    let down = w.link.traffic().down;
    println!(
        "on-demand download: {down} bytes down in {took:.1} s; floor {:.1} s; ratio {:.2}",
        figures.page_bytes as f64 / w.link.shape().rate as f64,
        took / (figures.page_bytes as f64 / w.link.shape().rate as f64)
    );
}
