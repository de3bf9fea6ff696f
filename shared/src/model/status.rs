//! Where a case stands: its state with the reason and date, a family's move waiting for the
//! supervisor and the decision, and the merge of a child registered twice. Apart because these
//! are the fields the server and the supervisors decide on, not the fieldworker's records.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Author;
use crate::need::UnknownName;

/// Where the case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// Being followed up.
    Active,
    /// Closed (reason recorded).
    Closed,
    /// Transferred to another organisation or district.
    Transferred,
    /// The child cannot be found.
    Missing,
    /// The child was trafficked again.
    Retrafficked,
}
keyed_enum!(CaseState, "case status", {
    Active => "active",
    Closed => "closed",
    Transferred => "transferred",
    Missing => "missing",
    Retrafficked => "retrafficked",
});

/// The case status with its reason and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CaseStatus {
    /// State.
    pub state: CaseState,
    /// Reason (for closure or transfer), or a note.
    pub reason: Option<String>,
    /// Since when.
    pub since: NaiveDate,
    /// The family moved: a fieldworker asked for the case to move to another place, and the
    /// supervisor has not decided yet.
    #[serde(default)]
    pub move_request: Option<MoveRequest>,
    /// The supervisor's last decision on a move request.
    #[serde(default)]
    pub move_decision: Option<MoveDecision>,
    /// This case was a second registration of a child: closed, and merged into the case with
    /// this id (which holds its records now).
    #[serde(default)]
    pub merged_into: Option<String>,
    /// The cases merged into this one (second registrations of the same child).
    #[serde(default)]
    pub merged_from: Vec<String>,
}

/// A fieldworker's request to move a case to where the family now lives. The phone asks; the
/// supervisor decides on the dashboard (and picks who follows the child there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct MoveRequest {
    /// The new district.
    pub district: String,
    /// The new block.
    pub block: String,
    /// The new village.
    pub village: String,
    /// Why (the family moved for work, to relatives...).
    pub reason: String,
    /// The day the family moved, or the fieldworker learned of it.
    pub on: NaiveDate,
    /// Who asked.
    pub requested_by: Author,
}

/// A supervisor's decision on a move request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct MoveDecision {
    /// Moved (the address is the new one), or refused.
    pub approved: bool,
    /// The supervisor's note (why it was refused, who follows the child now).
    pub note: Option<String>,
    /// The supervisor.
    pub by: Author,
}
