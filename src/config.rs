//! The config file (`<config dir>/config.toml`) and its profiles. STUB: to be written (issue 4).
