// Browser tests of the dashboard, run by `node --test` from scripts/test: the real server binary
// with the demo data, driven by Playwright on Debian's Chromium (no browser is downloaded).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { createServer } from "node:http";
import { mkdtempSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";
import { newStore } from "./store.mjs";

const target = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, ".cache/homeward/target");
const serverBin = join(target, "debug", "homeward-sync-server");
let server;
let base;
let dbPath;
let browser;

before(async () => {
  assert.ok(existsSync(serverBin), `${serverBin} is missing: build the workspace binaries first`);
  const db = newStore("hw-dash-");
  dbPath = db;
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
  const body = await own.body();
  assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf], "a UTF-8 byte-order mark first, for Excel");
  assert.match(body.subarray(3).toString("utf8"), /^मामला,बच्चा/);
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

const GAYA_BLOCKS = ["Gaya", "Wazirganj", "Sherghati", "Tekari", "Manpur"];

test("a supervisor records spot checks in their district; the discrepancy rate follows", async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  await logIn(page, "supervisor-gaya", "demo");
  await page.click("a:has-text('Spot checks')");
  assert.match(await page.textContent("h1"), /^Spot checks, [A-Z][a-z]+ \d{4}$/, "the month in words");
  const rows = page.locator("tr[data-check]");
  assert.ok((await rows.count()) >= 2, "the demo drew last month's sample");
  for (const text of await rows.locator("td:nth-child(2)").allTextContents()) {
    const block = text.split(",").pop().trim();
    assert.ok(GAYA_BLOCKS.includes(block), `a spot check outside Gaya: ${text}`);
  }
  if (process.env.HOMEWARD_SCREENSHOTS) {
    await page.screenshot({ path: join(process.env.HOMEWARD_SCREENSHOTS, "dashboard-spot-checks.png"), fullPage: true });
  }
  // The first fieldworker's table: at least two visits (the sample's minimum, or all they made).
  const first = page.locator("table.spot").first();
  const fieldworker = (await page.locator("h2").first().textContent()).trim();
  const ids = await first.locator("tr[data-check]").evaluateAll((trs) => trs.map((tr) => tr.dataset.check));
  assert.ok(ids.length >= 1);
  // "Has issues" without a note is refused with the reason.
  let form = page.locator(`form[data-check="${ids[0]}"]`);
  await form.locator("select").selectOption("has_issues");
  await form.locator("button").click();
  assert.match(await page.textContent("[role=alert]"), /say in the note what was wrong/i);
  form = page.locator(`form[data-check="${ids[0]}"]`);
  await form.locator("select").selectOption("has_issues");
  await form.locator("input[name=note]").fill("The family says nobody came that week.");
  await form.locator("button").click();
  const done = page.locator(`tr[data-check="${ids[0]}"]`);
  assert.match(await done.textContent(), /has issues: The family says nobody came that week\./);
  let expected = { verified: 0, issues: 1, rate: "100%" };
  if (ids.length > 1) {
    form = page.locator(`form[data-check="${ids[1]}"]`);
    await form.locator("select").selectOption("verified");
    await form.locator("button").click();
    assert.match(await page.locator(`tr[data-check="${ids[1]}"]`).textContent(), /verified/);
    expected = { verified: 1, issues: 1, rate: "50%" };
  }
  const rate = page.locator("#discrepancy tr", { hasText: fieldworker });
  const cells = await rate.locator("td").allTextContents();
  assert.deepEqual(cells.slice(2), [String(expected.verified), String(expected.issues), "0", expected.rate]);
  await context.close();
});

test("spot checks are for supervisors of the district only, also by typing the address", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, "supervisor-gaya", "demo");
  await page.goto(`${base}/spot-checks`);
  const id = await page.locator("tr[data-check]").first().getAttribute("data-check");
  const month = await page.locator("input[name=month]").first().inputValue();
  await context.close();

  for (const user of ["cwc-gaya", "fw-gaya-1"]) {
    const c = await browser.newContext();
    const p = await c.newPage();
    await logIn(p, user, "demo");
    const r = await p.goto(`${base}/spot-checks`);
    assert.equal(r.status(), 403, `${user} may not see spot checks`);
    await c.close();
  }

  const other = await browser.newContext();
  const p = await other.newPage();
  await logIn(p, "supervisor-nalanda", "demo");
  await p.goto(`${base}/spot-checks`);
  for (const text of await p.locator("tr[data-check] td:nth-child(2)").allTextContents()) {
    assert.ok(!GAYA_BLOCKS.includes(text.split(",").pop().trim()), `Nalanda's supervisor sees ${text}`);
  }
  const post = await other.request.post(`${base}/spot-checks/${id}`, {
    form: { outcome: "verified", note: "", month },
    maxRedirects: 0,
  });
  assert.equal(post.status(), 404, "another district's spot check is not found");
  await other.close();
});

test("a supervisor settles a conflict from the queue; it leaves the queue", async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  await logIn(page, "supervisor-gaya", "demo");
  await page.click("a:has-text('Conflicts')");
  const form = page.locator("form.conflict").first();
  assert.equal(await form.getAttribute("data-path"), "needs.health.status", "the demo's conflict is listed");
  assert.match(await form.textContent(), /Field: Health: status/, "the field in words");
  assert.doesNotMatch(await form.textContent(), /needs\.health/, "not its path");
  const choices = form.locator("label.choice");
  assert.equal(await choices.count(), 3, "two values and a new one");
  assert.match(
    await choices.nth(0).textContent(),
    /by Anita Kumari, \d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d, on “(demo|spare) phone”/,
    "who set the value, when and on which phone",
  );
  if (process.env.HOMEWARD_SCREENSHOTS) {
    await page.screenshot({ path: join(process.env.HOMEWARD_SCREENSHOTS, "dashboard-conflicts.png"), fullPage: true });
  }
  // A new value the need does not allow is refused with the reason; a kept value settles it.
  await form.locator("input[value=new]").check();
  await form.locator("input[name=value]").fill("enrolled");
  await form.locator("button").click();
  assert.match(await page.textContent("[role=alert]"), /malformed|expected/);
  const again = page.locator("form.conflict").first();
  await again.locator("input[name=choice]").first().check();
  await again.locator("button").click();
  assert.match(await page.textContent("main"), /No conflicts in your areas\./);
  // The CWC may not see the queue.
  const cwc = await browser.newContext();
  const p = await cwc.newPage();
  await logIn(p, "cwc-gaya", "demo");
  assert.equal((await p.goto(`${base}/conflicts`)).status(), 403);
  await cwc.close();
  await context.close();
});

test("a supervisor sends an assessment back; the fieldworker's phone shows the comment after its sync", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, "supervisor-gaya", "demo");
  await page.click("a:has-text('Reviews')");
  const form = page.locator("form.review[data-subject=assessment]", { hasText: "by Anita Kumari" }).first();
  const caseId = await form.getAttribute("data-case");
  await form.locator("button[value=sent_back]").click();
  assert.match(await page.textContent("[role=alert]"), /say in the comment/i);
  const again = page.locator(`form.review[data-case="${caseId}"][data-subject=assessment]`);
  await again.locator("input[name=comment]").fill("Health was not assessed: ask the mother.");
  await again.locator("button[value=sent_back]").click();
  assert.match(
    await page.locator(`form.review[data-case="${caseId}"]`).textContent(),
    /Sent back by .*Health was not assessed: ask the mother\./,
  );
  await context.close();

  // Anita Kumari's phone (the real command-line client) receives it with its next sync.
  const bin = join(target, "debug", "homeward");
  const data = mkdtempSync(join(tmpdir(), "hw-dash-phone-"));
  // A six-digit PIN, and the device secret in key files outside the data folder.
  const env = { ...process.env, HOMEWARD_PIN: "246813", HOMEWARD_KEYSTORE: `file:${data}-keys` };
  const code = execFileSync(serverBin, ["--db", dbPath, "--json", "device", "code", "fw-gaya-1"], { encoding: "utf8" });
  execFileSync(bin, ["--data", data, "enrol", "--server", base, "--code", JSON.parse(code).code], { env });
  execFileSync(bin, ["--data", data, "sync"], { env });
  const notes = JSON.parse(execFileSync(bin, ["--data", data, "--json", "sent-back"], { env, encoding: "utf8" }));
  assert.deepEqual(
    notes.map((n) => [n.case_id, n.subject, n.comment]),
    [[caseId, "assessment", "Health was not assessed: ask the mother."]],
  );
});

test("the reports page charts the district, a case opens read only, another district's case is not found", async () => {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  await logIn(page, "supervisor-gaya", "demo");
  await page.goto(`${base}/reports`);
  assert.match(await page.textContent("h1"), /^Reports, \d{1,2} [A-Z][a-z]+ \d{4}$/);
  assert.match(await page.locator("#risk-chart svg > title").textContent(), /Active cases by risk per district/);
  assert.ok((await page.locator("#risk-chart svg rect title").count()) >= 1, "the risk chart has bars");
  assert.ok((await page.locator("#visit-charts svg").count()) >= 1, "a chart per fieldworker");
  assert.doesNotMatch(await page.textContent("main"), /Nalanda|Katihar/, "nothing of other districts");
  if (process.env.HOMEWARD_SCREENSHOTS) {
    await page.screenshot({ path: join(process.env.HOMEWARD_SCREENSHOTS, "dashboard-reports.png"), fullPage: true });
  }
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.click("#gaps-reports a:has-text('CSV (English)')"),
  ]);
  assert.match(download.suggestedFilename(), /^gaps-gaya-\d{4}-\d{2}-\d{2}-en\.csv$/);

  // A Gaya case from the spot checks opens read only.
  await page.goto(`${base}/spot-checks`);
  const id = (await page.locator("tr[data-check] td:first-child .hint").first().textContent()).trim();
  const view = await page.goto(`${base}/cases/${id}`);
  assert.equal(view.status(), 200);
  assert.equal(await page.locator("#needs tr").count(), 8, "a header and the seven needs");
  // The record is read only: the forms give the case to another fieldworker of its block and,
  // on a copy of a document (issue 15), mark it verified or confirm its withdrawal.
  const own = "#assign, form.verify, form.confirm-withdrawal";
  assert.equal(
    await page.locator(`main form:not(${own}), main input:not(:is(${own}) *)`).count(),
    0,
    "nothing of the record to edit",
  );

  // A Nalanda case, found by Nalanda's supervisor, is not found for Gaya's CWC member.
  const nalanda = await browser.newContext();
  const n = await nalanda.newPage();
  await logIn(n, "supervisor-nalanda", "demo");
  await n.goto(`${base}/spot-checks`);
  const other = (await n.locator("tr[data-check] td:first-child .hint").first().textContent()).trim();
  assert.equal((await n.goto(`${base}/cases/${other}`)).status(), 200);
  await nalanda.close();
  const cwc = await browser.newContext();
  const c = await cwc.newPage();
  await logIn(c, "cwc-gaya", "demo");
  assert.equal((await c.goto(`${base}/cases/${other}`)).status(), 404, "typing another district's case");
  assert.equal((await c.goto(`${base}/reports/gaps?district=Nalanda`)).status(), 404);
  assert.equal((await c.goto(`${base}/cases/${id}`)).status(), 200, "their own district's case");
  await cwc.close();
  await context.close();
});

test("a form posted by a page on another port of the same host is refused", async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, "supervisor-gaya", "demo");
  await page.goto(`${base}/spot-checks`);
  const id = await page.locator("tr[data-check] form").first().getAttribute("data-check");
  const month = await page.locator("input[name=month]").first().inputValue();
  // Another server on the same host (the same site: the SameSite=Strict cookie goes along),
  // whose page posts an outcome to the dashboard by itself.
  const { hostname } = new URL(base);
  const evil = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      `<!doctype html><form id="f" method="post" action="${base}/spot-checks/${id}">` +
        `<input name="outcome" value="verified"><input name="note" value=""><input name="month" value="${month}">` +
        `</form><script>document.getElementById("f").submit()</script>`,
    );
  });
  await new Promise((resolve) => evil.listen(0, hostname, resolve));
  try {
    const [posted] = await Promise.all([
      page.waitForResponse((r) => r.url() === `${base}/spot-checks/${id}` && r.request().method() === "POST"),
      page.goto(`http://${hostname}:${evil.address().port}/`),
    ]);
    assert.equal(posted.status(), 403, "the forged outcome is refused");
  } finally {
    evil.close();
  }
  await page.goto(`${base}/spot-checks?month=${month}`);
  assert.equal(await page.locator(`form[data-check="${id}"]`).count(), 1, "the spot check is still open");
  await context.close();
});

test("the pages render under the Content-Security-Policy: the stylesheet applies, the charts draw, nothing is refused", async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const refused = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  await logIn(page, "supervisor-gaya", "demo");
  const header = () => page.evaluate(() => getComputedStyle(document.querySelector("header")).backgroundColor);
  for (const path of ["/", "/reports", "/spot-checks", "/conflicts", "/reviews"]) {
    const r = await page.goto(`${base}${path}`);
    assert.match(r.headers()["content-security-policy"], /default-src 'none'; style-src 'sha256-/);
    assert.equal(r.headers()["x-frame-options"], "DENY");
    assert.equal(r.headers()["cache-control"], "no-store");
    assert.equal(await header(), "rgb(31, 78, 61)", `${path}: the inline stylesheet applies`);
  }
  await page.goto(`${base}/reports`);
  const chart = await page.locator("#risk-chart svg").boundingBox();
  assert.ok(chart && chart.height > 20 && chart.width > 100, "the risk chart is drawn");
  assert.ok((await page.locator("#risk-chart svg rect").first().boundingBox()).height > 0, "with bars");
  assert.equal(
    await page.evaluate(() => getComputedStyle(document.querySelector("#visit-charts")).display),
    "flex",
    "the visit charts sit side by side (a rule of the stylesheet, not an inline style)",
  );
  if (process.env.HOMEWARD_SCREENSHOTS) {
    await page.screenshot({ path: join(process.env.HOMEWARD_SCREENSHOTS, "dashboard-reports-csp.png"), fullPage: true });
    await page.goto(`${base}/`);
    await page.screenshot({ path: join(process.env.HOMEWARD_SCREENSHOTS, "dashboard-overview-csp.png"), fullPage: true });
  }
  assert.deepEqual(refused, [], "the policy refused nothing the pages use");
  await context.close();
});

// Last: it changes the demo (one case closed as merged).
test("a supervisor merges the demo's child registered twice: the kept case holds the other's visit, the other says where it went", async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  await logIn(page, "supervisor-gaya", "demo");
  await page.goto(`${base}/duplicates`);
  const rows = page.locator("#duplicates tbody tr");
  assert.equal(await rows.count(), 1, "the demo's one pair");
  const [keepLink, otherLink] = await rows.first().locator("a").all();
  const keep = (await keepLink.getAttribute("href")).replace("/cases/", "");
  const other = (await otherLink.getAttribute("href")).replace("/cases/", "");
  assert.equal(other, `${keep}-2`, "the second registration");
  if (process.env.HOMEWARD_SCREENSHOTS) {
    await page.screenshot({ path: join(process.env.HOMEWARD_SCREENSHOTS, "dashboard-duplicates.png"), fullPage: true });
  }
  const form = rows.first().locator("form.merge").first();
  await form.locator("button").click();
  assert.match(await page.textContent("[role=alert]"), /they are the same child/, "a merge needs the box ticked");
  await page.locator("#duplicates tbody tr form.merge").first().locator("input[name=same]").check();
  await page.locator("#duplicates tbody tr form.merge").first().locator("button").click();
  assert.equal(new URL(page.url()).pathname, `/cases/${keep}`, "the kept case is shown");
  assert.match(await page.textContent("#merged-from"), new RegExp(`case ${other}`));
  assert.match(await page.textContent("main"), /met at the weekly market/, "the other case's visit is on the kept case");
  if (process.env.HOMEWARD_SCREENSHOTS) {
    await page.screenshot({ path: join(process.env.HOMEWARD_SCREENSHOTS, "dashboard-merged-case.png"), fullPage: true });
  }
  await page.goto(`${base}/cases/${other}`);
  assert.match(await page.textContent("#merged-into"), new RegExp(`merged into case ${keep}`));
  await page.goto(`${base}/duplicates`);
  assert.equal(await page.locator("#no-duplicates").count(), 1, "no pair is left");
  await context.close();
});
