//! Referrals in the month's report: each child's referrals of the month and what came of them,
//! and the month's counts of referrals made, accepted and served by kind of resource. Apart from
//! the rest of the indicators because referrals have their own calendar (a referral made in
//! March may be served in May) and the report reads it in two places.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Month;
use crate::model::{Case, ReferralState};
use crate::need::Dimension;
use crate::resource::ResourceKind;

/// One referral of a child as the month's report reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildReferral {
    /// The provider's name, as recorded with the referral.
    pub resource: String,
    /// Its kind.
    pub kind: ResourceKind,
    /// The need it answers.
    pub dimension: Dimension,
    /// The day it was made.
    pub referred_on: NaiveDate,
    /// Where it stood at the end of the month (or on the report's day).
    pub state: ReferralState,
    /// The day it reached that state.
    pub state_on: NaiveDate,
    /// The last note recorded on it by then (the referral's own, or a step's).
    pub note: Option<String>,
}

/// The referrals of one kind of resource in a month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralCounts {
    /// The kind.
    pub kind: Option<ResourceKind>,
    /// Referrals made in the month.
    pub made: u32,
    /// Referrals accepted in the month (the first acceptance of each).
    pub accepted: u32,
    /// Referrals served in the month.
    pub served: u32,
    /// Referrals refused or unanswered, recorded so in the month.
    pub not_served: u32,
}

/// The referrals of `case` the month's report lists: made in the month, moved in it, or still
/// waiting for an outcome at its end (`end`: the last day, or the report's day in a month in
/// progress). A referral recorded after `end` is not there yet.
pub fn of_month(case: &Case, month: Month, end: NaiveDate) -> Vec<ChildReferral> {
    let within = |d: NaiveDate| month.contains(d) && d <= end;
    case.referrals
        .iter()
        .filter(|r| r.on <= end)
        .filter(|r| within(r.on) || r.steps.iter().any(|s| within(s.on)) || r.open_on(end))
        .map(|r| {
            let (state, state_on) = r.state_on(end);
            let note = r
                .steps
                .iter()
                .filter(|s| s.on <= end)
                .rev()
                .find_map(|s| s.note.clone())
                .or_else(|| r.note.clone());
            ChildReferral {
                resource: r.resource_name.clone(),
                kind: r.resource_kind,
                dimension: r.dimension,
                referred_on: r.on,
                state,
                state_on,
                note,
            }
        })
        .collect()
}

/// Adds the month's referrals of `case` to `counts` (one entry per kind, in
/// [`ResourceKind::ALL`] order once [`finish`]ed).
pub fn count(case: &Case, month: Month, end: NaiveDate, counts: &mut Vec<ReferralCounts>) {
    let within = |d: Option<NaiveDate>| d.is_some_and(|d| month.contains(d) && d <= end);
    for r in &case.referrals {
        let made = within(Some(r.on));
        let accepted = within(r.reached(ReferralState::Accepted));
        let served = within(r.reached(ReferralState::Served));
        let not_served = within(
            r.reached(ReferralState::Refused)
                .into_iter()
                .chain(r.reached(ReferralState::NoResponse))
                .min(),
        );
        if !(made || accepted || served || not_served) {
            continue;
        }
        let entry = match counts
            .iter_mut()
            .position(|c| c.kind == Some(r.resource_kind))
        {
            Some(i) => &mut counts[i],
            None => {
                counts.push(ReferralCounts {
                    kind: Some(r.resource_kind),
                    ..ReferralCounts::default()
                });
                let last = counts.len() - 1;
                &mut counts[last]
            }
        };
        entry.made += u32::from(made);
        entry.accepted += u32::from(accepted);
        entry.served += u32::from(served);
        entry.not_served += u32::from(not_served);
    }
}

/// Sorts the counts by kind and adds a total row (kind `None`) when there is more than one kind.
pub fn finish(counts: &mut Vec<ReferralCounts>) {
    counts.sort_by_key(|c| c.kind);
    if counts.len() > 1 {
        let mut total = ReferralCounts::default();
        for c in counts.iter() {
            total.made += c.made;
            total.accepted += c.accepted;
            total.served += c.served;
            total.not_served += c.not_served;
        }
        counts.push(total);
    }
}
