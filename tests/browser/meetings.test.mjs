// Browser test of 组织生活 (三会一课 纪实): a real dangjian server on a demo database, driven through
// Debian's /usr/bin/chromium by playwright-core (no browser download). Harness: lib.mjs.
//
//   cd tests/browser && npm ci && cd ../.. && node tests/browser/meetings.test.mjs
//
// Needs build/dangjian (or DANGJIAN_BIN) and web/dist (or DANGJIAN_WEB_ROOT; build it with
// `cd web && npm ci && npm run build`). On failure a screenshot is saved in a temp directory.
//
// "Today" is the server's calendar day (China Standard Time), taken from the compliance reply's
// `as_of`, so the test does not depend on the machine's time zone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { h, setup, teardown, login, withScreenshot, clickAndWait, waitForApi } from './lib.mjs';

let page = null;
let branch = null; // { id, name } of the branch the tests record meetings for
let asOf = ''; // the server's today, YYYY-MM-DD

/** Opens an entry of the 组织生活 sub-menu. */
async function openMenu(item, apiPath) {
  const entry = page.locator(`[data-test=menu-${item}]`);
  if (!(await entry.isVisible())) await page.click('[data-test=menu-orglife] > .el-sub-menu__title');
  await entry.waitFor();
  return waitForApi(() => entry.click(), apiPath);
}

/** Picks an organisation by its exact name in an <OrgTreeSelect data-test=...>. */
async function pickOrg(selector, name, apiPath) {
  await page.click(selector);
  await page.keyboard.type(name);
  const node = page.locator('.el-tree-node__content:visible', { has: page.getByText(name, { exact: true }) }).first();
  await node.waitFor();
  if (apiPath) return waitForApi(() => node.click(), apiPath);
  await node.click();
  return null;
}

/** Held and required count of a meeting type in the compliance table: [held, required]. */
async function heldOf(orgId, type) {
  const cell = page.locator(`[data-test=held-${orgId}-${type}]`);
  await cell.waitFor();
  const m = /(\d+)\s*\/\s*(\d+)/.exec(await cell.textContent());
  assert.ok(m, 'the cell shows held / required');
  return [Number(m[1]), Number(m[2])];
}

/** Opens 合规统计 for the chosen branch and returns its 支部党员大会 held count. */
async function complianceHeld() {
  const res = await openMenu('compliance', '/compliance?');
  const url = decodeURIComponent(res.url());
  if (!url.includes('org=' + branch.id + '&') && !url.endsWith('org=' + branch.id)) {
    await pickOrg('[data-test=compliance-org]', branch.name, '/compliance?org=' + branch.id);
  }
  await page.waitForSelector(`[data-test=branch-${branch.id}]`);
  return (await heldOf(branch.id, 'member_congress'))[0];
}

/** From 会议记录, starts a new meeting for the branch and waits for its members to load. */
async function newMeetingForBranch() {
  await openMenu('meetings', '/meetings?');
  await page.click('[data-test=meeting-add]');
  await page.waitForSelector('[data-test=meeting-topic]');
  await pickOrg('[data-test=meeting-org]', branch.name, '/members?org=' + branch.id);
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => Number(document.querySelector('[data-test=count-expected]')?.textContent) > 0);
}

before(async () => {
  await setup();
  page = h.page;
  await login();
});

after(teardown);

test('a 支部党员大会 recorded with attendance and a decision raises the held count in 合规统计', { timeout: 180000 }, async () => {
  await withScreenshot('record-member-congress', async () => {
    // 合规统计 of the whole subtree: take a branch from the table, then open it on its own.
    const res = await openMenu('compliance', '/compliance?');
    assert.equal(res.status(), 200);
    const body = await res.json();
    asOf = body.as_of;
    assert.match(asOf, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(body.summary.branches > 1 && body.summary.compliant < body.summary.branches, 'the demo has compliant and non-compliant branches');
    await page.waitForSelector('[data-test=heat-map] tbody tr');
    const row = body.rows.find((r) => r.items.some((it) => it.type === 'member_congress'));
    assert.ok(row, 'a branch with a member congress requirement');
    branch = { id: row.org_id, name: row.name };

    const one = await pickOrg('[data-test=compliance-org]', branch.name, '/compliance?org=' + branch.id);
    assert.equal((await one.json()).rows.length, 1, 'the compliance reply covers the one branch');
    await page.waitForSelector(`[data-test=branch-${branch.id}]`);
    const [heldBefore] = await heldOf(branch.id, 'member_congress');

    // 会议记录 → 新建会议: a 支部党员大会 held today, everyone present, one decision.
    await newMeetingForBranch();
    assert.equal(await page.inputValue('[data-test=field-held_on] input'), asOf, 'the date defaults to the server\'s today');
    assert.ok(await page.locator('[data-test=meeting-status-held]').evaluate((e) => e.classList.contains('is-active')), 'status 已召开 is the default');
    const expected = Number(await page.textContent('[data-test=count-expected]'));
    const present = Number(await page.textContent('[data-test=count-present]'));
    assert.equal(present, expected, 'everybody is 出席 by default');

    const topic = '浏览器测试党员大会' + Date.now().toString(36).toUpperCase();
    await page.fill('[data-test=meeting-topic]', topic);
    await page.fill('[data-test=meeting-minutes]', '会议听取了支部工作汇报，讨论通过了有关事项。');
    await page.click('[data-test=decision-add]');
    await page.fill('[data-test=decision-title-0]', '通过支部年度工作计划');

    const saved = await clickAndWait('[data-test=meeting-save]', '/meetings', 'POST');
    assert.equal(saved.status(), 201, 'POST /meetings succeeds');
    const sent = JSON.parse(saved.request().postData());
    assert.equal(sent.org_id, branch.id);
    assert.equal(sent.type, 'member_congress');
    assert.equal(sent.held_on, asOf);
    assert.equal(sent.status, 'held');
    // Everyone is listed; 预备党员 attend without a vote, so 应到 counts only full members.
    assert.ok(sent.attendees.length >= expected, 'every member of the branch is listed');
    assert.ok(sent.attendees.every((a) => a.status === 'present'), 'all attendees present');
    assert.deepEqual(sent.decisions, [{ title: '通过支部年度工作计划', yes: present, no: 0, abstain: 0 }]);
    const meeting = await saved.json();
    assert.equal(meeting.expected, expected, 'the page counts voters as the server does');
    assert.equal(meeting.present, present);
    assert.equal(meeting.decisions[0].valid, true);

    // The page now shows the saved meeting with the decision's validity and the server's reason.
    await page.waitForURL(new RegExp('#/meetings/' + meeting.id + '$'));
    const valid = page.locator('[data-test=decision-valid-0]');
    await valid.waitFor();
    assert.equal((await valid.textContent()).trim(), '决议有效');
    assert.ok(await valid.evaluate((e) => e.classList.contains('el-tag--success')), 'shown in green');
    assert.equal((await page.textContent('[data-test=decision-reason-0]')).trim(), meeting.decisions[0].reason);
    assert.equal((await page.textContent('[data-test=meeting-title]')).trim(), topic);

    // Back in 合规统计 (the branch is still chosen): one more 支部党员大会 held.
    const heldAfter = await complianceHeld();
    assert.equal(heldAfter, heldBefore + 1, `支部党员大会 held ${heldBefore} → ${heldAfter}`);
  });
});

test('a meeting dated tomorrow recorded as 已召开 shows the server\'s error', { timeout: 120000 }, async () => {
  await withScreenshot('held-tomorrow', async () => {
    assert.ok(branch && asOf, 'the first test chose a branch');
    const d = new Date(asOf + 'T00:00:00Z');
    d.setUTCDate(d.getUTCDate() + 1);
    const tomorrow = d.toISOString().slice(0, 10);

    await newMeetingForBranch();
    await page.fill('[data-test=meeting-topic]', '明天的会议');
    await page.fill('[data-test=meeting-minutes]', '提前填写的记录');
    const date = page.locator('[data-test=field-held_on] input');
    await date.fill(tomorrow);
    await date.press('Enter');
    await page.keyboard.press('Escape');
    assert.equal(await date.inputValue(), tomorrow);

    const res = await clickAndWait('[data-test=meeting-save]', '/meetings', 'POST');
    assert.equal(res.status(), 422, 'the server refuses a held meeting dated after today');
    const body = await res.json();
    assert.equal(body.error.code, 'validation_failed');
    assert.ok(body.error.fields && body.error.fields.held_on, 'the reply names held_on');

    const inline = page.locator('[data-test=field-held_on] .el-form-item__error');
    await inline.waitFor();
    assert.equal((await inline.textContent()).trim(), body.error.fields.held_on, 'the date field shows the server\'s message');
    const summary = page.locator('[data-test=meeting-form-error]');
    await summary.waitFor();
    assert.ok((await summary.textContent()).includes(body.error.fields.held_on), 'the summary shows it too');
    assert.ok(page.url().endsWith('#/meetings/new') || page.url().includes('#/meetings/new?'), 'still on the new meeting form');
  });
});
