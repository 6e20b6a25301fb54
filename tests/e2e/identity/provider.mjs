// A real OpenID provider for onboard's identity tests (issue #17): npm oidc-provider with its
// development login, on a loopback port. It plays the agency's identity provider (the
// operators' sign-in, authorization code flow with PKCE) and an access-token issuer like
// Maskinporten (client_credentials, JWT access tokens with the `consumer` claim).
//
// Usage: ONBOARD_NODE_MODULES=var/node/node_modules node provider.mjs STATE_DIR [PORT]
//   STATE_DIR/keys.json   the signing keys (private JWK Set); made when missing, so a
//                         restart with a deleted file rotates the keys (a new kid)
//   STATE_DIR/clients.json the clients (array of oidc-provider client metadata, plus
//                         consumer_orgno for access tokens); read at start
//   STATE_DIR/port        written once listening: the port
// The audience of access tokens is ONBOARD_TEST_AUDIENCE (default https://onboard.test/).
//
// For the relying party's ID-token checks the provider can be told to misbehave once:
//   POST /_tamper {"mode": MODE, "claims": {...}}
// makes the next token response carry an ID token whose payload is the real one with
// `claims` merged in, re-signed by MODE: resign (the provider's RSA key, its kid), es256
// (the provider's EC P-256 key, published in its JWKS), unknown-key (an RSA key that is
// not in the JWKS), none (alg none, no signature), hs256-public (HMAC-SHA256 with the
// provider's public RSA key in PEM as the secret). The code, PKCE and the client's
// authentication are still checked by the provider itself; only its answer is altered.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import crypto from 'node:crypto';
import { pathToFileURL } from 'node:url';

// ESM ignores NODE_PATH: the package is loaded from var/node by its path.
const modules = process.env.ONBOARD_NODE_MODULES || new URL('../../../var/node/node_modules', import.meta.url).pathname;
const { default: Provider } = await import(
  pathToFileURL(path.join(modules, 'oidc-provider', 'lib', 'index.js')).href);

const [stateDir, portArg] = process.argv.slice(2);
const audience = process.env.ONBOARD_TEST_AUDIENCE || 'https://onboard.test/';
const keysFile = path.join(stateDir, 'keys.json');
if (!fs.existsSync(keysFile)) {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  jwk.kid = 'k-' + crypto.randomBytes(6).toString('hex');
  jwk.alg = 'RS256';
  jwk.use = 'sig';
  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  ec.kid = 'e-' + crypto.randomBytes(6).toString('hex');
  ec.alg = 'ES256';
  ec.use = 'sig';
  fs.writeFileSync(keysFile, JSON.stringify({ keys: [jwk, ec] }), { mode: 0o600 });
}
const jwks = JSON.parse(fs.readFileSync(keysFile, 'utf8'));
const clients = JSON.parse(fs.readFileSync(path.join(stateDir, 'clients.json'), 'utf8'));

// Development accounts: the login name is the account; its groups decide onboard's role.
const accounts = {
  'anna': { name: 'Anna Operatør', groups: ['onboard-operators'] },
  'ola': { name: 'Ola Operatør', groups: ['onboard-operators'] },
  'aud': { name: 'Astrid Revisor', groups: ['onboard-auditors'] },
  'nobody': { name: 'Nils Utenfor', groups: ['somewhere-else'] },
};

const dcrScopes = 'idporten:dcr.read idporten:dcr.modify idporten:dcr.write ' +
  'idporten:dcr/onbehalfof:write idporten:dcr.supplier';

// The misbehaviour asked for by POST /_tamper, used by the next token response only.
let tamper = null;
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const keyOf = (kty) => jwks.keys.find((k) => k.kty === kty);

function resign(idToken, mode, claims) {
  const payload = { ...JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url')), ...claims };
  const rsa = keyOf('RSA');
  const signed = (header, sign) => {
    const input = `${b64(header)}.${b64(payload)}`;
    return `${input}.${sign(Buffer.from(input)).toString('base64url')}`;
  };
  const rs256 = (jwk) => (data) => crypto.sign('sha256', data, crypto.createPrivateKey({ key: jwk, format: 'jwk' }));
  switch (mode) {
    case 'resign':
      return signed({ alg: 'RS256', typ: 'JWT', kid: rsa.kid }, rs256(rsa));
    case 'es256': {
      const ec = keyOf('EC');
      return signed({ alg: 'ES256', typ: 'JWT', kid: ec.kid }, (data) => crypto.sign('sha256', data,
        { key: crypto.createPrivateKey({ key: ec, format: 'jwk' }), dsaEncoding: 'ieee-p1363' }));
    }
    case 'unknown-key': {
      const stranger = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
      return signed({ alg: 'RS256', typ: 'JWT', kid: 'stranger' }, (data) => crypto.sign('sha256', data, stranger));
    }
    case 'none':
      return `${b64({ alg: 'none', typ: 'JWT', kid: rsa.kid })}.${b64(payload)}.`;
    case 'hs256-public': {
      const pem = crypto.createPublicKey({ key: rsa, format: 'jwk' }).export({ format: 'pem', type: 'spki' });
      return signed({ alg: 'HS256', typ: 'JWT', kid: rsa.kid }, (data) => crypto.createHmac('sha256', pem).update(data).digest());
    }
    default:
      throw new Error(`unknown tamper mode ${mode}`);
  }
}

async function readBody(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

const server = http.createServer();
server.listen(Number(portArg || 0), '127.0.0.1', () => {
  const port = server.address().port;
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients,
    jwks,
    cookies: { keys: ['onboard-test-cookie-key-0123456789'] },
    extraClientMetadata: { properties: ['consumer_orgno'] },
    scopes: ['openid', 'profile', 'groups', ...dcrScopes.split(' ')],
    claims: { openid: ['sub'], profile: ['name'], groups: ['groups'] },
    pkce: { methods: ['S256'], required: () => true },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: dcrScopes,
          audience,
          accessTokenTTL: 120,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    async extraTokenClaims(ctx, token) {
      const client = ctx.oidc.client;
      if (!client || !client.consumer_orgno || token.kind !== 'ClientCredentials') return undefined;
      return {
        consumer: { authority: 'iso6523-actorid-upis', ID: `0192:${client.consumer_orgno}` },
        client_id: client.clientId,
      };
    },
    async findAccount(ctx, id) {
      const account = accounts[id] || { name: id, groups: [] };
      return {
        accountId: id,
        async claims() {
          return { sub: id, name: account.name, groups: account.groups };
        },
      };
    },
    // The ID token carries the claims itself (onboard reads no userinfo).
    conformIdTokenClaims: false,
    ttl: { IdToken: 300, AccessToken: 120, ClientCredentials: 120 },
  });
  provider.proxy = false;
  provider.use(async (ctx, next) => {
    if (ctx.method === 'POST' && ctx.path === '/_tamper') {
      const asked = JSON.parse(await readBody(ctx.req));
      resign('e30.e30.', asked.mode, {});  // an unknown mode fails here, not at the token endpoint
      tamper = { mode: asked.mode, claims: asked.claims || {} };
      ctx.body = { tamper };
      return;
    }
    await next();
    if (tamper && ctx.oidc && ctx.oidc.route === 'token' && ctx.body && ctx.body.id_token) {
      ctx.body = { ...ctx.body, id_token: resign(ctx.body.id_token, tamper.mode, tamper.claims) };
      tamper = null;
    }
  });
  server.on('request', provider.callback());
  fs.writeFileSync(path.join(stateDir, 'port'), String(port));
  console.log(`oidc-provider listening on ${issuer}`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
