//! Reading RDB files and DUMP payloads.
//!
//! Everything read comes from a file or a client, so every length is checked
//! against what is left before anything is allocated, every blob is validated
//! before use, and a problem is an error naming what is wrong and where.

use super::{kind, len, op};
use crate::config::Config;
use crate::keyspace::value::Value;
use crate::types::listpack as lp;
use crate::types::stream::{self, Stream, StreamId};
use crate::types::stream_group::{Consumer, Nack, StreamMeta};
use crate::types::{hash, list::List, set::Set, zset};
use crate::util::num;
use std::io::Read;
use std::sync::Arc;

/// What is wrong with the input, and at which byte offset.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    pub offset: u64,
    pub what: String,
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at offset {}", self.what, self.offset)
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// The error for a collection with no elements (skipped by file loads).
pub const EMPTY_KEY: &str = "empty collection";

/// Encoding thresholds for building loaded values (the `*-max-*` settings), so a
/// loaded value has the encoding Redis would give it.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub hash: hash::Limits,
    pub zset: zset::Limits,
    pub set_max_intset: u64,
    pub list_fill: i32,
}

impl Limits {
    pub fn from_config(c: &Config) -> Limits {
        Limits {
            hash: hash::Limits {
                max_entries: c.hash_max_listpack_entries as usize,
                max_value: c.hash_max_listpack_value as usize,
            },
            zset: zset::Limits {
                entries: c.zset_max_listpack_entries as usize,
                value: c.zset_max_listpack_value as usize,
            },
            set_max_intset: c.set_max_intset_entries,
            list_fill: c.list_max_listpack_size,
        }
    }
}

/// A byte source that tracks its offset, the bytes left and the running CRC64.
pub struct Decoder<R> {
    src: R,
    offset: u64,
    /// Bytes left in the input: no length read from it may exceed this.
    left: u64,
    pub crc: u64,
}

impl<R: Read> Decoder<R> {
    pub fn new(src: R, size: u64) -> Decoder<R> {
        Decoder {
            src,
            offset: 0,
            left: size,
            crc: 0,
        }
    }

    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// The source, positioned just after what was decoded.
    pub fn into_inner(self) -> R {
        self.src
    }

    pub fn error<T>(&self, what: impl Into<String>) -> Result<T> {
        Err(Error {
            offset: self.offset,
            what: what.into(),
        })
    }

    pub fn bytes(&mut self, n: u64) -> Result<Vec<u8>> {
        if n > self.left {
            return self.error(format!("length {n} past the end of the input"));
        }
        let mut buf = vec![0; n as usize];
        self.fill(&mut buf)?;
        Ok(buf)
    }

    pub fn fill(&mut self, buf: &mut [u8]) -> Result<()> {
        if buf.len() as u64 > self.left {
            return self.error("unexpected end of input");
        }
        if let Err(e) = self.src.read_exact(buf) {
            return self.error(format!("read error: {e}"));
        }
        self.crc = super::crc64(self.crc, buf);
        self.offset += buf.len() as u64;
        self.left -= buf.len() as u64;
        Ok(())
    }

    pub fn u8(&mut self) -> Result<u8> {
        let mut b = [0u8; 1];
        self.fill(&mut b)?;
        Ok(b[0])
    }

    pub fn u64_le(&mut self) -> Result<u64> {
        let mut b = [0u8; 8];
        self.fill(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    pub fn u64_be(&mut self) -> Result<u64> {
        let mut b = [0u8; 8];
        self.fill(&mut b)?;
        Ok(u64::from_be_bytes(b))
    }

    /// A length, or the special-encoding number when the prefix says so.
    fn len_or_special(&mut self) -> Result<(u64, bool)> {
        let first = self.u8()?;
        match first >> 6 {
            len::BITS6 => Ok(((first & 0x3f) as u64, false)),
            len::BITS14 => Ok(((((first & 0x3f) as u64) << 8) | self.u8()? as u64, false)),
            len::SPECIAL => Ok(((first & 0x3f) as u64, true)),
            _ => match first {
                len::BITS32 => {
                    let mut b = [0u8; 4];
                    self.fill(&mut b)?;
                    Ok((u32::from_be_bytes(b) as u64, false))
                }
                len::BITS64 => Ok((self.u64_be()?, false)),
                _ => self.error(format!("unknown length encoding {first:#04x}")),
            },
        }
    }

    pub fn length(&mut self) -> Result<u64> {
        match self.len_or_special()? {
            (n, false) => Ok(n),
            _ => self.error("string encoding where a length was expected"),
        }
    }

    /// A count of items that each take at least `min_bytes` of input: bounded by
    /// what is left, so a corrupt count cannot trigger a huge allocation.
    pub fn count(&mut self, min_bytes: u64) -> Result<u64> {
        let n = self.length()?;
        if n.saturating_mul(min_bytes) > self.left {
            return self.error(format!("count {n} larger than the input"));
        }
        Ok(n)
    }

    pub fn string(&mut self) -> Result<Vec<u8>> {
        let (n, special) = self.len_or_special()?;
        if !special {
            return self.bytes(n);
        }
        let mut digits = Vec::with_capacity(11);
        match n as u8 {
            len::INT8 => num::fmt_i64(self.u8()? as i8 as i64, &mut digits),
            len::INT16 => {
                let mut b = [0u8; 2];
                self.fill(&mut b)?;
                num::fmt_i64(i16::from_le_bytes(b) as i64, &mut digits)
            }
            len::INT32 => {
                let mut b = [0u8; 4];
                self.fill(&mut b)?;
                num::fmt_i64(i32::from_le_bytes(b) as i64, &mut digits)
            }
            len::LZF => return self.lzf_string(),
            other => return self.error(format!("unknown string encoding {other}")),
        }
        Ok(digits)
    }

    fn lzf_string(&mut self) -> Result<Vec<u8>> {
        let packed_len = self.length()?;
        let plain_len = self.length()?;
        let packed = self.bytes(packed_len)?;
        // A compressed byte expands to at most a few hundred: a bound that stops a
        // corrupt length from allocating gigabytes.
        // One LZF back reference (3 bytes) expands to at most 264 bytes.
        if plain_len == 0 || plain_len > packed_len.saturating_mul(88) {
            return self.error("invalid LZF lengths");
        }
        match crate::persistence::lzf::decompress(&packed, plain_len as usize) {
            Some(plain) => Ok(plain),
            None => self.error("invalid LZF data"),
        }
    }

    /// An 8-byte little-endian IEEE double (ZSET_2).
    fn binary_double(&mut self) -> Result<f64> {
        Ok(f64::from_bits(self.u64_le()?))
    }

    /// A double as text with a one-byte length (old ZSET type); 253-255 are
    /// NaN, +inf and -inf.
    fn text_double(&mut self) -> Result<f64> {
        let n = self.u8()?;
        match n {
            253 => Ok(f64::NAN),
            254 => Ok(f64::INFINITY),
            255 => Ok(f64::NEG_INFINITY),
            _ => {
                let text = self.bytes(n as u64)?;
                match std::str::from_utf8(&text).ok().and_then(|t| t.parse().ok()) {
                    Some(d) => Ok(d),
                    None => self.error("invalid double"),
                }
            }
        }
    }

    /// A value of type `kind`.
    pub fn value(&mut self, kind: u8, lim: &Limits) -> Result<Value> {
        let value = match kind {
            kind::STRING => Value::string(self.string()?),
            kind::LIST => {
                let n = self.count(1)?;
                let mut list = List::with_fill(lim.list_fill);
                for _ in 0..n {
                    list.push_back(&self.string()?);
                }
                Value::List(Box::new(list))
            }
            kind::SET => {
                let n = self.count(1)?;
                let mut set = Set::new_intset();
                for _ in 0..n {
                    let m = self.string()?;
                    if !set.add(&m, lim.set_max_intset) {
                        return self.error("duplicate set member");
                    }
                }
                Value::Set(set)
            }
            kind::ZSET | kind::ZSET_2 => {
                let n = self.count(2)?;
                let mut items = Vec::with_capacity((n as usize).min(1024));
                for _ in 0..n {
                    let m = self.string()?;
                    let s = if kind == kind::ZSET_2 {
                        self.binary_double()?
                    } else {
                        self.text_double()?
                    };
                    if s.is_nan() {
                        return self.error("NaN score in sorted set");
                    }
                    items.push((m, s));
                }
                self.zset_from(items, lim)?
            }
            kind::HASH => {
                let n = self.count(2)?;
                let mut h = hash::Hash::new();
                for _ in 0..n {
                    let f = self.string()?;
                    let v = self.string()?;
                    if !h.set(&f, &v, lim.hash) {
                        return self.error("duplicate hash field");
                    }
                }
                Value::Hash(h)
            }
            kind::SET_INTSET => {
                let blob = self.string()?;
                let members = match intset_members(&blob) {
                    Some(m) => m,
                    None => return self.error("invalid intset"),
                };
                let mut set = Set::new_intset();
                let mut digits = Vec::with_capacity(20);
                for n in members {
                    digits.clear();
                    num::fmt_i64(n, &mut digits);
                    set.add(&digits, lim.set_max_intset);
                }
                Value::Set(set)
            }
            kind::LIST_ZIPLIST => {
                let items = self.packed(ziplist_entries, "invalid ziplist")?;
                let mut list = List::with_fill(lim.list_fill);
                items.iter().for_each(|i| list.push_back(i));
                Value::List(Box::new(list))
            }
            kind::LIST_QUICKLIST => {
                let n = self.count(1)?;
                let mut list = List::with_fill(lim.list_fill);
                for _ in 0..n {
                    let items = self.packed(ziplist_entries, "invalid quicklist ziplist node")?;
                    items.iter().for_each(|i| list.push_back(i));
                }
                Value::List(Box::new(list))
            }
            kind::ZSET_ZIPLIST => {
                let items = self.packed(ziplist_entries, "invalid ziplist")?;
                self.zset_from_pairs(items, lim)?
            }
            kind::HASH_ZIPLIST => {
                let items = self.packed(ziplist_entries, "invalid ziplist")?;
                self.hash_from_pairs(items, lim)?
            }
            kind::HASH_LISTPACK => {
                let items = self.packed(listpack_items, "invalid listpack")?;
                self.hash_from_pairs(items, lim)?
            }
            kind::ZSET_LISTPACK => {
                let items = self.packed(listpack_items, "invalid listpack")?;
                self.zset_from_pairs(items, lim)?
            }
            kind::LIST_QUICKLIST_2 => {
                let n = self.count(2)?;
                let mut list = List::with_fill(lim.list_fill);
                for _ in 0..n {
                    let container = self.length()?;
                    let blob = self.string()?;
                    match container {
                        super::encode::QUICKLIST_PLAIN => list.push_back(&blob),
                        super::encode::QUICKLIST_PACKED => {
                            let Some(items) = listpack_items(&blob) else {
                                return self.error("invalid quicklist listpack node");
                            };
                            items.iter().for_each(|i| list.push_back(i));
                        }
                        other => return self.error(format!("unknown quicklist container {other}")),
                    }
                }
                Value::List(Box::new(list))
            }
            kind::STREAM_LISTPACKS | kind::STREAM_LISTPACKS_2 => {
                Value::Stream(Box::new(self.stream(kind == kind::STREAM_LISTPACKS_2)?))
            }
            kind::HASH_ZIPMAP => {
                let items = self.packed(zipmap_entries, "invalid zipmap")?;
                self.hash_from_pairs(items, lim)?
            }
            other => return self.error(format!("unknown value type {other}")),
        };
        // Redis never stores an empty collection: such a key is skipped when a
        // file is loaded, and RESTORE refuses it (the value was read whole).
        let empty = match &value {
            Value::List(l) => l.is_empty(),
            Value::Set(x) => x.is_empty(),
            Value::Hash(h) => h.is_empty(),
            Value::ZSet(z) => z.is_empty(),
            _ => false,
        };
        if empty {
            return self.error(EMPTY_KEY);
        }
        Ok(value)
    }

    /// A string holding a packed encoding, decoded by `items` into its elements.
    fn packed(
        &mut self,
        items: fn(&[u8]) -> Option<Vec<Vec<u8>>>,
        what: &str,
    ) -> Result<Vec<Vec<u8>>> {
        let blob = self.string()?;
        match items(&blob) {
            Some(items) => Ok(items),
            None => self.error(what),
        }
    }

    fn id(&mut self) -> Result<StreamId> {
        Ok(StreamId {
            ms: self.length()?,
            seq: self.length()?,
        })
    }

    fn raw_id(&mut self) -> Result<StreamId> {
        let mut b = [0u8; 16];
        self.fill(&mut b)?;
        Ok(id_from_be(&b))
    }

    fn ms_time(&mut self) -> Result<i64> {
        Ok(self.u64_le()? as i64)
    }

    /// A stream (types 15 and 19): nodes, counters, consumer groups. Every node
    /// is checked as Redis's deep integrity check would, and the PELs must agree.
    fn stream(&mut self, v2: bool) -> Result<Stream> {
        let mut s = Stream::new();
        let nodes = self.count(2)?;
        let mut live: u64 = 0;
        let mut prev: Option<StreamId> = None;
        for _ in 0..nodes {
            let key = self.string()?;
            let Ok(key) = <[u8; 16]>::try_from(key.as_slice()) else {
                return self.error("stream node key is not a 128-bit id");
            };
            let master = id_from_be(&key);
            let node = self.string()?;
            if !stream::validate_node(&node) || lp::first(&node).is_none() {
                return self.error("invalid stream node listpack");
            }
            if prev.is_some_and(|p| p >= master) {
                return self.error("stream nodes out of order");
            }
            prev = Some(master);
            live += lp::get_int(&node, lp::HEADER).max(0) as u64;
            s.push_node(master, node);
        }
        s.length = self.length()?;
        if s.length != live {
            return self.error("stream length does not match its nodes");
        }
        s.last_id = self.id()?;
        if v2 {
            s.first_id = self.id()?;
            s.max_deleted_id = self.id()?;
            s.entries_added = self.length()?;
        } else {
            s.first_id = s.first_live_id().unwrap_or_default();
            s.entries_added = s.length;
        }
        let meta = StreamMeta {
            length: s.length,
            last_id: s.last_id,
            first_id: s.first_id,
            max_deleted_id: s.max_deleted_id,
            entries_added: s.entries_added,
        };
        let groups = self.count(3)?;
        for _ in 0..groups {
            let name = self.string()?;
            let last_id = self.id()?;
            let entries_read = if v2 {
                self.length()? as i64
            } else {
                meta.estimate_entries_read(last_id)
            };
            if !s.groups.create(&name, last_id, entries_read) {
                return self.error("duplicate consumer group");
            }
            let pending = self.count(16 + 8 + 1)?;
            let mut pel = std::collections::BTreeMap::new();
            let nobody: Arc<[u8]> = Arc::from(&b""[..]);
            for _ in 0..pending {
                let id = self.raw_id()?;
                let delivery_time = self.ms_time()?;
                let delivery_count = self.length()?;
                let nack = Nack {
                    delivery_time,
                    delivery_count,
                    consumer: nobody.clone(),
                };
                if pel.insert(id, nack).is_some() {
                    return self.error("duplicate pending entry");
                }
            }
            let consumers = self.count(1 + 8 + 1)?;
            let mut table = std::collections::BTreeMap::new();
            let mut owned_ids = std::collections::BTreeSet::new();
            for _ in 0..consumers {
                let cname: Arc<[u8]> = Arc::from(self.string()?);
                let seen_time = self.ms_time()?;
                let owned = self.count(16)?;
                let mut c = Consumer {
                    seen_time,
                    pel: Default::default(),
                };
                for _ in 0..owned {
                    let id = self.raw_id()?;
                    // Each pending entry belongs to exactly one consumer.
                    match pel.get_mut(&id) {
                        Some(n) if owned_ids.insert(id) => {
                            n.consumer = cname.clone();
                            c.pel.insert(id);
                        }
                        _ => return self.error("consumer PEL entry not in the group PEL"),
                    }
                }
                if table.insert(cname, c).is_some() {
                    return self.error("duplicate consumer");
                }
            }
            if owned_ids.len() != pel.len() {
                return self.error("pending entry without a consumer");
            }
            if let Some(g) = s.groups.get_mut(&name) {
                g.pel = pel;
                g.consumers = table;
            }
        }
        Ok(s)
    }

    fn zset_from(&self, items: Vec<(Vec<u8>, f64)>, lim: &Limits) -> Result<Value> {
        let n = items.len();
        let z = zset::ZSet::from_elements(items, lim.zset);
        if z.len() != n {
            return self.error("duplicate sorted set member");
        }
        Ok(Value::ZSet(Box::new(z)))
    }

    /// A sorted set from a flat member, score, member, score... list.
    fn zset_from_pairs(&self, items: Vec<Vec<u8>>, lim: &Limits) -> Result<Value> {
        if !items.len().is_multiple_of(2) {
            return self.error("sorted set blob with an odd item count");
        }
        let mut pairs = Vec::with_capacity(items.len() / 2);
        let mut it = items.into_iter();
        while let (Some(m), Some(s)) = (it.next(), it.next()) {
            match num::parse_f64(&s) {
                Some(s) if !s.is_nan() => pairs.push((m, s)),
                _ => return self.error("invalid sorted set score"),
            }
        }
        self.zset_from(pairs, lim)
    }

    /// A hash from a flat field, value, field, value... list.
    fn hash_from_pairs(&self, items: Vec<Vec<u8>>, lim: &Limits) -> Result<Value> {
        if !items.len().is_multiple_of(2) {
            return self.error("hash blob with an odd item count");
        }
        let mut h = hash::Hash::new();
        for pair in items.chunks(2) {
            if !h.set(&pair[0], &pair[1], lim.hash) {
                return self.error("duplicate hash field");
            }
        }
        Ok(Value::Hash(h))
    }
}

fn id_from_be(b: &[u8; 16]) -> StreamId {
    let (ms, seq) = b.split_at(8);
    StreamId {
        ms: u64::from_be_bytes(ms.try_into().unwrap_or_default()),
        seq: u64::from_be_bytes(seq.try_into().unwrap_or_default()),
    }
}

/// The elements of a listpack blob as bytes, after checking its structure.
pub fn listpack_items(blob: &[u8]) -> Option<Vec<Vec<u8>>> {
    if !lp::validate(blob) {
        return None;
    }
    let mut out = Vec::new();
    let mut p = lp::first(blob);
    while let Some(at) = p {
        out.push(lp::get(blob, at).to_vec());
        p = lp::next(blob, at);
    }
    Some(out)
}

/// The members of an intset blob, checked: known width, exact size, strictly
/// ascending.
pub fn intset_members(blob: &[u8]) -> Option<Vec<i64>> {
    let width = u32::from_le_bytes(blob.get(0..4)?.try_into().ok()?) as usize;
    let count = u32::from_le_bytes(blob.get(4..8)?.try_into().ok()?) as usize;
    if ![2, 4, 8].contains(&width) || blob.len() != 8 + width.checked_mul(count)? || count == 0 {
        return None;
    }
    let members: Vec<i64> = blob[8..]
        .chunks_exact(width)
        .map(|c| match width {
            2 => i16::from_le_bytes([c[0], c[1]]) as i64,
            4 => i32::from_le_bytes([c[0], c[1], c[2], c[3]]) as i64,
            _ => i64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]),
        })
        .collect();
    members.windows(2).all(|w| w[0] < w[1]).then_some(members)
}

/// The entries of a ziplist (the pre-7.0 packed encoding), rendered as bytes,
/// validating every header and length.
pub fn ziplist_entries(blob: &[u8]) -> Option<Vec<Vec<u8>>> {
    let total = u32::from_le_bytes(blob.get(0..4)?.try_into().ok()?) as usize;
    if total != blob.len() || blob.len() < 11 || *blob.last()? != 0xff {
        return None;
    }
    let mut pos = 10;
    let mut out = Vec::new();
    let mut digits = Vec::new();
    while *blob.get(pos)? != 0xff {
        // prevlen: one byte, or 0xfe and four more.
        pos += if blob[pos] == 0xfe { 5 } else { 1 };
        let enc = *blob.get(pos)?;
        let (hdr, int): (usize, Option<i64>) = match enc >> 6 {
            0 => {
                let n = (enc & 0x3f) as usize;
                out.push(blob.get(pos + 1..pos + 1 + n)?.to_vec());
                pos += 1 + n;
                continue;
            }
            1 => {
                let n = (((enc & 0x3f) as usize) << 8) | *blob.get(pos + 1)? as usize;
                out.push(blob.get(pos + 2..pos + 2 + n)?.to_vec());
                pos += 2 + n;
                continue;
            }
            2 => {
                let n = u32::from_be_bytes(blob.get(pos + 1..pos + 5)?.try_into().ok()?) as usize;
                out.push(
                    blob.get(pos + 5..pos.checked_add(5)?.checked_add(n)?)?
                        .to_vec(),
                );
                pos += 5 + n;
                continue;
            }
            _ => match enc {
                0xc0 => (
                    3,
                    Some(i16::from_le_bytes(blob.get(pos + 1..pos + 3)?.try_into().ok()?) as i64),
                ),
                0xd0 => (
                    5,
                    Some(i32::from_le_bytes(blob.get(pos + 1..pos + 5)?.try_into().ok()?) as i64),
                ),
                0xe0 => (
                    9,
                    Some(i64::from_le_bytes(
                        blob.get(pos + 1..pos + 9)?.try_into().ok()?,
                    )),
                ),
                0xf0 => {
                    let b = blob.get(pos + 1..pos + 4)?;
                    (
                        4,
                        Some((i32::from_le_bytes([0, b[0], b[1], b[2]]) >> 8) as i64),
                    )
                }
                0xfe => (2, Some(*blob.get(pos + 1)? as i8 as i64)),
                0xf1..=0xfd => (1, Some((enc & 0x0f) as i64 - 1)),
                _ => return None,
            },
        };
        if let Some(n) = int {
            digits.clear();
            num::fmt_i64(n, &mut digits);
            out.push(digits.clone());
        }
        pos += hdr;
        if pos >= blob.len() {
            return None;
        }
    }
    (pos == blob.len() - 1).then_some(out)
}

/// The field/value items of a zipmap (the pre-2.6 hash encoding).
pub fn zipmap_entries(blob: &[u8]) -> Option<Vec<Vec<u8>>> {
    let mut pos = 1;
    let mut out = Vec::new();
    loop {
        let first = *blob.get(pos)?;
        if first == 0xff {
            break;
        }
        let (n, hdr) = match first {
            254 => (
                u32::from_le_bytes(blob.get(pos + 1..pos + 5)?.try_into().ok()?) as usize,
                5,
            ),
            n => (n as usize, 1),
        };
        pos += hdr;
        let is_value = !out.len().is_multiple_of(2);
        let free = if is_value {
            pos += 1;
            *blob.get(pos - 1)? as usize
        } else {
            0
        };
        out.push(blob.get(pos..pos.checked_add(n)?)?.to_vec());
        pos += n + free;
    }
    (out.len().is_multiple_of(2) && pos == blob.len() - 1).then_some(out)
}

/// Checks a DUMP payload's footer (RDB version and CRC64) and returns its body.
pub fn check_payload(payload: &[u8]) -> Option<&[u8]> {
    if payload.len() < 10 {
        return None;
    }
    let (data, crc) = payload.split_at(payload.len() - 8);
    let version = u16::from_le_bytes([data[data.len() - 2], data[data.len() - 1]]);
    if version > super::VERSION {
        return None;
    }
    let expected = u64::from_le_bytes(crc.try_into().ok()?);
    (super::crc64(0, data) == expected).then(|| &data[..data.len() - 2])
}

/// One loaded key.
pub struct LoadedKey {
    pub db: usize,
    pub key: Vec<u8>,
    pub value: Value,
    pub expire_ms: Option<i64>,
}

/// Reads a whole RDB stream, handing each key to `sink`. Aux fields are passed to
/// `aux` (name, value). Checks the trailing checksum when it is not zero.
pub fn load<R: Read>(
    d: &mut Decoder<R>,
    lim: &Limits,
    mut aux: impl FnMut(&[u8], &[u8]),
    mut sink: impl FnMut(LoadedKey) -> Result<()>,
) -> Result<()> {
    let mut magic = [0u8; 9];
    d.fill(&mut magic)?;
    if &magic[..5] != b"REDIS" {
        return Err(Error {
            offset: 0,
            what: "wrong signature (not an RDB file)".into(),
        });
    }
    let version = std::str::from_utf8(&magic[5..])
        .ok()
        .and_then(|v| v.parse::<u16>().ok());
    match version {
        Some(v) if (1..=super::VERSION).contains(&v) => {}
        _ => {
            return Err(Error {
                offset: 5,
                what: "unsupported RDB version".into(),
            })
        }
    }
    let mut db = 0usize;
    let mut expire_ms = None;
    loop {
        let t = d.u8()?;
        match t {
            op::EXPIRETIME_MS => expire_ms = Some(d.u64_le()? as i64),
            op::EXPIRETIME => {
                let mut b = [0u8; 4];
                d.fill(&mut b)?;
                expire_ms = Some(u32::from_le_bytes(b) as i64 * 1000);
            }
            op::IDLE => {
                d.length()?;
            }
            op::FREQ => {
                d.u8()?;
            }
            op::SELECTDB => {
                let n = d.length()?;
                if n >= 1 << 16 {
                    return d.error(format!("database number {n} out of range"));
                }
                db = n as usize;
            }
            op::RESIZEDB => {
                d.length()?;
                d.length()?;
            }
            op::AUX => {
                let name = d.string()?;
                let value = d.string()?;
                aux(&name, &value);
            }
            op::MODULE_AUX => return d.error("module aux data, but no module is loaded"),
            op::FUNCTION2 | op::FUNCTION_PRE_GA => {
                return d.error("functions library, but functions are not supported")
            }
            op::EOF => {
                // Files before version 5 have no checksum.
                if version.is_some_and(|v| v >= 5) {
                    let computed = d.crc;
                    let stored = d.u64_le()?;
                    if stored != 0 && stored != computed {
                        return d.error("wrong RDB checksum");
                    }
                }
                return Ok(());
            }
            kind::MODULE_PRE_GA | kind::MODULE_2 => {
                return d.error("module value, but no module is loaded")
            }
            _ => {
                let key = d.string()?;
                let value = match d.value(t, lim) {
                    Ok(v) => v,
                    Err(e) if e.what == EMPTY_KEY => {
                        log::info!("skipping empty key '{}'", String::from_utf8_lossy(&key));
                        expire_ms = None;
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                sink(LoadedKey {
                    db,
                    key,
                    value,
                    expire_ms: expire_ms.take(),
                })?;
            }
        }
    }
}
