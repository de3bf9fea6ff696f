//! Copies of documents over 2G, end to end (issue 15), with the real `homeward` and
//! `homeward-sync-server` (its database encrypted with `HOMEWARD_DB_KEY`) and a slow link
//! between the phone and the server ([`crate::slow`]: a rate each way, a one-way delay, cuts).
//!
//! A fieldworker photographs a three-page FIR of about 600 KB (synthetic paper with grain,
//! which JPEG cannot shrink much; no real document) and records a visit, offline. Her phone
//! syncs through the link, cut three times in the middle of a chunk; each sync resumes where
//! the server's confirmations left it, and the fourth finishes. Checked:
//!
//! - records first: each sync's first request is a records round, and the visit is on the
//!   server before the first byte of a page leaves; a visit recorded while a chunk is on its
//!   way goes up in a records round right after that chunk, before the next;
//! - no chunk the server confirmed is sent again; the bytes of pages sent are at most the
//!   pages' bytes and a chunk per cut; the server then holds each page once, with its hash;
//! - no 32-byte run of any page (or of the photos given) is on the phone's or the server's
//!   disk in plain text;
//! - a user of another district gets 404 for a page (device API and dashboard); a CWC member
//!   of the district gets its bytes both ways, each view in the audit log;
//! - a supervisor's phone fetches the copy on demand (`homeward attachment get`), the same
//!   bytes.
//!
//! CI runs the link ten times faster than 2G ([`Shape::faster`]);
//! `scripts/bench-attachments` runs the same scenario at 64 kbit/s and 600 ms round trip
//! ([`bench::bench_a_scan_over_2g`], ignored here) and prints its figures.

use std::collections::BTreeSet;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use homeward_shared::attachment::{CHUNK_BYTES, sha256_hex};
use serde_json::Value;

use crate::slow::{Dir, Request, Shape, SlowLink};
use crate::support::{
    Device, PIN, Server, admin_with, bin, code, db_flag, on_postgres, open_store,
};

mod bench;

/// `HOMEWARD_DB_KEY` of the test's server (a test value, not a secret).
const KEY: &str = "attachments-e2e-test-key-0123456789";
const PASSWORD: &str = "a long test password";
const CHUNK: u64 = CHUNK_BYTES as u64;
/// Cuts during the upload, each this many bytes up into a sync (inside the fifth chunk).
const CUTS: usize = 3;
const CUT_AT: u64 = 150_000;

/// Photos of paper: `pages` JPEGs (quality 92, as a phone's camera makes them) of 900 × 1,250
/// pixels, printed lines on white with a grain no encoder can drop, so that the phone's
/// reduction keeps some 200 KB a page. Synthetic: no real document.
fn photos(seed: u64, pages: usize) -> Vec<Vec<u8>> {
    (0..pages)
        .map(|p| {
            let mut rng = fastrand::Rng::with_seed(seed * 100 + p as u64);
            let (w, h) = (900u32, 1250u32);
            let img = image::RgbImage::from_fn(w, h, |x, y| {
                let ink = (y / 24) % 2 == 0
                    && (x / 9 + y / 24 * 7) % 5 != 0
                    && x > 60
                    && x < w - 60
                    && (7..20).contains(&(y % 24));
                let base: i32 = if ink { 40 } else { 225 };
                let mut grain = || (base + i32::from(rng.u8(..22)) - 11).clamp(0, 255) as u8;
                image::Rgb([grain(), grain(), grain()])
            });
            let mut out = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(Cursor::new(&mut out), 92)
                .encode_image(&image::DynamicImage::ImageRgb8(img))
                .expect("encodes");
            out
        })
        .collect()
}

/// A dashboard user with a password, added through the server's command line.
fn staff(db: &Path, id: &str, role: &str, district: &str) {
    let mut child = Command::new(bin("homeward-sync-server"))
        .arg("--db")
        .arg(db_flag(db))
        .args(["user", "add", id, "--id", id, "--role", role])
        .args(["--district", district, "--password-stdin"])
        .env("HOMEWARD_DB_KEY", KEY)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .expect("writes");
    assert!(child.wait().expect("waits").success(), "user add {id}");
}

/// The server, the link, the fieldworker's phone behind it, and her case.
struct World {
    tmp: tempfile::TempDir,
    server: Server,
    link: SlowLink,
    phone: Device,
    case: String,
}

impl World {
    fn new(shape: Shape) -> World {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("server");
        std::fs::create_dir(&dir).expect("mkdir");
        let db = dir.join("server.db");
        admin_with(
            &db,
            Some(KEY),
            &[
                "user",
                "add",
                "Anita Devi",
                "--id",
                "anita",
                "--role",
                "fieldworker",
                "--block",
                "Gaya/Tekari",
            ],
        );
        staff(&db, "sup-gaya", "supervisor", "Gaya");
        staff(&db, "cwc-gaya", "cwc", "Gaya");
        staff(&db, "sup-patna", "supervisor", "Patna");
        let server = Server::start_encrypted(&db, KEY);
        let link = SlowLink::start(server.addr().parse().expect("an address"), shape);
        let phone = Device::enrol_at(&server, "anita", &link.url());
        let case = phone.add_case("Puja Kumari", "Gaya", "Tekari");
        phone.sync();
        World {
            tmp,
            server,
            link,
            phone,
            case,
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        let p = self.tmp.path().join(name);
        std::fs::create_dir_all(&p).expect("mkdir");
        p
    }

    /// The server's database, opened beside the running server.
    fn store(&self) -> homeward_sync_server::store::Store {
        open_store(&self.server.db, Some(KEY)).expect("the server's database opens with its key")
    }
}

/// The visits of a case on the server, read from its database.
fn visits_on_server(db: &Path, case: &str) -> usize {
    open_store(db, Some(KEY))
        .expect("opens")
        .cases(None)
        .expect("cases")
        .into_iter()
        .find(|c| c.id == case)
        .map_or(0, |c| c.visits.len())
}

/// `homeward visit add` on a phone's folder (from a hook, where the `Device` is not at hand).
fn record_visit(data: &Path, keystore: &str, case: &str, note: &str) -> Output {
    Command::new(bin("homeward"))
        .arg("--data")
        .arg(data)
        .env("HOMEWARD_PIN", PIN)
        .env("HOMEWARD_KEYSTORE", keystore)
        .args(["visit", "add", case, "--date", "2026-11-21", "--note", note])
        .output()
        .expect("homeward runs")
}

/// One `homeward sync` (no retries: a cut ends it), and how long it took.
fn sync_once(phone: &Device) -> (Output, Duration) {
    let t = Instant::now();
    let o = phone.run(&["--json", "sync", "--retries", "0"]);
    (o, t.elapsed())
}

/// The copies of a case on a phone (`homeward attachments --json`).
fn copies(phone: &Device, case: &str) -> Vec<Value> {
    phone
        .json(&["attachments", case])
        .as_array()
        .expect("a list")
        .clone()
}

fn waiting(phone: &Device, case: &str) -> u64 {
    copies(phone, case)
        .iter()
        .map(|c| c["waiting_bytes"].as_u64().expect("waiting_bytes"))
        .sum()
}

/// What the hooks saw while the link held a request.
#[derive(Default)]
struct Seen {
    /// Chunks seen in this sync.
    chunks: usize,
    /// The visits on the server as the first chunk of sync 1 was about to leave.
    before_first_chunk: Option<usize>,
    /// The chunk (its place in the link's log) during which a visit was recorded, and how that
    /// went.
    visit_during: Option<(usize, Output)>,
    /// The visits on the server as the first chunk after that visit was about to leave.
    after_that_visit: Option<usize>,
}

/// The figures of one upload through the link.
#[derive(Debug, Default)]
struct Figures {
    pages: usize,
    page_bytes: u64,
    up: u64,
    down: u64,
    chunk_requests: usize,
    chunk_body: u64,
    chunk_head: u64,
    records_rounds: usize,
    records_up: u64,
    runs: Vec<Duration>,
    wall: Duration,
}

impl Figures {
    fn print(&self, shape: Shape) {
        let floor = self.page_bytes as f64 / shape.rate as f64;
        let wall = self.wall.as_secs_f64();
        println!(
            "link: {} bytes/s each way ({} kbit/s), {} ms one way ({} ms round trip)",
            shape.rate,
            shape.rate * 8 / 1000,
            shape.delay.as_millis(),
            shape.delay.as_millis() * 2
        );
        println!(
            "scan: {} pages, {} bytes; {} cuts; {} syncs: {}",
            self.pages,
            self.page_bytes,
            CUTS,
            self.runs.len(),
            self.runs
                .iter()
                .map(|d| format!("{:.1} s", d.as_secs_f64()))
                .collect::<Vec<_>>()
                .join(", ")
        );
        println!(
            "on the wire: {} bytes up ({:.1} % over the pages), {} down",
            self.up,
            (self.up as f64 / self.page_bytes as f64 - 1.0) * 100.0,
            self.down,
        );
        println!(
            "  chunks: {} requests, {} body bytes ({} sent again after the cuts), {} header bytes; records rounds: {} ({} bytes up)",
            self.chunk_requests,
            self.chunk_body,
            self.chunk_body.saturating_sub(self.page_bytes),
            self.chunk_head,
            self.records_rounds,
            self.records_up,
        );
        println!(
            "time: {wall:.1} s wall (the syncs and restarts); floor {floor:.1} s (page bytes / bandwidth); ratio {:.2}",
            wall / floor
        );
    }
}

/// Attaches a three-page scan and records a visit offline, then syncs through the link cut
/// [`CUTS`] times mid-chunk, and once more to the end. With `check`, the hooks look at the
/// server as chunks are about to leave (records first) and a visit is recorded mid-upload;
/// the benchmark runs without (nothing holds the link). Returns the copy's id and the figures.
fn upload_with_cuts(w: &World, check: bool) -> (String, Figures) {
    let dir = w.path("photos");
    let files: Vec<PathBuf> = photos(1, 3)
        .into_iter()
        .enumerate()
        .map(|(i, bytes)| {
            let f = dir.join(format!("fir-{}.jpg", i + 1));
            std::fs::write(&f, bytes).expect("writes");
            f
        })
        .collect();
    let mut args = vec!["attach", w.case.as_str(), "fir", "--date", "2026-11-20"];
    args.extend(files.iter().map(|f| f.to_str().expect("utf-8")));
    let out = w.phone.ok(&args);
    let id = out.lines().last().expect("the copy's id").trim().to_owned();
    let listed = copies(&w.phone, &w.case);
    assert_eq!(listed.len(), 1, "{listed:?}");
    let pages = listed[0]["attachment"]["pages"]
        .as_array()
        .expect("pages")
        .clone();
    assert_eq!(pages.len(), 3);
    let page_bytes: u64 = pages
        .iter()
        .map(|p| p["size"].as_u64().expect("size"))
        .sum();
    assert!(
        (450_000..=750_000).contains(&page_bytes),
        "a scan of about 600 KB after the phone's reduction: {page_bytes} bytes"
    );
    assert_eq!(waiting(&w.phone, &w.case), page_bytes, "all of it waits");
    // Recorded offline after the photos: it must not wait behind them.
    let o = record_visit(
        &w.phone.data(),
        &w.phone.keystore(),
        &w.case,
        "before the sync",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    let seen = Arc::new(Mutex::new(Seen::default()));
    let mut figures = Figures {
        pages: 3,
        page_bytes,
        ..Figures::default()
    };
    w.link.reset();
    let first = w.link.mark();
    let started = Instant::now();
    let mut left = page_bytes;
    for run in 0..=CUTS {
        let mark = w.link.mark();
        if check {
            let (watch, db, case) = (seen.clone(), w.server.db.clone(), w.case.clone());
            let (data, keystore) = (w.phone.data(), w.phone.keystore());
            w.link.on_request(move |r: &Request| {
                if r.chunk().is_none() {
                    return;
                }
                let mut s = watch
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                s.chunks += 1;
                if run == 0 && s.chunks == 1 {
                    s.before_first_chunk = Some(visits_on_server(&db, &case));
                }
                if run == 1 {
                    if s.visit_during.is_some() && s.after_that_visit.is_none() {
                        s.after_that_visit = Some(visits_on_server(&db, &case));
                    }
                    if s.chunks == 2 {
                        // The phone's sync waits on this chunk: the fieldworker records a visit.
                        let o = record_visit(&data, &keystore, &case, "during the upload");
                        s.visit_during = Some((r.seq, o));
                    }
                }
            });
            seen.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .chunks = 0;
        }
        if run < CUTS {
            w.link.cut_after(Dir::Up, CUT_AT);
        }
        let (o, took) = sync_once(&w.phone);
        figures.runs.push(took);
        let cuts = w.link.disarm();
        let requests = w.link.requests();
        let this = &requests[mark..];
        assert!(
            this.first().is_some_and(Request::is_records),
            "sync {}: a records round first, before any page: {:?}",
            run + 1,
            this.iter().map(|r| &r.target).collect::<Vec<_>>()
        );
        if run < CUTS {
            assert_eq!(cuts, run as u64 + 1, "the link was cut");
            assert!(!o.status.success(), "sync {} ends at the cut", run + 1);
            let last = this.last().expect("requests");
            assert!(
                last.chunk().is_some() && !last.whole(),
                "cut in the middle of a chunk: {last:?}"
            );
            let now = waiting(&w.phone, &w.case);
            assert!(
                now < left && now > 0,
                "sync {} moved the upload on and kept what the server confirmed: {left} -> {now}",
                run + 1
            );
            left = now;
        } else {
            assert!(
                o.status.success(),
                "the last sync finishes: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let report: Value = serde_json::from_slice(&o.stdout).expect("JSON");
            assert_eq!(
                report["attachments_waiting"]["bytes"], 0,
                "nothing waits: {report}"
            );
        }
        if check && run == 1 {
            let s = seen
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let (at, o) = s
                .visit_during
                .as_ref()
                .expect("a visit recorded mid-upload");
            assert!(
                o.status.success(),
                "the phone records a visit while its sync waits on a chunk: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            let next = &requests[at + 1];
            assert!(
                next.is_records() && next.status == Some(200),
                "the chunk under way ends, then a records round goes before the next chunk: {next:?}"
            );
            assert_eq!(
                s.after_that_visit,
                Some(2),
                "both visits on the server before the next chunk leaves"
            );
        }
    }
    w.link.no_hook();
    figures.wall = started.elapsed();
    if check {
        let s = seen
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        assert_eq!(
            s.before_first_chunk,
            Some(1),
            "the visit recorded offline is on the server before the first chunk leaves"
        );
    }
    assert_eq!(waiting(&w.phone, &w.case), 0, "the phone says all is sent");

    // The bytes: every chunk the server confirmed was sent once.
    let all = w.link.requests();
    let all = &all[first..];
    let chunks: Vec<&Request> = all.iter().filter(|r| r.chunk().is_some()).collect();
    let mut confirmed = BTreeSet::new();
    for r in &chunks {
        let key = r.chunk().expect("a chunk");
        assert!(
            !confirmed.contains(&key),
            "a chunk the server confirmed was sent again: {key:?}"
        );
        if r.status == Some(200) {
            confirmed.insert(key);
        }
    }
    let traffic = w.link.traffic();
    figures.up = traffic.up;
    figures.down = traffic.down;
    figures.chunk_requests = chunks.len();
    figures.chunk_body = chunks.iter().map(|r| r.body_sent()).sum();
    figures.chunk_head = chunks.iter().map(|r| r.head).sum();
    figures.records_rounds = all.iter().filter(|r| r.is_records()).count();
    figures.records_up = all.iter().filter(|r| r.is_records()).map(|r| r.sent).sum();
    assert!(
        figures.chunk_body >= page_bytes,
        "every byte of the pages went up"
    );
    assert!(
        figures.chunk_body <= page_bytes + CUTS as u64 * CHUNK,
        "at most a chunk sent again per cut: {figures:?}"
    );
    assert!(
        figures.chunk_head <= chunks.len() as u64 * 512,
        "a chunk's request costs a few hundred bytes of headers: {figures:?}"
    );
    assert!(
        figures.up
            <= page_bytes
                + CUTS as u64 * CHUNK
                + figures.chunk_head
                + figures.records_up
                + 4 * 1024,
        "nothing else went up: {figures:?}"
    );
    (id, figures)
}

/// The pages of a copy written out by `homeward attachment get`, in order.
fn get_copy(phone: &Device, id: &str, out: &Path) -> Vec<Vec<u8>> {
    let first = out.join("page.jpg");
    let printed = phone.ok(&[
        "attachment",
        "get",
        id,
        "-o",
        first.to_str().expect("utf-8"),
    ]);
    let files: Vec<&str> = printed.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(files.len(), 3, "a file per page: {printed}");
    files
        .iter()
        .map(|f| std::fs::read(f.trim()).expect("the page written"))
        .collect()
}

/// 32-byte runs of `bytes`, from the middle of the data (a JPEG's first bytes are tables every
/// JPEG of a quality shares).
fn probes(bytes: &[u8]) -> Vec<Vec<u8>> {
    [3, 4, 5, 6, 7]
        .iter()
        .map(|k| {
            let at = bytes.len() * k / 10;
            bytes[at..at + 32].to_vec()
        })
        .collect()
}

/// Every file under `dir` holding any of the probes, with which.
fn plain_text_under(dir: &Path, probes: &[Vec<u8>]) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("reads the folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue; // gone meanwhile (a -shm file)
            };
            for (i, p) in probes.iter().enumerate() {
                if bytes.windows(p.len()).any(|w| w == p.as_slice()) {
                    found.push(format!("{} (probe {i})", path.display()));
                }
            }
        }
    }
    found
}

fn bytes_under(dir: &Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("reads the folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                total += entry.metadata().map_or(0, |m| m.len());
            }
        }
    }
    total
}

/// A device token for `user`, enrolled through the API (a phone's token, without the phone).
fn device_token(server: &Server, user: &str) -> String {
    let actor: String = (0..16)
        .map(|_| format!("{:02x}", fastrand::u8(..)))
        .collect();
    let body = serde_json::json!({ "code": code(server, user), "actor": actor, "name": "test" });
    let resp = reqwest::blocking::Client::new()
        .post(format!("{}/api/v1/enrol", server.url))
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .expect("enrols");
    assert_eq!(resp.status().as_u16(), 200, "enrolled");
    let v: Value = serde_json::from_str(&resp.text().expect("a body")).expect("JSON");
    v["token"].as_str().expect("a token").to_owned()
}

/// The dashboard's session cookie for `user`.
fn login(http: &reqwest::blocking::Client, server: &Server, user: &str) -> String {
    let resp = http
        .post(format!("{}/login", server.url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "user={user}&password={}",
            PASSWORD.replace(' ', "+")
        ))
        .send()
        .expect("logs in");
    assert_eq!(resp.status().as_u16(), 303, "{user} logs in");
    resp.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|c| c.to_str().ok())
        .filter_map(|c| c.split(';').next())
        .collect::<Vec<_>>()
        .join("; ")
}

/// (status, body) of a GET.
fn get(req: reqwest::blocking::RequestBuilder) -> (u16, Vec<u8>) {
    let resp = req.send().expect("answers");
    let status = resp.status().as_u16();
    (status, resp.bytes().expect("a body").to_vec())
}

#[test]
fn a_scan_goes_up_over_a_cut_2g_link_behind_the_records_and_only_the_case_s_people_see_it() {
    let w = World::new(Shape::GPRS.faster(10));
    let (id, figures) = upload_with_cuts(&w, true);
    figures.print(w.link.shape());

    // The pages as the phone keeps them; their hashes are the copy's.
    let listed = copies(&w.phone, &w.case);
    let hashes: Vec<String> = listed[0]["attachment"]["pages"]
        .as_array()
        .expect("pages")
        .iter()
        .map(|p| p["hash"].as_str().expect("hash").to_owned())
        .collect();
    let out = w.path("out");
    let pages = get_copy(&w.phone, &id, &out);
    for (page, hash) in pages.iter().zip(&hashes) {
        assert_eq!(&sha256_hex(page), hash, "the phone's page has its hash");
    }

    // The server holds each page once, whole, with its hash.
    let store = w.store();
    assert_eq!(
        store.stored_pages().expect("stored"),
        (3, figures.page_bytes),
        "three pages, each once"
    );
    assert_eq!(
        store.held_pages(&w.case).expect("held"),
        hashes.iter().cloned().collect::<BTreeSet<_>>()
    );

    // Who may see a page: not a supervisor of another district, on the phone's API or the
    // dashboard; a CWC member of the district, both ways, audited.
    let http = reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let api = |token: &str, hash: &str| {
        get(http
            .get(format!("{}/api/v1/attachments/{hash}", w.server.url))
            .bearer_auth(token))
    };
    let dashboard = |cookie: &str, hash: &str| {
        get(http
            .get(format!("{}/cases/{}/pages/{hash}", w.server.url, w.case))
            .header("cookie", cookie))
    };
    let outsider = device_token(&w.server, "sup-patna");
    let outsider_web = login(&http, &w.server, "sup-patna");
    let cwc = device_token(&w.server, "cwc-gaya");
    let cwc_web = login(&http, &w.server, "cwc-gaya");
    let status = |token: &str, hash: &str| {
        get(http
            .get(format!("{}/api/v1/attachments/{hash}/status", w.server.url))
            .bearer_auth(token))
        .0
    };
    let viewer = |cookie: &str| {
        get(http
            .get(format!("{}/cases/{}/copies/{id}", w.server.url, w.case))
            .header("cookie", cookie))
        .0
    };
    assert_eq!(
        viewer(&outsider_web),
        404,
        "the viewer, to another district"
    );
    assert_eq!(viewer(&cwc_web), 200, "the viewer, to the district's CWC");
    for (page, hash) in pages.iter().zip(&hashes) {
        assert_eq!(
            status(&outsider, hash),
            404,
            "not even where the upload stands"
        );
        assert_eq!(api(&outsider, hash).0, 404, "another district's supervisor");
        assert_eq!(
            dashboard(&outsider_web, hash).0,
            404,
            "nor on the dashboard"
        );
        assert_eq!(api(&cwc, hash), (200, page.clone()), "the district's CWC");
        assert_eq!(
            dashboard(&cwc_web, hash),
            (200, page.clone()),
            "on the dashboard too"
        );
    }
    let audit = w
        .store()
        .audit_log(Some("cwc-gaya"), Some(&w.case), 100)
        .expect("the audit log");
    for hash in &hashes {
        for action in ["copy-download", "copy-view"] {
            assert!(
                audit.iter().any(|a| a.action == action
                    && a.detail
                        .as_deref()
                        .is_some_and(|d| d.contains(hash.as_str()))),
                "{action} of {hash} audited: {audit:?}"
            );
        }
    }
    let outsider_audit = w
        .store()
        .audit_log(Some("sup-patna"), Some(&w.case), 100)
        .expect("the audit log");
    assert!(
        outsider_audit
            .iter()
            .all(|a| a.action != "copy-download" && a.action != "copy-view"),
        "nothing was shown to the outsider: {outsider_audit:?}"
    );

    // No page in plain text on any disk: the phone's folder, the server's database (WAL and
    // all); the supervisor's phone below. The probes are found where the pages are plain (the
    // files written out).
    let mut needles: Vec<Vec<u8>> = pages.iter().flat_map(|p| probes(p)).collect();
    let originals: Vec<Vec<u8>> = std::fs::read_dir(w.path("photos"))
        .expect("photos")
        .map(|e| std::fs::read(e.expect("entry").path()).expect("reads"))
        .collect();
    needles.extend(originals.iter().flat_map(|p| probes(p)));
    assert_eq!(
        plain_text_under(&out, &needles).len(),
        pages.len() * 5,
        "the search finds a page's runs in a plain copy"
    );
    let no_plain_pages = |dir: &Path| {
        assert!(
            bytes_under(dir) >= figures.page_bytes,
            "{} holds the pages (encrypted)",
            dir.display()
        );
        let found = plain_text_under(dir, &needles);
        assert!(found.is_empty(), "image bytes in plain text: {found:?}");
    };
    no_plain_pages(w.phone.dir.path());
    if !on_postgres() {
        // On SQLite the server's pages are in its encrypted file. PostgreSQL's disk is the
        // operator's to encrypt (README "Running at scale"): nothing under this folder to check.
        no_plain_pages(w.server.db.parent().expect("its folder"));
    }

    // A supervisor's phone fetches the copy on demand, over the same link: the same bytes.
    let supervisor = Device::enrol_at(&w.server, "sup-gaya", &w.link.url());
    supervisor.sync();
    let theirs = copies(&supervisor, &w.case);
    assert_eq!(theirs.len(), 1);
    assert_eq!(
        theirs[0]["held"],
        serde_json::json!([false, false, false]),
        "a sync brings the copy's reference, not its bytes"
    );
    w.link.reset();
    let fetched = get_copy(&supervisor, &id, &w.path("supervisor"));
    assert_eq!(fetched, pages, "the supervisor gets the same bytes");
    let down = w.link.traffic().down;
    assert!(
        down >= figures.page_bytes && down <= figures.page_bytes + 16 * 1024,
        "the download costs the pages and a little: {down} bytes"
    );
    println!("the supervisor's download: {down} bytes down");
    no_plain_pages(supervisor.dir.path());
}
