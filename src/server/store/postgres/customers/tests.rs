//! Unit tests of the PostgreSQL customers module (need CSPDASH_TEST_POSTGRES).
