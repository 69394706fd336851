//! RDB persistence: SAVE, BGSAVE, loading at startup, DEBUG RELOAD, DEBUG DIGEST,
//! DUMP/RESTORE, and files moving between oxidis and redis-server both ways.

use crate::support::*;
use std::fs;
use std::path::Path;
use std::time::Duration;

/// Fills databases 0, 1 and 9 with every type in each of its encodings, with and
/// without TTLs.
pub fn fill(c: &mut Conn) {
    let mut cmds: Vec<Vec<String>> = Vec::new();
    let mut add = |args: Vec<String>| cmds.push(args);
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    add(s(&["SELECT", "0"]));
    add(s(&["SET", "int", "12345"]));
    add(s(&["SET", "neg", "-9000000000"]));
    add(s(&["SET", "small", "hello"]));
    add(s(&["SET", "long", &"abcdefgh".repeat(40)]));
    add(s(&["SET", "noise", "7fq93hf9q8hf98qh3f98hq3f98hq3f98hq3f"]));
    // Long strings with matches of every length and distance, for LZF.
    let mixed: String = (0..6000u64).map(|i| format!("{}", (i * i) % 97)).collect();
    add(s(&["SET", "mixed", &mixed]));
    let runs: String = (0..300)
        .map(|i| "z".repeat(i % 40) + &i.to_string())
        .collect();
    add(s(&["SET", "runs", &runs]));
    add(s(&["SET", "empty", ""]));
    add(s(&["SET", "ttl", "v", "PX", "5000000"]));
    add(s(&["APPEND", "raw", "appended"]));
    add(s(&["RPUSH", "list:small", "a", "1", "-2", "ccc"]));
    let mut big = vec!["RPUSH".to_string(), "list:big".to_string()];
    big.extend((0..2000).map(|i| format!("element-{i}")));
    add(big);
    add(s(&[
        "SADD",
        "set:int",
        "1",
        "2",
        "3",
        "-70000",
        "9000000000",
    ]));
    add(s(&["SADD", "set:str", "a", "b", "c"]));
    let mut bigset = vec!["SADD".to_string(), "set:big".to_string()];
    bigset.extend((0..1000).map(|i| format!("{}", i * 7)));
    add(bigset);
    add(s(&["HSET", "hash:small", "f", "v", "n", "1"]));
    let mut bighash = vec!["HSET".to_string(), "hash:big".to_string()];
    for i in 0..600 {
        bighash.push(format!("field{i}"));
        bighash.push(format!("value{i}"));
    }
    add(bighash);
    add(s(&[
        "ZADD",
        "zset:small",
        "1.5",
        "a",
        "-2",
        "b",
        "0.1",
        "c",
    ]));
    let mut bigz = vec!["ZADD".to_string(), "zset:big".to_string()];
    for i in 0..500 {
        bigz.push(format!("{}", i as f64 / 7.0));
        bigz.push(format!("m{i}"));
    }
    add(bigz);
    add(s(&["ZADD", "zset:inf", "inf", "top", "-inf", "bottom"]));
    add(s(&["PEXPIRE", "hash:big", "7000000"]));
    add(s(&["XADD", "stream:groups", "1-1", "a", "1", "b", "2"]));
    add(s(&["XADD", "stream:groups", "2-1", "a", "3", "c", "4"]));
    add(s(&[
        "XADD",
        "stream:groups",
        "3-0",
        "x",
        "123456789012",
        "y",
        "-5",
    ]));
    add(s(&["XGROUP", "CREATE", "stream:groups", "g1", "0"]));
    add(s(&[
        "XREADGROUP",
        "GROUP",
        "g1",
        "alice",
        "COUNT",
        "2",
        "STREAMS",
        "stream:groups",
        ">",
    ]));
    add(s(&["XGROUP", "CREATE", "stream:groups", "g2", "$"]));
    add(s(&[
        "XGROUP",
        "CREATECONSUMER",
        "stream:groups",
        "g2",
        "bob",
    ]));
    add(s(&["XDEL", "stream:groups", "2-1"]));
    for i in 1..=700 {
        let id = format!("{i}-{}", i % 3);
        let v = format!("{}", i * 37);
        add(s(&[
            "XADD",
            "stream:big",
            &id,
            "field",
            &v,
            "other",
            "text",
        ]));
    }
    add(s(&["XTRIM", "stream:big", "MINID", "50"]));
    add(s(&["PFADD", "hll", "a", "b", "c", "d"]));
    add(s(&["SELECT", "1"]));
    add(s(&["SET", "in1", "one"]));
    add(s(&["RPUSH", "in1:list", "x"]));
    add(s(&["SELECT", "9"]));
    add(s(&["SET", "in9", "nine", "EX", "100000"]));
    add(s(&["SELECT", "0"]));
    for r in c.pipeline(&cmds) {
        assert!(!r.is_error(), "fill failed: {r:?}");
    }
}

pub fn digest(c: &mut Conn) -> String {
    let d = c.cmd(&["DEBUG", "DIGEST"]).str_val();
    assert_eq!(d.len(), 40);
    d
}

/// A field of INFO persistence.
pub fn info(c: &mut Conn, field: &str) -> String {
    let text = c.cmd(&["INFO", "persistence"]).str_val();
    info_field(&text, field).unwrap_or_default()
}

fn wait_bgsave_done(c: &mut Conn) {
    assert!(poll_until(secs(30), || info(c, "rdb_bgsave_in_progress") == "0"));
}

#[test]
fn save_then_reload_restores_every_type() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(
            &["DEBUG", "DIGEST"],
            status("0000000000000000000000000000000000000000"),
        );
        fill(&mut c);
        let before = digest(&mut c);
        // Consumer groups are not part of the digest: compare them in full.
        let groups = c.cmd(&["XINFO", "STREAM", "stream:groups", "FULL"]);
        let big = c.cmd(&["XINFO", "STREAM", "stream:big"]);
        c.ok(&["SAVE"]);
        assert_eq!(info(&mut c, "rdb_changes_since_last_save"), "0");
        assert_eq!(info(&mut c, "rdb_last_bgsave_status"), "ok");
        let lastsave = c.cmd(&["LASTSAVE"]).int_val();
        assert!((lastsave - unix_now() as i64).abs() <= 2);
        c.ok(&["DEBUG", "RELOAD"]);
        assert_eq!(digest(&mut c), before);
        c.expect(&["OBJECT", "ENCODING", "set:int"], bulk("intset"));
        c.expect(&["OBJECT", "ENCODING", "set:big"], bulk("hashtable"));
        c.expect(&["OBJECT", "ENCODING", "hash:big"], bulk("hashtable"));
        c.expect(&["OBJECT", "ENCODING", "zset:big"], bulk("skiplist"));
        c.expect(&["OBJECT", "ENCODING", "int"], bulk("int"));
        c.expect(&["OBJECT", "ENCODING", "hash:small"], bulk("listpack"));
        c.expect(&["OBJECT", "ENCODING", "zset:small"], bulk("listpack"));
        c.expect(&["XINFO", "STREAM", "stream:groups", "FULL"], groups);
        c.expect(&["XINFO", "STREAM", "stream:big"], big);
        let ttl = c.cmd(&["PTTL", "ttl"]).int_val();
        assert!(ttl > 4_900_000 && ttl <= 5_000_000, "{ttl}");
        c.expect(&["ZSCORE", "zset:inf", "top"], bulk("inf"));
        c.ok(&["SELECT", "9"]);
        c.expect(&["GET", "in9"], bulk("nine"));
    });
}

#[test]
fn restart_loads_the_dump_file() {
    each_server(|s| {
        let mut c = s.connect();
        fill(&mut c);
        let before = digest(&mut c);
        c.ok(&["SAVE"]);
        s.restart();
        let mut c = s.connect();
        assert_eq!(digest(&mut c), before);
        c.expect(&["DBSIZE"], int(23));
        assert_eq!(info(&mut c, "rdb_last_load_keys_loaded"), "26");
    });
}

#[test]
fn keys_expired_in_the_file_are_not_loaded() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "short", "v", "PX", "300"]);
        c.ok(&["SET", "long", "v"]);
        c.ok(&["SAVE"]);
        std::thread::sleep(Duration::from_millis(400));
        s.restart();
        let mut c = s.connect();
        c.expect(&["DBSIZE"], int(1));
        assert_eq!(info(&mut c, "rdb_last_load_keys_expired"), "1");
        assert_eq!(info(&mut c, "rdb_last_load_keys_loaded"), "1");
    });
}

#[test]
fn bgsave_writes_the_dataset_and_counts_it() {
    each_server(|s| {
        let mut c = s.connect();
        fill(&mut c);
        let before = digest(&mut c);
        c.expect(&["BGSAVE"], status("Background saving started"));
        wait_bgsave_done(&mut c);
        assert_eq!(info(&mut c, "rdb_last_bgsave_status"), "ok");
        assert_eq!(info(&mut c, "rdb_saves"), "1");
        assert_eq!(info(&mut c, "rdb_changes_since_last_save"), "0");
        assert_ne!(info(&mut c, "rdb_last_bgsave_time_sec"), "-1");
        c.expect_err(&["BGSAVE", "NOW"], "ERR syntax error");
        c.expect_err(&["BGSAVE", "SCHEDULE", "x"], "ERR syntax error");
        c.ok(&["FLUSHALL"]);
        c.ok(&["DEBUG", "RELOAD", "NOSAVE"]);
        assert_eq!(digest(&mut c), before);
        // In a transaction the save waits for the transaction to end.
        c.ok(&["MULTI"]);
        c.expect(&["BGSAVE"], status("QUEUED"));
        c.expect(&["EXEC"], arr(vec![status("Background saving scheduled")]));
        assert!(poll_until(secs(10), || info(&mut c, "rdb_saves") == "2"));
        wait_bgsave_done(&mut c);
        c.expect(&["BGSAVE", "SCHEDULE"], status("Background saving started"));
        wait_bgsave_done(&mut c);
    });
}

/// The file BGSAVE writes is the dataset at the instant the command ran, while
/// other clients overwrite, delete, expire and create keys during the save.
#[test]
fn bgsave_is_a_point_in_time_image() {
    each_server(|s| {
        let mut c = s.connect();
        let n = 100_000;
        let load: Vec<Vec<String>> = (0..n)
            .map(|i| vec!["SET".into(), format!("key:{i}"), format!("value:{i}")])
            .collect();
        for chunk in load.chunks(10_000) {
            c.pipeline(chunk);
        }
        fill(&mut c);
        for i in 0..1000 {
            c.cmd(&["PEXPIRE", &format!("key:{i}"), "50"]);
        }
        // DIGEST and BGSAVE in one write: the server runs both before anything
        // else (no other client, no active expiry in between).
        let mut both = encode_cmd(&["DEBUG", "DIGEST"]);
        both.extend(encode_cmd(&["BGSAVE"]));
        c.send_raw(&both);
        let at_start = c.read_reply().str_val();
        assert_eq!(c.read_reply(), status("Background saving started"));
        let mut w = s.connect();
        let mut g = Gen(7);
        let mut rounds = 0;
        loop {
            let mut cmds: Vec<Vec<String>> = Vec::new();
            for _ in 0..200 {
                let k = format!("key:{}", g.below(n as u64 * 2));
                match g.below(5) {
                    0 => cmds.push(vec!["DEL".into(), k]),
                    1 => cmds.push(vec!["APPEND".into(), k, "+".into()]),
                    2 => cmds.push(vec!["RPUSH".into(), "list:big".into(), k]),
                    3 => cmds.push(vec!["HSET".into(), "hash:big".into(), k, "x".into()]),
                    _ => cmds.push(vec!["SET".into(), k, "new".into()]),
                }
            }
            w.pipeline(&cmds);
            rounds += 1;
            // Now and then, database 1 is emptied (and refilled) mid-save.
            if rounds % 5 == 0 {
                w.ok(&["SELECT", "1"]);
                w.ok(&["FLUSHDB"]);
                w.ok(&["SET", "in1:new", "x"]);
                w.ok(&["SELECT", "0"]);
            }
            if info(&mut c, "rdb_bgsave_in_progress") == "0" {
                break;
            }
        }
        assert_ne!(digest(&mut c), at_start, "the writers changed nothing");
        assert_eq!(info(&mut c, "rdb_last_bgsave_status"), "ok");
        // Load the file as it is (NOSAVE), with expired keys kept: compare the
        // digest of the loaded data to the digest at the start.
        c.ok(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]);
        c.ok(&["FLUSHALL"]);
        c.ok(&["DEBUG", "RELOAD", "NOSAVE"]);
        let expired = info(&mut c, "rdb_last_load_keys_expired");
        if expired == "0" {
            assert_eq!(digest(&mut c), at_start);
        } else {
            // Keys with a 50 ms TTL may have expired before the load skipped
            // them; the rest must match exactly.
            for i in 1000..n {
                if i % 997 == 0 {
                    c.expect(&["GET", &format!("key:{i}")], bulk(format!("value:{i}")));
                }
            }
        }
    });
}

#[test]
fn save_rules_trigger_a_background_save() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["CONFIG", "SET", "save", "1 2"]);
        c.expect(&["CONFIG", "GET", "save"], bulks(&["save", "1 2"]));
        c.ok(&["SET", "a", "1"]);
        std::thread::sleep(Duration::from_millis(1500));
        assert_eq!(info(&mut c, "rdb_saves"), "0", "one change is not enough");
        c.ok(&["SET", "b", "2"]);
        assert!(poll_until(secs(5), || info(&mut c, "rdb_saves") == "1"));
        wait_bgsave_done(&mut c);
        assert!(s.dir().join("dump.rdb").exists());
        c.ok(&["CONFIG", "SET", "save", ""]);
    });
}

#[test]
fn shutdown_save_and_sigterm_with_save_rules_write_the_file() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "k", "v1"]);
        c.send(&["SHUTDOWN", "SAVE"]);
        assert!(s.wait_exit(secs(10)).is_some());
        s.restart();
        let mut c = s.connect();
        c.expect(&["GET", "k"], bulk("v1"));
        c.ok(&["SET", "k", "v2"]);
        c.send(&["SHUTDOWN", "NOSAVE"]);
        assert!(s.wait_exit(secs(10)).is_some());
        s.restart();
        let mut c = s.connect();
        c.expect(&["GET", "k"], bulk("v1"));
        c.ok(&["CONFIG", "SET", "save", "3600 1"]);
        c.ok(&["SET", "k", "v3"]);
        s.signal("TERM");
        assert!(s.wait_exit(secs(10)).is_some());
        s.restart();
        let mut c = s.connect();
        c.expect(&["GET", "k"], bulk("v3"));
    });
}

#[test]
fn dump_and_restore() {
    each_server(|s| {
        let mut c = s.connect();
        fill(&mut c);
        let keys = [
            "int",
            "neg",
            "small",
            "long",
            "raw",
            "list:small",
            "list:big",
            "set:int",
            "set:str",
            "set:big",
            "hash:small",
            "hash:big",
            "zset:small",
            "zset:big",
            "zset:inf",
        ];
        for k in keys {
            let payload = c.cmd(&["DUMP", k]);
            let value_digest = c.cmd(&["DEBUG", "DIGEST-VALUE", k]);
            let copy = format!("{k}:copy");
            c.send(&[
                b"RESTORE".as_slice(),
                copy.as_bytes(),
                b"0",
                payload.as_bytes().unwrap(),
            ]);
            c.read_reply();
            // Same content; the TTL (hash:big) is not part of a DUMP payload.
            let copy_digest = c.cmd(&["DEBUG", "DIGEST-VALUE", &copy]);
            if k != "hash:big" {
                assert_eq!(copy_digest, value_digest, "{k}");
            }
            c.expect(&["TYPE", &copy], c_type(k));
        }
        c.expect(&["DUMP", "nosuchkey"], nil());
        // A payload produced by Redis 7.0.
        let abc = b"\x00\x03abc\n\x00\xd9\xac0=Ar\xa2\xe2";
        let restore = |c: &mut Conn, args: &[&[u8]]| {
            let mut v: Vec<&[u8]> = vec![b"RESTORE"];
            v.extend_from_slice(args);
            c.cmd(&v)
        };
        assert_eq!(restore(&mut c, &[b"s", b"0", abc]), ok());
        c.expect(&["GET", "s"], bulk("abc"));
        assert_eq!(
            restore(&mut c, &[b"s", b"0", abc]),
            err("BUSYKEY Target key name already exists.")
        );
        assert_eq!(restore(&mut c, &[b"s", b"0", abc, b"REPLACE"]), ok());
        assert_eq!(
            restore(&mut c, &[b"t", b"-1", abc]),
            err("ERR Invalid TTL value, must be >= 0")
        );
        assert_eq!(
            restore(&mut c, &[b"t", b"x", abc]),
            err("ERR value is not an integer or out of range")
        );
        let mut bad = abc.to_vec();
        bad[3] = b'X';
        assert_eq!(
            restore(&mut c, &[b"t", b"0", &bad]),
            err("ERR DUMP payload version or checksum are wrong")
        );
        assert_eq!(
            restore(&mut c, &[b"t", b"0", b"short"]),
            err("ERR DUMP payload version or checksum are wrong")
        );
        assert_eq!(
            restore(&mut c, &[b"t", b"0", abc, b"FOO"]),
            err("ERR syntax error")
        );
        assert_eq!(
            restore(&mut c, &[b"t", b"0", abc, b"IDLETIME", b"-1"]),
            err("ERR Invalid IDLETIME value, must be >= 0")
        );
        assert_eq!(
            restore(&mut c, &[b"t", b"0", abc, b"FREQ", b"256"]),
            err("ERR Invalid FREQ value, must be >= 0 and <= 255")
        );
        assert_eq!(
            restore(&mut c, &[b"t", b"0", abc, b"IDLETIME", b"1", b"FREQ", b"1"]),
            err("ERR syntax error")
        );
        assert_eq!(
            restore(&mut c, &[b"t", b"0", abc, b"IDLETIME", b"1000"]),
            ok()
        );
        let idle = c.cmd(&["OBJECT", "IDLETIME", "t"]).int_val();
        assert!((1000..1003).contains(&idle), "{idle}");
        // TTLs: relative, absolute, and already expired (the key is not created,
        // and a replaced key is deleted).
        assert_eq!(restore(&mut c, &[b"u", b"100000", abc]), ok());
        let pttl = c.cmd(&["PTTL", "u"]).int_val();
        assert!(pttl > 99_000 && pttl <= 100_000);
        let at = (unix_now_ms() + 200_000).to_string();
        assert_eq!(
            restore(&mut c, &[b"v", at.as_bytes(), abc, b"ABSTTL"]),
            ok()
        );
        let pttl = c.cmd(&["PTTL", "v"]).int_val();
        assert!(pttl > 190_000 && pttl <= 200_000);
        assert_eq!(restore(&mut c, &[b"w", b"1", abc, b"ABSTTL"]), ok());
        c.expect(&["EXISTS", "w"], int(0));
        assert_eq!(
            restore(&mut c, &[b"s", b"1", abc, b"ABSTTL", b"REPLACE"]),
            ok()
        );
        c.expect(&["EXISTS", "s"], int(0));
        c.expect_err(
            &["RESTORE", "k", "0"],
            "ERR wrong number of arguments for 'restore' command",
        );
    });
}

fn c_type(key: &str) -> Reply {
    status(match key.split(':').next().unwrap_or("") {
        "stream" => "stream",
        "list" => "list",
        "set" => "set",
        "hash" => "hash",
        "zset" => "zset",
        _ => "string",
    })
}

#[test]
fn digest_value_of_missing_and_expiring_keys() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(
            &["DEBUG", "DIGEST-VALUE", "nokey"],
            arr(vec![status("0000000000000000000000000000000000000000")]),
        );
        c.ok(&["SET", "a", "x"]);
        let plain = c.cmd(&["DEBUG", "DIGEST-VALUE", "a"]);
        c.cmd(&["EXPIRE", "a", "100"]);
        assert_ne!(c.cmd(&["DEBUG", "DIGEST-VALUE", "a"]), plain);
        c.expect(&["DEBUG", "DIGEST-VALUE"], arr(vec![]));
    });
}

/// Starts a server of `kind` whose data directory holds `file` as dump.rdb.
fn start_with_file(kind: Kind, file: &Path) -> Server {
    let mut s = Server::start(kind, &ServerOpts::default());
    s.kill();
    fs::copy(file, s.dir().join("dump.rdb")).expect("copy dump.rdb");
    s.restart();
    s
}

/// Whether redis-server is there for a test that needs it (a failure with REQUIRE_REDIS=1).
pub fn redis_needed() -> bool {
    if redis_bin().is_some() {
        return true;
    }
    assert!(
        !require_redis(),
        "redis-server not found on PATH but REQUIRE_REDIS=1"
    );
    false
}

/// A file written by oxidis loads into redis-server with identical content, and
/// redis-check-rdb accepts it; and the other way round.
#[test]
fn dump_files_move_between_oxidis_and_redis() {
    if !redis_needed() {
        return;
    }
    for (from, to) in [(Kind::Oxidis, Kind::Redis), (Kind::Redis, Kind::Oxidis)] {
        for compression in ["yes", "no"] {
            let src = Server::start(from, &ServerOpts::default());
            let mut c = src.connect();
            c.ok(&["CONFIG", "SET", "rdbcompression", compression]);
            fill(&mut c);
            let before = digest(&mut c);
            let groups = c.cmd(&["XINFO", "STREAM", "stream:groups", "FULL"]);
            c.ok(&["SAVE"]);
            let file = src.dir().join("dump.rdb");
            if let Some(check) = find_in_path("redis-check-rdb") {
                let out = std::process::Command::new(check)
                    .arg(&file)
                    .output()
                    .expect("run redis-check-rdb");
                let text = String::from_utf8_lossy(&out.stdout);
                assert!(
                    text.contains("RDB looks OK"),
                    "{from} file rejected: {text}"
                );
            }
            let dst = start_with_file(to, &file);
            let mut d = dst.connect();
            assert_eq!(
                digest(&mut d),
                before,
                "{from} -> {to}, rdbcompression {compression}"
            );
            d.expect(&["XINFO", "STREAM", "stream:groups", "FULL"], groups);
            d.expect(&["PFCOUNT", "hll"], int(4));
        }
    }
}

#[test]
fn a_corrupt_or_truncated_file_is_refused_at_startup() {
    let src = Server::start(Kind::Oxidis, &ServerOpts::default());
    let mut c = src.connect();
    fill(&mut c);
    c.ok(&["SAVE"]);
    let good = fs::read(src.dir().join("dump.rdb")).expect("read dump.rdb");
    let tmp = src.root().join("bad.rdb");
    let mut flipped = good.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x55;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("truncated", good[..good.len() - 20].to_vec()),
        ("flipped", flipped),
        ("not an rdb", b"hello world, not a dump".to_vec()),
    ];
    for (what, bytes) in cases {
        fs::write(&tmp, &bytes).expect("write bad.rdb");
        let mut s = Server::start(Kind::Oxidis, &ServerOpts::default());
        s.kill();
        fs::copy(&tmp, s.dir().join("dump.rdb")).expect("copy");
        let status = std::process::Command::new(oxidis_bin())
            .arg("--port")
            .arg(free_port().to_string())
            .arg("--dir")
            .arg(s.dir())
            .output()
            .expect("run oxidis");
        assert!(!status.status.success(), "{what}: started on a bad file");
        let log = String::from_utf8_lossy(&status.stdout).to_string()
            + &String::from_utf8_lossy(&status.stderr);
        assert!(log.contains("offset"), "{what}: {log}");
        assert!(!log.contains("panicked"), "{what}: {log}");
    }
}

/// A failed background save with save rules set stops writes (and PING) with
/// MISCONF until a save succeeds.
#[test]
fn failed_bgsave_refuses_writes_until_a_save_succeeds() {
    each_server_with(&["--enable-protected-configs", "yes"], |s| {
        let mut c = s.connect();
        let gone = s.root().join("gone");
        fs::create_dir_all(&gone).expect("mkdir");
        c.ok(&["CONFIG", "SET", "save", "3600 1"]);
        c.ok(&["CONFIG", "SET", "dir", gone.to_str().expect("utf-8 path")]);
        fs::remove_dir(&gone).expect("rmdir");
        c.ok(&["SET", "k", "v"]);
        c.expect(&["BGSAVE"], status("Background saving started"));
        assert!(poll_until(secs(10), || info(
            &mut c,
            "rdb_last_bgsave_status"
        ) == "err"));
        wait_bgsave_done(&mut c);
        let misconf = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";
        c.expect_err(&["SET", "k", "v2"], misconf);
        c.expect_err(&["PING"], misconf);
        c.expect(&["GET", "k"], bulk("v"));
        c.ok(&["MULTI"]);
        c.expect_err(&["SET", "k", "v2"], misconf);
        c.expect_err(
            &["EXEC"],
            "EXECABORT Transaction discarded because of previous errors.",
        );
        c.ok(&["CONFIG", "SET", "stop-writes-on-bgsave-error", "no"]);
        c.ok(&["SET", "k", "v3"]);
        c.ok(&["CONFIG", "SET", "stop-writes-on-bgsave-error", "yes"]);
        c.expect_err(&["DEL", "k"], misconf);
        c.ok(&[
            "CONFIG",
            "SET",
            "dir",
            s.dir().to_str().expect("utf-8 path"),
        ]);
        c.expect(&["BGSAVE"], status("Background saving started"));
        assert!(poll_until(secs(10), || info(
            &mut c,
            "rdb_last_bgsave_status"
        ) == "ok"));
        c.expect(&["DEL", "k"], int(1));
        c.ok(&["CONFIG", "SET", "save", ""]);
    });
}

#[test]
fn debug_populate() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "key:1", "mine"]);
        c.ok(&["DEBUG", "POPULATE", "3"]);
        c.expect(&["DBSIZE"], int(3));
        c.expect(&["GET", "key:0"], bulk("value:0"));
        c.expect(&["GET", "key:1"], bulk("mine"));
        c.ok(&["DEBUG", "POPULATE", "2", "p", "10"]);
        c.expect(&["GET", "p:1"], bulk(b"value:1\0\0\0"));
        c.ok(&["DEBUG", "POPULATE", "1", "q", "3"]);
        c.expect(&["GET", "q:0"], bulk("val"));
        c.expect(&["OBJECT", "ENCODING", "p:1"], bulk("embstr"));
        assert_eq!(info(&mut c, "rdb_changes_since_last_save"), "1");
        let range = "ERR value is out of range, must be positive";
        c.expect_err(&["DEBUG", "POPULATE", "-1"], range);
        c.expect_err(&["DEBUG", "POPULATE", "x"], range);
        c.expect_err(&["DEBUG", "POPULATE", "1", "a", "-3"], range);
        c.expect_err(
            &["DEBUG", "POPULATE", "1", "a", "1", "extra"],
            "ERR unknown subcommand or wrong number of arguments for 'POPULATE'. Try DEBUG HELP.",
        );
    });
}

/// Every kind of write, in several databases, lands while a slowed-down save
/// (rdb-key-save-delay) walks the keyspace; the file is the dataset at the
/// instant BGSAVE ran, consumer groups included.
#[test]
fn bgsave_image_survives_every_kind_of_write() {
    each_server(|s| {
        let mut c = s.connect();
        fill(&mut c);
        let mut setup: Vec<Vec<String>> = Vec::new();
        for db in 0..3 {
            setup.push(vec!["SELECT".into(), db.to_string()]);
            for i in 0..400 {
                let k = format!("k{i}");
                setup.push(match i % 5 {
                    0 => vec!["SET".into(), k, format!("v{i}")],
                    1 => vec!["RPUSH".into(), k, "a".into(), "b".into(), i.to_string()],
                    2 => vec!["HSET".into(), k, "f".into(), i.to_string()],
                    3 => vec!["ZADD".into(), k, i.to_string(), "m".into()],
                    _ => vec!["SADD".into(), k, "x".into(), i.to_string()],
                });
            }
        }
        setup.push(vec!["SELECT".into(), "0".into()]);
        c.pipeline(&setup);
        let groups = c.cmd(&["XINFO", "STREAM", "stream:groups", "FULL"]);
        c.ok(&["CONFIG", "SET", "rdb-key-save-delay", "300"]);
        let mut both = encode_cmd(&["DEBUG", "DIGEST"]);
        both.extend(encode_cmd(&["BGSAVE"]));
        c.send_raw(&both);
        let at_start = c.read_reply().str_val();
        assert_eq!(c.read_reply(), status("Background saving started"));
        let mut w = s.connect();
        let mut g = Gen(11);
        let mut rounds = 0;
        while info(&mut c, "rdb_bgsave_in_progress") == "1" {
            rounds += 1;
            let mut cmds: Vec<Vec<String>> = Vec::new();
            let db = g.below(3).to_string();
            cmds.push(vec!["SELECT".into(), db]);
            for _ in 0..20 {
                let k = format!("k{}", g.below(450));
                let k2 = format!("k{}", g.below(450));
                let v = g.below(1000).to_string();
                let cmd: Vec<&str> = match g.below(16) {
                    0 => vec!["SET", &k, &v],
                    1 => vec!["DEL", &k],
                    2 => vec!["APPEND", &k, &v],
                    3 => vec!["EXPIRE", &k, "100000"],
                    4 => vec!["PERSIST", &k],
                    5 => vec!["RENAME", &k, &k2],
                    6 => vec!["MOVE", &k, "2"],
                    7 => vec!["LPUSH", &k, &v],
                    8 => vec!["HSET", &k, &v, &v],
                    9 => vec!["ZADD", &k, &v, &v],
                    10 => vec!["SADD", &k, &v],
                    11 => vec!["COPY", &k, &k2, "REPLACE"],
                    12 => vec!["XADD", "stream:groups", "*", "f", &v],
                    13 => vec![
                        "XREADGROUP",
                        "GROUP",
                        "g1",
                        "carol",
                        "COUNT",
                        "1",
                        "STREAMS",
                        "stream:groups",
                        ">",
                    ],
                    14 => vec!["XACK", "stream:groups", "g1", "1-1"],
                    _ => vec!["INCR", "counter"],
                };
                cmds.push(cmd.iter().map(|x| x.to_string()).collect());
            }
            if rounds % 25 == 0 {
                cmds.push(vec!["SWAPDB".into(), "1".into(), "2".into()]);
            }
            if rounds % 40 == 0 {
                cmds.push(vec!["SELECT".into(), "1".into()]);
                cmds.push(vec!["FLUSHDB".into()]);
            }
            w.pipeline(&cmds);
        }
        assert!(
            rounds > 5,
            "the save ended before the writes ({rounds} rounds)"
        );
        assert_ne!(digest(&mut c), at_start);
        assert_eq!(info(&mut c, "rdb_last_bgsave_status"), "ok");
        c.ok(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
        c.ok(&["DEBUG", "RELOAD", "NOSAVE"]);
        assert_eq!(digest(&mut c), at_start);
        c.expect(&["XINFO", "STREAM", "stream:groups", "FULL"], groups);
    });
}

/// With rdbchecksum no the file ends with a zero checksum, which any loader
/// accepts without checking.
#[test]
fn rdbchecksum_no_writes_a_zero_checksum() {
    each_server_with(&["--rdbchecksum", "no"], |s| {
        let mut c = s.connect();
        c.ok(&["SET", "k", "v"]);
        c.ok(&["SAVE"]);
        let file = fs::read(s.dir().join("dump.rdb")).expect("read dump.rdb");
        assert_eq!(&file[file.len() - 9..], b"\xff\0\0\0\0\0\0\0\0");
        s.restart();
        let mut c = s.connect();
        c.expect(&["GET", "k"], bulk("v"));
        c.expect_err(
            &["CONFIG", "SET", "rdbchecksum", "yes"],
            "ERR CONFIG SET failed (possibly related to argument 'rdbchecksum') - can't set immutable config",
        );
    });
}

/// A RESTORE payload: the value, RDB version 10 and the CRC64 of both.
fn payload(body: &[u8]) -> Vec<u8> {
    let mut p = body.to_vec();
    p.extend_from_slice(&10u16.to_le_bytes());
    let crc = crc64::crc64(0, &p);
    p.extend_from_slice(&crc.to_le_bytes());
    p
}

/// Well-checksummed payloads with bad contents are refused, never crash the
/// server, and never create an empty key.
#[test]
fn restore_refuses_bad_values() {
    each_server(|s| {
        let mut c = s.connect();
        let bad: Vec<(&str, Vec<u8>)> = vec![
            // Empty list, set, sorted set and hash.
            ("empty list", b"\x01\x00".to_vec()),
            ("empty set", b"\x02\x00".to_vec()),
            ("empty zset", b"\x05\x00".to_vec()),
            ("empty hash", b"\x04\x00".to_vec()),
            // A ziplist whose last string ends in 0xff, cut before its end marker.
            (
                "ziplist",
                b"\x0a\x0b\x0d\x00\x00\x00\x0a\x00\x00\x00\x01\x00\x00\x01\xff".to_vec(),
            ),
            // A listpack hash whose header claims more bytes than it has.
            ("listpack", b"\x10\x07\x10\x00\x00\x00\x00\x00\xff".to_vec()),
            // An unknown type. (A value running into the footer is read from
            // it, as Redis does, so a short string is not an error.)
            ("type", b"\x63\x01a".to_vec()),
        ];
        for (what, body) in bad {
            let p = payload(&body);
            let r = c.cmd(&[b"RESTORE".as_slice(), b"k", b"0", &p]);
            assert_eq!(r, err("ERR Bad data format"), "{what}");
        }
        c.expect(&["EXISTS", "k"], int(0));
        c.expect(&["PING"], status("PONG"));
        // And a good one built the same way.
        let good = payload(b"\x01\x02\x01a\x01b");
        assert_eq!(c.cmd(&[b"RESTORE".as_slice(), b"k", b"0", &good]), ok());
        c.expect(&["LRANGE", "k", "0", "-1"], bulks(&["a", "b"]));
    });
}

/// Commands that end a save in progress (DEBUG RELOAD, SHUTDOWN SAVE) save
/// the current dataset themselves; FLUSHDB during a save counts its changes.
#[test]
fn saving_while_a_background_save_runs() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["DEBUG", "POPULATE", "2000", "key", "50"]);
        c.ok(&["CONFIG", "SET", "rdb-key-save-delay", "1000"]);
        c.expect(&["BGSAVE"], status("Background saving started"));
        c.ok(&["SELECT", "1"]);
        c.ok(&["DEBUG", "POPULATE", "100"]);
        let before: i64 = info(&mut c, "rdb_changes_since_last_save")
            .parse()
            .unwrap_or(-1);
        c.ok(&["FLUSHDB"]);
        let after: i64 = info(&mut c, "rdb_changes_since_last_save")
            .parse()
            .unwrap_or(-1);
        assert!(after >= before + 100, "{before} -> {after}");
        c.ok(&["SELECT", "0"]);
        c.ok(&["SET", "late", "x"]);
        c.ok(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
        c.ok(&["DEBUG", "RELOAD"]);
        c.expect(&["GET", "late"], bulk("x"));
        c.expect(&["DBSIZE"], int(2001));
        // (Redis lets its forked save finish; oxidis abandoned its own.)
        wait_bgsave_done(&mut c);
        // A new slowed save, ended by SHUTDOWN SAVE: the file has the latest data.
        c.ok(&["CONFIG", "SET", "rdb-key-save-delay", "1000"]);
        c.expect(&["BGSAVE"], status("Background saving started"));
        c.ok(&["SET", "later", "y"]);
        c.send(&["SHUTDOWN", "SAVE"]);
        assert!(s.wait_exit(secs(20)).is_some());
        s.restart();
        let mut c = s.connect();
        c.expect(&["GET", "later"], bulk("y"));
        c.expect(&["DBSIZE"], int(2002));
    });
}
