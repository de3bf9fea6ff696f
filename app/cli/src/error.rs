//! The command line's failures and their words in the chosen language.
//!
//! A failure is a [`FieldError`] from the store, an edit the case document refused (a
//! [`SchemaError`], usually an [`InvalidEdit`]), or the command line's own message (a catalogue
//! id and its arguments). All three are worded through the catalogue, with the messages the
//! app's screens use where they say the same thing (`ui-err-weak_pin-*`, `ui-err-try_later`).
//!
//! The field store hands a refused edit back typed (`FieldError::EditRefused`), worded by
//! `homeward_shared::refusal` as the app's screens word it. Free text the store writes itself
//! (a file that does not import, a keystore it cannot reach) stays English inside a worded
//! frame.
//!
//! Exit codes: 2 for what the person can correct, 1 for anything else.

use chrono::{DateTime, Utc};
use homeward_field::FieldError;
use homeward_field::scan::ScanProblem;
use homeward_field::store::Store;
use homeward_shared::edit::Edit;
use homeward_shared::i18n::{Catalogue, Lang};
use homeward_shared::model::Profile;
use homeward_shared::schema::SchemaError;

/// Why a verb failed.
#[derive(Debug)]
pub(crate) enum Error {
    /// The field store failed.
    Field(FieldError),
    /// The case document refused an edit: nothing was written.
    Edit(SchemaError),
    /// The command line's own message.
    Said {
        /// The catalogue message.
        id: &'static str,
        /// Its arguments.
        args: Vec<(&'static str, String)>,
        /// Whether the person can correct it (exit 2) or not (exit 1).
        bad_input: bool,
    },
    /// Input the person can correct, already in words (several lines, built from messages).
    Worded(String),
}

/// Results of the command line.
pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

impl From<FieldError> for Error {
    fn from(e: FieldError) -> Self {
        Error::Field(e)
    }
}

impl Error {
    /// Input the person can correct (exit 2): the message `id` with `args`.
    pub(crate) fn bad(id: &'static str, args: Vec<(&'static str, String)>) -> Error {
        Error::Said {
            id,
            args,
            bad_input: true,
        }
    }

    /// A failure the person cannot correct by typing otherwise (exit 1).
    pub(crate) fn failed(id: &'static str, args: Vec<(&'static str, String)>) -> Error {
        Error::Said {
            id,
            args,
            bad_input: false,
        }
    }

    /// Whether the person at the keyboard can fix this by changing what they typed (exit 2).
    pub(crate) fn is_bad_input(&self) -> bool {
        match self {
            Error::Field(e) => e.is_bad_input(),
            Error::Edit(_) => true,
            Error::Said { bad_input, .. } => *bad_input,
            Error::Worded(_) => true,
        }
    }

    /// The failure in words (without the `error: ` frame): one line, but for a likely
    /// duplicate, which lists the cases it resembles.
    pub(crate) fn words(&self, c: &Catalogue) -> String {
        match self {
            Error::Field(e) => field_error(e, c),
            Error::Edit(e) => schema_error(e, c),
            Error::Said { id, args, .. } => say(c, id, args),
            Error::Worded(text) => text.clone(),
        }
    }
}

/// The message `id` with arguments given as owned strings.
pub(crate) fn say(c: &Catalogue, id: &str, args: &[(&str, String)]) -> String {
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.text(id, &args)
}

/// A field store failure in words.
pub(crate) fn field_error(e: &FieldError, c: &Catalogue) -> String {
    let detail = |d: String| vec![("detail", d)];
    match e {
        FieldError::BadInput(d) => say(c, "cli-err-bad_input", &detail(d.clone())),
        FieldError::EditRefused(e) => schema_error(e, c),
        FieldError::WrongPin { dir, wait: None } => {
            say(c, "cli-err-wrong_pin", &[("dir", dir.clone())])
        }
        FieldError::WrongPin {
            wait: Some(seconds),
            ..
        } => say(
            c,
            "ui-err-wrong_pin-wait",
            &[("seconds", seconds.to_string())],
        ),
        FieldError::TryLater(seconds) => {
            say(c, "ui-err-try_later", &[("seconds", seconds.to_string())])
        }
        FieldError::Erased { dir, failures } => say(
            c,
            "cli-err-erased",
            &[("dir", dir.clone()), ("failures", failures.to_string())],
        ),
        FieldError::WeakPin(p) => c.get(&format!("ui-err-weak_pin-{}", p.key())),
        FieldError::Keystore(d) => say(c, "cli-err-keystore", &detail(d.clone())),
        FieldError::Revoked {
            at,
            changes,
            outcomes,
        } => say(
            c,
            "cli-err-revoked",
            &[
                ("at", at.clone()),
                ("changes", changes.to_string()),
                ("outcomes", outcomes.to_string()),
            ],
        ),
        FieldError::UnverifiedRevocation(d) => {
            say(c, "cli-err-unverified_revocation", &detail(d.clone()))
        }
        FieldError::NotInitialised(dir) => {
            say(c, "cli-err-not_initialised", &[("dir", dir.clone())])
        }
        FieldError::AlreadyInitialised(dir) => {
            say(c, "cli-err-already_initialised", &[("dir", dir.clone())])
        }
        FieldError::UnknownCase(id) => say(c, "cli-err-unknown_case", &[("case", id.clone())]),
        FieldError::ResourceNotHeld(id) => {
            say(c, "cli-err-resource-unknown", &[("id", id.clone())])
        }
        FieldError::ResourceInactive { id, name } => say(
            c,
            "cli-err-resource-inactive",
            &[("id", id.clone()), ("name", name.clone())],
        ),
        FieldError::Attach(p) => homeward_shared::refusal::attach_problem(p, c),
        FieldError::Scan { page, problem } => match problem {
            ScanProblem::UnknownType => homeward_shared::refusal::attach_problem(
                &homeward_shared::attachment::AttachProblem::UnknownType { page: *page },
                c,
            ),
            ScanProblem::Unreadable(d) => say(
                c,
                "cli-err-page-unreadable",
                &[("page", page.to_string()), ("detail", d.clone())],
            ),
            ScanProblem::TooLarge => {
                say(c, "cli-err-page-too-large", &[("page", page.to_string())])
            }
        },
        FieldError::UnknownAttachment(id) => {
            say(c, "cli-err-attachment-unknown", &[("id", id.clone())])
        }
        FieldError::AmbiguousAttachment(id, n) => say(
            c,
            "cli-err-attachment-ambiguous",
            &[("id", id.clone()), ("n", n.to_string())],
        ),
        FieldError::NoSuchPage {
            attachment,
            page,
            pages,
        } => say(
            c,
            "cli-err-no-such-page",
            &[
                ("id", attachment.clone()),
                ("page", page.to_string()),
                ("pages", pages.to_string()),
            ],
        ),
        FieldError::NotOnServer { attachment, page } => say(
            c,
            "cli-err-not-on-server",
            &[("id", attachment.clone()), ("page", page.to_string())],
        ),
        FieldError::AmbiguousCase(id, n) => say(
            c,
            "cli-err-ambiguous_case",
            &[("case", id.clone()), ("n", n.to_string())],
        ),
        FieldError::Damaged { id, source } => say(
            c,
            "cli-err-damaged",
            &[("case", id.clone()), ("detail", schema_error(source, c))],
        ),
        FieldError::Storage(e) => say(c, "cli-err-storage", &detail(e.to_string())),
        FieldError::Io { path, source } => say(
            c,
            "cli-err-io",
            &[("path", path.clone()), ("detail", source.to_string())],
        ),
        FieldError::Network(d) => say(c, "cli-err-network", &detail(d.clone())),
        FieldError::Refused(d) => say(c, "cli-err-refused", &detail(d.clone())),
        FieldError::Random(d) => say(c, "cli-err-random", &detail(d.clone())),
        FieldError::Sealed(e) => homeward_shared::refusal::sealed(e, c),
        FieldError::Urgent(p) => crate::offline::urgent_problem(p, c),
        FieldError::Corrupt(d) => say(c, "cli-err-storage", &detail(d.clone())),
    }
}

/// A refusal of the case document in words (`homeward_shared::refusal`, shared with the app).
pub(crate) fn schema_error(e: &SchemaError, c: &Catalogue) -> String {
    homeward_shared::refusal::words(e, c)
}

/// Applies `edit` to case `id`; a refusal comes back as the document's own reason.
pub(crate) fn edit(
    store: &mut Store,
    id: &str,
    edit: &Edit,
    (now, lang): (DateTime<Utc>, Lang),
) -> Result<()> {
    store
        .edit(id, edit, now)
        .map_err(|e| refused(store, e, lang))
}

/// Registers `profile`; a refusal comes back as the document's own reason.
pub(crate) fn register(
    store: &mut Store,
    profile: &Profile,
    (now, lang): (DateTime<Utc>, Lang),
) -> Result<String> {
    store
        .register(profile, now)
        .map_err(|e| refused(store, e, lang))
}

/// A refused edit as the case document's reason, schemes by their names in `lang`.
pub(crate) fn refused(store: &Store, e: FieldError, lang: Lang) -> Error {
    match e {
        FieldError::EditRefused(e) => {
            Error::Edit(homeward_shared::refusal::named(e, store.programme(), lang))
        }
        other => Error::Field(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use homeward_field::key::PinProblem;
    use homeward_shared::duplicates::Fact;
    use homeward_shared::model::{DocumentState, VisitKind};

    /// The command line's sources, where message ids are named.
    const SOURCES: [&str; 10] = [
        include_str!("attachments.rs"),
        include_str!("main.rs"),
        include_str!("run.rs"),
        include_str!("records.rs"),
        include_str!("render.rs"),
        include_str!("edits.rs"),
        include_str!("args/mod.rs"),
        include_str!("args/case.rs"),
        include_str!("error.rs"),
        include_str!("resources.rs"),
    ];

    /// The string literals of `source` that start with `prefix` and hold a whole message id.
    fn ids_in(source: &str, prefix: &str) -> Vec<String> {
        source
            .match_indices(&format!("\"{prefix}"))
            .filter_map(|(at, _)| {
                let rest = &source[at + 1..];
                let id = &rest[..rest.find('"')?];
                let whole = id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
                    && !id.ends_with('-');
                whole.then(|| id.to_owned())
            })
            .collect()
    }

    /// The fields the edits and the schema name when they refuse one (the first argument of
    /// the checks, and `what:`, `earlier:`, `later:`).
    fn fields_named_by_the_edits() -> Vec<String> {
        let sources = [
            include_str!("../../../shared/src/edit.rs"),
            include_str!("../../../shared/src/edit/check.rs"),
            include_str!("../../../shared/src/schema.rs"),
            include_str!("../../../shared/src/schema/write.rs"),
            include_str!("../../../shared/src/schema/read.rs"),
            include_str!("../../../shared/src/schema/merge.rs"),
        ];
        let mut fields = Vec::new();
        for source in sources {
            for call in [
                "nonempty(",
                "not_future(",
                "day_within(",
                "within(",
                "within_opt(",
                "Required(",
                "Empty(",
                "in_order(",
                "what:",
                "earlier:",
                "later:",
            ] {
                for (at, _) in source.match_indices(call) {
                    let rest = source[at + call.len()..].trim_start();
                    if let Some(rest) = rest.strip_prefix('"')
                        && let Some(end) = rest.find('"')
                    {
                        fields.push(rest[..end].to_owned());
                    }
                }
            }
        }
        fields.sort();
        fields.dedup();
        fields
    }

    #[test]
    fn every_message_the_command_line_names_is_in_both_catalogues() {
        let mut ids: Vec<String> = SOURCES
            .iter()
            .flat_map(|s| {
                ["cli-", "ui-", "prompt-", "spot-"]
                    .into_iter()
                    .flat_map(move |p| ids_in(s, p))
            })
            .collect();
        assert!(
            ids.len() > 100,
            "the scan finds the ids: {} found",
            ids.len()
        );
        // The ids built from a key.
        ids.extend(
            [
                Fact::Name,
                Fact::District,
                Fact::Age,
                Fact::Village,
                Fact::Caregiver,
            ]
            .iter()
            .map(|f| format!("cli-dup-fact-{}", f.key())),
        );
        ids.extend(
            [
                VisitKind::InitialAssessment,
                VisitKind::FollowUp,
                VisitKind::Phone,
                VisitKind::Urgent,
            ]
            .iter()
            .map(|k| format!("ui-visit-{}", k.key())),
        );
        ids.extend(
            [
                DocumentState::Missing,
                DocumentState::Received,
                DocumentState::Verified,
            ]
            .iter()
            .map(|s| format!("ui-doc-{}", s.key())),
        );
        ids.extend(
            [
                PinProblem::TooShort,
                PinProblem::NotDigits,
                PinProblem::OneDigit,
                PinProblem::Sequence,
                PinProblem::Pattern,
            ]
            .iter()
            .map(|p| format!("ui-err-weak_pin-{}", p.key())),
        );
        let fields = fields_named_by_the_edits();
        assert!(fields.len() > 40, "the scan finds the fields: {fields:?}");
        ids.extend(fields.iter().map(|f| homeward_shared::refusal::field_id(f)));
        for lang in Lang::ALL {
            let c = Catalogue::new(lang);
            let missing: Vec<&String> = ids.iter().filter(|id| c.get(id) == **id).collect();
            assert!(missing.is_empty(), "missing in {lang}.ftl: {missing:?}");
        }
    }

    #[test]
    fn a_store_failure_is_worded_in_the_chosen_language() {
        let error = Error::Field(FieldError::UnknownCase("abcd".into()));
        assert!(error.is_bad_input(), "an unknown case exits 2");
        assert_eq!(
            error.words(&Catalogue::new(Lang::Hi)),
            "इस स्टोर में मामला 'abcd' नहीं है"
        );
    }
}
