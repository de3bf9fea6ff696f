// Claims (compensation and entitlements) and the documents checklist, as the phone records them:
// one open claim per scheme per child, the next stage of a claim, and which claims a missing
// document holds up. Pure and tested. Whether a claim is overdue or must be escalated is
// homeward-shared's rule (the prompts), not decided here.
import { dayProblem } from './dates';
import type { Case, Day, DocumentKind, DocumentState, Edit, Scheme, Service } from './types';

/** A claim is open until it is paid. */
export function isOpen(s: Service): boolean {
  return !s.paid_on;
}

/** The child's open claim for a scheme, if there is one: a second one is refused. */
export function openClaim(services: Service[], scheme: string): Service | null {
  return services.find((s) => s.scheme === scheme && isOpen(s)) ?? null;
}

/** The scheme's name in the screen's language, or the recorded text when it is not a scheme of the programme. */
export function schemeName(schemes: Scheme[], key: string): string {
  return schemes.find((s) => s.key === key)?.name ?? key;
}

const text = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/**
 * The edit that adds a claim for a scheme, or why not: `{ open }` names the open claim for the
 * same scheme (shown instead), a string is a message id.
 */
export function newClaim(
  services: Service[],
  scheme: Scheme,
  appliedOn: Day | null,
  today: Day,
  newId: () => string,
): Edit | { open: Service } | string {
  const open = openClaim(services, scheme.key);
  if (open) return { open };
  if (appliedOn !== null) {
    const problem = dayProblem(appliedOn, today);
    if (problem) return problem;
  }
  return {
    edit: 'add_service',
    id: newId(),
    dimension: scheme.dimension,
    scheme: scheme.key,
    applied_on: appliedOn,
    sanctioned_on: null,
    paid_on: null,
    amount: null,
    stuck_reason: null,
  };
}

export type Stage = 'applied' | 'sanctioned' | 'paid';

/** The stages a claim can move to next (a payment may come without a recorded sanction). */
export function nextStages(s: Service): Stage[] {
  if (s.paid_on) return [];
  if (s.sanctioned_on) return ['paid'];
  if (s.applied_on) return ['sanctioned', 'paid'];
  return ['applied'];
}

/**
 * Whether an application date comes before the child's rescue: allowed (a family may have
 * applied for a ration card long before), but worth a second look, so the form says so.
 */
export function beforeRescue(c: Case, appliedOn: Day | null): boolean {
  const rescued = c.rescue.rescued_on ?? null;
  return appliedOn !== null && rescued !== null && appliedOn < rescued;
}

/** The last date recorded on a claim: a later stage cannot come before it. */
export function lastDate(s: Service): Day | null {
  return s.paid_on ?? s.sanctioned_on ?? s.applied_on;
}

export interface Progress {
  stage: Stage | null;
  on: Day;
  amount: string;
  stuckReason: string;
}

/** The edit that records a claim's progress, or why not (a message id). */
export function progressEdit(s: Service, p: Progress, today: Day): Edit | string {
  const amount = p.amount.trim().replace(/[,\s₹]/g, '');
  if (amount && !/^\d{1,9}$/.test(amount)) return 'ui-err-amount';
  // The reason as typed: unchanged, it is not sent (null leaves it); emptied, '' clears it (the
  // claim is moving again).
  const typed = text(p.stuckReason);
  const unchanged = typed === (s.stuck_reason ?? null);
  const reason = unchanged ? null : (typed ?? '');
  if (!p.stage && !amount && unchanged) return 'ui-claim-nothing';
  if (p.stage) {
    const problem = dayProblem(p.on, today);
    if (problem) return problem;
    const last = lastDate(s);
    if (last && p.on < last) return 'ui-err-before-last';
  }
  return {
    edit: 'update_service',
    id: s.id,
    applied_on: p.stage === 'applied' ? p.on : null,
    sanctioned_on: p.stage === 'sanctioned' ? p.on : null,
    paid_on: p.stage === 'paid' ? p.on : null,
    amount: amount ? Number(amount) : null,
    stuck_reason: reason,
  };
}

/** A document's state on the checklist (absent means missing since return). */
export function documentState(c: Case, kind: DocumentKind): DocumentState {
  return c.documents[kind]?.state ?? 'missing';
}

/**
 * The schemes a missing document holds up: those that require it and for which no application
 * was made yet (an application already made is no longer blocked by a document).
 */
export function blockedBy(kind: DocumentKind, c: Case, schemes: Scheme[]): Scheme[] {
  if (documentState(c, kind) !== 'missing') return [];
  return schemes.filter(
    (s) => s.requires.includes(kind) && !c.services.some((v) => v.scheme === s.key && (v.applied_on || v.paid_on)),
  );
}

/** The edit that marks a document, or why not (a message id). */
export function documentEdit(kind: DocumentKind, state: DocumentState, on: Day, today: Day): Edit | string {
  const problem = dayProblem(on, today);
  if (problem) return problem;
  return { edit: 'set_document', kind, state, on };
}
