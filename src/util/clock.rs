//! A cheap stopwatch for per-command timing (INFO commandstats and latencystats).
//!
//! Reading the clock twice per command is measurable on virtual machines where
//! `clock_gettime` is slow, so on x86_64 the time stamp counter is used, calibrated
//! once against the monotonic clock; elsewhere it is `Instant`.

use std::sync::OnceLock;
use std::time::Instant;

/// An opaque start reading.
#[derive(Clone, Copy)]
pub struct Start(u64);

#[cfg(target_arch = "x86_64")]
fn ticks() -> u64 {
    // SAFETY: RDTSC has no preconditions on x86_64.
    unsafe { core::arch::x86_64::_rdtsc() }
}

#[cfg(target_arch = "x86_64")]
fn ns_per_tick() -> f64 {
    static SCALE: OnceLock<f64> = OnceLock::new();
    *SCALE.get_or_init(|| {
        let (t0, c0) = (Instant::now(), ticks());
        std::thread::sleep(std::time::Duration::from_millis(10));
        let (ns, c) = (t0.elapsed().as_nanos() as f64, ticks().wrapping_sub(c0));
        if c == 0 {
            1.0
        } else {
            ns / c as f64
        }
    })
}

#[cfg(target_arch = "x86_64")]
pub fn start() -> Start {
    Start(ticks())
}

/// Nanoseconds since `start`.
#[cfg(target_arch = "x86_64")]
pub fn elapsed_ns(start: Start) -> u64 {
    (ticks().wrapping_sub(start.0) as f64 * ns_per_tick()) as u64
}

#[cfg(not(target_arch = "x86_64"))]
fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

#[cfg(not(target_arch = "x86_64"))]
pub fn start() -> Start {
    Start(epoch().elapsed().as_nanos() as u64)
}

#[cfg(not(target_arch = "x86_64"))]
pub fn elapsed_ns(start: Start) -> u64 {
    (epoch().elapsed().as_nanos() as u64).saturating_sub(start.0)
}

/// Calibrates ahead of time, so the first command is not delayed by it.
pub fn init() {
    let _ = elapsed_ns(start());
}

#[cfg(test)]
mod tests {
    #[test]
    fn measures_a_sleep() {
        let s = super::start();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let ns = super::elapsed_ns(s);
        assert!((15_000_000..2_000_000_000).contains(&ns), "{ns}");
    }
}
