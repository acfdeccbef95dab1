-- When each token was last used (see the SQLite migration 0010): unix seconds, NULL for never.
ALTER TABLE tokens ADD COLUMN last_used_at BIGINT;
