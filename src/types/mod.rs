//! Data-structure algorithms with no protocol in them: the command layer parses
//! arguments and writes replies, these modules do the work.

pub mod bitops;
pub mod geo;
pub mod hash;
pub mod hll;
pub mod lcs;
pub mod list;
pub mod listpack;
pub mod set;
pub mod stream;
pub mod stream_group;
pub mod zset;
