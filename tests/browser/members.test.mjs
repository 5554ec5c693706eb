// Browser test of the web console: a real dangjian server on a demo database, driven through
// Debian's /usr/bin/chromium by playwright-core (no browser download). Harness: lib.mjs.
//
//   cd tests/browser && npm ci && cd ../.. && node tests/browser/members.test.mjs
//
// Needs build/dangjian (or DANGJIAN_BIN) and web/dist (or DANGJIAN_WEB_ROOT; build it with
// `cd web && npm ci && npm run build`). On failure a screenshot is saved in a temp directory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { h, setup, teardown, login, withScreenshot, clickAndWait } from './lib.mjs';

let page = null;

/** Opens 党员管理, searches for a member by name and opens their page; returns the name. */
async function openSomeMember() {
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1/members?') && r.status() === 200),
    page.click('[data-test=menu-members]'),
  ]);
  const first = page.locator('[data-test=member-row-name]').first();
  await first.waitFor();
  const name = (await first.textContent()).trim();
  assert.ok(name.length > 0, 'the member list shows names');

  await page.fill('[data-test=filter-q]', name);
  const res = await clickAndWait('[data-test=member-search]', '/members?');
  assert.equal(res.status(), 200);
  assert.ok(decodeURIComponent(res.url()).includes('q=' + name), 'the search sends the name');
  // The reply is in; the table re-renders on the next tick (under load, a CI run read the old rows).
  await page
    .waitForFunction(
      (n) => {
        const rows = [...document.querySelectorAll('[data-test=member-row-name]')];
        return rows.length > 0 && rows.every((r) => r.textContent.includes(n));
      },
      name,
      { timeout: 10000 },
    )
    .catch(() => {}); // the assertions below report what the table shows
  const names = await page.locator('[data-test=member-row-name]').allTextContents();
  assert.ok(names.length > 0, 'the search finds the member');
  for (const n of names) assert.ok(n.includes(name), `row "${n}" matches "${name}"`);

  const row = page.locator('[data-test=member-row-name]', { hasText: name }).first();
  await row.click();
  await page.waitForSelector('[data-test=member-details]');
  assert.equal((await page.textContent('[data-test=detail-name]')).trim(), name);
  return name;
}

before(async () => {
  await setup();
  page = h.page;
  await login();
});

after(teardown);

test('edit a member\'s work unit; the new value is shown after a reload', { timeout: 120000 }, async () => {
  await withScreenshot('edit-work-unit', async () => {
    await openSomeMember();
    const url = page.url();
    const newUnit = '浏览器测试单位' + Date.now().toString(36).toUpperCase();

    await page.click('[data-test=member-edit]');
    await page.waitForSelector('[data-test=member-work-unit]');
    await page.fill('[data-test=member-work-unit]', newUnit);
    const res = await clickAndWait('[data-test=member-save]', '/members/', 'PATCH');
    assert.equal(res.status(), 200, 'PATCH /members/{id} succeeds');
    assert.deepEqual(JSON.parse(res.request().postData()), { work_unit: newUnit }, 'only the changed field is sent');
    await page.waitForSelector('[data-test=member-dialog]', { state: 'hidden' });
    await page.waitForFunction(
      (v) => document.querySelector('[data-test=detail-work-unit]')?.textContent.trim() === v,
      newUnit,
    );

    await page.reload();
    await page.waitForSelector('[data-test=member-details]');
    assert.equal(page.url(), url, 'the reload stays on the member page (session kept)');
    await page.waitForFunction(
      (v) => document.querySelector('[data-test=detail-work-unit]')?.textContent.trim() === v,
      newUnit,
    );
  });
});

test('a bad phone number shows the server\'s message under the field', { timeout: 120000 }, async () => {
  await withScreenshot('bad-phone', async () => {
    await openSomeMember();
    const phoneBefore = (await page.textContent('[data-test=detail-phone]')).trim();

    await page.click('[data-test=member-edit]');
    await page.waitForSelector('[data-test=member-phone]');
    await page.fill('[data-test=member-phone]', '12345');
    const res = await clickAndWait('[data-test=member-save]', '/members/', 'PATCH');
    assert.equal(res.status(), 422, 'the server rejects the phone number');
    const body = await res.json();
    assert.equal(body.error.code, 'validation_failed');
    assert.ok(body.error.fields && body.error.fields.phone, 'the reply names the phone field');

    const inline = page.locator('[data-test=field-phone] .el-form-item__error');
    await inline.waitFor();
    assert.equal((await inline.textContent()).trim(), body.error.fields.phone, 'the field shows the server message');
    assert.ok(await page.isVisible('[data-test=member-form-error]'), 'the summary message is shown');
    assert.ok(await page.isVisible('[data-test=member-dialog]'), 'the dialog stays open');

    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-test=member-dialog]', { state: 'hidden' });
    await page.reload();
    await page.waitForSelector('[data-test=member-details]');
    assert.equal((await page.textContent('[data-test=detail-phone]')).trim(), phoneBefore, 'nothing was changed');
  });
});
