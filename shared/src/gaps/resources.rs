//! What the resource map reveals (issue 17): blocks where children need a kind of help that no
//! active resource of the block gives, resources whose referrals go unanswered, and how long
//! referrals take to be served. Counts only, as the rest of the systemic gaps report: the
//! resources are named (they are providers, not families), no child is.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::published;
use crate::model::{Case, ReferralState};
use crate::need::Dimension;
use crate::programme::Programme;
use crate::resource::{Resource, ResourceKind, calls_for_help, kinds_for};

/// A block with children needing a kind of help and no active resource that gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingHelp {
    /// District.
    pub district: String,
    /// Block.
    pub block: String,
    /// The need.
    pub dimension: Dimension,
    /// The kinds of resource that would answer it, none active in the block.
    pub kinds: Vec<ResourceKind>,
    /// Active children of the block with that need on the day.
    pub children: u32,
}

impl MissingHelp {
    /// The count as it may be published ([`super::SMALL_CELL`]).
    pub fn published(&self) -> Option<u32> {
        published(self.children)
    }
}

/// A resource whose referrals go unanswered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unanswered {
    /// The resource's id.
    pub resource_id: String,
    /// Its name (from the map, else as recorded with its referrals).
    pub name: String,
    /// District.
    pub district: String,
    /// Block.
    pub block: String,
    /// Kind.
    pub kind: ResourceKind,
    /// Referrals made to it, up to the day.
    pub referred: u32,
    /// Of those: recorded as "no response", or still without an answer past the programme's
    /// follow-up days.
    pub unanswered: u32,
}

impl Unanswered {
    /// (referred, unanswered) as they may be published.
    pub fn published(&self) -> (Option<u32>, Option<u32>) {
        (published(self.referred), published(self.unanswered))
    }
}

/// How long referrals of a kind in a block took to be served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeToService {
    /// District.
    pub district: String,
    /// Block.
    pub block: String,
    /// Kind.
    pub kind: ResourceKind,
    /// Referrals served.
    pub served: u32,
    /// The median days from referral to service.
    pub median_days: Option<u32>,
}

impl TimeToService {
    /// (served, median days) as they may be published: a median of one or two referrals is
    /// each family's own figure, so it is hidden with the count.
    pub fn published(&self) -> (Option<u32>, Option<u32>) {
        let n = published(self.served);
        (n, self.median_days.filter(|_| n.is_some()))
    }
}

/// The three views of the resource map's gaps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceGaps {
    /// Blocks with children needing help no active resource of the block gives.
    pub missing: Vec<MissingHelp>,
    /// Resources with at least one unanswered referral, most unanswered first.
    pub unanswered: Vec<Unanswered>,
    /// Time from referral to service, by block and kind.
    pub time_to_service: Vec<TimeToService>,
}

/// The resource map's gaps on `today` for `cases` (typically the user's areas) and `resources`
/// (the map of the same areas). Cases that are no child of the programme (merged, registered in
/// error) count nowhere; only active cases count as needing help.
pub fn resource_gaps(
    cases: &[Case],
    resources: &[Resource],
    today: NaiveDate,
    programme: &Programme,
) -> ResourceGaps {
    let mut needing: BTreeMap<(String, String, Dimension), u32> = BTreeMap::new();
    let mut by_resource: BTreeMap<String, Unanswered> = BTreeMap::new();
    let mut days: BTreeMap<(String, String, ResourceKind), Vec<u32>> = BTreeMap::new();
    let late = |since: NaiveDate| {
        since
            .checked_add_days(Days::new(u64::from(programme.referrals.follow_up_days)))
            .is_some_and(|due| due <= today)
    };
    for case in cases.iter().filter(|c| c.status.is_a_child()) {
        let address = &case.child.address;
        if case.is_active() {
            for d in calls_for_help(case, today, programme) {
                *needing
                    .entry((address.district.clone(), address.block.clone(), d))
                    .or_default() += 1;
            }
        }
        for r in case.referrals.iter().filter(|r| r.on <= today) {
            let mapped = resources.iter().find(|m| m.id == r.resource_id);
            let entry = by_resource
                .entry(r.resource_id.clone())
                .or_insert_with(|| Unanswered {
                    resource_id: r.resource_id.clone(),
                    name: mapped.map_or_else(|| r.resource_name.clone(), |m| m.name.clone()),
                    district: mapped
                        .map_or_else(|| address.district.clone(), |m| m.district.clone()),
                    block: mapped.map_or_else(|| address.block.clone(), |m| m.block.clone()),
                    kind: mapped.map_or(r.resource_kind, |m| m.kind),
                    referred: 0,
                    unanswered: 0,
                });
            entry.referred += 1;
            let (state, since) = r.state_on(today);
            if state == ReferralState::NoResponse || state == ReferralState::Referred && late(since)
            {
                entry.unanswered += 1;
            }
            if let Some(served) = r.reached(ReferralState::Served).filter(|d| *d <= today) {
                days.entry((entry.district.clone(), entry.block.clone(), entry.kind))
                    .or_default()
                    .push(u32::try_from((served - r.on).num_days()).unwrap_or(0));
            }
        }
    }
    let missing = needing
        .into_iter()
        .filter_map(|((district, block, dimension), children)| {
            let kinds = kinds_for(dimension);
            let answered = resources
                .iter()
                .any(|r| r.active && kinds.contains(&r.kind) && r.is_in(&district, &block));
            (!answered).then(|| MissingHelp {
                district,
                block,
                dimension,
                kinds: kinds.to_vec(),
                children,
            })
        })
        .collect();
    let mut unanswered: Vec<Unanswered> = by_resource
        .into_values()
        .filter(|u| u.unanswered > 0)
        .collect();
    unanswered.sort_by(|a, b| {
        b.unanswered
            .cmp(&a.unanswered)
            .then_with(|| (&a.district, &a.block, &a.name).cmp(&(&b.district, &b.block, &b.name)))
    });
    let time_to_service = days
        .into_iter()
        .map(|((district, block, kind), mut d)| TimeToService {
            district,
            block,
            kind,
            served: u32::try_from(d.len()).unwrap_or(u32::MAX),
            median_days: crate::indicators::median(&mut d),
        })
        .collect();
    ResourceGaps {
        missing,
        unanswered,
        time_to_service,
    }
}
