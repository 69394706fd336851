//! Sorted set commands: ZADD ZINCRBY ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT
//! ZLEXCOUNT ZRANGE (+BYSCORE/BYLEX/REV/LIMIT) and the legacy range commands,
//! ZRANGESTORE, ZREM ZREMRANGEBY*, ZPOPMIN ZPOPMAX ZMPOP, ZRANDMEMBER, ZSCAN,
//! ZUNION ZINTER ZDIFF (+STORE) ZINTERCARD; encodings, RESP3 shapes, and a seeded
//! random differential run.

use crate::support::*;

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_INT: &str = "ERR value is not an integer or out of range";
const NOT_FLOAT: &str = "ERR value is not a valid float";
const SYNTAX: &str = "ERR syntax error";
const RANGE_FLOAT: &str = "ERR min or max is not a float";
const RANGE_LEX: &str = "ERR min or max not valid string range item";

fn arity(cmd: &str) -> String {
    format!("ERR wrong number of arguments for '{cmd}' command")
}

/// Runs the same commands on every server and asserts each server gave the same
/// replies (the first server's replies are the reference).
fn same_replies(cmds: &[Vec<String>]) {
    let mut runs: Vec<(String, Vec<Reply>)> = Vec::new();
    each_server(|s| {
        let mut c = s.connect();
        let replies = cmds.iter().map(|cmd| c.cmd(cmd)).collect();
        runs.push((s.kind().name().to_string(), replies));
    });
    if let [(a, ra), (b, rb)] = &runs[..] {
        for ((cmd, x), y) in cmds.iter().zip(ra).zip(rb) {
            assert_eq!(x, y, "{cmd:?}: {a} vs {b}");
        }
    }
}

fn cmds(lines: &[&str]) -> Vec<Vec<String>> {
    lines
        .iter()
        .map(|l| l.split_whitespace().map(String::from).collect())
        .collect()
}

#[test]
fn zadd_options_and_errors() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["ZADD", "z", "1", "a", "2", "b"], int(2));
        c.expect(&["ZADD", "z", "3", "a", "4", "c"], int(1));
        c.expect(&["ZADD", "z", "CH", "5", "a", "4", "c", "1", "d"], int(2));
        c.expect(&["ZADD", "z", "NX", "9", "a", "2", "e"], int(1));
        c.expect(&["ZSCORE", "z", "a"], bulk("5"));
        c.expect(&["ZADD", "z", "XX", "CH", "9", "a", "2", "f"], int(1));
        c.expect(&["ZSCORE", "z", "f"], nil());
        c.expect(&["ZADD", "z", "GT", "CH", "1", "a", "10", "b"], int(1));
        c.expect(&["ZSCORE", "z", "b"], bulk("10"));
        c.expect(&["ZADD", "z", "LT", "CH", "20", "b", "0", "c"], int(1));
        c.expect(&["ZSCORE", "z", "c"], bulk("0"));
        c.expect(&["ZADD", "z", "INCR", "1.5", "a"], bulk("10.5"));
        c.expect(&["ZADD", "z", "NX", "INCR", "1", "a"], nil());
        c.expect(&["ZADD", "z", "XX", "INCR", "1", "nosuch"], nil());
        c.expect(&["ZADD", "z", "GT", "INCR", "-1", "a"], nil());
        c.expect(&["ZADD", "nokey", "XX", "1", "a"], int(0));
        c.expect(&["ZADD", "nokey", "XX", "INCR", "1", "a"], nil());
        c.expect(&["EXISTS", "nokey"], int(0));
        c.expect(
            &["ZADD", "z", "NX", "XX", "1", "a"],
            err("ERR XX and NX options at the same time are not compatible"),
        );
        let gtlt = "ERR GT, LT, and/or NX options at the same time are not compatible";
        c.expect(&["ZADD", "z", "GT", "LT", "1", "a"], err(gtlt));
        c.expect(&["ZADD", "z", "GT", "NX", "1", "a"], err(gtlt));
        c.expect(
            &["ZADD", "z", "INCR", "1", "a", "2", "b"],
            err("ERR INCR option supports a single increment-element pair"),
        );
        c.expect(&["ZADD", "z", "1"], err(&arity("zadd")));
        c.expect(&["ZADD", "z", "1", "a", "2"], err(SYNTAX));
        c.expect(&["ZADD", "z", "NX", "1"], err(SYNTAX));
        c.expect(&["ZADD", "z", "x", "a"], err(NOT_FLOAT));
        c.expect(&["ZADD", "z", "nan", "a"], err(NOT_FLOAT));
        c.expect(&["ZADD", "z", "1e400", "a"], err(NOT_FLOAT));
        c.expect(&["ZADD", "z", "1", "a", "x", "b"], err(NOT_FLOAT));
        c.expect(&["ZADD", "z", "inf", "i", "-inf", "j"], int(2));
        c.expect(
            &["ZINCRBY", "z", "-inf", "i"],
            err("ERR resulting score is not a number (NaN)"),
        );
        c.expect(
            &["ZADD", "z", "INCR", "-inf", "i"],
            err("ERR resulting score is not a number (NaN)"),
        );
        c.expect(&["ZSCORE", "z", "i"], bulk("inf"));
        c.expect(&["ZINCRBY", "z", "0.1", "c"], bulk("0.10000000000000001"));
        c.expect(&["ZINCRBY", "z", "x", "c"], err(NOT_FLOAT));
        c.expect(&["ZINCRBY", "new", "2", "m"], bulk("2"));
        c.ok(&["SET", "s", "x"]);
        c.expect(&["ZADD", "s", "1", "a"], err(WRONGTYPE));
        c.expect(&["ZINCRBY", "s", "1", "a"], err(WRONGTYPE));
        c.expect(&["ZADD", "s", "x", "a"], err(NOT_FLOAT));
        c.expect(&["TYPE", "z"], status("zset"));
    });
}

#[test]
fn reads_scores_ranks_counts() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(
            &[
                "ZADD", "z", "1", "a", "2", "b", "2", "c", "3.5", "d", "-1e3", "e",
            ],
            int(5),
        );
        c.expect(&["ZCARD", "z"], int(5));
        c.expect(&["ZCARD", "none"], int(0));
        c.expect(&["ZSCORE", "z", "e"], bulk("-1000"));
        c.expect(&["ZSCORE", "none", "e"], nil());
        c.expect(
            &["ZMSCORE", "z", "a", "x", "d"],
            arr(vec![bulk("1"), nil(), bulk("3.5")]),
        );
        c.expect(&["ZMSCORE", "none", "a", "b"], arr(vec![nil(), nil()]));
        c.expect(&["ZRANK", "z", "e"], int(0));
        c.expect(&["ZRANK", "z", "c"], int(3));
        c.expect(&["ZREVRANK", "z", "c"], int(1));
        c.expect(&["ZRANK", "z", "x"], nil());
        c.expect(&["ZREVRANK", "none", "x"], nil());
        c.expect(&["ZCOUNT", "z", "-inf", "+inf"], int(5));
        c.expect(&["ZCOUNT", "z", "(1", "2"], int(2));
        c.expect(&["ZCOUNT", "z", "(1", "(2"], int(0));
        c.expect(&["ZCOUNT", "z", "2", "1"], int(0));
        c.expect(&["ZCOUNT", "z", "1e400", "-1e400"], int(0));
        c.expect(&["ZCOUNT", "z", "-1e400", "1e400"], int(5));
        c.expect(&["ZCOUNT", "z", "", "("], int(0));
        c.expect(&["ZCOUNT", "z", "x", "1"], err(RANGE_FLOAT));
        c.expect(&["ZCOUNT", "z", "1", "nan"], err(RANGE_FLOAT));
        c.expect(&["ZCOUNT", "z", "((1", "2"], err(RANGE_FLOAT));
        c.expect(
            &["ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d"],
            int(4),
        );
        c.expect(&["ZLEXCOUNT", "l", "-", "+"], int(4));
        c.expect(&["ZLEXCOUNT", "l", "[b", "(d"], int(2));
        c.expect(&["ZLEXCOUNT", "l", "(a", "[a"], int(0));
        c.expect(&["ZLEXCOUNT", "l", "+", "-"], int(0));
        c.expect(&["ZLEXCOUNT", "l", "a", "[b"], err(RANGE_LEX));
        c.expect(&["ZLEXCOUNT", "none", "-", "+"], int(0));
        c.ok(&["SET", "s", "x"]);
        for cmd in [
            vec!["ZCARD", "s"],
            vec!["ZSCORE", "s", "a"],
            vec!["ZMSCORE", "s", "a"],
            vec!["ZRANK", "s", "a"],
            vec!["ZREVRANK", "s", "a"],
            vec!["ZCOUNT", "s", "0", "1"],
            vec!["ZLEXCOUNT", "s", "-", "+"],
        ] {
            c.expect(&cmd, err(WRONGTYPE));
        }
        c.expect(&["ZCOUNT", "s", "x", "1"], err(RANGE_FLOAT));
        c.expect(&["ZMSCORE", "z"], err(&arity("zmscore")));
    });
}

#[test]
fn zrange_forms() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(
            &["ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d"],
            int(4),
        );
        c.expect(&["ZRANGE", "z", "0", "-1"], bulks(&["a", "b", "c", "d"]));
        c.expect(
            &["ZRANGE", "z", "1", "2", "WITHSCORES"],
            bulks(&["b", "2", "c", "3"]),
        );
        c.expect(&["ZRANGE", "z", "-2", "100"], bulks(&["c", "d"]));
        c.expect(&["ZRANGE", "z", "3", "1"], bulks::<&str>(&[]));
        c.expect(&["ZRANGE", "z", "0", "0", "REV"], bulks(&["d"]));
        c.expect(
            &["ZREVRANGE", "z", "0", "1", "WITHSCORES"],
            bulks(&["d", "4", "c", "3"]),
        );
        c.expect(&["ZRANGE", "z", "(1", "3", "BYSCORE"], bulks(&["b", "c"]));
        c.expect(
            &["ZRANGE", "z", "3", "(1", "BYSCORE", "REV"],
            bulks(&["c", "b"]),
        );
        c.expect(
            &["ZRANGE", "z", "-inf", "inf", "BYSCORE", "LIMIT", "1", "2"],
            bulks(&["b", "c"]),
        );
        c.expect(
            &[
                "ZRANGE",
                "z",
                "+inf",
                "-inf",
                "BYSCORE",
                "REV",
                "LIMIT",
                "1",
                "-1",
                "WITHSCORES",
            ],
            bulks(&["c", "3", "b", "2", "a", "1"]),
        );
        c.expect(
            &[
                "ZRANGEBYSCORE",
                "z",
                "2",
                "+inf",
                "WITHSCORES",
                "LIMIT",
                "0",
                "1",
            ],
            bulks(&["b", "2"]),
        );
        c.expect(
            &["ZRANGEBYSCORE", "z", "-inf", "inf", "LIMIT", "-1", "5"],
            bulks::<&str>(&[]),
        );
        c.expect(
            &["ZRANGEBYSCORE", "z", "-inf", "inf", "LIMIT", "1", "0"],
            bulks::<&str>(&[]),
        );
        c.expect(&["ZREVRANGEBYSCORE", "z", "(4", "2"], bulks(&["c", "b"]));
        c.expect(
            &["ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d"],
            int(4),
        );
        c.expect(
            &["ZRANGE", "l", "[b", "+", "BYLEX"],
            bulks(&["b", "c", "d"]),
        );
        c.expect(
            &["ZRANGE", "l", "(c", "-", "BYLEX", "REV"],
            bulks(&["b", "a"]),
        );
        c.expect(
            &["ZRANGEBYLEX", "l", "-", "+", "LIMIT", "1", "2"],
            bulks(&["b", "c"]),
        );
        c.expect(&["ZREVRANGEBYLEX", "l", "+", "[b"], bulks(&["d", "c", "b"]));
        c.expect(&["ZRANGE", "none", "0", "-1"], bulks::<&str>(&[]));
        // Errors, in Redis's order.
        c.expect(&["ZRANGE", "z", "0", "1", "LIMIT", "0", "1"], err("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"));
        c.expect(
            &["ZRANGE", "z", "a", "b", "BYLEX", "WITHSCORES"],
            err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"),
        );
        c.expect(
            &["ZRANGEBYLEX", "l", "-", "+", "WITHSCORES"],
            err("ERR syntax error, WITHSCORES not supported in combination with BYLEX"),
        );
        c.expect(&["ZRANGE", "z", "0", "1", "BOGUS"], err(SYNTAX));
        c.expect(&["ZRANGE", "z", "0", "1", "LIMIT", "0"], err(SYNTAX));
        c.expect(&["ZRANGE", "z", "x", "1"], err(NOT_INT));
        c.expect(&["ZRANGE", "z", "x", "1", "BYSCORE"], err(RANGE_FLOAT));
        c.expect(&["ZRANGE", "z", "x", "1", "BYLEX"], err(RANGE_LEX));
        c.expect(
            &["ZRANGE", "z", "0", "1", "BYSCORE", "LIMIT", "x", "1"],
            err(NOT_INT),
        );
        c.expect(&["ZREVRANGE", "z", "0", "1", "REV"], err(SYNTAX));
        c.expect(&["ZRANGEBYSCORE", "z", "0", "1", "BYLEX"], err(SYNTAX));
        c.ok(&["SET", "s", "x"]);
        c.expect(&["ZRANGE", "s", "0", "1"], err(WRONGTYPE));
        c.expect(&["ZRANGE", "s", "x", "1"], err(NOT_INT));
        c.expect(&["ZRANGE", "z", "0"], err(&arity("zrange")));
        // ZRANGESTORE
        c.expect(&["ZRANGESTORE", "dst", "z", "1", "-1"], int(3));
        c.expect(
            &["ZRANGE", "dst", "0", "-1", "WITHSCORES"],
            bulks(&["b", "2", "c", "3", "d", "4"]),
        );
        c.expect(&["ZRANGESTORE", "dst", "z", "5", "+inf", "BYSCORE"], int(0));
        c.expect(&["EXISTS", "dst"], int(0));
        c.expect(&["ZRANGESTORE", "s", "z", "0", "0"], int(1));
        c.expect(&["TYPE", "s"], status("zset"));
        c.expect(
            &["ZRANGESTORE", "dst", "z", "0", "1", "WITHSCORES"],
            err(SYNTAX),
        );
        c.expect(
            &[
                "ZRANGESTORE",
                "dst",
                "l",
                "[c",
                "-",
                "BYLEX",
                "REV",
                "LIMIT",
                "0",
                "2",
            ],
            int(2),
        );
        c.expect(&["ZRANGE", "dst", "0", "-1"], bulks(&["b", "c"]));
    });
}

#[test]
fn removal_and_pops() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(
            &[
                "ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e",
            ],
            int(5),
        );
        c.expect(&["ZREM", "z", "a", "x", "b"], int(2));
        c.expect(&["ZREM", "none", "a"], int(0));
        c.expect(&["ZREMRANGEBYRANK", "z", "0", "0"], int(1));
        c.expect(&["ZREMRANGEBYSCORE", "z", "(4", "inf"], int(1));
        c.expect(&["ZRANGE", "z", "0", "-1"], bulks(&["d"]));
        c.expect(&["ZREM", "z", "d"], int(1));
        c.expect(&["EXISTS", "z"], int(0));
        c.expect(&["ZADD", "l", "0", "a", "0", "b", "0", "c"], int(3));
        c.expect(&["ZREMRANGEBYLEX", "l", "(a", "+"], int(2));
        c.expect(&["ZREMRANGEBYLEX", "l", "x", "+"], err(RANGE_LEX));
        c.expect(&["ZREMRANGEBYSCORE", "l", "x", "+"], err(RANGE_FLOAT));
        c.expect(&["ZREMRANGEBYRANK", "l", "x", "1"], err(NOT_INT));
        c.expect(&["ZREMRANGEBYRANK", "none", "0", "1"], int(0));
        c.expect(
            &["ZADD", "p", "1", "a", "2", "b", "3", "c", "4", "d"],
            int(4),
        );
        c.expect(&["ZPOPMIN", "p"], bulks(&["a", "1"]));
        c.expect(&["ZPOPMAX", "p", "2"], bulks(&["d", "4", "c", "3"]));
        c.expect(&["ZPOPMIN", "p", "0"], bulks::<&str>(&[]));
        c.expect(
            &["ZPOPMIN", "p", "-1"],
            err("ERR value is out of range, must be positive"),
        );
        c.expect(
            &["ZPOPMIN", "p", "x"],
            err("ERR value is out of range, must be positive"),
        );
        c.expect(&["ZPOPMIN", "p", "1", "2"], err(SYNTAX));
        c.expect(&["ZPOPMAX", "p", "10"], bulks(&["b", "2"]));
        c.expect(&["EXISTS", "p"], int(0));
        c.expect(&["ZPOPMIN", "p"], bulks::<&str>(&[]));
        c.expect(&["ZADD", "m", "1", "a", "2", "b", "3", "c"], int(3));
        c.expect(
            &["ZMPOP", "2", "none", "m", "MAX", "COUNT", "2"],
            arr(vec![
                bulk("m"),
                arr(vec![bulks(&["c", "3"]), bulks(&["b", "2"])]),
            ]),
        );
        c.expect(
            &["ZMPOP", "1", "m", "MIN"],
            arr(vec![bulk("m"), arr(vec![bulks(&["a", "1"])])]),
        );
        c.expect(&["ZMPOP", "1", "m", "MIN"], nil_arr());
        c.expect(
            &["ZMPOP", "0", "m", "MIN"],
            err("ERR numkeys should be greater than 0"),
        );
        c.expect(&["ZMPOP", "1", "m", "FOO"], err(SYNTAX));
        c.expect(
            &["ZMPOP", "1", "m", "MIN", "COUNT", "0"],
            err("ERR count should be greater than 0"),
        );
        c.expect(
            &["ZMPOP", "1", "m", "MIN", "COUNT", "1", "COUNT", "1"],
            err(SYNTAX),
        );
        c.expect(&["ZMPOP", "3", "m", "MIN"], err(SYNTAX));
        c.expect(
            &["ZMPOP", "x", "m", "MIN"],
            err("ERR numkeys should be greater than 0"),
        );
        c.ok(&["SET", "s", "x"]);
        c.expect(&["ZMPOP", "1", "s", "MIN"], err(WRONGTYPE));
        c.expect(&["ZPOPMIN", "s"], err(WRONGTYPE));
        c.expect(&["ZREM", "s", "a"], err(WRONGTYPE));
    });
}

#[test]
fn set_operations() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["ZADD", "a", "1", "x", "2", "y", "3", "z"], int(3));
        c.expect(&["ZADD", "b", "10", "y", "20", "z", "30", "w"], int(3));
        c.expect(
            &["ZUNION", "2", "a", "b", "WITHSCORES"],
            bulks(&["x", "1", "y", "12", "z", "23", "w", "30"]),
        );
        c.expect(
            &[
                "ZUNION",
                "2",
                "a",
                "b",
                "WEIGHTS",
                "2",
                "0.5",
                "AGGREGATE",
                "MAX",
            ],
            bulks(&["x", "y", "z", "w"]),
        );
        c.expect(
            &["ZINTER", "2", "a", "b", "AGGREGATE", "MIN", "WITHSCORES"],
            bulks(&["y", "2", "z", "3"]),
        );
        c.expect(&["ZINTER", "2", "a", "none"], bulks::<&str>(&[]));
        c.expect(&["ZDIFF", "2", "a", "b", "WITHSCORES"], bulks(&["x", "1"]));
        c.expect(&["ZINTERCARD", "2", "a", "b"], int(2));
        c.expect(&["ZINTERCARD", "2", "a", "b", "LIMIT", "1"], int(1));
        c.expect(
            &["ZINTERCARD", "2", "a", "b", "LIMIT", "-1"],
            err("ERR LIMIT can't be negative"),
        );
        c.expect(
            &["ZINTERCARD", "0", "a"],
            err("ERR at least 1 input key is needed for 'zintercard' command"),
        );
        c.expect(
            &["ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "-1"],
            int(4),
        );
        c.expect(
            &["ZRANGE", "d", "0", "-1", "WITHSCORES"],
            bulks(&["w", "-30", "z", "-17", "y", "-8", "x", "1"]),
        );
        c.expect(&["ZINTERSTORE", "d", "2", "a", "b"], int(2));
        c.expect(&["ZDIFFSTORE", "d", "2", "b", "a"], int(1));
        c.expect(
            &["ZRANGE", "d", "0", "-1", "WITHSCORES"],
            bulks(&["w", "30"]),
        );
        c.expect(&["ZINTERSTORE", "d", "2", "a", "none"], int(0));
        c.expect(&["EXISTS", "d"], int(0));
        c.expect(&["ZADD", "i", "inf", "x"], int(1));
        c.expect(&["ZADD", "j", "-inf", "x"], int(1));
        c.expect(&["ZUNION", "2", "i", "j", "WITHSCORES"], bulks(&["x", "0"]));
        c.expect(
            &["ZUNION", "1", "i", "WEIGHTS", "0", "WITHSCORES"],
            bulks(&["x", "0"]),
        );
        c.expect(
            &["ZUNION", "0", "a"],
            err("ERR at least 1 input key is needed for 'zunion' command"),
        );
        c.expect(
            &["ZUNIONSTORE", "d", "0", "a"],
            err("ERR at least 1 input key is needed for 'zunionstore' command"),
        );
        c.expect(&["ZUNION", "3", "a", "b"], err(SYNTAX));
        c.expect(&["ZUNION", "x", "a"], err(NOT_INT));
        c.expect(
            &["ZUNION", "2", "a", "b", "WEIGHTS", "1", "x"],
            err("ERR weight value is not a float"),
        );
        c.expect(&["ZUNION", "2", "a", "b", "WEIGHTS", "1"], err(SYNTAX));
        c.expect(&["ZUNION", "2", "a", "b", "AGGREGATE", "AVG"], err(SYNTAX));
        c.expect(&["ZDIFF", "2", "a", "b", "WEIGHTS", "1", "1"], err(SYNTAX));
        c.expect(
            &["ZUNIONSTORE", "d", "2", "a", "b", "WITHSCORES"],
            err(SYNTAX),
        );
        c.ok(&["SET", "s", "x"]);
        c.expect(&["ZUNION", "2", "a", "s"], err(WRONGTYPE));
        c.expect(&["ZUNION", "2", "a", "s", "BOGUS"], err(WRONGTYPE));
        c.expect(&["ZUNIONSTORE", "s", "1", "a"], int(3));
        c.expect(&["TYPE", "s"], status("zset"));
    });
}

#[test]
fn randmember_and_scan() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["ZRANDMEMBER", "none"], nil());
        c.expect(&["ZRANDMEMBER", "none", "3"], bulks::<&str>(&[]));
        c.expect(&["ZADD", "z", "1", "a", "2", "b", "3", "c"], int(3));
        c.expect_unordered(&["ZRANDMEMBER", "z", "5"], bulks(&["a", "b", "c"]));
        c.expect_unordered(
            &["ZRANDMEMBER", "z", "3", "WITHSCORES"],
            bulks(&["a", "1", "b", "2", "c", "3"]),
        );
        assert_eq!(c.cmd(&["ZRANDMEMBER", "z", "2"]).array_val().len(), 2);
        let rep = c.cmd(&["ZRANDMEMBER", "z", "-7", "WITHSCORES"]).strings();
        assert_eq!(rep.len(), 14);
        for pair in rep.chunks(2) {
            let want = match pair[0].as_str() {
                "a" => "1",
                "b" => "2",
                "c" => "3",
                other => panic!("unexpected member {other}"),
            };
            assert_eq!(pair[1], want);
        }
        c.expect(&["ZRANDMEMBER", "z", "0"], bulks::<&str>(&[]));
        c.expect(&["ZRANDMEMBER", "z", "x"], err(NOT_INT));
        c.expect(&["ZRANDMEMBER", "z", "1", "x"], err(SYNTAX));
        c.expect(&["ZRANDMEMBER", "z", "-9223372036854775808", "WITHSCORES"], err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807"));
        c.expect(
            &["ZSCAN", "z", "0"],
            arr(vec![bulk("0"), bulks(&["a", "1", "b", "2", "c", "3"])]),
        );
        c.expect(
            &["ZSCAN", "z", "0", "MATCH", "b*", "COUNT", "100"],
            arr(vec![bulk("0"), bulks(&["b", "2"])]),
        );
        c.expect(
            &["ZSCAN", "none", "0"],
            arr(vec![bulk("0"), bulks::<&str>(&[])]),
        );
        c.expect(&["ZSCAN", "z", "x"], err("ERR invalid cursor"));
        c.expect(&["ZSCAN", "z", "0", "COUNT", "0"], err(SYNTAX));
        c.expect(&["ZSCAN", "z", "0", "BOGUS", "1"], err(SYNTAX));
        c.ok(&["SET", "s", "x"]);
        c.expect(&["ZRANDMEMBER", "s"], err(WRONGTYPE));
        c.expect(&["ZSCAN", "s", "0"], err(WRONGTYPE));
        // A big set: a full scan returns every member once.
        let mut args = vec!["ZADD".to_string(), "big".to_string()];
        for i in 0..500 {
            args.push(i.to_string());
            args.push(format!("m{i}"));
        }
        c.expect(&args, int(500));
        let mut seen = std::collections::HashSet::new();
        let mut cursor = "0".to_string();
        loop {
            let rep = c.cmd(&["ZSCAN", "big", &cursor, "COUNT", "50"]).array_val();
            cursor = rep[0].str_val();
            for pair in rep[1].strings().chunks(2) {
                seen.insert(pair[0].clone());
            }
            if cursor == "0" {
                break;
            }
        }
        assert_eq!(seen.len(), 500);
        let n = c.cmd(&["ZRANDMEMBER", "big", "100"]).strings();
        assert_eq!(
            n.iter().collect::<std::collections::HashSet<_>>().len(),
            100
        );
    });
}

#[test]
fn resp3_shapes() {
    each_server(|s| {
        let mut c = s.connect();
        c.cmd(&["HELLO", "3"]);
        c.expect(&["ZADD", "z", "1", "a", "2.5", "b"], int(2));
        c.expect(&["ZSCORE", "z", "b"], dbl("2.5"));
        c.expect(&["ZSCORE", "z", "x"], null());
        c.expect(&["ZINCRBY", "z", "1", "a"], dbl("2"));
        c.expect(&["ZADD", "z", "INCR", "1", "a"], dbl("3"));
        c.expect(&["ZMSCORE", "z", "a", "x"], arr(vec![dbl("3"), null()]));
        let pairs = arr(vec![
            arr(vec![bulk("b"), dbl("2.5")]),
            arr(vec![bulk("a"), dbl("3")]),
        ]);
        c.expect(&["ZRANGE", "z", "0", "-1", "WITHSCORES"], pairs.clone());
        c.expect(
            &["ZRANGEBYSCORE", "z", "-inf", "inf", "WITHSCORES"],
            pairs.clone(),
        );
        c.expect(&["ZUNION", "1", "z", "WITHSCORES"], pairs);
        c.expect(&["ZRANGE", "z", "0", "-1"], bulks(&["b", "a"]));
        // ZRANDMEMBER WITHSCORES: one [member, double] pair per element.
        let rep = c.cmd(&["ZRANDMEMBER", "z", "-1", "WITHSCORES"]).array_val();
        assert_eq!(rep.len(), 1);
        let pair = rep[0].array_val();
        assert!(
            matches!(pair.as_slice(), [Reply::Bulk(_), Reply::Double(_)]),
            "{pair:?}"
        );
        c.expect(
            &["ZSCAN", "z", "0"],
            arr(vec![bulk("0"), bulks(&["b", "2.5", "a", "3"])]),
        );
        c.expect(&["ZPOPMIN", "z"], arr(vec![bulk("b"), dbl("2.5")]));
        c.expect(&["ZADD", "z", "1", "c"], int(1));
        c.expect(
            &["ZPOPMAX", "z", "1"],
            arr(vec![arr(vec![bulk("a"), dbl("3")])]),
        );
        c.expect(
            &["ZMPOP", "1", "z", "MIN"],
            arr(vec![bulk("z"), arr(vec![arr(vec![bulk("c"), dbl("1")])])]),
        );
        c.expect(&["ZMPOP", "1", "z", "MIN"], null());
        c.expect(&["ZADD", "z", "-inf", "c"], int(1));
        c.expect(&["ZSCORE", "z", "c"], dbl("-inf"));
    });
}

#[test]
fn encodings_at_thresholds() {
    each_server(|s| {
        let mut c = s.connect();
        let fill = |c: &mut Conn, key: &str, n: usize| {
            for i in 0..n {
                c.cmd(&["ZADD", key, &i.to_string(), &format!("m{i}")]);
            }
        };
        fill(&mut c, "a", 127);
        c.expect(&["OBJECT", "ENCODING", "a"], bulk("listpack"));
        fill(&mut c, "b", 128);
        c.expect(&["OBJECT", "ENCODING", "b"], bulk("listpack"));
        fill(&mut c, "c", 129);
        c.expect(&["OBJECT", "ENCODING", "c"], bulk("skiplist"));
        // Never converted back.
        c.expect(&["ZREMRANGEBYRANK", "c", "0", "-3"], int(127));
        c.expect(&["OBJECT", "ENCODING", "c"], bulk("skiplist"));
        let m64 = "x".repeat(64);
        let m65 = "x".repeat(65);
        c.expect(&["ZADD", "v", "1", &m64], int(1));
        c.expect(&["OBJECT", "ENCODING", "v"], bulk("listpack"));
        c.expect(&["ZADD", "v", "1", &m65], int(1));
        c.expect(&["OBJECT", "ENCODING", "v"], bulk("skiplist"));
        c.expect(&["ZADD", "w", "1", &m65], int(1));
        c.expect(&["OBJECT", "ENCODING", "w"], bulk("skiplist"));
        // A ZADD of many pairs does not convert up front (7.0): repeated members stay packed.
        let mut args = vec!["ZADD".to_string(), "r".to_string()];
        for _ in 0..129 {
            args.push("1".into());
            args.push("same".into());
        }
        c.expect(&args, int(1));
        c.expect(&["OBJECT", "ENCODING", "r"], bulk("listpack"));
        // Stored results pick the encoding for their size.
        c.expect(&["ZUNIONSTORE", "u", "1", "c"], int(2));
        c.expect(&["OBJECT", "ENCODING", "u"], bulk("listpack"));
        c.expect(&["ZRANGESTORE", "u", "b", "0", "-1"], int(128));
        c.expect(&["OBJECT", "ENCODING", "u"], bulk("listpack"));
        c.expect(&["ZUNIONSTORE", "u", "2", "b", "c"], int(129));
        c.expect(&["OBJECT", "ENCODING", "u"], bulk("skiplist"));
        c.ok(&["CONFIG", "SET", "zset-max-listpack-entries", "0"]);
        c.expect(&["ZADD", "zero", "1", "a"], int(1));
        c.expect(&["OBJECT", "ENCODING", "zero"], bulk("skiplist"));
        c.ok(&["CONFIG", "SET", "zset-max-listpack-entries", "128"]);
        // -0 is kept as 0 in the listpack encoding, as -0 in the skiplist one.
        c.expect(&["ZADD", "a", "-0", "neg"], int(1));
        c.expect(&["ZSCORE", "a", "neg"], bulk("0"));
        c.expect(&["ZADD", "c", "-0", "neg"], int(1));
        c.expect(&["ZSCORE", "c", "neg"], bulk("-0"));
        // Generic commands see the type.
        c.expect(&["TYPE", "c"], status("zset"));
        c.expect(&["COPY", "c", "c2"], int(1));
        let orig = c.cmd(&["ZRANGE", "c", "0", "-1", "WITHSCORES"]);
        c.expect(&["ZRANGE", "c2", "0", "-1", "WITHSCORES"], orig);
        c.expect(&["OBJECT", "ENCODING", "c2"], bulk("skiplist"));
        c.expect(&["COPY", "a", "a2"], int(1));
        c.expect(&["ZCARD", "a2"], int(128));
        c.ok(&["SET", "str", "x"]);
        let rep = c
            .cmd(&["SCAN", "0", "TYPE", "zset", "COUNT", "1000"])
            .array_val();
        let mut keys = rep[1].strings();
        keys.sort();
        assert!(
            keys.contains(&"c2".to_string()) && !keys.contains(&"str".to_string()),
            "{keys:?}"
        );
        c.expect(&["RENAME", "c2", "c3"], ok());
        c.expect(&["ZCARD", "c3"], int(3));
        c.expect(&["DEL", "c3", "a2"], int(2));
    });
}

#[test]
fn command_info_and_docs_match() {
    let names = "zadd zcard zcount zdiff zdiffstore zincrby zinter zintercard zinterstore \
        zlexcount zmpop zmscore zpopmax zpopmin zrandmember zrange zrangebylex zrangebyscore \
        zrangestore zrank zrem zremrangebylex zremrangebyrank zremrangebyscore zrevrange \
        zrevrangebylex zrevrangebyscore zrevrank zscan zscore zunion zunionstore";
    let mut script = Vec::new();
    for n in names.split_whitespace() {
        script.push(vec!["COMMAND".to_string(), "INFO".into(), n.into()]);
        script.push(vec!["COMMAND".to_string(), "DOCS".into(), n.into()]);
    }
    same_replies(&script);
}

#[test]
fn error_matrix_matches_redis() {
    same_replies(&cmds(&[
        "ZADD z 1 a 2 b 3 c",
        "SET s x",
        "ZADD",
        "ZADD z",
        "ZADD z nx",
        "ZADD z ch incr 1 a",
        "ZADD z GT CH 0 a 5 b",
        "ZINCRBY z",
        "ZCARD",
        "ZCARD z extra",
        "ZRANGE z 0 -1 withscores limit 0 1",
        "ZRANGE z (1 5 byscore bylex",
        "ZRANGE z 0 1 rev rev",
        "ZRANGE z 0 1 byscore limit 0 1 limit 1 1",
        "ZRANGEBYSCORE z 0 10 limit 0",
        "ZRANGEBYSCORE z 0x10 0X1p3",
        "ZRANGEBYSCORE z ( (",
        "ZRANGEBYSCORE z 1e-400 inf",
        "ZRANGEBYSCORE z 1.5e400 -inf",
        "ZREVRANGEBYSCORE z inf -inf withscores limit 1 1",
        "ZREVRANGEBYLEX z + - limit 0 2",
        "ZRANGESTORE d z 0 -1 rev",
        "ZRANGE d 0 -1 withscores",
        "ZRANGESTORE d s 0 -1",
        "ZRANGESTORE d z x 1",
        "ZREMRANGEBYSCORE z (1 (1",
        "ZREMRANGEBYRANK z 5 10",
        "ZPOPMAX z 1 1",
        "ZPOPMIN",
        "ZMPOP 1 z",
        "ZMPOP 1 z max count",
        "ZMPOP 1 z max count x",
        "ZMPOP -1 z max",
        "ZINTERCARD 2 z",
        "ZINTERCARD 1 z limit",
        "ZINTERCARD 1 z limit x",
        "ZINTERCARD 1 s",
        "ZINTERCARD x z",
        "ZDIFFSTORE d 1",
        "ZDIFFSTORE d 1 z aggregate sum",
        "ZINTERSTORE d 1 z weights 2 aggregate max",
        "ZRANGE d 0 -1 withscores",
        "ZUNION 1 z aggregate",
        "ZUNION 1 z weights",
        "ZUNION 1 z withscores withscores",
        "ZSCAN z 0 match",
        "ZSCAN z -1",
        "ZSCAN z 0 count x",
        "ZSCAN z 18446744073709551616",
        "ZRANDMEMBER z 1 withscores extra",
        "ZRANDMEMBER z 4611686018427387904 withscores",
        "ZMSCORE z",
        "ZREVRANK z",
        "ZLEXCOUNT z [a",
        "OBJECT ENCODING z",
        "COMMAND GETKEYS ZUNIONSTORE d 2 a b WEIGHTS 1 2",
        "COMMAND GETKEYS ZUNION 2 a b WITHSCORES",
        "COMMAND GETKEYS ZINTERCARD 1 a LIMIT 1",
        "COMMAND GETKEYS ZMPOP 2 a b MIN",
        "COMMAND GETKEYS ZDIFFSTORE d 1 a",
        "COMMAND GETKEYS ZRANGESTORE d s 0 1",
        "COMMAND GETKEYS ZUNION 3 a b",
        "COMMAND GETKEYS ZUNION 0 a",
        "COMMAND GETKEYS ZUNION x a",
        "COMMAND GETKEYS ZADD z 1 a",
    ]));
}

fn random_script(seed: u64, n: usize) -> Vec<Vec<String>> {
    let mut g = Gen(seed);
    let keys = ["z1", "z2", "big"];
    let mut out: Vec<Vec<String>> = Vec::new();
    for _ in 0..n {
        let key = g.pick(&keys).to_string();
        let pool = if key == "big" { 300 } else { 25 };
        let member = |g: &mut Gen| format!("m{}", g.below(pool));
        let score = |g: &mut Gen| match g.below(12) {
            0 => "inf".to_string(),
            1 => "-inf".to_string(),
            2 => format!("{}.5", g.below(10) as i64 - 5),
            _ => (g.below(21) as i64 - 10).to_string(),
        };
        let bound = |g: &mut Gen| match g.below(6) {
            0 => "-inf".to_string(),
            1 => "+inf".to_string(),
            2 => format!("({}", g.below(21) as i64 - 10),
            _ => (g.below(21) as i64 - 10).to_string(),
        };
        let lex = |g: &mut Gen| match g.below(5) {
            0 => "-".to_string(),
            1 => "+".to_string(),
            2 => format!("(m{}", g.below(30)),
            _ => format!("[m{}", g.below(30)),
        };
        let idx = |g: &mut Gen| (g.below(31) as i64 - 15).to_string();
        let mut c: Vec<String> = Vec::new();
        match g.below(26) {
            0..=5 => {
                c.push("ZADD".into());
                c.push(key.clone());
                match g.below(8) {
                    0 => c.push("NX".into()),
                    1 => c.push("XX".into()),
                    2 => c.push("GT".into()),
                    3 => c.push("LT".into()),
                    _ => {}
                }
                if g.below(3) == 0 {
                    c.push("CH".into());
                }
                let pairs = if g.below(5) == 0 {
                    1 + g.below(60)
                } else {
                    1 + g.below(4)
                };
                for _ in 0..pairs {
                    c.push(score(&mut g));
                    c.push(member(&mut g));
                }
            }
            6 => c.extend(["ZINCRBY".into(), key.clone(), score(&mut g), member(&mut g)]),
            7 => {
                c.extend(["ZREM".into(), key.clone()]);
                for _ in 0..1 + g.below(4) {
                    c.push(member(&mut g));
                }
            }
            8 => c.extend(["ZSCORE".into(), key.clone(), member(&mut g)]),
            9 => c.extend([
                "ZMSCORE".into(),
                key.clone(),
                member(&mut g),
                member(&mut g),
            ]),
            10 => c.extend([
                g.pick(&["ZRANK", "ZREVRANK"]).into(),
                key.clone(),
                member(&mut g),
            ]),
            11 => c.extend(["ZCOUNT".into(), key.clone(), bound(&mut g), bound(&mut g)]),
            12 => {
                c.extend(["ZRANGE".into(), key.clone(), idx(&mut g), idx(&mut g)]);
                if g.below(2) == 0 {
                    c.push("REV".into());
                }
                if g.below(2) == 0 {
                    c.push("WITHSCORES".into());
                }
            }
            13 => {
                c.extend([
                    "ZRANGE".into(),
                    key.clone(),
                    bound(&mut g),
                    bound(&mut g),
                    "BYSCORE".into(),
                ]);
                if g.below(2) == 0 {
                    c.push("REV".into());
                }
                if g.below(2) == 0 {
                    c.extend([
                        "LIMIT".into(),
                        g.below(5).to_string(),
                        (g.below(6) as i64 - 1).to_string(),
                    ]);
                }
                if g.below(2) == 0 {
                    c.push("WITHSCORES".into());
                }
            }
            14 => c.extend([
                g.pick(&["ZRANGEBYSCORE", "ZREVRANGEBYSCORE"]).into(),
                key.clone(),
                bound(&mut g),
                bound(&mut g),
                "WITHSCORES".into(),
            ]),
            15 => {
                // Lex commands on a set whose scores are all equal.
                c.extend([
                    "ZADD".into(),
                    "lx".into(),
                    "0".into(),
                    format!("m{}", g.below(30)),
                ]);
                out.push(c);
                let cmd = g.pick(&[
                    "ZRANGEBYLEX",
                    "ZREVRANGEBYLEX",
                    "ZLEXCOUNT",
                    "ZREMRANGEBYLEX",
                ]);
                c = vec![cmd.into(), "lx".into(), lex(&mut g), lex(&mut g)];
            }
            16 => c.extend([
                "ZREMRANGEBYRANK".into(),
                key.clone(),
                idx(&mut g),
                idx(&mut g),
            ]),
            17 => c.extend([
                "ZREMRANGEBYSCORE".into(),
                key.clone(),
                bound(&mut g),
                bound(&mut g),
            ]),
            18 => {
                c.extend([g.pick(&["ZPOPMIN", "ZPOPMAX"]).into(), key.clone()]);
                if g.below(2) == 0 {
                    c.push(g.below(4).to_string());
                }
            }
            19 => c.extend([
                "ZMPOP".into(),
                "2".into(),
                key.clone(),
                g.pick(&keys).into(),
                g.pick(&["MIN", "MAX"]).into(),
                "COUNT".into(),
                (1 + g.below(3)).to_string(),
            ]),
            20..=22 => {
                let op = g.pick(&[
                    "ZUNION",
                    "ZINTER",
                    "ZDIFF",
                    "ZUNIONSTORE",
                    "ZINTERSTORE",
                    "ZDIFFSTORE",
                ]);
                c.push(op.into());
                let store = op.ends_with("STORE");
                if store {
                    c.push(g.pick(&["dst", "z1"]).into());
                }
                c.extend(["2".into(), key.clone(), g.pick(&keys).into()]);
                if !op.starts_with("ZDIFF") {
                    if g.below(2) == 0 {
                        c.extend([
                            "WEIGHTS".into(),
                            g.pick(&["1", "2", "0.5", "-1"]).into(),
                            g.pick(&["1", "0", "3"]).into(),
                        ]);
                    }
                    if g.below(2) == 0 {
                        c.extend(["AGGREGATE".into(), g.pick(&["SUM", "MIN", "MAX"]).into()]);
                    }
                }
                if !store && g.below(2) == 0 {
                    c.push("WITHSCORES".into());
                }
            }
            23 => c.extend([
                "ZINTERCARD".into(),
                "2".into(),
                key.clone(),
                g.pick(&keys).into(),
                "LIMIT".into(),
                g.below(4).to_string(),
            ]),
            24 => {
                c.extend([
                    "ZRANGESTORE".into(),
                    "dst".into(),
                    key.clone(),
                    idx(&mut g),
                    idx(&mut g),
                ]);
                out.push(c);
                c = vec![
                    "ZRANGE".into(),
                    "dst".into(),
                    "0".into(),
                    "-1".into(),
                    "WITHSCORES".into(),
                ];
            }
            _ => {
                out.push(vec!["ZCARD".into(), key.clone()]);
                c.extend(["OBJECT".into(), "ENCODING".into(), key.clone()]);
            }
        }
        out.push(c);
    }
    for k in ["z1", "z2", "big", "lx", "dst"] {
        out.push(vec![
            "ZRANGE".into(),
            k.into(),
            "0".into(),
            "-1".into(),
            "WITHSCORES".into(),
        ]);
    }
    out
}

#[test]
fn random_operations_match_redis() {
    same_replies(&random_script(0x5eed_2026, 3000));
}

#[test]
fn random_operations_with_tiny_listpack_limits() {
    // Conversions happen all the time: few entries, and members up to 2 bytes packed.
    let mut script = cmds(&[
        "CONFIG SET zset-max-listpack-entries 4",
        "CONFIG SET zset-max-listpack-value 2",
    ]);
    script.extend(random_script(0xfeed, 3000));
    same_replies(&script);
}

/// Plain sets take part in ZUNION/ZINTER/ZDIFF/ZINTERCARD with score 1 per member.
#[test]
fn plain_sets_as_inputs() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["SADD", "s", "1", "2", "a"], int(3));
        c.expect(&["ZADD", "z", "5", "1", "7", "a", "9", "zz"], int(3));
        c.expect(
            &["ZUNION", "2", "s", "z", "WITHSCORES"],
            bulks(&["2", "1", "1", "6", "a", "8", "zz", "9"]),
        );
        c.expect(
            &["ZINTER", "2", "s", "z", "AGGREGATE", "MIN", "WITHSCORES"],
            bulks(&["1", "1", "a", "1"]),
        );
        c.expect(&["ZDIFF", "2", "s", "z"], bulks(&["2"]));
        c.expect(&["ZINTERCARD", "2", "s", "z"], int(2));
        c.expect(
            &["ZUNIONSTORE", "d", "2", "s", "z", "WEIGHTS", "2", "3"],
            int(4),
        );
        c.expect(&["ZSCORE", "d", "a"], bulk("23"));
        c.ok(&["SET", "str", "x"]);
        c.expect(
            &["ZUNION", "2", "s", "str"],
            err("WRONGTYPE Operation against a key holding the wrong kind of value"),
        );
    });
}
