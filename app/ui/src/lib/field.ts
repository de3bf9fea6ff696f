// What the screens compute from the commands' answers, pure and tested: today's counts, the
// edits a visit or an assessment step makes, days pending. The rules themselves (risk, prompts,
// schedules) stay in homeward-shared; nothing here decides what a child needs.
import { dayProblem } from './dates';
import { daysBetween } from './format';
import type {
  Anomaly,
  CaseState,
  CaseView,
  ClosureReason,
  Day,
  Dimension,
  DimensionStatuses,
  Edit,
  NeedUpdate,
  Prompt,
  Service,
  Stability,
  Status,
  VisitKind,
} from './types';

export interface TodaySummary {
  total: number;
  urgent: number;
  overdue: number;
}

export function summarise(prompts: Prompt[], day: Day): TodaySummary {
  return {
    total: prompts.length,
    urgent: prompts.filter((p) => p.priority === 'urgent').length,
    overdue: prompts.filter((p) => p.due < day).length,
  };
}

/** How settled a status is, from the vocabulary homeward-shared gives ('unknown' if absent). */
export function stabilityOf(vocabulary: DimensionStatuses[], dimension: Dimension, status: Status): Stability {
  const dim = vocabulary.find((d) => d.dimension === dimension);
  return dim?.statuses.find((s) => s.status === status)?.stability ?? 'unknown';
}

export interface VisitDraft {
  date: Day;
  kind: VisitKind;
  met: string;
  note: string;
  nextSteps: string;
  /** Only the needs whose status changed during the visit. */
  changes: Partial<Record<Dimension, Status>>;
  /** The summons discussed with the family (one per visit, as the edit records it). */
  summonsId: string | null;
  /** The child's safety was checked (offered when the case has a harassment incident). */
  safetyChecked: boolean;
}

export function blankVisit(day: Day): VisitDraft {
  return { date: day, kind: 'follow-up', met: '', note: '', nextSteps: '', changes: {}, summonsId: null, safetyChecked: false };
}

function text(s: string): string | null {
  const t = s.trim();
  return t === '' ? null : t;
}

/** Why a draft cannot be saved (a message id), or null. */
export function visitProblem(draft: VisitDraft, today: Day): string | null {
  return dayProblem(draft.date, today);
}

/** The edit that records a visit with the needs that changed. */
export function visitEdit(draft: VisitDraft, newId: () => string): Edit {
  const updates: NeedUpdate[] = Object.entries(draft.changes).map(([dimension, status]) => ({
    id: newId(),
    dimension: dimension as Dimension,
    status: status as Status,
    note: null,
  }));
  return {
    edit: 'record_visit',
    visit: {
      id: newId(),
      date: draft.date,
      kind: draft.kind,
      met: text(draft.met),
      note: text(draft.note),
      next_steps: text(draft.nextSteps),
      summons_id: draft.summonsId,
      safety_checked: draft.safetyChecked,
    },
    updates,
  };
}

/** The dimensions an assessment still has to cover: those not assessed yet. */
export function assessmentSteps(view: CaseView): Dimension[] {
  return view.case.needs.filter((n) => n.status === 'not_assessed').map((n) => n.dimension);
}

/**
 * The edit one assessment step saves, at once (so a step is never lost and the assessment can
 * be left and resumed): the first step records the initial-assessment visit itself, later steps
 * set the need on the assessment's day.
 */
export function assessmentEdit(
  view: CaseView,
  dimension: Dimension,
  status: Status,
  note: string,
  day: Day,
  newId: () => string,
): Edit {
  const update: NeedUpdate = { id: newId(), dimension, status, note: text(note) };
  const assessment = view.case.visits.find((v) => v.kind === 'initial-assessment');
  if (assessment) return { edit: 'set_need', update, on: assessment.date };
  return {
    edit: 'record_visit',
    visit: {
      id: newId(),
      date: day,
      kind: 'initial-assessment',
      met: null,
      note: null,
      next_steps: null,
      summons_id: null,
      safety_checked: false,
    },
    updates: [update],
  };
}

/** Where a claim stands and for how long it has waited. */
export function servicePending(s: Service, today: Day): { stage: string; days: number | null } {
  if (s.paid_on) return { stage: 'paid', days: null };
  if (s.sanctioned_on) return { stage: 'sanctioned', days: daysBetween(s.sanctioned_on, today) };
  if (s.applied_on) return { stage: 'applied', days: daysBetween(s.applied_on, today) };
  return { stage: 'not_applied', days: null };
}

/** Since when a need has had its current status. */
export function statusSince(view: CaseView, dimension: Dimension): Day | null {
  const need = view.case.needs.find((n) => n.dimension === dimension);
  if (!need || need.history.length === 0) return null;
  const last = need.history[need.history.length - 1];
  let since = last.on;
  for (let i = need.history.length - 1; i >= 0 && need.history[i].status === last.status; i--) {
    since = need.history[i].on;
  }
  return since;
}

/** Case-list filters in the form the command takes: empty means "any". */
export function caseQuery(search: string, risk: string, block: string): [string | null, string | null, string | null] {
  return [text(search), risk || null, block || null];
}

/** An anomaly as a message id and its arguments. */
export function anomalyMessage(a: Anomaly): [string, Record<string, number>] {
  const [kind, args] = Object.entries(a)[0] as [string, Record<string, number>];
  return [`spot-anomaly-${kind}`, args];
}

/** The states a fieldworker can put a case in from the phone (a transfer is the server's). */
export const CASE_STATES: CaseState[] = ['missing', 'retrafficked', 'closed', 'active'];

/**
 * Why a case is closed, in the reports' terms: a case registered in error is no child of the
 * programme and no report counts it.
 */
export const CLOSURE_REASONS: ClosureReason[] = ['follow_up_ended', 'registered_in_error'];

/**
 * The message id of a case's standing on the Case screen, or null for an active case: a
 * closure no review has decided yet (`closure_pending`, from the server's reference data) says
 * it waits for the Core Team's review.
 */
export function standingKey(view: CaseView): string | null {
  const s = view.case.status;
  if (s.state === 'active') return null;
  const inError = s.state === 'closed' && s.closure === 'registered_in_error';
  if (s.state === 'closed' && view.closure_pending) {
    return inError ? 'ui-closure-pending-in-error' : 'ui-closure-pending';
  }
  return inError ? 'state-closed-in-error' : `state-${s.state}`;
}

/**
 * The edit that changes a case's status, or the message id of what is missing. A closure says
 * why (`closure`); any other state carries none.
 */
export function statusEdit(
  state: CaseState,
  reason: string,
  since: Day,
  today: Day,
  closure: ClosureReason | null = null,
): Edit | string {
  const problem = dayProblem(since, today);
  if (problem) return problem;
  if (state === 'closed' && !closure) return 'ui-closure-choose';
  const why = text(reason);
  if (state !== 'active' && !why) return 'ui-status-reason';
  return { edit: 'set_status', state, reason: why, since, closure: state === 'closed' ? closure : null };
}

/**
 * How the Case screen names the cases a merge joined to this one: each child's name when this
 * phone holds that case (`names`, by case id), else the case id, the only thing known of it.
 */
export function caseNames(ids: string[], names: Record<string, string>): string {
  return ids.map((id) => names[id] ?? id).join(', ');
}
