//! String commands: GET/SET family, counters, ranges, LCS, encodings.

use crate::support::*;

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_INT: &str = "ERR value is not an integer or out of range";
const NOT_FLOAT: &str = "ERR value is not a valid float";
const SYNTAX: &str = "ERR syntax error";

fn arity(cmd: &str) -> String {
    format!("ERR wrong number of arguments for '{cmd}' command")
}

#[test]
fn set_get_basic() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["GET", "k"], nil());
        c.ok(&["SET", "k", "v"]);
        assert_eq!(c.cmd(&["GET", "k"]), bulk("v"));
        c.ok(&["SET", "k", "v2"]);
        c.expect(&["GET", "k"], bulk("v2"));
        c.expect(&["INCR", "k"], err(NOT_INT));
        // Empty values and keys are fine.
        c.ok(&["SET", "", ""]);
        c.expect(&["GET", ""], bulk(""));
        c.expect(&["EXISTS", ""], int(1));
        // Command names are case-insensitive.
        c.ok(&["sEt", "k", "lower"]);
        c.expect(&["get", "k"], bulk("lower"));
    });
}

#[test]
fn binary_safe_values() {
    each_server(|s| {
        let mut c = s.connect();
        let key: &[u8] = b"bin\x00key\r\n";
        let val: &[u8] = b"\x00\x01\xff\r\n$-1\r\n*3\r\n";
        c.ok(&[b"SET" as &[u8], key, val]);
        c.expect(&[b"GET" as &[u8], key], bulk(val));
        c.expect(&[b"STRLEN" as &[u8], key], int(val.len() as i64));
        // A 1 MiB value round-trips intact.
        let big: Vec<u8> = (0..1024 * 1024).map(|i| (i % 251) as u8).collect();
        c.ok(&[b"SET" as &[u8], b"big", &big]);
        c.expect(&["GET", "big"], bulk(&big));
        c.expect(&["STRLEN", "big"], int(big.len() as i64));
    });
}

#[test]
fn set_nx_xx() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["SET", "k", "v", "XX"], nil());
        c.expect(&["EXISTS", "k"], int(0));
        c.ok(&["SET", "k", "v", "NX"]);
        c.expect(&["SET", "k", "v2", "NX"], nil());
        c.expect(&["GET", "k"], bulk("v"));
        c.ok(&["SET", "k", "v3", "XX"]);
        c.expect(&["GET", "k"], bulk("v3"));
        // Options are case-insensitive.
        c.ok(&["SET", "k", "v4", "xx"]);
        c.expect(&["set", "k", "v5", "nx"], nil());
        // NX / XX look at keys of any type.
        c.expect(&["RPUSH", "list", "a"], int(1));
        c.expect(&["SET", "list", "v", "NX"], nil());
        c.ok(&["SET", "list", "v", "XX"]);
        c.expect(&["TYPE", "list"], status("string"));
    });
}

#[test]
fn set_get_option() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["SET", "k", "v1", "GET"], nil());
        c.expect(&["GET", "k"], bulk("v1"));
        c.expect(&["SET", "k", "v2", "GET"], bulk("v1"));
        c.expect(&["GET", "k"], bulk("v2"));
        // GET with NX (allowed since 7.0): returns the old value, does not set.
        c.expect(&["SET", "k", "v3", "NX", "GET"], bulk("v2"));
        c.expect(&["GET", "k"], bulk("v2"));
        c.expect(&["SET", "new", "n1", "NX", "GET"], nil());
        c.expect(&["GET", "new"], bulk("n1"));
        // GET with XX
        c.expect(&["SET", "k", "v4", "XX", "GET"], bulk("v2"));
        c.expect(&["SET", "missing", "x", "XX", "GET"], nil());
        c.expect(&["EXISTS", "missing"], int(0));
        // GET with EX
        c.expect(&["SET", "k", "v5", "GET", "EX", "100"], bulk("v4"));
        let ttl = c.cmd(&["TTL", "k"]).int_val();
        assert!((1..=100).contains(&ttl), "ttl {ttl}");
        // GET against a wrong type errors and does not overwrite.
        c.expect(&["RPUSH", "list", "a"], int(1));
        c.expect(&["SET", "list", "v", "GET"], err(WRONGTYPE));
        c.expect(&["TYPE", "list"], status("list"));
    });
}

#[test]
fn set_expire_options() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "k", "v", "EX", "100"]);
        let ttl = c.cmd(&["TTL", "k"]).int_val();
        assert!((1..=100).contains(&ttl), "ttl {ttl}");
        c.ok(&["SET", "k", "v", "PX", "100000"]);
        let pttl = c.cmd(&["PTTL", "k"]).int_val();
        assert!((1..=100000).contains(&pttl), "pttl {pttl}");
        let at = unix_now() + 1000;
        c.ok(&["SET", "k", "v", "EXAT", &at.to_string()]);
        c.expect(&["EXPIRETIME", "k"], int(at as i64));
        let atms = unix_now_ms() + 1_000_000;
        c.ok(&["SET", "k", "v", "PXAT", &atms.to_string()]);
        c.expect(&["PEXPIRETIME", "k"], int(atms as i64));
        // Lower case options.
        c.ok(&["SET", "k", "v", "ex", "100"]);
        // Plain SET clears the TTL.
        c.ok(&["SET", "k", "v"]);
        c.expect(&["TTL", "k"], int(-1));
        // KEEPTTL retains it.
        c.ok(&["SET", "k", "v", "EX", "100"]);
        c.ok(&["SET", "k", "v2", "KEEPTTL"]);
        let ttl = c.cmd(&["TTL", "k"]).int_val();
        assert!((1..=100).contains(&ttl), "ttl {ttl}");
        c.expect(&["GET", "k"], bulk("v2"));
        c.ok(&["SET", "k", "v3", "KEEPTTL", "XX"]);
        assert!(c.cmd(&["TTL", "k"]).int_val() > 0);
        // KEEPTTL on a new key: no TTL.
        c.ok(&["SET", "fresh", "v", "KEEPTTL"]);
        c.expect(&["TTL", "fresh"], int(-1));
        // An absolute time in the past: the key is gone right away.
        c.ok(&["SET", "past", "v", "EXAT", "1"]);
        c.expect(&["GET", "past"], nil());
        c.expect(&["EXISTS", "past"], int(0));
        c.ok(&["SET", "past", "v", "PXAT", "1"]);
        c.expect(&["EXISTS", "past"], int(0));
    });
}

#[test]
fn set_errors() {
    each_server(|s| {
        let mut c = s.connect();
        let inv = "ERR invalid expire time in 'set' command";
        for bad in [
            vec!["SET", "k", "v", "EX"],
            vec!["SET", "k", "v", "PX"],
            vec!["SET", "k", "v", "EXAT"],
            vec!["SET", "k", "v", "PXAT"],
            vec!["SET", "k", "v", "NX", "XX"],
            vec!["SET", "k", "v", "XX", "NX"],
            vec!["SET", "k", "v", "EX", "10", "PX", "100"],
            vec!["SET", "k", "v", "PX", "10", "EXAT", "100"],
            vec!["SET", "k", "v", "EXAT", "10", "PXAT", "100"],
            vec!["SET", "k", "v", "KEEPTTL", "EX", "10"],
            vec!["SET", "k", "v", "PX", "10", "KEEPTTL"],
            vec!["SET", "k", "v", "FOO"],
            vec!["SET", "k", "v", "GET", "FOO"],
            vec!["SET", "k", "v", "10"],
        ] {
            c.expect(&bad, err(SYNTAX));
        }
        c.expect(&["SET", "k", "v", "EX", "0"], err(inv));
        c.expect(&["SET", "k", "v", "EX", "-1"], err(inv));
        c.expect(&["SET", "k", "v", "PX", "0"], err(inv));
        c.expect(&["SET", "k", "v", "PX", "-100"], err(inv));
        c.expect(&["SET", "k", "v", "EXAT", "0"], err(inv));
        c.expect(&["SET", "k", "v", "PXAT", "-1"], err(inv));
        // Overflow when converted to an absolute millisecond time.
        c.expect(&["SET", "k", "v", "EX", "9223372036854775"], err(inv));
        c.expect(&["SET", "k", "v", "PX", "9223372036854775807"], err(inv));
        c.expect(&["SET", "k", "v", "EX", "abc"], err(NOT_INT));
        c.expect(&["SET", "k", "v", "EX", "1.5"], err(NOT_INT));
        c.expect(
            &["SET", "k", "v", "PX", "99999999999999999999"],
            err(NOT_INT),
        );
        c.expect(&["SET", "k"], err(&arity("set")));
        c.expect(&["SET"], err(&arity("set")));
        // None of the failed commands created the key.
        c.expect(&["EXISTS", "k"], int(0));
        // Repeating the same option is accepted; the last value wins.
        c.ok(&["SET", "k", "v", "NX", "NX"]);
        c.ok(&["SET", "k", "v", "EX", "10", "EX", "1000"]);
        assert!(c.cmd(&["TTL", "k"]).int_val() > 10);
        c.expect(&["SET", "k", "v2", "GET", "GET"], bulk("v"));
    });
}

#[test]
fn setnx_setex_psetex() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["SETNX", "k", "v"], int(1));
        c.expect(&["SETNX", "k", "v2"], int(0));
        c.expect(&["GET", "k"], bulk("v"));
        c.expect(&["SETNX", "k"], err(&arity("setnx")));

        c.ok(&["SETEX", "k", "100", "v3"]);
        c.expect(&["GET", "k"], bulk("v3"));
        let ttl = c.cmd(&["TTL", "k"]).int_val();
        assert!((1..=100).contains(&ttl), "ttl {ttl}");
        c.expect(
            &["SETEX", "k", "0", "v"],
            err("ERR invalid expire time in 'setex' command"),
        );
        c.expect(
            &["SETEX", "k", "-10", "v"],
            err("ERR invalid expire time in 'setex' command"),
        );
        c.expect(&["SETEX", "k", "abc", "v"], err(NOT_INT));
        c.expect(&["SETEX", "k", "10"], err(&arity("setex")));

        c.ok(&["PSETEX", "p", "100000", "v"]);
        let pttl = c.cmd(&["PTTL", "p"]).int_val();
        assert!((1..=100000).contains(&pttl), "pttl {pttl}");
        c.expect(
            &["PSETEX", "p", "0", "v"],
            err("ERR invalid expire time in 'psetex' command"),
        );
        c.expect(
            &["PSETEX", "p", "-5", "v"],
            err("ERR invalid expire time in 'psetex' command"),
        );
        c.expect(&["PSETEX", "p", "1x", "v"], err(NOT_INT));
        // SETEX/PSETEX overwrite other types.
        c.expect(&["RPUSH", "list", "a"], int(1));
        c.ok(&["SETEX", "list", "100", "v"]);
        c.expect(&["TYPE", "list"], status("string"));
        c.expect(&["RPUSH", "list2", "a"], int(1));
        c.expect(&["SETNX", "list2", "v"], int(0));
    });
}

#[test]
fn getdel() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "k", "v", "EX", "100"]);
        c.expect(&["GETDEL", "k"], bulk("v"));
        c.expect(&["EXISTS", "k"], int(0));
        c.expect(&["GETDEL", "k"], nil());
        c.expect(&["RPUSH", "list", "a"], int(1));
        c.expect(&["GETDEL", "list"], err(WRONGTYPE));
        c.expect(&["EXISTS", "list"], int(1));
        c.expect(&["GETDEL"], err(&arity("getdel")));
        c.expect(&["GETDEL", "a", "b"], err(&arity("getdel")));
    });
}

#[test]
fn getex() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["GETEX", "missing"], nil());
        c.expect(&["GETEX", "missing", "EX", "10"], nil());
        c.expect(&["EXISTS", "missing"], int(0));
        c.ok(&["SET", "k", "v"]);
        c.expect(&["GETEX", "k"], bulk("v"));
        c.expect(&["TTL", "k"], int(-1));
        c.expect(&["GETEX", "k", "EX", "100"], bulk("v"));
        let ttl = c.cmd(&["TTL", "k"]).int_val();
        assert!((1..=100).contains(&ttl), "ttl {ttl}");
        // GETEX without options leaves the TTL alone.
        c.expect(&["GETEX", "k"], bulk("v"));
        assert!(c.cmd(&["TTL", "k"]).int_val() > 0);
        c.expect(&["GETEX", "k", "PERSIST"], bulk("v"));
        c.expect(&["TTL", "k"], int(-1));
        c.expect(&["GETEX", "k", "PX", "100000"], bulk("v"));
        let pttl = c.cmd(&["PTTL", "k"]).int_val();
        assert!((1..=100000).contains(&pttl), "pttl {pttl}");
        let at = unix_now() + 1000;
        c.expect(&["GETEX", "k", "EXAT", &at.to_string()], bulk("v"));
        c.expect(&["EXPIRETIME", "k"], int(at as i64));
        let atms = unix_now_ms() + 1_000_000;
        c.expect(&["getex", "k", "pxat", &atms.to_string()], bulk("v"));
        c.expect(&["PEXPIRETIME", "k"], int(atms as i64));
        // A time in the past deletes the key (the value is still returned).
        c.expect(&["GETEX", "k", "EXAT", "1"], bulk("v"));
        c.expect(&["EXISTS", "k"], int(0));

        c.ok(&["SET", "k", "v"]);
        let inv = "ERR invalid expire time in 'getex' command";
        c.expect(&["GETEX", "k", "EX", "0"], err(inv));
        c.expect(&["GETEX", "k", "EX", "-1"], err(inv));
        c.expect(&["GETEX", "k", "PX", "0"], err(inv));
        c.expect(&["GETEX", "k", "EXAT", "0"], err(inv));
        c.expect(&["GETEX", "k", "PXAT", "-5"], err(inv));
        c.expect(&["GETEX", "k", "EX", "9223372036854775"], err(inv));
        c.expect(&["GETEX", "k", "EX", "abc"], err(NOT_INT));
        for bad in [
            vec!["GETEX", "k", "EX"],
            vec!["GETEX", "k", "EX", "10", "PX", "100"],
            vec!["GETEX", "k", "PERSIST", "EX", "10"],
            vec!["GETEX", "k", "EX", "10", "PERSIST"],
            vec!["GETEX", "k", "FOO"],
            vec!["GETEX", "k", "KEEPTTL"],
        ] {
            c.expect(&bad, err(SYNTAX));
        }
        c.expect(&["TTL", "k"], int(-1));
        c.expect(&["GETEX", "k", "PERSIST", "PERSIST"], bulk("v"));
        c.expect(&["GETEX", "k", "EX", "10", "EX", "1000"], bulk("v"));
        assert!(c.cmd(&["TTL", "k"]).int_val() > 10);
        c.expect(&["GETEX"], err(&arity("getex")));
        c.expect(&["RPUSH", "list", "a"], int(1));
        c.expect(&["GETEX", "list"], err(WRONGTYPE));
        c.expect(&["GETEX", "list", "EX", "10"], err(WRONGTYPE));
        c.expect(&["TTL", "list"], int(-1));
    });
}

#[test]
fn getset() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["GETSET", "k", "v1"], nil());
        c.expect(&["GETSET", "k", "v2"], bulk("v1"));
        c.expect(&["GET", "k"], bulk("v2"));
        c.ok(&["SET", "k", "v", "EX", "100"]);
        c.expect(&["GETSET", "k", "w"], bulk("v"));
        c.expect(&["TTL", "k"], int(-1));
        c.expect(&["RPUSH", "list", "a"], int(1));
        c.expect(&["GETSET", "list", "v"], err(WRONGTYPE));
        c.expect(&["GETSET", "k"], err(&arity("getset")));
    });
}

#[test]
fn append_and_strlen() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["STRLEN", "k"], int(0));
        c.expect(&["APPEND", "k", "Hello"], int(5));
        c.expect(&["APPEND", "k", " World"], int(11));
        c.expect(&["GET", "k"], bulk("Hello World"));
        c.expect(&["STRLEN", "k"], int(11));
        c.expect(&["APPEND", "k", ""], int(11));
        c.expect(&["APPEND", "e", ""], int(0));
        c.expect(&["EXISTS", "e"], int(1));
        c.expect(&["GET", "e"], bulk(""));
        // On an integer-encoded value.
        c.ok(&["SET", "n", "123"]);
        c.expect(&["STRLEN", "n"], int(3));
        c.expect(&["APPEND", "n", "45"], int(5));
        c.expect(&["INCR", "n"], int(12346));
        c.ok(&["SET", "n", "-9223372036854775808"]);
        c.expect(&["STRLEN", "n"], int(20));
        // APPEND keeps the TTL.
        c.ok(&["SET", "t", "a", "EX", "100"]);
        c.expect(&["APPEND", "t", "b"], int(2));
        assert!(c.cmd(&["TTL", "t"]).int_val() > 0);
        c.expect(&["RPUSH", "list", "a"], int(1));
        c.expect(&["APPEND", "list", "x"], err(WRONGTYPE));
        c.expect(&["STRLEN", "list"], err(WRONGTYPE));
        c.expect(&["APPEND", "k"], err(&arity("append")));
        c.expect(&["STRLEN"], err(&arity("strlen")));
    });
}

#[test]
fn incr_decr() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["INCR", "n"], int(1));
        c.expect(&["INCR", "n"], int(2));
        c.expect(&["DECR", "n"], int(1));
        c.expect(&["DECR", "n"], int(0));
        c.expect(&["DECR", "n"], int(-1));
        c.expect(&["INCRBY", "n", "100"], int(99));
        c.expect(&["INCRBY", "n", "-200"], int(-101));
        c.expect(&["DECRBY", "n", "-1"], int(-100));
        c.expect(&["DECRBY", "n", "50"], int(-150));
        c.expect(&["GET", "n"], bulk("-150"));
        c.expect(&["DECR", "fresh"], int(-1));
        c.expect(&["INCRBY", "fresh2", "5"], int(5));
        c.expect(&["DECRBY", "fresh3", "5"], int(-5));
        // Stored as a string that looks like an integer.
        c.ok(&["SET", "s", "41"]);
        c.expect(&["INCR", "s"], int(42));
        c.ok(&["SET", "s", "-0"]);
        c.expect(&["INCR", "s"], err(NOT_INT));
        // INCR keeps the TTL.
        c.ok(&["SET", "t", "1", "EX", "100"]);
        c.expect(&["INCR", "t"], int(2));
        assert!(c.cmd(&["TTL", "t"]).int_val() > 0);
        // Values that are not canonical integers.
        for v in [
            "abc",
            "",
            " 1",
            "1 ",
            "+1",
            "01",
            "1.0",
            "1e3",
            "0x10",
            "12a",
            "9223372036854775808",
            "-9223372036854775809",
        ] {
            c.ok(&["SET", "bad", v]);
            c.expect(&["INCR", "bad"], err(NOT_INT));
            c.expect(&["DECRBY", "bad", "1"], err(NOT_INT));
        }
        // Bad increments.
        c.expect(&["INCRBY", "n", "abc"], err(NOT_INT));
        c.expect(&["INCRBY", "n", "1.5"], err(NOT_INT));
        c.expect(&["INCRBY", "n", "9223372036854775808"], err(NOT_INT));
        c.expect(&["DECRBY", "n", ""], err(NOT_INT));
        // Overflow.
        c.ok(&["SET", "max", "9223372036854775807"]);
        c.expect(
            &["INCR", "max"],
            err("ERR increment or decrement would overflow"),
        );
        c.expect(
            &["INCRBY", "max", "1"],
            err("ERR increment or decrement would overflow"),
        );
        c.expect(
            &["DECRBY", "max", "-1"],
            err("ERR increment or decrement would overflow"),
        );
        c.expect(&["GET", "max"], bulk("9223372036854775807"));
        c.ok(&["SET", "min", "-9223372036854775808"]);
        c.expect(
            &["DECR", "min"],
            err("ERR increment or decrement would overflow"),
        );
        c.expect(
            &["INCRBY", "min", "-1"],
            err("ERR increment or decrement would overflow"),
        );
        c.expect(&["INCRBY", "min", "9223372036854775807"], int(-1));
        c.expect(
            &["DECRBY", "x", "-9223372036854775808"],
            err("ERR decrement would overflow"),
        );
        c.expect(&["INCRBY", "x", "-9223372036854775808"], int(i64::MIN));
        // Wrong type / arity.
        c.expect(&["RPUSH", "list", "a"], int(1));
        c.expect(&["INCR", "list"], err(WRONGTYPE));
        c.expect(&["DECR", "list"], err(WRONGTYPE));
        c.expect(&["INCRBY", "list", "1"], err(WRONGTYPE));
        c.expect(&["DECRBY", "list", "1"], err(WRONGTYPE));
        c.expect(&["INCR"], err(&arity("incr")));
        c.expect(&["INCR", "a", "b"], err(&arity("incr")));
        c.expect(&["INCRBY", "a"], err(&arity("incrby")));
        c.expect(&["DECRBY", "a"], err(&arity("decrby")));
        c.expect(&["DECR"], err(&arity("decr")));
    });
}

#[test]
fn incrbyfloat() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["INCRBYFLOAT", "f", "10.5"], bulk("10.5"));
        c.expect(&["INCRBYFLOAT", "f", "0.1"], bulk("10.6"));
        c.expect(&["GET", "f"], bulk("10.6"));
        c.expect(&["INCRBYFLOAT", "f", "-10.6"], bulk("0"));
        c.expect(&["INCRBYFLOAT", "g", "3.0e3"], bulk("3000"));
        c.expect(&["INCRBYFLOAT", "g", "2.0e2"], bulk("3200"));
        c.expect(&["INCRBYFLOAT", "g", "-3200.5"], bulk("-0.5"));
        c.expect(&["INCRBYFLOAT", "h", "0.1"], bulk("0.1"));
        c.expect(&["INCRBYFLOAT", "h", "0.2"], bulk("0.3"));
        c.expect(&["INCRBYFLOAT", "i", "1.5"], bulk("1.5"));
        c.expect(&["INCRBYFLOAT", "i", "0.25"], bulk("1.75"));
        c.expect(&["INCRBYFLOAT", "j", "5"], bulk("5"));
        c.expect(&["INCRBYFLOAT", "j", "1.5e-5"], bulk("5.000015"));
        c.expect(&["INCRBYFLOAT", "k", ".5"], bulk("0.5"));
        c.expect(&["INCRBYFLOAT", "k", "5."], bulk("5.5"));
        c.expect(&["INCRBYFLOAT", "k", "-0"], bulk("5.5"));
        // On integer and float-looking strings.
        c.ok(&["SET", "n", "10"]);
        c.expect(&["INCRBYFLOAT", "n", "1.5"], bulk("11.5"));
        c.ok(&["SET", "n", "5.0e3"]);
        c.expect(&["INCRBYFLOAT", "n", "0"], bulk("5000"));
        c.ok(&["SET", "n", "1.230"]);
        c.expect(&["INCRBYFLOAT", "n", "1"], bulk("2.23"));
        // INCRBYFLOAT keeps the TTL.
        c.ok(&["SET", "t", "1", "EX", "100"]);
        c.expect(&["INCRBYFLOAT", "t", "1"], bulk("2"));
        assert!(c.cmd(&["TTL", "t"]).int_val() > 0);
        // Errors.
        c.expect(&["INCRBYFLOAT", "n", "abc"], err(NOT_FLOAT));
        c.expect(&["INCRBYFLOAT", "n", ""], err(NOT_FLOAT));
        c.expect(&["INCRBYFLOAT", "n", " 1"], err(NOT_FLOAT));
        c.expect(&["INCRBYFLOAT", "n", "1 "], err(NOT_FLOAT));
        c.expect(&["INCRBYFLOAT", "n", "nan"], err(NOT_FLOAT));
        c.expect(&["INCRBYFLOAT", "n", "1e5000"], err(NOT_FLOAT));
        c.ok(&["SET", "s", "hello"]);
        c.expect(&["INCRBYFLOAT", "s", "1"], err(NOT_FLOAT));
        c.ok(&["SET", "s", "1.5 "]);
        c.expect(&["INCRBYFLOAT", "s", "1"], err(NOT_FLOAT));
        let nan_inf = "ERR increment would produce NaN or Infinity";
        c.expect(&["INCRBYFLOAT", "n", "inf"], err(nan_inf));
        c.expect(&["INCRBYFLOAT", "n", "-inf"], err(nan_inf));
        c.expect(&["INCRBYFLOAT", "n", "+inf"], err(nan_inf));
        c.expect(&["INCRBYFLOAT", "fresh", "INF"], err(nan_inf));
        c.expect(&["EXISTS", "fresh"], int(0));
        c.expect(&["GET", "n"], bulk("2.23"));
        c.expect(&["RPUSH", "list", "a"], int(1));
        c.expect(&["INCRBYFLOAT", "list", "1"], err(WRONGTYPE));
        c.expect(&["INCRBYFLOAT", "n"], err(&arity("incrbyfloat")));
    });
}

#[test]
fn getrange_substr() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "k", "Hello World"]);
        for (cmd, start, end, want) in [
            ("GETRANGE", "0", "3", "Hell"),
            ("GETRANGE", "0", "-1", "Hello World"),
            ("GETRANGE", "-3", "-1", "rld"),
            ("GETRANGE", "6", "100", "World"),
            ("GETRANGE", "10", "100", "d"),
            ("GETRANGE", "11", "100", ""),
            ("GETRANGE", "5", "3", ""),
            ("GETRANGE", "-1", "-5", ""),
            ("GETRANGE", "-100", "2", "Hel"),
            ("GETRANGE", "-100", "-50", "H"),
            ("GETRANGE", "0", "-100", "H"),
            ("GETRANGE", "3", "-100", ""),
            ("GETRANGE", "0", "9223372036854775807", "Hello World"),
            ("GETRANGE", "-9223372036854775808", "-1", "Hello World"),
            ("SUBSTR", "0", "4", "Hello"),
            ("SUBSTR", "-5", "-1", "World"),
        ] {
            c.expect(&[cmd, "k", start, end], bulk(want));
        }
        c.expect(&["GETRANGE", "missing", "0", "-1"], bulk(""));
        c.ok(&["SET", "n", "1234"]);
        c.expect(&["GETRANGE", "n", "1", "2"], bulk("23"));
        c.ok(&["SET", "e", ""]);
        c.expect(&["GETRANGE", "e", "0", "-1"], bulk(""));
        c.expect(&["GETRANGE", "k", "a", "1"], err(NOT_INT));
        c.expect(&["GETRANGE", "k", "0", "1.5"], err(NOT_INT));
        c.expect(&["GETRANGE", "k", "0"], err(&arity("getrange")));
        c.expect(&["SUBSTR", "k", "0"], err(&arity("substr")));
        c.expect(&["RPUSH", "list", "a"], int(1));
        c.expect(&["GETRANGE", "list", "0", "1"], err(WRONGTYPE));
        c.expect(&["SUBSTR", "list", "0", "1"], err(WRONGTYPE));
    });
}

#[test]
fn setrange() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "k", "Hello World"]);
        c.expect(&["SETRANGE", "k", "6", "Redis"], int(11));
        c.expect(&["GET", "k"], bulk("Hello Redis"));
        c.expect(&["SETRANGE", "k", "11", "!!"], int(13));
        c.expect(&["GET", "k"], bulk("Hello Redis!!"));
        c.expect(&["SETRANGE", "k", "0", ""], int(13));
        // Zero padding.
        c.expect(&["SETRANGE", "p", "5", "hi"], int(7));
        c.expect(&["GET", "p"], bulk(b"\0\0\0\0\0hi"));
        c.expect(&["SETRANGE", "p", "9", "x"], int(10));
        c.expect(&["GET", "p"], bulk(b"\0\0\0\0\0hi\0\0x"));
        // Empty value on a missing key does not create it.
        c.expect(&["SETRANGE", "none", "0", ""], int(0));
        c.expect(&["SETRANGE", "none", "100", ""], int(0));
        c.expect(&["EXISTS", "none"], int(0));
        // Integer-encoded values.
        c.ok(&["SET", "n", "1234"]);
        c.expect(&["SETRANGE", "n", "1", "9"], int(4));
        c.expect(&["GET", "n"], bulk("1934"));
        c.expect(&["INCR", "n"], int(1935));
        // SETRANGE keeps the TTL.
        c.ok(&["SET", "t", "abc", "EX", "100"]);
        c.expect(&["SETRANGE", "t", "1", "X"], int(3));
        assert!(c.cmd(&["TTL", "t"]).int_val() > 0);
        // Errors.
        c.expect(
            &["SETRANGE", "k", "-1", "x"],
            err("ERR offset is out of range"),
        );
        c.expect(&["SETRANGE", "k", "abc", "x"], err(NOT_INT));
        let too_big = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
        c.expect(&["SETRANGE", "k", "536870912", "x"], err(too_big));
        c.expect(&["SETRANGE", "k", "536870911", "xx"], err(too_big));
        c.expect(&["SETRANGE", "new", "4294967296", "x"], err(too_big));
        c.expect(
            &["SETRANGE", "new", "9223372036854775807", "x"],
            err(too_big),
        );
        c.expect(&["EXISTS", "new"], int(0));
        // ... but an empty value never checks the size.
        c.expect(&["SETRANGE", "k", "536870912", ""], int(13));
        // The limit follows proto-max-bulk-len.
        c.ok(&["CONFIG", "SET", "proto-max-bulk-len", "1mb"]);
        c.expect(&["SETRANGE", "k", "1048576", "x"], err(too_big));
        c.expect(&["SETRANGE", "k", "1048575", "x"], int(1048576));
        c.expect(&["STRLEN", "k"], int(1048576));
        c.expect(&["RPUSH", "list", "a"], int(1));
        c.expect(&["SETRANGE", "list", "0", "x"], err(WRONGTYPE));
        c.expect(&["SETRANGE", "list", "0", ""], err(WRONGTYPE));
        c.expect(&["SETRANGE", "k", "0"], err(&arity("setrange")));
    });
}

#[test]
fn mget_mset_msetnx() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["MSET", "a", "1", "b", "2", "c", "3"]);
        c.expect(
            &["MGET", "a", "b", "c", "d"],
            arr(vec![bulk("1"), bulk("2"), bulk("3"), nil()]),
        );
        // Last value wins for duplicated keys.
        c.ok(&["MSET", "a", "x", "a", "y"]);
        c.expect(&["GET", "a"], bulk("y"));
        // MGET returns nil for non-string values.
        c.expect(&["RPUSH", "list", "a"], int(1));
        c.expect(
            &["MGET", "a", "list", "b"],
            arr(vec![bulk("y"), nil(), bulk("2")]),
        );
        // MSET clears TTLs and overwrites other types.
        c.ok(&["SET", "t", "v", "EX", "100"]);
        c.ok(&["MSET", "t", "w", "list", "s"]);
        c.expect(&["TTL", "t"], int(-1));
        c.expect(&["TYPE", "list"], status("string"));
        c.expect(&["MSETNX", "n1", "1", "n2", "2"], int(1));
        c.expect(&["MSETNX", "n2", "x", "n3", "3"], int(0));
        c.expect(
            &["MGET", "n1", "n2", "n3"],
            arr(vec![bulk("1"), bulk("2"), nil()]),
        );
        c.expect(&["MSET", "a"], err(&arity("mset")));
        c.expect(&["MSET", "a", "1", "b"], err(&arity("mset")));
        c.expect(&["MSET"], err(&arity("mset")));
        c.expect(&["MSETNX", "a", "1", "b"], err(&arity("msetnx")));
        c.expect(&["MGET"], err(&arity("mget")));
    });
}

#[test]
fn lcs() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["MSET", "key1", "ohmytext", "key2", "mynewtext"]);
        c.expect(&["LCS", "key1", "key2"], bulk("mytext"));
        c.expect(&["LCS", "key1", "key2", "LEN"], int(6));
        let m = |a: i64, b: i64, c_: i64, d: i64| arr(vec![ints(&[a, b]), ints(&[c_, d])]);
        c.expect(
            &["LCS", "key1", "key2", "IDX"],
            arr(vec![
                bulk("matches"),
                arr(vec![m(4, 7, 5, 8), m(2, 3, 0, 1)]),
                bulk("len"),
                int(6),
            ]),
        );
        c.expect(
            &["LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4"],
            arr(vec![
                bulk("matches"),
                arr(vec![m(4, 7, 5, 8)]),
                bulk("len"),
                int(6),
            ]),
        );
        c.expect(
            &[
                "LCS",
                "key1",
                "key2",
                "IDX",
                "MINMATCHLEN",
                "4",
                "WITHMATCHLEN",
            ],
            arr(vec![
                bulk("matches"),
                arr(vec![arr(vec![ints(&[4, 7]), ints(&[5, 8]), int(4)])]),
                bulk("len"),
                int(6),
            ]),
        );
        c.expect(
            &["lcs", "key1", "key2", "withmatchlen", "idx"],
            arr(vec![
                bulk("matches"),
                arr(vec![
                    arr(vec![ints(&[4, 7]), ints(&[5, 8]), int(4)]),
                    arr(vec![ints(&[2, 3]), ints(&[0, 1]), int(2)]),
                ]),
                bulk("len"),
                int(6),
            ]),
        );
        // MINMATCHLEN without IDX is accepted and ignored.
        c.expect(&["LCS", "key1", "key2", "MINMATCHLEN", "4"], bulk("mytext"));
        c.expect(
            &["LCS", "key1", "key2", "MINMATCHLEN", "-1", "IDX"],
            c_clone_idx(),
        );
        // Missing keys are empty strings.
        c.expect(&["LCS", "key1", "nokey"], bulk(""));
        c.expect(&["LCS", "nokey", "nokey2", "LEN"], int(0));
        c.expect(
            &["LCS", "nokey", "key1", "IDX"],
            arr(vec![bulk("matches"), arr(vec![]), bulk("len"), int(0)]),
        );
        c.ok(&["MSET", "a", "1234", "b", "0234"]);
        c.expect(&["LCS", "a", "b"], bulk("234"));
        // Errors.
        c.expect(
            &["LCS", "key1", "key2", "LEN", "IDX"],
            err("ERR If you want both the length and indexes, please just use IDX."),
        );
        c.expect(&["LCS", "key1", "key2", "FOO"], err(SYNTAX));
        c.expect(&["LCS", "key1", "key2", "MINMATCHLEN"], err(SYNTAX));
        c.expect(&["LCS", "key1", "key2", "MINMATCHLEN", "x"], err(NOT_INT));
        c.expect(&["RPUSH", "list", "a"], int(1));
        c.expect(
            &["LCS", "key1", "list"],
            err("ERR The specified keys must contain string values"),
        );
        c.expect(&["LCS", "key1"], err(&arity("lcs")));
    });
}

fn c_clone_idx() -> Reply {
    let m = |a: i64, b: i64, c_: i64, d: i64| arr(vec![ints(&[a, b]), ints(&[c_, d])]);
    arr(vec![
        bulk("matches"),
        arr(vec![m(4, 7, 5, 8), m(2, 3, 0, 1)]),
        bulk("len"),
        int(6),
    ])
}

#[test]
fn object_encoding_strings() {
    each_server(|s| {
        let mut c = s.connect();
        let long = "x".repeat(45);
        let max_embstr = "x".repeat(44);
        for (v, enc) in [
            ("123", "int"),
            ("0", "int"),
            ("-5", "int"),
            ("9223372036854775807", "int"),
            ("9223372036854775808", "embstr"),
            ("12345678901234567890", "embstr"),
            ("01", "embstr"),
            (" 1", "embstr"),
            ("1.5", "embstr"),
            ("hello", "embstr"),
            ("", "embstr"),
            (max_embstr.as_str(), "embstr"),
            (long.as_str(), "raw"),
        ] {
            c.ok(&["SET", "k", v]);
            c.expect(&["OBJECT", "ENCODING", "k"], bulk(enc));
        }
        c.ok(&["SET", "k", "hello"]);
        c.expect(&["APPEND", "k", "!"], int(6));
        c.expect(&["OBJECT", "ENCODING", "k"], bulk("raw"));
        c.ok(&["SET", "n", "10"]);
        c.expect(&["INCR", "n"], int(11));
        c.expect(&["OBJECT", "ENCODING", "n"], bulk("int"));
        c.expect(&["INCRBYFLOAT", "n", "0.5"], bulk("11.5"));
        c.expect(&["OBJECT", "ENCODING", "n"], bulk("embstr"));
        c.ok(&["SET", "r", "abc"]);
        c.expect(&["SETRANGE", "r", "0", "x"], int(3));
        c.expect(&["OBJECT", "ENCODING", "r"], bulk("raw"));
        c.expect(&["OBJECT", "ENCODING", "missing"], nil());
    });
}

#[test]
fn wrong_arity_messages() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["GET"], err(&arity("get")));
        c.expect(&["GET", "a", "b"], err(&arity("get")));
        // The command name in the message is lower case whatever was sent.
        c.expect(&["GeT"], err(&arity("get")));
        c.expect(&["SETEX", "k"], err(&arity("setex")));
        c.expect(&["PSETEX", "k", "1"], err(&arity("psetex")));
        c.expect(&["GETSET"], err(&arity("getset")));
        c.expect(&["MSETNX"], err(&arity("msetnx")));
    });
}

#[test]
fn wrongtype_leaves_value_intact() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["RPUSH", "l", "a", "b"], int(2));
        for cmd in [
            vec!["GET", "l"],
            vec!["GETDEL", "l"],
            vec!["GETEX", "l", "PERSIST"],
            vec!["GETSET", "l", "x"],
            vec!["APPEND", "l", "x"],
            vec!["INCR", "l"],
            vec!["INCRBYFLOAT", "l", "1.5"],
            vec!["GETRANGE", "l", "0", "-1"],
            vec!["SETRANGE", "l", "0", "x"],
            vec!["STRLEN", "l"],
            vec!["SET", "l", "x", "GET"],
        ] {
            c.expect(&cmd, err(WRONGTYPE));
        }
        c.expect(&["LRANGE", "l", "0", "-1"], bulks(&["a", "b"]));
    });
}
