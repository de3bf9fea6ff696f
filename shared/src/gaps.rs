//! The systemic gaps report: entitlements and compensation pending, by district, block and
//! scheme, in ageing buckets. It goes to officials outside the child-protection system, so it
//! carries counts only: no name, id, village or date of any child (Juvenile Justice Act, s.74).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{Case, ServiceDimension, ServiceStage};

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
}
