import { describe, expect, it } from 'vitest';
import { beforeRescue, blockedBy, documentEdit, newClaim, nextStages, openClaim, progressEdit, schemeName } from '../src/lib/claims';
import type { Case, Scheme, Service } from '../src/lib/types';
import { view } from './fixtures';

const TODAY = '2026-11-28';
const SCHEMES: Scheme[] = [
  { key: 'victim_compensation', dimension: 'compensation', name: 'पीड़ित मुआवज़ा', requires: ['fir', 'bank_account', 'identity_card'] },
  { key: 'child_labour_rehabilitation', dimension: 'compensation', name: 'बाल श्रम पुनर्वास', requires: ['release_certificate', 'bank_account'] },
  { key: 'ration_card', dimension: 'entitlements', name: 'राशन कार्ड', requires: ['identity_card'] },
];

function claim(s: Partial<Service>): Service {
  return {
    id: 's1',
    dimension: 'compensation',
    scheme: 'victim_compensation',
    applied_on: null,
    sanctioned_on: null,
    paid_on: null,
    amount: null,
    stuck_reason: null,
    recorded_by: { user_id: 'u1', name: 'Asha Devi' },
    recorded_at: '2026-09-01T10:00:00Z',
    ...s,
  };
}

const ids = () => {
  let n = 0;
  return () => `id${++n}`;
};

describe('claims', () => {
  it('allow one open claim per scheme: a second is refused with the first one shown', () => {
    const first = claim({ applied_on: '2026-08-20' });
    expect(openClaim([first], 'victim_compensation')).toBe(first);
    expect(newClaim([first], SCHEMES[0], null, TODAY, ids())).toEqual({ open: first });
    // Another scheme is fine, and so is a new claim once the first is paid.
    expect(newClaim([first], SCHEMES[2], null, TODAY, ids())).toMatchObject({ edit: 'add_service', scheme: 'ration_card', dimension: 'entitlements' });
    const paid = claim({ applied_on: '2026-01-02', sanctioned_on: '2026-03-01', paid_on: '2026-05-01' });
    expect(openClaim([paid], 'victim_compensation')).toBeNull();
    expect(newClaim([paid], SCHEMES[0], '2026-08-20', TODAY, ids())).toEqual({
      edit: 'add_service',
      id: 'id1',
      dimension: 'compensation',
      scheme: 'victim_compensation',
      applied_on: '2026-08-20',
      sanctioned_on: null,
      paid_on: null,
      amount: null,
      stuck_reason: null,
    });
  });

  it('refuse an application date in the future or before 2000', () => {
    expect(newClaim([], SCHEMES[0], '2026-11-29', TODAY, ids())).toBe('ui-err-future');
    expect(newClaim([], SCHEMES[0], '1999-01-01', TODAY, ids())).toBe('ui-err-before-2000');
  });

  it('move a claim to its next stage on a date not before the last one', () => {
    expect(nextStages(claim({}))).toEqual(['applied']);
    expect(nextStages(claim({ applied_on: '2026-08-20' }))).toEqual(['sanctioned', 'paid']);
    expect(nextStages(claim({ applied_on: '2026-08-20', sanctioned_on: '2026-10-01' }))).toEqual(['paid']);
    const applied = claim({ applied_on: '2026-08-20' });
    expect(progressEdit(applied, { stage: 'sanctioned', on: TODAY, amount: '₹1,00,000', stuckReason: '' }, TODAY)).toEqual({
      edit: 'update_service',
      id: 's1',
      applied_on: null,
      sanctioned_on: TODAY,
      paid_on: null,
      amount: 100000,
      stuck_reason: null,
    });
    expect(progressEdit(applied, { stage: 'sanctioned', on: '2026-08-01', amount: '', stuckReason: '' }, TODAY)).toBe('ui-err-before-last');
    expect(progressEdit(applied, { stage: 'paid', on: '2026-11-29', amount: '', stuckReason: '' }, TODAY)).toBe('ui-err-future');
    expect(progressEdit(applied, { stage: null, on: TODAY, amount: 'lots', stuckReason: '' }, TODAY)).toBe('ui-err-amount');
    expect(progressEdit(applied, { stage: null, on: TODAY, amount: '', stuckReason: '' }, TODAY)).toBe('ui-claim-nothing');
    expect(progressEdit(applied, { stage: null, on: TODAY, amount: '', stuckReason: ' bank account missing ' }, TODAY)).toMatchObject({
      applied_on: null,
      stuck_reason: 'bank account missing',
    });
    // A stuck claim's reason emptied in the form clears it; left as it was, it is not sent.
    const stuck = claim({ applied_on: '2026-08-20', stuck_reason: 'bank account missing' });
    expect(progressEdit(stuck, { stage: null, on: TODAY, amount: '', stuckReason: '' }, TODAY)).toMatchObject({
      stuck_reason: '',
    });
    expect(progressEdit(stuck, { stage: 'sanctioned', on: TODAY, amount: '', stuckReason: 'bank account missing' }, TODAY)).toMatchObject({
      sanctioned_on: TODAY,
      stuck_reason: null,
    });
    expect(progressEdit(stuck, { stage: null, on: TODAY, amount: '', stuckReason: 'bank account missing' }, TODAY)).toBe(
      'ui-claim-nothing',
    );
  });

  it('warn, without refusing, of an application dated before the rescue', () => {
    const c = { rescue: { rescued_on: '2026-06-10', returned_on: '2026-07-01' } } as unknown as Case;
    expect(beforeRescue(c, '2026-05-01')).toBe(true);
    expect(beforeRescue(c, '2026-06-10')).toBe(false);
    expect(beforeRescue(c, null)).toBe(false);
    const unknown = { rescue: { rescued_on: null, returned_on: '2026-07-01' } } as unknown as Case;
    expect(beforeRescue(unknown, '2026-05-01')).toBe(false);
  });

  it('name a scheme in the screen language, or show free text as recorded', () => {
    expect(schemeName(SCHEMES, 'ration_card')).toBe('राशन कार्ड');
    expect(schemeName(SCHEMES, 'Widow pension')).toBe('Widow pension');
  });
});

describe('the documents checklist', () => {
  it('shows the claims a missing document holds up, until applied for', () => {
    const v = view();
    expect(blockedBy('bank_account', v.case, SCHEMES).map((s) => s.key)).toEqual(['victim_compensation', 'child_labour_rehabilitation']);
    expect(blockedBy('identity_card', v.case, SCHEMES).map((s) => s.key)).toEqual(['victim_compensation', 'ration_card']);
    expect(blockedBy('care_plan', v.case, SCHEMES)).toEqual([]);
    v.case.services = [claim({ applied_on: '2026-08-20' })];
    expect(blockedBy('bank_account', v.case, SCHEMES).map((s) => s.key)).toEqual(['child_labour_rehabilitation']);
    v.case.documents.bank_account = { state: 'received', on: '2026-11-01', by: null };
    expect(blockedBy('bank_account', v.case, SCHEMES)).toEqual([]);
  });

  it('marks a document on a day not in the future', () => {
    expect(documentEdit('bank_account', 'received', TODAY, TODAY)).toEqual({ edit: 'set_document', kind: 'bank_account', state: 'received', on: TODAY });
    expect(documentEdit('bank_account', 'verified', '2026-11-30', TODAY)).toBe('ui-err-future');
  });
});
