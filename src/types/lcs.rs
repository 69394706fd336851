//! Longest common subsequence for the LCS command (Redis 7.0 semantics):
//! the LCS string, its length, and the matching ranges in the order Redis's
//! IDX option reports them (from the end of the strings backwards), with
//! MINMATCHLEN filtering.
//!
//! Like Redis, this fills a `(a.len()+1) * (b.len()+1)` table of `u32`; the
//! caller passes the byte budget for that table (Redis uses
//! proto-max-bulk-len, 512MB by default) and gets an error above it.

/// One matching range: inclusive byte ranges in `a` and `b`, and the length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LcsMatch {
    /// Inclusive `(start, end)` byte offsets in the first string.
    pub a: (usize, usize),
    /// Inclusive `(start, end)` byte offsets in the second string.
    pub b: (usize, usize),
    /// Length of the match (what WITHMATCHLEN reports).
    pub len: usize,
}

/// Result of [`lcs`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LcsResult {
    /// The common subsequence itself (what plain `LCS a b` returns).
    pub string: Vec<u8>,
    /// Its length (`LEN`, and the `len` field of `IDX`).
    pub len: usize,
    /// Ranges for `IDX`, already filtered by MINMATCHLEN, in Redis's order.
    pub matches: Vec<LcsMatch>,
}

/// Why [`lcs`] refused to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LcsError {
    /// The table would exceed the byte budget.
    TooLarge,
    /// The table could not be allocated.
    AllocFailed,
}

impl LcsError {
    /// The Redis error reply text for this error (without the leading '-').
    pub fn message(self) -> &'static str {
        match self {
            LcsError::TooLarge => {
                "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"
            }
            LcsError::AllocFailed => {
                "ERR Insufficient memory, failed allocating transient memory for LCS"
            }
        }
    }
}

/// Bytes of the table Redis would allocate for these lengths (saturating).
pub fn table_bytes(alen: usize, blen: usize) -> u64 {
    let cells = (alen as u128 + 1).checked_mul(blen as u128 + 1);
    cells
        .and_then(|c| c.checked_mul(4))
        .and_then(|b| u64::try_from(b).ok())
        .unwrap_or(u64::MAX)
}

/// Computes the LCS of `a` and `b`. `min_match_len` filters the reported
/// ranges (values <= 1 keep all, as Redis treats negatives as 0);
/// `max_table_bytes` is the budget for the `(alen+1)*(blen+1)*4`-byte table
/// (Redis: proto-max-bulk-len; the check is `table > budget`).
pub fn lcs(
    a: &[u8],
    b: &[u8],
    min_match_len: i64,
    max_table_bytes: u64,
) -> Result<LcsResult, LcsError> {
    let alen = a.len();
    let blen = b.len();
    if table_bytes(alen, blen) > max_table_bytes {
        return Err(LcsError::TooLarge);
    }
    let width = blen + 1;
    let cells = (alen + 1).checked_mul(width).ok_or(LcsError::AllocFailed)?;
    let mut table: Vec<u32> = Vec::new();
    table
        .try_reserve_exact(cells)
        .map_err(|_| LcsError::AllocFailed)?;
    table.resize(cells, 0);

    // table[i * width + j] = LCS length of a[..i] and b[..j].
    let cell = |t: &Vec<u32>, i: usize, j: usize| t.get(i * width + j).copied().unwrap_or(0);
    for (i, &ac) in a.iter().enumerate() {
        for (j, &bc) in b.iter().enumerate() {
            let v = if ac == bc {
                cell(&table, i, j).saturating_add(1)
            } else {
                cell(&table, i, j + 1).max(cell(&table, i + 1, j))
            };
            if let Some(slot) = table.get_mut((i + 1) * width + j + 1) {
                *slot = v;
            }
        }
    }

    let total = cell(&table, alen, blen) as usize;
    let mut string = vec![0u8; total];
    let mut matches = Vec::new();
    let min_len = usize::try_from(min_match_len.max(0)).unwrap_or(usize::MAX);

    // Walk back from the end; a range is open while `cur` is Some.
    let mut cur: Option<LcsMatch> = None;
    let mut idx = total;
    let (mut i, mut j) = (alen, blen);
    while i > 0 && j > 0 {
        let ac = a.get(i - 1).copied().unwrap_or(0);
        let bc = b.get(j - 1).copied().unwrap_or(0);
        let mut emit = false;
        if ac == bc {
            idx = idx.saturating_sub(1);
            if let Some(slot) = string.get_mut(idx) {
                *slot = ac;
            }
            match cur.as_mut() {
                None => {
                    cur = Some(LcsMatch {
                        a: (i - 1, i - 1),
                        b: (j - 1, j - 1),
                        len: 1,
                    })
                }
                Some(m) => {
                    // Consecutive matches walk the diagonal, so extend.
                    m.a.0 -= 1;
                    m.b.0 -= 1;
                    m.len += 1;
                }
            }
            if cur.is_some_and(|m| m.a.0 == 0 || m.b.0 == 0) {
                emit = true;
            }
            i -= 1;
            j -= 1;
        } else {
            if cell(&table, i - 1, j) > cell(&table, i, j - 1) {
                i -= 1;
            } else {
                j -= 1;
            }
            emit = cur.is_some();
        }
        if emit {
            if let Some(m) = cur.take() {
                if min_len == 0 || m.len >= min_len {
                    matches.push(m);
                }
            }
        }
    }
    Ok(LcsResult {
        string,
        len: total,
        matches,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BIG: u64 = 512 * 1024 * 1024;

    fn m(a: (usize, usize), b: (usize, usize)) -> LcsMatch {
        LcsMatch {
            a,
            b,
            len: a.1 - a.0 + 1,
        }
    }

    #[test]
    fn redis_doc_example() {
        let r = lcs(b"ohmytext", b"mynewtext", 0, BIG);
        let r = r.unwrap_or_else(|_| LcsResult {
            string: Vec::new(),
            len: 0,
            matches: Vec::new(),
        });
        assert_eq!(r.string, b"mytext");
        assert_eq!(r.len, 6);
        assert_eq!(r.matches, vec![m((4, 7), (5, 8)), m((2, 3), (0, 1))]);
        let f = lcs(b"ohmytext", b"mynewtext", 4, BIG).map(|r| r.matches);
        assert_eq!(f, Ok(vec![m((4, 7), (5, 8))]));
        let neg = lcs(b"ohmytext", b"mynewtext", -3, BIG).map(|r| r.matches.len());
        assert_eq!(neg, Ok(2));
    }

    #[test]
    fn empty_and_disjoint() {
        let e = lcs(b"", b"abc", 0, BIG).map(|r| (r.string, r.len, r.matches.len()));
        assert_eq!(e, Ok((Vec::new(), 0, 0)));
        let d = lcs(b"abc", b"xyz", 0, BIG).map(|r| (r.string, r.len, r.matches.len()));
        assert_eq!(d, Ok((Vec::new(), 0, 0)));
    }

    #[test]
    fn tie_breaking_follows_redis() {
        // Verified against Redis 7.0: on ties the walk moves back in b.
        let r = lcs(b"ab", b"ba", 0, BIG).map(|r| (r.string, r.matches));
        assert_eq!(r, Ok((b"b".to_vec(), vec![m((1, 1), (0, 0))])));
        let r = lcs(b"abcab", b"bacba", 0, BIG).map(|r| r.string);
        assert_eq!(r, Ok(b"bab".to_vec()));
    }

    #[test]
    fn memory_budget() {
        assert_eq!(table_bytes(511, 511), 1_048_576);
        let a = vec![b'x'; 511];
        let b = vec![b'y'; 512];
        assert!(lcs(&a, &a, 0, 1_048_576).is_ok());
        assert_eq!(lcs(&a, &b, 0, 1_048_576), Err(LcsError::TooLarge));
        assert_eq!(table_bytes(usize::MAX, usize::MAX), u64::MAX);
        assert!(LcsError::TooLarge.message().contains("proto-max-bulk-len"));
    }
}
