//! The server at scale (issue 13): the dashboard's pages and a district's CWC report over a
//! synthetic state of many cases in Bihar's 38 districts, and the server's memory, with the
//! real `homeward-sync-server` binary serving a database this benchmark fills.
//!
//! Run: `scripts/bench-scale` (release; `HOMEWARD_SCALE_CASES=10000,100000` by default). For each
//! size it prints the time to fill the store, then the first request (nothing kept by the node
//! yet: `outlines.rs`) and the median (and slowest) of five requests after it: a district supervisor's overview, caseload and one case page, the
//! district's CWC report CSV, and the administrator's state-wide overview; then the server
//! process's resident memory after those requests and its peak. Every case is synthetic.
//!
//! On PostgreSQL: `HOMEWARD_SCALE_POSTGRES=postgres://127.0.0.1/test scripts/bench-scale` fills a
//! schema `scale_N` per size in that database and serves it from there; a schema already
//! filled is used again (drop it to fill anew).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use homeward_shared::synth::{self, Options};
use homeward_shared::wire::CasePush;
use homeward_sync_server::store::{DeviceAuth, Role, Store};

/// Bihar's 38 districts.
const DISTRICTS: [&str; 38] = [
    "Araria",
    "Arwal",
    "Aurangabad",
    "Banka",
    "Begusarai",
    "Bhagalpur",
    "Bhojpur",
    "Buxar",
    "Darbhanga",
    "East Champaran",
    "Gaya",
    "Gopalganj",
    "Jamui",
    "Jehanabad",
    "Kaimur",
    "Katihar",
    "Khagaria",
    "Kishanganj",
    "Lakhisarai",
    "Madhepura",
    "Madhubani",
    "Munger",
    "Muzaffarpur",
    "Nalanda",
    "Nawada",
    "Patna",
    "Purnia",
    "Rohtas",
    "Saharsa",
    "Samastipur",
    "Saran",
    "Sheikhpura",
    "Sheohar",
    "Sitamarhi",
    "Siwan",
    "Supaul",
    "Vaishali",
    "West Champaran",
];

/// Blocks of each district (invented names: the figures do not depend on them).
const BLOCKS: [&str; 4] = ["Sadar", "Purab", "Paschim", "Uttar"];

const PASSWORD: &str = "demo";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).expect("a day")
}

/// Fills `store` with `cases` synthetic cases spread evenly over the 38 districts; returns the
/// id of one case of Gaya.
fn fill(store: &mut Store, cases: usize) -> String {
    let whole: Vec<(String, String)> = DISTRICTS
        .iter()
        .map(|d| ((*d).to_owned(), String::new()))
        .collect();
    store
        .add_user("admin", Role::Admin, &[], Some(PASSWORD))
        .expect("admin");
    for d in DISTRICTS {
        let area = [(d.to_owned(), String::new())];
        let slug = d.to_lowercase().replace(' ', "-");
        for (role, prefix) in [(Role::Supervisor, "supervisor"), (Role::Cwc, "cwc")] {
            store
                .add_user_with_id(
                    Some(&format!("{prefix}-{slug}")),
                    &format!("{prefix} {d}"),
                    role,
                    &area,
                    Some(PASSWORD),
                )
                .expect("user");
        }
    }
    // The synthetic histories are written by the generator's fieldworkers; here each of them
    // may work anywhere in the state, so that every district gets cases.
    let template = synth::caseload(Options {
        seed: 1,
        cases: 0,
        until: today(),
        months: 12,
    });
    let mut devices: Vec<DeviceAuth> = Vec::new();
    for (i, fw) in template.fieldworkers.iter().enumerate() {
        let id = store
            .add_user_with_id(
                Some(&fw.author.user_id),
                &fw.author.name,
                Role::Fieldworker,
                &whole,
                None,
            )
            .expect("fieldworker");
        let code = store.enrolment_code(&id).expect("code");
        let actor = vec![0xbe, u8::try_from(i).expect("few"), 0x5c, 0xa1];
        let token = store.enrol(&code, &actor, "bench").expect("enrols").token;
        devices.push(store.authenticate(&token).expect("device"));
    }
    let mut gaya = None;
    let mut n = 0usize;
    let mut seed = 100;
    while n < cases {
        let batch = (cases - n).min(1000);
        let load = synth::caseload(Options {
            seed,
            cases: batch,
            until: today(),
            months: 12,
        });
        seed += 1;
        let mut pushes: Vec<Vec<CasePush>> = vec![Vec::new(); devices.len()];
        for mut sc in load.cases {
            let district = DISTRICTS[n % DISTRICTS.len()];
            let block = BLOCKS[(n / DISTRICTS.len()) % BLOCKS.len()];
            sc.profile.child.address.district = district.to_owned();
            sc.profile.child.address.block = block.to_owned();
            // Ids unique across batches.
            let id = format!("s{n:06}-{}", sc.profile.case_id);
            sc.profile.case_id = id.clone();
            if district == "Gaya" && gaya.is_none() {
                gaya = Some(id.clone());
            }
            let device = &devices[sc.fieldworker];
            let mut doc = sc
                .build(automerge::ActorId::from(device.actor.as_slice()))
                .expect("builds");
            pushes[sc.fieldworker].push(CasePush {
                case_id: id,
                changes: doc
                    .get_changes(&[])
                    .iter()
                    .map(|c| c.raw_bytes().to_vec())
                    .collect(),
            });
            n += 1;
        }
        for (device, push) in devices.iter().zip(&pushes) {
            if !push.is_empty() {
                store.push_as(device, push).expect("stores");
            }
        }
    }
    gaya.expect("Gaya has cases")
}

/// The schema `scale_N` of the PostgreSQL database `base`, made if missing: its URL, the store,
/// and whether it already holds cases (filled by an earlier run).
fn on_postgres(base: &str, cases: usize) -> (std::ffi::OsString, Store, bool) {
    let schema = format!("scale_{cases}");
    homeward_sync_server::store::db::Db::postgres(base)
        .expect("connects to PostgreSQL")
        .execute_batch(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
        .expect("makes the schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
    let store = Store::connect(&url).expect("opens the schema");
    let held = store.stats().expect("counts").cases > 0;
    (url.into(), store, held)
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(db: &std::ffi::OsStr) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_homeward-sync-server"))
            .arg("--db")
            .arg(db)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts the server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("reads");
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .expect("the address")
            .to_owned();
        Server { child, base }
    }

    /// Resident and peak memory, kB.
    fn memory(&self) -> (u64, u64) {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).expect("status");
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.split_whitespace().next())
                .and_then(|v| v.parse().ok())
                .unwrap_or(0)
        };
        (field("VmRSS:"), field("VmHWM:"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(600))
        .build()
        .expect("client")
}

fn login(http: &reqwest::blocking::Client, base: &str, user: &str) -> String {
    let resp = http
        .post(format!("{base}/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("user={user}&password={PASSWORD}"))
        .send()
        .expect("logs in");
    resp.headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("{user} has a session: {}", resp.status()))
}

/// The first request (the node's first page of the day: nothing kept yet), then the median
/// and slowest of five timed requests after it, ms; and the body's size.
fn time(
    http: &reqwest::blocking::Client,
    base: &str,
    cookie: &str,
    path: &str,
) -> (f64, f64, f64, usize) {
    let mut first = 0.0;
    let mut times = Vec::new();
    let mut size = 0;
    for i in 0..6 {
        let start = Instant::now();
        let resp = http
            .get(format!("{base}{path}"))
            .header("cookie", cookie)
            .send()
            .expect("answers");
        let status = resp.status();
        let body = resp.bytes().expect("body");
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        assert!(status.is_success(), "{path}: {status}");
        size = body.len();
        if i > 0 {
            times.push(ms);
        } else {
            first = ms;
        }
    }
    times.sort_by(f64::total_cmp);
    (first, times[times.len() / 2], times[times.len() - 1], size)
}

fn main() {
    let sizes: Vec<usize> = std::env::var("HOMEWARD_SCALE_CASES")
        .unwrap_or_else(|_| "10000,100000".into())
        .split(',')
        .map(|s| s.trim().parse().expect("a number of cases"))
        .collect();
    let postgres = std::env::var("HOMEWARD_SCALE_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty());
    println!(
        "The server at scale: 38 districts, synthetic cases, the real server binary, on {}",
        if postgres.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    );
    for cases in sizes {
        let tmp = tempfile::tempdir().expect("tmp");
        let (db, mut store, reused) = match postgres.as_deref() {
            Some(base) => on_postgres(base, cases),
            None => {
                // HOMEWARD_SCALE_DIR keeps the filled database (scale-N.db) and uses it again.
                let kept = std::env::var_os("HOMEWARD_SCALE_DIR").map(std::path::PathBuf::from);
                let db = match &kept {
                    Some(dir) => dir.join(format!("scale-{cases}.db")),
                    None => tmp.path().join("scale.db"),
                };
                let reused = db.exists();
                let store = Store::open(&db, None).expect("opens");
                (db.into_os_string(), store, reused)
            }
        };
        let start = Instant::now();
        let gaya_case = if reused {
            let gaya = store.cases(Some("Gaya")).expect("reads");
            gaya.first().expect("a case in Gaya").id.clone()
        } else {
            fill(&mut store, cases)
        };
        let filled = if reused {
            "the database kept from an earlier run".to_owned()
        } else {
            format!("filled in {:.0} s", start.elapsed().as_secs_f64())
        };
        let file_mb = if postgres.is_some() {
            let bytes: i64 = store
                .db()
                .query_row(
                    "SELECT CAST(coalesce(sum(pg_total_relation_size(c.oid)), 0) AS BIGINT)
                     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = current_schema() AND c.relkind = 'r'",
                    [],
                    |r| r.get(0),
                )
                .expect("sizes");
            bytes as f64 / 1e6
        } else {
            std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0) as f64 / 1e6
        };
        drop(store);
        let server = Server::start(&db);
        let (idle_rss, _) = server.memory();
        let http = client();
        let sup = login(&http, &server.base, "supervisor-gaya");
        let admin = login(&http, &server.base, "admin");
        let month = "2026-10";
        println!();
        println!(
            "{cases} cases ({} in Gaya): {filled}, database {file_mb:.0} MB, server idle {} MB",
            cases.div_ceil(DISTRICTS.len()),
            idle_rss / 1024
        );
        println!(
            "{:<44} {:>10} {:>10} {:>10} {:>10} {:>8}",
            "request", "first ms", "median ms", "slowest", "bytes", "goal ms"
        );
        let rows = [
            (
                "overview, one district's supervisor",
                "/".to_owned(),
                &sup,
                Some(200.0),
            ),
            (
                "caseload of one district",
                "/cases".to_owned(),
                &sup,
                Some(200.0),
            ),
            (
                "a case page",
                format!("/cases/{gaya_case}"),
                &sup,
                Some(50.0),
            ),
            (
                "a district's CWC report, CSV",
                format!("/reports/cwc?district=Gaya&month={month}&format=csv&lang=en"),
                &sup,
                Some(5000.0),
            ),
            (
                "overview, the whole state (admin)",
                "/".to_owned(),
                &admin,
                None,
            ),
        ];
        for (what, path, cookie, goal) in rows {
            let (first, median, slowest, bytes) = time(&http, &server.base, cookie, &path);
            println!(
                "{what:<44} {first:>10.1} {median:>10.1} {slowest:>10.1} {bytes:>10} {:>8}",
                goal.map_or("-".to_owned(), |g| format!("{g:.0}"))
            );
        }
        let (rss, peak) = server.memory();
        println!(
            "server memory after these requests: {} MB resident, {} MB at its peak",
            rss / 1024,
            peak / 1024
        );
    }
}
