//! Reading: a case document hydrated once and read into a [`Case`], every field checked, with
//! the small readers of a hydrated tree (`hobj`, `hstr`, `hdate`...) the merge uses too. Apart
//! from the writing side because it is the half every device and page runs on every case, and
//! the half a hostile document meets first.

use super::*;

/// Reads the whole case. A malformed, foreign or hostile document gives a typed error, never a
/// panic: its shape is checked first ([`check_shape`]).
///
/// The document is hydrated once (one pass over its operations) and read from the tree, which
/// is several times faster than a lookup per field.
pub fn read_case<D: ReadDoc>(doc: &D) -> Result<Case> {
    check_kind(doc)?;
    check_shape(doc)?;
    let root = match doc.hydrate(ROOT, None)? {
        hydrate::Value::Map(m) => m,
        _ => return Err(malformed("", "a map at the root")),
    };
    let root = &root;
    let id = hreq_str(root, "case_id", "case_id")?;

    let child_o = hobj(root, "child", "child")?;
    let name = hreq_str(child_o, "name", "child.name")?;
    let names_o = hlist(child_o, "other_names", "child.other_names")?;
    let mut other_names = Vec::new();
    for v in names_o.iter() {
        match &v.value {
            hydrate::Value::Scalar(ScalarValue::Str(s)) => other_names.push(s.to_string()),
            _ => return Err(malformed("child.other_names", "strings")),
        }
    }
    let sex: Sex = hreq_key(child_o, "sex", "child.sex")?;
    let birth = match hdate(child_o, "dob", "child")? {
        Some(dob) => Birth::Dob(dob),
        None => Birth::Estimated {
            years: u8::try_from(hreq_u64(child_o, "age_years", "child.age_years")?)
                .map_err(|_| malformed("child.age_years", "an age under 256"))?,
            as_of: hreq_date(child_o, "age_as_of", "child.age_as_of")?,
        },
    };
    let cg_o = hobj(child_o, "caregiver", "child.caregiver")?;
    let cg_name = hstr(cg_o, "name")?.unwrap_or_default();
    let caregiver = (!cg_name.is_empty()).then(|| -> Result<Caregiver> {
        Ok(Caregiver {
            name: cg_name.clone(),
            relation: hstr(cg_o, "relation")?.unwrap_or_default(),
            phone: hstr(cg_o, "phone")?,
        })
    });
    let caregiver = caregiver.transpose()?;
    let addr_o = hobj(child_o, "address", "child.address")?;
    let address = Address {
        district: hreq_str(addr_o, "district", "child.address.district")?,
        block: hreq_str(addr_o, "block", "child.address.block")?,
        panchayat: hstr(addr_o, "panchayat")?,
        village: hreq_str(addr_o, "village", "child.address.village")?,
    };

    let r = hobj(root, "rescue", "rescue")?;
    let rescue = Rescue {
        city: hstr(r, "city")?,
        workplace: hstr(r, "workplace")?,
        rescued_on: hdate(r, "rescued_on", "rescue")?,
        shelter_home: hstr(r, "shelter_home")?,
        cwc_order_ref: hstr(r, "cwc_order_ref")?,
        returned_on: hreq_date(r, "returned_on", "rescue.returned_on")?,
        receiving_authority: hstr(r, "receiving_authority")?,
    };

    let lb = hobj(root, "legal_basis", "legal_basis")?;
    let dated = hreq_date(lb, "dated", "legal_basis.dated")?;
    let legal_basis = match hreq_str(lb, "kind", "legal_basis.kind")?.as_str() {
        "cwc_order" => LegalBasis::CwcOrder {
            reference: hreq_str(lb, "reference", "legal_basis.reference")?,
            dated,
        },
        "guardian_consent" => LegalBasis::GuardianConsent {
            given_by: hreq_str(lb, "given_by", "legal_basis.given_by")?,
            dated,
        },
        _ => {
            return Err(malformed(
                "legal_basis.kind",
                "cwc_order or guardian_consent",
            ));
        }
    };

    let needs_o = hobj(root, "needs", "needs")?;
    let mut needs = Vec::with_capacity(Dimension::ALL.len());
    for d in Dimension::ALL {
        let path = format!("needs.{d}");
        let n = hobj(needs_o, d.key(), &path)?;
        let status = Status::parse_for(d, &hreq_str(n, "status", &path)?)
            .map_err(|_| malformed(&path, "a status of this dimension"))?;
        let h = hlist(n, "history", &path)?;
        let mut history = Vec::new();
        for e in hitems(h, &path)? {
            let (by, recorded_at) = hread_by(e, "recorded_at", &path)?;
            history.push(StatusChange {
                id: hreq_str(e, "id", &path)?,
                status: Status::parse_for(d, &hreq_str(e, "status", &path)?)
                    .map_err(|_| malformed(&path, "a status of this dimension"))?,
                on: hreq_date(e, "on", &path)?,
                by,
                recorded_at,
                visit_id: hstr(e, "visit_id")?,
                note: hstr(e, "note")?,
                settles: matches!(hscalar(e, "settles"), Some(ScalarValue::Boolean(true))),
            });
        }
        history.sort_by(|a, b| (a.on, a.recorded_at, &a.id).cmp(&(b.on, b.recorded_at, &b.id)));
        needs.push(Need {
            dimension: d,
            status,
            note: hstr(n, "note")?,
            history,
        });
    }

    let e = hobj(root, "education", "education")?;
    let education = Education {
        kind: hopt_key(e, "kind", "education.kind")?,
        institution: hstr(e, "institution")?,
        class: hstr(e, "class")?,
        enrolled_on: hdate(e, "enrolled_on", "education")?,
        attendance: hstr(e, "attendance")?,
    };

    let s_list = hlist(root, "services", "services")?;
    let mut services = Vec::new();
    for m in hitems(s_list, "services")? {
        let (recorded_by, recorded_at) = hread_by(m, "recorded_at", "services")?;
        services.push(Service {
            id: hreq_str(m, "id", "services")?,
            dimension: hreq_key(m, "dimension", "services.dimension")?,
            scheme: hreq_str(m, "scheme", "services.scheme")?,
            applied_on: hdate(m, "applied_on", "services")?,
            sanctioned_on: hdate(m, "sanctioned_on", "services")?,
            paid_on: hdate(m, "paid_on", "services")?,
            amount: hu64(m, "amount", "services.amount")?,
            stuck_reason: hstr(m, "stuck_reason")?,
            recorded_by,
            recorded_at,
        });
    }

    let l = hobj(root, "legal", "legal")?;
    let sum_o = hlist(l, "summonses", "legal.summonses")?;
    let mut summonses = Vec::new();
    for m in hitems(sum_o, "legal.summonses")? {
        let (recorded_by, recorded_at) = hread_by(m, "recorded_at", "legal.summonses")?;
        let outcome = match hopt_key(m, "outcome", "legal.summonses.outcome")? {
            None => None,
            Some(result) => {
                let (recorded_by, recorded_at) = hread_signed(
                    m,
                    ("outcome_by", "outcome_by_name", "outcome_at"),
                    "legal.summonses.outcome",
                )?;
                Some(HearingOutcome {
                    held_on: hreq_date(m, "held_on", "legal.summonses")?,
                    result,
                    next_hearing_on: hdate(m, "next_hearing_on", "legal.summonses")?,
                    note: hstr(m, "outcome_note")?,
                    recorded_by,
                    recorded_at,
                })
            }
        };
        summonses.push(Summons {
            id: hreq_str(m, "id", "legal.summonses")?,
            received_on: hreq_date(m, "received_on", "legal.summonses")?,
            hearing_on: hreq_date(m, "hearing_on", "legal.summonses")?,
            mode: hopt_key(m, "mode", "legal.summonses.mode")?,
            follows: hstr(m, "follows")?,
            outcome,
            recorded_by,
            recorded_at,
        });
    }
    let inc_o = hlist(l, "incidents", "legal.incidents")?;
    let mut incidents = Vec::new();
    for m in hitems(inc_o, "legal.incidents")? {
        let (recorded_by, recorded_at) = hread_by(m, "recorded_at", "legal.incidents")?;
        incidents.push(Incident {
            id: hreq_str(m, "id", "legal.incidents")?,
            on: hreq_date(m, "on", "legal.incidents")?,
            what: hreq_str(m, "what", "legal.incidents")?,
            police_informed: hbool(m, "police_informed", "legal.incidents")?,
            recorded_by,
            recorded_at,
        });
    }
    let legal = LegalCase {
        court_case_ref: hstr(l, "court_case_ref")?,
        court: hstr(l, "court")?,
        lawyer_authorised_on: hdate(l, "lawyer_authorised_on", "legal")?,
        lawyer_authorised_by: hstr(l, "lawyer_authorised_by")?,
        summonses,
        incidents,
    };

    let d_o = hobj(root, "documents", "documents")?;
    let mut documents = BTreeMap::new();
    for k in DocumentKind::ALL {
        let path = format!("documents.{k}");
        if let Some(hydrate::Value::Map(m)) = d_o.get(k.key()) {
            documents.insert(
                *k,
                DocumentEntry {
                    state: hreq_key(m, "state", &path)?,
                    on: hdate(m, "on", &path)?,
                    by: hstr(m, "by")?.map(|user_id| Author {
                        user_id,
                        name: hstr(m, "by_name").ok().flatten().unwrap_or_default(),
                    }),
                },
            );
        }
    }

    let v_list = hlist(root, "visits", "visits")?;
    let mut visits = Vec::new();
    for m in hitems(v_list, "visits")? {
        let (by, recorded_at) = hread_by(m, "recorded_at", "visits")?;
        let vid = hreq_str(m, "id", "visits")?;
        let updates = needs
            .iter()
            .flat_map(|n| {
                n.history
                    .iter()
                    .filter(|c| c.visit_id.as_deref() == Some(vid.as_str()))
                    .map(|c| (n.dimension, c.status))
            })
            .collect();
        visits.push(Visit {
            id: vid,
            date: hreq_date(m, "date", "visits")?,
            by,
            kind: hreq_key::<VisitKind>(m, "kind", "visits.kind")?,
            met: hstr(m, "met")?,
            note: hstr(m, "note")?,
            next_steps: hstr(m, "next_steps")?,
            summons_id: hstr(m, "summons_id")?,
            safety_checked: match hscalar(m, "safety_checked") {
                None | Some(ScalarValue::Null) => false,
                Some(_) => hbool(m, "safety_checked", "visits")?,
            },
            recorded_at,
            updates,
        });
    }
    visits.sort_by(|a, b| (a.date, a.recorded_at, &a.id).cmp(&(b.date, b.recorded_at, &b.id)));

    let ro = hobj(root, "risk_override", "risk_override")?;
    let risk_override = match hopt_key::<Risk>(ro, "level", "risk_override.level")? {
        Some(level) => {
            let (by, at) = hread_by(ro, "at", "risk_override")?;
            Some(RiskOverride {
                level,
                by,
                reason: hstr(ro, "reason")?.unwrap_or_default(),
                at,
            })
        }
        None => None,
    };

    let st = hobj(root, "status", "status")?;
    let move_request = match hstr(st, "move_district")? {
        None => None,
        Some(district) => Some(MoveRequest {
            district,
            block: hstr(st, "move_block")?.unwrap_or_default(),
            village: hstr(st, "move_village")?.unwrap_or_default(),
            reason: hstr(st, "move_reason")?.unwrap_or_default(),
            on: hreq_date(st, "move_on", "status")?,
            requested_by: Author {
                user_id: hreq_str(st, "move_by", "status")?,
                name: hstr(st, "move_by_name")?.unwrap_or_default(),
            },
        }),
    };
    let move_decision = match hstr(st, "move_decision")?.as_deref() {
        None => None,
        Some(d) => Some(MoveDecision {
            approved: d == "approved",
            note: hstr(st, "move_note")?,
            by: Author {
                user_id: hreq_str(st, "move_decided_by", "status")?,
                name: hstr(st, "move_decided_by_name")?.unwrap_or_default(),
            },
        }),
    };
    let merged_from = match st.get("merged_from") {
        None => Vec::new(),
        Some(hydrate::Value::List(l)) => l
            .iter()
            .map(|v| match &v.value {
                hydrate::Value::Scalar(ScalarValue::Str(s)) => Ok(s.to_string()),
                _ => Err(malformed("status.merged_from", "a list of case ids")),
            })
            .collect::<Result<_>>()?,
        Some(_) => return Err(malformed("status.merged_from", "a list of case ids")),
    };
    let status = CaseStatus {
        state: hreq_key(st, "state", "status.state")?,
        reason: hstr(st, "reason")?,
        closure: hopt_key(st, "closure", "status.closure")?,
        since: hreq_date(st, "since", "status.since")?,
        move_request,
        move_decision,
        merged_into: hstr(st, "merged_into")?,
        merged_from,
    };

    Ok(Case {
        id,
        child: Child {
            name,
            other_names,
            sex,
            birth,
            caregiver,
            address,
        },
        rescue,
        legal_basis,
        needs,
        education,
        services,
        legal,
        documents,
        visits,
        risk_override,
        status,
        referrals: referrals::read(doc)?,
        attachments: attachments::read(doc)?,
    })
}

// Reading from a hydrated tree (read_case).

pub(super) fn hobj<'a>(m: &'a hydrate::Map, key: &str, path: &str) -> Result<&'a hydrate::Map> {
    match m.get(key) {
        Some(hydrate::Value::Map(x)) => Ok(x),
        _ => Err(malformed(path, "an object")),
    }
}

pub(super) fn hlist<'a>(m: &'a hydrate::Map, key: &str, path: &str) -> Result<&'a hydrate::List> {
    match m.get(key) {
        Some(hydrate::Value::List(x)) => Ok(x),
        _ => Err(malformed(path, "a list")),
    }
}

pub(super) fn hitems<'a>(list: &'a hydrate::List, path: &str) -> Result<Vec<&'a hydrate::Map>> {
    list.iter()
        .map(|v| match &v.value {
            hydrate::Value::Map(m) => Ok(m),
            _ => Err(malformed(path, "a list of maps")),
        })
        .collect()
}

pub(super) fn hscalar<'a>(m: &'a hydrate::Map, key: &str) -> Option<&'a ScalarValue> {
    match m.get(key) {
        Some(hydrate::Value::Scalar(s)) => Some(s),
        _ => None,
    }
}

pub(super) fn hstr(m: &hydrate::Map, key: &str) -> Result<Option<String>> {
    match m.get(key) {
        Some(hydrate::Value::Scalar(ScalarValue::Str(s))) => Ok(Some(s.to_string())),
        Some(hydrate::Value::Scalar(ScalarValue::Null)) | None => Ok(None),
        Some(_) => Err(malformed(key, "a string")),
    }
}

pub(super) fn hreq_str(m: &hydrate::Map, key: &str, path: &str) -> Result<String> {
    match hstr(m, key) {
        Ok(Some(s)) => Ok(s),
        _ => Err(malformed(&format!("{path}.{key}"), "a string")),
    }
}

pub(super) fn hreq_key<T: std::str::FromStr>(m: &hydrate::Map, key: &str, path: &str) -> Result<T> {
    hreq_str(m, key, path)?
        .parse()
        .map_err(|_| malformed(path, "a known value"))
}

pub(super) fn hopt_key<T: std::str::FromStr>(
    m: &hydrate::Map,
    key: &str,
    path: &str,
) -> Result<Option<T>> {
    hstr(m, key)
        .map_err(|_| malformed(path, "a string"))?
        .map(|s| s.parse().map_err(|_| malformed(path, "a known value")))
        .transpose()
}

pub(super) fn hdate(m: &hydrate::Map, key: &str, path: &str) -> Result<Option<NaiveDate>> {
    let bad = || malformed(&format!("{path}.{key}"), "a date (YYYY-MM-DD)");
    hstr(m, key)
        .map_err(|_| bad())?
        .map(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| bad()))
        .transpose()
}

pub(super) fn hreq_date(m: &hydrate::Map, key: &str, path: &str) -> Result<NaiveDate> {
    hdate(m, key, path)?.ok_or_else(|| malformed(path, "a date (YYYY-MM-DD)"))
}

pub(super) fn hu64(m: &hydrate::Map, key: &str, path: &str) -> Result<Option<u64>> {
    match m.get(key) {
        None => Ok(None),
        Some(hydrate::Value::Scalar(s)) => whole_number(s, path),
        Some(_) => Err(malformed(path, "a whole number")),
    }
}

pub(super) fn hreq_u64(m: &hydrate::Map, key: &str, path: &str) -> Result<u64> {
    hu64(m, key, path)?.ok_or_else(|| malformed(path, "a whole number"))
}

pub(super) fn hbool(m: &hydrate::Map, key: &str, path: &str) -> Result<bool> {
    match hscalar(m, key) {
        Some(ScalarValue::Boolean(b)) => Ok(*b),
        _ => Err(malformed(path, "true or false")),
    }
}

pub(super) fn hread_by(
    m: &hydrate::Map,
    at_key: &str,
    path: &str,
) -> Result<(Author, DateTime<Utc>)> {
    hread_signed(m, ("by", "by_name", at_key), path)
}

/// Reads an author and a moment from the keys `(user id, user name, moment)`.
pub(super) fn hread_signed(
    m: &hydrate::Map,
    (by_key, name_key, at_key): (&str, &str, &str),
    path: &str,
) -> Result<(Author, DateTime<Utc>)> {
    let author = Author {
        user_id: hreq_str(m, by_key, path)?,
        name: hstr(m, name_key)?.unwrap_or_default(),
    };
    let at = match hscalar(m, at_key) {
        Some(ScalarValue::Timestamp(ms) | ScalarValue::Int(ms)) => {
            DateTime::<Utc>::from_timestamp_millis(*ms)
        }
        _ => None,
    };
    let at = at.ok_or_else(|| malformed(path, "a timestamp"))?;
    Ok((author, at))
}

/// A non-negative whole number, as Rust (uint, int) or JavaScript (float) writes it.
pub(super) fn whole_number(s: &ScalarValue, path: &str) -> Result<Option<u64>> {
    match s {
        ScalarValue::Uint(n) => Ok(Some(*n)),
        ScalarValue::Int(n) if *n >= 0 => Ok(Some(n.unsigned_abs())),
        ScalarValue::F64(f) if *f >= 0.0 && f.fract() == 0.0 && *f < 9.0e15 => {
            // JavaScript writes whole numbers as floats.
            Ok(Some(f.round() as u64))
        }
        ScalarValue::Null => Ok(None),
        _ => Err(malformed(path, "a whole number")),
    }
}
