//! What an edit may carry, checked before anything is written, for every client alike: text
//! lengths (`check_lengths`, also run by the server on a question's profile), and dates and
//! required values (`check`: nothing in the future or before 2000, dates in order, a reason where
//! one is due). Apart from the vocabulary of edits because these are rules, and change as the
//! programme learns what goes wrong in the field.

use super::*;

/// The earliest day any event of a case may carry (a rescue, a visit, a claim, a hearing):
/// Homeward's programmes began long after it, so an earlier date is a typing mistake.
pub const EARLIEST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2000, 1, 1) {
    Some(d) => d,
    None => panic!("a valid date"),
};
/// The earliest birth date (or age estimate date) a child may carry.
pub const EARLIEST_BIRTH: NaiveDate = match NaiveDate::from_ymd_opt(1980, 1, 1) {
    Some(d) => d,
    None => panic!("a valid date"),
};

/// The longest id (of a case, a visit, a service...), in characters.
pub const MAX_ID: usize = 64;
/// The longest name or short text (a person, a place, a scheme, a reference), in characters.
pub const MAX_NAME: usize = 200;
/// The longest note (a visit's note, next steps, what happened, a reason), in characters.
pub const MAX_NOTE: usize = 2_000;
/// The most other names a child may be recorded with.
pub const MAX_OTHER_NAMES: usize = 10;
/// The most need updates in one visit (one per dimension, with room for more dimensions).
pub const MAX_UPDATES: usize = 20;
/// The most pages one copy may have, whatever the programme says (its own limit is lower).
pub const MAX_PAGES: usize = 100;

fn within(what: &'static str, s: &str, max: usize) -> Result<(), InvalidEdit> {
    if s.chars().count() > max {
        Err(InvalidEdit::TooLong { what, max })
    } else {
        Ok(())
    }
}

fn within_opt(what: &'static str, s: Option<&str>, max: usize) -> Result<(), InvalidEdit> {
    s.map_or(Ok(()), |s| within(what, s, max))
}

impl Edit {
    /// Checks every text of the edit against its field's length limit, so that no device can
    /// fill a case (and the dashboard pages and reports that show it) with megabytes of text.
    pub fn check_lengths(&self) -> Result<(), InvalidEdit> {
        let need_update = |u: &NeedUpdate| {
            within("need update id", &u.id, MAX_ID)?;
            within_opt("note", u.note.as_deref(), MAX_NOTE)
        };
        match self {
            Edit::Register(p) => {
                within("case id", &p.case_id, MAX_ID)?;
                let c = &p.child;
                within("name", &c.name, MAX_NAME)?;
                if c.other_names.len() > MAX_OTHER_NAMES {
                    return Err(InvalidEdit::TooMany {
                        what: "other names",
                        max: MAX_OTHER_NAMES,
                    });
                }
                for n in &c.other_names {
                    within("other name", n, MAX_NAME)?;
                }
                if let Some(cg) = &c.caregiver {
                    check_caregiver(cg)?;
                }
                let a = &c.address;
                within("district", &a.district, MAX_NAME)?;
                within("block", &a.block, MAX_NAME)?;
                within_opt("panchayat", a.panchayat.as_deref(), MAX_NAME)?;
                within("village", &a.village, MAX_NAME)?;
                let r = &p.rescue;
                within_opt("city", r.city.as_deref(), MAX_NAME)?;
                within_opt("workplace", r.workplace.as_deref(), MAX_NAME)?;
                within_opt("shelter home", r.shelter_home.as_deref(), MAX_NAME)?;
                within_opt("CWC order reference", r.cwc_order_ref.as_deref(), MAX_NAME)?;
                within_opt(
                    "receiving authority",
                    r.receiving_authority.as_deref(),
                    MAX_NAME,
                )?;
                match &p.legal_basis {
                    crate::model::LegalBasis::CwcOrder { reference, .. } => {
                        within("order reference", reference, MAX_NAME)
                    }
                    crate::model::LegalBasis::GuardianConsent { given_by, .. } => {
                        within("consent given by", given_by, MAX_NAME)
                    }
                }
            }
            Edit::RecordVisit { visit, updates } => {
                within("visit id", &visit.id, MAX_ID)?;
                within_opt("who was met", visit.met.as_deref(), MAX_NAME)?;
                within_opt("note", visit.note.as_deref(), MAX_NOTE)?;
                within_opt("next steps", visit.next_steps.as_deref(), MAX_NOTE)?;
                within_opt("summons id", visit.summons_id.as_deref(), MAX_ID)?;
                if updates.len() > MAX_UPDATES {
                    return Err(InvalidEdit::TooMany {
                        what: "need updates in one visit",
                        max: MAX_UPDATES,
                    });
                }
                updates.iter().try_for_each(need_update)
            }
            Edit::SetNeed { update, .. } => need_update(update),
            Edit::AddService(s) => {
                within("service id", &s.id, MAX_ID)?;
                within("scheme", &s.scheme, MAX_NAME)?;
                within_opt("why it is stuck", s.stuck_reason.as_deref(), MAX_NOTE)
            }
            Edit::UpdateService(s) => {
                within("service id", &s.id, MAX_ID)?;
                within_opt("why it is stuck", s.stuck_reason.as_deref(), MAX_NOTE)
            }
            Edit::SetEducation(e) => {
                within_opt("school", e.institution.as_deref(), MAX_NAME)?;
                within_opt("class", e.class.as_deref(), MAX_NAME)?;
                within_opt("attendance", e.attendance.as_deref(), MAX_NAME)
            }
            Edit::AddSummons(s) => within("summons id", &s.id, MAX_ID),
            Edit::RecordHearing(h) => {
                within("hearing id", &h.id, MAX_ID)?;
                within("summons id", &h.summons_id, MAX_ID)?;
                within_opt("note", h.note.as_deref(), MAX_NOTE)
            }
            Edit::SetLegal {
                court_case_ref,
                court,
                lawyer_authorised_by,
                ..
            } => {
                within_opt("court case reference", court_case_ref.as_deref(), MAX_NAME)?;
                within_opt("court", court.as_deref(), MAX_NAME)?;
                within_opt(
                    "lawyer authorised by",
                    lawyer_authorised_by.as_deref(),
                    MAX_NAME,
                )
            }
            Edit::UpdateIncident { id, .. } => within("incident id", id, MAX_ID),
            Edit::RequestTransfer {
                district,
                block,
                village,
                reason,
                ..
            } => {
                within("district", district, MAX_NAME)?;
                within("block", block, MAX_NAME)?;
                within("village", village, MAX_NAME)?;
                within("reason", reason, MAX_NOTE)
            }
            Edit::SettleMove { note, .. } => within_opt("note", note.as_deref(), MAX_NOTE),
            Edit::AddIncident(i) => {
                within("incident id", &i.id, MAX_ID)?;
                within("what happened", &i.what, MAX_NOTE)
            }
            Edit::SetDocument { .. } => Ok(()),
            Edit::Refer(r) => {
                within("referral id", &r.id, MAX_ID)?;
                within("resource id", &r.resource_id, MAX_ID)?;
                within("resource name", &r.resource_name, MAX_NAME)?;
                within_opt("note", r.note.as_deref(), MAX_NOTE)
            }
            Edit::UpdateReferral(u) => {
                within("referral step id", &u.id, MAX_ID)?;
                within("referral id", &u.referral_id, MAX_ID)?;
                within_opt("note", u.note.as_deref(), MAX_NOTE)
            }
            Edit::Attach(a) => {
                within("copy id", &a.id, MAX_ID)?;
                if a.pages.len() > MAX_PAGES {
                    return Err(InvalidEdit::TooMany {
                        what: "pages",
                        max: MAX_PAGES,
                    });
                }
                Ok(())
            }
            Edit::WithdrawAttachment { id, reason, .. } => {
                within("copy id", id, MAX_ID)?;
                within("reason", reason, MAX_NOTE)
            }
            Edit::VerifyCopy { id, .. } | Edit::ConfirmWithdrawal { id } => {
                within("copy id", id, MAX_ID)
            }
            Edit::SetCaregiver(c) => check_caregiver(c),
            Edit::OverrideRisk { reason, .. } => within("reason", reason, MAX_NOTE),
            Edit::ResolveConflict { path, value } => {
                within("path", path, MAX_NAME)?;
                match value {
                    Resolution::Keep(actor) => within("actor", actor, MAX_ID),
                    Resolution::Set(text) => within("value", text, MAX_NOTE),
                }
            }
            Edit::SetStatus { reason, .. } => within_opt("reason", reason.as_deref(), MAX_NOTE),
        }
    }
}

fn check_caregiver(c: &Caregiver) -> Result<(), InvalidEdit> {
    within("caregiver name", &c.name, MAX_NAME)?;
    within("relation", &c.relation, MAX_NAME)?;
    within_opt("phone", c.phone.as_deref(), MAX_NAME)
}

impl Edit {
    /// Checks what can be checked without the document: text lengths, statuses, date order,
    /// required text.
    ///
    /// "In the future" means after the recording day: the UTC date of `ctx.at` plus one day,
    /// since a field date is a local date and India is ahead of UTC.
    pub fn check(&self, ctx: &EditContext) -> Result<(), InvalidEdit> {
        self.check_lengths()?;
        let today = latest_day(ctx);
        // Every date of an event: not before Homeward's earliest day, not after today.
        let not_future = |what, on| day_within(what, on, EARLIEST_DAY, today);
        let update_ok = |u: &NeedUpdate| {
            if u.dimension.allows(u.status) {
                Ok(())
            } else {
                Err(InvalidEdit::StatusNotAllowed {
                    dimension: u.dimension,
                    status: u.status,
                })
            }
        };
        match self {
            Edit::Register(p) => {
                nonempty("case id", &p.case_id)?;
                nonempty("name", &p.child.name)?;
                nonempty("district", &p.child.address.district)?;
                nonempty("block", &p.child.address.block)?;
                nonempty("village", &p.child.address.village)?;
                not_future("returned on", p.rescue.returned_on)?;
                if let Some(rescued) = p.rescue.rescued_on {
                    not_future("rescued on", rescued)?;
                }
                match p.child.birth {
                    Birth::Dob(dob) => day_within("date of birth", dob, EARLIEST_BIRTH, today)?,
                    Birth::Estimated { as_of, .. } => not_future("age estimated on", as_of)?,
                }
                let (crate::model::LegalBasis::CwcOrder { dated, .. }
                | crate::model::LegalBasis::GuardianConsent { dated, .. }) = p.legal_basis;
                not_future("legal basis dated", dated)?;
                in_order(
                    "rescued on",
                    p.rescue.rescued_on,
                    "returned on",
                    Some(p.rescue.returned_on),
                )?;
                Ok(())
            }
            Edit::RecordVisit { visit, updates } => {
                nonempty("visit id", &visit.id)?;
                not_future("visit date", visit.date)?;
                let mut seen = Vec::new();
                for u in updates {
                    update_ok(u)?;
                    if seen.contains(&u.dimension) {
                        return Err(InvalidEdit::DuplicateUpdate(u.dimension));
                    }
                    seen.push(u.dimension);
                }
                Ok(())
            }
            Edit::SetNeed { update, on } => {
                not_future("date", *on)?;
                update_ok(update)
            }
            Edit::AddService(s) => {
                nonempty("scheme", &s.scheme)?;
                service_dates(s.applied_on, s.sanctioned_on, s.paid_on, today)
            }
            Edit::RecordHearing(h) => {
                nonempty("hearing id", &h.id)?;
                nonempty("summons id", &h.summons_id)?;
                not_future("hearing held on", h.held_on)?;
                if let Some(next) = h.next_hearing_on {
                    day_within("next hearing", next, EARLIEST_DAY, NaiveDate::MAX)?;
                    in_order(
                        "hearing held on",
                        Some(h.held_on),
                        "next hearing",
                        Some(next),
                    )?;
                    if next == h.held_on {
                        return Err(InvalidEdit::DatesOutOfOrder {
                            earlier: "hearing held on",
                            earlier_on: h.held_on,
                            later: "next hearing",
                            later_on: next,
                        });
                    }
                }
                match h.result {
                    HearingResult::Adjourned if h.next_hearing_on.is_none() => {
                        Err(InvalidEdit::Required("next hearing date"))
                    }
                    HearingResult::NotAttended => nonempty(
                        "why the family did not attend",
                        h.note.as_deref().unwrap_or(""),
                    ),
                    _ => Ok(()),
                }
            }
            Edit::UpdateIncident { id, .. } => nonempty("incident id", id),
            Edit::RequestTransfer {
                district,
                block,
                village,
                reason,
                on,
            } => {
                nonempty("district", district)?;
                nonempty("block", block)?;
                nonempty("village", village)?;
                nonempty("reason", reason)?;
                not_future("moved on", *on)
            }
            Edit::SettleMove { approved, note } => {
                if !approved {
                    nonempty("note", note.as_deref().unwrap_or(""))?;
                }
                Ok(())
            }
            Edit::UpdateService(s) => {
                service_dates(s.applied_on, s.sanctioned_on, s.paid_on, today)
            }
            Edit::AddSummons(s) => {
                not_future("received on", s.received_on)?;
                day_within("hearing", s.hearing_on, EARLIEST_DAY, NaiveDate::MAX)?;
                in_order(
                    "received on",
                    Some(s.received_on),
                    "hearing",
                    Some(s.hearing_on),
                )
            }
            Edit::AddIncident(i) => {
                nonempty("what happened", &i.what)?;
                not_future("incident date", i.on)
            }
            Edit::SetDocument { on, .. } => not_future("document date", *on),
            Edit::Refer(r) => {
                nonempty("referral id", &r.id)?;
                nonempty("resource id", &r.resource_id)?;
                nonempty("resource name", &r.resource_name)?;
                not_future("referred on", r.on)
            }
            Edit::UpdateReferral(u) => {
                nonempty("referral step id", &u.id)?;
                nonempty("referral id", &u.referral_id)?;
                not_future("referral date", u.on)?;
                match u.state {
                    // A referral starts as referred: a step is what came of it.
                    ReferralState::Referred => Err(InvalidEdit::Required("referral outcome")),
                    ReferralState::Refused => {
                        nonempty("why it was refused", u.note.as_deref().unwrap_or(""))
                    }
                    _ => Ok(()),
                }
            }
            Edit::Attach(a) => {
                nonempty("copy id", &a.id)?;
                if a.pages.is_empty() {
                    return Err(InvalidEdit::Required("pages"));
                }
                for (i, p) in a.pages.iter().enumerate() {
                    if p.size == 0 || !crate::attachment::is_hash(&p.hash) {
                        return Err(InvalidEdit::BadPage { page: i + 1 });
                    }
                }
                not_future("taken on", a.taken_on)
            }
            Edit::WithdrawAttachment { id, reason, on } => {
                nonempty("copy id", id)?;
                nonempty("reason", reason)?;
                not_future("withdrawn on", *on)
            }
            Edit::VerifyCopy { id, on } => {
                nonempty("copy id", id)?;
                not_future("verified on", *on)
            }
            Edit::ConfirmWithdrawal { id } => nonempty("copy id", id),
            Edit::SetCaregiver(c) => nonempty("caregiver name", &c.name),
            Edit::OverrideRisk { level, reason } => {
                if level.is_some() {
                    nonempty("reason", reason)?;
                }
                Ok(())
            }
            Edit::SetStatus {
                state,
                reason,
                since,
                ..
            } => {
                not_future("status date", *since)?;
                if *state != CaseState::Active {
                    nonempty("reason", reason.as_deref().unwrap_or(""))?;
                }
                Ok(())
            }
            Edit::SetEducation(e) => {
                if let Some(on) = e.enrolled_on {
                    not_future("enrolled on", on)?;
                }
                Ok(())
            }
            Edit::SetLegal {
                lawyer_authorised_on,
                ..
            } => {
                if let Some(on) = lawyer_authorised_on {
                    not_future("lawyer authorised on", *on)?;
                }
                Ok(())
            }
            Edit::ResolveConflict { path, value } => {
                nonempty("path", path)?;
                match value {
                    Resolution::Keep(actor) => nonempty("actor", actor),
                    Resolution::Set(text) => nonempty("value", text),
                }
            }
        }
    }

    /// A short English description, used as the Automerge change message.
    pub fn summary(&self) -> String {
        match self {
            Edit::Register(p) => format!("register case {}", p.case_id),
            Edit::RecordVisit { visit, updates } => format!(
                "{} visit on {} with {} need update(s)",
                visit.kind,
                visit.date,
                updates.len()
            ),
            Edit::SetNeed { update, .. } => {
                format!("set {} to {}", update.dimension, update.status)
            }
            Edit::AddService(s) => format!("add {} service {}", s.dimension, s.scheme),
            Edit::UpdateService(s) => format!("update service {}", s.id),
            Edit::SetEducation(_) => "set education".into(),
            Edit::AddSummons(s) => format!("add summons for hearing on {}", s.hearing_on),
            Edit::RecordHearing(h) => format!("record the {} hearing: {}", h.held_on, h.result),
            Edit::UpdateIncident { id, .. } => format!("update incident {id}"),
            Edit::RequestTransfer {
                block, district, ..
            } => {
                format!("ask to move the case to {block}, {district}")
            }
            Edit::SettleMove { approved, .. } => {
                if *approved {
                    "move the case as asked".into()
                } else {
                    "refuse the move".into()
                }
            }
            Edit::SetLegal { .. } => "set legal case".into(),
            Edit::AddIncident(i) => format!("add incident on {}", i.on),
            Edit::SetDocument { kind, state, .. } => format!("mark {kind} {state}"),
            Edit::Attach(a) => format!("attach a copy of {} ({} pages)", a.kind, a.pages.len()),
            Edit::WithdrawAttachment { id, .. } => format!("withdraw copy {id}"),
            Edit::VerifyCopy { id, .. } => format!("verify copy {id}"),
            Edit::ConfirmWithdrawal { id } => format!("confirm the withdrawal of copy {id}"),
            Edit::SetCaregiver(_) => "set caregiver".into(),
            Edit::Refer(r) => format!("refer for {} to resource {}", r.dimension, r.resource_id),
            Edit::UpdateReferral(u) => format!("referral {} {}", u.referral_id, u.state),
            Edit::OverrideRisk { level, .. } => match level {
                Some(l) => format!("override risk to {l}"),
                None => "clear risk override".into(),
            },
            Edit::SetStatus { state, .. } => format!("set status {state}"),
            Edit::ResolveConflict { path, .. } => format!("resolve the conflict at {path}"),
        }
    }
}

/// The latest local date an edit recorded at `ctx.at` may carry.
pub(crate) fn latest_day(ctx: &EditContext) -> NaiveDate {
    let utc = ctx.at.date_naive();
    utc.succ_opt().unwrap_or(utc)
}

fn nonempty(what: &'static str, s: &str) -> Result<(), InvalidEdit> {
    if s.trim().is_empty() {
        Err(InvalidEdit::Empty(what))
    } else {
        Ok(())
    }
}

fn not_future(what: &'static str, on: NaiveDate, today: NaiveDate) -> Result<(), InvalidEdit> {
    day_within(what, on, EARLIEST_DAY, today)
}

/// A date no earlier than `earliest` and no later than `latest`.
fn day_within(
    what: &'static str,
    on: NaiveDate,
    earliest: NaiveDate,
    latest: NaiveDate,
) -> Result<(), InvalidEdit> {
    if on < earliest {
        Err(InvalidEdit::TooEarly { what, on })
    } else if on > latest {
        Err(InvalidEdit::InFuture { what, on })
    } else {
        Ok(())
    }
}

fn in_order(
    earlier: &'static str,
    earlier_on: Option<NaiveDate>,
    later: &'static str,
    later_on: Option<NaiveDate>,
) -> Result<(), InvalidEdit> {
    match (earlier_on, later_on) {
        (Some(earlier_on), Some(later_on)) if later_on < earlier_on => {
            Err(InvalidEdit::DatesOutOfOrder {
                earlier,
                earlier_on,
                later,
                later_on,
            })
        }
        _ => Ok(()),
    }
}

/// Checks a service's dates: none in the future, applied before sanctioned before paid.
pub(crate) fn service_dates(
    applied: Option<NaiveDate>,
    sanctioned: Option<NaiveDate>,
    paid: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), InvalidEdit> {
    for (what, on) in [
        ("applied on", applied),
        ("sanctioned on", sanctioned),
        ("paid on", paid),
    ] {
        if let Some(on) = on {
            not_future(what, on, today)?;
        }
    }
    in_order("applied on", applied, "sanctioned on", sanctioned)?;
    in_order("sanctioned on", sanctioned, "paid on", paid)?;
    in_order("applied on", applied, "paid on", paid)
}
