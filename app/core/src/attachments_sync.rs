//! The pages of copies over the network (issue 15): uploaded after the records, chunk by chunk,
//! and fetched on demand.
//!
//! **Records first, always.** The upload starts once the sync's record rounds are done, and
//! before each chunk, when the outbox holds a change made meanwhile (a visit recorded while a
//! scan goes up over 2G), a records round runs first. While a chunk is in flight (some four
//! seconds at 64 kbit/s, [`CHUNK_BYTES`]) the outbox is looked at every [`WATCH`], and a change
//! saved meanwhile goes up at once in its own round, on its own connection beside the chunk's:
//! its few hundred bytes share the link with the chunk instead of waiting for its end.
//!
//! **A cut resumes at the last confirmed chunk.** `PUT /api/v1/attachments/{hash}?offset=N`
//! sends one chunk; the server answers how much of the page it holds (`received`), and that is
//! kept on the phone after each chunk (`attachment_pages.sent`). The next chunk, in this sync or
//! the next, starts there; when the server holds another amount (a chunk it stored whose answer
//! was lost, or an upload it dropped), it answers 409 with its `received`, and the phone
//! continues from that. No confirmed byte is sent twice.
//!
//! **The store is not held while bytes travel.** Each chunk is read from the store in one short
//! statement, sent with no transaction open, and its confirmation written in another: the app
//! syncs on a second connection ([`Store::reopen`]) and records visits on its own meanwhile.
//! The same holds for a download: each piece received is appended on its own.
//!
//! **Downloads are on demand**, one copy at a time ([`fetch_attachment`]), with `Range: bytes=N-`
//! from what the phone already holds, so a cut download resumes too; a whole page is checked
//! against its SHA-256 before it counts as held.

use std::io::Read;
use std::time::Duration;

/// How often the outbox is looked at while a chunk is in flight.
pub const WATCH: Duration = Duration::from_millis(200);

use homeward_shared::attachment::CHUNK_BYTES;
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Result};
use crate::store::Store;
use crate::sync::{
    Link, MAX_MESSAGE, Outcome, ReadError, Round, SyncOptions, SyncReport, read_bounded, records,
    revoked,
};

/// One chunk of a page the server confirmed, as the progress callback sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ChunkSent {
    /// The page's hash.
    pub hash: String,
    /// What the server holds of it now.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub received: u64,
    /// Its size.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
}

/// The server's word on a page: how much it holds, of how much, and whether it is whole.
#[derive(Debug, Clone, Copy, Deserialize)]
struct Held {
    received: u64,
    size: u64,
    complete: bool,
}

/// What one chunk's request came to.
enum Put {
    /// The server holds this much now (200, or 409 when it held another amount than the offset).
    Held(Held),
    /// The server will not take this page now (404: it knows no copy naming it in this user's
    /// scope, the case's changes refused; 413, 422: refused or dropped), with why.
    Skip(String),
    /// The device was revoked, with the server's signed statement, if any.
    Revoked(Option<Vec<u8>>),
}

/// Uploads the pages waiting, oldest first, within the sync's attachment budget. `Some`: the
/// device was revoked meanwhile, and how that ended.
pub(crate) fn upload(
    store: &mut Store,
    link: &Link,
    opts: &SyncOptions,
    report: &mut SyncReport,
    progress: &mut dyn FnMut(&Round),
    chunks: &mut dyn FnMut(&ChunkSent),
) -> Result<Option<Outcome>> {
    let mut budget = opts.attachment_budget.unwrap_or(u64::MAX);
    let mut skipped: Vec<String> = Vec::new();
    while let Some(page) = store.next_upload(&skipped)? {
        let hash = page.hash;
        // A chunk cut in an earlier sync may have left more on the server than was confirmed
        // here (the server keeps what arrived): ask once per page and sync, a few bytes, rather
        // than send a whole chunk to be told so by a 409.
        if budget > 0
            && let Some(held) = held_by_server(link, &hash)?
            && held.received > page.sent
        {
            store.confirm_sent(&hash, held.received.min(page.size))?;
        }
        loop {
            // Records first: a change saved meanwhile goes up before the next chunk.
            if store.waiting()? > 0
                && let Some(end) = records(store, link, opts, report, progress)?
            {
                return Ok(Some(end));
            }
            // Where the page stands now (a round may have brought its withdrawal).
            let Some(now) = store.upload_of(&hash)? else {
                break;
            };
            if now.sent >= now.size {
                break;
            }
            let left = now.size - now.sent;
            let len = u64::try_from(CHUNK_BYTES)
                .unwrap_or(u64::MAX)
                .min(left)
                .min(budget);
            if len == 0 {
                return Ok(None); // The budget is spent: the rest waits for the next sync.
            }
            let chunk = store.page_chunk(&hash, now.sent, usize::try_from(len).unwrap_or(0))?;
            if chunk.is_empty() {
                break;
            }
            let sent = u64::try_from(chunk.len()).unwrap_or(u64::MAX);
            let (answer, end) = put_beside_records(
                store,
                link,
                opts,
                report,
                progress,
                (&hash, now.sent, chunk),
            )?;
            if let Some(end) = end {
                return Ok(Some(end));
            }
            let answer = answer?;
            budget = budget.saturating_sub(sent);
            report.attachment_bytes_sent += sent;
            match answer {
                Put::Held(held) if !held.complete && held.received == now.sent => {
                    // A server that neither takes the chunk nor says it holds more would be
                    // sent the same chunk forever: the page waits for a later sync.
                    report.attachments_skipped.push((
                        hash.clone(),
                        format!("the server held {} bytes and took no more", held.received),
                    ));
                    skipped.push(hash.clone());
                    break;
                }
                Put::Held(held) => {
                    store.confirm_sent(&hash, held.received)?;
                    chunks(&ChunkSent {
                        hash: hash.clone(),
                        received: held.received.min(now.size),
                        size: now.size,
                    });
                    if held.complete {
                        // Whole on the server: nothing of it waits.
                        store.confirm_sent(&hash, now.size.max(held.size))?;
                        report.attachment_pages_sent += 1;
                        break;
                    }
                }
                Put::Skip(why) => {
                    report.attachments_skipped.push((hash.clone(), why));
                    skipped.push(hash.clone());
                    break;
                }
                Put::Revoked(statement) => return revoked(store, statement.as_deref()).map(Some),
            }
        }
    }
    Ok(None)
}

/// Sends one chunk on a thread of its own while this one watches the outbox: a change saved
/// meanwhile goes up in a records round at once, beside the chunk, on the sync's own connection
/// (the chunk's thread never touches the store). The chunk's answer, and `Some` when a round
/// found the device revoked (the chunk's answer is then of no use).
fn put_beside_records(
    store: &mut Store,
    link: &Link,
    opts: &SyncOptions,
    report: &mut SyncReport,
    progress: &mut dyn FnMut(&Round),
    (hash, offset, chunk): (&str, u64, Vec<u8>),
) -> Result<(Result<Put>, Option<Outcome>)> {
    std::thread::scope(|scope| {
        let sending = scope.spawn(|| put(link, hash, offset, chunk, opts.retries));
        let mut end = None;
        while !sending.is_finished() {
            std::thread::sleep(WATCH);
            if end.is_none() && store.waiting()? > 0 {
                end = records(store, link, opts, report, progress)?;
            }
        }
        let answer = sending.join().unwrap_or_else(|_| {
            Err(FieldError::Network(format!(
                "the upload of page {hash} stopped unexpectedly"
            )))
        });
        Ok((answer, end))
    })
}

/// Sends one chunk at `offset`, retrying a network failure or a 5xx answer with 1, 2, 4...
/// seconds between (the server tells where it stands after a cut: 409).
fn put(link: &Link, hash: &str, offset: u64, chunk: Vec<u8>, retries: u32) -> Result<Put> {
    let url = format!("{}/api/v1/attachments/{hash}?offset={offset}", link.server);
    let mut attempt = 0;
    loop {
        let result = link
            .http
            .put(&url)
            .bearer_auth(&link.token)
            .header(reqwest::header::CONTENT_TYPE, "application/octet-stream")
            .body(chunk.clone())
            .send();
        let retry_reason = match result {
            Ok(resp) => {
                let status = resp.status();
                if resp.headers().contains_key("homeward-wipe")
                    || status == reqwest::StatusCode::GONE
                {
                    return Ok(Put::Revoked(crate::sync::revocation_statement(
                        resp.headers(),
                    )));
                }
                match status.as_u16() {
                    200 | 409 => match read_bounded(resp, MAX_MESSAGE) {
                        Ok(body) => {
                            let held: Held = serde_json::from_slice(&body).map_err(|e| {
                                FieldError::Network(format!(
                                    "the server's answer about page {hash} is unreadable: {e}"
                                ))
                            })?;
                            return Ok(Put::Held(held));
                        }
                        Err(e @ ReadError::TooLarge(_)) => {
                            return Err(FieldError::Network(format!(
                                "the server's answer about page {hash} is unreadable: {e}"
                            )));
                        }
                        Err(e) => e.to_string(),
                    },
                    404 | 413 | 422 => {
                        let msg = resp.text().unwrap_or_default();
                        return Ok(Put::Skip(format!("{status}: {}", msg.trim())));
                    }
                    _ if status.is_server_error()
                        || status == reqwest::StatusCode::TOO_MANY_REQUESTS =>
                    {
                        format!("the server answered {status}")
                    }
                    _ => {
                        let msg = resp.text().unwrap_or_default();
                        return Err(FieldError::Refused(format!("{status}: {}", msg.trim())));
                    }
                }
            }
            Err(e) => format!("cannot reach the server: {e}"),
        };
        if attempt >= retries {
            return Err(FieldError::Network(format!(
                "{retry_reason}; the pages of copies resume at the last confirmed chunk at the next sync"
            )));
        }
        std::thread::sleep(Duration::from_secs(1 << attempt.min(5)));
        attempt += 1;
        // The server keeps what arrived of a cut chunk: ask where it stands (a few bytes) rather
        // than send the whole chunk again only to be told so by a 409.
        if let Some(held) = held_by_server(link, hash)?
            && held.received != offset
        {
            return Ok(Put::Held(held));
        }
    }
}

/// What the server holds of a page (`GET .../status`), `None` when it could not say (the
/// caller then sends its chunk and learns it from the answer).
fn held_by_server(link: &Link, hash: &str) -> Result<Option<Held>> {
    let url = format!("{}/api/v1/attachments/{hash}/status", link.server);
    let Ok(resp) = link.http.get(&url).bearer_auth(&link.token).send() else {
        return Ok(None);
    };
    if resp.status() != reqwest::StatusCode::OK {
        return Ok(None);
    }
    Ok(read_bounded(resp, MAX_MESSAGE)
        .ok()
        .and_then(|body| serde_json::from_slice(&body).ok()))
}

/// A download's progress, as the callback sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PageFetched {
    /// The page, from 1.
    pub page: usize,
    /// The copy's pages.
    pub pages: usize,
    /// Bytes of this page held so far.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub received: u64,
    /// Its size.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
}

/// What a download did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Fetched {
    /// Pages fetched whole now (those held before are not counted).
    pub pages: usize,
    /// Response body bytes received.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
}

/// Fetches the pages of one copy this phone does not hold (a supervisor's or a CWC member's
/// phone opening a copy taken on a fieldworker's), each resumed from what is held already,
/// calling `progress` as bytes arrive. Pages held before are not fetched again. The app runs
/// it on a second connection ([`Store::reopen`]): the store is never held while bytes travel.
///
/// A page the server does not hold yet is [`FieldError::NotOnServer`]; a cut link after the
/// retries is [`FieldError::Network`], and the next call resumes where this one stopped.
pub fn fetch_attachment(
    store: &mut Store,
    attachment_id: &str,
    opts: &SyncOptions,
    progress: &mut dyn FnMut(&PageFetched),
) -> Result<Fetched> {
    let (_, attachment) = store
        .find_attachment(attachment_id)?
        .ok_or_else(|| FieldError::UnknownAttachment(attachment_id.to_owned()))?;
    let link = Link::for_store(store, opts.server.as_deref(), opts.allow_http)?;
    let mut done = Fetched::default();
    let pages = attachment.pages.len();
    for (i, page) in attachment.pages.iter().enumerate() {
        let Some(held) = store.fetch_from(page)? else {
            continue; // Withdrawn meanwhile: no longer wanted.
        };
        if store.holds_page(&page.hash)? {
            continue;
        }
        let mut report = |received| {
            progress(&PageFetched {
                page: i + 1,
                pages,
                received,
                size: page.size,
            });
        };
        report(held);
        fetch_page(store, &link, page, opts.retries, &mut done, &mut report).map_err(
            |e| match e {
                FieldError::NotOnServer { .. } => FieldError::NotOnServer {
                    attachment: attachment.id.clone(),
                    page: i + 1,
                },
                other => other,
            },
        )?;
        done.pages += 1;
    }
    Ok(done)
}

/// Fetches one page whole into the cache, resuming from what is held, with retries.
fn fetch_page(
    store: &mut Store,
    link: &Link,
    page: &homeward_shared::model::AttachmentPage,
    retries: u32,
    done: &mut Fetched,
    progress: &mut dyn FnMut(u64),
) -> Result<()> {
    let url = format!("{}/api/v1/attachments/{}", link.server, page.hash);
    let mut attempt = 0;
    loop {
        let held = store.fetch_from(page)?.unwrap_or(0);
        if held >= page.size {
            if store.check_fetched(&page.hash)? {
                return Ok(());
            }
            // Whole but not the page named (a server's fault): fetched again from the start.
        } else {
            let mut req = link.http.get(&url).bearer_auth(&link.token);
            if held > 0 {
                req = req.header(reqwest::header::RANGE, format!("bytes={held}-"));
            }
            let failed = match req.send() {
                Err(e) => format!("cannot reach the server: {e}"),
                Ok(resp) => match receive(store, resp, page, held, done, progress)? {
                    None => continue, // Whole, or restarted from 0: look again.
                    Some(why) => why,
                },
            };
            if attempt >= retries {
                return Err(FieldError::Network(format!(
                    "{failed}; the download resumes where it stopped next time"
                )));
            }
            std::thread::sleep(Duration::from_secs(1 << attempt.min(5)));
        }
        attempt += 1;
        if attempt > retries + 1 {
            return Err(FieldError::Network(format!(
                "page {} did not match its hash after download",
                page.hash
            )));
        }
    }
}

/// Reads one answer's body into the cache, piece by piece. `None`: go on (the page is whole,
/// or the server sent it from the start); `Some`: a failure worth a retry.
fn receive(
    store: &mut Store,
    resp: reqwest::blocking::Response,
    page: &homeward_shared::model::AttachmentPage,
    held: u64,
    done: &mut Fetched,
    progress: &mut dyn FnMut(u64),
) -> Result<Option<String>> {
    let status = resp.status();
    let mut offset = match status.as_u16() {
        206 => {
            let start = resp
                .headers()
                .get(reqwest::header::CONTENT_RANGE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("bytes "))
                .and_then(|v| v.split('-').next())
                .and_then(|v| v.trim().parse::<u64>().ok());
            if start != Some(held) {
                store.restart_fetched(&page.hash)?;
                return Ok(Some(format!(
                    "the server sent page {} from another place than asked",
                    page.hash
                )));
            }
            held
        }
        200 => {
            if held > 0 {
                // The whole page, not the rest: what was held goes.
                store.restart_fetched(&page.hash)?;
            }
            0
        }
        404 => {
            return Err(FieldError::NotOnServer {
                attachment: String::new(),
                page: 0,
            });
        }
        416 => {
            store.restart_fetched(&page.hash)?;
            return Ok(None);
        }
        410 => {
            return Err(FieldError::Refused(
                "the server says this device was revoked: sync to see what it keeps".into(),
            ));
        }
        _ if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS => {
            return Ok(Some(format!("the server answered {status}")));
        }
        _ => {
            let msg = resp.text().unwrap_or_default();
            return Err(FieldError::Refused(format!("{status}: {}", msg.trim())));
        }
    };
    let mut body = resp.take(page.size.saturating_sub(offset) + 1);
    let mut piece = vec![0u8; CHUNK_BYTES];
    let mut filled = 0usize;
    let failure = loop {
        match body.read(&mut piece[filled..]) {
            Ok(0) => break None,
            Ok(n) => {
                filled += n;
                done.bytes += u64::try_from(n).unwrap_or(0);
                if filled == piece.len() {
                    offset = store.append_fetched(&page.hash, offset, &piece[..filled])?;
                    filled = 0;
                    progress(offset);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => break Some(format!("the download was cut: {e}")),
        }
    };
    // What arrived before a cut is kept: the next request asks for the rest.
    if filled > 0 {
        offset = store.append_fetched(&page.hash, offset, &piece[..filled])?;
        progress(offset);
    }
    if offset > page.size {
        store.restart_fetched(&page.hash)?;
        return Ok(Some(format!(
            "the server sent more than page {} holds",
            page.hash
        )));
    }
    if let Some(why) = failure {
        return Ok(Some(why));
    }
    if offset < page.size {
        return Ok(Some(format!(
            "the server sent {offset} of the {} bytes of page {}",
            page.size, page.hash
        )));
    }
    Ok(None)
}
