-- Browser sessions of the operator console (issue #16). The cookie's value is never stored:
-- only its SHA-256 (it carries 256 random bits, so a fast hash is enough), and the CSRF
-- token is derived from the cookie (HMAC), so it is not stored either. Any instance serves
-- any session: PostgreSQL is the only place they live.
--
-- A session is opened for a person by a sign-in method: `token` (an operator's or
-- auditor's personal API token, token_id set) or `oidc` (single sign-on, issue #17; actor
-- is then `oidc:<iss>#<sub>`). `actor` is who the audit trail and the four-eyes check see.
CREATE TABLE sessions (
    id              uuid        NOT NULL,
    secret_hash     text        NOT NULL,
    method          text        NOT NULL,
    actor           text        NOT NULL,
    display_name    text        NOT NULL,
    role            text        NOT NULL,
    token_id        uuid,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    idle_timeout_s  integer     NOT NULL,
    ended_at        timestamptz,
    end_reason      text,
    source_ip       text,
    user_agent      text,
    CONSTRAINT sessions_pkey PRIMARY KEY (id),
    CONSTRAINT sessions_secret_hash_key UNIQUE (secret_hash),
    CONSTRAINT sessions_method_check CHECK (method IN ('token', 'oidc')),
    CONSTRAINT sessions_role_check CHECK (role IN ('operator', 'auditor')),
    CONSTRAINT sessions_token_method_check CHECK ((method = 'token') = (token_id IS NOT NULL)),
    CONSTRAINT sessions_token_id_fkey FOREIGN KEY (token_id) REFERENCES api_tokens (id),
    CONSTRAINT sessions_idle_timeout_check CHECK (idle_timeout_s > 0),
    CONSTRAINT sessions_end_check CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);
-- Sessions still open, for "who is signed in" and for ending a token's sessions.
CREATE INDEX sessions_open_token_idx ON sessions (token_id) WHERE ended_at IS NULL;
