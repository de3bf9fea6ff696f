//! Cases: registering, editing and reading them, resolving short ids, the caseload's list and
//! areas, and the standard Automerge file of one case (export and import of this device's own
//! changes). Every edit is one SQLite transaction with its change and the rebuilt rows.

use super::*;

impl Store {
    /// The case `case_id` with its risk, next visit, prompts and conflicts on `day`.
    pub fn case_view(&self, case_id: &str, day: NaiveDate) -> Result<CaseView> {
        let case = self.case(case_id)?;
        let closure_pending = case.status.state == homeward_shared::model::CaseState::Closed
            && self
                .reference()?
                .is_some_and(|r| r.closures_pending.contains(&case.id));
        Ok(CaseView {
            risk: prompt::risk(&case, day, &self.programme),
            next_visit: prompt::next_visit(&case, day, &self.programme),
            prompts: prompt::prompts(&case, day, &self.programme),
            conflicts: self.conflicts(case_id)?,
            age: case.age_on(day),
            document_kinds: homeward_shared::model::DocumentKind::ALL.to_vec(),
            closure_pending,
            case,
        })
    }

    /// Resolves a case id or a unique prefix of one (at least 4 characters).
    pub fn resolve(&self, id_or_prefix: &str) -> Result<String> {
        let exact: Option<String> = self
            .conn
            .query_row("SELECT id FROM cases WHERE id = ?1", [id_or_prefix], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(id) = exact {
            return Ok(id);
        }
        if id_or_prefix.len() < 4 {
            return Err(FieldError::UnknownCase(id_or_prefix.to_owned()));
        }
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM cases WHERE substr(id, 1, length(?1)) = ?1 LIMIT 3")?;
        let ids: Vec<String> = stmt
            .query_map([id_or_prefix], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        match ids.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(FieldError::UnknownCase(id_or_prefix.to_owned())),
            many => Err(FieldError::AmbiguousCase(
                id_or_prefix.to_owned(),
                many.len(),
            )),
        }
    }

    /// Registers a returned child as this store's user; returns the case id.
    pub fn register(&mut self, profile: &Profile, at: DateTime<Utc>) -> Result<String> {
        let ctx = self.context(at)?;
        self.register_as(profile, &ctx)
    }

    /// Registers a returned child with an explicit author and time (imports, the demo).
    pub fn register_as(&mut self, profile: &Profile, ctx: &EditContext) -> Result<String> {
        let doc = schema::new_case(self.actor.clone(), profile, ctx)?;
        self.insert_new(doc, ctx.at)
    }

    /// Adds a synthetic case, its whole history built in memory and stored in one transaction.
    pub fn add_synthetic(&mut self, case: &SynthCase) -> Result<String> {
        let doc = case.build(self.actor.clone())?;
        self.insert_new(doc, case.registered.at)
    }

    pub(super) fn insert_new(&mut self, mut doc: AutoCommit, at: DateTime<Utc>) -> Result<String> {
        let case_id = schema::case_id(&doc)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if case_known(&tx, &case_id)? {
            return Err(FieldError::BadInput(format!(
                "case id '{case_id}' is already taken"
            )));
        }
        let changes = doc.get_changes(&[]);
        let day = today();
        materialise(&tx, &mut doc, day, &self.programme, true)?;
        record_changes(&tx, &case_id, &changes, at)?;
        tx.commit()?;
        Ok(case_id)
    }

    /// Applies one edit to a case as this store's user, as one transaction.
    pub fn edit(&mut self, case_id: &str, edit: &Edit, at: DateTime<Utc>) -> Result<()> {
        let ctx = self.context(at)?;
        self.edit_as(case_id, edit, &ctx)
    }

    /// Applies one edit with an explicit author and time, as one transaction: the new
    /// Automerge change and every materialised row commit together, or nothing does.
    pub fn edit_as(&mut self, case_id: &str, edit: &Edit, ctx: &EditContext) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if edit_in(&tx, case_id, edit, ctx, &self.actor, &self.programme)? {
            tx.commit()?;
        }
        Ok(())
    }

    /// The whole case.
    pub fn case(&self, case_id: &str) -> Result<Case> {
        let model: Vec<u8> = self
            .conn
            .query_row(
                "SELECT model FROM case_docs WHERE case_id = ?1",
                [case_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| FieldError::UnknownCase(case_id.to_owned()))?;
        serde_json::from_slice(&model).map_err(|e| FieldError::Damaged {
            id: case_id.to_owned(),
            source: schema::SchemaError::Corrupt(e.to_string()),
        })
    }

    /// The fields of a case edited concurrently on two devices.
    pub fn conflicts(&self, case_id: &str) -> Result<Vec<schema::Conflict>> {
        let doc = load_doc(&self.conn, case_id, &self.actor)?;
        schema::conflicts(&doc).map_err(|source| FieldError::Damaged {
            id: case_id.to_owned(),
            source,
        })
    }

    /// The case list, by block, village and name.
    pub fn cases(&self, filter: &CaseFilter) -> Result<Vec<CaseRow>> {
        let like = filter
            .search
            .as_ref()
            .map(|s| format!("%{}%", s.to_lowercase()));
        let mut stmt = self.conn.prepare(
            "SELECT id, name, district, block, village, state, risk, last_visit, next_due, conflicts
             FROM cases
             WHERE (?1 IS NULL OR lower(name) LIKE ?1 OR lower(other_names) LIKE ?1 OR lower(village) LIKE ?1)
               AND (?2 IS NULL OR risk = ?2)
               AND (?3 IS NULL OR block = ?3)
             ORDER BY district, block, village, name, id",
        )?;
        let rows = stmt
            .query_map(params![like, filter.risk, filter.block], |r| {
                Ok(CaseRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    district: r.get(2)?,
                    block: r.get(3)?,
                    village: r.get(4)?,
                    state: r.get(5)?,
                    risk: r.get(6)?,
                    last_visit: r.get(7)?,
                    next_due: r.get(8)?,
                    conflicts: r.get(9)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Every block of the caseload, sorted (for a filter).
    pub fn blocks(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT block FROM cases ORDER BY block")?;
        let rows = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The districts and blocks a child may be registered in on this device: the user's areas
    /// from the reference data; for an area that is a whole district, the blocks of that
    /// district's cases (there is no list of every block of Bihar). Empty before the first sync.
    pub fn known_areas(&self) -> Result<Vec<KnownArea>> {
        let Some(reference) = self.reference()? else {
            return Ok(Vec::new());
        };
        let mut out: Vec<KnownArea> = Vec::new();
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT block FROM cases WHERE district = ?1 ORDER BY block")?;
        for (district, block) in &reference.areas {
            let i = match out.iter().position(|a| &a.district == district) {
                Some(i) => i,
                None => {
                    out.push(KnownArea {
                        district: district.clone(),
                        blocks: Vec::new(),
                        whole_district: false,
                    });
                    out.len() - 1
                }
            };
            let area = &mut out[i];
            if block.is_empty() {
                area.whole_district = true;
                let blocks: Vec<String> = stmt
                    .query_map([district], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                area.blocks.extend(blocks);
            } else {
                area.blocks.push(block.clone());
            }
            area.blocks.sort();
            area.blocks.dedup();
        }
        out.sort_by(|a, b| a.district.cmp(&b.district));
        Ok(out)
    }

    /// The saved Automerge document of a case: a standard document any implementation reads.
    pub fn export(&self, case_id: &str) -> Result<Vec<u8>> {
        let mut doc = load_doc(&self.conn, case_id, &self.actor)?;
        Ok(doc.save())
    }

    /// Imports a saved case document: a new case is added, a known one merged. Returns the
    /// case id and whether it was new.
    ///
    /// Only changes made on this device, or already held here, may come in: a change of
    /// another device reaches the server only from that device (the server refuses a device's
    /// push of another actor's changes), so once merged here every later edit of the case would
    /// depend on a change the server may never hold, and be refused. Such a file is refused
    /// whole; the way to get another device's work is to sync. Changes of this device that the
    /// journal does not hold (a file exported here before) are journaled to be pushed, so later
    /// edits never depend on a change only this device has.
    pub fn import(&mut self, bytes: &[u8]) -> Result<(String, bool)> {
        let mut incoming = schema::load(bytes, self.actor.clone())
            .map_err(|e| FieldError::BadInput(format!("not a Homeward case file: {e}")))?;
        let case = schema::read_case(&incoming)
            .map_err(|e| FieldError::BadInput(format!("not a readable Homeward case: {e}")))?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let known = case_known(&tx, &case.id)?;
        let mut doc = if known {
            load_doc(&tx, &case.id, &self.actor)?
        } else {
            AutoCommit::new().with_actor(self.actor.clone())
        };
        let heads = doc.get_heads();
        let new_changes = untrusted::changes_added(&mut doc, &mut incoming)
            .map_err(|e| FieldError::BadInput(format!("cannot compare the imported case: {e}")))?;
        let foreign = new_changes
            .iter()
            .filter(|c| c.actor_id() != &self.actor)
            .count();
        if foreign > 0 {
            return Err(FieldError::BadInput(format!(
                "the file holds {foreign} changes to case {} made on another device and not yet on this one; such changes can reach the server only from the device that made them, and every later edit here would be refused: sync both devices instead",
                case.id
            )));
        }
        let mut doc = untrusted::merge(doc, incoming)
            .map_err(|e| FieldError::BadInput(format!("cannot merge the imported case: {e}")))?;
        schema::read_case(&doc)
            .map_err(|e| FieldError::BadInput(format!("the merged case does not read: {e}")))?;
        let day = today();
        materialise(&tx, &mut doc, day, &self.programme, !known)?;
        let own = doc.get_changes(&heads);
        record_changes(&tx, &case.id, &own, now())?;
        tx.commit()?;
        Ok((case.id, !known))
    }
}

/// Applies one edit inside the caller's transaction: the new Automerge change journaled and
/// every materialised row rewritten. `false`: a retried edit already stored, nothing written.
/// [`Store::edit_as`] and the edits that store more beside (an attached copy's bytes) share it.
pub(super) fn edit_in(
    tx: &Transaction<'_>,
    case_id: &str,
    edit: &Edit,
    ctx: &EditContext,
    actor: &ActorId,
    programme: &Programme,
) -> Result<bool> {
    let mut doc = load_doc(tx, case_id, actor)?;
    let before = doc.get_heads();
    schema::apply(&mut doc, edit, ctx)?;
    // `before` are this document's own heads, so this is exactly the new change.
    let changes = doc.get_changes(&before);
    if changes.is_empty() {
        return Ok(false);
    }
    materialise(tx, &mut doc, today(), programme, false)?;
    record_changes(tx, case_id, &changes, ctx.at)?;
    Ok(true)
}

pub(super) fn case_known(conn: &Connection, case_id: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM cases WHERE id = ?1)",
        [case_id],
        |r| r.get(0),
    )?)
}

pub(super) fn load_doc(conn: &Connection, case_id: &str, actor: &ActorId) -> Result<AutoCommit> {
    let bytes: Vec<u8> = conn
        .query_row(
            "SELECT doc FROM case_docs WHERE case_id = ?1",
            [case_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or_else(|| FieldError::UnknownCase(case_id.to_owned()))?;
    schema::load(&bytes, actor.clone()).map_err(|source| FieldError::Damaged {
        id: case_id.to_owned(),
        source,
    })
}

pub(super) fn record_changes(
    tx: &Transaction<'_>,
    case_id: &str,
    changes: &[automerge::Change],
    at: DateTime<Utc>,
) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT OR IGNORE INTO changes (case_id, hash, bytes, recorded_at) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for c in changes {
        stmt.execute(params![
            case_id,
            c.hash().0.as_slice(),
            c.raw_bytes(),
            at.to_rfc3339()
        ])?;
    }
    Ok(())
}
