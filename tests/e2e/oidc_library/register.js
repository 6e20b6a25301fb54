#!/usr/bin/env node
// A standard OpenID Connect client library (openid-client 5, CommonJS) registering clients
// with onboard through RFC 7591 and reading them back through RFC 7592, unchanged.
//
// Usage: node register.js [REGISTRATION_ENDPOINT] [INITIAL_ACCESS_TOKEN]
//   (or ONBOARD_REGISTRATION_ENDPOINT / ONBOARD_INITIAL_ACCESS_TOKEN in the environment)
// Exits 0 and prints "ok: ..." when every check holds; exits 1 naming each mismatch;
// exits 2 when openid-client cannot be loaded.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const kInstall = 'install it with `npm install --prefix var/node --no-audit --no-fund openid-client@5.7.1` ' +
  'and run with NODE_PATH=var/node/node_modules';
let openid;
let version;
try {
  openid = require('openid-client');
  // The package's exports hide package.json; read it next to the resolved entry point.
  const root = path.dirname(path.dirname(require.resolve('openid-client')));
  version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
} catch (e) {
  console.error('cannot load openid-client (' + e.message + '): ' + kInstall);
  process.exit(2);
}
if (!/^5\./.test(version)) {
  console.error('openid-client ' + version + ' is not version 5 (this script uses its CommonJS API): ' + kInstall);
  process.exit(2);
}
const { Issuer } = openid;

const endpoint = process.argv[2] || process.env.ONBOARD_REGISTRATION_ENDPOINT;
const initialAccessToken = process.argv[3] || process.env.ONBOARD_INITIAL_ACCESS_TOKEN;
if (!endpoint || !initialAccessToken) {
  console.error('usage: node register.js REGISTRATION_ENDPOINT INITIAL_ACCESS_TOKEN');
  process.exit(2);
}

const failures = [];
function check(what, actual, expected) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) failures.push(`${what}: expected ${e}, got ${a}`);
}
function checkThat(what, condition, detail) {
  if (!condition) failures.push(`${what}${detail === undefined ? '' : ': ' + JSON.stringify(detail)}`);
}

async function secretClient(issuer) {
  const metadata = {
    client_name: 'openid-client ' + version,
    redirect_uris: ['https://rp.example/callback'],
    post_logout_redirect_uris: ['https://rp.example/logged-out'],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'openid profile',
  };
  const now = Math.floor(Date.now() / 1000);
  const client = await issuer.Client.register(metadata, { initialAccessToken });

  checkThat('client_id is issued', typeof client.client_id === 'string' && client.client_id.length > 0, client.client_id);
  checkThat('client_id_issued_at is now', Math.abs(client.client_id_issued_at - now) < 60, client.client_id_issued_at);
  checkThat('client_secret is issued', typeof client.client_secret === 'string' && client.client_secret.length >= 32);
  checkThat('client_secret_expires_at is within 360 days',
    client.client_secret_expires_at > now && client.client_secret_expires_at <= now + 360 * 86400 + 60,
    client.client_secret_expires_at);
  checkThat('registration_access_token is issued',
    typeof client.registration_access_token === 'string' && client.registration_access_token.length > 0);
  check('registration_client_uri', client.registration_client_uri, `${endpoint}/${client.client_id}`);
  check('redirect_uris', client.redirect_uris, metadata.redirect_uris);
  check('post_logout_redirect_uris', client.post_logout_redirect_uris, metadata.post_logout_redirect_uris);
  check('response_types', client.response_types, ['code']);
  check('grant_types', client.grant_types, ['authorization_code']);
  check('scope', client.scope, 'openid profile');
  check('token_endpoint_auth_method', client.token_endpoint_auth_method, 'client_secret_basic');

  const read = await issuer.Client.fromUri(client.registration_client_uri, client.registration_access_token);
  check('read: client_id', read.client_id, client.client_id);
  check('read: client_name', read.client_name, metadata.client_name);
  check('read: redirect_uris', read.redirect_uris, metadata.redirect_uris);
  check('read: post_logout_redirect_uris', read.post_logout_redirect_uris, metadata.post_logout_redirect_uris);
  check('read: scope', read.scope, 'openid profile');
  check('read: token_endpoint_auth_method', read.token_endpoint_auth_method, 'client_secret_basic');
  check('read: registration_client_uri', read.registration_client_uri, client.registration_client_uri);
  check('read: client_secret is not shown again', read.client_secret, undefined);
  return client.client_id;
}

async function keyClient(issuer) {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'rp-key-1', alg: 'RS256', use: 'sig' };
  const metadata = {
    client_name: 'openid-client private_key_jwt',
    redirect_uris: ['https://rp.example/callback'],
    post_logout_redirect_uris: ['https://rp.example/logged-out'],
    response_types: ['code'],
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'RS256',
  };
  // openid-client publishes the public half of `jwks` as the client's jwks.
  const client = await issuer.Client.register(metadata, { initialAccessToken, jwks: { keys: [jwk] } });
  check('private_key_jwt: no client_secret', client.client_secret, undefined);
  check('private_key_jwt: no client_secret_expires_at', client.client_secret_expires_at, undefined);
  check('private_key_jwt: token_endpoint_auth_method', client.token_endpoint_auth_method, 'private_key_jwt');

  const read = await issuer.Client.fromUri(client.registration_client_uri, client.registration_access_token,
    { keys: [jwk] });
  check('private_key_jwt read: client_id', read.client_id, client.client_id);
  // RFC 7591: jwks is a JWK Set.
  const keys = read.metadata.jwks && read.metadata.jwks.keys;
  check('private_key_jwt read: one key', Array.isArray(keys) ? keys.length : keys, 1);
  if (Array.isArray(keys) && keys.length === 1) {
    check('private_key_jwt read: kid', keys[0].kid, 'rp-key-1');
    check('private_key_jwt read: n', keys[0].n, jwk.n);
    checkThat('private_key_jwt read: no private part', keys[0].d === undefined);
  }
  return client.client_id;
}

async function main() {
  const issuer = new Issuer({ issuer: 'http://127.0.0.1', registration_endpoint: endpoint });
  const ids = [await secretClient(issuer), await keyClient(issuer)];
  if (failures.length > 0) {
    for (const f of failures) console.error('mismatch: ' + f);
    process.exit(1);
  }
  console.log('ok: openid-client ' + version + ' registered and read back ' + ids.join(' '));
}

main().catch((e) => {
  console.error('error: ' + (e && e.stack ? e.stack : e));
  if (e && e.response && e.response.body) console.error('response body: ' + JSON.stringify(e.response.body));
  process.exit(1);
});
