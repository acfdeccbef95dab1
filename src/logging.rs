//! Logs go to a file in the state/data dir: the terminal belongs to the UI. STUB: to be written.
