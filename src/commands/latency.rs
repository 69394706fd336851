//! The latency monitor (events slower than `latency-monitor-threshold` ms, kept per
//! event as one sample per second in a ring of the last 160) and the LATENCY
//! commands, including LATENCY HISTOGRAM over the per-command duration histograms.

use super::{flag, flag::*, keys::reply_help, Command, Ctx};
use crate::error::{CmdError, CmdResult};
use crate::server::Core;
use crate::util::histogram::Histogram;
use std::fmt::Write;

/// Samples kept per event (one per second with a spike), as Redis.
const TS_LEN: usize = 160;
/// Width of LATENCY GRAPH, and the rows of its sparkline.
const GRAPH_COLS: usize = 80;
const GRAPH_ROWS: usize = 4;

#[derive(Clone, Copy, Default)]
struct Sample {
    /// Unix time in seconds (0: unused slot).
    time: i64,
    /// The largest latency seen in that second, in ms.
    ms: u64,
}

struct Series {
    samples: [Sample; TS_LEN],
    /// Where the next new sample goes (the oldest one is overwritten).
    next: usize,
    /// All-time maximum, in ms.
    max: u64,
}

impl Series {
    fn new() -> Series {
        Series {
            samples: [Sample::default(); TS_LEN],
            next: 0,
            max: 0,
        }
    }

    fn add(&mut self, time: i64, ms: u64) {
        self.max = self.max.max(ms);
        let last = &mut self.samples[(self.next + TS_LEN - 1) % TS_LEN];
        if last.time == time {
            last.ms = last.ms.max(ms);
            return;
        }
        self.samples[self.next] = Sample { time, ms };
        self.next = (self.next + 1) % TS_LEN;
    }

    /// The used samples, oldest first.
    fn history(&self) -> impl Iterator<Item = &Sample> + '_ {
        (0..TS_LEN)
            .map(move |j| &self.samples[(self.next + j) % TS_LEN])
            .filter(|s| s.time != 0)
    }

    fn latest(&self) -> Sample {
        self.samples[(self.next + TS_LEN - 1) % TS_LEN]
    }
}

/// The events seen so far, in order of first appearance.
#[derive(Default)]
pub struct LatencyMonitor {
    events: Vec<(&'static str, Box<Series>)>,
}

impl LatencyMonitor {
    fn find(&self, name: &[u8]) -> Option<&Series> {
        self.events
            .iter()
            .find(|(n, _)| n.as_bytes() == name)
            .map(|(_, s)| &**s)
    }
}

/// Records event `name` if it took at least the configured threshold (0: off).
#[inline]
pub fn record(core: &mut Core, name: &'static str, ms: u64) {
    let threshold = core.config.latency_monitor_threshold;
    if threshold == 0 || ms < threshold {
        return;
    }
    let now = crate::util::unix_ms() / 1000;
    let events = &mut core.latency.events;
    let i = match events.iter().position(|(n, _)| *n == name) {
        Some(i) => i,
        None => {
            events.push((name, Box::new(Series::new())));
            events.len() - 1
        }
    };
    events[i].1.add(now, ms);
}

/// Records a command's duration as a "fast-command" or "command" event.
#[inline]
pub fn record_command(core: &mut Core, flags: u32, elapsed_ns: u64) {
    let name = if flags & flag::FAST != 0 {
        "fast-command"
    } else {
        "command"
    };
    record(core, name, elapsed_ns / 1_000_000);
}

/// LATENCY LATEST: per event, [name, time of the latest sample, its latency, max].
fn latency_latest(ctx: &mut Ctx) -> CmdResult {
    let Ctx { core, client, .. } = ctx;
    let out = &mut client.out;
    out.array(core.latency.events.len());
    for (name, series) in &core.latency.events {
        let last = series.latest();
        out.array(4);
        out.bulk(name.as_bytes());
        out.int(last.time);
        out.int(last.ms as i64);
        out.int(series.max as i64);
    }
    Ok(())
}

/// LATENCY HISTORY event: [time, latency] pairs, oldest first (empty if unknown).
fn latency_history(ctx: &mut Ctx) -> CmdResult {
    let Ctx {
        core, client, argv, ..
    } = ctx;
    let samples: Vec<Sample> = match core.latency.find(&argv[2]) {
        Some(series) => series.history().copied().collect(),
        None => Vec::new(),
    };
    let out = &mut client.out;
    out.array(samples.len());
    for s in samples {
        out.array(2);
        out.int(s.time);
        out.int(s.ms as i64);
    }
    Ok(())
}

/// LATENCY RESET [event ...]: forgets the named events (all by default), replying
/// how many were dropped.
fn latency_reset(ctx: &mut Ctx) -> CmdResult {
    let events = &mut ctx.core.latency.events;
    let dropped = if ctx.argv.len() == 2 {
        std::mem::take(events).len()
    } else {
        let mut n = 0;
        for name in &ctx.argv[2..] {
            if let Some(i) = events.iter().position(|(e, _)| e.as_bytes() == &name[..]) {
                events.remove(i);
                n += 1;
            }
        }
        n
    };
    ctx.out().int(dropped as i64);
    Ok(())
}

/// "12s", "3m", "5h" or "2d": how long ago `time` was.
fn age_label(now: i64, time: i64) -> String {
    let ago = (now - time).max(0);
    match ago {
        0..=59 => format!("{ago}s"),
        60..=3599 => format!("{}m", ago / 60),
        3600..=86399 => format!("{}h", ago / 3600),
        _ => format!("{}d", ago / 86400),
    }
}

/// Draws samples as a filled sparkline of `GRAPH_ROWS` rows (three levels per
/// row: '_', 'o', '#', with '|' below the top), each column labelled vertically
/// underneath after one blank line; wide sequences wrap every `GRAPH_COLS`.
fn sparkline(out: &mut String, values: &[(u64, String)]) {
    const LEVELS: &[u8] = b"_o#";
    let min = values.iter().map(|v| v.0).min().unwrap_or(0);
    let max = values.iter().map(|v| v.0).max().unwrap_or(0);
    let range = if max == min { 1.0 } else { (max - min) as f64 };
    let steps = LEVELS.len() * GRAPH_ROWS;
    for (chunk_no, chunk) in values.chunks(GRAPH_COLS).enumerate() {
        if chunk_no > 0 {
            out.push('\n');
        }
        let step: Vec<usize> = chunk
            .iter()
            .map(|(v, _)| {
                let scaled = (((v - min) as f64 * steps as f64) as u64) as f64 / range;
                (scaled as usize).min(steps - 1)
            })
            .collect();
        for row in 0..GRAPH_ROWS {
            let floor = (GRAPH_ROWS - row - 1) * LEVELS.len();
            for &s in &step {
                out.push(match s.checked_sub(floor) {
                    Some(i) if i < LEVELS.len() => LEVELS[i] as char,
                    Some(_) => '|',
                    None => ' ',
                });
            }
            out.push('\n');
        }
        let label_rows = chunk.iter().map(|(_, l)| l.len()).max().unwrap_or(0);
        out.push_str(&" ".repeat(chunk.len()));
        out.push('\n');
        for r in 0..label_rows {
            for (_, label) in chunk {
                out.push(label.as_bytes().get(r).map_or(' ', |&b| b as char));
            }
            out.push('\n');
        }
    }
}

fn no_samples(name: &[u8]) -> CmdError {
    CmdError::msg(format!(
        "ERR No samples available for event '{}'",
        String::from_utf8_lossy(name)
    ))
}

/// LATENCY GRAPH event: an ASCII graph of the event's samples.
fn latency_graph(ctx: &mut Ctx) -> CmdResult {
    let name = &ctx.argv[2];
    let Some(series) = ctx.core.latency.find(name) else {
        return Err(no_samples(name));
    };
    let now = crate::util::unix_ms() / 1000;
    let values: Vec<(u64, String)> = series
        .history()
        .map(|s| (s.ms, age_label(now, s.time)))
        .collect();
    if values.is_empty() {
        return Err(no_samples(name));
    }
    let high = values.iter().map(|v| v.0).max().unwrap_or(0);
    let low = values.iter().map(|v| v.0).min().unwrap_or(0);
    let mut text = format!(
        "{} - high {} ms, low {} ms (all time high {} ms)\n{}\n",
        String::from_utf8_lossy(name),
        high,
        low,
        series.max,
        "-".repeat(GRAPH_COLS)
    );
    sparkline(&mut text, &values);
    ctx.out().verbatim("txt", text.as_bytes());
    Ok(())
}

/// A short advice line per kind of event.
fn advice(event: &str) -> &'static str {
    match event {
        "command" => "slow commands: see SLOWLOG GET and avoid O(N) commands on big values",
        "fast-command" => "O(1) commands were slow: the host may be overloaded or swapping",
        "expire-cycle" => "many keys expire at the same time: spread their expire times",
        _ => "",
    }
}

/// LATENCY DOCTOR: a short report of the events seen, with statistics.
fn latency_doctor(ctx: &mut Ctx) -> CmdResult {
    let core = &*ctx.core;
    let threshold = core.config.latency_monitor_threshold;
    let mut text = String::new();
    if core.latency.events.is_empty() {
        if threshold == 0 {
            text.push_str(
                "Latency monitoring is disabled. Enable it with \
                 CONFIG SET latency-monitor-threshold <milliseconds>.\n",
            );
        } else {
            text.push_str("No latency spike was observed since the server started.\n");
        }
    } else {
        let _ = writeln!(
            text,
            "Latency spikes were observed (threshold {threshold} ms):\n"
        );
        for (i, (name, series)) in core.latency.events.iter().enumerate() {
            let samples: Vec<&Sample> = series.history().collect();
            let n = samples.len().max(1) as f64;
            let avg = samples.iter().map(|s| s.ms as f64).sum::<f64>() / n;
            let dev = samples
                .iter()
                .map(|s| (s.ms as f64 - avg).abs())
                .sum::<f64>()
                / n;
            let span = match (samples.first(), samples.last()) {
                (Some(a), Some(b)) => (b.time - a.time) as f64,
                _ => 0.0,
            };
            let _ = writeln!(
                text,
                "{}. {}: {} latency spikes (average {}ms, mean deviation {}ms, \
                 period {:.2} sec). Worst all time event {}ms.",
                i + 1,
                name,
                samples.len(),
                avg as u64,
                dev as u64,
                span / n,
                series.max
            );
        }
        text.push_str("\nAdvice:\n");
        for (name, _) in &core.latency.events {
            let _ = writeln!(text, "- {}: {}.", name, advice(name));
        }
    }
    ctx.out().verbatim("txt", text.as_bytes());
    Ok(())
}

/// The reported bucket bounds: 1024 ns times powers of two, each shown as the
/// highest value an HDR histogram with 2 significant digits files with it, in us.
fn bucket_usec(level: u32) -> u64 {
    let m = 10 + level;
    ((1u64 << m) + (1u64 << (m - 7)) - 1) / 1000
}

/// One command's {"calls": n, "histogram_usec": {bucket: cumulative count}}.
fn reply_histogram(ctx: &mut Ctx, name: &str, h: &Histogram) {
    // Cumulative counts per power-of-two level, from the log-linear buckets
    // (each counted at the level its lowest value falls in).
    let mut levels: Vec<(u64, u64)> = Vec::new();
    let mut seen = 0u64;
    for (low, count) in h.buckets() {
        seen += count;
        let mut level = 0;
        while level < 53 && low > (1u64 << (10 + level)) + (1u64 << (3 + level)) - 1 {
            level += 1;
        }
        let key = bucket_usec(level);
        match levels.last_mut() {
            Some(last) if last.0 == key => last.1 = seen,
            _ => levels.push((key, seen)),
        }
    }
    let out = ctx.out();
    out.bulk(name.as_bytes());
    out.map(2);
    out.bulk(b"calls");
    out.int(h.count() as i64);
    out.bulk(b"histogram_usec");
    out.map(levels.len());
    for (key, cumulative) in levels {
        out.int(key as i64);
        out.int(cumulative as i64);
    }
}

/// LATENCY HISTOGRAM [command ...]: the named commands (a container names its
/// subcommands; unknown names are skipped), or all, that have been called.
fn latency_histogram(ctx: &mut Ctx) -> CmdResult {
    let reg = &ctx.core.registry;
    let mut picked: Vec<usize> = Vec::new();
    if ctx.argv.len() == 2 {
        picked.extend(0..reg.entries.len());
    } else {
        for name in &ctx.argv[2..] {
            let found = match name.iter().position(|&b| b == b'|') {
                Some(bar) => reg
                    .find(&name[..bar])
                    .and_then(|p| reg.find_sub(p, &name[bar + 1..])),
                None => reg.find(name),
            };
            let Some(idx) = found else { continue };
            picked.push(idx);
            for sub in reg.entries[idx].cmd.subcommands {
                if let Some(s) = reg.find_sub(idx, sub.name.as_bytes()) {
                    picked.push(s);
                }
            }
        }
    }
    let with_data: Vec<(String, Histogram)> = picked
        .into_iter()
        .filter_map(|i| {
            let e = &reg.entries[i];
            let h = e.stats.latency.as_deref().filter(|h| h.count() > 0)?;
            Some((e.fullname.clone(), h.clone()))
        })
        .collect();
    ctx.out().map(with_data.len());
    for (name, h) in &with_data {
        reply_histogram(ctx, name, h);
    }
    Ok(())
}

const LATENCY_HELP: &[&str] = &[
    "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DOCTOR",
    "    Return a human readable latency analysis report.",
    "GRAPH <event>",
    "    Return an ASCII latency graph for the <event> class.",
    "HISTORY <event>",
    "    Return time-latency samples for the <event> class.",
    "LATEST",
    "    Return the latest latency samples for all events.",
    "RESET [<event> ...]",
    "    Reset latency data of one or more <event> classes.",
    "    (default: reset all data for all event classes)",
    "HISTOGRAM [COMMAND ...]",
    "    Return a cumulative distribution of latencies in the format of a histogram for the \
     specified command names.",
    "    If no commands are specified then all histograms are replied.",
    "HELP",
    "    Prints this help.",
];

fn latency_help(ctx: &mut Ctx) -> CmdResult {
    reply_help(ctx, LATENCY_HELP);
    Ok(())
}

fn container(_: &mut Ctx) -> CmdResult {
    Err(CmdError::Syntax)
}

const LF: u32 = ADMIN | NOSCRIPT | LOADING | STALE;
const SPECIAL: &[&str] = &[
    "nondeterministic_output",
    "request_policy:all_nodes",
    "response_policy:special",
];

const LATENCY_SUBS: &[Command] = &[
    Command::new("doctor", 2, latency_doctor)
        .flags(LF)
        .tips(SPECIAL)
        .doc(
            "server",
            "2.8.13",
            "Return a human readable latency analysis report.",
            "O(1)",
        ),
    Command::new("graph", 3, latency_graph)
        .flags(LF)
        .tips(SPECIAL)
        .doc(
            "server",
            "2.8.13",
            "Return a latency graph for the event.",
            "O(1)",
        ),
    Command::new("help", 2, latency_help)
        .flags(LOADING | STALE)
        .doc(
            "server",
            "2.8.13",
            "Show helpful text about the different subcommands.",
            "O(1)",
        ),
    Command::new("histogram", -2, latency_histogram)
        .flags(LF)
        .tips(SPECIAL)
        .doc(
            "server",
            "7.0.0",
            "Return the cumulative distribution of latencies of a subset of commands or all.",
            "O(N) where N is the number of commands with latency information being retrieved.",
        ),
    Command::new("history", 3, latency_history)
        .flags(LF)
        .tips(SPECIAL)
        .doc(
            "server",
            "2.8.13",
            "Return timestamp-latency samples for the event.",
            "O(1)",
        ),
    Command::new("latest", 2, latency_latest)
        .flags(LF)
        .tips(SPECIAL)
        .doc(
            "server",
            "2.8.13",
            "Return the latest latency samples for all events.",
            "O(1)",
        ),
    Command::new("reset", -2, latency_reset)
        .flags(LF)
        .tips(&["request_policy:all_nodes", "response_policy:all_succeeded"])
        .doc(
            "server",
            "2.8.13",
            "Reset latency data for one or more events.",
            "O(1)",
        ),
];

pub const COMMANDS: &[Command] = &[Command::new("latency", -2, container)
    .subcommands(LATENCY_SUBS)
    .doc(
        "server",
        "2.8.13",
        "A container for latency diagnostics commands",
        "Depends on subcommand.",
    )];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ring_merges_same_second_and_wraps() {
        let mut s = Series::new();
        s.add(100, 5);
        s.add(100, 9);
        s.add(100, 3);
        assert_eq!(s.history().count(), 1);
        assert_eq!(s.latest().ms, 9);
        for t in 0..200 {
            s.add(1000 + t, 1);
        }
        assert_eq!(s.history().count(), TS_LEN);
        assert_eq!(s.history().next().map(|x| x.time), Some(1040));
        assert_eq!(s.max, 9);
    }

    #[test]
    fn sparkline_shape() {
        let mut g = String::new();
        sparkline(&mut g, &[(50, "1s".into()), (20, "0s".into())]);
        assert_eq!(g, "# \n| \n| \n|_\n  \n10\nss\n");
    }

    #[test]
    fn bucket_bounds_match_hdr() {
        assert_eq!(bucket_usec(0), 1);
        assert_eq!(bucket_usec(5), 33);
        assert_eq!(bucket_usec(14), 16908);
        assert_eq!(bucket_usec(15), 33816);
    }
}
