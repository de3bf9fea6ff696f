//! An urgent SMS of a summons or incident (issue 14): when only SMS gets through, the
//! fieldworker sends the server's number one text ([`homeward_shared::sms`]) that holds ids, a
//! kind and dates, no name, with a check code under this device's SMS key. The device's
//! counter (`meta.sms_n`) moves with each text composed, so the server can refuse a replay.

use homeward_shared::sms::{self, SmsError, UrgentEvent, UrgentSms};

use super::*;

/// One urgent SMS composed on this phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct UrgentText {
    /// The text to send, as it is (at most one SMS).
    pub text: String,
    /// The number to send it to (the server's gateway), when the server gave one.
    pub number: Option<String>,
    /// How many characters it holds.
    pub chars: usize,
}

/// Why no urgent SMS could be composed. Nothing changed (the counter did not move).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrgentProblem {
    /// The server has not given this phone an SMS key yet.
    #[error("this phone has no SMS key yet: sync once with a network, then urgent SMS can be sent")]
    NoKey,
    /// The case has no record with this id.
    #[error("case {case} has no summons or incident '{record}'")]
    UnknownRecord {
        /// The case.
        case: String,
        /// The id given.
        record: String,
    },
    /// The record is of another kind (a visit, a claim...).
    #[error(
        "'{record}' is a {what} of case {case}, not a summons or an incident: only those are sent by SMS"
    )]
    NotUrgent {
        /// The case.
        case: String,
        /// The id given.
        record: String,
        /// What it is: `visit`, `claim`, `referral` or `copy` (of a document).
        what: &'static str,
    },
    /// The text could not be made (an id an SMS cannot carry, or too long).
    #[error("{0}")]
    Compose(SmsError),
}

impl Store {
    /// The urgent SMS of summons or incident `record_id` of case `case_id`, with this device's
    /// counter moved by one (kept, in the same transaction as it is read).
    pub fn urgent_sms(&mut self, case_id: &str, record_id: &str) -> Result<UrgentText> {
        let key = self
            .sms_key()?
            .ok_or(FieldError::Urgent(UrgentProblem::NoKey))?;
        let device = self
            .meta("device_id")?
            .ok_or(FieldError::Urgent(UrgentProblem::NoKey))?;
        let case = self.case(case_id)?;
        let event = urgent_event(&case, record_id)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let last: Option<String> = tx
            .query_row("SELECT value FROM meta WHERE key = 'sms_n'", [], |r| {
                r.get(0)
            })
            .optional()?;
        let n = match last {
            None => 1,
            Some(s) => {
                s.parse::<u64>()
                    .map_err(|_| FieldError::Corrupt("SMS counter".into()))?
                    + 1
            }
        };
        let text = sms::compose(
            &UrgentSms {
                device,
                n,
                case: case.id.clone(),
                record: record_id.to_owned(),
                event,
            },
            &key,
        )
        .map_err(|e| FieldError::Urgent(UrgentProblem::Compose(e)))?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('sms_n', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [n.to_string()],
        )?;
        tx.commit()?;
        Ok(UrgentText {
            chars: text.chars().count(),
            text,
            number: self.meta("sms_number")?,
        })
    }
}

/// The event of a summons or incident of the case, or why the record is not one.
fn urgent_event(case: &Case, record: &str) -> Result<UrgentEvent> {
    if let Some(s) = case.legal.summonses.iter().find(|s| s.id == record) {
        return Ok(UrgentEvent::Summons {
            received_on: s.received_on,
            hearing_on: s.hearing_on,
        });
    }
    if let Some(i) = case.legal.incidents.iter().find(|i| i.id == record) {
        return Ok(UrgentEvent::Incident {
            on: i.on,
            police_informed: i.police_informed,
        });
    }
    let what = if case.visits.iter().any(|v| v.id == record) {
        Some("visit")
    } else if case.services.iter().any(|s| s.id == record) {
        Some("claim")
    } else if case.referrals.iter().any(|r| r.id == record) {
        Some("referral")
    } else if case.attachments.iter().any(|a| a.id == record) {
        Some("copy")
    } else {
        None
    };
    Err(FieldError::Urgent(match what {
        Some(what) => UrgentProblem::NotUrgent {
            case: case.id.clone(),
            record: record.to_owned(),
            what,
        },
        None => UrgentProblem::UnknownRecord {
            case: case.id.clone(),
            record: record.to_owned(),
        },
    }))
}
