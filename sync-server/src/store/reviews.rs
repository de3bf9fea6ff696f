//! Supervisors' reviews of initial assessments and case closures. The latest review of a
//! subject decides where it stands: approved, or sent back to the fieldworker with a comment
//! (their phone receives it with the reference data until a later review approves it).

use homeward_shared::model::{CaseState, VisitKind};
use homeward_shared::wire::SentBack;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use super::{Role, Store, WebUser, key, now, random_hex};
use crate::error::ApiError;
use crate::limits;
use crate::scope::covers;

/// What a review is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// The initial needs assessment (a visit).
    Assessment,
    /// The closing of the case.
    Closure,
}

/// A supervisor's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Accepted as recorded.
    Approved,
    /// Returned to the fieldworker with a comment.
    SentBack,
}

/// An assessment or closure waiting for a supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewItem {
    /// The case.
    pub case_id: String,
    /// The child's name.
    pub child_name: String,
    /// District.
    pub district: String,
    /// Block.
    pub block: String,
    /// What is to review.
    pub subject: Subject,
    /// Which one: the assessment's visit id, or `closed:` and the closure's date.
    pub subject_ref: String,
    /// When it happened.
    pub on: String,
    /// Who recorded it.
    pub by: String,
    /// For an assessment: each need's status as assessed; for a closure: the reason.
    pub detail: String,
    /// The latest send-back of it, if any: (comment, supervisor, when).
    pub sent_back: Option<(String, String, String)>,
}

/// The latest review of a subject: (decision, comment, supervisor's name, when).
type Latest = (String, Option<String>, String, String);

fn latest(conn: &Connection, case_id: &str, subject_ref: &str) -> Result<Option<Latest>, ApiError> {
    Ok(conn
        .query_row(
            "SELECT r.decision, r.comment, u.name, r.reviewed_at FROM reviews r JOIN users u ON u.id = r.reviewed_by
             WHERE r.case_id = ?1 AND r.subject_ref = ?2 ORDER BY r.reviewed_at DESC, r.rowid DESC LIMIT 1",
            params![case_id, subject_ref],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?)
}

impl Store {
    /// The assessments and closures in a user's areas that no review has approved yet.
    pub fn review_queue(&self, user: &WebUser) -> Result<Vec<ReviewItem>, ApiError> {
        let en = homeward_shared::i18n::Catalogue::new(homeward_shared::i18n::Lang::En);
        let mut out = Vec::new();
        for case in self.cases(None)? {
            let a = &case.child.address;
            if !covers(user, &a.district, &a.block) {
                continue;
            }
            let mut items = Vec::new();
            if let Some(v) = case
                .visits
                .iter()
                .find(|v| v.kind == VisitKind::InitialAssessment)
            {
                let detail = case
                    .needs
                    .iter()
                    .filter_map(|n| {
                        n.history
                            .iter()
                            .find(|h| {
                                h.visit_id.as_deref() == Some(v.id.as_str()) || h.on == v.date
                            })
                            .map(|h| {
                                format!("{}: {}", en.dimension(n.dimension), en.status(h.status))
                            })
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                items.push((
                    Subject::Assessment,
                    v.id.clone(),
                    v.date.to_string(),
                    v.by.name.clone(),
                    detail,
                ));
            }
            if case.status.state == CaseState::Closed {
                items.push((
                    Subject::Closure,
                    format!("closed:{}", case.status.since),
                    case.status.since.to_string(),
                    String::new(),
                    case.status.reason.clone().unwrap_or_default(),
                ));
            }
            for (subject, subject_ref, on, by, detail) in items {
                let last = latest(&self.conn, &case.id, &subject_ref)?;
                let sent_back = match last {
                    Some((d, _, _, _)) if d == "approved" => continue,
                    Some((_, comment, name, at)) => Some((comment.unwrap_or_default(), name, at)),
                    None => None,
                };
                out.push(ReviewItem {
                    case_id: case.id.clone(),
                    child_name: case.child.name.clone(),
                    district: a.district.clone(),
                    block: a.block.clone(),
                    subject,
                    subject_ref,
                    on,
                    by,
                    detail,
                    sent_back,
                });
            }
        }
        Ok(out)
    }

    /// Records a supervisor's review of an assessment or closure of a case in their areas. A
    /// send-back needs a comment; it reaches the phones of the case's fieldworker at their next
    /// sync.
    pub fn review(
        &mut self,
        user: &WebUser,
        case_id: &str,
        subject: Subject,
        subject_ref: &str,
        decision: Decision,
        comment: &str,
    ) -> Result<(), ApiError> {
        if !matches!(user.role, Role::Supervisor | Role::Admin) {
            return Err(ApiError::Forbidden("only supervisors review".into()));
        }
        let place: Option<(String, String)> = self
            .conn
            .query_row(
                "SELECT district, block FROM cases WHERE id = ?1",
                [case_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if !place.is_some_and(|(d, b)| covers(user, &d, &b)) {
            return Err(ApiError::NotFound(format!("no case '{case_id}'")));
        }
        let pending = self
            .review_queue(user)?
            .into_iter()
            .any(|i| i.case_id == case_id && i.subject == subject && i.subject_ref == subject_ref);
        if !pending {
            return Err(ApiError::NotFound(format!(
                "nothing of case {case_id} waits for review as {subject_ref}"
            )));
        }
        let comment = comment.trim();
        limits::check("comment", comment, limits::COMMENT)?;
        if decision == Decision::SentBack && comment.is_empty() {
            return Err(ApiError::BadRequest(
                "say in the comment what the fieldworker should do".into(),
            ));
        }
        let at = now().to_rfc3339();
        let tx = self.tx()?;
        tx.execute(
            "INSERT INTO reviews (id, case_id, subject, subject_ref, decision, comment, reviewed_by, reviewed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                random_hex::<8>()?,
                case_id,
                key(&subject)?,
                subject_ref,
                key(&decision)?,
                (!comment.is_empty()).then_some(comment),
                user.id,
                at
            ],
        )?;
        // The case's fieldworker gets the news with the reference data at the next sync.
        tx.execute(
            "UPDATE users SET ref_version = ref_version + 1 WHERE id IN (SELECT user_id FROM assignments WHERE case_id = ?1)",
            [case_id],
        )?;
        tx.execute(
            "INSERT INTO audit (at, user_id, action, case_id, detail) VALUES (?1, ?2, 'review', ?3, ?4)",
            params![at, user.id, case_id, format!("{} {}", key(&subject)?, key(&decision)?)],
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// The send-backs standing for the cases assigned to a user (their latest review is a
/// send-back), for the reference data.
pub(super) fn sent_back(conn: &Connection, user_id: &str) -> Result<Vec<SentBack>, ApiError> {
    let mut stmt = conn.prepare(
        "SELECT r.case_id, r.subject, r.comment, u.name, r.reviewed_at
         FROM reviews r JOIN users u ON u.id = r.reviewed_by
         JOIN assignments a ON a.case_id = r.case_id AND a.user_id = ?1
         WHERE r.decision = 'sent_back'
           AND NOT EXISTS (SELECT 1 FROM reviews later WHERE later.case_id = r.case_id
                 AND later.subject_ref = r.subject_ref
                 AND (later.reviewed_at > r.reviewed_at OR (later.reviewed_at = r.reviewed_at AND later.rowid > r.rowid)))
         ORDER BY r.reviewed_at",
    )?;
    let rows = stmt
        .query_map([user_id], |r| {
            Ok(SentBack {
                case_id: r.get(0)?,
                subject: r.get(1)?,
                comment: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                by: r.get(3)?,
                at: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
