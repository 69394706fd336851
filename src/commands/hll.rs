//! HyperLogLog commands: PFADD PFCOUNT PFMERGE PFDEBUG PFSELFTEST. The HLL lives in
//! an ordinary string value (see `types::hll` for the layout).

use super::notify::STRING;
use super::{acl, flag::*, tracking, transactions, Command, Ctx, KeySpec};
use crate::error::{CmdError, CmdResult};
use crate::keyspace::Value;
use crate::types::hll::{self, Encoding};

const NOT_HLL: &str = "WRONGTYPE Key is not a valid HyperLogLog string value.";
const CORRUPT: &str = "INVALIDOBJ Corrupted HLL object detected";

fn corrupt(_: hll::Corrupt) -> CmdError {
    CmdError::msg(CORRUPT)
}

/// The HLL bytes of a value: WRONGTYPE for other types, and Redis's "not a valid
/// HyperLogLog" for strings that fail the header checks (integers included).
fn hll_bytes(value: &Value) -> Result<&[u8], CmdError> {
    match value {
        Value::Str(s) | Value::Raw(s) if hll::is_hll(s) => Ok(s),
        Value::Str(_) | Value::Raw(_) | Value::Int(_) => Err(CmdError::msg(NOT_HLL)),
        _ => Err(CmdError::WrongType),
    }
}

/// The HLL of an existing value, checked and made raw for in-place changes
/// (Redis's dbUnshareStringValue).
fn hll_mut(value: &mut Value) -> Result<&mut Vec<u8>, CmdError> {
    hll_bytes(value)?;
    value.make_raw().ok_or(CmdError::WrongType)
}

/// Redis's signalModifiedKey for a command the dispatcher treats as a read: WATCH
/// and client-side caching must still see the change.
fn signal_modified(ctx: &mut Ctx, key_arg: usize) {
    let key = ctx.arg(key_arg).to_vec();
    let db = ctx.client.db;
    transactions::touch_key(ctx.core, Some(&mut *ctx.client), db, &key);
    tracking::invalidate(ctx.core, Some(&mut *ctx.client), &[key]);
}

/// PFADD key [element ...]
fn pfadd(ctx: &mut Ctx) -> CmdResult {
    let max_bytes = ctx.core.config.hll_sparse_max_bytes;
    // A new key counts as one update: PFADD with no elements replies 1 if it created it.
    let (slot, mut updated) = match ctx.lookup_write(1) {
        Some(slot) => (slot, 0u64),
        None => {
            let key = ctx.arg(1).to_vec();
            let clock = ctx.core.lru_clock();
            let slot = ctx
                .db()
                .add(key.into(), Value::Raw(hll::new_sparse()), clock);
            (slot, 1)
        }
    };
    let db = ctx.client.db;
    let entry = ctx.core.dbs[db].entry_at(slot).ok_or(CmdError::NoSuchKey)?;
    let s = hll_mut(&mut entry.value)?;
    for elem in ctx.argv.iter().skip(2) {
        if hll::add(s, elem, max_bytes).map_err(corrupt)? {
            updated += 1;
        }
    }
    if updated > 0 {
        hll::invalidate_cache(s);
        ctx.notify(STRING, "pfadd", 1);
        ctx.dirty(updated);
    }
    ctx.out().int(i64::from(updated > 0));
    Ok(())
}

/// PFCOUNT key [key ...]
fn pfcount(ctx: &mut Ctx) -> CmdResult {
    if ctx.argc() > 2 {
        // The cardinality of the union, merged into a temporary.
        let mut max = vec![0u8; hll::REGISTERS];
        for i in 1..ctx.argc() {
            let Some(e) = ctx.lookup_read(i) else {
                continue;
            };
            hll::merge_into(&mut max, hll_bytes(&e.value)?).map_err(corrupt)?;
        }
        let n = hll::count_registers(&max);
        ctx.out().int(n as i64);
        return Ok(());
    }
    // A read (hit/miss stats, access time) that may refresh the cached count.
    let db = ctx.client.db;
    let slot = ctx.core.lookup_read_slot(db, &ctx.argv[1]);
    let Some(e) = slot.and_then(|slot| ctx.db().entry_at(slot)) else {
        ctx.out().int(0);
        return Ok(());
    };
    let s = hll_mut(&mut e.value)?;
    let card = match hll::cached_card(s) {
        Some(card) => card,
        None => {
            // Recompute and cache: the stored string changes, so this read counts
            // as a write for persistence, WATCH and tracking, as in Redis.
            let card = hll::count(s).map_err(corrupt)?;
            hll::set_cached_card(s, card);
            signal_modified(ctx, 1);
            ctx.dirty(1);
            // PFCOUNT is not a write command, yet the refreshed cache is
            // propagated (verbatim), as in Redis.
            let (name, key) = (ctx.argv[0].clone(), ctx.argv[1].clone());
            ctx.propagate_op(&[&name, &key]);
            card
        }
    };
    ctx.out().int(card as i64);
    Ok(())
}

/// PFMERGE destkey [sourcekey ...]
fn pfmerge(ctx: &mut Ctx) -> CmdResult {
    let max_bytes = ctx.core.config.hll_sparse_max_bytes;
    // The destination is merged too (it is argument 1 of the loop).
    let mut max = vec![0u8; hll::REGISTERS];
    let mut use_dense = false;
    for i in 1..ctx.argc() {
        let Some(e) = ctx.lookup_read(i) else {
            continue;
        };
        let s = hll_bytes(&e.value)?;
        use_dense |= hll::encoding(s) == Encoding::Dense;
        hll::merge_into(&mut max, s).map_err(corrupt)?;
    }
    let slot = match ctx.lookup_write(1) {
        Some(slot) => slot,
        None => {
            let key = ctx.arg(1).to_vec();
            let clock = ctx.core.lru_clock();
            ctx.db()
                .add(key.into(), Value::Raw(hll::new_sparse()), clock)
        }
    };
    let entry = ctx.db().entry_at(slot).ok_or(CmdError::NoSuchKey)?;
    let s = hll_mut(&mut entry.value)?;
    // A dense source makes the result dense at once (no sparse detour).
    if use_dense {
        hll::to_dense(s).map_err(corrupt)?;
    }
    hll::raise_all(s, &max, max_bytes).map_err(corrupt)?;
    hll::invalidate_cache(s);
    // Redis 7.0 announces a merge as "pfadd".
    ctx.notify(STRING, "pfadd", 1);
    ctx.dirty(1);
    ctx.out().ok();
    Ok(())
}

/// PFDEBUG GETREG|DECODE|ENCODING|TODENSE key
fn pfdebug(ctx: &mut Ctx) -> CmdResult {
    let Some(slot) = ctx.lookup_write(2) else {
        return Err(CmdError::msg("ERR The specified key does not exist"));
    };
    let sub = ctx.arg(1).to_ascii_lowercase();
    let entry = ctx.db().entry_at(slot).ok_or(CmdError::NoSuchKey)?;
    let s = hll_mut(&mut entry.value)?;
    match sub.as_slice() {
        b"getreg" => {
            let converted = hll::to_dense(s).map_err(corrupt)?;
            let regs = hll::dense_registers(s);
            if converted {
                ctx.dirty(1);
            }
            let out = ctx.out();
            out.array(regs.len());
            for r in regs {
                out.int(i64::from(r));
            }
        }
        b"decode" => {
            if hll::encoding(s) != Encoding::Sparse {
                return Err(CmdError::msg("ERR HLL encoding is not sparse"));
            }
            let text = hll::decode(s);
            ctx.out().bulk(text.as_bytes());
        }
        b"encoding" => {
            let name = hll::encoding(s).name();
            ctx.out().status(name);
        }
        b"todense" => {
            let converted = hll::to_dense(s).map_err(corrupt)?;
            if converted {
                ctx.dirty(1);
            }
            ctx.out().int(i64::from(converted));
        }
        _ => {
            return Err(CmdError::msg(format!(
                "ERR Unknown PFDEBUG subcommand '{}'",
                String::from_utf8_lossy(ctx.arg(1))
            )))
        }
    }
    Ok(())
}

/// PFSELFTEST
fn pfselftest(ctx: &mut Ctx) -> CmdResult {
    hll::self_test(ctx.core.config.hll_sparse_max_bytes).map_err(CmdError::msg)?;
    ctx.out().ok();
    Ok(())
}

const H: u32 = acl::HYPERLOGLOG;
const G: &str = "hyperloglog";

#[rustfmt::skip]
pub const COMMANDS: &[Command] = &[
    Command::new("pfadd", -2, pfadd).flags(WRITE | DENYOOM | FAST).acl(H).keys(1, 1, 1, "RW insert")
        .doc(G, "2.8.9", "Adds the specified elements to the specified HyperLogLog.", "O(1) to add every element."),
    Command::new("pfcount", -2, pfcount).flags(READONLY).acl(H).keys(1, -1, 1, "RW access")
        .key_specs(&[KeySpec::new(1, -1, 1, "RW access")
            .notes("RW because it may change the internal representation of the key, and propagate to replicas")])
        .doc(G, "2.8.9", "Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).",
            "O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys."),
    Command::new("pfmerge", -2, pfmerge).flags(WRITE | DENYOOM).acl(H).keys(1, -1, 1, "RW access insert")
        .key_specs(&[KeySpec::new(1, 0, 1, "RW access insert"), KeySpec::new(2, -1, 1, "RO access")])
        .doc(G, "2.8.9", "Merge N different HyperLogLogs into a single one.", "O(N) to merge N HyperLogLogs, but with high constant times."),
    Command::new("pfdebug", 3, pfdebug).flags(WRITE | DENYOOM | ADMIN).acl(H).keys(2, 2, 1, "RW access")
        .doc(G, "2.8.9", "Internal commands for debugging HyperLogLog values", "N/A"),
    Command::new("pfselftest", 1, pfselftest).flags(ADMIN).acl(H)
        .doc(G, "2.8.9", "An internal command for testing HyperLogLog values", "N/A"),
];
