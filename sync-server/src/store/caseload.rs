//! What the caseload lists beside the documents: who follows each case.

use std::collections::HashMap;

use super::db::{self, OptionalExtension};

use super::Store;
use crate::error::ApiError;

impl Store {
    /// Who follows each case: case id to (user id, name). A case no one holds is absent.
    pub fn assignees(&self) -> Result<HashMap<String, (String, String)>, ApiError> {
        let mut stmt = self.conn.prepare(
            "SELECT a.case_id, u.id, u.name FROM assignments a JOIN users u ON u.id = a.user_id",
        )?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
            .collect::<db::Result<HashMap<String, (String, String)>>>()?;
        Ok(rows)
    }

    /// Who follows one case: (user id, name), or `None` when no one holds it.
    pub fn assignee(&self, case_id: &str) -> Result<Option<(String, String)>, ApiError> {
        Ok(self
            .conn
            .query_row(
                "SELECT u.id, u.name FROM assignments a JOIN users u ON u.id = a.user_id
                 WHERE a.case_id = ?1",
                [case_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }
}
