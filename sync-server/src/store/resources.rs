//! The resource map (issue 17): the providers of each district and block a family can be
//! referred to, kept by the Core Team (the command line's `resource` verb, the dashboard's
//! `/resources`) and sent to each device with its reference data for the blocks of its areas
//! ([`for_user`], called by `sync.rs`'s `reference`).
//!
//! Each change is one transaction: the resource checked ([`Resource::check`], and a sex of
//! `f` or `m` only), stored, audited, and the reference version of every user whose areas
//! cover its place (a whole district covers each of its blocks) moved, so their devices receive
//! the new map at their next sync; a user elsewhere keeps their version. A resource is never
//! deleted (referrals on phones name it): it is set inactive.
//!
//! Who may change which resource is the caller's to check (the dashboard: supervisors within
//! their areas, administrators anywhere; the command line: whoever holds the database).
//!
//! An import (a CSV file, [`parse_csv`]) is checked whole before anything is stored and refused
//! with the line of the first bad row; a row whose district, block, kind and name are a stored
//! resource's updates it, so importing the same file twice changes nothing.

use std::collections::HashMap;

use super::db::{self, Db, OptionalExtension, params};
use homeward_shared::model::Sex;
use homeward_shared::resource::{MAX_RESOURCES, Resource, ResourceKind};
use serde::Serialize;

use super::{Store, now, random_hex};
use crate::error::ApiError;

/// The columns of a resource row, in the order of [`read`].
const COLUMNS: &str =
    "id, district, block, kind, name, address, contact, offers, min_age, max_age, sex, active";

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Imported {
    /// New resources.
    pub added: usize,
    /// Stored resources whose row differed.
    pub updated: usize,
    /// Rows equal to the stored resource.
    pub unchanged: usize,
}

/// One row of an import file with its line (1 is the header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvRow {
    /// The line of the file the row starts on.
    pub line: u64,
    /// The resource it describes (no id).
    pub resource: Resource,
}

impl Store {
    /// Every resource of a district (or of every district), inactive ones included, by
    /// district, block, kind and name.
    pub fn resources(&self, district: Option<&str>) -> Result<Vec<Resource>, ApiError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM resources WHERE CAST(?1 AS TEXT) IS NULL OR district = ?1"
        ))?;
        let rows = stmt
            .query_map([district], read)?
            .collect::<db::Result<Vec<_>>>()?;
        sorted(rows)
    }

    /// The resources of these areas ((district, block), block `''` for the whole district).
    pub fn resources_in_areas(
        &self,
        areas: &[(String, String)],
    ) -> Result<Vec<Resource>, ApiError> {
        Ok(self
            .resources(None)?
            .into_iter()
            .filter(|r| crate::scope::in_areas(areas, &r.district, &r.block))
            .collect())
    }

    /// One resource.
    pub fn resource(&self, id: &str) -> Result<Resource, ApiError> {
        one(&self.conn, id)?.ok_or_else(|| ApiError::NotFound(format!("no resource '{id}'")))
    }

    /// Puts a resource on the map (its `id` is ignored: the server makes one) and returns its id.
    /// Refused (400) when it does not check.
    pub fn add_resource(&mut self, resource: &Resource, by: &str) -> Result<String, ApiError> {
        let r = normalized(resource)?;
        let tx = self.tx()?;
        let r = spelled_as(&known_places(&tx)?, r);
        room(&tx, 1)?;
        let id = insert(&tx, &r, by)?;
        audit(&tx, by, "resource-add", &format!("{id}: {}", describe(&r)))?;
        tx.commit()?;
        Ok(id)
    }

    /// Changes a resource (every field but its id). Refused (400) when it does not check, 404
    /// when there is no such resource. The users of its old place and of its new one receive
    /// the change.
    pub fn update_resource(
        &mut self,
        id: &str,
        resource: &Resource,
        by: &str,
    ) -> Result<(), ApiError> {
        let mut r = normalized(resource)?;
        r.id = id.to_owned();
        let tx = self.tx()?;
        let r = spelled_as(&known_places(&tx)?, r);
        let old = one(&tx, id)?.ok_or_else(|| ApiError::NotFound(format!("no resource '{id}'")))?;
        if old != r {
            update(&tx, &old, &r, by)?;
            audit(&tx, by, "resource-edit", &format!("{id}: {}", describe(&r)))?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Sets whether a resource still takes referrals (an inactive one stays on the map, as
    /// referrals name it, but is not suggested). 404 when there is no such resource.
    pub fn set_resource_active(
        &mut self,
        id: &str,
        active: bool,
        by: &str,
    ) -> Result<(), ApiError> {
        let tx = self.tx()?;
        let old = one(&tx, id)?.ok_or_else(|| ApiError::NotFound(format!("no resource '{id}'")))?;
        if old.active != active {
            let new = Resource {
                active,
                ..old.clone()
            };
            update(&tx, &old, &new, by)?;
            let action = if active {
                "resource-activate"
            } else {
                "resource-deactivate"
            };
            audit(&tx, by, action, &format!("{id}: {}", describe(&old)))?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Imports rows (from [`parse_csv`]): all or nothing. A row whose district, block, kind and
    /// name are a stored resource's updates it (when it differs), any other is added. Refused
    /// (400, naming the row's line) when a row does not check or repeats an earlier row, or
    /// when the map would hold more than [`MAX_RESOURCES`].
    pub fn import_resources(&mut self, rows: &[CsvRow], by: &str) -> Result<Imported, ApiError> {
        let mut checked = Vec::with_capacity(rows.len());
        let mut seen: HashMap<(String, String, ResourceKind, String), u64> = HashMap::new();
        for row in rows {
            let r = normalized(&row.resource)
                .map_err(|e| ApiError::BadRequest(format!("line {}: {}", row.line, message(e))))?;
            if let Some(first) = seen.insert(place_key(&r), row.line) {
                return Err(ApiError::BadRequest(format!(
                    "line {}: the same district, block, kind and name as line {first}",
                    row.line
                )));
            }
            checked.push(r);
        }
        let tx = self.tx()?;
        // The places the server knows, read once for the whole file.
        let known = known_places(&tx)?;
        let checked: Vec<Resource> = checked.into_iter().map(|r| spelled_as(&known, r)).collect();
        let mut stored: HashMap<_, Resource> = HashMap::new();
        {
            let mut stmt = tx.prepare(&format!("SELECT {COLUMNS} FROM resources"))?;
            for r in stmt.query_map([], read)? {
                let r = r?;
                stored.insert(place_key(&r), r);
            }
        }
        let new = checked
            .iter()
            .filter(|r| !stored.contains_key(&place_key(r)))
            .count();
        room(&tx, new)?;
        let mut done = Imported::default();
        for r in checked {
            match stored.get(&place_key(&r)) {
                None => {
                    insert(&tx, &r, by)?;
                    done.added += 1;
                }
                Some(old) => {
                    let r = Resource {
                        id: old.id.clone(),
                        ..r
                    };
                    if *old == r {
                        done.unchanged += 1;
                    } else {
                        update(&tx, old, &r, by)?;
                        done.updated += 1;
                    }
                }
            }
        }
        if done.added + done.updated > 0 {
            audit(
                &tx,
                by,
                "resource-import",
                &format!("{} added, {} updated", done.added, done.updated),
            )?;
        }
        tx.commit()?;
        Ok(done)
    }
}

/// The resources a user's device receives: those of the user's areas, inactive ones included,
/// by district, block, kind and name.
pub(super) fn for_user(tx: &Db, user_id: &str) -> Result<Vec<Resource>, ApiError> {
    let mut stmt = tx.prepare(&format!(
        "SELECT {COLUMNS} FROM resources r WHERE EXISTS (SELECT 1 FROM user_areas a
           WHERE a.user_id = ?1 AND a.district = r.district AND (a.block = '' OR a.block = r.block))"
    ))?;
    let rows = stmt
        .query_map([user_id], read)?
        .collect::<db::Result<Vec<_>>>()?;
    sorted(rows)
}

/// Reads an import file: a header row naming its columns (`district`, `block`, `kind` and
/// `name` required; `address`, `contact`, `offers`, `min_age`, `max_age`, `sex`, `active`
/// optional; in any order), then one resource a row. Kinds by key; `sex` `f`, `m` or empty;
/// `active` `yes`/`no` (`true`/`false`, `1`/`0`; empty is yes). Refused (400) at the first row
/// that does not read or check, naming its line.
pub fn parse_csv(text: &str) -> Result<Vec<CsvRow>, ApiError> {
    const KNOWN: &[&str] = &[
        "district", "block", "kind", "name", "address", "contact", "offers", "min_age", "max_age",
        "sex", "active",
    ];
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The csv crate counts a CRLF line end (a browser's text area, a spreadsheet's export) as
    // no line at all: a refusal would name the wrong line.
    let text = text.replace("\r\n", "\n");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| ApiError::BadRequest(format!("line 1: {e}")))?
        .clone();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for (i, h) in header.iter().enumerate() {
        let h = h.trim();
        let Some(known) = KNOWN.iter().copied().find(|k| k.eq_ignore_ascii_case(h)) else {
            return Err(ApiError::BadRequest(format!(
                "line 1: unknown column '{h}' (the columns are {})",
                KNOWN.join(", ")
            )));
        };
        if at.insert(known, i).is_some() {
            return Err(ApiError::BadRequest(format!("line 1: column '{h}' twice")));
        }
    }
    for needed in &KNOWN[..4] {
        if !at.contains_key(needed) {
            return Err(ApiError::BadRequest(format!(
                "line 1: no column '{needed}' (the header row names the columns: {})",
                KNOWN.join(",")
            )));
        }
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, csv::Position::line);
            ApiError::BadRequest(format!("line {line}: {e}"))
        })?;
        let line = record.position().map_or(0, csv::Position::line);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if rows.len() >= MAX_RESOURCES {
            return Err(ApiError::BadRequest(format!(
                "line {line}: a file holds at most {MAX_RESOURCES} resources"
            )));
        }
        let field = |name: &str| {
            at.get(name)
                .and_then(|&i| record.get(i))
                .unwrap_or("")
                .trim()
        };
        let bad = |what: &str| ApiError::BadRequest(format!("line {line}: {what}"));
        let resource = Resource {
            id: String::new(),
            district: field("district").to_owned(),
            block: field("block").to_owned(),
            kind: field("kind")
                .parse()
                .map_err(|e: homeward_shared::need::UnknownName| bad(&e.to_string()))?,
            name: field("name").to_owned(),
            address: text_or_none(field("address")),
            contact: text_or_none(field("contact")),
            offers: text_or_none(field("offers")),
            min_age: age(field("min_age"))
                .map_err(|v| bad(&format!("min_age '{v}' is not an age")))?,
            max_age: age(field("max_age"))
                .map_err(|v| bad(&format!("max_age '{v}' is not an age")))?,
            sex: sex(field("sex"))
                .map_err(|_| bad(&format!("sex '{}' is not f, m or empty", field("sex"))))?,
            active: yes(field("active"))
                .map_err(|v| bad(&format!("active '{v}' is not yes or no")))?,
        };
        let resource = normalized(&resource).map_err(|e| bad(&message(e)))?;
        rows.push(CsvRow { line, resource });
    }
    Ok(rows)
}

/// An age typed on a form or in a file: empty is none.
pub fn age(s: &str) -> Result<Option<u32>, String> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<u32>()
        .ok()
        .filter(|a| *a <= 120)
        .map(Some)
        .ok_or_else(|| s.to_owned())
}

/// A resource's sex typed on a form or in a file: `f`, `m`, or empty for everyone.
pub fn sex(s: &str) -> Result<Option<Sex>, String> {
    match s.trim() {
        "" => Ok(None),
        "f" | "F" => Ok(Some(Sex::Female)),
        "m" | "M" => Ok(Some(Sex::Male)),
        other => Err(other.to_owned()),
    }
}

fn yes(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "" | "yes" | "y" | "true" | "1" => Ok(true),
        "no" | "n" | "false" | "0" => Ok(false),
        _ => Err(s.trim().to_owned()),
    }
}

fn text_or_none(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

/// The resource with its district and block spelled as the server already knows that place (a
/// user's area, a case's address), when they are the same place spelled otherwise ("bodhgaya"
/// typed on the form is stored as the users' "Bodh Gaya"): devices receive the resources of
/// their areas compared exactly, so a resource spelled otherwise would reach nobody. A place
/// the server does not know yet is kept as typed.
fn spelled_as(known: &[(String, String)], mut r: Resource) -> Resource {
    if known.iter().any(|(d, b)| *d == r.district && *b == r.block) {
        return r;
    }
    if let Some((d, _)) = known
        .iter()
        .find(|(d, _)| homeward_shared::duplicates::same_place(d, &r.district))
    {
        r.district = d.clone();
    }
    if let Some((_, b)) = known.iter().find(|(d, b)| {
        *d == r.district && !b.is_empty() && homeward_shared::duplicates::same_place(b, &r.block)
    }) {
        r.block = b.clone();
    }
    r
}

/// Every (district, block) the server knows: users' areas and cases' addresses.
fn known_places(tx: &Db) -> Result<Vec<(String, String)>, ApiError> {
    Ok(tx
        .prepare("SELECT district, block FROM user_areas UNION SELECT district, block FROM cases")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<db::Result<_>>()?)
}

/// The resource as stored: texts trimmed, empty optional texts none, checked.
fn normalized(r: &Resource) -> Result<Resource, ApiError> {
    let opt = |t: &Option<String>| t.as_deref().and_then(text_or_none);
    let out = Resource {
        id: r.id.clone(),
        district: r.district.trim().to_owned(),
        block: r.block.trim().to_owned(),
        kind: r.kind,
        name: r.name.trim().to_owned(),
        address: opt(&r.address),
        contact: opt(&r.contact),
        offers: opt(&r.offers),
        min_age: r.min_age,
        max_age: r.max_age,
        sex: r.sex,
        active: r.active,
    };
    if out.sex == Some(Sex::Other) {
        return Err(ApiError::BadRequest(
            "a resource's sex is f (girls only), m (boys only) or none (everyone)".into(),
        ));
    }
    out.check()
        .map_err(|e| ApiError::BadRequest(format!("the resource is refused: {e}")))?;
    Ok(out)
}

/// The words of a refusal without the `400` wrapping.
fn message(e: ApiError) -> String {
    match e {
        ApiError::BadRequest(m) => m,
        other => other.to_string(),
    }
}

fn place_key(r: &Resource) -> (String, String, ResourceKind, String) {
    (r.district.clone(), r.block.clone(), r.kind, r.name.clone())
}

fn describe(r: &Resource) -> String {
    format!("{} in {}, {} ({})", r.name, r.block, r.district, r.kind)
}

fn sorted(mut rows: Vec<Resource>) -> Result<Vec<Resource>, ApiError> {
    rows.sort_by(|a, b| {
        (&a.district, &a.block, a.kind, &a.name, &a.id).cmp(&(
            &b.district,
            &b.block,
            b.kind,
            &b.name,
            &b.id,
        ))
    });
    Ok(rows)
}

fn read(r: &db::Row<'_>) -> db::Result<Resource> {
    let bad = db::DbError::conversion;
    let age = |i: usize| -> db::Result<Option<u32>> {
        r.get::<_, Option<i64>>(i)?
            .map(|a| u32::try_from(a).map_err(|e| bad(i, e.to_string())))
            .transpose()
    };
    Ok(Resource {
        id: r.get(0)?,
        district: r.get(1)?,
        block: r.get(2)?,
        kind: r
            .get::<_, String>(3)?
            .parse()
            .map_err(|e: homeward_shared::need::UnknownName| bad(3, e.to_string()))?,
        name: r.get(4)?,
        address: r.get(5)?,
        contact: r.get(6)?,
        offers: r.get(7)?,
        min_age: age(8)?,
        max_age: age(9)?,
        sex: r
            .get::<_, Option<String>>(10)?
            .map(|s| s.parse::<Sex>())
            .transpose()
            .map_err(|e| bad(10, e.to_string()))?,
        active: r.get::<_, i64>(11)? != 0,
    })
}

fn one(conn: &Db, id: &str) -> Result<Option<Resource>, ApiError> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM resources WHERE id = ?1"),
            [id],
            read,
        )
        .optional()?)
}

/// Refuses `more` new resources when the map would then hold more than [`MAX_RESOURCES`] (what
/// one device's reference data may hold).
fn room(tx: &Db, more: usize) -> Result<(), ApiError> {
    let held: i64 = tx.query_row("SELECT count(*) FROM resources", [], |r| r.get(0))?;
    let held = usize::try_from(held).unwrap_or(usize::MAX);
    if held.saturating_add(more) > MAX_RESOURCES {
        return Err(ApiError::BadRequest(format!(
            "the map holds {held} resources: {more} more would pass the {MAX_RESOURCES} it may hold"
        )));
    }
    Ok(())
}

fn insert(tx: &Db, r: &Resource, by: &str) -> Result<String, ApiError> {
    let id = format!("res-{}", random_hex::<8>()?);
    let at = now().to_rfc3339();
    tx.execute(
        "INSERT INTO resources (id, district, block, kind, name, address, contact, offers,
           min_age, max_age, sex, active, created_by, created_at, updated_by, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?13, ?14)",
        params![
            id,
            r.district,
            r.block,
            r.kind.key(),
            r.name,
            r.address,
            r.contact,
            r.offers,
            r.min_age,
            r.max_age,
            r.sex.map(Sex::key),
            r.active,
            by,
            at
        ],
    )?;
    holders_move(tx, &r.district, &r.block)?;
    Ok(id)
}

fn update(tx: &Db, old: &Resource, r: &Resource, by: &str) -> Result<(), ApiError> {
    tx.execute(
        "UPDATE resources SET district = ?2, block = ?3, kind = ?4, name = ?5, address = ?6,
           contact = ?7, offers = ?8, min_age = ?9, max_age = ?10, sex = ?11, active = ?12,
           updated_by = ?13, updated_at = ?14
         WHERE id = ?1",
        params![
            old.id,
            r.district,
            r.block,
            r.kind.key(),
            r.name,
            r.address,
            r.contact,
            r.offers,
            r.min_age,
            r.max_age,
            r.sex.map(Sex::key),
            r.active,
            by,
            now().to_rfc3339()
        ],
    )?;
    holders_move(tx, &old.district, &old.block)?;
    if (&old.district, &old.block) != (&r.district, &r.block) {
        holders_move(tx, &r.district, &r.block)?;
    }
    Ok(())
}

/// Moves the reference version of every user whose areas cover (district, block): their
/// devices receive the new map at their next sync.
fn holders_move(tx: &Db, district: &str, block: &str) -> Result<(), ApiError> {
    tx.execute(
        "UPDATE users SET ref_version = ref_version + 1 WHERE id IN (SELECT user_id FROM user_areas
           WHERE district = ?1 AND (block = '' OR block = ?2))",
        params![district, block],
    )?;
    Ok(())
}

fn audit(tx: &Db, by: &str, action: &str, detail: &str) -> Result<(), ApiError> {
    tx.execute(
        "INSERT INTO audit (at, user_id, action, case_id, detail) VALUES (?1, ?2, ?3, NULL, ?4)",
        params![now().to_rfc3339(), by, action, detail],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_with_any_line_end() {
        // A browser's form sends a text area's lines with CRLF.
        for end in ["\n", "\r\n"] {
            let text = [
                "district,block,kind,name",
                "Gaya,Tekari,school,S",
                "Gaya,Tekari,bakery,B",
                "",
            ]
            .join(end);
            match parse_csv(&text) {
                Err(ApiError::BadRequest(m)) => assert!(m.starts_with("line 3: "), "{end:?}: {m}"),
                other => panic!("{other:?}"),
            }
        }
    }
}
