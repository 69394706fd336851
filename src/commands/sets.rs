//! Set commands: SADD SREM SMOVE SPOP SRANDMEMBER, membership and cardinality,
//! SMEMBERS/SSCAN, and the algebra SINTER/SUNION/SDIFF (plus STORE and SINTERCARD).

use super::notify::{GENERIC, SET};
use super::read_typed;
use super::{acl, flag::*, keys::parse_cursor, Command, Ctx, KeySpec, Part};
use crate::error::{err, CmdError, CmdResult};
use crate::keyspace::{Value, NO_EXPIRE};
use crate::protocol::ReplyBuf;
use crate::types::set::{Member, Set};
use crate::util::glob::string_match;
use crate::util::num;

fn reply_member(out: &mut ReplyBuf, m: Member) {
    match m {
        Member::Int(n) => out.bulk_int(n),
        Member::Bytes(b) => out.bulk(b),
    }
}

/// The slot of the set at argument `i` for writing: Ok(None) if missing, WRONGTYPE
/// for another type.
fn set_slot(ctx: &mut Ctx, i: usize) -> Result<Option<usize>, CmdError> {
    let Some(slot) = ctx.lookup_write(i) else {
        return Ok(None);
    };
    match ctx.db().entry_at(slot).map(|e| &e.value) {
        Some(Value::Set(_)) => Ok(Some(slot)),
        Some(_) => Err(CmdError::WrongType),
        None => Ok(None),
    }
}

/// The set in `slot` (found by `set_slot`).
fn set_at<'a>(ctx: &'a mut Ctx, slot: usize) -> Option<&'a mut Set> {
    match ctx.core.dbs[ctx.client.db]
        .entry_at(slot)
        .map(|e| &mut e.value)
    {
        Some(Value::Set(s)) => Some(s),
        _ => None,
    }
}

fn sadd(ctx: &mut Ctx) -> CmdResult {
    let max = ctx.core.config.set_max_intset_entries;
    let slot = match set_slot(ctx, 1)? {
        Some(slot) => slot,
        None => {
            let set = Set::new_for(ctx.arg(2));
            let key = ctx.arg(1).to_vec();
            let clock = ctx.core.lru_clock();
            ctx.db().add(key.into(), Value::Set(set), clock)
        }
    };
    let Ctx { core, client, argv } = ctx;
    let mut added = 0;
    if let Some(Value::Set(set)) = core.dbs[client.db].entry_at(slot).map(|e| &mut e.value) {
        for m in argv.iter().skip(2) {
            added += set.add(m, max) as i64;
        }
    }
    ctx.dirty(added as u64);
    if added > 0 {
        ctx.notify(SET, "sadd", 1);
    }
    ctx.out().int(added);
    Ok(())
}

/// Deletes the key in `slot` (argument `key_arg`) if its set became empty (Redis
/// keeps no empty sets), saying "del".
fn delete_if_empty(ctx: &mut Ctx, slot: usize, key_arg: usize) {
    if set_at(ctx, slot).is_some_and(|s| s.is_empty()) {
        ctx.db().remove_slot(slot);
        ctx.notify(GENERIC, "del", key_arg);
    }
}

fn srem(ctx: &mut Ctx) -> CmdResult {
    let Some(slot) = set_slot(ctx, 1)? else {
        ctx.out().int(0);
        return Ok(());
    };
    let Ctx { core, client, argv } = ctx;
    let mut removed = 0;
    if let Some(Value::Set(set)) = core.dbs[client.db].entry_at(slot).map(|e| &mut e.value) {
        for m in argv.iter().skip(2) {
            removed += set.remove(m) as i64;
            if set.is_empty() {
                break;
            }
        }
    }
    if removed > 0 {
        ctx.notify(SET, "srem", 1);
    }
    delete_if_empty(ctx, slot, 1);
    ctx.dirty(removed as u64);
    ctx.out().int(removed);
    Ok(())
}

/// SMOVE source destination member
fn smove(ctx: &mut Ctx) -> CmdResult {
    let src = ctx.lookup_write(1);
    let dst = ctx.lookup_write(2);
    // A missing source answers 0 before any type check, as in Redis.
    let Some(src) = src else {
        ctx.out().int(0);
        return Ok(());
    };
    let is_set = |ctx: &mut Ctx, slot: usize| {
        matches!(
            ctx.db().entry_at(slot).map(|e| &e.value),
            Some(Value::Set(_))
        )
    };
    if !is_set(ctx, src) || dst.is_some_and(|d| !is_set(ctx, d)) {
        return Err(CmdError::WrongType);
    }
    let member = ctx.take_arg(3);
    if dst == Some(src) {
        let found = set_at(ctx, src).is_some_and(|s| s.contains(&member));
        ctx.out().int(found as i64);
        return Ok(());
    }
    if !set_at(ctx, src).is_some_and(|s| s.remove(&member)) {
        ctx.out().int(0);
        return Ok(());
    }
    ctx.notify(SET, "srem", 1);
    delete_if_empty(ctx, src, 1);
    let max = ctx.core.config.set_max_intset_entries;
    let added = match dst {
        Some(d) => set_at(ctx, d).is_some_and(|s| s.add(&member, max)),
        None => {
            let mut s = Set::new_for(&member);
            s.add(&member, max);
            let key = ctx.arg(2).to_vec();
            let clock = ctx.core.lru_clock();
            ctx.db().add(key.into(), Value::Set(s), clock);
            true
        }
    };
    if added {
        ctx.notify(SET, "sadd", 2);
    }
    ctx.dirty(1);
    ctx.out().int(1);
    Ok(())
}

fn sismember(ctx: &mut Ctx) -> CmdResult {
    let member = ctx.take_arg(2);
    let found = ctx.read_arg::<Set>(1)?.is_some_and(|s| s.contains(&member));
    ctx.out().int(found as i64);
    Ok(())
}

fn smismember(ctx: &mut Ctx) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    let set = read_typed::<Set>(core, client.db, &argv[1])?;
    let out = &mut client.out;
    out.array(argv.len() - 2);
    for m in &argv[2..] {
        out.int(set.is_some_and(|s| s.contains(m)) as i64);
    }
    Ok(())
}

fn scard(ctx: &mut Ctx) -> CmdResult {
    let n = ctx.read_arg::<Set>(1)?.map_or(0, |s| s.len());
    ctx.out().int(n as i64);
    Ok(())
}

/// SPOP key [count]
fn spop(ctx: &mut Ctx) -> CmdResult {
    if ctx.argc() > 3 {
        return Err(CmdError::Syntax);
    }
    if ctx.argc() == 3 {
        return spop_count(ctx);
    }
    let Some(slot) = set_slot(ctx, 1)? else {
        ctx.out().null();
        return Ok(());
    };
    let Ctx { core, .. } = ctx;
    let popped = match core.dbs[ctx.client.db].entry_at(slot).map(|e| &mut e.value) {
        Some(Value::Set(s)) => s.pop_random(&mut core.rng),
        _ => None,
    };
    if popped.is_some() {
        ctx.notify(SET, "spop", 1);
    }
    delete_if_empty(ctx, slot, 1);
    match popped {
        Some(m) => {
            ctx.dirty(1);
            // The member drawn by chance is recorded: SREM key member.
            ctx.propagate_as(&[Part::New(b"SREM"), Part::Arg(1), Part::New(&m)]);
            ctx.out().bulk(&m);
        }
        None => ctx.out().null(),
    }
    Ok(())
}

fn spop_count(ctx: &mut Ctx) -> CmdResult {
    let count = num::parse_i64(ctx.arg(2))
        .filter(|n| *n >= 0)
        .ok_or_else(|| CmdError::msg("ERR value is out of range, must be positive"))?;
    let Some(slot) = set_slot(ctx, 1)? else {
        ctx.out().set(0);
        return Ok(());
    };
    if count == 0 {
        ctx.out().set(0);
        return Ok(());
    }
    let max = ctx.core.config.set_max_intset_entries;
    let Ctx { core, client, argv } = ctx;
    let db = &mut core.dbs[client.db];
    let Some(Value::Set(set)) = db.entry_at(slot).map(|e| &mut e.value) else {
        client.out.set(0);
        return Ok(());
    };
    let out = &mut client.out;
    if count as u64 >= set.len() as u64 {
        // Everything goes: reply the whole set and delete the key.
        out.set(set.len());
        for m in set.iter() {
            reply_member(out, m);
        }
        db.remove_slot(slot);
        ctx.notify(SET, "spop", 1);
        ctx.notify(GENERIC, "del", 1);
        ctx.dirty(1);
        ctx.propagate_as(&[Part::New(b"DEL"), Part::Arg(1)]);
        return Ok(());
    } else if (set.len() as u64 - count as u64) * 5 <= count as u64 {
        // Most members go: draw the few that stay into a new set (created for its
        // first member, as Redis does, so its encoding may differ from the old one's),
        // reply what is left in the old one, and keep the new one.
        let remaining = set.len() - count as usize;
        let mut keep: Option<Set> = None;
        for _ in 0..remaining {
            if let Some(m) = set.pop_random(&mut core.rng) {
                keep.get_or_insert_with(|| Set::new_for(&m)).add(&m, max);
            }
        }
        out.set(set.len());
        for m in set.iter() {
            if core.prop.active {
                core.prop.op(client.db, &[b"SREM", &argv[1], &m.to_bytes()]);
            }
            reply_member(out, m);
        }
        if let Some(keep) = keep {
            *set = keep;
        }
    } else {
        out.set(count as usize);
        for _ in 0..count {
            if let Some(m) = set.pop_random(&mut core.rng) {
                core.prop.op(client.db, &[b"SREM", &argv[1], &m]);
                out.bulk(&m);
            }
        }
    }
    // Recorded as one SREM per member drawn (wrapped in MULTI/EXEC).
    ctx.propagate_none();
    ctx.notify(SET, "spop", 1);
    ctx.dirty(1);
    Ok(())
}

/// SRANDMEMBER key [count]
fn srandmember(ctx: &mut Ctx) -> CmdResult {
    if ctx.argc() > 3 {
        return Err(CmdError::Syntax);
    }
    let count = if ctx.argc() == 3 {
        let n = ctx.parse_i64(2)?;
        if n == i64::MIN {
            return err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        }
        Some(n)
    } else {
        None
    };
    if ctx.read_arg::<Set>(1)?.is_none() {
        match count {
            Some(_) => ctx.out().array(0),
            None => ctx.out().null(),
        }
        return Ok(());
    }
    // The key is live (just looked up): borrow it without a second lazy-expiry pass,
    // so the generator can be borrowed alongside.
    let Ctx { core, client, argv } = ctx;
    let out = &mut client.out;
    let Some(Value::Set(set)) = core.dbs[client.db].dict.get(&argv[1]).map(|e| &e.value) else {
        out.null();
        return Ok(());
    };
    let rng = &mut core.rng;
    let Some(count) = count else {
        match set.random(rng) {
            Some(m) => reply_member(out, m),
            None => out.null(),
        }
        return Ok(());
    };
    if count < 0 {
        // Repetitions allowed: |count| independent draws.
        let n = count.unsigned_abs() as usize;
        out.array(n);
        for _ in 0..n {
            if let Some(m) = set.random(rng) {
                reply_member(out, m);
            }
        }
    } else if count as u64 >= set.len() as u64 {
        out.array(set.len());
        for m in set.iter() {
            reply_member(out, m);
        }
    } else {
        let picked = set.random_distinct(count as usize, rng);
        out.array(picked.len());
        for m in picked {
            reply_member(out, m);
        }
    }
    Ok(())
}

/// SSCAN key cursor [MATCH pattern] [COUNT count]
fn sscan(ctx: &mut Ctx) -> CmdResult {
    let cursor = parse_cursor(ctx.arg(2))?;
    // A missing key answers an empty scan before the options are looked at, as in Redis.
    if ctx.read_arg::<Set>(1)?.is_none() {
        let out = ctx.out();
        out.array(2);
        out.bulk(b"0");
        out.array(0);
        return Ok(());
    }
    let opts = super::keys::parse_scan_options(&ctx.argv, 3, false)?;
    let (count, pattern) = (opts.count, opts.pattern);
    let Ctx { core, client, argv } = ctx;
    let Some(Value::Set(set)) = core.dbs[client.db].dict.get(&argv[1]).map(|e| &e.value) else {
        return Ok(());
    };
    let mut found: Vec<Member> = Vec::new();
    let next = match usize::try_from(cursor) {
        Ok(c) => set.scan(c, count, |m| found.push(m)),
        Err(_) => 0,
    };
    if let Some(p) = &pattern {
        found.retain(|m| string_match(p, &m.to_bytes(), false));
    }
    let out = &mut client.out;
    out.array(2);
    out.bulk(next.to_string().as_bytes());
    out.array(found.len());
    for m in found {
        reply_member(out, m);
    }
    Ok(())
}

/// Looks up the sets at arguments `keys` (write lookups when storing, else reads),
/// returning their slots (None = missing, an empty set). Every key is type-checked
/// before any work, so a WRONGTYPE anywhere wins, as in Redis 7.0.
fn lookup_sets(
    ctx: &mut Ctx,
    keys: std::ops::Range<usize>,
    write: bool,
) -> Result<Vec<Option<usize>>, CmdError> {
    let mut slots = Vec::with_capacity(keys.len());
    for i in keys {
        let slot = if write {
            ctx.lookup_write(i)
        } else if ctx.lookup_read(i).is_some() {
            // The read lookup counted the hit; find the slot without recounting.
            let now = ctx.now();
            let key = std::mem::take(&mut ctx.argv[i]);
            let s = ctx.db().lookup(&key, now);
            ctx.argv[i] = key;
            s
        } else {
            None
        };
        if let Some(s) = slot {
            if !matches!(ctx.db().entry_at(s).map(|e| &e.value), Some(Value::Set(_))) {
                return Err(CmdError::WrongType);
            }
        }
        slots.push(slot);
    }
    Ok(slots)
}

/// Where the result of an algebra command goes.
#[derive(Clone, Copy, PartialEq)]
enum Output {
    /// Reply the members as a set.
    Reply,
    /// Store under the key at argument 1 and reply the cardinality.
    Store,
    /// Reply only the cardinality, stopping at a limit (0 = none).
    Card(usize),
}

/// Stores `result` under the key at argument 1 (replacing any value and TTL), or
/// deletes that key when the result is empty; replies the cardinality.
fn store_result(ctx: &mut Ctx, result: Set) {
    let n = result.len();
    let key = ctx.take_arg(1);
    if n > 0 {
        let clock = ctx.core.lru_clock();
        ctx.db().set(&key, Value::Set(result), NO_EXPIRE, clock);
        ctx.dirty(1);
        // The event is the command's name: sinterstore, sunionstore, sdiffstore.
        let event = String::from_utf8_lossy(ctx.arg(0)).to_ascii_lowercase();
        ctx.notify_key(SET, &event, &key);
    } else if ctx.db().remove(&key).is_some() {
        ctx.dirty(1);
        ctx.notify_key(GENERIC, "del", &key);
    }
    ctx.out().int(n as i64);
}

/// SINTER, SINTERSTORE, SINTERCARD and SMEMBERS: the sets at arguments `keys`.
fn sinter_generic(ctx: &mut Ctx, keys: std::ops::Range<usize>, output: Output) -> CmdResult {
    let slots = lookup_sets(ctx, keys, output == Output::Store)?;
    if slots.iter().any(|s| s.is_none()) {
        // A missing key is an empty set, so the intersection is empty.
        match output {
            Output::Reply => ctx.out().set(0),
            Output::Store => store_result(ctx, Set::new_intset()),
            Output::Card(_) => ctx.out().int(0),
        }
        return Ok(());
    }
    let db = &ctx.core.dbs[ctx.client.db];
    let mut sets: Vec<&Set> = slots
        .iter()
        .filter_map(|s| match db.slot((*s)?).map(|e| &e.value.value) {
            Some(Value::Set(set)) => Some(set),
            _ => None,
        })
        .collect();
    // Walk the smallest set, probing the others.
    sets.sort_by_key(|s| s.len());
    let Some((first, rest)) = sets.split_first() else {
        return Ok(());
    };
    let limit = match output {
        Output::Card(l) if l > 0 => l,
        _ => usize::MAX,
    };
    let mut members: Vec<Member> = Vec::new();
    let mut card = 0usize;
    for m in first.iter() {
        if rest
            .iter()
            .all(|s| std::ptr::eq(*s, *first) || s.contains_member(m))
        {
            card += 1;
            if matches!(output, Output::Card(_)) {
                if card >= limit {
                    break;
                }
            } else {
                members.push(m);
            }
        }
    }
    match output {
        Output::Reply => {
            let out = &mut ctx.client.out;
            out.set(members.len());
            for m in members {
                reply_member(out, m);
            }
        }
        Output::Card(_) => ctx.client.out.int(card as i64),
        Output::Store => {
            let max = ctx.core.config.set_max_intset_entries;
            let mut result = Set::new_intset();
            for m in members {
                result.add(&m.to_bytes(), max);
            }
            store_result(ctx, result);
        }
    }
    Ok(())
}

fn sinter(ctx: &mut Ctx) -> CmdResult {
    let n = ctx.argc();
    sinter_generic(ctx, 1..n, Output::Reply)
}

fn smembers(ctx: &mut Ctx) -> CmdResult {
    sinter_generic(ctx, 1..2, Output::Reply)
}

fn sinterstore(ctx: &mut Ctx) -> CmdResult {
    let n = ctx.argc();
    sinter_generic(ctx, 2..n, Output::Store)
}

/// SINTERCARD numkeys key [key ...] [LIMIT limit]
fn sintercard(ctx: &mut Ctx) -> CmdResult {
    let numkeys = num::parse_i64(ctx.arg(1))
        .filter(|n| *n > 0)
        .ok_or_else(|| CmdError::msg("ERR numkeys should be greater than 0"))?;
    if numkeys as u64 > (ctx.argc() - 2) as u64 {
        return err("ERR Number of keys can't be greater than number of args");
    }
    let end = 2 + numkeys as usize;
    let mut limit = 0usize;
    let mut j = end;
    while j < ctx.argc() {
        if ctx.is(j, "limit") && j + 1 < ctx.argc() {
            let l = num::parse_i64(ctx.arg(j + 1))
                .filter(|n| *n >= 0)
                .ok_or_else(|| CmdError::msg("ERR LIMIT can't be negative"))?;
            limit = usize::try_from(l).unwrap_or(usize::MAX);
            j += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    sinter_generic(ctx, 2..end, Output::Card(limit))
}

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Union,
    Diff,
}

/// SUNION, SDIFF and their STORE forms.
fn union_diff_generic(
    ctx: &mut Ctx,
    keys: std::ops::Range<usize>,
    op: Op,
    store: bool,
) -> CmdResult {
    let slots = lookup_sets(ctx, keys, store)?;
    let max = ctx.core.config.set_max_intset_entries;
    let db = &ctx.core.dbs[ctx.client.db];
    let sets: Vec<Option<&Set>> = slots
        .iter()
        .map(|s| match db.slot((*s)?).map(|e| &e.value.value) {
            Some(Value::Set(set)) => Some(set),
            _ => None,
        })
        .collect();
    let mut result = Set::new_intset();
    match op {
        Op::Union => {
            for s in sets.iter().flatten() {
                for m in s.iter() {
                    result.add(&m.to_bytes(), max);
                }
            }
        }
        Op::Diff => diff_into(&sets, &mut result, max),
    }
    if store {
        store_result(ctx, result);
    } else {
        let out = &mut ctx.client.out;
        out.set(result.len());
        for m in result.iter() {
            reply_member(out, m);
        }
    }
    Ok(())
}

/// Members of the first set in none of the others. Like Redis, picks between walking
/// the first set and probing the others, or copying the first set and removing the
/// others' members, by estimated work; the choice shows in the result's encoding.
fn diff_into(sets: &[Option<&Set>], result: &mut Set, max: u64) {
    let Some(Some(first)) = sets.first() else {
        return;
    };
    // The same key again after the first: nothing can remain.
    if sets[1..].iter().flatten().any(|s| std::ptr::eq(*s, *first)) {
        return;
    }
    let present = || sets.iter().flatten();
    let walk_work = present().count() * first.len() / 2;
    let copy_work: usize = present().map(|s| s.len()).sum();
    if walk_work <= copy_work {
        let mut others: Vec<&Set> = sets[1..].iter().flatten().copied().collect();
        // Biggest first: most likely to contain the member, ending the probe early.
        others.sort_by_key(|s| std::cmp::Reverse(s.len()));
        for m in first.iter() {
            if !others.iter().any(|s| s.contains_member(m)) {
                result.add(&m.to_bytes(), max);
            }
        }
    } else {
        for m in first.iter() {
            result.add(&m.to_bytes(), max);
        }
        for s in sets[1..].iter().flatten() {
            if result.is_empty() {
                break;
            }
            for m in s.iter() {
                result.remove(&m.to_bytes());
            }
        }
    }
}

fn sunion(ctx: &mut Ctx) -> CmdResult {
    let n = ctx.argc();
    union_diff_generic(ctx, 1..n, Op::Union, false)
}
fn sunionstore(ctx: &mut Ctx) -> CmdResult {
    let n = ctx.argc();
    union_diff_generic(ctx, 2..n, Op::Union, true)
}
fn sdiff(ctx: &mut Ctx) -> CmdResult {
    let n = ctx.argc();
    union_diff_generic(ctx, 1..n, Op::Diff, false)
}
fn sdiffstore(ctx: &mut Ctx) -> CmdResult {
    let n = ctx.argc();
    union_diff_generic(ctx, 2..n, Op::Diff, true)
}

const S: u32 = acl::SET;
const G: &str = "set";
const ALL_ELEMENTS: &str = "O(N) where N is the total number of elements in all given sets.";
const INTER: &str =
    "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.";
const ORDER: &[&str] = &["nondeterministic_output_order"];
const RANDOM: &[&str] = &["nondeterministic_output"];
/// Destination (written as `dest_flags`) then sources, for the STORE commands.
const STORE_SPECS_OW: &[KeySpec] = &[
    KeySpec::new(1, 0, 1, "OW update"),
    KeySpec::new(2, -1, 1, "RO access"),
];
const STORE_SPECS_RW: &[KeySpec] = &[
    KeySpec::new(1, 0, 1, "RW update"),
    KeySpec::new(2, -1, 1, "RO access"),
];

#[rustfmt::skip]
pub const COMMANDS: &[Command] = &[
    Command::new("sadd", -3, sadd).flags(WRITE | DENYOOM | FAST).acl(S).keys(1, 1, 1, "RW insert")
        .doc(G, "1.0.0", "Add one or more members to a set", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."),
    Command::new("scard", 2, scard).flags(READONLY | FAST).acl(S).keys(1, 1, 1, "RO")
        .doc(G, "1.0.0", "Get the number of members in a set", "O(1)"),
    Command::new("sdiff", -2, sdiff).tips(ORDER).flags(READONLY).acl(S).keys(1, -1, 1, "RO access")
        .doc(G, "1.0.0", "Subtract multiple sets", ALL_ELEMENTS),
    Command::new("sdiffstore", -3, sdiffstore).flags(WRITE | DENYOOM).acl(S).keys(1, -1, 1, "OW update")
        .key_specs(STORE_SPECS_OW)
        .doc(G, "1.0.0", "Subtract multiple sets and store the resulting set in a key", ALL_ELEMENTS),
    Command::new("sinter", -2, sinter).tips(ORDER).flags(READONLY).acl(S).keys(1, -1, 1, "RO access")
        .doc(G, "1.0.0", "Intersect multiple sets", INTER),
    Command::new("sintercard", -3, sintercard).flags(READONLY | MOVABLE_KEYS).acl(S).keys(0, 0, 0, "RO access")
        .key_specs(&[KeySpec::keynum(1, 0, 1, 1, "RO access")])
        .doc(G, "7.0.0", "Intersect multiple sets and return the cardinality of the result", INTER),
    Command::new("sinterstore", -3, sinterstore).flags(WRITE | DENYOOM).acl(S).keys(1, -1, 1, "RW update")
        .key_specs(STORE_SPECS_RW)
        .doc(G, "1.0.0", "Intersect multiple sets and store the resulting set in a key", INTER),
    Command::new("sismember", 3, sismember).flags(READONLY | FAST).acl(S).keys(1, 1, 1, "RO")
        .doc(G, "1.0.0", "Determine if a given value is a member of a set", "O(1)"),
    Command::new("smembers", 2, smembers).tips(ORDER).flags(READONLY).acl(S).keys(1, 1, 1, "RO access")
        .doc(G, "1.0.0", "Get all the members in a set", "O(N) where N is the set cardinality."),
    Command::new("smismember", -3, smismember).flags(READONLY | FAST).acl(S).keys(1, 1, 1, "RO access")
        .doc(G, "6.2.0", "Returns the membership associated with the given elements for a set", "O(N) where N is the number of elements being checked for membership"),
    Command::new("smove", 4, smove).flags(WRITE | FAST).acl(S).keys(1, 2, 1, "RW access delete")
        .key_specs(&[KeySpec::new(1, 0, 1, "RW access delete"), KeySpec::new(2, 0, 1, "RW insert")])
        .doc(G, "1.0.0", "Move a member from one set to another", "O(1)"),
    Command::new("spop", -2, spop).tips(RANDOM).flags(WRITE | FAST).acl(S).keys(1, 1, 1, "RW access delete")
        .doc(G, "1.0.0", "Remove and return one or multiple random members from a set", "Without the count argument O(1), otherwise O(N) where N is the value of the passed count."),
    Command::new("srandmember", -2, srandmember).tips(RANDOM).flags(READONLY).acl(S).keys(1, 1, 1, "RO access")
        .doc(G, "1.0.0", "Get one or multiple random members from a set", "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count."),
    Command::new("srem", -3, srem).flags(WRITE | FAST).acl(S).keys(1, 1, 1, "RW delete")
        .doc(G, "1.0.0", "Remove one or more members from a set", "O(N) where N is the number of members to be removed."),
    Command::new("sscan", -3, sscan).tips(RANDOM).flags(READONLY).acl(S).keys(1, 1, 1, "RO access")
        .doc(G, "2.8.0", "Incrementally iterate Set elements", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.."),
    Command::new("sunion", -2, sunion).tips(ORDER).flags(READONLY).acl(S).keys(1, -1, 1, "RO access")
        .doc(G, "1.0.0", "Add multiple sets", ALL_ELEMENTS),
    Command::new("sunionstore", -3, sunionstore).flags(WRITE | DENYOOM).acl(S).keys(1, -1, 1, "OW update")
        .key_specs(STORE_SPECS_OW)
        .doc(G, "1.0.0", "Add multiple sets and store the resulting set in a key", ALL_ELEMENTS),
];
