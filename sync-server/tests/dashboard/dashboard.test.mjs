// Browser tests of the dashboard, run by `node --test` from scripts/test: the real server binary
// with the demo data, driven by Playwright on Debian's Chromium (no browser is downloaded).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";

const target = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, ".cache/homeward/target");
const serverBin = join(target, "debug", "homeward-sync-server");
let server;
let base;
let browser;

before(async () => {
  assert.ok(existsSync(serverBin), `${serverBin} is missing: build the workspace binaries first`);
  const db = join(mkdtempSync(join(tmpdir(), "hw-dash-")), "server.db");
  server = spawn(serverBin, ["--db", db, "demo", "--listen", "127.0.0.1:0", "--cases", "40"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  base = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: server.stdout });
    lines.on("line", (line) => {
      const m = line.match(/^listening on (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    server.on("exit", (code) => reject(new Error(`the server exited with ${code}`)));
  });
  browser = await chromium.launch({
    executablePath: process.env.HOMEWARD_CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill();
});

async function logIn(page, user, password) {
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/login$/, "an anonymous visitor is sent to the login form");
  await page.fill("input[name=user]", user);
  await page.fill("input[name=password]", password);
  await page.click("button[type=submit]");
}

test("a CWC member logs in and sees only their district", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, "cwc-gaya", "demo");
  assert.equal(new URL(page.url()).pathname, "/");
  const text = await page.textContent("main");
  assert.match(text, /Gaya/);
  assert.doesNotMatch(text, /Nalanda|Katihar/, "no other district on the overview");
  await context.close();
});

test("a wrong password keeps the login form with a message", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, "cwc-gaya", "nope");
  assert.match(await page.textContent("[role=alert]"), /wrong password/);
  await context.close();
});

test("another district's report is not found, even by typing its address", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, "cwc-gaya", "demo");
  const other = await page.goto(`${base}/reports/cwc?district=Nalanda&month=2026-10&format=csv`);
  assert.equal(other.status(), 404);
  const own = await context.request.get(`${base}/reports/cwc?district=Gaya&month=2026-10&format=csv&lang=hi`);
  assert.equal(own.status(), 200);
  assert.match(own.headers()["content-disposition"], /attachment; filename="cwc-gaya-2026-10-hi.csv"/);
  assert.match(await own.text(), /^मामला,बच्चा/);
  await context.close();
});

test("the report downloads as a PDF from the overview's link", async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await logIn(page, "supervisor-gaya", "demo");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click("a:has-text('PDF (English)')"),
  ]);
  assert.match(download.suggestedFilename(), /^cwc-gaya-\d{4}-\d{2}-en\.pdf$/);
  const path = await download.path();
  assert.ok(path, "the PDF was saved");
  await context.close();
});
