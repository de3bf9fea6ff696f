//! The likely duplicates of a child about to be registered, among this device's active cases.
//!
//! The rule is [`homeward_shared::duplicates::similar`]; this file only reads the cases. It
//! goes through the store's public reads (the case list, then each active case's materialised
//! model), so it needs nothing of the store's internals: a phone holds some hundreds of cases,
//! and reading their models without Automerge takes milliseconds.

use chrono::NaiveDate;
use homeward_shared::duplicates::{self, Likeness};
use homeward_shared::model::{CaseState, Profile};

use crate::error::Result;
use crate::store::{CaseFilter, Store};

impl Store {
    /// The active cases of this store that are likely the child of `profile`, best first, each
    /// with the facts it shares (name, district, age, village, caregiver). Only active cases
    /// are compared: closed, transferred, missing and re-trafficked ones are no longer followed.
    pub fn similar_children(&self, profile: &Profile, today: NaiveDate) -> Result<Vec<Likeness>> {
        let active = CaseState::Active.key();
        let cases = self
            .cases(&CaseFilter::default())?
            .into_iter()
            .filter(|row| row.state == active)
            .map(|row| self.case(&row.id))
            .collect::<Result<Vec<_>>>()?;
        Ok(duplicates::similar(profile, &cases, today))
    }
}
