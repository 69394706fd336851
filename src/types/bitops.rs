//! Pure bit-level operations on string values for BITCOUNT, BITPOS, BITOP,
//! GETBIT, SETBIT and BITFIELD, with Redis 7.0's exact index and overflow
//! semantics. Argument parsing of plain integers and replies are left to the
//! command layer; the BITFIELD type and offset syntaxes are parsed here.
//!
//! Bits are numbered MSB first: bit 0 is the most significant bit of byte 0.

use crate::util::num::parse_i64;

/// Unit of BITCOUNT / BITPOS range arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BitUnit {
    /// Indexes are byte offsets (the default, `BYTE`).
    Byte,
    /// Indexes are bit offsets (`BIT`).
    Bit,
}

/// BITOP operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BitOp {
    And,
    Or,
    Xor,
    Not,
}

/// Resolves a `start end` range like Redis 7.0 BITCOUNT/BITPOS do: negative
/// indexes count from the end, then both are clamped into the string (in
/// bytes or bits). Returns the inclusive range in *bits*, or None if empty.
fn resolve_range(len: usize, start: i64, end: i64, unit: BitUnit) -> Option<(u64, u64)> {
    let bytes = len as i128;
    let total = match unit {
        BitUnit::Byte => bytes,
        BitUnit::Bit => bytes * 8,
    };
    let (mut start, mut end) = (i128::from(start), i128::from(end));
    if start < 0 {
        start += total;
    }
    if end < 0 {
        end += total;
    }
    start = start.max(0);
    end = end.max(0);
    if end >= total {
        end = total - 1;
    }
    if start > end {
        return None;
    }
    let (s, e) = match unit {
        BitUnit::Byte => (start * 8, end * 8 + 7),
        BitUnit::Bit => (start, end),
    };
    Some((u64::try_from(s).ok()?, u64::try_from(e).ok()?))
}

/// Number of set bits in the inclusive bit range `[first, last]`.
fn count_bits(s: &[u8], first: u64, last: u64) -> i64 {
    let fb = (first / 8) as usize;
    let lb = (last / 8) as usize;
    let Some(bytes) = s.get(fb..=lb) else {
        return 0;
    };
    let mut n: i64 = bytes.iter().map(|b| i64::from(b.count_ones())).sum();
    // Remove bits of the first byte before `first` and of the last after `last`.
    let head_mask = !(0xffu8 >> (first % 8));
    let tail_mask = 0xffu8.checked_shr((last % 8 + 1) as u32).unwrap_or(0);
    if let Some(b) = bytes.first() {
        n -= i64::from((b & head_mask).count_ones());
    }
    if let Some(b) = bytes.last() {
        n -= i64::from((b & tail_mask).count_ones());
    }
    n
}

/// BITCOUNT. `range` is `(start, end, unit)` when given. Redis 7.0 rules:
/// if both indexes are negative and `start > end` the answer is 0 before any
/// clamping; otherwise negatives count from the end, then both are clamped
/// to the string and an empty range counts 0. (A missing key counts 0; the
/// caller handles that and the wrong-type error.)
pub fn bitcount(s: &[u8], range: Option<(i64, i64, BitUnit)>) -> i64 {
    match range {
        None => s.iter().map(|b| i64::from(b.count_ones())).sum(),
        Some((start, end, unit)) => {
            if start < 0 && end < 0 && start > end {
                return 0;
            }
            match resolve_range(s.len(), start, end, unit) {
                Some((first, last)) => count_bits(s, first, last),
                None => 0,
            }
        }
    }
}

/// BITPOS on an existing string value. `bit` is the bit looked for.
///
/// Redis 7.0 semantics: negative indexes count from the end and are then
/// clamped; an empty range gives -1. Looking for a set bit and finding none
/// gives -1. Looking for a clear bit and finding none gives -1 if `end` was
/// given, otherwise the position just after the end of the string (the
/// string is considered padded with zeros on the right), e.g. 8*len when the
/// whole string is 0xff bytes. When `start` is None, `end` is ignored.
///
/// Caller-side cases: a missing key gives 0 when looking for a clear bit and
/// -1 for a set bit (regardless of the range). An existing empty string is
/// handled here and gives -1 in every case.
pub fn bitpos(s: &[u8], bit: bool, start: Option<i64>, end: Option<i64>, unit: BitUnit) -> i64 {
    let len = s.len();
    let (range, end_given) = match start {
        None => (resolve_range(len, 0, -1, BitUnit::Byte), false),
        Some(st) => {
            let e = end.unwrap_or(-1);
            (resolve_range(len, st, e, unit), end.is_some())
        }
    };
    let Some((first, last)) = range else {
        return -1;
    };
    if let Some(pos) = find_bit(s, bit, first, last) {
        return i64::try_from(pos).unwrap_or(-1);
    }
    if bit || end_given {
        return -1;
    }
    // Clear bit not found, no explicit end: first bit after the last byte
    // of the range (which is the end of the string).
    i64::try_from((last / 8 + 1) * 8).unwrap_or(-1)
}

/// Position of the first bit equal to `bit` in the inclusive range.
fn find_bit(s: &[u8], bit: bool, first: u64, last: u64) -> Option<u64> {
    let fb = (first / 8) as usize;
    let lb = (last / 8) as usize;
    let bytes = s.get(fb..=lb)?;
    let n = bytes.len();
    for (k, &raw) in bytes.iter().enumerate() {
        // Normalise to "looking for a 1".
        let mut b = if bit { raw } else { !raw };
        if k == 0 {
            b &= 0xff >> (first % 8);
        }
        if k + 1 == n {
            b &= !0xffu8.checked_shr((last % 8 + 1) as u32).unwrap_or(0);
        }
        if b != 0 {
            return Some((fb + k) as u64 * 8 + u64::from(b.leading_zeros()));
        }
    }
    None
}

/// BITOP over the source values (missing keys should be passed as empty
/// slices). The result has the length of the longest source, shorter ones
/// are zero-padded. `Not` uses only the first source (the caller enforces
/// the single-source rule). No sources gives an empty result.
pub fn bitop(op: BitOp, srcs: &[&[u8]]) -> Vec<u8> {
    if op == BitOp::Not {
        return srcs
            .first()
            .map(|s| s.iter().map(|b| !b).collect())
            .unwrap_or_default();
    }
    let maxlen = srcs.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut out: Vec<u8> = match srcs.first() {
        Some(first) => {
            let mut v = first.to_vec();
            v.resize(maxlen, 0);
            v
        }
        None => return Vec::new(),
    };
    for src in srcs.iter().skip(1) {
        match op {
            BitOp::And => {
                for (i, o) in out.iter_mut().enumerate() {
                    *o &= src.get(i).copied().unwrap_or(0);
                }
            }
            BitOp::Or => {
                for (o, b) in out.iter_mut().zip(src.iter()) {
                    *o |= b;
                }
            }
            BitOp::Xor => {
                for (o, b) in out.iter_mut().zip(src.iter()) {
                    *o ^= b;
                }
            }
            BitOp::Not => {}
        }
    }
    out
}

/// GETBIT: the bit at `offset` (0 beyond the end).
pub fn getbit(s: &[u8], offset: u64) -> u8 {
    let Ok(idx) = usize::try_from(offset / 8) else {
        return 0;
    };
    match s.get(idx) {
        Some(b) => (b >> (7 - (offset % 8))) & 1,
        None => 0,
    }
}

/// SETBIT: sets or clears the bit at `offset`, growing `v` with zero bytes
/// as needed, and returns the previous bit. The caller enforces Redis's
/// offset limit (`offset / 8 < proto-max-bulk-len`, see [`parse_bit_offset`]).
pub fn setbit(v: &mut Vec<u8>, offset: u64, on: bool) -> u8 {
    let Ok(idx) = usize::try_from(offset / 8) else {
        return 0;
    };
    if v.len() <= idx {
        v.resize(idx + 1, 0);
    }
    let mask = 1u8 << (7 - (offset % 8));
    match v.get_mut(idx) {
        Some(b) => {
            let old = u8::from(*b & mask != 0);
            if on {
                *b |= mask;
            } else {
                *b &= !mask;
            }
            old
        }
        None => 0,
    }
}

/// Parses a bit offset argument like Redis's `getBitOffsetFromArgument`:
/// a `string2ll` integer, or with `hash_bits > 0` also `#N` meaning
/// `N * hash_bits` (BITFIELD; pass the field width, or 0 for SETBIT/GETBIT
/// where `#` is not allowed). Negative offsets and offsets whose byte index
/// is `>= max_bulk_len` (proto-max-bulk-len, 512MB by default) are refused.
/// On refusal Redis replies "ERR bit offset is not an integer or out of
/// range". The `#N * bits` product wraps on overflow exactly like the
/// 64-bit multiplication Redis performs.
pub fn parse_bit_offset(arg: &[u8], hash_bits: u8, max_bulk_len: u64) -> Option<u64> {
    let (usehash, digits) = match arg.split_first() {
        Some((b'#', rest)) if hash_bits > 0 => (true, rest),
        _ => (false, arg),
    };
    let mut off = parse_i64(digits)?;
    if usehash {
        off = off.wrapping_mul(i64::from(hash_bits));
    }
    let off = u64::try_from(off).ok()?;
    if off >> 3 >= max_bulk_len {
        return None;
    }
    Some(off)
}

/// BITFIELD integer type: `i1`..`i64` or `u1`..`u63`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BitfieldType {
    signed: bool,
    bits: u8,
}

impl BitfieldType {
    /// Builds a type; None unless `1 <= bits <= 64` (signed) or `<= 63`
    /// (unsigned), the widths Redis accepts.
    pub fn new(signed: bool, bits: u8) -> Option<BitfieldType> {
        let max = if signed { 64 } else { 63 };
        if (1..=max).contains(&bits) {
            Some(BitfieldType { signed, bits })
        } else {
            None
        }
    }

    /// Whether the field is signed (`i`) or unsigned (`u`).
    pub fn signed(self) -> bool {
        self.signed
    }

    /// Field width in bits.
    pub fn bits(self) -> u8 {
        self.bits
    }

    /// Parses `i<N>` / `u<N>` like Redis (lowercase prefix only; the width
    /// is a `string2ll` integer; like Redis's `strlen`, parsing stops at a
    /// NUL byte). On failure Redis replies "ERR Invalid bitfield type. Use
    /// something like i16 u8. Note that u64 is not supported but i64 is."
    pub fn parse(arg: &[u8]) -> Option<BitfieldType> {
        let arg = match arg.iter().position(|&c| c == 0) {
            Some(nul) => arg.get(..nul)?,
            None => arg,
        };
        let (&kind, width) = arg.split_first()?;
        let signed = match kind {
            b'i' => true,
            b'u' => false,
            _ => return None,
        };
        let bits = parse_i64(width)?;
        BitfieldType::new(signed, u8::try_from(bits).ok()?)
    }

    /// Largest representable value.
    pub fn max(self) -> i64 {
        match (self.signed, self.bits) {
            (true, b) => ((1u64 << (b - 1)) - 1) as i64,
            (false, b) => ((1u128 << b) - 1) as i64,
        }
    }

    /// Smallest representable value.
    pub fn min(self) -> i64 {
        if self.signed {
            -self.max() - 1
        } else {
            0
        }
    }

    /// Truncates to the field width and reinterprets (two's complement wrap).
    fn wrap(self, v: i128) -> i64 {
        let bits = u32::from(self.bits);
        let mask: u128 = (1u128 << bits) - 1;
        let raw = (v as u128) & mask;
        if self.signed && (raw >> (bits - 1)) & 1 == 1 {
            (raw | !mask) as i128 as i64
        } else {
            raw as i64
        }
    }
}

/// BITFIELD overflow behaviour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// Two's complement wrap-around (the default).
    Wrap,
    /// Saturate at the type's minimum or maximum.
    Sat,
    /// Do nothing and reply nil.
    Fail,
}

/// Reads `bits` bits MSB-first starting at bit `offset` (zeros past the end).
fn read_raw(s: &[u8], offset: u64, bits: u8) -> u64 {
    let mut v = 0u64;
    for k in 0..u64::from(bits) {
        let bit = offset.checked_add(k).map_or(0, |o| getbit(s, o));
        v = (v << 1) | u64::from(bit);
    }
    v
}

/// Writes the low `bits` bits of `value` MSB-first at bit `offset`.
fn write_raw(v: &mut Vec<u8>, offset: u64, bits: u8, value: u64) {
    grow_for(v, offset, bits);
    for k in 0..u64::from(bits) {
        let bit = (value >> (u64::from(bits) - 1 - k)) & 1 == 1;
        if let Some(o) = offset.checked_add(k) {
            setbit(v, o, bit);
        }
    }
}

/// Grows `v` with zero bytes so that the field at `offset` fits.
fn grow_for(v: &mut Vec<u8>, offset: u64, bits: u8) {
    let last_bit = offset.saturating_add(u64::from(bits)).saturating_sub(1);
    if let Ok(need) = usize::try_from(last_bit / 8 + 1) {
        if v.len() < need {
            v.resize(need, 0);
        }
    }
}

/// BITFIELD GET: the field value (bits beyond the end read as 0).
pub fn get(s: &[u8], offset: u64, ty: BitfieldType) -> i64 {
    let raw = read_raw(s, offset, ty.bits);
    ty.wrap(i128::from(raw))
}

/// Writes `value` truncated to the field width (wrap semantics), growing
/// `v`, and returns the old field value.
pub fn set(v: &mut Vec<u8>, offset: u64, ty: BitfieldType, value: i64) -> i64 {
    let old = get(v, offset, ty);
    write_raw(v, offset, ty.bits, value as u64);
    old
}

/// Applies Redis's overflow handling to `value + incr` for the field type.
/// Returns None on overflow with `Overflow::Fail`.
fn apply_overflow(ty: BitfieldType, value: i128, overflow: Overflow) -> Option<i64> {
    let (min, max) = (i128::from(ty.min()), i128::from(ty.max()));
    if value >= min && value <= max {
        return i64::try_from(value).ok();
    }
    match overflow {
        Overflow::Wrap => Some(ty.wrap(value)),
        Overflow::Sat => Some(if value > max { ty.max() } else { ty.min() }),
        Overflow::Fail => None,
    }
}

/// BITFIELD SET with the current OVERFLOW mode: the value is checked against
/// the type's range like Redis does (an unsigned field treats the i64
/// argument as its 64-bit unsigned pattern, so `SET u8 0 -1` wraps to 255
/// and saturates to 255; a signed SET whose value is so far below the
/// minimum that `max - value` overflows an i64, e.g. any underflow of an
/// i63, saturates to the *maximum*, as in Redis). Returns the old value, or None (nothing written)
/// on overflow with FAIL. The vector is grown to cover the field in every
/// case, as Redis grows the string for write operations before running them.
pub fn set_with_overflow(
    v: &mut Vec<u8>,
    offset: u64,
    ty: BitfieldType,
    value: i64,
    overflow: Overflow,
) -> Option<i64> {
    grow_for(v, offset, ty.bits);
    let newval = if ty.signed {
        // Redis quirk: its range check computes `max - value` in 64 bits;
        // when that wraps (value far below min, e.g. any underflow of i63),
        // the value is classified as an overflow and SAT stores max.
        let wraps = i128::from(ty.max()) - i128::from(value) > i128::from(i64::MAX);
        if overflow == Overflow::Sat && ty.bits < 64 && wraps {
            ty.max()
        } else {
            apply_overflow(ty, i128::from(value), overflow)?
        }
    } else {
        apply_overflow(ty, i128::from(value as u64), overflow)?
    };
    Some(set(v, offset, ty, newval))
}

/// BITFIELD INCRBY: adds `incr` to the field, applying `overflow`, writes
/// and returns the new value; None (nothing written) on overflow with FAIL.
/// The vector is grown to cover the field in every case (see
/// [`set_with_overflow`]).
pub fn incrby(
    v: &mut Vec<u8>,
    offset: u64,
    ty: BitfieldType,
    incr: i64,
    overflow: Overflow,
) -> Option<i64> {
    grow_for(v, offset, ty.bits);
    let old = get(v, offset, ty);
    let newval = apply_overflow(ty, i128::from(old) + i128::from(incr), overflow)?;
    set(v, offset, ty, newval);
    Some(newval)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitcount_ranges() {
        let s = b"foobar";
        assert_eq!(bitcount(s, None), 26);
        assert_eq!(bitcount(s, Some((0, 0, BitUnit::Byte))), 4);
        assert_eq!(bitcount(s, Some((1, 1, BitUnit::Byte))), 6);
        assert_eq!(bitcount(s, Some((1, 1, BitUnit::Bit))), 1);
        assert_eq!(bitcount(s, Some((5, 30, BitUnit::Bit))), 17);
        assert_eq!(bitcount(s, Some((0, -1, BitUnit::Byte))), 26);
        assert_eq!(bitcount(s, Some((-2, -1, BitUnit::Byte))), 7);
        assert_eq!(bitcount(s, Some((-100, 100, BitUnit::Byte))), 26);
        assert_eq!(bitcount(s, Some((-1, -5, BitUnit::Byte))), 0);
        // Both negative with start > end: 0 before clamping.
        assert_eq!(bitcount(s, Some((-10, -20, BitUnit::Byte))), 0);
        // Both clamp to 0: first byte counted.
        assert_eq!(bitcount(s, Some((-20, -10, BitUnit::Byte))), 4);
        assert_eq!(bitcount(s, Some((i64::MIN, i64::MAX, BitUnit::Bit))), 26);
        assert_eq!(bitcount(b"", Some((0, -1, BitUnit::Byte))), 0);
        assert_eq!(bitcount(b"\xff", Some((3, 3, BitUnit::Bit))), 1);
        assert_eq!(bitcount(b"\xff\xff", Some((7, 8, BitUnit::Bit))), 2);
    }

    #[test]
    fn bitpos_cases() {
        let s = b"\xff\xf0\x00";
        assert_eq!(bitpos(s, false, None, None, BitUnit::Byte), 12);
        assert_eq!(bitpos(s, true, Some(2), None, BitUnit::Byte), -1);
        assert_eq!(bitpos(s, true, Some(2), Some(-1), BitUnit::Bit), 2);
        assert_eq!(bitpos(s, true, Some(7), Some(15), BitUnit::Bit), 7);
        assert_eq!(bitpos(s, false, Some(7), Some(15), BitUnit::Bit), 12);
        let ones = b"\xff\xff\xff";
        assert_eq!(bitpos(ones, false, None, None, BitUnit::Byte), 24);
        assert_eq!(bitpos(ones, false, Some(0), None, BitUnit::Byte), 24);
        assert_eq!(bitpos(ones, false, Some(5), None, BitUnit::Bit), 24);
        assert_eq!(bitpos(ones, false, Some(0), Some(-1), BitUnit::Byte), -1);
        assert_eq!(bitpos(ones, false, Some(0), Some(100), BitUnit::Bit), -1);
        assert_eq!(bitpos(b"\x00\x00", true, None, None, BitUnit::Byte), -1);
        assert_eq!(bitpos(b"\x00\x01", true, None, None, BitUnit::Byte), 15);
        assert_eq!(bitpos(b"\x00\x01", true, Some(-1), None, BitUnit::Byte), 15);
        assert_eq!(
            bitpos(b"\x00\x01", true, Some(3), Some(1), BitUnit::Byte),
            -1
        );
        assert_eq!(bitpos(b"", false, None, None, BitUnit::Byte), -1);
        assert_eq!(bitpos(b"", true, None, None, BitUnit::Byte), -1);
        assert_eq!(bitpos(b"", false, Some(0), None, BitUnit::Byte), -1);
    }

    #[test]
    fn bitop_cases() {
        let a: &[u8] = b"\xf0\x0f";
        let b: &[u8] = b"\xff";
        assert_eq!(bitop(BitOp::And, &[a, b]), b"\xf0\x00");
        assert_eq!(bitop(BitOp::Or, &[a, b]), b"\xff\x0f");
        assert_eq!(bitop(BitOp::Xor, &[a, b]), b"\x0f\x0f");
        assert_eq!(bitop(BitOp::Not, &[a]), b"\x0f\xf0");
        assert_eq!(bitop(BitOp::And, &[a, b"".as_slice()]), b"\x00\x00");
        assert_eq!(bitop(BitOp::Or, &[b"".as_slice(), a]), b"\xf0\x0f");
        assert!(bitop(BitOp::Or, &[]).is_empty());
        assert!(bitop(BitOp::Not, &[]).is_empty());
    }

    #[test]
    fn getbit_setbit() {
        let mut v = Vec::new();
        assert_eq!(setbit(&mut v, 7, true), 0);
        assert_eq!(v, b"\x01");
        assert_eq!(setbit(&mut v, 7, true), 1);
        assert_eq!(setbit(&mut v, 17, true), 0);
        assert_eq!(v, b"\x01\x00\x40");
        assert_eq!(getbit(&v, 17), 1);
        assert_eq!(getbit(&v, 16), 0);
        assert_eq!(getbit(&v, 1000), 0);
        assert_eq!(getbit(&v, u64::MAX), 0);
        assert_eq!(setbit(&mut v, 17, false), 1);
        assert_eq!(v, b"\x01\x00\x00");
    }

    #[test]
    fn offsets() {
        let max = 512 * 1024 * 1024;
        assert_eq!(parse_bit_offset(b"0", 0, max), Some(0));
        assert_eq!(parse_bit_offset(b"4294967295", 0, max), Some(4_294_967_295));
        assert_eq!(parse_bit_offset(b"4294967296", 0, max), None);
        assert_eq!(parse_bit_offset(b"-1", 0, max), None);
        assert_eq!(parse_bit_offset(b"#3", 0, max), None);
        assert_eq!(parse_bit_offset(b"#3", 8, max), Some(24));
        assert_eq!(parse_bit_offset(b"#-1", 8, max), None);
        assert_eq!(parse_bit_offset(b"#", 8, max), None);
        assert_eq!(parse_bit_offset(b"01", 8, max), None);
        assert_eq!(parse_bit_offset(b"#67108863", 64, max), Some(4_294_967_232));
        assert_eq!(parse_bit_offset(b"#67108864", 64, max), None);
        // Redis's 64-bit multiplication wraps.
        assert_eq!(parse_bit_offset(b"#288230376151711745", 64, max), Some(64));
    }

    #[test]
    fn types() {
        let t = |s: &[u8]| BitfieldType::parse(s).map(|t| (t.signed(), t.bits()));
        assert_eq!(t(b"i1"), Some((true, 1)));
        assert_eq!(t(b"i64"), Some((true, 64)));
        assert_eq!(t(b"u63"), Some((false, 63)));
        assert_eq!(t(b"u8\x00junk"), Some((false, 8)));
        for bad in [
            &b"u64"[..],
            b"i65",
            b"i0",
            b"I8",
            b"U8",
            b"i",
            b"",
            b"i08",
            b"i+8",
            b"x8",
        ] {
            assert_eq!(t(bad), None, "{:?}", bad);
        }
        let i8t = BitfieldType::new(true, 8).unwrap_or(BitfieldType {
            signed: true,
            bits: 8,
        });
        assert_eq!((i8t.min(), i8t.max()), (-128, 127));
        assert!(BitfieldType::new(false, 64).is_none());
        assert!(BitfieldType::new(true, 0).is_none());
    }

    fn ty(s: &[u8]) -> BitfieldType {
        BitfieldType::parse(s).unwrap_or(BitfieldType {
            signed: false,
            bits: 1,
        })
    }

    #[test]
    fn bitfield_get_set() {
        let mut v = Vec::new();
        assert_eq!(set(&mut v, 0, ty(b"u8"), 255), 0);
        assert_eq!(get(&v, 0, ty(b"i8")), -1);
        assert_eq!(get(&v, 4, ty(b"u8")), 0xf0);
        assert_eq!(get(&v, 100, ty(b"u8")), 0);
        assert_eq!(set(&mut v, 5, ty(b"i64"), -2), -(1 << 61));
        assert_eq!(get(&v, 5, ty(b"i64")), -2);
        assert_eq!(v.len(), 9);
        let mut w = b"\x00".to_vec();
        assert_eq!(set(&mut w, 3, ty(b"u4"), 0x1f), 0);
        assert_eq!(w, b"\x1e");
    }

    #[test]
    fn bitfield_overflow() {
        let mut v = Vec::new();
        let u8t = ty(b"u8");
        let i8t = ty(b"i8");
        assert_eq!(incrby(&mut v, 0, u8t, 300, Overflow::Wrap), Some(44));
        assert_eq!(incrby(&mut v, 0, u8t, 300, Overflow::Sat), Some(255));
        assert_eq!(incrby(&mut v, 0, u8t, 1, Overflow::Fail), None);
        assert_eq!(get(&v, 0, u8t), 255);
        assert_eq!(incrby(&mut v, 0, u8t, -1000, Overflow::Sat), Some(0));
        assert_eq!(incrby(&mut v, 0, i8t, 130, Overflow::Wrap), Some(-126));
        assert_eq!(incrby(&mut v, 0, i8t, -10, Overflow::Sat), Some(-128));
        assert_eq!(incrby(&mut v, 0, i8t, -1, Overflow::Fail), None);
        assert_eq!(incrby(&mut v, 0, i8t, 255, Overflow::Fail), Some(127));
        let i64t = ty(b"i64");
        let mut w = Vec::new();
        assert_eq!(set(&mut w, 0, i64t, i64::MAX), 0);
        assert_eq!(incrby(&mut w, 0, i64t, 1, Overflow::Wrap), Some(i64::MIN));
        assert_eq!(incrby(&mut w, 0, i64t, -1, Overflow::Sat), Some(i64::MIN));
        assert_eq!(incrby(&mut w, 0, i64t, i64::MAX, Overflow::Sat), Some(-1));
        // FAIL does not write but the string still grows, as in Redis.
        let mut g = Vec::new();
        assert_eq!(incrby(&mut g, 100, u8t, 300, Overflow::Fail), None);
        assert_eq!(g, vec![0u8; 14]);
    }

    #[test]
    fn bitfield_set_overflow() {
        let mut v = Vec::new();
        let u8t = ty(b"u8");
        assert_eq!(
            set_with_overflow(&mut v, 0, u8t, -1, Overflow::Wrap),
            Some(0)
        );
        assert_eq!(get(&v, 0, u8t), 255);
        assert_eq!(
            set_with_overflow(&mut v, 0, u8t, -1, Overflow::Sat),
            Some(255)
        );
        assert_eq!(get(&v, 0, u8t), 255);
        assert_eq!(set_with_overflow(&mut v, 0, u8t, 256, Overflow::Fail), None);
        let i8t = ty(b"i8");
        assert_eq!(
            set_with_overflow(&mut v, 0, i8t, -200, Overflow::Sat),
            Some(-1)
        );
        assert_eq!(get(&v, 0, i8t), -128);
        assert_eq!(
            set_with_overflow(&mut v, 0, i8t, 200, Overflow::Wrap),
            Some(-128)
        );
        assert_eq!(get(&v, 0, i8t), -56);
        // Redis quirk: i63 underflow saturates to the maximum.
        let i63t = ty(b"i63");
        let mut w = Vec::new();
        set_with_overflow(&mut w, 0, i63t, -5_583_865_963_812_106_365, Overflow::Sat);
        assert_eq!(get(&w, 0, i63t), i63t.max());
        set_with_overflow(&mut w, 0, ty(b"i33"), i64::MIN, Overflow::Sat);
        assert_eq!(get(&w, 0, ty(b"i33")), (1 << 32) - 1);
        set_with_overflow(&mut w, 0, ty(b"i33"), i64::MIN + (1 << 40), Overflow::Sat);
        assert_eq!(get(&w, 0, ty(b"i33")), -(1 << 32));
    }
}
