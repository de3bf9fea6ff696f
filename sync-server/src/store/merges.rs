//! Merges: a child registered twice (two fieldworkers on two phones, one child) is one case
//! again. A supervisor whose areas cover both cases picks the case to keep on `/duplicates`;
//! the server copies every record of the other into it (`homeward_shared::schema::merge`, as
//! its authors signed them), closes the other as "merged into" the kept one, and stores both
//! changes in one transaction, made by the supervisor's dashboard device: the phones receive
//! them at their next sync like any edit. Merging the same pair again carries only what was
//! recorded on the closed case since (a phone that was offline during the merge).
//!
//! Before a phone registers a child, it asks here too when online (`duplicates_for`): the
//! same rule finds the child on another fieldworker's phone, before there are two cases.

use super::db;
use automerge::AutoCommit;
use homeward_shared::duplicates::{Likeness, MAX_REMOTE_MATCHES, similar};
use homeward_shared::edit::EditContext;
use homeward_shared::model::{Author, Profile};
use homeward_shared::schema::merge::{Carried, carry_over, close_as_merged};
use homeward_shared::schema::{self, Authority, SchemaError};
use homeward_shared::wire::CasePush;

use super::now;
use super::sync::store_push;
use super::{DeviceAuth, Role, Store, WebUser};
use crate::error::ApiError;

impl Store {
    /// Merges case `other` into case `keep` (see the module doc) and gives what was carried.
    /// Both cases must be in the user's areas (a case outside answers like a missing one); a
    /// merge the schema refuses (a case into itself, a case merged into a third) answers 422
    /// and changes nothing.
    pub fn merge_cases(
        &mut self,
        user: &WebUser,
        keep: &str,
        other: &str,
    ) -> Result<Carried, ApiError> {
        if !matches!(user.role, Role::Supervisor | Role::Admin) {
            return Err(ApiError::Forbidden("only supervisors merge cases".into()));
        }
        let (device, mut kept) = self.dashboard_doc(user, keep)?;
        let (_, mut closed) = self.dashboard_doc(user, other)?;
        let ctx = EditContext {
            author: Author {
                user_id: user.id.clone(),
                name: user.name.clone(),
            },
            at: now(),
        };
        let refused = |e: SchemaError| ApiError::Unprocessable(e.to_string());
        let kept_heads = kept.get_heads();
        let carried = carry_over(&mut kept, &closed, &ctx).map_err(refused)?;
        let closed_heads = closed.get_heads();
        let already = schema::read_case(&closed)
            .map_err(|e| ApiError::Internal(format!("case {other}: {e}")))?
            .status
            .merged_into
            .is_some_and(|m| m == keep);
        if !already {
            close_as_merged(&mut closed, keep, ctx.at.date_naive(), &ctx).map_err(refused)?;
        }
        let push = [
            changes_since(keep, &mut kept, &kept_heads),
            changes_since(other, &mut closed, &closed_heads),
        ];
        let tx = self.tx()?;
        store_push(&tx, &device, 0, &push, None, Authority::Merge)?;
        tx.commit()?;
        let detail = format!(
            "{other} into {keep}: {} visits, {} need entries, {} claims ({} combined), {} summonses, {} incidents, {} documents, {} fields, {} names",
            carried.visits,
            carried.need_entries,
            carried.claims,
            carried.claims_combined,
            carried.summonses,
            carried.incidents,
            carried.documents,
            carried.fields,
            carried.names,
        );
        self.audit(&user.id, "merge", Some(keep), Some(&detail))?;
        Ok(carried)
    }
}

impl Store {
    /// A phone's question before it registers a child: the likely duplicates of `profile` among
    /// the active cases of the device user's areas (an administrator's: every district), best
    /// first, at most [`MAX_REMOTE_MATCHES`], each with who follows it. Only the child's
    /// district is read. A CWC member's device registers no child: 403. Audited as
    /// `duplicate-check` with the number of matches (not the name asked about).
    pub fn duplicates_for(
        &self,
        device: &DeviceAuth,
        profile: &Profile,
        today: chrono::NaiveDate,
    ) -> Result<Vec<Likeness>, ApiError> {
        if device.role == Role::Cwc {
            return Err(ApiError::Forbidden(
                "a CWC member's device registers no child".into(),
            ));
        }
        let user = self.web_user(&device.user_id)?;
        let district = profile.child.address.district.trim();
        let cases: Vec<_> = self
            .cases(Some(district))?
            .into_iter()
            .filter(|c| {
                let a = &c.child.address;
                c.is_active()
                    && (user.role == Role::Admin
                        || user
                            .areas
                            .iter()
                            .any(|(d, b)| *d == a.district && (b.is_empty() || *b == a.block)))
            })
            .collect();
        let mut found = similar(profile, &cases, today);
        found.truncate(MAX_REMOTE_MATCHES);
        for l in &mut found {
            let names: Vec<String> = self
                .conn
                .prepare(
                    "SELECT u.name FROM assignments a JOIN users u ON u.id = a.user_id
                     WHERE a.case_id = ?1 ORDER BY u.name",
                )?
                .query_map([&l.case_id], |r| r.get(0))?
                .collect::<db::Result<_>>()?;
            l.followed_by = (!names.is_empty()).then(|| names.join(", "));
        }
        self.audit(
            &device.user_id,
            "duplicate-check",
            None,
            Some(&format!(
                "device {}: {} likely duplicate(s) in {district}",
                device.device_id,
                found.len()
            )),
        )?;
        Ok(found)
    }
}

fn changes_since(case_id: &str, doc: &mut AutoCommit, heads: &[automerge::ChangeHash]) -> CasePush {
    CasePush {
        case_id: case_id.to_owned(),
        changes: doc
            .get_changes(heads)
            .iter()
            .map(|c| c.raw_bytes().to_vec())
            .collect(),
    }
}
