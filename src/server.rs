//! The backend (`cspdash serve`): axum routes → handlers → `Store` (SQLite). STUB: being written (issue 3).

pub mod embedded;
