import { describe, expect, it } from 'vitest';
import { filterCounts, groupByChild, passes } from '../src/lib/agenda';
import type { Priority, PromptKind, TodayPrompt } from '../src/lib/types';

const DAY = '2026-11-28';

function p(case_id: string, priority: Priority, due: string, kind: PromptKind = 'visit_due'): TodayPrompt {
  return { case_id, name: `Child ${case_id}`, village: 'Bakraur', kind, priority, due, dimension: null, subject: null, reason: '', why: { kind: 'unknown' } };
}

describe("today's list", () => {
  it('groups prompts by child, the child with the most urgent item first, each group most urgent first', () => {
    const groups = groupByChild(
      [
        p('a', 'normal', '2026-11-30'),
        p('b', 'high', '2026-11-20', 'school_enrolment'),
        p('a', 'urgent', '2026-11-29', 'court_summons'),
        p('c', 'urgent', '2026-11-28', 'harassment'),
        p('b', 'normal', '2026-11-28'),
      ],
      DAY,
    );
    expect(groups.map((g) => g.case_id)).toEqual(['c', 'a', 'b']);
    expect(groups[1].prompts.map((x) => x.kind)).toEqual(['court_summons', 'visit_due']);
    expect(groups.map((g) => [g.prompts.length, g.urgent, g.overdue])).toEqual([
      [1, 1, 0],
      [2, 1, 0],
      [2, 0, 1],
    ]);
  });

  it('filters: urgent, overdue (past its due day), this week (due within seven days, overdue included)', () => {
    expect(passes(p('a', 'urgent', '2026-12-20'), 'urgent', DAY)).toBe(true);
    expect(passes(p('a', 'high', '2026-11-27'), 'overdue', DAY)).toBe(true);
    expect(passes(p('a', 'high', DAY), 'overdue', DAY)).toBe(false);
    expect(passes(p('a', 'normal', '2026-12-04'), 'week', DAY)).toBe(true);
    expect(passes(p('a', 'normal', '2026-12-05'), 'week', DAY)).toBe(false);
    expect(passes(p('a', 'normal', '2026-10-01'), 'week', DAY)).toBe(true);
    const list = [p('a', 'urgent', '2026-11-27'), p('b', 'normal', '2026-12-10'), p('b', 'high', '2026-11-29')];
    expect(filterCounts(list, DAY)).toEqual({ all: 3, urgent: 1, overdue: 1, week: 2 });
    expect(groupByChild(list, DAY, 'overdue').map((g) => g.case_id)).toEqual(['a']);
    expect(groupByChild(list, DAY, 'week').map((g) => [g.case_id, g.prompts.length])).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
  });

  it('handles a caseload of hundreds of prompts', () => {
    const many = Array.from({ length: 600 }, (_, i) =>
      p(`c${i % 150}`, (['urgent', 'high', 'normal'] as const)[i % 3], `2026-11-${String((i % 28) + 1).padStart(2, '0')}`),
    );
    const groups = groupByChild(many, DAY);
    expect(groups).toHaveLength(150);
    expect(groups.reduce((n, g) => n + g.prompts.length, 0)).toBe(600);
    for (let i = 1; i < groups.length; i++) {
      const [a, b] = [groups[i - 1].prompts[0], groups[i].prompts[0]];
      const rank = { urgent: 0, high: 1, normal: 2 };
      expect(rank[a.priority] < rank[b.priority] || (a.priority === b.priority && a.due <= b.due)).toBe(true);
    }
  });
});
