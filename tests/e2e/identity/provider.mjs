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
  fs.writeFileSync(keysFile, JSON.stringify({ keys: [jwk] }), { mode: 0o600 });
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
  server.on('request', provider.callback());
  fs.writeFileSync(path.join(stateDir, 'port'), String(port));
  console.log(`oidc-provider listening on ${issuer}`);
});
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
