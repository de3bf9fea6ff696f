import { describe, expect, it } from 'vitest';
import {
  areaProblem,
  blankForm,
  chooseBlock,
  chooseDistrict,
  anyMatch,
  dupIntro,
  duplicateKey,
  factIds,
  followedBy,
  formProblem,
  hereOnly,
  initialArea,
  matchedAs,
  mustCheck,
  profileFrom,
  type RegisterForm,
} from '../src/lib/register';
import type { KnownArea, Likeness, SimilarChildren } from '../src/lib/types';

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

const GAYA: KnownArea = { district: 'Gaya', blocks: ['Bodh Gaya', 'Wazirganj'], whole_district: false };
const NALANDA: KnownArea = { district: 'Nalanda', blocks: ['Rajgir'], whole_district: true };

describe('district and block from the user\'s areas', () => {
  it('starts with the only district, and its only block', () => {
    expect(initialArea(blankForm(today), [GAYA])).toMatchObject({ district: 'Gaya', block: '' });
    expect(initialArea(blankForm(today), [{ ...GAYA, blocks: ['Wazirganj'] }])).toMatchObject({ district: 'Gaya', block: 'Wazirganj' });
    // In a whole district another block may be meant: nothing chosen for the fieldworker.
    expect(initialArea(blankForm(today), [NALANDA])).toMatchObject({ district: 'Nalanda', block: '' });
    expect(initialArea(blankForm(today), [GAYA, NALANDA])).toMatchObject({ district: '', block: '' });
    expect(initialArea(blankForm(today), [])).toEqual(blankForm(today));
  });

  it('forgets the block of another district, and types a block only in a whole district', () => {
    const gaya = chooseBlock(chooseDistrict(blankForm(today), [GAYA, NALANDA], 'Gaya'), 'Wazirganj');
    expect(gaya).toMatchObject({ district: 'Gaya', block: 'Wazirganj', blockTyped: false });
    expect(chooseDistrict(gaya, [GAYA, NALANDA], 'Nalanda')).toMatchObject({ district: 'Nalanda', block: '', blockTyped: false });
    const other = chooseBlock(chooseDistrict(gaya, [GAYA, NALANDA], 'Nalanda'), null);
    expect(other).toMatchObject({ block: '', blockTyped: true });
    expect(chooseBlock(other, 'Rajgir')).toMatchObject({ block: 'Rajgir', blockTyped: false });
  });

  it('refuses a place outside the areas once the phone knows them, and anything before', () => {
    const areas = [GAYA, NALANDA];
    expect(areaProblem(filled(), areas)).toBeNull();
    expect(areaProblem(filled({ district: 'Patna' }), areas)).toEqual(['district', 'ui-err-area']);
    expect(areaProblem(filled({ block: 'Bodhgaya' }), areas)).toEqual(['block', 'ui-err-area']);
    expect(areaProblem(filled({ block: 'Manpur', blockTyped: true }), areas)).toEqual(['block', 'ui-err-area']);
    expect(areaProblem(filled({ district: 'Nalanda', block: 'Islampur', blockTyped: true }), areas)).toBeNull();
    expect(areaProblem(filled({ district: 'Nalanda', block: 'Islampur' }), areas)).toEqual(['block', 'ui-err-required']);
    expect(areaProblem(filled({ district: 'Patna', block: 'Anything' }), [])).toBeNull();
    expect(formProblem(filled({ block: 'Bodhgaya' }), today, areas)).toEqual(['block', 'ui-err-area']);
    expect(formProblem(filled({ district: 'Nalanda', block: '', blockTyped: true }), today, areas)).toEqual(['block', 'ui-err-required']);
    expect(formProblem(filled(), today, areas)).toBeNull();
  });
});

describe('likely duplicates before registering', () => {
  const likeness: Likeness = {
    case_id: 'k1',
    name: 'Kundan Kahaniwala',
    matched_name: 'कुंदन',
    village: 'Bakraur',
    district: 'Gaya',
    age: 12,
    matched: ['caregiver', 'name', 'age', 'district', 'village'],
    followed_by: null,
  };

  it('words what matched in a fixed order, and the name that matched when it is another', () => {
    expect(factIds(likeness)).toEqual(['ui-dup-fact-name', 'ui-dup-fact-district', 'ui-dup-fact-age', 'ui-dup-fact-village', 'ui-dup-fact-caregiver']);
    expect(factIds({ ...likeness, matched: ['name', 'district', 'age', 'village'] })).toHaveLength(4);
    expect(matchedAs(likeness)).toBe('कुंदन');
    expect(matchedAs({ ...likeness, matched_name: 'Kundan Kahaniwala' })).toBeNull();
  });

  it('asks again after "a different child" only when the details that match change', () => {
    const p = profileFrom(filled(), 'a', today);
    const answered = duplicateKey(p);
    expect(mustCheck(p, null)).toBe(true);
    expect(mustCheck(p, answered)).toBe(false);
    // Another case id, another rescue or legal basis: the same child's details, not asked again.
    expect(mustCheck(profileFrom(filled({ basisRef: 'CWC/2', workplace: 'kiln' }), 'b', today), answered)).toBe(false);
    for (const change of [{ name: 'Sunita Kumari' }, { ageYears: '14' }, { village: 'Mocharim' }, { sex: 'male' as const }, { caregiverName: 'Meena' }]) {
      expect(mustCheck(profileFrom(filled(change), 'a', today), answered), JSON.stringify(change)).toBe(true);
    }
  });

  it('keeps the check going when the server cannot be asked, and says so', () => {
    const none: SimilarChildren = { here: [], elsewhere: [], server: 'offline' };
    expect(anyMatch(none)).toBe(false);
    expect(hereOnly(none)).toBe(true);
    for (const server of ['not_enrolled', 'timeout', 'refused', 'failed'] as const) {
      expect(hereOnly({ ...none, server }), server).toBe(true);
    }
    expect(hereOnly({ ...none, server: 'answered' })).toBe(false);
    expect(anyMatch({ ...none, elsewhere: [likeness] })).toBe(true);
  });

  it('opens with this phone\'s cases when there are any, else with the other phones\'', () => {
    const other = { ...likeness, case_id: 'k2', followed_by: 'Sunil Manjhi' };
    expect(dupIntro({ here: [likeness], elsewhere: [other, other], server: 'answered' })).toEqual(['ui-dup-intro', 1]);
    expect(dupIntro({ here: [], elsewhere: [other, other], server: 'answered' })).toEqual(['ui-dup-intro-elsewhere', 2]);
  });

  it('names who follows a case on another phone, or says nobody does yet', () => {
    expect(followedBy({ ...likeness, followed_by: 'Sunil Manjhi' })).toEqual(['ui-dup-followed-by', { name: 'Sunil Manjhi' }]);
    expect(followedBy(likeness)).toEqual(['ui-dup-followed-by-nobody', {}]);
  });
});
