// Browser test of the party dues (党费) pages: the ledger with a payment recorded through the
// 登记缴费 dialog, and the calculator. Harness: lib.mjs (real server on a demo database, headless
// Chromium through playwright-core).
//
//   cd tests/browser && npm ci && cd ../.. && node tests/browser/dues.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { h, setup, teardown, login, withScreenshot, waitForApi, clickAndWait } from './lib.mjs';

let page = null;

const thisMonth = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
};

/** Opens a page of the 党费管理 sub-menu (opening the sub-menu first when it is closed). */
async function openDuesMenu(item, apiPath) {
  const entry = page.locator(`[data-test=menu-${item}]`);
  if (!(await entry.isVisible())) await page.click('[data-test=menu-dues] > .el-sub-menu__title');
  await entry.waitFor();
  if (apiPath) return waitForApi(() => entry.click(), apiPath);
  await entry.click();
  return null;
}

async function statNumber(key) {
  const t = await page.textContent(`[data-test=sum-${key}] [data-test=stat-value]`);
  return Number(t.replace(/[^\d.]/g, ''));
}

before(async () => {
  await setup();
  page = h.page;
  await login('admin');
});

after(teardown);

test('record a payment for the first unpaid member in this month\'s ledger', { timeout: 120000 }, async () => {
  await withScreenshot('dues-ledger-payment', async () => {
    const res = await openDuesMenu('dues-ledger', '/dues/ledger?');
    assert.equal(res.status(), 200);
    const ledger = await res.json();
    assert.equal(ledger.month, thisMonth(), 'the ledger opens on the current month');
    assert.equal(ledger.month_status, 'open', "the demo's current month is open");
    await page.waitForSelector('[data-test=ledger-table] .el-table__row');
    assert.equal((await page.textContent('[data-test=month-status]')).trim(), '收缴中');
    const paidBefore = await statNumber('paid-count');
    assert.equal(paidBefore, ledger.summary.paid_count, 'the card shows the paid count');

    const unpaidRes = await clickAndWait('[data-test=ledger-filter-unpaid]', '/dues/ledger?');
    assert.ok(unpaidRes.url().includes('filter=unpaid'), 'the filter is sent');
    const unpaid = await unpaidRes.json();
    assert.ok(unpaid.items.length > 0, 'someone has not paid yet');
    const first = unpaid.items[0];
    await page.waitForFunction(
      (id) => document.querySelector('[data-test=ledger-table] [data-test=ledger-name]')?.getAttribute('data-member-id') === String(id),
      first.member_id,
    );
    const statuses = await page.locator('[data-test=ledger-status]').allTextContents();
    for (const s of statuses) assert.equal(s.trim(), '未缴', 'only unpaid rows are listed');

    await page.locator('[data-test=ledger-pay]').first().click();
    await page.waitForSelector('[data-test=pay-dialog]', { state: 'visible' });
    assert.equal((await page.textContent('[data-test=pay-member-name]')).trim(), first.name);
    const amount = await page.inputValue('[data-test=pay-amount] input');
    assert.equal(amount, (first.amount_fen / 100).toFixed(2), 'the amount defaults to the standard, in yuan');

    const [payRes, reload] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/dues/payments') && r.request().method() === 'POST'),
      page.waitForResponse((r) => r.url().includes('/api/v1/dues/ledger?') && r.request().method() === 'GET'),
      page.click('[data-test=pay-save]'),
    ]);
    assert.equal(payRes.status(), 201, 'POST /dues/payments succeeds');
    const body = JSON.parse(payRes.request().postData());
    assert.equal(body.member_id, first.member_id);
    assert.equal(body.month, thisMonth());
    assert.equal(body.amount_fen, first.amount_fen, 'the default amount is sent in fen');
    assert.equal(body.method, 'cash');
    assert.equal(reload.status(), 200);
    await page.waitForSelector('[data-test=pay-dialog]', { state: 'hidden' });
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-test=sum-paid-count] [data-test=stat-value]')?.textContent.replace(/[^\d]/g, '')) === n,
      paidBefore + 1,
    );

    // The member's row in the whole ledger now reads 已缴.
    await clickAndWait('[data-test=ledger-filter-all]', '/dues/ledger?');
    const row = page.locator('[data-test=ledger-table] .el-table__row', { has: page.locator(`[data-member-id="${first.member_id}"]`) });
    for (let i = 0; i < 20 && !(await row.count()); i++) {
      await clickAndWait('[data-test=ledger-pager] .btn-next', '/dues/ledger?');
    }
    await row.first().waitFor();
    assert.equal((await row.first().locator('[data-test=ledger-status]').textContent()).trim(), '已缴');
  });
});

test('the calculator: 在职 with a base of 3000 yuan pays 15.00 a month', { timeout: 60000 }, async () => {
  await withScreenshot('dues-calculator', async () => {
    await openDuesMenu('dues-calculator');
    await page.waitForSelector('[data-test=calc-base]');
    await page.waitForFunction(() => document.querySelector('[data-test=calc-category]')?.textContent.trim() === '在职');
    await page.fill('[data-test=calc-base] input', '3000');
    const res = await clickAndWait('[data-test=calc-run]', '/dues/calculate?');
    assert.equal(res.status(), 200);
    assert.ok(res.url().includes('base_fen=300000'), 'the base is sent in fen');
    await page.waitForFunction(() => document.querySelector('[data-test=calc-amount]')?.textContent.includes('15.00'));
    assert.equal((await page.textContent('[data-test=calc-amount]')).trim(), '¥15.00');
    assert.ok((await page.textContent('[data-test=calc-rate]')).includes('5‰'));
  });
});
