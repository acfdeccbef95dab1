-- Support contacts and service requests (issue 9).

-- The partner's agents who look after a customer. The set has its own version (the ETag of
-- GET/PUT .../supportcontacts), so changing it never makes a customer's own ETag stale.
CREATE TABLE support_contact_sets (
    customer_id TEXT PRIMARY KEY REFERENCES customers(id),
    version     INTEGER NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE support_contacts (
    customer_id TEXT NOT NULL REFERENCES customers(id),
    position    INTEGER NOT NULL, -- the order the PUT listed them in
    agent_id    TEXT NOT NULL REFERENCES agents(id),
    PRIMARY KEY (customer_id, position)
) WITHOUT ROWID;

CREATE TABLE service_requests (
    id               TEXT PRIMARY KEY,
    customer_id      TEXT NOT NULL REFERENCES customers(id),
    title            TEXT NOT NULL,
    description      TEXT NOT NULL,
    severity         TEXT NOT NULL,
    status           TEXT NOT NULL,
    contact_agent_id TEXT REFERENCES agents(id),
    opened_by        TEXT NOT NULL, -- the agent's name as it was then
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    closed_at        TEXT
);
-- Listed newest first per customer (ties in the same second by rowid, which the index holds).
CREATE INDEX service_requests_by_customer ON service_requests (customer_id, created_at);
