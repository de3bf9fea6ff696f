//! Every way a case can change, as data.
//!
//! An [`Edit`] is what a screen or a command line verb produces, what the field store applies in
//! one transaction, and what the synthetic generator and property tests produce at random. The
//! schema applies it to a document ([`crate::schema::apply`]); [`Edit::check`] refuses bad input
//! before anything is written (`edit/check.rs`: the lengths, dates and required values).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{AttachmentPage, ReferralState};
use crate::model::{
    Author, Birth, Caregiver, CaseState, ClosureReason, DocumentKind, DocumentState, Education,
    HearingMode, HearingResult, Profile, Risk, ServiceDimension, VisitKind,
};
use crate::need::{Dimension, Status};
use crate::resource::ResourceKind;

mod check;

pub use check::{
    EARLIEST_BIRTH, EARLIEST_DAY, MAX_ID, MAX_NAME, MAX_NOTE, MAX_OTHER_NAMES, MAX_PAGES,
    MAX_UPDATES,
};
pub(crate) use check::{latest_day, service_dates};

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

/// A referral of the child or family to a provider of the resource map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NewReferral {
    /// Id of the referral.
    pub id: String,
    /// The resource's id.
    pub resource_id: String,
    /// The resource's kind (from the device's resource map).
    pub resource_kind: ResourceKind,
    /// The resource's name (from the device's resource map).
    pub resource_name: String,
    /// The need it answers.
    pub dimension: Dimension,
    /// The day the referral was made.
    pub on: NaiveDate,
    /// What for.
    pub note: Option<String>,
}

/// A copy of a checklist document, as the phone records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NewAttachment {
    /// Id of the copy.
    pub id: String,
    /// The document it is a copy of.
    pub kind: DocumentKind,
    /// Its pages, in order: hash, size and media type of each (never the bytes).
    pub pages: Vec<AttachmentPage>,
    /// The day it was photographed or scanned.
    pub taken_on: NaiveDate,
}

/// A step of a referral: accepted, served, refused or no response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ReferralUpdate {
    /// Id of this step (a retried edit is a no-op).
    pub id: String,
    /// The referral.
    pub referral_id: String,
    /// The state reached; not `referred` (a referral starts there).
    pub state: ReferralState,
    /// The day it was reached.
    pub on: NaiveDate,
    /// A note (required for a refusal: why).
    pub note: Option<String>,
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
    /// Refers the child or family to a resource for one need.
    Refer(NewReferral),
    /// Records what came of a referral.
    UpdateReferral(ReferralUpdate),
    /// Attaches a copy of a checklist document (references to its pages; the bytes travel apart).
    Attach(NewAttachment),
    /// Takes a copy back (a wrong photo): it stays in the record as withdrawn, and its bytes
    /// leave the phone (and the server, once a supervisor confirms).
    WithdrawAttachment {
        /// Id of the copy.
        id: String,
        /// Why.
        reason: String,
        /// The day.
        on: NaiveDate,
    },
    /// A supervisor checked a copy against the original: the copy is verified, and so is the
    /// checklist's document, by that person.
    VerifyCopy {
        /// Id of the copy.
        id: String,
        /// The day it was checked.
        on: NaiveDate,
    },
    /// A supervisor confirms a withdrawal; the server then drops the copy's bytes.
    ConfirmWithdrawal {
        /// Id of the copy.
        id: String,
    },
    /// Changes the case status (close, transfer, missing, re-trafficked, reopen).
    SetStatus {
        /// The new state.
        state: CaseState,
        /// Reason or note (required for anything but `active`).
        reason: Option<String>,
        /// Since when.
        since: NaiveDate,
        /// For a closure, why in the reports' terms (a registration made in error is no child
        /// of the programme); kept only when `state` is closed, cleared by any other state.
        #[serde(default)]
        closure: Option<ClosureReason>,
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
    /// A page reference that names no page: not a SHA-256 in lowercase hexadecimal, or empty.
    #[error("page {page} of the copy is not a valid page reference")]
    BadPage {
        /// The page, from 1.
        page: usize,
    },
    /// A withdrawn copy cannot be verified.
    #[error("copy {0} was withdrawn")]
    CopyWithdrawn(String),
    /// Only a withdrawn copy's withdrawal can be confirmed.
    #[error("copy {0} was not withdrawn")]
    CopyNotWithdrawn(String),
}
