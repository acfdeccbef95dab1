-- Users a partner adds, removes and restores, and the licenses they hold.

-- The ETag of a user; when it was removed (restorable for 30 days from then); when it was added.
ALTER TABLE customer_users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE customer_users ADD COLUMN removed_at TEXT;
ALTER TABLE customer_users ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
-- A removed user keeps its sign-in name until it is gone for good, as in Entra ID.
CREATE UNIQUE INDEX customer_users_by_upn
    ON customer_users (customer_id, lower(user_principal_name));

-- One row per license a user holds. Keyed by customer first: a customer's assignments sit
-- together (one range read per customer), and the demo load appends them in customer order.
CREATE TABLE user_licenses (
    customer_id TEXT NOT NULL REFERENCES customers(id),
    user_id     TEXT NOT NULL REFERENCES customer_users(id),
    sku_id      TEXT NOT NULL,
    PRIMARY KEY (customer_id, user_id, sku_id)
) WITHOUT ROWID;

-- subscribed_skus.consumed_units is no longer read: consumed units are counted from the
-- assignments of active users (a stored count could disagree with them). Dropping the column
-- would rewrite the table for nothing.
