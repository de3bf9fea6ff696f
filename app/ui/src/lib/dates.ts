// A date as three parts (day, month, year) picked on the phone, in Indian order whatever the
// webview's locale. Pure: the screens' DateField shows the parts, this module checks them and
// turns them back into a `YYYY-MM-DD` day.
import type { Day } from './types';

/** The first year a date may carry: homeward-shared refuses earlier dates as bad input. */
export const FIRST_YEAR = 2000;

export interface DateParts {
  day: number;
  /** 1 to 12. */
  month: number;
  year: number;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The parts of a `YYYY-MM-DD` day, or null when it is not one. */
export function partsOf(day: Day | null | undefined): DateParts | null {
  const m = day ? DAY.exec(day) : null;
  if (!m) return null;
  return { day: +m[3], month: +m[2], year: +m[1] };
}

export function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** How many days the month has (February 29 in a leap year). */
export function daysInMonth(month: number, year: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The `YYYY-MM-DD` form of the parts (not checked). */
export function dayOf(p: DateParts): Day {
  return `${String(p.year).padStart(4, '0')}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/**
 * The day the parts make, or why they make none (a message id): `ui-err-date` for a day the
 * month does not have (31 April), `ui-err-before-2000` for a year before 2000, `ui-err-future`
 * for a day after `max` (when given: usually today).
 */
export function checkParts(p: DateParts, max?: Day | null): { day: Day } | { problem: string } {
  if (![p.day, p.month, p.year].every(Number.isInteger)) return { problem: 'ui-err-date' };
  if (p.month < 1 || p.month > 12) return { problem: 'ui-err-date' };
  if (p.year < FIRST_YEAR) return { problem: 'ui-err-before-2000' };
  if (p.year > 9999 || p.day < 1 || p.day > daysInMonth(p.month, p.year)) return { problem: 'ui-err-date' };
  const day = dayOf(p);
  if (max && DAY.test(max) && day > max) return { problem: 'ui-err-future' };
  return { day };
}

/** Why a `YYYY-MM-DD` value cannot be saved (a message id), or null: the same rules as the parts. */
export function dayProblem(day: Day | null | undefined, max?: Day | null): string | null {
  const p = partsOf(day);
  if (!p) return 'ui-err-date';
  const checked = checkParts(p, max);
  return 'problem' in checked ? checked.problem : null;
}

/**
 * The years a year picker offers: from 2000 to `max`'s year, or, without a maximum, up to two
 * years after `around` (a hearing may be set a year ahead). Newest first, so this year is at
 * hand; the value's own year is always included.
 */
export function yearChoices(max: Day | null | undefined, around: Day, value?: Day | null): number[] {
  const last = partsOf(max)?.year ?? (partsOf(around)?.year ?? FIRST_YEAR) + 2;
  const years: number[] = [];
  for (let y = last; y >= FIRST_YEAR; y--) years.push(y);
  const own = partsOf(value)?.year;
  if (own !== undefined && !years.includes(own)) years.unshift(own);
  return years;
}

/**
 * Changes one part and keeps the date a real one: a day past the new month's end becomes its
 * last day (31 March, then February: 28 or 29 February), as a person would expect.
 */
export function withPart(p: DateParts, part: keyof DateParts, value: number): DateParts {
  const next = { ...p, [part]: value };
  if (part !== 'day' && next.month >= 1 && next.month <= 12) {
    next.day = Math.min(next.day, daysInMonth(next.month, next.year));
  }
  return next;
}

/** The parts chosen so far in an empty field (an optional date of birth): each may be missing. */
export interface Pending {
  day: number | null;
  month: number | null;
  year: number | null;
}

export const NOTHING: Pending = { day: null, month: null, year: null };

/**
 * One part picked in a date field: with a day already set, the new day (kept within the month);
 * in an empty field, the parts chosen so far, and the day once all three are there. `after`: the
 * earliest day the field may hold (a hearing is never before its summons was received); a day or
 * month picked that would fall before it is taken in the next year (January picked in November
 * is next January), saving the year picker's two taps. A year picked is kept as picked.
 */
export function pick(
  value: Day | null | undefined,
  pending: Pending,
  part: keyof DateParts,
  n: number,
  after?: Day | null,
): { value: Day | null; pending: Pending } {
  const known = partsOf(value);
  if (known) return { value: rolledOn(withPart(known, part, n), part, after), pending: NOTHING };
  const next = { ...pending, [part]: n };
  const { day, month, year } = next;
  if (day && month && year) return { value: dayOf(withPart({ day, month, year }, 'month', month)), pending: NOTHING };
  return { value: null, pending: next };
}

/** `p` as a day, a year later when a day or month picked put it before `after`. */
function rolledOn(p: DateParts, part: keyof DateParts, after?: Day | null): Day {
  const day = dayOf(p);
  if (part === 'year' || !after || !DAY.test(after) || day >= after) return day;
  const next = withPart(p, 'year', p.year + 1);
  const later = dayOf(next);
  return later >= after ? later : day;
}
