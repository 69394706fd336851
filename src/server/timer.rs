//! A hierarchical timer wheel with millisecond resolution.
//!
//! Six levels of 64 slots: level 0 holds timers due in the next 64 ms, one slot per
//! millisecond; each level above covers 64 times the span of the one below. Inserting
//! is O(1); advancing the clock moves the slots that come due to the caller and
//! cascades higher-level slots down as their time approaches. Timers are handles the
//! owner re-validates when they fire (a key's TTL may have changed since), so
//! cancelling is never needed: a stale handle is simply ignored.

const LEVELS: usize = 6;
const SLOT_BITS: u32 = 6;
const SLOTS: usize = 1 << SLOT_BITS;
const MASK: u64 = (SLOTS as u64) - 1;

pub struct TimerWheel<T> {
    levels: Vec<Vec<Vec<(u64, T)>>>,
    /// Timers beyond the top level's reach (about 2 years), re-placed each time the
    /// top level turns.
    overflow: Vec<(u64, T)>,
    /// The wheel's current time in ms: everything due at or before it has been handed out.
    now: u64,
    len: usize,
}

impl<T> TimerWheel<T> {
    pub fn new(now_ms: u64) -> TimerWheel<T> {
        TimerWheel {
            levels: (0..LEVELS)
                .map(|_| (0..SLOTS).map(|_| Vec::new()).collect())
                .collect(),
            overflow: Vec::new(),
            now: now_ms,
            len: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Schedules `item` at `deadline_ms`. A deadline already past fires on the next advance.
    pub fn insert(&mut self, deadline_ms: u64, item: T) {
        self.len += 1;
        self.place(deadline_ms, item);
    }

    fn place(&mut self, deadline: u64, item: T) {
        let when = deadline.max(self.now + 1);
        // The level is given by the highest bit in which `when` differs from `now`.
        let diff = (when ^ self.now) | MASK;
        let significant = 63 - diff.leading_zeros() as u64;
        let level = (significant / SLOT_BITS as u64) as usize;
        if level >= LEVELS {
            self.overflow.push((deadline, item));
            return;
        }
        let slot = ((when >> (level as u64 * SLOT_BITS as u64)) & MASK) as usize;
        self.levels[level][slot].push((deadline, item));
    }

    /// Advances the wheel to `now_ms`, appending every timer due by then to `due`
    /// as (deadline, item).
    pub fn advance(&mut self, now_ms: u64, due: &mut Vec<(u64, T)>) {
        if self.len == 0 {
            self.now = self.now.max(now_ms);
            return;
        }
        while self.now < now_ms {
            self.now += 1;
            let t = self.now;
            // Cascade higher levels whose slot boundary was just crossed, highest first.
            for level in (1..LEVELS).rev() {
                let span_bits = level as u64 * SLOT_BITS as u64;
                if t & ((1u64 << span_bits) - 1) == 0 {
                    let slot = ((t >> span_bits) & MASK) as usize;
                    let mut items = std::mem::take(&mut self.levels[level][slot]);
                    if level == LEVELS - 1 && slot == 0 {
                        items.append(&mut self.overflow);
                    }
                    for (deadline, item) in items {
                        if deadline <= t {
                            self.len -= 1;
                            due.push((deadline, item));
                        } else {
                            self.place(deadline, item);
                        }
                    }
                }
            }
            let slot = (t & MASK) as usize;
            if !self.levels[0][slot].is_empty() {
                let items = std::mem::take(&mut self.levels[0][slot]);
                self.len -= items.len();
                due.extend(items);
            }
            if self.len == 0 {
                self.now = now_ms;
                break;
            }
        }
    }

    /// Removes every timer (used when rebuilding after many handles went stale).
    pub fn clear(&mut self) {
        for level in &mut self.levels {
            for slot in level {
                slot.clear();
            }
        }
        self.overflow.clear();
        self.len = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fires_each_timer_once_at_its_time() {
        let start = 1_700_000_000_000u64;
        let mut w = TimerWheel::new(start);
        let offsets = [
            0u64, 1, 5, 63, 64, 65, 4095, 4096, 4097, 300_000, 90_000_000,
        ];
        for (i, off) in offsets.iter().enumerate() {
            w.insert(start + off, i);
        }
        let mut fired = Vec::new();
        let mut t = start;
        let mut when = vec![0u64; offsets.len()];
        while !w.is_empty() {
            t += 1 + (t % 7);
            let mut due = Vec::new();
            w.advance(t, &mut due);
            for (_, i) in due {
                when[i] = t;
                fired.push(i);
            }
        }
        fired.sort();
        assert_eq!(fired, (0..offsets.len()).collect::<Vec<_>>());
        for (i, off) in offsets.iter().enumerate() {
            assert!(when[i] >= start + off, "timer {i} fired early");
            assert!(when[i] <= start + off.max(&1) + 8, "timer {i} fired late");
        }
    }
}
