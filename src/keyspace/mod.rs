//! The keyspace: the key table, values, databases and expiry.

pub mod db;
pub mod dict;
pub mod digest;
pub mod value;

pub use db::{Db, Entry, NO_EXPIRE};
pub use dict::Dict;
pub use value::{Typed, Value};
