//! Blocked clients: WAIT (no replicas: it waits for its timeout), CLIENT UNBLOCK,
//! pipelined commands after a blocking one, and INFO blocked_clients.

use crate::support::*;
use std::time::Instant;

#[test]
fn wait_without_replicas() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["WAIT", "0", "0"], int(0));
        c.expect(
            &["WAIT", "x", "0"],
            err("ERR value is not an integer or out of range"),
        );
        c.expect(&["WAIT", "1", "-1"], err("ERR timeout is negative"));
        c.expect(
            &["WAIT", "1", "x"],
            err("ERR timeout is not an integer or out of range"),
        );
        let start = Instant::now();
        c.expect(&["WAIT", "1", "150"], int(0));
        assert!(start.elapsed() >= millis(140), "WAIT returned early");
        // Inside MULTI it does not block.
        c.ok(&["MULTI"]);
        c.expect(&["WAIT", "1", "0"], status("QUEUED"));
        c.expect(&["EXEC"], arr(vec![int(0)]));
    });
}

#[test]
fn blocked_client_is_unblocked_and_resumes_its_pipeline() {
    each_server(|s| {
        let mut blocked = s.connect();
        let id = blocked.cmd(&["CLIENT", "ID"]).int_val();
        let mut c = s.connect();
        // WAIT 1 0 blocks forever; the PING pipelined after it waits too.
        blocked.send_raw(&[encode_cmd(&["WAIT", "1", "0"]), encode_cmd(&["PING"])].concat());
        assert!(poll_until(secs(5), || {
            info_field(&c.cmd(&["INFO", "clients"]).str_val(), "blocked_clients")
                == Some("1".into())
        }));
        assert!(c.cmd(&["CLIENT", "LIST"]).str_val().contains("flags=b"));
        c.expect(&["CLIENT", "UNBLOCK", &id.to_string(), "TIMEOUT"], int(1));
        assert_eq!(blocked.read_reply(), int(0));
        assert_eq!(blocked.read_reply(), status("PONG"));
        c.expect(&["CLIENT", "UNBLOCK", &id.to_string()], int(0));
        // ERROR reason.
        blocked.send(&["WAIT", "1", "0"]);
        assert!(poll_until(secs(5), || {
            info_field(&c.cmd(&["INFO", "clients"]).str_val(), "blocked_clients")
                == Some("1".into())
        }));
        c.expect(&["CLIENT", "UNBLOCK", &id.to_string(), "ERROR"], int(1));
        assert_eq!(
            blocked.read_reply(),
            err("UNBLOCKED client unblocked via CLIENT UNBLOCK")
        );
        c.expect(
            &["CLIENT", "UNBLOCK", &id.to_string(), "MAYBE"],
            err("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"),
        );
        c.expect(
            &["CLIENT", "UNBLOCK", "x"],
            err("ERR value is not an integer or out of range"),
        );
        // A blocked client that disconnects is cleaned up.
        blocked.send(&["WAIT", "1", "0"]);
        assert!(poll_until(secs(5), || {
            info_field(&c.cmd(&["INFO", "clients"]).str_val(), "blocked_clients")
                == Some("1".into())
        }));
        drop(blocked);
        assert!(poll_until(secs(5), || {
            info_field(&c.cmd(&["INFO", "clients"]).str_val(), "blocked_clients")
                == Some("0".into())
        }));
    });
}

#[test]
fn bzpop_serves_waiters_in_order() {
    each_server(|s| {
        let mut c = s.connect();
        let mut a = s.connect();
        let mut b = s.connect();
        // Immediate answers.
        c.expect(&["ZADD", "z", "1", "one", "2", "two"], int(2));
        c.expect(
            &["BZPOPMIN", "nokey", "z", "0"],
            arr(vec![bulk("z"), bulk("one"), bulk("1")]),
        );
        c.expect(
            &["BZPOPMAX", "z", "0"],
            arr(vec![bulk("z"), bulk("two"), bulk("2")]),
        );
        c.expect(&["EXISTS", "z"], int(0));
        c.expect(&["BZPOPMIN", "z", "-1"], err("ERR timeout is negative"));
        c.expect(
            &["BZPOPMIN", "z", "x"],
            err("ERR timeout is not a float or out of range"),
        );
        // Two clients wait on one key: served first come, first served.
        a.send(&["BZPOPMIN", "q", "0"]);
        wait_blocked(&mut c, 1);
        b.send(&["BZPOPMIN", "q", "0"]);
        wait_blocked(&mut c, 2);
        c.expect(&["ZADD", "q", "1", "x", "2", "y"], int(2));
        assert_eq!(a.read_reply(), arr(vec![bulk("q"), bulk("x"), bulk("1")]));
        assert_eq!(b.read_reply(), arr(vec![bulk("q"), bulk("y"), bulk("2")]));
        c.expect(&["EXISTS", "q"], int(0));
        // A push inside MULTI serves the waiter after EXEC, with the final state.
        a.send(&["BZMPOP", "0", "1", "m", "MAX", "COUNT", "5"]);
        wait_blocked(&mut c, 1);
        c.ok(&["MULTI"]);
        c.expect(&["ZADD", "m", "1", "a"], status("QUEUED"));
        c.expect(&["ZADD", "m", "2", "b"], status("QUEUED"));
        c.expect(&["EXEC"], arr(vec![int(1), int(1)]));
        assert_eq!(
            a.read_reply(),
            arr(vec![
                bulk("m"),
                arr(vec![bulks(&["b", "2"]), bulks(&["a", "1"])])
            ])
        );
        // Inside MULTI a blocking pop answers at once.
        c.ok(&["MULTI"]);
        c.expect(&["BZPOPMIN", "empty", "0"], status("QUEUED"));
        c.expect(&["EXEC"], arr(vec![nil_arr()]));
    });
}

#[test]
fn bzpop_timeouts_and_wrong_types() {
    each_server(|s| {
        let mut c = s.connect();
        let mut a = s.connect();
        let start = Instant::now();
        a.expect(&["BZPOPMIN", "t", "0.2"], nil_arr());
        assert!(start.elapsed() >= millis(190), "timed out early");
        // A key that becomes another type does not wake the waiter.
        a.send(&["BZPOPMIN", "w", "0"]);
        wait_blocked(&mut c, 1);
        c.ok(&["SET", "w", "string"]);
        std::thread::sleep(millis(50));
        assert_eq!(blocked_count(&mut c), "1");
        c.expect(&["DEL", "w"], int(1));
        c.expect(&["ZADD", "w", "5", "m"], int(1));
        assert_eq!(a.read_reply(), arr(vec![bulk("w"), bulk("m"), bulk("5")]));
        // A client killed while blocked is cleaned up.
        let id = a.cmd(&["CLIENT", "ID"]).int_val();
        a.send(&["BZPOPMAX", "k", "0"]);
        wait_blocked(&mut c, 1);
        c.expect(&["CLIENT", "KILL", "ID", &id.to_string()], int(1));
        wait_blocked(&mut c, 0);
        c.expect(&["ZADD", "k", "1", "v"], int(1));
        c.expect(&["ZCARD", "k"], int(1));
    });
}

#[test]
fn list_pops_block_and_are_served_in_order() {
    each_server(|s| {
        let mut c = s.connect();
        let mut a = s.connect();
        let mut b = s.connect();
        c.expect(&["RPUSH", "l", "x", "y"], int(2));
        c.expect(&["BLPOP", "none", "l", "0"], bulks(&["l", "x"]));
        c.expect(&["BRPOP", "l", "0"], bulks(&["l", "y"]));
        c.expect(&["EXISTS", "l"], int(0));
        c.expect(
            &["BLPOP", "l", "abc"],
            err("ERR timeout is not a float or out of range"),
        );
        // Two waiters on one key, FIFO.
        a.send(&["BLPOP", "q", "0"]);
        wait_blocked(&mut c, 1);
        b.send(&["BRPOP", "q", "0"]);
        wait_blocked(&mut c, 2);
        c.expect(&["RPUSH", "q", "1", "2", "3"], int(3));
        assert_eq!(a.read_reply(), bulks(&["q", "1"]));
        assert_eq!(b.read_reply(), bulks(&["q", "3"]));
        c.expect(&["LRANGE", "q", "0", "-1"], bulks(&["2"]));
        // A BLMOVE chain: a moves from src to mid, where b waits.
        a.send(&["BLMOVE", "src", "mid", "LEFT", "RIGHT", "0"]);
        wait_blocked(&mut c, 1);
        b.send(&["BLPOP", "mid", "0"]);
        wait_blocked(&mut c, 2);
        c.expect(&["LPUSH", "src", "hop"], int(1));
        assert_eq!(a.read_reply(), bulk("hop"));
        assert_eq!(b.read_reply(), bulks(&["mid", "hop"]));
        c.expect(&["EXISTS", "src", "mid"], int(0));
        // BLMPOP and BRPOPLPUSH.
        a.send(&["BLMPOP", "0", "2", "m1", "m2", "RIGHT", "COUNT", "2"]);
        wait_blocked(&mut c, 1);
        c.expect(&["RPUSH", "m2", "a", "b", "c"], int(3));
        assert_eq!(a.read_reply(), arr(vec![bulk("m2"), bulks(&["c", "b"])]));
        a.send(&["BRPOPLPUSH", "m2", "dst", "0"]);
        assert_eq!(a.read_reply(), bulk("a"));
        // Timeouts answer a null array, and inside MULTI nothing blocks.
        a.expect(
            &["BLMOVE", "nothing", "dst", "LEFT", "LEFT", "0.1"],
            nil_arr(),
        );
        a.expect(&["BRPOPLPUSH", "nothing", "dst", "0.1"], nil_arr());
        a.expect(&["BLMPOP", "0.1", "1", "nothing", "LEFT"], nil_arr());
        c.ok(&["MULTI"]);
        c.expect(&["BLPOP", "nothing", "0"], status("QUEUED"));
        c.expect(&["EXEC"], arr(vec![nil_arr()]));
        // A key deleted and recreated as another type does not wake the waiter.
        a.send(&["BLPOP", "t", "0"]);
        wait_blocked(&mut c, 1);
        c.ok(&["SET", "t", "string"]);
        c.expect(&["DEL", "t"], int(1));
        c.expect(&["RPUSH", "t", "ok"], int(1));
        assert_eq!(a.read_reply(), bulks(&["t", "ok"]));
    });
}

#[test]
fn client_pause_postpones_commands() {
    each_server(|s| {
        let mut c = s.connect();
        let mut other = s.connect();
        c.expect(
            &["CLIENT", "PAUSE", "x"],
            err("ERR timeout is not an integer or out of range"),
        );
        c.expect(&["CLIENT", "PAUSE", "-1"], err("ERR timeout is negative"));
        c.expect(
            &["CLIENT", "PAUSE", "10", "FOO"],
            err("ERR CLIENT PAUSE mode must be WRITE or ALL"),
        );
        // ALL: even reads wait for the end of the pause.
        c.ok(&["CLIENT", "PAUSE", "300"]);
        let start = Instant::now();
        other.expect(&["GET", "k"], nil());
        assert!(start.elapsed() >= millis(200), "GET was not paused");
        // WRITE: reads go on, writes wait; UNPAUSE releases them in order.
        c.ok(&["CLIENT", "PAUSE", "100000", "WRITE"]);
        other.expect(&["GET", "k"], nil());
        other.send(&["SET", "k", "1"]);
        other.send(&["INCR", "k"]);
        assert!(poll_until(secs(5), || {
            info_field(&c.cmd(&["INFO", "clients"]).str_val(), "blocked_clients")
                == Some("1".into())
        }));
        c.expect(&["GET", "k"], nil());
        c.ok(&["CLIENT", "UNPAUSE"]);
        assert_eq!(other.read_reply(), ok());
        assert_eq!(other.read_reply(), int(2));
        // A transaction holding a write waits as a whole (queueing a write waits too).
        other.ok(&["MULTI"]);
        other.expect(&["INCR", "k"], status("QUEUED"));
        c.ok(&["CLIENT", "PAUSE", "100000", "WRITE"]);
        other.send(&["EXEC"]);
        std::thread::sleep(millis(50));
        c.expect(&["GET", "k"], bulk("2"));
        c.ok(&["CLIENT", "UNPAUSE"]);
        assert_eq!(other.read_reply(), arr(vec![int(3)]));
    });
}

/// Timeouts at the edge: Redis 7.0 turns milliseconds beyond 64 bits (inf
/// included) into a negative number, and blocks for the largest ones that fit.
#[test]
fn huge_timeouts() {
    each_server(|s| {
        let mut c = s.connect();
        for t in ["9223372036854776", "9223372036854775807", "1e300", "inf"] {
            c.expect(&["BLPOP", "l", t], err("ERR timeout is negative"));
        }
        c.expect(
            &["BLPOP", "l", "nan"],
            err("ERR timeout is not a float or out of range"),
        );
        let id = c.cmd(&["CLIENT", "ID"]).int_val().to_string();
        let mut o = s.connect();
        for cmd in [
            vec!["BLPOP", "l", "9223372036854775"],
            vec!["XREAD", "BLOCK", "9223372036854775807", "STREAMS", "s", "$"],
        ] {
            c.send(&cmd);
            assert!(poll_until(secs(5), || o.cmd(&["CLIENT", "UNBLOCK", &id]) == int(1)));
            assert_eq!(c.read_reply(), nil_arr(), "{cmd:?}");
        }
    });
}

/// Waits until `n` clients are blocked.
fn wait_blocked(c: &mut Conn, n: usize) {
    assert!(poll_until(secs(5), || {
        info_field(&c.cmd(&["INFO", "clients"]).str_val(), "blocked_clients") == Some(n.to_string())
    }));
}

/// A woken client is served from the key that became ready: a key of its that
/// turned into another type meanwhile neither keeps it waiting nor is tried
/// first, and within a transaction the first key pushed serves it.
#[test]
fn woken_clients_are_served_from_the_ready_key() {
    each_server(|s| {
        let mut c = s.connect();
        for (block, pop) in [
            (
                vec!["BLPOP", "a", "b", "0"],
                arr(vec![bulk("b"), bulk("v")]),
            ),
            (
                vec!["BLMPOP", "0", "2", "a", "b", "LEFT"],
                arr(vec![bulk("b"), bulks(&["v"])]),
            ),
        ] {
            let mut w = s.connect();
            w.send(&block);
            wait_blocked(&mut c, 1);
            c.ok(&["SET", "a", "x"]);
            c.expect(&["RPUSH", "b", "v"], int(1));
            assert_eq!(w.read_reply(), pop, "[{}] {block:?}", s.kind());
            c.expect(&["DEL", "a", "b"], int(1));
        }
        let mut w = s.connect();
        w.send(&["BZPOPMIN", "a", "b", "0"]);
        wait_blocked(&mut c, 1);
        c.ok(&["SET", "a", "x"]);
        c.expect(&["ZADD", "b", "1", "m"], int(1));
        assert_eq!(
            w.read_reply(),
            arr(vec![bulk("b"), bulk("m"), bulk("1")]),
            "[{}]",
            s.kind()
        );
        c.expect(&["DEL", "a"], int(1));
        // BLMOVE woken with a destination of another type: the error, unblocked.
        w.send(&["BLMOVE", "src", "dst", "LEFT", "RIGHT", "0"]);
        wait_blocked(&mut c, 1);
        c.ok(&["SET", "dst", "x"]);
        c.expect(&["RPUSH", "src", "v"], int(1));
        assert_eq!(
            w.read_reply(),
            err("WRONGTYPE Operation against a key holding the wrong kind of value"),
            "[{}]",
            s.kind()
        );
        wait_blocked(&mut c, 0);
        c.expect(&["LRANGE", "src", "0", "-1"], bulks(&["v"]));
        c.expect(&["DEL", "src", "dst"], int(2));
        // Both keys filled in one transaction: the first one pushed serves it.
        w.send(&["BLPOP", "a", "b", "0"]);
        wait_blocked(&mut c, 1);
        c.ok(&["MULTI"]);
        c.expect(&["RPUSH", "b", "1"], status("QUEUED"));
        c.expect(&["RPUSH", "a", "2"], status("QUEUED"));
        c.expect(&["EXEC"], arr(vec![int(1), int(1)]));
        assert_eq!(
            w.read_reply(),
            arr(vec![bulk("b"), bulk("1")]),
            "[{}]",
            s.kind()
        );
    });
}

/// A blocked command counts once in INFO commandstats, however it ends.
#[test]
fn blocked_commands_count_once() {
    each_server(|s| {
        let mut c = s.connect();
        let mut w = s.connect();
        let calls = |c: &mut Conn| {
            let text = c.cmd(&["INFO", "commandstats"]).str_val();
            info_field(&text, "cmdstat_blpop")
                .and_then(|v| v.split(',').next().map(str::to_string))
                .unwrap_or_default()
        };
        w.send(&["BLPOP", "q", "0"]);
        wait_blocked(&mut c, 1);
        // A push of a key of another name does not serve it; then one that does.
        c.expect(&["RPUSH", "other", "x"], int(1));
        c.expect(&["RPUSH", "q", "v"], int(1));
        assert_eq!(w.read_reply(), arr(vec![bulk("q"), bulk("v")]));
        assert_eq!(calls(&mut c), "calls=1", "[{}]", s.kind());
        w.expect(&["BLPOP", "q", "0.05"], nil_arr());
        assert_eq!(calls(&mut c), "calls=2", "[{}]", s.kind());
    });
}

/// CLIENT REPLY SKIP before a blocking command skips the reply it ends with:
/// served, timed out or CLIENT UNBLOCKed.
#[test]
fn client_reply_skip_covers_a_blocked_commands_reply() {
    each_server(|s| {
        let mut c = s.connect();
        let mut a = s.connect();
        let id = a.cmd(&["CLIENT", "ID"]).int_val().to_string();
        let skip_then = |a: &mut Conn, cmd: &[&str]| {
            a.send_raw(&[encode_cmd(&["CLIENT", "REPLY", "SKIP"]), encode_cmd(cmd)].concat());
        };
        skip_then(&mut a, &["BLPOP", "q", "0"]);
        wait_blocked(&mut c, 1);
        c.expect(&["RPUSH", "q", "v"], int(1));
        wait_blocked(&mut c, 0);
        a.expect(&["PING"], status("PONG"));
        skip_then(&mut a, &["BLPOP", "q", "0.05"]);
        a.expect(&["PING"], status("PONG"));
        skip_then(&mut a, &["BLPOP", "q", "0"]);
        wait_blocked(&mut c, 1);
        c.expect(&["CLIENT", "UNBLOCK", &id, "ERROR"], int(1));
        a.expect(&["PING"], status("PONG"));
        // The skip ended: the next reply comes.
        a.expect(&["LPUSH", "q", "w"], int(1));
    });
}

/// MOVE and COPY ... DB n wake clients blocked on the key in the other database.
#[test]
fn move_and_copy_wake_clients_in_the_target_database() {
    each_server(|s| {
        let mut c = s.connect();
        let mut w = s.connect();
        w.ok(&["SELECT", "1"]);
        w.send(&["BLPOP", "mk", "0"]);
        wait_blocked(&mut c, 1);
        c.expect(&["RPUSH", "mk", "x"], int(1));
        c.expect(&["MOVE", "mk", "1"], int(1));
        assert_eq!(
            w.read_reply(),
            arr(vec![bulk("mk"), bulk("x")]),
            "[{}]",
            s.kind()
        );
        w.send(&["BLPOP", "ck", "0"]);
        wait_blocked(&mut c, 1);
        c.expect(&["RPUSH", "ck", "y"], int(1));
        c.expect(&["COPY", "ck", "ck", "DB", "1"], int(1));
        assert_eq!(
            w.read_reply(),
            arr(vec![bulk("ck"), bulk("y")]),
            "[{}]",
            s.kind()
        );
    });
}

/// CLIENT UNBLOCK ... ERROR counts as the blocked command's error reply.
#[test]
fn client_unblock_error_is_counted() {
    each_server(|s| {
        let mut c = s.connect();
        let mut w = s.connect();
        let id = w.cmd(&["CLIENT", "ID"]).int_val().to_string();
        c.ok(&["CONFIG", "RESETSTAT"]);
        w.send(&["BLPOP", "q", "0"]);
        wait_blocked(&mut c, 1);
        c.expect(&["CLIENT", "UNBLOCK", &id, "ERROR"], int(1));
        assert_eq!(
            w.read_reply(),
            err("UNBLOCKED client unblocked via CLIENT UNBLOCK")
        );
        let stats = c.cmd(&["INFO", "errorstats"]).str_val();
        assert_eq!(
            info_field(&stats, "errorstat_UNBLOCKED").as_deref(),
            Some("count=1"),
            "[{}] {stats}",
            s.kind()
        );
        let cmds = c.cmd(&["INFO", "commandstats"]).str_val();
        let blpop = info_field(&cmds, "cmdstat_blpop").unwrap_or_default();
        assert!(blpop.contains("failed_calls=1"), "[{}] {blpop}", s.kind());
    });
}

/// CLIENT UNPAUSE inside a transaction: the commands the pause held run after
/// it, as their own (a BLPOP held by the pause then blocks properly).
#[test]
fn unpause_in_a_transaction_resumes_after_it() {
    each_server(|s| {
        let mut c = s.connect();
        let mut w = s.connect();
        c.ok(&["CLIENT", "PAUSE", "100000", "WRITE"]);
        w.send(&["BLPOP", "qz", "0"]);
        wait_blocked(&mut c, 1);
        c.ok(&["MULTI"]);
        c.expect(&["CLIENT", "UNPAUSE"], status("QUEUED"));
        c.expect(&["EXEC"], arr(vec![ok()]));
        // Still blocked, now on the key.
        std::thread::sleep(millis(50));
        wait_blocked(&mut c, 1);
        c.expect(&["RPUSH", "qz", "v"], int(1));
        assert_eq!(
            w.read_reply(),
            arr(vec![bulk("qz"), bulk("v")]),
            "[{}]",
            s.kind()
        );
    });
}

/// A blocking command is in the slowlog once it is served, not while it waits,
/// and not when it times out.
#[test]
fn blocked_commands_reach_the_slowlog_when_served() {
    each_server(|s| {
        let mut c = s.connect();
        let mut w = s.connect();
        c.ok(&["CONFIG", "SET", "slowlog-log-slower-than", "0"]);
        c.ok(&["SLOWLOG", "RESET"]);
        w.send(&["BLPOP", "sq", "0"]);
        wait_blocked(&mut c, 1);
        let logged = |c: &mut Conn, name: &str| {
            c.cmd(&["SLOWLOG", "GET", "100"])
                .array_val()
                .iter()
                .filter(|e| {
                    e.array_val()[3].array_val()[0]
                        .str_val()
                        .eq_ignore_ascii_case(name)
                })
                .count()
        };
        assert_eq!(logged(&mut c, "blpop"), 0, "[{}]", s.kind());
        c.expect(&["RPUSH", "sq", "v"], int(1));
        assert_eq!(w.read_reply(), arr(vec![bulk("sq"), bulk("v")]));
        assert_eq!(logged(&mut c, "blpop"), 1, "[{}]", s.kind());
        w.expect(&["BLPOP", "sq", "0.05"], nil_arr());
        assert_eq!(logged(&mut c, "blpop"), 1, "[{}]", s.kind());
    });
}
