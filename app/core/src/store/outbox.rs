//! The sync outbox and what a round writes: the metadata (typed where it matters: nothing
//! outside this crate sets the cursor), the changes waiting to go up in bounded pages, changes
//! the server refused and set aside, and applying a round's answer with its cursor in one
//! transaction.

use super::*;

impl Store {
    /// Sets a setting in the `meta` table.
    pub(crate) fn set_meta(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// Removes a metadata key.
    pub(crate) fn delete_meta(&mut self, key: &str) -> Result<()> {
        self.conn
            .execute("DELETE FROM meta WHERE key = ?1", [key])?;
        Ok(())
    }

    /// Keeps the reference data a sync brought (who the user is, their areas and cases, spot
    /// checks, send-backs). The sync round writes it; tests set it to stand for a server.
    ///
    /// Its resource map, when it carries one, is kept apart ([`Store::resources`]) and the
    /// reference kept without it; one without keeps the map held, as a sync round does.
    pub fn set_reference(&mut self, reference: &Reference) -> Result<()> {
        let tx = self.conn.transaction()?;
        let kept = keep_map(&tx, reference)?;
        let json = serde_json::to_string(&kept)
            .map_err(|e| FieldError::BadInput(format!("reference data: {e}")))?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('reference', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [json],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The sync cursor (`Start` before the first sync).
    pub fn cursor(&self) -> Result<Cursor> {
        match self.meta("cursor")? {
            Some(c) => serde_json::from_str(&c)
                .map_err(|e| FieldError::BadInput(format!("stored sync cursor is damaged: {e}"))),
            None => Ok(Cursor::Start),
        }
    }

    /// The changes made here that the server has not confirmed, grouped by case in the order
    /// they were made.
    ///
    /// At most `max_bytes` of changes (but always at least one): a backlog goes up in bounded
    /// pages, oldest first, so a cut connection costs one page, not the whole upload.
    pub fn outbox(&self, max_bytes: usize) -> Result<Outbox> {
        self.outbox_of_round(max_bytes, false)
    }

    /// [`Store::outbox`], leaving out the changes a bundle carried when `without_bundled` (a
    /// sync's first round: the server may hold them already, and says so in its answer).
    pub fn outbox_of_round(&self, max_bytes: usize, without_bundled: bool) -> Result<Outbox> {
        let sql = if without_bundled {
            "SELECT seq, case_id, bytes FROM changes WHERE pushed = 0 AND bundled IS NULL ORDER BY seq"
        } else {
            "SELECT seq, case_id, bytes FROM changes WHERE pushed = 0 ORDER BY seq"
        };
        let mut stmt = self.conn.prepare(sql)?;
        let mut rows = stmt.query([])?;
        let mut out = Outbox {
            without_bundled,
            ..Outbox::default()
        };
        let mut bytes = 0usize;
        while let Some(row) = rows.next()? {
            let (seq, case_id, change): (i64, String, Vec<u8>) =
                (row.get(0)?, row.get(1)?, row.get(2)?);
            if out.count > 0 && bytes + change.len() > max_bytes {
                break;
            }
            bytes += change.len();
            out.count += 1;
            out.up_to = Some(seq);
            match out.push.iter_mut().find(|p| p.case_id == case_id) {
                Some(p) => p.changes.push(change),
                None => out.push.push(CasePush {
                    case_id,
                    changes: vec![change],
                }),
            }
        }
        Ok(out)
    }

    /// How many local changes wait for the server.
    pub fn waiting(&self) -> Result<usize> {
        let n: i64 =
            self.conn
                .query_row("SELECT count(*) FROM changes WHERE pushed = 0", [], |r| {
                    r.get(0)
                })?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    /// Sets aside the waiting changes of a case the server refused, with its reason: they stay
    /// on the device (in the journal and the document) and are no longer pushed. Returns how
    /// many.
    pub fn set_aside(&mut self, case_id: &str, reason: &str) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE changes SET pushed = 2, refused = ?2 WHERE case_id = ?1 AND pushed = 0",
            params![case_id, reason],
        )?)
    }

    /// Puts every refused change back in the outbox (after the scope was fixed on the server).
    pub fn retry_refused(&mut self) -> Result<usize> {
        Ok(self.conn.execute(
            "UPDATE changes SET pushed = 0, refused = NULL WHERE pushed = 2",
            [],
        )?)
    }

    /// Puts every change the server confirmed back in the outbox, to be sent again: for a
    /// server restored from a backup, which lost what this phone sent after it (the server keeps
    /// a change once, so what it still holds costs only the bytes). Changes it refused stay set
    /// aside. Returns how many will go again.
    pub fn resend_confirmed(&mut self) -> Result<usize> {
        Ok(self
            .conn
            .execute("UPDATE changes SET pushed = 0 WHERE pushed = 1", [])?)
    }

    /// The changes the server refused, by case: (case id, how many, reason).
    pub fn refused(&self) -> Result<Vec<(String, usize, String)>> {
        let mut stmt = self.conn.prepare(
            "SELECT case_id, count(*), max(refused) FROM changes WHERE pushed = 2 GROUP BY case_id ORDER BY case_id",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    usize::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                    r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Applies one sync round's response in one transaction: marks confirmed changes, merges
    /// documents and changes, drops cases no longer held, and only then moves the cursor. An
    /// interrupted round leaves the store as it was, and the next round repeats it harmlessly.
    ///
    /// A resource map in the reference data is kept in the same transaction, apart from the
    /// reference ([`Store::resources`]); a reference without one keeps the map held.
    ///
    /// A programme of the server's new to this store (in the reference data) is kept in the same
    /// transaction and put in force: this round's cases are materialised with it and every other
    /// case's prompts, risk and next visit are recomputed with it before the round commits. One
    /// this app cannot read is not taken up (the one in force stays; [`Store::programme_refused`]
    /// says why; the reference is asked again each round) and the round applies all the same.
    ///
    /// `sent` is the outbox the request carried: the server stores a push whole or refuses it
    /// whole, so a response confirms all of it.
    pub fn apply_round(&mut self, sent: &Outbox, resp: &SyncResponse) -> Result<RoundStats> {
        let mut stats = RoundStats::default();
        if usize::try_from(resp.stored).ok() != Some(sent.count) {
            return Err(FieldError::Network(format!(
                "the server confirmed {} of the {} changes sent",
                resp.stored, sent.count
            )));
        }
        // The server's programme, when it sent one this store does not hold yet.
        let mut refused = None;
        let received = match &resp.reference {
            Some(r) if !r.programme.toml.is_empty() => {
                let raw = serde_json::to_string(&r.programme)
                    .map_err(|e| FieldError::BadInput(e.to_string()))?;
                if self.meta("server_programme")?.as_deref() == Some(raw.as_str()) {
                    None
                } else {
                    match Programme::from_whole_toml(&r.programme.toml) {
                        Ok(p) => Some((raw, p)),
                        Err(e) => {
                            refused = Some(format!("version {}: {e}", r.programme.version));
                            None
                        }
                    }
                }
            }
            _ => None,
        };
        let bundle_seen = self.meta_number("bundle_seen")?;
        let server_keys = match &resp.reference {
            Some(r) => self.keys_offered(&r.server_keys)?,
            None => None,
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let programme = received.as_ref().map_or(&self.programme, |(_, p)| p);
        let day = today();
        if let Some(up_to) = sent.up_to {
            let sql = if sent.without_bundled {
                "UPDATE changes SET pushed = 1 WHERE seq <= ?1 AND pushed = 0 AND bundled IS NULL"
            } else {
                "UPDATE changes SET pushed = 1 WHERE seq <= ?1 AND pushed = 0"
            };
            stats.confirmed = tx.execute(sql, [up_to])?;
        }
        // What the server holds from this device's bundles: confirmed, never sent again.
        if let Some(b) = &resp.bundled {
            for h in &b.changes {
                let Some(hash) = key::unhex(h) else { continue };
                stats.confirmed += tx.execute(
                    "UPDATE changes SET pushed = 1, refused = NULL WHERE hash = ?1 AND pushed != 1",
                    [hash],
                )?;
            }
            for id in &b.outcomes {
                tx.execute(
                    "DELETE FROM spot_check_outcomes WHERE id = ?1 AND bundled IS NOT NULL",
                    [id],
                )?;
            }
            if b.seq > bundle_seen {
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES ('bundle_seen', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [b.seq.to_string()],
                )?;
            }
        }
        // Server keys the reference offers, endorsed by one this device trusts.
        if let Some(keys) = &server_keys {
            let j = serde_json::to_string(keys).map_err(|e| FieldError::Corrupt(e.to_string()))?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('server_keys', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [j],
            )?;
        }
        for d in &resp.documents {
            let mut incoming =
                schema::load(&d.doc, self.actor.clone()).map_err(|source| FieldError::Damaged {
                    id: d.case_id.clone(),
                    source,
                })?;
            let known = case_known(&tx, &d.case_id)?;
            if known {
                let doc = load_doc(&tx, &d.case_id, &self.actor)?;
                let mut doc = untrusted::merge(doc, incoming).map_err(|e| FieldError::Damaged {
                    id: d.case_id.clone(),
                    source: schema::SchemaError::Automerge(e.to_string()),
                })?;
                materialise(&tx, &mut doc, day, programme, false)?;
            } else {
                materialise(&tx, &mut incoming, day, programme, true)?;
            }
            stats.documents += 1;
        }
        let mut by_case: Vec<(&str, Vec<automerge::Change>)> = Vec::new();
        for c in &resp.changes {
            let change = untrusted::parse_change(&c.bytes).map_err(|e| FieldError::Damaged {
                id: c.case_id.clone(),
                source: schema::SchemaError::Corrupt(e.to_string()),
            })?;
            match by_case.iter_mut().find(|(id, _)| *id == c.case_id) {
                Some((_, v)) => v.push(change),
                None => by_case.push((&c.case_id, vec![change])),
            }
            stats.changes += 1;
        }
        for (case_id, changes) in by_case {
            let known = case_known(&tx, case_id)?;
            let doc = if known {
                load_doc(&tx, case_id, &self.actor)?
            } else {
                AutoCommit::new().with_actor(self.actor.clone())
            };
            let mut doc =
                untrusted::apply_changes(doc, changes).map_err(|e| FieldError::Damaged {
                    id: case_id.to_owned(),
                    source: schema::SchemaError::Automerge(e.to_string()),
                })?;
            // Never persist a document with queued changes (SYNC-NOTES pitfall 2).
            if !doc.get_missing_deps(&[]).is_empty() {
                return Err(FieldError::Damaged {
                    id: case_id.to_owned(),
                    source: schema::SchemaError::Corrupt(
                        "the server sent changes whose dependencies are missing".into(),
                    ),
                });
            }
            materialise(&tx, &mut doc, day, programme, !known)?;
        }
        for case_id in &resp.dropped {
            let unpushed: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM changes WHERE case_id = ?1 AND pushed != 1)",
                [case_id],
                |r| r.get(0),
            )?;
            if unpushed {
                // Kept while changes made here are unconfirmed or refused: nothing made on the
                // device is deleted before the server holds it.
                stats.kept += 1;
                continue;
            }
            for sql in [
                "DELETE FROM attachment_refs WHERE case_id = ?1",
                "DELETE FROM prompts WHERE case_id = ?1",
                "DELETE FROM visits WHERE case_id = ?1",
                "DELETE FROM changes WHERE case_id = ?1",
                "DELETE FROM case_docs WHERE case_id = ?1",
                "DELETE FROM cases WHERE id = ?1",
            ] {
                tx.execute(sql, [case_id])?;
            }
            stats.dropped += 1;
        }
        if stats.dropped > 0 {
            // The copies of a case no longer held leave with it.
            drop_unnamed(&tx)?;
        }
        if let Some(r) = &resp.reference {
            let set = |k: &str, v: &str| {
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    params![k, v],
                )
            };
            set("user_id", &r.user_id)?;
            set("user_name", &r.user_name)?;
            // The resource map it carries is kept apart (none: the one held stays).
            let kept = keep_map(&tx, r)?;
            // With a programme this app could not read, the reference is kept as version 0, so
            // every round asks for it again: an updated app takes the programme up at once.
            let kept = match &refused {
                Some(_) => Reference { version: 0, ..kept },
                None => kept,
            };
            set(
                "reference",
                &serde_json::to_string(&kept).map_err(|e| FieldError::BadInput(e.to_string()))?,
            )?;
            if let Some(why) = &refused {
                set("programme_refused", why)?;
            }
        }
        if let Some((raw, p)) = &received {
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('server_programme', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [raw],
            )?;
            tx.execute("DELETE FROM meta WHERE key = 'programme_refused'", [])?;
            // Every case now, not at the next listing: the case list reads risk and next visit
            // from the rows.
            let print = fingerprint(p)?;
            tx.execute(
                "UPDATE cases SET prompts_from = NULL, prompts_until = NULL",
                [],
            )?;
            refresh_prompts(&tx, day, p)?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('programme', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [print],
            )?;
        }
        let cursor =
            serde_json::to_string(&resp.cursor).map_err(|e| FieldError::BadInput(e.to_string()))?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('cursor', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [cursor],
        )?;
        tx.commit()?;
        if received.is_some() {
            // In force from now on this connection (the rows are already recomputed).
            self.use_programme()?;
        }
        Ok(stats)
    }

    /// The reference data from the last sync (user, areas, assigned cases).
    pub fn reference(&self) -> Result<Option<Reference>> {
        self.meta("reference")?
            .map(|r| {
                serde_json::from_str(&r).map_err(|e| {
                    FieldError::BadInput(format!("stored reference data is damaged: {e}"))
                })
            })
            .transpose()
    }

    /// What was made on this device and the server does not hold: (changes waiting or set
    /// aside, spot-check outcomes not recorded by the server).
    pub fn unconfirmed(&self) -> Result<(usize, usize)> {
        let (changes, outcomes): (i64, i64) = self.conn.query_row(
            "SELECT (SELECT count(*) FROM changes WHERE pushed != 1),
                    (SELECT count(*) FROM spot_check_outcomes)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok((
            usize::try_from(changes).unwrap_or(0),
            usize::try_from(outcomes).unwrap_or(0),
        ))
    }
}
