//! Conflicts: the fields of a case that two devices set at once, each value with the device and
//! user that wrote it and when (the supervisors' queue). Apart because it reads the document as
//! Automerge holds it (every concurrent value, and the change that wrote each), not as a
//! [`Case`].

use super::*;

/// One value of a conflicted field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ConflictValue {
    /// The value as text (`null` for an absent value).
    pub value: String,
    /// The actor (device installation) that wrote it, as hex.
    pub actor: String,
    /// The user behind that actor, if the document records it.
    pub author: Option<Author>,
    /// When it was written: the time of the change that wrote it, as the writing device's clock
    /// gave it to [`apply`] (`None` for a change without a time). A supervisor choosing between
    /// two values weighs which is the later observation.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
}

/// A field that was set concurrently on two or more devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Conflict {
    /// Where, as a dotted path (`needs.education.status`, `services.<id>.paid_on`).
    pub path: String,
    /// Every value, the one Automerge currently shows first.
    pub values: Vec<ConflictValue>,
}

/// Lists every field of the case that holds concurrent values, with each value, its author and
/// when it was written. The supervisors' conflict queue is built on it.
pub fn conflicts(doc: &AutoCommit) -> Result<Vec<Conflict>> {
    check_kind(doc)?;
    check_shape(doc)?;
    // Most cases have no conflict: one hydration tells, before the slower walk with `get_all`.
    let root = doc.hydrate(ROOT, None)?;
    if !any_conflict(&root, true) {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    walk_conflicts(doc, &ROOT, String::new(), &mut out)?;
    Ok(out)
}

pub(super) fn walk_conflicts(
    doc: &AutoCommit,
    obj: &ObjId,
    path: String,
    out: &mut Vec<Conflict>,
) -> Result<()> {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match doc.object_type(obj)? {
        ObjType::Map | ObjType::Table => {
            let keys: Vec<String> = doc.keys(obj).collect();
            for key in keys {
                // The actor map is bookkeeping: each device writes only its own key.
                if path.is_empty() && key == "actors" {
                    continue;
                }
                let all = doc.get_all(obj, key.as_str())?;
                // Two devices that gave an older case its first referral at once each created
                // the list: both are read (`referrals.rs`), so nothing is there to settle.
                let lists = path.is_empty() && LATE_LISTS.contains(&key.as_str());
                if all.len() > 1 && !lists {
                    let mut values = Vec::new();
                    for (v, id) in &all {
                        let actor = match id {
                            automerge::ObjId::Id(_, actor, _) => actor.clone(),
                            automerge::ObjId::Root => ActorId::from(&[][..]),
                        };
                        values.push(ConflictValue {
                            value: value_text(v),
                            actor: actor.to_hex_string(),
                            author: actor_author(doc, &actor)?,
                            at: written_at(doc, id),
                        });
                    }
                    out.push(Conflict {
                        path: join(&key),
                        values,
                    });
                }
                if let Some((Value::Object(_), child)) = doc.get(obj, key.as_str())? {
                    walk_conflicts(doc, &child, join(&key), out)?;
                }
            }
        }
        ObjType::List | ObjType::Text => {
            for i in 0..doc.length(obj) {
                if let Some((Value::Object(ObjType::Map), child)) = doc.get(obj, i)? {
                    // List items are named by their id, which stays put when others are added.
                    let name = str_at(doc, &child, "id")?.unwrap_or_else(|| i.to_string());
                    walk_conflicts(doc, &child, join(&name), out)?;
                }
            }
        }
    }
    Ok(())
}

/// When the operation `op` was written: the time of its change. [`apply`] commits with the edit's
/// moment in seconds; a change without one (time 0) has none.
fn written_at(doc: &AutoCommit, op: &ObjId) -> Option<DateTime<Utc>> {
    // Through `untrusted`: a peer's document can make Automerge panic on this lookup.
    let seconds = crate::untrusted::change_time(doc, op)?;
    (seconds > 0)
        .then(|| DateTime::<Utc>::from_timestamp(seconds, 0))
        .flatten()
}

/// Whether any field under `v` holds concurrent values (the root's `actors` map aside).
pub(super) fn any_conflict(v: &hydrate::Value, at_root: bool) -> bool {
    match v {
        hydrate::Value::Map(m) => m.iter().any(|(key, mv)| {
            !(at_root && key == "actors") && (mv.conflict || any_conflict(&mv.value, false))
        }),
        hydrate::Value::List(l) => l
            .iter()
            .any(|lv| lv.conflict || any_conflict(&lv.value, false)),
        hydrate::Value::Scalar(_) | hydrate::Value::Text(_) => false,
    }
}

pub(super) fn value_text(v: &Value<'_>) -> String {
    match v {
        Value::Object(t) => format!("<{t:?}>"),
        Value::Scalar(s) => match s.as_ref() {
            ScalarValue::Str(s) => s.to_string(),
            ScalarValue::Null => "null".into(),
            ScalarValue::Timestamp(ms) => DateTime::<Utc>::from_timestamp_millis(*ms)
                .map_or_else(|| ms.to_string(), |t| t.to_rfc3339()),
            other => other.to_string(),
        },
    }
}
