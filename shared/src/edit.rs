//! Every way a case can change, as data.
//!
//! An [`Edit`] is what a screen or a command line verb produces, what the field store applies in
//! one transaction, and what the synthetic generator and property tests produce at random. The
//! schema applies it to a document ([`crate::schema::apply`]); [`Edit::check`] refuses bad input
//! before anything is written.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{
    Author, Birth, Caregiver, CaseState, DocumentKind, DocumentState, Education, HearingMode,
    HearingResult, Profile, Risk, ServiceDimension, VisitKind,
};
use crate::need::{Dimension, Status};

/// Who makes an edit and when. Passed in: `shared` reads no clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditContext {
    /// The user making the edit.
    pub author: Author,
    /// The moment the edit is recorded.
    pub at: DateTime<Utc>,
}

/// A change of one need's status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NeedUpdate {
    /// Id of the history entry this creates.
    pub id: String,
    /// The dimension.
    pub dimension: Dimension,
    /// The new status; must be one the dimension allows.
    pub status: Status,
    /// A note on the need.
    pub note: Option<String>,
}

/// A visit to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NewVisit {
    /// Id of the visit.
    pub id: String,
    /// The day of the visit.
    pub date: NaiveDate,
    /// What kind of contact.
    pub kind: VisitKind,
    /// Who was met.
    pub met: Option<String>,
    /// Notes.
    pub note: Option<String>,
    /// Agreed next steps.
    pub next_steps: Option<String>,
    /// The summons discussed with the family (answers its "reach the family" prompt).
    #[serde(default)]
    pub summons_id: Option<String>,
    /// Whether the child's safety was checked (answers a harassment prompt).
    #[serde(default)]
    pub safety_checked: bool,
}

/// A compensation claim or entitlement to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NewService {
    /// Id of the service.
    pub id: String,
    /// Compensation or entitlements.
    pub dimension: ServiceDimension,
    /// Scheme key or name.
    pub scheme: String,
    /// Application date.
    pub applied_on: Option<NaiveDate>,
    /// Sanction date.
    pub sanctioned_on: Option<NaiveDate>,
    /// Payment date.
    pub paid_on: Option<NaiveDate>,
    /// Amount in rupees.
    pub amount: Option<u64>,
    /// Why it is stuck.
    pub stuck_reason: Option<String>,
}

/// Progress on a recorded service. `None` leaves a field as it is.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ServiceProgress {
    /// Id of the service.
    pub id: String,
    /// Application date.
    pub applied_on: Option<NaiveDate>,
    /// Sanction date.
    pub sanctioned_on: Option<NaiveDate>,
    /// Payment date.
    pub paid_on: Option<NaiveDate>,
    /// Amount in rupees.
    pub amount: Option<u64>,
    /// Why it is stuck; an empty text clears it (no longer stuck).
    pub stuck_reason: Option<String>,
}

/// A court summons to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NewSummons {
    /// Id of the summons.
    pub id: String,
    /// The day it was received.
    pub received_on: NaiveDate,
    /// Hearing date.
    pub hearing_on: NaiveDate,
    /// In person or by video, if known.
    pub mode: Option<HearingMode>,
}

/// The outcome of a summons' hearing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NewHearing {
    /// Id of the next hearing, appended as a summons of its own when `next_hearing_on` is set
    /// (and what makes a retried edit a no-op).
    pub id: String,
    /// The summons (or earlier hearing) whose hearing this reports.
    pub summons_id: String,
    /// The day the hearing was held.
    pub held_on: NaiveDate,
    /// What happened.
    #[serde(rename = "outcome")]
    pub result: HearingResult,
    /// The next hearing's date: required when adjourned.
    pub next_hearing_on: Option<NaiveDate>,
    /// Why the family did not attend (required then), or any note.
    pub note: Option<String>,
}

/// A harassment incident to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NewIncident {
    /// Id of the incident.
    pub id: String,
    /// Date of the incident.
    pub on: NaiveDate,
    /// What happened.
    pub what: String,
    /// Whether the police were informed.
    pub police_informed: bool,
}

/// Which value stays when a supervisor settles a conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// The value the device with this actor id (hex) wrote, exactly as it was.
    Keep(String),
    /// A new value for a text field (a status by its key, a phone number, a note).
    Set(String),
}

/// One edit of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case", tag = "edit")]
pub enum Edit {
    /// Creates the case. Only valid on an empty document.
    Register(Box<Profile>),
    /// Records a visit (an initial assessment is a visit of that kind) and the need updates
    /// made during it.
    RecordVisit {
        /// The visit.
        visit: NewVisit,
        /// Need updates made during the visit.
        updates: Vec<NeedUpdate>,
    },
    /// Sets a need's status outside a visit (for example on news by phone from the school).
    SetNeed {
        /// The update.
        update: NeedUpdate,
        /// The day the status was observed.
        on: NaiveDate,
    },
    /// Records a new compensation claim or entitlement.
    AddService(NewService),
    /// Records progress on a service.
    UpdateService(ServiceProgress),
    /// Sets the education record.
    SetEducation(Education),
    /// Records a court summons.
    AddSummons(NewSummons),
    /// Records what happened at a summons' hearing (and the next hearing's date).
    RecordHearing(NewHearing),
    /// Sets the court case reference, the court and the lawyer's authorisation.
    SetLegal {
        /// Court case reference; `None` leaves it as it is.
        court_case_ref: Option<String>,
        /// The court; `None` leaves it as it is.
        #[serde(default)]
        court: Option<String>,
        /// Day the family authorised a lawyer; `None` leaves it as it is.
        lawyer_authorised_on: Option<NaiveDate>,
        /// Who in the family gave the authorisation; `None` leaves it as it is.
        #[serde(default)]
        lawyer_authorised_by: Option<String>,
    },
    /// Records a harassment incident.
    AddIncident(NewIncident),
    /// Records later that the police were informed of an incident.
    UpdateIncident {
        /// Id of the incident.
        id: String,
        /// Whether the police were informed.
        police_informed: bool,
    },
    /// Marks a document on the checklist.
    SetDocument {
        /// Which document.
        kind: DocumentKind,
        /// Its state.
        state: DocumentState,
        /// The day it reached that state.
        on: NaiveDate,
    },
    /// Updates the caregiver.
    SetCaregiver(Caregiver),
    /// Overrides the computed risk level, or clears the override with `level: None`.
    OverrideRisk {
        /// The level, or `None` to go back to the computed one.
        level: Option<Risk>,
        /// Why (required when setting a level).
        reason: String,
    },
    /// Settles a field that devices set concurrently (the supervisors' conflict queue): one
    /// value replaces them all, on every device once synced.
    ResolveConflict {
        /// The field, as [`crate::schema::conflicts`] names it (`needs.education.status`).
        path: String,
        /// Which value stays.
        value: Resolution,
    },
    /// The family moved to another block or district: asks the supervisor to move the case
    /// (the phone asks; the supervisor decides, with [`Edit::SettleMove`]).
    RequestTransfer {
        /// The new district.
        district: String,
        /// The new block.
        block: String,
        /// The new village.
        village: String,
        /// Why.
        reason: String,
        /// The day the family moved, or the fieldworker learned of it.
        on: NaiveDate,
    },
    /// A supervisor's decision on the move request (made on the server): approved, the child's
    /// address becomes the requested one; refused, the request is withdrawn with the note.
    SettleMove {
        /// Approved or refused.
        approved: bool,
        /// A note (required when refusing).
        note: Option<String>,
    },
    /// Changes the case status (close, transfer, missing, re-trafficked, reopen).
    SetStatus {
        /// The new state.
        state: CaseState,
        /// Reason or note (required for anything but `active`).
        reason: Option<String>,
        /// Since when.
        since: NaiveDate,
    },
}

/// Why an edit was refused. Nothing of a refused edit is written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidEdit {
    /// A status that the dimension does not allow.
    #[error("status '{status}' is not one of {dimension}'s statuses")]
    StatusNotAllowed {
        /// The dimension.
        dimension: Dimension,
        /// The status given.
        status: Status,
    },
    /// Dates in an impossible order.
    #[error("{later} ({later_on}) cannot be before {earlier} ({earlier_on})")]
    DatesOutOfOrder {
        /// The field that must come first.
        earlier: &'static str,
        /// Its date.
        earlier_on: NaiveDate,
        /// The field that must come later.
        later: &'static str,
        /// Its date.
        later_on: NaiveDate,
    },
    /// A date after the moment of recording (a visit cannot be recorded before it happens).
    #[error("{what} ({on}) is in the future")]
    InFuture {
        /// The field.
        what: &'static str,
        /// Its date.
        on: NaiveDate,
    },
    /// A date before any date Homeward records ([`EARLIEST_DAY`]; a birth date:
    /// [`EARLIEST_BIRTH`]): a mistyped year such as 0020.
    #[error("{what} ({on}) is too early: check the year")]
    TooEarly {
        /// The field.
        what: &'static str,
        /// Its date.
        on: NaiveDate,
    },
    /// A required text is empty.
    #[error("{0} must not be empty")]
    Empty(&'static str),
    /// A value the edit needs is missing (a next hearing date for an adjourned hearing).
    #[error("{0} is required")]
    Required(&'static str),
    /// The same dimension is updated twice in one visit.
    #[error("{0} is updated twice in one visit")]
    DuplicateUpdate(Dimension),
    /// A text longer than its field allows.
    #[error("{what} is longer than {max} characters")]
    TooLong {
        /// The field.
        what: &'static str,
        /// The most characters it takes.
        max: usize,
    },
    /// More items than a field allows.
    #[error("{what}: more than {max}")]
    TooMany {
        /// The field.
        what: &'static str,
        /// The most it takes.
        max: usize,
    },
}

/// The earliest day any event of a case may carry (a rescue, a visit, a claim, a hearing):
/// Homeward's programmes began long after it, so an earlier date is a typing mistake.
pub const EARLIEST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => panic!("a valid date"),
};
/// The earliest birth date (or age estimate date) a child may carry.
pub const EARLIEST_BIRTH: NaiveDate = match NaiveDate::from_ymd_opt(1980, 1, 1) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// The longest id (of a case, a visit, a service...), in characters.
pub const MAX_ID: usize = 64;
/// The longest name or short text (a person, a place, a scheme, a reference), in characters.
pub const MAX_NAME: usize = 200;
/// The longest note (a visit's note, next steps, what happened, a reason), in characters.
pub const MAX_NOTE: usize = 2_000;
/// The most other names a child may be recorded with.
pub const MAX_OTHER_NAMES: usize = 10;
/// The most need updates in one visit (one per dimension, with room for more dimensions).
pub const MAX_UPDATES: usize = 20;

fn within(what: &'static str, s: &str, max: usize) -> Result<(), InvalidEdit> {
    if s.chars().count() > max {
        Err(InvalidEdit::TooLong { what, max })
    } else {
        Ok(())
    }
}

fn within_opt(what: &'static str, s: Option<&str>, max: usize) -> Result<(), InvalidEdit> {
    s.map_or(Ok(()), |s| within(what, s, max))
}

impl Edit {
    /// Checks every text of the edit against its field's length limit, so that no device can
    /// fill a case (and the dashboard pages and reports that show it) with megabytes of text.
    pub fn check_lengths(&self) -> Result<(), InvalidEdit> {
        let need_update = |u: &NeedUpdate| {
            within("need update id", &u.id, MAX_ID)?;
            within_opt("note", u.note.as_deref(), MAX_NOTE)
        };
        match self {
            Edit::Register(p) => {
                within("case id", &p.case_id, MAX_ID)?;
                let c = &p.child;
                within("name", &c.name, MAX_NAME)?;
                if c.other_names.len() > MAX_OTHER_NAMES {
                    return Err(InvalidEdit::TooMany {
                        what: "other names",
                        max: MAX_OTHER_NAMES,
                    });
                }
                for n in &c.other_names {
                    within("other name", n, MAX_NAME)?;
                }
                if let Some(cg) = &c.caregiver {
                    check_caregiver(cg)?;
                }
                let a = &c.address;
                within("district", &a.district, MAX_NAME)?;
                within("block", &a.block, MAX_NAME)?;
                within_opt("panchayat", a.panchayat.as_deref(), MAX_NAME)?;
                within("village", &a.village, MAX_NAME)?;
                let r = &p.rescue;
                within_opt("city", r.city.as_deref(), MAX_NAME)?;
                within_opt("workplace", r.workplace.as_deref(), MAX_NAME)?;
                within_opt("shelter home", r.shelter_home.as_deref(), MAX_NAME)?;
                within_opt("CWC order reference", r.cwc_order_ref.as_deref(), MAX_NAME)?;
                within_opt(
                    "receiving authority",
                    r.receiving_authority.as_deref(),
                    MAX_NAME,
                )?;
                match &p.legal_basis {
                    crate::model::LegalBasis::CwcOrder { reference, .. } => {
                        within("order reference", reference, MAX_NAME)
                    }
                    crate::model::LegalBasis::GuardianConsent { given_by, .. } => {
                        within("consent given by", given_by, MAX_NAME)
                    }
                }
            }
            Edit::RecordVisit { visit, updates } => {
                within("visit id", &visit.id, MAX_ID)?;
                within_opt("who was met", visit.met.as_deref(), MAX_NAME)?;
                within_opt("note", visit.note.as_deref(), MAX_NOTE)?;
                within_opt("next steps", visit.next_steps.as_deref(), MAX_NOTE)?;
                within_opt("summons id", visit.summons_id.as_deref(), MAX_ID)?;
                if updates.len() > MAX_UPDATES {
                    return Err(InvalidEdit::TooMany {
                        what: "need updates in one visit",
                        max: MAX_UPDATES,
                    });
                }
                updates.iter().try_for_each(need_update)
            }
            Edit::SetNeed { update, .. } => need_update(update),
            Edit::AddService(s) => {
                within("service id", &s.id, MAX_ID)?;
                within("scheme", &s.scheme, MAX_NAME)?;
                within_opt("why it is stuck", s.stuck_reason.as_deref(), MAX_NOTE)
            }
            Edit::UpdateService(s) => {
                within("service id", &s.id, MAX_ID)?;
                within_opt("why it is stuck", s.stuck_reason.as_deref(), MAX_NOTE)
            }
            Edit::SetEducation(e) => {
                within_opt("school", e.institution.as_deref(), MAX_NAME)?;
                within_opt("class", e.class.as_deref(), MAX_NAME)?;
                within_opt("attendance", e.attendance.as_deref(), MAX_NAME)
            }
            Edit::AddSummons(s) => within("summons id", &s.id, MAX_ID),
            Edit::RecordHearing(h) => {
                within("hearing id", &h.id, MAX_ID)?;
                within("summons id", &h.summons_id, MAX_ID)?;
                within_opt("note", h.note.as_deref(), MAX_NOTE)
            }
            Edit::SetLegal {
                court_case_ref,
                court,
                lawyer_authorised_by,
                ..
            } => {
                within_opt("court case reference", court_case_ref.as_deref(), MAX_NAME)?;
                within_opt("court", court.as_deref(), MAX_NAME)?;
                within_opt(
                    "lawyer authorised by",
                    lawyer_authorised_by.as_deref(),
                    MAX_NAME,
                )
            }
            Edit::UpdateIncident { id, .. } => within("incident id", id, MAX_ID),
            Edit::RequestTransfer {
                district,
                block,
                village,
                reason,
                ..
            } => {
                within("district", district, MAX_NAME)?;
                within("block", block, MAX_NAME)?;
                within("village", village, MAX_NAME)?;
                within("reason", reason, MAX_NOTE)
            }
            Edit::SettleMove { note, .. } => within_opt("note", note.as_deref(), MAX_NOTE),
            Edit::AddIncident(i) => {
                within("incident id", &i.id, MAX_ID)?;
                within("what happened", &i.what, MAX_NOTE)
            }
            Edit::SetDocument { .. } => Ok(()),
            Edit::SetCaregiver(c) => check_caregiver(c),
            Edit::OverrideRisk { reason, .. } => within("reason", reason, MAX_NOTE),
            Edit::ResolveConflict { path, value } => {
                within("path", path, MAX_NAME)?;
                match value {
                    Resolution::Keep(actor) => within("actor", actor, MAX_ID),
                    Resolution::Set(text) => within("value", text, MAX_NOTE),
                }
            }
            Edit::SetStatus { reason, .. } => within_opt("reason", reason.as_deref(), MAX_NOTE),
        }
    }
}

fn check_caregiver(c: &Caregiver) -> Result<(), InvalidEdit> {
    within("caregiver name", &c.name, MAX_NAME)?;
    within("relation", &c.relation, MAX_NAME)?;
    within_opt("phone", c.phone.as_deref(), MAX_NAME)
}

impl Edit {
    /// Checks what can be checked without the document: text lengths, statuses, date order,
    /// required text.
    ///
    /// "In the future" means after the recording day: the UTC date of `ctx.at` plus one day,
    /// since a field date is a local date and India is ahead of UTC.
    pub fn check(&self, ctx: &EditContext) -> Result<(), InvalidEdit> {
        self.check_lengths()?;
        let today = latest_day(ctx);
        // Every date of an event: not before Homeward's earliest day, not after today.
        let not_future = |what, on| day_within(what, on, EARLIEST_DAY, today);
        let update_ok = |u: &NeedUpdate| {
            if u.dimension.allows(u.status) {
                Ok(())
            } else {
                Err(InvalidEdit::StatusNotAllowed {
                    dimension: u.dimension,
                    status: u.status,
                })
            }
        };
        match self {
            Edit::Register(p) => {
                nonempty("case id", &p.case_id)?;
                nonempty("name", &p.child.name)?;
                nonempty("district", &p.child.address.district)?;
                nonempty("block", &p.child.address.block)?;
                nonempty("village", &p.child.address.village)?;
                not_future("returned on", p.rescue.returned_on)?;
                if let Some(rescued) = p.rescue.rescued_on {
                    not_future("rescued on", rescued)?;
                }
                match p.child.birth {
                    Birth::Dob(dob) => day_within("date of birth", dob, EARLIEST_BIRTH, today)?,
                    Birth::Estimated { as_of, .. } => not_future("age estimated on", as_of)?,
                }
                let (crate::model::LegalBasis::CwcOrder { dated, .. }
                | crate::model::LegalBasis::GuardianConsent { dated, .. }) = p.legal_basis;
                not_future("legal basis dated", dated)?;
                in_order(
                    "rescued on",
                    p.rescue.rescued_on,
                    "returned on",
                    Some(p.rescue.returned_on),
                )?;
                Ok(())
            }
            Edit::RecordVisit { visit, updates } => {
                nonempty("visit id", &visit.id)?;
                not_future("visit date", visit.date)?;
                let mut seen = Vec::new();
                for u in updates {
                    update_ok(u)?;
                    if seen.contains(&u.dimension) {
                        return Err(InvalidEdit::DuplicateUpdate(u.dimension));
                    }
                    seen.push(u.dimension);
                }
                Ok(())
            }
            Edit::SetNeed { update, on } => {
                not_future("date", *on)?;
                update_ok(update)
            }
            Edit::AddService(s) => {
                nonempty("scheme", &s.scheme)?;
                service_dates(s.applied_on, s.sanctioned_on, s.paid_on, today)
            }
            Edit::RecordHearing(h) => {
                nonempty("hearing id", &h.id)?;
                nonempty("summons id", &h.summons_id)?;
                not_future("hearing held on", h.held_on)?;
                if let Some(next) = h.next_hearing_on {
                    day_within("next hearing", next, EARLIEST_DAY, NaiveDate::MAX)?;
                    in_order(
                        "hearing held on",
                        Some(h.held_on),
                        "next hearing",
                        Some(next),
                    )?;
                    if next == h.held_on {
                        return Err(InvalidEdit::DatesOutOfOrder {
                            earlier: "hearing held on",
                            earlier_on: h.held_on,
                            later: "next hearing",
                            later_on: next,
                        });
                    }
                }
                match h.result {
                    HearingResult::Adjourned if h.next_hearing_on.is_none() => {
                        Err(InvalidEdit::Required("next hearing date"))
                    }
                    HearingResult::NotAttended => nonempty(
                        "why the family did not attend",
                        h.note.as_deref().unwrap_or(""),
                    ),
                    _ => Ok(()),
                }
            }
            Edit::UpdateIncident { id, .. } => nonempty("incident id", id),
            Edit::RequestTransfer {
                district,
                block,
                village,
                reason,
                on,
            } => {
                nonempty("district", district)?;
                nonempty("block", block)?;
                nonempty("village", village)?;
                nonempty("reason", reason)?;
                not_future("moved on", *on)
            }
            Edit::SettleMove { approved, note } => {
                if !approved {
                    nonempty("note", note.as_deref().unwrap_or(""))?;
                }
                Ok(())
            }
            Edit::UpdateService(s) => {
                service_dates(s.applied_on, s.sanctioned_on, s.paid_on, today)
            }
            Edit::AddSummons(s) => {
                not_future("received on", s.received_on)?;
                day_within("hearing", s.hearing_on, EARLIEST_DAY, NaiveDate::MAX)?;
                in_order(
                    "received on",
                    Some(s.received_on),
                    "hearing",
                    Some(s.hearing_on),
                )
            }
            Edit::AddIncident(i) => {
                nonempty("what happened", &i.what)?;
                not_future("incident date", i.on)
            }
            Edit::SetDocument { on, .. } => not_future("document date", *on),
            Edit::SetCaregiver(c) => nonempty("caregiver name", &c.name),
            Edit::OverrideRisk { level, reason } => {
                if level.is_some() {
                    nonempty("reason", reason)?;
                }
                Ok(())
            }
            Edit::SetStatus {
                state,
                reason,
                since,
            } => {
                not_future("status date", *since)?;
                if *state != CaseState::Active {
                    nonempty("reason", reason.as_deref().unwrap_or(""))?;
                }
                Ok(())
            }
            Edit::SetEducation(e) => {
                if let Some(on) = e.enrolled_on {
                    not_future("enrolled on", on)?;
                }
                Ok(())
            }
            Edit::SetLegal {
                lawyer_authorised_on,
                ..
            } => {
                if let Some(on) = lawyer_authorised_on {
                    not_future("lawyer authorised on", *on)?;
                }
                Ok(())
            }
            Edit::ResolveConflict { path, value } => {
                nonempty("path", path)?;
                match value {
                    Resolution::Keep(actor) => nonempty("actor", actor),
                    Resolution::Set(text) => nonempty("value", text),
                }
            }
        }
    }

    /// A short English description, used as the Automerge change message.
    pub fn summary(&self) -> String {
        match self {
            Edit::Register(p) => format!("register case {}", p.case_id),
            Edit::RecordVisit { visit, updates } => format!(
                "{} visit on {} with {} need update(s)",
                visit.kind,
                visit.date,
                updates.len()
            ),
            Edit::SetNeed { update, .. } => {
                format!("set {} to {}", update.dimension, update.status)
            }
            Edit::AddService(s) => format!("add {} service {}", s.dimension, s.scheme),
            Edit::UpdateService(s) => format!("update service {}", s.id),
            Edit::SetEducation(_) => "set education".into(),
            Edit::AddSummons(s) => format!("add summons for hearing on {}", s.hearing_on),
            Edit::RecordHearing(h) => format!("record the {} hearing: {}", h.held_on, h.result),
            Edit::UpdateIncident { id, .. } => format!("update incident {id}"),
            Edit::RequestTransfer {
                block, district, ..
            } => {
                format!("ask to move the case to {block}, {district}")
            }
            Edit::SettleMove { approved, .. } => {
                if *approved {
                    "move the case as asked".into()
                } else {
                    "refuse the move".into()
                }
            }
            Edit::SetLegal { .. } => "set legal case".into(),
            Edit::AddIncident(i) => format!("add incident on {}", i.on),
            Edit::SetDocument { kind, state, .. } => format!("mark {kind} {state}"),
            Edit::SetCaregiver(_) => "set caregiver".into(),
            Edit::OverrideRisk { level, .. } => match level {
                Some(l) => format!("override risk to {l}"),
                None => "clear risk override".into(),
            },
            Edit::SetStatus { state, .. } => format!("set status {state}"),
            Edit::ResolveConflict { path, .. } => format!("resolve the conflict at {path}"),
        }
    }
}

/// The latest local date an edit recorded at `ctx.at` may carry.
pub(crate) fn latest_day(ctx: &EditContext) -> NaiveDate {
    let utc = ctx.at.date_naive();
    utc.succ_opt().unwrap_or(utc)
}

fn nonempty(what: &'static str, s: &str) -> Result<(), InvalidEdit> {
    if s.trim().is_empty() {
        Err(InvalidEdit::Empty(what))
    } else {
        Ok(())
    }
}

fn not_future(what: &'static str, on: NaiveDate, today: NaiveDate) -> Result<(), InvalidEdit> {
    day_within(what, on, EARLIEST_DAY, today)
}

/// A date no earlier than `earliest` and no later than `latest`.
fn day_within(
    what: &'static str,
    on: NaiveDate,
    earliest: NaiveDate,
    latest: NaiveDate,
) -> Result<(), InvalidEdit> {
    if on < earliest {
        Err(InvalidEdit::TooEarly { what, on })
    } else if on > latest {
        Err(InvalidEdit::InFuture { what, on })
    } else {
        Ok(())
    }
}

fn in_order(
    earlier: &'static str,
    earlier_on: Option<NaiveDate>,
    later: &'static str,
    later_on: Option<NaiveDate>,
) -> Result<(), InvalidEdit> {
    match (earlier_on, later_on) {
        (Some(earlier_on), Some(later_on)) if later_on < earlier_on => {
            Err(InvalidEdit::DatesOutOfOrder {
                earlier,
                earlier_on,
                later,
                later_on,
            })
        }
        _ => Ok(()),
    }
}

/// Checks a service's dates: none in the future, applied before sanctioned before paid.
pub(crate) fn service_dates(
    applied: Option<NaiveDate>,
    sanctioned: Option<NaiveDate>,
    paid: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), InvalidEdit> {
    for (what, on) in [
        ("applied on", applied),
        ("sanctioned on", sanctioned),
        ("paid on", paid),
    ] {
        if let Some(on) = on {
            not_future(what, on, today)?;
        }
    }
    in_order("applied on", applied, "sanctioned on", sanctioned)?;
    in_order("sanctioned on", sanctioned, "paid on", paid)?;
    in_order("applied on", applied, "paid on", paid)
}
