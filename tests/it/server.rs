//! Server commands: INFO TIME DBSIZE CONFIG COMMAND SHUTDOWN, maxclients, timeout.

use std::collections::HashSet;

use crate::support::*;

const SYNTAX: &str = "ERR syntax error";

fn arity(cmd: &str) -> String {
    format!("ERR wrong number of arguments for '{cmd}' command")
}

fn sections(info: &str) -> Vec<String> {
    info.split("\r\n")
        .filter_map(|l| l.strip_prefix("# "))
        .map(|s| s.to_string())
        .collect()
}

#[test]
fn info_sections_and_fields() {
    each_server(|s| {
        let mut c = s.connect();
        wait_for(secs(10), || {
            info_field(&c.cmd(&["INFO", "clients"]).str_val(), "connected_clients").as_deref()
                == Some("1")
        });
        let info = c.cmd(&["INFO"]).str_val();
        assert!(info.ends_with("\r\n"), "INFO text ends with CRLF");
        assert_eq!(
            sections(&info),
            [
                "Server",
                "Clients",
                "Memory",
                "Persistence",
                "Stats",
                "Replication",
                "CPU",
                "Modules",
                "Errorstats",
                "Cluster",
                "Keyspace"
            ]
        );
        for (section, field) in [
            ("Server", "redis_version"),
            ("Server", "redis_mode"),
            ("Server", "process_id"),
            ("Server", "tcp_port"),
            ("Server", "uptime_in_seconds"),
            ("Server", "uptime_in_days"),
            ("Server", "hz"),
            ("Server", "executable"),
            ("Server", "config_file"),
            ("Clients", "connected_clients"),
            ("Clients", "blocked_clients"),
            ("Clients", "maxclients"),
            ("Memory", "used_memory"),
            ("Memory", "used_memory_human"),
            ("Memory", "maxmemory"),
            ("Memory", "maxmemory_policy"),
            ("Persistence", "loading"),
            ("Persistence", "rdb_changes_since_last_save"),
            ("Persistence", "aof_enabled"),
            ("Stats", "total_connections_received"),
            ("Stats", "total_commands_processed"),
            ("Stats", "expired_keys"),
            ("Stats", "evicted_keys"),
            ("Stats", "keyspace_hits"),
            ("Stats", "keyspace_misses"),
            ("Replication", "role"),
            ("Replication", "connected_slaves"),
            ("CPU", "used_cpu_sys"),
            ("CPU", "used_cpu_user"),
            ("Cluster", "cluster_enabled"),
        ] {
            assert!(
                parse_info(&info)
                    .iter()
                    .any(|(sec, k, _)| sec == section && k == field),
                "INFO section {section} lacks {field}"
            );
        }
        assert_eq!(
            info_field(&info, "redis_mode").as_deref(),
            Some("standalone")
        );
        assert_eq!(info_field(&info, "tcp_port"), Some(s.port().to_string()));
        assert_eq!(info_field(&info, "role").as_deref(), Some("master"));
        assert_eq!(info_field(&info, "cluster_enabled").as_deref(), Some("0"));
        assert_eq!(info_field(&info, "aof_enabled").as_deref(), Some("0"));
        assert_eq!(info_field(&info, "connected_clients").as_deref(), Some("1"));
        assert_eq!(
            info_field(&info, "process_id"),
            s.pid().map(|p| p.to_string())
        );
        assert!(
            info_field(&info, "used_memory")
                .unwrap()
                .parse::<u64>()
                .unwrap()
                > 0
        );
        // Empty keyspace: the header only.
        let ks = c.cmd(&["INFO", "keyspace"]).str_val();
        assert_eq!(ks, "# Keyspace\r\n");
        // Section names are case-insensitive; several can be asked at once.
        let two = c.cmd(&["INFO", "SERVER", "clients"]).str_val();
        assert_eq!(sections(&two), ["Server", "Clients"]);
        let one = c.cmd(&["INFO", "server"]).str_val();
        assert_eq!(sections(&one), ["Server"]);
        // "all" and "everything" add more sections.
        let all = sections(&c.cmd(&["INFO", "all"]).str_val());
        for sec in ["Server", "Commandstats", "Latencystats", "Keyspace"] {
            assert!(
                all.iter().any(|x| x == sec),
                "INFO all lacks {sec}: {all:?}"
            );
        }
        let every = sections(&c.cmd(&["INFO", "everything"]).str_val());
        assert!(every.len() >= all.len());
        // Unknown sections give an empty string.
        c.expect(&["INFO", "nosuchsection"], bulk(""));
    });
}

#[test]
fn info_tracks_clients_and_keyspace() {
    each_server(|s| {
        let mut c = s.connect();
        let _c2 = s.connect();
        let _c3 = s.connect();
        wait_for(secs(10), || {
            info_field(&c.cmd(&["INFO", "clients"]).str_val(), "connected_clients").as_deref()
                == Some("3")
        });
        c.ok(&["SET", "a", "1"]);
        c.ok(&["SET", "b", "1", "EX", "1000"]);
        c.ok(&["SELECT", "2"]);
        c.ok(&["SET", "c", "1"]);
        let ks = c.cmd(&["INFO", "keyspace"]).str_val();
        let lines: Vec<&str> = ks.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines.len(), 3, "{ks:?}");
        assert_eq!(lines[0], "# Keyspace");
        let db0 = lines[1]
            .strip_prefix("db0:keys=2,expires=1,avg_ttl=")
            .expect(lines[1]);
        let avg: u64 = db0.parse().expect("avg_ttl is an integer");
        assert!(avg <= 1_000_000, "avg_ttl {avg}");
        assert_eq!(lines[2], "db2:keys=1,expires=0,avg_ttl=0");
        // Hits and misses.
        let stats = c.cmd(&["INFO", "stats"]).str_val();
        let hits0: i64 = info_field(&stats, "keyspace_hits")
            .unwrap()
            .parse()
            .unwrap();
        let misses0: i64 = info_field(&stats, "keyspace_misses")
            .unwrap()
            .parse()
            .unwrap();
        c.expect(&["GET", "c"], bulk("1"));
        c.expect(&["GET", "nope"], nil());
        let stats = c.cmd(&["INFO", "stats"]).str_val();
        assert_eq!(
            info_field(&stats, "keyspace_hits")
                .unwrap()
                .parse::<i64>()
                .unwrap(),
            hits0 + 1
        );
        assert_eq!(
            info_field(&stats, "keyspace_misses")
                .unwrap()
                .parse::<i64>()
                .unwrap(),
            misses0 + 1
        );
    });
}

#[test]
fn time_and_dbsize() {
    each_server(|s| {
        let mut c = s.connect();
        let r = c.cmd(&["TIME"]);
        let parts = r.array_val();
        assert_eq!(parts.len(), 2, "{r:?}");
        assert!(
            parts.iter().all(|p| matches!(p, Reply::Bulk(_))),
            "TIME returns bulk strings: {r:?}"
        );
        let secs_: u64 = parts[0].str_val().parse().unwrap();
        let micros: u64 = parts[1].str_val().parse().unwrap();
        assert!(micros < 1_000_000);
        assert!(
            secs_.abs_diff(unix_now()) < 60,
            "TIME is the wall clock: {secs_}"
        );
        c.expect(&["TIME", "x"], err(&arity("time")));
        c.expect(&["DBSIZE"], int(0));
        c.ok(&["MSET", "a", "1", "b", "2"]);
        c.expect(&["DBSIZE"], int(2));
        c.expect(&["DBSIZE", "x"], err(&arity("dbsize")));
    });
}

#[test]
fn config_get_set() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["CONFIG", "GET", "maxmemory"], bulks(&["maxmemory", "0"]));
        c.expect(&["CONFIG", "GET", "save"], bulks(&["save", ""]));
        c.expect(
            &["CONFIG", "GET", "appendonly"],
            bulks(&["appendonly", "no"]),
        );
        c.expect(
            &["CONFIG", "GET", "port"],
            bulks(&["port".to_string(), s.port().to_string()]),
        );
        c.expect(
            &["CONFIG", "GET", "dir"],
            bulks(&["dir".to_string(), s.dir().display().to_string()]),
        );
        c.expect(&["CONFIG", "GET", "databases"], bulks(&["databases", "16"]));
        c.expect(&["CONFIG", "GET", "nosuchparam"], arr(vec![]));
        // Parameter names are case-insensitive; an exact (non-glob) name is
        // echoed back as sent.
        c.expect(&["CONFIG", "GET", "MAXMEMORY"], bulks(&["MAXMEMORY", "0"]));
        c.expect(
            &["CONFIG", "GET", "MaxMemory-Polic?"],
            bulks(&["maxmemory-policy", "noeviction"]),
        );
        // Globs.
        let r = c.cmd(&["CONFIG", "GET", "maxmemory*"]);
        let names: HashSet<String> = r
            .as_pairs()
            .unwrap()
            .iter()
            .map(|(k, _)| k.str_val())
            .collect();
        for n in ["maxmemory", "maxmemory-policy", "maxmemory-samples"] {
            assert!(names.contains(n), "CONFIG GET maxmemory* lacks {n}: {r:?}");
        }
        assert!(names.iter().all(|n| n.starts_with("maxmemory")));
        let all: HashSet<String> = c
            .cmd(&["CONFIG", "GET", "*"])
            .as_pairs()
            .unwrap()
            .iter()
            .map(|(k, _)| k.str_val())
            .collect();
        for n in [
            "timeout",
            "maxclients",
            "proto-max-bulk-len",
            "client-query-buffer-limit",
            "maxmemory",
            "maxmemory-policy",
            "hz",
            "save",
            "appendonly",
            "port",
            "dir",
            "databases",
            "requirepass",
            "enable-debug-command",
        ] {
            assert!(all.contains(n), "CONFIG GET * lacks {n}");
        }
        // Several patterns at once; duplicates reported once.
        let r = c.cmd(&["CONFIG", "GET", "timeout", "databases", "timeou?"]);
        assert_unordered(&r, &bulks(&["timeout", "0", "databases", "16"]));
        // SET then GET round trips.
        for (name, value, canonical) in [
            ("timeout", "30", "30"),
            ("maxclients", "50", "50"),
            ("proto-max-bulk-len", "2mb", "2097152"),
            ("proto-max-bulk-len", "1048576", "1048576"),
            ("client-query-buffer-limit", "10mb", "10485760"),
            ("client-query-buffer-limit", "1gb", "1073741824"),
            ("slowlog-max-len", "0", "0"),
            ("lazyfree-lazy-user-del", "yes", "yes"),
            ("maxmemory-policy", "NOEVICTION", "noeviction"),
            ("client-query-buffer-limit", "2mb", "2097152"),
            ("appendonly", "no", "no"),
            ("hz", "20", "20"),
            ("save", "", ""),
        ] {
            c.ok(&["CONFIG", "SET", name, value]);
            c.expect(&["CONFIG", "GET", name], bulks(&[name, canonical]));
        }
        // Several pairs at once.
        c.ok(&[
            "CONFIG",
            "SET",
            "timeout",
            "40",
            "proto-max-bulk-len",
            "1mb",
            "hz",
            "15",
        ]);
        c.expect(&["CONFIG", "GET", "timeout"], bulks(&["timeout", "40"]));
        c.expect(
            &["CONFIG", "GET", "proto-max-bulk-len"],
            bulks(&["proto-max-bulk-len", "1048576"]),
        );
        c.expect(&["CONFIG", "GET", "hz"], bulks(&["hz", "15"]));
        // Atomicity: one bad pair sets nothing.
        c.expect(
            &["CONFIG", "SET", "timeout", "20", "maxmemory", "bogus"],
            err("ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value"),
        );
        c.expect(
            &["CONFIG", "SET", "timeout", "20", "nosuchparam", "1"],
            err("ERR Unknown option or number of arguments for CONFIG SET - 'nosuchparam'"),
        );
        c.expect(&["CONFIG", "GET", "timeout"], bulks(&["timeout", "40"]));
        // Errors.
        c.expect(
            &["CONFIG", "SET", "timeout", "1", "timeout", "2"],
            err("ERR CONFIG SET failed (possibly related to argument 'timeout') - duplicate parameter"),
        );
        c.expect(
            &["CONFIG", "SET", "daemonize", "yes"],
            err("ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config"),
        );
        c.expect(
            &["CONFIG", "SET", "timeout", "-1"],
            err("ERR CONFIG SET failed (possibly related to argument 'timeout') - argument must be between 0 and 2147483647 inclusive"),
        );
        c.expect(
            &["CONFIG", "SET", "maxclients", "0"],
            err("ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must be between 1 and 4294967295 inclusive"),
        );
        c.expect(
            &["CONFIG", "SET", "proto-max-bulk-len", "100"],
            err("ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must be between 1048576 and 9223372036854775807 inclusive"),
        );
        c.expect(
            &["CONFIG", "SET", "appendonly", "maybe"],
            err("ERR CONFIG SET failed (possibly related to argument 'appendonly') - argument must be 'yes' or 'no'"),
        );
        c.expect(
            &["CONFIG", "SET", "maxmemory-policy", "bogus"],
            err("ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction"),
        );
        c.expect(
            &["CONFIG", "SET", "foo", "bar"],
            err("ERR Unknown option or number of arguments for CONFIG SET - 'foo'"),
        );
        c.expect(&["CONFIG", "SET", "timeout"], err(&arity("config|set")));
        c.expect(&["CONFIG", "SET", "timeout", "1", "hz"], err(SYNTAX));
        c.expect(&["CONFIG", "GET"], err(&arity("config|get")));
        c.expect(
            &["CONFIG", "FOO"],
            err("ERR unknown subcommand 'FOO'. Try CONFIG HELP."),
        );
        c.expect(&["CONFIG"], err(&arity("config")));
        c.ok(&["CONFIG", "RESETSTAT"]);
    });
}

#[test]
fn config_rewrite_round_trip() {
    let conf = test_conf_contents();
    each_server_with_conf(&conf, &[], |s| {
        let mut c = s.connect();
        c.ok(&[
            "CONFIG",
            "SET",
            "timeout",
            "77",
            "slowlog-max-len",
            "42",
            "maxclients",
            "123",
        ]);
        c.ok(&["CONFIG", "REWRITE"]);
        let text = std::fs::read_to_string(s.conf_path()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for want in [
            "timeout 77",
            "slowlog-max-len 42",
            "maxclients 123",
            "enable-debug-command yes",
        ] {
            assert!(
                lines.contains(&want),
                "rewritten config lacks {want:?}:\n{text}"
            );
        }
        drop(c);
        s.restart();
        let mut c = s.connect();
        c.expect(&["CONFIG", "GET", "timeout"], bulks(&["timeout", "77"]));
        c.expect(
            &["CONFIG", "GET", "slowlog-max-len"],
            bulks(&["slowlog-max-len", "42"]),
        );
        c.expect(
            &["CONFIG", "GET", "maxclients"],
            bulks(&["maxclients", "123"]),
        );
        // Still allowed after restart: DEBUG came from the rewritten file.
        c.ok(&["DEBUG", "SLEEP", "0"]);
        c.expect(&["CONFIG", "REWRITE", "x"], err(&arity("config|rewrite")));
    });
}

#[test]
fn command_count_and_list() {
    each_server(|s| {
        let mut c = s.connect();
        let count = c.cmd(&["COMMAND", "COUNT"]).int_val();
        assert!(count > 0);
        let all = c.cmd(&["COMMAND"]).array_val();
        assert_eq!(all.len() as i64, count, "COMMAND lists COUNT commands");
        let names: HashSet<String> = all.iter().map(|e| e.array_val()[0].str_val()).collect();
        for n in [
            "get", "set", "ping", "config", "command", "client", "bitfield", "scan",
        ] {
            assert!(names.contains(n), "COMMAND lacks {n}");
        }
        c.expect_unordered(
            &["COMMAND", "LIST", "FILTERBY", "PATTERN", "get*"],
            bulks(&["get", "getbit", "getdel", "getex", "getrange", "getset"]),
        );
        // Subcommands appear as container|sub.
        c.expect_unordered(
            &["COMMAND", "LIST", "FILTERBY", "PATTERN", "object*"],
            bulks(&[
                "object",
                "object|encoding",
                "object|freq",
                "object|help",
                "object|idletime",
                "object|refcount",
            ]),
        );
        c.expect(
            &["COMMAND", "LIST", "FILTERBY", "PATTERN", "nosuch*"],
            arr(vec![]),
        );
        let list = c.cmd(&["COMMAND", "LIST"]).strings();
        assert!(list.iter().any(|n| n == "incrbyfloat"));
        assert!(
            list.iter()
                .all(|n| n.chars().all(|ch| !ch.is_ascii_uppercase())),
            "names are lower case"
        );
        c.expect(&["COMMAND", "LIST", "FILTERBY", "FOO", "x"], err(SYNTAX));
        c.expect(&["COMMAND", "LIST", "FOO"], err(SYNTAX));
        c.expect(&["COMMAND", "COUNT", "x"], err(&arity("command|count")));
        c.expect(
            &["COMMAND", "FOO"],
            err("ERR unknown subcommand 'FOO'. Try COMMAND HELP."),
        );
    });
}

fn get_info_reply() -> Reply {
    arr(vec![
        bulk("get"),
        int(2),
        arr(vec![status("readonly"), status("fast")]),
        int(1),
        int(1),
        int(1),
        arr(vec![status("@read"), status("@string"), status("@fast")]),
        arr(vec![]),
        arr(vec![arr(vec![
            bulk("flags"),
            arr(vec![status("RO"), status("access")]),
            bulk("begin_search"),
            arr(vec![
                bulk("type"),
                bulk("index"),
                bulk("spec"),
                arr(vec![bulk("index"), int(1)]),
            ]),
            bulk("find_keys"),
            arr(vec![
                bulk("type"),
                bulk("range"),
                bulk("spec"),
                arr(vec![
                    bulk("lastkey"),
                    int(0),
                    bulk("keystep"),
                    int(1),
                    bulk("limit"),
                    int(0),
                ]),
            ]),
        ])]),
        arr(vec![]),
    ])
}

#[test]
fn command_info() {
    each_server(|s| {
        let mut c = s.connect();
        let r = c.cmd(&["COMMAND", "INFO", "get"]);
        let entries = r.array_val();
        assert_eq!(entries.len(), 1);
        let got = entries[0].array_val();
        let want = get_info_reply().array_val();
        let names = [
            "name",
            "arity",
            "flags",
            "first key",
            "last key",
            "step",
            "acl categories",
            "tips",
            "key specs",
            "subcommands",
        ];
        assert_eq!(got.len(), want.len(), "COMMAND INFO get: {r:?}");
        for i in 0..want.len() {
            assert_eq!(
                got[i],
                want[i],
                "COMMAND INFO get: field {} ({}) differs",
                i + 1,
                names[i]
            );
        }
        // Case-insensitive, several at once, unknown commands are nil.
        let r = c.cmd(&["COMMAND", "INFO", "GET", "nosuchcmd", "set"]);
        let v = r.array_val();
        assert_eq!(v.len(), 3);
        assert_eq!(v[0], get_info_reply());
        assert_eq!(v[1], nil());
        let set = v[2].array_val();
        assert_eq!(set[0], bulk("set"));
        assert_eq!(set[1], int(-3));
        assert_eq!(set[2], arr(vec![status("write"), status("denyoom")]));
        assert_eq!(&set[3..6], &[int(1), int(1), int(1)]);
        assert_eq!(
            set[6],
            arr(vec![status("@write"), status("@string"), status("@slow")])
        );
        // Subcommands of a container command.
        let r = c.cmd(&["COMMAND", "INFO", "config|get"]);
        let e = r.array_val()[0].array_val();
        assert_eq!(e[0], bulk("config|get"));
        assert_eq!(e[1], int(-3));
        let r = c.cmd(&["COMMAND", "INFO", "mset"]);
        let e = r.array_val()[0].array_val();
        assert_eq!(
            &e[0..6],
            &[
                bulk("mset"),
                int(-3),
                arr(vec![status("write"), status("denyoom")]),
                int(1),
                int(-1),
                int(2)
            ]
        );
    });
}

#[test]
fn command_docs_and_getkeys() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(
            &["COMMAND", "DOCS", "get"],
            arr(vec![
                bulk("get"),
                arr(vec![
                    bulk("summary"),
                    bulk("Get the value of a key"),
                    bulk("since"),
                    bulk("1.0.0"),
                    bulk("group"),
                    bulk("string"),
                    bulk("complexity"),
                    bulk("O(1)"),
                    bulk("arguments"),
                    arr(vec![arr(vec![
                        bulk("name"),
                        bulk("key"),
                        bulk("type"),
                        bulk("key"),
                        bulk("key_spec_index"),
                        int(0),
                    ])]),
                ]),
            ]),
        );
        c.expect(&["COMMAND", "DOCS", "nosuchcmd"], arr(vec![]));
        c.cmd(&["HELLO", "3"]);
        let r = c.cmd(&["COMMAND", "DOCS", "get"]);
        match &r {
            Reply::Map(m) => {
                assert_eq!(m.len(), 1);
                assert_eq!(m[0].0, bulk("get"));
                assert!(matches!(m[0].1, Reply::Map(_)), "{r:?}");
                assert_eq!(m[0].1.get("group"), Some(bulk("string")));
            }
            other => panic!("COMMAND DOCS in RESP3 is a map, got {other:?}"),
        }
        c.cmd(&["HELLO", "2"]);
        c.expect(&["COMMAND", "GETKEYS", "SET", "k", "v"], bulks(&["k"]));
        c.expect(&["COMMAND", "GETKEYS", "get", "key"], bulks(&["key"]));
        c.expect(
            &["COMMAND", "GETKEYS", "MSET", "a", "1", "b", "2"],
            bulks(&["a", "b"]),
        );
        c.expect(
            &["COMMAND", "GETKEYS", "DEL", "x", "y", "z"],
            bulks(&["x", "y", "z"]),
        );
        c.expect(
            &["COMMAND", "GETKEYS", "RENAME", "x", "y"],
            bulks(&["x", "y"]),
        );
        c.expect(
            &["COMMAND", "GETKEYS", "BITOP", "AND", "d", "s1", "s2"],
            bulks(&["d", "s1", "s2"]),
        );
        c.expect(
            &["COMMAND", "GETKEYS", "GET", "a", "b"],
            err("ERR Invalid number of arguments specified for command"),
        );
        c.expect(
            &["COMMAND", "GETKEYS", "PING", "x"],
            err("ERR The command has no key arguments"),
        );
        c.expect(
            &["COMMAND", "GETKEYS", "nosuch", "x"],
            err("ERR Invalid command specified"),
        );
        c.expect(
            &["COMMAND", "GETKEYS", "GET"],
            err(&arity("command|getkeys")),
        );
    });
}

#[test]
fn shutdown_nosave_exits() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "k", "v"]);
        c.expect(&["SHUTDOWN", "FOO"], err(SYNTAX));
        c.send(&["SHUTDOWN", "NOSAVE"]);
        // No reply on success: the connection just closes.
        c.assert_closed();
        let st = s
            .wait_exit(secs(20))
            .expect("server did not exit after SHUTDOWN NOSAVE");
        assert!(st.success(), "exit status {st}");
        assert!(
            s.try_connect().is_err(),
            "port still accepting after shutdown"
        );
        // With NOSAVE no dump file is written.
        assert!(!s.dir().join("dump.rdb").exists());
    });
}

#[test]
fn sigterm_exits_cleanly() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "k", "v"]);
        s.signal("TERM");
        let st = s
            .wait_exit(secs(20))
            .expect("server did not exit on SIGTERM");
        assert!(st.success(), "exit status {st}");
        c.assert_closed();
    });
}

#[test]
fn maxclients_limit() {
    each_server_with(&["--maxclients", "2"], |s| {
        let mut c1 = s.connect();
        // Make sure no other connection (e.g. a startup probe) holds a slot.
        wait_for(secs(10), || {
            info_field(&c1.cmd(&["INFO", "clients"]).str_val(), "connected_clients").as_deref()
                == Some("1")
        });
        let mut c2 = s.connect();
        c2.expect(&["PING"], status("PONG"));
        let mut c3 = s.connect();
        c3.expect_err_and_close("ERR max number of clients reached");
        // Existing clients are unaffected; a slot frees up when one leaves.
        c1.expect(&["PING"], status("PONG"));
        drop(c2);
        wait_for(secs(10), || {
            info_field(&c1.cmd(&["INFO", "clients"]).str_val(), "connected_clients").as_deref()
                == Some("1")
        });
        let mut c4 = s.connect();
        c4.expect(&["PING"], status("PONG"));
    });
}

#[test]
fn idle_timeout_closes_connection() {
    each_server_with(&["--timeout", "1"], |s| {
        let mut idle = s.connect();
        idle.expect(&["PING"], status("PONG"));
        let start = std::time::Instant::now();
        idle.set_read_timeout(secs(20));
        idle.assert_closed();
        assert!(
            start.elapsed() >= millis(500),
            "closed too early: {:?}",
            start.elapsed()
        );
        // New connections still work.
        let mut c = s.connect();
        c.expect(&["CONFIG", "GET", "timeout"], bulks(&["timeout", "1"]));
    });
}

/// A client that never reads its replies is disconnected at the normal class's
/// output buffer limit, and the server stays responsive.
#[test]
fn output_buffer_limit_disconnects_slow_reader() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&[
            "CONFIG",
            "SET",
            "client-output-buffer-limit",
            "normal 4mb 0 0",
        ]);
        c.ok(&["SET", "big", &"x".repeat(1 << 20)]);
        let mut slow = s.connect();
        let mut pipeline = Vec::new();
        for _ in 0..200 {
            pipeline.extend_from_slice(&encode_cmd(&["GET", "big"]));
        }
        let _ = slow.try_send_raw(&pipeline);
        let killed = poll_until(secs(10), || {
            let list = c.cmd(&["CLIENT", "LIST"]).str_val();
            list.lines().count() == 1
        });
        assert!(killed, "the slow reader was not disconnected");
        c.expect(&["PING"], status("PONG"));
        c.ok(&[
            "CONFIG",
            "SET",
            "client-output-buffer-limit",
            "normal 0 0 0",
        ]);
    });
}

/// COMMAND GETKEYS checks in Redis's order: the command (and subcommand), whether
/// it has keys at all, its arity, then its key specs.
#[test]
fn command_getkeys_errors_in_redis_order() {
    each_server(|s| {
        let mut c = s.connect();
        let cases: &[(&[&str], Reply)] = &[
            (&["nosuch", "a"], err("ERR Invalid command specified")),
            (
                &["object", "nosuch", "k"],
                err("ERR Invalid command specified"),
            ),
            (
                &["pfselftest", "k"],
                err("ERR The command has no key arguments"),
            ),
            (
                &["spublish", "channel", "m"],
                err("ERR The command has no key arguments"),
            ),
            (
                &["ssubscribe", "a", "b"],
                err("ERR The command has no key arguments"),
            ),
            (
                &["get", "a", "b"],
                err("ERR Invalid number of arguments specified for command"),
            ),
            (
                &["pfmerge", "k1"],
                err("ERR Invalid arguments specified for command"),
            ),
            (&["pfmerge", "k1", "k2"], bulks(&["k1", "k2"])),
            (
                &["xread", "a", "b", "c"],
                err("ERR Invalid arguments specified for command"),
            ),
            (&["xread", "streams", "a", "b", "c"], bulks(&["a"])),
            (
                &["zunion", "0", "a"],
                err("ERR Invalid arguments specified for command"),
            ),
            (
                &["georadius", "k", "0", "0", "1", "km", "store"],
                bulks(&["k"]),
            ),
            (&["object", "encoding", "k"], bulks(&["k"])),
        ];
        for (args, expected) in cases {
            let mut cmd = vec!["COMMAND", "GETKEYS"];
            cmd.extend_from_slice(args);
            c.expect(&cmd, expected.clone());
        }
    });
}
