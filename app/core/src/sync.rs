//! The sync client: enrolment, rounds of `POST /api/v1/sync` until nothing is left, and the
//! one short question asked before a registration ([`DuplicateQuestion`]: is this child
//! already followed on another phone?).
//!
//! Each round pushes every unconfirmed local change and pulls the feed after the cursor; the
//! response is applied in one local transaction together with the new cursor, so a sync cut at
//! any point leaves the store consistent and the next sync completes it. Network failures and
//! 5xx answers are retried with backoff.
//!
//! What a server can make a device do is limited:
//! - **Plain `http://` only to this machine.** A server address must be `https://`, or
//!   `http://` to a loopback address (`localhost`, `127.0.0.0/8`, `[::1]`); any other plain
//!   address needs `HOMEWARD_ALLOW_HTTP=1`, for a development server.
//! - **The token goes only to the server that issued it.** The address is fixed at enrolment:
//!   `sync --server` and the app's Settings refuse any other (a server that moves keeps its
//!   name; moving a device to another server is a new enrolment). Redirects are not followed.
//! - **A revocation never deletes unconfirmed work.** A 410 or `homeward-wipe` answer cannot be
//!   verified yet (the server's signing key comes with the sync-without-network issue), so a
//!   device holding any change or spot-check outcome the server has not confirmed keeps its
//!   store, marks itself revoked and stops syncing; only a device with nothing unconfirmed
//!   wipes itself.

use std::path::Path;
use std::time::Duration;

use homeward_shared::duplicates::{DuplicateAnswer, DuplicateQuery, Likeness, MAX_REMOTE_MATCHES};
use homeward_shared::model::{Author, Profile};
use homeward_shared::wire::{self, SyncRequest, SyncResponse};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Result};
use crate::keystore::Keystore;
use crate::store::{RoundStats, Store};

/// Response bytes asked for per round, before compression: a page of documents compresses to
/// about a third of this, some ten seconds on a 64 kbit/s link.
pub const DEFAULT_BUDGET: u32 = 256 * 1024;

/// Change bytes pushed per round, before compression: about 100 KB on the wire, some twelve
/// seconds of upload at 64 kbit/s.
pub const DEFAULT_PUSH_BUDGET: usize = 256 * 1024;

/// The environment variable that allows plain `http://` to a server off this machine.
pub const ALLOW_HTTP_ENV: &str = "HOMEWARD_ALLOW_HTTP";

/// Whether `HOMEWARD_ALLOW_HTTP=1` is set (development servers only).
pub fn allow_http_from_env() -> bool {
    std::env::var(ALLOW_HTTP_ENV).is_ok_and(|v| v.trim() == "1")
}

/// How to sync.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// The server's address, when given: it must be the one enrolled with.
    pub server: Option<String>,
    /// Allow plain `http://` to a server off this machine (development only).
    pub allow_http: bool,
    /// Response bytes per round.
    pub budget: u32,
    /// Retries after a network failure or a 5xx answer, with 1, 2, 4... seconds between.
    pub retries: u32,
    /// Change bytes pushed per round at most (a backlog goes up in several rounds).
    pub push_budget: usize,
    /// Bytes of copies' pages sent in this sync at most (`None`: all that waits; `Some(0)`:
    /// records only, the pages wait for a better link).
    pub attachment_budget: Option<u64>,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            server: None,
            allow_http: false,
            budget: DEFAULT_BUDGET,
            retries: 3,
            push_budget: DEFAULT_PUSH_BUDGET,
            attachment_budget: None,
        }
    }
}

/// One round, as the progress callback sees it.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
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
    /// Bytes of pages of copies sent (chunk bodies, resent ones included).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub attachment_bytes_sent: u64,
    /// Pages of copies the server now holds whole, uploaded in this sync.
    pub attachment_pages_sent: usize,
    /// Pages this sync gave up on, with the server's reason (a page of a case whose changes it
    /// refused, say): they wait on the phone for a later sync.
    pub attachments_skipped: Vec<(String, String)>,
    /// What still waits for the upload after this sync (the attachment budget was spent, or
    /// pages were skipped).
    pub attachments_waiting: crate::store::Backlog,
}

/// How a sync ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Up to date.
    Synced(SyncReport),
    /// The server says this device was revoked, and it holds nothing unconfirmed: the caller
    /// wipes the store ([`Store::wipe`]); the server holds every record.
    Revoked,
    /// The server says this device was revoked, but work made here never reached it: the store
    /// is kept, marked revoked, and no longer syncs.
    RevokedKept {
        /// Changes made here, unconfirmed or set aside.
        changes: usize,
        /// Spot-check outcomes the server has not recorded.
        outcomes: usize,
    },
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
        // A redirect would carry the token, or the records, to an address nobody enrolled with.
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(20))
        .timeout(Duration::from_secs(120))
        .build()
        .map_err(|e| FieldError::Network(format!("cannot start the HTTP client: {e}")))
}

/// Records the server address of this device. The address is fixed at enrolment: the token
/// goes only to the server that issued it, so after enrolment only the same address is
/// accepted (normalised), and any other is refused with what to do.
pub fn set_server(store: &mut Store, server: &str, allow_http: bool) -> Result<String> {
    let server = server_url(server, allow_http)?;
    if store.meta("device_id")?.is_some() {
        return enrolled_server(store, Some(&server), allow_http);
    }
    store.set_meta("server", &server)?;
    Ok(server)
}

/// The server this device enrolled with, checked again, and refusing any other address given.
fn enrolled_server(store: &Store, given: Option<&str>, allow_http: bool) -> Result<String> {
    let enrolled = store
        .meta("server")?
        .ok_or_else(|| FieldError::BadInput("no server recorded: enrol the device again".into()))?;
    let enrolled = server_url(&enrolled, allow_http)?;
    if let Some(given) = given {
        let given = server_url(given, allow_http)?;
        if given != enrolled {
            return Err(FieldError::BadInput(format!(
                "this device is enrolled with {enrolled} and sends its token to no other server, so {given} is refused; a server that moves keeps its address (its name), and moving this device to another server means setting it up again with a code from that server"
            )));
        }
    }
    Ok(enrolled)
}

/// Checks and normalises a server address: `https://`, or `http://` to this machine only
/// (unless `allow_http`, for a development server elsewhere).
pub fn server_url(s: &str, allow_http: bool) -> Result<String> {
    let trimmed = s.trim().trim_end_matches('/');
    let bad = || {
        FieldError::BadInput(format!(
            "bad server address '{trimmed}' (expected https://HOST, or http://127.0.0.1:PORT for a server on this machine)"
        ))
    };
    let url = reqwest::Url::parse(trimmed).map_err(|_| bad())?;
    let host = url.host_str().ok_or_else(bad)?.to_owned();
    if !url.username().is_empty() || url.password().is_some() || url.query().is_some() {
        return Err(bad());
    }
    match url.scheme() {
        "https" => {}
        "http" => {
            let bare = host.trim_start_matches('[').trim_end_matches(']');
            let loopback = bare.eq_ignore_ascii_case("localhost")
                || bare
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.is_loopback());
            if !loopback && !allow_http {
                return Err(FieldError::BadInput(format!(
                    "plain http:// to {host} is refused: the device token and the children's records would cross the network unencrypted; use https://{host}, or set {ALLOW_HTTP_ENV}=1 for a development server"
                )));
            }
        }
        _ => return Err(bad()),
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Enrols this device with a one-time code, creating the store in `dir` if there is none.
pub fn enrol(
    dir: &Path,
    keystore: &Keystore,
    pin: &str,
    server: &str,
    code: &str,
    device_name: &str,
    allow_http: bool,
) -> Result<Enrolment> {
    let server = server_url(server, allow_http)?;
    let mut store = match Store::open(dir, keystore, pin) {
        Ok(s) => s,
        Err(FieldError::NotInitialised(_)) => Store::init(
            dir,
            keystore,
            pin,
            &Author {
                user_id: "unenrolled".into(),
                name: "unenrolled".into(),
            },
        )?,
        Err(e) => return Err(e),
    };
    enrol_store(&mut store, &server, code, device_name, allow_http)
}

/// Enrols an open store with a one-time code.
pub fn enrol_store(
    store: &mut Store,
    server: &str,
    code: &str,
    device_name: &str,
    allow_http: bool,
) -> Result<Enrolment> {
    let server = server_url(server, allow_http)?;
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
        let msg = read_bounded(resp, MAX_MESSAGE)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        return Err(if status.is_client_error() {
            FieldError::BadInput(format!("enrolment refused: {msg}"))
        } else {
            FieldError::Network(format!("{server} answered {status}"))
        });
    }
    let e: Enrolment = read_bounded(resp, MAX_MESSAGE)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
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

/// The longest enrolment answer or error message read from a server.
pub(crate) const MAX_MESSAGE: u64 = 64 * 1024;

/// The longest sync answer read from a server, compressed: deflate never grows data by more
/// than a little, so a valid answer (at most [`wire::MAX_BODY`] inflated) fits.
const MAX_ANSWER: u64 = wire::MAX_BODY as u64 + 1024 * 1024;

/// Why an answer could not be read.
pub(crate) enum ReadError {
    /// Longer than the limit, declared or streamed: never worth retrying.
    TooLarge(u64),
    /// The connection failed while reading (worth a retry).
    Io(String),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::TooLarge(limit) => write!(f, "the answer is larger than {limit} bytes"),
            ReadError::Io(e) => write!(f, "reading the answer: {e}"),
        }
    }
}

/// Reads at most `limit` bytes of an answer: a longer one (declared or streamed) is refused
/// before it fills the phone's memory.
pub(crate) fn read_bounded(
    resp: reqwest::blocking::Response,
    limit: u64,
) -> std::result::Result<Vec<u8>, ReadError> {
    use std::io::Read;
    if resp.content_length().is_some_and(|n| n > limit) {
        return Err(ReadError::TooLarge(limit));
    }
    let mut out = Vec::new();
    resp.take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    if out.len() as u64 > limit {
        return Err(ReadError::TooLarge(limit));
    }
    Ok(out)
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
                    match read_bounded(resp, MAX_ANSWER) {
                        Err(e @ ReadError::TooLarge(_)) => {
                            return Err(FieldError::Network(format!(
                                "the server's answer is unreadable: {e}"
                            )));
                        }
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

/// The enrolled server, its client and the device token, for the requests of one sync.
pub(crate) struct Link {
    pub(crate) http: reqwest::blocking::Client,
    /// The server's address (no trailing slash).
    pub(crate) server: String,
    pub(crate) token: String,
}

impl Link {
    /// The link to this store's server: refused when the store is revoked or not enrolled, or
    /// when `given` names another server than the one enrolled with.
    pub(crate) fn for_store(store: &Store, given: Option<&str>, allow_http: bool) -> Result<Link> {
        if let Some(at) = store.meta("revoked_at")? {
            let (changes, outcomes) = store.unconfirmed()?;
            return Err(FieldError::Revoked {
                at,
                changes,
                outcomes,
            });
        }
        let token = store.meta("token")?.ok_or_else(|| {
            FieldError::BadInput(
                "this device is not enrolled: run `homeward enrol --server URL --code CODE`".into(),
            )
        })?;
        let server = enrolled_server(store, given, allow_http)?;
        Ok(Link {
            http: client()?,
            server,
            token,
        })
    }
}

/// Syncs until the server has nothing more, calling `progress` after each round; then uploads
/// the pages of copies made here ([`crate::attachments_sync`]), records first.
pub fn sync(
    store: &mut Store,
    opts: &SyncOptions,
    progress: &mut dyn FnMut(&Round),
) -> Result<Outcome> {
    sync_with_pages(store, opts, progress, &mut |_| {})
}

/// [`sync`], calling `chunks` after each chunk of a page the server confirmed.
pub fn sync_with_pages(
    store: &mut Store,
    opts: &SyncOptions,
    progress: &mut dyn FnMut(&Round),
    chunks: &mut dyn FnMut(&crate::attachments_sync::ChunkSent),
) -> Result<Outcome> {
    let link = Link::for_store(store, opts.server.as_deref(), opts.allow_http)?;
    let mut report = SyncReport::default();
    if let Some(end) = records(store, &link, opts, &mut report, progress)? {
        return Ok(end);
    }
    if let Some(end) =
        crate::attachments_sync::upload(store, &link, opts, &mut report, progress, chunks)?
    {
        return Ok(end);
    }
    report.attachments_waiting = store.attachments_waiting()?;
    store.set_meta("last_sync", &crate::store::now().to_rfc3339())?;
    Ok(Outcome::Synced(report))
}

/// Rounds of `POST /api/v1/sync` until the server has nothing more and nothing waits: the
/// records. `Some`: the device was revoked, and how that ended.
pub(crate) fn records(
    store: &mut Store,
    link: &Link,
    opts: &SyncOptions,
    report: &mut SyncReport,
    progress: &mut dyn FnMut(&Round),
) -> Result<Option<Outcome>> {
    let url = format!("{}/api/v1/sync", link.server);
    let (http, token) = (&link.http, &link.token);
    loop {
        let outbox = store.outbox(opts.push_budget)?;
        let pushed = outbox.count;
        let reference_version = store.reference()?.map_or(0, |r| r.version);
        let req = SyncRequest {
            bundle_seen: 0,
            cursor: store.cursor()?,
            budget: opts.budget,
            reference_version,
            resources_version: store.resources_version()?,
            push: outbox.push.clone(),
            spot_check_outcomes: store.pending_outcomes()?,
        };
        let body = wire::encode(&req);
        let (resp, received) = match post(http, &url, token, &body, opts.retries)? {
            Answer::Ok(resp, n) => (resp, n),
            Answer::Revoked => return revoked(store).map(Some),
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
        // Done when the server has nothing more and nothing waits. Changes still waiting after
        // a round that pushed some and had none confirmed are an error; after a round that
        // pushed none, they were saved (by another process of the device) while it was out,
        // and the next round pushes them.
        let stuck = pushed > 0 && applied.confirmed == 0;
        if !resp.more && (left == 0 || stuck) {
            if left > 0 {
                return Err(FieldError::Refused(format!(
                    "{left} local changes were not confirmed by the server"
                )));
            }
            return Ok(None);
        }
    }
}

/// A revocation the device cannot verify: with nothing unconfirmed the caller may wipe;
/// otherwise the store is kept, marked revoked, and says what it keeps. Pages of copies taken
/// here and not wholly uploaded are unconfirmed work too: they keep the store.
pub(crate) fn revoked(store: &mut Store) -> Result<Outcome> {
    let (changes, outcomes) = store.unconfirmed()?;
    if changes == 0 && outcomes == 0 && store.attachments_waiting()?.pages == 0 {
        return Ok(Outcome::Revoked);
    }
    store.set_meta("revoked_at", &crate::store::now().to_rfc3339())?;
    Ok(Outcome::RevokedKept { changes, outcomes })
}

/// How long the phone waits in all for the server's answer about a child it is about to
/// register: a 2G phone must not hold up a registration, so the question is asked once, never
/// retried, and given up after this (the phone's own check still stands).
pub const DUPLICATES_TIMEOUT: Duration = Duration::from_secs(8);

/// How long connecting to the server may take, within [`DUPLICATES_TIMEOUT`].
const DUPLICATES_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Why the server could not be asked about a child before registration. None of these stops
/// the registration: the phone's own check stands, and the screen says it was the only one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CouldNotAsk {
    /// No connection to the server could be made (no network, server down).
    Offline,
    /// No whole answer within the time allowed ([`DUPLICATES_TIMEOUT`]).
    Timeout,
    /// The server refused the question (a 4xx: a bad or revoked token, a CWC member's device,
    /// a body it would not read), with its status.
    Refused(u16),
    /// The server failed (a 5xx), with its status, or its answer could not be read.
    Failed(String),
}

/// Asks the device's server for likely duplicates of a child: made from the store (the
/// enrolled server and the device token), then used without it, so the store is not held
/// while the question travels.
#[derive(Debug, Clone)]
pub struct DuplicateQuestion {
    url: String,
    token: String,
    timeout: Duration,
}

impl DuplicateQuestion {
    /// The question for this store's server, or `None` when it has no one to ask: not enrolled,
    /// or revoked (a revoked device no longer talks to its server).
    pub fn for_store(store: &Store, allow_http: bool) -> Result<Option<DuplicateQuestion>> {
        if store.meta("revoked_at")?.is_some() {
            return Ok(None);
        }
        let Some(token) = store.meta("token")? else {
            return Ok(None);
        };
        let server = enrolled_server(store, None, allow_http)?;
        Ok(Some(DuplicateQuestion {
            url: format!("{server}/api/v1/duplicates"),
            token,
            timeout: DUPLICATES_TIMEOUT,
        }))
    }

    /// The same question with another total time limit (tests use a short one).
    pub fn with_timeout(self, timeout: Duration) -> DuplicateQuestion {
        DuplicateQuestion { timeout, ..self }
    }

    /// Asks once (`POST /api/v1/duplicates`), within the time limit: the likely duplicates among
    /// the active cases the server holds for the device user's areas, best first, each with who
    /// follows it; at most [`MAX_REMOTE_MATCHES`] are kept, whatever the server sends.
    pub fn ask(&self, profile: &Profile) -> std::result::Result<Vec<Likeness>, CouldNotAsk> {
        let http = reqwest::blocking::Client::builder()
            // A redirect would carry the token to an address nobody enrolled with.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(DUPLICATES_CONNECT_TIMEOUT.min(self.timeout))
            .timeout(self.timeout)
            .build()
            .map_err(|e| CouldNotAsk::Failed(format!("cannot start the HTTP client: {e}")))?;
        let query = DuplicateQuery {
            profile: profile.clone(),
        };
        let resp = http
            .post(&self.url)
            .bearer_auth(&self.token)
            .json(&query)
            .send()
            .map_err(|e| could_not_send(&e))?;
        let status = resp.status();
        if status.is_client_error() {
            return Err(CouldNotAsk::Refused(status.as_u16()));
        }
        if !status.is_success() {
            return Err(CouldNotAsk::Failed(format!("the server answered {status}")));
        }
        let bytes = read_bounded(resp, MAX_MESSAGE).map_err(|e| match e {
            ReadError::Io(ref m) if m.contains("timed out") => CouldNotAsk::Timeout,
            e => CouldNotAsk::Failed(e.to_string()),
        })?;
        let answer: DuplicateAnswer = serde_json::from_slice(&bytes)
            .map_err(|e| CouldNotAsk::Failed(format!("the server's answer is unreadable: {e}")))?;
        let mut matches = answer.matches;
        matches.truncate(MAX_REMOTE_MATCHES);
        Ok(matches)
    }
}

/// Why a question did not reach the server, or got no answer in time.
fn could_not_send(e: &reqwest::Error) -> CouldNotAsk {
    if e.is_timeout() {
        CouldNotAsk::Timeout
    } else if e.is_connect() {
        CouldNotAsk::Offline
    } else {
        CouldNotAsk::Failed(format!("cannot reach the server: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_except_to_this_machine_or_with_the_development_flag() {
        let ok = |s: &str, allow: bool| server_url(s, allow);
        assert_eq!(
            ok("https://hw.example.org/", false).expect("https"),
            "https://hw.example.org"
        );
        for local in [
            "http://127.0.0.1:8787",
            "http://localhost:8787",
            "http://[::1]:8787",
            "http://127.3.4.5",
        ] {
            assert!(ok(local, false).is_ok(), "{local} is this machine");
        }
        let err = ok("http://192.0.2.10:8787", false).expect_err("plain http off this machine");
        assert!(
            err.to_string().contains("192.0.2.10")
                && err.to_string().contains("HOMEWARD_ALLOW_HTTP"),
            "{err}"
        );
        assert!(
            ok("http://192.0.2.10:8787", true).is_ok(),
            "with the development flag"
        );
        for bad in [
            "ftp://hw.example.org",
            "hw.example.org",
            "https://user:pw@hw.example.org",
            "",
        ] {
            assert!(ok(bad, true).is_err(), "{bad} is refused");
        }
    }
}
