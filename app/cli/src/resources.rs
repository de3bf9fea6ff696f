//! The resource map and referrals on the command line (issue 17): `resource list` (the map held
//! on this phone, searched offline), `refer` and `referral update` (ordinary edits of the case),
//! and the words `today` and `case show` use for them. Apart from `records.rs` because these
//! verbs read the map beside the case, and from `render.rs` to keep each file to one concern.

use chrono::NaiveDate;
use homeward_field::FieldError;
use homeward_field::store::{Store, TodayPrompt};
use homeward_shared::i18n::Catalogue;
use homeward_shared::model::{Case, Referral, ReferralState};
use homeward_shared::prompt::PromptKind;
use homeward_shared::resource::{self, Resource, ResourceQuery};

use crate::args::*;
use crate::error::{self, Error, Result, say};
use crate::out;
use crate::records::Cx;

/// How many of the block's resources a prompt suggests in `today`.
const SUGGESTED: usize = 3;

/// Runs `verb` if it is one of the map's or a referral's; gives any other verb back.
pub(crate) fn run(store: &mut Store, verb: Verb, cx: &Cx) -> Result<std::result::Result<(), Verb>> {
    let Cx {
        json,
        words: c,
        now,
        today,
    } = *cx;
    let lang = c.lang();
    let done: Result<()> = match verb {
        Verb::Resource(ResourceVerb::List {
            block,
            kind,
            need,
            text,
            all,
        }) => {
            held(store)?;
            let found = store.search_resources(&ResourceQuery {
                text,
                block,
                kind,
                need,
                include_inactive: all,
            })?;
            out(json, &found, || {
                if found.is_empty() {
                    return c.get("cli-resources-none");
                }
                found
                    .iter()
                    .map(|r| resource_line(r, c))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Verb::Refer {
            id,
            resource,
            need,
            note,
            date,
        } => {
            let id = store.resolve(&id)?;
            let found = held(store)?
                .into_iter()
                .find(|r| r.id == resource)
                .ok_or_else(|| Error::bad("cli-err-resource-unknown", vec![("id", resource)]))?;
            if !found.active {
                return Err(Error::bad(
                    "cli-err-resource-inactive",
                    vec![("id", found.id), ("name", found.name)],
                ));
            }
            let referral = store
                .refer(
                    &id,
                    &found.id,
                    need,
                    date.unwrap_or(today),
                    note.as_deref(),
                    now,
                )
                .map_err(|e| error::refused(store, e, lang))?;
            let name = store.case(&id)?.child.name;
            out(
                json,
                &serde_json::json!({ "id": id, "referral": referral }),
                || {
                    let done = say(
                        c,
                        "cli-referred",
                        &[
                            ("name", name.clone()),
                            ("resource", found.name.clone()),
                            ("need", c.dimension(need)),
                        ],
                    );
                    format!("{done}\n{referral}")
                },
            )
        }
        Verb::Referral(ReferralVerb::Update {
            id,
            referral_id,
            state,
            date,
            note,
        }) => {
            let id = store.resolve(&id)?;
            let case = store.case(&id)?;
            let referral = find_referral(&case, &referral_id)?;
            let step = store
                .update_referral(
                    &id,
                    &referral.id,
                    state,
                    date.unwrap_or(today),
                    note.as_deref(),
                    now,
                )
                .map_err(|e| error::refused(store, e, lang))?;
            out(
                json,
                &serde_json::json!({ "id": id, "referral": referral.id, "step": step }),
                || {
                    let done = say(
                        c,
                        "cli-referral-updated",
                        &[
                            ("resource", referral.resource_name.clone()),
                            ("state", c.referral_state(state)),
                        ],
                    );
                    format!("{done}\n{step}")
                },
            )
        }
        other => return Ok(Err(other)),
    };
    done.map(Ok)
}

/// The map held on this phone; before any sync brought one, the command says so (an empty
/// list would read as "no resource in your blocks").
fn held(store: &Store) -> Result<Vec<Resource>> {
    match store.resource_map()? {
        Some(map) => Ok(map.resources),
        None => Err(Error::failed("cli-err-no-resource-map", vec![])),
    }
}

/// The referral `given` names in the case: its id, or a unique prefix of it (4 characters at
/// least).
fn find_referral<'a>(case: &'a Case, given: &str) -> Result<&'a Referral> {
    if let Some(exact) = case.referrals.iter().find(|r| r.id == given) {
        return Ok(exact);
    }
    let prefixed: Vec<&Referral> = case
        .referrals
        .iter()
        .filter(|r| given.len() >= 4 && r.id.starts_with(given))
        .collect();
    match prefixed.as_slice() {
        [one] => Ok(one),
        _ => Err(Error::bad(
            "cli-err-referral-unknown",
            vec![("id", given.to_owned()), ("case", case.id.clone())],
        )),
    }
}

/// One resource on one line: id, name, kind, block, contact, what it offers.
fn resource_line(r: &Resource, c: &Catalogue) -> String {
    let line = say(
        c,
        "cli-resource-row",
        &[
            ("id", r.id.clone()),
            ("name", r.name.clone()),
            ("kind", c.resource_kind(r.kind)),
            ("block", r.block.clone()),
            ("contact", r.contact.clone().unwrap_or_else(|| "-".into())),
            ("offers", r.offers.clone().unwrap_or_else(|| "-".into())),
        ],
    );
    if r.active {
        line
    } else {
        format!("{line}  {}", c.get("cli-resource-inactive"))
    }
}

/// The resources a prompt of `today` suggests: for a need that calls for outside help (school
/// enrolment, health care, livelihood support), the first few active ones of the child's block
/// that answer it and take the child; none for any other prompt.
pub(crate) fn suggestions(
    store: &Store,
    prompts: &[TodayPrompt],
    day: NaiveDate,
) -> Result<Vec<Vec<Resource>>, FieldError> {
    // The map is read once for every prompt (it may hold thousands of resources).
    let map = store.resources()?;
    prompts
        .iter()
        .map(|p| {
            let calls_for_help = matches!(
                p.prompt.kind,
                PromptKind::SchoolEnrolment
                    | PromptKind::HealthCare
                    | PromptKind::LivelihoodSupport
            );
            match p.prompt.dimension {
                Some(d) if calls_for_help && !map.is_empty() => {
                    let case = store.case(&p.prompt.case_id)?;
                    Ok(resource::suggest(&map, &case, d, day)
                        .into_iter()
                        .take(SUGGESTED)
                        .cloned()
                        .collect())
                }
                _ => Ok(Vec::new()),
            }
        })
        .collect()
}

/// "Suggested: NAME (KIND, CONTACT); ..." under a prompt, or nothing.
pub(crate) fn suggested_text(found: &[Resource], c: &Catalogue) -> Option<String> {
    if found.is_empty() {
        return None;
    }
    let list = found
        .iter()
        .map(|r| match &r.contact {
            Some(contact) => say(
                c,
                "cli-suggestion",
                &[
                    ("name", r.name.clone()),
                    ("kind", c.resource_kind(r.kind)),
                    ("contact", contact.clone()),
                ],
            ),
            None => say(
                c,
                "cli-suggestion-no-contact",
                &[("name", r.name.clone()), ("kind", c.resource_kind(r.kind))],
            ),
        })
        .collect::<Vec<_>>()
        .join("; ");
    Some(say(c, "cli-suggested", &[("list", list)]))
}

/// A case's referrals for `case show`: each with its state on `day` and the days of its steps.
pub(crate) fn referral_lines(case: &Case, day: NaiveDate, c: &Catalogue) -> Vec<String> {
    case.referrals
        .iter()
        .filter(|r| r.on <= day)
        .map(|r| {
            let step = |state: ReferralState, on: NaiveDate| {
                say(
                    c,
                    "cli-show-referral-step",
                    &[("state", c.referral_state(state)), ("date", c.date(on))],
                )
            };
            let steps = std::iter::once(step(ReferralState::Referred, r.on))
                .chain(
                    r.steps
                        .iter()
                        .filter(|s| s.on <= day)
                        .map(|s| step(s.state, s.on)),
                )
                .collect::<Vec<_>>()
                .join("; ");
            let line = say(
                c,
                "cli-show-referral",
                &[
                    ("id", r.id.clone()),
                    ("resource", r.resource_name.clone()),
                    ("kind", c.resource_kind(r.resource_kind)),
                    ("need", c.dimension(r.dimension)),
                    ("state", c.referral_state(r.state_on(day).0)),
                    ("steps", steps),
                ],
            );
            let notes = std::iter::once(r.note.as_deref())
                .chain(
                    r.steps
                        .iter()
                        .filter(|s| s.on <= day)
                        .map(|s| s.note.as_deref()),
                )
                .flatten()
                .collect::<Vec<_>>()
                .join(" / ");
            if notes.is_empty() {
                format!("  {line}")
            } else {
                format!("  {line}\n      {notes}")
            }
        })
        .collect()
}
