// The resource map and referrals on the real field app (issue 17), against the real server's
// demo: the Core Team puts a provider on the map with the server's command line, the phone's
// next sync brings it, the fieldworker finds it offline (Latin and Devanagari words), refers a
// child whose family needs livelihood support, the referral's follow-up prompt opens it from
// Today, and "served" is recorded and synced. Screenshots of both screens in English and Hindi
// under HOMEWARD_SCREENSHOTS. Run with the other e2e tests:
//   NO_AT_BRIDGE=1 dbus-run-session -- xvfb-run -a node --test --test-concurrency=1   (in app/tests/e2e)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  admin,
  appDay,
  choose,
  enrolAndSync,
  overflowsSideways,
  pickDate,
  setUp,
  shot,
  step,
  tap,
  tearDown,
  text,
  type,
  waitForText,
  world,
} from './harness.js';

const PROVIDER = 'Sakhi Silai Kendra';
const LIVELIHOOD_PROMPT = 'Find livelihood support · Livelihood';

before(setUp);
after(tearDown);

/** Syncs from the Sync tab and waits for the round to end. */
async function syncNow() {
  await tap('[data-tab=sync]');
  await tap('[data-testid=sync-now]');
  await waitForText('[data-testid=sync-done]', 'Up to date', 60_000);
}

/** The tabs whose label runs out of its button. */
function spilledTabs() {
  return world.browser.execute(() =>
    [...document.querySelectorAll('.tabs button')].filter((b) => b.scrollWidth > b.clientWidth + 1).map((b) => b.textContent),
  );
}

/** The names the Resources screen lists now. */
function listed() {
  return world.browser.execute(() =>
    [...document.querySelectorAll('[data-testid=resource-list] [data-testid=resource-name]')].map((e) => e.textContent.trim()),
  );
}

test('the resource map and a referral, from the server to its outcome', async (t) => {
  let resourceId;
  let caseId;
  let caseBlock;
  const block = () => caseBlock;

  await step(t, 'enrol in English; the first sync brings the caseload and the demo map', async () => {
    await tap('[data-lang=en]');
    await waitForText('h1', 'Set up this phone');
    await enrolAndSync();
    await tap('[data-tab=resources]');
    await waitForText('h1', 'Resources');
    assert.equal(await (await world.browser.$('[data-testid=resources-not-held]')).isExisting(), false, 'the map came with the sync');
    const names = await listed();
    assert.ok(names.length > 0, 'the demo map lists providers of the user\'s blocks');
    assert.ok(!names.includes(PROVIDER));
  });

  await step(t, 'the Core Team adds a provider in the block of a child of the phone; the next sync brings it', async () => {
    // The first active case of the caseload (any other shows its state on its second line).
    await tap('[data-tab=cases]');
    await world.browser.waitUntil(async () => (await world.browser.$$('[data-testid=case-list] button')).length > 0, { timeout: 10_000 });
    [caseId, caseBlock] = await world.browser.execute(() => {
      const rows = [...document.querySelectorAll('[data-testid=case-list] button')];
      const row = rows.find((r) => r.querySelectorAll('.hint')[0].textContent.split('·').length === 1);
      return [row?.dataset.case, row?.querySelectorAll('.hint')[0].textContent.split(',').pop().trim()];
    });
    assert.ok(caseId && caseBlock, 'an active case on the phone');
    const out = admin(
      'resource', 'add', '--district', world.server.district, '--block', block(), '--kind', 'skills-training',
      '--name', PROVIDER, '--contact', 'Meena Devi, 94310 00000', '--offers', 'Tailoring course for mothers, three months, free',
      '--min-age', '5', '--max-age', '60',
    );
    resourceId = out.trim().split('\n').pop();
    assert.match(resourceId, /\S/);
    await syncNow();
    await tap('[data-tab=resources]');
    await world.browser.waitUntil(async () => (await listed()).includes(PROVIDER), { timeout: 10_000, timeoutMsg: 'the new provider never came' });
  });

  await step(t, 'the map is searched offline by words in either script, kind, need and block', async () => {
    await type('#resource-search', 'silai');
    await world.browser.waitUntil(async () => JSON.stringify(await listed()) === JSON.stringify([PROVIDER]), {
      timeout: 10_000,
      timeoutMsg: 'a Latin word finds the provider alone',
    });
    const card = await text(`[data-resource=${resourceId}]`);
    assert.match(card, /Skills training centre/);
    assert.match(card, /Meena Devi, 94310 00000/);
    assert.match(card, /Tailoring course for mothers/);
    assert.match(card, /Takes: ages 5 to 60/);
    assert.match(card, new RegExp(block()));
    // A Latin word finds a name written in Devanagari (the demo's health centres).
    await type('#resource-search', 'prathamik');
    await world.browser.waitUntil(async () => (await listed()).some((n) => /प्राथमिक/.test(n)), {
      timeout: 10_000,
      timeoutMsg: 'a Latin word never found a Devanagari name',
    });
    await type('#resource-search', '');
    await choose('#resource-need', 'livelihood');
    await world.browser.waitUntil(async () => (await listed()).includes(PROVIDER), { timeout: 10_000 });
    const kinds = await world.browser.execute(() =>
      [...document.querySelectorAll('[data-testid=resource-list] [data-testid=resource-kind]')].map((e) => e.textContent),
    );
    assert.ok(kinds.every((k) => /Livelihood provider|Skills training centre/.test(k)), `livelihood kinds only: ${kinds}`);
    await choose('#resource-block', block());
    await choose('#resource-kind', 'skills-training');
    await world.browser.waitUntil(async () => (await listed()).every((n) => n === PROVIDER), { timeout: 10_000 });
    await choose('#resource-kind', '');
    await shot('app-resources-en');
    await world.browser.setWindowRect(null, null, 340, 760);
    assert.deepEqual(await spilledTabs(), [], 'tab labels fit their tabs at 340 px');
    assert.equal(await overflowsSideways(), false, 'the Resources screen scrolls sideways at 340 px');
    await world.browser.setWindowRect(null, null, 400, 820);
  });

  await step(t, "a child of the block whose family needs livelihood support: Today counts the block's resources", async () => {
    await tap('[data-tab=cases]');
    await choose('#block', block());
    await tap(`[data-testid=case-list] [data-case="${caseId}"]`);
    await tap('[data-testid=record-visit]');
    await tap('[data-testid=visit-needs] [data-dimension=livelihood]');
    await tap('[data-testid=visit-needs] [data-status=needs_support]');
    await tap('[data-testid=save-visit]');
    await waitForText('[data-testid=case-help] [data-dimension=livelihood]', 'Livelihood: needs support');
    assert.match(await text('[data-testid=case-help] [data-dimension=livelihood]'), /\d+ resources? can help/);
    await shot('app-case-help-en', 1100, '[data-testid=referrals-title]');
    await tap('[data-tab=today]');
    const group = `[data-testid=prompts] [data-case="${caseId}"]`;
    await waitForText(group, LIVELIHOOD_PROMPT);
    assert.match(await text(group), new RegExp(`${LIVELIHOOD_PROMPT} · \\d+ resources? can help`));
    await shot('app-today-help-en', 820, group);
  });

  await step(t, 'Find help lists the suggestions; the child is referred, dated 20 days ago', async () => {
    await tap(`[data-testid=prompts] [data-case="${caseId}"]`);
    await tap('[data-testid=case-help] [data-dimension=livelihood] [data-testid=find-help]');
    await waitForText('h1', 'Find help: Livelihood');
    await waitForText('[data-testid=refer-suggested]', PROVIDER);
    await tap(`[data-testid=refer-suggested] [data-resource="${resourceId}"]`);
    await waitForText('[data-testid=refer-form]', `Refer to ${PROVIDER}`);
    assert.equal(await (await world.browser.$('#refer-on-day')).getValue(), String(Number(appDay().slice(8))), 'today unless changed');
    await pickDate('refer-on', appDay(-20));
    await type('#refer-note', 'The mother wants to learn tailoring.');
    await shot('app-refer-en');
    await tap('[data-testid=refer-save]');
    await waitForText('[data-testid=referrals]', PROVIDER);
    const card = await text('[data-testid=referrals] li');
    assert.match(card, /Skills training centre · for Livelihood/);
    assert.match(card, /referred/);
    assert.match(card, /The mother wants to learn tailoring\./);
    // The need has its referral: no second "Find help" for it.
    assert.equal(await (await world.browser.$('[data-testid=case-help] [data-dimension=livelihood]')).isExisting(), false);
  });

  await step(t, "Today asks to follow the referral up; it opens the case at the referral", async () => {
    await tap('[data-tab=today]');
    const group = `[data-testid=prompts] [data-case="${caseId}"]`;
    await waitForText(group, 'Follow up a referral');
    assert.match(await text(group), new RegExp(`${PROVIDER}: referred since`));
    await shot('app-today-referral-en', 820, group);
    await tap(group);
    await waitForText('[data-testid=case-prompts]', `Referred to ${PROVIDER}`);
    const focused = await world.browser.$('[data-testid=referrals] li.focused');
    assert.equal(await focused.isExisting(), true, 'the referral is brought into view');
    await shot('app-referral-en', 1100, '[data-testid=referrals-title]');
  });

  await step(t, 'a refusal asks why; "served" is recorded and reaches the server', async () => {
    await tap('[data-testid=referrals] [data-step=refused]');
    await tap('[data-testid=referral-step-save]');
    await waitForText('[data-testid=referral-step-form] [role=alert]', 'Say why it was refused.');
    await tap('[data-testid=referrals] [data-step=served]');
    await type('#step-note', 'Joined the course.');
    await tap('[data-testid=referral-step-save]');
    await waitForText('[data-testid=referral-state]', 'served');
    assert.match(await text('[data-testid=referral-dates]'), /served on/);
    assert.equal(await (await world.browser.$('[data-testid=referrals] [data-step]')).isExisting(), false, 'no step after the outcome');
    await tap('[data-tab=today]');
    await world.browser.$('[data-testid=today-counts]').waitForDisplayed({ timeout: 10_000 });
    // This child's follow-up is gone (the demo's other children have referrals of their own).
    const ours = await world.browser.$(`[data-testid=prompts] [data-case="${caseId}"]`);
    if (await ours.isExisting()) assert.doesNotMatch(await ours.getText(), /Follow up a referral/);
    await syncNow();
    await waitForText('[data-testid=waiting]', 'nothing');
  });

  await step(t, 'in Hindi, at a phone width: the Resources screen and the referral', async () => {
    await tap('[data-tab=settings]');
    await tap('[data-lang=hi]');
    await waitForText('h1', 'सेटिंग');
    // The narrowest window the app allows: no tab's word runs out of its tab.
    await world.browser.setWindowRect(null, null, 340, 760);
    assert.deepEqual(await spilledTabs(), [], 'tab labels fit their tabs at 340 px');
    await world.browser.setWindowRect(null, null, 360, 760);
    await tap('[data-tab=resources]');
    await waitForText('h1', 'परिवारों के लिए संसाधन');
    await type('#resource-search', 'silai');
    await waitForText(`[data-resource="${resourceId}"]`, 'कौशल प्रशिक्षण केंद्र');
    assert.match(await text(`[data-resource="${resourceId}"]`), /किसके लिए: 5 से 60 वर्ष/);
    assert.equal(await overflowsSideways(), false, 'the Resources screen scrolls sideways at 360 px');
    await type('#resource-search', '');
    await world.browser.setWindowRect(null, null, 400, 820);
    await shot('app-resources-hi');
    await tap('[data-tab=cases]');
    await choose('#block', block());
    await tap(`[data-testid=case-list] [data-case="${caseId}"]`);
    await waitForText('[data-testid=referrals]', 'सेवा मिली');
    assert.match(await text('[data-testid=referral-dates]'), /को भेजा/);
    await world.browser.setWindowRect(null, null, 360, 760);
    assert.equal(await overflowsSideways(), false, 'the case screen scrolls sideways at 360 px');
    await world.browser.setWindowRect(null, null, 400, 820);
    await shot('app-referral-hi', 1100, '[data-testid=referrals-title]');
  });
});
