-- Per-database signing keys (continuation tokens, CSRF tokens): kept in the database so every
-- process serving it accepts what another issued. Made on first use, never sent anywhere.
CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
