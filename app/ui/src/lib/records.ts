// The child's school, family and risk override as the phone records them. Pure and tested: each
// function builds the `Edit` from a form, or names what is missing (a message id).
import { dayProblem } from './dates';
import type { Day, Edit, Education, MoveRequest, Risk, Schooling } from './types';

const text = (s: string): string | null => (s.trim() === '' ? null : s.trim());

export interface SchoolDraft {
  kind: Schooling | null;
  institution: string;
  class: string;
  enrolled: boolean;
  enrolledOn: Day;
  attendance: string;
}

export function schoolDraft(e: Education, today: Day): SchoolDraft {
  return {
    kind: e.kind,
    institution: e.institution ?? '',
    class: e.class ?? '',
    enrolled: e.enrolled_on !== null,
    enrolledOn: e.enrolled_on ?? today,
    attendance: e.attendance ?? '',
  };
}

export function schoolEdit(d: SchoolDraft, today: Day): Edit | string {
  if (!d.kind) return 'ui-school-kind-needed';
  if (!text(d.institution)) return 'ui-school-name-needed';
  if (d.enrolled) {
    const problem = dayProblem(d.enrolledOn, today);
    if (problem) return problem;
  }
  return {
    edit: 'set_education',
    kind: d.kind,
    institution: text(d.institution),
    class: text(d.class),
    enrolled_on: d.enrolled ? d.enrolledOn : null,
    attendance: text(d.attendance),
  };
}

/** A phone number as people write it: digits, spaces and dashes, an optional leading +. */
export const PHONE = /^[+\d][\d \-]{6,}$/;

export function caregiverEdit(name: string, relation: string, phone: string): Edit | string {
  if (!text(name)) return 'ui-caregiver-name-needed';
  if (text(phone) && !PHONE.test(phone.trim())) return 'ui-err-phone';
  return { edit: 'set_caregiver', name: name.trim(), relation: text(relation) ?? '-', phone: text(phone) };
}

/** Overriding the computed risk needs a reason; clearing the override does not. */
export function riskEdit(level: Risk | null, reason: string): Edit | string {
  if (level && !text(reason)) return 'ui-risk-reason-needed';
  return { edit: 'override_risk', level, reason: reason.trim() };
}

/** Where a family moved, as the fieldworker writes it; `on` defaults to today. */
export interface MoveDraft {
  district: string;
  block: string;
  village: string;
  reason: string;
  on: Day;
}

export function moveDraft(today: Day): MoveDraft {
  return { district: '', block: '', village: '', reason: '', on: today };
}

/**
 * The request to move the case where the family now lives (the supervisor decides on the
 * dashboard). The place is typed: the family may have gone outside the user's areas.
 */
export function moveEdit(d: MoveDraft, today: Day): Edit | string {
  if (![d.district, d.block, d.village, d.reason].every((s) => text(s))) return 'ui-move-needed';
  const problem = dayProblem(d.on, today);
  if (problem) return problem;
  return {
    edit: 'request_transfer',
    district: d.district.trim(),
    block: d.block.trim(),
    village: d.village.trim(),
    reason: d.reason.trim(),
    on: d.on,
  };
}

/** "Village, block, district" of a move request. */
export function movePlace(m: Pick<MoveRequest, 'village' | 'block' | 'district'>): string {
  return [m.village, m.block, m.district].join(', ');
}
