//! Automerge calls on bytes from outside: a device's push, a server's response, a file.
//!
//! Automerge 0.12 (pinned) panics on some malformed input instead of returning an error (found
//! by fuzzing: `fuzz/`, ARCHITECTURE.md "Fuzzing"). A panic on a pushed change would take the
//! server's request down and, repeated by a device's retries, every sync of that device; on the
//! phone it would crash the app on every sync or import. So every Automerge call that reads
//! bytes from outside, or works on a document that holds them, goes through this module:
//!
//! - the call runs under [`std::panic::catch_unwind`]; on a panic the document it worked on is
//!   dropped (it may be half-updated) and a typed error ([`UntrustedError::Panicked`]) returned,
//!   so the caller refuses the input like any malformed input;
//! - a document that will be stored is saved with [`save_checked`], which loads the saved bytes
//!   back and insists on the same heads: a document that would not load back (another bug of
//!   the same version) is refused before it replaces a good one.
//!
//! The wrappers take documents by value and give them back on success, so a document a panic
//! went through cannot be used afterwards.
//!
//! A caught panic still runs the process's panic hook (the default one prints the message to
//! stderr, above the one-line error a person should see). This module does not touch the hook,
//! which is process-wide state: a binary that wants caught panics silent installs a hook that
//! asks [`inside_guard`] first (the field core's `quiet_caught_panics`, the server's `main`).

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use automerge::{AutoCommit, AutomergeError, Change, ChangeHash};

/// Why bytes from outside were refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UntrustedError {
    /// Automerge refused the input with an error.
    #[error("{what}: {reason}")]
    Refused {
        /// The operation.
        what: &'static str,
        /// Automerge's error.
        reason: String,
    },
    /// Automerge panicked on the input; the document involved was discarded.
    #[error("{what}: the input is malformed (automerge failed on it: {message})")]
    Panicked {
        /// The operation.
        what: &'static str,
        /// The panic's message.
        message: String,
    },
    /// The saved document does not load back as the same document.
    #[error("the saved document does not load back as the same document: {0}")]
    RoundTrip(String),
    /// A chunk of a kind Homeward never writes (a bundle, say), refused unparsed: Automerge
    /// 0.12 expands a bundle's columns without bound (74 bytes made it allocate 24 GB, found by
    /// fuzzing).
    #[error(
        "{what}: the input holds an automerge chunk of type {kind}, which Homeward never writes"
    )]
    Unsupported {
        /// The operation.
        what: &'static str,
        /// The chunk's type byte.
        kind: u8,
    },
}

/// The first bytes of every Automerge chunk.
const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

/// Chunk types: a document, a change, a compressed change (what `save` and `Change` write).
const DOCUMENT: u8 = 0;
const CHANGE: u8 = 1;
const COMPRESSED_CHANGE: u8 = 2;

/// Walks the chunk headers of `bytes` (magic, checksum, type, LEB128 length) without parsing
/// any chunk, and refuses a chunk whose type is not in `allowed`. Bytes that are not a sequence
/// of whole chunks are left to Automerge to refuse.
fn check_chunk_types(what: &'static str, bytes: &[u8], allowed: &[u8]) -> Result<()> {
    let mut rest = bytes;
    while rest.len() > 9 && rest[..4] == MAGIC {
        let kind = rest[8];
        if !allowed.contains(&kind) {
            return Err(UntrustedError::Unsupported { what, kind });
        }
        let (mut len, mut shift, mut at) = (0u64, 0u32, 9usize);
        loop {
            let Some(&b) = rest.get(at) else {
                return Ok(());
            };
            at += 1;
            if shift > 63 {
                return Ok(());
            }
            len |= u64::from(b & 0x7f) << shift;
            shift += 7;
            if b & 0x80 == 0 {
                break;
            }
        }
        let Some(end) = usize::try_from(len).ok().and_then(|l| at.checked_add(l)) else {
            return Ok(());
        };
        let Some(next) = rest.get(end..) else {
            return Ok(());
        };
        rest = next;
    }
    Ok(())
}

type Result<T, E = UntrustedError> = std::result::Result<T, E>;

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

thread_local! {
    /// Whether this thread is inside one of this module's guards.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Whether the current thread is running an Automerge call under one of this module's guards:
/// a panic hook that sees `true` is looking at a panic that will be caught and turned into an
/// error, and may stay silent.
pub fn inside_guard() -> bool {
    GUARDED.with(Cell::get)
}

/// `catch_unwind` with this thread marked as guarded for the call.
fn catch<T>(f: impl FnOnce() -> T) -> std::thread::Result<T> {
    let was = GUARDED.with(|g| g.replace(true));
    let out = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(was));
    out
}

/// Runs `f`, turning a panic into [`UntrustedError::Panicked`] and an Automerge error into
/// [`UntrustedError::Refused`]. Whatever `f` captured is dropped by the caller on a panic.
fn guarded<T>(
    what: &'static str,
    f: impl FnOnce() -> std::result::Result<T, AutomergeError>,
) -> Result<T> {
    match catch(f) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(UntrustedError::Refused {
            what,
            reason: e.to_string(),
        }),
        Err(payload) => Err(UntrustedError::Panicked {
            what,
            message: panic_message(payload.as_ref()),
        }),
    }
}

/// The time (seconds since 1970, as its change recorded it) of the change that wrote the
/// operation `op` of a document read from outside bytes; `None` when there is none or when
/// Automerge panics looking it up. Automerge 0.12's `get_change_by_hash` unwraps a change graph
/// that a document holding a change with a missing dependency does not have
/// (`op_set2/change/collector.rs`, found by the `case_changes` fuzz target:
/// `fuzz/regressions/case_changes/missing-dep-abort-in-drop`). A read leaves the document as it
/// was, so it is kept.
pub fn change_time(doc: &AutoCommit, op: &automerge::ObjId) -> Option<i64> {
    catch(|| {
        let hash = doc.hash_for_opid(op)?;
        automerge::ReadDoc::get_change_by_hash(doc, &hash).map(|c| c.timestamp())
    })
    .ok()
    .flatten()
}

/// Parses one change (`Change::try_from`).
pub fn parse_change(bytes: &[u8]) -> Result<Change> {
    check_chunk_types("parse a change", bytes, &[CHANGE, COMPRESSED_CHANGE])?;
    match catch(|| Change::try_from(bytes)) {
        Ok(Ok(c)) => Ok(c),
        Ok(Err(e)) => Err(UntrustedError::Refused {
            what: "parse a change",
            reason: e.to_string(),
        }),
        Err(payload) => Err(UntrustedError::Panicked {
            what: "parse a change",
            message: panic_message(payload.as_ref()),
        }),
    }
}

/// Loads a saved document (`AutoCommit::load`).
pub fn load(bytes: &[u8]) -> Result<AutoCommit> {
    check_chunk_types(
        "load a document",
        bytes,
        &[DOCUMENT, CHANGE, COMPRESSED_CHANGE],
    )?;
    guarded("load a document", || AutoCommit::load(bytes))
}

/// Applies changes to `doc` (`AutoCommit::apply_changes`) and gives it back; on an error or a
/// panic the document is dropped.
pub fn apply_changes(mut doc: AutoCommit, changes: Vec<Change>) -> Result<AutoCommit> {
    guarded("apply changes", move || {
        doc.apply_changes(changes)?;
        Ok(doc)
    })
}

/// Merges `other` into `doc` (`AutoCommit::merge`) and gives `doc` back; on an error or a panic
/// both are dropped.
pub fn merge(mut doc: AutoCommit, mut other: AutoCommit) -> Result<AutoCommit> {
    guarded("merge a document", move || {
        doc.merge(&mut other)?;
        Ok(doc)
    })
}

/// The changes of `other` that `doc` lacks (`AutoCommit::get_changes_added`).
pub fn changes_added(doc: &mut AutoCommit, other: &mut AutoCommit) -> Result<Vec<Change>> {
    guarded("compare documents", || Ok(doc.get_changes_added(other)))
}

/// Saves `doc` (`AutoCommit::save`) and checks that the bytes load back with the same heads.
pub fn save_checked(doc: &mut AutoCommit) -> Result<Vec<u8>> {
    let (saved, mut heads) = guarded("save a document", || Ok((doc.save(), doc.get_heads())))?;
    let mut back = load(&saved).map_err(|e| UntrustedError::RoundTrip(e.to_string()))?;
    let mut back_heads = guarded("read the heads", || Ok(back.get_heads()))?;
    heads.sort();
    back_heads.sort();
    if heads != back_heads {
        return Err(UntrustedError::RoundTrip(format!(
            "heads {} before saving, {} after loading",
            hashes(&heads),
            hashes(&back_heads)
        )));
    }
    Ok(saved)
}

fn hashes(h: &[ChangeHash]) -> String {
    let all: Vec<String> = h.iter().map(ToString::to_string).collect();
    format!("[{}]", all.join(", "))
}
