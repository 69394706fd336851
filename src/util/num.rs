//! Number parsing and formatting with Redis 7.0's exact text rules:
//! integer parsing (`string2ll`), double parsing (`getDoubleFromObject`,
//! i.e. `strtod` plus Redis's checks), double replies (`addReplyDouble`,
//! `"%.17g"`), fast integer formatting, and the INCRBYFLOAT result text.
//!
//! INCRBYFLOAT/HINCRBYFLOAT in Redis compute in x87 80-bit `long double`:
//! [`incrbyfloat`] / [`hincrbyfloat`] reproduce Redis bit for bit with a small
//! software extended-precision float.

/// Parses a signed 64-bit integer with the rules of Redis's `string2ll`
/// (used by `getLongLongFromObject`, hence INCRBY, EXPIRE, SETRANGE, ...).
///
/// Accepted: `0`, or an optional `-` followed by a non-zero digit and more
/// digits, at most 20 bytes in total, within `i64` range. Rejected: empty
/// input, `+`, spaces, leading zeros, `-0`, anything else.
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() > 20 {
        return None;
    }
    if s == b"0" {
        return Some(0);
    }
    let (negative, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, s),
    };
    match digits.first() {
        Some(b'1'..=b'9') => {}
        _ => return None,
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
    }
    if negative {
        if v > (i64::MAX as u64) + 1 {
            return None;
        }
        Some((v as i64).wrapping_neg())
    } else {
        i64::try_from(v).ok()
    }
}

/// C `isspace` in the "C" locale.
fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// The shape C `strtoll`/`strtoull` accept when the whole string must be used:
/// leading C white space, an optional sign, then only decimal digits (at least one).
/// Returns (negative, digits); the caller accumulates with its own overflow rule.
pub fn c_sign_digits(s: &[u8]) -> Option<(bool, &[u8])> {
    let start = s.iter().position(|&b| !is_c_space(b)).unwrap_or(s.len());
    let s = &s[start..];
    let (negative, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some((negative, digits))
}

/// Parses a double like Redis 7.0's `getDoubleFromObject` /
/// `getDoubleFromObjectOrReply` (ZADD/ZINCRBY scores, GEOADD coordinates,
/// GEOSEARCH radius, ...): the whole input must be consumed by C `strtod`, the first
/// byte must not be a space, NaN is rejected, and so is a result that
/// overflowed (`1e400`) or underflowed to zero (`1e-400`). Subnormal results
/// are accepted. Like `strtod`, this accepts `inf`/`infinity` in any case with
/// an optional sign, forms like `1.`, `.5`, `+1e5`, and C99 hex floats
/// (`0x1.8p1`, `0x10`).
///
/// For INCRBYFLOAT/HINCRBYFLOAT (Redis's `string2ld`, `long double`) use
/// [`incrbyfloat`], which has the wider `long double` range.
pub fn parse_f64(s: &[u8]) -> Option<f64> {
    let first = *s.first()?;
    if is_c_space(first) {
        return None;
    }
    let (negative, body) = match first {
        b'-' => (true, s.get(1..)?),
        b'+' => (false, s.get(1..)?),
        _ => (false, s),
    };
    let v = if body.len() > 2 && (body.starts_with(b"0x") || body.starts_with(b"0X")) {
        parse_hex_float(body.get(2..)?)?
    } else {
        parse_dec_float(body)?
    };
    Some(if negative { -v } else { v })
}

/// Unsigned decimal float or inf/infinity, with strtod's ERANGE rejection.
fn parse_dec_float(body: &[u8]) -> Option<f64> {
    // Only the characters strtod would consume in a decimal float.
    if !body
        .iter()
        .all(|&c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        if body.eq_ignore_ascii_case(b"inf") || body.eq_ignore_ascii_case(b"infinity") {
            return Some(f64::INFINITY);
        }
        return None;
    }
    let text = std::str::from_utf8(body).ok()?;
    if text.starts_with(['+', '-']) {
        return None; // a second sign
    }
    let v: f64 = text.parse().ok()?;
    if v.is_infinite() {
        return None; // overflow (ERANGE, HUGE_VAL)
    }
    if v == 0.0 {
        let mantissa = body
            .iter()
            .take_while(|&&c| c != b'e' && c != b'E')
            .any(|&c| (b'1'..=b'9').contains(&c));
        if mantissa {
            return None; // underflow to zero (ERANGE)
        }
    }
    Some(v)
}

/// Unsigned C99 hex float after the `0x` prefix, rounded to nearest-even,
/// with strtod's ERANGE rejection (overflow, or underflow to zero).
fn parse_hex_float(s: &[u8]) -> Option<f64> {
    let mut mant: u64 = 0;
    let mut sticky = false;
    let mut exp2: i64 = 0;
    let mut digits = 0usize;
    let mut seen_point = false;
    let mut i = 0usize;
    while let Some(&c) = s.get(i) {
        if c == b'.' && !seen_point {
            seen_point = true;
            i += 1;
            continue;
        }
        let Some(d) = (c as char).to_digit(16) else {
            break;
        };
        digits += 1;
        if mant >> 60 == 0 {
            mant = (mant << 4) | u64::from(d);
            if seen_point {
                exp2 = exp2.saturating_sub(4);
            }
        } else {
            sticky |= d != 0;
            if !seen_point {
                exp2 = exp2.saturating_add(4);
            }
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    if let Some(&p) = s.get(i) {
        if p != b'p' && p != b'P' {
            return None;
        }
        let rest = s.get(i + 1..)?;
        let (eneg, edigits) = match rest.first() {
            Some(b'-') => (true, rest.get(1..)?),
            Some(b'+') => (false, rest.get(1..)?),
            _ => (false, rest),
        };
        if edigits.is_empty() || !edigits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let mut e: i64 = 0;
        for &c in edigits {
            e = (e * 10 + i64::from(c - b'0')).min(1 << 40);
        }
        exp2 = exp2.saturating_add(if eneg { -e } else { e });
    }
    if mant == 0 {
        return Some(0.0);
    }
    // value = (mant + sticky) * 2^exp2; normalise so bit 63 is set.
    let lz = mant.leading_zeros();
    let m = mant << lz;
    // value = m * 2^(e - 63) with m in [2^63, 2^64)
    let e = exp2.saturating_add(63 - i64::from(lz));
    if e > 1100 {
        return None;
    }
    // Right shift giving units of 2^(e-52) (normal) or 2^-1074 (subnormal).
    let shift = std::cmp::max(11, -1011 - e);
    if shift > 64 {
        return None;
    }
    let (q, rem_half, rem_nonzero) = if shift == 64 {
        (0u64, m >> 63 == 1, (m << 1) != 0 || sticky)
    } else {
        let q = m >> shift;
        let rem = m & ((1u64 << shift) - 1);
        let half = 1u64 << (shift - 1);
        (q, rem & half != 0, (rem & (half - 1)) != 0 || sticky)
    };
    let q = if rem_half && (rem_nonzero || q & 1 == 1) {
        q + 1
    } else {
        q
    };
    if q == 0 {
        return None;
    }
    let bits = if shift == 11 {
        // Normal: q in [2^52, 2^53]; the hidden bit bumps the exponent.
        let biased = u64::try_from(e + 1022).ok()?;
        (biased << 52).checked_add(q)?
    } else {
        q
    };
    if bits >= 0x7ff0_0000_0000_0000 {
        return None;
    }
    Some(f64::from_bits(bits))
}

/// Writes the decimal digits of `v` at the end of `buf` (20 bytes hold any u64)
/// and returns where they start: the text is `&buf[start..]`.
pub fn u64_digits(mut v: u64, buf: &mut [u8; 20]) -> usize {
    let mut pos = buf.len();
    loop {
        pos -= 1;
        buf[pos] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            return pos;
        }
    }
}

/// Appends the decimal text of `v` to `out` (no allocation besides growth).
pub fn fmt_u64(v: u64, out: &mut Vec<u8>) {
    let mut buf = [0u8; 20];
    let start = u64_digits(v, &mut buf);
    out.extend_from_slice(&buf[start..]);
}

/// Appends the decimal text of `v` to `out` (no allocation besides growth).
pub fn fmt_i64(v: i64, out: &mut Vec<u8>) {
    if v < 0 {
        out.push(b'-');
    }
    fmt_u64(v.unsigned_abs(), out);
}

/// Text of a double reply as Redis 7.0's `addReplyDouble` sends it in RESP2:
/// `inf`/`-inf` for infinities, otherwise C `"%.17g"` (so `nan`/`-nan`,
/// `-0` for negative zero, `1.1000000000000001` for 1.1, `1e+20`).
pub fn fmt_double(v: f64) -> String {
    if v.is_nan() {
        return if v.is_sign_negative() { "-nan" } else { "nan" }.to_string();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    fmt_g17(v)
}

/// C `printf("%.17g", v)` for finite `v`.
fn fmt_g17(v: f64) -> String {
    const P: i32 = 17;
    // Correctly rounded 17 significant digits: "-d.dddddddddddddddde-X".
    let sci = format!("{:.16e}", v);
    let (mant, exp) = match sci.split_once('e') {
        Some(parts) => parts,
        None => return sci,
    };
    let x: i32 = exp.parse().unwrap_or(0);
    let (neg, mant) = match mant.strip_prefix('-') {
        Some(m) => (true, m),
        None => (false, mant),
    };
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::with_capacity(32);
    if neg {
        out.push('-');
    }
    if !(-4..P).contains(&x) {
        // Exponential style.
        let (first, rest) = digits.split_at(1.min(digits.len()));
        out.push_str(first);
        let rest = rest.trim_end_matches('0');
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        out.push('e');
        out.push(if x < 0 { '-' } else { '+' });
        let ax = x.unsigned_abs();
        if ax < 10 {
            out.push('0');
        }
        out.push_str(&ax.to_string());
    } else if x >= 0 {
        let int_len = (x as usize + 1).min(digits.len());
        let (int_part, frac) = digits.split_at(int_len);
        out.push_str(int_part);
        let frac = frac.trim_end_matches('0');
        if !frac.is_empty() {
            out.push('.');
            out.push_str(frac);
        }
    } else {
        out.push_str("0.");
        for _ in 0..(-x - 1) {
            out.push('0');
        }
        out.push_str(digits.trim_end_matches('0'));
    }
    out
}

/// Why [`incrbyfloat`] / [`hincrbyfloat`] failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncrFloatError {
    /// INCRBYFLOAT: the stored value or the increment is not a valid float;
    /// HINCRBYFLOAT: the increment is not a valid float.
    NotFloat,
    /// HINCRBYFLOAT only: the field holds something that is not a float.
    HashValueNotFloat,
    /// HINCRBYFLOAT only: the increment is `inf`/`-inf`.
    IncrNotFinite,
    /// The result is NaN or infinite (INCRBYFLOAT: also an `inf` operand).
    NanOrInf,
}

impl IncrFloatError {
    /// The Redis error reply text (without the leading '-').
    pub fn message(self) -> &'static str {
        match self {
            IncrFloatError::NotFloat => "ERR value is not a valid float",
            IncrFloatError::HashValueNotFloat => "ERR hash value is not a float",
            IncrFloatError::IncrNotFinite => "ERR value is NaN or Infinity",
            IncrFloatError::NanOrInf => "ERR increment would produce NaN or Infinity",
        }
    }
}

/// INCRBYFLOAT exactly as Redis 7.0 on x86-64 computes it: both texts are
/// parsed like `string2ld` (C `strtold` into an 80-bit x87 `long double`:
/// whole input consumed, fewer than 5120 bytes, no leading space, no NaN,
/// no overflow or underflow to zero; `inf` is accepted), added in
/// `long double` with round-to-nearest-even, and printed like
/// `ld2string(LD_STR_HUMAN)`: `"%.17Lf"` with trailing zeros and point
/// trimmed, `-0` shown as `0`. `current` is the stored string (None for a
/// missing key, i.e. 0); it is checked before the increment. The returned
/// text is both the reply (bulk string) and the new stored value.
/// Errors: [`IncrFloatError::NotFloat`], [`IncrFloatError::NanOrInf`].
pub fn incrbyfloat(current: Option<&[u8]>, incr: &[u8]) -> Result<String, IncrFloatError> {
    let cur = match current {
        Some(text) => ld::parse(text).ok_or(IncrFloatError::NotFloat)?,
        None => ld::Ld::ZERO,
    };
    let inc = ld::parse(incr).ok_or(IncrFloatError::NotFloat)?;
    let sum = ld::add(cur, inc).ok_or(IncrFloatError::NanOrInf)?;
    Ok(ld::fmt_human(sum))
}

/// HINCRBYFLOAT, same arithmetic and text as [`incrbyfloat`] but Redis's
/// order of checks and messages for hashes: the increment is parsed first
/// (`NotFloat`) and must be finite (`IncrNotFinite`), then the field value
/// (`current`, None if the field is missing; pass an integer-encoded field
/// as its decimal text) must parse (`HashValueNotFloat`), then the sum must
/// be finite (`NanOrInf`).
pub fn hincrbyfloat(current: Option<&[u8]>, incr: &[u8]) -> Result<String, IncrFloatError> {
    let inc = ld::parse(incr).ok_or(IncrFloatError::NotFloat)?;
    if inc.inf {
        return Err(IncrFloatError::IncrNotFinite);
    }
    let cur = match current {
        Some(text) => ld::parse(text).ok_or(IncrFloatError::HashValueNotFloat)?,
        None => ld::Ld::ZERO,
    };
    let sum = ld::add(cur, inc).ok_or(IncrFloatError::NanOrInf)?;
    Ok(ld::fmt_human(sum))
}

/// Software emulation of the x87 80-bit extended format (64-bit significand
/// with explicit integer bit, exponents down to 2^-16382, subnormals down
/// to 2^-16445), just enough for INCRBYFLOAT: parse, add, print.
mod ld {
    use super::is_c_space;

    /// Smallest exponent of the least significant bit (subnormal unit).
    const MIN_EXP: i64 = -16445;
    /// Largest exponent of the most significant bit.
    const MAX_TOP: i64 = 16383;
    /// Redis's MAX_LONG_DOUBLE_CHARS: longer inputs are refused.
    const MAX_CHARS: usize = 5 * 1024;

    /// A finite value `(-1)^neg * mant * 2^exp`, or an infinity. Finite
    /// non-zero values are normalised (bit 63 set) unless subnormal, in which
    /// case `exp == MIN_EXP`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Ld {
        pub neg: bool,
        pub mant: u64,
        pub exp: i64,
        pub inf: bool,
    }

    impl Ld {
        pub const ZERO: Ld = Ld {
            neg: false,
            mant: 0,
            exp: 0,
            inf: false,
        };
    }

    /// Rounds `m * 2^e2` (plus a positive amount below one unit of `m` when
    /// `sticky`) to the format. None on overflow or underflow to zero.
    fn round(neg: bool, m: u128, e2: i64, sticky: bool) -> Option<Ld> {
        if m == 0 {
            return if sticky {
                None
            } else {
                Some(Ld { neg, ..Ld::ZERO })
            };
        }
        let len = i64::from(128 - m.leading_zeros());
        let shift = std::cmp::max(len - 64, MIN_EXP.saturating_sub(e2));
        let (mut q, mut e) = if shift <= 0 {
            // Exact: room to spare (only happens with -shift <= 64 - len).
            (m << (-shift) as u32, e2 + shift)
        } else if shift > 128 {
            // m < 2^128 <= half a unit: rounds to zero.
            (0, e2 + shift)
        } else {
            let sh = shift as u32;
            let q = m.checked_shr(sh).unwrap_or(0);
            let below = if sh >= 128 {
                m
            } else {
                m & ((1u128 << sh) - 1)
            };
            let half = 1u128 << (sh - 1);
            let up = below & half != 0 && (below & (half - 1) != 0 || sticky || q & 1 == 1);
            (if up { q + 1 } else { q }, e2 + shift)
        };
        if q >> 64 != 0 {
            q >>= 1;
            e += 1;
        }
        if q == 0 {
            return None;
        }
        let top = e + i64::from(128 - q.leading_zeros()) - 1;
        if top > MAX_TOP {
            return None;
        }
        Some(Ld {
            neg,
            mant: q as u64,
            exp: e,
            inf: false,
        })
    }

    /// `string2ld`: None if Redis would refuse the text.
    pub fn parse(s: &[u8]) -> Option<Ld> {
        if s.is_empty() || s.len() >= MAX_CHARS {
            return None;
        }
        let first = *s.first()?;
        if is_c_space(first) {
            return None;
        }
        let (neg, body) = match first {
            b'-' => (true, s.get(1..)?),
            b'+' => (false, s.get(1..)?),
            _ => (false, s),
        };
        if body.eq_ignore_ascii_case(b"inf") || body.eq_ignore_ascii_case(b"infinity") {
            return Some(Ld {
                neg,
                inf: true,
                ..Ld::ZERO
            });
        }
        if body.len() > 2 && (body.starts_with(b"0x") || body.starts_with(b"0X")) {
            parse_hex(neg, body.get(2..)?)
        } else {
            parse_dec(neg, body)
        }
    }

    fn parse_hex(neg: bool, s: &[u8]) -> Option<Ld> {
        let mut m: u128 = 0;
        let mut sticky = false;
        let mut e2: i64 = 0;
        let mut digits = 0usize;
        let mut seen_point = false;
        let mut i = 0usize;
        while let Some(&c) = s.get(i) {
            if c == b'.' && !seen_point {
                seen_point = true;
                i += 1;
                continue;
            }
            let Some(d) = (c as char).to_digit(16) else {
                break;
            };
            digits += 1;
            if m >> 120 == 0 {
                m = (m << 4) | u128::from(d);
                if seen_point {
                    e2 -= 4;
                }
            } else {
                sticky |= d != 0;
                if !seen_point {
                    e2 += 4;
                }
            }
            i += 1;
        }
        if digits == 0 {
            return None;
        }
        let rest = s.get(i..)?;
        if let Some((&p, exp)) = rest.split_first() {
            if p != b'p' && p != b'P' {
                return None;
            }
            e2 = e2.saturating_add(parse_exp(exp)?);
        }
        round(neg, m, e2, sticky)
    }

    /// `[+-]digits` exponent, saturated far beyond any meaningful range.
    fn parse_exp(s: &[u8]) -> Option<i64> {
        let (eneg, digits) = match s.first() {
            Some(b'-') => (true, s.get(1..)?),
            Some(b'+') => (false, s.get(1..)?),
            _ => (false, s),
        };
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let mut e: i64 = 0;
        for &c in digits {
            e = (e * 10 + i64::from(c - b'0')).min(1 << 40);
        }
        Some(if eneg { -e } else { e })
    }

    fn parse_dec(neg: bool, s: &[u8]) -> Option<Ld> {
        // Significant digits (leading zeros dropped) and decimal exponent.
        let mut digits: Vec<u8> = Vec::new();
        let mut dexp: i64 = 0;
        let mut ndigits = 0usize;
        let mut seen_point = false;
        let mut i = 0usize;
        while let Some(&c) = s.get(i) {
            if c == b'.' && !seen_point {
                seen_point = true;
            } else if c.is_ascii_digit() {
                ndigits += 1;
                if !(digits.is_empty() && c == b'0') {
                    digits.push(c - b'0');
                }
                if seen_point {
                    dexp -= 1;
                }
            } else {
                break;
            }
            i += 1;
        }
        if ndigits == 0 {
            return None;
        }
        let rest = s.get(i..)?;
        if let Some((&e, exp)) = rest.split_first() {
            if e != b'e' && e != b'E' {
                return None;
            }
            dexp = dexp.saturating_add(parse_exp(exp)?);
        }
        if digits.is_empty() {
            return Some(Ld { neg, ..Ld::ZERO });
        }
        let nd = digits.len() as i64;
        // value in [10^(nd-1+dexp), 10^(nd+dexp))
        if nd - 1 + dexp >= 4933 {
            return None; // > LDBL_MAX ~ 1.19e4932
        }
        if nd + dexp < -4952 {
            return None; // < half the smallest subnormal (~3.6e-4951)
        }
        let mut num = Big::from_digits(&digits);
        let mut den = Big::from_u64(1);
        if dexp >= 0 {
            num.mul_pow10(dexp as u32);
        } else {
            den.mul_pow10((-dexp) as u32);
        }
        // Scale so that the quotient has 67 or 68 bits.
        let k = 67 + den.bits() as i64 - num.bits() as i64;
        if k >= 0 {
            num = num.shl(k as usize);
        } else {
            den = den.shl((-k) as usize);
        }
        let mut q: u128 = 0;
        for bit in (0..68).rev() {
            let t = den.shl(bit);
            if num.cmp_big(&t) != std::cmp::Ordering::Less {
                num.sub_assign(&t);
                q |= 1u128 << bit;
            }
        }
        round(neg, q, -k, !num.is_zero())
    }

    /// Sum rounded to nearest-even; None if the result is infinite or NaN.
    pub fn add(a: Ld, b: Ld) -> Option<Ld> {
        if a.inf || b.inf {
            return None;
        }
        if a.mant == 0 && b.mant == 0 {
            return Some(Ld {
                neg: a.neg && b.neg,
                ..Ld::ZERO
            });
        }
        if a.mant == 0 {
            return Some(b);
        }
        if b.mant == 0 {
            return Some(a);
        }
        let (hi, lo) = if a.exp >= b.exp { (a, b) } else { (b, a) };
        let d = hi.exp - lo.exp;
        let big_a = u128::from(hi.mant) << 63;
        let base = hi.exp - 63;
        let (big_b, sticky_b) = if d <= 63 {
            (u128::from(lo.mant) << (63 - d) as u32, false)
        } else {
            let s = d - 63;
            if s >= 64 {
                (0, true)
            } else {
                let s = s as u32;
                (u128::from(lo.mant >> s), lo.mant & ((1u64 << s) - 1) != 0)
            }
        };
        if hi.neg == lo.neg {
            return round(hi.neg, big_a + big_b, base, sticky_b);
        }
        if big_a > big_b || (big_a == big_b && sticky_b) {
            // With sticky_b the true lo is a little larger than big_b.
            let (m, sticky) = if sticky_b {
                (big_a - big_b - 1, true)
            } else {
                (big_a - big_b, false)
            };
            round(hi.neg, m, base, sticky)
        } else if big_a == big_b {
            Some(Ld::ZERO)
        } else {
            round(lo.neg, big_b - big_a, base, false)
        }
    }

    /// `"%.17Lf"` with trailing zeros (and a trailing point) removed and
    /// `-0` turned into `0`, as Redis's `ld2string(..., LD_STR_HUMAN)`.
    pub fn fmt_human(v: Ld) -> String {
        let mut out = String::new();
        if v.neg {
            out.push('-');
        }
        if v.exp >= 0 {
            let n = Big::from_u64(v.mant).shl(v.exp as usize);
            out.push_str(&n.to_decimal());
        } else {
            const SCALE: u128 = 100_000_000_000_000_000; // 10^17
            let n = u128::from(v.mant) * SCALE;
            let sh = -v.exp;
            let q = if sh > 125 {
                0 // n < 2^121, below half a unit
            } else {
                let sh = sh as u32;
                let q = n >> sh;
                let below = n & ((1u128 << sh) - 1);
                let half = 1u128 << (sh - 1);
                let up = below & half != 0 && (below & (half - 1) != 0 || q & 1 == 1);
                if up {
                    q + 1
                } else {
                    q
                }
            };
            let int = q / SCALE;
            let frac = q % SCALE;
            let text = format!("{}.{:017}", int, frac);
            let text = text.trim_end_matches('0').trim_end_matches('.');
            out.push_str(text);
        }
        if out == "-0" {
            out = "0".to_string();
        }
        out
    }

    /// Minimal unsigned big integer, little-endian base 2^32 limbs.
    struct Big(Vec<u32>);

    impl Big {
        fn from_u64(v: u64) -> Big {
            let mut b = Big(vec![v as u32, (v >> 32) as u32]);
            b.trim();
            b
        }

        fn from_digits(digits: &[u8]) -> Big {
            let mut b = Big(Vec::new());
            for chunk in digits.chunks(9) {
                let mut mul = 1u32;
                let mut add = 0u32;
                for &d in chunk {
                    mul *= 10;
                    add = add * 10 + u32::from(d);
                }
                b.mul_add_small(mul, add);
            }
            b
        }

        fn trim(&mut self) {
            while self.0.last() == Some(&0) {
                self.0.pop();
            }
        }

        fn is_zero(&self) -> bool {
            self.0.is_empty()
        }

        fn mul_add_small(&mut self, mul: u32, add: u32) {
            let mut carry = u64::from(add);
            for limb in self.0.iter_mut() {
                let v = u64::from(*limb) * u64::from(mul) + carry;
                *limb = v as u32;
                carry = v >> 32;
            }
            if carry != 0 {
                self.0.push(carry as u32);
            }
            self.trim();
        }

        fn mul_pow10(&mut self, mut n: u32) {
            while n >= 9 {
                self.mul_add_small(1_000_000_000, 0);
                n -= 9;
            }
            if n > 0 {
                self.mul_add_small(10u32.pow(n), 0);
            }
        }

        fn bits(&self) -> usize {
            match self.0.last() {
                Some(&top) => self.0.len() * 32 - top.leading_zeros() as usize,
                None => 0,
            }
        }

        fn shl(&self, n: usize) -> Big {
            let (limbs, bits) = (n / 32, (n % 32) as u32);
            let mut v = vec![0u32; limbs];
            let mut carry = 0u32;
            for &l in &self.0 {
                if bits == 0 {
                    v.push(l);
                } else {
                    v.push((l << bits) | carry);
                    carry = l >> (32 - bits);
                }
            }
            if carry != 0 {
                v.push(carry);
            }
            let mut b = Big(v);
            b.trim();
            b
        }

        fn cmp_big(&self, other: &Big) -> std::cmp::Ordering {
            self.0
                .len()
                .cmp(&other.0.len())
                .then_with(|| self.0.iter().rev().cmp(other.0.iter().rev()))
        }

        /// self -= other; requires self >= other.
        fn sub_assign(&mut self, other: &Big) {
            let mut borrow = 0i64;
            for (i, limb) in self.0.iter_mut().enumerate() {
                let o = i64::from(other.0.get(i).copied().unwrap_or(0));
                let mut v = i64::from(*limb) - o - borrow;
                if v < 0 {
                    v += 1 << 32;
                    borrow = 1;
                } else {
                    borrow = 0;
                }
                *limb = v as u32;
            }
            self.trim();
        }

        /// Divides in place by `d`, returning the remainder.
        fn div_small(&mut self, d: u32) -> u32 {
            let mut rem = 0u64;
            for limb in self.0.iter_mut().rev() {
                let cur = (rem << 32) | u64::from(*limb);
                *limb = (cur / u64::from(d)) as u32;
                rem = cur % u64::from(d);
            }
            self.trim();
            rem as u32
        }

        fn to_decimal(&self) -> String {
            let mut n = Big(self.0.clone());
            let mut chunks = Vec::new();
            while !n.is_zero() {
                chunks.push(n.div_small(1_000_000_000));
            }
            let mut s = match chunks.pop() {
                Some(top) => top.to_string(),
                None => return "0".to_string(),
            };
            for c in chunks.iter().rev() {
                s.push_str(&format!("{:09}", c));
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_sign_digits_is_strtoll_whole_string_shape() {
        assert_eq!(c_sign_digits(b" \t-007"), Some((true, &b"007"[..])));
        assert_eq!(c_sign_digits(b"+5"), Some((false, &b"5"[..])));
        for bad in [&b""[..], b" ", b"-", b"+-1", b"1 ", b"1x", b"0x10"] {
            assert_eq!(c_sign_digits(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn u64_digits_fill_from_the_end() {
        let mut buf = [0u8; 20];
        for v in [0, 9, 10, 1234567890, u64::MAX] {
            let start = u64_digits(v, &mut buf);
            assert_eq!(&buf[start..], v.to_string().as_bytes());
        }
        let mut out = Vec::new();
        fmt_i64(i64::MIN, &mut out);
        assert_eq!(out, i64::MIN.to_string().as_bytes());
    }

    #[test]
    fn parse_i64_accepts_canonical_integers() {
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"1"), Some(1));
        assert_eq!(parse_i64(b"-1"), Some(-1));
        assert_eq!(parse_i64(b"1234567890"), Some(1_234_567_890));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
    }

    #[test]
    fn parse_i64_rejects_like_string2ll() {
        for s in [
            &b""[..],
            b"-",
            b"+1",
            b"-0",
            b"00",
            b"01",
            b"-01",
            b" 1",
            b"1 ",
            b"1a",
            b"0x10",
            b"1.0",
            b"9223372036854775808",
            b"-9223372036854775809",
            b"99999999999999999999",
            b"00000000000000000001",
            b"123456789012345678901",
            b"1\x00",
        ] {
            assert_eq!(parse_i64(s), None, "{:?}", s);
        }
    }

    #[test]
    fn parse_f64_decimal_and_special() {
        assert_eq!(parse_f64(b"1.5"), Some(1.5));
        assert_eq!(parse_f64(b"-1.5"), Some(-1.5));
        assert_eq!(parse_f64(b"+1.5"), Some(1.5));
        assert_eq!(parse_f64(b"1."), Some(1.0));
        assert_eq!(parse_f64(b".5"), Some(0.5));
        assert_eq!(parse_f64(b"1e3"), Some(1000.0));
        assert_eq!(parse_f64(b"1E+3"), Some(1000.0));
        assert_eq!(parse_f64(b"inf"), Some(f64::INFINITY));
        assert_eq!(parse_f64(b"-Infinity"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_f64(b"+INF"), Some(f64::INFINITY));
        let z = parse_f64(b"-0");
        assert!(z == Some(0.0) && z.is_some_and(f64::is_sign_negative));
        assert_eq!(parse_f64(b"0e999999"), Some(0.0));
        assert_eq!(parse_f64(b"1e-310"), Some(1e-310));
        assert_eq!(parse_f64(b"3e-324"), Some(5e-324));
        for s in [
            &b""[..],
            b" 1",
            b"1 ",
            b"\t1",
            b"nan",
            b"-nan",
            b"infinit",
            b".",
            b"e5",
            b"1e",
            b"1e+",
            b"+-1",
            b"--1",
            b"1_0",
            b"1e400",
            b"1e-400",
            b"2e-324",
            b"1.7976931348623159e308",
            b"1\x00",
        ] {
            assert_eq!(parse_f64(s), None, "{:?}", s);
        }
        assert_eq!(parse_f64(b"1.7976931348623157e308"), Some(f64::MAX));
    }

    #[test]
    fn parse_f64_hex() {
        assert_eq!(parse_f64(b"0x10"), Some(16.0));
        assert_eq!(parse_f64(b"0x1p3"), Some(8.0));
        assert_eq!(parse_f64(b"0X1.8P1"), Some(3.0));
        assert_eq!(parse_f64(b"-0x.8"), Some(-0.5));
        assert_eq!(parse_f64(b"0x1p-1074"), Some(5e-324));
        assert_eq!(parse_f64(b"0x1.fffffffffffff7p1023"), Some(f64::MAX));
        assert_eq!(parse_f64(b"0x1.00000000000008p0"), Some(1.0));
        assert_eq!(
            parse_f64(b"0x1.00000000000018p0"),
            Some(1.0 + 2.0 * f64::EPSILON)
        );
        assert_eq!(parse_f64(b"0x0p99999"), Some(0.0));
        for s in [
            &b"0x"[..],
            b"0x1p",
            b"0x1p+",
            b"0xp1",
            b"0x1p-1075",
            b"0x1.fffffffffffff8p1023",
            b"0x1p99999999999999999999",
            b"0x1g",
        ] {
            assert_eq!(parse_f64(s), None, "{:?}", s);
        }
    }

    #[test]
    fn fmt_i64_cases() {
        for v in [
            0,
            1,
            -1,
            9,
            10,
            -10,
            12345,
            i64::MAX,
            i64::MIN,
            i64::MIN + 1,
        ] {
            let mut out = b"x".to_vec();
            fmt_i64(v, &mut out);
            assert_eq!(out, format!("x{}", v).into_bytes());
        }
    }

    #[test]
    fn fmt_double_like_printf_g17() {
        let cases: [(f64, &str); 18] = [
            (0.0, "0"),
            (-0.0, "-0"),
            (1.0, "1"),
            (3.0, "3"),
            (1.1, "1.1000000000000001"),
            (-1.1, "-1.1000000000000001"),
            (0.1, "0.10000000000000001"),
            (1.5, "1.5"),
            (1e16, "10000000000000000"),
            (1e17, "1e+17"),
            (1e20, "1e+20"),
            (1e-5, "1.0000000000000001e-05"),
            (0.0001, "0.0001"),
            (1e300, "1.0000000000000001e+300"),
            (5e-324, "4.9406564584124654e-324"),
            (123_456_789_012_345.0 + 0.625, "123456789012345.62"),
            (12345678901234567.0, "12345678901234568"),
            (1234567890123456789.0, "1.2345678901234568e+18"),
        ];
        for (v, s) in cases {
            assert_eq!(fmt_double(v), s);
        }
        assert_eq!(fmt_double(f64::INFINITY), "inf");
        assert_eq!(fmt_double(f64::NEG_INFINITY), "-inf");
        assert_eq!(fmt_double(f64::NAN), "nan");
    }

    fn ibf(cur: Option<&str>, incr: &str) -> Result<String, IncrFloatError> {
        incrbyfloat(cur.map(str::as_bytes), incr.as_bytes())
    }

    #[test]
    fn incrbyfloat_matches_redis_long_double() {
        let ok = |cur: Option<&str>, incr: &str, want: &str| {
            assert_eq!(ibf(cur, incr).as_deref(), Ok(want), "{:?} + {}", cur, incr);
        };
        ok(None, "10.5", "10.5");
        ok(Some("10.5"), "0.1", "10.6");
        ok(Some("10.50"), "0.1", "10.6");
        ok(Some("5.0e3"), "2.0e2", "5200");
        ok(Some("-97.1"), "-359", "-456.10000000000000001");
        ok(Some("0.1"), "0.2", "0.3");
        ok(Some("1000.1"), "0", "1000.09999999999999998");
        ok(None, "1.1", "1.1");
        ok(None, "0x1p-3", "0.125");
        ok(None, "1e-20", "0");
        ok(None, "-1e-20", "0");
        ok(None, "1e-400", "0");
        ok(None, "0.000003814697265625", "0.00000381469726562");
        ok(None, "1e20", "100000000000000000000");
        ok(None, "-0", "0");
        ok(Some("-0"), "-0", "0");
        ok(Some("1.5"), "-1.5", "0");
        ok(None, "123456789.123456789", "123456789.12345678899873747");
        ok(None, "0x1p-16445", "0");
        ok(None, "99999999999999999999.5", "100000000000000000000");
        let big = ibf(None, "1e4932").unwrap_or_default();
        assert_eq!(big.len(), 4933);
        assert!(big.starts_with("1000000000000000000006018949387963891323837774"));
        let dmax = ibf(None, "1.7976931348623157e308").unwrap_or_default();
        assert!(dmax.starts_with("179769313486231569995921046774104434048386446944329178485314420765176628523124396354701868608387085564428793419425520689"));
        assert_eq!(dmax.len(), 309);
    }

    #[test]
    fn incrbyfloat_errors() {
        use IncrFloatError::*;
        assert_eq!(ibf(Some("1e4932"), "1e4932"), Err(NanOrInf));
        assert_eq!(ibf(Some("1"), "inf"), Err(NanOrInf));
        assert_eq!(ibf(Some("inf"), "-inf"), Err(NanOrInf));
        assert_eq!(ibf(Some("3"), "abc"), Err(NotFloat));
        assert_eq!(ibf(Some("abc"), "1"), Err(NotFloat));
        assert_eq!(ibf(Some(" 1"), "1"), Err(NotFloat));
        assert_eq!(ibf(Some("1"), ""), Err(NotFloat));
        assert_eq!(ibf(None, "nan"), Err(NotFloat));
        assert_eq!(ibf(None, "1e-4952"), Err(NotFloat));
        assert_eq!(ibf(None, "1e4933"), Err(NotFloat));
        assert_eq!(ibf(None, "1.5\u{0}"), Err(NotFloat));
        let long_ok = format!("{}1", "0".repeat(5118));
        assert_eq!(ibf(None, &long_ok).as_deref(), Ok("1"));
        let too_long = format!("{}1", "0".repeat(5119));
        assert_eq!(ibf(None, &too_long), Err(NotFloat));
        assert_eq!(ibf(Some("abc"), "inf"), Err(NotFloat));
        assert_eq!(NotFloat.message(), "ERR value is not a valid float");
    }

    #[test]
    fn hincrbyfloat_order_and_messages() {
        use IncrFloatError::*;
        let h =
            |cur: Option<&str>, incr: &str| hincrbyfloat(cur.map(str::as_bytes), incr.as_bytes());
        assert_eq!(h(None, "10.5").as_deref(), Ok("10.5"));
        assert_eq!(
            h(Some("-97.1"), "-359").as_deref(),
            Ok("-456.10000000000000001")
        );
        assert_eq!(h(None, "inf"), Err(IncrNotFinite));
        assert_eq!(h(Some("abc"), "inf"), Err(IncrNotFinite));
        assert_eq!(h(Some("abc"), "1"), Err(HashValueNotFloat));
        assert_eq!(h(Some("abc"), "abc"), Err(NotFloat));
        assert_eq!(h(Some("inf"), "1"), Err(NanOrInf));
        assert_eq!(h(Some("1e4932"), "1e4932"), Err(NanOrInf));
        assert_eq!(HashValueNotFloat.message(), "ERR hash value is not a float");
        assert_eq!(IncrNotFinite.message(), "ERR value is NaN or Infinity");
    }
}
