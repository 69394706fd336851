//! Bitmap commands: SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD BITFIELD_RO.

use super::notify::{GENERIC, STRING};
use super::{acl, as_string, flag::*, Command, Ctx, KeySpec};
use crate::error::{err, CmdError, CmdResult};
use crate::keyspace::Value;
use crate::types::bitops::{self, BitOp, BitUnit, BitfieldType, Overflow};

const BAD_OFFSET: &str = "ERR bit offset is not an integer or out of range";

fn parse_offset(ctx: &Ctx, i: usize, hash_bits: u8) -> Result<u64, CmdError> {
    bitops::parse_bit_offset(ctx.arg(i), hash_bits, ctx.core.config.proto_max_bulk_len)
        .ok_or_else(|| CmdError::msg(BAD_OFFSET))
}

/// The raw bytes of the string at argument `i` for writing, created empty if missing.
fn string_for_write<'a>(ctx: &'a mut Ctx, i: usize) -> Result<&'a mut Vec<u8>, CmdError> {
    let slot = match ctx.lookup_write(i) {
        Some(s) => s,
        None => {
            let key = ctx.arg(i).to_vec();
            let clock = ctx.core.lru_clock();
            ctx.db().add(key.into(), Value::Raw(Vec::new()), clock)
        }
    };
    let e = ctx.db().entry_at(slot).ok_or(CmdError::NoSuchKey)?;
    e.value.make_raw().ok_or(CmdError::WrongType)
}

/// The string at argument `i` for reading: None if missing, WRONGTYPE for other types.
fn string_for_read(ctx: &mut Ctx, i: usize) -> Result<Option<Vec<u8>>, CmdError> {
    match ctx.lookup_read(i) {
        None => Ok(None),
        Some(e) => Ok(Some(as_string(&e.value)?.into_owned())),
    }
}

fn setbit(ctx: &mut Ctx) -> CmdResult {
    let offset = parse_offset(ctx, 2, 0)?;
    let on = match ctx.arg(3) {
        b"1" => true,
        b"0" => false,
        _ => return err("ERR bit is not an integer or out of range"),
    };
    let v = string_for_write(ctx, 1)?;
    let len = v.len();
    let old = bitops::setbit(v, offset, on);
    // Redis says "setbit" only when the string grew or the bit changed.
    let changed = v.len() != len || (old == 1) != on;
    ctx.dirty(1);
    if changed {
        ctx.notify(STRING, "setbit", 1);
    }
    ctx.out().int(old as i64);
    Ok(())
}

fn getbit(ctx: &mut Ctx) -> CmdResult {
    let offset = parse_offset(ctx, 2, 0)?;
    let bit = match ctx.lookup_read(1) {
        None => 0,
        Some(e) => bitops::getbit(&as_string(&e.value)?, offset),
    };
    ctx.out().int(bit as i64);
    Ok(())
}

fn parse_unit(ctx: &Ctx, i: usize) -> Result<BitUnit, CmdError> {
    if ctx.is(i, "bit") {
        Ok(BitUnit::Bit)
    } else if ctx.is(i, "byte") {
        Ok(BitUnit::Byte)
    } else {
        Err(CmdError::Syntax)
    }
}

/// BITCOUNT key [start end [BYTE|BIT]]
fn bitcount(ctx: &mut Ctx) -> CmdResult {
    let range = match ctx.argc() {
        2 => None,
        4 | 5 => {
            let start = ctx.parse_i64(2)?;
            let end = ctx.parse_i64(3)?;
            let unit = if ctx.argc() == 5 {
                parse_unit(ctx, 4)?
            } else {
                BitUnit::Byte
            };
            Some((start, end, unit))
        }
        _ => return Err(CmdError::Syntax),
    };
    let n = match string_for_read(ctx, 1)? {
        None => 0,
        Some(s) => bitops::bitcount(&s, range),
    };
    ctx.out().int(n);
    Ok(())
}

/// BITPOS key bit [start [end [BYTE|BIT]]]
fn bitpos(ctx: &mut Ctx) -> CmdResult {
    let bit = ctx.parse_i64(2)?;
    if bit != 0 && bit != 1 {
        return err("ERR The bit argument must be 1 or 0.");
    }
    let Some(s) = string_for_read(ctx, 1)? else {
        ctx.out().int(if bit == 1 { -1 } else { 0 });
        return Ok(());
    };
    let (start, end, unit) = match ctx.argc() {
        3 => (None, None, BitUnit::Byte),
        4..=6 => {
            let start = ctx.parse_i64(3)?;
            let unit = if ctx.argc() == 6 {
                parse_unit(ctx, 5)?
            } else {
                BitUnit::Byte
            };
            let end = if ctx.argc() >= 5 {
                Some(ctx.parse_i64(4)?)
            } else {
                None
            };
            (Some(start), end, unit)
        }
        _ => return Err(CmdError::Syntax),
    };
    let pos = bitops::bitpos(&s, bit == 1, start, end, unit);
    ctx.out().int(pos);
    Ok(())
}

/// BITOP AND|OR|XOR|NOT destkey srckey [srckey ...]
fn bitop(ctx: &mut Ctx) -> CmdResult {
    let op = if ctx.is(1, "and") {
        BitOp::And
    } else if ctx.is(1, "or") {
        BitOp::Or
    } else if ctx.is(1, "xor") {
        BitOp::Xor
    } else if ctx.is(1, "not") {
        BitOp::Not
    } else {
        return Err(CmdError::Syntax);
    };
    if op == BitOp::Not && ctx.argc() != 4 {
        return err("ERR BITOP NOT must be called with a single source key.");
    }
    let mut srcs = Vec::with_capacity(ctx.argc() - 3);
    for i in 3..ctx.argc() {
        srcs.push(string_for_read(ctx, i)?.unwrap_or_default());
    }
    let refs: Vec<&[u8]> = srcs.iter().map(|s| s.as_slice()).collect();
    let result = bitops::bitop(op, &refs);
    let len = result.len();
    let key = ctx.take_arg(2);
    let clock = ctx.core.lru_clock();
    if result.is_empty() {
        if ctx.db().remove(&key).is_some() {
            ctx.notify_key(GENERIC, "del", &key);
        }
    } else {
        ctx.db()
            .set(&key, Value::Raw(result), crate::keyspace::NO_EXPIRE, clock);
        ctx.notify_key(STRING, "set", &key);
    }
    ctx.dirty(1);
    ctx.out().int(len as i64);
    Ok(())
}

enum FieldOp {
    Get(BitfieldType, u64),
    Set(BitfieldType, u64, i64, Overflow),
    IncrBy(BitfieldType, u64, i64, Overflow),
}

fn parse_type(ctx: &Ctx, i: usize) -> Result<BitfieldType, CmdError> {
    BitfieldType::parse(ctx.arg(i)).ok_or_else(|| {
        CmdError::msg("ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.")
    })
}

fn bitfield_generic(ctx: &mut Ctx, readonly: bool) -> CmdResult {
    let mut ops = Vec::new();
    let mut overflow = Overflow::Wrap;
    let mut j = 2;
    while j < ctx.argc() {
        let left = ctx.argc() - j - 1;
        if ctx.is(j, "get") && left >= 2 {
            let ty = parse_type(ctx, j + 1)?;
            let off = parse_offset(ctx, j + 2, ty.bits())?;
            ops.push(FieldOp::Get(ty, off));
            j += 3;
        } else if ctx.is(j, "set") && left >= 3 {
            let ty = parse_type(ctx, j + 1)?;
            let off = parse_offset(ctx, j + 2, ty.bits())?;
            let v = ctx.parse_i64(j + 3)?;
            ops.push(FieldOp::Set(ty, off, v, overflow));
            j += 4;
        } else if ctx.is(j, "incrby") && left >= 3 {
            let ty = parse_type(ctx, j + 1)?;
            let off = parse_offset(ctx, j + 2, ty.bits())?;
            let v = ctx.parse_i64(j + 3)?;
            ops.push(FieldOp::IncrBy(ty, off, v, overflow));
            j += 4;
        } else if ctx.is(j, "overflow") && left >= 1 {
            overflow = if ctx.is(j + 1, "wrap") {
                Overflow::Wrap
            } else if ctx.is(j + 1, "sat") {
                Overflow::Sat
            } else if ctx.is(j + 1, "fail") {
                Overflow::Fail
            } else {
                return err("ERR Invalid OVERFLOW type specified");
            };
            j += 2;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    let writes = ops.iter().any(|o| !matches!(o, FieldOp::Get(..)));
    if readonly && writes {
        return err("ERR BITFIELD_RO only supports the GET subcommand");
    }
    let mut results: Vec<Option<i64>> = Vec::with_capacity(ops.len());
    if writes {
        let v = string_for_write(ctx, 1)?;
        let len = v.len();
        // Redis says "setbit" once if the string grew or some field's value changed.
        let mut changed = false;
        for op in &ops {
            results.push(match *op {
                FieldOp::Get(ty, off) => Some(bitops::get(v, off, ty)),
                FieldOp::Set(ty, off, val, ovf) => {
                    let old = bitops::get(v, off, ty);
                    let r = bitops::set_with_overflow(v, off, ty, val, ovf).map(|_| old);
                    changed |= bitops::get(v, off, ty) != old;
                    r
                }
                FieldOp::IncrBy(ty, off, incr, ovf) => {
                    let old = bitops::get(v, off, ty);
                    let r = bitops::incrby(v, off, ty, incr, ovf);
                    changed |= r.is_some_and(|n| n != old);
                    r
                }
            });
        }
        changed |= v.len() != len;
        ctx.dirty(1);
        if changed {
            ctx.notify(STRING, "setbit", 1);
        }
    } else {
        let s = string_for_read(ctx, 1)?.unwrap_or_default();
        for op in &ops {
            if let FieldOp::Get(ty, off) = *op {
                results.push(Some(bitops::get(&s, off, ty)));
            }
        }
    }
    let out = ctx.out();
    out.array(results.len());
    for r in results {
        match r {
            Some(n) => out.int(n),
            None => out.null(),
        }
    }
    Ok(())
}

fn bitfield(ctx: &mut Ctx) -> CmdResult {
    bitfield_generic(ctx, false)
}

fn bitfield_ro(ctx: &mut Ctx) -> CmdResult {
    bitfield_generic(ctx, true)
}

const B: u32 = acl::BITMAP;
const G: &str = "bitmap";

pub const COMMANDS: &[Command] = &[
    Command::new("setbit", 4, setbit).flags(WRITE | DENYOOM).acl(B).keys(1, 1, 1, "RW ACCESS UPDATE")
        .doc(G, "2.2.0", "Sets or clears the bit at offset in the string value stored at key", "O(1)"),
    Command::new("getbit", 3, getbit).flags(READONLY | FAST).acl(B).keys(1, 1, 1, "RO ACCESS")
        .doc(G, "2.2.0", "Returns the bit value at offset in the string value stored at key", "O(1)"),
    Command::new("bitcount", -2, bitcount).flags(READONLY).acl(B).keys(1, 1, 1, "RO ACCESS")
        .doc(G, "2.6.0", "Count set bits in a string", "O(N)"),
    Command::new("bitpos", -3, bitpos).flags(READONLY).acl(B).keys(1, 1, 1, "RO ACCESS")
        .doc(G, "2.8.7", "Find first bit set or clear in a string", "O(N)"),
    Command::new("bitop", -4, bitop).flags(WRITE | DENYOOM).acl(B).keys(2, -1, 1, "OW UPDATE")
        .key_specs(&[KeySpec::new(2, 0, 1, "OW update"), KeySpec::new(3, -1, 1, "RO access")])
        .doc(G, "2.6.0", "Perform bitwise operations between strings", "O(N)"),
    Command::new("bitfield", -2, bitfield).flags(WRITE | DENYOOM).acl(B).keys(1, 1, 1, "RW access update variable_flags")
        .key_specs(&[KeySpec::new(1, 0, 1, "RW access update variable_flags").notes("This command allows both access and modification of the key")])
        .doc(G, "3.2.0", "Perform arbitrary bitfield integer operations on strings", "O(1) for each subcommand specified"),
    Command::new("bitfield_ro", -2, bitfield_ro).flags(READONLY | FAST).acl(B).keys(1, 1, 1, "RO ACCESS")
        .doc(G, "6.0.0", "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD", "O(1) for each subcommand specified"),
];
