//! The dashboard. STUB: to be written (issue 4).
