//! The hash type: a map from field to value, both byte strings.
//!
//! Small hashes are one packed allocation of `(field, value)` pairs in insertion
//! order (Redis's "listpack"); past `hash-max-listpack-entries` fields, or when a
//! field or value is longer than `hash-max-listpack-value`, the hash becomes a
//! [`Dict`] ("hashtable") and never goes back, as in Redis. Commands use only the
//! methods here, so they never see which encoding a hash has.

use crate::keyspace::dict::Dict;
use crate::util::Rng;

/// The conversion thresholds, read from the config at each write (they are
/// runtime-settable, as in Redis).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_entries: usize,
    pub max_value: usize,
}

pub enum Hash {
    Pack(Pack),
    Table(Box<Dict<Box<[u8]>>>),
}

impl Default for Hash {
    fn default() -> Self {
        Hash::new()
    }
}

impl Hash {
    pub fn new() -> Hash {
        Hash::Pack(Pack::default())
    }

    pub fn len(&self) -> usize {
        match self {
            Hash::Pack(p) => p.len(),
            Hash::Table(t) => t.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The OBJECT ENCODING name.
    pub fn encoding(&self) -> &'static str {
        match self {
            Hash::Pack(_) => "listpack",
            Hash::Table(_) => "hashtable",
        }
    }

    pub fn get(&self, field: &[u8]) -> Option<&[u8]> {
        match self {
            Hash::Pack(p) => p.get(field),
            Hash::Table(t) => t.get(field).map(|v| &**v),
        }
    }

    pub fn contains(&self, field: &[u8]) -> bool {
        self.get(field).is_some()
    }

    /// Sets `field` to `value`; returns true if the field is new. Converts to a
    /// table first if either is too long for the packed form, and after the
    /// insert if the hash has too many fields.
    pub fn set(&mut self, field: &[u8], value: &[u8], limits: Limits) -> bool {
        if let Hash::Pack(_) = self {
            if field.len() > limits.max_value || value.len() > limits.max_value {
                self.convert();
            }
        }
        match self {
            Hash::Pack(p) => {
                let added = p.set(field, value);
                if added && p.len() > limits.max_entries {
                    self.convert();
                }
                added
            }
            Hash::Table(t) => t.insert(field, value.into()).1.is_none(),
        }
    }

    /// Removes `field`; returns true if it was there.
    pub fn remove(&mut self, field: &[u8]) -> bool {
        match self {
            Hash::Pack(p) => p.remove(field),
            Hash::Table(t) => t.remove(field).is_some(),
        }
    }

    /// Turns a packed hash into a table (no-op for a table).
    fn convert(&mut self) {
        if let Hash::Pack(p) = self {
            let mut t = Dict::new();
            for (f, v) in p.iter() {
                t.insert_new(f.into(), v.into());
            }
            *self = Hash::Table(Box::new(t));
        }
    }

    /// Every (field, value) pair: insertion order when packed, slot order otherwise.
    pub fn iter(&self) -> Iter<'_> {
        match self {
            Hash::Pack(p) => Iter::Pack(p.iter()),
            Hash::Table(t) => Iter::Table(Box::new(t.iter().map(|(_, s)| (&*s.key, &*s.value)))),
        }
    }

    /// Visits about `count` pairs from `cursor` on and returns the next cursor (0 at
    /// the end). A packed hash is small, so it is returned whole with cursor 0, as
    /// Redis does for listpacks.
    pub fn scan<'a>(
        &'a self,
        cursor: u64,
        count: usize,
        mut visit: impl FnMut(&'a [u8], &'a [u8]),
    ) -> u64 {
        match self {
            Hash::Pack(p) => {
                for (f, v) in p.iter() {
                    visit(f, v);
                }
                0
            }
            Hash::Table(t) => {
                // Cursors past the slot range (any u64 is accepted) simply end the scan.
                let Ok(start) = usize::try_from(cursor) else {
                    return 0;
                };
                let mut slots = Vec::with_capacity(count.min(1024));
                let next = t.scan(start, count, |slot, _| slots.push(slot));
                for s in slots.into_iter().filter_map(|slot| t.slot(slot)) {
                    visit(&s.key, &s.value);
                }
                next as u64
            }
        }
    }

    /// One uniformly chosen pair (None if empty).
    pub fn random(&self, rng: &mut Rng) -> Option<(&[u8], &[u8])> {
        match self {
            Hash::Pack(p) => {
                let n = p.len();
                if n == 0 {
                    return None;
                }
                p.iter().nth(rng.below(n as u64) as usize)
            }
            Hash::Table(t) => {
                let s = t.slot(t.random_slot(rng)?)?;
                Some((&s.key, &s.value))
            }
        }
    }

    /// Calls `visit` with `count` pairs chosen at random, possibly repeated
    /// (HRANDFIELD with a negative count). Streams: `count` may be huge.
    pub fn for_each_random(&self, rng: &mut Rng, count: u64, mut visit: impl FnMut(&[u8], &[u8])) {
        match self {
            Hash::Pack(p) => {
                // Index the pairs once so each pick is O(1).
                let all: Vec<_> = p.iter().collect();
                if all.is_empty() {
                    return;
                }
                for _ in 0..count {
                    let (f, v) = all[rng.below(all.len() as u64) as usize];
                    visit(f, v);
                }
            }
            Hash::Table(_) => {
                for _ in 0..count {
                    if let Some((f, v)) = self.random(rng) {
                        visit(f, v);
                    }
                }
            }
        }
    }

    /// `count` distinct pairs chosen at random (`count` < len).
    pub fn random_distinct(&self, rng: &mut Rng, count: usize) -> Vec<(&[u8], &[u8])> {
        let len = self.len();
        match self {
            Hash::Table(t) if count * 3 <= len => {
                // Few of many: sample slots until enough distinct ones were drawn.
                let mut seen = std::collections::HashSet::with_capacity(count);
                let mut out = Vec::with_capacity(count);
                while out.len() < count {
                    let Some(slot) = t.random_slot(rng) else {
                        break;
                    };
                    if seen.insert(slot) {
                        if let Some(s) = t.slot(slot) {
                            out.push((&*s.key, &*s.value));
                        }
                    }
                }
                out
            }
            _ => {
                // A large share: a partial Fisher-Yates shuffle over all pairs.
                let mut all: Vec<_> = self.iter().collect();
                let n = all.len();
                let count = count.min(n);
                for i in 0..count {
                    let j = i + rng.below((n - i) as u64) as usize;
                    all.swap(i, j);
                }
                all.truncate(count);
                all
            }
        }
    }

    /// Approximate heap bytes (for lazy-free decisions and memory reports).
    pub fn heap_bytes(&self) -> usize {
        match self {
            Hash::Pack(p) => p.bytes.len(),
            // An estimate (two small allocations per pair), so it stays O(1).
            Hash::Table(t) => t.overhead_bytes() + t.len() * 32,
        }
    }
}

impl Clone for Hash {
    fn clone(&self) -> Hash {
        match self {
            Hash::Pack(p) => Hash::Pack(p.clone()),
            Hash::Table(t) => {
                let mut copy = Dict::new();
                for (_, s) in t.iter() {
                    copy.insert_new(s.key.clone(), s.value.clone());
                }
                Hash::Table(Box::new(copy))
            }
        }
    }
}

/// Same fields with the same values, whatever the encodings.
impl PartialEq for Hash {
    fn eq(&self, other: &Hash) -> bool {
        self.len() == other.len() && self.iter().all(|(f, v)| other.get(f) == Some(v))
    }
}

impl std::fmt::Debug for Hash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.iter().map(|(k, v)| {
                (
                    String::from_utf8_lossy(k).into_owned(),
                    String::from_utf8_lossy(v).into_owned(),
                )
            }))
            .finish()
    }
}

pub enum Iter<'a> {
    Pack(PackIter<'a>),
    Table(Box<dyn Iterator<Item = (&'a [u8], &'a [u8])> + 'a>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a [u8], &'a [u8]);
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Pack(it) => it.next(),
            Iter::Table(it) => it.next(),
        }
    }
}

/// The packed form: one exact-size allocation holding, for each pair in insertion
/// order, the field's length (LEB128 varint), the field, the value's length and
/// the value. Every operation is a linear walk, which is fast at these sizes.
#[derive(Clone, Default, PartialEq)]
pub struct Pack {
    bytes: Box<[u8]>,
}

impl Pack {
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub fn iter(&self) -> PackIter<'_> {
        PackIter {
            bytes: &self.bytes,
            pos: 0,
        }
    }

    /// The value of `field` and the byte range of the value's record (its length
    /// prefix and bytes) inside the allocation.
    fn locate(&self, field: &[u8]) -> Option<(std::ops::Range<usize>, &[u8])> {
        let mut it = self.iter();
        loop {
            let f = it.next_item()?;
            let start = it.pos;
            let v = it.next_item()?;
            if f == field {
                return Some((start..it.pos, v));
            }
        }
    }

    pub fn get(&self, field: &[u8]) -> Option<&[u8]> {
        self.locate(field).map(|(_, v)| v)
    }

    /// Sets `field` (replacing its value in place, keeping its position, or
    /// appending it); returns true if it is new.
    pub fn set(&mut self, field: &[u8], value: &[u8]) -> bool {
        match self.locate(field).map(|(r, _)| r) {
            Some(range) => {
                let mut rec = Vec::with_capacity(value.len() + 5);
                put_item(&mut rec, value);
                if rec.len() == range.len() {
                    // Same size: overwrite without reallocating.
                    self.bytes[range].copy_from_slice(&rec);
                } else {
                    let mut v = Vec::with_capacity(self.bytes.len() - range.len() + rec.len());
                    v.extend_from_slice(&self.bytes[..range.start]);
                    v.extend_from_slice(&rec);
                    v.extend_from_slice(&self.bytes[range.end..]);
                    self.bytes = v.into_boxed_slice();
                }
                false
            }
            None => {
                let mut v = Vec::from(std::mem::take(&mut self.bytes));
                v.reserve_exact(field.len() + value.len() + 10);
                put_item(&mut v, field);
                put_item(&mut v, value);
                // into_boxed_slice trims the few spare length-prefix bytes.
                self.bytes = v.into_boxed_slice();
                true
            }
        }
    }

    pub fn remove(&mut self, field: &[u8]) -> bool {
        let mut it = self.iter();
        loop {
            let start = it.pos;
            let Some(f) = it.next_item() else {
                return false;
            };
            if it.next_item().is_none() {
                return false;
            }
            if f == field {
                let end = it.pos;
                let mut v = Vec::with_capacity(self.bytes.len() - (end - start));
                v.extend_from_slice(&self.bytes[..start]);
                v.extend_from_slice(&self.bytes[end..]);
                self.bytes = v.into_boxed_slice();
                return true;
            }
        }
    }
}

fn put_item(out: &mut Vec<u8>, item: &[u8]) {
    let mut n = item.len();
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
    out.extend_from_slice(item);
}

pub struct PackIter<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> PackIter<'a> {
    /// The next length-prefixed item (a field or a value).
    fn next_item(&mut self) -> Option<&'a [u8]> {
        let mut len = 0usize;
        let mut shift = 0;
        loop {
            let b = *self.bytes.get(self.pos)?;
            self.pos += 1;
            len |= ((b & 0x7f) as usize) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift >= usize::BITS {
                return None;
            }
        }
        let item = self.bytes.get(self.pos..self.pos.checked_add(len)?)?;
        self.pos += len;
        Some(item)
    }
}

impl<'a> Iterator for PackIter<'a> {
    type Item = (&'a [u8], &'a [u8]);
    fn next(&mut self) -> Option<Self::Item> {
        let f = self.next_item()?;
        let v = self.next_item()?;
        Some((f, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Limits = Limits {
        max_entries: 4,
        max_value: 8,
    };

    #[test]
    fn packed_set_get_remove_keep_order() {
        let mut h = Hash::new();
        assert!(h.set(b"a", b"1", L));
        assert!(h.set(b"b", b"22", L));
        assert!(!h.set(b"a", b"333", L));
        assert!(!h.set(b"b", b"xx", L));
        assert_eq!(h.get(b"a"), Some(&b"333"[..]));
        let pairs: Vec<_> = h.iter().collect();
        assert_eq!(
            pairs,
            vec![(&b"a"[..], &b"333"[..]), (&b"b"[..], &b"xx"[..])]
        );
        assert!(h.remove(b"a"));
        assert!(!h.remove(b"a"));
        assert_eq!(h.len(), 1);
        assert_eq!(h.encoding(), "listpack");
    }

    #[test]
    fn long_items_use_multibyte_lengths() {
        let mut h = Hash::new();
        let big = vec![7u8; 300];
        let lim = Limits {
            max_entries: 128,
            max_value: 1000,
        };
        h.set(&big, &big, lim);
        h.set(b"x", b"", lim);
        assert_eq!(h.get(&big), Some(&big[..]));
        assert_eq!(h.get(b"x"), Some(&b""[..]));
        assert_eq!(h.encoding(), "listpack");
    }

    #[test]
    fn converts_past_thresholds() {
        let mut h = Hash::new();
        for i in 0..4 {
            h.set(format!("f{i}").as_bytes(), b"v", L);
        }
        assert_eq!(h.encoding(), "listpack");
        h.set(b"f4", b"v", L);
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.len(), 5);
        let mut h = Hash::new();
        h.set(b"f", b"12345678", L);
        assert_eq!(h.encoding(), "listpack");
        h.set(b"f", b"123456789", L);
        assert_eq!(h.encoding(), "hashtable");
        assert_eq!(h.get(b"f"), Some(&b"123456789"[..]));
        assert_eq!(h.clone(), h);
    }

    #[test]
    fn random_picks() {
        let mut rng = Rng::new();
        let mut h = Hash::new();
        for i in 0..100 {
            h.set(format!("f{i}").as_bytes(), b"v", L);
        }
        for n in [1, 10, 40, 99] {
            let picks = h.random_distinct(&mut rng, n);
            let set: std::collections::HashSet<_> = picks.iter().map(|p| p.0).collect();
            assert_eq!(set.len(), n);
        }
        let mut n = 0;
        h.for_each_random(&mut rng, 500, |_, _| n += 1);
        assert_eq!(n, 500);
    }
}
