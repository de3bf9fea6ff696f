//! The pages of copies over the network (issue 15), against a fake server that speaks the
//! protocol the sync server implements (chunked `PUT /api/v1/attachments/{hash}?offset=N`
//! answering `{received, size, complete}`, 409 when the offset is not what it holds, 404 for a
//! page no push made known, 422 on a hash mismatch; `GET` with `Range: bytes=N-` answering 206),
//! counting every byte it receives and sends. Each cut ends a sync (no retries), and the next
//! sync must resume.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use homeward_field::attachments_sync::{self, PageFetched};
use homeward_field::store::Backlog;
use homeward_field::sync::{self, Outcome, SyncOptions};
use homeward_field::{FieldError, Store};
use homeward_shared::attachment::{CHUNK_BYTES, sha256_hex};
use homeward_shared::model::{DocumentKind, MediaType};
use homeward_shared::wire::{Cursor, Document, SyncResponse};

use crate::attachments::{pdf, with_case};
use crate::support::{Folder, PIN, at, d, new_store, open};
use crate::sync::{TOKEN, enrolment};

/// One request the fake saw, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    /// A records round, with the changes it pushed.
    Sync(usize),
    /// A chunk: the page's hash, the offset asked, the body's bytes received, the status.
    Put(String, u64, usize, u16),
    /// A download: the page, the `Range` asked, the bytes sent.
    Get(String, Option<String>, usize),
}

/// What the fake server does to one request, decided by the test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    /// Answer normally.
    No,
    /// Read this many bytes of a chunk's body, then close without an answer (nothing stored).
    BodyAfter(usize),
    /// Store the chunk, then close without an answer (the answer is lost).
    AnswerLost,
    /// Send this many bytes of a page's body, then close.
    DownloadAfter(usize),
}

#[derive(Default)]
struct PageState {
    /// Pages a push made known, with their size, and what the server holds of each.
    pages: HashMap<String, (u64, Vec<u8>)>,
    /// Pages the test says a push will make known (the fake does not read the documents).
    announced: HashMap<String, u64>,
    /// Pages stored whole, to serve.
    stored: HashMap<String, Vec<u8>>,
    /// Documents to send in the next records round.
    documents: Vec<Document>,
    seen: Vec<Seen>,
    /// What to do to the n-th PUT (from 0) or GET.
    cut_put: HashMap<usize, Cut>,
    cut_get: HashMap<usize, Cut>,
    /// A faulty server: it answers 200 to every chunk and keeps none of it.
    stall: bool,
    puts: usize,
    gets: usize,
}

type HookFn = dyn Fn(usize, &Mutex<PageState>) + Send + Sync;
type Hook = Arc<HookFn>;

struct PageServer {
    url: String,
    state: Arc<Mutex<PageState>>,
}

impl PageServer {
    /// `after_put(n)` runs after the n-th PUT (from 0) is answered... before its answer is
    /// written, while the phone waits: what another process of the phone does meanwhile.
    fn start(after_put: Option<Hook>) -> PageServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let state: Arc<Mutex<PageState>> = Arc::default();
        let st = state.clone();
        std::thread::spawn(move || {
            // A thread per connection: the phone may send a records round while a chunk is in
            // flight.
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (st, hook) = (st.clone(), after_put.clone());
                std::thread::spawn(move || serve(stream, &st, hook.as_deref()));
            }
        });
        PageServer { url, state }
    }

    fn seen(&self) -> Vec<Seen> {
        self.state.lock().expect("state").seen.clone()
    }

    fn puts(&self) -> Vec<(u64, usize, u16)> {
        self.seen()
            .into_iter()
            .filter_map(|s| match s {
                Seen::Put(_, o, n, st) => Some((o, n, st)),
                _ => None,
            })
            .collect()
    }
}

fn json(status: u16, body: serde_json::Value) -> (u16, Vec<(String, String)>, Vec<u8>) {
    (
        status,
        vec![("Content-Type".into(), "application/json".into())],
        body.to_string().into_bytes(),
    )
}

fn serve(mut stream: std::net::TcpStream, st: &Mutex<PageState>, after_put: Option<&HookFn>) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_owned();
    let target = parts.next().unwrap_or("").to_owned();
    let (mut length, mut range, mut auth) = (0usize, None, None);
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
            break;
        }
        let (name, value) = h.split_once(':').unwrap_or((h.as_str(), ""));
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().unwrap_or(0),
            "range" => range = Some(value.trim().to_owned()),
            "authorization" => auth = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    let (path, query) = target.split_once('?').unwrap_or((target.as_str(), ""));
    let reply = |stream: &mut std::net::TcpStream,
                 (status, headers, body): (u16, Vec<(String, String)>, Vec<u8>)| {
        let mut head = format!(
            "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(&body);
    };
    if path == "/api/v1/enrol" {
        let mut body = vec![0; length];
        let _ = reader.read_exact(&mut body);
        return reply(&mut stream, enrolment());
    }
    if auth.as_deref() != Some(&format!("Bearer {TOKEN}")) {
        return reply(
            &mut stream,
            json(401, serde_json::json!({"error": "no token"})),
        );
    }
    if path == "/api/v1/sync" {
        let mut body = vec![0; length];
        let _ = reader.read_exact(&mut body);
        let req = homeward_shared::wire::decode_request(&body).expect("a sync request");
        let pushed: usize = req.push.iter().map(|p| p.changes.len()).sum();
        let mut s = st.lock().expect("state");
        s.seen.push(Seen::Sync(pushed));
        if pushed > 0 {
            // Records first: a pushed copy makes its pages known to the server.
            let announced: Vec<(String, u64)> = s.announced.drain().collect();
            for (hash, size) in announced {
                s.pages.entry(hash).or_insert((size, Vec::new()));
            }
        }
        let resp = SyncResponse {
            bundled: None,
            stored: u32::try_from(pushed).expect("small"),
            documents: std::mem::take(&mut s.documents),
            changes: vec![],
            dropped: vec![],
            cursor: Cursor::Feed(0),
            more: false,
            reference: None,
            spot_check_results: vec![],
        };
        drop(s);
        return reply(
            &mut stream,
            (200, vec![], homeward_shared::wire::encode(&resp)),
        );
    }
    let Some(rest) = path.strip_prefix("/api/v1/attachments/") else {
        return reply(&mut stream, json(404, serde_json::json!({})));
    };
    let hash = rest.to_owned();
    if method == "PUT" {
        let offset: u64 = query
            .strip_prefix("offset=")
            .and_then(|n| n.parse().ok())
            .expect("an offset");
        let (n, cut) = {
            let mut s = st.lock().expect("state");
            let n = s.puts;
            s.puts += 1;
            (n, s.cut_put.get(&n).copied().unwrap_or(Cut::No))
        };
        let take = match cut {
            Cut::BodyAfter(k) => k.min(length),
            _ => length,
        };
        let mut body = vec![0; take];
        let _ = reader.read_exact(&mut body);
        let mut s = st.lock().expect("state");
        if let Cut::BodyAfter(_) = cut {
            s.seen.push(Seen::Put(hash, offset, take, 0));
            return; // The link is cut mid-chunk: nothing stored, no answer.
        }
        assert!(
            length <= CHUNK_BYTES,
            "a chunk is at most CHUNK_BYTES: {length}"
        );
        let stall = s.stall;
        let Some((size, held)) = s.pages.get_mut(&hash) else {
            s.seen.push(Seen::Put(hash, offset, take, 404));
            drop(s);
            return reply(
                &mut stream,
                json(404, serde_json::json!({"error": "unknown page"})),
            );
        };
        let size = *size;
        let status = if offset != held.len() as u64 {
            409
        } else {
            if !stall {
                held.extend_from_slice(&body);
            }
            200
        };
        let received = held.len() as u64;
        let complete = received == size;
        let mut status = status;
        if complete && status == 200 {
            let whole = held.clone();
            if sha256_hex(&whole) == hash {
                s.stored.insert(hash.clone(), whole);
            } else {
                held.clear();
                status = 422;
            }
        }
        s.seen.push(Seen::Put(hash, offset, take, status));
        drop(s);
        if let Some(hook) = after_put {
            hook(n, st);
        }
        if cut == Cut::AnswerLost {
            return;
        }
        return reply(
            &mut stream,
            json(
                status,
                serde_json::json!({"received": received, "size": size, "complete": complete}),
            ),
        );
    }
    // GET: the page, whole or from a Range.
    let (cut, page) = {
        let mut s = st.lock().expect("state");
        let n = s.gets;
        s.gets += 1;
        (
            s.cut_get.get(&n).copied().unwrap_or(Cut::No),
            s.stored.get(&hash).cloned(),
        )
    };
    let Some(page) = page else {
        st.lock()
            .expect("state")
            .seen
            .push(Seen::Get(hash, range, 0));
        return reply(
            &mut stream,
            json(404, serde_json::json!({"error": "not stored"})),
        );
    };
    let from: usize = range
        .as_deref()
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.trim_end_matches('-').parse().ok())
        .unwrap_or(0);
    let body = page[from..].to_vec();
    let (status, mut headers) = if range.is_some() {
        (
            206,
            vec![(
                "Content-Range".to_owned(),
                format!("bytes {from}-{}/{}", page.len() - 1, page.len()),
            )],
        )
    } else {
        (200, vec![])
    };
    headers.push(("Content-Type".into(), "application/pdf".into()));
    let sent = match cut {
        Cut::DownloadAfter(k) => k.min(body.len()),
        _ => body.len(),
    };
    st.lock()
        .expect("state")
        .seen
        .push(Seen::Get(hash, range, sent));
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body[..sent]);
    let _ = stream.flush();
    // A cut download: the connection closes with the body unfinished.
}

fn enrolled_at(tmp: &Folder, server: &PageServer) -> Store {
    let mut store = with_case(tmp);
    sync::enrol_store(&mut store, &server.url, "CODE-1", "phone", false).expect("enrols");
    store
}

/// No retries: each cut ends the sync, and the next sync must resume.
fn once() -> SyncOptions {
    SyncOptions {
        retries: 0,
        ..SyncOptions::default()
    }
}

/// Attaches a PDF of `size` bytes and tells the fake server its page will be known once pushed.
fn attach_known(store: &mut Store, server: &PageServer, size: usize) -> (String, Vec<u8>) {
    let bytes = pdf(size, b'p');
    let mut with_tail = bytes.clone();
    // Bytes that differ along the page, so a chunk sent at the wrong place would not match.
    for (i, b) in with_tail.iter_mut().enumerate().skip(9) {
        *b = (i % 251) as u8;
    }
    let copy = store
        .attach(
            "case-a",
            DocumentKind::Fir,
            vec![with_tail.clone()],
            d("2026-11-03"),
        )
        .expect("attaches");
    let page = &copy.pages[0];
    server
        .state
        .lock()
        .expect("state")
        .announced
        .insert(page.hash.clone(), page.size);
    (page.hash.clone(), with_tail)
}

fn synced(outcome: Outcome) -> homeward_field::sync::SyncReport {
    match outcome {
        Outcome::Synced(r) => r,
        other => panic!("expected a sync, got {other:?}"),
    }
}

#[test]
fn pages_go_up_in_chunks_after_the_records_and_the_server_holds_them_whole() {
    let server = PageServer::start(None);
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    let size = CHUNK_BYTES * 3 + 1000;
    let (hash, bytes) = attach_known(&mut store, &server, size);
    assert_eq!(
        store.attachments_waiting().expect("counts").bytes,
        size as u64
    );
    let mut confirmed = Vec::new();
    let report = synced(
        sync::sync_with_pages(&mut store, &once(), &mut |_| {}, &mut |c| {
            confirmed.push(c.received)
        })
        .expect("syncs"),
    );
    let seen = server.seen();
    assert!(
        matches!(seen.first(), Some(Seen::Sync(n)) if *n > 0),
        "the records go first: {seen:?}"
    );
    assert_eq!(
        server.puts(),
        [
            (0, CHUNK_BYTES, 200),
            (CHUNK_BYTES as u64, CHUNK_BYTES, 200),
            (2 * CHUNK_BYTES as u64, CHUNK_BYTES, 200),
            (3 * CHUNK_BYTES as u64, 1000, 200)
        ],
        "four chunks, each at the offset the server confirmed"
    );
    assert_eq!(confirmed.last(), Some(&(size as u64)));
    assert_eq!(
        server.state.lock().expect("state").stored.get(&hash),
        Some(&bytes)
    );
    assert_eq!(report.attachment_pages_sent, 1);
    assert_eq!(report.attachment_bytes_sent, size as u64);
    assert_eq!(report.attachments_waiting, Backlog::default());
    assert_eq!(
        store.attachments_waiting().expect("counts"),
        Backlog::default()
    );
    let view = &store.attachments("case-a").expect("lists")[0];
    assert_eq!(view.waiting_bytes, 0, "synced");
    // Nothing more to send: the next sync sends no chunk.
    synced(sync::sync(&mut store, &once(), &mut |_| {}).expect("syncs"));
    assert_eq!(server.puts().len(), 4);
}

#[test]
fn a_link_cut_mid_chunk_resumes_at_the_last_confirmed_chunk_without_resending_any() {
    let server = PageServer::start(None);
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    let size = CHUNK_BYTES * 4;
    let (hash, bytes) = attach_known(&mut store, &server, size);
    {
        let mut s = server.state.lock().expect("state");
        // The third chunk is cut after 10,000 bytes, and so is the fourth request after that.
        s.cut_put.insert(2, Cut::BodyAfter(10_000));
        s.cut_put.insert(4, Cut::BodyAfter(5_000));
    }
    let err = sync::sync(&mut store, &once(), &mut |_| {}).expect_err("the link is cut");
    assert!(matches!(err, FieldError::Network(_)), "{err}");
    assert_eq!(
        store.attachments_waiting().expect("counts").bytes,
        (2 * CHUNK_BYTES) as u64,
        "two chunks were confirmed before the cut, and kept"
    );
    let err = sync::sync(&mut store, &once(), &mut |_| {}).expect_err("cut again");
    assert!(matches!(err, FieldError::Network(_)), "{err}");
    synced(sync::sync(&mut store, &once(), &mut |_| {}).expect("the third sync completes"));
    let puts = server.puts();
    let offsets: Vec<u64> = puts.iter().map(|p| p.0).collect();
    let c = CHUNK_BYTES as u64;
    assert_eq!(
        offsets,
        [0, c, 2 * c, 2 * c, 3 * c, 3 * c],
        "each cut chunk is sent again from its own start, and no confirmed chunk: {puts:?}"
    );
    let confirmed: usize = puts.iter().filter(|p| p.2 == 200).map(|p| p.1).sum();
    let on_the_wire: usize = puts.iter().map(|p| p.1).sum();
    assert_eq!(confirmed, size, "every byte confirmed once");
    assert_eq!(
        on_the_wire,
        size + 10_000 + 5_000,
        "the only bytes sent twice are those of the cut chunks"
    );
    assert_eq!(
        server.state.lock().expect("state").stored.get(&hash),
        Some(&bytes)
    );
    assert_eq!(
        store.attachments_waiting().expect("counts"),
        Backlog::default()
    );
}

#[test]
fn a_lost_answer_is_settled_by_the_servers_409_and_the_phone_continues_where_it_holds() {
    let server = PageServer::start(None);
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    let size = CHUNK_BYTES * 3;
    let (hash, bytes) = attach_known(&mut store, &server, size);
    // The server stores the second chunk, but its answer never reaches the phone.
    server
        .state
        .lock()
        .expect("state")
        .cut_put
        .insert(1, Cut::AnswerLost);
    sync::sync(&mut store, &once(), &mut |_| {}).expect_err("no answer");
    assert_eq!(
        store.attachments_waiting().expect("counts").bytes,
        (2 * CHUNK_BYTES) as u64,
        "the phone only counts what the server confirmed"
    );
    synced(sync::sync(&mut store, &once(), &mut |_| {}).expect("resumes"));
    let c = CHUNK_BYTES as u64;
    assert_eq!(
        server.puts(),
        [
            (0, CHUNK_BYTES, 200),
            (c, CHUNK_BYTES, 200),
            (c, CHUNK_BYTES, 409),
            (2 * c, CHUNK_BYTES, 200)
        ],
        "the 409 says the server holds two chunks: the phone goes on from there"
    );
    assert_eq!(
        server.state.lock().expect("state").stored.get(&hash),
        Some(&bytes)
    );
}

/// The app records a visit on its own connection while the sync's chunk is in flight.
fn record_visit_beside(dir: &std::path::Path) {
    let mut other = open(dir, PIN).expect("opens beside the sync");
    other
        .edit(
            "case-a",
            &homeward_shared::edit::Edit::RecordVisit {
                visit: homeward_shared::edit::NewVisit {
                    id: "v-during".into(),
                    date: d("2026-11-04"),
                    kind: homeward_shared::model::VisitKind::FollowUp,
                    met: None,
                    note: Some("recorded while a scan goes up".into()),
                    next_steps: None,
                    summons_id: None,
                    safety_checked: false,
                },
                updates: vec![],
            },
            at("2026-11-04"),
        )
        .expect("the store is free for the app while bytes travel");
}

#[test]
fn a_visit_saved_while_a_chunk_is_in_flight_goes_up_beside_it_not_after_it() {
    let tmp = Folder::new();
    let dir = tmp.path().to_owned();
    let beside = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let seen_beside = beside.clone();
    let hook: Hook = Arc::new(move |n, st: &Mutex<PageState>| {
        if n != 0 {
            return;
        }
        record_visit_beside(&dir);
        // The first chunk's answer waits until the visit's round arrives (or 20 s pass): a
        // phone that waits for the chunk's end before sending the visit never sends it here.
        for _ in 0..200 {
            let arrived = st
                .lock()
                .expect("state")
                .seen
                .iter()
                .any(|s| matches!(s, Seen::Sync(1)));
            if arrived {
                seen_beside.store(true, std::sync::atomic::Ordering::SeqCst);
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    });
    let server = PageServer::start(Some(hook));
    let mut store = enrolled_at(&tmp, &server);
    attach_known(&mut store, &server, CHUNK_BYTES * 2);
    synced(sync::sync(&mut store, &once(), &mut |_| {}).expect("syncs"));
    assert!(
        beside.load(std::sync::atomic::Ordering::SeqCst),
        "the visit's records round went up while the first chunk was still unanswered"
    );
    assert_eq!(store.waiting().expect("counts"), 0);
    let pages = server.puts();
    assert_eq!(pages.len(), 2, "both chunks sent once: {pages:?}");
}

#[test]
fn a_visit_recorded_during_an_upload_goes_up_before_the_next_chunk() {
    let tmp = Folder::new();
    let dir = tmp.path().to_owned();
    let hook: Hook = Arc::new(move |n, _: &Mutex<PageState>| {
        if n == 0 {
            // While the first chunk travels, the app records a visit on its own connection.
            record_visit_beside(&dir);
        }
    });
    let server = PageServer::start(Some(hook));
    let mut store = enrolled_at(&tmp, &server);
    let size = CHUNK_BYTES * 3;
    attach_known(&mut store, &server, size);
    synced(sync::sync(&mut store, &once(), &mut |_| {}).expect("syncs"));
    let seen = server.seen();
    let kinds: Vec<String> = seen
        .iter()
        .map(|s| match s {
            Seen::Sync(n) => format!("sync {n}"),
            Seen::Put(_, o, _, st) => format!("put {o} {st}"),
            Seen::Get(..) => "get".into(),
        })
        .collect();
    let c = CHUNK_BYTES;
    assert_eq!(
        kinds,
        [
            // The registration, the copy, and the item marked received with it.
            "sync 3".to_owned(),
            // Where the server stands on the page, asked once per page and sync.
            "get".into(),
            "put 0 200".into(),
            "sync 1".into(),
            format!("put {c} 200"),
            format!("put {} 200", 2 * c)
        ],
        "the visit's change went up in its own records round before the second chunk"
    );
    assert_eq!(store.waiting().expect("counts"), 0);
}

#[test]
fn the_attachment_budget_holds_pages_back_and_zero_sends_records_only() {
    let server = PageServer::start(None);
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    let size = CHUNK_BYTES * 2;
    attach_known(&mut store, &server, size);
    let records_only = SyncOptions {
        attachment_budget: Some(0),
        ..once()
    };
    let report = synced(sync::sync(&mut store, &records_only, &mut |_| {}).expect("syncs"));
    assert!(server.puts().is_empty(), "no chunk with a budget of 0");
    assert_eq!(report.confirmed, 3, "the records went up");
    assert_eq!(
        report.attachments_waiting,
        Backlog {
            pages: 1,
            bytes: size as u64
        }
    );
    let one_chunk = SyncOptions {
        attachment_budget: Some(CHUNK_BYTES as u64),
        ..once()
    };
    let report = synced(sync::sync(&mut store, &one_chunk, &mut |_| {}).expect("syncs"));
    assert_eq!(server.puts().len(), 1);
    assert_eq!(report.attachments_waiting.bytes, CHUNK_BYTES as u64);
    synced(sync::sync(&mut store, &once(), &mut |_| {}).expect("syncs"));
    assert_eq!(
        store.attachments_waiting().expect("counts"),
        Backlog::default()
    );
}

#[test]
fn a_page_the_server_does_not_know_waits_on_the_phone_and_the_sync_still_ends_well() {
    let server = PageServer::start(None);
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    // Not announced: the server answers 404 (as for a case whose changes it refused).
    store
        .attach(
            "case-a",
            DocumentKind::Fir,
            vec![pdf(1000, b'q')],
            d("2026-11-03"),
        )
        .expect("attaches");
    let report = synced(sync::sync(&mut store, &once(), &mut |_| {}).expect("syncs"));
    assert_eq!(report.attachments_skipped.len(), 1, "{report:?}");
    assert!(
        report.attachments_skipped[0].1.starts_with("404"),
        "{report:?}"
    );
    assert_eq!(
        report.attachments_waiting,
        Backlog {
            pages: 1,
            bytes: 1000
        }
    );
    assert_eq!(server.puts().len(), 1, "tried once in this sync");
}

/// A second phone (a supervisor's) that holds `case-a` as the server sent it, with the copy
/// made on the first phone, and the server holding that copy's page.
fn supervisor_with_copy(server: &PageServer, tmp: &Folder) -> (Store, String, Vec<u8>) {
    let maker_dir = Folder::new();
    let mut maker = with_case(&maker_dir);
    let page = pdf(CHUNK_BYTES * 2 + 500, b'z');
    let mut page = page;
    for (i, b) in page.iter_mut().enumerate().skip(9) {
        *b = (i % 239) as u8;
    }
    let copy = maker
        .attach(
            "case-a",
            DocumentKind::Fir,
            vec![page.clone()],
            d("2026-11-03"),
        )
        .expect("attaches");
    let doc = maker.export("case-a").expect("exports");
    {
        let mut s = server.state.lock().expect("state");
        s.stored.insert(copy.pages[0].hash.clone(), page.clone());
        s.documents.push(Document {
            case_id: "case-a".into(),
            doc,
        });
    }
    let mut store = new_store(tmp.path());
    sync::enrol_store(&mut store, &server.url, "CODE-2", "supervisor phone", false)
        .expect("enrols");
    synced(sync::sync(&mut store, &once(), &mut |_| {}).expect("brings the case"));
    (store, copy.id, page)
}

#[test]
fn a_copy_made_elsewhere_downloads_on_demand_and_a_cut_download_resumes_with_range() {
    let server = PageServer::start(None);
    let tmp = Folder::new();
    let (mut store, copy_id, page) = supervisor_with_copy(&server, &tmp);
    let view = &store.attachments("case-a").expect("lists")[0];
    assert_eq!(view.held, [false], "not on this phone until asked for");
    assert_eq!(store.attachment_page(&copy_id, 0).expect("reads"), None);
    assert_eq!(
        store.attachments_waiting().expect("counts"),
        Backlog::default(),
        "another phone's copy is not this phone's to upload"
    );
    let cut_at = CHUNK_BYTES + 7_000;
    server
        .state
        .lock()
        .expect("state")
        .cut_get
        .insert(0, Cut::DownloadAfter(cut_at));
    let mut seen: Vec<PageFetched> = Vec::new();
    let err = attachments_sync::fetch_attachment(&mut store, &copy_id, &once(), &mut |p| {
        seen.push(p.clone())
    })
    .expect_err("the download is cut");
    assert!(matches!(err, FieldError::Network(_)), "{err}");
    assert_eq!(
        store.attachment_page(&copy_id, 0).expect("reads"),
        None,
        "not whole yet"
    );
    assert_eq!(
        seen.last().map(|p| p.received),
        Some(cut_at as u64),
        "what arrived before the cut is kept: {seen:?}"
    );
    seen.clear();
    let done = attachments_sync::fetch_attachment(&mut store, &copy_id, &once(), &mut |p| {
        seen.push(p.clone())
    })
    .expect("resumes");
    assert_eq!(done.pages, 1);
    assert_eq!(
        done.bytes,
        (page.len() - cut_at) as u64,
        "only the rest came down"
    );
    assert_eq!(
        seen.last().map(|p| (p.received, p.size)),
        Some((page.len() as u64, page.len() as u64))
    );
    let gets: Vec<(Option<String>, usize)> = server
        .seen()
        .into_iter()
        .filter_map(|s| match s {
            Seen::Get(_, r, n) => Some((r, n)),
            _ => None,
        })
        .collect();
    assert_eq!(
        gets,
        [
            (None, cut_at),
            (Some(format!("bytes={cut_at}-")), page.len() - cut_at)
        ],
        "the second request asks for the rest only"
    );
    let (media, bytes) = store
        .attachment_page(&copy_id, 0)
        .expect("reads")
        .expect("held now");
    assert_eq!(media, MediaType::Pdf);
    assert_eq!(bytes, page);
    assert_eq!(store.attachments("case-a").expect("lists")[0].held, [true]);
    // Held: asking again fetches nothing.
    let again = attachments_sync::fetch_attachment(&mut store, &copy_id, &once(), &mut |_| {})
        .expect("nothing to do");
    assert_eq!(again.pages, 0);
    assert_eq!(
        server
            .seen()
            .iter()
            .filter(|s| matches!(s, Seen::Get(..)))
            .count(),
        2
    );
}

#[test]
fn a_page_the_server_does_not_hold_yet_is_said_so() {
    let server = PageServer::start(None);
    let tmp = Folder::new();
    let (mut store, copy_id, _) = supervisor_with_copy(&server, &tmp);
    server.state.lock().expect("state").stored.clear();
    let err = attachments_sync::fetch_attachment(&mut store, &copy_id, &once(), &mut |_| {})
        .expect_err("not on the server");
    assert!(
        matches!(&err, FieldError::NotOnServer { attachment, page: 1 } if *attachment == copy_id),
        "{err}"
    );
    assert_eq!(err.kind(), "not_on_server");
}

#[test]
fn a_server_that_takes_no_chunk_is_not_sent_the_same_chunk_forever() {
    let server = PageServer::start(None);
    let tmp = Folder::new();
    let mut store = enrolled_at(&tmp, &server);
    attach_known(&mut store, &server, CHUNK_BYTES * 2);
    server.state.lock().expect("state").stall = true;
    let report = synced(sync::sync(&mut store, &once(), &mut |_| {}).expect("ends"));
    assert_eq!(server.puts().len(), 1, "one try in this sync");
    assert_eq!(report.attachments_skipped.len(), 1, "{report:?}");
    assert_eq!(
        report.attachments_waiting.bytes,
        (CHUNK_BYTES * 2) as u64,
        "the page waits whole"
    );
}
