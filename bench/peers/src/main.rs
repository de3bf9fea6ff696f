//! The 2G benchmark (issue 13, part 4): Homeward (its real release binaries), samod (the Rust
//! automerge-repo, server and client in this process, over samod's TCP framing) and
//! pouchdb-server with a PouchDB client (Node), side by side through one emulated 2G link
//! ([`link`]: 64 kbit/s each way, 600 ms round trip, 1% loss), with the same synthetic
//! caseload; then a cut in the middle of a Homeward first sync, and what a first sync's bodies
//! would weigh under other compressors. Run by `scripts/bench-2g`, which builds everything.
//!
//! The caseload is made once by Homeward (`homeward demo`, synthetic names, real Bihar
//! districts) on a device A, pushed to a Homeward server, and saved case by case with
//! `homeward export --plain` (the standard Automerge document): samod's server holds exactly
//! those documents, pouchdb-server the same documents as JSON (one document per case, visits
//! inline, as Automerge's `AutoSerde` writes them). Every edit is a real `homeward visit add` on
//! a device; samod receives that visit's very Automerge change, pouchdb-server the case's new
//! JSON.
//!
//! Settings (environment): `HOMEWARD_BENCH_CASES` (500), `HOMEWARD_BENCH_EDITS` (50),
//! `HOMEWARD_BENCH_PEERS` (1; 0: Homeward alone), `HOMEWARD_BENCH_FASTER` (1; k: a link k
//! times faster, for a smoke run), `HOMEWARD_BENCH_BIN` (the folder of `homeward` and
//! `homeward-sync-server`), `HOMEWARD_BENCH_NODE` (the folder of `client.js` and its
//! `node_modules`).

mod link;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use automerge::{Automerge, ChangeHash};
use link::{Framing, Link, Shape, Stats};

const PIN: &str = "246813";
const NOTE: &str = "Met the child and mother at home. The child attends school and the family has applied for the ration card.";

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

// ---------------------------------------------------------------------------------------------
// The table.

/// One measured sync.
struct Row {
    system: &'static str,
    phase: String,
    stats: Stats,
    /// What the client itself took, where it says (Homeward: the command's wall time, unlock
    /// and process start included; PouchDB: `db.sync`'s time).
    wall: Option<Duration>,
    note: String,
}

impl Row {
    fn requests(&self) -> String {
        if self.system == "samod" {
            format!(
                "{} up / {} down msgs",
                self.stats.requests, self.stats.messages_down
            )
        } else {
            format!("{} HTTP", self.stats.requests)
        }
    }
}

fn kb(n: u64) -> String {
    if n < 10_000 {
        format!("{n} B")
    } else {
        format!("{:.1} KB", n as f64 / 1000.0)
    }
}

fn secs(d: Duration) -> String {
    format!("{:.2} s", d.as_secs_f64())
}

fn print_rows(rows: &[Row]) {
    println!(
        "| system | sync | up | down | connections | requests / messages | on the link | client wall | note |"
    );
    println!("| --- | --- | ---: | ---: | ---: | --- | ---: | ---: | --- |");
    for r in rows {
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.system,
            r.phase,
            kb(r.stats.up),
            kb(r.stats.down),
            r.stats.connections,
            r.requests(),
            secs(r.stats.span()),
            r.wall.map(secs).unwrap_or_else(|| "-".into()),
            r.note
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Homeward, through its real binaries.

struct Homeward {
    bin: PathBuf,
    db: PathBuf,
    server: Child,
    url: String,
}

impl Homeward {
    fn start(bin: &Path, root: &Path) -> Res<Homeward> {
        let db = root.join("server.db");
        let admin = |args: &[&str]| -> Res<String> {
            let o = Command::new(bin.join("homeward-sync-server"))
                .arg("--db")
                .arg(&db)
                .args(args)
                .output()?;
            if !o.status.success() {
                return Err(format!(
                    "homeward-sync-server {args:?}: {}",
                    String::from_utf8_lossy(&o.stderr)
                )
                .into());
            }
            Ok(String::from_utf8_lossy(&o.stdout).into_owned())
        };
        admin(&[
            "user",
            "add",
            "Bench Admin",
            "--id",
            "admin",
            "--role",
            "admin",
        ])?;
        let mut server = Command::new(bin.join("homeward-sync-server"))
            .arg("--db")
            .arg(&db)
            .args(["serve", "--listen", "127.0.0.1:0"])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let mut line = String::new();
        BufReader::new(server.stdout.take().ok_or("no stdout")?).read_line(&mut line)?;
        let url = line
            .trim()
            .strip_prefix("listening on ")
            .ok_or_else(|| format!("the server said {line:?}"))?
            .to_owned();
        Ok(Homeward {
            bin: bin.to_owned(),
            db,
            server,
            url,
        })
    }

    fn addr(&self) -> Res<SocketAddr> {
        Ok(self.url.trim_start_matches("http://").parse()?)
    }

    fn code(&self) -> Res<String> {
        let o = Command::new(self.bin.join("homeward-sync-server"))
            .arg("--db")
            .arg(&self.db)
            .args(["device", "code", "admin"])
            .output()?;
        let out = String::from_utf8_lossy(&o.stdout);
        Ok(out.lines().last().ok_or("no code")?.trim().to_owned())
    }

    /// A new device in `dir`, enrolled with the server at `url` (the server itself, or a link).
    fn device(&self, dir: &Path, url: &str) -> Res<Device> {
        let d = Device {
            bin: self.bin.join("homeward"),
            dir: dir.to_owned(),
        };
        let code = self.code()?;
        d.ok(&["enrol", "--server", url, "--code", &code, "--name", "bench"])?;
        Ok(d)
    }
}

impl Drop for Homeward {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

struct Device {
    bin: PathBuf,
    dir: PathBuf,
}

impl Device {
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(&self.bin);
        c.arg("--data")
            .arg(self.dir.join("data"))
            .args(args)
            .env("HOMEWARD_PIN", PIN)
            .env(
                "HOMEWARD_KEYSTORE",
                format!("file:{}", self.dir.join("keys").display()),
            );
        c
    }

    fn ok(&self, args: &[&str]) -> Res<String> {
        let o = self.cmd(args).output()?;
        if !o.status.success() {
            return Err(format!(
                "homeward {args:?}: {}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            )
            .into());
        }
        Ok(String::from_utf8_lossy(&o.stdout).into_owned())
    }

    /// `homeward sync`, timed; Ok(false) when it failed (a cut).
    fn sync(&self) -> Res<(bool, Duration, String)> {
        let t = Instant::now();
        let o = self.cmd(&["sync", "--retries", "0"]).output()?;
        let out = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        Ok((o.status.success(), t.elapsed(), out))
    }

    fn case_ids(&self) -> Res<Vec<String>> {
        let v: serde_json::Value = serde_json::from_str(&self.ok(&["--json", "case", "list"])?)?;
        let list = v
            .as_array()
            .cloned()
            .or_else(|| v.get("cases").and_then(|c| c.as_array()).cloned())
            .ok_or("case list: not an array")?;
        let mut ids: Vec<String> = list
            .iter()
            .filter_map(|c| {
                c.get("case_id")
                    .or_else(|| c.get("id"))
                    .and_then(|i| i.as_str())
                    .map(str::to_owned)
            })
            .collect();
        ids.sort();
        Ok(ids)
    }

    /// The case's standard Automerge document (`homeward export --plain`).
    fn export(&self, id: &str, tmp: &Path) -> Res<Vec<u8>> {
        let file = tmp.join(format!("{id}.automerge"));
        self.ok(&["export", id, "-o", file.to_str().ok_or("path")?, "--plain"])?;
        let bytes = std::fs::read(&file)?;
        std::fs::remove_file(&file)?;
        Ok(bytes)
    }

    /// Exports many cases, two processes at a time.
    fn export_all(&self, ids: &[String], tmp: &Path) -> Res<HashMap<String, Vec<u8>>> {
        let out = std::sync::Mutex::new(HashMap::new());
        let err = std::sync::Mutex::new(None::<String>);
        let (out_ref, err_ref) = (&out, &err);
        std::thread::scope(|s| {
            for half in ids.chunks(ids.len().div_ceil(2).max(1)) {
                s.spawn(move || {
                    for id in half {
                        match self.export(id, tmp) {
                            Ok(b) => {
                                out_ref.lock().unwrap().insert(id.clone(), b);
                            }
                            Err(e) => *err_ref.lock().unwrap() = Some(e.to_string()),
                        }
                    }
                });
            }
        });
        if let Some(e) = err.into_inner().unwrap() {
            return Err(e.into());
        }
        Ok(out.into_inner().unwrap())
    }

    fn visit(&self, id: &str, today: &str) -> Res<()> {
        self.ok(&[
            "visit",
            "add",
            id,
            "--date",
            today,
            "--met",
            "child and mother",
            "--note",
            NOTE,
            "--next-steps",
            "Follow up with the block office.",
        ])?;
        Ok(())
    }
}

/// One measured Homeward sync of `dev` through `link`.
fn hw_sync(link: &Link, dev: &Device, phase: &str) -> Res<Row> {
    link.take();
    let (ok, wall, out) = dev.sync()?;
    std::thread::sleep(Duration::from_millis(200));
    let stats = link.take();
    if !ok {
        return Err(format!("homeward sync ({phase}) failed: {out}").into());
    }
    // The command's own summary: the bodies' bytes each way (the rest is HTTP heads).
    let bodies = out
        .lines()
        .find(|l| l.contains("bytes sent"))
        .map(|l| {
            let nums: Vec<&str> = l
                .split(['(', ')'])
                .filter(|p| p.contains("bytes"))
                .collect();
            format!(
                "bodies: {}",
                nums.join(" up, ")
                    .replace("bytes sent", "B")
                    .replace("bytes", "B down")
            )
        })
        .unwrap_or_default();
    Ok(Row {
        system: "Homeward",
        phase: phase.into(),
        stats,
        wall: Some(wall),
        note: bodies,
    })
}

// ---------------------------------------------------------------------------------------------
// samod: its server and a client in this process, the client reaching the server through the
// link with samod's own TCP transport (4-byte length before each message).

struct Samod {
    server: samod::Repo,
    client: samod::Repo,
    link: Link,
    /// Case id to the server's handle.
    server_docs: HashMap<String, samod::DocHandle>,
    ids: Vec<(String, samod::DocumentId)>,
    client_docs: HashMap<String, samod::DocHandle>,
}

impl Samod {
    async fn start(docs: &HashMap<String, Vec<u8>>, shape: Shape) -> Res<Samod> {
        let server = samod::Repo::build_tokio().load().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let acceptor = server.make_acceptor(url::Url::parse("tcp://bench-server")?)?;
        tokio::spawn(async move {
            while let Ok((io, _)) = listener.accept().await {
                let _ = io.set_nodelay(true);
                let _ = acceptor.accept(samod::Transport::from_tokio_io(io));
            }
        });
        let mut server_docs = HashMap::new();
        let mut ids = Vec::new();
        let mut sorted: Vec<_> = docs.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        for (case, bytes) in sorted {
            let doc = Automerge::load(bytes)?;
            let h = server.create(doc).await?;
            ids.push((case.clone(), h.document_id().clone()));
            server_docs.insert(case.clone(), h);
        }
        let link = Link::start("127.0.0.1:0", addr, shape, Framing::Len32, 2).await?;
        let client = samod::Repo::build_tokio().load().await;
        Ok(Samod {
            server,
            client,
            link,
            server_docs,
            ids,
            client_docs: HashMap::new(),
        })
    }

    /// Connects the client, runs `during`, waits until `done` holds and the link has been
    /// quiet for a while, disconnects; the counts are from the first connection to the last
    /// byte delivered.
    async fn phase<F, Fut>(
        &mut self,
        phase: &str,
        during: F,
        done: impl Fn(&Samod) -> bool,
    ) -> Res<Row>
    where
        F: FnOnce(samod::Repo) -> Fut,
        Fut: std::future::Future<Output = Res<Vec<(String, samod::DocHandle)>>>,
    {
        self.link.take();
        let url = url::Url::parse(&format!("tcp://{}", self.link.addr()))?;
        let dialer = self
            .client
            .dial_tcp(url, samod::BackoffConfig::default())
            .map_err(|e| e.to_string())?;
        dialer.established().await.map_err(|e| e.to_string())?;
        let found = during(self.client.clone()).await?;
        for (case, h) in found {
            self.client_docs.insert(case, h);
        }
        let limit = Instant::now() + Duration::from_secs(600);
        while !done(self) && Instant::now() < limit {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let converged = done(self);
        // Quiet for 3 s (longer than a retransmission's gap): the conversation is over.
        self.link
            .quiet(Duration::from_secs(3), Duration::from_secs(120))
            .await;
        let stats = self.link.take();
        dialer.close();
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.link.take();
        Ok(Row {
            system: "samod",
            phase: phase.into(),
            stats,
            wall: None,
            note: if converged {
                String::new()
            } else {
                "did not converge".into()
            },
        })
    }

    fn heads_match(&self, cases: &[String]) -> bool {
        cases.iter().all(|c| {
            let (Some(s), Some(d)) = (self.server_docs.get(c), self.client_docs.get(c)) else {
                return false;
            };
            let mut a = s.with_document(|d| d.get_heads());
            let mut b = d.with_document(|d| d.get_heads());
            a.sort();
            b.sort();
            a == b
        })
    }
}

/// The changes of `new` that `old` lacks.
fn new_changes(old: &[u8], new: &[u8]) -> Res<Vec<automerge::Change>> {
    let old = Automerge::load(old)?;
    let new = Automerge::load(new)?;
    let heads: Vec<ChangeHash> = old.get_heads();
    Ok(new.get_changes(&heads))
}

// ---------------------------------------------------------------------------------------------
// pouchdb-server and a PouchDB client (Node).

struct Pouch {
    server: Child,
    client: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    direct: String,
    link: Link,
}

impl Pouch {
    async fn start(node: &Path, root: &Path, shape: Shape) -> Res<Pouch> {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0")?;
            l.local_addr()?.port()
        };
        let dir = root.join("pouchdb-server");
        std::fs::create_dir_all(&dir)?;
        let server = Command::new("node")
            .arg(node.join("node_modules/pouchdb-server/bin/pouchdb-server"))
            .args([
                "--in-memory",
                "--no-stdout-logs",
                "--port",
                &port.to_string(),
            ])
            .current_dir(&dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()?;
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse()?;
        let limit = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(addr).is_err() {
            if Instant::now() > limit {
                return Err("pouchdb-server did not start".into());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let mut client = Command::new("node")
            .arg(node.join("client.js"))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdin = client.stdin.take().ok_or("stdin")?;
        let stdout = BufReader::new(client.stdout.take().ok_or("stdout")?);
        let link = Link::start("127.0.0.1:0", addr, shape, Framing::Http, 3).await?;
        Ok(Pouch {
            server,
            client,
            stdin,
            stdout,
            direct: format!("http://{addr}/cases"),
            link,
        })
    }

    fn cmd(&mut self, cmd: serde_json::Value) -> Res<serde_json::Value> {
        writeln!(self.stdin, "{cmd}")?;
        self.stdin.flush()?;
        let mut line = String::new();
        self.stdout.read_line(&mut line)?;
        let v: serde_json::Value = serde_json::from_str(&line)?;
        if v["ok"] != true {
            return Err(format!("PouchDB {cmd}: {}", v["error"]).into());
        }
        Ok(v)
    }

    fn via_link(&self) -> String {
        format!("http://{}/cases", self.link.addr())
    }

    fn sync(&mut self, phase: &str) -> Res<Row> {
        self.link.take();
        let url = self.via_link();
        let v = self.cmd(serde_json::json!({"cmd": "sync", "url": url}))?;
        std::thread::sleep(Duration::from_millis(200));
        let stats = self.link.take();
        Ok(Row {
            system: "pouchdb-server",
            phase: phase.into(),
            stats,
            wall: v["ms"]
                .as_f64()
                .map(|ms| Duration::from_secs_f64(ms / 1000.0)),
            note: format!("pulled {}, pushed {}", v["pulled"], v["pushed"]),
        })
    }
}

impl Drop for Pouch {
    fn drop(&mut self) {
        let _ = self.client.kill();
        let _ = self.client.wait();
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

/// The case as one JSON document, as a CouchDB user would keep it.
fn json_doc(case: &str, bytes: &[u8]) -> Res<String> {
    let doc = Automerge::load(bytes)?;
    let mut v = serde_json::to_value(automerge::AutoSerde::from(&doc))?;
    let obj = v.as_object_mut().ok_or("not a map")?;
    // CouchDB reserves top-level keys that start with '_'.
    let keys: Vec<String> = obj.keys().filter(|k| k.starts_with('_')).cloned().collect();
    for k in keys {
        if let Some(x) = obj.remove(&k) {
            obj.insert(format!("u{k}"), x);
        }
    }
    obj.insert("_id".into(), serde_json::Value::String(case.to_owned()));
    Ok(serde_json::to_string(&v)?)
}

fn write_jsonl(path: &Path, docs: &HashMap<String, Vec<u8>>, which: &[String]) -> Res<u64> {
    let mut out = String::new();
    for c in which {
        out.push_str(&json_doc(c, &docs[c])?);
        out.push('\n');
    }
    std::fs::write(path, &out)?;
    Ok(out.len() as u64)
}

// ---------------------------------------------------------------------------------------------
// Compressors, offline, on the bodies of Homeward's first sync.

fn inflate(body: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read;
    let (&format, rest) = body.split_first()?;
    if format != 6 {
        return None;
    }
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(rest)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

fn deflate(raw: &[u8], level: u32) -> usize {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::new(level));
    e.write_all(raw).unwrap();
    e.finish().unwrap().len() + 1
}

fn zstd_len(raw: &[u8], level: i32, long: bool, dict: Option<&[u8]>) -> usize {
    let mut enc = match dict {
        Some(d) => zstd::stream::Encoder::with_dictionary(Vec::new(), level, d).unwrap(),
        None => zstd::stream::Encoder::new(Vec::new(), level).unwrap(),
    };
    if long {
        enc.long_distance_matching(true).unwrap();
        enc.window_log(27).unwrap();
    }
    enc.write_all(raw).unwrap();
    enc.finish().unwrap().len() + 1
}

fn compressors(bodies: &[Vec<u8>], training: &[Vec<u8>]) {
    let pages: Vec<Vec<u8>> = bodies.iter().filter_map(|b| inflate(b)).collect();
    let sent: usize = bodies
        .iter()
        .filter(|b| inflate(b).is_some())
        .map(Vec::len)
        .sum();
    let raw: usize = pages.iter().map(Vec::len).sum();
    let whole: Vec<u8> = pages.concat();
    println!(
        "First sync's answers: {} pages, {} bytes of bodies as sent (format byte + raw deflate), {} bytes of postcard inside.",
        pages.len(),
        sent,
        raw
    );
    let per_page = |f: &dyn Fn(&[u8]) -> usize| -> usize { pages.iter().map(|p| f(p)).sum() };
    let mut lines: Vec<(String, usize)> = vec![
        (
            "raw deflate, level 6, each page alone (today's)".into(),
            per_page(&|p| deflate(p, 6)),
        ),
        (
            "raw deflate, level 9, each page alone".into(),
            per_page(&|p| deflate(p, 9)),
        ),
        (
            "zstd 19, each page alone".into(),
            per_page(&|p| zstd_len(p, 19, false, None)),
        ),
        (
            "zstd 19, long window (2^27), all pages as one stream".into(),
            zstd_len(&whole, 19, true, None),
        ),
    ];
    let train_bytes: usize = training.iter().map(Vec::len).sum();
    for size in [16 * 1024, 64 * 1024]
        .into_iter()
        .filter(|_| !training.is_empty())
    {
        match zstd::dict::from_samples(training, size) {
            Ok(dict) => {
                lines.push((
                    format!("zstd 19 + {} KB dictionary, each page alone", size / 1024),
                    per_page(&|p| zstd_len(p, 19, false, Some(&dict))),
                ));
                lines.push((
                    format!(
                        "zstd 19 + {} KB dictionary, long window, one stream",
                        size / 1024
                    ),
                    zstd_len(&whole, 19, true, Some(&dict)),
                ));
            }
            Err(e) => println!("  (no {} KB dictionary: {e})", size / 1024),
        }
    }
    if !training.is_empty() {
        println!(
            "(dictionaries trained on {} case documents saved uncompressed, {} bytes, of another synthetic caseload: seed 99, not the one measured)",
            training.len(),
            train_bytes
        );
    }
    println!("| compressor | bytes | vs today | at 64 kbit/s |");
    println!("| --- | ---: | ---: | ---: |");
    let today = lines[0].1.max(1);
    for (name, n) in &lines {
        println!(
            "| {name} | {n} | {:.0}% | {:.1} s |",
            *n as f64 * 100.0 / today as f64,
            *n as f64 / 8000.0
        );
    }
}

// ---------------------------------------------------------------------------------------------

fn today() -> Res<String> {
    let o = Command::new("date").arg("+%F").output()?;
    Ok(String::from_utf8_lossy(&o.stdout).trim().to_owned())
}

fn goal(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
}

/// `homeward-bench-peers samod-check N`: samod alone through the link with N small invented
/// documents (no Homeward), to check the harness: a first sync, one edit pulled, nothing.
fn samod_check(n: usize) -> Res<()> {
    use automerge::transaction::Transactable;
    let rt = tokio::runtime::Runtime::new()?;
    let shape = Shape::GPRS.faster(env_num("HOMEWARD_BENCH_FASTER", 1).max(1) as u32);
    let mut docs = HashMap::new();
    let mut edited = HashMap::new();
    for i in 0..n {
        let mut d = automerge::AutoCommit::new();
        for v in 0..20 {
            d.put(automerge::ROOT, format!("visit-{v}"), NOTE)?;
        }
        let case = format!("case-{i:04}");
        docs.insert(case.clone(), d.save());
        d.put(automerge::ROOT, "visit-new", NOTE)?;
        edited.insert(case, d.save());
    }
    let mut sm = rt.block_on(Samod::start(&docs, shape))?;
    let ids2 = sm.ids.clone();
    let all: Vec<String> = ids2.iter().map(|(c, _)| c.clone()).collect();
    let mut rows = vec![rt.block_on(sm.phase(
        "first sync",
        move |client| async move {
            let mut out = Vec::new();
            for (c, id) in ids2 {
                out.push((
                    c,
                    client
                        .find(id)
                        .await
                        .map_err(|_| "stopped")?
                        .ok_or("not found")?,
                ));
            }
            Ok(out)
        },
        |s| s.heads_match(&all),
    ))?];
    let one = all[n / 2].clone();
    let ch = new_changes(&docs[&one], &edited[&one])?;
    sm.server_docs[&one]
        .with_document(|d| d.apply_changes(ch))
        .map_err(|e| e.to_string())?;
    let w = vec![one];
    rows.push(rt.block_on(sm.phase(
        "one edited",
        |_| async { Ok(vec![]) },
        move |s| s.heads_match(&w),
    ))?);
    rows.push(rt.block_on(sm.phase("nothing changed", |_| async { Ok(vec![]) }, |_| true))?);
    print_rows(&rows);
    Ok(())
}

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("samod-check") {
        return samod_check(args.get(2).and_then(|n| n.parse().ok()).unwrap_or(50));
    }
    let cases = env_num("HOMEWARD_BENCH_CASES", 500) as usize;
    let edits = (env_num("HOMEWARD_BENCH_EDITS", 50) as usize).min(cases.saturating_sub(2));
    let peers = env_num("HOMEWARD_BENCH_PEERS", 1) == 1;
    let faster = env_num("HOMEWARD_BENCH_FASTER", 1).max(1) as u32;
    let shape = Shape::GPRS.faster(faster);
    let bin = PathBuf::from(std::env::var("HOMEWARD_BENCH_BIN")?);
    let node = PathBuf::from(std::env::var("HOMEWARD_BENCH_NODE").unwrap_or_default());
    let root = std::env::temp_dir().join(format!("homeward-bench-2g-{}", std::process::id()));
    std::fs::create_dir_all(&root)?;
    let result = run(cases, edits, peers, shape, faster, &bin, &node, &root);
    let _ = std::fs::remove_dir_all(&root);
    result
}

#[allow(clippy::too_many_arguments)]
fn run(
    cases: usize,
    edits: usize,
    peers: bool,
    shape: Shape,
    faster: u32,
    bin: &Path,
    node: &Path,
    root: &Path,
) -> Res<()> {
    let rt = Arc::new(tokio::runtime::Runtime::new()?);
    let today = today()?;
    let t0 = Instant::now();
    println!(
        "The 2G link: {} kbit/s each way, {} ms round trip, {}% loss (a lost segment arrives {} ms late), a new connection waits one round trip.{}",
        shape.rate * 8 / 1000,
        shape.delay.as_millis() * 2,
        shape.loss * 100.0,
        shape.rto.as_millis(),
        if faster > 1 {
            format!(" (smoke run: {faster} times faster than 2G)")
        } else {
            String::new()
        }
    );

    // The Homeward server, device A (the caseload, direct), device B (measured, via the link).
    let hw = Homeward::start(bin, root)?;
    let hw_link = rt.block_on(Link::start(
        "127.0.0.1:0",
        hw.addr()?,
        shape,
        Framing::Http,
        1,
    ))?;
    let via = format!("http://{}", hw_link.addr());
    let a = hw.device(&root.join("a"), &hw.url)?;
    a.ok(&["demo", "--cases", &cases.to_string(), "--seed", "7"])?;
    a.ok(&["sync", "--retries", "0"])?;
    let ids = a.case_ids()?;
    eprintln!(
        "bench-2g: {} cases on device A and the server ({:.0?})",
        ids.len(),
        t0.elapsed()
    );
    let tmp = root.join("exports");
    std::fs::create_dir_all(&tmp)?;
    let docs = if peers {
        a.export_all(&ids, &tmp)?
    } else {
        HashMap::new()
    };
    let saved: usize = docs.values().map(Vec::len).sum();
    if peers {
        eprintln!(
            "bench-2g: exported {} documents, {saved} bytes ({:.0?})",
            docs.len(),
            t0.elapsed()
        );
    }

    let mut rows: Vec<Row> = Vec::new();

    // 1. First sync of a new device.
    let b = hw.device(&root.join("b"), &via)?;
    hw_link.keep_bodies(true);
    let mut first = hw_sync(&hw_link, &b, "first sync")?;
    hw_link.keep_bodies(false);
    let bodies = std::mem::take(&mut first.stats.bodies);
    let pages: Vec<u64> = first.stats.answers.iter().map(|a| a.1).collect();
    first.note = format!("{} rounds; {}", pages.len(), first.note);
    let first_down = first.stats.down;
    let first_up = first.stats.up;
    rows.push(first);
    eprintln!("bench-2g: Homeward first sync done ({:.0?})", t0.elapsed());

    // 2. Cuts: a third device's first sync cut at half its bytes, then resumed.
    let c = hw.device(&root.join("c"), &via)?;
    hw_link.take();
    hw_link.cut_after(first_down / 2);
    let (ok1, wall1, _) = c.sync()?;
    std::thread::sleep(Duration::from_millis(300));
    let cut1 = hw_link.take();
    let (ok2, wall2, out2) = c.sync()?;
    std::thread::sleep(Duration::from_millis(300));
    let cut2 = hw_link.take();
    if !ok2 {
        return Err(format!("the resumed sync failed: {out2}").into());
    }
    let c_ids = c.case_ids()?;
    eprintln!("bench-2g: cut and resume done ({:.0?})", t0.elapsed());

    // 3. One case edited on device A, pulled by B.
    let one = ids[ids.len() / 3].clone();
    a.visit(&one, &today)?;
    a.ok(&["sync", "--retries", "0"])?;
    rows.push(hw_sync(&hw_link, &b, "one edited case (pull)")?);
    // 4. Nothing changed.
    rows.push(hw_sync(&hw_link, &b, "nothing changed")?);
    // 5. Fifty cases edited on A, pulled by B.
    let many: Vec<String> = ids
        .iter()
        .step_by((ids.len() / edits.max(1)).max(1))
        .filter(|c| **c != one)
        .take(edits)
        .cloned()
        .collect();
    for id in &many {
        a.visit(id, &today)?;
    }
    a.ok(&["sync", "--retries", "0"])?;
    rows.push(hw_sync(
        &hw_link,
        &b,
        &format!("{} edited cases (pull)", many.len()),
    )?);
    // 6. B's own edit, pushed.
    let own = ids[ids.len() * 2 / 3].clone();
    let b_before = if peers {
        Some(b.export(&own, &tmp)?)
    } else {
        None
    };
    b.visit(&own, &today)?;
    rows.push(hw_sync(&hw_link, &b, "one edited case (push)")?);
    let b_after = if peers {
        Some(b.export(&own, &tmp)?)
    } else {
        None
    };
    eprintln!(
        "bench-2g: Homeward incremental syncs done ({:.0?})",
        t0.elapsed()
    );

    let mut edited = vec![one.clone()];
    edited.extend(many.iter().cloned());
    let new_docs: HashMap<String, Vec<u8>> = if peers {
        a.export_all(&edited, &tmp)?
    } else {
        HashMap::new()
    };

    // samod, the same documents and changes.
    if peers {
        let mut sm = rt.block_on(Samod::start(&docs, shape))?;
        eprintln!(
            "bench-2g: samod server holds {} documents ({:.0?})",
            sm.server_docs.len(),
            t0.elapsed()
        );
        let all: Vec<String> = sm.ids.iter().map(|(c, _)| c.clone()).collect();
        let ids2 = sm.ids.clone();
        let r = rt.block_on(sm.phase(
            "first sync",
            move |client| async move {
                let finds = ids2.iter().map(|(c, id)| {
                    let f = client.find(id.clone());
                    let c = c.clone();
                    async move { (c, f.await) }
                });
                let mut out = Vec::new();
                for (c, h) in futures::future::join_all(finds).await {
                    out.push((c, h.map_err(|_| "stopped")?.ok_or("not found")?));
                }
                Ok(out)
            },
            |s| s.heads_match(&all),
        ))?;
        rows.push(r);
        eprintln!("bench-2g: samod first sync done ({:.0?})", t0.elapsed());
        let apply = |sm: &Samod,
                     cases: &[String],
                     on_server: bool,
                     new: &HashMap<String, Vec<u8>>,
                     old: &HashMap<String, Vec<u8>>|
         -> Res<()> {
            for c in cases {
                let ch = new_changes(&old[c], &new[c])?;
                let h = if on_server {
                    &sm.server_docs[c]
                } else {
                    &sm.client_docs[c]
                };
                h.with_document(|d| d.apply_changes(ch))
                    .map_err(|e| e.to_string())?;
            }
            Ok(())
        };
        apply(&sm, std::slice::from_ref(&one), true, &new_docs, &docs)?;
        let w = vec![one.clone()];
        let r = rt.block_on(sm.phase(
            "one edited case (pull)",
            |_| async { Ok(vec![]) },
            move |s| s.heads_match(&w),
        ))?;
        rows.push(r);
        let r = rt.block_on(sm.phase("nothing changed", |_| async { Ok(vec![]) }, |_| true))?;
        rows.push(r);
        apply(&sm, &many, true, &new_docs, &docs)?;
        let w = many.clone();
        let r = rt.block_on(sm.phase(
            &format!("{} edited cases (pull)", many.len()),
            |_| async { Ok(vec![]) },
            move |s| s.heads_match(&w),
        ))?;
        rows.push(r);
        if let (Some(before), Some(after)) = (&b_before, &b_after) {
            let old: HashMap<String, Vec<u8>> = [(own.clone(), before.clone())].into();
            let new: HashMap<String, Vec<u8>> = [(own.clone(), after.clone())].into();
            apply(&sm, std::slice::from_ref(&own), false, &new, &old)?;
            let w = vec![own.clone()];
            let r = rt.block_on(sm.phase(
                "one edited case (push)",
                |_| async { Ok(vec![]) },
                move |s| s.heads_match(&w),
            ))?;
            rows.push(r);
        }
        rt.block_on(sm.client.stop());
        rt.block_on(sm.server.stop());
        eprintln!("bench-2g: samod done ({:.0?})", t0.elapsed());

        // pouchdb-server, the same cases as JSON.
        let mut p = rt.block_on(Pouch::start(node, root, shape))?;
        let all_ids: Vec<String> = {
            let mut v: Vec<_> = docs.keys().cloned().collect();
            v.sort();
            v
        };
        let f = root.join("cases.jsonl");
        let json_bytes = write_jsonl(&f, &docs, &all_ids)?;
        p.cmd(serde_json::json!({"cmd": "load", "url": p.direct, "file": f}))?;
        let mut r = p.sync("first sync")?;
        r.note = format!("{}; {} KB of JSON", r.note, json_bytes / 1000);
        rows.push(r);
        eprintln!("bench-2g: pouchdb first sync done ({:.0?})", t0.elapsed());
        let f1 = root.join("one.jsonl");
        write_jsonl(&f1, &new_docs, std::slice::from_ref(&one))?;
        p.cmd(serde_json::json!({"cmd": "update", "url": p.direct, "file": f1}))?;
        rows.push(p.sync("one edited case (pull)")?);
        rows.push(p.sync("nothing changed")?);
        let fm = root.join("many.jsonl");
        write_jsonl(&fm, &new_docs, &many)?;
        p.cmd(serde_json::json!({"cmd": "update", "url": p.direct, "file": fm}))?;
        rows.push(p.sync(&format!("{} edited cases (pull)", many.len()))?);
        if let Some(after) = &b_after {
            let fo = root.join("own.jsonl");
            let m: HashMap<String, Vec<u8>> = [(own.clone(), after.clone())].into();
            write_jsonl(&fo, &m, std::slice::from_ref(&own))?;
            p.cmd(serde_json::json!({"cmd": "local", "file": fo}))?;
            rows.push(p.sync("one edited case (push)")?);
        }
        eprintln!("bench-2g: pouchdb done ({:.0?})", t0.elapsed());
    }

    // The table.
    println!();
    println!(
        "Caseload: {} synthetic cases (homeward demo --seed 7){}; edits are visits with a 20-word note.",
        ids.len(),
        if peers {
            format!(", {saved} bytes of saved Automerge documents")
        } else {
            String::new()
        }
    );
    println!();
    print_rows(&rows);
    println!();
    println!(
        "up/down: bytes leaving the client / the server (HTTP heads and bodies, or samod's framed messages; not TCP/IP headers); on the link: from the first connection opened (its handshake is one round trip) to the last byte delivered; client wall: the homeward command (process start and unlock included) or PouchDB's db.sync."
    );
    println!(
        "Homeward: pull = edited by `homeward visit add` on device A, synced there, then pulled by the measured device B; push = B's own visit. samod: its TCP transport (4-byte length per message; a WebSocket adds 2-14 bytes a frame and an upgrade), the client told the document ids out of band, every document held open so that a reconnection syncs all of them (as an app that syncs its caseload must); the edit is the very Automerge change Homeward made. pouchdb-server: in memory, PouchDB 9 in Node with keep-alive (six connections at most, as a browser), `db.sync` one-shot (push and pull), the case's new JSON put on the server for a pull."
    );

    // Cuts.
    println!();
    println!(
        "Cut in the middle of a Homeward first sync (a third device, after {} bytes down):",
        first_down / 2
    );
    let whole = |s: &Stats| s.answers.iter().filter(|a| a.2).count();
    let whole_bytes = |s: &Stats| -> u64 { s.answers.iter().filter(|a| a.2).map(|a| a.1).sum() };
    println!(
        "| attempt | up | down | requests | whole answers (bytes) | on the link | exit |\n| --- | ---: | ---: | ---: | --- | ---: | --- |"
    );
    println!(
        "| cut | {} | {} | {} | {} ({}) | {} | {} |",
        cut1.up,
        cut1.down,
        cut1.requests,
        whole(&cut1),
        whole_bytes(&cut1),
        secs(cut1.span()),
        if ok1 {
            "0 (not cut?)"
        } else {
            "failed, as cut"
        }
    );
    println!(
        "| resume | {} | {} | {} | {} ({}) | {} | 0 |",
        cut2.up,
        cut2.down,
        cut2.requests,
        whole(&cut2),
        whole_bytes(&cut2),
        secs(cut2.span())
    );
    let total = cut1.down + cut2.down;
    println!(
        "| total | {} | {} | {} | | {} | |",
        cut1.up + cut2.up,
        total,
        cut1.requests + cut2.requests,
        secs(cut1.span() + cut2.span())
    );
    println!(
        "| uncut first sync (device B) | {} | {} | | | | |",
        first_up, first_down
    );
    let resent = total as i64 - first_down as i64;
    let lost_partial = cut1.down - whole_bytes(&cut1);
    println!(
        "Down bytes beyond an uncut first sync: {resent} (the answer cut part-way was {lost_partial} bytes); the resume asked for {} pages where the uncut sync took {}: finished pages were not sent again{}. Device C holds {} cases. Walls: {} and {}.",
        whole(&cut2),
        pages.len(),
        if resent <= lost_partial as i64 + 2_000 {
            ""
        } else {
            " (CHECK: more was resent than the page that was cut)"
        },
        c_ids.len(),
        secs(wall1),
        secs(wall2)
    );

    // Compressors.
    if !bodies.is_empty() {
        println!();
        let training: Vec<Vec<u8>> = if peers {
            let d = hw.device(&root.join("d"), &hw.url)?;
            d.ok(&["demo", "--cases", "100", "--seed", "99"])?;
            let ids = d.case_ids()?;
            // Pages carry documents uncompressed (`save_nocompress`), so the dictionary
            // learns from the same form.
            let mut t = Vec::new();
            for b in d.export_all(&ids, &tmp)?.into_values() {
                t.push(Automerge::load(&b)?.save_nocompress());
            }
            t
        } else {
            println!("(no dictionary in a run without peers: no documents were exported)");
            Vec::new()
        };
        compressors(&bodies, &training);
    }

    // Goals.
    println!();
    println!("Goals:");
    let find = |sys: &str, phase: &str| {
        rows.iter()
            .find(|r| r.system == sys && r.phase.starts_with(phase))
    };
    if let Some(h) = find("Homeward", "one edited case (pull)") {
        let bytes = h.stats.up + h.stats.down;
        println!(
            "- one edited case among {}: {} request(s) [goal 1: {}], {} bytes on the wire [goal <= 1,000: {}]",
            ids.len(),
            h.stats.requests,
            goal(h.stats.requests == 1),
            bytes,
            goal(bytes <= 1000)
        );
        for (peer, k) in [("samod", 10.0), ("pouchdb-server", 3.0)] {
            if let Some(p) = find(peer, "one edited case (pull)") {
                let x = p.stats.span().as_secs_f64() / h.stats.span().as_secs_f64().max(1e-9);
                println!(
                    "  {x:.1}x faster than {peer} on the link ({} vs {}) [goal >= {k}x: {}]",
                    secs(h.stats.span()),
                    secs(p.stats.span()),
                    goal(x >= k)
                );
            }
        }
    }
    if let Some(h) = find("Homeward", "nothing changed") {
        let bytes = h.stats.up + h.stats.down;
        println!(
            "- nothing changed: {} request(s) [goal 1: {}], {} bytes [goal <= 200: {}]",
            h.stats.requests,
            goal(h.stats.requests == 1),
            bytes,
            goal(bytes <= 200)
        );
    }
    if let Some(h) = find("Homeward", "first sync") {
        let bytes = h.stats.up + h.stats.down;
        let bound = 1.15 * bytes as f64 / shape.rate as f64 + 1.0 / f64::from(faster);
        let t = h.stats.span().as_secs_f64();
        println!(
            "- first sync: {bytes} bytes in {} on the link [goal within 1.15 x bytes/bandwidth + 1 s = {bound:.1} s: {}]",
            secs(h.stats.span()),
            goal(t <= bound)
        );
        if let Some(p) = find("pouchdb-server", "first sync") {
            let pb = p.stats.up + p.stats.down;
            println!(
                "  pouchdb-server: {pb} bytes in {} [goal no more bytes: {}; no more time: {}]",
                secs(p.stats.span()),
                goal(bytes <= pb),
                goal(h.stats.span() <= p.stats.span())
            );
        }
    }
    println!();
    println!("Whole benchmark: {:.0?}.", t0.elapsed());
    Ok(())
}
