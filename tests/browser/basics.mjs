// Sign-in, sign-out, CSRF, language, the first-load budget and the headers of the page.
import { api, axe, BASE, check, clear, cookieOf, equal, newPage, noProblems, screenshot, signIn, textOf } from './lib.mjs';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

async function signInOut(browser) {
  const page = await newPage(browser);
  const first = await page.goto(`${BASE}/console/`, { waitUntil: 'networkidle0' });
  equal(first.headers()['content-security-policy'], "default-src 'self'; frame-ancestors 'none'", 'CSP of the page');
  equal(first.headers()['x-content-type-options'], 'nosniff', 'X-Content-Type-Options of the page');
  await page.waitForSelector('#token');
  check(page.url().endsWith('/console/signin'), `not sent to the sign-in page: ${page.url()}`);
  await axe(page, 'signin');
  await screenshot(page, 'signin');

  // A wrong token is refused on the page, with the reason.
  await page.type('#token', 'onb_not-a-token');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.error');
  check((await textOf(page, '.error')).length > 0, 'no error shown for a wrong token');
  await clear(page, '#token');

  await signIn(page, env('ONBOARD_BROWSER_OPERATOR_TOKEN'));
  await page.waitForSelector('h1');
  const who = await textOf(page, 'header.top .who');
  check(who.includes('e2e-operator'), `the header does not name the operator: ${who}`);

  // Bokmål and English, switchable, remembered across a reload.
  const lang0 = await page.$eval('html', (e) => e.lang);
  check(lang0 === 'nb' || lang0 === 'en', `html lang: ${lang0}`);
  const other = lang0 === 'nb' ? 'en' : 'nb';
  const title0 = await textOf(page, 'h1');
  await page.click('button.lang');
  const title1 = await textOf(page, 'h1');
  check(title0 !== title1, `switching the language changed nothing: ${title0}`);
  equal(await page.$eval('html', (e) => e.lang), other, 'html lang after the switch');
  await page.reload({ waitUntil: 'networkidle0' });
  await page.waitForSelector('h1');
  equal(await textOf(page, 'h1'), title1, 'the language after a reload');
  await page.click('button.lang');
  equal(await page.$eval('html', (e) => e.lang), lang0, 'html lang switched back');
  console.log(`language: "${title0}" (${lang0}) <-> "${title1}" (${other})`);

  // Sign-out ends the session server-side: the old cookie gets 401.
  const cookie = await cookieOf(page);
  check(cookie.httpOnly && cookie.sameSite === 'Strict', `cookie attributes: ${JSON.stringify(cookie)}`);
  const before = await api('GET', '/v1/sessions/current', { headers: { Cookie: `${cookie.name}=${cookie.value}` } });
  equal(before.status, 200, 'the cookie before sign-out');
  await page.click('button.signout');
  await page.waitForSelector('#token');
  const after = await api('GET', '/v1/sessions/current', { headers: { Cookie: `${cookie.name}=${cookie.value}` } });
  equal(after.status, 401, 'the old cookie after sign-out');
  const list = await api('GET', '/v1/organisations', { headers: { Cookie: `${cookie.name}=${cookie.value}` } });
  equal(list.status, 401, 'an API call with the old cookie after sign-out');
  noProblems(page);
  console.log('sign-out: the old cookie gets 401');
}

async function csrf(browser) {
  const page = await newPage(browser);
  await signIn(page, env('ONBOARD_BROWSER_OPERATOR_TOKEN'));
  // From the page itself (same origin, the cookie goes along): without the header 403,
  // with the session's CSRF token the same request works.
  const result = await page.evaluate(async () => {
    const body = JSON.stringify({ role: 'auditor', name: 'csrf-probe' });
    const bare = await fetch('/v1/tokens', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    const problem = await bare.json();
    const me = await (await fetch('/v1/sessions/current')).json();
    const ok = await fetch('/v1/tokens', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token }, body });
    const wrong = await fetch('/v1/tokens', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': 'x'.repeat(43) }, body });
    return { bare: bare.status, code: problem.code, ok: ok.status, wrong: wrong.status };
  });
  equal(result.bare, 403, 'an unsafe request without X-CSRF-Token');
  check(/csrf/.test(result.code || ''), `problem code of the CSRF refusal: ${result.code}`);
  equal(result.wrong, 403, 'an unsafe request with a wrong X-CSRF-Token');
  equal(result.ok, 201, 'the same request with the CSRF token');
  console.log(`CSRF: without header ${result.bare} (${result.code}), wrong token ${result.wrong}, right token ${result.ok}`);
  noProblems(page);
}

// First load (sign-in page, cold cache): the JS and CSS as transferred (compressed).
async function budget(browser) {
  const page = await newPage(browser);
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const types = new Map();
  const sizes = [];
  cdp.on('Network.responseReceived', (e) => types.set(e.requestId, { url: e.response.url, type: e.type, encoding: e.response.headers['content-encoding'] || e.response.headers['Content-Encoding'] || '' }));
  cdp.on('Network.loadingFinished', (e) => {
    const r = types.get(e.requestId);
    if (r && (r.type === 'Script' || r.type === 'Stylesheet')) sizes.push({ ...r, bytes: e.encodedDataLength });
  });
  await page.goto(`${BASE}/console/`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#token');
  const total = sizes.reduce((n, s) => n + s.bytes, 0);
  for (const s of sizes) console.log(`first load: ${s.type} ${s.url.replace(BASE, '')} ${s.bytes} bytes transferred (${s.encoding || 'identity'})`);
  console.log(`first load: ${total} bytes of JS and CSS transferred (budget 204800)`);
  check(sizes.some((s) => s.type === 'Script') && sizes.some((s) => s.type === 'Stylesheet'), `no JS or no CSS loaded: ${JSON.stringify(sizes)}`);
  check(sizes.every((s) => s.encoding === 'gzip'), `not sent compressed: ${JSON.stringify(sizes)}`);
  check(total <= 200 * 1024, `first load is ${total} bytes of compressed JS and CSS, over 200 KB`);
  noProblems(page);
}

// 390 px wide (a phone): the sign-in works and nothing scrolls sideways.
async function narrow(browser) {
  const page = await newPage(browser, { width: 390, height: 844 });
  await signIn(page, env('ONBOARD_BROWSER_OPERATOR_TOKEN'));
  await page.waitForSelector('h1');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `the page is ${overflow} px wider than 390 px`);
  await screenshot(page, 'queue-390px');
  noProblems(page);
}

export const scenarios = { 'sign-in-out': signInOut, csrf, budget, narrow };
