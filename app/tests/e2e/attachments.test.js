// Copies of the checklist's documents on the real field app (issue 15), against the real server's
// demo: the fieldworker unlocks the phone, opens a child's documents, adds a copy of two pages
// (synthetic PNGs made here, set on the file input as a person's file picker would), sees it
// listed with its two pages waiting to upload, opens the pages, withdraws a wrong copy with the
// reason, syncs, and sees the copy "on the server"; then the same in Hindi. Screenshots under
// HOMEWARD_SCREENSHOTS. Run with the other e2e tests:
//   NO_AT_BRIDGE=1 dbus-run-session -- xvfb-run -a node --test --test-concurrency=1   (in app/tests/e2e)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { PIN, enrolAndSync, setUp, shot, step, tap, tearDown, text, type, waitForText, world } from './harness.js';

before(setUp);
after(tearDown);

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * A synthetic page: a PNG of `w` x `h` pixels, a paper-coloured sheet with dark stripes whose
 * spacing differs by `seed` (so two pages differ, and the viewer has something to show).
 */
function page(w, h, seed) {
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0; // no filter
    for (let x = 0; x < w; x++) {
      const ink = (y % (8 + seed) < 2 && x > 10 && x < w - 10) || (x < 4 && seed % 2 === 0);
      const o = y * (w * 3 + 1) + 1 + x * 3;
      raw[o] = ink ? 30 : 245;
      raw[o + 1] = ink ? 30 : 240;
      raw[o + 2] = ink ? 60 : 225;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * Chooses files on a checklist item's "Add a copy" input, as the file picker (or the camera on a
 * phone) would: the files are built in the window from the bytes, set on the input through a
 * DataTransfer, and `change` is dispatched.
 */
async function chooseFiles(kind, files) {
  const sent = files.map(({ name, type, bytes }) => ({ name, type, b64: bytes.toString('base64') }));
  const ok = await world.browser.execute(
    (kind, sent) => {
      const input = document.querySelector(`[data-doc-copies="${kind}"] [data-testid=copy-file]`);
      if (!input) return false;
      const dt = new DataTransfer();
      for (const f of sent) {
        const bin = atob(f.b64);
        const bytes = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
        dt.items.add(new File([bytes], f.name, { type: f.type }));
      }
      input.files = dt.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
      return input.files.length === sent.length;
    },
    kind,
    sent,
  );
  assert.ok(ok, `the "Add a copy" input of ${kind} took the files`);
}

/** The copies listed under a checklist item, as the screen shows them. */
function copiesListed(kind) {
  return world.browser.execute((kind) => {
    const item = document.querySelector(`[data-doc-copies="${kind}"]`);
    return [...(item?.querySelectorAll('[data-testid=copy]') ?? [])].map((c) => ({
      id: c.dataset.copy,
      place: c.dataset.place,
      text: c.textContent.replace(/\s+/g, ' ').trim(),
    }));
  }, kind);
}

async function waitForCopies(kind, n) {
  await world.browser.waitUntil(async () => (await copiesListed(kind)).length === n, {
    timeout: 20_000,
    timeoutMsg: `${kind} never listed ${n} copies`,
  });
  return copiesListed(kind);
}

/** Syncs from the Sync tab and waits for the sync, records and copies, to end. */
async function syncNow(done) {
  await tap('[data-tab=sync]');
  await tap('[data-testid=sync-now]');
  await waitForText('[data-testid=sync-done]', done, 60_000);
}

async function openDocuments(caseId) {
  await tap('[data-tab=cases]');
  await tap(`[data-testid=case-list] button[data-case="${caseId}"]`);
  await tap('[data-testid=section-documents]');
  await world.browser.waitUntil(async () => (await world.browser.$$('[data-testid=copies]')).length > 0, {
    timeout: 10_000,
    timeoutMsg: 'the documents checklist never showed its copies',
  });
}

test('copies of a child\'s documents, from the camera to the server', async (t) => {
  let caseId;
  let first; // the checklist item that gets the copy of two pages
  let second; // the item whose copy is withdrawn
  let kept; // the id of the copy of two pages

  await step(t, 'enrol in English, lock the phone and unlock it with the PIN', async () => {
    await tap('[data-lang=en]');
    await waitForText('h1', 'Set up this phone');
    await enrolAndSync();
    await tap('[data-tab=settings]');
    await tap('[data-testid=lock]');
    await type('#pin', PIN);
    await tap('button[type=submit]');
    await world.browser.waitUntil(async () => (await world.browser.$('[data-tab=cases]')).isExisting(), {
      timeout: 20_000,
      timeoutMsg: 'the PIN never unlocked the phone',
    });
  });

  await step(t, 'a child\'s documents: each checklist item offers "Add a copy"', async () => {
    await tap('[data-tab=cases]');
    await world.browser.waitUntil(async () => (await world.browser.$$('[data-testid=case-list] button')).length > 0, { timeout: 10_000 });
    caseId = await world.browser.execute(() => document.querySelector('[data-testid=case-list] button').dataset.case);
    await openDocuments(caseId);
    const kinds = await world.browser.execute(() => [...document.querySelectorAll('[data-doc]')].map((e) => e.dataset.doc));
    assert.ok(kinds.length >= 2, `the checklist has items: ${kinds}`);
    [first, second] = kinds;
    const input = await world.browser.execute(() => {
      const i = document.querySelector('[data-testid=copy-file]');
      return { accept: i.accept, capture: i.getAttribute('capture'), multiple: i.multiple };
    });
    assert.deepEqual(input, { accept: 'image/jpeg,image/png,image/webp,application/pdf', capture: 'environment', multiple: true });
    assert.equal(await text(`[data-doc-copies="${first}"] [data-testid=copy-add]`), 'Add a copy');
  });

  await step(t, 'two pages chosen make one copy of 2 pages, kept on the phone until the upload', async () => {
    const before = await (await world.browser.$(`[data-doc="${first}"]`)).getAttribute('data-state');
    await chooseFiles(first, [
      { name: 'page-1.png', type: 'image/png', bytes: page(480, 640, 1) },
      { name: 'page-2.png', type: 'image/png', bytes: page(480, 640, 4) },
    ]);
    const [c] = await waitForCopies(first, 1);
    kept = c.id;
    assert.equal(c.place, 'waiting', 'a copy taken here waits for the upload');
    assert.match(c.text, /2 pages/);
    assert.match(c.text, /Waiting to upload: [\d.,]+ (KB|B)/);
    assert.match(await text(`[data-doc-copies="${first}"] [data-testid=copy-count]`), /^1 copy · 2 pages$/);
    // A copy of the paper means it was in hand: a missing item is now received.
    const after = await (await world.browser.$(`[data-doc="${first}"]`)).getAttribute('data-state');
    assert.equal(after, before === 'missing' ? 'received' : before);
    await shot('app-copies-en', 1100, `[data-doc="${first}"]`);
  });

  await step(t, 'the copy opens on its pages, each image shown', async () => {
    await tap(`[data-copy="${kept}"] [data-testid=copy-open]`);
    await world.browser.waitUntil(
      async () =>
        world.browser.execute(() => {
          const imgs = [...document.querySelectorAll('[data-testid=viewer-image]')];
          return imgs.length === 2 && imgs.every((i) => i.complete && i.naturalWidth > 0);
        }),
      { timeout: 15_000, timeoutMsg: 'the viewer never showed both pages' },
    );
    const sizes = await world.browser.execute(() =>
      [...document.querySelectorAll('[data-testid=viewer-image]')].map((i) => [i.naturalWidth, i.naturalHeight, i.src.slice(0, 5)]),
    );
    assert.deepEqual(sizes, [[480, 640, 'blob:'], [480, 640, 'blob:']], 'each page from its bytes, as a blob URL, at its size');
    assert.match(await text('[data-testid=copy-viewer]'), /Page 1 of 2/);
    await shot('app-copy-viewer-en');
    await tap('[data-testid=viewer-close]');
    assert.equal(await (await world.browser.$('[data-testid=copy-viewer]')).isExisting(), false);
  });

  await step(t, 'a wrong copy is withdrawn with the reason, and leaves the count', async () => {
    await chooseFiles(second, [{ name: 'wrong.png', type: 'image/png', bytes: page(300, 400, 7) }]);
    const [wrong] = await waitForCopies(second, 1);
    await tap(`[data-copy="${wrong.id}"] [data-testid=copy-withdraw]`);
    // Without a reason, nothing is withdrawn.
    await tap(`[data-copy="${wrong.id}"] [data-testid=withdraw-confirm]`);
    await waitForText(`[data-copy="${wrong.id}"] [role=alert]`, 'Say why');
    await type(`[data-copy="${wrong.id}"] [data-testid=withdraw-reason]`, 'photo of another child\'s paper');
    await tap(`[data-copy="${wrong.id}"] [data-testid=withdraw-confirm]`);
    await waitForCopies(second, 0);
    await waitForText(`[data-doc-copies="${second}"] [data-testid=copy-withdrawn]`, "Withdrawn on");
    assert.match(await text(`[data-doc-copies="${second}"] [data-testid=copy-withdrawn]`), /photo of another child's paper/);
    assert.equal(await (await world.browser.$(`[data-doc-copies="${second}"] [data-testid=copy-count]`)).isExisting(), false);
    await shot('app-copy-withdrawn-en', 1100, `[data-doc="${second}"]`);
  });

  await step(t, 'the Sync screen says what waits; the sync sends it and the copy is on the server', async () => {
    await tap('[data-tab=sync]');
    const waiting = await world.browser.$('[data-testid=copies-waiting]');
    await waiting.waitForDisplayed({ timeout: 10_000 });
    const bytes = Number(await waiting.getAttribute('data-bytes'));
    assert.ok(bytes > 0, 'the two pages wait for the upload');
    assert.match(await waiting.getText(), /KB in 2 pages/, 'only the kept copy\'s pages wait: the withdrawn one left the phone');
    await shot('app-sync-copies-en');
    await syncNow('Up to date');
    await world.browser.waitUntil(async () => Number(await (await world.browser.$('[data-testid=copies-waiting]')).getAttribute('data-bytes')) === 0, {
      timeout: 20_000,
      timeoutMsg: 'the copies still wait after the sync',
    });
    assert.equal(await text('[data-testid=copies-waiting]'), 'nothing');
    await shot('app-sync-copies-sent-en');
    await openDocuments(caseId);
    const [c] = await waitForCopies(first, 1);
    assert.equal(c.place, 'on-server');
    assert.match(c.text, /On the server/);
    await shot('app-copies-synced-en', 1100, `[data-doc="${first}"]`);
  });

  await step(t, 'in Hindi: the copy, its pages and where it is', async () => {
    await tap('[data-tab=settings]');
    await tap('[data-lang=hi]');
    await openDocuments(caseId);
    const [c] = await waitForCopies(first, 1);
    assert.match(c.text, /2 पेज/);
    assert.match(c.text, /सर्वर पर है/);
    assert.equal(await text(`[data-doc-copies="${first}"] [data-testid=copy-add]`), 'प्रति जोड़ें');
    assert.match(await text(`[data-doc-copies="${second}"] [data-testid=copy-withdrawn]`), /को वापस ली गई/);
    const overflow = await world.browser.execute(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(overflow, false, 'nothing runs off the side of the screen');
    await shot('app-copies-hi', 1100, `[data-doc="${first}"]`);
    await tap(`[data-copy="${kept}"] [data-testid=copy-open]`);
    await waitForText('[data-testid=copy-viewer]', 'पेज 1/2');
    await shot('app-copy-viewer-hi');
    await tap('[data-testid=viewer-close]');
  });
});
