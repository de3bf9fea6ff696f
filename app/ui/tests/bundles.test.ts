import type { FluentVariable } from '@fluent/bundle';
import { describe, expect, it } from 'vitest';
import { holdsText, leftoverCount, receivedLines, relayKind, smsHref, urgentRecords } from '../src/lib/bundles';
import { CommandError } from '../src/lib/api';
import { message } from '../src/lib/catalogue';
import { detailHidden, errorWording } from '../src/lib/errors';
import type { Lang } from '../src/lib/types';
import { view } from './fixtures';

const words = (lang: Lang) => (id: string, args?: Record<string, FluentVariable>) => message(lang, id, args);
const author = { user_id: 'fw-1', name: 'Sunita Devi' };

describe('what a file of this phone\'s changes holds', () => {
  it('says the changes, the cases, the spot-check results, the pages and the size', () => {
    const h = { cases: 1, changes: 3, outcomes: 0, pages: 2, bytes: 3 * 1024 };
    expect(holdsText(h, words('en'), 'en')).toBe(
      'It holds 3 changes of one case, no spot-check result and 2 pages of copies: 3 KB in all.',
    );
    expect(holdsText({ ...h, cases: 4, outcomes: 1, pages: 0 }, words('hi'), 'hi')).toBe(
      'इसमें 4 मामलों के 3 बदलाव, 1 स्पॉट-चेक नतीजा और किसी प्रति का कोई पेज नहीं हैं: कुल 3 KB।',
    );
  });
});

describe('the SMS app\'s link', () => {
  it('carries the number as digits and the text encoded, so nothing of it is lost', () => {
    expect(smsHref('+91 98765-43210', 'HW1 a/b+c=d')).toBe('sms:+919876543210?body=HW1%20a%2Fb%2Bc%3Dd');
  });
});

describe('the records of a case that may go by SMS', () => {
  const today = '2026-11-20';
  const c = view().case;
  const summons = (id: string, received_on: string, hearing_on: string, outcome = false) => ({
    id,
    received_on,
    hearing_on,
    mode: null,
    follows: null,
    outcome: outcome ? { held_on: hearing_on, result: 'testimony_given' as never, next_hearing_on: null, note: null } : null,
    recorded_by: author,
    recorded_at: `${received_on}T05:00:00Z`,
  });
  const incident = (id: string, on: string) => ({ id, on, what: 'threats', police_informed: false, recorded_by: author, recorded_at: `${on}T05:00:00Z` });
  c.legal.summonses = [
    summons('s-ahead', '2026-11-18', '2026-12-02'),
    summons('s-past-done', '2026-06-01', '2026-06-20', true),
    summons('s-old-open', '2026-05-01', '2026-05-20'),
  ] as never;
  c.legal.incidents = [incident('i-recent', '2026-11-19'), incident('i-old', '2026-08-01')] as never;

  it('are the summonses ahead and the incidents of the last 30 days, newest first', () => {
    const r = urgentRecords(c, today, words('en'), 'en');
    expect(r.map((x) => [x.record, x.kind])).toEqual([
      ['i-recent', 'incident'],
      ['s-ahead', 'summons'],
    ]);
  });

  it('are named by their dates, in the screen\'s language, with no name of the child', () => {
    const [inc, sum] = urgentRecords(c, today, words('en'), 'en');
    expect(inc.label).toBe('Incident on 19 November 2026');
    expect(sum.label).toBe('Summons received 18 November 2026, hearing 2 December 2026');
    const hi = urgentRecords(c, today, words('hi'), 'hi');
    expect(hi[1].label).toMatch(/^समन .* को मिला, सुनवाई .* को$/);
    for (const x of [inc, sum]) expect(x.label).not.toContain(c.child.name);
  });
});

describe('what receiving a file did, in words', () => {
  it('counts what the server\'s file brought, and the changes of this phone it confirms', () => {
    const r = { received: 'applied' as const, documents: 1, changes: 2, confirmed: 1 };
    expect(receivedLines(r, words('en'))).toEqual([
      'File applied: 3 updates received.',
      'The server confirms one change made here: it will not be sent again.',
    ]);
    expect(receivedLines({ ...r, documents: 0, changes: 0, confirmed: 0 }, words('en'))).toEqual([
      'File applied: nothing new for this phone.',
    ]);
  });

  it('says a file for the server is kept to pass on, once', () => {
    expect(receivedLines({ received: 'kept_for_relay', kind: 'device_bundle', id: 'ab' }, words('hi'))).toEqual([
      'अगले सिंक में सर्वर तक पहुँचाने के लिए रख ली गई। यह फ़ोन इसे पढ़ नहीं सकता।',
    ]);
    expect(receivedLines({ received: 'already_held', kind: 'device_bundle', id: 'ab' }, words('en'))[0]).toMatch(/already on this phone/);
  });

  it('names the child of a case sealed to this phone and imported, or its id until the name is read', () => {
    const r = { received: 'case_imported' as const, case: 'c0027-9fa517e5', new: true };
    expect(receivedLines(r, words('en'), 'Ravi Kumar')[0]).toMatch(/^Case imported: Ravi Kumar, sent from another phone\./);
    expect(receivedLines(r, words('hi'))[0]).toMatch(/^मामला आ गया: c0027-9fa517e5,/);
  });
});

describe('after a verified revocation', () => {
  it('counts the changes and spot-check results the sealed leftover keeps for the server', () => {
    const l = { path: '/data/homeward-leftover-d1-20261120T101010.hwsealed', revoked_at: '2026-11-20T10:10:00Z', changes: 2, outcomes: 1, pages: 3 };
    expect(leftoverCount(l)).toBe(3);
    expect(message('en', 'ui-revoked-leftover', { changes: leftoverCount(l) })).toBe(
      'The 3 changes not yet on the server were kept in a sealed file that only the server can read:',
    );
    expect(message('en', 'ui-revoked-leftover', { changes: 1 })).toMatch(/^The one change not yet on the server was kept/);
  });
});

describe('a file held to pass on', () => {
  it('is named by its kind, whether the core gives the key or the English name', () => {
    expect(relayKind("a phone's changes")).toBe('device_bundle');
    expect(relayKind('device_bundle')).toBe('device_bundle');
    expect(relayKind('an exported case')).toBe('case_export');
    expect(message('hi', `ui-relay-kind-${relayKind('case_export')}`)).toBe('दूसरे फ़ोन से भेजा गया मामला');
  });
});

describe('a revocation the phone cannot verify', () => {
  it('says that nothing was deleted, in words of its own, without the English detail', () => {
    const e = new CommandError('unverified_revocation', 'the server answered that this device was revoked, but that answer could not be verified (it carried no signed statement): nothing was deleted');
    const w = errorWording(e);
    expect(message('en', w.id)).toBe("The server's answer could not be verified; nothing was deleted. Keep working: the next sync asks again.");
    expect(message('hi', w.id)).toMatch(/कुछ भी नहीं मिटाया गया/);
    expect(detailHidden(e)).toBe(true);
  });
});
