//! The case document: how a [`Case`] is laid out in Automerge. The only module that names keys.
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
//!   documents: { <kind>: { state, on } },
//!   visits: [ { id, date, kind, met, note, next_steps, summons_id, safety_checked,
//!               by, by_name, recorded_at } ],
//!   risk_override: { level, reason, by, by_name, at },
//!   status: { state, reason, since, move_district, move_block, move_village, move_reason,
//!             move_on, move_by, move_by_name, move_decision, move_note, move_decided_by,
//!             move_decided_by_name, merged_into, merged_from: [case id] },
//!   actors: { <actor id hex>: { user_id, name } } }
//! ```
//!
//! Dates are `YYYY-MM-DD` strings, moments are Automerge timestamps (milliseconds), absent
//! optional values are `null`. Keys added after version 1 was first written (`court`,
//! `lawyer_authorised_by`, `class`, a summons' `follows` and outcome keys, a visit's
//! `summons_id` and `safety_checked`) are scalars that may be missing in older documents, where
//! they read as `null` (or `false`): no new map or list was added, so no upgrade is needed.
//! The one exception is `status.merged_from`, a list the server alone creates, under the case's
//! row lock, when it merges another case into this one ([`merge`]); a merge also marks each
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

pub mod merge;

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

fn write(doc: &mut AutoCommit, edit: &Edit, ctx: &EditContext) -> Result<()> {
    match edit {
        Edit::Register(profile) => match str_at(doc, &ROOT, "case_id")? {
            Some(id) => Err(SchemaError::AlreadyRegistered(id)),
            None => register(doc, profile, ctx),
        },
        other => {
            check_kind(doc)?;
            note_actor(doc, &ctx.author)?;
            write_edit(doc, other, ctx)
        }
    }
}

fn write_edit(doc: &mut AutoCommit, edit: &Edit, ctx: &EditContext) -> Result<()> {
    match edit {
        Edit::ResolveConflict { path, value } => resolve(doc, path, value, ctx)?,
        Edit::Register(_) => return Err(SchemaError::AlreadyRegistered(case_id(doc)?)),
        Edit::RecordVisit { visit, updates } => {
            let visits = obj(doc, &ROOT, "visits")?;
            if find_by_id(doc, &visits, &visit.id)?.is_some() {
                // A retried edit: the visit is already there, so this is a no-op.
                return Ok(());
            }
            let v = append_map(doc, &visits)?;
            doc.put(&v, "id", visit.id.as_str())?;
            put_date(doc, &v, "date", Some(visit.date))?;
            doc.put(&v, "kind", visit.kind.key())?;
            put_opt_str(doc, &v, "met", visit.met.as_deref())?;
            put_opt_str(doc, &v, "note", visit.note.as_deref())?;
            put_opt_str(doc, &v, "next_steps", visit.next_steps.as_deref())?;
            // Written only when set: a visit about nothing in particular is laid out as before.
            if let Some(summons) = &visit.summons_id {
                doc.put(&v, "summons_id", summons.as_str())?;
            }
            if visit.safety_checked {
                doc.put(&v, "safety_checked", true)?;
            }
            put_by(doc, &v, ctx)?;
            for u in updates {
                set_need(doc, u, visit.date, Some(&visit.id), ctx)?;
            }
        }
        Edit::SetNeed { update, on } => set_need(doc, update, *on, None, ctx)?,
        Edit::AddService(s) => {
            let list = obj(doc, &ROOT, "services")?;
            if find_by_id(doc, &list, &s.id)?.is_some() {
                return Ok(());
            }
            // One open claim per scheme: a second application is progress on the first.
            for i in 0..doc.length(&list) {
                let existing = item(doc, &list, i, "services")?;
                let path = format!("services[{i}]");
                if str_at(doc, &existing, "scheme")?.as_deref() == Some(s.scheme.as_str())
                    && date_at(doc, &existing, "paid_on", &path)?.is_none()
                {
                    return Err(SchemaError::OpenClaim {
                        scheme: s.scheme.clone(),
                        id: str_at(doc, &existing, "id")?.unwrap_or_default(),
                    });
                }
            }
            let m = append_map(doc, &list)?;
            doc.put(&m, "id", s.id.as_str())?;
            doc.put(&m, "dimension", s.dimension.key())?;
            doc.put(&m, "scheme", s.scheme.as_str())?;
            put_date(doc, &m, "applied_on", s.applied_on)?;
            put_date(doc, &m, "sanctioned_on", s.sanctioned_on)?;
            put_date(doc, &m, "paid_on", s.paid_on)?;
            put_opt_u64(doc, &m, "amount", s.amount)?;
            put_opt_str(doc, &m, "stuck_reason", s.stuck_reason.as_deref())?;
            put_by(doc, &m, ctx)?;
        }
        Edit::UpdateService(p) => {
            let list = obj(doc, &ROOT, "services")?;
            let m = find_by_id(doc, &list, &p.id)?.ok_or_else(|| SchemaError::NotFound {
                what: "service",
                id: p.id.clone(),
            })?;
            let path = format!("services.{}", p.id);
            let applied = p.applied_on.or(date_at(doc, &m, "applied_on", &path)?);
            let sanctioned = p
                .sanctioned_on
                .or(date_at(doc, &m, "sanctioned_on", &path)?);
            let paid = p.paid_on.or(date_at(doc, &m, "paid_on", &path)?);
            // Check the merged dates, not just the ones given in this update.
            crate::edit::service_dates(applied, sanctioned, paid, crate::edit::latest_day(ctx))?;
            if p.applied_on.is_some() {
                put_date(doc, &m, "applied_on", p.applied_on)?;
            }
            if p.sanctioned_on.is_some() {
                put_date(doc, &m, "sanctioned_on", p.sanctioned_on)?;
            }
            if p.paid_on.is_some() {
                put_date(doc, &m, "paid_on", p.paid_on)?;
            }
            if p.amount.is_some() {
                put_opt_u64(doc, &m, "amount", p.amount)?;
            }
            // An empty reason clears it: the claim is no longer stuck.
            if let Some(reason) = &p.stuck_reason {
                let reason = Some(reason.trim()).filter(|r| !r.is_empty());
                put_opt_str(doc, &m, "stuck_reason", reason)?;
            }
        }
        Edit::SetEducation(e) => {
            let m = obj(doc, &ROOT, "education")?;
            put_opt_str(doc, &m, "kind", e.kind.map(Schooling::key))?;
            put_opt_str(doc, &m, "institution", e.institution.as_deref())?;
            // A key added after version 1: written when there is a class or was one to clear.
            if e.class.is_some() || doc.get(&m, "class")?.is_some() {
                put_opt_str(doc, &m, "class", e.class.as_deref())?;
            }
            put_date(doc, &m, "enrolled_on", e.enrolled_on)?;
            put_opt_str(doc, &m, "attendance", e.attendance.as_deref())?;
        }
        Edit::AddSummons(s) => {
            let legal = obj(doc, &ROOT, "legal")?;
            let list = obj(doc, &legal, "summonses")?;
            if find_by_id(doc, &list, &s.id)?.is_some() {
                return Ok(());
            }
            let m = append_map(doc, &list)?;
            doc.put(&m, "id", s.id.as_str())?;
            put_date(doc, &m, "received_on", Some(s.received_on))?;
            put_date(doc, &m, "hearing_on", Some(s.hearing_on))?;
            put_opt_str(doc, &m, "mode", s.mode.map(HearingMode::key))?;
            put_by(doc, &m, ctx)?;
        }
        Edit::RecordHearing(h) => record_hearing(doc, h, ctx)?,
        Edit::SetLegal {
            court_case_ref,
            court,
            lawyer_authorised_on,
            lawyer_authorised_by,
        } => {
            let legal = obj(doc, &ROOT, "legal")?;
            if court_case_ref.is_some() {
                put_opt_str(doc, &legal, "court_case_ref", court_case_ref.as_deref())?;
            }
            if court.is_some() {
                put_opt_str(doc, &legal, "court", court.as_deref())?;
            }
            if lawyer_authorised_on.is_some() {
                put_date(doc, &legal, "lawyer_authorised_on", *lawyer_authorised_on)?;
            }
            if lawyer_authorised_by.is_some() {
                put_opt_str(
                    doc,
                    &legal,
                    "lawyer_authorised_by",
                    lawyer_authorised_by.as_deref(),
                )?;
            }
        }
        Edit::UpdateIncident {
            id,
            police_informed,
        } => {
            let legal = obj(doc, &ROOT, "legal")?;
            let list = obj(doc, &legal, "incidents")?;
            let m = find_by_id(doc, &list, id)?.ok_or_else(|| SchemaError::NotFound {
                what: "incident",
                id: id.clone(),
            })?;
            doc.put(&m, "police_informed", *police_informed)?;
        }
        Edit::AddIncident(i) => {
            let legal = obj(doc, &ROOT, "legal")?;
            let list = obj(doc, &legal, "incidents")?;
            if find_by_id(doc, &list, &i.id)?.is_some() {
                return Ok(());
            }
            let m = append_map(doc, &list)?;
            doc.put(&m, "id", i.id.as_str())?;
            put_date(doc, &m, "on", Some(i.on))?;
            doc.put(&m, "what", i.what.as_str())?;
            doc.put(&m, "police_informed", i.police_informed)?;
            put_by(doc, &m, ctx)?;
        }
        Edit::SetDocument { kind, state, on } => {
            let docs = obj(doc, &ROOT, "documents")?;
            let m = obj(doc, &docs, kind.key())?;
            doc.put(&m, "state", state.key())?;
            put_date(doc, &m, "on", Some(*on))?;
        }
        Edit::SetCaregiver(c) => {
            let child = obj(doc, &ROOT, "child")?;
            let m = obj(doc, &child, "caregiver")?;
            write_caregiver(doc, &m, c)?;
        }
        Edit::OverrideRisk { level, reason } => {
            let m = obj(doc, &ROOT, "risk_override")?;
            put_opt_str(doc, &m, "level", level.map(Risk::key))?;
            doc.put(&m, "reason", reason.as_str())?;
            put_by_at(doc, &m, ctx, "at")?;
        }
        Edit::RequestTransfer {
            district,
            block,
            village,
            reason,
            on,
        } => {
            let m = obj(doc, &ROOT, "status")?;
            refuse_if_merged(doc, &m)?;
            doc.put(&m, "move_district", district.as_str())?;
            doc.put(&m, "move_block", block.as_str())?;
            doc.put(&m, "move_village", village.as_str())?;
            doc.put(&m, "move_reason", reason.as_str())?;
            put_date(doc, &m, "move_on", Some(*on))?;
            doc.put(&m, "move_by", ctx.author.user_id.as_str())?;
            doc.put(&m, "move_by_name", ctx.author.name.as_str())?;
        }
        Edit::SettleMove { approved, note } => {
            let m = obj(doc, &ROOT, "status")?;
            let Some(district) = str_at(doc, &m, "move_district")? else {
                return Err(SchemaError::NotFound {
                    what: "move request",
                    id: case_id(doc)?,
                });
            };
            if *approved {
                let block = str_at(doc, &m, "move_block")?.unwrap_or_default();
                let village = str_at(doc, &m, "move_village")?.unwrap_or_default();
                let child = obj(doc, &ROOT, "child")?;
                let address = obj(doc, &child, "address")?;
                doc.put(&address, "district", district.as_str())?;
                doc.put(&address, "block", block.as_str())?;
                doc.put(&address, "village", village.as_str())?;
                doc.put(&address, "panchayat", ScalarValue::Null)?;
            }
            doc.put(&m, "move_district", ScalarValue::Null)?;
            doc.put(
                &m,
                "move_decision",
                if *approved { "approved" } else { "refused" },
            )?;
            put_opt_str(doc, &m, "move_note", note.as_deref())?;
            doc.put(&m, "move_decided_by", ctx.author.user_id.as_str())?;
            doc.put(&m, "move_decided_by_name", ctx.author.name.as_str())?;
        }
        Edit::SetStatus {
            state,
            reason,
            since,
        } => {
            let m = obj(doc, &ROOT, "status")?;
            refuse_if_merged(doc, &m)?;
            doc.put(&m, "state", state.key())?;
            put_opt_str(doc, &m, "reason", reason.as_deref())?;
            put_date(doc, &m, "since", Some(*since))?;
        }
    }
    Ok(())
}

/// A merged case's status stays "merged": reopening it would count the child twice again.
fn refuse_if_merged(doc: &AutoCommit, status: &ObjId) -> Result<()> {
    match str_at(doc, status, "merged_into")? {
        Some(into) => Err(SchemaError::MergedAway { into }),
        None => Ok(()),
    }
}

/// Records a hearing's outcome on its summons; an adjourned or missed hearing with a next date
/// appends that hearing as a summons of its own (`follows` the first), so each hearing keeps its
/// own outcome and nothing is overwritten. A retried edit (the next hearing's id already there,
/// or the same outcome already recorded) changes nothing.
fn record_hearing(
    doc: &mut AutoCommit,
    h: &crate::edit::NewHearing,
    ctx: &EditContext,
) -> Result<()> {
    let legal = obj(doc, &ROOT, "legal")?;
    let list = obj(doc, &legal, "summonses")?;
    let m = find_by_id(doc, &list, &h.summons_id)?.ok_or_else(|| SchemaError::NotFound {
        what: "summons",
        id: h.summons_id.clone(),
    })?;
    if find_by_id(doc, &list, &h.id)?.is_some() {
        return Ok(());
    }
    let path = format!("legal.summonses.{}", h.summons_id);
    let received = date_at(doc, &m, "received_on", &path)?;
    if let Some(received) = received
        && h.held_on < received
    {
        return Err(InvalidEdit::DatesOutOfOrder {
            earlier: "summons received on",
            earlier_on: received,
            later: "hearing held on",
            later_on: h.held_on,
        }
        .into());
    }
    let same = str_at(doc, &m, "outcome")?.as_deref() == Some(h.result.key())
        && date_at(doc, &m, "held_on", &path)? == Some(h.held_on)
        && date_at(doc, &m, "next_hearing_on", &path)? == h.next_hearing_on;
    if same {
        return Ok(());
    }
    doc.put(&m, "outcome", h.result.key())?;
    put_date(doc, &m, "held_on", Some(h.held_on))?;
    put_date(doc, &m, "next_hearing_on", h.next_hearing_on)?;
    put_opt_str(doc, &m, "outcome_note", h.note.as_deref())?;
    doc.put(&m, "outcome_by", ctx.author.user_id.as_str())?;
    doc.put(&m, "outcome_by_name", ctx.author.name.as_str())?;
    doc.put(
        &m,
        "outcome_at",
        ScalarValue::Timestamp(ctx.at.timestamp_millis()),
    )?;
    if let Some(next) = h.next_hearing_on {
        let mode = str_at(doc, &m, "mode")?;
        let n = append_map(doc, &list)?;
        doc.put(&n, "id", h.id.as_str())?;
        put_date(doc, &n, "received_on", Some(h.held_on))?;
        put_date(doc, &n, "hearing_on", Some(next))?;
        put_opt_str(doc, &n, "mode", mode.as_deref())?;
        doc.put(&n, "follows", h.summons_id.as_str())?;
        put_by(doc, &n, ctx)?;
    }
    Ok(())
}

fn register(doc: &mut AutoCommit, p: &Profile, ctx: &EditContext) -> Result<()> {
    doc.put(ROOT, "kind", KIND)?;
    doc.put(ROOT, "schema", SCHEMA_VERSION)?;
    doc.put(ROOT, "case_id", p.case_id.as_str())?;
    doc.put_object(ROOT, "actors", ObjType::Map)?;
    note_actor(doc, &ctx.author)?;

    let child = doc.put_object(ROOT, "child", ObjType::Map)?;
    doc.put(&child, "name", p.child.name.as_str())?;
    let names = doc.put_object(&child, "other_names", ObjType::List)?;
    for (i, n) in p.child.other_names.iter().enumerate() {
        doc.insert(&names, i, n.as_str())?;
    }
    doc.put(&child, "sex", p.child.sex.key())?;
    match p.child.birth {
        Birth::Dob(dob) => {
            put_date(doc, &child, "dob", Some(dob))?;
            doc.put(&child, "age_years", ScalarValue::Null)?;
            doc.put(&child, "age_as_of", ScalarValue::Null)?;
        }
        Birth::Estimated { years, as_of } => {
            doc.put(&child, "dob", ScalarValue::Null)?;
            doc.put(&child, "age_years", u64::from(years))?;
            put_date(doc, &child, "age_as_of", Some(as_of))?;
        }
    }
    let cg = doc.put_object(&child, "caregiver", ObjType::Map)?;
    write_caregiver(
        doc,
        &cg,
        p.child.caregiver.as_ref().unwrap_or(&Caregiver::default()),
    )?;
    let addr = doc.put_object(&child, "address", ObjType::Map)?;
    let a = &p.child.address;
    doc.put(&addr, "district", a.district.as_str())?;
    doc.put(&addr, "block", a.block.as_str())?;
    put_opt_str(doc, &addr, "panchayat", a.panchayat.as_deref())?;
    doc.put(&addr, "village", a.village.as_str())?;

    let r = doc.put_object(ROOT, "rescue", ObjType::Map)?;
    let rescue = &p.rescue;
    put_opt_str(doc, &r, "city", rescue.city.as_deref())?;
    put_opt_str(doc, &r, "workplace", rescue.workplace.as_deref())?;
    put_date(doc, &r, "rescued_on", rescue.rescued_on)?;
    put_opt_str(doc, &r, "shelter_home", rescue.shelter_home.as_deref())?;
    put_opt_str(doc, &r, "cwc_order_ref", rescue.cwc_order_ref.as_deref())?;
    put_date(doc, &r, "returned_on", Some(rescue.returned_on))?;
    put_opt_str(
        doc,
        &r,
        "receiving_authority",
        rescue.receiving_authority.as_deref(),
    )?;

    let lb = doc.put_object(ROOT, "legal_basis", ObjType::Map)?;
    match &p.legal_basis {
        LegalBasis::CwcOrder { reference, dated } => {
            doc.put(&lb, "kind", "cwc_order")?;
            doc.put(&lb, "reference", reference.as_str())?;
            put_date(doc, &lb, "dated", Some(*dated))?;
        }
        LegalBasis::GuardianConsent { given_by, dated } => {
            doc.put(&lb, "kind", "guardian_consent")?;
            doc.put(&lb, "given_by", given_by.as_str())?;
            put_date(doc, &lb, "dated", Some(*dated))?;
        }
    }

    let needs = doc.put_object(ROOT, "needs", ObjType::Map)?;
    for d in Dimension::ALL {
        let n = doc.put_object(&needs, d.key(), ObjType::Map)?;
        doc.put(&n, "status", Status::NotAssessed.key())?;
        doc.put(&n, "note", ScalarValue::Null)?;
        doc.put_object(&n, "history", ObjType::List)?;
    }
    let edu = doc.put_object(ROOT, "education", ObjType::Map)?;
    for k in ["kind", "institution", "enrolled_on", "attendance"] {
        doc.put(&edu, k, ScalarValue::Null)?;
    }
    doc.put_object(ROOT, "services", ObjType::List)?;
    let legal = doc.put_object(ROOT, "legal", ObjType::Map)?;
    doc.put(&legal, "court_case_ref", ScalarValue::Null)?;
    doc.put(&legal, "lawyer_authorised_on", ScalarValue::Null)?;
    doc.put_object(&legal, "summonses", ObjType::List)?;
    doc.put_object(&legal, "incidents", ObjType::List)?;
    let docs = doc.put_object(ROOT, "documents", ObjType::Map)?;
    for k in DocumentKind::ALL {
        let m = doc.put_object(&docs, k.key(), ObjType::Map)?;
        doc.put(&m, "state", DocumentState::Missing.key())?;
        doc.put(&m, "on", ScalarValue::Null)?;
    }
    doc.put_object(ROOT, "visits", ObjType::List)?;
    let ro = doc.put_object(ROOT, "risk_override", ObjType::Map)?;
    for k in ["level", "reason", "by", "by_name", "at"] {
        doc.put(&ro, k, ScalarValue::Null)?;
    }
    let st = doc.put_object(ROOT, "status", ObjType::Map)?;
    doc.put(&st, "state", CaseState::Active.key())?;
    doc.put(&st, "reason", ScalarValue::Null)?;
    put_date(doc, &st, "since", Some(rescue.returned_on))?;
    Ok(())
}

fn write_caregiver(doc: &mut AutoCommit, m: &ObjId, c: &Caregiver) -> Result<()> {
    doc.put(m, "name", c.name.as_str())?;
    doc.put(m, "relation", c.relation.as_str())?;
    put_opt_str(doc, m, "phone", c.phone.as_deref())?;
    Ok(())
}

fn set_need(
    doc: &mut AutoCommit,
    u: &NeedUpdate,
    on: NaiveDate,
    visit_id: Option<&str>,
    ctx: &EditContext,
) -> Result<()> {
    let needs = obj(doc, &ROOT, "needs")?;
    let need = obj(doc, &needs, u.dimension.key())?;
    let history = obj(doc, &need, "history")?;
    if find_by_id(doc, &history, &u.id)?.is_some() {
        return Ok(());
    }
    // A status observed before the latest one already recorded (a visit entered late) goes into
    // the history but does not replace the current status.
    let path = format!("needs.{}.history", u.dimension);
    let mut latest: Option<NaiveDate> = None;
    for i in 0..doc.length(&history) {
        let entry = item(doc, &history, i, &path)?;
        let entry_on = date_at(doc, &entry, "on", &path)?;
        latest = latest.max(entry_on);
    }
    let h = append_map(doc, &history)?;
    doc.put(&h, "id", u.id.as_str())?;
    doc.put(&h, "status", u.status.key())?;
    put_date(doc, &h, "on", Some(on))?;
    put_opt_str(doc, &h, "visit_id", visit_id)?;
    put_opt_str(doc, &h, "note", u.note.as_deref())?;
    put_by(doc, &h, ctx)?;
    if latest.is_none_or(|l| on >= l) {
        doc.put(&need, "status", u.status.key())?;
        if u.note.is_some() {
            put_opt_str(doc, &need, "note", u.note.as_deref())?;
        }
    }
    Ok(())
}

/// Puts one value over the concurrent values of the field at `path` (a path of
/// [`conflicts`]: map keys, and list items by their id). The case must still read afterwards,
/// so a status its need does not allow is refused.
///
/// A need's status settled this way is also entered in the need's history, on the day of the
/// settlement and signed by the supervisor, so the status "since" carries that day and a report
/// of any later day reads the settled status (a history read alone could pick either of the
/// concurrent entries).
fn resolve(
    doc: &mut AutoCommit,
    path: &str,
    value: &crate::edit::Resolution,
    ctx: &EditContext,
) -> Result<()> {
    use crate::edit::Resolution;
    let not_found = || SchemaError::NotFound {
        what: "conflicting field",
        id: path.to_owned(),
    };
    let mut segments: Vec<&str> = path.split('.').collect();
    let key = segments
        .pop()
        .filter(|k| !k.is_empty())
        .ok_or_else(not_found)?;
    let mut obj = ROOT;
    for seg in segments {
        obj = match doc.object_type(&obj)? {
            ObjType::Map | ObjType::Table => match doc.get(&obj, seg)? {
                Some((Value::Object(_), id)) => id,
                _ => return Err(not_found()),
            },
            ObjType::List | ObjType::Text => find_by_id(doc, &obj, seg)?.ok_or_else(not_found)?,
        };
    }
    if !matches!(doc.object_type(&obj)?, ObjType::Map | ObjType::Table) || path == "actors" {
        return Err(not_found());
    }
    let all = doc.get_all(&obj, key)?;
    if all.len() < 2 {
        return Err(not_found());
    }
    let scalar = |v: &Value<'_>| match v {
        Value::Scalar(s) => Some(s.clone().into_owned()),
        Value::Object(_) => None,
    };
    let chosen: automerge::ScalarValue = match value {
        Resolution::Keep(actor) => all
            .iter()
            .find(|(_, id)| match id {
                automerge::ObjId::Id(_, a, _) => a.to_hex_string() == *actor,
                automerge::ObjId::Root => false,
            })
            .and_then(|(v, _)| scalar(v))
            .ok_or_else(|| SchemaError::NotFound {
                what: "value written by actor",
                id: actor.clone(),
            })?,
        Resolution::Set(text) => {
            let texts = all.iter().all(|(v, _)| {
                matches!(
                    scalar(v),
                    Some(automerge::ScalarValue::Str(_) | automerge::ScalarValue::Null)
                )
            });
            if !texts {
                return Err(SchemaError::Malformed {
                    path: path.to_owned(),
                    expected: "a text field (pick one of the values for others)",
                });
            }
            automerge::ScalarValue::Str(text.trim().into())
        }
    };
    doc.put(&obj, key, chosen.clone())?;
    if let ["needs", dimension, "status"] = path.split('.').collect::<Vec<_>>()[..]
        && let ScalarValue::Str(status) = &chosen
    {
        let history = crate::schema::obj(doc, &obj, "history")?;
        let h = append_map(doc, &history)?;
        let id = format!("settled-{dimension}-{}", ctx.at.timestamp_millis());
        doc.put(&h, "id", id.as_str())?;
        doc.put(&h, "status", status.as_str())?;
        put_date(doc, &h, "on", Some(ctx.at.date_naive()))?;
        doc.put(&h, "visit_id", ScalarValue::Null)?;
        doc.put(&h, "note", ScalarValue::Null)?;
        doc.put(&h, "settles", true)?;
        put_by(doc, &h, ctx)?;
    }
    read_case(doc)?;
    Ok(())
}

/// Records which user this document's actor belongs to, once per actor.
fn note_actor(doc: &mut AutoCommit, author: &Author) -> Result<()> {
    let actors = obj(doc, &ROOT, "actors")?;
    let key = doc.get_actor().to_hex_string();
    if let Some((Value::Object(ObjType::Map), m)) = doc.get(&actors, key.as_str())? {
        let same = str_at(doc, &m, "user_id")?.as_deref() == Some(author.user_id.as_str())
            && str_at(doc, &m, "name")?.as_deref() == Some(author.name.as_str());
        if same {
            return Ok(());
        }
        doc.put(&m, "user_id", author.user_id.as_str())?;
        doc.put(&m, "name", author.name.as_str())?;
        return Ok(());
    }
    let m = doc.put_object(&actors, key.as_str(), ObjType::Map)?;
    doc.put(&m, "user_id", author.user_id.as_str())?;
    doc.put(&m, "name", author.name.as_str())?;
    Ok(())
}

fn put_by(doc: &mut AutoCommit, m: &ObjId, ctx: &EditContext) -> Result<()> {
    put_by_at(doc, m, ctx, "recorded_at")
}

fn put_by_at(doc: &mut AutoCommit, m: &ObjId, ctx: &EditContext, at_key: &str) -> Result<()> {
    doc.put(m, "by", ctx.author.user_id.as_str())?;
    doc.put(m, "by_name", ctx.author.name.as_str())?;
    doc.put(m, at_key, ScalarValue::Timestamp(ctx.at.timestamp_millis()))?;
    Ok(())
}

fn put_opt_str(doc: &mut AutoCommit, m: &ObjId, key: &str, v: Option<&str>) -> Result<()> {
    match v {
        Some(s) => doc.put(m, key, s)?,
        None => doc.put(m, key, ScalarValue::Null)?,
    }
    Ok(())
}

fn put_opt_u64(doc: &mut AutoCommit, m: &ObjId, key: &str, v: Option<u64>) -> Result<()> {
    match v {
        Some(n) => doc.put(m, key, n)?,
        None => doc.put(m, key, ScalarValue::Null)?,
    }
    Ok(())
}

fn put_date(doc: &mut AutoCommit, m: &ObjId, key: &str, v: Option<NaiveDate>) -> Result<()> {
    match v {
        Some(d) => doc.put(m, key, d.format("%Y-%m-%d").to_string())?,
        None => doc.put(m, key, ScalarValue::Null)?,
    }
    Ok(())
}

fn append_map(doc: &mut AutoCommit, list: &ObjId) -> Result<ObjId> {
    let at = doc.length(list);
    Ok(doc.insert_object(list, at, ObjType::Map)?)
}

fn find_by_id<D: ReadDoc>(doc: &D, list: &ObjId, id: &str) -> Result<Option<ObjId>> {
    for i in 0..doc.length(list) {
        if let Some((Value::Object(ObjType::Map), m)) = doc.get(list, i)?
            && str_at(doc, &m, "id")?.as_deref() == Some(id)
        {
            return Ok(Some(m));
        }
    }
    Ok(None)
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

/// Checks the shape of a document against the limits above, before anything reads it
/// recursively: an iterative walk over the visible value of every key (what a reader sees), with
/// an explicit stack, so a hostile document costs at most the limits, never the stack.
pub fn check_shape<D: ReadDoc>(doc: &D) -> Result<()> {
    check_shape_within(doc, &SHAPE_LIMITS)
}

/// [`check_shape`] with other limits (tests use small ones).
pub fn check_shape_within<D: ReadDoc>(doc: &D, limits: &ShapeLimits) -> Result<()> {
    let too_large = |what, limit| SchemaError::TooLarge { what, limit };
    let mut stack: Vec<(ObjId, usize)> = vec![(ROOT, 0)];
    let (mut objects, mut values) = (0usize, 0usize);
    while let Some((obj, depth)) = stack.pop() {
        objects += 1;
        if objects > limits.objects {
            return Err(too_large("objects", limits.objects));
        }
        if doc.object_type(&obj)? == ObjType::Text {
            if doc.length(&obj) > limits.string_bytes {
                return Err(too_large("bytes in one text", limits.string_bytes));
            }
            continue;
        }
        for (value, id) in doc.values(&obj) {
            values += 1;
            if values > limits.values {
                return Err(too_large("values", limits.values));
            }
            match value {
                Value::Object(_) => {
                    if depth + 1 > limits.depth {
                        return Err(SchemaError::TooDeep {
                            limit: limits.depth,
                        });
                    }
                    stack.push((id, depth + 1));
                }
                Value::Scalar(s) => {
                    let len = match s.as_ref() {
                        ScalarValue::Str(t) => t.len(),
                        ScalarValue::Bytes(b) | ScalarValue::Unknown { bytes: b, .. } => b.len(),
                        _ => 0,
                    };
                    if len > limits.string_bytes {
                        return Err(too_large("bytes in one string", limits.string_bytes));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Checks that a change pushed by a device does only what an [`Edit`] does, so that a device
/// can neither sign as someone else nor erase what others recorded:
/// - `by` and `by_name` are written only as `author` (the change's device's user);
/// - under `actors` it writes only its own actor's entry, naming `author`;
/// - it deletes nothing and never replaces an object that existed (every record is appended,
///   every map created at registration), nor overwrites a list item in place.
///
/// `before` is the document without the push, `after` the document with it (and already
/// shape-checked: [`check_shape`]); `change` is one of the pushed changes.
pub fn check_change(
    before: &AutoCommit,
    after: &AutoCommit,
    change: &automerge::Change,
    author: &Author,
) -> Result<()> {
    check_change_as(before, after, change, author, Authority::Device)
}

/// Who made a change the server checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    /// A device's push (a phone's, or a dashboard edit made like one): [`check_change`].
    Device,
    /// The server's own merge of two cases ([`merge`]): it copies records signed by the people
    /// who made them and writes the merge keys, and still deletes and replaces nothing.
    Merge,
}

/// [`check_change`] for a change made with `authority`.
pub fn check_change_as(
    before: &AutoCommit,
    after: &AutoCommit,
    change: &automerge::Change,
    author: &Author,
    authority: Authority,
) -> Result<()> {
    use automerge::legacy::{Key, ObjectId, OpType};
    let device = authority == Authority::Device;
    let own = change.actor_id().to_hex_string();
    let refuse = |what: String| Err(SchemaError::NotAllowed(what));
    for op in change.decode().operations {
        let obj_name = op.obj.to_string();
        let path: Vec<String> = match &op.obj {
            ObjectId::Root => Vec::new(),
            ObjectId::Id(_) => {
                let id = after.import_obj(&obj_name)?;
                after
                    .parents(&id)?
                    .path()
                    .into_iter()
                    .map(|(_, prop)| prop.to_string())
                    .collect()
            }
        };
        let at = |key: &str| {
            let mut p = path.join(".");
            if !p.is_empty() {
                p.push('.');
            }
            p.push_str(key);
            p
        };
        let key = match &op.key {
            Key::Map(k) => Some(k.to_string()),
            Key::Seq(_) => None,
        };
        if matches!(op.action, OpType::Delete) {
            // Keeping one of several concurrent values of a field deletes the others, and the
            // field still holds a value. Any other delete removes a record or a field.
            let holds = |doc: &AutoCommit, k: &str| match doc.import_obj(&obj_name) {
                Ok(o) => doc.get(&o, k).ok().flatten().map(|(v, _)| v.is_object()),
                Err(_) => None,
            };
            let kept = key
                .as_deref()
                .is_some_and(|k| holds(after, k) == Some(false) && holds(before, k) != Some(true));
            if !kept {
                return refuse(format!(
                    "delete {}",
                    at(key.as_deref().unwrap_or("a list item"))
                ));
            }
            continue;
        }
        // The merge's keys are the server's alone: a device that wrote them could hide a child
        // from the reports as "merged" or pass records off as carried.
        let merge_key = |k: &str| matches!(k, "merged_into" | "merged_from" | "carried_from");
        if device && (path.iter().any(|p| merge_key(p)) || key.as_deref().is_some_and(merge_key)) {
            return refuse(format!(
                "write {}: only the server merges cases",
                at(key.as_deref().unwrap_or(""))
            ));
        }
        let Some(key) = key else {
            if !op.insert {
                return refuse(format!("overwrite an item of {} in place", at("")));
            }
            continue;
        };
        // Replacing an object that was there before the push hides everything under it.
        if let Ok(existing) = before.import_obj(&obj_name)
            && let Ok(Some((Value::Object(_), _))) = before.get(&existing, key.as_str())
        {
            return refuse(format!("replace {}", at(&key)));
        }
        // A signature is the user's own, or null (an empty risk override carries no author).
        let put_text = match &op.action {
            OpType::Put(automerge::ScalarValue::Str(s)) => Some(Some(s.to_string())),
            OpType::Put(automerge::ScalarValue::Null) => Some(None),
            _ => None,
        };
        let must_be = |want: &str, what: &str| {
            if put_text
                .as_ref()
                .is_some_and(|v| v.as_deref().is_none_or(|v| v == want))
            {
                Ok(())
            } else {
                refuse(format!(
                    "sign {} with {what} other than its own user's",
                    at(&key)
                ))
            }
        };
        match path.first().map(String::as_str) {
            Some("actors") => {
                if path.get(1).is_some_and(|a| *a != own) {
                    return refuse(format!("write another device's entry {}", at(&key)));
                }
                match (path.len(), key.as_str()) {
                    (1, k) if k != own => {
                        return refuse(format!("write another device's entry {}", at(k)));
                    }
                    (2, "user_id") => must_be(&author.user_id, "a user")?,
                    (2, "name") => must_be(&author.name, "a user name")?,
                    _ => {}
                }
            }
            None if key == "actors" => {}
            // A merge copies records as their authors signed them.
            _ if !device => {}
            _ => match key.as_str() {
                "by" | "outcome_by" | "move_by" | "move_decided_by" => {
                    must_be(&author.user_id, "an author")?;
                }
                "by_name" | "outcome_by_name" | "move_by_name" | "move_decided_by_name" => {
                    must_be(&author.name, "an author name")?;
                }
                _ => {}
            },
        }
    }
    Ok(())
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

/// Reads the whole case. A malformed, foreign or hostile document gives a typed error, never a
/// panic: its shape is checked first ([`check_shape`]).
///
/// The document is hydrated once (one pass over its operations) and read from the tree, which
/// is several times faster than a lookup per field.
pub fn read_case<D: ReadDoc>(doc: &D) -> Result<Case> {
    check_kind(doc)?;
    check_shape(doc)?;
    let root = match doc.hydrate(ROOT, None)? {
        hydrate::Value::Map(m) => m,
        _ => return Err(malformed("", "a map at the root")),
    };
    let root = &root;
    let id = hreq_str(root, "case_id", "case_id")?;

    let child_o = hobj(root, "child", "child")?;
    let name = hreq_str(child_o, "name", "child.name")?;
    let names_o = hlist(child_o, "other_names", "child.other_names")?;
    let mut other_names = Vec::new();
    for v in names_o.iter() {
        match &v.value {
            hydrate::Value::Scalar(ScalarValue::Str(s)) => other_names.push(s.to_string()),
            _ => return Err(malformed("child.other_names", "strings")),
        }
    }
    let sex: Sex = hreq_key(child_o, "sex", "child.sex")?;
    let birth = match hdate(child_o, "dob", "child")? {
        Some(dob) => Birth::Dob(dob),
        None => Birth::Estimated {
            years: u8::try_from(hreq_u64(child_o, "age_years", "child.age_years")?)
                .map_err(|_| malformed("child.age_years", "an age under 256"))?,
            as_of: hreq_date(child_o, "age_as_of", "child.age_as_of")?,
        },
    };
    let cg_o = hobj(child_o, "caregiver", "child.caregiver")?;
    let cg_name = hstr(cg_o, "name")?.unwrap_or_default();
    let caregiver = (!cg_name.is_empty()).then(|| -> Result<Caregiver> {
        Ok(Caregiver {
            name: cg_name.clone(),
            relation: hstr(cg_o, "relation")?.unwrap_or_default(),
            phone: hstr(cg_o, "phone")?,
        })
    });
    let caregiver = caregiver.transpose()?;
    let addr_o = hobj(child_o, "address", "child.address")?;
    let address = Address {
        district: hreq_str(addr_o, "district", "child.address.district")?,
        block: hreq_str(addr_o, "block", "child.address.block")?,
        panchayat: hstr(addr_o, "panchayat")?,
        village: hreq_str(addr_o, "village", "child.address.village")?,
    };

    let r = hobj(root, "rescue", "rescue")?;
    let rescue = Rescue {
        city: hstr(r, "city")?,
        workplace: hstr(r, "workplace")?,
        rescued_on: hdate(r, "rescued_on", "rescue")?,
        shelter_home: hstr(r, "shelter_home")?,
        cwc_order_ref: hstr(r, "cwc_order_ref")?,
        returned_on: hreq_date(r, "returned_on", "rescue.returned_on")?,
        receiving_authority: hstr(r, "receiving_authority")?,
    };

    let lb = hobj(root, "legal_basis", "legal_basis")?;
    let dated = hreq_date(lb, "dated", "legal_basis.dated")?;
    let legal_basis = match hreq_str(lb, "kind", "legal_basis.kind")?.as_str() {
        "cwc_order" => LegalBasis::CwcOrder {
            reference: hreq_str(lb, "reference", "legal_basis.reference")?,
            dated,
        },
        "guardian_consent" => LegalBasis::GuardianConsent {
            given_by: hreq_str(lb, "given_by", "legal_basis.given_by")?,
            dated,
        },
        _ => {
            return Err(malformed(
                "legal_basis.kind",
                "cwc_order or guardian_consent",
            ));
        }
    };

    let needs_o = hobj(root, "needs", "needs")?;
    let mut needs = Vec::with_capacity(Dimension::ALL.len());
    for d in Dimension::ALL {
        let path = format!("needs.{d}");
        let n = hobj(needs_o, d.key(), &path)?;
        let status = Status::parse_for(d, &hreq_str(n, "status", &path)?)
            .map_err(|_| malformed(&path, "a status of this dimension"))?;
        let h = hlist(n, "history", &path)?;
        let mut history = Vec::new();
        for e in hitems(h, &path)? {
            let (by, recorded_at) = hread_by(e, "recorded_at", &path)?;
            history.push(StatusChange {
                id: hreq_str(e, "id", &path)?,
                status: Status::parse_for(d, &hreq_str(e, "status", &path)?)
                    .map_err(|_| malformed(&path, "a status of this dimension"))?,
                on: hreq_date(e, "on", &path)?,
                by,
                recorded_at,
                visit_id: hstr(e, "visit_id")?,
                note: hstr(e, "note")?,
                settles: matches!(hscalar(e, "settles"), Some(ScalarValue::Boolean(true))),
            });
        }
        history.sort_by(|a, b| (a.on, a.recorded_at, &a.id).cmp(&(b.on, b.recorded_at, &b.id)));
        needs.push(Need {
            dimension: d,
            status,
            note: hstr(n, "note")?,
            history,
        });
    }

    let e = hobj(root, "education", "education")?;
    let education = Education {
        kind: hopt_key(e, "kind", "education.kind")?,
        institution: hstr(e, "institution")?,
        class: hstr(e, "class")?,
        enrolled_on: hdate(e, "enrolled_on", "education")?,
        attendance: hstr(e, "attendance")?,
    };

    let s_list = hlist(root, "services", "services")?;
    let mut services = Vec::new();
    for m in hitems(s_list, "services")? {
        let (recorded_by, recorded_at) = hread_by(m, "recorded_at", "services")?;
        services.push(Service {
            id: hreq_str(m, "id", "services")?,
            dimension: hreq_key(m, "dimension", "services.dimension")?,
            scheme: hreq_str(m, "scheme", "services.scheme")?,
            applied_on: hdate(m, "applied_on", "services")?,
            sanctioned_on: hdate(m, "sanctioned_on", "services")?,
            paid_on: hdate(m, "paid_on", "services")?,
            amount: hu64(m, "amount", "services.amount")?,
            stuck_reason: hstr(m, "stuck_reason")?,
            recorded_by,
            recorded_at,
        });
    }

    let l = hobj(root, "legal", "legal")?;
    let sum_o = hlist(l, "summonses", "legal.summonses")?;
    let mut summonses = Vec::new();
    for m in hitems(sum_o, "legal.summonses")? {
        let (recorded_by, recorded_at) = hread_by(m, "recorded_at", "legal.summonses")?;
        let outcome = match hopt_key(m, "outcome", "legal.summonses.outcome")? {
            None => None,
            Some(result) => {
                let (recorded_by, recorded_at) = hread_signed(
                    m,
                    ("outcome_by", "outcome_by_name", "outcome_at"),
                    "legal.summonses.outcome",
                )?;
                Some(HearingOutcome {
                    held_on: hreq_date(m, "held_on", "legal.summonses")?,
                    result,
                    next_hearing_on: hdate(m, "next_hearing_on", "legal.summonses")?,
                    note: hstr(m, "outcome_note")?,
                    recorded_by,
                    recorded_at,
                })
            }
        };
        summonses.push(Summons {
            id: hreq_str(m, "id", "legal.summonses")?,
            received_on: hreq_date(m, "received_on", "legal.summonses")?,
            hearing_on: hreq_date(m, "hearing_on", "legal.summonses")?,
            mode: hopt_key(m, "mode", "legal.summonses.mode")?,
            follows: hstr(m, "follows")?,
            outcome,
            recorded_by,
            recorded_at,
        });
    }
    let inc_o = hlist(l, "incidents", "legal.incidents")?;
    let mut incidents = Vec::new();
    for m in hitems(inc_o, "legal.incidents")? {
        let (recorded_by, recorded_at) = hread_by(m, "recorded_at", "legal.incidents")?;
        incidents.push(Incident {
            id: hreq_str(m, "id", "legal.incidents")?,
            on: hreq_date(m, "on", "legal.incidents")?,
            what: hreq_str(m, "what", "legal.incidents")?,
            police_informed: hbool(m, "police_informed", "legal.incidents")?,
            recorded_by,
            recorded_at,
        });
    }
    let legal = LegalCase {
        court_case_ref: hstr(l, "court_case_ref")?,
        court: hstr(l, "court")?,
        lawyer_authorised_on: hdate(l, "lawyer_authorised_on", "legal")?,
        lawyer_authorised_by: hstr(l, "lawyer_authorised_by")?,
        summonses,
        incidents,
    };

    let d_o = hobj(root, "documents", "documents")?;
    let mut documents = BTreeMap::new();
    for k in DocumentKind::ALL {
        let path = format!("documents.{k}");
        if let Some(hydrate::Value::Map(m)) = d_o.get(k.key()) {
            documents.insert(
                *k,
                DocumentEntry {
                    state: hreq_key(m, "state", &path)?,
                    on: hdate(m, "on", &path)?,
                },
            );
        }
    }

    let v_list = hlist(root, "visits", "visits")?;
    let mut visits = Vec::new();
    for m in hitems(v_list, "visits")? {
        let (by, recorded_at) = hread_by(m, "recorded_at", "visits")?;
        let vid = hreq_str(m, "id", "visits")?;
        let updates = needs
            .iter()
            .flat_map(|n| {
                n.history
                    .iter()
                    .filter(|c| c.visit_id.as_deref() == Some(vid.as_str()))
                    .map(|c| (n.dimension, c.status))
            })
            .collect();
        visits.push(Visit {
            id: vid,
            date: hreq_date(m, "date", "visits")?,
            by,
            kind: hreq_key::<VisitKind>(m, "kind", "visits.kind")?,
            met: hstr(m, "met")?,
            note: hstr(m, "note")?,
            next_steps: hstr(m, "next_steps")?,
            summons_id: hstr(m, "summons_id")?,
            safety_checked: match hscalar(m, "safety_checked") {
                None | Some(ScalarValue::Null) => false,
                Some(_) => hbool(m, "safety_checked", "visits")?,
            },
            recorded_at,
            updates,
        });
    }
    visits.sort_by(|a, b| (a.date, a.recorded_at, &a.id).cmp(&(b.date, b.recorded_at, &b.id)));

    let ro = hobj(root, "risk_override", "risk_override")?;
    let risk_override = match hopt_key::<Risk>(ro, "level", "risk_override.level")? {
        Some(level) => {
            let (by, at) = hread_by(ro, "at", "risk_override")?;
            Some(RiskOverride {
                level,
                by,
                reason: hstr(ro, "reason")?.unwrap_or_default(),
                at,
            })
        }
        None => None,
    };

    let st = hobj(root, "status", "status")?;
    let move_request = match hstr(st, "move_district")? {
        None => None,
        Some(district) => Some(MoveRequest {
            district,
            block: hstr(st, "move_block")?.unwrap_or_default(),
            village: hstr(st, "move_village")?.unwrap_or_default(),
            reason: hstr(st, "move_reason")?.unwrap_or_default(),
            on: hreq_date(st, "move_on", "status")?,
            requested_by: Author {
                user_id: hreq_str(st, "move_by", "status")?,
                name: hstr(st, "move_by_name")?.unwrap_or_default(),
            },
        }),
    };
    let move_decision = match hstr(st, "move_decision")?.as_deref() {
        None => None,
        Some(d) => Some(MoveDecision {
            approved: d == "approved",
            note: hstr(st, "move_note")?,
            by: Author {
                user_id: hreq_str(st, "move_decided_by", "status")?,
                name: hstr(st, "move_decided_by_name")?.unwrap_or_default(),
            },
        }),
    };
    let merged_from = match st.get("merged_from") {
        None => Vec::new(),
        Some(hydrate::Value::List(l)) => l
            .iter()
            .map(|v| match &v.value {
                hydrate::Value::Scalar(ScalarValue::Str(s)) => Ok(s.to_string()),
                _ => Err(malformed("status.merged_from", "a list of case ids")),
            })
            .collect::<Result<_>>()?,
        Some(_) => return Err(malformed("status.merged_from", "a list of case ids")),
    };
    let status = CaseStatus {
        state: hreq_key(st, "state", "status.state")?,
        reason: hstr(st, "reason")?,
        since: hreq_date(st, "since", "status.since")?,
        move_request,
        move_decision,
        merged_into: hstr(st, "merged_into")?,
        merged_from,
    };

    Ok(Case {
        id,
        child: Child {
            name,
            other_names,
            sex,
            birth,
            caregiver,
            address,
        },
        rescue,
        legal_basis,
        needs,
        education,
        services,
        legal,
        documents,
        visits,
        risk_override,
        status,
    })
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

/// One value of a conflicted field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ConflictValue {
    /// The value as text (`null` for an absent value).
    pub value: String,
    /// The actor (device installation) that wrote it, as hex.
    pub actor: String,
    /// The user behind that actor, if the document records it.
    pub author: Option<Author>,
}

/// A field that was set concurrently on two or more devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Conflict {
    /// Where, as a dotted path (`needs.education.status`, `services.<id>.paid_on`).
    pub path: String,
    /// Every value, the one Automerge currently shows first.
    pub values: Vec<ConflictValue>,
}

/// Lists every field of the case that holds concurrent values, with each value and its author.
/// The supervisors' conflict queue is built on it.
pub fn conflicts<D: ReadDoc>(doc: &D) -> Result<Vec<Conflict>> {
    check_kind(doc)?;
    check_shape(doc)?;
    // Most cases have no conflict: one hydration tells, before the slower walk with `get_all`.
    let root = doc.hydrate(ROOT, None)?;
    if !any_conflict(&root, true) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    walk_conflicts(doc, &ROOT, String::new(), &mut out)?;
    Ok(out)
}

fn walk_conflicts<D: ReadDoc>(
    doc: &D,
    obj: &ObjId,
    path: String,
    out: &mut Vec<Conflict>,
) -> Result<()> {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match doc.object_type(obj)? {
        ObjType::Map | ObjType::Table => {
            let keys: Vec<String> = doc.keys(obj).collect();
            for key in keys {
                // The actor map is bookkeeping: each device writes only its own key.
                if path.is_empty() && key == "actors" {
                    continue;
                }
                let all = doc.get_all(obj, key.as_str())?;
                if all.len() > 1 {
                    let mut values = Vec::new();
                    for (v, id) in &all {
                        let actor = match id {
                            automerge::ObjId::Id(_, actor, _) => actor.clone(),
                            automerge::ObjId::Root => ActorId::from(&[][..]),
                        };
                        values.push(ConflictValue {
                            value: value_text(v),
                            actor: actor.to_hex_string(),
                            author: actor_author(doc, &actor)?,
                        });
                    }
                    out.push(Conflict {
                        path: join(&key),
                        values,
                    });
                }
                if let Some((Value::Object(_), child)) = doc.get(obj, key.as_str())? {
                    walk_conflicts(doc, &child, join(&key), out)?;
                }
            }
        }
        ObjType::List | ObjType::Text => {
            for i in 0..doc.length(obj) {
                if let Some((Value::Object(ObjType::Map), child)) = doc.get(obj, i)? {
                    // List items are named by their id, which stays put when others are added.
                    let name = str_at(doc, &child, "id")?.unwrap_or_else(|| i.to_string());
                    walk_conflicts(doc, &child, join(&name), out)?;
                }
            }
        }
    }
    Ok(())
}

/// Whether any field under `v` holds concurrent values (the root's `actors` map aside).
fn any_conflict(v: &hydrate::Value, at_root: bool) -> bool {
    match v {
        hydrate::Value::Map(m) => m.iter().any(|(key, mv)| {
            !(at_root && key == "actors") && (mv.conflict || any_conflict(&mv.value, false))
        }),
        hydrate::Value::List(l) => l
            .iter()
            .any(|lv| lv.conflict || any_conflict(&lv.value, false)),
        hydrate::Value::Scalar(_) | hydrate::Value::Text(_) => false,
    }
}

fn value_text(v: &Value<'_>) -> String {
    match v {
        Value::Object(t) => format!("<{t:?}>"),
        Value::Scalar(s) => match s.as_ref() {
            ScalarValue::Str(s) => s.to_string(),
            ScalarValue::Null => "null".into(),
            ScalarValue::Timestamp(ms) => DateTime::<Utc>::from_timestamp_millis(*ms)
                .map_or_else(|| ms.to_string(), |t| t.to_rfc3339()),
            other => other.to_string(),
        },
    }
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

// Reading from a hydrated tree (read_case).

fn hobj<'a>(m: &'a hydrate::Map, key: &str, path: &str) -> Result<&'a hydrate::Map> {
    match m.get(key) {
        Some(hydrate::Value::Map(x)) => Ok(x),
        _ => Err(malformed(path, "an object")),
    }
}

fn hlist<'a>(m: &'a hydrate::Map, key: &str, path: &str) -> Result<&'a hydrate::List> {
    match m.get(key) {
        Some(hydrate::Value::List(x)) => Ok(x),
        _ => Err(malformed(path, "a list")),
    }
}

fn hitems<'a>(list: &'a hydrate::List, path: &str) -> Result<Vec<&'a hydrate::Map>> {
    list.iter()
        .map(|v| match &v.value {
            hydrate::Value::Map(m) => Ok(m),
            _ => Err(malformed(path, "a list of maps")),
        })
        .collect()
}

fn hscalar<'a>(m: &'a hydrate::Map, key: &str) -> Option<&'a ScalarValue> {
    match m.get(key) {
        Some(hydrate::Value::Scalar(s)) => Some(s),
        _ => None,
    }
}

fn hstr(m: &hydrate::Map, key: &str) -> Result<Option<String>> {
    match m.get(key) {
        Some(hydrate::Value::Scalar(ScalarValue::Str(s))) => Ok(Some(s.to_string())),
        Some(hydrate::Value::Scalar(ScalarValue::Null)) | None => Ok(None),
        Some(_) => Err(malformed(key, "a string")),
    }
}

fn hreq_str(m: &hydrate::Map, key: &str, path: &str) -> Result<String> {
    match hstr(m, key) {
        Ok(Some(s)) => Ok(s),
        _ => Err(malformed(&format!("{path}.{key}"), "a string")),
    }
}

fn hreq_key<T: std::str::FromStr>(m: &hydrate::Map, key: &str, path: &str) -> Result<T> {
    hreq_str(m, key, path)?
        .parse()
        .map_err(|_| malformed(path, "a known value"))
}

fn hopt_key<T: std::str::FromStr>(m: &hydrate::Map, key: &str, path: &str) -> Result<Option<T>> {
    hstr(m, key)
        .map_err(|_| malformed(path, "a string"))?
        .map(|s| s.parse().map_err(|_| malformed(path, "a known value")))
        .transpose()
}

fn hdate(m: &hydrate::Map, key: &str, path: &str) -> Result<Option<NaiveDate>> {
    let bad = || malformed(&format!("{path}.{key}"), "a date (YYYY-MM-DD)");
    hstr(m, key)
        .map_err(|_| bad())?
        .map(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| bad()))
        .transpose()
}

fn hreq_date(m: &hydrate::Map, key: &str, path: &str) -> Result<NaiveDate> {
    hdate(m, key, path)?.ok_or_else(|| malformed(path, "a date (YYYY-MM-DD)"))
}

fn hu64(m: &hydrate::Map, key: &str, path: &str) -> Result<Option<u64>> {
    match m.get(key) {
        None => Ok(None),
        Some(hydrate::Value::Scalar(s)) => whole_number(s, path),
        Some(_) => Err(malformed(path, "a whole number")),
    }
}

fn hreq_u64(m: &hydrate::Map, key: &str, path: &str) -> Result<u64> {
    hu64(m, key, path)?.ok_or_else(|| malformed(path, "a whole number"))
}

fn hbool(m: &hydrate::Map, key: &str, path: &str) -> Result<bool> {
    match hscalar(m, key) {
        Some(ScalarValue::Boolean(b)) => Ok(*b),
        _ => Err(malformed(path, "true or false")),
    }
}

fn hread_by(m: &hydrate::Map, at_key: &str, path: &str) -> Result<(Author, DateTime<Utc>)> {
    hread_signed(m, ("by", "by_name", at_key), path)
}

/// Reads an author and a moment from the keys `(user id, user name, moment)`.
fn hread_signed(
    m: &hydrate::Map,
    (by_key, name_key, at_key): (&str, &str, &str),
    path: &str,
) -> Result<(Author, DateTime<Utc>)> {
    let author = Author {
        user_id: hreq_str(m, by_key, path)?,
        name: hstr(m, name_key)?.unwrap_or_default(),
    };
    let at = match hscalar(m, at_key) {
        Some(ScalarValue::Timestamp(ms) | ScalarValue::Int(ms)) => {
            DateTime::<Utc>::from_timestamp_millis(*ms)
        }
        _ => None,
    };
    let at = at.ok_or_else(|| malformed(path, "a timestamp"))?;
    Ok((author, at))
}

/// A non-negative whole number, as Rust (uint, int) or JavaScript (float) writes it.
fn whole_number(s: &ScalarValue, path: &str) -> Result<Option<u64>> {
    match s {
        ScalarValue::Uint(n) => Ok(Some(*n)),
        ScalarValue::Int(n) if *n >= 0 => Ok(Some(n.unsigned_abs())),
        ScalarValue::F64(f) if *f >= 0.0 && f.fract() == 0.0 && *f < 9.0e15 => {
            // JavaScript writes whole numbers as floats.
            Ok(Some(f.round() as u64))
        }
        ScalarValue::Null => Ok(None),
        _ => Err(malformed(path, "a whole number")),
    }
}
