//! The field client's one error type.

use homeward_shared::schema::SchemaError;

/// Why a field operation failed. Nothing of a failed edit is written.
#[derive(Debug, thiserror::Error)]
pub enum FieldError {
    /// Input a person can correct: a bad date, an unknown id or status, a corrupt file.
    #[error("{0}")]
    BadInput(String),
    /// The PIN does not open this store.
    #[error("wrong PIN for the store in {0}")]
    WrongPin(String),
    /// No store in this folder yet.
    #[error("no Homeward store in {0}: run `homeward init` first")]
    NotInitialised(String),
    /// `init` where a store already exists.
    #[error("a Homeward store already exists in {0}")]
    AlreadyInitialised(String),
    /// No case with this id (or prefix).
    #[error("no case '{0}' in this store")]
    UnknownCase(String),
    /// A case id prefix that matches several cases.
    #[error("case id '{0}' is ambiguous: it starts {1} cases; give more characters")]
    AmbiguousCase(String, usize),
    /// A stored document that no longer reads (should never happen; the store is left as is).
    #[error("stored case {id} is damaged: {source}")]
    Damaged {
        /// The case.
        id: String,
        /// What failed.
        source: SchemaError,
    },
    /// SQLite failed.
    #[error("storage: {0}")]
    Storage(#[from] rusqlite::Error),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What failed.
        source: std::io::Error,
    },
    /// The server could not be reached or answered with an error of its own (retried first).
    #[error("sync: {0}")]
    Network(String),
    /// The server refused the request (a 4xx answer): nothing of it was stored.
    #[error("the server refused the sync: {0}")]
    Refused(String),
    /// The operating system gave no randomness.
    #[error("no randomness available: {0}")]
    Random(String),
}

impl FieldError {
    /// Whether the person at the keyboard can fix this by changing what they typed (exit 2).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            FieldError::BadInput(_)
                | FieldError::WrongPin(_)
                | FieldError::UnknownCase(_)
                | FieldError::AmbiguousCase(..)
                | FieldError::AlreadyInitialised(_)
                | FieldError::NotInitialised(_)
        )
    }

    /// A stable name for the kind of failure, for screens that word it in their own language:
    /// `bad_input`, `wrong_pin`, `not_initialised`, `unknown_case`, `network`, `refused`,
    /// `damaged` or `internal`.
    pub fn kind(&self) -> &'static str {
        match self {
            FieldError::BadInput(_)
            | FieldError::AmbiguousCase(..)
            | FieldError::AlreadyInitialised(_) => "bad_input",
            FieldError::WrongPin(_) => "wrong_pin",
            FieldError::NotInitialised(_) => "not_initialised",
            FieldError::UnknownCase(_) => "unknown_case",
            FieldError::Network(_) => "network",
            FieldError::Refused(_) => "refused",
            FieldError::Damaged { .. } => "damaged",
            FieldError::Storage(_) | FieldError::Io { .. } | FieldError::Random(_) => "internal",
        }
    }

    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> FieldError {
        FieldError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

impl From<SchemaError> for FieldError {
    /// An edit refused by the schema is bad input; the caller names the case where it matters.
    fn from(e: SchemaError) -> Self {
        FieldError::BadInput(e.to_string())
    }
}

/// Results of the field client.
pub type Result<T, E = FieldError> = std::result::Result<T, E>;
