//! List commands: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LMPOP LLEN LINDEX LRANGE LPOS
//! LSET LINSERT LREM LTRIM LMOVE RPOPLPUSH. (The blocking variants are not here.)
//!
//! Arguments are checked in the order Redis checks them, since that order decides
//! which error a client sees (e.g. LINDEX looks the key up before parsing the index,
//! LRANGE parses before looking up).

use super::blocking;
use super::notify::{event, GENERIC, LIST};
use super::{acl, flag::*, Command, Ctx, KeySpec, Part};
use super::{read_typed, write_typed};
use crate::error::{CmdError, CmdResult};
use crate::keyspace::Value;
use crate::protocol::ReplyBuf;
use crate::server::client::Client;
use crate::server::Core;
use crate::types::list::{Item, List, Needle};
use crate::util::num;

/// The list under `key`, created empty if absent (the caller pushes at once, so an
/// empty list is never left behind).
fn list_or_create<'a>(core: &'a mut Core, db: usize, key: &[u8]) -> Result<&'a mut List, CmdError> {
    if write_typed::<List>(core, db, key, true)?.is_none() {
        let list = List::with_fill(core.config.list_max_listpack_size);
        let clock = core.lru_clock();
        core.dbs[db].add(key.into(), Value::List(Box::new(list)), clock);
    }
    write_typed::<List>(core, db, key, true)?.ok_or(CmdError::NoSuchKey)
}

/// Redis deletes a list when its last element goes (and says "del").
fn delete_if_empty(core: &mut Core, client: &mut Client, key: &[u8], empty: bool) {
    if empty {
        core.dbs[client.db].remove(key);
        event(core, client, GENERIC, "del", key);
    }
}

fn pop_verb(front: bool) -> &'static [u8] {
    if front {
        b"LPOP"
    } else {
        b"RPOP"
    }
}

fn pop_event(front: bool) -> &'static str {
    if front {
        "lpop"
    } else {
        "rpop"
    }
}

fn reply_item(out: &mut ReplyBuf, item: Item) {
    item.with_bytes(|b| out.bulk(b));
}

/// LEFT or RIGHT (true = LEFT, the head).
fn parse_side(arg: &[u8]) -> Result<bool, CmdError> {
    if arg.eq_ignore_ascii_case(b"left") {
        Ok(true)
    } else if arg.eq_ignore_ascii_case(b"right") {
        Ok(false)
    } else {
        Err(CmdError::Syntax)
    }
}

/// An integer >= 0; anything else answers `msg` (Redis's getPositiveLong...OrReply).
fn parse_non_negative(arg: &[u8], msg: &'static str) -> Result<i64, CmdError> {
    match num::parse_i64(arg) {
        Some(n) if n >= 0 => Ok(n),
        _ => Err(CmdError::msg(msg)),
    }
}

/// LPUSH/RPUSH/LPUSHX/RPUSHX key element [element ...]
fn push_generic(ctx: &mut Ctx, front: bool, only_existing: bool) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    let (db, key) = (client.db, &argv[1]);
    let list = match write_typed::<List>(core, db, key, true)? {
        Some(l) => l,
        None if only_existing => {
            client.out.int(0);
            return Ok(());
        }
        None => list_or_create(core, db, key)?,
    };
    for v in &argv[2..] {
        if front {
            list.push_front(v);
        } else {
            list.push_back(v);
        }
    }
    let len = list.len();
    core.dirty += (argv.len() - 2) as u64;
    event(
        core,
        client,
        LIST,
        if front { "lpush" } else { "rpush" },
        key,
    );
    client.out.int(len as i64);
    Ok(())
}

fn lpush(ctx: &mut Ctx) -> CmdResult {
    push_generic(ctx, true, false)
}
fn rpush(ctx: &mut Ctx) -> CmdResult {
    push_generic(ctx, false, false)
}
fn lpushx(ctx: &mut Ctx) -> CmdResult {
    push_generic(ctx, true, true)
}
fn rpushx(ctx: &mut Ctx) -> CmdResult {
    push_generic(ctx, false, true)
}

/// Pops `n` elements (at most the list's length) from one end, replying them as an
/// array, and deletes the key if that emptied the list.
fn pop_reply(core: &mut Core, client: &mut Client, key: &[u8], front: bool, n: usize) -> CmdResult {
    let (db, out) = (client.db, &mut client.out);
    let Some(list) = write_typed::<List>(core, db, key, true)? else {
        out.array(0);
        return Ok(());
    };
    let n = n.min(list.len());
    out.array(n);
    if front {
        list.iter().take(n).for_each(|it| reply_item(out, it));
        list.drop_front(n);
    } else {
        list.iter_rev().take(n).for_each(|it| reply_item(out, it));
        list.drop_back(n);
    }
    let empty = list.is_empty();
    event(core, client, LIST, pop_event(front), key);
    delete_if_empty(core, client, key, empty);
    core.dirty += n as u64;
    Ok(())
}

/// LPOP/RPOP key [count]
fn pop_generic(ctx: &mut Ctx, front: bool) -> CmdResult {
    if ctx.argc() > 3 {
        let name = if front { "lpop" } else { "rpop" };
        return Err(CmdError::Arity(name.into()));
    }
    let count = match ctx.argv.get(2) {
        Some(a) => Some(parse_non_negative(
            a,
            "ERR value is out of range, must be positive",
        )?),
        None => None,
    };
    let Ctx { core, client, argv } = ctx;
    let (db, key) = (client.db, &argv[1]);
    let Some(list) = write_typed::<List>(core, db, key, true)? else {
        match count {
            Some(_) => client.out.null_array(),
            None => client.out.null(),
        }
        return Ok(());
    };
    match count {
        Some(n) => pop_reply(core, client, key, front, n as usize),
        None => {
            // Reply straight from the node, then drop the element.
            let item = if front {
                list.iter().next()
            } else {
                list.iter_rev().next()
            };
            match item {
                Some(it) => reply_item(&mut client.out, it),
                None => client.out.null(),
            }
            if front {
                list.drop_front(1);
            } else {
                list.drop_back(1);
            }
            let empty = list.is_empty();
            event(core, client, LIST, pop_event(front), key);
            delete_if_empty(core, client, key, empty);
            core.dirty += 1;
            Ok(())
        }
    }
}

fn lpop(ctx: &mut Ctx) -> CmdResult {
    pop_generic(ctx, true)
}
fn rpop(ctx: &mut Ctx) -> CmdResult {
    pop_generic(ctx, false)
}

/// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
fn lmpop(ctx: &mut Ctx) -> CmdResult {
    let (keys, front, count) = ctx.parse_mpop(1, ("left", "right"))?;
    if !mpop_first(ctx, keys, front, count)? {
        ctx.out().null_array();
    }
    Ok(())
}

/// Pops from the first non-empty list among `keys`, replying [key, [elements]];
/// false (nothing written) when all are empty. A wrong type before it is an error.
fn mpop_first(
    ctx: &mut Ctx,
    keys: std::ops::Range<usize>,
    front: bool,
    count: usize,
) -> Result<bool, CmdError> {
    let Ctx { core, client, argv } = ctx;
    let db = client.db;
    for key in &argv[keys] {
        if !blocking::may_serve_from(core, db, key) {
            continue;
        }
        if let Some(list) = write_typed::<List>(core, db, key, true)? {
            let popped = count.min(list.len()).to_string();
            client.out.array(2);
            client.out.bulk(key);
            pop_reply(core, client, key, front, count)?;
            core.note_modified(key);
            // Recorded as the pop it was on that key: LPOP/RPOP key <popped>.
            core.prop.rewrite(&[
                Part::New(pop_verb(front)),
                Part::New(key),
                Part::New(popped.as_bytes()),
            ]);
            return Ok(true);
        }
    }
    Ok(false)
}

/// BLPOP/BRPOP key [key ...] timeout
fn bpop_generic(ctx: &mut Ctx, front: bool) -> CmdResult {
    let last = ctx.argc() - 1;
    let timeout = blocking::parse_timeout(ctx, last)?;
    {
        let Ctx { core, client, argv } = &mut *ctx;
        let db = client.db;
        for key in &argv[1..last] {
            if !blocking::may_serve_from(core, db, key) {
                continue;
            }
            let Some(list) = write_typed::<List>(core, db, key, true)? else {
                continue;
            };
            let item = if front {
                list.pop_front()
            } else {
                list.pop_back()
            };
            let Some(v) = item else { continue };
            let empty = list.is_empty();
            client.out.array(2);
            client.out.bulk(key);
            client.out.bulk(&v);
            event(core, client, LIST, pop_event(front), key);
            delete_if_empty(core, client, key, empty);
            core.dirty += 1;
            core.note_modified(key);
            // Recorded as the pop it was: LPOP/RPOP key.
            core.prop
                .rewrite(&[Part::New(pop_verb(front)), Part::New(key)]);
            return Ok(());
        }
    }
    blocking::wait_on_keys(ctx, 1..last, timeout);
    Ok(())
}

fn blpop(ctx: &mut Ctx) -> CmdResult {
    bpop_generic(ctx, true)
}
fn brpop(ctx: &mut Ctx) -> CmdResult {
    bpop_generic(ctx, false)
}

/// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
fn blmpop(ctx: &mut Ctx) -> CmdResult {
    let timeout = blocking::parse_timeout(ctx, 1)?;
    let (keys, front, count) = ctx.parse_mpop(2, ("left", "right"))?;
    if mpop_first(ctx, keys.clone(), front, count)? {
        return Ok(());
    }
    blocking::wait_on_keys(ctx, keys, timeout);
    Ok(())
}

/// BLMOVE/BRPOPLPUSH: LMOVE when the source has elements, otherwise wait on it.
fn bmove_generic(ctx: &mut Ctx, from_front: bool, to_front: bool, timeout_at: usize) -> CmdResult {
    let timeout = blocking::parse_timeout(ctx, timeout_at)?;
    let has_source = {
        let Ctx { core, client, argv } = &mut *ctx;
        write_typed::<List>(core, client.db, &argv[1], true)?.is_some()
    };
    if has_source {
        let result = move_generic(ctx, from_front, to_front);
        // A woken client whose destination is of another type gets the error,
        // as Redis answers it, rather than waiting on.
        ctx.core.blocking.final_error = result.is_err();
        return result;
    }
    blocking::wait_on_keys(ctx, 1..2, timeout);
    Ok(())
}

/// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
fn blmove(ctx: &mut Ctx) -> CmdResult {
    let from = parse_side(ctx.arg(3))?;
    let to = parse_side(ctx.arg(4))?;
    bmove_generic(ctx, from, to, 5)?;
    // Recorded as the move it was (nothing when it blocked: nothing changed).
    ctx.propagate_as(&[
        Part::New(b"LMOVE"),
        Part::Arg(1),
        Part::Arg(2),
        Part::Arg(3),
        Part::Arg(4),
    ]);
    Ok(())
}

/// BRPOPLPUSH source destination timeout
fn brpoplpush(ctx: &mut Ctx) -> CmdResult {
    bmove_generic(ctx, false, true, 3)?;
    ctx.propagate_as(&[Part::New(b"RPOPLPUSH"), Part::Arg(1), Part::Arg(2)]);
    Ok(())
}

fn llen(ctx: &mut Ctx) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    let n = read_typed::<List>(core, client.db, &argv[1])?.map_or(0, List::len);
    client.out.int(n as i64);
    Ok(())
}

fn lindex(ctx: &mut Ctx) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    let Some(list) = read_typed::<List>(core, client.db, &argv[1])? else {
        client.out.null();
        return Ok(());
    };
    let index = num::parse_i64(&argv[2]).ok_or(CmdError::NotInteger)?;
    match list.get(index) {
        Some(it) => reply_item(&mut client.out, it),
        None => client.out.null(),
    }
    Ok(())
}

/// Redis's range clamping for LRANGE/LTRIM: Some((start, end)) inclusive, or None
/// when the range is empty.
fn clamp_range(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
    let len = len as i64;
    let start = if start < 0 { len + start } else { start }.max(0);
    let end = if end < 0 { len + end } else { end };
    if start > end || start >= len {
        return None;
    }
    Some((start as usize, end.min(len - 1) as usize))
}

fn lrange(ctx: &mut Ctx) -> CmdResult {
    let start = ctx.parse_i64(2)?;
    let end = ctx.parse_i64(3)?;
    let Ctx { core, client, argv } = ctx;
    let out = &mut client.out;
    let Some(list) = read_typed::<List>(core, client.db, &argv[1])? else {
        out.array(0);
        return Ok(());
    };
    match clamp_range(start, end, list.len()) {
        None => out.array(0),
        Some((s, e)) => {
            out.array(e - s + 1);
            list.iter_from(s)
                .take(e - s + 1)
                .for_each(|it| reply_item(out, it));
        }
    }
    Ok(())
}

fn ltrim(ctx: &mut Ctx) -> CmdResult {
    let start = ctx.parse_i64(2)?;
    let end = ctx.parse_i64(3)?;
    let Ctx { core, client, argv } = ctx;
    let (db, key) = (client.db, &argv[1]);
    if let Some(list) = write_typed::<List>(core, db, key, true)? {
        let len = list.len();
        let (front, back) = match clamp_range(start, end, len) {
            None => (len, 0),
            Some((s, e)) => (s, len - 1 - e),
        };
        list.drop_front(front);
        list.drop_back(back);
        let empty = list.is_empty();
        event(core, client, LIST, "ltrim", key);
        delete_if_empty(core, client, key, empty);
        core.dirty += (front + back) as u64;
    }
    client.out.ok();
    Ok(())
}

fn lset(ctx: &mut Ctx) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    let list = write_typed::<List>(core, client.db, &argv[1], true)?.ok_or(CmdError::NoSuchKey)?;
    let index = num::parse_i64(&argv[2]).ok_or(CmdError::NotInteger)?;
    if !list.set(index, &argv[3]) {
        return Err(CmdError::OutOfRange);
    }
    core.dirty += 1;
    event(core, client, LIST, "lset", &argv[1]);
    client.out.ok();
    Ok(())
}

/// LINSERT key BEFORE|AFTER pivot element
fn linsert(ctx: &mut Ctx) -> CmdResult {
    let after = if ctx.is(2, "after") {
        true
    } else if ctx.is(2, "before") {
        false
    } else {
        return Err(CmdError::Syntax);
    };
    let Ctx { core, client, argv } = ctx;
    let Some(list) = write_typed::<List>(core, client.db, &argv[1], true)? else {
        client.out.int(0);
        return Ok(());
    };
    if list.insert(&argv[3], after, &argv[4]) {
        let len = list.len();
        core.dirty += 1;
        event(core, client, LIST, "linsert", &argv[1]);
        client.out.int(len as i64);
    } else {
        client.out.int(-1);
    }
    Ok(())
}

/// LREM key count element
fn lrem(ctx: &mut Ctx) -> CmdResult {
    let count = ctx.parse_i64(2)?;
    let Ctx { core, client, argv } = ctx;
    let (db, key) = (client.db, &argv[1]);
    let Some(list) = write_typed::<List>(core, db, key, true)? else {
        client.out.int(0);
        return Ok(());
    };
    let removed = list.remove(&argv[3], count);
    let empty = list.is_empty();
    if removed > 0 {
        event(core, client, LIST, "lrem", key);
        delete_if_empty(core, client, key, empty);
    }
    core.dirty += removed as u64;
    client.out.int(removed as i64);
    Ok(())
}

/// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
fn lpos(ctx: &mut Ctx) -> CmdResult {
    let mut rank: i64 = 1;
    let mut count: Option<i64> = None;
    let mut maxlen: i64 = 0;
    let mut j = 3;
    while j < ctx.argc() {
        let more = j + 1 < ctx.argc();
        if ctx.is(j, "rank") && more {
            j += 1;
            rank = ctx.parse_i64(j)?;
            if rank == 0 {
                return Err(CmdError::msg(
                    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the \
                     second ... or use negative to start from the end of the list",
                ));
            }
        } else if ctx.is(j, "count") && more {
            j += 1;
            count = Some(parse_non_negative(
                ctx.arg(j),
                "ERR COUNT can't be negative",
            )?);
        } else if ctx.is(j, "maxlen") && more {
            j += 1;
            maxlen = parse_non_negative(ctx.arg(j), "ERR MAXLEN can't be negative")?;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    // A negative rank searches from the tail. Negating i64::MIN leaves it negative,
    // which (as in Redis) makes every match qualify.
    let from_tail = rank < 0;
    if from_tail {
        rank = rank.wrapping_neg();
    }
    let Ctx { core, client, argv } = ctx;
    let out = &mut client.out;
    let Some(list) = read_typed::<List>(core, client.db, &argv[1])? else {
        match count {
            Some(_) => out.array(0),
            None => out.null(),
        }
        return Ok(());
    };
    let needle = Needle::new(&argv[2]);
    let limits = Limits {
        rank,
        count,
        maxlen,
    };
    let found = if from_tail {
        let last = list.len().saturating_sub(1);
        limits.scan(list.iter_rev(), &needle, |i| last - i)
    } else {
        limits.scan(list.iter(), &needle, |i| i)
    };
    match count {
        None => match found.first() {
            Some(&i) => out.int(i as i64),
            None => out.null(),
        },
        Some(_) => {
            out.array(found.len());
            found.iter().for_each(|&i| out.int(i as i64));
        }
    }
    Ok(())
}

/// LPOS's RANK, COUNT and MAXLEN.
struct Limits {
    rank: i64,
    count: Option<i64>,
    maxlen: i64,
}

impl Limits {
    /// Positions (through `pos`, from the scan index) of the matches LPOS reports.
    fn scan<'a>(
        &self,
        items: impl Iterator<Item = Item<'a>>,
        needle: &Needle,
        pos: impl Fn(usize) -> usize,
    ) -> Vec<usize> {
        let mut found = Vec::new();
        let mut matches: i64 = 0;
        for (i, item) in items.enumerate() {
            if self.maxlen != 0 && i as i64 >= self.maxlen {
                break;
            }
            if !item.matches(needle) {
                continue;
            }
            matches += 1;
            if matches >= self.rank {
                found.push(pos(i));
                // Wrapping, as Redis's arithmetic does for RANK i64::MIN.
                let done = match self.count {
                    None => true,
                    Some(c) => c != 0 && matches.wrapping_sub(self.rank).wrapping_add(1) >= c,
                };
                if done {
                    break;
                }
            }
        }
        found
    }
}

/// LMOVE/RPOPLPUSH: pops from one end of `source`, pushes onto one end of
/// `destination`, replies the element.
fn move_generic(ctx: &mut Ctx, from_front: bool, to_front: bool) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    let (db, src, dst) = (client.db, &argv[1], &argv[2]);
    if write_typed::<List>(core, db, src, true)?.is_none() {
        client.out.null();
        return Ok(());
    }
    if src != dst {
        // The destination's type is checked before anything is popped.
        write_typed::<List>(core, db, dst, true)?;
    }
    let Some(list) = write_typed::<List>(core, db, src, true)? else {
        client.out.null();
        return Ok(());
    };
    let Some(v) = (if from_front {
        list.pop_front()
    } else {
        list.pop_back()
    }) else {
        client.out.null();
        return Ok(());
    };
    let src_empty = list.is_empty();
    let dest = list_or_create(core, db, dst)?;
    if to_front {
        dest.push_front(&v);
    } else {
        dest.push_back(&v);
    }
    let push = if to_front { "lpush" } else { "rpush" };
    event(core, client, LIST, push, dst);
    event(core, client, LIST, pop_event(from_front), src);
    // A rotation (src == dst) refilled the list it emptied.
    if src != dst {
        delete_if_empty(core, client, src, src_empty);
    }
    core.dirty += 1;
    client.out.bulk(&v);
    Ok(())
}

/// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
fn lmove(ctx: &mut Ctx) -> CmdResult {
    let from = parse_side(ctx.arg(3))?;
    let to = parse_side(ctx.arg(4))?;
    move_generic(ctx, from, to)
}

fn rpoplpush(ctx: &mut Ctx) -> CmdResult {
    move_generic(ctx, false, true)
}

const L: u32 = acl::LIST;
const G: &str = "list";
const W: u32 = WRITE | DENYOOM | FAST;
/// Source then destination, as LMOVE and RPOPLPUSH report them.
const MOVE_SPECS: &[KeySpec] = &[
    KeySpec::new(1, 0, 1, "RW access delete"),
    KeySpec::new(2, 0, 1, "RW insert"),
];

#[rustfmt::skip]
pub const COMMANDS: &[Command] = &[
    Command::new("lpush", -3, lpush).flags(W).acl(L).keys(1, 1, 1, "RW insert")
        .doc(G, "1.0.0", "Prepend one or multiple elements to a list", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."),
    Command::new("rpush", -3, rpush).flags(W).acl(L).keys(1, 1, 1, "RW insert")
        .doc(G, "1.0.0", "Append one or multiple elements to a list", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."),
    Command::new("lpushx", -3, lpushx).flags(W).acl(L).keys(1, 1, 1, "RW insert")
        .doc(G, "2.2.0", "Prepend an element to a list, only if the list exists", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."),
    Command::new("rpushx", -3, rpushx).flags(W).acl(L).keys(1, 1, 1, "RW insert")
        .doc(G, "2.2.0", "Append an element to a list, only if the list exists", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."),
    Command::new("lpop", -2, lpop).flags(WRITE | FAST).acl(L).keys(1, 1, 1, "RW access delete")
        .doc(G, "1.0.0", "Remove and get the first elements in a list", "O(N) where N is the number of elements returned"),
    Command::new("rpop", -2, rpop).flags(WRITE | FAST).acl(L).keys(1, 1, 1, "RW access delete")
        .doc(G, "1.0.0", "Remove and get the last elements in a list", "O(N) where N is the number of elements returned"),
    Command::new("blmove", 6, blmove).flags(WRITE | DENYOOM | NOSCRIPT | BLOCKING).acl(L).keys(1, 2, 1, "")
        .key_specs(MOVE_SPECS)
        .doc(G, "6.2.0", "Pop an element from a list, push it to another list and return it; or block until one is available", "O(1)"),
    Command::new("blmpop", -5, blmpop).flags(WRITE | BLOCKING | MOVABLE_KEYS).acl(L)
        .key_specs(&[KeySpec::keynum(2, 0, 1, 1, "RW access delete")])
        .doc(G, "7.0.0", "Pop elements from a list, or block until one is available", "O(N+M) where N is the number of provided keys and M is the number of elements returned."),
    Command::new("blpop", -3, blpop).flags(WRITE | NOSCRIPT | BLOCKING).acl(L).keys(1, -2, 1, "RW access delete")
        .doc(G, "2.0.0", "Remove and get the first element in a list, or block until one is available", "O(N) where N is the number of provided keys."),
    Command::new("brpop", -3, brpop).flags(WRITE | NOSCRIPT | BLOCKING).acl(L).keys(1, -2, 1, "RW access delete")
        .doc(G, "2.0.0", "Remove and get the last element in a list, or block until one is available", "O(N) where N is the number of provided keys."),
    Command::new("brpoplpush", 4, brpoplpush).flags(WRITE | DENYOOM | NOSCRIPT | BLOCKING).acl(L).keys(1, 2, 1, "")
        .key_specs(MOVE_SPECS)
        .doc(G, "2.2.0", "Pop an element from a list, push it to another list and return it; or block until one is available", "O(1)"),
    Command::new("lmpop", -4, lmpop).flags(WRITE | MOVABLE_KEYS).acl(L)
        .key_specs(&[KeySpec::keynum(1, 0, 1, 1, "RW access delete")])
        .doc(G, "7.0.0", "Pop elements from a list", "O(N+M) where N is the number of provided keys and M is the number of elements returned."),
    Command::new("llen", 2, llen).flags(READONLY | FAST).acl(L).keys(1, 1, 1, "RO")
        .doc(G, "1.0.0", "Get the length of a list", "O(1)"),
    Command::new("lindex", 3, lindex).flags(READONLY).acl(L).keys(1, 1, 1, "RO access")
        .doc(G, "1.0.0", "Get an element from a list by its index", "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1)."),
    Command::new("lrange", 4, lrange).flags(READONLY).acl(L).keys(1, 1, 1, "RO access")
        .doc(G, "1.0.0", "Get a range of elements from a list", "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range."),
    Command::new("lpos", -3, lpos).flags(READONLY).acl(L).keys(1, 1, 1, "RO access")
        .doc(G, "6.0.6", "Return the index of matching elements on a list", "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time."),
    Command::new("lset", 4, lset).flags(WRITE | DENYOOM).acl(L).keys(1, 1, 1, "RW update")
        .doc(G, "1.0.0", "Set the value of an element in a list by its index", "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1)."),
    Command::new("linsert", 5, linsert).flags(WRITE | DENYOOM).acl(L).keys(1, 1, 1, "RW insert")
        .doc(G, "2.2.0", "Insert an element before or after another element in a list", "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N)."),
    Command::new("lrem", 4, lrem).flags(WRITE).acl(L).keys(1, 1, 1, "RW delete")
        .doc(G, "1.0.0", "Remove elements from a list", "O(N+M) where N is the length of the list and M is the number of elements removed."),
    Command::new("ltrim", 4, ltrim).flags(WRITE).acl(L).keys(1, 1, 1, "RW delete")
        .doc(G, "1.0.0", "Trim a list to the specified range", "O(N) where N is the number of elements to be removed by the operation."),
    Command::new("lmove", 5, lmove).flags(WRITE | DENYOOM).acl(L).keys(1, 2, 1, "")
        .key_specs(MOVE_SPECS)
        .doc(G, "6.2.0", "Pop an element from a list, push it to another list and return it", "O(1)"),
    Command::new("rpoplpush", 3, rpoplpush).flags(WRITE | DENYOOM).acl(L).keys(1, 2, 1, "")
        .key_specs(MOVE_SPECS)
        .doc(G, "1.2.0", "Remove the last element in a list, prepend it to another list and return it", "O(1)"),
];
