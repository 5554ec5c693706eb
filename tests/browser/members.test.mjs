// Browser test of the web console: a real dangjian server on a demo database, driven through
// Debian's /usr/bin/chromium by playwright-core (no browser download).
//
//   cd tests/browser && npm ci && cd ../.. && node tests/browser/members.test.mjs
//
// Needs build/dangjian (or DANGJIAN_BIN) and web/dist (or DANGJIAN_WEB_ROOT; build it with
// `cd web && npm ci && npm run build`). On failure a screenshot is saved in a temp directory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const BIN = process.env.DANGJIAN_BIN || path.join(repo, 'build', 'dangjian');
const WEB_ROOT = process.env.DANGJIAN_WEB_ROOT || path.join(repo, 'web', 'dist');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const USERNAME = 'admin';
const PASSWORD = 'Demo@2026';
const env = { ...process.env, DJ_PBKDF2_ITERATIONS: '1000' };

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-browser-'));
const shotDir = path.join(tmp, 'screenshots');
let server = null;
let serverLog = '';
let baseUrl = '';
let context = null;
let page = null;

function startServer(db) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web-root', WEB_ROOT], {
      cwd: tmp,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => reject(new Error('server did not report its address within 30 s:\n' + serverLog)), 30000);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      serverLog += d;
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.stderr.on('data', (d) => {
      serverLog += d;
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${serverLog}`));
    });
  });
}

function stopServer() {
  if (!server || server.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      server.kill('SIGKILL');
      resolve();
    }, 5000);
    server.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    server.kill('SIGTERM');
  });
}

/** Runs a test body; on failure saves a screenshot and the server log, then rethrows. */
async function withScreenshot(name, fn) {
  try {
    await fn();
  } catch (e) {
    fs.mkdirSync(shotDir, { recursive: true });
    const file = path.join(shotDir, name.replace(/[^\w-]+/g, '_') + '.png');
    try {
      if (page) await page.screenshot({ path: file, fullPage: true });
      console.error(`# screenshot of the failure: ${file}`);
    } catch (se) {
      console.error('# screenshot failed: ' + se.message);
    }
    fs.writeFileSync(path.join(shotDir, 'server.log'), serverLog);
    throw e;
  }
}

/** Clicks and waits for the API answer of `pathPart` (a GET unless told). */
async function clickAndWait(selector, pathPart, method = 'GET') {
  const [res] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/v1' + pathPart) && r.request().method() === method),
    page.click(selector),
  ]);
  return res;
}

async function login() {
  await page.goto(baseUrl + '/');
  await page.waitForSelector('[data-test=login-username]');
  await page.fill('[data-test=login-username]', USERNAME);
  await page.fill('[data-test=login-password]', PASSWORD);
  await page.click('[data-test=login-submit]');
  await page.waitForSelector('[data-test=side-menu]');
  assert.equal((await page.textContent('[data-test=user-name]')).trim().length > 0, true);
}

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
  assert.ok(fs.existsSync(BIN), `server binary missing: ${BIN} (build it first)`);
  assert.ok(fs.existsSync(path.join(WEB_ROOT, 'index.html')), `web build missing: ${WEB_ROOT} (cd web && npm ci && npm run build)`);
  assert.ok(fs.existsSync(CHROMIUM), `chromium missing: ${CHROMIUM} (apt-get install -y --no-install-recommends chromium)`);

  const db = path.join(tmp, 'demo.db');
  await run(BIN, ['demo', '--db', db], { cwd: tmp, env, timeout: 120000 });
  const s = await startServer(db);
  server = s.child;
  baseUrl = s.url;

  context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
  });
  page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(15000);
  page.on('pageerror', (e) => console.error('# page error: ' + e.message));
  await login();
});

after(async () => {
  if (context) await context.close().catch(() => {});
  await stopServer();
  // Keep the temp directory when a screenshot was taken, so it can be looked at.
  if (!fs.existsSync(shotDir)) fs.rmSync(tmp, { recursive: true, force: true });
});

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
