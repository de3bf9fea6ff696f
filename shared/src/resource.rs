//! The resource map: the providers in each block that a family can be referred to (livelihood
//! providers, skills training, bridge centres, schools, health facilities, counselling, legal
//! aid, government offices), kept by the Core Team on the server and sent to each device with
//! its reference data for the blocks of its areas.
//!
//! Pure rules over it: which kinds of resource answer which need ([`kinds_for`]), which needs
//! call for outside help ([`calls_for_help`]) and whether help is under way
//! ([`help_under_way`]), who is eligible ([`Resource::serves`]), the
//! resources a case's prompt suggests ([`suggest`]) and the offline search ([`search`], in either
//! script: a Latin query finds a Devanagari name as the duplicate check folds spellings).

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::duplicates::word_key;
use crate::model::{Case, Sex};
use crate::need::{Dimension, Status};
use crate::programme::Programme;

/// The most resources one import or one device's reference data may hold.
pub const MAX_RESOURCES: usize = 20_000;
/// The longest name of a resource, in characters.
pub const MAX_RESOURCE_NAME: usize = 200;
/// The longest free text of a resource (address, contact, what it offers), in characters.
pub const MAX_RESOURCE_TEXT: usize = 1_000;

/// What a resource provides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "kebab-case")]
pub enum ResourceKind {
    /// A livelihood provider (a self-help group federation, an employer, a scheme's office).
    Livelihood,
    /// A skills training centre.
    SkillsTraining,
    /// A special education or bridge centre (a residential bridge course, a KGBV).
    SpecialEducation,
    /// A school.
    School,
    /// A health facility.
    Health,
    /// Counselling.
    Counselling,
    /// Legal aid (the District Legal Services Authority).
    LegalAid,
    /// A government office for a scheme (the block office, the labour department).
    GovernmentOffice,
}

impl ResourceKind {
    /// Every kind, in display order.
    pub const ALL: &'static [ResourceKind] = &[
        ResourceKind::Livelihood,
        ResourceKind::SkillsTraining,
        ResourceKind::SpecialEducation,
        ResourceKind::School,
        ResourceKind::Health,
        ResourceKind::Counselling,
        ResourceKind::LegalAid,
        ResourceKind::GovernmentOffice,
    ];

    /// The stable key used in documents, files and the command line.
    pub fn key(self) -> &'static str {
        match self {
            ResourceKind::Livelihood => "livelihood",
            ResourceKind::SkillsTraining => "skills-training",
            ResourceKind::SpecialEducation => "special-education",
            ResourceKind::School => "school",
            ResourceKind::Health => "health",
            ResourceKind::Counselling => "counselling",
            ResourceKind::LegalAid => "legal-aid",
            ResourceKind::GovernmentOffice => "government-office",
        }
    }
}

impl std::fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

impl std::str::FromStr for ResourceKind {
    type Err = crate::need::UnknownName;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        ResourceKind::ALL
            .iter()
            .copied()
            .find(|k| k.key() == s || k.key().replace('-', "_") == s)
            .ok_or_else(|| crate::need::UnknownName {
                what: "resource kind",
                value: s.to_owned(),
                expected: ResourceKind::ALL.iter().map(|k| k.key()).collect(),
            })
    }
}

/// One provider on the resource map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Resource {
    /// Stable id, given by the server.
    pub id: String,
    /// District.
    pub district: String,
    /// Block (a resource serves the families of its block).
    pub block: String,
    /// What it provides.
    pub kind: ResourceKind,
    /// Its name, as the Core Team writes it (either script).
    pub name: String,
    /// Where it is.
    pub address: Option<String>,
    /// Whom to call or ask for.
    pub contact: Option<String>,
    /// What it offers, in the Core Team's words.
    pub offers: Option<String>,
    /// The youngest age it takes, if it has one.
    pub min_age: Option<u32>,
    /// The oldest age it takes, if it has one.
    pub max_age: Option<u32>,
    /// Only girls or only boys, if so.
    pub sex: Option<Sex>,
    /// Whether it still takes referrals. An inactive resource stays on the map (referrals name
    /// it) but is not suggested.
    pub active: bool,
}

/// Why a resource cannot be put on the map.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidResource {
    /// A required text is empty.
    #[error("{0} must not be empty")]
    Empty(&'static str),
    /// A text longer than its field allows.
    #[error("{what} is longer than {max} characters")]
    TooLong {
        /// The field.
        what: &'static str,
        /// The most characters it takes.
        max: usize,
    },
    /// Ages in the wrong order.
    #[error("the youngest age ({min}) is above the oldest ({max})")]
    Ages {
        /// Youngest.
        min: u32,
        /// Oldest.
        max: u32,
    },
}

impl Resource {
    /// Checks the texts and the ages (the server calls it before storing one).
    pub fn check(&self) -> Result<(), InvalidResource> {
        for (what, text) in [
            ("district", &self.district),
            ("block", &self.block),
            ("name", &self.name),
        ] {
            if text.trim().is_empty() {
                return Err(InvalidResource::Empty(what));
            }
        }
        let long = |what, text: &str, max| {
            if text.chars().count() > max {
                Err(InvalidResource::TooLong { what, max })
            } else {
                Ok(())
            }
        };
        long("district", &self.district, MAX_RESOURCE_NAME)?;
        long("block", &self.block, MAX_RESOURCE_NAME)?;
        long("name", &self.name, MAX_RESOURCE_NAME)?;
        for (what, text) in [
            ("address", &self.address),
            ("contact", &self.contact),
            ("offers", &self.offers),
        ] {
            long(what, text.as_deref().unwrap_or_default(), MAX_RESOURCE_TEXT)?;
        }
        if let (Some(min), Some(max)) = (self.min_age, self.max_age)
            && min > max
        {
            return Err(InvalidResource::Ages { min, max });
        }
        Ok(())
    }

    /// Whether it takes a child of this age and sex (no limit set: everyone).
    pub fn serves(&self, age: u32, sex: Sex) -> bool {
        self.min_age.is_none_or(|m| age >= m)
            && self.max_age.is_none_or(|m| age <= m)
            && self.sex.is_none_or(|s| s == sex)
    }

    /// Whether it is in this place (district and block compared as the duplicate check compares
    /// places: "Bodh Gaya" is "Bodhgaya").
    pub fn is_in(&self, district: &str, block: &str) -> bool {
        crate::duplicates::same_place(&self.district, district)
            && crate::duplicates::same_place(&self.block, block)
    }
}

/// The kinds of resource that answer a need, most direct first.
pub fn kinds_for(dimension: Dimension) -> &'static [ResourceKind] {
    match dimension {
        Dimension::Education => &[ResourceKind::School, ResourceKind::SpecialEducation],
        Dimension::Livelihood => &[ResourceKind::Livelihood, ResourceKind::SkillsTraining],
        Dimension::Health => &[ResourceKind::Health, ResourceKind::Counselling],
        Dimension::Legal => &[ResourceKind::LegalAid],
        Dimension::Compensation => &[ResourceKind::LegalAid, ResourceKind::GovernmentOffice],
        Dimension::Entitlements | Dimension::Documents => &[ResourceKind::GovernmentOffice],
    }
}

/// The needs of a case that call for outside help on `today`: livelihood "needs support",
/// education for a child of school age out of school (not enrolled or dropped out), health
/// "needs care" (treatment or counselling). These are the needs whose prompts suggest the
/// block's resources while no referral for them is open, and whose children the gaps page
/// counts where the block has no active resource of a kind that answers them.
pub fn calls_for_help(case: &Case, today: NaiveDate, programme: &Programme) -> Vec<Dimension> {
    let age = case.age_on(today);
    let school_age = (programme.education.min_age..=programme.education.max_age).contains(&age);
    let mut out = Vec::new();
    if school_age
        && matches!(
            case.need(Dimension::Education).status,
            Status::NotEnrolled | Status::DroppedOut
        )
    {
        out.push(Dimension::Education);
    }
    if case.need(Dimension::Livelihood).status == Status::NeedsSupport {
        out.push(Dimension::Livelihood);
    }
    if case.need(Dimension::Health).status == Status::NeedsCare {
        out.push(Dimension::Health);
    }
    out
}

/// Whether help for `dimension` is under way on `today`: a referral for it still waits for an
/// outcome, or one was served since the need's status was last recorded (the help was given;
/// what is left is to record the need's new status at the next visit, not to look for help
/// again). A status recorded after the service (still "needs support" on a later visit) asks
/// for help again.
pub fn help_under_way(case: &Case, dimension: Dimension, today: NaiveDate) -> bool {
    let since = case
        .need(dimension)
        .history
        .iter()
        .map(|h| h.on)
        .filter(|on| *on <= today)
        .max();
    case.referrals
        .iter()
        .filter(|r| r.dimension == dimension)
        .any(|r| {
            r.open_on(today)
                || r.reached(crate::model::ReferralState::Served)
                    .is_some_and(|served| served <= today && since.is_none_or(|s| served >= s))
        })
}

/// The active resources of the child's block that answer `dimension` and take this child (age
/// and sex on `today`), the most direct kind first ([`kinds_for`]), then by name. Livelihood
/// support is for the family (most often an adult of it), so the child's own age and sex rule
/// no livelihood provider out.
pub fn suggest<'a>(
    resources: &'a [Resource],
    case: &Case,
    dimension: Dimension,
    today: NaiveDate,
) -> Vec<&'a Resource> {
    let kinds = kinds_for(dimension);
    let address = &case.child.address;
    let age = case.age_on(today);
    let for_the_child = dimension != Dimension::Livelihood;
    let mut out: Vec<&Resource> = resources
        .iter()
        .filter(|r| {
            r.active
                && kinds.contains(&r.kind)
                && r.is_in(&address.district, &address.block)
                && (!for_the_child || r.serves(age, case.child.sex))
        })
        .collect();
    let rank = |r: &Resource| kinds.iter().position(|k| *k == r.kind);
    out.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| by_name(a, b)));
    out
}

fn by_name(a: &Resource, b: &Resource) -> Ordering {
    a.name
        .to_lowercase()
        .cmp(&b.name.to_lowercase())
        .then_with(|| a.id.cmp(&b.id))
}

/// What an offline search of the map asks for; an empty field asks nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ResourceQuery {
    /// Words of the name, the address or what it offers, in either script.
    pub text: Option<String>,
    /// A block (compared as places are).
    pub block: Option<String>,
    /// A kind.
    pub kind: Option<ResourceKind>,
    /// A need: the kinds that answer it ([`kinds_for`]).
    pub need: Option<Dimension>,
    /// Include inactive resources.
    #[serde(default)]
    pub include_inactive: bool,
}

/// The resources that match every part of the query, by block, kind, then name. A word of the
/// text matches a word of the name, address, contact or offers that starts with it after the
/// duplicate check's folding (so "jivika" finds "Jeevika" and "जीविका").
pub fn search<'a>(resources: &'a [Resource], query: &ResourceQuery) -> Vec<&'a Resource> {
    let wanted: Vec<String> = query
        .text
        .as_deref()
        .unwrap_or_default()
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(word_key)
        .filter(|k| !k.is_empty())
        .collect();
    let mut out: Vec<&Resource> = resources
        .iter()
        .filter(|r| query.include_inactive || r.active)
        .filter(|r| query.kind.is_none_or(|k| r.kind == k))
        .filter(|r| query.need.is_none_or(|d| kinds_for(d).contains(&r.kind)))
        .filter(|r| {
            query
                .block
                .as_deref()
                .filter(|b| !b.trim().is_empty())
                .is_none_or(|b| crate::duplicates::same_place(&r.block, b))
        })
        .filter(|r| {
            if wanted.is_empty() {
                return true;
            }
            let keys: Vec<String> = [
                Some(r.name.as_str()),
                r.address.as_deref(),
                r.contact.as_deref(),
                r.offers.as_deref(),
            ]
            .into_iter()
            .flatten()
            .flat_map(|t| t.split(|c: char| !c.is_alphanumeric() && !is_mark(c)))
            .map(word_key)
            .filter(|k| !k.is_empty())
            .collect();
            wanted.iter().all(|w| {
                let w = loose(w);
                keys.iter()
                    .any(|k| k.starts_with(w) || loose(k).starts_with(w))
            })
        })
        .collect();
    out.sort_by(|a, b| {
        place_key(&a.block)
            .cmp(&place_key(&b.block))
            .then(a.kind.cmp(&b.kind))
            .then_with(|| by_name(a, b))
    });
    out
}

/// A word's key without a final i or y: the key of a Latin spelling and of a Devanagari one can
/// differ there ("swasthya" folds to "sbasty", "स्वास्थ्य" to "sbasti"), and a search word should
/// find both.
fn loose(key: &str) -> &str {
    if key.chars().count() > 3 {
        key.trim_end_matches(['i', 'y'])
    } else {
        key
    }
}

/// A place's name lowercase with its spaces and hyphens taken out, for sorting ("Bodh Gaya" and
/// "Bodhgaya" sort as one block, in alphabetical order).
fn place_key(place: &str) -> String {
    place
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect()
}

/// Devanagari vowel signs and viramas are not alphanumeric for `char`, but belong to the word.
fn is_mark(c: char) -> bool {
    ('\u{0900}'..='\u{0903}').contains(&c)
        || ('\u{093A}'..='\u{094F}').contains(&c)
        || ('\u{0951}'..='\u{0957}').contains(&c)
        || ('\u{0962}'..='\u{0963}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(id: &str, block: &str, kind: ResourceKind, name: &str) -> Resource {
        Resource {
            id: id.into(),
            district: "Gaya".into(),
            block: block.into(),
            kind,
            name: name.into(),
            address: None,
            contact: None,
            offers: None,
            min_age: None,
            max_age: None,
            sex: None,
            active: true,
        }
    }

    fn map() -> Vec<Resource> {
        let mut girls = resource("r4", "Bodh Gaya", ResourceKind::SpecialEducation, "KGBV");
        girls.sex = Some(Sex::Female);
        girls.min_age = Some(10);
        girls.max_age = Some(14);
        let mut closed = resource("r5", "Bodh Gaya", ResourceKind::Livelihood, "Old SHG");
        closed.active = false;
        let mut offers = resource(
            "r6",
            "Wazirganj",
            ResourceKind::Livelihood,
            "जीविका ग्राम संगठन",
        );
        offers.offers = Some("tailoring, goat rearing".into());
        vec![
            resource("r1", "Bodhgaya", ResourceKind::SkillsTraining, "ITI Gaya"),
            resource("r2", "Bodh Gaya", ResourceKind::Livelihood, "Jeevika VO"),
            resource("r3", "Wazirganj", ResourceKind::Livelihood, "Jeevika VO"),
            girls,
            closed,
            offers,
            resource("r7", "Bodh Gaya", ResourceKind::School, "Middle school"),
        ]
    }

    fn ids(found: Vec<&Resource>) -> Vec<&str> {
        found.into_iter().map(|r| r.id.as_str()).collect()
    }

    #[test]
    fn each_need_is_answered_by_the_kinds_that_give_that_help() {
        for (dimension, kinds) in [
            (
                Dimension::Livelihood,
                &[ResourceKind::Livelihood, ResourceKind::SkillsTraining][..],
            ),
            (
                Dimension::Education,
                &[ResourceKind::School, ResourceKind::SpecialEducation],
            ),
            (
                Dimension::Health,
                &[ResourceKind::Health, ResourceKind::Counselling],
            ),
            (Dimension::Legal, &[ResourceKind::LegalAid]),
            (Dimension::Entitlements, &[ResourceKind::GovernmentOffice]),
        ] {
            assert_eq!(kinds_for(dimension), kinds, "{dimension}");
        }
        // Every kind answers some need: none is on the map for nothing.
        for k in ResourceKind::ALL {
            assert!(
                Dimension::ALL.iter().any(|d| kinds_for(*d).contains(k)),
                "{k}"
            );
        }
    }

    #[test]
    fn the_search_finds_by_block_kind_need_and_words_in_either_script() {
        let m = map();
        let q = |text: &str, block: &str, kind, need| ResourceQuery {
            text: Some(text.into()),
            block: Some(block.into()),
            kind,
            need,
            include_inactive: false,
        };
        // Blocks compare as places; inactive resources stay out unless asked for.
        assert_eq!(
            ids(search(&m, &q("", "bodhgaya", None, None))),
            ["r2", "r1", "r4", "r7"]
        );
        let mut all = q("", "Bodh Gaya", None, None);
        all.include_inactive = true;
        assert_eq!(ids(search(&m, &all)), ["r2", "r5", "r1", "r4", "r7"]);
        // A need asks for the kinds that answer it.
        assert_eq!(
            ids(search(&m, &q("", "", None, Some(Dimension::Livelihood)))),
            ["r2", "r1", "r3", "r6"]
        );
        assert_eq!(
            ids(search(&m, &q("", "", Some(ResourceKind::School), None))),
            ["r7"]
        );
        // Words fold spellings and scripts, and match the beginning of a word.
        assert_eq!(
            ids(search(&m, &q("jivika", "", None, None))),
            ["r2", "r3", "r6"]
        );
        assert_eq!(
            ids(search(&m, &q("जीविका", "wazirganj", None, None))),
            ["r3", "r6"]
        );
        assert_eq!(ids(search(&m, &q("goat", "", None, None))), ["r6"]);
        // A Latin spelling finds a Devanagari name whose key ends otherwise (found in the app:
        // "swasthya" did not find "स्वास्थ्य").
        let mut phc = m.clone();
        phc.push(resource(
            "r8",
            "Bodh Gaya",
            ResourceKind::Health,
            "प्राथमिक स्वास्थ्य केंद्र",
        ));
        assert_eq!(ids(search(&phc, &q("swasthya", "", None, None))), ["r8"]);
        assert_eq!(
            ids(search(&phc, &q("swasthy kendra", "", None, None))),
            ["r8"]
        );
        assert!(search(&m, &q("jeevika tailoring", "bodh gaya", None, None)).is_empty());
    }

    #[test]
    fn eligibility_limits_who_a_resource_serves() {
        let m = map();
        let girls = &m[3];
        assert!(girls.serves(12, Sex::Female));
        assert!(!girls.serves(12, Sex::Male));
        assert!(!girls.serves(9, Sex::Female));
        assert!(!girls.serves(15, Sex::Female));
        assert!(m[0].serves(3, Sex::Other), "no limits: everyone");
    }

    #[test]
    fn a_resource_is_checked_before_it_is_stored() {
        let mut r = resource("r1", "Bodh Gaya", ResourceKind::School, "Middle school");
        assert_eq!(r.check(), Ok(()));
        r.name = "  ".into();
        assert_eq!(r.check(), Err(InvalidResource::Empty("name")));
        r.name = "x".repeat(MAX_RESOURCE_NAME + 1);
        assert!(matches!(r.check(), Err(InvalidResource::TooLong { .. })));
        r.name = "School".into();
        r.min_age = Some(15);
        r.max_age = Some(10);
        assert_eq!(r.check(), Err(InvalidResource::Ages { min: 15, max: 10 }));
    }

    #[test]
    fn kinds_read_their_keys_and_snake_case() {
        for k in ResourceKind::ALL {
            assert_eq!(k.key().parse::<ResourceKind>(), Ok(*k));
        }
        assert_eq!(
            "legal_aid".parse::<ResourceKind>(),
            Ok(ResourceKind::LegalAid)
        );
        assert!("ngo".parse::<ResourceKind>().is_err());
    }
}
