//! Integration tests for oxidis: each test is a scenario spoken in RESP over
//! TCP to a real server process. Every scenario runs against oxidis and, when
//! it is installed, against `redis-server` too, so each expected reply is
//! verified by Redis itself (set `REQUIRE_REDIS=1` to make a missing
//! redis-server an error). See `support.rs` for the harness.

mod support;

mod aof;
mod aof_propagation;
mod bitmaps;
mod blocking;
mod cli;
mod clients;
mod connection;
mod expire;
mod geo;
mod harness;
mod hashes;
mod hll;
mod keys;
mod latency;
mod lists;
mod notify;
mod persistence;
mod protocol;
mod pubsub;
mod random_ops;
mod server;
mod sets;
mod sort;
mod stream_groups;
mod streams;
mod strings;
mod tracking;
mod transactions;
mod zsets;
