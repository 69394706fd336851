//! Stream commands: XADD XRANGE XREVRANGE XLEN XDEL XTRIM XSETID XREAD. (Consumer
//! groups live in stream_groups.rs.)
//!
//! Arguments are checked in the order Redis checks them, since that order decides
//! which error a client sees. The id parsers here are shared with the consumer-group
//! commands.

use super::blocking::{self, OnTimeout};
use super::notify::event;
use super::{acl, flag::*, Command, Ctx, KeySpec};
use super::{read_typed, write_typed};
use crate::config::notify::STREAM;
use crate::error::{err, CmdError, CmdResult};
use crate::keyspace::Value;
use crate::protocol::ReplyBuf;
use crate::server::Core;
use crate::types::stream::{NodeLimits, Stream, StreamId, Trim};
use crate::util::num;

pub(crate) const INVALID_ID: &str = "ERR Invalid stream ID specified as stream command argument";

/// What a blocked XREAD without COUNT is served at most, per wake-up (Redis's
/// XREAD_BLOCKED_DEFAULT_COUNT).
const BLOCKED_DEFAULT_COUNT: usize = 1000;

fn invalid_id() -> CmdError {
    CmdError::msg(INVALID_ID)
}

/// One part of an id, as Redis's string2ull: a canonical integer >= 0, or what C's
/// strtoull accepts whole (leading blanks, a sign, leading zeros; "-n" wraps).
fn parse_id_part(s: &[u8]) -> Option<u64> {
    if let Some(v) = num::parse_i64(s) {
        return u64::try_from(v).ok();
    }
    let (negative, digits) = num::c_sign_digits(s)?;
    let mut v: u64 = 0;
    for &d in digits {
        v = v.checked_mul(10)?.checked_add((d - b'0') as u64)?;
    }
    Some(if negative { v.wrapping_neg() } else { v })
}

/// Redis's streamGenericParseIDOrReply: "ms-seq", "ms" (seq = `missing_seq`), and
/// unless `strict` "-" and "+"; with `auto_seq`, "ms-*" too. Returns the id and
/// whether its sequence was given (false for "ms-*").
pub(crate) fn parse_id_generic(
    arg: &[u8],
    missing_seq: u64,
    strict: bool,
    auto_seq: bool,
) -> Result<(StreamId, bool), CmdError> {
    if arg.len() > 127 {
        return Err(invalid_id());
    }
    // Redis parses a C string: anything after a NUL byte is ignored.
    let s = arg.iter().position(|&b| b == 0).map_or(arg, |n| &arg[..n]);
    match s {
        b"-" | b"+" if strict => return Err(invalid_id()),
        b"-" => return Ok((StreamId::MIN, true)),
        b"+" => return Ok((StreamId::MAX, true)),
        _ => {}
    }
    let (ms_part, seq_part) = match s.iter().position(|&b| b == b'-') {
        Some(d) => (&s[..d], Some(&s[d + 1..])),
        None => (s, None),
    };
    let ms = parse_id_part(ms_part).ok_or_else(invalid_id)?;
    let (seq, given) = match seq_part {
        Some(b"*") if auto_seq => (0, false),
        Some(p) => (parse_id_part(p).ok_or_else(invalid_id)?, true),
        None => (missing_seq, true),
    };
    Ok((StreamId::new(ms, seq), given))
}

/// A strict id ("-" and "+" refused; a missing sequence is 0).
pub(crate) fn parse_strict_id(arg: &[u8]) -> Result<StreamId, CmdError> {
    parse_id_generic(arg, 0, true, false).map(|(id, _)| id)
}

/// A range bound: "-", "+", or an id whose missing sequence is `missing_seq`.
pub(crate) fn parse_range_id(arg: &[u8], missing_seq: u64) -> Result<StreamId, CmdError> {
    parse_id_generic(arg, missing_seq, false, false).map(|(id, _)| id)
}

/// A range bound that may be exclusive ("(id", strict); returns (id, exclusive).
pub(crate) fn parse_interval_id(
    arg: &[u8],
    missing_seq: u64,
) -> Result<(StreamId, bool), CmdError> {
    if arg.len() > 1 && arg[0] == b'(' {
        let (id, _) = parse_id_generic(&arg[1..], missing_seq, true, false)?;
        Ok((id, true))
    } else {
        Ok((parse_range_id(arg, missing_seq)?, false))
    }
}

/// Writes one entry: [id, [field, value, ...]].
pub(crate) fn write_entry(out: &mut ReplyBuf, id: StreamId, pairs: &[(&[u8], &[u8])]) {
    let mut idbuf = Vec::with_capacity(42);
    id.write(&mut idbuf);
    out.array(2);
    out.bulk(&idbuf);
    out.array(pairs.len() * 2);
    for (f, v) in pairs {
        out.bulk(f);
        out.bulk(v);
    }
}

/// Writes the live entries in [start, end] (at most `count`, 0 = all) as an array,
/// as Redis's streamReplyWithRange. Returns how many were written.
pub(crate) fn reply_range(
    out: &mut ReplyBuf,
    s: &Stream,
    start: StreamId,
    end: StreamId,
    count: usize,
    rev: bool,
) -> usize {
    let mark = out.buf.len();
    let mut n = 0;
    s.range(start, end, rev, |id, pairs| {
        write_entry(out, id, pairs);
        n += 1;
        count == 0 || n < count
    });
    // The length is known only now: put the header in front of the entries.
    let mut header = Vec::with_capacity(16);
    header.push(b'*');
    num::fmt_i64(n as i64, &mut header);
    header.extend_from_slice(b"\r\n");
    out.buf.splice(mark..mark, header);
    n
}

/// Parsed XADD/XTRIM options (Redis's streamAddTrimArgs).
struct AddTrim {
    /// XADD's explicit id and whether its sequence was given.
    id: Option<(StreamId, bool)>,
    /// Position of the id argument (XADD).
    id_pos: usize,
    nomkstream: bool,
    trim: Option<Trim>,
    approx: bool,
    /// Position of the trim threshold argument.
    threshold_pos: usize,
    /// Most entries a trim may remove; 0 = no limit.
    limit: u64,
}

/// Redis's streamParseAddOrTrimArgsOrReply.
fn parse_add_trim(ctx: &Ctx, xadd: bool) -> Result<AddTrim, CmdError> {
    const BOTH: &str =
        "ERR syntax error, MAXLEN and MINID options at the same time are not compatible";
    let argc = ctx.argc();
    let mut a = AddTrim {
        id: None,
        id_pos: argc,
        nomkstream: false,
        trim: None,
        approx: false,
        threshold_pos: 0,
        limit: 0,
    };
    let mut limit: i64 = 0;
    let mut limit_given = false;
    let mut i = 2;
    while i < argc {
        let more = argc - 1 - i;
        let opt = ctx.arg(i);
        if xadd && opt == b"*" {
            break;
        } else if (ctx.is(i, "maxlen") || ctx.is(i, "minid")) && more > 0 {
            // MAXLEN and MINID share their syntax: [=|~] threshold.
            let maxlen = ctx.is(i, "maxlen");
            if a.trim.is_some() {
                return err(BOTH);
            }
            a.approx = false;
            let next = ctx.arg(i + 1);
            if more >= 2 && next == b"~" {
                a.approx = true;
                i += 1;
            } else if more >= 2 && next == b"=" {
                i += 1;
            }
            i += 1;
            a.trim = Some(if maxlen {
                let n = ctx.parse_i64(i)?;
                if n < 0 {
                    return err("ERR The MAXLEN argument must be >= 0.");
                }
                Trim::MaxLen(n as u64)
            } else {
                Trim::MinId(parse_strict_id(ctx.arg(i))?)
            });
            a.threshold_pos = i;
        } else if ctx.is(i, "limit") && more > 0 {
            limit = ctx.parse_i64(i + 1)?;
            if limit < 0 {
                return err("ERR The LIMIT argument must be >= 0.");
            }
            limit_given = true;
            i += 1;
        } else if xadd && ctx.is(i, "nomkstream") {
            a.nomkstream = true;
        } else if xadd {
            a.id = Some(parse_id_generic(opt, 0, true, true)?);
            break;
        } else {
            return Err(CmdError::Syntax);
        }
        i += 1;
    }
    a.id_pos = i;
    if limit != 0 && a.trim.is_none() {
        return err(
            "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy",
        );
    }
    if !xadd && a.trim.is_none() {
        return err("ERR syntax error, XTRIM must be called with a trimming strategy");
    }
    if ctx.client.obey {
        // A replayed trim was recorded exact (`=`, maybe with the LIMIT it was
        // given): it removes what it removed the first time, with no limit.
        a.limit = 0;
    } else if limit_given {
        if !a.approx {
            return err("ERR syntax error, LIMIT cannot be used without the special ~ option");
        }
        a.limit = limit as u64;
    } else if a.approx {
        // At most 100 nodes' worth of work, bounded on both sides.
        let per_node = ctx.core.config.stream_node_max_entries;
        a.limit = per_node.saturating_mul(100).clamp(1, 1_000_000);
        if per_node == 0 {
            a.limit = 10_000;
        }
    }
    Ok(a)
}

/// Rewrites an approximate trim as the exact one it turned out to be (`=` and
/// the resulting length or first id), as Redis does so that replaying the
/// command gives the same stream.
fn rewrite_approx_trim(argv: &mut [Vec<u8>], a: &AddTrim, s: &Stream) {
    if !a.approx || a.threshold_pos < 1 || a.threshold_pos >= argv.len() {
        return;
    }
    argv[a.threshold_pos - 1] = b"=".to_vec();
    argv[a.threshold_pos] = match a.trim {
        Some(Trim::MinId(_)) => s.first_id_with_tombstones().to_bytes(),
        _ => s.len().to_string().into_bytes(),
    };
}

fn node_limits(core: &Core) -> NodeLimits {
    NodeLimits {
        max_bytes: core.config.stream_node_max_bytes,
        max_entries: core.config.stream_node_max_entries,
    }
}

/// XADD key [NOMKSTREAM] [MAXLEN|MINID [=|~] threshold [LIMIT count]] *|id field value [field value ...]
fn xadd(ctx: &mut Ctx) -> CmdResult {
    let a = parse_add_trim(ctx, true)?;
    let field_pos = a.id_pos + 1;
    let argc = ctx.argc();
    if argc < field_pos + 2 || (argc - field_pos) % 2 == 1 {
        return Err(CmdError::Arity("xadd".into()));
    }
    if let Some((id, true)) = a.id {
        if id == StreamId::MIN {
            return err("ERR The ID specified in XADD must be greater than 0-0");
        }
    }
    let now_ms = ctx.now();
    let limits = node_limits(ctx.core);
    let clock = ctx.core.lru_clock();
    let Ctx { core, client, argv } = ctx;
    let (db, key) = (&mut core.dbs[client.db], &argv[1]);
    // One lookup: the slot stays valid for the append below.
    let slot = db.lookup(key, now_ms);
    let last_id = match slot.and_then(|at| db.entry_at(at)) {
        Some(e) => {
            e.access = clock;
            match &e.value {
                Value::Stream(s) => s.last_id,
                _ => return Err(CmdError::WrongType),
            }
        }
        None if a.nomkstream => {
            client.out.null();
            return Ok(());
        }
        None => StreamId::MIN,
    };
    if last_id == StreamId::MAX {
        return err("ERR The stream has exhausted the last possible ID, unable to add more items");
    }
    const SMALLER: &str =
        "ERR The ID specified in XADD is equal or smaller than the target stream top item";
    let id = match a.id {
        Some((id, true)) => id,
        Some((id, false)) if id.ms == last_id.ms => {
            if last_id.seq == u64::MAX {
                return err(SMALLER);
            }
            StreamId::new(id.ms, last_id.seq + 1)
        }
        Some((id, false)) => id,
        None => last_id
            .next_auto(now_ms.max(0) as u64)
            .ok_or(CmdError::msg(SMALLER))?,
    };
    if id <= last_id {
        return err(SMALLER);
    }
    let slot = match slot {
        Some(at) => at,
        None => db.add(key.as_slice().into(), Value::Stream(Box::default()), clock),
    };
    let Some(Value::Stream(s)) = db.entry_at(slot).map(|e| &mut e.value) else {
        return Err(CmdError::NoSuchKey);
    };
    if s.append(id, &argv[field_pos..], limits).is_err() {
        return err("ERR Elements are too large to be stored");
    }
    let trimmed = match a.trim {
        Some(how) => s.trim(how, a.approx, a.limit),
        None => 0,
    };
    if a.trim.is_some() {
        rewrite_approx_trim(argv, &a, s);
    }
    let idbuf = id.to_bytes();
    client.out.bulk(&idbuf);
    core.dirty += 1;
    event(core, client, STREAM, "xadd", &argv[1]);
    if trimmed > 0 {
        event(core, client, STREAM, "xtrim", &argv[1]);
    }
    // What a replay must add: the id actually used.
    if !matches!(a.id, Some((_, true))) {
        argv[a.id_pos] = idbuf;
    }
    core.prop.rewrite_argv(argv);
    Ok(())
}

/// XRANGE key start end [COUNT count] / XREVRANGE key end start [COUNT count]
fn range_generic(ctx: &mut Ctx, rev: bool) -> CmdResult {
    let (start_at, end_at) = if rev { (3, 2) } else { (2, 3) };
    let (mut start, start_ex) = parse_interval_id(ctx.arg(start_at), 0)?;
    if start_ex {
        start = start
            .incr()
            .ok_or(CmdError::msg("ERR invalid start ID for the interval"))?;
    }
    let (mut end, end_ex) = parse_interval_id(ctx.arg(end_at), u64::MAX)?;
    if end_ex {
        end = end
            .decr()
            .ok_or(CmdError::msg("ERR invalid end ID for the interval"))?;
    }
    let mut count: i64 = -1;
    let mut j = 4;
    while j < ctx.argc() {
        if ctx.is(j, "count") && j + 1 < ctx.argc() {
            count = ctx.parse_i64(j + 1)?.max(0);
            j += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let Ctx { core, client, argv } = ctx;
    let Some(s) = read_typed::<Stream>(core, client.db, &argv[1])? else {
        client.out.array(0);
        return Ok(());
    };
    if count == 0 {
        client.out.null_array();
        return Ok(());
    }
    reply_range(&mut client.out, s, start, end, count.max(0) as usize, rev);
    Ok(())
}

fn xrange(ctx: &mut Ctx) -> CmdResult {
    range_generic(ctx, false)
}

fn xrevrange(ctx: &mut Ctx) -> CmdResult {
    range_generic(ctx, true)
}

/// XLEN key
fn xlen(ctx: &mut Ctx) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    let n = read_typed::<Stream>(core, client.db, &argv[1])?.map_or(0, |s| s.len());
    client.out.int(n as i64);
    Ok(())
}

/// XDEL key id [id ...]
fn xdel(ctx: &mut Ctx) -> CmdResult {
    let Ctx { core, client, argv } = ctx;
    let db = client.db;
    if write_typed::<Stream>(core, db, &argv[1], true)?.is_none() {
        client.out.int(0);
        return Ok(());
    }
    // Every id is checked before any is deleted.
    let ids = argv[2..]
        .iter()
        .map(|a| parse_strict_id(a))
        .collect::<Result<Vec<_>, _>>()?;
    let s = write_typed::<Stream>(core, db, &argv[1], true)?.ok_or(CmdError::NoSuchKey)?;
    let deleted = s.delete_ids(&ids);
    if deleted > 0 {
        event(core, client, STREAM, "xdel", &argv[1]);
        core.dirty += deleted;
    }
    client.out.int(deleted as i64);
    Ok(())
}

/// XTRIM key MAXLEN|MINID [=|~] threshold [LIMIT count]
fn xtrim(ctx: &mut Ctx) -> CmdResult {
    let a = parse_add_trim(ctx, false)?;
    let Ctx { core, client, argv } = ctx;
    let Some(s) = write_typed::<Stream>(core, client.db, &argv[1], true)? else {
        client.out.int(0);
        return Ok(());
    };
    let deleted = match a.trim {
        Some(how) => s.trim(how, a.approx, a.limit),
        None => 0,
    };
    if deleted > 0 {
        rewrite_approx_trim(argv, &a, s);
        core.prop.rewrite_argv(argv);
        event(core, client, STREAM, "xtrim", &argv[1]);
        core.dirty += deleted;
    }
    client.out.int(deleted as i64);
    Ok(())
}

/// XSETID key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]
fn xsetid(ctx: &mut Ctx) -> CmdResult {
    let id = parse_strict_id(ctx.arg(2))?;
    let mut entries_added: Option<u64> = None;
    let mut max_deleted = StreamId::MIN;
    let mut i = 3;
    while i < ctx.argc() {
        let more = ctx.argc() - 1 - i;
        if ctx.is(i, "entriesadded") && more > 0 {
            let n = ctx.parse_i64(i + 1)?;
            if n < 0 {
                return err("ERR entries_added must be positive");
            }
            entries_added = Some(n as u64);
        } else if ctx.is(i, "maxdeletedid") && more > 0 {
            max_deleted = parse_strict_id(ctx.arg(i + 1))?;
            if id < max_deleted {
                return err(
                    "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id",
                );
            }
        } else {
            return Err(CmdError::Syntax);
        }
        i += 2;
    }
    let Ctx { core, client, argv } = ctx;
    let s = write_typed::<Stream>(core, client.db, &argv[1], true)?.ok_or(CmdError::NoSuchKey)?;
    if !s.is_empty() {
        let top = s.last_live_id().unwrap_or(StreamId::MIN);
        if id < top {
            return err(
                "ERR The ID specified in XSETID is smaller than the target stream top item",
            );
        }
        if entries_added.is_some_and(|n| s.len() > n) {
            return err(
                "ERR The entries_added specified in XSETID is smaller than the target stream length",
            );
        }
    }
    s.last_id = id;
    if let Some(n) = entries_added {
        s.entries_added = n;
    }
    if max_deleted != StreamId::MIN {
        s.max_deleted_id = max_deleted;
    }
    client.out.ok();
    core.dirty += 1;
    // Redis does not signal XSETID as a key modification: WATCH, tracking and
    // blocked readers do not see it.
    core.quiet_write = true;
    event(core, client, STREAM, "xsetid", &argv[1]);
    Ok(())
}

/// XREAD [COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]
fn xread(ctx: &mut Ctx) -> CmdResult {
    let argc = ctx.argc();
    let mut timeout: Option<i64> = None;
    let mut count: i64 = 0;
    let mut streams_at = 0;
    let mut i = 1;
    while i < argc {
        let more = argc - i - 1;
        if ctx.is(i, "block") && more > 0 {
            i += 1;
            let t = num::parse_i64(ctx.arg(i)).ok_or(CmdError::msg(
                "ERR timeout is not an integer or out of range",
            ))?;
            if t < 0 {
                return err("ERR timeout is negative");
            }
            timeout = Some(t);
        } else if ctx.is(i, "count") && more > 0 {
            i += 1;
            count = ctx.parse_i64(i)?.max(0);
        } else if ctx.is(i, "streams") && more > 0 {
            streams_at = i + 1;
            if !(argc - streams_at).is_multiple_of(2) {
                return err(
                    "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.",
                );
            }
            break;
        } else if ctx.is(i, "group") && more >= 2 {
            return err(
                "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.",
            );
        } else if ctx.is(i, "noack") {
            return err(
                "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.",
            );
        } else {
            return Err(CmdError::Syntax);
        }
        i += 1;
    }
    if streams_at == 0 {
        return Err(CmdError::Syntax);
    }
    let n = (argc - streams_at) / 2;
    let db = ctx.client.db;
    // A woken client is served for the key that became ready only, as in Redis.
    let serving = if ctx.core.blocking.retrying {
        ctx.core.blocking.serving.clone()
    } else {
        None
    };
    let wanted = |ctx: &Ctx, k: usize| {
        serving
            .as_ref()
            .is_none_or(|(d, key)| *d == db && key.as_slice() == ctx.arg(streams_at + k))
    };
    // The ids (after which to read), checking each key's type first.
    let mut ids = Vec::with_capacity(n);
    for k in 0..n {
        if !wanted(ctx, k) {
            ids.push(None);
            continue;
        }
        let Ctx { core, argv, .. } = &mut *ctx;
        let s = read_typed::<Stream>(core, db, &argv[streams_at + k])?;
        let arg = &argv[streams_at + n + k];
        let id = if arg.as_slice() == b"$" {
            s.map_or(StreamId::MIN, |s| s.last_id)
        } else if arg.as_slice() == b">" {
            return err("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
        } else {
            parse_strict_id(arg)?
        };
        ids.push(Some(id));
    }
    // Which streams have entries after their id.
    let mut ready = Vec::new();
    for (k, gt) in ids.iter().enumerate() {
        let Some(gt) = *gt else { continue };
        let Ctx { core, argv, .. } = &mut *ctx;
        let Some(s) = read_typed::<Stream>(core, db, &argv[streams_at + k])? else {
            continue;
        };
        let has_more = if serving.is_some() {
            s.last_id > gt
        } else {
            !s.is_empty() && s.last_live_id().is_some_and(|last| last > gt)
        };
        if has_more {
            ready.push((k, gt));
            if serving.is_some() {
                break;
            }
        }
    }
    if !ready.is_empty() {
        let per_stream = match (count, serving.is_some()) {
            (0, true) => BLOCKED_DEFAULT_COUNT,
            (c, _) => c as usize,
        };
        let Ctx { core, client, argv } = &mut *ctx;
        let out = &mut client.out;
        if out.is_resp3() {
            out.map(ready.len());
        } else {
            out.array(ready.len());
        }
        for (k, gt) in ready {
            let key = &argv[streams_at + k];
            if !out.is_resp3() {
                out.array(2);
            }
            out.bulk(key);
            let start = gt.incr().unwrap_or(StreamId::MAX);
            match read_typed::<Stream>(core, db, key)? {
                Some(s) => {
                    reply_range(out, s, start, StreamId::MAX, per_stream, false);
                }
                None => out.array(0),
            }
        }
        return Ok(());
    }
    let Some(timeout) = timeout else {
        ctx.out().null_array();
        return Ok(());
    };
    if blocking::must_not_block(ctx) {
        ctx.out().null_array();
        return Ok(());
    }
    // Remember what "$" meant now, so a wake-up compares with it, not with the
    // stream's last id at that time.
    for (k, id) in ids.iter().enumerate() {
        if let Some(id) = id {
            if ctx.argv[streams_at + n + k] == b"$" {
                ctx.argv[streams_at + n + k] = id.to_bytes();
            }
        }
    }
    let keys = blocking::keys_at(ctx, streams_at..streams_at + n);
    let t = if timeout == 0 { None } else { Some(timeout) };
    blocking::block(ctx, keys, t, OnTimeout::NullArray);
    Ok(())
}

const S: u32 = acl::STREAM;
const G: &str = "stream";

#[rustfmt::skip]
pub const COMMANDS: &[Command] = &[
    Command::new("xadd", -5, xadd).flags(WRITE | DENYOOM | FAST).acl(S).keys(1, 1, 1, "RW update")
        .key_specs(&[KeySpec::new(1, 0, 1, "RW update")
            .notes("UPDATE instead of INSERT because of the optional trimming feature")])
        .tips(&["nondeterministic_output"])
        .doc(G, "5.0.0", "Appends a new entry to a stream", "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted."),
    Command::new("xrange", -4, xrange).flags(READONLY).acl(S).keys(1, 1, 1, "RO access")
        .doc(G, "5.0.0", "Return a range of elements in a stream, with IDs matching the specified IDs interval", "O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1)."),
    Command::new("xrevrange", -4, xrevrange).flags(READONLY).acl(S).keys(1, 1, 1, "RO access")
        .doc(G, "5.0.0", "Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE", "O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1)."),
    Command::new("xlen", 2, xlen).flags(READONLY | FAST).acl(S).keys(1, 1, 1, "RO")
        .doc(G, "5.0.0", "Return the number of entries in a stream", "O(1)"),
    Command::new("xdel", -3, xdel).flags(WRITE | FAST).acl(S).keys(1, 1, 1, "RW delete")
        .doc(G, "5.0.0", "Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.", "O(1) for each single item to delete in the stream, regardless of the stream size."),
    Command::new("xtrim", -4, xtrim).flags(WRITE).acl(S).keys(1, 1, 1, "RW delete")
        .tips(&["nondeterministic_output"])
        .doc(G, "5.0.0", "Trims the stream to (approximately if '~' is passed) a certain size", "O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation."),
    Command::new("xsetid", -3, xsetid).flags(WRITE | DENYOOM | FAST).acl(S).keys(1, 1, 1, "RW update")
        .doc(G, "5.0.0", "An internal command for replicating stream values", "O(1)"),
    Command::new("xread", -4, xread).flags(READONLY | BLOCKING | MOVABLE_KEYS).acl(S)
        .key_specs(&[KeySpec::keyword("STREAMS", 1, -1, 1, "RO access").limit(2)])
        .doc(G, "5.0.0", "Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.", "For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data."),
];
