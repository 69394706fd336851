//! Persistence: the RDB file format (snapshots, DUMP/RESTORE payloads).

pub mod rdb;
