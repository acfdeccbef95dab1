-- Tokens may expire. `expires_at`: unix seconds, NULL for a token that never expires (what
-- `cspdash token create` makes). `idle_secs`: set for a sliding token (the embedded dashboard's),
-- whose `expires_at` moves to now + idle_secs while it is used, so only an abandoned one dies.
ALTER TABLE tokens ADD COLUMN expires_at INTEGER;
ALTER TABLE tokens ADD COLUMN idle_secs INTEGER;
CREATE INDEX tokens_by_expiry ON tokens (expires_at) WHERE expires_at IS NOT NULL;
