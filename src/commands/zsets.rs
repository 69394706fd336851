//! Sorted set commands. Argument parsing mirrors Redis 7.0's order (it decides which
//! error a client sees); the data work goes through `types::zset::ZSet`.

use super::blocking;
use super::notify::{GENERIC, ZSET};
use super::read_typed;
use super::{acl, flag::*, Command, Ctx, KeySpec, Part};
use crate::error::{err, CmdError, CmdResult};
use crate::keyspace::db::NO_EXPIRE;
use crate::keyspace::Value;
use crate::protocol::ReplyBuf;
use crate::types::zset::{Limits, ZSet};
use crate::util::{glob, num};

fn limits(ctx: &Ctx) -> Limits {
    let c = &ctx.core.config;
    Limits {
        entries: usize::try_from(c.zset_max_listpack_entries).unwrap_or(usize::MAX),
        value: usize::try_from(c.zset_max_listpack_value).unwrap_or(usize::MAX),
    }
}

/// Deletes the key at argument `i` when its sorted set became `empty` (Redis never
/// keeps an empty collection).
fn drop_if_empty(ctx: &mut Ctx, i: usize, empty: bool) {
    if empty {
        let key = ctx.arg(i).to_vec();
        ctx.db().remove(&key);
    }
}

/// After `event` on the key at argument `i`, deletes it if its set became `empty`
/// (saying "del").
fn removed_from(ctx: &mut Ctx, i: usize, event: &str, empty: bool) {
    ctx.notify(ZSET, event, i);
    if empty {
        drop_if_empty(ctx, i, empty);
        ctx.notify(GENERIC, "del", i);
    }
}

/// Stores `z` under the key at argument `i` (replacing any value), or deletes the key
/// when `z` is empty, as the *STORE commands do. Returns the stored length.
fn store(ctx: &mut Ctx, i: usize, z: ZSet) -> usize {
    let len = z.len();
    let key = ctx.arg(i).to_vec();
    let now = ctx.now();
    if len == 0 {
        if ctx.db().lookup(&key, now).is_some() {
            ctx.db().remove(&key);
            ctx.dirty(1);
            ctx.notify(GENERIC, "del", i);
        }
    } else {
        let clock = ctx.core.lru_clock();
        ctx.db()
            .set(&key, Value::ZSet(Box::new(z)), NO_EXPIRE, clock);
        ctx.dirty(1);
        // The event is the command's name (zunionstore, zinterstore, zrangestore...).
        let event = String::from_utf8_lossy(ctx.arg(0)).to_ascii_lowercase();
        ctx.notify(ZSET, &event, i);
    }
    len
}

/// Elements as a reply: members, or member/score pairs (flat in RESP2, one
/// two-element array per pair in RESP3).
fn reply_elements(out: &mut ReplyBuf, items: &[(Vec<u8>, f64)], withscores: bool) {
    if withscores && out.is_resp3() {
        out.array(items.len());
        for (m, s) in items {
            out.array(2);
            out.bulk(m);
            out.double(*s);
        }
    } else if withscores {
        out.array(items.len() * 2);
        for (m, s) in items {
            out.bulk(m);
            out.double(*s);
        }
    } else {
        out.array(items.len());
        for (m, _) in items {
            out.bulk(m);
        }
    }
}

// ---------------------------------------------------------------------------
// Ranges
// ---------------------------------------------------------------------------

/// A score range bound as ZRANGEBYSCORE parses it: plain C strtod of the text after
/// an optional '(' (so "1e400" is inf, "" is 0, leading spaces are skipped), NaN refused.
fn parse_score_bound(s: &[u8]) -> Option<(f64, bool)> {
    let (text, excl) = match s.split_first() {
        Some((b'(', rest)) => (rest, true),
        _ => (s, false),
    };
    if text.is_empty() {
        return Some((0.0, excl));
    }
    let start = text
        .iter()
        .position(|c| !matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))?;
    let body = &text[start..];
    let v = match num::parse_f64(body) {
        Some(v) => v,
        // Out of range for ZADD, but strtod gives ±inf or 0 here.
        None => std::str::from_utf8(body).ok()?.parse::<f64>().ok()?,
    };
    if v.is_nan() {
        return None;
    }
    Some((v, excl))
}

#[derive(Clone, Copy)]
struct ScoreRange {
    min: f64,
    minex: bool,
    max: f64,
    maxex: bool,
}

fn parse_score_range(min: &[u8], max: &[u8]) -> Result<ScoreRange, CmdError> {
    match (parse_score_bound(min), parse_score_bound(max)) {
        (Some((min, minex)), Some((max, maxex))) => Ok(ScoreRange {
            min,
            minex,
            max,
            maxex,
        }),
        _ => err("ERR min or max is not a float"),
    }
}

enum LexBound {
    Min,
    Max,
    Incl(Vec<u8>),
    Excl(Vec<u8>),
}

fn parse_lex_bound(s: &[u8]) -> Option<LexBound> {
    match s {
        b"-" => Some(LexBound::Min),
        b"+" => Some(LexBound::Max),
        [b'[', rest @ ..] => Some(LexBound::Incl(rest.to_vec())),
        [b'(', rest @ ..] => Some(LexBound::Excl(rest.to_vec())),
        _ => None,
    }
}

struct LexRange {
    min: LexBound,
    max: LexBound,
}

fn parse_lex_range(min: &[u8], max: &[u8]) -> Result<LexRange, CmdError> {
    match (parse_lex_bound(min), parse_lex_bound(max)) {
        (Some(min), Some(max)) => Ok(LexRange { min, max }),
        _ => err("ERR min or max not valid string range item"),
    }
}

/// Ascending ranks `lo..hi` of the elements within a score range.
fn score_ranks(z: &ZSet, r: &ScoreRange) -> (usize, usize) {
    let below = |s: f64, _: &[u8]| if r.minex { s <= r.min } else { s < r.min };
    let upto = |s: f64, _: &[u8]| if r.maxex { s < r.max } else { s <= r.max };
    let lo = z.count_while(&below);
    let hi = z.count_while(&upto);
    (lo, hi.max(lo))
}

/// Ascending ranks `lo..hi` of the elements within a lex range (meaningful when all
/// scores are equal, as in Redis).
fn lex_ranks(z: &ZSet, r: &LexRange) -> (usize, usize) {
    let below = |_: f64, m: &[u8]| match &r.min {
        LexBound::Min => false,
        LexBound::Max => true,
        LexBound::Incl(x) => m < x.as_slice(),
        LexBound::Excl(x) => m <= x.as_slice(),
    };
    let upto = |_: f64, m: &[u8]| match &r.max {
        LexBound::Min => false,
        LexBound::Max => true,
        LexBound::Incl(x) => m <= x.as_slice(),
        LexBound::Excl(x) => m < x.as_slice(),
    };
    let lo = z.count_while(&below);
    let hi = z.count_while(&upto);
    (lo, hi.max(lo))
}

/// Ascending ranks `lo..hi` of Redis-style inclusive indexes (negative from the end);
/// with `rev` the indexes count from the highest score.
fn index_ranks(len: usize, start: i64, end: i64, rev: bool) -> (usize, usize) {
    let len_i = len as i64;
    let s = if start < 0 { len_i + start } else { start }.max(0);
    let mut e = if end < 0 { len_i + end } else { end };
    if s > e || s >= len_i {
        return (0, 0);
    }
    if e >= len_i {
        e = len_i - 1;
    }
    if rev {
        ((len_i - 1 - e) as usize, (len_i - s) as usize)
    } else {
        (s as usize, (e + 1) as usize)
    }
}

/// Elements of ranks lo..hi, in `rev` order, after skipping `offset` and taking at
/// most `count` (negative: all), as LIMIT does (a negative offset yields nothing).
fn limited(
    z: &ZSet,
    (lo, hi): (usize, usize),
    rev: bool,
    offset: i64,
    count: i64,
) -> Vec<(Vec<u8>, f64)> {
    if offset < 0 || lo >= hi {
        return Vec::new();
    }
    let n = hi - lo;
    let skip = usize::try_from(offset).unwrap_or(usize::MAX).min(n);
    let take = if count < 0 {
        n - skip
    } else {
        usize::try_from(count).unwrap_or(usize::MAX).min(n - skip)
    };
    if rev {
        z.range(hi - skip - take, hi - skip, true)
    } else {
        z.range(lo + skip, lo + skip + take, false)
    }
}

// ---------------------------------------------------------------------------
// ZADD / ZINCRBY
// ---------------------------------------------------------------------------

#[derive(Default)]
struct AddFlags {
    nx: bool,
    xx: bool,
    gt: bool,
    lt: bool,
    ch: bool,
    incr: bool,
}

fn zadd_generic(ctx: &mut Ctx, incr_only: bool) -> CmdResult {
    let mut f = AddFlags {
        incr: incr_only,
        ..AddFlags::default()
    };
    let mut idx = 2;
    while !incr_only && idx < ctx.argc() {
        let a = ctx.arg(idx).to_ascii_lowercase();
        match a.as_slice() {
            b"nx" => f.nx = true,
            b"xx" => f.xx = true,
            b"gt" => f.gt = true,
            b"lt" => f.lt = true,
            b"ch" => f.ch = true,
            b"incr" => f.incr = true,
            _ => break,
        }
        idx += 1;
    }
    let elements = ctx.argc() - idx;
    if !elements.is_multiple_of(2) || elements == 0 {
        return Err(CmdError::Syntax);
    }
    let pairs = elements / 2;
    if f.nx && f.xx {
        return err("ERR XX and NX options at the same time are not compatible");
    }
    if (f.nx && (f.gt || f.lt)) || (f.gt && f.lt) {
        return err("ERR GT, LT, and/or NX options at the same time are not compatible");
    }
    if f.incr && pairs > 1 {
        return err("ERR INCR option supports a single increment-element pair");
    }
    let mut scores = Vec::with_capacity(pairs);
    for j in 0..pairs {
        scores.push(ctx.parse_f64(idx + 2 * j)?);
    }
    let lim = limits(ctx);
    // Redis 7.0 picks a new key's encoding from its first member alone.
    let first_len = ctx.arg(idx + 1).len();
    let members: Vec<Vec<u8>> = (0..pairs).map(|j| ctx.take_arg(idx + 2 * j + 1)).collect();
    let exists = ctx.write_arg::<ZSet>(1)?.is_some();
    if !exists {
        if f.xx {
            if f.incr {
                ctx.out().null();
            } else {
                ctx.out().int(0);
            }
            return Ok(());
        }
        let key = ctx.arg(1).to_vec();
        let clock = ctx.core.lru_clock();
        let z = ZSet::with_hint(1, first_len, lim);
        ctx.db().add(key.into(), Value::ZSet(Box::new(z)), clock);
    }
    let Some(z) = ctx.write_arg::<ZSet>(1)? else {
        return Ok(());
    };
    let (mut added, mut updated, mut processed) = (0, 0, 0);
    let mut last_score = 0.0;
    let mut nan = false;
    for (member, score) in members.iter().zip(scores) {
        match z.score(member) {
            Some(cur) => {
                if f.nx {
                    continue;
                }
                let new = if f.incr { cur + score } else { score };
                if new.is_nan() {
                    nan = true;
                    break;
                }
                if (f.gt && new <= cur) || (f.lt && new >= cur) {
                    continue;
                }
                last_score = new;
                processed += 1;
                if new != cur {
                    z.insert(member, new, lim);
                    updated += 1;
                }
            }
            None => {
                if f.xx {
                    continue;
                }
                z.insert(member, score, lim);
                last_score = score;
                added += 1;
                processed += 1;
            }
        }
    }
    let empty = z.is_empty();
    drop_if_empty(ctx, 1, empty);
    ctx.dirty((added + updated) as u64);
    if added + updated > 0 {
        ctx.notify(ZSET, if f.incr { "zincr" } else { "zadd" }, 1);
    }
    if nan {
        return err("ERR resulting score is not a number (NaN)");
    }
    if f.incr {
        if processed > 0 {
            ctx.out().double(last_score);
        } else {
            ctx.out().null();
        }
    } else {
        ctx.out().int(if f.ch { added + updated } else { added });
    }
    Ok(())
}

pub(crate) fn zadd(ctx: &mut Ctx) -> CmdResult {
    zadd_generic(ctx, false)
}

fn zincrby(ctx: &mut Ctx) -> CmdResult {
    zadd_generic(ctx, true)
}

// ---------------------------------------------------------------------------
// Simple reads
// ---------------------------------------------------------------------------

fn zcard(ctx: &mut Ctx) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    let n = read_typed::<ZSet>(core, client.db, &argv[1])?.map_or(0, |z| z.len());
    client.out.int(n as i64);
    Ok(())
}

fn zscore(ctx: &mut Ctx) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    match read_typed::<ZSet>(core, client.db, &argv[1])?.and_then(|z| z.score(&argv[2])) {
        Some(s) => client.out.double(s),
        None => client.out.null(),
    }
    Ok(())
}

fn zmscore(ctx: &mut Ctx) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    let z = read_typed::<ZSet>(core, client.db, &argv[1])?;
    client.out.array(argv.len() - 2);
    for m in &argv[2..] {
        match z.and_then(|z| z.score(m)) {
            Some(s) => client.out.double(s),
            None => client.out.null(),
        }
    }
    Ok(())
}

fn rank_generic(ctx: &mut Ctx, rev: bool) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    let r = read_typed::<ZSet>(core, client.db, &argv[1])?.and_then(|z| {
        z.rank(&argv[2])
            .map(|(r, _)| if rev { z.len() - 1 - r } else { r })
    });
    match r {
        Some(r) => client.out.int(r as i64),
        None => client.out.null(),
    }
    Ok(())
}

fn zrank(ctx: &mut Ctx) -> CmdResult {
    rank_generic(ctx, false)
}

fn zrevrank(ctx: &mut Ctx) -> CmdResult {
    rank_generic(ctx, true)
}

fn zcount(ctx: &mut Ctx) -> CmdResult {
    let r = parse_score_range(ctx.arg(2), ctx.arg(3))?;
    let Ctx { core, client, argv } = ctx;
    let n = read_typed::<ZSet>(core, client.db, &argv[1])?.map_or(0, |z| {
        let (lo, hi) = score_ranks(z, &r);
        hi - lo
    });
    client.out.int(n as i64);
    Ok(())
}

fn zlexcount(ctx: &mut Ctx) -> CmdResult {
    let r = parse_lex_range(ctx.arg(2), ctx.arg(3))?;
    let Ctx { core, client, argv } = ctx;
    let n = read_typed::<ZSet>(core, client.db, &argv[1])?.map_or(0, |z| {
        let (lo, hi) = lex_ranks(z, &r);
        hi - lo
    });
    client.out.int(n as i64);
    Ok(())
}

// ---------------------------------------------------------------------------
// ZRANGE and friends
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum RangeBy {
    Auto,
    Rank,
    Score,
    Lex,
}

enum Parsed {
    Rank(i64, i64),
    Score(ScoreRange),
    Lex(LexRange),
}

/// Parses the range arguments at `min_i`/`max_i` for the given kind.
fn parse_range(ctx: &Ctx, by: RangeBy, min_i: usize, max_i: usize) -> Result<Parsed, CmdError> {
    Ok(match by {
        RangeBy::Score => Parsed::Score(parse_score_range(ctx.arg(min_i), ctx.arg(max_i))?),
        RangeBy::Lex => Parsed::Lex(parse_lex_range(ctx.arg(min_i), ctx.arg(max_i))?),
        RangeBy::Auto | RangeBy::Rank => Parsed::Rank(ctx.parse_i64(min_i)?, ctx.parse_i64(max_i)?),
    })
}

/// Ascending ranks covered by a parsed range (indexes from the top with `rev`).
fn ranks_of(z: &ZSet, p: &Parsed, rev: bool) -> (usize, usize) {
    match p {
        Parsed::Rank(s, e) => index_ranks(z.len(), *s, *e, rev),
        Parsed::Score(r) => score_ranks(z, r),
        Parsed::Lex(r) => lex_ranks(z, r),
    }
}

/// The ZRANGE family (Redis's zrangeGenericCommand): `src` is the source key's
/// argument index; `by`/`rev` are fixed by the legacy commands (Auto/None = taken
/// from the options); `store` = ZRANGESTORE (destination at argument 1).
fn zrange_generic(
    ctx: &mut Ctx,
    src: usize,
    mut by: RangeBy,
    rev_fixed: Option<bool>,
    store_dst: bool,
) -> CmdResult {
    let mut rev = rev_fixed.unwrap_or(false);
    let mut rev_open = rev_fixed.is_none();
    let mut withscores = false;
    let (mut offset, mut count) = (0i64, -1i64);
    let mut j = src + 3;
    while j < ctx.argc() {
        let left = ctx.argc() - j - 1;
        if !store_dst && ctx.is(j, "withscores") {
            withscores = true;
        } else if ctx.is(j, "limit") && left >= 2 {
            offset = ctx.parse_i64(j + 1)?;
            count = ctx.parse_i64(j + 2)?;
            j += 2;
        } else if rev_open && ctx.is(j, "rev") {
            rev = true;
            rev_open = false;
        } else if by == RangeBy::Auto && ctx.is(j, "bylex") {
            by = RangeBy::Lex;
        } else if by == RangeBy::Auto && ctx.is(j, "byscore") {
            by = RangeBy::Score;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    if by == RangeBy::Auto {
        by = RangeBy::Rank;
    }
    if (offset != 0 || count != -1) && by == RangeBy::Rank {
        return err(
            "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
        );
    }
    if withscores && by == RangeBy::Lex {
        return err("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    }
    let (mut min_i, mut max_i) = (src + 1, src + 2);
    if rev && by != RangeBy::Rank {
        std::mem::swap(&mut min_i, &mut max_i);
    }
    let parsed = parse_range(ctx, by, min_i, max_i)?;
    let items = {
        let Ctx { core, client, argv } = &mut *ctx;
        match read_typed::<ZSet>(core, client.db, &argv[src])? {
            None => Vec::new(),
            Some(z) => {
                let ranks = ranks_of(z, &parsed, rev);
                match parsed {
                    Parsed::Rank(..) => z.range(ranks.0, ranks.1, rev),
                    _ => limited(z, ranks, rev, offset, count),
                }
            }
        }
    };
    if store_dst {
        let z = ZSet::from_elements(items, limits(ctx));
        let n = store(ctx, 1, z);
        ctx.out().int(n as i64);
    } else {
        reply_elements(ctx.out(), &items, withscores);
    }
    Ok(())
}

fn zrange(ctx: &mut Ctx) -> CmdResult {
    zrange_generic(ctx, 1, RangeBy::Auto, None, false)
}
fn zrangestore(ctx: &mut Ctx) -> CmdResult {
    zrange_generic(ctx, 2, RangeBy::Auto, None, true)
}
fn zrevrange(ctx: &mut Ctx) -> CmdResult {
    zrange_generic(ctx, 1, RangeBy::Rank, Some(true), false)
}
fn zrangebyscore(ctx: &mut Ctx) -> CmdResult {
    zrange_generic(ctx, 1, RangeBy::Score, Some(false), false)
}
fn zrevrangebyscore(ctx: &mut Ctx) -> CmdResult {
    zrange_generic(ctx, 1, RangeBy::Score, Some(true), false)
}
fn zrangebylex(ctx: &mut Ctx) -> CmdResult {
    zrange_generic(ctx, 1, RangeBy::Lex, Some(false), false)
}
fn zrevrangebylex(ctx: &mut Ctx) -> CmdResult {
    zrange_generic(ctx, 1, RangeBy::Lex, Some(true), false)
}

// ---------------------------------------------------------------------------
// Removal
// ---------------------------------------------------------------------------

fn zrem(ctx: &mut Ctx) -> CmdResult {
    let members: Vec<Vec<u8>> = (2..ctx.argc()).map(|i| ctx.take_arg(i)).collect();
    let Some(z) = ctx.write_arg::<ZSet>(1)? else {
        ctx.out().int(0);
        return Ok(());
    };
    let removed = members.iter().filter(|m| z.remove(m).is_some()).count();
    let empty = z.is_empty();
    if removed > 0 {
        removed_from(ctx, 1, "zrem", empty);
    }
    ctx.dirty(removed as u64);
    ctx.out().int(removed as i64);
    Ok(())
}

fn zremrange_generic(ctx: &mut Ctx, by: RangeBy) -> CmdResult {
    let parsed = parse_range(ctx, by, 2, 3)?;
    let Some(z) = ctx.write_arg::<ZSet>(1)? else {
        ctx.out().int(0);
        return Ok(());
    };
    let (lo, hi) = ranks_of(z, &parsed, false);
    let victims = z.range(lo, hi, false);
    for (m, _) in &victims {
        z.remove(m);
    }
    let empty = z.is_empty();
    if !victims.is_empty() {
        let event = match by {
            RangeBy::Rank | RangeBy::Auto => "zremrangebyrank",
            RangeBy::Score => "zremrangebyscore",
            RangeBy::Lex => "zremrangebylex",
        };
        removed_from(ctx, 1, event, empty);
    }
    ctx.dirty(victims.len() as u64);
    ctx.out().int(victims.len() as i64);
    Ok(())
}

fn zremrangebyrank(ctx: &mut Ctx) -> CmdResult {
    zremrange_generic(ctx, RangeBy::Rank)
}
fn zremrangebyscore(ctx: &mut Ctx) -> CmdResult {
    zremrange_generic(ctx, RangeBy::Score)
}
fn zremrangebylex(ctx: &mut Ctx) -> CmdResult {
    zremrange_generic(ctx, RangeBy::Lex)
}

fn zpop_verb(max: bool) -> &'static [u8] {
    if max {
        b"ZPOPMAX"
    } else {
        b"ZPOPMIN"
    }
}

/// Pops up to `count` lowest (or highest) elements of the set at argument `i`.
fn pop_from(
    ctx: &mut Ctx,
    i: usize,
    max: bool,
    count: usize,
) -> Result<Vec<(Vec<u8>, f64)>, CmdError> {
    let Some(z) = ctx.write_arg::<ZSet>(i)? else {
        return Ok(Vec::new());
    };
    let n = count.min(z.len());
    let items = if max {
        z.range(z.len() - n, z.len(), true)
    } else {
        z.range(0, n, false)
    };
    for (m, _) in &items {
        z.remove(m);
    }
    let empty = z.is_empty();
    if !items.is_empty() {
        removed_from(ctx, i, if max { "zpopmax" } else { "zpopmin" }, empty);
        ctx.dirty(1);
    }
    Ok(items)
}

fn zpop_generic(ctx: &mut Ctx, max: bool) -> CmdResult {
    if ctx.argc() > 3 {
        return Err(CmdError::Syntax);
    }
    let count = if ctx.argc() == 3 {
        match ctx.parse_i64(2) {
            Ok(n) if n >= 0 => Some(n as usize),
            _ => return err("ERR value is out of range, must be positive"),
        }
    } else {
        None
    };
    let items = pop_from(ctx, 1, max, count.unwrap_or(1))?;
    let out = ctx.out();
    if count.is_some() {
        reply_elements(out, &items, true);
    } else {
        // Without a count: one flat member/score pair, in RESP3 too.
        out.array(items.len() * 2);
        for (m, s) in &items {
            out.bulk(m);
            out.double(*s);
        }
    }
    Ok(())
}

fn zpopmin(ctx: &mut Ctx) -> CmdResult {
    zpop_generic(ctx, false)
}
fn zpopmax(ctx: &mut Ctx) -> CmdResult {
    zpop_generic(ctx, true)
}

/// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
fn zmpop(ctx: &mut Ctx) -> CmdResult {
    let (keys, max, count) = ctx.parse_mpop(1, ("max", "min"))?;
    if !mpop_first(ctx, keys, max, count)? {
        ctx.out().null_array();
    }
    Ok(())
}

/// Pops up to `count` elements from the first non-empty sorted set among `keys` and
/// replies [key, [[member, score] ...]]; false if all were empty (nothing written).
fn mpop_first(
    ctx: &mut Ctx,
    keys: std::ops::Range<usize>,
    max: bool,
    count: usize,
) -> Result<bool, CmdError> {
    for k in keys {
        if !blocking::may_serve_from(ctx.core, ctx.client.db, ctx.arg(k)) {
            continue;
        }
        let items = pop_from(ctx, k, max, count)?;
        if !items.is_empty() {
            let key = ctx.arg(k).to_vec();
            ctx.modified(&key);
            // Recorded as the pop it was on that key: ZPOPMIN/ZPOPMAX key <popped>.
            let n = items.len().to_string();
            ctx.propagate_as(&[
                Part::New(zpop_verb(max)),
                Part::Arg(k),
                Part::New(n.as_bytes()),
            ]);
            let out = ctx.out();
            out.array(2);
            out.bulk(&key);
            out.array(items.len());
            for (m, s) in &items {
                out.array(2);
                out.bulk(m);
                out.double(*s);
            }
            return Ok(true);
        }
    }
    Ok(false)
}

/// BZPOPMIN/BZPOPMAX key [key ...] timeout
fn bzpop_generic(ctx: &mut Ctx, max: bool) -> CmdResult {
    let last = ctx.argc() - 1;
    let timeout = blocking::parse_timeout(ctx, last)?;
    for k in 1..last {
        if !blocking::may_serve_from(ctx.core, ctx.client.db, ctx.arg(k)) {
            continue;
        }
        let items = pop_from(ctx, k, max, 1)?;
        if let Some((m, s)) = items.first() {
            let key = ctx.arg(k).to_vec();
            ctx.modified(&key);
            ctx.propagate_as(&[Part::New(zpop_verb(max)), Part::Arg(k)]);
            let out = ctx.out();
            out.array(3);
            out.bulk(&key);
            out.bulk(m);
            out.double(*s);
            return Ok(());
        }
    }
    blocking::wait_on_keys(ctx, 1..last, timeout);
    Ok(())
}

fn bzpopmin(ctx: &mut Ctx) -> CmdResult {
    bzpop_generic(ctx, false)
}
fn bzpopmax(ctx: &mut Ctx) -> CmdResult {
    bzpop_generic(ctx, true)
}

/// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
fn bzmpop(ctx: &mut Ctx) -> CmdResult {
    let timeout = blocking::parse_timeout(ctx, 1)?;
    let (keys, max, count) = ctx.parse_mpop(2, ("max", "min"))?;
    if mpop_first(ctx, keys.clone(), max, count)? {
        return Ok(());
    }
    blocking::wait_on_keys(ctx, keys, timeout);
    Ok(())
}

// ---------------------------------------------------------------------------
// ZRANDMEMBER, ZSCAN
// ---------------------------------------------------------------------------

fn zrandmember(ctx: &mut Ctx) -> CmdResult {
    if ctx.argc() > 4 || (ctx.argc() == 4 && !ctx.is(3, "withscores")) {
        return Err(CmdError::Syntax);
    }
    let withscores = ctx.argc() == 4;
    // The generator is moved out while the set is borrowed from the same core.
    let mut rng = std::mem::take(&mut ctx.core.rng);
    let result = zrandmember_with(ctx, withscores, &mut rng);
    ctx.core.rng = rng;
    result
}

fn zrandmember_with(ctx: &mut Ctx, withscores: bool, rng: &mut crate::util::Rng) -> CmdResult {
    if ctx.argc() == 2 {
        let Ctx { core, client, argv } = ctx;
        let Some(z) = read_typed::<ZSet>(core, client.db, &argv[1])? else {
            client.out.null();
            return Ok(());
        };
        match z.random(rng) {
            Some((m, _)) => client.out.bulk(&m),
            None => client.out.null(),
        }
        return Ok(());
    }
    let n = ctx.parse_i64(2)?;
    if n == i64::MIN {
        return err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
    }
    if withscores && n.unsigned_abs() > (i64::MAX / 2) as u64 {
        return err("ERR value is out of range");
    }
    let Ctx { core, client, argv } = ctx;
    let Some(z) = read_typed::<ZSet>(core, client.db, &argv[1])? else {
        client.out.array(0);
        return Ok(());
    };
    let len = z.len();
    let items: Vec<(Vec<u8>, f64)> = if n < 0 {
        // Repetitions allowed: independent draws.
        (0..n.unsigned_abs())
            .filter_map(|_| z.random(rng))
            .collect()
    } else if n as usize >= len {
        z.to_vec()
    } else {
        let want = n as usize;
        if want * 4 < len {
            // Few of many: draw random ranks until enough distinct ones.
            let mut picked = std::collections::HashSet::with_capacity(want);
            let mut ranks = Vec::with_capacity(want);
            while ranks.len() < want {
                let r = rng.below(len as u64) as usize;
                if picked.insert(r) {
                    ranks.push(r);
                }
            }
            ranks.iter().filter_map(|&r| z.at(r)).collect()
        } else {
            // Most of them: a partial Fisher-Yates shuffle of all ranks.
            let mut ranks: Vec<usize> = (0..len).collect();
            for i in 0..want {
                let j = i + rng.below((len - i) as u64) as usize;
                ranks.swap(i, j);
            }
            ranks[..want].iter().filter_map(|&r| z.at(r)).collect()
        }
    };
    reply_elements(&mut client.out, &items, withscores);
    Ok(())
}

fn zscan(ctx: &mut Ctx) -> CmdResult {
    let cursor = super::keys::parse_cursor(ctx.arg(2))?;
    let Ctx { core, client, argv } = ctx;
    let Some(z) = read_typed::<ZSet>(core, client.db, &argv[1])? else {
        client.out.array(2);
        client.out.bulk(b"0");
        client.out.array(0);
        return Ok(());
    };
    // Options are read after the key, as Redis does (a missing key ignores them).
    let opts = super::keys::parse_scan_options(argv, 3, false)?;
    let (count, pattern) = (opts.count, opts.pattern);
    let mut found: Vec<(Vec<u8>, f64)> = Vec::new();
    let start = usize::try_from(cursor).unwrap_or(usize::MAX);
    let next = z.scan(start, count, &mut |m, s| {
        if pattern
            .as_deref()
            .is_none_or(|p| glob::string_match(p, m, false))
        {
            found.push((m.to_vec(), s));
        }
    });
    let out = &mut client.out;
    out.array(2);
    out.bulk_int(next as i64);
    out.array(found.len() * 2);
    for (m, s) in &found {
        out.bulk(m);
        // Scores are plain bulk strings here, in RESP3 too.
        out.bulk(num::fmt_double(*s).as_bytes());
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// ZUNION / ZINTER / ZDIFF (+STORE), ZINTERCARD
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum SetOp {
    Union,
    Inter,
    Diff,
}

#[derive(Clone, Copy)]
enum Aggregate {
    Sum,
    Min,
    Max,
}

/// Folds `v` into `acc` as Redis's zunionInterAggregate does: comparisons that keep
/// the accumulator on ties and NaN (so -0 stays -0), and a NaN sum taken as 0.
fn aggregate(agg: Aggregate, acc: f64, v: f64) -> f64 {
    match agg {
        Aggregate::Sum => {
            let s = acc + v;
            if s.is_nan() {
                0.0
            } else {
                s
            }
        }
        Aggregate::Min => {
            if v < acc {
                v
            } else {
                acc
            }
        }
        Aggregate::Max => {
            if v > acc {
                v
            } else {
                acc
            }
        }
    }
}

/// Copies of the input sets (None for missing keys). Looked up before the options
/// are parsed, as Redis does (so WRONGTYPE wins over a syntax error).
fn load_inputs(
    ctx: &mut Ctx,
    first: usize,
    n: usize,
    write: bool,
) -> Result<Vec<Option<ZSet>>, CmdError> {
    let lim = limits(ctx);
    let mut sets = Vec::with_capacity(n);
    for i in first..first + n {
        let value = if write {
            ctx.lookup_write(i)
                .and_then(|slot| ctx.db().entry_at(slot))
                .map(|e| &e.value)
        } else {
            let Ctx { core, client, argv } = &mut *ctx;
            core.lookup_read(client.db, &argv[i]).map(|e| &e.value)
        };
        let z = match value {
            None => None,
            Some(Value::ZSet(z)) => Some(ZSet::clone(z)),
            // Plain sets take part too, every member with score 1, as in Redis.
            Some(Value::Set(set)) => Some(ZSet::from_elements(
                set.iter().map(|m| (m.to_vec(), 1.0)).collect(),
                lim,
            )),
            Some(_) => return Err(CmdError::WrongType),
        };
        sets.push(z);
    }
    Ok(sets)
}

/// A score times a weight, with NaN (0 * inf) taken as 0 as Redis does.
fn weighted(s: f64, w: f64) -> f64 {
    let v = s * w;
    if v.is_nan() {
        0.0
    } else {
        v
    }
}

fn compute(
    op: SetOp,
    sets: &[Option<ZSet>],
    weights: &[f64],
    agg: Aggregate,
) -> Vec<(Vec<u8>, f64)> {
    let mut out: Vec<(Vec<u8>, f64)> = Vec::new();
    match op {
        SetOp::Union => {
            let mut acc: std::collections::HashMap<Vec<u8>, f64> = std::collections::HashMap::new();
            // Smallest sets first, as Redis processes them: the order decides which
            // of two equal scores (0 and -0) an aggregate keeps.
            let mut order: Vec<usize> = (0..sets.len()).collect();
            order.sort_by_key(|&i| sets[i].as_ref().map_or(0, |z| z.len()));
            for i in order {
                let (Some(z), w) = (&sets[i], weights[i]) else {
                    continue;
                };
                z.visit(0, z.len(), false, &mut |m, s| {
                    let v = weighted(s, w);
                    match acc.get_mut(m) {
                        Some(a) => *a = aggregate(agg, *a, v),
                        None => {
                            acc.insert(m.to_vec(), v);
                        }
                    }
                });
            }
            out.extend(acc);
        }
        SetOp::Inter => {
            if sets.iter().any(|z| z.as_ref().is_none_or(|z| z.is_empty())) {
                return out;
            }
            // Walk the smallest set, probe the others.
            let mut order: Vec<usize> = (0..sets.len()).collect();
            order.sort_by_key(|&i| sets[i].as_ref().map_or(0, |z| z.len()));
            let Some(Some(first)) = sets.get(order[0]) else {
                return out;
            };
            first.visit(0, first.len(), false, &mut |m, s| {
                let mut acc = weighted(s, weights[order[0]]);
                for &i in &order[1..] {
                    match sets[i].as_ref().and_then(|z| z.score(m)) {
                        // Only the first set's product is NaN-checked, as in Redis.
                        Some(o) => acc = aggregate(agg, acc, o * weights[i]),
                        None => return,
                    }
                }
                out.push((m.to_vec(), acc));
            });
        }
        SetOp::Diff => {
            let Some(Some(first)) = sets.first() else {
                return out;
            };
            first.visit(0, first.len(), false, &mut |m, s| {
                let elsewhere = sets[1..]
                    .iter()
                    .any(|z| z.as_ref().is_some_and(|z| z.score(m).is_some()));
                if !elsewhere {
                    out.push((m.to_vec(), s));
                }
            });
        }
    }
    out.sort_by(|a, b| {
        a.1.partial_cmp(&b.1)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.0.cmp(&b.0))
    });
    out
}

/// Shared by ZUNION/ZINTER/ZDIFF and their STORE forms (`dst` = destination argument).
fn setop_generic(ctx: &mut Ctx, op: SetOp, dst: Option<usize>) -> CmdResult {
    let numkeys_i = if dst.is_some() { 2 } else { 1 };
    let numkeys = ctx.parse_i64(numkeys_i)?;
    if numkeys < 1 {
        let name = String::from_utf8_lossy(ctx.arg(0)).to_lowercase();
        return err(format!(
            "ERR at least 1 input key is needed for '{name}' command"
        ));
    }
    let n = numkeys as usize;
    if n > ctx.argc() - numkeys_i - 1 {
        return Err(CmdError::Syntax);
    }
    let first = numkeys_i + 1;
    let sets = load_inputs(ctx, first, n, dst.is_some())?;
    let mut weights = vec![1.0; n];
    let mut agg = Aggregate::Sum;
    let mut withscores = false;
    let mut j = first + n;
    while j < ctx.argc() {
        let left = ctx.argc() - j - 1;
        if op != SetOp::Diff && left >= n && ctx.is(j, "weights") {
            for (k, w) in weights.iter_mut().enumerate() {
                *w = num::parse_f64(ctx.arg(j + 1 + k))
                    .ok_or_else(|| CmdError::msg("ERR weight value is not a float"))?;
            }
            j += n + 1;
        } else if op != SetOp::Diff && left >= 1 && ctx.is(j, "aggregate") {
            agg = if ctx.is(j + 1, "sum") {
                Aggregate::Sum
            } else if ctx.is(j + 1, "min") {
                Aggregate::Min
            } else if ctx.is(j + 1, "max") {
                Aggregate::Max
            } else {
                return Err(CmdError::Syntax);
            };
            j += 2;
        } else if dst.is_none() && ctx.is(j, "withscores") {
            withscores = true;
            j += 1;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let items = compute(op, &sets, &weights, agg);
    match dst {
        Some(d) => {
            let z = ZSet::from_elements(items, limits(ctx));
            let len = store(ctx, d, z);
            ctx.out().int(len as i64);
        }
        None => reply_elements(ctx.out(), &items, withscores),
    }
    Ok(())
}

fn zunion(ctx: &mut Ctx) -> CmdResult {
    setop_generic(ctx, SetOp::Union, None)
}
fn zinter(ctx: &mut Ctx) -> CmdResult {
    setop_generic(ctx, SetOp::Inter, None)
}
fn zdiff(ctx: &mut Ctx) -> CmdResult {
    setop_generic(ctx, SetOp::Diff, None)
}
fn zunionstore(ctx: &mut Ctx) -> CmdResult {
    setop_generic(ctx, SetOp::Union, Some(1))
}
fn zinterstore(ctx: &mut Ctx) -> CmdResult {
    setop_generic(ctx, SetOp::Inter, Some(1))
}
fn zdiffstore(ctx: &mut Ctx) -> CmdResult {
    setop_generic(ctx, SetOp::Diff, Some(1))
}

/// ZINTERCARD numkeys key [key ...] [LIMIT limit]
fn zintercard(ctx: &mut Ctx) -> CmdResult {
    let numkeys = ctx.parse_i64(1)?;
    if numkeys < 1 {
        return err("ERR at least 1 input key is needed for 'zintercard' command");
    }
    let n = numkeys as usize;
    if n > ctx.argc() - 2 {
        return Err(CmdError::Syntax);
    }
    let sets = load_inputs(ctx, 2, n, false)?;
    let mut limit = 0usize;
    let mut j = 2 + n;
    while j < ctx.argc() {
        if ctx.is(j, "limit") && j + 1 < ctx.argc() {
            limit = match ctx.parse_i64(j + 1) {
                Ok(l) if l >= 0 => l as usize,
                _ => return err("ERR LIMIT can't be negative"),
            };
            j += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let mut card = compute(SetOp::Inter, &sets, &vec![1.0; n], Aggregate::Sum).len();
    if limit > 0 {
        card = card.min(limit);
    }
    ctx.out().int(card as i64);
    Ok(())
}

// ---------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------

const Z: u32 = acl::SORTEDSET;
const G: &str = "sorted-set";

pub const COMMANDS: &[Command] = &[
    Command::new("zadd", -4, zadd).flags(WRITE | DENYOOM | FAST).acl(Z).keys(1, 1, 1, "RW update")
        .doc(G, "1.2.0", "Add one or more members to a sorted set, or update its score if it already exists", "O(log(N)) for each item added, where N is the number of elements in the sorted set."),
    Command::new("zcard", 2, zcard).flags(READONLY | FAST).acl(Z).keys(1, 1, 1, "RO")
        .doc(G, "1.2.0", "Get the number of members in a sorted set", "O(1)"),
    Command::new("zcount", 4, zcount).flags(READONLY | FAST).acl(Z).keys(1, 1, 1, "RO access")
        .doc(G, "2.0.0", "Count the members in a sorted set with scores within the given values", "O(log(N)) with N being the number of elements in the sorted set."),
    Command::new("zdiff", -3, zdiff).flags(READONLY | MOVABLE_KEYS).acl(Z)
        .key_specs(&[KeySpec::keynum(1, 0, 1, 1, "RO access")])
        .doc(G, "6.2.0", "Subtract multiple sorted sets", "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set."),
    Command::new("zdiffstore", -4, zdiffstore).flags(WRITE | DENYOOM | MOVABLE_KEYS).acl(Z).keys(1, 1, 1, "")
        .key_specs(&[KeySpec::new(1, 0, 1, "OW update"), KeySpec::keynum(2, 0, 1, 1, "RO access")])
        .doc(G, "6.2.0", "Subtract multiple sorted sets and store the resulting sorted set in a new key", "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set."),
    Command::new("zincrby", 4, zincrby).flags(WRITE | DENYOOM | FAST).acl(Z).keys(1, 1, 1, "RW access update")
        .doc(G, "1.2.0", "Increment the score of a member in a sorted set", "O(log(N)) where N is the number of elements in the sorted set."),
    Command::new("zinter", -3, zinter).flags(READONLY | MOVABLE_KEYS).acl(Z)
        .key_specs(&[KeySpec::keynum(1, 0, 1, 1, "RO access")])
        .doc(G, "6.2.0", "Intersect multiple sorted sets", "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set."),
    Command::new("zintercard", -3, zintercard).flags(READONLY | MOVABLE_KEYS).acl(Z)
        .key_specs(&[KeySpec::keynum(1, 0, 1, 1, "RO access")])
        .doc(G, "7.0.0", "Intersect multiple sorted sets and return the cardinality of the result", "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets."),
    Command::new("zinterstore", -4, zinterstore).flags(WRITE | DENYOOM | MOVABLE_KEYS).acl(Z).keys(1, 1, 1, "")
        .key_specs(&[KeySpec::new(1, 0, 1, "OW update"), KeySpec::keynum(2, 0, 1, 1, "RO access")])
        .doc(G, "2.0.0", "Intersect multiple sorted sets and store the resulting sorted set in a new key", "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set."),
    Command::new("zlexcount", 4, zlexcount).flags(READONLY | FAST).acl(Z).keys(1, 1, 1, "RO access")
        .doc(G, "2.8.9", "Count the number of members in a sorted set between a given lexicographical range", "O(log(N)) with N being the number of elements in the sorted set."),
    Command::new("bzmpop", -5, bzmpop).flags(WRITE | BLOCKING | MOVABLE_KEYS).acl(Z)
        .key_specs(&[KeySpec::keynum(2, 0, 1, 1, "RW access delete")])
        .doc(G, "7.0.0", "Remove and return members with scores in a sorted set or block until one is available", "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped."),
    Command::new("bzpopmax", -3, bzpopmax).flags(WRITE | NOSCRIPT | BLOCKING | FAST).acl(Z).keys(1, -2, 1, "RW access delete")
        .doc(G, "5.0.0", "Remove and return the member with the highest score from one or more sorted sets, or block until one is available", "O(log(N)) with N being the number of elements in the sorted set."),
    Command::new("bzpopmin", -3, bzpopmin).flags(WRITE | NOSCRIPT | BLOCKING | FAST).acl(Z).keys(1, -2, 1, "RW access delete")
        .doc(G, "5.0.0", "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available", "O(log(N)) with N being the number of elements in the sorted set."),
    Command::new("zmpop", -4, zmpop).flags(WRITE | MOVABLE_KEYS).acl(Z)
        .key_specs(&[KeySpec::keynum(1, 0, 1, 1, "RW access delete")])
        .doc(G, "7.0.0", "Remove and return members with scores in a sorted set", "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped."),
    Command::new("zmscore", -3, zmscore).flags(READONLY | FAST).acl(Z).keys(1, 1, 1, "RO access")
        .doc(G, "6.2.0", "Get the score associated with the given members in a sorted set", "O(N) where N is the number of members being requested."),
    Command::new("zpopmax", -2, zpopmax).flags(WRITE | FAST).acl(Z).keys(1, 1, 1, "RW access delete")
        .doc(G, "5.0.0", "Remove and return members with the highest scores in a sorted set", "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped."),
    Command::new("zpopmin", -2, zpopmin).flags(WRITE | FAST).acl(Z).keys(1, 1, 1, "RW access delete")
        .doc(G, "5.0.0", "Remove and return members with the lowest scores in a sorted set", "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped."),
    Command::new("zrandmember", -2, zrandmember).flags(READONLY).acl(Z).keys(1, 1, 1, "RO access")
        .tips(&["nondeterministic_output"])
        .doc(G, "6.2.0", "Get one or multiple random elements from a sorted set", "O(N) where N is the number of elements returned"),
    Command::new("zrange", -4, zrange).flags(READONLY).acl(Z).keys(1, 1, 1, "RO access")
        .doc(G, "1.2.0", "Return a range of members in a sorted set", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned."),
    Command::new("zrangebylex", -4, zrangebylex).flags(READONLY).acl(Z).keys(1, 1, 1, "RO access")
        .doc(G, "2.8.9", "Return a range of members in a sorted set, by lexicographical range", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N))."),
    Command::new("zrangebyscore", -4, zrangebyscore).flags(READONLY).acl(Z).keys(1, 1, 1, "RO access")
        .doc(G, "1.0.5", "Return a range of members in a sorted set, by score", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N))."),
    Command::new("zrangestore", -5, zrangestore).flags(WRITE | DENYOOM).acl(Z).keys(1, 2, 1, "")
        .key_specs(&[KeySpec::new(1, 0, 1, "OW update"), KeySpec::new(2, 0, 1, "RO access")])
        .doc(G, "6.2.0", "Store a range of members from sorted set into another key", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key."),
    Command::new("zrank", 3, zrank).flags(READONLY | FAST).acl(Z).keys(1, 1, 1, "RO access")
        .doc(G, "2.0.0", "Determine the index of a member in a sorted set", "O(log(N))"),
    Command::new("zrem", -3, zrem).flags(WRITE | FAST).acl(Z).keys(1, 1, 1, "RW delete")
        .doc(G, "1.2.0", "Remove one or more members from a sorted set", "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed."),
    Command::new("zremrangebylex", 4, zremrangebylex).flags(WRITE).acl(Z).keys(1, 1, 1, "RW delete")
        .doc(G, "2.8.9", "Remove all members in a sorted set between the given lexicographical range", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation."),
    Command::new("zremrangebyrank", 4, zremrangebyrank).flags(WRITE).acl(Z).keys(1, 1, 1, "RW delete")
        .doc(G, "2.0.0", "Remove all members in a sorted set within the given indexes", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation."),
    Command::new("zremrangebyscore", 4, zremrangebyscore).flags(WRITE).acl(Z).keys(1, 1, 1, "RW delete")
        .doc(G, "1.2.0", "Remove all members in a sorted set within the given scores", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation."),
    Command::new("zrevrange", -4, zrevrange).flags(READONLY).acl(Z).keys(1, 1, 1, "RO access")
        .doc(G, "1.2.0", "Return a range of members in a sorted set, by index, with scores ordered from high to low", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned."),
    Command::new("zrevrangebylex", -4, zrevrangebylex).flags(READONLY).acl(Z).keys(1, 1, 1, "RO access")
        .doc(G, "2.8.9", "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N))."),
    Command::new("zrevrangebyscore", -4, zrevrangebyscore).flags(READONLY).acl(Z).keys(1, 1, 1, "RO access")
        .doc(G, "2.2.0", "Return a range of members in a sorted set, by score, with scores ordered from high to low", "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N))."),
    Command::new("zrevrank", 3, zrevrank).flags(READONLY | FAST).acl(Z).keys(1, 1, 1, "RO access")
        .doc(G, "2.0.0", "Determine the index of a member in a sorted set, with scores ordered from high to low", "O(log(N))"),
    Command::new("zscan", -3, zscan).flags(READONLY).acl(Z).keys(1, 1, 1, "RO access")
        .tips(&["nondeterministic_output"])
        .doc(G, "2.8.0", "Incrementally iterate sorted sets elements and associated scores", "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.."),
    Command::new("zscore", 3, zscore).flags(READONLY | FAST).acl(Z).keys(1, 1, 1, "RO access")
        .doc(G, "1.2.0", "Get the score associated with the given member in a sorted set", "O(1)"),
    Command::new("zunion", -3, zunion).flags(READONLY | MOVABLE_KEYS).acl(Z)
        .key_specs(&[KeySpec::keynum(1, 0, 1, 1, "RO access")])
        .doc(G, "6.2.0", "Add multiple sorted sets", "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set."),
    Command::new("zunionstore", -4, zunionstore).flags(WRITE | DENYOOM | MOVABLE_KEYS).acl(Z).keys(1, 1, 1, "")
        .key_specs(&[KeySpec::new(1, 0, 1, "OW update"), KeySpec::keynum(2, 0, 1, 1, "RO access")])
        .doc(G, "2.0.0", "Add multiple sorted sets and store the resulting sorted set in a new key", "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set."),
];
