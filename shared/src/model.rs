//! The reintegration case as typed data. The court case (`legal`) and where the case stands
//! (`status`) are submodules of their own, re-exported here.
//!
//! A [`Case`] is what [`crate::schema::read_case`] reads out of a case document. Edits never
//! build a `Case` and write it back: they go through [`crate::edit::Edit`], which appends to the
//! document, so that concurrent edits on two devices merge instead of overwriting each other.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::need::{Dimension, Status, UnknownName};

/// India Standard Time (UTC+5:30): field dates are local dates in Bihar.
pub const FIELD_UTC_OFFSET_SECONDS: i32 = 5 * 3600 + 30 * 60;

/// The local (India) date of a moment. Both edges (the field app and the server) read the clock
/// and call this, so they agree on what "today" is.
pub fn field_date(at: DateTime<Utc>) -> NaiveDate {
    chrono::FixedOffset::east_opt(FIELD_UTC_OFFSET_SECONDS)
        .map_or_else(|| at.date_naive(), |tz| at.with_timezone(&tz).date_naive())
}

/// Implements `key()`, `Display` and `FromStr` for a fieldless enum from one table of keys.
macro_rules! keyed_enum {
    ($ty:ident, $what:literal, { $($variant:ident => $key:literal),+ $(,)? }) => {
        impl $ty {
            /// Every value, in display order.
            pub const ALL: &'static [$ty] = &[$($ty::$variant),+];

            /// The stable key used in documents, files and the command line.
            pub fn key(self) -> &'static str {
                match self { $($ty::$variant => $key),+ }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.key())
            }
        }

        impl FromStr for $ty {
            type Err = UnknownName;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $ty::ALL.iter().copied().find(|v| v.key() == s).ok_or_else(|| UnknownName {
                    what: $what,
                    value: s.to_owned(),
                    expected: $ty::ALL.iter().map(|v| v.key()).collect(),
                })
            }
        }
    };
}

mod attachment;
mod claims;
mod legal;
mod referral;
mod status;

pub use attachment::{Attachment, AttachmentPage, CopyVerification, MediaType, Withdrawal};
pub use claims::{Service, ServiceDimension, ServiceStage};
pub use legal::{HearingMode, HearingOutcome, HearingResult, Incident, LegalCase, Summons};
pub use referral::{Referral, ReferralState, ReferralStep};
pub use status::{CaseState, CaseStatus, ClosureReason, MoveDecision, MoveRequest};

/// The child's sex as recorded by the CWC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Female (`f`).
    Female,
    /// Male (`m`).
    Male,
    /// Another or unrecorded (`x`).
    Other,
}
keyed_enum!(Sex, "sex", { Female => "f", Male => "m", Other => "x" });

/// Date of birth, or an age estimated on a given day (many children have no birth record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Birth {
    /// A known date of birth.
    Dob(NaiveDate),
    /// An age in whole years, estimated on `as_of`.
    Estimated {
        /// The estimated age in years on `as_of`.
        years: u8,
        /// The day the estimate was made.
        as_of: NaiveDate,
    },
}

impl Birth {
    /// The child's age in whole years on `on`.
    pub fn age_on(self, on: NaiveDate) -> u32 {
        let (born, base) = match self {
            Birth::Dob(dob) => (dob, 0),
            Birth::Estimated { years, as_of } => (as_of, u32::from(years)),
        };
        let mut years = on.year() - born.year();
        if (on.month(), on.day()) < (born.month(), born.day()) {
            years -= 1;
        }
        base + u32::try_from(years).unwrap_or(0)
    }
}

/// The adult the child lives with.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Caregiver {
    /// Full name.
    pub name: String,
    /// Relation to the child (mother, uncle...).
    pub relation: String,
    /// A phone number, if the family has one.
    pub phone: Option<String>,
}

/// Home address down to the village.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Address {
    /// District (for example Gaya). Scope and reports key on it.
    pub district: String,
    /// Block within the district. Scope may key on it.
    pub block: String,
    /// Gram panchayat, if known.
    pub panchayat: Option<String>,
    /// Village or hamlet.
    pub village: String,
}

/// The child.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Child {
    /// The name the child is known by.
    pub name: String,
    /// Other names and spellings (Hindi script, nicknames) to find the child by.
    pub other_names: Vec<String>,
    /// Sex.
    pub sex: Sex,
    /// Birth date or estimated age.
    pub birth: Birth,
    /// The caregiver at home.
    pub caregiver: Option<Caregiver>,
    /// Home address.
    pub address: Address,
}

/// Where and when the child was rescued and returned.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Rescue {
    /// City of rescue (for example Jaipur).
    pub city: Option<String>,
    /// Kind of workshop (bangle making, embroidery...).
    pub workplace: Option<String>,
    /// Date of rescue.
    pub rescued_on: Option<NaiveDate>,
    /// Shelter home the child stayed in.
    pub shelter_home: Option<String>,
    /// The CWC order's reference.
    pub cwc_order_ref: Option<String>,
    /// Date the child reached home. The follow-up schedule starts here.
    pub returned_on: NaiveDate,
    /// The authority that received the child at home (district CWC, DCPU).
    pub receiving_authority: Option<String>,
}

/// The legal basis for holding this record (Digital Personal Data Protection Act 2023).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum LegalBasis {
    /// The CWC's order: the statutory function of the CWC.
    CwcOrder {
        /// Order reference.
        reference: String,
        /// Date of the order.
        dated: NaiveDate,
    },
    /// A guardian's consent.
    GuardianConsent {
        /// Who consented.
        given_by: String,
        /// Date of consent.
        dated: NaiveDate,
    },
}

/// Who made an edit: the user, as the server knows them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Author {
    /// The user's stable id.
    pub user_id: String,
    /// The user's display name, kept so a merged document can name its editors offline.
    pub name: String,
}

/// What a case registration records. The rest of a case grows through edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Profile {
    /// The stable case id, chosen by the device that registers the case.
    pub case_id: String,
    /// The child.
    pub child: Child,
    /// Rescue and return.
    pub rescue: Rescue,
    /// The legal basis for holding the record.
    pub legal_basis: LegalBasis,
}

/// One change of a need's status, kept for ever.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StatusChange {
    /// Id of this entry.
    pub id: String,
    /// The new status.
    pub status: Status,
    /// The day the status was observed (the visit's date, or the day it was recorded).
    pub on: NaiveDate,
    /// Who set it.
    pub by: Author,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// The visit during which it was set, if any.
    pub visit_id: Option<String>,
    /// A note.
    pub note: Option<String>,
    /// A supervisor's settlement of concurrent entries (the conflict queue), not an observation.
    #[serde(default)]
    pub settles: bool,
}

/// The state of one dimension of need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Need {
    /// The dimension.
    pub dimension: Dimension,
    /// The current status. Where two devices set it concurrently, one value is shown here and
    /// all of them are listed by [`crate::schema::conflicts`].
    pub status: Status,
    /// The latest note on this need.
    pub note: Option<String>,
    /// Every status change, oldest first (ordered by `on`, then `recorded_at`).
    pub history: Vec<StatusChange>,
}

impl Need {
    /// The day the need entered its current status, if it ever left `not_assessed`. After a
    /// conflict (two phones disagreeing on one day), the day of the entry that settled it.
    pub fn status_since(&self) -> Option<NaiveDate> {
        let mut since = None;
        for (i, change) in self.history.iter().enumerate() {
            // Two phones that disagreed on one day (a conflict) leave the status unknown from
            // that day until a later entry, such as the supervisor's settlement, says.
            // The history is sorted by day: the entries of one day stand together.
            let same_day = self.history[..i]
                .iter()
                .rev()
                .take_while(|o| o.on == change.on)
                .chain(
                    self.history[i + 1..]
                        .iter()
                        .take_while(|o| o.on == change.on),
                );
            let disputed = !change.settles
                && same_day
                    .filter(|o| !o.settles)
                    .any(|o| o.status != change.status);
            if disputed || change.status != self.status {
                since = None;
            } else if since.is_none() {
                since = Some(change.on);
            }
        }
        since
    }

    /// The status at the end of `on`, as a report of that day reads it. Nothing recorded after
    /// `on`: the need's own status (a supervisor's settlement of concurrent entries, or a visit
    /// entered late, may have set it otherwise than the history's last entry). Otherwise the
    /// last entry up to `on`; when that day holds entries that disagree (two phones at once) and
    /// a later settlement chose one of their statuses, that one.
    pub fn status_at(&self, on: NaiveDate) -> Status {
        if self.history.iter().all(|h| h.on <= on) {
            return self.status;
        }
        let upto: Vec<&StatusChange> = self.history.iter().filter(|h| h.on <= on).collect();
        let Some(last) = upto.last() else {
            return Status::NotAssessed;
        };
        let ties: Vec<Status> = upto
            .iter()
            .filter(|h| h.on == last.on && !h.settles)
            .map(|h| h.status)
            .collect();
        if ties.iter().any(|s| *s != last.status) || last.settles {
            let settled = self
                .history
                .iter()
                .filter(|h| h.on > on && h.settles)
                .map(|h| h.status)
                .find(|s| ties.contains(s));
            if let Some(s) = settled {
                return s;
            }
        }
        last.status
    }

    /// The status in force at the end of `on` according to the history.
    pub fn status_on(&self, on: NaiveDate) -> Status {
        self.history
            .iter()
            .rfind(|c| c.on <= on)
            .map_or(Status::NotAssessed, |c| c.status)
    }
}

/// School or bridge programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Schooling {
    /// A government or private school.
    School,
    /// A bridge or informal education programme.
    Bridge,
}
keyed_enum!(Schooling, "schooling", { School => "school", Bridge => "bridge" });

/// The child's education record.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Education {
    /// School or bridge programme.
    pub kind: Option<Schooling>,
    /// Name of the school or programme.
    pub institution: Option<String>,
    /// The class (grade) the child is in.
    #[serde(default)]
    pub class: Option<String>,
    /// Enrolment date.
    pub enrolled_on: Option<NaiveDate>,
    /// Attendance in the fieldworker's words or as a percentage ("80%", "irregular").
    pub attendance: Option<String>,
}

/// The documents on the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum DocumentKind {
    /// Police report (FIR).
    Fir,
    /// Counselling report.
    CounsellingReport,
    /// Medical report.
    MedicalReport,
    /// Release certificate.
    ReleaseCertificate,
    /// Legal statement.
    LegalStatement,
    /// Bank account in the child's name.
    BankAccount,
    /// Identity card (Aadhaar or other).
    IdentityCard,
    /// Individual care plan.
    CarePlan,
    /// Fit-to-travel certificate.
    FitToTravel,
    /// Learning-level report card from the shelter home.
    LearningReport,
}
keyed_enum!(DocumentKind, "document", {
    Fir => "fir",
    CounsellingReport => "counselling_report",
    MedicalReport => "medical_report",
    ReleaseCertificate => "release_certificate",
    LegalStatement => "legal_statement",
    BankAccount => "bank_account",
    IdentityCard => "identity_card",
    CarePlan => "care_plan",
    FitToTravel => "fit_to_travel",
    LearningReport => "learning_report",
});

/// Where a document stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum DocumentState {
    /// Not with the family or the NGO.
    Missing,
    /// A copy is in hand.
    Received,
    /// Checked against the original.
    Verified,
}
keyed_enum!(DocumentState, "document state", {
    Missing => "missing",
    Received => "received",
    Verified => "verified",
});

impl DocumentState {
    /// Whether the document can be used for a claim.
    pub fn in_hand(self) -> bool {
        self != DocumentState::Missing
    }
}

/// One line of the documents checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DocumentEntry {
    /// State.
    pub state: DocumentState,
    /// The day it reached that state.
    pub on: Option<NaiveDate>,
    /// Who set that state (`None` in documents written before it was recorded).
    pub by: Option<Author>,
}

/// What kind of contact a visit was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "kebab-case")]
pub enum VisitKind {
    /// The initial needs assessment.
    InitialAssessment,
    /// A routine home visit.
    FollowUp,
    /// A phone call.
    Phone,
    /// An urgent visit (summons, harassment).
    Urgent,
}
keyed_enum!(VisitKind, "visit kind", {
    InitialAssessment => "initial-assessment",
    FollowUp => "follow-up",
    Phone => "phone",
    Urgent => "urgent",
});

/// A visit or call, with the need updates made during it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Visit {
    /// Id of this visit.
    pub id: String,
    /// The day of the visit.
    pub date: NaiveDate,
    /// Who made it.
    pub by: Author,
    /// What kind of contact.
    pub kind: VisitKind,
    /// Who was met (child, mother, sarpanch...).
    pub met: Option<String>,
    /// Notes.
    pub note: Option<String>,
    /// Agreed next steps.
    pub next_steps: Option<String>,
    /// The summons discussed with the family during this contact: it answers that summons'
    /// "reach the family" prompt.
    #[serde(default)]
    pub summons_id: Option<String>,
    /// Whether the child's safety was checked (answers a harassment prompt).
    #[serde(default)]
    pub safety_checked: bool,
    /// When it was recorded on the device. Spot checks look at the gap to `date`.
    pub recorded_at: DateTime<Utc>,
    /// The need updates made during this visit (read from the needs' histories).
    pub updates: Vec<(Dimension, Status)>,
}

/// A risk level: how often the family must be visited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    /// Visit weekly or more.
    High,
    /// Visit fortnightly.
    Medium,
    /// Settled: visit monthly or less.
    Stable,
}
keyed_enum!(Risk, "risk level", { High => "high", Medium => "medium", Stable => "stable" });

/// A supervisor's or fieldworker's manual override of the computed risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct RiskOverride {
    /// The level set.
    pub level: Risk,
    /// Who set it.
    pub by: Author,
    /// Why.
    pub reason: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A whole reintegration case, as read from its document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Case {
    /// The stable case id.
    pub id: String,
    /// The child.
    pub child: Child,
    /// Rescue and return.
    pub rescue: Rescue,
    /// The legal basis for holding the record.
    pub legal_basis: LegalBasis,
    /// One need per dimension, in [`Dimension::ALL`] order.
    pub needs: Vec<Need>,
    /// Education details.
    pub education: Education,
    /// Compensation claims and entitlements, in the order recorded.
    pub services: Vec<Service>,
    /// The legal case.
    pub legal: LegalCase,
    /// The documents checklist; a kind absent here is missing since return.
    pub documents: BTreeMap<DocumentKind, DocumentEntry>,
    /// Visits, ordered by date then recording time.
    pub visits: Vec<Visit>,
    /// A manual risk override, if one is in force.
    pub risk_override: Option<RiskOverride>,
    /// Case status.
    pub status: CaseStatus,
    /// Referrals to the resource map's providers, ordered by day then recording time.
    pub referrals: Vec<Referral>,
    /// Copies of the checklist's documents (references only), by the day taken then recording
    /// time; withdrawn ones included.
    pub attachments: Vec<Attachment>,
}

impl Case {
    /// The need of one dimension.
    pub fn need(&self, dimension: Dimension) -> &Need {
        // `read_case` always fills all seven needs in `Dimension::ALL` order.
        &self.needs[Dimension::ALL
            .iter()
            .position(|d| *d == dimension)
            .unwrap_or_default()]
    }

    /// The state of one document on the checklist.
    pub fn document(&self, kind: DocumentKind) -> DocumentState {
        self.documents
            .get(&kind)
            .map_or(DocumentState::Missing, |e| e.state)
    }

    /// The copies of one document that stand (not withdrawn).
    pub fn copies(&self, kind: DocumentKind) -> impl Iterator<Item = &Attachment> {
        self.attachments
            .iter()
            .filter(move |a| a.kind == kind && a.is_active())
    }

    /// The child's age on `on`.
    pub fn age_on(&self, on: NaiveDate) -> u32 {
        self.child.birth.age_on(on)
    }

    /// Whether the initial needs assessment has been recorded.
    pub fn assessed_on(&self) -> Option<NaiveDate> {
        self.visits
            .iter()
            .find(|v| v.kind == VisitKind::InitialAssessment)
            .map(|v| v.date)
    }

    /// The case as it stood at the end of `on`, as far as its records tell: need statuses from
    /// their histories, and only the visits, dates and events up to that day. Documents carry
    /// no history, so one that reached its state after `on` counts as missing then.
    pub fn as_of(&self, on: NaiveDate) -> Case {
        let mut c = self.clone();
        for n in &mut c.needs {
            let status = n.status_at(on);
            let later = n.history.iter().any(|h| h.on > on);
            n.history.retain(|h| h.on <= on);
            n.status = status;
            if later {
                n.note = n.history.iter().rev().find_map(|h| h.note.clone());
            }
        }
        c.visits.retain(|v| v.date <= on);
        for s in &mut c.services {
            s.applied_on = s.applied_on.filter(|d| *d <= on);
            s.sanctioned_on = s.sanctioned_on.filter(|d| *d <= on);
            s.paid_on = s.paid_on.filter(|d| *d <= on);
        }
        c.services
            .retain(|s| s.applied_on.is_some() || s.recorded_at.date_naive() <= on);
        c.legal.summonses.retain(|s| s.received_on <= on);
        for s in &mut c.legal.summonses {
            s.outcome = s.outcome.take().filter(|o| o.held_on <= on);
        }
        c.legal.incidents.retain(|i| i.on <= on);
        c.legal.lawyer_authorised_on = c.legal.lawyer_authorised_on.filter(|d| *d <= on);
        for e in c.documents.values_mut() {
            if e.on.is_some_and(|d| d > on) {
                e.state = DocumentState::Missing;
                e.on = None;
            }
        }
        c.referrals.retain(|r| r.on <= on);
        c.attachments.retain(|a| a.taken_on <= on);
        for a in &mut c.attachments {
            a.withdrawn = a.withdrawn.take().filter(|w| w.on <= on);
            a.verified = a.verified.take().filter(|v| v.on <= on);
        }
        for r in &mut c.referrals {
            r.steps.retain(|s| s.on <= on);
        }
        c.risk_override = c.risk_override.filter(|o| o.at.date_naive() <= on);
        if c.status.since > on {
            c.status = CaseStatus {
                state: CaseState::Active,
                reason: None,
                closure: None,
                since: c.rescue.returned_on,
                move_request: None,
                move_decision: None,
                merged_into: None,
                merged_from: c.status.merged_from.clone(),
            };
        }
        c
    }

    /// Whether the case is still being followed up.
    pub fn is_active(&self) -> bool {
        self.status.state == CaseState::Active
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("test dates are valid")
    }

    #[test]
    fn age_counts_whole_years_from_a_birth_date_or_an_estimate() {
        let cases = [
            (Birth::Dob(d("2014-06-15")), "2026-06-14", 11),
            (Birth::Dob(d("2014-06-15")), "2026-06-15", 12),
            (
                Birth::Estimated {
                    years: 11,
                    as_of: d("2025-01-10"),
                },
                "2026-01-09",
                11,
            ),
            (
                Birth::Estimated {
                    years: 11,
                    as_of: d("2025-01-10"),
                },
                "2026-01-10",
                12,
            ),
            (Birth::Dob(d("2030-01-01")), "2026-01-01", 0),
        ];
        for (birth, on, want) in cases {
            assert_eq!(birth.age_on(d(on)), want, "{birth:?} on {on}");
        }
    }

    #[test]
    fn every_keyed_enum_round_trips_through_its_key() {
        for k in DocumentKind::ALL {
            assert_eq!(k.key().parse::<DocumentKind>(), Ok(*k));
        }
        for k in VisitKind::ALL {
            assert_eq!(k.key().parse::<VisitKind>(), Ok(*k));
        }
        for k in CaseState::ALL {
            assert_eq!(k.key().parse::<CaseState>(), Ok(*k));
        }
        assert!(
            "sometimes"
                .parse::<VisitKind>()
                .unwrap_err()
                .to_string()
                .contains("'sometimes'")
        );
    }

    #[test]
    fn a_service_stage_depends_on_the_day_asked() {
        let s = Service {
            id: "s".into(),
            dimension: ServiceDimension::Compensation,
            scheme: "victim_compensation".into(),
            applied_on: Some(d("2026-01-01")),
            sanctioned_on: Some(d("2026-03-01")),
            paid_on: None,
            amount: None,
            stuck_reason: None,
            recorded_by: Author {
                user_id: "u".into(),
                name: "U".into(),
            },
            recorded_at: DateTime::UNIX_EPOCH,
        };
        assert_eq!(
            s.stage_on(d("2025-12-31")),
            (ServiceStage::NotApplied, None)
        );
        assert_eq!(
            s.stage_on(d("2026-02-01")),
            (ServiceStage::Applied, Some(d("2026-01-01")))
        );
        assert_eq!(
            s.stage_on(d("2026-04-01")),
            (ServiceStage::Sanctioned, Some(d("2026-03-01")))
        );
    }
}
