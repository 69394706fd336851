//! Serializing values and files in the RDB format.

use super::{kind, len, op, VERSION};
use crate::keyspace::value::Value;
use crate::persistence::lzf::Compressor;
use crate::types::hash::Hash;
use crate::types::listpack as lp;
use crate::types::set::{IntSet, Set};
use crate::types::stream::{Stream, StreamId};
use crate::types::stream_group::CGroup;
use crate::util::num;

/// A list is written as listpacks of about this size (Redis's default node size).
const LIST_NODE_BYTES: usize = 8 * 1024;

/// Strings shorter than this are never worth compressing (Redis's rule).
const LZF_MIN_LEN: usize = 21;

/// Appends RDB-encoded items to a byte buffer.
pub struct Encoder {
    pub buf: Vec<u8>,
    /// `rdbcompression`: LZF-compress long strings.
    compress: bool,
    lzf: Option<Box<Compressor>>,
    /// Reused output buffer for compression.
    scratch: Vec<u8>,
}

impl Encoder {
    pub fn new(compress: bool) -> Encoder {
        Encoder {
            buf: Vec::new(),
            compress,
            lzf: None,
            scratch: Vec::new(),
        }
    }

    /// The file header: magic and version.
    pub fn magic(&mut self) {
        self.buf
            .extend_from_slice(format!("REDIS{VERSION:04}").as_bytes());
    }

    pub fn aux(&mut self, name: &str, value: &[u8]) {
        self.buf.push(op::AUX);
        self.string(name.as_bytes());
        self.string(value);
    }

    pub fn select_db(&mut self, db: usize, keys: usize, expires: usize) {
        self.buf.push(op::SELECTDB);
        self.len(db as u64);
        self.buf.push(op::RESIZEDB);
        self.len(keys as u64);
        self.len(expires as u64);
    }

    pub fn expire_ms(&mut self, at_ms: i64) {
        self.buf.push(op::EXPIRETIME_MS);
        self.buf.extend_from_slice(&at_ms.to_le_bytes());
    }

    /// One key: type byte, key, value body.
    pub fn key_value(&mut self, key: &[u8], value: &Value) {
        self.buf.push(value_kind(value));
        self.string(key);
        self.value(value);
    }

    /// The EOF opcode alone (a background save's writer adds the checksum).
    pub fn eof_marker(&mut self) {
        self.buf.push(op::EOF);
    }

    /// EOF opcode and the checksum of everything before it, continuing `crc`
    /// (the CRC of earlier chunks; 0 with `rdbchecksum no`, as Redis writes).
    pub fn eof(&mut self, crc: u64, checksum: bool) {
        self.buf.push(op::EOF);
        let crc = if checksum {
            super::crc64(crc, &self.buf)
        } else {
            0
        };
        self.buf.extend_from_slice(&crc.to_le_bytes());
    }

    /// A length in RDB's variable-size encoding.
    pub fn len(&mut self, n: u64) {
        if n < 1 << 6 {
            self.buf.push((len::BITS6 << 6) | n as u8);
        } else if n < 1 << 14 {
            self.buf.push((len::BITS14 << 6) | (n >> 8) as u8);
            self.buf.push(n as u8);
        } else if n <= u32::MAX as u64 {
            self.buf.push(len::BITS32);
            self.buf.extend_from_slice(&(n as u32).to_be_bytes());
        } else {
            self.buf.push(len::BITS64);
            self.buf.extend_from_slice(&n.to_be_bytes());
        }
    }

    /// A string, as an integer when it is one that fits 32 bits, LZF-compressed
    /// when long and compressible, else raw.
    pub fn string(&mut self, s: &[u8]) {
        if s.len() <= 11 {
            if let Some(n) = num::parse_i64(s) {
                if self.int_string(n) {
                    return;
                }
            }
        }
        if self.compress && s.len() >= LZF_MIN_LEN && self.lzf_string(s) {
            return;
        }
        self.len(s.len() as u64);
        self.buf.extend_from_slice(s);
    }

    /// An integer string; false if it needs more than 32 bits.
    fn int_string(&mut self, n: i64) -> bool {
        let special = len::SPECIAL << 6;
        if let Ok(v) = i8::try_from(n) {
            self.buf.push(special | len::INT8);
            self.buf.extend_from_slice(&v.to_le_bytes());
        } else if let Ok(v) = i16::try_from(n) {
            self.buf.push(special | len::INT16);
            self.buf.extend_from_slice(&v.to_le_bytes());
        } else if let Ok(v) = i32::try_from(n) {
            self.buf.push(special | len::INT32);
            self.buf.extend_from_slice(&v.to_le_bytes());
        } else {
            return false;
        }
        true
    }

    /// LZF form; false when compression would not save at least four bytes
    /// (Redis's rule).
    fn lzf_string(&mut self, s: &[u8]) -> bool {
        let lzf = self.lzf.get_or_insert_with(Box::default);
        let mut packed = std::mem::take(&mut self.scratch);
        packed.clear();
        let fits = lzf.compress(s, &mut packed, s.len() - 4);
        if fits {
            self.buf.push((len::SPECIAL << 6) | len::LZF);
            self.len(packed.len() as u64);
            self.len(s.len() as u64);
            self.buf.extend_from_slice(&packed);
        }
        self.scratch = packed;
        fits
    }

    fn int_value(&mut self, n: i64) {
        if !self.int_string(n) {
            let mut digits = Vec::with_capacity(20);
            num::fmt_i64(n, &mut digits);
            self.len(digits.len() as u64);
            self.buf.extend_from_slice(&digits);
        }
    }

    /// A value's body (what follows its type byte and key).
    pub fn value(&mut self, value: &Value) {
        match value {
            Value::Int(n) => self.int_value(*n),
            Value::Str(s) | Value::Raw(s) => self.string(s),
            Value::List(list) => {
                // QUICKLIST_2: packed nodes (container 2), each a listpack.
                let mut nodes = Vec::new();
                let mut node = lp::new();
                for item in list.iter() {
                    item.with_bytes(|b| lp::append_str(&mut node, b));
                    if node.len() >= LIST_NODE_BYTES {
                        nodes.push(std::mem::replace(&mut node, lp::new()));
                    }
                }
                if nodes.is_empty() || lp::len(&node) > 0 {
                    nodes.push(node);
                }
                self.len(nodes.len() as u64);
                for node in nodes {
                    self.len(QUICKLIST_PACKED);
                    self.string(&node);
                }
            }
            Value::Set(Set::Ints(ints)) => self.string(&intset_bytes(ints)),
            Value::Set(set) => {
                self.len(set.len() as u64);
                for m in set.iter() {
                    self.string(&m.to_bytes());
                }
            }
            Value::Hash(hash @ Hash::Pack(_)) => {
                let mut node = lp::new();
                for (field, value) in hash.iter() {
                    lp::append_str(&mut node, field);
                    lp::append_str(&mut node, value);
                }
                self.string(&node);
            }
            Value::Hash(hash) => {
                self.len(hash.len() as u64);
                for (field, value) in hash.iter() {
                    self.string(field);
                    self.string(value);
                }
            }
            Value::ZSet(zset) if zset.encoding() == "listpack" => {
                let mut node = lp::new();
                zset.visit(0, zset.len(), false, &mut |member, score| {
                    lp::append_str(&mut node, member);
                    lp::append_str(&mut node, num::fmt_double(score).as_bytes());
                });
                self.string(&node);
            }
            Value::ZSet(zset) => {
                self.len(zset.len() as u64);
                // Highest score first, so a loader appending at the head builds
                // the skiplist in order (Redis writes ZSET_2 this way).
                zset.visit(0, zset.len(), true, &mut |member, score| {
                    self.string(member);
                    self.buf.extend_from_slice(&score.to_le_bytes());
                });
            }
            Value::Stream(stream) => self.stream(stream),
        }
    }

    fn id(&mut self, id: StreamId) {
        self.len(id.ms);
        self.len(id.seq);
    }

    /// STREAM_LISTPACKS_2: the nodes as they are (master id, listpack), the
    /// stream's counters, then every consumer group with its PEL and consumers.
    fn stream(&mut self, s: &Stream) {
        self.len(s.nodes().count() as u64);
        for (master, node) in s.nodes() {
            self.string(&master.to_be_bytes());
            self.string(node);
        }
        self.len(s.length);
        self.id(s.last_id);
        self.id(s.first_id);
        self.id(s.max_deleted_id);
        self.len(s.entries_added);
        self.len(s.groups.len() as u64);
        for (name, g) in s.groups.iter() {
            self.string(name);
            self.id(g.last_id);
            // -1 (unknown) is written as its 64-bit pattern, as Redis does.
            self.len(g.entries_read as u64);
            self.group_pels(g);
        }
    }

    fn group_pels(&mut self, g: &CGroup) {
        self.len(g.pel.len() as u64);
        for (id, nack) in &g.pel {
            self.buf.extend_from_slice(&id.to_be_bytes());
            self.buf
                .extend_from_slice(&nack.delivery_time.to_le_bytes());
            self.len(nack.delivery_count);
        }
        self.len(g.consumers.len() as u64);
        for (name, c) in &g.consumers {
            self.string(name);
            self.buf.extend_from_slice(&c.seen_time.to_le_bytes());
            self.len(c.pel.len() as u64);
            for id in &c.pel {
                self.buf.extend_from_slice(&id.to_be_bytes());
            }
        }
    }
}

/// Quicklist node containers.
pub const QUICKLIST_PLAIN: u64 = 1;
pub const QUICKLIST_PACKED: u64 = 2;

/// The type byte a value is written with.
pub fn value_kind(value: &Value) -> u8 {
    match value {
        Value::Int(_) | Value::Str(_) | Value::Raw(_) => kind::STRING,
        Value::List(_) => kind::LIST_QUICKLIST_2,
        Value::Set(Set::Ints(_)) => kind::SET_INTSET,
        Value::Set(_) => kind::SET,
        Value::Hash(Hash::Pack(_)) => kind::HASH_LISTPACK,
        Value::Hash(_) => kind::HASH,
        Value::ZSet(z) if z.encoding() == "listpack" => kind::ZSET_LISTPACK,
        Value::ZSet(_) => kind::ZSET_2,
        Value::Stream(_) => kind::STREAM_LISTPACKS_2,
    }
}

/// Redis's intset blob: element width in bytes (u32 LE), count (u32 LE), then the
/// sorted elements little-endian.
pub fn intset_bytes(ints: &IntSet) -> Vec<u8> {
    let (width, count) = match ints {
        IntSet::W16(v) => (2u32, v.len()),
        IntSet::W32(v) => (4, v.len()),
        IntSet::W64(v) => (8, v.len()),
    };
    let mut out = Vec::with_capacity(8 + width as usize * count);
    out.extend_from_slice(&width.to_le_bytes());
    out.extend_from_slice(&(count as u32).to_le_bytes());
    match ints {
        IntSet::W16(v) => v
            .iter()
            .for_each(|n| out.extend_from_slice(&n.to_le_bytes())),
        IntSet::W32(v) => v
            .iter()
            .for_each(|n| out.extend_from_slice(&n.to_le_bytes())),
        IntSet::W64(v) => v
            .iter()
            .for_each(|n| out.extend_from_slice(&n.to_le_bytes())),
    }
    out
}

/// A DUMP payload: type byte, body, RDB version (2 bytes LE), CRC64 of all that.
pub fn dump_payload(value: &Value, compress: bool) -> Vec<u8> {
    let mut e = Encoder::new(compress);
    e.buf.push(value_kind(value));
    e.value(value);
    e.buf.extend_from_slice(&VERSION.to_le_bytes());
    let crc = super::crc64(0, &e.buf);
    e.buf.extend_from_slice(&crc.to_le_bytes());
    e.buf
}
