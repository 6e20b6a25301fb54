// Signs a private_key_jwt client assertion with the `jose` npm library (an independent
// JOSE implementation) and prints it.
// Usage: node jose_sign.js KEY.pem ALG KID CLIENT_ID AUDIENCE LIFETIME_SECONDS
'use strict';
const fs = require('fs');
const { randomUUID } = require('crypto');
const { importPKCS8, SignJWT } = require('jose');

const [keyFile, alg, kid, clientId, audience, lifetime] = process.argv.slice(2);
(async () => {
  const key = await importPKCS8(fs.readFileSync(keyFile, 'utf8'), alg);
  const now = Math.floor(Date.now() / 1000);
  const jwt = await new SignJWT({})
    .setProtectedHeader({ alg, kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(now + Number(lifetime))
    .setJti(randomUUID())
    .sign(key);
  process.stdout.write(jwt + '\n');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
