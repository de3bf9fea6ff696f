//! Merging two cases of one child (a child registered twice, often by two fieldworkers on two
//! phones): a supervisor keeps one case and closes the other as "merged into" it. Nothing is
//! lost: every visit, need status, claim, summons and incident of the closed case is copied into
//! the kept one, as it was recorded (its author, its moment), marked `carried_from` the closed
//! case; a document, school record, court detail, caregiver or rescue detail the kept case lacks
//! is filled from the other; the closed case keeps its own records too, read-only in effect.
//!
//! Both steps are server actions, never an [`crate::edit::Edit`] a phone may send: the carried
//! records are signed by the people who made them, so the change that carries them is checked
//! with [`Authority::Merge`] (see [`super::check_change_as`]), which a device's push never gets.
//!
//! A merge is idempotent: carrying the same case again copies only what was added to it since
//! (records by id), so a record made offline on the closed case after the merge can be carried
//! by merging again.

use super::*;

/// What a merge carried from one case into the other.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Carried {
    /// Visits copied.
    pub visits: usize,
    /// Need status entries copied (a need's current status follows the latest of both).
    pub need_entries: usize,
    /// Claims copied.
    pub claims: usize,
    /// Claims of a scheme the kept case already had open whose missing dates, amount or reason
    /// were filled from the other's (the other claim itself stays on the closed case).
    pub claims_combined: usize,
    /// Court summonses and hearings copied.
    pub summonses: usize,
    /// Harassment incidents copied.
    pub incidents: usize,
    /// Documents whose further state (received, verified) was taken.
    pub documents: usize,
    /// Empty fields filled (school, court case, caregiver, rescue, risk override).
    pub fields: usize,
    /// Names of the closed case added to the kept case's other names.
    pub names: usize,
    /// Referrals copied, and steps added to a referral carried before.
    pub referrals: usize,
    /// Copies of documents copied (references: the pages' bytes are the server's already).
    #[serde(default)]
    pub attachments: usize,
}

impl Carried {
    /// Whether nothing was carried.
    pub fn is_empty(&self) -> bool {
        *self == Carried::default()
    }
}

/// Copies into `into` everything of `from` it lacks (see the module doc), as one change.
/// Refused, with nothing written: a case merged into itself, a case already merged into
/// another, or a kept case that is itself merged away.
pub fn carry_over<D: ReadDoc>(
    into: &mut AutoCommit,
    from: &D,
    ctx: &EditContext,
) -> Result<Carried> {
    let kept = read_case(into)?;
    let other = read_case(from)?;
    if kept.id == other.id {
        return Err(SchemaError::NotAllowed(format!(
            "merge case {} into itself",
            kept.id
        )));
    }
    if let Some(elsewhere) = &kept.status.merged_into {
        return Err(SchemaError::NotAllowed(format!(
            "merge into case {}: it was merged into case {elsewhere}",
            kept.id
        )));
    }
    if let Some(elsewhere) = other.status.merged_into.as_ref().filter(|e| **e != kept.id) {
        return Err(SchemaError::NotAllowed(format!(
            "merge case {}: it was merged into case {elsewhere}",
            other.id
        )));
    }
    let source = match from.hydrate(ROOT, None)? {
        hydrate::Value::Map(m) => m,
        _ => return Err(malformed("", "a map at the root")),
    };
    let mut source_referrals = Vec::new();
    for list in referrals::lists(from)? {
        match from.hydrate(&list, None)? {
            hydrate::Value::List(l) => source_referrals.push(l),
            _ => return Err(malformed(referrals::KEY, "a list")),
        }
    }
    let mut source_attachments = Vec::new();
    for list in root_lists(from, attachments::KEY)? {
        match from.hydrate(&list, None)? {
            hydrate::Value::List(l) => source_attachments.push(l),
            _ => return Err(malformed(attachments::KEY, "a list")),
        }
    }
    let carried = carry(into, &source, &kept, &other, ctx).and_then(|mut carried| {
        carried.referrals = carry_referrals(into, &source_referrals, &other.id)?;
        carried.attachments = carry_attachments(into, &source_attachments, &other.id)?;
        Ok(carried)
    });
    match carried {
        Ok(carried) => {
            into.commit_with(
                CommitOptions::default()
                    .with_message(format!("carry over case {}", other.id))
                    .with_time(ctx.at.timestamp()),
            );
            Ok(carried)
        }
        Err(e) => {
            into.rollback();
            Err(e)
        }
    }
}

/// Closes `from` as merged into case `into` on `on`, as one change.
pub fn close_as_merged(
    from: &mut AutoCommit,
    into: &str,
    on: NaiveDate,
    ctx: &EditContext,
) -> Result<()> {
    let case = read_case(from)?;
    if case.id == into {
        return Err(SchemaError::NotAllowed(format!(
            "merge case {into} into itself"
        )));
    }
    let write = |doc: &mut AutoCommit| -> Result<()> {
        note_actor(doc, &ctx.author)?;
        let st = obj(doc, &ROOT, "status")?;
        doc.put(&st, "state", CaseState::Closed.key())?;
        doc.put(&st, "reason", format!("merged into case {into}").as_str())?;
        put_date(doc, &st, "since", Some(on))?;
        doc.put(&st, "merged_into", into)?;
        Ok(())
    };
    if let Err(e) = write(from) {
        from.rollback();
        return Err(e);
    }
    from.commit_with(
        CommitOptions::default()
            .with_message(format!("merged into case {into}"))
            .with_time(ctx.at.timestamp()),
    );
    Ok(())
}

fn carry(
    into: &mut AutoCommit,
    source: &hydrate::Map,
    kept: &Case,
    other: &Case,
    ctx: &EditContext,
) -> Result<Carried> {
    let mut n = Carried::default();
    note_actor(into, &ctx.author)?;
    let from_id = other.id.as_str();

    let visits = obj(into, &ROOT, "visits")?;
    n.visits = copy_missing(into, &visits, hlist(source, "visits", "visits")?, from_id)?;

    let legal = obj(into, &ROOT, "legal")?;
    let src_legal = hobj(source, "legal", "legal")?;
    let summonses = obj(into, &legal, "summonses")?;
    n.summonses = copy_missing(
        into,
        &summonses,
        hlist(src_legal, "summonses", "legal.summonses")?,
        from_id,
    )?;
    let incidents = obj(into, &legal, "incidents")?;
    n.incidents = copy_missing(
        into,
        &incidents,
        hlist(src_legal, "incidents", "legal.incidents")?,
        from_id,
    )?;
    n.fields += fill_keys(
        into,
        &legal,
        src_legal,
        &[
            "court_case_ref",
            "court",
            "lawyer_authorised_on",
            "lawyer_authorised_by",
        ],
    )?;

    carry_claims(into, source, kept, other, from_id, &mut n)?;
    carry_needs(into, source, kept, other, from_id, &mut n)?;

    // Documents: the further state wins (a document received on one phone is received).
    let docs = obj(into, &ROOT, "documents")?;
    for (kind, entry) in &other.documents {
        if rank(entry.state) > rank(kept.document(*kind)) {
            let m = obj(into, &docs, kind.key())?;
            into.put(&m, "state", entry.state.key())?;
            put_date(into, &m, "on", entry.on)?;
            n.documents += 1;
        }
    }

    // School: the other case's record when the kept one has none.
    if kept.education.kind.is_none() && other.education.kind.is_some() {
        let m = obj(into, &ROOT, "education")?;
        let src = hobj(source, "education", "education")?;
        fill_keys(
            into,
            &m,
            src,
            &["kind", "institution", "class", "enrolled_on", "attendance"],
        )?;
        n.fields += 1;
    }

    // Rescue details and the caregiver's phone, where the kept case has none.
    let rescue = obj(into, &ROOT, "rescue")?;
    let src_rescue = hobj(source, "rescue", "rescue")?;
    n.fields += fill_keys(
        into,
        &rescue,
        src_rescue,
        &[
            "city",
            "workplace",
            "rescued_on",
            "shelter_home",
            "cwc_order_ref",
            "receiving_authority",
        ],
    )?;
    let child = obj(into, &ROOT, "child")?;
    let caregiver = obj(into, &child, "caregiver")?;
    let src_child = hobj(source, "child", "child")?;
    let src_caregiver = hobj(src_child, "caregiver", "child.caregiver")?;
    let kept_cg = kept.child.caregiver.as_ref();
    if kept_cg.is_none_or(|c| c.name.trim().is_empty())
        && other
            .child
            .caregiver
            .as_ref()
            .is_some_and(|c| !c.name.trim().is_empty())
    {
        for key in ["name", "relation", "phone"] {
            copy_key(into, &caregiver, src_caregiver, key)?;
        }
        n.fields += 1;
    } else {
        n.fields += usize::from(fill(into, &caregiver, src_caregiver, "phone")?);
    }

    // A risk override in force on the other case only.
    if kept.risk_override.is_none() && other.risk_override.is_some() {
        let m = obj(into, &ROOT, "risk_override")?;
        let src = hobj(source, "risk_override", "risk_override")?;
        for key in ["level", "reason", "by", "by_name", "at"] {
            copy_key(into, &m, src, key)?;
        }
        n.fields += 1;
    }

    // The other case's names become other names of the child (the spelling a second
    // fieldworker used is how the next one may spell it too).
    let names = obj(into, &child, "other_names")?;
    let mut known: Vec<String> = std::iter::once(&kept.child.name)
        .chain(&kept.child.other_names)
        .map(|s| s.trim().to_lowercase())
        .collect();
    for name in std::iter::once(&other.child.name).chain(&other.child.other_names) {
        let key = name.trim().to_lowercase();
        if key.is_empty() || known.contains(&key) || known.len() > crate::edit::MAX_OTHER_NAMES {
            continue;
        }
        let at = into.length(&names);
        into.insert(&names, at, name.trim())?;
        known.push(key);
        n.names += 1;
    }

    // The merged case's id on the kept case, once.
    let st = obj(into, &ROOT, "status")?;
    let merged = match into.get(&st, "merged_from")? {
        Some((Value::Object(ObjType::List), l)) => l,
        _ => into.put_object(&st, "merged_from", ObjType::List)?,
    };
    if !kept.status.merged_from.iter().any(|m| m == from_id) {
        let at = into.length(&merged);
        into.insert(&merged, at, from_id)?;
    }
    Ok(n)
}

fn carry_claims(
    into: &mut AutoCommit,
    source: &hydrate::Map,
    kept: &Case,
    other: &Case,
    from_id: &str,
    n: &mut Carried,
) -> Result<()> {
    let list = obj(into, &ROOT, "services")?;
    let src = hlist(source, "services", "services")?;
    for item in hitems(src, "services")? {
        let id = hstr(item, "id")?.unwrap_or_default();
        let Some(claim) = other.services.iter().find(|s| s.id == id) else {
            continue;
        };
        if kept.services.iter().any(|s| s.id == claim.id) {
            continue;
        }
        let open = |s: &Service| s.scheme == claim.scheme && s.paid_on.is_none();
        match kept
            .services
            .iter()
            .find(|s| open(s))
            .filter(|_| open(claim))
        {
            // One open claim per scheme: the other case's dates fill the kept claim's gaps,
            // when they keep the dates in order.
            Some(mine) => {
                let applied = mine.applied_on.or(claim.applied_on);
                let sanctioned = mine.sanctioned_on.or(claim.sanctioned_on);
                let fits =
                    crate::edit::service_dates(applied, sanctioned, None, NaiveDate::MAX).is_ok();
                let m =
                    find_by_id(into, &list, &mine.id)?.ok_or_else(|| SchemaError::NotFound {
                        what: "service",
                        id: mine.id.clone(),
                    })?;
                let mut filled = false;
                if fits {
                    for key in ["applied_on", "sanctioned_on", "amount", "stuck_reason"] {
                        filled |= fill(into, &m, item, key)?;
                    }
                }
                n.claims_combined += usize::from(filled);
            }
            None => {
                let at = into.length(&list);
                let m = into.insert_object(&list, at, ObjType::Map)?;
                copy_map(into, &m, item, 1)?;
                into.put(&m, "carried_from", from_id)?;
                n.claims += 1;
            }
        }
    }
    Ok(())
}

fn carry_needs(
    into: &mut AutoCommit,
    source: &hydrate::Map,
    kept: &Case,
    other: &Case,
    from_id: &str,
    n: &mut Carried,
) -> Result<()> {
    let needs = obj(into, &ROOT, "needs")?;
    let src_needs = hobj(source, "needs", "needs")?;
    for d in Dimension::ALL {
        let need = obj(into, &needs, d.key())?;
        let history = obj(into, &need, "history")?;
        let src_need = hobj(src_needs, d.key(), "needs")?;
        n.need_entries += copy_missing(
            into,
            &history,
            hlist(src_need, "history", "needs.history")?,
            from_id,
        )?;
        // The current status is the latest observed of both cases (the kept one on a tie).
        let latest = |c: &Case| c.need(d).history.iter().map(|h| h.on).max();
        let theirs = latest(other);
        if theirs.is_some() && theirs > latest(kept) {
            into.put(&need, "status", other.need(d).status.key())?;
            put_opt_str(into, &need, "note", other.need(d).note.as_deref())?;
        }
    }
    Ok(())
}

/// The other case's referrals the kept case lacks, and the steps recorded on a referral since it
/// was carried (a referral followed up on the closed case's phone after the merge).
fn carry_referrals(into: &mut AutoCommit, src: &[hydrate::List], from_id: &str) -> Result<usize> {
    if src.iter().all(|l| l.is_empty()) {
        return Ok(0);
    }
    let list = match referrals::lists(into)?.into_iter().next() {
        Some(l) => l,
        None => into.put_object(ROOT, referrals::KEY, ObjType::List)?,
    };
    let mut n = 0;
    for items in src {
        for item in hitems(items, referrals::KEY)? {
            let Some(id) = hstr(item, "id")? else {
                continue;
            };
            let mut found = None;
            for l in referrals::lists(into)? {
                if let Some(m) = find_by_id(into, &l, &id)? {
                    found = Some(m);
                    break;
                }
            }
            match found {
                Some(m) => {
                    let steps = req_obj(into, &m, "steps", "referrals.steps")?;
                    n += copy_missing(
                        into,
                        &steps,
                        hlist(item, "steps", "referrals.steps")?,
                        from_id,
                    )?;
                }
                None => {
                    let at = into.length(&list);
                    let m = into.insert_object(&list, at, ObjType::Map)?;
                    copy_map(into, &m, item, 1)?;
                    into.put(&m, "carried_from", from_id)?;
                    n += 1;
                }
            }
        }
    }
    Ok(n)
}

/// The other case's copies of documents the kept case lacks, as they stand (withdrawn,
/// verified), marked `carried_from`.
fn carry_attachments(into: &mut AutoCommit, src: &[hydrate::List], from_id: &str) -> Result<usize> {
    if src.iter().all(|l| l.is_empty()) {
        return Ok(0);
    }
    let list = match root_lists(into, attachments::KEY)?.into_iter().next() {
        Some(l) => l,
        None => into.put_object(ROOT, attachments::KEY, ObjType::List)?,
    };
    let mut n = 0;
    for items in src {
        for item in hitems(items, attachments::KEY)? {
            let Some(id) = hstr(item, "id")? else {
                continue;
            };
            let mut found = false;
            for l in root_lists(into, attachments::KEY)? {
                found |= find_by_id(into, &l, &id)?.is_some();
            }
            if !found {
                let at = into.length(&list);
                let m = into.insert_object(&list, at, ObjType::Map)?;
                copy_map(into, &m, item, 1)?;
                into.put(&m, "carried_from", from_id)?;
                n += 1;
            }
        }
    }
    Ok(n)
}

fn rank(state: DocumentState) -> u8 {
    match state {
        DocumentState::Missing => 0,
        DocumentState::Received => 1,
        DocumentState::Verified => 2,
    }
}

/// Appends to `list` a copy of each item of `src` whose id it lacks, marked `carried_from`.
fn copy_missing(
    into: &mut AutoCommit,
    list: &ObjId,
    src: &hydrate::List,
    from_id: &str,
) -> Result<usize> {
    let mut copied = 0;
    for item in hitems(src, "a list of records")? {
        let Some(id) = hstr(item, "id")? else {
            continue;
        };
        if find_by_id(into, list, &id)?.is_some() {
            continue;
        }
        let at = into.length(list);
        let m = into.insert_object(list, at, ObjType::Map)?;
        copy_map(into, &m, item, 1)?;
        into.put(&m, "carried_from", from_id)?;
        copied += 1;
    }
    Ok(copied)
}

/// Sets `key` of `m` from `src` when `m` holds nothing there (absent or null) and `src` does.
fn fill(into: &mut AutoCommit, m: &ObjId, src: &hydrate::Map, key: &str) -> Result<bool> {
    let empty = match into.get(m, key)? {
        None => true,
        Some((Value::Scalar(s), _)) => matches!(s.as_ref(), ScalarValue::Null),
        Some(_) => false,
    };
    match src.get(key) {
        Some(hydrate::Value::Scalar(s)) if empty && !matches!(s, ScalarValue::Null) => {
            into.put(m, key, s.clone())?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// [`fill`] for each of `keys`; how many were filled.
fn fill_keys(into: &mut AutoCommit, m: &ObjId, src: &hydrate::Map, keys: &[&str]) -> Result<usize> {
    let mut filled = 0;
    for key in keys {
        filled += usize::from(fill(into, m, src, key)?);
    }
    Ok(filled)
}

/// Sets `key` of `m` to the scalar `src` holds there (null when it holds none).
fn copy_key(into: &mut AutoCommit, m: &ObjId, src: &hydrate::Map, key: &str) -> Result<()> {
    match src.get(key) {
        Some(hydrate::Value::Scalar(s)) => into.put(m, key, s.clone())?,
        _ => into.put(m, key, ScalarValue::Null)?,
    }
    Ok(())
}

/// Writes every key of `src` into the new map `m`, nested objects included.
fn copy_map(into: &mut AutoCommit, m: &ObjId, src: &hydrate::Map, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(SchemaError::TooDeep { limit: MAX_DEPTH });
    }
    for (key, v) in src.iter() {
        match &v.value {
            hydrate::Value::Scalar(s) => {
                into.put(m, key.as_str(), s.clone())?;
            }
            hydrate::Value::Map(inner) => {
                let o = into.put_object(m, key.as_str(), ObjType::Map)?;
                copy_map(into, &o, inner, depth + 1)?;
            }
            hydrate::Value::List(inner) => {
                let o = into.put_object(m, key.as_str(), ObjType::List)?;
                copy_list(into, &o, inner, depth + 1)?;
            }
            hydrate::Value::Text(t) => {
                into.put(m, key.as_str(), t.to_string().as_str())?;
            }
        }
    }
    Ok(())
}

fn copy_list(into: &mut AutoCommit, l: &ObjId, src: &hydrate::List, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(SchemaError::TooDeep { limit: MAX_DEPTH });
    }
    for (i, v) in src.iter().enumerate() {
        match &v.value {
            hydrate::Value::Scalar(s) => into.insert(l, i, s.clone())?,
            hydrate::Value::Map(inner) => {
                let o = into.insert_object(l, i, ObjType::Map)?;
                copy_map(into, &o, inner, depth + 1)?;
            }
            hydrate::Value::List(inner) => {
                let o = into.insert_object(l, i, ObjType::List)?;
                copy_list(into, &o, inner, depth + 1)?;
            }
            hydrate::Value::Text(t) => into.insert(l, i, t.to_string().as_str())?,
        }
    }
    Ok(())
}
