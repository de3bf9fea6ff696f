// Files instead of a network, a case sent sealed or by SMS (issue 14): what the screens say of
// them. Pure: the sealing, the checks and the store are homeward-field's; here only words, the
// `sms:` link and which of a case's records may go by SMS.
import type { FluentVariable } from '@fluent/bundle';
import { formatBytes, formatDate } from './format';
import type { Case, Lang, Leftover, Received } from './types';

/** The catalogue's `t`, passed in so that these stay pure and testable. */
export type Words = (id: string, args?: Record<string, FluentVariable>) => string;

/** What a file of this phone's changes holds, as the field core reports it. */
export interface Holds {
  cases: number;
  changes: number;
  outcomes: number;
  pages: number;
  bytes: number;
}

/** "It holds 3 changes of one case, no spot-check result and no page of a copy: 1.2 KB in all." */
export function holdsText(h: Holds, t: Words, lang: Lang): string {
  return t('ui-bundle-holds', {
    changes: t('ui-changes', { n: h.changes }),
    cases: t('ui-bundle-cases', { n: h.cases }),
    outcomes: t('ui-bundle-outcomes', { n: h.outcomes }),
    pages: t('ui-bundle-pages', { n: h.pages }),
    size: formatBytes(h.bytes, lang),
  });
}

/** The `sms:` link that opens the phone's SMS app on `text` to `number` (the body encoded). */
export function smsHref(number: string, text: string): string {
  return `sms:${number.replace(/[^+\d]/g, '')}?body=${encodeURIComponent(text)}`;
}

/** A record of the case that may go by SMS: a summons or a harassment incident. */
export interface UrgentRecord {
  record: string;
  kind: 'summons' | 'incident';
  /** The record in words ("Summons received 3 May 2026, hearing 20 May 2026"). */
  label: string;
}

/**
 * The summonses (those still ahead of their hearing, or without an outcome) and the incidents of
 * the last 30 days, newest first: what a fieldworker may need the supervisor to see today.
 */
export function urgentRecords(c: Case, today: string, t: Words, lang: Lang): UrgentRecord[] {
  const recent = (day: string) => Date.parse(day) >= Date.parse(today) - 30 * 86_400_000;
  const summonses = c.legal.summonses
    .filter((s) => s.hearing_on >= today || (!s.outcome && recent(s.received_on)))
    .map((s) => ({
      day: s.received_on,
      r: {
        record: s.id,
        kind: 'summons' as const,
        label: t('ui-sms-summons', { received: formatDate(s.received_on, lang), hearing: formatDate(s.hearing_on, lang) }),
      },
    }));
  const incidents = c.legal.incidents
    .filter((i) => recent(i.on))
    .map((i) => ({
      day: i.on,
      r: { record: i.id, kind: 'incident' as const, label: t('ui-sms-incident', { on: formatDate(i.on, lang) }) },
    }));
  return [...summonses, ...incidents].sort((a, b) => b.day.localeCompare(a.day)).map((x) => x.r);
}

/** Copies `text` to the clipboard: the Clipboard API where the web view allows it, else a selection. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    } finally {
      area.remove();
    }
  }
}

/**
 * What receiving a file did, line by line. `child`: the name of the child of a case sealed to
 * this phone and imported (the screen reads it from the case), else its id is shown.
 */
export function receivedLines(r: Received, t: Words, child: string | null = null): string[] {
  switch (r.received) {
    case 'applied': {
      const lines = [t('ui-received-applied', { n: r.documents + r.changes })];
      if (r.confirmed > 0) lines.push(t('ui-received-confirmed', { n: r.confirmed }));
      return lines;
    }
    case 'kept_for_relay':
      return [t('ui-received-kept')];
    case 'already_held':
      return [t('ui-received-already')];
    case 'case_imported':
      return [t('ui-received-case', { name: child ?? r.case })];
  }
}

/** The changes a verified revocation's leftover keeps for the server, spot-check results included. */
export function leftoverCount(l: Leftover): number {
  return l.changes + l.outcomes;
}

/**
 * The kind of a file held to pass on, for its words: the field core names it as `Kind::name`
 * does in English ("a phone's changes", "an exported case"), or by its key (`device_bundle`,
 * `case_export`); a phone only keeps those two kinds for the server.
 */
export function relayKind(kind: string): 'device_bundle' | 'case_export' {
  return /case/i.test(kind) ? 'case_export' : 'device_bundle';
}
