//! The supervisors' conflict queue: fields of the cases in their areas that devices set
//! concurrently (`shared::schema::conflicts`), and their resolution. A resolution is an
//! ordinary Automerge change made on the server by the supervisor's "dashboard" device (an
//! actor of their own, created on first use, whose token is never given out), stored through
//! the same checks as a phone's push, so it reaches every device by the feed.

use super::db::{self, OptionalExtension, params};
use automerge::{ActorId, AutoCommit};
use homeward_shared::edit::{Edit, EditContext, Resolution};
use homeward_shared::model::Author;
use homeward_shared::schema::{self, ConflictValue};
use homeward_shared::wire::CasePush;
use serde::Serialize;

use super::{DeviceAuth, Role, Store, WebUser, now, random_hex, sha256};
use crate::error::ApiError;
use crate::scope::covers;

/// A field waiting for a supervisor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueuedConflict {
    /// The case.
    pub case_id: String,
    /// The child's name.
    pub child_name: String,
    /// District.
    pub district: String,
    /// Block.
    pub block: String,
    /// The field (`needs.education.status`).
    pub path: String,
    /// Every value, with the device (actor) and user that wrote it.
    pub values: Vec<ConflictValue>,
    /// The name of the device behind each value (as enrolled), in the same order.
    pub devices: Vec<Option<String>>,
}

impl Store {
    /// Every conflicting field of the cases in a user's areas, by district, block and case.
    pub fn conflict_queue(&self, user: &WebUser) -> Result<Vec<QueuedConflict>, ApiError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, district, block, doc FROM cases ORDER BY district, block, id")?;
        let rows: Vec<(String, String, String, Vec<u8>)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<db::Result<_>>()?;
        let mut out = Vec::new();
        for (case_id, district, block, bytes) in rows {
            if !covers(user, &district, &block) {
                continue;
            }
            let doc = homeward_shared::untrusted::load(&bytes).map_err(|e| {
                ApiError::Internal(format!("stored case {case_id} does not load: {e}"))
            })?;
            let conflicts = schema::conflicts(&doc)
                .map_err(|e| ApiError::Internal(format!("case {case_id}: {e}")))?;
            if conflicts.is_empty() {
                continue;
            }
            let child_name = schema::read_case(&doc)
                .map_err(|e| ApiError::Internal(format!("case {case_id}: {e}")))?
                .child
                .name;
            for c in conflicts {
                let mut devices = Vec::new();
                for v in &c.values {
                    let name: Option<String> = match hex::decode(&v.actor) {
                        Ok(actor) => self
                            .conn
                            .query_row("SELECT name FROM devices WHERE actor = ?1", [actor], |r| {
                                r.get(0)
                            })
                            .optional()?,
                        Err(_) => None,
                    };
                    devices.push(name);
                }
                out.push(QueuedConflict {
                    devices,
                    case_id: case_id.clone(),
                    child_name: child_name.clone(),
                    district: district.clone(),
                    block: block.clone(),
                    path: c.path,
                    values: c.values,
                });
            }
        }
        Ok(out)
    }

    /// Settles a conflicting field of a case in a supervisor's areas: keeps one device's value
    /// or sets a new text. The change is stored like a device's and reaches every device
    /// holding the case at its next sync.
    pub fn resolve_conflict(
        &mut self,
        user: &WebUser,
        case_id: &str,
        path: &str,
        value: Resolution,
    ) -> Result<(), ApiError> {
        if !matches!(user.role, Role::Supervisor | Role::Admin) {
            return Err(ApiError::Forbidden(
                "only supervisors settle conflicts".into(),
            ));
        }
        let (device, mut doc) = self.dashboard_doc(user, case_id)?;
        let edit = Edit::ResolveConflict {
            path: path.to_owned(),
            value,
        };
        let push = dashboard_edit(user, case_id, &mut doc, &edit).map_err(|e| match e {
            schema::SchemaError::NotFound { .. } => ApiError::NotFound(e.to_string()),
            other => ApiError::BadRequest(other.to_string()),
        })?;
        self.push_as(&device, &push)?;
        self.audit(&user.id, "conflict-resolve", Some(case_id), Some(path))?;
        Ok(())
    }

    /// The stored document of a case in the user's areas, loaded with the user's dashboard
    /// device as its actor; a case outside their areas answers like a missing one.
    pub(super) fn dashboard_doc(
        &mut self,
        user: &WebUser,
        case_id: &str,
    ) -> Result<(DeviceAuth, AutoCommit), ApiError> {
        let row: Option<(String, String, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT district, block, doc FROM cases WHERE id = ?1",
                [case_id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((_, _, bytes)) = row.filter(|(d, b, _)| covers(user, d, b)) else {
            return Err(ApiError::NotFound(format!("no case '{case_id}'")));
        };
        let device = self.dashboard_device(user)?;
        let doc = schema::load(&bytes, ActorId::from(device.actor.as_slice()))
            .map_err(|e| ApiError::Internal(format!("case {case_id}: {e}")))?;
        Ok((device, doc))
    }

    /// The user's dashboard device: the actor their dashboard edits are made with.
    pub(super) fn dashboard_device(&mut self, user: &WebUser) -> Result<DeviceAuth, ApiError> {
        let found: Option<(String, Vec<u8>)> = self
            .conn
            .query_row(
                "SELECT id, actor FROM devices WHERE user_id = ?1 AND kind = 'dashboard' AND revoked_at IS NULL",
                [&user.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        let (device_id, actor) = match found {
            Some(x) => x,
            None => {
                let id = random_hex::<8>()?;
                let actor = hex::decode(random_hex::<16>()?)
                    .map_err(|e| ApiError::Internal(e.to_string()))?;
                // A token nobody is given: the device exists only for its actor.
                let token_hash = sha256(random_hex::<32>()?.as_bytes());
                self.conn.execute(
                    "INSERT INTO devices (id, user_id, token_hash, actor, name, kind, enrolled_at)
                     VALUES (?1, ?2, ?3, ?4, 'dashboard', 'dashboard', ?5)",
                    params![id, user.id, token_hash, actor, now().to_rfc3339()],
                )?;
                (id, actor)
            }
        };
        Ok(DeviceAuth {
            device_id,
            user_id: user.id.clone(),
            user_name: user.name.clone(),
            role: user.role,
            actor,
        })
    }
}

/// Applies a supervisor's `edit` to `doc` (signed as the user, now) and gives the change it made
/// as one case's push, for the same checks as a phone's.
pub(super) fn dashboard_edit(
    user: &WebUser,
    case_id: &str,
    doc: &mut AutoCommit,
    edit: &Edit,
) -> Result<Vec<CasePush>, schema::SchemaError> {
    let heads = doc.get_heads();
    let ctx = EditContext {
        author: Author {
            user_id: user.id.clone(),
            name: user.name.clone(),
        },
        at: now(),
    };
    schema::apply(doc, edit, &ctx)?;
    let changes = doc
        .get_changes(&heads)
        .iter()
        .map(|c| c.raw_bytes().to_vec())
        .collect();
    Ok(vec![CasePush {
        case_id: case_id.to_owned(),
        changes,
    }])
}
