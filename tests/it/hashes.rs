//! Hash commands: HSET family, counters, HRANDFIELD, HSCAN, encodings and conversions.

use crate::support::*;
use std::collections::{HashMap, HashSet};

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_INT: &str = "ERR value is not an integer or out of range";
const NOT_FLOAT: &str = "ERR value is not a valid float";
const SYNTAX: &str = "ERR syntax error";

fn arity(cmd: &str) -> String {
    format!("ERR wrong number of arguments for '{cmd}' command")
}

fn pairs(items: &[(&str, &str)]) -> Reply {
    arr(items.iter().flat_map(|(f, v)| [bulk(f), bulk(v)]).collect())
}

#[test]
fn set_get_basic() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["HSET", "h", "f", "v"], int(1));
        c.expect(&["HSET", "h", "f", "v2", "g", "w"], int(1));
        c.expect(&["HGET", "h", "f"], bulk("v2"));
        c.expect(&["HGET", "h", "nope"], nil());
        c.expect(&["HGET", "nokey", "f"], nil());
        c.expect(
            &["HMGET", "h", "f", "nope", "g"],
            arr(vec![bulk("v2"), nil(), bulk("w")]),
        );
        c.expect(&["HMGET", "nokey", "a", "b"], arr(vec![nil(), nil()]));
        c.expect(&["HEXISTS", "h", "f"], int(1));
        c.expect(&["HEXISTS", "h", "x"], int(0));
        c.expect(&["HEXISTS", "nokey", "x"], int(0));
        c.expect(&["HLEN", "h"], int(2));
        c.expect(&["HLEN", "nokey"], int(0));
        c.expect(&["HSTRLEN", "h", "f"], int(2));
        c.expect(&["HSTRLEN", "h", "x"], int(0));
        c.expect(&["HSTRLEN", "nokey", "x"], int(0));
        c.ok(&["HMSET", "h", "a", "1", "b", "2"]);
        c.expect(&["HLEN", "h"], int(4));
        c.expect(&["HSETNX", "h", "a", "new"], int(0));
        c.expect(&["HSETNX", "h", "c", "3"], int(1));
        c.expect(&["HSETNX", "fresh", "c", "3"], int(1));
        c.expect(&["HGET", "h", "a"], bulk("1"));
        // Empty field and value are fine; binary safe.
        c.expect(&["HSET", "h", "", ""], int(1));
        c.expect(&["HGET", "h", ""], bulk(""));
        let bin: &[u8] = b"\x00\xff\r\n";
        c.expect(&[b"HSET" as &[u8], b"h", bin, bin], int(1));
        c.expect(&[b"HGET" as &[u8], b"h", bin], bulk(bin));
        c.expect(&["TYPE", "h"], status("hash"));
    });
}

#[test]
fn getall_keys_vals_keep_listpack_order() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["HSET", "h", "z", "1", "a", "2", "m", "3"], int(3));
        // Updating keeps the position; deleting and re-adding appends.
        c.expect(&["HSET", "h", "z", "10"], int(0));
        c.expect(&["HDEL", "h", "a"], int(1));
        c.expect(&["HSET", "h", "a", "20"], int(1));
        c.expect(
            &["HGETALL", "h"],
            pairs(&[("z", "10"), ("m", "3"), ("a", "20")]),
        );
        c.expect(&["HKEYS", "h"], bulks(&["z", "m", "a"]));
        c.expect(&["HVALS", "h"], bulks(&["10", "3", "20"]));
        c.expect(&["HGETALL", "nokey"], arr(vec![]));
        c.expect(&["HKEYS", "nokey"], arr(vec![]));
        c.expect(&["HVALS", "nokey"], arr(vec![]));
        c.cmd(&["HELLO", "3"]);
        c.expect(
            &["HGETALL", "h"],
            map(vec![
                (bulk("z"), bulk("10")),
                (bulk("m"), bulk("3")),
                (bulk("a"), bulk("20")),
            ]),
        );
        c.expect(&["HGETALL", "nokey"], map(vec![]));
        c.expect(&["HKEYS", "h"], bulks(&["z", "m", "a"]));
        c.expect(&["HGET", "h", "x"], null());
        c.expect(&["HMGET", "h", "x", "z"], arr(vec![null(), bulk("10")]));
    });
}

#[test]
fn hdel_removes_empty_key() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["HSET", "h", "a", "1", "b", "2"], int(2));
        c.expect(&["HDEL", "h", "a", "a", "x"], int(1));
        c.expect(&["HDEL", "nokey", "a"], int(0));
        c.expect(&["HDEL", "h", "b", "c"], int(1));
        c.expect(&["EXISTS", "h"], int(0));
        // Same for a hashtable-encoded hash.
        let long = "x".repeat(100);
        c.expect(&["HSET", "h", "a", &long], int(1));
        c.expect(&["OBJECT", "ENCODING", "h"], bulk("hashtable"));
        c.expect(&["HDEL", "h", "a"], int(1));
        c.expect(&["EXISTS", "h"], int(0));
    });
}

#[test]
fn arity_and_wrongtype_errors() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "str", "x"]);
        for (cmd, args) in [
            ("hset", vec!["HSET", "h", "f"]),
            ("hset", vec!["HSET", "h", "f", "v", "g"]),
            ("hmset", vec!["HMSET", "h", "f", "v", "g"]),
            ("hmset", vec!["HMSET", "h"]),
            ("hsetnx", vec!["HSETNX", "h", "f"]),
            ("hget", vec!["HGET", "h"]),
            ("hmget", vec!["HMGET", "h"]),
            ("hdel", vec!["HDEL", "h"]),
            ("hlen", vec!["HLEN"]),
            ("hexists", vec!["HEXISTS", "h", "a", "b"]),
            ("hstrlen", vec!["HSTRLEN", "h"]),
            ("hgetall", vec!["HGETALL", "h", "x"]),
            ("hkeys", vec!["HKEYS"]),
            ("hvals", vec!["HVALS"]),
            ("hincrby", vec!["HINCRBY", "h", "f"]),
            ("hincrbyfloat", vec!["HINCRBYFLOAT", "h", "f"]),
            ("hrandfield", vec!["HRANDFIELD"]),
            ("hscan", vec!["HSCAN", "h"]),
        ] {
            c.expect_err(&args, &arity(cmd));
        }
        for args in [
            vec!["HSET", "str", "f", "v"],
            vec!["HMSET", "str", "f", "v"],
            vec!["HSETNX", "str", "f", "v"],
            vec!["HGET", "str", "f"],
            vec!["HMGET", "str", "f"],
            vec!["HDEL", "str", "f"],
            vec!["HLEN", "str"],
            vec!["HEXISTS", "str", "f"],
            vec!["HSTRLEN", "str", "f"],
            vec!["HGETALL", "str"],
            vec!["HKEYS", "str"],
            vec!["HVALS", "str"],
            vec!["HINCRBY", "str", "f", "1"],
            vec!["HINCRBYFLOAT", "str", "f", "1"],
            vec!["HRANDFIELD", "str"],
            vec!["HRANDFIELD", "str", "0"],
            vec!["HSCAN", "str", "0"],
        ] {
            c.expect_err(&args, WRONGTYPE);
        }
        // Argument errors are found before the key's type.
        c.expect_err(&["HINCRBY", "str", "f", "x"], NOT_INT);
        c.expect_err(&["HINCRBYFLOAT", "str", "f", "x"], NOT_FLOAT);
        c.expect_err(&["HRANDFIELD", "str", "x"], NOT_INT);
        c.expect_err(&["HSCAN", "str", "x"], "ERR invalid cursor");
        c.expect(&["HGET", "str", "f"], err(WRONGTYPE));
        c.expect(&["GET", "str"], bulk("x"));
    });
}

#[test]
fn hincrby() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["HINCRBY", "h", "n", "5"], int(5));
        c.expect(&["HINCRBY", "h", "n", "-7"], int(-2));
        c.expect(&["HGET", "h", "n"], bulk("-2"));
        c.expect_err(&["HINCRBY", "h", "n", "1.5"], NOT_INT);
        c.expect_err(&["HINCRBY", "h", "n", "x"], NOT_INT);
        c.expect_err(&["HINCRBY", "nokey", "n", "99999999999999999999"], NOT_INT);
        c.expect(&["EXISTS", "nokey"], int(0));
        c.expect(&["HSET", "h", "s", "abc", "sp", " 12", "fl", "1.5"], int(3));
        for f in ["s", "sp", "fl"] {
            c.expect_err(
                &["HINCRBY", "h", f, "1"],
                "ERR hash value is not an integer",
            );
        }
        c.expect(&["HSET", "h", "max", "9223372036854775807"], int(1));
        c.expect_err(
            &["HINCRBY", "h", "max", "1"],
            "ERR increment or decrement would overflow",
        );
        c.expect(&["HINCRBY", "h", "max", "-9223372036854775808"], int(-1));
        c.expect(
            &["HINCRBY", "h", "min", "-9223372036854775808"],
            int(i64::MIN),
        );
        c.expect_err(
            &["HINCRBY", "h", "min", "-1"],
            "ERR increment or decrement would overflow",
        );
        c.expect(&["HINCRBY", "h", "min", "0"], int(i64::MIN));
    });
}

#[test]
fn hincrbyfloat() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["HINCRBYFLOAT", "h", "f", "10.5"], bulk("10.5"));
        c.expect(&["HINCRBYFLOAT", "h", "f", "0.1"], bulk("10.6"));
        c.expect(&["HINCRBYFLOAT", "h", "f", "-10.6"], bulk("0"));
        c.expect(&["HINCRBYFLOAT", "h", "g", "5.0e3"], bulk("5000"));
        c.expect(
            &["HINCRBYFLOAT", "h", "g", "-0.0001"],
            bulk("4999.99989999999999979"),
        );
        c.expect(&["HSET", "h", "i", "3"], int(1));
        c.expect(&["HINCRBYFLOAT", "h", "i", "1"], bulk("4"));
        c.expect_err(&["HINCRBYFLOAT", "h", "f", "x"], NOT_FLOAT);
        c.expect_err(&["HINCRBYFLOAT", "h", "f", "1e5000"], NOT_FLOAT);
        c.expect_err(
            &["HINCRBYFLOAT", "h", "f", "inf"],
            "ERR value is NaN or Infinity",
        );
        c.expect_err(
            &["HINCRBYFLOAT", "h", "f", "-inf"],
            "ERR value is NaN or Infinity",
        );
        c.expect(&["HSET", "h", "s", "abc", "sp", " 1"], int(2));
        c.expect_err(
            &["HINCRBYFLOAT", "h", "s", "1"],
            "ERR hash value is not a float",
        );
        c.expect_err(
            &["HINCRBYFLOAT", "h", "sp", "1"],
            "ERR hash value is not a float",
        );
        c.expect(&["HSET", "h", "big", "1.1e4932"], int(1));
        c.expect_err(
            &["HINCRBYFLOAT", "h", "big", "1.1e4932"],
            "ERR increment would produce NaN or Infinity",
        );
        c.cmd(&["HELLO", "3"]);
        // Still a bulk string in RESP3.
        c.expect(&["HINCRBYFLOAT", "h", "f", "1.25"], bulk("1.25"));
    });
}

#[test]
fn hrandfield_shapes_and_errors() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["HRANDFIELD", "nokey"], nil());
        c.expect(&["HRANDFIELD", "nokey", "3"], arr(vec![]));
        c.expect(&["HRANDFIELD", "nokey", "-3", "WITHVALUES"], arr(vec![]));
        c.expect(&["HSET", "h", "a", "1", "b", "2", "c", "3"], int(3));
        c.expect(&["HRANDFIELD", "h", "0"], arr(vec![]));
        c.expect(&["HRANDFIELD", "h", "0", "WITHVALUES"], arr(vec![]));
        c.expect_err(&["HRANDFIELD", "h", "1", "WITHVALUE"], SYNTAX);
        c.expect_err(&["HRANDFIELD", "h", "1", "WITHVALUES", "x"], SYNTAX);
        c.expect_err(&["HRANDFIELD", "h", "x", "WITHVALUE"], NOT_INT);
        c.expect_err(&["HRANDFIELD", "nokey", "x"], NOT_INT);
        c.expect_err(
            &["HRANDFIELD", "h", "-9223372036854775808"],
            "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
        );
        c.expect_err(
            &["HRANDFIELD", "nokey", "-9223372036854775807", "WITHVALUES"],
            "ERR value is out of range",
        );
        c.expect_err(
            &["HRANDFIELD", "h", "9223372036854775807", "WITHVALUES"],
            "ERR value is out of range",
        );
        // Count at least the size: the whole hash.
        c.expect_unordered(&["HRANDFIELD", "h", "3"], bulks(&["a", "b", "c"]));
        c.expect_unordered(&["HRANDFIELD", "h", "100"], bulks(&["a", "b", "c"]));
        let all = c.cmd(&["HRANDFIELD", "h", "10", "WITHVALUES"]);
        let all = all.array_val();
        assert_eq!(all.len(), 6);
        let got: HashMap<String, String> = all
            .chunks(2)
            .map(|p| (p[0].str_val(), p[1].str_val()))
            .collect();
        let expected: HashMap<String, String> = [("a", "1"), ("b", "2"), ("c", "3")]
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, expected);
        // Negative: exactly that many, repetition allowed.
        let r = c.cmd(&["HRANDFIELD", "h", "-10"]).strings();
        assert_eq!(r.len(), 10);
        assert!(r.iter().all(|f| ["a", "b", "c"].contains(&f.as_str())));
        let r = c.cmd(&["HRANDFIELD", "h", "-5", "WITHVALUES"]).array_val();
        assert_eq!(r.len(), 10);
        for p in r.chunks(2) {
            assert_eq!(Some(&p[1].str_val()), expected.get(&p[0].str_val()));
        }
        // Positive below the size: distinct fields.
        let r = c.cmd(&["HRANDFIELD", "h", "2"]).strings();
        assert_eq!(r.len(), 2);
        assert_ne!(r[0], r[1]);
        let one = c.cmd(&["HRANDFIELD", "h"]).str_val();
        assert!(expected.contains_key(&one));
        // RESP3: WITHVALUES replies an array of [field, value] pairs.
        c.cmd(&["HELLO", "3"]);
        for args in [
            vec!["HRANDFIELD", "h", "2", "WITHVALUES"],
            vec!["HRANDFIELD", "h", "-4", "WITHVALUES"],
            vec!["HRANDFIELD", "h", "9", "WITHVALUES"],
        ] {
            let r = c.cmd(&args).array_val();
            let want: usize = args[2]
                .trim_start_matches('-')
                .parse::<usize>()
                .unwrap()
                .min(if args[2].starts_with('-') { 99 } else { 3 });
            assert_eq!(r.len(), want);
            for p in r {
                let p = p.array_val();
                assert_eq!(p.len(), 2);
                assert_eq!(Some(&p[1].str_val()), expected.get(&p[0].str_val()));
            }
        }
        c.expect(&["HRANDFIELD", "nokey"], null());
        c.expect(&["HRANDFIELD", "h", "0", "WITHVALUES"], arr(vec![]));
    });
}

#[test]
fn hrandfield_big_hash_distinct() {
    each_server(|s| {
        let mut c = s.connect();
        let mut args = vec!["HSET".to_string(), "h".to_string()];
        for i in 0..600 {
            args.push(format!("f{i}"));
            args.push(format!("v{i}"));
        }
        c.expect(&args, int(600));
        c.expect(&["OBJECT", "ENCODING", "h"], bulk("hashtable"));
        for n in [1, 50, 150, 599, 600, 400] {
            let r = c
                .cmd(&["HRANDFIELD", "h", &n.to_string(), "WITHVALUES"])
                .strings();
            assert_eq!(r.len(), 2 * n.min(600));
            let fields: HashSet<&String> = r.iter().step_by(2).collect();
            assert_eq!(fields.len(), n.min(600));
            for p in r.chunks(2) {
                assert_eq!(p[1], format!("v{}", &p[0][1..]));
            }
        }
        assert_eq!(c.cmd(&["HRANDFIELD", "h", "-1000"]).strings().len(), 1000);
    });
}

#[test]
fn hscan_listpack_and_errors() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["HSCAN", "nokey", "0"], arr(vec![bulk("0"), arr(vec![])]));
        // Options are not parsed for a missing key.
        c.expect(
            &["HSCAN", "nokey", "0", "COUNT", "0"],
            arr(vec![bulk("0"), arr(vec![])]),
        );
        c.expect(&["HSET", "h", "a1", "1", "b1", "2", "a2", "3"], int(3));
        let all = arr(vec![
            bulk("0"),
            pairs(&[("a1", "1"), ("b1", "2"), ("a2", "3")]),
        ]);
        c.expect(&["HSCAN", "h", "0"], all.clone());
        // A listpack is returned whole whatever the cursor and COUNT.
        c.expect(&["HSCAN", "h", "0", "COUNT", "1"], all.clone());
        c.expect(&["HSCAN", "h", "123"], all.clone());
        c.expect(&["HSCAN", "h", "-1"], all.clone());
        c.expect(&["HSCAN", "h", "+0"], all.clone());
        c.expect(&["HSCAN", "h", ""], all.clone());
        c.expect(&["HSCAN", "h", "0", "MATCH", "*"], all.clone());
        c.expect(&["HSCAN", "h", "0", "COUNT", "1", "COUNT", "5"], all);
        c.expect(
            &["HSCAN", "h", "0", "MATCH", "a*"],
            arr(vec![bulk("0"), pairs(&[("a1", "1"), ("a2", "3")])]),
        );
        c.expect(
            &["HSCAN", "h", "0", "match", "zz*", "count", "10"],
            arr(vec![bulk("0"), arr(vec![])]),
        );
        c.expect_err(&["HSCAN", "h", "x"], "ERR invalid cursor");
        c.expect_err(&["HSCAN", "h", " 0"], "ERR invalid cursor");
        c.expect_err(&["HSCAN", "h", "-"], "ERR invalid cursor");
        c.expect_err(
            &["HSCAN", "h", "18446744073709551616"],
            "ERR invalid cursor",
        );
        c.expect_err(&["HSCAN", "h", "0", "COUNT", "0"], SYNTAX);
        c.expect_err(&["HSCAN", "h", "0", "COUNT", "-1"], SYNTAX);
        c.expect_err(&["HSCAN", "h", "0", "COUNT", "x"], NOT_INT);
        c.expect_err(&["HSCAN", "h", "0", "MATCH"], SYNTAX);
        c.expect_err(&["HSCAN", "h", "0", "TYPE", "hash"], SYNTAX);
        c.expect_err(&["HSCAN", "h", "0", "NOVALUES"], SYNTAX);
    });
}

#[test]
fn hscan_hashtable_full_iteration() {
    each_server(|s| {
        let mut c = s.connect();
        let mut args = vec!["HSET".to_string(), "h".to_string()];
        for i in 0..1000 {
            args.push(format!("f{i}"));
            args.push(format!("v{i}"));
        }
        c.expect(&args, int(1000));
        let mut seen = HashMap::new();
        let mut matched = HashSet::new();
        for (pattern, sink) in [(None, 0), (Some("f1*"), 1)] {
            let mut cursor = "0".to_string();
            let mut calls = 0;
            loop {
                let mut cmd = vec!["HSCAN", "h", &cursor, "COUNT", "50"];
                if let Some(p) = pattern {
                    cmd.extend(["MATCH", p]);
                }
                let r = c.cmd(&cmd).array_val();
                let items = r[1].strings();
                for p in items.chunks(2) {
                    if sink == 0 {
                        seen.insert(p[0].clone(), p[1].clone());
                    } else {
                        assert!(p[0].starts_with("f1"));
                        matched.insert(p[0].clone());
                    }
                }
                cursor = r[0].str_val();
                calls += 1;
                if cursor == "0" {
                    break;
                }
                assert!(calls < 1000);
            }
            assert!(calls > 1, "a hashtable is scanned in several calls");
        }
        assert_eq!(seen.len(), 1000);
        for i in 0..1000 {
            assert_eq!(seen[&format!("f{i}")], format!("v{i}"));
        }
        assert_eq!(matched.len(), 111);
    });
}

fn encoding(c: &mut Conn, key: &str) -> String {
    c.cmd(&["OBJECT", "ENCODING", key]).str_val()
}

#[test]
fn encoding_entries_threshold() {
    each_server(|s| {
        let mut c = s.connect();
        for i in 0..511 {
            c.expect(&["HSET", "h", &format!("f{i}"), "v"], int(1));
        }
        assert_eq!(encoding(&mut c, "h"), "listpack");
        c.expect(&["HSET", "h", "f511", "v"], int(1));
        assert_eq!(encoding(&mut c, "h"), "listpack");
        c.expect(&["HSET", "h", "f511", "v2"], int(0));
        assert_eq!(encoding(&mut c, "h"), "listpack");
        c.expect(&["HSET", "h", "f512", "v"], int(1));
        assert_eq!(encoding(&mut c, "h"), "hashtable");
        c.expect(&["HLEN", "h"], int(513));
        // Never converted back.
        for i in 0..120 {
            c.cmd(&["HDEL", "h", &format!("f{i}")]);
        }
        assert_eq!(encoding(&mut c, "h"), "hashtable");
        c.expect(&["HGET", "h", "f511"], bulk("v2"));
        // One HSET crossing the threshold with many pairs.
        let mut args = vec!["HSET".to_string(), "h2".to_string()];
        for i in 0..513 {
            args.push(format!("f{i}"));
            args.push("v".to_string());
        }
        c.expect(&args, int(513));
        assert_eq!(encoding(&mut c, "h2"), "hashtable");
        // HINCRBY and HSETNX adding the 513th field convert too.
        for (i, cmd) in ["HINCRBY", "HSETNX"].iter().enumerate() {
            let key = format!("k{i}");
            let mut args = vec!["HSET".to_string(), key.clone()];
            for j in 0..512 {
                args.push(format!("f{j}"));
                args.push("1".to_string());
            }
            c.expect(&args, int(512));
            assert_eq!(encoding(&mut c, &key), "listpack");
            c.expect(&[cmd, key.as_str(), "new", "1"], int(1));
            assert_eq!(encoding(&mut c, &key), "hashtable");
        }
    });
}

#[test]
fn encoding_value_threshold() {
    each_server(|s| {
        let mut c = s.connect();
        let v64 = "v".repeat(64);
        let v65 = "v".repeat(65);
        c.expect(&["HSET", "a", "f", &v64], int(1));
        c.expect(&["HSET", "a", &v64, "x"], int(1));
        assert_eq!(encoding(&mut c, "a"), "listpack");
        c.expect(&["HSET", "b", "f", &v65], int(1));
        assert_eq!(encoding(&mut c, "b"), "hashtable");
        c.expect(&["HSET", "c", &v65, "x"], int(1));
        assert_eq!(encoding(&mut c, "c"), "hashtable");
        // Updating an existing field with a long value converts as well.
        c.expect(&["HSET", "a", "f", &v65], int(0));
        assert_eq!(encoding(&mut c, "a"), "hashtable");
        c.expect(&["HGET", "a", "f"], bulk(&v65));
        c.expect(&["HSETNX", "d", &v65, "1"], int(1));
        assert_eq!(encoding(&mut c, "d"), "hashtable");
        c.expect(&["HINCRBY", "e", &v65, "1"], int(1));
        assert_eq!(encoding(&mut c, "e"), "hashtable");
        c.expect(&["HINCRBYFLOAT", "f", &v65, "1"], bulk("1"));
        assert_eq!(encoding(&mut c, "f"), "hashtable");
        // A long HINCRBYFLOAT result converts.
        c.expect(&["HSET", "g", "x", "1"], int(1));
        let r = c.cmd(&["HINCRBYFLOAT", "g", "x", "1e300"]).str_val();
        assert!(r.len() > 64);
        assert_eq!(encoding(&mut c, "g"), "hashtable");
    });
}

#[test]
fn encoding_thresholds_follow_config_set() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["CONFIG", "SET", "hash-max-listpack-entries", "2"]);
        c.ok(&["CONFIG", "SET", "hash-max-listpack-value", "3"]);
        c.expect(&["HSET", "h", "a", "1", "b", "2"], int(2));
        assert_eq!(encoding(&mut c, "h"), "listpack");
        c.expect(&["HSET", "h", "c", "3"], int(1));
        assert_eq!(encoding(&mut c, "h"), "hashtable");
        c.expect(&["HSET", "v", "abc", "def"], int(1));
        assert_eq!(encoding(&mut c, "v"), "listpack");
        c.expect(&["HSET", "v", "abc", "defg"], int(0));
        assert_eq!(encoding(&mut c, "v"), "hashtable");
        c.ok(&["CONFIG", "SET", "hash-max-listpack-entries", "0"]);
        c.expect(&["HSET", "z", "a", "1"], int(1));
        assert_eq!(encoding(&mut c, "z"), "hashtable");
    });
}

#[test]
fn generic_commands_on_hashes() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["HSET", "small", "a", "1"], int(1));
        let long = "x".repeat(80);
        c.expect(&["HSET", "big", "a", &long], int(1));
        c.expect(&["SET", "str", "x"], ok());
        let r = c
            .cmd(&["SCAN", "0", "TYPE", "hash", "COUNT", "100"])
            .array_val();
        assert_eq!(r[0], bulk("0"));
        assert_unordered(&r[1], &bulks(&["small", "big"]));
        for key in ["small", "big"] {
            let copy = format!("{key}-copy");
            c.expect(&["COPY", key, &copy], int(1));
            let enc = encoding(&mut c, key);
            assert_eq!(encoding(&mut c, &copy), enc);
            c.expect(&["HSET", &copy, "b", "2"], int(1));
            c.expect(&["HLEN", key], int(1));
            c.expect(&["HLEN", &copy], int(2));
        }
        c.expect(&["TYPE", "big"], status("hash"));
        c.ok(&["RENAME", "big", "big2"]);
        c.expect(&["HGET", "big2", "a"], bulk(&long));
        c.expect(&["MOVE", "big2", "1"], int(1));
        c.ok(&["SELECT", "1"]);
        c.expect(&["HGET", "big2", "a"], bulk(&long));
        c.expect(&["UNLINK", "big2"], int(1));
        c.ok(&["SELECT", "0"]);
        c.expect(&["DEL", "small"], int(1));
        c.expect(&["EXPIRE", "small-copy", "100"], int(1));
        c.expect(&["HSET", "small-copy", "c", "3"], int(1));
        c.expect(&["TTL", "small-copy"], int(100));
    });
}

/// A fixed-seed stream of mixed hash commands, sent to both servers: every
/// reply must match (unordered where the order is the encoding's, checking only
/// sizes and membership for random picks).
#[test]
fn random_operations_match() {
    let mut runs: Vec<Vec<String>> = Vec::new();
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["CONFIG", "SET", "hash-max-listpack-entries", "16"]);
        c.ok(&["CONFIG", "SET", "hash-max-listpack-value", "8"]);
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let mut log = Vec::new();
        for _ in 0..3000 {
            let key = format!("h{}", next(4));
            let field = format!("f{}", next(24));
            let value = match next(4) {
                0 => next(100).to_string(),
                1 => format!("{}.5", next(10)),
                2 => "v".repeat(next(12) as usize),
                _ => format!("x{}", next(1000)),
            };
            let op = next(16);
            let args: Vec<String> = match op {
                0 | 1 => vec!["HSET".into(), key, field, value],
                2 => vec!["HDEL".into(), key, field, format!("f{}", next(24))],
                3 => vec!["HGET".into(), key, field],
                4 => vec![
                    "HINCRBY".into(),
                    key,
                    field,
                    (next(200) as i64 - 100).to_string(),
                ],
                5 => vec![
                    "HINCRBYFLOAT".into(),
                    key,
                    field,
                    format!("{}.25", next(10)),
                ],
                6 => vec!["HSETNX".into(), key, field, value],
                7 => vec!["HLEN".into(), key],
                8 => vec!["HSTRLEN".into(), key, field],
                9 => vec!["HMGET".into(), key, field, "f1".into(), "f2".into()],
                10 => vec!["HGETALL".into(), key],
                11 => vec!["HKEYS".into(), key],
                12 => vec!["HEXISTS".into(), key, field],
                13 => vec!["HRANDFIELD".into(), key, (next(40) as i64 - 20).to_string()],
                14 => vec!["OBJECT".into(), "ENCODING".into(), key],
                _ => vec![
                    "HSCAN".into(),
                    key,
                    "0".into(),
                    "COUNT".into(),
                    "1000".into(),
                ],
            };
            let reply = c.cmd(&args);
            let shown = match op {
                10 | 11 => format!("{:?}", reply.sorted()),
                13 => {
                    // Only the count and membership are deterministic.
                    let fields = reply.strings();
                    let n: i64 = args[2].parse().unwrap_or(0);
                    let hlen = c.cmd(&["HLEN", &args[1]]).int_val();
                    let distinct: HashSet<&String> = fields.iter().collect();
                    if n > 0 {
                        assert_eq!(distinct.len(), fields.len());
                    }
                    for f in &fields {
                        assert_eq!(c.cmd(&["HEXISTS", &args[1], f]), int(1));
                    }
                    let want = if n < 0 || hlen == 0 {
                        n.unsigned_abs() as i64 * (hlen > 0) as i64
                    } else {
                        n.min(hlen)
                    };
                    assert_eq!(fields.len() as i64, want);
                    format!("{} fields", fields.len())
                }
                15 => {
                    let r = reply.array_val();
                    let mut items: Vec<(String, String)> = r[1]
                        .strings()
                        .chunks(2)
                        .map(|p| (p[0].clone(), p[1].clone()))
                        .collect();
                    items.sort();
                    format!("{items:?}")
                }
                _ => format!("{reply:?}"),
            };
            log.push(format!("{} -> {shown}", args.join(" ")));
        }
        runs.push(log);
    });
    if runs.len() == 2 {
        for (a, b) in runs[0].iter().zip(&runs[1]) {
            assert_eq!(a, b, "oxidis and redis disagree");
        }
    }
}

/// COMMAND INFO and COMMAND DOCS of every hash command, the same on both servers.
#[test]
fn command_introspection_matches() {
    const NAMES: [&str; 16] = [
        "hdel",
        "hexists",
        "hget",
        "hgetall",
        "hincrby",
        "hincrbyfloat",
        "hkeys",
        "hlen",
        "hmget",
        "hmset",
        "hrandfield",
        "hscan",
        "hset",
        "hsetnx",
        "hstrlen",
        "hvals",
    ];
    let mut runs: Vec<Vec<String>> = Vec::new();
    each_server(|s| {
        let mut c = s.connect();
        let mut seen = Vec::new();
        for name in NAMES {
            seen.push(format!("{:?}", c.cmd(&["COMMAND", "INFO", name])));
            seen.push(format!("{:?}", c.cmd(&["COMMAND", "DOCS", name])));
        }
        runs.push(seen);
    });
    if runs.len() == 2 {
        for (a, b) in runs[0].iter().zip(&runs[1]) {
            assert_eq!(a, b);
        }
    }
}
