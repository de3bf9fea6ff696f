//! What the server checks of a document a device pushed, before it stores it: its shape (no
//! depth, size or count beyond the limits, so a hostile document costs at most those) and each
//! change (it signs only as its device's user, erases nothing, writes none of the server's own
//! keys). Apart from the layout because it guards the boundary: it never writes, and the rules
//! change for different reasons than the layout does.

use super::*;

/// Checks the shape of a document against the limits above, before anything reads it
/// recursively: an iterative walk over the visible value of every key (what a reader sees), with
/// an explicit stack, so a hostile document costs at most the limits, never the stack.
pub fn check_shape<D: ReadDoc>(doc: &D) -> Result<()> {
    check_shape_within(doc, &SHAPE_LIMITS)
}

/// [`check_shape`] with other limits (tests use small ones).
pub fn check_shape_within<D: ReadDoc>(doc: &D, limits: &ShapeLimits) -> Result<()> {
    let too_large = |what, limit| SchemaError::TooLarge { what, limit };
    let mut stack: Vec<(ObjId, usize)> = vec![(ROOT, 0)];
    // Late lists (referrals, copies) created at once on two devices: the one not shown is read
    // too.
    for key in LATE_LISTS {
        for list in root_lists(doc, key)?.into_iter().skip(1) {
            stack.push((list, 1));
        }
    }
    let (mut objects, mut values) = (0usize, 0usize);
    while let Some((obj, depth)) = stack.pop() {
        objects += 1;
        if objects > limits.objects {
            return Err(too_large("objects", limits.objects));
        }
        if doc.object_type(&obj)? == ObjType::Text {
            if doc.length(&obj) > limits.string_bytes {
                return Err(too_large("bytes in one text", limits.string_bytes));
            }
            continue;
        }
        for (value, id) in doc.values(&obj) {
            values += 1;
            if values > limits.values {
                return Err(too_large("values", limits.values));
            }
            match value {
                Value::Object(_) => {
                    if depth + 1 > limits.depth {
                        return Err(SchemaError::TooDeep {
                            limit: limits.depth,
                        });
                    }
                    stack.push((id, depth + 1));
                }
                Value::Scalar(s) => {
                    let len = match s.as_ref() {
                        ScalarValue::Str(t) => t.len(),
                        ScalarValue::Bytes(b) | ScalarValue::Unknown { bytes: b, .. } => b.len(),
                        _ => 0,
                    };
                    if len > limits.string_bytes {
                        return Err(too_large("bytes in one string", limits.string_bytes));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Checks that a change pushed by a device does only what an [`Edit`] does, so that a device
/// can neither sign as someone else nor erase what others recorded:
/// - `by` and `by_name` are written only as `author` (the change's device's user);
/// - under `actors` it writes only its own actor's entry, naming `author`;
/// - it deletes nothing and never replaces an object that existed (every record is appended,
///   every map created at registration), nor overwrites a list item in place.
///
/// `before` is the document without the push, `after` the document with it (and already
/// shape-checked: [`check_shape`]); `change` is one of the pushed changes.
pub fn check_change(
    before: &AutoCommit,
    after: &AutoCommit,
    change: &automerge::Change,
    author: &Author,
) -> Result<()> {
    check_change_as(before, after, change, author, Authority::Device)
}

/// Who made a change the server checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authority {
    /// A device's push (a phone's, or a dashboard edit made like one): [`check_change`].
    Device,
    /// The server's own merge of two cases ([`merge`]): it copies records signed by the people
    /// who made them and writes the merge keys, and still deletes and replaces nothing.
    Merge,
}

/// [`check_change`] for a change made with `authority`.
pub fn check_change_as(
    before: &AutoCommit,
    after: &AutoCommit,
    change: &automerge::Change,
    author: &Author,
    authority: Authority,
) -> Result<()> {
    use automerge::legacy::{Key, ObjectId, OpType};
    let device = authority == Authority::Device;
    let own = change.actor_id().to_hex_string();
    let refuse = |what: String| Err(SchemaError::NotAllowed(what));
    for op in change.decode().operations {
        let obj_name = op.obj.to_string();
        let path: Vec<String> = match &op.obj {
            ObjectId::Root => Vec::new(),
            ObjectId::Id(_) => {
                let id = after.import_obj(&obj_name)?;
                after
                    .parents(&id)?
                    .path()
                    .into_iter()
                    .map(|(_, prop)| prop.to_string())
                    .collect()
            }
        };
        let at = |key: &str| {
            let mut p = path.join(".");
            if !p.is_empty() {
                p.push('.');
            }
            p.push_str(key);
            p
        };
        let key = match &op.key {
            Key::Map(k) => Some(k.to_string()),
            Key::Seq(_) => None,
        };
        if matches!(op.action, OpType::Delete) {
            // Keeping one of several concurrent values of a field deletes the others, and the
            // field still holds a value. Any other delete removes a record or a field.
            let holds = |doc: &AutoCommit, k: &str| match doc.import_obj(&obj_name) {
                Ok(o) => doc.get(&o, k).ok().flatten().map(|(v, _)| v.is_object()),
                Err(_) => None,
            };
            let kept = key
                .as_deref()
                .is_some_and(|k| holds(after, k) == Some(false) && holds(before, k) != Some(true));
            if !kept {
                return refuse(format!(
                    "delete {}",
                    at(key.as_deref().unwrap_or("a list item"))
                ));
            }
            continue;
        }
        // The merge's keys are the server's alone: a device that wrote them could hide a child
        // from the reports as "merged" or pass records off as carried.
        let merge_key = |k: &str| matches!(k, "merged_into" | "merged_from" | "carried_from");
        if device && (path.iter().any(|p| merge_key(p)) || key.as_deref().is_some_and(merge_key)) {
            return refuse(format!(
                "write {}: only the server merges cases",
                at(key.as_deref().unwrap_or(""))
            ));
        }
        let Some(key) = key else {
            if !op.insert {
                return refuse(format!("overwrite an item of {} in place", at("")));
            }
            continue;
        };
        // Replacing an object that was there before the push hides everything under it. The
        // referrals or copies list of an older case may be created by two devices at once (a
        // creation that overwrites nothing it saw): both lists are read, so it hides nothing.
        let concurrent_list = path.is_empty()
            && LATE_LISTS.contains(&key.as_str())
            && op.pred.is_empty()
            && matches!(op.action, OpType::Make(automerge::ObjType::List));
        if let Ok(existing) = before.import_obj(&obj_name)
            && let Ok(Some((Value::Object(_), _))) = before.get(&existing, key.as_str())
            && !concurrent_list
        {
            return refuse(format!("replace {}", at(&key)));
        }
        // A signature is the user's own, or null (an empty risk override carries no author).
        let put_text = match &op.action {
            OpType::Put(automerge::ScalarValue::Str(s)) => Some(Some(s.to_string())),
            OpType::Put(automerge::ScalarValue::Null) => Some(None),
            _ => None,
        };
        let must_be = |want: &str, what: &str| {
            if put_text
                .as_ref()
                .is_some_and(|v| v.as_deref().is_none_or(|v| v == want))
            {
                Ok(())
            } else {
                refuse(format!(
                    "sign {} with {what} other than its own user's",
                    at(&key)
                ))
            }
        };
        match path.first().map(String::as_str) {
            Some("actors") => {
                if path.get(1).is_some_and(|a| *a != own) {
                    return refuse(format!("write another device's entry {}", at(&key)));
                }
                match (path.len(), key.as_str()) {
                    (1, k) if k != own => {
                        return refuse(format!("write another device's entry {}", at(k)));
                    }
                    (2, "user_id") => must_be(&author.user_id, "a user")?,
                    (2, "name") => must_be(&author.name, "a user name")?,
                    _ => {}
                }
            }
            None if key == "actors" => {}
            // A merge copies records as their authors signed them.
            _ if !device => {}
            _ => match key.as_str() {
                "by" | "outcome_by" | "move_by" | "move_decided_by" => {
                    must_be(&author.user_id, "an author")?;
                }
                "by_name" | "outcome_by_name" | "move_by_name" | "move_decided_by_name" => {
                    must_be(&author.name, "an author name")?;
                }
                _ => {}
            },
        }
    }
    Ok(())
}
