//! Stream commands: XADD XRANGE XREVRANGE XLEN XDEL XTRIM XSETID XREAD, their
//! errors, RESP3 shapes, node boundaries and `~` trimming at several node sizes,
//! blocked XREAD clients, keyspace events, the generic key commands on streams, and
//! a seeded random differential run.

use crate::support::*;
use std::time::Instant;

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_INT: &str = "ERR value is not an integer or out of range";
const SYNTAX: &str = "ERR syntax error";
const INVALID: &str = "ERR Invalid stream ID specified as stream command argument";
const SMALLER: &str =
    "ERR The ID specified in XADD is equal or smaller than the target stream top item";

fn arity(cmd: &str) -> String {
    format!("ERR wrong number of arguments for '{cmd}' command")
}

/// One entry as XRANGE replies it.
fn entry(id: &str, fields: &[&str]) -> Reply {
    arr(vec![bulk(id), bulks(fields)])
}

/// Runs each command and records its reply.
fn record(c: &mut Conn, out: &mut Vec<(String, Reply)>, cmds: &[&[&str]]) {
    for cmd in cmds {
        out.push((cmd.join(" "), c.cmd(cmd)));
    }
}

#[test]
fn add_and_range() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["XADD", "s", "1-1", "a", "1"], bulk("1-1"));
        c.expect(&["XADD", "s", "1-2", "a", "2", "b", "3"], bulk("1-2"));
        c.expect(&["XADD", "s", "1-*", "a", "3"], bulk("1-3"));
        c.expect(&["XADD", "s", "2", "x", "y"], bulk("2-0"));
        c.expect(&["XADD", "s", "5-*", "n", "12345"], bulk("5-0"));
        c.expect(&["XLEN", "s"], int(5));
        let all = vec![
            entry("1-1", &["a", "1"]),
            entry("1-2", &["a", "2", "b", "3"]),
            entry("1-3", &["a", "3"]),
            entry("2-0", &["x", "y"]),
            entry("5-0", &["n", "12345"]),
        ];
        c.expect(&["XRANGE", "s", "-", "+"], arr(all.clone()));
        let mut rev = all.clone();
        rev.reverse();
        c.expect(&["XREVRANGE", "s", "+", "-"], arr(rev.clone()));
        c.expect(
            &["XRANGE", "s", "-", "+", "COUNT", "2"],
            arr(all[..2].to_vec()),
        );
        c.expect(
            &["XREVRANGE", "s", "+", "-", "COUNT", "2"],
            arr(rev[..2].to_vec()),
        );
        c.expect(&["XRANGE", "s", "-", "+", "COUNT", "-3"], nil_arr());
        c.expect(
            &["XRANGE", "s", "-", "+", "COUNT", "1", "COUNT", "3"],
            arr(all[..3].to_vec()),
        );
        // Incomplete ids: a start without sequence means -0, an end -max.
        c.expect(&["XRANGE", "s", "1", "1"], arr(all[..3].to_vec()));
        c.expect(
            &["XREVRANGE", "s", "2", "1-2"],
            arr(vec![rev[1].clone(), rev[2].clone(), rev[3].clone()]),
        );
        // Exclusive bounds.
        c.expect(&["XRANGE", "s", "(1-1", "(2"], arr(all[1..4].to_vec()));
        c.expect(&["XRANGE", "s", "(1-3", "+"], arr(all[3..].to_vec()));
        c.expect(
            &["XREVRANGE", "s", "(5-0", "(1-3"],
            arr(vec![all[3].clone()]),
        );
        c.expect(&["XRANGE", "s", "(0-0", "(1-2"], arr(vec![all[0].clone()]));
        c.expect(
            &[
                "XRANGE",
                "s",
                "-",
                "(18446744073709551615-18446744073709551615",
            ],
            arr(all.clone()),
        );
        c.expect(&["XRANGE", "s", "3", "2"], arr(vec![]));
        // Lenient id parts, as strtoull reads them.
        c.expect(&["XRANGE", "s", "01", "+1"], arr(all[..3].to_vec()));
        c.expect(&["XRANGE", "s", " 2", "2-0"], arr(vec![all[3].clone()]));
        // COUNT 0: a null array for an existing key, an empty one for a missing key.
        c.expect(&["XRANGE", "s", "-", "+", "COUNT", "0"], nil_arr());
        c.expect(&["XREVRANGE", "s", "+", "-", "COUNT", "0"], nil_arr());
        c.expect(&["XRANGE", "nokey", "-", "+", "COUNT", "0"], arr(vec![]));
        c.expect(&["XRANGE", "nokey", "-", "+"], arr(vec![]));
        c.expect(&["XLEN", "nokey"], int(0));
    });
}

#[test]
fn range_errors() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["XADD", "s", "1-1", "a", "1"], bulk("1-1"));
        for (cmd, e) in [
            (&["XRANGE", "s", "(-", "+"][..], INVALID.to_string()),
            (&["XRANGE", "s", "-", "(+"], INVALID.into()),
            (&["XRANGE", "s", "(", "+"], INVALID.into()),
            (&["XRANGE", "s", "-01", "+"], INVALID.into()),
            (&["XRANGE", "s", "1-*", "+"], INVALID.into()),
            (&["XRANGE", "s", "1-2-3", "+"], INVALID.into()),
            (&["XRANGE", "s", "", "+"], INVALID.into()),
            (&["XRANGE", "s", "1-", "+"], INVALID.into()),
            (
                &["XRANGE", "s", "18446744073709551616", "+"],
                INVALID.into(),
            ),
            (
                &["XRANGE", "s", "-", "(0-0"],
                "ERR invalid end ID for the interval".into(),
            ),
            (
                &[
                    "XRANGE",
                    "s",
                    "(18446744073709551615-18446744073709551615",
                    "+",
                ],
                "ERR invalid start ID for the interval".into(),
            ),
            (&["XRANGE", "s", "-", "+", "COUNT"], SYNTAX.into()),
            (&["XRANGE", "s", "-", "+", "foo"], SYNTAX.into()),
            (&["XRANGE", "s", "-", "+", "COUNT", "x"], NOT_INT.into()),
            (&["XRANGE", "s", "-"], arity("xrange")),
            (&["XREVRANGE", "s", "+"], arity("xrevrange")),
            (&["XLEN"], arity("xlen")),
            (&["XLEN", "s", "x"], arity("xlen")),
        ] {
            c.expect(cmd, err(&e));
        }
        // The ids are parsed before the key is looked up.
        c.ok(&["SET", "str", "x"]);
        c.expect(&["XRANGE", "str", "x", "+"], err(INVALID));
        c.expect(&["XRANGE", "str", "-", "+"], err(WRONGTYPE));
        c.expect(&["XREVRANGE", "str", "+", "-"], err(WRONGTYPE));
        c.expect(&["XLEN", "str"], err(WRONGTYPE));
        c.expect(&["XRANGE", &"1".repeat(128), "-", "+"], arr(vec![]));
        c.expect(&["XRANGE", "s", &"1".repeat(128), "+"], err(INVALID));
    });
}

#[test]
fn add_errors_and_options() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["XADD", "s", "1-1", "a", "1"], bulk("1-1"));
        for (cmd, e) in [
            (
                &["XADD", "s", "0-0", "a", "1"][..],
                "ERR The ID specified in XADD must be greater than 0-0".to_string(),
            ),
            (
                &["XADD", "s", "0", "a", "1"],
                "ERR The ID specified in XADD must be greater than 0-0".into(),
            ),
            (&["XADD", "s", "0-*", "a", "1"], SMALLER.into()),
            (&["XADD", "s", "1-1", "a", "1"], SMALLER.into()),
            (&["XADD", "s", "1-0", "a", "1"], SMALLER.into()),
            (&["XADD", "s", "1-1", "a"], arity("xadd")),
            (&["XADD", "s", "*", "a", "1", "b"], arity("xadd")),
            (&["XADD", "s", "nomkstream", "*"], arity("xadd")),
            (&["XADD", "s", "*", "a"], arity("xadd")),
            (&["XADD", "s", "foo", "a", "1"], INVALID.into()),
            (&["XADD", "s", "-", "a", "1"], INVALID.into()),
            (&["XADD", "s", "+", "a", "1"], INVALID.into()),
            (&["XADD", "s", "1-**", "a", "1"], INVALID.into()),
            (
                &["XADD", "s", "maxlen", "-1", "*", "a", "1"],
                "ERR The MAXLEN argument must be >= 0.".into(),
            ),
            (&["XADD", "s", "maxlen", "x", "*", "a", "1"], NOT_INT.into()),
            (
                &["XADD", "s", "maxlen", "~", "x", "*", "a", "1"],
                NOT_INT.into(),
            ),
            (&["XADD", "s", "minid", "x", "*", "a", "1"], INVALID.into()),
            (&["XADD", "s", "minid", "-", "*", "a", "1"], INVALID.into()),
            (
                &["XADD", "s", "maxlen", "1", "minid", "1", "*", "a", "1"],
                "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"
                    .into(),
            ),
            (
                &["XADD", "s", "maxlen", "1", "maxlen", "2", "*", "a", "1"],
                "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"
                    .into(),
            ),
            (
                &["XADD", "s", "maxlen", "10", "limit", "5", "*", "a", "1"],
                "ERR syntax error, LIMIT cannot be used without the special ~ option".into(),
            ),
            (
                &["XADD", "s", "limit", "5", "*", "a", "1"],
                "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"
                    .into(),
            ),
            (
                &["XADD", "s", "limit", "0", "*", "a", "1"],
                "ERR syntax error, LIMIT cannot be used without the special ~ option".into(),
            ),
            (
                &["XADD", "s", "limit", "-1", "*", "a", "1"],
                "ERR The LIMIT argument must be >= 0.".into(),
            ),
            (&["XADD", "s", "limit", "x", "*", "a", "1"], NOT_INT.into()),
            (&["XADD", "s"], arity("xadd")),
        ] {
            c.expect(cmd, err(&e));
        }
        // NOMKSTREAM on a missing key: null, and no key.
        c.expect(&["XADD", "nokey", "NOMKSTREAM", "*", "a", "1"], nil());
        c.expect(&["EXISTS", "nokey"], int(0));
        c.expect(
            &["XADD", "s", "NOMKSTREAM", "NOMKSTREAM", "2-1", "a", "1"],
            bulk("2-1"),
        );
        c.expect(&["XADD", "s", "2-*", "a", "1"], bulk("2-2"));
        c.expect(
            &[
                "XADD", "s", "MAXLEN", "~", "10", "LIMIT", "5", "3-0", "a", "1",
            ],
            bulk("3-0"),
        );
        c.expect(
            &[
                "XADD", "s", "MINID", "~", "0", "LIMIT", "1", "4-0", "a", "1",
            ],
            bulk("4-0"),
        );
        c.expect(
            &["XADD", "s", "maxlen", "=", "3", "5-0", "a", "1"],
            bulk("5-0"),
        );
        c.expect(&["XLEN", "s"], int(3));
        c.expect(&["XADD", "s", "MINID", "5", "6-0", "a", "1"], bulk("6-0"));
        c.expect(&["XLEN", "s"], int(2));
        // The largest ids, then the stream is exhausted.
        c.expect(
            &["XADD", "s", "18446744073709551615-*", "a", "1"],
            bulk("18446744073709551615-0"),
        );
        c.expect(
            &[
                "XADD",
                "s",
                "18446744073709551615-18446744073709551615",
                "a",
                "1",
            ],
            bulk("18446744073709551615-18446744073709551615"),
        );
        for id in ["*", "18446744073709551615-*", "1-1"] {
            c.expect(
                &["XADD", "s", id, "a", "1"],
                err("ERR The stream has exhausted the last possible ID, unable to add more items"),
            );
        }
        // Wrong type: the options are parsed first.
        c.ok(&["SET", "str", "x"]);
        c.expect(&["XADD", "str", "foo", "a", "1"], err(INVALID));
        c.expect(&["XADD", "str", "*", "a", "1"], err(WRONGTYPE));
        c.expect(
            &["XADD", "str", "NOMKSTREAM", "*", "a", "1"],
            err(WRONGTYPE),
        );
        // A MAXLEN 0 trim leaves an empty stream, which stays.
        c.expect(&["XADD", "e", "MAXLEN", "0", "1-1", "a", "1"], bulk("1-1"));
        c.expect(&["XLEN", "e"], int(0));
        c.expect(&["EXISTS", "e"], int(1));
        c.expect(&["TYPE", "e"], status("stream"));
    });
}

#[test]
fn auto_ids_follow_the_clock_and_never_go_back() {
    each_server(|s| {
        let mut c = s.connect();
        let before = unix_now_ms();
        let id = c.cmd(&["XADD", "s", "*", "a", "1"]).str_val();
        let (ms, seq) = id.split_once('-').unwrap();
        let ms: u64 = ms.parse().unwrap();
        assert!(ms + 1000 >= before && ms <= unix_now_ms() + 1000, "{id}");
        assert_eq!(seq, "0");
        // Auto ids after an id in the future continue its sequence.
        let future = (ms + 10_000_000).to_string();
        c.expect(
            &["XADD", "s", &format!("{future}-5"), "a", "1"],
            bulk(format!("{future}-5")),
        );
        c.expect(&["XADD", "s", "*", "a", "1"], bulk(format!("{future}-6")));
        c.expect(
            &["XADD", "s", &format!("{future}-*"), "a", "1"],
            bulk(format!("{future}-7")),
        );
        let next = (ms + 10_000_001).to_string();
        c.expect(
            &["XADD", "s", &format!("{next}-*"), "a", "1"],
            bulk(format!("{next}-0")),
        );
        c.expect(
            &["XADD", "s", &format!("{future}-*"), "a", "1"],
            err(SMALLER),
        );
        // Many adds in a pipeline: strictly increasing.
        let cmds: Vec<Vec<&str>> = (0..200).map(|_| vec!["XADD", "t", "*", "f", "v"]).collect();
        let ids: Vec<(u64, u64)> = c
            .pipeline(&cmds)
            .iter()
            .map(|r| {
                let s = r.str_val();
                let (a, b) = s.split_once('-').unwrap();
                (a.parse().unwrap(), b.parse().unwrap())
            })
            .collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
        c.expect(&["XLEN", "t"], int(200));
    });
}

#[test]
fn delete_trim_and_setid() {
    each_server(|s| {
        let mut c = s.connect();
        for i in 1..=10 {
            c.cmd(&["XADD", "s", &format!("{i}-1"), "f", &i.to_string()]);
        }
        c.expect(&["XDEL", "s", "1-1", "1-1", "3-1", "99-1"], int(2));
        c.expect(&["XDEL", "s", "1-1"], int(0));
        c.expect(&["XDEL", "s", "2-1", "bad"], err(INVALID));
        c.expect(&["XLEN", "s"], int(8));
        c.expect(&["XDEL", "s", "2"], int(0));
        c.expect(&["XDEL", "s", "2-1"], int(1));
        c.expect(
            &["XRANGE", "s", "-", "+", "COUNT", "1"],
            arr(vec![entry("4-1", &["f", "4"])]),
        );
        c.expect(&["XDEL", "nokey", "bad"], int(0));
        c.expect(&["XDEL", "s"], err(&arity("xdel")));
        // XTRIM
        c.expect(&["XTRIM", "s", "MAXLEN", "5"], int(2));
        c.expect(
            &["XRANGE", "s", "-", "+", "COUNT", "1"],
            arr(vec![entry("6-1", &["f", "6"])]),
        );
        c.expect(&["XTRIM", "s", "MAXLEN", "=", "5"], int(0));
        c.expect(&["XTRIM", "s", "MINID", "8"], int(2));
        c.expect(&["XTRIM", "s", "MINID", "~", "100"], int(3));
        c.expect(&["XTRIM", "s", "MAXLEN", "~", "0"], int(0));
        c.expect(&["XLEN", "s"], int(0));
        c.expect(&["XTRIM", "nokey", "MAXLEN", "0"], int(0));
        for (cmd, e) in [
            (&["XTRIM", "s"][..], arity("xtrim")),
            (&["XTRIM", "s", "MAXLEN"], arity("xtrim")),
            (
                &["XTRIM", "s", "LIMIT", "5"],
                "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy"
                    .into(),
            ),
            (&["XTRIM", "s", "LIMIT", "0", "x"], SYNTAX.into()),
            (&["XTRIM", "s", "foo", "1"], SYNTAX.into()),
            (&["XTRIM", "s", "MAXLEN", "1", "foo"], SYNTAX.into()),
            (
                &[
                    "XTRIM", "s", "MAXLEN", "~", "1", "LIMIT", "10", "LIMIT", "x",
                ],
                NOT_INT.into(),
            ),
            (
                &["XTRIM", "s", "MAXLEN", "1", "LIMIT", "10"],
                "ERR syntax error, LIMIT cannot be used without the special ~ option".into(),
            ),
            (
                &["XTRIM", "s", "MAXLEN", "-1"],
                "ERR The MAXLEN argument must be >= 0.".into(),
            ),
            (&["XTRIM", "s", "MINID", "+"], INVALID.into()),
            (
                &["XTRIM", "s", "MAXLEN", "1", "MINID", "1"],
                "ERR syntax error, MAXLEN and MINID options at the same time are not compatible"
                    .into(),
            ),
            (&["XTRIM", "s", "*", "1"], SYNTAX.into()),
        ] {
            c.expect(cmd, err(&e));
        }
        c.expect(&["XTRIM", "s", "MAXLEN", "~", "1", "LIMIT", "0"], int(0));
        // XSETID
        c.expect(&["XSETID", "s", "20-0"], ok());
        c.expect(&["XADD", "s", "20-0", "a", "1"], err(SMALLER));
        c.expect(&["XADD", "s", "20-*", "a", "1"], bulk("20-1"));
        c.expect(
            &["XSETID", "s", "20-0"],
            err("ERR The ID specified in XSETID is smaller than the target stream top item"),
        );
        c.expect(&["XSETID", "s", "20-1"], ok());
        c.expect(&["XSETID", "s", "30", "ENTRIESADDED", "0"], err("ERR The entries_added specified in XSETID is smaller than the target stream length"));
        c.expect(
            &[
                "XSETID",
                "s",
                "30",
                "ENTRIESADDED",
                "1",
                "MAXDELETEDID",
                "25",
            ],
            ok(),
        );
        assert!(!c.cmd(&["XADD", "s", "*", "a", "1"]).is_error());
        for (cmd, e) in [
            (&["XSETID", "nokey", "1"][..], "ERR no such key".to_string()),
            (
                &["XSETID", "s", "5", "MAXDELETEDID", "6"],
                "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id"
                    .into(),
            ),
            (
                &["XSETID", "s", "5", "ENTRIESADDED", "-1"],
                "ERR entries_added must be positive".into(),
            ),
            (&["XSETID", "s", "5", "ENTRIESADDED", "x"], NOT_INT.into()),
            (&["XSETID", "s", "5", "foo"], SYNTAX.into()),
            (&["XSETID", "s", "5", "ENTRIESADDED"], SYNTAX.into()),
            (&["XSETID", "s", "+"], INVALID.into()),
            (&["XSETID", "s", "5-*"], INVALID.into()),
            (&["XSETID", "s", "5", "MAXDELETEDID", "x"], INVALID.into()),
            (&["XSETID", "s"], arity("xsetid")),
        ] {
            c.expect(cmd, err(&e));
        }
        // Options are checked before the key.
        c.expect(&["XSETID", "nokey", "5", "foo"], err(SYNTAX));
        c.ok(&["SET", "str", "x"]);
        c.expect(&["XSETID", "str", "5"], err(WRONGTYPE));
        c.expect(&["XDEL", "str", "bad"], err(WRONGTYPE));
        c.expect(&["XTRIM", "str", "MAXLEN", "0"], err(WRONGTYPE));
        c.expect(&["XTRIM", "str", "MAXLEN", "x"], err(NOT_INT));
        // An empty stream may move its last id back.
        c.cmd(&["DEL", "e"]);
        c.expect(&["XADD", "e", "5-5", "a", "1"], bulk("5-5"));
        c.expect(&["XDEL", "e", "5-5"], int(1));
        c.expect(&["XSETID", "e", "1-1"], ok());
        c.expect(&["XADD", "e", "1-*", "a", "1"], bulk("1-2"));
    });
}

/// Node boundaries decide what `~` trimming removes: the lengths after XTRIM ~ and
/// XADD MAXLEN ~ / MINID ~ must equal Redis's at several node sizes.
#[test]
fn approximate_trimming_matches_redis() {
    let configs: &[(&str, &str)] = &[
        ("100", "4096"),
        ("10", "0"),
        ("0", "200"),
        ("7", "120"),
        ("3", "1000000"),
    ];
    same_on_every_server(|c| {
        let mut out = Vec::new();
        for (entries, bytes) in configs {
            c.ok(&["CONFIG", "SET", "stream-node-max-entries", entries]);
            c.ok(&["CONFIG", "SET", "stream-node-max-bytes", bytes]);
            c.cmd(&["DEL", "s"]);
            let mut cmds = Vec::new();
            for i in 1..=700u64 {
                let fields: Vec<String> = match i % 5 {
                    0 => vec!["f".into(), "v".repeat((i % 90) as usize)],
                    1 => vec!["f".into(), i.to_string(), "g".into(), "x".into()],
                    _ => vec!["f".into(), (i * 1000).to_string()],
                };
                let mut w = vec!["XADD".to_string(), "s".into(), format!("{i}-{}", i % 3)];
                w.extend(fields);
                cmds.push(w);
            }
            c.pipeline(&cmds);
            for cmd in [
                &["XDEL", "s", "1-1", "2-2", "5-2"][..],
                &["XTRIM", "s", "MAXLEN", "~", "650"],
                &["XLEN", "s"],
                &["XTRIM", "s", "MAXLEN", "~", "600", "LIMIT", "30"],
                &["XLEN", "s"],
                &["XTRIM", "s", "MINID", "~", "200"],
                &["XLEN", "s"],
                &["XTRIM", "s", "MAXLEN", "=", "450"],
                &["XTRIM", "s", "MAXLEN", "~", "440"],
                &["XLEN", "s"],
                &["XADD", "s", "MAXLEN", "~", "300", "800-0", "f", "v"],
                &["XLEN", "s"],
                &["XADD", "s", "MINID", "~", "500", "801-0", "f", "v"],
                &["XLEN", "s"],
                &["XRANGE", "s", "-", "+", "COUNT", "3"],
                &["XREVRANGE", "s", "+", "-", "COUNT", "3"],
                &["XTRIM", "s", "MINID", "=", "560"],
                &["XRANGE", "s", "-", "+", "COUNT", "2"],
                &["XTRIM", "s", "MAXLEN", "~", "0"],
                &["XLEN", "s"],
                &["XTRIM", "s", "MAXLEN", "0"],
                &["XLEN", "s"],
            ] {
                out.push((format!("{entries}/{bytes} {}", cmd.join(" ")), c.cmd(cmd)));
            }
        }
        out
    });
}

/// Without stream-node-max-entries, `~` trimming is capped at 10000 entries.
#[test]
fn approximate_trim_default_limit() {
    same_on_every_server(|c| {
        c.ok(&["CONFIG", "SET", "stream-node-max-entries", "0"]);
        c.ok(&["CONFIG", "SET", "stream-node-max-bytes", "60"]);
        let cmds: Vec<Vec<String>> = (1..=12000u64)
            .map(|i| {
                vec![
                    "XADD".into(),
                    "s".into(),
                    format!("{i}-0"),
                    "f".into(),
                    "v".into(),
                ]
            })
            .collect();
        c.pipeline(&cmds);
        let mut out = Vec::new();
        record(
            c,
            &mut out,
            &[
                &["XTRIM", "s", "MAXLEN", "~", "0"],
                &["XLEN", "s"],
                &["CONFIG", "SET", "stream-node-max-entries", "5"],
                &["XTRIM", "s", "MAXLEN", "~", "0"],
                &["XLEN", "s"],
            ],
        );
        out
    });
}

#[test]
fn xread_sync() {
    each_server(|s| {
        let mut c = s.connect();
        for i in 1..=5 {
            c.cmd(&["XADD", "a", &format!("{i}-0"), "f", &i.to_string()]);
        }
        c.cmd(&["XADD", "b", "10-0", "g", "x"]);
        c.expect(
            &["XREAD", "COUNT", "2", "STREAMS", "a", "b", "0", "0"],
            arr(vec![
                arr(vec![
                    bulk("a"),
                    arr(vec![entry("1-0", &["f", "1"]), entry("2-0", &["f", "2"])]),
                ]),
                arr(vec![bulk("b"), arr(vec![entry("10-0", &["g", "x"])])]),
            ]),
        );
        c.expect(
            &["XREAD", "STREAMS", "a", "b", "4", "$"],
            arr(vec![arr(vec![
                bulk("a"),
                arr(vec![entry("5-0", &["f", "5"])]),
            ])]),
        );
        c.expect(&["XREAD", "STREAMS", "a", "5-0"], nil_arr());
        c.expect(&["XREAD", "STREAMS", "nokey", "0"], nil_arr());
        c.expect(
            &["XREAD", "COUNT", "-5", "STREAMS", "b", "0"],
            arr(vec![arr(vec![
                bulk("b"),
                arr(vec![entry("10-0", &["g", "x"])]),
            ])]),
        );
        c.expect(
            &["XREAD", "COUNT", "0", "BLOCK", "0", "STREAMS", "b", "9"],
            arr(vec![arr(vec![
                bulk("b"),
                arr(vec![entry("10-0", &["g", "x"])]),
            ])]),
        );
        // Deleted entries after the id do not count.
        c.expect(&["XDEL", "a", "5-0"], int(1));
        c.expect(&["XREAD", "STREAMS", "a", "4-0"], nil_arr());
        for (cmd, e) in [
            (&["XREAD", "STREAMS", "a"][..], arity("xread")),
            (&["XREAD", "COUNT", "1"], arity("xread")),
            (&["XREAD", "COUNT", "1", "STREAMS", "a", "0", "1"], "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.".into()),
            (&["XREAD", "COUNT", "x", "STREAMS", "a", "0"], NOT_INT.into()),
            (&["XREAD", "BLOCK", "-1", "STREAMS", "a", "0"], "ERR timeout is negative".into()),
            (&["XREAD", "BLOCK", "1.5", "STREAMS", "a", "0"], "ERR timeout is not an integer or out of range".into()),
            (&["XREAD", "BLOCK", "x", "STREAMS", "a", "0"], "ERR timeout is not an integer or out of range".into()),
            (&["XREAD", "foo", "STREAMS", "a", "0"], SYNTAX.into()),
            (&["XREAD", "COUNT", "1", "STREAMS"], SYNTAX.into()),
            (&["XREAD", "COUNT", "1", "COUNT", "2"], SYNTAX.into()),
            (&["XREAD", "STREAMS", "a", ">"], "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.".into()),
            (&["XREAD", "GROUP", "g", "c", "STREAMS", "a", "0"], "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.".into()),
            (&["XREAD", "NOACK", "STREAMS", "a", "0"], "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.".into()),
            (&["XREAD", "STREAMS", "a", "+"], INVALID.into()),
            (&["XREAD", "STREAMS", "a", "-"], INVALID.into()),
            (&["XREAD", "STREAMS", "a", "b", "0", "x"], INVALID.into()),
        ] {
            c.expect(cmd, err(&e));
        }
        c.ok(&["SET", "str", "x"]);
        c.expect(&["XREAD", "STREAMS", "a", "str", "0", "0"], err(WRONGTYPE));
        c.expect(&["XREAD", "STREAMS", "str", "a", "x", "0"], err(WRONGTYPE));
        c.expect(&["XREAD", "STREAMS", "a", "str", "x", "0"], err(INVALID));
        // Inside MULTI, BLOCK answers at once.
        c.ok(&["MULTI"]);
        c.expect(
            &["XREAD", "BLOCK", "0", "STREAMS", "a", "$"],
            status("QUEUED"),
        );
        c.expect(&["EXEC"], arr(vec![nil_arr()]));
    });
}

#[test]
fn resp3_shapes() {
    each_server(|s| {
        let mut c = s.connect();
        c.cmd(&["HELLO", "3"]);
        c.cmd(&["XADD", "a", "1-0", "f", "v"]);
        c.cmd(&["XADD", "b", "2-0", "g", "w"]);
        c.expect(
            &["XREAD", "STREAMS", "a", "b", "0", "0"],
            map(vec![
                (bulk("a"), arr(vec![entry("1-0", &["f", "v"])])),
                (bulk("b"), arr(vec![entry("2-0", &["g", "w"])])),
            ]),
        );
        c.expect(&["XREAD", "STREAMS", "a", "$"], null());
        c.expect(&["XRANGE", "a", "-", "+", "COUNT", "0"], null());
        c.expect(&["XADD", "n", "NOMKSTREAM", "*", "f", "v"], null());
        c.expect(
            &["XRANGE", "a", "-", "+"],
            arr(vec![entry("1-0", &["f", "v"])]),
        );
        c.expect(&["XREAD", "BLOCK", "10", "STREAMS", "a", "$"], null());
    });
}

#[test]
fn blocked_xread_is_served_in_order() {
    each_server(|s| {
        let mut c = s.connect();
        let mut b1 = s.connect();
        let mut b2 = s.connect();
        c.cmd(&["XADD", "s", "1-0", "f", "old"]);
        b1.send(&["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]);
        wait_blocked(&mut c, 1);
        b2.send(&[
            "XREAD", "BLOCK", "0", "COUNT", "1", "STREAMS", "other", "s", "$", "$",
        ]);
        wait_blocked(&mut c, 2);
        // An XADD serves both, each with the entries after its own `$`.
        c.expect(&["XADD", "s", "2-0", "f", "new"], bulk("2-0"));
        let want = arr(vec![arr(vec![
            bulk("s"),
            arr(vec![entry("2-0", &["f", "new"])]),
        ])]);
        assert_eq!(b1.read_reply(), want);
        assert_eq!(b2.read_reply(), want);
        wait_blocked(&mut c, 0);
        // `$` is the last id when the client blocked, not when it is woken.
        b1.send(&["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]);
        wait_blocked(&mut c, 1);
        c.ok(&["MULTI"]);
        c.cmd(&["XADD", "s", "3-0", "f", "a"]);
        c.cmd(&["XADD", "s", "4-0", "f", "b"]);
        c.expect(&["EXEC"], arr(vec![bulk("3-0"), bulk("4-0")]));
        assert_eq!(
            b1.read_reply(),
            arr(vec![arr(vec![
                bulk("s"),
                arr(vec![entry("3-0", &["f", "a"]), entry("4-0", &["f", "b"])])
            ])])
        );
        // An explicit id already behind the stream is served at once.
        b1.expect(
            &["XREAD", "BLOCK", "0", "STREAMS", "s", "3"],
            arr(vec![arr(vec![
                bulk("s"),
                arr(vec![entry("4-0", &["f", "b"])]),
            ])]),
        );
        // A blocked client on several keys is served for the key written, only.
        b1.send(&["XREAD", "BLOCK", "0", "STREAMS", "x", "y", "$", "$"]);
        wait_blocked(&mut c, 1);
        c.ok(&["MULTI"]);
        c.cmd(&["XADD", "y", "1-0", "f", "y"]);
        c.cmd(&["XADD", "x", "1-0", "f", "x"]);
        c.cmd(&["EXEC"]);
        assert_eq!(
            b1.read_reply(),
            arr(vec![arr(vec![
                bulk("y"),
                arr(vec![entry("1-0", &["f", "y"])])
            ])])
        );
        // A blocked XREAD without COUNT gets at most 1000 entries per wake-up.
        b1.send(&["XREAD", "BLOCK", "0", "STREAMS", "big", "0"]);
        wait_blocked(&mut c, 1);
        c.ok(&["MULTI"]);
        for i in 1..=1005 {
            c.cmd(&["XADD", "big", &format!("{i}-0"), "f", "v"]);
        }
        c.cmd(&["EXEC"]);
        let r = b1.read_reply();
        assert_eq!(r.array_val()[0].array_val()[1].array_val().len(), 1000);
    });
}

#[test]
fn blocked_xread_timeouts_and_unblock() {
    each_server(|s| {
        let mut c = s.connect();
        let mut b = s.connect();
        let id = b.cmd(&["CLIENT", "ID"]).int_val().to_string();
        let start = Instant::now();
        b.expect(&["XREAD", "BLOCK", "100", "STREAMS", "s", "$"], nil_arr());
        assert!(start.elapsed() >= millis(90));
        b.send(&["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]);
        wait_blocked(&mut c, 1);
        c.expect(&["CLIENT", "UNBLOCK", &id, "TIMEOUT"], int(1));
        assert_eq!(b.read_reply(), nil_arr());
        b.send(&["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]);
        wait_blocked(&mut c, 1);
        c.expect(&["CLIENT", "UNBLOCK", &id, "ERROR"], int(1));
        assert_eq!(
            b.read_reply(),
            err("UNBLOCKED client unblocked via CLIENT UNBLOCK")
        );
        // Deleted or overwritten with another type: the client keeps waiting, and
        // is served once the key is a stream with new entries again.
        b.send(&["XREAD", "BLOCK", "0", "STREAMS", "s", "0"]);
        wait_blocked(&mut c, 1);
        c.cmd(&["XADD", "s2", "1-0", "f", "v"]);
        c.ok(&["SET", "s", "string"]);
        c.cmd(&["DEL", "s"]);
        c.cmd(&["LPUSH", "s", "x"]);
        c.cmd(&["DEL", "s"]);
        std::thread::sleep(millis(50));
        assert_eq!(blocked_count(&mut c), "1");
        c.cmd(&["XADD", "s", "6-0", "f", "w"]);
        assert_eq!(
            b.read_reply(),
            arr(vec![arr(vec![
                bulk("s"),
                arr(vec![entry("6-0", &["f", "w"])])
            ])])
        );
        // A pipelined command after a blocked XREAD runs once it is served.
        b.send_raw(
            &[
                encode_cmd(&["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]),
                encode_cmd(&["PING"]),
            ]
            .concat(),
        );
        wait_blocked(&mut c, 1);
        c.cmd(&["XADD", "s", "7-0", "f", "z"]);
        assert_eq!(
            b.read_reply(),
            arr(vec![arr(vec![
                bulk("s"),
                arr(vec![entry("7-0", &["f", "z"])])
            ])])
        );
        assert_eq!(b.read_reply(), status("PONG"));
    });
}

#[test]
fn generic_key_commands_on_streams() {
    each_server(|s| {
        let mut c = s.connect();
        c.cmd(&["XADD", "s", "1-0", "f", "v"]);
        c.cmd(&["XADD", "s", "2-0", "f", "w"]);
        c.expect(&["TYPE", "s"], status("stream"));
        c.expect(&["OBJECT", "ENCODING", "s"], bulk("stream"));
        c.expect(&["COPY", "s", "t"], int(1));
        c.expect(&["XADD", "t", "3-0", "f", "x"], bulk("3-0"));
        c.expect(&["XLEN", "s"], int(2));
        c.expect(&["XLEN", "t"], int(3));
        c.expect(&["RENAME", "t", "u"], ok());
        c.expect(
            &["XRANGE", "u", "3", "3"],
            arr(vec![entry("3-0", &["f", "x"])]),
        );
        c.ok(&["SET", "str", "x"]);
        let keys = c
            .cmd(&["SCAN", "0", "TYPE", "stream", "COUNT", "100"])
            .array_val()[1]
            .clone();
        assert_unordered(&keys, &bulks(&["s", "u"]));
        c.expect(&["DEL", "u"], int(1));
        c.expect(&["UNLINK", "s"], int(1));
        c.expect(&["EXISTS", "s", "u"], int(0));
        // A big stream is freed (lazily) too.
        let cmds: Vec<Vec<String>> = (1..=3000u64)
            .map(|i| {
                vec![
                    "XADD".into(),
                    "big".into(),
                    format!("{i}-0"),
                    "f".into(),
                    "v".into(),
                ]
            })
            .collect();
        c.pipeline(&cmds);
        c.expect(&["UNLINK", "big"], int(1));
        c.expect(&["DBSIZE"], int(1));
    });
}

/// A client subscribed to every keyspace event; returns "event key" strings.
fn events_of(s: &Server, cmds: &[&[&str]]) -> Vec<String> {
    let mut c = s.connect();
    let mut sub = s.connect();
    c.ok(&["CONFIG", "SET", "notify-keyspace-events", "KEA"]);
    sub.cmd(&["PSUBSCRIBE", "__keyevent@*__:*"]);
    sub.cmd(&["SUBSCRIBE", "end"]);
    for cmd in cmds {
        c.cmd(cmd);
    }
    c.cmd(&["PUBLISH", "end", "x"]);
    let mut got = Vec::new();
    loop {
        let m = sub.read_reply().strings();
        if m[0] == "message" {
            return got;
        }
        let ev = m[2].rsplit(':').next().unwrap_or_default().to_string();
        got.push(format!("{ev} {}", m[3]));
    }
}

#[test]
fn keyspace_events() {
    each_server(|s| {
        let got = events_of(
            s,
            &[
                &["XADD", "s", "1-0", "f", "v"],
                &["XADD", "s", "2-0", "f", "v"],
                &["XADD", "s", "MAXLEN", "1", "3-0", "f", "v"],
                &["XADD", "s", "MAXLEN", "5", "4-0", "f", "v"],
                &["XADD", "s", "1-0", "f", "v"],
                &["XDEL", "s", "9-0"],
                &["XDEL", "s", "3-0"],
                &["XTRIM", "s", "MAXLEN", "5"],
                &["XTRIM", "s", "MAXLEN", "0"],
                &["XSETID", "s", "10-0"],
                &["XADD", "n", "NOMKSTREAM", "*", "f", "v"],
                &["DEL", "s"],
            ],
        );
        assert_eq!(
            got,
            [
                "xadd s", "xadd s", "xadd s", "xtrim s", "xadd s", "xdel s", "xtrim s", "xsetid s",
                "del s"
            ]
        );
    });
}

#[test]
fn command_introspection_matches() {
    let names = [
        "xadd",
        "xrange",
        "xrevrange",
        "xlen",
        "xdel",
        "xtrim",
        "xsetid",
        "xread",
    ];
    same_on_every_server(|c| {
        let mut out = Vec::new();
        for name in names {
            record(
                c,
                &mut out,
                &[&["COMMAND", "INFO", name], &["COMMAND", "DOCS", name]],
            );
        }
        record(
            c,
            &mut out,
            &[
                &[
                    "COMMAND", "GETKEYS", "XREAD", "COUNT", "2", "STREAMS", "a", "b", "0", "0",
                ],
                &[
                    "COMMAND", "GETKEYS", "XREAD", "BLOCK", "0", "streams", "a", "0",
                ],
                &["COMMAND", "GETKEYS", "XADD", "s", "*", "f", "v"],
                &["COMMAND", "GETKEYSANDFLAGS", "XREAD", "STREAMS", "a", "0"],
                &["COMMAND", "GETKEYSANDFLAGS", "XADD", "s", "*", "f", "v"],
            ],
        );
        out
    });
}

fn random_id(g: &mut Gen) -> String {
    match g.below(10) {
        0 => "-".into(),
        1 => "+".into(),
        2 => format!("({}-{}", g.below(300), g.below(3)),
        3 => g.below(300).to_string(),
        _ => format!("{}-{}", g.below(300), g.below(3)),
    }
}

fn random_command(g: &mut Gen, next_ms: &mut u64) -> Vec<String> {
    let k = format!("k{}", g.below(3));
    let mut w: Vec<String> = match g.below(20) {
        0..=6 => {
            let mut w = vec!["XADD".into(), k];
            match g.below(8) {
                0 => w.extend([
                    "MAXLEN".into(),
                    g.pick(&["~", "=", "~"]).into(),
                    g.below(200).to_string(),
                ]),
                1 => w.extend(["MINID".into(), "~".into(), format!("{}", *next_ms / 2)]),
                2 => w.extend([
                    "MAXLEN".into(),
                    "~".into(),
                    g.below(100).to_string(),
                    "LIMIT".into(),
                    g.below(300).to_string(),
                ]),
                3 => w.push("NOMKSTREAM".into()),
                _ => {}
            }
            // Ids mostly ahead, sometimes in the past (errors), with ms-* forms.
            *next_ms += g.below(3);
            match g.below(10) {
                0 => w.push(format!("{}-*", *next_ms)),
                1 => w.push(format!("{}-1", next_ms.saturating_sub(5))),
                _ => w.push(format!("{}-{}", *next_ms, g.below(4))),
            }
            let fields = if g.below(2) == 0 { 1 } else { 1 + g.below(3) };
            for f in 0..fields {
                let field = if g.below(4) == 0 {
                    format!("f{}", g.below(3))
                } else {
                    format!("f{f}")
                };
                w.push(field);
                w.push(match g.below(4) {
                    0 => g.below(100_000).to_string(),
                    1 => "x".repeat(g.below(80) as usize),
                    _ => format!("v{}", g.below(10)),
                });
            }
            w
        }
        7 | 8 => {
            let mut w = vec![
                g.pick(&["XRANGE", "XREVRANGE"]).into(),
                k,
                random_id(g),
                random_id(g),
            ];
            if g.below(2) == 0 {
                w.extend(["COUNT".into(), g.below(6).to_string()]);
            }
            w
        }
        9 => vec!["XLEN".into(), k],
        10 | 11 => {
            let mut w = vec!["XDEL".into(), k];
            for _ in 0..=g.below(4) {
                w.push(format!("{}-{}", g.below(*next_ms + 1), g.below(4)));
            }
            w
        }
        12 => match g.below(4) {
            0 => vec![
                "XTRIM".into(),
                k,
                "MAXLEN".into(),
                g.pick(&["~", "="]).into(),
                g.below(150).to_string(),
            ],
            1 => vec![
                "XTRIM".into(),
                k,
                "MINID".into(),
                g.pick(&["~", "="]).into(),
                format!("{}-{}", g.below(*next_ms + 1), g.below(3)),
            ],
            2 => vec![
                "XTRIM".into(),
                k,
                "MAXLEN".into(),
                "~".into(),
                g.below(100).to_string(),
                "LIMIT".into(),
                g.below(200).to_string(),
            ],
            _ => vec!["XTRIM".into(), k, "MAXLEN".into(), g.below(150).to_string()],
        },
        13 => {
            let mut w = vec!["XREAD".into()];
            if g.below(2) == 0 {
                w.extend(["COUNT".into(), g.below(5).to_string()]);
            }
            w.extend([
                "STREAMS".into(),
                k,
                format!("k{}", g.below(3)),
                random_id(g),
                "$".into(),
            ]);
            w
        }
        14 => {
            *next_ms += 1;
            vec!["XSETID".into(), k, format!("{}-{}", *next_ms, g.below(3))]
        }
        15 => vec![
            "CONFIG".into(),
            "SET".into(),
            "stream-node-max-entries".into(),
            g.pick(&["0", "3", "10", "100"]).into(),
        ],
        16 => vec![
            "CONFIG".into(),
            "SET".into(),
            "stream-node-max-bytes".into(),
            g.pick(&["0", "100", "300", "4096"]).into(),
        ],
        17 if g.below(8) == 0 => vec!["SET".into(), k, "str".into()],
        17 => vec!["DEL".into(), k],
        _ => vec!["XRANGE".into(), k, "-".into(), "+".into()],
    };
    w.shrink_to_fit();
    w
}

/// A few thousand mixed stream commands (explicit ids only, node sizes changing
/// on the way) sent to both servers; every reply must be the same.
#[test]
fn random_operations_match_redis() {
    for seed in [0x5EED_57AE_u64, 0xC0FF_EE42_u64] {
        same_on_every_server(|c| {
            let mut g = Gen(seed);
            let mut next_ms = 1;
            let cmds: Vec<Vec<String>> = (0..4000)
                .map(|_| random_command(&mut g, &mut next_ms))
                .collect();
            let replies = c.pipeline(&cmds);
            let mut out: Vec<(String, Reply)> =
                cmds.iter().map(|w| w.join(" ")).zip(replies).collect();
            for k in 0..3 {
                let key = format!("k{k}");
                out.push((format!("final {key}"), c.cmd(&["XRANGE", &key, "-", "+"])));
            }
            out
        });
    }
}

/// When the last node goes (all its entries deleted), the next XADD appends to
/// the node before it if that one has room, as Redis appends to its rax's last
/// node: what `~` trimming removes afterwards shows where the entries went.
#[test]
fn appends_reopen_the_last_remaining_node() {
    same_on_every_server(|c| {
        let mut out = Vec::new();
        c.ok(&["CONFIG", "SET", "stream-node-max-entries", "5"]);
        for i in 1..=12 {
            c.cmd(&["XADD", "s", &format!("{i}-0"), "f", "v"]);
        }
        record(
            c,
            &mut out,
            &[
                &["XDEL", "s", "11-0", "12-0"],
                &["CONFIG", "SET", "stream-node-max-entries", "10"],
                &["XADD", "s", "13-0", "f", "v"],
                &["XADD", "s", "14-0", "g", "v"],
                &["XADD", "s", "15-0", "f", "v"],
                &["XTRIM", "s", "MAXLEN", "~", "3"],
                &["XLEN", "s"],
                &["XRANGE", "s", "-", "+"],
                &[
                    "XDEL", "s", "6-0", "7-0", "8-0", "9-0", "10-0", "13-0", "14-0", "15-0",
                ],
                &["XLEN", "s"],
                &["XADD", "s", "16-0", "f", "v"],
                &["XRANGE", "s", "-", "+"],
            ],
        );
        out
    });
}

/// XSETID moves the last id without adding entries, and Redis does not signal it
/// as a modification: it does not wake a blocked XREAD (the next XADD does, with
/// the entries after the client's id) nor touch a WATCHed key.
#[test]
fn xsetid_is_not_a_signalled_modification() {
    each_server(|s| {
        let mut c = s.connect();
        c.cmd(&["XADD", "w", "1-0", "f", "v"]);
        c.ok(&["WATCH", "w"]);
        c.ok(&["XSETID", "w", "5-0"]);
        c.ok(&["MULTI"]);
        c.cmd(&["PING"]);
        c.expect(&["EXEC"], arr(vec![status("PONG")]));
        c.ok(&["WATCH", "w"]);
        c.expect(&["XDEL", "w", "9-0"], int(0));
        c.ok(&["MULTI"]);
        c.cmd(&["PING"]);
        c.expect(&["EXEC"], arr(vec![status("PONG")]));
        c.ok(&["WATCH", "w"]);
        c.expect(&["XTRIM", "w", "MAXLEN", "0"], int(1));
        c.ok(&["MULTI"]);
        c.cmd(&["PING"]);
        c.expect(&["EXEC"], nil_arr());
        let mut b = s.connect();
        c.cmd(&["XADD", "s", "1-0", "f", "v"]);
        b.send(&["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]);
        wait_blocked(&mut c, 1);
        c.expect(&["XSETID", "s", "5-0"], ok());
        std::thread::sleep(millis(50));
        assert_eq!(blocked_count(&mut c), "1");
        c.expect(&["XADD", "s", "6-0", "f", "w"], bulk("6-0"));
        assert_eq!(
            b.read_reply(),
            arr(vec![arr(vec![
                bulk("s"),
                arr(vec![entry("6-0", &["f", "w"])])
            ])])
        );
    });
}

/// Keys read by XREAD and XRANGE are tracked for client-side caching; a blocked
/// XREAD served in RESP3 gets a map.
#[test]
fn tracking_and_resp3_blocked_reply() {
    each_server(|s| {
        let mut a = s.connect();
        let mut b = s.connect();
        a.cmd(&["HELLO", "3"]);
        a.ok(&["CLIENT", "TRACKING", "ON"]);
        b.cmd(&["XADD", "s", "1-0", "f", "v"]);
        b.cmd(&["XADD", "t", "1-0", "f", "v"]);
        a.expect(
            &["XREAD", "COUNT", "1", "STREAMS", "s", "0"],
            map(vec![(bulk("s"), arr(vec![entry("1-0", &["f", "v"])]))]),
        );
        a.expect(
            &["XRANGE", "t", "-", "+"],
            arr(vec![entry("1-0", &["f", "v"])]),
        );
        b.cmd(&["XADD", "s", "2-0", "f", "w"]);
        assert_eq!(
            a.read_reply(),
            Reply::Push(vec![bulk("invalidate"), bulks(&["s"])])
        );
        b.cmd(&["XDEL", "t", "1-0"]);
        assert_eq!(
            a.read_reply(),
            Reply::Push(vec![bulk("invalidate"), bulks(&["t"])])
        );
        a.ok(&["CLIENT", "TRACKING", "OFF"]);
        a.send(&["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]);
        wait_blocked(&mut b, 1);
        b.cmd(&["XADD", "s", "3-0", "f", "x"]);
        assert_eq!(
            a.read_reply(),
            map(vec![(bulk("s"), arr(vec![entry("3-0", &["f", "x"])]))])
        );
    });
}

/// Node boundaries at stream-node-max-bytes: for each limit in a range, entries
/// of a fixed size split into nodes exactly where Redis splits them (the `~`
/// trims show where).
#[test]
fn node_bytes_limit_boundaries() {
    same_on_every_server(|c| {
        let mut out = Vec::new();
        c.ok(&["CONFIG", "SET", "stream-node-max-entries", "0"]);
        for limit in 30..=90 {
            c.ok(&["CONFIG", "SET", "stream-node-max-bytes", &limit.to_string()]);
            c.cmd(&["DEL", "s"]);
            for i in 1..=12 {
                c.cmd(&["XADD", "s", &format!("{i}-0"), "field", "value"]);
            }
            for cmd in [
                &["XTRIM", "s", "MAXLEN", "~", "11"][..],
                &["XTRIM", "s", "MAXLEN", "~", "1"],
                &["XLEN", "s"],
            ] {
                out.push((format!("{limit} {}", cmd.join(" ")), c.cmd(cmd)));
            }
        }
        out
    });
}

/// Values of every listpack encoding round-trip: integer-looking strings that
/// are and are not stored as integers, empty strings, duplicate fields, and
/// values past the 63-byte, 4095-byte and node-size limits.
#[test]
fn values_of_every_encoding() {
    same_on_every_server(|c| {
        let mut out = Vec::new();
        let big = "y".repeat(5000);
        let huge = "z".repeat(70_000);
        let odd = [
            "0",
            "-0",
            "007",
            "127",
            "128",
            "-1",
            "-4096",
            "4095",
            "4096",
            "32767",
            "-32769",
            "8388607",
            "8388608",
            "2147483647",
            "-2147483649",
            "9223372036854775807",
            "-9223372036854775808",
            "9223372036854775808",
            "12345678901234567890",
            " 1",
            "1 ",
            "+1",
            "1e3",
            "",
            "a",
        ];
        for (i, v) in odd.iter().enumerate() {
            let id = format!("{}-0", i + 1);
            out.push((
                format!("XADD {v:?}"),
                c.cmd(&["XADD", "s", &id, "f", v, v, "x"]),
            ));
        }
        record(
            c,
            &mut out,
            &[
                &["XADD", "s", "100-0", "dup", "1", "dup", "2"],
                &["XADD", "s", "101-0", "f", &big],
                &["XADD", "s", "102-0", "f", &huge, "g", &big],
                &["XADD", "s", "103-0", "f", "v"],
                &["XRANGE", "s", "-", "+"],
                &["XREVRANGE", "s", "+", "-"],
                &["XTRIM", "s", "MAXLEN", "~", "2"],
                &["XLEN", "s"],
                &["XRANGE", "s", "-", "+"],
            ],
        );
        out
    });
}
