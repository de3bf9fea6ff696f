//! An urgent event in one SMS (issue 14): a court summons or a harassment incident recorded
//! offline reaches the supervisor the same day when only SMS gets through.
//!
//! The text is at most [`MAX_CHARS`] characters of GSM 7-bit's basic set (capitals, digits,
//! spaces), so every phone sends it as one message, and holds no name: ids, a kind and dates.
//!
//! ```text
//! HW1 S <device> <n> <case> <record> <received> <hearing> <mac>
//! HW1 H <device> <n> <case> <record> <day> <P|N> <mac>
//! ```
//!
//! `HW1` is the version; `S` a summons (the day it was received, the hearing's day), `H` a
//! harassment incident (its day, whether the police were informed: `P` or `N`); `device` the
//! device id the server gave, `n` the device's SMS counter (from 1; the server refuses a number
//! it has seen, a replay), `case` and `record` the ids of the case and of the summons or
//! incident (so the full record, when it arrives by sync or bundle, is matched to the SMS);
//! dates as `YYYYMMDD`; `mac` the first 10 bytes of HMAC-SHA256 under the device's SMS key (32
//! bytes the server gives at enrolment), over everything before it, in upper-case hex.

use chrono::NaiveDate;
use hmac::{KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The longest text: one SMS of GSM 7-bit characters.
pub const MAX_CHARS: usize = 160;

/// The version tag every text starts with.
pub const VERSION: &str = "HW1";

/// The MAC's bytes (80 bits, 20 hex digits).
pub const MAC_BYTES: usize = 10;

/// The longest id in a text.
const MAX_ID: usize = 32;

/// What happened, in the SMS's terms.
///
/// Externally tagged (`{"summons": {...}}` in JSON): the sync's postcard cannot read an
/// internally tagged enum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum UrgentEvent {
    /// A court summons: the day the family received it and the hearing's day.
    Summons {
        /// Received on.
        received_on: NaiveDate,
        /// The hearing.
        hearing_on: NaiveDate,
    },
    /// A harassment incident: its day and whether the police were informed.
    Incident {
        /// The day.
        on: NaiveDate,
        /// Police informed.
        police_informed: bool,
    },
}

/// One urgent SMS, read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrgentSms {
    /// The device that composed it.
    pub device: String,
    /// The device's SMS counter.
    pub n: u64,
    /// The case.
    pub case: String,
    /// The summons' or incident's id.
    pub record: String,
    /// What happened.
    pub event: UrgentEvent,
}

/// Why a text was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SmsError {
    /// Not a Homeward text, or one cut short or changed in its form.
    #[error("not a Homeward urgent message, or one cut short: {0}")]
    Malformed(&'static str),
    /// The MAC does not match the named device's key.
    #[error(
        "the message's check code does not match the device's key: changed, or not from that phone"
    )]
    BadMac,
    /// Longer than one SMS (should not happen for ids of the usual length).
    #[error("the message would take {0} characters, more than one SMS")]
    TooLong(usize),
    /// An id with characters the text cannot carry.
    #[error("an id with characters an SMS cannot carry")]
    BadId,
}

fn mac(key: &[u8; 32], body: &str) -> String {
    let Ok(mut m) = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(key) else {
        return String::new();
    };
    m.update(b"homeward sms v1\0");
    m.update(body.as_bytes());
    let tag = m.finalize().into_bytes();
    hex::encode_upper(&tag[..MAC_BYTES])
}

fn id_ok(s: &str) -> bool {
    !s.is_empty() && s.len() <= MAX_ID && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn day(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

fn parse_day(s: &str) -> Result<NaiveDate, SmsError> {
    if s.len() != 8 {
        return Err(SmsError::Malformed("a date is not YYYYMMDD"));
    }
    NaiveDate::parse_from_str(s, "%Y%m%d").map_err(|_| SmsError::Malformed("a date is not a day"))
}

/// The text of one urgent SMS, with its MAC under the device's key.
pub fn compose(sms: &UrgentSms, key: &[u8; 32]) -> Result<String, SmsError> {
    if ![&sms.device, &sms.case, &sms.record]
        .iter()
        .all(|s| id_ok(s))
    {
        return Err(SmsError::BadId);
    }
    let body = match &sms.event {
        UrgentEvent::Summons {
            received_on,
            hearing_on,
        } => format!(
            "{VERSION} S {} {} {} {} {} {}",
            sms.device,
            sms.n,
            sms.case,
            sms.record,
            day(*received_on),
            day(*hearing_on)
        ),
        UrgentEvent::Incident {
            on,
            police_informed,
        } => format!(
            "{VERSION} H {} {} {} {} {} {}",
            sms.device,
            sms.n,
            sms.case,
            sms.record,
            day(*on),
            if *police_informed { "P" } else { "N" }
        ),
    };
    let text = format!("{body} {}", mac(key, &body));
    if text.chars().count() > MAX_CHARS {
        return Err(SmsError::TooLong(text.chars().count()));
    }
    Ok(text)
}

/// The device a text names, read before its MAC can be checked (the server looks up that
/// device's key with it).
pub fn device_of(text: &str) -> Result<String, SmsError> {
    let mut w = text.split_whitespace();
    if w.next() != Some(VERSION) {
        return Err(SmsError::Malformed("it does not start with HW1"));
    }
    w.next();
    match w.next() {
        Some(d) if id_ok(d) => Ok(d.to_owned()),
        _ => Err(SmsError::Malformed("no device id")),
    }
}

/// Reads a text and checks its MAC with the device's key. Spaces around and between the words
/// may have changed on the way (gateways trim and fold them); nothing else may.
pub fn read(text: &str, key: &[u8; 32]) -> Result<UrgentSms, SmsError> {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.first() != Some(&VERSION) {
        return Err(SmsError::Malformed("it does not start with HW1"));
    }
    let want = match words.get(1) {
        Some(&"S") | Some(&"H") => 9,
        _ => return Err(SmsError::Malformed("an unknown kind of event")),
    };
    if words.len() != want {
        return Err(SmsError::Malformed("a part is missing or one too many"));
    }
    let (body, tag) = words.split_at(want - 1);
    let body = body.join(" ");
    let expected = mac(key, &body);
    let tag = tag[0].to_ascii_uppercase();
    // Compared in constant time: the MAC is a secret's output.
    let same = expected.len() == tag.len()
        && expected
            .bytes()
            .zip(tag.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return Err(SmsError::BadMac);
    }
    let (device, n, case, record) = (words[2], words[3], words[4], words[5]);
    if ![device, case, record].iter().all(|s| id_ok(s)) {
        return Err(SmsError::BadId);
    }
    let n: u64 = n
        .parse()
        .map_err(|_| SmsError::Malformed("the message number is not a number"))?;
    let event = if words[1] == "S" {
        UrgentEvent::Summons {
            received_on: parse_day(words[6])?,
            hearing_on: parse_day(words[7])?,
        }
    } else {
        UrgentEvent::Incident {
            on: parse_day(words[6])?,
            police_informed: match words[7] {
                "P" => true,
                "N" => false,
                _ => return Err(SmsError::Malformed("police informed is not P or N")),
            },
        }
    };
    Ok(UrgentSms {
        device: device.to_owned(),
        n,
        case: case.to_owned(),
        record: record.to_owned(),
        event,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("day")
    }

    fn sample() -> UrgentSms {
        UrgentSms {
            device: "a1b2c3d4e5f60718".into(),
            n: 12,
            case: "0a1b2c3d4e5f6071".into(),
            record: "8899aabbccddeeff".into(),
            event: UrgentEvent::Summons {
                received_on: d("2026-11-28"),
                hearing_on: d("2026-12-10"),
            },
        }
    }

    #[test]
    fn a_text_reads_back_under_its_key_and_only_under_it() {
        let key = [7u8; 32];
        let text = compose(&sample(), &key).expect("fits");
        assert!(text.chars().count() <= MAX_CHARS, "{text}");
        assert!(
            text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' '),
            "{text}"
        );
        assert_eq!(read(&text, &key).expect("reads"), sample());
        assert_eq!(device_of(&text).expect("device"), "a1b2c3d4e5f60718");
        // Gateways fold spaces and add a newline.
        let folded = format!("  {}\n", text.replace(' ', "  "));
        assert_eq!(read(&folded, &key).expect("reads"), sample());
        assert_eq!(read(&text, &[8u8; 32]), Err(SmsError::BadMac));
        let changed = text.replace("20261210", "20261211");
        assert_eq!(read(&changed, &key), Err(SmsError::BadMac));
        let cut = &text[..text.len() - 4];
        assert_eq!(read(cut, &key), Err(SmsError::BadMac));
        let short: String = text.split(' ').take(6).collect::<Vec<_>>().join(" ");
        assert!(matches!(read(&short, &key), Err(SmsError::Malformed(_))));
        let incident = UrgentSms {
            event: UrgentEvent::Incident {
                on: d("2026-11-27"),
                police_informed: false,
            },
            ..sample()
        };
        let t = compose(&incident, &key).expect("fits");
        assert_eq!(read(&t, &key).expect("reads"), incident);
    }
}
