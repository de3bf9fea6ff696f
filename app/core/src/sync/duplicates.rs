//! The one short question asked before a registration ([`DuplicateQuestion`]: is this child
//! already followed on another phone?). Apart from the sync rounds because it shares nothing
//! with them but the enrolled server and the token: it is asked once, with its own short time
//! limits, and never holds the store while it travels.

use std::time::Duration;

use homeward_shared::duplicates::{DuplicateAnswer, DuplicateQuery, Likeness, MAX_REMOTE_MATCHES};
use homeward_shared::model::Profile;

use super::{MAX_MESSAGE, ReadError, enrolled_server, read_bounded};
use crate::error::Result;
use crate::store::Store;

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
