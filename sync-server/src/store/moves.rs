//! Moves: when a family moves to another block or district, the fieldworker asks on the phone
//! for the case to follow it (`Edit::RequestTransfer`, synced like any edit), and a supervisor
//! of the case's current area decides on the dashboard: approved, the child's address becomes
//! the new one (an `Edit::SettleMove` made by the supervisor's dashboard device), the case's
//! district and block change on the server, and it is assigned to a fieldworker of the new area
//! (the former holder's phone drops it through the feed); refused, the request is withdrawn
//! with the supervisor's note. All in one transaction: the phone asks, the server decides.

use super::db::{self, params};
use homeward_shared::edit::Edit;
use homeward_shared::model::MoveRequest;
use homeward_shared::schema::{self, Authority};
use serde::Serialize;

use super::conflicts::dashboard_edit;
use super::sync::{assign_in, store_push};
use super::{Role, Store, WebUser};
use crate::error::ApiError;
use crate::scope::covers;

/// Why a supervisor's decision on a move was not taken (the form says what to do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveProblem {
    /// The case has no move request waiting (decided already, or withdrawn).
    NoMove,
    /// A refusal needs a note.
    NoteNeeded,
    /// An approval needs the fieldworker who follows the child.
    AssigneeNeeded,
}

/// A move waiting for a supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueuedMove {
    /// The case.
    pub case_id: String,
    /// The child's name.
    pub child_name: String,
    /// Where the case is now: district, block, village.
    pub from: (String, String, String),
    /// What the fieldworker asked.
    pub request: MoveRequest,
    /// The fieldworkers of the new area (id, name) who could follow the child there.
    pub candidates: Vec<(String, String)>,
}

impl Store {
    /// The fieldworkers (not disabled) whose areas cover `district` and `block`: id and name.
    fn fieldworkers_of(
        &self,
        district: &str,
        block: &str,
    ) -> Result<Vec<(String, String)>, ApiError> {
        let mut stmt = self.conn.prepare(
            "SELECT u.id, u.name FROM users u WHERE u.role = 'fieldworker' AND u.disabled_at IS NULL
             AND EXISTS (SELECT 1 FROM user_areas a WHERE a.user_id = u.id AND a.district = ?1
                         AND (a.block = '' OR a.block = ?2))
             ORDER BY u.name, u.id",
        )?;
        let rows = stmt
            .query_map(params![district, block], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<db::Result<_>>()?;
        Ok(rows)
    }

    /// The move requests of the active cases in a user's areas (where the case is now).
    pub fn move_queue(&self, user: &WebUser) -> Result<Vec<QueuedMove>, ApiError> {
        let mut out = Vec::new();
        for case in self.cases(None)? {
            let a = &case.child.address;
            if !case.is_active() || !covers(user, &a.district, &a.block) {
                continue;
            }
            let Some(request) = case.status.move_request.clone() else {
                continue;
            };
            out.push(QueuedMove {
                candidates: self.fieldworkers_of(&request.district, &request.block)?,
                case_id: case.id.clone(),
                child_name: case.child.name.clone(),
                from: (a.district.clone(), a.block.clone(), a.village.clone()),
                request,
            });
        }
        Ok(out)
    }

    /// Decides a case's move request. Approving needs `assignee`, a fieldworker of the new area
    /// (another answers 422); refusing needs a note. A case outside the user's areas answers
    /// like a missing one (checked first, so a refused form tells nothing of it); what the form
    /// lacks is a [`MoveProblem`], and nothing changes.
    pub fn settle_move(
        &mut self,
        user: &WebUser,
        case_id: &str,
        approved: bool,
        assignee: Option<&str>,
        note: Option<&str>,
    ) -> Result<Result<(), MoveProblem>, ApiError> {
        if !matches!(user.role, Role::Supervisor | Role::Admin) {
            return Err(ApiError::Forbidden("only supervisors decide moves".into()));
        }
        let (device, mut doc) = self.dashboard_doc(user, case_id)?;
        let case = schema::read_case(&doc)
            .map_err(|e| ApiError::Internal(format!("case {case_id}: {e}")))?;
        let Some(request) = case.status.move_request.clone() else {
            return Ok(Err(MoveProblem::NoMove));
        };
        let note = note.filter(|n| !n.trim().is_empty());
        if !approved && note.is_none() {
            return Ok(Err(MoveProblem::NoteNeeded));
        }
        let assignee = if approved {
            let Some(a) = assignee.filter(|a| !a.is_empty()) else {
                return Ok(Err(MoveProblem::AssigneeNeeded));
            };
            if !self
                .fieldworkers_of(&request.district, &request.block)?
                .iter()
                .any(|(id, _)| id == a)
            {
                return Err(ApiError::Unprocessable(format!(
                    "{a} is not a fieldworker of {}, {}",
                    request.block, request.district
                )));
            }
            Some(a.to_owned())
        } else {
            None
        };
        let edit = Edit::SettleMove {
            approved,
            note: note.map(str::to_owned),
        };
        let push = dashboard_edit(user, case_id, &mut doc, &edit)
            .map_err(|e| ApiError::Unprocessable(e.to_string()))?;
        let tx = self.tx()?;
        // The one way a case's district and block change: a sync may not move them.
        let moving = approved.then_some((request.district.as_str(), request.block.as_str()));
        store_push(&tx, &device, 0, &push, moving, Authority::Device)?;
        if let Some(a) = &assignee {
            assign_in(&tx, case_id, a, None)?;
        }
        tx.commit()?;
        let detail = match &assignee {
            Some(a) => format!(
                "to {}, {} ({}); assigned to {a}",
                request.block, request.district, request.village
            ),
            None => format!("refused: {}", note.unwrap_or_default()),
        };
        self.audit(
            &user.id,
            if approved {
                "move-approve"
            } else {
                "move-refuse"
            },
            Some(case_id),
            Some(&detail),
        )?;
        Ok(Ok(()))
    }
}
