//! Memory figures for INFO: jemalloc's allocated bytes (the binary installs jemalloc
//! as its global allocator, as Redis does) and the process RSS.

use std::sync::atomic::{AtomicUsize, Ordering};

static PEAK: AtomicUsize = AtomicUsize::new(0);

/// Bytes allocated through jemalloc (Redis's used_memory).
pub fn allocated() -> usize {
    let _ = tikv_jemalloc_ctl::epoch::advance();
    let now = tikv_jemalloc_ctl::stats::allocated::read().unwrap_or(0);
    PEAK.fetch_max(now, Ordering::Relaxed);
    now
}

/// Highest `allocated()` observed.
pub fn peak() -> usize {
    PEAK.load(Ordering::Relaxed).max(allocated())
}

/// Resident set size of this process in bytes, from /proc.
pub fn rss() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| {
            s.split_whitespace()
                .nth(1)
                .and_then(|v| v.parse::<usize>().ok())
        })
        .map(|pages| pages * 4096)
        .unwrap_or(0)
}

/// Turns jemalloc's background purging thread on or off (jemalloc-bg-thread).
pub fn set_background_thread(on: bool) {
    let _ = tikv_jemalloc_ctl::background_thread::write(on);
}
