// The work queue and the order review: four eyes refused in the page, a second operator
// approves, the delivery is followed until the SMS is delivered; the queue with 1,000
// submitted orders.
import { api, axe, BASE, check, clear, equal, newPage, noProblems, screenshot, signIn, textOf } from './lib.mjs';
import { as, env, link, must, newMobile, newOrgno, onboardingCase, order, organisation, submittedOrder, terms, testClient, verificationRun } from './seed.mjs';

async function openOrderFromQueue(page, name) {
  await page.goto(`${BASE}/console/queue`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('table.queue');
  const links = await page.$$('table.queue a');
  let target = null;
  for (const a of links) if ((await a.evaluate((e) => e.textContent)) === name) target = a;
  check(target, `the queue has no row for ${name}`);
  await target.click();
  await page.waitForSelector('[data-testid="order-state"]');
  await page.waitForFunction(() => document.querySelectorAll('ul.check li').length > 0, { timeout: 10000 });
}

async function fourEyes(browser) {
  const opA = as(env('ONBOARD_BROWSER_OPERATOR_TOKEN'));
  await terms(opA);
  const name = 'Fire øyne';
  const o = await submittedOrder(opA, () => opA, { name });
  const page = await newPage(browser);
  await signIn(page, env('ONBOARD_BROWSER_OPERATOR_TOKEN'));
  await openOrderFromQueue(page, name);
  const buttons = await page.$$('.panel button');
  check(buttons.length > 0, 'no approve button');
  await page.click('.panel .actions button');
  await page.waitForSelector('[data-testid="refusal"]');
  const refusal = await textOf(page, '[data-testid="refusal"]');
  console.log(`four eyes: ${refusal}`);
  check(/four|fire|entered|registrert|same/i.test(refusal), `the refusal does not say why: ${refusal}`);
  const state = (await api('GET', `/v1/production-orders/${o.orderId}`, { token: env('ONBOARD_BROWSER_OPERATOR_TOKEN') })).json.state;
  equal(state, 'submitted', 'the order after the refused approval');
  await screenshot(page, 'order-four-eyes-refused');

  // Reject needs a reason: the page says so beside the field and sends nothing.
  await page.click('form button.danger');
  await page.waitForSelector('#reject-reason-error');
  equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'reject-reason', 'focus after an empty reason');
  noProblems(page);
}

// The operator registers a test client that was asked for by e-mail and records its
// verification run in the console; the validator's error shows beside its field.
async function registerInThePage(browser, orgno, name) {
  // A browser context of its own: the second operator below must not share this cookie.
  const context = await browser.createBrowserContext();
  const page = await newPage(context);
  await signIn(page, env('ONBOARD_BROWSER_OPERATOR_TOKEN'));
  await page.goto(`${BASE}/console/clients/new`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('#f-client_name');
  await page.select('#f-registration_channel', 'mail');
  await page.type('#f-client_name', name);
  await page.type('#f-client_orgno', '123456789');
  await page.type('#f-redirect_uris', 'https://test.app.example.no/callback');
  await page.type('#f-post_logout_redirect_uris', 'https://test.app.example.no/logout');
  await page.type('#f-frontchannel_logout_uri', 'https://test.app.example.no/frontchannel-logout');
  await page.click('form button[type=submit]');
  await page.waitForSelector('[data-field-error="client_orgno"]');
  const fieldError = await textOf(page, '[data-field-error="client_orgno"]');
  equal(await page.evaluate(() => document.activeElement.id), 'f-client_orgno', 'focus on the first field in error');
  console.log(`register: the validator's error beside client_orgno: ${fieldError}`);
  await axe(page, 'register-errors');
  await screenshot(page, 'register-errors');
  await clear(page, '#f-client_orgno');
  await page.type('#f-client_orgno', orgno);
  await page.click('form button[type=submit]');
  await page.waitForSelector('#client-title');
  const clientId = await page.$eval('dl.facts dd code', (e) => e.textContent);
  check(/^[0-9a-f-]{36}$/.test(clientId), `no client_id on the client page: ${clientId}`);
  // The verification run: every mandatory case of the catalogue passed.
  await page.waitForSelector('#run-tester');
  await page.type('#run-tester', 'Kari Nordmann');
  const mandatory = await page.$$eval('select[data-case]', (els) => els.filter((e) => e.closest('tr').textContent.match(/påkrevd|mandatory/)).map((e) => e.id));
  check(mandatory.length > 0, 'the catalogue shows no mandatory case');
  for (const id of mandatory) await page.select(`#${id}`, 'passed');
  await page.click('form[aria-labelledby="run-title"] button[type=submit]');
  await page.waitForSelector('form[aria-labelledby="run-title"] .notice');
  await page.waitForSelector('[data-testid="runs"] li');
  await axe(page, 'client');
  await screenshot(page, 'client-registered');
  const stored = (await api('GET', `/v1/clients/${clientId}`, { token: env('ONBOARD_BROWSER_OPERATOR_TOKEN') })).json;
  equal(stored.registration_channel, 'mail', 'registration channel');
  console.log(`register: test client ${clientId} registered on request by mail, run with ${mandatory.length} mandatory cases recorded`);
  noProblems(page);
  await context.close();
  return clientId;
}

async function approveAndFollow(browser) {
  const opA = as(env('ONBOARD_BROWSER_OPERATOR_TOKEN'));
  const version = await terms(opA);
  const name = `Min side ${Date.now() % 100000}`;
  const orgno = newOrgno();
  await organisation(opA, orgno, `Etat ${orgno}`);
  const clientId = await registerInThePage(browser, orgno, name);
  // The portal, over the API: the case with its planning and terms, then the order.
  const portal = as(env('ONBOARD_BROWSER_PORTAL_TOKEN'), orgno);
  const mobile = newMobile();
  const caseId = await onboardingCase(portal, orgno, mobile, version);
  await link(portal, caseId, clientId);
  const orderId = await order(portal, caseId, clientId, mobile, `drift-${orgno}@example.no`);
  const o = { orgno, clientId, caseId, orderId, mobile };
  console.log(`journey: order ${o.orderId} for test client ${o.clientId} (${o.orgno}) submitted by the portal`);

  const page = await newPage(browser);
  await signIn(page, env('ONBOARD_BROWSER_SECOND_OPERATOR_TOKEN'));
  await page.waitForSelector('table.queue');
  await axe(page, 'queue');
  await screenshot(page, 'queue');
  await openOrderFromQueue(page, name);
  await axe(page, 'order');
  await screenshot(page, 'order');
  const diff = await page.$$eval('table tbody tr th code', (els) => els.map((e) => e.textContent));
  console.log(`order review: diff fields ${diff.join(', ') || '(none)'}`);
  check(diff.includes('redirect_uris'), `the diff does not show the changed redirect_uris: ${diff}`);
  const readiness = await page.$$eval('ul.check > li', (els) => els.map((e) => `${e.dataset.item}:${e.querySelector('span').textContent}`));
  console.log(`order review: readiness ${readiness.join(' ')}`);
  check(readiness.length >= 5, `readiness checklist: ${readiness}`);

  await page.click('.panel .actions button');
  await page.waitForSelector('.notice');
  await page.waitForSelector('[data-step="sms-delivered"]', { timeout: 15000 });
  const started = Date.now();
  await page.waitForSelector('[data-step="sms-delivered"][data-state="done"]', { timeout: 90000 });
  console.log(`delivery: the page showed the SMS delivered ${Date.now() - started} ms after approval`);
  const steps = await page.$$eval('ol.steps li', (els) => els.map((e) => `${e.dataset.step}=${e.dataset.state}`));
  console.log(`delivery steps: ${steps.join(' ')}`);
  check(steps.includes('package=done') && steps.includes('sms-sent=done'), `steps: ${steps}`);
  equal(await textOf(page, '[data-testid="order-state"]'), (await page.evaluate(() => document.documentElement.lang)) === 'nb' ? 'godkjent' : 'approved', 'order state on the page');
  await axe(page, 'order-approved');
  await screenshot(page, 'order-approved-delivered');
  const after = await api('GET', `/v1/production-orders/${o.orderId}`, { token: env('ONBOARD_BROWSER_OPERATOR_TOKEN') });
  equal(after.json.state, 'approved', 'the order over the API');
  equal(after.json.decided_by, 'second-operator', 'who approved it');

  // Support finds it all from the client_id and the environment the owner quotes.
  const production = after.json.production_client_id;
  await page.goto(`${BASE}/console/support`, { waitUntil: 'networkidle0' });
  await page.type('#support-q', production);
  await page.select('select', 'production');
  await page.click('form[role=search] button[type=submit]');
  await page.waitForSelector('[data-testid="support-result"] [data-delivery]', { timeout: 10000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="support-result"] table').length >= 1);
  const found = await textOf(page, '[data-testid="support-result"]');
  for (const want of [production, name, o.orgno, 'delivered']) check(found.includes(want), `support lookup does not show ${want}`);
  const deliverySteps = await page.$$eval('[data-delivery] ol.steps li', (els) => els.map((e) => `${e.dataset.step}=${e.dataset.state}`));
  check(deliverySteps.includes('sms-delivered=done'), `support shows the delivery as ${deliverySteps}`);
  await axe(page, 'support');
  await screenshot(page, 'support');
  // And the test client by its client_id in the test environment: runs and history.
  await clear(page, '#support-q');
  await page.type('#support-q', o.clientId);
  await page.select('select', 'test');
  await page.click('form[role=search] button[type=submit]');
  await page
    .waitForFunction((id) => document.querySelector('[data-testid="support-result"]')?.textContent.includes(id) && document.querySelector('ol.timeline') && document.querySelector('[data-testid="support-runs"]'), { timeout: 10000 }, o.clientId)
    .catch(async (e) => {
      const input = await page.$eval('#support-q', (x) => x.value);
      throw new Error(`${e.message}; problems ${page.problems.join(" / ")}; url ${page.url()} input ${input}; the page shows: ${(await textOf(page, 'main')).slice(0, 300)}`);
    });
  const testView = await textOf(page, '[data-testid="support-result"]');
  check(testView.includes('Kari Nordmann'), 'support does not show the verification run');
  console.log('support lookup: production client with its delivery, test client with its runs and history');
  noProblems(page);
}

// 1,000 submitted orders: how long from navigation until the queue shows them all and a
// filter answers (the page is interactive).
async function queue1000(browser) {
  const op = as(env('ONBOARD_BROWSER_OPERATOR_TOKEN'));
  const want = Number(process.env.ONBOARD_BROWSER_QUEUE_ORDERS || 1000);
  await terms(op);
  const t0 = Date.now();
  const orgno = newOrgno();
  await organisation(op, orgno, `Kø-etat ${orgno}`);
  const caseId = await onboardingCase(op, orgno, newMobile(), '2024-01');
  let next = 0;
  const worker = async () => {
    while (next < want) {
      const i = next++;
      const clientId = await testClient(op, orgno, `Kø-klient ${String(i).padStart(4, '0')}`);
      await verificationRun(op, clientId);
      await link(op, caseId, clientId);
      await order(op, caseId, clientId, newMobile(), `queue-${i}@example.no`);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  console.log(`queue: seeded ${want} submitted orders over the API in ${Date.now() - t0} ms`);
  // The list's latency with each order's readiness judged (a fixed number of statements
  // per page, whatever its size).
  for (const limit of [50, 200]) {
    const ms = [];
    for (let i = 0; i < 15; i++) {
      const s0 = performance.now();
      const page = await must(op('GET', `/v1/production-orders?state=submitted&limit=${limit}`), 200, 'the order list');
      ms.push(performance.now() - s0);
      check(page.items.length === Math.min(limit, want) && page.items.every((o) => o.readiness && o.readiness.ready), `a page of ${limit} is not all ready`);
    }
    ms.sort((a, b) => a - b);
    console.log(`queue: GET /v1/production-orders?limit=${limit} with readiness: median ${ms[7].toFixed(1)} ms, max ${ms[14].toFixed(1)} ms (15 calls)`);
  }
  const page = await newPage(browser);
  await signIn(page, env('ONBOARD_BROWSER_OPERATOR_TOKEN'));
  await page.waitForSelector('table.queue');
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const t0 = Date.now();
    await page.goto(`${BASE}/console/queue`);
    await page.waitForFunction((n) => document.querySelectorAll('table.queue tbody tr').length >= n, { timeout: 30000, polling: 'raf' }, want);
    const shown = Date.now() - t0;
    // Interactive: a filter keystroke is answered on the next frames.
    const t1 = Date.now();
    await page.type('input[type=search]', 'zz-nothing');
    await page.waitForFunction(() => document.querySelectorAll('table.queue tbody tr').length === 0, { polling: 'raf' });
    const filtered = Date.now() - t1;
    runs.push({ shown, filtered, total: Date.now() - t0 });
  }
  const best = runs.reduce((a, b) => (a.shown < b.shown ? a : b));
  for (const r of runs) console.log(`queue with ${want} orders: all rows shown ${r.shown} ms after navigation, filter answered in ${r.filtered} ms`);
  const median = runs.map((r) => r.shown).sort((a, b) => a - b)[1];
  console.log(`queue with ${want} orders: median ${median} ms to interactive (budget 1000 ms)`);
  check(median <= 1000, `the queue with ${want} orders took ${median} ms (median of 3) to show, over 1 s`);
  await clear(page, 'input[type=search]');
  await page.goto(`${BASE}/console/queue`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('table.queue tbody tr');
  await screenshot(page, 'queue-1000');
  void best;
  noProblems(page);
}

// Readiness at a glance: two submitted orders, one ready and one whose case lost its
// technical contact after submission. The API's list says so ({ready, missing}), the queue
// shows "✓ ready" and "✗ missing: contacts" in both languages, filters on it, opens the
// order by keyboard (whose checklist agrees) and fits 390 px.
async function queueReadiness(browser) {
  const token = env('ONBOARD_BROWSER_OPERATOR_TOKEN');
  const op = as(token);
  await terms(op);
  const stamp = `R${Date.now().toString(36)}`;
  const ready = await submittedOrder(op, () => op, { name: `${stamp} klar` });
  const lacking = await submittedOrder(op, () => op, { name: `${stamp} uten kontakt` });
  const current = await api('GET', `/v1/onboardings/${lacking.caseId}`, { token });
  equal(current.status, 200, `the case: ${current.text}`);
  const patched = await fetch(`${BASE}/v1/onboardings/${lacking.caseId}`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/merge-patch+json', 'If-Match': current.headers.get('etag'), Accept: 'application/json' },
    body: JSON.stringify({ contacts: [{ name: 'Kari Admin', email: `admin-${lacking.orgno}@example.no`, role: 'administrative' }] }),
  });
  equal(patched.status, 200, `the case without its technical contact: ${await patched.text()}`);

  // The API: the list judges each order with the full checklist.
  const listed = await all(op, '/v1/production-orders?state=submitted');
  const byId = Object.fromEntries(listed.map((o) => [o.id, o]));
  check(byId[ready.orderId] && byId[lacking.orderId], 'the list lacks one of the two orders');
  const summary = (o) => JSON.stringify({ ready: o.readiness && o.readiness.ready, missing: o.readiness && o.readiness.missing });
  equal(summary(byId[ready.orderId]), JSON.stringify({ ready: true, missing: [] }), 'the ready order\'s readiness');
  equal(summary(byId[lacking.orderId]), JSON.stringify({ ready: false, missing: ['production_contacts'] }), 'the order without a technical contact');
  console.log(`queue readiness: API ${JSON.stringify(byId[lacking.orderId].readiness)}`);

  const page = await newPage(browser);
  await signIn(page, token);
  await page.goto(`${BASE}/console/queue`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('table.queue');
  await page.type('input[type=search]', stamp);
  await page.waitForFunction(() => document.querySelectorAll('table.queue tbody tr').length === 2);
  const rows = async () =>
    page.$$eval('table.queue tbody tr', (trs) =>
      trs.map((tr) => {
        const cell = tr.querySelector('td.ready span');
        return { name: tr.querySelector('a').textContent, ready: cell.dataset.ready, missing: cell.dataset.missing || '', text: cell.textContent.trim() };
      }),
    );
  const lang = async () => page.evaluate(() => document.documentElement.lang);
  const texts = {};
  for (let i = 0; i < 2; i++) {
    const shown = await rows();
    const yes = shown.find((r) => r.name.endsWith('klar'));
    const no = shown.find((r) => r.name.endsWith('uten kontakt'));
    check(yes && no, `the queue does not show both orders: ${JSON.stringify(shown)}`);
    equal(yes.ready, 'true', 'the ready order\'s marker');
    equal(no.ready, 'false', 'the lacking order\'s marker');
    equal(no.missing, 'production_contacts', 'what the lacking order misses');
    const l = await lang();
    texts[l] = { yes: yes.text, no: no.text };
    await page.click('button.lang');
    await page.waitForFunction(
      (before, text) => document.documentElement.lang !== before && document.querySelector('td.ready span[data-ready="true"]').textContent.trim() !== text,
      {},
      l,
      yes.text,
    );
  }
  console.log(`queue readiness: shown ${JSON.stringify(texts)}`);
  check(texts.nb && /Klar/.test(texts.nb.yes) && /Mangler: kontakter/.test(texts.nb.no), `bokmål markers: ${JSON.stringify(texts.nb)}`);
  check(texts.en && /Ready/.test(texts.en.yes) && /Missing: contacts/.test(texts.en.no), `English markers: ${JSON.stringify(texts.en)}`);
  await screenshot(page, 'queue-readiness');

  // The readiness filter.
  const filter = await page.$$eval('.filters select', (els) => els.length);
  check(filter >= 2, 'no readiness filter');
  const readySelect = (await page.$$('.filters select'))[1];
  await readySelect.select('false');
  await page.waitForFunction(() => document.querySelectorAll('table.queue tbody tr').length === 1);
  check((await rows())[0].name.endsWith('uten kontakt'), 'the "not ready" filter shows the wrong order');
  await axe(page, 'queue-readiness');

  // By keyboard: focus the row's link and press Enter; the review's checklist agrees.
  await page.focus('table.queue tbody tr a');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="order-state"]');
  await page.waitForSelector('ul.check li[data-item="production_contacts"]', { timeout: 10000 });
  const item = await page.$eval('ul.check li[data-item="production_contacts"] > span', (e) => e.className);
  equal(item, 'bad', 'the review\'s production_contacts item');
  check(page.url().endsWith(`/orders/${lacking.orderId}`), `Enter opened ${page.url()}`);

  // 390 px wide: the marker is shown and nothing outside the scroller scrolls sideways.
  await page.setViewport({ width: 390, height: 844 });
  await page.goto(`${BASE}/console/queue`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('table.queue');
  await page.type('input[type=search]', stamp);
  await page.waitForFunction(() => document.querySelectorAll('table.queue tbody tr').length === 2);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(overflow <= 0, `the queue is ${overflow} px wider than 390 px`);
  const marker = await page.$eval('td.ready span[data-ready="false"]', (e) => {
    const r = e.getBoundingClientRect();
    return { right: r.right, width: r.width };
  });
  check(marker.width > 0 && marker.right <= 391, `the marker does not fit 390 px: ${JSON.stringify(marker)}`);
  await screenshot(page, 'queue-readiness-390px');
  noProblems(page);
}

async function all(caller, path) {
  const out = [];
  let cursor = '';
  for (;;) {
    const page = await must(caller('GET', `${path}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`), 200, 'the order list');
    out.push(...page.items);
    if (!page.next_cursor) return out;
    cursor = page.next_cursor;
  }
}

export const scenarios = { 'four-eyes': fourEyes, 'approve-and-follow': approveAndFollow, 'queue-1000': queue1000, 'queue-readiness': queueReadiness };
