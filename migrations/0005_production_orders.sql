-- Production orders: the owner's request to move a verified test client to production,
-- reviewed by the operator team. Approval creates the production client in the same
-- transaction.

CREATE TABLE production_orders (
    id                      uuid        NOT NULL,
    seq                     bigint      GENERATED ALWAYS AS IDENTITY,
    onboarding_id           uuid        NOT NULL,
    organisation            text        NOT NULL,
    test_client_id          uuid        NOT NULL,
    state                   text        NOT NULL,
    delivery_method         text        NOT NULL,
    delivery_mobile         text,
    delivery_email          text,
    proposed_metadata       jsonb       NOT NULL,
    metadata_diff           jsonb       NOT NULL DEFAULT '[]'::jsonb,
    validation_errors       jsonb       NOT NULL DEFAULT '[]'::jsonb,
    notes                   text        NOT NULL DEFAULT '',
    entered_by              text        NOT NULL,
    entered_by_role         text        NOT NULL,
    entered_by_portal_user  text,
    submitted_at            timestamptz,
    decided_at              timestamptz,
    decided_by              text,
    decision_reason         text,
    production_client_id    uuid,
    version                 integer     NOT NULL DEFAULT 1,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT production_orders_pkey PRIMARY KEY (id),
    CONSTRAINT production_orders_seq_key UNIQUE (seq),
    CONSTRAINT production_orders_onboarding_fkey FOREIGN KEY (onboarding_id) REFERENCES onboardings (id),
    CONSTRAINT production_orders_organisation_fkey FOREIGN KEY (organisation) REFERENCES organisations (orgno),
    CONSTRAINT production_orders_test_client_fkey FOREIGN KEY (test_client_id) REFERENCES clients (client_id),
    CONSTRAINT production_orders_production_client_fkey
        FOREIGN KEY (production_client_id) REFERENCES clients (client_id),
    CONSTRAINT production_orders_state_check
        CHECK (state IN ('draft', 'submitted', 'approved', 'rejected', 'cancelled')),
    CONSTRAINT production_orders_delivery_check CHECK (delivery_method IN ('sms_zip', 'certificate')),
    CONSTRAINT production_orders_approved_has_client
        CHECK (state <> 'approved' OR production_client_id IS NOT NULL)
);
CREATE INDEX production_orders_state_idx ON production_orders (state, submitted_at, seq);
CREATE INDEX production_orders_onboarding_idx ON production_orders (onboarding_id, seq);
-- At most one open (draft or submitted) order per test client.
CREATE UNIQUE INDEX production_orders_open_key ON production_orders (test_client_id)
    WHERE state IN ('draft', 'submitted');

-- The support view finds the newest events of a client, its case and its orders by id.
CREATE INDEX audit_events_target_id_idx ON audit_events (target_id, seq);
