import { describe, expect, it } from 'vitest';
import { message } from '../src/lib/catalogue';
import { standingKey } from '../src/lib/field';
import type { CaseView } from '../src/lib/types';
import { view } from './fixtures';

// The Case screen's status line (issue 12, section 2, Reviews): a closure no review has decided
// waits for the Core Team's review, on the phone as on the dashboard.
function closed(pending: boolean, closure: CaseView['case']['status']['closure'] = 'follow_up_ended'): CaseView {
  const v = view();
  v.case.status = { ...v.case.status, state: 'closed', reason: 'Settled with her family', since: '2026-11-20', closure };
  v.closure_pending = pending;
  return v;
}

describe("the case screen's status", () => {
  it('says a closure waits for the Core Team in English and Hindi', () => {
    const key = standingKey(closed(true));
    expect(key).toBe('ui-closure-pending');
    expect(message('en', key!)).toBe("Closed — waiting for the Core Team's review");
    expect(message('hi', key!)).toBe('बंद — कोर टीम की समीक्षा का इंतज़ार');
  });

  it('says just closed once the closure is approved (no longer pending)', () => {
    expect(message('en', standingKey(closed(false))!)).toBe('closed');
  });

  it('keeps saying registered in error while that closure waits', () => {
    expect(message('en', standingKey(closed(true, 'registered_in_error'))!)).toBe(
      "Closed (registered in error) — waiting for the Core Team's review",
    );
    expect(message('en', standingKey(closed(false, 'registered_in_error'))!)).toBe('closed: registered in error');
  });

  it('shows nothing for an active case, and the state of any other', () => {
    const v = view();
    v.closure_pending = true; // stale reference data: an open case waits for nothing
    expect(standingKey(v)).toBeNull();
    v.case.status = { ...v.case.status, state: 'missing', reason: 'Not at home for two weeks' };
    expect(standingKey(v)).toBe('state-missing');
  });
});
