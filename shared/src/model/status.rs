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

/// Why a case was closed, where it matters to what the reports count. The reason in the
/// person's own words stays in [`CaseStatus::reason`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ClosureReason {
    /// The follow-up is over (the child is settled, came of age, moved out of the programme's
    /// reach...): the child was followed and counts in the months they were.
    FollowUpEnded,
    /// The case should never have been registered (not a child returned from child labour,
    /// a test, a mistake): it is no child of the programme and no report counts it, in any month.
    /// A child registered twice is merged by the supervisor instead, so no record is lost.
    RegisteredInError,
}
keyed_enum!(ClosureReason, "closure reason", {
    FollowUpEnded => "follow_up_ended",
    RegisteredInError => "registered_in_error",
});

/// The case status with its reason and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CaseStatus {
    /// State.
    pub state: CaseState,
    /// Reason (for closure or transfer), or a note.
    pub reason: Option<String>,
    /// For a closed case, why in the report's terms; `None` for any other state, and for a
    /// closure recorded before reasons were kept (read as [`ClosureReason::FollowUpEnded`]).
    #[serde(default)]
    pub closure: Option<ClosureReason>,
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

impl CaseStatus {
    /// Closed as registered in error. The state is checked too: two phones closing and
    /// reopening at once can leave the closure's key beside an active state.
    pub fn registered_in_error(&self) -> bool {
        self.state == CaseState::Closed && self.closure == Some(ClosureReason::RegisteredInError)
    }

    /// Whether the case stands for a child of its own, one the reports count: not a second
    /// registration merged into the child's kept case, not a registration made in error.
    pub fn is_a_child(&self) -> bool {
        self.merged_into.is_none() && !self.registered_in_error()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Two phones at once, one closing a case as registered in error and one reopening it, can
    /// leave the closure's key beside an active state after the merge: that case is a child.
    #[test]
    fn only_a_closed_case_is_registered_in_error_and_a_merged_one_is_no_child() {
        let status = |state, closure, merged_into: Option<&str>| CaseStatus {
            state,
            reason: None,
            closure,
            since: NaiveDate::from_ymd_opt(2026, 10, 20).expect("a date"),
            move_request: None,
            move_decision: None,
            merged_into: merged_into.map(str::to_owned),
            merged_from: Vec::new(),
        };
        let in_error = Some(ClosureReason::RegisteredInError);
        let ended = Some(ClosureReason::FollowUpEnded);
        for (s, registered_in_error, is_a_child) in [
            (status(CaseState::Closed, in_error, None), true, false),
            (status(CaseState::Active, in_error, None), false, true),
            (status(CaseState::Missing, in_error, None), false, true),
            (status(CaseState::Closed, ended, None), false, true),
            (status(CaseState::Closed, None, None), false, true),
            (status(CaseState::Closed, None, Some("c1")), false, false),
        ] {
            assert_eq!(s.registered_in_error(), registered_in_error, "{s:?}");
            assert_eq!(s.is_a_child(), is_a_child, "{s:?}");
        }
        assert_eq!(
            "registered_in_error".parse(),
            Ok(ClosureReason::RegisteredInError)
        );
    }
}
