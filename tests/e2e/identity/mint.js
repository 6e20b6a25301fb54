// Mints a JWT access token with the `jose` npm library (independent of onboard's OpenSSL
// code and of oidc-provider) and prints it.
// Usage: node mint.js KEY.pem ALG KID CLAIMS_JSON
// CLAIMS_JSON is the whole claims set; "iat"/"exp" given as offsets are not supported: the
// caller writes absolute NumericDates.
'use strict';
const fs = require('fs');
const { importPKCS8, SignJWT } = require('jose');

const [keyFile, alg, kid, claimsJson] = process.argv.slice(2);
(async () => {
  const key = await importPKCS8(fs.readFileSync(keyFile, 'utf8'), alg);
  const jwt = await new SignJWT(JSON.parse(claimsJson))
    .setProtectedHeader({ alg, kid, typ: 'at+jwt' })
    .sign(key);
  process.stdout.write(jwt + '\n');
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
