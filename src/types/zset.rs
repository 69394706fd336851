//! The sorted set type: members with f64 scores, ordered by (score, member).
//!
//! Two representations, hidden behind one API (the commands never see which):
//! - `Packed`: small sets, every entry in one byte buffer kept sorted (Redis's
//!   "listpack" encoding). Linear scans, which is what Redis does too at this size.
//! - `Full`: a member → score [`Dict`] plus an order-statistic index of
//!   (score, slot) items in a B+tree whose inner nodes know their children's item
//!   counts and greatest items (the "skiplist" encoding): O(log n) lookup by
//!   score/lex/rank, rank of an item, insert and delete.
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
// Full: dict + counted B+tree order-statistic index
// ---------------------------------------------------------------------------

/// Most items per leaf and children per inner node. A full node splits in two,
/// except when the new entry goes at its very end: then the new right node holds
/// just that entry, so ascending loads (the common case) leave full nodes.
const LEAF_MAX: usize = 128;
const INNER_MAX: usize = 64;

#[derive(Clone, Copy)]
struct Item {
    score: f64,
    slot: u32,
}

/// A child of an inner node, with what searches need without descending: how many
/// items are below it and its greatest item.
struct Child {
    count: usize,
    last: Item,
    node: Box<Node>,
}

enum Node {
    Leaf(Vec<Item>),
    Inner(Vec<Child>),
}

/// Orders items by (score, member); members are looked up in the dict by slot.
struct Keys<'a>(&'a Dict<f64>);

impl Keys<'_> {
    fn key(&self, slot: u32) -> &[u8] {
        self.0.slot(slot as usize).map_or(&[], |s| &s.key)
    }
    fn less(&self, a: Item, b: Item) -> bool {
        cmp_item(a.score, self.key(a.slot), b.score, self.key(b.slot)).is_lt()
    }
}

impl Node {
    fn len(&self) -> usize {
        match self {
            Node::Leaf(v) => v.len(),
            Node::Inner(c) => c.iter().map(|c| c.count).sum(),
        }
    }

    fn last(&self) -> Option<Item> {
        match self {
            Node::Leaf(v) => v.last().copied(),
            Node::Inner(c) => c.last().map(|c| c.last),
        }
    }

    fn child(node: Node) -> Option<Child> {
        Some(Child {
            count: node.len(),
            last: node.last()?,
            node: Box::new(node),
        })
    }

    /// Inserts `item`; returns the new right sibling if this node split.
    fn insert(&mut self, item: Item, keys: &Keys) -> Option<Node> {
        match self {
            Node::Leaf(v) => {
                let at = v.partition_point(|&x| keys.less(x, item));
                if v.len() < LEAF_MAX {
                    v.insert(at, item);
                    return None;
                }
                let mut right = Vec::with_capacity(LEAF_MAX);
                if at == v.len() {
                    right.push(item);
                } else {
                    right.extend(v.drain(LEAF_MAX / 2..));
                    if at <= v.len() {
                        v.insert(at, item);
                    } else {
                        right.insert(at - v.len(), item);
                    }
                }
                Some(Node::Leaf(right))
            }
            Node::Inner(children) => {
                let n = children.len();
                let i = children
                    .partition_point(|c| keys.less(c.last, item))
                    .min(n - 1);
                let c = &mut children[i];
                let split = c.node.insert(item, keys);
                c.count = c.node.len();
                c.last = c.node.last().unwrap_or(item);
                let sibling = Node::child(split?)?;
                if children.len() < INNER_MAX {
                    children.insert(i + 1, sibling);
                    return None;
                }
                let right = if i + 1 == children.len() {
                    vec![sibling]
                } else {
                    let mut r: Vec<Child> = children.drain(INNER_MAX / 2..).collect();
                    if i < children.len() {
                        children.insert(i + 1, sibling);
                    } else {
                        r.insert(i + 1 - children.len(), sibling);
                    }
                    r
                };
                Some(Node::Inner(right))
            }
        }
    }

    /// Removes the item equal to `item`; true if found. Empty children are dropped
    /// (nodes are not merged: sparse nodes only cost memory, never correctness).
    fn remove(&mut self, item: Item, keys: &Keys) -> bool {
        match self {
            Node::Leaf(v) => {
                let at = v.partition_point(|&x| keys.less(x, item));
                if v.get(at).is_some_and(|x| x.slot == item.slot) {
                    v.remove(at);
                    true
                } else {
                    false
                }
            }
            Node::Inner(children) => {
                let i = children.partition_point(|c| keys.less(c.last, item));
                let Some(c) = children.get_mut(i) else {
                    return false;
                };
                if !c.node.remove(item, keys) {
                    return false;
                }
                c.count -= 1;
                match c.node.last() {
                    Some(last) => c.last = last,
                    None => {
                        children.remove(i);
                    }
                }
                true
            }
        }
    }

    /// Number of leading items satisfying `pred` (true for a prefix of the order).
    fn partition(&self, pred: &dyn Fn(f64, &[u8]) -> bool, keys: &Keys) -> usize {
        match self {
            Node::Leaf(v) => v.partition_point(|x| pred(x.score, keys.key(x.slot))),
            Node::Inner(children) => {
                let i = children.partition_point(|c| pred(c.last.score, keys.key(c.last.slot)));
                let before: usize = children[..i].iter().map(|c| c.count).sum();
                before + children.get(i).map_or(0, |c| c.node.partition(pred, keys))
            }
        }
    }

    fn at(&self, mut rank: usize) -> Option<Item> {
        match self {
            Node::Leaf(v) => v.get(rank).copied(),
            Node::Inner(children) => {
                for c in children {
                    if rank < c.count {
                        return c.node.at(rank);
                    }
                    rank -= c.count;
                }
                None
            }
        }
    }

    /// Visits ranks `start..end` of this subtree, ascending or descending.
    fn visit(&self, start: usize, end: usize, rev: bool, f: &mut dyn FnMut(Item)) {
        match self {
            Node::Leaf(v) => {
                let part = v.get(start..end.min(v.len())).unwrap_or(&[]);
                if rev {
                    part.iter().rev().for_each(|&x| f(x));
                } else {
                    part.iter().for_each(|&x| f(x));
                }
            }
            Node::Inner(children) => {
                // (offset of each child, child), in visiting order.
                let mut off = 0;
                let spans: Vec<(usize, &Child)> = children
                    .iter()
                    .map(|c| {
                        let o = off;
                        off += c.count;
                        (o, c)
                    })
                    .collect();
                let mut visit_one = |(o, c): &(usize, &Child)| {
                    let (lo, hi) = (start.max(*o), end.min(o + c.count));
                    if lo < hi {
                        c.node.visit(lo - o, hi - o, rev, f);
                    }
                };
                if rev {
                    spans.iter().rev().for_each(&mut visit_one);
                } else {
                    spans.iter().for_each(&mut visit_one);
                }
            }
        }
    }

    fn heap_bytes(&self) -> usize {
        match self {
            Node::Leaf(v) => v.capacity() * std::mem::size_of::<Item>(),
            Node::Inner(c) => {
                c.capacity() * std::mem::size_of::<Child>()
                    + c.iter().map(|c| c.node.heap_bytes() + 16).sum::<usize>()
            }
        }
    }
}

struct Full {
    dict: Dict<f64>,
    tree: Node,
}

impl Full {
    fn new() -> Full {
        Full {
            dict: Dict::new(),
            tree: Node::Leaf(Vec::new()),
        }
    }

    fn key(&self, slot: u32) -> &[u8] {
        self.dict.slot(slot as usize).map_or(&[], |s| &s.key)
    }

    fn item(&self, rank: usize) -> Option<Item> {
        self.tree.at(rank)
    }

    fn partition(&self, pred: &dyn Fn(f64, &[u8]) -> bool) -> usize {
        self.tree.partition(pred, &Keys(&self.dict))
    }

    fn index_insert(&mut self, score: f64, slot: u32) {
        let item = Item { score, slot };
        if let Some(right) = self.tree.insert(item, &Keys(&self.dict)) {
            // The root split: grow the tree by one level.
            let left = std::mem::replace(&mut self.tree, Node::Inner(Vec::new()));
            let children: Vec<Child> = [left, right].into_iter().filter_map(Node::child).collect();
            self.tree = Node::Inner(children);
        }
    }

    /// Removes the index entry of `member` (whose score is `score`); the member must
    /// still be in the dict (its slot identifies the entry).
    fn index_remove(&mut self, score: f64, member: &[u8]) {
        let Some(slot) = self.dict.find(member) else {
            return;
        };
        let item = Item {
            score,
            slot: slot as u32,
        };
        self.tree.remove(item, &Keys(&self.dict));
        // Collapse a root left with a single child.
        while let Node::Inner(children) = &mut self.tree {
            match children.len() {
                0 => self.tree = Node::Leaf(Vec::new()),
                1 => {
                    let only = children.pop().map(|c| *c.node);
                    self.tree = only.unwrap_or(Node::Leaf(Vec::new()));
                }
                _ => break,
            }
        }
    }

    fn insert_new(&mut self, member: &[u8], score: f64) {
        let slot = self.dict.insert_new(member.into(), score);
        self.index_insert(score, slot as u32);
    }

    /// Visits ranks start..end ascending (or descending with `rev`).
    fn visit(&self, start: usize, end: usize, rev: bool, f: &mut dyn FnMut(&[u8], f64)) {
        self.tree
            .visit(start, end, rev, &mut |it| f(self.key(it.slot), it.score));
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

    /// Converts to the full (skiplist) encoding; SORT does this to every sorted set
    /// it reads, as Redis does.
    pub fn convert(&mut self) {
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
                // Member bytes are estimated (at least one 16-byte allocation each)
                // rather than summed, so this stays cheap for lazy-free decisions.
                f.dict.overhead_bytes() + f.dict.len() * 16 + f.tree.heap_bytes()
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
    fn big_tree_agrees_with_a_model() {
        // Enough members for inner nodes to split and the root to grow and shrink.
        let mut z = ZSet::with_hint(0, 0, NONE);
        let mut model = std::collections::BTreeMap::new();
        let mut rng = crate::util::Rng::new();
        for round in 0..3 {
            for _ in 0..40_000 {
                let m = format!("m{}", rng.below(30_000)).into_bytes();
                if round == 2 || rng.below(4) == 0 {
                    assert_eq!(z.remove(&m), model.remove(&m));
                } else {
                    let s = rng.below(1000) as f64;
                    assert_eq!(z.insert(&m, s, NONE), model.insert(m, s));
                }
            }
            check(&z, &model);
        }
    }

    #[test]
    fn ascending_load_fills_leaves() {
        let mut z = ZSet::with_hint(0, 0, NONE);
        for i in 0..10_000 {
            z.insert(format!("member:{i}").as_bytes(), i as f64, NONE);
        }
        let Repr::Full(f) = &z.repr else {
            panic!("full")
        };
        let leaves = 10_000usize.div_ceil(LEAF_MAX);
        let leaf_bytes = LEAF_MAX * std::mem::size_of::<Item>();
        assert!(f.tree.heap_bytes() < leaves * leaf_bytes + leaf_bytes * 2);
        assert_eq!(z.rank(b"member:9999"), Some((9999, 9999.0)));
        let less = |s: f64, _: &[u8]| s < 5000.0;
        assert_eq!(z.count_while(&less), 5000);
        for i in (0..10_000).step_by(3) {
            assert_eq!(z.remove(format!("member:{i}").as_bytes()), Some(i as f64));
        }
        assert_eq!(z.len(), 6666);
        assert_eq!(z.at(0).map(|e| e.1), Some(1.0));
        assert_eq!(z.range(0, 3, false).len(), 3);
        assert_eq!(z.range(6663, 6666, true)[0].1, 9998.0);
    }

    #[test]
    fn packed_stores_negative_zero_as_zero() {
        let mut z = ZSet::with_hint(1, 1, SMALL);
        z.insert(b"a", -0.0, SMALL);
        assert!(z.score(b"a").is_some_and(|s| s.is_sign_positive()));
    }
}
