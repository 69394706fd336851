//! Generic key commands: DEL, EXISTS, TTLs, KEYS/SCAN, RENAME, MOVE, COPY, OBJECT,
//! and the database-level SELECT, SWAPDB, DBSIZE and FLUSH commands.

use super::{acl, flag::*, notify, Command, Ctx, KeySpec, Part};
use crate::error::{err, lossy, CmdError, CmdResult};
use crate::keyspace::{Entry, NO_EXPIRE};
use crate::persistence::{rdb, snapshot};
use crate::server::lazyfree;
use crate::util::glob::string_match;
use crate::util::num;

fn free_entry(e: Entry, lazy: bool) {
    let bytes = e.value.heap_bytes();
    crate::keyspace::db::dispose(e, bytes, lazy);
}

fn del_generic(ctx: &mut Ctx, lazy: bool) -> CmdResult {
    let now = ctx.now();
    let mut deleted = 0;
    for i in 1..ctx.argc() {
        let key = ctx.take_arg(i);
        let db = ctx.db();
        if db.lookup(&key, now).is_some() {
            if let Some(e) = db.remove(&key) {
                free_entry(e, lazy);
                deleted += 1;
                ctx.notify_key(notify::GENERIC, "del", &key);
                ctx.modified(&key);
            }
        }
    }
    ctx.dirty(deleted as u64);
    ctx.out().int(deleted);
    Ok(())
}

fn del(ctx: &mut Ctx) -> CmdResult {
    let lazy = ctx.core.config.lazyfree_lazy_user_del;
    del_generic(ctx, lazy)
}

fn unlink(ctx: &mut Ctx) -> CmdResult {
    del_generic(ctx, true)
}

fn exists(ctx: &mut Ctx) -> CmdResult {
    let now = ctx.now();
    let mut n = 0;
    for i in 1..ctx.argc() {
        let key = std::mem::take(&mut ctx.argv[i]);
        if ctx.db().exists(&key, now) {
            n += 1;
        } else {
            ctx.core.key_miss(ctx.client.db, &key);
        }
        ctx.argv[i] = key;
    }
    ctx.out().int(n);
    Ok(())
}

fn touch(ctx: &mut Ctx) -> CmdResult {
    let mut n = 0;
    for i in 1..ctx.argc() {
        if ctx.lookup_read(i).is_some() {
            n += 1;
        }
    }
    ctx.out().int(n);
    Ok(())
}

fn type_cmd(ctx: &mut Ctx) -> CmdResult {
    let now = ctx.now();
    let key = ctx.take_arg(1);
    let name = match ctx.db().get(&key, now) {
        Some(e) => e.value.type_name(),
        None => {
            ctx.core.key_miss(ctx.client.db, &key);
            "none"
        }
    };
    ctx.out().status(name);
    Ok(())
}

/// EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT key time [NX|XX|GT|LT]
fn expire_generic(ctx: &mut Ctx, relative: bool, seconds: bool) -> CmdResult {
    let (mut nx, mut xx, mut gt, mut lt) = (false, false, false, false);
    for j in 3..ctx.argc() {
        if ctx.is(j, "nx") {
            nx = true;
        } else if ctx.is(j, "xx") {
            xx = true;
        } else if ctx.is(j, "gt") {
            gt = true;
        } else if ctx.is(j, "lt") {
            lt = true;
        } else {
            return err(format!("ERR Unsupported option {}", lossy(ctx.arg(j))));
        }
    }
    if nx && (xx || gt || lt) {
        return err("ERR NX and XX, GT or LT options at the same time are not compatible");
    }
    if gt && lt {
        return err("ERR GT and LT options at the same time are not compatible");
    }
    let mut when = ctx.parse_i64(2)?;
    // The command's name is only needed for this rare error: build it then.
    let invalid = || {
        let name = String::from_utf8_lossy(ctx.arg(0)).to_ascii_lowercase();
        CmdError::msg(format!("ERR invalid expire time in '{name}' command"))
    };
    if seconds {
        if !(i64::MIN / 1000..=i64::MAX / 1000).contains(&when) {
            return Err(invalid());
        }
        when *= 1000;
    }
    let base = if relative { ctx.now() } else { 0 };
    if when > i64::MAX - base {
        return Err(invalid());
    }
    when += base;
    let Some(slot) = ctx.lookup_write(1) else {
        ctx.out().int(0);
        return Ok(());
    };
    let current = ctx
        .db()
        .slot(slot)
        .map(|s| s.value.expire_at)
        .unwrap_or(NO_EXPIRE);
    let has = current != NO_EXPIRE;
    if (nx && has)
        || (xx && !has)
        || (gt && (!has || when <= current))
        || (lt && has && when >= current)
    {
        ctx.out().int(0);
        return Ok(());
    }
    // (While an AOF is replayed, a deadline in the past is kept as it is.)
    if when <= ctx.now() && !ctx.db().expiry_paused {
        let e = ctx.db().remove_slot(slot);
        let lazy = ctx.core.config.lazyfree_lazy_expire;
        if let Some(e) = e {
            free_entry(e, lazy);
        }
        ctx.notify(notify::GENERIC, "del", 1);
        let verb: &[u8] = if lazy { b"UNLINK" } else { b"DEL" };
        ctx.propagate_as(&[Part::New(verb), Part::Arg(1)]);
    } else {
        ctx.db().set_expire(slot, when);
        ctx.notify(notify::GENERIC, "expire", 1);
        // Recorded as the absolute deadline (PEXPIREAT itself as sent).
        if relative || seconds {
            // The NX/XX/GT/LT flag is kept as typed.
            let ms = when.to_string();
            let mut parts = vec![
                Part::New(b"PEXPIREAT"),
                Part::Arg(1),
                Part::New(ms.as_bytes()),
            ];
            parts.extend((3..ctx.argc()).map(Part::Arg));
            ctx.propagate_as(&parts);
        }
    }
    ctx.dirty(1);
    ctx.out().int(1);
    Ok(())
}

fn expire(ctx: &mut Ctx) -> CmdResult {
    expire_generic(ctx, true, true)
}
fn pexpire(ctx: &mut Ctx) -> CmdResult {
    expire_generic(ctx, true, false)
}
fn expireat(ctx: &mut Ctx) -> CmdResult {
    expire_generic(ctx, false, true)
}
fn pexpireat(ctx: &mut Ctx) -> CmdResult {
    expire_generic(ctx, false, false)
}

/// The key's deadline: Err(-2) if missing, Err(-1) if none.
fn deadline_of(ctx: &mut Ctx) -> Result<i64, i64> {
    match ctx.lookup_read(1) {
        None => Err(-2),
        Some(e) if !e.has_ttl() => Err(-1),
        Some(e) => Ok(e.expire_at),
    }
}

fn ttl_generic(ctx: &mut Ctx, ms: bool, absolute: bool) -> CmdResult {
    let reply = match deadline_of(ctx) {
        Err(code) => code,
        Ok(at) if absolute => {
            if ms {
                at
            } else {
                (at + 500) / 1000
            }
        }
        Ok(at) => {
            let left = (at - ctx.now()).max(0);
            if ms {
                left
            } else {
                (left + 500) / 1000
            }
        }
    };
    ctx.out().int(reply);
    Ok(())
}

fn ttl(ctx: &mut Ctx) -> CmdResult {
    ttl_generic(ctx, false, false)
}
fn pttl(ctx: &mut Ctx) -> CmdResult {
    ttl_generic(ctx, true, false)
}
fn expiretime(ctx: &mut Ctx) -> CmdResult {
    ttl_generic(ctx, false, true)
}
fn pexpiretime(ctx: &mut Ctx) -> CmdResult {
    ttl_generic(ctx, true, true)
}

fn persist(ctx: &mut Ctx) -> CmdResult {
    let Some(slot) = ctx.lookup_write(1) else {
        ctx.out().int(0);
        return Ok(());
    };
    if ctx.db().slot(slot).is_some_and(|s| s.value.has_ttl()) {
        ctx.db().set_expire(slot, NO_EXPIRE);
        ctx.dirty(1);
        ctx.notify(notify::GENERIC, "persist", 1);
        ctx.out().int(1);
    } else {
        ctx.out().int(0);
    }
    Ok(())
}

fn keys(ctx: &mut Ctx) -> CmdResult {
    let now = ctx.now();
    let pattern = ctx.take_arg(1);
    let all = pattern == b"*";
    let db = &ctx.core.dbs[ctx.client.db];
    let found: Vec<&[u8]> = db
        .dict
        .iter()
        .filter(|(_, s)| s.value.expire_at > now)
        .filter(|(_, s)| all || string_match(&pattern, &s.key, false))
        .map(|(_, s)| &*s.key)
        .collect();
    let out = &mut ctx.client.out;
    out.array(found.len());
    for k in found {
        out.bulk(k);
    }
    Ok(())
}

/// Parses a SCAN-family cursor as Redis does with `strtoul`: an unsigned 64-bit
/// number with an optional sign (a leading `-` negates modulo 2^64, so "-1" is
/// the largest cursor; an empty string is 0).
pub fn parse_cursor(arg: &[u8]) -> Result<u64, CmdError> {
    if arg.is_empty() {
        return Ok(0);
    }
    let (negative, digits) = match arg.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, arg),
    };
    std::str::from_utf8(digits)
        .ok()
        .filter(|d| d.bytes().next().is_some_and(|b| b.is_ascii_digit()))
        .and_then(|d| d.parse::<u64>().ok())
        .map(|n| if negative { n.wrapping_neg() } else { n })
        .ok_or_else(|| CmdError::msg("ERR invalid cursor"))
}

/// The options of SCAN, SSCAN, HSCAN and ZSCAN.
pub struct ScanOptions {
    pub count: usize,
    /// None for "match everything" (also for the pattern "*", as Redis short-cuts it).
    pub pattern: Option<Vec<u8>>,
    /// SCAN's TYPE filter, lower-cased.
    pub type_name: Option<Vec<u8>>,
}

/// Parses `[MATCH pattern] [COUNT count]` (and `[TYPE type]` for SCAN) from
/// `argv[from..]`, with Redis's errors.
pub fn parse_scan_options(
    argv: &[Vec<u8>],
    from: usize,
    allow_type: bool,
) -> Result<ScanOptions, CmdError> {
    let mut o = ScanOptions {
        count: 10,
        pattern: None,
        type_name: None,
    };
    let mut j = from;
    while j < argv.len() {
        let word = &argv[j];
        let Some(value) = argv.get(j + 1) else {
            return Err(CmdError::Syntax);
        };
        if word.eq_ignore_ascii_case(b"count") {
            let n = num::parse_i64(value).ok_or(CmdError::NotInteger)?;
            if n < 1 {
                return Err(CmdError::Syntax);
            }
            o.count = usize::try_from(n).unwrap_or(usize::MAX);
        } else if word.eq_ignore_ascii_case(b"match") {
            o.pattern = (value.as_slice() != b"*").then(|| value.clone());
        } else if allow_type && word.eq_ignore_ascii_case(b"type") {
            o.type_name = Some(value.to_ascii_lowercase());
        } else {
            return Err(CmdError::Syntax);
        }
        j += 2;
    }
    Ok(o)
}

/// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
fn scan(ctx: &mut Ctx) -> CmdResult {
    let cursor = parse_cursor(ctx.arg(1))?;
    let ScanOptions {
        count,
        pattern,
        type_name,
    } = parse_scan_options(&ctx.argv, 2, true)?;
    let now = ctx.now();
    let db = &mut ctx.core.dbs[ctx.client.db];
    let mut found: Vec<Vec<u8>> = Vec::new();
    let mut expired: Vec<usize> = Vec::new();
    let next = if cursor as usize as u64 != cursor {
        0
    } else {
        db.dict.scan(cursor as usize, count, |slot, s| {
            if s.value.expire_at <= now {
                expired.push(slot);
                return;
            }
            if let Some(p) = &pattern {
                if !string_match(p, &s.key, false) {
                    return;
                }
            }
            if let Some(t) = &type_name {
                if s.value.value.type_name().as_bytes() != t.as_slice() {
                    return;
                }
            }
            found.push(s.key.to_vec());
        })
    };
    for slot in expired {
        db.expire_slot(slot);
    }
    let out = &mut ctx.client.out;
    out.array(2);
    out.bulk(next.to_string().as_bytes());
    out.array(found.len());
    for k in &found {
        out.bulk(k);
    }
    Ok(())
}

fn randomkey(ctx: &mut Ctx) -> CmdResult {
    let now = ctx.now();
    let db = &mut ctx.core.dbs[ctx.client.db];
    // Expired keys found on the way are deleted; give up after a bounded number of tries
    // (all keys might be expired), as Redis does.
    for _ in 0..100 {
        let Some(slot) = db.dict.random_slot(&mut ctx.core.rng) else {
            break;
        };
        let Some(s) = db.slot(slot) else { break };
        if s.value.expire_at <= now {
            db.expire_slot(slot);
            continue;
        }
        let key = s.key.to_vec();
        ctx.client.out.bulk(&key);
        return Ok(());
    }
    ctx.client.out.null();
    Ok(())
}

fn rename_generic(ctx: &mut Ctx, nx: bool) -> CmdResult {
    let now = ctx.now();
    let src = ctx.take_arg(1);
    let dst = ctx.take_arg(2);
    let db = ctx.db();
    if db.lookup(&src, now).is_none() {
        return Err(CmdError::NoSuchKey);
    }
    if src == dst {
        ctx.out().raw(if nx { b":0\r\n" } else { b"+OK\r\n" });
        return Ok(());
    }
    if nx && db.lookup(&dst, now).is_some() {
        ctx.out().int(0);
        return Ok(());
    }
    let Some(e) = db.remove(&src) else {
        return Err(CmdError::NoSuchKey);
    };
    let old = db.remove(&dst);
    let slot = db.add(dst.clone().into(), e.value, e.access);
    if e.expire_at != NO_EXPIRE {
        db.set_expire(slot, e.expire_at);
    }
    if let Some(old) = old {
        free_entry(old, ctx.core.config.lazyfree_lazy_server_del);
    }
    ctx.dirty(1);
    ctx.notify_key(notify::GENERIC, "rename_from", &src);
    ctx.notify_key(notify::GENERIC, "rename_to", &dst);
    if nx {
        ctx.out().int(1);
    } else {
        ctx.out().ok();
    }
    Ok(())
}

fn rename(ctx: &mut Ctx) -> CmdResult {
    rename_generic(ctx, false)
}
fn renamenx(ctx: &mut Ctx) -> CmdResult {
    rename_generic(ctx, true)
}

/// Parses a 32-bit integer argument as Redis's getIntFromObjectOrReply does.
fn parse_i32(ctx: &Ctx, i: usize) -> Result<i64, CmdError> {
    let n = ctx.parse_i64(i)?;
    if n < i32::MIN as i64 || n > i32::MAX as i64 {
        return err("ERR value is out of range, value must between -2147483648 and 2147483647");
    }
    Ok(n)
}

fn parse_db_index(ctx: &Ctx, i: usize) -> Result<usize, CmdError> {
    let n = parse_i32(ctx, i)?;
    if !ctx.core.db_index_ok(n) {
        return err("ERR DB index is out of range");
    }
    Ok(n as usize)
}

fn move_cmd(ctx: &mut Ctx) -> CmdResult {
    let dst_db = parse_db_index(ctx, 2)?;
    if dst_db == ctx.client.db {
        return err("ERR source and destination objects are the same");
    }
    let now = ctx.now();
    let key = ctx.take_arg(1);
    let src_db = ctx.client.db;
    if ctx.core.dbs[src_db].lookup(&key, now).is_none()
        || ctx.core.dbs[dst_db].lookup(&key, now).is_some()
    {
        ctx.out().int(0);
        return Ok(());
    }
    let Some(e) = ctx.core.dbs[src_db].remove(&key) else {
        ctx.out().int(0);
        return Ok(());
    };
    super::transactions::touch_key(ctx.core, Some(&mut *ctx.client), dst_db, &key);
    // Clients blocked on the key in the other database are woken too (the
    // dispatcher signals the selected database only).
    ctx.core.blocking.signal_key(dst_db, &key);
    let target = &mut ctx.core.dbs[dst_db];
    let slot = target.add(key.clone().into(), e.value, e.access);
    if e.expire_at != NO_EXPIRE {
        target.set_expire(slot, e.expire_at);
    }
    ctx.dirty(1);
    ctx.notify_db(notify::GENERIC, "move_from", &key, src_db);
    ctx.notify_db(notify::GENERIC, "move_to", &key, dst_db);
    ctx.out().int(1);
    Ok(())
}

/// COPY source destination [DB destination-db] [REPLACE]
fn copy(ctx: &mut Ctx) -> CmdResult {
    let mut dst_db = ctx.client.db;
    let mut replace = false;
    let mut j = 3;
    while j < ctx.argc() {
        if ctx.is(j, "replace") {
            replace = true;
        } else if ctx.is(j, "db") && j + 1 < ctx.argc() {
            dst_db = parse_db_index(ctx, j + 1)?;
            j += 1;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    let src = ctx.take_arg(1);
    let dst = ctx.take_arg(2);
    let src_db = ctx.client.db;
    if src_db == dst_db && src == dst {
        return err("ERR source and destination objects are the same");
    }
    let now = ctx.now();
    let Some(slot) = ctx.core.dbs[src_db].lookup(&src, now) else {
        ctx.core.key_miss(src_db, &src);
        ctx.out().int(0);
        return Ok(());
    };
    let (value, expire_at) = match ctx.core.dbs[src_db].slot(slot) {
        Some(s) => (s.value.value.clone(), s.value.expire_at),
        None => {
            ctx.out().int(0);
            return Ok(());
        }
    };
    let target = &mut ctx.core.dbs[dst_db];
    if target.lookup(&dst, now).is_some() {
        if !replace {
            ctx.out().int(0);
            return Ok(());
        }
        target.remove(&dst);
    }
    let clock = ctx.core.lru_clock();
    if dst_db != ctx.client.db {
        super::transactions::touch_key(ctx.core, Some(&mut *ctx.client), dst_db, &dst);
        ctx.core.blocking.signal_key(dst_db, &dst);
    }
    let target = &mut ctx.core.dbs[dst_db];
    target.set(&dst, value, expire_at, clock);
    ctx.dirty(1);
    ctx.notify_db(notify::GENERIC, "copy_to", &dst, dst_db);
    ctx.out().int(1);
    Ok(())
}

fn dump(ctx: &mut Ctx) -> CmdResult {
    let compress = ctx.core.config.rdbcompression;
    match ctx.lookup_read(1) {
        Some(e) => {
            let payload = rdb::encode::dump_payload(&e.value, compress);
            ctx.out().bulk(&payload);
        }
        None => ctx.out().null(),
    }
    Ok(())
}

fn restore(ctx: &mut Ctx) -> CmdResult {
    let (mut replace, mut absttl) = (false, false);
    let mut idle: Option<i64> = None;
    let mut freq: Option<i64> = None;
    let mut j = 4;
    while j < ctx.argc() {
        let more = j + 1 < ctx.argc();
        if ctx.is(j, "replace") {
            replace = true;
        } else if ctx.is(j, "absttl") {
            absttl = true;
        } else if ctx.is(j, "idletime") && more && freq.is_none() {
            let n = ctx.parse_i64(j + 1)?;
            if n < 0 {
                return err("ERR Invalid IDLETIME value, must be >= 0");
            }
            idle = Some(n);
            j += 1;
        } else if ctx.is(j, "freq") && more && idle.is_none() {
            let n = ctx.parse_i64(j + 1)?;
            if !(0..=255).contains(&n) {
                return err("ERR Invalid FREQ value, must be >= 0 and <= 255");
            }
            freq = Some(n);
            j += 1;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    if !replace && ctx.lookup_write(1).is_some() {
        return err("BUSYKEY Target key name already exists.");
    }
    let ttl = ctx.parse_i64(2)?;
    if ttl < 0 {
        return err("ERR Invalid TTL value, must be >= 0");
    }
    if rdb::decode::check_payload(ctx.arg(3)).is_none() {
        return err("ERR DUMP payload version or checksum are wrong");
    }
    // Decoded over the whole payload, footer included, as Redis reads it (a
    // value that runs into the footer is read, not refused).
    let payload = ctx.arg(3);
    let limits = rdb::decode::Limits::from_config(&ctx.core.config);
    let mut d = rdb::decode::Decoder::new(payload, payload.len() as u64);
    let value = match d.u8().and_then(|kind| d.value(kind, &limits)) {
        Ok(v) => v,
        Err(_) => return err("ERR Bad data format"),
    };
    let key = ctx.take_arg(1);
    let mut deleted = false;
    if replace {
        if let Some(old) = ctx.db().remove(&key) {
            free_entry(old, ctx.core.config.lazyfree_lazy_server_del);
            deleted = true;
        }
    }
    let expire_at = match ttl {
        0 => NO_EXPIRE,
        t if absttl => t,
        t => t.saturating_add(ctx.now()),
    };
    if expire_at != NO_EXPIRE && expire_at <= ctx.now() && !ctx.db().expiry_paused {
        // Already expired: the key is gone (and a replaced one deleted).
        if deleted {
            ctx.dirty(1);
            ctx.notify_key(notify::GENERIC, "del", &key);
            // (DEL even with lazyfree-lazy-server-del, as Redis 7.0 records it.)
            ctx.propagate_as(&[Part::New(b"DEL"), Part::Arg(1)]);
        }
        ctx.out().ok();
        return Ok(());
    }
    let clock = ctx.core.lru_clock();
    let access = match idle {
        Some(secs) => clock.saturating_sub(secs.min(u32::MAX as i64) as u32),
        None => clock,
    };
    ctx.db().set(&key, value, expire_at, access);
    ctx.dirty(1);
    ctx.notify_key(notify::GENERIC, "restore", &key);
    if expire_at != NO_EXPIRE && !absttl && ctx.propagating() {
        // A relative TTL is recorded as the deadline it became, flagged ABSTTL.
        let at = expire_at.to_string();
        let mut parts = vec![Part::Arg(0), Part::Arg(1), Part::New(at.as_bytes())];
        parts.extend((3..ctx.argc()).map(Part::Arg));
        parts.push(Part::New(b"ABSTTL"));
        ctx.propagate_as(&parts);
    }
    ctx.out().ok();
    Ok(())
}

const OBJECT_HELP: &[&str] = &[
    "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "ENCODING <key>",
    "    Return the kind of internal representation used in order to store the value",
    "    associated with a <key>.",
    "FREQ <key>",
    "    Return the access frequency index of the <key>. The returned integer is",
    "    proportional to the logarithm of the recent access frequency of the key.",
    "IDLETIME <key>",
    "    Return the idle time of the <key>, that is the approximated number of",
    "    seconds elapsed since the last access to the key.",
    "REFCOUNT <key>",
    "    Return the number of references of the value associated with the specified",
    "    <key>.",
    "HELP",
    "    Print this help.",
];

/// Writes a HELP reply: the lines as status replies, as Redis's addReplyHelp does.
pub fn reply_help(ctx: &mut Ctx, lines: &[&str]) {
    let out = ctx.out();
    out.array(lines.len());
    for l in lines {
        out.status(l);
    }
}

fn object_help(ctx: &mut Ctx) -> CmdResult {
    reply_help(ctx, OBJECT_HELP);
    Ok(())
}

/// OBJECT subcommands look the key up without touching its access time.
fn object_entry<'a>(ctx: &'a mut Ctx) -> Option<&'a mut Entry> {
    let now = ctx.now();
    let key = std::mem::take(&mut ctx.argv[2]);
    let db = &mut ctx.core.dbs[ctx.client.db];
    let e = db.get(&key, now);
    e
}

fn object_encoding(ctx: &mut Ctx) -> CmdResult {
    match object_entry(ctx).map(|e| e.value.encoding()) {
        Some(enc) => ctx.out().bulk(enc.as_bytes()),
        None => ctx.out().null(),
    }
    Ok(())
}

fn object_refcount(ctx: &mut Ctx) -> CmdResult {
    match object_entry(ctx).map(|e| e.value.clone()) {
        // Redis shares the integers 0..9999 between keys and reports them as immortal.
        Some(crate::keyspace::Value::Int(n)) if (0..10000).contains(&n) => {
            ctx.out().int(i32::MAX as i64)
        }
        Some(_) => ctx.out().int(1),
        None => ctx.out().null(),
    }
    Ok(())
}

fn object_idletime(ctx: &mut Ctx) -> CmdResult {
    let clock = ctx.core.lru_clock();
    match object_entry(ctx).map(|e| e.access) {
        Some(access) => ctx.out().int(clock.saturating_sub(access) as i64),
        None => ctx.out().null(),
    }
    Ok(())
}

fn object_freq(ctx: &mut Ctx) -> CmdResult {
    if object_entry(ctx).is_none() {
        ctx.out().null();
        return Ok(());
    }
    err("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.")
}

fn select(ctx: &mut Ctx) -> CmdResult {
    ctx.client.db = parse_db_index(ctx, 1)?;
    ctx.out().ok();
    Ok(())
}

fn swapdb(ctx: &mut Ctx) -> CmdResult {
    let parse = |ctx: &Ctx, i: usize, which: &'static str| {
        num::parse_i64(ctx.arg(i))
            .filter(|n| *n >= i32::MIN as i64 && *n <= i32::MAX as i64)
            .ok_or_else(|| CmdError::msg(format!("ERR invalid {which} DB index")))
    };
    let a = parse(ctx, 1, "first")?;
    let b = parse(ctx, 2, "second")?;
    if !ctx.core.db_index_ok(a) || !ctx.core.db_index_ok(b) {
        return err("ERR DB index is out of range");
    }
    let (a, b) = (a as usize, b as usize);
    super::transactions::touch_existing_in_db(ctx.core, ctx.client, a, Some(b));
    super::transactions::touch_existing_in_db(ctx.core, ctx.client, b, Some(a));
    ctx.core.dbs.swap(a, b);
    ctx.core.blocking.signal_db(a);
    ctx.core.blocking.signal_db(b);
    ctx.dirty(1);
    ctx.out().ok();
    Ok(())
}

fn dbsize(ctx: &mut Ctx) -> CmdResult {
    let n = ctx.db().len();
    ctx.out().int(n as i64);
    Ok(())
}

/// Parses the optional ASYNC|SYNC of FLUSHDB/FLUSHALL; returns true for async.
fn flush_mode(ctx: &Ctx) -> Result<bool, CmdError> {
    match ctx.argc() {
        1 => Ok(ctx.core.config.lazyfree_lazy_user_flush),
        2 if ctx.is(1, "async") => Ok(true),
        2 if ctx.is(1, "sync") => Ok(false),
        _ => Err(CmdError::Syntax),
    }
}

fn flush_db(ctx: &mut Ctx, index: usize, lazy: bool) -> u64 {
    super::transactions::touch_existing_in_db(ctx.core, ctx.client, index, None);
    // Counted before: a save in progress may keep the old table, leaving an
    // empty one here.
    let n = ctx.core.dbs[index].len() as u64;
    let old = ctx.core.dbs[index].clear();
    ctx.core.blocking.signal_db(index);
    if lazy {
        lazyfree::free(old);
    }
    n
}

fn flushdb(ctx: &mut Ctx) -> CmdResult {
    let lazy = flush_mode(ctx)?;
    super::tracking::invalidate_all(ctx.core, ctx.client);
    let n = flush_db(ctx, ctx.client.db, lazy);
    ctx.dirty(n);
    // Recorded even when the database was empty, as Redis does.
    ctx.propagate_always();
    ctx.out().ok();
    Ok(())
}

fn flushall(ctx: &mut Ctx) -> CmdResult {
    let lazy = flush_mode(ctx)?;
    super::tracking::invalidate_all(ctx.core, ctx.client);
    let mut n = 0;
    for i in 0..ctx.core.dbs.len() {
        n += flush_db(ctx, i, lazy);
    }
    ctx.dirty(n + 1);
    ctx.propagate_always();
    // As in Redis: a background save in progress is abandoned (an AOF rewrite
    // goes on: its image is of before the flush), and with save rules the (now
    // empty) dataset is saved at once.
    snapshot::rdb_save_abort(ctx.core);
    if !ctx.core.config.save.is_empty() {
        let _ = snapshot::save(ctx.core);
        ctx.core.dirty = 1;
    }
    ctx.out().ok();
    Ok(())
}

const K: u32 = acl::KEYSPACE;
const G: &str = "generic";

const OBJECT_SUBS: &[Command] = &[
    Command::new("encoding", 3, object_encoding)
        .tips(&["nondeterministic_output"])
        .flags(READONLY)
        .acl(K)
        .keys(2, 2, 1, "RO")
        .doc(
            G,
            "2.2.3",
            "Inspect the internal encoding of a Redis object",
            "O(1)",
        ),
    Command::new("freq", 3, object_freq)
        .tips(&["nondeterministic_output"])
        .flags(READONLY)
        .acl(K)
        .keys(2, 2, 1, "RO")
        .doc(
            G,
            "4.0.0",
            "Get the logarithmic access frequency counter of a Redis object",
            "O(1)",
        ),
    Command::new("help", 2, object_help)
        .flags(LOADING | STALE)
        .acl(K)
        .doc(
            G,
            "6.2.0",
            "Show helpful text about the different subcommands",
            "O(1)",
        ),
    Command::new("idletime", 3, object_idletime)
        .tips(&["nondeterministic_output"])
        .flags(READONLY)
        .acl(K)
        .keys(2, 2, 1, "RO")
        .doc(
            G,
            "2.2.3",
            "Get the time since a Redis object was last accessed",
            "O(1)",
        ),
    Command::new("refcount", 3, object_refcount)
        .tips(&["nondeterministic_output"])
        .flags(READONLY)
        .acl(K)
        .keys(2, 2, 1, "RO")
        .doc(
            G,
            "2.2.3",
            "Get the number of references to the value of the key",
            "O(1)",
        ),
];

fn container(_: &mut Ctx) -> CmdResult {
    Err(CmdError::Syntax)
}

pub const COMMANDS: &[Command] = &[
    Command::new("del", -2, del).tips(&["request_policy:multi_shard", "response_policy:agg_sum"]).flags(WRITE).acl(K).keys(1, -1, 1, "RM DELETE")
        .doc(G, "1.0.0", "Delete a key", "O(N) where N is the number of keys that will be removed."),
    Command::new("unlink", -2, unlink).tips(&["request_policy:multi_shard", "response_policy:agg_sum"]).flags(WRITE | FAST).acl(K).keys(1, -1, 1, "RM DELETE")
        .doc(G, "4.0.0", "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.", "O(1) for each key removed regardless of its size."),
    Command::new("exists", -2, exists).tips(&["request_policy:multi_shard", "response_policy:agg_sum"]).flags(READONLY | FAST).acl(K).keys(1, -1, 1, "RO")
        .doc(G, "1.0.0", "Determine if a key exists", "O(N) where N is the number of keys to check."),
    Command::new("touch", -2, touch).tips(&["request_policy:multi_shard", "response_policy:agg_sum"]).flags(READONLY | FAST).acl(K).keys(1, -1, 1, "RO")
        .doc(G, "3.2.1", "Alters the last access time of a key(s). Returns the number of existing keys specified.", "O(N) where N is the number of keys that will be touched."),
    Command::new("type", 2, type_cmd).flags(READONLY | FAST).acl(K).keys(1, 1, 1, "RO")
        .doc(G, "1.0.0", "Determine the type stored at key", "O(1)"),
    Command::new("expire", -3, expire).flags(WRITE | FAST).acl(K).keys(1, 1, 1, "RW UPDATE")
        .doc(G, "1.0.0", "Set a key's time to live in seconds", "O(1)"),
    Command::new("pexpire", -3, pexpire).flags(WRITE | FAST).acl(K).keys(1, 1, 1, "RW UPDATE")
        .doc(G, "2.6.0", "Set a key's time to live in milliseconds", "O(1)"),
    Command::new("expireat", -3, expireat).flags(WRITE | FAST).acl(K).keys(1, 1, 1, "RW UPDATE")
        .doc(G, "1.2.0", "Set the expiration for a key as a UNIX timestamp", "O(1)"),
    Command::new("pexpireat", -3, pexpireat).flags(WRITE | FAST).acl(K).keys(1, 1, 1, "RW UPDATE")
        .doc(G, "2.6.0", "Set the expiration for a key as a UNIX timestamp specified in milliseconds", "O(1)"),
    Command::new("ttl", 2, ttl).tips(&["nondeterministic_output"]).flags(READONLY | FAST).acl(K).keys(1, 1, 1, "RO ACCESS")
        .doc(G, "1.0.0", "Get the time to live for a key in seconds", "O(1)"),
    Command::new("pttl", 2, pttl).tips(&["nondeterministic_output"]).flags(READONLY | FAST).acl(K).keys(1, 1, 1, "RO ACCESS")
        .doc(G, "2.6.0", "Get the time to live for a key in milliseconds", "O(1)"),
    Command::new("expiretime", 2, expiretime).flags(READONLY | FAST).acl(K).keys(1, 1, 1, "RO ACCESS")
        .doc(G, "7.0.0", "Get the expiration Unix timestamp for a key", "O(1)"),
    Command::new("pexpiretime", 2, pexpiretime).flags(READONLY | FAST).acl(K).keys(1, 1, 1, "RO ACCESS")
        .doc(G, "7.0.0", "Get the expiration Unix timestamp for a key in milliseconds", "O(1)"),
    Command::new("persist", 2, persist).flags(WRITE | FAST).acl(K).keys(1, 1, 1, "RW UPDATE")
        .doc(G, "2.2.0", "Remove the expiration from a key", "O(1)"),
    Command::new("keys", 2, keys).tips(&["request_policy:all_shards", "nondeterministic_output_order"]).flags(READONLY).acl(K | acl::DANGEROUS)
        .doc(G, "1.0.0", "Find all keys matching the given pattern", "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length."),
    Command::new("scan", -2, scan).tips(&["nondeterministic_output", "request_policy:special"]).flags(READONLY).acl(K)
        .doc(G, "2.8.0", "Incrementally iterate the keys space", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection."),
    Command::new("randomkey", 1, randomkey).tips(&["request_policy:all_shards", "nondeterministic_output"]).flags(READONLY).acl(K)
        .doc(G, "1.0.0", "Return a random key from the keyspace", "O(1)"),
    Command::new("rename", 3, rename).flags(WRITE).acl(K).keys(1, 2, 1, "RW ACCESS DELETE")
        .key_specs(&[KeySpec::new(1, 0, 1, "RW access delete"), KeySpec::new(2, 0, 1, "OW update")])
        .doc(G, "1.0.0", "Rename a key", "O(1)"),
    Command::new("renamenx", 3, renamenx).flags(WRITE | FAST).acl(K).keys(1, 2, 1, "RW ACCESS DELETE")
        .key_specs(&[KeySpec::new(1, 0, 1, "RW access delete"), KeySpec::new(2, 0, 1, "OW insert")])
        .doc(G, "1.0.0", "Rename a key, only if the new key does not exist", "O(1)"),
    Command::new("move", 3, move_cmd).flags(WRITE | FAST).acl(K).keys(1, 1, 1, "RW ACCESS UPDATE")
        .doc(G, "1.0.0", "Move a key to another database", "O(1)"),
    Command::new("dump", 2, dump).tips(&["nondeterministic_output"]).flags(READONLY).acl(K).keys(1, 1, 1, "RO ACCESS")
        .doc(G, "2.6.0", "Return a serialized version of the value stored at the specified key.", "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1)."),
    Command::new("restore", -4, restore).flags(WRITE | DENYOOM).acl(K | acl::DANGEROUS).keys(1, 1, 1, "OW UPDATE")
        .doc(G, "2.6.0", "Create a key using the provided serialized value, previously obtained using DUMP.", "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N))."),
    Command::new("copy", -3, copy).flags(WRITE | DENYOOM).acl(K).keys(1, 2, 1, "RO ACCESS")
        .key_specs(&[KeySpec::new(1, 0, 1, "RO access"), KeySpec::new(2, 0, 1, "OW update")])
        .doc(G, "6.2.0", "Copy a key", "O(N) worst case for collections, where N is the number of nested items. O(1) for string values."),
    Command::new("object", -2, container).subcommands(OBJECT_SUBS)
        .doc(G, "2.2.3", "A container for object introspection commands", "Depends on subcommand."),
    Command::new("select", 2, select).flags(LOADING | STALE | FAST).acl(acl::CONNECTION)
        .doc("connection", "1.0.0", "Change the selected database for the current connection", "O(1)"),
    Command::new("swapdb", 3, swapdb).flags(WRITE | FAST).acl(K | acl::DANGEROUS)
        .doc("server", "4.0.0", "Swaps two Redis databases", "O(N) where N is the count of clients watching or blocking on keys from both databases."),
    Command::new("dbsize", 1, dbsize).tips(&["request_policy:all_shards", "response_policy:agg_sum"]).flags(READONLY | FAST).acl(K)
        .doc("server", "1.0.0", "Return the number of keys in the selected database", "O(1)"),
    Command::new("flushdb", -1, flushdb).tips(&["request_policy:all_shards", "response_policy:all_succeeded"]).flags(WRITE).acl(K | acl::DANGEROUS)
        .doc("server", "1.0.0", "Remove all keys from the current database", "O(N) where N is the number of keys in the selected database"),
    Command::new("flushall", -1, flushall).tips(&["request_policy:all_shards", "response_policy:all_succeeded"]).flags(WRITE).acl(K | acl::DANGEROUS)
        .doc("server", "1.0.0", "Remove all keys from all databases", "O(N) where N is the total number of keys in all databases"),
];
