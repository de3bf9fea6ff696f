//! The monthly spot check: a sample of the visits each fieldworker reported in a month, for a
//! supervisor to verify with the family, and the discrepancy rate of the verified sample.
//!
//! Only visits that can be verified at the door are drawn: visits dated in the month, of any kind
//! but a phone call (an initial assessment counts). Every anomaly is computed over those visits
//! of the same fieldworker in the same month, so a fieldworker's sample depends on nothing but
//! their own visits, the month and the seed.
//!
//! The sample leans toward anomalies ([`Anomaly`]): visits carrying the most flags come first,
//! then other flagged visits, then unflagged visits picked at random. The random order comes
//! from the seed passed in (the caller draws and keeps it), so a draw can be repeated exactly:
//! the same cases, month and seed give the same sample, whatever order the cases come in.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use fastrand::Rng;
use serde::{Deserialize, Serialize};

use crate::indicators::Month;
use crate::model::{Author, Case, Visit, VisitKind, field_date};

/// The thresholds of the spot check. [`SpotCheckRules::default`] gives the programme's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpotCheckRules {
    /// The share of a fieldworker's visits drawn, in percent, rounded up (default 10).
    pub share_percent: u32,
    /// The fewest visits drawn per fieldworker, when they have that many (default 2).
    pub min_sample: u32,
    /// [`Anomaly::ManyPlacesOneDay`]: the fewest different villages visited on one day
    /// (default 3)...
    pub many_places_villages: u32,
    /// ...spread over at least this many different blocks (default 2). We hold no coordinates:
    /// villages in different blocks stand for places far apart.
    pub many_places_blocks: u32,
    /// [`Anomaly::RecordedLate`]: a visit recorded more than this many days after its date
    /// (India dates) is flagged (default 7).
    pub late_after_days: u32,
    /// [`Anomaly::IdenticalNote`]: notes shorter than this many characters, once normalised, are
    /// never compared ("all well" is a fair note to repeat) (default 15).
    pub min_note_chars: u32,
}

impl Default for SpotCheckRules {
    fn default() -> Self {
        SpotCheckRules {
            share_percent: 10,
            min_sample: 2,
            many_places_villages: 3,
            many_places_blocks: 2,
            late_after_days: 7,
            min_note_chars: 15,
        }
    }
}

impl SpotCheckRules {
    /// How many of a fieldworker's `visits` in the month are drawn: the larger of
    /// [`min_sample`](Self::min_sample) and [`share_percent`](Self::share_percent) of them
    /// rounded up, but never more than there are (1 visit: 1; 5: 2; 35: 4).
    pub fn sample_size(&self, visits: usize) -> usize {
        let share = visits
            .saturating_mul(usize::try_from(self.share_percent).unwrap_or(usize::MAX))
            .div_ceil(100);
        let min = usize::try_from(self.min_sample).unwrap_or(usize::MAX);
        share.max(min).min(visits)
    }
}

/// Something about a visit that makes it worth checking first, with the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
// Externally tagged (`{"recorded_late": {"days": 9}}`): postcard carries it to phones too.
#[serde(rename_all = "snake_case")]
pub enum Anomaly {
    /// The fieldworker reported visits on the visit's date in at least
    /// [`SpotCheckRules::many_places_villages`] villages spread over at least
    /// [`SpotCheckRules::many_places_blocks`] blocks. Every visit of that day is flagged.
    ManyPlacesOneDay {
        /// Different villages visited that day (a village is its district, block and name).
        villages: u32,
        /// Different blocks visited that day.
        blocks: u32,
    },
    /// The visit was recorded more than [`SpotCheckRules::late_after_days`] days after its date.
    RecordedLate {
        /// Days from the visit's date to the India date it was recorded on.
        days: u32,
    },
    /// The fieldworker wrote the same note (trimmed, ignoring case and runs of white space) on
    /// several visits in the month, on one case or several.
    IdenticalNote {
        /// Visits in the month carrying this note, this one included.
        visits: u32,
        /// Different cases among those visits.
        cases: u32,
    },
}

/// Why a visit was drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChosenFor {
    /// It carries at least one anomaly.
    Anomaly,
    /// A random pick among the visits with none.
    Random,
}

/// One visit drawn for a supervisor to verify with the family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpotCheckDraw {
    /// The case.
    pub case_id: String,
    /// The visit.
    pub visit_id: String,
    /// The day of the visit.
    pub date: NaiveDate,
    /// The kind of visit (never a phone call).
    pub kind: VisitKind,
    /// The fieldworker's user id.
    pub fieldworker_id: String,
    /// The fieldworker's name as recorded on the visit.
    pub fieldworker_name: String,
    /// The family's district.
    pub district: String,
    /// The family's block.
    pub block: String,
    /// The family's village.
    pub village: String,
    /// Every anomaly found on the visit, in the order of [`Anomaly`]'s variants.
    pub anomalies: Vec<Anomaly>,
    /// Why it was drawn: [`ChosenFor::Anomaly`] exactly when `anomalies` is not empty.
    pub chosen_for: ChosenFor,
}

/// One fieldworker's sample for the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldworkerSample {
    /// The fieldworker (the name from their most recently recorded visit of the month).
    pub fieldworker: Author,
    /// Their visits in the month that could be drawn (no phone calls).
    pub visits: u32,
    /// How many of those carry an anomaly.
    pub flagged: u32,
    /// The visits drawn, in the order they were chosen: most anomalies first.
    /// Its length is [`SpotCheckRules::sample_size`] of `visits`.
    pub draws: Vec<SpotCheckDraw>,
}

/// Draws the spot-check sample of `month` from `cases`: one entry per fieldworker with at least
/// one visit that can be drawn, ordered by user id. A visit counts when it is dated in the month
/// and is not a phone call; which case it belongs to and whether that case is still active do
/// not matter. A visit whose case and visit ids both appear twice in `cases` counts once.
///
/// The random order is derived from `seed`, the month and the fieldworker's id, so one seed gives
/// every fieldworker an independent order and the result does not depend on the order of
/// `cases` or of their visits. A visit recorded after the draw is not in it: draw a month once
/// its late records have had time to sync.
pub fn draw(
    cases: &[Case],
    month: Month,
    seed: u64,
    rules: &SpotCheckRules,
) -> Vec<FieldworkerSample> {
    let mut by_worker: BTreeMap<&str, Vec<Candidate<'_>>> = BTreeMap::new();
    for case in cases {
        for visit in &case.visits {
            if visit.kind != VisitKind::Phone && month.contains(visit.date) {
                by_worker
                    .entry(visit.by.user_id.as_str())
                    .or_default()
                    .push(Candidate { case, visit });
            }
        }
    }
    by_worker
        .into_iter()
        .map(|(user_id, mut visits)| {
            visits.sort_by(|a, b| a.key().cmp(&b.key()));
            visits.dedup_by(|a, b| a.key() == b.key());
            let mut rng = Rng::with_seed(stream_seed(seed, month, user_id));
            sample_one(&visits, rules, &mut rng)
        })
        .collect()
}

/// A visit that can be drawn, with its case.
#[derive(Clone, Copy)]
struct Candidate<'a> {
    case: &'a Case,
    visit: &'a Visit,
}

impl<'a> Candidate<'a> {
    fn key(&self) -> (&'a str, &'a str) {
        (self.case.id.as_str(), self.visit.id.as_str())
    }

    /// The village as a place: district, block and village name, ignoring case and spacing.
    fn place(&self) -> (String, String, String) {
        let a = &self.case.child.address;
        (
            normalise(&a.district),
            normalise(&a.block),
            normalise(&a.village),
        )
    }
}

/// One fieldworker's sample from their candidates, sorted by case and visit id.
fn sample_one(
    visits: &[Candidate<'_>],
    rules: &SpotCheckRules,
    rng: &mut Rng,
) -> FieldworkerSample {
    let flags = anomalies(visits, rules);
    let mut order: Vec<usize> = (0..visits.len()).collect();
    rng.shuffle(&mut order);
    // Stable: the seeded order stays within each number of anomalies.
    order.sort_by_key(|&i| std::cmp::Reverse(flags[i].len()));
    order.truncate(rules.sample_size(visits.len()));

    let draws = order
        .into_iter()
        .map(|i| {
            let Candidate { case, visit } = visits[i];
            let address = &case.child.address;
            let anomalies = flags[i].clone();
            SpotCheckDraw {
                case_id: case.id.clone(),
                visit_id: visit.id.clone(),
                date: visit.date,
                kind: visit.kind,
                fieldworker_id: visit.by.user_id.clone(),
                fieldworker_name: visit.by.name.clone(),
                district: address.district.clone(),
                block: address.block.clone(),
                village: address.village.clone(),
                chosen_for: if anomalies.is_empty() {
                    ChosenFor::Random
                } else {
                    ChosenFor::Anomaly
                },
                anomalies,
            }
        })
        .collect();
    let fieldworker = visits
        .iter()
        .max_by_key(|c| c.visit.recorded_at)
        .map(|c| c.visit.by.clone())
        .unwrap_or_else(|| Author {
            user_id: String::new(),
            name: String::new(),
        });
    FieldworkerSample {
        fieldworker,
        visits: count(visits.len()),
        flagged: count(flags.iter().filter(|f| !f.is_empty()).count()),
        draws,
    }
}

/// The anomalies of each of one fieldworker's visits in the month, by index.
fn anomalies(visits: &[Candidate<'_>], rules: &SpotCheckRules) -> Vec<Vec<Anomaly>> {
    type Places = (
        BTreeSet<(String, String, String)>,
        BTreeSet<(String, String)>,
    );
    let mut days: BTreeMap<NaiveDate, Places> = BTreeMap::new();
    for c in visits {
        let (district, block, village) = c.place();
        let (villages, blocks) = days.entry(c.visit.date).or_default();
        blocks.insert((district.clone(), block.clone()));
        villages.insert((district, block, village));
    }

    let note_of = |c: &Candidate<'_>| {
        c.visit
            .note
            .as_deref()
            .map(normalise)
            .filter(|n| n.chars().count() >= usize::try_from(rules.min_note_chars).unwrap_or(0))
    };
    let mut notes: BTreeMap<String, (u32, BTreeSet<&str>)> = BTreeMap::new();
    for c in visits {
        if let Some(note) = note_of(c) {
            let (n, cases) = notes.entry(note).or_default();
            *n += 1;
            cases.insert(c.case.id.as_str());
        }
    }

    visits
        .iter()
        .map(|c| {
            let mut found = Vec::new();
            if let Some((villages, blocks)) = days.get(&c.visit.date) {
                let (villages, blocks) = (count(villages.len()), count(blocks.len()));
                if villages >= rules.many_places_villages && blocks >= rules.many_places_blocks {
                    found.push(Anomaly::ManyPlacesOneDay { villages, blocks });
                }
            }
            let late = (field_date(c.visit.recorded_at) - c.visit.date).num_days();
            if late > i64::from(rules.late_after_days) {
                found.push(Anomaly::RecordedLate {
                    days: u32::try_from(late).unwrap_or(u32::MAX),
                });
            }
            if let Some((visits, cases)) = note_of(c).and_then(|n| notes.get(&n))
                && *visits >= 2
            {
                found.push(Anomaly::IdenticalNote {
                    visits: *visits,
                    cases: count(cases.len()),
                });
            }
            found
        })
        .collect()
}

/// Trimmed, lower case, every run of white space one space.
fn normalise(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The seed of one fieldworker's random order: the caller's seed mixed with the month and the
/// user id (FNV-1a, then a SplitMix64 finaliser), stable across Rust releases and platforms.
fn stream_seed(seed: u64, month: Month, user_id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let month = format!("{month}");
    for byte in month.bytes().chain([0]).chain(user_id.bytes()) {
        h ^= u64::from(byte);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut z = seed ^ h;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// What the supervisor found when checking a drawn visit with the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The family confirms the visit as reported.
    Verified,
    /// The visit did not happen as reported (not at all, another day, less than recorded).
    HasIssues,
    /// The family could not be reached or could not say; the visit counts neither way.
    CouldNotVerify,
}

/// The outcomes of the spot checks of one fieldworker in one month (or any group of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Discrepancy {
    /// Visits confirmed.
    pub verified: u32,
    /// Visits with issues.
    pub has_issues: u32,
    /// Visits that could not be verified, reported beside the rate and left out of it.
    pub could_not_verify: u32,
}

impl Discrepancy {
    /// The tally of `outcomes`.
    pub fn of(outcomes: impl IntoIterator<Item = Outcome>) -> Discrepancy {
        let mut d = Discrepancy::default();
        for o in outcomes {
            d.add(o);
        }
        d
    }

    /// Counts one more outcome.
    pub fn add(&mut self, outcome: Outcome) {
        let n = match outcome {
            Outcome::Verified => &mut self.verified,
            Outcome::HasIssues => &mut self.has_issues,
            Outcome::CouldNotVerify => &mut self.could_not_verify,
        };
        *n = n.saturating_add(1);
    }

    /// Visits actually checked: verified or with issues.
    pub fn checked(&self) -> u32 {
        self.verified.saturating_add(self.has_issues)
    }

    /// The discrepancy rate: visits with issues over visits checked
    /// (`has_issues / (verified + has_issues)`), between 0 and 1. Visits that could not be
    /// verified are in neither part. `None` when no visit was checked.
    pub fn rate(&self) -> Option<f64> {
        let checked = self.checked();
        (checked > 0).then(|| f64::from(self.has_issues) / f64::from(checked))
    }
}

/// One fieldworker's spot-check outcomes over one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscrepancyRow {
    /// The fieldworker's user id.
    pub fieldworker_id: String,
    /// The month of the visits checked.
    pub month: Month,
    /// The counts; [`Discrepancy::rate`] gives the rate.
    pub counts: Discrepancy,
}

/// The outcomes of checked visits, given as (fieldworker id, month of the visit, outcome),
/// tallied per fieldworker and month, ordered by fieldworker id then month.
pub fn discrepancies<'a>(
    outcomes: impl IntoIterator<Item = (&'a str, Month, Outcome)>,
) -> Vec<DiscrepancyRow> {
    let mut rows: BTreeMap<(&str, Month), Discrepancy> = BTreeMap::new();
    for (fieldworker, month, outcome) in outcomes {
        rows.entry((fieldworker, month)).or_default().add(outcome);
    }
    rows.into_iter()
        .map(|((fieldworker_id, month), counts)| DiscrepancyRow {
            fieldworker_id: fieldworker_id.to_owned(),
            month,
            counts,
        })
        .collect()
}
