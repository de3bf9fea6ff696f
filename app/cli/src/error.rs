//! The command line's failures and their words in the chosen language.
//!
//! A failure is a [`FieldError`] from the store, an edit the case document refused (a
//! [`SchemaError`], usually an [`InvalidEdit`]), or the command line's own message (a catalogue
//! id and its arguments). All three are worded through the catalogue, with the messages the
//! app's screens use where they say the same thing (`ui-err-weak_pin-*`, `ui-err-try_later`).
//!
//! The field store hands a refused edit back as `FieldError::BadInput` with English text;
//! [`edit`] and [`register`] learn the typed refusal again by applying the same edit to a copy
//! of the case (nothing is written), so the refusal can be worded. Free text the store writes
//! itself (a file that does not import, a keystore it cannot reach) stays English inside a
//! worded frame.
//!
//! Exit codes: 2 for what the person can correct, 1 for anything else.

use chrono::{DateTime, NaiveDate, Utc};
use homeward_field::FieldError;
use homeward_field::store::Store;
use homeward_shared::edit::{Edit, EditContext, InvalidEdit};
use homeward_shared::i18n::{Catalogue, Lang};
use homeward_shared::model::Profile;
use homeward_shared::schema::{self, SchemaError};

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
        FieldError::NotInitialised(dir) => {
            say(c, "cli-err-not_initialised", &[("dir", dir.clone())])
        }
        FieldError::AlreadyInitialised(dir) => {
            say(c, "cli-err-already_initialised", &[("dir", dir.clone())])
        }
        FieldError::UnknownCase(id) => say(c, "cli-err-unknown_case", &[("case", id.clone())]),
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
    }
}

/// A refusal of the case document in words.
pub(crate) fn schema_error(e: &SchemaError, c: &Catalogue) -> String {
    match e {
        SchemaError::Invalid(e) => invalid_edit(e, c),
        SchemaError::Corrupt(d) => say(c, "cli-err-corrupt", &[("detail", d.clone())]),
        SchemaError::NotACase { found } => say(
            c,
            "cli-err-not_a_case",
            &[("kind", found.clone().unwrap_or_else(|| "-".into()))],
        ),
        SchemaError::UnsupportedVersion { found } => say(
            c,
            "cli-err-unsupported_version",
            &[
                ("found", found.to_string()),
                ("max", schema::SCHEMA_VERSION.to_string()),
            ],
        ),
        SchemaError::Malformed { path, expected } => say(
            c,
            "cli-err-malformed",
            &[("path", path.clone()), ("expected", (*expected).to_owned())],
        ),
        SchemaError::NotFound { what, id } => say(
            c,
            "cli-err-not_found",
            &[("what", field(c, what)), ("id", id.clone())],
        ),
        SchemaError::OpenClaim { scheme, id } => say(
            c,
            "cli-err-open_claim",
            &[("scheme", scheme.clone()), ("id", id.clone())],
        ),
        SchemaError::AlreadyRegistered(id) => {
            say(c, "cli-err-already_registered", &[("case", id.clone())])
        }
        SchemaError::Automerge(d) => say(c, "cli-err-automerge", &[("detail", d.clone())]),
        SchemaError::TooDeep { limit } => {
            say(c, "cli-err-too_deep", &[("limit", limit.to_string())])
        }
        SchemaError::NotAllowed(d) => say(c, "cli-err-not_allowed", &[("detail", d.clone())]),
        SchemaError::TooLarge { what, limit } => say(
            c,
            "cli-err-too_large",
            &[("what", (*what).to_owned()), ("limit", limit.to_string())],
        ),
    }
}

/// An edit refused before anything was written, in words: the field by its name in this
/// language, dates as people write them.
pub(crate) fn invalid_edit(e: &InvalidEdit, c: &Catalogue) -> String {
    let date = |d: &NaiveDate| c.date(*d);
    match e {
        InvalidEdit::StatusNotAllowed { dimension, status } => say(
            c,
            "cli-err-status_not_allowed",
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
            "cli-err-dates_out_of_order",
            &[
                ("earlier", field(c, earlier)),
                ("earlier_on", date(earlier_on)),
                ("later", field(c, later)),
                ("later_on", date(later_on)),
            ],
        ),
        InvalidEdit::InFuture { what, on } => say(
            c,
            "cli-err-in_future",
            &[("what", field(c, what)), ("on", date(on))],
        ),
        InvalidEdit::TooEarly { what, on } => say(
            c,
            "cli-err-too_early",
            &[("what", field(c, what)), ("on", date(on))],
        ),
        InvalidEdit::Empty(what) => say(c, "cli-err-empty", &[("what", field(c, what))]),
        InvalidEdit::Required(what) => say(c, "cli-err-required", &[("what", field(c, what))]),
        InvalidEdit::DuplicateUpdate(d) => say(
            c,
            "cli-err-duplicate_update",
            &[("dimension", c.dimension(*d))],
        ),
        InvalidEdit::TooLong { what, max } => say(
            c,
            "cli-err-too_long",
            &[("what", field(c, what)), ("max", max.to_string())],
        ),
        InvalidEdit::TooMany { what, max } => say(
            c,
            "cli-err-too_many",
            &[("what", field(c, what)), ("max", max.to_string())],
        ),
    }
}

/// The catalogue id of a field an edit names ("visit date" is `cli-field-visit-date`).
pub(crate) fn field_id(what: &str) -> String {
    format!("cli-field-{}", what.to_lowercase().replace(' ', "-"))
}

/// A field's name in this language; the English name for a field the catalogue does not know
/// yet (a test lists the fields the edits name, so none should be missing).
pub(crate) fn field(c: &Catalogue, what: &str) -> String {
    let id = field_id(what);
    let name = c.get(&id);
    if name == id { what.to_owned() } else { name }
}

/// Applies `edit` to case `id`; a refusal comes back as the document's own reason.
pub(crate) fn edit(
    store: &mut Store,
    id: &str,
    edit: &Edit,
    (now, lang): (DateTime<Utc>, Lang),
) -> Result<()> {
    match store.edit(id, edit, now) {
        Err(FieldError::BadInput(detail)) => Err(refusal(store, (now, lang), |ctx, actor| {
            let bytes = store.export(id).ok()?;
            let mut doc = schema::load(&bytes, actor).ok()?;
            schema::apply(&mut doc, edit, ctx).err()
        })
        .unwrap_or(Error::Field(FieldError::BadInput(detail)))),
        other => other.map_err(Error::from),
    }
}

/// Registers `profile`; a refusal comes back as the document's own reason.
pub(crate) fn register(
    store: &mut Store,
    profile: &Profile,
    (now, lang): (DateTime<Utc>, Lang),
) -> Result<String> {
    match store.register(profile, now) {
        Err(FieldError::BadInput(detail)) => Err(refusal(store, (now, lang), |ctx, actor| {
            schema::new_case(actor, profile, ctx).err()
        })
        .unwrap_or(Error::Field(FieldError::BadInput(detail)))),
        other => other.map_err(Error::from),
    }
}

/// Replays a refused write on a copy with the store's author and moment, to learn its typed
/// reason; `None` when the copy does not refuse it (the refusal came from elsewhere).
fn refusal(
    store: &Store,
    (now, lang): (DateTime<Utc>, Lang),
    replay: impl FnOnce(&EditContext, homeward_shared::automerge::ActorId) -> Option<SchemaError>,
) -> Option<Error> {
    let ctx = EditContext {
        author: store.author().ok()?,
        at: now,
    };
    // A throwaway actor: the copy is dropped, never saved.
    let actor = homeward_shared::automerge::ActorId::from(&b"homeward-cli-replay"[..]);
    replay(&ctx, actor)
        .map(|e| match e {
            // The scheme by its name, not its key.
            SchemaError::OpenClaim { scheme, id } => SchemaError::OpenClaim {
                scheme: store.programme().scheme_name(&scheme, lang.code()),
                id,
            },
            other => other,
        })
        .map(Error::Edit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use homeward_field::key::PinProblem;
    use homeward_shared::duplicates::Fact;
    use homeward_shared::model::{DocumentState, VisitKind};

    /// The command line's sources, where message ids are named.
    const SOURCES: [&str; 7] = [
        include_str!("main.rs"),
        include_str!("run.rs"),
        include_str!("records.rs"),
        include_str!("render.rs"),
        include_str!("edits.rs"),
        include_str!("args.rs"),
        include_str!("error.rs"),
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
            include_str!("../../../shared/src/schema.rs"),
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
        ids.extend(fields.iter().map(|f| field_id(f)));
        for lang in Lang::ALL {
            let c = Catalogue::new(lang);
            let missing: Vec<&String> = ids.iter().filter(|id| c.get(id) == **id).collect();
            assert!(missing.is_empty(), "missing in {lang}.ftl: {missing:?}");
        }
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
        let error = Error::Field(FieldError::UnknownCase("abcd".into()));
        assert!(error.is_bad_input(), "an unknown case exits 2");
        assert_eq!(
            error.words(&Catalogue::new(Lang::Hi)),
            "इस स्टोर में मामला 'abcd' नहीं है"
        );
        assert_eq!(
            field(&Catalogue::new(Lang::Hi), "a field no catalogue knows"),
            "a field no catalogue knows",
            "an unknown field keeps its English name rather than showing a message id"
        );
    }
}
