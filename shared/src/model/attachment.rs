//! Copies of the checklist's documents (a photo of the FIR, a scan of the bank passbook): what the
//! case document says of them. The bytes never enter the case document; it carries a reference
//! per page (content hash, size, media type), so a case's sync stays small and the pages travel
//! apart, after the records ([`crate::attachment`] holds the rules).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{Author, DocumentKind};
use crate::need::UnknownName;

/// What a page is. Keys are the media types a server sends the bytes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum MediaType {
    /// A JPEG photo or scan.
    #[serde(rename = "image/jpeg")]
    Jpeg,
    /// A PNG image.
    #[serde(rename = "image/png")]
    Png,
    /// A WebP image.
    #[serde(rename = "image/webp")]
    Webp,
    /// A PDF, kept as it was given.
    #[serde(rename = "application/pdf")]
    Pdf,
}
keyed_enum!(MediaType, "media type", {
    Jpeg => "image/jpeg",
    Png => "image/png",
    Webp => "image/webp",
    Pdf => "application/pdf",
});

impl MediaType {
    /// What the bytes are, from their first bytes (their "magic"), never from a file's name:
    /// `None` for anything else.
    pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(MediaType::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(MediaType::Png)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(MediaType::Webp)
        } else if bytes.starts_with(b"%PDF-") {
            Some(MediaType::Pdf)
        } else {
            None
        }
    }

    /// The media type, as HTTP names it.
    pub fn mime(self) -> &'static str {
        self.key()
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Jpeg => "jpg",
            MediaType::Png => "png",
            MediaType::Webp => "webp",
            MediaType::Pdf => "pdf",
        }
    }

    /// Whether a browser or web view shows it as an image.
    pub fn is_image(self) -> bool {
        self != MediaType::Pdf
    }
}

/// One page of a copy: the reference the case document keeps.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AttachmentPage {
    /// SHA-256 of the bytes, 64 lowercase hexadecimal digits: the page's name everywhere.
    pub hash: String,
    /// Bytes.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size: u64,
    /// What the bytes are.
    pub media_type: MediaType,
}

/// A copy taken back: a wrong photo, the wrong child's paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Withdrawal {
    /// The day it was withdrawn.
    pub on: NaiveDate,
    /// Why.
    pub reason: String,
    /// Who withdrew it.
    pub by: Author,
    /// When.
    pub at: DateTime<Utc>,
    /// The supervisor who confirmed it, after which the server drops the bytes.
    pub confirmed_by: Option<Author>,
    /// When they confirmed it.
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// A copy checked against the original by a supervisor (or the Core Team).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CopyVerification {
    /// The day it was checked.
    pub on: NaiveDate,
    /// Who checked it.
    pub by: Author,
    /// When it was recorded.
    pub at: DateTime<Utc>,
}

/// A copy of one document of the checklist, in one or more pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Attachment {
    /// Id of the copy.
    pub id: String,
    /// The document it is a copy of.
    pub kind: DocumentKind,
    /// Its pages, in order.
    pub pages: Vec<AttachmentPage>,
    /// The day it was photographed or scanned.
    pub taken_on: NaiveDate,
    /// Who took it.
    pub recorded_by: Author,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
    /// Taken back, if it was.
    pub withdrawn: Option<Withdrawal>,
    /// Checked against the original, if it was.
    pub verified: Option<CopyVerification>,
}

impl Attachment {
    /// The bytes of all its pages.
    pub fn size(&self) -> u64 {
        self.pages.iter().map(|p| p.size).sum()
    }

    /// Whether it stands (not withdrawn).
    pub fn is_active(&self) -> bool {
        self.withdrawn.is_none()
    }
}

impl fmt::Display for AttachmentPage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}, {} bytes)",
            self.hash, self.media_type, self.size
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_magic_bytes_only() {
        assert_eq!(
            MediaType::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(MediaType::Jpeg)
        );
        assert_eq!(
            MediaType::sniff(b"\x89PNG\r\n\x1a\n...."),
            Some(MediaType::Png)
        );
        assert_eq!(
            MediaType::sniff(b"RIFF\x10\x00\x00\x00WEBPVP8 "),
            Some(MediaType::Webp)
        );
        assert_eq!(MediaType::sniff(b"%PDF-1.7\n"), Some(MediaType::Pdf));
        assert_eq!(MediaType::sniff(b"RIFF\x10\x00\x00\x00WAVE"), None);
        assert_eq!(MediaType::sniff(b"<svg xmlns="), None);
        assert_eq!(MediaType::sniff(b""), None);
    }

    #[test]
    fn keys_round_trip_and_serialise_as_media_types() {
        for m in MediaType::ALL {
            assert_eq!(m.key().parse::<MediaType>(), Ok(*m));
            assert_eq!(
                serde_json::to_string(m).ok(),
                Some(format!("\"{}\"", m.key()))
            );
        }
    }
}
