//! The case document: how a [`Case`] is laid out in Automerge. The only module (with its
//! submodules) that names keys: `write` (edits to operations), `read` (the document to a
//! [`Case`]), `check` (what the server checks of a pushed document), `conflicts` (the fields set
//! concurrently) and `merge` (a child registered twice). This file keeps the layout, the errors,
//! the entry points (`new_case`, `load`, `apply`, `upgrade`) and the lookups all of them share.
//!
//! Layout (schema version 1), as a JavaScript reader sees it:
//!
//! ```text
//! { kind: "homeward/case", schema: 1, case_id,
//!   child: { name, other_names: [str], sex, dob | age_years + age_as_of,
//!            caregiver: { name, relation, phone }, address: { district, block, panchayat, village } },
//!   rescue: { city, workplace, rescued_on, shelter_home, cwc_order_ref, returned_on, receiving_authority },
//!   legal_basis: { kind: "cwc_order" | "guardian_consent", reference, given_by, dated },
//!   needs: { <dimension>: { status, note, history: [ { id, status, on, by, by_name, recorded_at, visit_id, note, settles } ] } },
//!   education: { kind, institution, class, enrolled_on, attendance },
//!   services: [ { id, dimension, scheme, applied_on, sanctioned_on, paid_on, amount, stuck_reason, by, by_name, recorded_at } ],
//!   legal: { court_case_ref, court, lawyer_authorised_on, lawyer_authorised_by,
//!            summonses: [ { id, received_on, hearing_on, mode, follows, by, by_name, recorded_at,
//!                           outcome, held_on, next_hearing_on, outcome_note,
//!                           outcome_by, outcome_by_name, outcome_at } ],
//!            incidents: [ { id, on, what, police_informed, by, by_name, recorded_at } ] },
//!   documents: { <kind>: { state, on, by, by_name } },
//!   visits: [ { id, date, kind, met, note, next_steps, summons_id, safety_checked,
//!               by, by_name, recorded_at } ],
//!   risk_override: { level, reason, by, by_name, at },
//!   status: { state, reason, closure, since, move_district, move_block, move_village, move_reason,
//!             move_on, move_by, move_by_name, move_decision, move_note, move_decided_by,
//!             move_decided_by_name, merged_into, merged_from: [case id] },
//!   referrals: [ { id, resource_id, resource_kind, resource_name, dimension, on, note,
//!                  by, by_name, recorded_at, steps: [ { id, state, on, note, by, by_name, recorded_at } ] } ],
//!   attachments: [ { id, kind, taken_on, by, by_name, recorded_at, pages: [ { hash, size, media_type } ],
//!                    withdrawn_on, withdrawn_reason, withdrawn_by, withdrawn_by_name, withdrawn_at,
//!                    withdrawal_confirmed_by, withdrawal_confirmed_by_name, withdrawal_confirmed_at,
//!                    verified_on, verified_by, verified_by_name, verified_at } ],
//!   actors: { <actor id hex>: { user_id, name } } }
//! ```
//!
//! Dates are `YYYY-MM-DD` strings, moments are Automerge timestamps (milliseconds), absent
//! optional values are `null`. Keys added after version 1 was first written (`court`,
//! `lawyer_authorised_by`, `class`, a summons' `follows` and outcome keys, a visit's
//! `summons_id` and `safety_checked`, `status.closure`, a document's `by` and `by_name`) are scalars that may be missing in older documents, where
//! they read as `null` (or `false`): no new map or list was added, so no upgrade is needed.
//! The one exception is `status.merged_from`, a list the server alone creates, under the case's
//! row lock, when it merges another case into this one ([`merge`]); the other is `referrals`,
//! a list added after version 1 that an older case gets from its first referral, on a device:
//! its module (`referrals.rs`) says how two devices creating it at once lose nothing; and
//! `attachments`, the copies of documents (references to their pages, never the bytes), added
//! the same way (`attachments.rs`). A merge also marks each
//! record it copies with `carried_from` (the other case's id). Devices may write none of these
//! keys ([`check_change`]). Notes are plain strings, not collaborative text, so a case stays
//! small (SYNC-NOTES pitfall 5).
//!
//! Invariants that keep concurrent edits safe:
//! - Every map is created when the case is registered. Later edits only set scalars in existing
//!   maps or append to lists, so two devices never create the same key as two different objects
//!   (which would hide one of them).
//! - Visits, status changes, services, summonses and incidents are appended, never replaced,
//!   so concurrent additions all survive a merge.
//! - A scalar set concurrently on two devices keeps every value; [`conflicts`] lists them.
//! - Each device records which user its actor id belongs to under `actors`, a key per actor, so
//!   conflicts can name their authors after a merge.

use std::collections::BTreeMap;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, AutoCommit, ObjId, ObjType, ROOT, ReadDoc, ScalarValue, Value, hydrate};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::edit::{Edit, EditContext, InvalidEdit, NeedUpdate};
use crate::model::{
    Address, Author, Birth, Caregiver, Case, CaseState, CaseStatus, Child, DocumentEntry,
    DocumentKind, DocumentState, Education, HearingMode, HearingOutcome, Incident, LegalBasis,
    LegalCase, MoveDecision, MoveRequest, Need, Profile, Rescue, Risk, RiskOverride, Schooling,
    Service, Sex, StatusChange, Summons, Visit, VisitKind,
};
use crate::need::{Dimension, Status};

mod attachments;
mod check;
mod conflicts;
pub mod merge;
mod read;
mod referrals;
mod write;

pub use check::{Authority, check_change, check_change_as, check_shape, check_shape_within};
pub use conflicts::{Conflict, ConflictValue, conflicts};
pub use read::read_case;
use read::*;
use write::*;

/// The document kind written at the root of every case document.
pub const KIND: &str = "homeward/case";
/// The schema version this code writes. Older documents are upgraded by [`upgrade`].
pub const SCHEMA_VERSION: u64 = 1;

/// Why a document could not be read or an edit applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    /// The bytes are not an Automerge document.
    #[error("not an automerge document: {0}")]
    Corrupt(String),
    /// An Automerge document that is not a Homeward case.
    #[error("not a homeward case document (kind is {found:?})")]
    NotACase {
        /// The kind found, if any.
        found: Option<String>,
    },
    /// A case written by a newer version of Homeward.
    #[error(
        "case document has schema version {found}; this version of homeward reads up to {SCHEMA_VERSION}: update the app"
    )]
    UnsupportedVersion {
        /// The version found.
        found: u64,
    },
    /// A field missing or of the wrong type.
    #[error("malformed case document at {path}: expected {expected}")]
    Malformed {
        /// Where.
        path: String,
        /// What was expected there.
        expected: &'static str,
    },
    /// An edit refused before anything was written.
    #[error(transparent)]
    Invalid(#[from] InvalidEdit),
    /// An edit names an item the case does not have.
    #[error("no {what} with id '{id}' in this case")]
    NotFound {
        /// What was looked for.
        what: &'static str,
        /// The id given.
        id: String,
    },
    /// A claim for a scheme that already has an open (unpaid) claim in this case.
    #[error("an open claim for {scheme} already exists ({id}): record progress on it instead")]
    OpenClaim {
        /// The scheme.
        scheme: String,
        /// The open claim's id.
        id: String,
    },
    /// `Register` on a document that already holds a case.
    #[error("the document already holds case {0}")]
    AlreadyRegistered(String),
    /// A status change or move asked on a case a supervisor merged into another (a child
    /// registered twice): its records live on in the kept case.
    #[error("this case was merged into case {into}: record on that case")]
    MergedAway {
        /// The kept case.
        into: String,
    },
    /// An Automerge operation failed.
    #[error("automerge: {0}")]
    Automerge(String),
    /// Objects nested deeper than any case needs (a hostile document that would exhaust the
    /// stack of a recursive reader).
    #[error("case document nests objects more than {limit} levels deep")]
    TooDeep {
        /// The deepest nesting allowed.
        limit: usize,
    },
    /// A change that does what no edit does: writes another user's name as its author, touches
    /// another device's entry under `actors`, deletes, or replaces a record.
    #[error("a change may not {0}")]
    NotAllowed(String),
    /// More of something than any case holds.
    #[error("case document is too large: more than {limit} {what}")]
    TooLarge {
        /// What was counted.
        what: &'static str,
        /// The most allowed.
        limit: usize,
    },
}

/// Bounds on the shape of a case document, checked before anything reads it recursively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShapeLimits {
    /// The deepest nesting of objects.
    pub depth: usize,
    /// The most objects (maps, lists, texts).
    pub objects: usize,
    /// The most values (scalars and objects) in all.
    pub values: usize,
    /// The longest string, in bytes.
    pub string_bytes: usize,
}

/// The limits every case document is read with.
pub const SHAPE_LIMITS: ShapeLimits = ShapeLimits {
    depth: MAX_DEPTH,
    objects: MAX_OBJECTS,
    values: MAX_VALUES,
    string_bytes: MAX_STRING_BYTES,
};

/// The deepest nesting of objects a case document may have. The schema needs four levels
/// (`needs.education.history[i]`); the rest is room for later schema versions.
pub const MAX_DEPTH: usize = 8;
/// The most objects (maps and lists) a case document may hold: ten years of weekly visits,
/// each with its need updates, need far fewer than this.
pub const MAX_OBJECTS: usize = 50_000;
/// The most values (scalars and objects) a case document may hold.
pub const MAX_VALUES: usize = 500_000;
/// The longest string a case document may hold, in bytes. Every text field of an edit is far
/// shorter ([`crate::edit::MAX_NOTE`] characters of Devanagari take three bytes each).
pub const MAX_STRING_BYTES: usize = 16 * 1024;

impl From<crate::untrusted::UntrustedError> for SchemaError {
    fn from(e: crate::untrusted::UntrustedError) -> Self {
        SchemaError::Corrupt(e.to_string())
    }
}

impl From<automerge::AutomergeError> for SchemaError {
    fn from(e: automerge::AutomergeError) -> Self {
        SchemaError::Automerge(e.to_string())
    }
}

type Result<T, E = SchemaError> = std::result::Result<T, E>;

/// Creates a case document for `profile`, written by the device whose actor id is `actor`.
pub fn new_case(actor: ActorId, profile: &Profile, ctx: &EditContext) -> Result<AutoCommit> {
    let mut doc = AutoCommit::new().with_actor(actor);
    apply(&mut doc, &Edit::Register(Box::new(profile.clone())), ctx)?;
    Ok(doc)
}

/// Loads a saved case document, checks it is a readable case, and sets this device's actor.
/// Bytes from anywhere may come here: the load goes through [`crate::untrusted::load`].
pub fn load(bytes: &[u8], actor: ActorId) -> Result<AutoCommit> {
    let doc = crate::untrusted::load(bytes).map_err(|e| SchemaError::Corrupt(e.to_string()))?;
    let doc = doc.with_actor(actor);
    check_kind(&doc)?;
    Ok(doc)
}

/// Applies one edit as one Automerge change. On error nothing is written.
pub fn apply(doc: &mut AutoCommit, edit: &Edit, ctx: &EditContext) -> Result<()> {
    edit.check(ctx)?;
    if let Err(e) = write(doc, edit, ctx) {
        doc.rollback();
        return Err(e);
    }
    doc.commit_with(
        CommitOptions::default()
            .with_message(edit.summary())
            .with_time(ctx.at.timestamp()),
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reading.

fn check_kind<D: ReadDoc>(doc: &D) -> Result<()> {
    let kind = str_at(doc, &ROOT, "kind").unwrap_or(None);
    if kind.as_deref() != Some(KIND) {
        return Err(SchemaError::NotACase { found: kind });
    }
    match doc.get(ROOT, "schema")? {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Uint(v) if *v >= 1 && *v <= SCHEMA_VERSION => Ok(()),
            ScalarValue::Uint(v) if *v > SCHEMA_VERSION => {
                Err(SchemaError::UnsupportedVersion { found: *v })
            }
            _ => Err(malformed("schema", "a schema version from 1")),
        },
        _ => Err(malformed("schema", "a schema version")),
    }
}

/// The schema version of a case document.
pub fn schema_version<D: ReadDoc>(doc: &D) -> Result<u64> {
    check_kind(doc)?;
    match doc.get(ROOT, "schema")? {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Uint(v) => Ok(*v),
            _ => Err(malformed("schema", "an unsigned integer")),
        },
        _ => Err(malformed("schema", "a schema version")),
    }
}

/// One upgrade step: rewrites a document of version `n` (its index + 1) to version `n + 1`.
type Upgrade = fn(&mut AutoCommit) -> Result<()>;

/// The upgrade steps, in order. Version 1 is the first schema, so there are none yet; a step
/// added here must be idempotent, because two devices may upgrade the same case concurrently.
const UPGRADES: &[Upgrade] = &[];

/// Brings a document written by an older schema up to [`SCHEMA_VERSION`], as one change.
/// Returns whether anything changed.
pub fn upgrade(doc: &mut AutoCommit, ctx: &EditContext) -> Result<bool> {
    let found = schema_version(doc)?;
    if found == SCHEMA_VERSION {
        return Ok(false);
    }
    let from = usize::try_from(found - 1).unwrap_or(usize::MAX);
    for step in UPGRADES.iter().skip(from) {
        if let Err(e) = step(doc) {
            doc.rollback();
            return Err(e);
        }
    }
    doc.put(ROOT, "schema", SCHEMA_VERSION)?;
    doc.commit_with(
        CommitOptions::default()
            .with_message(format!("upgrade schema {found} to {SCHEMA_VERSION}"))
            .with_time(ctx.at.timestamp()),
    );
    Ok(true)
}

/// The case id of a document, without reading the rest.
pub fn case_id<D: ReadDoc>(doc: &D) -> Result<String> {
    check_kind(doc)?;
    req_str(doc, &ROOT, "case_id", "case_id")
}

/// The user an actor id belongs to, as recorded in the document.
pub fn actor_author<D: ReadDoc>(doc: &D, actor: &ActorId) -> Result<Option<Author>> {
    let Some((Value::Object(ObjType::Map), actors)) = doc.get(ROOT, "actors")? else {
        return Ok(None);
    };
    let Some((Value::Object(ObjType::Map), m)) = doc.get(&actors, actor.to_hex_string())? else {
        return Ok(None);
    };
    Ok(Some(Author {
        user_id: str_at(doc, &m, "user_id")?.unwrap_or_default(),
        name: str_at(doc, &m, "name")?.unwrap_or_default(),
    }))
}

/// The root lists added after version 1 of the layout, which an older case gets from the first
/// edit that needs one, on whichever device makes it: two devices may create one at once.
pub(crate) const LATE_LISTS: [&str; 2] = [referrals::KEY, attachments::KEY];

/// Every list under a root key that devices may create concurrently (`LATE_LISTS`): the one
/// Automerge shows first, then any other created at the same time, which a reader asking for one
/// value would never see.
fn root_lists<D: ReadDoc>(doc: &D, key: &str) -> Result<Vec<ObjId>> {
    let mut out = Vec::new();
    let shown = match doc.get(ROOT, key)? {
        Some((Value::Object(ObjType::List), id)) => Some(id),
        Some(_) => return Err(malformed(key, "a list")),
        None => None,
    };
    out.extend(shown.clone());
    for (v, id) in doc.get_all(ROOT, key)? {
        match v {
            Value::Object(ObjType::List) if Some(&id) != shown.as_ref() => out.push(id),
            Value::Object(ObjType::List) => {}
            _ => return Err(malformed(key, "a list")),
        }
    }
    Ok(out)
}

fn malformed(path: &str, expected: &'static str) -> SchemaError {
    SchemaError::Malformed {
        path: path.to_owned(),
        expected,
    }
}

fn obj<D: ReadDoc>(doc: &D, parent: &ObjId, key: &str) -> Result<ObjId> {
    req_obj(doc, parent, key, key)
}

fn req_obj<D: ReadDoc>(doc: &D, parent: &ObjId, key: &str, path: &str) -> Result<ObjId> {
    match doc.get(parent, key)? {
        Some((Value::Object(_), id)) => Ok(id),
        _ => Err(malformed(path, "an object")),
    }
}

fn item<D: ReadDoc>(doc: &D, list: &ObjId, i: usize, path: &str) -> Result<ObjId> {
    match doc.get(list, i)? {
        Some((Value::Object(ObjType::Map), id)) => Ok(id),
        _ => Err(malformed(path, "a list of maps")),
    }
}

fn str_at<D: ReadDoc>(doc: &D, m: &ObjId, key: &str) -> Result<Option<String>> {
    match doc.get(m, key)? {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Str(s) => Ok(Some(s.to_string())),
            ScalarValue::Null => Ok(None),
            _ => Err(malformed(key, "a string")),
        },
        None => Ok(None),
        Some(_) => Err(malformed(key, "a string")),
    }
}

fn req_str<D: ReadDoc>(doc: &D, m: &ObjId, key: &str, path: &str) -> Result<String> {
    match str_at(doc, m, key) {
        Ok(Some(s)) => Ok(s),
        _ => Err(malformed(&format!("{path}.{key}"), "a string")),
    }
}

fn date_at<D: ReadDoc>(doc: &D, m: &ObjId, key: &str, path: &str) -> Result<Option<NaiveDate>> {
    let bad = || malformed(&format!("{path}.{key}"), "a date (YYYY-MM-DD)");
    str_at(doc, m, key)
        .map_err(|_| bad())?
        .map(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| bad()))
        .transpose()
}
