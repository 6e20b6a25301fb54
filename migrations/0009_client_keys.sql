-- Public keys a client authenticates with (private_key_jwt): enterprise certificates bound
-- to the client and bare JWKs. A removed key keeps its row (removed_at), so the history of
-- which key signed when stays whole.

CREATE TABLE client_keys (
    id            uuid        NOT NULL,
    client_id     uuid        NOT NULL,
    kid           text        NOT NULL,
    kind          text        NOT NULL,
    alg           text        NOT NULL,
    jwk           jsonb       NOT NULL,
    certificate   text,
    thumbprint    text,
    subject       text,
    issuer        text,
    serial        text,
    orgno         text,
    not_before    timestamptz,
    not_after     timestamptz NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text        NOT NULL,
    last_used_at  timestamptz,
    removed_at    timestamptz,
    removed_by    text,
    CONSTRAINT client_keys_pkey PRIMARY KEY (id),
    CONSTRAINT client_keys_client_fkey FOREIGN KEY (client_id) REFERENCES clients (client_id),
    CONSTRAINT client_keys_kind_check CHECK (kind IN ('certificate', 'jwk')),
    CONSTRAINT client_keys_jwk_object CHECK (jsonb_typeof(jwk) = 'object'),
    CONSTRAINT client_keys_certificate_complete
        CHECK (kind <> 'certificate' OR (certificate IS NOT NULL AND thumbprint IS NOT NULL AND not_before IS NOT NULL))
);
-- One live key per kid and client (a removed key may be bound again).
CREATE UNIQUE INDEX client_keys_live_kid_key ON client_keys (client_id, kid) WHERE removed_at IS NULL;
CREATE INDEX client_keys_client_idx ON client_keys (client_id, created_at);

-- Client assertion ids (jti) already accepted, shared by every instance. An entry is
-- needed only until the assertion expires (plus the clock skew); expired entries are purged.
CREATE TABLE assertion_jtis (
    client_id   uuid        NOT NULL,
    jti         text        NOT NULL,
    expires_at  timestamptz NOT NULL,
    CONSTRAINT assertion_jtis_pkey PRIMARY KEY (client_id, jti)
);
CREATE INDEX assertion_jtis_expires_idx ON assertion_jtis (expires_at);
