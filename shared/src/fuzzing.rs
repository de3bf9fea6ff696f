//! # Fuzzing
//!
//! The per-input bodies of the fuzz targets in `fuzz/` (cargo-fuzz, nightly) and of the replay
//! tests that run every committed input on stable (`shared/tests/shared/fuzz_replay.rs`): both
//! call these functions, so they cannot drift. Each takes arbitrary bytes, does with them what
//! the server or the field client does with bytes from outside, and must return without
//! panicking; it panics (an assertion) only when a guarantee is broken, such as a decoded request
//! beyond the protocol's limits. Errors are the expected outcome for almost every input.
//!
//! Pure like the rest of the crate: the seed document is committed bytes ([`SEED_CASE`]) and the
//! later changes come from [`crate::synth`].

use automerge::{ActorId, AutoCommit};
use chrono::NaiveDate;

use crate::programme::Programme;
use crate::untrusted::{self, UntrustedError};
use crate::wire::{self, Cursor, SyncRequest, SyncResponse};
use crate::{prompt, schema, synth};

/// What [`untrusted`] caught on one input: automerge panics and saves that do not load back.
/// Empty for a sound input (every seed); a committed regression input gives at least one (the
/// replay tests check both), and `scripts/fuzz --caught` stops at the first.
pub type Caught = Vec<UntrustedError>;

/// Keeps what a wrapper caught; gives the value of a success.
fn note<T>(caught: &mut Caught, r: Result<T, UntrustedError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(
            e @ (UntrustedError::Panicked { .. }
            | UntrustedError::RoundTrip(_)
            | UntrustedError::Unsupported { .. }),
        ) => {
            caught.push(e);
            None
        }
        Err(UntrustedError::Refused { .. }) => None,
    }
}

/// Separates the changes of one `case_changes` input.
pub const CHANGE_SEPARATOR: &[u8] = b"HWCHANGE";

/// The actor documents are loaded with (a device's own).
fn actor() -> ActorId {
    ActorId::from(&[0x11; 16][..])
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
}

/// What every input is run against, made once per process: the seed case ([`seed_and_later_changes`])
/// and the default programme.
#[derive(Debug, Clone)]
pub struct Fixture {
    seed: AutoCommit,
    programme: Programme,
}

impl Fixture {
    /// Builds the fixture (a few milliseconds).
    pub fn new() -> Fixture {
        Fixture {
            seed: seed_and_later_changes().0,
            programme: Programme::default(),
        }
    }
}

impl Default for Fixture {
    fn default() -> Self {
        Fixture::new()
    }
}

/// The case the change and merge inputs apply to, frozen as saved bytes: a synthetic case
/// registered and edited for some months (the first half of its synthetic history, as
/// [`crate::synth`] made it when the regression inputs were found). The inputs under
/// `fuzz/regressions/case_changes` reach automerge's bugs through this document's exact
/// operations, so it must not follow the generator: a change of the synthetic data or of the
/// document layout would silently turn them into inputs that test nothing (the replay test
/// notices). Regenerating it means finding those inputs again.
pub const SEED_CASE: &[u8] = include_bytes!("../../fuzz/seed/case.automerge");

/// The seed case ([`SEED_CASE`]) and, as saved changes, the rest of that case's synthetic
/// history applied to it: real changes that apply to the seed (seed inputs of `case_changes`).
pub fn seed_and_later_changes() -> (AutoCommit, Vec<Vec<u8>>) {
    let load = synth::caseload(synth::Options {
        seed: 10,
        cases: 1,
        until: today(),
        months: 6,
    });
    let case = &load.cases[0];
    let dev = ActorId::from(&[0x22; 16][..]);
    let half = case.edits.len() / 2;
    let mut doc = untrusted::load(SEED_CASE)
        .map(|d| d.with_actor(dev))
        .unwrap_or_else(|_| AutoCommit::new());
    let seed = doc.clone();
    let heads = doc.get_heads();
    for (ctx, edit) in &case.edits[half..] {
        let _ = schema::apply(&mut doc, edit, ctx);
    }
    // A referral and its outcome: the seed document predates the referrals list, so these
    // changes create it as a phone does on an older case.
    if let Some((ctx, _)) = case.edits.last() {
        let day = crate::model::field_date(ctx.at);
        let referral = crate::edit::Edit::Refer(crate::edit::NewReferral {
            id: "ref-seed".into(),
            resource_id: "res-seed".into(),
            resource_kind: crate::resource::ResourceKind::SkillsTraining,
            resource_name: "ITI Gaya".into(),
            dimension: crate::need::Dimension::Livelihood,
            on: day,
            note: Some("tailoring".into()),
        });
        let served = crate::edit::Edit::UpdateReferral(crate::edit::ReferralUpdate {
            id: "ref-seed-1".into(),
            referral_id: "ref-seed".into(),
            state: crate::model::ReferralState::Accepted,
            on: day,
            note: None,
        });
        let _ = schema::apply(&mut doc, &referral, ctx);
        let _ = schema::apply(&mut doc, &served, ctx);
    }
    let later = doc
        .get_changes(&heads)
        .into_iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    (seed, later)
}

/// Reads a document as the field client does before it stores it (a response's document, an
/// imported file) and as the server does after a push: the case, its conflicts, the prompts, a
/// checked save.
fn read_like_a_reader(fx: &Fixture, caught: &mut Caught, doc: &mut AutoCommit) {
    if let Ok(case) = schema::read_case(doc) {
        let _ = schema::conflicts(doc);
        let _ = schema::actor_author(doc, &actor());
        let _ = prompt::risk(&case, today(), &fx.programme);
        let _ = prompt::next_visit(&case, today(), &fx.programme);
        let _ = prompt::last_counted_visit(&case, today(), &fx.programme);
        let _ = prompt::prompts(&case, today(), &fx.programme);
    }
    note(caught, untrusted::save_checked(doc));
}

/// `sync_body`: a request body as the server decodes it (within [`wire::decode_request`]'s
/// limits, then every pushed change parsed), and a response body as the field client decodes
/// it (documents loaded and read, changes parsed).
pub fn sync_body(fx: &Fixture, data: &[u8]) -> Caught {
    let mut caught = Caught::new();
    if let Ok(req) = wire::decode_request(data) {
        assert_within_limits(&req);
        for case in &req.push {
            for c in &case.changes {
                note(&mut caught, untrusted::parse_change(c));
            }
        }
    }
    if let Ok(resp) = wire::decode::<SyncResponse>(data) {
        for d in resp.documents {
            if let Some(mut doc) = load_case(&mut caught, &d.doc) {
                read_like_a_reader(fx, &mut caught, &mut doc);
            }
        }
        let changes: Vec<_> = resp
            .changes
            .iter()
            .filter_map(|c| note(&mut caught, untrusted::parse_change(&c.bytes)))
            .collect();
        if !changes.is_empty()
            && let Some(mut doc) = note(
                &mut caught,
                untrusted::apply_changes(AutoCommit::new(), changes),
            )
            && doc.get_missing_deps(&[]).is_empty()
        {
            read_like_a_reader(fx, &mut caught, &mut doc);
        }
    }
    caught
}

/// [`schema::load`], keeping what the wrapped load caught: a case document of a supported
/// version, with this device's actor.
fn load_case(caught: &mut Caught, bytes: &[u8]) -> Option<AutoCommit> {
    let doc = note(caught, untrusted::load(bytes))?.with_actor(actor());
    schema::schema_version(&doc).ok()?;
    Some(doc)
}

/// A decoded request is within every limit the decoder promises.
fn assert_within_limits(req: &SyncRequest) {
    assert!(req.push.len() <= wire::MAX_PUSH_CASES, "too many cases");
    for case in &req.push {
        assert!(case.case_id.len() <= wire::MAX_ID_BYTES, "case id too long");
        assert!(
            case.changes.len() <= wire::MAX_PUSH_CHANGES,
            "too many changes"
        );
        for c in &case.changes {
            assert!(
                (wire::MIN_CHANGE_BYTES..=wire::MAX_CHANGE_BYTES).contains(&c.len()),
                "a change of {} bytes",
                c.len()
            );
        }
    }
    assert!(
        req.spot_check_outcomes.len() <= wire::MAX_OUTCOMES,
        "too many outcomes"
    );
    for o in &req.spot_check_outcomes {
        assert!(o.id.len() <= wire::MAX_ID_BYTES, "outcome id too long");
        assert!(o.at.len() <= wire::MAX_ID_BYTES, "outcome time too long");
        assert!(o.note.len() <= wire::MAX_NOTE_BYTES, "note too long");
    }
    if let Cursor::Documents { after, .. } = &req.cursor {
        assert!(after.len() <= wire::MAX_ID_BYTES, "cursor id too long");
    }
    // What was decoded encodes and decodes to itself.
    assert_eq!(
        wire::decode_request(&wire::encode(req)).as_ref(),
        Ok(req),
        "a decoded request does not round-trip"
    );
}

/// `case_document`: a saved case document (an imported file, a response's document), loaded
/// and read as the field client does, then merged into the seed case as an import merges it into a
/// case the device holds.
pub fn case_document(fx: &Fixture, data: &[u8]) -> Caught {
    let mut caught = Caught::new();
    let Some(mut doc) = load_case(&mut caught, data) else {
        return caught;
    };
    read_like_a_reader(fx, &mut caught, &mut doc);
    let mut base = fx.seed.clone();
    note(&mut caught, untrusted::changes_added(&mut base, &mut doc));
    if let Some(mut merged) = note(&mut caught, untrusted::merge(base, doc)) {
        read_like_a_reader(fx, &mut caught, &mut merged);
    }
    caught
}

/// `case_changes`: changes (separated by [`CHANGE_SEPARATOR`]) pushed to the server, parsed,
/// applied to the seed case (a case the server holds) and to an empty document (a new case), then
/// checked and read as the server does.
pub fn case_changes(fx: &Fixture, data: &[u8]) -> Caught {
    let mut caught = Caught::new();
    let changes: Vec<_> = split(data)
        .filter_map(|c| note(&mut caught, untrusted::parse_change(c)))
        .collect();
    if changes.is_empty() {
        return caught;
    }
    for mut before in [fx.seed.clone(), AutoCommit::new()] {
        let fresh: Vec<_> = changes
            .iter()
            .filter(|c| before.get_change_by_hash(&c.hash()).is_none())
            .cloned()
            .collect();
        let Some(mut after) = note(
            &mut caught,
            untrusted::apply_changes(before.clone(), fresh.clone()),
        ) else {
            continue;
        };
        if !after.get_missing_deps(&[]).is_empty() || schema::read_case(&after).is_err() {
            continue;
        }
        let author = crate::model::Author {
            user_id: "fw-1".into(),
            name: "Asha Verma".into(),
        };
        for c in &fresh {
            let _ = schema::check_change(&before, &after, c, &author);
        }
        read_like_a_reader(fx, &mut caught, &mut after);
    }
    caught
}

/// The parts of `data` between separators.
fn split(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = Some(data);
    std::iter::from_fn(move || {
        let r = rest?;
        match r
            .windows(CHANGE_SEPARATOR.len())
            .position(|w| w == CHANGE_SEPARATOR)
        {
            Some(i) => {
                rest = Some(&r[i + CHANGE_SEPARATOR.len()..]);
                Some(&r[..i])
            }
            None => {
                rest = None;
                Some(r)
            }
        }
    })
}

/// Joins changes into one `case_changes` input.
pub fn join_changes(changes: &[Vec<u8>]) -> Vec<u8> {
    changes.join(CHANGE_SEPARATOR)
}

/// The seed inputs of each target, `(target, name, bytes)`: real synthetic documents, changes
/// and sync bodies (`cargo run -p homeward-shared --example fuzz_seeds` writes them under
/// `fuzz/corpus/`).
pub fn seed_corpus() -> Vec<(&'static str, String, Vec<u8>)> {
    let (mut seed, later) = seed_and_later_changes();
    let mut whole = seed.clone();
    let changes: Vec<_> = later
        .iter()
        .filter_map(|c| untrusted::parse_change(c).ok())
        .collect();
    if let Ok(w) = untrusted::apply_changes(whole.clone(), changes) {
        whole = w;
    }
    let mut out = Vec::new();
    let mut add = |target, name: &str, bytes: Vec<u8>| out.push((target, name.to_owned(), bytes));

    let push = |changes: &[Vec<u8>]| SyncRequest {
        bundle_seen: 0,
        cursor: Cursor::Feed(41),
        budget: 64 * 1024,
        reference_version: 3,
        resources_version: 1,
        push: vec![wire::CasePush {
            case_id: "case-seed".into(),
            changes: changes.to_vec(),
        }],
        spot_check_outcomes: vec![wire::SpotCheckOutcome {
            id: "sc-1".into(),
            outcome: crate::spotcheck::Outcome::HasIssues,
            note: "Family not at home; neighbour says the girl goes to school.".into(),
            at: "2026-11-20T10:00:00+05:30".into(),
        }],
    };
    add("sync_body", "request-idle", wire::encode(&push(&[])));
    add("sync_body", "request-push", wire::encode(&push(&later)));
    let response = SyncResponse {
        bundled: None,
        stored: u32::try_from(later.len()).unwrap_or(0),
        documents: vec![wire::Document {
            case_id: "case-seed".into(),
            doc: seed.save_nocompress(),
        }],
        changes: later
            .iter()
            .map(|c| wire::FeedChange {
                case_id: "case-seed".into(),
                bytes: c.clone(),
            })
            .collect(),
        dropped: vec!["case-gone".into()],
        cursor: Cursor::Documents {
            high: 99,
            after: "case-seed".into(),
        },
        more: true,
        reference: None,
        spot_check_results: vec![("sc-1".into(), None)],
    };
    add("sync_body", "response", wire::encode(&response));

    for target in ["case_document", "import"] {
        add(target, "seed-saved", seed.save());
        add(target, "whole-saved", whole.save());
    }
    add("case_document", "seed-uncompressed", seed.save_nocompress());
    add("case_changes", "later-all", join_changes(&later));
    for (i, c) in later.iter().take(4).enumerate() {
        add("case_changes", &format!("later-{i}"), c.clone());
    }
    out
}
