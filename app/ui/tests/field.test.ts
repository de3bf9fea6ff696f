import { describe, expect, it } from 'vitest';
import {
  assessmentEdit,
  assessmentSteps,
  blankVisit,
  caseNames,
  caseQuery,
  servicePending,
  stabilityOf,
  statusSince,
  summarise,
  visitEdit,
  visitProblem,
} from '../src/lib/field';
import type { CaseView, Dimension, DimensionStatuses, Prompt } from '../src/lib/types';
import { newId } from '../src/lib/ids';
import { DIMS, view } from './fixtures';

function ids() {
  let n = 0;
  return () => `id${++n}`;
}

describe('today', () => {
  it('counts urgent and overdue prompts', () => {
    const p = (priority: Prompt['priority'], due: string): Prompt => ({
      case_id: 'c',
      kind: 'visit_due',
      priority,
      due,
      dimension: null,
      subject: null,
      reason: '',
      why: { kind: 'unknown' },
    });
    expect(summarise([p('urgent', '2026-11-29'), p('normal', '2026-11-20'), p('high', '2026-11-28')], '2026-11-28')).toEqual({
      total: 3,
      urgent: 1,
      overdue: 1,
    });
    expect(summarise([], '2026-11-28')).toEqual({ total: 0, urgent: 0, overdue: 0 });
  });
});

describe('recording a visit', () => {
  it('sends only the needs that changed, with trimmed text and fresh ids', () => {
    const draft = { ...blankVisit('2026-11-28'), note: '  Ravi goes to school daily. ', changes: { education: 'enrolled' as const } };
    const edit = visitEdit(draft, ids());
    expect(edit).toEqual({
      edit: 'record_visit',
      visit: {
        id: 'id2',
        date: '2026-11-28',
        kind: 'follow-up',
        met: null,
        note: 'Ravi goes to school daily.',
        next_steps: null,
        summons_id: null,
        safety_checked: false,
      },
      updates: [{ id: 'id1', dimension: 'education', status: 'enrolled', note: null }],
    });
  });

  it('refuses a future or malformed date', () => {
    expect(visitProblem(blankVisit('2026-11-28'), '2026-11-28')).toBeNull();
    expect(visitProblem(blankVisit('2026-11-29'), '2026-11-28')).toBe('ui-err-future');
    expect(visitProblem(blankVisit(''), '2026-11-28')).toBe('ui-err-date');
  });
});

describe('the initial assessment', () => {
  it('steps through the needs not assessed yet', () => {
    expect(assessmentSteps(view())).toEqual(DIMS);
    expect(assessmentSteps(view({ education: 'enrolled', health: 'well' }))).toEqual(
      DIMS.filter((d) => d !== 'education' && d !== 'health'),
    );
  });

  it('records the assessment visit with the first step, then sets needs on its day', () => {
    const first = assessmentEdit(view(), 'education', 'not_enrolled', ' no school nearby ', '2026-11-28', ids());
    expect(first).toMatchObject({
      edit: 'record_visit',
      visit: { kind: 'initial-assessment', date: '2026-11-28' },
      updates: [{ dimension: 'education', status: 'not_enrolled', note: 'no school nearby' }],
    });
    const later = assessmentEdit(view({ education: 'not_enrolled' }, '2026-11-20'), 'health', 'well', '', '2026-11-28', ids());
    expect(later).toEqual({ edit: 'set_need', update: { id: 'id1', dimension: 'health', status: 'well', note: null }, on: '2026-11-20' });
  });
});

describe('case details', () => {
  it('tells how long a claim has waited at its stage', () => {
    const base = {
      id: 's',
      dimension: 'compensation' as const,
      scheme: 'Bihar Victim Compensation',
      applied_on: null,
      sanctioned_on: null,
      paid_on: null,
      amount: null,
      stuck_reason: null,
      recorded_by: { user_id: 'u1', name: 'Asha Devi' },
      recorded_at: '2026-09-01T10:00:00Z',
    };
    expect(servicePending(base, '2026-11-28')).toEqual({ stage: 'not_applied', days: null });
    expect(servicePending({ ...base, applied_on: '2026-08-30' }, '2026-11-28')).toEqual({ stage: 'applied', days: 90 });
    expect(servicePending({ ...base, applied_on: '2026-08-30', sanctioned_on: '2026-11-18' }, '2026-11-28')).toEqual({
      stage: 'sanctioned',
      days: 10,
    });
    expect(servicePending({ ...base, applied_on: '2026-08-30', paid_on: '2026-11-20' }, '2026-11-28').stage).toBe('paid');
  });

  it('dates a status from the first of its unbroken run', () => {
    expect(statusSince(view({ education: 'enrolled' }), 'education')).toBe('2026-10-01');
    expect(statusSince(view(), 'education')).toBeNull();
  });

  it('colours a status by the stability homeward-shared gives it', () => {
    const vocabulary: DimensionStatuses[] = [
      { dimension: 'education', statuses: [{ status: 'dropped_out', stability: 'critical' }, { status: 'enrolled', stability: 'settled' }] },
    ];
    expect(stabilityOf(vocabulary, 'education', 'dropped_out')).toBe('critical');
    expect(stabilityOf(vocabulary, 'education', 'enrolled')).toBe('settled');
    expect(stabilityOf(vocabulary, 'health', 'well')).toBe('unknown');
  });

  it('turns empty filters into "any"', () => {
    expect(caseQuery('  ', '', '')).toEqual([null, null, null]);
    expect(caseQuery(' Bakraur ', 'high', 'Bodh Gaya')).toEqual(['Bakraur', 'high', 'Bodh Gaya']);
  });

  it('makes 16-hex-digit ids like homeward-field', () => {
    expect(newId()).toMatch(/^[0-9a-f]{16}$/);
    expect(newId(() => new Uint8Array([0, 1, 2, 3, 4, 5, 6, 255]))).toBe('00010203040506ff');
  });
});

describe('spot checks', () => {
  it('words each anomaly from the catalogue with its evidence', async () => {
    const { anomalyMessage } = await import('../src/lib/field');
    const { message } = await import('../src/lib/catalogue');
    const [id, args] = anomalyMessage({ recorded_late: { days: 20 } });
    expect(id).toBe('spot-anomaly-recorded_late');
    expect(message('en', id, args)).toBe('recorded 20 days after the visit');
    expect(message('hi', id, args)).toBe('मुलाक़ात के 20 दिन बाद दर्ज');
    const [id2, args2] = anomalyMessage({ many_places_one_day: { villages: 3, blocks: 2 } });
    expect(message('en', id2, args2)).toBe('visits in 3 villages of 2 blocks on one day');
  });
});

describe('the case status', () => {
  it('needs a reason for anything but active, and no future date', async () => {
    const { statusEdit } = await import('../src/lib/field');
    expect(statusEdit('missing', '  ', '2026-11-28', '2026-11-28')).toBe('ui-status-reason');
    expect(statusEdit('missing', 'not at home for 3 visits', '2026-11-29', '2026-11-28')).toBe('ui-err-future');
    expect(statusEdit('missing', ' not at home for 3 visits ', '2026-11-20', '2026-11-28')).toEqual({
      edit: 'set_status',
      state: 'missing',
      reason: 'not at home for 3 visits',
      since: '2026-11-20',
      closure: null,
    });
    expect(statusEdit('active', '', '2026-11-28', '2026-11-28')).toEqual({
      edit: 'set_status',
      state: 'active',
      reason: null,
      since: '2026-11-28',
      closure: null,
    });
  });

  it('closes a case saying why, and keeps a closure reason on a closure only', async () => {
    const { statusEdit } = await import('../src/lib/field');
    expect(statusEdit('closed', 'stable for six months', '2026-11-28', '2026-11-28')).toBe('ui-closure-choose');
    expect(statusEdit('closed', ' ', '2026-11-28', '2026-11-28', 'registered_in_error')).toBe('ui-status-reason');
    expect(statusEdit('closed', 'a test entry', '2026-11-28', '2026-11-28', 'registered_in_error')).toEqual({
      edit: 'set_status',
      state: 'closed',
      reason: 'a test entry',
      since: '2026-11-28',
      closure: 'registered_in_error',
    });
    expect(statusEdit('closed', 'stable for six months', '2026-11-28', '2026-11-28', 'follow_up_ended')).toMatchObject({
      closure: 'follow_up_ended',
    });
    expect(statusEdit('active', 'found again', '2026-11-28', '2026-11-28', 'registered_in_error')).toMatchObject({
      state: 'active',
      closure: null,
    });
  });
});

describe('caseNames', () => {
  it("names a merged case by its child when the phone holds it, else by its id", () => {
    const names = { 'c1-2': 'Priyaa Das' };
    expect(caseNames(['c1-2'], names)).toBe('Priyaa Das');
    expect(caseNames(['c9'], names)).toBe('c9');
    expect(caseNames(['c1-2', 'c9'], names)).toBe('Priyaa Das, c9');
  });
});
