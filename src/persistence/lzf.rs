//! LZF, the compression of long strings in RDB files (liblzf's format, which
//! Redis uses).
//!
//! A compressed stream is a sequence of items, each starting with a control byte:
//! - `000LLLLL`: a literal run of L+1 bytes (1 to 32), which follow;
//! - `LLLOOOOO` with LLL > 0: a back reference, copying LLL+2 bytes (LLL = 7: plus
//!   the next byte) from `O:next byte` + 1 bytes back in the output.
//!
//! The compressor keeps its hash table between calls: it only ever holds guesses
//! that are checked against the input, so no per-call clearing is needed (a
//! fresh 64 KB table per string would cost more than compressing short values).

const HASH_BITS: u32 = 14;
const MAX_LITERAL: usize = 32;
const MAX_OFFSET: usize = 1 << 13;
const MAX_MATCH: usize = 264;

/// Reusable compressor state.
pub struct Compressor {
    table: Box<[u32]>,
}

impl Default for Compressor {
    fn default() -> Self {
        Compressor {
            table: vec![0; 1 << HASH_BITS].into_boxed_slice(),
        }
    }
}

fn hash(b: &[u8]) -> usize {
    let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
    (v.wrapping_mul(2_654_435_761) >> (32 - HASH_BITS)) as usize
}

impl Compressor {
    /// Appends the compressed form of `input` to `out`; false (and `out` as it
    /// was) when it would take more than `limit` bytes.
    pub fn compress(&mut self, input: &[u8], out: &mut Vec<u8>, limit: usize) -> bool {
        let start = out.len();
        let end = start + limit;
        let mut lit = 0usize; // bytes in the open literal run
        let mut ip = 0usize;
        out.push(0); // control byte of the first literal run
        while ip + 2 < input.len() {
            let h = hash(&input[ip..]);
            let r = self.table[h] as usize;
            self.table[h] = ip as u32;
            let found = r < ip && ip - r <= MAX_OFFSET && input[r..r + 3] == input[ip..ip + 3];
            if !found {
                lit += 1;
                out.push(input[ip]);
                ip += 1;
                if lit == MAX_LITERAL {
                    let at = out.len() - lit - 1;
                    out[at] = (lit - 1) as u8;
                    lit = 0;
                    out.push(0);
                }
                if out.len() > end {
                    out.truncate(start);
                    return false;
                }
                continue;
            }
            let max = (input.len() - ip).min(MAX_MATCH);
            let mut len = 3;
            while len < max && input[r + len] == input[ip + len] {
                len += 1;
            }
            // Close the literal run (or drop its unused control byte).
            if lit > 0 {
                let at = out.len() - lit - 1;
                out[at] = (lit - 1) as u8;
            } else {
                out.pop();
            }
            lit = 0;
            let off = ip - r - 1;
            let code = len - 2;
            if code < 7 {
                out.push(((code as u8) << 5) | (off >> 8) as u8);
            } else {
                out.push((7 << 5) | (off >> 8) as u8);
                out.push((code - 7) as u8);
            }
            out.push(off as u8);
            ip += len;
            out.push(0);
            if out.len() > end {
                out.truncate(start);
                return false;
            }
        }
        for &b in &input[ip..] {
            lit += 1;
            out.push(b);
            if lit == MAX_LITERAL {
                let at = out.len() - lit - 1;
                out[at] = (lit - 1) as u8;
                lit = 0;
                out.push(0);
            }
        }
        if lit > 0 {
            let at = out.len() - lit - 1;
            out[at] = (lit - 1) as u8;
        } else {
            out.pop();
        }
        if out.len() > end {
            out.truncate(start);
            return false;
        }
        true
    }
}

/// Decompresses `input`, which must expand to exactly `len` bytes.
pub fn decompress(input: &[u8], len: usize) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(len);
    let mut ip = 0;
    while ip < input.len() {
        let ctrl = input[ip] as usize;
        ip += 1;
        if ctrl < 32 {
            let run = input.get(ip..ip + ctrl + 1)?;
            if out.len() + run.len() > len {
                return None;
            }
            out.extend_from_slice(run);
            ip += ctrl + 1;
            continue;
        }
        let mut n = ctrl >> 5;
        if n == 7 {
            n += *input.get(ip)? as usize;
            ip += 1;
        }
        n += 2;
        let back = (((ctrl & 0x1f) << 8) | *input.get(ip)? as usize) + 1;
        ip += 1;
        if back > out.len() || out.len() + n > len {
            return None;
        }
        let from = out.len() - back;
        // Byte by byte: the source may overlap what is being written (runs).
        for i in 0..n {
            let b = out[from + i];
            out.push(b);
        }
    }
    (out.len() == len).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let mut c = Compressor::default();
        let mut rng = crate::util::Rng::new();
        let samples: Vec<Vec<u8>> = vec![
            vec![b'a'; 1000],
            b"abcabcabcabcabcabcabcabc hello hello hello world".to_vec(),
            (0..5000u32).map(|i| (i % 251) as u8).collect(),
            (0..3000).map(|_| (rng.next_u64() % 4) as u8).collect(),
            (0..3000).map(|_| rng.next_u64() as u8).collect(),
            b"xy".to_vec(),
        ];
        for s in samples {
            let mut out = Vec::new();
            if c.compress(&s, &mut out, s.len() + 64) {
                assert_eq!(decompress(&out, s.len()).as_deref(), Some(s.as_slice()));
            }
        }
    }

    #[test]
    fn limit_is_respected() {
        let mut c = Compressor::default();
        let random: Vec<u8> = (0..200u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        let mut out = vec![9];
        assert!(!c.compress(&random, &mut out, random.len() - 4));
        assert_eq!(out, [9]);
    }

    #[test]
    fn the_format_decodes_and_bad_input_is_refused() {
        // One literal 'a', then 19 bytes copied from 1 back (length code 7 + 10).
        assert_eq!(
            decompress(b"\x00a\xe0\x0a\x00", 20).as_deref(),
            Some(&[b'a'; 20][..])
        );
        // A reference before the start, a run past the input, a wrong total length.
        assert!(decompress(b"\x00a\xe0\x0a\x05", 20).is_none());
        assert!(decompress(b"\x05ab", 6).is_none());
        assert!(decompress(b"\x00a\xe0\x0a\x00", 21).is_none());
    }
}
