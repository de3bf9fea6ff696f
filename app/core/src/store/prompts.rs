//! Today's prompts: kept per case for the days over which they do not change
//! (`prompt::prompts_until`), recomputed only for the cases whose window does not cover the day,
//! and worded in the reader's language from their facts.

use super::*;

impl Store {
    /// Today's prompts across every case, most urgent first. Each case's prompts are kept for
    /// the days over which they do not change; cases whose window does not cover `day` are
    /// recomputed first (from the materialised models, without Automerge), with the programme
    /// in force (one another connection's sync brought included).
    pub fn today(&mut self, day: NaiveDate) -> Result<Vec<TodayPrompt>> {
        self.reload_programme()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        refresh_prompts(&tx, day, &self.programme)?;
        tx.commit()?;
        let mut stmt = self.conn.prepare(
            "SELECT p.case_id, p.kind, p.priority, p.due, p.dimension, p.subject, p.reason, c.name, c.village, p.why
             FROM prompts p JOIN cases c ON c.id = p.case_id",
        )?;
        let mut out: Vec<TodayPrompt> = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, String>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, String>(8)?,
                    r.get::<_, Option<String>>(9)?,
                ))
            })?
            .map(|row| {
                let (case_id, kind, priority, due, dimension, subject, reason, name, village, why) =
                    row?;
                let bad =
                    |what: &str| FieldError::BadInput(format!("prompts table holds a bad {what}"));
                Ok(TodayPrompt {
                    prompt: Prompt {
                        case_id,
                        kind: serde_json::from_value::<PromptKind>(serde_json::Value::String(kind))
                            .map_err(|_| bad("kind"))?,
                        priority: priority_from(priority).ok_or_else(|| bad("priority"))?,
                        due: due.parse().map_err(|_| bad("date"))?,
                        dimension: dimension
                            .map(|d| d.parse())
                            .transpose()
                            .map_err(|_| bad("dimension"))?,
                        subject,
                        reason,
                        why: why
                            .map(|w| serde_json::from_str(&w))
                            .transpose()
                            .map_err(|_| bad("reason's facts"))?
                            .unwrap_or_default(),
                    },
                    name,
                    village,
                })
            })
            .collect::<Result<_>>()?;
        out.sort_by(|a, b| {
            let (a, b) = (&a.prompt, &b.prompt);
            (a.priority, a.due, a.kind, &a.case_id, &a.subject)
                .cmp(&(b.priority, b.due, b.kind, &b.case_id, &b.subject))
        });
        Ok(out)
    }

    /// Words each prompt's reason in `lang` from its facts, with this store's programme (scheme
    /// names); a prompt stored without its facts keeps its English reason.
    pub fn word_prompts<'a>(
        &self,
        prompts: impl IntoIterator<Item = &'a mut Prompt>,
        lang: homeward_shared::i18n::Lang,
    ) {
        let catalogue = homeward_shared::i18n::Catalogue::new(lang);
        for p in prompts {
            if p.why != prompt::Why::Unknown {
                p.reason = catalogue.reason(&p.why, &self.programme);
            }
        }
    }
}

pub(super) fn priority_from(n: i64) -> Option<Priority> {
    match n {
        0 => Some(Priority::Urgent),
        1 => Some(Priority::High),
        2 => Some(Priority::Normal),
        _ => None,
    }
}

pub(super) fn priority_rank(p: Priority) -> i64 {
    match p {
        Priority::Urgent => 0,
        Priority::High => 1,
        Priority::Normal => 2,
    }
}

/// Writes one case's prompts for `day`, with its risk and next visit, and the window of days
/// they hold for.
pub(super) fn write_prompts(
    tx: &Transaction<'_>,
    case: &Case,
    day: NaiveDate,
    programme: &Programme,
) -> Result<()> {
    let (prompts, until) =
        prompt::prompts_until(case, day, programme, prompt::PROMPTS_HORIZON_DAYS);
    tx.prepare_cached("DELETE FROM prompts WHERE case_id = ?1")?
        .execute([&case.id])?;
    let mut ins = tx.prepare_cached(
        "INSERT INTO prompts (case_id, position, kind, priority, due, dimension, subject, reason, why)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    for (i, p) in prompts.iter().enumerate() {
        let kind = serde_json::to_value(p.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        ins.execute(params![
            case.id,
            i64::try_from(i).unwrap_or(i64::MAX),
            kind,
            priority_rank(p.priority),
            p.due.to_string(),
            p.dimension.map(|d| d.key()),
            p.subject,
            p.reason,
            serde_json::to_string(&p.why).ok()
        ])?;
    }
    let next = prompt::next_visit(case, day, programme).map(|n| n.due.to_string());
    let risk = prompt::risk(case, day, programme).key();
    // The last visit that counts depends on the programme too (a phone call, or not).
    let last = prompt::last_counted_visit(case, day, programme).map(|d| d.to_string());
    tx.prepare_cached(
        "UPDATE cases SET risk = ?2, next_due = ?3, last_visit = ?4, prompts_from = ?5, prompts_until = ?6 WHERE id = ?1",
    )?
    .execute(params![
        case.id,
        risk,
        next,
        last,
        day.to_string(),
        until.to_string()
    ])?;
    Ok(())
}

/// Recomputes the prompts of the cases whose window does not cover `day`.
pub(super) fn refresh_prompts(
    tx: &Transaction<'_>,
    day: NaiveDate,
    programme: &Programme,
) -> Result<usize> {
    let mut stmt = tx.prepare(
        "SELECT d.case_id, d.model FROM case_docs d JOIN cases c ON c.id = d.case_id
         WHERE c.prompts_from IS NULL OR NOT (c.prompts_from <= ?1 AND ?1 <= c.prompts_until)",
    )?;
    let rows: Vec<(String, Vec<u8>)> = stmt
        .query_map([day.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, model) in &rows {
        let case: Case = serde_json::from_slice(model).map_err(|e| FieldError::Damaged {
            id: id.clone(),
            source: schema::SchemaError::Corrupt(e.to_string()),
        })?;
        write_prompts(tx, &case, day, programme)?;
    }
    Ok(rows.len())
}
