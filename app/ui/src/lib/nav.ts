// Which screen to show: the gate before the caseload (first start, unlock, enrolment) and the
// screens after it. Pure, so it is tested without a window.
import type { AppStatus, Dimension } from './types';

export type Gate = 'first-start' | 'unlock' | 'enrol' | 'open';

export function gate(status: AppStatus): Gate {
  if (!status.initialised) return 'first-start';
  if (!status.unlocked) return 'unlock';
  if (!status.enrolled) return 'enrol';
  return 'open';
}

export type Screen =
  | { name: 'today' }
  | { name: 'cases' }
  | { name: 'case'; id: string; referral?: string | null }
  | { name: 'visit'; id: string }
  | { name: 'assess'; id: string }
  | { name: Section; id: string }
  | { name: 'register' }
  | { name: 'sync' }
  | { name: 'settings' }
  | { name: 'spot-checks' }
  | { name: 'resources' }
  | { name: 'refer'; id: string; dimension: Dimension };

/** The parts of a case that have a screen of their own, in the order the case screen lists them. */
export const SECTIONS = ['court', 'claims', 'documents', 'school', 'family', 'risk'] as const;
export type Section = (typeof SECTIONS)[number];

/** The screen of one part of a case. */
export function section(name: Section, id: string): Screen {
  return { name, id };
}

export function isSection(screen: Screen): screen is { name: Section; id: string } {
  return (SECTIONS as readonly string[]).includes(screen.name);
}

/** The tabs of the bottom bar; spot checks only for a supervisor. */
export type Tab = 'today' | 'cases' | 'resources' | 'sync' | 'settings' | 'spot-checks' | 'register';

export function tabs(role: string | null): Tab[] {
  const base: Tab[] = ['today', 'cases', 'resources', 'sync', 'settings'];
  return role === 'supervisor' || role === 'admin' ? ['today', 'cases', 'resources', 'spot-checks', 'sync', 'settings'] : base;
}

/** A tab's label (the resource map's words keep to the ui-resource* ids of issue 17). */
export function tabLabel(name: Tab): string {
  return name === 'resources' ? 'ui-resources-tab' : `ui-tab-${name}`;
}

/** A back stack: screens opened from a tab go back to it. */
export class Navigator {
  screen: Screen;
  private stack: Screen[] = [];

  constructor(start: Screen = { name: 'today' }) {
    this.screen = start;
  }

  go(next: Screen): Screen {
    this.stack.push(this.screen);
    this.screen = next;
    return next;
  }

  /** Replaces the current screen (after saving a visit, the case replaces the form). */
  replace(next: Screen): Screen {
    this.screen = next;
    return next;
  }

  back(): Screen {
    this.screen = this.stack.pop() ?? { name: 'today' };
    return this.screen;
  }

  tab(name: Tab): Screen {
    this.stack = [];
    this.screen = { name } as Screen;
    return this.screen;
  }

  get depth(): number {
    return this.stack.length;
  }
}
