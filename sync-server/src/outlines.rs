//! What a node keeps between the dashboard's pages: the outline of each case it has shown
//! ([`Outline`]: the overview's counts, the caseload's row, what a search looks in), computed
//! once per case, day and programme.
//!
//! A region's pages read only the ids and stamps of its summary rows
//! ([`Store::each_stamp_page_in`]); a case's view is decoded and its outline computed again only
//! when its stamp changed (the case did), the day turned or the programme was set. Every node
//! keeps its own; the stamps live in the database, so a change written through another node is
//! seen at the next page. A row not yet stamped (0) is always computed afresh.
//!
//! Memory: an outline holds a few short strings (id, names, village, block, district, the
//! fieldworkers of the last four weeks); at most [`MAX_OUTLINES`] are kept, after which the node
//! starts again. Their size on its own was not measured.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::NaiveDate;
use homeward_shared::model::Case;
use homeward_shared::programme::Programme;

use crate::error::ApiError;
use crate::scope::Reach;
use crate::store::Store;
use crate::web::figures::Outline;

/// The most outlines a node keeps.
pub const MAX_OUTLINES: usize = 200_000;

/// Up to this many cases of a page to compute, a node reads them one by one; more, the page's
/// rows in one statement (on PostgreSQL each statement is a round trip).
const ONE_BY_ONE: usize = 8;

/// The outlines a node keeps, for one day and programme at a time.
#[derive(Debug, Default)]
pub struct Outlines {
    kept: Mutex<Kept>,
}

#[derive(Debug, Default)]
struct Kept {
    /// The day and programme the outlines are for.
    epoch: Option<(NaiveDate, Programme)>,
    /// By case id: the stamp of the row the outline was computed from, and the outline.
    by_case: HashMap<String, (i64, Arc<Outline>)>,
}

impl Outlines {
    /// None kept yet.
    pub fn new() -> Outlines {
        Outlines::default()
    }

    /// Calls `f` with the outline on `day` under `programme` of each case `reach` holds, by id.
    pub fn each_in(
        &self,
        store: &Store,
        reach: &Reach,
        day: NaiveDate,
        programme: &Programme,
        mut f: impl FnMut(&Outline),
    ) -> Result<(), ApiError> {
        {
            let mut kept = self.lock();
            if kept
                .epoch
                .as_ref()
                .is_none_or(|(d, p)| *d != day || p != programme)
            {
                kept.epoch = Some((day, programme.clone()));
                kept.by_case.clear();
            }
        }
        store.each_stamp_page_in(reach, |after, page| {
            // What this node kept for the page, under one lock, if it is for this day and
            // programme still (a page asked for the next day may have started again meanwhile).
            let mut outlines: Vec<Option<Arc<Outline>>> = {
                let kept = self.lock();
                let ours = kept
                    .epoch
                    .as_ref()
                    .is_some_and(|(d, p)| *d == day && p == programme);
                page.iter()
                    .map(|(id, stamp)| {
                        (ours && *stamp != 0)
                            .then(|| kept.by_case.get(id))
                            .flatten()
                            .filter(|(s, _)| s == stamp)
                            .map(|(_, o)| Arc::clone(o))
                    })
                    .collect()
            };
            let missing: HashSet<&str> = page
                .iter()
                .zip(&outlines)
                .filter(|(_, o)| o.is_none())
                .map(|((id, _), _)| id.as_str())
                .collect();
            if !missing.is_empty() {
                // A few changed cases are read one by one; more, with the page in one statement.
                let cases = match page.last() {
                    Some((last, _)) if missing.len() > ONE_BY_ONE => {
                        store.summary_cases_between(reach, after, last, &missing)?
                    }
                    _ => {
                        let mut cases = Vec::new();
                        for id in &missing {
                            cases.extend(store.summary_case(id)?);
                        }
                        cases
                    }
                };
                let by_id: HashMap<&str, &Case> =
                    cases.iter().map(|c| (c.id.as_str(), c)).collect();
                let mut made = Vec::new();
                for ((id, stamp), slot) in page.iter().zip(outlines.iter_mut()) {
                    // A case gone since its id was read (none is deleted today) is left out.
                    if let (None, Some(case)) = (&slot, by_id.get(id.as_str())) {
                        let o = Arc::new(Outline::of(case, day, programme));
                        if *stamp != 0 {
                            made.push((id.clone(), *stamp, Arc::clone(&o)));
                        }
                        *slot = Some(o);
                    }
                }
                self.keep(made, day, programme);
            }
            outlines.iter().flatten().for_each(|o| f(o));
            Ok(())
        })
    }

    /// How many outlines are kept.
    pub fn len(&self) -> usize {
        self.lock().by_case.len()
    }

    /// Whether none is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn keep(&self, made: Vec<(String, i64, Arc<Outline>)>, day: NaiveDate, programme: &Programme) {
        if made.is_empty() {
            return;
        }
        let mut kept = self.lock();
        // Another page may have moved to another day or programme meanwhile: keep only what
        // belongs to the epoch in force.
        if kept
            .epoch
            .as_ref()
            .is_none_or(|(d, p)| *d != day || p != programme)
        {
            return;
        }
        if kept.by_case.len() + made.len() > MAX_OUTLINES {
            kept.by_case.clear();
        }
        for (id, stamp, o) in made {
            kept.by_case.insert(id, (stamp, o));
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outlines_of(
        kept: &Outlines,
        store: &Store,
        day: NaiveDate,
        programme: &Programme,
    ) -> Vec<Outline> {
        let mut got = Vec::new();
        kept.each_in(store, &Reach::Everywhere, day, programme, |o| {
            got.push(o.clone());
        })
        .expect("reads");
        got
    }

    /// What a node keeps is what the pure rules give for the day asked: a later day computes
    /// every outline again, and a row not stamped yet is computed but never kept.
    #[test]
    fn outlines_are_the_rules_for_the_day_asked_and_unstamped_rows_are_not_kept() {
        let tmp = tempfile::tempdir().expect("tmp");
        let mut store = Store::open(&tmp.path().join("o.db"), None).expect("opens");
        let day = NaiveDate::from_ymd_opt(2026, 11, 27).expect("a day");
        crate::demo::fill(&mut store, day, 40).expect("demo");
        let programme = store.programme().expect("programme");
        let cases = store.cases(None).expect("cases");
        let kept = Outlines::new();
        let later = day + chrono::Duration::days(60);
        let mut changed = false;
        for d in [day, later, day] {
            let got = outlines_of(&kept, &store, d, &programme);
            let want: Vec<Outline> = cases
                .iter()
                .map(|c| Outline::of(c, d, &programme))
                .collect();
            assert_eq!(got, want, "on {d}");
            assert_eq!(kept.len(), cases.len(), "one kept per case");
            // Read again: the same, from what was kept.
            assert_eq!(outlines_of(&kept, &store, d, &programme), want);
            changed |= want
                != cases
                    .iter()
                    .map(|c| Outline::of(c, day, &programme))
                    .collect::<Vec<_>>();
        }
        assert!(
            changed,
            "sixty days later some outline differs (a visit overdue)"
        );
        store
            .db()
            .execute("UPDATE case_summaries SET stamp = 0", [])
            .expect("unstamps");
        let got = outlines_of(&kept, &store, later, &programme);
        assert_eq!(got.len(), cases.len());
        assert!(kept.is_empty(), "rows not stamped are never kept");
    }
}
