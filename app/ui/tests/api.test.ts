import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandError, api } from '../src/lib/api';

afterEach(() => clearMocks());

describe('the command layer', () => {
  it('passes arguments in the form the Rust commands take', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return cmd === 'cases' ? { rows: [], blocks: ['Bodh Gaya'] } : null;
    });
    expect(await api.cases('Bakraur', null, 'Bodh Gaya')).toEqual({ rows: [], blocks: ['Bodh Gaya'] });
    await api.changePin('1234', '5678');
    await api.enrol('http://127.0.0.1:8080', 'ABCD', '1234', 'phone');
    await api.schemes();
    await api.areas();
    await api.edit('c1', { edit: 'update_incident', id: 'i1', police_informed: true });
    expect(calls).toEqual([
      ['cases', { search: 'Bakraur', risk: null, block: 'Bodh Gaya' }],
      ['change_pin', { oldPin: '1234', newPin: '5678' }],
      ['enrol', { server: 'http://127.0.0.1:8080', code: 'ABCD', pin: '1234', deviceName: 'phone' }],
      ['schemes', {}],
      ['areas', {}],
      ['edit', { id: 'c1', edit: { edit: 'update_incident', id: 'i1', police_informed: true } }],
    ]);
  });

  it('turns a refused command into an error with a kind', async () => {
    mockIPC(() => {
      throw { kind: 'wrong_pin', message: 'wrong PIN for the store in /tmp/x' };
    });
    const err = await api.unlock('0000').catch((e) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect(err.kind).toBe('wrong_pin');
  });
});
