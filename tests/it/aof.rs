//! The append-only file (Redis 7's multi-part layout): the files written at
//! startup and by rewrites, loading (upgrades, manifests, truncation), files
//! moving between oxidis and redis-server both ways, runtime CONFIG SET
//! appendonly, crash safety under SIGKILL, write errors, DEBUG LOADAOF.

use crate::persistence::{digest, info, redis_needed};
use crate::support::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// AOF on, every write on disk before its reply (tests kill servers with SIGKILL).
const AOF_ON: &[&str] = &["--appendonly", "yes", "--appendfsync", "always"];

fn aof_dir(s: &Server) -> PathBuf {
    s.dir().join("appendonlydir")
}

fn manifest(s: &Server) -> String {
    fs::read_to_string(aof_dir(s).join("appendonly.aof.manifest")).unwrap_or_default()
}

/// The names in a directory, sorted.
fn ls(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Waits for a running or scheduled rewrite to complete.
fn wait_rewrite(c: &mut Conn) {
    // Both fields from one INFO: a scheduled rewrite may start between two.
    let idle = |c: &mut Conn| {
        let text = c.cmd(&["INFO", "persistence"]).str_val();
        info_field(&text, "aof_rewrite_in_progress").as_deref() == Some("0")
            && info_field(&text, "aof_rewrite_scheduled").as_deref() == Some("0")
    };
    assert!(
        poll_until(secs(30), || idle(c)),
        "the AOF rewrite did not finish"
    );
}

/// Waits (up to 5 s) for the manifest to read `want`, then checks it.
fn wait_manifest(s: &Server, want: &str) {
    poll_until(secs(5), || manifest(s) == want);
    assert_eq!(manifest(s), want, "[{}] manifest", s.kind());
}

fn other(kind: Kind) -> Kind {
    match kind {
        Kind::Oxidis => Kind::Redis,
        Kind::Redis => Kind::Oxidis,
    }
}

fn bin(kind: Kind) -> PathBuf {
    match kind {
        Kind::Oxidis => oxidis_bin(),
        Kind::Redis => redis_bin().expect("redis-server"),
    }
}

/// Starts a server of `kind` on `dir` that must refuse to start: returns its log.
fn refused_start(kind: Kind, dir: &Path, args: &[&str]) -> String {
    let out = Command::new(bin(kind))
        .arg(test_conf_path())
        .args(["--port", &free_port().to_string(), "--dir"])
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn server");
    let pid = out.id();
    let deadline = Instant::now() + secs(10);
    let mut child = out;
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("[{kind}] server {pid} started although it should have refused");
        }
        std::thread::sleep(millis(20));
    }
    let out = child.wait_with_output().expect("server output");
    assert!(!out.status.success(), "[{kind}] exit status {}", out.status);
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

fn cmd_bytes(args: &[&str]) -> Vec<u8> {
    encode_cmd(args)
}

/// RESP commands as an AOF holds them.
fn aof_text(cmds: &[&[&str]]) -> Vec<u8> {
    cmds.iter().flat_map(|c| cmd_bytes(c)).collect()
}

fn copy_dir(from: &Path, to: &Path) {
    let _ = fs::remove_dir_all(to);
    fs::create_dir_all(to).unwrap();
    for name in ls(from) {
        fs::copy(from.join(&name), to.join(&name)).unwrap();
    }
}

/// Connects once the server has loaded its data (redis-server accepts
/// connections while loading, and answers -LOADING).
fn connect_loaded(s: &Server) -> Conn {
    let mut c = s.try_connect().expect("connect");
    wait_for(secs(20), || !c.cmd(&["PING"]).is_error());
    c
}

// ---------------------------------------------------------------------------
// 1. Startup
// ---------------------------------------------------------------------------

#[test]
fn startup_creates_base_incr_and_manifest_and_restart_loads_them() {
    each_server_with(AOF_ON, |s| {
        let dir = aof_dir(s);
        assert_eq!(
            ls(&dir),
            [
                "appendonly.aof.1.base.rdb",
                "appendonly.aof.1.incr.aof",
                "appendonly.aof.manifest"
            ]
        );
        assert_eq!(
            manifest(s),
            "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
        );
        let base = fs::read(dir.join("appendonly.aof.1.base.rdb")).unwrap();
        assert!(base.starts_with(b"REDIS0010"));
        // The aux field aof-base = 1 (an int-encoded string).
        assert!(
            base.windows(12).any(|w| w == b"\xfa\x08aof-base\xc0\x01"),
            "no aof-base aux in the base"
        );
        assert_eq!(
            fs::metadata(dir.join("appendonly.aof.1.incr.aof"))
                .unwrap()
                .len(),
            0
        );
        let mut c = connect_loaded(s);
        c.ok(&["SET", "k", "v"]);
        c.expect(&["RPUSH", "l", "a", "b"], int(2));
        c.ok(&["SELECT", "5"]);
        c.expect(&["SADD", "s", "x"], int(1));
        // The incr file holds the commands, SELECT first.
        // (Under everysec a write may wait for a background fsync: poll.)
        let incr_path = dir.join("appendonly.aof.1.incr.aof");
        let want = aof_text(&[
            &["SELECT", "0"],
            &["SET", "k", "v"],
            &["RPUSH", "l", "a", "b"],
            &["SELECT", "5"],
            &["SADD", "s", "x"],
        ]);
        wait_for(secs(3), || fs::read(&incr_path).unwrap() == want);
        let before = digest(&mut c);
        s.restart();
        let mut c = connect_loaded(s);
        assert_eq!(digest(&mut c), before);
        c.expect(&["LRANGE", "l", "0", "-1"], bulks(&["a", "b"]));
        // Restarting appends to the same incr file; the manifest is unchanged.
        assert_eq!(
            manifest(s),
            "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
        );
        assert_eq!(info(&mut c, "aof_enabled"), "1");
    });
}

#[test]
fn dump_rdb_is_ignored_when_appendonly_is_on() {
    each_server_with(AOF_ON, |s| {
        let mut c = connect_loaded(s);
        for i in 0..3 {
            c.ok(&["SET", &format!("k{i}"), "v"]);
        }
        c.ok(&["SAVE"]);
        assert!(s.dir().join("dump.rdb").is_file());
        s.kill();
        fs::remove_dir_all(aof_dir(s)).unwrap();
        s.restart();
        let mut c = connect_loaded(s);
        c.expect(&["DBSIZE"], int(0));
        assert_eq!(ls(&aof_dir(s)).len(), 3);
    });
}

/// A single-file AOF of Redis < 7 (`appendonly.aof` in `dir`) moves into the
/// directory as the base, plain commands or with an RDB preamble.
#[test]
fn an_old_single_file_aof_is_upgraded() {
    each_server_with(AOF_ON, |s| {
        let mut c = connect_loaded(s);
        c.ok(&["SET", "pre", "amble"]);
        c.expect(&["HSET", "h", "f", "v"], int(1));
        c.expect(
            &["BGREWRITEAOF"],
            status("Background append only file rewriting started"),
        );
        wait_rewrite(&mut c);
        let rdb = fs::read(aof_dir(s).join("appendonly.aof.2.base.rdb")).unwrap();
        s.kill();

        // Plain commands.
        fs::remove_dir_all(aof_dir(s)).unwrap();
        let old = aof_text(&[&["SET", "a", "1"], &["SELECT", "2"], &["RPUSH", "l", "x"]]);
        fs::write(s.dir().join("appendonly.aof"), &old).unwrap();
        s.restart();
        let mut c = connect_loaded(s);
        c.expect(&["GET", "a"], bulk("1"));
        c.ok(&["SELECT", "2"]);
        c.expect(&["LRANGE", "l", "0", "-1"], bulks(&["x"]));
        assert!(!s.dir().join("appendonly.aof").exists());
        assert_eq!(
            ls(&aof_dir(s)),
            [
                "appendonly.aof",
                "appendonly.aof.1.incr.aof",
                "appendonly.aof.manifest"
            ]
        );
        assert_eq!(
            manifest(s),
            "file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
        );
        assert_eq!(fs::read(aof_dir(s).join("appendonly.aof")).unwrap(), old);
        assert!(s.log().contains("Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory (appendonlydir)."));
        c.ok(&["SELECT", "0"]);
        c.ok(&["SET", "after", "upgrade"]);
        s.restart();
        let mut c = connect_loaded(s);
        c.expect(&["GET", "after"], bulk("upgrade"));
        c.expect(&["GET", "a"], bulk("1"));
        s.kill();

        // An RDB preamble followed by commands.
        fs::remove_dir_all(aof_dir(s)).unwrap();
        let mut old = rdb.clone();
        old.extend(aof_text(&[&["SELECT", "0"], &["SET", "tail", "t"]]));
        fs::write(s.dir().join("appendonly.aof"), &old).unwrap();
        s.restart();
        let mut c = connect_loaded(s);
        c.expect(&["GET", "pre"], bulk("amble"));
        c.expect(&["HGET", "h", "f"], bulk("v"));
        c.expect(&["GET", "tail"], bulk("t"));
        c.expect(&["DBSIZE"], int(3));
        assert_eq!(
            manifest(s),
            "file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
        );
    });
}

#[test]
fn a_manifest_of_comments_only_means_no_aof() {
    each_server_with(AOF_ON, |s| {
        s.kill();
        let dir = aof_dir(s);
        fs::remove_dir_all(&dir).unwrap();
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("appendonly.aof.manifest"), "# nothing here\n").unwrap();
        s.restart();
        let mut c = connect_loaded(s);
        c.expect(&["DBSIZE"], int(0));
        assert_eq!(
            manifest(s),
            "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
        );
    });
}

#[test]
fn a_missing_file_or_a_bad_manifest_refuses_to_start() {
    each_server_with(AOF_ON, |s| {
        let kind = s.kind();
        let mut c = connect_loaded(s);
        c.ok(&["SET", "k", "v"]);
        s.kill();
        let dir = aof_dir(s);
        let mpath = dir.join("appendonly.aof.manifest");
        let good = fs::read_to_string(&mpath).unwrap();
        let cases: &[(&str, &str)] = &[
            (
                "file nothere.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n",
                "Unable to obtain the AOF file nothere.aof length. stat: No such file or directory",
            ),
            ("", "Found an empty AOF manifest"),
            (
                "file appendonly.aof.1.base.rdb seq 1 type b",
                "The AOF manifest file contains too long line",
            ),
            (
                "file appendonly.aof.1.base.rdb seq 0 type b\n",
                "Invalid AOF manifest file format",
            ),
            (
                "file appendonly.aof.1.base.rdb seq 1 type b\n\n",
                "Invalid AOF manifest file format",
            ),
            (
                "file \"appendonly.aof.1.base.rdb seq 1 type b\n",
                "Invalid AOF manifest file format",
            ),
            (
                "file appendonly.aof.1.base.rdb seq 1 type b\nfile x seq 2 type b\n",
                "Found duplicate base file information",
            ),
            (
                "file x seq 3 type i\nfile y seq 2 type i\n",
                "Found a non-monotonic sequence number",
            ),
            ("file x seq 1 type z\n", "Unknown AOF file type"),
            (
                "file ../x seq 1 type b\n",
                "File can't be a path, just a filename",
            ),
        ];
        for (text, message) in cases {
            fs::write(&mpath, text).unwrap();
            let log = refused_start(kind, s.dir(), AOF_ON);
            assert!(
                log.contains(message),
                "[{kind}] manifest {text:?}: no {message:?} in the log:\n{log}"
            );
        }
        fs::write(&mpath, good).unwrap();
        s.restart();
        connect_loaded(s).expect(&["GET", "k"], bulk("v"));
    });
}

// ---------------------------------------------------------------------------
// 2. Files moving between oxidis and redis-server
// ---------------------------------------------------------------------------

fn opts(args: &[&str]) -> ServerOpts {
    ServerOpts {
        args: args.iter().map(|s| s.to_string()).collect(),
        conf: None,
    }
}

/// redis-check-aof accepts the directory of `s`.
fn check_aof(s: &Server) {
    let Some(tool) = find_in_path("redis-check-aof") else {
        assert!(!require_redis(), "redis-check-aof not installed");
        return;
    };
    let out = Command::new(tool)
        .arg(aof_dir(s).join("appendonly.aof.manifest"))
        .output()
        .expect("run redis-check-aof");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success() && text.contains("is valid"),
        "[{}] redis-check-aof rejects the directory:\n{text}",
        s.kind()
    );
}

/// (db, key, DEBUG DIGEST-VALUE) of every key: says which keys differ.
fn per_key(c: &mut Conn) -> Vec<String> {
    let mut out = Vec::new();
    for db in 0..16 {
        c.ok(&["SELECT", &db.to_string()]);
        let mut keys = c.cmd(&["KEYS", "*"]).strings();
        keys.sort();
        for k in keys {
            let d = c.cmd(&["DEBUG", "DIGEST-VALUE", &k]);
            let ttl = c.cmd(&["PEXPIRETIME", &k]);
            out.push(format!("{db} {k} {d:?} {ttl:?}"));
        }
    }
    c.ok(&["SELECT", "0"]);
    out
}

/// What must survive a move: the digest and the pending entries of the groups.
fn state(c: &mut Conn) -> (String, Reply, Reply) {
    (
        digest(c),
        c.cmd(&["XPENDING", "stream:groups", "g1", "-", "+", "10"]),
        c.cmd(&["XINFO", "GROUPS", "stream:groups"]),
    )
}

/// Copies the AOF directory of `src` into a fresh server of kind `to`, which
/// must then hold the same data as `src` itself reloading it (replaying loses
/// some group counters, in Redis too: `entries-read`), and the same digest as
/// before (`want_digest`).
fn load_elsewhere(src: &mut Server, to: Kind, args: &[&str], want_digest: &str, what: &str) {
    check_aof(src);
    let before_keys = per_key(&mut connect_loaded(src));
    src.restart();
    let mut sc = connect_loaded(src);
    let want = state(&mut sc);
    let want_keys = per_key(&mut sc);
    if want.0 != want_digest {
        let diff: Vec<_> = want_keys
            .iter()
            .filter(|k| !before_keys.contains(k))
            .collect();
        let missing: Vec<_> = before_keys
            .iter()
            .filter(|k| !want_keys.contains(k))
            .collect();
        panic!(
            "{} {what}: reloading its own files changed {diff:?} (was {missing:?}); keyspace {:?}",
            src.kind(),
            sc.cmd(&["INFO", "keyspace"]).str_val()
        );
    }
    let mut dst = Server::start(to, &opts(args));
    dst.kill();
    copy_dir(&aof_dir(src), &aof_dir(&dst));
    dst.restart();
    let mut d = connect_loaded(&dst);
    let got = state(&mut d);
    if got.0 != want.0 {
        let got_keys = per_key(&mut d);
        let diff: Vec<_> = got_keys.iter().filter(|k| !want_keys.contains(k)).collect();
        let missing: Vec<_> = want_keys.iter().filter(|k| !got_keys.contains(k)).collect();
        let ks = |c: &mut Conn| c.cmd(&["INFO", "keyspace"]).str_val();
        panic!(
            "{} -> {to} {what}: digests differ; loaded {diff:?}, source {missing:?}; keyspace {:?} / {:?}",
            src.kind(),
            ks(&mut d),
            ks(&mut sc)
        );
    }
    // XPENDING's idle times move on; the rest must be equal.
    assert_eq!(got.0, want.0, "{} -> {to} {what}: digest", src.kind());
    assert_eq!(got.2, want.2, "{} -> {to} {what}: groups", src.kind());
    let ids = |r: &Reply| -> Vec<String> {
        r.array_val()
            .iter()
            .map(|e| {
                format!(
                    "{:?}",
                    (
                        e.array_val()[0].clone(),
                        e.array_val()[1].clone(),
                        e.array_val()[3].clone()
                    )
                )
            })
            .collect()
    };
    assert_eq!(
        ids(&got.1),
        ids(&want.1),
        "{} -> {to} {what}: PEL",
        src.kind()
    );
    d.expect(&["PFCOUNT", "hll"], int(4));
}

#[test]
fn aof_directories_move_between_oxidis_and_redis() {
    if !redis_needed() {
        return;
    }
    for from in [Kind::Oxidis, Kind::Redis] {
        for preamble in ["yes", "no"] {
            let args = [AOF_ON, &["--aof-use-rdb-preamble", preamble]].concat();
            let mut src = Server::start(from, &opts(&args));
            let mut c = connect_loaded(&src);
            // Written as commands in the first incr file.
            crate::persistence::fill(&mut c);
            // A pending entry whose message was deleted does not survive a base
            // written as commands, in Redis either (XCLAIM skips missing IDs).
            c.expect(&["XACK", "stream:groups", "g1", "2-1"], int(1));
            c.ok(&["SELECT", "15"]);
            c.ok(&["SET", "last", "db", "EX", "100000"]);
            c.ok(&["SELECT", "0"]);
            let want = digest(&mut c);
            load_elsewhere(
                &mut src,
                other(from),
                &args,
                &want,
                &format!("preamble {preamble}, incr"),
            );
            let mut c = connect_loaded(&src);
            // In the base written by a rewrite, then more in the new incr file.
            c.expect(
                &["BGREWRITEAOF"],
                status("Background append only file rewriting started"),
            );
            wait_rewrite(&mut c);
            let ext = if preamble == "yes" { "rdb" } else { "aof" };
            let base =
                fs::read(aof_dir(&src).join(format!("appendonly.aof.2.base.{ext}"))).unwrap();
            assert_eq!(base.starts_with(b"REDIS"), preamble == "yes");
            assert_eq!(digest(&mut c), want);
            load_elsewhere(
                &mut src,
                other(from),
                &args,
                &want,
                &format!("preamble {preamble}, base"),
            );
            let mut c = connect_loaded(&src);
            c.expect(&["XACK", "stream:groups", "g1", "1-1"], int(1));
            c.expect(&["LPUSH", "list:big", "new"], int(2001));
            c.ok(&["SELECT", "9"]);
            c.expect(&["DEL", "in9"], int(1));
            c.ok(&["SELECT", "0"]);
            let want3 = digest(&mut c);
            load_elsewhere(
                &mut src,
                other(from),
                &args,
                &want3,
                &format!("preamble {preamble}, base + incr"),
            );
        }
    }
}

// ---------------------------------------------------------------------------
// 3. Truncated and corrupt files
// ---------------------------------------------------------------------------

const INCR1: &str = "appendonly.aof.1.incr.aof";

/// Writes three commands and stops the server: the incr file, and the offsets
/// where its commands end.
fn three_commands(s: &mut Server) -> (Vec<u8>, Vec<usize>) {
    let mut c = connect_loaded(s);
    c.ok(&["SET", "a", "1"]);
    c.ok(&["SET", "b", "2"]);
    c.expect(&["RPUSH", "l", "x", "y"], int(2));
    s.kill();
    let file = fs::read(aof_dir(s).join(INCR1)).unwrap();
    let parts: [&[&str]; 4] = [
        &["SELECT", "0"],
        &["SET", "a", "1"],
        &["SET", "b", "2"],
        &["RPUSH", "l", "x", "y"],
    ];
    assert_eq!(file, aof_text(&parts));
    let mut ends = Vec::new();
    let mut at = 0;
    for p in parts {
        at += cmd_bytes(p).len();
        ends.push(at);
    }
    (file, ends)
}

#[test]
fn a_truncated_last_file_loads_up_to_its_last_complete_command() {
    each_server_with(AOF_ON, |s| {
        let kind = s.kind();
        let (file, ends) = three_commands(s);
        let path = aof_dir(s).join(INCR1);
        let valid = ends[2];
        // Cut in the header, in a length, in an argument, before the final CRLF.
        for cut in [valid + 1, valid + 3, valid + 6, valid + 20, file.len() - 1] {
            s.kill();
            fs::write(&path, &file[..cut]).unwrap();
            let log = refused_start(
                kind,
                s.dir(),
                &[AOF_ON, &["--aof-load-truncated", "no"]].concat(),
            );
            assert!(
                log.contains(&format!("Unexpected end of file reading the append only file {INCR1}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.")),
                "[{kind}] cut {cut}: {log}"
            );
            assert_eq!(
                fs::read(&path).unwrap().len(),
                cut,
                "untouched without aof-load-truncated"
            );
            s.restart();
            let mut c = connect_loaded(s);
            assert_eq!(fs::read(&path).unwrap().len(), valid, "[{kind}] cut {cut}");
            c.expect(&["MGET", "a", "b"], bulks(&["1", "2"]));
            c.expect(&["EXISTS", "l"], int(0));
            let log = s.log();
            assert!(log.contains(&format!(
                "!!! Warning: short read while loading the AOF file {INCR1}!!!"
            )));
            assert!(log.contains(&format!(
                "!!! Truncating the AOF {INCR1} at offset {valid} !!!"
            )));
            assert!(log.contains(&format!(
                "AOF {INCR1} loaded anyway because aof-load-truncated is enabled"
            )));
            // Writes go on after the cut.
            c.ok(&["SET", "c", "3"]);
            s.restart();
            connect_loaded(s).expect(&["MGET", "a", "b", "c"], bulks(&["1", "2", "3"]));
        }
    });
}

#[test]
fn an_open_transaction_at_the_end_is_reverted() {
    each_server_with(AOF_ON, |s| {
        let (mut file, ends) = three_commands(s);
        let path = aof_dir(s).join(INCR1);
        file.extend(aof_text(&[
            &["MULTI"],
            &["SET", "m", "1"],
            &["SET", "n", "2"],
        ]));
        fs::write(&path, &file).unwrap();
        s.restart();
        let mut c = connect_loaded(s);
        assert_eq!(fs::read(&path).unwrap().len(), ends[3]);
        c.expect(&["MGET", "a", "m", "n"], arr(vec![bulk("1"), nil(), nil()]));
        c.expect(&["LLEN", "l"], int(2));
        assert!(s.log().contains(&format!(
            "Revert incomplete MULTI/EXEC transaction in AOF file {INCR1}"
        )));
        // A complete transaction is applied.
        s.kill();
        let mut file = fs::read(&path).unwrap();
        file.extend(aof_text(&[
            &["MULTI"],
            &["SET", "m", "1"],
            &["SET", "n", "2"],
            &["EXEC"],
        ]));
        fs::write(&path, &file).unwrap();
        s.restart();
        connect_loaded(s).expect(&["MGET", "m", "n"], bulks(&["1", "2"]));
    });
}

#[test]
fn truncation_elsewhere_and_garbage_refuse_to_start() {
    each_server_with(AOF_ON, |s| {
        let kind = s.kind();
        let (file, ends) = three_commands(s);
        let dir = aof_dir(s);
        let path = dir.join(INCR1);
        // A truncated file followed by another one.
        fs::write(&path, &file[..ends[3] - 4]).unwrap();
        fs::write(
            dir.join("appendonly.aof.2.incr.aof"),
            aof_text(&[&["SELECT", "0"], &["SET", "z", "1"]]),
        )
        .unwrap();
        let good_manifest = manifest(s);
        fs::write(
            dir.join("appendonly.aof.manifest"),
            format!("{good_manifest}file appendonly.aof.2.incr.aof seq 2 type i\n"),
        )
        .unwrap();
        let log = refused_start(kind, s.dir(), AOF_ON);
        assert!(
            log.contains("Fatal error: the truncated file is not the last file"),
            "[{kind}] {log}"
        );
        fs::write(dir.join("appendonly.aof.manifest"), &good_manifest).unwrap();
        fs::remove_file(dir.join("appendonly.aof.2.incr.aof")).unwrap();
        // Garbage between commands, and at the very end.
        let mut bad = file[..ends[1]].to_vec();
        bad.extend(b"garbage\r\n");
        bad.extend(&file[ends[1]..]);
        for bad in [bad, [&file[..], b"XX"].concat()] {
            fs::write(&path, &bad).unwrap();
            let log = refused_start(kind, s.dir(), AOF_ON);
            assert!(
                log.contains(&format!(
                    "Bad file format reading the append only file {INCR1}"
                )),
                "[{kind}] {log}"
            );
            if kind == Kind::Oxidis {
                // Our message also says where.
                let at = if bad.len() > file.len() + 2 {
                    ends[1]
                } else {
                    file.len()
                };
                assert!(log.contains(&format!("at offset {at}")), "{log}");
            }
            // Never truncated.
            assert_eq!(fs::read(&path).unwrap(), bad);
        }
        // An unknown command.
        fs::write(&path, [&file[..], &cmd_bytes(&["NOSUCHCMD", "x"])].concat()).unwrap();
        let log = refused_start(kind, s.dir(), AOF_ON);
        assert!(
            log.contains(&format!(
                "Unknown command 'NOSUCHCMD' reading the append only file {INCR1}"
            )),
            "[{kind}] {log}"
        );
        fs::write(&path, &file).unwrap();
        s.restart();
        connect_loaded(s).expect(&["LLEN", "l"], int(2));
    });
}

// ---------------------------------------------------------------------------
// 4. BGREWRITEAOF
// ---------------------------------------------------------------------------

fn files(base: u64, incrs: &[u64]) -> String {
    let mut m = format!("file appendonly.aof.{base}.base.rdb seq {base} type b\n");
    for i in incrs {
        m += &format!("file appendonly.aof.{i}.incr.aof seq {i} type i\n");
    }
    m
}

#[test]
fn bgrewriteaof_replaces_the_files_and_keeps_writes_made_meanwhile() {
    each_server_with(AOF_ON, |s| {
        let mut c = connect_loaded(s);
        c.ok(&["SET", "a", "1"]);
        c.expect(
            &["BGREWRITEAOF"],
            status("Background append only file rewriting started"),
        );
        wait_rewrite(&mut c);
        wait_manifest(s, &files(2, &[2]));
        assert_eq!(
            ls(&aof_dir(s)),
            [
                "appendonly.aof.2.base.rdb",
                "appendonly.aof.2.incr.aof",
                "appendonly.aof.manifest"
            ]
        );
        assert_eq!(info(&mut c, "aof_rewrites"), "1");
        assert_eq!(info(&mut c, "aof_last_bgrewrite_status"), "ok");
        assert_eq!(
            info(&mut c, "aof_base_size"),
            info(&mut c, "aof_current_size")
        );
        assert_eq!(
            fs::metadata(aof_dir(s).join("appendonly.aof.2.incr.aof"))
                .unwrap()
                .len(),
            0
        );

        // A slow rewrite (20 keys, 50 ms each) with writes while it runs.
        c.ok(&["DEBUG", "POPULATE", "20"]);
        c.ok(&["CONFIG", "SET", "rdb-key-save-delay", "50000"]);
        c.expect(
            &["BGREWRITEAOF"],
            status("Background append only file rewriting started"),
        );
        assert_eq!(info(&mut c, "aof_rewrite_in_progress"), "1");
        assert_eq!(manifest(s), files(2, &[2, 3]));
        c.expect_err(
            &["BGREWRITEAOF"],
            "ERR Background append only file rewriting already in progress",
        );
        c.expect_err(&["BGSAVE"], "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
        c.expect(
            &["BGSAVE", "SCHEDULE"],
            status("Background saving scheduled"),
        );
        c.ok(&["SET", "during", "1"]);
        c.expect(&["DEL", "key:3"], int(1));
        c.expect(&["INCR", "a"], int(2));
        c.ok(&["SELECT", "3"]);
        c.ok(&["SET", "in3", "x"]);
        c.ok(&["SELECT", "0"]);
        let incr3 = aof_dir(s).join("appendonly.aof.3.incr.aof");
        let want = aof_text(&[
            &["SELECT", "0"],
            &["SET", "during", "1"],
            &["DEL", "key:3"],
            &["INCR", "a"],
            &["SELECT", "3"],
            &["SET", "in3", "x"],
        ]);
        assert_eq!(fs::read(&incr3).unwrap(), want);
        wait_rewrite(&mut c);
        c.ok(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
        assert!(poll_until(secs(10), || info(
            &mut c,
            "rdb_bgsave_in_progress"
        ) == "0"
            && s.dir().join("dump.rdb").is_file()));
        assert_eq!(manifest(s), files(3, &[3]));
        assert_eq!(
            ls(&aof_dir(s)),
            [
                "appendonly.aof.3.base.rdb",
                "appendonly.aof.3.incr.aof",
                "appendonly.aof.manifest"
            ]
        );
        let before = digest(&mut c);
        s.restart();
        let mut c = connect_loaded(s);
        assert_eq!(digest(&mut c), before);
        c.expect(
            &["MGET", "a", "during", "key:3", "key:4"],
            arr(vec![bulk("2"), bulk("1"), nil(), bulk("value:4")]),
        );
    });
}

/// With aof-disable-auto-gc the replaced files stay, listed as history
/// (newest first); turning it off deletes them.
#[test]
fn history_files_with_and_without_auto_gc() {
    each_server_with(&[AOF_ON, &["--aof-disable-auto-gc", "yes"]].concat(), |s| {
        let mut c = connect_loaded(s);
        for i in 0..2 {
            c.ok(&["SET", "k", &i.to_string()]);
            c.expect(
                &["BGREWRITEAOF"],
                status("Background append only file rewriting started"),
            );
            wait_rewrite(&mut c);
        }
        assert_eq!(
            manifest(s),
            "file appendonly.aof.3.base.rdb seq 3 type b\n\
             file appendonly.aof.2.incr.aof seq 2 type h\n\
             file appendonly.aof.2.base.rdb seq 2 type h\n\
             file appendonly.aof.1.incr.aof seq 1 type h\n\
             file appendonly.aof.1.base.rdb seq 1 type h\n\
             file appendonly.aof.3.incr.aof seq 3 type i\n"
        );
        assert_eq!(ls(&aof_dir(s)).len(), 7);
        c.ok(&["CONFIG", "SET", "aof-disable-auto-gc", "no"]);
        wait_for(secs(5), || manifest(s) == files(3, &[3]));
        assert_eq!(
            ls(&aof_dir(s)),
            [
                "appendonly.aof.3.base.rdb",
                "appendonly.aof.3.incr.aof",
                "appendonly.aof.manifest"
            ]
        );
        s.restart();
        connect_loaded(s).expect(&["GET", "k"], bulk("1"));
    });
}

/// A manifest listing only history: no dataset; a new base is created and
/// the history files are deleted at startup.
#[test]
fn a_manifest_of_history_only_starts_empty() {
    each_server_with(AOF_ON, |s| {
        let mut c = connect_loaded(s);
        c.ok(&["SET", "k", "v"]);
        s.kill();
        let dir = aof_dir(s);
        fs::rename(
            dir.join("appendonly.aof.1.base.rdb"),
            dir.join("appendonly.aof.5.base.rdb"),
        )
        .unwrap();
        fs::rename(dir.join(INCR1), dir.join("appendonly.aof.5.incr.aof")).unwrap();
        fs::write(
            dir.join("appendonly.aof.manifest"),
            "file appendonly.aof.5.base.rdb seq 5 type h\nfile appendonly.aof.5.incr.aof seq 5 type h\n",
        )
        .unwrap();
        s.restart();
        connect_loaded(s).expect(&["DBSIZE"], int(0));
        assert_eq!(manifest(s), files(1, &[1]));
        assert_eq!(
            ls(&dir),
            [
                "appendonly.aof.1.base.rdb",
                "appendonly.aof.1.incr.aof",
                "appendonly.aof.manifest"
            ]
        );
    });
}

#[test]
fn bgrewriteaof_during_bgsave_is_scheduled() {
    each_server_with(AOF_ON, |s| {
        let mut c = connect_loaded(s);
        c.ok(&["DEBUG", "POPULATE", "10"]);
        c.ok(&["CONFIG", "SET", "rdb-key-save-delay", "50000"]);
        c.expect(&["BGSAVE"], status("Background saving started"));
        c.expect(
            &["BGREWRITEAOF"],
            status("Background append only file rewriting scheduled"),
        );
        assert_eq!(info(&mut c, "aof_rewrite_scheduled"), "1");
        assert_eq!(info(&mut c, "aof_pending_rewrite"), "1");
        c.ok(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
        wait_rewrite(&mut c);
        assert_eq!(info(&mut c, "aof_rewrites"), "1");
        assert_eq!(manifest(s), files(2, &[2]));
        // Inside a transaction too.
        c.ok(&["MULTI"]);
        c.expect(&["BGREWRITEAOF"], status("QUEUED"));
        c.expect(
            &["EXEC"],
            arr(vec![status(
                "Background append only file rewriting scheduled",
            )]),
        );
        wait_rewrite(&mut c);
        wait_manifest(s, &files(3, &[3]));
    });
}

#[test]
fn bgrewriteaof_with_the_aof_off_leaves_a_base_only() {
    each_server_with(AOF_ON, |s| {
        let mut c = connect_loaded(s);
        c.ok(&["SET", "a", "1"]);
        c.ok(&["CONFIG", "SET", "appendonly", "no"]);
        c.ok(&["SET", "b", "2"]);
        assert_eq!(info(&mut c, "aof_enabled"), "0");
        c.expect(
            &["BGREWRITEAOF"],
            status("Background append only file rewriting started"),
        );
        wait_rewrite(&mut c);
        assert_eq!(manifest(s), "file appendonly.aof.2.base.rdb seq 2 type b\n");
        assert_eq!(
            ls(&aof_dir(s)),
            ["appendonly.aof.2.base.rdb", "appendonly.aof.manifest"]
        );
        // Started with appendonly yes again: the base is the whole dataset.
        s.restart();
        let mut c = connect_loaded(s);
        c.expect(&["MGET", "a", "b"], bulks(&["1", "2"]));
        assert_eq!(manifest(s), files(2, &[1]));
    });
}

#[test]
fn the_aof_is_rewritten_automatically_when_it_grows() {
    each_server_with(AOF_ON, |s| {
        let mut c = connect_loaded(s);
        c.ok(&["CONFIG", "SET", "auto-aof-rewrite-min-size", "4096"]);
        c.ok(&["CONFIG", "SET", "auto-aof-rewrite-percentage", "100"]);
        // Values LZF cannot shrink, so the new base is as big as the data.
        let mut g = Gen(12345);
        let big: String = (0..1000)
            .map(|_| (b'!' + g.below(90) as u8) as char)
            .collect();
        for i in 0..3 {
            c.ok(&["SET", &format!("k{i}"), &big]);
        }
        // Under the minimum size: nothing yet.
        std::thread::sleep(millis(300));
        assert_eq!(info(&mut c, "aof_rewrites"), "0");
        for i in 3..6 {
            c.ok(&["SET", &format!("k{i}"), &big]);
        }
        assert!(
            poll_until(secs(10), || info(&mut c, "aof_rewrites") == "1"),
            "no automatic rewrite"
        );
        wait_rewrite(&mut c);
        assert!(s.log().contains("Starting automatic rewriting of AOF on"));
        let base = info(&mut c, "aof_base_size").parse::<u64>().unwrap();
        assert_eq!(info(&mut c, "aof_current_size"), base.to_string());
        assert!(base > 6000, "{base}");
        assert_eq!(manifest(s), files(2, &[2]));
        // Writes count from the new base: no second rewrite for a little growth.
        // (The new incr file may already hold the last SETs, if the rewrite
        // started before them.)
        let incr2 = aof_dir(s).join("appendonly.aof.2.incr.aof");
        let before = fs::metadata(&incr2).unwrap().len();
        c.ok(&["SET", "k9", "v"]);
        std::thread::sleep(millis(300));
        assert_eq!(info(&mut c, "aof_rewrites"), "1");
        let grown = fs::metadata(&incr2).unwrap().len() - before;
        assert!(grown == 28 || grown == 51, "{grown}");
        assert_eq!(
            info(&mut c, "aof_current_size").parse::<u64>().unwrap(),
            base + grown
        );
    });
}

const AOF_INFO_ALWAYS: &[&str] = &[
    "aof_enabled",
    "aof_rewrite_in_progress",
    "aof_rewrite_scheduled",
    "aof_last_rewrite_time_sec",
    "aof_current_rewrite_time_sec",
    "aof_last_bgrewrite_status",
    "aof_rewrites",
    "aof_rewrites_consecutive_failures",
    "aof_last_write_status",
    "aof_last_cow_size",
];
const AOF_INFO_WHEN_ON: &[&str] = &[
    "aof_current_size",
    "aof_base_size",
    "aof_pending_rewrite",
    "aof_buffer_length",
    "aof_pending_bio_fsync",
    "aof_delayed_fsync",
];

fn aof_info_fields(c: &mut Conn) -> Vec<(String, String)> {
    parse_info(&c.cmd(&["INFO", "persistence"]).str_val())
        .into_iter()
        .filter(|(_, k, _)| k.starts_with("aof_"))
        .map(|(_, k, v)| (k, v))
        .collect()
}

#[test]
fn info_persistence_aof_fields() {
    each_server_with(AOF_ON, |s| {
        let mut c = connect_loaded(s);
        let on = aof_info_fields(&mut c);
        let names: Vec<&str> = on.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, [AOF_INFO_ALWAYS, AOF_INFO_WHEN_ON].concat());
        let values: Vec<&str> = on.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(
            values,
            ["1", "0", "0", "-1", "-1", "ok", "0", "0", "ok", "0", "0", "0", "0", "0", "0", "0"]
        );
        c.ok(&["SET", "k", "v"]);
        assert_eq!(info(&mut c, "aof_current_size"), (23 + 27).to_string());
        // The base written at startup is not counted.
        assert_eq!(info(&mut c, "aof_base_size"), "0");
        c.ok(&["CONFIG", "SET", "appendonly", "no"]);
        let off = aof_info_fields(&mut c);
        let names: Vec<&str> = off.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, AOF_INFO_ALWAYS);
        assert_eq!(off[0].1, "0");
        s.restart();
        // Restarted: the base is what was loaded from the base file.
        let mut c = connect_loaded(s);
        let base_file = fs::metadata(aof_dir(s).join("appendonly.aof.1.base.rdb"))
            .unwrap()
            .len();
        assert_eq!(info(&mut c, "aof_base_size"), base_file.to_string());
        assert_eq!(
            info(&mut c, "aof_current_size"),
            (base_file + 50).to_string()
        );
    });
}

// ---------------------------------------------------------------------------
// 5. CONFIG SET appendonly at runtime
// ---------------------------------------------------------------------------

#[test]
fn appendonly_turned_on_at_runtime() {
    // Started with appendonly yes (so restarts load the AOF), turned off and the
    // directory removed: a server that never had an AOF.
    each_server_with(AOF_ON, |s| {
        let mut c = connect_loaded(s);
        c.ok(&["CONFIG", "SET", "appendonly", "no"]);
        fs::remove_dir_all(aof_dir(s)).unwrap();
        c.ok(&["DEBUG", "POPULATE", "20"]);
        c.ok(&["CONFIG", "SET", "rdb-key-save-delay", "50000"]);
        c.ok(&["CONFIG", "SET", "appendonly", "yes"]);
        assert_eq!(info(&mut c, "aof_enabled"), "1");
        assert_eq!(info(&mut c, "aof_rewrite_in_progress"), "1");
        // Until the base is written: a temporary incr file, no manifest.
        assert_eq!(ls(&aof_dir(s)), ["temp-appendonly.aof.incr"]);
        c.ok(&["SET", "during", "1"]);
        c.expect(&["DEL", "key:7"], int(1));
        let want = aof_text(&[&["SELECT", "0"], &["SET", "during", "1"], &["DEL", "key:7"]]);
        assert_eq!(
            fs::read(aof_dir(s).join("temp-appendonly.aof.incr")).unwrap(),
            want
        );
        wait_rewrite(&mut c);
        c.ok(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
        // The sequence numbers go on from the manifest the server knew (seq 1),
        // though its files were removed.
        assert_eq!(manifest(s), files(2, &[2]));
        assert_eq!(
            ls(&aof_dir(s)),
            [
                "appendonly.aof.2.base.rdb",
                "appendonly.aof.2.incr.aof",
                "appendonly.aof.manifest"
            ]
        );
        assert_eq!(
            fs::read(aof_dir(s).join("appendonly.aof.2.incr.aof")).unwrap(),
            want
        );
        assert_eq!(info(&mut c, "aof_rewrites"), "1");
        c.ok(&["SET", "after", "2"]);
        let before = digest(&mut c);
        s.restart();
        let mut c = connect_loaded(s);
        assert_eq!(digest(&mut c), before);
        c.expect(&["DBSIZE"], int(21));

        // Off, a write the AOF does not see, on again: a new base holds it.
        c.ok(&["CONFIG", "SET", "appendonly", "no"]);
        c.ok(&["SET", "unlogged", "3"]);
        c.ok(&["CONFIG", "SET", "appendonly", "yes"]);
        wait_rewrite(&mut c);
        wait_manifest(s, &files(3, &[3]));
        assert_eq!(
            ls(&aof_dir(s)),
            [
                "appendonly.aof.3.base.rdb",
                "appendonly.aof.3.incr.aof",
                "appendonly.aof.manifest"
            ]
        );
        let before = digest(&mut c);
        s.restart();
        let mut c = connect_loaded(s);
        assert_eq!(digest(&mut c), before);
        c.expect(&["GET", "unlogged"], bulk("3"));
    });
}

/// CONFIG SET appendonly yes while a rewrite started with the AOF off runs:
/// that one stops and a new one starts, whose incr file gets the writes.
#[test]
fn appendonly_turned_on_during_a_rewrite_of_the_aof_off() {
    each_server_with(AOF_ON, |s| {
        let mut c = connect_loaded(s);
        c.ok(&["CONFIG", "SET", "appendonly", "no"]);
        c.ok(&["DEBUG", "POPULATE", "20"]);
        c.ok(&["CONFIG", "SET", "rdb-key-save-delay", "50000"]);
        c.expect(
            &["BGREWRITEAOF"],
            status("Background append only file rewriting started"),
        );
        c.ok(&["CONFIG", "SET", "appendonly", "yes"]);
        assert_eq!(info(&mut c, "aof_rewrite_in_progress"), "1");
        c.ok(&["SET", "during", "1"]);
        wait_rewrite(&mut c);
        c.ok(&["CONFIG", "SET", "rdb-key-save-delay", "0"]);
        assert_eq!(manifest(s), files(2, &[2]));
        assert_eq!(
            fs::read(aof_dir(s).join("appendonly.aof.2.incr.aof")).unwrap(),
            aof_text(&[&["SELECT", "0"], &["SET", "during", "1"]])
        );
        let before = digest(&mut c);
        s.restart();
        assert_eq!(digest(&mut connect_loaded(s)), before);
    });
}

// ---------------------------------------------------------------------------
// 6. Crash safety
// ---------------------------------------------------------------------------

/// A client writing as fast as it can: per iteration `INCR ctr:<i>` then
/// `RPUSH list:<i> <n>`, recording what was acknowledged, until the connection drops.
struct Writer {
    incrs: u64,
    pushes: Vec<Instant>,
}

fn write_until_killed(port: u16, i: usize, start: u64) -> Writer {
    use std::io::{BufRead, BufReader, Write};
    let mut w = Writer {
        incrs: 0,
        pushes: Vec::new(),
    };
    let Ok(stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else {
        return w;
    };
    let mut out = stream.try_clone().unwrap();
    let mut input = BufReader::new(stream);
    let mut line = String::new();
    let mut ack = |out: &mut std::net::TcpStream, args: &[&str]| -> bool {
        line.clear();
        out.write_all(&encode_cmd(args)).is_ok()
            && matches!(input.read_line(&mut line), Ok(n) if n > 0)
            && line.starts_with(':')
    };
    for n in start.. {
        if !ack(&mut out, &["INCR", &format!("ctr:{i}")]) {
            break;
        }
        w.incrs += 1;
        if !ack(&mut out, &["RPUSH", &format!("list:{i}"), &n.to_string()]) {
            break;
        }
        w.pushes.push(Instant::now());
    }
    w
}

fn crash_rounds(fsync: &str) {
    const CLIENTS: usize = 4;
    each_server_with(&["--appendonly", "yes", "--appendfsync", fsync], |s| {
        let mut rng = Gen(0x9e37_79b9_7f4a_7c15 ^ s.port() as u64);
        // What the server held when the round started.
        let mut ctrs = [0u64; CLIENTS];
        let mut lens = [0u64; CLIENTS];
        for round in 0..6 {
            let port = s.port();
            let threads: Vec<_> = (0..CLIENTS)
                .map(|i| {
                    let start = lens[i] + 1;
                    std::thread::spawn(move || write_until_killed(port, i, start))
                })
                .collect();
            std::thread::sleep(millis(150 + rng.below(400)));
            s.kill();
            let killed_at = Instant::now();
            let results: Vec<Writer> = threads.into_iter().map(|t| t.join().unwrap()).collect();
            s.restart();
            let mut c = connect_loaded(s);
            for (i, w) in results.iter().enumerate() {
                let ctr = c.cmd(&["GET", &format!("ctr:{i}")]);
                let ctr: u64 = ctr.as_str().map_or(0, |v| v.parse().unwrap());
                let list = c
                    .cmd(&["LRANGE", &format!("list:{i}"), "0", "-1"])
                    .strings();
                let len = list.len() as u64;
                // No holes, nothing invented.
                let want: Vec<String> = (1..=len).map(|n| n.to_string()).collect();
                assert_eq!(list, want, "round {round} client {i}");
                let acked_ctr = ctrs[i] + w.incrs;
                let acked_len = lens[i] + w.pushes.len() as u64;
                // At most the one command in flight may have been applied too.
                assert!(
                    ctr <= acked_ctr + 1,
                    "round {round} client {i}: ctr {ctr} > {acked_ctr} + 1"
                );
                assert!(len <= acked_len + 1, "round {round} client {i}");
                if fsync == "always" {
                    assert!(
                        ctr >= acked_ctr,
                        "round {round} client {i}: lost INCRs ({ctr} < {acked_ctr})"
                    );
                    assert!(
                        len >= acked_len,
                        "round {round} client {i}: lost RPUSHes ({len} < {acked_len})"
                    );
                } else {
                    // everysec: at most the last ~2 s of acknowledged writes.
                    let lost = w.pushes.iter().skip((len - lens[i].min(len)) as usize);
                    for t in lost {
                        assert!(
                            killed_at.duration_since(*t) < secs(3),
                            "round {round} client {i}: an old write was lost"
                        );
                    }
                }
                ctrs[i] = ctr;
                lens[i] = len;
            }
            c.expect(&["DBSIZE"], int(2 * CLIENTS as i64));
        }
        assert!(lens.iter().sum::<u64>() > 100, "too few writes: {lens:?}");
    });
}

#[test]
fn acknowledged_writes_survive_sigkill_with_fsync_always() {
    crash_rounds("always");
}

#[test]
fn at_most_two_seconds_are_lost_on_sigkill_with_fsync_everysec() {
    crash_rounds("everysec");
}

// ---------------------------------------------------------------------------
// 7. Write errors
// ---------------------------------------------------------------------------

fn set_fsize(pid: u32, limit: &str) {
    let st = Command::new("prlimit")
        .arg("--pid")
        .arg(pid.to_string())
        .arg(format!("--fsize={limit}:unlimited"))
        .status()
        .expect("run prlimit");
    assert!(st.success());
}

/// A file size limit makes writes to the AOF fail. Oxidis only: redis-server
/// does not ignore SIGXFSZ, so the limit kills it instead (checked by hand).
#[test]
fn write_errors_refuse_writes_until_the_aof_can_be_written_again() {
    if find_in_path("prlimit").is_none() {
        return;
    }
    let opts = ServerOpts {
        args: ["--appendonly", "yes", "--appendfsync", "everysec"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        conf: None,
    };
    let mut s = Server::start(Kind::Oxidis, &opts);
    let mut c = connect_loaded(&s);
    c.ok(&["SET", "a", "1"]);
    let incr = aof_dir(&s).join(INCR1);
    let size = {
        let incr = incr.clone();
        move || fs::metadata(&incr).unwrap().len()
    };
    wait_for(secs(3), || size() == 50);
    let pid = s.pid().unwrap();
    // No room at all: the write fails (EFBIG). Some room: a short write, which
    // Redis reports as ENOSPC.
    for (room, reason) in [(0, "File too large"), (10, "No space left on device")] {
        let at = size();
        set_fsize(pid, &(at + room).to_string());
        // The command ran; its write to the AOF fails after it.
        c.ok(&["SET", "b", "a value long enough to be cut by the limit"]);
        let misconf = format!("MISCONF Errors writing to the AOF file: {reason}");
        wait_for(secs(3), || info(&mut c, "aof_last_write_status") == "err");
        c.expect_err(&["SET", "c", "3"], &misconf);
        c.expect_err(&["PING"], &misconf);
        c.expect(
            &["GET", "b"],
            bulk("a value long enough to be cut by the limit"),
        );
        // Nothing half-written stays in the file.
        assert_eq!(fs::metadata(&incr).unwrap().len(), at);
        set_fsize(pid, "unlimited");
        wait_for(secs(5), || info(&mut c, "aof_last_write_status") == "ok");
        assert!(s
            .log()
            .contains("AOF write error looks solved, Redis can write again."));
        c.expect(&["INCR", "n"], int(if room == 0 { 1 } else { 2 }));
        wait_for(secs(3), || size() > at);
    }
    let before = digest(&mut c);
    s.restart();
    let mut c = connect_loaded(&s);
    assert_eq!(digest(&mut c), before);
    c.expect(
        &["MGET", "b", "n"],
        bulks(&["a value long enough to be cut by the limit", "2"]),
    );

    // Under appendfsync always a write error stops the server, before any reply.
    c.ok(&["CONFIG", "SET", "appendfsync", "always"]);
    set_fsize(s.pid().unwrap(), &size().to_string());
    c.send(&["SET", "lost", "1"]);
    c.assert_closed();
    assert_eq!(s.wait_exit(secs(5)).and_then(|st| st.code()), Some(1));
    // (Its log line is lost: the log file, bigger than the limit, cannot be
    // written either.)
    s.restart();
    let mut c = connect_loaded(&s);
    c.expect(&["GET", "lost"], nil());
    assert_eq!(digest(&mut c), before);
}

// ---------------------------------------------------------------------------
// 8. DEBUG LOADAOF, SHUTDOWN, SIGTERM, appendfsync no
// ---------------------------------------------------------------------------

#[test]
fn debug_loadaof_reloads_what_the_files_hold() {
    each_server_with(AOF_ON, |s| {
        let mut c = connect_loaded(s);
        crate::persistence::fill(&mut c);
        let before = digest(&mut c);
        c.ok(&["DEBUG", "LOADAOF"]);
        assert_eq!(digest(&mut c), before);
        assert!(s.log().contains("Append Only File loaded by DEBUG LOADAOF"));
        c.expect(
            &["BGREWRITEAOF"],
            status("Background append only file rewriting started"),
        );
        wait_rewrite(&mut c);
        c.ok(&["SET", "after", "rewrite"]);
        let before = digest(&mut c);
        c.ok(&["DEBUG", "LOADAOF"]);
        assert_eq!(digest(&mut c), before);
        // With the AOF off, what the files hold wins: later writes are gone.
        c.ok(&["CONFIG", "SET", "appendonly", "no"]);
        c.ok(&["SET", "unlogged", "1"]);
        c.ok(&["DEBUG", "LOADAOF"]);
        c.expect(&["EXISTS", "unlogged"], int(0));
        assert_eq!(digest(&mut c), before);
        assert_eq!(info(&mut c, "rdb_changes_since_last_save"), "0");
    });
}

#[test]
fn shutdown_and_sigterm_write_everything_with_appendfsync_no() {
    each_server_with(&["--appendonly", "yes", "--appendfsync", "no"], |s| {
        for how in ["SHUTDOWN", "SIGTERM"] {
            let mut c = connect_loaded(s);
            for i in 0..100 {
                c.ok(&["SET", &format!("{how}:{i}"), &i.to_string()]);
            }
            let before = digest(&mut c);
            if how == "SHUTDOWN" {
                c.send(&["SHUTDOWN", "NOSAVE"]);
                c.assert_closed();
            } else {
                s.signal("TERM");
            }
            assert_eq!(s.wait_exit(secs(10)).and_then(|st| st.code()), Some(0));
            let incr = fs::read(aof_dir(s).join(INCR1)).unwrap();
            assert!(incr.ends_with(&cmd_bytes(&["SET", &format!("{how}:99"), "99"])));
            s.restart();
            assert_eq!(digest(&mut connect_loaded(s)), before);
        }
    });
}

#[test]
fn annotations_in_the_aof_are_skipped() {
    each_server_with(AOF_ON, |s| {
        let mut c = connect_loaded(s);
        c.ok(&["CONFIG", "SET", "aof-timestamp-enabled", "yes"]);
        c.ok(&["SET", "a", "1"]);
        let incr = fs::read(aof_dir(s).join(INCR1)).unwrap();
        // One annotation line, then the commands.
        let text = String::from_utf8_lossy(&incr).into_owned();
        let (ts, rest) = text.split_once("\r\n").unwrap();
        assert!(ts.starts_with("#TS:"), "{text}");
        let secs: i64 = ts["#TS:".len()..].parse().unwrap();
        assert!((secs - unix_now() as i64).abs() < 10, "{text}");
        assert!(rest.starts_with("*2\r\n$6\r\nSELECT"), "{text}");
        s.kill();
        let mut text = incr.clone();
        text.extend(b"#any annotation\r\n");
        text.extend(cmd_bytes(&["SET", "b", "2"]));
        fs::write(aof_dir(s).join(INCR1), &text).unwrap();
        s.restart();
        connect_loaded(s).expect(&["MGET", "a", "b"], bulks(&["1", "2"]));
    });
}

/// A key past its deadline stays in an RDB base when the AOF is loaded (keys do
/// not expire during the load), so a later command in the incremental file
/// changes it rather than creating it anew without a deadline.
#[test]
fn an_expired_key_in_the_base_is_not_brought_back_by_later_commands() {
    each_server_with(AOF_ON, |s| {
        let mut c = connect_loaded(s);
        // No active expiry: no DEL reaches the AOF before the kill.
        c.ok(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]);
        c.ok(&["SET", "s", "v", "PX", "1500"]);
        c.expect(&["HSET", "h", "f", "1"], int(1));
        c.expect(&["PEXPIRE", "h", "1500"], int(1));
        c.expect(
            &["BGREWRITEAOF"],
            status("Background append only file rewriting started"),
        );
        wait_rewrite(&mut c);
        c.expect(&["APPEND", "s", "x"], int(2));
        c.expect(&["HINCRBY", "h", "f", "1"], int(2));
        s.kill();
        std::thread::sleep(secs(2));
        s.restart();
        let mut c = connect_loaded(s);
        // Loaded with their deadlines, then expired: not there.
        c.expect(&["GET", "s"], nil());
        c.expect(&["EXISTS", "h"], int(0));
    });
}

/// SHUTDOWN is refused while the first rewrite after turning the AOF on runs
/// (there would be no AOF to start from), unless FORCE.
#[test]
fn shutdown_waits_for_the_initial_aof() {
    each_server(|s| {
        let mut c = connect_loaded(s);
        c.ok(&["DEBUG", "POPULATE", "20"]);
        c.ok(&["CONFIG", "SET", "rdb-key-save-delay", "200000"]);
        c.ok(&["CONFIG", "SET", "appendonly", "yes"]);
        assert_eq!(info(&mut c, "aof_rewrite_in_progress"), "1");
        c.expect_err(&["SHUTDOWN"], "ERR Errors trying to SHUTDOWN. Check logs.");
        c.expect(&["PING"], status("PONG"));
        assert!(s.log().contains("Writing initial AOF, can't exit."));
        c.send(&["SHUTDOWN", "FORCE"]);
        assert!(
            s.wait_exit(secs(10)).is_some(),
            "[{}] did not exit",
            s.kind()
        );
    });
}
