// The resource map and referrals as the screens show and record them (issue 17), pure and
// tested: a resource's eligibility in words, the search form as the command takes it, where a
// referral stands, the next steps it offers and the edit each one makes. Which needs call for
// outside help and which resources a child's block suggests are homeward-shared's rules (the
// `case_help` and `suggested_resources` commands answer them); nothing here decides them.
import { message } from './catalogue';
import { dayProblem } from './dates';
import type {
  Case,
  Day,
  Dimension,
  Edit,
  Lang,
  Referral,
  ReferralState,
  Resource,
  ResourceKind,
  ResourceQuery,
  Suggested,
} from './types';

/** Every kind of resource, in the map's display order (homeward-shared's `ResourceKind::ALL`). */
export const RESOURCE_KINDS: ResourceKind[] = [
  'livelihood',
  'skills-training',
  'special-education',
  'school',
  'health',
  'counselling',
  'legal-aid',
  'government-office',
];

/** The needs a resource answers (homeward-shared's `kinds_for` covers each), for the search. */
export const HELP_NEEDS: Dimension[] = [
  'education',
  'livelihood',
  'health',
  'legal',
  'compensation',
  'entitlements',
  'documents',
];

/** The search form as the `resources` command takes it: an empty field asks nothing. */
export function resourceQuery(
  text: string,
  block: string,
  kind: string,
  need: string,
  includeInactive = false,
): ResourceQuery {
  return {
    text: text.trim() || null,
    block: block || null,
    kind: (kind || null) as ResourceKind | null,
    need: (need || null) as Dimension | null,
    include_inactive: includeInactive,
  };
}

/** Who a resource takes, in words: its ages and sex, or "open to all". */
export function eligibility(r: Pick<Resource, 'min_age' | 'max_age' | 'sex'>, lang: Lang): string {
  const parts: string[] = [];
  if (r.min_age !== null && r.max_age !== null) {
    parts.push(message(lang, 'ui-resource-ages', { min: r.min_age, max: r.max_age }));
  } else if (r.min_age !== null) {
    parts.push(message(lang, 'ui-resource-age-from', { min: r.min_age }));
  } else if (r.max_age !== null) {
    parts.push(message(lang, 'ui-resource-age-to', { max: r.max_age }));
  }
  if (r.sex) parts.push(message(lang, `ui-resource-only-${r.sex}`));
  return parts.length > 0 ? parts.join(' · ') : message(lang, 'ui-resource-everyone');
}

/**
 * Where a referral stands at the end of `day` and the day it got there: the last step recorded
 * by then, else referred on its own day. The same reading as homeward-shared's
 * `Referral::state_on` (steps come ordered by day, then recording time).
 */
export function referralStanding(r: Referral, day: Day): { state: ReferralState; since: Day } {
  const steps = r.steps.filter((s) => s.on <= day);
  const last = steps.at(-1);
  return last ? { state: last.state, since: last.on } : { state: 'referred', since: r.on };
}

/** Whether a referral still waits for an outcome (referred or accepted). */
export function isOpen(state: ReferralState): boolean {
  return state === 'referred' || state === 'accepted';
}

/**
 * The steps a fieldworker can record next: while the referral waits, what came of it (accepted
 * only while it is still just referred); once it has its outcome, nothing.
 */
export function nextSteps(state: ReferralState): ReferralState[] {
  if (state === 'referred') return ['accepted', 'served', 'refused', 'no-response'];
  if (state === 'accepted') return ['served', 'refused', 'no-response'];
  return [];
}

/** The case's referrals, the most recent first (by day, then as recorded). */
export function referralsNewestFirst(c: Pick<Case, 'referrals'>): Referral[] {
  return [...c.referrals].reverse().sort((a, b) => b.on.localeCompare(a.on));
}

/**
 * Why a referral cannot be recorded on `on` (a message id), or null. The `refer` command takes
 * the resource's kind and name from the map held on the phone, so the window sends only its id.
 */
export function referProblem(on: Day, today: Day): string | null {
  return dayProblem(on, today);
}

/**
 * The edit that records a step of a referral, or the message id of what is wrong: a day in the
 * future or before the referral was made, a refusal without why (the store refuses the same).
 */
export function stepEdit(
  r: Referral,
  state: ReferralState,
  on: Day,
  note: string,
  today: Day,
  newId: () => string,
): Edit | string {
  const problem = dayProblem(on, today);
  if (problem) return problem;
  if (on < r.on) return 'ui-referral-before-made';
  const why = note.trim();
  if (state === 'refused' && !why) return 'ui-referral-refused-why';
  return { edit: 'update_referral', id: newId(), referral_id: r.id, state, on, note: why || null };
}

/** The prompts that ask for outside help: the `today` command counts the map's suggestions for them. */
export const HELP_PROMPTS = ['health_care', 'livelihood_support', 'school_enrolment'];

/**
 * How many resources the map suggests for a prompt that asks for outside help, or null: another
 * kind of prompt, or no count for it (no map held yet).
 */
export function suggestedCount(
  suggested: Suggested[],
  caseId: string,
  dimension: Dimension | null,
  kind: string,
): number | null {
  if (!dimension || !HELP_PROMPTS.includes(kind)) return null;
  return suggested.find((s) => s.case_id === caseId && s.dimension === dimension)?.count ?? null;
}

/** The referral a Today group opens: that of the child's first follow-up prompt, if any. */
export function referralToOpen(prompts: { kind: string; subject: string | null }[]): string | null {
  return prompts.find((p) => p.kind === 'follow_up_referral' && p.subject)?.subject ?? null;
}
