//! Sync figures: bytes on the wire and round trips, measured through a byte-counting TCP proxy
//! between a real client (`homeward-field`) and the real server (in process, on loopback).
//!
//! Run: `cargo bench -p homeward-e2e --bench sync`. Prints, for a caseload of 500 synthetic
//! cases: the first sync of a second device, one edited case, nothing changed, and the
//! incremental syncs per second the server sustains on this machine.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use homeward_field::Store;
use homeward_field::sync::{self, Outcome, SyncOptions, SyncReport};
use homeward_sync_server::AppState;
use homeward_sync_server::store::{Role, Store as ServerStore};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const PIN: &str = "246813";

/// Bytes each way through the proxy, and connections opened.
#[derive(Default)]
struct Counters {
    up: AtomicU64,
    down: AtomicU64,
    connections: AtomicU64,
}

impl Counters {
    fn take(&self) -> (u64, u64, u64) {
        (
            self.up.swap(0, Ordering::SeqCst),
            self.down.swap(0, Ordering::SeqCst),
            self.connections.swap(0, Ordering::SeqCst),
        )
    }
}

async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    count: Arc<Counters>,
    up: bool,
) {
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                let c = if up { &count.up } else { &count.down };
                c.fetch_add(n as u64, Ordering::SeqCst);
                if to.write_all(&buf[..n]).await.is_err() {
                    break;
                }
            }
        }
    }
    let _ = to.shutdown().await;
}

async fn proxy(listener: TcpListener, target: std::net::SocketAddr, count: Arc<Counters>) {
    while let Ok((client, _)) = listener.accept().await {
        count.connections.fetch_add(1, Ordering::SeqCst);
        let count = count.clone();
        tokio::spawn(async move {
            let Ok(server) = TcpStream::connect(target).await else {
                return;
            };
            let (cr, cw) = client.into_split();
            let (sr, sw) = server.into_split();
            tokio::join!(
                pipe(cr, sw, count.clone(), true),
                pipe(sr, cw, count, false)
            );
        });
    }
}

fn synced(store: &mut Store, server: &str) -> SyncReport {
    let opts = SyncOptions {
        server: Some(server.to_owned()),
        ..SyncOptions::default()
    };
    match sync::sync(store, &opts, &mut |_| {}).expect("sync") {
        Outcome::Synced(r) => r,
        Outcome::Revoked | Outcome::RevokedKept { .. } => panic!("revoked"),
    }
}

/// A device whose data folder is `dir/data`, its device secret in key files in `dir/keys`.
fn device(dir: &std::path::Path, server: &str, code: &str) -> Store {
    let data = dir.join("data");
    let keystore = homeward_field::keystore::Keystore::File(dir.join("keys"));
    sync::enrol(&data, &keystore, PIN, server, code, "bench", false).expect("enrols");
    Store::open(&data, &keystore, PIN).expect("opens")
}

fn line(what: &str, r: &SyncReport, (up, down, conns): (u64, u64, u64)) {
    println!(
        "{what}: {} request(s) on {conns} connection(s); bodies {} B up, {} B down; on the wire with headers {up} B up, {down} B down",
        r.rounds, r.sent_bytes, r.received_bytes
    );
}

fn main() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut server_store =
        ServerStore::open(&tmp.path().join("server.db"), None).expect("server db");
    server_store
        .add_user("admin", Role::Admin, &[], None)
        .expect("user");
    let codes: Vec<String> = (0..2)
        .map(|_| server_store.enrolment_code("admin").expect("code"))
        .collect();
    // Simulated devices for the throughput figures: 1, 100 and 1,000 distinct devices.
    let simulated: Vec<String> = (0..1000u32)
        .map(|i| {
            let code = server_store.enrolment_code("admin").expect("code");
            let mut actor = vec![0x51, 0x3d];
            actor.extend(i.to_be_bytes());
            server_store
                .enrol(&code, &actor, "simulated")
                .expect("enrols")
                .token
        })
        .collect();
    let state = AppState::new(server_store);
    let (server_addr, proxy_addr, counters) = rt.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(homeward_sync_server::serve(
            listener,
            state,
            std::future::pending(),
        ));
        let plistener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let paddr = plistener.local_addr().expect("addr");
        let counters = Arc::new(Counters::default());
        tokio::spawn(proxy(plistener, addr, counters.clone()));
        (addr, paddr, counters)
    });
    let direct = format!("http://{server_addr}");
    let via_proxy = format!("http://{proxy_addr}");

    // Device A holds 500 synthetic cases and pushes them.
    let today = homeward_field::store::today();
    let mut load = homeward_shared::synth::caseload(homeward_shared::synth::Options {
        seed: 3,
        cases: 500,
        until: today,
        months: 12,
    });
    // Device A's user writes every case: the server refuses a change signed as another user,
    // and the generator's histories are signed by its own fieldworkers.
    let admin = homeward_shared::model::Author {
        user_id: "admin".into(),
        name: "admin".into(),
    };
    for c in &mut load.cases {
        c.registered.author = admin.clone();
        for (ctx, _) in &mut c.edits {
            ctx.author = admin.clone();
        }
    }
    let dir_a = tempfile::tempdir().expect("tempdir");
    // Enrolled through the proxy: a device sends its token only to the server it enrolled with.
    let mut a = device(dir_a.path(), &via_proxy, &codes[0]);
    for c in &load.cases {
        a.add_synthetic(c).expect("adds");
    }
    let docs: usize = load
        .cases
        .iter()
        .map(|c| a.export(&c.profile.case_id).expect("export").len())
        .sum();
    let visits: usize = load
        .cases
        .iter()
        .map(|c| a.case(&c.profile.case_id).expect("case").visits.len())
        .sum();
    let t = Instant::now();
    counters.take();
    let r = synced(&mut a, &via_proxy);
    assert!(
        r.refused.is_empty(),
        "device A's push was refused: {:?}",
        r.refused
    );
    println!(
        "caseload: 500 synthetic cases, {visits} visits; their saved documents take {docs} B ({:.1} KB per case)",
        docs as f64 / 500.0 / 1024.0
    );
    line(
        &format!(
            "first push of 500 cases from device A ({:.1?})",
            t.elapsed()
        ),
        &r,
        counters.take(),
    );

    // Device B's first sync.
    let dir_b = tempfile::tempdir().expect("tempdir");
    let mut b = device(dir_b.path(), &via_proxy, &codes[1]);
    counters.take();
    let t = Instant::now();
    let r = synced(&mut b, &via_proxy);
    let wire = counters.take();
    line(
        &format!("first sync of 500 cases on device B ({:.1?})", t.elapsed()),
        &r,
        wire,
    );
    println!(
        "  = {:.0}% of the saved documents' size",
        wire.1 as f64 * 100.0 / docs as f64
    );

    // One edited case among 500.
    let id = &load.cases[17].profile.case_id;
    let edit = homeward_shared::edit::Edit::RecordVisit {
        visit: homeward_shared::edit::NewVisit {
            id: "bench-visit".into(),
            date: today,
            kind: homeward_shared::model::VisitKind::FollowUp,
            met: Some("child and mother".into()),
            note: Some("Met the child and mother at home. The child attends school and the family has applied for the ration card.".into()),
            next_steps: Some("Follow up with the block office.".into()),
            summons_id: None,
            safety_checked: false,
        },
        updates: vec![homeward_shared::edit::NeedUpdate { id: "bench-u".into(), dimension: homeward_shared::need::Dimension::Education, status: homeward_shared::need::Status::Enrolled, note: None }],
    };
    a.edit(id, &edit, homeward_field::store::now())
        .expect("edit");
    counters.take();
    let r = synced(&mut a, &via_proxy);
    line(
        "device A pushes one edited case (a visit with a 20-word note and a need update)",
        &r,
        counters.take(),
    );
    let r = synced(&mut b, &via_proxy);
    line("device B pulls that one change", &r, counters.take());
    let r = synced(&mut b, &via_proxy);
    line("nothing changed", &r, counters.take());

    // The same two situations with stock per-document Automerge sync (`sync::State`, in
    // memory, the best case), in process, for comparison in this run.
    let ids: Vec<String> = load
        .cases
        .iter()
        .map(|c| c.profile.case_id.clone())
        .collect();
    let mut docs_a: Vec<automerge::AutoCommit> = ids
        .iter()
        .map(|id| automerge::AutoCommit::load(&a.export(id).expect("export")).expect("loads"))
        .collect();
    let mut docs_b: Vec<automerge::AutoCommit> = docs_a.iter_mut().map(|d| d.fork()).collect();
    let mut states: Vec<(automerge::sync::State, automerge::sync::State)> = ids
        .iter()
        .map(|_| (automerge::sync::State::new(), automerge::sync::State::new()))
        .collect();
    // A connection kept open: states carried from the exchange that brought both sides level.
    let exchange =
        |docs_a: &mut [automerge::AutoCommit],
         docs_b: &mut [automerge::AutoCommit],
         states: &mut [(automerge::sync::State, automerge::sync::State)]| {
            use automerge::sync::SyncDoc;
            let (mut up, mut down, mut messages, mut hops) = (0usize, 0usize, 0usize, 0usize);
            for ((da, db), (sa, sb)) in docs_a
                .iter_mut()
                .zip(docs_b.iter_mut())
                .zip(states.iter_mut())
            {
                let mut round = 0;
                loop {
                    let mut moved = false;
                    if let Some(m) = da.sync().generate_sync_message(sa) {
                        let bytes = m.encode();
                        up += bytes.len();
                        messages += 1;
                        moved = true;
                        db.sync()
                            .receive_sync_message(
                                sb,
                                automerge::sync::Message::decode(&bytes).expect("decodes"),
                            )
                            .expect("receives");
                    }
                    if let Some(m) = db.sync().generate_sync_message(sb) {
                        let bytes = m.encode();
                        down += bytes.len();
                        messages += 1;
                        moved = true;
                        da.sync()
                            .receive_sync_message(
                                sa,
                                automerge::sync::Message::decode(&bytes).expect("decodes"),
                            )
                            .expect("receives");
                    }
                    if !moved {
                        break;
                    }
                    round += 1;
                }
                hops = hops.max(round);
            }
            (up, down, messages, hops)
        };
    exchange(&mut docs_a, &mut docs_b, &mut states);
    let (up, down, messages, _) = exchange(&mut docs_a, &mut docs_b, &mut states);
    println!(
        "stock Automerge sync, nothing changed, 500 documents, states kept from the last exchange (a connection that never dropped): {messages} messages, {up} B one way, {down} B the other"
    );
    let fresh = |n: usize| -> Vec<(automerge::sync::State, automerge::sync::State)> {
        (0..n)
            .map(|_| (automerge::sync::State::new(), automerge::sync::State::new()))
            .collect()
    };
    let (up, down, messages, hops) = exchange(&mut docs_a, &mut docs_b, &mut fresh(ids.len()));
    println!(
        "stock Automerge sync, nothing changed, 500 documents, new connection (fresh states): {messages} messages, {up} B one way, {down} B the other, {hops} sequential exchange(s) per document"
    );
    {
        use automerge::transaction::Transactable;
        docs_a[17]
            .put(automerge::ROOT, "bench_probe", "one edited field")
            .expect("edit");
        docs_a[17].commit();
    }
    let (up, down, messages, hops) = exchange(&mut docs_a, &mut docs_b, &mut fresh(ids.len()));
    println!(
        "stock Automerge sync, one field edited in one document among 500, new connection: {messages} messages, {up} B one way, {down} B the other, {hops} sequential exchange(s)"
    );

    // Throughput: idle incremental syncs from 8 concurrent clients, straight to the server.
    let token = b.meta("token").expect("meta").expect("token");
    let cursor = b.cursor().expect("cursor");
    let reference_version = b.reference().expect("reference").map_or(0, |r| r.version);
    let body = homeward_shared::wire::encode(&homeward_shared::wire::SyncRequest {
        bundle_seen: 0,
        cursor,
        budget: 65536,
        reference_version,
        resources_version: 0,
        push: vec![],
        spot_check_outcomes: Vec::new(),
    });
    let count = Arc::new(AtomicU64::new(0));
    let secs = 5;
    let deadline = Instant::now() + Duration::from_secs(secs);
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (url, token, body, count) = (
                format!("{direct}/api/v1/sync"),
                token.clone(),
                body.clone(),
                count.clone(),
            );
            std::thread::spawn(move || {
                let http = reqwest::blocking::Client::new();
                while Instant::now() < deadline {
                    let resp = http
                        .post(&url)
                        .bearer_auth(&token)
                        .body(body.clone())
                        .send()
                        .expect("sync");
                    assert!(resp.status().is_success());
                    let _ = resp.bytes();
                    count.fetch_add(1, Ordering::SeqCst);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("client thread");
    }
    println!(
        "idle incremental syncs: {:.0} per second (8 concurrent clients, {secs} s, loopback)",
        count.load(Ordering::SeqCst) as f64 / secs as f64
    );

    // Throughput with 1, 100 and 1,000 distinct devices, each idle at the head of the feed,
    // from 8 concurrent clients taking the devices in turn; CPU is the whole process's (the
    // server and the clients: an upper bound on the server's).
    let high = match b.cursor().expect("cursor") {
        homeward_shared::wire::Cursor::Feed(n) => n,
        other => panic!("device B is synced: {other:?}"),
    };
    let http = reqwest::blocking::Client::new();
    let idle_body = |version: u64| {
        homeward_shared::wire::encode(&homeward_shared::wire::SyncRequest {
            bundle_seen: 0,
            cursor: homeward_shared::wire::Cursor::Feed(high),
            budget: 65536,
            reference_version: version,
            resources_version: 0,
            push: vec![],
            spot_check_outcomes: Vec::new(),
        })
    };
    // Each device's first round brings its reference data; later ones are idle.
    let bodies: Arc<Vec<(String, Vec<u8>)>> = Arc::new(
        simulated
            .iter()
            .map(|token| {
                let resp = http
                    .post(format!("{direct}/api/v1/sync"))
                    .bearer_auth(token)
                    .body(idle_body(0))
                    .send()
                    .expect("sync");
                assert!(resp.status().is_success());
                let answer: homeward_shared::wire::SyncResponse =
                    homeward_shared::wire::decode(&resp.bytes().expect("body")).expect("decodes");
                let version = answer.reference.map_or(0, |r| r.version);
                (token.clone(), idle_body(version))
            })
            .collect(),
    );
    for devices in [1usize, 100, 1000] {
        let count = Arc::new(AtomicU64::new(0));
        let cpu_before = process_cpu();
        let deadline = Instant::now() + Duration::from_secs(secs);
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (url, bodies, count) = (
                    format!("{direct}/api/v1/sync"),
                    bodies.clone(),
                    count.clone(),
                );
                std::thread::spawn(move || {
                    let http = reqwest::blocking::Client::new();
                    while Instant::now() < deadline {
                        let n = count.fetch_add(1, Ordering::SeqCst) as usize;
                        let (token, body) = &bodies[n % devices];
                        let resp = http
                            .post(&url)
                            .bearer_auth(token)
                            .body(body.clone())
                            .send()
                            .expect("sync");
                        assert!(resp.status().is_success());
                        let _ = resp.bytes();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().expect("client thread");
        }
        let done = count.load(Ordering::SeqCst);
        let cpu = process_cpu() - cpu_before;
        println!(
            "idle incremental syncs, {devices} device(s) in turn: {:.0} per second (8 concurrent clients, {secs} s, loopback; SQLite); {:.2} ms of process CPU per sync",
            done as f64 / secs as f64,
            cpu.as_secs_f64() * 1000.0 / done as f64
        );
    }

    // Incremental syncs that each push one new visit (about 500 bytes), one client, back to
    // back: the server stores and acknowledges each in its own round.
    let mut e = edit.clone();
    let n = 200;
    for k in 0..n {
        if let homeward_shared::edit::Edit::RecordVisit { visit, updates } = &mut e {
            visit.id = format!("loop-{k}");
            updates.clear();
        }
        a.edit(
            &load.cases[k % 500].profile.case_id,
            &e,
            homeward_field::store::now(),
        )
        .expect("edit");
    }
    let outbox = a.outbox(usize::MAX).expect("outbox");
    let token_a = a.meta("token").expect("meta").expect("token");
    let cursor_a = a.cursor().expect("cursor");
    let version_a = a.reference().expect("reference").map_or(0, |r| r.version);
    let http = reqwest::blocking::Client::new();
    let mut times = Vec::new();
    let start = Instant::now();
    for case in &outbox.push {
        for change in &case.changes {
            let body = homeward_shared::wire::encode(&homeward_shared::wire::SyncRequest {
                bundle_seen: 0,
                cursor: cursor_a.clone(),
                budget: 65536,
                reference_version: version_a,
                resources_version: 0,
                push: vec![homeward_shared::wire::CasePush {
                    case_id: case.case_id.clone(),
                    changes: vec![change.clone()],
                }],
                spot_check_outcomes: Vec::new(),
            });
            let t = Instant::now();
            let resp = http
                .post(format!("{direct}/api/v1/sync"))
                .bearer_auth(&token_a)
                .body(body)
                .send()
                .expect("sync");
            let status = resp.status();
            assert!(
                status.is_success(),
                "{status}: {}",
                resp.text().unwrap_or_default()
            );
            let _ = resp.bytes();
            times.push(t.elapsed());
        }
    }
    let total = start.elapsed();
    times.sort_unstable();
    println!(
        "incremental syncs pushing one new visit each: {:.0} per second (one client, {} in a row; median {:.1?} per round)",
        times.len() as f64 / total.as_secs_f64(),
        times.len(),
        times[times.len() / 2]
    );
}

/// The CPU time this process has used (user and system), from `/proc/self/stat`.
fn process_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("stat");
    // The fields after the command name (which may hold spaces, inside parentheses).
    let rest = &stat[stat.rfind(')').expect("comm") + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 =
        fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
    // Linux reports in clock ticks of 100 a second on every configuration this runs on.
    Duration::from_millis(ticks * 10)
}
