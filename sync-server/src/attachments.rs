//! The device API for the bytes of copies of documents (issue 15): `PUT`, `GET` and the status
//! of `/api/v1/attachments/{hash}`, with the device's bearer token as for `/api/v1/sync`. The
//! rules (scope, chunks, one copy per hash, the hash checked) are the store's
//! ([`crate::store::Store::put_chunk`]); here the requests and answers.
//!
//! A page travels in chunks of at most `2 * CHUNK_BYTES` bytes, each at the offset the server
//! holds (`409` with the server's `received` otherwise, so a phone whose link was cut resumes
//! there). A chunk cut mid-way keeps the bytes that arrived, so neither a lost link nor a phone
//! stopping a chunk to send a visit first costs a byte twice. A download may ask
//! `Range: bytes=N-` (206) to resume too.

use axum::Json;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use homeward_shared::attachment::{CHUNK_BYTES, is_hash};
use homeward_shared::model::MediaType;
use serde::Deserialize;

use crate::error::ApiError;
use crate::store::{Put, UploadStatus};
use crate::{AppState, bearer};

/// The most bytes one `PUT` may carry: twice the phone's chunk.
pub const MAX_CHUNK: usize = 2 * CHUNK_BYTES;

/// Where a chunk goes.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OffsetQuery {
    /// The chunk's first byte in the page: what the server holds of it (`received`).
    offset: u64,
}

fn page_hash(hash: &str) -> Result<(), ApiError> {
    if is_hash(hash) {
        Ok(())
    } else {
        Err(ApiError::NotFound(format!(
            "no page {hash}: a page is named by 64 lowercase hexadecimal digits"
        )))
    }
}

/// Upload one chunk of a page.
///
/// The page must be a standing page of a copy of a case the device's user may write, known to
/// the server from a pushed case (records first). When the chunk completes the page, its
/// SHA-256 and its type are checked: the page is then kept once, whichever cases list it.
#[utoipa::path(
    put,
    path = "/api/v1/attachments/{hash}",
    tag = "device",
    security(("device" = [])),
    params(("hash" = String, Path, description = "The page's SHA-256, 64 lowercase hexadecimal digits."), OffsetQuery),
    request_body(content = crate::api_doc::Bytes, description = "The chunk's bytes (at most 65,536).", content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "Taken, or the page was complete already (nothing stored twice).", body = UploadStatus),
        (status = 400, description = "No offset, one that is not a whole number, or a path segment that is not UTF-8 (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 401, description = "A missing or unknown device token.", body = String, content_type = "text/plain"),
        (status = 404, description = "No standing page of a case the device's user may write has this hash (or it is not a hash).", body = String, content_type = "text/plain"),
        (status = 409, description = "The offset is not what the server holds: resume at `received`.", body = UploadStatus),
        (status = 410, description = "The device was revoked (or its user disabled): it must wipe its local store.", body = String, content_type = "text/plain",
            headers(("homeward-wipe" = String, description = "Always `1`."),
                    ("homeward-revocation" = String, description = "The server's signed revocation of the device, hex: a device wipes only on one it verifies."))),
        (status = 413, description = "A chunk over 65,536 bytes.", body = String, content_type = "text/plain"),
        (status = 422, description = "A chunk past the page's size, or a page whose bytes, once whole, do not have its hash or its type: they were dropped, send it again from 0.", body = String, content_type = "text/plain"),
    )
)]
pub async fn put_chunk(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(hash): Path<String>,
    Query(q): Query<OffsetQuery>,
    body: Body,
) -> Response {
    match put(state, headers, hash, q.offset, body).await {
        Ok(Put::Taken(status)) => Json(status).into_response(),
        Ok(Put::WrongOffset(status)) => (StatusCode::CONFLICT, Json(status)).into_response(),
        Ok(Put::Mismatch(why)) => ApiError::Unprocessable(why).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn put(
    state: AppState,
    headers: HeaderMap,
    hash: String,
    offset: u64,
    body: Body,
) -> Result<Put, ApiError> {
    // Who is asking comes first: an unknown caller's body is never read.
    let token = bearer(&headers)?;
    let device = state.with_store(move |s| s.authenticate(&token)).await?;
    page_hash(&hash)?;
    let (bytes, cut) = read_chunk(body).await?;
    if cut && bytes.is_empty() {
        return Err(ApiError::BadRequest(
            "the chunk was cut before any byte arrived".into(),
        ));
    }
    // A chunk cut mid-way (the link lost, or the phone stopping it to send a visit first) keeps
    // what arrived: the phone resumes after it, told by a 409, and sends no byte twice.
    state
        .with_store(move |s| s.put_chunk(&device, &hash, offset, &bytes))
        .await
}

/// The chunk's bytes, read frame by frame up to [`MAX_CHUNK`], and whether the body was cut
/// before its end (its bytes so far are kept all the same).
async fn read_chunk(mut body: Body) -> Result<(Vec<u8>, bool), ApiError> {
    use http_body_util::BodyExt;
    let mut bytes = Vec::new();
    loop {
        match body.frame().await {
            None => return Ok((bytes, false)),
            Some(Err(_)) => return Ok((bytes, true)),
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    if bytes.len() + data.len() > MAX_CHUNK {
                        return Err(ApiError::TooLarge(format!(
                            "a chunk may carry at most {MAX_CHUNK} bytes"
                        )));
                    }
                    bytes.extend_from_slice(&data);
                }
            }
        }
    }
}

/// Where the upload of a page stands.
#[utoipa::path(
    get,
    path = "/api/v1/attachments/{hash}/status",
    tag = "device",
    security(("device" = [])),
    params(("hash" = String, Path, description = "The page's SHA-256, 64 lowercase hexadecimal digits.")),
    responses(
        (status = 200, description = "What the server holds of the page.", body = UploadStatus),
        (status = 400, description = "A path segment that is not UTF-8 (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 401, description = "A missing or unknown device token.", body = String, content_type = "text/plain"),
        (status = 404, description = "No page of a case the device's user may read or write has this hash.", body = String, content_type = "text/plain"),
        (status = 410, description = "The device was revoked (or its user disabled): it must wipe its local store.", body = String, content_type = "text/plain",
            headers(("homeward-wipe" = String, description = "Always `1`."),
                    ("homeward-revocation" = String, description = "The server's signed revocation of the device, hex: a device wipes only on one it verifies."))),
    )
)]
pub async fn status(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(hash): Path<String>,
) -> Result<Json<UploadStatus>, ApiError> {
    let token = bearer(&headers)?;
    let device = state.with_store(move |s| s.authenticate(&token)).await?;
    page_hash(&hash)?;
    let status = state
        .with_store(move |s| s.upload_status(&device, &hash))
        .await?;
    Ok(Json(status))
}

/// Download a page (audited).
///
/// For a device whose user may read a case listing the page: a fieldworker the cases they
/// hold, a supervisor or CWC member the cases of their areas. `Range: bytes=N-` resumes a
/// download cut short. Every download is written to the audit log (`copy-download`: who, the
/// case, the hash).
#[utoipa::path(
    get,
    path = "/api/v1/attachments/{hash}",
    tag = "device",
    security(("device" = [])),
    params(
        ("hash" = String, Path, description = "The page's SHA-256, 64 lowercase hexadecimal digits."),
        ("range" = Option<String>, Header, description = "`bytes=N-`: the page from byte N (other forms are ignored: the whole page)."),
    ),
    responses(
        (status = 200, description = "The page, with its media type.", content(
            (crate::api_doc::Bytes = "image/jpeg"), (crate::api_doc::Bytes = "image/png"),
            (crate::api_doc::Bytes = "image/webp"), (crate::api_doc::Bytes = "application/pdf"))),
        (status = 206, description = "The page from byte N.", content(
            (crate::api_doc::Bytes = "image/jpeg"), (crate::api_doc::Bytes = "image/png"),
            (crate::api_doc::Bytes = "image/webp"), (crate::api_doc::Bytes = "application/pdf")),
            headers(("content-range" = String, description = "`bytes N-LAST/SIZE`."))),
        (status = 400, description = "A path segment that is not UTF-8 (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 401, description = "A missing or unknown device token.", body = String, content_type = "text/plain"),
        (status = 404, description = "No page of a case the device's user may read has this hash, or its bytes have not arrived yet.", body = String, content_type = "text/plain"),
        (status = 410, description = "The device was revoked (or its user disabled): it must wipe its local store.", body = String, content_type = "text/plain",
            headers(("homeward-wipe" = String, description = "Always `1`."),
                    ("homeward-revocation" = String, description = "The server's signed revocation of the device, hex: a device wipes only on one it verifies."))),
        (status = 416, description = "N is at or past the page's end.", body = String, content_type = "text/plain",
            headers(("content-range" = String, description = "`bytes */SIZE`."))),
    )
)]
pub async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(hash): Path<String>,
) -> Response {
    let from = range_start(&headers);
    let page = async {
        let token = bearer(&headers)?;
        let device = state.with_store(move |s| s.authenticate(&token)).await?;
        page_hash(&hash)?;
        state
            .with_store(move |s| s.download_page(&device, &hash))
            .await
    }
    .await;
    let page = match page {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let size = page.bytes.len();
    let mut resp = match from {
        Some(n) if n >= size => {
            let mut r = (
                StatusCode::RANGE_NOT_SATISFIABLE,
                format!("the page has {size} bytes"),
            )
                .into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return r;
        }
        Some(n) => {
            let mut r = (StatusCode::PARTIAL_CONTENT, page.bytes[n..].to_vec()).into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("bytes {n}-{}/{size}", size - 1)) {
                r.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            r
        }
        None => (StatusCode::OK, page.bytes).into_response(),
    };
    page_headers(resp.headers_mut(), page.media_type);
    resp
}

/// `Range: bytes=N-` as N; `None` for no header or any other form (answered whole).
fn range_start(headers: &HeaderMap) -> Option<usize> {
    headers
        .get(header::RANGE)?
        .to_str()
        .ok()?
        .strip_prefix("bytes=")?
        .strip_suffix('-')?
        .parse()
        .ok()
}

/// The headers a page's bytes go with, to a device or the dashboard: its stored type, shown
/// inline, never sniffed as anything else, never cached; a PDF in a sandbox (no script of it
/// runs with this origin's rights).
pub(crate) fn page_headers(headers: &mut HeaderMap, media_type: MediaType) {
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media_type.mime()),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(if media_type.is_image() {
            "default-src 'none'; img-src 'self'; frame-ancestors 'none'"
        } else {
            "sandbox; default-src 'none'; frame-ancestors 'none'"
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_is_read_as_bytes_from_n_only() {
        let with = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(header::RANGE, HeaderValue::from_str(v).expect("a value"));
            range_start(&h)
        };
        assert_eq!(with("bytes=0-"), Some(0));
        assert_eq!(with("bytes=32768-"), Some(32768));
        assert_eq!(with("bytes=0-99"), None);
        assert_eq!(with("bytes=-500"), None);
        assert_eq!(with("items=3-"), None);
        assert_eq!(range_start(&HeaderMap::new()), None);
    }
}
