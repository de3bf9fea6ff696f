//! The device routes of issue 14's keys and bundles: `POST /api/v1/keys` (a device enrolled
//! before keys existed gives its public keys and receives its grant) and `POST
//! /api/v1/bundles` (a phone relays a sealed file it carries). The rules are the store's
//! ([`crate::store::Store::import_bundle`]); these handlers only authenticate and read bodies.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::HeaderMap;
use homeward_shared::bundle::{BundleReceipt, KeyGrant};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::store::Via;
use crate::{ApiError, AppState, bearer};

/// The content type of a sealed file.
pub const SEALED_CONTENT_TYPE: &str = "application/vnd.homeward.sealed";

/// The largest sealed file taken over HTTP (a device's bundle: its unconfirmed changes, as one
/// sync request may carry, and the pages of copies made on it).
pub const MAX_BUNDLE: usize = 32 * 1024 * 1024;

/// The number urgent SMS go to, given to devices in their grant: `HOMEWARD_SMS_NUMBER` when set.
pub fn sms_number() -> Option<String> {
    std::env::var("HOMEWARD_SMS_NUMBER")
        .ok()
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
}

/// A device's public keys.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct KeysRequest {
    /// The device's public keys as text (`hwkey1:` then 128 hex digits).
    pub keys: String,
}

/// Give this device's public keys (once) and receive its grant.
///
/// For a device enrolled before keys existed: its first sync after the upgrade calls this once.
/// The grant carries the server's keys (oldest first), the device's certificate signed by the
/// server, its SMS key and the number urgent SMS go to. The same keys again answer the same
/// grant; other keys once set are refused.
#[utoipa::path(
    post,
    path = "/api/v1/keys",
    tag = "device",
    security(("device" = [])),
    request_body(content = KeysRequest, content_type = "application/json"),
    responses(
        (status = 200, description = "A KeyGrant: `{server_keys, certificate, sms_key, sms_number}`.", body = Object, content_type = "application/json"),
        (status = 400, description = "Not JSON (axum's rejection), or not a Homeward public key.", body = String, content_type = "text/plain"),
        (status = 401, description = "A missing or unknown device token.", body = String, content_type = "text/plain"),
        (status = 409, description = "The device already has other keys (they change only with a new enrolment).", body = String, content_type = "text/plain"),
        (status = 410, description = "The device was revoked (or its user disabled): it must wipe its local store once it has verified the signed statement.", body = String, content_type = "text/plain",
            headers(("homeward-wipe" = String, description = "Always `1`."),
                    ("homeward-revocation" = String, description = "The server's signed revocation of the device, hex."))),
        (status = 413, description = "A body over the form limit.", body = String, content_type = "text/plain"),
        (status = 415, description = "No `Content-Type: application/json` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "JSON of the wrong shape (axum's rejection).", body = String, content_type = "text/plain"),
    )
)]
pub(crate) async fn keys(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(req): Json<KeysRequest>,
) -> Result<Json<KeyGrant>, ApiError> {
    let token = bearer(&headers)?;
    let number = sms_number();
    let grant = state
        .with_store(move |s| {
            let device = s.authenticate(&token)?;
            s.set_keys(&device, &req.keys, number.as_deref())
        })
        .await?;
    Ok(Json(grant))
}

/// Relay a sealed file this phone carries (a bundle of another device, or a case exported to
/// the server) for the server to import.
///
/// The file is checked as a whole first: opened with a server key, its signature checked
/// against the author device's registered keys, its author not revoked when it was made, not
/// older than a bundle already imported from that device. Then each case is stored or refused
/// as if its author had pushed it in a sync; the receipt says which. The same file again
/// answers the first receipt with `already: true` and stores nothing.
#[utoipa::path(
    post,
    path = "/api/v1/bundles",
    tag = "device",
    security(("device" = [])),
    request_body(content = Vec<u8>, description = "The sealed file (`HWSEAL1`), as made by the phone.", content_type = "application/vnd.homeward.sealed"),
    responses(
        (status = 200, description = "A BundleReceipt: `{bundle, kind, device, user_name, seq, already, cases: [{case, changes, refused}], outcomes, pages}`.", body = Object, content_type = "application/json"),
        (status = 401, description = "A missing or unknown device token.", body = String, content_type = "text/plain"),
        (status = 403, description = "The author was revoked before it made the file, the file names another device than its signer, or a revoked device's leftover relayed by a phone that is not a newer one of the same user; nothing was stored.", body = String, content_type = "text/plain"),
        (status = 409, description = "Older than a bundle already imported from that device; nothing was stored.", body = String, content_type = "text/plain"),
        (status = 410, description = "The relaying device was revoked (or its user disabled).", body = String, content_type = "text/plain",
            headers(("homeward-wipe" = String, description = "Always `1`."),
                    ("homeward-revocation" = String, description = "The server's signed revocation of the device, hex."))),
        (status = 413, description = "A file over the bundle limit.", body = String, content_type = "text/plain"),
        (status = 422, description = "Damaged, not sealed to a key of this server (or to a retired one), badly signed, or by an unknown device; nothing was stored.", body = String, content_type = "text/plain"),
    )
)]
pub(crate) async fn relay(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<BundleReceipt>, ApiError> {
    // Who is asking comes first: an unknown caller's body is never read.
    let token = bearer(&headers)?;
    let device = state.with_store(move |s| s.authenticate(&token)).await?;
    let body = axum::body::to_bytes(body, MAX_BUNDLE).await.map_err(|_| {
        ApiError::TooLarge(format!("a sealed file may take at most {MAX_BUNDLE} bytes"))
    })?;
    let via = Via::Relay {
        device: device.device_id,
    };
    let receipt = state
        .with_store(move |s| s.import_bundle(&body, via))
        .await?;
    tracing::info!(bundle = %receipt.bundle, device = %receipt.device, already = receipt.already, "bundle relayed");
    Ok(Json(receipt))
}
