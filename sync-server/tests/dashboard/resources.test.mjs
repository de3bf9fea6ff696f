// Browser tests of the resource map's page (issue 17): a supervisor adds a resource, filters the
// list, deactivates one, imports a file (refused whole with its line, then taken), and reads the
// page in Hindi; a CWC member reads it without the forms. The real server binary with the demo
// data, driven by Playwright on Debian's Chromium. HOMEWARD_SCREENSHOTS=DIR saves each page.
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
  const db = newStore("hw-resources-");
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

async function session(user) {
  const context = await browser.newContext({ viewport: { width: 1300, height: 900 } });
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
  const m = text.match(/(Resources shown|दिखाए गए संसाधन): (\d+)/);
  assert.ok(m, `a count in: ${text}`);
  return Number(m[2]);
}

test("a supervisor adds a resource, filters the map, deactivates one and reads it in Hindi", async () => {
  const { context, page } = await session("supervisor-gaya");
  await page.click("nav >> a:has-text('Resources')");
  assert.equal(new URL(page.url()).pathname, "/resources");
  const all = count(await page.textContent("#count"));
  assert.ok(all >= 20, `the demo's Gaya map: ${all}`);
  assert.doesNotMatch(await page.textContent("#resources"), /Nalanda|Rajgir/, "Gaya's only");
  await shot(page, "dashboard-resources-en");

  // Add one to Tekari: the list of its block follows.
  await page.click("#add summary");
  await page.fill("#add input[name=district]", "Gaya");
  await page.fill("#add input[name=block]", "Tekari");
  await page.selectOption("#add select[name=kind]", "counselling");
  await page.fill("#add input[name=name]", "Mann Counselling Centre");
  await page.fill("#add input[name=contact]", "Counsellor on duty");
  await page.fill("#add textarea[name=offers]", "Counselling for children and mothers");
  await page.fill("#add input[name=min_age]", "8");
  await page.fill("#add input[name=max_age]", "18");
  await page.click("#add button[type=submit]");
  assert.match(page.url(), /district=Gaya&block=Tekari/);
  const row = page.locator("#resources tr", { hasText: "Mann Counselling Centre" });
  assert.equal(await row.count(), 1);
  assert.match(await row.textContent(), /Counselling.*8 to 18 years.*takes referrals/s);

  // An age that is not one is answered with the form again and the error (the browser itself
  // asks for the name, district and block: they are required).
  await page.click("#add summary");
  await page.fill("#add input[name=district]", "Gaya");
  await page.fill("#add input[name=block]", "Tekari");
  await page.fill("#add input[name=name]", "Another Centre");
  await page.fill("#add input[name=min_age]", "twelve");
  await page.click("#add button[type=submit]");
  assert.match(await page.textContent("[role=alert]"), /“twelve” is not an age/);
  assert.equal(await page.inputValue("#resource-form input[name=block]"), "Tekari", "what was typed is kept");
  await shot(page, "dashboard-resources-refused-en");

  // Filter by kind: schools only.
  await page.goto(`${base}/resources?district=Gaya`);
  await page.selectOption("#resource-filters select[name=kind]", "school");
  await page.click("#resource-filters button[type=submit]");
  const kinds = await page.locator("#resources tr td:nth-child(2)").allTextContents();
  assert.ok(kinds.length > 0 && kinds.every((k) => k.trim() === "School"), `schools only: ${kinds}`);
  assert.ok(count(await page.textContent("#count")) < all, "fewer than all");
  assert.match(page.url(), /kind=school/, "the filter is in the address");

  // Deactivate the new one: it stays, inactive.
  await page.goto(`${base}/resources?district=Gaya&block=Tekari`);
  await row.locator("form[action$='/active'] button").click();
  assert.match(await row.textContent(), /inactive/);
  assert.match(await row.locator("form[action$='/active'] button").textContent(), /Activate again/);

  // The same page in Hindi: kinds and words from the catalogue.
  await page.click("header a:has-text('हिन्दी')");
  assert.equal(await page.getAttribute("html", "lang"), "hi");
  assert.equal((await page.textContent("h1")).trim(), "संसाधन");
  const hiKinds = await page.locator("#resources tr td:nth-child(2)").allTextContents();
  assert.ok(hiKinds.some((k) => /स्कूल|विद्यालय/.test(k)), `kinds in Hindi: ${hiKinds}`);
  assert.match(await row.textContent(), /निष्क्रिय/);
  await shot(page, "dashboard-resources-hi");
  await context.close();
});

test("an import is refused whole with its line, then taken, and taken again changes nothing", async () => {
  const { context, page } = await session("supervisor-gaya");
  await page.goto(`${base}/resources?lang=en`);
  const before = count(await page.textContent("#count"));
  const good = "district,block,kind,name,contact,min_age,max_age,sex\nGaya,Manpur,school,Udaan Bridge School,Head teacher,9,14,f\n";
  await page.click("#import summary");
  await page.fill("#import textarea[name=csv]", good + "Gaya,Manpur,bakery,Bread and Butter,,,,\n");
  await page.click("#import button[type=submit]");
  assert.match(await page.textContent("[role=alert]"), /nothing was stored: line 3: unknown resource kind/);
  await shot(page, "dashboard-resources-import-refused-en");
  await page.goto(`${base}/resources`);
  assert.equal(count(await page.textContent("#count")), before, "nothing stored");

  await page.click("#import summary");
  await page.fill("#import textarea[name=csv]", good);
  await page.click("#import button[type=submit]");
  assert.match(await page.textContent("#imported"), /1 added, 0 changed, 0 unchanged/);
  await page.click("#import summary");
  await page.fill("#import textarea[name=csv]", good);
  await page.click("#import button[type=submit]");
  assert.match(await page.textContent("#imported"), /0 added, 0 changed, 1 unchanged/);
  assert.equal(count(await page.textContent("#count")), before + 1);
  await context.close();
});

test("a CWC member reads the map of their district without the forms", async () => {
  const { context, page } = await session("cwc-gaya");
  await page.goto(`${base}/resources?lang=hi`);
  assert.ok(count(await page.textContent("#count")) > 0);
  assert.equal(await page.locator("#add, #import, form[action$='/active']").count(), 0, "no forms");
  await shot(page, "dashboard-resources-cwc-hi");
  const resp = await page.goto(`${base}/resources?district=Nalanda`);
  assert.equal(resp.status(), 404, "another district is answered as missing");
  await context.close();
});
