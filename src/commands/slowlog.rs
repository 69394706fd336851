//! SLOWLOG: the last commands that took longer than `slowlog-log-slower-than`
//! microseconds, and MONITOR, which streams every command to watching clients.

use super::{flag::*, keys::reply_help, Command, Ctx};
use crate::error::{CmdError, CmdResult};
use crate::server::client::Client;
use crate::server::Core;
use std::collections::VecDeque;

/// Arguments kept per entry, and bytes kept per argument (as Redis).
const MAX_ARGS: usize = 32;
const MAX_ARG_LEN: usize = 128;

pub struct Entry {
    id: u64,
    time: i64,
    micros: u64,
    argv: Vec<Vec<u8>>,
    addr: String,
    name: Vec<u8>,
}

#[derive(Default)]
pub struct SlowLog {
    entries: VecDeque<Entry>,
    next_id: u64,
}

/// Records a command if it was slow enough (called by the dispatcher).
pub fn record(core: &mut Core, client: &Client, argv: &[Vec<u8>], micros: u64) {
    let threshold = core.config.slowlog_log_slower_than;
    if threshold < 0 || micros < threshold as u64 {
        return;
    }
    let mut kept: Vec<Vec<u8>> = argv
        .iter()
        .take(if argv.len() > MAX_ARGS {
            MAX_ARGS - 1
        } else {
            MAX_ARGS
        })
        .map(|a| {
            if a.len() > MAX_ARG_LEN {
                let mut s = a[..MAX_ARG_LEN].to_vec();
                s.extend_from_slice(
                    format!("... ({} more bytes)", a.len() - MAX_ARG_LEN).as_bytes(),
                );
                s
            } else {
                a.clone()
            }
        })
        .collect();
    if argv.len() > MAX_ARGS {
        kept.push(format!("... ({} more arguments)", argv.len() - MAX_ARGS + 1).into_bytes());
    }
    let log = &mut core.slowlog;
    log.entries.push_front(Entry {
        id: log.next_id,
        time: core.now_ms / 1000,
        micros,
        argv: kept,
        addr: client.addr.clone(),
        name: client.name.clone().unwrap_or_default(),
    });
    log.next_id += 1;
    let max = core.config.slowlog_max_len as usize;
    log.entries.truncate(max);
}

/// SLOWLOG GET [count]
fn slowlog_get(ctx: &mut Ctx) -> CmdResult {
    let count = if ctx.argc() == 3 {
        let n = ctx
            .parse_i64(2)
            .map_err(|_| CmdError::msg("ERR count should be greater than or equal to -1"))?;
        if n < -1 {
            return Err(CmdError::msg(
                "ERR count should be greater than or equal to -1",
            ));
        }
        if n == -1 {
            usize::MAX
        } else {
            n as usize
        }
    } else if ctx.argc() > 3 {
        return Err(ctx.subcommand_syntax());
    } else {
        10
    };
    let Ctx { core, client, .. } = ctx;
    let out = &mut client.out;
    let entries: Vec<&Entry> = core.slowlog.entries.iter().take(count).collect();
    out.array(entries.len());
    for e in entries {
        out.array(6);
        out.int(e.id as i64);
        out.int(e.time);
        out.int(e.micros as i64);
        out.array(e.argv.len());
        for a in &e.argv {
            out.bulk(a);
        }
        out.bulk(e.addr.as_bytes());
        out.bulk(&e.name);
    }
    Ok(())
}

fn slowlog_len(ctx: &mut Ctx) -> CmdResult {
    let n = ctx.core.slowlog.entries.len();
    ctx.out().int(n as i64);
    Ok(())
}

fn slowlog_reset(ctx: &mut Ctx) -> CmdResult {
    ctx.core.slowlog.entries.clear();
    ctx.out().ok();
    Ok(())
}

const SLOWLOG_HELP: &[&str] = &[
    "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET [<count>]",
    "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
    "    Entries are made of:",
    "    id, timestamp, time in microseconds, arguments array, client IP and port,",
    "    client name",
    "LEN",
    "    Return the length of the slowlog.",
    "RESET",
    "    Reset the slowlog.",
    "HELP",
    "    Prints this help.",
];

fn slowlog_help(ctx: &mut Ctx) -> CmdResult {
    reply_help(ctx, SLOWLOG_HELP);
    Ok(())
}

fn monitor(ctx: &mut Ctx) -> CmdResult {
    if !ctx.client.monitor {
        ctx.client.monitor = true;
        ctx.core.monitors.push(ctx.client.token);
    }
    ctx.out().ok();
    Ok(())
}

/// Appends `arg` quoted the way Redis's sdscatrepr does.
fn push_repr(line: &mut Vec<u8>, arg: &[u8]) {
    line.push(b'"');
    for &b in arg {
        match b {
            b'\\' => line.extend_from_slice(b"\\\\"),
            b'"' => line.extend_from_slice(b"\\\""),
            b'\n' => line.extend_from_slice(b"\\n"),
            b'\r' => line.extend_from_slice(b"\\r"),
            b'\t' => line.extend_from_slice(b"\\t"),
            0x07 => line.extend_from_slice(b"\\a"),
            0x08 => line.extend_from_slice(b"\\b"),
            0x20..=0x7e => line.push(b),
            _ => line.extend_from_slice(format!("\\x{b:02x}").as_bytes()),
        }
    }
    line.push(b'"');
}

/// Sends a command to every MONITOR client, as `+<time> [<db> <addr>] "arg" ...`.
pub fn feed_monitors(core: &mut Core, client: &Client, argv: &[Vec<u8>]) {
    let now = crate::util::unix_us();
    let mut line = format!(
        "+{}.{:06} [{} {}]",
        now / 1_000_000,
        now % 1_000_000,
        client.db,
        if client.is_unix {
            format!("unix:{}", client.laddr)
        } else {
            client.addr.clone()
        }
    )
    .into_bytes();
    for a in argv {
        line.push(b' ');
        push_repr(&mut line, a);
    }
    line.extend_from_slice(b"\r\n");
    let mut gone = Vec::new();
    for &token in &core.monitors {
        match core.clients.get_mut(token) {
            Some(m) if m.monitor => {
                m.out.raw(&line);
                if !m.pending_write {
                    m.pending_write = true;
                    core.pending_writes.push(token);
                }
            }
            _ => gone.push(token),
        }
    }
    core.monitors.retain(|t| !gone.contains(t));
}

fn container(_: &mut Ctx) -> CmdResult {
    Err(CmdError::Syntax)
}

const SF: u32 = ADMIN | LOADING | STALE;

const SLOWLOG_SUBS: &[Command] = &[
    Command::new("get", -2, slowlog_get)
        .flags(SF)
        .tips(&["request_policy:all_nodes", "nondeterministic_output"])
        .doc(
            "server",
            "2.2.12",
            "Get the slow log's entries",
            "O(N) where N is the number of entries returned",
        ),
    Command::new("help", 2, slowlog_help)
        .flags(LOADING | STALE)
        .doc(
            "server",
            "6.2.0",
            "Show helpful text about the different subcommands",
            "O(1)",
        ),
    Command::new("len", 2, slowlog_len)
        .flags(SF)
        .tips(&[
            "request_policy:all_nodes",
            "response_policy:agg_sum",
            "nondeterministic_output",
        ])
        .doc("server", "2.2.12", "Get the slow log's length", "O(1)"),
    Command::new("reset", 2, slowlog_reset)
        .flags(SF)
        .tips(&["request_policy:all_nodes", "response_policy:all_succeeded"])
        .doc(
            "server",
            "2.2.12",
            "Clear all entries from the slow log",
            "O(N) where N is the number of entries in the slowlog",
        ),
];

pub const COMMANDS: &[Command] = &[
    Command::new("slowlog", -2, container)
        .subcommands(SLOWLOG_SUBS)
        .doc(
            "server",
            "2.2.12",
            "A container for slow log commands",
            "Depends on subcommand.",
        ),
    Command::new("monitor", 1, monitor)
        .flags(ADMIN | NOSCRIPT | LOADING | STALE)
        .doc(
            "server",
            "1.0.0",
            "Listen for all requests received by the server in real time",
            "",
        ),
];
