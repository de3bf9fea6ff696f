//! The seven dimensions of a child's reintegration and the status set of each.
//!
//! Every need has one current status. The sets are small on purpose: a fieldworker picks one
//! on a phone, and the CWC report prints it. Each status maps to a [`Stability`], which is what
//! the risk level and the visit schedule look at.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One dimension of support that a returned child is followed up on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// School or a bridge/informal education programme (ages 6-14 above all).
    Education,
    /// Victim compensation, child/bonded labour rehabilitation, state relief funds.
    Compensation,
    /// Family entitlements: health insurance, rations, pensions, housing, job cards.
    Entitlements,
    /// Agricultural or non-agricultural livelihood support, skills training.
    Livelihood,
    /// The case against the trafficker: summons, testimony, lawyer, protection.
    Legal,
    /// Physical and mental health, counselling.
    Health,
    /// The documents a child's claims and protection depend on.
    Documents,
}

impl Dimension {
    /// Every dimension, in the order screens and reports show them.
    pub const ALL: [Dimension; 7] = [
        Dimension::Education,
        Dimension::Compensation,
        Dimension::Entitlements,
        Dimension::Livelihood,
        Dimension::Legal,
        Dimension::Health,
        Dimension::Documents,
    ];

    /// The stable key used in documents, files and the command line.
    pub fn key(self) -> &'static str {
        match self {
            Dimension::Education => "education",
            Dimension::Compensation => "compensation",
            Dimension::Entitlements => "entitlements",
            Dimension::Livelihood => "livelihood",
            Dimension::Legal => "legal",
            Dimension::Health => "health",
            Dimension::Documents => "documents",
        }
    }

    /// The statuses a need of this dimension may take, from least to most settled.
    pub fn statuses(self) -> &'static [Status] {
        use Status::*;
        match self {
            Dimension::Education => &[
                NotAssessed,
                DroppedOut,
                NotEnrolled,
                EnrolledIrregular,
                Enrolled,
                NotApplicable,
            ],
            Dimension::Compensation => &[
                NotAssessed,
                NotApplied,
                Applied,
                Sanctioned,
                Paid,
                NotEligible,
            ],
            Dimension::Entitlements => &[NotAssessed, NotLinked, Applied, PartlyLinked, Linked],
            Dimension::Livelihood => {
                &[NotAssessed, NeedsSupport, InTraining, Linked, NotApplicable]
            }
            Dimension::Legal => &[
                NotAssessed,
                UnderThreat,
                TestimonyDue,
                CasePending,
                Concluded,
                NotApplicable,
            ],
            Dimension::Health => &[NotAssessed, NeedsCare, UnderTreatment, Counselling, Well],
            Dimension::Documents => &[NotAssessed, Missing, Partial, Complete],
        }
    }

    /// Whether `status` belongs to this dimension's set.
    pub fn allows(self, status: Status) -> bool {
        self.statuses().contains(&status)
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Dimension {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Dimension::ALL
            .into_iter()
            .find(|d| d.key() == s)
            .ok_or_else(|| UnknownName {
                what: "dimension",
                value: s.to_owned(),
                expected: Dimension::ALL.iter().map(|d| d.key()).collect(),
            })
    }
}

/// A need's status. Which statuses a dimension allows is given by [`Dimension::statuses`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not yet looked at: the initial assessment has not covered this dimension.
    NotAssessed,
    /// Does not apply to this child (for example education for a child past school age).
    NotApplicable,
    // Education.
    /// Left school again after returning home.
    DroppedOut,
    /// Not in school or a bridge programme.
    NotEnrolled,
    /// Enrolled but attending irregularly.
    EnrolledIrregular,
    /// Enrolled and attending.
    Enrolled,
    // Compensation and entitlements.
    /// Eligible, no application made yet.
    NotApplied,
    /// Application made, waiting for a decision.
    Applied,
    /// Sanctioned, not yet paid.
    Sanctioned,
    /// Paid out.
    Paid,
    /// Not eligible for any scheme.
    NotEligible,
    /// The family is linked to no scheme it is eligible for.
    NotLinked,
    /// Linked to some of the schemes it is eligible for.
    PartlyLinked,
    /// Linked to the schemes it is eligible for (also livelihood: linked to support).
    Linked,
    // Livelihood.
    /// The household needs livelihood support, none arranged yet.
    NeedsSupport,
    /// In skills training.
    InTraining,
    // Legal.
    /// The child or family is being threatened or harassed.
    UnderThreat,
    /// A hearing or testimony is coming up.
    TestimonyDue,
    /// The case is pending, nothing due now.
    CasePending,
    /// The case has ended (judgement, or closed).
    Concluded,
    // Health.
    /// Needs care not yet arranged.
    NeedsCare,
    /// Under treatment.
    UnderTreatment,
    /// In counselling (mental health).
    Counselling,
    /// No health needs open.
    Well,
    // Documents.
    /// Key documents missing.
    Missing,
    /// Some documents received.
    Partial,
    /// The documents checklist is complete.
    Complete,
}

impl Status {
    const ALL: [Status; 27] = [
        Status::NotAssessed,
        Status::NotApplicable,
        Status::DroppedOut,
        Status::NotEnrolled,
        Status::EnrolledIrregular,
        Status::Enrolled,
        Status::NotApplied,
        Status::Applied,
        Status::Sanctioned,
        Status::Paid,
        Status::NotEligible,
        Status::NotLinked,
        Status::PartlyLinked,
        Status::Linked,
        Status::NeedsSupport,
        Status::InTraining,
        Status::UnderThreat,
        Status::TestimonyDue,
        Status::CasePending,
        Status::Concluded,
        Status::NeedsCare,
        Status::UnderTreatment,
        Status::Counselling,
        Status::Well,
        Status::Missing,
        Status::Partial,
        Status::Complete,
    ];

    /// The stable key used in documents, files and the command line.
    pub fn key(self) -> &'static str {
        match self {
            Status::NotAssessed => "not_assessed",
            Status::NotApplicable => "not_applicable",
            Status::DroppedOut => "dropped_out",
            Status::NotEnrolled => "not_enrolled",
            Status::EnrolledIrregular => "enrolled_irregular",
            Status::Enrolled => "enrolled",
            Status::NotApplied => "not_applied",
            Status::Applied => "applied",
            Status::Sanctioned => "sanctioned",
            Status::Paid => "paid",
            Status::NotEligible => "not_eligible",
            Status::NotLinked => "not_linked",
            Status::PartlyLinked => "partly_linked",
            Status::Linked => "linked",
            Status::NeedsSupport => "needs_support",
            Status::InTraining => "in_training",
            Status::UnderThreat => "under_threat",
            Status::TestimonyDue => "testimony_due",
            Status::CasePending => "case_pending",
            Status::Concluded => "concluded",
            Status::NeedsCare => "needs_care",
            Status::UnderTreatment => "under_treatment",
            Status::Counselling => "counselling",
            Status::Well => "well",
            Status::Missing => "missing",
            Status::Partial => "partial",
            Status::Complete => "complete",
        }
    }

    /// How settled a need with this status is. The risk level and visit interval follow it.
    pub fn stability(self) -> Stability {
        use Status::*;
        match self {
            NotAssessed => Stability::Unknown,
            UnderThreat | DroppedOut => Stability::Critical,
            NotEnrolled | NotApplied | NotLinked | NeedsSupport | NeedsCare | Missing => {
                Stability::Unmet
            }
            EnrolledIrregular | Applied | Sanctioned | PartlyLinked | InTraining | TestimonyDue
            | CasePending | UnderTreatment | Counselling | Partial => Stability::InProgress,
            Enrolled | Paid | NotEligible | Linked | Concluded | Well | Complete
            | NotApplicable => Stability::Settled,
        }
    }

    /// Parses a status and checks that `dimension` allows it.
    pub fn parse_for(dimension: Dimension, s: &str) -> Result<Status, UnknownName> {
        let expected = || dimension.statuses().iter().map(|s| s.key()).collect();
        let status = s.parse::<Status>().map_err(|_| UnknownName {
            what: "status",
            value: s.to_owned(),
            expected: expected(),
        })?;
        if dimension.allows(status) {
            Ok(status)
        } else {
            Err(UnknownName {
                what: "status",
                value: format!("{s} (for {dimension})"),
                expected: expected(),
            })
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Status {
    type Err = UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|st| st.key() == s)
            .ok_or_else(|| UnknownName {
                what: "status",
                value: s.to_owned(),
                expected: Status::ALL.iter().map(|s| s.key()).collect(),
            })
    }
}

/// How settled a need is, from worst to best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Stability {
    /// The child is in danger or has fallen back (harassment, dropped out of school).
    Critical,
    /// Not assessed yet.
    Unknown,
    /// A need with nothing done about it yet.
    Unmet,
    /// Work under way.
    InProgress,
    /// Resolved, or does not apply.
    Settled,
}

/// A name that is not one of a fixed set (a dimension, a status, a document kind...).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} '{value}' (expected one of: {})", expected.join(", "))]
pub struct UnknownName {
    /// What kind of name was expected.
    pub what: &'static str,
    /// The value given.
    pub value: String,
    /// The names that would have been accepted.
    pub expected: Vec<&'static str>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_key_parses_back_to_itself() {
        for s in Status::ALL {
            assert_eq!(s.key().parse::<Status>(), Ok(s));
        }
    }

    #[test]
    fn every_dimension_starts_not_assessed_and_has_a_settled_status() {
        for d in Dimension::ALL {
            assert_eq!(
                d.statuses()[0],
                Status::NotAssessed,
                "{d} starts unassessed"
            );
            assert!(
                d.statuses()
                    .iter()
                    .any(|s| s.stability() == Stability::Settled),
                "{d} can be settled, or no case could ever stabilise"
            );
            assert_eq!(d.key().parse::<Dimension>(), Ok(d));
        }
    }

    #[test]
    fn every_status_is_used_by_some_dimension() {
        for s in Status::ALL {
            assert!(
                Dimension::ALL.iter().any(|d| d.allows(s)),
                "{s} is unreachable"
            );
        }
    }

    #[test]
    fn a_status_of_another_dimension_is_refused_with_the_allowed_names() {
        let err = Status::parse_for(Dimension::Education, "paid").unwrap_err();
        assert!(err.to_string().contains("paid (for education)"), "{err}");
        assert!(err.to_string().contains("enrolled"), "{err}");
        let err = Status::parse_for(Dimension::Health, "healthy").unwrap_err();
        assert!(err.to_string().contains("'healthy'"), "{err}");
        assert_eq!(
            Status::parse_for(Dimension::Health, "well"),
            Ok(Status::Well)
        );
    }
}
