-- Invitation links that expire, can be rotated, and can be bound to one existing customer.
-- A general link (customer_id '') only creates new customers; a customer-bound link restores that
-- customer's relationship and admin permissions once. `retired` is set when a link is replaced by
-- rotation ('rotated') or spent ('used'); a retired or expired code is answered 410, never reused.
CREATE TABLE invitations (
    code        TEXT PRIMARY KEY,
    partner_id  TEXT NOT NULL REFERENCES partners(id),
    reseller_id TEXT NOT NULL DEFAULT '',
    customer_id TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    retired     TEXT NOT NULL DEFAULT '',
    retired_at  TEXT NOT NULL DEFAULT ''
);
-- The current link of each kind is found by this index.
CREATE INDEX invitations_current ON invitations (partner_id, customer_id, reseller_id, expires_at)
    WHERE retired = '';

-- Links made before expiry existed get 90 days from when they were made: most are dead at once,
-- which is the point (they never expired and were written to debug logs).
INSERT INTO invitations (code, partner_id, reseller_id, customer_id, created_at, expires_at)
SELECT code, partner_id, reseller_id, '', created_at,
       strftime('%Y-%m-%dT%H:%M:%SZ', created_at, '+90 days')
FROM invite_links;
DROP TABLE invite_links;
