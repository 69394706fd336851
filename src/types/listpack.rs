//! Redis's listpack, byte for byte: the packed sequence stream nodes are made of
//! (and that RDB files store verbatim).
//!
//! Layout: a 6-byte header (total bytes, u32 LE; element count, u16 LE, 65535 =
//! "unknown"), the elements, and a 0xFF terminator. Each element is an encoding
//! byte (plus length/data) followed by its "backlen": the size of encoding+data
//! written so that it can be read from right to left, which makes backward
//! iteration possible.
//!
//! Elements are addressed by their byte offset. The functions take the bytes as a
//! slice (reading) or a `Vec<u8>` (writing); they trust the listpack to be well
//! formed, which holds for every listpack built here. Listpacks from outside (RDB
//! files) must pass [`validate`] first.

use crate::util::num;

pub const HEADER: usize = 6;
const EOF: u8 = 0xFF;
/// Count value meaning "too many to count in the header".
const NUMELE_UNKNOWN: u16 = u16::MAX;

/// One decoded element: listpacks store integer-looking strings as integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ele<'a> {
    Str(&'a [u8]),
    Int(i64),
}

impl Ele<'_> {
    /// The element as an integer (strings are parsed as Redis's lpGetInteger would).
    pub fn int(self) -> i64 {
        match self {
            Ele::Int(n) => n,
            Ele::Str(s) => num::parse_i64(s).unwrap_or(0),
        }
    }

    /// Appends the element's string form to `out`.
    pub fn write_to(self, out: &mut Vec<u8>) {
        match self {
            Ele::Int(n) => num::fmt_i64(n, out),
            Ele::Str(s) => out.extend_from_slice(s),
        }
    }

    pub fn to_vec(self) -> Vec<u8> {
        let mut v = Vec::new();
        self.write_to(&mut v);
        v
    }

    /// Whether the element equals the byte string `s` (as the string it stands for).
    pub fn eq_bytes(self, s: &[u8]) -> bool {
        match self {
            Ele::Str(x) => x == s,
            // An integer element only ever comes from a canonical integer string.
            Ele::Int(n) => num::parse_i64(s) == Some(n),
        }
    }
}

/// An empty listpack.
pub fn new() -> Vec<u8> {
    new_with_capacity(HEADER + 1)
}

/// An empty listpack with room for `cap` bytes.
pub fn new_with_capacity(cap: usize) -> Vec<u8> {
    let mut lp = Vec::with_capacity(cap.max(HEADER + 1));
    lp.extend_from_slice(&[(HEADER + 1) as u8, 0, 0, 0, 0, 0, EOF]);
    lp
}

/// Number of elements (counting them when the header cannot say).
pub fn len(lp: &[u8]) -> usize {
    let n = u16::from_le_bytes([lp[4], lp[5]]);
    if n != NUMELE_UNKNOWN {
        return n as usize;
    }
    let mut count = 0;
    let mut p = first(lp);
    while let Some(at) = p {
        count += 1;
        p = next(lp, at);
    }
    count
}

/// Offset of the first element, if any.
pub fn first(lp: &[u8]) -> Option<usize> {
    (lp[HEADER] != EOF).then_some(HEADER)
}

/// Offset of the last element, if any.
pub fn last(lp: &[u8]) -> Option<usize> {
    prev(lp, lp.len() - 1)
}

/// Offset of the element after the one at `p`.
pub fn next(lp: &[u8], p: usize) -> Option<usize> {
    let n = p + element_size(lp, p);
    (lp[n] != EOF).then_some(n)
}

/// Offset of the element before the one at `p` (`p` may be the terminator's offset).
pub fn prev(lp: &[u8], p: usize) -> Option<usize> {
    if p <= HEADER {
        return None;
    }
    // The backlen ends right before `p`: its last byte holds the low 7 bits, and
    // a set high bit means one more byte precedes it. (Checked arithmetic: this
    // also reads listpacks being validated.)
    let mut q = p - 1;
    let mut len = 0usize;
    let mut shift = 0;
    loop {
        let b = *lp.get(q)?;
        len |= ((b & 127) as usize).checked_shl(shift)?;
        if b & 128 == 0 {
            break;
        }
        shift += 7;
        if shift > 28 {
            return None;
        }
        q = q.checked_sub(1)?;
    }
    q.checked_sub(len).filter(|&start| start >= HEADER)
}

/// Size of the encoding byte(s) plus data of the element at `p`.
fn encoded_size(lp: &[u8], p: usize) -> usize {
    let b = lp[p];
    match b {
        0x00..=0x7F => 1,
        0x80..=0xBF => 1 + (b & 0x3F) as usize,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 2 + (((b & 0x0F) as usize) << 8 | lp[p + 1] as usize),
        0xF0 => 5 + u32::from_le_bytes([lp[p + 1], lp[p + 2], lp[p + 3], lp[p + 4]]) as usize,
        0xF1 => 3,
        0xF2 => 4,
        0xF3 => 5,
        0xF4 => 9,
        // Not produced by any encoder (validate() rejects them).
        _ => 1,
    }
}

/// Bytes used by a backlen of value `l`.
fn backlen_size(l: usize) -> usize {
    match l {
        0..=127 => 1,
        128..16383 => 2,
        16383..2097151 => 3,
        2097151..268435455 => 4,
        _ => 5,
    }
}

/// Total size of the element at `p`, backlen included.
pub fn element_size(lp: &[u8], p: usize) -> usize {
    let l = encoded_size(lp, p);
    l + backlen_size(l)
}

/// Decodes the element at `p`.
pub fn get(lp: &[u8], p: usize) -> Ele<'_> {
    let b = lp[p];
    let sign = |v: u64, bits: u32| -> i64 {
        let v = v as i64;
        if v >= 1 << (bits - 1) {
            v - (1 << bits)
        } else {
            v
        }
    };
    match b {
        0x00..=0x7F => Ele::Int(b as i64),
        0x80..=0xBF => {
            let n = (b & 0x3F) as usize;
            Ele::Str(&lp[p + 1..p + 1 + n])
        }
        0xC0..=0xDF => Ele::Int(sign(((b & 0x1F) as u64) << 8 | lp[p + 1] as u64, 13)),
        0xE0..=0xEF => {
            let n = ((b & 0x0F) as usize) << 8 | lp[p + 1] as usize;
            Ele::Str(&lp[p + 2..p + 2 + n])
        }
        0xF0 => {
            let n = u32::from_le_bytes([lp[p + 1], lp[p + 2], lp[p + 3], lp[p + 4]]) as usize;
            Ele::Str(&lp[p + 5..p + 5 + n])
        }
        0xF1 => Ele::Int(i16::from_le_bytes([lp[p + 1], lp[p + 2]]) as i64),
        0xF2 => Ele::Int(sign(
            lp[p + 1] as u64 | (lp[p + 2] as u64) << 8 | (lp[p + 3] as u64) << 16,
            24,
        )),
        0xF3 => Ele::Int(i32::from_le_bytes([lp[p + 1], lp[p + 2], lp[p + 3], lp[p + 4]]) as i64),
        0xF4 => {
            let mut b8 = [0u8; 8];
            b8.copy_from_slice(&lp[p + 1..p + 9]);
            Ele::Int(i64::from_le_bytes(b8))
        }
        _ => Ele::Str(&[]),
    }
}

/// Decodes the element at `p` as an integer.
pub fn get_int(lp: &[u8], p: usize) -> i64 {
    get(lp, p).int()
}

/// The encoding of integer `v` (without backlen): bytes and their count.
fn int_encoding(v: i64) -> ([u8; 9], usize) {
    let mut b = [0u8; 9];
    let n = if (0..=127).contains(&v) {
        b[0] = v as u8;
        1
    } else if (-4096..=4095).contains(&v) {
        let u = if v < 0 { (1 << 13) + v } else { v } as u16;
        b[0] = 0xC0 | (u >> 8) as u8;
        b[1] = u as u8;
        2
    } else if (i16::MIN as i64..=i16::MAX as i64).contains(&v) {
        b[0] = 0xF1;
        b[1..3].copy_from_slice(&(v as i16).to_le_bytes());
        3
    } else if (-(1 << 23)..(1 << 23)).contains(&v) {
        let u = if v < 0 { (1 << 24) + v } else { v } as u32;
        b[0] = 0xF2;
        b[1..4].copy_from_slice(&u.to_le_bytes()[..3]);
        4
    } else if (i32::MIN as i64..=i32::MAX as i64).contains(&v) {
        b[0] = 0xF3;
        b[1..5].copy_from_slice(&(v as i32).to_le_bytes());
        5
    } else {
        b[0] = 0xF4;
        b[1..9].copy_from_slice(&v.to_le_bytes());
        9
    };
    (b, n)
}

/// Writes the encoding of integer `v` (without backlen) into `out`.
fn encode_int(v: i64, out: &mut Vec<u8>) {
    let (b, n) = int_encoding(v);
    out.extend_from_slice(&b[..n]);
}

/// Writes the encoding of a string (integer-looking strings become integers, as
/// Redis's lpAppend does).
fn encode_str(s: &[u8], out: &mut Vec<u8>) {
    if let Some(v) = num::parse_i64(s) {
        return encode_int(v, out);
    }
    let n = s.len();
    if n < 64 {
        out.push(0x80 | n as u8);
    } else if n < 4096 {
        out.push(0xE0 | (n >> 8) as u8);
        out.push(n as u8);
    } else {
        out.push(0xF0);
        out.extend_from_slice(&(n as u32).to_le_bytes());
    }
    out.extend_from_slice(s);
}

/// Writes the backlen of an element whose encoding+data is `l` bytes long.
fn encode_backlen(l: usize, out: &mut Vec<u8>) {
    let n = backlen_size(l);
    for i in (0..n).rev() {
        let b = ((l >> (7 * i)) & 127) as u8;
        // Every byte but the first (leftmost) carries the continuation bit.
        out.push(if i == n - 1 { b } else { b | 128 });
    }
}

/// Bytes an integer element takes, backlen included.
pub fn int_size(v: i64) -> usize {
    let (_, n) = int_encoding(v);
    n + backlen_size(n)
}

fn set_total(lp: &mut [u8]) {
    let total = lp.len() as u32;
    lp[..4].copy_from_slice(&total.to_le_bytes());
}

fn add_count(lp: &mut [u8], delta: i64) {
    let n = u16::from_le_bytes([lp[4], lp[5]]);
    if n != NUMELE_UNKNOWN {
        let new = (n as i64 + delta).clamp(0, NUMELE_UNKNOWN as i64) as u16;
        lp[4..6].copy_from_slice(&new.to_le_bytes());
    }
}

/// Appends one already encoded element (encoding+data in `enc`).
fn append_encoded(lp: &mut Vec<u8>, enc: &[u8]) {
    lp.pop(); // the terminator
    lp.extend_from_slice(enc);
    encode_backlen(enc.len(), lp);
    lp.push(EOF);
    set_total(lp);
    add_count(lp, 1);
}

/// Appends an integer element.
pub fn append_int(lp: &mut Vec<u8>, v: i64) {
    let (b, n) = int_encoding(v);
    append_encoded(lp, &b[..n]);
}

/// Appends a string element (stored as an integer when it is one).
pub fn append_str(lp: &mut Vec<u8>, s: &[u8]) {
    lp.pop();
    let start = lp.len();
    encode_str(s, lp);
    let l = lp.len() - start;
    encode_backlen(l, lp);
    lp.push(EOF);
    set_total(lp);
    add_count(lp, 1);
}

/// Replaces the element at `p` with integer `v` (the listpack may grow or shrink;
/// the element stays at `p`).
pub fn replace_int(lp: &mut Vec<u8>, p: usize, v: i64) {
    let old = element_size(lp, p);
    let (b, n) = int_encoding(v);
    // An integer's encoding is at most 9 bytes, so its backlen is one byte.
    let mut enc = [0u8; 10];
    enc[..n].copy_from_slice(&b[..n]);
    enc[n] = n as u8;
    let enc = &enc[..n + 1];
    if enc.len() == old {
        lp[p..p + old].copy_from_slice(enc);
    } else {
        lp.splice(p..p + old, enc.iter().copied());
        set_total(lp);
    }
}

/// Checks that `lp` is a well-formed listpack (for bytes from outside, such as an
/// RDB file): header total and count, every element's encoding and backlen.
pub fn validate(lp: &[u8]) -> bool {
    if lp.len() < HEADER + 1 || lp.last() != Some(&EOF) {
        return false;
    }
    if u32::from_le_bytes([lp[0], lp[1], lp[2], lp[3]]) as usize != lp.len() {
        return false;
    }
    let mut p = HEADER;
    let mut count = 0usize;
    while lp[p] != EOF {
        let b = lp[p];
        if (0xF5..=0xFE).contains(&b) {
            return false;
        }
        let head = match b {
            0xC0..=0xEF => 2,
            0xF0 => 5,
            _ => 1,
        };
        if p + head >= lp.len() {
            return false;
        }
        let l = encoded_size(lp, p);
        let end = p + l + backlen_size(l);
        if end >= lp.len() {
            return false;
        }
        if prev(lp, end) != Some(p) {
            return false;
        }
        p = end;
        count += 1;
    }
    if p != lp.len() - 1 {
        return false;
    }
    let n = u16::from_le_bytes([lp[4], lp[5]]);
    n == NUMELE_UNKNOWN || n as usize == count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elems(lp: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut p = first(lp);
        while let Some(at) = p {
            out.push(get(lp, at).to_vec());
            p = next(lp, at);
        }
        out
    }

    /// The listpack of `HSET h a 1 b hello` as Redis 7.0 DUMPs it (the payload
    /// after the RDB type byte and its length).
    #[test]
    fn matches_redis_bytes_for_a_small_hash() {
        let mut lp = new();
        for s in [&b"a"[..], b"1", b"b", b"hello"] {
            append_str(&mut lp, s);
        }
        let want: &[u8] = &[
            0x16, 0, 0, 0, 4, 0, 0x81, b'a', 2, 0x01, 1, 0x81, b'b', 2, 0x85, b'h', b'e', b'l',
            b'l', b'o', 6, 0xFF,
        ];
        assert_eq!(lp, want);
        assert!(validate(&lp));
    }

    #[test]
    fn integer_encodings_round_trip_with_their_sizes() {
        let cases: &[(i64, usize)] = &[
            (0, 1),
            (127, 1),
            (128, 2),
            (-1, 2),
            (-4096, 2),
            (4095, 2),
            (4096, 3),
            (-4097, 3),
            (32767, 3),
            (32768, 4),
            (-8388608, 4),
            (8388607, 4),
            (8388608, 5),
            (i32::MIN as i64, 5),
            (i32::MAX as i64 + 1, 9),
            (i64::MIN, 9),
            (i64::MAX, 9),
        ];
        for &(v, enc) in cases {
            let mut lp = new();
            append_int(&mut lp, v);
            assert_eq!(lp.len(), HEADER + enc + 1 + 1, "value {v}");
            assert_eq!(get(&lp, HEADER), Ele::Int(v));
            assert_eq!(int_size(v), enc + 1);
            assert!(validate(&lp));
        }
        // 13-bit negative values as Redis stores them.
        let mut lp = new();
        append_int(&mut lp, -1);
        assert_eq!(&lp[HEADER..HEADER + 3], &[0xDF, 0xFF, 2]);
    }

    #[test]
    fn strings_of_every_length_class_and_backlens() {
        for n in [0usize, 1, 63, 64, 126, 127, 128, 4095, 4096, 20000] {
            let s = vec![b'x'; n];
            let mut lp = new();
            append_str(&mut lp, b"head");
            append_str(&mut lp, &s);
            append_str(&mut lp, b"tail");
            assert!(validate(&lp), "len {n}");
            assert_eq!(
                elems(&lp),
                vec![b"head".to_vec(), s.clone(), b"tail".to_vec()]
            );
            // Backward from the end reaches every element.
            let l = last(&lp).unwrap();
            let m = prev(&lp, l).unwrap();
            assert_eq!(get(&lp, m).to_vec(), s);
            assert_eq!(prev(&lp, prev(&lp, m).unwrap()), None);
        }
        // A 128-byte string: 2-byte header, 130 bytes -> 2-byte backlen.
        let mut lp = new();
        append_str(&mut lp, &[b'y'; 128]);
        assert_eq!(&lp[HEADER..HEADER + 2], &[0xE0, 128]);
        assert_eq!(&lp[lp.len() - 3..lp.len() - 1], &[1, 130]);
    }

    #[test]
    fn integer_strings_are_stored_as_integers() {
        let mut lp = new();
        append_str(&mut lp, b"12345");
        append_str(&mut lp, b"012");
        append_str(&mut lp, b"-0");
        assert_eq!(get(&lp, HEADER), Ele::Int(12345));
        let p = next(&lp, HEADER).unwrap();
        assert_eq!(get(&lp, p), Ele::Str(b"012"));
        assert!(get(&lp, HEADER).eq_bytes(b"12345"));
        assert!(!get(&lp, HEADER).eq_bytes(b"012345"));
    }

    #[test]
    fn replace_keeps_the_header_right() {
        let mut lp = new();
        append_int(&mut lp, 1);
        append_int(&mut lp, 2);
        replace_int(&mut lp, HEADER, 100_000);
        assert!(validate(&lp));
        assert_eq!(elems(&lp), vec![b"100000".to_vec(), b"2".to_vec()]);
        replace_int(&mut lp, HEADER, 5);
        assert!(validate(&lp));
        assert_eq!(lp.len(), 7 + 4);
    }

    #[test]
    fn count_saturates_at_unknown() {
        let mut lp = new();
        for i in 0..70000 {
            append_int(&mut lp, i % 100);
        }
        assert_eq!(u16::from_le_bytes([lp[4], lp[5]]), u16::MAX);
        assert_eq!(len(&lp), 70000);
        assert!(validate(&lp));
    }

    /// Random corruption never makes validation (or, when it passes, iteration)
    /// panic.
    #[test]
    fn corrupted_listpacks_are_handled() {
        let mut base = new();
        for i in 0..40i64 {
            append_int(&mut base, i * 997 - 5000);
            append_str(&mut base, &vec![b'x'; (i * 7 % 150) as usize]);
        }
        let mut rnd = crate::util::xorshift(0x1234_5678_9abc_def0u64);
        for _ in 0..20_000 {
            let mut lp = base.clone();
            for _ in 0..1 + rnd() % 3 {
                let i = (rnd() as usize) % lp.len();
                lp[i] = rnd() as u8;
            }
            if rnd().is_multiple_of(8) {
                lp.truncate((rnd() as usize) % lp.len());
            }
            if validate(&lp) {
                let mut p = first(&lp);
                while let Some(at) = p {
                    let _ = get(&lp, at);
                    p = next(&lp, at);
                }
                let mut p = last(&lp);
                while let Some(at) = p {
                    p = prev(&lp, at);
                }
            }
        }
    }

    #[test]
    fn validate_rejects_garbage() {
        assert!(!validate(&[]));
        assert!(!validate(&[7, 0, 0, 0, 0, 0, 0]));
        assert!(!validate(&[8, 0, 0, 0, 1, 0, 0xF7, 0xFF]));
        assert!(!validate(&[9, 0, 0, 0, 1, 0, 5, 2, 0xFF]));
        assert!(validate(&[9, 0, 0, 0, 1, 0, 5, 1, 0xFF]));
    }
}
