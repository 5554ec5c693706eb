// Browser test of 发展党员 and 组织关系转接: a real dangjian server on a demo database with "today"
// fixed (DJ_TODAY), driven through Debian's /usr/bin/chromium by playwright-core. Harness: lib.mjs.
//
//   cd tests/browser && npm ci && cd ../.. && node --test tests/browser/development.test.mjs
//
// Needs build/dangjian (or DANGJIAN_BIN) and web/dist (or DANGJIAN_WEB_ROOT). On failure a
// screenshot and the server log are saved in a temp directory.
//
// An applicant is taken through the UI from 入党申请人 to 预备党员 with past dates chosen so that every
// rule passes (one step is first tried too early and refused with [DEV-20]); then an outbound
// transfer is started, approved, and its introduction letter opened as a PDF.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

// lib.mjs copies the environment for the server when it is loaded: fix "today" first.
process.env.DJ_TODAY = process.env.DJ_TODAY || '2026-11-20';
const TODAY = process.env.DJ_TODAY;
const { h, setup, teardown, login, withScreenshot, clickAndWait, waitForApi } = await import('./lib.mjs');

let page = null;
let branch = null; // { id, name, committeeId }: the branch the applicant applies to
let full = []; // full members of the branch (active), as GET /members lists them
let applicant = null; // { id, name, memberId }

/** GET an API path with the browser's session; returns the parsed JSON. */
async function apiGet(path) {
  return page.evaluate(async (u) => {
    const r = await fetch(u, { credentials: 'same-origin' });
    if (!r.ok) throw new Error(u + ' → ' + r.status);
    return r.json();
  }, '/api/v1' + path);
}

/** A valid 18-digit identity number (GB 11643 check digit) for a birth date and an odd (male) sequence. */
function idCard(birth, seq) {
  const body = '110101' + birth.replaceAll('-', '') + String(seq).padStart(3, '0');
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(body[i]) * w[i];
  return body + '10X98765432'[sum % 11];
}

/** Opens a side-menu entry, unfolding its sub-menu when needed. */
async function openMenu(item, parent, apiPath) {
  const entry = page.locator(`[data-test=menu-${item}]`);
  if (parent && !(await entry.isVisible())) await page.click(`[data-test=menu-${parent}] > .el-sub-menu__title`);
  await entry.waitFor();
  return waitForApi(() => entry.click(), apiPath);
}

/**
 * Types a date into the date picker inside `selector` (a form item) and closes the panel: with
 * Escape on a page, by clicking the title inside a dialog (Escape would close the dialog).
 */
async function fillDate(selector, date, dialog = null) {
  const input = page.locator(selector + ' input').first();
  await input.fill(date);
  await input.press('Enter');
  if (dialog) await page.click(`${dialog} .el-dialog__title`);
  else await page.keyboard.press('Escape');
  assert.equal(await input.inputValue(), date, `${selector} shows ${date}`);
}

/** Picks members by name in the visible member picker. */
async function pickMembers(members) {
  const picker = page.locator('[data-test=step-people]');
  for (const m of members) {
    await picker.click();
    await page.keyboard.type(m.name);
    const opt = page.locator(`.el-select-dropdown [data-test=pick-member-${m.id}]:visible`);
    await opt.waitFor();
    await opt.click();
  }
  await page.keyboard.press('Escape');
}

/** Waits until the step form shows the case as reloaded after the last save. */
async function formReady() {
  await page.waitForSelector('[data-test=step-card][data-ready=true]');
}

/** Chooses step n in the step form (the next step is preselected; periodic steps offer more). */
async function chooseStep(n) {
  await formReady();
  const sel = page.locator('[data-test=step-select]');
  const label = `第${n}步`;
  if (!(await sel.textContent()).includes(label) && !(await sel.locator('input').inputValue().catch(() => '')).startsWith(label)) {
    await sel.click();
    await page.locator(`[data-test=step-option-${n}]:visible`).click();
  }
}

/** Records step n on `on`; `fill` fills the step's own fields. Returns [response, body]. */
async function recordStep(n, on, fill) {
  await chooseStep(n);
  await fillDate('[data-test=field-on]', on);
  if (fill) await fill();
  const res = await clickAndWait('[data-test=step-save]', `/applicants/${applicant.id}/steps`, 'POST');
  const body = await res.json();
  return [res, body];
}

/** Records step n and checks that it was accepted. */
async function step(n, on, fill) {
  const [res, body] = await recordStep(n, on, fill);
  assert.equal(res.status(), 201, `step ${n} on ${on}: ${JSON.stringify(body)}`);
  assert.equal(body.step.step, n);
  assert.equal(body.step.on, on);
  await page.locator(`[data-test=timeline-step-${n}]`).first().waitFor();
  return body;
}

before(async () => {
  await setup();
  page = h.page;
  await login();

  // A branch directly under a 党委 with at least three full members.
  const orgs = (await apiGet('/orgs')).items;
  const byId = new Map(orgs.map((o) => [o.id, o]));
  for (const o of orgs) {
    const parent = byId.get(o.parent_id);
    if (o.type !== 'branch' || !parent || parent.type !== 'party_committee') continue;
    const members = (await apiGet(`/members?org=${o.id}&per_page=200`)).items;
    // Votes count the full members directly in the branch in the counted states (正常, 失联);
    // the people named on steps are taken from those 正常.
    const counted = members.filter((m) => m.org_id === o.id && m.status === 'full' && (!m.state || m.state === 'active' || m.state === 'lost'));
    const f = counted.filter((m) => !m.state || m.state === 'active');
    if (f.length >= 3) {
      branch = { id: o.id, name: o.name, committeeId: parent.id, fullCount: counted.length };
      full = f;
      break;
    }
  }
  assert.ok(branch, 'the demo has a branch under a 党委 with three full members');
});

after(teardown);

test('an applicant taken through the steps in the console becomes a 预备党员 with a member record', { timeout: 300000 }, async () => {
  await withScreenshot('development-flow', async () => {
    const res = await openMenu('development', null, '/applicants');
    assert.equal(res.status(), 200);
    await page.waitForSelector('[data-test=dev-col-probationary]');

    // 新增申请人: born 1995, applied in January 2024 (over 18), 2014 rules.
    const birth = '1995-06-15';
    const name = '欧阳测试';
    await page.click('[data-test=applicant-add]');
    await page.waitForSelector('[data-test=applicant-name-input]');
    await page.click('[data-test=applicant-org]');
    await page.keyboard.type(branch.name);
    const node = page.locator('.el-tree-node__content:visible', { has: page.getByText(branch.name, { exact: true }) }).first();
    await node.click();
    await page.fill('[data-test=applicant-name-input]', name);
    await page.fill('[data-test=applicant-id-card]', idCard(birth, 101 + Math.floor(Math.random() * 400) * 2));
    await page.locator('[data-test=applicant-id-card]').blur();
    assert.equal(await page.inputValue('[data-test=field-birth_date] input'), birth, 'the birth date comes from the identity number');
    await page.click('[data-test=applicant-education]');
    await page.keyboard.type('大学本科毕业');
    await page.locator('.el-select-dropdown__item:visible', { hasText: '大学本科毕业' }).first().click();
    await fillDate('[data-test=field-applied_on]', '2024-01-10', '[data-test=applicant-dialog]');
    const created = await clickAndWait('[data-test=applicant-save]', '/applicants', 'POST');
    const a = await created.json();
    assert.equal(created.status(), 201, JSON.stringify(a));
    assert.equal(a.org_id, branch.id);
    assert.equal(a.stage, 'applicant');
    assert.equal(a.step, 1, 'step 1 递交入党申请书 is recorded with the case');
    assert.equal(String(a.rule_version), '2014', 'applied before 2026-05-18: the 2014 rules');
    applicant = { id: a.id, name, memberId: null };
    await page.waitForURL(new RegExp(`#/development/applicants/${a.id}$`));
    await formReady();
    assert.equal((await page.textContent('[data-test=applicant-name]')).trim(), name);
    assert.match(await page.textContent('[data-test=next-step]'), /第2步/, 'the next step is the talk');
    assert.equal((await page.textContent('[data-test=next-due]')).trim(), '2024-02-10', 'talk within 1 month (DEV-12)');

    const [talker, contact, intro2] = full;
    await step(2, '2024-01-20', () => pickMembers([talker]));
    await step(3, '2024-02-01');
    await step(4, '2024-02-10');
    await step(5, '2024-02-15', () => pickMembers([contact]));
    await step(6, '2024-07-15', () => page.fill('[data-test=step-summary]', '学习认真，表现良好'));

    // Too early for 发展对象: less than a year after becoming an activist (DEV-20). Nothing is saved.
    const [refused, err] = await recordStep(7, '2024-12-01');
    assert.equal(refused.status(), 422);
    assert.equal(err.error.code, 'rule_violation');
    assert.equal(err.error.rule, 'DEV-20');
    const shown = page.locator('[data-test=step-error]');
    await shown.waitFor();
    const text = (await shown.textContent()).trim();
    assert.ok(text.includes('[DEV-20]'), `the form shows the rule: ${text}`);
    assert.ok(text.includes(err.error.message), 'the form shows the server\'s message');
    assert.equal(await page.locator('[data-test=timeline-step-7]').count(), 0, 'step 7 was not recorded');

    await step(6, '2025-01-10', () => page.fill('[data-test=step-summary]', '第二次考察，表现良好'));
    await step(7, '2025-02-05');
    await step(8, '2025-02-10');
    await step(9, '2025-02-15', () => pickMembers([contact, intro2]));
    await step(10, '2025-03-01', () => page.fill('[data-test=step-summary]', '政治审查合格'));
    const training = await step(11, '2025-03-10', async () => {
      assert.equal(await page.inputValue('[data-test=training-days] input'), '3');
      assert.equal(await page.inputValue('[data-test=training-hours] input'), '24');
    });
    assert.deepEqual(training.warnings, [], 'three days of training: no warning');
    await step(12, '2025-03-20');
    const pre = await step(13, '2025-04-01');
    assert.equal(pre.step.approver_org_id, branch.committeeId, 'the pre-review defaults to the branch\'s 党委');
    await step(14, '2025-04-10');

    // 支部大会: expected is prefilled with the branch's full members, everyone present and in favour.
    const vote = await step(15, '2025-04-20', async () => {
      assert.equal(Number(await page.inputValue('[data-test=vote-expected] input')), branch.fullCount, 'expected = the branch\'s full members');
      assert.equal(Number(await page.inputValue('[data-test=vote-yes] input')), branch.fullCount);
    });
    assert.equal(vote.step.vote.expected, branch.fullCount);
    assert.equal(vote.step.vote.passed, true, vote.step.vote.reason);
    await step(16, '2025-05-01');
    const approved = await step(17, '2025-06-01');
    assert.equal(approved.step.approver_org_id, branch.committeeId);
    assert.equal(approved.applicant.stage, 'probationary');
    assert.ok(approved.applicant.member_id, 'approval creates the member record');
    assert.equal(approved.applicant.admitted_on, '2025-04-20');
    applicant.memberId = approved.applicant.member_id;
    await page.waitForFunction(() => document.querySelector('[data-test=applicant-stage]')?.textContent.trim() === '预备党员');

    // The board shows the case under 预备党员.
    await openMenu('development', null, '/applicants');
    await page.fill('[data-test=dev-filter-q]', name);
    await clickAndWait('[data-test=dev-search]', '/applicants');
    const card = page.locator(`[data-test=dev-col-probationary] [data-test=dev-card-${applicant.id}]`);
    await card.waitFor();
    assert.equal(await page.locator(`[data-test=dev-col-candidate] [data-test=dev-card-${applicant.id}]`).count(), 0);

    // …and the member record exists: 预备党员 in the branch since the step-15 meeting.
    await waitForApi(() => card.click(), `/applicants/${applicant.id}`);
    const memberRes = await clickAndWait('[data-test=applicant-member]', `/members/${applicant.memberId}`);
    const member = await memberRes.json();
    assert.equal(memberRes.status(), 200);
    assert.equal(member.name, name);
    assert.equal(member.org_id, branch.id);
    assert.equal(member.status, 'probationary');
    assert.equal(member.joined_on, '2025-04-20');
    await page.waitForURL(new RegExp(`#/members/${applicant.memberId}$`));
    await page.waitForFunction((n) => document.querySelector('[data-test=detail-name]')?.textContent.trim() === n, name);
    await page.locator('[data-test=member-state]').waitFor();
    assert.equal((await page.textContent('[data-test=member-state]')).trim(), '正常', 'the new member is 正常');
  });
});

test('an outbound transfer approved by the sending side prints its introduction letter as a PDF', { timeout: 180000 }, async () => {
  await withScreenshot('transfer-letter', async () => {
    assert.ok(branch, 'a branch was chosen');
    const who = full[full.length - 1];

    const res = await openMenu('transfers', 'relations', '/transfers');
    assert.equal(res.status(), 200);
    await page.click('[data-test=transfer-add]');
    await page.waitForSelector('[data-test=transfer-dialog]');
    await page.click('[data-test=transfer-member]');
    await page.keyboard.type(who.name);
    const opt = page.locator(`.el-select-dropdown [data-test=pick-member-${who.id}]:visible`);
    await opt.waitFor();
    await opt.click();
    await page.click('[data-test=transfer-kind-outbound]');
    await page.fill('[data-test=transfer-to-text]', '中共示例市示例区委组织部');
    await page.fill('[data-test=transfer-reason]', '工作调动');
    await fillDate('[data-test=field-requested_on]', TODAY, '[data-test=transfer-dialog]');
    const started = await clickAndWait('[data-test=transfer-save]', '/transfers', 'POST');
    const t = await started.json();
    assert.equal(started.status(), 201, JSON.stringify(t));
    assert.equal(t.kind, 'outbound');
    assert.equal(t.state, 'requested');
    assert.equal(t.member_id, who.id);

    // 转出方同意 issues the letter.
    const approveBtn = page.locator(`[data-test=transfer-approve-${t.id}]`);
    await approveBtn.waitFor();
    await approveBtn.click();
    await page.waitForSelector('[data-test=approve-dialog]');
    await fillDate('[data-test=approve-dialog]', TODAY, '[data-test=approve-dialog]');
    const approved = await clickAndWait('[data-test=approve-confirm]', `/transfers/${t.id}/approve`, 'POST');
    const issued = await approved.json();
    assert.equal(approved.status(), 200, JSON.stringify(issued));
    assert.equal(issued.state, 'letter_issued');
    assert.match(issued.letter_no, /^\d{4}-\d{6}$/);
    assert.equal(issued.letter_on, TODAY);
    await page.waitForFunction((id) => document.querySelector(`[data-test=transfer-state-${id}]`)?.textContent.trim() === '已开具介绍信', t.id);

    // 打印介绍信 opens the PDF in a new tab (headless Chromium may save it rather than show it, so
    // the answer is fetched again with the same session to look at it).
    const [popup, letter] = await Promise.all([
      h.context.waitForEvent('page'),
      h.context.waitForEvent('request', (r) => r.url().includes('/letter.pdf')),
      page.click(`[data-test=transfer-letter-${t.id}]`),
    ]);
    const url = letter.url();
    assert.ok(url.endsWith(`/api/v1/transfers/${t.id}/letter.pdf`), url);
    const pdf = await h.context.request.get(url);
    assert.equal(pdf.status(), 200);
    assert.match(pdf.headers()['content-type'], /^application\/pdf/);
    const bytes = await pdf.body();
    assert.equal(bytes.subarray(0, 4).toString('latin1'), '%PDF', 'the body is a PDF');
    await popup.close();
  });
});
