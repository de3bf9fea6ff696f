// Copies of the checklist's documents on the real field app (issue 15), against the real server's
// demo: the fieldworker unlocks the phone, opens a child's documents, photographs two pages of a
// paper (synthetic PNGs made here, set on the camera's input as Android's camera would) and
// saves them as one copy, sees it
// listed with its two pages waiting to upload, opens the pages, withdraws a wrong copy with the
// reason, syncs, and sees the copy "on the server"; then the same in Hindi. Screenshots under
// HOMEWARD_SCREENSHOTS. Run with the other e2e tests:
//   NO_AT_BRIDGE=1 dbus-run-session -- xvfb-run -a node --test --test-concurrency=1   (in app/tests/e2e)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { BIN, PIN, enrolAndSync, setUp, shot, step, tap, tearDown, text, type, waitForText, world } from './harness.js';

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

/** A one-page PDF, kept as it is by the phone (no web view here shows a PDF inline). */
function pdf() {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 400] >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/**
 * The district's supervisor, on a phone of her own set up by the command line, attaches a copy
 * of `pages` to the case as `kind` and syncs: the fieldworker's phone then holds the reference
 * only, and downloads the pages on demand. Returns the copy's id.
 */
function supervisorAttaches(caseId, kind, pages) {
  const server = (...args) => execFileSync(BIN.server, ['--db', world.server.db, '--json', ...args], { encoding: 'utf8' });
  const code = JSON.parse(server('device', 'code', `supervisor-${world.server.district.toLowerCase()}`)).code;
  const data = join(world.work, 'supervisor-phone');
  const env = { ...process.env, HOMEWARD_PIN: PIN, HOMEWARD_KEYSTORE: `file:${data}-keys`, HOMEWARD_DATA_DIR: data };
  const cli = (...args) => execFileSync(BIN.cli, args, { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  cli('enrol', '--server', world.server.url, '--code', code, '--name', 'supervisor phone');
  cli('sync');
  const files = pages.map((bytes, i) => {
    const path = join(world.work, `supervisor-page-${i + 1}.png`);
    writeFileSync(path, bytes);
    return path;
  });
  const id = cli('attach', caseId, kind, ...files).trim().split('\n').pop();
  assert.match(cli('sync'), /0 bytes still waiting/, 'the supervisor\'s phone sent the pages');
  return id;
}

/**
 * Chooses files on a checklist item's input (`copy-file`: "Choose files"; `copy-camera`: "Take
 * a photo", which a phone's camera answers with one photo), as the picker or the camera would:
 * the files are built in the window from the bytes, set on the input through a DataTransfer, and
 * `change` is dispatched.
 */
async function chooseFiles(kind, files, input = 'copy-file') {
  const sent = files.map(({ name, type, bytes }) => ({ name, type, b64: bytes.toString('base64') }));
  const ok = await world.browser.execute(
    (kind, sent, testid) => {
      const input = document.querySelector(`[data-doc-copies="${kind}"] [data-testid=${testid}]`);
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
    input,
  );
  assert.ok(ok, `the ${input} input of ${kind} took the files`);
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

/** Waits until a copy `which` picks is listed under `kind` (the demo's cases have copies already). */
async function waitForCopy(kind, which, what) {
  let found;
  await world.browser.waitUntil(async () => (found = (await copiesListed(kind)).find(which)) !== undefined, {
    timeout: 20_000,
    timeoutMsg: `${kind} never listed ${what}`,
  });
  return found;
}

const newCopy = (kind, known) => waitForCopy(kind, (c) => !known.includes(c.id), 'a new copy');
const theCopy = (kind, id) => waitForCopy(kind, (c) => c.id === id, `copy ${id}`);
const ids = async (kind) => (await copiesListed(kind)).map((c) => c.id);

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
  let wrongId; // the id of the copy withdrawn

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

  await step(t, 'a child\'s documents: each checklist item offers "Add a copy", the camera on a phone', async () => {
    await tap('[data-tab=cases]');
    await world.browser.waitUntil(async () => (await world.browser.$$('[data-testid=case-list] button')).length > 0, { timeout: 10_000 });
    caseId = await world.browser.execute(() => document.querySelector('[data-testid=case-list] button').dataset.case);
    await openDocuments(caseId);
    const kinds = await world.browser.execute(() => [...document.querySelectorAll('[data-doc]')].map((e) => e.dataset.doc));
    assert.ok(kinds.length >= 2, `the checklist has items: ${kinds}`);
    [first, second] = kinds;
    const inputs = await world.browser.execute(() =>
      ['copy-file', 'copy-camera'].map((id) => {
        const i = document.querySelector(`[data-testid=${id}]`);
        return { accept: i.accept, capture: i.getAttribute('capture'), multiple: i.multiple };
      }),
    );
    assert.deepEqual(inputs, [
      { accept: 'image/jpeg,image/png,image/webp,application/pdf', capture: null, multiple: true },
      // Tauri's Android web view opens the camera for exactly this (wry's onShowFileChooser).
      { accept: 'image/*', capture: 'environment', multiple: false },
    ]);
    assert.equal(await text(`[data-doc-copies="${first}"] [data-testid=copy-add]`), 'Add a copy');
    // A desktop's web view offers no camera button (it would open a file picker).
    assert.equal(await (await world.browser.$('[data-testid=copy-photo]')).isExisting(), false);
  });

  await step(t, 'two pages photographed make one copy of 2 pages, kept on the phone until the upload', async () => {
    const before = await (await world.browser.$(`[data-doc="${first}"]`)).getAttribute('data-state');
    const known = await ids(first);
    await chooseFiles(first, [{ name: 'page-1.png', type: 'image/png', bytes: page(480, 640, 1) }], 'copy-camera');
    await waitForText(`[data-doc-copies="${first}"] [data-testid=copy-taking]`, '1 page photographed for this copy');
    assert.deepEqual(await ids(first), known, 'nothing is saved before "Save the copy"');
    await chooseFiles(first, [{ name: 'page-2.png', type: 'image/png', bytes: page(480, 640, 4) }], 'copy-camera');
    await waitForText(`[data-doc-copies="${first}"] [data-testid=copy-taking]`, '2 pages photographed for this copy');
    await shot('app-copy-taking-en', 1100, `[data-doc="${first}"]`);
    await tap(`[data-doc-copies="${first}"] [data-testid=copy-save]`);
    const c = await newCopy(first, known);
    assert.equal(await (await world.browser.$(`[data-doc-copies="${first}"] [data-testid=copy-taking]`)).isExisting(), false);
    kept = c.id;
    assert.equal(c.place, 'waiting', 'a copy taken here waits for the upload');
    assert.match(c.text, /2 pages/);
    assert.match(c.text, /Waiting to upload: [\d.,]+ (KB|B)/);
    const n = known.length + 1;
    assert.equal((await ids(first)).length, n, 'one copy more');
    assert.match(await text(`[data-doc-copies="${first}"] [data-testid=copy-count]`), new RegExp(`^${n === 1 ? '1 copy' : `${n} copies`} · \\d+ pages?$`));
    // A copy of the paper means it was in hand: a missing item is now received.
    // (The checklist's edit follows the copy's: wait for it rather than race it.)
    const want = before === 'missing' ? 'received' : before;
    await world.browser.waitUntil(
      async () => (await (await world.browser.$(`[data-doc="${first}"]`)).getAttribute('data-state')) === want,
      { timeout: 10_000, timeoutMsg: `the item never became ${want}` },
    );
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
    // Small print: a tap shows the page at its own size, scrolled sideways; another fits it again.
    const width = () => world.browser.execute(() => document.querySelector('[data-testid=viewer-image]').clientWidth);
    assert.ok((await width()) < 480, 'the page fits the screen first');
    await tap('[data-testid=viewer-page] button');
    await world.browser.waitUntil(async () => (await width()) === 480, { timeout: 5_000, timeoutMsg: 'the page never showed at its size' });
    await tap('[data-testid=viewer-page] button');
    await world.browser.waitUntil(async () => (await width()) < 480, { timeout: 5_000, timeoutMsg: 'the page never fitted again' });
    await tap('[data-testid=viewer-close]');
    assert.equal(await (await world.browser.$('[data-testid=copy-viewer]')).isExisting(), false);
  });

  await step(t, 'a file that is neither a photo nor a PDF is refused in words, and nothing is kept', async () => {
    const known = await ids(second);
    await chooseFiles(second, [{ name: 'notes.png', type: 'image/png', bytes: Buffer.from('not a picture at all') }]);
    await waitForText(`[data-doc-copies="${second}"] [data-testid=error]`, 'This copy cannot be saved.');
    assert.match(await text(`[data-doc-copies="${second}"] [data-testid=error-worded]`), /page 1 is not a photo \(JPEG, PNG, WebP\) or a PDF/);
    assert.deepEqual(await ids(second), known);
  });

  await step(t, 'a PDF is kept as it is and said to be a PDF; withdrawn with the reason, it leaves the count', async () => {
    const bytes = pdf();
    const known = await ids(second);
    await chooseFiles(second, [{ name: 'wrong.pdf', type: 'application/pdf', bytes }]);
    const wrong = await newCopy(second, known);
    wrongId = wrong.id;
    assert.equal(await (await world.browser.$(`[data-doc-copies="${second}"] [data-testid=error]`)).isExisting(), false, 'the refusal is gone');
    await tap(`[data-copy="${wrong.id}"] [data-testid=copy-open]`);
    await waitForText('[data-testid=viewer-pdf]', 'PDF, ');
    assert.match(await text('[data-testid=viewer-pdf]'), new RegExp(`PDF, ${bytes.length} B`), 'a PDF is kept byte for byte');
    await shot('app-copy-pdf-en');
    await tap('[data-testid=viewer-close]');
    await tap(`[data-copy="${wrong.id}"] [data-testid=copy-withdraw]`);
    // Without a reason, nothing is withdrawn.
    await tap(`[data-copy="${wrong.id}"] [data-testid=withdraw-confirm]`);
    await waitForText(`[data-copy="${wrong.id}"] [role=alert]`, 'Say why');
    await type(`[data-copy="${wrong.id}"] [data-testid=withdraw-reason]`, 'photo of another child\'s paper');
    await tap(`[data-copy="${wrong.id}"] [data-testid=withdraw-confirm]`);
    const gone = `[data-testid=copy-withdrawn][data-copy="${wrong.id}"]`;
    await waitForText(gone, 'Withdrawn on');
    assert.match(await text(gone), /photo of another child's paper/);
    assert.deepEqual(await ids(second), known, 'the withdrawn copy left the list of copies');
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
    const c = await theCopy(first, kept);
    assert.equal(c.place, 'on-server');
    assert.match(c.text, /On the server/);
    await shot('app-copies-synced-en', 1100, `[data-doc="${first}"]`);
  });

  await step(t, 'a copy taken on the supervisor\'s phone comes as a reference; Download brings its pages', async () => {
    const third = await world.browser.execute(() => [...document.querySelectorAll('[data-doc]')].map((e) => e.dataset.doc)[2]);
    const theirs = supervisorAttaches(caseId, third, [page(400, 300, 2), page(400, 300, 5)]);
    await syncNow('Up to date');
    await openDocuments(caseId);
    const c = await theCopy(third, theirs);
    assert.equal(c.place, 'not-here', 'the sync brought the reference, not the pages');
    assert.match(c.text, /Not on this phone yet/);
    assert.match(await text(`[data-copy="${theirs}"] [data-testid=copy-by]`), /^Taken by \S/, 'a copy another person took says who');
    assert.equal(await (await world.browser.$(`[data-copy="${kept}"] [data-testid=copy-by]`)).isExisting(), false, 'her own copies do not');
    assert.equal(await (await world.browser.$(`[data-copy="${theirs}"] [data-testid=copy-open]`)).isExisting(), false);
    await shot('app-copy-not-here-en', 1100, `[data-doc="${third}"]`);
    await tap(`[data-copy="${theirs}"] [data-testid=copy-download]`);
    await world.browser.waitUntil(async () => (await copiesListed(third)).find((x) => x.id === theirs)?.place === 'on-server', {
      timeout: 30_000,
      timeoutMsg: 'the download never ended',
    });
    await tap(`[data-copy="${theirs}"] [data-testid=copy-open]`);
    await world.browser.waitUntil(
      async () =>
        world.browser.execute(() => {
          const imgs = [...document.querySelectorAll('[data-testid=viewer-image]')];
          return imgs.length === 2 && imgs.every((i) => i.complete && i.naturalWidth === 400);
        }),
      { timeout: 15_000, timeoutMsg: 'the downloaded pages never showed' },
    );
    await tap('[data-testid=viewer-close]');
  });

  await step(t, 'in Hindi: the copy, its pages and where it is', async () => {
    await tap('[data-tab=settings]');
    await tap('[data-lang=hi]');
    await openDocuments(caseId);
    const c = await theCopy(first, kept);
    assert.match(c.text, /2 पेज/);
    assert.match(c.text, /सर्वर पर है/);
    assert.equal(await text(`[data-doc-copies="${first}"] [data-testid=copy-add]`), 'प्रति जोड़ें');
    assert.match(await text(`[data-testid=copy-withdrawn][data-copy="${wrongId}"]`), /को वापस ली गई/);
    const overflow = await world.browser.execute(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    assert.equal(overflow, false, 'nothing runs off the side of the screen');
    await shot('app-copies-hi', 1100, `[data-doc="${first}"]`);
    await tap(`[data-copy="${kept}"] [data-testid=copy-open]`);
    await waitForText('[data-testid=copy-viewer]', 'पेज 1/2');
    await shot('app-copy-viewer-hi');
    await tap('[data-testid=viewer-close]');
  });
});
