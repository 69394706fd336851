//! Set commands: SADD SREM SMOVE SPOP SRANDMEMBER SISMEMBER SMISMEMBER SCARD SMEMBERS
//! SSCAN SINTER/SUNION/SDIFF (+STORE) SINTERCARD, encodings, RESP3 shapes, generic
//! key commands on sets, and a seeded random differential run.

use crate::support::*;
use std::collections::{BTreeMap, BTreeSet};

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_INT: &str = "ERR value is not an integer or out of range";
const SYNTAX: &str = "ERR syntax error";

fn arity(cmd: &str) -> String {
    format!("ERR wrong number of arguments for '{cmd}' command")
}

fn enc(c: &mut Conn, key: &str) -> String {
    c.cmd(&["OBJECT", "ENCODING", key]).str_val()
}

/// SADD key m0 m1 ... with the given members.
fn sadd_all(c: &mut Conn, key: &str, members: impl IntoIterator<Item = String>) -> i64 {
    let mut args = vec!["SADD".to_string(), key.to_string()];
    args.extend(members);
    c.cmd(&args).int_val()
}

#[test]
fn sadd_srem_scard_sismember() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["SADD", "s", "a", "b", "a"], int(2));
        c.expect(&["SADD", "s", "b", "c"], int(1));
        c.expect(&["SCARD", "s"], int(3));
        c.expect(&["SCARD", "nokey"], int(0));
        c.expect(&["SISMEMBER", "s", "a"], int(1));
        c.expect(&["SISMEMBER", "s", "z"], int(0));
        c.expect(&["SISMEMBER", "nokey", "a"], int(0));
        c.expect(&["SMISMEMBER", "s", "a", "z", "c"], ints(&[1, 0, 1]));
        c.expect(&["SMISMEMBER", "nokey", "a", "b"], ints(&[0, 0]));
        c.expect_unordered(&["SMEMBERS", "s"], bulks(&["a", "b", "c"]));
        c.expect(&["SMEMBERS", "nokey"], arr(vec![]));
        c.expect(&["SREM", "s", "a", "z", "a"], int(1));
        c.expect(&["SREM", "nokey", "a"], int(0));
        c.expect(&["TYPE", "s"], status("set"));
        // Removing the last members deletes the key.
        c.expect(&["SREM", "s", "b", "c", "d"], int(2));
        c.expect(&["EXISTS", "s"], int(0));
        // Binary-safe members.
        let m: &[u8] = b"a\x00b\r\n";
        c.expect(&[b"SADD" as &[u8], b"bin", m, b""], int(2));
        c.expect(&[b"SISMEMBER" as &[u8], b"bin", m], int(1));
        c.expect(&[b"SISMEMBER" as &[u8], b"bin", b""], int(1));
        c.expect_unordered(&["SMEMBERS", "bin"], bulks(&[b"" as &[u8], m]));
    });
}

#[test]
fn wrong_type_and_arity() {
    each_server(|s| {
        let mut c = s.connect();
        c.set("str", "x");
        c.expect(&["SADD", "s", "1"], int(1));
        for cmd in [
            vec!["SADD", "str", "a"],
            vec!["SREM", "str", "a"],
            vec!["SCARD", "str"],
            vec!["SISMEMBER", "str", "a"],
            vec!["SMISMEMBER", "str", "a"],
            vec!["SMEMBERS", "str"],
            vec!["SPOP", "str"],
            vec!["SPOP", "str", "2"],
            vec!["SRANDMEMBER", "str"],
            vec!["SRANDMEMBER", "str", "2"],
            vec!["SSCAN", "str", "0"],
            vec!["SINTER", "s", "str"],
            vec!["SINTER", "nokey", "str"],
            vec!["SINTERSTORE", "d", "nokey", "str"],
            vec!["SINTERCARD", "2", "nokey", "str"],
            vec!["SUNION", "nokey", "str"],
            vec!["SUNIONSTORE", "d", "s", "str"],
            vec!["SDIFF", "nokey", "str"],
            vec!["SDIFF", "s", "str"],
            vec!["SDIFFSTORE", "d", "str", "s"],
            vec!["SMOVE", "s", "str", "1"],
            vec!["SMOVE", "str", "s", "1"],
        ] {
            c.expect(&cmd, err(WRONGTYPE));
        }
        // The destination of a failed STORE is untouched; the source of SMOVE too.
        c.expect(&["EXISTS", "d"], int(0));
        c.expect(&["SCARD", "s"], int(1));
        // A missing SMOVE source answers 0 before the destination's type is checked.
        c.expect(&["SMOVE", "nokey", "str", "1"], int(0));
        for (cmd, n) in [
            ("sadd", 2),
            ("srem", 2),
            ("scard", 1),
            ("sismember", 2),
            ("smismember", 2),
            ("smembers", 1),
            ("spop", 1),
            ("srandmember", 1),
            ("sscan", 2),
            ("sinter", 1),
            ("sinterstore", 2),
            ("sintercard", 2),
            ("sunion", 1),
            ("sunionstore", 2),
            ("sdiff", 1),
            ("sdiffstore", 2),
            ("smove", 3),
        ] {
            let mut args = vec![cmd.to_string()];
            args.extend((1..n).map(|i| format!("a{i}")));
            c.expect(&args, err(&arity(cmd)));
        }
        c.expect(&["SMOVE", "a", "b", "c", "d"], err(&arity("smove")));
        c.expect(&["SCARD", "a", "b"], err(&arity("scard")));
        c.expect(&["SISMEMBER", "a", "b", "c"], err(&arity("sismember")));
        c.expect(&["SMEMBERS", "a", "b"], err(&arity("smembers")));
    });
}

#[test]
fn intset_encoding_and_conversions() {
    each_server(|s| {
        let mut c = s.connect();
        // Integers in canonical form make an intset, of any width.
        c.expect(
            &["SADD", "i", "1", "-5", "70000", "9223372036854775807"],
            int(4),
        );
        c.expect(&["SADD", "i", "-9223372036854775808", "1"], int(1));
        assert_eq!(enc(&mut c, "i"), "intset");
        c.expect(
            &["SMEMBERS", "i"],
            bulks(&[
                "-9223372036854775808",
                "-5",
                "1",
                "70000",
                "9223372036854775807",
            ]),
        );
        c.expect(&["SISMEMBER", "i", "70000"], int(1));
        c.expect(&["SISMEMBER", "i", "070000"], int(0));
        c.expect(&["SISMEMBER", "i", "x"], int(0));
        c.expect(&["SREM", "i", "x", "+1", "1"], int(1));
        assert_eq!(enc(&mut c, "i"), "intset");
        // Non-canonical numbers are strings: the set converts.
        for (key, member) in [
            ("a", "01"),
            ("b", "-0"),
            ("c", "+1"),
            ("d", " 1"),
            ("e", "1.0"),
        ] {
            c.expect(&["SADD", key, "1", member], int(2));
            assert_eq!(enc(&mut c, key), "hashtable", "after adding {member:?}");
            c.expect(&["SISMEMBER", key, "1"], int(1));
            c.expect(&["SISMEMBER", key, member], int(1));
        }
        c.expect(&["SADD", "big", "9223372036854775808"], int(1));
        assert_eq!(enc(&mut c, "big"), "hashtable");
        // A set created from a string starts as a hashtable even if later all-integer.
        c.expect(&["SADD", "h", "x"], int(1));
        c.expect(&["SADD", "h", "1"], int(1));
        c.expect(&["SREM", "h", "x"], int(1));
        assert_eq!(enc(&mut c, "h"), "hashtable");
        // Never converts back.
        c.expect(&["SREM", "a", "01"], int(1));
        assert_eq!(enc(&mut c, "a"), "hashtable");
    });
}

#[test]
fn intset_entries_threshold() {
    each_server(|s| {
        let mut c = s.connect();
        // Default limit 512: N-1, N stay intset; N+1 converts.
        assert_eq!(sadd_all(&mut c, "s", (0..511).map(|i| i.to_string())), 511);
        assert_eq!(enc(&mut c, "s"), "intset");
        c.expect(&["SADD", "s", "511"], int(1));
        assert_eq!(enc(&mut c, "s"), "intset");
        c.expect(&["SADD", "s", "511"], int(0));
        assert_eq!(enc(&mut c, "s"), "intset");
        c.expect(&["SADD", "s", "512"], int(1));
        assert_eq!(enc(&mut c, "s"), "hashtable");
        c.expect(&["SCARD", "s"], int(513));
        // The limit is read at each write.
        c.ok(&["CONFIG", "SET", "set-max-intset-entries", "3"]);
        c.expect(&["SADD", "t", "1", "2", "3"], int(3));
        assert_eq!(enc(&mut c, "t"), "intset");
        c.expect(&["SADD", "t", "4"], int(1));
        assert_eq!(enc(&mut c, "t"), "hashtable");
        // A bigger existing intset only converts on its next successful add.
        c.ok(&["CONFIG", "SET", "set-max-intset-entries", "512"]);
        c.expect(&["SADD", "u", "1", "2", "3", "4", "5"], int(5));
        c.ok(&["CONFIG", "SET", "set-max-intset-entries", "2"]);
        c.expect(&["SADD", "u", "5"], int(0));
        assert_eq!(enc(&mut c, "u"), "intset");
        c.expect(&["SREM", "u", "5"], int(1));
        assert_eq!(enc(&mut c, "u"), "intset");
        c.expect(&["SADD", "u", "6"], int(1));
        assert_eq!(enc(&mut c, "u"), "hashtable");
        // Limit 0: even one integer converts.
        c.ok(&["CONFIG", "SET", "set-max-intset-entries", "0"]);
        c.expect(&["SADD", "z", "1"], int(1));
        assert_eq!(enc(&mut c, "z"), "hashtable");
        // STORE results are built member by member the same way.
        c.ok(&["CONFIG", "SET", "set-max-intset-entries", "3"]);
        c.expect(&["SADD", "x", "1", "2", "3"], int(3));
        c.expect(&["SADD", "y", "3", "4"], int(2));
        c.expect(&["SUNIONSTORE", "d", "x"], int(3));
        assert_eq!(enc(&mut c, "d"), "intset");
        c.expect(&["SUNIONSTORE", "d", "x", "y"], int(4));
        assert_eq!(enc(&mut c, "d"), "hashtable");
        c.expect(&["SINTERSTORE", "d", "t", "x"], int(3));
        assert_eq!(enc(&mut c, "d"), "intset");
    });
}

#[test]
fn smove_cases() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["SADD", "src", "a", "b", "1"], int(3));
        c.expect(&["SADD", "dst", "x"], int(1));
        c.expect(&["SMOVE", "src", "dst", "a"], int(1));
        c.expect(&["SMOVE", "src", "dst", "nope"], int(0));
        c.expect(&["SISMEMBER", "dst", "a"], int(1));
        c.expect(&["SISMEMBER", "src", "a"], int(0));
        // Already in the destination: still moved out of the source.
        c.expect(&["SADD", "dst", "b"], int(1));
        c.expect(&["SMOVE", "src", "dst", "b"], int(1));
        c.expect(&["SCARD", "dst"], int(3));
        // Same key: 1 if the member is there, nothing changes.
        c.expect(&["SMOVE", "src", "src", "1"], int(1));
        c.expect(&["SMOVE", "src", "src", "z"], int(0));
        c.expect(&["SCARD", "src"], int(1));
        // Moving the last member deletes the source and creates the destination
        // with the encoding the member calls for.
        c.expect(&["SMOVE", "src", "new", "1"], int(1));
        c.expect(&["EXISTS", "src"], int(0));
        assert_eq!(enc(&mut c, "new"), "intset");
        c.expect(&["SMOVE", "dst", "new2", "x"], int(1));
        assert_eq!(enc(&mut c, "new2"), "hashtable");
        // A string moved into an intset converts it.
        c.expect(&["SMOVE", "dst", "new", "a"], int(1));
        assert_eq!(enc(&mut c, "new"), "hashtable");
        c.expect(&["SMOVE", "nokey", "dst", "a"], int(0));
    });
}

#[test]
fn spop_and_srandmember() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["SPOP", "nokey"], nil());
        c.expect(&["SRANDMEMBER", "nokey"], nil());
        c.expect(&["SPOP", "nokey", "3"], arr(vec![]));
        c.expect(&["SRANDMEMBER", "nokey", "3"], arr(vec![]));
        c.expect(&["SRANDMEMBER", "nokey", "-3"], arr(vec![]));
        for (key, members) in [
            ("ints", (1..=20).map(|i| i.to_string()).collect::<Vec<_>>()),
            ("strs", (1..=20).map(|i| format!("m{i}")).collect()),
            ("big", (1..=1000).map(|i| format!("m{i}")).collect()),
        ] {
            let all: BTreeSet<String> = members.iter().cloned().collect();
            sadd_all(&mut c, key, members.clone());
            let n = members.len() as i64;
            let one = c.cmd(&["SRANDMEMBER", key]).str_val();
            assert!(all.contains(&one));
            c.expect(&["SRANDMEMBER", key, "0"], arr(vec![]));
            // Positive count: distinct members, at most the set.
            for count in [1, 5, n / 2, n - 1, n, n + 5] {
                let got = c.cmd(&["SRANDMEMBER", key, &count.to_string()]).strings();
                let uniq: BTreeSet<String> = got.iter().cloned().collect();
                assert_eq!(got.len() as i64, count.min(n), "SRANDMEMBER {key} {count}");
                assert_eq!(uniq.len(), got.len(), "distinct members");
                assert!(uniq.is_subset(&all));
            }
            // Negative count: exactly |count| members, repetitions allowed.
            let got = c
                .cmd(&["SRANDMEMBER", key, &(-3 * n).to_string()])
                .strings();
            assert_eq!(got.len() as i64, 3 * n);
            assert!(got.iter().all(|m| all.contains(m)));
            c.expect(&["SCARD", key], int(n));
            // SPOP: distinct members, removed from the set.
            c.expect(&["SPOP", key, "0"], arr(vec![]));
            let p = c.cmd(&["SPOP", key]).str_val();
            assert!(all.contains(&p));
            c.expect(&["SISMEMBER", key, &p], int(0));
            let got = c.cmd(&["SPOP", key, "3"]).strings();
            let uniq: BTreeSet<String> = got.iter().cloned().collect();
            assert_eq!(uniq.len(), 3);
            assert!(!uniq.contains(&p) && uniq.is_subset(&all));
            c.expect(&["SCARD", key], int(n - 4));
            // A count beyond the set pops everything and deletes the key.
            let rest = c.cmd(&["SPOP", key, &(n * 2).to_string()]).strings();
            assert_eq!(rest.len() as i64, n - 4);
            let mut popped: BTreeSet<String> = rest.into_iter().collect();
            popped.extend(uniq);
            popped.insert(p);
            assert_eq!(popped, all);
            c.expect(&["EXISTS", key], int(0));
        }
        // Popping one by one empties and deletes the key.
        c.expect(&["SADD", "s", "a"], int(1));
        c.expect(&["SPOP", "s"], bulk("a"));
        c.expect(&["EXISTS", "s"], int(0));
        c.expect(&["SADD", "s", "a", "b"], int(2));
        c.expect_unordered(&["SPOP", "s", "2"], bulks(&["a", "b"]));
        c.expect(&["EXISTS", "s"], int(0));
        // Popping nearly everything keeps the survivors in a new set, made for them:
        // a hashtable of integers leaves an intset behind.
        sadd_all(&mut c, "h", (0..600).map(|i| i.to_string()));
        assert_eq!(enc(&mut c, "h"), "hashtable");
        assert_eq!(c.cmd(&["SPOP", "h", "598"]).array_val().len(), 598);
        c.expect(&["SCARD", "h"], int(2));
        assert_eq!(enc(&mut c, "h"), "intset");
        // Errors.
        c.expect(&["SADD", "s", "a"], int(1));
        let pos = "ERR value is out of range, must be positive";
        c.expect(&["SPOP", "s", "-1"], err(pos));
        c.expect(&["SPOP", "s", "x"], err(pos));
        c.expect(&["SPOP", "nokey", "-1"], err(pos));
        c.expect(&["SPOP", "s", "1", "2"], err(SYNTAX));
        c.expect(&["SRANDMEMBER", "s", "x"], err(NOT_INT));
        c.expect(&["SRANDMEMBER", "nokey", "x"], err(NOT_INT));
        c.expect(&["SRANDMEMBER", "s", "9223372036854775808"], err(NOT_INT));
        c.expect(
            &["SRANDMEMBER", "s", "-9223372036854775808"],
            err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"),
        );
        c.expect(&["SRANDMEMBER", "s", "1", "2"], err(SYNTAX));
        c.expect(&["SRANDMEMBER", "s", "9223372036854775807"], bulks(&["a"]));
        c.expect(&["SPOP", "s", "9223372036854775807"], bulks(&["a"]));
    });
}

#[test]
fn algebra() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["SADD", "a", "1", "2", "3", "4"], int(4));
        c.expect(&["SADD", "b", "3", "4", "5"], int(3));
        c.expect(&["SADD", "c", "4", "x", "3"], int(3));
        c.expect(&["SINTER", "a", "b"], bulks(&["3", "4"]));
        c.expect_unordered(&["SINTER", "a", "b", "c"], bulks(&["3", "4"]));
        c.expect(&["SINTER", "a", "b", "nokey"], arr(vec![]));
        c.expect(&["SINTER", "a", "a"], bulks(&["1", "2", "3", "4"]));
        c.expect(&["SINTER", "nokey"], arr(vec![]));
        c.expect(&["SUNION", "a", "b"], bulks(&["1", "2", "3", "4", "5"]));
        c.expect_unordered(&["SUNION", "b", "c", "nokey"], bulks(&["3", "4", "5", "x"]));
        c.expect(&["SUNION", "nokey"], arr(vec![]));
        c.expect(&["SDIFF", "a", "b"], bulks(&["1", "2"]));
        c.expect(&["SDIFF", "a", "b", "c"], bulks(&["1", "2"]));
        c.expect(&["SDIFF", "a", "nokey"], bulks(&["1", "2", "3", "4"]));
        c.expect(&["SDIFF", "nokey", "a"], arr(vec![]));
        c.expect(&["SDIFF", "a", "a"], arr(vec![]));
        c.expect(&["SDIFF", "a", "b", "a"], arr(vec![]));
        c.expect(&["SDIFF", "c", "a"], bulks(&["x"]));
        // SINTERCARD.
        c.expect(&["SINTERCARD", "2", "a", "b"], int(2));
        c.expect(&["SINTERCARD", "3", "a", "b", "c"], int(2));
        c.expect(&["SINTERCARD", "2", "a", "b", "LIMIT", "1"], int(1));
        c.expect(&["SINTERCARD", "2", "a", "b", "limit", "0"], int(2));
        c.expect(&["SINTERCARD", "2", "a", "b", "LIMIT", "5"], int(2));
        c.expect(&["SINTERCARD", "2", "a", "nokey"], int(0));
        c.expect(
            &["SINTERCARD", "1", "a", "LIMIT", "2", "LIMIT", "3"],
            int(3),
        );
        c.expect(
            &["SINTERCARD", "0", "a"],
            err("ERR numkeys should be greater than 0"),
        );
        c.expect(
            &["SINTERCARD", "-1", "a"],
            err("ERR numkeys should be greater than 0"),
        );
        c.expect(
            &["SINTERCARD", "x", "a"],
            err("ERR numkeys should be greater than 0"),
        );
        c.expect(
            &["SINTERCARD", "3", "a", "b"],
            err("ERR Number of keys can't be greater than number of args"),
        );
        c.expect(
            &["SINTERCARD", "1", "a", "LIMIT", "-1"],
            err("ERR LIMIT can't be negative"),
        );
        c.expect(
            &["SINTERCARD", "1", "a", "LIMIT", "x"],
            err("ERR LIMIT can't be negative"),
        );
        c.expect(&["SINTERCARD", "1", "a", "LIMIT"], err(SYNTAX));
        c.expect(&["SINTERCARD", "1", "a", "b"], err(SYNTAX));
        // STORE variants.
        c.expect(&["SINTERSTORE", "d", "a", "b"], int(2));
        c.expect(&["SMEMBERS", "d"], bulks(&["3", "4"]));
        c.expect(&["SUNIONSTORE", "d", "a", "c"], int(5));
        c.expect_unordered(&["SMEMBERS", "d"], bulks(&["1", "2", "3", "4", "x"]));
        c.expect(&["SDIFFSTORE", "d", "a", "b"], int(2));
        c.expect(&["SMEMBERS", "d"], bulks(&["1", "2"]));
        // The destination may be a source.
        c.expect(&["SUNIONSTORE", "a", "a", "b"], int(5));
        c.expect(&["SMEMBERS", "a"], bulks(&["1", "2", "3", "4", "5"]));
        // Overwrites any type and drops the TTL.
        c.set("str", "v");
        c.expect(&["EXPIRE", "str", "100"], int(1));
        c.expect(&["SINTERSTORE", "str", "a", "b"], int(3));
        c.expect(&["TYPE", "str"], status("set"));
        c.expect(&["TTL", "str"], int(-1));
        // An empty result deletes the destination.
        for cmd in [
            vec!["SINTERSTORE", "d", "a", "nokey"],
            vec!["SUNIONSTORE", "d", "nokey"],
            vec!["SDIFFSTORE", "d", "a", "a"],
            vec!["SDIFFSTORE", "d", "nokey", "a"],
        ] {
            c.set("d", "old");
            c.expect(&cmd, int(0));
            c.expect(&["EXISTS", "d"], int(0));
        }
        c.expect(&["SINTERSTORE", "d", "nokey"], int(0));
        c.expect(&["EXISTS", "d"], int(0));
    });
}

#[test]
fn diff_algorithm_shows_in_encoding() {
    each_server(|s| {
        let mut c = s.connect();
        sadd_all(&mut c, "big", (0..600).map(|i| i.to_string()));
        sadd_all(&mut c, "s1", (0..100).map(|i| i.to_string()));
        sadd_all(&mut c, "s2", (100..200).map(|i| i.to_string()));
        // Two sets: the first is walked and the others probed; the result is built
        // member by member, so 500 integers make an intset.
        c.expect(&["SDIFFSTORE", "d", "big", "s1"], int(500));
        assert_eq!(enc(&mut c, "d"), "intset");
        // Small others: the first set is copied (600 members, a hashtable) and the
        // others' members removed, so 400 integers stay in a hashtable.
        c.expect(&["SDIFFSTORE", "d", "big", "s1", "s2"], int(400));
        assert_eq!(enc(&mut c, "d"), "hashtable");
        c.expect(&["SDIFFSTORE", "d", "s1", "big", "nokey"], int(0));
        c.expect(&["EXISTS", "d"], int(0));
    });
}

#[test]
fn sscan_cases() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["SSCAN", "nokey", "0"], arr(vec![bulk("0"), arr(vec![])]));
        // Options are not even parsed for a missing key, but the cursor is.
        c.expect(
            &["SSCAN", "nokey", "0", "bogus"],
            arr(vec![bulk("0"), arr(vec![])]),
        );
        c.expect(&["SSCAN", "nokey", "x"], err("ERR invalid cursor"));
        c.expect(&["SADD", "i", "3", "1", "2", "10"], int(4));
        // An intset is returned whole, sorted, in one call.
        c.expect(
            &["SSCAN", "i", "0", "COUNT", "1"],
            arr(vec![bulk("0"), bulks(&["1", "2", "3", "10"])]),
        );
        c.expect(
            &["SSCAN", "i", "0", "MATCH", "1*"],
            arr(vec![bulk("0"), bulks(&["1", "10"])]),
        );
        c.expect(&["SSCAN", "i", "0", "COUNT", "0"], err(SYNTAX));
        c.expect(&["SSCAN", "i", "0", "COUNT", "x"], err(NOT_INT));
        c.expect(&["SSCAN", "i", "0", "MATCH"], err(SYNTAX));
        c.expect(&["SSCAN", "i", "0", "TYPE", "set"], err(SYNTAX));
        c.expect(&["SSCAN", "i", "0", "foo", "bar"], err(SYNTAX));
        c.expect(&["SSCAN", "i", "1x"], err("ERR invalid cursor"));
        c.expect(&["SSCAN", "i", " 1"], err("ERR invalid cursor"));
        c.expect(
            &["SSCAN", "i", "18446744073709551616"],
            err("ERR invalid cursor"),
        );
        // strtoul's sign rules: "-1" wraps, "+0" is 0; an intset ignores the cursor.
        c.expect(
            &["SSCAN", "i", "-1", "MATCH", "3"],
            arr(vec![bulk("0"), bulks(&["3"])]),
        );
        c.expect(
            &["SSCAN", "i", "+0", "MATCH", "3"],
            arr(vec![bulk("0"), bulks(&["3"])]),
        );
        c.expect(
            &["SSCAN", "i", "", "MATCH", "3"],
            arr(vec![bulk("0"), bulks(&["3"])]),
        );
        c.expect(&["SSCAN", "i", "-"], err("ERR invalid cursor"));
        // A hashtable: iterate to cursor 0 and see every member exactly once.
        let all: BTreeSet<String> = (0..1000).map(|i| format!("m{i}")).collect();
        sadd_all(&mut c, "h", all.iter().cloned());
        for (pattern, want) in [
            ("*", all.clone()),
            (
                "m1*",
                all.iter()
                    .filter(|m| m.starts_with("m1"))
                    .cloned()
                    .collect(),
            ),
        ] {
            let mut seen = BTreeSet::new();
            let mut cursor = "0".to_string();
            let mut calls = 0;
            loop {
                let r = c.cmd(&["SSCAN", "h", &cursor, "MATCH", pattern, "COUNT", "50"]);
                let parts = r.array_val();
                cursor = parts[0].str_val();
                for m in parts[1].strings() {
                    seen.insert(m);
                }
                calls += 1;
                if cursor == "0" {
                    break;
                }
                assert!(calls < 10_000);
            }
            assert_eq!(seen, want);
        }
    });
}

#[test]
fn resp3_shapes() {
    each_server(|s| {
        let mut c = s.connect();
        c.cmd(&["HELLO", "3"]);
        c.expect(&["SADD", "s", "1", "2"], int(2));
        c.expect(&["SADD", "t", "2", "3"], int(2));
        c.expect(&["SMEMBERS", "s"], set(vec![bulk("1"), bulk("2")]));
        c.expect(&["SMEMBERS", "nokey"], set(vec![]));
        c.expect(&["SINTER", "s", "t"], set(vec![bulk("2")]));
        c.expect(&["SINTER", "s", "nokey"], set(vec![]));
        c.expect(
            &["SUNION", "s", "t"],
            set(vec![bulk("1"), bulk("2"), bulk("3")]),
        );
        c.expect(&["SDIFF", "s", "t"], set(vec![bulk("1")]));
        c.expect(&["SMISMEMBER", "s", "1", "9"], ints(&[1, 0]));
        c.expect(&["SPOP", "nokey"], null());
        c.expect(&["SRANDMEMBER", "nokey"], null());
        c.expect(&["SPOP", "nokey", "2"], set(vec![]));
        c.expect(&["SRANDMEMBER", "nokey", "2"], arr(vec![]));
        // SRANDMEMBER with a count may repeat members: always an array.
        c.expect(&["SRANDMEMBER", "s", "5"], bulks(&["1", "2"]));
        let r = c.cmd(&["SRANDMEMBER", "s", "-2"]);
        assert!(matches!(r, Reply::Array(ref v) if v.len() == 2), "{r:?}");
        let r = c.cmd(&["SPOP", "t", "1"]);
        assert!(matches!(r, Reply::Set(ref v) if v.len() == 1), "{r:?}");
        c.expect(&["SPOP", "s", "5"], set(vec![bulk("1"), bulk("2")]));
        c.expect(&["SSCAN", "nokey", "0"], arr(vec![bulk("0"), arr(vec![])]));
    });
}

#[test]
fn generic_commands_on_sets() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["SADD", "i", "1", "2"], int(2));
        c.expect(&["SADD", "h", "a", "b"], int(2));
        c.set("str", "v");
        c.expect(&["TYPE", "i"], status("set"));
        c.expect(&["TYPE", "h"], status("set"));
        let r = c
            .cmd(&["SCAN", "0", "TYPE", "set", "COUNT", "100"])
            .array_val();
        assert_eq!(r[0], bulk("0"));
        assert_unordered(&r[1], &bulks(&["i", "h"]));
        // COPY is deep, and keeps the encoding.
        c.expect(&["COPY", "i", "i2"], int(1));
        c.expect(&["COPY", "h", "h2"], int(1));
        c.expect(&["SADD", "i2", "3"], int(1));
        c.expect(&["SADD", "h2", "c"], int(1));
        c.expect(&["SCARD", "i"], int(2));
        c.expect(&["SCARD", "h"], int(2));
        assert_eq!(enc(&mut c, "i2"), "intset");
        assert_eq!(enc(&mut c, "h2"), "hashtable");
        c.expect(&["COPY", "h", "str", "REPLACE"], int(1));
        c.expect(&["TYPE", "str"], status("set"));
        c.ok(&["RENAME", "i2", "r"]);
        c.expect(&["SMEMBERS", "r"], bulks(&["1", "2", "3"]));
        c.expect(&["MOVE", "r", "1"], int(1));
        c.ok(&["SELECT", "1"]);
        c.expect(&["SCARD", "r"], int(3));
        c.ok(&["SELECT", "0"]);
        c.expect(&["DEL", "h", "h2"], int(2));
        c.expect(&["UNLINK", "i"], int(1));
        c.expect(&["EXISTS", "h", "i"], int(0));
        // A big set goes through lazy free.
        sadd_all(&mut c, "big", (0..5000).map(|i| format!("m{i}")));
        c.expect(&["UNLINK", "big"], int(1));
        // Expired sets behave as missing.
        c.expect(&["SADD", "e", "a"], int(1));
        c.expect(&["PEXPIRE", "e", "1"], int(1));
        std::thread::sleep(millis(10));
        c.expect(&["SCARD", "e"], int(0));
        c.expect(&["SINTER", "e"], arr(vec![]));
        c.expect(&["SADD", "e", "b"], int(1));
        c.expect(&["SMEMBERS", "e"], bulks(&["b"]));
    });
}

#[test]
fn command_introspection() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(
            &["COMMAND", "GETKEYS", "SINTERCARD", "2", "a", "b"],
            bulks(&["a", "b"]),
        );
        c.expect(
            &[
                "COMMAND",
                "GETKEYS",
                "SINTERCARD",
                "2",
                "a",
                "b",
                "LIMIT",
                "1",
            ],
            bulks(&["a", "b"]),
        );
        for bad in [["5", "a"], ["0", "a"], ["x", "a"]] {
            c.expect(
                &["COMMAND", "GETKEYS", "SINTERCARD", bad[0], bad[1]],
                err("ERR Invalid arguments specified for command"),
            );
        }
        c.expect(
            &["COMMAND", "GETKEYS", "SDIFFSTORE", "d", "a", "b"],
            bulks(&["d", "a", "b"]),
        );
        c.expect(
            &["COMMAND", "GETKEYS", "SMOVE", "a", "b", "m"],
            bulks(&["a", "b"]),
        );
        let info = c.cmd(&["COMMAND", "INFO", "sintercard"]).array_val();
        let spec = &info[0].array_val()[8].array_val()[0];
        let find = spec.get("find_keys").expect("find_keys");
        assert_eq!(find.get("type"), Some(bulk("keynum")));
        assert_eq!(
            find.get("spec"),
            Some(arr(vec![
                bulk("keynumidx"),
                int(0),
                bulk("firstkey"),
                int(1),
                bulk("keystep"),
                int(1)
            ]))
        );
    });
}

/// Canonical 64-bit integer text (what an intset can hold).
fn is_int(m: &str) -> bool {
    m.parse::<i64>().is_ok_and(|n| n.to_string() == m)
}

/// A set as the model sees it: members plus the encoding Redis 7.0 would report.
#[derive(Clone, Default)]
struct ModelSet {
    m: BTreeSet<String>,
    table: bool,
}

const MAX_INTSET: usize = 16;

impl ModelSet {
    /// An empty set created for its first member (setTypeCreate).
    fn new_for(first: &str) -> ModelSet {
        ModelSet {
            m: BTreeSet::new(),
            table: !is_int(first),
        }
    }
    /// An empty intset (the start of a STORE result).
    fn intset() -> ModelSet {
        ModelSet::default()
    }
    fn add(&mut self, x: &str) -> bool {
        if !self.table && !is_int(x) {
            self.table = true;
        }
        let added = self.m.insert(x.to_string());
        if added && self.m.len() > MAX_INTSET {
            self.table = true;
        }
        added
    }
    fn encoding(&self) -> &'static str {
        if self.table {
            "hashtable"
        } else {
            "intset"
        }
    }
}

/// A few thousand random mixed set commands, each reply checked against a model
/// that also tracks the encoding Redis reports (so OBJECT ENCODING is checked too):
/// members order-insensitively, random commands (SPOP, SRANDMEMBER) by what is
/// deterministic about them (counts, membership, uniqueness), the model following
/// what SPOP actually removed.
#[test]
fn random_operations_match_model() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&[
            "CONFIG",
            "SET",
            "set-max-intset-entries",
            &MAX_INTSET.to_string(),
        ]);
        let mut g = Gen(0x5EED_1234_ABCD_0001);
        let mut model: BTreeMap<String, ModelSet> = BTreeMap::new();
        let mut log: Vec<String> = Vec::new();
        // Every command goes through these, so a failure shows the recent history.
        macro_rules! run {
            ($args:expr) => {{
                let a: Vec<String> = $args.iter().map(|x| x.to_string()).collect();
                let r = c.cmd(&a);
                log.push(format!("{} => {r:?}", a.join(" ")));
                r
            }};
        }
        macro_rules! check {
            ($cond:expr, $what:expr) => {{
                assert!(
                    $cond,
                    "{}\n--- recent commands ---\n{}",
                    $what,
                    log[log.len().saturating_sub(30)..].join("\n")
                );
            }};
        }
        macro_rules! expect {
            ($args:expr, $want:expr $(,)?) => {{
                let r = run!($args);
                let want = $want;
                check!(r == want, format!("expected {want:?}, got {r:?}"));
            }};
        }
        macro_rules! expect_unordered {
            ($args:expr, $want:expr) => {{
                let r = run!($args);
                let want = $want;
                check!(
                    r.sorted() == want.sorted(),
                    format!("expected {want:?} in any order, got {r:?}")
                );
            }};
        }
        let keys = ["k0", "k1", "k2", "k3", "k4"];
        let member = |g: &mut Gen| -> String {
            match g.below(10) {
                0 => format!("s{}", g.below(30)),
                1 => format!("{}", g.below(100_000) as i64 - 50_000),
                _ => format!("{}", g.below(40)),
            }
        };
        let members_of = |m: &BTreeMap<String, ModelSet>, k: &str| -> BTreeSet<String> {
            m.get(k).map(|s| s.m.clone()).unwrap_or_default()
        };
        let as_reply = |s: &BTreeSet<String>| bulks(&s.iter().collect::<Vec<_>>());
        for _ in 0..3000 {
            let pick = |g: &mut Gen| keys[g.below(keys.len() as u64) as usize].to_string();
            let (k, k2, k3) = (pick(&mut g), pick(&mut g), pick(&mut g));
            match g.below(15) {
                0..=2 => {
                    let ms: Vec<String> = (0..1 + g.below(6)).map(|_| member(&mut g)).collect();
                    let e = model
                        .entry(k.clone())
                        .or_insert_with(|| ModelSet::new_for(&ms[0]));
                    let added = ms.iter().filter(|m| e.add(m)).count();
                    let mut args = vec!["SADD".to_string(), k.clone()];
                    args.extend(ms);
                    expect!(args, int(added as i64));
                }
                3 => {
                    let ms: Vec<String> = (0..1 + g.below(4)).map(|_| member(&mut g)).collect();
                    let mut removed = 0;
                    if let Some(e) = model.get_mut(&k) {
                        removed = ms.iter().filter(|m| e.m.remove(*m)).count();
                        if e.m.is_empty() {
                            model.remove(&k);
                        }
                    }
                    let mut args = vec!["SREM".to_string(), k.clone()];
                    args.extend(ms);
                    expect!(args, int(removed as i64));
                }
                4 => {
                    let m = member(&mut g);
                    let moved = members_of(&model, &k).contains(&m);
                    if moved && k != k2 {
                        if let Some(e) = model.get_mut(&k) {
                            e.m.remove(&m);
                            if e.m.is_empty() {
                                model.remove(&k);
                            }
                        }
                        model
                            .entry(k2.clone())
                            .or_insert_with(|| ModelSet::new_for(&m))
                            .add(&m);
                    }
                    expect!(["SMOVE", &k, &k2, &m], int(moved as i64));
                }
                5 => {
                    let want: BTreeSet<String> = members_of(&model, &k)
                        .intersection(&members_of(&model, &k2))
                        .filter(|m| members_of(&model, &k3).contains(*m))
                        .cloned()
                        .collect();
                    expect_unordered!(["SINTER", &k, &k2, &k3], as_reply(&want));
                    let limit = g.below(4) as usize;
                    let card = if limit == 0 {
                        want.len()
                    } else {
                        want.len().min(limit)
                    };
                    expect!(
                        ["SINTERCARD", "3", &k, &k2, &k3, "LIMIT", &limit.to_string()],
                        int(card as i64),
                    );
                }
                6 => {
                    let mut want = members_of(&model, &k2);
                    want.extend(members_of(&model, &k3));
                    expect_unordered!(["SUNION", &k2, &k3], as_reply(&want));
                }
                7 => {
                    let want: BTreeSet<String> = members_of(&model, &k2)
                        .difference(&members_of(&model, &k3))
                        .cloned()
                        .collect();
                    expect_unordered!(["SDIFF", &k2, &k3], as_reply(&want));
                }
                8 => {
                    let (a, b) = (members_of(&model, &k2), members_of(&model, &k3));
                    let mut result = ModelSet::intset();
                    let cmd = match g.below(3) {
                        0 => {
                            if model.contains_key(&k2) && model.contains_key(&k3) {
                                a.intersection(&b).for_each(|m| {
                                    result.add(m);
                                });
                            }
                            "SINTERSTORE"
                        }
                        1 => {
                            a.union(&b).for_each(|m| {
                                result.add(m);
                            });
                            "SUNIONSTORE"
                        }
                        _ => {
                            // Redis copies the first set then removes when that is
                            // cheaper; the copy may convert to a hashtable.
                            let present = 1 + usize::from(model.contains_key(&k3));
                            let copy = model.contains_key(&k2)
                                && k2 != k3
                                && present * a.len() / 2 > a.len() + b.len();
                            if copy {
                                a.iter().for_each(|m| {
                                    result.add(m);
                                });
                                b.iter().for_each(|m| {
                                    result.m.remove(m);
                                });
                            } else if k2 != k3 {
                                a.difference(&b).for_each(|m| {
                                    result.add(m);
                                });
                            }
                            "SDIFFSTORE"
                        }
                    };
                    expect!([cmd, &k, &k2, &k3], int(result.m.len() as i64));
                    if result.m.is_empty() {
                        model.remove(&k);
                    } else {
                        model.insert(k.clone(), result);
                    }
                }
                9 => {
                    let count = g.below(6) as usize;
                    let before = model.get(&k).cloned().unwrap_or_default();
                    let r = run!(["SPOP", &k, &count.to_string()]).strings();
                    check!(
                        r.len() == count.min(before.m.len()),
                        format!("SPOP {count} of {} returned {}", before.m.len(), r.len())
                    );
                    let mut left = before.m.clone();
                    for m in &r {
                        check!(left.remove(m), format!("SPOP returned a non-member {m}"));
                    }
                    let remaining = left.len();
                    if left.is_empty() {
                        model.remove(&k);
                    } else if count > 0 && remaining * 5 <= count {
                        // Most members went: the survivors move to a new set created
                        // for whichever was drawn first; with all of them added, that
                        // is an intset exactly when all are integers.
                        let mut e = ModelSet::intset();
                        left.iter().for_each(|m| {
                            e.add(m);
                        });
                        model.insert(k.clone(), e);
                    } else if let Some(e) = model.get_mut(&k) {
                        e.m = left;
                    }
                }
                10 => {
                    let count = g.below(12) as i64 - 6;
                    let all = members_of(&model, &k);
                    let r = run!(["SRANDMEMBER", &k, &count.to_string()]).strings();
                    let n = if all.is_empty() {
                        0
                    } else if count < 0 {
                        count.unsigned_abs() as usize
                    } else {
                        (count as usize).min(all.len())
                    };
                    check!(
                        r.len() == n,
                        format!("SRANDMEMBER {count}: {} members", r.len())
                    );
                    check!(r.iter().all(|m| all.contains(m)), "SRANDMEMBER non-member");
                    if count > 0 {
                        let uniq: BTreeSet<&String> = r.iter().collect();
                        check!(uniq.len() == r.len(), "SRANDMEMBER repeated a member");
                    }
                }
                11 => {
                    let ms: Vec<String> = (0..3).map(|_| member(&mut g)).collect();
                    let all = members_of(&model, &k);
                    let want: Vec<i64> = ms.iter().map(|m| all.contains(m) as i64).collect();
                    let mut args = vec!["SMISMEMBER".to_string(), k.clone()];
                    args.extend(ms);
                    expect!(args, ints(&want));
                    expect!(["SCARD", &k], int(all.len() as i64));
                }
                12 => {
                    let m = member(&mut g);
                    let all = members_of(&model, &k);
                    expect!(["SISMEMBER", &k, &m], int(all.contains(&m) as i64));
                    expect_unordered!(["SMEMBERS", &k], as_reply(&all));
                }
                _ => {
                    let want = match model.get(&k) {
                        Some(e) => bulk(e.encoding()),
                        None => nil(),
                    };
                    expect!(["OBJECT", "ENCODING", &k], want);
                }
            }
        }
    });
}
