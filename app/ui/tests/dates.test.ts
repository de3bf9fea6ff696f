import { describe, expect, it } from 'vitest';
import { NOTHING, checkParts, dayOf, dayProblem, daysInMonth, partsOf, pick, withPart, yearChoices } from '../src/lib/dates';

describe('dates picked as day, month and year', () => {
  it('split a day into its parts and join them back', () => {
    expect(partsOf('2026-11-28')).toEqual({ day: 28, month: 11, year: 2026 });
    expect(dayOf({ day: 5, month: 1, year: 2027 })).toBe('2027-01-05');
    expect(partsOf('')).toBeNull();
    expect(partsOf('11/28/2026')).toBeNull();
  });

  it('know the length of every month, leap years included', () => {
    expect(daysInMonth(2, 2028)).toBe(29);
    expect(daysInMonth(2, 2026)).toBe(28);
    expect(daysInMonth(2, 2000)).toBe(29);
    expect(daysInMonth(2, 2100)).toBe(28);
    expect(daysInMonth(4, 2026)).toBe(30);
    expect(daysInMonth(12, 2026)).toBe(31);
  });

  it('refuse a day the month lacks, a year before 2000 and a day after the maximum', () => {
    expect(checkParts({ day: 28, month: 11, year: 2026 }, '2026-11-28')).toEqual({ day: '2026-11-28' });
    expect(checkParts({ day: 31, month: 4, year: 2026 })).toEqual({ problem: 'ui-err-date' });
    expect(checkParts({ day: 29, month: 2, year: 2026 })).toEqual({ problem: 'ui-err-date' });
    expect(checkParts({ day: 29, month: 2, year: 2028 })).toEqual({ day: '2028-02-29' });
    expect(checkParts({ day: 31, month: 12, year: 1999 })).toEqual({ problem: 'ui-err-before-2000' });
    expect(checkParts({ day: 29, month: 11, year: 2026 }, '2026-11-28')).toEqual({ problem: 'ui-err-future' });
    expect(checkParts({ day: 29, month: 11, year: 2026 })).toEqual({ day: '2026-11-29' });
    expect(checkParts({ day: 1, month: 13, year: 2026 })).toEqual({ problem: 'ui-err-date' });
  });

  it('check a stored value by the same rules', () => {
    expect(dayProblem('2026-11-28', '2026-11-28')).toBeNull();
    expect(dayProblem('2026-12-01', '2026-11-28')).toBe('ui-err-future');
    expect(dayProblem('1999-06-01', '2026-11-28')).toBe('ui-err-before-2000');
    expect(dayProblem('', '2026-11-28')).toBe('ui-err-date');
    expect(dayProblem('2026-02-30')).toBe('ui-err-date');
  });

  it('keep the day within the month when the month or year changes', () => {
    expect(withPart({ day: 31, month: 3, year: 2026 }, 'month', 2)).toEqual({ day: 28, month: 2, year: 2026 });
    expect(withPart({ day: 29, month: 2, year: 2028 }, 'year', 2027)).toEqual({ day: 28, month: 2, year: 2027 });
    expect(withPart({ day: 15, month: 3, year: 2026 }, 'day', 31)).toEqual({ day: 31, month: 3, year: 2026 });
  });

  it('offer years from the maximum back to 2000, newest first', () => {
    const years = yearChoices('2026-11-28', '2026-11-28');
    expect(years[0]).toBe(2026);
    expect(years.at(-1)).toBe(2000);
    expect(years).toHaveLength(27);
    // A hearing date has no maximum: two years ahead are offered.
    expect(yearChoices(undefined, '2026-11-28')[0]).toBe(2028);
    // A stored value outside the range stays choosable (it is shown, then refused).
    expect(yearChoices('2026-11-28', '2026-11-28', '1998-01-01')[0]).toBe(1998);
  });

  it('change one part of a set day, accepting it untouched costs nothing', () => {
    expect(pick('2026-11-28', NOTHING, 'day', 3)).toEqual({ value: '2026-11-03', pending: NOTHING });
    expect(pick('2026-03-31', NOTHING, 'month', 4)).toEqual({ value: '2026-04-30', pending: NOTHING });
  });

  it('fill an empty field (an optional date of birth) only once day, month and year are chosen', () => {
    let step = pick('', NOTHING, 'year', 2014);
    expect(step).toEqual({ value: null, pending: { day: null, month: null, year: 2014 } });
    step = pick('', step.pending, 'day', 31);
    expect(step.value).toBeNull();
    // 31 February is no day: the day becomes the month's last.
    expect(pick('', step.pending, 'month', 2)).toEqual({ value: '2014-02-28', pending: NOTHING });
  });
});

describe('a day picked for a hearing, after the summons was received', () => {
  it('takes a month before the summons as next year, sparing the year picker', () => {
    // Received on 28 November 2026: picking January means January 2027.
    expect(pick('2026-11-28', NOTHING, 'month', 1, '2026-11-28').value).toBe('2027-01-28');
    // A day earlier in the same month too.
    expect(pick('2026-11-28', NOTHING, 'day', 3, '2026-11-28').value).toBe('2027-11-03');
  });

  it('keeps a day on or after the summons, and a year picked as picked', () => {
    expect(pick('2026-11-28', NOTHING, 'month', 12, '2026-11-28').value).toBe('2026-12-28');
    expect(pick('2027-01-28', NOTHING, 'year', 2026, '2026-11-28').value).toBe('2026-01-28');
    // Without a first day, nothing moves.
    expect(pick('2026-11-28', NOTHING, 'month', 1).value).toBe('2026-01-28');
  });
});
