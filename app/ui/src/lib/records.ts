// The child's school, family and risk override as the phone records them. Pure and tested: each
// function builds the `Edit` from a form, or names what is missing (a message id).
import { dayProblem } from './dates';
import type { Day, Edit, Education, Risk, Schooling } from './types';

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
