import { describe, expect, it } from 'vitest';
import { CommandError, toCommandError } from '../src/lib/api';
import { message } from '../src/lib/catalogue';
import { detailHidden, errorWording } from '../src/lib/errors';

describe('a refused command in words', () => {
  it('names why a new PIN was refused, in both languages', () => {
    const e = toCommandError({ kind: 'weak_pin', message: 'the PIN is a run of digits', reason: 'sequence' });
    const w = errorWording(e);
    expect(w.id).toBe('ui-err-weak_pin-sequence');
    expect(message('en', w.id)).toContain('123456');
    expect(message('hi', w.id)).toContain('123456');
    expect(detailHidden(e)).toBe(true);
  });

  it('says how long to wait after too many wrong PINs', () => {
    const wrong = errorWording(new CommandError('wrong_pin', 'wrong PIN', 30));
    expect(message('en', wrong.id, wrong.args)).toBe('Wrong PIN. Too many wrong PINs in a row: try again in 30 seconds.');
    const later = errorWording(toCommandError({ kind: 'try_later', message: 'x', seconds: 20 }));
    expect(message('hi', later.id, later.args)).toContain('20 सेकंड');
  });

  it('falls back to the kind alone', () => {
    expect(errorWording(new CommandError('wrong_pin', 'wrong PIN')).id).toBe('ui-err-wrong_pin');
    expect(errorWording(new CommandError('weak_pin', 'x', null, 'unheard_of')).id).toBe('ui-err-weak_pin');
    expect(errorWording(new CommandError('network', 'x')).id).toBe('ui-err-network');
    expect(detailHidden(new CommandError('network', 'x'))).toBe(false);
  });

  it('keeps a refused edit worded by the core in the app language', () => {
    const e = toCommandError({
      kind: 'bad_input',
      message: 'visit date (2099-01-01) is in the future',
      worded: 'मुलाक़ात की तारीख़ (1 जनवरी 2099) भविष्य में है',
    });
    expect(e.worded).toContain('1 जनवरी 2099');
    expect(e.message).toContain('2099-01-01');
    expect(toCommandError({ kind: 'network', message: 'x' }).worded).toBeNull();
  });
});
