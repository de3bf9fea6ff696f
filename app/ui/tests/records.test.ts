import { describe, expect, it } from 'vitest';
import { caregiverEdit, moveDraft, moveEdit, movePlace, riskEdit, schoolDraft, schoolEdit } from '../src/lib/records';

const TODAY = '2026-11-28';

describe('school, family and risk', () => {
  it('records the school with its class, and the enrolment day only when known', () => {
    const d = schoolDraft({ kind: null, institution: null, enrolled_on: null, attendance: null, class: null }, TODAY);
    expect(schoolEdit(d, TODAY)).toBe('ui-school-kind-needed');
    expect(schoolEdit({ ...d, kind: 'school' }, TODAY)).toBe('ui-school-name-needed');
    expect(schoolEdit({ ...d, kind: 'school', institution: ' Middle School Bakraur ', class: '6', enrolled: true }, TODAY)).toEqual({
      edit: 'set_education',
      kind: 'school',
      institution: 'Middle School Bakraur',
      class: '6',
      enrolled_on: TODAY,
      attendance: null,
    });
    expect(schoolEdit({ ...d, kind: 'bridge', institution: 'NRSTC', enrolled: true, enrolledOn: '2026-12-01' }, TODAY)).toBe('ui-err-future');
  });

  it('records the caregiver with a plausible phone number', () => {
    expect(caregiverEdit(' Sunita Devi ', 'mother', '98765 43210')).toEqual({
      edit: 'set_caregiver',
      name: 'Sunita Devi',
      relation: 'mother',
      phone: '98765 43210',
    });
    expect(caregiverEdit('Sunita Devi', '', '')).toMatchObject({ relation: '-', phone: null });
    expect(caregiverEdit('Sunita Devi', 'mother', 'call me')).toBe('ui-err-phone');
    expect(caregiverEdit(' ', 'mother', '')).toBe('ui-caregiver-name-needed');
  });

  it('needs a reason to override the risk, none to clear the override', () => {
    expect(riskEdit('high', ' ')).toBe('ui-risk-reason-needed');
    expect(riskEdit('high', 'threats from the employer')).toEqual({ edit: 'override_risk', level: 'high', reason: 'threats from the employer' });
    expect(riskEdit(null, '')).toEqual({ edit: 'override_risk', level: null, reason: '' });
  });

  it('asks to move the case where the family went, with why and when (today unless changed)', () => {
    const d = moveDraft(TODAY);
    expect(d.on).toBe(TODAY);
    expect(moveEdit(d, TODAY)).toBe('ui-move-needed');
    const filled = { ...d, district: ' Patna ', block: 'Phulwari', village: 'Khagaul', reason: ' The father found work in Patna. ' };
    expect(moveEdit({ ...filled, reason: ' ' }, TODAY)).toBe('ui-move-needed');
    expect(moveEdit({ ...filled, village: '' }, TODAY)).toBe('ui-move-needed');
    expect(moveEdit({ ...filled, on: '2026-12-01' }, TODAY)).toBe('ui-err-future');
    expect(moveEdit(filled, TODAY)).toEqual({
      edit: 'request_transfer',
      district: 'Patna',
      block: 'Phulwari',
      village: 'Khagaul',
      reason: 'The father found work in Patna.',
      on: TODAY,
    });
    expect(movePlace({ district: 'Patna', block: 'Phulwari', village: 'Khagaul' })).toBe('Khagaul, Phulwari, Patna');
  });
});
