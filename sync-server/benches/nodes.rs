//! Sync throughput on PostgreSQL with one server node and with two (issue 13), beside SQLite's
//! one node, measured in one run.
//!
//! Run: `cargo bench -p homeward-sync-server --bench nodes` (PostgreSQL at
//! `HOMEWARD_BENCH_POSTGRES`, by default `postgres://127.0.0.1:5432/test`, where it makes and
//! then drops a schema of its own). A demo state of 200 synthetic cases; 100 fieldworkers'
//! phones, each synced once to the head of the feed; then 8 client threads send idle
//! incremental syncs (the phones in turn) for `HOMEWARD_BENCH_SECS` seconds (10 by default) to
//! the nodes in turn, all in this process on loopback: the figure is syncs per second, and the
//! process CPU per sync (server and clients together: an upper bound on the server's).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use homeward_shared::wire::{self, Cursor, SyncRequest, SyncResponse};
use homeward_sync_server::AppState;
use homeward_sync_server::store::{Role, Store};

const PHONES: usize = 100;
const CLIENTS: usize = 8;

fn request(cursor: Cursor, version: u64) -> Vec<u8> {
    wire::encode(&SyncRequest {
        bundle_seen: 0,
        cursor,
        budget: 65536,
        reference_version: version,
        resources_version: 0,
        push: Vec::new(),
        spot_check_outcomes: Vec::new(),
    })
}

fn process_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("stat");
    let after = stat.rsplit(')').next().expect("fields");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 =
        fields[11].parse::<u64>().expect("utime") + fields[12].parse::<u64>().expect("stime");
    Duration::from_millis(ticks * 10)
}

/// Phones of the demo's fieldworkers, enrolled: their tokens.
fn phones(store: &mut Store) -> Vec<String> {
    let workers: Vec<String> = store
        .users()
        .expect("users")
        .into_iter()
        .filter(|u| u.user.role == Role::Fieldworker && u.disabled_at.is_none())
        .map(|u| u.user.id)
        .collect();
    (0..PHONES)
        .map(|i| {
            let user = &workers[i % workers.len()];
            let code = store.enrolment_code(user).expect("code");
            let mut actor = vec![0x6e, 0x6f];
            actor.extend(u32::try_from(i).expect("fits").to_be_bytes());
            store.enrol(&code, &actor, "phone").expect("enrols").token
        })
        .collect()
}

/// Serves `stores` (one node each) and measures idle syncs of `phones` through them in turn.
fn measure(
    rt: &tokio::runtime::Runtime,
    stores: Vec<Store>,
    phones: &[String],
    secs: u64,
) -> (f64, f64) {
    let urls: Vec<String> = stores
        .into_iter()
        .map(|store| {
            rt.block_on(async {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                let addr = listener.local_addr().expect("addr");
                tokio::spawn(homeward_sync_server::serve(
                    listener,
                    AppState::new(store),
                    std::future::pending(),
                ));
                format!("http://{addr}/api/v1/sync")
            })
        })
        .collect();
    // Each phone syncs to the head of the feed first (its cases, its reference data).
    let http = reqwest::blocking::Client::new();
    let bodies: Arc<Vec<(String, Vec<u8>)>> = Arc::new(
        phones
            .iter()
            .map(|token| {
                let (mut cursor, mut version) = (Cursor::Start, 0);
                loop {
                    let resp = http
                        .post(&urls[0])
                        .bearer_auth(token)
                        .body(request(cursor.clone(), version))
                        .send()
                        .expect("sync");
                    assert!(resp.status().is_success(), "{}", resp.status());
                    let answer: SyncResponse =
                        wire::decode(&resp.bytes().expect("body")).expect("decodes");
                    version = answer.reference.map_or(version, |r| r.version);
                    cursor = answer.cursor;
                    if !answer.more {
                        break;
                    }
                }
                (token.clone(), request(cursor, version))
            })
            .collect(),
    );
    let urls = Arc::new(urls);
    let count = Arc::new(AtomicU64::new(0));
    let cpu_before = process_cpu();
    let deadline = Instant::now() + Duration::from_secs(secs);
    let threads: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (urls, bodies, count) = (urls.clone(), bodies.clone(), count.clone());
            std::thread::spawn(move || {
                let http = reqwest::blocking::Client::new();
                while Instant::now() < deadline {
                    let n = usize::try_from(count.fetch_add(1, Ordering::SeqCst)).expect("fits");
                    let (token, body) = &bodies[n % bodies.len()];
                    let resp = http
                        .post(&urls[n % urls.len()])
                        .bearer_auth(token)
                        .body(body.clone())
                        .send()
                        .expect("sync");
                    assert!(resp.status().is_success(), "{}", resp.status());
                    let answer: SyncResponse =
                        wire::decode(&resp.bytes().expect("body")).expect("decodes");
                    assert!(
                        answer.changes.is_empty() && answer.documents.is_empty(),
                        "idle"
                    );
                }
            })
        })
        .collect();
    for t in threads {
        t.join().expect("client");
    }
    let done = count.load(Ordering::SeqCst) as f64;
    let cpu = (process_cpu() - cpu_before).as_secs_f64() * 1000.0;
    (done / secs as f64, cpu / done)
}

fn main() {
    let secs: u64 = std::env::var("HOMEWARD_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let base = std::env::var("HOMEWARD_BENCH_POSTGRES")
        .unwrap_or_else(|_| "postgres://127.0.0.1:5432/test".into());
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let today = homeward_sync_server::today();

    let tmp = tempfile::tempdir().expect("tmp");
    let mut sqlite = Store::open(&tmp.path().join("bench.db"), None).expect("sqlite");
    homeward_sync_server::demo::fill(&mut sqlite, today, 200).expect("demo");
    let sqlite_phones = phones(&mut sqlite);
    let (rate, cpu) = measure(&rt, vec![sqlite], &sqlite_phones, secs);
    println!(
        "SQLite, one node:     {rate:>6.0} idle syncs per second, {cpu:.2} ms of process CPU per sync"
    );

    let schema = format!("bench_nodes_{}", std::process::id());
    let admin = homeward_sync_server::store::db::Db::postgres(&base).expect("PostgreSQL");
    admin
        .execute_batch(&format!("SET client_min_messages = WARNING; DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
        .expect("a schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
    let mut pg = Store::connect(&url).expect("postgres");
    homeward_sync_server::demo::fill(&mut pg, today, 200).expect("demo");
    let pg_phones = phones(&mut pg);
    let mut rates = Vec::new();
    for nodes in [1usize, 2] {
        let stores = (0..nodes)
            .map(|_| Store::connect(&url).expect("a node"))
            .collect();
        let (rate, cpu) = measure(&rt, stores, &pg_phones, secs);
        println!(
            "PostgreSQL, {nodes} node(s): {rate:>6.0} idle syncs per second, {cpu:.2} ms of process CPU per sync"
        );
        rates.push(rate);
    }
    println!(
        "two nodes / one node on PostgreSQL: {:.2}x (all in one process on this machine's cores)",
        rates[1] / rates[0]
    );
    drop(pg);
    admin
        .execute_batch(&format!("DROP SCHEMA {schema} CASCADE"))
        .expect("drops the schema");
}
