//! The list type: a deque of packed nodes, like Redis's quicklist.
//!
//! Each node is one byte buffer of packed entries plus its entry count. An entry is
//! a header byte (with the value inline for small integers, or a length), the
//! payload, then the entry's length written backwards ("backlen"), so a node can be
//! walked from either end. Integers given in canonical decimal form are stored
//! binary in 1 to 9 bytes; a 3-byte string takes 5 bytes in all.
//!
//! Nodes are bounded by `list-max-listpack-size` (the list's `fill`, taken when the
//! list is created, as Redis does): negative = bytes per node (-1 4 KB, -2 8 KB, -3
//! 16 KB, -4 32 KB, -5 64 KB), positive = entries per node with an 8 KB cap. An
//! element too big for any node gets a node of its own. Index access skips whole
//! nodes using their counts, from the nearer end of the list.
//!
//! Commands use only this API; the layout is private.

use crate::util::num;
use std::collections::VecDeque;

/// Node size limits in bytes for fill -1 .. -5.
const SIZE_LEVELS: [usize; 5] = [4096, 8192, 16384, 32768, 65536];
/// Node size cap when the fill is an entry count.
const SIZE_SAFETY_LIMIT: usize = 8192;
/// Largest entry-count fill (Redis clamps to the same).
const FILL_MAX: i32 = 1 << 15;
/// The default `list-max-listpack-size`.
pub const DEFAULT_FILL: i32 = -2;

/// One element as stored: bytes, or an integer that was given in canonical form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item<'a> {
    Bytes(&'a [u8]),
    Int(i64),
}

impl Item<'_> {
    /// Calls `f` with the element's bytes (integers rendered on the stack).
    pub fn with_bytes<R>(self, f: impl FnOnce(&[u8]) -> R) -> R {
        match self {
            Item::Bytes(b) => f(b),
            Item::Int(n) => {
                let mut buf = [0u8; 20];
                f(fmt_int(n, &mut buf))
            }
        }
    }

    pub fn to_vec(self) -> Vec<u8> {
        self.with_bytes(|b| b.to_vec())
    }

    /// True if the element equals the needle's bytes.
    pub fn matches(self, needle: &Needle) -> bool {
        match self {
            // Canonical integers are always stored as Int, so a stored string never
            // equals an integer needle and vice versa.
            Item::Int(n) => needle.int == Some(n),
            Item::Bytes(b) => needle.int.is_none() && b == needle.bytes,
        }
    }
}

/// Decimal text of `n` in `buf`.
fn fmt_int(n: i64, buf: &mut [u8; 20]) -> &[u8] {
    // At most 19 digits (i64::MIN): there is always room for the sign.
    let mut i = num::u64_digits(n.unsigned_abs(), buf);
    if n < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

/// A value to compare elements with, classified once (LREM, LPOS, LINSERT).
pub struct Needle<'a> {
    bytes: &'a [u8],
    int: Option<i64>,
}

impl<'a> Needle<'a> {
    pub fn new(bytes: &'a [u8]) -> Needle<'a> {
        Needle {
            bytes,
            int: num::parse_i64(bytes),
        }
    }
}

// ---------------------------------------------------------------------------
// Entry encoding
// ---------------------------------------------------------------------------
//
// Header byte:
//   0xxxxxxx              integer 0..127, no payload
//   10llllll              string of length 0..63
//   110xxxxx xxxxxxxx     13-bit signed integer
//   1110llll llllllll     string of length 0..4095
//   0xF0 + u64 LE         longer string
//   0xF1/F2/F3/F4 + LE    16/24/32/64-bit signed integer
// Backlen: the length of header + payload in 7-bit groups, read from the entry's
// last byte backwards; a set high bit means another group precedes.

const STR64: u8 = 0xF0;
const INT16: u8 = 0xF1;
const INT24: u8 = 0xF2;
const INT32: u8 = 0xF3;
const INT64: u8 = 0xF4;

/// A value ready to be encoded.
enum Enc<'a> {
    Int(i64),
    Str(&'a [u8]),
}

impl<'a> Enc<'a> {
    fn of(v: &'a [u8]) -> Enc<'a> {
        match num::parse_i64(v) {
            Some(n) => Enc::Int(n),
            None => Enc::Str(v),
        }
    }

    /// Header + payload bytes.
    fn body_len(&self) -> usize {
        match *self {
            Enc::Int(n) if (0..=127).contains(&n) => 1,
            Enc::Int(n) if (-4096..=4095).contains(&n) => 2,
            Enc::Int(n) if i16::try_from(n).is_ok() => 3,
            Enc::Int(n) if (-(1 << 23)..(1 << 23)).contains(&n) => 4,
            Enc::Int(n) if i32::try_from(n).is_ok() => 5,
            Enc::Int(_) => 9,
            Enc::Str(s) if s.len() < 64 => 1 + s.len(),
            Enc::Str(s) if s.len() < 4096 => 2 + s.len(),
            Enc::Str(s) => 9 + s.len(),
        }
    }

    /// Whole entry size, backlen included.
    fn len(&self) -> usize {
        let b = self.body_len();
        b + backlen_size(b)
    }

    /// Writes the entry into `dst`, which is exactly `self.len()` bytes.
    fn write(&self, dst: &mut [u8]) {
        let body = self.body_len();
        match *self {
            Enc::Int(n) => match body {
                1 => dst[0] = n as u8,
                2 => {
                    let raw = (n as u16) & 0x1FFF;
                    dst[0] = 0xC0 | (raw >> 8) as u8;
                    dst[1] = raw as u8;
                }
                _ => {
                    dst[0] = match body {
                        3 => INT16,
                        4 => INT24,
                        5 => INT32,
                        _ => INT64,
                    };
                    dst[1..body].copy_from_slice(&n.to_le_bytes()[..body - 1]);
                }
            },
            Enc::Str(s) => {
                let start = match body - s.len() {
                    1 => {
                        dst[0] = 0x80 | s.len() as u8;
                        1
                    }
                    2 => {
                        dst[0] = 0xE0 | (s.len() >> 8) as u8;
                        dst[1] = s.len() as u8;
                        2
                    }
                    _ => {
                        dst[0] = STR64;
                        dst[1..9].copy_from_slice(&(s.len() as u64).to_le_bytes());
                        9
                    }
                };
                dst[start..body].copy_from_slice(s);
            }
        }
        let n = backlen_size(body);
        for i in 0..n {
            let more = if i + 1 < n { 0x80 } else { 0 };
            dst[body + n - 1 - i] = ((body >> (7 * i)) & 0x7F) as u8 | more;
        }
    }
}

fn backlen_size(body: usize) -> usize {
    let mut n = 1;
    let mut rest = body >> 7;
    while rest > 0 {
        n += 1;
        rest >>= 7;
    }
    n
}

/// Sign-extends the low `bytes` bytes of a little-endian integer.
fn read_int(b: &[u8]) -> i64 {
    let mut a = [0u8; 8];
    a[..b.len()].copy_from_slice(b);
    let shift = 64 - 8 * b.len() as u32;
    (i64::from_le_bytes(a) << shift) >> shift
}

/// The entry at `pos` and the offset just past it.
fn decode(buf: &[u8], pos: usize) -> (Item<'_>, usize) {
    let h = buf[pos];
    let (item, body) = match h {
        0x00..=0x7F => (Item::Int(i64::from(h)), 1),
        0x80..=0xBF => {
            let n = usize::from(h & 0x3F);
            (Item::Bytes(&buf[pos + 1..pos + 1 + n]), 1 + n)
        }
        0xC0..=0xDF => {
            let raw = i64::from(h & 0x1F) << 8 | i64::from(buf[pos + 1]);
            let v = if raw >= 4096 { raw - 8192 } else { raw };
            (Item::Int(v), 2)
        }
        0xE0..=0xEF => {
            let n = usize::from(h & 0x0F) << 8 | usize::from(buf[pos + 1]);
            (Item::Bytes(&buf[pos + 2..pos + 2 + n]), 2 + n)
        }
        STR64 => {
            let mut a = [0u8; 8];
            a.copy_from_slice(&buf[pos + 1..pos + 9]);
            let n = u64::from_le_bytes(a) as usize;
            (Item::Bytes(&buf[pos + 9..pos + 9 + n]), 9 + n)
        }
        _ => {
            let body = match h {
                INT16 => 3,
                INT24 => 4,
                INT32 => 5,
                _ => 9,
            };
            (Item::Int(read_int(&buf[pos + 1..pos + body])), body)
        }
    };
    (item, pos + body + backlen_size(body))
}

/// Offset just past the entry at `pos`.
fn next(buf: &[u8], pos: usize) -> usize {
    decode(buf, pos).1
}

/// Start of the entry that ends at `end`.
fn prev(buf: &[u8], end: usize) -> usize {
    let mut body = 0usize;
    let mut i = 0;
    loop {
        let b = buf[end - 1 - i];
        body |= usize::from(b & 0x7F) << (7 * i);
        i += 1;
        if b & 0x80 == 0 {
            break;
        }
    }
    end - i - body
}

// ---------------------------------------------------------------------------
// Nodes
// ---------------------------------------------------------------------------

#[derive(Clone, Debug, Default)]
struct Node {
    buf: Vec<u8>,
    count: u32,
}

impl Node {
    fn count(&self) -> usize {
        self.count as usize
    }

    /// Byte offset of entry `k` (k == count gives the end), walking from the nearer end.
    fn offset(&self, k: usize) -> usize {
        if k <= self.count() / 2 {
            (0..k).fold(0, |p, _| next(&self.buf, p))
        } else {
            (k..self.count()).fold(self.buf.len(), |p, _| prev(&self.buf, p))
        }
    }

    /// Replaces the bytes `pos..end` by `enc` (pos == end inserts).
    fn splice(&mut self, pos: usize, end: usize, enc: &Enc) {
        let n = enc.len();
        let old_len = self.buf.len();
        let removed = end - pos;
        if n > removed {
            let need = old_len + n - removed;
            if need > self.buf.capacity() {
                // Grow to powers of two: the node limits are powers of two, so a full
                // node never has spare capacity past its limit (doubling an odd
                // starting size would overshoot 8 KB up to 11 KB).
                self.buf.reserve_exact(need.next_power_of_two() - old_len);
            }
            self.buf.resize(need, 0);
            self.buf.copy_within(end..old_len, pos + n);
        } else if n < removed {
            self.buf.copy_within(end..old_len, pos + n);
            self.buf.truncate(old_len - (removed - n));
        }
        enc.write(&mut self.buf[pos..pos + n]);
    }

    fn with(enc: &Enc) -> Node {
        // Exact size: a big element alone in its node wastes nothing.
        let mut node = Node {
            buf: Vec::with_capacity(enc.len()),
            count: 1,
        };
        node.splice(0, 0, enc);
        node
    }

    /// Removes the byte spans (sorted, disjoint entries) in one pass.
    fn remove_spans(&mut self, spans: &[(usize, usize)]) {
        let Some(&(mut w, _)) = spans.first() else {
            return;
        };
        for (i, &(_, end)) in spans.iter().enumerate() {
            let stop = spans.get(i + 1).map_or(self.buf.len(), |s| s.0);
            self.buf.copy_within(end..stop, w);
            w += stop - end;
        }
        self.buf.truncate(w);
        self.count -= spans.len() as u32;
    }
}

// ---------------------------------------------------------------------------
// The list
// ---------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub struct List {
    nodes: VecDeque<Node>,
    len: usize,
    fill: i32,
}

impl Default for List {
    fn default() -> List {
        List::new()
    }
}

impl PartialEq for List {
    fn eq(&self, other: &List) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

impl List {
    pub fn new() -> List {
        List::with_fill(DEFAULT_FILL)
    }

    /// An empty list whose nodes follow `list-max-listpack-size` = `fill`.
    pub fn with_fill(fill: i32) -> List {
        List {
            nodes: VecDeque::new(),
            len: 0,
            fill: fill.clamp(-(SIZE_LEVELS.len() as i32), FILL_MAX),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether a node of `size` bytes and `count` entries is within the fill limits.
    fn fits(&self, size: usize, count: usize) -> bool {
        if self.fill < 0 {
            size <= SIZE_LEVELS[(-self.fill - 1) as usize]
        } else {
            size <= SIZE_SAFETY_LIMIT && count <= self.fill as usize
        }
    }

    /// Whether `node` can take one more entry of `add` bytes.
    fn allows(&self, node: &Node, add: usize) -> bool {
        self.fits(node.buf.len() + add, node.count() + 1)
    }

    /// Node index and entry index within it of list index `index` (< len).
    fn locate(&self, index: usize) -> (usize, usize) {
        if index < self.len / 2 {
            let mut i = index;
            for (ni, node) in self.nodes.iter().enumerate() {
                if i < node.count() {
                    return (ni, i);
                }
                i -= node.count();
            }
        } else {
            let mut from_end = self.len - index;
            for (ni, node) in self.nodes.iter().enumerate().rev() {
                if from_end <= node.count() {
                    return (ni, node.count() - from_end);
                }
                from_end -= node.count();
            }
        }
        (self.nodes.len(), 0)
    }

    /// Inserts before entry `k` of node `ni` (k == count appends to the node),
    /// spilling into a neighbour or a new node when the node is full.
    fn insert_at(&mut self, ni: usize, k: usize, enc: &Enc) {
        self.len += 1;
        let add = enc.len();
        let Some(node) = self.nodes.get(ni) else {
            self.nodes.push_back(Node::with(enc));
            return;
        };
        let count = node.count();
        if self.allows(node, add) {
            let node = &mut self.nodes[ni];
            let pos = node.offset(k);
            node.splice(pos, pos, enc);
            node.count += 1;
        } else if k == 0 && ni > 0 && self.allows(&self.nodes[ni - 1], add) {
            let prev = &mut self.nodes[ni - 1];
            let end = prev.buf.len();
            prev.splice(end, end, enc);
            prev.count += 1;
        } else if k == count && ni + 1 < self.nodes.len() && self.allows(&self.nodes[ni + 1], add) {
            let next = &mut self.nodes[ni + 1];
            next.splice(0, 0, enc);
            next.count += 1;
        } else if k == 0 {
            self.nodes.insert(ni, Node::with(enc));
        } else if k == count {
            self.nodes.insert(ni + 1, Node::with(enc));
        } else {
            // Full node, insertion in its middle: split it there.
            let node = &mut self.nodes[ni];
            let pos = node.offset(k);
            let right = Node {
                buf: node.buf.split_off(pos),
                count: (count - k) as u32,
            };
            node.count = k as u32;
            self.nodes.insert(ni + 1, right);
            if self.allows(&self.nodes[ni], add) {
                let left = &mut self.nodes[ni];
                let end = left.buf.len();
                left.splice(end, end, enc);
                left.count += 1;
            } else {
                self.nodes.insert(ni + 1, Node::with(enc));
            }
        }
    }

    pub fn push_front(&mut self, v: &[u8]) {
        self.insert_at(0, 0, &Enc::of(v));
    }

    pub fn push_back(&mut self, v: &[u8]) {
        let ni = self.nodes.len().saturating_sub(1);
        let k = self.nodes.back().map_or(0, Node::count);
        self.insert_at(ni, k, &Enc::of(v));
    }

    pub fn pop_front(&mut self) -> Option<Vec<u8>> {
        let v = self.iter().next()?.to_vec();
        self.drop_front(1);
        Some(v)
    }

    pub fn pop_back(&mut self) -> Option<Vec<u8>> {
        let v = self.iter_rev().next()?.to_vec();
        self.drop_back(1);
        Some(v)
    }

    /// Removes the first `n` elements (all if n >= len).
    pub fn drop_front(&mut self, n: usize) {
        let mut n = n.min(self.len);
        self.len -= n;
        while n > 0 {
            let Some(node) = self.nodes.front_mut() else {
                break;
            };
            if node.count() <= n {
                n -= node.count();
                self.nodes.pop_front();
            } else {
                let pos = node.offset(n);
                node.buf.drain(..pos);
                node.count -= n as u32;
                n = 0;
            }
        }
    }

    /// Removes the last `n` elements (all if n >= len).
    pub fn drop_back(&mut self, n: usize) {
        let mut n = n.min(self.len);
        self.len -= n;
        while n > 0 {
            let Some(node) = self.nodes.back_mut() else {
                break;
            };
            if node.count() <= n {
                n -= node.count();
                self.nodes.pop_back();
            } else {
                let pos = node.offset(node.count() - n);
                node.buf.truncate(pos);
                node.count -= n as u32;
                n = 0;
            }
        }
    }

    /// List index of a Redis-style index (negative counts from the tail), if in range.
    fn index(&self, index: i64) -> Option<usize> {
        let i = if index < 0 {
            (self.len as i64).checked_add(index)?
        } else {
            index
        };
        usize::try_from(i).ok().filter(|&i| i < self.len)
    }

    /// The element at a Redis-style index (negative counts from the tail).
    pub fn get(&self, index: i64) -> Option<Item<'_>> {
        let i = self.index(index)?;
        let (ni, k) = self.locate(i);
        let node = self.nodes.get(ni)?;
        Some(decode(&node.buf, node.offset(k)).0)
    }

    /// Replaces the element at a Redis-style index; false if out of range.
    pub fn set(&mut self, index: i64, v: &[u8]) -> bool {
        let Some(i) = self.index(index) else {
            return false;
        };
        let (ni, k) = self.locate(i);
        let enc = Enc::of(v);
        let Some(node) = self.nodes.get(ni) else {
            return false;
        };
        let pos = node.offset(k);
        let end = next(&node.buf, pos);
        let new_size = node.buf.len() - (end - pos) + enc.len();
        if node.count == 1 || self.fits(new_size, node.count()) {
            self.nodes[ni].splice(pos, end, &enc);
        } else {
            // Does not fit in place: remove it, then insert as LINSERT would.
            let node = &mut self.nodes[ni];
            node.buf.drain(pos..end);
            node.count -= 1;
            self.len -= 1;
            self.insert_at(ni, k, &enc);
        }
        true
    }

    /// Inserts `v` before (or after) the first element equal to `pivot`.
    /// Returns false if there is no such element.
    pub fn insert(&mut self, pivot: &[u8], after: bool, v: &[u8]) -> bool {
        let needle = Needle::new(pivot);
        for ni in 0..self.nodes.len() {
            let node = &self.nodes[ni];
            let mut pos = 0;
            for k in 0..node.count() {
                let (item, end) = decode(&node.buf, pos);
                if item.matches(&needle) {
                    self.insert_at(ni, k + usize::from(after), &Enc::of(v));
                    return true;
                }
                pos = end;
            }
        }
        false
    }

    /// Removes up to |count| elements equal to `v`, from the head if count > 0,
    /// from the tail if count < 0, all of them if count == 0. Returns how many.
    pub fn remove(&mut self, v: &[u8], count: i64) -> usize {
        let needle = Needle::new(v);
        let limit = if count == 0 {
            usize::MAX
        } else {
            usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX)
        };
        let from_tail = count < 0;
        let mut removed = 0;
        let mut spans = Vec::new();
        for i in 0..self.nodes.len() {
            if removed == limit {
                break;
            }
            let ni = if from_tail {
                self.nodes.len() - 1 - i
            } else {
                i
            };
            let node = &mut self.nodes[ni];
            spans.clear();
            let mut pos = 0;
            while pos < node.buf.len() {
                let (item, end) = decode(&node.buf, pos);
                if item.matches(&needle) {
                    spans.push((pos, end));
                }
                pos = end;
            }
            let want = limit - removed;
            let take = if from_tail {
                &spans[spans.len().saturating_sub(want)..]
            } else {
                &spans[..spans.len().min(want)]
            };
            node.remove_spans(take);
            removed += take.len();
        }
        if removed > 0 {
            self.len -= removed;
            self.tidy();
        }
        removed
    }

    /// After deletions in the middle: drops empty nodes, merges neighbours that
    /// fit in one node and returns spare buffer capacity.
    fn tidy(&mut self) {
        self.nodes.retain(|n| n.count > 0);
        let mut i = 0;
        while i + 1 < self.nodes.len() {
            let (a, b) = (&self.nodes[i], &self.nodes[i + 1]);
            if self.fits(a.buf.len() + b.buf.len(), a.count() + b.count()) {
                if let Some(b) = self.nodes.remove(i + 1) {
                    let a = &mut self.nodes[i];
                    a.buf.reserve_exact(b.buf.len());
                    a.buf.extend_from_slice(&b.buf);
                    a.count += b.count;
                }
            } else {
                i += 1;
            }
        }
        for n in &mut self.nodes {
            if n.buf.capacity() > 2 * n.buf.len() + 64 {
                n.buf.shrink_to_fit();
            }
        }
    }

    /// All elements from the head.
    pub fn iter(&self) -> Iter<'_> {
        self.iter_from(0)
    }

    /// Elements from index `start` (< len, else empty) to the tail.
    pub fn iter_from(&self, start: usize) -> Iter<'_> {
        if start >= self.len {
            return Iter {
                nodes: &self.nodes,
                ni: self.nodes.len(),
                pos: 0,
                left: 0,
            };
        }
        let (ni, k) = self.locate(start);
        let pos = self.nodes.get(ni).map_or(0, |n| n.offset(k));
        Iter {
            nodes: &self.nodes,
            ni,
            pos,
            left: self.len - start,
        }
    }

    /// All elements from the tail.
    pub fn iter_rev(&self) -> RevIter<'_> {
        RevIter {
            nodes: &self.nodes,
            ni: self.nodes.len(),
            end: 0,
            left: self.len,
        }
    }

    /// Approximate heap bytes (lazy-free decisions, MEMORY USAGE).
    pub fn heap_bytes(&self) -> usize {
        self.nodes.iter().map(|n| n.buf.capacity()).sum::<usize>()
            + self.nodes.capacity() * std::mem::size_of::<Node>()
    }
}

/// Elements from the head side, streaming over the nodes.
pub struct Iter<'a> {
    nodes: &'a VecDeque<Node>,
    ni: usize,
    pos: usize,
    left: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = Item<'a>;

    fn next(&mut self) -> Option<Item<'a>> {
        if self.left == 0 {
            return None;
        }
        let mut node = self.nodes.get(self.ni)?;
        while self.pos >= node.buf.len() {
            self.ni += 1;
            self.pos = 0;
            node = self.nodes.get(self.ni)?;
        }
        let (item, end) = decode(&node.buf, self.pos);
        self.pos = end;
        self.left -= 1;
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// Elements from the tail side.
pub struct RevIter<'a> {
    nodes: &'a VecDeque<Node>,
    /// One past the current node while `end` is 0.
    ni: usize,
    end: usize,
    left: usize,
}

impl<'a> Iterator for RevIter<'a> {
    type Item = Item<'a>;

    fn next(&mut self) -> Option<Item<'a>> {
        if self.left == 0 {
            return None;
        }
        while self.end == 0 {
            self.ni = self.ni.checked_sub(1)?;
            self.end = self.nodes.get(self.ni)?.buf.len();
        }
        let buf = &self.nodes.get(self.ni)?.buf;
        let start = prev(buf, self.end);
        self.end = start;
        self.left -= 1;
        Some(decode(buf, start).0)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for RevIter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(l: &List) -> Vec<Vec<u8>> {
        l.iter().map(Item::to_vec).collect()
    }

    fn check(l: &List, model: &[Vec<u8>]) {
        assert_eq!(l.len(), model.len());
        assert_eq!(strings(l), model);
        let mut rev: Vec<Vec<u8>> = l.iter_rev().map(Item::to_vec).collect();
        rev.reverse();
        assert_eq!(rev, model);
        assert_eq!(l.nodes.iter().map(Node::count).sum::<usize>(), l.len());
        assert!(l.nodes.iter().all(|n| n.count > 0));
        for n in &l.nodes {
            assert!(
                n.count == 1 || l.fits(n.buf.len(), n.count()),
                "node over limit"
            );
        }
    }

    #[test]
    fn encodes_every_kind() {
        let values: Vec<Vec<u8>> = [
            "0",
            "1",
            "127",
            "128",
            "-1",
            "4095",
            "-4096",
            "4096",
            "-4097",
            "32767",
            "-32768",
            "32768",
            "8388607",
            "-8388608",
            "8388608",
            "2147483647",
            "-2147483648",
            "2147483648",
            "9223372036854775807",
            "-9223372036854775808",
            "",
            "a",
            "007",
            "-0",
            "+1",
            "1.5",
            "99999999999999999999",
        ]
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .chain([
            vec![b'x'; 63],
            vec![b'y'; 64],
            vec![b'z'; 4095],
            vec![b'w'; 4096],
        ])
        .chain([vec![b'v'; 70000]])
        .collect();
        let mut l = List::new();
        for v in &values {
            l.push_back(v);
        }
        check(&l, &values);
        for (i, v) in values.iter().enumerate() {
            assert_eq!(l.get(i as i64).map(Item::to_vec).as_ref(), Some(v));
            assert!(l
                .get(i as i64)
                .is_some_and(|it| it.matches(&Needle::new(v))));
        }
        assert_eq!(l.get(values.len() as i64), None);
        assert_eq!(l.get(-(values.len() as i64) - 1), None);
        assert_eq!(l.get(i64::MIN), None);
        assert_eq!(l.get(-1).map(Item::to_vec), values.last().cloned());
    }

    #[test]
    fn integers_and_strings_never_match_each_other() {
        assert!(!Item::Bytes(b"12").matches(&Needle::new(b"12")));
        assert!(Item::Int(12).matches(&Needle::new(b"12")));
        assert!(!Item::Int(12).matches(&Needle::new(b"012")));
        assert!(Item::Bytes(b"012").matches(&Needle::new(b"012")));
    }

    /// A small xorshift generator for the model test.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }
    }

    #[test]
    fn matches_a_model_under_random_operations() {
        for fill in [-1, -2, 0, 1, 3, 100] {
            let mut rng = Rng(0x1234_5678_u64.wrapping_add(fill as u64));
            let mut l = List::with_fill(fill);
            let mut m: Vec<Vec<u8>> = Vec::new();
            for _ in 0..4000 {
                let v: Vec<u8> = match rng.below(4) {
                    0 => rng.below(20).to_string().into_bytes(),
                    1 => vec![b'a' + rng.below(3) as u8; rng.below(5) as usize],
                    2 => vec![b'q'; rng.below(3000) as usize],
                    _ => (rng.below(1 << 40) as i64 - (1 << 39))
                        .to_string()
                        .into_bytes(),
                };
                let idx = rng.below(m.len() as u64 + 2) as i64 - 1;
                match rng.below(10) {
                    0 | 1 => {
                        l.push_back(&v);
                        m.push(v);
                    }
                    2 => {
                        l.push_front(&v);
                        m.insert(0, v);
                    }
                    3 => assert_eq!(l.pop_front(), (!m.is_empty()).then(|| m.remove(0))),
                    4 => assert_eq!(l.pop_back(), m.pop()),
                    5 => {
                        let i = if idx < 0 { m.len() as i64 + idx } else { idx };
                        let ok = (0..m.len() as i64).contains(&i);
                        assert_eq!(l.set(idx, &v), ok);
                        if ok {
                            m[i as usize] = v;
                        }
                    }
                    6 => {
                        let after = rng.below(2) == 1;
                        let pivot = m.get(rng.below(m.len() as u64 + 1) as usize).cloned();
                        let pivot = pivot.unwrap_or_else(|| b"none".to_vec());
                        let found = m.iter().position(|x| *x == pivot);
                        assert_eq!(l.insert(&pivot, after, &v), found.is_some());
                        if let Some(p) = found {
                            m.insert(p + usize::from(after), v);
                        }
                    }
                    7 => {
                        let count = rng.below(5) as i64 - 2;
                        let target = m.get(rng.below(m.len() as u64 + 1) as usize).cloned();
                        let target = target.unwrap_or_default();
                        let mut positions: Vec<usize> =
                            (0..m.len()).filter(|&i| m[i] == target).collect();
                        if count < 0 {
                            positions.reverse();
                        }
                        if count != 0 {
                            positions.truncate(count.unsigned_abs() as usize);
                        }
                        positions.sort_unstable();
                        for &p in positions.iter().rev() {
                            m.remove(p);
                        }
                        assert_eq!(l.remove(&target, count), positions.len());
                    }
                    8 => {
                        let n = rng.below(4) as usize;
                        if rng.below(2) == 0 {
                            l.drop_front(n);
                            m.drain(..n.min(m.len()));
                        } else {
                            l.drop_back(n);
                            m.truncate(m.len().saturating_sub(n));
                        }
                    }
                    _ => {
                        let start = rng.below(m.len() as u64 + 1) as usize;
                        let got: Vec<Vec<u8>> = l.iter_from(start).map(Item::to_vec).collect();
                        assert_eq!(got, m[start.min(m.len())..]);
                        assert_eq!(l.iter_from(start).len(), m.len().saturating_sub(start));
                    }
                }
                check(&l, &m);
            }
        }
    }

    #[test]
    fn nodes_respect_the_byte_limit() {
        let mut l = List::new();
        for _ in 0..100_000 {
            l.push_back(b"xxx");
        }
        // 5 bytes per entry, 8 KB nodes.
        assert!(l.nodes.len() <= 100_000 * 5 / 8000 + 1);
        assert!(l.nodes.iter().all(|n| n.buf.len() <= 8192));
        assert_eq!(l.heap_bytes() / 100_000, 5);
        // Built from the head, or with 22-byte entries: no spare capacity either.
        let mut h = List::new();
        let mut t = List::new();
        for _ in 0..100_000 {
            h.push_front(b"xxx");
            t.push_back(&[b'y'; 20]);
        }
        assert_eq!(h.heap_bytes() / 100_000, 5);
        assert_eq!(t.heap_bytes() / 100_000, 22);
        let mut c = List::with_fill(128);
        for i in 0..1000 {
            c.push_front(i.to_string().as_bytes());
        }
        assert!(c.nodes.iter().all(|n| n.count <= 128));
        assert_eq!(c.get(0).map(Item::to_vec), Some(b"999".to_vec()));
    }
}
