import { describe, expect, it } from 'vitest';
import { blankForm, formProblem, profileFrom, type RegisterForm } from '../src/lib/register';

const today = '2026-11-28';
const filled = (f: Partial<RegisterForm> = {}): RegisterForm => ({
  ...blankForm(today),
  name: ' Sunita Devi ',
  otherNames: 'सुनीता, Sunni ,',
  sex: 'female',
  ageYears: '13',
  district: 'Gaya',
  block: 'Bodh Gaya',
  village: 'Bakraur',
  returnedOn: '2026-11-20',
  basisRef: 'CWC/GAYA/2026/101',
  basisDated: '2026-11-18',
  ...f,
});

describe('registration', () => {
  it('names the first missing or wrong field', () => {
    expect(formProblem(blankForm(today), today)).toEqual(['name', 'ui-err-required']);
    expect(formProblem(filled({ ageYears: 'twelve' }), today)).toEqual(['age', 'ui-err-age']);
    expect(formProblem(filled({ village: ' ' }), today)).toEqual(['village', 'ui-err-required']);
    expect(formProblem(filled({ returnedOn: '2026-12-01' }), today)).toEqual(['returned', 'ui-err-future']);
    expect(formProblem(filled({ basisRef: '' }), today)).toEqual(['basis', 'ui-err-required']);
    expect(formProblem(filled({ caregiverPhone: 'call me' }), today)).toEqual(['phone', 'ui-err-phone']);
    expect(formProblem(filled(), today)).toBeNull();
    expect(formProblem(filled({ ageYears: '', dob: '2013-05-02' }), today)).toBeNull();
  });

  it('makes the profile homeward-shared reads', () => {
    const p = profileFrom(filled({ caregiverName: 'Meena Devi', caregiverRelation: 'mother' }), 'abcd', today);
    expect(p.case_id).toBe('abcd');
    expect(p.child.name).toBe('Sunita Devi');
    expect(p.child.other_names).toEqual(['सुनीता', 'Sunni']);
    expect(p.child.birth).toEqual({ estimated: { years: 13, as_of: today } });
    expect(p.child.caregiver).toEqual({ name: 'Meena Devi', relation: 'mother', phone: null });
    expect(p.child.address).toEqual({ district: 'Gaya', block: 'Bodh Gaya', panchayat: null, village: 'Bakraur' });
    expect(p.rescue.returned_on).toBe('2026-11-20');
    expect(p.legal_basis).toEqual({ kind: 'cwc_order', reference: 'CWC/GAYA/2026/101', dated: '2026-11-18' });
    const consent = profileFrom(filled({ basis: 'guardian_consent', basisRef: 'Meena Devi', dob: '2013-05-02' }), 'x', today);
    expect(consent.legal_basis).toEqual({ kind: 'guardian_consent', given_by: 'Meena Devi', dated: '2026-11-18' });
    expect(consent.child.birth).toEqual({ dob: '2013-05-02' });
    expect(consent.rescue.cwc_order_ref).toBeNull();
  });
});
