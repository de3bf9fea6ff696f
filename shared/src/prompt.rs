//! The next required support: the risk level, the visit schedule and today's prompts.
//!
//! All three are pure functions of a case, a day and the programme file. The field app shows
//! the prompts most urgent first; the server's dashboard counts the overdue ones; the systemic
//! gaps report collects the escalated claims.

use std::cmp::Ordering;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::model::{
    Case, DocumentKind, HearingMode, ReferralState, Risk, ServiceDimension, ServiceStage, VisitKind,
};
use crate::need::{Dimension, Stability, Status};
use crate::programme::Programme;

/// How soon a prompt must be acted on. Sorts most urgent first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Today: the child's safety or the court case is at stake.
    Urgent,
    /// Blocks the child's recovery.
    High,
    /// Routine.
    Normal,
}

/// What a prompt asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum PromptKind {
    /// A summons was received and the family has not been reached since.
    CourtSummons,
    /// A harassment incident whose safety check is not yet recorded.
    Harassment,
    /// A hearing is coming: lawyer's authorisation, video testimony.
    PrepareHearing,
    /// A hearing date has passed and its outcome is not recorded.
    HearingOutcome,
    /// The initial needs assessment is not done.
    InitialAssessment,
    /// A school-age child not known to be in school.
    SchoolEnrolment,
    /// A claim stuck past its escalation threshold: raise it with the officials.
    EscalateClaim,
    /// A claim stuck past its follow-up threshold.
    FollowUpClaim,
    /// A scheme whose documents are in hand but no application is made.
    ApplyForScheme,
    /// A missing document blocks a claim.
    ObtainDocument,
    /// The child needs health care: arrange treatment or counselling.
    HealthCare,
    /// The family needs livelihood support: link it to a scheme or training.
    LivelihoodSupport,
    /// A referral with no outcome after the programme's days: ask what came of it.
    FollowUpReferral,
    /// The next visit is overdue.
    VisitOverdue,
    /// The next visit is due soon.
    VisitDue,
}

impl PromptKind {
    /// Every kind, most urgent first (the order of the declaration).
    pub const ALL: &'static [PromptKind] = &[
        PromptKind::CourtSummons,
        PromptKind::Harassment,
        PromptKind::PrepareHearing,
        PromptKind::HearingOutcome,
        PromptKind::InitialAssessment,
        PromptKind::SchoolEnrolment,
        PromptKind::EscalateClaim,
        PromptKind::FollowUpClaim,
        PromptKind::ApplyForScheme,
        PromptKind::ObtainDocument,
        PromptKind::HealthCare,
        PromptKind::LivelihoodSupport,
        PromptKind::FollowUpReferral,
        PromptKind::VisitOverdue,
        PromptKind::VisitDue,
    ];
}

/// One thing a fieldworker should do for a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Prompt {
    /// The case.
    pub case_id: String,
    /// What is asked.
    pub kind: PromptKind,
    /// How soon.
    pub priority: Priority,
    /// When it is (or was) due.
    pub due: NaiveDate,
    /// The need it belongs to, if any.
    pub dimension: Option<Dimension>,
    /// What it is about: a summons, service or incident id, a scheme key, a document kind.
    pub subject: Option<String>,
    /// A short reason in plain English ([`Why`] in the English catalogue's words).
    pub reason: String,
    /// The facts behind the prompt, from which a screen or the command line words the reason in
    /// its language (`i18n::Catalogue::reason`). Stored prompts from before it read as
    /// [`Why::Unknown`].
    #[serde(default)]
    pub why: Why,
}

/// What a claim is waiting for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum Waiting {
    /// The sanction of an application.
    Sanction,
    /// The payment of a sanctioned claim.
    Payment,
}

/// The facts a prompt's reason states, by kind of prompt. Dates and numbers, and scheme keys
/// (named in the reader's language from the programme), never words.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Why {
    /// A prompt stored before reasons carried their facts: only its English `reason` is known.
    #[default]
    Unknown,
    /// A summons not yet discussed with the family.
    CourtSummons {
        /// The day it was received.
        received_on: NaiveDate,
        /// The hearing.
        hearing_on: NaiveDate,
    },
    /// A hearing ahead with steps still to take.
    PrepareHearing {
        /// The hearing.
        hearing_on: NaiveDate,
        /// The lawyer's authorisation is missing.
        lawyer: bool,
        /// Testimony by video is not arranged.
        video: bool,
    },
    /// A hearing passed with no outcome recorded.
    HearingOutcome {
        /// The hearing.
        hearing_on: NaiveDate,
    },
    /// The latest harassment incident, with no safety check since.
    Harassment {
        /// The day of the incident.
        on: NaiveDate,
        /// Whether the police were informed.
        police_informed: bool,
    },
    /// No initial assessment yet.
    InitialAssessment {
        /// The day the child came home.
        returned_on: NaiveDate,
        /// The assessment's due day.
        due: NaiveDate,
    },
    /// A school-age child not known to be in school.
    SchoolEnrolment {
        /// The child's age.
        age: u32,
        /// The education need's status.
        status: Status,
    },
    /// Health "needs care".
    HealthCare,
    /// Livelihood "needs support".
    LivelihoodSupport,
    /// A referral still open past the programme's follow-up days.
    FollowUpReferral {
        /// The provider's name, as recorded with the referral.
        resource: String,
        /// Referred (no answer) or accepted (not served).
        state: ReferralState,
        /// The day it reached that state.
        since: NaiveDate,
        /// The programme's follow-up days.
        days: u32,
    },
    /// The documents for a scheme are in hand and no application is made.
    ApplyForScheme {
        /// The scheme's key.
        scheme: String,
    },
    /// A missing document holds up schemes.
    ObtainDocument {
        /// The document.
        document: DocumentKind,
        /// The schemes' keys.
        schemes: Vec<String>,
    },
    /// A claim waiting past a threshold.
    Claim {
        /// The scheme's key.
        scheme: String,
        /// What it waits for.
        waiting: Waiting,
        /// Since when.
        since: NaiveDate,
        /// The threshold passed, in days.
        limit: u32,
        /// Past the escalation threshold (raise it with officials), else the follow-up one.
        escalate: bool,
        /// Why it is stuck, in the fieldworker's words.
        stuck: Option<String>,
    },
    /// The visit schedule.
    Visit {
        /// The due day.
        due: NaiveDate,
        /// The last counted visit.
        last_visit: NaiveDate,
        /// The interval at this risk level, in days.
        interval_days: u32,
        /// Whether the due day has passed.
        overdue: bool,
    },
}

impl Prompt {
    /// Whether the prompt is past its due date on `today`.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.due < today
    }
}

/// Sorts prompts most urgent first: priority, then due date, then kind, then case.
pub fn sort(prompts: &mut [Prompt]) {
    prompts.sort_by(|a, b| {
        (a.priority, a.due, a.kind, &a.case_id, &a.subject)
            .cmp(&(b.priority, b.due, b.kind, &b.case_id, &b.subject))
    });
}

fn add_days(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_add_days(Days::new(u64::from(n))).unwrap_or(d)
}

fn sub_days(d: NaiveDate, n: u32) -> NaiveDate {
    d.checked_sub_days(Days::new(u64::from(n))).unwrap_or(d)
}

/// The risk level computed from the needs and the legal case, ignoring any override.
///
/// High: a need in a critical state (under threat, dropped out of school), a hearing still to
/// come, a harassment incident within the programme's window, or at least
/// `risk.high_when_unmet_at_least` needs unmet or not assessed. Stable: every need settled.
/// Medium: anything in between.
pub fn computed_risk(case: &Case, today: NaiveDate, programme: &Programme) -> Risk {
    let critical = case
        .needs
        .iter()
        .any(|n| n.status.stability() == Stability::Critical);
    let hearing_ahead = case
        .legal
        .summonses
        .iter()
        .any(|s| s.is_pending() && s.hearing_on >= today && s.received_on <= today);
    let recent_incident =
        case.legal.incidents.iter().any(|i| {
            i.on <= today && i.on >= sub_days(today, programme.legal.harassment_urgent_days)
        });
    let unmet = case
        .needs
        .iter()
        .filter(|n| matches!(n.status.stability(), Stability::Unmet | Stability::Unknown))
        .count();
    let unmet_limit =
        usize::try_from(programme.risk.high_when_unmet_at_least).unwrap_or(usize::MAX);
    if critical || hearing_ahead || recent_incident || unmet >= unmet_limit {
        Risk::High
    } else if case
        .needs
        .iter()
        .all(|n| n.status.stability() == Stability::Settled)
    {
        Risk::Stable
    } else {
        Risk::Medium
    }
}

/// The risk level in force: the manual override if there is one, else the computed level.
pub fn risk(case: &Case, today: NaiveDate, programme: &Programme) -> Risk {
    case.risk_override
        .as_ref()
        .map_or_else(|| computed_risk(case, today, programme), |o| o.level)
}

/// When the next visit is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NextVisit {
    /// The due date.
    pub due: NaiveDate,
    /// The interval applied, in days.
    pub interval_days: u32,
    /// The last visit counted.
    pub last_visit: NaiveDate,
    /// Whether the interval was stretched because every need has long been settled.
    pub stretched: bool,
}

/// The last visit that counts for the schedule (phone calls count only if the programme says so).
pub fn last_counted_visit(
    case: &Case,
    on_or_before: NaiveDate,
    programme: &Programme,
) -> Option<NaiveDate> {
    case.visits
        .iter()
        .filter(|v| v.date <= on_or_before)
        .filter(|v| v.kind != VisitKind::Phone || programme.visits.phone_counts_as_visit)
        .map(|v| v.date)
        .max()
}

/// The visit schedule: `None` for a case that is not active or has had no counted visit yet
/// (the initial assessment prompt covers that).
pub fn next_visit(case: &Case, today: NaiveDate, programme: &Programme) -> Option<NextVisit> {
    if !case.is_active() {
        return None;
    }
    let last_visit = last_counted_visit(case, today, programme)?;
    let v = &programme.visits;
    let level = risk(case, today, programme);
    let mut interval_days = match level {
        Risk::High => v.high_days,
        Risk::Medium => v.medium_days,
        Risk::Stable => v.stable_days,
    };
    let settled_since = case
        .needs
        .iter()
        .map(|n| n.status_since())
        .try_fold(None::<NaiveDate>, |acc, since| {
            since.map(|s| acc.max(Some(s)))
        })
        .flatten();
    let stretched = level == Risk::Stable
        && case.risk_override.is_none()
        && settled_since.is_some_and(|s| add_days(s, v.stretch_after_days) <= today);
    if stretched {
        interval_days = interval_days.max(v.stretched_days);
    }
    Some(NextVisit {
        due: add_days(last_visit, interval_days),
        interval_days,
        last_visit,
        stretched,
    })
}

/// Today's prompts for one case, most urgent first, each with its `reason` in English. A case
/// that is not active has none.
pub fn prompts(case: &Case, today: NaiveDate, programme: &Programme) -> Vec<Prompt> {
    let mut out = unworded(case, today, programme);
    word(&mut out, programme);
    out
}

/// Fills each prompt's English `reason` from its [`Why`] through the English catalogue, the same
/// messages a Hindi screen reads in Hindi.
pub fn word(prompts: &mut [Prompt], programme: &Programme) {
    thread_local! {
        static ENGLISH: crate::i18n::Catalogue = crate::i18n::Catalogue::new(crate::i18n::Lang::En);
    }
    ENGLISH.with(|en| {
        for p in prompts {
            p.reason = en.reason(&p.why, programme);
        }
    });
}

/// The prompts without their words (`reason` empty): what [`prompts_until`] compares day by day.
fn unworded(case: &Case, today: NaiveDate, programme: &Programme) -> Vec<Prompt> {
    let mut out = Vec::new();
    if !case.is_active() {
        return out;
    }
    let mut push = |kind, priority, due, dimension, subject: Option<String>, why: Why| {
        out.push(Prompt {
            case_id: case.id.clone(),
            kind,
            priority,
            due,
            dimension,
            subject,
            reason: String::new(),
            why,
        });
    };
    let legal = &case.legal;

    // Hearings held with no outcome recorded.
    for s in legal
        .summonses
        .iter()
        .filter(|s| s.is_pending() && s.hearing_on < today && s.received_on <= today)
    {
        push(
            PromptKind::HearingOutcome,
            Priority::High,
            add_days(s.hearing_on, 1),
            Some(Dimension::Legal),
            Some(s.id.clone()),
            Why::HearingOutcome {
                hearing_on: s.hearing_on,
            },
        );
    }

    // Court summonses still ahead.
    for s in legal
        .summonses
        .iter()
        .filter(|s| s.is_pending() && s.hearing_on >= today && s.received_on <= today)
    {
        // Only a contact recorded as about this summons answers it: a visit made earlier the
        // same day, before the summons was known, says nothing to the family about it. A later
        // hearing after an adjournment was set in court, with the family there or told.
        let reached = s.follows.is_some()
            || case
                .visits
                .iter()
                .any(|v| v.summons_id.as_deref() == Some(s.id.as_str()));
        if !reached {
            push(
                PromptKind::CourtSummons,
                Priority::Urgent,
                add_days(s.received_on, programme.legal.reach_family_within_days),
                Some(Dimension::Legal),
                Some(s.id.clone()),
                Why::CourtSummons {
                    received_on: s.received_on,
                    hearing_on: s.hearing_on,
                },
            );
            continue;
        }
        let lawyer = legal.lawyer_authorised_on.is_none();
        let video = s.mode != Some(HearingMode::Video);
        if lawyer || video {
            let near = s.hearing_on <= add_days(today, programme.legal.hearing_near_days);
            push(
                PromptKind::PrepareHearing,
                if near {
                    Priority::Urgent
                } else {
                    Priority::High
                },
                s.hearing_on,
                Some(Dimension::Legal),
                Some(s.id.clone()),
                Why::PrepareHearing {
                    hearing_on: s.hearing_on,
                    lawyer,
                    video,
                },
            );
        }
    }

    // The most recent harassment incident, until a contact records the child's safety check
    // after it was known: waiting does not make a family safe, and a new incident reopens it.
    if let Some(i) = legal
        .incidents
        .iter()
        .filter(|i| i.on <= today)
        .max_by_key(|i| (i.on, i.recorded_at))
        .filter(|i| {
            !case
                .visits
                .iter()
                .any(|v| v.safety_checked && v.date >= i.on && v.recorded_at >= i.recorded_at)
        })
    {
        push(
            PromptKind::Harassment,
            Priority::Urgent,
            add_days(i.on, 1),
            Some(Dimension::Legal),
            Some(i.id.clone()),
            Why::Harassment {
                on: i.on,
                police_informed: i.police_informed,
            },
        );
    }

    // The initial assessment.
    if case.assessed_on().is_none() {
        let due = add_days(
            case.rescue.returned_on,
            programme.assessment.due_within_days,
        );
        push(
            PromptKind::InitialAssessment,
            Priority::High,
            due,
            None,
            None,
            Why::InitialAssessment {
                returned_on: case.rescue.returned_on,
                due,
            },
        );
    }

    // School for children of school age.
    // A need with a referral still open waits for the referral's outcome (its own prompt below)
    // rather than asking again for help to be found; one served since the need's status was set
    // has had its help (the next visit records the new status).
    let referred = |d: Dimension| crate::resource::help_under_way(case, d, today);
    let age = case.age_on(today);
    let education = case.need(Dimension::Education);
    if !referred(Dimension::Education)
        && (programme.education.min_age..=programme.education.max_age).contains(&age)
        && matches!(
            education.status,
            Status::NotAssessed | Status::NotEnrolled | Status::DroppedOut
        )
    {
        push(
            PromptKind::SchoolEnrolment,
            Priority::High,
            education.status_since().unwrap_or(case.rescue.returned_on),
            Some(Dimension::Education),
            None,
            Why::SchoolEnrolment {
                age,
                status: education.status,
            },
        );
    }

    // Health and livelihood needs that call for action.
    let health = case.need(Dimension::Health);
    if health.status == Status::NeedsCare && !referred(Dimension::Health) {
        push(
            PromptKind::HealthCare,
            Priority::High,
            health.status_since().unwrap_or(case.rescue.returned_on),
            Some(Dimension::Health),
            None,
            Why::HealthCare,
        );
    }
    let livelihood = case.need(Dimension::Livelihood);
    if livelihood.status == Status::NeedsSupport && !referred(Dimension::Livelihood) {
        push(
            PromptKind::LivelihoodSupport,
            Priority::Normal,
            livelihood.status_since().unwrap_or(case.rescue.returned_on),
            Some(Dimension::Livelihood),
            None,
            Why::LivelihoodSupport,
        );
    }

    // Referrals with no outcome past the follow-up days (counted from the referral, or from its
    // acceptance: accepted and never served needs asking too).
    for r in case.referrals.iter().filter(|r| r.open_on(today)) {
        let (state, since) = r.state_on(today);
        let due = add_days(since, programme.referrals.follow_up_days);
        if due <= today {
            push(
                PromptKind::FollowUpReferral,
                Priority::Normal,
                due,
                Some(r.dimension),
                Some(r.id.clone()),
                Why::FollowUpReferral {
                    resource: r.resource_name.clone(),
                    state,
                    since,
                    days: programme.referrals.follow_up_days,
                },
            );
        }
    }

    // Claims: schemes not applied for, documents that block them, claims stuck.
    let mut blocking: Vec<(DocumentKind, Vec<String>)> = Vec::new();
    for scheme in programme.schemes.iter().filter(|s| s.prompt) {
        let dim = Dimension::from(scheme.dimension);
        let need = case.need(dim).status;
        let closed = match scheme.dimension {
            ServiceDimension::Compensation => matches!(need, Status::NotEligible | Status::Paid),
            ServiceDimension::Entitlements => need == Status::Linked,
        };
        let applied = case
            .services
            .iter()
            .any(|s| s.scheme == scheme.key && s.applied_on.is_some_and(|d| d <= today));
        if closed || applied {
            continue;
        }
        let missing: Vec<DocumentKind> = scheme
            .requires
            .iter()
            .copied()
            .filter(|k| !case.document(*k).in_hand())
            .collect();
        if missing.is_empty() {
            let ready_since = scheme
                .requires
                .iter()
                .filter_map(|k| case.documents.get(k).and_then(|e| e.on))
                .max()
                .unwrap_or(case.rescue.returned_on);
            push(
                PromptKind::ApplyForScheme,
                Priority::High,
                ready_since,
                Some(dim),
                Some(scheme.key.clone()),
                Why::ApplyForScheme {
                    scheme: scheme.key.clone(),
                },
            );
        } else {
            for k in missing {
                match blocking.iter_mut().find(|(d, _)| *d == k) {
                    Some((_, schemes)) => schemes.push(scheme.key.clone()),
                    None => blocking.push((k, vec![scheme.key.clone()])),
                }
            }
        }
    }
    for (kind, schemes) in blocking {
        push(
            PromptKind::ObtainDocument,
            Priority::Normal,
            case.rescue.returned_on,
            Some(Dimension::Documents),
            Some(kind.key().to_owned()),
            Why::ObtainDocument {
                document: kind,
                schemes,
            },
        );
    }
    let c = &programme.claims;
    for s in &case.services {
        let (stage, since) = s.stage_on(today);
        let (follow, escalate, waiting) = match stage {
            ServiceStage::Applied => (
                c.sanction_follow_up_days,
                c.sanction_escalate_days,
                Waiting::Sanction,
            ),
            ServiceStage::Sanctioned => (
                c.payment_follow_up_days,
                c.payment_escalate_days,
                Waiting::Payment,
            ),
            ServiceStage::NotApplied | ServiceStage::Paid => continue,
        };
        let Some(since) = since else { continue };
        let days = u32::try_from((today - since).num_days()).unwrap_or(0);
        let why = |limit, escalate| Why::Claim {
            scheme: s.scheme.clone(),
            waiting,
            since,
            limit,
            escalate,
            stuck: s.stuck_reason.clone(),
        };
        if days >= escalate {
            push(
                PromptKind::EscalateClaim,
                Priority::High,
                add_days(since, escalate),
                Some(s.dimension.into()),
                Some(s.id.clone()),
                why(escalate, true),
            );
        } else if days >= follow {
            push(
                PromptKind::FollowUpClaim,
                Priority::Normal,
                add_days(since, follow),
                Some(s.dimension.into()),
                Some(s.id.clone()),
                why(follow, false),
            );
        }
    }

    // The visit schedule.
    if let Some(next) = next_visit(case, today, programme) {
        let soon = add_days(today, programme.visits.due_soon_days);
        match next.due.cmp(&today) {
            Ordering::Less => push(
                PromptKind::VisitOverdue,
                Priority::High,
                next.due,
                None,
                None,
                Why::Visit {
                    due: next.due,
                    last_visit: next.last_visit,
                    interval_days: next.interval_days,
                    overdue: true,
                },
            ),
            _ if next.due <= soon => push(
                PromptKind::VisitDue,
                Priority::Normal,
                next.due,
                None,
                None,
                Why::Visit {
                    due: next.due,
                    last_visit: next.last_visit,
                    interval_days: next.interval_days,
                    overdue: false,
                },
            ),
            _ => {}
        }
    }

    sort(&mut out);
    out
}

/// How far ahead [`prompts_until`] looks, in days.
pub const PROMPTS_HORIZON_DAYS: u32 = 60;

/// Today's prompts, and the last day (at most `horizon` days ahead) through which the case's
/// prompts, risk level and next visit stay exactly as they are today. A store keeps the
/// prompts until then and recomputes only the cases whose day has passed.
///
/// Found by evaluating the rules day by day rather than by listing their thresholds, so it
/// cannot drift from [`prompts`] when a rule changes.
pub fn prompts_until(
    case: &Case,
    today: NaiveDate,
    programme: &Programme,
    horizon: u32,
) -> (Vec<Prompt>, NaiveDate) {
    let state = |day: NaiveDate| {
        (
            unworded(case, day, programme),
            risk(case, day, programme),
            next_visit(case, day, programme).map(|n| n.due),
        )
    };
    let now = state(today);
    let mut last = today;
    for i in 1..=horizon {
        let day = add_days(today, i);
        if state(day) != now {
            break;
        }
        last = day;
    }
    let mut prompts = now.0;
    word(&mut prompts, programme);
    (prompts, last)
}
