//! What each write command leaves in the AOF: the deterministic form Redis 7.0
//! propagates (relative times made absolute, random and blocking pops made
//! explicit, no-ops left out, several ops of one unit wrapped in MULTI/EXEC).
//! Each scenario runs the commands, then reads the current incremental file and
//! compares it, command by command, with an explicit list. What legitimately
//! varies is normalized: absolute ms times become `<T+Ns>` (N = seconds from the
//! start of the scenario, so a wrong deadline still shows), stream ids generated
//! from the clock become `<T+0s>-seq`.

use crate::support::*;
use std::path::Path;
use std::time::Duration;

const AOF_ALWAYS: &[&str] = &["--appendonly", "yes", "--appendfsync", "always"];

/// The commands of the current incremental AOF file, as argument lists.
fn incr_commands(dir: &Path) -> Vec<Vec<Vec<u8>>> {
    let aof_dir = dir.join("appendonlydir");
    let manifest =
        std::fs::read_to_string(aof_dir.join("appendonly.aof.manifest")).expect("AOF manifest");
    let name = manifest
        .lines()
        .rfind(|l| l.ends_with("type i"))
        .and_then(|l| l.split(' ').nth(1))
        .expect("an incr file in the manifest")
        .to_string();
    let data = std::fs::read(aof_dir.join(name)).expect("incr file");
    parse_resp_commands(&data)
}

/// Parses a file of RESP multibulk commands (panics on anything else).
fn parse_resp_commands(data: &[u8]) -> Vec<Vec<Vec<u8>>> {
    let mut i = 0;
    let line = |i: &mut usize| -> String {
        let end = data[*i..]
            .windows(2)
            .position(|w| w == b"\r\n")
            .expect("CRLF")
            + *i;
        let s = String::from_utf8_lossy(&data[*i..end]).into_owned();
        *i = end + 2;
        s
    };
    let mut cmds = Vec::new();
    while i < data.len() {
        let head = line(&mut i);
        let n: usize = head.strip_prefix('*').expect("multibulk").parse().unwrap();
        let mut args = Vec::with_capacity(n);
        for _ in 0..n {
            let len: usize = line(&mut i).strip_prefix('$').unwrap().parse().unwrap();
            args.push(data[i..i + len].to_vec());
            i += len + 2;
        }
        cmds.push(args);
    }
    cmds
}

/// An absolute ms time near `t0` (within a day before, a year after) as `<T+Ns>`.
fn norm_time(v: &str, t0: i64) -> Option<String> {
    let ms: i64 = v.parse().ok()?;
    let d = ms - t0;
    (-86_400_000..31_536_000_000)
        .contains(&d)
        .then(|| format!("<T+{}s>", (d + 500).div_euclid(1000)))
}

/// The incr file as one line per command, times normalized against `t0`.
fn aof_lines(s: &Server, t0: i64) -> Vec<String> {
    incr_commands(s.dir())
        .iter()
        .map(|args| {
            args.iter()
                .map(|a| {
                    let a = String::from_utf8_lossy(a).into_owned();
                    if let Some(t) = norm_time(&a, t0) {
                        return t;
                    }
                    // A stream id generated from the clock.
                    if let Some((ms, seq)) = a.split_once('-') {
                        if seq.parse::<u64>().is_ok() {
                            if let Some(t) = norm_time(ms, t0) {
                                return format!("{t}-{seq}");
                            }
                        }
                    }
                    a
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[track_caller]
fn assert_aof(s: &Server, t0: i64, expected: &[&str]) {
    let got = aof_lines(s, t0);
    assert_eq!(
        got,
        expected.iter().map(|l| l.to_string()).collect::<Vec<_>>(),
        "[{}] AOF content",
        s.kind()
    );
}

/// Waits until the incr file holds `n` commands (writes that follow no reply).
fn wait_aof_len(s: &Server, n: usize) {
    wait_for(secs(5), || incr_commands(s.dir()).len() >= n);
}

fn now() -> i64 {
    unix_now_ms() as i64
}

/// Restarts the server and waits until it has loaded its data (Redis answers
/// -LOADING meanwhile, and DEBUG DIGEST would see part of the data).
fn restart_loaded(s: &mut Server) -> Conn {
    s.restart();
    let mut c = s.connect();
    wait_for(secs(10), || !c.cmd(&["ping"]).is_error());
    c
}

/// Replaying the AOF gives back the same dataset.
#[track_caller]
fn assert_reloads(c: &mut Conn) {
    let before = c.cmd(&["debug", "digest"]);
    c.ok(&["debug", "loadaof"]);
    c.expect(&["debug", "digest"], before);
}

#[test]
fn strings_are_propagated_in_their_deterministic_form() {
    each_server_with(AOF_ALWAYS, |s| {
        let mut c = s.connect();
        let t0 = now();
        c.ok(&["set", "a", "1", "ex", "100"]);
        c.expect(&["set", "a", "2", "px", "5000", "xx", "get"], bulk("1"));
        c.expect(
            &["set", "a", "3", "pxat", "99999999999999", "get"],
            bulk("2"),
        );
        c.expect(&["set", "a", "4", "get"], bulk("3"));
        c.expect(&["set", "a", "5", "keepttl", "get"], bulk("4"));
        c.expect(&["set", "a", "6", "GET", "KEEPTTL"], bulk("5"));
        c.ok(&["set", "a", "7", "keepttl"]);
        c.expect(&["set", "b", "1", "nx", "get"], nil());
        c.expect(&["set", "b", "2", "nx", "get"], bulk("1"));
        c.expect(&["set", "nokey", "1", "xx"], nil());
        c.expect(&["getset", "a", "8"], bulk("7"));
        c.ok(&["setex", "c", "100", "v"]);
        c.ok(&["psetex", "c", "100000", "w"]);
        c.expect(&["setnx", "c", "x"], int(0));
        c.expect(&["getex", "c", "ex", "200"], bulk("w"));
        c.expect(&["getex", "c"], bulk("w"));
        c.expect(&["getex", "c", "persist"], bulk("w"));
        c.expect(&["getex", "c", "persist"], bulk("w"));
        c.expect(&["getex", "c", "exat", "1"], bulk("w"));
        c.expect(&["getdel", "b"], bulk("1"));
        c.expect(&["getdel", "b"], nil());
        c.expect(&["incrbyfloat", "f", "1.5"], bulk("1.5"));
        c.expect(&["incrbyfloat", "f", "0.25"], bulk("1.75"));
        c.expect(&["append", "g", "xy"], int(2));
        c.expect(&["setrange", "nokey", "0", ""], int(0));
        c.expect(&["msetnx", "g", "1", "h", "2"], int(0));
        assert_aof(
            s,
            t0,
            &[
                "SELECT 0",
                "SET a 1 PXAT <T+100s>",
                "SET a 2 PXAT <T+5s>",
                "SET a 3 PXAT 99999999999999",
                "set a 4",
                "set a 5 keepttl",
                "set a 6 KEEPTTL",
                "set a 7 keepttl",
                "set b 1 nx",
                "SET a 8",
                "SET c v PXAT <T+100s>",
                "SET c w PXAT <T+100s>",
                "PEXPIREAT c <T+200s>",
                "PERSIST c",
                "DEL c",
                "DEL b",
                "SET f 1.5 KEEPTTL",
                "SET f 1.75 KEEPTTL",
                "append g xy",
            ],
        );
        assert_reloads(&mut c);
    });
}

#[test]
fn sets_pop_as_srem_or_del() {
    each_server_with(AOF_ALWAYS, |s| {
        let mut c = s.connect();
        c.expect(&["sadd", "s", "a", "b", "c", "d", "e"], int(5));
        let one = c.cmd(&["spop", "s"]).str_val();
        let two = c.cmd(&["spop", "s", "2"]).strings();
        assert_eq!(two.len(), 2);
        c.expect(&["spop", "s", "0"], Reply::Array(vec![]));
        c.expect(&["spop", "nokey"], nil());
        c.expect(&["spop", "nokey", "3"], Reply::Array(vec![]));
        let rest = c.cmd(&["spop", "s", "10"]).strings();
        assert_eq!(rest.len(), 2);
        c.expect(&["sadd", "s1", "x", "y"], int(2));
        c.expect(&["smove", "s1", "s1", "x"], int(1));
        c.expect(&["smove", "s1", "s2", "zz"], int(0));
        c.expect(&["smove", "s1", "s2", "x"], int(1));
        c.expect(&["srem", "s1", "nope"], int(0));
        let got = aof_lines(s, now());
        let mut expected = vec![
            "SELECT 0".to_string(),
            "sadd s a b c d e".into(),
            format!("SREM s {one}"),
            "MULTI".into(),
        ];
        expected.extend(two.iter().map(|m| format!("SREM s {m}")));
        expected.extend([
            "EXEC".into(),
            "DEL s".into(),
            "sadd s1 x y".into(),
            "smove s1 s2 x".into(),
        ]);
        assert_eq!(got, expected, "[{}]", s.kind());
        assert_reloads(&mut c);
    });
}

#[test]
fn spop_of_most_members_is_one_srem_per_member() {
    // The path where most of the set goes (the few that stay are drawn instead).
    each_server_with(AOF_ALWAYS, |s| {
        let mut c = s.connect();
        let members: Vec<String> = (0..20).map(|i| format!("m{i}")).collect();
        let mut sadd = vec!["sadd".to_string(), "s".into()];
        sadd.extend(members.iter().cloned());
        c.expect(&sadd, int(20));
        let mut popped = c.cmd(&["spop", "s", "18"]).strings();
        let got = aof_lines(s, now());
        assert_eq!(
            got[..3],
            ["SELECT 0", &sadd.join(" "), "MULTI"],
            "[{}]",
            s.kind()
        );
        assert_eq!(got.last().map(String::as_str), Some("EXEC"));
        let mut srems: Vec<String> = got[3..got.len() - 1].to_vec();
        srems.sort();
        popped.sort();
        let expected: Vec<String> = popped.iter().map(|m| format!("SREM s {m}")).collect();
        assert_eq!(srems, expected, "[{}]", s.kind());
        // A replay gives the same set.
        let digest = c.cmd(&["debug", "digest"]);
        c.ok(&["debug", "loadaof"]);
        c.expect(&["debug", "digest"], digest);
    });
}

#[test]
fn list_pops_are_explicit() {
    each_server_with(AOF_ALWAYS, |s| {
        let mut c = s.connect();
        c.expect(&["rpush", "l", "a", "b", "c", "d", "e", "f"], int(6));
        c.expect(&["blpop", "none", "l", "0"], bulks(&["l", "a"]));
        c.expect(&["brpop", "l", "0"], bulks(&["l", "f"]));
        c.expect(&["blmove", "l", "m", "left", "RIGHT", "0"], bulk("b"));
        c.expect(&["brpoplpush", "l", "m", "0"], bulk("e"));
        c.expect(
            &["blmpop", "0", "2", "none", "l", "right", "count", "5"],
            arr(vec![bulk("l"), bulks(&["d", "c"])]),
        );
        c.expect(
            &["lmpop", "1", "m", "left"],
            arr(vec![bulk("m"), bulks(&["e"])]),
        );
        c.expect(&["lmpop", "1", "none", "left"], nil_arr());
        c.expect(&["lpushx", "none", "x"], int(0));
        c.expect(&["lpop", "none"], nil());
        c.expect(&["rpoplpush", "none", "m"], nil());
        c.expect(&["lpop", "m", "1"], bulks(&["b"]));
        assert_aof(
            s,
            now(),
            &[
                "SELECT 0",
                "rpush l a b c d e f",
                "LPOP l",
                "RPOP l",
                "LMOVE l m left RIGHT",
                "RPOPLPUSH l m",
                "RPOP l 2",
                "LPOP m 1",
                "lpop m 1",
            ],
        );
        assert_reloads(&mut c);
    });
}

#[test]
fn sorted_set_pops_are_explicit() {
    each_server_with(AOF_ALWAYS, |s| {
        let mut c = s.connect();
        c.expect(
            &[
                "zadd", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e",
            ],
            int(5),
        );
        c.expect(&["bzpopmin", "none", "z", "0"], bulks(&["z", "a", "1"]));
        c.expect(&["bzpopmax", "z", "0"], bulks(&["z", "e", "5"]));
        c.expect(
            &["bzmpop", "0", "1", "z", "min", "count", "1"],
            arr(vec![bulk("z"), arr(vec![bulks(&["b", "2"])])]),
        );
        c.expect(
            &["zmpop", "2", "none", "z", "max", "count", "10"],
            arr(vec![
                bulk("z"),
                arr(vec![bulks(&["d", "4"]), bulks(&["c", "3"])]),
            ]),
        );
        c.expect(&["zmpop", "1", "z", "max"], nil_arr());
        c.expect(&["zadd", "y", "1", "a", "2", "b"], int(2));
        c.expect(&["zpopmin", "y", "5"], bulks(&["a", "1", "b", "2"]));
        c.expect(&["zpopmin", "y"], Reply::Array(vec![]));
        assert_aof(
            s,
            now(),
            &[
                "SELECT 0",
                "zadd z 1 a 2 b 3 c 4 d 5 e",
                "ZPOPMIN z",
                "ZPOPMAX z",
                "ZPOPMIN z 1",
                "ZPOPMAX z 2",
                "zadd y 1 a 2 b",
                "zpopmin y 5",
            ],
        );
        assert_reloads(&mut c);
    });
}

/// Waits until `n` clients are blocked.
fn wait_blocked(c: &mut Conn, n: i64) {
    wait_for(secs(5), || {
        let info = c.cmd(&["info", "clients"]).str_val();
        info_field(&info, "blocked_clients").and_then(|v| v.parse().ok()) == Some(n)
    });
}

#[test]
fn woken_clients_propagate_their_pop_after_the_push() {
    each_server_with(AOF_ALWAYS, |s| {
        let mut c = s.connect();
        let mut b1 = s.connect();
        let mut b2 = s.connect();
        let mut b3 = s.connect();
        let mut b4 = s.connect();
        b1.send(&["blpop", "l", "0"]);
        b2.send(&["blmove", "l2", "dst", "right", "left", "0"]);
        b3.send(&["bzpopmax", "z", "0"]);
        b4.send(&["blmpop", "0", "1", "l3", "right", "count", "5"]);
        wait_blocked(&mut c, 4);
        c.expect(&["rpush", "l", "a", "b"], int(2));
        assert_eq!(b1.read_reply(), bulks(&["l", "a"]));
        c.expect(&["lpush", "l2", "x"], int(1));
        assert_eq!(b2.read_reply(), bulk("x"));
        c.expect(&["zadd", "z", "1", "m", "2", "n"], int(2));
        assert_eq!(b3.read_reply(), bulks(&["z", "n", "2"]));
        // Pushes in a transaction: the pop follows the whole EXEC, unwrapped.
        c.ok(&["multi"]);
        c.cmd(&["rpush", "l3", "p"]);
        c.cmd(&["set", "k", "v"]);
        c.expect(&["exec"], arr(vec![int(1), ok()]));
        assert_eq!(b4.read_reply(), arr(vec![bulk("l3"), bulks(&["p"])]));
        assert_aof(
            s,
            now(),
            &[
                "SELECT 0",
                "rpush l a b",
                "LPOP l",
                "lpush l2 x",
                "LMOVE l2 dst right left",
                "zadd z 1 m 2 n",
                "ZPOPMAX z",
                "MULTI",
                "rpush l3 p",
                "set k v",
                "EXEC",
                "RPOP l3 1",
            ],
        );
        assert_reloads(&mut c);
    });
}

#[test]
fn restore_ttl_becomes_absolute() {
    each_server_with(AOF_ALWAYS, |s| {
        let mut c = s.connect();
        c.ok(&["set", "src", "hello"]);
        let Reply::Bulk(payload) = c.cmd(&["dump", "src"]) else {
            panic!("DUMP reply");
        };
        let t0 = now();
        let p: &[u8] = &payload;
        c.ok(&[b"restore" as &[u8], b"r1", b"10000", p]);
        c.ok(&[b"restore" as &[u8], b"r2", b"0", p]);
        c.ok(&[b"RESTORE" as &[u8], b"r3", b"99999999999999", p, b"absttl"]);
        c.ok(&[b"restore" as &[u8], b"r4", b"20000", p, b"IDLETIME", b"50"]);
        c.ok(&[b"restore" as &[u8], b"r1", b"30000", p, b"replace"]);
        // Already expired: nothing, or the DEL of the key it replaced.
        c.ok(&[b"restore" as &[u8], b"r5", b"1", p, b"absttl"]);
        c.ok(&[b"restore" as &[u8], b"r2", b"1", p, b"replace", b"absttl"]);
        c.expect(&["exists", "r2", "r5"], int(0));
        let p = String::from_utf8_lossy(&payload);
        let expected = [
            "SELECT 0".to_string(),
            "set src hello".into(),
            format!("restore r1 <T+10s> {p} ABSTTL"),
            format!("restore r2 0 {p}"),
            format!("RESTORE r3 99999999999999 {p} absttl"),
            format!("restore r4 <T+20s> {p} IDLETIME 50 ABSTTL"),
            format!("restore r1 <T+30s> {p} replace ABSTTL"),
            "DEL r2".into(),
        ];
        assert_eq!(aof_lines(s, t0), expected, "[{}]", s.kind());
        assert_reloads(&mut c);
    });
}

#[test]
fn stream_groups_propagate_as_xclaim_and_setid() {
    each_server_with(AOF_ALWAYS, |s| {
        let mut c = s.connect();
        let t0 = now();
        for id in ["1-1", "2-1", "3-1"] {
            c.cmd(&["xadd", "s", id, "a", "1"]);
        }
        c.ok(&["xgroup", "create", "s", "g", "0"]);
        // Delivered entries: one XCLAIM each (wrapped).
        assert_eq!(
            c.cmd(&[
                "xreadgroup",
                "group",
                "g",
                "c1",
                "count",
                "2",
                "streams",
                "s",
                ">"
            ])
            .as_array()
            .map(Vec::len),
            Some(1)
        );
        // History reads are not propagated.
        c.cmd(&["xreadgroup", "group", "g", "c1", "streams", "s", "0"]);
        // NOACK with a new consumer: CREATECONSUMER + SETID; then with an old one.
        c.cmd(&[
            "xreadgroup",
            "group",
            "g",
            "c2",
            "noack",
            "streams",
            "s",
            ">",
        ]);
        c.cmd(&["xadd", "s", "4-1", "a", "4"]);
        c.cmd(&[
            "xreadgroup",
            "group",
            "g",
            "c2",
            "noack",
            "streams",
            "s",
            ">",
        ]);
        // A history read: nothing, but a consumer it created with NOACK.
        c.cmd(&["xreadgroup", "group", "g", "h1", "streams", "s", "0"]);
        c.cmd(&[
            "xreadgroup",
            "group",
            "g",
            "h2",
            "noack",
            "streams",
            "s",
            "0",
        ]);
        // Nothing to serve: nothing (and no consumer).
        c.expect(
            &["xreadgroup", "group", "g", "c3", "streams", "s", ">"],
            nil_arr(),
        );
        c.cmd(&["xclaim", "s", "g", "c4", "0", "1-1", "2-1"]);
        c.cmd(&["xclaim", "s", "g", "c4", "0", "1-1", "justid"]);
        c.cmd(&["xautoclaim", "s", "g", "c5", "0", "0", "count", "1"]);
        c.cmd(&["xautoclaim", "s", "g", "c5", "0", "0", "justid"]);
        c.expect(&["xack", "s", "g", "9-9"], int(0));
        c.expect(&["xack", "s", "g", "1-1", "9-9"], int(1));
        c.expect(&["xgroup", "createconsumer", "s", "g", "c6"], int(1));
        c.expect(&["xgroup", "createconsumer", "s", "g", "c6"], int(0));
        c.expect(&["xgroup", "delconsumer", "s", "g", "c6"], int(0));
        c.expect(&["xgroup", "delconsumer", "s", "g", "nobody"], int(0));
        c.ok(&["xgroup", "setid", "s", "g", "0"]);
        c.ok(&["xgroup", "setid", "s", "g", "$", "entriesread", "3"]);
        c.expect(&["xdel", "s", "9-9"], int(0));
        c.expect(&["xdel", "s", "2-1"], int(1));
        // A deleted entry still pending: claiming it drops it (recorded as XCLAIM).
        c.expect(
            &["xclaim", "s", "g", "c4", "0", "2-1"],
            Reply::Array(vec![]),
        );
        c.ok(&["xsetid", "s", "4-1"]);
        // LASTID moving the group with nothing claimed: SETID.
        c.expect(
            &["xclaim", "s", "g", "c4", "0", "99-1", "lastid", "9-1"],
            Reply::Array(vec![]),
        );
        c.expect(
            &["xclaim", "s", "g", "c4", "0", "99-1", "lastid", "3-1"],
            Reply::Array(vec![]),
        );
        c.expect(
            &[
                "xclaim", "s", "g", "c4", "0", "3-1", "lastid", "12-1", "force", "justid",
            ],
            bulks(&["3-1"]),
        );
        c.expect(&["xgroup", "destroy", "s", "nog"], int(0));
        c.expect(&["xgroup", "destroy", "s", "g"], int(1));
        c.cmd(&["xadd", "s", "*", "a", "5"]);
        assert_aof(
            s,
            t0,
            &[
                "SELECT 0",
                "xadd s 1-1 a 1",
                "xadd s 2-1 a 1",
                "xadd s 3-1 a 1",
                "xgroup create s g 0",
                "MULTI",
                "XCLAIM s g c1 0 1-1 TIME <T+0s> RETRYCOUNT 1 FORCE JUSTID LASTID 1-1",
                "XCLAIM s g c1 0 2-1 TIME <T+0s> RETRYCOUNT 1 FORCE JUSTID LASTID 2-1",
                "EXEC",
                "MULTI",
                "XGROUP CREATECONSUMER s g c2",
                "XGROUP SETID s g 3-1 ENTRIESREAD 3",
                "EXEC",
                "xadd s 4-1 a 4",
                "XGROUP SETID s g 4-1 ENTRIESREAD 4",
                "XGROUP CREATECONSUMER s g h2",
                "MULTI",
                "XCLAIM s g c4 0 1-1 TIME <T+0s> RETRYCOUNT 3 FORCE JUSTID LASTID 4-1",
                "XCLAIM s g c4 0 2-1 TIME <T+0s> RETRYCOUNT 3 FORCE JUSTID LASTID 4-1",
                "EXEC",
                "XCLAIM s g c4 0 1-1 TIME <T+0s> RETRYCOUNT 3 FORCE JUSTID LASTID 4-1",
                "XCLAIM s g c5 0 1-1 TIME <T+0s> RETRYCOUNT 4 FORCE JUSTID LASTID 4-1",
                "MULTI",
                "XCLAIM s g c5 0 1-1 TIME <T+0s> RETRYCOUNT 4 FORCE JUSTID LASTID 4-1",
                "XCLAIM s g c5 0 2-1 TIME <T+0s> RETRYCOUNT 3 FORCE JUSTID LASTID 4-1",
                "EXEC",
                "xack s g 1-1 9-9",
                "xgroup createconsumer s g c6",
                "xgroup delconsumer s g c6",
                "xgroup setid s g 0",
                "xgroup setid s g $ entriesread 3",
                "xdel s 2-1",
                "XCLAIM s g c5 0 2-1 TIME <T+0s> RETRYCOUNT 3 FORCE JUSTID LASTID 4-1",
                "xsetid s 4-1",
                "XGROUP SETID s g 9-1 ENTRIESREAD 3",
                "XCLAIM s g c4 0 3-1 TIME <T+0s> RETRYCOUNT 1 FORCE JUSTID LASTID 12-1",
                "xgroup destroy s g",
                "xadd s <T+0s>-0 a 5",
            ],
        );
        assert_reloads(&mut c);
    });
}

#[test]
fn woken_xreadgroup_propagates_its_delivery() {
    each_server_with(AOF_ALWAYS, |s| {
        let mut c = s.connect();
        let mut b1 = s.connect();
        let mut b2 = s.connect();
        let t0 = now();
        c.ok(&["xgroup", "create", "s", "g", "$", "mkstream"]);
        b1.send(&[
            "xreadgroup",
            "group",
            "g",
            "c1",
            "block",
            "0",
            "streams",
            "s",
            ">",
        ]);
        wait_blocked(&mut c, 1);
        c.cmd(&["xadd", "s", "1-1", "a", "1"]);
        b1.read_reply();
        b2.send(&[
            "xreadgroup",
            "group",
            "g",
            "c2",
            "noack",
            "block",
            "0",
            "streams",
            "s",
            ">",
        ]);
        wait_blocked(&mut c, 1);
        c.cmd(&["xadd", "s", "2-1", "a", "2"]);
        b2.read_reply();
        assert_aof(
            s,
            t0,
            &[
                "SELECT 0",
                "xgroup create s g $ mkstream",
                "xadd s 1-1 a 1",
                "XCLAIM s g c1 0 1-1 TIME <T+0s> RETRYCOUNT 1 FORCE JUSTID LASTID 1-1",
                "xadd s 2-1 a 2",
                "MULTI",
                "XGROUP CREATECONSUMER s g c2",
                "XGROUP SETID s g 2-1 ENTRIESREAD 2",
                "EXEC",
            ],
        );
    });
}

#[test]
fn approximate_trims_are_recorded_exact_and_replay() {
    each_server_with(AOF_ALWAYS, |s| {
        let mut c = s.connect();
        c.ok(&["config", "set", "stream-node-max-entries", "2"]);
        for i in 1..=10 {
            c.cmd(&["xadd", "s", &format!("{i}-1"), "f", "v"]);
        }
        c.expect(&["xtrim", "s", "maxlen", "~", "5", "limit", "2"], int(2));
        c.expect(&["xtrim", "s", "minid", "~", "6-1"], int(2));
        c.expect(&["xtrim", "s", "maxlen", "=", "20"], int(0));
        c.expect(&["xtrim", "s", "maxlen", "3"], int(3));
        c.expect(
            &["xadd", "s", "maxlen", "~", "1", "11-1", "f", "v"],
            bulk("11-1"),
        );
        // Users may not combine an exact trim with LIMIT; the AOF loader does.
        c.expect_err(
            &["xtrim", "s", "maxlen", "=", "6", "limit", "2"],
            "ERR syntax error, LIMIT cannot be used without the special ~ option",
        );
        let lines = aof_lines(s, now());
        assert_eq!(
            lines[11..],
            [
                "xtrim s maxlen = 8 limit 2",
                "xtrim s minid = 5-1",
                "xtrim s maxlen 3",
                "xadd s maxlen = 1 11-1 f v",
            ],
            "[{}]",
            s.kind()
        );
        c.expect(&["xlen", "s"], int(1));
        let digest = c.cmd(&["debug", "digest"]);
        let mut c = restart_loaded(s);
        c.expect(&["xlen", "s"], int(1));
        c.expect(&["debug", "digest"], digest);
    });
}

#[test]
fn pfcount_propagates_only_a_refreshed_cache() {
    each_server_with(AOF_ALWAYS, |s| {
        let mut c = s.connect();
        c.expect(&["pfadd", "h", "a", "b"], int(1));
        c.expect(&["pfadd", "h", "a"], int(0));
        c.expect(&["pfcount", "h"], int(2));
        c.expect(&["pfcount", "h"], int(2));
        c.expect(&["pfadd", "h2", "c"], int(1));
        c.expect(&["PFCOUNT", "h", "h2"], int(3));
        c.expect(&["pfcount", "nokey"], int(0));
        c.ok(&["pfmerge", "h3", "h", "h2"]);
        assert_aof(
            s,
            now(),
            &[
                "SELECT 0",
                "pfadd h a b",
                "pfcount h",
                "pfadd h2 c",
                "pfmerge h3 h h2",
            ],
        );
    });
}

#[test]
fn key_commands_propagate_only_changes() {
    each_server_with(AOF_ALWAYS, |s| {
        let mut c = s.connect();
        let t0 = now();
        c.ok(&["swapdb", "0", "0"]);
        // PUBLISH goes to replicas only, not to the AOF.
        c.expect(&["publish", "ch", "m"], int(0));
        c.expect(&["del", "nokey"], int(0));
        c.expect(&["unlink", "nokey"], int(0));
        c.expect(&["expire", "nokey", "10"], int(0));
        c.expect(&["persist", "nokey"], int(0));
        c.expect(&["copy", "nokey", "x"], int(0));
        c.expect(&["move", "nokey", "1"], int(0));
        c.expect(&["rename", "nokey", "x"], err("ERR no such key"));
        c.ok(&["flushdb"]);
        c.ok(&["mset", "a", "1", "b", "2", "c", "3"]);
        c.expect(&["del", "a", "nokey"], int(1));
        c.expect(&["unlink", "b", "nokey"], int(1));
        c.expect(&["copy", "c", "d"], int(1));
        c.expect(&["copy", "c", "d"], int(0));
        c.expect(&["copy", "c", "d", "db", "2", "replace"], int(1));
        c.expect(&["move", "d", "1"], int(1));
        c.expect(&["expire", "c", "100"], int(1));
        c.expect(&["pexpire", "c", "200000", "lt"], int(0));
        c.expect(&["expireat", "c", "99999999999", "nx"], int(0));
        c.expect(&["expireat", "c", "99999999999", "xx"], int(1));
        c.expect(&["pexpireat", "c", "99999999999000"], int(1));
        c.expect(&["persist", "c"], int(1));
        c.expect(&["persist", "c"], int(0));
        c.expect(&["renamenx", "c", "e"], int(1));
        c.expect(&["expire", "e", "0"], int(1));
        c.ok(&["swapdb", "0", "1"]);
        c.ok(&["select", "1"]);
        c.ok(&["flushall"]);
        assert_aof(
            s,
            t0,
            &[
                "SELECT 0",
                "swapdb 0 0",
                "flushdb",
                "mset a 1 b 2 c 3",
                "del a nokey",
                "unlink b nokey",
                "copy c d",
                "copy c d db 2 replace",
                "move d 1",
                "PEXPIREAT c <T+100s>",
                "PEXPIREAT c 99999999999000 xx",
                "pexpireat c 99999999999000",
                "persist c",
                "renamenx c e",
                "DEL e",
                "swapdb 0 1",
                "SELECT 1",
                "flushall",
            ],
        );
        assert_reloads(&mut c);
    });
}

#[test]
fn lazyfree_options_turn_deletions_into_unlink() {
    each_server_with(
        &[
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--lazyfree-lazy-expire",
            "yes",
            "--lazyfree-lazy-user-del",
            "yes",
            "--lazyfree-lazy-server-del",
            "yes",
        ],
        |s| {
            let mut c = s.connect();
            c.ok(&["mset", "a", "1", "b", "2", "c", "3"]);
            c.expect(&["getdel", "a"], bulk("1"));
            c.expect(&["expire", "b", "-1"], int(1));
            c.expect(
                &["getex", "c", "px", "-5"],
                err("ERR invalid expire time in 'getex' command"),
            );
            c.expect(&["getex", "c", "pxat", "1"], bulk("3"));
            c.ok(&["set", "d", "v", "px", "1"]);
            std::thread::sleep(Duration::from_millis(5));
            c.expect(&["get", "d"], nil());
            c.expect(&["del", "nokey"], int(0));
            c.ok(&["set", "e", "v"]);
            c.expect(&["del", "e"], int(1));
            // Server-side deletions stay DEL.
            c.expect(&["sadd", "S", "a", "b"], int(2));
            assert_eq!(c.cmd(&["spop", "S", "5"]).strings().len(), 2);
            c.ok(&["set", "r", "v"]);
            let Reply::Bulk(payload) = c.cmd(&["dump", "r"]) else {
                panic!("DUMP reply");
            };
            c.ok(&[
                b"restore" as &[u8],
                b"r",
                b"1",
                &payload,
                b"replace",
                b"absttl",
            ]);
            let t = now();
            let lines = aof_lines(s, t);
            assert_eq!(
                lines,
                [
                    "SELECT 0",
                    "mset a 1 b 2 c 3",
                    "UNLINK a",
                    "UNLINK b",
                    "UNLINK c",
                    "SET d v PXAT <T+0s>",
                    "UNLINK d",
                    "set e v",
                    "del e",
                    "sadd S a b",
                    "DEL S",
                    "set r v",
                    "DEL r",
                ],
                "[{}]",
                s.kind()
            );
        },
    );
}

#[test]
fn transactions_and_expiry_wrap_as_redis_does() {
    each_server_with(AOF_ALWAYS, |s| {
        let mut c = s.connect();
        let t0 = now();
        // One write: not wrapped; failed and read-only commands are left out.
        c.ok(&["multi"]);
        c.cmd(&["set", "m", "1"]);
        c.cmd(&["get", "m"]);
        c.cmd(&["lpush", "m", "x"]);
        c.expect(
            &["exec"],
            arr(vec![
                ok(),
                bulk("1"),
                err("WRONGTYPE Operation against a key holding the wrong kind of value"),
            ]),
        );
        // Read-only: nothing.
        c.ok(&["multi"]);
        c.cmd(&["get", "m"]);
        c.cmd(&["del", "nokey"]);
        c.expect(&["exec"], arr(vec![bulk("1"), int(0)]));
        // Two writes with a SELECT between them.
        c.ok(&["multi"]);
        c.cmd(&["set", "m1", "a"]);
        c.cmd(&["select", "2"]);
        c.cmd(&["set", "m3", "b"]);
        c.expect(&["exec"], arr(vec![ok(), ok(), ok()]));
        c.ok(&["set", "after", "1"]);
        c.ok(&["select", "0"]);
        c.ok(&["set", "back", "1"]);
        // Lazy expiry: with the write that found it, wrapped; from a read, alone.
        // (Active expiry is off: oxidis's expires keys close to their deadline.)
        c.ok(&["debug", "set-active-expire", "0"]);
        c.ok(&["set", "x1", "v", "px", "1"]);
        c.ok(&["set", "x2", "v", "px", "1"]);
        std::thread::sleep(Duration::from_millis(5));
        c.expect(&["get", "x1"], nil());
        c.ok(&["set", "x2", "new"]);
        c.expect(&["lpushx", "x3", "v"], int(0));
        assert_aof(
            s,
            t0,
            &[
                "SELECT 0",
                "set m 1",
                "MULTI",
                "set m1 a",
                "SELECT 2",
                "set m3 b",
                "EXEC",
                "set after 1",
                "SELECT 0",
                "set back 1",
                "SET x1 v PXAT <T+0s>",
                "SET x2 v PXAT <T+0s>",
                "DEL x1",
                "MULTI",
                "DEL x2",
                "set x2 new",
                "EXEC",
            ],
        );
    });
}

#[test]
fn active_expiry_deletes_stand_alone() {
    each_server_with(AOF_ALWAYS, |s| {
        let mut c = s.connect();
        let t0 = now();
        c.ok(&["select", "3"]);
        c.ok(&["set", "y", "v", "px", "30"]);
        c.ok(&["select", "0"]);
        c.ok(&["set", "z", "v"]);
        wait_aof_len(s, 6);
        // Nothing touched y: the expiry cycle removed it.
        assert_aof(
            s,
            t0,
            &[
                "SELECT 3",
                "SET y v PXAT <T+0s>",
                "SELECT 0",
                "set z v",
                "SELECT 3",
                "DEL y",
            ],
        );
    });
}

// ---------------------------------------------------------------------------
// Round trip: a seeded random mix of write commands, then the AOF reloaded.
// ---------------------------------------------------------------------------

/// A random write (or read) command; `timed` adds those whose effect depends on
/// the clock or on chance (TTLs, SPOP, generated stream ids, group deliveries).
fn random_command(g: &mut Gen, seq: &mut u64, timed: bool) -> Vec<String> {
    let k = |g: &mut Gen, p: &str| format!("{p}{}", g.below(4));
    let v = |g: &mut Gen| match g.below(4) {
        0 => g.below(100).to_string(),
        1 => format!("{}.5", g.below(10)),
        2 => "x".repeat(g.below(5) as usize),
        _ => format!("v{}", g.below(20)),
    };
    let n = |g: &mut Gen, m: u64| g.below(m).to_string();
    let w = |words: &[&str]| words.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    *seq += 1;
    let id = format!("{seq}-1");
    let pick = g.below(if timed { 80 } else { 60 });
    let (s, l, h, st, z, x, p) = (
        k(g, "s"),
        k(g, "l"),
        k(g, "h"),
        k(g, "S"),
        k(g, "z"),
        k(g, "x"),
        k(g, "p"),
    );
    let (va, vb) = (v(g), v(g));
    // Blocking commands on an empty key wait for their timeout: few of them.
    let pick = if matches!(pick, 23 | 24 | 26 | 27 | 43 | 45) && g.below(4) != 0 {
        pick + 1
    } else {
        pick
    };
    match pick {
        0 => w(&["SET", &s, &va]),
        1 => w(&["SET", &s, &va, g.pick(&["NX", "XX", "GET", "KEEPTTL"])]),
        2 => w(&["GETSET", &s, &va]),
        3 => w(&["APPEND", &s, &va]),
        4 => w(&["INCRBY", &s, &n(g, 20)]),
        5 => w(&["INCRBYFLOAT", &s, &va]),
        6 => w(&["SETRANGE", &s, &n(g, 8), &va]),
        7 => w(&["SETBIT", &s, &n(g, 40), &n(g, 2)]),
        8 => w(&["MSETNX", &s, &va, &k(g, "s"), &vb]),
        9 => w(&["GETDEL", &s]),
        10 => w(&[g.pick(&["DEL", "UNLINK"]), &s, &l, &k(g, "s")]),
        11 => {
            let (a, b) = (k(g, "s"), k(g, "l"));
            w(&[g.pick(&["RENAME", "RENAMENX"]), &a, &b])
        }
        12 => w(&["COPY", &h, &k(g, "h"), "REPLACE"]),
        13 => w(&["MOVE", &z, "1"]),
        14 => w(&["SWAPDB", "0", "1"]),
        15 => w(&[g.pick(&["LPUSH", "RPUSH", "LPUSHX"]), &l, &va, &vb]),
        16 => w(&[g.pick(&["LPOP", "RPOP"]), &l, &n(g, 3)]),
        17 => w(&["LMOVE", &l, &k(g, "l"), g.pick(&["LEFT", "RIGHT"]), "RIGHT"]),
        18 => w(&["RPOPLPUSH", &l, &k(g, "l")]),
        19 => w(&["LSET", &l, "0", &va]),
        20 => w(&["LINSERT", &l, "BEFORE", &va, &vb]),
        21 => w(&["LREM", &l, "0", &va]),
        22 => w(&["LTRIM", &l, "0", &n(g, 6)]),
        23 => w(&[g.pick(&["BLPOP", "BRPOP"]), &l, &k(g, "l"), "0.01"]),
        24 => w(&["BLMOVE", &l, &k(g, "l"), "LEFT", "LEFT", "0.01"]),
        25 => w(&["LMPOP", "2", &l, &k(g, "l"), "RIGHT", "COUNT", "2"]),
        26 => w(&["BLMPOP", "0.01", "1", &l, "LEFT"]),
        27 => w(&["BRPOPLPUSH", &l, &k(g, "l"), "0.01"]),
        28 => w(&["HSET", &h, &va, &vb]),
        29 => w(&["HSETNX", &h, &va, &vb]),
        30 => w(&["HDEL", &h, &va]),
        31 => w(&["HINCRBYFLOAT", &h, "f", "1.25"]),
        32 => w(&["HINCRBY", &h, "i", &n(g, 9)]),
        33 => w(&["SADD", &st, &va, &vb]),
        34 => w(&["SREM", &st, &va]),
        35 => w(&["SMOVE", &st, &k(g, "S"), &va]),
        36 => w(&[
            g.pick(&["SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"]),
            &st,
            &k(g, "S"),
            &k(g, "S"),
        ]),
        37 => w(&["ZADD", &z, &n(g, 10), &va, &n(g, 10), &vb]),
        38 => w(&[
            "ZADD",
            &z,
            g.pick(&["NX", "XX", "GT", "LT"]),
            "INCR",
            &n(g, 5),
            &va,
        ]),
        39 => w(&["ZINCRBY", &z, "1.5", &va]),
        40 => w(&["ZREM", &z, &va]),
        41 => w(&["ZREMRANGEBYSCORE", &z, "0", &n(g, 5)]),
        42 => w(&[g.pick(&["ZPOPMIN", "ZPOPMAX"]), &z, &n(g, 3)]),
        43 => w(&[g.pick(&["BZPOPMIN", "BZPOPMAX"]), &z, "0.01"]),
        44 => w(&["ZMPOP", "2", &z, &k(g, "z"), "MIN", "COUNT", "2"]),
        45 => w(&["BZMPOP", "0.01", "1", &z, "MAX"]),
        46 => w(&[
            g.pick(&["ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE"]),
            &z,
            "2",
            &k(g, "z"),
            &k(g, "z"),
        ]),
        47 => w(&["ZRANGESTORE", &z, &k(g, "z"), "0", "2"]),
        48 => w(&["XADD", &x, &id, "f", &va]),
        49 => w(&["XADD", &x, "MAXLEN", "~", "3", &id, "f", &va]),
        50 => w(&[
            "XTRIM",
            &x,
            g.pick(&["MAXLEN", "MINID"]),
            g.pick(&["~", "="]),
            &n(g, 4),
        ]),
        51 => w(&["XDEL", &x, &format!("{}-1", g.below(*seq + 1))]),
        52 => w(&["XGROUP", "CREATE", &x, "g", "0", "MKSTREAM"]),
        53 => w(&[
            "XGROUP",
            "CREATECONSUMER",
            &x,
            "g",
            &format!("c{}", g.below(3)),
        ]),
        54 => w(&[
            "XGROUP",
            "DELCONSUMER",
            &x,
            "g",
            &format!("c{}", g.below(3)),
        ]),
        55 => w(&["XGROUP", "SETID", &x, "g", "0"]),
        56 => w(&["PFADD", &p, &va, &vb]),
        57 => w(&["PFMERGE", &p, &k(g, "p")]),
        58 => w(&["PFCOUNT", &p]),
        59 => w(&["SORT", &l, "ALPHA", "STORE", &k(g, "l")]),
        // Timed: the clock or chance decides the effect.
        60 => w(&["SPOP", &st]),
        61 => w(&["SPOP", &st, &n(g, 4)]),
        62 => w(&["SET", &s, &va, "EX", "1000"]),
        63 => w(&["SETEX", &s, "1000", &va]),
        64 => w(&["PSETEX", &s, "1000000", &va]),
        65 => w(&["GETEX", &s, g.pick(&["EX", "PX"]), "2000000"]),
        66 => w(&["GETEX", &s, "PERSIST"]),
        67 => w(&[
            g.pick(&["EXPIRE", "PEXPIRE"]),
            &h,
            "3000000",
            g.pick(&["NX", "XX", "GT", "LT"]),
        ]),
        68 => w(&["EXPIRE", &l, "5000"]),
        69 => w(&["PERSIST", &l]),
        70 => w(&["XADD", &x, "*", "f", &va]),
        71 => w(&[
            "XREADGROUP",
            "GROUP",
            "g",
            &format!("c{}", g.below(3)),
            "COUNT",
            "2",
            "STREAMS",
            &x,
            ">",
        ]),
        72 => w(&[
            "XREADGROUP",
            "GROUP",
            "g",
            "c9",
            "NOACK",
            "STREAMS",
            &x,
            ">",
        ]),
        73 => w(&[
            "XCLAIM",
            &x,
            "g",
            &format!("c{}", g.below(3)),
            "0",
            "1-1",
            "2-1",
            &format!("{}-1", g.below(*seq + 1)),
        ]),
        74 => w(&["XAUTOCLAIM", &x, "g", "c1", "0", "0", "COUNT", "3"]),
        75 => w(&["XACK", &x, "g", &format!("{}-1", g.below(*seq + 1))]),
        76 => w(&["EXPIRE", &st, "0"]),
        77 => w(&["SET", &s, &va, "EXAT", "99999999999", "GET"]),
        78 => w(&["SPOP", &st, "100"]),
        _ => w(&["GETEX", &s, "PXAT", "1"]),
    }
}

/// Runs `script` on the server, some of it inside MULTI/EXEC.
fn run_random(c: &mut Conn, g: &mut Gen, script: &[Vec<String>]) {
    for chunk in script.chunks(20) {
        let mut cmds: Vec<Vec<String>> = Vec::new();
        let tx = g.below(4) == 0;
        if tx {
            cmds.push(vec!["MULTI".into()]);
        }
        cmds.extend(chunk.iter().cloned());
        if tx {
            cmds.push(vec!["EXEC".into()]);
        }
        c.pipeline(&cmds);
    }
}

fn digest(c: &mut Conn) -> String {
    c.cmd(&["debug", "digest"]).str_val()
}

#[test]
fn random_writes_reload_to_the_same_dataset() {
    let digests: std::cell::RefCell<Vec<String>> = Default::default();
    each_server_with(AOF_ALWAYS, |s| {
        let mut c = s.connect();
        let mut g = Gen(0xA0F_5EED);
        let mut seq = 0;
        // Deterministic commands only: both servers must end with the same data.
        let script: Vec<Vec<String>> = (0..3000)
            .map(|_| random_command(&mut g, &mut seq, false))
            .collect();
        run_random(&mut c, &mut g, &script);
        let before = digest(&mut c);
        assert_ne!(before, "0".repeat(40));
        c.ok(&["debug", "loadaof"]);
        assert_eq!(digest(&mut c), before, "[{}] after DEBUG LOADAOF", s.kind());
        digests.borrow_mut().push(before);
        // Then everything, clock and chance included: each reloads to itself.
        let script: Vec<Vec<String>> = (0..3000)
            .map(|_| random_command(&mut g, &mut seq, true))
            .collect();
        run_random(&mut c, &mut g, &script);
        let before = digest(&mut c);
        c.ok(&["debug", "loadaof"]);
        assert_eq!(digest(&mut c), before, "[{}] after DEBUG LOADAOF", s.kind());
        let mut c = restart_loaded(s);
        assert_eq!(digest(&mut c), before, "[{}] after a restart", s.kind());
    });
    let digests = digests.into_inner();
    if digests.len() == 2 {
        assert_eq!(digests[0], digests[1], "oxidis and Redis datasets differ");
    }
}
