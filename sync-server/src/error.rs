//! The server's one error type, and how each variant becomes an HTTP response.

use crate::store::db::DbError;
use axum::http::{HeaderValue, StatusCode, header};
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
    /// Storage failed (the database, not a refusal): 503 when it was only busy, else 500.
    #[error("storage: {0}")]
    Storage(#[from] StorageError),
    /// Anything else that is our fault.
    #[error("internal: {0}")]
    Internal(String),
}

/// A failure of the database itself, whatever the backend: the store's methods answer refusals
/// (not found, out of scope, conflicts) as [`ApiError`]s of their own, and this only for a
/// database that could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// Another writer held the database for longer than the wait allows: worth a retry (the
    /// phone retries a 503 by itself).
    #[error("the database is busy: {0}")]
    Busy(String),
    /// Anything else the database (SQLite or PostgreSQL) reported.
    #[error("database: {0}")]
    Database(DbError),
}

impl From<DbError> for StorageError {
    fn from(e: DbError) -> StorageError {
        if e.is_busy() {
            StorageError::Busy(e.to_string())
        } else {
            StorageError::Database(e)
        }
    }
}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> StorageError {
        DbError::from(e).into()
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> ApiError {
        ApiError::Storage(e.into())
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> ApiError {
        ApiError::Storage(e.into())
    }
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
            ApiError::Storage(StorageError::Busy(_)) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Storage(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let body = if status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::warn!(error = %self, "busy");
            "the server is busy: try again in a few seconds".to_owned()
        } else if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
            "internal error".to_owned()
        } else {
            self.to_string()
        };
        let mut resp = (status, body).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A write that waited too long for another writer answers 503 with Retry-After (the phone
    /// retries it); any other storage failure is a 500 that names nothing internal.
    #[test]
    fn a_busy_database_answers_503_and_other_storage_failures_500() {
        let tmp = tempfile::tempdir().expect("tmp");
        let path = tmp.path().join("busy.db");
        let holder = rusqlite::Connection::open(&path).expect("opens");
        holder
            .execute_batch("PRAGMA journal_mode = WAL; BEGIN IMMEDIATE;")
            .expect("holds the write lock");
        let other = rusqlite::Connection::open(&path).expect("opens");
        other
            .busy_timeout(std::time::Duration::ZERO)
            .expect("no wait");
        let busy: ApiError = other
            .execute_batch("BEGIN IMMEDIATE;")
            .expect_err("the lock is held")
            .into();
        assert!(
            matches!(busy, ApiError::Storage(StorageError::Busy(_))),
            "{busy:?}"
        );
        let resp = busy.into_response();
        assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            resp.headers()
                .get(header::RETRY_AFTER)
                .map(HeaderValue::as_bytes),
            Some(&b"5"[..])
        );
        let broken: ApiError = other
            .execute_batch("SELECT * FROM no_such_table;")
            .expect_err("no table")
            .into();
        assert!(matches!(
            broken,
            ApiError::Storage(StorageError::Database(_))
        ));
        let resp = broken.into_response();
        assert_eq!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(resp.headers().get(header::RETRY_AFTER).is_none());
    }
}
