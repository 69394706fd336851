//! The stream type, stored as Redis stores it: an ordered map from each node's
//! master id to a node that is a Redis-format listpack (so RDB can write nodes
//! byte for byte, and node boundaries, and therefore `~` trimming, match Redis).
//!
//! The node index is a sorted deque of (master id, listpack) rather than a tree:
//! nodes are only ever appended at the end and trimmed from the front, and at 32
//! bytes a node it costs less than Redis's rax. Closed nodes are boxed to their
//! exact size; the last node stays open with room to grow, as Redis preallocates
//! its tail listpack.
//!
//! A node's listpack holds a master entry and then the entries:
//!
//! ```text
//! master: count deleted num-fields field_1 .. field_N 0
//! entry:  flags ms-diff seq-diff [num-fields field value ..| value ..] lp-count
//! ```
//!
//! `count`/`deleted` are the node's live and deleted-flagged entries; an entry's
//! id is stored as the difference from the master id (the map key); when an entry
//! has exactly the master's fields it stores only its values (SAMEFIELDS flag);
//! `lp-count` is the number of elements of the entry before it, so the node can be
//! walked backwards (the master's terminator 0 ends that walk). Deleted entries
//! are only flagged, as in Redis; a node goes away when its last live entry does.

use super::listpack::{self as lp, Ele};
use crate::util::num;
use std::collections::VecDeque;

pub use super::stream_group::Groups;

/// A stream entry id: milliseconds and sequence number.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StreamId {
    pub ms: u64,
    pub seq: u64,
}

impl StreamId {
    pub const MIN: StreamId = StreamId { ms: 0, seq: 0 };
    pub const MAX: StreamId = StreamId {
        ms: u64::MAX,
        seq: u64::MAX,
    };

    pub const fn new(ms: u64, seq: u64) -> StreamId {
        StreamId { ms, seq }
    }

    /// The next id (None after MAX), as Redis's streamIncrID.
    pub fn incr(self) -> Option<StreamId> {
        if self.seq < u64::MAX {
            Some(StreamId::new(self.ms, self.seq + 1))
        } else if self.ms < u64::MAX {
            Some(StreamId::new(self.ms + 1, 0))
        } else {
            None
        }
    }

    /// The previous id (None before MIN), as Redis's streamDecrID.
    pub fn decr(self) -> Option<StreamId> {
        if self.seq > 0 {
            Some(StreamId::new(self.ms, self.seq - 1))
        } else if self.ms > 0 {
            Some(StreamId::new(self.ms - 1, u64::MAX))
        } else {
            None
        }
    }

    /// The id `*` gives after this last id at time `now_ms` (Redis's streamNextID):
    /// ids never go backwards, even if the clock does.
    pub fn next_auto(self, now_ms: u64) -> Option<StreamId> {
        if now_ms > self.ms {
            Some(StreamId::new(now_ms, 0))
        } else {
            self.incr()
        }
    }

    /// Appends "ms-seq".
    pub fn write(&self, out: &mut Vec<u8>) {
        num::fmt_u64(self.ms, out);
        out.push(b'-');
        num::fmt_u64(self.seq, out);
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(24);
        self.write(&mut v);
        v
    }

    /// The 16-byte big-endian form Redis uses as the rax key (and RDB writes).
    pub fn to_be_bytes(&self) -> [u8; 16] {
        let mut k = [0u8; 16];
        k[..8].copy_from_slice(&self.ms.to_be_bytes());
        k[8..].copy_from_slice(&self.seq.to_be_bytes());
        k
    }
}

impl std::fmt::Display for StreamId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.ms, self.seq)
    }
}

/// An entry's (field, value) pairs, owned.
pub type Fields = Vec<(Vec<u8>, Vec<u8>)>;

/// Entry flags, as Redis writes them.
pub const FLAG_DELETED: i64 = 1;
pub const FLAG_SAMEFIELDS: i64 = 2;

/// Node size limits (stream-node-max-bytes / stream-node-max-entries; 0 = none).
#[derive(Clone, Copy, Debug)]
pub struct NodeLimits {
    pub max_bytes: u64,
    pub max_entries: u64,
}

/// Redis's cap on one listpack (STREAM_LISTPACK_MAX_SIZE).
const LISTPACK_MAX_SIZE: u64 = 1 << 30;
/// What a new tail node preallocates (STREAM_LISTPACK_MAX_PRE_ALLOCATE).
const PREALLOC: u64 = 4096;

/// How XADD/XTRIM trim.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Trim {
    MaxLen(u64),
    MinId(StreamId),
}

/// Why an entry could not be added.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AddError {
    /// Fields and values together exceed what a listpack can hold.
    TooLarge,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stream {
    nodes: Nodes,
    pub length: u64,
    pub last_id: StreamId,
    /// The first live entry's id (0-0 when empty), as Redis keeps it.
    pub first_id: StreamId,
    pub max_deleted_id: StreamId,
    pub entries_added: u64,
    pub groups: Groups,
}

/// The master entry of a node.
struct Master {
    count: i64,
    nfields: usize,
    /// Offset of the first master field.
    fields_at: Option<usize>,
    /// Offset of the first entry's flags.
    entries_at: Option<usize>,
}

fn master(node: &[u8]) -> Master {
    let p_count = lp::HEADER;
    let count = lp::get_int(node, p_count);
    let p_del = lp::next(node, p_count).unwrap_or(p_count);
    let p_nf = lp::next(node, p_del).unwrap_or(p_del);
    let nfields = lp::get_int(node, p_nf).max(0) as usize;
    let mut p = lp::next(node, p_nf);
    let fields_at = if nfields > 0 { p } else { None };
    p = skip_elements(node, p, nfields);
    // `p` is the master terminator.
    let entries_at = p.and_then(|at| lp::next(node, at));
    Master {
        count,
        nfields,
        fields_at,
        entries_at,
    }
}

/// The element `n` elements after `p` (None past the end).
fn skip_elements(node: &[u8], mut p: Option<usize>, n: usize) -> Option<usize> {
    for _ in 0..n {
        p = lp::next(node, p?);
    }
    p
}

/// Checks that `node` is a well-formed stream node, for nodes from outside (RDB,
/// RESTORE), as Redis's deep stream listpack check: a valid listpack; a master
/// entry of integers and fields ending in 0; entries whose flags, id diffs and
/// field counts are integers, whose lp-count is right; and live/deleted counts
/// that match the master's. Nodes that pass cannot make the readers misbehave.
pub fn validate_node(node: &[u8]) -> bool {
    if !lp::validate(node) {
        return false;
    }
    let int_at = |p: Option<usize>| -> Option<i64> {
        match lp::get(node, p?) {
            Ele::Int(n) => Some(n),
            Ele::Str(_) => None,
        }
    };
    let check = || -> Option<()> {
        let p = lp::first(node);
        let count = int_at(p)?;
        let p = lp::next(node, p?);
        let deleted = int_at(p)?;
        let p = lp::next(node, p?);
        let nfields = usize::try_from(int_at(p)?).ok()?;
        let p = skip_elements(node, lp::next(node, p?), nfields);
        if int_at(p)? != 0 {
            return None;
        }
        let (mut live, mut dead) = (0i64, 0i64);
        let mut p = lp::next(node, p?);
        while p.is_some() {
            let flags = int_at(p)?;
            p = lp::next(node, p?);
            int_at(p)?; // ms diff
            p = lp::next(node, p?);
            int_at(p)?; // seq diff
            p = lp::next(node, p?);
            let (fields, extra) = if flags & FLAG_SAMEFIELDS != 0 {
                (nfields, 3)
            } else {
                let n = usize::try_from(int_at(p)?).ok()?;
                p = lp::next(node, p?);
                p = skip_elements(node, p, n);
                (n, 3 + n + 1)
            };
            p = skip_elements(node, p, fields);
            if usize::try_from(int_at(p)?).ok()? != fields + extra {
                return None;
            }
            p = lp::next(node, p?);
            if flags & FLAG_DELETED != 0 {
                dead += 1;
            } else {
                live += 1;
            }
        }
        (live == count && dead == deleted && live > 0).then_some(())
    };
    check().is_some()
}

/// One entry of a node, located.
struct Raw {
    at: usize,
    flags: i64,
    id: StreamId,
    same_fields: bool,
    nfields: usize,
    /// Offset of the first field (or first value with SAMEFIELDS).
    data_at: Option<usize>,
    /// Offset of the next entry's flags.
    next: Option<usize>,
}

fn read_entry(node: &[u8], master_id: StreamId, m: &Master, at: usize) -> Raw {
    let flags = lp::get_int(node, at);
    let p_ms = lp::next(node, at).unwrap_or(at);
    let p_seq = lp::next(node, p_ms).unwrap_or(p_ms);
    let id = StreamId::new(
        master_id.ms.wrapping_add(lp::get_int(node, p_ms) as u64),
        master_id.seq.wrapping_add(lp::get_int(node, p_seq) as u64),
    );
    let same_fields = flags & FLAG_SAMEFIELDS != 0;
    let mut p = lp::next(node, p_seq);
    let (nfields, data_at) = if same_fields {
        (m.nfields, p)
    } else {
        let nf = p.map_or(0, |at| lp::get_int(node, at).max(0) as usize);
        p = p.and_then(|at| lp::next(node, at));
        (nf, p)
    };
    let skip = if same_fields { nfields } else { nfields * 2 };
    p = skip_elements(node, p, skip);
    // `p` is the lp-count.
    let next = p.and_then(|at| lp::next(node, at));
    Raw {
        at,
        flags,
        id,
        same_fields,
        nfields,
        data_at,
        next,
    }
}

/// Offset of the flags of the entry whose lp-count is at `p` (None at the master
/// terminator).
fn entry_start_before(node: &[u8], p: usize) -> Option<usize> {
    let n = lp::get_int(node, p);
    if n <= 0 {
        return None;
    }
    let mut q = p;
    for _ in 0..n {
        q = lp::prev(node, q)?;
    }
    Some(q)
}

/// The (field, value) elements of an entry.
fn entry_elements<'a>(node: &'a [u8], m: &Master, e: &Raw, out: &mut Vec<(Ele<'a>, Ele<'a>)>) {
    out.clear();
    let mut p = e.data_at;
    if e.same_fields {
        let mut f = m.fields_at;
        for _ in 0..e.nfields {
            let (Some(fa), Some(va)) = (f, p) else { break };
            out.push((lp::get(node, fa), lp::get(node, va)));
            f = lp::next(node, fa);
            p = lp::next(node, va);
        }
    } else {
        for _ in 0..e.nfields {
            let Some(fa) = p else { break };
            let Some(va) = lp::next(node, fa) else { break };
            out.push((lp::get(node, fa), lp::get(node, va)));
            p = lp::next(node, va);
        }
    }
}

/// Calls `f` with the entry's pairs as byte slices (integers rendered into
/// `text`), without allocating for entries of up to 16 fields.
fn with_pairs<R>(
    eles: &[(Ele<'_>, Ele<'_>)],
    text: &mut Vec<u8>,
    spans: &mut Vec<(usize, usize)>,
    f: impl FnOnce(&[(&[u8], &[u8])]) -> R,
) -> R {
    text.clear();
    spans.clear();
    for (a, b) in eles {
        for e in [a, b] {
            if let Ele::Int(n) = e {
                let s = text.len();
                crate::util::num::fmt_i64(*n, text);
                spans.push((s, text.len()));
            }
        }
    }
    fn pick<'t>(e: Ele<'t>, text: &'t [u8], spans: &[(usize, usize)], k: &mut usize) -> &'t [u8] {
        match e {
            Ele::Str(s) => s,
            Ele::Int(_) => {
                let (a, b) = spans.get(*k).copied().unwrap_or((0, 0));
                *k += 1;
                &text[a..b]
            }
        }
    }
    let text: &[u8] = text;
    let mut k = 0;
    let mut bytes = |e| pick(e, text, spans, &mut k);
    if eles.len() <= 16 {
        let mut arr: [(&[u8], &[u8]); 16] = [(&[], &[]); 16];
        for (slot, (a, b)) in arr.iter_mut().zip(eles) {
            *slot = (bytes(*a), bytes(*b));
        }
        f(&arr[..eles.len()])
    } else {
        let v: Vec<(&[u8], &[u8])> = eles.iter().map(|(a, b)| (bytes(*a), bytes(*b))).collect();
        f(&v)
    }
}

/// The nodes in master-id order: closed ones shrunk to fit, and the open tail.
#[derive(Clone, Debug, Default, PartialEq)]
struct Nodes {
    closed: VecDeque<(StreamId, Box<[u8]>)>,
    /// The last node, open for appends (after every closed node).
    tail: Option<(StreamId, Vec<u8>)>,
}

impl Nodes {
    fn len(&self) -> usize {
        self.closed.len() + usize::from(self.tail.is_some())
    }

    fn is_empty(&self) -> bool {
        self.closed.is_empty() && self.tail.is_none()
    }

    /// Node `i` (0 <= i < len).
    fn get(&self, i: usize) -> (StreamId, &[u8]) {
        match self.closed.get(i) {
            Some((id, lp)) => (*id, lp),
            None => match &self.tail {
                Some((id, lp)) => (*id, lp),
                None => (StreamId::MAX, &[]),
            },
        }
    }

    /// Index of the last node whose master id is <= `id`.
    fn last_le(&self, id: StreamId) -> Option<usize> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.get(mid).0 <= id {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo.checked_sub(1)
    }

    /// Runs `f` on node `i`'s bytes for writing.
    fn with_mut<R>(&mut self, i: usize, f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
        if i < self.closed.len() {
            let slot = &mut self.closed[i].1;
            let mut v = std::mem::take(slot).into_vec();
            let r = f(&mut v);
            // Exact size again (no reallocation when the size did not change).
            *slot = v.into_boxed_slice();
            r
        } else {
            match &mut self.tail {
                Some((_, v)) => f(v),
                None => f(&mut Vec::new()),
            }
        }
    }

    fn remove(&mut self, i: usize) {
        if i < self.closed.len() {
            self.closed.remove(i);
            // Give back the index's room once most of it is unused.
            if self.closed.capacity() > 4 * self.closed.len() + 16 {
                self.closed.shrink_to(2 * self.closed.len());
            }
        } else {
            self.tail = None;
        }
    }

    /// The last node, for appends: the tail, or else the last closed node reopened.
    fn open_tail(&mut self) -> Option<(StreamId, &mut Vec<u8>)> {
        if self.tail.is_none() {
            let (id, lp) = self.closed.pop_back()?;
            self.tail = Some((id, lp.into_vec()));
        }
        self.tail.as_mut().map(|(id, v)| (*id, v))
    }

    /// Closes the tail: shrunk to fit, it joins the closed nodes.
    fn close_tail(&mut self) {
        if let Some((id, lp)) = self.tail.take() {
            self.push_closed(id, lp.into_boxed_slice());
        }
    }

    fn push_closed(&mut self, id: StreamId, lp: Box<[u8]>) {
        // Grow the index by a quarter at a time (the default doubling would
        // leave up to half of it unused).
        if self.closed.len() == self.closed.capacity() {
            self.closed.reserve_exact((self.closed.len() / 4).max(4));
        }
        self.closed.push_back((id, lp));
    }

    fn heap_bytes(&self) -> usize {
        self.closed.capacity() * std::mem::size_of::<(StreamId, Box<[u8]>)>()
            + self.closed.iter().map(|(_, lp)| lp.len()).sum::<usize>()
            + self.tail.as_ref().map_or(0, |(_, lp)| lp.capacity())
    }
}

impl Stream {
    pub fn new() -> Stream {
        Stream::default()
    }

    pub fn len(&self) -> u64 {
        self.length
    }

    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// Number of nodes (XINFO's radix-tree-keys).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// How many nodes Redis's rax would have for these nodes' keys (XINFO's
    /// radix-tree-nodes): the master ids as 16-byte big-endian keys in a radix
    /// tree whose single-child chains are compressed into one node each.
    pub fn rax_node_count(&self) -> usize {
        let keys: Vec<[u8; 16]> = self.nodes().map(|(id, _)| id.to_be_bytes()).collect();
        if keys.is_empty() {
            return 1; // the empty head
        }
        rax_nodes(&keys, 0)
    }

    /// The nodes as (master id, listpack bytes), in order (for RDB and DEBUG).
    pub fn nodes(&self) -> impl DoubleEndedIterator<Item = (StreamId, &[u8])> {
        (0..self.nodes.len()).map(|i| self.nodes.get(i))
    }

    /// Appends a node as read from an RDB file, in order (the caller validated it
    /// and sets length and the ids).
    pub fn push_node(&mut self, master_id: StreamId, node: Vec<u8>) {
        self.nodes.close_tail();
        self.nodes.push_closed(master_id, node.into_boxed_slice());
    }

    /// Approximate heap bytes (listpacks, the node index and the consumer groups).
    pub fn heap_bytes(&self) -> usize {
        self.nodes.heap_bytes() + self.groups.heap_bytes()
    }

    /// The id `*` gives at time `now_ms`: never behind the last id (Redis's
    /// streamNextID). None when the last possible id was used.
    pub fn next_auto_id(&self, now_ms: u64) -> Option<StreamId> {
        self.last_id.next_auto(now_ms)
    }

    /// Appends an entry with id `id` (greater than `last_id`: the caller checked)
    /// and `fields` given as a flat field, value, ... list. Updates length,
    /// last_id, first_id and entries_added.
    pub fn append<T: AsRef<[u8]>>(
        &mut self,
        id: StreamId,
        fields: &[T],
        limits: NodeLimits,
    ) -> Result<(), AddError> {
        let total: u64 = fields.iter().map(|f| f.as_ref().len() as u64).sum();
        if total > LISTPACK_MAX_SIZE {
            return Err(AddError::TooLarge);
        }
        let numfields = fields.len() / 2;
        let full = match self.nodes.open_tail() {
            None => true,
            Some((_, node)) => {
                let mut max_bytes = limits.max_bytes;
                if max_bytes == 0 || max_bytes > LISTPACK_MAX_SIZE {
                    max_bytes = LISTPACK_MAX_SIZE;
                }
                if node.len() as u64 + total >= max_bytes {
                    true
                } else if limits.max_entries != 0 {
                    let p = lp::HEADER;
                    let live = lp::get_int(node, p);
                    let deleted = lp::next(node, p).map_or(0, |d| lp::get_int(node, d));
                    (live + deleted) as u64 >= limits.max_entries
                } else {
                    false
                }
            }
        };
        let mut flags = 0;
        match self.nodes.open_tail() {
            Some((master_id, node)) if !full => {
                let count = lp::get_int(node, lp::HEADER);
                lp::replace_int(node, lp::HEADER, count + 1);
                let m = master(node);
                if m.nfields == numfields {
                    let mut p = m.fields_at;
                    let mut same = true;
                    for f in fields.iter().step_by(2) {
                        match p {
                            Some(at) if lp::get(node, at).eq_bytes(f.as_ref()) => {
                                p = lp::next(node, at);
                            }
                            _ => {
                                same = false;
                                break;
                            }
                        }
                    }
                    if same {
                        flags |= FLAG_SAMEFIELDS;
                    }
                }
                Self::append_entry(node, master_id, id, flags, fields);
            }
            _ => {
                self.nodes.close_tail();
                let mut prealloc = PREALLOC;
                if limits.max_bytes > 0 && limits.max_bytes < prealloc {
                    prealloc = limits.max_bytes;
                }
                let mut node = lp::new_with_capacity(prealloc as usize);
                lp::append_int(&mut node, 1);
                lp::append_int(&mut node, 0);
                lp::append_int(&mut node, numfields as i64);
                for f in fields.iter().step_by(2) {
                    lp::append_str(&mut node, f.as_ref());
                }
                lp::append_int(&mut node, 0);
                flags |= FLAG_SAMEFIELDS;
                Self::append_entry(&mut node, id, id, flags, fields);
                self.nodes.tail = Some((id, node));
            }
        }
        self.length += 1;
        self.entries_added = self.entries_added.wrapping_add(1);
        self.last_id = id;
        if self.length == 1 {
            self.first_id = id;
        }
        Ok(())
    }

    fn append_entry<T: AsRef<[u8]>>(
        node: &mut Vec<u8>,
        master_id: StreamId,
        id: StreamId,
        flags: i64,
        fields: &[T],
    ) {
        let same = flags & FLAG_SAMEFIELDS != 0;
        let numfields = (fields.len() / 2) as i64;
        lp::append_int(node, flags);
        lp::append_int(node, id.ms.wrapping_sub(master_id.ms) as i64);
        lp::append_int(node, id.seq.wrapping_sub(master_id.seq) as i64);
        if !same {
            lp::append_int(node, numfields);
        }
        for pair in fields.chunks_exact(2) {
            if !same {
                lp::append_str(node, pair[0].as_ref());
            }
            lp::append_str(node, pair[1].as_ref());
        }
        let mut lp_count = numfields + 3;
        if !same {
            lp_count += numfields + 1;
        }
        lp::append_int(node, lp_count);
    }

    /// Visits the live entries with start <= id <= end, ascending (or descending
    /// with `rev`), until `visit` returns false. Pairs are (field, value) in the
    /// entry's order.
    pub fn range(
        &self,
        start: StreamId,
        end: StreamId,
        rev: bool,
        mut visit: impl FnMut(StreamId, &[(&[u8], &[u8])]) -> bool,
    ) {
        if start > end {
            return;
        }
        let mut eles = Vec::new();
        let mut text = Vec::new();
        let mut spans = Vec::new();
        if !rev {
            // The node holding `start` is the last one whose master id <= start.
            let from = self.nodes.last_le(start).unwrap_or(0);
            for i in from..self.nodes.len() {
                let (mid, node) = self.nodes.get(i);
                if mid > end {
                    return;
                }
                let m = master(node);
                let mut p = m.entries_at;
                while let Some(at) = p {
                    let e = read_entry(node, mid, &m, at);
                    p = e.next;
                    if e.id > end {
                        return;
                    }
                    if e.flags & FLAG_DELETED != 0 || e.id < start {
                        continue;
                    }
                    entry_elements(node, &m, &e, &mut eles);
                    if !with_pairs(&eles, &mut text, &mut spans, |pairs| visit(e.id, pairs)) {
                        return;
                    }
                }
            }
        } else {
            let Some(last) = self.nodes.last_le(end) else {
                return;
            };
            for i in (0..=last).rev() {
                let (mid, node) = self.nodes.get(i);
                let m = master(node);
                let mut p = lp::last(node).and_then(|l| entry_start_before(node, l));
                while let Some(at) = p {
                    let e = read_entry(node, mid, &m, at);
                    p = lp::prev(node, at).and_then(|l| entry_start_before(node, l));
                    if e.id < start {
                        return;
                    }
                    if e.flags & FLAG_DELETED != 0 || e.id > end {
                        continue;
                    }
                    entry_elements(node, &m, &e, &mut eles);
                    if !with_pairs(&eles, &mut text, &mut spans, |pairs| visit(e.id, pairs)) {
                        return;
                    }
                }
                if mid < start {
                    return;
                }
            }
        }
    }

    /// Ids of the live entries in [start, end], at most `limit` of them (0 = all).
    pub fn ids(&self, start: StreamId, end: StreamId, rev: bool, limit: usize) -> Vec<StreamId> {
        let mut out = Vec::new();
        self.range(start, end, rev, |id, _| {
            out.push(id);
            limit == 0 || out.len() < limit
        });
        out
    }

    /// One live entry's fields.
    pub fn get(&self, id: StreamId) -> Option<Fields> {
        let mut found = None;
        self.range(id, id, false, |_, pairs| {
            found = Some(owned(pairs));
            false
        });
        found
    }

    /// The first live entry.
    pub fn first_entry(&self) -> Option<(StreamId, Fields)> {
        self.edge_entry(false)
    }

    /// The last live entry.
    pub fn last_entry(&self) -> Option<(StreamId, Fields)> {
        self.edge_entry(true)
    }

    fn edge_entry(&self, rev: bool) -> Option<(StreamId, Fields)> {
        let mut found = None;
        self.range(StreamId::MIN, StreamId::MAX, rev, |id, pairs| {
            found = Some((id, owned(pairs)));
            false
        });
        found
    }

    /// The id of the first entry, deleted or not (MAX when there is none), as
    /// Redis's streamGetEdgeID without skipping tombstones.
    pub fn first_id_with_tombstones(&self) -> StreamId {
        if self.nodes.is_empty() {
            return StreamId::MAX;
        }
        let (mid, node) = self.nodes.get(0);
        let m = master(node);
        m.entries_at
            .map_or(StreamId::MAX, |at| read_entry(node, mid, &m, at).id)
    }

    /// The first live id (Redis's streamGetEdgeID skipping tombstones).
    pub fn first_live_id(&self) -> Option<StreamId> {
        self.ids(StreamId::MIN, StreamId::MAX, false, 1)
            .first()
            .copied()
    }

    /// The last live id (Redis's streamLastValidID).
    pub fn last_live_id(&self) -> Option<StreamId> {
        self.ids(StreamId::MIN, StreamId::MAX, true, 1)
            .first()
            .copied()
    }

    /// Flags entry `id` deleted; false if there is no such live entry. Updates
    /// the node counters and length only (see `delete_ids` for the rest).
    fn delete_one(&mut self, id: StreamId) -> bool {
        let Some(i) = self.nodes.last_le(id) else {
            return false;
        };
        let (mid, node) = self.nodes.get(i);
        let m = master(node);
        let mut p = m.entries_at;
        let mut hit = None;
        while let Some(at) = p {
            let e = read_entry(node, mid, &m, at);
            if e.id > id {
                break;
            }
            if e.id == id {
                if e.flags & FLAG_DELETED == 0 {
                    hit = Some((e.at, e.flags));
                }
                break;
            }
            p = e.next;
        }
        let Some((at, flags)) = hit else {
            return false;
        };
        if m.count <= 1 {
            self.nodes.remove(i);
        } else {
            self.nodes.with_mut(i, |node| {
                // Flags 0/2 -> 1/3: same size, so offsets after it do not move.
                lp::replace_int(node, at, flags | FLAG_DELETED);
                lp::replace_int(node, lp::HEADER, m.count - 1);
                if let Some(pd) = lp::next(node, lp::HEADER) {
                    let d = lp::get_int(node, pd);
                    lp::replace_int(node, pd, d + 1);
                }
            });
        }
        self.length = self.length.saturating_sub(1);
        true
    }

    /// XDEL: deletes the live entries among `ids`, keeping max_deleted_id and
    /// first_id as Redis does. Returns how many were deleted.
    pub fn delete_ids(&mut self, ids: &[StreamId]) -> u64 {
        let mut deleted = 0;
        let mut first_gone = false;
        for &id in ids {
            if self.delete_one(id) {
                if id == self.first_id {
                    first_gone = true;
                }
                if id > self.max_deleted_id {
                    self.max_deleted_id = id;
                }
                deleted += 1;
            }
        }
        if deleted > 0 {
            if self.length == 0 {
                self.first_id = StreamId::MIN;
            } else if first_gone {
                self.first_id = self.first_live_id().unwrap_or(StreamId::MAX);
            }
        }
        deleted
    }

    /// Trims from the head as Redis's streamTrim: whole nodes while they fit the
    /// strategy; then, unless `approx`, flags entries of the next node deleted.
    /// `limit` (0 = none) caps the entries removed. Returns how many were removed.
    pub fn trim(&mut self, how: Trim, approx: bool, limit: u64) -> u64 {
        let mut deleted: u64 = 0;
        loop {
            if let Trim::MaxLen(max) = how {
                if self.length <= max {
                    break;
                }
            }
            if self.nodes.is_empty() {
                break;
            }
            let (mid, node) = self.nodes.get(0);
            let m = master(node);
            let entries = m.count.max(0) as u64;
            if limit != 0 && deleted + entries > limit {
                break;
            }
            let remove = match how {
                Trim::MaxLen(max) => self.length.saturating_sub(entries) >= max,
                Trim::MinId(min) => {
                    let last = lp::last(node)
                        .and_then(|l| entry_start_before(node, l))
                        .map(|at| read_entry(node, mid, &m, at).id);
                    last.is_none_or(|l| l < min)
                }
            };
            if remove {
                self.nodes.remove(0);
                self.length = self.length.saturating_sub(entries);
                deleted += entries;
                continue;
            }
            if approx {
                break;
            }
            // Flag entries deleted from the head of this node.
            let length = &mut self.length;
            let from_node = self.nodes.with_mut(0, |node| {
                let mut from_node: i64 = 0;
                let mut p = m.entries_at;
                while let Some(at) = p {
                    let e = read_entry(node, mid, &m, at);
                    let stop = match how {
                        Trim::MaxLen(max) => *length <= max,
                        Trim::MinId(min) => e.id >= min,
                    };
                    if stop {
                        break;
                    }
                    p = e.next;
                    if e.flags & FLAG_DELETED == 0 {
                        lp::replace_int(node, e.at, e.flags | FLAG_DELETED);
                        from_node += 1;
                        *length = length.saturating_sub(1);
                    }
                }
                lp::replace_int(node, lp::HEADER, m.count - from_node);
                if let Some(pd) = lp::next(node, lp::HEADER) {
                    let d = lp::get_int(node, pd);
                    lp::replace_int(node, pd, d + from_node);
                }
                from_node
            });
            deleted += from_node as u64;
            break;
        }
        if self.length == 0 {
            self.first_id = StreamId::MIN;
        } else if deleted > 0 {
            self.first_id = self.first_live_id().unwrap_or(StreamId::MAX);
        }
        deleted
    }
}

/// Nodes of the subtree holding `keys` (sorted, distinct, all sharing their
/// first `depth` bytes): a compressed node for a shared run of bytes, a branch
/// node where they differ, and a leaf per key.
fn rax_nodes(keys: &[[u8; 16]], depth: usize) -> usize {
    let (Some(first), Some(last)) = (keys.first(), keys.last()) else {
        return 0;
    };
    if depth >= 16 {
        return 1;
    }
    let mut common = depth;
    while common < 16 && first[common] == last[common] {
        common += 1;
    }
    if common > depth {
        return 1 + rax_nodes(keys, common);
    }
    let mut n = 1;
    let mut rest = keys;
    while let Some(k) = rest.first() {
        let b = k[depth];
        let j = rest.partition_point(|x| x[depth] == b);
        n += rax_nodes(&rest[..j], depth + 1);
        rest = &rest[j..];
    }
    n
}

fn owned(pairs: &[(&[u8], &[u8])]) -> Fields {
    pairs
        .iter()
        .map(|(f, v)| (f.to_vec(), v.to_vec()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: NodeLimits = NodeLimits {
        max_bytes: 4096,
        max_entries: 100,
    };

    fn add(s: &mut Stream, ms: u64, seq: u64, fields: &[&str]) {
        let f: Vec<&[u8]> = fields.iter().map(|x| x.as_bytes()).collect();
        s.append(StreamId::new(ms, seq), &f, LIMITS).unwrap();
    }

    fn all(s: &Stream, rev: bool) -> Vec<(StreamId, Fields)> {
        let mut out = Vec::new();
        s.range(StreamId::MIN, StreamId::MAX, rev, |id, p| {
            out.push((id, owned(p)));
            true
        });
        out
    }

    #[test]
    fn node_bytes_match_redis_layout() {
        let mut s = Stream::new();
        add(&mut s, 1, 1, &["a", "1"]);
        add(&mut s, 1, 2, &["a", "2"]);
        add(&mut s, 2, 0, &["b", "x"]);
        let (mid, node) = s.nodes().next().unwrap();
        assert_eq!(mid, StreamId::new(1, 1));
        let mut want = lp::new();
        for v in [3, 0, 1] {
            lp::append_int(&mut want, v);
        }
        lp::append_str(&mut want, b"a");
        lp::append_int(&mut want, 0);
        // 1-1: SAMEFIELDS, diffs 0 0, value, lp-count 4.
        for v in [2, 0, 0, 1, 4] {
            lp::append_int(&mut want, v);
        }
        for v in [2, 0, 1, 2, 4] {
            lp::append_int(&mut want, v);
        }
        // 2-0: other fields: flags 0, diffs 1 -1, num-fields 1, b x, lp-count 6.
        for v in [0, 1, -1, 1] {
            lp::append_int(&mut want, v);
        }
        lp::append_str(&mut want, b"b");
        lp::append_str(&mut want, b"x");
        lp::append_int(&mut want, 6);
        assert_eq!(node, &want[..]);
        assert!(lp::validate(node));
    }

    /// The node Redis 7.0 DUMPs (rdbcompression off) after XADD st 1-1 name alice
    /// age 30, 1-5 name bob age 7000, 2-0 other x, 3-0 name carol age -5, and XDEL
    /// st 1-5: count, deleted flag, same-fields entries, negative diffs, integers.
    #[test]
    fn node_bytes_equal_a_redis_dump() {
        let want: &[u8] = &[
            0x64, 0x00, 0x00, 0x00, 0x1f, 0x00, 0x03, 0x01, 0x01, 0x01, 0x02, 0x01, 0x84, 0x6e,
            0x61, 0x6d, 0x65, 0x05, 0x83, 0x61, 0x67, 0x65, 0x04, 0x00, 0x01, 0x02, 0x01, 0x00,
            0x01, 0x00, 0x01, 0x85, 0x61, 0x6c, 0x69, 0x63, 0x65, 0x06, 0x1e, 0x01, 0x05, 0x01,
            0x03, 0x01, 0x00, 0x01, 0x04, 0x01, 0x83, 0x62, 0x6f, 0x62, 0x04, 0xf1, 0x58, 0x1b,
            0x03, 0x05, 0x01, 0x00, 0x01, 0x01, 0x01, 0xdf, 0xff, 0x02, 0x01, 0x01, 0x85, 0x6f,
            0x74, 0x68, 0x65, 0x72, 0x06, 0x81, 0x78, 0x02, 0x06, 0x01, 0x02, 0x01, 0x02, 0x01,
            0xdf, 0xff, 0x02, 0x85, 0x63, 0x61, 0x72, 0x6f, 0x6c, 0x06, 0xdf, 0xfb, 0x02, 0x05,
            0x01, 0xff,
        ];
        let mut s = Stream::new();
        add(&mut s, 1, 1, &["name", "alice", "age", "30"]);
        add(&mut s, 1, 5, &["name", "bob", "age", "7000"]);
        add(&mut s, 2, 0, &["other", "x"]);
        add(&mut s, 3, 0, &["name", "carol", "age", "-5"]);
        assert_eq!(s.delete_ids(&[StreamId::new(1, 5)]), 1);
        let nodes: Vec<_> = s.nodes().collect();
        assert_eq!(nodes.len(), 1);
        assert_eq!(nodes[0].0, StreamId::new(1, 1));
        assert_eq!(nodes[0].1, want);
    }

    #[test]
    fn range_both_ways_and_bounds() {
        let mut s = Stream::new();
        for i in 1..=250u64 {
            let v = i.to_string();
            if i % 3 == 0 {
                add(&mut s, i, 0, &["other", &v, "x", "y"]);
            } else {
                add(&mut s, i, 0, &["f", &v]);
            }
        }
        assert_eq!(s.node_count(), 3);
        let fwd = all(&s, false);
        let mut back = all(&s, true);
        back.reverse();
        assert_eq!(fwd, back);
        assert_eq!(fwd.len(), 250);
        assert_eq!(fwd[2].1[1], (b"x".to_vec(), b"y".to_vec()));
        assert_eq!(
            s.ids(StreamId::new(99, 1), StreamId::new(102, 0), false, 0),
            vec![
                StreamId::new(100, 0),
                StreamId::new(101, 0),
                StreamId::new(102, 0)
            ]
        );
        assert_eq!(
            s.ids(StreamId::new(99, 1), StreamId::new(102, 0), true, 2),
            vec![StreamId::new(102, 0), StreamId::new(101, 0)]
        );
        assert_eq!(
            s.get(StreamId::new(7, 0)),
            Some(vec![(b"f".to_vec(), b"7".to_vec())])
        );
        assert_eq!(s.get(StreamId::new(7, 1)), None);
    }

    #[test]
    fn delete_and_trim_keep_counters() {
        let mut s = Stream::new();
        for i in 1..=250u64 {
            add(&mut s, i, 0, &["f", "v"]);
        }
        assert_eq!(s.delete_ids(&[StreamId::new(1, 0), StreamId::new(1, 0)]), 1);
        assert_eq!(s.first_id, StreamId::new(2, 0));
        assert_eq!(s.max_deleted_id, StreamId::new(1, 0));
        assert_eq!(s.length, 249);
        // ~ removes whole nodes only.
        assert_eq!(s.trim(Trim::MaxLen(150), true, 0), 99);
        assert_eq!(s.length, 150);
        assert_eq!(s.first_id, StreamId::new(101, 0));
        // = flags entries inside the head node.
        assert_eq!(s.trim(Trim::MaxLen(140), false, 0), 10);
        assert_eq!(s.first_id, StreamId::new(111, 0));
        assert_eq!(s.trim(Trim::MinId(StreamId::new(205, 0)), false, 0), 94);
        assert_eq!(s.first_id, StreamId::new(205, 0));
        assert_eq!(s.node_count(), 1);
        assert_eq!(all(&s, true).len(), 46);
        assert_eq!(s.trim(Trim::MaxLen(0), false, 0), 46);
        assert_eq!(s.node_count(), 0);
        assert_eq!(s.first_id, StreamId::MIN);
        assert_eq!(s.last_id, StreamId::new(250, 0));
    }

    /// radix-tree-nodes as Redis 7.0 reports them along this sequence (nodes of
    /// 2 entries).
    #[test]
    fn rax_node_count_matches_redis() {
        let two = NodeLimits {
            max_bytes: 4096,
            max_entries: 2,
        };
        let mut s = Stream::new();
        assert_eq!(s.rax_node_count(), 1);
        let ids = [
            (1, 1),
            (1, 2),
            (1, 3),
            (2, 0),
            (300, 0),
            (301, 5),
            (70000, 0),
            (70001, 0),
            (4294967296, 0),
            (4294967297, 1),
            (4294967297, 2),
        ];
        for (ms, seq) in ids {
            s.append(StreamId::new(ms, seq), &[b"a", b"1"], two)
                .unwrap();
        }
        assert_eq!(s.rax_node_count(), 19);
        s.trim(Trim::MaxLen(8), true, 200);
        assert_eq!(s.rax_node_count(), 17);
        s.delete_ids(&[StreamId::new(300, 0), StreamId::new(301, 5)]);
        assert_eq!(s.rax_node_count(), 14);
        s.trim(Trim::MaxLen(3), true, 200);
        assert_eq!(s.rax_node_count(), 6);
        s.delete_ids(&[StreamId::new(4294967297, 2)]);
        assert_eq!(s.rax_node_count(), 2);
        s.append(StreamId::new(4294967297, 3), &[b"a", b"1"], two)
            .unwrap();
        assert_eq!(s.rax_node_count(), 6);
        s.trim(Trim::MaxLen(0), false, 0);
        assert_eq!(s.rax_node_count(), 1);
    }

    #[test]
    fn node_validation() {
        let mut s = Stream::new();
        add(&mut s, 1, 1, &["a", "1", "b", "2"]);
        add(&mut s, 1, 2, &["a", "3", "b", "4"]);
        add(&mut s, 2, 0, &["c", "x"]);
        s.delete_ids(&[StreamId::new(1, 2)]);
        let node = s.nodes().next().unwrap().1.to_vec();
        assert!(validate_node(&node));
        // Every single-byte change that keeps the listpack valid but breaks the
        // stream layout is caught; none of them makes the readers panic.
        for i in lp::HEADER..node.len() - 1 {
            for delta in [1u8, 2, 0x40, 0x80] {
                let mut bad = node.clone();
                bad[i] = bad[i].wrapping_add(delta);
                if validate_node(&bad) {
                    let mut t = Stream::new();
                    t.push_node(StreamId::new(1, 1), bad);
                    let _ = t.ids(StreamId::MIN, StreamId::MAX, false, 0);
                    let _ = t.ids(StreamId::MIN, StreamId::MAX, true, 0);
                }
            }
        }
        // Random corruption: whatever validates can be read, deleted from and
        // trimmed without panicking.
        let mut rnd = crate::util::xorshift(0x0dd5_eed5_u64);
        for _ in 0..20_000 {
            let mut bad = node.clone();
            for _ in 0..1 + rnd() % 2 {
                let i = lp::HEADER + (rnd() as usize) % (bad.len() - lp::HEADER);
                bad[i] = rnd() as u8;
            }
            if validate_node(&bad) {
                let mut t = Stream::new();
                t.push_node(StreamId::new(1, 1), bad);
                t.length = 1;
                let ids = t.ids(StreamId::MIN, StreamId::MAX, false, 0);
                let _ = t.ids(StreamId::MIN, StreamId::MAX, true, 0);
                let _ = t.first_id_with_tombstones();
                t.delete_ids(&ids[..ids.len().min(1)]);
                t.trim(Trim::MinId(StreamId::new(2, 0)), false, 0);
                t.trim(Trim::MaxLen(0), false, 0);
            }
        }
        // A wrong live count.
        let mut bad = node.clone();
        lp::replace_int(&mut bad, lp::HEADER, 5);
        assert!(!validate_node(&bad));
        // A master without its terminator.
        let mut lp2 = lp::new();
        for v in [1, 0, 1] {
            lp::append_int(&mut lp2, v);
        }
        lp::append_str(&mut lp2, b"a");
        assert!(!validate_node(&lp2));
        assert!(!validate_node(&lp::new()));
    }

    #[test]
    fn ids_arithmetic() {
        assert_eq!(StreamId::new(1, u64::MAX).incr(), Some(StreamId::new(2, 0)));
        assert_eq!(StreamId::MAX.incr(), None);
        assert_eq!(StreamId::new(2, 0).decr(), Some(StreamId::new(1, u64::MAX)));
        assert_eq!(StreamId::MIN.decr(), None);
        assert_eq!(StreamId::new(5, 3).to_bytes(), b"5-3");
        assert_eq!(
            StreamId::MAX.to_bytes(),
            b"18446744073709551615-18446744073709551615"
        );
        assert_eq!(StreamId::new(0, 10).to_bytes(), b"0-10");
    }
}
