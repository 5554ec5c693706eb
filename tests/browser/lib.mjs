// Shared harness of the browser tests: a real dangjian server on a fresh demo database, driven
// through Debian's /usr/bin/chromium by playwright-core (no browser download).
//
// Needs build/dangjian (or DANGJIAN_BIN) and web/dist (or DANGJIAN_WEB_ROOT; build it with
// `cd web && npm ci && npm run build`). On failure withScreenshot() saves a screenshot and the
// server log in a temp directory (kept after the run).
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
export const repo = path.resolve(here, '..', '..');
export const BIN = process.env.DANGJIAN_BIN || path.join(repo, 'build', 'dangjian');
export const WEB_ROOT = process.env.DANGJIAN_WEB_ROOT || path.join(repo, 'web', 'dist');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const PASSWORD = 'Demo@2026';
const env = { ...process.env, DJ_PBKDF2_ITERATIONS: '1000' };

/** The running harness: h.page, h.baseUrl, h.tmp (filled by setup()). */
export const h = { page: null, context: null, baseUrl: '', tmp: '', shotDir: '', server: null, serverLog: '' };

function startServer(db) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--web-root', WEB_ROOT], {
      cwd: h.tmp,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => reject(new Error('server did not report its address within 30 s:\n' + h.serverLog)), 30000);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      h.serverLog += d;
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1] });
      }
    });
    child.stderr.on('data', (d) => {
      h.serverLog += d;
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${h.serverLog}`));
    });
  });
}

function stopServer() {
  const server = h.server;
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

/** Builds the demo database, starts the server and a headless Chromium (call from before()). */
export async function setup() {
  assert.ok(fs.existsSync(BIN), `server binary missing: ${BIN} (build it first)`);
  assert.ok(fs.existsSync(path.join(WEB_ROOT, 'index.html')), `web build missing: ${WEB_ROOT} (cd web && npm ci && npm run build)`);
  assert.ok(fs.existsSync(CHROMIUM), `chromium missing: ${CHROMIUM} (apt-get install -y --no-install-recommends chromium)`);

  h.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dj-browser-'));
  h.shotDir = path.join(h.tmp, 'screenshots');
  const db = path.join(h.tmp, 'demo.db');
  await run(BIN, ['demo', '--db', db], { cwd: h.tmp, env, timeout: 120000 });
  const s = await startServer(db);
  h.server = s.child;
  h.baseUrl = s.url;

  h.context = await chromium.launchPersistentContext(path.join(h.tmp, 'profile'), {
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
  h.page = h.context.pages()[0] || (await h.context.newPage());
  h.page.setDefaultTimeout(15000);
  h.page.on('pageerror', (e) => console.error('# page error: ' + e.message));
  return h;
}

/** Closes the browser and the server (call from after()). */
export async function teardown() {
  if (h.context) await h.context.close().catch(() => {});
  await stopServer();
  // Keep the temp directory when a screenshot was taken, so it can be looked at.
  if (h.tmp && !fs.existsSync(h.shotDir)) fs.rmSync(h.tmp, { recursive: true, force: true });
}

/** Runs a test body; on failure saves a screenshot and the server log, then rethrows. */
export async function withScreenshot(name, fn) {
  try {
    await fn();
  } catch (e) {
    fs.mkdirSync(h.shotDir, { recursive: true });
    const file = path.join(h.shotDir, name.replace(/[^\w-]+/g, '_') + '.png');
    try {
      if (h.page) await h.page.screenshot({ path: file, fullPage: true });
      console.error(`# screenshot of the failure: ${file}`);
    } catch (se) {
      console.error('# screenshot failed: ' + se.message);
    }
    fs.writeFileSync(path.join(h.shotDir, 'server.log'), h.serverLog);
    throw e;
  }
}

/** Waits for the API answer of `pathPart` (a GET unless told) caused by `action()`. */
export async function waitForApi(action, pathPart, method = 'GET') {
  const [res] = await Promise.all([
    h.page.waitForResponse((r) => r.url().includes('/api/v1' + pathPart) && r.request().method() === method),
    action(),
  ]);
  return res;
}

/** Clicks and waits for the API answer of `pathPart` (a GET unless told). */
export function clickAndWait(selector, pathPart, method = 'GET') {
  return waitForApi(() => h.page.click(selector), pathPart, method);
}

/** Logs in through the login page. */
export async function login(username = 'admin', password = PASSWORD) {
  const page = h.page;
  await page.goto(h.baseUrl + '/');
  await page.waitForSelector('[data-test=login-username]');
  await page.fill('[data-test=login-username]', username);
  await page.fill('[data-test=login-password]', password);
  await page.click('[data-test=login-submit]');
  await page.waitForSelector('[data-test=side-menu]');
  assert.equal((await page.textContent('[data-test=user-name]')).trim().length > 0, true);
}
