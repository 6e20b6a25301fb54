// The organisations and onboarding cases pages: register an organisation (the validator's
// error beside the field), search it, its contacts, test users allocated and released, its
// clients in both environments; a case opened from the organisation, its planning, terms
// acceptance, a linked client, withdraw and reopen, a stale save's 412, and its order.
import { api, axe, BASE, check, clear, equal, newPage, noProblems, screenshot, signIn, textOf } from './lib.mjs';
import { as, env, newMobile, newOrgno, order, organisation, submittedOrder, terms, testClient, verificationRun } from './seed.mjs';

async function go(page, path, selector) {
  await page.goto(`${BASE}/console${path}`, { waitUntil: 'networkidle0' });
  await page.waitForSelector(selector, { timeout: 10000 });
}

async function organisations(browser) {
  const opToken = env('ONBOARD_BROWSER_OPERATOR_TOKEN');
  const op = as(opToken);
  await terms(op);
  // A second organisation with an approved order: a client in each environment.
  const portal = (orgno) => as(env('ONBOARD_BROWSER_PORTAL_TOKEN'), orgno);
  const approved = await submittedOrder(op, portal, { name: 'Begge miljøer' });
  const decided = await api('POST', `/v1/production-orders/${approved.orderId}/approve`, { token: opToken });
  equal(decided.status, 200, `approving the order over the API: ${decided.text}`);
  const productionId = decided.json.production_client_id;

  const page = await newPage(browser);
  await signIn(page, opToken);
  await go(page, '/organisations', '#orgs-title');
  // Register one: a wrong organisation number is refused beside its field.
  const orgno = newOrgno();
  const name = `Konsollkommunen ${orgno}`;
  await page.type('#org-new-orgno', '123456789');
  await page.type('#org-new-name', name);
  await page.click('#org-create button[type=submit]');
  await page.waitForSelector('[data-field-error="orgno"]');
  equal(await page.evaluate(() => document.activeElement.id), 'org-new-orgno', 'focus on the field in error');
  console.log(`organisations: the validator's error beside orgno: ${await textOf(page, '[data-field-error="orgno"]')}`);
  await axe(page, 'organisations-errors');
  await clear(page, '#org-new-orgno');
  await page.type('#org-new-orgno', orgno);
  await page.click('#org-create button[type=submit]');
  await page.waitForSelector('#org-title');
  check((await textOf(page, '#org-title')).includes(name), 'the new organisation page does not name it');
  equal((await api('GET', `/v1/organisations/${orgno}`, { token: opToken })).json.name, name, 'the organisation over the API');

  // Search by the beginning of the name, and by the number.
  await go(page, '/organisations', '#orgs-title');
  await page.type('#org-q', 'Konsollkommunen');
  await page.click('form[role=search] button[type=submit]');
  await page.waitForFunction((n) => document.querySelector('[data-testid="org-list"]')?.textContent.includes(n), { timeout: 10000 }, name);
  await axe(page, 'organisations');
  await screenshot(page, 'organisations');
  await clear(page, '#org-q');
  await page.type('#org-q', orgno);
  await page.click('form[role=search] button[type=submit]');
  await page.waitForSelector('#org-title');
  console.log(`organisations: registered ${orgno} in the page, found by name and by number`);

  // Contacts: a wrong e-mail beside its field, then saved with If-Match.
  await page.click('[data-testid="contact-add"]');
  await page.type('#org-contact-0-name', 'Ola Nordmann');
  await page.type('#org-contact-0-email', 'not-an-address');
  await page.type('#org-contact-0-mobile', '+4791234567');
  await page.select('#org-contact-0-role', 'incident');
  await page.click('#org-contact button[type=submit]');
  await page.waitForSelector('[data-field-error="contacts/0/email"]');
  console.log(`organisations: the validator's error beside the contact's e-mail: ${await textOf(page, '[data-field-error="contacts/0/email"]')}`);
  await clear(page, '#org-contact-0-email');
  await page.type('#org-contact-0-email', 'ola@konsoll.example.no');
  await page.click('#org-contact button[type=submit]');
  await page.waitForSelector('#org-contact .notice');
  const stored = (await api('GET', `/v1/organisations/${orgno}`, { token: opToken })).json;
  equal(stored.contacts.length, 1, 'contacts over the API');
  const saved = stored.contacts[0];
  equal(`${saved.name}|${saved.email}|${saved.mobile}|${saved.role}`, 'Ola Nordmann|ola@konsoll.example.no|+4791234567|incident', 'the contact over the API');
  equal(stored.version, 2, 'the organisation version after the contacts');

  // Test users: allocate three, release one.
  await clear(page, '#testusers-count');
  await page.type('#testusers-count', '3');
  await page.click('[data-testid="test-users"] form button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="test-users"] tr[data-state="active"]').length === 3, { timeout: 10000 });
  const pid = await page.$eval('[data-testid="test-users"] tr[data-state="active"]', (e) => e.dataset.pid);
  await page.click(`tr[data-pid="${pid}"] button.secondary:not(.copy)`);
  await page.waitForSelector(`tr[data-pid="${pid}"][data-state="released"]`);
  const users = (await api('GET', `/v1/organisations/${orgno}/test-users?include_released=true`, { token: opToken })).json.items;
  equal(users.length, 3, 'test users over the API');
  equal(users.find((u) => u.pid === pid).state, 'released', 'the released test user over the API');
  check(users.find((u) => u.pid === pid).released_by, 'who released the test user');
  console.log(`organisations: 3 test users allocated in the page, ${pid} released`);
  await axe(page, 'organisation');
  await screenshot(page, 'organisation');

  // Clients in both environments, and the case.
  await go(page, `/organisations/${approved.orgno}`, '#org-title');
  await page.waitForSelector('[data-testid="org-clients-production"] table');
  const test = await textOf(page, '[data-testid="org-clients-test"]');
  const prod = await textOf(page, '[data-testid="org-clients-production"]');
  check(test.includes(approved.clientId) && test.includes('Begge miljøer'), `the test clients: ${test}`);
  check(prod.includes(productionId), `the production clients: ${prod}`);
  check((await textOf(page, '[data-testid="org-cases"]')).includes('Min side'), 'the organisation does not list its case');
  await screenshot(page, 'organisation-both-environments');
  console.log(`organisations: ${approved.orgno} shows its test client, its production client ${productionId} and its case`);
  noProblems(page);
}

async function onboardings(browser) {
  const opToken = env('ONBOARD_BROWSER_OPERATOR_TOKEN');
  const op = as(opToken);
  const version = await terms(op);
  const orgno = newOrgno();
  await organisation(op, orgno, `Saksetaten ${orgno}`);
  const portal = as(env('ONBOARD_BROWSER_PORTAL_TOKEN'), orgno);
  const clientId = await testClient(op, orgno, 'Saksklienten');
  await verificationRun(op, clientId);

  const page = await newPage(browser);
  await signIn(page, opToken);
  // Opened from the organisation's page.
  await go(page, `/organisations/${orgno}`, '#case-service');
  await page.type('#case-service', 'Søknadstjenesten');
  await page.click('#case-service ~ button[type=submit]');
  await page.waitForSelector('#case-title');
  const caseId = page.url().split('/').pop();
  check(/^[0-9a-f-]{36}$/.test(caseId), `the case page's address: ${page.url()}`);

  // Withdraw and reopen.
  await page.click('[data-testid="case-toggle"]');
  await page.waitForFunction(() => /trukket|withdrawn/.test(document.querySelector('[data-testid="case-state"]').textContent));
  equal((await api('GET', `/v1/onboardings/${caseId}`, { token: opToken })).json.state, 'withdrawn', 'the case after withdraw');
  await page.click('[data-testid="case-toggle"]');
  await page.waitForFunction(() => /åpen|open/.test(document.querySelector('[data-testid="case-state"]').textContent));

  // Planning: every field, saved with If-Match.
  const planning = { schedule: 'Q3 2027', production_plan: 'Pilot for one county, then all', service_description: 'Applications for permits', expected_volume: '5 000 logins a day', high_traffic_periods: 'March and August', support_impact: 'About 10 calls a week' };
  for (const [k, v] of Object.entries(planning)) await page.type(`#plan-${k}`, v);
  await page.click('[data-testid="planning"] button[type=submit]');
  await page.waitForSelector('[data-testid="planning"] .notice');
  let now = (await api('GET', `/v1/onboardings/${caseId}`, { token: opToken })).json;
  equal(now.planning_complete, true, 'planning complete over the API');
  equal(now.planning.expected_volume, '5 000 logins a day', 'a planning field over the API');

  // Terms: the published version accepted in the page.
  await page.select('#terms-version', version);
  await page.click('[data-testid="terms"] button[type=submit]');
  await page.waitForFunction((v) => document.querySelector('[data-testid="terms"] p').textContent.includes(v) && !document.querySelector('[data-testid="terms"] p .bad'), { timeout: 10000 }, version);

  // Link the organisation's test client.
  await page.waitForSelector('#case-link-client');
  await page.select('#case-link-client', clientId);
  await page.click('[data-testid="case-link"]');
  await page.waitForSelector('[data-testid="case-clients"]');
  check((await textOf(page, '[data-testid="case-clients"]')).includes('Saksklienten'), 'the linked client is not shown');

  // A contact for the case.
  await page.click('#case-contact [data-testid="contact-add"]');
  await page.type('#case-contact-0-name', 'Kari Drift');
  await page.type('#case-contact-0-email', 'drift@saksetaten.example.no');
  const mobile = newMobile();
  await page.type('#case-contact-0-mobile', mobile);
  await page.click('#case-contact button[type=submit]');
  await page.waitForSelector('#case-contact .notice');
  now = (await api('GET', `/v1/onboardings/${caseId}`, { token: opToken })).json;
  equal(now.terms_acceptance?.terms_version, version, 'terms acceptance over the API');
  equal(now.test_clients.map((c) => c.client_id).join(), clientId, 'linked clients over the API');
  equal(now.contacts.length, 1, 'case contacts over the API');
  console.log(`onboarding case ${caseId}: opened, withdrawn and reopened, planning complete, terms ${version} accepted, client linked, a contact, all in the page`);

  // Someone else (the portal) changes the case: the page's next save is refused with 412.
  const other = await api('PATCH', `/v1/onboardings/${caseId}`, {
    token: env('ONBOARD_BROWSER_PORTAL_TOKEN'),
    headers: { 'X-Onboard-Org': orgno, 'X-Onboard-User': 'kari.portal', 'Content-Type': 'application/merge-patch+json' },
    body: { planning: { schedule: 'Q4 2027' } },
  });
  equal(other.status, 200, `the portal's change: ${other.text}`);
  await clear(page, '#plan-support_impact');
  await page.type('#plan-support_impact', 'About 12 calls a week');
  await page.click('[data-testid="planning"] button[type=submit]');
  await page.waitForSelector('[data-testid="conflict"]');
  await page.click('[data-testid="conflict"] button');
  await page.waitForFunction(() => document.querySelector('#plan-schedule').value === 'Q4 2027' && !document.querySelector('[data-testid="conflict"]'));
  console.log('onboarding case: a stale save shows the conflict; reload shows the portal\'s change');

  // The portal submits the order; the case shows it and opens it.
  const orderId = await order(portal, caseId, clientId, mobile, 'drift@saksetaten.example.no');
  await page.reload({ waitUntil: 'networkidle0' });
  await page.waitForSelector('[data-testid="case-orders"] a');
  await axe(page, 'case');
  await screenshot(page, 'case');
  await page.click('[data-testid="case-orders"] a');
  await page.waitForSelector('[data-testid="order-state"]');
  check(page.url().endsWith(`/orders/${orderId}`), `the case's order link went to ${page.url()}`);

  // The list, filtered by the organisation.
  await go(page, '/onboardings', '#cases-title');
  await page.type('#cases-org', orgno);
  await page.click('form[role=search] button[type=submit]');
  // Only this organisation's case once the filtered answer is in (the unfiltered list shows others too).
  await page.waitForFunction((id) => {
    const rows = document.querySelectorAll('[data-testid="case-list"] tbody tr');
    return rows.length === 1 && rows[0].dataset.case === id;
  }, { timeout: 10000 }, caseId);
  await axe(page, 'cases');
  await screenshot(page, 'cases');
  console.log(`onboarding cases: the list filtered by ${orgno} shows the case; its order ${orderId} opens from the case`);
  noProblems(page);
}

export const scenarios = { organisations, onboardings };
