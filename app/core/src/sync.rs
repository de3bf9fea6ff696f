//! The sync client: enrolment, and rounds of `POST /api/v1/sync` until nothing is left.
//!
//! Each round pushes every unconfirmed local change and pulls the feed after the cursor; the
//! response is applied in one local transaction together with the new cursor, so a sync cut at
//! any point leaves the store consistent and the next sync completes it. Network failures and
//! 5xx answers are retried with backoff; a revoked device is told so and wipes its store.

use std::path::Path;
use std::time::Duration;

use homeward_shared::model::Author;
use homeward_shared::wire::{self, SyncRequest, SyncResponse};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Result};
use crate::store::{RoundStats, Store};

/// Response bytes asked for per round, before compression: a page of documents compresses to
/// about a third of this, some ten seconds on a 64 kbit/s link.
pub const DEFAULT_BUDGET: u32 = 256 * 1024;

/// Change bytes pushed per round, before compression: about 100 KB on the wire, some twelve
/// seconds of upload at 64 kbit/s.
pub const DEFAULT_PUSH_BUDGET: usize = 256 * 1024;

/// How to sync.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Use this server instead of the one enrolled with.
    pub server: Option<String>,
    /// Response bytes per round.
    pub budget: u32,
    /// Retries after a network failure or a 5xx answer, with 1, 2, 4... seconds between.
    pub retries: u32,
    /// Change bytes pushed per round at most (a backlog goes up in several rounds).
    pub push_budget: usize,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            server: None,
            budget: DEFAULT_BUDGET,
            retries: 3,
            push_budget: DEFAULT_PUSH_BUDGET,
        }
    }
}

/// One round, as the progress callback sees it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Round {
    /// Round number, from 1.
    pub number: u32,
    /// Changes pushed.
    pub pushed: usize,
    /// Request body bytes.
    pub sent_bytes: usize,
    /// Response body bytes.
    pub received_bytes: usize,
    /// What applying the response changed.
    pub applied: RoundStats,
    /// Whether another round follows.
    pub more: bool,
}

/// What a whole sync did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SyncReport {
    /// Rounds (HTTP requests that succeeded).
    pub rounds: u32,
    /// Local changes confirmed by the server.
    pub confirmed: usize,
    /// Request body bytes in all.
    pub sent_bytes: usize,
    /// Response body bytes in all.
    pub received_bytes: usize,
    /// Documents received.
    pub documents: usize,
    /// Changes received.
    pub changes: usize,
    /// Cases removed.
    pub dropped: usize,
    /// Cases whose changes the server refused in this sync: (case id, changes, reason). Their
    /// changes stay on the device, set aside.
    pub refused: Vec<(String, usize, String)>,
}

/// How a sync ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Up to date.
    Synced(SyncReport),
    /// The administrator revoked this device: the caller must wipe the store
    /// ([`Store::wipe`]).
    Revoked,
}

#[derive(Debug, Serialize)]
struct EnrolRequest<'a> {
    code: &'a str,
    actor: String,
    name: &'a str,
}

/// The server's answer to an enrolment.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Enrolment {
    /// Device id.
    pub device_id: String,
    /// Bearer token (kept only in the encrypted store).
    pub token: String,
    /// User id.
    pub user_id: String,
    /// User name.
    pub user_name: String,
    /// The user's role (older servers did not send it).
    #[serde(default)]
    pub role: String,
}

fn client() -> Result<reqwest::blocking::Client> {
    reqwest::blocking::Client::builder()
        .connect_timeout(Duration::from_secs(20))
        .timeout(Duration::from_secs(120))
        .build()
        .map_err(|e| FieldError::Network(format!("cannot start the HTTP client: {e}")))
}

/// Records a new server address for this device (the same device token is used there).
pub fn set_server(store: &mut Store, server: &str) -> Result<String> {
    let server = server_url(server)?;
    store.set_meta("server", &server)?;
    Ok(server)
}

/// Checks and normalises a server address.
fn server_url(s: &str) -> Result<String> {
    let s = s.trim().trim_end_matches('/');
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return Err(FieldError::BadInput(format!(
            "bad server address '{s}' (expected http://HOST:PORT or https://HOST)"
        )));
    }
    Ok(s.to_owned())
}

/// Enrols this device with a one-time code, creating the store in `dir` if there is none.
pub fn enrol(
    dir: &Path,
    pin: &str,
    server: &str,
    code: &str,
    device_name: &str,
) -> Result<Enrolment> {
    let server = server_url(server)?;
    let mut store = match Store::open(dir, pin) {
        Ok(s) => s,
        Err(FieldError::NotInitialised(_)) => Store::init(
            dir,
            pin,
            &Author {
                user_id: "unenrolled".into(),
                name: "unenrolled".into(),
            },
        )?,
        Err(e) => return Err(e),
    };
    enrol_store(&mut store, &server, code, device_name)
}

/// Enrols an open store with a one-time code.
pub fn enrol_store(
    store: &mut Store,
    server: &str,
    code: &str,
    device_name: &str,
) -> Result<Enrolment> {
    let server = server_url(server)?;
    if let Some(id) = store.meta("device_id")? {
        let at = store.meta("server")?.unwrap_or_default();
        return Err(FieldError::BadInput(format!(
            "this store is already enrolled with {at} as device {id}"
        )));
    }
    let req = EnrolRequest {
        code,
        actor: store.actor().to_hex_string(),
        name: device_name,
    };
    let resp = client()?
        .post(format!("{server}/api/v1/enrol"))
        .json(&req)
        .send()
        .map_err(|e| FieldError::Network(format!("cannot reach {server}: {e}")))?;
    let status = resp.status();
    if !status.is_success() {
        let msg = resp.text().unwrap_or_default();
        return Err(if status.is_client_error() {
            FieldError::BadInput(format!("enrolment refused: {msg}"))
        } else {
            FieldError::Network(format!("{server} answered {status}"))
        });
    }
    let e: Enrolment = resp
        .json()
        .map_err(|e| FieldError::Network(format!("bad enrolment answer: {e}")))?;
    for (k, v) in [
        ("server", server.as_str()),
        ("device_id", e.device_id.as_str()),
        ("token", e.token.as_str()),
        ("user_id", e.user_id.as_str()),
        ("user_name", e.user_name.as_str()),
        ("role", e.role.as_str()),
    ] {
        store.set_meta(k, v)?;
    }
    Ok(e)
}

enum Answer {
    Ok(Box<SyncResponse>, usize),
    Revoked,
    /// The server refused the changes of one case, naming it; nothing was stored.
    CaseRefused(String, String),
}

fn post(
    http: &reqwest::blocking::Client,
    url: &str,
    token: &str,
    body: &[u8],
    retries: u32,
) -> Result<Answer> {
    let mut attempt = 0;
    loop {
        let result = http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, wire::CONTENT_TYPE)
            .bearer_auth(token)
            .body(body.to_vec())
            .send();
        let retry_reason = match result {
            Ok(resp) => {
                let status = resp.status();
                if resp.headers().contains_key("homeward-wipe")
                    || status == reqwest::StatusCode::GONE
                {
                    return Ok(Answer::Revoked);
                }
                if status.is_success() {
                    let bytes = resp
                        .bytes()
                        .map_err(|e| FieldError::Network(format!("reading the answer: {e}")));
                    match bytes {
                        Ok(bytes) => {
                            let decoded: SyncResponse = wire::decode(&bytes).map_err(|e| {
                                FieldError::Network(format!(
                                    "the server's answer is unreadable: {e}"
                                ))
                            })?;
                            return Ok(Answer::Ok(Box::new(decoded), bytes.len()));
                        }
                        Err(e) => e.to_string(),
                    }
                } else if status.is_server_error()
                    || status == reqwest::StatusCode::TOO_MANY_REQUESTS
                {
                    format!("the server answered {status}")
                } else {
                    let case = resp
                        .headers()
                        .get("homeward-refused-case")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned);
                    let msg = resp.text().unwrap_or_default();
                    return match case {
                        Some(case) => Ok(Answer::CaseRefused(case, format!("{status}: {msg}"))),
                        None => Err(FieldError::Refused(format!("{status}: {msg}"))),
                    };
                }
            }
            Err(e) => format!("cannot reach the server: {e}"),
        };
        if attempt >= retries {
            return Err(FieldError::Network(retry_reason));
        }
        std::thread::sleep(Duration::from_secs(1 << attempt.min(5)));
        attempt += 1;
    }
}

/// Syncs until the server has nothing more, calling `progress` after each round.
pub fn sync(
    store: &mut Store,
    opts: &SyncOptions,
    progress: &mut dyn FnMut(&Round),
) -> Result<Outcome> {
    let token = store.meta("token")?.ok_or_else(|| {
        FieldError::BadInput(
            "this device is not enrolled: run `homeward enrol --server URL --code CODE`".into(),
        )
    })?;
    let server = match &opts.server {
        Some(s) => server_url(s)?,
        None => store
            .meta("server")?
            .ok_or_else(|| FieldError::BadInput("no server recorded: pass --server URL".into()))?,
    };
    let url = format!("{server}/api/v1/sync");
    let http = client()?;
    let mut report = SyncReport::default();
    loop {
        let outbox = store.outbox(opts.push_budget)?;
        let pushed = outbox.count;
        let reference_version = store.reference()?.map_or(0, |r| r.version);
        let req = SyncRequest {
            cursor: store.cursor()?,
            budget: opts.budget,
            reference_version,
            push: outbox.push.clone(),
            spot_check_outcomes: store.pending_outcomes()?,
        };
        let body = wire::encode(&req);
        let (resp, received) = match post(&http, &url, &token, &body, opts.retries)? {
            Answer::Ok(resp, n) => (resp, n),
            Answer::Revoked => return Ok(Outcome::Revoked),
            Answer::CaseRefused(case, reason) => {
                // Set that case's changes aside (kept, reported) and sync the rest.
                let n = store.set_aside(&case, &reason)?;
                if n == 0 {
                    return Err(FieldError::Refused(reason));
                }
                report.refused.push((case, n, reason));
                continue;
            }
        };
        let applied = store.apply_round(&outbox, &resp)?;
        store.settle_outcomes(&resp.spot_check_results)?;
        report.rounds += 1;
        report.confirmed += applied.confirmed;
        report.sent_bytes += body.len();
        report.received_bytes += received;
        report.documents += applied.documents;
        report.changes += applied.changes;
        report.dropped += applied.dropped;
        let round = Round {
            number: report.rounds,
            pushed,
            sent_bytes: body.len(),
            received_bytes: received,
            applied,
            more: resp.more,
        };
        progress(&round);
        let left = store.waiting()?;
        if !resp.more && (left == 0 || applied.confirmed == 0) {
            if left > 0 {
                return Err(FieldError::Refused(format!(
                    "{left} local changes were not confirmed by the server"
                )));
            }
            store.set_meta("last_sync", &crate::store::now().to_rfc3339())?;
            return Ok(Outcome::Synced(report));
        }
    }
}
