//! Copies of documents in the case document: `attachments: [ { id, kind, taken_on, by, by_name,
//! recorded_at, pages: [ { hash, size, media_type } ], withdrawn_on, withdrawn_reason,
//! withdrawn_by, withdrawn_by_name, withdrawn_at, withdrawal_confirmed_by,
//! withdrawal_confirmed_by_name, withdrawal_confirmed_at, verified_on, verified_by,
//! verified_by_name, verified_at } ]` at the root. References only: the bytes never enter the
//! document.
//!
//! Like `referrals`, the list came after version 1 of the layout: a case registered since has it
//! from registration, an older one gets it from its first copy, on whichever device attaches
//! first, so every list under the key is read (`root_lists`). A copy's later keys (withdrawn,
//! confirmed, verified) are created null with the copy, so later edits only set scalars.

use super::*;
use crate::edit::NewAttachment;
use crate::model::{Attachment, AttachmentPage, CopyVerification, Withdrawal};

/// The root key.
pub(super) const KEY: &str = "attachments";

const LATER: [&str; 12] = [
    "withdrawn_on",
    "withdrawn_reason",
    "withdrawn_by",
    "withdrawn_by_name",
    "withdrawn_at",
    "withdrawal_confirmed_by",
    "withdrawal_confirmed_by_name",
    "withdrawal_confirmed_at",
    "verified_on",
    "verified_by",
    "verified_by_name",
    "verified_at",
];

fn find(doc: &AutoCommit, id: &str) -> Result<ObjId> {
    for list in root_lists(doc, KEY)? {
        if let Some(m) = find_by_id(doc, &list, id)? {
            return Ok(m);
        }
    }
    Err(SchemaError::NotFound {
        what: "copy",
        id: id.to_owned(),
    })
}

/// Writes a new copy (a retried one is a no-op).
pub(super) fn attach(doc: &mut AutoCommit, a: &NewAttachment, ctx: &EditContext) -> Result<()> {
    if find(doc, &a.id).is_ok() {
        return Ok(());
    }
    let list = match root_lists(doc, KEY)?.into_iter().next() {
        Some(l) => l,
        None => doc.put_object(ROOT, KEY, ObjType::List)?,
    };
    let m = append_map(doc, &list)?;
    doc.put(&m, "id", a.id.as_str())?;
    doc.put(&m, "kind", a.kind.key())?;
    put_date(doc, &m, "taken_on", Some(a.taken_on))?;
    let pages = doc.put_object(&m, "pages", ObjType::List)?;
    for (i, p) in a.pages.iter().enumerate() {
        let pm = doc.insert_object(&pages, i, ObjType::Map)?;
        doc.put(&pm, "hash", p.hash.as_str())?;
        doc.put(&pm, "size", p.size)?;
        doc.put(&pm, "media_type", p.media_type.key())?;
    }
    for k in LATER {
        doc.put(&m, k, ScalarValue::Null)?;
    }
    put_by(doc, &m, ctx)
}

/// Marks a copy withdrawn (withdrawing it again changes nothing).
pub(super) fn withdraw(
    doc: &mut AutoCommit,
    id: &str,
    reason: &str,
    on: NaiveDate,
    ctx: &EditContext,
) -> Result<()> {
    let m = find(doc, id)?;
    if str_at(doc, &m, "withdrawn_by")?.is_some() {
        return Ok(());
    }
    put_date(doc, &m, "withdrawn_on", Some(on))?;
    doc.put(&m, "withdrawn_reason", reason.trim())?;
    put_signed(doc, &m, "withdrawn", ctx)
}

/// Marks a copy verified, and its document on the checklist verified by the same person.
pub(super) fn verify(
    doc: &mut AutoCommit,
    id: &str,
    on: NaiveDate,
    ctx: &EditContext,
) -> Result<()> {
    let m = find(doc, id)?;
    if str_at(doc, &m, "withdrawn_by")?.is_some() {
        return Err(InvalidEdit::CopyWithdrawn(id.to_owned()).into());
    }
    if let Some(taken) = date_at(doc, &m, "taken_on", "attachments.taken_on")?
        && on < taken
    {
        return Err(InvalidEdit::DatesOutOfOrder {
            earlier: "taken on",
            earlier_on: taken,
            later: "verified on",
            later_on: on,
        }
        .into());
    }
    put_date(doc, &m, "verified_on", Some(on))?;
    put_signed(doc, &m, "verified", ctx)?;
    let kind: DocumentKind = req_str(doc, &m, "kind", "attachments.kind")?
        .parse()
        .map_err(|_| malformed("attachments.kind", "a document kind"))?;
    set_document(doc, kind, DocumentState::Verified, on, ctx)
}

/// A supervisor confirms a withdrawal (confirming it again changes nothing).
pub(super) fn confirm_withdrawal(doc: &mut AutoCommit, id: &str, ctx: &EditContext) -> Result<()> {
    let m = find(doc, id)?;
    if str_at(doc, &m, "withdrawn_by")?.is_none() {
        return Err(InvalidEdit::CopyNotWithdrawn(id.to_owned()).into());
    }
    if str_at(doc, &m, "withdrawal_confirmed_by")?.is_some() {
        return Ok(());
    }
    put_signed(doc, &m, "withdrawal_confirmed", ctx)
}

/// The checklist's line for `kind`: its state, the day, and who set it.
pub(super) fn set_document(
    doc: &mut AutoCommit,
    kind: DocumentKind,
    state: DocumentState,
    on: NaiveDate,
    ctx: &EditContext,
) -> Result<()> {
    let docs = obj(doc, &ROOT, "documents")?;
    let m = obj(doc, &docs, kind.key())?;
    doc.put(&m, "state", state.key())?;
    put_date(doc, &m, "on", Some(on))?;
    doc.put(&m, "by", ctx.author.user_id.as_str())?;
    doc.put(&m, "by_name", ctx.author.name.as_str())?;
    Ok(())
}

/// `<prefix>_by`, `<prefix>_by_name`, `<prefix>_at`: the author and the moment.
fn put_signed(doc: &mut AutoCommit, m: &ObjId, prefix: &str, ctx: &EditContext) -> Result<()> {
    doc.put(m, format!("{prefix}_by"), ctx.author.user_id.as_str())?;
    doc.put(m, format!("{prefix}_by_name"), ctx.author.name.as_str())?;
    doc.put(
        m,
        format!("{prefix}_at"),
        ScalarValue::Timestamp(ctx.at.timestamp_millis()),
    )?;
    Ok(())
}

/// Every copy of every list, once each, by the day taken then recording time.
pub(super) fn read<D: ReadDoc>(doc: &D) -> Result<Vec<Attachment>> {
    let mut out: Vec<Attachment> = Vec::new();
    for list in root_lists(doc, KEY)? {
        let list = match doc.hydrate(&list, None)? {
            hydrate::Value::List(l) => l,
            _ => return Err(malformed(KEY, "a list")),
        };
        for m in hitems(&list, KEY)? {
            let id = hreq_str(m, "id", KEY)?;
            if out.iter().any(|a| a.id == id) {
                continue;
            }
            out.push(read_one(m, id)?);
        }
    }
    out.sort_by(|a, b| (a.taken_on, a.recorded_at, &a.id).cmp(&(b.taken_on, b.recorded_at, &b.id)));
    Ok(out)
}

fn read_one(m: &hydrate::Map, id: String) -> Result<Attachment> {
    const P: &str = "attachments.pages";
    let mut pages = Vec::new();
    for p in hitems(hlist(m, "pages", P)?, P)? {
        pages.push(AttachmentPage {
            hash: hreq_str(p, "hash", "attachments.pages.hash")?,
            size: hreq_u64(p, "size", "attachments.pages.size")?,
            media_type: hreq_key(p, "media_type", "attachments.pages.media_type")?,
        });
    }
    let (recorded_by, recorded_at) = hread_by(m, "recorded_at", KEY)?;
    let signed = |prefix: &str| -> Result<Option<(Author, DateTime<Utc>)>> {
        let by = format!("{prefix}_by");
        if hstr(m, &by)?.is_none() {
            return Ok(None);
        }
        let (name, at) = (format!("{prefix}_by_name"), format!("{prefix}_at"));
        hread_signed(m, (&by, &name, &at), KEY).map(Some)
    };
    let withdrawn = match (signed("withdrawn")?, hdate(m, "withdrawn_on", KEY)?) {
        (Some((by, at)), Some(on)) => {
            let confirmed = signed("withdrawal_confirmed")?;
            Some(Withdrawal {
                on,
                reason: hstr(m, "withdrawn_reason")?.unwrap_or_default(),
                by,
                at,
                confirmed_by: confirmed.as_ref().map(|c| c.0.clone()),
                confirmed_at: confirmed.map(|c| c.1),
            })
        }
        _ => None,
    };
    let verified = match (signed("verified")?, hdate(m, "verified_on", KEY)?) {
        (Some((by, at)), Some(on)) => Some(CopyVerification { on, by, at }),
        _ => None,
    };
    Ok(Attachment {
        id,
        kind: hreq_key(m, "kind", "attachments.kind")?,
        pages,
        taken_on: hreq_date(m, "taken_on", "attachments.taken_on")?,
        recorded_by,
        recorded_at,
        withdrawn,
        verified,
    })
}
