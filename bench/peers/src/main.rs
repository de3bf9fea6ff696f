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
//!
//! One module per system measured (`homeward`, `samod_peer`, `pouch`; `samod_peer`, not `samod`,
//! which is the crate), `compress` for the offline compressors, `link` for the emulated link;
//! this file runs them in order and prints the table.

mod compress;
mod homeward;
mod link;
mod pouch;
mod samod_peer;

use compress::*;
use homeward::*;
use pouch::*;
use samod_peer::*;

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

fn today() -> Res<String> {
    let o = Command::new("date").arg("+%F").output()?;
    Ok(String::from_utf8_lossy(&o.stdout).trim().to_owned())
}

fn goal(ok: bool) -> &'static str {
    if ok { "met" } else { "MISSED" }
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
