import { describe, expect, it } from 'vitest';
import {
  addDays,
  daysBetween,
  formatBytes,
  formatDate,
  formatMoment,
  formatNumber,
  formatRupees,
  dueText,
  dueWords,
  relativeDay,
} from '../src/lib/format';

describe('formatters', () => {
  it('write dates as the reports do, in both languages', () => {
    expect(formatDate('2026-11-28', 'en')).toBe('28 November 2026');
    expect(formatDate('2026-11-28', 'hi')).toBe('28 नवंबर 2026');
    expect(formatDate('2027-01-05', 'en')).toBe('5 January 2027');
    expect(formatDate(null, 'en')).toBe('–');
  });

  it('group numbers the Indian way', () => {
    expect(formatNumber(1234567.5, 'en')).toBe('12,34,567.5');
    expect(formatNumber(1234567, 'hi')).toBe('12,34,567');
    expect(formatRupees(300000, 'en')).toBe('₹3,00,000');
  });

  it('count days across months and years', () => {
    expect(daysBetween('2026-02-27', '2026-03-01')).toBe(2);
    expect(daysBetween('2026-12-31', '2027-01-01')).toBe(1);
    expect(daysBetween('2026-03-01', '2026-02-27')).toBe(-2);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(() => daysBetween('28/11/2026', '2026-11-28')).toThrow();
  });

  it('say when something is due in words', () => {
    expect(relativeDay('2026-11-28', '2026-11-28', 'en')).toBe('today');
    expect(relativeDay('2026-11-29', '2026-11-28', 'en')).toBe('tomorrow');
    expect(relativeDay('2026-11-20', '2026-11-28', 'en')).toBe('8 days ago');
    expect(relativeDay('2026-12-03', '2026-11-28', 'hi')).toBe('5 दिन में');
    expect(relativeDay('2026-11-20', '2026-11-28', 'hi')).toBe('8 दिन पहले');
  });

  it('show sync moments in India Standard Time', () => {
    expect(formatMoment('2026-11-27T20:00:00Z', 'en')).toBe('28 November 2026, 01:30');
    expect(formatMoment(null, 'hi')).toBe('कभी नहीं');
  });

  it('show bytes for the sync screen', () => {
    expect(formatBytes(507, 'en')).toBe('507 B');
    expect(formatBytes(2048, 'en')).toBe('2 KB');
  });

  it('word when a prompt is due with one message per case: overdue, today, ahead', () => {
    const today = '2026-11-28';
    expect(dueWords('2026-08-03', today)).toEqual(['ui-due-overdue', { days: 117 }]);
    expect(dueWords(today, today)).toEqual(['ui-due-today', {}]);
    expect(dueWords('2026-12-01', today)).toEqual(['ui-due-in', { days: 3 }]);
    expect(dueText('2026-08-03', today, 'en')).toBe('117 days overdue');
    expect(dueText('2026-11-27', today, 'en')).toBe('1 day overdue');
    expect(dueText(today, today, 'en')).toBe('due today');
    expect(dueText('2026-11-29', today, 'en')).toBe('due tomorrow');
    expect(dueText('2026-12-01', today, 'en')).toBe('due in 3 days');
    expect(dueText('2026-08-03', today, 'hi')).toBe('117 दिन से बाकी');
    expect(dueText('2026-11-27', today, 'hi')).toBe('कल से बाकी');
    expect(dueText(today, today, 'hi')).toBe('आज करना है');
    expect(dueText('2026-11-29', today, 'hi')).toBe('कल करना है');
    expect(dueText('2026-12-01', today, 'hi')).toBe('3 दिन में करना है');
    expect(dueText('2027-01-01', '2026-12-31', 'en')).toBe('due tomorrow');
  });
});
