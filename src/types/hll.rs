//! HyperLogLog, in Redis 7.0's exact byte layout, kept in an ordinary string value
//! (so GET, SET, APPEND, DUMP and RDB files see and carry the same bytes as Redis).
//!
//! Layout: a 16-byte header, then the registers.
//!
//! ```text
//! "HYLL" | encoding (0 dense, 1 sparse) | 3 unused bytes | cached cardinality
//!                                                          (8 bytes little-endian;
//!                                                           top bit set = stale)
//! ```
//!
//! The 16384 registers (one per 14-bit hash index) hold, for the elements that fell
//! there, the longest run length seen in the other 50 hash bits (1..=51).
//!
//! - Dense: 16384 six-bit registers packed least significant bit first, always
//!   12288 bytes.
//! - Sparse: a run-length code over the registers, left to right:
//!   `ZERO 00xxxxxx` = 1..64 zero registers; `XZERO 01xxxxxx yyyyyyyy` = 1..16384 zero
//!   registers (14-bit length minus one); `VAL 1vvvvvxx` = 1..4 registers of value
//!   1..32. A sparse HLL turns dense when an update would grow it past
//!   `hll-sparse-max-bytes`, or when a register needs a value above 32.
//!
//! Cardinality is Ertl's estimator ("New cardinality estimation algorithms for
//! HyperLogLog sketches") over the register histogram, as Redis 7.0 computes it, so
//! the same registers give exactly Redis's number.

/// Header bytes before the registers.
pub const HDR_SIZE: usize = 16;
/// Index bits of the hash.
const P: u32 = 14;
/// Bits of the hash that feed the run length.
const Q: usize = 50;
pub const REGISTERS: usize = 1 << P;
const BITS: usize = 6;
const REG_MAX: u8 = (1 << BITS) - 1;
/// Total length of a dense HLL string.
pub const DENSE_SIZE: usize = HDR_SIZE + (REGISTERS * BITS).div_ceil(8);
const DENSE: u8 = 0;
const SPARSE: u8 = 1;
/// MurmurHash64A seed Redis uses for HyperLogLog.
const SEED: u32 = 0xadc8_3b19;
const ZERO_MAX_LEN: usize = 64;
const XZERO_MAX_LEN: usize = 16384;
const VAL_MAX_VALUE: u8 = 32;
const VAL_MAX_LEN: usize = 4;
/// 1 / (2 ln 2): the estimator's constant for an infinite number of registers.
const ALPHA_INF: f64 = 0.721_347_520_444_481_7;
/// Top bit of the last cardinality byte: the cached value is stale.
const STALE_BIT: u8 = 0x80;

/// The string is not a well-formed HLL (Redis: "Corrupted HLL object detected").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Corrupt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Dense,
    Sparse,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Dense => "dense",
            Encoding::Sparse => "sparse",
        }
    }
}

/// True if `s` passes Redis's HLL checks: magic, a known encoding and, for a
/// dense HLL, the exact length. (A sparse body is only checked when it is walked.)
pub fn is_hll(s: &[u8]) -> bool {
    s.len() >= HDR_SIZE
        && s.starts_with(b"HYLL")
        && (s[4] == SPARSE || (s[4] == DENSE && s.len() == DENSE_SIZE))
}

/// The encoding of a string that passed [`is_hll`].
pub fn encoding(s: &[u8]) -> Encoding {
    if s.get(4) == Some(&DENSE) {
        Encoding::Dense
    } else {
        Encoding::Sparse
    }
}

/// An empty HLL: sparse, one XZERO covering every register, cached cardinality 0.
pub fn new_sparse() -> Vec<u8> {
    let mut s = Vec::with_capacity(HDR_SIZE + 2);
    s.extend_from_slice(b"HYLL");
    s.push(SPARSE);
    s.extend_from_slice(&[0; 11]);
    let mut left = REGISTERS;
    while left > 0 {
        let n = left.min(XZERO_MAX_LEN);
        push_zeros(&mut s, n);
        left -= n;
    }
    s
}

/// The cached cardinality, if it is not stale.
pub fn cached_card(s: &[u8]) -> Option<u64> {
    let bytes: [u8; 8] = s.get(8..HDR_SIZE)?.try_into().ok()?;
    (bytes[7] & STALE_BIT == 0).then(|| u64::from_le_bytes(bytes))
}

pub fn set_cached_card(s: &mut [u8], card: u64) {
    if let Some(b) = s.get_mut(8..HDR_SIZE) {
        b.copy_from_slice(&card.to_le_bytes());
    }
}

pub fn invalidate_cache(s: &mut [u8]) {
    if let Some(b) = s.get_mut(HDR_SIZE - 1) {
        *b |= STALE_BIT;
    }
}

/// MurmurHash64A (Austin Appleby's 64-bit hash, little-endian reads), as Redis
/// uses it for HyperLogLog.
pub fn murmur64a(data: &[u8], seed: u32) -> u64 {
    const M: u64 = 0xc6a4_a793_5bd1_e995;
    const R: u32 = 47;
    let mut h = u64::from(seed) ^ (data.len() as u64).wrapping_mul(M);
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let mut k = u64::from_le_bytes(w).wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate() {
            h ^= u64::from(b) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

/// The register an element falls into and the value it proposes: one plus the
/// number of trailing zero bits of the remaining 50 hash bits (51 if all zero).
fn pattern(elem: &[u8]) -> (usize, u8) {
    let h = murmur64a(elem, SEED);
    let index = (h & (REGISTERS as u64 - 1)) as usize;
    let rest = (h >> P) | (1u64 << Q);
    (index, rest.trailing_zeros() as u8 + 1)
}

// ---------------------------------------------------------------------------
// Dense registers
// ---------------------------------------------------------------------------

/// Register `i` of a packed register array (12288 bytes).
fn dense_get(regs: &[u8], i: usize) -> u8 {
    let bit = i * BITS;
    let byte = bit / 8;
    let b0 = u16::from(regs.get(byte).copied().unwrap_or(0));
    let b1 = u16::from(regs.get(byte + 1).copied().unwrap_or(0));
    (((b0 | (b1 << 8)) >> (bit & 7)) as u8) & REG_MAX
}

fn dense_put(regs: &mut [u8], i: usize, v: u8) {
    let bit = i * BITS;
    let byte = bit / 8;
    let shift = bit & 7;
    let b0 = u16::from(regs.get(byte).copied().unwrap_or(0));
    let b1 = u16::from(regs.get(byte + 1).copied().unwrap_or(0));
    let mut w = b0 | (b1 << 8);
    w &= !(u16::from(REG_MAX) << shift);
    w |= u16::from(v & REG_MAX) << shift;
    if let Some(b) = regs.get_mut(byte) {
        *b = w as u8;
    }
    if let Some(b) = regs.get_mut(byte + 1) {
        *b = (w >> 8) as u8;
    }
}

/// Raises register `i` to `v`; true if it was lower.
fn dense_raise(regs: &mut [u8], i: usize, v: u8) -> bool {
    if v > dense_get(regs, i) {
        dense_put(regs, i, v);
        true
    } else {
        false
    }
}

/// Calls `f` on every register of a packed array, in order (3 bytes = 4 registers).
fn dense_each(regs: &[u8], mut f: impl FnMut(usize, u8)) {
    for (k, c) in regs.chunks_exact(3).enumerate() {
        let i = k * 4;
        f(i, c[0] & REG_MAX);
        f(i + 1, (c[0] >> 6) | ((c[1] & 0x0f) << 2));
        f(i + 2, (c[1] >> 4) | ((c[2] & 0x03) << 4));
        f(i + 3, c[2] >> 2);
    }
}

// ---------------------------------------------------------------------------
// Sparse opcodes
// ---------------------------------------------------------------------------

/// One sparse opcode: `len` registers of value `val` (0 for ZERO/XZERO), taking
/// `size` bytes.
#[derive(Clone, Copy)]
struct Op {
    len: usize,
    val: u8,
    size: usize,
}

/// The opcode at byte `p` of `s` (p < s.len()). A truncated XZERO reads its missing
/// second byte as 0, as Redis reads the string's terminator there.
fn op_at(s: &[u8], p: usize) -> Op {
    let b = s.get(p).copied().unwrap_or(0);
    match b & 0xc0 {
        0x00 => Op {
            len: usize::from(b & 0x3f) + 1,
            val: 0,
            size: 1,
        },
        0x40 => {
            let lo = usize::from(s.get(p + 1).copied().unwrap_or(0));
            Op {
                len: ((usize::from(b & 0x3f) << 8) | lo) + 1,
                val: 0,
                size: 2,
            }
        }
        _ => Op {
            len: usize::from(b & 0x03) + 1,
            val: ((b >> 2) & 0x1f) + 1,
            size: 1,
        },
    }
}

/// The opcodes of a sparse HLL string, in order.
fn ops(s: &[u8]) -> impl Iterator<Item = Op> + '_ {
    let mut p = HDR_SIZE;
    std::iter::from_fn(move || {
        if p >= s.len() {
            return None;
        }
        let op = op_at(s, p);
        p += op.size;
        Some(op)
    })
}

/// VAL opcode byte: `len` (1..=4) registers of value `val` (1..=32).
fn val_op(val: u8, len: usize) -> u8 {
    0x80 | ((val - 1) << 2) | (len as u8 - 1)
}

/// Appends a run of `n` (1..=16384) zero registers: ZERO when it fits, else XZERO.
fn push_zeros(out: &mut Vec<u8>, n: usize) {
    let l = n - 1;
    if n > ZERO_MAX_LEN {
        out.push(0x40 | (l >> 8) as u8);
        out.push(l as u8);
    } else {
        out.push(l as u8);
    }
}

/// Raises register `index` of a sparse HLL to `count`, rewriting the opcode that
/// covers it in place; turns the HLL dense when `count` is above what VAL holds or
/// the rewrite would grow the string past `max_bytes`. Returns whether a register
/// changed.
fn sparse_raise(s: &mut Vec<u8>, index: usize, count: u8, max_bytes: u64) -> Result<bool, Corrupt> {
    if count > VAL_MAX_VALUE {
        return promote_and_raise(s, index, count);
    }
    // Find the opcode covering `index`, and the one before it.
    let mut p = HDR_SIZE;
    let mut first = 0;
    let mut prev = None;
    let op = loop {
        if p >= s.len() {
            return Err(Corrupt);
        }
        let op = op_at(s, p);
        if index < first + op.len {
            break op;
        }
        prev = Some(p);
        p += op.size;
        first += op.len;
    };
    let is_val = op.val > 0;
    if is_val && op.val >= count {
        return Ok(false);
    }
    if op.len == 1 && op.size == 1 {
        // A single-register VAL or ZERO: just rewrite it.
        s[p] = val_op(count, 1);
    } else {
        // Split the run around the register: at most XZERO VAL XZERO, 5 bytes.
        let last = first + op.len - 1;
        let mut seq = Vec::with_capacity(5);
        if is_val {
            if index != first {
                seq.push(val_op(op.val, index - first));
            }
            seq.push(val_op(count, 1));
            if index != last {
                seq.push(val_op(op.val, last - index));
            }
        } else {
            if index != first {
                push_zeros(&mut seq, index - first);
            }
            seq.push(val_op(count, 1));
            if index != last {
                push_zeros(&mut seq, last - index);
            }
        }
        let grows = seq.len() > op.size;
        if grows && (s.len() + seq.len() - op.size) as u64 > max_bytes {
            return promote_and_raise(s, index, count);
        }
        let end = (p + op.size).min(s.len());
        s.splice(p..end, seq);
    }
    merge_vals(s, prev.unwrap_or(HDR_SIZE));
    invalidate_cache(s);
    Ok(true)
}

/// Joins adjacent VAL opcodes of equal value (up to 4 registers) among the five
/// opcodes from `p`, keeping the sparse code as compact as Redis keeps it.
fn merge_vals(s: &mut Vec<u8>, mut p: usize) {
    let mut budget = 5;
    while p < s.len() && budget > 0 {
        budget -= 1;
        let op = op_at(s, p);
        if op.val == 0 {
            p += op.size;
            continue;
        }
        if let Some(&b) = s.get(p + 1) {
            if b & 0x80 != 0 {
                let next = op_at(s, p + 1);
                let len = op.len + next.len;
                if next.val == op.val && len <= VAL_MAX_LEN {
                    s[p + 1] = val_op(op.val, len);
                    s.remove(p);
                    // Stay here: the merged opcode may merge with the next one.
                    continue;
                }
            }
        }
        p += 1;
    }
}

fn promote_and_raise(s: &mut Vec<u8>, index: usize, count: u8) -> Result<bool, Corrupt> {
    to_dense(s)?;
    Ok(dense_raise(&mut s[HDR_SIZE..], index, count))
}

/// Converts a sparse HLL to dense (keeping the header's cached cardinality).
/// Returns false if it was dense already.
pub fn to_dense(s: &mut Vec<u8>) -> Result<bool, Corrupt> {
    if encoding(s) == Encoding::Dense {
        return Ok(false);
    }
    let mut d = vec![0u8; DENSE_SIZE];
    d[..HDR_SIZE].copy_from_slice(s.get(..HDR_SIZE).ok_or(Corrupt)?);
    d[4] = DENSE;
    let regs = &mut d[HDR_SIZE..];
    let mut idx = 0;
    for op in ops(s) {
        if op.val > 0 {
            if idx + op.len > REGISTERS {
                return Err(Corrupt);
            }
            for i in idx..idx + op.len {
                dense_put(regs, i, op.val);
            }
        }
        idx += op.len;
    }
    if idx != REGISTERS {
        return Err(Corrupt);
    }
    *s = d;
    Ok(true)
}

// ---------------------------------------------------------------------------
// The operations
// ---------------------------------------------------------------------------

/// Adds an element (PFADD); true if a register changed. `max_bytes` is
/// `hll-sparse-max-bytes`.
pub fn add(s: &mut Vec<u8>, elem: &[u8], max_bytes: u64) -> Result<bool, Corrupt> {
    let (index, count) = pattern(elem);
    raise(s, index, count, max_bytes)
}

/// Raises register `index` to `count` in either encoding; true if it changed.
pub fn raise(s: &mut Vec<u8>, index: usize, count: u8, max_bytes: u64) -> Result<bool, Corrupt> {
    match encoding(s) {
        Encoding::Dense => Ok(dense_raise(&mut s[HDR_SIZE..], index, count)),
        Encoding::Sparse => sparse_raise(s, index, count, max_bytes),
    }
}

/// Raises every register of `s` to the matching one of `max` (16384 bytes, one per
/// register): PFMERGE's write. A sparse HLL is updated register by register, left
/// to right, as Redis does (so the code and the moment it turns dense are Redis's);
/// dense registers are updated four at a time.
pub fn raise_all(s: &mut Vec<u8>, max: &[u8], max_bytes: u64) -> Result<(), Corrupt> {
    for (i, &v) in max.iter().enumerate() {
        if encoding(s) == Encoding::Dense {
            break;
        }
        if v > 0 {
            sparse_raise(s, i, v, max_bytes)?;
        }
    }
    if encoding(s) == Encoding::Sparse {
        return Ok(());
    }
    // Raising is idempotent: registers done while sparse are simply done again.
    for (c, m) in s[HDR_SIZE..].chunks_exact_mut(3).zip(max.chunks_exact(4)) {
        let r0 = (c[0] & REG_MAX).max(m[0]);
        let r1 = ((c[0] >> 6) | ((c[1] & 0x0f) << 2)).max(m[1]);
        let r2 = ((c[1] >> 4) | ((c[2] & 0x03) << 4)).max(m[2]);
        let r3 = (c[2] >> 2).max(m[3]);
        c[0] = r0 | (r1 << 6);
        c[1] = (r1 >> 2) | (r2 << 4);
        c[2] = (r2 >> 4) | (r3 << 2);
    }
    Ok(())
}

/// Raises each of `max`'s registers (16384 bytes, one per register) to the
/// register of `s` when that is higher (PFMERGE, multi-key PFCOUNT).
pub fn merge_into(max: &mut [u8], s: &[u8]) -> Result<(), Corrupt> {
    match encoding(s) {
        Encoding::Dense => dense_each(&s[HDR_SIZE..], |i, v| {
            if let Some(m) = max.get_mut(i) {
                *m = (*m).max(v);
            }
        }),
        Encoding::Sparse => {
            let mut idx = 0;
            for op in ops(s) {
                if op.val > 0 {
                    if idx + op.len > REGISTERS {
                        return Err(Corrupt);
                    }
                    for m in &mut max[idx..idx + op.len] {
                        *m = (*m).max(op.val);
                    }
                }
                idx += op.len;
            }
            if idx != REGISTERS {
                return Err(Corrupt);
            }
        }
    }
    Ok(())
}

/// Estimated cardinality of an HLL string (ignoring the cache). A sparse code
/// that does not cover exactly 16384 registers is corrupt.
pub fn count(s: &[u8]) -> Result<u64, Corrupt> {
    let mut histo = [0u32; 64];
    match encoding(s) {
        Encoding::Dense => dense_each(&s[HDR_SIZE..], |_, v| histo[usize::from(v)] += 1),
        Encoding::Sparse => {
            let mut idx = 0usize;
            for op in ops(s) {
                idx += op.len;
                let h = &mut histo[usize::from(op.val)];
                *h = h.wrapping_add(op.len as u32);
            }
            if idx != REGISTERS {
                return Err(Corrupt);
            }
        }
    }
    Ok(estimate(&histo))
}

/// Estimated cardinality of unpacked registers (one byte each, values up to 63).
pub fn count_registers(regs: &[u8]) -> u64 {
    let mut histo = [0u32; 64];
    for &v in regs {
        histo[usize::from(v & REG_MAX)] += 1;
    }
    estimate(&histo)
}

/// Ertl's improved raw estimator over the register-value histogram. Values above
/// 51 (only possible in hand-made dense strings) count in no bucket, as in Redis.
fn estimate(histo: &[u32; 64]) -> u64 {
    let m = REGISTERS as f64;
    let mut z = m * tau((m - f64::from(histo[Q + 1])) / m);
    for &h in histo[1..=Q].iter().rev() {
        z += f64::from(h);
        z *= 0.5;
    }
    z += m * sigma(f64::from(histo[0]) / m);
    let e = ALPHA_INF * m * m / z;
    // Redis rounds with llroundl: out of range (z = 0) gives LLONG_MIN, which
    // it then stores as an unsigned 2^63.
    if e.is_finite() && e.abs() < 9.223_372_036_854_775e18 {
        e.round() as i64 as u64
    } else {
        1u64 << 63
    }
}

fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let mut y = 1.0;
    let mut z = x;
    loop {
        x *= x;
        let before = z;
        z += x * y;
        y += y;
        if z == before {
            return z;
        }
    }
}

fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let mut y = 1.0;
    let mut z = 1.0 - x;
    loop {
        x = x.sqrt();
        let before = z;
        y *= 0.5;
        let d = 1.0 - x;
        z -= d * d * y;
        if z == before {
            return z / 3.0;
        }
    }
}

/// All 16384 register values of a dense HLL (PFDEBUG GETREG).
pub fn dense_registers(s: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; REGISTERS];
    if encoding(s) == Encoding::Dense {
        dense_each(&s[HDR_SIZE..], |i, v| out[i] = v);
    }
    out
}

/// The sparse code as text, "z:N" / "Z:N" / "v:VALUE,N" per opcode (PFDEBUG DECODE).
pub fn decode(s: &[u8]) -> String {
    let mut parts = Vec::new();
    let mut p = HDR_SIZE;
    while p < s.len() {
        let op = op_at(s, p);
        parts.push(match (op.val, op.size) {
            (0, 1) => format!("z:{}", op.len),
            (0, _) => format!("Z:{}", op.len),
            (v, _) => format!("v:{},{}", v, op.len),
        });
        p += op.size;
    }
    parts.join(" ")
}

/// PFSELFTEST: register packing against a plain array, then sparse and dense HLLs
/// fed the same elements must agree, with an error inside the expected bounds.
pub fn self_test(max_bytes: u64) -> Result<(), String> {
    // Register access: random values at random registers, checked against a model.
    let mut rng = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut regs = vec![0u8; DENSE_SIZE - HDR_SIZE];
    let mut model = vec![0u8; REGISTERS];
    for _ in 0..1000 {
        for _ in 0..REGISTERS {
            let i = (next() as usize) % REGISTERS;
            let v = (next() as u8) & REG_MAX;
            dense_put(&mut regs, i, v);
            model[i] = v;
        }
        let mut ok = true;
        dense_each(&regs, |i, v| ok &= model[i] == v);
        if !ok || (0..REGISTERS).any(|i| dense_get(&regs, i) != model[i]) {
            return Err("TESTFAILED Register error".into());
        }
    }
    // Estimates: a sparse HLL (promoted when it must) and a dense one.
    let mut sparse = new_sparse();
    let mut dense = new_sparse();
    to_dense(&mut dense).map_err(|_| "TESTFAILED Conversion error".to_string())?;
    let seed = next();
    let mut checkpoint = 1u64;
    for j in 1..=1_000_000u64 {
        let elem = (j ^ seed).to_le_bytes();
        let a = add(&mut sparse, &elem, max_bytes);
        let b = add(&mut dense, &elem, max_bytes);
        if a.is_err() || b.is_err() {
            return Err("TESTFAILED Corrupted HLL during the test".into());
        }
        if j == checkpoint {
            let (cs, cd) = match (count(&sparse), count(&dense)) {
                (Ok(x), Ok(y)) => (x, y),
                _ => return Err("TESTFAILED Corrupted HLL during the test".into()),
            };
            if cs != cd {
                return Err(
                    "TESTFAILED Sparse and dense representations produce different cardinality"
                        .into(),
                );
            }
            // Five standard errors (1.04/sqrt(m)), at least one element.
            let max_err = ((1.04 / (REGISTERS as f64).sqrt()) * 5.0 * j as f64).ceil() as u64;
            let abs_err = cd.abs_diff(j);
            if abs_err > max_err.max(1) {
                return Err(format!(
                    "TESTFAILED Too big error. card:{cd} abserr:{abs_err}"
                ));
            }
            checkpoint = if checkpoint < 100 {
                checkpoint + 1
            } else {
                checkpoint * 10
            };
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_hll_is_18_bytes_and_counts_zero() {
        let s = new_sparse();
        assert_eq!(s.len(), 18);
        assert_eq!(&s[16..], &[0x7f, 0xff]);
        assert_eq!(count(&s), Ok(0));
        assert_eq!(cached_card(&s), Some(0));
        assert_eq!(decode(&s), "Z:16384");
    }

    #[test]
    fn murmur_known_values() {
        // Reference values of MurmurHash64A with seed 0.
        assert_eq!(murmur64a(b"", 0), 0);
        // Tail-only and block paths give distinct, stable values.
        let a = murmur64a(b"abcdefgh", SEED);
        let b = murmur64a(b"abcdefghi", SEED);
        assert_ne!(a, b);
    }

    #[test]
    fn sparse_and_dense_agree() {
        let mut sp = new_sparse();
        let mut de = new_sparse();
        to_dense(&mut de).unwrap();
        for i in 0..5000u32 {
            let e = i.to_string();
            let a = add(&mut sp, e.as_bytes(), 1 << 20).unwrap();
            let b = add(&mut de, e.as_bytes(), 1 << 20).unwrap();
            assert_eq!(a, b);
        }
        assert_eq!(encoding(&sp), Encoding::Sparse);
        assert_eq!(count(&sp), count(&de));
        let mut conv = sp.clone();
        to_dense(&mut conv).unwrap();
        assert_eq!(dense_registers(&conv), dense_registers(&de));
    }

    #[test]
    fn promotion_past_max_bytes() {
        let mut s = new_sparse();
        let mut i = 0u32;
        while encoding(&s) == Encoding::Sparse {
            add(&mut s, i.to_string().as_bytes(), 300).unwrap();
            assert!(s.len() <= 300 || encoding(&s) == Encoding::Dense);
            i += 1;
        }
        assert_eq!(s.len(), DENSE_SIZE);
    }

    #[test]
    fn raise_all_matches_one_by_one() {
        let mut max = vec![0u8; REGISTERS];
        let mut src = new_sparse();
        for i in 0..3000u32 {
            add(&mut src, i.to_string().as_bytes(), 1 << 20).unwrap();
        }
        merge_into(&mut max, &src).unwrap();
        max[7] = 40;
        for limit in [100, 1 << 20] {
            let mut a = new_sparse();
            add(&mut a, b"x", limit).unwrap();
            let mut b = a.clone();
            raise_all(&mut a, &max, limit).unwrap();
            for (i, &v) in max.iter().enumerate() {
                if v > 0 {
                    raise(&mut b, i, v, limit).unwrap();
                }
            }
            assert_eq!(a, b);
            let mut d = a.clone();
            to_dense(&mut d).unwrap();
            raise_all(&mut d, &max, limit).unwrap();
            assert_eq!(dense_registers(&d), dense_registers(&b));
        }
    }

    #[test]
    fn corrupt_sparse_is_detected() {
        let mut s = new_sparse();
        s.truncate(17); // a truncated XZERO covers 64 registers only
        assert_eq!(count(&s), Err(Corrupt));
        assert_eq!(to_dense(&mut s), Err(Corrupt));
        let mut max = vec![0u8; REGISTERS];
        assert_eq!(merge_into(&mut max, &s), Err(Corrupt));
        let mut e = new_sparse();
        e.truncate(HDR_SIZE);
        assert_eq!(add(&mut e, b"x", 3000), Err(Corrupt));
    }

    #[test]
    fn estimator_edges() {
        assert_eq!(count_registers(&[0u8; REGISTERS]), 0);
        // Every register at 63: z is 0, Redis reports 2^63.
        assert_eq!(count_registers(&[63u8; REGISTERS]), 1 << 63);
    }

    #[test]
    fn selftest_passes() {
        assert_eq!(self_test(3000), Ok(()));
    }
}
