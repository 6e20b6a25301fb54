// What every browser scenario of the console uses: the pinned puppeteer-core driving the
// system Chromium (never a downloaded one), sign-in through the page, axe-core checks,
// screenshots at 1280x800 into the evidence folder, and plain assertions.
// Environment (set by tests/e2e/console/browser_test.cpp):
//   ONBOARD_NODE_MODULES           var/node/node_modules (puppeteer-core, axe-core)
//   ONBOARD_BROWSER_BASE_URL       http://127.0.0.1:<port> of onboard-api
//   ONBOARD_BROWSER_EVIDENCE_DIR   where screenshots and figures go
//   ONBOARD_CHROMIUM               the browser (default /usr/bin/chromium)
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const modules = process.env.ONBOARD_NODE_MODULES;
if (!modules) throw new Error('ONBOARD_NODE_MODULES is not set');
const require = createRequire(path.join(modules, 'noop.js'));
const puppeteer = require('puppeteer-core');
export const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const BASE = process.env.ONBOARD_BROWSER_BASE_URL;
export const EVIDENCE = process.env.ONBOARD_BROWSER_EVIDENCE_DIR || fs.mkdtempSync(path.join(os.tmpdir(), 'console-evidence-'));
const CHROMIUM = process.env.ONBOARD_CHROMIUM || '/usr/bin/chromium';

export class Failure extends Error {}
export function check(cond, message) {
  if (!cond) throw new Failure(message);
}
export function equal(actual, expected, message) {
  if (actual !== expected) throw new Failure(`${message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

export async function launch() {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Failure(`${CHROMIUM} is missing: install the Debian package chromium (ops/install-deps)`);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'console-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    userDataDir: profile,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--lang=nb-NO'],
  });
  const close = browser.close.bind(browser);
  browser.close = async () => {
    await close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return browser;
}

/// A page at 1280x800 that fails the scenario on any page error, CSP violation or
/// console error (a console error the scenario expects can be allowed by substring).
export async function newPage(browser, { width = 1280, height = 800, allow = [] } = {}) {
  const page = await browser.newPage();
  await page.setViewport({ width, height });
  page.problems = [];
  page.allowed = allow;
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    // A refused API call shows in the console as a failed resource; the page itself
    // shows and handles it.
    if (/Failed to load resource: the server responded with a status of (4\d\d)/.test(text)) return;
    if (page.allowed.some((a) => text.includes(a))) return;
    page.problems.push(`console error: ${text}`);
  });
  page.on('dialog', async (d) => {
    page.problems.push(`dialog opened: ${d.message()}`);
    await d.dismiss();
  });
  return page;
}

export function noProblems(page) {
  check(page.problems.length === 0, `the page reported problems:\n${page.problems.join('\n')}`);
}

export async function signIn(page, token) {
  await page.goto(`${BASE}/console/`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#token');
  await page.type('#token', token);
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/v1/sessions') && r.request().method() === 'POST'),
    page.keyboard.press('Enter'),
  ]);
  await page.waitForSelector('header.top', { timeout: 10000 });
}

export async function cookieOf(page) {
  const cookies = await page.cookies(BASE);
  const c = cookies.find((x) => x.name.endsWith('onboard_session'));
  check(c, `no session cookie in the browser: ${cookies.map((x) => x.name).join(', ')}`);
  return c;
}

/// Runs axe-core on the page; fails on serious or critical violations.
export async function axe(page, name) {
  // The page's CSP forbids inline script: axe is added over the DevTools protocol instead.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  fs.writeFileSync(path.join(EVIDENCE, `axe-${name}.json`), JSON.stringify(result, null, 2));
  check(bad.length === 0, `axe-core on ${name}: ${bad.length} serious/critical violations:\n${JSON.stringify(bad, null, 2)}`);
  console.log(`axe ${name}: ${result.length} violations, none serious or critical`);
}

export async function screenshot(page, name) {
  fs.mkdirSync(EVIDENCE, { recursive: true });
  const file = path.join(EVIDENCE, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(`screenshot ${file}`);
}

/// An API call from node (not the browser), as the portal or automation make them.
export async function api(method, p, { token, body, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (token) h.Authorization = `Bearer ${token}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const res = await fetch(`${BASE}${p}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, text, headers: res.headers };
}

// Empties a field as typing over it would: the value, then an input event, so that a
// controlled input's state is empty too and a re-render in between (a fetch that
// resolves) cannot bring the old value back before the next keystroke.
export async function clear(page, selector) {
  await page.$eval(selector, (e) => {
    e.value = '';
    e.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export async function textOf(page, selector) {
  return page.$eval(selector, (e) => e.textContent.trim());
}
