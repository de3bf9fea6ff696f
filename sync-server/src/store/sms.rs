//! Urgent events by SMS (issue 14): a court summons or a harassment incident a fieldworker
//! recorded offline reaches the case's supervisors the same day as one signed text
//! (`homeward_shared::sms`), through an SMS gateway that posts it to `POST /api/v1/sms`.
//!
//! An accepted text raises an urgent item (one per case and record: a second text of the same
//! record raises nothing new), shown to the supervisors of the case's area on the dashboard and
//! in their phones' reference data until the full record, with the same id, is stored in the
//! case document by any way a document is stored ([`match_urgent`], called by `store_case`,
//! which every push, dashboard edit, merge, move and bundle goes through). The item is never
//! counted as a record: counts read case documents only.
//!
//! Every refusal is written to the audit log as `sms-refused` with its reason and the ids the
//! text named, never the text itself.

use std::collections::BTreeSet;

use homeward_shared::model::Case;
use homeward_shared::sms::{self, SmsError, UrgentEvent};
use homeward_shared::wire::UrgentItem;

use super::sync::may_write;
use super::*;

/// The audit log's user for a refusal whose device is unknown.
const GATEWAY: &str = "sms-gateway";

/// What became of an accepted text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsReceived {
    /// A new urgent item was raised for the case's supervisors.
    Raised,
    /// An item of the same case and record was raised before: nothing new.
    AlreadyRaised,
    /// The case document already holds the record: nothing to raise.
    AlreadyReceived,
}

/// An urgent item as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrgentRow {
    /// The item, with the child's and the sender's names.
    pub item: UrgentItem,
    /// When its full record arrived (RFC 3339); `None` while it is open.
    pub matched_at: Option<String>,
}

/// What is known of a text while it is checked, for the audit line of a refusal.
#[derive(Debug, Default)]
struct Seen {
    device: Option<String>,
    user: Option<String>,
    n: Option<u64>,
    case: Option<String>,
    record: Option<String>,
}

/// The digits of a phone number, the last ten of them when there are more (an Indian mobile
/// number with or without `+91` or a leading `0`).
fn number_key(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let from = digits.len().saturating_sub(10);
    digits[from..].iter().collect()
}

/// Checks a phone number as typed for a device (`+91 98765 43210`, `098765-43210`): 10 to 15
/// digits, with spaces, dashes, brackets and a leading `+` allowed.
fn checked_phone(phone: &str) -> Result<String, ApiError> {
    let phone = phone.trim();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || " -()".contains(c) || (c == '+' && i == 0));
    if !allowed || !(10..=15).contains(&digits) {
        return Err(ApiError::BadRequest(format!(
            "'{phone}' is not a phone number: give 10 to 15 digits, with +91 or not"
        )));
    }
    Ok(phone.to_owned())
}

fn event_kind(event: &UrgentEvent) -> &'static str {
    match event {
        UrgentEvent::Summons { .. } => "summons",
        UrgentEvent::Incident { .. } => "incident",
    }
}

fn sms_refusal(e: SmsError) -> ApiError {
    match e {
        SmsError::BadMac => ApiError::Forbidden(e.to_string()),
        SmsError::Malformed(_) | SmsError::TooLong(_) | SmsError::BadId => {
            ApiError::Unprocessable(e.to_string())
        }
    }
}

/// The ids of the summonses and incidents a case document holds.
fn record_ids(case: &Case) -> BTreeSet<&str> {
    case.legal
        .summonses
        .iter()
        .map(|s| s.id.as_str())
        .chain(case.legal.incidents.iter().map(|i| i.id.as_str()))
        .collect()
}

fn read_case_doc(conn: &Db, case_id: &str) -> Result<Option<Case>, ApiError> {
    let doc: Option<Vec<u8>> = conn
        .query_row("SELECT doc FROM cases WHERE id = ?1", [case_id], |r| {
            r.get(0)
        })
        .optional()?;
    doc.map(|doc| {
        let doc = untrusted::load(&doc)
            .map_err(|e| ApiError::Internal(format!("stored case {case_id} does not load: {e}")))?;
        schema::read_case(&doc)
            .map_err(|e| ApiError::Internal(format!("stored case {case_id} does not read: {e}")))
    })
    .transpose()
}

/// Moves the reference version of every administrator and of every supervisor whose areas
/// hold the case: their phones receive the urgent items at their next sync.
fn supervisors_move(tx: &Db, case_id: &str) -> Result<(), ApiError> {
    tx.execute(
        "UPDATE users SET ref_version = ref_version + 1 WHERE role = 'admin'
           OR (role = 'supervisor' AND id IN (
               SELECT ua.user_id FROM user_areas ua JOIN cases c ON c.id = ?1
               WHERE ua.district = c.district AND (ua.block = '' OR ua.block = c.block)))",
        [case_id],
    )?;
    Ok(())
}

/// Marks matched, in the caller's transaction, the open urgent items of a case whose record
/// (summons or incident) the case document now holds, and moves the supervisors' reference
/// version when any was. Called wherever a case's document is stored; returns how many matched.
pub(crate) fn match_urgent(tx: &Db, case_id: &str, case: &Case) -> Result<usize, ApiError> {
    let open: Vec<(String, String)> = tx
        .prepare_cached(
            "SELECT id, record_id FROM urgent_items WHERE case_id = ?1 AND matched_at IS NULL",
        )?
        .query_map([case_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<db::Result<_>>()?;
    if open.is_empty() {
        return Ok(0);
    }
    let held = record_ids(case);
    let at = now().to_rfc3339();
    let mut matched = 0;
    for (id, record) in &open {
        if held.contains(record.as_str()) {
            tx.execute(
                "UPDATE urgent_items SET matched_at = ?2 WHERE id = ?1",
                params![id, at],
            )?;
            matched += 1;
        }
    }
    if matched > 0 {
        supervisors_move(tx, case_id)?;
    }
    Ok(matched)
}

/// The urgent items (open only, or all of one case) of the cases `keep` allows, newest first,
/// with the child's and the sender's names.
fn items(
    conn: &Db,
    case_id: Option<&str>,
    keep: impl Fn(&str, &str) -> bool,
) -> Result<Vec<UrgentRow>, ApiError> {
    type Row = (
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        String,
    );
    let rows: Vec<(Row, String, String)> = conn
        .prepare(
            "SELECT i.id, i.case_id, i.record_id, i.event, i.received_at, i.matched_at, u.name,
                    c.district, c.block
             FROM urgent_items i JOIN cases c ON c.id = i.case_id
             JOIN devices d ON d.id = i.device_id JOIN users u ON u.id = d.user_id
             WHERE (CAST(?1 AS TEXT) IS NULL AND i.matched_at IS NULL) OR i.case_id = ?1
             ORDER BY i.received_at DESC, i.id",
        )?
        .query_map([case_id], |r| {
            Ok((
                (
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ),
                r.get(7)?,
                r.get(8)?,
            ))
        })?
        .collect::<db::Result<_>>()?;
    let mut out = Vec::new();
    for ((id, case_id, record_id, event, received_at, matched_at, from_name), d, b) in rows {
        if !keep(&d, &b) {
            continue;
        }
        let event: UrgentEvent = serde_json::from_str(&event)
            .map_err(|e| ApiError::Internal(format!("urgent item {id}: {e}")))?;
        let child_name = read_case_doc(conn, &case_id)?
            .map(|c| c.child.name)
            .unwrap_or_default();
        out.push(UrgentRow {
            item: UrgentItem {
                id,
                case_id,
                record_id,
                event,
                received_at,
                from_name,
                child_name,
            },
            matched_at,
        });
    }
    Ok(out)
}

/// The open urgent items a user's phone receives in its reference data: a supervisor's of
/// their areas, an administrator's all; nobody else's.
pub(super) fn urgent_for(conn: &Db, user_id: &str) -> Result<Vec<UrgentItem>, ApiError> {
    let user = web_user_in(conn, user_id)?;
    if !matches!(user.role, Role::Supervisor | Role::Admin) {
        return Ok(Vec::new());
    }
    Ok(items(conn, None, |d, b| crate::scope::covers(&user, d, b))?
        .into_iter()
        .rev()
        .map(|r| r.item)
        .collect())
}

impl Store {
    /// Takes one urgent SMS from a gateway: `sender` is the number it came from, `text` the
    /// message. Checked in order: the device it names is known, not revoked, and has an SMS
    /// key; the check code under that key; the sender is the device's registered phone; the
    /// message number is new; the case exists and the device's user may write it. Each refusal
    /// is a 4xx error with the reason, and an `sms-refused` line in the audit log.
    pub fn receive_sms(&mut self, sender: &str, text: &str) -> Result<SmsReceived, ApiError> {
        let mut seen = Seen::default();
        let result = self.try_receive_sms(sender, text, &mut seen);
        if let Err(e) = &result
            && e.status().is_client_error()
        {
            let ids = [
                seen.device.as_ref().map(|d| format!("device {d}")),
                seen.n.map(|n| format!("message {n}")),
                seen.record.as_ref().map(|r| format!("record {r}")),
            ];
            let ids: Vec<String> = ids.into_iter().flatten().collect();
            let detail = if ids.is_empty() {
                e.to_string()
            } else {
                format!("{}: {e}", ids.join(", "))
            };
            self.audit(
                seen.user.as_deref().unwrap_or(GATEWAY),
                "sms-refused",
                seen.case.as_deref(),
                Some(&detail),
            )?;
        }
        result
    }

    fn try_receive_sms(
        &mut self,
        sender: &str,
        text: &str,
        seen: &mut Seen,
    ) -> Result<SmsReceived, ApiError> {
        let device_id = sms::device_of(text).map_err(sms_refusal)?;
        seen.device = Some(device_id.clone());
        let tx = self.tx()?;
        type Row = (
            String,
            String,
            String,
            Vec<u8>,
            Option<Vec<u8>>,
            Option<String>,
            Option<String>,
            i64,
        );
        let row: Option<Row> = tx
            .query_row(
                "SELECT d.user_id, u.name, u.role, d.actor, d.sms_key, d.phone,
                        coalesce(d.revoked_at, u.disabled_at), d.confirmed_seq
                 FROM devices d JOIN users u ON u.id = d.user_id
                 WHERE d.id = ?1 AND d.kind = 'phone'",
                [&device_id],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                        r.get(7)?,
                    ))
                },
            )
            .optional()?;
        let Some((user_id, user_name, role, actor, key, phone, revoked, confirmed)) = row else {
            return Err(ApiError::Forbidden(format!(
                "no enrolled phone has the device id {device_id}"
            )));
        };
        seen.user = Some(user_id.clone());
        if revoked.is_some() {
            return Err(ApiError::Forbidden(format!(
                "device {device_id} was revoked, or its user disabled: its messages are not taken"
            )));
        }
        let key: [u8; 32] = key
            .and_then(|k| <[u8; 32]>::try_from(k).ok())
            .ok_or_else(|| {
                ApiError::Forbidden(format!(
                    "device {device_id} has no SMS key yet: it receives one at its next sync"
                ))
            })?;
        let urgent = sms::read(text, &key).map_err(sms_refusal)?;
        seen.n = Some(urgent.n);
        seen.case = Some(urgent.case.clone());
        seen.record = Some(urgent.record.clone());
        let Some(phone) = phone else {
            return Err(ApiError::Forbidden(format!(
                "device {device_id} has no phone number registered: register it with \
                 homeward-sync-server device phone {device_id} NUMBER"
            )));
        };
        let from = number_key(sender);
        if from.is_empty() || from != number_key(&phone) {
            return Err(ApiError::Forbidden(format!(
                "the message did not come from the phone number registered for device {device_id}"
            )));
        }
        let n = i64::try_from(urgent.n)
            .map_err(|_| ApiError::Unprocessable("the message number is too large".into()))?;
        let replay: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM sms_messages WHERE device_id = ?1 AND n = ?2)",
            params![device_id, n],
            |r| r.get(0),
        )?;
        if replay {
            return Err(ApiError::Conflict(format!(
                "message {} of device {device_id} was received before: a replay",
                urgent.n
            )));
        }
        let place: Option<(String, String)> = tx
            .query_row(
                "SELECT district, block FROM cases WHERE id = ?1",
                [&urgent.case],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let Some((district, block)) = place else {
            return Err(ApiError::NotFound(format!(
                "no case {} on the server: its record must reach the server by sync or bundle",
                urgent.case
            )));
        };
        let device = DeviceAuth {
            device_id: device_id.clone(),
            user_id: user_id.clone(),
            user_name,
            role: Role::parse(&role)
                .ok_or_else(|| ApiError::Internal(format!("bad role {role}")))?,
            actor,
        };
        if !may_write(&tx, &device, confirmed, &urgent.case, &district, &block)? {
            return Err(ApiError::Forbidden(format!(
                "case {} is not in the scope of device {device_id}",
                urgent.case
            )));
        }
        let at = now().to_rfc3339();
        tx.execute(
            "INSERT INTO sms_messages (device_id, n, sender, text, received_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![device_id, n, sender, text.trim(), at],
        )?;
        let held = read_case_doc(&tx, &urgent.case)?
            .is_some_and(|c| record_ids(&c).contains(urgent.record.as_str()));
        let received = if held {
            SmsReceived::AlreadyReceived
        } else {
            let event = serde_json::to_string(&urgent.event)
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            let raised = tx.execute(
                "INSERT INTO urgent_items (id, device_id, case_id, record_id, kind, event, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
                params![
                    random_hex::<8>()?,
                    device_id,
                    urgent.case,
                    urgent.record,
                    event_kind(&urgent.event),
                    event,
                    at
                ],
            )?;
            if raised == 1 {
                supervisors_move(&tx, &urgent.case)?;
                SmsReceived::Raised
            } else {
                SmsReceived::AlreadyRaised
            }
        };
        tx.execute(
            "INSERT INTO audit (at, user_id, action, case_id, detail) VALUES (?1, ?2, 'sms-received', ?3, ?4)",
            params![
                at,
                user_id,
                urgent.case,
                format!(
                    "device {device_id}, message {}, {} {}: {}",
                    urgent.n,
                    event_kind(&urgent.event),
                    urgent.record,
                    match received {
                        SmsReceived::Raised => "raised",
                        SmsReceived::AlreadyRaised => "raised before",
                        SmsReceived::AlreadyReceived => "record already received",
                    }
                )
            ],
        )?;
        tx.commit()?;
        Ok(received)
    }

    /// Registers the phone number a device's urgent SMS come from (`device phone DEVICE
    /// NUMBER`). Any form of the number is accepted; messages are matched on its last ten
    /// digits.
    pub fn set_device_phone(&mut self, device_id: &str, phone: &str) -> Result<String, ApiError> {
        let phone = checked_phone(phone)?;
        let tx = self.tx()?;
        let n = tx.execute(
            "UPDATE devices SET phone = ?2 WHERE id = ?1 AND kind = 'phone'",
            params![device_id, phone],
        )?;
        if n == 0 {
            return Err(ApiError::NotFound(format!("no device '{device_id}'")));
        }
        tx.commit()?;
        Ok(phone)
    }

    /// Sets a device's SMS key directly: for tests only (the server makes the key when it
    /// grants a device its keys).
    #[doc(hidden)]
    pub fn set_sms_key_for_tests(
        &mut self,
        device_id: &str,
        key: &[u8; 32],
    ) -> Result<(), ApiError> {
        self.conn.execute(
            "UPDATE devices SET sms_key = ?2 WHERE id = ?1",
            params![device_id, key.as_slice()],
        )?;
        Ok(())
    }

    /// The urgent items the dashboard shows a user: with `case_id`, every item of that case
    /// (open or matched); without, the open items of every case in the user's areas.
    pub fn urgent_items(
        &self,
        user: &WebUser,
        case_id: Option<&str>,
    ) -> Result<Vec<UrgentRow>, ApiError> {
        items(&self.conn, case_id, |d, b| crate::scope::covers(user, d, b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indian_numbers_match_with_or_without_the_country_code_or_a_leading_zero() {
        let key = number_key("9876543210");
        for same in [
            "+91 98765 43210",
            "098765-43210",
            "919876543210",
            "(98765) 43210",
        ] {
            assert_eq!(number_key(same), key, "{same}");
        }
        assert_ne!(number_key("+91 98765 43211"), key);
        assert!(checked_phone("+91 98765 43210").is_ok());
        for bad in ["12345", "98765x43210", "98+76543210", "1234567890123456"] {
            assert!(checked_phone(bad).is_err(), "{bad}");
        }
    }
}
