//! Referrals in the case document: `referrals: [ { id, resource_id, resource_kind,
//! resource_name, dimension, on, note, by, by_name, recorded_at,
//! steps: [ { id, state, on, note, by, by_name, recorded_at } ] } ]` at the root.
//!
//! The list came after version 1 of the layout. A case registered since has it from
//! registration; a case registered before gets it from the first referral, made on whichever
//! device refers first, offline. Two devices may both do that before they sync: Automerge then
//! holds two lists under one key, shows one, and would hide the other's referrals from a reader
//! that asked for one value. So this module reads and searches every list under the key
//! (`get_all`), writes to the one Automerge shows, and the server's change check lets a device
//! create the key concurrently (`check`), never replace it. Nothing else in the layout is created
//! after registration by a device.

use super::*;
use crate::edit::{NewReferral, ReferralUpdate};
use crate::model::{Referral, ReferralStep};

/// The root key.
pub(super) const KEY: &str = "referrals";

/// Every list under the root key: the one shown first, then any created concurrently.
pub(super) fn lists<D: ReadDoc>(doc: &D) -> Result<Vec<ObjId>> {
    root_lists(doc, KEY)
}

fn find<D: ReadDoc>(doc: &D, id: &str) -> Result<Option<ObjId>> {
    for list in lists(doc)? {
        if let Some(m) = find_by_id(doc, &list, id)? {
            return Ok(Some(m));
        }
    }
    Ok(None)
}

/// Writes a new referral (a retried one is a no-op).
pub(super) fn refer(doc: &mut AutoCommit, r: &NewReferral, ctx: &EditContext) -> Result<()> {
    if find(doc, &r.id)?.is_some() {
        return Ok(());
    }
    let list = match lists(doc)?.into_iter().next() {
        Some(l) => l,
        None => doc.put_object(ROOT, KEY, ObjType::List)?,
    };
    let m = append_map(doc, &list)?;
    doc.put(&m, "id", r.id.as_str())?;
    doc.put(&m, "resource_id", r.resource_id.as_str())?;
    doc.put(&m, "resource_kind", r.resource_kind.key())?;
    doc.put(&m, "resource_name", r.resource_name.trim())?;
    doc.put(&m, "dimension", r.dimension.key())?;
    put_date(doc, &m, "on", Some(r.on))?;
    put_opt_str(doc, &m, "note", r.note.as_deref())?;
    doc.put_object(&m, "steps", ObjType::List)?;
    put_by(doc, &m, ctx)
}

/// Appends a step to a referral (a retried one is a no-op).
pub(super) fn update(doc: &mut AutoCommit, u: &ReferralUpdate, ctx: &EditContext) -> Result<()> {
    let m = find(doc, &u.referral_id)?.ok_or_else(|| SchemaError::NotFound {
        what: "referral",
        id: u.referral_id.clone(),
    })?;
    let path = format!("referrals.{}", u.referral_id);
    let steps = req_obj(doc, &m, "steps", &path)?;
    if find_by_id(doc, &steps, &u.id)?.is_some() {
        return Ok(());
    }
    if let Some(on) = date_at(doc, &m, "on", &path)?
        && u.on < on
    {
        return Err(InvalidEdit::DatesOutOfOrder {
            earlier: "referred on",
            earlier_on: on,
            later: "referral date",
            later_on: u.on,
        }
        .into());
    }
    let s = append_map(doc, &steps)?;
    doc.put(&s, "id", u.id.as_str())?;
    doc.put(&s, "state", u.state.key())?;
    put_date(doc, &s, "on", Some(u.on))?;
    put_opt_str(doc, &s, "note", u.note.as_deref())?;
    put_by(doc, &s, ctx)
}

/// Every referral of every list, once each, by day then recording time; each one's steps too.
pub(super) fn read<D: ReadDoc>(doc: &D) -> Result<Vec<Referral>> {
    let mut out: Vec<Referral> = Vec::new();
    for list in lists(doc)? {
        let list = match doc.hydrate(&list, None)? {
            hydrate::Value::List(l) => l,
            _ => return Err(malformed(KEY, "a list")),
        };
        for m in hitems(&list, KEY)? {
            let id = hreq_str(m, "id", KEY)?;
            if out.iter().any(|r| r.id == id) {
                continue;
            }
            let (recorded_by, recorded_at) = hread_by(m, "recorded_at", KEY)?;
            let mut steps = Vec::new();
            for s in hitems(hlist(m, "steps", "referrals.steps")?, "referrals.steps")? {
                let (recorded_by, recorded_at) = hread_by(s, "recorded_at", "referrals.steps")?;
                steps.push(ReferralStep {
                    id: hreq_str(s, "id", "referrals.steps")?,
                    state: hreq_key(s, "state", "referrals.steps.state")?,
                    on: hreq_date(s, "on", "referrals.steps.on")?,
                    note: hstr(s, "note")?,
                    recorded_by,
                    recorded_at,
                });
            }
            steps.sort_by(|a, b| (a.on, a.recorded_at, &a.id).cmp(&(b.on, b.recorded_at, &b.id)));
            out.push(Referral {
                id,
                resource_id: hreq_str(m, "resource_id", "referrals.resource_id")?,
                resource_kind: hreq_key(m, "resource_kind", "referrals.resource_kind")?,
                resource_name: hreq_str(m, "resource_name", "referrals.resource_name")?,
                dimension: hreq_key(m, "dimension", "referrals.dimension")?,
                on: hreq_date(m, "on", "referrals.on")?,
                note: hstr(m, "note")?,
                steps,
                recorded_by,
                recorded_at,
            });
        }
    }
    out.sort_by(|a, b| (a.on, a.recorded_at, &a.id).cmp(&(b.on, b.recorded_at, &b.id)));
    Ok(out)
}
