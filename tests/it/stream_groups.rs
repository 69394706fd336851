//! Stream consumer groups: XGROUP, XREADGROUP (history, NOACK, BLOCK), XACK,
//! XPENDING, XCLAIM, XAUTOCLAIM and XINFO, their errors, RESP3 shapes, group life
//! cycles with entries claimed across consumers, blocked readers, keyspace events,
//! WATCH, and a seeded random differential run.
//!
//! Times (idle, delivery and seen times) depend on the clock: long scripts are
//! compared between the two servers after [`norm`] maps them to coarse buckets;
//! options like XCLAIM's IDLE and TIME make them deterministic enough for that.

use crate::support::*;
use std::cell::RefCell;

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_INT: &str = "ERR value is not an integer or out of range";
const SYNTAX: &str = "ERR syntax error";
const BAD_ID: &str = "ERR Invalid stream ID specified as stream command argument";
const NO_KEY: &str = "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE \
                      you may want to use the MKSTREAM option to create an empty stream automatically.";

fn arity(cmd: &str) -> String {
    format!("ERR wrong number of arguments for '{cmd}' command")
}

fn sub_syntax(sub: &str, cmd: &str) -> String {
    format!("ERR unknown subcommand or wrong number of arguments for '{sub}'. Try {cmd} HELP.")
}

fn entry(id: &str, fields: &[&str]) -> Reply {
    arr(vec![bulk(id), bulks(fields)])
}

/// A RESP2 XREADGROUP reply for one stream.
fn read_reply(key: &str, entries: Vec<Reply>) -> Reply {
    arr(vec![arr(vec![bulk(key), arr(entries)])])
}

/// Now in ms, as the servers see it.
fn now_ms() -> i64 {
    unix_now_ms() as i64
}

/// Maps a clock-dependent integer to a bucket: an idle time under 2 s is "fresh"
/// (0), longer is "old" (1); an absolute time within 10 s of now is "now" (-1).
fn bucket_idle(n: i64) -> Reply {
    int(i64::from(n >= 2000))
}

fn bucket_time(n: i64) -> Reply {
    if (now_ms() - n).abs() < 10_000 {
        int(-1)
    } else {
        int(n)
    }
}

/// Replaces the clock-dependent parts of a reply to `cmd` by buckets.
fn norm(cmd: &[String], r: Reply) -> Reply {
    let name = cmd[0].to_ascii_uppercase();
    let sub = cmd
        .get(1)
        .map(|s| s.to_ascii_uppercase())
        .unwrap_or_default();
    match (name.as_str(), sub.as_str(), r) {
        ("XPENDING", _, Reply::Array(rows)) if cmd.len() > 3 => Reply::Array(
            rows.into_iter()
                .map(|row| match row {
                    Reply::Array(mut v) if v.len() == 4 => {
                        v[2] = bucket_idle(v[2].int_val());
                        Reply::Array(v)
                    }
                    other => other,
                })
                .collect(),
        ),
        ("XINFO", "CONSUMERS", r) => map_fields(r, &mut |k, v| match k {
            "idle" => bucket_idle(v.int_val()),
            _ => v,
        }),
        ("XINFO", "STREAM", r) => norm_full(r),
        (_, _, r) => r,
    }
}

/// Applies `f` to each (field name, value) of a RESP2 flat map or RESP3 map, and
/// of each of the elements of an array of such maps.
fn map_fields(r: Reply, f: &mut dyn FnMut(&str, Reply) -> Reply) -> Reply {
    match r {
        Reply::Map(pairs) => Reply::Map(
            pairs
                .into_iter()
                .map(|(k, v)| {
                    let name = k.as_str().unwrap_or_default();
                    let v = f(&name, v);
                    (k, v)
                })
                .collect(),
        ),
        Reply::Array(items) if items.iter().all(|i| matches!(i, Reply::Map(_))) => {
            Reply::Array(items.into_iter().map(|i| map_fields(i, f)).collect())
        }
        Reply::Array(items)
            if items.iter().all(|i| matches!(i, Reply::Array(_))) && !items.is_empty() =>
        {
            Reply::Array(items.into_iter().map(|i| map_fields(i, f)).collect())
        }
        Reply::Array(items) if items.len() % 2 == 0 => {
            let mut out = Vec::with_capacity(items.len());
            let mut it = items.into_iter();
            while let (Some(k), Some(v)) = (it.next(), it.next()) {
                let name = k.as_str().unwrap_or_default();
                let v = f(&name, v);
                out.push(k);
                out.push(v);
            }
            Reply::Array(out)
        }
        other => other,
    }
}

/// XINFO STREAM FULL: delivery and seen times of pending entries and consumers.
fn norm_full(r: Reply) -> Reply {
    map_fields(r, &mut |k, v| match k {
        "groups" => map_fields(v, &mut |k, v| match k {
            "pending" => norm_rows(v, 2),
            "consumers" => map_fields(v, &mut |k, v| match k {
                "seen-time" => bucket_time(v.int_val()),
                "pending" => norm_rows(v, 1),
                _ => v,
            }),
            _ => v,
        }),
        _ => v,
    })
}

fn norm_rows(v: Reply, at: usize) -> Reply {
    match v {
        Reply::Array(rows) => Reply::Array(
            rows.into_iter()
                .map(|row| match row {
                    Reply::Array(mut cols) if cols.len() > at => {
                        cols[at] = bucket_time(cols[at].int_val());
                        Reply::Array(cols)
                    }
                    other => other,
                })
                .collect(),
        ),
        other => other,
    }
}

fn words(line: &str) -> Vec<String> {
    line.split_whitespace().map(String::from).collect()
}

/// Runs the script (one command per line, words split on spaces) on every server
/// and checks all servers give the same (normalized) replies. Returns the
/// replies of the first server, for explicit checks.
fn same_replies(setup: &[&str], script: &[&str], resp3: bool) -> Vec<Reply> {
    let results: RefCell<Vec<Vec<Reply>>> = RefCell::new(Vec::new());
    each_server(|s| {
        let mut c = s.connect();
        if resp3 {
            c.cmd(&["HELLO", "3"]);
        }
        for line in setup {
            c.cmd(&words(line));
        }
        let mut got = Vec::new();
        for line in script {
            let cmd = words(line);
            let r = c.cmd(&cmd);
            got.push(norm(&cmd, r));
        }
        results.borrow_mut().push(got);
    });
    let results = results.into_inner();
    if let [a, b] = &results[..] {
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            assert_eq!(x, y, "reply to {:?} differs between servers", script[i]);
        }
    }
    results.into_iter().next().unwrap_or_default()
}

fn setup_three(c: &mut Conn) {
    c.cmd(&["DEL", "s"]);
    c.expect(&["XADD", "s", "1-0", "a", "1"], bulk("1-0"));
    c.expect(&["XADD", "s", "2-0", "b", "2"], bulk("2-0"));
    c.expect(&["XADD", "s", "3-0", "c", "3"], bulk("3-0"));
}

// ---------------------------------------------------------------------------
// XGROUP
// ---------------------------------------------------------------------------

#[test]
fn xgroup_create_and_errors() {
    each_server(|s| {
        let mut c = s.connect();
        setup_three(&mut c);
        c.ok(&["SET", "str", "x"]);
        c.ok(&["XGROUP", "CREATE", "s", "g", "$"]);
        c.ok(&["XGROUP", "CREATE", "s", "g0", "0"]);
        c.ok(&["XGROUP", "CREATE", "s", "g1", "1", "ENTRIESREAD", "1"]);
        c.expect(
            &["XGROUP", "CREATE", "s", "g", "0"],
            err("BUSYGROUP Consumer Group name already exists"),
        );
        c.expect(
            &["XGROUP", "CREATE", "s", "g"],
            err(&arity("xgroup|create")),
        );
        c.expect(&["XGROUP", "CREATE", "nokey", "g", "0"], err(NO_KEY));
        c.expect(&["XGROUP", "CREATE", "nokey", "g", "bad"], err(NO_KEY));
        c.expect(&["XGROUP", "CREATE", "str", "g", "0"], err(WRONGTYPE));
        // Options are checked before the key.
        for key in ["s", "nokey", "str"] {
            c.expect(
                &["XGROUP", "CREATE", key, "g9", "0", "BADOPT"],
                err(&sub_syntax("CREATE", "XGROUP")),
            );
        }
        c.expect(
            &["XGROUP", "CREATE", "s", "g9", "0", "ENTRIESREAD", "x"],
            err(NOT_INT),
        );
        c.expect(
            &[
                "XGROUP",
                "CREATE",
                "nokey",
                "g9",
                "0",
                "MKSTREAM",
                "ENTRIESREAD",
                "-5",
            ],
            err("ERR value for ENTRIESREAD must be positive or -1"),
        );
        c.expect(
            &["XGROUP", "CREATE", "s", "g9", "0", "ENTRIESREAD"],
            err(&sub_syntax("CREATE", "XGROUP")),
        );
        c.expect(
            &[
                "XGROUP",
                "CREATE",
                "s",
                "g9",
                "0",
                "ENTRIESREAD",
                "5",
                "ENTRIESREAD",
                "6",
            ],
            err(&sub_syntax("CREATE", "XGROUP")),
        );
        for id in ["bad", "+", "-", "1-x", "-1"] {
            c.expect(&["XGROUP", "CREATE", "s", "g9", id], err(BAD_ID));
        }
        c.expect(
            &["XGROUP", "CREATE", "nokey2", "g", "bad", "MKSTREAM"],
            err(BAD_ID),
        );
        c.expect(&["EXISTS", "nokey2"], int(0));
        c.ok(&["XGROUP", "CREATE", "s", "g3", "0", "MKSTREAM", "MKSTREAM"]);
        // MKSTREAM creates an empty stream; $ on it is 0-0.
        c.ok(&["XGROUP", "CREATE", "new", "g", "$", "MKSTREAM"]);
        c.expect(&["TYPE", "new"], status("stream"));
        c.expect(&["XLEN", "new"], int(0));
        let groups = c.cmd(&["XINFO", "GROUPS", "s"]);
        assert_eq!(
            groups,
            arr(vec![
                arr(vec![
                    bulk("name"),
                    bulk("g"),
                    bulk("consumers"),
                    int(0),
                    bulk("pending"),
                    int(0),
                    bulk("last-delivered-id"),
                    bulk("3-0"),
                    bulk("entries-read"),
                    nil(),
                    bulk("lag"),
                    int(0),
                ]),
                arr(vec![
                    bulk("name"),
                    bulk("g0"),
                    bulk("consumers"),
                    int(0),
                    bulk("pending"),
                    int(0),
                    bulk("last-delivered-id"),
                    bulk("0-0"),
                    bulk("entries-read"),
                    nil(),
                    bulk("lag"),
                    int(3),
                ]),
                arr(vec![
                    bulk("name"),
                    bulk("g1"),
                    bulk("consumers"),
                    int(0),
                    bulk("pending"),
                    int(0),
                    bulk("last-delivered-id"),
                    bulk("1-0"),
                    bulk("entries-read"),
                    int(1),
                    bulk("lag"),
                    int(2),
                ]),
                arr(vec![
                    bulk("name"),
                    bulk("g3"),
                    bulk("consumers"),
                    int(0),
                    bulk("pending"),
                    int(0),
                    bulk("last-delivered-id"),
                    bulk("0-0"),
                    bulk("entries-read"),
                    nil(),
                    bulk("lag"),
                    int(3),
                ]),
            ])
        );
        c.expect(
            &["XINFO", "GROUPS", "new"],
            arr(vec![arr(vec![
                bulk("name"),
                bulk("g"),
                bulk("consumers"),
                int(0),
                bulk("pending"),
                int(0),
                bulk("last-delivered-id"),
                bulk("0-0"),
                bulk("entries-read"),
                nil(),
                bulk("lag"),
                int(0),
            ])]),
        );
    });
}

#[test]
fn xgroup_setid_destroy_consumers() {
    each_server(|s| {
        let mut c = s.connect();
        setup_three(&mut c);
        c.ok(&["SET", "str", "x"]);
        c.ok(&["XGROUP", "CREATE", "s", "g", "0"]);
        let nogroup = "NOGROUP No such consumer group 'nog' for key name 's'";
        c.expect(&["XGROUP", "SETID", "s", "nog", "0"], err(nogroup));
        c.expect(&["XGROUP", "SETID", "s", "nog", "bad"], err(nogroup));
        c.expect(&["XGROUP", "SETID", "nokey", "g", "0"], err(NO_KEY));
        c.expect(&["XGROUP", "SETID", "str", "g", "0"], err(WRONGTYPE));
        c.expect(&["XGROUP", "SETID", "s", "g", "bad"], err(BAD_ID));
        c.expect(
            &["XGROUP", "SETID", "s", "g", "0", "ENTRIESREAD"],
            err(&sub_syntax("SETID", "XGROUP")),
        );
        c.expect(
            &["XGROUP", "SETID", "s", "g", "0", "MKSTREAM"],
            err(&sub_syntax("SETID", "XGROUP")),
        );
        c.expect(
            &["XGROUP", "SETID", "s", "nog", "0", "ENTRIESREAD", "-2"],
            err("ERR value for ENTRIESREAD must be positive or -1"),
        );
        // SETID accepts - and + (not CREATE).
        c.ok(&["XGROUP", "SETID", "s", "g", "+"]);
        c.ok(&["XGROUP", "SETID", "s", "g", "-"]);
        c.ok(&["XGROUP", "SETID", "s", "g", "2", "ENTRIESREAD", "2"]);
        c.ok(&["XGROUP", "SETID", "s", "g", "$"]);
        c.expect(
            &["XINFO", "GROUPS", "s"],
            arr(vec![arr(vec![
                bulk("name"),
                bulk("g"),
                bulk("consumers"),
                int(0),
                bulk("pending"),
                int(0),
                bulk("last-delivered-id"),
                bulk("3-0"),
                bulk("entries-read"),
                nil(),
                bulk("lag"),
                int(0),
            ])]),
        );
        // Consumers.
        c.expect(&["XGROUP", "CREATECONSUMER", "s", "g", "c1"], int(1));
        c.expect(&["XGROUP", "CREATECONSUMER", "s", "g", "c1"], int(0));
        c.expect(
            &["XGROUP", "CREATECONSUMER", "s", "nog", "c1"],
            err(nogroup),
        );
        c.expect(
            &["XGROUP", "CREATECONSUMER", "nokey", "g", "c1"],
            err(NO_KEY),
        );
        c.expect(
            &["XGROUP", "CREATECONSUMER", "s", "g", "c", "x"],
            err(&arity("xgroup|createconsumer")),
        );
        c.expect(&["XGROUP", "DELCONSUMER", "s", "g", "nobody"], int(0));
        c.expect(&["XGROUP", "DELCONSUMER", "s", "nog", "c1"], err(nogroup));
        c.expect(
            &["XGROUP", "DELCONSUMER", "s", "g"],
            err(&arity("xgroup|delconsumer")),
        );
        c.ok(&["XGROUP", "SETID", "s", "g", "0"]);
        c.cmd(&[
            "XREADGROUP",
            "GROUP",
            "g",
            "c1",
            "COUNT",
            "2",
            "STREAMS",
            "s",
            ">",
        ]);
        c.expect(&["XGROUP", "DELCONSUMER", "s", "g", "c1"], int(2));
        c.expect(
            &["XPENDING", "s", "g"],
            arr(vec![int(0), nil(), nil(), nil_arr()]),
        );
        // Destroy.
        c.expect(&["XGROUP", "DESTROY", "s", "nog"], int(0));
        c.expect(&["XGROUP", "DESTROY", "s", "g"], int(1));
        c.expect(&["XGROUP", "DESTROY", "s", "g"], int(0));
        c.expect(&["XGROUP", "DESTROY", "nokey", "g"], err(NO_KEY));
        c.expect(&["XGROUP", "DESTROY", "str", "g"], err(WRONGTYPE));
        c.expect(
            &["XGROUP", "DESTROY", "s", "g", "x"],
            err(&arity("xgroup|destroy")),
        );
        c.expect(&["XINFO", "GROUPS", "s"], arr(vec![]));
        // The container.
        c.expect(&["XGROUP"], err(&arity("xgroup")));
        c.expect(
            &["XGROUP", "foo"],
            err("ERR unknown subcommand 'foo'. Try XGROUP HELP."),
        );
        c.expect(&["XGROUP", "HELP", "x"], err(&arity("xgroup|help")));
        let help = c.cmd(&["XGROUP", "HELP"]);
        assert_eq!(help.array_val().len(), 17);
    });
}

// ---------------------------------------------------------------------------
// XREADGROUP
// ---------------------------------------------------------------------------

#[test]
fn xreadgroup_delivers_and_tracks_pending() {
    each_server(|s| {
        let mut c = s.connect();
        setup_three(&mut c);
        c.ok(&["XGROUP", "CREATE", "s", "g", "0"]);
        c.expect(
            &[
                "XREADGROUP",
                "GROUP",
                "g",
                "alice",
                "COUNT",
                "1",
                "STREAMS",
                "s",
                ">",
            ],
            read_reply("s", vec![entry("1-0", &["a", "1"])]),
        );
        c.expect(
            &["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"],
            read_reply(
                "s",
                vec![entry("2-0", &["b", "2"]), entry("3-0", &["c", "3"])],
            ),
        );
        // Nothing new.
        c.expect(
            &["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"],
            nil_arr(),
        );
        // History: only this consumer's pending entries.
        c.expect(
            &["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"],
            read_reply("s", vec![entry("1-0", &["a", "1"])]),
        );
        c.expect(
            &[
                "XREADGROUP",
                "GROUP",
                "g",
                "bob",
                "COUNT",
                "1",
                "STREAMS",
                "s",
                "2",
            ],
            read_reply("s", vec![entry("3-0", &["c", "3"])]),
        );
        c.expect(
            &["XREADGROUP", "GROUP", "g", "carol", "STREAMS", "s", "0"],
            read_reply("s", vec![]),
        );
        // Deleted entries show as [id, nil] in the history.
        c.expect(&["XDEL", "s", "2-0"], int(1));
        c.expect(
            &["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", "0-0"],
            arr(vec![arr(vec![
                bulk("s"),
                arr(vec![
                    arr(vec![bulk("2-0"), nil_arr()]),
                    entry("3-0", &["c", "3"]),
                ]),
            ])]),
        );
        // Delivery counts: alice's 1-0 was delivered twice, bob's 3-0 three times,
        // 2-0 (deleted) once.
        let rows = c.cmd(&["XPENDING", "s", "g", "-", "+", "10"]);
        let counts: Vec<(String, String, i64)> = rows
            .array_val()
            .iter()
            .map(|r| {
                let v = r.array_val();
                (v[0].str_val(), v[1].str_val(), v[3].int_val())
            })
            .collect();
        assert_eq!(
            counts,
            vec![
                ("1-0".into(), "alice".into(), 2),
                ("2-0".into(), "bob".into(), 1),
                ("3-0".into(), "bob".into(), 3)
            ]
        );
        c.expect(
            &["XPENDING", "s", "g"],
            arr(vec![
                int(3),
                bulk("1-0"),
                bulk("3-0"),
                arr(vec![bulks(&["alice", "1"]), bulks(&["bob", "2"])]),
            ]),
        );
        // NOACK delivers without pending entries.
        c.expect(&["XADD", "s", "4-0", "d", "4"], bulk("4-0"));
        c.expect(
            &[
                "XREADGROUP",
                "GROUP",
                "g",
                "dave",
                "NOACK",
                "STREAMS",
                "s",
                ">",
            ],
            read_reply("s", vec![entry("4-0", &["d", "4"])]),
        );
        c.expect(&["XPENDING", "s", "g", "-", "+", "10", "dave"], arr(vec![]));
        // Acks.
        c.expect(&["XACK", "s", "g", "1-0", "2-0", "9-9"], int(2));
        c.expect(&["XACK", "s", "g", "1-0"], int(0));
        c.expect(
            &["XPENDING", "s", "g"],
            arr(vec![
                int(1),
                bulk("3-0"),
                bulk("3-0"),
                arr(vec![bulks(&["bob", "1"])]),
            ]),
        );
        // Several streams at once; a stream with nothing to serve is left out.
        c.cmd(&["DEL", "t"]);
        c.ok(&["XGROUP", "CREATE", "t", "g", "$", "MKSTREAM"]);
        c.expect(
            &[
                "XREADGROUP",
                "GROUP",
                "g",
                "bob",
                "STREAMS",
                "t",
                "s",
                ">",
                "0",
            ],
            arr(vec![arr(vec![
                bulk("s"),
                arr(vec![entry("3-0", &["c", "3"])]),
            ])]),
        );
    });
}

#[test]
fn xreadgroup_errors() {
    each_server(|s| {
        let mut c = s.connect();
        setup_three(&mut c);
        c.ok(&["SET", "str", "x"]);
        c.ok(&["XGROUP", "CREATE", "s", "g", "0"]);
        let rg = |rest: &[&str]| {
            let mut v = vec!["XREADGROUP"];
            v.extend_from_slice(rest);
            v.iter().map(|s| s.to_string()).collect::<Vec<String>>()
        };
        c.expect(
            &rg(&["GROUP", "g", "c", "STREAMS", "s"]),
            err(&arity("xreadgroup")),
        );
        c.expect(&rg(&["STREAMS", "s", ">"]), err(&arity("xreadgroup")));
        c.expect(
            &rg(&["GROUP", "g", "c", "STREAMS", "s", "a", "b"]),
            err("ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified."),
        );
        c.expect(
            &rg(&["GROUP", "g", "c", "COUNT", "x", "STREAMS", "s", ">"]),
            err(NOT_INT),
        );
        c.expect(
            &rg(&["GROUP", "g", "c", "BLOCK", "x", "STREAMS", "s", ">"]),
            err("ERR timeout is not an integer or out of range"),
        );
        c.expect(
            &rg(&["GROUP", "g", "c", "BLOCK", "-1", "STREAMS", "s", ">"]),
            err("ERR timeout is negative"),
        );
        c.expect(
            &rg(&["GROUP", "g", "c", "FOO", "STREAMS", "s", ">"]),
            err(SYNTAX),
        );
        c.expect(
            &rg(&["COUNT", "1", "BLOCK", "1", "STREAMS", "s", ">"]),
            err("ERR Missing GROUP option for XREADGROUP"),
        );
        c.expect(
            &rg(&["GROUP", "g", "c", "STREAMS", "nokey", ">"]),
            err(
                "NOGROUP No such key 'nokey' or consumer group 'g' in XREADGROUP with GROUP option",
            ),
        );
        c.expect(
            &rg(&["GROUP", "nog", "c", "STREAMS", "s", ">"]),
            err("NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option"),
        );
        c.expect(
            &rg(&["GROUP", "g", "c", "STREAMS", "str", ">"]),
            err(WRONGTYPE),
        );
        c.expect(
            &rg(&["GROUP", "g", "c", "STREAMS", "s", "str", ">", ">"]),
            err(WRONGTYPE),
        );
        c.expect(
            &rg(&["GROUP", "g", "c", "STREAMS", "s", "$"]),
            err("ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set."),
        );
        for id in ["+", "-", "bad"] {
            c.expect(&rg(&["GROUP", "g", "c", "STREAMS", "s", id]), err(BAD_ID));
        }
        // A later GROUP wins.
        c.expect(
            &rg(&["GROUP", "g", "c", "GROUP", "g2", "c2", "STREAMS", "s", "0"]),
            err("NOGROUP No such key 's' or consumer group 'g2' in XREADGROUP with GROUP option"),
        );
        // Nothing was delivered by the failed calls (the consumer c exists only
        // from the calls that got past the checks).
        c.expect(
            &["XPENDING", "s", "g"],
            arr(vec![int(0), nil(), nil(), nil_arr()]),
        );
        // Inside MULTI, BLOCK does not block.
        c.ok(&["XGROUP", "CREATE", "s", "g2", "$"]);
        c.ok(&["MULTI"]);
        c.expect(
            &rg(&["GROUP", "g2", "c", "BLOCK", "0", "STREAMS", "s", ">"]),
            status("QUEUED"),
        );
        c.expect(&["EXEC"], arr(vec![nil_arr()]));
    });
}

// ---------------------------------------------------------------------------
// XPENDING, XACK
// ---------------------------------------------------------------------------

#[test]
fn xpending_and_xack_forms_and_errors() {
    each_server(|s| {
        let mut c = s.connect();
        setup_three(&mut c);
        c.ok(&["SET", "str", "x"]);
        c.ok(&["XGROUP", "CREATE", "s", "g", "0"]);
        c.cmd(&[
            "XREADGROUP",
            "GROUP",
            "g",
            "a",
            "COUNT",
            "2",
            "STREAMS",
            "s",
            ">",
        ]);
        c.cmd(&["XREADGROUP", "GROUP", "g", "b", "STREAMS", "s", ">"]);
        c.expect(&["XPENDING", "s", "g", "-", "+"], err(SYNTAX));
        c.expect(&["XPENDING", "s", "g", "-", "+", "x"], err(NOT_INT));
        c.expect(&["XPENDING", "s", "g", "-", "+", "-5"], arr(vec![]));
        c.expect(&["XPENDING", "s", "g", "bad", "+", "10"], err(BAD_ID));
        c.expect(&["XPENDING", "s", "g", "(", "+", "10"], err(BAD_ID));
        c.expect(
            &[
                "XPENDING",
                "s",
                "g",
                "(18446744073709551615-18446744073709551615",
                "+",
                "10",
            ],
            err("ERR invalid start ID for the interval"),
        );
        c.expect(
            &["XPENDING", "s", "g", "-", "(0-0", "10"],
            err("ERR invalid end ID for the interval"),
        );
        c.expect(
            &["XPENDING", "s", "g", "IDLE", "x", "-", "+", "10"],
            err(NOT_INT),
        );
        c.expect(&["XPENDING", "s", "g", "IDLE", "10", "-", "+"], err(SYNTAX));
        c.expect(
            &["XPENDING", "s", "g", "IDLE", "10", "-", "+", "10", "a", "x"],
            err(SYNTAX),
        );
        c.expect(
            &["XPENDING", "s", "g", "1", "2", "3", "4", "5", "6", "7"],
            err(SYNTAX),
        );
        c.expect(
            &["XPENDING", "s", "nog"],
            err("NOGROUP No such key 's' or consumer group 'nog'"),
        );
        c.expect(
            &["XPENDING", "nokey", "g"],
            err("NOGROUP No such key 'nokey' or consumer group 'g'"),
        );
        c.expect(&["XPENDING", "str", "g"], err(WRONGTYPE));
        // Argument errors come before the key.
        c.expect(&["XPENDING", "nokey", "g", "bad", "+", "10"], err(BAD_ID));
        let ids = |r: Reply| -> Vec<String> {
            r.array_val()
                .iter()
                .map(|row| row.array_val()[0].str_val())
                .collect()
        };
        assert_eq!(
            ids(c.cmd(&["XPENDING", "s", "g", "-", "+", "10"])),
            ["1-0", "2-0", "3-0"]
        );
        assert_eq!(
            ids(c.cmd(&["XPENDING", "s", "g", "(1-0", "+", "10"])),
            ["2-0", "3-0"]
        );
        assert_eq!(
            ids(c.cmd(&["XPENDING", "s", "g", "-", "(3-0", "10"])),
            ["1-0", "2-0"]
        );
        assert_eq!(ids(c.cmd(&["XPENDING", "s", "g", "2", "2", "10"])), ["2-0"]);
        assert_eq!(ids(c.cmd(&["XPENDING", "s", "g", "-", "+", "1"])), ["1-0"]);
        assert_eq!(
            ids(c.cmd(&["XPENDING", "s", "g", "-", "+", "10", "b"])),
            ["3-0"]
        );
        assert_eq!(
            ids(c.cmd(&["XPENDING", "s", "g", "-", "+", "10", "a", "x"])),
            ["1-0", "2-0"]
        );
        assert!(ids(c.cmd(&["XPENDING", "s", "g", "-", "+", "10", "nobody"])).is_empty());
        assert!(ids(c.cmd(&["XPENDING", "s", "g", "IDLE", "100000", "-", "+", "10"])).is_empty());
        assert_eq!(
            ids(c.cmd(&["XPENDING", "s", "g", "IDLE", "-5", "-", "+", "10", "a"])),
            ["1-0", "2-0"]
        );
        let row = c.cmd(&["XPENDING", "s", "g", "-", "+", "1"]).array_val()[0].array_val();
        assert_eq!(row[1], bulk("a"));
        assert!((0..2000).contains(&row[2].int_val()));
        assert_eq!(row[3], int(1));
        // XACK.
        c.expect(&["XACK", "s", "g"], err(&arity("xack")));
        c.expect(&["XACK", "s", "g", "1-0", "bad"], err(BAD_ID));
        c.expect(&["XACK", "s", "g", "-"], err(BAD_ID));
        c.expect(&["XACK", "s", "g", "+"], err(BAD_ID));
        c.expect(&["XACK", "s", "nog", "bad"], int(0));
        c.expect(&["XACK", "nokey", "g", "bad"], int(0));
        c.expect(&["XACK", "str", "g", "1-0"], err(WRONGTYPE));
        c.expect(&["XACK", "s", "g", "1-0", "1-0", "2"], int(2));
        c.expect(
            &["XPENDING", "s", "g"],
            arr(vec![
                int(1),
                bulk("3-0"),
                bulk("3-0"),
                arr(vec![bulks(&["b", "1"])]),
            ]),
        );
    });
}

// ---------------------------------------------------------------------------
// XCLAIM, XAUTOCLAIM
// ---------------------------------------------------------------------------

#[test]
fn xclaim_options_and_errors() {
    each_server(|s| {
        let mut c = s.connect();
        setup_three(&mut c);
        c.ok(&["SET", "str", "x"]);
        c.ok(&["XGROUP", "CREATE", "s", "g", "0"]);
        c.cmd(&["XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">"]);
        c.expect(&["XCLAIM", "s", "g", "b", "0"], err(&arity("xclaim")));
        c.expect(
            &["XCLAIM", "nokey", "g", "b", "0", "1-0"],
            err("NOGROUP No such key 'nokey' or consumer group 'g'"),
        );
        c.expect(
            &["XCLAIM", "s", "nog", "b", "x", "1-0"],
            err("NOGROUP No such key 's' or consumer group 'nog'"),
        );
        c.expect(&["XCLAIM", "str", "g", "b", "0", "1-0"], err(WRONGTYPE));
        c.expect(
            &["XCLAIM", "s", "g", "b", "x", "1-0"],
            err("ERR Invalid min-idle-time argument for XCLAIM"),
        );
        c.expect(
            &["XCLAIM", "s", "g", "b", "0", "bad"],
            err("ERR Unrecognized XCLAIM option 'bad'"),
        );
        c.expect(
            &["XCLAIM", "s", "g", "b", "0", "1-0", "IDLE"],
            err("ERR Unrecognized XCLAIM option 'IDLE'"),
        );
        c.expect(
            &["XCLAIM", "s", "g", "b", "0", "1-0", "IDLE", "x"],
            err("ERR Invalid IDLE option argument for XCLAIM"),
        );
        c.expect(
            &["XCLAIM", "s", "g", "b", "0", "1-0", "TIME", "x"],
            err("ERR Invalid TIME option argument for XCLAIM"),
        );
        c.expect(
            &["XCLAIM", "s", "g", "b", "0", "1-0", "RETRYCOUNT", "x"],
            err("ERR Invalid RETRYCOUNT option argument for XCLAIM"),
        );
        c.expect(
            &["XCLAIM", "s", "g", "b", "0", "1-0", "LASTID", "+"],
            err(BAD_ID),
        );
        c.expect(
            &["XCLAIM", "s", "g", "b", "0", "1-0", "JUSTID", "2-0"],
            err("ERR Unrecognized XCLAIM option '2-0'"),
        );
        // Nothing claimed by the failed calls; b does not exist yet.
        assert_eq!(
            c.cmd(&["XINFO", "CONSUMERS", "s", "g"]).array_val().len(),
            1
        );
        // Not idle enough: nothing, and no consumer created.
        c.expect(&["XCLAIM", "s", "g", "b", "100000", "1-0"], arr(vec![]));
        assert_eq!(
            c.cmd(&["XINFO", "CONSUMERS", "s", "g"]).array_val().len(),
            1
        );
        // Claim with entries, and the delivery counter goes up.
        c.expect(
            &["XCLAIM", "s", "g", "b", "0", "1-0", "2"],
            arr(vec![entry("1-0", &["a", "1"]), entry("2-0", &["b", "2"])]),
        );
        // JUSTID leaves the counter; RETRYCOUNT sets it; IDLE sets the idle time.
        c.expect(
            &["XCLAIM", "s", "g", "b", "0", "1-0", "JUSTID"],
            arr(vec![bulk("1-0")]),
        );
        c.expect(
            &[
                "XCLAIM",
                "s",
                "g",
                "c",
                "-5",
                "3-0",
                "JUSTID",
                "RETRYCOUNT",
                "7",
                "IDLE",
                "500000",
            ],
            arr(vec![bulk("3-0")]),
        );
        let rows = c.cmd(&["XPENDING", "s", "g", "-", "+", "10"]).array_val();
        let summary: Vec<(String, i64, bool)> = rows
            .iter()
            .map(|r| {
                let v = r.array_val();
                (v[1].str_val(), v[3].int_val(), v[2].int_val() >= 500000)
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                ("b".into(), 2, false),
                ("b".into(), 2, false),
                ("c".into(), 7, true)
            ]
        );
        // TIME in the past is kept, in the future means now.
        c.expect(
            &[
                "XCLAIM", "s", "g", "c", "0", "1-0", "TIME", "1000", "JUSTID",
            ],
            arr(vec![bulk("1-0")]),
        );
        let full = c.cmd(&["XINFO", "STREAM", "s", "FULL"]);
        let pending = full.get("groups").unwrap().array_val()[0]
            .get("pending")
            .unwrap();
        assert_eq!(pending.array_val()[0].array_val()[2], int(1000));
        c.expect(
            &[
                "XCLAIM",
                "s",
                "g",
                "c",
                "0",
                "1-0",
                "TIME",
                "99999999999999",
                "JUSTID",
            ],
            arr(vec![bulk("1-0")]),
        );
        let idle =
            c.cmd(&["XPENDING", "s", "g", "-", "1-0", "1"]).array_val()[0].array_val()[2].int_val();
        assert!(idle < 2000, "{idle}");
        // FORCE creates entries that exist in the stream only; the new entry counts
        // a delivery on top of its first.
        c.expect(&["XACK", "s", "g", "2-0"], int(1));
        c.expect(
            &[
                "XCLAIM", "s", "g", "d", "0", "2-0", "9-9", "FORCE", "JUSTID",
            ],
            arr(vec![bulk("2-0")]),
        );
        c.expect(&["XACK", "s", "g", "2-0"], int(1));
        c.expect(
            &["XCLAIM", "s", "g", "d", "0", "2-0", "FORCE"],
            arr(vec![entry("2-0", &["b", "2"])]),
        );
        let row = c.cmd(&["XPENDING", "s", "g", "2", "2", "1"]).array_val()[0].array_val();
        assert_eq!((row[1].clone(), row[3].clone()), (bulk("d"), int(2)));
        // LASTID moves the group forward only.
        c.expect(
            &["XCLAIM", "s", "g", "d", "0", "9-9", "LASTID", "5-0"],
            arr(vec![]),
        );
        c.expect(
            &["XCLAIM", "s", "g", "d", "0", "9-9", "LASTID", "4-0"],
            arr(vec![]),
        );
        let g = c.cmd(&["XINFO", "GROUPS", "s"]).array_val()[0].clone();
        assert_eq!(g.get("last-delivered-id"), Some(bulk("5-0")));
        // A deleted entry is dropped from the PEL and not returned.
        c.expect(&["XDEL", "s", "1-0"], int(1));
        c.expect(&["XCLAIM", "s", "g", "e", "0", "1-0"], arr(vec![]));
        c.expect(
            &["XPENDING", "s", "g"],
            arr(vec![
                int(2),
                bulk("2-0"),
                bulk("3-0"),
                arr(vec![bulks(&["c", "1"]), bulks(&["d", "1"])]),
            ]),
        );
    });
}

#[test]
fn xautoclaim_cursor_and_deleted_entries() {
    each_server(|s| {
        let mut c = s.connect();
        c.cmd(&["DEL", "s"]);
        for i in 1..=6 {
            c.cmd(&["XADD", "s", &format!("{i}-0"), "f", &i.to_string()]);
        }
        c.ok(&["SET", "str", "x"]);
        c.ok(&["XGROUP", "CREATE", "s", "g", "0"]);
        c.cmd(&["XREADGROUP", "GROUP", "g", "a", "STREAMS", "s", ">"]);
        c.expect(
            &["XAUTOCLAIM", "s", "g", "c", "0"],
            err(&arity("xautoclaim")),
        );
        c.expect(
            &["XAUTOCLAIM", "nokey", "g", "c", "0", "0"],
            err("NOGROUP No such key 'nokey' or consumer group 'g'"),
        );
        c.expect(&["XAUTOCLAIM", "str", "g", "c", "0", "0"], err(WRONGTYPE));
        c.expect(
            &["XAUTOCLAIM", "s", "g", "c", "x", "0"],
            err("ERR Invalid min-idle-time argument for XAUTOCLAIM"),
        );
        c.expect(
            &["XAUTOCLAIM", "nokey", "g", "c", "x", "0"],
            err("ERR Invalid min-idle-time argument for XAUTOCLAIM"),
        );
        c.expect(&["XAUTOCLAIM", "s", "g", "c", "0", "bad"], err(BAD_ID));
        c.expect(
            &[
                "XAUTOCLAIM",
                "s",
                "g",
                "c",
                "0",
                "(18446744073709551615-18446744073709551615",
            ],
            err("ERR invalid start ID for the interval"),
        );
        for n in ["0", "x", "-1", "576460752303423488"] {
            c.expect(
                &["XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT", n],
                err("ERR COUNT must be > 0"),
            );
        }
        c.expect(
            &["XAUTOCLAIM", "s", "g", "c", "0", "0", "COUNT"],
            err(SYNTAX),
        );
        c.expect(
            &["XAUTOCLAIM", "nokey", "g", "c", "0", "0", "FOO"],
            err(SYNTAX),
        );
        // Too idle for anything: no consumer created.
        c.expect(
            &["XAUTOCLAIM", "s", "g", "c", "100000", "0"],
            arr(vec![bulk("0-0"), arr(vec![]), arr(vec![])]),
        );
        assert_eq!(
            c.cmd(&["XINFO", "CONSUMERS", "s", "g"]).array_val().len(),
            1
        );
        // Page through with COUNT 2.
        c.expect(
            &["XAUTOCLAIM", "s", "g", "c", "0", "-", "COUNT", "2"],
            arr(vec![
                bulk("3-0"),
                arr(vec![entry("1-0", &["f", "1"]), entry("2-0", &["f", "2"])]),
                arr(vec![]),
            ]),
        );
        // Deleted entries are dropped, reported, and count against COUNT.
        c.expect(&["XDEL", "s", "3-0", "5-0"], int(2));
        c.expect(
            &[
                "XAUTOCLAIM",
                "s",
                "g",
                "c",
                "0",
                "3-0",
                "COUNT",
                "2",
                "JUSTID",
            ],
            arr(vec![
                bulk("5-0"),
                arr(vec![bulk("4-0")]),
                arr(vec![bulk("3-0")]),
            ]),
        );
        c.expect(
            &["XAUTOCLAIM", "s", "g", "c", "0", "(4-0"],
            arr(vec![
                bulk("0-0"),
                arr(vec![entry("6-0", &["f", "6"])]),
                arr(vec![bulk("5-0")]),
            ]),
        );
        c.expect(
            &["XAUTOCLAIM", "s", "g", "c", "0", "+"],
            arr(vec![bulk("0-0"), arr(vec![]), arr(vec![])]),
        );
        // Counters: claimed twice (JUSTID did not count) => 1-0 and 2-0 at 2.
        let rows = c.cmd(&["XPENDING", "s", "g", "-", "+", "10"]).array_val();
        let counts: Vec<(String, String, i64)> = rows
            .iter()
            .map(|r| {
                let v = r.array_val();
                (v[0].str_val(), v[1].str_val(), v[3].int_val())
            })
            .collect();
        assert_eq!(
            counts,
            vec![
                ("1-0".into(), "c".into(), 2),
                ("2-0".into(), "c".into(), 2),
                ("4-0".into(), "c".into(), 1),
                ("6-0".into(), "c".into(), 2)
            ]
        );
    });
}

/// XAUTOCLAIM looks at no more than COUNT * 10 pending entries per call.
#[test]
fn xautoclaim_scan_budget() {
    let mut setup = vec![
        "DEL s".to_string(),
        "XGROUP CREATE s g 0 MKSTREAM".to_string(),
    ];
    for i in 1..=30 {
        setup.push(format!("XADD s {i}-0 f v"));
    }
    setup.push("XREADGROUP GROUP g a STREAMS s >".into());
    setup.push("XCLAIM s g a 0 25-0 26-0 IDLE 1000000 JUSTID".into());
    let setup: Vec<&str> = setup.iter().map(|s| s.as_str()).collect();
    let got = same_replies(
        &setup,
        &[
            "XAUTOCLAIM s g b 500000 0 COUNT 1 JUSTID",
            "XAUTOCLAIM s g b 500000 11-0 COUNT 1 JUSTID",
            "XAUTOCLAIM s g b 500000 21-0 COUNT 1 JUSTID",
            "XAUTOCLAIM s g b 500000 26-0 COUNT 1 JUSTID",
        ],
        false,
    );
    assert_eq!(got[0], arr(vec![bulk("11-0"), arr(vec![]), arr(vec![])]));
    assert_eq!(got[1], arr(vec![bulk("21-0"), arr(vec![]), arr(vec![])]));
    assert_eq!(
        got[2],
        arr(vec![bulk("26-0"), arr(vec![bulk("25-0")]), arr(vec![])])
    );
    assert_eq!(
        got[3],
        arr(vec![bulk("27-0"), arr(vec![bulk("26-0")]), arr(vec![])])
    );
}

// ---------------------------------------------------------------------------
// XINFO
// ---------------------------------------------------------------------------

#[test]
fn xinfo_errors_and_help() {
    each_server(|s| {
        let mut c = s.connect();
        setup_three(&mut c);
        c.ok(&["SET", "str", "x"]);
        c.ok(&["XGROUP", "CREATE", "s", "g", "0"]);
        c.expect(&["XINFO", "GROUPS", "nokey"], err("ERR no such key"));
        c.expect(&["XINFO", "GROUPS", "str"], err(WRONGTYPE));
        c.expect(&["XINFO", "GROUPS", "s", "x"], err(&arity("xinfo|groups")));
        c.expect(&["XINFO", "GROUPS"], err(&arity("xinfo|groups")));
        c.expect(
            &["XINFO", "CONSUMERS", "s", "nog"],
            err("NOGROUP No such consumer group 'nog' for key name 's'"),
        );
        c.expect(&["XINFO", "CONSUMERS", "s"], err(&arity("xinfo|consumers")));
        c.expect(
            &["XINFO", "CONSUMERS", "nokey", "g"],
            err("ERR no such key"),
        );
        c.expect(
            &["XINFO", "STREAM", "s", "FULL", "COUNT", "x"],
            err(NOT_INT),
        );
        for extra in [
            &["FULL", "x"][..],
            &["FULLX"],
            &["FULL", "COUNT", "1", "x"],
            &["FULL", "x", "1"],
        ] {
            let mut cmd = vec!["XINFO", "STREAM", "s"];
            cmd.extend_from_slice(extra);
            c.expect(&cmd, err(&sub_syntax("STREAM", "XINFO")));
        }
        c.expect(&["XINFO", "STREAM", "nokey"], err("ERR no such key"));
        // The key is looked up before the options are.
        c.expect(
            &["XINFO", "STREAM", "nokey", "FULL", "x"],
            err("ERR no such key"),
        );
        c.expect(&["XINFO", "STREAM", "str"], err(WRONGTYPE));
        c.expect(&["XINFO", "STREAM"], err(&arity("xinfo|stream")));
        c.expect(
            &["XINFO", "foo", "s"],
            err("ERR unknown subcommand 'foo'. Try XINFO HELP."),
        );
        c.expect(&["XINFO", "HELP", "x"], err(&arity("xinfo|help")));
        assert_eq!(c.cmd(&["XINFO", "HELP"]).array_val().len(), 9);
    });
}

#[test]
fn xinfo_stream_plain_and_full() {
    each_server(|s| {
        let mut c = s.connect();
        setup_three(&mut c);
        c.expect(
            &["XINFO", "STREAM", "s"],
            arr(vec![
                bulk("length"),
                int(3),
                bulk("radix-tree-keys"),
                int(1),
                bulk("radix-tree-nodes"),
                int(2),
                bulk("last-generated-id"),
                bulk("3-0"),
                bulk("max-deleted-entry-id"),
                bulk("0-0"),
                bulk("entries-added"),
                int(3),
                bulk("recorded-first-entry-id"),
                bulk("1-0"),
                bulk("groups"),
                int(0),
                bulk("first-entry"),
                entry("1-0", &["a", "1"]),
                bulk("last-entry"),
                entry("3-0", &["c", "3"]),
            ]),
        );
        c.ok(&["XGROUP", "CREATE", "s", "g", "0"]);
        c.cmd(&[
            "XREADGROUP",
            "GROUP",
            "g",
            "alice",
            "COUNT",
            "1",
            "STREAMS",
            "s",
            ">",
        ]);
        c.expect(
            &[
                "XCLAIM",
                "s",
                "g",
                "bob",
                "0",
                "1-0",
                "TIME",
                "1234",
                "RETRYCOUNT",
                "3",
                "JUSTID",
            ],
            arr(vec![bulk("1-0")]),
        );
        c.expect(&["XDEL", "s", "3-0"], int(1));
        let full = c.cmd(&["XINFO", "STREAM", "s", "FULL", "COUNT", "1"]);
        let full = norm(&words("XINFO STREAM s FULL"), full);
        assert_eq!(
            full,
            arr(vec![
                bulk("length"),
                int(2),
                bulk("radix-tree-keys"),
                int(1),
                bulk("radix-tree-nodes"),
                int(2),
                bulk("last-generated-id"),
                bulk("3-0"),
                bulk("max-deleted-entry-id"),
                bulk("3-0"),
                bulk("entries-added"),
                int(3),
                bulk("recorded-first-entry-id"),
                bulk("1-0"),
                bulk("entries"),
                arr(vec![entry("1-0", &["a", "1"])]),
                bulk("groups"),
                arr(vec![arr(vec![
                    bulk("name"),
                    bulk("g"),
                    bulk("last-delivered-id"),
                    bulk("1-0"),
                    bulk("entries-read"),
                    int(1),
                    bulk("lag"),
                    nil(),
                    bulk("pel-count"),
                    int(1),
                    bulk("pending"),
                    arr(vec![arr(vec![bulk("1-0"), bulk("bob"), int(1234), int(3)])]),
                    bulk("consumers"),
                    arr(vec![
                        arr(vec![
                            bulk("name"),
                            bulk("alice"),
                            bulk("seen-time"),
                            int(-1),
                            bulk("pel-count"),
                            int(0),
                            bulk("pending"),
                            arr(vec![]),
                        ]),
                        arr(vec![
                            bulk("name"),
                            bulk("bob"),
                            bulk("seen-time"),
                            int(-1),
                            bulk("pel-count"),
                            int(1),
                            bulk("pending"),
                            arr(vec![arr(vec![bulk("1-0"), int(1234), int(3)])]),
                        ]),
                    ]),
                ])]),
            ]),
        );
        // An empty stream: no first/last entry.
        c.cmd(&["DEL", "e"]);
        c.ok(&["XGROUP", "CREATE", "e", "g", "$", "MKSTREAM"]);
        let plain = c.cmd(&["XINFO", "STREAM", "e"]);
        assert_eq!(plain.get("first-entry"), Some(nil()));
        assert_eq!(plain.get("last-entry"), Some(nil()));
        assert_eq!(plain.get("radix-tree-nodes"), Some(int(1)));
        assert_eq!(plain.get("groups"), Some(int(1)));
    });
}

/// radix-tree-keys/nodes for streams spanning many nodes, COUNT 0 (everything) and
/// negative COUNT (10) of XINFO STREAM FULL.
#[test]
fn xinfo_stream_many_nodes() {
    let mut setup = vec!["DEL s".to_string()];
    for i in 0..450 {
        setup.push(format!("XADD s {}-{} f {i}", 1000 + i * 37, i % 3));
    }
    setup.push("XGROUP CREATE s g 0".into());
    setup.push("XREADGROUP GROUP g a COUNT 15 STREAMS s >".into());
    let setup: Vec<&str> = setup.iter().map(|s| s.as_str()).collect();
    same_replies(
        &setup,
        &[
            "XINFO STREAM s",
            "XINFO STREAM s FULL",
            "XINFO STREAM s FULL COUNT 0",
            "XINFO STREAM s FULL COUNT -1",
            "XTRIM s MAXLEN 120",
            "XINFO STREAM s",
            "XINFO GROUPS s",
            "XADD s 99999999-0 f v",
            "XINFO STREAM s",
        ],
        false,
    );
}

/// radix-tree-nodes follows the shape of Redis's radix tree over many small nodes
/// with ids sharing prefixes of every length, as entries are added and trimmed.
#[test]
fn xinfo_radix_tree_nodes() {
    let setup = ["FLUSHALL", "CONFIG SET stream-node-max-entries 2"];
    let mut g = Gen(0xACE);
    let mut ms: u64 = 0;
    let mut script = Vec::new();
    for i in 0..300 {
        let bits = g.below(40);
        ms += 1 + g.below(1 << bits);
        script.push(format!("XADD s {ms}-{} f {i}", g.below(3)));
        if i % 10 == 0 {
            script.push("XINFO STREAM s".into());
        }
    }
    for n in [280, 200, 117, 60, 3, 1, 0] {
        script.push(format!("XTRIM s MAXLEN {n}"));
        script.push("XINFO STREAM s".to_string());
    }
    let script: Vec<&str> = script.iter().map(|s| s.as_str()).collect();
    let got = same_replies(&setup, &script, false);
    assert_eq!(
        got.last().and_then(|r| r.get("radix-tree-nodes")),
        Some(int(1))
    );
}

// ---------------------------------------------------------------------------
// entries-read and lag (Redis 7.0's rules)
// ---------------------------------------------------------------------------

#[test]
fn entries_read_and_lag() {
    let setup = [
        "DEL s",
        "XADD s 1-0 f v",
        "XADD s 2-0 f v",
        "XADD s 3-0 f v",
        "XADD s 4-0 f v",
        "XADD s 5-0 f v",
    ];
    let got = same_replies(
        &setup,
        &[
            "XGROUP CREATE s g0 0",
            "XGROUP CREATE s g1 1-0 ENTRIESREAD 1",
            "XGROUP CREATE s glast $",
            "XGROUP CREATE s gmid 3-0",
            "XGROUP CREATE s gfuture 9-0",
            "XINFO GROUPS s",
            "XREADGROUP GROUP g0 c COUNT 2 STREAMS s >",
            "XINFO GROUPS s",
            "XDEL s 2-0",
            "XREADGROUP GROUP g1 c COUNT 1 STREAMS s >",
            "XREADGROUP GROUP g0 c COUNT 1 STREAMS s >",
            "XINFO GROUPS s",
            "XDEL s 1-0",
            "XINFO GROUPS s",
            "XGROUP CREATE s gx 0-1",
            "XINFO GROUPS s",
            "XREADGROUP GROUP gx c STREAMS s >",
            "XINFO GROUPS s",
            "XTRIM s MAXLEN 0",
            "XINFO GROUPS s",
            "XGROUP SETID s g0 0 ENTRIESREAD 0",
            "XGROUP SETID s g1 0",
            "XINFO GROUPS s",
            "XADD s 6-0 f v",
            "XINFO GROUPS s",
            "XREADGROUP GROUP g1 c NOACK STREAMS s >",
            "XINFO GROUPS s",
            "XINFO STREAM s FULL",
        ],
        false,
    );
    // Spot checks: g1 (at 1-0, read 1) reads 3-0 after 2-0 was deleted: Redis 7.0
    // counts on (2) since no deletion lies ahead of 3-0.
    let groups = &got[11].array_val();
    let g1 = groups
        .iter()
        .find(|g| g.get("name") == Some(bulk("g1")))
        .unwrap();
    assert_eq!(g1.get("entries-read"), Some(int(2)));
    assert_eq!(g1.get("lag"), Some(int(3)));
}

// ---------------------------------------------------------------------------
// RESP3
// ---------------------------------------------------------------------------

#[test]
fn resp3_shapes() {
    let setup = [
        "DEL s",
        "XADD s 1-0 a 1",
        "XADD s 2-0 b 2",
        "XGROUP CREATE s g 0",
        "XGROUP CREATE s g2 $",
    ];
    let got = same_replies(
        &setup,
        &[
            "XREADGROUP GROUP g c COUNT 1 STREAMS s >",
            "XREADGROUP GROUP g c STREAMS s 0",
            "XREADGROUP GROUP g2 c STREAMS s >",
            "XDEL s 1-0",
            "XREADGROUP GROUP g c STREAMS s 0",
            "XPENDING s g",
            "XPENDING s g2",
            "XPENDING s g - + 10",
            "XINFO GROUPS s",
            "XINFO CONSUMERS s g",
            "XINFO STREAM s",
            "XINFO STREAM s FULL",
            "XAUTOCLAIM s g d 0 0",
            "XCLAIM s g e 0 2-0",
            "XGROUP HELP",
            "XINFO HELP",
        ],
        true,
    );
    assert_eq!(
        got[0],
        map(vec![(bulk("s"), arr(vec![entry("1-0", &["a", "1"])]))])
    );
    assert_eq!(got[2], null());
    assert_eq!(
        got[4],
        map(vec![(bulk("s"), arr(vec![arr(vec![bulk("1-0"), null()])]))])
    );
    assert_eq!(got[6], arr(vec![int(0), null(), null(), null()]));
    assert!(matches!(got[8].array_val()[0], Reply::Map(_)));
    assert!(matches!(got[10], Reply::Map(_)));
}

// ---------------------------------------------------------------------------
// Life cycle across consumers
// ---------------------------------------------------------------------------

#[test]
fn life_cycle_with_claims_across_consumers() {
    let mut setup = vec![
        "DEL jobs".to_string(),
        "XGROUP CREATE jobs workers $ MKSTREAM".to_string(),
    ];
    for i in 1..=8 {
        setup.push(format!("XADD jobs {i}-0 job {i}"));
    }
    let setup: Vec<&str> = setup.iter().map(|s| s.as_str()).collect();
    let got = same_replies(
        &setup,
        &[
            "XREADGROUP GROUP workers w1 COUNT 3 STREAMS jobs >",
            "XREADGROUP GROUP workers w2 COUNT 3 STREAMS jobs >",
            "XACK jobs workers 1-0 4-0",
            // w1 dies: its entries go to w3 once idle (IDLE makes them old).
            "XCLAIM jobs workers w1 0 2-0 3-0 IDLE 600000 JUSTID",
            "XAUTOCLAIM jobs workers w3 300000 0 COUNT 10",
            "XPENDING jobs workers",
            "XPENDING jobs workers - + 10 w3",
            "XGROUP DELCONSUMER jobs workers w1",
            "XREADGROUP GROUP workers w3 STREAMS jobs 0",
            "XREADGROUP GROUP workers w3 STREAMS jobs >",
            "XACK jobs workers 2-0 3-0 7-0 8-0",
            "XINFO CONSUMERS jobs workers",
            "XINFO GROUPS jobs",
            "XPENDING jobs workers",
            "XPENDING jobs workers IDLE 0 - + 10",
            "XGROUP CREATECONSUMER jobs workers w4",
            "XCLAIM jobs workers w4 0 5-0 6-0",
            "XINFO CONSUMERS jobs workers",
            "XGROUP DESTROY jobs workers",
            "XINFO STREAM jobs",
        ],
        false,
    );
    assert_eq!(
        got[4],
        arr(vec![
            bulk("0-0"),
            arr(vec![
                entry("2-0", &["job", "2"]),
                entry("3-0", &["job", "3"])
            ]),
            arr(vec![]),
        ])
    );
    assert_eq!(
        got[5],
        arr(vec![
            int(4),
            bulk("2-0"),
            bulk("6-0"),
            arr(vec![bulks(&["w2", "2"]), bulks(&["w3", "2"])]),
        ])
    );
    assert_eq!(got[7], int(0));
}

// ---------------------------------------------------------------------------
// Blocking
// ---------------------------------------------------------------------------

#[test]
fn blocked_readers_are_served_in_order() {
    each_server(|s| {
        let mut c = s.connect();
        c.cmd(&["DEL", "s"]);
        c.ok(&["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]);
        let mut a = s.connect();
        let mut b = s.connect();
        a.send(&[
            "XREADGROUP",
            "GROUP",
            "g",
            "a",
            "BLOCK",
            "0",
            "STREAMS",
            "s",
            ">",
        ]);
        wait_blocked(&mut c, 1);
        b.send(&[
            "XREADGROUP",
            "GROUP",
            "g",
            "b",
            "COUNT",
            "1",
            "BLOCK",
            "0",
            "STREAMS",
            "s",
            ">",
        ]);
        wait_blocked(&mut c, 2);
        // One entry: the first blocked reader gets it, the second keeps waiting.
        c.expect(&["XADD", "s", "1-0", "f", "1"], bulk("1-0"));
        assert_eq!(
            a.read_reply(),
            read_reply("s", vec![entry("1-0", &["f", "1"])])
        );
        wait_blocked(&mut c, 1);
        c.expect(&["XADD", "s", "2-0", "f", "2"], bulk("2-0"));
        assert_eq!(
            b.read_reply(),
            read_reply("s", vec![entry("2-0", &["f", "2"])])
        );
        wait_blocked(&mut c, 0);
        c.expect(
            &["XPENDING", "s", "g"],
            arr(vec![
                int(2),
                bulk("1-0"),
                bulk("2-0"),
                arr(vec![bulks(&["a", "1"]), bulks(&["b", "1"])]),
            ]),
        );
        // Two entries added in one transaction: one reader gets both.
        a.send(&[
            "XREADGROUP",
            "GROUP",
            "g",
            "a",
            "BLOCK",
            "0",
            "STREAMS",
            "s",
            ">",
        ]);
        wait_blocked(&mut c, 1);
        c.ok(&["MULTI"]);
        c.cmd(&["XADD", "s", "3-0", "f", "3"]);
        c.cmd(&["XADD", "s", "4-0", "f", "4"]);
        c.cmd(&["EXEC"]);
        assert_eq!(
            a.read_reply(),
            read_reply(
                "s",
                vec![entry("3-0", &["f", "3"]), entry("4-0", &["f", "4"])]
            )
        );
        // Group bookkeeping does not wake readers; XGROUP SETID back does not
        // either (only new entries do).
        a.send(&[
            "XREADGROUP",
            "GROUP",
            "g",
            "a",
            "BLOCK",
            "0",
            "STREAMS",
            "s",
            ">",
        ]);
        wait_blocked(&mut c, 1);
        c.expect(&["XGROUP", "CREATECONSUMER", "s", "g", "z"], int(1));
        c.expect(&["XACK", "s", "g", "1-0"], int(1));
        c.ok(&["XGROUP", "SETID", "s", "g", "3-0"]);
        wait_blocked(&mut c, 1);
        c.expect(&["XADD", "s", "5-0", "f", "5"], bulk("5-0"));
        assert_eq!(
            a.read_reply(),
            read_reply(
                "s",
                vec![entry("4-0", &["f", "4"]), entry("5-0", &["f", "5"])]
            )
        );
        wait_blocked(&mut c, 0);
    });
}

/// A reader blocked on several streams is served for the one that got data only,
/// and its consumer is created then (after the XADD's own event).
#[test]
fn blocked_reader_on_several_streams() {
    let events: RefCell<Vec<Vec<String>>> = RefCell::new(Vec::new());
    each_server(|s| {
        let mut c = s.connect();
        c.cmd(&["FLUSHALL"]);
        c.ok(&["CONFIG", "SET", "notify-keyspace-events", "EA"]);
        for k in ["s1", "s2"] {
            c.ok(&["XGROUP", "CREATE", k, "g", "$", "MKSTREAM"]);
        }
        let mut sub = s.connect();
        sub.cmd(&["PSUBSCRIBE", "*"]);
        let mut a = s.connect();
        a.send(&[
            "XREADGROUP",
            "GROUP",
            "g",
            "a",
            "COUNT",
            "5",
            "BLOCK",
            "0",
            "STREAMS",
            "s1",
            "s2",
            ">",
            ">",
        ]);
        wait_blocked(&mut c, 1);
        assert_eq!(c.cmd(&["XINFO", "CONSUMERS", "s2", "g"]), arr(vec![]));
        c.ok(&["MULTI"]);
        c.cmd(&["XADD", "s2", "1-0", "f", "v"]);
        c.cmd(&["XADD", "s1", "1-0", "f", "v"]);
        c.cmd(&["EXEC"]);
        assert_eq!(
            a.read_reply(),
            read_reply("s2", vec![entry("1-0", &["f", "v"])])
        );
        // s1's entry is still there for the group.
        c.expect(
            &[
                "XREADGROUP",
                "GROUP",
                "g",
                "b",
                "STREAMS",
                "s1",
                "s2",
                ">",
                ">",
            ],
            read_reply("s1", vec![entry("1-0", &["f", "v"])]),
        );
        c.cmd(&["PUBLISH", "end", "end"]);
        let mut got = Vec::new();
        loop {
            let m = sub.read_reply().array_val();
            if m.get(2) == Some(&bulk("end")) {
                break;
            }
            got.push(format!("{} {}", m[2].str_val(), m[3].str_val()));
        }
        events.borrow_mut().push(got);
    });
    let events = events.into_inner();
    assert_eq!(
        events[0],
        [
            "__keyevent@0__:xadd s2",
            "__keyevent@0__:xadd s1",
            "__keyevent@0__:xgroup-createconsumer s2",
            "__keyevent@0__:xgroup-createconsumer s1",
        ]
    );
    if let [a, b] = &events[..] {
        assert_eq!(a, b);
    }
}

#[test]
fn blocked_reader_timeouts_and_unblock() {
    each_server(|s| {
        let mut c = s.connect();
        c.cmd(&["DEL", "s"]);
        c.ok(&["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]);
        let mut a = s.connect();
        let start = std::time::Instant::now();
        a.expect(
            &[
                "XREADGROUP",
                "GROUP",
                "g",
                "a",
                "BLOCK",
                "100",
                "STREAMS",
                "s",
                ">",
            ],
            nil_arr(),
        );
        assert!(start.elapsed() >= millis(90));
        // Nothing was served: the consumer does not exist yet.
        assert_eq!(
            c.cmd(&["XINFO", "CONSUMERS", "s", "g"]).array_val().len(),
            0
        );
        // History reads never block.
        a.expect(
            &[
                "XREADGROUP",
                "GROUP",
                "g",
                "a",
                "BLOCK",
                "0",
                "STREAMS",
                "s",
                "0",
            ],
            read_reply("s", vec![]),
        );
        let id = a.cmd(&["CLIENT", "ID"]).int_val().to_string();
        a.send(&[
            "XREADGROUP",
            "GROUP",
            "g",
            "a",
            "BLOCK",
            "0",
            "STREAMS",
            "s",
            ">",
        ]);
        wait_blocked(&mut c, 1);
        c.expect(&["CLIENT", "UNBLOCK", &id], int(1));
        assert_eq!(a.read_reply(), nil_arr());
        a.send(&[
            "XREADGROUP",
            "GROUP",
            "g",
            "a",
            "BLOCK",
            "0",
            "STREAMS",
            "s",
            ">",
        ]);
        wait_blocked(&mut c, 1);
        c.expect(&["CLIENT", "UNBLOCK", &id, "ERROR"], int(1));
        assert_eq!(
            a.read_reply(),
            err("UNBLOCKED client unblocked via CLIENT UNBLOCK")
        );
        // RESP3 timeout is a null.
        a.cmd(&["HELLO", "3"]);
        a.expect(
            &[
                "XREADGROUP",
                "GROUP",
                "g",
                "a",
                "BLOCK",
                "10",
                "STREAMS",
                "s",
                ">",
            ],
            null(),
        );
    });
}

#[test]
fn blocked_reader_when_the_group_or_key_goes_away() {
    each_server(|s| {
        let mut c = s.connect();
        let mut a = s.connect();
        let unblocked = err("UNBLOCKED the stream key no longer exists");
        let nogroup = err("NOGROUP the consumer group this client was blocked on no longer exists");
        let cases: [(&[&str], Reply); 4] = [
            (&["DEL", "s"], unblocked.clone()),
            (&["XGROUP", "DESTROY", "s", "g"], nogroup.clone()),
            (&["SET", "s", "x"], unblocked.clone()),
            (&["RENAME", "other", "s"], nogroup.clone()),
        ];
        for (cmd, want) in cases {
            c.cmd(&["DEL", "s", "other"]);
            c.cmd(&["XADD", "other", "1-0", "f", "v"]);
            c.ok(&["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]);
            a.send(&[
                "XREADGROUP",
                "GROUP",
                "g",
                "a",
                "BLOCK",
                "0",
                "STREAMS",
                "s",
                ">",
            ]);
            wait_blocked(&mut c, 1);
            c.cmd(cmd);
            assert_eq!(a.read_reply(), want, "after {cmd:?}");
            wait_blocked(&mut c, 0);
        }
        // Whole databases going away: FLUSHDB, FLUSHALL, SWAPDB (with a database
        // holding no stream, or one holding a stream without the group).
        let cases: [(&[&[&str]], Reply); 4] = [
            (&[&["FLUSHDB"]], unblocked.clone()),
            (&[&["FLUSHALL"]], unblocked.clone()),
            (
                &[&["SWAPDB", "0", "9"], &["SWAPDB", "0", "9"]],
                unblocked.clone(),
            ),
            (
                &[
                    &["SELECT", "9"],
                    &["XADD", "s", "1-0", "f", "v"],
                    &["SWAPDB", "0", "9"],
                    &["SWAPDB", "0", "9"],
                    &["SELECT", "0"],
                ],
                nogroup.clone(),
            ),
        ];
        for (cmds, want) in cases {
            c.cmd(&["FLUSHALL"]);
            c.ok(&["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]);
            a.send(&[
                "XREADGROUP",
                "GROUP",
                "g",
                "a",
                "BLOCK",
                "0",
                "STREAMS",
                "s",
                ">",
            ]);
            wait_blocked(&mut c, 1);
            for cmd in cmds {
                c.cmd(cmd);
            }
            assert_eq!(a.read_reply(), want, "after {cmds:?}");
            wait_blocked(&mut c, 0);
        }
        c.cmd(&["FLUSHALL"]);
    });
}

// ---------------------------------------------------------------------------
// Keyspace events, WATCH, introspection
// ---------------------------------------------------------------------------

#[test]
fn keyspace_events() {
    let events: RefCell<Vec<Vec<Reply>>> = RefCell::new(Vec::new());
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["CONFIG", "SET", "notify-keyspace-events", "EA"]);
        let mut sub = s.connect();
        sub.cmd(&["PSUBSCRIBE", "*"]);
        for line in [
            "XGROUP CREATE s g $ MKSTREAM",
            "XADD s 1-0 a 1",
            "XADD s 2-0 a 1",
            "XREADGROUP GROUP g c STREAMS s >",
            "XREADGROUP GROUP g c2 NOACK STREAMS s 0",
            "XREADGROUP GROUP g c STREAMS s >",
            "XCLAIM s g c3 100000 1-0",
            "XCLAIM s g c3 0 1-0",
            "XAUTOCLAIM s g c4 0 0",
            "XACK s g 1-0",
            "XGROUP SETID s g 0",
            "XGROUP CREATECONSUMER s g c9",
            "XGROUP CREATECONSUMER s g c9",
            "XGROUP DELCONSUMER s g c9",
            "XGROUP DELCONSUMER s g c9",
            "XGROUP DESTROY s g",
            "XGROUP DESTROY s g",
            "XGROUP CREATE s g 0",
            "XPENDING s g",
            "XINFO STREAM s",
            "PUBLISH end end",
        ] {
            c.cmd(&words(line));
        }
        let mut got = Vec::new();
        loop {
            let m = sub.read_reply();
            if m.array_val().get(2) == Some(&bulk("end")) {
                break;
            }
            got.push(m);
        }
        events.borrow_mut().push(got);
    });
    let events = events.into_inner();
    let names: Vec<String> = events[0]
        .iter()
        .map(|m| {
            m.array_val()[2]
                .str_val()
                .rsplit(':')
                .next()
                .unwrap_or("")
                .to_string()
        })
        .collect();
    assert_eq!(
        names,
        [
            "xgroup-create",
            "xadd",
            "xadd",
            "xgroup-createconsumer",
            "xgroup-createconsumer",
            "xgroup-createconsumer",
            "xgroup-createconsumer",
            "xgroup-setid",
            "xgroup-createconsumer",
            "xgroup-delconsumer",
            "xgroup-destroy",
            "xgroup-create",
        ]
    );
    if let [a, b] = &events[..] {
        assert_eq!(a, b);
    }
}

/// Consumer-group bookkeeping is not a modification of the key for WATCH; creating
/// the stream with MKSTREAM is.
#[test]
fn watch_and_group_commands() {
    each_server(|s| {
        let mut c = s.connect();
        setup_three(&mut c);
        c.ok(&["XGROUP", "CREATE", "s", "g", "0"]);
        for cmd in [
            &[
                "XREADGROUP",
                "GROUP",
                "g",
                "c",
                "COUNT",
                "1",
                "STREAMS",
                "s",
                ">",
            ][..],
            &["XACK", "s", "g", "1-0"],
            &["XGROUP", "CREATECONSUMER", "s", "g", "c2"],
            &["XGROUP", "CREATE", "s", "g5", "0"],
            &["XGROUP", "SETID", "s", "g5", "1"],
            &["XCLAIM", "s", "g", "c", "0", "2-0", "FORCE"],
            &["XAUTOCLAIM", "s", "g", "c3", "0", "0"],
            &["XGROUP", "DELCONSUMER", "s", "g", "c3"],
            &["XGROUP", "DESTROY", "s", "g5"],
        ] {
            c.ok(&["WATCH", "s"]);
            c.cmd(cmd);
            c.ok(&["MULTI"]);
            c.expect(&["PING"], status("QUEUED"));
            c.expect(&["EXEC"], arr(vec![status("PONG")]));
        }
        c.cmd(&["DEL", "new"]);
        c.ok(&["WATCH", "new"]);
        c.ok(&["XGROUP", "CREATE", "new", "g", "$", "MKSTREAM"]);
        c.ok(&["MULTI"]);
        c.expect(&["PING"], status("QUEUED"));
        c.expect(&["EXEC"], nil_arr());
    });
}

/// How many writes each group command counts (rdb_changes_since_last_save), as
/// Redis counts them: per acknowledged or claimed entry, one per stream served new
/// entries, one per consumer created, none for history reads.
#[test]
fn dirty_counts() {
    let script = [
        "XGROUP CREATE s g $ MKSTREAM",
        "XADD s 1-0 f v",
        "XADD s 2-0 f v",
        "XADD s 3-0 f v",
        "XGROUP CREATE s g2 0",
        "XREADGROUP GROUP g2 c COUNT 2 STREAMS s >",
        "XREADGROUP GROUP g2 c STREAMS s 0",
        "XREADGROUP GROUP g2 c STREAMS s >",
        "XREADGROUP GROUP g2 c STREAMS s >",
        "XREADGROUP GROUP g2 d NOACK STREAMS s 0",
        "XACK s g2 1-0 2-0 9-0",
        "XCLAIM s g2 e 0 3-0 9-0",
        "XCLAIM s g2 e 0 9-0 LASTID 50-0",
        "XCLAIM s g2 e 0 3-0 LASTID 60-0",
        "XDEL s 3-0",
        "XAUTOCLAIM s g2 f 0 0",
        "XGROUP SETID s g2 0",
        "XGROUP CREATECONSUMER s g2 h",
        "XGROUP CREATECONSUMER s g2 h",
        "XGROUP DELCONSUMER s g2 h",
        "XGROUP DELCONSUMER s g2 h",
        "XGROUP DESTROY s g2",
        "XGROUP DESTROY s g2",
        "XPENDING s g",
        "XINFO STREAM s FULL",
    ];
    let runs: RefCell<Vec<Vec<(String, i64)>>> = RefCell::new(Vec::new());
    each_server(|s| {
        let mut c = s.connect();
        c.cmd(&["FLUSHALL"]);
        let dirty = |c: &mut Conn| -> i64 {
            let info = c.cmd(&["INFO", "persistence"]).str_val();
            info_field(&info, "rdb_changes_since_last_save")
                .and_then(|v| v.parse().ok())
                .unwrap_or(-1)
        };
        let mut seen = Vec::new();
        for line in script {
            let before = dirty(&mut c);
            c.cmd(&words(line));
            seen.push((line.to_string(), dirty(&mut c) - before));
        }
        // A blocked reader served by XADD: for an existing and a new consumer.
        let mut b = s.connect();
        c.ok(&["XGROUP", "CREATE", "s", "gb", "$"]);
        c.expect(&["XGROUP", "CREATECONSUMER", "s", "gb", "c"], int(1));
        for consumer in ["c", "newc"] {
            b.send(&[
                "XREADGROUP",
                "GROUP",
                "gb",
                consumer,
                "BLOCK",
                "0",
                "STREAMS",
                "s",
                ">",
            ]);
            wait_blocked(&mut c, 1);
            let before = dirty(&mut c);
            c.cmd(&["XADD", "s", "*", "f", "v"]);
            b.read_reply();
            seen.push((format!("served {consumer}"), dirty(&mut c) - before));
        }
        runs.borrow_mut().push(seen);
    });
    let runs = runs.into_inner();
    if let [a, b] = &runs[..] {
        assert_eq!(a, b);
    }
}

#[test]
fn command_introspection_matches() {
    let names = [
        "xgroup",
        "xgroup|create",
        "xgroup|setid",
        "xgroup|destroy",
        "xgroup|createconsumer",
        "xgroup|delconsumer",
        "xgroup|help",
        "xreadgroup",
        "xack",
        "xpending",
        "xclaim",
        "xautoclaim",
        "xinfo",
        "xinfo|stream",
        "xinfo|groups",
        "xinfo|consumers",
        "xinfo|help",
    ];
    // A container's subcommands come in Redis's hash order, which varies: sorted.
    fn sorted_subcommands(r: Reply) -> Reply {
        match r {
            Reply::Array(mut v) if v.len() == 10 => {
                v[9] = v[9].sorted();
                Reply::Array(v)
            }
            Reply::Array(v) => Reply::Array(v.into_iter().map(sorted_subcommands).collect()),
            Reply::Map(pairs) => Reply::Map(
                pairs
                    .into_iter()
                    .map(|(k, v)| {
                        let v = if k.as_str().as_deref() == Some("subcommands") {
                            match v {
                                Reply::Map(mut m) => {
                                    m.sort_by_key(|(k, _)| k.str_val());
                                    Reply::Map(m)
                                }
                                Reply::Array(a) => {
                                    let mut pairs: Vec<(Reply, Reply)> =
                                        a.chunks(2).map(|p| (p[0].clone(), p[1].clone())).collect();
                                    pairs.sort_by_key(|(k, _)| k.str_val());
                                    Reply::Array(
                                        pairs.into_iter().flat_map(|(k, v)| [k, v]).collect(),
                                    )
                                }
                                other => other,
                            }
                        } else {
                            sorted_subcommands(v)
                        };
                        (k, v)
                    })
                    .collect(),
            ),
            other => other,
        }
    }
    let runs: RefCell<Vec<Vec<Reply>>> = RefCell::new(Vec::new());
    each_server(|s| {
        let mut c = s.connect();
        c.cmd(&["HELLO", "3"]);
        let mut seen = Vec::new();
        for name in names {
            seen.push(sorted_subcommands(c.cmd(&["COMMAND", "INFO", name])));
            seen.push(sorted_subcommands(c.cmd(&["COMMAND", "DOCS", name])));
        }
        seen.push(c.cmd(&[
            "COMMAND",
            "GETKEYS",
            "XREADGROUP",
            "GROUP",
            "g",
            "c",
            "COUNT",
            "1",
            "STREAMS",
            "a",
            "b",
            ">",
            ">",
        ]));
        seen.push(c.cmd(&[
            "COMMAND",
            "GETKEYS",
            "XREADGROUP",
            "GROUP",
            "streams",
            "c",
            "STREAMS",
            "streams",
            ">",
        ]));
        seen.push(c.cmd(&[
            "COMMAND",
            "GETKEYSANDFLAGS",
            "XREADGROUP",
            "GROUP",
            "g",
            "c",
            "STREAMS",
            "a",
            "b",
            ">",
            ">",
        ]));
        seen.push(c.cmd(&[
            "COMMAND",
            "GETKEYSANDFLAGS",
            "XCLAIM",
            "s",
            "g",
            "c",
            "0",
            "1-0",
        ]));
        seen.push(c.cmd(&[
            "COMMAND",
            "GETKEYS",
            "XREADGROUP",
            "GROUP",
            "g",
            "c",
            "STREAMS",
            "a",
            "b",
            ">",
        ]));
        seen.push(c.cmd(&["COMMAND", "GETKEYS", "XINFO", "STREAM", "s"]));
        seen.push(c.cmd(&["COMMAND", "GETKEYS", "XGROUP", "CREATE", "s", "g", "$"]));
        runs.borrow_mut().push(seen);
    });
    let runs = runs.into_inner();
    if let [a, b] = &runs[..] {
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            assert_eq!(x, y, "introspection reply {i} differs");
        }
    }
}

// ---------------------------------------------------------------------------
// Seeded random differential run
// ---------------------------------------------------------------------------

fn random_command(g: &mut Gen, next_id: &mut u64) -> String {
    let key = g.pick(&["s", "s", "s", "t"]);
    let group = g.pick(&["g1", "g2", "g3"]);
    let consumer = g.pick(&["c1", "c2", "c3", "c4"]);
    let id = |g: &mut Gen| -> String {
        match g.below(6) {
            0 => "0".into(),
            1 => "-".into(),
            2 => format!("({}", g.below(40)),
            _ => format!("{}-{}", g.below(40), g.below(2)),
        }
    };
    match g.below(30) {
        0..=5 => {
            *next_id += 1 + g.below(2);
            format!("XADD {key} {}-{} f {}", *next_id, g.below(2), g.below(100))
        }
        6 => format!(
            "XDEL {key} {}-0 {}-1",
            g.below(*next_id + 2),
            g.below(*next_id + 2)
        ),
        7 => format!("XTRIM {key} MAXLEN {}", 5 + g.below(20)),
        8 => format!(
            "XGROUP CREATE {key} {group} {} {}",
            g.pick(&["$", "0", "3-0", "10"]),
            g.pick(&["", "MKSTREAM", "ENTRIESREAD 2"])
        ),
        9 => format!(
            "XGROUP SETID {key} {group} {} {}",
            g.pick(&["$", "0", "5", "12-1"]),
            g.pick(&["", "ENTRIESREAD 3", "ENTRIESREAD -1"])
        ),
        10 if g.below(4) == 0 => format!("XGROUP DESTROY {key} {group}"),
        10 => format!("XGROUP CREATE {key} {group} 0"),
        11 => format!("XGROUP CREATECONSUMER {key} {group} {consumer}"),
        12 => format!("XGROUP DELCONSUMER {key} {group} {consumer}"),
        13..=16 => format!(
            "XREADGROUP GROUP {group} {consumer} {} {} STREAMS {key} {}",
            g.pick(&["", "COUNT 1", "COUNT 3"]),
            g.pick(&["", "", "", "NOACK"]),
            g.pick(&[">", ">", ">", "0", "5"])
        ),
        17 | 18 => format!(
            "XACK {key} {group} {}-{} {}-0 {}-1",
            g.below(*next_id + 2),
            g.below(2),
            g.below(*next_id + 2),
            g.below(*next_id + 2)
        ),
        19 => format!("XPENDING {key} {group}"),
        20 => format!(
            "XPENDING {key} {group} {} {} + {} {}",
            g.pick(&["", "IDLE 100000", "IDLE 0"]),
            id(g),
            g.below(6),
            g.pick(&["", consumer])
        ),
        21 | 22 => format!(
            "XCLAIM {key} {group} {consumer} {} {}-0 {}-{} {}",
            g.pick(&["0", "0", "100000"]),
            g.below(*next_id + 2),
            g.below(*next_id + 2),
            g.below(2),
            g.pick(&[
                "",
                "JUSTID",
                "IDLE 500000",
                "TIME 12345 RETRYCOUNT 4",
                "FORCE",
                "FORCE JUSTID RETRYCOUNT 2",
                "LASTID 30-0",
            ])
        ),
        23 => format!(
            "XAUTOCLAIM {key} {group} {consumer} {} {} {} {}",
            g.pick(&["0", "100000", "300000"]),
            id(g),
            g.pick(&["", "COUNT 1", "COUNT 2"]),
            g.pick(&["", "JUSTID"])
        ),
        24 => format!("XINFO GROUPS {key}"),
        25 => format!("XINFO CONSUMERS {key} {group}"),
        26 => format!("XINFO STREAM {key}"),
        27 => format!("XINFO STREAM {key} FULL COUNT {}", g.below(4)),
        28 => match g.below(6) {
            0 => "COPY s t REPLACE".into(),
            1 => "DEL t".into(),
            2 => format!(
                "XREADGROUP GROUP {group} {consumer} COUNT 2 STREAMS s t {} {}",
                g.pick(&[">", "0"]),
                g.pick(&[">", "0"])
            ),
            3 => format!(
                "XSETID {key} {}-0 ENTRIESADDED {} MAXDELETEDID {}-0",
                *next_id + g.below(3),
                *next_id + g.below(5),
                g.below(*next_id + 1)
            ),
            4 => format!("XREADGROUP GROUP {group} {consumer} STREAMS {key} {key} > >"),
            _ => format!("XLEN {key}"),
        },
        _ => format!("XRANGE {key} - +"),
    }
}

#[test]
fn random_group_operations_match_redis() {
    for (seed, resp3) in [
        (0x5EED_0F0A_1D15u64, false),
        (0xC0FFEE, false),
        (0xBADC0DE, true),
    ] {
        let mut g = Gen(seed);
        let mut next_id = 0;
        let script: Vec<String> = (0..2500)
            .map(|_| random_command(&mut g, &mut next_id))
            .collect();
        let script: Vec<&str> = script.iter().map(|s| s.as_str()).collect();
        same_replies(&["FLUSHALL"], &script, resp3);
    }
}

/// Counters pushed to the edge of their range wrap as in Redis instead of
/// stopping the server (debug builds check overflow).
#[test]
fn counters_at_the_edge_of_their_range() {
    each_server(|s| {
        let mut c = s.connect();
        c.cmd(&["XADD", "a", "1-1", "f", "v"]);
        c.ok(&["XSETID", "a", "1-1", "ENTRIESADDED", "9223372036854775807"]);
        c.ok(&["XGROUP", "CREATE", "a", "g", "0", "ENTRIESREAD", "5"]);
        c.cmd(&["XADD", "a", "2-1", "f", "v"]);
        let groups = c.cmd(&["XINFO", "GROUPS", "a"]);
        assert_eq!(
            groups.array_val()[0].get("lag"),
            Some(int(9223372036854775803))
        );
        c.cmd(&["XADD", "b", "1-1", "f", "v"]);
        c.ok(&[
            "XGROUP",
            "CREATE",
            "b",
            "g",
            "0",
            "ENTRIESREAD",
            "9223372036854775807",
        ]);
        c.cmd(&["XREADGROUP", "GROUP", "g", "c", "STREAMS", "b", ">"]);
        let groups = c.cmd(&["XINFO", "GROUPS", "b"]);
        let g = &groups.array_val()[0];
        assert_eq!(g.get("entries-read"), Some(int(i64::MIN)));
        assert_eq!(g.get("lag"), Some(int(-9223372036854775807)));
        // A block for as long as can be said: blocks, and CLIENT UNBLOCK ends it.
        let id = c.cmd(&["CLIENT", "ID"]).int_val().to_string();
        c.send(&[
            "XREADGROUP",
            "BLOCK",
            "9223372036854775807",
            "GROUP",
            "g",
            "c",
            "STREAMS",
            "b",
            ">",
        ]);
        let mut o = s.connect();
        assert!(poll_until(secs(5), || o.cmd(&["CLIENT", "UNBLOCK", &id]) == int(1)));
        assert_eq!(c.read_reply(), nil_arr());
    });
}
