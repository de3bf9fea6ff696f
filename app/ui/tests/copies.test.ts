import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { api, joinPages } from '../src/lib/api';
import { copiesOf, copyPlace, copySize, isImage, offersCamera, readFiles, takenByOther } from '../src/lib/copies';
import type { AttachmentView } from '../src/lib/types';

afterEach(() => clearMocks());

const author = { user_id: 'fw-1', name: 'Sunita Devi' };

function copy(id: string, over: Partial<AttachmentView> & { kind?: string; withdrawn?: boolean; sizes?: number[] } = {}): AttachmentView {
  const sizes = over.sizes ?? [1000, 2000];
  return {
    attachment: {
      id,
      kind: (over.kind ?? 'fir') as AttachmentView['attachment']['kind'],
      pages: sizes.map((size, i) => ({ hash: `${id}${i}`.padEnd(64, '0'), size, media_type: 'image/jpeg' })),
      taken_on: '2026-11-20',
      recorded_by: author,
      recorded_at: '2026-11-20T05:00:00Z',
      withdrawn: over.withdrawn
        ? { on: '2026-11-21', reason: 'wrong child', by: author, at: '2026-11-21T05:00:00Z', confirmed_by: null, confirmed_at: null }
        : null,
      verified: null,
    },
    held: over.held ?? sizes.map(() => true),
    waiting_bytes: over.waiting_bytes ?? 0,
  };
}

describe('copies of a checklist item', () => {
  it('counts only the active copies of that item and their pages, and keeps the withdrawn apart', () => {
    const views = [copy('a'), copy('b', { sizes: [5] }), copy('c', { withdrawn: true }), copy('d', { kind: 'bank_account' })];
    const fir = copiesOf(views, 'fir');
    expect(fir.active.map((v) => v.attachment.id)).toEqual(['a', 'b']);
    expect(fir.withdrawn.map((v) => v.attachment.id)).toEqual(['c']);
    expect(fir.pages).toBe(3);
    expect(copiesOf(views, 'care_plan')).toEqual({ active: [], withdrawn: [], pages: 0 });
  });

  it('says a copy waits while the server lacks bytes, is not here when a page is missing, else is on the server', () => {
    expect(copyPlace(copy('a', { waiting_bytes: 1500 }))).toBe('waiting');
    expect(copyPlace(copy('a', { held: [true, false] }))).toBe('not-here');
    expect(copyPlace(copy('a'))).toBe('on-server');
    // A page still going up is "waiting" even when another page is not held (never "on the server").
    expect(copyPlace(copy('a', { held: [true, false], waiting_bytes: 10 }))).toBe('waiting');
  });

  it('sizes a copy by all its pages and shows images but not PDFs', () => {
    expect(copySize(copy('a', { sizes: [1000, 2000, 24] }))).toBe(3024);
    expect(isImage('image/jpeg')).toBe(true);
    expect(isImage('image/webp')).toBe(true);
    expect(isImage('application/pdf')).toBe(false);
  });

  it('names who took a copy only when it was someone else', () => {
    expect(takenByOther(copy('a'), 'Sunita Devi')).toBeNull();
    expect(takenByOther(copy('a'), 'Supervisor Gaya')).toBe('Sunita Devi');
  });

  it('offers the camera on a phone\'s web view only', () => {
    expect(offersCamera('Mozilla/5.0 (Linux; Android 13; SM-A145F Build/TP1A; wv) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36')).toBe(true);
    expect(offersCamera('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko)')).toBe(false);
  });

  it('reads the chosen files in the order chosen', async () => {
    const files = [new File([new Uint8Array([1, 2, 3])], 'p1.jpg'), new File([new Uint8Array([9])], 'p2.png')];
    expect((await readFiles(files)).map((b) => [...b])).toEqual([[1, 2, 3], [9]]);
  });
});

describe('the copy commands', () => {
  it('join the pages into one raw body with their sizes', () => {
    const { body, sizes } = joinPages([new Uint8Array([1, 2]), new Uint8Array([]), new Uint8Array([3, 4, 5])]);
    expect([...body]).toEqual([1, 2, 3, 4, 5]);
    expect(sizes).toBe('2,0,3');
  });

  it('send the pages of a copy as raw bytes, never as a JSON array, with the case, kind and day in headers', async () => {
    mockIPC(() => []);
    const calls: [string, unknown, unknown][] = [];
    const internals = (window as unknown as { __TAURI_INTERNALS__: { invoke: (...a: unknown[]) => Promise<unknown> } }).__TAURI_INTERNALS__;
    const mocked = internals.invoke;
    internals.invoke = (cmd, args, options) => {
      calls.push([cmd as string, args, options]);
      return mocked(cmd, args, options);
    };
    await api.attach('c1', 'fir', '2026-11-20', [new Uint8Array([1, 2]), new Uint8Array([3])]);
    expect(calls).toHaveLength(1);
    const [cmd, body, options] = calls[0];
    expect(cmd).toBe('attach');
    expect(body).toBeInstanceOf(Uint8Array);
    expect([...(body as Uint8Array)]).toEqual([1, 2, 3]);
    expect(options).toEqual({
      headers: { 'homeward-case': 'c1', 'homeward-kind': 'fir', 'homeward-taken-on': '2026-11-20', 'homeward-page-sizes': '2,1' },
    });
  });

  it('name the other commands\' arguments as the Rust commands take them', async () => {
    const calls: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      calls.push([cmd, args]);
      return cmd === 'attachment_page' ? new Uint8Array([7, 8]).buffer : [];
    });
    await api.attachments('c1');
    await api.withdrawAttachment('c1', 'a1', 'wrong child', '2026-11-21');
    expect([...(await api.attachmentPage('a1', 1))]).toEqual([7, 8]);
    expect(calls).toEqual([
      ['attachments', { id: 'c1' }],
      ['withdraw_attachment', { id: 'c1', attachmentId: 'a1', reason: 'wrong child', on: '2026-11-21' }],
      ['attachment_page', { id: 'a1', page: 1 }],
    ]);
  });
});
