// Every page once (axe-core and a 1280x800 screenshot each, keyboard use), a stale edit's
// conflict, a hostile client_name rendered as text, the auditor's view, tokens.
import { api, axe, BASE, check, clear, equal, newPage, noProblems, screenshot, signIn, textOf } from './lib.mjs';
import { as, clientBody, env, newOrgno, organisation, submittedOrder, terms } from './seed.mjs';

const XSS = '<img src=x onerror=alert(1)>';

async function go(page, path, selector) {
  await page.goto(`${BASE}/console${path}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector(selector, { timeout: 10000 });
}

async function everyPage(browser) {
  const op = as(env('ONBOARD_BROWSER_OPERATOR_TOKEN'));
  await terms(op);
  const o = await submittedOrder(op, (orgno) => as(env('ONBOARD_BROWSER_PORTAL_TOKEN'), orgno), { name: 'Alle sider' });
  const page = await newPage(browser);
  await signIn(page, env('ONBOARD_BROWSER_OPERATOR_TOKEN'));

  // Keyboard: the first Tab reaches the skip link, which moves focus to the content.
  await page.goto(`${BASE}/console/queue`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('table.queue');
  await page.keyboard.press('Tab');
  equal(await page.evaluate(() => document.activeElement.className), 'skip', 'the first Tab stop');
  await page.keyboard.press('Enter');
  // Tab through the menu to the clients page and open it with Enter.
  await page.focus('header.top nav a');
  let label = '';
  for (let i = 0; i < 6 && !/Klienter|Clients/.test(label); i++) {
    label = await page.evaluate(() => document.activeElement.textContent);
    if (!/Klienter|Clients/.test(label)) await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  await page.waitForSelector('#clients-title');
  console.log('keyboard: skip link first, menu reachable with Tab, Enter follows a link');

  const pages = [
    ['queue', '/queue', 'table.queue'],
    ['order', `/orders/${o.orderId}`, 'ul.check li'],
    ['support', `/support?q=${o.clientId}&environment=test`, '[data-testid="support-result"]'],
    ['clients', '/clients', '#clients-title'],
    ['client', `/clients/${o.clientId}`, '#client-title'],
    ['register', '/clients/new', '#register-title'],
    ['organisations', '/organisations', '#orgs-title'],
    ['organisation', `/organisations/${o.orgno}`, '[data-testid="test-users"]'],
    ['cases', '/onboardings', '#cases-title'],
    ['case', `/onboardings/${o.caseId}`, '[data-testid="case-orders"]'],
    ['audit', '/audit', '#audit-title'],
    ['tokens', '/tokens', '#tokens-title'],
  ];
  for (const [name, path, selector] of pages) {
    await go(page, path, selector);
    await axe(page, name);
    await screenshot(page, name);
  }
  // The other language too, on the busiest page.
  await go(page, `/orders/${o.orderId}`, 'ul.check li');
  await page.click('button.lang');
  await axe(page, 'order-other-language');
  await screenshot(page, 'order-other-language');
  // And every page 390 px wide without sideways scrolling.
  await page.setViewport({ width: 390, height: 844 });
  for (const [name, path, selector] of pages) {
    await go(page, path, selector);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    const wide = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.scroll'))
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)} px)`),
    );
    check(overflow <= 0, `${name} is ${overflow} px wider than 390 px: ${wide.join(', ')}`);
  }
  await screenshot(page, 'order-390px');
  noProblems(page);
}

async function staleEdit(browser) {
  const op = as(env('ONBOARD_BROWSER_OPERATOR_TOKEN'));
  const orgno = newOrgno();
  await organisation(op, orgno, `Etat ${orgno}`);
  const c = (await op('POST', '/v1/clients', clientBody(orgno, 'Før endring'))).json;
  const page = await newPage(browser);
  await signIn(page, env('ONBOARD_BROWSER_OPERATOR_TOKEN'));
  await go(page, `/clients/${c.client_id}`, '#f-client_name');
  // Someone else changes the client meanwhile (the portal, over the API).
  const other = await api('PATCH', `/v1/clients/${c.client_id}`, {
    token: env('ONBOARD_BROWSER_PORTAL_TOKEN'),
    headers: { 'X-Onboard-Org': orgno, 'X-Onboard-User': 'kari.portal', 'If-Match': '"1"', 'Content-Type': 'application/merge-patch+json' },
    body: { client_name: 'Endret av portalen' },
  });
  equal(other.status, 200, `the portal's change: ${other.text}`);
  await clear(page, '#f-client_name');
  await page.type('#f-client_name', 'Endret i konsollet');
  await page.click('form button[type=submit]');
  await page.waitForSelector('[data-testid="conflict"]');
  const conflict = await textOf(page, '[data-testid="conflict"]');
  console.log(`stale edit: ${conflict}`);
  check(conflict.includes('kari.portal') && /version 2|versjon 2/.test(conflict), `the conflict does not say who and which version: ${conflict}`);
  await axe(page, 'client-conflict');
  await screenshot(page, 'client-conflict');
  await page.click('[data-testid="conflict"] button');
  await page.waitForFunction(() => document.querySelector('#f-client_name').value === 'Endret av portalen');
  await clear(page, '#f-client_name');
  await page.type('#f-client_name', 'Endret i konsollet');
  await page.click('form button[type=submit]');
  await page.waitForSelector('.notice');
  const now = (await op('GET', `/v1/clients/${c.client_id}`)).json;
  equal(now.client_name, 'Endret i konsollet', 'the name after reload and save');
  // Deactivate and reactivate.
  await page.click('[data-testid="toggle-state"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="client-state"]').textContent === 'deactivated');
  await page.click('[data-testid="toggle-state"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="client-state"]').textContent === 'active');
  console.log('client: deactivated and reactivated from the page');
  noProblems(page);
}

async function hostileName(browser) {
  const op = as(env('ONBOARD_BROWSER_OPERATOR_TOKEN'));
  await terms(op);
  const o = await submittedOrder(op, () => op, { name: XSS });
  const page = await newPage(browser);
  await signIn(page, env('ONBOARD_BROWSER_OPERATOR_TOKEN'));
  const views = [
    ['/queue', 'table.queue'],
    [`/orders/${o.orderId}`, 'ul.check li'],
    ['/clients', 'section table'],
    [`/clients/${o.clientId}`, '#client-title'],
    [`/support?q=${o.clientId}&environment=test`, '[data-testid="support-result"]'],
  ];
  for (const [path, selector] of views) {
    await go(page, path, selector);
    const { images, text } = await page.evaluate(() => ({ images: document.querySelectorAll('img').length, text: document.body.textContent }));
    equal(images, 0, `<img> elements on ${path}`);
    check(text.includes('<img src=x onerror=alert(1)>'), `${path} does not show the name as text`);
  }
  await screenshot(page, 'hostile-client-name');
  check(!page.problems.some((p) => p.startsWith('dialog')), 'an alert opened');
  console.log('hostile client_name: shown as text on the queue, order, clients, client and support pages; no <img>, no alert');
  noProblems(page);
}

async function auditor(browser) {
  const op = as(env('ONBOARD_BROWSER_OPERATOR_TOKEN'));
  await terms(op);
  const o = await submittedOrder(op, () => op, { name: 'Revisorens syn' });
  const page = await newPage(browser);
  await signIn(page, env('ONBOARD_BROWSER_AUDITOR_TOKEN'));
  await page.waitForSelector('#audit-title');
  const nav = await page.$$eval('header.top nav a', (els) => els.map((e) => e.getAttribute('href')));
  equal(JSON.stringify(nav), JSON.stringify(['/console/audit']), 'the auditor menu');
  for (const path of ['/queue', `/orders/${o.orderId}`, '/support', '/clients', '/organisations', `/organisations/${o.orgno}`, '/onboardings', `/onboardings/${o.caseId}`, '/tokens']) {
    await go(page, path, '#audit-title');
    const buttons = await page.$$eval('button', (els) => els.map((e) => e.textContent.trim()));
    for (const b of buttons) check(!/Godkjenn|Approve|Avvis|Reject|Utsted|Reissue|Tilbakekall|Revoke|Registrer|Register|Lag token|Create token|Deaktiver|Deactivate|Tildel|Allocate|Frigi|Release|Opprett|Open case|Trekk|Withdraw|Lagre|Save|Koble|Link/.test(b), `the auditor sees the operator action "${b}" on ${path}`);
  }
  // The audit page works for the auditor: search, verification, the monthly report with the cookie.
  await page.waitForSelector('table tbody tr');
  await page.click('.actions button.secondary');
  await page.waitForSelector('[data-testid="verify-result"]');
  const verify = await textOf(page, '[data-testid="verify-result"]');
  check(/intakt|intact/.test(verify), `chain verification: ${verify}`);
  await axe(page, 'audit-auditor');
  await screenshot(page, 'audit-auditor');
  // CSV export with the cookie.
  const csv = await page.evaluate(async () => (await fetch('/v1/audit/events?format=csv&limit=5')).text());
  check(csv.split('\n')[0].includes('seq'), `CSV export: ${csv.slice(0, 200)}`);
  const href = await page.$eval('[data-testid="monthly-report"]', (a) => a.getAttribute('href'));
  const report = await page.goto(`${BASE}${href}`, { waitUntil: 'load' });
  equal(report.status(), 200, 'the monthly report with the session cookie');
  check((await page.content()).includes('Audit report'), 'the monthly report did not render');
  await screenshot(page, 'monthly-report');
  console.log(`auditor: menu ${nav.join(' ')}, no operator actions, chain "${verify}", monthly report and CSV with the cookie`);
  noProblems(page);
}

async function tokens(browser) {
  const page = await newPage(browser);
  await signIn(page, env('ONBOARD_BROWSER_OPERATOR_TOKEN'));
  await go(page, '/tokens', '#tokens-title');
  await page.type('#token-name', 'console-made');
  await page.select('#token-role', 'auditor');
  await page.click('form.filters button[type=submit]');
  await page.waitForSelector('[data-testid="token-created"] code');
  const secret = await textOf(page, '[data-testid="token-created"] code');
  check(secret.startsWith('onb_'), 'no token shown');
  equal((await api('GET', '/v1/audit/verify', { token: secret })).status, 200, 'the new token works');
  await screenshot(page, 'token-created');
  await page.reload({ waitUntil: 'networkidle0' });
  check(!(await page.content()).includes(secret), 'the token is shown again after a reload');
  await page.waitForSelector('tr[data-token="console-made"] button');
  await page.click('tr[data-token="console-made"] button');
  await page.click('tr[data-token="console-made"] button.danger');
  await page.waitForFunction(() => !document.querySelector('tr[data-token="console-made"] button'));
  equal((await api('GET', '/v1/audit/verify', { token: secret })).status, 401, 'the revoked token');
  console.log('tokens: created in the page (shown once), works, revoked in the page, then 401');
  noProblems(page);
}

export const scenarios = { 'every-page': everyPage, 'stale-edit': staleEdit, 'hostile-name': hostileName, auditor, tokens };
