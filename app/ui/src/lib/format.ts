// Dates and numbers as people in India write them, in either language. Pure functions of their
// arguments (the day is passed in, never read from a clock here).
import { message } from './catalogue';
import type { Day, Lang } from './types';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since the epoch of a `YYYY-MM-DD` day. */
export function dayNumber(day: Day): number {
  const m = DAY.exec(day);
  if (!m) throw new Error(`not a day: ${day}`);
  return Math.round(Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86_400_000);
}

/** `to - from` in whole days. */
export function daysBetween(from: Day, to: Day): number {
  return dayNumber(to) - dayNumber(from);
}

export function addDays(day: Day, n: number): Day {
  return new Date((dayNumber(day) + n) * 86_400_000).toISOString().slice(0, 10);
}

/** 28 November 2026 / 28 नवंबर 2026: month names from the catalogue, as in the reports. */
export function formatDate(day: Day | null | undefined, lang: Lang): string {
  if (!day) return '–';
  const m = DAY.exec(day);
  if (!m) return day;
  return `${+m[3]} ${message(lang, `month-${+m[2]}`)} ${m[1]}`;
}

/** Indian digit grouping: 12,34,567. */
export function formatNumber(n: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'hi' ? 'hi-IN' : 'en-IN', {
    maximumFractionDigits: 1,
  }).format(n);
}

export function formatRupees(n: number, lang: Lang): string {
  return `₹${formatNumber(n, lang)}`;
}

/** "today", "in 3 days", "5 days ago", in words of the catalogue. */
export function relativeDay(day: Day, today: Day, lang: Lang): string {
  const n = daysBetween(today, day);
  if (n === 0) return message(lang, 'ui-day-today');
  if (n > 0) return message(lang, 'ui-day-in', { days: n });
  return message(lang, 'ui-day-ago', { days: -n });
}

/**
 * When something is due, from `today`: "117 days overdue", "due today", "due in 3 days" (Hindi
 * "117 दिन से बाकी", "आज करना है", "3 दिन में करना है"). One message per case, since "due" and a
 * relative day put side by side read badly in Hindi ("नियत 117 दिन पहले").
 */
export function dueWords(due: Day, today: Day): [string, { days?: number }] {
  const n = daysBetween(today, due);
  if (n < 0) return ['ui-due-overdue', { days: -n }];
  if (n === 0) return ['ui-due-today', {}];
  return ['ui-due-in', { days: n }];
}

export function dueText(due: Day, today: Day, lang: Lang): string {
  const [id, args] = dueWords(due, today);
  return message(lang, id, args);
}

/** Bytes in KB with one decimal, for the sync screen. */
export function formatBytes(n: number, lang: Lang): string {
  return n < 1024 ? `${formatNumber(n, lang)} B` : `${formatNumber(n / 1024, lang)} KB`;
}

/** The local day and time of an RFC 3339 moment, in India Standard Time. */
export function formatMoment(rfc3339: string | null, lang: Lang): string {
  if (!rfc3339) return message(lang, 'ui-never');
  const ms = Date.parse(rfc3339);
  if (Number.isNaN(ms)) return rfc3339;
  const ist = new Date(ms + 330 * 60_000).toISOString();
  return `${formatDate(ist.slice(0, 10), lang)}, ${ist.slice(11, 16)}`;
}
