import { describe, expect, it } from 'vitest';
import { message } from '../src/lib/catalogue';
import {
  HELP_NEEDS,
  RESOURCE_KINDS,
  eligibility,
  isOpen,
  nextSteps,
  referProblem,
  referralStanding,
  referralToOpen,
  referralsNewestFirst,
  resourceQuery,
  stepEdit,
  suggestedCount,
} from '../src/lib/resources';
import type { Referral, ReferralState, ReferralStep, Resource } from '../src/lib/types';

// The resource map and referrals on the phone (issue 17): the words of a resource, the search
// form, where a referral stands and what can be recorded next.
const TODAY = '2026-11-28';
const by = { user_id: 'u', name: 'U' };
const ids = () => {
  let n = 0;
  return () => `id${++n}`;
};

function resource(over: Partial<Resource> = {}): Resource {
  return {
    id: 'res1',
    district: 'Gaya',
    block: 'Bodh Gaya',
    kind: 'skills-training',
    name: 'Jeevika training centre',
    address: null,
    contact: null,
    offers: null,
    min_age: null,
    max_age: null,
    sex: null,
    active: true,
    ...over,
  };
}

function step(state: ReferralState, on: string, id = `s-${state}`): ReferralStep {
  return { id, state, on, note: null, recorded_by: by, recorded_at: `${on}T10:00:00Z` };
}

function referral(steps: ReferralStep[] = [], on = '2026-11-02', id = 'ref1'): Referral {
  return {
    id,
    resource_id: 'res1',
    resource_kind: 'skills-training',
    resource_name: 'Jeevika training centre',
    dimension: 'livelihood',
    on,
    note: null,
    steps,
    recorded_by: by,
    recorded_at: `${on}T10:00:00Z`,
  };
}

describe("a resource's eligibility", () => {
  it('says ages and sex in both languages', () => {
    const kgbv = resource({ min_age: 10, max_age: 14, sex: 'female' });
    expect(eligibility(kgbv, 'en')).toBe('ages 10 to 14 · girls only');
    expect(eligibility(kgbv, 'hi')).toBe('10 से 14 वर्ष · केवल लड़कियाँ');
    expect(eligibility(resource({ min_age: 14 }), 'en')).toBe('from age 14');
    expect(eligibility(resource({ max_age: 18, sex: 'male' }), 'hi')).toBe('18 वर्ष तक · केवल लड़के');
  });

  it('says everyone when it sets no limit', () => {
    expect(eligibility(resource(), 'en')).toBe('everyone');
    expect(eligibility(resource(), 'hi')).toBe('सभी');
  });

  it('reads an age of 0 as a limit', () => {
    expect(eligibility(resource({ min_age: 0, max_age: 5 }), 'en')).toBe('ages 0 to 5');
  });
});

describe('the search form', () => {
  it('asks nothing of an empty field', () => {
    expect(resourceQuery('  ', '', '', '')).toEqual({ text: null, block: null, kind: null, need: null, include_inactive: false });
  });

  it('passes what was chosen, the words trimmed', () => {
    expect(resourceQuery(' jivika ', 'Bodh Gaya', 'skills-training', 'livelihood', true)).toEqual({
      text: 'jivika',
      block: 'Bodh Gaya',
      kind: 'skills-training',
      need: 'livelihood',
      include_inactive: true,
    });
  });

  it('offers every kind and every need, each named in both languages', () => {
    expect(RESOURCE_KINDS).toHaveLength(8);
    for (const k of RESOURCE_KINDS) {
      expect(message('en', `resource-kind-${k}`)).not.toBe(`resource-kind-${k}`);
      expect(message('hi', `resource-kind-${k}`)).toMatch(/[\u0900-\u097F]/);
    }
    expect(HELP_NEEDS).toHaveLength(7);
  });
});

describe('where a referral stands', () => {
  it('is referred on its own day until a step is recorded', () => {
    expect(referralStanding(referral(), TODAY)).toEqual({ state: 'referred', since: '2026-11-02' });
  });

  it('takes the last step recorded by the day, and the day it was reached', () => {
    const r = referral([step('accepted', '2026-11-05'), step('served', '2026-11-20')]);
    expect(referralStanding(r, TODAY)).toEqual({ state: 'served', since: '2026-11-20' });
    expect(referralStanding(r, '2026-11-10')).toEqual({ state: 'accepted', since: '2026-11-05' });
  });

  it('offers the outcomes while it waits, and nothing once it has one', () => {
    expect(nextSteps('referred')).toEqual(['accepted', 'served', 'refused', 'no-response']);
    expect(nextSteps('accepted')).toEqual(['served', 'refused', 'no-response']);
    for (const s of ['served', 'refused', 'no-response'] as const) {
      expect(nextSteps(s)).toEqual([]);
      expect(isOpen(s)).toBe(false);
    }
    expect(isOpen('accepted')).toBe(true);
  });

  it('lists the newest referral first', () => {
    const c = { referrals: [referral([], '2026-10-01', 'old'), referral([], '2026-11-02', 'new'), referral([], '2026-10-01', 'old2')] };
    expect(referralsNewestFirst(c).map((r) => r.id)).toEqual(['new', 'old2', 'old']);
  });
});

describe("a referral's next step", () => {
  it('is the update_referral edit', () => {
    expect(stepEdit(referral(), 'served', '2026-11-20', '  Enrolled in tailoring ', TODAY, ids())).toEqual({
      edit: 'update_referral',
      id: 'id1',
      referral_id: 'ref1',
      state: 'served',
      on: '2026-11-20',
      note: 'Enrolled in tailoring',
    });
  });

  it('asks why a refusal was made', () => {
    expect(stepEdit(referral(), 'refused', TODAY, ' ', TODAY, ids())).toBe('ui-referral-refused-why');
    expect(stepEdit(referral(), 'refused', TODAY, 'No seats until March', TODAY, ids())).toMatchObject({ note: 'No seats until March' });
  });

  it('refuses a day in the future or before the referral', () => {
    expect(stepEdit(referral(), 'accepted', '2026-12-01', '', TODAY, ids())).toBe('ui-err-future');
    expect(stepEdit(referral(), 'accepted', '2026-11-01', '', TODAY, ids())).toBe('ui-referral-before-made');
    expect(referProblem('2026-12-01', TODAY)).toBe('ui-err-future');
    expect(referProblem(TODAY, TODAY)).toBeNull();
  });
});

describe("the Today screen's referrals and suggestions", () => {
  const suggested = [
    { case_id: 'c1', dimension: 'livelihood' as const, count: 3 },
    { case_id: 'c1', dimension: 'health' as const, count: 0 },
  ];

  it('counts the suggestions of a prompt that asks for outside help only', () => {
    expect(suggestedCount(suggested, 'c1', 'livelihood', 'livelihood_support')).toBe(3);
    expect(suggestedCount(suggested, 'c1', 'health', 'health_care')).toBe(0);
    expect(suggestedCount(suggested, 'c1', 'livelihood', 'follow_up_referral')).toBeNull();
    expect(suggestedCount(suggested, 'c2', 'livelihood', 'livelihood_support')).toBeNull();
    expect(suggestedCount([], 'c1', 'education', 'school_enrolment')).toBeNull();
  });

  it("opens the case at the referral of the child's follow-up prompt", () => {
    expect(referralToOpen([{ kind: 'visit_due', subject: null }, { kind: 'follow_up_referral', subject: 'ref9' }])).toBe('ref9');
    expect(referralToOpen([{ kind: 'visit_due', subject: null }])).toBeNull();
  });
});

describe('the words of the resource map and referrals', () => {
  it('count resources in both languages, none, one and many', () => {
    expect(message('en', 'ui-resource-suggested', { n: 0 })).toBe('no resource on the map for it');
    expect(message('en', 'ui-resource-suggested', { n: 1 })).toBe('1 resource can help');
    expect(message('en', 'ui-resource-suggested', { n: 4 })).toBe('4 resources can help');
    expect(message('hi', 'ui-resource-suggested', { n: 0 })).toBe('सूची में इसके लिए कोई संसाधन नहीं');
    expect(message('hi', 'ui-resource-suggested', { n: 1 })).toBe('1 संसाधन मदद कर सकता है');
    expect(message('hi', 'ui-resource-suggested', { n: 3 })).toBe('3 संसाधन मदद कर सकते हैं');
    expect(message('en', 'ui-resource-count', { n: 1 })).toBe('One resource');
    expect(message('hi', 'ui-resource-count', { n: 12 })).toBe('12 संसाधन');
  });

  it("word a referral's state and day in both languages", () => {
    const args = { state: message('hi', 'referral-served'), date: '20 नवंबर 2026' };
    expect(message('hi', 'ui-referral-reached', args)).toBe('20 नवंबर 2026 को सेवा मिली');
    expect(message('en', 'ui-referral-reached', { state: message('en', 'referral-no-response'), date: '20 November 2026' })).toBe(
      'no response on 20 November 2026',
    );
    for (const s of ['referred', 'accepted', 'served', 'refused', 'no-response']) {
      expect(message('hi', `referral-${s}`)).toMatch(/[\u0900-\u097F]/);
    }
  });

  it('word the follow-up prompt in both languages', () => {
    expect(message('en', 'prompt-follow_up_referral')).toBe('Follow up a referral');
    expect(message('hi', 'prompt-follow_up_referral')).toMatch(/[\u0900-\u097F]/);
    const args = { resource: 'Jeevika', state: message('en', 'referral-referred'), date: '2 November 2026' };
    expect(message('en', 'ui-referral-prompt-about', args)).toBe('Jeevika: referred since 2 November 2026');
  });
});
