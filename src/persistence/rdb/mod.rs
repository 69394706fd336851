//! The RDB format, as Redis 7.0 writes and reads it.
//!
//! A file is the magic `REDIS0010`, auxiliary fields, then per database a SELECTDB
//! and RESIZEDB opcode followed by its keys (each optionally preceded by an expiry
//! opcode), then EOF and a little-endian CRC64 (Jones) of everything before it.
//! A DUMP payload is one value (type byte + body) followed by the RDB version as
//! two little-endian bytes and the CRC64 of both.

pub mod decode;
pub mod encode;

pub const VERSION: u16 = 10;

/// Value type bytes.
pub mod kind {
    pub const STRING: u8 = 0;
    pub const LIST: u8 = 1;
    pub const SET: u8 = 2;
    pub const ZSET: u8 = 3;
    pub const HASH: u8 = 4;
    pub const ZSET_2: u8 = 5;
    pub const MODULE_PRE_GA: u8 = 6;
    pub const MODULE_2: u8 = 7;
    pub const HASH_ZIPMAP: u8 = 9;
    pub const LIST_ZIPLIST: u8 = 10;
    pub const SET_INTSET: u8 = 11;
    pub const ZSET_ZIPLIST: u8 = 12;
    pub const HASH_ZIPLIST: u8 = 13;
    pub const LIST_QUICKLIST: u8 = 14;
    pub const STREAM_LISTPACKS: u8 = 15;
    pub const HASH_LISTPACK: u8 = 16;
    pub const ZSET_LISTPACK: u8 = 17;
    pub const LIST_QUICKLIST_2: u8 = 18;
    pub const STREAM_LISTPACKS_2: u8 = 19;
}

/// Opcodes that are not value types.
pub mod op {
    pub const FUNCTION2: u8 = 245;
    pub const FUNCTION_PRE_GA: u8 = 246;
    pub const MODULE_AUX: u8 = 247;
    pub const IDLE: u8 = 248;
    pub const FREQ: u8 = 249;
    pub const AUX: u8 = 250;
    pub const RESIZEDB: u8 = 251;
    pub const EXPIRETIME_MS: u8 = 252;
    pub const EXPIRETIME: u8 = 253;
    pub const SELECTDB: u8 = 254;
    pub const EOF: u8 = 255;
}

/// Length-encoding prefixes (the two top bits of the first byte).
pub(crate) mod len {
    pub const BITS6: u8 = 0;
    pub const BITS14: u8 = 1;
    pub const BITS32: u8 = 0x80;
    pub const BITS64: u8 = 0x81;
    pub const SPECIAL: u8 = 3;
    /// Special string encodings (low six bits after SPECIAL).
    pub const INT8: u8 = 0;
    pub const INT16: u8 = 1;
    pub const INT32: u8 = 2;
    pub const LZF: u8 = 3;
}

/// The CRC64 Redis uses (Jones polynomial, reflected), continued from `crc`.
pub fn crc64(crc: u64, bytes: &[u8]) -> u64 {
    crc64::crc64(crc, bytes)
}

#[cfg(test)]
mod tests;
