//! The one reply encoder. Every reply a client receives is written here, into the
//! client's output buffer, in the protocol version the client negotiated (HELLO).
//! RESP3 types degrade to their RESP2 shapes: maps become flat arrays, sets become
//! arrays, doubles become bulk strings, booleans become integers, nulls become nil.

use crate::util::num;

#[derive(Debug, Default)]
pub struct ReplyBuf {
    pub buf: Vec<u8>,
    /// 2 or 3.
    pub resp: u8,
}

impl ReplyBuf {
    pub fn new() -> ReplyBuf {
        ReplyBuf {
            buf: Vec::with_capacity(1024),
            resp: 2,
        }
    }

    pub fn is_resp3(&self) -> bool {
        self.resp >= 3
    }

    pub fn len(&self) -> usize {
        self.buf.len()
    }

    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    fn header(&mut self, prefix: u8, n: i64) {
        self.buf.push(prefix);
        num::fmt_i64(n, &mut self.buf);
        self.buf.extend_from_slice(b"\r\n");
    }

    pub fn ok(&mut self) {
        self.buf.extend_from_slice(b"+OK\r\n");
    }

    /// A simple string (`+text`). `text` must not contain CR or LF.
    pub fn status(&mut self, text: &str) {
        self.buf.push(b'+');
        self.buf.extend_from_slice(text.as_bytes());
        self.buf.extend_from_slice(b"\r\n");
    }

    /// An error (`-text`). Newlines are replaced by spaces, as Redis does, so the
    /// reply stays one protocol line whatever the message quotes.
    pub fn error(&mut self, text: &str) {
        self.buf.push(b'-');
        self.buf.extend(
            text.bytes()
                .map(|b| if b == b'\r' || b == b'\n' { b' ' } else { b }),
        );
        self.buf.extend_from_slice(b"\r\n");
    }

    pub fn int(&mut self, n: i64) {
        self.header(b':', n);
    }

    pub fn bulk(&mut self, data: &[u8]) {
        self.header(b'$', data.len() as i64);
        self.buf.extend_from_slice(data);
        self.buf.extend_from_slice(b"\r\n");
    }

    /// A bulk string holding the decimal text of `n`.
    pub fn bulk_int(&mut self, n: i64) {
        let mut tmp = Vec::with_capacity(20);
        num::fmt_i64(n, &mut tmp);
        self.bulk(&tmp);
    }

    /// The null reply: `$-1` in RESP2, `_` in RESP3.
    pub fn null(&mut self) {
        if self.is_resp3() {
            self.buf.extend_from_slice(b"_\r\n");
        } else {
            self.buf.extend_from_slice(b"$-1\r\n");
        }
    }

    /// The null array: `*-1` in RESP2, `_` in RESP3.
    pub fn null_array(&mut self) {
        if self.is_resp3() {
            self.buf.extend_from_slice(b"_\r\n");
        } else {
            self.buf.extend_from_slice(b"*-1\r\n");
        }
    }

    pub fn array(&mut self, len: usize) {
        self.header(b'*', len as i64);
    }

    /// A map of `len` pairs (`%` in RESP3, a flat array of 2*len in RESP2).
    pub fn map(&mut self, len: usize) {
        if self.is_resp3() {
            self.header(b'%', len as i64);
        } else {
            self.header(b'*', 2 * len as i64);
        }
    }

    /// A set (`~` in RESP3, an array in RESP2).
    pub fn set(&mut self, len: usize) {
        if self.is_resp3() {
            self.header(b'~', len as i64);
        } else {
            self.header(b'*', len as i64);
        }
    }

    /// An out-of-band push message (`>` in RESP3, an array in RESP2).
    pub fn push(&mut self, len: usize) {
        if self.is_resp3() {
            self.header(b'>', len as i64);
        } else {
            self.header(b'*', len as i64);
        }
    }

    /// A double: `,` in RESP3, a bulk string in RESP2, formatted as Redis formats it.
    pub fn double(&mut self, v: f64) {
        let text = num::fmt_double(v);
        if self.is_resp3() {
            self.buf.push(b',');
            self.buf.extend_from_slice(text.as_bytes());
            self.buf.extend_from_slice(b"\r\n");
        } else {
            self.bulk(text.as_bytes());
        }
    }

    /// A boolean: `#t`/`#f` in RESP3, `:1`/`:0` in RESP2.
    pub fn boolean(&mut self, v: bool) {
        if self.is_resp3() {
            self.buf
                .extend_from_slice(if v { b"#t\r\n" } else { b"#f\r\n" });
        } else {
            self.int(v as i64);
        }
    }

    /// A verbatim string (`=len\r\nfmt:text` in RESP3, a bulk string in RESP2).
    /// `format` is the three-letter type, e.g. "txt".
    pub fn verbatim(&mut self, format: &str, text: &[u8]) {
        if self.is_resp3() {
            self.header(b'=', (text.len() + 4) as i64);
            self.buf.extend_from_slice(format.as_bytes());
            self.buf.push(b':');
            self.buf.extend_from_slice(text);
            self.buf.extend_from_slice(b"\r\n");
        } else {
            self.bulk(text);
        }
    }

    /// A big number (`(` in RESP3, a bulk string in RESP2).
    pub fn big_number(&mut self, digits: &str) {
        if self.is_resp3() {
            self.buf.push(b'(');
            self.buf.extend_from_slice(digits.as_bytes());
            self.buf.extend_from_slice(b"\r\n");
        } else {
            self.bulk(digits.as_bytes());
        }
    }

    /// An array of bulk strings.
    pub fn bulk_array<'a, I>(&mut self, items: I)
    where
        I: IntoIterator<Item = &'a [u8]>,
        I::IntoIter: ExactSizeIterator,
    {
        let it = items.into_iter();
        self.array(it.len());
        for item in it {
            self.bulk(item);
        }
    }

    /// Appends raw, already-encoded protocol bytes.
    pub fn raw(&mut self, bytes: &[u8]) {
        self.buf.extend_from_slice(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resp2_and_resp3_shapes() {
        let mut r = ReplyBuf::new();
        r.map(1);
        r.bulk(b"a");
        r.double(1.5);
        r.null();
        r.boolean(true);
        assert_eq!(r.buf, b"*2\r\n$1\r\na\r\n$3\r\n1.5\r\n$-1\r\n:1\r\n");
        let mut r = ReplyBuf::new();
        r.resp = 3;
        r.map(1);
        r.bulk(b"a");
        r.double(1.5);
        r.null();
        r.boolean(false);
        assert_eq!(r.buf, b"%1\r\n$1\r\na\r\n,1.5\r\n_\r\n#f\r\n");
    }

    #[test]
    fn errors_stay_on_one_line() {
        let mut r = ReplyBuf::new();
        r.error("ERR bad\r\nthing");
        assert_eq!(r.buf, b"-ERR bad  thing\r\n");
    }
}
