//! Self-tests of the harness's RESP parser against a canned fake server
//! (no real server involved), covering reply types the command tests may
//! not produce yet.

use std::io::Write;
use std::net::TcpListener;

use crate::support::*;

/// Serves `bytes` to the first client, then closes the connection.
fn fake_server(bytes: &'static [u8]) -> Conn {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut s, _) = l.accept().unwrap();
        // Dribble the bytes in small pieces to exercise partial reads.
        for chunk in bytes.chunks(3) {
            s.write_all(chunk).unwrap();
            s.flush().unwrap();
        }
    });
    Conn::connect(addr, "fake").unwrap()
}

#[test]
fn parses_resp2_types() {
    let mut c = fake_server(
        b"+OK\r\n-ERR bad thing\r\n:-42\r\n$5\r\nhe\r\no\r\n$0\r\n\r\n$-1\r\n*-1\r\n*0\r\n*3\r\n:1\r\n*1\r\n$1\r\nx\r\n$-1\r\n",
    );
    assert_eq!(c.read_reply(), ok());
    assert_eq!(c.read_reply(), err("ERR bad thing"));
    assert_eq!(c.read_reply(), int(-42));
    assert_eq!(c.read_reply(), bulk("he\r\no"));
    assert_eq!(c.read_reply(), bulk(""));
    assert_eq!(c.read_reply(), nil());
    assert_eq!(c.read_reply(), nil_arr());
    assert_ne!(nil(), nil_arr());
    assert_eq!(c.read_reply(), arr(vec![]));
    assert_eq!(c.read_reply(), arr(vec![int(1), bulks(&["x"]), nil()]));
    c.assert_closed();
}

#[test]
fn parses_resp3_types() {
    let mut c = fake_server(
        b"_\r\n,3.14\r\n,inf\r\n#t\r\n#f\r\n(12345678901234567890\r\n=7\r\ntxt:a\nb\r\n%2\r\n$1\r\nk\r\n:1\r\n+s\r\n_\r\n~2\r\n:1\r\n:2\r\n>2\r\n$7\r\nmessage\r\n$2\r\nhi\r\n|1\r\n+ttl\r\n:3\r\n$1\r\nv\r\n!9\r\nERR oops!\r\n",
    );
    assert_eq!(c.read_reply(), null());
    assert_eq!(c.read_reply(), dbl("3.14"));
    assert_eq!(c.read_reply(), dbl("inf"));
    assert_eq!(c.read_reply(), Reply::Bool(true));
    assert_eq!(c.read_reply(), Reply::Bool(false));
    assert_eq!(c.read_reply(), Reply::BigNum("12345678901234567890".into()));
    assert_eq!(c.read_reply(), Reply::Verbatim("txt".into(), "a\nb".into()));
    let m = c.read_reply();
    assert_eq!(m, map(vec![(bulk("k"), int(1)), (status("s"), null())]));
    assert_eq!(m.get("k"), Some(int(1)));
    assert_eq!(c.read_reply(), set(vec![int(1), int(2)]));
    assert_eq!(
        c.read_reply(),
        Reply::Push(vec![bulk("message"), bulk("hi")])
    );
    assert_eq!(
        c.read_reply(),
        Reply::Attr(vec![(status("ttl"), int(3))], Box::new(bulk("v")))
    );
    assert_eq!(c.read_reply(), err("ERR oops!"));
    c.assert_closed();
}

#[test]
fn reports_malformed_and_closed() {
    let mut c = fake_server(b"+OK\n");
    assert!(matches!(c.try_read_reply(), Err(ReadError::Protocol(_))));
    let mut c = fake_server(b"$5\r\nab");
    assert!(matches!(c.try_read_reply(), Err(ReadError::Protocol(_))));
    let mut c = fake_server(b"");
    assert!(matches!(c.try_read_reply(), Err(ReadError::Closed)));
}

#[test]
fn unordered_comparison() {
    let a = bulks(&["b", "a", "c"]);
    assert_unordered(&a, &bulks(&["a", "b", "c"]));
    assert_ne!(a.sorted(), bulks(&["a", "b"]).sorted());
    assert_eq!(
        fmt_cmd(&["SET", "a b", "x"]),
        "SET \"a b\" x",
        "commands are shown readably in failure messages"
    );
    assert_eq!(encode_cmd(&["GET", "k"]), b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
}
