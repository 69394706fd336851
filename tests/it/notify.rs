//! Keyspace notifications: `notify-keyspace-events` parsing, and the exact stream of
//! events each write command publishes (checked on both servers).

use crate::support::*;

/// A writer connection and a subscriber to every keyspace/keyevent channel.
struct Watch {
    c: Conn,
    sub: Conn,
}

impl Watch {
    fn new(s: &Server, flags: &str) -> Watch {
        let (c, sub) = watch_keyspace(s, flags);
        Watch { c, sub }
    }

    /// Runs `cmd`, returns its reply and the notifications it caused, as
    /// "channel message" with "__keyspace@0__:" shortened to "".
    fn run(&mut self, cmd: &[&str]) -> (Reply, Vec<String>) {
        let reply = self.c.cmd(cmd);
        (reply, self.drain())
    }

    /// The notifications received so far (up to a marker published now).
    fn drain(&mut self) -> Vec<String> {
        self.c.cmd(&["PUBLISH", "end", "x"]);
        let mut got = Vec::new();
        loop {
            let m = self.sub.read_reply().strings();
            if m[0] == "message" && m[1] == "end" {
                return got;
            }
            assert_eq!(m[0], "pmessage", "{m:?}");
            let ch = m[2].strip_prefix("__keyspace@0__:").unwrap_or(&m[2]);
            got.push(format!("{ch} {}", m[3]));
        }
    }

    /// Runs `cmd` and asserts the notifications it caused.
    fn ev(&mut self, cmd: &[&str], expected: &[&str]) {
        let (reply, got) = self.run(cmd);
        assert!(!reply.is_error(), "{cmd:?}: {reply:?}");
        assert_eq!(got, expected, "{cmd:?}");
    }
}

#[test]
fn config_parsing_and_canonical_form() {
    each_server(|s| {
        let mut c = s.connect();
        let cases = [
            ("KEA", "AKE"),
            ("AKE", "AKE"),
            ("gK", "gK"),
            ("g$lshzxetdKEmn", "AKEm"),
            ("n", "n"),
            ("nK", "nK"),
            ("Ag", "A"),
            ("AKEn", "AKE"),
            ("x", "x"),
            ("Em", "Em"),
            ("Elg", "glE"),
            ("", ""),
        ];
        for (set, get) in cases {
            c.ok(&["CONFIG", "SET", "notify-keyspace-events", set]);
            c.expect(
                &["CONFIG", "GET", "notify-keyspace-events"],
                bulks(&["notify-keyspace-events", get]),
            );
        }
        c.expect_err(
            &["CONFIG", "SET", "notify-keyspace-events", "KQ"],
            "ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.",
        );
        c.expect(
            &["CONFIG", "GET", "notify-keyspace-events"],
            bulks(&["notify-keyspace-events", ""]),
        );
    });
}

#[test]
fn keyspace_and_keyevent_channels() {
    each_server(|s| {
        let mut w = Watch::new(s, "KEA");
        w.ev(&["SET", "k", "v"], &["k set", "__keyevent@0__:set k"]);
        w.c.ok(&["SELECT", "3"]);
        w.ev(
            &["LPUSH", "l", "a"],
            &["__keyspace@3__:l lpush", "__keyevent@3__:lpush l"],
        );
        // Only E: no keyspace messages; neither K nor E: nothing at all.
        w.c.ok(&["SELECT", "0"]);
        w.c.ok(&["CONFIG", "SET", "notify-keyspace-events", "E$"]);
        w.ev(&["SET", "k", "v"], &["__keyevent@0__:set k"]);
        w.c.ok(&["CONFIG", "SET", "notify-keyspace-events", "A"]);
        w.ev(&["SET", "k", "v"], &[]);
        // A plain channel subscriber receives them too.
        w.c.ok(&["CONFIG", "SET", "notify-keyspace-events", "K$"]);
        let mut plain = s.connect();
        plain.expect(
            &["SUBSCRIBE", "__keyspace@0__:k"],
            arr(vec![bulk("subscribe"), bulk("__keyspace@0__:k"), int(1)]),
        );
        w.ev(&["SET", "k", "v"], &["k set"]);
        assert_eq!(
            plain.read_reply(),
            arr(vec![bulk("message"), bulk("__keyspace@0__:k"), bulk("set")])
        );
    });
}

#[test]
fn class_filtering() {
    each_server(|s| {
        let mut w = Watch::new(s, "Kg");
        w.ev(&["SET", "k", "v"], &[]);
        w.ev(&["EXPIRE", "k", "100"], &["k expire"]);
        w.ev(&["LPUSH", "l", "a"], &[]);
        w.ev(&["LPOP", "l"], &["l del"]);
        w.c.ok(&["CONFIG", "SET", "notify-keyspace-events", "Kl"]);
        w.ev(&["RPUSH", "l", "a", "b"], &["l rpush"]);
        w.ev(&["DEL", "l", "k"], &[]);
        w.ev(&["SADD", "s", "a"], &[]);
        w.ev(&["HSET", "h", "a", "1"], &[]);
        w.ev(&["ZADD", "z", "1", "a"], &[]);
        w.ev(&["SET", "k", "v"], &[]);
    });
}

#[test]
fn generic_commands() {
    each_server(|s| {
        let mut w = Watch::new(s, "KEA");
        w.c.ok(&["CONFIG", "SET", "notify-keyspace-events", "KA"]);
        w.ev(&["MSET", "a", "1", "b", "2"], &["a set", "b set"]);
        w.ev(&["DEL", "a", "nokey", "b"], &["a del", "b del"]);
        w.ev(&["SET", "a", "1"], &["a set"]);
        w.ev(&["UNLINK", "a"], &["a del"]);
        w.ev(&["SET", "a", "1"], &["a set"]);
        w.ev(&["EXPIRE", "a", "100"], &["a expire"]);
        w.ev(&["PEXPIRE", "a", "100000", "NX"], &[]);
        w.ev(&["PERSIST", "a"], &["a persist"]);
        w.ev(&["PERSIST", "a"], &[]);
        w.ev(&["EXPIREAT", "a", "1"], &["a del"]);
        w.ev(&["SET", "a", "1"], &["a set"]);
        w.ev(&["RENAME", "a", "b"], &["a rename_from", "b rename_to"]);
        w.ev(&["RENAME", "b", "b"], &[]);
        w.ev(&["SET", "c", "1"], &["c set"]);
        w.ev(&["RENAMENX", "b", "c"], &[]);
        w.ev(&["RENAMENX", "b", "d"], &["b rename_from", "d rename_to"]);
        w.ev(
            &["MOVE", "d", "2"],
            &["d move_from", "__keyspace@2__:d move_to"],
        );
        w.ev(&["COPY", "c", "e"], &["e copy_to"]);
        w.ev(&["COPY", "c", "e"], &[]);
        w.ev(
            &["COPY", "c", "e", "DB", "4", "REPLACE"],
            &["__keyspace@4__:e copy_to"],
        );
        // No keyspace events for whole-database commands in 7.0.
        w.ev(&["SWAPDB", "0", "2"], &[]);
        w.ev(&["FLUSHDB"], &[]);
        w.ev(&["FLUSHALL"], &[]);
    });
}

#[test]
fn string_commands() {
    each_server(|s| {
        let mut w = Watch::new(s, "KA");
        w.ev(&["SET", "k", "v", "EX", "100"], &["k set", "k expire"]);
        w.ev(&["SET", "k", "v", "NX"], &[]);
        w.ev(&["SET", "k", "v", "XX", "GET", "KEEPTTL"], &["k set"]);
        w.ev(&["SETNX", "k", "v"], &[]);
        w.ev(&["SETNX", "k2", "v"], &["k2 set"]);
        w.ev(&["SETEX", "k", "10", "v"], &["k set", "k expire"]);
        w.ev(&["PSETEX", "k", "10000", "v"], &["k set", "k expire"]);
        w.ev(&["GETSET", "k", "w"], &["k set"]);
        w.ev(&["APPEND", "k", "x"], &["k append"]);
        w.ev(&["APPEND", "n", "x"], &["n append"]);
        w.ev(&["SETRANGE", "k", "1", "yy"], &["k setrange"]);
        w.ev(&["SETRANGE", "k", "1", ""], &[]);
        w.ev(&["SETRANGE", "r", "1", "yy"], &["r setrange"]);
        w.ev(&["INCR", "i"], &["i incrby"]);
        w.ev(&["DECR", "i"], &["i incrby"]);
        w.ev(&["INCRBY", "i", "5"], &["i incrby"]);
        w.ev(&["DECRBY", "i", "5"], &["i incrby"]);
        w.ev(&["INCRBYFLOAT", "i", "1.5"], &["i incrbyfloat"]);
        w.ev(&["MSETNX", "x", "1", "y", "2"], &["x set", "y set"]);
        w.ev(&["MSETNX", "x", "1", "z", "2"], &[]);
        w.ev(&["GETEX", "k", "EX", "100"], &["k expire"]);
        w.ev(&["GETEX", "k", "PERSIST"], &["k persist"]);
        w.ev(&["GETEX", "k", "PERSIST"], &[]);
        w.ev(&["GETEX", "k"], &[]);
        w.ev(&["GETEX", "k", "PXAT", "1"], &["k del"]);
        w.ev(&["GETDEL", "x"], &["x del"]);
        w.ev(&["GETDEL", "x"], &[]);
        // "setbit" only when the string grows or a value changes.
        w.ev(&["SETBIT", "b", "7", "1"], &["b setbit"]);
        w.ev(&["SETBIT", "b", "7", "1"], &[]);
        w.ev(&["SETBIT", "b", "1", "0"], &[]);
        w.ev(&["SETBIT", "b", "20", "0"], &["b setbit"]);
        w.ev(&["SETBIT", "b", "1", "1"], &["b setbit"]);
        w.ev(&["BITFIELD", "b", "SET", "u8", "8", "0"], &[]);
        w.ev(&["BITFIELD", "b", "SET", "u8", "8", "3"], &["b setbit"]);
        w.ev(&["BITFIELD", "b", "INCRBY", "u8", "8", "0"], &[]);
        w.ev(
            &[
                "BITFIELD", "b", "INCRBY", "u8", "8", "1", "INCRBY", "u8", "8", "1",
            ],
            &["b setbit"],
        );
        w.ev(&["BITFIELD", "b", "SET", "u8", "64", "0"], &["b setbit"]);
        w.ev(&["BITFIELD", "nb", "SET", "u8", "0", "0"], &["nb setbit"]);
        w.ev(&["BITFIELD", "b", "GET", "u8", "0"], &[]);
        w.ev(
            &[
                "BITFIELD", "b", "OVERFLOW", "FAIL", "INCRBY", "u2", "0", "9",
            ],
            &[],
        );
        w.ev(&["BITOP", "OR", "d", "b", "y"], &["d set"]);
        w.ev(&["BITOP", "AND", "d", "none"], &["d del"]);
        w.ev(&["BITOP", "AND", "d", "none"], &[]);
    });
}

#[test]
fn list_commands() {
    each_server(|s| {
        let mut w = Watch::new(s, "KA");
        w.ev(&["LPUSH", "l", "a", "b"], &["l lpush"]);
        w.ev(&["RPUSH", "l", "c"], &["l rpush"]);
        w.ev(&["LPUSHX", "l", "z"], &["l lpush"]);
        w.ev(&["RPUSHX", "l", "z"], &["l rpush"]);
        w.ev(&["LPUSHX", "nol", "z"], &[]);
        w.ev(&["LSET", "l", "0", "q"], &["l lset"]);
        w.ev(&["LINSERT", "l", "BEFORE", "q", "p"], &["l linsert"]);
        w.ev(&["LINSERT", "l", "BEFORE", "nothere", "p"], &[]);
        w.ev(&["LREM", "l", "0", "z"], &["l lrem"]);
        w.ev(&["LREM", "l", "0", "z"], &[]);
        w.ev(&["LTRIM", "l", "0", "-1"], &["l ltrim"]);
        w.ev(&["LPOP", "l"], &["l lpop"]);
        w.ev(&["RPOP", "l", "1"], &["l rpop"]);
        w.ev(&["LPOP", "nol"], &[]);
        w.ev(
            &["LMOVE", "l", "m", "LEFT", "RIGHT"],
            &["m rpush", "l lpop"],
        );
        w.ev(&["RPOPLPUSH", "l", "m"], &["m lpush", "l rpop"]);
        w.ev(&["RPOPLPUSH", "l", "m"], &["m lpush", "l rpop", "l del"]);
        w.ev(
            &["LMOVE", "m", "m", "LEFT", "RIGHT"],
            &["m rpush", "m lpop"],
        );
        w.ev(
            &["LMPOP", "2", "nol", "m", "RIGHT", "COUNT", "1"],
            &["m rpop"],
        );
        w.ev(&["BLPOP", "nol", "m", "0"], &["m lpop"]);
        w.ev(
            &["LMPOP", "1", "m", "LEFT", "COUNT", "9"],
            &["m lpop", "m del"],
        );
        w.ev(&["RPUSH", "l", "a", "b", "c"], &["l rpush"]);
        w.ev(&["BRPOP", "l", "0"], &["l rpop"]);
        w.ev(
            &["BLMOVE", "l", "l2", "RIGHT", "LEFT", "0"],
            &["l2 lpush", "l rpop"],
        );
        w.ev(
            &["BRPOPLPUSH", "l", "l2", "0"],
            &["l2 lpush", "l rpop", "l del"],
        );
        w.ev(
            &["BLMPOP", "0", "1", "l2", "LEFT", "COUNT", "5"],
            &["l2 lpop", "l2 del"],
        );
        w.ev(&["RPUSH", "l", "a", "b", "c"], &["l rpush"]);
        w.ev(&["LTRIM", "l", "5", "9"], &["l ltrim", "l del"]);
        w.ev(&["RPUSH", "l", "a"], &["l rpush"]);
        w.ev(&["LREM", "l", "0", "a"], &["l lrem", "l del"]);
    });
}

#[test]
fn blocked_pop_served_by_a_push() {
    each_server(|s| {
        let mut w = Watch::new(s, "KA");
        let mut b = s.connect();
        b.send(&["BLPOP", "q", "0"]);
        wait_for(secs(5), || {
            w.c.cmd(&["CLIENT", "LIST"]).str_val().contains("cmd=blpop")
        });
        w.ev(&["RPUSH", "q", "x"], &["q rpush", "q lpop", "q del"]);
        assert_eq!(b.read_reply(), bulks(&["q", "x"]));
    });
}

#[test]
fn hash_commands() {
    each_server(|s| {
        let mut w = Watch::new(s, "KA");
        w.ev(&["HSET", "h", "a", "1", "b", "2"], &["h hset"]);
        w.ev(&["HSET", "h", "a", "1"], &["h hset"]);
        w.ev(&["HMSET", "h", "c", "3"], &["h hset"]);
        w.ev(&["HSETNX", "h", "c", "3"], &[]);
        w.ev(&["HSETNX", "h", "d", "4"], &["h hset"]);
        w.ev(&["HINCRBY", "h", "a", "2"], &["h hincrby"]);
        w.ev(&["HINCRBYFLOAT", "h", "a", "2.5"], &["h hincrbyfloat"]);
        w.ev(&["HDEL", "h", "zz"], &[]);
        w.ev(&["HDEL", "h", "a", "b"], &["h hdel"]);
        w.ev(&["HDEL", "h", "c", "d"], &["h hdel", "h del"]);
    });
}

#[test]
fn set_commands() {
    each_server(|s| {
        let mut w = Watch::new(s, "KA");
        w.ev(&["SADD", "s", "a", "b", "c"], &["s sadd"]);
        w.ev(&["SADD", "s", "a"], &[]);
        w.ev(&["SREM", "s", "zz"], &[]);
        w.ev(&["SREM", "s", "a"], &["s srem"]);
        w.ev(&["SMOVE", "s", "t", "b"], &["s srem", "t sadd"]);
        w.ev(&["SADD", "t", "c"], &["t sadd"]);
        w.ev(&["SMOVE", "s", "t", "c"], &["s srem", "s del"]);
        w.ev(&["SMOVE", "t", "t", "c"], &[]);
        w.ev(&["SPOP", "t"], &["t spop"]);
        w.ev(&["SPOP", "t"], &["t spop", "t del"]);
        w.ev(&["SPOP", "t"], &[]);
        w.ev(&["SADD", "s", "1", "2", "3", "4", "5", "6"], &["s sadd"]);
        w.ev(&["SPOP", "s", "0"], &[]);
        w.ev(&["SPOP", "s", "1"], &["s spop"]);
        w.ev(&["SPOP", "s", "4"], &["s spop"]);
        w.ev(&["SPOP", "s", "9"], &["s spop", "s del"]);
        w.ev(&["SADD", "a", "1", "2"], &["a sadd"]);
        w.ev(&["SADD", "b", "2", "3"], &["b sadd"]);
        w.ev(&["SINTERSTORE", "d", "a", "b"], &["d sinterstore"]);
        w.ev(&["SUNIONSTORE", "d", "a", "b"], &["d sunionstore"]);
        w.ev(&["SDIFFSTORE", "d", "a", "b"], &["d sdiffstore"]);
        w.ev(&["SINTERSTORE", "d", "a", "none"], &["d del"]);
        w.ev(&["SINTERSTORE", "d", "a", "none"], &[]);
        w.ev(&["SDIFFSTORE", "d", "a", "a"], &[]);
    });
}

#[test]
fn zset_commands() {
    each_server(|s| {
        let mut w = Watch::new(s, "KA");
        w.ev(&["ZADD", "z", "1", "a", "2", "b", "3", "c"], &["z zadd"]);
        w.ev(&["ZADD", "z", "1", "a"], &[]);
        w.ev(&["ZADD", "z", "XX", "5", "a"], &["z zadd"]);
        w.ev(&["ZADD", "z", "INCR", "1", "a"], &["z zincr"]);
        w.ev(&["ZADD", "nz", "XX", "1", "a"], &[]);
        w.ev(&["ZINCRBY", "z", "1", "b"], &["z zincr"]);
        w.ev(&["ZREM", "z", "zz"], &[]);
        w.ev(&["ZREM", "z", "a"], &["z zrem"]);
        w.ev(&["ZADD", "z", "4", "d", "5", "e", "6", "f"], &["z zadd"]);
        w.ev(&["ZREMRANGEBYSCORE", "z", "100", "200"], &[]);
        w.ev(
            &["ZREMRANGEBYSCORE", "z", "3", "3"],
            &["z zremrangebyscore"],
        );
        w.ev(&["ZREMRANGEBYRANK", "z", "0", "0"], &["z zremrangebyrank"]);
        w.ev(&["ZADD", "lex", "0", "a", "0", "b"], &["lex zadd"]);
        w.ev(
            &["ZREMRANGEBYLEX", "lex", "[b", "[c"],
            &["lex zremrangebylex"],
        );
        w.ev(
            &["ZREMRANGEBYLEX", "lex", "-", "+"],
            &["lex zremrangebylex", "lex del"],
        );
        w.ev(&["ZPOPMIN", "z"], &["z zpopmin"]);
        w.ev(&["ZPOPMAX", "z", "0"], &[]);
        w.ev(&["ZPOPMAX", "z", "5"], &["z zpopmax", "z del"]);
        w.ev(&["ZADD", "z", "1", "a", "2", "b", "3", "c"], &["z zadd"]);
        w.ev(&["ZADD", "y", "1", "a", "5", "x"], &["y zadd"]);
        w.ev(&["ZUNIONSTORE", "d", "2", "z", "y"], &["d zunionstore"]);
        w.ev(&["ZINTERSTORE", "d", "2", "z", "y"], &["d zinterstore"]);
        w.ev(&["ZDIFFSTORE", "d", "2", "z", "y"], &["d zdiffstore"]);
        w.ev(&["ZRANGESTORE", "d", "z", "0", "0"], &["d zrangestore"]);
        w.ev(&["ZRANGESTORE", "d", "z", "5", "9"], &["d del"]);
        w.ev(&["ZINTERSTORE", "d", "2", "z", "none"], &[]);
        w.ev(&["ZMPOP", "2", "none", "z", "MIN"], &["z zpopmin"]);
        w.ev(&["BZPOPMIN", "z", "0"], &["z zpopmin"]);
        w.ev(&["BZPOPMAX", "z", "0"], &["z zpopmax", "z del"]);
        w.ev(
            &["BZMPOP", "0", "1", "y", "MAX", "COUNT", "5"],
            &["y zpopmax", "y del"],
        );
        w.ev(&["ZREMRANGEBYRANK", "none", "0", "-1"], &[]);
    });
}

#[test]
fn lazy_expiry_comes_first() {
    each_server(|s| {
        let mut w = Watch::new(s, "KEA");
        w.c.ok(&["CONFIG", "SET", "notify-keyspace-events", "KA"]);
        w.c.ok(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]);
        w.ev(&["SET", "k", "v", "PX", "1"], &["k set", "k expire"]);
        std::thread::sleep(millis(20));
        // A read finds it expired.
        w.ev(&["GET", "k"], &["k expired"]);
        w.ev(&["SET", "k", "v", "PX", "1"], &["k set", "k expire"]);
        w.ev(&["RPUSH", "l", "a"], &["l rpush"]);
        w.ev(&["PEXPIRE", "l", "1"], &["l expire"]);
        std::thread::sleep(millis(20));
        // A write finds them expired: "expired" before the command's own events.
        w.ev(&["SET", "k", "w"], &["k expired", "k set"]);
        w.ev(&["RPUSH", "l", "b"], &["l expired", "l rpush"]);
        // Only 'x': the expiry but not the write.
        w.c.ok(&["CONFIG", "SET", "notify-keyspace-events", "Ex"]);
        w.ev(&["PEXPIRE", "l", "1"], &[]);
        std::thread::sleep(millis(20));
        w.ev(&["EXISTS", "l"], &["__keyevent@0__:expired l"]);
        w.c.ok(&["DEBUG", "SET-ACTIVE-EXPIRE", "1"]);
    });
}

#[test]
fn active_expiry() {
    each_server(|s| {
        let mut w = Watch::new(s, "Kx");
        w.c.ok(&["SELECT", "5"]);
        w.c.ok(&["SET", "k", "v", "PX", "50"]);
        let msg = w.sub.read_reply().strings();
        assert_eq!(msg[2..], ["__keyspace@5__:k", "expired"]);
        w.c.expect(&["DBSIZE"], int(0));
    });
}

#[test]
fn new_key_events() {
    each_server(|s| {
        let mut w = Watch::new(s, "KAn");
        w.ev(&["SET", "a", "1"], &["a new", "a set"]);
        w.ev(&["SET", "a", "2"], &["a set"]);
        w.ev(&["MSET", "a", "3", "m", "1"], &["a set", "m new", "m set"]);
        w.ev(
            &["RENAME", "a", "b"],
            &["b new", "a rename_from", "b rename_to"],
        );
        w.ev(&["COPY", "b", "c"], &["c new", "c copy_to"]);
        w.ev(
            &["MOVE", "c", "1"],
            &[
                "__keyspace@1__:c new",
                "c move_from",
                "__keyspace@1__:c move_to",
            ],
        );
        w.ev(&["INCR", "i"], &["i new", "i incrby"]);
        w.ev(&["INCRBYFLOAT", "f", "1"], &["f new", "f incrbyfloat"]);
        w.ev(&["APPEND", "ap", "x"], &["ap new", "ap append"]);
        w.ev(&["SETRANGE", "sr", "2", "x"], &["sr new", "sr setrange"]);
        w.ev(&["SETBIT", "bb", "1", "1"], &["bb new", "bb setbit"]);
        w.ev(&["BITOP", "NOT", "bn", "bb"], &["bn new", "bn set"]);
        w.ev(&["LPUSH", "l", "x"], &["l new", "l lpush"]);
        w.ev(&["LPUSHX", "nol", "x"], &[]);
        w.ev(
            &["LMOVE", "l", "l2", "LEFT", "LEFT"],
            &["l2 new", "l2 lpush", "l lpop", "l del"],
        );
        w.ev(&["HSET", "h", "f", "v"], &["h new", "h hset"]);
        w.ev(&["HINCRBY", "h2", "f", "1"], &["h2 new", "h2 hincrby"]);
        w.ev(&["SADD", "s", "1"], &["s new", "s sadd"]);
        w.ev(
            &["SMOVE", "s", "s2", "1"],
            &["s srem", "s del", "s2 new", "s2 sadd"],
        );
        w.ev(&["SUNIONSTORE", "d", "s2"], &["d new", "d sunionstore"]);
        w.ev(&["SUNIONSTORE", "d", "s2"], &["d sunionstore"]);
        w.ev(&["ZADD", "z", "1", "a"], &["z new", "z zadd"]);
        w.ev(&["ZADD", "nz", "XX", "1", "a"], &[]);
        w.ev(&["ZINCRBY", "z2", "1", "a"], &["z2 new", "z2 zincr"]);
        w.ev(
            &["ZUNIONSTORE", "zd", "1", "z"],
            &["zd new", "zd zunionstore"],
        );
        w.ev(
            &["ZRANGESTORE", "zr", "z", "0", "-1"],
            &["zr new", "zr zrangestore"],
        );
        w.c.ok(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]);
        w.ev(
            &["SET", "e", "v", "PX", "1"],
            &["e new", "e set", "e expire"],
        );
        std::thread::sleep(millis(20));
        w.ev(&["SET", "e", "w"], &["e expired", "e new", "e set"]);
        w.ev(
            &["MSET", "e", "v", "e2", "v"],
            &["e set", "e2 new", "e2 set"],
        );
        w.ev(&["PEXPIRE", "e", "1"], &["e expire"]);
        w.ev(&["PEXPIRE", "e2", "1"], &["e2 expire"]);
        std::thread::sleep(millis(20));
        w.ev(
            &["MSET", "e", "v", "e2", "v"],
            &[
                "e expired",
                "e new",
                "e set",
                "e2 expired",
                "e2 new",
                "e2 set",
            ],
        );
        w.ev(&["PEXPIRE", "e", "1"], &["e expire"]);
        std::thread::sleep(millis(20));
        w.ev(
            &["SETEX", "e", "100", "v"],
            &["e expired", "e new", "e set", "e expire"],
        );
        w.c.ok(&["DEBUG", "SET-ACTIVE-EXPIRE", "1"]);
    });
}

#[test]
fn keymiss_events() {
    // Every read lookup that misses says "keymiss"; writes and OBJECT do not.
    let reads: &[&[&str]] = &[
        &["GET", "k1"],
        &["MGET", "k1", "k2"],
        &["STRLEN", "k1"],
        &["GETRANGE", "k1", "0", "1"],
        &["EXISTS", "k1"],
        &["TYPE", "k1"],
        &["TTL", "k1"],
        &["PTTL", "k1"],
        &["EXPIRETIME", "k1"],
        &["PEXPIRETIME", "k1"],
        &["TOUCH", "k1"],
        &["GETEX", "k1"],
        &["GETDEL", "k1"],
        &["GETSET", "k7", "v"],
        &["SET", "k2", "v", "GET"],
        &["COPY", "k3", "k4"],
        &["LCS", "k5", "k6"],
        &["GETBIT", "k1", "1"],
        &["BITCOUNT", "k1"],
        &["BITPOS", "k1", "1"],
        &["BITFIELD_RO", "k1", "GET", "u8", "0"],
        &["LRANGE", "k1", "0", "-1"],
        &["LLEN", "k1"],
        &["LINDEX", "k1", "0"],
        &["LPOS", "k1", "a"],
        &["HGET", "k1", "f"],
        &["HMGET", "k1", "f"],
        &["HGETALL", "k1"],
        &["HKEYS", "k1"],
        &["HLEN", "k1"],
        &["HEXISTS", "k1", "f"],
        &["HSTRLEN", "k1", "f"],
        &["HRANDFIELD", "k1"],
        &["HSCAN", "k1", "0"],
        &["SMEMBERS", "k1"],
        &["SISMEMBER", "k1", "a"],
        &["SMISMEMBER", "k1", "a"],
        &["SCARD", "k1"],
        &["SRANDMEMBER", "k1"],
        &["SSCAN", "k1", "0"],
        &["SINTER", "k1"],
        &["SUNION", "k1"],
        &["SDIFF", "k1"],
        &["SINTERCARD", "1", "k1"],
        &["ZRANGE", "k1", "0", "-1"],
        &["ZSCORE", "k1", "a"],
        &["ZMSCORE", "k1", "a"],
        &["ZCARD", "k1"],
        &["ZRANK", "k1", "a"],
        &["ZCOUNT", "k1", "0", "1"],
        &["ZLEXCOUNT", "k1", "-", "+"],
        &["ZRANDMEMBER", "k1"],
        &["ZSCAN", "k1", "0"],
        &["ZUNION", "1", "k1"],
        &["ZINTER", "1", "k1"],
        &["ZDIFF", "1", "k1"],
    ];
    let writes: &[&[&str]] = &[
        &["OBJECT", "ENCODING", "k1"],
        &["OBJECT", "FREQ", "k1"],
        &["PERSIST", "k1"],
        &["DEL", "k1"],
        &["LPOP", "k1"],
        &["SMOVE", "k1", "k2", "a"],
        &["LMOVE", "k1", "k2", "LEFT", "LEFT"],
        &["HDEL", "k1", "f"],
        &["SREM", "k1", "a"],
        &["ZREM", "k1", "a"],
        &["EXPIRE", "k1", "10"],
    ];
    each_server(|s| {
        let mut w = Watch::new(s, "Km");
        let mut diffs = Vec::new();
        for cmd in reads {
            let got = w.run(cmd).1;
            let mut want: Vec<String> = Vec::new();
            for k in cmd.iter().filter(|a| a.starts_with('k') && a.len() == 2) {
                want.push(format!("{k} keymiss"));
            }
            if cmd[0] == "COPY" || cmd[0] == "SET" {
                want.truncate(1);
            }
            if got != want {
                diffs.push(format!("{cmd:?}: {got:?}"));
            }
        }
        for cmd in writes {
            let got = w.run(cmd).1;
            if !got.is_empty() {
                diffs.push(format!("{cmd:?}: {got:?}"));
            }
        }
        assert!(diffs.is_empty(), "{diffs:#?}");
    });
}

#[test]
fn keymiss_new_and_expired_in_order() {
    each_server(|s| {
        let mut w = Watch::new(s, "K$gxnm");
        w.ev(&["GETSET", "g", "v"], &["g keymiss", "g new", "g set"]);
        w.ev(&["SET", "g", "w", "GET"], &["g set"]);
        w.c.ok(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]);
        w.ev(&["PEXPIRE", "g", "1"], &["g expire"]);
        std::thread::sleep(millis(20));
        w.ev(&["GET", "g"], &["g expired", "g keymiss"]);
        w.ev(
            &["SET", "g", "v", "PX", "1"],
            &["g new", "g set", "g expire"],
        );
        std::thread::sleep(millis(20));
        w.ev(
            &["SET", "g", "w", "GET"],
            &["g expired", "g keymiss", "g new", "g set"],
        );
        w.c.ok(&["DEBUG", "SET-ACTIVE-EXPIRE", "1"]);
    });
}

#[test]
fn transactions_past_deadlines_and_self_delivery() {
    each_server(|s| {
        let mut w = Watch::new(s, "KA");
        w.c.ok(&["MULTI"]);
        w.c.expect(&["SET", "a", "1"], status("QUEUED"));
        w.c.expect(&["RPUSH", "l", "x"], status("QUEUED"));
        w.c.expect(&["DEL", "a"], status("QUEUED"));
        w.ev(&["EXEC"], &["a set", "l rpush", "a del"]);
        w.c.ok(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]);
        w.ev(&["SET", "p", "v", "PXAT", "1"], &["p set", "p expire"]);
        w.ev(&["GET", "p"], &["p expired"]);
        w.c.ok(&["DEBUG", "SET-ACTIVE-EXPIRE", "1"]);
        w.ev(&["EXPIRE", "l", "-1"], &["l del"]);
        // A RESP3 client subscribed to its own keys gets the push before the reply.
        let mut me = s.connect();
        me.cmd(&["HELLO", "3"]);
        me.cmd(&["SUBSCRIBE", "__keyspace@0__:mine"]);
        me.send(&["SET", "mine", "1"]);
        assert_eq!(
            me.read_reply().strings(),
            ["message", "__keyspace@0__:mine", "set"]
        );
        assert_eq!(me.read_reply(), ok());
    });
}
