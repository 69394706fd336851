//! The incremental RESP request parser.
//!
//! A client's query buffer is parsed from a position that survives between reads:
//! the parser remembers how many arguments of the current multibulk are still to come
//! and the length of the bulk it is waiting for, so a command split across reads is
//! never parsed again from its start. Inline commands (`PING\r\n`, as typed in telnet)
//! are split with Redis's quoting rules.

use crate::util::num::parse_i64;

/// Longest inline command, multibulk count line or bulk length line (Redis's PROTO_INLINE_MAX_SIZE).
pub const INLINE_MAX: usize = 64 * 1024;
/// Bulk arguments at least this long are read straight into a buffer of their final size.
pub const BIG_ARG: usize = 32 * 1024;
/// Limits applied to clients that have not authenticated yet, as Redis does.
const UNAUTH_MAX_ARGS: i64 = 10;
const UNAUTH_MAX_BULK: i64 = 16384;

/// A protocol error: the client gets `-ERR Protocol error: <text>` and is disconnected.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError(pub String);

impl ParseError {
    fn new(text: &str) -> ParseError {
        ParseError(format!("ERR Protocol error: {text}"))
    }
}

/// Per-call limits the parser enforces before allocating.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bulk_len: u64,
    pub authenticated: bool,
}

#[derive(Debug, Default)]
pub struct Parser {
    /// Arguments of the command being parsed; complete when `parse` returns true.
    pub argv: Vec<Vec<u8>>,
    /// Arguments of the current multibulk still to read (0 = between commands).
    multibulk_left: usize,
    /// Length of the bulk being waited for, if its `$len` line was already read.
    bulk_len: Option<usize>,
}

impl Parser {
    pub fn new() -> Parser {
        Parser::default()
    }

    /// True when a multibulk command has been started but not finished.
    pub fn in_progress(&self) -> bool {
        self.multibulk_left > 0
    }

    /// If the parser is waiting for a big bulk, the number of bytes it still needs,
    /// so the reader can reserve room for the whole argument at once.
    pub fn big_bulk_needed(&self, buffered: usize) -> Option<usize> {
        match self.bulk_len {
            Some(n) if n >= BIG_ARG => Some((n + 2).saturating_sub(buffered)),
            _ => None,
        }
    }

    /// Parses from `buf[*pos..]`. Returns Ok(true) when `self.argv` holds a complete
    /// command (possibly empty, which callers skip), Ok(false) when more bytes are needed.
    pub fn parse(
        &mut self,
        buf: &[u8],
        pos: &mut usize,
        limits: Limits,
    ) -> Result<bool, ParseError> {
        if self.multibulk_left == 0 {
            self.argv.clear();
            match buf.get(*pos) {
                None => return Ok(false),
                Some(b'*') => {}
                Some(_) => return self.parse_inline(buf, pos),
            }
            let Some(line) = line_at(buf, *pos + 1) else {
                if buf.len() - *pos > INLINE_MAX {
                    return Err(ParseError::new("too big mbulk count string"));
                }
                return Ok(false);
            };
            let count = parse_i64(&buf[*pos + 1..line]);
            let count = match count {
                Some(n) if n <= i32::MAX as i64 => n,
                _ => return Err(ParseError::new("invalid multibulk length")),
            };
            if count > UNAUTH_MAX_ARGS && !limits.authenticated {
                return Err(ParseError::new("unauthenticated multibulk length"));
            }
            *pos = line + 2;
            if count <= 0 {
                return Ok(true);
            }
            self.multibulk_left = count as usize;
            self.argv.reserve(self.multibulk_left.min(1024));
        }
        while self.multibulk_left > 0 {
            let len = match self.bulk_len {
                Some(len) => len,
                None => {
                    let Some(line) = line_at(buf, *pos) else {
                        if buf.len() - *pos > INLINE_MAX {
                            return Err(ParseError::new("too big bulk count string"));
                        }
                        return Ok(false);
                    };
                    if buf[*pos] != b'$' {
                        let got = buf[*pos] as char;
                        return Err(ParseError(format!(
                            "ERR Protocol error: expected '$', got '{got}'"
                        )));
                    }
                    let len = match parse_i64(&buf[*pos + 1..line]) {
                        Some(n) if n >= 0 && n as u64 <= limits.max_bulk_len => n,
                        _ => return Err(ParseError::new("invalid bulk length")),
                    };
                    if len > UNAUTH_MAX_BULK && !limits.authenticated {
                        return Err(ParseError::new("unauthenticated bulk length"));
                    }
                    let len = len as usize;
                    *pos = line + 2;
                    self.bulk_len = Some(len);
                    len
                }
            };
            if buf.len() - *pos < len + 2 {
                return Ok(false);
            }
            self.argv.push(buf[*pos..*pos + len].to_vec());
            *pos += len + 2;
            self.bulk_len = None;
            self.multibulk_left -= 1;
        }
        Ok(true)
    }

    fn parse_inline(&mut self, buf: &[u8], pos: &mut usize) -> Result<bool, ParseError> {
        let rest = &buf[*pos..];
        let Some(nl) = rest.iter().position(|&b| b == b'\n') else {
            if rest.len() > INLINE_MAX {
                return Err(ParseError::new("too big inline request"));
            }
            return Ok(false);
        };
        let mut line = &rest[..nl];
        if let Some(stripped) = line.strip_suffix(b"\r") {
            line = stripped;
        }
        let args =
            split_args(line).ok_or_else(|| ParseError::new("unbalanced quotes in request"))?;
        *pos += nl + 1;
        self.argv = args;
        Ok(true)
    }
}

/// Position of the `\r` ending the line that starts at `from`, if the whole `\r\n` is buffered.
fn line_at(buf: &[u8], from: usize) -> Option<usize> {
    let rest = buf.get(from..)?;
    let cr = rest.iter().position(|&b| b == b'\r')?;
    let cr = from + cr;
    if cr + 1 < buf.len() {
        Some(cr)
    } else {
        None
    }
}

/// C `isspace()` in the "C" locale.
pub fn is_c_space(b: u8) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    const AUTH: Limits = Limits {
        max_bulk_len: 512 * 1024 * 1024,
        authenticated: true,
    };

    fn parse_all(input: &[u8]) -> Result<Vec<Vec<Vec<u8>>>, ParseError> {
        let mut p = Parser::new();
        let mut pos = 0;
        let mut out = Vec::new();
        while p.parse(input, &mut pos, AUTH)? {
            if !p.argv.is_empty() {
                out.push(std::mem::take(&mut p.argv));
            }
        }
        Ok(out)
    }

    #[test]
    fn multibulk_and_inline() {
        let cmds = parse_all(b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\nset a \"b c\"\n").unwrap();
        assert_eq!(cmds.len(), 3);
        assert_eq!(cmds[0], vec![b"GET".to_vec(), b"k".to_vec()]);
        assert_eq!(cmds[1], vec![b"PING".to_vec()]);
        assert_eq!(
            cmds[2],
            vec![b"set".to_vec(), b"a".to_vec(), b"b c".to_vec()]
        );
    }

    #[test]
    fn every_split_gives_the_same_commands() {
        let input = b"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\nPING\r\n*1\r\n$4\r\nPING\r\n";
        let whole = parse_all(input).unwrap();
        for split in 0..input.len() {
            let mut p = Parser::new();
            let mut buf = Vec::new();
            let mut pos = 0;
            let mut got = Vec::new();
            for chunk in [&input[..split], &input[split..]] {
                buf.extend_from_slice(chunk);
                while p.parse(&buf, &mut pos, AUTH).unwrap() {
                    if !p.argv.is_empty() {
                        got.push(std::mem::take(&mut p.argv));
                    }
                }
            }
            assert_eq!(got, whole, "split at {split}");
        }
    }

    #[test]
    fn protocol_errors() {
        let e = |input: &[u8]| parse_all(input).unwrap_err().0;
        assert_eq!(e(b"*x\r\n"), "ERR Protocol error: invalid multibulk length");
        assert_eq!(
            e(b"*1\r\nx\r\n"),
            "ERR Protocol error: expected '$', got 'x'"
        );
        assert_eq!(
            e(b"*1\r\n$-5\r\n"),
            "ERR Protocol error: invalid bulk length"
        );
        assert_eq!(
            e(b"set a \"b\n"),
            "ERR Protocol error: unbalanced quotes in request"
        );
        let unauth = Limits {
            max_bulk_len: 100,
            authenticated: false,
        };
        let mut p = Parser::new();
        let mut pos = 0;
        assert!(p.parse(b"*11\r\n", &mut pos, unauth).is_err());
    }

    #[test]
    fn split_args_quoting() {
        let a = split_args(br#"set "a\x41\n" 'it\'s' plain"#).unwrap();
        assert_eq!(
            a,
            vec![
                b"set".to_vec(),
                b"aA\n".to_vec(),
                b"it's".to_vec(),
                b"plain".to_vec()
            ]
        );
        assert!(split_args(br#""a"b"#).is_none());
        assert!(split_args(br#"'abc"#).is_none());
        assert_eq!(split_args(b"  ").unwrap().len(), 0);
        assert_eq!(split_args(br#""""#).unwrap(), vec![Vec::<u8>::new()]);
    }

    /// Random pipelines of random commands, fed in random chunks, must parse to the
    /// same commands however the bytes are split.
    #[test]
    fn random_pipelines_random_splits() {
        let mut rng = crate::util::Rng::new();
        for _ in 0..300 {
            let mut input = Vec::new();
            let mut want = Vec::new();
            for _ in 0..rng.below(20) + 1 {
                let argc = rng.below(5) as usize + 1;
                let args: Vec<Vec<u8>> = (0..argc)
                    .map(|_| (0..rng.below(40)).map(|_| rng.next_u64() as u8).collect())
                    .collect();
                input.extend_from_slice(format!("*{argc}\r\n").as_bytes());
                for a in &args {
                    input.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
                    input.extend_from_slice(a);
                    input.extend_from_slice(b"\r\n");
                }
                want.push(args);
            }
            let mut p = Parser::new();
            let mut buf = Vec::new();
            let mut pos = 0;
            let mut got = Vec::new();
            let mut fed = 0;
            while fed < input.len() {
                let n = (rng.below(17) as usize + 1).min(input.len() - fed);
                buf.extend_from_slice(&input[fed..fed + n]);
                fed += n;
                while p.parse(&buf, &mut pos, AUTH).unwrap() {
                    got.push(std::mem::take(&mut p.argv));
                }
            }
            assert_eq!(got, want);
        }
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut rng = crate::util::Rng::new();
        for _ in 0..20000 {
            let len = rng.below(64) as usize;
            let alphabet = b"*$\r\n0123456789-abc\"' \\x";
            let input: Vec<u8> = (0..len)
                .map(|_| {
                    if rng.below(4) == 0 {
                        rng.next_u64() as u8
                    } else {
                        alphabet[rng.below(alphabet.len() as u64) as usize]
                    }
                })
                .collect();
            let _ = parse_all(&input);
        }
    }
}
