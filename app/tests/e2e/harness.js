// What an end-to-end test of the field app needs around it: the real server's demo on a free
// port, the real app under tauri-driver with its own data folder, and the gestures of a person
// (tap, choose, type, pick a date), each element brought to the middle of the window first.
// Not a test file itself (node --test runs *.test.js); referrals.test.js and attachments.test.js
// use it. app.test.js predates it and keeps its own copy of the same helpers.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir, homedir } from 'node:os';
import { join } from 'node:path';
import { remote } from 'webdriverio';

const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache/homeward/target');
export const BIN = {
  app: join(target, 'debug/homeward-app'),
  server: join(target, 'debug/homeward-sync-server'),
  cli: join(target, 'debug/homeward'),
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
export const PIN = '246813';
const SHOTS = process.env.HOMEWARD_SCREENSHOTS;

/** The test's world: its folder, the server ({ url, db, code, user, district, blocks }), the window. */
export const world = { work: mkdtempSync(join(tmpdir(), 'homeward-app-e2e-')), server: null, browser: null };
const children = [];
const sessions = [];

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

/** The running server's process (stopped and started again by `stopServer`, `restartServer`). */
let serverProcess = null;

/** The server's demo (synthetic data) on a free port, with a fresh database. */
function startServer() {
  const db = join(world.work, 'server.db');
  const child = spawn(BIN.server, ['--db', db, 'demo', '--listen', '127.0.0.1:0', '--cases', '40'], {
    env: { ...process.env, RUST_LOG: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  serverProcess = child;
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

/** Stops the server: the phone has no server to reach until `restartServer`. */
export async function stopServer() {
  const child = serverProcess;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  serverProcess = null;
}

/** Serves the same database again on the same address (the phone's server is fixed at enrolment). */
export async function restartServer() {
  const listen = new URL(world.server.url).host;
  const child = spawn(BIN.server, ['--db', world.server.db, 'serve', '--listen', listen], {
    env: { ...process.env, RUST_LOG: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  serverProcess = child;
  await waitForPort(Number(new URL(world.server.url).port), 20_000);
}

/** The server's command line on the running server's database (as the Core Team uses it). */
export function admin(...args) {
  return execFileSync(BIN.server, ['--db', world.server.db, ...args], { encoding: 'utf8' });
}

/** Starts the app with its own data folder under tauri-driver and opens a WebDriver session. */
async function openApp(dataDir) {
  const port = await freePort();
  const nativePort = await freePort();
  const driver = spawn(DRIVER, ['--port', String(port), '--native-port', String(nativePort), '--native-driver', '/usr/bin/WebKitWebDriver'], {
    env: {
      ...process.env,
      HOMEWARD_DATA_DIR: dataDir,
      HOMEWARD_SERVER_URL: world.server.url,
      // The device secret in key files beside the data folder: no desktop keyring under Xvfb.
      HOMEWARD_KEYSTORE: `file:${dataDir}-keys`,
      // Sealed files the app saves ("Share my changes as a file"): not the real Downloads folder.
      HOMEWARD_FILES_DIR: `${dataDir}-files`,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(driver);
  await waitForPort(port, 20_000);
  await waitForPort(nativePort, 20_000);
  const session = await remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'warn',
    connectionRetryCount: 0,
    capabilities: { 'tauri:options': { application: BIN.app }, 'wdio:enforceWebDriverClassic': true },
  });
  await session.setTimeout({ implicit: 0 });
  sessions.push(session);
  return session;
}

/** The server and one phone, not yet enrolled. */
export async function setUp() {
  for (const [what, path] of Object.entries({ ...BIN, 'tauri-driver': DRIVER })) {
    assert.ok(existsSync(path), `${what} is missing at ${path}: scripts/test builds it, .ci/run installs tauri-driver`);
  }
  world.server = await startServer();
  world.browser = await openApp(join(world.work, 'device'));
}

export async function tearDown() {
  for (const s of sessions) await s.deleteSession().catch(() => undefined);
  for (const c of children) c.kill('SIGTERM');
  rmSync(world.work, { recursive: true, force: true });
}

/** A step of a story; on failure the window's screenshot is kept for whoever reads the log. */
export function step(t, name, fn) {
  return t.test(name, async () => {
    try {
      await fn();
    } catch (e) {
      const path = join(tmpdir(), `homeward-e2e-failure-${name.replace(/\W+/g, '-').slice(0, 40)}.png`);
      await world.browser
        .takeScreenshot()
        .then((png) => writeFileSync(path, Buffer.from(png, 'base64')))
        .then(() => console.error(`screenshot of the failure: ${path}`))
        .catch(() => undefined);
      throw e;
    }
  });
}

/** Brings an element to the middle of the window (the fixed tab bar takes clicks at the edge). */
async function reach(el, act) {
  const browser = world.browser;
  await el.waitForDisplayed({ timeout: 10_000 });
  await browser.execute((e) => e.scrollIntoView({ block: 'center', inline: 'nearest' }), el);
  for (let attempt = 0; ; attempt++) {
    try {
      return await act();
    } catch (e) {
      // A notice fading out at the bottom can still be in the way for a moment.
      if (attempt >= 10 || !/click intercepted/.test(String(e))) throw e;
      await browser.pause(500);
      await browser.execute((e) => e.scrollIntoView({ block: 'center', inline: 'nearest' }), el);
    }
  }
}

export async function tap(selector) {
  const el = await world.browser.$(selector);
  await el.waitForDisplayed({ timeout: 10_000 });
  await el.waitForClickable({ timeout: 10_000 });
  await reach(el, () => el.click());
}

export async function choose(selector, value) {
  const el = await world.browser.$(selector);
  await reach(el, () => el.selectByAttribute('value', String(value)));
}

/** Sets a DateField to `day` (YYYY-MM-DD), changing only the parts that differ. */
export async function pickDate(id, day) {
  const [y, m, d] = day.split('-').map(Number);
  for (const [part, want] of [['year', y], ['month', m], ['day', d]]) {
    const el = await world.browser.$(`#${id}-${part}`);
    await el.waitForDisplayed({ timeout: 10_000 });
    if (Number(await el.getValue()) !== want) await choose(`#${id}-${part}`, want);
  }
}

/** The app's today (the date in India, as homeward-field reads it), plus `n` days. */
export function appDay(n = 0) {
  const today = new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 10);
  return new Date(Date.parse(today) + n * 86_400_000).toISOString().slice(0, 10);
}

export async function type(selector, text) {
  const el = await world.browser.$(selector);
  await el.waitForDisplayed({ timeout: 10_000 });
  if (text !== '') return el.setValue(text);
  // WebDriver refuses an empty value, and its clear fires no input event (the screen would not
  // know): one letter typed, then taken back, as a person empties a field.
  await el.setValue('x');
  await world.browser.keys(['Backspace']);
}

export async function text(selector) {
  const el = await world.browser.$(selector);
  await el.waitForDisplayed({ timeout: 10_000 });
  return el.getText();
}

export async function waitForText(selector, expected, timeout = 15_000) {
  await world.browser.waitUntil(
    async () => {
      const el = await world.browser.$(selector);
      return (await el.isExisting()) && (await el.getText()).includes(expected);
    },
    { timeout, timeoutMsg: `"${expected}" never appeared in ${selector}` },
  );
}

/**
 * Saves a screenshot under HOMEWARD_SCREENSHOTS (when set) at a phone's width; a taller window
 * shows a whole screen in one picture, `scrollTo` a part of it (a selector) at the top.
 */
export async function shot(name, height = 820, scrollTo = null) {
  if (!SHOTS) return;
  const browser = world.browser;
  if (height !== 820) await browser.setWindowRect(null, null, 400, height);
  if (scrollTo) {
    // To the top of the window, below the sticky header bar.
    await browser.execute((s) => {
      document.querySelector(s)?.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -70);
    }, scrollTo);
  }
  else await browser.execute(() => window.scrollTo(0, 0));
  await browser.waitUntil(async () => !(await (await browser.$('.notice')).isExisting()), { timeout: 6_000 });
  await browser.pause(400);
  writeFileSync(join(SHOTS, `${name}.png`), Buffer.from(await browser.takeScreenshot(), 'base64'));
  if (height !== 820) await browser.setWindowRect(null, null, 400, 820);
}

/** Whether the page needs sideways scrolling at the window's width. */
export async function overflowsSideways() {
  return world.browser.execute(() => document.documentElement.scrollWidth > window.innerWidth + 1);
}

/** Enrols the phone with the demo's code and a new PIN, and waits for the first sync to end. */
export async function enrolAndSync() {
  await type('#code', world.server.code);
  await type('#pin', PIN);
  await type('#pin2', PIN);
  await tap('button[type=submit]');
  await world.browser.waitUntil(async () => (await (await world.browser.$('[data-testid=sync-done]')).isExisting()), {
    timeout: 60_000,
    timeoutMsg: 'the first sync never ended',
  });
}
