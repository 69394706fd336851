//! Low-level parsing and formatting helpers shared by the config loader, CONFIG SET and
//! CONFIG REWRITE. Each function documents the Redis behaviour it reproduces.

use std::io;

pub use crate::protocol::parse::split_args;

/// Splits on every single space like `sdssplitlen(s, " ")`: an empty input gives no
/// element, and consecutive / leading / trailing spaces give empty elements. This is how
/// Redis splits the single value of a multi-argument directive (`CONFIG SET save "1 2"`).
pub fn split_spaces(s: &[u8]) -> Vec<Vec<u8>> {
    if s.is_empty() {
        return Vec::new();
    }
    s.split(|&b| b == b' ').map(|p| p.to_vec()).collect()
}

/// Quoted representation like Redis's `sdscatrepr`: `"..."` with `\\ \" \n \r \t \a \b`
/// escapes and `\xHH` for other non-printable bytes.
pub fn repr(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for &b in s {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\x{:02x}", b)),
        }
    }
    out.push('"');
    out
}

/// Strict integer parsing like Redis's `string2ll`: optional `-`, no `+`, no spaces, no
/// leading zeros (except "0" itself), no overflow.
pub fn parse_ll(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if digits == b"0" {
        return if neg { None } else { Some(0) };
    }
    if digits[0] == b'0' {
        return None;
    }
    let mut v: i128 = 0;
    for &d in digits {
        v = v * 10 + i128::from(d - b'0');
        if v > i128::from(i64::MAX) + 1 {
            return None;
        }
    }
    if neg {
        v = -v;
    }
    i64::try_from(v).ok()
}

/// Lenient integer parsing like C `strtoll` with a check that the whole string was used:
/// leading white space, an optional sign and leading zeros are accepted.
pub fn parse_strtoll(s: &[u8]) -> Option<i64> {
    let (neg, digits) = crate::util::num::c_sign_digits(s)?;
    let mut v: i128 = 0;
    for &d in digits {
        v = (v * 10 + i128::from(d - b'0')).min(i128::from(u64::MAX));
    }
    if neg {
        v = -v;
    }
    i64::try_from(v).ok()
}

/// Memory value parsing like Redis's `memtoull`: decimal digits followed by an optional
/// unit `b`, `k` (1000), `kb` (1024), `m`, `mb`, `g`, `gb` (case-insensitive). Like Redis an
/// empty number counts as 0 ("k" is 0), a too large number saturates and the
/// multiplication wraps.
pub fn parse_memory(s: &[u8]) -> Option<u64> {
    let split = s
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let mul: u64 = match unit.to_ascii_lowercase().as_slice() {
        b"" | b"b" => 1,
        b"k" => 1000,
        b"kb" => 1024,
        b"m" => 1000 * 1000,
        b"mb" => 1024 * 1024,
        b"g" => 1000 * 1000 * 1000,
        b"gb" => 1024 * 1024 * 1024,
        _ => return None,
    };
    let mut v: u64 = 0;
    for &d in num {
        v = v.saturating_mul(10).saturating_add(u64::from(d - b'0'));
    }
    Some(v.wrapping_mul(mul))
}

/// Formats a byte count the way CONFIG REWRITE writes memory directives: the largest of
/// `gb`, `mb`, `kb` that divides it exactly, else plain bytes.
pub fn format_memory(v: i128) -> String {
    const KB: i128 = 1024;
    const MB: i128 = 1024 * 1024;
    const GB: i128 = 1024 * 1024 * 1024;
    if v != 0 && v % GB == 0 {
        format!("{}gb", v / GB)
    } else if v != 0 && v % MB == 0 {
        format!("{}mb", v / MB)
    } else if v != 0 && v % KB == 0 {
        format!("{}kb", v / KB)
    } else {
        v.to_string()
    }
}

/// The C library's `strerror()` text of an I/O error, without Rust's " (os error N)".
pub fn strerror(e: &io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error ") {
        Some(n) => s[..n].to_string(),
        None => s,
    }
}

/// Lossy conversion of bytes to text.
pub fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Trims the characters Redis trims from config lines (`" \t\r\n"`) at both ends.
pub fn trim_line(b: &[u8]) -> &[u8] {
    let is_trim = |c: &u8| matches!(*c, b' ' | b'\t' | b'\r' | b'\n');
    let start = b.iter().position(|c| !is_trim(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !is_trim(c)).map_or(start, |e| e + 1);
    &b[start..end]
}
