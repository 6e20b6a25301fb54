// The work queue and the order review: four eyes refused in the page, a second operator
// approves, the delivery is followed until the SMS is delivered; the queue with 1,000
// submitted orders.
import { api, axe, BASE, check, equal, newPage, noProblems, screenshot, signIn, textOf } from './lib.mjs';
import { as, env, link, newMobile, newOrgno, onboardingCase, order, organisation, submittedOrder, terms, testClient, verificationRun } from './seed.mjs';

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

async function approveAndFollow(browser) {
  const opA = as(env('ONBOARD_BROWSER_OPERATOR_TOKEN'));
  const portal = (orgno) => as(env('ONBOARD_BROWSER_PORTAL_TOKEN'), orgno);
  await terms(opA);
  const name = `Min side ${Date.now() % 100000}`;
  const o = await submittedOrder(opA, portal, { name });
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
  await page.$eval('#support-q', (e) => (e.value = ''));
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
  await page.$eval('input[type=search]', (e) => (e.value = ''));
  await page.goto(`${BASE}/console/queue`, { waitUntil: 'networkidle0' });
  await page.waitForSelector('table.queue tbody tr');
  await screenshot(page, 'queue-1000');
  void best;
  noProblems(page);
}

export const scenarios = { 'four-eyes': fourEyes, 'approve-and-follow': approveAndFollow, 'queue-1000': queue1000 };
