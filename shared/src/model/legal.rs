//! The legal case against the trafficker: summonses and the hearings that follow them, their
//! outcomes, harassment incidents. Apart from the rest of the model because the court follow-up
//! grew its own vocabulary (modes, outcomes, adjournments) that nothing else uses.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::Author;
use crate::need::UnknownName;

/// How a witness appears at a hearing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "kebab-case")]
pub enum HearingMode {
    /// Testimony by video conference (the child stays home).
    Video,
    /// In person at the court (often in Rajasthan).
    InPerson,
}
keyed_enum!(HearingMode, "hearing mode", { Video => "video", InPerson => "in-person" });

/// What happened at a hearing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "kebab-case")]
pub enum HearingResult {
    /// The child gave testimony: this hearing is done.
    TestimonyGiven,
    /// The court adjourned the hearing to another day.
    Adjourned,
    /// The family did not attend (the note says why).
    NotAttended,
}
keyed_enum!(HearingResult, "hearing outcome", {
    TestimonyGiven => "testimony-given",
    Adjourned => "adjourned",
    NotAttended => "not-attended",
});

/// What happened at the hearing of a summons, as the fieldworker recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct HearingOutcome {
    /// The day the hearing was held (or should have been).
    pub held_on: NaiveDate,
    /// What happened.
    pub result: HearingResult,
    /// The next hearing's date, for an adjourned or missed hearing. That hearing is a summons of
    /// its own, appended with `follows` set to this one.
    pub next_hearing_on: Option<NaiveDate>,
    /// Why the family did not attend, or any note.
    pub note: Option<String>,
    /// Who recorded it.
    pub recorded_by: Author,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// A court summons, or a later hearing of the same case (`follows` names the hearing it
/// continues, after an adjournment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Summons {
    /// Id of this summons.
    pub id: String,
    /// The day the family or the NGO received it.
    pub received_on: NaiveDate,
    /// Hearing date.
    pub hearing_on: NaiveDate,
    /// In person or by video.
    pub mode: Option<HearingMode>,
    /// The hearing this one continues (an adjourned or missed hearing's next date); `None` for a
    /// summons the family received.
    #[serde(default)]
    pub follows: Option<String>,
    /// What happened at the hearing, once recorded.
    #[serde(default)]
    pub outcome: Option<HearingOutcome>,
    /// Who recorded it.
    pub recorded_by: Author,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

impl Summons {
    /// Whether the hearing is still to be held or reported: no outcome recorded yet.
    pub fn is_pending(&self) -> bool {
        self.outcome.is_none()
    }
}

/// A harassment incident against the child or family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Incident {
    /// Id of this incident.
    pub id: String,
    /// Date of the incident.
    pub on: NaiveDate,
    /// What happened.
    pub what: String,
    /// Whether the police were informed (at the time, or recorded later).
    pub police_informed: bool,
    /// Who recorded it.
    pub recorded_by: Author,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// The legal case against the trafficker.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct LegalCase {
    /// The court case reference.
    pub court_case_ref: Option<String>,
    /// The court that hears it.
    #[serde(default)]
    pub court: Option<String>,
    /// The day the family authorised a lawyer, if they have.
    pub lawyer_authorised_on: Option<NaiveDate>,
    /// Who gave the authorisation (the mother, the father...).
    #[serde(default)]
    pub lawyer_authorised_by: Option<String>,
    /// Summonses, in the order they were recorded.
    pub summonses: Vec<Summons>,
    /// Harassment incidents, in the order they were recorded.
    pub incidents: Vec<Incident>,
}
