// The real field app (homeward-app, built with its bundled UI) in a real window under Xvfb,
// driven through tauri-driver and WebKitWebDriver, against a real homeward-sync-server filled
// with synthetic demo data. Run by scripts/test as:
//   NO_AT_BRIDGE=1 dbus-run-session -- xvfb-run -a node --test   (in app/tests/e2e)
// HOMEWARD_SCREENSHOTS=DIR saves the screenshots README shows (scripts/screenshots does).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { remote } from 'webdriverio';

const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache/homeward/target');
const BIN = {
  app: join(target, 'debug/homeward-app'),
  server: join(target, 'debug/homeward-sync-server'),
};
const DRIVER =
  process.env.TAURI_DRIVER ||
  (() => {
    try {
      return execFileSync('sh', ['-c', 'command -v tauri-driver'], { encoding: 'utf8' }).trim();
    } catch {
      return join(homedir(), '.cargo/bin/tauri-driver');
    }
  })();
const PIN = '246813';
const SHOTS = process.env.HOMEWARD_SCREENSHOTS;

const work = mkdtempSync(join(tmpdir(), 'homeward-app-e2e-'));
const children = [];
let browser;
let server; // { url, db, code, blocks }
let taps = 0;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function waitForPort(port, ms) {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const sock = connect(port, '127.0.0.1');
      sock.once('connect', () => {
        sock.end();
        resolve();
      });
      sock.once('error', () => {
        if (Date.now() > until) reject(new Error(`nothing listens on ${port} after ${ms} ms`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

function startServer() {
  const db = join(work, 'server.db');
  const child = spawn(BIN.server, ['--db', db, 'demo', '--listen', '127.0.0.1:0', '--cases', '40'], {
    env: { ...process.env, RUST_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const url = /^listening on (\S+)/m.exec(out);
      if (!url) return;
      const code = /--code (\S+)/.exec(out)[1];
      const user = /Enrol a field device as (\S+)/.exec(out)[1];
      const line = out.split('\n').find((l) => l.trim().startsWith(user + ' '));
      const blocks = line.split(':').pop().split(',').map((b) => b.trim());
      const district = /fieldworker\s+(\w+):/.exec(line)[1];
      resolve({ url: url[1], db, code, user, district, blocks });
    });
    child.once('exit', (c) => reject(new Error(`the server exited with ${c}: ${out}`)));
  });
}

function serverStats() {
  return JSON.parse(execFileSync(BIN.server, ['--db', server.db, '--json', 'stats'], { encoding: 'utf8' }));
}

async function tap(selector) {
  const el = await browser.$(selector);
  await el.waitForDisplayed({ timeout: 10_000 });
  // To the middle of the window: at an edge the fixed tab bar would take the click.
  await el.scrollIntoView({ block: 'center' });
  await el.waitForClickable({ timeout: 10_000 });
  await el.click();
  taps += 1;
}

async function type(selector, text) {
  const el = await browser.$(selector);
  await el.waitForDisplayed({ timeout: 10_000 });
  await el.setValue(text);
}

async function text(selector) {
  const el = await browser.$(selector);
  await el.waitForDisplayed({ timeout: 10_000 });
  return el.getText();
}

async function waitForText(selector, expected, timeout = 15_000) {
  await browser.waitUntil(
    async () => {
      const el = await browser.$(selector);
      return (await el.isExisting()) && (await el.getText()).includes(expected);
    },
    { timeout, timeoutMsg: `"${expected}" never appeared in ${selector}` },
  );
}

async function shot(name, height = 820) {
  if (!SHOTS) return;
  // A taller window shows a whole screen (the case) in one picture.
  if (height !== 820) await browser.setWindowRect(null, null, 400, height);
  await browser.execute(() => window.scrollTo(0, 0));
  await browser.waitUntil(async () => !(await (await browser.$('.notice')).isExisting()), { timeout: 6_000 });
  await browser.pause(400); // let fonts, the scroll and the last render settle
  writeFileSync(join(SHOTS, `${name}.png`), Buffer.from(await browser.takeScreenshot(), 'base64'));
  if (height !== 820) await browser.setWindowRect(null, null, 400, 820);
}

/** Whether the page needs sideways scrolling at the window's width. */
async function overflowsSideways() {
  return browser.execute(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

const sessions = [];

/** Starts the app with its own data folder under tauri-driver and opens a WebDriver session. */
async function openApp(dataDir) {
  const port = await freePort();
  const nativePort = await freePort();
  const driver = spawn(DRIVER, ['--port', String(port), '--native-port', String(nativePort), '--native-driver', '/usr/bin/WebKitWebDriver'], {
    env: {
      ...process.env,
      HOMEWARD_DATA_DIR: dataDir,
      HOMEWARD_SERVER_URL: server.url,
      // The device secret in key files beside the data folder (never inside it): no desktop
      // keyring runs under Xvfb here.
      HOMEWARD_KEYSTORE: `file:${dataDir}-keys`,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(driver);
  // tauri-driver listens before the WebKitWebDriver it starts does: wait for both.
  await waitForPort(port, 20_000);
  await waitForPort(nativePort, 20_000);
  const session = await remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'warn',
    connectionRetryCount: 0,
    capabilities: {
      'tauri:options': { application: BIN.app },
      'wdio:enforceWebDriverClassic': true,
    },
  });
  await session.setTimeout({ implicit: 0 });
  sessions.push(session);
  return session;
}

before(async () => {
  for (const [what, path] of Object.entries({ ...BIN, 'tauri-driver': DRIVER })) {
    assert.ok(existsSync(path), `${what} is missing at ${path}: scripts/test builds it, .ci/run installs tauri-driver`);
  }
  server = await startServer();
  browser = await openApp(join(work, 'device'));
});

after(async () => {
  for (const s of sessions) await s.deleteSession().catch(() => undefined);
  for (const c of children) c.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

/** A step of the story; on failure the window's screenshot is kept for whoever reads the log. */
function step(t, name, fn) {
  return t.test(name, async () => {
    try {
      await fn();
    } catch (e) {
      const path = join(tmpdir(), `homeward-e2e-failure-${name.replace(/\W+/g, '-').slice(0, 40)}.png`);
      await browser
        .takeScreenshot()
        .then((png) => writeFileSync(path, Buffer.from(png, 'base64')))
        .then(() => console.error(`screenshot of the failure: ${path}`))
        .catch(() => undefined);
      throw e;
    }
  });
}

test('the field app, start to sync', async (t) => {
  await step(t, 'first start: the enrolment screen, in Hindi by default', async () => {
    assert.equal(await text('h1'), 'यह फ़ोन तैयार करें');
    // The server address comes from HOMEWARD_SERVER_URL, as the demo sets it.
    assert.equal(await (await browser.$('#server')).getValue(), server.url);
  });

  await step(t, 'a trivial PIN is refused, saying why, in Hindi and in English', async () => {
    await type('#code', server.code);
    await type('#pin', '123456');
    await type('#pin2', '123456');
    assert.match(await text('[data-testid=pin-rules]'), /6 अंक/);
    await tap('button[type=submit]');
    await waitForText('[role=alert]', 'अंकों का क्रम');
    await shot('app-pin-hi');
    await tap('[data-lang=en]');
    await waitForText('h1', 'Set up this phone');
    await waitForText('[role=alert]', 'run of digits');
    assert.match(await text('[data-testid=pin-rules]'), /At least 6 digits/);
    await shot('app-pin-en');
    // Refused before the server was asked: the code is still unused, and no store exists.
    assert.equal(await (await browser.$('#pin')).isExisting(), true);
  });

  await step(t, 'a mistyped code is refused in plain words; the right one enrols', async () => {
    await type('#code', 'WRONGCODE1');
    await type('#pin', PIN);
    await type('#pin2', PIN);
    await tap('button[type=submit]');
    await waitForText('[role=alert]', 'This cannot be saved as it is');
    // The store now exists and stays unlocked: only the code is typed again.
    await type('#code', server.code);
    assert.equal(await (await browser.$('#pin')).isExisting(), false);
    await tap('button[type=submit]');
    await waitForText('h1', 'Today');
  });

  await step(t, 'sync against the real server brings the caseload', async () => {
    await tap('[data-tab=sync]');
    await waitForText('[data-testid=last-sync]', 'never');
    await tap('[data-testid=sync-now]');
    await waitForText('[data-testid=sync-done]', 'Up to date', 60_000);
    await waitForText('[data-testid=waiting]', 'nothing');
    assert.notEqual(await text('[data-testid=last-sync]'), 'never');
  });

  await step(t, 'today lists prompts, urgent ones first', async () => {
    await tap('[data-tab=today]');
    await browser.$('[data-testid=prompts] li').waitForDisplayed({ timeout: 10_000 });
    const urgent = await browser.execute(() =>
      [...document.querySelectorAll('[data-testid=prompts] .prompt')].map((b) => b.classList.contains('is-urgent')),
    );
    assert.ok(urgent.length > 0, 'prompts after the first sync');
    assert.deepEqual(urgent, [...urgent].sort((a, b) => Number(b) - Number(a)), 'urgent prompts come first');
    const counts = await text('[data-testid=today-counts]');
    assert.match(counts, new RegExp(`${urgent.length}\\s*to do`));
    await shot('app-today-en');
  });

  await step(t, 'lock, a wrong PIN refused, unlock', async () => {
    await tap('[data-tab=settings]');
    await tap('[data-testid=lock]');
    await waitForText('h1', 'Unlock Homeward');
    await type('#pin', '999990');
    await tap('button[type=submit]');
    await waitForText('[role=alert]', 'Wrong PIN');
    await type('#pin', PIN);
    await tap('button[type=submit]');
    // Back where the fieldworker was when the phone locked.
    await waitForText('h1', 'Settings');
  });

  await step(t, 'register a returned child', async () => {
    await tap('[data-tab=cases]');
    await tap('[data-testid=register]');
    await tap('[data-testid=save-register]');
    await waitForText('[role=alert]', 'Name: required');
    await type('#name', 'Birju Testwala');
    await type('#age', '12');
    await type('#district', server.district);
    await type('#block', server.blocks[0]);
    await type('#village', 'Sirsa Khurd');
    await type('#basis', 'CWC/E2E/2026/1');
    await tap('[data-testid=save-register]');
    await waitForText('[data-testid=case-name]', 'Birju Testwala');
    await waitForText('[data-testid=case-prompts]', 'Make the initial assessment');
  });

  await step(t, 'the assessment, one step per need, changes the prompts', async () => {
    await tap('[data-testid=assess]');
    await waitForText('[data-testid=assess-dimension]', 'Education');
    await tap('[data-status=not_enrolled]');
    await tap('[data-testid=assess-save]');
    await waitForText('[data-testid=assess-dimension]', 'Compensation');
    await tap('[data-testid=assess-skip]');
    await waitForText('[data-testid=assess-dimension]', 'Family entitlements');
    await tap('button.wide'); // stop here, continue later
    await waitForText('[data-testid=case-prompts]', 'Enrol in school');
    const prompts = await text('[data-testid=case-prompts]');
    assert.ok(!prompts.includes('Make the initial assessment'), prompts);
    // Resumable: the assessment offers the needs still not assessed, starting after education.
    await tap('[data-testid=assess]');
    await waitForText('[data-testid=assess-dimension]', 'Compensation');
    await waitForText('[data-testid=assess-progress]', 'Need 2 of 7');
  });

  await step(t, 'record a visit from Today in at most 8 taps; its prompt goes', async () => {
    await tap('[data-tab=today]');
    const before = taps;
    await tap('//button[contains(., "Birju Testwala") and contains(., "Enrol in school")]');
    await tap('[data-testid=record-visit]');
    await tap('[data-testid=visit-needs] [data-dimension=education]');
    await shot('app-visit-en');
    await tap('[data-testid=visit-needs] [data-status=enrolled]');
    await tap('#note');
    await (await browser.$('#note')).addValue('Enrolled in class 6 at the village school.');
    await tap('[data-testid=save-visit]');
    const used = taps - before;
    assert.ok(used <= 8, `a routine visit took ${used} taps`);
    await waitForText('[data-testid=timeline]', 'Enrolled in class 6 at the village school.');
    await waitForText('[data-dimension=education]', 'enrolled');
    const prompts = await text('[data-testid=case-prompts]');
    assert.ok(!prompts.includes('Enrol in school'), prompts);
    await shot('app-case-en', 1700);
  });

  await step(t, 'the new child and its visit reach the server', async () => {
    const casesBefore = serverStats().cases;
    await tap('[data-tab=sync]');
    const waiting = await text('[data-testid=waiting]');
    assert.match(waiting, /\d+ changes|one change/);
    await tap('[data-testid=sync-now]');
    await waitForText('[data-testid=sync-done]', 'Up to date', 60_000);
    await waitForText('[data-testid=waiting]', 'nothing');
    assert.equal(serverStats().cases, casesBefore + 1);
  });

  await step(t, 'report the child missing: a reason is needed, the case says so', async () => {
    await tap('[data-tab=cases]');
    await type('#search', 'Testwala');
    await waitForText('[data-testid=case-count]', 'One child');
    await tap('[data-testid=case-list] button');
    await tap('[data-testid=case-status]');
    await tap('[data-testid=case-status-form] [data-state=missing]');
    await tap('[data-testid=case-status-save]');
    await waitForText('[data-testid=case-status-form] [role=alert]', 'Say why');
    await type('#status-reason', 'Not at home on three visits; the neighbours say he left for Jaipur.');
    await tap('[data-testid=case-status-save]');
    await waitForText('[data-testid=case-state]', 'missing');
    assert.equal(await (await browser.$('[data-testid=case-status-form]')).isExisting(), false);
  });

  await step(t, 'usable at 360 px wide', async () => {
    await browser.setWindowRect(null, null, 360, 760);
    for (const tab of ['today', 'cases', 'sync', 'settings']) {
      await tap(`[data-tab=${tab}]`);
      await browser.pause(200);
      assert.equal(await overflowsSideways(), false, `${tab} scrolls sideways at 360 px`);
    }
    await tap('[data-tab=cases]');
    await type('#search', 'Testwala');
    await waitForText('[data-testid=case-count]', 'One child');
    await tap('[data-testid=case-list] button');
    await waitForText('[data-testid=case-name]', 'Testwala');
    assert.equal(await overflowsSideways(), false, 'the case screen scrolls sideways at 360 px');
    await browser.setWindowRect(null, null, 400, 820);
  });

  await step(t, 'switch to Hindi: every screen follows', async () => {
    await tap('[data-tab=settings]');
    await tap('[data-lang=hi]');
    await waitForText('h1', 'सेटिंग');
    await tap('[data-tab=today]');
    await waitForText('h1', 'आज');
    const counts = await text('[data-testid=today-counts]');
    assert.match(counts, /अति आवश्यक/);
    await shot('app-today-hi');
    await tap('[data-tab=cases]');
    await type('#search', 'Testwala');
    await tap('[data-testid=case-list] button');
    await waitForText('[data-testid=needs-board]', 'शिक्षा');
    await waitForText('[data-testid=timeline]', 'घर पर मुलाक़ात');
    await shot('app-case-hi', 1700);
    await tap('[data-testid=record-visit]');
    await waitForText('h1', 'मुलाक़ात दर्ज करें');
    await tap('[data-testid=visit-needs] [data-dimension=health]');
    await shot('app-visit-hi');
  });
});

test('a supervisor records a spot check on the phone; the next sync takes it to the server', async (t) => {
  browser = await openApp(join(work, 'supervisor'));
  const supervisor = `supervisor-${server.district.toLowerCase()}`;
  const code = JSON.parse(
    execFileSync(BIN.server, ['--db', server.db, '--json', 'device', 'code', supervisor], {
      encoding: 'utf8',
    }),
  ).code;
  await step(t, 'enrol as the supervisor and sync', async () => {
    await tap('[data-lang=en]');
    await type('#code', code);
    await type('#pin', PIN);
    await type('#pin2', PIN);
    await tap('button[type=submit]');
    await tap('[data-tab=sync]');
    await tap('[data-testid=sync-now]');
    await waitForText('[data-testid=sync-done]', 'Up to date', 60_000);
  });
  let id;
  await step(t, 'the spot checks of her district are listed; one is recorded', async () => {
    await tap('[data-tab=spot-checks]');
    const first = await browser.$('[data-testid=spot-checks] li');
    await first.waitForDisplayed({ timeout: 10_000 });
    id = await first.getAttribute('data-check');
    await tap(`li[data-check="${id}"] [data-testid=spot-record]`);
    await tap(`li[data-check="${id}"] [data-outcome=has_issues]`);
    await tap(`li[data-check="${id}"] [data-testid=spot-save]`);
    await waitForText(`li[data-check="${id}"] [role=alert]`, 'Write in the note');
    await type(`#note-${id}`, 'The mother says nobody came that week.');
    await tap(`li[data-check="${id}"] [data-testid=spot-save]`);
    await waitForText(`li[data-check="${id}"] [data-testid=spot-recorded]`, 'waiting for the sync');
  });
  await step(t, 'the next sync records it on the server', async () => {
    await tap('[data-tab=sync]');
    await tap('[data-testid=sync-now]');
    await waitForText('[data-testid=sync-done]', 'Up to date', 60_000);
    const rows = JSON.parse(execFileSync(BIN.server, ['--db', server.db, '--json', 'spot-check', 'list'], { encoding: 'utf8' }));
    const row = rows.find((r) => r.id === id);
    assert.equal(row.outcome, 'has_issues');
    assert.equal(row.note, 'The mother says nobody came that week.');
    await tap('[data-tab=spot-checks]');
    await browser.pause(300);
    assert.equal(await (await browser.$(`li[data-check="${id}"]`)).isExisting(), false, 'no longer to do');
  });
  await step(t, 'revoked while a spot check waits on the phone: nothing is erased, and it says so', async () => {
    const next = await browser.$('[data-testid=spot-checks] li');
    await next.waitForDisplayed({ timeout: 10_000 });
    const other = await next.getAttribute('data-check');
    await tap(`li[data-check="${other}"] [data-testid=spot-record]`);
    await tap(`li[data-check="${other}"] [data-outcome=verified]`);
    await tap(`li[data-check="${other}"] [data-testid=spot-save]`);
    await waitForText(`li[data-check="${other}"] [data-testid=spot-recorded]`, 'waiting for the sync');
    const devices = JSON.parse(execFileSync(BIN.server, ['--db', server.db, '--json', 'device', 'list'], { encoding: 'utf8' }));
    const phone = devices.find((d) => d.user_id === supervisor && d.name === 'phone' && !d.revoked_at);
    execFileSync(BIN.server, ['--db', server.db, 'device', 'revoke', phone.id]);
    await tap('[data-tab=sync]');
    await tap('[data-testid=sync-now]');
    await waitForText('[data-testid=revoked-kept]', 'never reached the server', 30_000);
    assert.match(await text('[data-testid=revoked-kept]'), /1 spot-check result /);
    await shot('app-sync-revoked-en');
    // The outcome is still on the phone, and the Sync screen says so again after a restart of it.
    await tap('[data-tab=spot-checks]');
    await waitForText(`li[data-check="${other}"] [data-testid=spot-recorded]`, 'waiting for the sync');
    await tap('[data-tab=sync]');
    await waitForText('[data-testid=revoked-kept]', 'never reached the server');
    assert.equal(await (await browser.$('[data-testid=sync-now]')).isExisting(), false, 'no sync button');
  });
});
