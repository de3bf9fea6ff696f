import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOURCES, hasMessage, makeBundle, message, messageIds } from '../src/lib/catalogue';
import { PIN_PROBLEMS } from '../src/lib/errors';
import { RESOURCE_KINDS } from '../src/lib/resources';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

const code = files(join(__dirname, '../src'))
  .filter((f) => f.endsWith('.svelte') || f.endsWith('.ts'))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');

const ARGS = {
  n: 2, days: 2, years: 9, rounds: 2, left: 2, sent: 1, received: 1, total: 7, date: '1 May',
  seconds: 30, changes: 2, outcomes: 1, name: 'Anita',
};

describe('message catalogues', () => {
  it('parse without errors in both languages', () => {
    expect(() => makeBundle('en')).not.toThrow();
    expect(() => makeBundle('hi')).not.toThrow();
  });

  it('hold the same messages in English and Hindi', () => {
    const en = new Set(messageIds(SOURCES.en));
    const hi = new Set(messageIds(SOURCES.hi));
    expect(en.size).toBeGreaterThan(200);
    expect([...en].filter((id) => !hi.has(id))).toEqual([]);
    expect([...hi].filter((id) => !en.has(id))).toEqual([]);
  });

  it('have every message the screens name literally', () => {
    const used = new Set([...code.matchAll(/\bt\(\s*'([a-z0-9-_]+)'/g)].map((m) => m[1]));
    for (const [, id] of code.matchAll(/'((?:ui|col|risk|status|dim)-[a-z0-9-_]+)'/g)) used.add(id);
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((id) => !hasMessage('en', id) || !hasMessage('hi', id));
    expect(missing).toEqual([]);
  });

  it('have every message the screens build from a kind', () => {
    const families: Record<string, string[]> = {
      'ui-tab-': ['today', 'cases', 'sync', 'settings', 'spot-checks', 'register'],
      'ui-err-': [
        'bad_input', 'wrong_pin', 'not_initialised', 'unknown_case', 'network', 'refused', 'damaged', 'internal', 'locked',
        'busy', 'try_later', 'erased', 'weak_pin', 'keystore', 'revoked', 'resource_not_held', 'resource_inactive',
        // Copies of documents (issue 15): the field core's kinds, and the app's own not_held.
        'attach', 'unreadable_page', 'unknown_attachment', 'no_such_page', 'not_on_server', 'not_held',
        // Files instead of a network (issue 14): the field core's kinds, and the app's own not_saved.
        'sealed', 'unverified_revocation', 'urgent', 'not_saved',
      ],
      'ui-err-weak_pin-': [...PIN_PROBLEMS],
      'ui-visit-': ['initial-assessment', 'follow-up', 'phone', 'urgent'],
      'ui-doc-': ['missing', 'received', 'verified'],
      'ui-relay-kind-': ['device_bundle', 'case_export'],
      'ui-sex-': ['female', 'male', 'other'],
      'ui-role-': ['fieldworker', 'supervisor', 'cwc', 'admin'],
      'ui-sent-back-': ['assessment', 'closure'],
      'spot-outcome-': ['verified', 'has_issues', 'could_not_verify'],
      'risk-': ['high', 'medium', 'stable'],
      'state-': ['active', 'closed', 'transferred', 'missing', 'retrafficked'],
      'closure-': ['follow_up_ended', 'registered_in_error'],
      'status-': ['not_applied', 'applied', 'sanctioned', 'paid'],
      'month-': ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12'],
      'ui-mode-': ['video', 'in-person'],
      'ui-outcome-': ['testimony-given', 'adjourned', 'not-attended'],
      'ui-filter-': ['all', 'urgent', 'overdue', 'week'],
      'ui-school-': ['school', 'bridge'],
      'ui-dup-fact-': ['name', 'district', 'age', 'village', 'caregiver'],
      'prompt-': [
        'court_summons', 'harassment', 'prepare_hearing', 'hearing_outcome', 'initial_assessment', 'school_enrolment',
        'escalate_claim', 'follow_up_claim', 'apply_for_scheme', 'obtain_document', 'health_care', 'livelihood_support',
        'visit_overdue', 'visit_due', 'follow_up_referral',
      ],
      'resource-kind-': [...RESOURCE_KINDS],
      'referral-': ['referred', 'accepted', 'served', 'refused', 'no-response'],
      'ui-resource-only-': ['female', 'male', 'other'],
    };
    const missing = Object.entries(families).flatMap(([prefix, keys]) =>
      keys.map((k) => prefix + k).filter((id) => !hasMessage('en', id) || !hasMessage('hi', id)),
    );
    expect(missing).toEqual([]);
  });

  it('translate every screen message into Hindi (Devanagari, not a copy of the English)', () => {
    const untranslated = messageIds(SOURCES.en)
      .filter((id) => id.startsWith('ui-'))
      .filter((id) => {
        const hi = message('hi', id, ARGS);
        return !/[\u0900-\u097F]/.test(hi) || hi === message('en', id, ARGS);
      });
    expect(untranslated).toEqual([]);
  });

  it('word a message with a missing argument without throwing', () => {
    expect(message('en', 'ui-since')).toBe('since {$date}');
    expect(message('hi', 'ui-since', { date: '5 मई 2026' })).toBe('5 मई 2026 से');
  });

  it('choose Hindi plural forms by the CLDR rule (one for 0 and 1)', () => {
    expect(message('en', 'ui-day-in', { days: 1 })).toBe('tomorrow');
    expect(message('en', 'ui-day-in', { days: 3 })).toBe('in 3 days');
    expect(message('hi', 'ui-day-in', { days: 1 })).toBe('कल');
    expect(message('hi', 'ui-day-in', { days: 3 })).toBe('3 दिन में');
    expect(message('en', 'ui-cases-count', { n: 1 })).toBe('One child');
    expect(message('hi', 'ui-cases-count', { n: 5 })).toBe('5 बच्चे');
    expect(message('hi', 'ui-incidents-count', { n: 1 })).toBe('उत्पीड़न की 1 घटना');
    expect(message('hi', 'ui-docs-missing', { n: 0 })).toBe('सभी दस्तावेज़ हाथ में हैं');
    expect(message('hi', 'ui-docs-missing', { n: 1 })).toBe('1 दस्तावेज़ नहीं है');
    expect(message('en', 'ui-today-children', { n: 40 })).toBe('40 children');
  });
});
