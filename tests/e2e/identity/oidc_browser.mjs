// Operators' single sign-on in a real browser (issue #17): Debian's Chromium driven by the
// pinned puppeteer-core (never a downloaded browser) signs in at onboard-api through npm
// oidc-provider's own login and consent pages, then acts as that person with the session
// cookie and CSRF token the browser holds. Four eyes compares persons: Anna enters a
// production order, Anna in a second browser (a second session) may not approve it, Ola
// approves it. Ola signs out: the browser follows the provider's end_session_url (RP-initiated
// logout), after which a sign-in meets the provider's login form again.
// With `--sso-only` (session.sign_in_methods=oidc): the console's sign-in page shows only
// the "Sign in with" button (no personal-token form), and signing in through it works.
// Usage: node oidc_browser.mjs BASE_URL CASE_ID ORDER_JSON
//        node oidc_browser.mjs BASE_URL --sso-only
//   ONBOARD_NODE_MODULES  var/node/node_modules (puppeteer-core)
//   ONBOARD_CHROMIUM      the browser (default /usr/bin/chromium)
// Prints one JSON line with what each step saw; exits 1 with the reason when a step fails.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const require = createRequire(path.join(process.env.ONBOARD_NODE_MODULES, 'noop.js'));
const puppeteer = require('puppeteer-core');
const [base, caseId, orderJson] = process.argv.slice(2);
const chromium = process.env.ONBOARD_CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(chromium)) throw new Error(`${chromium} is missing (ops/install-deps installs chromium)`);

function check(cond, message) {
  if (!cond) throw new Error(message);
}

// Signs in as `login` in a browser context of its own; returns the page, left on onboard.
// viaConsole: open /console/ and click its "Sign in with Test IdP" button (else go straight
// to the API's start URL).
async function signIn(browser, login, viaConsole = false) {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  if (viaConsole) {
    await page.goto(`${base}/console/`, { waitUntil: 'load' });
    const button = await page.waitForSelector('main.signin a.sso', { timeout: 15000 });
    const text = await button.evaluate((a) => a.textContent);
    check(/Test IdP/.test(text), `the console's sign-in button reads ${JSON.stringify(text)}`);
    consoleButton = text;
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  } else {
    await page.goto(`${base}/v1/sessions/oidc/start?return_to=/console/`, { waitUntil: 'load' });
  }
  const provider = new URL(page.url()).origin;
  check(provider !== new URL(base).origin, `the browser was not sent to the provider: ${page.url()}`);
  await page.waitForSelector('input[name=login]');
  await page.type('input[name=login]', login);
  await page.type('input[name=password]', 'any-password');
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('button[type=submit]')]);
  if (page.url().startsWith(provider)) {
    // The consent page: its one button continues.
    await page.waitForSelector('button[type=submit]');
    await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('button[type=submit]')]);
  }
  check(page.url() === `${base}/console/`, `after sign-in the browser is at ${page.url()}`);
  const cookies = await context.cookies(base);
  check(cookies.some((c) => c.name.endsWith('onboard_session') && c.httpOnly), 'no HttpOnly session cookie');
  return page;
}

// A same-origin request from the page with the browser's cookie and the session's CSRF token.
async function call(page, method, p, body) {
  return page.evaluate(async (method, p, body) => {
    const me = await (await fetch('/v1/sessions/current')).json();
    const headers = { Accept: 'application/json', 'X-CSRF-Token': me.csrf_token || '' };
    if (body !== null) headers['Content-Type'] = 'application/json';
    const res = await fetch(p, { method, headers, body: body === null ? undefined : body });
    return { status: res.status, json: await res.json().catch(() => null), me };
  }, method, p, body === undefined ? null : body);
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'oidc-chromium-'));
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  userDataDir: profile,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
});
let status = 0;
let consoleButton = '';
const evidence = process.env.ONBOARD_BROWSER_EVIDENCE_DIR || path.join(os.tmpdir(), 'oidc-browser-evidence');

// Single sign-on only: the sign-in page has the button and nothing to paste a token into;
// the button signs Ola in.
async function ssoOnly() {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.goto(`${base}/console/`, { waitUntil: 'load' });
  await page.waitForSelector('main.signin a.sso', { timeout: 15000 });
  // The methods answer has been applied once the button shows; the form must not follow.
  await new Promise((r) => setTimeout(r, 300));
  const form = await page.evaluate(() => ({
    token_inputs: document.querySelectorAll('#token, main.signin input').length,
    forms: document.querySelectorAll('main.signin form').length,
    submit_buttons: document.querySelectorAll('main.signin button[type=submit]').length,
    text: document.querySelector('main.signin').textContent,
  }));
  check(form.token_inputs === 0 && form.forms === 0 && form.submit_buttons === 0,
    `the SSO-only sign-in page has a token form: ${JSON.stringify(form)}`);
  check(!/token/i.test(form.text), `the SSO-only sign-in page mentions a token: ${form.text}`);
  fs.mkdirSync(evidence, { recursive: true });
  await page.screenshot({ path: path.join(evidence, 'sso-only-sign-in.png') });
  consoleButton = await page.$eval('main.signin a.sso', (a) => a.textContent);
  await context.close();
  const ola = await signIn(browser, 'ola', true);
  await ola.waitForSelector('header.top button.signout', { timeout: 15000 });
  const me = await call(ola, 'GET', '/v1/sessions/current');
  check(me.status === 200, `the session after SSO: HTTP ${me.status}`);
  return { form, console_button: consoleButton, actor: me.json.actor, role: me.json.role, method: me.json.method || null };
}

async function fourEyes() {
  const started = Date.now();
  const anna = await signIn(browser, 'anna');
  const signInMs = Date.now() - started;
  const ordered = await call(anna, 'POST', `/v1/onboardings/${caseId}/production-orders`, orderJson);
  check(ordered.status === 201, `Anna's order: HTTP ${ordered.status} ${JSON.stringify(ordered.json)}`);
  const approve = `/v1/production-orders/${ordered.json.id}/approve`;
  const annaAgain = await signIn(browser, 'anna');
  const refused = await call(annaAgain, 'POST', approve);
  check(refused.me.id !== ordered.me.id, 'the second browser has the same session');
  check(refused.status === 403 && refused.json.code === 'four_eyes',
    `Anna approving in another session: HTTP ${refused.status} ${JSON.stringify(refused.json)}`);
  const ola = await signIn(browser, 'ola', true);
  await ola.waitForSelector('header.top button.signout', { timeout: 15000 });
  const approved = await call(ola, 'POST', approve);
  check(approved.status === 200, `Ola's approval: HTTP ${approved.status} ${JSON.stringify(approved.json)}`);
  // Sign-out from the console's button: the console deletes the session and, with the
  // end_session_url the API answers, sends the browser to the provider (RP-initiated logout)
  // where Ola confirms; a new sign-in in the same browser then meets the login form again.
  const [deleted] = await Promise.all([
    ola.waitForResponse((r) => r.url() === `${base}/v1/sessions/current` && r.request().method() === 'DELETE'),
    ola.waitForNavigation({ waitUntil: 'load' }),
    ola.click('header.top button.signout'),
  ]);
  // The answer's body is gone once the page has navigated away; the URL the console sent the
  // browser to is the end_session_url it read from that answer.
  const out = { status: deleted.status(), json: { end_session_url: ola.url() } };
  check(out.status === 200, `sign-out: HTTP ${out.status}`);
  check(new URL(ola.url()).origin !== new URL(base).origin && new URL(ola.url()).pathname === '/session/end',
    `after the console's sign-out the browser is at ${ola.url()}, not the provider's logout`);
  await ola.waitForSelector('button[value=yes]');
  await Promise.all([ola.waitForNavigation({ waitUntil: 'load' }), ola.click('button[value=yes]')]);
  await ola.goto(`${base}/v1/sessions/oidc/start?return_to=/console/`, { waitUntil: 'load' });
  const loginAgain = (await ola.$('input[name=login]')) !== null;
  check(loginAgain, `after the provider's logout the sign-in did not ask for a login: ${ola.url()}`);
  return {
    sign_in_ms: signInMs,
    anna: { actor: ordered.me.actor, display_name: ordered.me.display_name, role: ordered.me.role },
    entered_by: ordered.json.entered && ordered.json.entered.by,
    refused: refused.json.code,
    decided_by: approved.json.decided_by,
    signed_out: out.status,
    end_session_url: out.json && out.json.end_session_url,
    provider_asks_login_again: loginAgain,
    console_button: consoleButton,
  };
}

try {
  console.log(JSON.stringify(caseId === '--sso-only' ? await ssoOnly() : await fourEyes()));
} catch (e) {
  console.error(`oidc browser scenario FAILED: ${e.stack || e}`);
  status = 1;
} finally {
  await browser.close().catch(() => {});
  fs.rmSync(profile, { recursive: true, force: true });
}
process.exit(status);
