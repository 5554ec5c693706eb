// Browser test of 党纪处分 on the member page and 转移培养关系 on a development case: the staff record a
// warning through the sanction card and see its effect period; a refused sanction (DISC-05, a
// probationary member) shows the server's reason in the dialog and records nothing;
// an applicant's case moves to another branch through the branch picker. Harness: lib.mjs.
//
//   node tests/browser/sanctions.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { h, setup, teardown, login, withScreenshot, waitForApi } from './lib.mjs';

let page = null;

/** A JSON API call from the page, with the session cookie and CSRF token of the logged-in console. */
async function apiCall(method, path, body) {
  return page.evaluate(
    async ([m, p, b]) => {
      const s = await (await fetch('/api/v1/session')).json();
      const r = await fetch('/api/v1' + p, {
        method: m,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token || '' },
        body: b ? JSON.stringify(b) : undefined,
      });
      return { status: r.status, body: await r.json() };
    },
    [method, path, body],
  );
}

before(async () => {
  await setup();
  page = h.page;
  await login('admin');
});

after(teardown);

test('a warning is recorded on the member page with its effect period, a refusal shows its rule', async () => {
  await withScreenshot('sanction-card', async () => {
    // DISC-05: a probationary member gets no sanction; the dialog shows the server's reason, nothing is recorded
    const probs = await apiCall('GET', '/members?status=probationary&per_page=5');
    const p = probs.body.items[0];
    assert.ok(p, 'a probationary member');
    await page.goto(h.baseUrl + '/#/members/' + p.id);
    await page.waitForSelector('[data-test=member-sanction-card]');
    await page.click('[data-test=sanction-add]');
    await page.waitForSelector('[data-test=sanction-dialog]');
    await page.fill('[data-test=sanction-basis]', '违反工作纪律（测试）');
    const refused = await waitForApi(() => page.click('[data-test=sanction-save]'), `/members/${p.id}/sanctions`, 'POST');
    assert.equal(refused.status(), 422);
    await page.waitForSelector('[data-test=sanction-error]');
    assert.match(await page.textContent('[data-test=sanction-error]'), /DISC-05/);
    assert.deepEqual((await apiCall('GET', `/members/${p.id}/sanctions`)).body.items, []);

    // a warning for a full member goes through and shows its end date (decided today + 12 months)
    const list = await apiCall('GET', '/members?status=full&per_page=20');
    const m = list.body.items.find((x) => x.state === 'active');
    assert.ok(m, 'an active full member');
    await page.goto(h.baseUrl + '/#/members/' + m.id);
    await page.waitForSelector('[data-test=member-sanction-card]');
    assert.match(await page.textContent('[data-test=member-sanction-card]'), /无处分记录/);
    await page.click('[data-test=sanction-add]');
    await page.waitForSelector('[data-test=sanction-dialog]');
    await page.fill('[data-test=sanction-basis]', '违反工作纪律（测试）');
    const saved = await waitForApi(() => page.click('[data-test=sanction-save]'), `/members/${m.id}/sanctions`, 'POST');
    assert.equal(saved.status(), 201);
    const s = await saved.json();
    assert.equal(s.type, 'warning');
    await page.waitForSelector(`[data-test=sanction-end-${s.id}]`);
    assert.equal((await page.textContent(`[data-test=sanction-end-${s.id}]`)).trim(), s.effect_end);
    assert.match(await page.textContent('[data-test=member-sanctions]'), /警告/);
    assert.match(await page.textContent('[data-test=member-sanction-card]'), /影响期内/);
    const again = await apiCall('GET', `/members/${m.id}/sanctions`);
    assert.deepEqual(again.body.items.map((x) => x.type), ['warning']);
  });
});

test('a development case moves to another branch from its page', async () => {
  await withScreenshot('applicant-move', async () => {
    const list = await apiCall('GET', '/applicants?status=open&stage=activist&per_page=50');
    assert.equal(list.status, 200);
    const a = list.body.items.find((x) => !x.approved_on);
    assert.ok(a, 'an open activist case');
    const dest = await apiCall('GET', '/transfers/destinations?q=支部');
    const to = dest.body.items.find((o) => o.id !== a.org_id);
    assert.ok(to, 'another branch');
    await page.goto(h.baseUrl + '/#/development/applicants/' + a.id);
    await page.waitForSelector('[data-test=applicant-move]');
    await page.click('[data-test=applicant-move]');
    await page.waitForSelector('[data-test=move-dialog]');
    await page.click('[data-test=move-org]');
    await page.locator(`[data-test=dest-${to.id}]`).waitFor();
    await page.locator(`[data-test=dest-${to.id}]`).click();
    await page.fill('[data-test=move-reason]', '工作调动（测试）');
    const res = await waitForApi(() => page.click('[data-test=move-save]'), `/applicants/${a.id}/move`, 'POST');
    assert.equal(res.status(), 200, await res.text());
    const moved = await apiCall('GET', '/applicants/' + a.id);
    assert.equal(moved.body.org_id, to.id);
    await page.waitForFunction((name) => document.querySelector('[data-test=applicant-details]')?.textContent.includes(name), to.name);
  });
});
