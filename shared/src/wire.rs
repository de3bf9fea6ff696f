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
/// checks and sent-back reviews to [`Reference`], version 3 the server's programme
/// ([`Reference::programme`]), version 4 the closures waiting for review
/// ([`Reference::closures_pending`]), version 5 the resource map ([`Reference::resources`],
/// [`SyncRequest::resources_version`]), version 6 the server's keys and the urgent SMS items
/// ([`Reference::server_keys`], [`Reference::urgent`]) and the confirmation of changes that
/// reached the server in a bundle ([`SyncRequest::bundle_seen`], [`SyncResponse::bundled`]); a
/// peer of another version gets a clear "unknown format" error.
pub const FORMAT: u8 = 6;

/// The content type of sync bodies.
pub const CONTENT_TYPE: &str = "application/vnd.homeward.sync";

/// Largest decompressed body accepted, as a guard against compression bombs.
pub const MAX_BODY: usize = 32 * 1024 * 1024;

/// Largest decompressed request body a server accepts. A device pushes at most 256 KB of
/// changes a round (and at least one change), so a real request is far smaller.
pub const MAX_REQUEST_BODY: usize = 4 * 1024 * 1024;
/// The most cases one request may push.
pub const MAX_PUSH_CASES: usize = 5_000;
/// The most changes one request may push for one case.
pub const MAX_PUSH_CHANGES: usize = 50_000;
/// The fewest bytes an Automerge change can take (its chunk header alone is longer): shorter
/// "changes" are refused while decoding, so that a request cannot hold millions of empty ones
/// and a decoded request stays within a small multiple of its bytes.
pub const MIN_CHANGE_BYTES: usize = 16;
/// The most bytes one pushed change may take.
pub const MAX_CHANGE_BYTES: usize = 1024 * 1024;
/// The most spot-check outcomes one request may carry.
pub const MAX_OUTCOMES: usize = 1_000;
/// The longest id (a case, a spot check) or timestamp in a request, in bytes.
pub const MAX_ID_BYTES: usize = 128;
/// The longest note in a request, in bytes (2,000 Devanagari characters take 6,000).
pub const MAX_NOTE_BYTES: usize = 8 * 1024;

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
        #[serde(deserialize_with = "bounded::id")]
        after: String,
    },
    /// In the feed: every row up to this number has been received.
    Feed(u64),
}

/// The changes a device pushes for one case, in the order it made them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CasePush {
    /// The case.
    #[serde(deserialize_with = "bounded::id")]
    pub case_id: String,
    /// Raw Automerge changes.
    #[serde(deserialize_with = "bounded::changes")]
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
    /// The version of the resource map the device holds ([`ResourceMap::version`]; 0: none):
    /// reference data sent to it carries the map only when the map differs.
    pub resources_version: u64,
    /// Changes made on the device not yet confirmed.
    #[serde(deserialize_with = "bounded::push")]
    pub push: Vec<CasePush>,
    /// A supervisor's spot-check outcomes recorded on the phone and not yet confirmed.
    #[serde(deserialize_with = "bounded::outcomes")]
    pub spot_check_outcomes: Vec<SpotCheckOutcome>,
    /// The highest [`BundleConfirmations::seq`] the device has applied (0: none): the server
    /// confirms changes from this device's later bundles only.
    pub bundle_seen: u64,
}

/// What a supervisor found on a spot check, recorded on their phone (offline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpotCheckOutcome {
    /// Id of the spot check.
    #[serde(deserialize_with = "bounded::id")]
    pub id: String,
    /// What was found.
    pub outcome: crate::spotcheck::Outcome,
    /// The supervisor's note (required unless verified).
    #[serde(deserialize_with = "bounded::note")]
    pub note: String,
    /// When it was recorded on the phone (RFC 3339).
    #[serde(deserialize_with = "bounded::id")]
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
    /// The programme in force on the server: a device computes prompts, risk and the next
    /// visit with it once received (its own file only serves it before), so every phone uses
    /// the thresholds the dashboard and the reports use. Every user's reference version moves
    /// when it changes. (Absent from reference data a device kept before it was sent.)
    #[serde(default)]
    pub programme: ServerProgramme,
    /// The user's cases closed with no review of that closure yet: the phone shows them as
    /// closed and waiting for the Core Team's review. A closure approved leaves the list; one
    /// sent back leaves it for [`Reference::sent_back`]. The case's holders' reference version
    /// moves when a closure is pushed and when a review decides it. (Absent from reference data
    /// a device kept before it was sent.)
    #[serde(default)]
    pub closures_pending: Vec<String>,
    /// The resource map of the user's areas, when it differs from the one the device said it
    /// holds ([`SyncRequest::resources_version`]); `None`: keep the one held. Every holder's
    /// reference version moves when a resource of their areas is added or changed.
    #[serde(default)]
    pub resources: Option<ResourceMap>,
    /// The server's keys in use, oldest first, each endorsed by the one before
    /// ([`crate::bundle::trusted_keys`]): a device takes a new one in a sync and keeps verifying
    /// with an old one while the server still lists it. Every user's reference version moves
    /// when the server's keys change.
    #[serde(default)]
    pub server_keys: Vec<crate::bundle::ServerKey>,
    /// For a supervisor: the urgent events of their areas that arrived by SMS and whose full
    /// record has not arrived yet.
    #[serde(default)]
    pub urgent: Vec<UrgentItem>,
}

/// An urgent event that reached the server by SMS ([`crate::sms`]), waiting for its full record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct UrgentItem {
    /// The item's id on the server.
    pub id: String,
    /// The case.
    pub case_id: String,
    /// The summons' or incident's id the SMS named.
    pub record_id: String,
    /// What happened.
    pub event: crate::sms::UrgentEvent,
    /// When the SMS reached the server (RFC 3339).
    pub received_at: String,
    /// Who sent it (the fieldworker's name).
    pub from_name: String,
    /// The child's name as the server holds it (the SMS carries none).
    pub child_name: String,
}

/// The resources of a user's areas, as a device keeps them to search offline.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceMap {
    /// A 32-bit digest of the map's content (ids, every field, in order): equal versions,
    /// equal maps (but for a one-in-four-billion collision, which a later change of the map
    /// ends). Never 0 (0 is "none held").
    pub version: u64,
    /// Every resource of the user's areas, inactive ones included (referrals name them), by
    /// district, block, kind and name.
    pub resources: Vec<crate::resource::Resource>,
}

impl ResourceMap {
    /// The map of these resources, its version the FNV-1a digest of their encoding: the server
    /// makes it whenever it sends reference data and sends it only when the device's differs.
    pub fn new(resources: Vec<crate::resource::Resource>) -> ResourceMap {
        let bytes = postcard::to_allocvec(&resources).unwrap_or_default();
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for b in bytes {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        ResourceMap {
            // 32 bits: it travels in every request (a 5-byte varint at most, not 10).
            version: (hash >> 32).max(1),
            resources,
        }
    }
}

/// The programme in force on the server, as devices receive it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerProgramme {
    /// The server's version of it: 0 while no administrator has set one (the server's
    /// defaults), then 1, 2, ... with each programme set.
    pub version: u64,
    /// The whole programme, every key written ([`crate::programme::Programme::to_toml`]; read
    /// with [`crate::programme::Programme::from_whole_toml`]), so a device computes with the
    /// server's values even where its own defaults differ. Empty only in reference data kept
    /// from before servers sent it.
    pub toml: String,
}

/// An assessment or a closure a supervisor sent back to the fieldworker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
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
    /// This device's changes and outcomes the server received in bundles carried by hand (or
    /// relayed by another phone) after [`SyncRequest::bundle_seen`]: the device marks them
    /// confirmed and never sends them again.
    pub bundled: Option<BundleConfirmations>,
}

/// What the server holds from a device's bundles, for that device to confirm.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleConfirmations {
    /// The highest bundle number of the device imported: the device sends it back as
    /// [`SyncRequest::bundle_seen`].
    pub seq: u64,
    /// The SHA-256 (lowercase hex, Automerge's change hash) of each of the device's changes the
    /// server holds from those bundles.
    pub changes: Vec<String>,
    /// The spot checks whose outcomes from those bundles were recorded.
    pub outcomes: Vec<String>,
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
    /// Not a valid message, or a list or text beyond the protocol's limits.
    #[error("sync body is malformed or beyond the protocol's limits: {0}")]
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

/// Decodes a sync body (a response, or a request in tests: a server decodes requests with
/// [`decode_request`]).
pub fn decode<T: for<'de> Deserialize<'de>>(body: &[u8]) -> Result<T, WireError> {
    decode_within(body, MAX_BODY)
}

/// Decodes a device's request within the server's limits: at most [`MAX_REQUEST_BODY`]
/// bytes once inflated, and every list and text within its bound while it is read, so a small
/// hostile body cannot make the server allocate more than a small multiple of that.
pub fn decode_request(body: &[u8]) -> Result<SyncRequest, WireError> {
    decode_within(body, MAX_REQUEST_BODY)
}

fn decode_within<T: for<'de> Deserialize<'de>>(body: &[u8], max: usize) -> Result<T, WireError> {
    let (first, rest) = body.split_first().ok_or(WireError::Format)?;
    if *first != FORMAT {
        return Err(WireError::Format);
    }
    let mut raw = Vec::new();
    let limit = u64::try_from(max).unwrap_or(u64::MAX) + 1;
    flate2::read::DeflateDecoder::new(rest)
        .take(limit)
        .read_to_end(&mut raw)
        .map_err(|e| WireError::Compression(e.to_string()))?;
    if raw.len() > max {
        return Err(WireError::Compression(format!("larger than {max} bytes")));
    }
    postcard::from_bytes(&raw).map_err(|e| WireError::Malformed(e.to_string()))
}

/// Deserialisers that refuse, while reading, a list longer or a text or change larger than the
/// protocol allows. A list's length is checked against its prefix before anything is allocated.
mod bounded {
    use std::fmt;
    use std::marker::PhantomData;

    use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};

    use super::{
        CasePush, MAX_CHANGE_BYTES, MAX_ID_BYTES, MAX_NOTE_BYTES, MAX_OUTCOMES, MAX_PUSH_CASES,
        MAX_PUSH_CHANGES, MIN_CHANGE_BYTES, SpotCheckOutcome,
    };

    struct Seq<T> {
        max: usize,
        what: &'static str,
        item: PhantomData<T>,
    }

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Seq<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "at most {} {}", self.max, self.what)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let hint = seq.size_hint().unwrap_or(0);
            if hint > self.max {
                return Err(de::Error::invalid_length(hint, &self));
            }
            let mut out = Vec::with_capacity(hint);
            while let Some(item) = seq.next_element()? {
                if out.len() == self.max {
                    return Err(de::Error::invalid_length(self.max + 1, &self));
                }
                out.push(item);
            }
            Ok(out)
        }
    }

    fn seq<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
        max: usize,
        what: &'static str,
    ) -> Result<Vec<T>, D::Error> {
        d.deserialize_seq(Seq {
            max,
            what,
            item: PhantomData,
        })
    }

    struct Text {
        max: usize,
    }

    impl Visitor<'_> for Text {
        type Value = String;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a text of at most {} bytes", self.max)
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            if v.len() > self.max {
                return Err(E::invalid_length(v.len(), &self));
            }
            Ok(v.to_owned())
        }
    }

    /// A change's bytes: postcard writes a `Vec<u8>` as its length and the bytes, which
    /// `deserialize_bytes` reads as one slice of the body.
    struct ChangeBytes(Vec<u8>);

    impl<'de> Deserialize<'de> for ChangeBytes {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_bytes(ChangeVisitor).map(ChangeBytes)
        }
    }

    struct ChangeVisitor;

    impl<'de> Visitor<'de> for ChangeVisitor {
        type Value = Vec<u8>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(
                f,
                "an automerge change of {MIN_CHANGE_BYTES} to {MAX_CHANGE_BYTES} bytes"
            )
        }

        fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
            if !(MIN_CHANGE_BYTES..=MAX_CHANGE_BYTES).contains(&v.len()) {
                return Err(E::invalid_length(v.len(), &self));
            }
            Ok(v.to_vec())
        }

        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Vec<u8>, A::Error> {
            // Formats that write bytes as a list of numbers (not postcard) come here.
            let bytes: Vec<u8> = Seq {
                max: MAX_CHANGE_BYTES,
                what: "bytes",
                item: PhantomData,
            }
            .visit_seq(seq)?;
            self.visit_bytes(&bytes)
        }
    }

    pub(super) fn id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        d.deserialize_str(Text { max: MAX_ID_BYTES })
    }

    pub(super) fn note<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        d.deserialize_str(Text {
            max: MAX_NOTE_BYTES,
        })
    }

    pub(super) fn push<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<CasePush>, D::Error> {
        seq(d, MAX_PUSH_CASES, "cases in one push")
    }

    pub(super) fn changes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<u8>>, D::Error> {
        let changes: Vec<ChangeBytes> = seq(d, MAX_PUSH_CHANGES, "changes of one case")?;
        Ok(changes.into_iter().map(|c| c.0).collect())
    }

    pub(super) fn outcomes<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<SpotCheckOutcome>, D::Error> {
        seq(d, MAX_OUTCOMES, "spot-check outcomes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_round_trips_and_an_empty_one_is_small() {
        let req = SyncRequest {
            bundle_seen: 0,
            cursor: Cursor::Feed(12345),
            budget: 32 * 1024,
            reference_version: 7,
            resources_version: 0xfff_ffff,
            push: vec![],
            spot_check_outcomes: Vec::new(),
        };
        let body = encode(&req);
        assert!(body.len() < 20, "an idle request is {} bytes", body.len());
        assert_eq!(decode::<SyncRequest>(&body), Ok(req));
    }

    #[test]
    fn a_response_carries_the_servers_programme_whole() {
        let programme =
            crate::programme::Programme::from_toml("[visits]\nhigh_days = 4\n").expect("valid");
        let resp = SyncResponse {
            bundled: None,
            stored: 0,
            documents: Vec::new(),
            changes: Vec::new(),
            dropped: Vec::new(),
            cursor: Cursor::Feed(3),
            more: false,
            reference: Some(Reference {
                server_keys: vec![crate::bundle::ServerKey {
                    key: crate::seal::SecretKeys::from_seed([3; 64]).public(),
                    since: "2026-11-01T00:00:00Z".into(),
                    endorsement: None,
                }],
                // An urgent item's event crosses postcard (an internally tagged enum would not).
                urgent: vec![UrgentItem {
                    id: "u1".into(),
                    case_id: "case-7".into(),
                    record_id: "rec-1".into(),
                    event: crate::sms::UrgentEvent::Incident {
                        on: chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("day"),
                        police_informed: true,
                    },
                    received_at: "2026-11-28T09:00:00Z".into(),
                    from_name: "Anita".into(),
                    child_name: "Puja".into(),
                }],
                version: 9,
                user_id: "fw-gaya-1".into(),
                user_name: "Meena Kumari".into(),
                role: "fieldworker".into(),
                areas: vec![("Gaya".into(), "Bodh Gaya".into())],
                assigned: Vec::new(),
                spot_checks: Vec::new(),
                sent_back: Vec::new(),
                programme: ServerProgramme {
                    version: 2,
                    toml: programme.to_toml(),
                },
                closures_pending: vec!["case-7".into()],
                resources: Some(ResourceMap::new(vec![crate::resource::Resource {
                    id: "res-1".into(),
                    district: "Gaya".into(),
                    block: "Bodh Gaya".into(),
                    kind: crate::resource::ResourceKind::SkillsTraining,
                    name: "ITI Gaya".into(),
                    address: None,
                    contact: Some("0631 222 0000".into()),
                    offers: Some("tailoring".into()),
                    min_age: Some(14),
                    max_age: None,
                    sex: None,
                    active: true,
                }])),
            }),
            spot_check_results: Vec::new(),
        };
        let back: SyncResponse = decode(&encode(&resp)).expect("decodes");
        let reference = back.reference.expect("reference");
        assert_eq!(reference.closures_pending, vec!["case-7".to_owned()]);
        assert_eq!(reference.urgent[0].record_id, "rec-1");
        assert_eq!(reference.server_keys.len(), 1);
        let map = reference.resources.expect("the resource map");
        assert_eq!(map.resources[0].name, "ITI Gaya");
        assert_eq!(
            map,
            ResourceMap::new(map.resources.clone()),
            "the version is the content's"
        );
        let mut changed = map.resources.clone();
        changed[0].active = false;
        assert_ne!(
            ResourceMap::new(changed).version,
            map.version,
            "a change moves it"
        );
        let sent = reference.programme;
        assert_eq!(sent.version, 2);
        assert_eq!(
            crate::programme::Programme::from_whole_toml(&sent.toml),
            Ok(programme)
        );
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

    fn request(push: Vec<CasePush>, outcomes: Vec<SpotCheckOutcome>) -> SyncRequest {
        SyncRequest {
            bundle_seen: 0,
            cursor: Cursor::Feed(1),
            budget: 32 * 1024,
            reference_version: 0,
            resources_version: 0,
            push,
            spot_check_outcomes: outcomes,
        }
    }

    #[test]
    fn a_request_with_real_changes_and_an_outcome_round_trips() {
        let req = request(
            vec![CasePush {
                case_id: "case-1".into(),
                changes: vec![vec![7; 126], vec![8; 460]],
            }],
            vec![SpotCheckOutcome {
                id: "sc-1".into(),
                outcome: crate::spotcheck::Outcome::HasIssues,
                note: "परिवार से मिले".into(),
                at: "2026-11-28T10:00:00+05:30".into(),
            }],
        );
        assert_eq!(decode_request(&encode(&req)), Ok(req));
    }

    #[test]
    fn a_small_body_holding_millions_of_empty_changes_is_refused_while_decoding() {
        // 5 million empty changes: 5 MB of postcard, a few KB once deflated. Decoded naively
        // they take 120 MB of memory.
        let req = request(
            vec![CasePush {
                case_id: "c".into(),
                changes: vec![Vec::new(); 5_000_000],
            }],
            Vec::new(),
        );
        let body = encode(&req);
        assert!(body.len() < 64 * 1024, "the attack is {} bytes", body.len());
        assert!(decode_request(&body).is_err(), "refused, not decoded");
        // Within the size bound, empty changes are still refused one by one.
        let req = request(
            vec![CasePush {
                case_id: "c".into(),
                changes: vec![Vec::new(); 1_000_000],
            }],
            Vec::new(),
        );
        assert!(
            matches!(decode_request(&encode(&req)), Err(WireError::Malformed(_))),
            "empty changes are refused"
        );
    }

    #[test]
    fn lists_and_texts_longer_than_the_protocol_allows_are_refused() {
        let many_cases = request(
            (0..=MAX_PUSH_CASES)
                .map(|i| CasePush {
                    case_id: format!("c{i}"),
                    changes: Vec::new(),
                })
                .collect(),
            Vec::new(),
        );
        assert!(
            matches!(
                decode_request(&encode(&many_cases)),
                Err(WireError::Malformed(_))
            ),
            "too many cases"
        );

        let long_id = request(
            vec![CasePush {
                case_id: "x".repeat(MAX_ID_BYTES + 1),
                changes: Vec::new(),
            }],
            Vec::new(),
        );
        assert!(decode_request(&encode(&long_id)).is_err(), "a long case id");

        let outcome = |note: String| SpotCheckOutcome {
            id: "sc".into(),
            outcome: crate::spotcheck::Outcome::Verified,
            note,
            at: "2026-11-28T10:00:00Z".into(),
        };
        let long_note = request(Vec::new(), vec![outcome("n".repeat(MAX_NOTE_BYTES + 1))]);
        assert!(decode_request(&encode(&long_note)).is_err(), "a long note");
        let many = request(Vec::new(), vec![outcome(String::new()); MAX_OUTCOMES + 1]);
        assert!(decode_request(&encode(&many)).is_err(), "too many outcomes");
    }

    #[test]
    fn a_request_larger_than_the_request_bound_is_refused_before_it_is_parsed() {
        let big = request(
            vec![CasePush {
                case_id: "c".into(),
                changes: vec![vec![1; MAX_CHANGE_BYTES]; 5],
            }],
            Vec::new(),
        );
        assert!(matches!(
            decode_request(&encode(&big)),
            Err(WireError::Compression(_))
        ));
    }
}
