//! `POST /api/v1/sms?key=SECRET`: urgent events by SMS from a gateway (issue 14).
//!
//! An SMS gateway (a hosted service or an Android phone running a gateway app) posts each text
//! the server's number receives here, with the secret the deployment set in
//! `HOMEWARD_SMS_SECRET` as `key`. The handler only reads the sender and the text from the
//! gateway's fields; everything else (the check code, the sender's phone, replays, scope, the
//! urgent item) is [`crate::store::Store::receive_sms`]'s.
//!
//! Fields read, form-urlencoded or a JSON object (the first present, in this order):
//! - the sender: `From` (Twilio, Plivo), `msisdn` (Vonage), `sender` or `from` (generic);
//! - the text: `Body` (Twilio), `Text` (Plivo), `text` (Vonage, generic), `message` or
//!   `content` (generic).

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Query, State};
use axum::http::{HeaderMap, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ApiError;

/// The fields a sender's number is read from, in order.
pub const SENDER_FIELDS: [&str; 4] = ["From", "msisdn", "sender", "from"];

/// The fields a text is read from, in order.
pub const TEXT_FIELDS: [&str; 5] = ["Body", "Text", "text", "message", "content"];

/// The gateway's secret, in the address the gateway is given.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GatewayKey {
    /// `HOMEWARD_SMS_SECRET`, as set where the server runs.
    pub key: Option<String>,
}

/// Whether two secrets are equal, in a time that does not depend on where they differ (the
/// digests are compared, so not on their lengths either).
fn same_secret(given: &str, secret: &str) -> bool {
    let (a, b) = (Sha256::digest(given), Sha256::digest(secret));
    a.iter()
        .zip(b.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// The first of `names` present with a value, from the gateway's fields.
fn field(fields: &[(String, String)], names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| {
        fields
            .iter()
            .find(|(k, v)| k == n && !v.trim().is_empty())
            .map(|(_, v)| v.clone())
    })
}

/// The gateway's fields, from a form or a JSON object (a number's digits as text: some
/// gateways send the sender as a JSON number).
async fn fields(headers: &HeaderMap, body: Bytes) -> Result<Vec<(String, String)>, Response> {
    let ctype = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if ctype.starts_with("application/json") {
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&body)
            .map_err(|e| {
                ApiError::BadRequest(format!("the body is not a JSON object: {e}")).into_response()
            })?;
        Ok(map
            .into_iter()
            .filter_map(|(k, v)| match v {
                serde_json::Value::String(s) => Some((k, s)),
                serde_json::Value::Number(n) => Some((k, n.to_string())),
                _ => None,
            })
            .collect())
    } else if ctype.starts_with("application/x-www-form-urlencoded") {
        let req = Request::builder()
            .method("POST")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .map_err(|e| ApiError::Internal(e.to_string()).into_response())?;
        let axum::Form(fields) = axum::Form::<Vec<(String, String)>>::from_request(req, &())
            .await
            .map_err(|e| {
                ApiError::BadRequest(format!("the form does not read: {e}")).into_response()
            })?;
        Ok(fields)
    } else {
        Err((
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the gateway's fields as application/x-www-form-urlencoded or application/json",
        )
            .into_response())
    }
}

/// An urgent event by SMS, posted by an SMS gateway.
///
/// For the gateway that receives the texts of the server's number. The text is one Homeward
/// urgent message (`HW1 S|H <device> <n> <case> <record> ...`, made by `homeward sms`), checked
/// against the named device's SMS key; the sender must be the device's registered phone
/// (compared on the last ten digits). The sender is read from the first of `From` (Twilio,
/// Plivo), `msisdn` (Vonage), `sender` or `from` (generic); the text from the first of `Body`
/// (Twilio), `Text` (Plivo), `text` (Vonage, generic), `message` or `content` (generic). The
/// body is `application/x-www-form-urlencoded` or a JSON object with these fields. An accepted
/// text raises an urgent item for the case's supervisors (nothing new when the same record was
/// raised before or its full record is already on the server) and is answered `ok`. Every
/// refusal is written to the audit log (`sms-refused`).
#[utoipa::path(
    post,
    path = "/api/v1/sms",
    tag = "gateway",
    params(GatewayKey),
    request_body(content = Object, description = "The gateway's fields: a sender (`From`, `msisdn`, `sender` or `from`) and a text (`Body`, `Text`, `text`, `message` or `content`).", content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Accepted.", body = String, content_type = "text/plain", example = "ok"),
        (status = 400, description = "No sender or no text in the fields, a body that is not a form or JSON object, a query that does not deserialize.", body = String, content_type = "text/plain"),
        (status = 403, description = "A missing or wrong gateway key; or the text was refused: an unknown or revoked device, one without an SMS key, a check code that does not match, a sender other than the device's registered phone (or none registered), a case outside the device's scope.", body = String, content_type = "text/plain"),
        (status = 404, description = "No `HOMEWARD_SMS_SECRET` is set (`SMS gateway not configured`), or the case named is not on the server.", body = String, content_type = "text/plain"),
        (status = 409, description = "A message number the device sent before: a replay.", body = String, content_type = "text/plain"),
        (status = 415, description = "A body neither form-urlencoded nor JSON.", body = String, content_type = "text/plain"),
        (status = 422, description = "Not a Homeward urgent message, or one cut short or malformed.", body = String, content_type = "text/plain"),
    )
)]
pub async fn receive(
    State(state): State<AppState>,
    Query(q): Query<GatewayKey>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match take(state, q, headers, body).await {
        Ok(()) => "ok".into_response(),
        Err(e) => e,
    }
}

async fn take(
    state: AppState,
    q: GatewayKey,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(), Response> {
    let Some(secret) = state.sms_secret() else {
        return Err(ApiError::NotFound("SMS gateway not configured".into()).into_response());
    };
    if !q.key.as_deref().is_some_and(|k| same_secret(k, secret)) {
        return Err(ApiError::Forbidden(
            "wrong gateway key: the address must end with ?key= and HOMEWARD_SMS_SECRET".into(),
        )
        .into_response());
    }
    let fields = fields(&headers, body).await?;
    let sender = field(&fields, &SENDER_FIELDS).ok_or_else(|| {
        ApiError::BadRequest("no sender: send it as From, msisdn, sender or from".into())
            .into_response()
    })?;
    let text = field(&fields, &TEXT_FIELDS).ok_or_else(|| {
        ApiError::BadRequest("no text: send it as Body, Text, text, message or content".into())
            .into_response()
    })?;
    let received = state
        .with_store(move |s| s.receive_sms(&sender, &text))
        .await
        .inspect_err(|e| {
            if e.status().is_client_error() {
                tracing::info!(error = %e, "urgent sms refused");
            }
        })
        .map_err(IntoResponse::into_response)?;
    tracing::info!(?received, "urgent sms");
    Ok(())
}
