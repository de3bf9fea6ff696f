//! The people page's reads: every user with their areas and whether they are disabled.

use super::Store;
use super::db;
use super::users::web_user_in;
use crate::error::ApiError;
use crate::store::WebUser;

/// A user as the people page lists them.
#[derive(Debug, Clone)]
pub struct UserRow {
    /// The user, with role and areas.
    pub user: WebUser,
    /// When they were disabled, if they are.
    pub disabled_at: Option<String>,
}

impl Store {
    /// Every user, by name.
    pub fn users(&self) -> Result<Vec<UserRow>, ApiError> {
        let ids: Vec<(String, Option<String>)> = self
            .conn
            .prepare("SELECT id, disabled_at FROM users ORDER BY name, id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<db::Result<_>>()?;
        ids.into_iter()
            .map(|(id, disabled_at)| {
                Ok(UserRow {
                    user: web_user_in(&self.conn, &id)?,
                    disabled_at,
                })
            })
            .collect()
    }

    /// The place of a case (district, block), if it exists.
    pub fn case_place(&self, case_id: &str) -> Result<Option<(String, String)>, ApiError> {
        use super::db::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT district, block FROM cases WHERE id = ?1",
                [case_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}
