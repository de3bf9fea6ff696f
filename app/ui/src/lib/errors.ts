// The catalogue message (and its arguments) that words a refused command for a person.
import type { CommandError } from './api';

export interface Wording {
  id: string;
  args?: Record<string, number>;
}

/** Why a new PIN was refused, as the field core names it. */
export const PIN_PROBLEMS = ['too_short', 'not_digits', 'one_digit', 'sequence', 'pattern'] as const;

export function errorWording(e: CommandError): Wording {
  if (e.kind === 'weak_pin' && e.reason && (PIN_PROBLEMS as readonly string[]).includes(e.reason)) {
    return { id: `ui-err-weak_pin-${e.reason}` };
  }
  if ((e.kind === 'wrong_pin' || e.kind === 'try_later') && e.seconds !== null && e.seconds > 0) {
    return { id: e.kind === 'wrong_pin' ? 'ui-err-wrong_pin-wait' : 'ui-err-try_later', args: { seconds: e.seconds } };
  }
  return { id: `ui-err-${e.kind}` };
}

/** Whether the English detail would only repeat the words (or show a path nobody needs). */
export function detailHidden(e: CommandError): boolean {
  return ['wrong_pin', 'try_later', 'weak_pin', 'locked', 'erased', 'unverified_revocation'].includes(e.kind);
}
