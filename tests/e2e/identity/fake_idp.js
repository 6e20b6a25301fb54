// A deliberately misbehaving identity provider for the ID-token checks of onboard's
// OpenID Connect sign-in (issue #17). It serves a discovery document, a JWKS (one RSA and
// one EC P-256 key) and a token endpoint that checks the client (client_secret_basic) and
// the PKCE verifier against the challenge it was told, then answers with the ID token the
// test asked for, crafted with npm jose (independently of onboard's OpenSSL code):
//   POST /_next {"claims": {...}, "sign": MODE, "code_challenge": "..."}
// MODE: rs256 | es256 (good keys), unknown-key (a key not in the JWKS), none (alg none),
// hs256-public (HMAC with the RSA key's public PEM as the secret).
// GET /_last gives what the last token request carried (method, auth, form fields).
// Usage: NODE_PATH=var/node/node_modules node fake_idp.js STATE_DIR CLIENT_ID CLIENT_SECRET
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const crypto = require('crypto');
const jose = require('jose');

const [stateDir, clientId, clientSecret] = process.argv.slice(2);
const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
const stranger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicJwk = (key, kid, alg) => ({ ...key.export({ format: 'jwk' }), kid, alg, use: 'sig' });
const jwks = { keys: [publicJwk(rsa.publicKey, 'fake-rsa', 'RS256'), publicJwk(ec.publicKey, 'fake-ec', 'ES256')] };
let next = null;
let last = null;
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');

async function craft(claims, mode) {
  switch (mode) {
    case 'rs256':
      return new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'fake-rsa' }).sign(rsa.privateKey);
    case 'es256':
      return new jose.SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'fake-ec' }).sign(ec.privateKey);
    case 'unknown-key':
      return new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'stranger' }).sign(stranger.privateKey);
    case 'none':
      return `${b64({ alg: 'none', kid: 'fake-rsa' })}.${b64(claims)}.`;
    case 'hs256-public': {
      const secret = Buffer.from(rsa.publicKey.export({ format: 'pem', type: 'spki' }));
      return new jose.SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'fake-rsa' }).sign(secret);
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

function body(req) {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (d) => { text += d; });
    req.on('end', () => resolve(text));
  });
}

function json(res, status, value) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}

const server = http.createServer(async (req, res) => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  try {
    if (req.method === 'GET' && req.url === '/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        id_token_signing_alg_values_supported: ['RS256', 'ES256'],
      });
    }
    if (req.method === 'GET' && req.url === '/jwks') return json(res, 200, jwks);
    if (req.method === 'GET' && req.url === '/_last') return json(res, 200, last || {});
    if (req.method === 'POST' && req.url === '/_next') {
      next = JSON.parse(await body(req));
      return json(res, 200, {});
    }
    if (req.method === 'POST' && req.url === '/token') {
      const form = Object.fromEntries(new URLSearchParams(await body(req)));
      const auth = req.headers.authorization || '';
      last = { auth_scheme: auth.split(' ')[0], grant_type: form.grant_type, has_code_verifier: !!form.code_verifier };
      const expected = 'Basic ' + Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
      if (auth !== expected) return json(res, 401, { error: 'invalid_client' });
      if (!next || form.grant_type !== 'authorization_code' || !form.code) return json(res, 400, { error: 'invalid_grant' });
      const challenge = crypto.createHash('sha256').update(form.code_verifier || '').digest('base64url');
      if (challenge !== next.code_challenge) return json(res, 400, { error: 'invalid_grant', error_description: 'PKCE' });
      const idToken = await craft(next.claims, next.sign);
      next = null;
      return json(res, 200, { access_token: 'fake-access', token_type: 'Bearer', expires_in: 60, id_token: idToken });
    }
    json(res, 404, { error: 'not_found' });
  } catch (e) {
    json(res, 500, { error: 'server_error', error_description: String(e) });
  }
});
server.listen(0, '127.0.0.1', () => {
  fs.writeFileSync(path.join(stateDir, 'port'), String(server.address().port));
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
