//! Low-level parsing and formatting helpers shared by the config loader, CONFIG SET and
//! CONFIG REWRITE. Each function documents the Redis behaviour it reproduces.

use std::io;

/// C `isspace()` in the "C" locale.
fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Splits a line into arguments the way Redis's `sdssplitargs` does:
///
/// * arguments are separated by white space;
/// * `"double quoted"` arguments understand `\n \r \t \b \a \\ \"` and `\xHH`; any other
///   escaped character stands for itself;
/// * `'single quoted'` arguments only understand `\'`;
/// * a closing quote must be followed by white space or the end of the line;
/// * a quote may start in the middle of an unquoted argument (`ab"c d"` is `abc d`).
///
/// Returns `None` for unbalanced quotes. Input stops at the first NUL byte, as in C.
pub fn split_args(line: &[u8]) -> Option<Vec<Vec<u8>>> {
    let line = match line.iter().position(|&b| b == 0) {
        Some(n) => &line[..n],
        None => line,
    };
    let at = |i: usize| -> u8 { line.get(i).copied().unwrap_or(0) };
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while i < line.len() && is_c_space(line[i]) {
            i += 1;
        }
        if i >= line.len() {
            return Some(out);
        }
        let mut cur = Vec::new();
        let mut in_dq = false;
        let mut in_sq = false;
        loop {
            let c = at(i);
            if in_dq {
                if c == 0 {
                    return None;
                }
                if c == b'\\' && at(i + 1) == b'x' {
                    if let (Some(h), Some(l)) = (hex_val(at(i + 2)), hex_val(at(i + 3))) {
                        cur.push(h * 16 + l);
                        i += 4;
                        continue;
                    }
                }
                if c == b'\\' && at(i + 1) != 0 {
                    cur.push(match at(i + 1) {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 0x08,
                        b'a' => 0x07,
                        other => other,
                    });
                    i += 2;
                    continue;
                }
                if c == b'"' {
                    // The closing quote must be followed by a space or the end.
                    let next = at(i + 1);
                    if next != 0 && !is_c_space(next) {
                        return None;
                    }
                    i += 1;
                    break;
                }
                cur.push(c);
                i += 1;
            } else if in_sq {
                if c == 0 {
                    return None;
                }
                if c == b'\\' && at(i + 1) == b'\'' {
                    cur.push(b'\'');
                    i += 2;
                    continue;
                }
                if c == b'\'' {
                    let next = at(i + 1);
                    if next != 0 && !is_c_space(next) {
                        return None;
                    }
                    i += 1;
                    break;
                }
                cur.push(c);
                i += 1;
            } else {
                match c {
                    b' ' | b'\n' | b'\r' | b'\t' | 0 => break,
                    b'"' => in_dq = true,
                    b'\'' => in_sq = true,
                    _ => cur.push(c),
                }
                i += 1;
            }
        }
        out.push(cur);
    }
}

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
    let mut i = 0;
    while i < s.len() && is_c_space(s[i]) {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        neg = s[i] == b'-';
        i += 1;
    }
    let digits = &s[i..];
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
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
