//! Monthly progress indicators: per child and in aggregate, for the CWC report and the dashboard.
//!
//! Everything is computed from the cases' own records (need histories, visit dates, service
//! dates) as they stood at the start and the end of the month, so a report for a past month
//! reads the same whenever it is printed.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::model::{Case, CaseState, ServiceDimension, VisitKind};
use crate::need::{Dimension, Stability, Status};
use crate::programme::Programme;
use crate::prompt::{self, Prompt};

mod referrals;
pub use referrals::{ChildReferral, ReferralCounts};

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    /// Year.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u32,
}

impl Month {
    /// The month containing `day`.
    pub fn of(day: NaiveDate) -> Month {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Its last day.
    pub fn last_day(self) -> NaiveDate {
        self.next()
            .first_day()
            .checked_sub_days(Days::new(1))
            .unwrap_or(NaiveDate::MAX)
    }

    /// The month after.
    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// The month before.
    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// Whether `day` falls in this month.
    pub fn contains(self, day: NaiveDate) -> bool {
        Month::of(day) == self
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A month that is not `YYYY-MM`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad month '{0}' (expected YYYY-MM, for example 2026-10)")]
pub struct BadMonth(pub String);

impl FromStr for Month {
    type Err = BadMonth;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadMonth(s.to_owned());
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let month = Month {
            year: y.parse().map_err(|_| bad())?,
            month: m.parse().map_err(|_| bad())?,
        };
        if NaiveDate::from_ymd_opt(month.year, month.month, 1).is_none() {
            return Err(bad());
        }
        Ok(month)
    }
}

/// One dimension of one child over the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DimensionProgress {
    /// The dimension.
    pub dimension: Dimension,
    /// Status at the start of the month (end of the day before).
    pub at_start: Status,
    /// Status at the end of the month.
    pub at_end: Status,
    /// Status changes made during the month, in order.
    pub changes: Vec<(NaiveDate, Status)>,
    /// For a need not settled at the end of the month: since when it has been in that state.
    pub pending_since: Option<NaiveDate>,
}

/// One child over the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildProgress {
    /// The case.
    pub case_id: String,
    /// The child's name (the CWC report names children; de-identified exports must not use it).
    pub name: String,
    /// District.
    pub district: String,
    /// Block.
    pub block: String,
    /// Village.
    pub village: String,
    /// Case status at the end of the month.
    pub state: CaseState,
    /// Risk level at the end of the month.
    pub risk: crate::model::Risk,
    /// Every dimension.
    pub dimensions: Vec<DimensionProgress>,
    /// Visits made during the month (phone calls included).
    pub visits_made: u32,
    /// Whether the scheduled visit was overdue at the end of the month.
    pub visit_overdue: bool,
    /// The next steps: the prompts open at the end of the month, most urgent first.
    pub next_steps: Vec<Prompt>,
    /// The last visit's agreed next steps, in the fieldworker's words.
    pub agreed_next_steps: Option<String>,
    /// Each claim applied for and not paid at the end of the month, oldest first.
    #[serde(default)]
    pub open_claims: Vec<OpenClaim>,
    /// What happened during the month, by day: every visit with who made it, summonses and
    /// hearings with their outcomes, incidents, documents received, claims' progress.
    #[serde(default)]
    pub facts: Vec<MonthFact>,
    /// The child's referrals made or moved in the month, or still waiting for an outcome at
    /// its end, with where each stands.
    #[serde(default)]
    pub referrals: Vec<ChildReferral>,
}

/// One thing that happened to a child's case during the month, as the CWC reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MonthFact {
    /// A visit or call, and who made it.
    Visit {
        /// The day.
        on: NaiveDate,
        /// What kind of contact.
        visit: crate::model::VisitKind,
        /// Who made it.
        by: String,
    },
    /// A court summons received.
    Summons {
        /// The day it was received.
        on: NaiveDate,
        /// The hearing's date.
        hearing_on: NaiveDate,
    },
    /// A hearing held (or missed), and what happened.
    Hearing {
        /// The day.
        on: NaiveDate,
        /// What happened.
        result: crate::model::HearingResult,
        /// The next hearing, when adjourned or missed.
        next_on: Option<NaiveDate>,
    },
    /// A harassment incident.
    Incident {
        /// The day.
        on: NaiveDate,
        /// What happened, in the fieldworker's words.
        what: String,
        /// Whether the police were informed.
        police_informed: bool,
    },
    /// A document received or verified.
    Document {
        /// The day.
        on: NaiveDate,
        /// Which document.
        document: crate::model::DocumentKind,
        /// Received or verified.
        state: crate::model::DocumentState,
    },
    /// A claim applied for, sanctioned or paid.
    Claim {
        /// The day.
        on: NaiveDate,
        /// The scheme's key.
        scheme: String,
        /// The stage reached that day.
        stage: crate::model::ServiceStage,
        /// The amount, when paid or sanctioned with one.
        amount: Option<u64>,
    },
}

impl MonthFact {
    /// The day it happened.
    pub fn on(&self) -> NaiveDate {
        match self {
            MonthFact::Visit { on, .. }
            | MonthFact::Summons { on, .. }
            | MonthFact::Hearing { on, .. }
            | MonthFact::Incident { on, .. }
            | MonthFact::Document { on, .. }
            | MonthFact::Claim { on, .. } => *on,
        }
    }
}

/// What happened to `case` within `month` up to `end`, by day (see [`MonthFact`]).
fn month_facts(case: &Case, month: Month, end: NaiveDate) -> Vec<MonthFact> {
    use crate::model::ServiceStage;
    let within = |d: NaiveDate| month.contains(d) && d <= end;
    let mut facts = Vec::new();
    for v in case.visits.iter().filter(|v| within(v.date)) {
        facts.push(MonthFact::Visit {
            on: v.date,
            visit: v.kind,
            by: v.by.name.clone(),
        });
    }
    for s in &case.legal.summonses {
        if within(s.received_on) && s.follows.is_none() {
            facts.push(MonthFact::Summons {
                on: s.received_on,
                hearing_on: s.hearing_on,
            });
        }
        if let Some(o) = s.outcome.as_ref().filter(|o| within(o.held_on)) {
            facts.push(MonthFact::Hearing {
                on: o.held_on,
                result: o.result,
                next_on: o.next_hearing_on,
            });
        }
    }
    for i in case.legal.incidents.iter().filter(|i| within(i.on)) {
        facts.push(MonthFact::Incident {
            on: i.on,
            what: i.what.clone(),
            police_informed: i.police_informed,
        });
    }
    for (kind, e) in &case.documents {
        if let Some(on) = e.on.filter(|d| within(*d))
            && e.state != crate::model::DocumentState::Missing
        {
            facts.push(MonthFact::Document {
                on,
                document: *kind,
                state: e.state,
            });
        }
    }
    for s in &case.services {
        for (day, stage) in [
            (s.applied_on, ServiceStage::Applied),
            (s.sanctioned_on, ServiceStage::Sanctioned),
            (s.paid_on, ServiceStage::Paid),
        ] {
            if let Some(on) = day.filter(|d| within(*d)) {
                facts.push(MonthFact::Claim {
                    on,
                    scheme: s.scheme.clone(),
                    stage,
                    amount: s.amount.filter(|_| stage != ServiceStage::Applied),
                });
            }
        }
    }
    facts.sort_by_key(MonthFact::on);
    facts
}

/// A need's changes within `month` up to `end`, one per day, each day's status as the report
/// reads it ([`crate::model::Need::status_at`]): two phones' disagreeing entries of one day
/// read as the supervisor's settlement chose (the overruled one is not reported as if it had
/// happened), and a settlement that kept one of them adds no change of its own (nor one of a
/// dispute before the month, whose settled status `start` already is); one that set another
/// value does.
fn month_changes(
    need: &crate::model::Need,
    month: Month,
    end: NaiveDate,
    start: Status,
) -> Vec<(NaiveDate, Status)> {
    let mut days: Vec<(NaiveDate, bool)> = Vec::new();
    for h in need
        .history
        .iter()
        .filter(|h| month.contains(h.on) && h.on <= end)
    {
        match days.iter_mut().find(|(d, _)| *d == h.on) {
            Some((_, only_settles)) => *only_settles &= h.settles,
            None => days.push((h.on, h.settles)),
        }
    }
    days.sort_by_key(|(d, _)| *d);
    let mut changes: Vec<(NaiveDate, Status)> = Vec::new();
    for (day, only_settles) in days {
        let status = need.status_at(day);
        if only_settles && changes.last().map_or(start, |(_, s)| *s) == status {
            continue;
        }
        changes.push((day, status));
    }
    changes
}

/// A claim applied for and not paid at the end of the month, as the CWC reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenClaim {
    /// The scheme's key (its name comes from the programme file).
    pub scheme: String,
    /// Compensation or entitlements.
    pub dimension: crate::model::ServiceDimension,
    /// Applied or sanctioned, at the end of the month.
    pub stage: crate::model::ServiceStage,
    /// The day it was applied for.
    pub applied_on: NaiveDate,
    /// Days from the application to the end of the month.
    pub days_pending: u32,
    /// Why it is stuck, in the fieldworker's words.
    pub stuck_reason: Option<String>,
}

/// Claims counted over the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ClaimCounts {
    /// Applications made during the month.
    pub applied: u32,
    /// Sanctions during the month.
    pub sanctioned: u32,
    /// Payments during the month.
    pub paid: u32,
    /// Claims applied for and not paid at the end of the month.
    pub pending: u32,
    /// Median days those pending claims have waited since application, at the end of the month.
    pub median_days_pending: Option<u32>,
}

/// The aggregates for a set of children and a month: the first page of the CWC report.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Aggregates {
    /// Children returned home by the end of the month and active at some point in it; a second
    /// registration merged into a child's case, or a case closed as registered in error, is
    /// no child ([`crate::model::CaseStatus::is_a_child`]).
    pub children_followed: u32,
    /// Visits made during the month (phone calls included).
    pub visits_made: u32,
    /// Children whose scheduled visit was overdue at the end of the month.
    pub visits_missed: u32,
    /// Children of school age at the end of the month.
    pub school_age: u32,
    /// Of those, enrolled (regularly or not) in school or a bridge programme.
    pub school_age_enrolled: u32,
    /// `school_age_enrolled` as a whole percentage of `school_age`.
    pub school_age_enrolled_pct: Option<u32>,
    /// Children linked to a new entitlement during the month, health insurance apart.
    pub children_new_entitlement: u32,
    /// Children linked to health insurance during the month.
    pub children_new_health_insurance: u32,
    /// Compensation claims.
    pub compensation: ClaimCounts,
    /// Children who moved into skills training or livelihood support during the month.
    pub livelihood_linkages: u32,
    /// Harassment incidents during the month.
    pub harassment_incidents: u32,
    /// Children reported missing or re-trafficked during the month.
    pub missing_or_retrafficked: u32,
    /// Children whose needs were all settled at the end of the month but not at its start.
    pub stabilised: u32,
    /// Cases closed during the month.
    pub closed: u32,
    /// Referrals made, accepted, served and not served in the month, by kind of resource (a
    /// total row, kind `None`, last when there is more than one kind).
    #[serde(default)]
    pub referrals: Vec<ReferralCounts>,
}

/// The whole month for a set of children.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthlyReport {
    /// The month.
    pub month: Month,
    /// The day the figures stand at: the month's last day, or, for a month still in progress,
    /// the day the report was made ([`monthly_until`]).
    pub as_of: NaiveDate,
    /// Aggregates.
    pub aggregates: Aggregates,
    /// One entry per child followed, by block, village and name.
    pub children: Vec<ChildProgress>,
}

fn counted(kind: VisitKind) -> bool {
    // Every contact counts as "made" in the report; the schedule decides on phone calls itself.
    matches!(
        kind,
        VisitKind::InitialAssessment | VisitKind::FollowUp | VisitKind::Urgent | VisitKind::Phone
    )
}

/// Computes the month's indicators for `cases` (typically one district's), as at its last day.
pub fn monthly(cases: &[Case], month: Month, programme: &Programme) -> MonthlyReport {
    monthly_until(cases, month, programme, month.last_day())
}

/// [`monthly`] as at `until` when that falls within the month: a month still in progress is
/// reported as it stands on the day the report is made (its claims waiting counted to that day,
/// its visits overdue by that day), never projected to its last day.
pub fn monthly_until(
    cases: &[Case],
    month: Month,
    programme: &Programme,
    until: NaiveDate,
) -> MonthlyReport {
    let start = month.first_day();
    let end = month.last_day().min(until.max(start));
    let before = start.checked_sub_days(Days::new(1)).unwrap_or(start);
    let mut agg = Aggregates::default();
    let mut children = Vec::new();
    let mut pending_days = Vec::new();

    for case in cases {
        // A second registration merged into the child's kept case is counted there, in every
        // month (its records were carried over): counted here too, the child would be two. A
        // case closed as registered in error was never a child of the programme: no month
        // counts it, not even those before the mistake was found.
        if case.rescue.returned_on > end || !case.status.is_a_child() {
            continue;
        }
        let at_start = case.as_of(before);
        let at_end = case.as_of(end);
        // A case closed before the month began is no longer followed.
        if at_start.status.state != CaseState::Active && case.rescue.returned_on <= before {
            continue;
        }
        agg.children_followed += 1;

        let visits_made = u32::try_from(
            case.visits
                .iter()
                .filter(|v| month.contains(v.date) && counted(v.kind))
                .count(),
        )
        .unwrap_or(u32::MAX);
        agg.visits_made += visits_made;
        let visit_overdue = at_end.is_active()
            && prompt::next_visit(&at_end, end, programme).is_some_and(|n| n.due < end)
            || at_end.is_active()
                && at_end.assessed_on().is_none()
                && case
                    .rescue
                    .returned_on
                    .checked_add_days(Days::new(u64::from(programme.assessment.due_within_days)))
                    .is_some_and(|due| due < end);
        if visit_overdue {
            agg.visits_missed += 1;
        }

        let age = case.age_on(end);
        if (programme.education.min_age..=programme.education.max_age).contains(&age)
            && at_end.is_active()
        {
            agg.school_age += 1;
            if matches!(
                at_end.need(Dimension::Education).status,
                Status::Enrolled | Status::EnrolledIrregular
            ) {
                agg.school_age_enrolled += 1;
            }
        }

        let mut new_entitlement = false;
        let mut new_insurance = false;
        for s in &case.services {
            let in_month = |d: Option<chrono::NaiveDate>| d.is_some_and(|d| month.contains(d));
            match s.dimension {
                ServiceDimension::Compensation => {
                    let c = &mut agg.compensation;
                    c.applied += u32::from(in_month(s.applied_on));
                    c.sanctioned += u32::from(in_month(s.sanctioned_on));
                    c.paid += u32::from(in_month(s.paid_on));
                    if let Some(applied) = s.applied_on.filter(|d| *d <= end)
                        && s.paid_on.is_none_or(|d| d > end)
                    {
                        c.pending += 1;
                        pending_days.push(u32::try_from((end - applied).num_days()).unwrap_or(0));
                    }
                }
                ServiceDimension::Entitlements => {
                    if in_month(s.paid_on) {
                        if programme
                            .scheme(&s.scheme)
                            .is_some_and(|sc| sc.health_insurance)
                        {
                            new_insurance = true;
                        } else {
                            new_entitlement = true;
                        }
                    }
                }
            }
        }
        agg.children_new_entitlement += u32::from(new_entitlement);
        agg.children_new_health_insurance += u32::from(new_insurance);

        // A linkage is a move into skills training or livelihood support during the month
        // (training then support counts once a month).
        let livelihood_start = at_start.need(Dimension::Livelihood).status;
        if case.need(Dimension::Livelihood).history.iter().any(|h| {
            month.contains(h.on)
                && matches!(h.status, Status::InTraining | Status::Linked)
                && h.status != livelihood_start
        }) {
            agg.livelihood_linkages += 1;
        }

        agg.harassment_incidents += u32::try_from(
            case.legal
                .incidents
                .iter()
                .filter(|i| month.contains(i.on))
                .count(),
        )
        .unwrap_or(u32::MAX);
        if matches!(
            case.status.state,
            CaseState::Missing | CaseState::Retrafficked
        ) && month.contains(case.status.since)
        {
            agg.missing_or_retrafficked += 1;
        }
        if case.status.state == CaseState::Closed && month.contains(case.status.since) {
            agg.closed += 1;
        }
        let all_settled = |c: &Case| {
            c.needs
                .iter()
                .all(|n| n.status.stability() == Stability::Settled)
        };
        if all_settled(&at_end) && !all_settled(&at_start) {
            agg.stabilised += 1;
        }

        let mut open_claims: Vec<OpenClaim> = at_end
            .services
            .iter()
            .filter_map(|s| {
                let applied_on = s.applied_on?;
                let (stage, _) = s.stage_on(end);
                (s.paid_on.is_none()).then(|| OpenClaim {
                    scheme: s.scheme.clone(),
                    dimension: s.dimension,
                    stage,
                    applied_on,
                    days_pending: u32::try_from((end - applied_on).num_days().max(0))
                        .unwrap_or(u32::MAX),
                    stuck_reason: s.stuck_reason.clone(),
                })
            })
            .collect();
        open_claims.sort_by(|a, b| (a.applied_on, &a.scheme).cmp(&(b.applied_on, &b.scheme)));
        let dimensions = Dimension::ALL
            .iter()
            .map(|d| {
                let need = case.need(*d);
                let end_need = at_end.need(*d);
                let settled = end_need.status.stability() == Stability::Settled;
                // A claim's need is pending since its oldest open claim was applied for, not
                // since the need's status was last set.
                let claimed = open_claims
                    .iter()
                    .filter(|c| match c.dimension {
                        crate::model::ServiceDimension::Compensation => {
                            *d == Dimension::Compensation
                        }
                        crate::model::ServiceDimension::Entitlements => {
                            *d == Dimension::Entitlements
                        }
                    })
                    .map(|c| c.applied_on)
                    .min();
                DimensionProgress {
                    dimension: *d,
                    at_start: at_start.need(*d).status,
                    at_end: end_need.status,
                    changes: month_changes(need, month, end, at_start.need(*d).status),
                    pending_since: (!settled).then(|| {
                        claimed.unwrap_or_else(|| {
                            end_need.status_since().unwrap_or(case.rescue.returned_on)
                        })
                    }),
                }
            })
            .collect();
        let next_steps = prompt::prompts(&at_end, end, programme);
        children.push(ChildProgress {
            case_id: case.id.clone(),
            name: case.child.name.clone(),
            district: case.child.address.district.clone(),
            block: case.child.address.block.clone(),
            village: case.child.address.village.clone(),
            state: at_end.status.state,
            risk: prompt::risk(&at_end, end, programme),
            dimensions,
            visits_made,
            visit_overdue,
            next_steps,
            agreed_next_steps: at_end
                .visits
                .iter()
                .rev()
                .find_map(|v| v.next_steps.clone()),
            open_claims,
            facts: month_facts(case, month, end),
            referrals: referrals::of_month(case, month, end),
        });
        referrals::count(case, month, end, &mut agg.referrals);
    }

    agg.school_age_enrolled_pct = (agg.school_age > 0)
        .then(|| (agg.school_age_enrolled * 100 + agg.school_age / 2) / agg.school_age);
    agg.compensation.median_days_pending = median(&mut pending_days);
    referrals::finish(&mut agg.referrals);
    children.sort_by(|a, b| {
        (&a.block, &a.village, &a.name, &a.case_id)
            .cmp(&(&b.block, &b.village, &b.name, &b.case_id))
    });
    MonthlyReport {
        month,
        as_of: end,
        aggregates: agg,
        children,
    }
}

/// The median of whole numbers (for an even count, the mean of the two middle values, rounded
/// down), `None` when empty.
pub fn median(values: &mut [u32]) -> Option<u32> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2
    } else {
        values[mid]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_strictly_and_know_their_bounds() {
        let m: Month = "2024-02".parse().expect("valid");
        assert_eq!(m.last_day().to_string(), "2024-02-29");
        assert_eq!(m.next().to_string(), "2024-03");
        assert_eq!(
            "2024-01".parse::<Month>().map(Month::prev),
            Ok(Month {
                year: 2023,
                month: 12
            })
        );
        for bad in ["2024-13", "2024-1", "24-01", "2024/01", "", "2024-00"] {
            let err = bad.parse::<Month>().expect_err(bad);
            assert!(err.to_string().contains(&format!("'{bad}'")), "{err}");
        }
    }

    #[test]
    fn the_median_averages_the_two_middle_values() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5]), Some(5));
        assert_eq!(median(&mut [9, 1, 5]), Some(5));
        assert_eq!(median(&mut [10, 1, 3, 20]), Some(6));
    }
}
