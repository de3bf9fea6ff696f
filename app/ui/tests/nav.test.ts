import { describe, expect, it } from 'vitest';
import { Navigator, SECTIONS, gate, isSection, section, tabLabel, tabs } from '../src/lib/nav';
import { hasMessage } from '../src/lib/catalogue';
import type { AppStatus } from '../src/lib/types';

const status = (s: Partial<AppStatus>): AppStatus => ({
  initialised: true,
  unlocked: true,
  enrolled: true,
  user_name: 'Anita Kumari',
  role: 'fieldworker',
  server: null,
  suggested_server: null,
  lang: 'hi',
  today: '2026-11-28',
  ...s,
});

describe('navigation', () => {
  it('gates the caseload behind first start, PIN and enrolment', () => {
    expect(gate(status({ initialised: false, unlocked: false, enrolled: false }))).toBe('first-start');
    expect(gate(status({ unlocked: false, enrolled: false }))).toBe('unlock');
    expect(gate(status({ enrolled: false }))).toBe('enrol');
    expect(gate(status({}))).toBe('open');
  });

  it('shows spot checks to supervisors only', () => {
    expect(tabs('fieldworker')).not.toContain('spot-checks');
    expect(tabs('supervisor')).toContain('spot-checks');
    expect(tabs(null)).toEqual(['today', 'cases', 'resources', 'sync', 'settings']);
  });

  it('offers the resource map to everyone, its tab named in both languages', () => {
    for (const role of ['fieldworker', 'supervisor', null]) expect(tabs(role)).toContain('resources');
    expect(tabLabel('resources')).toBe('ui-resources-tab');
    expect(tabLabel('today')).toBe('ui-tab-today');
    for (const name of tabs('supervisor')) {
      expect(hasMessage('en', tabLabel(name)) && hasMessage('hi', tabLabel(name))).toBe(true);
    }
  });

  it('opens a referral from a case and comes back to it', () => {
    const n = new Navigator({ name: 'case', id: 'a', referral: 'r1' });
    expect(n.go({ name: 'refer', id: 'a', dimension: 'livelihood' })).toEqual({ name: 'refer', id: 'a', dimension: 'livelihood' });
    expect(n.back()).toEqual({ name: 'case', id: 'a', referral: 'r1' });
  });

  it('goes back through opened screens, and a tab starts afresh', () => {
    const n = new Navigator();
    n.go({ name: 'case', id: 'a' });
    n.go({ name: 'visit', id: 'a' });
    n.replace({ name: 'case', id: 'a' });
    expect(n.depth).toBe(2);
    expect(n.back()).toEqual({ name: 'case', id: 'a' });
    expect(n.back()).toEqual({ name: 'today' });
    expect(n.back()).toEqual({ name: 'today' });
    n.go({ name: 'case', id: 'b' });
    expect(n.tab('sync')).toEqual({ name: 'sync' });
    expect(n.depth).toBe(0);
  });

  it("opens a case's sections and comes back to the case", () => {
    const n = new Navigator({ name: 'case', id: 'a' });
    for (const name of SECTIONS) {
      expect(n.go(section(name, 'a'))).toEqual({ name, id: 'a' });
      expect(isSection(n.screen)).toBe(true);
      expect(n.back()).toEqual({ name: 'case', id: 'a' });
    }
    expect(isSection({ name: 'case', id: 'a' })).toBe(false);
    expect(SECTIONS).toEqual(['court', 'claims', 'documents', 'school', 'family', 'risk']);
  });
});
