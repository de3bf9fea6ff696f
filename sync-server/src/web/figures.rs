//! The dashboard's figures as pure functions of cases, a day and the programme: the overview's
//! rows per block, the charts' series and the caseload's rows and filters. No store, no clock,
//! no HTML: the pages load the cases, call these, and render what they return, so the numbers
//! are tested here without a server.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use homeward_shared::duplicates::{same_place, word_key};
use homeward_shared::indicators::Month;
use homeward_shared::model::{Case, CaseState, Risk};
use homeward_shared::programme::Programme;
use homeward_shared::prompt;

/// One block's line of the overview.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BlockFigures {
    /// Active cases.
    pub active: u32,
    /// Active cases at high risk today.
    pub high: u32,
    /// At medium risk.
    pub medium: u32,
    /// Stable.
    pub stable: u32,
    /// Visits (and calls) recorded on days of the month.
    pub visits: u32,
    /// Cases due a visit in the month: active when it began, and their schedule as it stood
    /// then asked for a visit by its end (or their assessment was still to do).
    pub due: u32,
    /// Of those, the ones visited in the month.
    pub due_visited: u32,
}

/// The overview per (district, block), in alphabetical order, for `day`'s month.
pub fn overview(
    cases: &[Case],
    day: NaiveDate,
    programme: &Programme,
) -> BTreeMap<(String, String), BlockFigures> {
    let mut tally = Tally::new(day, programme);
    cases.iter().for_each(|c| tally.add(c));
    tally.rows
}

/// Active cases per district by the risk in force on `day`: `[high, medium, stable]`, districts
/// in alphabetical order.
pub fn risk_by_district(
    cases: &[Case],
    day: NaiveDate,
    programme: &Programme,
) -> Vec<(String, [u32; 3])> {
    let mut tally = Tally::new(day, programme);
    cases.iter().for_each(|c| tally.add(c));
    tally.risk.into_iter().collect()
}

/// Visits per fieldworker (id, name) in each of the last four weeks up to `day`, this week
/// (`day` and the six days before it) first; fieldworkers with no visit in them are left out.
pub fn visits_by_week(cases: &[Case], day: NaiveDate) -> BTreeMap<(String, String), [u32; 4]> {
    let programme = Programme::default();
    let mut tally = Tally::new(day, &programme);
    cases.iter().for_each(|c| tally.add(c));
    tally.activity
}

/// The overview's and the charts' figures, added up one case at a time: a page streams a
/// region's cases through [`Tally::add`] and never holds more than one of them.
#[derive(Debug, Clone)]
pub struct Tally<'p> {
    day: NaiveDate,
    programme: &'p Programme,
    /// [`overview`]'s rows.
    pub rows: BTreeMap<(String, String), BlockFigures>,
    /// [`risk_by_district`]'s counts, by district.
    pub risk: BTreeMap<String, [u32; 3]>,
    /// [`visits_by_week`]'s weeks.
    pub activity: BTreeMap<(String, String), [u32; 4]>,
    /// The districts of the cases seen.
    pub districts: std::collections::BTreeSet<String>,
}

impl<'p> Tally<'p> {
    /// Nothing counted yet, for `day` under `programme`.
    pub fn new(day: NaiveDate, programme: &'p Programme) -> Tally<'p> {
        Tally {
            day,
            programme,
            rows: BTreeMap::new(),
            risk: BTreeMap::new(),
            activity: BTreeMap::new(),
            districts: std::collections::BTreeSet::new(),
        }
    }

    /// Counts one case.
    pub fn add(&mut self, c: &Case) {
        self.add_outline(&Outline::of(c, self.day, self.programme));
    }

    /// Counts one case by its outline for this tally's day and programme.
    pub fn add_outline(&mut self, o: &Outline) {
        let row = &o.row;
        if !self.districts.contains(&row.district) {
            self.districts.insert(row.district.clone());
        }
        for (who, weeks) in &o.activity {
            let total = self.activity.entry(who.clone()).or_default();
            for (t, n) in total.iter_mut().zip(weeks) {
                *t += n;
            }
        }
        if let Some(risk) = row.risk {
            self.risk.entry(row.district.clone()).or_default()[match risk {
                Risk::High => 0,
                Risk::Medium => 1,
                Risk::Stable => 2,
            }] += 1;
        }
        if o.merged {
            return;
        }
        let r = self
            .rows
            .entry((row.district.clone(), row.block.clone()))
            .or_default();
        if let Some(risk) = row.risk {
            r.active += 1;
            match risk {
                Risk::High => r.high += 1,
                Risk::Medium => r.medium += 1,
                Risk::Stable => r.stable += 1,
            }
        }
        r.visits += o.in_month;
        if o.due {
            r.due += 1;
            r.due_visited += u32::from(o.in_month > 0);
        }
    }
}

/// What the region's pages use of one case on one day under one programme: the overview's
/// counts, the caseload's row and what a search looks in. [`Outline::of`] computes it from the
/// case by the pure rules; the server keeps outlines between pages (`crate::outlines`), so a
/// district's pages decode a case again only when it changed, the day turned or the programme
/// was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    /// The caseload's row, without the fieldworker (who follows a case is looked up per page).
    pub row: CaseRow,
    /// The child's other names (a search looks in them).
    pub other_names: Vec<String>,
    /// Merged into another case: the overview's rows leave it out.
    pub merged: bool,
    /// Visits on days of the month.
    pub in_month: u32,
    /// Due a visit in the month: active when it began, and the schedule as it stood then asked
    /// for a visit by its end (or the assessment was still to do).
    pub due: bool,
    /// Visits per fieldworker (id, name) in each of the four weeks up to the day, that week first.
    pub activity: Vec<((String, String), [u32; 4])>,
}

impl Outline {
    /// The outline of `case` on `day` under `programme`.
    pub fn of(case: &Case, day: NaiveDate, programme: &Programme) -> Outline {
        let month = Month::of(day);
        let before = month.first_day().pred_opt().unwrap_or(month.first_day());
        let mut activity: Vec<((String, String), [u32; 4])> = Vec::new();
        for v in &case.visits {
            let age = (day - v.date).num_days();
            if (0..28).contains(&age) {
                let week = usize::try_from(age / 7).unwrap_or(0);
                let who = (v.by.user_id.clone(), v.by.name.clone());
                match activity.iter_mut().find(|(w, _)| *w == who) {
                    Some((_, weeks)) => weeks[week] += 1,
                    None => {
                        let mut weeks = [0; 4];
                        weeks[week] = 1;
                        activity.push((who, weeks));
                    }
                }
            }
        }
        let in_month = case
            .visits
            .iter()
            .filter(|v| month.contains(v.date))
            .count();
        let returned = case.rescue.returned_on;
        let due = returned <= month.last_day() && {
            let past = case.as_of(before);
            (past.is_active() || returned > before)
                && prompt::next_visit(&past, before, programme)
                    .map_or(past.assessed_on().is_none(), |n| n.due <= month.last_day())
        };
        Outline {
            row: case_row(case, None, day, programme),
            other_names: case.child.other_names.clone(),
            merged: case.status.merged_into.is_some(),
            in_month: u32::try_from(in_month).unwrap_or(u32::MAX),
            due,
            activity,
        }
    }
}

/// A case as the caseload lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRow {
    /// The case id.
    pub id: String,
    /// The child's name.
    pub name: String,
    /// Village, block, district.
    pub village: String,
    /// Block.
    pub block: String,
    /// District.
    pub district: String,
    /// Who follows the child (user id, name), if anyone.
    pub fieldworker: Option<(String, String)>,
    /// The risk in force (for an active case).
    pub risk: Option<Risk>,
    /// Where the case stands.
    pub state: CaseState,
    /// The next visit's due day (an active case).
    pub next_visit: Option<NaiveDate>,
    /// Whether that day has passed.
    pub overdue: bool,
    /// Days the oldest pending claim has waited since it was applied for.
    pub oldest_claim_days: Option<i64>,
    /// The last visit's day.
    pub last_visit: Option<NaiveDate>,
}

/// The caseload's row of `case` on `day`.
pub fn case_row(
    case: &Case,
    fieldworker: Option<(String, String)>,
    day: NaiveDate,
    programme: &Programme,
) -> CaseRow {
    let active = case.is_active();
    let next = active
        .then(|| prompt::next_visit(case, day, programme))
        .flatten()
        .map(|n| n.due);
    let oldest_claim_days = case
        .services
        .iter()
        .filter_map(|s| s.pending_on(day).map(|(_, _, days)| days))
        .max();
    let a = &case.child.address;
    CaseRow {
        id: case.id.clone(),
        name: case.child.name.clone(),
        village: a.village.clone(),
        block: a.block.clone(),
        district: a.district.clone(),
        fieldworker,
        risk: active.then(|| prompt::risk(case, day, programme)),
        state: case.status.state,
        next_visit: next,
        overdue: next.is_some_and(|d| d < day),
        oldest_claim_days,
        last_visit: case.visits.iter().map(|v| v.date).max(),
    }
}

/// The caseload's filters; an empty one matches every case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Words to find: the child's names in either script (spellings folded as the duplicate
    /// check folds them), the village, or the case id.
    pub q: String,
    /// Only this block.
    pub block: Option<String>,
    /// Only the cases this user follows.
    pub fieldworker: Option<String>,
    /// Only this risk.
    pub risk: Option<Risk>,
    /// Only this state.
    pub state: Option<CaseState>,
    /// Only cases whose visit is overdue.
    pub overdue: bool,
    /// Only cases with a claim pending at least this many days.
    pub claim_days: Option<i64>,
}

/// Whether the case of outline `o` (listed as `row`) passes `filter`.
pub fn matches(filter: &Filter, o: &Outline, row: &CaseRow) -> bool {
    filter
        .block
        .as_ref()
        .is_none_or(|b| row.block.eq_ignore_ascii_case(b))
        && filter
            .fieldworker
            .as_ref()
            .is_none_or(|f| row.fieldworker.as_ref().is_some_and(|(id, _)| id == f))
        && filter.risk.is_none_or(|r| row.risk == Some(r))
        && filter.state.is_none_or(|s| row.state == s)
        && (!filter.overdue || row.overdue)
        && filter
            .claim_days
            .is_none_or(|n| row.oldest_claim_days.is_some_and(|d| d >= n))
        && found(&filter.q, o)
}

/// Whether every word of `q` names the case: a word of one of the child's names (any script,
/// any spelling the duplicate check folds together, a prefix of three letters or more), the
/// village, or the case id (or its beginning).
fn found(q: &str, o: &Outline) -> bool {
    let q = q.trim();
    if q.is_empty() {
        return true;
    }
    let id = o.row.id.to_lowercase();
    if id.starts_with(&q.to_lowercase()) {
        return true;
    }
    let names: Vec<String> = std::iter::once(&o.row.name)
        .chain(&o.other_names)
        .flat_map(|n| n.split_whitespace().map(word_key))
        .filter(|k| !k.is_empty())
        .collect();
    let village = &o.row.village;
    q.split_whitespace().all(|word| {
        let key = word_key(word);
        !key.is_empty()
            && (names
                .iter()
                .any(|n| *n == key || (key.chars().count() >= 3 && n.starts_with(&key)))
                || same_place(word, village)
                || village.to_lowercase().contains(&word.to_lowercase()))
    })
}

/// Rows of the caseload: the cases passing `filter`, most urgent first (high risk, then the
/// longest overdue, then by name).
pub fn caseload(
    cases: &[Case],
    assignees: &HashMap<String, (String, String)>,
    filter: &Filter,
    day: NaiveDate,
    programme: &Programme,
) -> Vec<CaseRow> {
    let mut rows: Vec<CaseRow> = cases
        .iter()
        .filter_map(|c| caseload_row(c, assignees, filter, day, programme))
        .collect();
    sort_caseload(&mut rows);
    rows
}

/// The caseload's row of `case` when it passes `filter`: for a page that streams its cases.
pub fn caseload_row(
    case: &Case,
    assignees: &HashMap<String, (String, String)>,
    filter: &Filter,
    day: NaiveDate,
    programme: &Programme,
) -> Option<CaseRow> {
    outline_row(&Outline::of(case, day, programme), assignees, filter)
}

/// The caseload's row of the case of outline `o` when it passes `filter`.
pub fn outline_row(
    o: &Outline,
    assignees: &HashMap<String, (String, String)>,
    filter: &Filter,
) -> Option<CaseRow> {
    let mut row = o.row.clone();
    row.fieldworker = assignees.get(&row.id).cloned();
    matches(filter, o, &row).then_some(row)
}

/// Orders caseload rows most urgent first (high risk, then the longest overdue, then by name).
pub fn sort_caseload(rows: &mut [CaseRow]) {
    rows.sort_by(|a, b| {
        let rank = |r: &CaseRow| match r.risk {
            Some(Risk::High) => 0,
            Some(Risk::Medium) => 1,
            Some(Risk::Stable) => 2,
            None => 3,
        };
        rank(a)
            .cmp(&rank(b))
            .then(
                a.next_visit
                    .unwrap_or(NaiveDate::MAX)
                    .cmp(&b.next_visit.unwrap_or(NaiveDate::MAX)),
            )
            .then(a.name.cmp(&b.name))
            .then(a.id.cmp(&b.id))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ActorId;
    use homeward_shared::schema;
    use homeward_shared::synth::{self, Options};

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).expect("date")
    }

    /// Sixty synthetic cases, the first renamed to a child with a name in both scripts.
    fn cases() -> (Vec<Case>, HashMap<String, (String, String)>) {
        let load = synth::caseload(Options {
            seed: 7,
            cases: 60,
            until: day(),
            months: 8,
        });
        let mut assignees = HashMap::new();
        let mut cases: Vec<Case> = load
            .cases
            .iter()
            .map(|c| {
                let doc = c.build(ActorId::from([1u8; 16])).expect("builds");
                let case = schema::read_case(&doc).expect("reads");
                let fw = &load.fieldworkers[c.fieldworker].author;
                assignees.insert(case.id.clone(), (fw.user_id.clone(), fw.name.clone()));
                case
            })
            .collect();
        cases[0].child.name = "Puja Kumari".into();
        cases[0].child.other_names = vec!["पूजा".into()];
        cases[0].child.address.village = "Kharauna Bazar".into();
        (cases, assignees)
    }

    fn found(load: &(Vec<Case>, HashMap<String, (String, String)>), q: &str) -> Vec<String> {
        let (cases, assignees) = load;
        let f = Filter {
            q: q.into(),
            ..Filter::default()
        };
        caseload(cases, assignees, &f, day(), &Programme::default())
            .into_iter()
            .map(|r| r.id)
            .collect()
    }

    #[test]
    fn a_name_is_found_in_either_script_and_any_common_spelling() {
        let load = cases();
        let puja = load.0[0].id.clone();
        let found = |q: &str| found(&load, q);
        for q in [
            "Puja",
            "pooja",
            "POOJA kumari",
            "पूजा",
            "Kharauna",
            "kharauna bazar",
        ] {
            assert!(found(q).contains(&puja), "{q} finds Puja");
        }
        assert_eq!(found(&puja), vec![puja.clone()], "the case id");
        assert!(found("Zzyzx").is_empty(), "no one by that name");
        assert!(
            !found("Pu").contains(&puja),
            "two letters are no name: a prefix needs three"
        );
    }

    /// Which rows a filter should keep.
    type Keep = Box<dyn Fn(&CaseRow) -> bool>;

    #[test]
    fn each_filter_keeps_only_the_cases_it_names() {
        let (cases, assignees) = cases();
        let p = Programme::default();
        let all = caseload(&cases, &assignees, &Filter::default(), day(), &p);
        assert_eq!(all.len(), cases.len(), "no filter: every case");
        let block = all[0].block.clone();
        let worker = all[0].fieldworker.clone().expect("assigned").0;
        let checks: Vec<(Filter, Keep)> = vec![
            (
                Filter {
                    block: Some(block.to_uppercase()),
                    ..Filter::default()
                },
                Box::new(move |r: &CaseRow| r.block == block),
            ),
            (
                Filter {
                    fieldworker: Some(worker.clone()),
                    ..Filter::default()
                },
                Box::new(move |r: &CaseRow| r.fieldworker.as_ref().map(|f| &f.0) == Some(&worker)),
            ),
            (
                Filter {
                    risk: Some(Risk::High),
                    ..Filter::default()
                },
                Box::new(|r: &CaseRow| r.risk == Some(Risk::High)),
            ),
            (
                Filter {
                    state: Some(CaseState::Active),
                    ..Filter::default()
                },
                Box::new(|r: &CaseRow| r.state == CaseState::Active),
            ),
            (
                Filter {
                    overdue: true,
                    ..Filter::default()
                },
                Box::new(|r: &CaseRow| r.next_visit.is_some_and(|d| d < day())),
            ),
            (
                Filter {
                    claim_days: Some(60),
                    ..Filter::default()
                },
                Box::new(|r: &CaseRow| r.oldest_claim_days.is_some_and(|d| d >= 60)),
            ),
        ];
        for (filter, keep) in checks {
            let rows = caseload(&cases, &assignees, &filter, day(), &p);
            let want = all.iter().filter(|r| keep(r)).count();
            assert!(want > 0, "the sample has cases for {filter:?}");
            assert!(want < all.len(), "and cases it leaves out: {filter:?}");
            assert_eq!(rows.len(), want, "{filter:?}");
            assert!(rows.iter().all(&keep), "{filter:?}");
        }
    }

    #[test]
    fn the_most_urgent_come_first() {
        let (cases, assignees) = cases();
        let rows = caseload(
            &cases,
            &assignees,
            &Filter::default(),
            day(),
            &Programme::default(),
        );
        let first_not_high = rows
            .iter()
            .position(|r| r.risk != Some(Risk::High))
            .unwrap_or(rows.len());
        assert!(first_not_high > 0, "the sample has high-risk cases");
        assert!(
            rows[first_not_high..]
                .iter()
                .all(|r| r.risk != Some(Risk::High)),
            "every high-risk case before the others"
        );
    }

    #[test]
    fn the_overview_counts_each_active_case_once_in_its_block() {
        let (cases, _) = cases();
        let rows = overview(&cases, day(), &Programme::default());
        let active: u32 = rows.values().map(|r| r.active).sum();
        let by_risk: u32 = rows.values().map(|r| r.high + r.medium + r.stable).sum();
        let want = u32::try_from(cases.iter().filter(|c| c.is_active()).count()).expect("small");
        assert_eq!((active, by_risk), (want, want));
        assert!(rows.values().all(|r| r.due_visited <= r.due));
    }
}
