-- Audit records say what changed: the kind of resource and its state before and after, in plain
-- words. Older rows keep their free-text `details` and get empty columns.
ALTER TABLE audit_records ADD COLUMN resource_type TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_records ADD COLUMN value_before TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_records ADD COLUMN value_after TEXT NOT NULL DEFAULT '';
-- The audit log filtered by customer, newest first (keyset on created_at and the row id).
CREATE INDEX audit_records_by_customer ON audit_records (partner_id, customer_id, created_at);
