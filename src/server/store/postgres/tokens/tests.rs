//! Unit tests of the PostgreSQL tokens module (need CSPDASH_TEST_POSTGRES).
