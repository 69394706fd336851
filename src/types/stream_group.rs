//! Consumer groups of a stream: each group's last delivered id, its logical read
//! counter, its pending entries list (PEL) and its consumers.
//!
//! As in Redis, every pending entry lives once in the group's PEL (who owns it, when
//! it was last delivered, how many times) and its id is also listed in the owning
//! consumer's own PEL. Groups and consumers are ordered by name bytes, the order
//! Redis's radix trees give them. Nothing here speaks the protocol: the commands in
//! `commands/stream_groups.rs` use these methods only.
//!
//! The logical read counter (`entries_read`, shown by XINFO as entries-read, and the
//! lag derived from it) follows Redis 7.0's rules, which need a few counters of the
//! stream itself: they are passed in as a [`StreamMeta`].

use super::stream::StreamId;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// `entries_read` when the group's read counter is unknown (Redis's
/// SCG_INVALID_ENTRIES_READ); XINFO shows it as a null.
pub const INVALID_ENTRIES_READ: i64 = -1;

/// The stream counters the group rules look at.
#[derive(Clone, Copy, Debug, Default)]
pub struct StreamMeta {
    pub length: u64,
    pub last_id: StreamId,
    pub first_id: StreamId,
    pub max_deleted_id: StreamId,
    pub entries_added: u64,
}

impl StreamMeta {
    /// Whether a deleted entry (tombstone) may lie in `start..=end` (None = no end),
    /// as Redis 7.0's streamRangeHasTombstones decides from the highest deleted id.
    pub fn range_has_tombstones(&self, start: StreamId, end: Option<StreamId>) -> bool {
        if self.length == 0 || self.max_deleted_id == StreamId::default() {
            return false;
        }
        if self.first_id > self.max_deleted_id {
            // The latest deletion is before the first entry.
            return false;
        }
        let end = end.unwrap_or(StreamId::MAX);
        start <= self.max_deleted_id && self.max_deleted_id <= end
    }

    /// The logical read counter of `id` (its distance from the first entry ever
    /// added), when it can be known; INVALID_ENTRIES_READ otherwise (Redis 7.0's
    /// streamEstimateDistanceFromFirstEverEntry).
    pub fn estimate_entries_read(&self, id: StreamId) -> i64 {
        let added = self.entries_added as i64;
        if self.entries_added == 0 {
            return 0;
        }
        if self.length == 0 && id <= self.last_id {
            return added;
        }
        if id == self.last_id {
            return added;
        }
        if id > self.last_id {
            return INVALID_ENTRIES_READ;
        }
        let no_tombstones_ahead =
            self.max_deleted_id == StreamId::default() || self.max_deleted_id < self.first_id;
        if no_tombstones_ahead {
            if id < self.first_id {
                return added.wrapping_sub(self.length as i64);
            }
            if id == self.first_id {
                return added.wrapping_sub(self.length as i64).wrapping_add(1);
            }
        }
        INVALID_ENTRIES_READ
    }
}

/// One pending entry: delivered to a consumer, not yet acknowledged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nack {
    /// Unix time in ms of the last delivery.
    pub delivery_time: i64,
    pub delivery_count: u64,
    /// The owning consumer's name (shared with the consumer table, no copy).
    pub consumer: Arc<[u8]>,
}

#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Consumer {
    /// Unix time in ms of the consumer's last attempted interaction (XINFO's idle).
    pub seen_time: i64,
    /// Ids of the entries pending for this consumer (each also in the group's PEL).
    pub pel: BTreeSet<StreamId>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CGroup {
    /// The last id delivered to any consumer of the group.
    pub last_id: StreamId,
    /// The logical read counter of `last_id`, or INVALID_ENTRIES_READ.
    pub entries_read: i64,
    pub pel: BTreeMap<StreamId, Nack>,
    pub consumers: BTreeMap<Arc<[u8]>, Consumer>,
}

/// What XCLAIM does to a claimed entry's delivery counter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// RETRYCOUNT n.
    Set(u64),
    /// The default: one more delivery.
    Increment,
    /// JUSTID without RETRYCOUNT: the counter is left alone.
    Keep,
}

impl CGroup {
    pub fn new(last_id: StreamId, entries_read: i64) -> CGroup {
        CGroup {
            last_id,
            entries_read,
            pel: BTreeMap::new(),
            consumers: BTreeMap::new(),
        }
    }

    /// Creates a consumer (seen now); false if it already exists.
    pub fn create_consumer(&mut self, name: &[u8], now: i64) -> bool {
        if self.consumers.contains_key(name) {
            return false;
        }
        self.consumers.insert(
            Arc::from(name),
            Consumer {
                seen_time: now,
                pel: BTreeSet::new(),
            },
        );
        true
    }

    /// Marks a consumer as seen now, creating it if needed; returns whether it was
    /// created.
    pub fn touch_consumer(&mut self, name: &[u8], now: i64) -> bool {
        match self.consumers.get_mut(name) {
            Some(c) => {
                c.seen_time = now;
                false
            }
            None => self.create_consumer(name, now),
        }
    }

    /// Deletes a consumer and its pending entries; returns how many it had, or None
    /// if there is no such consumer.
    pub fn delete_consumer(&mut self, name: &[u8]) -> Option<usize> {
        let consumer = self.consumers.remove(name)?;
        for id in &consumer.pel {
            self.pel.remove(id);
        }
        Some(consumer.pel.len())
    }

    /// Moves the last delivered id forward to `id` (an entry being delivered for
    /// the first time), keeping the read counter as Redis 7.0 does: counted on while
    /// it is valid and no deleted entry lies ahead, re-estimated otherwise.
    pub fn advance(&mut self, meta: &StreamMeta, id: StreamId) {
        if id <= self.last_id {
            return;
        }
        if self.entries_read != INVALID_ENTRIES_READ && !meta.range_has_tombstones(id, None) {
            self.entries_read = self.entries_read.wrapping_add(1);
        } else if meta.entries_added != 0 {
            self.entries_read = meta.estimate_entries_read(id);
        }
        self.last_id = id;
    }

    /// The number of entries not yet delivered to the group, when it can be known.
    pub fn lag(&self, meta: &StreamMeta) -> Option<i64> {
        if meta.entries_added == 0 {
            return Some(0);
        }
        let added = meta.entries_added as i64;
        if self.entries_read != INVALID_ENTRIES_READ
            && !meta.range_has_tombstones(self.last_id, None)
        {
            return Some(added.wrapping_sub(self.entries_read));
        }
        match meta.estimate_entries_read(self.last_id) {
            INVALID_ENTRIES_READ => None,
            read => Some(added.wrapping_sub(read)),
        }
    }

    /// Records the delivery of `id` to `consumer` (which must exist): a new pending
    /// entry, or one taken over from whichever consumer had it (XGROUP SETID can make
    /// a group deliver an id again), with a fresh delivery count of 1.
    pub fn deliver(&mut self, id: StreamId, consumer: &[u8], now: i64) {
        let Some((name, _)) = self.consumers.get_key_value(consumer) else {
            return;
        };
        let name = name.clone();
        let previous = self.pel.insert(
            id,
            Nack {
                delivery_time: now,
                delivery_count: 1,
                consumer: name.clone(),
            },
        );
        if let Some(old) = previous {
            if let Some(c) = self.consumers.get_mut(&old.consumer) {
                c.pel.remove(&id);
            }
        }
        if let Some(c) = self.consumers.get_mut(&name) {
            c.pel.insert(id);
        }
    }

    /// A history read delivered `id` again: its time and count are updated.
    pub fn redeliver(&mut self, id: StreamId, now: i64) {
        if let Some(nack) = self.pel.get_mut(&id) {
            nack.delivery_time = now;
            nack.delivery_count = nack.delivery_count.wrapping_add(1);
        }
    }

    /// Acknowledges `id`: true if it was pending.
    pub fn ack(&mut self, id: StreamId) -> bool {
        match self.pel.remove(&id) {
            Some(nack) => {
                if let Some(c) = self.consumers.get_mut(&nack.consumer) {
                    c.pel.remove(&id);
                }
                true
            }
            None => false,
        }
    }

    /// Idle time in ms of a pending entry (None if it is not pending).
    pub fn idle(&self, id: StreamId, now: i64) -> Option<i64> {
        self.pel
            .get(&id)
            .map(|n| now.saturating_sub(n.delivery_time))
    }

    /// Gives pending entry `id` to `consumer` (which must exist), creating it if
    /// absent (XCLAIM FORCE: the caller checks the entry exists in the stream), with
    /// the delivery time and counter update given.
    pub fn claim(&mut self, id: StreamId, consumer: &[u8], delivery_time: i64, retry: Retry) {
        let Some((name, _)) = self.consumers.get_key_value(consumer) else {
            return;
        };
        let name = name.clone();
        let nack = self.pel.entry(id).or_insert_with(|| Nack {
            delivery_time,
            // A forced entry starts as a first delivery.
            delivery_count: 1,
            consumer: name.clone(),
        });
        let previous = std::mem::replace(&mut nack.consumer, name.clone());
        nack.delivery_time = delivery_time;
        match retry {
            Retry::Set(n) => nack.delivery_count = n,
            Retry::Increment => nack.delivery_count = nack.delivery_count.wrapping_add(1),
            Retry::Keep => {}
        }
        if previous != name {
            if let Some(c) = self.consumers.get_mut(&previous) {
                c.pel.remove(&id);
            }
        }
        if let Some(c) = self.consumers.get_mut(&name) {
            c.pel.insert(id);
        }
    }

    /// Ids pending in the group from `start` on, in order.
    pub fn pending_from(&self, start: StreamId) -> impl Iterator<Item = (StreamId, &Nack)> {
        self.pel.range(start..).map(|(id, n)| (*id, n))
    }
}

/// The consumer groups of one stream, by name.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Groups {
    map: BTreeMap<Vec<u8>, CGroup>,
}

impl Groups {
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    pub fn get(&self, name: &[u8]) -> Option<&CGroup> {
        self.map.get(name)
    }

    pub fn get_mut(&mut self, name: &[u8]) -> Option<&mut CGroup> {
        self.map.get_mut(name)
    }

    /// Creates a group; false if one of that name exists.
    pub fn create(&mut self, name: &[u8], last_id: StreamId, entries_read: i64) -> bool {
        if self.map.contains_key(name) {
            return false;
        }
        self.map
            .insert(name.to_vec(), CGroup::new(last_id, entries_read));
        true
    }

    /// Destroys a group; false if there was none.
    pub fn destroy(&mut self, name: &[u8]) -> bool {
        self.map.remove(name).is_some()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &CGroup)> {
        self.map.iter().map(|(k, g)| (k.as_slice(), g))
    }

    /// Approximate heap bytes (for memory estimates): per group, pending entry and
    /// consumer, the node and payload sizes.
    pub fn heap_bytes(&self) -> usize {
        self.map
            .iter()
            .map(|(name, g)| {
                name.capacity()
                    + std::mem::size_of::<CGroup>()
                    + g.pel.len() * (std::mem::size_of::<(StreamId, Nack)>() + 8)
                    + g.consumers
                        .iter()
                        .map(|(n, c)| {
                            n.len() + 16 + std::mem::size_of::<Consumer>() + c.pel.len() * 24
                        })
                        .sum::<usize>()
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(ms: u64, seq: u64) -> StreamId {
        StreamId { ms, seq }
    }

    fn meta(length: u64, first: u64, last: u64, max_del: u64, added: u64) -> StreamMeta {
        StreamMeta {
            length,
            first_id: if length == 0 { id(0, 0) } else { id(first, 0) },
            last_id: id(last, 0),
            max_deleted_id: id(max_del, 0),
            entries_added: added,
        }
    }

    #[test]
    fn estimates_follow_redis_7_0() {
        // A never-used stream: 0.
        assert_eq!(meta(0, 0, 0, 0, 0).estimate_entries_read(id(5, 0)), 0);
        // 1..=5 added, none deleted.
        let m = meta(5, 1, 5, 0, 5);
        assert_eq!(m.estimate_entries_read(id(5, 0)), 5);
        assert_eq!(m.estimate_entries_read(id(6, 0)), INVALID_ENTRIES_READ);
        assert_eq!(m.estimate_entries_read(id(1, 0)), 1);
        assert_eq!(m.estimate_entries_read(id(0, 1)), 0);
        assert_eq!(m.estimate_entries_read(id(3, 0)), INVALID_ENTRIES_READ);
        // 1 deleted: the tombstone is before the first entry, 0-1 is still known
        // (Redis 7.0 does not yet look for fragmentation before the id).
        let m = meta(4, 2, 5, 1, 5);
        assert_eq!(m.estimate_entries_read(id(0, 1)), 1);
        // A tombstone in the middle: nothing but the last id is known.
        let m = meta(4, 1, 5, 3, 5);
        assert_eq!(m.estimate_entries_read(id(1, 0)), INVALID_ENTRIES_READ);
        assert_eq!(m.estimate_entries_read(id(5, 0)), 5);
        // An emptied stream: anything up to the last id read everything.
        let m = meta(0, 0, 5, 5, 5);
        assert_eq!(m.estimate_entries_read(id(2, 0)), 5);
    }

    #[test]
    fn tombstones() {
        let m = meta(4, 1, 5, 3, 5);
        assert!(m.range_has_tombstones(id(0, 0), None));
        assert!(m.range_has_tombstones(id(3, 0), None));
        assert!(!m.range_has_tombstones(id(3, 1), None));
        assert!(!m.range_has_tombstones(id(0, 0), Some(id(2, 0))));
        assert!(!meta(4, 2, 5, 1, 5).range_has_tombstones(id(0, 0), None));
    }

    #[test]
    fn advance_counts_and_reestimates() {
        // 1..=5, 2 deleted; a group at 1-0 that has read 1 entry reads 3-0: no
        // tombstone from 3-0 on, so the counter just moves on (Redis 7.0).
        let m = meta(4, 1, 5, 2, 5);
        let mut g = CGroup::new(id(1, 0), 1);
        g.advance(&m, id(3, 0));
        assert_eq!((g.last_id, g.entries_read), (id(3, 0), 2));
        assert_eq!(g.lag(&m), Some(3));
        // An unknown counter is re-estimated: still unknown before the last entry.
        let mut g = CGroup::new(id(0, 0), INVALID_ENTRIES_READ);
        g.advance(&m, id(1, 0));
        assert_eq!(g.entries_read, INVALID_ENTRIES_READ);
        assert_eq!(g.lag(&m), None);
        g.advance(&m, id(5, 0));
        assert_eq!(g.entries_read, 5);
        assert_eq!(g.lag(&m), Some(0));
        // Never moves back.
        g.advance(&m, id(2, 0));
        assert_eq!(g.last_id, id(5, 0));
    }

    #[test]
    fn lag_of_new_groups() {
        let m = meta(3, 1, 3, 0, 3);
        assert_eq!(CGroup::new(id(0, 0), INVALID_ENTRIES_READ).lag(&m), Some(3));
        assert_eq!(CGroup::new(id(3, 0), INVALID_ENTRIES_READ).lag(&m), Some(0));
        assert_eq!(CGroup::new(id(2, 0), INVALID_ENTRIES_READ).lag(&m), None);
        assert_eq!(CGroup::new(id(2, 0), 2).lag(&m), Some(1));
        assert_eq!(CGroup::new(id(9, 0), 0).lag(&meta(0, 0, 0, 0, 0)), Some(0));
    }

    #[test]
    fn pel_bookkeeping() {
        let mut g = CGroup::new(id(0, 0), 0);
        assert!(g.create_consumer(b"a", 10));
        assert!(!g.create_consumer(b"a", 11));
        assert!(g.touch_consumer(b"b", 12));
        g.deliver(id(1, 0), b"a", 100);
        g.deliver(id(2, 0), b"a", 100);
        g.deliver(id(3, 0), b"b", 100);
        assert_eq!(g.consumers[&b"a"[..]].pel.len(), 2);
        // Delivered again to b: b owns it now, count back to 1.
        g.redeliver(id(1, 0), 150);
        assert_eq!(g.pel[&id(1, 0)].delivery_count, 2);
        g.deliver(id(1, 0), b"b", 200);
        assert_eq!(&*g.pel[&id(1, 0)].consumer, b"b");
        assert_eq!(g.pel[&id(1, 0)].delivery_count, 1);
        assert_eq!(g.consumers[&b"a"[..]].pel.len(), 1);
        assert_eq!(g.consumers[&b"b"[..]].pel.len(), 2);
        // Claims.
        g.claim(id(2, 0), b"b", 300, Retry::Increment);
        assert_eq!(g.pel[&id(2, 0)].delivery_count, 2);
        assert!(g.consumers[&b"a"[..]].pel.is_empty());
        g.claim(id(2, 0), b"b", 300, Retry::Keep);
        assert_eq!(g.pel[&id(2, 0)].delivery_count, 2);
        g.claim(id(9, 0), b"a", 400, Retry::Set(7));
        assert_eq!(g.pel[&id(9, 0)].delivery_count, 7);
        assert_eq!(g.idle(id(9, 0), 450), Some(50));
        // Acks and consumer deletion.
        assert!(g.ack(id(9, 0)));
        assert!(!g.ack(id(9, 0)));
        assert_eq!(g.delete_consumer(b"b"), Some(3));
        assert!(g.pel.is_empty());
        assert_eq!(g.delete_consumer(b"b"), None);
    }

    #[test]
    fn groups_are_ordered_by_name_bytes() {
        let mut gs = Groups::default();
        assert!(gs.create(b"b", id(0, 0), INVALID_ENTRIES_READ));
        assert!(gs.create(b"B", id(0, 0), INVALID_ENTRIES_READ));
        assert!(gs.create(b"a", id(0, 0), INVALID_ENTRIES_READ));
        assert!(!gs.create(b"a", id(1, 0), 1));
        let names: Vec<&[u8]> = gs.iter().map(|(n, _)| n).collect();
        assert_eq!(names, vec![&b"B"[..], b"a", b"b"]);
        assert!(gs.destroy(b"a"));
        assert!(!gs.destroy(b"a"));
        assert_eq!(gs.len(), 2);
    }
}
