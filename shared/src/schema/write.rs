//! Writing: each [`Edit`] as Automerge operations on the layout the module doc of `schema`
//! draws (registration creates every map; later edits set scalars in them or append to lists),
//! the settlement of a conflict, and the small writers the merge uses too. Apart from reading
//! and checking because it is the one place that changes a document.

use super::*;

pub(super) fn write(doc: &mut AutoCommit, edit: &Edit, ctx: &EditContext) -> Result<()> {
    match edit {
        Edit::Register(profile) => match str_at(doc, &ROOT, "case_id")? {
            Some(id) => Err(SchemaError::AlreadyRegistered(id)),
            None => register(doc, profile, ctx),
        },
        other => {
            check_kind(doc)?;
            note_actor(doc, &ctx.author)?;
            write_edit(doc, other, ctx)
        }
    }
}

pub(super) fn write_edit(doc: &mut AutoCommit, edit: &Edit, ctx: &EditContext) -> Result<()> {
    match edit {
        Edit::ResolveConflict { path, value } => resolve(doc, path, value, ctx)?,
        Edit::Register(_) => return Err(SchemaError::AlreadyRegistered(case_id(doc)?)),
        Edit::RecordVisit { visit, updates } => {
            let visits = obj(doc, &ROOT, "visits")?;
            if find_by_id(doc, &visits, &visit.id)?.is_some() {
                // A retried edit: the visit is already there, so this is a no-op.
                return Ok(());
            }
            let v = append_map(doc, &visits)?;
            doc.put(&v, "id", visit.id.as_str())?;
            put_date(doc, &v, "date", Some(visit.date))?;
            doc.put(&v, "kind", visit.kind.key())?;
            put_opt_str(doc, &v, "met", visit.met.as_deref())?;
            put_opt_str(doc, &v, "note", visit.note.as_deref())?;
            put_opt_str(doc, &v, "next_steps", visit.next_steps.as_deref())?;
            // Written only when set: a visit about nothing in particular is laid out as before.
            if let Some(summons) = &visit.summons_id {
                doc.put(&v, "summons_id", summons.as_str())?;
            }
            if visit.safety_checked {
                doc.put(&v, "safety_checked", true)?;
            }
            put_by(doc, &v, ctx)?;
            for u in updates {
                set_need(doc, u, visit.date, Some(&visit.id), ctx)?;
            }
        }
        Edit::SetNeed { update, on } => set_need(doc, update, *on, None, ctx)?,
        Edit::AddService(s) => {
            let list = obj(doc, &ROOT, "services")?;
            if find_by_id(doc, &list, &s.id)?.is_some() {
                return Ok(());
            }
            // One open claim per scheme: a second application is progress on the first.
            for i in 0..doc.length(&list) {
                let existing = item(doc, &list, i, "services")?;
                let path = format!("services[{i}]");
                if str_at(doc, &existing, "scheme")?.as_deref() == Some(s.scheme.as_str())
                    && date_at(doc, &existing, "paid_on", &path)?.is_none()
                {
                    return Err(SchemaError::OpenClaim {
                        scheme: s.scheme.clone(),
                        id: str_at(doc, &existing, "id")?.unwrap_or_default(),
                    });
                }
            }
            let m = append_map(doc, &list)?;
            doc.put(&m, "id", s.id.as_str())?;
            doc.put(&m, "dimension", s.dimension.key())?;
            doc.put(&m, "scheme", s.scheme.as_str())?;
            put_date(doc, &m, "applied_on", s.applied_on)?;
            put_date(doc, &m, "sanctioned_on", s.sanctioned_on)?;
            put_date(doc, &m, "paid_on", s.paid_on)?;
            put_opt_u64(doc, &m, "amount", s.amount)?;
            put_opt_str(doc, &m, "stuck_reason", s.stuck_reason.as_deref())?;
            put_by(doc, &m, ctx)?;
        }
        Edit::UpdateService(p) => {
            let list = obj(doc, &ROOT, "services")?;
            let m = find_by_id(doc, &list, &p.id)?.ok_or_else(|| SchemaError::NotFound {
                what: "service",
                id: p.id.clone(),
            })?;
            let path = format!("services.{}", p.id);
            let applied = p.applied_on.or(date_at(doc, &m, "applied_on", &path)?);
            let sanctioned = p
                .sanctioned_on
                .or(date_at(doc, &m, "sanctioned_on", &path)?);
            let paid = p.paid_on.or(date_at(doc, &m, "paid_on", &path)?);
            // Check the merged dates, not just the ones given in this update.
            crate::edit::service_dates(applied, sanctioned, paid, crate::edit::latest_day(ctx))?;
            if p.applied_on.is_some() {
                put_date(doc, &m, "applied_on", p.applied_on)?;
            }
            if p.sanctioned_on.is_some() {
                put_date(doc, &m, "sanctioned_on", p.sanctioned_on)?;
            }
            if p.paid_on.is_some() {
                put_date(doc, &m, "paid_on", p.paid_on)?;
            }
            if p.amount.is_some() {
                put_opt_u64(doc, &m, "amount", p.amount)?;
            }
            // An empty reason clears it: the claim is no longer stuck.
            if let Some(reason) = &p.stuck_reason {
                let reason = Some(reason.trim()).filter(|r| !r.is_empty());
                put_opt_str(doc, &m, "stuck_reason", reason)?;
            }
        }
        Edit::SetEducation(e) => {
            let m = obj(doc, &ROOT, "education")?;
            put_opt_str(doc, &m, "kind", e.kind.map(Schooling::key))?;
            put_opt_str(doc, &m, "institution", e.institution.as_deref())?;
            // A key added after version 1: written when there is a class or was one to clear.
            if e.class.is_some() || doc.get(&m, "class")?.is_some() {
                put_opt_str(doc, &m, "class", e.class.as_deref())?;
            }
            put_date(doc, &m, "enrolled_on", e.enrolled_on)?;
            put_opt_str(doc, &m, "attendance", e.attendance.as_deref())?;
        }
        Edit::AddSummons(s) => {
            let legal = obj(doc, &ROOT, "legal")?;
            let list = obj(doc, &legal, "summonses")?;
            if find_by_id(doc, &list, &s.id)?.is_some() {
                return Ok(());
            }
            let m = append_map(doc, &list)?;
            doc.put(&m, "id", s.id.as_str())?;
            put_date(doc, &m, "received_on", Some(s.received_on))?;
            put_date(doc, &m, "hearing_on", Some(s.hearing_on))?;
            put_opt_str(doc, &m, "mode", s.mode.map(HearingMode::key))?;
            put_by(doc, &m, ctx)?;
        }
        Edit::RecordHearing(h) => record_hearing(doc, h, ctx)?,
        Edit::SetLegal {
            court_case_ref,
            court,
            lawyer_authorised_on,
            lawyer_authorised_by,
        } => {
            let legal = obj(doc, &ROOT, "legal")?;
            if court_case_ref.is_some() {
                put_opt_str(doc, &legal, "court_case_ref", court_case_ref.as_deref())?;
            }
            if court.is_some() {
                put_opt_str(doc, &legal, "court", court.as_deref())?;
            }
            if lawyer_authorised_on.is_some() {
                put_date(doc, &legal, "lawyer_authorised_on", *lawyer_authorised_on)?;
            }
            if lawyer_authorised_by.is_some() {
                put_opt_str(
                    doc,
                    &legal,
                    "lawyer_authorised_by",
                    lawyer_authorised_by.as_deref(),
                )?;
            }
        }
        Edit::UpdateIncident {
            id,
            police_informed,
        } => {
            let legal = obj(doc, &ROOT, "legal")?;
            let list = obj(doc, &legal, "incidents")?;
            let m = find_by_id(doc, &list, id)?.ok_or_else(|| SchemaError::NotFound {
                what: "incident",
                id: id.clone(),
            })?;
            doc.put(&m, "police_informed", *police_informed)?;
        }
        Edit::AddIncident(i) => {
            let legal = obj(doc, &ROOT, "legal")?;
            let list = obj(doc, &legal, "incidents")?;
            if find_by_id(doc, &list, &i.id)?.is_some() {
                return Ok(());
            }
            let m = append_map(doc, &list)?;
            doc.put(&m, "id", i.id.as_str())?;
            put_date(doc, &m, "on", Some(i.on))?;
            doc.put(&m, "what", i.what.as_str())?;
            doc.put(&m, "police_informed", i.police_informed)?;
            put_by(doc, &m, ctx)?;
        }
        Edit::SetDocument { kind, state, on } => {
            attachments::set_document(doc, *kind, *state, *on, ctx)?;
        }
        Edit::Attach(a) => attachments::attach(doc, a, ctx)?,
        Edit::WithdrawAttachment { id, reason, on } => {
            attachments::withdraw(doc, id, reason, *on, ctx)?;
        }
        Edit::VerifyCopy { id, on } => attachments::verify(doc, id, *on, ctx)?,
        Edit::ConfirmWithdrawal { id } => attachments::confirm_withdrawal(doc, id, ctx)?,
        Edit::SetCaregiver(c) => {
            let child = obj(doc, &ROOT, "child")?;
            let m = obj(doc, &child, "caregiver")?;
            write_caregiver(doc, &m, c)?;
        }
        Edit::OverrideRisk { level, reason } => {
            let m = obj(doc, &ROOT, "risk_override")?;
            put_opt_str(doc, &m, "level", level.map(Risk::key))?;
            doc.put(&m, "reason", reason.as_str())?;
            put_by_at(doc, &m, ctx, "at")?;
        }
        Edit::RequestTransfer {
            district,
            block,
            village,
            reason,
            on,
        } => {
            let m = obj(doc, &ROOT, "status")?;
            refuse_if_merged(doc, &m)?;
            doc.put(&m, "move_district", district.as_str())?;
            doc.put(&m, "move_block", block.as_str())?;
            doc.put(&m, "move_village", village.as_str())?;
            doc.put(&m, "move_reason", reason.as_str())?;
            put_date(doc, &m, "move_on", Some(*on))?;
            doc.put(&m, "move_by", ctx.author.user_id.as_str())?;
            doc.put(&m, "move_by_name", ctx.author.name.as_str())?;
        }
        Edit::SettleMove { approved, note } => {
            let m = obj(doc, &ROOT, "status")?;
            let Some(district) = str_at(doc, &m, "move_district")? else {
                return Err(SchemaError::NotFound {
                    what: "move request",
                    id: case_id(doc)?,
                });
            };
            if *approved {
                let block = str_at(doc, &m, "move_block")?.unwrap_or_default();
                let village = str_at(doc, &m, "move_village")?.unwrap_or_default();
                let child = obj(doc, &ROOT, "child")?;
                let address = obj(doc, &child, "address")?;
                doc.put(&address, "district", district.as_str())?;
                doc.put(&address, "block", block.as_str())?;
                doc.put(&address, "village", village.as_str())?;
                doc.put(&address, "panchayat", ScalarValue::Null)?;
            }
            doc.put(&m, "move_district", ScalarValue::Null)?;
            doc.put(
                &m,
                "move_decision",
                if *approved { "approved" } else { "refused" },
            )?;
            put_opt_str(doc, &m, "move_note", note.as_deref())?;
            doc.put(&m, "move_decided_by", ctx.author.user_id.as_str())?;
            doc.put(&m, "move_decided_by_name", ctx.author.name.as_str())?;
        }
        Edit::Refer(r) => referrals::refer(doc, r, ctx)?,
        Edit::UpdateReferral(u) => referrals::update(doc, u, ctx)?,
        Edit::SetStatus {
            state,
            reason,
            since,
            closure,
        } => {
            let m = obj(doc, &ROOT, "status")?;
            refuse_if_merged(doc, &m)?;
            doc.put(&m, "state", state.key())?;
            put_opt_str(doc, &m, "reason", reason.as_deref())?;
            put_date(doc, &m, "since", Some(*since))?;
            // A closure's reason belongs to the closure: reopening clears it.
            let closure = closure.filter(|_| *state == CaseState::Closed);
            put_opt_str(doc, &m, "closure", closure.map(|c| c.key()))?;
        }
    }
    Ok(())
}

/// A merged case's status stays "merged": reopening it would count the child twice again.
pub(super) fn refuse_if_merged(doc: &AutoCommit, status: &ObjId) -> Result<()> {
    match str_at(doc, status, "merged_into")? {
        Some(into) => Err(SchemaError::MergedAway { into }),
        None => Ok(()),
    }
}

/// Records a hearing's outcome on its summons; an adjourned or missed hearing with a next date
/// appends that hearing as a summons of its own (`follows` the first), so each hearing keeps its
/// own outcome and nothing is overwritten. A retried edit (the next hearing's id already there,
/// or the same outcome already recorded) changes nothing.
pub(super) fn record_hearing(
    doc: &mut AutoCommit,
    h: &crate::edit::NewHearing,
    ctx: &EditContext,
) -> Result<()> {
    let legal = obj(doc, &ROOT, "legal")?;
    let list = obj(doc, &legal, "summonses")?;
    let m = find_by_id(doc, &list, &h.summons_id)?.ok_or_else(|| SchemaError::NotFound {
        what: "summons",
        id: h.summons_id.clone(),
    })?;
    if find_by_id(doc, &list, &h.id)?.is_some() {
        return Ok(());
    }
    let path = format!("legal.summonses.{}", h.summons_id);
    let received = date_at(doc, &m, "received_on", &path)?;
    if let Some(received) = received
        && h.held_on < received
    {
        return Err(InvalidEdit::DatesOutOfOrder {
            earlier: "summons received on",
            earlier_on: received,
            later: "hearing held on",
            later_on: h.held_on,
        }
        .into());
    }
    let same = str_at(doc, &m, "outcome")?.as_deref() == Some(h.result.key())
        && date_at(doc, &m, "held_on", &path)? == Some(h.held_on)
        && date_at(doc, &m, "next_hearing_on", &path)? == h.next_hearing_on;
    if same {
        return Ok(());
    }
    doc.put(&m, "outcome", h.result.key())?;
    put_date(doc, &m, "held_on", Some(h.held_on))?;
    put_date(doc, &m, "next_hearing_on", h.next_hearing_on)?;
    put_opt_str(doc, &m, "outcome_note", h.note.as_deref())?;
    doc.put(&m, "outcome_by", ctx.author.user_id.as_str())?;
    doc.put(&m, "outcome_by_name", ctx.author.name.as_str())?;
    doc.put(
        &m,
        "outcome_at",
        ScalarValue::Timestamp(ctx.at.timestamp_millis()),
    )?;
    if let Some(next) = h.next_hearing_on {
        let mode = str_at(doc, &m, "mode")?;
        let n = append_map(doc, &list)?;
        doc.put(&n, "id", h.id.as_str())?;
        put_date(doc, &n, "received_on", Some(h.held_on))?;
        put_date(doc, &n, "hearing_on", Some(next))?;
        put_opt_str(doc, &n, "mode", mode.as_deref())?;
        doc.put(&n, "follows", h.summons_id.as_str())?;
        put_by(doc, &n, ctx)?;
    }
    Ok(())
}

pub(super) fn register(doc: &mut AutoCommit, p: &Profile, ctx: &EditContext) -> Result<()> {
    doc.put(ROOT, "kind", KIND)?;
    doc.put(ROOT, "schema", SCHEMA_VERSION)?;
    doc.put(ROOT, "case_id", p.case_id.as_str())?;
    doc.put_object(ROOT, "actors", ObjType::Map)?;
    note_actor(doc, &ctx.author)?;

    let child = doc.put_object(ROOT, "child", ObjType::Map)?;
    doc.put(&child, "name", p.child.name.as_str())?;
    let names = doc.put_object(&child, "other_names", ObjType::List)?;
    for (i, n) in p.child.other_names.iter().enumerate() {
        doc.insert(&names, i, n.as_str())?;
    }
    doc.put(&child, "sex", p.child.sex.key())?;
    match p.child.birth {
        Birth::Dob(dob) => {
            put_date(doc, &child, "dob", Some(dob))?;
            doc.put(&child, "age_years", ScalarValue::Null)?;
            doc.put(&child, "age_as_of", ScalarValue::Null)?;
        }
        Birth::Estimated { years, as_of } => {
            doc.put(&child, "dob", ScalarValue::Null)?;
            doc.put(&child, "age_years", u64::from(years))?;
            put_date(doc, &child, "age_as_of", Some(as_of))?;
        }
    }
    let cg = doc.put_object(&child, "caregiver", ObjType::Map)?;
    write_caregiver(
        doc,
        &cg,
        p.child.caregiver.as_ref().unwrap_or(&Caregiver::default()),
    )?;
    let addr = doc.put_object(&child, "address", ObjType::Map)?;
    let a = &p.child.address;
    doc.put(&addr, "district", a.district.as_str())?;
    doc.put(&addr, "block", a.block.as_str())?;
    put_opt_str(doc, &addr, "panchayat", a.panchayat.as_deref())?;
    doc.put(&addr, "village", a.village.as_str())?;

    let r = doc.put_object(ROOT, "rescue", ObjType::Map)?;
    let rescue = &p.rescue;
    put_opt_str(doc, &r, "city", rescue.city.as_deref())?;
    put_opt_str(doc, &r, "workplace", rescue.workplace.as_deref())?;
    put_date(doc, &r, "rescued_on", rescue.rescued_on)?;
    put_opt_str(doc, &r, "shelter_home", rescue.shelter_home.as_deref())?;
    put_opt_str(doc, &r, "cwc_order_ref", rescue.cwc_order_ref.as_deref())?;
    put_date(doc, &r, "returned_on", Some(rescue.returned_on))?;
    put_opt_str(
        doc,
        &r,
        "receiving_authority",
        rescue.receiving_authority.as_deref(),
    )?;

    let lb = doc.put_object(ROOT, "legal_basis", ObjType::Map)?;
    match &p.legal_basis {
        LegalBasis::CwcOrder { reference, dated } => {
            doc.put(&lb, "kind", "cwc_order")?;
            doc.put(&lb, "reference", reference.as_str())?;
            put_date(doc, &lb, "dated", Some(*dated))?;
        }
        LegalBasis::GuardianConsent { given_by, dated } => {
            doc.put(&lb, "kind", "guardian_consent")?;
            doc.put(&lb, "given_by", given_by.as_str())?;
            put_date(doc, &lb, "dated", Some(*dated))?;
        }
    }

    let needs = doc.put_object(ROOT, "needs", ObjType::Map)?;
    for d in Dimension::ALL {
        let n = doc.put_object(&needs, d.key(), ObjType::Map)?;
        doc.put(&n, "status", Status::NotAssessed.key())?;
        doc.put(&n, "note", ScalarValue::Null)?;
        doc.put_object(&n, "history", ObjType::List)?;
    }
    let edu = doc.put_object(ROOT, "education", ObjType::Map)?;
    for k in ["kind", "institution", "enrolled_on", "attendance"] {
        doc.put(&edu, k, ScalarValue::Null)?;
    }
    doc.put_object(ROOT, "services", ObjType::List)?;
    let legal = doc.put_object(ROOT, "legal", ObjType::Map)?;
    doc.put(&legal, "court_case_ref", ScalarValue::Null)?;
    doc.put(&legal, "lawyer_authorised_on", ScalarValue::Null)?;
    doc.put_object(&legal, "summonses", ObjType::List)?;
    doc.put_object(&legal, "incidents", ObjType::List)?;
    let docs = doc.put_object(ROOT, "documents", ObjType::Map)?;
    for k in DocumentKind::ALL {
        let m = doc.put_object(&docs, k.key(), ObjType::Map)?;
        doc.put(&m, "state", DocumentState::Missing.key())?;
        doc.put(&m, "on", ScalarValue::Null)?;
    }
    doc.put_object(ROOT, "visits", ObjType::List)?;
    doc.put_object(ROOT, referrals::KEY, ObjType::List)?;
    doc.put_object(ROOT, attachments::KEY, ObjType::List)?;
    let ro = doc.put_object(ROOT, "risk_override", ObjType::Map)?;
    for k in ["level", "reason", "by", "by_name", "at"] {
        doc.put(&ro, k, ScalarValue::Null)?;
    }
    let st = doc.put_object(ROOT, "status", ObjType::Map)?;
    doc.put(&st, "state", CaseState::Active.key())?;
    doc.put(&st, "reason", ScalarValue::Null)?;
    put_date(doc, &st, "since", Some(rescue.returned_on))?;
    Ok(())
}

pub(super) fn write_caregiver(doc: &mut AutoCommit, m: &ObjId, c: &Caregiver) -> Result<()> {
    doc.put(m, "name", c.name.as_str())?;
    doc.put(m, "relation", c.relation.as_str())?;
    put_opt_str(doc, m, "phone", c.phone.as_deref())?;
    Ok(())
}

pub(super) fn set_need(
    doc: &mut AutoCommit,
    u: &NeedUpdate,
    on: NaiveDate,
    visit_id: Option<&str>,
    ctx: &EditContext,
) -> Result<()> {
    let needs = obj(doc, &ROOT, "needs")?;
    let need = obj(doc, &needs, u.dimension.key())?;
    let history = obj(doc, &need, "history")?;
    if find_by_id(doc, &history, &u.id)?.is_some() {
        return Ok(());
    }
    // A status observed before the latest one already recorded (a visit entered late) goes into
    // the history but does not replace the current status.
    let path = format!("needs.{}.history", u.dimension);
    let mut latest: Option<NaiveDate> = None;
    for i in 0..doc.length(&history) {
        let entry = item(doc, &history, i, &path)?;
        let entry_on = date_at(doc, &entry, "on", &path)?;
        latest = latest.max(entry_on);
    }
    let h = append_map(doc, &history)?;
    doc.put(&h, "id", u.id.as_str())?;
    doc.put(&h, "status", u.status.key())?;
    put_date(doc, &h, "on", Some(on))?;
    put_opt_str(doc, &h, "visit_id", visit_id)?;
    put_opt_str(doc, &h, "note", u.note.as_deref())?;
    put_by(doc, &h, ctx)?;
    if latest.is_none_or(|l| on >= l) {
        doc.put(&need, "status", u.status.key())?;
        if u.note.is_some() {
            put_opt_str(doc, &need, "note", u.note.as_deref())?;
        }
    }
    Ok(())
}

/// Puts one value over the concurrent values of the field at `path` (a path of
/// [`conflicts`]: map keys, and list items by their id). The case must still read afterwards,
/// so a status its need does not allow is refused.
///
/// A need's status settled this way is also entered in the need's history, on the day of the
/// settlement and signed by the supervisor, so the status "since" carries that day and a report
/// of any later day reads the settled status (a history read alone could pick either of the
/// concurrent entries).
pub(super) fn resolve(
    doc: &mut AutoCommit,
    path: &str,
    value: &crate::edit::Resolution,
    ctx: &EditContext,
) -> Result<()> {
    use crate::edit::Resolution;
    let not_found = || SchemaError::NotFound {
        what: "conflicting field",
        id: path.to_owned(),
    };
    let mut segments: Vec<&str> = path.split('.').collect();
    let key = segments
        .pop()
        .filter(|k| !k.is_empty())
        .ok_or_else(not_found)?;
    let mut obj = ROOT;
    for seg in segments {
        obj = match doc.object_type(&obj)? {
            ObjType::Map | ObjType::Table => match doc.get(&obj, seg)? {
                Some((Value::Object(_), id)) => id,
                _ => return Err(not_found()),
            },
            ObjType::List | ObjType::Text => find_by_id(doc, &obj, seg)?.ok_or_else(not_found)?,
        };
    }
    if !matches!(doc.object_type(&obj)?, ObjType::Map | ObjType::Table) || path == "actors" {
        return Err(not_found());
    }
    let all = doc.get_all(&obj, key)?;
    if all.len() < 2 {
        return Err(not_found());
    }
    let scalar = |v: &Value<'_>| match v {
        Value::Scalar(s) => Some(s.clone().into_owned()),
        Value::Object(_) => None,
    };
    let chosen: automerge::ScalarValue = match value {
        Resolution::Keep(actor) => all
            .iter()
            .find(|(_, id)| match id {
                automerge::ObjId::Id(_, a, _) => a.to_hex_string() == *actor,
                automerge::ObjId::Root => false,
            })
            .and_then(|(v, _)| scalar(v))
            .ok_or_else(|| SchemaError::NotFound {
                what: "value written by actor",
                id: actor.clone(),
            })?,
        Resolution::Set(text) => {
            let texts = all.iter().all(|(v, _)| {
                matches!(
                    scalar(v),
                    Some(automerge::ScalarValue::Str(_) | automerge::ScalarValue::Null)
                )
            });
            if !texts {
                return Err(SchemaError::Malformed {
                    path: path.to_owned(),
                    expected: "a text field (pick one of the values for others)",
                });
            }
            automerge::ScalarValue::Str(text.trim().into())
        }
    };
    doc.put(&obj, key, chosen.clone())?;
    if let ["needs", dimension, "status"] = path.split('.').collect::<Vec<_>>()[..]
        && let ScalarValue::Str(status) = &chosen
    {
        let history = crate::schema::obj(doc, &obj, "history")?;
        let h = append_map(doc, &history)?;
        let id = format!("settled-{dimension}-{}", ctx.at.timestamp_millis());
        doc.put(&h, "id", id.as_str())?;
        doc.put(&h, "status", status.as_str())?;
        put_date(doc, &h, "on", Some(ctx.at.date_naive()))?;
        doc.put(&h, "visit_id", ScalarValue::Null)?;
        doc.put(&h, "note", ScalarValue::Null)?;
        doc.put(&h, "settles", true)?;
        put_by(doc, &h, ctx)?;
    }
    read_case(doc)?;
    Ok(())
}

/// Records which user this document's actor belongs to, once per actor.
pub(super) fn note_actor(doc: &mut AutoCommit, author: &Author) -> Result<()> {
    let actors = obj(doc, &ROOT, "actors")?;
    let key = doc.get_actor().to_hex_string();
    if let Some((Value::Object(ObjType::Map), m)) = doc.get(&actors, key.as_str())? {
        let same = str_at(doc, &m, "user_id")?.as_deref() == Some(author.user_id.as_str())
            && str_at(doc, &m, "name")?.as_deref() == Some(author.name.as_str());
        if same {
            return Ok(());
        }
        doc.put(&m, "user_id", author.user_id.as_str())?;
        doc.put(&m, "name", author.name.as_str())?;
        return Ok(());
    }
    let m = doc.put_object(&actors, key.as_str(), ObjType::Map)?;
    doc.put(&m, "user_id", author.user_id.as_str())?;
    doc.put(&m, "name", author.name.as_str())?;
    Ok(())
}

pub(super) fn put_by(doc: &mut AutoCommit, m: &ObjId, ctx: &EditContext) -> Result<()> {
    put_by_at(doc, m, ctx, "recorded_at")
}

pub(super) fn put_by_at(
    doc: &mut AutoCommit,
    m: &ObjId,
    ctx: &EditContext,
    at_key: &str,
) -> Result<()> {
    doc.put(m, "by", ctx.author.user_id.as_str())?;
    doc.put(m, "by_name", ctx.author.name.as_str())?;
    doc.put(m, at_key, ScalarValue::Timestamp(ctx.at.timestamp_millis()))?;
    Ok(())
}

pub(super) fn put_opt_str(
    doc: &mut AutoCommit,
    m: &ObjId,
    key: &str,
    v: Option<&str>,
) -> Result<()> {
    match v {
        Some(s) => doc.put(m, key, s)?,
        None => doc.put(m, key, ScalarValue::Null)?,
    }
    Ok(())
}

pub(super) fn put_opt_u64(
    doc: &mut AutoCommit,
    m: &ObjId,
    key: &str,
    v: Option<u64>,
) -> Result<()> {
    match v {
        Some(n) => doc.put(m, key, n)?,
        None => doc.put(m, key, ScalarValue::Null)?,
    }
    Ok(())
}

pub(super) fn put_date(
    doc: &mut AutoCommit,
    m: &ObjId,
    key: &str,
    v: Option<NaiveDate>,
) -> Result<()> {
    match v {
        Some(d) => doc.put(m, key, d.format("%Y-%m-%d").to_string())?,
        None => doc.put(m, key, ScalarValue::Null)?,
    }
    Ok(())
}

pub(super) fn append_map(doc: &mut AutoCommit, list: &ObjId) -> Result<ObjId> {
    let at = doc.length(list);
    Ok(doc.insert_object(list, at, ObjType::Map)?)
}

pub(super) fn find_by_id<D: ReadDoc>(doc: &D, list: &ObjId, id: &str) -> Result<Option<ObjId>> {
    for i in 0..doc.length(list) {
        if let Some((Value::Object(ObjType::Map), m)) = doc.get(list, i)?
            && str_at(doc, &m, "id")?.as_deref() == Some(id)
        {
            return Ok(Some(m));
        }
    }
    Ok(None)
}
