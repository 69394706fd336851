//! Hash commands: HSET and friends, working through `types::hash::Hash` only.

use super::notify::{GENERIC, HASH};
use super::read_typed;
use super::{acl, flag::*, Command, Ctx, Part};
use crate::error::{CmdError, CmdResult};
use crate::keyspace::Value;
use crate::types::hash::{Hash, Limits};
use crate::util::glob::string_match;
use crate::util::num;

/// The listpack thresholds as they are now (CONFIG SET may change them at any time).
fn limits(ctx: &Ctx) -> Limits {
    let c = &ctx.core.config;
    Limits {
        max_entries: usize::try_from(c.hash_max_listpack_entries).unwrap_or(usize::MAX),
        max_value: usize::try_from(c.hash_max_listpack_value).unwrap_or(usize::MAX),
    }
}

/// The hash at argument 1 for writing; with `create`, a missing key gets a new
/// empty hash (the caller must then put at least one field in it).
fn hash_mut<'a>(ctx: &'a mut Ctx, create: bool) -> Result<Option<&'a mut Hash>, CmdError> {
    let slot = match ctx.lookup_write(1) {
        Some(slot) => slot,
        None if create => {
            let key = ctx.arg(1).into();
            let clock = ctx.core.lru_clock();
            ctx.db().add(key, Value::Hash(Hash::new()), clock)
        }
        None => return Ok(None),
    };
    match ctx.db().entry_at(slot).map(|e| &mut e.value) {
        Some(Value::Hash(h)) => Ok(Some(h)),
        Some(_) => Err(CmdError::WrongType),
        None => Ok(None),
    }
}

/// HSET key field value [field value ...] / HMSET (same, replies OK).
fn hset_generic(ctx: &mut Ctx, name: &str) -> CmdResult {
    if !ctx.argc().is_multiple_of(2) {
        return Err(CmdError::Arity(name.into()));
    }
    let limits = limits(ctx);
    let args: Vec<Vec<u8>> = (2..ctx.argc()).map(|i| ctx.take_arg(i)).collect();
    let h = hash_mut(ctx, true)?.ok_or(CmdError::WrongType)?;
    let mut added = 0;
    for pair in args.chunks_exact(2) {
        if h.set(&pair[0], &pair[1], limits) {
            added += 1;
        }
    }
    ctx.dirty((args.len() / 2) as u64);
    ctx.notify(HASH, "hset", 1);
    if name == "hset" {
        ctx.out().int(added);
    } else {
        ctx.out().ok();
    }
    Ok(())
}

fn hset(ctx: &mut Ctx) -> CmdResult {
    hset_generic(ctx, "hset")
}

fn hmset(ctx: &mut Ctx) -> CmdResult {
    hset_generic(ctx, "hmset")
}

fn hsetnx(ctx: &mut Ctx) -> CmdResult {
    let limits = limits(ctx);
    let (field, value) = (ctx.take_arg(2), ctx.take_arg(3));
    let h = hash_mut(ctx, true)?.ok_or(CmdError::WrongType)?;
    let set = !h.contains(&field) && h.set(&field, &value, limits);
    if set {
        ctx.dirty(1);
        ctx.notify(HASH, "hset", 1);
    }
    ctx.out().int(set as i64);
    Ok(())
}

fn hdel(ctx: &mut Ctx) -> CmdResult {
    let fields: Vec<Vec<u8>> = (2..ctx.argc()).map(|i| ctx.take_arg(i)).collect();
    let Some(h) = hash_mut(ctx, false)? else {
        ctx.out().int(0);
        return Ok(());
    };
    let mut deleted = 0;
    for f in &fields {
        if h.remove(f) {
            deleted += 1;
        }
    }
    let now_empty = h.is_empty();
    if deleted > 0 {
        ctx.notify(HASH, "hdel", 1);
    }
    if now_empty {
        let key = ctx.take_arg(1);
        ctx.db().remove(&key);
        ctx.notify_key(GENERIC, "del", &key);
    }
    ctx.dirty(deleted as u64);
    ctx.out().int(deleted);
    Ok(())
}

fn hincrby(ctx: &mut Ctx) -> CmdResult {
    let incr = ctx.parse_i64(3)?;
    let limits = limits(ctx);
    let field = ctx.take_arg(2);
    let h = hash_mut(ctx, true)?.ok_or(CmdError::WrongType)?;
    let old = match h.get(&field) {
        Some(v) => {
            num::parse_i64(v).ok_or_else(|| CmdError::msg("ERR hash value is not an integer"))?
        }
        None => 0,
    };
    let new = old
        .checked_add(incr)
        .ok_or_else(|| CmdError::msg("ERR increment or decrement would overflow"))?;
    let mut text = Vec::with_capacity(20);
    num::fmt_i64(new, &mut text);
    h.set(&field, &text, limits);
    ctx.dirty(1);
    ctx.notify(HASH, "hincrby", 1);
    ctx.out().int(new);
    Ok(())
}

fn hincrbyfloat(ctx: &mut Ctx) -> CmdResult {
    // The increment is checked before the key (a bad increment wins over WRONGTYPE).
    num::hincrbyfloat(None, ctx.arg(3)).map_err(|e| CmdError::msg(e.message()))?;
    let limits = limits(ctx);
    let (field, incr) = (ctx.take_arg(2), ctx.take_arg(3));
    let h = hash_mut(ctx, true)?.ok_or(CmdError::WrongType)?;
    let new = num::hincrbyfloat(h.get(&field), &incr).map_err(|e| CmdError::msg(e.message()))?;
    h.set(&field, new.as_bytes(), limits);
    ctx.dirty(1);
    ctx.notify(HASH, "hincrbyfloat", 1);
    ctx.propagate_as(&[
        Part::New(b"HSET"),
        Part::Arg(1),
        Part::Arg(2),
        Part::New(new.as_bytes()),
    ]);
    ctx.out().bulk(new.as_bytes());
    Ok(())
}

fn hget(ctx: &mut Ctx) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    match read_typed::<Hash>(core, client.db, &argv[1])?.and_then(|h| h.get(&argv[2])) {
        Some(v) => client.out.bulk(v),
        None => client.out.null(),
    }
    Ok(())
}

fn hmget(ctx: &mut Ctx) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    let h = read_typed::<Hash>(core, client.db, &argv[1])?;
    client.out.array(argv.len() - 2);
    for f in &argv[2..] {
        match h.and_then(|h| h.get(f)) {
            Some(v) => client.out.bulk(v),
            None => client.out.null(),
        }
    }
    Ok(())
}

fn hexists(ctx: &mut Ctx) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    let found =
        read_typed::<Hash>(core, client.db, &argv[1])?.is_some_and(|h| h.contains(&argv[2]));
    client.out.int(found as i64);
    Ok(())
}

fn hlen(ctx: &mut Ctx) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    let n = read_typed::<Hash>(core, client.db, &argv[1])?.map_or(0, |h| h.len());
    client.out.int(n as i64);
    Ok(())
}

fn hstrlen(ctx: &mut Ctx) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    let n = read_typed::<Hash>(core, client.db, &argv[1])?
        .and_then(|h| h.get(&argv[2]))
        .map_or(0, |v| v.len());
    client.out.int(n as i64);
    Ok(())
}

/// HGETALL (a map in RESP3), HKEYS, HVALS.
fn getall_generic(ctx: &mut Ctx, keys: bool, values: bool) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    let h = read_typed::<Hash>(core, client.db, &argv[1])?;
    let n = h.map_or(0, |h| h.len());
    if keys && values {
        client.out.map(n);
    } else {
        client.out.array(n);
    }
    for (f, v) in h.into_iter().flat_map(|h| h.iter()) {
        if keys {
            client.out.bulk(f);
        }
        if values {
            client.out.bulk(v);
        }
    }
    Ok(())
}

fn hgetall(ctx: &mut Ctx) -> CmdResult {
    getall_generic(ctx, true, true)
}

fn hkeys(ctx: &mut Ctx) -> CmdResult {
    getall_generic(ctx, true, false)
}

fn hvals(ctx: &mut Ctx) -> CmdResult {
    getall_generic(ctx, false, true)
}

/// HRANDFIELD key [count [WITHVALUES]]
fn hrandfield(ctx: &mut Ctx) -> CmdResult {
    // Parse in Redis's order: count, then the WITHVALUES word, then the key.
    let mut count = None;
    let mut with_values = false;
    if ctx.argc() >= 3 {
        let n = ctx.parse_i64(2)?;
        if n == i64::MIN {
            return Err(CmdError::msg(
                "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
            ));
        }
        if ctx.argc() > 4 || (ctx.argc() == 4 && !ctx.is(3, "withvalues")) {
            return Err(CmdError::Syntax);
        }
        if ctx.argc() == 4 {
            with_values = true;
            // Redis refuses counts whose doubled reply length would overflow.
            if !(-(i64::MAX / 2)..=i64::MAX / 2).contains(&n) {
                return Err(CmdError::msg("ERR value is out of range"));
            }
        }
        count = Some(n);
    }
    let Ctx { core, client, argv } = ctx;
    let db = client.db;
    let out = &mut client.out;
    let Some(h) = read_typed::<Hash>(core, db, &argv[1])? else {
        match count {
            Some(_) => out.array(0),
            None => out.null(),
        }
        return Ok(());
    };
    let len = h.len();
    // `h` was found: fetch it again next to the generator (a disjoint borrow of core).
    let now = core.now_ms;
    let rng = &mut core.rng;
    let h = match core.dbs[db]
        .lookup(&argv[1], now)
        .and_then(|s| core.dbs[db].slot(s))
        .map(|s| &s.value.value)
    {
        Some(Value::Hash(h)) => h,
        _ => {
            out.null();
            return Ok(());
        }
    };
    let Some(n) = count else {
        match h.random(rng) {
            Some((f, _)) => out.bulk(f),
            None => out.null(),
        }
        return Ok(());
    };
    let resp3_pairs = with_values && out.is_resp3();
    let per_pick = if with_values && !resp3_pairs { 2 } else { 1 };
    // One pick in the reply: a [field, value] pair in RESP3, flat in RESP2.
    let emit = |out: &mut crate::protocol::ReplyBuf, f: &[u8], v: &[u8]| {
        if resp3_pairs {
            out.array(2);
        }
        out.bulk(f);
        if with_values {
            out.bulk(v);
        }
    };
    if n < 0 {
        // Repetitions allowed: exactly |n| picks, streamed (|n| may be huge).
        let count = n.unsigned_abs();
        out.array((count as usize).saturating_mul(per_pick));
        h.for_each_random(rng, count, |f, v| emit(out, f, v));
        return Ok(());
    }
    let picks = if n as usize >= len {
        h.iter().collect()
    } else {
        h.random_distinct(rng, n as usize)
    };
    out.array(picks.len() * per_pick);
    for (f, v) in picks {
        emit(out, f, v);
    }
    Ok(())
}

/// HSCAN key cursor [MATCH pattern] [COUNT count]
fn hscan(ctx: &mut Ctx) -> CmdResult {
    let cursor = super::keys::parse_cursor(ctx.arg(2))?;
    let Ctx { core, client, argv } = ctx;
    let Some(h) = read_typed::<Hash>(core, client.db, &argv[1])? else {
        client.out.array(2);
        client.out.bulk(b"0");
        client.out.array(0);
        return Ok(());
    };
    let opts = super::keys::parse_scan_options(argv, 3, false)?;
    let (count, pattern) = (opts.count, opts.pattern.as_deref());
    let mut found: Vec<(&[u8], &[u8])> = Vec::new();
    let next = h.scan(cursor, count, |f, v| {
        if pattern.is_none_or(|p| string_match(p, f, false)) {
            found.push((f, v));
        }
    });
    let out = &mut client.out;
    out.array(2);
    out.bulk(next.to_string().as_bytes());
    out.array(found.len() * 2);
    for (f, v) in found {
        out.bulk(f);
        out.bulk(v);
    }
    Ok(())
}

const H: u32 = acl::HASH;
const G: &str = "hash";
const W: u32 = WRITE | DENYOOM | FAST;

#[rustfmt::skip]
pub const COMMANDS: &[Command] = &[
    Command::new("hdel", -3, hdel).flags(WRITE | FAST).acl(H).keys(1, 1, 1, "RW delete")
        .doc(G, "2.0.0", "Delete one or more hash fields", "O(N) where N is the number of fields to be removed."),
    Command::new("hexists", 3, hexists).flags(READONLY | FAST).acl(H).keys(1, 1, 1, "RO")
        .doc(G, "2.0.0", "Determine if a hash field exists", "O(1)"),
    Command::new("hget", 3, hget).flags(READONLY | FAST).acl(H).keys(1, 1, 1, "RO access")
        .doc(G, "2.0.0", "Get the value of a hash field", "O(1)"),
    Command::new("hgetall", 2, hgetall).tips(&["nondeterministic_output_order"]).flags(READONLY).acl(H).keys(1, 1, 1, "RO access")
        .doc(G, "2.0.0", "Get all the fields and values in a hash", "O(N) where N is the size of the hash."),
    Command::new("hincrby", 4, hincrby).flags(W).acl(H).keys(1, 1, 1, "RW access update")
        .doc(G, "2.0.0", "Increment the integer value of a hash field by the given number", "O(1)"),
    Command::new("hincrbyfloat", 4, hincrbyfloat).flags(W).acl(H).keys(1, 1, 1, "RW access update")
        .doc(G, "2.6.0", "Increment the float value of a hash field by the given amount", "O(1)"),
    Command::new("hkeys", 2, hkeys).tips(&["nondeterministic_output_order"]).flags(READONLY).acl(H).keys(1, 1, 1, "RO access")
        .doc(G, "2.0.0", "Get all the fields in a hash", "O(N) where N is the size of the hash."),
    Command::new("hlen", 2, hlen).flags(READONLY | FAST).acl(H).keys(1, 1, 1, "RO")
        .doc(G, "2.0.0", "Get the number of fields in a hash", "O(1)"),
    Command::new("hmget", -3, hmget).flags(READONLY | FAST).acl(H).keys(1, 1, 1, "RO access")
        .doc(G, "2.0.0", "Get the values of all the given hash fields", "O(N) where N is the number of fields being requested."),
    Command::new("hmset", -4, hmset).flags(W).acl(H).keys(1, 1, 1, "RW update")
        .doc(G, "2.0.0", "Set multiple hash fields to multiple values", "O(N) where N is the number of fields being set."),
    Command::new("hrandfield", -2, hrandfield).tips(&["nondeterministic_output"]).flags(READONLY).acl(H).keys(1, 1, 1, "RO access")
        .doc(G, "6.2.0", "Get one or multiple random fields from a hash", "O(N) where N is the number of fields returned"),
    Command::new("hscan", -3, hscan).tips(&["nondeterministic_output"]).flags(READONLY).acl(H).keys(1, 1, 1, "RO access")
        .doc(G, "2.8.0", "Incrementally iterate hash fields and associated values", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.."),
    Command::new("hset", -4, hset).flags(W).acl(H).keys(1, 1, 1, "RW update")
        .doc(G, "2.0.0", "Set the string value of a hash field", "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs."),
    Command::new("hsetnx", 4, hsetnx).flags(W).acl(H).keys(1, 1, 1, "RW insert")
        .doc(G, "2.0.0", "Set the value of a hash field, only if the field does not exist", "O(1)"),
    Command::new("hstrlen", 3, hstrlen).flags(READONLY | FAST).acl(H).keys(1, 1, 1, "RO")
        .doc(G, "3.2.0", "Get the length of the value of a hash field", "O(1)"),
    Command::new("hvals", 2, hvals).tips(&["nondeterministic_output_order"]).flags(READONLY).acl(H).keys(1, 1, 1, "RO access")
        .doc(G, "2.0.0", "Get all the values in a hash", "O(N) where N is the size of the hash."),
];
