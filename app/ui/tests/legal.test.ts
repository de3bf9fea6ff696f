import { describe, expect, it } from 'vitest';
import { hearingEdit, incidentEdit, isPending, legalEdit, outcomeDue, policeInformedEdit, summonsEdit, summonsesAhead } from '../src/lib/legal';
import type { HearingOutcome, Summons } from '../src/lib/types';
import { view } from './fixtures';

const TODAY = '2026-11-28';
const ids = () => {
  let n = 0;
  return () => `id${++n}`;
};
const by = { user_id: 'u', name: 'U' };

function summons(hearing_on: string, outcome: Partial<HearingOutcome> | null = null, id = 'sm1'): Summons {
  return {
    id,
    received_on: '2026-11-01',
    hearing_on,
    mode: 'video',
    follows: null,
    outcome: outcome && {
      held_on: hearing_on,
      result: 'adjourned',
      next_hearing_on: null,
      note: null,
      recorded_by: by,
      recorded_at: '2026-11-20T10:00:00Z',
      ...outcome,
    },
    recorded_by: by,
    recorded_at: '2026-11-01T10:00:00Z',
  };
}

describe('summonses and hearings', () => {
  it('know which hearings are still ahead and which wait for their outcome', () => {
    const v = view();
    v.case.legal.summonses = [
      summons('2026-12-10'),
      summons('2026-11-20', { result: 'adjourned', next_hearing_on: '2027-01-15' }, 'sm2'),
      { ...summons('2027-01-15', null, 'sm3'), follows: 'sm2' },
      summons('2026-11-25', null, 'sm4'),
    ];
    expect(summonsesAhead(v.case, TODAY).map((s) => s.id)).toEqual(['sm1', 'sm3']);
    expect(v.case.legal.summonses.filter((s) => outcomeDue(s, TODAY)).map((s) => s.id)).toEqual(['sm4']);
    expect(isPending(v.case.legal.summonses[1])).toBe(false);
  });

  it('records a summons received by today with a hearing after it', () => {
    expect(summonsEdit({ receivedOn: TODAY, hearingOn: '2026-12-18', mode: 'video' }, TODAY, ids())).toEqual({
      edit: 'add_summons',
      id: 'id1',
      received_on: TODAY,
      hearing_on: '2026-12-18',
      mode: 'video',
    });
    expect(summonsEdit({ receivedOn: '2026-11-29', hearingOn: '2026-12-18', mode: null }, TODAY, ids())).toBe('ui-err-future');
    expect(summonsEdit({ receivedOn: TODAY, hearingOn: '2026-11-20', mode: null }, TODAY, ids())).toBe('ui-err-hearing-before-summons');
    // Both dates start on today: left so, the hearing date was not chosen.
    expect(summonsEdit({ receivedOn: TODAY, hearingOn: TODAY, mode: null }, TODAY, ids())).toBe('ui-hearing-date-needed');
  });

  it("records a hearing's outcome: an adjournment needs its date, an absence needs why", () => {
    const s = summons('2026-11-20');
    const d = { heldOn: '2026-11-20', outcome: null, nextSet: false, nextOn: TODAY, note: '' };
    expect(hearingEdit(s, d, TODAY, ids())).toBe('ui-hearing-choose');
    expect(hearingEdit(s, { ...d, outcome: 'adjourned', nextOn: '' }, TODAY, ids())).toBe('ui-next-hearing-needed');
    expect(hearingEdit(s, { ...d, outcome: 'adjourned', nextOn: '2026-11-20' }, TODAY, ids())).toBe('ui-err-next-hearing');
    expect(hearingEdit(s, { ...d, outcome: 'adjourned', nextOn: '2027-01-15' }, TODAY, ids())).toEqual({
      edit: 'record_hearing',
      id: 'id1',
      summons_id: 'sm1',
      held_on: '2026-11-20',
      outcome: 'adjourned',
      next_hearing_on: '2027-01-15',
      note: null,
    });
    expect(hearingEdit(s, { ...d, outcome: 'not-attended' }, TODAY, ids())).toBe('ui-hearing-why');
    expect(hearingEdit(s, { ...d, outcome: 'not-attended', note: 'no money for the bus' }, TODAY, ids())).toMatchObject({
      outcome: 'not-attended',
      next_hearing_on: null,
      note: 'no money for the bus',
    });
    // A missed hearing may come with the new date the court set.
    expect(hearingEdit(s, { ...d, outcome: 'not-attended', note: 'ill', nextSet: true, nextOn: '2027-02-01' }, TODAY, ids())).toMatchObject({
      next_hearing_on: '2027-02-01',
    });
    expect(hearingEdit(s, { ...d, outcome: 'testimony-given', heldOn: '2026-11-30' }, TODAY, ids())).toBe('ui-err-future');
  });
});

describe('the legal case', () => {
  it('sets the reference, the court and who authorised the lawyer', () => {
    const v = view();
    const d = { ref: ' SC/123/2026 ', court: 'Jaipur', authorised: false, authorisedOn: TODAY, authorisedBy: '' };
    expect(legalEdit(v.case, d, TODAY)).toEqual({
      edit: 'set_legal',
      court_case_ref: 'SC/123/2026',
      court: 'Jaipur',
      lawyer_authorised_on: null,
      lawyer_authorised_by: null,
    });
    expect(legalEdit(v.case, { ...d, authorised: true }, TODAY)).toBe('ui-legal-by-needed');
    expect(legalEdit(v.case, { ...d, authorised: true, authorisedBy: 'mother' }, TODAY)).toMatchObject({
      lawyer_authorised_on: TODAY,
      lawyer_authorised_by: 'mother',
    });
    expect(legalEdit(v.case, { ...d, ref: '', court: '' }, TODAY)).toBe('ui-nothing-changed');
  });

  it('records harassment with what happened, and later that the police were told', () => {
    expect(incidentEdit({ on: '2026-11-21', what: ' threats at the well ', policeInformed: false }, TODAY, ids())).toEqual({
      edit: 'add_incident',
      id: 'id1',
      on: '2026-11-21',
      what: 'threats at the well',
      police_informed: false,
    });
    expect(incidentEdit({ on: '2026-11-21', what: ' ', policeInformed: false }, TODAY, ids())).toBe('ui-incident-what-needed');
    expect(policeInformedEdit('i1')).toEqual({ edit: 'update_incident', id: 'i1', police_informed: true });
  });
});
