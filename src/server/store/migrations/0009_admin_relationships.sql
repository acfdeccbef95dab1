-- Granular admin relationships (GDAP), their access assignments, and the partner's security
-- groups (DESIGN.md §3 "Admin relationships"). Times are RFC 3339 UTC like everywhere else; the
-- server's clock (injected, so tests can move it) decides the lifecycle.

CREATE TABLE security_groups (
    id           TEXT PRIMARY KEY,
    partner_id   TEXT NOT NULL REFERENCES partners(id),
    display_name TEXT NOT NULL
);
CREATE INDEX security_groups_by_partner ON security_groups (partner_id, display_name);

CREATE TABLE admin_relationships (
    id               TEXT PRIMARY KEY,
    partner_id       TEXT NOT NULL REFERENCES partners(id),
    customer_id      TEXT NOT NULL REFERENCES customers(id),
    display_name     TEXT NOT NULL,
    -- lower-cased display name: unique per partner, whatever the case
    name_key         TEXT NOT NULL,
    duration_days    INTEGER NOT NULL,
    auto_extend_days INTEGER NOT NULL DEFAULT 0,
    -- JSON array of role template GUIDs, in the order requested
    roles            TEXT NOT NULL,
    -- api::gdap::RelationshipStatus::as_str
    status           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    -- sent for approval (the 90 days of the approval link count from here)
    locked_at        TEXT,
    activated_at     TEXT,
    end_at           TEXT,
    updated_at       TEXT NOT NULL,
    -- the approval link's code (kept after the answer, so a used link says what became of it)
    approval_code    TEXT UNIQUE,
    access_assignment_count INTEGER NOT NULL DEFAULT 0,
    version          INTEGER NOT NULL DEFAULT 1 -- the ETag
);
CREATE UNIQUE INDEX admin_relationships_by_name ON admin_relationships (partner_id, name_key);
CREATE INDEX admin_relationships_by_customer ON admin_relationships (partner_id, customer_id);
-- The admin screen's order: by end date (relationships without one last), then id.
CREATE INDEX admin_relationships_by_end
    ON admin_relationships (partner_id, coalesce(end_at, '9999'), id);
-- Filtered views (status eq ...) in the same order.
CREATE INDEX admin_relationships_by_status_end
    ON admin_relationships (partner_id, status, coalesce(end_at, '9999'), id);
-- The lifecycle sweep finds what is due without reading the rest.
CREATE INDEX admin_relationships_due_active ON admin_relationships (end_at) WHERE status = 'active';
CREATE INDEX admin_relationships_due_pending ON admin_relationships (locked_at)
    WHERE status = 'approvalPending';
CREATE INDEX admin_relationships_due_termination ON admin_relationships (updated_at)
    WHERE status = 'terminationRequested';

CREATE TABLE admin_access_assignments (
    id                TEXT PRIMARY KEY,
    relationship_id   TEXT NOT NULL REFERENCES admin_relationships(id),
    security_group_id TEXT NOT NULL REFERENCES security_groups(id),
    -- JSON array of role template GUIDs (each one the relationship grants)
    roles             TEXT NOT NULL,
    status            TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX admin_access_assignments_by_group
    ON admin_access_assignments (relationship_id, security_group_id);

-- The best of each customer's relationships (api::gdap::AdminAccess), kept in step by the store
-- on every change, so the customers list reads it without a join per row.
ALTER TABLE customers ADD COLUMN admin_status TEXT NOT NULL DEFAULT 'none';
ALTER TABLE customers ADD COLUMN admin_end_at TEXT;
ALTER TABLE customers ADD COLUMN admin_requested_at TEXT;
-- customer{tenantId} names the customer in a new relationship.
CREATE INDEX customers_by_tenant ON customers (partner_id, tenant_id);

-- The customer's answer on the approval page ('approved' or 'declined'; NULL while unanswered),
-- so a used link says which answer it got even after the relationship moved on (a declined and
-- a lapsed request are both `expired`).
ALTER TABLE admin_relationships ADD COLUMN answer TEXT;
