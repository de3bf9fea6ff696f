//! What a server can make a device do: a fake server (a plain TCP listener speaking just enough
//! HTTP) answers enrolment, revocation, redirects and the question about duplicates, and records
//! every request it receives (the duplicate tests in `similar.rs` use it too).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use homeward_field::sync::{self, SyncOptions};
use homeward_field::{FieldError, Store};

use crate::support::{Folder, at, homeward, new_store, ok, profile, stderr};

/// One request as the fake server saw it: path and `Authorization` header.
type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;

/// What the fake server answers: (status, extra headers, body).
pub(crate) type Reply = (u16, Vec<(String, String)>, Vec<u8>);

/// A fake server on 127.0.0.1:0; `answer(path, body)` gives (status, extra headers, body).
pub(crate) struct Fake {
    pub(crate) url: String,
    seen: Seen,
}

impl Fake {
    pub(crate) fn start(answer: impl Fn(&str, &[u8]) -> Reply + Send + 'static) -> Fake {
        Fake::start_for(usize::MAX, answer)
    }

    /// A fake server that answers `connections` connections, then stops listening: every later
    /// connection is refused, as by a phone without network.
    pub(crate) fn start_for(
        connections: usize,
        answer: impl Fn(&str, &[u8]) -> Reply + Send + 'static,
    ) -> Fake {
        // As a server from before keys: a device without a grant asks for one at its sync.
        Fake::start_all(connections, move |path, body| {
            if path == "/api/v1/keys" {
                return (404, vec![], b"not found".to_vec());
            }
            answer(path, body)
        })
    }

    /// A fake server whose `answer` sees every request, `POST /api/v1/keys` included.
    pub(crate) fn start_all(
        connections: usize,
        answer: impl Fn(&str, &[u8]) -> Reply + Send + 'static,
    ) -> Fake {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let seen: Seen = Arc::default();
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(connections) {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
                let (mut length, mut auth) = (0usize, None);
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                        break;
                    }
                    let (name, value) = h.split_once(':').unwrap_or((h.as_str(), ""));
                    match name.trim().to_ascii_lowercase().as_str() {
                        "content-length" => length = value.trim().parse().unwrap_or(0),
                        "authorization" => auth = Some(value.trim().to_owned()),
                        _ => {}
                    }
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                log.lock().expect("log").push((path.clone(), auth));
                let (status, headers, body) = answer(&path, &body);
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
            }
        });
        Fake { url, seen }
    }

    pub(crate) fn requests(&self) -> Vec<(String, Option<String>)> {
        self.seen.lock().expect("log").clone()
    }
}

pub(crate) const TOKEN: &str = "dev1.s3cr3t";

/// A successful enrolment's answer.
pub(crate) fn enrolment() -> Reply {
    (
        200,
        vec![("content-type".into(), "application/json".into())],
        serde_json::json!({
            "device_id": "dev1", "token": TOKEN, "user_id": "anita",
            "user_name": "Anita Kumari", "role": "fieldworker"
        })
        .to_string()
        .into_bytes(),
    )
}

/// Enrolment succeeds; every sync answers as a revoked device's would (410, homeward-wipe).
pub(crate) fn revoking_server() -> Fake {
    Fake::start(|path, _| match path {
        "/api/v1/enrol" => enrolment(),
        _ => (
            410,
            vec![("homeward-wipe".into(), "1".into())],
            b"revoked".to_vec(),
        ),
    })
}

pub(crate) fn enrolled(tmp: &Folder, server: &Fake) -> Store {
    let mut store = new_store(tmp.path());
    sync::enrol_store(&mut store, &server.url, "CODE-1", "phone", false).expect("enrols");
    store
}

pub(crate) fn unsynced_visit(store: &mut Store) {
    store
        .register(
            &profile("case-a", "Puja Kumari", "Rampur"),
            at("2026-11-02"),
        )
        .expect("registers");
    store
        .edit(
            "case-a",
            &homeward_shared::edit::Edit::RecordVisit {
                visit: homeward_shared::edit::NewVisit {
                    id: "v1".into(),
                    date: crate::support::d("2026-11-03"),
                    kind: homeward_shared::model::VisitKind::FollowUp,
                    met: None,
                    note: Some("not yet synced".into()),
                    next_steps: None,
                    summons_id: None,
                    safety_checked: false,
                },
                updates: vec![],
            },
            at("2026-11-03"),
        )
        .expect("visit");
}

#[test]
fn an_unverified_410_deletes_nothing_and_the_next_sync_asks_again() {
    let server = revoking_server();
    let tmp = Folder::new();
    let mut store = enrolled(&tmp, &server);
    unsynced_visit(&mut store);
    let err = sync::sync(&mut store, &SyncOptions::default(), &mut |_| {})
        .expect_err("an answer with no signed statement is not a revocation");
    assert!(
        matches!(err, FieldError::UnverifiedRevocation(_)),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("could not be verified")
            && err.to_string().contains("nothing was deleted"),
        "{err}"
    );
    drop(store);
    let mut store =
        crate::support::open(tmp.path(), crate::support::PIN).expect("the store is there");
    assert_eq!(
        store.case("case-a").expect("case").visits.len(),
        1,
        "the unsynced visit survives"
    );
    assert_eq!(
        store.unconfirmed().expect("counts"),
        (2, 0),
        "still to send"
    );
    let before = server.requests().len();
    let err = sync::sync(&mut store, &SyncOptions::default(), &mut |_| {}).expect_err("asks");
    assert!(matches!(err, FieldError::UnverifiedRevocation(_)), "{err}");
    assert!(
        server.requests().len() > before,
        "the next sync asks the server again"
    );
}

#[test]
fn an_unverified_410_wipes_nothing_even_with_nothing_unconfirmed() {
    let server = revoking_server();
    let tmp = Folder::new();
    let mut store = enrolled(&tmp, &server);
    let err = sync::sync(&mut store, &SyncOptions::default(), &mut |_| {}).expect_err("refused");
    assert!(matches!(err, FieldError::UnverifiedRevocation(_)), "{err}");
    drop(store);
    assert!(Store::exists(tmp.path()), "the store is not deleted");
}

#[test]
fn the_command_line_keeps_an_unsynced_visit_when_a_server_answers_410() {
    let server = revoking_server();
    let tmp = Folder::new();
    let dir = tmp.path();
    ok(dir, &["enrol", "--server", &server.url, "--code", "CODE-1"]);
    let id = add_case(dir);
    let o = homeward(dir, &["sync", "--retries", "0"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("could not be verified") && stderr(&o).contains("nothing was deleted"),
        "the device says nothing was deleted: {}",
        stderr(&o)
    );
    assert!(Store::exists(dir), "the store is not deleted");
    let list = ok(dir, &["case", "list"]);
    assert!(
        list.contains(&id),
        "the unsynced case is still there: {list}"
    );
    let o = homeward(dir, &["--lang", "hi", "sync", "--retries", "0"]);
    assert!(
        stderr(&o).contains("कुछ भी मिटाया नहीं"),
        "in Hindi too: {}",
        stderr(&o)
    );
}

fn add_case(dir: &Path) -> String {
    let out = ok(
        dir,
        &[
            "case",
            "add",
            "--name",
            "Rani Paswan",
            "--sex",
            "f",
            "--age",
            "12",
            "--district",
            "Gaya",
            "--block",
            "Tekari",
            "--village",
            "Madhopur",
            "--returned-on",
            "2026-11-01",
        ],
    );
    out.lines().last().expect("id").trim().to_owned()
}

#[test]
fn a_device_sends_its_token_to_no_server_but_the_one_it_enrolled_with() {
    let other = Fake::start(|_, _| (200, vec![], vec![]));
    let other_url = other.url.clone();
    // The enrolled server redirects every sync to the other address.
    let server = Fake::start(move |path, _| match path {
        "/api/v1/enrol" => (
            200,
            vec![("content-type".into(), "application/json".into())],
            serde_json::json!({
                "device_id": "dev1", "token": TOKEN, "user_id": "anita",
                "user_name": "Anita Kumari", "role": "fieldworker"
            })
            .to_string()
            .into_bytes(),
        ),
        _ => (
            307,
            vec![("location".into(), format!("{other_url}/api/v1/sync"))],
            vec![],
        ),
    });
    let tmp = Folder::new();
    let dir = tmp.path();
    ok(dir, &["enrol", "--server", &server.url, "--code", "CODE-1"]);
    // Another address on the command line is refused before anything is sent.
    let o = homeward(dir, &["sync", "--retries", "0", "--server", &other.url]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("enrolled with"), "{}", stderr(&o));
    // A redirect is not followed.
    let o = homeward(dir, &["sync", "--retries", "0"]);
    assert!(!o.status.success());
    assert!(
        server
            .requests()
            .iter()
            .any(|(p, auth)| p == "/api/v1/sync"
                && auth.as_deref() == Some(&format!("Bearer {TOKEN}"))),
        "the enrolled server got the sync: {:?}",
        server.requests()
    );
    assert!(
        other.requests().is_empty(),
        "the other address received nothing, token least of all: {:?}",
        other.requests()
    );
    // Nor can the address be changed behind the device's back.
    let mut store = crate::support::open(dir, crate::support::PIN).expect("opens");
    let err = sync::set_server(&mut store, &other.url, false).expect_err("another server");
    assert!(
        err.to_string()
            .contains("sends its token to no other server"),
        "{err}"
    );
    assert_eq!(
        store.meta("server").expect("meta").as_deref(),
        Some(server.url.as_str())
    );
    assert!(
        sync::set_server(&mut store, &format!("{}/", server.url), false).is_ok(),
        "the same address is fine"
    );
}

/// A server (rogue, or broken) whose sync answer never ends: it declares two gigabytes, or
/// declares nothing and streams zeros until the phone hangs up. Either way the phone stops
/// reading at its limit and says why; it used to read the whole answer into memory first.
fn endless_server(declare_length: bool) -> Fake {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen: Seen = Arc::default();
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
            let mut length = 0usize;
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = h.split_once(':')
                    && name.trim().eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            log.lock().expect("log").push((path.clone(), None));
            if path == "/api/v1/enrol" {
                let json = serde_json::json!({
                    "device_id": "dev1", "token": TOKEN, "user_id": "anita",
                    "user_name": "Anita Kumari", "role": "fieldworker"
                })
                .to_string();
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
                    json.len()
                );
                continue;
            }
            let head = if declare_length {
                "HTTP/1.1 200 OK\r\nContent-Length: 2000000000\r\nConnection: close\r\n\r\n"
            } else {
                "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"
            };
            let _ = stream.write_all(head.as_bytes());
            // At most 200 MB, so the old behaviour ends too (and fails this test on the message).
            let chunk = vec![0u8; 64 * 1024];
            for _ in 0..3_200 {
                if stream.write_all(&chunk).is_err() {
                    break;
                }
            }
        }
    });
    Fake { url, seen }
}

#[test]
fn an_answer_longer_than_any_valid_one_is_refused_without_reading_it_all() {
    for declare_length in [true, false] {
        let server = endless_server(declare_length);
        let tmp = Folder::new();
        let mut store = enrolled(&tmp, &server);
        unsynced_visit(&mut store);
        let err =
            sync::sync(&mut store, &SyncOptions::default(), &mut |_| {}).expect_err("refused");
        assert!(
            matches!(&err, FieldError::Network(m) if m.contains("larger than")),
            "declared length {declare_length}: {err}"
        );
        assert_eq!(
            store.case("case-a").expect("reads").visits.len(),
            1,
            "the unsynced visit is kept"
        );
    }
}

/// A change saved by another process (the app beside the command line) while a round that
/// pushed nothing is out is not an error: the next round pushes it. The sync used to end with
/// "1 local changes were not confirmed by the server".
#[test]
fn a_change_saved_while_an_empty_round_is_out_goes_up_in_the_next_round() {
    let tmp = Folder::new();
    let dir = tmp.path().to_owned();
    let rounds = Arc::new(Mutex::new(Vec::<usize>::new()));
    let seen = rounds.clone();
    let server = Fake::start(move |path, body| {
        if path == "/api/v1/enrol" {
            return enrolment();
        }
        let req = homeward_shared::wire::decode_request(body).expect("a sync request");
        let pushed: usize = req.push.iter().map(|p| p.changes.len()).sum();
        let mut log = seen.lock().expect("log");
        if log.is_empty() {
            // While the first round is out, another process of the device saves a case.
            let mut other = crate::support::open(&dir, crate::support::PIN).expect("opens");
            other
                .register(
                    &profile("case-b", "Sita Kumari", "Rampur"),
                    at("2026-11-02"),
                )
                .expect("registers");
        }
        log.push(pushed);
        let resp = homeward_shared::wire::SyncResponse {
            bundled: None,
            stored: u32::try_from(pushed).expect("small"),
            documents: vec![],
            changes: vec![],
            dropped: vec![],
            cursor: homeward_shared::wire::Cursor::Feed(0),
            more: false,
            reference: None,
            spot_check_results: vec![],
        };
        (200, vec![], homeward_shared::wire::encode(&resp))
    });
    let mut store = enrolled(&tmp, &server);
    sync::sync(&mut store, &SyncOptions::default(), &mut |_| {})
        .expect("the sync ends well: the new change went up in a second round");
    assert_eq!(*rounds.lock().expect("log"), [0, 1], "pushed per round");
    assert_eq!(store.waiting().expect("counts"), 0);
}
