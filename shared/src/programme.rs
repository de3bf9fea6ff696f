//! The programme file: every threshold of the prompts, the schedule and the risk level.
//!
//! The defaults live in `programme/default.toml`, which documents each key. A programme file
//! given by an NGO is laid over the defaults key by key, and its `[[scheme]]` entries by scheme
//! key: a new key adds a scheme, a known one changes it, `remove = true` removes it (an NGO
//! adding Bihar's CM Relief Fund keeps the six default schemes and their prompts). Unknown keys
//! are refused, so a typo never silently falls back to a default, and every error names the
//! line of the file.
//!
//! The sync server holds the programme in force and sends it whole to every device
//! ([`Programme::to_toml`], [`Programme::from_whole_toml`]), so phones, the dashboard and the
//! reports compute with the same thresholds.

use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml::Spanned;
use toml::de::DeTable;

use crate::model::{DocumentKind, ServiceDimension};

mod layer;
use layer::lay_over;

/// The default programme file, shipped with the crate.
pub const DEFAULT_TOML: &str = include_str!("../programme/default.toml");

/// Visit intervals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Visits {
    /// Days between visits for a high-risk case.
    pub high_days: u32,
    /// Days between visits for a medium-risk case.
    pub medium_days: u32,
    /// Days between visits for a stable case.
    pub stable_days: u32,
    /// Days all needs must have been settled before the interval stretches.
    pub stretch_after_days: u32,
    /// The stretched interval.
    pub stretched_days: u32,
    /// How many days ahead a visit counts as due soon.
    pub due_soon_days: u32,
    /// Whether a phone call counts as a visit.
    pub phone_counts_as_visit: bool,
}

/// The initial assessment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// Days after return within which the assessment is due.
    pub due_within_days: u32,
}

/// The legal case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Legal {
    /// Days after a summons is received within which the family must be reached.
    pub reach_family_within_days: u32,
    /// Days before a hearing that count as near.
    pub hearing_near_days: u32,
    /// Days an incident keeps the case urgent.
    pub harassment_urgent_days: u32,
}

/// School age.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EducationAges {
    /// Youngest age that must be in school.
    pub min_age: u32,
    /// Oldest age that must be in school.
    pub max_age: u32,
}

/// Claim follow-up thresholds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claims {
    /// Days after applying before a follow-up.
    pub sanction_follow_up_days: u32,
    /// Days after applying before escalation.
    pub sanction_escalate_days: u32,
    /// Days after sanction before a follow-up on payment.
    pub payment_follow_up_days: u32,
    /// Days after sanction before escalation.
    pub payment_escalate_days: u32,
}

/// Referral follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Referrals {
    /// Days after a referral (or its acceptance) with no outcome before a follow-up prompt.
    pub follow_up_days: u32,
}

impl Default for Referrals {
    /// The default file's value; also what a whole programme kept from before referrals (a
    /// server's, on a device) reads as.
    fn default() -> Self {
        Referrals { follow_up_days: 14 }
    }
}

/// How large copies of documents may be ([`crate::attachment`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentLimits {
    /// The largest page, in kilobytes, after a photo was reduced (a PDF is kept as it is).
    pub max_file_kb: u32,
    /// The most bytes of standing copies one case may hold, in megabytes.
    pub max_case_mb: u32,
    /// The most pages one copy may have.
    pub max_pages: u32,
}

impl Default for AttachmentLimits {
    /// The default file's values; also what a whole programme kept from before attachments
    /// reads as.
    fn default() -> Self {
        AttachmentLimits {
            max_file_kb: 5_120,
            max_case_mb: 40,
            max_pages: 20,
        }
    }
}

impl AttachmentLimits {
    /// The largest page, in bytes.
    pub fn max_file_bytes(&self) -> u64 {
        u64::from(self.max_file_kb) * 1024
    }

    /// The most bytes of standing copies of one case.
    pub fn max_case_bytes(&self) -> u64 {
        u64::from(self.max_case_mb) * 1024 * 1024
    }
}

/// Risk level rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskRules {
    /// Unmet or unassessed needs that make a case high risk.
    pub high_when_unmet_at_least: u32,
}

/// The phone's lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unlock {
    /// Erase the phone's store after this many wrong PINs in a row; 0 never does.
    pub wipe_after_failures: u32,
}

/// Fewest wrong PINs in a row a programme may erase a store after (when it does at all): three
/// slips of the finger and two more.
pub const MIN_WIPE_AFTER_FAILURES: u32 = 5;

/// A scheme a child can be linked to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    /// Stable key, stored in services.
    pub key: String,
    /// Compensation or entitlements.
    pub dimension: ServiceDimension,
    /// Display name (English, and the fallback for a language without its own).
    pub name: String,
    /// The name in other languages, by language code (`hi = "..."`): an NGO may add any.
    #[serde(default)]
    pub names: std::collections::BTreeMap<String, String>,
    /// Documents an application needs.
    #[serde(default)]
    pub requires: Vec<DocumentKind>,
    /// Whether every active case is prompted for it.
    #[serde(default)]
    pub prompt: bool,
    /// Counted apart as health insurance in the indicators.
    #[serde(default)]
    pub health_insurance: bool,
}

/// A whole programme file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    /// Visit intervals.
    pub visits: Visits,
    /// Initial assessment.
    pub assessment: Assessment,
    /// Legal case.
    pub legal: Legal,
    /// School age.
    pub education: EducationAges,
    /// Claim thresholds.
    pub claims: Claims,
    /// Referral follow-up.
    #[serde(default)]
    pub referrals: Referrals,
    /// Limits on copies of documents.
    #[serde(default)]
    pub attachments: AttachmentLimits,
    /// Risk rules.
    pub risk: RiskRules,
    /// The phone's lock.
    pub unlock: Unlock,
    /// Schemes.
    #[serde(rename = "scheme")]
    pub schemes: Vec<Scheme>,
}

/// A programme file that could not be used. Its message names the line of the file at fault
/// (and quotes it) whenever the fault is in the file rather than in the defaults.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgrammeError {
    /// Not TOML, an unknown key, a value of the wrong type, or a `[[scheme]]` entry that cannot
    /// be laid over the defaults (no key, listed twice, removing a scheme that is not there).
    #[error("programme file{}: {message}", at(*line, quote))]
    Parse {
        /// The line of the file (from 1), when the fault is in it.
        line: Option<usize>,
        /// That line's text, trimmed.
        quote: String,
        /// What is wrong.
        message: String,
    },
    /// Values that make no sense together.
    #[error("programme file{}: {message}", at(*line, quote))]
    Invalid {
        /// The line of the file (from 1) that sets one of the values, when the file sets one.
        line: Option<usize>,
        /// That line's text, trimmed.
        quote: String,
        /// What is wrong.
        message: String,
    },
}

fn at(line: Option<usize>, quote: &str) -> String {
    match line {
        Some(n) if quote.is_empty() => format!(", line {n}"),
        Some(n) => format!(", line {n} ({quote})"),
        None => String::new(),
    }
}

impl ProgrammeError {
    /// The line of the file at fault (from 1), when the fault is in the file.
    pub fn line(&self) -> Option<usize> {
        match self {
            ProgrammeError::Parse { line, .. } | ProgrammeError::Invalid { line, .. } => *line,
        }
    }
}

/// Values that make no sense together, with the keys (section, key) that set them: the first
/// of them a file sets is the line its error names.
struct Invalid {
    message: String,
    keys: &'static [(&'static str, &'static str)],
}

impl Default for Programme {
    fn default() -> Self {
        // The default file is part of the crate and a test parses it, so this cannot fail.
        Programme::from_toml("").expect("the shipped default programme file is valid")
    }
}

impl Programme {
    /// Reads an NGO's programme file laid over the defaults (`programme/default.toml`).
    ///
    /// A section's keys replace the defaults' one by one. Schemes merge by key: a `[[scheme]]`
    /// whose key is new is added after the defaults; one with the key of a scheme already there
    /// changes only what it names (its `names` by language); `remove = true` (with the key
    /// alone) removes that scheme. Unknown keys are refused, so a typo never silently falls back
    /// to a default; every error names the line of the file.
    pub fn from_toml(text: &str) -> Result<Programme, ProgrammeError> {
        let over = DeTable::parse(text).map_err(|e| located(text, &e))?;
        let mut base = DeTable::parse(DEFAULT_TOML)
            .map_err(|e| located(DEFAULT_TOML, &e))?
            .into_inner();
        lay_over(&mut base, over.into_inner()).map_err(|(span, m)| parse_error(text, span, m))?;
        let programme = Programme::deserialize(toml::de::Deserializer::from(Spanned::new(
            0..text.len(),
            base,
        )))
        .map_err(|e| located(text, &e))?;
        programme.checked(text)
    }

    /// Reads a whole programme, every key written and nothing laid over the defaults: what a
    /// server sends its devices ([`Programme::to_toml`]), so a phone computes with the server's
    /// values even where its own defaults differ (another version of the app).
    pub fn from_whole_toml(text: &str) -> Result<Programme, ProgrammeError> {
        let programme: Programme = toml::from_str(text).map_err(|e| located(text, &e))?;
        programme.checked(text)
    }

    /// The whole programme as TOML, every key written (read back by
    /// [`Programme::from_whole_toml`]).
    pub fn to_toml(&self) -> String {
        // The programme holds only strings, integers, booleans, lists and tables with string
        // keys, all of which TOML writes.
        toml::to_string(self).unwrap_or_default()
    }

    fn checked(self, text: &str) -> Result<Programme, ProgrammeError> {
        match self.validate() {
            Ok(()) => Ok(self),
            Err(Invalid { message, keys }) => {
                let span = DeTable::parse(text).ok().and_then(|t| {
                    keys.iter().find_map(|(section, key)| {
                        let s = t.get_ref().get(*section)?;
                        let k = s.get_ref().as_table()?.get_key_value(*key)?;
                        Some(k.0.span())
                    })
                });
                let (line, quote) = span.map_or((None, String::new()), |s| line_at(text, s.start));
                Err(ProgrammeError::Invalid {
                    line,
                    quote,
                    message,
                })
            }
        }
    }

    fn validate(&self) -> Result<(), Invalid> {
        let v = &self.visits;
        let bad = |message: String, keys| Err(Invalid { message, keys });
        const INTERVALS: &[(&str, &str)] = &[
            ("visits", "high_days"),
            ("visits", "medium_days"),
            ("visits", "stable_days"),
            ("visits", "stretched_days"),
        ];
        if v.high_days == 0 || v.medium_days == 0 || v.stable_days == 0 || v.stretched_days == 0 {
            return bad("visit intervals must be at least one day".into(), INTERVALS);
        }
        if !(v.high_days <= v.medium_days && v.medium_days <= v.stable_days) {
            return bad(
                format!(
                    "visit intervals must not shrink as risk falls (high {} <= medium {} <= stable {})",
                    v.high_days, v.medium_days, v.stable_days
                ),
                INTERVALS,
            );
        }
        let c = &self.claims;
        if c.sanction_follow_up_days > c.sanction_escalate_days
            || c.payment_follow_up_days > c.payment_escalate_days
        {
            return bad(
                "a claim's follow-up threshold must come before its escalation".into(),
                &[
                    ("claims", "sanction_follow_up_days"),
                    ("claims", "sanction_escalate_days"),
                    ("claims", "payment_follow_up_days"),
                    ("claims", "payment_escalate_days"),
                ],
            );
        }
        if self.referrals.follow_up_days == 0 {
            return bad(
                "a referral's follow-up must wait at least one day".into(),
                &[("referrals", "follow_up_days")],
            );
        }
        let a = &self.attachments;
        if a.max_file_kb == 0 || a.max_case_mb == 0 || a.max_pages == 0 {
            return bad(
                "attachment limits must be at least 1".into(),
                &[
                    ("attachments", "max_file_kb"),
                    ("attachments", "max_case_mb"),
                    ("attachments", "max_pages"),
                ],
            );
        }
        if u64::from(a.max_pages) > crate::edit::MAX_PAGES as u64 {
            return bad(
                format!(
                    "attachments max_pages = {} is above the most any copy may have ({})",
                    a.max_pages,
                    crate::edit::MAX_PAGES
                ),
                &[("attachments", "max_pages")],
            );
        }
        let wipe = self.unlock.wipe_after_failures;
        if wipe != 0 && wipe < MIN_WIPE_AFTER_FAILURES {
            return bad(
                format!(
                    "unlock wipe_after_failures = {wipe} would erase a phone after a few slips: use 0 (never) or at least {MIN_WIPE_AFTER_FAILURES}"
                ),
                &[("unlock", "wipe_after_failures")],
            );
        }
        if self.education.min_age > self.education.max_age {
            return bad(
                "education min_age is above max_age".into(),
                &[("education", "min_age"), ("education", "max_age")],
            );
        }
        let mut keys: Vec<&str> = self.schemes.iter().map(|s| s.key.as_str()).collect();
        keys.sort_unstable();
        if let Some(w) = keys.windows(2).find(|w| w[0] == w[1]) {
            return bad(format!("scheme '{}' is listed twice", w[0]), &[]);
        }
        Ok(())
    }

    /// The scheme with this key.
    pub fn scheme(&self, key: &str) -> Option<&Scheme> {
        self.schemes.iter().find(|s| s.key == key)
    }

    /// A scheme's name in `lang` (a language code), for a screen, a report or the command line:
    /// the programme's name in that language, else its English name, else (a scheme no longer
    /// in the programme) the key with its underscores as spaces, never the raw key.
    pub fn scheme_name(&self, key: &str, lang: &str) -> String {
        match self.scheme(key) {
            Some(s) => s.name_in(lang).to_owned(),
            None => key.replace('_', " "),
        }
    }
}

/// The line (from 1) of a byte offset of `text`, with that line's text trimmed.
fn line_at(text: &str, offset: usize) -> (Option<usize>, String) {
    let offset = offset.min(text.len());
    let before = text.as_bytes().get(..offset).unwrap_or_default();
    let line = before.iter().filter(|b| **b == b'\n').count();
    let quote = text.lines().nth(line).unwrap_or_default().trim();
    (Some(line + 1), quote.to_owned())
}

fn parse_error(text: &str, span: Option<Range<usize>>, message: String) -> ProgrammeError {
    let (line, quote) = span.map_or((None, String::new()), |s| line_at(text, s.start));
    ProgrammeError::Parse {
        line,
        quote,
        message,
    }
}

/// A TOML error as a [`ProgrammeError`] naming the line of `text` it points at.
fn located(text: &str, e: &toml::de::Error) -> ProgrammeError {
    // The parser's messages run over several lines ("invalid key\nexpected ..."): one line.
    let message = e
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    parse_error(text, e.span(), message)
}

impl Scheme {
    /// The scheme's name in `lang`, else its English name.
    pub fn name_in(&self, lang: &str) -> &str {
        self.names
            .get(lang)
            .map_or(self.name.as_str(), String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_defaults_parse_and_hold_the_documented_values() {
        let p = Programme::default();
        assert_eq!(
            (
                p.visits.high_days,
                p.visits.medium_days,
                p.visits.stable_days
            ),
            (7, 14, 30)
        );
        assert_eq!(p.visits.stretched_days, 90);
        assert_eq!(p.assessment.due_within_days, 7);
        assert_eq!(p.legal.harassment_urgent_days, 30);
        assert_eq!((p.education.min_age, p.education.max_age), (6, 14));
        assert!(p.scheme("victim_compensation").is_some());
        assert!(p.schemes.iter().any(|s| s.health_insurance));
        assert_eq!(
            p.unlock.wipe_after_failures, 0,
            "no phone is erased by wrong PINs unless the programme asks"
        );
    }

    #[test]
    fn a_wipe_after_wrong_pins_is_off_or_at_least_five() {
        let p = Programme::from_toml("[unlock]\nwipe_after_failures = 10\n").expect("valid");
        assert_eq!(p.unlock.wipe_after_failures, 10);
        let err = Programme::from_toml("[unlock]\nwipe_after_failures = 2\n").expect_err("too few");
        assert!(err.to_string().contains("wipe_after_failures = 2"), "{err}");
    }

    #[test]
    fn a_partial_file_overrides_only_the_keys_it_names() {
        let p = Programme::from_toml("[visits]\nhigh_days = 3\n").expect("valid");
        assert_eq!(p.visits.high_days, 3);
        assert_eq!(p.visits.medium_days, 14, "unnamed keys keep their default");
        assert_eq!(p.schemes, Programme::default().schemes);
    }

    const DEFAULT_KEYS: [&str; 6] = [
        "victim_compensation",
        "child_labour_rehabilitation",
        "health_insurance",
        "ration_card",
        "sponsorship",
        "job_card",
    ];

    const CM_RELIEF: &str = "[[scheme]]\nkey = \"cm_relief_fund\"\ndimension = \"compensation\"\nname = \"Chief Minister's Relief Fund (Bihar)\"\nnames.hi = \"मुख्यमंत्री राहत कोष (बिहार)\"\nrequires = [\"fir\", \"bank_account\"]\nprompt = true\n";

    fn keys(p: &Programme) -> Vec<&str> {
        p.schemes.iter().map(|s| s.key.as_str()).collect()
    }

    /// What a file laid over the defaults gives: the schemes' keys in order, and a check of the
    /// programme.
    #[track_caller]
    fn check(text: &str, want_keys: &[&str], then: impl Fn(&Programme)) {
        let p = Programme::from_toml(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(keys(&p), want_keys, "{text:?}");
        then(&p);
    }

    #[test]
    fn schemes_merge_by_key_over_the_defaults() {
        let defaults = Programme::default();
        let default_of = |k: &str| defaults.scheme(k).expect("a default scheme").clone();
        let with = |extra: &[&'static str]| -> Vec<&'static str> {
            DEFAULT_KEYS
                .iter()
                .copied()
                .chain(extra.iter().copied())
                .collect()
        };
        // Adding one scheme keeps the six defaults, and their prompts.
        check(CM_RELIEF, &with(&["cm_relief_fund"]), |p| {
            let cm = p.scheme("cm_relief_fund").expect("added");
            assert_eq!(cm.name_in("hi"), "मुख्यमंत्री राहत कोष (बिहार)");
            assert!(cm.prompt && !cm.health_insurance);
            for k in DEFAULT_KEYS {
                assert_eq!(p.scheme(k), Some(&default_of(k)), "{k} kept as it was");
            }
            let prompted: Vec<&str> = p
                .schemes
                .iter()
                .filter(|s| s.prompt)
                .map(|s| s.key.as_str())
                .collect();
            assert_eq!(
                prompted,
                [
                    "victim_compensation",
                    "child_labour_rehabilitation",
                    "health_insurance",
                    "ration_card",
                    "cm_relief_fund"
                ],
                "every default prompt stays, the new scheme's joins"
            );
        });
        // A known key changes only what the entry names.
        check(
            "[[scheme]]\nkey = \"job_card\"\nprompt = true\n",
            &DEFAULT_KEYS,
            |p| {
                let job = p.scheme("job_card").expect("kept");
                assert!(job.prompt, "changed");
                assert_eq!(job.name, default_of("job_card").name, "unnamed keys kept");
                assert_eq!(job.requires, default_of("job_card").requires);
                assert_eq!(job.names, default_of("job_card").names);
            },
        );
        // Names merge by language; a list (requires) is replaced whole.
        check(
            "[[scheme]]\nkey = \"ration_card\"\nnames.mai = \"राशन कार्ड (मैथिली)\"\nrequires = [\"identity_card\", \"bank_account\"]\n",
            &DEFAULT_KEYS,
            |p| {
                let ration = p.scheme("ration_card").expect("kept");
                assert_eq!(
                    ration.name_in("hi"),
                    default_of("ration_card").name_in("hi")
                );
                assert_eq!(ration.name_in("mai"), "राशन कार्ड (मैथिली)");
                assert_eq!(
                    ration.requires,
                    [DocumentKind::IdentityCard, DocumentKind::BankAccount]
                );
            },
        );
        // Removing is explicit.
        check(
            "[[scheme]]\nkey = \"sponsorship\"\nremove = true\n",
            &[
                "victim_compensation",
                "child_labour_rehabilitation",
                "health_insurance",
                "ration_card",
                "job_card",
            ],
            |p| assert!(p.scheme("sponsorship").is_none()),
        );
        // `remove = false` is an ordinary entry.
        check(
            "[[scheme]]\nkey = \"job_card\"\nremove = false\n",
            &DEFAULT_KEYS,
            |p| assert_eq!(p.scheme("job_card"), Some(&default_of("job_card"))),
        );
        // All three in one file, with thresholds beside them.
        check(
            &format!(
                "[visits]\nhigh_days = 5\n\n{CM_RELIEF}\n[[scheme]]\nkey = \"job_card\"\nremove = true\n\n[[scheme]]\nkey = \"victim_compensation\"\nprompt = false\n"
            ),
            &[
                "victim_compensation",
                "child_labour_rehabilitation",
                "health_insurance",
                "ration_card",
                "sponsorship",
                "cm_relief_fund",
            ],
            |p| {
                assert_eq!(p.visits.high_days, 5);
                assert!(!p.scheme("victim_compensation").expect("kept").prompt);
            },
        );
        // A file without schemes keeps the defaults.
        check("[visits]\nhigh_days = 3\n", &DEFAULT_KEYS, |p| {
            assert_eq!(p.schemes, defaults.schemes);
        });
    }

    #[test]
    fn bad_files_are_refused_with_a_message_that_names_the_problem_and_its_line() {
        let cases: [(&str, &str, Option<usize>); 17] = [
            ("[visits]\nhigh_dayz = 3\n", "high_dayz", Some(2)),
            (
                "# tuned for Gaya\n[visits]\nhigh_days = \"often\"\n",
                "high_days = \"often\"",
                Some(3),
            ),
            ("[visit]\nhigh_days = 3\n", "visit", Some(1)),
            ("[visits]\n\nhigh_days = 20\n", "must not shrink", Some(3)),
            (
                "[claims]\nsanction_follow_up_days = 200\n",
                "before its escalation",
                Some(2),
            ),
            ("[visits\n", "programme file, line 1", Some(1)),
            (
                "[unlock]\nwipe_after_failures = 2\n",
                "wipe_after_failures = 2",
                Some(2),
            ),
            (
                "[[scheme]]\nkey=\"a\"\ndimension=\"compensation\"\nname=\"A\"\n[[scheme]]\nkey=\"a\"\ndimension=\"entitlements\"\nname=\"B\"\n",
                "listed twice",
                Some(5),
            ),
            (
                "[[scheme]]\nkey=\"a\"\ndimension=\"compensation\"\nname=\"A\"\nrequires=[\"passport\"]\n",
                "passport",
                Some(5),
            ),
            (
                "[[scheme]]\nkey = \"cm_relief_fund\"\nname = \"CM Relief Fund\"\n",
                "dimension",
                Some(1),
            ),
            (
                "[[scheme]]\nkey = \"job_card\"\nprompts = true\n",
                "prompts",
                Some(3),
            ),
            (
                "\n[[scheme]]\nname = \"No key\"\ndimension = \"compensation\"\n",
                "needs `key",
                Some(2),
            ),
            (
                "[[scheme]]\nkey = \"pm_cares\"\nremove = true\n",
                "cannot be removed",
                Some(1),
            ),
            (
                "[[scheme]]\nkey = \"job_card\"\nremove = true\nprompt = false\n",
                "takes the key alone",
                Some(1),
            ),
            (
                "[[scheme]]\nkey = \"job_card\"\nremove = \"yes\"\n",
                "true or false",
                Some(3),
            ),
            ("scheme = 3\n", "list of [[scheme]]", Some(1)),
            (
                "[education]\nmin_age = 16\n",
                "min_age is above max_age",
                Some(2),
            ),
        ];
        for (text, needle, line) in cases {
            let err = Programme::from_toml(text).expect_err(text);
            assert!(err.to_string().contains(needle), "{text:?} gave {err}");
            assert_eq!(err.line(), line, "{text:?} gave {err}");
            if let Some(n) = line {
                assert!(
                    err.to_string().contains(&format!("line {n}")),
                    "the message names the line: {err}"
                );
            }
        }
    }

    #[test]
    fn the_whole_programme_written_as_toml_reads_back_the_same() {
        let custom = Programme::from_toml(&format!(
            "[visits]\nhigh_days = 4\nphone_counts_as_visit = true\n\n{CM_RELIEF}\n[[scheme]]\nkey = \"sponsorship\"\nremove = true\n"
        ))
        .expect("valid");
        for p in [Programme::default(), custom] {
            let text = p.to_toml();
            assert_eq!(Programme::from_whole_toml(&text), Ok(p.clone()), "{text}");
        }
    }

    #[test]
    fn a_whole_programme_is_not_laid_over_the_defaults() {
        // A removed default scheme stays removed on a device, and a missing key is an error
        // there, not a default of the device's own version.
        let p =
            Programme::from_toml("[[scheme]]\nkey = \"job_card\"\nremove = true\n").expect("valid");
        let back = Programme::from_whole_toml(&p.to_toml()).expect("valid");
        assert!(back.scheme("job_card").is_none());
        let err = Programme::from_whole_toml("[visits]\nhigh_days = 3\n").expect_err("partial");
        assert!(err.to_string().contains("missing field"), "{err}");
        // Whole or laid over, the same checks hold.
        let shrinking = p.to_toml().replace("high_days = 7", "high_days = 40");
        let err = Programme::from_whole_toml(&shrinking).expect_err("shrinks");
        assert!(err.to_string().contains("must not shrink"), "{err}");
    }
}
