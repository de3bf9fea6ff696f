//! The systemic gaps report: entitlements and compensation pending, by district, block and
//! scheme, in ageing buckets. It goes to officials outside the child-protection system, so it
//! carries counts only: no name, id, village or date of any child (Juvenile Justice Act, s.74).
//! What the resource map reveals (blocks without help, unanswered referrals, time to service) is
//! in `resources`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{Case, ServiceDimension, ServiceStage};

mod resources;
pub use resources::{MissingHelp, ResourceGaps, TimeToService, Unanswered, resource_gaps};

/// What a pending claim waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Waiting {
    /// Applied, not sanctioned.
    Sanction,
    /// Sanctioned, not paid.
    Payment,
}

/// How long a claim has waited since its application: under 30 days, 30 to 89, 90 to 179,
/// 180 and more.
pub const BUCKETS: [&str; 4] = ["0-29", "30-89", "90-179", "180+"];

fn bucket(days: i64) -> usize {
    match days {
        ..30 => 0,
        30..90 => 1,
        90..180 => 2,
        _ => 3,
    }
}

/// One line of the report: a district, block, scheme and stage, with counts per bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapRow {
    /// District.
    pub district: String,
    /// Block.
    pub block: String,
    /// Compensation or entitlements.
    pub dimension: ServiceDimension,
    /// The scheme's key.
    pub scheme: String,
    /// What the claims wait for.
    pub waiting: Waiting,
    /// Claims per ageing bucket (see [`BUCKETS`]), by days since application.
    pub counts: [u32; 4],
}

impl GapRow {
    /// All claims of the row.
    pub fn total(&self) -> u32 {
        self.counts.iter().sum()
    }

    /// The row as it may leave the child-protection system ([`SMALL_CELL`]): each bucket's
    /// count, `None` where it is 1 or 2; and the total, `None` where it is 1 or 2 or where a
    /// bucket is hidden (with only one bucket hidden, the total would give it away).
    pub fn published(&self) -> ([Option<u32>; 4], Option<u32>) {
        let cells = self.counts.map(published);
        let hidden = cells.iter().any(Option::is_none);
        (cells, published(self.total()).filter(|_| !hidden))
    }
}

/// Counts below this are not published: in a small block, "1 claim of this scheme waiting for
/// 180 days" can point at one family. Statistical offices suppress such cells the same way.
pub const SMALL_CELL: u32 = 3;

/// A count as it may be published: `None` when it is 1 or 2; none (0) is shown.
pub fn published(n: u32) -> Option<u32> {
    (n == 0 || n >= SMALL_CELL).then_some(n)
}

/// Claims applied for and not paid on `today`, across `cases`, by district, block, scheme and
/// stage, oldest buckets last. Cases that are not active are left out.
pub fn systemic_gaps(cases: &[Case], today: NaiveDate) -> Vec<GapRow> {
    type Key = (String, String, ServiceDimension, String, Waiting);
    let mut rows: BTreeMap<Key, [u32; 4]> = BTreeMap::new();
    for case in cases.iter().filter(|c| c.is_active()) {
        for s in &case.services {
            let waiting = match s.stage_on(today).0 {
                ServiceStage::Applied => Waiting::Sanction,
                ServiceStage::Sanctioned => Waiting::Payment,
                ServiceStage::NotApplied | ServiceStage::Paid => continue,
            };
            let Some(applied) = s.applied_on.or(s.sanctioned_on) else {
                continue;
            };
            let key = (
                case.child.address.district.clone(),
                case.child.address.block.clone(),
                s.dimension,
                s.scheme.clone(),
                waiting,
            );
            rows.entry(key).or_default()[bucket((today - applied).num_days())] += 1;
        }
    }
    rows.into_iter()
        .map(
            |((district, block, dimension, scheme, waiting), counts)| GapRow {
                district,
                block,
                dimension,
                scheme,
                waiting,
                counts,
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_fall_into_the_documented_buckets() {
        let rows = [
            (0, 0),
            (29, 0),
            (30, 1),
            (89, 1),
            (90, 2),
            (179, 2),
            (180, 3),
            (900, 3),
        ];
        for (days, want) in rows {
            assert_eq!(bucket(days), want, "{days} days");
        }
        assert_eq!(BUCKETS.len(), 4);
    }

    #[test]
    fn counts_of_one_or_two_are_hidden_and_a_total_that_would_give_one_away_too() {
        let row = |counts: [u32; 4]| GapRow {
            district: "Gaya".into(),
            block: "Tekari".into(),
            dimension: ServiceDimension::Compensation,
            scheme: "victim_compensation".into(),
            waiting: Waiting::Sanction,
            counts,
        };
        let cases = [
            (
                [0, 3, 4, 0],
                ([Some(0), Some(3), Some(4), Some(0)], Some(7)),
            ),
            ([0, 1, 4, 0], ([Some(0), None, Some(4), Some(0)], None)),
            ([2, 0, 0, 0], ([None, Some(0), Some(0), Some(0)], None)),
            ([1, 1, 0, 0], ([None, None, Some(0), Some(0)], None)),
            (
                [0, 0, 0, 5],
                ([Some(0), Some(0), Some(0), Some(5)], Some(5)),
            ),
        ];
        for (counts, want) in cases {
            assert_eq!(row(counts).published(), want, "{counts:?}");
        }
    }
}
