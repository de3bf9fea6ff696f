//! The programme file: every threshold of the prompts, the schedule and the risk level.
//!
//! The defaults live in `programme/default.toml`, which documents each key. A programme file
//! given by an NGO is laid over the defaults key by key (a `[[scheme]]` list, when given,
//! replaces the default list whole). Unknown keys are refused, so a typo never silently falls
//! back to a default.

use serde::{Deserialize, Serialize};

use crate::model::{DocumentKind, ServiceDimension};

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
    /// Risk rules.
    pub risk: RiskRules,
    /// The phone's lock.
    pub unlock: Unlock,
    /// Schemes.
    #[serde(rename = "scheme")]
    pub schemes: Vec<Scheme>,
}

/// A programme file that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProgrammeError {
    /// Not TOML, an unknown key, or a value of the wrong type.
    #[error("programme file: {0}")]
    Parse(String),
    /// Values that make no sense together.
    #[error("programme file: {0}")]
    Invalid(String),
}

impl Default for Programme {
    fn default() -> Self {
        // The default file is part of the crate and a test parses it, so this cannot fail.
        Programme::from_toml("").expect("the shipped default programme file is valid")
    }
}

impl Programme {
    /// Reads a programme file laid over the defaults.
    pub fn from_toml(text: &str) -> Result<Programme, ProgrammeError> {
        let parse = |t: &str| {
            t.parse::<toml::Table>()
                .map_err(|e| ProgrammeError::Parse(e.to_string()))
        };
        let mut base = parse(DEFAULT_TOML)?;
        let over = parse(text)?;
        for (key, value) in over {
            match (base.get_mut(&key), value) {
                (Some(toml::Value::Table(b)), toml::Value::Table(o)) => {
                    for (k, v) in o {
                        b.insert(k, v);
                    }
                }
                (_, value) => {
                    base.insert(key, value);
                }
            }
        }
        let programme: Programme = toml::Value::Table(base)
            .try_into()
            .map_err(|e: toml::de::Error| ProgrammeError::Parse(e.to_string()))?;
        programme.validate()?;
        Ok(programme)
    }

    fn validate(&self) -> Result<(), ProgrammeError> {
        let v = &self.visits;
        let bad = |m: String| Err(ProgrammeError::Invalid(m));
        if v.high_days == 0 || v.medium_days == 0 || v.stable_days == 0 || v.stretched_days == 0 {
            return bad("visit intervals must be at least one day".into());
        }
        if !(v.high_days <= v.medium_days && v.medium_days <= v.stable_days) {
            return bad(format!(
                "visit intervals must not shrink as risk falls (high {} <= medium {} <= stable {})",
                v.high_days, v.medium_days, v.stable_days
            ));
        }
        let c = &self.claims;
        if c.sanction_follow_up_days > c.sanction_escalate_days
            || c.payment_follow_up_days > c.payment_escalate_days
        {
            return bad("a claim's follow-up threshold must come before its escalation".into());
        }
        let wipe = self.unlock.wipe_after_failures;
        if wipe != 0 && wipe < MIN_WIPE_AFTER_FAILURES {
            return bad(format!(
                "unlock wipe_after_failures = {wipe} would erase a phone after a few slips: use 0 (never) or at least {MIN_WIPE_AFTER_FAILURES}"
            ));
        }
        if self.education.min_age > self.education.max_age {
            return bad("education min_age is above max_age".into());
        }
        let mut keys: Vec<&str> = self.schemes.iter().map(|s| s.key.as_str()).collect();
        keys.sort_unstable();
        if let Some(w) = keys.windows(2).find(|w| w[0] == w[1]) {
            return bad(format!("scheme '{}' is listed twice", w[0]));
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

    #[test]
    fn a_scheme_list_replaces_the_default_list() {
        let p = Programme::from_toml(
            "[[scheme]]\nkey = \"x\"\ndimension = \"compensation\"\nname = \"X\"\n",
        )
        .expect("valid");
        assert_eq!(p.schemes.len(), 1);
        assert!(p.schemes[0].requires.is_empty());
    }

    #[test]
    fn bad_files_are_refused_with_a_message_that_names_the_problem() {
        let cases = [
            ("[visits]\nhigh_dayz = 3\n", "high_dayz"),
            ("[visits]\nhigh_days = \"often\"\n", "high_days"),
            ("[visits]\nhigh_days = 20\n", "must not shrink"),
            (
                "[claims]\nsanction_follow_up_days = 200\n",
                "before its escalation",
            ),
            ("[visits\n", "programme file"),
            (
                "[[scheme]]\nkey=\"a\"\ndimension=\"compensation\"\nname=\"A\"\n[[scheme]]\nkey=\"a\"\ndimension=\"entitlements\"\nname=\"B\"\n",
                "listed twice",
            ),
            (
                "[[scheme]]\nkey=\"a\"\ndimension=\"compensation\"\nname=\"A\"\nrequires=[\"passport\"]\n",
                "passport",
            ),
        ];
        for (text, needle) in cases {
            let err = Programme::from_toml(text).expect_err(text).to_string();
            assert!(err.contains(needle), "{text:?} gave {err:?}");
        }
    }
}
