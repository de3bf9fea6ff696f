//! The commands of copies of the checklist's documents (issue 15): attach the pages of a copy,
//! list a case's copies, read one page's bytes to show it, withdraw a wrong copy, and fetch on
//! demand a copy taken on another phone. Apart from `commands.rs` by concern, and as thin: the
//! reduction of a photo, the limits, the encrypted bytes and the transfer are homeward-field's.
//!
//! Page bytes never cross the window as JSON arrays of numbers: `attach` takes Tauri 2's raw
//! IPC body (the pages one after another, their sizes in a header), and `attachment_page`
//! answers raw bytes (`tauri::ipc::Response`), which the window turns into a blob URL.

use chrono::NaiveDate;
use homeward_field::attachments_sync::{self, Fetched, PageFetched};
use homeward_field::store::AttachmentView;
use homeward_field::sync::{self, SyncOptions};
use homeward_shared::model::DocumentKind;
use tauri::http::HeaderMap;
use tauri::ipc::{Channel, InvokeBody, Request, Response};
use tauri::{AppHandle, State};

use crate::commands::{Answer, App, CmdError, blocking};

/// The headers `attach` reads beside its raw body (the window's `api.attach` sets them).
const CASE: &str = "homeward-case";
const KIND: &str = "homeward-kind";
const TAKEN_ON: &str = "homeward-taken-on";
/// The size of each page in bytes, comma-separated, in the body's order.
const PAGE_SIZES: &str = "homeward-page-sizes";

/// What `attach` was sent, unpacked: the case, the checklist item, the day and the pages.
#[derive(Debug, PartialEq, Eq)]
struct NewCopy {
    case_id: String,
    kind: DocumentKind,
    taken_on: NaiveDate,
    pages: Vec<Vec<u8>>,
}

/// Reads `attach`'s headers and cuts its raw body into pages; a body that is not raw bytes, or
/// whose length is not the sum of the sizes, is refused as bad input.
fn new_copy(body: &InvokeBody, headers: &HeaderMap) -> Result<NewCopy, CmdError> {
    let header = |name: &str| -> Result<&str, CmdError> {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| CmdError::new("bad_input", format!("the header {name} is missing")))
    };
    let bad = |what: String| CmdError::new("bad_input", what);
    let case_id = header(CASE)?.to_owned();
    let kind: DocumentKind = header(KIND)?
        .parse()
        .map_err(|e| bad(format!("{KIND}: {e}")))?;
    let taken_on: NaiveDate = header(TAKEN_ON)?
        .parse()
        .map_err(|e| bad(format!("{TAKEN_ON}: {e}")))?;
    let sizes = header(PAGE_SIZES)?
        .split(',')
        .map(|s| s.trim().parse::<usize>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| bad(format!("{PAGE_SIZES}: {e}")))?;
    let InvokeBody::Raw(body) = body else {
        return Err(bad("the pages must come as raw bytes".into()));
    };
    if sizes.iter().sum::<usize>() != body.len() {
        return Err(bad(format!(
            "the pages' sizes add up to {} bytes, the body holds {}",
            sizes.iter().sum::<usize>(),
            body.len()
        )));
    }
    let mut pages = Vec::with_capacity(sizes.len());
    let mut at = 0;
    for size in sizes {
        pages.push(body[at..at + size].to_vec());
        at += size;
    }
    Ok(NewCopy {
        case_id,
        kind,
        taken_on,
        pages,
    })
}

/// Attaches a copy of a checklist document to a case, its pages in one raw body (a photo is
/// reduced to a readable scan, a PDF kept as it is), and returns the case's copies as they now
/// stand. Beyond the programme's limits or with a page that is not a photo or a PDF, nothing is
/// stored and the refusal says why.
#[tauri::command]
pub async fn attach(handle: AppHandle, request: Request<'_>) -> Answer<Vec<AttachmentView>> {
    let copy = new_copy(request.body(), request.headers())?;
    blocking(handle, move |app| {
        app.with_store(|s| {
            s.attach(&copy.case_id, copy.kind, copy.pages, copy.taken_on)?;
            s.attachments(&copy.case_id)
        })
    })
    .await
}

/// A case's copies, withdrawn ones included, with which pages this phone holds and what waits
/// for the upload.
#[tauri::command]
pub async fn attachments(handle: AppHandle, id: String) -> Answer<Vec<AttachmentView>> {
    blocking(handle, move |app| app.with_store(|s| s.attachments(&id))).await
}

/// One page of a copy (`page` from 0) as raw bytes; `not_held` when this phone does not hold
/// it (taken on another phone and not fetched: `fetch_attachment` brings it).
#[tauri::command]
pub async fn attachment_page(handle: AppHandle, id: String, page: usize) -> Answer<Response> {
    blocking(handle, move |app| {
        match app.with_store(|s| s.attachment_page(&id, page))? {
            Some((_, bytes)) => Ok(Response::new(bytes)),
            None => Err(CmdError::new(
                "not_held",
                format!("page {} of copy {id} is not on this phone", page + 1),
            )),
        }
    })
    .await
}

/// Withdraws a wrong copy with the reason, as the user, on `on`; its bytes leave this phone at
/// once. Returns the case's copies as they now stand.
#[tauri::command]
pub async fn withdraw_attachment(
    handle: AppHandle,
    id: String,
    attachment_id: String,
    reason: String,
    on: NaiveDate,
) -> Answer<Vec<AttachmentView>> {
    blocking(handle, move |app| {
        app.with_store(|s| {
            s.withdraw_attachment(&id, &attachment_id, &reason, on)?;
            s.attachments(&id)
        })
    })
    .await
}

/// Downloads the pages of one copy this phone does not hold, with progress on `progress`, on a
/// second connection to the store: the screens keep working while bytes cross a slow link, and
/// a cut download resumes where it stopped at the next try.
#[tauri::command]
pub async fn fetch_attachment(
    app: State<'_, App>,
    id: String,
    progress: Channel<PageFetched>,
) -> Answer<Fetched> {
    let mut second = app.with_store(|s| s.reopen())?;
    tauri::async_runtime::spawn_blocking(move || {
        let opts = SyncOptions {
            allow_http: sync::allow_http_from_env(),
            ..SyncOptions::default()
        };
        attachments_sync::fetch_attachment(&mut second, &id, &opts, &mut |p| {
            // A closed window is no reason to stop a download.
            let _ = progress.send(p.clone());
        })
    })
    .await
    .map_err(|e| CmdError::new("internal", format!("the download stopped: {e}")))?
    .map_err(CmdError::from)
}

#[cfg(test)]
mod tests {
    use tauri::http::HeaderValue;

    use super::*;

    // `Request` has no public constructor: its parts are unpacked as `attach` unpacks them.
    fn request_with(body: &InvokeBody, headers: &HeaderMap) -> Result<NewCopy, CmdError> {
        new_copy(body, headers)
    }

    fn headers(sizes: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(CASE, HeaderValue::from_static("00c0ffee00c0ffee"));
        h.insert(KIND, HeaderValue::from_static("fir"));
        h.insert(TAKEN_ON, HeaderValue::from_static("2026-11-20"));
        h.insert(PAGE_SIZES, HeaderValue::from_str(sizes).expect("ascii"));
        h
    }

    #[test]
    fn a_raw_body_is_cut_into_pages_by_the_sizes_given() {
        let body = InvokeBody::Raw(b"aaabbbbbc".to_vec());
        let copy = request_with(&body, &headers("3,5,1")).expect("the sizes add up");
        assert_eq!(copy.case_id, "00c0ffee00c0ffee");
        assert_eq!(copy.kind, DocumentKind::Fir);
        assert_eq!(
            copy.taken_on,
            NaiveDate::from_ymd_opt(2026, 11, 20).expect("a day")
        );
        assert_eq!(
            copy.pages,
            vec![b"aaa".to_vec(), b"bbbbb".to_vec(), b"c".to_vec()],
            "each page is its own bytes, in the order sent"
        );
    }

    #[test]
    fn sizes_that_do_not_add_up_to_the_body_are_refused() {
        let body = InvokeBody::Raw(b"aaabbbbbc".to_vec());
        for sizes in ["3,5", "3,5,2", "x", ""] {
            let e = request_with(&body, &headers(sizes)).expect_err(sizes);
            assert_eq!(
                e.kind(),
                "bad_input",
                "sizes {sizes:?}: nothing is attached"
            );
        }
    }

    #[test]
    fn pages_sent_as_json_are_refused() {
        let body = InvokeBody::Json(serde_json::json!([1, 2, 3]));
        let e = request_with(&body, &headers("3")).expect_err("json is not raw bytes");
        assert_eq!(e.kind(), "bad_input");
    }

    #[test]
    fn a_missing_header_is_named() {
        let body = InvokeBody::Raw(b"abc".to_vec());
        let mut h = headers("3");
        h.remove(KIND);
        let e = request_with(&body, &h).expect_err("no kind");
        assert!(e.message().contains(KIND), "{}", e.message());
    }
}
