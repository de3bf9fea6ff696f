//! The rules for copies of documents, for the phone and the server alike: a page's name (its
//! SHA-256), the sizes a programme allows, and how the bytes travel.
//!
//! The case document keeps only references ([`crate::model::Attachment`]). The bytes travel
//! after the records, in their own requests of at most [`CHUNK_BYTES`] each
//! (`PUT /api/v1/attachments/{hash}?offset=N`), so a visit recorded during an upload never waits
//! behind a scan, and a cut link resumes at the last chunk the server confirmed. The server
//! checks the hash before it keeps a page and keeps one copy per hash.

use sha2::{Digest, Sha256};

use crate::model::{AttachmentPage, Case, DocumentKind};
use crate::programme::AttachmentLimits;

/// The most bytes one upload request carries: 4 s of a 64 kbit/s link, so the round trip's
/// 600 ms costs about an eighth of the time (a cut loses nothing: the server keeps what arrived).
pub const CHUNK_BYTES: usize = 32 * 1024;
/// A photo is reduced on the phone to at most this many pixels on its long side: a page of A4
/// at about 190 dots per inch, readable and a tenth of a phone camera's bytes.
pub const MAX_LONG_SIDE: u32 = 1_600;
/// What a reduced page aims at: the phone lowers the JPEG quality once above it.
pub const TARGET_PAGE_BYTES: usize = 250 * 1024;

/// SHA-256 of `bytes` in lowercase hexadecimal: a page's name everywhere.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Whether `s` is a page's name: 64 lowercase hexadecimal digits.
pub fn is_hash(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Why a copy cannot be kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttachProblem {
    /// No page was given.
    #[error("a copy needs at least one page")]
    NoPages,
    /// More pages than the programme allows.
    #[error("{pages} pages: a copy may have at most {max}")]
    TooManyPages {
        /// The pages given.
        pages: usize,
        /// The programme's limit.
        max: u32,
    },
    /// Not a JPEG, PNG, WebP or PDF.
    #[error("page {page} is not a photo (JPEG, PNG, WebP) or a PDF")]
    UnknownType {
        /// The page, from 1.
        page: usize,
    },
    /// A page above the programme's limit.
    #[error("page {page} is {size} bytes: a page may be at most {max} bytes")]
    FileTooLarge {
        /// The page, from 1.
        page: usize,
        /// Its bytes.
        size: u64,
        /// The programme's limit.
        max: u64,
    },
    /// The case would hold more than the programme allows.
    #[error("the case would hold {total} bytes of copies: at most {max}")]
    CaseTooLarge {
        /// The bytes the case would hold.
        total: u64,
        /// The programme's limit.
        max: u64,
    },
}

/// Checks a new copy of `kind` against the programme's limits and what `case` already holds.
pub fn check_new(
    case: &Case,
    pages: &[AttachmentPage],
    limits: &AttachmentLimits,
) -> Result<(), AttachProblem> {
    if pages.is_empty() {
        return Err(AttachProblem::NoPages);
    }
    if pages.len() > limits.max_pages as usize {
        return Err(AttachProblem::TooManyPages {
            pages: pages.len(),
            max: limits.max_pages,
        });
    }
    check_pages(pages, limits)?;
    let total = held(case) + pages.iter().map(|p| p.size).sum::<u64>();
    if total > limits.max_case_bytes() {
        return Err(AttachProblem::CaseTooLarge {
            total,
            max: limits.max_case_bytes(),
        });
    }
    Ok(())
}

/// Checks every standing copy of `case` against the limits: what a server runs on a pushed case
/// that gained copies (a phone with an older programme, or a hostile one).
pub fn check_case(case: &Case, limits: &AttachmentLimits) -> Result<(), AttachProblem> {
    for a in case.attachments.iter().filter(|a| a.is_active()) {
        if a.pages.len() > limits.max_pages as usize {
            return Err(AttachProblem::TooManyPages {
                pages: a.pages.len(),
                max: limits.max_pages,
            });
        }
        check_pages(&a.pages, limits)?;
    }
    let total = held(case);
    if total > limits.max_case_bytes() {
        return Err(AttachProblem::CaseTooLarge {
            total,
            max: limits.max_case_bytes(),
        });
    }
    Ok(())
}

fn check_pages(pages: &[AttachmentPage], limits: &AttachmentLimits) -> Result<(), AttachProblem> {
    for (i, p) in pages.iter().enumerate() {
        if p.size > limits.max_file_bytes() {
            return Err(AttachProblem::FileTooLarge {
                page: i + 1,
                size: p.size,
                max: limits.max_file_bytes(),
            });
        }
    }
    Ok(())
}

/// The bytes of a case's standing copies (a page shared by two copies counts twice: the limit
/// is what the case shows, not what a store keeps).
pub fn held(case: &Case) -> u64 {
    case.attachments
        .iter()
        .filter(|a| a.is_active())
        .map(|a| a.size())
        .sum()
}

/// Which documents of the checklist have a verified copy standing: what the CWC report lists.
pub fn verified_copies(case: &Case) -> Vec<DocumentKind> {
    let mut kinds: Vec<DocumentKind> = case
        .attachments
        .iter()
        .filter(|a| a.is_active() && a.verified.is_some())
        .map(|a| a.kind)
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

/// The pages of `case` whose bytes are wanted: every page of a standing copy, once per hash.
/// A server drops the bytes of a hash no standing copy of any case names once a supervisor
/// confirmed the withdrawal that left it unnamed.
pub fn wanted_pages(case: &Case) -> Vec<&AttachmentPage> {
    let mut out: Vec<&AttachmentPage> = Vec::new();
    for p in case
        .attachments
        .iter()
        .filter(|a| a.is_active())
        .flat_map(|a| a.pages.iter())
    {
        if !out.iter().any(|o| o.hash == p.hash) {
            out.push(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_pages_by_sha256() {
        // The SHA-256 of "abc" (FIPS 180-2, appendix B.1).
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(is_hash(&sha256_hex(b"")));
        assert!(!is_hash(&sha256_hex(b"abc").to_uppercase()));
        assert!(!is_hash("ba7816bf"));
        assert!(!is_hash(&format!("{}g", &sha256_hex(b"abc")[..63])));
    }
}
