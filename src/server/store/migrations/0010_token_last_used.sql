-- When each token was last used (unix seconds; NULL: never), for `cspdash token list`. Written
-- at most about once a minute per token, alongside the sliding renewal: never once a request.
ALTER TABLE tokens ADD COLUMN last_used_at INTEGER;
