//! MULTI/EXEC/DISCARD/WATCH/UNWATCH, including WATCH races between connections.

use crate::support::*;

#[test]
fn multi_exec_queues_and_runs() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["EXEC"], err("ERR EXEC without MULTI"));
        c.expect(&["DISCARD"], err("ERR DISCARD without MULTI"));
        c.ok(&["MULTI"]);
        c.expect(&["MULTI"], err("ERR MULTI calls can not be nested"));
        c.expect(&["SET", "a", "1"], status("QUEUED"));
        c.expect(&["INCR", "a"], status("QUEUED"));
        c.expect(&["LPUSH", "a", "x"], status("QUEUED"));
        c.expect(&["GET", "a"], status("QUEUED"));
        c.expect(
            &["EXEC"],
            arr(vec![
                ok(),
                int(2),
                err("WRONGTYPE Operation against a key holding the wrong kind of value"),
                bulk("2"),
            ]),
        );
        // Empty transaction.
        c.ok(&["MULTI"]);
        c.expect(&["EXEC"], arr(vec![]));
        // DISCARD drops the queue.
        c.ok(&["MULTI"]);
        c.expect(&["SET", "a", "99"], status("QUEUED"));
        c.ok(&["DISCARD"]);
        c.expect(&["GET", "a"], bulk("2"));
    });
}

#[test]
fn errors_while_queueing_abort_exec() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["MULTI"]);
        c.expect(&["SET", "a", "1"], status("QUEUED"));
        c.expect(
            &["GET"],
            err("ERR wrong number of arguments for 'get' command"),
        );
        c.expect(
            &["NOSUCHCMD", "x"],
            err("ERR unknown command 'NOSUCHCMD', with args beginning with: 'x' "),
        );
        c.expect(
            &["EXEC"],
            err("EXECABORT Transaction discarded because of previous errors."),
        );
        c.expect(&["EXISTS", "a"], int(0));
        // WATCH inside MULTI is refused but does not abort the transaction.
        c.ok(&["MULTI"]);
        c.expect(
            &["WATCH", "a"],
            err("ERR WATCH inside MULTI is not allowed"),
        );
        c.expect(&["SET", "a", "1"], status("QUEUED"));
        c.expect(&["EXEC"], arr(vec![ok()]));
        // RESET leaves the transaction.
        c.ok(&["MULTI"]);
        c.expect(&["SET", "a", "2"], status("QUEUED"));
        c.expect(&["RESET"], status("RESET"));
        c.expect(&["EXEC"], err("ERR EXEC without MULTI"));
        c.expect(&["GET", "a"], bulk("1"));
    });
}

#[test]
fn watch_detects_writes_from_other_connections() {
    each_server(|s| {
        let mut c = s.connect();
        let mut other = s.connect();
        c.ok(&["SET", "k", "1"]);
        c.ok(&["WATCH", "k"]);
        other.ok(&["SET", "k", "2"]);
        c.ok(&["MULTI"]);
        c.expect(&["INCR", "k"], status("QUEUED"));
        c.expect(&["EXEC"], nil_arr());
        c.expect(&["GET", "k"], bulk("2"));
        // Without interference the transaction runs, and EXEC unwatches.
        c.ok(&["WATCH", "k"]);
        c.ok(&["MULTI"]);
        c.expect(&["INCR", "k"], status("QUEUED"));
        c.expect(&["EXEC"], arr(vec![int(3)]));
        other.ok(&["SET", "k", "10"]);
        c.ok(&["MULTI"]);
        c.expect(&["INCR", "k"], status("QUEUED"));
        c.expect(&["EXEC"], arr(vec![int(11)]));
        // UNWATCH forgets.
        c.ok(&["WATCH", "k"]);
        c.ok(&["UNWATCH"]);
        other.ok(&["SET", "k", "20"]);
        c.ok(&["MULTI"]);
        c.expect(&["INCR", "k"], status("QUEUED"));
        c.expect(&["EXEC"], arr(vec![int(21)]));
        // A write that changes nothing does not count; one to another key neither.
        c.ok(&["WATCH", "k", "missing"]);
        other.expect(&["SETNX", "k", "x"], int(0));
        other.expect(&["DEL", "missing"], int(0));
        other.ok(&["SET", "unrelated", "1"]);
        c.ok(&["MULTI"]);
        c.expect(&["GET", "k"], status("QUEUED"));
        c.expect(&["EXEC"], arr(vec![bulk("21")]));
        // The watcher's own write counts too.
        c.ok(&["WATCH", "k"]);
        c.ok(&["SET", "k", "own"]);
        c.ok(&["MULTI"]);
        c.expect(&["GET", "k"], status("QUEUED"));
        c.expect(&["EXEC"], nil_arr());
        // Keys are per database.
        c.ok(&["WATCH", "k"]);
        other.ok(&["SELECT", "1"]);
        other.ok(&["SET", "k", "db1"]);
        c.ok(&["MULTI"]);
        c.expect(&["GET", "k"], status("QUEUED"));
        c.expect(&["EXEC"], arr(vec![bulk("own")]));
    });
}

#[test]
fn watch_and_rename_copy_move_flush_swapdb() {
    each_server(|s| {
        let mut c = s.connect();
        let mut other = s.connect();
        let exec_get = |c: &mut Conn, key: &str| {
            c.ok(&["MULTI"]);
            c.expect(&["EXISTS", key], status("QUEUED"));
            c.cmd(&["EXEC"])
        };
        // RENAME touches both keys.
        c.ok(&["SET", "src", "v"]);
        c.ok(&["WATCH", "dst"]);
        other.ok(&["RENAME", "src", "dst"]);
        assert_eq!(exec_get(&mut c, "dst"), nil_arr());
        // COPY touches the destination only.
        c.ok(&["WATCH", "dst"]);
        other.expect(&["COPY", "dst", "dst2"], int(1));
        assert_eq!(exec_get(&mut c, "dst"), arr(vec![int(1)]));
        c.ok(&["WATCH", "dst2"]);
        other.expect(&["COPY", "dst", "dst2", "REPLACE"], int(1));
        assert_eq!(exec_get(&mut c, "dst2"), nil_arr());
        // FLUSHALL touches watched keys that existed...
        c.ok(&["WATCH", "dst"]);
        other.ok(&["FLUSHALL"]);
        assert_eq!(exec_get(&mut c, "dst"), nil_arr());
        // ...but not keys that did not.
        c.ok(&["WATCH", "nothing"]);
        other.ok(&["FLUSHDB"]);
        assert_eq!(exec_get(&mut c, "nothing"), arr(vec![int(0)]));
        // SWAPDB touches keys existing in either database.
        other.ok(&["SELECT", "1"]);
        other.ok(&["SET", "k1", "x"]);
        c.ok(&["WATCH", "k1"]);
        other.ok(&["SWAPDB", "0", "1"]);
        assert_eq!(exec_get(&mut c, "k1"), nil_arr());
        // MOVE touches the key in both databases.
        c.ok(&["SET", "m", "1"]);
        c.ok(&["WATCH", "m"]);
        other.ok(&["SELECT", "0"]);
        other.expect(&["MOVE", "m", "2"], int(1));
        assert_eq!(exec_get(&mut c, "m"), nil_arr());
    });
}

#[test]
fn watched_key_expiring_fails_exec() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "t", "v", "PX", "100"]);
        c.ok(&["WATCH", "t"]);
        std::thread::sleep(millis(250));
        c.ok(&["MULTI"]);
        c.expect(&["PING"], status("QUEUED"));
        c.expect(&["EXEC"], nil_arr());
        // A key already expired when watched does not fail EXEC later.
        c.ok(&["SET", "t2", "v", "PX", "1"]);
        std::thread::sleep(millis(50));
        c.ok(&["DEBUG", "SET-ACTIVE-EXPIRE", "1"]);
        c.ok(&["WATCH", "t2"]);
        c.ok(&["MULTI"]);
        c.expect(&["PING"], status("QUEUED"));
        c.expect(&["EXEC"], arr(vec![status("PONG")]));
    });
}

/// Commands whose keys are only candidates (a pop from the first non-empty
/// of several keys, DEL of keys that may not exist) touch only the keys they
/// changed: a watcher of another of their keys keeps its transaction.
#[test]
fn watch_sees_only_the_keys_a_command_changed() {
    each_server(|s| {
        let mut c = s.connect();
        let mut x = s.connect();
        c.expect(&["RPUSH", "wa", "1"], int(1));
        c.expect(&["ZADD", "za", "1", "m"], int(1));
        c.ok(&["SET", "a", "1"]);
        for (cmd, watched) in [
            (vec!["LPOP", "wa"], "wb"),
            (vec!["BLPOP", "wb", "wa", "0"], "wb"),
            (vec!["LMPOP", "2", "wb", "wa", "LEFT"], "wb"),
            (vec!["ZMPOP", "2", "zb", "za", "MIN"], "zb"),
            (vec!["BZPOPMIN", "zb", "za", "0"], "zb"),
            (vec!["DEL", "a", "c"], "c"),
        ] {
            x.ok(&["WATCH", watched]);
            x.ok(&["MULTI"]);
            x.expect(&["PING"], status("QUEUED"));
            assert!(!c.cmd(&cmd).is_error(), "[{}] {cmd:?}", s.kind());
            x.expect(&["EXEC"], arr(vec![status("PONG")]));
            // The same data again for the next command.
            c.cmd(&["DEL", "wa", "za"]);
            c.expect(&["RPUSH", "wa", "1"], int(1));
            c.expect(&["ZADD", "za", "1", "m"], int(1));
            c.ok(&["SET", "a", "1"]);
        }
    });
}
