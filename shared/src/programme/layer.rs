//! Laying an NGO's programme file over the defaults, before it is read: a section's keys one by
//! one, `[[scheme]]` entries by key (a new key adds a scheme, a known one changes it, `remove =
//! true` removes it), every error kept with the span it was found at so that the message names
//! the file's line. Apart from the programme's types and checks because it works on TOML's
//! tables, not on the programme.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

pub(super) type Located = (Option<Range<usize>>, String);

/// Lays an NGO's file over the defaults: a section's keys one by one, schemes by key.
pub(super) fn lay_over<'i>(base: &mut DeTable<'i>, over: DeTable<'i>) -> Result<(), Located> {
    for (key, value) in over {
        if key.get_ref() == "scheme" {
            let defaults = match base.get("scheme").map(|s| s.get_ref()) {
                Some(DeValue::Array(a)) => a.to_vec(),
                _ => Vec::new(),
            };
            let merged = merge_schemes(defaults, value)?;
            let mut list = DeArray::new();
            for s in merged {
                list.push(s);
            }
            base.insert(key, Spanned::new(0..0, DeValue::Array(list)));
            continue;
        }
        match (base.get_mut(key.get_ref().as_ref()), value) {
            (Some(b), value) if value.get_ref().is_table() && b.get_ref().is_table() => {
                if let (DeValue::Table(b), DeValue::Table(o)) = (b.get_mut(), value.into_inner()) {
                    over_keys(b, o);
                }
            }
            (_, value) => {
                // Removed first, so the key kept is the file's (with its line), not the default's.
                base.remove(key.get_ref().as_ref());
                base.insert(key, value);
            }
        }
    }
    Ok(())
}

/// Each key of `over` replaces the key of `base`.
fn over_keys<'i>(base: &mut DeTable<'i>, over: DeTable<'i>) {
    for (k, v) in over {
        base.remove(k.get_ref().as_ref());
        base.insert(k, v);
    }
}

fn scheme_key<'a>(entry: &'a Spanned<DeValue<'_>>) -> Option<&'a str> {
    entry.get_ref().as_table()?.get("key")?.get_ref().as_str()
}

/// The default schemes with an NGO's `[[scheme]]` entries laid over them by key.
fn merge_schemes<'i>(
    mut list: Vec<Spanned<DeValue<'i>>>,
    over: Spanned<DeValue<'i>>,
) -> Result<Vec<Spanned<DeValue<'i>>>, Located> {
    let span = over.span();
    let DeValue::Array(entries) = over.into_inner() else {
        return Err((
            Some(span),
            "`scheme` is a list of [[scheme]] tables".to_owned(),
        ));
    };
    let mut seen: Vec<String> = Vec::new();
    for entry in entries.iter() {
        let span = entry.span();
        let Some(table) = entry.get_ref().as_table() else {
            return Err((
                Some(span),
                "each [[scheme]] entry is a table with a key".to_owned(),
            ));
        };
        let Some(key) = scheme_key(entry).map(str::to_owned) else {
            return Err((
                Some(span),
                "a [[scheme]] entry needs `key = \"...\"`: the scheme it adds, changes or removes"
                    .to_owned(),
            ));
        };
        if seen.contains(&key) {
            return Err((Some(span), format!("scheme '{key}' is listed twice")));
        }
        seen.push(key.clone());
        let remove = match table.get("remove") {
            None => false,
            Some(v) => v.get_ref().as_bool().ok_or_else(|| {
                (
                    Some(v.span()),
                    format!("scheme '{key}': remove is true or false"),
                )
            })?,
        };
        let at = list
            .iter()
            .position(|s| scheme_key(s) == Some(key.as_str()));
        if remove {
            if table.len() > 2 {
                return Err((
                    Some(span),
                    format!("scheme '{key}': `remove = true` takes the key alone"),
                ));
            }
            match at {
                Some(i) => {
                    list.remove(i);
                }
                None => {
                    return Err((
                        Some(span),
                        format!(
                            "scheme '{key}' cannot be removed: the programme has no such scheme"
                        ),
                    ));
                }
            }
            continue;
        }
        let mut table = table.clone();
        table.remove("remove");
        match at {
            // An existing scheme: only what the entry names changes; names by language.
            Some(i) => {
                if let DeValue::Table(kept) = list[i].get_mut() {
                    for (k, v) in table {
                        let names = k.get_ref() == "names";
                        match (kept.get_mut("names"), v.into_inner()) {
                            (Some(old), DeValue::Table(new))
                                if names && old.get_ref().is_table() =>
                            {
                                if let DeValue::Table(old) = old.get_mut() {
                                    over_keys(old, new);
                                }
                            }
                            (_, v) => {
                                kept.remove(k.get_ref().as_ref());
                                kept.insert(k, Spanned::new(span.clone(), v));
                            }
                        }
                    }
                }
            }
            None => list.push(Spanned::new(span, DeValue::Table(table))),
        }
    }
    Ok(list)
}
