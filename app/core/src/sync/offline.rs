//! What a sync does for a phone that may go without a network (issue 14), apart from the
//! rounds: the revocation it believes only when signed (and the sealed leftover it then
//! writes), the keys a store enrolled before keys existed gets granted once, and the sealed
//! files this phone carries for the server, sent before the rounds.

use super::*;

/// The signed statement a 410 answer carries (`homeward-revocation`, hex), if any.
pub(crate) fn revocation_statement(headers: &reqwest::header::HeaderMap) -> Option<Vec<u8>> {
    headers
        .get("homeward-revocation")
        .and_then(|v| v.to_str().ok())
        .and_then(|h| crate::key::unhex(h.trim()))
}

/// The server answered that this device is revoked. A statement signed by a server key this
/// device trusts, naming this device: everything unconfirmed is sealed to the server in the
/// leftover file and the caller wipes the store ([`Outcome::Revoked`]). Anything else deletes
/// nothing and is an error ([`FieldError::UnverifiedRevocation`]): the store stays as it is.
pub(crate) fn revoked(store: &mut Store, statement: Option<&[u8]>) -> Result<Outcome> {
    let device = store.meta("device_id")?.unwrap_or_default();
    let trusted = store.trusted_server_keys()?;
    let why = match statement {
        None => "it carried no signed statement".to_owned(),
        Some(_) if trusted.is_empty() => "this device holds no key of the server".to_owned(),
        Some(bytes) => match verify_revocation(bytes, &trusted, &device) {
            Ok(revocation) => {
                let entropy = crate::key::random_bytes()?;
                store.write_leftover(bytes, &revocation.revoked_at, entropy)?;
                return Ok(Outcome::Revoked);
            }
            Err(e) => e.to_string(),
        },
    };
    Err(FieldError::UnverifiedRevocation(why))
}

#[derive(Serialize)]
struct KeysRequest {
    keys: String,
}

/// A store enrolled before keys existed (no certificate): makes its keys and asks the server
/// for a grant, once, before the rounds. A server that does not know the route (older) or
/// refuses (409: other keys are registered for this device) leaves the store without a grant,
/// and the sync goes on, as it does when the server cannot be reached (the rounds retry it); a
/// 410 is a revocation.
pub(super) fn grant_keys(store: &mut Store, link: &Link) -> Result<Option<Outcome>> {
    if store.meta("certificate")?.is_some() {
        return Ok(None);
    }
    let keys = store.make_device_keys()?;
    let sent = link
        .http
        .post(format!("{}/api/v1/keys", link.server))
        .bearer_auth(&link.token)
        .json(&KeysRequest {
            keys: keys.public().to_text(),
        })
        .send();
    let Ok(resp) = sent else { return Ok(None) };
    let status = resp.status();
    if resp.headers().contains_key("homeward-wipe") || status == reqwest::StatusCode::GONE {
        let statement = revocation_statement(resp.headers());
        return revoked(store, statement.as_deref()).map(Some);
    }
    if !status.is_success() {
        return Ok(None);
    }
    let grant: KeyGrant = read_bounded(resp, MAX_MESSAGE)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
        .map_err(|e| FieldError::Network(format!("the server's key grant is unreadable: {e}")))?;
    store.keep_grant(&grant)?;
    Ok(None)
}

/// The content type of a sealed file sent to the server.
pub const SEALED_CONTENT_TYPE: &str = "application/vnd.homeward.sealed";

/// Sends the sealed files this phone carries for the server (`POST /api/v1/bundles`), oldest
/// first, before the rounds: a file the server takes leaves the phone; one it refuses (4xx)
/// stays with the reason and is not sent again; a network failure or 5xx keeps the rest for
/// the next sync (the rounds then try the server themselves).
pub(super) fn relay(
    store: &mut Store,
    link: &Link,
    report: &mut SyncReport,
) -> Result<Option<Outcome>> {
    store.relay_leftovers()?;
    let url = format!("{}/api/v1/bundles", link.server);
    for (id, sealed) in store.relay_pending()? {
        let sent = link
            .http
            .post(&url)
            .bearer_auth(&link.token)
            .header(reqwest::header::CONTENT_TYPE, SEALED_CONTENT_TYPE)
            .body(sealed)
            .send();
        let Ok(resp) = sent else { break };
        let status = resp.status();
        if resp.headers().contains_key("homeward-wipe") || status == reqwest::StatusCode::GONE {
            let statement = revocation_statement(resp.headers());
            return revoked(store, statement.as_deref()).map(Some);
        }
        if status.is_success() {
            let receipt: BundleReceipt = read_bounded(resp, MAX_MESSAGE)
                .map_err(|e| e.to_string())
                .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
                .map_err(|e| {
                    FieldError::Network(format!("the server's receipt is unreadable: {e}"))
                })?;
            store.relay_done(&id)?;
            report.relayed.push(Relayed::of(&id, &receipt));
        } else if status.is_client_error() && status != reqwest::StatusCode::TOO_MANY_REQUESTS {
            let msg = read_bounded(resp, MAX_MESSAGE)
                .map(|b| String::from_utf8_lossy(&b).trim().to_owned())
                .unwrap_or_default();
            let reason = format!("{status}: {msg}");
            store.relay_refused(&id, &reason)?;
            report.relay_refused.push((id, reason));
        } else {
            break;
        }
    }
    Ok(None)
}
