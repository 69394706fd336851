//! Glob-style pattern matching with the exact semantics of Redis 7.0's
//! `stringmatchlen` (used by KEYS, SCAN MATCH, PSUBSCRIBE, CONFIG GET, ...).
//!
//! Supported syntax: `*`, `?`, `[abc]`, `[^abc]`, `[a-z]` (reversed ranges are
//! accepted), and `\x` escapes. Quirks reproduced on purpose:
//! * an unterminated `[` class extends to the end of the pattern (a lone
//!   trailing `[` never matches, `[^` matches any single byte);
//! * in `[a-]` the `]` is taken as the end of the range `a-]`;
//! * range bounds are compared as *signed* bytes (C `char` on x86), so bytes
//!   >= 0x80 sort before ASCII;
//! * `*` needs at least one byte of input to reach the end of the pattern,
//!   so `*` and `**` do not match the empty string (KEYS and SCAN MATCH in
//!   Redis test for the exact pattern `*` first and then match everything,
//!   including the empty key; callers must do the same);
//! * `nocase` only folds ASCII `A`-`Z`, and escaped characters inside a class
//!   are always compared case-sensitively;
//! * exponential backtracking is avoided the way Redis does it: once the
//!   sub-pattern after a `*` failed against every suffix of the string, no
//!   longer match of an earlier `*` is tried, and more than 1000 nested `*`
//!   groups make the match fail.

/// Maximum nesting of `*` recursion before giving up (as Redis does).
const MAX_NESTING: u32 = 1000;

/// Returns true if `string` matches the glob `pattern`.
pub fn string_match(pattern: &[u8], string: &[u8], nocase: bool) -> bool {
    let mut skip_longer = false;
    match_impl(pattern, string, nocase, &mut skip_longer, 0)
}

/// Byte at `i`, or 0 past the end (Redis patterns are NUL-terminated strings
/// and the C code relies on reading that terminator).
#[inline]
fn at(s: &[u8], i: usize) -> u8 {
    s.get(i).copied().unwrap_or(0)
}

#[inline]
fn lower(c: u8) -> u8 {
    c.to_ascii_lowercase()
}

fn match_impl(pat: &[u8], s: &[u8], nocase: bool, skip_longer: &mut bool, nesting: u32) -> bool {
    if nesting > MAX_NESTING {
        return false;
    }
    // `p` and `si` are the current positions; the remaining lengths are
    // `pat.len() - p` and `s.len() - si`.
    let mut p = 0usize;
    let mut si = 0usize;
    while p < pat.len() && si < s.len() {
        let sc = at(s, si);
        match at(pat, p) {
            b'*' => {
                while p < pat.len() && at(pat, p + 1) == b'*' {
                    p += 1;
                }
                if pat.len() - p == 1 {
                    return true;
                }
                let rest = pat.get(p + 1..).unwrap_or(&[]);
                while si < s.len() {
                    let tail = s.get(si..).unwrap_or(&[]);
                    if match_impl(rest, tail, nocase, skip_longer, nesting + 1) {
                        return true;
                    }
                    if *skip_longer {
                        return false;
                    }
                    si += 1;
                }
                *skip_longer = true;
                return false;
            }
            b'?' => {
                si += 1;
            }
            b'[' => {
                p += 1;
                let negate = at(pat, p) == b'^';
                if negate {
                    p += 1;
                }
                let mut matched = false;
                loop {
                    let remaining = pat.len().saturating_sub(p);
                    let c = at(pat, p);
                    if c == b'\\' && remaining >= 2 {
                        p += 1;
                        if at(pat, p) == sc {
                            matched = true;
                        }
                    } else if c == b']' && remaining > 0 {
                        break;
                    } else if remaining == 0 {
                        // Unterminated class: step back so the common
                        // advance below lands exactly at the end.
                        p -= 1;
                        break;
                    } else if remaining >= 3 && at(pat, p + 1) == b'-' {
                        // Bounds compare as signed chars, like C on x86.
                        let mut start = at(pat, p) as i8 as i32;
                        let mut end = at(pat, p + 2) as i8 as i32;
                        let mut ch = sc as i8 as i32;
                        if start > end {
                            std::mem::swap(&mut start, &mut end);
                        }
                        if nocase {
                            start = fold_signed(start);
                            end = fold_signed(end);
                            ch = fold_signed(ch);
                        }
                        p += 2;
                        if ch >= start && ch <= end {
                            matched = true;
                        }
                    } else if nocase {
                        if lower(c) == lower(sc) {
                            matched = true;
                        }
                    } else if c == sc {
                        matched = true;
                    }
                    p += 1;
                }
                if negate {
                    matched = !matched;
                }
                if !matched {
                    return false;
                }
                si += 1;
            }
            c => {
                let mut pc = c;
                if c == b'\\' && pat.len() - p >= 2 {
                    p += 1;
                    pc = at(pat, p);
                }
                let eq = if nocase {
                    lower(pc) == lower(sc)
                } else {
                    pc == sc
                };
                if !eq {
                    return false;
                }
                si += 1;
            }
        }
        p += 1;
        if si >= s.len() {
            while p < pat.len() && at(pat, p) == b'*' {
                p += 1;
            }
            break;
        }
    }
    p >= pat.len() && si >= s.len()
}

/// ASCII lowercase on a signed-char value (non-ASCII values are unchanged,
/// like glibc `tolower` in the C locale).
#[inline]
fn fold_signed(v: i32) -> i32 {
    if (i32::from(b'A')..=i32::from(b'Z')).contains(&v) {
        v + 32
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::string_match;

    fn m(p: &str, s: &str) -> bool {
        string_match(p.as_bytes(), s.as_bytes(), false)
    }

    fn mi(p: &str, s: &str) -> bool {
        string_match(p.as_bytes(), s.as_bytes(), true)
    }

    #[test]
    fn literals_and_wildcards() {
        assert!(m("", ""));
        assert!(!m("", "a"));
        assert!(!m("a", ""));
        // As in Redis, `*` does not match the empty string (KEYS and SCAN
        // special-case the pattern "*" before calling the matcher).
        assert!(!m("*", ""));
        assert!(!m("**", ""));
        assert!(m("*", "anything"));
        assert!(m("h?llo", "hello"));
        assert!(m("h?llo", "hallo"));
        assert!(!m("h?llo", "hllo"));
        assert!(m("h*llo", "hllo"));
        assert!(m("h*llo", "heeeello"));
        assert!(m("a*b*c", "axxbyyc"));
        assert!(!m("a*b*c", "axxbyy"));
        assert!(m("abc*", "abc"));
        assert!(m("abc**", "abc"));
        assert!(!m("abc?", "abc"));
        assert!(!m("abc", "abcd"));
        assert!(!m("?", ""));
    }

    #[test]
    fn classes() {
        assert!(m("h[ae]llo", "hello"));
        assert!(m("h[ae]llo", "hallo"));
        assert!(!m("h[ae]llo", "hillo"));
        assert!(m("h[^e]llo", "hallo"));
        assert!(!m("h[^e]llo", "hello"));
        assert!(m("h[a-b]llo", "hbllo"));
        assert!(m("h[b-a]llo", "hbllo"));
        assert!(!m("h[a-b]llo", "hcllo"));
        // `[a-]` is the range between `]` and `a` (reversed), unterminated.
        assert!(m("[a-]", "]"));
        assert!(m("[a-]", "_"));
        assert!(m("[a-]", "a"));
        assert!(!m("[a-]", "b"));
        assert!(!m("[a-]", "-"));
        assert!(!m("[]", "]"));
        assert!(!m("[]", "a"));
        assert!(m("[\\]]", "]"));
        assert!(m("[\\-]", "-"));
        assert!(m("[a\\-z]", "-"));
        assert!(!m("[a\\-z]", "b"));
    }

    #[test]
    fn unterminated_class() {
        assert!(!m("[", "a"));
        assert!(!m("[", ""));
        assert!(m("[^", "a"));
        assert!(m("[ab", "a"));
        assert!(m("[ab", "b"));
        assert!(!m("[ab", "c"));
        assert!(!m("[ab", "ab"));
        assert!(m("[^ab", "c"));
        assert!(m("[a-c", "b"));
    }

    #[test]
    fn escapes() {
        assert!(m("\\*", "*"));
        assert!(!m("\\*", "a"));
        assert!(m("\\?", "?"));
        assert!(m("\\", "\\"));
        assert!(m("a\\", "a\\"));
        assert!(m("\\a", "a"));
        assert!(m("\\[", "["));
    }

    #[test]
    fn nocase() {
        assert!(mi("HELLO", "hello"));
        assert!(mi("h[A-Z]llo", "hello"));
        assert!(mi("h[E]llo", "hEllo"));
        assert!(mi("h[e]llo", "hEllo"));
        assert!(!mi("h[\\E]llo", "hello"));
        assert!(mi("\\H", "h"));
        assert!(!m("HELLO", "hello"));
    }

    #[test]
    fn high_bytes_are_signed_in_ranges() {
        // 0xff is -1 as a signed char, so the range is -1..='a'.
        assert!(string_match(b"[a-\xff]", b"0", false));
        assert!(string_match(b"[a-\xff]", b"\xff", false));
        assert!(!string_match(b"[a-\xff]", b"\xfe", false));
        assert!(!string_match(b"[a-\xff]", b"b", false));
        assert!(string_match(b"\x80*", b"\x80xyz", false));
    }

    #[test]
    fn no_exponential_backtracking() {
        let mut pat = Vec::new();
        for _ in 0..40 {
            pat.extend_from_slice(b"*a");
        }
        pat.extend_from_slice(b"*b");
        let s = vec![b'a'; 20000];
        let t = std::time::Instant::now();
        assert!(!string_match(&pat, &s, false));
        assert!(t.elapsed().as_secs() < 5);
    }

    #[test]
    fn nesting_limit() {
        let mut pat = Vec::new();
        for _ in 0..1000 {
            pat.extend_from_slice(b"a*");
        }
        pat.push(b'a');
        let s = vec![b'a'; 1001];
        assert!(string_match(&pat, &s, false));
        let mut pat2 = Vec::new();
        for _ in 0..1001 {
            pat2.extend_from_slice(b"a*");
        }
        pat2.push(b'a');
        let s2 = vec![b'a'; 1002];
        assert!(!string_match(&pat2, &s2, false));
    }
}
