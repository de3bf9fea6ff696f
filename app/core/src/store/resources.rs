//! The resource map on the device and the referrals made from it (issue 17).
//!
//! The map comes with the reference data of a sync round (`Reference::resources`, only when it
//! differs from the one held) and is kept apart from the rest of it, under the meta key
//! `resources`: the reference is rewritten whole each time it moves, the map only when the
//! server sends a new one, and the next request says which one is held (its version). Searching
//! and suggesting are `shared::resource`'s rules over the held map, offline. A referral is an
//! ordinary edit ([`Edit::Refer`], [`Edit::UpdateReferral`]) through [`Store::edit`], so the
//! outbox, the materialised rows and the prompts follow as for any other edit.

use homeward_shared::model::ReferralState;
use homeward_shared::need::Dimension;
use homeward_shared::resource::{self, Resource, ResourceQuery};
use homeward_shared::wire::ResourceMap;

use super::*;

/// The meta key the held map is kept under (a [`ResourceMap`] as JSON).
const KEY: &str = "resources";

/// Keeps a reference's resource map when it carries one (`None` keeps the map held) and gives
/// the reference without it, to be kept as the reference data. On the caller's connection or
/// transaction, so a sync round keeps both with the rest of the round or neither.
pub(super) fn keep_map(conn: &Connection, reference: &Reference) -> Result<Reference> {
    let mut kept = reference.clone();
    if let Some(map) = kept.resources.take() {
        let json = serde_json::to_string(&map)
            .map_err(|e| FieldError::BadInput(format!("resource map: {e}")))?;
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![KEY, json],
        )?;
    }
    Ok(kept)
}

impl Store {
    /// The held resource map (`None` before a sync brought one).
    pub fn resource_map(&self) -> Result<Option<ResourceMap>> {
        self.meta(KEY)?
            .map(|raw| {
                serde_json::from_str(&raw).map_err(|e| {
                    FieldError::BadInput(format!("stored resource map is damaged: {e}"))
                })
            })
            .transpose()
    }

    /// The version of the held map, as the next sync request says it (0: none held). Read
    /// without decoding the whole map.
    pub fn resources_version(&self) -> Result<u64> {
        let version: Option<i64> = self
            .conn
            .query_row(
                "SELECT json_extract(value, '$.version') FROM meta WHERE key = ?1",
                [KEY],
                |r| r.get(0),
            )
            .optional()?
            .flatten();
        Ok(version.and_then(|v| u64::try_from(v).ok()).unwrap_or(0))
    }

    /// Every resource of the held map, inactive ones included (empty before any sync brought
    /// one: [`Store::resource_map`] tells "none held" from "an empty map").
    pub fn resources(&self) -> Result<Vec<Resource>> {
        Ok(self
            .resource_map()?
            .map(|m| m.resources)
            .unwrap_or_default())
    }

    /// The held map searched offline (`shared::resource::search`: either script, spellings
    /// folded; by block, kind, then name).
    pub fn search_resources(&self, query: &ResourceQuery) -> Result<Vec<Resource>> {
        let all = self.resources()?;
        Ok(resource::search(&all, query).into_iter().cloned().collect())
    }

    /// The resources the held map suggests for a case's need on `day`: active ones of the
    /// child's block that answer it and take this child (`shared::resource::suggest`).
    pub fn suggested_resources(
        &self,
        case_id: &str,
        dimension: Dimension,
        day: NaiveDate,
    ) -> Result<Vec<Resource>> {
        let case = self.case(case_id)?;
        let all = self.resources()?;
        Ok(resource::suggest(&all, &case, dimension, day)
            .into_iter()
            .cloned()
            .collect())
    }

    /// Refers the child or family of a case to a resource of the held map for one need, as this
    /// store's user; returns the referral's id. The resource's kind and name are recorded with
    /// it (reports and screens read them without the map). A resource not on this phone's map,
    /// or one marked inactive there (it no longer takes referrals), is refused and nothing is
    /// written.
    pub fn refer(
        &mut self,
        case_id: &str,
        resource_id: &str,
        dimension: Dimension,
        on: NaiveDate,
        note: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<String> {
        let found = self
            .resources()?
            .into_iter()
            .find(|r| r.id == resource_id)
            .ok_or_else(|| FieldError::ResourceNotHeld(resource_id.to_owned()))?;
        if !found.active {
            return Err(FieldError::ResourceInactive {
                id: found.id,
                name: found.name,
            });
        }
        let id = new_id()?;
        let edit = Edit::Refer(homeward_shared::edit::NewReferral {
            id: id.clone(),
            resource_id: found.id,
            resource_kind: found.kind,
            resource_name: found.name,
            dimension,
            on,
            note: note.map(str::to_owned),
        });
        self.edit(case_id, &edit, at)?;
        Ok(id)
    }

    /// Records a step of a referral (accepted, served, refused, no response) as this store's
    /// user; returns the step's id. The case document's rules apply: a refusal needs a note,
    /// `referred` is not a step, a step before the referral's day is refused.
    pub fn update_referral(
        &mut self,
        case_id: &str,
        referral_id: &str,
        state: ReferralState,
        on: NaiveDate,
        note: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<String> {
        let id = new_id()?;
        let edit = Edit::UpdateReferral(homeward_shared::edit::ReferralUpdate {
            id: id.clone(),
            referral_id: referral_id.to_owned(),
            state,
            on,
            note: note.map(str::to_owned),
        });
        self.edit(case_id, &edit, at)?;
        Ok(id)
    }
}
