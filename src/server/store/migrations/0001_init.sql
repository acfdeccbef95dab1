-- cspdash schema, version 1. Every customer row belongs to exactly one partner; every query
-- filters by partner_id first, which is what keeps partners isolated.

CREATE TABLE partners (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    cloud       TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE agents (
    id         TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners(id),
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    role       TEXT NOT NULL,
    UNIQUE (partner_id, name)
);

-- Only the SHA-256 of a bearer token is kept.
CREATE TABLE tokens (
    hash       TEXT PRIMARY KEY,
    agent_id   TEXT NOT NULL REFERENCES agents(id),
    created_at TEXT NOT NULL
);

CREATE TABLE indirect_resellers (
    id         TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partners(id),
    name       TEXT NOT NULL,
    location   TEXT NOT NULL,
    state      TEXT NOT NULL
);
CREATE INDEX indirect_resellers_partner ON indirect_resellers (partner_id, name);

-- Personalized invitation links: an unguessable code per (partner, indirect reseller or '').
-- A tampered code is simply unknown.
CREATE TABLE invite_links (
    code        TEXT PRIMARY KEY,
    partner_id  TEXT NOT NULL REFERENCES partners(id),
    reseller_id TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    UNIQUE (partner_id, reseller_id)
);

CREATE TABLE customers (
    id                      TEXT PRIMARY KEY,
    partner_id              TEXT NOT NULL REFERENCES partners(id),
    tenant_id               TEXT NOT NULL,
    company_name            TEXT NOT NULL,
    -- lower-cased company name: the sort key and the case-insensitive prefix-search key
    name_key                TEXT NOT NULL,
    domain                  TEXT NOT NULL,
    domain_key              TEXT NOT NULL,
    relationship            TEXT NOT NULL,
    allow_delegated_access  INTEGER NOT NULL,
    allow_customer_purchase INTEGER NOT NULL DEFAULT 0,
    associated_partner_id   TEXT REFERENCES indirect_resellers(id),
    billing_profile         TEXT NOT NULL, -- JSON of api::BillingProfile
    version                 INTEGER NOT NULL DEFAULT 1, -- the ETag
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL
);
-- Keyset paging walks this index: (partner, name, id) > cursor.
CREATE INDEX customers_by_name ON customers (partner_id, name_key, id);
CREATE UNIQUE INDEX customers_by_domain ON customers (partner_id, domain_key);

-- Customer count per partner, kept by triggers: counting 100,000 index entries on every page
-- would cost more than the page itself.
CREATE TABLE customer_counts (
    partner_id TEXT PRIMARY KEY,
    customers  INTEGER NOT NULL
);
CREATE TRIGGER customers_counted_in AFTER INSERT ON customers BEGIN
    INSERT INTO customer_counts (partner_id, customers) VALUES (NEW.partner_id, 1)
        ON CONFLICT (partner_id) DO UPDATE SET customers = customers + 1;
END;
CREATE TRIGGER customers_counted_out AFTER DELETE ON customers BEGIN
    UPDATE customer_counts SET customers = customers - 1 WHERE partner_id = OLD.partner_id;
END;

CREATE TABLE subscriptions (
    id                  TEXT PRIMARY KEY,
    customer_id         TEXT NOT NULL REFERENCES customers(id),
    offer_id            TEXT NOT NULL,
    offer_name          TEXT NOT NULL,
    friendly_name       TEXT NOT NULL,
    quantity            INTEGER NOT NULL,
    unit_type           TEXT NOT NULL,
    status              TEXT NOT NULL,
    auto_renew_enabled  INTEGER NOT NULL,
    billing_cycle       TEXT NOT NULL,
    term_duration       TEXT NOT NULL,
    creation_date       TEXT NOT NULL,
    commitment_end_date TEXT NOT NULL
);
CREATE INDEX subscriptions_by_customer ON subscriptions (customer_id);

CREATE TABLE subscribed_skus (
    customer_id     TEXT NOT NULL REFERENCES customers(id),
    sku_id          TEXT NOT NULL,
    name            TEXT NOT NULL,
    sku_part_number TEXT NOT NULL,
    status          TEXT NOT NULL,
    active_units    INTEGER NOT NULL,
    consumed_units  INTEGER NOT NULL,
    suspended_units INTEGER NOT NULL,
    warning_units   INTEGER NOT NULL,
    PRIMARY KEY (customer_id, sku_id)
);

CREATE TABLE customer_users (
    id                  TEXT PRIMARY KEY,
    customer_id         TEXT NOT NULL REFERENCES customers(id),
    user_principal_name TEXT NOT NULL,
    first_name          TEXT NOT NULL,
    last_name           TEXT NOT NULL,
    display_name        TEXT NOT NULL,
    usage_location      TEXT NOT NULL,
    state               TEXT NOT NULL
);
CREATE INDEX customer_users_by_customer ON customer_users (customer_id, display_name);

-- Replays of a POST with the same MS-RequestId get the first answer back.
CREATE TABLE idempotency_keys (
    partner_id  TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    body_sha256 TEXT NOT NULL,
    status      INTEGER NOT NULL,
    response    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (partner_id, request_id)
);

-- Changes to a partner's customers, for the live event stream (resume by id).
CREATE TABLE events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    partner_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX events_by_partner ON events (partner_id, id);

CREATE TABLE audit_records (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    partner_id    TEXT NOT NULL,
    agent_id      TEXT NOT NULL,
    agent_name    TEXT NOT NULL,
    customer_id   TEXT NOT NULL,
    customer_name TEXT NOT NULL,
    operation     TEXT NOT NULL,
    details       TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX audit_records_by_partner ON audit_records (partner_id, created_at);
