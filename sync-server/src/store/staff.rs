//! The people page's reads: every user with their areas and whether they are disabled.

use std::collections::HashMap;

use super::Store;
use super::db;
use crate::error::ApiError;
use crate::store::{Role, WebUser};

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
        // Two statements, not two a user: on PostgreSQL each is a round trip, and a case page
        // lists the fieldworkers it may be given to (46 ms a page with 80 users, one by one).
        let mut areas: HashMap<String, Vec<(String, String)>> = HashMap::new();
        self.conn.each(
            "SELECT user_id, district, block FROM user_areas ORDER BY user_id, district, block",
            [],
            |r| {
                areas
                    .entry(r.get(0)?)
                    .or_default()
                    .push((r.get(1)?, r.get(2)?));
                Ok(true)
            },
        )?;
        let rows: Vec<(String, String, String, Option<String>)> = self
            .conn
            .prepare("SELECT id, name, role, disabled_at FROM users ORDER BY name, id")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<db::Result<_>>()?;
        rows.into_iter()
            .map(|(id, name, role, disabled_at)| {
                Ok(UserRow {
                    user: WebUser {
                        areas: areas.remove(&id).unwrap_or_default(),
                        role: Role::parse(&role)
                            .ok_or_else(|| ApiError::Internal(format!("bad role {role}")))?,
                        id,
                        name,
                    },
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
