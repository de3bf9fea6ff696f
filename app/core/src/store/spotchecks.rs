//! A supervisor's spot-check outcomes recorded on this phone, kept until the server records them.

use super::*;

impl Store {
    /// Records what a supervisor found on one of their spot checks (from the reference data),
    /// on this phone, to be sent with the next sync. Recording again replaces it (and it is no
    /// longer the one a bundle carried: the next sync sends it).
    pub fn record_spot_check(
        &mut self,
        id: &str,
        outcome: Outcome,
        note: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let known = self
            .reference()?
            .is_some_and(|r| r.spot_checks.iter().any(|t| t.id == id));
        if !known {
            return Err(FieldError::BadInput(format!(
                "no spot check '{id}' on this phone (they arrive with the sync, for supervisors)"
            )));
        }
        let note = note.trim();
        if outcome != Outcome::Verified && note.is_empty() {
            return Err(FieldError::BadInput(
                "say in the note what was wrong, or why the visit could not be verified".into(),
            ));
        }
        self.conn.execute(
            "INSERT INTO spot_check_outcomes (id, outcome, note, at, refused) VALUES (?1, ?2, ?3, ?4, NULL)
             ON CONFLICT (id) DO UPDATE SET outcome = excluded.outcome, note = excluded.note,
                 at = excluded.at, refused = NULL, bundled = NULL",
            params![id, outcome_key(outcome)?, note, at.to_rfc3339()],
        )?;
        Ok(())
    }

    /// The spot-check outcomes recorded here and not yet recorded by the server.
    pub fn local_outcomes(&self) -> Result<Vec<LocalOutcome>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, outcome, note, at, refused FROM spot_check_outcomes ORDER BY at, id",
        )?;
        let rows: Vec<(String, String, String, String, Option<String>)> = stmt
            .query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter()
            .map(|(id, outcome, note, at, refused)| {
                Ok(LocalOutcome {
                    outcome: parse_outcome(&outcome)?,
                    id,
                    note,
                    at,
                    refused,
                })
            })
            .collect()
    }

    /// The outcomes to send with the next sync (those the server has not refused).
    pub fn pending_outcomes(&self) -> Result<Vec<SpotCheckOutcome>> {
        Ok(self
            .local_outcomes()?
            .into_iter()
            .filter(|o| o.refused.is_none())
            .map(|o| SpotCheckOutcome {
                id: o.id,
                outcome: o.outcome,
                note: o.note,
                at: o.at,
            })
            .collect())
    }

    /// Applies the server's answer to the outcomes sent: recorded ones leave, refused ones keep
    /// the reason (shown on the phone) until recorded again.
    pub fn settle_outcomes(&mut self, results: &[(String, Option<String>)]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for (id, refused) in results {
            match refused {
                None => tx.execute("DELETE FROM spot_check_outcomes WHERE id = ?1", [id])?,
                Some(reason) => tx.execute(
                    "UPDATE spot_check_outcomes SET refused = ?2 WHERE id = ?1",
                    params![id, reason],
                )?,
            };
        }
        tx.commit()?;
        Ok(())
    }
}

/// The key serde writes for an outcome (`has_issues`), as stored.
pub(super) fn outcome_key(o: Outcome) -> Result<String> {
    match serde_json::to_value(o) {
        Ok(serde_json::Value::String(s)) => Ok(s),
        _ => Err(FieldError::BadInput(format!("outcome {o:?} has no key"))),
    }
}

pub(super) fn parse_outcome(s: &str) -> Result<Outcome> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).map_err(|_| {
        FieldError::BadInput(format!(
            "unknown outcome '{s}' (verified, has_issues or could_not_verify)"
        ))
    })
}

/// Parses an outcome as typed on the command line or sent by the window.
pub fn outcome(s: &str) -> Result<Outcome> {
    parse_outcome(s.trim())
}
