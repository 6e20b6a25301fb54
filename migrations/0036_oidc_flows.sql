-- Operators' OpenID Connect sign-ins in progress (issue #17). A row is written when the
-- browser is sent to the identity provider and taken (used_at set, once) by the callback,
-- on whichever instance it arrives. Nothing here lets a reader finish a flow: `state` and
-- the browser's flow cookie are kept only as SHA-256 hashes, and the PKCE verifier is
-- derived from the state with a server key, never stored. The nonce is no secret (the ID
-- token carries it).
CREATE TABLE oidc_flows (
    state_hash   text        NOT NULL,
    binding_hash text        NOT NULL,
    nonce        text        NOT NULL,
    return_to    text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    CONSTRAINT oidc_flows_pkey PRIMARY KEY (state_hash),
    CONSTRAINT oidc_flows_expiry_check CHECK (expires_at > created_at)
);
-- For dropping flows that ended long ago.
CREATE INDEX oidc_flows_expires_idx ON oidc_flows (expires_at);
