//! The sync client: enrolment, rounds of `POST /api/v1/sync` until nothing is left, and (in
//! `sync/duplicates.rs`) the one short question asked before a registration
//! ([`DuplicateQuestion`]: is this child already followed on another phone?).
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
//! - **A revocation is believed only when signed.** A 410 (or `homeward-wipe`) answer must carry
//!   the server's signed statement (`homeward-revocation`) naming this device, signed by a
//!   server key this device trusts; then everything unconfirmed is sealed to the server in one
//!   leftover file in the data folder ([`Store::write_leftover`]) and the caller wipes the store.
//!   Any other 410 deletes nothing: the sync stops with [`FieldError::UnverifiedRevocation`],
//!   the store stays usable and a later sync asks again.
//!
//! Before its rounds a sync gets this device's keys granted once when it has none (a store
//! enrolled before keys existed: `POST /api/v1/keys`), and sends the sealed files this phone
//! carries for the server (`POST /api/v1/bundles`). Its first round leaves out the changes and
//! outcomes a bundle carried: the server's `bundled` confirmations settle those the bundle
//! delivered, and the second round pushes the rest.

use std::path::Path;
use std::time::Duration;

use homeward_shared::bundle::{BundleReceipt, KeyGrant, verify_revocation};
use homeward_shared::model::Author;
use homeward_shared::wire::{self, SyncRequest, SyncResponse};
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Result};
use crate::keystore::Keystore;
use crate::store::{RoundStats, Store};

mod duplicates;
mod offline;
pub use duplicates::{CouldNotAsk, DUPLICATES_TIMEOUT, DuplicateQuestion};
use offline::{grant_keys, relay};
pub(crate) use offline::{revocation_statement, revoked};

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
    /// Sealed files this phone carried for the server and the server took, before the rounds.
    pub relayed: Vec<Relayed>,
    /// Sealed files the server refused in this sync: (id, reason). They stay on the phone,
    /// not sent again (`homeward relay` lists them, `relay drop ID` removes one).
    pub relay_refused: Vec<(String, String)>,
}

/// A sealed file this phone carried that the server took: its receipt, in short.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Relayed {
    /// The file's id (SHA-256, hex).
    pub id: String,
    /// What it held (`device_bundle`, `case_export`).
    pub kind: String,
    /// The device that made it.
    pub device: String,
    /// That device's user.
    pub user_name: String,
    /// Whether the server had it already (nothing stored twice).
    pub already: bool,
    /// Changes the server holds from it.
    pub changes: u32,
    /// Cases the server refused, with why: (case, reason).
    pub refused: Vec<(String, String)>,
    /// Spot-check outcomes in it.
    pub outcomes: usize,
    /// Pages of copies stored.
    pub pages: u32,
}

impl Relayed {
    fn of(id: &str, r: &BundleReceipt) -> Relayed {
        Relayed {
            id: id.to_owned(),
            kind: r.kind.clone(),
            device: r.device.clone(),
            user_name: r.user_name.clone(),
            already: r.already,
            changes: r.cases.iter().map(|c| c.changes).sum(),
            refused: r
                .cases
                .iter()
                .filter_map(|c| c.refused.clone().map(|why| (c.case.clone(), why)))
                .collect(),
            outcomes: r.outcomes.len(),
            pages: r.pages,
        }
    }
}

/// How a sync ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Up to date.
    Synced(SyncReport),
    /// The server revoked this device, by a statement it signed that this device verified:
    /// everything the server had not confirmed is sealed to it in the leftover file
    /// ([`Store::leftover`] says where and what it holds; none when nothing was unconfirmed),
    /// and the caller wipes the store ([`Store::wipe`]).
    Revoked,
    /// No longer produced: a revocation this device cannot verify deletes nothing and is an
    /// error ([`FieldError::UnverifiedRevocation`]). Kept while the app's screens still name it.
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
    /// This device's public keys (`hwkey1:...`).
    keys: String,
    /// The number its urgent SMS come from.
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<&'a str>,
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
    /// What the server granted for this device's keys (older servers sent none).
    #[serde(default)]
    pub grant: Option<KeyGrant>,
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
    let mut store = open_or_create(dir, keystore, pin)?;
    enrol_store(&mut store, &server, code, device_name, allow_http)
}

/// The store in `dir`, created (not yet enrolled) when there is none: what an enrolment
/// starts from.
pub fn open_or_create(dir: &Path, keystore: &Keystore, pin: &str) -> Result<Store> {
    match Store::open(dir, keystore, pin) {
        Ok(s) => Ok(s),
        Err(FieldError::NotInitialised(_)) => Store::init(
            dir,
            keystore,
            pin,
            &Author {
                user_id: "unenrolled".into(),
                name: "unenrolled".into(),
            },
        ),
        Err(e) => Err(e),
    }
}

/// Enrols an open store with a one-time code.
pub fn enrol_store(
    store: &mut Store,
    server: &str,
    code: &str,
    device_name: &str,
    allow_http: bool,
) -> Result<Enrolment> {
    enrol_store_with_phone(store, server, code, device_name, None, allow_http)
}

/// Enrols an open store with a one-time code, sending this device's public keys (made now)
/// and, when given, the number its urgent SMS come from; keeps the server's grant, and moves
/// any leftover file of a revoked device found in the data folder into the relay queue.
pub fn enrol_store_with_phone(
    store: &mut Store,
    server: &str,
    code: &str,
    device_name: &str,
    phone: Option<&str>,
    allow_http: bool,
) -> Result<Enrolment> {
    let server = server_url(server, allow_http)?;
    if let Some(id) = store.meta("device_id")? {
        let at = store.meta("server")?.unwrap_or_default();
        return Err(FieldError::BadInput(format!(
            "this store is already enrolled with {at} as device {id}"
        )));
    }
    let keys = store.make_device_keys()?;
    let req = EnrolRequest {
        code,
        actor: store.actor().to_hex_string(),
        name: device_name,
        keys: keys.public().to_text(),
        phone: phone.map(str::trim).filter(|p| !p.is_empty()),
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
    if let Some(grant) = &e.grant {
        store.keep_grant(grant)?;
    }
    store.relay_leftovers()?;
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
    /// A 410 or `homeward-wipe`, with the signed statement it carried, if any.
    Revoked(Option<Vec<u8>>),
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
                    return Ok(Answer::Revoked(revocation_statement(resp.headers())));
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
    // A mark left by an older version on an answer it could not verify: this version asks
    // again, and believes only a signed revocation.
    store.delete_meta("revoked_at")?;
    let mut report = SyncReport::default();
    if let Some(end) = grant_keys(store, &link)? {
        return Ok(end);
    }
    if let Some(end) = relay(store, &link, &mut report)? {
        return Ok(end);
    }
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
    // The first round leaves out what a bundle carried (the server may hold it: its answer
    // confirms it); later rounds push everything unconfirmed.
    let mut first = true;
    loop {
        let outbox = store.outbox_of_round(opts.push_budget, first)?;
        let pushed = outbox.count;
        let reference_version = store.reference()?.map_or(0, |r| r.version);
        let mut outcomes = store.pending_outcomes()?;
        if first {
            let bundled = store.bundled_outcomes()?;
            outcomes.retain(|o| !bundled.contains(&o.id));
        }
        first = false;
        let req = SyncRequest {
            bundle_seen: store.meta_number("bundle_seen")?,
            cursor: store.cursor()?,
            budget: opts.budget,
            reference_version,
            resources_version: store.resources_version()?,
            push: outbox.push.clone(),
            spot_check_outcomes: outcomes,
        };
        let body = wire::encode(&req);
        let (resp, received) = match post(http, &url, token, &body, opts.retries)? {
            Answer::Ok(resp, n) => (resp, n),
            Answer::Revoked(statement) => return revoked(store, statement.as_deref()).map(Some),
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
