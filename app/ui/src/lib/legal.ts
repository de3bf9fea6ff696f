// The court case as the phone records it: the case reference and court, the lawyer's
// authorisation, summonses and the outcome of each hearing, harassment incidents. Pure and
// tested: each function builds an `Edit` from what was tapped, or names what is missing.
import { dayProblem } from './dates';
import type { Case, Day, Edit, HearingMode, HearingResult, Summons } from './types';

const text = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/** A hearing still to be held or reported: no outcome recorded for it yet. */
export function isPending(s: Summons): boolean {
  return !s.outcome;
}

/** Hearings still to come (today or later): the ones to discuss with the family on a visit. */
export function summonsesAhead(c: Case, today: Day): Summons[] {
  return c.legal.summonses.filter((s) => isPending(s) && s.hearing_on >= today);
}

/** Whether the hearing's day has come with no outcome recorded yet. */
export function outcomeDue(s: Summons, today: Day): boolean {
  return isPending(s) && s.hearing_on <= today;
}

export interface SummonsDraft {
  receivedOn: Day;
  hearingOn: Day;
  mode: HearingMode | null;
}

export function summonsEdit(d: SummonsDraft, today: Day, newId: () => string): Edit | string {
  const problem = dayProblem(d.receivedOn, today) ?? dayProblem(d.hearingOn);
  if (problem) return problem;
  if (d.hearingOn < d.receivedOn) return 'ui-err-hearing-before-summons';
  // The form starts both dates on today: a hearing on the day the summons came is the date
  // left unchanged, not a real hearing.
  if (d.hearingOn === d.receivedOn) return 'ui-hearing-date-needed';
  return { edit: 'add_summons', id: newId(), received_on: d.receivedOn, hearing_on: d.hearingOn, mode: d.mode };
}

export interface HearingDraft {
  heldOn: Day;
  outcome: HearingResult | null;
  /** A missed hearing may have a new date set; an adjourned one always has. */
  nextSet: boolean;
  /** Empty until chosen: no default could be right. */
  nextOn: Day;
  note: string;
}

/**
 * The hearing's outcome: an adjournment needs its next date, a hearing not attended needs why.
 * `newId` names the next hearing, which homeward-shared appends as a summons of its own.
 */
export function hearingEdit(s: Summons, d: HearingDraft, today: Day, newId: () => string): Edit | string {
  if (!d.outcome) return 'ui-hearing-choose';
  const problem = dayProblem(d.heldOn, today);
  if (problem) return problem;
  if (d.heldOn < s.received_on) return 'ui-err-hearing-before-summons';
  let next: Day | null = null;
  if (d.outcome === 'adjourned' || (d.outcome === 'not-attended' && d.nextSet)) {
    if (!d.nextOn) return 'ui-next-hearing-needed';
    const p = dayProblem(d.nextOn);
    if (p) return p;
    if (d.nextOn <= d.heldOn) return 'ui-err-next-hearing';
    next = d.nextOn;
  }
  const note = text(d.note);
  if (d.outcome === 'not-attended' && !note) return 'ui-hearing-why';
  return { edit: 'record_hearing', id: newId(), summons_id: s.id, held_on: d.heldOn, outcome: d.outcome, next_hearing_on: next, note };
}

export interface LegalDraft {
  ref: string;
  court: string;
  authorised: boolean;
  authorisedOn: Day;
  authorisedBy: string;
}

/**
 * The case reference, the court and the lawyer's authorisation. Empty text leaves a field as it
 * is (`null`), as the edit does; an authorisation needs who gave it.
 */
export function legalEdit(c: Case, d: LegalDraft, today: Day): Edit | string {
  let on: Day | null = null;
  let by: string | null = null;
  if (d.authorised) {
    const problem = dayProblem(d.authorisedOn, today);
    if (problem) return problem;
    by = text(d.authorisedBy);
    if (!by) return 'ui-legal-by-needed';
    on = d.authorisedOn;
  }
  const ref = text(d.ref);
  const court = text(d.court);
  const same =
    ref === (c.legal.court_case_ref ?? null) &&
    court === (c.legal.court ?? null) &&
    (on === null || (on === c.legal.lawyer_authorised_on && by === c.legal.lawyer_authorised_by));
  if (same || (!ref && !court && !on)) return 'ui-nothing-changed';
  return { edit: 'set_legal', court_case_ref: ref, court, lawyer_authorised_on: on, lawyer_authorised_by: by };
}

export interface IncidentDraft {
  on: Day;
  what: string;
  policeInformed: boolean;
}

export function incidentEdit(d: IncidentDraft, today: Day, newId: () => string): Edit | string {
  const problem = dayProblem(d.on, today);
  if (problem) return problem;
  const what = text(d.what);
  if (!what) return 'ui-incident-what-needed';
  return { edit: 'add_incident', id: newId(), on: d.on, what, police_informed: d.policeInformed };
}

/** Later news that the police were told of an incident. */
export function policeInformedEdit(id: string): Edit {
  return { edit: 'update_incident', id, police_informed: true };
}
