// API set-up for the order scenarios, made the way the portal and automation make it:
// organisations, terms, test clients, verification runs, onboarding cases and production
// orders over the documented REST API.
import { api, check } from './lib.mjs';

export const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

let orgCounter = Math.floor(Math.random() * 90000);
/// A valid Norwegian organisation number (mod-11), different each call.
export function newOrgno() {
  const w = [3, 2, 7, 6, 5, 4, 3, 2];
  for (;;) {
    const base = `9${String(10000000 + (orgCounter++ % 9000000) * 7 + 13).slice(-7)}`;
    const sum = [...base].reduce((n, d, i) => n + Number(d) * w[i], 0);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return `${base}${check === 11 ? 0 : check}`;
  }
}

let mobileCounter = Math.floor(Math.random() * 1000000);
export const newMobile = () => `+479${String(1000000 + (mobileCounter++ % 8999999)).slice(-7)}`;

export async function must(call, status, what) {
  const r = await call;
  check(r.status === status, `${what}: expected ${status}, got ${r.status}: ${r.text.slice(0, 500)}`);
  return r.json;
}

export function as(token, orgno) {
  const headers = orgno ? { 'X-Onboard-Org': orgno, 'X-Onboard-User': 'kari.portal' } : {};
  return (method, path, body) => api(method, path, { token, body, headers });
}

export async function organisation(op, orgno, name) {
  await must(op('POST', '/v1/organisations', { orgno, name }), 201, `organisation ${orgno}`);
}

export async function terms(op, version = '2024-01') {
  const r = await op('POST', '/v1/terms', { version, title: 'Bruksvilkår', url: `https://example.no/vilkar/${version}`, summary: 'First version' });
  check(r.status === 201 || r.status === 409, `terms: ${r.status} ${r.text}`);
  return version;
}

export function clientBody(orgno, name) {
  return {
    environment: 'test',
    client_name: name,
    integration_type: 'idporten',
    application_type: 'web',
    client_orgno: orgno,
    token_endpoint_auth_method: 'client_secret_basic',
    scopes: ['openid', 'profile'],
    redirect_uris: ['https://app.example.no/callback'],
    post_logout_redirect_uris: ['https://app.example.no/logout'],
    frontchannel_logout_uri: 'https://app.example.no/frontchannel-logout',
  };
}

export async function testClient(op, orgno, name) {
  return (await must(op('POST', '/v1/clients', clientBody(orgno, name)), 201, `client ${name}`)).client_id;
}

export const MANDATORY_CASES = [1, 3, 6, 7, 8];
export function runBody() {
  return {
    tester: 'Kari Nordmann',
    tested_at: new Date(Date.now() - 86400000).toISOString(),
    results: MANDATORY_CASES.map((id) => ({ case_id: id, outcome: 'passed', ...(id === 1 ? { evidence: 'acr=idporten-loa-substantial in the id_token' } : {}) })),
  };
}

export async function verificationRun(caller, clientId) {
  await must(caller('POST', `/v1/clients/${clientId}/verification-runs`, runBody()), 201, 'verification run');
}

export async function onboardingCase(caller, orgno, mobile, version) {
  const body = {
    organisation: orgno,
    service_name: 'Min side',
    planning: { schedule: 'Q3', production_plan: 'Pilot, then everyone', service_description: 'Self service for citizens', expected_volume: '10 000 logins a day', high_traffic_periods: 'January', support_impact: 'About 20 calls a week' },
    contacts: [{ name: 'Ola Nordmann', email: `drift-${orgno}@example.no`, mobile, role: 'technical' }],
  };
  const id = (await must(caller('POST', '/v1/onboardings', body), 201, 'onboarding case')).id;
  await must(caller('POST', `/v1/onboardings/${id}/terms-acceptance`, { terms_version: version }), 200, 'terms acceptance');
  return id;
}

export async function link(caller, caseId, clientId) {
  await must(caller('POST', `/v1/onboardings/${caseId}/clients`, { client_id: clientId }), 200, 'link client');
}

export async function order(caller, caseId, clientId, mobile, email) {
  const body = {
    test_client_id: clientId,
    redirect_uris: ['https://app.example.no/callback'],
    post_logout_redirect_uris: ['https://app.example.no/logout'],
    frontchannel_logout_uri: 'https://app.example.no/frontchannel-logout',
    delivery: { method: 'sms_zip', mobile, ...(email ? { email } : {}) },
  };
  const o = await must(caller('POST', `/v1/onboardings/${caseId}/production-orders`, body), 201, 'production order');
  check(o.state === 'submitted', `the order is ${o.state}, not submitted`);
  return o.id;
}

/// A test client of a new organisation, verified, in a case with terms accepted, and its
/// submitted production order entered by `caller`.
export async function submittedOrder(op, caller, { name, mobile = newMobile(), version = '2024-01' }) {
  const orgno = newOrgno();
  await organisation(op, orgno, `Etat ${orgno}`);
  const c = caller(orgno);
  const clientId = await testClient(op, orgno, name);
  await verificationRun(c, clientId);
  const caseId = await onboardingCase(c, orgno, mobile, version);
  await link(c, caseId, clientId);
  const orderId = await order(c, caseId, clientId, mobile, `drift-${orgno}@example.no`);
  return { orgno, clientId, caseId, orderId, mobile };
}
