//! Blocked clients: commands that wait for data (BLPOP and friends) or for time
//! (WAIT) park the calling client here instead of replying.
//!
//! A blocked client stops executing its input. It is woken in one of three ways:
//! a write touches one of the keys it waits on (the dispatcher marks the key ready
//! and, after the command that wrote it, re-runs each waiting client's command in
//! FIFO order until one is no longer satisfied); its deadline passes (a timer wheel
//! fires and the command's timeout reply is sent); or CLIENT UNBLOCK. Afterwards the
//! rest of its query buffer is processed on the next loop turn.

use super::{flag::*, Command, Ctx};
use crate::error::{err, CmdError, CmdResult};
use crate::protocol::ReplyBuf;
use crate::server::client::{Client, ReplyMode};
use crate::server::Core;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};

/// What a blocked command answers when it times out (or is unblocked with TIMEOUT).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OnTimeout {
    NullArray,
    Null,
    Int(i64),
}

impl OnTimeout {
    fn write(self, out: &mut ReplyBuf) {
        match self {
            OnTimeout::NullArray => out.null_array(),
            OnTimeout::Null => out.null(),
            OnTimeout::Int(n) => out.int(n),
        }
    }
}

/// Why and until when a client is blocked.
pub struct BlockState {
    /// The command to re-run when a key it waits on is written.
    pub argv: Vec<Vec<u8>>,
    /// (db, key) pairs it waits on (empty for WAIT).
    pub keys: Vec<(usize, Vec<u8>)>,
    /// Absolute deadline in ms, if any.
    pub deadline: Option<i64>,
    pub on_timeout: OnTimeout,
    /// Waiting for CLIENT PAUSE to end (not for data; CLIENT UNBLOCK leaves it).
    pub postponed: bool,
}

#[derive(Default)]
pub struct Blocking {
    /// Clients waiting on each key, in the order they blocked.
    by_key: HashMap<(usize, Vec<u8>), VecDeque<usize>>,
    /// Keys written since the last serve, in order.
    ready: Vec<(usize, Vec<u8>)>,
    /// Deadlines as (deadline ms, token, client id), re-validated when they come
    /// due; a heap, so the loop can sleep exactly until the next one.
    deadlines: BinaryHeap<Reverse<(i64, usize, u64)>>,
    /// Number of blocked clients (INFO blocked_clients).
    pub count: usize,
    /// Set while a blocked command is re-run: a handler that still cannot serve
    /// calls `still_blocked` instead of blocking again.
    pub retrying: bool,
    /// Set by a handler during a retry that could not be served.
    pub not_served: bool,
    /// Set by a handler during a retry whose error ends the wait (BLMOVE to a
    /// destination of another type): the client gets the error and is unblocked.
    pub final_error: bool,
    /// During a retry, the ready key being served: commands that serve one key
    /// per wake-up (XREAD, XREADGROUP) reply for this key only, as Redis does.
    pub serving: Option<(usize, Vec<u8>)>,
    /// CLIENT PAUSE: until when (ms; 0 = not paused), and whether every command
    /// waits (ALL) or only writes (WRITE).
    pub pause_end: i64,
    pub pause_all: bool,
    /// Clients whose command waits for the pause to end, in arrival order.
    postponed: VecDeque<usize>,
    /// Postponed clients whose pause ended, run by the loop at the end of the
    /// turn (not inside the command that ended it, which may be in a MULTI).
    resuming: VecDeque<usize>,
}

impl Blocking {
    pub fn is_waiting_on(&self, db: usize, key: &[u8]) -> bool {
        !self.by_key.is_empty() && self.by_key.contains_key(&(db, key.to_vec()))
    }

    pub fn has_waiters(&self) -> bool {
        !self.by_key.is_empty()
    }

    /// Marks a key as written (the dispatcher calls this for every key a write touched).
    pub fn signal_key(&mut self, db: usize, key: &[u8]) {
        if self.is_waiting_on(db, key) && !self.ready.iter().any(|(d, k)| *d == db && k == key) {
            self.ready.push((db, key.to_vec()));
        }
    }

    /// Marks every key waited on in database `db` as written: FLUSHDB, FLUSHALL and
    /// SWAPDB replace whole databases, and Redis re-checks those clients (a blocked
    /// XREADGROUP whose stream is gone is told so).
    pub fn signal_db(&mut self, db: usize) {
        let keys: Vec<Vec<u8>> = self
            .by_key
            .keys()
            .filter(|(d, _)| *d == db)
            .map(|(_, k)| k.clone())
            .collect();
        for k in keys {
            self.signal_key(db, &k);
        }
    }

    pub fn has_ready(&self) -> bool {
        !self.ready.is_empty()
    }

    /// The earliest pending deadline (a blocked command's or the end of a pause),
    /// for the loop's poll timeout.
    pub fn next_deadline(&self) -> Option<i64> {
        let block = self.deadlines.peek().map(|Reverse((d, _, _))| *d);
        let pause = (self.pause_end != 0).then_some(self.pause_end);
        match (block, pause) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether a command with these flags must wait for a CLIENT PAUSE to end.
    pub fn must_postpone(&self, flags: u32) -> bool {
        self.pause_end != 0
            && (self.pause_all || flags & (super::flag::WRITE | super::flag::MAY_REPLICATE) != 0)
    }
}

/// Parks the calling client. `timeout_ms` is None for "forever".
pub fn block(
    ctx: &mut Ctx,
    keys: Vec<(usize, Vec<u8>)>,
    timeout_ms: Option<i64>,
    on_timeout: OnTimeout,
) {
    if ctx.core.blocking.retrying {
        // Re-run of an already blocked command that still cannot be served.
        ctx.core.blocking.not_served = true;
        return;
    }
    let token = ctx.client.token;
    let deadline = timeout_ms.map(|t| ctx.core.now_ms.saturating_add(t));
    let b = &mut ctx.core.blocking;
    for k in &keys {
        b.by_key.entry(k.clone()).or_default().push_back(token);
    }
    if let Some(d) = deadline {
        b.deadlines.push(Reverse((d, token, ctx.client.id)));
    }
    b.count += 1;
    ctx.client.blocked = Some(BlockState {
        argv: ctx.argv.clone(),
        keys,
        deadline,
        on_timeout,
        postponed: false,
    });
}

/// Parks a client whose command arrived during CLIENT PAUSE; it runs at unpause.
pub fn postpone(core: &mut Core, client: &mut Client, argv: Vec<Vec<u8>>) {
    client.blocked = Some(BlockState {
        argv,
        keys: Vec::new(),
        deadline: None,
        on_timeout: OnTimeout::Null,
        postponed: true,
    });
    core.blocking.count += 1;
    core.blocking.postponed.push_back(client.token);
}

/// CLIENT PAUSE: a later end or a stricter mode extends the current pause.
pub fn pause(core: &mut Core, until: i64, all: bool) {
    let b = &mut core.blocking;
    if b.pause_end == 0 {
        b.pause_all = all;
    } else {
        b.pause_all |= all;
    }
    b.pause_end = b.pause_end.max(until);
}

/// Ends the pause (CLIENT UNPAUSE or its deadline): the postponed commands run
/// in the order they arrived, at the end of the loop turn, as Redis reprocesses
/// them in beforeSleep.
pub fn unpause(core: &mut Core) {
    core.blocking.pause_end = 0;
    core.blocking.pause_all = false;
    let b = &mut core.blocking;
    b.resuming.extend(b.postponed.drain(..));
}

/// Runs the commands whose pause ended (called once per loop turn).
fn resume_unpaused(core: &mut Core) {
    while let Some(token) = core.blocking.resuming.pop_front() {
        if !core.clients.contains(token) {
            continue;
        }
        let mut client = core.clients.remove(token);
        resume_postponed(core, &mut client);
        let entry = core.clients.vacant_entry();
        debug_assert_eq!(entry.key(), token);
        entry.insert(client);
    }
}

/// Runs a postponed client's command for real (it may block again, properly).
fn resume_postponed(core: &mut Core, client: &mut Client) {
    let Some(state) = client.blocked.take() else {
        return;
    };
    core.blocking.count -= 1;
    super::execute(core, client, state.argv);
    core.pending_reads.push(client.token);
    if !client.pending_write {
        client.pending_write = true;
        core.pending_writes.push(client.token);
    }
}

/// Ends a pause whose deadline passed, and runs the commands it held (called
/// once per loop turn).
pub fn end_pause_if_due(core: &mut Core) {
    if core.blocking.pause_end != 0 && core.now_ms >= core.blocking.pause_end {
        unpause(core);
    }
    resume_unpaused(core);
}

/// The end of every blocking pop that found nothing: inside MULTI it answers a
/// null array at once, otherwise the client waits on the keys at `positions`.
pub fn wait_on_keys(
    ctx: &mut Ctx,
    positions: impl Iterator<Item = usize>,
    timeout_ms: Option<i64>,
) {
    if must_not_block(ctx) {
        ctx.out().null_array();
        return;
    }
    let keys = keys_at(ctx, positions);
    block(ctx, keys, timeout_ms, OnTimeout::NullArray);
}

/// Whether a blocking command may take from `key` in `db` now: always, except
/// when it is re-run for a woken client, which is served from the key that
/// became ready (as Redis serves it), not from another of its keys.
pub fn may_serve_from(core: &Core, db: usize, key: &[u8]) -> bool {
    match &core.blocking.serving {
        Some((d, k)) if core.blocking.retrying => *d == db && k == key,
        _ => true,
    }
}

/// True when blocking commands must answer at once (inside MULTI/EXEC, or
/// replayed from the AOF), as in Redis.
pub fn must_not_block(ctx: &Ctx) -> bool {
    ctx.core.exec_depth > 0 || ctx.client.obey
}

/// Forgets a client's blocked state and schedules it to carry on (its reply is
/// flushed and its pipelined input runs next turn).
pub fn unblock(core: &mut Core, client: &mut Client) {
    if forget(core, client) {
        core.pending_reads.push(client.token);
        if !client.pending_write {
            client.pending_write = true;
            core.pending_writes.push(client.token);
        }
    }
}

/// Removes a client from the wait queues (also on disconnect). Returns whether it
/// was blocked.
pub fn forget(core: &mut Core, client: &mut Client) -> bool {
    let Some(state) = client.blocked.take() else {
        return false;
    };
    core.blocking.postponed.retain(|&t| t != client.token);
    core.blocking.resuming.retain(|&t| t != client.token);
    for k in state.keys {
        if let Some(q) = core.blocking.by_key.get_mut(&k) {
            q.retain(|&t| t != client.token);
            if q.is_empty() {
                core.blocking.by_key.remove(&k);
            }
        }
    }
    core.blocking.count -= 1;
    true
}

/// Unblocks with the command's timeout reply.
pub fn unblock_with_timeout(core: &mut Core, client: &mut Client) {
    if let Some(state) = &client.blocked {
        unblocked_reply(&mut client.reply_mode, &mut client.out, |out| {
            state.on_timeout.write(out)
        });
    }
    unblock(core, client);
}

/// Writes the reply of a blocked command that ends without being served (its
/// timeout, CLIENT UNBLOCK), as its own reply would be: not at all under CLIENT
/// REPLY OFF, and skipped (ending the skip) under CLIENT REPLY SKIP.
pub fn unblocked_reply(
    mode: &mut ReplyMode,
    out: &mut ReplyBuf,
    write: impl FnOnce(&mut ReplyBuf),
) {
    match mode {
        ReplyMode::On => write(out),
        ReplyMode::Off => {}
        ReplyMode::SkipNext => *mode = ReplyMode::On,
    }
}

/// Serves clients blocked on keys that were written: for each ready key, re-runs the
/// waiting clients' commands in FIFO order. `current` is the client whose command
/// made the keys ready (it is not in the client table).
pub fn serve_ready(core: &mut Core, current: &mut Client) {
    while !core.blocking.ready.is_empty() {
        let ready = std::mem::take(&mut core.blocking.ready);
        for key in ready {
            let waiting: Vec<usize> = match core.blocking.by_key.get(&key) {
                Some(q) => q.iter().copied().collect(),
                None => continue,
            };
            for token in waiting {
                if token == current.token || !core.clients.contains(token) {
                    continue;
                }
                let mut client = core.clients.remove(token);
                core.blocking.serving = Some(key.clone());
                retry(core, &mut client);
                core.blocking.serving = None;
                let entry = core.clients.vacant_entry();
                debug_assert_eq!(entry.key(), token);
                entry.insert(client);
            }
        }
    }
}

/// Re-runs a blocked client's command; unblocks it if the command was served.
fn retry(core: &mut Core, client: &mut Client) {
    let Some(argv) = client.blocked.as_ref().map(|b| b.argv.clone()) else {
        return;
    };
    core.blocking.retrying = true;
    core.blocking.not_served = false;
    super::execute(core, client, argv);
    core.blocking.retrying = false;
    if !core.blocking.not_served {
        unblock(core, client);
    }
}

/// Times out blocked clients whose deadline passed (called once per loop turn).
pub fn expire_timeouts(core: &mut Core) {
    let now = core.now_ms;
    while let Some(Reverse((deadline, token, id))) = core.blocking.deadlines.peek().copied() {
        if deadline > now {
            break;
        }
        core.blocking.deadlines.pop();
        if core.clients.get(token).is_none_or(|c| c.id != id) {
            continue;
        }
        let mut client = core.clients.remove(token);
        if client.blocked.as_ref().and_then(|b| b.deadline) == Some(deadline) {
            unblock_with_timeout(core, &mut client);
        }
        let entry = core.clients.vacant_entry();
        debug_assert_eq!(entry.key(), token);
        entry.insert(client);
    }
}

/// Parses a blocking timeout in seconds (a double, as Redis 6+ accepts) into ms;
/// 0 means forever (None).
pub fn parse_timeout(ctx: &Ctx, i: usize) -> Result<Option<i64>, crate::error::CmdError> {
    let negative = || crate::error::CmdError::msg("ERR timeout is negative");
    // Whole seconds exactly (a double would round the largest ones up).
    if let Some(n) = crate::util::num::parse_i64(ctx.arg(i)) {
        return match n.checked_mul(1000) {
            Some(0) => Ok(None),
            Some(ms) if ms > 0 => Ok(Some(ms)),
            _ => Err(negative()),
        };
    }
    let secs = crate::util::num::parse_f64(ctx.arg(i))
        .filter(|v| !v.is_nan())
        .ok_or_else(|| crate::error::CmdError::msg("ERR timeout is not a float or out of range"))?;
    let ms = (secs * 1000.0).ceil();
    // Redis 7.0 converts the milliseconds to a 64-bit integer as x86 does: a
    // value beyond the range (inf included) becomes the most negative one.
    if ms < 0.0 || ms >= i64::MAX as f64 {
        return Err(negative());
    }
    Ok(if ms == 0.0 { None } else { Some(ms as i64) })
}

/// Collects keys for `block` from argument positions.
pub fn keys_at(ctx: &Ctx, positions: impl Iterator<Item = usize>) -> Vec<(usize, Vec<u8>)> {
    let db = ctx.client.db;
    positions.map(|i| (db, ctx.arg(i).to_vec())).collect()
}

/// WAIT numreplicas timeout: there are no replicas, so it answers 0 at once when
/// no acknowledgement is needed, and otherwise after the timeout (0 = forever).
fn wait(ctx: &mut Ctx) -> CmdResult {
    let wanted = ctx.parse_i64(1)?;
    let timeout = crate::util::num::parse_i64(ctx.arg(2))
        .ok_or_else(|| CmdError::msg("ERR timeout is not an integer or out of range"))?;
    if timeout < 0 {
        return err("ERR timeout is negative");
    }
    if wanted <= 0 || must_not_block(ctx) || ctx.core.blocking.retrying {
        ctx.out().int(0);
        return Ok(());
    }
    let t = if timeout == 0 { None } else { Some(timeout) };
    block(ctx, Vec::new(), t, OnTimeout::Int(0));
    Ok(())
}

/// CLIENT UNBLOCK client-id [TIMEOUT|ERROR]
pub fn client_unblock(ctx: &mut Ctx) -> CmdResult {
    let error = match ctx.argc() {
        3 => false,
        4 if ctx.is(3, "timeout") => false,
        4 if ctx.is(3, "error") => true,
        4 => return err("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"),
        _ => return Err(ctx.subcommand_syntax()),
    };
    let id = ctx.parse_i64(2)?;
    let target = ctx
        .core
        .clients
        .iter()
        .find(|(_, c)| c.id as i64 == id && c.blocked.as_ref().is_some_and(|b| !b.postponed))
        .map(|(t, _)| t);
    let Some(token) = target else {
        ctx.out().int(0);
        return Ok(());
    };
    let mut client = ctx.core.clients.remove(token);
    if error {
        // Counted as the blocked command's error reply, even when CLIENT REPLY
        // SKIP/OFF keeps the text from the client, as in Redis.
        const UNBLOCKED: &str = "UNBLOCKED client unblocked via CLIENT UNBLOCK";
        super::count_error(ctx.core, UNBLOCKED);
        if let Some(e) = ctx.core.registry.entries.get_mut(client.last_cmd) {
            e.stats.failed += 1;
        }
        unblocked_reply(&mut client.reply_mode, &mut client.out, |out| {
            out.error(UNBLOCKED)
        });
        unblock(ctx.core, &mut client);
    } else {
        unblock_with_timeout(ctx.core, &mut client);
    }
    let entry = ctx.core.clients.vacant_entry();
    debug_assert_eq!(entry.key(), token);
    entry.insert(client);
    ctx.out().int(1);
    Ok(())
}

pub const COMMANDS: &[Command] = &[Command::new("wait", 3, wait)
    .flags(NOSCRIPT)
    .acl(super::acl::CONNECTION)
    .tips(&["request_policy:all_shards", "response_policy:agg_min"])
    .doc(
        "generic",
        "3.0.0",
        "Wait for the synchronous replication of all the write commands sent in the context of the current connection",
        "O(1)",
    )];

/// CLIENT PAUSE timeout [WRITE|ALL]
pub fn client_pause(ctx: &mut Ctx) -> CmdResult {
    let timeout = crate::util::num::parse_i64(ctx.arg(2))
        .ok_or_else(|| CmdError::msg("ERR timeout is not an integer or out of range"))?;
    if timeout < 0 {
        return err("ERR timeout is negative");
    }
    let all = match ctx.argc() {
        3 => true,
        4 if ctx.is(3, "all") => true,
        4 if ctx.is(3, "write") => false,
        4 => return err("ERR CLIENT PAUSE mode must be WRITE or ALL"),
        _ => return Err(CmdError::Syntax),
    };
    let until = ctx.now().saturating_add(timeout);
    pause(ctx.core, until, all);
    ctx.out().ok();
    Ok(())
}

/// CLIENT UNPAUSE
pub fn client_unpause(ctx: &mut Ctx) -> CmdResult {
    unpause(ctx.core);
    ctx.out().ok();
    Ok(())
}
