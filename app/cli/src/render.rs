//! What the command line prints for a person, in the catalogue's words: the case, today's
//! prompts, why `case add` refused (`--json` prints the values themselves, language-neutral).

use chrono::NaiveDate;
use homeward_field::store::{self};
use homeward_shared::duplicates::{AGE_TOLERANCE, Fact, Likeness};
use homeward_shared::i18n::Catalogue;
use homeward_shared::model::{DocumentKind, DocumentState, Profile, Sex, VisitKind};
use homeward_shared::prompt::{self, Priority};

use crate::error::say;

/// Why `case add` refused: the child and each case it resembles, with what they share.
pub(crate) fn resembles(profile: &Profile, alike: &[Likeness], c: &Catalogue) -> String {
    let cases = alike
        .iter()
        .map(|l| {
            let facts = l
                .matched
                .iter()
                .map(|f| match f {
                    Fact::Name if l.matched_name != l.name => say(
                        c,
                        "cli-dup-fact-name-as",
                        &[("name", l.matched_name.clone())],
                    ),
                    Fact::Age => say(
                        c,
                        "cli-dup-fact-age",
                        &[("years", AGE_TOLERANCE.to_string())],
                    ),
                    f => c.get(&format!("cli-dup-fact-{}", f.key())),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let line = say(
                c,
                "cli-dup-case",
                &[
                    ("case", l.case_id.clone()),
                    ("name", l.name.clone()),
                    ("village", l.village.clone()),
                    ("district", l.district.clone()),
                    ("age", say(c, "ui-age", &[("years", l.age.to_string())])),
                    ("facts", facts),
                ],
            );
            format!("  {line}")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let head = say(
        c,
        if alike.len() == 1 {
            "cli-dup-one"
        } else {
            "cli-dup-many"
        },
        &[
            ("name", profile.child.name.clone()),
            ("n", alike.len().to_string()),
        ],
    );
    format!("{head}\n{cases}")
}

/// A prompt's priority, short.
pub(crate) fn priority_label(p: Priority, c: &Catalogue) -> String {
    c.get(match p {
        Priority::Urgent => "cli-priority-urgent",
        Priority::High => "cli-priority-high",
        Priority::Normal => "cli-priority-normal",
    })
}

/// `text` padded with spaces to `width` characters (Devanagari counted by characters).
fn pad(text: &str, width: usize) -> String {
    format!("{text:<width$}")
}

/// A date or `-`.
fn date_or_dash(d: Option<NaiveDate>, c: &Catalogue) -> String {
    d.map_or_else(|| "-".to_owned(), |d| c.date(d))
}

/// A date written in the store as `YYYY-MM-DD`, in words; as it is if it is not one.
pub(crate) fn stored_date(s: Option<&str>, c: &Catalogue) -> String {
    match s {
        None => "-".into(),
        Some(s) => s
            .parse::<NaiveDate>()
            .map_or_else(|_| s.to_owned(), |d| c.date(d)),
    }
}

/// Today's prompts; under a prompt of a need that calls for outside help, the block's resources
/// `suggested` for it (one list per prompt, in order).
pub(crate) fn today_text(
    prompts: &[store::TodayPrompt],
    suggested: &[Vec<homeward_shared::resource::Resource>],
    day: NaiveDate,
    c: &Catalogue,
) -> String {
    if prompts.is_empty() {
        return say(c, "cli-today-none", &[("date", c.date(day))]);
    }
    let count = |p: Priority| {
        prompts
            .iter()
            .filter(|x| x.prompt.priority == p)
            .count()
            .to_string()
    };
    let visits_overdue = prompts
        .iter()
        .filter(|p| p.prompt.kind == prompt::PromptKind::VisitOverdue)
        .count();
    let mut lines = vec![say(
        c,
        "cli-today-head",
        &[
            ("n", prompts.len().to_string()),
            ("date", c.date(day)),
            ("urgent", count(Priority::Urgent)),
            ("high", count(Priority::High)),
            ("normal", count(Priority::Normal)),
            ("overdue", visits_overdue.to_string()),
        ],
    )];
    for (i, p) in prompts.iter().enumerate() {
        lines.push(format!(
            "{} {}  {}  {} ({})\n         {}\n         {}",
            pad(&priority_label(p.prompt.priority, c), 6),
            c.due(p.prompt.due, day),
            p.prompt.case_id,
            p.name,
            p.village,
            c.prompt(p.prompt.kind),
            p.prompt.reason
        ));
        let found = suggested.get(i).map_or(&[][..], |f| &f[..]);
        if let Some(text) = crate::resources::suggested_text(found, c) {
            lines.push(format!("         {text}"));
        }
    }
    lines.join("\n")
}

fn sex(s: Sex, c: &Catalogue) -> String {
    c.get(match s {
        Sex::Female => "ui-sex-female",
        Sex::Male => "ui-sex-male",
        Sex::Other => "ui-sex-other",
    })
}

fn visit_kind(k: VisitKind, c: &Catalogue) -> String {
    c.get(&format!("ui-visit-{}", k.key()))
}

fn document_state(s: DocumentState, c: &Catalogue) -> String {
    c.get(&format!("ui-doc-{}", s.key()))
}

/// A case's standing as `case show` says it: a closure no review has decided yet waits for
/// the Core Team's review (the same words as the Case screen).
fn standing(view: &store::CaseView, c: &Catalogue) -> String {
    let status = &view.case.status;
    match (view.closure_pending, status.registered_in_error()) {
        (true, true) => c.get("ui-closure-pending-in-error"),
        (true, false) => c.get("ui-closure-pending"),
        (false, _) => c.standing(status),
    }
}

pub(crate) fn show_text(
    view: &store::CaseView,
    day: NaiveDate,
    (programme, c): (&homeward_shared::programme::Programme, &Catalogue),
) -> String {
    let (case, risk, next, prompts, conflicts) = (
        &view.case,
        view.risk,
        view.next_visit.as_ref(),
        &view.prompts[..],
        &view.conflicts[..],
    );
    let lang = c.lang();
    let ch = &case.child;
    let mut s = vec![
        format!(
            "{}  {} ({}, {})",
            case.id,
            ch.name,
            sex(ch.sex, c),
            say(c, "ui-age", &[("years", case.age_on(day).to_string())])
        ),
        format!(
            "  {}",
            say(
                c,
                "cli-show-place",
                &[
                    ("village", ch.address.village.clone()),
                    ("block", ch.address.block.clone()),
                    ("district", ch.address.district.clone()),
                ],
            )
        ),
        format!(
            "  {}",
            say(
                c,
                "cli-show-summary",
                &[
                    ("returned", c.date(case.rescue.returned_on)),
                    ("state", standing(view, c)),
                    ("risk", c.risk(risk)),
                    ("next", date_or_dash(next.map(|n| n.due), c)),
                ],
            )
        ),
    ];
    if let Some(cg) = &ch.caregiver {
        s.push(format!(
            "  {}",
            say(
                c,
                "cli-show-caregiver",
                &[
                    ("name", cg.name.clone()),
                    ("relation", cg.relation.clone()),
                    ("phone", cg.phone.clone().unwrap_or_default()),
                ],
            )
            .trim_end()
        ));
    }
    s.push(c.get("cli-show-needs"));
    for n in &case.needs {
        s.push(format!(
            "  {} {} {}",
            pad(&c.dimension(n.dimension), 20),
            pad(&c.status(n.status), 22),
            n.status_since().map_or_else(
                || "-".to_owned(),
                |d| say(c, "ui-since", &[("date", c.date(d))])
            )
        ));
    }
    let docs: Vec<String> = DocumentKind::ALL
        .iter()
        .map(|k| {
            let copies = case.copies(*k).count();
            let copies = if copies > 0 {
                format!(
                    " ({})",
                    say(c, "cli-show-copies", &[("n", copies.to_string())])
                )
            } else {
                String::new()
            };
            format!(
                "{}: {}{copies}",
                c.document(*k),
                document_state(case.document(*k), c)
            )
        })
        .collect();
    s.push(say(c, "cli-show-documents", &[("list", docs.join("; "))]));
    for sv in &case.services {
        s.push(say(
            c,
            "cli-show-claim",
            &[
                ("id", sv.id.clone()),
                (
                    "dimension",
                    c.dimension(homeward_shared::need::Dimension::from(sv.dimension)),
                ),
                ("scheme", programme.scheme_name(&sv.scheme, lang.code())),
                ("applied", date_or_dash(sv.applied_on, c)),
                ("sanctioned", date_or_dash(sv.sanctioned_on, c)),
                ("paid", date_or_dash(sv.paid_on, c)),
            ],
        ));
    }
    for m in &case.legal.summonses {
        s.push(say(
            c,
            "cli-show-summons",
            &[
                ("id", m.id.clone()),
                ("received", c.date(m.received_on)),
                ("hearing", c.date(m.hearing_on)),
            ],
        ));
    }
    for i in &case.legal.incidents {
        s.push(say(
            c,
            "cli-show-incident",
            &[
                ("id", i.id.clone()),
                ("date", c.date(i.on)),
                ("what", i.what.clone()),
                (
                    "police",
                    c.get(if i.police_informed {
                        "ui-police-informed"
                    } else {
                        "ui-police-not-informed"
                    }),
                ),
            ],
        ));
    }
    let referrals = crate::resources::referral_lines(case, day, c);
    if !referrals.is_empty() {
        s.push(c.get("cli-show-referrals"));
        s.extend(referrals);
    }
    s.push(say(
        c,
        "cli-show-visits",
        &[("n", case.visits.len().to_string())],
    ));
    for v in &case.visits {
        let updates: Vec<String> = v
            .updates
            .iter()
            .map(|(d, st)| format!("{}: {}", c.dimension(*d), c.status(*st)))
            .collect();
        let line = format!(
            "  {} {} {} {} {}",
            c.date(v.date),
            pad(&visit_kind(v.kind, c), 18),
            v.by.name,
            updates.join(", "),
            v.note.as_deref().unwrap_or("")
        );
        s.push(line.trim_end().to_owned());
    }
    if !prompts.is_empty() {
        s.push(c.get("cli-show-prompts"));
        for p in prompts {
            s.push(format!(
                "  {} {} {}\n         {}",
                pad(&priority_label(p.priority, c), 6),
                c.due(p.due, day),
                c.prompt(p.kind),
                p.reason
            ));
        }
    }
    for conflict in conflicts {
        let values: Vec<String> = conflict
            .values
            .iter()
            .map(|v| {
                say(
                    c,
                    "cli-show-by",
                    &[
                        ("value", v.value.to_string()),
                        (
                            "name",
                            v.author
                                .as_ref()
                                .map_or_else(|| c.get("cli-unknown"), |a| a.name.clone()),
                        ),
                    ],
                )
            })
            .collect();
        s.push(say(
            c,
            "cli-show-conflict",
            &[
                ("path", conflict.path.clone()),
                ("values", values.join(" / ")),
            ],
        ));
    }
    s.join("\n")
}
