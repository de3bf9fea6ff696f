//! The fault harness: the real `homeward` client and `homeward-sync-server` under three
//! faults, each trial ending in a recovery (what died restarted, the device synced until
//! nothing moves) and one check: every visit the device or its peer *confirmed* (the command
//! line printed it saved) is on the device and on the server exactly once; the device and the
//! server hold the same visits; no visit id twice in a case; no change stored twice on the
//! server; the device's store verifies. A visit not yet confirmed may be lost only by a process
//! killed before it confirmed.
//!
//! 1. `homeward` killed (SIGKILL) at a random moment while it records visits (`demo
//!    --per-edit`, one transaction per edit) and, beside it, syncs: each victim at a random
//!    delay, or at a random byte of the sync's exchange.
//! 2. The server killed (SIGKILL) mid-push: at a random byte of the request or the response, or
//!    a random delay after the first byte; restarted on the same database and port.
//! 3. The link cut at a random byte in either direction: a TCP link ([`crate::link`]) between
//!    the device and the server forwards N bytes that way, then shuts down both sides.
//!
//! The device (an administrator's, so it holds every case) talks to the server only through
//! the link; a peer device of the same user records a visit directly each trial, so that the
//! device has something to pull. Sizes and durations of a whole exchange are measured once
//! (a calibration sync), and the random byte offsets and delays are drawn within them.
//!
//! Trials: `HOMEWARD_FAULT_CLIENT_KILLS` (default 5), `HOMEWARD_FAULT_SERVER_KILLS` (3),
//! `HOMEWARD_FAULT_LINK_CUTS` (8); `scripts/faults` runs 1,000 / 100 / 1,000. The seed is
//! printed (`HOMEWARD_FAULT_SEED` sets it): the same seed and counts replay the same choices
//! (the moments a process meets them depend on the machine).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, MutexGuard, mpsc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::link::{Action, Dir, Link, Traffic, When};
use crate::support::{Device, Server, code, open_store, user};

const USER: &str = "admin";

fn env_u64(var: &str, default: u64) -> u64 {
    match std::env::var(var) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{var}={v:?} is not a number")),
        Err(_) => default,
    }
}

/// The seed: `HOMEWARD_FAULT_SEED`, else a new one.
fn seed() -> u64 {
    if let Ok(v) = std::env::var("HOMEWARD_FAULT_SEED") {
        return v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("HOMEWARD_FAULT_SEED={v:?} is not a number"));
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    fastrand::Rng::with_seed((nanos as u64) ^ u64::from(std::process::id())).u64(..1 << 48)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A `homeward` process running on its own: its stdout lines as they come, its stderr kept.
struct Proc {
    child: Arc<Mutex<Child>>,
    lines: mpsc::Receiver<String>,
    reader: Option<JoinHandle<()>>,
    stderr: Option<JoinHandle<String>>,
}

/// How a [`Proc`] ended.
struct Ended {
    status: ExitStatus,
    /// Every stdout line, the ones already taken with [`Proc::next_line`] excluded.
    lines: Vec<String>,
    stderr: String,
}

impl Ended {
    /// Killed by the harness (SIGKILL) rather than ended by itself.
    fn killed(&self) -> bool {
        self.status.signal() == Some(9)
    }
}

impl Proc {
    fn spawn(mut cmd: Command) -> Proc {
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("homeward starts");
        let stdout = child.stdout.take().expect("piped");
        let mut stderr = child.stderr.take().expect("piped");
        let (tx, lines) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = stderr.read_to_string(&mut s);
            s
        });
        Proc {
            child: Arc::new(Mutex::new(child)),
            lines,
            reader: Some(reader),
            stderr: Some(stderr),
        }
    }

    fn next_line(&self, timeout: Duration) -> Option<String> {
        self.lines.recv_timeout(timeout).ok()
    }

    /// Something that kills the process (SIGKILL) when called; nothing once it has ended and
    /// been waited for (so never another process that got its number).
    fn killer(&self) -> impl FnOnce() + Send + 'static {
        let child = self.child.clone();
        move || {
            let _ = lock(&child).kill();
        }
    }

    /// Kills the process after `delay`, from another thread.
    fn kill_after(&self, delay: Duration) {
        let kill = self.killer();
        std::thread::spawn(move || {
            std::thread::sleep(delay);
            kill();
        });
    }

    fn wait(mut self) -> Ended {
        let deadline = Instant::now() + Duration::from_secs(300);
        let status = loop {
            if let Some(s) = lock(&self.child).try_wait().expect("waits") {
                break s;
            }
            assert!(Instant::now() < deadline, "a homeward process hangs");
            std::thread::sleep(Duration::from_millis(2));
        };
        if let Some(r) = self.reader.take() {
            r.join().expect("stdout reader");
        }
        let stderr = self
            .stderr
            .take()
            .map(|h| h.join().expect("stderr reader"))
            .unwrap_or_default();
        Ended {
            status,
            lines: self.lines.try_iter().collect(),
            stderr,
        }
    }
}

/// `saved visit CASE VISIT` (the demo's confirmation) as (case, visit).
fn saved_visit(line: &str) -> Option<(String, String)> {
    let (case, visit) = line.strip_prefix("saved visit ")?.split_once(' ')?;
    Some((case.to_owned(), visit.trim().to_owned()))
}

/// What each kind of trial counts.
#[derive(Debug, Default)]
struct Tally {
    trials: u64,
    /// Faults that landed (a process killed mid-run, the server killed, the link cut).
    landed: u64,
    /// Syncs that failed because of the fault (and were completed by the recovery).
    failed_syncs: u64,
    /// Visits confirmed in the trials.
    confirmed: usize,
}

/// A server, the link in front of it, the device behind the link and its peer.
struct World {
    ctx: String,
    rng: fastrand::Rng,
    db: PathBuf,
    addr: String,
    server: Arc<Mutex<Server>>,
    link: Link,
    device: Device,
    peer: Device,
    /// The next seed for the demo's synthetic cases (a killed demo's cases may be half there:
    /// each run makes new ones).
    demo_seed: u64,
    /// Cases on the server at the last check (the peer holds them all).
    cases: Vec<String>,
    /// Every visit confirmed so far: (case, visit).
    confirmed: Vec<(String, String)>,
    /// A whole exchange: a backlog pushed and a peer's visit pulled.
    exchange: Traffic,
    /// How long a demo keeps recording after its first visit.
    editing: Duration,
    _tmp: tempfile::TempDir,
}

impl World {
    fn new(kind: &str, seed: u64) -> World {
        let tmp = tempfile::tempdir().expect("tempdir");
        let db = tmp.path().join("server.db");
        user(&db, USER, "admin", &[]);
        let server = Server::start(&db);
        let addr = server.addr().to_owned();
        let link = Link::start(addr.parse().expect("the server's address"));
        let device = Device::new();
        let c = code(&server, USER);
        device.ok(&[
            "enrol",
            "--server",
            &link.url(),
            "--code",
            &c,
            "--name",
            "phone under test",
        ]);
        let peer = Device::enrol(&server, USER);
        let mut rng = fastrand::Rng::with_seed(seed);
        let demo_seed = rng.u64(1 << 20..1 << 40);
        let mut w = World {
            ctx: format!("{kind}, seed {seed}"),
            rng,
            db,
            addr,
            server: Arc::new(Mutex::new(server)),
            link,
            device,
            peer,
            demo_seed,
            cases: Vec::new(),
            confirmed: Vec::new(),
            exchange: Traffic::default(),
            editing: Duration::ZERO,
            _tmp: tmp,
        };
        // A caseload on both phones, then one whole exchange measured.
        let seed = w.next_seed();
        w.device
            .json(&["demo", "--cases", "2", "--months", "3", "--seed", &seed]);
        let ctx = format!("{}, setup", w.ctx);
        w.recover_and_check(&ctx, &[]);
        let mut fresh = w.backlog(3, 4);
        fresh.extend(w.peer_visit(&ctx));
        w.link.disarm();
        w.device.sync();
        w.exchange = w.link.traffic();
        assert!(
            w.exchange.up > 1000 && w.exchange.down > 100,
            "{ctx}: a whole exchange went through the link: {:?}",
            w.exchange
        );
        w.recover_and_check(&ctx, &fresh);
        w
    }

    fn next_seed(&mut self) -> String {
        self.demo_seed += 1;
        self.demo_seed.to_string()
    }

    /// A day in the last few days (no visit is dated in the future).
    fn recent_day(&mut self) -> String {
        let day = homeward_field::store::today() - chrono::Days::new(self.rng.u64(1..6));
        day.format("%Y-%m-%d").to_string()
    }

    /// The demo recording `cases` new cases' visits, one transaction each, printing each
    /// visit once it is saved.
    fn editor(&mut self, cases: u32, months: u32) -> Proc {
        let seed = self.next_seed();
        let mut cmd = self.device.command();
        cmd.args([
            "demo",
            "--per-edit",
            "--cases",
            &cases.to_string(),
            "--months",
            &months.to_string(),
            "--seed",
            &seed,
        ]);
        Proc::spawn(cmd)
    }

    /// Records `visit add` on `device` for a random known case; returns (case, visit).
    fn visit(&mut self, peer: bool, ctx: &str) -> (String, String) {
        let case = self.cases[self.rng.usize(..self.cases.len())].clone();
        let day = self.recent_day();
        let who = if peer { &self.peer } else { &self.device };
        let note = if peer {
            "peer's visit"
        } else {
            "device's visit"
        };
        let out = who.ok(&[
            "visit", "add", &case, "--date", &day, "--kind", "phone", "--note", note,
        ]);
        let visit = out
            .lines()
            .last()
            .unwrap_or_else(|| panic!("{ctx}: no visit id in {out:?}"))
            .trim()
            .to_owned();
        (case, visit)
    }

    /// The peer records a visit and syncs it (directly): the device has something to pull.
    fn peer_visit(&mut self, ctx: &str) -> Vec<(String, String)> {
        let v = self.visit(true, ctx);
        self.peer.sync();
        vec![v]
    }

    /// Offline work on the device, run to the end: a demo's new cases with their visits, and a
    /// visit to a known case. Returns the visits confirmed; sets how long the demo recorded.
    fn backlog(&mut self, cases: u32, months: u32) -> Vec<(String, String)> {
        let editor = self.editor(cases, months);
        let first = editor.next_line(Duration::from_secs(60));
        let started = Instant::now();
        let ended = editor.wait();
        self.editing = self.editing.max(started.elapsed());
        assert!(
            ended.status.success(),
            "{}: the demo failed: {}",
            self.ctx,
            ended.stderr
        );
        let mut fresh: Vec<_> = first
            .iter()
            .chain(&ended.lines)
            .filter_map(|l| saved_visit(l))
            .collect();
        // A short caseload may have no visit yet: the visit below is always there.
        let ctx = self.ctx.clone();
        fresh.push(self.visit(false, &ctx));
        fresh
    }

    /// A random moment of a whole exchange: a byte either way, or a delay after its first byte
    /// (up to twice its span, so the moments after the last byte, the response being applied,
    /// are drawn too).
    fn moment(&mut self) -> When {
        let t = self.exchange;
        match self.rng.u8(0..3) {
            0 => When::Bytes(Dir::Up, self.rng.u64(0..=t.up)),
            1 => When::Bytes(Dir::Down, self.rng.u64(0..=t.down)),
            _ => {
                let span = u64::try_from(t.span.as_micros()).unwrap_or(u64::MAX);
                When::After(Duration::from_micros(self.rng.u64(0..=2 * span + 20_000)))
            }
        }
    }

    /// Syncs the device until a sync moves nothing, syncs the peer, then checks everything
    /// (see the module's comment), `fresh` being the visits confirmed since the last check.
    fn recover_and_check(&mut self, ctx: &str, fresh: &[(String, String)]) {
        self.link.disarm();
        let mut quiet = false;
        for _ in 0..4 {
            let o = self.device.run(&["--json", "sync", "--retries", "0"]);
            assert!(
                o.status.success(),
                "{ctx}: the recovery sync failed: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let r: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
            if r["confirmed"] == 0 && r["documents"] == 0 && r["changes"] == 0 {
                quiet = true;
                break;
            }
        }
        assert!(quiet, "{ctx}: four syncs and still something moved");
        self.peer.sync();
        let verified = self.device.json(&["verify"]);
        assert_eq!(
            verified["problems"],
            serde_json::json!([]),
            "{ctx}: the device's store is consistent"
        );

        // The server, read from its database.
        let store = open_store(&self.db, None)
            .unwrap_or_else(|e| panic!("{ctx}: the server's database opens: {e}"));
        let stats = store.stats().expect("stats");
        assert_eq!(
            stats.changes, stats.feed_changes,
            "{ctx}: no change stored twice on the server"
        );
        let mut on_server: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for case in store.cases(None).expect("the server's cases") {
            let mut visits: Vec<String> = case.visits.into_iter().map(|v| v.id).collect();
            visits.sort();
            let mut distinct = visits.clone();
            distinct.dedup();
            assert_eq!(
                distinct.len(),
                visits.len(),
                "{ctx}: case {} holds a visit twice on the server: {visits:?}",
                case.id
            );
            on_server.insert(case.id, visits);
        }
        drop(store);
        let total: usize = on_server.values().map(Vec::len).sum();
        assert_eq!(
            (verified["cases"].as_u64(), verified["visits"].as_u64()),
            (Some(on_server.len() as u64), Some(total as u64)),
            "{ctx}: the device holds the cases and visits the server holds"
        );

        // Each visit confirmed in this trial: once on the server and once on the device (read
        // through `homeward case show`, one call per case).
        let mut by_case: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (case, visit) in fresh {
            by_case.entry(case).or_default().push(visit);
        }
        for (case, visits) in by_case {
            let server = on_server.get(case).unwrap_or_else(|| {
                panic!("{ctx}: case {case}, with visits confirmed, is not on the server")
            });
            let shown = self.device.json(&["case", "show", case]);
            let mut device: Vec<String> = shown["case"]["visits"]
                .as_array()
                .expect("visits")
                .iter()
                .map(|v| v["id"].as_str().expect("id").to_owned())
                .collect();
            device.sort();
            for visit in visits {
                let count = |list: &[String]| list.iter().filter(|v| *v == visit).count();
                assert_eq!(
                    count(server),
                    1,
                    "{ctx}: visit {visit} of case {case} was confirmed: once on the server"
                );
                assert_eq!(
                    count(&device),
                    1,
                    "{ctx}: visit {visit} of case {case} was confirmed: once on the device"
                );
            }
            assert_eq!(
                &device, server,
                "{ctx}: case {case} has the same visits on the device and the server"
            );
        }
        self.confirmed.extend_from_slice(fresh);
        for (case, visit) in &self.confirmed {
            assert_eq!(
                on_server
                    .get(case)
                    .map_or(0, |v| v.iter().filter(|x| *x == visit).count()),
                1,
                "{ctx}: visit {visit} of case {case}, confirmed in an earlier trial, is still on the server once"
            );
        }
        self.cases = on_server.into_keys().collect();
    }

    /// Restarts the server on its database and address if it is not running.
    fn revive_server(&mut self) {
        let mut server = lock(&self.server);
        if server.child.try_wait().expect("waits").is_some() {
            *server = Server::start_at(&self.db, &self.addr);
        }
    }
}

fn progress(label: &str, trial: u64, trials: u64, started: Instant, tally: &Tally) {
    if trials >= 50 && (trial + 1).is_multiple_of(50) {
        println!(
            "{label}: {} of {trials} trials in {:.0?} ({} faults landed, {} syncs failed and recovered)",
            trial + 1,
            started.elapsed(),
            tally.landed,
            tally.failed_syncs
        );
    }
}

#[test]
fn the_link_forwards_exactly_n_bytes_then_cuts_both_sides() {
    let upstream = std::net::TcpListener::bind("127.0.0.1:0").expect("listens");
    let up_addr = upstream.local_addr().expect("address");
    let got = std::thread::spawn(move || {
        let (mut s, _) = upstream.accept().expect("accepts");
        let mut all = Vec::new();
        let _ = s.read_to_end(&mut all);
        all.len()
    });
    let link = Link::start(up_addr);
    link.arm(When::Bytes(Dir::Up, 300), Action::Cut);
    let mut client =
        std::net::TcpStream::connect(link.url().trim_start_matches("http://")).expect("connects");
    let _ = client.write_all(&[7u8; 1000]);
    assert_eq!(
        got.join().expect("upstream"),
        300,
        "exactly 300 bytes passed"
    );
    let mut rest = Vec::new();
    let _ = client.read_to_end(&mut rest);
    assert!(rest.is_empty(), "the client's side is closed too");
    assert_eq!(link.traffic().up, 300);
    assert!(link.disarm(), "the cut is reported");
}

#[test]
fn every_confirmed_visit_survives_sigkills_of_the_client_while_it_records_and_syncs() {
    let trials = env_u64("HOMEWARD_FAULT_CLIENT_KILLS", 5);
    let seed = seed();
    println!("client kills: {trials} trials, HOMEWARD_FAULT_SEED={seed}");
    let mut w = World::new("client kills", seed);
    let started = Instant::now();
    let mut tally = Tally::default();
    // A kill drawn after its victim ended lands nowhere. The moments are drawn from spans
    // measured once at setup, and a loaded machine makes them longer or shorter than a trial's:
    // when fewer than half the kills landed, up to three times as many trials run again, so
    // the check below is on faults that happened, not on the machine's load at setup.
    let mut trial = 0;
    while trial < trials || (tally.landed * 2 < tally.trials && trial < 4 * trials) {
        let ctx = format!("{}, trial {trial}", w.ctx);
        trial += 1;
        let mut fresh = w.peer_visit(&ctx);
        let cases = w.rng.u32(2..=3);
        let months = w.rng.u32(3..=4);
        let editor = w.editor(cases, months);
        // The demo is past the unlock once it saved a visit (a kill during the unlock counts
        // as a wrong PIN, by design); the sync starts beside it.
        // (None: a caseload with no visit, the demo ended; the sync still runs.)
        let first = editor.next_line(Duration::from_secs(60));
        let mut sync = w.device.command();
        sync.args(["sync", "--retries", "0", "--budget", "8192"]);
        let sync = Proc::spawn(sync);
        // The victims: the demo, the sync, or both, each at its own random moment.
        let victims = w.rng.u8(0..3);
        if victims != 1 {
            // Within the first half of the longest edit measured: a trial's demo is as long
            // or shorter.
            let span = u64::try_from(w.editing.as_micros() / 2).unwrap_or(u64::MAX);
            editor.kill_after(Duration::from_micros(w.rng.u64(0..=span)));
        }
        if victims != 0 {
            let when = w.moment();
            w.link.arm(when, Action::Call(Box::new(sync.killer())));
        }
        let edited = editor.wait();
        let synced = sync.wait();
        w.link.disarm();
        for (what, ended) in [("demo", &edited), ("sync", &synced)] {
            assert!(
                ended.killed() || ended.status.success(),
                "{ctx}: the {what}, not killed, failed ({}): {}",
                ended.status,
                ended.stderr
            );
        }
        if edited.killed() || synced.killed() {
            tally.landed += 1;
        }
        if synced.killed() {
            tally.failed_syncs += 1;
        }
        fresh.extend(
            first
                .iter()
                .chain(&edited.lines)
                .filter_map(|l| saved_visit(l)),
        );
        tally.confirmed += fresh.len();
        w.recover_and_check(&ctx, &fresh);
        tally.trials += 1;
        progress("client kills", trial - 1, trials, started, &tally);
    }
    println!(
        "client kills, seed {seed}: {tally:?} in {:.1?}",
        started.elapsed()
    );
    assert!(
        tally.landed * 2 >= tally.trials,
        "the kills landed mid-run in at least half the trials: {tally:?}"
    );
}

#[test]
fn every_confirmed_visit_survives_the_server_killed_mid_push_and_restarted() {
    let trials = env_u64("HOMEWARD_FAULT_SERVER_KILLS", 3);
    let seed = seed();
    println!("server kills: {trials} trials, HOMEWARD_FAULT_SEED={seed}");
    let mut w = World::new("server kills", seed);
    let started = Instant::now();
    let mut tally = Tally::default();
    for trial in 0..trials {
        let ctx = format!("{}, trial {trial}", w.ctx);
        let mut fresh = w.peer_visit(&ctx);
        let (cases, months) = (w.rng.u32(2..=3), w.rng.u32(3..=4));
        fresh.extend(w.backlog(cases, months));
        // The first trial kills the server halfway through the push, so every run (however few
        // its trials) has a sync that fails at a kill: a kill at a random moment may land after
        // the answer went out (seed 222169232411957: two kills landed, no sync failed).
        let when = if trial == 0 {
            When::Bytes(Dir::Up, w.exchange.up / 2)
        } else {
            w.moment()
        };
        let server = w.server.clone();
        w.link
            .arm(when, Action::Call(Box::new(move || lock(&server).kill())));
        let o = w.device.run(&["sync", "--retries", "0"]);
        let killed = w.link.disarm();
        w.revive_server();
        if killed {
            tally.landed += 1;
        } else {
            assert!(
                o.status.success(),
                "{ctx}: a sync the server lived through failed: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        if !o.status.success() {
            tally.failed_syncs += 1;
        }
        tally.confirmed += fresh.len();
        w.recover_and_check(&ctx, &fresh);
        tally.trials += 1;
        progress("server kills", trial, trials, started, &tally);
    }
    println!(
        "server kills, seed {seed}: {tally:?} in {:.1?}",
        started.elapsed()
    );
    assert!(
        tally.failed_syncs > 0,
        "at least one kill interrupted a sync: {tally:?}"
    );
}

#[test]
fn every_confirmed_visit_survives_the_link_cut_at_a_random_byte() {
    let trials = env_u64("HOMEWARD_FAULT_LINK_CUTS", 8);
    let seed = seed();
    println!("link cuts: {trials} trials, HOMEWARD_FAULT_SEED={seed}");
    let mut w = World::new("link cuts", seed);
    let started = Instant::now();
    let mut tally = Tally::default();
    let mut retried = 0;
    for trial in 0..trials {
        let ctx = format!("{}, trial {trial}", w.ctx);
        let mut fresh = w.peer_visit(&ctx);
        let (cases, months) = (w.rng.u32(2..=3), w.rng.u32(3..=4));
        fresh.extend(w.backlog(cases, months));
        let t = w.exchange;
        // The first trial cuts the push halfway and does not retry, so every run (however few
        // its trials) has a sync that fails at a cut: with random choices only, eight trials
        // sometimes had none (seed 208726869918029: four cuts landed, all retried).
        let when = if trial == 0 {
            When::Bytes(Dir::Up, t.up / 2)
        } else if w.rng.bool() {
            When::Bytes(Dir::Up, w.rng.u64(0..=t.up + t.up / 10))
        } else {
            When::Bytes(Dir::Down, w.rng.u64(0..=t.down + t.down / 10))
        };
        // Mostly the sync gives up at the cut; one in four retries in the same process (after
        // a second) through the link, which is back.
        let retry = trial > 0 && w.rng.u8(0..4) == 0;
        w.link.arm(when, Action::Cut);
        let o = w
            .device
            .run(&["sync", "--retries", if retry { "1" } else { "0" }]);
        let cut = w.link.disarm();
        let err = String::from_utf8_lossy(&o.stderr);
        if cut {
            tally.landed += 1;
        }
        if !cut || retry {
            assert!(
                o.status.success(),
                "{ctx}: a sync through a whole link (cut: {cut}, retried: {retry}) failed: {err}"
            );
        }
        if cut && retry {
            retried += 1;
        }
        if !o.status.success() {
            tally.failed_syncs += 1;
            assert!(
                err.contains("cannot reach the server") || err.contains("answer"),
                "{ctx}: the cut is reported as a network failure: {err}"
            );
        }
        // The store is consistent right after the cut, before any recovery.
        let verified = w.device.json(&["verify"]);
        assert_eq!(verified["problems"], serde_json::json!([]), "{ctx}");
        tally.confirmed += fresh.len();
        w.recover_and_check(&ctx, &fresh);
        tally.trials += 1;
        progress("link cuts", trial, trials, started, &tally);
    }
    println!(
        "link cuts, seed {seed}: {tally:?}, {retried} completed by a retry, in {:.1?}",
        started.elapsed()
    );
    assert!(
        tally.failed_syncs > 0,
        "at least one cut interrupted a sync: {tally:?}"
    );
}
