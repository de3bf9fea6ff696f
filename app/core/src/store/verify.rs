//! The materialised rows rebuilt from each case's document, and `verify`, which checks that the
//! document and the rows agree (the SIGKILL test runs it after hundreds of kills).

use super::*;

impl Store {
    /// Counts of what the store holds: (cases, changes made here, visits).
    pub fn counts(&self) -> Result<(u64, u64, u64)> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM cases), (SELECT count(*) FROM changes), (SELECT count(*) FROM visits)",
            [],
            |r| {
                let n = |i| r.get::<_, i64>(i).map(|n| u64::try_from(n).unwrap_or(0));
                Ok((n(0)?, n(1)?, n(2)?))
            },
        )?)
    }

    /// Checks that the materialised tables agree with the documents: every change recorded is
    /// in its document, and the visit rows are the document's visits. Returns the problems.
    pub fn verify(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let ids: Vec<String> = self
            .conn
            .prepare("SELECT id FROM cases")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for id in ids {
            let mut doc = load_doc(&self.conn, &id, &self.actor)?;
            let case = schema::read_case(&doc).map_err(|source| FieldError::Damaged {
                id: id.clone(),
                source,
            })?;
            let mut stmt = self
                .conn
                .prepare("SELECT hash FROM changes WHERE case_id = ?1")?;
            let hashes: Vec<Vec<u8>> = stmt
                .query_map([&id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            for h in hashes {
                let known = automerge::ChangeHash::try_from(h.as_slice())
                    .ok()
                    .and_then(|h| doc.get_change_by_hash(&h));
                if known.is_none() {
                    problems.push(format!(
                        "case {id}: a recorded change is missing from its document"
                    ));
                }
            }
            let rows: i64 = self.conn.query_row(
                "SELECT count(*) FROM visits WHERE case_id = ?1",
                [&id],
                |r| r.get(0),
            )?;
            if usize::try_from(rows).ok() != Some(case.visits.len()) {
                problems.push(format!(
                    "case {id}: {rows} visit rows for {} visits",
                    case.visits.len()
                ));
            }
            let model = self.case(&id)?;
            if model != case {
                problems.push(format!(
                    "case {id}: the materialised model differs from the document"
                ));
            }
        }
        Ok(problems)
    }
}

/// The shape of the materialised case (`case_docs.model`, the `Case` as JSON) and of the rows
/// read from it. A store whose `meta.model_shape` differs was written by an app whose `Case`
/// lacked a field this one reads (the copies of documents, issue 15, `Case::attachments`), and
/// its models would not read: every case is materialised again from its document, once, when
/// the store opens. Change it whenever `Case` or a materialised table gains what older models
/// lack.
pub(super) const MODEL_SHAPE: &str = "2: copies of documents (issue 15)";

impl Store {
    /// Materialises every case again from its document when the store's models are of an
    /// older shape ([`MODEL_SHAPE`]), in one transaction; nothing when they are current.
    pub(super) fn refresh_models(&mut self) -> Result<()> {
        if self.meta("model_shape")?.as_deref() == Some(MODEL_SHAPE) {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let ids: Vec<String> = tx
            .prepare("SELECT case_id FROM case_docs ORDER BY case_id")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let day = today();
        for id in ids {
            let mut doc = load_doc(&tx, &id, &self.actor)?;
            materialise(&tx, &mut doc, day, &self.programme, false)?;
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('model_shape', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [MODEL_SHAPE],
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// Rewrites every materialised row of one case from its document.
pub(super) fn materialise(
    tx: &Transaction<'_>,
    doc: &mut AutoCommit,
    day: NaiveDate,
    programme: &Programme,
    new: bool,
) -> Result<()> {
    let case = schema::read_case(doc)?;
    let conflicts = schema::conflicts(doc)?.len();
    // Checked: a document that would not load back is never stored (untrusted::save_checked).
    let saved = untrusted::save_checked(doc).map_err(schema::SchemaError::from)?;
    let model = serde_json::to_vec(&case).map_err(|e| FieldError::BadInput(e.to_string()))?;
    let risk = prompt::risk(&case, day, programme);
    let next = prompt::next_visit(&case, day, programme);
    let last_visit = prompt::last_counted_visit(&case, day, programme);
    let sql = if new {
        "INSERT INTO cases (id, name, other_names, sex, district, block, village, returned_on,
                            state, risk, last_visit, next_due, conflicts, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    } else {
        "UPDATE cases SET name = ?2, other_names = ?3, sex = ?4, district = ?5, block = ?6,
                          village = ?7, returned_on = ?8, state = ?9, risk = ?10,
                          last_visit = ?11, next_due = ?12, conflicts = ?13, updated_at = ?14
         WHERE id = ?1"
    };
    let a = &case.child.address;
    tx.prepare_cached(sql)?.execute(params![
        case.id,
        case.child.name,
        case.child.other_names.join("\n"),
        case.child.sex.key(),
        a.district,
        a.block,
        a.village,
        case.rescue.returned_on.to_string(),
        case.status.state.key(),
        risk.key(),
        last_visit.map(|d| d.to_string()),
        next.map(|n| n.due.to_string()),
        i64::try_from(conflicts).unwrap_or(i64::MAX),
        now().to_rfc3339(),
    ])?;
    tx.prepare_cached(
        "INSERT INTO case_docs (case_id, doc, model) VALUES (?1, ?2, ?3)
         ON CONFLICT (case_id) DO UPDATE SET doc = excluded.doc, model = excluded.model",
    )?
    .execute(params![case.id, saved, model])?;
    tx.prepare_cached("DELETE FROM visits WHERE case_id = ?1")?
        .execute([&case.id])?;
    let mut ins = tx.prepare_cached(
        "INSERT INTO visits (case_id, id, date, kind, by_name, met, note, recorded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for v in &case.visits {
        ins.execute(params![
            case.id,
            v.id,
            v.date.to_string(),
            v.kind.key(),
            v.by.name,
            v.met,
            v.note,
            v.recorded_at.to_rfc3339()
        ])?;
    }
    write_refs(tx, &case)?;
    write_prompts(tx, &case, day, programme)
}
