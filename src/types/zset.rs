//! The sorted set type: members with f64 scores, ordered by (score, member).
//!
//! Two representations, hidden behind one API (the commands never see which):
//! - `Packed`: small sets, every entry in one byte buffer kept sorted (Redis's
//!   "listpack" encoding). Linear scans, which is what Redis does too at this size.
//! - `Full`: a member → score [`Dict`] plus an order-statistic index of
//!   (score, slot) items in sorted chunks with a Fenwick tree of chunk sizes (the
//!   "skiplist" encoding): O(log n) lookup by score/lex/rank, rank of an item, and
//!   insert/delete (plus an O(chunk) shift inside one chunk).
//!
//! The index refers to members by their dict slot (stable for an entry's life), so
//! each member's bytes are stored once.
//!
//! Conversion Packed → Full happens past `zset-max-listpack-entries/value`; never back,
//! except that results built by the *STORE commands pick the encoding for their size.

use crate::keyspace::dict::Dict;
use std::cmp::Ordering;

/// The conversion thresholds, read from the config at each write.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub entries: usize,
    pub value: usize,
}

/// Total order of (score, member). Scores are never NaN.
fn cmp_item(s1: f64, m1: &[u8], s2: f64, m2: &[u8]) -> Ordering {
    match s1.partial_cmp(&s2) {
        Some(Ordering::Equal) | None => m1.cmp(m2),
        Some(o) => o,
    }
}

// ---------------------------------------------------------------------------
// Packed: [score f64 LE][member length, LEB128][member bytes] ...
// ---------------------------------------------------------------------------

#[derive(Clone, Default)]
struct Packed {
    buf: Vec<u8>,
    len: usize,
}

fn put_varint(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// One packed entry: (score, member, byte offset of the next entry).
fn read_entry(buf: &[u8], pos: usize) -> Option<(f64, &[u8], usize)> {
    let score = f64::from_le_bytes(buf.get(pos..pos + 8)?.try_into().ok()?);
    let mut p = pos + 8;
    let mut n = 0usize;
    let mut shift = 0;
    loop {
        let b = *buf.get(p)?;
        p += 1;
        n |= ((b & 0x7f) as usize) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    let member = buf.get(p..p + n)?;
    Some((score, member, p + n))
}

struct PackedIter<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Iterator for PackedIter<'a> {
    /// (byte offset, score, member)
    type Item = (usize, f64, &'a [u8]);
    fn next(&mut self) -> Option<Self::Item> {
        let start = self.pos;
        let (s, m, next) = read_entry(self.buf, start)?;
        self.pos = next;
        Some((start, s, m))
    }
}

impl Packed {
    fn iter(&self) -> PackedIter<'_> {
        PackedIter {
            buf: &self.buf,
            pos: 0,
        }
    }

    fn find(&self, member: &[u8]) -> Option<(usize, usize, f64)> {
        self.iter()
            .enumerate()
            .find(|(_, (_, _, m))| *m == member)
            .map(|(rank, (off, s, _))| (rank, off, s))
    }

    /// Inserts a member known to be absent, keeping the order.
    fn insert(&mut self, member: &[u8], score: f64) {
        // The packed encoding keeps no negative zero (as Redis's listpack stores -0 as 0).
        let score = score + 0.0;
        let at = self
            .iter()
            .find(|(_, s, m)| cmp_item(*s, m, score, member) == Ordering::Greater)
            .map_or(self.buf.len(), |(off, _, _)| off);
        let mut entry = Vec::with_capacity(member.len() + 10);
        entry.extend_from_slice(&score.to_le_bytes());
        put_varint(&mut entry, member.len());
        entry.extend_from_slice(member);
        self.buf.splice(at..at, entry);
        self.len += 1;
    }

    fn remove_at(&mut self, off: usize) {
        if let Some((_, _, next)) = read_entry(&self.buf, off) {
            self.buf.drain(off..next);
            self.len -= 1;
        }
    }
}

// ---------------------------------------------------------------------------
// Full: dict + chunked order-statistic index
// ---------------------------------------------------------------------------

/// Most items per chunk. A chunk past it splits in two (or, when the insert is at
/// the very end, a new chunk starts, so ascending loads leave full chunks).
const CHUNK_MAX: usize = 128;

#[derive(Clone, Copy)]
struct Item {
    score: f64,
    slot: u32,
}

struct Full {
    dict: Dict<f64>,
    chunks: Vec<Vec<Item>>,
    /// Fenwick tree over chunk lengths (1-based), for rank ↔ chunk in O(log n).
    fen: Vec<usize>,
}

impl Full {
    fn new() -> Full {
        Full {
            dict: Dict::new(),
            chunks: Vec::new(),
            fen: vec![0],
        }
    }

    fn key(&self, slot: u32) -> &[u8] {
        self.dict.slot(slot as usize).map_or(&[], |s| &s.key)
    }

    fn rebuild_fen(&mut self) {
        let n = self.chunks.len();
        self.fen = vec![0; n + 1];
        for i in 1..=n {
            self.fen[i] += self.chunks[i - 1].len();
            let j = i + (i & i.wrapping_neg());
            if j <= n {
                let v = self.fen[i];
                self.fen[j] += v;
            }
        }
    }

    fn fen_add(&mut self, chunk: usize, delta: isize) {
        let mut i = chunk + 1;
        while i < self.fen.len() {
            self.fen[i] = self.fen[i].wrapping_add_signed(delta);
            i += i & i.wrapping_neg();
        }
    }

    /// Items in chunks before `chunk`.
    fn prefix(&self, chunk: usize) -> usize {
        let mut i = chunk;
        let mut sum = 0;
        while i > 0 {
            sum += self.fen[i];
            i &= i - 1;
        }
        sum
    }

    /// (chunk, offset) of the item at `rank` (< len).
    fn locate(&self, rank: usize) -> (usize, usize) {
        let n = self.chunks.len();
        let mut pos = 0;
        let mut rem = rank;
        let mut step = n.next_power_of_two();
        while step > 0 {
            let next = pos + step;
            if next <= n && self.fen[next] <= rem {
                pos = next;
                rem -= self.fen[next];
            }
            step >>= 1;
        }
        (pos, rem)
    }

    fn item(&self, rank: usize) -> Option<Item> {
        let (c, o) = self.locate(rank);
        self.chunks.get(c)?.get(o).copied()
    }

    /// Number of leading items satisfying `pred` (which must hold for a prefix).
    fn partition(&self, pred: &dyn Fn(f64, &[u8]) -> bool) -> usize {
        let c = self.chunks.partition_point(|ch| {
            ch.last()
                .is_some_and(|it| pred(it.score, self.key(it.slot)))
        });
        match self.chunks.get(c) {
            None => self.dict.len(),
            Some(ch) => self.prefix(c) + ch.partition_point(|it| pred(it.score, self.key(it.slot))),
        }
    }

    /// (chunk, offset) where an item with this order key is or would go.
    fn position(&self, score: f64, member: &[u8]) -> (usize, usize) {
        let less = |it: &Item| cmp_item(it.score, self.key(it.slot), score, member).is_lt();
        let c = self
            .chunks
            .partition_point(|ch| ch.last().is_some_and(less))
            .min(self.chunks.len().saturating_sub(1));
        let o = self.chunks.get(c).map_or(0, |ch| ch.partition_point(less));
        (c, o)
    }

    fn index_insert(&mut self, score: f64, slot: u32) {
        let item = Item { score, slot };
        if self.chunks.is_empty() {
            let mut ch = Vec::with_capacity(CHUNK_MAX);
            ch.push(item);
            self.chunks.push(ch);
            self.rebuild_fen();
            return;
        }
        let (c, o) = self.position(score, self.key(slot));
        let last = self.chunks.len() - 1;
        let ch_len = self.chunks[c].len();
        if ch_len >= CHUNK_MAX {
            if c == last && o == ch_len {
                // Appending past a full last chunk: start a new one, keep this one full.
                let mut ch = Vec::with_capacity(CHUNK_MAX);
                ch.push(item);
                self.chunks.push(ch);
                self.rebuild_fen();
                return;
            }
            let mut right = self.chunks[c].split_off(ch_len / 2);
            right.reserve_exact(CHUNK_MAX - right.len());
            let left_len = self.chunks[c].len();
            if o <= left_len {
                self.chunks[c].insert(o, item);
            } else {
                right.insert(o - left_len, item);
            }
            self.chunks.insert(c + 1, right);
            self.rebuild_fen();
            return;
        }
        self.chunks[c].insert(o, item);
        self.fen_add(c, 1);
    }

    fn index_remove(&mut self, score: f64, member: &[u8]) {
        let (c, o) = self.position(score, member);
        let Some(ch) = self.chunks.get_mut(c) else {
            return;
        };
        if o < ch.len() {
            ch.remove(o);
            if ch.is_empty() {
                self.chunks.remove(c);
                self.rebuild_fen();
            } else {
                self.fen_add(c, -1);
            }
        }
    }

    fn insert_new(&mut self, member: &[u8], score: f64) {
        let slot = self.dict.insert_new(member.into(), score);
        self.index_insert(score, slot as u32);
    }

    /// Visits ranks start..end ascending (or descending with `rev`).
    fn visit(&self, start: usize, end: usize, rev: bool, f: &mut dyn FnMut(&[u8], f64)) {
        if start >= end {
            return;
        }
        if !rev {
            let (mut c, mut o) = self.locate(start);
            for _ in start..end {
                let Some(ch) = self.chunks.get(c) else { return };
                let Some(it) = ch.get(o) else { return };
                f(self.key(it.slot), it.score);
                o += 1;
                if o == ch.len() {
                    c += 1;
                    o = 0;
                }
            }
        } else {
            let (mut c, mut o) = self.locate(end - 1);
            for _ in start..end {
                let Some(it) = self.chunks.get(c).and_then(|ch| ch.get(o)) else {
                    return;
                };
                f(self.key(it.slot), it.score);
                if o == 0 {
                    if c == 0 {
                        return;
                    }
                    c -= 1;
                    o = self.chunks[c].len().saturating_sub(1);
                } else {
                    o -= 1;
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The public type
// ---------------------------------------------------------------------------

enum Repr {
    Packed(Packed),
    Full(Box<Full>),
}

pub struct ZSet {
    repr: Repr,
}

impl ZSet {
    /// An empty set in the encoding Redis would create for `size_hint` elements whose
    /// longest member is `max_len` bytes.
    pub fn with_hint(size_hint: usize, max_len: usize, lim: Limits) -> ZSet {
        let full = lim.entries == 0 || size_hint > lim.entries || max_len > lim.value;
        ZSet {
            repr: if full {
                Repr::Full(Box::new(Full::new()))
            } else {
                Repr::Packed(Packed::default())
            },
        }
    }

    fn convert(&mut self) {
        if let Repr::Packed(p) = &self.repr {
            let mut full = Full::new();
            for (_, s, m) in p.iter() {
                full.insert_new(m, s);
            }
            self.repr = Repr::Full(Box::new(full));
        }
    }

    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Packed(p) => p.len,
            Repr::Full(f) => f.dict.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// "listpack" or "skiplist".
    pub fn encoding(&self) -> &'static str {
        match &self.repr {
            Repr::Packed(_) => "listpack",
            Repr::Full(_) => "skiplist",
        }
    }

    pub fn score(&self, member: &[u8]) -> Option<f64> {
        match &self.repr {
            Repr::Packed(p) => p.find(member).map(|(_, _, s)| s),
            Repr::Full(f) => f.dict.get(member).copied(),
        }
    }

    /// Sets `member`'s score, adding it if absent. Returns the previous score.
    pub fn insert(&mut self, member: &[u8], score: f64, lim: Limits) -> Option<f64> {
        if let Repr::Packed(p) = &mut self.repr {
            if let Some((_, off, old)) = p.find(member) {
                if old != score {
                    p.remove_at(off);
                    p.insert(member, score);
                }
                return Some(old);
            }
            if p.len < lim.entries && member.len() <= lim.value {
                p.insert(member, score);
                return None;
            }
            self.convert();
        }
        let Repr::Full(f) = &mut self.repr else {
            return None;
        };
        match f.dict.find(member) {
            Some(slot) => {
                let old = f.dict.slot(slot).map_or(score, |s| s.value);
                if old != score {
                    f.index_remove(old, member);
                    if let Some(s) = f.dict.slot_mut(slot) {
                        s.value = score;
                    }
                    f.index_insert(score, slot as u32);
                }
                Some(old)
            }
            None => {
                f.insert_new(member, score);
                None
            }
        }
    }

    /// Removes `member`, returning its score.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        match &mut self.repr {
            Repr::Packed(p) => {
                let (_, off, s) = p.find(member)?;
                p.remove_at(off);
                Some(s)
            }
            Repr::Full(f) => {
                let score = *f.dict.get(member)?;
                f.index_remove(score, member);
                f.dict.remove(member);
                Some(score)
            }
        }
    }

    /// 0-based ascending rank and score of `member`.
    pub fn rank(&self, member: &[u8]) -> Option<(usize, f64)> {
        match &self.repr {
            Repr::Packed(p) => p.find(member).map(|(r, _, s)| (r, s)),
            Repr::Full(f) => {
                let score = *f.dict.get(member)?;
                let less = |s: f64, m: &[u8]| cmp_item(s, m, score, member).is_lt();
                Some((f.partition(&less), score))
            }
        }
    }

    /// Number of leading elements (in ascending order) for which `pred` holds; `pred`
    /// must hold for a prefix of the order (e.g. "score < min").
    pub fn count_while(&self, pred: &dyn Fn(f64, &[u8]) -> bool) -> usize {
        match &self.repr {
            Repr::Packed(p) => p.iter().take_while(|(_, s, m)| pred(*s, m)).count(),
            Repr::Full(f) => f.partition(pred),
        }
    }

    /// Visits the elements of ranks `start..end` in ascending order, or descending
    /// (from `end - 1` down to `start`) with `rev`.
    pub fn visit(&self, start: usize, end: usize, rev: bool, f: &mut dyn FnMut(&[u8], f64)) {
        let end = end.min(self.len());
        if start >= end {
            return;
        }
        match &self.repr {
            Repr::Packed(p) => {
                if rev {
                    let items: Vec<(f64, &[u8])> = p
                        .iter()
                        .skip(start)
                        .take(end - start)
                        .map(|(_, s, m)| (s, m))
                        .collect();
                    for (s, m) in items.into_iter().rev() {
                        f(m, s);
                    }
                } else {
                    for (_, s, m) in p.iter().skip(start).take(end - start) {
                        f(m, s);
                    }
                }
            }
            Repr::Full(full) => full.visit(start, end, rev, f),
        }
    }

    /// Elements of ranks `start..end` (ascending, or descending with `rev`), copied.
    pub fn range(&self, start: usize, end: usize, rev: bool) -> Vec<(Vec<u8>, f64)> {
        let mut out = Vec::with_capacity(end.saturating_sub(start).min(self.len()));
        self.visit(start, end, rev, &mut |m, s| out.push((m.to_vec(), s)));
        out
    }

    /// The element at ascending rank `rank`.
    pub fn at(&self, rank: usize) -> Option<(Vec<u8>, f64)> {
        match &self.repr {
            Repr::Packed(p) => p.iter().nth(rank).map(|(_, s, m)| (m.to_vec(), s)),
            Repr::Full(f) => {
                let it = f.item(rank)?;
                Some((f.key(it.slot).to_vec(), it.score))
            }
        }
    }

    /// Every element, ascending.
    pub fn to_vec(&self) -> Vec<(Vec<u8>, f64)> {
        self.range(0, self.len(), false)
    }

    /// A uniformly chosen element.
    pub fn random(&self, rng: &mut crate::util::Rng) -> Option<(Vec<u8>, f64)> {
        match &self.repr {
            Repr::Packed(p) => {
                if p.len == 0 {
                    return None;
                }
                self.at(rng.below(p.len as u64) as usize)
            }
            Repr::Full(f) => {
                let slot = f.dict.random_slot(rng)?;
                f.dict.slot(slot).map(|s| (s.key.to_vec(), s.value))
            }
        }
    }

    /// ZSCAN: the packed encoding returns everything at once (cursor 0), as Redis does.
    pub fn scan(&self, cursor: usize, count: usize, f: &mut dyn FnMut(&[u8], f64)) -> usize {
        match &self.repr {
            Repr::Packed(p) => {
                for (_, s, m) in p.iter() {
                    f(m, s);
                }
                0
            }
            Repr::Full(full) => full.dict.scan(cursor, count, |_, s| f(&s.key, s.value)),
        }
    }

    /// Builds a set from elements with distinct members, in the encoding Redis picks
    /// for a stored result of this size (zsetConvertToListpackIfNeeded).
    pub fn from_elements(items: Vec<(Vec<u8>, f64)>, lim: Limits) -> ZSet {
        let max_len = items.iter().map(|(m, _)| m.len()).max().unwrap_or(0);
        let mut z = ZSet::with_hint(items.len(), max_len, lim);
        for (m, s) in items {
            z.insert(&m, s, lim);
        }
        z
    }

    /// Approximate heap bytes (for lazy-free decisions and memory reports).
    pub fn heap_bytes(&self) -> usize {
        match &self.repr {
            Repr::Packed(p) => p.buf.capacity(),
            Repr::Full(f) => {
                f.dict.overhead_bytes()
                    + f.dict.iter().map(|(_, s)| s.key.len()).sum::<usize>()
                    + f.chunks.len() * (CHUNK_MAX * std::mem::size_of::<Item>() + 24)
            }
        }
    }
}

impl Clone for ZSet {
    fn clone(&self) -> ZSet {
        match &self.repr {
            Repr::Packed(p) => ZSet {
                repr: Repr::Packed(p.clone()),
            },
            Repr::Full(f) => {
                let mut full = Full::new();
                f.visit(0, f.dict.len(), false, &mut |m, s| full.insert_new(m, s));
                ZSet {
                    repr: Repr::Full(Box::new(full)),
                }
            }
        }
    }
}

impl PartialEq for ZSet {
    fn eq(&self, other: &ZSet) -> bool {
        self.len() == other.len() && self.to_vec() == other.to_vec()
    }
}

impl std::fmt::Debug for ZSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ZSet({}, {} elements)", self.encoding(), self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: Limits = Limits {
        entries: 128,
        value: 64,
    };
    const NONE: Limits = Limits {
        entries: 0,
        value: 0,
    };

    fn check(z: &ZSet, model: &std::collections::BTreeMap<Vec<u8>, f64>) {
        let mut want: Vec<(Vec<u8>, f64)> = model.iter().map(|(m, s)| (m.clone(), *s)).collect();
        want.sort_by(|a, b| cmp_item(a.1, &a.0, b.1, &b.0));
        assert_eq!(z.to_vec(), want);
        for (i, (m, s)) in want.iter().enumerate() {
            assert_eq!(z.rank(m), Some((i, *s)));
            assert_eq!(z.at(i).as_ref().map(|e| &e.0), Some(m));
        }
        let mut rev = want.clone();
        rev.reverse();
        assert_eq!(z.range(0, want.len(), true), rev);
    }

    #[test]
    fn packed_and_full_agree_with_a_model() {
        for lim in [SMALL, NONE] {
            let mut z = ZSet::with_hint(0, 0, lim);
            let mut model = std::collections::BTreeMap::new();
            let mut rng = crate::util::Rng::new();
            for step in 0..3000 {
                let m = format!("m{}", rng.below(400)).into_bytes();
                let s = (rng.below(50) as f64) - 25.0;
                if rng.below(3) == 0 {
                    assert_eq!(z.remove(&m), model.remove(&m));
                } else {
                    assert_eq!(z.insert(&m, s, lim), model.insert(m, s));
                }
                if step % 500 == 0 {
                    check(&z, &model);
                }
            }
            check(&z, &model);
            assert_eq!(z.clone(), z);
        }
    }

    #[test]
    fn ascending_load_fills_chunks() {
        let mut z = ZSet::with_hint(0, 0, NONE);
        for i in 0..10_000 {
            z.insert(format!("member:{i}").as_bytes(), i as f64, NONE);
        }
        let Repr::Full(f) = &z.repr else {
            panic!("full")
        };
        assert_eq!(f.chunks.len(), 10_000usize.div_ceil(CHUNK_MAX));
        assert_eq!(z.rank(b"member:9999"), Some((9999, 9999.0)));
        let less = |s: f64, _: &[u8]| s < 5000.0;
        assert_eq!(z.count_while(&less), 5000);
    }

    #[test]
    fn packed_stores_negative_zero_as_zero() {
        let mut z = ZSet::with_hint(1, 1, SMALL);
        z.insert(b"a", -0.0, SMALL);
        assert!(z.score(b"a").is_some_and(|s| s.is_sign_positive()));
    }
}
