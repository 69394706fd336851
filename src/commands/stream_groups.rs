//! Stream consumer groups and stream introspection: XGROUP, XREADGROUP, XACK,
//! XPENDING, XCLAIM, XAUTOCLAIM and XINFO, working through `types::stream` (the
//! entries) and `types::stream_group` (groups, pending entries, consumers).
//!
//! Redis does not signal consumer-group bookkeeping as a modification of the key:
//! XACK, XCLAIM, XREADGROUP or XGROUP SETID count as writes (persistence) but leave
//! WATCHed transactions and client-side caches alone. Those handlers say so with
//! [`quiet_write`]. XGROUP DESTROY wakes the clients blocked on the group.

use super::blocking;
use super::keys::reply_help;
use super::streams::{parse_interval_id, parse_range_id, parse_strict_id};
use super::{acl, flag::*, Command, Ctx, KeySpec};
use super::{read_typed, read_typed_mut, write_typed};
use crate::config::notify::STREAM as EV_STREAM;
use crate::error::{CmdError, CmdResult};
use crate::keyspace::Value;
use crate::protocol::ReplyBuf;
use crate::types::stream::{Stream, StreamId};
use crate::types::stream_group::{CGroup, Retry, StreamMeta, INVALID_ENTRIES_READ};
use crate::util::num;

/// One stream entry as replied: its id and (field, value) pairs.
type Entry = (StreamId, Vec<(Vec<u8>, Vec<u8>)>);

/// A pending entry as replied: its id and its fields, or None when the entry is no
/// longer in the stream (or only its id is wanted).
type Delivered = (StreamId, Option<Vec<(Vec<u8>, Vec<u8>)>>);

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn id_bytes(id: StreamId) -> Vec<u8> {
    let mut v = Vec::with_capacity(24);
    id.write(&mut v);
    v
}

fn reply_id(out: &mut ReplyBuf, id: StreamId) {
    out.bulk(&id_bytes(id));
}

/// `[id, [field, value, ...]]`, or `[id, nil]` for an entry no longer in the stream.
fn reply_entry(out: &mut ReplyBuf, id: StreamId, fields: Option<&[(Vec<u8>, Vec<u8>)]>) {
    out.array(2);
    reply_id(out, id);
    match fields {
        Some(fields) => {
            out.array(fields.len() * 2);
            for (f, v) in fields {
                out.bulk(f);
                out.bulk(v);
            }
        }
        None => out.null_array(),
    }
}

fn reply_entries(out: &mut ReplyBuf, entries: &[Entry]) {
    out.array(entries.len());
    for (id, fields) in entries {
        reply_entry(out, *id, Some(fields));
    }
}

/// Entries with ids in `start..=end`, at most `count` (0 = all), in order.
fn collect(s: &Stream, start: StreamId, end: StreamId, count: usize, rev: bool) -> Vec<Entry> {
    let mut out = Vec::new();
    if start > end {
        return out;
    }
    s.range(start, end, rev, |id, fields| {
        out.push((
            id,
            fields
                .iter()
                .map(|(f, v)| (f.to_vec(), v.to_vec()))
                .collect(),
        ));
        count == 0 || out.len() < count
    });
    out
}

/// XINFO's radix-tree-nodes: how many nodes Redis's radix tree would have for the
/// stream's node keys (16-byte big-endian master ids): a path-compressed trie where
/// each run of shared bytes is one node, each branch point one node, and each key
/// ends in a leaf node.
fn rax_nodes(s: &Stream) -> usize {
    fn count(keys: &[[u8; 16]], depth: usize) -> usize {
        if depth == 16 {
            return 1;
        }
        let (first, last) = (&keys[0], &keys[keys.len() - 1]);
        // Keys are sorted: the prefix shared by all is the one of the first and last.
        let shared = (depth..16).take_while(|&i| first[i] == last[i]).count();
        if shared > 0 {
            return 1 + count(keys, depth + shared);
        }
        let mut nodes = 1;
        let mut rest = keys;
        while let Some(k) = rest.first() {
            let n = rest.iter().take_while(|x| x[depth] == k[depth]).count();
            nodes += count(&rest[..n], depth + 1);
            rest = &rest[n..];
        }
        nodes
    }
    let keys: Vec<[u8; 16]> = s.nodes().map(|(id, _)| id.to_be_bytes()).collect();
    if keys.is_empty() {
        return 1;
    }
    count(&keys, 0)
}

fn meta(s: &Stream) -> StreamMeta {
    StreamMeta {
        length: s.length,
        last_id: s.last_id,
        first_id: s.first_id,
        max_deleted_id: s.max_deleted_id,
        entries_added: s.entries_added,
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Counts `n` writes that Redis does not signal as key modifications (see the
/// module comment).
fn quiet_write(ctx: &mut Ctx, n: u64) {
    if n > 0 {
        ctx.dirty(n);
        ctx.core.quiet_write = true;
    }
}

/// One command to propagate, as its arguments.
type Op = Vec<Vec<u8>>;

/// How Redis propagates the state of one pending entry (a delivery, a claim, or
/// the removal of an entry deleted from the stream): an XCLAIM that forces it into
/// its owner's PEL with the same delivery time and count, and the group's last id.
/// `id` is written as given (XCLAIM records the id argument as typed).
fn xclaim_op(key: &[u8], group: &[u8], g: &CGroup, id: StreamId, id_text: &[u8]) -> Option<Op> {
    let nack = g.pel.get(&id)?;
    Some(vec![
        b"XCLAIM".to_vec(),
        key.to_vec(),
        group.to_vec(),
        nack.consumer.to_vec(),
        b"0".to_vec(),
        id_text.to_vec(),
        b"TIME".to_vec(),
        nack.delivery_time.to_string().into_bytes(),
        b"RETRYCOUNT".to_vec(),
        nack.delivery_count.to_string().into_bytes(),
        b"FORCE".to_vec(),
        b"JUSTID".to_vec(),
        b"LASTID".to_vec(),
        id_bytes(g.last_id),
    ])
}

/// XGROUP SETID key group <last id> ENTRIESREAD <n>: the group's position.
fn setid_op(key: &[u8], group: &[u8], g: &CGroup) -> Op {
    vec![
        b"XGROUP".to_vec(),
        b"SETID".to_vec(),
        key.to_vec(),
        group.to_vec(),
        id_bytes(g.last_id),
        b"ENTRIESREAD".to_vec(),
        g.entries_read.to_string().into_bytes(),
    ]
}

/// XGROUP CREATECONSUMER key group consumer.
fn createconsumer_op(key: &[u8], group: &[u8], consumer: &[u8]) -> Op {
    vec![
        b"XGROUP".to_vec(),
        b"CREATECONSUMER".to_vec(),
        key.to_vec(),
        group.to_vec(),
        consumer.to_vec(),
    ]
}

/// Propagates `ops` in place of the running command.
fn propagate_ops(ctx: &mut Ctx, ops: &[Op]) {
    ctx.propagate_none();
    for op in ops {
        let args: Vec<&[u8]> = op.iter().map(|a| a.as_slice()).collect();
        ctx.propagate_op(&args);
    }
}

fn no_group(key: &[u8], group: &[u8]) -> CmdError {
    CmdError::msg(format!(
        "NOGROUP No such key '{}' or consumer group '{}'",
        text(key),
        text(group)
    ))
}

// ---------------------------------------------------------------------------
// XGROUP
// ---------------------------------------------------------------------------

const XGROUP_HELP: &[&str] = &[
    "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CREATE <key> <groupname> <id|$> [option]",
    "    Create a new consumer group. Options are:",
    "    * MKSTREAM",
    "      Create the empty stream if it does not exist.",
    "    * ENTRIESREAD entries_read",
    "      Set the group's entries_read counter (internal use).",
    "CREATECONSUMER <key> <groupname> <consumer>",
    "    Create a new consumer in the specified group.",
    "DELCONSUMER <key> <groupname> <consumer>",
    "    Remove the specified consumer.",
    "DESTROY <key> <groupname>",
    "    Remove the specified group.",
    "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
    "    Set the current group ID and entries_read counter.",
    "HELP",
    "    Prints this help.",
];

fn xgroup_help(ctx: &mut Ctx) -> CmdResult {
    reply_help(ctx, XGROUP_HELP);
    Ok(())
}

/// What every XGROUP subcommand does first, in Redis's order: the CREATE/SETID
/// options, the key (WRONGTYPE; it must exist unless MKSTREAM), and for the
/// subcommands that need one, the group. Returns the ENTRIESREAD value (or -1).
fn xgroup_prologue(ctx: &mut Ctx, needs_group: bool) -> Result<i64, CmdError> {
    let create = ctx.is(1, "create");
    let setid = ctx.is(1, "setid");
    let mut mkstream = false;
    let mut entries_read = INVALID_ENTRIES_READ;
    let mut i = 5;
    while i < ctx.argc() {
        if create && ctx.is(i, "mkstream") {
            mkstream = true;
            i += 1;
        } else if (create || setid) && ctx.is(i, "entriesread") && i + 1 < ctx.argc() {
            entries_read = ctx.parse_i64(i + 1)?;
            if entries_read < 0 && entries_read != INVALID_ENTRIES_READ {
                return Err(CmdError::msg(
                    "ERR value for ENTRIESREAD must be positive or -1",
                ));
            }
            i += 2;
        } else {
            return Err(ctx.subcommand_syntax());
        }
    }
    let db = ctx.client.db;
    let key = ctx.arg(2).to_vec();
    let group = ctx.arg(3).to_vec();
    let s = write_typed::<Stream>(ctx.core, db, &key, false)?;
    if !mkstream {
        let Some(s) = s else {
            return Err(CmdError::msg(
                "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE \
                 you may want to use the MKSTREAM option to create an empty stream automatically.",
            ));
        };
        if needs_group && s.groups.get(&group).is_none() {
            return Err(CmdError::msg(format!(
                "NOGROUP No such consumer group '{}' for key name '{}'",
                text(&group),
                text(&key)
            )));
        }
    }
    Ok(entries_read)
}

/// XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n]
fn xgroup_create(ctx: &mut Ctx) -> CmdResult {
    let entries_read = xgroup_prologue(ctx, false)?;
    if ctx.argc() > 8 {
        return Err(ctx.subcommand_syntax());
    }
    let db = ctx.client.db;
    let key = ctx.arg(2).to_vec();
    let existing_last = write_typed::<Stream>(ctx.core, db, &key, false)?.map(|s| s.last_id);
    let id = if ctx.arg(4) == b"$" {
        existing_last.unwrap_or_default()
    } else {
        parse_strict_id(ctx.arg(4))?
    };
    // MKSTREAM: the command can no longer fail, create the stream now.
    let created = existing_last.is_none();
    if created {
        let clock = ctx.core.lru_clock();
        ctx.db().add(
            key.clone().into(),
            Value::Stream(Box::new(Stream::new())),
            clock,
        );
    }
    let group = ctx.arg(3).to_vec();
    let Some(s) = write_typed::<Stream>(ctx.core, db, &key, false)? else {
        return Ok(());
    };
    if !s.groups.create(&group, id, entries_read) {
        return Err(CmdError::msg(
            "BUSYGROUP Consumer Group name already exists",
        ));
    }
    ctx.out().ok();
    if created {
        // A new key is a modification Redis signals (WATCH, tracking).
        ctx.dirty(1);
    } else {
        quiet_write(ctx, 1);
    }
    ctx.notify(EV_STREAM, "xgroup-create", 2);
    Ok(())
}

/// XGROUP SETID key group id|$ [ENTRIESREAD n]
fn xgroup_setid(ctx: &mut Ctx) -> CmdResult {
    let entries_read = xgroup_prologue(ctx, true)?;
    if ctx.argc() != 5 && ctx.argc() != 7 {
        return Err(ctx.subcommand_syntax());
    }
    let db = ctx.client.db;
    let key = ctx.arg(2).to_vec();
    let id_arg = ctx.arg(4).to_vec();
    let group = ctx.arg(3).to_vec();
    let Some(s) = write_typed::<Stream>(ctx.core, db, &key, false)? else {
        return Ok(());
    };
    let id = if id_arg == b"$" {
        s.last_id
    } else {
        parse_range_id(&id_arg, 0)?
    };
    if let Some(g) = s.groups.get_mut(&group) {
        g.last_id = id;
        g.entries_read = entries_read;
    }
    ctx.out().ok();
    quiet_write(ctx, 1);
    ctx.notify(EV_STREAM, "xgroup-setid", 2);
    Ok(())
}

/// XGROUP DESTROY key group
fn xgroup_destroy(ctx: &mut Ctx) -> CmdResult {
    xgroup_prologue(ctx, false)?;
    let db = ctx.client.db;
    let key = ctx.arg(2).to_vec();
    let group = ctx.arg(3).to_vec();
    let destroyed = match write_typed::<Stream>(ctx.core, db, &key, false)? {
        Some(s) => s.groups.destroy(&group),
        None => false,
    };
    if !destroyed {
        ctx.out().int(0);
        return Ok(());
    }
    ctx.out().int(1);
    quiet_write(ctx, 1);
    ctx.notify(EV_STREAM, "xgroup-destroy", 2);
    // Clients blocked in XREADGROUP on this group get their -NOGROUP now.
    ctx.core.blocking.signal_key(db, &key);
    Ok(())
}

/// XGROUP CREATECONSUMER key group consumer
fn xgroup_createconsumer(ctx: &mut Ctx) -> CmdResult {
    xgroup_prologue(ctx, true)?;
    let db = ctx.client.db;
    let now = ctx.now();
    let key = ctx.arg(2).to_vec();
    let group = ctx.arg(3).to_vec();
    let consumer = ctx.arg(4).to_vec();
    let created = write_typed::<Stream>(ctx.core, db, &key, false)?
        .and_then(|s| s.groups.get_mut(&group))
        .is_some_and(|g| g.create_consumer(&consumer, now));
    ctx.out().int(i64::from(created));
    if created {
        quiet_write(ctx, 1);
        ctx.notify(EV_STREAM, "xgroup-createconsumer", 2);
    }
    Ok(())
}

/// XGROUP DELCONSUMER key group consumer: replies how many entries it had pending.
fn xgroup_delconsumer(ctx: &mut Ctx) -> CmdResult {
    xgroup_prologue(ctx, true)?;
    let db = ctx.client.db;
    let key = ctx.arg(2).to_vec();
    let group = ctx.arg(3).to_vec();
    let consumer = ctx.arg(4).to_vec();
    let pending = write_typed::<Stream>(ctx.core, db, &key, false)?
        .and_then(|s| s.groups.get_mut(&group))
        .and_then(|g| g.delete_consumer(&consumer));
    ctx.out().int(pending.unwrap_or(0) as i64);
    if pending.is_some() {
        quiet_write(ctx, 1);
        ctx.notify(EV_STREAM, "xgroup-delconsumer", 2);
    }
    Ok(())
}

fn xgroup_container(ctx: &mut Ctx) -> CmdResult {
    Err(ctx.subcommand_syntax())
}

// ---------------------------------------------------------------------------
// XREADGROUP
// ---------------------------------------------------------------------------

/// The `>` id: deliver entries never delivered to the group.
const NEW_ENTRIES: StreamId = StreamId::MAX;

/// XREADGROUP GROUP group consumer [COUNT n] [BLOCK ms] [NOACK] STREAMS key... id...
fn xreadgroup(ctx: &mut Ctx) -> CmdResult {
    let mut timeout: Option<Option<i64>> = None; // Some(None) = block forever
    let mut count = 0usize;
    let mut noack = false;
    let mut group_consumer: Option<(Vec<u8>, Vec<u8>)> = None;
    let mut streams_at = 0;
    let argc = ctx.argc();
    let mut i = 1;
    while i < argc {
        let more = argc - i - 1;
        if ctx.is(i, "block") && more > 0 {
            i += 1;
            let ms = num::parse_i64(ctx.arg(i))
                .ok_or_else(|| CmdError::msg("ERR timeout is not an integer or out of range"))?;
            if ms < 0 {
                return Err(CmdError::msg("ERR timeout is negative"));
            }
            timeout = Some((ms > 0).then_some(ms));
        } else if ctx.is(i, "count") && more > 0 {
            i += 1;
            count = ctx.parse_i64(i)?.max(0) as usize;
        } else if ctx.is(i, "streams") && more > 0 {
            streams_at = i + 1;
            if !(argc - streams_at).is_multiple_of(2) {
                return Err(CmdError::msg(
                    "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' \
                     must be specified.",
                ));
            }
            break;
        } else if ctx.is(i, "group") && more >= 2 {
            group_consumer = Some((ctx.arg(i + 1).to_vec(), ctx.arg(i + 2).to_vec()));
            i += 2;
        } else if ctx.is(i, "noack") {
            noack = true;
        } else {
            return Err(CmdError::Syntax);
        }
        i += 1;
    }
    if streams_at == 0 {
        return Err(CmdError::Syntax);
    }
    let Some((group, consumer)) = group_consumer else {
        return Err(CmdError::msg("ERR Missing GROUP option for XREADGROUP"));
    };
    let nkeys = (argc - streams_at) / 2;
    let db = ctx.client.db;
    if ctx.core.blocking.retrying {
        if let Some((d, key)) = ctx.core.blocking.serving.clone() {
            if d == db {
                return serve_blocked(ctx, &key, &group, &consumer, count, noack);
            }
        }
    }

    // Resolve every key, group and id first: any error means nothing is served.
    let mut ids = Vec::with_capacity(nkeys);
    for k in 0..nkeys {
        let key = ctx.arg(streams_at + k).to_vec();
        let found = read_typed::<Stream>(ctx.core, db, &key)?
            .is_some_and(|s| s.groups.get(&group).is_some());
        if !found {
            return Err(CmdError::msg(format!(
                "NOGROUP No such key '{}' or consumer group '{}' in XREADGROUP with GROUP option",
                text(&key),
                text(&group)
            )));
        }
        let arg = ctx.arg(streams_at + nkeys + k);
        let id =
            match arg {
                b"$" => return Err(CmdError::msg(
                    "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read \
                     the history of this consumer by specifying a proper ID, or use the > ID to \
                     get new messages. The $ ID would just return an empty result set.",
                )),
                b">" => NEW_ENTRIES,
                _ => parse_strict_id(arg)?,
            };
        ids.push(id);
    }

    // Serve what can be served now.
    let now = ctx.now();
    let mut served: Vec<(Vec<u8>, Vec<Delivered>)> = Vec::new();
    let mut writes = 0u64;
    // XREADGROUP is propagated as what it did to the group (see serve_new).
    let propagating = ctx.propagating();
    let mut ops: Vec<Op> = Vec::new();
    for (k, &gt) in ids.iter().enumerate() {
        let key = ctx.arg(streams_at + k).to_vec();
        let Ok(Some(s)) = read_typed_mut::<Stream>(ctx.core, db, &key) else {
            continue;
        };
        let history = gt != NEW_ENTRIES;
        let Some(g) = s.groups.get(&group) else {
            continue;
        };
        let group_last = g.last_id;
        let serve = history || s.last_live_id().is_some_and(|max| max > group_last);
        if !serve {
            continue;
        }
        // The consumer is created (or seen) when something is served to it.
        let created = s
            .groups
            .get_mut(&group)
            .is_some_and(|g| g.touch_consumer(&consumer, now));
        if created {
            writes += 1;
            ctx.notify_key(EV_STREAM, "xgroup-createconsumer", &key);
            // (Redis records it with NOACK only, history reads included.)
            if noack && propagating {
                ops.push(createconsumer_op(&key, &group, &consumer));
            }
        }
        let Ok(Some(s)) = write_typed::<Stream>(ctx.core, db, &key, false) else {
            continue;
        };
        let mut out = Vec::new();
        if history {
            let start = gt.incr().unwrap_or(StreamId::MAX);
            let Some(g) = s.groups.get(&group) else {
                continue;
            };
            let pending: Vec<StreamId> = g
                .consumers
                .get(&consumer[..])
                .map(|c| {
                    c.pel
                        .range(start..)
                        .take(if count == 0 { usize::MAX } else { count })
                        .copied()
                        .collect()
                })
                .unwrap_or_default();
            for id in pending {
                let fields = s.get(id);
                if fields.is_some() {
                    if let Some(g) = s.groups.get_mut(&group) {
                        g.redeliver(id, now);
                    }
                }
                out.push((id, fields));
            }
        } else {
            let start = group_last.incr().unwrap_or(StreamId::MAX);
            let entries = collect(s, start, StreamId::MAX, count, false);
            let m = meta(s);
            if let Some(g) = s.groups.get_mut(&group) {
                serve_new(
                    g, &m, &entries, &key, &group, &consumer, noack, now, &mut ops,
                );
            }
            out.extend(entries.into_iter().map(|(id, f)| (id, Some(f))));
        }
        // Redis counts one write per stream served, history reads included.
        writes += 1;
        served.push((key, out));
    }
    quiet_write(ctx, writes);
    if propagating {
        propagate_ops(ctx, &ops);
    }

    if !served.is_empty() {
        let out = ctx.out();
        if out.is_resp3() {
            out.map(served.len());
        } else {
            out.array(served.len());
        }
        for (key, entries) in &served {
            if !out.is_resp3() {
                out.array(2);
            }
            out.bulk(key);
            out.array(entries.len());
            for (id, fields) in entries {
                reply_entry(out, *id, fields.as_deref());
            }
        }
        return Ok(());
    }
    match timeout {
        Some(t) if !blocking::must_not_block(ctx) => {
            let keys = blocking::keys_at(ctx, streams_at..streams_at + nkeys);
            blocking::block(ctx, keys, t, blocking::OnTimeout::NullArray);
        }
        _ => ctx.out().null_array(),
    }
    Ok(())
}

/// Delivers new `entries` to `consumer` (advancing the group past them), and
/// records what a replay needs, as Redis does: one XCLAIM per entry, or with
/// NOACK (nothing pending) the group's new position.
#[allow(clippy::too_many_arguments)]
fn serve_new(
    g: &mut CGroup,
    m: &StreamMeta,
    entries: &[Entry],
    key: &[u8],
    group: &[u8],
    consumer: &[u8],
    noack: bool,
    now: i64,
    ops: &mut Vec<Op>,
) {
    let before = g.last_id;
    for (id, _) in entries {
        g.advance(m, *id);
        if !noack {
            g.deliver(*id, consumer, now);
            ops.extend(xclaim_op(key, group, g, *id, &id_bytes(*id)));
        }
    }
    if noack && g.last_id != before {
        ops.push(setid_op(key, group, g));
    }
}

/// Entries a woken XREADGROUP sends when it was blocked without COUNT (Redis's
/// XREAD_BLOCKED_DEFAULT_COUNT).
const BLOCKED_DEFAULT_COUNT: usize = 1000;

/// A blocked XREADGROUP woken by a write to `key`: as Redis 7.0 serves it, for that
/// key only, when the stream's last id passed the group's; with an error when the
/// stream was deleted or replaced, or the group destroyed.
fn serve_blocked(
    ctx: &mut Ctx,
    key: &[u8],
    group: &[u8],
    consumer: &[u8],
    count: usize,
    noack: bool,
) -> CmdResult {
    let db = ctx.client.db;
    let now = ctx.now();
    // These errors end the wait (an Err would keep the client blocked).
    let unblock_with = |ctx: &mut Ctx, msg: &str| {
        super::count_error(ctx.core, msg);
        ctx.out().error(msg);
        Ok(())
    };
    let s = match write_typed::<Stream>(ctx.core, db, key, false) {
        Ok(Some(s)) => s,
        _ => return unblock_with(ctx, "UNBLOCKED the stream key no longer exists"),
    };
    let Some(g) = s.groups.get(group) else {
        return unblock_with(
            ctx,
            "NOGROUP the consumer group this client was blocked on no longer exists",
        );
    };
    let gt = g.last_id;
    if s.last_id <= gt {
        let keys = vec![(db, key.to_vec())];
        blocking::block(ctx, keys, None, blocking::OnTimeout::NullArray);
        return Ok(());
    }
    let count = if count == 0 {
        BLOCKED_DEFAULT_COUNT
    } else {
        count
    };
    let entries = collect(
        s,
        gt.incr().unwrap_or(StreamId::MAX),
        StreamId::MAX,
        count,
        false,
    );
    let m = meta(s);
    let mut created = false;
    let mut ops: Vec<Op> = Vec::new();
    if let Some(g) = s.groups.get_mut(group) {
        created = g.touch_consumer(consumer, now);
        if created && noack {
            ops.push(createconsumer_op(key, group, consumer));
        }
        serve_new(g, &m, &entries, key, group, consumer, noack, now, &mut ops);
    }
    // Serving a woken client is not counted as a write by Redis; a new consumer is.
    quiet_write(ctx, u64::from(created));
    if ctx.propagating() {
        propagate_ops(ctx, &ops);
    }
    if created {
        ctx.notify_key(EV_STREAM, "xgroup-createconsumer", key);
    }
    let out = ctx.out();
    if out.is_resp3() {
        out.map(1);
    } else {
        out.array(1);
        out.array(2);
    }
    out.bulk(key);
    reply_entries(out, &entries);
    Ok(())
}

// ---------------------------------------------------------------------------
// XACK, XPENDING
// ---------------------------------------------------------------------------

/// XACK key group id [id ...]
fn xack(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.client.db;
    let key = ctx.arg(1).to_vec();
    let group = ctx.arg(2).to_vec();
    let has_group =
        read_typed::<Stream>(ctx.core, db, &key)?.is_some_and(|s| s.groups.get(&group).is_some());
    if !has_group {
        ctx.out().int(0);
        return Ok(());
    }
    // All ids are parsed before any is acknowledged: all or nothing.
    let ids = (3..ctx.argc())
        .map(|i| parse_strict_id(ctx.arg(i)))
        .collect::<Result<Vec<_>, _>>()?;
    let mut acked = 0;
    if let Some(g) =
        write_typed::<Stream>(ctx.core, db, &key, false)?.and_then(|s| s.groups.get_mut(&group))
    {
        acked = ids.into_iter().filter(|&id| g.ack(id)).count();
    }
    quiet_write(ctx, acked as u64);
    ctx.out().int(acked as i64);
    Ok(())
}

/// XPENDING key group [[IDLE min-idle] start end count [consumer]]
fn xpending(ctx: &mut Ctx) -> CmdResult {
    let argc = ctx.argc();
    if argc != 3 && !(6..=9).contains(&argc) {
        return Err(CmdError::Syntax);
    }
    let mut range = None;
    let mut min_idle = 0;
    if argc >= 6 {
        let mut at = 3;
        if ctx.is(3, "idle") {
            min_idle = ctx.parse_i64(4)?;
            if argc < 8 {
                return Err(CmdError::Syntax);
            }
            at += 2;
        }
        let count = ctx.parse_i64(at + 2)?.max(0) as usize;
        let (mut start, ex) = parse_interval_id(ctx.arg(at), 0)?;
        if ex {
            start = start
                .incr()
                .ok_or_else(|| CmdError::msg("ERR invalid start ID for the interval"))?;
        }
        let (mut end, ex) = parse_interval_id(ctx.arg(at + 1), u64::MAX)?;
        if ex {
            end = end
                .decr()
                .ok_or_else(|| CmdError::msg("ERR invalid end ID for the interval"))?;
        }
        let consumer = (at + 3 < argc).then(|| ctx.arg(at + 3).to_vec());
        range = Some((start, end, count, consumer));
    }
    let db = ctx.client.db;
    let now = ctx.now();
    let key = ctx.arg(1).to_vec();
    let group = ctx.arg(2).to_vec();
    let s = read_typed::<Stream>(ctx.core, db, &key)?;
    let Some(g) = s.and_then(|s| s.groups.get(&group)) else {
        return Err(no_group(&key, &group));
    };
    let Some((start, end, count, consumer)) = range else {
        // The summary: how many, the smallest and largest ids, and per consumer.
        let first = g.pel.keys().next().copied();
        let last = g.pel.keys().next_back().copied();
        let owners: Vec<(Vec<u8>, usize)> = g
            .consumers
            .iter()
            .filter(|(_, c)| !c.pel.is_empty())
            .map(|(n, c)| (n.to_vec(), c.pel.len()))
            .collect();
        let total = g.pel.len();
        let out = &mut ctx.client.out;
        out.array(4);
        out.int(total as i64);
        match (first, last) {
            (Some(a), Some(b)) => {
                reply_id(out, a);
                reply_id(out, b);
                out.array(owners.len());
                for (name, n) in owners {
                    out.array(2);
                    out.bulk(&name);
                    out.bulk_int(n as i64);
                }
            }
            _ => {
                out.null();
                out.null();
                out.null_array();
            }
        }
        return Ok(());
    };
    let mut rows: Vec<(StreamId, Vec<u8>, i64, u64)> = Vec::new();
    let ids: Box<dyn Iterator<Item = StreamId>> = match &consumer {
        Some(name) => match g.consumers.get(&name[..]) {
            Some(c) => Box::new(c.pel.range(start..).copied()),
            None => Box::new(std::iter::empty()),
        },
        None => Box::new(g.pel.range(start..).map(|(id, _)| *id)),
    };
    if count > 0 {
        for id in ids {
            if id > end {
                break;
            }
            let Some(nack) = g.pel.get(&id) else {
                continue;
            };
            let idle = now.saturating_sub(nack.delivery_time);
            if min_idle != 0 && idle < min_idle {
                continue;
            }
            rows.push((id, nack.consumer.to_vec(), idle.max(0), nack.delivery_count));
            if rows.len() == count {
                break;
            }
        }
    }
    let out = &mut ctx.client.out;
    out.array(rows.len());
    for (id, name, idle, deliveries) in rows {
        out.array(4);
        reply_id(out, id);
        out.bulk(&name);
        out.int(idle);
        out.int(deliveries as i64);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// XCLAIM, XAUTOCLAIM
// ---------------------------------------------------------------------------

/// XCLAIM key group consumer min-idle-time id [id ...] [IDLE ms] [TIME ms]
/// [RETRYCOUNT n] [FORCE] [JUSTID] [LASTID id]
fn xclaim(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.client.db;
    let key = ctx.arg(1).to_vec();
    let group = ctx.arg(2).to_vec();
    let consumer = ctx.arg(3).to_vec();
    let has_group =
        read_typed::<Stream>(ctx.core, db, &key)?.is_some_and(|s| s.groups.get(&group).is_some());
    if !has_group {
        return Err(no_group(&key, &group));
    }
    let min_idle = num::parse_i64(ctx.arg(4))
        .ok_or_else(|| CmdError::msg("ERR Invalid min-idle-time argument for XCLAIM"))?
        .max(0);
    // Ids run until the first argument that is not one: the options follow.
    let mut ids = Vec::new();
    let mut j = 5;
    while j < ctx.argc() {
        match parse_strict_id(ctx.arg(j)) {
            Ok(id) => ids.push((id, j)),
            Err(_) => break,
        }
        j += 1;
    }
    let now = ctx.now();
    let mut delivery: Option<i64> = None;
    let mut retry: Option<i64> = None;
    let (mut force, mut justid) = (false, false);
    let mut last_id = StreamId::MIN;
    while j < ctx.argc() {
        let more = ctx.argc() - 1 - j;
        let int_opt = |ctx: &Ctx, i: usize, name: &str| {
            num::parse_i64(ctx.arg(i)).ok_or_else(|| {
                CmdError::msg(format!("ERR Invalid {name} option argument for XCLAIM"))
            })
        };
        if ctx.is(j, "force") {
            force = true;
        } else if ctx.is(j, "justid") {
            justid = true;
        } else if ctx.is(j, "idle") && more > 0 {
            j += 1;
            delivery = Some(now.wrapping_sub(int_opt(ctx, j, "IDLE")?));
        } else if ctx.is(j, "time") && more > 0 {
            j += 1;
            delivery = Some(int_opt(ctx, j, "TIME")?);
        } else if ctx.is(j, "retrycount") && more > 0 {
            j += 1;
            retry = Some(int_opt(ctx, j, "RETRYCOUNT")?);
        } else if ctx.is(j, "lastid") && more > 0 {
            j += 1;
            last_id = parse_strict_id(ctx.arg(j))?;
        } else {
            return Err(CmdError::msg(format!(
                "ERR Unrecognized XCLAIM option '{}'",
                text(ctx.arg(j))
            )));
        }
        j += 1;
    }
    // A delivery time in the future or before the epoch means now.
    let delivery = match delivery {
        Some(t) if (0..=now).contains(&t) => t,
        _ => now,
    };
    let retry = match retry {
        Some(n) if n >= 0 => Retry::Set(n as u64),
        _ if justid => Retry::Keep,
        _ => Retry::Increment,
    };
    let Some(s) = write_typed::<Stream>(ctx.core, db, &key, false)? else {
        return Ok(());
    };
    let mut writes = 0u64;
    let mut last_id_moved = false;
    if let Some(g) = s.groups.get_mut(&group) {
        if last_id > g.last_id {
            g.last_id = last_id;
            last_id_moved = true;
        }
    }
    let mut claimed: Vec<Delivered> = Vec::new();
    let mut consumer_created = false;
    let mut ops: Vec<Op> = Vec::new();
    for (id, id_at) in ids {
        let fields = s.get(id);
        let Some(g) = s.groups.get_mut(&group) else {
            break;
        };
        let Some(fields) = fields else {
            // Deleted from the stream: dropped from the PEL too (recorded as an
            // XCLAIM of the entry, which a replay drops the same way).
            let op = xclaim_op(&key, &group, g, id, &ctx.argv[id_at]);
            if g.ack(id) {
                ops.extend(op);
                writes += 1;
                last_id_moved = false;
            }
            continue;
        };
        match g.pel.get(&id) {
            None if !force => continue,
            Some(nack) if min_idle > 0 && now.saturating_sub(nack.delivery_time) < min_idle => {
                continue
            }
            _ => {}
        }
        // The consumer exists from its first claim on (and is seen now).
        consumer_created |= g.touch_consumer(&consumer, now);
        g.claim(id, &consumer, delivery, retry);
        ops.extend(xclaim_op(&key, &group, g, id, &ctx.argv[id_at]));
        claimed.push((id, (!justid).then_some(fields)));
        writes += 1;
        last_id_moved = false;
    }
    if last_id_moved {
        writes += 1;
        if let Some(g) = s.groups.get(&group) {
            ops.push(setid_op(&key, &group, g));
        }
    }
    propagate_ops(ctx, &ops);
    if consumer_created {
        writes += 1;
    }
    quiet_write(ctx, writes);
    if consumer_created {
        ctx.notify(EV_STREAM, "xgroup-createconsumer", 1);
    }
    let out = ctx.out();
    out.array(claimed.len());
    for (id, fields) in claimed {
        match fields {
            Some(f) => reply_entry(out, id, Some(&f)),
            None => reply_id(out, id),
        }
    }
    Ok(())
}

/// XAUTOCLAIM key group consumer min-idle-time start [COUNT n] [JUSTID]
fn xautoclaim(ctx: &mut Ctx) -> CmdResult {
    let min_idle = num::parse_i64(ctx.arg(4))
        .ok_or_else(|| CmdError::msg("ERR Invalid min-idle-time argument for XAUTOCLAIM"))?
        .max(0);
    let (mut start, ex) = parse_interval_id(ctx.arg(5), 0)?;
    if ex {
        start = start
            .incr()
            .ok_or_else(|| CmdError::msg("ERR invalid start ID for the interval"))?;
    }
    // Redis bounds COUNT so that its scan budget (COUNT * 10 ids) fits a long.
    const MAX_COUNT: i64 = i64::MAX / 16;
    let mut count = 100usize;
    let mut justid = false;
    let mut j = 6;
    while j < ctx.argc() {
        let more = ctx.argc() - 1 - j;
        if ctx.is(j, "count") && more > 0 {
            count = match num::parse_i64(ctx.arg(j + 1)) {
                Some(n) if (1..=MAX_COUNT).contains(&n) => n as usize,
                _ => return Err(CmdError::msg("ERR COUNT must be > 0")),
            };
            j += 1;
        } else if ctx.is(j, "justid") {
            justid = true;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    let db = ctx.client.db;
    let key = ctx.arg(1).to_vec();
    let group = ctx.arg(2).to_vec();
    let consumer = ctx.arg(3).to_vec();
    let now = ctx.now();
    let Some(s) = read_typed_mut::<Stream>(ctx.core, db, &key)? else {
        return Err(no_group(&key, &group));
    };
    if s.groups.get(&group).is_none() {
        return Err(no_group(&key, &group));
    }
    // Redis allocates 16 bytes per COUNT up front for the deleted ids, and fails
    // when that cannot be had; past the 128 TiB of a process's address space it
    // never can.
    if count > (1usize << 47) / 16 {
        return Err(CmdError::msg(
            "ERR Insufficient memory, failed allocating transient memory, COUNT too high.",
        ));
    }
    // Look at no more than COUNT * 10 pending entries.
    let mut attempts = count.saturating_mul(10);
    let mut left = count;
    let mut claimed: Vec<Delivered> = Vec::new();
    let mut deleted = Vec::new();
    let mut writes = 0u64;
    let mut consumer_created = false;
    let mut cursor = start;
    let mut next = None;
    let mut ops: Vec<Op> = Vec::new();
    loop {
        let candidate = s.groups.get(&group).and_then(|g| {
            g.pending_from(cursor)
                .next()
                .map(|(id, n)| (id, n.delivery_time))
        });
        let Some((id, delivered)) = candidate else {
            break;
        };
        if attempts == 0 || left == 0 {
            next = Some(id);
            break;
        }
        attempts -= 1;
        cursor = id.incr().unwrap_or(StreamId::MAX);
        let fields = s.get(id);
        let Some(g) = s.groups.get_mut(&group) else {
            break;
        };
        let Some(fields) = fields else {
            // Deleted from the stream: dropped from the PEL, and reported.
            ops.extend(xclaim_op(&key, &group, g, id, &id_bytes(id)));
            g.ack(id);
            deleted.push(id);
            writes += 1;
            left -= 1;
            if id == StreamId::MAX {
                break;
            }
            continue;
        };
        if min_idle > 0 && now.saturating_sub(delivered) < min_idle {
            if id == StreamId::MAX {
                break;
            }
            continue;
        }
        consumer_created |= g.touch_consumer(&consumer, now);
        g.claim(
            id,
            &consumer,
            now,
            if justid {
                Retry::Keep
            } else {
                Retry::Increment
            },
        );
        ops.extend(xclaim_op(&key, &group, g, id, &id_bytes(id)));
        claimed.push((id, (!justid).then_some(fields)));
        writes += 1;
        left -= 1;
        if id == StreamId::MAX {
            break;
        }
    }
    if consumer_created {
        writes += 1;
    }
    quiet_write(ctx, writes);
    propagate_ops(ctx, &ops);
    if consumer_created {
        ctx.notify(EV_STREAM, "xgroup-createconsumer", 1);
    }
    let out = ctx.out();
    out.array(3);
    reply_id(out, next.unwrap_or(StreamId::MIN));
    out.array(claimed.len());
    for (id, fields) in claimed {
        match fields {
            Some(f) => reply_entry(out, id, Some(&f)),
            None => reply_id(out, id),
        }
    }
    out.array(deleted.len());
    for id in deleted {
        reply_id(out, id);
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// XINFO
// ---------------------------------------------------------------------------

const XINFO_HELP: &[&str] = &[
    "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CONSUMERS <key> <groupname>",
    "    Show consumers of <groupname>.",
    "GROUPS <key>",
    "    Show the stream consumer groups.",
    "STREAM <key> [FULL [COUNT <count>]",
    "    Show information about the stream.",
    "HELP",
    "    Prints this help.",
];

fn xinfo_help(ctx: &mut Ctx) -> CmdResult {
    reply_help(ctx, XINFO_HELP);
    Ok(())
}

fn xinfo_container(ctx: &mut Ctx) -> CmdResult {
    Err(ctx.subcommand_syntax())
}

/// The stream at argument 2 for XINFO: "no such key" if missing.
fn xinfo_stream_arg<'a>(ctx: &'a mut Ctx) -> Result<&'a Stream, CmdError> {
    let db = ctx.client.db;
    let key = ctx.arg(2).to_vec();
    read_typed::<Stream>(ctx.core, db, &key)?.ok_or(CmdError::NoSuchKey)
}

fn reply_lag(out: &mut ReplyBuf, lag: Option<i64>) {
    match lag {
        Some(n) => out.int(n),
        None => out.null(),
    }
}

fn reply_entries_read(out: &mut ReplyBuf, n: i64) {
    if n == INVALID_ENTRIES_READ {
        out.null();
    } else {
        out.int(n);
    }
}

/// XINFO CONSUMERS key group
fn xinfo_consumers(ctx: &mut Ctx) -> CmdResult {
    let now = ctx.now();
    let group = ctx.arg(3).to_vec();
    let key = ctx.arg(2).to_vec();
    let s = xinfo_stream_arg(ctx)?;
    let Some(g) = s.groups.get(&group) else {
        return Err(CmdError::msg(format!(
            "NOGROUP No such consumer group '{}' for key name '{}'",
            text(&group),
            text(&key)
        )));
    };
    let rows: Vec<(Vec<u8>, usize, i64)> = g
        .consumers
        .iter()
        .map(|(n, c)| {
            (
                n.to_vec(),
                c.pel.len(),
                now.saturating_sub(c.seen_time).max(0),
            )
        })
        .collect();
    let out = ctx.out();
    out.array(rows.len());
    for (name, pending, idle) in rows {
        out.map(3);
        out.bulk(b"name");
        out.bulk(&name);
        out.bulk(b"pending");
        out.int(pending as i64);
        out.bulk(b"idle");
        out.int(idle);
    }
    Ok(())
}

/// XINFO GROUPS key
fn xinfo_groups(ctx: &mut Ctx) -> CmdResult {
    let s = xinfo_stream_arg(ctx)?;
    let m = meta(s);
    let rows: Vec<_> = s
        .groups
        .iter()
        .map(|(name, g)| {
            (
                name.to_vec(),
                g.consumers.len(),
                g.pel.len(),
                g.last_id,
                g.entries_read,
                g.lag(&m),
            )
        })
        .collect();
    let out = ctx.out();
    out.array(rows.len());
    for (name, consumers, pending, last, read, lag) in rows {
        out.map(6);
        out.bulk(b"name");
        out.bulk(&name);
        out.bulk(b"consumers");
        out.int(consumers as i64);
        out.bulk(b"pending");
        out.int(pending as i64);
        out.bulk(b"last-delivered-id");
        reply_id(out, last);
        out.bulk(b"entries-read");
        reply_entries_read(out, read);
        out.bulk(b"lag");
        reply_lag(out, lag);
    }
    Ok(())
}

/// XINFO STREAM key [FULL [COUNT n]]
fn xinfo_stream(ctx: &mut Ctx) -> CmdResult {
    let db = ctx.client.db;
    let key = ctx.arg(2).to_vec();
    // The key first, then the options, as Redis.
    read_typed::<Stream>(ctx.core, db, &key)?.ok_or(CmdError::NoSuchKey)?;
    let argc = ctx.argc();
    let mut full = None;
    if argc > 3 {
        if (argc != 4 && argc != 6) || !ctx.is(3, "full") {
            return Err(ctx.subcommand_syntax());
        }
        let mut count = 10;
        if argc == 6 {
            if !ctx.is(4, "count") {
                return Err(ctx.subcommand_syntax());
            }
            count = ctx.parse_i64(5)?;
            if count < 0 {
                count = 10;
            }
        }
        full = Some(count as usize);
    }
    // The stream and the client's output are separate borrows of the context.
    let now = ctx.core.now_ms;
    let s = match ctx.core.dbs[db].get(&key, now).map(|e| &e.value) {
        Some(Value::Stream(s)) => s,
        _ => return Err(CmdError::NoSuchKey),
    };
    write_stream_info(&mut ctx.client.out, s, full);
    Ok(())
}

fn write_stream_info(out: &mut ReplyBuf, s: &Stream, full: Option<usize>) {
    let m = meta(s);
    out.map(if full.is_some() { 9 } else { 10 });
    out.bulk(b"length");
    out.int(s.length as i64);
    out.bulk(b"radix-tree-keys");
    out.int(s.node_count() as i64);
    out.bulk(b"radix-tree-nodes");
    out.int(rax_nodes(s) as i64);
    out.bulk(b"last-generated-id");
    reply_id(out, s.last_id);
    out.bulk(b"max-deleted-entry-id");
    reply_id(out, s.max_deleted_id);
    out.bulk(b"entries-added");
    out.int(s.entries_added as i64);
    out.bulk(b"recorded-first-entry-id");
    reply_id(out, s.first_id);
    let Some(count) = full else {
        out.bulk(b"groups");
        out.int(s.groups.len() as i64);
        for (name, rev) in [(&b"first-entry"[..], false), (b"last-entry", true)] {
            out.bulk(name);
            match collect(s, StreamId::MIN, StreamId::MAX, 1, rev).first() {
                Some((id, fields)) => reply_entry(out, *id, Some(fields)),
                None => out.null(),
            }
        }
        return;
    };
    out.bulk(b"entries");
    reply_entries(out, &collect(s, StreamId::MIN, StreamId::MAX, count, false));
    out.bulk(b"groups");
    out.array(s.groups.len());
    let limit = if count == 0 { usize::MAX } else { count };
    for (name, g) in s.groups.iter() {
        out.map(7);
        out.bulk(b"name");
        out.bulk(name);
        out.bulk(b"last-delivered-id");
        reply_id(out, g.last_id);
        out.bulk(b"entries-read");
        reply_entries_read(out, g.entries_read);
        out.bulk(b"lag");
        reply_lag(out, g.lag(&m));
        out.bulk(b"pel-count");
        out.int(g.pel.len() as i64);
        out.bulk(b"pending");
        let shown = g.pel.len().min(limit);
        out.array(shown);
        for (id, nack) in g.pel.iter().take(shown) {
            out.array(4);
            reply_id(out, *id);
            out.bulk(&nack.consumer);
            out.int(nack.delivery_time);
            out.int(nack.delivery_count as i64);
        }
        out.bulk(b"consumers");
        out.array(g.consumers.len());
        for (cname, c) in &g.consumers {
            out.map(4);
            out.bulk(b"name");
            out.bulk(cname);
            out.bulk(b"seen-time");
            out.int(c.seen_time);
            out.bulk(b"pel-count");
            out.int(c.pel.len() as i64);
            out.bulk(b"pending");
            let shown = c.pel.len().min(limit);
            out.array(shown);
            for id in c.pel.iter().take(shown) {
                let (time, deliveries) = g
                    .pel
                    .get(id)
                    .map_or((0, 0), |n| (n.delivery_time, n.delivery_count));
                out.array(3);
                reply_id(out, *id);
                out.int(time);
                out.int(deliveries as i64);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// The command table
// ---------------------------------------------------------------------------

const ST: u32 = acl::STREAM;

const XGROUP_SUBCOMMANDS: &[Command] = &[
    Command::new("createconsumer", 5, xgroup_createconsumer)
        .flags(WRITE | DENYOOM)
        .acl(ST)
        .keys(2, 2, 1, "RW insert")
        .doc(
            "stream",
            "6.2.0",
            "Create a consumer in a consumer group.",
            "O(1)",
        ),
    Command::new("create", -5, xgroup_create)
        .flags(WRITE | DENYOOM)
        .acl(ST)
        .keys(2, 2, 1, "RW insert")
        .doc("stream", "5.0.0", "Create a consumer group.", "O(1)"),
    Command::new("destroy", 4, xgroup_destroy)
        .flags(WRITE)
        .acl(ST)
        .keys(2, 2, 1, "RW delete")
        .doc(
            "stream",
            "5.0.0",
            "Destroy a consumer group.",
            "O(N) where N is the number of entries in the group's pending entries list (PEL).",
        ),
    Command::new("delconsumer", 5, xgroup_delconsumer)
        .flags(WRITE)
        .acl(ST)
        .keys(2, 2, 1, "RW delete")
        .doc(
            "stream",
            "5.0.0",
            "Delete a consumer from a consumer group.",
            "O(1)",
        ),
    Command::new("help", 2, xgroup_help)
        .flags(LOADING | STALE)
        .acl(ST)
        .doc(
            "stream",
            "5.0.0",
            "Show helpful text about the different subcommands",
            "O(1)",
        ),
    Command::new("setid", -5, xgroup_setid)
        .flags(WRITE)
        .acl(ST)
        .keys(2, 2, 1, "RW update")
        .doc(
            "stream",
            "5.0.0",
            "Set a consumer group to an arbitrary last delivered ID value.",
            "O(1)",
        ),
];

const XINFO_SUBCOMMANDS: &[Command] = &[
    Command::new("stream", -3, xinfo_stream)
        .flags(READONLY)
        .acl(ST)
        .keys(2, 2, 1, "RO access")
        .doc("stream", "5.0.0", "Get information about a stream", "O(1)"),
    Command::new("help", 2, xinfo_help)
        .flags(LOADING | STALE)
        .acl(ST)
        .doc(
            "stream",
            "5.0.0",
            "Show helpful text about the different subcommands",
            "O(1)",
        ),
    Command::new("groups", 3, xinfo_groups)
        .flags(READONLY)
        .acl(ST)
        .keys(2, 2, 1, "RO access")
        .doc(
            "stream",
            "5.0.0",
            "List the consumer groups of a stream",
            "O(1)",
        ),
    Command::new("consumers", 4, xinfo_consumers)
        .flags(READONLY)
        .acl(ST)
        .keys(2, 2, 1, "RO access")
        .tips(&["nondeterministic_output"])
        .doc(
            "stream",
            "5.0.0",
            "List the consumers in a consumer group",
            "O(1)",
        ),
];

pub const COMMANDS: &[Command] = &[
    Command::new("xgroup", -2, xgroup_container)
        .subcommands(XGROUP_SUBCOMMANDS)
        .doc(
            "stream",
            "5.0.0",
            "A container for consumer groups commands",
            "Depends on subcommand.",
        ),
    Command::new("xreadgroup", -7, xreadgroup)
        .flags(WRITE | BLOCKING | MOVABLE_KEYS)
        .acl(ST)
        .key_specs(&[KeySpec::keyword("STREAMS", 4, -1, 1, "RO access").limit(2)])
        .doc(
            "stream",
            "5.0.0",
            "Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.",
            "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.",
        ),
    Command::new("xack", -4, xack)
        .flags(WRITE | FAST)
        .acl(ST)
        .keys(1, 1, 1, "RW update")
        .doc(
            "stream",
            "5.0.0",
            "Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.",
            "O(1) for each message ID processed.",
        ),
    Command::new("xpending", -3, xpending)
        .flags(READONLY)
        .acl(ST)
        .keys(1, 1, 1, "RO access")
        .tips(&["nondeterministic_output"])
        .doc(
            "stream",
            "5.0.0",
            "Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.",
            "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.",
        ),
    Command::new("xclaim", -6, xclaim)
        .flags(WRITE | FAST)
        .acl(ST)
        .keys(1, 1, 1, "RW update")
        .tips(&["nondeterministic_output"])
        .doc(
            "stream",
            "5.0.0",
            "Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.",
            "O(log N) with N being the number of messages in the PEL of the consumer group.",
        ),
    Command::new("xautoclaim", -6, xautoclaim)
        .flags(WRITE | FAST)
        .acl(ST)
        .keys(1, 1, 1, "RW delete")
        .tips(&["nondeterministic_output"])
        .doc(
            "stream",
            "6.2.0",
            "Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.",
            "O(1) if COUNT is small.",
        ),
    Command::new("xinfo", -2, xinfo_container)
        .subcommands(XINFO_SUBCOMMANDS)
        .doc(
            "stream",
            "5.0.0",
            "A container for stream introspection commands",
            "Depends on subcommand.",
        ),
];
