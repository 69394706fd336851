//! List commands: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LMPOP LLEN LINDEX LRANGE LPOS
//! LSET LINSERT LREM LTRIM LMOVE RPOPLPUSH, their errors, RESP3 shapes, big lists
//! spanning many nodes, the generic key commands on lists, and a seeded random
//! differential run.

use crate::support::*;

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_INT: &str = "ERR value is not an integer or out of range";
const SYNTAX: &str = "ERR syntax error";
const POSITIVE: &str = "ERR value is out of range, must be positive";

fn arity(cmd: &str) -> String {
    format!("ERR wrong number of arguments for '{cmd}' command")
}

fn strs(v: &[&str]) -> Reply {
    bulks(v)
}

#[test]
fn push_and_length() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["RPUSH", "l", "a", "b", "c"], int(3));
        c.expect(&["LPUSH", "l", "x", "y"], int(5));
        c.expect(
            &["LRANGE", "l", "0", "-1"],
            strs(&["y", "x", "a", "b", "c"]),
        );
        c.expect(&["LLEN", "l"], int(5));
        c.expect(&["LLEN", "missing"], int(0));
        c.expect(&["LPUSHX", "missing", "a"], int(0));
        c.expect(&["RPUSHX", "missing", "a", "b"], int(0));
        c.expect(&["EXISTS", "missing"], int(0));
        c.expect(&["LPUSHX", "l", "p1", "p2"], int(7));
        c.expect(&["RPUSHX", "l", "r1"], int(8));
        c.expect(
            &["LRANGE", "l", "0", "-1"],
            strs(&["p2", "p1", "y", "x", "a", "b", "c", "r1"]),
        );
        c.expect(&["RPUSH", "e", ""], int(1));
        c.expect(&["LINDEX", "e", "0"], bulk(""));
        c.set("s", "v");
        for cmd in ["LPUSH", "RPUSH", "LPUSHX", "RPUSHX"] {
            c.expect(&[cmd, "s", "a"], err(WRONGTYPE));
            c.expect(&[cmd, "s"], err(&arity(&cmd.to_lowercase())));
        }
        c.expect(&["LLEN", "s"], err(WRONGTYPE));
        c.expect(&["LLEN"], err(&arity("llen")));
        c.expect(&["LLEN", "a", "b"], err(&arity("llen")));
        c.expect(&["TYPE", "l"], status("list"));
        c.expect(&["OBJECT", "ENCODING", "l"], bulk("quicklist"));
    });
}

#[test]
fn element_bytes_round_trip() {
    // Integers are stored compactly: every textual form must come back unchanged.
    let values = [
        "0",
        "-0",
        "00",
        "007",
        "+1",
        "1",
        "-1",
        "127",
        "128",
        "-128",
        "4095",
        "4096",
        "-4096",
        "-4097",
        "32767",
        "32768",
        "-32768",
        "-32769",
        "8388607",
        "8388608",
        "-8388608",
        "-8388609",
        "2147483647",
        "2147483648",
        "-2147483648",
        "-2147483649",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "-9223372036854775809",
        "1e3",
        "1.0",
        " 1",
        "1 ",
        "0x10",
        "",
        "a",
        "\u{0}\u{1}",
    ];
    each_server(|s| {
        let mut c = s.connect();
        let mut cmd = vec!["RPUSH", "l"];
        cmd.extend(values);
        c.expect(&cmd, int(values.len() as i64));
        c.expect(&["LRANGE", "l", "0", "-1"], strs(&values));
        for (i, v) in values.iter().enumerate() {
            c.expect(&["LINDEX", "l", &i.to_string()], bulk(v));
            c.expect(&["LPOS", "l", v], int(i as i64));
        }
        // "1" and "01" are different elements.
        c.expect(&["LREM", "l", "0", "1"], int(1));
        c.expect(&["LPOS", "l", "+1"], int(4));
        c.expect(&["LREM", "l", "0", "-0"], int(1));
        c.expect(&["LINDEX", "l", "0"], bulk("0"));
        c.expect(&["LINDEX", "l", "1"], bulk("00"));
        let big = "x".repeat(70_000);
        c.expect(&["LSET", "l", "1", &big], ok());
        c.expect(&["LINDEX", "l", "1"], bulk(&big));
        c.expect(&["LSET", "l", "1", "-5000"], ok());
        c.expect(&["LRANGE", "l", "0", "2"], strs(&["0", "-5000", "007"]));
    });
}

#[test]
fn lpop_rpop() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["RPUSH", "l", "a", "b", "c", "d", "e"], int(5));
        c.expect(&["LPOP", "l"], bulk("a"));
        c.expect(&["RPOP", "l"], bulk("e"));
        c.expect(&["LPOP", "l", "2"], strs(&["b", "c"]));
        c.expect(&["LPOP", "l", "0"], arr(vec![]));
        c.expect(&["RPOP", "l", "0"], arr(vec![]));
        c.expect(&["RPOP", "l", "10"], strs(&["d"]));
        c.expect(&["EXISTS", "l"], int(0));
        c.expect(&["LPOP", "l"], nil());
        c.expect(&["RPOP", "l"], nil());
        c.expect(&["LPOP", "l", "1"], nil_arr());
        c.expect(&["RPOP", "l", "0"], nil_arr());
        c.expect(&["RPUSH", "l", "1", "2", "3"], int(3));
        c.expect(&["RPOP", "l", "2"], strs(&["3", "2"]));
        c.expect(&["LPOP", "l", "-1"], err(POSITIVE));
        c.expect(&["LPOP", "l", "x"], err(POSITIVE));
        c.expect(&["RPOP", "l", "1.5"], err(POSITIVE));
        c.expect(&["LPOP", "missing", "x"], err(POSITIVE));
        c.expect(&["LPOP", "l", "1", "2"], err(&arity("lpop")));
        c.expect(&["RPOP", "l", "1", "2"], err(&arity("rpop")));
        c.expect(&["LPOP"], err(&arity("lpop")));
        c.set("s", "v");
        c.expect(&["LPOP", "s"], err(WRONGTYPE));
        c.expect(&["RPOP", "s", "1"], err(WRONGTYPE));
        c.expect(&["RPOP", "s", "-1"], err(POSITIVE));
        c.expect(&["LPOP", "l"], bulk("1"));
        c.expect(&["EXISTS", "l"], int(0));
    });
}

#[test]
fn lmpop() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["RPUSH", "a", "1", "2", "3"], int(3));
        c.expect(&["RPUSH", "b", "x", "y"], int(2));
        c.expect(
            &["LMPOP", "2", "missing", "a", "LEFT"],
            arr(vec![bulk("a"), strs(&["1"])]),
        );
        c.expect(
            &["LMPOP", "2", "a", "b", "right", "COUNT", "5"],
            arr(vec![bulk("a"), strs(&["3", "2"])]),
        );
        c.expect(&["EXISTS", "a"], int(0));
        c.expect(
            &["LMPOP", "3", "a", "c", "b", "LEFT", "count", "1"],
            arr(vec![bulk("b"), strs(&["x"])]),
        );
        c.expect(&["LMPOP", "1", "missing", "LEFT"], nil_arr());
        c.expect(
            &["LMPOP", "0", "a", "LEFT"],
            err("ERR numkeys should be greater than 0"),
        );
        c.expect(
            &["LMPOP", "-1", "a", "LEFT"],
            err("ERR numkeys should be greater than 0"),
        );
        c.expect(
            &["LMPOP", "x", "a", "LEFT"],
            err("ERR numkeys should be greater than 0"),
        );
        c.expect(&["LMPOP", "2", "a", "LEFT"], err(SYNTAX));
        c.expect(&["LMPOP", "99999999999", "a", "LEFT"], err(SYNTAX));
        c.expect(&["LMPOP", "1", "a", "UP"], err(SYNTAX));
        c.expect(&["LMPOP", "1", "a", "LEFT", "COUNT"], err(SYNTAX));
        c.expect(
            &["LMPOP", "1", "a", "LEFT", "COUNT", "0"],
            err("ERR count should be greater than 0"),
        );
        c.expect(
            &["LMPOP", "1", "a", "LEFT", "COUNT", "-2"],
            err("ERR count should be greater than 0"),
        );
        c.expect(
            &["LMPOP", "1", "a", "LEFT", "COUNT", "x"],
            err("ERR count should be greater than 0"),
        );
        c.expect(
            &["LMPOP", "1", "a", "LEFT", "COUNT", "1", "COUNT", "1"],
            err(SYNTAX),
        );
        c.expect(&["LMPOP", "1", "a", "LEFT", "FOO"], err(SYNTAX));
        c.expect(&["LMPOP", "1", "a"], err(&arity("lmpop")));
        c.set("s", "v");
        c.expect(&["LMPOP", "2", "s", "b", "LEFT"], err(WRONGTYPE));
        // The first non-empty list wins; later keys are not looked at.
        c.expect(
            &["LMPOP", "2", "b", "s", "LEFT"],
            arr(vec![bulk("b"), strs(&["y"])]),
        );
        c.expect(&["EXISTS", "b"], int(0));
    });
}

#[test]
fn lindex_and_lset() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["RPUSH", "l", "a", "b", "c"], int(3));
        c.expect(&["LINDEX", "l", "0"], bulk("a"));
        c.expect(&["LINDEX", "l", "2"], bulk("c"));
        c.expect(&["LINDEX", "l", "-1"], bulk("c"));
        c.expect(&["LINDEX", "l", "-3"], bulk("a"));
        c.expect(&["LINDEX", "l", "3"], nil());
        c.expect(&["LINDEX", "l", "-4"], nil());
        c.expect(&["LINDEX", "l", "9223372036854775807"], nil());
        c.expect(&["LINDEX", "l", "-9223372036854775808"], nil());
        c.expect(&["LINDEX", "l", "x"], err(NOT_INT));
        // The key is looked up before the index is parsed.
        c.expect(&["LINDEX", "missing", "x"], nil());
        c.expect(&["LINDEX", "l"], err(&arity("lindex")));
        c.expect(&["LSET", "l", "1", "B"], ok());
        c.expect(&["LSET", "l", "-1", "C"], ok());
        c.expect(&["LSET", "l", "-3", "12345"], ok());
        c.expect(&["LRANGE", "l", "0", "-1"], strs(&["12345", "B", "C"]));
        c.expect(&["LSET", "l", "3", "x"], err("ERR index out of range"));
        c.expect(&["LSET", "l", "-4", "x"], err("ERR index out of range"));
        c.expect(&["LSET", "l", "x", "x"], err(NOT_INT));
        c.expect(&["LSET", "missing", "x", "x"], err("ERR no such key"));
        c.expect(&["LSET", "missing", "0", "x"], err("ERR no such key"));
        c.expect(&["LSET", "l", "0"], err(&arity("lset")));
        c.set("s", "v");
        c.expect(&["LINDEX", "s", "x"], err(WRONGTYPE));
        c.expect(&["LSET", "s", "x", "v"], err(WRONGTYPE));
    });
}

#[test]
fn lrange_and_ltrim() {
    each_server(|s| {
        let mut c = s.connect();
        let items: Vec<String> = (0..10).map(|i| format!("e{i}")).collect();
        let mut cmd = vec!["RPUSH".to_string(), "l".to_string()];
        cmd.extend(items.iter().cloned());
        c.expect(&cmd, int(10));
        let cases: &[(&str, &str, &[&str])] = &[
            ("0", "2", &["e0", "e1", "e2"]),
            ("-3", "-1", &["e7", "e8", "e9"]),
            ("8", "100", &["e8", "e9"]),
            ("-100", "1", &["e0", "e1"]),
            ("5", "4", &[]),
            ("10", "20", &[]),
            ("-1", "-2", &[]),
            ("0", "-11", &[]),
            (
                "-9223372036854775808",
                "9223372036854775807",
                &["e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9"],
            ),
        ];
        for (a, b, want) in cases {
            c.expect(&["LRANGE", "l", a, b], strs(want));
        }
        c.expect(&["LRANGE", "l", "x", "1"], err(NOT_INT));
        c.expect(&["LRANGE", "l", "0", "1.0"], err(NOT_INT));
        // Arguments are parsed before the key is looked up.
        c.expect(&["LRANGE", "missing", "x", "1"], err(NOT_INT));
        c.expect(&["LRANGE", "missing", "0", "-1"], arr(vec![]));
        c.expect(&["LTRIM", "l", "1", "-2"], ok());
        c.expect(
            &["LRANGE", "l", "0", "-1"],
            strs(&["e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8"]),
        );
        c.expect(&["LTRIM", "l", "-3", "100"], ok());
        c.expect(&["LRANGE", "l", "0", "-1"], strs(&["e6", "e7", "e8"]));
        c.expect(&["LTRIM", "l", "0", "0"], ok());
        c.expect(&["LRANGE", "l", "0", "-1"], strs(&["e6"]));
        c.expect(&["LTRIM", "l", "1", "0"], ok());
        c.expect(&["EXISTS", "l"], int(0));
        c.expect(&["RPUSH", "l", "a", "b"], int(2));
        c.expect(&["LTRIM", "l", "5", "10"], ok());
        c.expect(&["EXISTS", "l"], int(0));
        c.expect(&["LTRIM", "missing", "0", "1"], ok());
        c.expect(&["LTRIM", "missing", "x", "1"], err(NOT_INT));
        c.expect(&["LTRIM", "l", "0"], err(&arity("ltrim")));
        c.expect(&["LRANGE", "l", "0"], err(&arity("lrange")));
        c.set("s", "v");
        c.expect(&["LRANGE", "s", "0", "1"], err(WRONGTYPE));
        c.expect(&["LTRIM", "s", "0", "1"], err(WRONGTYPE));
        c.expect(&["LTRIM", "s", "a", "1"], err(NOT_INT));
    });
}

#[test]
fn linsert() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["RPUSH", "l", "a", "b", "a"], int(3));
        c.expect(&["LINSERT", "l", "BEFORE", "a", "x"], int(4));
        c.expect(&["LINSERT", "l", "after", "a", "y"], int(5));
        c.expect(&["LINSERT", "l", "AFTER", "b", "10"], int(6));
        c.expect(&["LINSERT", "l", "before", "10", "z"], int(7));
        c.expect(
            &["LRANGE", "l", "0", "-1"],
            strs(&["x", "a", "y", "b", "z", "10", "a"]),
        );
        c.expect(&["LINSERT", "l", "BEFORE", "nope", "q"], int(-1));
        c.expect(&["LINSERT", "l", "BEFORE", "010", "q"], int(-1));
        c.expect(&["LINSERT", "missing", "BEFORE", "a", "q"], int(0));
        c.expect(&["EXISTS", "missing"], int(0));
        c.expect(&["LINSERT", "l", "MIDDLE", "a", "q"], err(SYNTAX));
        c.expect(&["LINSERT", "missing", "MIDDLE", "a", "q"], err(SYNTAX));
        c.expect(&["LINSERT", "l", "BEFORE", "a"], err(&arity("linsert")));
        c.set("s", "v");
        c.expect(&["LINSERT", "s", "BEFORE", "a", "b"], err(WRONGTYPE));
        c.expect(&["LINSERT", "s", "NEAR", "a", "b"], err(SYNTAX));
    });
}

#[test]
fn lrem() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["RPUSH", "l", "a", "1", "a", "b", "a", "1", "a"], int(7));
        c.expect(&["LREM", "l", "2", "a"], int(2));
        c.expect(
            &["LRANGE", "l", "0", "-1"],
            strs(&["1", "b", "a", "1", "a"]),
        );
        c.expect(&["LREM", "l", "-1", "1"], int(1));
        c.expect(&["LRANGE", "l", "0", "-1"], strs(&["1", "b", "a", "a"]));
        c.expect(&["LREM", "l", "0", "a"], int(2));
        c.expect(&["LREM", "l", "0", "nope"], int(0));
        c.expect(&["LREM", "l", "-9223372036854775808", "b"], int(1));
        c.expect(&["LREM", "l", "9223372036854775807", "1"], int(1));
        c.expect(&["EXISTS", "l"], int(0));
        c.expect(&["LREM", "missing", "0", "a"], int(0));
        c.expect(&["LREM", "missing", "x", "a"], err(NOT_INT));
        c.expect(&["LREM", "l", "0"], err(&arity("lrem")));
        c.set("s", "v");
        c.expect(&["LREM", "s", "0", "a"], err(WRONGTYPE));
    });
}

#[test]
fn lpos() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(
            &["RPUSH", "l", "a", "b", "c", "1", "2", "3", "c", "c"],
            int(8),
        );
        c.expect(&["LPOS", "l", "c"], int(2));
        c.expect(&["LPOS", "l", "3"], int(5));
        c.expect(&["LPOS", "l", "x"], nil());
        c.expect(&["LPOS", "l", "c", "RANK", "2"], int(6));
        c.expect(&["LPOS", "l", "c", "RANK", "-1"], int(7));
        c.expect(&["LPOS", "l", "c", "RANK", "-3"], int(2));
        c.expect(&["LPOS", "l", "c", "RANK", "4"], nil());
        c.expect(&["LPOS", "l", "c", "COUNT", "2"], ints(&[2, 6]));
        c.expect(&["LPOS", "l", "c", "COUNT", "0"], ints(&[2, 6, 7]));
        c.expect(
            &["LPOS", "l", "c", "COUNT", "0", "RANK", "-1"],
            ints(&[7, 6, 2]),
        );
        c.expect(
            &["LPOS", "l", "c", "RANK", "2", "COUNT", "0"],
            ints(&[6, 7]),
        );
        c.expect(&["LPOS", "l", "x", "COUNT", "0"], arr(vec![]));
        c.expect(&["LPOS", "l", "c", "MAXLEN", "2"], nil());
        c.expect(&["LPOS", "l", "c", "MAXLEN", "3"], int(2));
        c.expect(&["LPOS", "l", "c", "MAXLEN", "0"], int(2));
        c.expect(
            &["LPOS", "l", "c", "COUNT", "0", "MAXLEN", "7"],
            ints(&[2, 6]),
        );
        c.expect(
            &["LPOS", "l", "c", "RANK", "-1", "COUNT", "0", "MAXLEN", "2"],
            ints(&[7, 6]),
        );
        c.expect(&["lpos", "l", "c", "rank", "1", "rank", "2"], int(6));
        // RANK i64::MIN: negation overflows in Redis, so every match qualifies.
        c.expect(&["LPOS", "l", "c", "RANK", "-9223372036854775808"], int(7));
        c.expect(
            &[
                "LPOS",
                "l",
                "c",
                "RANK",
                "-9223372036854775808",
                "COUNT",
                "1",
            ],
            ints(&[7, 6, 2]),
        );
        c.expect(&["LPOS", "l", "c", "RANK", "9223372036854775807"], nil());
        let rank0 = "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";
        c.expect(&["LPOS", "l", "c", "RANK", "0"], err(rank0));
        c.expect(&["LPOS", "missing", "c", "RANK", "0"], err(rank0));
        c.expect(&["LPOS", "l", "c", "RANK", "x"], err(NOT_INT));
        c.expect(
            &["LPOS", "l", "c", "COUNT", "-1"],
            err("ERR COUNT can't be negative"),
        );
        c.expect(
            &["LPOS", "l", "c", "COUNT", "x"],
            err("ERR COUNT can't be negative"),
        );
        c.expect(
            &["LPOS", "l", "c", "MAXLEN", "-1"],
            err("ERR MAXLEN can't be negative"),
        );
        c.expect(
            &["LPOS", "l", "c", "MAXLEN", "x"],
            err("ERR MAXLEN can't be negative"),
        );
        c.expect(&["LPOS", "l", "c", "RANK"], err(SYNTAX));
        c.expect(&["LPOS", "l", "c", "FOO", "1"], err(SYNTAX));
        c.expect(&["LPOS", "missing", "c"], nil());
        c.expect(&["LPOS", "missing", "c", "COUNT", "1"], arr(vec![]));
        c.expect(&["LPOS", "l"], err(&arity("lpos")));
        c.set("s", "v");
        c.expect(&["LPOS", "s", "c"], err(WRONGTYPE));
        c.expect(
            &["LPOS", "s", "c", "COUNT", "x"],
            err("ERR COUNT can't be negative"),
        );
    });
}

#[test]
fn lmove_and_rpoplpush() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["RPUSH", "src", "a", "b", "c"], int(3));
        c.expect(&["RPOPLPUSH", "src", "dst"], bulk("c"));
        c.expect(&["LMOVE", "src", "dst", "LEFT", "RIGHT"], bulk("a"));
        c.expect(&["LMOVE", "dst", "dst", "left", "right"], bulk("c"));
        c.expect(&["LRANGE", "dst", "0", "-1"], strs(&["a", "c"]));
        c.expect(&["LMOVE", "dst", "dst", "RIGHT", "LEFT"], bulk("c"));
        c.expect(&["LMOVE", "src", "dst", "RIGHT", "RIGHT"], bulk("b"));
        c.expect(&["EXISTS", "src"], int(0));
        c.expect(&["LRANGE", "dst", "0", "-1"], strs(&["c", "a", "b"]));
        c.expect(&["LMOVE", "dst", "src", "LEFT", "LEFT"], bulk("c"));
        c.expect(&["LRANGE", "src", "0", "-1"], strs(&["c"]));
        // A one-element list rotated onto itself survives.
        c.expect(&["RPOPLPUSH", "src", "src"], bulk("c"));
        c.expect(&["LRANGE", "src", "0", "-1"], strs(&["c"]));
        c.expect(&["RPOPLPUSH", "missing", "dst"], nil());
        c.expect(&["LMOVE", "missing", "dst", "LEFT", "LEFT"], nil());
        c.expect(&["EXISTS", "missing"], int(0));
        c.expect(&["LMOVE", "src", "dst", "UP", "LEFT"], err(SYNTAX));
        c.expect(&["LMOVE", "src", "dst", "LEFT", "DOWN"], err(SYNTAX));
        c.expect(&["LMOVE", "missing", "dst", "LEFT", "DOWN"], err(SYNTAX));
        c.expect(&["LMOVE", "src", "dst", "LEFT"], err(&arity("lmove")));
        c.expect(&["RPOPLPUSH", "src"], err(&arity("rpoplpush")));
        c.set("s", "v");
        c.expect(&["RPOPLPUSH", "s", "dst"], err(WRONGTYPE));
        c.expect(&["RPOPLPUSH", "missing", "s"], nil());
        // The destination's type is checked before popping.
        c.expect(&["RPOPLPUSH", "src", "s"], err(WRONGTYPE));
        c.expect(&["LMOVE", "src", "s", "LEFT", "LEFT"], err(WRONGTYPE));
        c.expect(&["LRANGE", "src", "0", "-1"], strs(&["c"]));
        c.expect(&["LMOVE", "src", "new", "LEFT", "LEFT"], bulk("c"));
        c.expect(&["EXISTS", "src"], int(0));
        c.expect(&["LRANGE", "new", "0", "-1"], strs(&["c"]));
    });
}

#[test]
fn resp3_shapes() {
    each_server(|s| {
        let mut c = s.connect();
        let _ = c.cmd(&["HELLO", "3"]);
        c.expect(&["RPUSH", "l", "a", "b", "a"], int(3));
        c.expect(&["LPOP", "missing"], null());
        c.expect(&["LPOP", "missing", "2"], null());
        c.expect(&["RPOP", "l", "0"], arr(vec![]));
        c.expect(&["LINDEX", "l", "7"], null());
        c.expect(&["LPOS", "l", "z"], null());
        c.expect(&["LPOS", "missing", "z"], null());
        c.expect(&["LPOS", "l", "a", "COUNT", "0"], ints(&[0, 2]));
        c.expect(&["LMPOP", "1", "missing", "LEFT"], null());
        c.expect(
            &["LMPOP", "1", "l", "LEFT"],
            arr(vec![bulk("l"), strs(&["a"])]),
        );
        c.expect(&["RPOPLPUSH", "missing", "l"], null());
        c.expect(&["LMOVE", "missing", "l", "LEFT", "LEFT"], null());
        c.expect(&["LRANGE", "l", "0", "-1"], strs(&["b", "a"]));
    });
}

/// A list long enough to span many nodes: index access, updates and inserts in the
/// middle, trims and removals must agree with Redis everywhere.
#[test]
fn big_list_across_nodes() {
    each_server(|s| {
        let mut c = s.connect();
        let mut model: Vec<String> = Vec::new();
        let mut cmds = Vec::new();
        for chunk in 0..50 {
            let mut cmd = vec!["RPUSH".to_string(), "big".to_string()];
            for i in 0..200 {
                let n = chunk * 200 + i;
                let v = match n % 4 {
                    0 => n.to_string(),
                    1 => format!("value-{n}"),
                    2 => "y".repeat(n % 300),
                    _ => format!("-{}", n * 1_000_003),
                };
                model.push(v.clone());
                cmd.push(v);
            }
            cmds.push(cmd);
        }
        for (i, r) in c.pipeline(&cmds).into_iter().enumerate() {
            assert_eq!(r, int(200 * (i as i64 + 1)));
        }
        c.expect(&["LLEN", "big"], int(10_000));
        for i in [0usize, 1, 199, 200, 4321, 5000, 9998, 9999] {
            c.expect(&["LINDEX", "big", &i.to_string()], bulk(&model[i]));
            let neg = -(10_000 - i as i64);
            c.expect(&["LINDEX", "big", &neg.to_string()], bulk(&model[i]));
        }
        c.expect(
            &["LRANGE", "big", "4990", "5009"],
            bulks(&model[4990..5010]),
        );
        let full = c.cmd(&["LRANGE", "big", "0", "-1"]);
        assert_eq!(full, bulks(&model));
        // Updates and inserts in the middle, big and small.
        let big = "z".repeat(20_000);
        c.expect(&["LSET", "big", "5000", &big], ok());
        model[5000] = big.clone();
        c.expect(&["LSET", "big", "5001", "7"], ok());
        model[5001] = "7".into();
        c.expect(
            &["LINSERT", "big", "BEFORE", &model[7000].clone(), "ins"],
            int(10_001),
        );
        model.insert(7000, "ins".into());
        c.expect(&["LINSERT", "big", "AFTER", &big, &big], int(10_002));
        model.insert(5001, big.clone());
        c.expect(
            &["LRANGE", "big", "4995", "5010"],
            bulks(&model[4995..5011]),
        );
        c.expect(&["LPOS", "big", "ins"], int(7001));
        c.expect(&["LPOS", "big", &big, "COUNT", "0"], ints(&[5000, 5001]));
        c.expect(&["LREM", "big", "0", &big], int(2));
        model.retain(|v| *v != big);
        let removed = model.iter().filter(|v| v.len() == 299).count() as i64;
        c.expect(&["LREM", "big", "0", &"y".repeat(299)], int(removed));
        model.retain(|v| v.len() != 299);
        c.expect(&["LTRIM", "big", "1000", "-1000"], ok());
        let n = model.len();
        model = model[1000..n - 999].to_vec();
        c.expect(&["LLEN", "big"], int(model.len() as i64));
        assert_eq!(c.cmd(&["LRANGE", "big", "0", "-1"]), bulks(&model));
        c.expect(&["LPOP", "big", "3000"], bulks(&model[..3000]));
        model.drain(..3000);
        let tail: Vec<String> = model.iter().rev().take(2000).cloned().collect();
        c.expect(&["RPOP", "big", "2000"], bulks(&tail));
        model.truncate(model.len() - 2000);
        assert_eq!(c.cmd(&["LRANGE", "big", "0", "-1"]), bulks(&model));
    });
}

/// Lists are always "quicklist" in Redis 7.0, whatever list-max-listpack-size says;
/// every fill setting gives the same replies.
#[test]
fn node_size_settings() {
    for fill in ["-5", "-1", "1", "2", "5"] {
        each_server(|s| {
            let mut c = s.connect();
            c.ok(&["CONFIG", "SET", "list-max-listpack-size", fill]);
            c.expect(
                &["CONFIG", "GET", "list-max-ziplist-size"],
                strs(&["list-max-ziplist-size", fill]),
            );
            for n in 1..=6 {
                c.expect(&["RPUSH", "l", &n.to_string()], int(n));
                c.expect(&["OBJECT", "ENCODING", "l"], bulk("quicklist"));
            }
            c.expect(&["LINSERT", "l", "AFTER", "3", "x"], int(7));
            c.expect(&["LSET", "l", "1", &"w".repeat(5000)], ok());
            c.expect(&["LREM", "l", "0", "5"], int(1));
            c.expect(&["LPUSH", "l", "h"], int(7));
            c.expect(
                &["LRANGE", "l", "0", "-1"],
                strs(&["h", "1", &"w".repeat(5000), "3", "x", "4", "6"]),
            );
            c.expect(&["LINDEX", "l", "-3"], bulk("x"));
        });
    }
}

/// Elements around the node byte limits (4 KB, 8 KB, 64 KB) get their own nodes or
/// share one; either way every command sees the same list.
#[test]
fn elements_at_node_size_limits() {
    let sizes = [
        4094usize, 4095, 4096, 4097, 8190, 8191, 8192, 8193, 65535, 65536, 65537,
    ];
    for fill in ["-2", "-1", "-5"] {
        each_server(|s| {
            let mut c = s.connect();
            c.ok(&["CONFIG", "SET", "list-max-listpack-size", fill]);
            let vals: Vec<String> = sizes.iter().map(|&n| "s".repeat(n)).collect();
            for (i, v) in vals.iter().enumerate() {
                c.expect(&["RPUSH", "l", "a"], int(2 * i as i64 + 1));
                c.expect(&["RPUSH", "l", v], int(2 * i as i64 + 2));
            }
            c.expect(&["OBJECT", "ENCODING", "l"], bulk("quicklist"));
            c.expect(&["LINDEX", "l", "7"], bulk(&vals[3]));
            c.expect(&["LSET", "l", "9", &vals[10]], ok());
            c.expect(&["LINSERT", "l", "AFTER", &vals[5], "mid"], int(23));
            c.expect(&["LPOS", "l", "mid"], int(12));
            c.expect(&["LREM", "l", "0", "a"], int(11));
            let mut want: Vec<&str> = vals.iter().map(|v| v.as_str()).collect();
            want[4] = &vals[10];
            want.insert(6, "mid");
            c.expect(&["LRANGE", "l", "0", "-1"], strs(&want));
            c.expect(&["LTRIM", "l", "2", "-3"], ok());
            c.expect(&["LRANGE", "l", "0", "-1"], strs(&want[2..want.len() - 2]));
        });
    }
}

/// A big list goes away with DEL or UNLINK (the latter frees it on a helper thread).
#[test]
fn big_list_deletion() {
    each_server(|s| {
        let mut c = s.connect();
        let cmds: Vec<Vec<String>> = (0..2000)
            .map(|i| {
                let mut w = vec!["RPUSH".to_string(), format!("l{}", i % 2)];
                w.extend((0..100).map(|j| format!("{i}-{j}")));
                w
            })
            .collect();
        for r in c.pipeline(&cmds) {
            assert!(r.as_int().is_some(), "{r:?}");
        }
        c.expect(&["LLEN", "l0"], int(100_000));
        c.expect(&["UNLINK", "l0"], int(1));
        c.expect(&["DEL", "l1"], int(1));
        c.expect(&["DBSIZE"], int(0));
        c.expect(&["RPUSH", "l0", "x"], int(1));
    });
}

#[test]
fn generic_key_commands_on_lists() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["RPUSH", "l", "a", "b"], int(2));
        c.set("s", "v");
        c.expect(
            &["SCAN", "0", "TYPE", "list"],
            arr(vec![bulk("0"), strs(&["l"])]),
        );
        c.expect(&["COPY", "l", "l2"], int(1));
        c.expect(&["RPUSH", "l2", "c"], int(3));
        c.expect(&["LRANGE", "l", "0", "-1"], strs(&["a", "b"]));
        c.expect(&["LRANGE", "l2", "0", "-1"], strs(&["a", "b", "c"]));
        c.expect(&["OBJECT", "ENCODING", "l2"], bulk("quicklist"));
        c.expect(&["RENAME", "l2", "l3"], ok());
        c.expect(&["LLEN", "l3"], int(3));
        c.expect(&["TYPE", "l3"], status("list"));
        c.expect(&["EXPIRE", "l3", "100"], int(1));
        c.expect(&["RPUSH", "l3", "d"], int(4));
        c.expect(&["TTL", "l3"], int(100));
        c.expect(&["PEXPIRE", "l3", "1"], int(1));
        wait_for(secs(2), || c.cmd(&["EXISTS", "l3"]) == int(0));
        c.expect(&["LLEN", "l3"], int(0));
        c.expect(&["MOVE", "l", "1"], int(1));
        c.expect(&["SELECT", "1"], ok());
        c.expect(&["LRANGE", "l", "0", "-1"], strs(&["a", "b"]));
        c.expect(&["DEL", "l"], int(1));
        c.expect(&["LLEN", "l"], int(0));
    });
}

/// Each command counts the same number of changes for persistence as in Redis
/// (INFO persistence rdb_changes_since_last_save).
#[test]
fn change_counter_matches_redis() {
    let script: &[&[&str]] = &[
        &["RPUSH", "l", "a", "b", "c", "d", "e", "f", "a"],
        &["LPUSH", "l", "x", "y"],
        &["LPUSHX", "l", "z"],
        &["RPUSHX", "missing", "z"],
        &["LPOP", "l"],
        &["RPOP", "l", "2"],
        &["LPOP", "l", "0"],
        &["LPOP", "missing"],
        &["LSET", "l", "0", "q"],
        &["LINSERT", "l", "BEFORE", "b", "n"],
        &["LINSERT", "l", "BEFORE", "nope", "n"],
        &["LREM", "l", "0", "c"],
        &["LREM", "l", "0", "nope"],
        &["LTRIM", "l", "1", "-2"],
        &["LTRIM", "l", "0", "-1"],
        &["LMOVE", "l", "m", "LEFT", "RIGHT"],
        &["RPOPLPUSH", "l", "l"],
        &["LMPOP", "2", "missing", "l", "LEFT", "COUNT", "2"],
        &["LMPOP", "1", "missing", "LEFT"],
        &["LTRIM", "m", "5", "1"],
    ];
    same_on_every_server(|c| {
        let mut out = Vec::new();
        for cmd in script {
            let reply = c.cmd(cmd);
            let info = c.cmd(&["INFO", "persistence"]).str_val();
            let changes = info_field(&info, "rdb_changes_since_last_save");
            out.push((
                cmd.join(" "),
                arr(vec![reply, bulk(changes.unwrap_or_default())]),
            ));
        }
        out
    });
}

/// Writes look the key up as Redis's lookupKeyWrite does: OBJECT IDLETIME restarts.
#[test]
fn writes_refresh_idle_time() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["RPUSH", "l", "a", "b"], int(2));
        std::thread::sleep(millis(2100));
        assert!(c.cmd(&["OBJECT", "IDLETIME", "l"]).int_val() >= 1);
        c.expect(&["LREM", "l", "0", "nope"], int(0));
        c.expect(&["OBJECT", "IDLETIME", "l"], int(0));
    });
}

#[test]
fn command_introspection_matches_redis() {
    let names = [
        "lindex",
        "linsert",
        "llen",
        "lmove",
        "lmpop",
        "lpop",
        "lpos",
        "lpush",
        "lpushx",
        "lrange",
        "lrem",
        "lset",
        "ltrim",
        "rpop",
        "rpoplpush",
        "rpush",
        "rpushx",
    ];
    same_on_every_server(|c| {
        let mut out = Vec::new();
        for resp in ["2", "3"] {
            let _ = c.cmd(&["HELLO", resp]);
            for name in names {
                for sub in ["INFO", "DOCS"] {
                    out.push((
                        format!("COMMAND {sub} {name}"),
                        c.cmd(&["COMMAND", sub, name]),
                    ));
                }
            }
            let calls: &[&[&str]] = &[
                &["COMMAND", "GETKEYS", "LMPOP", "2", "a", "b", "LEFT"],
                &["COMMAND", "GETKEYS", "LMPOP", "0", "a", "LEFT"],
                &["COMMAND", "GETKEYS", "LMPOP", "3", "a", "LEFT"],
                &["COMMAND", "GETKEYS", "LMPOP", "x", "a", "LEFT"],
                &["COMMAND", "GETKEYSANDFLAGS", "LMPOP", "2", "a", "b", "LEFT"],
                &[
                    "COMMAND",
                    "GETKEYSANDFLAGS",
                    "LMOVE",
                    "a",
                    "b",
                    "LEFT",
                    "RIGHT",
                ],
                &["COMMAND", "GETKEYSANDFLAGS", "RPOPLPUSH", "a", "b"],
                &["COMMAND", "GETKEYSANDFLAGS", "LPUSH", "a", "b", "c"],
                &["COMMAND", "GETKEYS", "RPOPLPUSH", "a", "b"],
            ];
            for call in calls {
                out.push((call.join(" "), c.cmd(call)));
            }
        }
        out
    });
}

/// A tiny deterministic generator (xorshift64), so every server gets the same script.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
    fn key(&mut self) -> String {
        format!("k{}", self.below(4))
    }
    fn value(&mut self) -> String {
        match self.below(6) {
            0 => self.below(20).to_string(),
            1 => format!("-{}", self.below(70_000)),
            2 => "abc"[..self.below(4) as usize].to_string(),
            3 => "v".repeat(self.below(600) as usize),
            4 => format!("0{}", self.below(5)),
            _ => self.pick(&["a", "b", "c"]).to_string(),
        }
    }
    fn index(&mut self) -> String {
        (self.below(60) as i64 - 30).to_string()
    }
    fn side(&mut self) -> String {
        self.pick(&["LEFT", "RIGHT"]).to_string()
    }
}

fn random_command(g: &mut Gen) -> Vec<String> {
    let k = g.key();
    let mut w: Vec<String> = match g.below(24) {
        0..=3 => {
            let mut w = vec![g.pick(&["LPUSH", "RPUSH", "LPUSHX", "RPUSHX"]).into(), k];
            for _ in 0..=g.below(40) {
                w.push(g.value());
            }
            w
        }
        4 => vec![g.pick(&["LPOP", "RPOP"]).into(), k],
        5 => vec![g.pick(&["LPOP", "RPOP"]).into(), k, g.below(5).to_string()],
        6 => vec!["LLEN".into(), k],
        7 => vec!["LINDEX".into(), k, g.index()],
        8 | 9 => vec!["LRANGE".into(), k, g.index(), g.index()],
        10 => vec!["LSET".into(), k, g.index(), g.value()],
        11 => vec![
            "LINSERT".into(),
            k,
            g.pick(&["BEFORE", "AFTER"]).into(),
            g.value(),
            g.value(),
        ],
        12 => vec![
            "LREM".into(),
            k,
            (g.below(7) as i64 - 3).to_string(),
            g.value(),
        ],
        13 => vec!["LTRIM".into(), k, g.index(), g.index()],
        14 | 15 => {
            let mut w = vec!["LPOS".into(), k, g.value()];
            if g.below(2) == 0 {
                w.extend(["RANK".into(), (g.below(7) as i64 - 3).to_string()]);
            }
            if g.below(2) == 0 {
                w.extend(["COUNT".into(), g.below(4).to_string()]);
            }
            if g.below(2) == 0 {
                w.extend(["MAXLEN".into(), g.below(30).to_string()]);
            }
            w
        }
        16 => vec!["LMOVE".into(), k, g.key(), g.side(), g.side()],
        17 => vec!["RPOPLPUSH".into(), k, g.key()],
        18 => {
            let mut w = vec!["LMPOP".into(), "2".into(), k, g.key(), g.side()];
            if g.below(2) == 0 {
                w.extend(["COUNT".into(), (g.below(5) + 1).to_string()]);
            }
            w
        }
        // Now and then a string gets in the way (WRONGTYPE paths), DEL clears it.
        19 if g.below(6) == 0 => vec!["SET".into(), k, "str".into()],
        19 | 20 => vec!["DEL".into(), k],
        21 => vec!["EXISTS".into(), k],
        _ => vec!["LRANGE".into(), k, "0".into(), "-1".into()],
    };
    w.shrink_to_fit();
    w
}

/// A few thousand mixed list commands (with a few string keys in the way) sent to
/// both servers, at two node sizes; every reply must be the same.
#[test]
fn random_operations_match_redis() {
    for (seed, fill) in [(0x5EED_1157_u64, "-2"), (0xC0FF_EE00_u64, "3")] {
        same_on_every_server(|c| {
            c.ok(&["CONFIG", "SET", "list-max-listpack-size", fill]);
            let mut g = Gen(seed);
            let cmds: Vec<Vec<String>> = (0..3000).map(|_| random_command(&mut g)).collect();
            let replies = c.pipeline(&cmds);
            let mut out: Vec<(String, Reply)> =
                cmds.iter().map(|w| w.join(" ")).zip(replies).collect();
            for k in 0..4 {
                let key = format!("k{k}");
                out.push((format!("final {key}"), c.cmd(&["LRANGE", &key, "0", "-1"])));
            }
            out
        });
    }
}
