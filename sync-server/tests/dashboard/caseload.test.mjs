// Browser tests of the caseload, the case page, the people and programme pages and the
// language switch (issue 12), on the real server binary with the demo data, driven by Playwright
// on Debian's Chromium. HOMEWARD_SCREENSHOTS=DIR saves each page in English and Hindi.
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
  const db = newStore("hw-cases-");
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

function count(text) {
  const m = text.match(/(\d+) (cases?|केस)/);
  assert.ok(m, `a count in: ${text}`);
  return Number(m[1]);
}

test("a supervisor finds a child in the caseload by name, filters by risk, and reads it in Hindi", async () => {
  const { context, page } = await session("supervisor-gaya");
  await page.click("nav >> a:has-text('Cases')");
  assert.equal(new URL(page.url()).pathname, "/cases");
  const all = count(await page.textContent("#count"));
  assert.ok(all > 5, `the Gaya caseload: ${all}`);
  await shot(page, "dashboard-caseload-en");

  const name = (await page.locator("#caseload tr:nth-child(3) td:first-child a").textContent()).trim();
  await page.fill("input[name=q]", name.split(" ")[0].toLowerCase());
  await page.click("#filters button[type=submit]");
  const names = await page.locator("#caseload td:first-child a").allTextContents();
  assert.ok(names.includes(name), `${name} found among ${names}`);
  assert.ok(count(await page.textContent("#count")) < all, "fewer than all");

  await page.fill("input[name=q]", "");
  await page.selectOption("select[name=risk]", "high");
  await page.click("#filters button[type=submit]");
  const risks = await page.locator("#caseload td:nth-child(6)").allTextContents();
  assert.ok(risks.length > 0, "high-risk cases in the demo");
  assert.ok(risks.every((r) => r.trim() === "high"), `only high: ${risks}`);
  assert.match(page.url(), /risk=high/, "the filter is in the address, so it can be shared");

  await page.click("header a:has-text('हिन्दी')");
  assert.equal(await page.getAttribute("html", "lang"), "hi");
  assert.equal((await page.textContent("h1")).trim(), "केस");
  const hiRisks = await page.locator("#caseload td:nth-child(6)").allTextContents();
  assert.ok(hiRisks.every((r) => r.trim() === "उच्च"), `the filter kept, in Hindi: ${hiRisks}`);
  await shot(page, "dashboard-caseload-hi");
  // The language is kept for the session.
  await page.click("nav >> a:has-text('सारांश')");
  assert.equal(await page.getAttribute("html", "lang"), "hi");
  await context.close();
});

test("the case page shows the whole record and gives the case to a fieldworker of its block", async () => {
  const { context, page } = await session("supervisor-gaya");
  await page.goto(`${base}/cases?status=active`);
  await page.click("#caseload tr:nth-child(2) td:first-child a");
  for (const id of ["needs", "documents", "visits", "follower"]) {
    assert.ok(await page.locator(`#${id}`).count(), `the ${id} section`);
  }
  await shot(page, "dashboard-case-en");
  const follower = (await page.textContent("#follower")).trim();
  assert.match(follower, /^Followed by: \S/);
  // The form offers only the block's fieldworkers; giving it to the one who has it changes nothing.
  await page.click("#assign button");
  assert.equal((await page.textContent("#follower")).trim(), follower);
  await page.goto(`${page.url().split("?")[0]}?lang=hi`);
  assert.match(await page.textContent("#needs"), /ज़रूरत/);
  await shot(page, "dashboard-case-hi");
  await context.close();
});

test("a supervisor gives a fieldworker's new phone a code and revokes a lost one", async () => {
  const { context, page } = await session("supervisor-gaya");
  await page.click("nav >> a:has-text('People')");
  const people = await page.locator("#people tr").count();
  assert.ok(people >= 3, "Gaya's fieldworkers");
  assert.doesNotMatch(await page.textContent("#people"), /Nawada|Nalanda/, "only their district's");
  await page.locator("#people form[action='/people/code'] button").first().click();
  const code = (await page.textContent("#code code")).trim();
  assert.ok(code.length >= 6, `a code: ${code}`);
  await shot(page, "dashboard-people-en");

  const devices = page.locator("#devices tr");
  const before = await page.locator("#devices form[action='/people/revoke']").count();
  assert.ok(before > 0, "phones in use");
  // Without the tick nothing happens and the page says why.
  await page.locator("#devices form[action='/people/revoke'] button").first().click();
  assert.match(await page.textContent("[role=alert]"), /Nothing was revoked/);
  await page.locator("#devices form[action='/people/revoke'] input[name=confirm]").first().check();
  await page.locator("#devices form[action='/people/revoke'] button").first().click();
  assert.equal(await page.locator("#devices form[action='/people/revoke']").count(), before - 1);
  assert.match(await devices.allTextContents().then((t) => t.join(" ")), /revoked/);
  await page.goto(`${base}/people?lang=hi`);
  await shot(page, "dashboard-people-hi");
  await context.close();
});

test("an administrator changes a threshold on the programme page; a file that does not read is refused", async () => {
  const { context, page } = await session("admin");
  await page.click("nav >> a:has-text('Programme')");
  assert.match(await page.textContent("#in-force"), /defaults/);
  await page.fill("textarea[name=text]", "[visits]\nstable_days = 45\n");
  await page.click("#programme button");
  assert.match(await page.textContent("#in-force"), /Version 1, set by admin/);
  await page.fill("textarea[name=text]", "[visits]\nstable_days = \"soon\"\n");
  await page.click("#programme button");
  assert.match(await page.textContent("[role=alert]"), /line 2/);
  assert.match(await page.textContent("#in-force"), /Version 1/, "nothing changed");
  await shot(page, "dashboard-programme-en");
  await page.goto(`${base}/programme?lang=hi`);
  await shot(page, "dashboard-programme-hi");
  await context.close();
});
