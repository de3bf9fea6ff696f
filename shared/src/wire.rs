//! The sync wire format: one `POST /api/v1/sync` carries a [`SyncRequest`] and answers with a
//! [`SyncResponse`].
//!
//! A body is one format byte ([`FORMAT`]) followed by the message in postcard (compact
//! varints, no field names) compressed with raw deflate. Change bytes inside are Automerge's
//! own (already compressed where it pays). Compression happens here rather than through HTTP
//! content negotiation so that both directions are always compressed and a 2G link never
//! carries a JSON body.
//!
//! The protocol, in short:
//! - The device pushes every change it made that the server has not confirmed, grouped by
//!   case, and sends its cursor.
//! - The server checks every pushed change against the device's scope and stores all of the
//!   request or none of it; it answers with how many it now holds, then the feed after the
//!   cursor that this device may read (not its own changes), whole documents where the device
//!   needs them (first sync, a newly assigned case), cases it may no longer hold, and the new
//!   cursor. `more` says another round would bring more (a byte budget bounds each response).
//! - Everything is idempotent: changes are keyed by hash, feed rows by number, and the device
//!   moves its cursor in the same local transaction that applies what it received.

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};

/// The body format byte: deflate-compressed postcard. Version 2 added supervisors' spot
/// checks and sent-back reviews to [`Reference`]; a peer of another version gets a clear "unknown format" error.
pub const FORMAT: u8 = 2;

/// The content type of sync bodies.
pub const CONTENT_TYPE: &str = "application/vnd.homeward.sync";

/// Largest decompressed body accepted, as a guard against compression bombs.
pub const MAX_BODY: usize = 32 * 1024 * 1024;

/// Where a device stands in the server's feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cursor {
    /// Never synced: start with whole documents.
    Start,
    /// Part-way through the first sync: documents of cases after `after` (by id) are still to
    /// come, then the feed from `high`.
    Documents {
        /// The feed position the documents are at least as new as.
        high: u64,
        /// The last case id sent.
        after: String,
    },
    /// In the feed: every row up to this number has been received.
    Feed(u64),
}

/// The changes a device pushes for one case, in the order it made them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePush {
    /// The case.
    pub case_id: String,
    /// Raw Automerge changes.
    pub changes: Vec<Vec<u8>>,
}

/// One sync round from a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncRequest {
    /// The device's position in the feed.
    pub cursor: Cursor,
    /// The most response bytes the device wants in this round, counted before compression
    /// (documents travel uncompressed inside the compressed body).
    pub budget: u32,
    /// The version of the reference data the device holds (0: none).
    pub reference_version: u64,
    /// Changes made on the device not yet confirmed.
    pub push: Vec<CasePush>,
    /// A supervisor's spot-check outcomes recorded on the phone and not yet confirmed.
    pub spot_check_outcomes: Vec<SpotCheckOutcome>,
}

/// What a supervisor found on a spot check, recorded on their phone (offline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpotCheckOutcome {
    /// Id of the spot check.
    pub id: String,
    /// What was found.
    pub outcome: crate::spotcheck::Outcome,
    /// The supervisor's note (required unless verified).
    pub note: String,
    /// When it was recorded on the phone (RFC 3339).
    pub at: String,
}

/// A change from the feed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedChange {
    /// Case.
    pub case_id: String,
    /// Raw Automerge change.
    pub bytes: Vec<u8>,
}

/// A whole saved case document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Case.
    pub case_id: String,
    /// The saved document, uncompressed (`AutoCommit::save_nocompress()`), so that the body's
    /// compression works across the documents of a page.
    pub doc: Vec<u8>,
}

/// Read-only data the device needs from the server: who it is and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// Changes whenever any of this does.
    pub version: u64,
    /// The user's id.
    pub user_id: String,
    /// The user's name, signed on edits.
    pub user_name: String,
    /// fieldworker, supervisor, cwc or admin.
    pub role: String,
    /// The areas: (district, block or empty for the whole district).
    pub areas: Vec<(String, String)>,
    /// Case ids assigned to the user.
    pub assigned: Vec<String>,
    /// For a supervisor: the spot checks in their areas still to make. (Absent from reference
    /// data a device kept before they existed.)
    #[serde(default)]
    pub spot_checks: Vec<SpotCheckTask>,
    /// For a fieldworker: assessments and closures of their cases a supervisor sent back, with
    /// the comment, until they are approved.
    #[serde(default)]
    pub sent_back: Vec<SentBack>,
}

/// An assessment or a closure a supervisor sent back to the fieldworker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentBack {
    /// The case.
    pub case_id: String,
    /// `assessment` or `closure`.
    pub subject: String,
    /// What to do, in the supervisor's words.
    pub comment: String,
    /// The supervisor's name.
    pub by: String,
    /// When (RFC 3339).
    pub at: String,
}

/// A visit a supervisor is asked to verify with the family, as their phone receives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpotCheckTask {
    /// Id of the spot check.
    pub id: String,
    /// The month drawn (YYYY-MM).
    pub month: String,
    /// The case.
    pub case_id: String,
    /// The child's name.
    pub child_name: String,
    /// The day of the visit to verify.
    pub visit_date: String,
    /// Who reported it.
    pub fieldworker_name: String,
    /// District.
    pub district: String,
    /// Block.
    pub block: String,
    /// Village.
    pub village: String,
    /// Why it was drawn (empty: at random).
    pub anomalies: Vec<crate::spotcheck::Anomaly>,
}

/// The server's answer to one round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncResponse {
    /// How many of the pushed changes the server now holds (stored now or before). A push is
    /// stored whole or refused whole, so on success this is every change the request carried.
    pub stored: u32,
    /// Whole documents (first sync, newly assigned cases).
    pub documents: Vec<Document>,
    /// Feed changes after the cursor, in feed order.
    pub changes: Vec<FeedChange>,
    /// Cases the device may no longer hold (transferred away): remove them.
    pub dropped: Vec<String>,
    /// The new cursor, to keep only once all of the above is applied.
    pub cursor: Cursor,
    /// Whether another round would bring more.
    pub more: bool,
    /// New reference data, when the device's version is out of date.
    pub reference: Option<Reference>,
    /// For each spot-check outcome pushed: its id, and `None` when recorded or why it was
    /// refused.
    pub spot_check_results: Vec<(String, Option<String>)>,
}

/// A body that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// Empty body or an unknown format byte.
    #[error("unknown sync body format (expected format {FORMAT})")]
    Format,
    /// Not valid deflate, or larger than [`MAX_BODY`] when inflated.
    #[error("sync body does not decompress: {0}")]
    Compression(String),
    /// Not a valid message.
    #[error("sync body is malformed: {0}")]
    Malformed(String),
}

/// Encodes a message as a sync body.
pub fn encode<T: Serialize>(msg: &T) -> Vec<u8> {
    // Serialising into memory cannot fail for these types (no maps with non-string keys,
    // no unsupported types); an empty message would be refused by the reader.
    let raw = postcard::to_allocvec(msg).unwrap_or_default();
    let mut out = vec![FORMAT];
    let mut enc = flate2::write::DeflateEncoder::new(&mut out, flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(&raw);
    let _ = enc.finish();
    out
}

/// Decodes a sync body.
pub fn decode<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, WireError> {
    let (first, rest) = body.split_first().ok_or(WireError::Format)?;
    if *first != FORMAT {
        return Err(WireError::Format);
    }
    let mut raw = Vec::new();
    let limit = u64::try_from(MAX_BODY).unwrap_or(u64::MAX) + 1;
    flate2::read::DeflateDecoder::new(rest)
        .take(limit)
        .read_to_end(&mut raw)
        .map_err(|e| WireError::Compression(e.to_string()))?;
    if raw.len() > MAX_BODY {
        return Err(WireError::Compression(format!(
            "larger than {MAX_BODY} bytes"
        )));
    }
    postcard::from_bytes(&raw).map_err(|e| WireError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_round_trips_and_an_empty_one_is_small() {
        let req = SyncRequest {
            cursor: Cursor::Feed(12345),
            budget: 32 * 1024,
            reference_version: 7,
            push: vec![],
            spot_check_outcomes: Vec::new(),
        };
        let body = encode(&req);
        assert!(body.len() < 20, "an idle request is {} bytes", body.len());
        assert_eq!(decode::<SyncRequest>(&body), Ok(req));
    }

    #[test]
    fn bad_bodies_give_typed_errors() {
        assert_eq!(decode::<SyncRequest>(&[]), Err(WireError::Format));
        assert_eq!(decode::<SyncRequest>(&[9, 1, 2]), Err(WireError::Format));
        assert!(matches!(
            decode::<SyncRequest>(&[FORMAT, 0xff, 0xff, 0xff]),
            Err(WireError::Compression(_))
        ));
        let mut junk = vec![FORMAT];
        let mut enc = flate2::write::DeflateEncoder::new(&mut junk, flate2::Compression::default());
        enc.write_all(&[0xff; 40]).unwrap();
        enc.finish().unwrap();
        assert!(matches!(
            decode::<SyncRequest>(&junk),
            Err(WireError::Malformed(_))
        ));
    }

    #[test]
    fn a_compression_bomb_is_refused() {
        let mut bomb = vec![FORMAT];
        let mut enc = flate2::write::DeflateEncoder::new(&mut bomb, flate2::Compression::best());
        enc.write_all(&vec![0u8; MAX_BODY + 10]).unwrap();
        enc.finish().unwrap();
        assert!(bomb.len() < 100_000);
        assert!(matches!(
            decode::<SyncRequest>(&bomb),
            Err(WireError::Compression(_))
        ));
    }
}
