// Browser tests of copies of documents on the case page (issue 15), on the real server binary
// with the demo data (three cases with copies from synthetic scans), driven by Playwright on
// Debian's Chromium: thumbnails load under the dashboard's CSP, the viewer pages through a
// copy, a PDF is served sandboxed, a supervisor marks a copy verified and confirms a withdrawal.
// HOMEWARD_SCREENSHOTS=DIR saves the pages.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";
import { newStore } from "./store.mjs";

const target = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, ".cache/homeward/target");
const serverBin = join(target, "debug", "homeward-sync-server");
let server;
let base;
let browser;

before(async () => {
  assert.ok(existsSync(serverBin), `${serverBin} is missing: build the workspace binaries first`);
  const db = newStore("hw-copies-");
  server = spawn(serverBin, ["--db", db, "demo", "--listen", "127.0.0.1:0", "--cases", "60"], {
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

async function session(user) {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/login?lang=en`);
  await page.fill("input[name=user]", user);
  await page.fill("input[name=password]", "demo");
  await page.click("button[type=submit]");
  assert.equal(new URL(page.url()).pathname, "/");
  return { context, page };
}

async function shot(page, name) {
  if (process.env.HOMEWARD_SCREENSHOTS) {
    await page.screenshot({ path: join(process.env.HOMEWARD_SCREENSHOTS, `${name}.png`), fullPage: true });
  }
}

/// The copies sections of the case pages of the demo's first fieldworker (whose cases have the
/// copies), read once before anything changes them, by address.
let sections;

/// The case pages whose copies section held `text` when the demo started.
async function casesWith(page, text) {
  if (!sections) {
    sections = new Map();
    for (let n = 1; n < 10; n++) {
      await page.goto(`${base}/cases?fieldworker=fw-gaya-1&page=${n}&lang=en`);
      const links = await page.locator("#caseload td:first-child a").evaluateAll((as) => as.map((a) => a.href));
      for (const href of links) {
        const html = await (await page.request.get(href)).text();
        sections.set(href, html.split('id="copies"')[1] ?? "");
      }
      if (links.length < 50) break;
    }
  }
  return [...sections].filter(([, copies]) => copies.includes(text)).map(([href]) => href);
}

/// Whether every image of the page loaded (the thumbnails are served by the dashboard).
async function imagesLoaded(page, selector) {
  return page.locator(selector).evaluateAll((imgs) => imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0));
}

test("a supervisor sees a copy's thumbnails, pages through it, and opens its PDF sandboxed", async () => {
  const { context, page } = await session("supervisor-gaya");
  const [fir] = await casesWith(page, "Verified against the original");
  assert.ok(fir, "the demo's verified FIR");
  await page.goto(`${fir}?lang=en`);
  await page.locator("#copies ~ div.copy img").first().scrollIntoViewIfNeeded();
  await page.waitForFunction(() => [...document.querySelectorAll("div.thumbs img")].every((i) => i.complete));
  assert.ok(await imagesLoaded(page, "div.thumbs img"), "the thumbnails load under the CSP");
  await shot(page, "dashboard-copies-en");
  await page.locator("div.thumbs a").first().click();
  assert.match(await page.textContent("#page-of"), /Page 1 of 2/);
  assert.ok(await imagesLoaded(page, "img.page"), "the page itself");
  await page.click("a[rel=next]");
  assert.match(await page.textContent("#page-of"), /Page 2 of 2/);
  assert.equal(await page.locator("a[rel=next]").count(), 0);
  await page.goto(`${page.url()}&lang=hi`);
  assert.match(await page.textContent("#page-of"), /पन्ना 2 \/ 2/);
  await shot(page, "dashboard-copy-viewer-hi");

  const [report] = await casesWith(page, "PDF, page 1");
  assert.ok(report, "the demo's medical report");
  await page.goto(`${report}?lang=en`);
  const href = await page.locator("a.pdf").first().getAttribute("href");
  const pdf = await page.request.get(`${base}${href}`);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()["content-type"], "application/pdf");
  assert.match(pdf.headers()["content-security-policy"], /^sandbox/);
  assert.equal(pdf.headers()["x-content-type-options"], "nosniff");
  assert.ok((await pdf.body()).subarray(0, 5).equals(Buffer.from("%PDF-")));
  await context.close();
});

test("a supervisor marks a copy verified and confirms a withdrawal; a CWC member only reads", async () => {
  const { context, page } = await session("supervisor-gaya");
  const [passbook] = await casesWith(page, "waiting for the phone");
  assert.ok(passbook, "the demo's passbook");
  await page.goto(`${passbook}?lang=en`);
  await page.click("form.verify button");
  assert.match(page.url(), /error=copy-unchecked/);
  assert.match(await page.textContent("[role=alert]"), /tick that you compared/);
  await page.check("form.verify input[name=confirm]");
  await page.click("form.verify button");
  assert.match(await page.textContent("#copies ~ div.copy"), /Verified against the original by/);
  assert.equal(await page.locator("form.verify").count(), 0);

  const [withdrawn] = await casesWith(page, "Blurred photo");
  assert.ok(withdrawn, "the demo's withdrawn photo");
  await page.goto(`${withdrawn}?lang=en`);
  await page.check("form.confirm-withdrawal input[name=confirm]");
  await page.click("form.confirm-withdrawal button");
  assert.match(await page.content(), /Withdrawal confirmed by/);
  await shot(page, "dashboard-copies-withdrawn-en");
  await context.close();

  const cwc = await session("cwc-gaya");
  await cwc.page.goto(`${passbook}?lang=en`);
  assert.match(await cwc.page.textContent("h2#copies"), /Copies of documents/);
  assert.equal(await cwc.page.locator("form.verify, form.confirm-withdrawal").count(), 0);
  await cwc.context.close();
});
