//! The set type: an unordered collection of unique byte strings.
//!
//! Two encodings, as in Redis 7.0. While every member is an integer (in canonical
//! `string2ll` form) and there are at most `set-max-intset-entries` of them, the set
//! is an *intset*: a sorted packed array of integers of the smallest width (16, 32
//! or 64 bits) that holds them all, searched by bisection. Adding a non-integer or
//! growing past the limit converts it once and for all to a *hashtable*: a
//! `Dict<()>`, the keyspace's own table, so SSCAN keeps SCAN's guarantees and random
//! members come from `random_slot`. Commands see neither: they use this API only.

use crate::keyspace::dict::Dict;
use crate::util::{num, Rng};
use std::borrow::Cow;

/// A sorted array of distinct integers, all stored at the width of the widest one.
#[derive(Debug, Clone, PartialEq)]
pub enum IntSet {
    W16(Vec<i16>),
    W32(Vec<i32>),
    W64(Vec<i64>),
}

/// Runs `$body` with `$v` bound to the packed vector, whatever its width.
/// (Widening to i64 is a no-op in the 64-bit arm, hence the allow.)
macro_rules! with_ints {
    ($s:expr, $v:ident => $body:expr) => {
        #[allow(clippy::useless_conversion)]
        match $s {
            IntSet::W16($v) => $body,
            IntSet::W32($v) => $body,
            IntSet::W64($v) => $body,
        }
    };
}

impl Default for IntSet {
    fn default() -> Self {
        IntSet::W16(Vec::new())
    }
}

/// Width class needed to store `n`: 0 = 16 bits, 1 = 32, 2 = 64.
fn width_of(n: i64) -> u8 {
    if i16::try_from(n).is_ok() {
        0
    } else if i32::try_from(n).is_ok() {
        1
    } else {
        2
    }
}

impl IntSet {
    pub fn len(&self) -> usize {
        with_ints!(self, v => v.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn width(&self) -> u8 {
        match self {
            IntSet::W16(_) => 0,
            IntSet::W32(_) => 1,
            IntSet::W64(_) => 2,
        }
    }

    /// Position of `n`, or where it would be inserted.
    fn search(&self, n: i64) -> Result<usize, usize> {
        if width_of(n) > self.width() {
            // Out of this width's range: not present; it belongs at one end.
            return Err(if n < 0 { 0 } else { self.len() });
        }
        match self {
            IntSet::W16(v) => v.binary_search(&(n as i16)),
            IntSet::W32(v) => v.binary_search(&(n as i32)),
            IntSet::W64(v) => v.binary_search(&n),
        }
    }

    pub fn contains(&self, n: i64) -> bool {
        self.search(n).is_ok()
    }

    /// The member at `i` (in ascending order).
    pub fn get(&self, i: usize) -> Option<i64> {
        with_ints!(self, v => v.get(i).map(|&x| i64::from(x)))
    }

    /// Re-packs every member at the wider width `w`.
    fn upgrade(&mut self, w: u8) {
        let all: Vec<i64> = self.iter().collect();
        *self = match w {
            1 => IntSet::W32(all.iter().map(|&x| x as i32).collect()),
            _ => IntSet::W64(all),
        };
    }

    /// Adds `n`; false if it was already there.
    pub fn insert(&mut self, n: i64) -> bool {
        if width_of(n) > self.width() {
            self.upgrade(width_of(n));
        }
        match self.search(n) {
            Ok(_) => false,
            Err(pos) => {
                match self {
                    IntSet::W16(v) => v.insert(pos, n as i16),
                    IntSet::W32(v) => v.insert(pos, n as i32),
                    IntSet::W64(v) => v.insert(pos, n),
                }
                true
            }
        }
    }

    /// Removes `n`; false if it was not there. The width never shrinks (as in Redis).
    pub fn remove(&mut self, n: i64) -> bool {
        match self.search(n) {
            Ok(pos) => {
                with_ints!(self, v => { v.remove(pos); });
                true
            }
            Err(_) => false,
        }
    }

    /// Removes and returns the member at `i`.
    fn remove_at(&mut self, i: usize) -> Option<i64> {
        if i >= self.len() {
            return None;
        }
        Some(with_ints!(self, v => i64::from(v.remove(i))))
    }

    pub fn iter(&self) -> impl Iterator<Item = i64> + '_ {
        (0..self.len()).filter_map(move |i| self.get(i))
    }

    fn heap_bytes(&self) -> usize {
        match self {
            IntSet::W16(v) => v.capacity() * 2,
            IntSet::W32(v) => v.capacity() * 4,
            IntSet::W64(v) => v.capacity() * 8,
        }
    }
}

/// One member as stored: an integer (intset) or bytes (hashtable).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Member<'a> {
    Int(i64),
    Bytes(&'a [u8]),
}

impl Member<'_> {
    /// The member's bytes (integers rendered in decimal).
    pub fn to_bytes(&self) -> Cow<'_, [u8]> {
        match *self {
            Member::Int(n) => {
                let mut v = Vec::with_capacity(20);
                num::fmt_i64(n, &mut v);
                Cow::Owned(v)
            }
            Member::Bytes(b) => Cow::Borrowed(b),
        }
    }

    pub fn to_vec(&self) -> Vec<u8> {
        self.to_bytes().into_owned()
    }
}

pub enum Set {
    Ints(IntSet),
    /// Boxed, so a small set (and every key's entry) stays small.
    Table(Box<Dict<()>>),
}

impl Set {
    /// An empty set in the encoding Redis would create for a first member `first`
    /// (setTypeCreate): an intset for an integer, else a hashtable.
    pub fn new_for(first: &[u8]) -> Set {
        if num::parse_i64(first).is_some() {
            Set::Ints(IntSet::default())
        } else {
            Set::Table(Box::default())
        }
    }

    /// An empty intset (the starting point of SINTERSTORE/SUNIONSTORE results).
    pub fn new_intset() -> Set {
        Set::Ints(IntSet::default())
    }

    pub fn len(&self) -> usize {
        match self {
            Set::Ints(s) => s.len(),
            Set::Table(d) => d.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The OBJECT ENCODING name.
    pub fn encoding(&self) -> &'static str {
        match self {
            Set::Ints(_) => "intset",
            Set::Table(_) => "hashtable",
        }
    }

    /// Converts an intset to a hashtable (never the other way, as in Redis).
    fn convert_to_table(&mut self) {
        if let Set::Ints(ints) = self {
            let mut d = Dict::new();
            let mut buf = Vec::with_capacity(20);
            for n in ints.iter() {
                buf.clear();
                num::fmt_i64(n, &mut buf);
                d.insert_new(buf.as_slice().into(), ());
            }
            *self = Set::Table(Box::new(d));
        }
    }

    /// Adds `member`; false if already present. `max_intset` is the current
    /// set-max-intset-entries: an intset growing past it becomes a hashtable.
    pub fn add(&mut self, member: &[u8], max_intset: u64) -> bool {
        if let Set::Ints(ints) = self {
            match num::parse_i64(member) {
                Some(n) => {
                    if !ints.insert(n) {
                        return false;
                    }
                    if ints.len() as u64 > max_intset {
                        self.convert_to_table();
                    }
                    return true;
                }
                None => self.convert_to_table(),
            }
        }
        match self {
            Set::Table(d) => {
                if d.contains(member) {
                    false
                } else {
                    d.insert_new(member.into(), ());
                    true
                }
            }
            Set::Ints(_) => false,
        }
    }

    /// Removes `member`; false if it was not there.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        match self {
            Set::Ints(ints) => num::parse_i64(member).is_some_and(|n| ints.remove(n)),
            Set::Table(d) => d.remove(member).is_some(),
        }
    }

    pub fn contains(&self, member: &[u8]) -> bool {
        match self {
            Set::Ints(ints) => num::parse_i64(member).is_some_and(|n| ints.contains(n)),
            Set::Table(d) => d.contains(member),
        }
    }

    /// Membership of a member taken from another set (no conversion between two intsets).
    pub fn contains_member(&self, m: Member) -> bool {
        match (self, m) {
            (Set::Ints(ints), Member::Int(n)) => ints.contains(n),
            _ => self.contains(&m.to_bytes()),
        }
    }

    pub fn iter(&self) -> Box<dyn Iterator<Item = Member<'_>> + '_> {
        match self {
            Set::Ints(ints) => Box::new(ints.iter().map(Member::Int)),
            Set::Table(d) => Box::new(d.iter().map(|(_, s)| Member::Bytes(&s.key))),
        }
    }

    /// A uniformly chosen member (None if empty).
    pub fn random(&self, rng: &mut Rng) -> Option<Member<'_>> {
        self.random_at(rng).map(|(_, m)| m)
    }

    /// A uniformly chosen member with its position (intset index or table slot), so
    /// callers can tell draws of the same member apart.
    fn random_at(&self, rng: &mut Rng) -> Option<(usize, Member<'_>)> {
        match self {
            Set::Ints(ints) if !ints.is_empty() => {
                let i = rng.below(ints.len() as u64) as usize;
                ints.get(i).map(|n| (i, Member::Int(n)))
            }
            Set::Ints(_) => None,
            Set::Table(d) => {
                let slot = d.random_slot(rng)?;
                d.slot(slot).map(|s| (slot, Member::Bytes(&s.key)))
            }
        }
    }

    /// `count` distinct members chosen at random (all of them if `count` >= len).
    pub fn random_distinct(&self, count: usize, rng: &mut Rng) -> Vec<Member<'_>> {
        let len = self.len();
        if count >= len {
            return self.iter().collect();
        }
        if count * 3 > len {
            // A large share: partial shuffle of all members beats rejection sampling.
            let mut all: Vec<Member> = self.iter().collect();
            for i in 0..count {
                let j = i + rng.below((len - i) as u64) as usize;
                all.swap(i, j);
            }
            all.truncate(count);
            return all;
        }
        let mut seen = std::collections::HashSet::with_capacity(count);
        let mut picked = Vec::with_capacity(count);
        while picked.len() < count {
            let Some((pos, m)) = self.random_at(rng) else {
                break;
            };
            if seen.insert(pos) {
                picked.push(m);
            }
        }
        picked
    }

    /// Removes and returns a uniformly chosen member.
    pub fn pop_random(&mut self, rng: &mut Rng) -> Option<Vec<u8>> {
        match self {
            Set::Ints(ints) if !ints.is_empty() => {
                let i = rng.below(ints.len() as u64) as usize;
                ints.remove_at(i).map(|n| Member::Int(n).to_vec())
            }
            Set::Ints(_) => None,
            Set::Table(d) => {
                let slot = d.random_slot(rng)?;
                d.remove_slot(slot).map(|(k, _)| k.into_vec())
            }
        }
    }

    /// SSCAN: visits members from `cursor`, about `count` of them, returning the next
    /// cursor (0 at the end). An intset is returned whole in one call, as Redis does.
    pub fn scan<'a>(
        &'a self,
        cursor: usize,
        count: usize,
        mut visit: impl FnMut(Member<'a>),
    ) -> usize {
        match self {
            Set::Ints(ints) => {
                ints.iter().for_each(|n| visit(Member::Int(n)));
                0
            }
            Set::Table(d) => {
                let mut slots = Vec::with_capacity(count.min(1024));
                let next = d.scan(cursor, count, |slot, _| slots.push(slot));
                for s in slots.into_iter().filter_map(|slot| d.slot(slot)) {
                    visit(Member::Bytes(&s.key));
                }
                next
            }
        }
    }

    /// Approximate heap bytes (lazy-free decisions, memory reports).
    pub fn heap_bytes(&self) -> usize {
        match self {
            Set::Ints(ints) => ints.heap_bytes(),
            // Members are not walked (this must stay O(1)): count a small allocation each.
            Set::Table(d) => d.overhead_bytes() + d.len() * 16,
        }
    }
}

impl Clone for Set {
    fn clone(&self) -> Set {
        match self {
            Set::Ints(ints) => Set::Ints(ints.clone()),
            Set::Table(d) => {
                let mut copy = Dict::new();
                for (_, s) in d.iter() {
                    copy.insert_new(s.key.clone(), ());
                }
                Set::Table(Box::new(copy))
            }
        }
    }
}

impl PartialEq for Set {
    /// Same members (encodings may differ).
    fn eq(&self, other: &Set) -> bool {
        self.len() == other.len() && self.iter().all(|m| other.contains_member(m))
    }
}

impl std::fmt::Debug for Set {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set()
            .entries(
                self.iter()
                    .map(|m| String::from_utf8_lossy(&m.to_bytes()).into_owned()),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intset_widths_and_order() {
        let mut s = IntSet::default();
        assert!(s.insert(5));
        assert!(s.insert(-3));
        assert!(!s.insert(5));
        assert!(matches!(s, IntSet::W16(_)));
        assert!(s.insert(70_000));
        assert!(matches!(s, IntSet::W32(_)));
        assert!(s.insert(i64::MIN));
        assert!(matches!(s, IntSet::W64(_)));
        assert_eq!(s.iter().collect::<Vec<_>>(), vec![i64::MIN, -3, 5, 70_000]);
        assert!(s.contains(70_000) && !s.contains(4));
        assert!(s.remove(-3) && !s.remove(-3));
        assert_eq!(s.len(), 3);
        // A narrow set answers "absent" for values beyond its width.
        let mut n = IntSet::default();
        n.insert(1);
        assert!(!n.contains(1 << 40) && !n.contains(-(1 << 40)));
        assert!(!n.remove(1 << 40));
    }

    #[test]
    fn converts_past_limit_or_on_strings() {
        let mut s = Set::new_for(b"1");
        for i in 0..4 {
            assert!(s.add(i.to_string().as_bytes(), 4));
        }
        assert_eq!(s.encoding(), "intset");
        assert!(s.add(b"4", 4));
        assert_eq!(s.encoding(), "hashtable");
        assert!(s.contains(b"4") && s.contains(b"0") && !s.contains(b"5"));
        let mut t = Set::new_for(b"7");
        t.add(b"7", 512);
        // "07" is not canonical: a string member.
        assert!(t.add(b"07", 512));
        assert_eq!(t.encoding(), "hashtable");
        assert_eq!(t.len(), 2);
        assert!(t.contains_member(Member::Int(7)));
        let c = t.clone();
        assert_eq!(c, t);
    }

    #[test]
    fn pop_and_random() {
        let mut rng = Rng::new();
        let mut s = Set::new_for(b"x");
        for i in 0..100 {
            s.add(format!("m{i}").as_bytes(), 512);
        }
        assert!(s.random(&mut rng).is_some());
        let mut seen = std::collections::HashSet::new();
        while let Some(m) = s.pop_random(&mut rng) {
            assert!(seen.insert(m));
        }
        assert_eq!(seen.len(), 100);
        assert!(s.is_empty());
    }
}
