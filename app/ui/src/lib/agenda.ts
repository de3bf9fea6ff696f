// Today's prompts as a fieldworker works through them: grouped by child, the child with the most
// urgent item first, and filtered (all, urgent, overdue, this week). Pure and tested; what is
// due and how urgent it is comes from homeward-shared's rules, never from here.
import { addDays } from './format';
import type { Day, Priority, TodayPrompt } from './types';

export type Filter = 'all' | 'urgent' | 'overdue' | 'week';
export const FILTERS: Filter[] = ['urgent', 'overdue', 'week', 'all'];

const RANK: Record<Priority, number> = { urgent: 0, high: 1, normal: 2 };

/** Past its due date on `day`. */
export function isOverdue(p: { due: Day }, day: Day): boolean {
  return p.due < day;
}

/**
 * Whether a prompt passes a filter. "This week" is everything due within the next seven days
 * (today and the six after), overdue items included: what has to be done this week.
 */
export function passes(p: TodayPrompt, filter: Filter, day: Day): boolean {
  switch (filter) {
    case 'urgent':
      return p.priority === 'urgent';
    case 'overdue':
      return isOverdue(p, day);
    case 'week':
      return p.due <= addDays(day, 6);
    default:
      return true;
  }
}

/** Most urgent first: priority, then the earliest due, then the kind (a stable order). */
export function byUrgency(a: TodayPrompt, b: TodayPrompt): number {
  return RANK[a.priority] - RANK[b.priority] || a.due.localeCompare(b.due) || a.kind.localeCompare(b.kind);
}

export interface ChildGroup {
  case_id: string;
  name: string;
  village: string;
  /** The child's prompts that pass the filter, most urgent first. */
  prompts: TodayPrompt[];
  urgent: number;
  overdue: number;
}

/** The prompts that pass `filter`, one group per child, the group with the most urgent item first. */
export function groupByChild(prompts: TodayPrompt[], day: Day, filter: Filter = 'all'): ChildGroup[] {
  const groups = new Map<string, ChildGroup>();
  for (const p of prompts) {
    if (!passes(p, filter, day)) continue;
    let g = groups.get(p.case_id);
    if (!g) {
      g = { case_id: p.case_id, name: p.name, village: p.village, prompts: [], urgent: 0, overdue: 0 };
      groups.set(p.case_id, g);
    }
    g.prompts.push(p);
    if (p.priority === 'urgent') g.urgent += 1;
    if (isOverdue(p, day)) g.overdue += 1;
  }
  const list = [...groups.values()];
  for (const g of list) g.prompts.sort(byUrgency);
  return list.sort(
    (a, b) => byUrgency(a.prompts[0], b.prompts[0]) || b.prompts.length - a.prompts.length || a.name.localeCompare(b.name),
  );
}

/** How many prompts each filter would show, for the filter chips. */
export function filterCounts(prompts: TodayPrompt[], day: Day): Record<Filter, number> {
  const counts = { all: 0, urgent: 0, overdue: 0, week: 0 };
  for (const p of prompts) for (const f of FILTERS) if (passes(p, f, day)) counts[f] += 1;
  return counts;
}
