//! String commands: SET and friends, counters, ranges, MGET/MSET, LCS.

use super::{acl, as_string, flag::*, notify, Command, Ctx, KeySpec, Part};
use crate::error::{err, CmdError, CmdResult};
use crate::keyspace::{Value, NO_EXPIRE};
use crate::types::lcs;
use crate::util::num;

fn string_too_long(ctx: &Ctx, len: u64) -> CmdResult {
    if len > ctx.core.config.proto_max_bulk_len {
        return err("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    }
    Ok(())
}

/// How a command sets a key's deadline.
#[derive(Clone, Copy, PartialEq)]
enum Ttl {
    /// Leave as the command's default (SET clears it).
    Unset,
    Keep,
    Persist,
    /// Absolute deadline in ms.
    At(i64),
}

/// Options shared by SET and GETEX (Redis's parseExtendedStringArgumentsOrReply).
struct SetOptions {
    nx: bool,
    xx: bool,
    get: bool,
    ttl: Ttl,
}

#[derive(PartialEq)]
enum OptsFor {
    Set,
    GetEx,
}

fn parse_set_options(ctx: &Ctx, from: usize, which: OptsFor) -> Result<SetOptions, CmdError> {
    let mut o = SetOptions {
        nx: false,
        xx: false,
        get: false,
        ttl: Ttl::Unset,
    };
    // As in Redis, repeating the same expire option is allowed (the last wins);
    // mixing different ones, or with KEEPTTL/PERSIST, is a syntax error.
    let mut expire: Option<(usize, &str)> = None;
    let mut keepttl = false;
    let mut persist = false;
    let mut j = from;
    while j < ctx.argc() {
        let a = ctx.arg(j);
        let has_next = j + 1 < ctx.argc();
        let is = |w: &str| a.eq_ignore_ascii_case(w.as_bytes());
        let set = which == OptsFor::Set;
        let unit = ["ex", "px", "exat", "pxat"].into_iter().find(|u| is(u));
        if set && is("nx") && !o.xx {
            o.nx = true;
        } else if set && is("xx") && !o.nx {
            o.xx = true;
        } else if set && is("get") {
            o.get = true;
        } else if set && is("keepttl") && expire.is_none() {
            keepttl = true;
        } else if !set && is("persist") && expire.is_none() {
            persist = true;
        } else if let Some(unit) = unit.filter(|u| {
            has_next && !keepttl && !persist && expire.is_none_or(|(_, prev)| prev == *u)
        }) {
            expire = Some((j + 1, unit));
            j += 1;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    if keepttl {
        o.ttl = Ttl::Keep;
    }
    if persist {
        o.ttl = Ttl::Persist;
    }
    if let Some((i, unit)) = expire {
        let name = if which == OptsFor::Set {
            "set"
        } else {
            "getex"
        };
        o.ttl = Ttl::At(expire_arg_to_deadline(ctx, i, unit, name)?);
    }
    Ok(o)
}

/// Parses a SET/GETEX/SETEX expire argument into an absolute ms deadline, with Redis's
/// checks and messages.
fn expire_arg_to_deadline(ctx: &Ctx, i: usize, unit: &str, name: &str) -> Result<i64, CmdError> {
    let v = ctx.parse_i64(i)?;
    let seconds = unit == "ex" || unit == "exat";
    let invalid = || CmdError::msg(format!("ERR invalid expire time in '{name}' command"));
    if v <= 0 || (seconds && v > i64::MAX / 1000) {
        return Err(invalid());
    }
    let ms = if seconds { v * 1000 } else { v };
    if unit == "ex" || unit == "px" {
        if ms > i64::MAX - ctx.now() {
            return Err(invalid());
        }
        Ok(ms + ctx.now())
    } else {
        Ok(ms)
    }
}

/// SET key value [NX|XX] [GET] [EX s|PX ms|EXAT ts|PXAT ms-ts|KEEPTTL]
fn set(ctx: &mut Ctx) -> CmdResult {
    let o = parse_set_options(ctx, 3, OptsFor::Set)?;
    set_generic(ctx, o.nx, o.xx, o.get, o.ttl)?;
    if !ctx.propagating() {
        return Ok(());
    }
    if let Ttl::At(at) = o.ttl {
        // Any deadline is recorded as the absolute PXAT it became (as Redis does,
        // even for PXAT itself, dropping NX/XX/GET).
        propagate_set_pxat(ctx, 2, at);
    } else if o.get {
        // GET only changes the reply: recorded without it, the rest as sent.
        let parts: Vec<Part> = (0..ctx.argc())
            .filter(|&i| i < 3 || !ctx.is(i, "get"))
            .map(Part::Arg)
            .collect();
        ctx.propagate_as(&parts);
    }
    Ok(())
}

/// Records the command as `SET key value PXAT ms`, the value being argument `value_arg`.
fn propagate_set_pxat(ctx: &mut Ctx, value_arg: usize, at: i64) {
    if ctx.propagating() {
        let ms = at.to_string();
        ctx.propagate_as(&[
            Part::New(b"SET"),
            Part::Arg(1),
            Part::Arg(value_arg),
            Part::New(b"PXAT"),
            Part::New(ms.as_bytes()),
        ]);
    }
}

fn set_generic(ctx: &mut Ctx, nx: bool, xx: bool, get: bool, ttl: Ttl) -> CmdResult {
    let slot = ctx.lookup_write(1);
    let old_ttl = slot
        .and_then(|s| ctx.db().slot(s))
        .map(|s| s.value.expire_at)
        .unwrap_or(NO_EXPIRE);
    if get {
        match slot {
            Some(s) => {
                let e = ctx.db().entry_at(s).ok_or(CmdError::NoSuchKey)?;
                let old = as_string(&e.value)?.into_owned();
                ctx.out().bulk(&old);
            }
            None => {
                let Ctx { core, client, argv } = &mut *ctx;
                core.key_miss(client.db, &argv[1]);
                ctx.out().null();
            }
        }
    }
    if (nx && slot.is_some()) || (xx && slot.is_none()) {
        if !get {
            ctx.out().null();
        }
        return Ok(());
    }
    let value = Value::string(ctx.take_arg(2));
    let deadline = match ttl {
        Ttl::At(at) => at,
        Ttl::Keep => old_ttl,
        Ttl::Unset | Ttl::Persist => NO_EXPIRE,
    };
    let clock = ctx.core.lru_clock();
    let key = ctx.take_arg(1);
    ctx.db().set(&key, value, deadline, clock);
    ctx.dirty(1);
    ctx.notify_key(notify::STRING, "set", &key);
    if matches!(ttl, Ttl::At(_)) {
        ctx.notify_key(notify::GENERIC, "expire", &key);
    }
    if !get {
        ctx.out().ok();
    }
    Ok(())
}

fn setnx(ctx: &mut Ctx) -> CmdResult {
    if ctx.lookup_write(1).is_some() {
        ctx.out().int(0);
        return Ok(());
    }
    set_generic_silent(ctx, NO_EXPIRE);
    ctx.out().int(1);
    Ok(())
}

fn set_generic_silent(ctx: &mut Ctx, deadline: i64) {
    // Applies lazy expiry first (an expired key is deleted, then created anew).
    ctx.lookup_write(1);
    let value = Value::string(ctx.take_arg(2));
    let key = ctx.take_arg(1);
    let clock = ctx.core.lru_clock();
    ctx.db().set(&key, value, deadline, clock);
    ctx.dirty(1);
    ctx.notify_key(notify::STRING, "set", &key);
    if deadline != NO_EXPIRE {
        ctx.notify_key(notify::GENERIC, "expire", &key);
    }
}

/// SETEX key seconds value / PSETEX key ms value
fn setex_generic(ctx: &mut Ctx, unit: &str, name: &str) -> CmdResult {
    let deadline = expire_arg_to_deadline(ctx, 2, unit, name)?;
    let value = ctx.take_arg(3);
    ctx.argv[2] = value;
    set_generic_silent(ctx, deadline);
    propagate_set_pxat(ctx, 3, deadline);
    ctx.out().ok();
    Ok(())
}

fn setex(ctx: &mut Ctx) -> CmdResult {
    setex_generic(ctx, "ex", "setex")
}

fn psetex(ctx: &mut Ctx) -> CmdResult {
    setex_generic(ctx, "px", "psetex")
}

fn get(ctx: &mut Ctx) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    match core.lookup_read(client.db, &argv[1]) {
        None => client.out.null(),
        Some(e) => match &e.value {
            Value::Str(s) | Value::Raw(s) => client.out.bulk(s),
            Value::Int(n) => client.out.bulk_int(*n),
            _ => return Err(CmdError::WrongType),
        },
    }
    Ok(())
}

fn getdel(ctx: &mut Ctx) -> CmdResult {
    let Some(e) = ctx.lookup_read(1) else {
        ctx.out().null();
        return Ok(());
    };
    let v = as_string(&e.value)?.into_owned();
    ctx.notify(notify::GENERIC, "del", 1);
    let key = ctx.take_arg(1);
    ctx.db().remove(&key);
    ctx.dirty(1);
    let verb: &[u8] = if ctx.core.config.lazyfree_lazy_user_del {
        b"UNLINK"
    } else {
        b"DEL"
    };
    ctx.propagate_as(&[Part::New(verb), Part::Arg(1)]);
    ctx.out().bulk(&v);
    Ok(())
}

/// GETEX key [EX s|PX ms|EXAT ts|PXAT ms-ts|PERSIST]
fn getex(ctx: &mut Ctx) -> CmdResult {
    let o = parse_set_options(ctx, 2, OptsFor::GetEx)?;
    let now = ctx.now();
    let Some(e) = ctx.lookup_read(1) else {
        ctx.out().null();
        return Ok(());
    };
    let v = as_string(&e.value)?.into_owned();
    let key = ctx.take_arg(1);
    match o.ttl {
        Ttl::At(at) if at <= now && !ctx.db().expiry_paused => {
            ctx.db().remove(&key);
            ctx.dirty(1);
            ctx.notify_key(notify::GENERIC, "del", &key);
            let verb: &[u8] = if ctx.core.config.lazyfree_lazy_expire {
                b"UNLINK"
            } else {
                b"DEL"
            };
            ctx.propagate_as(&[Part::New(verb), Part::Arg(1)]);
        }
        Ttl::At(at) => {
            if let Some(slot) = ctx.db().lookup(&key, now) {
                ctx.db().set_expire(slot, at);
                ctx.dirty(1);
                ctx.notify_key(notify::GENERIC, "expire", &key);
                let ms = at.to_string();
                ctx.propagate_as(&[
                    Part::New(b"PEXPIREAT"),
                    Part::Arg(1),
                    Part::New(ms.as_bytes()),
                ]);
            }
        }
        Ttl::Persist => {
            if let Some(slot) = ctx.db().lookup(&key, now) {
                if ctx.db().slot(slot).is_some_and(|s| s.value.has_ttl()) {
                    ctx.db().set_expire(slot, NO_EXPIRE);
                    ctx.dirty(1);
                    ctx.notify_key(notify::GENERIC, "persist", &key);
                    ctx.propagate_as(&[Part::New(b"PERSIST"), Part::Arg(1)]);
                }
            }
        }
        Ttl::Unset | Ttl::Keep => {}
    }
    ctx.out().bulk(&v);
    Ok(())
}

fn getset(ctx: &mut Ctx) -> CmdResult {
    set_generic(ctx, false, false, true, Ttl::Unset)?;
    ctx.propagate_as(&[Part::New(b"SET"), Part::Arg(1), Part::Arg(2)]);
    Ok(())
}

fn strlen(ctx: &mut Ctx) -> CmdResult {
    let len = match ctx.lookup_read(1) {
        None => 0,
        Some(e) => {
            if !e.value.is_string() {
                return Err(CmdError::WrongType);
            }
            e.value.string_len()
        }
    };
    ctx.out().int(len as i64);
    Ok(())
}

fn append(ctx: &mut Ctx) -> CmdResult {
    let now = ctx.now();
    let key = ctx.take_arg(1);
    let db_idx = ctx.client.db;
    let slot = ctx.core.dbs[db_idx].lookup(&key, now);
    let len = match slot {
        None => {
            // A new key stores the argument as SET would (int or embstr encoding).
            let v = ctx.take_arg(2);
            let len = v.len();
            let clock = ctx.core.lru_clock();
            ctx.db().add(key.clone().into(), Value::string(v), clock);
            len
        }
        Some(slot) => {
            let cur_len = {
                let e = ctx.db().entry_at(slot).ok_or(CmdError::NoSuchKey)?;
                if !e.value.is_string() {
                    return Err(CmdError::WrongType);
                }
                e.value.string_len()
            };
            string_too_long(ctx, (cur_len + ctx.arg(2).len()) as u64)?;
            let extra = ctx.take_arg(2);
            let e = ctx.db().entry_at(slot).ok_or(CmdError::NoSuchKey)?;
            let raw = e.value.make_raw().ok_or(CmdError::WrongType)?;
            raw.extend_from_slice(&extra);
            raw.len()
        }
    };
    ctx.dirty(1);
    ctx.notify_key(notify::STRING, "append", &key);
    ctx.out().int(len as i64);
    Ok(())
}

/// INCR/DECR/INCRBY/DECRBY: adds `by` to the integer value of the key.
fn incr_by(ctx: &mut Ctx, by: i64) -> CmdResult {
    let now = ctx.now();
    let key = ctx.take_arg(1);
    let db = ctx.db();
    let result = match db.lookup(&key, now) {
        Some(slot) => {
            let e = db.entry_at(slot).ok_or(CmdError::NoSuchKey)?;
            let cur = match &e.value {
                Value::Int(n) => *n,
                Value::Str(s) | Value::Raw(s) => num::parse_i64(s).ok_or(CmdError::NotInteger)?,
                _ => return Err(CmdError::WrongType),
            };
            let new = cur
                .checked_add(by)
                .ok_or_else(|| CmdError::msg("ERR increment or decrement would overflow"))?;
            e.value = Value::Int(new);
            new
        }
        None => {
            let clock = ctx.core.lru_clock();
            ctx.db().add(key.clone().into(), Value::Int(by), clock);
            by
        }
    };
    ctx.dirty(1);
    ctx.notify_key(notify::STRING, "incrby", &key);
    ctx.out().int(result);
    Ok(())
}

fn incr(ctx: &mut Ctx) -> CmdResult {
    incr_by(ctx, 1)
}

fn decr(ctx: &mut Ctx) -> CmdResult {
    incr_by(ctx, -1)
}

fn incrby(ctx: &mut Ctx) -> CmdResult {
    let by = ctx.parse_i64(2)?;
    incr_by(ctx, by)
}

fn decrby(ctx: &mut Ctx) -> CmdResult {
    let by = ctx.parse_i64(2)?;
    if by == i64::MIN {
        return err("ERR decrement would overflow");
    }
    incr_by(ctx, -by)
}

fn incrbyfloat(ctx: &mut Ctx) -> CmdResult {
    let now = ctx.now();
    let key = ctx.take_arg(1);
    let slot = ctx.db().lookup(&key, now);
    let current = match slot.and_then(|s| ctx.db().entry_at(s)) {
        Some(e) => Some(as_string(&e.value)?.into_owned()),
        None => None,
    };
    let text = num::incrbyfloat(current.as_deref(), ctx.arg(2))
        .map_err(|e| CmdError::msg(e.message()))?
        .into_bytes();
    match slot {
        Some(slot) => {
            if let Some(e) = ctx.db().entry_at(slot) {
                e.value = Value::Str(text.clone());
            }
        }
        None => {
            let clock = ctx.core.lru_clock();
            ctx.db()
                .add(key.clone().into(), Value::Str(text.clone()), clock);
        }
    }
    ctx.dirty(1);
    ctx.notify_key(notify::STRING, "incrbyfloat", &key);
    // Float arithmetic may differ between machines: the result is recorded.
    ctx.propagate_as(&[
        Part::New(b"SET"),
        Part::Arg(1),
        Part::New(&text),
        Part::New(b"KEEPTTL"),
    ]);
    ctx.out().bulk(&text);
    Ok(())
}

/// Clamps Redis-style (start, end) indexes into a string of `len` bytes; None = empty.
fn string_range(mut start: i64, mut end: i64, len: i64) -> Option<(usize, usize)> {
    if start < 0 && end < 0 && start > end {
        return None;
    }
    if start < 0 {
        start += len;
    }
    if end < 0 {
        end += len;
    }
    start = start.max(0);
    end = end.max(0);
    if end >= len {
        end = len - 1;
    }
    if start > end || len == 0 {
        return None;
    }
    Some((start as usize, end as usize))
}

fn getrange(ctx: &mut Ctx) -> CmdResult {
    let start = ctx.parse_i64(2)?;
    let end = ctx.parse_i64(3)?;
    let Some(e) = ctx.lookup_read(1) else {
        ctx.out().bulk(b"");
        return Ok(());
    };
    let s = as_string(&e.value)?.into_owned();
    match string_range(start, end, s.len() as i64) {
        Some((a, b)) => ctx.out().bulk(&s[a..=b]),
        None => ctx.out().bulk(b""),
    }
    Ok(())
}

fn setrange(ctx: &mut Ctx) -> CmdResult {
    let offset = ctx.parse_i64(2)?;
    if offset < 0 {
        return err("ERR offset is out of range");
    }
    let offset = offset as usize;
    let now = ctx.now();
    let key = ctx.take_arg(1);
    let slot = ctx.db().lookup(&key, now);
    let value = ctx.take_arg(3);
    let len = match slot {
        None => {
            if value.is_empty() {
                ctx.out().int(0);
                return Ok(());
            }
            string_too_long(ctx, (offset + value.len()) as u64)?;
            let mut v = vec![0u8; offset + value.len()];
            v[offset..].copy_from_slice(&value);
            let len = v.len();
            let clock = ctx.core.lru_clock();
            ctx.db().add(key.clone().into(), Value::Raw(v), clock);
            len
        }
        Some(slot) => {
            let cur_len = {
                let e = ctx.db().entry_at(slot).ok_or(CmdError::NoSuchKey)?;
                if !e.value.is_string() {
                    return Err(CmdError::WrongType);
                }
                e.value.string_len()
            };
            if value.is_empty() {
                ctx.out().int(cur_len as i64);
                return Ok(());
            }
            string_too_long(ctx, (offset + value.len()) as u64)?;
            let e = ctx.db().entry_at(slot).ok_or(CmdError::NoSuchKey)?;
            let raw = e.value.make_raw().ok_or(CmdError::WrongType)?;
            if raw.len() < offset + value.len() {
                raw.resize(offset + value.len(), 0);
            }
            raw[offset..offset + value.len()].copy_from_slice(&value);
            raw.len()
        }
    };
    ctx.dirty(1);
    ctx.notify_key(notify::STRING, "setrange", &key);
    ctx.out().int(len as i64);
    Ok(())
}

fn mget(ctx: &mut Ctx) -> CmdResult {
    let n = ctx.argc() - 1;
    ctx.out().array(n);
    for i in 1..=n {
        match ctx.lookup_read(i) {
            Some(e) => match e.value.string_bytes() {
                Some(s) => {
                    let s = s.into_owned();
                    ctx.out().bulk(&s);
                }
                None => ctx.out().null(),
            },
            None => ctx.out().null(),
        }
    }
    Ok(())
}

fn mset_generic(ctx: &mut Ctx, nx: bool) -> CmdResult {
    if ctx.argc().is_multiple_of(2) {
        let name = if nx { "msetnx" } else { "mset" };
        return Err(CmdError::Arity(name.into()));
    }
    let now = ctx.now();
    if nx {
        let any = (1..ctx.argc()).step_by(2).any(|i| {
            let key = ctx.argv[i].clone();
            ctx.core.dbs[ctx.client.db].exists(&key, now)
        });
        if any {
            ctx.out().int(0);
            return Ok(());
        }
    }
    let clock = ctx.core.lru_clock();
    for i in (1..ctx.argc()).step_by(2) {
        ctx.lookup_write(i);
        let key = ctx.take_arg(i);
        let value = Value::string(ctx.take_arg(i + 1));
        ctx.db().set(&key, value, NO_EXPIRE, clock);
        ctx.notify_key(notify::STRING, "set", &key);
    }
    ctx.dirty(((ctx.argc() - 1) / 2) as u64);
    if nx {
        ctx.out().int(1);
    } else {
        ctx.out().ok();
    }
    Ok(())
}

fn mset(ctx: &mut Ctx) -> CmdResult {
    mset_generic(ctx, false)
}

fn msetnx(ctx: &mut Ctx) -> CmdResult {
    mset_generic(ctx, true)
}

/// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN]
fn lcs_cmd(ctx: &mut Ctx) -> CmdResult {
    let (mut want_len, mut want_idx, mut with_match_len) = (false, false, false);
    let mut min_match_len: i64 = 0;
    let mut j = 3;
    while j < ctx.argc() {
        if ctx.is(j, "idx") {
            want_idx = true;
        } else if ctx.is(j, "len") {
            want_len = true;
        } else if ctx.is(j, "withmatchlen") {
            with_match_len = true;
        } else if ctx.is(j, "minmatchlen") && j + 1 < ctx.argc() {
            min_match_len = ctx.parse_i64(j + 1)?.max(0);
            j += 1;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    let fetch = |ctx: &mut Ctx, i: usize| -> Result<Vec<u8>, CmdError> {
        match ctx.lookup_read(i) {
            None => Ok(Vec::new()),
            Some(e) => e
                .value
                .string_bytes()
                .map(|s| s.into_owned())
                .ok_or_else(|| CmdError::msg("ERR The specified keys must contain string values")),
        }
    };
    let a = fetch(ctx, 1)?;
    let b = fetch(ctx, 2)?;
    if want_len && want_idx {
        return err("ERR If you want both the length and indexes, please just use IDX.");
    }
    let budget = ctx.core.config.proto_max_bulk_len;
    let result = lcs::lcs(&a, &b, min_match_len, budget).map_err(|e| CmdError::msg(e.message()))?;
    if want_idx {
        let matches = &result.matches;
        let out = ctx.out();
        out.map(2);
        out.bulk(b"matches");
        out.array(matches.len());
        for m in matches {
            out.array(if with_match_len { 3 } else { 2 });
            out.array(2);
            out.int(m.a.0 as i64);
            out.int(m.a.1 as i64);
            out.array(2);
            out.int(m.b.0 as i64);
            out.int(m.b.1 as i64);
            if with_match_len {
                out.int(m.len as i64);
            }
        }
        out.bulk(b"len");
        out.int(result.len as i64);
    } else if want_len {
        ctx.out().int(result.len as i64);
    } else {
        ctx.out().bulk(&result.string);
    }
    Ok(())
}

const W: u32 = WRITE | DENYOOM;
const S: u32 = acl::STRING;

pub const COMMANDS: &[Command] = &[
    Command::new("get", 2, get)
        .flags(READONLY | FAST)
        .acl(S)
        .keys(1, 1, 1, "RO ACCESS")
        .doc("string", "1.0.0", "Get the value of a key", "O(1)"),
    Command::new("set", -3, set)
        .flags(W)
        .acl(S)
        .keys(1, 1, 1, "RW ACCESS UPDATE VARIABLE_FLAGS")
        .key_specs(&[KeySpec::new(1, 0, 1, "RW access update variable_flags")
            .notes("RW and ACCESS due to the optional `GET` argument")])
        .doc("string", "1.0.0", "Set the string value of a key", "O(1)"),
    Command::new("setnx", 3, setnx)
        .flags(W | FAST)
        .acl(S)
        .keys(1, 1, 1, "OW INSERT")
        .doc(
            "string",
            "1.0.0",
            "Set the value of a key, only if the key does not exist",
            "O(1)",
        ),
    Command::new("setex", 4, setex)
        .flags(W)
        .acl(S)
        .keys(1, 1, 1, "OW UPDATE")
        .doc(
            "string",
            "2.0.0",
            "Set the value and expiration of a key",
            "O(1)",
        ),
    Command::new("psetex", 4, psetex)
        .flags(W)
        .acl(S)
        .keys(1, 1, 1, "OW UPDATE")
        .doc(
            "string",
            "2.6.0",
            "Set the value and expiration in milliseconds of a key",
            "O(1)",
        ),
    Command::new("getdel", 2, getdel)
        .flags(WRITE | FAST)
        .acl(S)
        .keys(1, 1, 1, "RW ACCESS DELETE")
        .doc(
            "string",
            "6.2.0",
            "Get the value of a key and delete the key",
            "O(1)",
        ),
    Command::new("getex", -2, getex)
        .flags(WRITE | FAST)
        .acl(S)
        .keys(1, 1, 1, "RW ACCESS UPDATE")
        .key_specs(&[KeySpec::new(1, 0, 1, "RW access update")
            .notes("RW and UPDATE because it changes the TTL")])
        .doc(
            "string",
            "6.2.0",
            "Get the value of a key and optionally set its expiration",
            "O(1)",
        ),
    Command::new("getset", 3, getset)
        .flags(W | FAST)
        .acl(S)
        .keys(1, 1, 1, "RW ACCESS UPDATE")
        .doc(
            "string",
            "1.0.0",
            "Set the string value of a key and return its old value",
            "O(1)",
        ),
    Command::new("strlen", 2, strlen)
        .flags(READONLY | FAST)
        .acl(S)
        .keys(1, 1, 1, "RO")
        .doc(
            "string",
            "2.2.0",
            "Get the length of the value stored in a key",
            "O(1)",
        ),
    Command::new("append", 3, append)
        .flags(W | FAST)
        .acl(S)
        .keys(1, 1, 1, "RW INSERT")
        .doc("string", "2.0.0", "Append a value to a key", "O(1)"),
    Command::new("incr", 2, incr)
        .flags(W | FAST)
        .acl(S)
        .keys(1, 1, 1, "RW ACCESS UPDATE")
        .doc(
            "string",
            "1.0.0",
            "Increment the integer value of a key by one",
            "O(1)",
        ),
    Command::new("decr", 2, decr)
        .flags(W | FAST)
        .acl(S)
        .keys(1, 1, 1, "RW ACCESS UPDATE")
        .doc(
            "string",
            "1.0.0",
            "Decrement the integer value of a key by one",
            "O(1)",
        ),
    Command::new("incrby", 3, incrby)
        .flags(W | FAST)
        .acl(S)
        .keys(1, 1, 1, "RW ACCESS UPDATE")
        .doc(
            "string",
            "1.0.0",
            "Increment the integer value of a key by the given amount",
            "O(1)",
        ),
    Command::new("decrby", 3, decrby)
        .flags(W | FAST)
        .acl(S)
        .keys(1, 1, 1, "RW ACCESS UPDATE")
        .doc(
            "string",
            "1.0.0",
            "Decrement the integer value of a key by the given number",
            "O(1)",
        ),
    Command::new("incrbyfloat", 3, incrbyfloat)
        .flags(W | FAST)
        .acl(S)
        .keys(1, 1, 1, "RW ACCESS UPDATE")
        .doc(
            "string",
            "2.6.0",
            "Increment the float value of a key by the given amount",
            "O(1)",
        ),
    Command::new("getrange", 4, getrange)
        .flags(READONLY)
        .acl(S)
        .keys(1, 1, 1, "RO ACCESS")
        .doc(
            "string",
            "2.4.0",
            "Get a substring of the string stored at a key",
            "O(N) where N is the length of the returned string.",
        ),
    Command::new("substr", 4, getrange)
        .flags(READONLY)
        .acl(S)
        .keys(1, 1, 1, "RO ACCESS")
        .doc(
            "string",
            "1.0.0",
            "Get a substring of the string stored at a key",
            "O(N) where N is the length of the returned string.",
        ),
    Command::new("setrange", 4, setrange)
        .flags(W)
        .acl(S)
        .keys(1, 1, 1, "RW UPDATE")
        .doc(
            "string",
            "2.2.0",
            "Overwrite part of a string at key starting at the specified offset",
            "O(1)",
        ),
    Command::new("mget", -2, mget)
        .tips(&["request_policy:multi_shard"])
        .flags(READONLY | FAST)
        .acl(S)
        .keys(1, -1, 1, "RO ACCESS")
        .doc(
            "string",
            "1.0.0",
            "Get the values of all the given keys",
            "O(N) where N is the number of keys to retrieve.",
        ),
    Command::new("mset", -3, mset)
        .tips(&[
            "request_policy:multi_shard",
            "response_policy:all_succeeded",
        ])
        .flags(W)
        .acl(S)
        .keys(1, -1, 2, "OW UPDATE")
        .doc(
            "string",
            "1.0.1",
            "Set multiple keys to multiple values",
            "O(N) where N is the number of keys to set.",
        ),
    Command::new("msetnx", -3, msetnx)
        .tips(&["request_policy:multi_shard", "response_policy:agg_min"])
        .flags(W)
        .acl(S)
        .keys(1, -1, 2, "OW INSERT")
        .doc(
            "string",
            "1.0.1",
            "Set multiple keys to multiple values, only if none of the keys exist",
            "O(N) where N is the number of keys to set.",
        ),
    Command::new("lcs", -3, lcs_cmd)
        .flags(READONLY)
        .acl(S)
        .keys(1, 2, 1, "RO ACCESS")
        .doc(
            "string",
            "7.0.0",
            "Find longest common substring",
            "O(N*M) where N and M are the lengths of s1 and s2, respectively",
        ),
];
