//! Supervisors' reviews of initial assessments and case closures. The latest review of a
//! subject decides where it stands: approved, or sent back to the fieldworker with a comment
//! (their phone receives it with the reference data until a later review approves it).

use super::db::{self, Db, OptionalExtension, params};
use chrono::{DateTime, NaiveDate, Utc};
use homeward_shared::model::{Case, CaseState, ClosureReason, StatusChange, Visit, VisitKind};
use homeward_shared::need::{Dimension, Status};
use homeward_shared::wire::SentBack;
use serde::{Deserialize, Serialize};

use super::{Role, Store, WebUser, key, now, random_hex, schema, untrusted};
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
    /// The day it happened: the assessment's visit, the closure's date.
    pub on: NaiveDate,
    /// Who recorded it (the assessment's fieldworker; a closure does not record its author).
    pub by: Option<String>,
    /// The assessment visit's note, or why the case was closed in the fieldworker's words.
    pub note: Option<String>,
    /// A closure's reason in the reports' terms.
    pub closure: Option<ClosureReason>,
    /// An assessment: each need as assessed, and as it stood when it was last sent back if it
    /// was (what the supervisor sent back).
    pub assessed: Vec<Assessed>,
    /// An assessment sent back: each need recorded again since, against `assessed` (the
    /// correction; empty until the fieldworker changes something).
    pub corrected: Vec<Correction>,
    /// The latest send-back of it, if any: (comment, supervisor, when).
    pub sent_back: Option<(String, String, String)>,
}

/// A need as an assessment recorded it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assessed {
    /// The need.
    pub dimension: Dimension,
    /// Its status as assessed.
    pub status: Status,
    /// The fieldworker's note on it.
    pub note: Option<String>,
}

/// A need recorded again after its assessment was sent back: what the fieldworker changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    /// The need.
    pub dimension: Dimension,
    /// Its status in the assessment sent back (none: the assessment left it out).
    pub was: Option<Status>,
    /// Its status now, as last recorded after the send-back.
    pub now: Status,
    /// The day of that entry (the day it was observed).
    pub on: NaiveDate,
    /// When the phone recorded it.
    pub recorded_at: DateTime<Utc>,
    /// Who recorded it.
    pub by: String,
    /// Its note, or the note of the visit it was recorded in.
    pub note: Option<String>,
}

/// The latest review of a subject: (decision, comment, supervisor's name, when).
type Latest = (String, Option<String>, String, String);

fn latest(conn: &Db, case_id: &str, subject_ref: &str) -> Result<Option<Latest>, ApiError> {
    Ok(conn
        .query_row(
            "SELECT r.decision, r.comment, u.name, r.reviewed_at FROM reviews r JOIN users u ON u.id = r.reviewed_by
             WHERE r.case_id = ?1 AND r.subject_ref = ?2 ORDER BY r.reviewed_at DESC, r.rowid DESC LIMIT 1",
            params![case_id, subject_ref],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?)
}

/// The assessment made in `visit` as it stood at `sent_back` (or as it stands, never sent
/// back), and what was recorded of each need after `sent_back`.
///
/// A need's assessment entry is one made in the visit, or on its day (the app saves each later
/// step of an assessment on the assessment's day); of those, the last recorded before the
/// send-back. Every entry recorded after the send-back, of any visit or day, is part of the
/// correction: a fieldworker answers a send-back by recording the need again, and the queue
/// shows that against what was sent back, not the original again. Entries are compared by the
/// time their phone recorded them.
fn assessment(
    case: &Case,
    visit: &Visit,
    sent_back: Option<DateTime<Utc>>,
) -> (Vec<Assessed>, Vec<Correction>) {
    let before = |h: &StatusChange| sent_back.is_none_or(|t| h.recorded_at <= t);
    let mut assessed = Vec::new();
    let mut corrected = Vec::new();
    for n in &case.needs {
        let original = n
            .history
            .iter()
            .filter(|h| h.visit_id.as_deref() == Some(visit.id.as_str()) || h.on == visit.date)
            .filter(|h| before(h))
            .max_by_key(|h| h.recorded_at);
        if let Some(h) = original {
            assessed.push(Assessed {
                dimension: n.dimension,
                status: h.status,
                note: h.note.clone(),
            });
        }
        let Some(t) = sent_back else { continue };
        let since = n
            .history
            .iter()
            .filter(|h| h.recorded_at > t)
            .max_by_key(|h| h.recorded_at);
        if let Some(h) = since {
            let visit_note = || {
                let id = h.visit_id.as_deref()?;
                case.visits.iter().find(|v| v.id == id)?.note.clone()
            };
            corrected.push(Correction {
                dimension: n.dimension,
                was: original.map(|o| o.status),
                now: h.status,
                on: h.on,
                recorded_at: h.recorded_at,
                by: h.by.name.clone(),
                note: h.note.clone().or_else(visit_note),
            });
        }
    }
    (assessed, corrected)
}

impl Store {
    /// The assessments and closures in a user's areas that no review has approved yet; an
    /// assessment sent back shows what was corrected since.
    pub fn review_queue(&self, user: &WebUser) -> Result<Vec<ReviewItem>, ApiError> {
        let mut out = Vec::new();
        for case in self.cases(None)? {
            let a = &case.child.address;
            if !covers(user, &a.district, &a.block) {
                continue;
            }
            let assessed_in = case
                .visits
                .iter()
                .find(|v| v.kind == VisitKind::InitialAssessment);
            let mut subjects = Vec::new();
            if let Some(v) = assessed_in {
                subjects.push((Subject::Assessment, v.id.clone()));
            }
            if let Some(closure) = closure_ref(&case) {
                subjects.push((Subject::Closure, closure));
            }
            for (subject, subject_ref) in subjects {
                let sent_back = match latest(&self.conn, &case.id, &subject_ref)? {
                    Some((d, _, _, _)) if d == "approved" => continue,
                    Some((_, comment, name, at)) => Some((comment.unwrap_or_default(), name, at)),
                    None => None,
                };
                let mut item = ReviewItem {
                    case_id: case.id.clone(),
                    child_name: case.child.name.clone(),
                    district: a.district.clone(),
                    block: a.block.clone(),
                    subject,
                    subject_ref,
                    on: case.status.since,
                    by: None,
                    note: case.status.reason.clone(),
                    closure: case.status.closure,
                    assessed: Vec::new(),
                    corrected: Vec::new(),
                    sent_back,
                };
                if let (Subject::Assessment, Some(v)) = (subject, assessed_in) {
                    let at = match &item.sent_back {
                        Some((_, _, at)) => Some(
                            DateTime::parse_from_rfc3339(at)
                                .map_err(|e| ApiError::Internal(format!("review time {at}: {e}")))?
                                .with_timezone(&Utc),
                        ),
                        None => None,
                    };
                    let (assessed, corrected) = assessment(&case, v, at);
                    item.on = v.date;
                    item.by = Some(v.by.name.clone());
                    item.note = v.note.clone();
                    item.closure = None;
                    item.assessed = assessed;
                    item.corrected = corrected;
                }
                out.push(item);
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
pub(super) fn sent_back(conn: &Db, user_id: &str) -> Result<Vec<SentBack>, ApiError> {
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
        .collect::<db::Result<_>>()?;
    Ok(rows)
}

/// The subject of a closed case's closure as reviews name it (`closed:` and its date); none
/// while the case is open.
pub(super) fn closure_ref(case: &Case) -> Option<String> {
    (case.status.state == CaseState::Closed).then(|| format!("closed:{}", case.status.since))
}

/// The cases assigned to a user that are closed with no review of that closure yet, for the
/// reference data (a closure sent back is in [`sent_back`] instead; one approved in neither).
pub(super) fn closures_pending(conn: &Db, user_id: &str) -> Result<Vec<String>, ApiError> {
    let mut stmt = conn.prepare(
        "SELECT c.id, c.doc FROM cases c JOIN assignments a ON a.case_id = c.id AND a.user_id = ?1
         ORDER BY c.id",
    )?;
    let rows: Vec<(String, Vec<u8>)> = stmt
        .query_map([user_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<db::Result<_>>()?;
    let mut out = Vec::new();
    for (id, doc) in rows {
        let doc = untrusted::load(&doc)
            .map_err(|e| ApiError::Internal(format!("stored case {id} does not load: {e}")))?;
        let case = schema::read_case(&doc)
            .map_err(|e| ApiError::Internal(format!("stored case {id} does not read: {e}")))?;
        let Some(closure) = closure_ref(&case) else {
            continue;
        };
        if latest(conn, &id, &closure)?.is_none() {
            out.push(id);
        }
    }
    Ok(out)
}
