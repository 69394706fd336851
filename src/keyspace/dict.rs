//! The key table: entries live in stable slots, found through a hash index that
//! grows and shrinks incrementally.
//!
//! Two requirements shape it. It never stops the world to resize: when the index is
//! full a table twice the size is allocated and entries migrate into it a few at a
//! time on every later operation (lookups consult both tables meanwhile), as Redis's
//! dict rehashes a few buckets per call. And it has a stable cursor: an entry keeps its
//! slot number for its whole life, so a SCAN cursor is simply a slot number, and every
//! key present for the whole scan is returned whatever happens to the index between
//! calls. Hashes are seeded per process, so clients cannot aim for collisions.

use foldhash::fast::RandomState;
use hashbrown::HashTable;
use std::hash::BuildHasher;

/// Entries moved from the old index to the new one per mutating operation. The new
/// index is twice the old one's size, so two per insert always finish the move
/// before the new index fills; the server cron moves more when idle.
const MIGRATE_PER_OP: usize = 2;
/// Slots examined at most per migration step, so a sparse region never stalls a call.
const MIGRATE_SCAN_LIMIT: usize = 128;
const MIN_INDEX: usize = 8;
/// Index tables at least this big are allocated ahead of time on a helper thread
/// (allocating and initialising hundreds of MB would pause the loop for many ms)
/// and freed on the lazyfree thread.
const BIG_INDEX: usize = 1 << 20;

#[derive(Debug)]
pub struct Slot<V> {
    pub key: Box<[u8]>,
    pub value: V,
}

#[derive(Debug)]
enum Cell<V> {
    Full(Slot<V>),
    /// A free slot, holding the next free slot's number (u32::MAX = none).
    Free(u32),
}

/// Slots per chunk of the slot array.
const CHUNK_BITS: u32 = 10;
const CHUNK: usize = 1 << CHUNK_BITS;

/// The slot array, in fixed-size chunks: growing it allocates one more chunk and
/// never moves existing entries (a plain Vec would copy everything on each doubling,
/// a long pause at millions of keys).
struct Cells<V> {
    chunks: Vec<Vec<Cell<V>>>,
    len: usize,
}

impl<V> Cells<V> {
    fn new() -> Cells<V> {
        Cells {
            chunks: Vec::new(),
            len: 0,
        }
    }

    fn len(&self) -> usize {
        self.len
    }

    fn get(&self, i: usize) -> Option<&Cell<V>> {
        self.chunks.get(i >> CHUNK_BITS)?.get(i & (CHUNK - 1))
    }

    fn get_mut(&mut self, i: usize) -> Option<&mut Cell<V>> {
        self.chunks
            .get_mut(i >> CHUNK_BITS)?
            .get_mut(i & (CHUNK - 1))
    }

    fn push(&mut self, cell: Cell<V>) {
        if self.len == self.chunks.len() * CHUNK {
            // Chunks start empty and double up to CHUNK, so small tables (hash and
            // set values) stay small; a full chunk never moves again.
            self.chunks.push(Vec::new());
        }
        if let Some(chunk) = self.chunks.last_mut() {
            chunk.push(cell);
        }
        self.len += 1;
    }

    fn bytes(&self) -> usize {
        self.chunks.iter().map(|c| c.capacity()).sum::<usize>() * std::mem::size_of::<Cell<V>>()
    }

    fn iter(&self) -> impl Iterator<Item = &Cell<V>> {
        self.chunks.iter().flatten()
    }

    fn iter_mut(&mut self) -> impl Iterator<Item = &mut Cell<V>> {
        self.chunks.iter_mut().flatten()
    }
}

impl<V> std::ops::Index<usize> for Cells<V> {
    type Output = Cell<V>;
    fn index(&self, i: usize) -> &Cell<V> {
        &self.chunks[i >> CHUNK_BITS][i & (CHUNK - 1)]
    }
}

impl<V> std::ops::IndexMut<usize> for Cells<V> {
    fn index_mut(&mut self, i: usize) -> &mut Cell<V> {
        &mut self.chunks[i >> CHUNK_BITS][i & (CHUNK - 1)]
    }
}

pub struct Dict<V> {
    cells: Cells<V>,
    free_head: u32,
    len: usize,
    /// The index new entries go to.
    index: HashTable<u32>,
    /// The index being drained into `index` (empty when no resize is in progress).
    old: HashTable<u32>,
    /// Next slot to examine while draining `old`.
    migrate_pos: usize,
    /// The next, bigger index being allocated on a helper thread.
    next_index: Option<std::sync::mpsc::Receiver<HashTable<u32>>>,
    hasher: RandomState,
}

impl<V> Default for Dict<V> {
    fn default() -> Self {
        Dict::new()
    }
}

impl<V> Dict<V> {
    pub fn new() -> Dict<V> {
        Dict {
            cells: Cells::new(),
            free_head: u32::MAX,
            len: 0,
            index: HashTable::new(),
            old: HashTable::new(),
            migrate_pos: 0,
            next_index: None,
            hasher: RandomState::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// True while entries are migrating between two index tables.
    pub fn is_resizing(&self) -> bool {
        !self.old.is_empty()
    }

    /// Number of slots ever in use: the end of the SCAN cursor space.
    pub fn slot_count(&self) -> usize {
        self.cells.len()
    }

    /// Bytes used by the table's own structures (not keys or values).
    pub fn overhead_bytes(&self) -> usize {
        self.cells.bytes()
            + (self.index.capacity() + self.old.capacity()) * (std::mem::size_of::<u32>() + 1)
    }

    fn hash(&self, key: &[u8]) -> u64 {
        self.hasher.hash_one(key)
    }

    fn key_at(cells: &Cells<V>, slot: u32) -> &[u8] {
        match &cells[slot as usize] {
            Cell::Full(s) => &s.key,
            Cell::Free(_) => &[],
        }
    }

    /// The slot holding `key`, if any.
    pub fn find(&self, key: &[u8]) -> Option<usize> {
        if self.len == 0 {
            return None;
        }
        let h = self.hash(key);
        let cells = &self.cells;
        let eq = |&s: &u32| Self::key_at(cells, s) == key;
        self.index
            .find(h, eq)
            .or_else(|| {
                if self.old.is_empty() {
                    None
                } else {
                    self.old.find(h, eq)
                }
            })
            .map(|&s| s as usize)
    }

    pub fn get(&self, key: &[u8]) -> Option<&V> {
        self.find(key).and_then(|s| self.slot(s)).map(|s| &s.value)
    }

    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut V> {
        let s = self.find(key)?;
        self.slot_mut(s).map(|s| &mut s.value)
    }

    pub fn contains(&self, key: &[u8]) -> bool {
        self.find(key).is_some()
    }

    pub fn slot(&self, slot: usize) -> Option<&Slot<V>> {
        match self.cells.get(slot) {
            Some(Cell::Full(s)) => Some(s),
            _ => None,
        }
    }

    pub fn slot_mut(&mut self, slot: usize) -> Option<&mut Slot<V>> {
        match self.cells.get_mut(slot) {
            Some(Cell::Full(s)) => Some(s),
            _ => None,
        }
    }

    /// Inserts a key known to be absent; returns its slot.
    pub fn insert_new(&mut self, key: Box<[u8]>, value: V) -> usize {
        self.step_resize();
        self.grow_if_full();
        let h = self.hash(&key);
        let slot = match self.free_head {
            u32::MAX => {
                self.cells.push(Cell::Full(Slot { key, value }));
                (self.cells.len() - 1) as u32
            }
            free => {
                let next = match self.cells[free as usize] {
                    Cell::Free(next) => next,
                    Cell::Full(_) => u32::MAX,
                };
                self.free_head = next;
                self.cells[free as usize] = Cell::Full(Slot { key, value });
                free
            }
        };
        let (cells, hasher) = (&self.cells, &self.hasher);
        self.index
            .insert_unique(h, slot, |&s| hasher.hash_one(Self::key_at(cells, s)));
        self.len += 1;
        slot as usize
    }

    /// Inserts or replaces; returns the slot and the previous value if there was one.
    pub fn insert(&mut self, key: &[u8], value: V) -> (usize, Option<V>) {
        if let Some(slot) = self.find(key) {
            if let Some(s) = self.slot_mut(slot) {
                return (slot, Some(std::mem::replace(&mut s.value, value)));
            }
        }
        (self.insert_new(key.into(), value), None)
    }

    /// Removes `key`, returning its key and value.
    pub fn remove(&mut self, key: &[u8]) -> Option<(Box<[u8]>, V)> {
        let slot = self.find(key)?;
        self.remove_slot(slot)
    }

    /// Removes the entry in `slot`.
    pub fn remove_slot(&mut self, slot: usize) -> Option<(Box<[u8]>, V)> {
        let key = match self.cells.get(slot) {
            Some(Cell::Full(s)) => &s.key,
            _ => return None,
        };
        let h = self.hash(key);
        let target = slot as u32;
        if let Ok(e) = self.index.find_entry(h, |&s| s == target) {
            e.remove();
        } else if let Ok(e) = self.old.find_entry(h, |&s| s == target) {
            e.remove();
        }
        let cell = std::mem::replace(&mut self.cells[slot], Cell::Free(self.free_head));
        self.free_head = target;
        self.len -= 1;
        self.step_resize();
        self.shrink_if_sparse();
        match cell {
            Cell::Full(s) => Some((s.key, s.value)),
            Cell::Free(_) => None,
        }
    }

    /// Removes everything, returning the old contents (so a caller may free them elsewhere).
    pub fn take_all(&mut self) -> Dict<V> {
        let hasher = self.hasher;
        let mut fresh = Dict::new();
        fresh.hasher = hasher;
        std::mem::replace(self, fresh)
    }

    fn grow_if_full(&mut self) {
        let cap = self.index.capacity();
        let target = (cap * 2).max(MIN_INDEX);
        if cap >= BIG_INDEX && self.next_index.is_none() && self.index.len() >= cap / 4 * 3 {
            let (tx, rx) = std::sync::mpsc::channel();
            let spawned = std::thread::Builder::new()
                .name("index-alloc".into())
                .spawn(move || {
                    let _ = tx.send(HashTable::with_capacity(target));
                });
            if spawned.is_ok() {
                self.next_index = Some(rx);
            }
        }
        if self.index.len() < cap {
            return;
        }
        if !self.old.is_empty() {
            // The previous resize has not finished: finish it now (rare; bounded by size).
            while !self.old.is_empty() {
                self.migrate(usize::MAX);
            }
        }
        let fresh = match self.next_index.take().and_then(|rx| rx.recv().ok()) {
            Some(t) if t.capacity() >= target => t,
            _ => HashTable::with_capacity(target),
        };
        self.start_resize(fresh);
    }

    fn shrink_if_sparse(&mut self) {
        let cap = self.index.capacity();
        if self.old.is_empty() && cap > 1024 && self.len * 8 < cap {
            self.next_index = None;
            self.start_resize(HashTable::with_capacity((self.len * 2).max(MIN_INDEX)));
        }
    }

    fn start_resize(&mut self, fresh: HashTable<u32>) {
        self.old = std::mem::replace(&mut self.index, fresh);
        self.migrate_pos = 0;
        if self.old.is_empty() {
            self.old = HashTable::new();
        }
    }

    /// One bounded step of an in-progress resize.
    pub fn step_resize(&mut self) {
        if !self.old.is_empty() {
            self.migrate(MIGRATE_PER_OP);
        }
    }

    /// Moves index entries for up to `budget` of time (the server cron's share, as
    /// Redis's incrementallyRehash spends 1 ms per database per cron run).
    pub fn resize_for(&mut self, budget: std::time::Duration) {
        let start = std::time::Instant::now();
        while !self.old.is_empty() && start.elapsed() < budget {
            self.migrate(100);
        }
    }

    fn migrate(&mut self, mut budget: usize) {
        let mut scanned = 0;
        while budget > 0 && !self.old.is_empty() {
            if self.migrate_pos >= self.cells.len() {
                // Every slot was visited, so whatever is left in `old` is stale (cannot happen
                // unless an entry was removed mid-flight); drop it.
                self.old = HashTable::new();
                break;
            }
            let slot = self.migrate_pos as u32;
            self.migrate_pos += 1;
            if let Cell::Full(s) = &self.cells[slot as usize] {
                let h = self.hasher.hash_one(&*s.key);
                if let Ok(e) = self.old.find_entry(h, |&x| x == slot) {
                    e.remove();
                    let (cells, hasher) = (&self.cells, &self.hasher);
                    self.index
                        .insert_unique(h, slot, |&x| hasher.hash_one(Self::key_at(cells, x)));
                    budget -= 1;
                }
            }
            scanned += 1;
            if budget != usize::MAX && scanned >= MIGRATE_SCAN_LIMIT {
                break;
            }
        }
        if self.old.is_empty() && self.old.capacity() > 0 {
            let drained = std::mem::take(&mut self.old);
            if drained.capacity() >= BIG_INDEX {
                crate::server::lazyfree::free(drained);
            }
        }
    }

    /// Visits up to `count` entries from slot `cursor` on; returns the next cursor
    /// (0 when the end was reached).
    pub fn scan(
        &self,
        cursor: usize,
        count: usize,
        mut visit: impl FnMut(usize, &Slot<V>),
    ) -> usize {
        let mut i = cursor;
        let mut seen = 0;
        // Bound the slots examined too, so a sparse table still answers promptly.
        let limit = count.saturating_mul(10).max(100);
        let mut examined = 0;
        while i < self.cells.len() && seen < count && examined < limit {
            if let Cell::Full(s) = &self.cells[i] {
                visit(i, s);
                seen += 1;
            }
            i += 1;
            examined += 1;
        }
        if i >= self.cells.len() {
            0
        } else {
            i
        }
    }

    /// A uniformly chosen occupied slot, or None if empty.
    pub fn random_slot(&self, rng: &mut crate::util::Rng) -> Option<usize> {
        if self.len == 0 {
            return None;
        }
        let n = self.cells.len() as u64;
        for _ in 0..64 {
            let i = rng.below(n) as usize;
            if matches!(self.cells[i], Cell::Full(_)) {
                return Some(i);
            }
        }
        // Very sparse: walk from a random point.
        let start = rng.below(n) as usize;
        (0..self.cells.len())
            .map(|k| (start + k) % self.cells.len())
            .find(|&i| matches!(self.cells[i], Cell::Full(_)))
    }

    pub fn iter(&self) -> impl Iterator<Item = (usize, &Slot<V>)> {
        self.cells.iter().enumerate().filter_map(|(i, c)| match c {
            Cell::Full(s) => Some((i, s)),
            Cell::Free(_) => None,
        })
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (usize, &mut Slot<V>)> {
        self.cells
            .iter_mut()
            .enumerate()
            .filter_map(|(i, c)| match c {
                Cell::Full(s) => Some((i, s)),
                Cell::Free(_) => None,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_find_remove_through_resizes() {
        let mut d: Dict<u64> = Dict::new();
        for i in 0..100_000u64 {
            d.insert_new(i.to_string().into_bytes().into(), i);
        }
        assert_eq!(d.len(), 100_000);
        for i in 0..100_000u64 {
            assert_eq!(d.get(i.to_string().as_bytes()), Some(&i));
        }
        for i in (0..100_000u64).step_by(2) {
            assert_eq!(d.remove(i.to_string().as_bytes()).map(|e| e.1), Some(i));
        }
        assert_eq!(d.len(), 50_000);
        for i in 0..100_000u64 {
            assert_eq!(d.get(i.to_string().as_bytes()).is_some(), i % 2 == 1);
        }
        for i in 0..100_000u64 {
            d.remove(i.to_string().as_bytes());
        }
        assert!(d.is_empty());
        assert!(d.index.capacity() < 10_000, "index shrank");
    }

    #[test]
    fn scan_returns_every_key_present_throughout() {
        let mut d: Dict<()> = Dict::new();
        for i in 0..1000 {
            d.insert_new(format!("k{i}").into_bytes().into(), ());
        }
        let mut seen = std::collections::HashSet::new();
        let mut cursor = 0;
        let mut extra = 0;
        loop {
            cursor = d.scan(cursor, 10, |_, s| {
                seen.insert(s.key.clone());
            });
            // Grow the table between calls to force resizes mid-scan.
            for _ in 0..5 {
                d.insert_new(format!("x{extra}").into_bytes().into(), ());
                extra += 1;
            }
            if cursor == 0 {
                break;
            }
        }
        for i in 0..1000 {
            assert!(seen.contains(format!("k{i}").as_bytes()));
        }
    }
}
