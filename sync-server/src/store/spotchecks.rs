//! The monthly spot checks on the server: the draw (`shared::spotcheck::draw` over every
//! case's current document, kept as rows), the supervisors' lists scoped to their areas, the
//! outcomes they record, and the discrepancy rate per fieldworker and month.

use std::collections::HashMap;

use super::db::{self, Db, OptionalExtension, params};
use homeward_shared::indicators::Month;
use homeward_shared::model::{Case, Visit};
use homeward_shared::spotcheck::{
    self, Anomaly, ChosenFor, DiscrepancyRow, Outcome, SpotCheckRules,
};
use homeward_shared::wire::{SpotCheckOutcome, SpotCheckTask};
use homeward_shared::{schema, untrusted};
use serde::Serialize;

use super::{Role, Store, WebUser, from_key, key, now, random_hex};
use crate::error::ApiError;
use crate::limits;
use crate::scope::covers;

/// One drawn visit and what the supervisor found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpotCheck {
    /// Id of the spot check.
    pub id: String,
    /// The month drawn.
    pub month: String,
    /// The case.
    pub case_id: String,
    /// The child's name (supervisors work inside the child-protection system).
    pub child_name: String,
    /// The visit to verify.
    pub visit_id: String,
    /// Its date.
    pub visit_date: String,
    /// Who reported it.
    pub fieldworker_id: String,
    /// Their name.
    pub fieldworker_name: String,
    /// District.
    pub district: String,
    /// Block.
    pub block: String,
    /// Village.
    pub village: String,
    /// Why the visit looks unusual, if it does.
    pub anomalies: Vec<Anomaly>,
    /// Whether it was drawn for an anomaly or at random.
    pub chosen_for: ChosenFor,
    /// What the supervisor found, once recorded.
    pub outcome: Option<Outcome>,
    /// The supervisor's note.
    pub note: Option<String>,
    /// Who recorded the outcome.
    pub checked_by: Option<String>,
    /// When.
    pub checked_at: Option<String>,
    /// What the fieldworker reported: the visit as its case holds it (its kind, who made it,
    /// who was met, the note, the needs changed in it). Visits are appended, never rewritten, so
    /// this is the report the supervisor checks at the door. `None` where the case no longer
    /// holds the visit, and in the lists that need only the rows (reference data, rates).
    pub visit: Option<Visit>,
}

impl Store {
    /// Draws the month's sample over every case the server holds and keeps it. A month is
    /// drawn once: drawing it again is refused (the sample must not be re-rolled until it
    /// suits). Returns how many visits were drawn.
    pub fn draw_spot_checks(
        &mut self,
        month: Month,
        by: &str,
        today: chrono::NaiveDate,
    ) -> Result<usize, ApiError> {
        let label = month.to_string();
        // A month is drawn once: drawn before it is over, the visits of its last days would
        // never be sampled (a draw on the 28th locked out the 29th and the 30th).
        if month.last_day() >= today {
            return Err(ApiError::Unprocessable(format!(
                "{label} is not over: its spot checks can be drawn from {}",
                month.last_day() + chrono::Days::new(1)
            )));
        }
        let drawn: Option<String> = self
            .conn
            .query_row(
                "SELECT drawn_at FROM spot_check_draws WHERE month = ?1",
                [&label],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(at) = drawn {
            return Err(ApiError::Conflict(format!(
                "the spot checks of {label} were drawn on {}",
                at.get(..10).unwrap_or(&at)
            )));
        }
        let cases = self.cases(None)?;
        let seed_hex = random_hex::<8>()?;
        let seed =
            u64::from_str_radix(&seed_hex, 16).map_err(|e| ApiError::Internal(e.to_string()))?;
        let samples = spotcheck::draw(&cases, month, seed, &SpotCheckRules::default());
        let names: std::collections::HashMap<&str, &str> = cases
            .iter()
            .map(|c| (c.id.as_str(), c.child.name.as_str()))
            .collect();
        let at = now().to_rfc3339();
        let tx = self.tx()?;
        tx.execute(
            "INSERT INTO spot_check_draws (month, seed, drawn_at, drawn_by) VALUES (?1, ?2, ?3, ?4)",
            // SQLite integers are signed: the seed is kept as its two's-complement bits.
            params![label, seed.cast_signed(), at, by],
        )?;
        let mut count = 0;
        for sample in &samples {
            for d in &sample.draws {
                let anomalies = serde_json::to_string(&d.anomalies)
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
                tx.execute(
                    "INSERT INTO spot_checks (id, month, case_id, child_name, visit_id, visit_date,
                        fieldworker_id, fieldworker_name, district, block, village, anomalies, chosen_for)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                    params![
                        random_hex::<8>()?,
                        label,
                        d.case_id,
                        names.get(d.case_id.as_str()).copied().unwrap_or(""),
                        d.visit_id,
                        d.date.to_string(),
                        d.fieldworker_id,
                        d.fieldworker_name,
                        d.district,
                        d.block,
                        d.village,
                        anomalies,
                        key(&d.chosen_for)?,
                    ],
                )?;
                count += 1;
            }
        }
        // Supervisors' phones receive their open spot checks with the reference data.
        tx.execute(
            "UPDATE users SET ref_version = ref_version + 1 WHERE role IN ('supervisor', 'admin')",
            [],
        )?;
        tx.execute(
            "INSERT INTO audit (at, user_id, action, case_id, detail) VALUES (?1, ?2, 'spot-check-draw', NULL, ?3)",
            params![at, by, format!("{label}: {count} visits")],
        )?;
        tx.commit()?;
        Ok(count)
    }

    /// The spot checks in a user's areas, of one month or all, by fieldworker then date, each
    /// with the visit as the fieldworker reported it.
    pub fn spot_checks(
        &self,
        user: &WebUser,
        month: Option<Month>,
    ) -> Result<Vec<SpotCheck>, ApiError> {
        let mut checks = scoped(&self.conn, user, month)?;
        self.with_visits(&mut checks)?;
        Ok(checks)
    }

    /// Fills each spot check's `visit` from its case's current document (each case read once).
    fn with_visits(&self, checks: &mut [SpotCheck]) -> Result<(), ApiError> {
        let mut cases: HashMap<String, Option<Case>> = HashMap::new();
        for c in checks.iter_mut() {
            if !cases.contains_key(&c.case_id) {
                let case = case_in(&self.conn, &c.case_id)?;
                cases.insert(c.case_id.clone(), case);
            }
            c.visit = cases
                .get(&c.case_id)
                .and_then(Option::as_ref)
                .and_then(|case| case.visits.iter().find(|v| v.id == c.visit_id))
                .cloned();
        }
        Ok(())
    }

    /// Records what a supervisor found on a spot check in their areas. A spot check outside
    /// them is "not found". "Has issues" and "could not verify" need a note saying what. An
    /// outcome, once recorded, stands: another is refused (409), the same one again is a no-op.
    pub fn record_spot_check(
        &mut self,
        user: &WebUser,
        id: &str,
        outcome: Outcome,
        note: &str,
    ) -> Result<SpotCheck, ApiError> {
        let tx = self.tx()?;
        record_in(&tx, user, id, outcome, note, None)?;
        tx.commit()?;
        let mut recorded: Vec<SpotCheck> = scoped(&self.conn, user, None)?
            .into_iter()
            .filter(|s| s.id == id)
            .collect();
        self.with_visits(&mut recorded)?;
        recorded
            .pop()
            .ok_or_else(|| ApiError::Internal("the spot check vanished".into()))
    }

    /// The discrepancy rate per fieldworker and month over the spot checks in a user's areas.
    pub fn discrepancies(&self, user: &WebUser) -> Result<Vec<DiscrepancyRow>, ApiError> {
        let checks = scoped(&self.conn, user, None)?;
        let mut outcomes = Vec::new();
        for c in &checks {
            if let Some(o) = c.outcome {
                let month: Month = c
                    .month
                    .parse()
                    .map_err(|e| ApiError::Internal(format!("stored month: {e}")))?;
                outcomes.push((c.fieldworker_id.as_str(), month, o));
            }
        }
        Ok(spotcheck::discrepancies(outcomes))
    }
}

/// The spot checks still to make in a supervisor's areas (an administrator's: all), for the
/// reference data their phone receives.
pub(super) fn open_tasks(conn: &Db, user: &WebUser) -> Result<Vec<SpotCheckTask>, ApiError> {
    let mut open: Vec<SpotCheck> = load(conn, None)?
        .into_iter()
        .filter(|c| c.outcome.is_none() && covers(user, &c.district, &c.block))
        .collect();
    open.sort_by(|x, y| (&x.month, &x.visit_date, &x.id).cmp(&(&y.month, &y.visit_date, &y.id)));
    Ok(open
        .into_iter()
        .map(|c| SpotCheckTask {
            id: c.id,
            month: c.month,
            case_id: c.case_id,
            child_name: c.child_name,
            visit_date: c.visit_date,
            fieldworker_name: c.fieldworker_name,
            district: c.district,
            block: c.block,
            village: c.village,
            anomalies: c.anomalies,
        })
        .collect())
}

/// Records an outcome in `tx`: the checks and the writes of [`Store::record_spot_check`], shared
/// with the outcomes supervisors' phones send with their sync. The time recorded is the
/// server's; `phone` is what a phone's outcome says about when it was decided, kept in the audit
/// detail.
fn record_in(
    tx: &Db,
    user: &WebUser,
    id: &str,
    outcome: Outcome,
    note: &str,
    phone: Option<&str>,
) -> Result<(), ApiError> {
    if !matches!(user.role, Role::Supervisor | Role::Admin) {
        return Err(ApiError::Forbidden(
            "only supervisors record spot checks".into(),
        ));
    }
    type Place = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let place: Option<Place> = tx
        .query_row(
            "SELECT district, block, case_id, outcome, note, checked_by, checked_at FROM spot_checks WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .optional()?;
    let Some((_, _, case_id, recorded, recorded_note, by, on)) =
        place.filter(|(d, b, ..)| covers(user, d, b))
    else {
        return Err(ApiError::NotFound(format!("no spot check '{id}'")));
    };
    let note = note.trim();
    limits::check("note", note, limits::NOTE)?;
    if let Some(recorded) = recorded {
        // A retried sync sends the same outcome again: nothing to do.
        if recorded == key(&outcome)?
            && recorded_note.as_deref().unwrap_or("") == note
            && by.as_deref() == Some(user.id.as_str())
        {
            return Ok(());
        }
        return Err(ApiError::Conflict(format!(
            "spot check {id} was already recorded as {} by {} on {}: an outcome is not changed",
            recorded.replace('_', " "),
            by.as_deref().unwrap_or("someone"),
            on.as_deref()
                .and_then(|o| o.get(..10))
                .unwrap_or("an earlier day"),
        )));
    }
    if outcome != Outcome::Verified && note.is_empty() {
        return Err(ApiError::BadRequest(
            "say in the note what was wrong, or why the visit could not be verified".into(),
        ));
    }
    let at = now();
    let detail = match phone {
        None => key(&outcome)?,
        Some(t) => format!("{}; {}", key(&outcome)?, phone_time(t, at)),
    };
    let at = at.to_rfc3339();
    tx.execute(
        "UPDATE spot_checks SET outcome = ?2, note = ?3, checked_by = ?4, checked_at = ?5 WHERE id = ?1",
        params![id, key(&outcome)?, (!note.is_empty()).then_some(note), user.id, at],
    )?;
    tx.execute(
        "UPDATE users SET ref_version = ref_version + 1 WHERE role IN ('supervisor', 'admin')",
        [],
    )?;
    tx.execute(
        "INSERT INTO audit (at, user_id, action, case_id, detail) VALUES (?1, ?2, 'spot-check', ?3, ?4)",
        params![at, user.id, case_id, detail],
    )?;
    Ok(())
}

/// How far ahead of the server a phone's clock may run, and how far back its outcome may be
/// dated (a supervisor may stay offline for weeks), before its time is not believed.
const PHONE_AHEAD: chrono::Duration = chrono::Duration::hours(24);
const PHONE_BEHIND: chrono::Duration = chrono::Duration::days(400);

/// The audit detail for the time a phone says an outcome was decided: the time itself when it
/// is a plausible RFC 3339 instant, else a note that the phone's time was not believed (the
/// phone's text itself is not kept).
fn phone_time(t: &str, server: chrono::DateTime<chrono::Utc>) -> String {
    match chrono::DateTime::parse_from_rfc3339(t.trim()) {
        Ok(at) => {
            let at = at.with_timezone(&chrono::Utc);
            if at > server + PHONE_AHEAD || at < server - PHONE_BEHIND {
                "the phone's clock gave an implausible time".to_owned()
            } else {
                format!("decided on the phone at {}", at.to_rfc3339())
            }
        }
        Err(_) => "the phone's time was unreadable".to_owned(),
    }
}

/// Records the outcomes a supervisor's phone sent with a sync, each on its own: one refused
/// (outside the areas, no note, already recorded otherwise) does not stop the others. Returns,
/// per outcome, `None` when recorded or the reason it was refused. The time recorded is the
/// server's; the phone's (validated) is kept in the audit detail.
pub(super) fn record_outcomes(
    tx: &Db,
    user: &WebUser,
    outcomes: &[SpotCheckOutcome],
) -> Result<Vec<(String, Option<String>)>, ApiError> {
    let mut results = Vec::with_capacity(outcomes.len());
    for o in outcomes {
        tx.execute_batch("SAVEPOINT outcome")?;
        match record_in(tx, user, &o.id, o.outcome, &o.note, Some(&o.at)) {
            Ok(()) => {
                tx.execute_batch("RELEASE outcome")?;
                results.push((o.id.clone(), None));
            }
            Err(e) if e.status().is_client_error() => {
                tx.execute_batch("ROLLBACK TO outcome; RELEASE outcome")?;
                results.push((o.id.clone(), Some(e.to_string())));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(results)
}

/// One case as its current document reads, if the server holds it.
fn case_in(conn: &Db, id: &str) -> Result<Option<Case>, ApiError> {
    let doc: Option<Vec<u8>> = conn
        .query_row("SELECT doc FROM cases WHERE id = ?1", [id], |r| r.get(0))
        .optional()?;
    doc.map(|bytes| {
        let doc = untrusted::load(&bytes)
            .map_err(|e| ApiError::Internal(format!("stored case {id} does not load: {e}")))?;
        schema::read_case(&doc)
            .map_err(|e| ApiError::Internal(format!("stored case {id} does not read: {e}")))
    })
    .transpose()
}

/// The spot checks in a user's areas, of one month or all, without their visits.
fn scoped(conn: &Db, user: &WebUser, month: Option<Month>) -> Result<Vec<SpotCheck>, ApiError> {
    Ok(load(conn, month)?
        .into_iter()
        .filter(|c| covers(user, &c.district, &c.block))
        .collect())
}

/// Every spot check, of one month or all, by month (newest first), fieldworker, then date.
fn load(conn: &Db, month: Option<Month>) -> Result<Vec<SpotCheck>, ApiError> {
    let mut stmt = conn.prepare(
        "SELECT id, month, case_id, child_name, visit_id, visit_date, fieldworker_id,
                fieldworker_name, district, block, village, anomalies, chosen_for, outcome,
                note, checked_by, checked_at
         FROM spot_checks WHERE (CAST(?1 AS TEXT) IS NULL OR month = ?1)
         ORDER BY month DESC, fieldworker_name, visit_date, id",
    )?;
    type Raw = (
        [String; 11],
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let raw: Vec<Raw> = stmt
        .query_map(params![month.map(|m| m.to_string())], |r| {
            Ok((
                [
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                    r.get(9)?,
                    r.get(10)?,
                ],
                r.get(11)?,
                r.get(12)?,
                r.get(13)?,
                r.get(14)?,
                r.get(15)?,
                r.get(16)?,
            ))
        })?
        .collect::<db::Result<_>>()?;
    let mut out = Vec::new();
    for (s, anomalies, chosen_for, outcome, note, checked_by, checked_at) in raw {
        let [
            id,
            month,
            case_id,
            child_name,
            visit_id,
            visit_date,
            fw_id,
            fw_name,
            district,
            block,
            village,
        ] = s;
        out.push(SpotCheck {
            id,
            month,
            case_id,
            child_name,
            visit_id,
            visit_date,
            fieldworker_id: fw_id,
            fieldworker_name: fw_name,
            district,
            block,
            village,
            anomalies: serde_json::from_str(&anomalies)
                .map_err(|e| ApiError::Internal(format!("stored anomalies: {e}")))?,
            chosen_for: from_key(&chosen_for)?,
            outcome: outcome.as_deref().map(from_key).transpose()?,
            note,
            checked_by,
            checked_at,
            visit: None,
        });
    }
    Ok(out)
}
