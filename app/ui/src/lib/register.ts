// The registration form and the profile it makes. Pure: tested without a window.
import type { Day, KnownArea, Likeness, LikenessFact, Profile, SimilarChildren } from './types';

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
  /** "Another block" was chosen: the block is typed (only in a whole district of the user's). */
  blockTyped: boolean;
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
    blockTyped: false,
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
export function formProblem(f: RegisterForm, today: Day, areas: KnownArea[] = []): [string, string] | null {
  if (!f.name.trim()) return ['name', 'ui-err-required'];
  if (!f.dob && !/^\d{1,2}$/.test(f.ageYears.trim())) return ['age', 'ui-err-age'];
  if (f.dob && f.dob > today) return ['dob', 'ui-err-future'];
  for (const [field, value] of [
    ['district', f.district],
    ['block', f.block],
    ['village', f.village],
  ] as const) {
    if (!value.trim()) return [field, 'ui-err-required'];
    if (field === 'block') {
      const area = areaProblem(f, areas);
      if (area) return area;
    }
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

// District and block are chosen from the user's areas (the `areas` command), not typed: a child
// registered in "Bodhgaya" beside "Bodh Gaya" would fall outside the supervisor's scope or the
// CWC report. Before the first sync the phone knows no area, and both are typed.

/** The area the form starts with: the only district, and its only block, when there is one. */
export function initialArea(f: RegisterForm, areas: KnownArea[]): RegisterForm {
  if (areas.length !== 1 || f.district) return f;
  const [area] = areas;
  return { ...f, district: area.district, block: area.blocks.length === 1 && !area.whole_district ? area.blocks[0] : f.block };
}

export function areaOf(areas: KnownArea[], district: string): KnownArea | null {
  return areas.find((a) => a.district === district) ?? null;
}

/** The form after another district was chosen: a block of the old one no longer fits. */
export function chooseDistrict(f: RegisterForm, areas: KnownArea[], district: string): RegisterForm {
  const area = areaOf(areas, district);
  const only = area && area.blocks.length === 1 && !area.whole_district ? area.blocks[0] : '';
  return { ...f, district, block: only, blockTyped: false };
}

/** The form after a block was chosen, or "another block" (`null`: the block is typed). */
export function chooseBlock(f: RegisterForm, block: string | null): RegisterForm {
  return block === null ? { ...f, block: '', blockTyped: true } : { ...f, block, blockTyped: false };
}

/** A district or block outside the user's areas, when the phone knows them. */
export function areaProblem(f: RegisterForm, areas: KnownArea[]): [string, string] | null {
  if (areas.length === 0) return null;
  const area = areaOf(areas, f.district);
  if (!area) return ['district', 'ui-err-area'];
  if (area.blocks.includes(f.block)) return null;
  if (area.whole_district && f.blockTyped && f.block.trim()) return null;
  return ['block', area.whole_district ? 'ui-err-required' : 'ui-err-area'];
}

// Likely duplicates: before a child is registered, the active cases homeward-shared calls the
// same child (`similar_cases`) are shown, and the fieldworker says whether it is one of them.

/** The facts in the order a screen words them (name first, the caregiver last). */
export const FACTS: LikenessFact[] = ['name', 'district', 'age', 'village', 'caregiver'];

/** The message ids of what a likely duplicate shares with the new child, in order. */
export function factIds(l: Likeness): string[] {
  return FACTS.filter((f) => l.matched.includes(f)).map((f) => `ui-dup-fact-${f}`);
}

/** The name that matched, when it is not the case's name (an other name, another script). */
export function matchedAs(l: Likeness): string | null {
  return l.matched_name && l.matched_name !== l.name ? l.matched_name : null;
}

/**
 * What a fieldworker answered about a profile, so "a different child" is not asked again for
 * the same details; any change of name, sex, age, place or caregiver asks again.
 */
export function duplicateKey(p: Profile): string {
  const c = p.child;
  return JSON.stringify([c.name, c.other_names, c.sex, c.birth, c.caregiver?.name ?? null, c.address]);
}

/** Whether saving must ask `similar_cases` first: not when these details were answered already. */
export function mustCheck(p: Profile, answeredDifferent: string | null): boolean {
  return duplicateKey(p) !== answeredDifferent;
}

// The server's part of the check: an enrolled phone online also asks its server, which answers
// with the cases of the user's areas held on other phones (`elsewhere`, each with who follows
// it). Those cannot be opened here: "the same child" sends the fieldworker to her supervisor.

/** Whether any likely duplicate was found, here or elsewhere. */
export function anyMatch(s: SimilarChildren): boolean {
  return s.here.length + s.elsewhere.length > 0;
}

/** Whether the check was made among this phone's cases only (the server was not asked, or did not answer). */
export function hereOnly(s: SimilarChildren): boolean {
  return s.server !== 'answered';
}

/** The sentence that opens the list: about this phone's cases when there are any, else about the other phones'. */
export function dupIntro(s: SimilarChildren): [string, number] {
  return s.here.length > 0 ? ['ui-dup-intro', s.here.length] : ['ui-dup-intro-elsewhere', s.elsewhere.length];
}

/** Who follows a case found on another phone, as a message id and its arguments. */
export function followedBy(l: Likeness): [string, { name?: string }] {
  return l.followed_by ? ['ui-dup-followed-by', { name: l.followed_by }] : ['ui-dup-followed-by-nobody', {}];
}
