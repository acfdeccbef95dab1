//! Thin handlers, one module per resource: authenticate and authorize (extractors), validate into
//! domain values, call the store, answer with api types.

pub mod admin_approval;
pub mod audit;
pub mod customers;
pub mod events;
pub mod gdap;
pub mod invite;
pub mod partner;
pub mod resources;
pub mod support;
pub mod users;
pub mod validate;
pub mod write;
