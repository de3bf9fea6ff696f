//! Compensation claims and family entitlements ("services"): which list a claim belongs to, its
//! dates from application to payment, and the stage and days pending it has on a given day.
//! Apart from the rest of the model because the claims have a calendar of their own that the
//! prompts, the CWC report and the gaps all read.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::Author;
use crate::need::{Dimension, UnknownName};

/// Which claim list a service belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum ServiceDimension {
    /// A compensation claim.
    Compensation,
    /// A family entitlement.
    Entitlements,
}
keyed_enum!(ServiceDimension, "service dimension", {
    Compensation => "compensation",
    Entitlements => "entitlements",
});

impl From<ServiceDimension> for Dimension {
    fn from(d: ServiceDimension) -> Self {
        match d {
            ServiceDimension::Compensation => Dimension::Compensation,
            ServiceDimension::Entitlements => Dimension::Entitlements,
        }
    }
}

/// A compensation claim or an entitlement, from application to payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Service {
    /// Id of this service.
    pub id: String,
    /// Compensation or entitlements.
    pub dimension: ServiceDimension,
    /// The scheme's key (see the programme file's `[[scheme]]` table), or free text.
    pub scheme: String,
    /// Application date.
    pub applied_on: Option<NaiveDate>,
    /// Sanction date.
    pub sanctioned_on: Option<NaiveDate>,
    /// Payment or linkage date.
    pub paid_on: Option<NaiveDate>,
    /// Amount in rupees.
    pub amount: Option<u64>,
    /// Why it is stuck, in the fieldworker's words.
    pub stuck_reason: Option<String>,
    /// Who recorded it.
    pub recorded_by: Author,
    /// When it was first recorded.
    pub recorded_at: DateTime<Utc>,
}

/// The stage of a service on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceStage {
    /// Recorded but not applied for yet.
    NotApplied,
    /// Applied, not sanctioned.
    Applied,
    /// Sanctioned, not paid.
    Sanctioned,
    /// Paid or linked.
    Paid,
}

impl Service {
    /// A claim applied for by `on` and not paid by then: its stage, the day it was applied for
    /// and the days it has waited since (what the CWC report, the case page and the caseload
    /// call "pending"). A claim not applied for yet is not pending.
    pub fn pending_on(&self, on: NaiveDate) -> Option<(ServiceStage, NaiveDate, i64)> {
        let applied = self.applied_on.filter(|d| *d <= on)?;
        let (stage, _) = self.stage_on(on);
        (stage != ServiceStage::Paid).then(|| (stage, applied, (on - applied).num_days()))
    }

    /// The stage reached by `on`, and the day it was reached (for pending-days counts).
    pub fn stage_on(&self, on: NaiveDate) -> (ServiceStage, Option<NaiveDate>) {
        let reached = |d: Option<NaiveDate>| d.filter(|d| *d <= on);
        if let Some(d) = reached(self.paid_on) {
            (ServiceStage::Paid, Some(d))
        } else if let Some(d) = reached(self.sanctioned_on) {
            (ServiceStage::Sanctioned, Some(d))
        } else if let Some(d) = reached(self.applied_on) {
            (ServiceStage::Applied, Some(d))
        } else {
            (ServiceStage::NotApplied, None)
        }
    }
}
