//! A refused edit in words, in the catalogue's language: what the case document refused
//! ([`SchemaError`], usually an [`InvalidEdit`]), with the field by its name in that language and
//! dates as people write them. The app's screens and the command line word refusals here, so
//! a fieldworker reads "the visit date (1 January 2099) is in the future" in Hindi on either.

use chrono::NaiveDate;

use crate::attachment::AttachProblem;
use crate::edit::InvalidEdit;
use crate::i18n::{Catalogue, Lang};
use crate::programme::Programme;
use crate::schema::SchemaError;

/// `e` with the schemes it names by their names in `lang` (the document names them by key).
pub fn named(e: SchemaError, programme: &Programme, lang: Lang) -> SchemaError {
    match e {
        SchemaError::OpenClaim { scheme, id } => SchemaError::OpenClaim {
            scheme: programme.scheme_name(&scheme, lang.code()),
            id,
        },
        other => other,
    }
}

/// The message `id` with arguments given as owned strings.
fn say(c: &Catalogue, id: &str, args: &[(&str, String)]) -> String {
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.text(id, &args)
}

/// A refused sealed file or signed statement in words ([`crate::seal::SealError`]): what the
/// command line and the app say when a bundle, a sealed case or a revocation is refused.
pub fn sealed(e: &crate::seal::SealError, c: &Catalogue) -> String {
    use crate::seal::SealError as E;
    match e {
        E::NotSealed => c.get("sealed-not_sealed"),
        E::Unknown => c.get("sealed-unknown"),
        E::NotForUs { recipient, holder } => say(
            c,
            if *holder == "server" {
                "sealed-not_for_server"
            } else {
                "sealed-not_for_phone"
            },
            &[("key", recipient.to_string())],
        ),
        E::Damaged => c.get("sealed-damaged"),
        E::BadSignature { signer } => say(c, "sealed-bad_signature", &[("signer", signer.clone())]),
        E::UnknownSigner { signer, key } => say(
            c,
            "sealed-unknown_signer",
            &[("signer", signer.clone()), ("key", key.to_string())],
        ),
        E::WrongKind { .. } => c.get("sealed-wrong_kind"),
        E::Malformed(d) => say(c, "sealed-malformed", &[("detail", d.clone())]),
        E::TooLarge => c.get("sealed-too_large"),
        E::BadKeyText => c.get("sealed-bad_key_text"),
        E::OtherDevice { device } => say(c, "sealed-other_device", &[("device", device.clone())]),
        E::Replay => c.get("sealed-replay"),
        E::Ahead => c.get("sealed-ahead"),
    }
}

/// A refusal of the case document in words.
pub fn words(e: &SchemaError, c: &Catalogue) -> String {
    match e {
        SchemaError::Invalid(e) => invalid_edit(e, c),
        SchemaError::Corrupt(d) => say(c, "refused-corrupt", &[("detail", d.clone())]),
        SchemaError::NotACase { found } => say(
            c,
            "refused-not_a_case",
            &[("kind", found.clone().unwrap_or_else(|| "-".into()))],
        ),
        SchemaError::UnsupportedVersion { found } => say(
            c,
            "refused-unsupported_version",
            &[
                ("found", found.to_string()),
                ("max", crate::schema::SCHEMA_VERSION.to_string()),
            ],
        ),
        SchemaError::Malformed { path, expected } => say(
            c,
            "refused-malformed",
            &[("path", path.clone()), ("expected", (*expected).to_owned())],
        ),
        SchemaError::NotFound { what, id } => say(
            c,
            "refused-not_found",
            &[("what", field(c, what)), ("id", id.clone())],
        ),
        SchemaError::OpenClaim { scheme, id } => say(
            c,
            "refused-open_claim",
            &[("scheme", scheme.clone()), ("id", id.clone())],
        ),
        SchemaError::MergedAway { into } => {
            say(c, "refused-merged_away", &[("case", into.clone())])
        }
        SchemaError::AlreadyRegistered(id) => {
            say(c, "refused-already_registered", &[("case", id.clone())])
        }
        SchemaError::Automerge(d) => say(c, "refused-automerge", &[("detail", d.clone())]),
        SchemaError::TooDeep { limit } => {
            say(c, "refused-too_deep", &[("limit", limit.to_string())])
        }
        SchemaError::NotAllowed(d) => say(c, "refused-not_allowed", &[("detail", d.clone())]),
        SchemaError::TooLarge { what, limit } => say(
            c,
            "refused-too_large",
            &[("what", (*what).to_owned()), ("limit", limit.to_string())],
        ),
    }
}

/// An edit refused before anything was written, in words: the field by its name in this
/// language, dates as people write them.
pub fn invalid_edit(e: &InvalidEdit, c: &Catalogue) -> String {
    let date = |d: &NaiveDate| c.date(*d);
    match e {
        InvalidEdit::StatusNotAllowed { dimension, status } => say(
            c,
            "refused-status_not_allowed",
            &[
                ("status", c.status(*status)),
                ("dimension", c.dimension(*dimension)),
            ],
        ),
        InvalidEdit::DatesOutOfOrder {
            earlier,
            earlier_on,
            later,
            later_on,
        } => say(
            c,
            "refused-dates_out_of_order",
            &[
                ("earlier", field(c, earlier)),
                ("earlier_on", date(earlier_on)),
                ("later", field(c, later)),
                ("later_on", date(later_on)),
            ],
        ),
        InvalidEdit::InFuture { what, on } => say(
            c,
            "refused-in_future",
            &[("what", field(c, what)), ("on", date(on))],
        ),
        InvalidEdit::TooEarly { what, on } => say(
            c,
            "refused-too_early",
            &[("what", field(c, what)), ("on", date(on))],
        ),
        InvalidEdit::Empty(what) => say(c, "refused-empty", &[("what", field(c, what))]),
        InvalidEdit::Required(what) => say(c, "refused-required", &[("what", field(c, what))]),
        InvalidEdit::DuplicateUpdate(d) => say(
            c,
            "refused-duplicate_update",
            &[("dimension", c.dimension(*d))],
        ),
        InvalidEdit::TooLong { what, max } => say(
            c,
            "refused-too_long",
            &[("what", field(c, what)), ("max", max.to_string())],
        ),
        InvalidEdit::TooMany { what, max } => say(
            c,
            "refused-too_many",
            &[("what", field(c, what)), ("max", max.to_string())],
        ),
        InvalidEdit::BadPage { page } => say(c, "refused-bad_page", &[("page", page.to_string())]),
        InvalidEdit::CopyWithdrawn(id) => say(c, "refused-copy_withdrawn", &[("id", id.clone())]),
        InvalidEdit::CopyNotWithdrawn(id) => {
            say(c, "refused-copy_not_withdrawn", &[("id", id.clone())])
        }
    }
}

/// Why a copy of a document cannot be kept, in words: sizes in kilobytes or megabytes as the
/// programme file writes them.
pub fn attach_problem(e: &AttachProblem, c: &Catalogue) -> String {
    let kb = |b: u64| b.div_ceil(1024).to_string();
    let mb = |b: u64| format!("{:.1}", b as f64 / (1024.0 * 1024.0));
    match e {
        AttachProblem::NoPages => say(c, "attach-no_pages", &[]),
        AttachProblem::TooManyPages { pages, max } => say(
            c,
            "attach-too_many_pages",
            &[("pages", pages.to_string()), ("max", max.to_string())],
        ),
        AttachProblem::UnknownType { page } => {
            say(c, "attach-unknown_type", &[("page", page.to_string())])
        }
        AttachProblem::FileTooLarge { page, size, max } => say(
            c,
            "attach-file_too_large",
            &[
                ("page", page.to_string()),
                ("kb", kb(*size)),
                ("max", kb(*max)),
            ],
        ),
        AttachProblem::CaseTooLarge { total, max } => say(
            c,
            "attach-case_too_large",
            &[("mb", mb(*total)), ("max", mb(*max))],
        ),
    }
}

/// The catalogue id of a field an edit names ("visit date" is `field-visit-date`).
pub fn field_id(what: &str) -> String {
    format!("field-{}", what.to_lowercase().replace(' ', "-"))
}

/// A field's name in this language; the English name for a field the catalogue does not know
/// yet (a test lists the fields the edits name, so none should be missing).
pub fn field(c: &Catalogue, what: &str) -> String {
    let id = field_id(what);
    let name = c.get(&id);
    if name == id { what.to_owned() } else { name }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::need::{Dimension, Status};

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 5).expect("date")
    }

    /// One of every refusal, each worded in both languages with no message id left in it.
    #[test]
    fn every_refusal_is_worded_in_both_languages() {
        let invalid = [
            InvalidEdit::StatusNotAllowed {
                dimension: Dimension::Education,
                status: Status::Linked,
            },
            InvalidEdit::DatesOutOfOrder {
                earlier: "received on",
                earlier_on: day(),
                later: "hearing",
                later_on: day(),
            },
            InvalidEdit::InFuture {
                what: "visit date",
                on: day(),
            },
            InvalidEdit::TooEarly {
                what: "visit date",
                on: day(),
            },
            InvalidEdit::Empty("reason"),
            InvalidEdit::Required("next hearing"),
            InvalidEdit::DuplicateUpdate(Dimension::Health),
            InvalidEdit::TooLong {
                what: "note",
                max: 2000,
            },
            InvalidEdit::TooMany {
                what: "other names",
                max: 10,
            },
            InvalidEdit::BadPage { page: 2 },
            InvalidEdit::CopyWithdrawn("att-1".into()),
            InvalidEdit::CopyNotWithdrawn("att-1".into()),
        ];
        let mut all: Vec<SchemaError> = invalid.into_iter().map(SchemaError::Invalid).collect();
        all.extend([
            SchemaError::Corrupt("x".into()),
            SchemaError::NotACase { found: None },
            SchemaError::UnsupportedVersion { found: 9 },
            SchemaError::Malformed {
                path: "visits".into(),
                expected: "a list",
            },
            SchemaError::NotFound {
                what: "summons",
                id: "s1".into(),
            },
            SchemaError::OpenClaim {
                scheme: "Victim compensation".into(),
                id: "c1".into(),
            },
            SchemaError::AlreadyRegistered("case-1".into()),
            SchemaError::MergedAway {
                into: "case-1".into(),
            },
            SchemaError::Automerge("x".into()),
            SchemaError::TooDeep { limit: 8 },
            SchemaError::NotAllowed("x".into()),
            SchemaError::TooLarge {
                what: "objects",
                limit: 9,
            },
        ]);
        for lang in Lang::ALL {
            let c = Catalogue::new(lang);
            for e in &all {
                let w = words(e, &c);
                assert!(
                    !w.is_empty() && !w.contains("refused-") && !w.contains("field-"),
                    "{lang}: {e:?} reads {w:?}"
                );
            }
        }
        let hi = words(&all[2], &Catalogue::new(Lang::Hi));
        assert!(hi.contains("5 नवंबर 2026"), "{hi}");
        let claim = SchemaError::OpenClaim {
            scheme: "victim_compensation".into(),
            id: "c1".into(),
        };
        let hi = words(
            &named(claim, &Programme::default(), Lang::Hi),
            &Catalogue::new(Lang::Hi),
        );
        assert!(
            !hi.contains("victim_compensation"),
            "the scheme by its name: {hi}"
        );
    }

    #[test]
    fn a_refused_edit_is_worded_with_its_field_and_dates_in_each_language() {
        let e = InvalidEdit::DatesOutOfOrder {
            earlier: "received on",
            earlier_on: NaiveDate::from_ymd_opt(2026, 11, 5).expect("date"),
            later: "hearing",
            later_on: NaiveDate::from_ymd_opt(2026, 11, 1).expect("date"),
        };
        assert_eq!(
            invalid_edit(&e, &Catalogue::new(Lang::En)),
            "hearing (1 November 2026) cannot be before received on (5 November 2026)"
        );
        let hi = invalid_edit(&e, &Catalogue::new(Lang::Hi));
        assert!(
            hi.contains("सुनवाई की तारीख़ (1 नवंबर 2026)")
                && hi.contains("समन मिलने की तारीख़ (5 नवंबर 2026)"),
            "{hi}"
        );
        assert_eq!(
            field(&Catalogue::new(Lang::Hi), "a field no catalogue knows"),
            "a field no catalogue knows",
            "an unknown field keeps its English name rather than showing a message id"
        );
    }
}
