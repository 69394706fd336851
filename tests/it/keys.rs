//! Keyspace commands: DEL EXISTS TYPE EXPIRE* PERSIST TTL KEYS SCAN RENAME
//! MOVE COPY TOUCH OBJECT SELECT DBSIZE FLUSHDB FLUSHALL SWAPDB RANDOMKEY.

use std::collections::HashSet;

use crate::support::*;

const NOT_INT: &str = "ERR value is not an integer or out of range";
const SYNTAX: &str = "ERR syntax error";
const DB_RANGE: &str = "ERR DB index is out of range";
const SAME: &str = "ERR source and destination objects are the same";

fn arity(cmd: &str) -> String {
    format!("ERR wrong number of arguments for '{cmd}' command")
}

/// Creates keys `prefix0..prefixN` with a pipeline of MSETs.
fn fill(c: &mut Conn, prefix: &str, n: usize) {
    let mut cmds = Vec::new();
    for chunk in (0..n).collect::<Vec<_>>().chunks(100) {
        let mut cmd = vec!["MSET".to_string()];
        for i in chunk {
            cmd.push(format!("{prefix}{i}"));
            cmd.push(i.to_string());
        }
        cmds.push(cmd);
    }
    for r in c.pipeline(&cmds) {
        assert_eq!(r, ok());
    }
}

#[test]
fn del_unlink_exists() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["MSET", "a", "1", "b", "2", "c", "3"]);
        c.expect(&["RPUSH", "l", "x"], int(1));
        c.expect(&["EXISTS", "a"], int(1));
        c.expect(&["EXISTS", "a", "b", "missing", "l"], int(3));
        c.expect(&["EXISTS", "a", "a", "a"], int(3));
        c.expect(&["EXISTS", "missing"], int(0));
        c.expect(&["DEL", "a", "missing", "a"], int(1));
        c.expect(&["DEL", "a"], int(0));
        c.expect(&["EXISTS", "a"], int(0));
        c.expect(&["UNLINK", "b", "l", "missing"], int(2));
        c.expect(&["EXISTS", "b", "l"], int(0));
        c.expect(&["DEL", "c"], int(1));
        c.expect(&["DBSIZE"], int(0));
        c.expect(&["DEL"], err(&arity("del")));
        c.expect(&["UNLINK"], err(&arity("unlink")));
        c.expect(&["EXISTS"], err(&arity("exists")));
    });
}

#[test]
fn type_and_touch() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "s", "v"]);
        c.expect(&["RPUSH", "l", "x"], int(1));
        c.expect(&["TYPE", "s"], status("string"));
        c.expect(&["TYPE", "l"], status("list"));
        c.expect(&["TYPE", "missing"], status("none"));
        c.expect(&["TYPE"], err(&arity("type")));
        c.expect(&["TYPE", "a", "b"], err(&arity("type")));
        c.expect(&["TOUCH", "s", "l", "missing", "s"], int(3));
        c.expect(&["TOUCH", "missing"], int(0));
        c.expect(&["TOUCH"], err(&arity("touch")));
    });
}

#[test]
fn expire_basic() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["EXPIRE", "missing", "100"], int(0));
        c.expect(&["PEXPIRE", "missing", "100"], int(0));
        c.expect(&["EXPIREAT", "missing", "100"], int(0));
        c.expect(&["PEXPIREAT", "missing", "100"], int(0));
        c.ok(&["SET", "k", "v"]);
        c.expect(&["TTL", "k"], int(-1));
        c.expect(&["PTTL", "k"], int(-1));
        c.expect(&["EXPIRETIME", "k"], int(-1));
        c.expect(&["PEXPIRETIME", "k"], int(-1));
        c.expect(&["TTL", "missing"], int(-2));
        c.expect(&["PTTL", "missing"], int(-2));
        c.expect(&["EXPIRETIME", "missing"], int(-2));
        c.expect(&["PEXPIRETIME", "missing"], int(-2));

        c.expect(&["EXPIRE", "k", "100"], int(1));
        let ttl = c.cmd(&["TTL", "k"]).int_val();
        assert!((1..=100).contains(&ttl), "ttl {ttl}");
        let pttl = c.cmd(&["PTTL", "k"]).int_val();
        assert!((1..=100_000).contains(&pttl), "pttl {pttl}");
        let et = c.cmd(&["EXPIRETIME", "k"]).int_val();
        let pet = c.cmd(&["PEXPIRETIME", "k"]).int_val();
        assert_eq!(
            et,
            (pet + 500) / 1000,
            "EXPIRETIME is PEXPIRETIME in seconds, rounded"
        );
        c.expect(&["PEXPIRE", "k", "200000"], int(1));
        let pttl = c.cmd(&["PTTL", "k"]).int_val();
        assert!((100_001..=200_000).contains(&pttl), "pttl {pttl}");

        let at = unix_now() + 1000;
        c.expect(&["EXPIREAT", "k", &at.to_string()], int(1));
        c.expect(&["EXPIRETIME", "k"], int(at as i64));
        c.expect(&["PEXPIRETIME", "k"], int(at as i64 * 1000));
        let atms = unix_now_ms() + 500_000;
        c.expect(&["PEXPIREAT", "k", &atms.to_string()], int(1));
        c.expect(&["PEXPIRETIME", "k"], int(atms as i64));

        c.expect(&["PERSIST", "k"], int(1));
        c.expect(&["PERSIST", "k"], int(0));
        c.expect(&["PERSIST", "missing"], int(0));
        c.expect(&["TTL", "k"], int(-1));

        // Zero, negative or past times delete the key.
        for cmd in [
            vec!["EXPIRE", "k", "0"],
            vec!["EXPIRE", "k", "-10"],
            vec!["PEXPIRE", "k", "0"],
            vec!["PEXPIRE", "k", "-1"],
            vec!["EXPIREAT", "k", "1"],
            vec!["PEXPIREAT", "k", "1000"],
            vec!["EXPIREAT", "k", "-5"],
        ] {
            c.ok(&["SET", "k", "v"]);
            c.expect(&cmd, int(1));
            c.expect(&["EXISTS", "k"], int(0));
        }
        // Overwriting with SET clears the TTL; other writes keep it.
        c.ok(&["SET", "k", "v"]);
        c.expect(&["EXPIRE", "k", "100"], int(1));
        c.expect(&["APPEND", "k", "x"], int(2));
        assert!(c.cmd(&["TTL", "k"]).int_val() > 0);
        c.ok(&["SET", "k", "v"]);
        c.expect(&["TTL", "k"], int(-1));
        // Lists get TTLs too.
        c.expect(&["RPUSH", "l", "a"], int(1));
        c.expect(&["EXPIRE", "l", "100"], int(1));
        assert!(c.cmd(&["TTL", "l"]).int_val() > 0);
        // DEL then recreate: no TTL.
        c.expect(&["DEL", "l"], int(1));
        c.expect(&["RPUSH", "l", "a"], int(1));
        c.expect(&["TTL", "l"], int(-1));
    });
}

#[test]
fn expire_options() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "k", "v"]);
        // No TTL yet: XX and GT fail, NX and LT succeed.
        c.expect(&["EXPIRE", "k", "100", "XX"], int(0));
        c.expect(&["EXPIRE", "k", "100", "GT"], int(0));
        c.expect(&["TTL", "k"], int(-1));
        c.expect(&["EXPIRE", "k", "100", "NX"], int(1));
        c.expect(&["EXPIRE", "k", "200", "NX"], int(0));
        c.expect(&["EXPIRE", "k", "200", "XX"], int(1));
        c.expect(&["EXPIRE", "k", "100", "GT"], int(0));
        c.expect(&["EXPIRE", "k", "300", "GT"], int(1));
        c.expect(&["EXPIRE", "k", "400", "LT"], int(0));
        c.expect(&["EXPIRE", "k", "50", "LT"], int(1));
        let ttl = c.cmd(&["TTL", "k"]).int_val();
        assert!((1..=50).contains(&ttl), "ttl {ttl}");
        c.expect(&["EXPIRE", "k", "60", "XX", "GT"], int(1));
        c.expect(&["EXPIRE", "k", "70", "XX", "LT"], int(0));
        c.expect(&["PEXPIRE", "k", "1000000", "gt"], int(1));
        c.expect(&["PEXPIRE", "k", "1000000", "xx"], int(1));
        c.ok(&["SET", "p", "v"]);
        c.expect(&["EXPIRE", "p", "100", "LT"], int(1));
        c.ok(&["SET", "p", "v"]);
        c.expect(&["PEXPIRE", "p", "100000", "NX"], int(1));
        c.ok(&["SET", "p", "v"]);
        let at = (unix_now() + 1000).to_string();
        c.expect(&["EXPIREAT", "p", &at, "XX"], int(0));
        c.expect(&["EXPIREAT", "p", &at, "NX"], int(1));
        c.expect(&["EXPIREAT", "p", &at, "NX"], int(0));
        c.expect(&["EXPIREAT", "p", &at, "GT"], int(0));
        let atms = ((unix_now() + 2000) * 1000).to_string();
        c.expect(&["PEXPIREAT", "p", &atms, "GT"], int(1));
        c.expect(&["PEXPIREAT", "p", &atms, "LT"], int(0));
        // A negative time with LT/GT still counts as a comparison.
        c.expect(&["EXPIRE", "p", "-1", "GT"], int(0));
        c.expect(&["EXISTS", "p"], int(1));
        c.expect(&["EXPIRE", "p", "-1", "LT"], int(1));
        c.expect(&["EXISTS", "p"], int(0));
        // Option errors.
        let nx_combo = "ERR NX and XX, GT or LT options at the same time are not compatible";
        let gt_lt = "ERR GT and LT options at the same time are not compatible";
        c.expect(&["EXPIRE", "k", "10", "NX", "XX"], err(nx_combo));
        c.expect(&["EXPIRE", "k", "10", "NX", "GT"], err(nx_combo));
        c.expect(&["EXPIRE", "k", "10", "LT", "NX"], err(nx_combo));
        c.expect(&["PEXPIRE", "k", "10", "GT", "LT"], err(gt_lt));
        c.expect(
            &["EXPIREAT", "k", "10", "FOO"],
            err("ERR Unsupported option FOO"),
        );
        c.expect(
            &["EXPIRE", "k", "10", "NX", "bar"],
            err("ERR Unsupported option bar"),
        );
        c.expect(&["EXPIRE", "missing", "10", "NX", "XX"], err(nx_combo));
        // Value errors.
        c.expect(&["EXPIRE", "k", "abc"], err(NOT_INT));
        c.expect(&["EXPIRE", "k", "1.5"], err(NOT_INT));
        c.expect(&["PEXPIREAT", "k", ""], err(NOT_INT));
        c.expect(
            &["EXPIRE", "k", "9223372036854775807"],
            err("ERR invalid expire time in 'expire' command"),
        );
        c.expect(
            &["EXPIRE", "k", "-9223372036854775808"],
            err("ERR invalid expire time in 'expire' command"),
        );
        c.expect(
            &["PEXPIRE", "k", "9223372036854775807"],
            err("ERR invalid expire time in 'pexpire' command"),
        );
        c.expect(
            &["EXPIREAT", "k", "9223372036854775807"],
            err("ERR invalid expire time in 'expireat' command"),
        );
        // The key survived all the failed attempts.
        assert!(c.cmd(&["TTL", "k"]).int_val() > 0);
        c.expect(&["EXPIRE", "k"], err(&arity("expire")));
        c.expect(&["PEXPIRE", "k"], err(&arity("pexpire")));
        c.expect(&["EXPIREAT", "k"], err(&arity("expireat")));
        c.expect(&["PEXPIREAT", "k"], err(&arity("pexpireat")));
        c.expect(&["TTL"], err(&arity("ttl")));
        c.expect(&["PTTL", "a", "b"], err(&arity("pttl")));
        c.expect(&["PERSIST"], err(&arity("persist")));
        c.expect(&["EXPIRETIME"], err(&arity("expiretime")));
    });
}

#[test]
fn keys_glob_patterns() {
    each_server(|s| {
        let mut c = s.connect();
        let names = [
            "hello",
            "hallo",
            "hxllo",
            "hllo",
            "heeello",
            "a*b",
            "a?b",
            "axb",
            "[x]",
            "x",
            "back\\slash",
            "Hello",
        ];
        for n in names {
            c.ok(&["SET", n, "1"]);
        }
        c.expect_unordered(&["KEYS", "*"], bulks(&names));
        for (pat, want) in [
            ("h?llo", vec!["hello", "hallo", "hxllo"]),
            ("h*llo", vec!["hello", "hallo", "hxllo", "hllo", "heeello"]),
            ("h[ae]llo", vec!["hello", "hallo"]),
            ("h[^e]llo", vec!["hallo", "hxllo"]),
            ("h[a-b]llo", vec!["hallo"]),
            ("h[b-a]llo", vec!["hallo"]),
            ("a\\*b", vec!["a*b"]),
            ("a\\?b", vec!["a?b"]),
            ("a?b", vec!["a*b", "a?b", "axb"]),
            ("\\[x\\]", vec!["[x]"]),
            ("[[]x]", vec!["[x]"]),
            ("x", vec!["x"]),
            ("back\\\\slash", vec!["back\\slash"]),
            (
                "*ll*",
                vec!["hello", "hallo", "hxllo", "hllo", "heeello", "Hello"],
            ),
            ("H*", vec!["Hello"]),
            ("nomatch*", vec![]),
            ("hel", vec![]),
            (
                "*o",
                vec!["hello", "hallo", "hxllo", "hllo", "heeello", "Hello"],
            ),
            ("**x**", vec!["axb", "[x]", "x", "hxllo"]),
        ] {
            c.expect_unordered(&["KEYS", pat], bulks(&want));
        }
        c.expect(&["KEYS"], err(&arity("keys")));
        c.ok(&["FLUSHDB"]);
        c.expect(&["KEYS", "*"], arr(vec![]));
    });
}

/// Runs a full SCAN iteration with extra arguments; returns all keys seen.
fn scan_all(c: &mut Conn, extra: &[&str]) -> Vec<String> {
    let mut cursor = "0".to_string();
    let mut keys = Vec::new();
    for _ in 0..100_000 {
        let mut args = vec!["SCAN", cursor.as_str()];
        args.extend_from_slice(extra);
        let r = c.cmd(&args);
        let parts = r.array_val();
        assert_eq!(parts.len(), 2, "SCAN reply shape: {r:?}");
        let next = match &parts[0] {
            Reply::Bulk(b) => String::from_utf8(b.clone()).unwrap(),
            other => panic!("SCAN cursor must be a bulk string, got {other:?}"),
        };
        assert!(next.parse::<u64>().is_ok(), "cursor {next:?}");
        keys.extend(parts[1].strings());
        if next == "0" {
            return keys;
        }
        cursor = next;
    }
    panic!("SCAN did not terminate");
}

#[test]
fn scan_basic() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["SCAN", "0"], arr(vec![bulk("0"), arr(vec![])]));
        fill(&mut c, "key:", 500);
        for i in 0..20 {
            c.expect(&["RPUSH", &format!("list:{i}"), "x"], int(1));
        }
        let all: HashSet<String> = scan_all(&mut c, &[]).into_iter().collect();
        assert_eq!(all.len(), 520);
        assert!(all.contains("key:0") && all.contains("key:499") && all.contains("list:19"));
        let with_count: HashSet<String> = scan_all(&mut c, &["COUNT", "7"]).into_iter().collect();
        assert_eq!(with_count, all);
        let big_count = scan_all(&mut c, &["COUNT", "100000"]);
        assert_eq!(big_count.len(), 520);
        let matched: HashSet<String> = scan_all(&mut c, &["MATCH", "key:1?"]).into_iter().collect();
        let want: HashSet<String> = (10..20).map(|i| format!("key:{i}")).collect();
        assert_eq!(matched, want);
        let lists: HashSet<String> = scan_all(&mut c, &["TYPE", "list"]).into_iter().collect();
        assert_eq!(lists, (0..20).map(|i| format!("list:{i}")).collect());
        let strings = scan_all(&mut c, &["type", "STRING", "count", "50"]);
        assert_eq!(strings.len(), 500);
        assert!(scan_all(&mut c, &["TYPE", "hash"]).is_empty());
        // An unknown type name just matches nothing.
        assert!(scan_all(&mut c, &["TYPE", "nosuchtype"]).is_empty());
        let both = scan_all(&mut c, &["MATCH", "list:1*", "TYPE", "list", "COUNT", "3"]);
        assert_eq!(both.len(), 11);
        // Errors.
        c.expect(&["SCAN", "abc"], err("ERR invalid cursor"));
        c.expect(&["SCAN", "1.5"], err("ERR invalid cursor"));
        c.expect(&["SCAN", "18446744073709551616"], err("ERR invalid cursor"));
        c.expect(&["SCAN", "0", "COUNT", "0"], err(SYNTAX));
        c.expect(&["SCAN", "0", "COUNT", "-1"], err(SYNTAX));
        c.expect(&["SCAN", "0", "COUNT", "x"], err(NOT_INT));
        c.expect(&["SCAN", "0", "COUNT"], err(SYNTAX));
        c.expect(&["SCAN", "0", "MATCH"], err(SYNTAX));
        c.expect(&["SCAN", "0", "FOO", "bar"], err(SYNTAX));
        c.expect(&["SCAN"], err(&arity("scan")));
    });
}

/// SCAN guarantee: every key present for the whole iteration is returned,
/// even while the keyspace grows a lot between SCAN calls.
#[test]
fn scan_returns_all_keys_while_growing() {
    each_server(|s| {
        let mut c = s.connect();
        fill(&mut c, "orig:", 1000);
        let mut seen = HashSet::new();
        let mut cursor = "0".to_string();
        let mut inserted = 0usize;
        let mut calls = 0;
        loop {
            let r = c.cmd(&["SCAN", cursor.as_str(), "COUNT", "10"]);
            let parts = r.array_val();
            seen.extend(parts[1].strings());
            cursor = parts[0].str_val();
            calls += 1;
            if cursor == "0" {
                break;
            }
            assert!(calls < 200_000, "SCAN did not terminate");
            // Grow the keyspace a lot (forcing hash table growth/rehashing in
            // Redis) during the first part of the scan.
            if inserted < 12_000 {
                let mut cmds = Vec::new();
                let mut cmd = vec!["MSET".to_string()];
                for i in inserted..inserted + 300 {
                    cmd.push(format!("new:{i}"));
                    cmd.push("x".to_string());
                }
                cmds.push(cmd);
                for r in c.pipeline(&cmds) {
                    assert_eq!(r, ok());
                }
                inserted += 300;
            }
        }
        let missing: Vec<String> = (0..1000)
            .map(|i| format!("orig:{i}"))
            .filter(|k| !seen.contains(k))
            .collect();
        assert!(
            missing.is_empty(),
            "SCAN missed {} keys, e.g. {:?}",
            missing.len(),
            &missing[..missing.len().min(10)]
        );
        c.expect(&["DBSIZE"], int(1000 + inserted as i64));
    });
}

#[test]
fn rename_renamenx() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "a", "1"]);
        c.ok(&["RENAME", "a", "b"]);
        c.expect(&["EXISTS", "a"], int(0));
        c.expect(&["GET", "b"], bulk("1"));
        // TTL moves with the value; the old destination is overwritten.
        c.ok(&["SET", "t", "tv", "EX", "100"]);
        c.ok(&["RENAME", "t", "b"]);
        c.expect(&["GET", "b"], bulk("tv"));
        assert!(c.cmd(&["TTL", "b"]).int_val() > 0);
        c.ok(&["SET", "u", "uv"]);
        c.ok(&["RENAME", "u", "b"]);
        c.expect(&["TTL", "b"], int(-1));
        // Other types, overwriting a different type.
        c.expect(&["RPUSH", "l", "x", "y"], int(2));
        c.ok(&["RENAME", "l", "b"]);
        c.expect(&["TYPE", "b"], status("list"));
        c.expect(&["LRANGE", "b", "0", "-1"], bulks(&["x", "y"]));
        // Same name: OK if it exists.
        c.ok(&["RENAME", "b", "b"]);
        c.expect(&["TYPE", "b"], status("list"));
        c.expect(&["RENAME", "missing", "x"], err("ERR no such key"));
        c.expect(&["RENAME", "missing", "missing"], err("ERR no such key"));
        c.expect(&["RENAMENX", "missing", "x"], err("ERR no such key"));
        c.ok(&["MSET", "x", "1", "y", "2"]);
        c.expect(&["RENAMENX", "x", "y"], int(0));
        c.expect(&["RENAMENX", "x", "x"], int(0));
        c.expect(&["RENAMENX", "x", "z"], int(1));
        c.expect(
            &["MGET", "x", "y", "z"],
            arr(vec![nil(), bulk("2"), bulk("1")]),
        );
        c.expect(&["RENAME", "x"], err(&arity("rename")));
        c.expect(&["RENAMENX", "x"], err(&arity("renamenx")));
    });
}

#[test]
fn randomkey() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["RANDOMKEY"], nil());
        c.ok(&["SET", "only", "1"]);
        c.expect(&["RANDOMKEY"], bulk("only"));
        c.ok(&["MSET", "a", "1", "b", "2"]);
        let keys = ["only", "a", "b"];
        let mut seen = HashSet::new();
        for _ in 0..100 {
            let k = c.cmd(&["RANDOMKEY"]).str_val();
            assert!(keys.contains(&k.as_str()), "unexpected key {k}");
            seen.insert(k);
        }
        assert!(
            seen.len() >= 2,
            "RANDOMKEY returned only {seen:?} in 100 calls"
        );
        c.expect(&["RANDOMKEY", "x"], err(&arity("randomkey")));
    });
}

#[test]
fn select_and_databases() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "k", "db0"]);
        c.ok(&["SELECT", "1"]);
        c.expect(&["GET", "k"], nil());
        c.ok(&["SET", "k", "db1"]);
        c.ok(&["SET", "k2", "db1"]);
        c.expect(&["DBSIZE"], int(2));
        c.ok(&["SELECT", "15"]);
        c.expect(&["DBSIZE"], int(0));
        c.ok(&["SELECT", "0"]);
        c.expect(&["GET", "k"], bulk("db0"));
        c.expect(&["DBSIZE"], int(1));
        // Each connection has its own selected db.
        let mut c2 = s.connect();
        c.ok(&["SELECT", "1"]);
        c2.expect(&["GET", "k"], bulk("db0"));
        c.expect(&["GET", "k"], bulk("db1"));
        c.expect(&["SELECT", "16"], err(DB_RANGE));
        c.expect(&["SELECT", "-1"], err(DB_RANGE));
        c.expect(&["SELECT", "abc"], err(NOT_INT));
        c.expect(&["SELECT", "1.0"], err(NOT_INT));
        c.expect(&["SELECT"], err(&arity("select")));
        // The failed SELECTs left db 1 selected.
        c.expect(&["GET", "k"], bulk("db1"));
    });
}

#[test]
fn flushdb_flushall() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["MSET", "a", "1", "b", "2"]);
        c.ok(&["SELECT", "1"]);
        c.ok(&["SET", "c", "3"]);
        c.ok(&["FLUSHDB"]);
        c.expect(&["DBSIZE"], int(0));
        c.ok(&["SELECT", "0"]);
        c.expect(&["DBSIZE"], int(2));
        c.ok(&["FLUSHDB", "SYNC"]);
        c.expect(&["DBSIZE"], int(0));
        c.ok(&["SET", "a", "1"]);
        c.ok(&["FLUSHDB", "ASYNC"]);
        c.expect(&["DBSIZE"], int(0));
        c.ok(&["SET", "a", "1"]);
        c.ok(&["SELECT", "2"]);
        c.ok(&["SET", "b", "1"]);
        c.ok(&["FLUSHALL"]);
        c.expect(&["DBSIZE"], int(0));
        c.ok(&["SELECT", "0"]);
        c.expect(&["DBSIZE"], int(0));
        c.ok(&["SET", "a", "1"]);
        c.ok(&["flushall", "async"]);
        c.expect(&["EXISTS", "a"], int(0));
        c.ok(&["FLUSHALL", "SYNC"]);
        c.expect(&["FLUSHDB", "FOO"], err(SYNTAX));
        c.expect(&["FLUSHALL", "FOO"], err(SYNTAX));
        c.expect(&["FLUSHDB", "SYNC", "ASYNC"], err(SYNTAX));
    });
}

#[test]
fn swapdb() {
    each_server(|s| {
        let mut c = s.connect();
        let mut other = s.connect();
        c.ok(&["SET", "k", "db0"]);
        c.ok(&["SELECT", "1"]);
        c.ok(&["MSET", "k", "db1", "k2", "x"]);
        c.ok(&["SWAPDB", "0", "1"]);
        // Connections keep their index but see the swapped data.
        c.expect(&["GET", "k"], bulk("db0"));
        c.expect(&["DBSIZE"], int(1));
        other.expect(&["GET", "k"], bulk("db1"));
        other.expect(&["DBSIZE"], int(2));
        c.ok(&["SWAPDB", "1", "1"]);
        c.expect(&["GET", "k"], bulk("db0"));
        c.ok(&["SWAPDB", "1", "15"]);
        c.expect(&["DBSIZE"], int(0));
        c.expect(&["SWAPDB", "0", "16"], err(DB_RANGE));
        c.expect(&["SWAPDB", "-1", "0"], err(DB_RANGE));
        c.expect(&["SWAPDB", "a", "1"], err("ERR invalid first DB index"));
        c.expect(
            &["SWAPDB", "2147483648", "1"],
            err("ERR invalid first DB index"),
        );
        c.expect(&["SWAPDB", "0", "b"], err("ERR invalid second DB index"));
        c.expect(&["SWAPDB", "0"], err(&arity("swapdb")));
    });
}

#[test]
fn move_key() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "k", "v", "EX", "100"]);
        c.expect(&["MOVE", "k", "1"], int(1));
        c.expect(&["EXISTS", "k"], int(0));
        c.expect(&["MOVE", "k", "1"], int(0));
        c.ok(&["SELECT", "1"]);
        c.expect(&["GET", "k"], bulk("v"));
        assert!(c.cmd(&["TTL", "k"]).int_val() > 0, "TTL moves with the key");
        // Target exists: nothing moves.
        c.ok(&["SELECT", "0"]);
        c.ok(&["SET", "k", "other"]);
        c.expect(&["MOVE", "k", "1"], int(0));
        c.expect(&["GET", "k"], bulk("other"));
        c.expect(&["RPUSH", "l", "a"], int(1));
        c.expect(&["MOVE", "l", "2"], int(1));
        c.expect(&["MOVE", "k", "0"], err(SAME));
        c.expect(&["MOVE", "k", "16"], err(DB_RANGE));
        c.expect(&["MOVE", "k", "-1"], err(DB_RANGE));
        c.expect(&["MOVE", "k", "abc"], err(NOT_INT));
        c.expect(
            &["MOVE", "k", "2147483648"],
            err("ERR value is out of range, value must between -2147483648 and 2147483647"),
        );
        c.expect(&["MOVE", "k"], err(&arity("move")));
    });
}

#[test]
fn copy_key() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "src", "v", "EX", "100"]);
        c.expect(&["COPY", "src", "dst"], int(1));
        c.expect(&["GET", "dst"], bulk("v"));
        assert!(c.cmd(&["TTL", "dst"]).int_val() > 0, "TTL is copied");
        c.expect(&["GET", "src"], bulk("v"));
        // The copy is independent.
        c.expect(&["APPEND", "dst", "2"], int(2));
        c.expect(&["GET", "src"], bulk("v"));
        c.expect(&["COPY", "src", "dst"], int(0));
        c.expect(&["GET", "dst"], bulk("v2"));
        c.expect(&["COPY", "src", "dst", "REPLACE"], int(1));
        c.expect(&["GET", "dst"], bulk("v"));
        c.expect(&["COPY", "missing", "dst"], int(0));
        c.expect(&["COPY", "missing", "dst", "REPLACE"], int(0));
        c.expect(&["GET", "dst"], bulk("v"));
        // Lists.
        c.expect(&["RPUSH", "l", "a", "b"], int(2));
        c.expect(&["COPY", "l", "l2"], int(1));
        c.expect(&["RPUSH", "l2", "c"], int(3));
        c.expect(&["LRANGE", "l", "0", "-1"], bulks(&["a", "b"]));
        c.expect(&["COPY", "l", "dst", "REPLACE"], int(1));
        c.expect(&["TYPE", "dst"], status("list"));
        // To another database.
        c.ok(&["SET", "p", "persist"]);
        c.expect(&["COPY", "p", "p", "DB", "1"], int(1));
        c.expect(&["COPY", "p", "p", "DB", "1"], int(0));
        c.expect(&["COPY", "src", "p", "db", "1", "replace"], int(1));
        c.ok(&["SELECT", "1"]);
        c.expect(&["GET", "p"], bulk("v"));
        assert!(c.cmd(&["TTL", "p"]).int_val() > 0);
        c.ok(&["SELECT", "0"]);
        c.expect(&["GET", "p"], bulk("persist"));
        // Errors.
        c.expect(&["COPY", "src", "src"], err(SAME));
        c.expect(&["COPY", "src", "src", "DB", "0"], err(SAME));
        c.expect(&["COPY", "src", "x", "DB", "16"], err(DB_RANGE));
        c.expect(&["COPY", "src", "x", "DB", "abc"], err(NOT_INT));
        c.expect(
            &["COPY", "src", "x", "DB", "2147483648"],
            err("ERR value is out of range, value must between -2147483648 and 2147483647"),
        );
        c.expect(&["COPY", "src", "x", "DB"], err(SYNTAX));
        c.expect(&["COPY", "src", "x", "FOO"], err(SYNTAX));
        c.expect(&["COPY", "src"], err(&arity("copy")));
        c.expect(&["EXISTS", "x"], int(0));
    });
}

#[test]
fn object_subcommands() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "k", "hello"]);
        c.expect(&["RPUSH", "l", "a"], int(1));
        c.expect(&["OBJECT", "ENCODING", "k"], bulk("embstr"));
        c.expect(&["OBJECT", "ENCODING", "missing"], nil());
        c.expect(&["object", "encoding", "l"], bulk("quicklist"));
        c.expect(&["OBJECT", "REFCOUNT", "k"], int(1));
        c.expect(&["OBJECT", "REFCOUNT", "missing"], nil());
        let idle = c.cmd(&["OBJECT", "IDLETIME", "k"]).int_val();
        assert!((0..100).contains(&idle), "idletime {idle}");
        c.expect(&["OBJECT", "IDLETIME", "missing"], nil());
        // FREQ needs an LFU policy (the key is looked up first).
        c.expect(&["OBJECT", "FREQ", "missing"], nil());
        c.expect(
            &["OBJECT", "FREQ", "k"],
            err("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."),
        );
        // (Eviction policies, and with them LFU counters, are not built yet: oxidis
        // refuses maxmemory-policy other than noeviction.)
        // HELP
        let help = c.cmd(&["OBJECT", "HELP"]);
        let lines = help.array_val();
        assert!(
            lines.iter().all(|l| matches!(l, Reply::Status(_))),
            "HELP lines are status replies: {help:?}"
        );
        assert_eq!(
            lines[0],
            status("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:")
        );
        let text: Vec<String> = lines.iter().map(|l| l.str_val()).collect();
        for sub in [
            "ENCODING <key>",
            "FREQ <key>",
            "IDLETIME <key>",
            "REFCOUNT <key>",
            "HELP",
        ] {
            assert!(
                text.iter().any(|l| l == sub),
                "OBJECT HELP lacks {sub:?}: {text:?}"
            );
        }
        // Errors
        c.expect(
            &["OBJECT", "FOO", "k"],
            err("ERR unknown subcommand 'FOO'. Try OBJECT HELP."),
        );
        c.expect(
            &["OBJECT", "foo"],
            err("ERR unknown subcommand 'foo'. Try OBJECT HELP."),
        );
        c.expect(&["OBJECT", "ENCODING"], err(&arity("object|encoding")));
        c.expect(
            &["OBJECT", "ENCODING", "a", "b"],
            err(&arity("object|encoding")),
        );
        c.expect(&["OBJECT", "HELP", "x"], err(&arity("object|help")));
        c.expect(&["OBJECT"], err(&arity("object")));
    });
}

/// Big values leave through the lazyfree thread when the lazyfree-lazy-* options
/// ask for it: UNLINK always, overwrites and expirations when configured.
#[test]
fn big_values_are_freed_lazily() {
    each_server(|s| {
        let mut c = s.connect();
        let freed = |c: &mut Conn| -> i64 {
            info_field(&c.cmd(&["INFO", "memory"]).str_val(), "lazyfreed_objects")
                .unwrap_or_default()
                .parse()
                .unwrap_or(-1)
        };
        let fill = |c: &mut Conn, key: &str| {
            let mut cmd = vec!["HSET".to_string(), key.to_string()];
            for i in 0..2000 {
                cmd.push(format!("field:{i}"));
                cmd.push("v".repeat(100));
            }
            assert_eq!(c.cmd(&cmd), int(2000));
        };
        let before = freed(&mut c);
        fill(&mut c, "h1");
        c.expect(&["UNLINK", "h1"], int(1));
        assert!(poll_until(secs(5), || freed(&mut c) == before + 1));
        c.ok(&["CONFIG", "SET", "lazyfree-lazy-server-del", "yes"]);
        fill(&mut c, "h2");
        c.ok(&["SET", "h2", "now a string"]);
        assert!(poll_until(secs(5), || freed(&mut c) == before + 2));
        c.ok(&["CONFIG", "SET", "lazyfree-lazy-expire", "yes"]);
        fill(&mut c, "h3");
        c.expect(&["PEXPIRE", "h3", "1"], int(1));
        assert!(poll_until(secs(5), || freed(&mut c) == before + 3));
        c.expect(&["EXISTS", "h3"], int(0));
    });
}
