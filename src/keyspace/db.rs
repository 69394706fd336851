//! A database: the key table, each key's deadline, and the expiry timers.
//!
//! Every read or write goes through `lookup`, which applies lazy expiry: a key past
//! its deadline is deleted on access and reads as absent. Active expiry comes from a
//! timer wheel holding one small handle (slot number) per deadline set; when a handle
//! fires it is re-validated against the entry, so handles made stale by a later
//! EXPIRE, PERSIST or DEL are simply dropped.

use super::dict::{Dict, Slot};
use super::value::Value;
use crate::persistence::snapshot::DbSnapshot;
use crate::server::timer::TimerWheel;
use std::time::Instant;

/// Deadline of a key without a TTL.
pub const NO_EXPIRE: i64 = i64::MAX;

#[derive(Debug)]
pub struct Entry {
    pub value: Value,
    /// Absolute deadline in ms since the Unix epoch, or NO_EXPIRE.
    pub expire_at: i64,
    /// Last access, in seconds of the server's LRU clock (for OBJECT IDLETIME).
    pub access: u32,
}

impl Entry {
    pub fn has_ttl(&self) -> bool {
        self.expire_at != NO_EXPIRE
    }
}

pub struct Db {
    pub dict: Dict<Entry>,
    /// Keys with a deadline.
    pub expires: usize,
    timers: TimerWheel<u32>,
    /// Handles that came due but were not processed yet (work per tick is bounded).
    due: Vec<(u64, u32)>,
    /// Keys removed by expiry (lazy or active) since the last INFO RESETSTAT.
    pub expired_keys: u64,
    /// Which happenings to keys are logged in `key_log` (`LOG_*` bits): only those
    /// the server must act on (WATCH invalidation, client tracking, keyspace events).
    pub log_kinds: u8,
    /// Keys that expired, were created or were missed by a read, in order.
    pub key_log: Vec<(u8, Vec<u8>)>,
    /// While writes are propagated (AOF on): keys removed by expiry since the
    /// propagator last took them, recorded as DELs.
    pub propagate_expired: bool,
    pub expired_log: Vec<Vec<u8>>,
    /// While an AOF is replayed, keys never expire (as in Redis): a command
    /// recorded before a key's deadline must find the key when it is replayed.
    pub expiry_paused: bool,
    /// lazyfree-lazy-expire and lazyfree-lazy-server-del: big values removed by
    /// expiry, or replaced by an overwrite, are freed on the lazyfree thread.
    pub lazy_expire: bool,
    pub lazy_overwrite: bool,
    /// A background save in progress over this database: every change to an entry
    /// goes through `before_change` first (copy-before-write).
    pub snapshot: Option<Box<DbSnapshot>>,
}

/// Values holding more than this many heap bytes are worth freeing off the loop.
pub const LAZYFREE_THRESHOLD: usize = 64 * 1024;

/// Drops a removed value, on the lazyfree thread when asked to and it is big.
pub fn dispose<T: Send + 'static>(value: T, heap_bytes: usize, lazy: bool) {
    if lazy && heap_bytes > LAZYFREE_THRESHOLD {
        crate::server::lazyfree::free(value);
    }
}

/// `Db::key_log` kinds: a key deleted by expiry, created, not found by a read.
pub const LOG_EXPIRED: u8 = 1;
pub const LOG_CREATED: u8 = 2;
pub const LOG_MISSED: u8 = 4;

/// What `lookup` found.
impl Db {
    pub fn new(now_ms: i64) -> Db {
        Db {
            dict: Dict::new(),
            expires: 0,
            timers: TimerWheel::new(now_ms.max(0) as u64),
            due: Vec::new(),
            expired_keys: 0,
            log_kinds: 0,
            key_log: Vec::new(),
            propagate_expired: false,
            expired_log: Vec::new(),
            expiry_paused: false,
            lazy_expire: false,
            lazy_overwrite: false,
            snapshot: None,
        }
    }

    pub fn len(&self) -> usize {
        self.dict.len()
    }

    pub fn is_empty(&self) -> bool {
        self.dict.is_empty()
    }

    /// The slot of a live key, deleting it first if it has expired.
    pub fn lookup(&mut self, key: &[u8], now_ms: i64) -> Option<usize> {
        let slot = self.dict.find(key)?;
        let entry = &self.dict.slot(slot)?.value;
        if entry.expire_at <= now_ms && !self.expiry_paused {
            self.expire_slot(slot);
            return None;
        }
        Some(slot)
    }

    /// A live key's entry, for changing it.
    pub fn get(&mut self, key: &[u8], now_ms: i64) -> Option<&mut Entry> {
        let slot = self.lookup(key, now_ms)?;
        self.entry_at(slot)
    }

    /// The entry in `slot`, for changing it.
    pub fn entry_at(&mut self, slot: usize) -> Option<&mut Entry> {
        self.before_change(slot);
        self.dict.slot_mut(slot).map(|s| &mut s.value)
    }

    /// The entry in `slot`, for a change that keeps its content (an encoding
    /// conversion), which a save in progress need not see.
    pub fn entry_to_recode(&mut self, slot: usize) -> Option<&mut Entry> {
        self.dict.slot_mut(slot).map(|s| &mut s.value)
    }

    /// The entry in `slot`, for reading.
    pub fn entry(&self, slot: usize) -> Option<&Entry> {
        self.dict.slot(slot).map(|s| &s.value)
    }

    /// Records a read access to the entry in `slot` (its LRU clock only: not a
    /// change of the value, so a save in progress is not involved).
    pub fn touch(&mut self, slot: usize, clock: u32) {
        if let Some(s) = self.dict.slot_mut(slot) {
            s.value.access = clock;
        }
    }

    /// Copy-before-write for a background save in progress.
    fn before_change(&mut self, slot: usize) {
        if let Some(snap) = &mut self.snapshot {
            snap.before_change(&self.dict, slot);
        }
    }

    pub fn slot(&self, slot: usize) -> Option<&Slot<Entry>> {
        self.dict.slot(slot)
    }

    pub fn exists(&mut self, key: &[u8], now_ms: i64) -> bool {
        self.lookup(key, now_ms).is_some()
    }

    /// Stores `value` under `key`, replacing any old value. `expire_at` is the new
    /// deadline (NO_EXPIRE for none). Returns the slot.
    pub fn set(&mut self, key: &[u8], value: Value, expire_at: i64, clock: u32) -> usize {
        let slot = match self.dict.find(key) {
            Some(slot) => {
                self.before_change(slot);
                let e = self.dict.slot_mut(slot).map(|s| &mut s.value);
                if let Some(e) = e {
                    if e.has_ttl() {
                        self.expires -= 1;
                    }
                    let old = std::mem::replace(&mut e.value, value);
                    let bytes = old.heap_bytes();
                    dispose(old, bytes, self.lazy_overwrite);
                    e.expire_at = NO_EXPIRE;
                    e.access = clock;
                }
                slot
            }
            None => self.insert_new(
                key.into(),
                Entry {
                    value,
                    expire_at: NO_EXPIRE,
                    access: clock,
                },
            ),
        };
        if expire_at != NO_EXPIRE {
            self.set_expire(slot, expire_at);
        }
        slot
    }

    /// Adds a key known to be absent (after a lookup returned None).
    pub fn add(&mut self, key: Box<[u8]>, value: Value, clock: u32) -> usize {
        self.insert_new(
            key,
            Entry {
                value,
                expire_at: NO_EXPIRE,
                access: clock,
            },
        )
    }

    fn insert_new(&mut self, key: Box<[u8]>, entry: Entry) -> usize {
        self.log_key(LOG_CREATED, &key);
        let slot = self.dict.insert_new(key, entry);
        if let Some(snap) = &mut self.snapshot {
            snap.born(slot);
        }
        slot
    }

    /// Sets or clears (NO_EXPIRE) the deadline of the key in `slot`.
    pub fn set_expire(&mut self, slot: usize, expire_at: i64) {
        self.before_change(slot);
        let Some(e) = self.dict.slot_mut(slot).map(|s| &mut s.value) else {
            return;
        };
        match (e.has_ttl(), expire_at != NO_EXPIRE) {
            (false, true) => self.expires += 1,
            (true, false) => self.expires -= 1,
            _ => {}
        }
        e.expire_at = expire_at;
        if expire_at != NO_EXPIRE {
            self.timers.insert(expire_at.max(0) as u64, slot as u32);
            self.compact_timers_if_stale();
        }
    }

    /// Deletes `key`; returns its value if it existed (expired or not).
    pub fn remove(&mut self, key: &[u8]) -> Option<Entry> {
        let slot = self.dict.find(key)?;
        self.remove_slot(slot)
    }

    pub fn remove_slot(&mut self, slot: usize) -> Option<Entry> {
        self.before_change(slot);
        let (_, e) = self.dict.remove_slot(slot)?;
        if e.has_ttl() {
            self.expires -= 1;
        }
        Some(e)
    }

    /// Deletes the key in `slot` because its deadline passed.
    pub fn expire_slot(&mut self, slot: usize) {
        if self.log_kinds & LOG_EXPIRED != 0 {
            if let Some(s) = self.dict.slot(slot) {
                self.key_log.push((LOG_EXPIRED, s.key.to_vec()));
            }
        }
        if self.propagate_expired {
            if let Some(s) = self.dict.slot(slot) {
                self.expired_log.push(s.key.to_vec());
            }
        }
        if let Some(e) = self.remove_slot(slot) {
            self.expired_keys += 1;
            let bytes = e.value.heap_bytes();
            dispose(e, bytes, self.lazy_expire);
        }
    }

    /// Logs `key` as `kind` (a `LOG_*` bit) if that kind is wanted.
    pub fn log_key(&mut self, kind: u8, key: &[u8]) {
        if self.log_kinds & kind != 0 {
            self.key_log.push((kind, key.to_vec()));
        }
    }

    /// Removes every key; returns the old table so the caller can drop it where it likes.
    pub fn clear(&mut self) -> Dict<Entry> {
        self.expires = 0;
        self.timers.clear();
        self.due.clear();
        let old = self.dict.take_all();
        match &mut self.snapshot {
            // A save still walking this table keeps it.
            Some(snap) if !snap.is_detached() => {
                snap.detach(old);
                Dict::new()
            }
            _ => old,
        }
    }

    /// Stale handles (deadlines changed or keys deleted) accumulate in the wheel; when
    /// they clearly outnumber live deadlines, rebuild it from the entries.
    fn compact_timers_if_stale(&mut self) {
        if self.timers.len() > 2 * self.expires + 65_536 {
            let now = crate::util::unix_ms().max(0) as u64;
            self.timers = TimerWheel::new(now);
            self.due.clear();
            for (slot, s) in self.dict.iter() {
                if s.value.has_ttl() {
                    self.timers
                        .insert(s.value.expire_at.max(0) as u64, slot as u32);
                }
            }
        }
    }

    /// Active expiry: deletes keys whose deadline has passed, stopping at `deadline`
    /// (a time budget) so a burst of expirations never stalls the loop. Returns the
    /// number of keys deleted and whether work is left for the next call.
    pub fn expire_cycle(&mut self, now_ms: i64, budget_end: Instant) -> (usize, bool) {
        self.timers.advance(now_ms.max(0) as u64, &mut self.due);
        let mut deleted = 0;
        let mut checked = 0;
        while let Some((deadline, slot)) = self.due.pop() {
            let live = matches!(self.dict.slot(slot as usize), Some(s)
                if s.value.expire_at == deadline as i64 && s.value.expire_at <= now_ms);
            if live {
                self.expire_slot(slot as usize);
                deleted += 1;
            }
            checked += 1;
            if checked % 64 == 0 && Instant::now() >= budget_end {
                break;
            }
        }
        (deleted, !self.due.is_empty())
    }

    /// Bounded background work: up to 1 ms of any index resize in progress.
    pub fn cron(&mut self) {
        self.dict.resize_for(std::time::Duration::from_millis(1));
    }

    /// Average remaining TTL in ms of keys with a deadline (sampled), for INFO keyspace.
    pub fn avg_ttl(&self, now_ms: i64) -> i64 {
        if self.expires == 0 {
            return 0;
        }
        let mut sum = 0i128;
        let mut n = 0i128;
        for (_, s) in self
            .dict
            .iter()
            .filter(|(_, s)| s.value.has_ttl())
            .take(1000)
        {
            sum += (s.value.expire_at - now_ms).max(0) as i128;
            n += 1;
        }
        if n == 0 {
            0
        } else {
            (sum / n) as i64
        }
    }
}
