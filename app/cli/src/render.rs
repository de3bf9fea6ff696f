//! What the command line prints for a person: the case, today's prompts, why `case add`
//! refused (`--json` prints the values themselves).

use chrono::NaiveDate;
use homeward_field::store::{self};
use homeward_shared::duplicates::{AGE_TOLERANCE, Fact, Likeness};
use homeward_shared::model::{DocumentKind, Profile};
use homeward_shared::prompt::{self, Priority};

/// Why `case add` refused: the child and each case it resembles, with what they share.
pub(crate) fn resembles(profile: &Profile, alike: &[Likeness]) -> String {
    let cases = alike
        .iter()
        .map(|l| {
            let facts = l
                .matched
                .iter()
                .map(|f| match f {
                    Fact::Name if l.matched_name != l.name => {
                        format!("name (as {})", l.matched_name)
                    }
                    Fact::Age => format!("age (within {AGE_TOLERANCE} years)"),
                    f => f.key().to_owned(),
                })
                .collect::<Vec<_>>()
                .join(", ");
            format!(
                "  {}  {} ({}, {}, {} years): same {facts}",
                l.case_id, l.name, l.village, l.district, l.age
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    format!(
        "{} looks like {} already in this store; nothing was registered. Check the case{}, and if this is another child, add --not-duplicate:\n{cases}",
        profile.child.name,
        if alike.len() == 1 {
            "a child"
        } else {
            "children"
        },
        if alike.len() == 1 { "" } else { "s" },
    )
}

pub(crate) fn priority_label(p: Priority) -> &'static str {
    match p {
        Priority::Urgent => "URGENT",
        Priority::High => "high",
        Priority::Normal => "normal",
    }
}

pub(crate) fn today_text(prompts: &[store::TodayPrompt], day: NaiveDate) -> String {
    if prompts.is_empty() {
        return format!("nothing to do on {day}");
    }
    let count = |p: Priority| prompts.iter().filter(|x| x.prompt.priority == p).count();
    let visits_overdue = prompts
        .iter()
        .filter(|p| p.prompt.kind == prompt::PromptKind::VisitOverdue)
        .count();
    let mut lines = vec![format!(
        "{} prompts for {day}: {} urgent, {} high, {} normal; {visits_overdue} visits overdue",
        prompts.len(),
        count(Priority::Urgent),
        count(Priority::High),
        count(Priority::Normal)
    )];
    for p in prompts {
        lines.push(format!(
            "{:<6} due {}  {}  {} ({})\n         {}",
            priority_label(p.prompt.priority),
            p.prompt.due,
            p.prompt.case_id,
            p.name,
            p.village,
            p.prompt.reason
        ));
    }
    lines.join("\n")
}

pub(crate) fn show_text(
    case: &homeward_shared::model::Case,
    risk: homeward_shared::model::Risk,
    next: Option<&prompt::NextVisit>,
    prompts: &[prompt::Prompt],
    conflicts: &[homeward_shared::schema::Conflict],
    day: NaiveDate,
    (programme, lang): (
        &homeward_shared::programme::Programme,
        homeward_shared::i18n::Lang,
    ),
) -> String {
    let c = &case.child;
    let mut s = vec![
        format!(
            "{}  {} ({}, {} years)",
            case.id,
            c.name,
            c.sex,
            case.age_on(day)
        ),
        format!(
            "  {}, {} block, {} district",
            c.address.village, c.address.block, c.address.district
        ),
        format!(
            "  returned {}  status {}  risk {}  next visit {}",
            case.rescue.returned_on,
            case.status.state,
            risk,
            next.map_or("-".into(), |n| n.due.to_string())
        ),
    ];
    if let Some(cg) = &c.caregiver {
        s.push(format!(
            "  caregiver {} ({}) {}",
            cg.name,
            cg.relation,
            cg.phone.as_deref().unwrap_or("")
        ));
    }
    s.push("needs:".into());
    for n in &case.needs {
        s.push(format!(
            "  {:<13} {:<18} since {}",
            n.dimension.key(),
            n.status.key(),
            n.status_since().map_or("-".into(), |d| d.to_string())
        ));
    }
    let docs: Vec<String> = DocumentKind::ALL
        .iter()
        .map(|k| format!("{k}={}", case.document(*k)))
        .collect();
    s.push(format!("documents: {}", docs.join(" ")));
    for sv in &case.services {
        s.push(format!(
            "service {} {} {}: applied {} sanctioned {} paid {}",
            sv.id,
            sv.dimension,
            programme.scheme_name(&sv.scheme, lang.code()),
            sv.applied_on.map_or("-".into(), |d| d.to_string()),
            sv.sanctioned_on.map_or("-".into(), |d| d.to_string()),
            sv.paid_on.map_or("-".into(), |d| d.to_string())
        ));
    }
    for m in &case.legal.summonses {
        s.push(format!(
            "summons received {} hearing {}",
            m.received_on, m.hearing_on
        ));
    }
    for i in &case.legal.incidents {
        s.push(format!("incident {}: {}", i.on, i.what));
    }
    s.push(format!("visits ({}):", case.visits.len()));
    for v in &case.visits {
        let updates: Vec<String> = v
            .updates
            .iter()
            .map(|(d, st)| format!("{d}={st}"))
            .collect();
        s.push(format!(
            "  {} {:<18} {} {} {}",
            v.date,
            v.kind.key(),
            v.by.name,
            updates.join(" "),
            v.note.as_deref().unwrap_or("")
        ));
    }
    if !prompts.is_empty() {
        s.push("prompts:".into());
        for p in prompts {
            s.push(format!(
                "  {:<6} due {} {}",
                priority_label(p.priority),
                p.due,
                p.reason
            ));
        }
    }
    for c in conflicts {
        let values: Vec<String> = c
            .values
            .iter()
            .map(|v| {
                format!(
                    "{} by {}",
                    v.value,
                    v.author.as_ref().map_or("unknown", |a| a.name.as_str())
                )
            })
            .collect();
        s.push(format!("conflict at {}: {}", c.path, values.join(" / ")));
    }
    s.join("\n")
}
