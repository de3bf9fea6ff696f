//! The commands of the resource map and referrals (issue 17): the map held on the phone searched
//! offline, the needs of a case that call for outside help with the block's suggestions, and a
//! referral to one of them. Apart from `commands.rs` by concern, and as thin: the rules (which
//! needs call for help, who is eligible, the search in either script) are homeward-shared's, the
//! map and the edits homeward-field's.

use homeward_field::Store;
use homeward_field::store::{TodayPrompt, today};
use homeward_shared::need::Dimension;
use homeward_shared::prompt::PromptKind;
use homeward_shared::resource::{self, Resource, ResourceQuery};
use serde::Serialize;
use tauri::AppHandle;

use crate::commands::{Answer, blocking, worded_view};

/// The map searched, as the Resources screen shows it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ResourceList {
    /// A sync has brought the map (before the first one the screen says it comes with it).
    held: bool,
    /// The blocks to search by: those of the user's areas, then any other block of the map.
    blocks: Vec<String>,
    /// The resources that match, by block, kind, then name.
    resources: Vec<Resource>,
}

/// Searches the resource map held on the phone (no network): by block, kind, need and words in
/// either script; an empty query lists every active resource of the map (the user's areas).
#[tauri::command]
pub async fn resources(handle: AppHandle, query: ResourceQuery) -> Answer<ResourceList> {
    blocking(handle, move |app| {
        app.with_store(|s| {
            let map = s.resource_map()?;
            let mut blocks: Vec<String> = s
                .known_areas()?
                .into_iter()
                .flat_map(|a| a.blocks)
                .collect();
            for r in map.iter().flat_map(|m| &m.resources) {
                if !blocks
                    .iter()
                    .any(|b| homeward_shared::duplicates::same_place(b, &r.block))
                {
                    blocks.push(r.block.clone());
                }
            }
            Ok(ResourceList {
                held: map.is_some(),
                blocks,
                resources: s.search_resources(&query)?,
            })
        })
    })
    .await
}

/// The active resources of the child's block that answer a need and take this child, the most
/// direct kind first.
#[tauri::command]
pub async fn suggested_resources(
    handle: AppHandle,
    id: String,
    dimension: Dimension,
) -> Answer<Vec<Resource>> {
    blocking(handle, move |app| {
        app.with_store(|s| s.suggested_resources(&id, dimension, today()))
    })
    .await
}

/// A need of a case that calls for outside help and has no open referral.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NeedHelp {
    dimension: Dimension,
    /// How many resources of the child's block the map suggests for it.
    suggested: usize,
}

/// What the Case screen offers to find help for.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct CaseHelp {
    /// A sync has brought the map.
    held: bool,
    /// The needs that call for outside help today with no help under way: no open referral,
    /// none served since the need's status was set (`shared::resource::calls_for_help`,
    /// `help_under_way`).
    needs: Vec<NeedHelp>,
}

#[tauri::command]
pub async fn case_help(handle: AppHandle, id: String) -> Answer<CaseHelp> {
    blocking(handle, move |app| app.with_store(|s| help_for(s, &id))).await
}

fn help_for(s: &Store, id: &str) -> homeward_field::Result<CaseHelp> {
    let day = today();
    let case = s.case(id)?;
    let map = s.resource_map()?;
    let all = map.as_ref().map(|m| m.resources.as_slice()).unwrap_or(&[]);
    let needs = resource::calls_for_help(&case, day, s.programme())
        .into_iter()
        .filter(|&d| !resource::help_under_way(&case, d, day))
        .map(|dimension| NeedHelp {
            dimension,
            suggested: resource::suggest(all, &case, dimension, day).len(),
        })
        .collect();
    Ok(CaseHelp {
        held: map.is_some(),
        needs,
    })
}

/// Refers the child or family to a resource of the held map for one need, on `on`, and returns
/// the case as it now stands (the field store records the resource's kind and name with it).
#[tauri::command]
pub async fn refer(
    handle: AppHandle,
    id: String,
    resource_id: String,
    dimension: Dimension,
    on: chrono::NaiveDate,
    note: Option<String>,
) -> Answer<homeward_field::store::CaseView> {
    blocking(handle, move |app| {
        let lang = app.lang();
        app.with_store(|s| {
            let note = note.as_deref().map(str::trim).filter(|n| !n.is_empty());
            s.refer(
                &id,
                &resource_id,
                dimension,
                on,
                note,
                homeward_field::store::now(),
            )?;
            worded_view(s, &id, lang)
        })
    })
    .await
}

/// How many resources the map suggests for a prompt of a need that calls for outside help, for
/// the Today screen.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Suggested {
    case_id: String,
    dimension: Dimension,
    count: usize,
}

/// The prompts that ask for outside help (health care, livelihood support, school enrolment):
/// how many resources the held map suggests for each (none before a sync brought the map).
pub(crate) fn suggested_counts(
    s: &Store,
    prompts: &[TodayPrompt],
) -> homeward_field::Result<Vec<Suggested>> {
    let Some(map) = s.resource_map()? else {
        return Ok(Vec::new());
    };
    let day = today();
    let mut out: Vec<Suggested> = Vec::new();
    for p in prompts.iter().map(|t| &t.prompt) {
        let asks_help = matches!(
            p.kind,
            PromptKind::HealthCare | PromptKind::LivelihoodSupport | PromptKind::SchoolEnrolment
        );
        let Some(dimension) = p.dimension.filter(|_| asks_help) else {
            continue;
        };
        if out
            .iter()
            .any(|o| o.case_id == p.case_id && o.dimension == dimension)
        {
            continue;
        }
        let case = s.case(&p.case_id)?;
        out.push(Suggested {
            case_id: p.case_id.clone(),
            dimension,
            count: resource::suggest(&map.resources, &case, dimension, day).len(),
        });
    }
    Ok(out)
}
