//! Small shared helpers: glob matching, number parsing/formatting, clocks and randomness.

pub mod alloc;
pub mod clock;
pub mod glob;
pub mod histogram;
pub mod num;

use std::time::{SystemTime, UNIX_EPOCH};

/// Wall-clock time in milliseconds since the Unix epoch.
pub fn unix_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Wall-clock time in microseconds since the Unix epoch.
pub fn unix_us() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros() as i64)
        .unwrap_or(0)
}

/// A small, fast pseudo-random generator (xorshift64*), seeded per process.
/// Used for RANDOMKEY and sampling; not for anything security-related.
pub struct Rng(u64);

impl Rng {
    pub fn new() -> Rng {
        let seed = unix_us() as u64 ^ ((std::process::id() as u64) << 32) ^ 0x9E37_79B9_7F4A_7C15;
        Rng(seed | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

impl Default for Rng {
    fn default() -> Self {
        Rng::new()
    }
}

/// A deterministic xorshift64 sequence from `seed` (not 0), for tests that
/// corrupt data at random but must fail the same way on every run.
#[cfg(test)]
pub fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}

/// Lower-cases an ASCII command name into `buf`, returning the slice, or None if too long.
pub fn ascii_lower<'a>(name: &[u8], buf: &'a mut [u8; 64]) -> Option<&'a [u8]> {
    if name.len() > buf.len() {
        return None;
    }
    for (d, s) in buf.iter_mut().zip(name) {
        *d = s.to_ascii_lowercase();
    }
    Some(&buf[..name.len()])
}
