// The registration form and the profile it makes. Pure: tested without a window.
import type { Day, Profile } from './types';

export interface RegisterForm {
  name: string;
  otherNames: string;
  sex: 'female' | 'male' | 'other';
  ageYears: string;
  dob: Day;
  caregiverName: string;
  caregiverRelation: string;
  caregiverPhone: string;
  district: string;
  block: string;
  panchayat: string;
  village: string;
  returnedOn: Day;
  rescueCity: string;
  workplace: string;
  basis: 'cwc_order' | 'guardian_consent';
  basisRef: string;
  basisDated: Day;
}

export function blankForm(today: Day): RegisterForm {
  return {
    name: '',
    otherNames: '',
    sex: 'male',
    ageYears: '',
    dob: '',
    caregiverName: '',
    caregiverRelation: '',
    caregiverPhone: '',
    district: '',
    block: '',
    panchayat: '',
    village: '',
    returnedOn: today,
    rescueCity: 'Jaipur',
    workplace: '',
    basis: 'cwc_order',
    basisRef: '',
    basisDated: today,
  };
}

const opt = (s: string): string | null => (s.trim() === '' ? null : s.trim());

/** The label of each field a problem can name. */
export const FIELD_LABELS: Record<string, string> = {
  name: 'ui-name',
  age: 'ui-age-years',
  dob: 'ui-dob',
  district: 'col-district',
  block: 'col-block',
  village: 'col-village',
  returned: 'ui-returned-on',
  basis: 'ui-basis-ref',
  'basis-date': 'ui-basis-date',
  phone: 'ui-phone',
};

/** The first problem with the form, as [field id, message id], or null. */
export function formProblem(f: RegisterForm, today: Day): [string, string] | null {
  if (!f.name.trim()) return ['name', 'ui-err-required'];
  if (!f.dob && !/^\d{1,2}$/.test(f.ageYears.trim())) return ['age', 'ui-err-age'];
  if (f.dob && f.dob > today) return ['dob', 'ui-err-future'];
  for (const [field, value] of [
    ['district', f.district],
    ['block', f.block],
    ['village', f.village],
  ] as const) {
    if (!value.trim()) return [field, 'ui-err-required'];
  }
  if (!f.returnedOn) return ['returned', 'ui-err-required'];
  if (f.returnedOn > today) return ['returned', 'ui-err-future'];
  if (!f.basisRef.trim()) return ['basis', 'ui-err-required'];
  if (!f.basisDated || f.basisDated > today) return ['basis-date', 'ui-err-date'];
  if (f.caregiverPhone.trim() && !/^[+\d][\d \-]{6,}$/.test(f.caregiverPhone.trim())) return ['phone', 'ui-err-phone'];
  return null;
}

export function profileFrom(f: RegisterForm, caseId: string, today: Day): Profile {
  return {
    case_id: caseId,
    child: {
      name: f.name.trim(),
      other_names: f.otherNames
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      sex: f.sex,
      birth: f.dob ? { dob: f.dob } : { estimated: { years: Number(f.ageYears.trim()), as_of: today } },
      caregiver: opt(f.caregiverName)
        ? { name: f.caregiverName.trim(), relation: f.caregiverRelation.trim() || '-', phone: opt(f.caregiverPhone) }
        : null,
      address: {
        district: f.district.trim(),
        block: f.block.trim(),
        panchayat: opt(f.panchayat),
        village: f.village.trim(),
      },
    },
    rescue: {
      city: opt(f.rescueCity),
      workplace: opt(f.workplace),
      rescued_on: null,
      shelter_home: null,
      cwc_order_ref: f.basis === 'cwc_order' ? f.basisRef.trim() : null,
      returned_on: f.returnedOn,
      receiving_authority: null,
    },
    legal_basis:
      f.basis === 'cwc_order'
        ? { kind: 'cwc_order', reference: f.basisRef.trim(), dated: f.basisDated }
        : { kind: 'guardian_consent', given_by: f.basisRef.trim(), dated: f.basisDated },
  };
}
