//! The field client's one error type.

use homeward_shared::attachment::AttachProblem;
use homeward_shared::schema::SchemaError;

use crate::key::PinProblem;
use crate::scan::ScanProblem;

/// Why a field operation failed. Nothing of a failed edit is written.
#[derive(Debug, thiserror::Error)]
pub enum FieldError {
    /// Input a person can correct: a bad date, an unknown id or status, a corrupt file.
    #[error("{0}")]
    BadInput(String),
    /// The case document refused an edit (a date in the future, a second open claim for a
    /// scheme...): nothing was written. Kept typed, so screens and the command line word it in
    /// their language (`homeward_shared::refusal`).
    #[error("{0}")]
    EditRefused(SchemaError),
    /// The PIN does not open this store. `wait`: seconds before the next try is allowed.
    #[error("wrong PIN for the store in {dir}{}", wait_note(*.wait))]
    WrongPin {
        /// The data folder, or "this device".
        dir: String,
        /// Seconds to wait before the next try, after too many wrong PINs in a row.
        wait: Option<u64>,
    },
    /// Too many wrong PINs in a row: no PIN is tried before the delay is over.
    #[error("too many wrong PINs in a row: try again in {0} seconds")]
    TryLater(u64),
    /// The programme's `wipe_after_failures` wrong PINs in a row erased the store.
    #[error(
        "{failures} wrong PINs in a row: the store in {dir} was erased, as the programme file asks ([unlock] wipe_after_failures); set the device up again with a new enrolment code"
    )]
    Erased {
        /// The data folder.
        dir: String,
        /// Wrong PINs in a row.
        failures: u32,
    },
    /// A new PIN that is too short or too easy to guess.
    #[error("{0}")]
    WeakPin(PinProblem),
    /// The device secret cannot be had: no keystore, another keystore, or a copied folder.
    #[error("{0}")]
    Keystore(String),
    /// The server said this device was revoked, and work made here never reached it: the
    /// store is kept and no longer syncs.
    #[error(
        "this device was revoked by its server on {at}; it no longer syncs. {changes} changes and {outcomes} spot-check outcomes made here never reached the server and are kept on this device: show it to your supervisor"
    )]
    Revoked {
        /// When the revocation arrived.
        at: String,
        /// Changes made here, unconfirmed or set aside.
        changes: usize,
        /// Spot-check outcomes recorded here and not recorded by the server.
        outcomes: usize,
    },
    /// The server answered that this device was revoked, but with no statement this device
    /// can verify (none, or not signed by a server key it trusts, or naming another device):
    /// nothing was deleted, and the next sync asks again.
    #[error(
        "the server answered that this device was revoked, but that answer could not be verified ({0}): nothing was deleted, the records on this device are kept and the next sync asks again; if it keeps happening, tell your supervisor"
    )]
    UnverifiedRevocation(String),
    /// No store in this folder yet.
    #[error("no Homeward store in {0}: run `homeward init` first")]
    NotInitialised(String),
    /// `init` where a store already exists.
    #[error("a Homeward store already exists in {0}")]
    AlreadyInitialised(String),
    /// No case with this id (or prefix).
    #[error("no case '{0}' in this store")]
    UnknownCase(String),
    /// A referral to a resource the phone's map does not hold (never synced, or another
    /// block's): typed, so the app and the command line word it in their language.
    #[error(
        "resource '{0}' is not on this phone's resource map: sync first, then choose one from the map"
    )]
    ResourceNotHeld(String),
    /// A referral to a resource the Core Team marked inactive (it no longer takes referrals).
    #[error("{name} ({id}) no longer takes referrals: choose another from the map")]
    ResourceInactive {
        /// The resource's id.
        id: String,
        /// Its name.
        name: String,
    },
    /// A copy beyond the programme's limits (pages, a file's size, a case's total), or with no
    /// page: nothing was written. Typed, so screens and the command line word it.
    #[error("{0}")]
    Attach(AttachProblem),
    /// A file given as a page that cannot be one (not a JPEG, PNG, WebP or PDF, unreadable, too
    /// large to reduce): nothing was written.
    #[error("page {page}: {problem}")]
    Scan {
        /// The page, from 1 (the file's place among those given).
        page: usize,
        /// What is wrong with it.
        problem: ScanProblem,
    },
    /// No copy with this id (or prefix) in the cases held here.
    #[error("no copy '{0}' among the cases on this phone")]
    UnknownAttachment(String),
    /// A copy id prefix that matches several copies.
    #[error("copy id '{0}' is ambiguous: it starts {1} copies; give more characters")]
    AmbiguousAttachment(String, usize),
    /// A page a copy does not have.
    #[error("copy {attachment} has {pages} pages, not a page {page}")]
    NoSuchPage {
        /// The copy.
        attachment: String,
        /// The page asked for, from 1.
        page: usize,
        /// How many it has.
        pages: usize,
    },
    /// The server does not hold a page asked for (the phone that made it has not uploaded it
    /// yet, or the copy is outside this user's areas): try again after that phone's sync.
    #[error(
        "the server does not hold page {page} of copy {attachment} yet: the phone that took it has not sent it"
    )]
    NotOnServer {
        /// The copy.
        attachment: String,
        /// The page, from 1.
        page: usize,
    },
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
    /// A sealed file (a bundle, a sealed case) or a signed statement was refused: not for this
    /// phone, damaged, or not signed by who it says. Nothing in it was read or changed.
    #[error("{0}")]
    Sealed(#[from] homeward_shared::seal::SealError),
    /// No urgent SMS could be composed (no SMS key yet, not a summons or incident of the
    /// case): nothing changed. Typed, so screens and the command line word it.
    #[error("{0}")]
    Urgent(crate::store::UrgentProblem),
    /// Something this device keeps no longer reads (should never happen).
    #[error("this device's {0} cannot be read")]
    Corrupt(String),
}

impl FieldError {
    /// Whether the person at the keyboard can fix this by changing what they typed (exit 2).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            FieldError::BadInput(_)
                | FieldError::EditRefused(_)
                | FieldError::WrongPin { .. }
                | FieldError::TryLater(_)
                | FieldError::WeakPin(_)
                | FieldError::Keystore(_)
                | FieldError::UnknownCase(_)
                | FieldError::ResourceNotHeld(_)
                | FieldError::ResourceInactive { .. }
                | FieldError::AmbiguousCase(..)
                | FieldError::Attach(_)
                | FieldError::Scan { .. }
                | FieldError::UnknownAttachment(_)
                | FieldError::AmbiguousAttachment(..)
                | FieldError::NoSuchPage { .. }
                | FieldError::AlreadyInitialised(_)
                | FieldError::NotInitialised(_)
                | FieldError::Sealed(_)
                | FieldError::Urgent(_)
        )
    }

    /// A stable name for the kind of failure, for screens that word it in their own language:
    /// `bad_input`, `wrong_pin`, `try_later`, `erased`, `weak_pin`, `keystore`, `revoked`,
    /// `unverified_revocation` (a 410 this device could not verify: nothing was deleted),
    /// `not_initialised`, `unknown_case`, `network`, `refused`, `damaged`, `sealed` (a sealed file
    /// or signed statement refused), `urgent` (no urgent SMS composed) or `internal`; for
    /// copies of documents `attach` (its [`AttachProblem`] from [`FieldError::attach_problem`]),
    /// `unreadable_page`, `unknown_attachment`, `no_such_page` and `not_on_server`.
    pub fn kind(&self) -> &'static str {
        match self {
            FieldError::BadInput(_)
            | FieldError::EditRefused(_)
            | FieldError::AmbiguousCase(..)
            | FieldError::AmbiguousAttachment(..)
            | FieldError::AlreadyInitialised(_) => "bad_input",
            FieldError::Attach(_) => "attach",
            FieldError::Scan { .. } => "unreadable_page",
            FieldError::UnknownAttachment(_) => "unknown_attachment",
            FieldError::NoSuchPage { .. } => "no_such_page",
            FieldError::NotOnServer { .. } => "not_on_server",
            FieldError::WrongPin { .. } => "wrong_pin",
            FieldError::TryLater(_) => "try_later",
            FieldError::Erased { .. } => "erased",
            FieldError::WeakPin(_) => "weak_pin",
            FieldError::Keystore(_) => "keystore",
            FieldError::Revoked { .. } => "revoked",
            FieldError::UnverifiedRevocation(_) => "unverified_revocation",
            FieldError::NotInitialised(_) => "not_initialised",
            FieldError::UnknownCase(_) => "unknown_case",
            FieldError::ResourceNotHeld(_) => "resource_not_held",
            FieldError::ResourceInactive { .. } => "resource_inactive",
            FieldError::Network(_) => "network",
            FieldError::Refused(_) => "refused",
            FieldError::Damaged { .. } => "damaged",
            FieldError::Sealed(_) => "sealed",
            FieldError::Urgent(_) => "urgent",
            FieldError::Storage(_)
            | FieldError::Io { .. }
            | FieldError::Random(_)
            | FieldError::Corrupt(_) => "internal",
        }
    }

    /// The case document's refusal of an edit, when that is what failed.
    pub fn refusal(&self) -> Option<&SchemaError> {
        match self {
            FieldError::EditRefused(e) => Some(e),
            _ => None,
        }
    }

    /// The limit a copy went beyond, when that is what failed (screens word it with
    /// `homeward_shared`'s catalogue).
    pub fn attach_problem(&self) -> Option<&AttachProblem> {
        match self {
            FieldError::Attach(p) => Some(p),
            _ => None,
        }
    }

    /// Seconds before another PIN may be tried, when a delay is running.
    pub fn wait_seconds(&self) -> Option<u64> {
        match self {
            FieldError::WrongPin { wait, .. } => *wait,
            FieldError::TryLater(s) => Some(*s),
            _ => None,
        }
    }

    /// Why a new PIN was refused (`too_short`, `sequence`...), for screens to word it.
    pub fn pin_problem(&self) -> Option<&'static str> {
        match self {
            FieldError::WeakPin(p) => Some(p.key()),
            _ => None,
        }
    }

    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> FieldError {
        FieldError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}

/// Writes `bytes` to `path` whole: into a temporary file of a unique name beside it (private to
/// the user, flushed to disk), then renamed into place, so a crash leaves the old file or the
/// new one, and two processes or threads writing the same file at once never trip over each
/// other's temporary file (a fixed `.tmp` name made one of them fail).
pub(crate) fn write_whole(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = path
        .parent()
        .ok_or_else(|| FieldError::BadInput(format!("{} has no folder", path.display())))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(|e| FieldError::io(dir, e))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| FieldError::io(tmp.path(), e))?;
    tmp.persist(path)
        .map_err(|e| FieldError::io(path, e.error))?;
    Ok(())
}

fn wait_note(wait: Option<u64>) -> String {
    wait.map(|s| format!(": too many wrong PINs in a row, try again in {s} seconds"))
        .unwrap_or_default()
}

impl From<SchemaError> for FieldError {
    /// An edit refused by the schema is bad input, kept typed to be worded.
    fn from(e: SchemaError) -> Self {
        FieldError::EditRefused(e)
    }
}

/// Results of the field client.
pub type Result<T, E = FieldError> = std::result::Result<T, E>;
