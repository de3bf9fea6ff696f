//! The server's one error type, and how each variant becomes an HTTP response.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Why a request failed. 4xx messages say what to fix; 5xx bodies say nothing internal (the
/// cause is logged once).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Malformed input.
    #[error("{0}")]
    BadRequest(String),
    /// No or a bad token, or a bad enrolment code.
    #[error("{0}")]
    Unauthorized(String),
    /// Outside the caller's scope.
    #[error("{0}")]
    Forbidden(String),
    /// No such thing (also answered for things outside scope, so scope cannot be probed).
    #[error("{0}")]
    NotFound(String),
    /// Conflicts with what is stored.
    #[error("{0}")]
    Conflict(String),
    /// A body larger than the route takes.
    #[error("{0}")]
    TooLarge(String),
    /// Well-formed but not acceptable (a change that would break the case).
    #[error("{0}")]
    Unprocessable(String),
    /// A pushed case was refused; nothing of the request was stored. The response names the
    /// case in a header so the device can set its changes aside and sync the rest.
    #[error("{source}")]
    CaseRefused {
        /// The case.
        case_id: String,
        /// Why.
        source: Box<ApiError>,
    },
    /// The device was revoked (or its user disabled): it must wipe its store. The answer
    /// carries the server's signed statement, which the device checks before wiping.
    #[error("this device was revoked: wipe its store")]
    Revoked {
        /// A signed [`homeward_shared::bundle::Revocation`] of the device, hex.
        statement: String,
    },
    /// Storage failed.
    #[error("storage: {0}")]
    Storage(#[from] rusqlite::Error),
    /// Anything else that is our fault.
    #[error("internal: {0}")]
    Internal(String),
}

/// The header that names the case of a refused push.
pub const REFUSED_CASE_HEADER: &str = "homeward-refused-case";

/// The header that tells a revoked device to wipe its local store.
pub const WIPE_HEADER: &str = "homeward-wipe";

/// The header of every 410 that carries the server's signed revocation of the device (hex of a
/// [`homeward_shared::seal::Signed`] [`homeward_shared::bundle::Revocation`]): a device wipes
/// only on a statement it verifies.
pub const REVOCATION_HEADER: &str = "homeward-revocation";

impl ApiError {
    /// The HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::CaseRefused { source, .. } => source.status(),
            ApiError::Revoked { .. } => StatusCode::GONE,
            ApiError::Storage(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
            "internal error".to_owned()
        } else {
            self.to_string()
        };
        let mut resp = (status, body).into_response();
        if let ApiError::Revoked { statement } = &self {
            resp.headers_mut()
                .insert(WIPE_HEADER, HeaderValue::from_static("1"));
            if let Ok(v) = HeaderValue::from_str(statement) {
                resp.headers_mut().insert(REVOCATION_HEADER, v);
            }
        }
        if let ApiError::CaseRefused { case_id, .. } = &self
            && let Ok(v) = HeaderValue::from_str(case_id)
        {
            resp.headers_mut().insert(REFUSED_CASE_HEADER, v);
        }
        resp
    }
}
