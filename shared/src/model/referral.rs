//! Referrals: a child or family sent to a provider of the resource map ([`crate::resource`]) for
//! one need, and what came of it. Apart from the rest of the model because a referral has a life
//! of its own (referred, accepted, served or refused or no response), recorded step by step on
//! the phone, offline, possibly on two phones at once.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::Author;
use crate::need::{Dimension, UnknownName};
use crate::resource::ResourceKind;

/// Where a referral stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "kebab-case")]
pub enum ReferralState {
    /// Sent to the provider; no answer yet.
    Referred,
    /// The provider took the child or family on.
    Accepted,
    /// The help was given: enrolled, trained, treated.
    Served,
    /// The provider (or the family) said no.
    Refused,
    /// Nothing came of it: the provider never answered.
    NoResponse,
}
keyed_enum!(ReferralState, "referral state", {
    Referred => "referred",
    Accepted => "accepted",
    Served => "served",
    Refused => "refused",
    NoResponse => "no-response",
});

impl ReferralState {
    /// Whether the referral still waits for an outcome (referred or accepted).
    pub fn is_open(self) -> bool {
        matches!(self, ReferralState::Referred | ReferralState::Accepted)
    }
}

/// One step of a referral after it was made (accepted, served, refused, no response).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ReferralStep {
    /// Id of this step (a retried edit is a no-op).
    pub id: String,
    /// The state reached.
    pub state: ReferralState,
    /// The day it was reached.
    pub on: NaiveDate,
    /// A note.
    pub note: Option<String>,
    /// Who recorded it.
    pub recorded_by: Author,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// A referral of the child or family to a resource, for one need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Referral {
    /// Id of the referral.
    pub id: String,
    /// The resource's id on the resource map.
    pub resource_id: String,
    /// The resource's kind when the referral was made (reports count by kind without the map).
    pub resource_kind: ResourceKind,
    /// The resource's name when the referral was made (the map may drop it later).
    pub resource_name: String,
    /// The need it answers.
    pub dimension: Dimension,
    /// The day the referral was made.
    pub on: NaiveDate,
    /// What for, in the fieldworker's words.
    pub note: Option<String>,
    /// Later steps, ordered by day then recording time.
    pub steps: Vec<ReferralStep>,
    /// Who made it.
    pub recorded_by: Author,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

impl Referral {
    /// The state at the end of `on` and the day it was reached (the referral's own day while no
    /// step is recorded by then). Steps of one day are taken in recording order, so the last one
    /// recorded stands; two phones recording different outcomes keep both in `steps`.
    pub fn state_on(&self, on: NaiveDate) -> (ReferralState, NaiveDate) {
        self.steps
            .iter()
            .rfind(|s| s.on <= on)
            .map_or((ReferralState::Referred, self.on), |s| (s.state, s.on))
    }

    /// The state as of the last step recorded.
    pub fn state(&self) -> (ReferralState, NaiveDate) {
        self.state_on(NaiveDate::MAX)
    }

    /// Whether it still waits for an outcome at the end of `on` (made by then).
    pub fn open_on(&self, on: NaiveDate) -> bool {
        self.on <= on && self.state_on(on).0.is_open()
    }

    /// The first day a step reached `state`, if one did.
    pub fn reached(&self, state: ReferralState) -> Option<NaiveDate> {
        self.steps
            .iter()
            .filter(|s| s.state == state)
            .map(|s| s.on)
            .min()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).expect("a March day")
    }

    fn step(id: &str, state: ReferralState, on: NaiveDate, at_secs: i64) -> ReferralStep {
        ReferralStep {
            id: id.into(),
            state,
            on,
            note: None,
            recorded_by: Author {
                user_id: "u1".into(),
                name: "Asha".into(),
            },
            recorded_at: DateTime::from_timestamp(at_secs, 0).expect("a time"),
        }
    }

    fn referral(steps: Vec<ReferralStep>) -> Referral {
        Referral {
            id: "r1".into(),
            resource_id: "res1".into(),
            resource_kind: ResourceKind::SkillsTraining,
            resource_name: "Jeevika training centre".into(),
            dimension: Dimension::Livelihood,
            on: day(2),
            note: None,
            steps,
            recorded_by: Author {
                user_id: "u1".into(),
                name: "Asha".into(),
            },
            recorded_at: DateTime::from_timestamp(0, 0).expect("a time"),
        }
    }

    #[test]
    fn a_referral_reads_its_state_on_each_day() {
        let r = referral(vec![
            step("s1", ReferralState::Accepted, day(5), 10),
            step("s2", ReferralState::Served, day(20), 20),
        ]);
        assert_eq!(r.state_on(day(1)), (ReferralState::Referred, day(2)));
        assert!(!r.open_on(day(1)), "not made yet");
        assert_eq!(r.state_on(day(4)), (ReferralState::Referred, day(2)));
        assert_eq!(r.state_on(day(10)), (ReferralState::Accepted, day(5)));
        assert!(r.open_on(day(10)));
        assert_eq!(r.state(), (ReferralState::Served, day(20)));
        assert!(!r.open_on(day(20)));
        assert_eq!(r.reached(ReferralState::Served), Some(day(20)));
        assert_eq!(r.reached(ReferralState::Refused), None);
    }

    #[test]
    fn state_keys_round_trip() {
        for s in ReferralState::ALL {
            assert_eq!(s.key().parse::<ReferralState>(), Ok(*s));
        }
        assert!("done".parse::<ReferralState>().is_err());
        let open: Vec<_> = ReferralState::ALL.iter().filter(|s| s.is_open()).collect();
        assert_eq!(open, [&ReferralState::Referred, &ReferralState::Accepted]);
    }
}
