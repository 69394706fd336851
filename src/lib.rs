//! oxidis: a Redis-compatible server.
//!
//! Map of the crate:
//! - [`config`]: the directive table behind redis.conf, the command line and `CONFIG`.
//! - [`server`]: the event loop (one mio `Poll` owning every socket), clients and timers.
//! - [`protocol`]: the incremental RESP parser and the RESP2/RESP3 reply encoder.
//! - [`keyspace`]: the key table (incremental growth, stable SCAN cursor), databases and expiry.
//! - [`types`]: data-structure algorithms with no protocol in them (bit operations, LCS).
//! - [`commands`]: the declarative command table, dispatch, and one file per command family.
//! - [`error`]: every error a command can answer, mapped to Redis's exact text in one place.
//! - [`util`]: glob matching and Redis's number parsing and formatting rules.

pub mod commands;
pub mod config;
pub mod error;
pub mod keyspace;
pub mod persistence;
pub mod protocol;
pub mod server;
pub mod types;
pub mod util;

/// The Redis version oxidis reports to clients (INFO, HELLO), so that client libraries
/// enable the Redis 7.0 feature set.
pub const REDIS_VERSION: &str = "7.0.15";
