-- Records a started OpenID Connect sign-in ($5: seconds until it expires).
INSERT INTO oidc_flows (state_hash, binding_hash, nonce, return_to, expires_at)
VALUES ($1, $2, $3, $4, now() + $5::int * interval '1 second')
