//! The append-only file (Redis 7's multi-part layout): the files written at
//! startup and by rewrites, loading (upgrades, manifests, truncation), files
//! moving between oxidis and redis-server both ways, runtime CONFIG SET
//! appendonly, crash safety under SIGKILL, write errors, DEBUG LOADAOF.

use crate::support::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

fn digest(c: &mut Conn) -> String {
    let d = c.cmd(&["DEBUG", "DIGEST"]).str_val();
    assert_eq!(d.len(), 40);
    d
}

fn info(c: &mut Conn, field: &str) -> String {
    let text = c.cmd(&["INFO", "persistence"]).str_val();
    info_field(&text, field).unwrap_or_default()
}

/// Waits for a running or scheduled rewrite to complete.
fn wait_rewrite(c: &mut Conn) {
    assert!(
        poll_until(secs(30), || info(c, "aof_rewrite_in_progress") == "0"
            && info(c, "aof_rewrite_scheduled") == "0"),
        "the AOF rewrite did not finish"
    );
}

fn other(kind: Kind) -> Kind {
    match kind {
        Kind::Oxidis => Kind::Redis,
        Kind::Redis => Kind::Oxidis,
    }
}

fn redis_needed() -> bool {
    if redis_bin().is_some() {
        return true;
    }
    assert!(
        !require_redis(),
        "redis-server not found on PATH but REQUIRE_REDIS=1"
    );
    false
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
        let mut c = s.connect();
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
        let mut c = s.connect();
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
        let mut c = s.connect();
        for i in 0..3 {
            c.ok(&["SET", &format!("k{i}"), "v"]);
        }
        c.ok(&["SAVE"]);
        assert!(s.dir().join("dump.rdb").is_file());
        s.kill();
        fs::remove_dir_all(aof_dir(s)).unwrap();
        s.restart();
        let mut c = s.connect();
        c.expect(&["DBSIZE"], int(0));
        assert_eq!(ls(&aof_dir(s)).len(), 3);
    });
}

/// A single-file AOF of Redis < 7 (`appendonly.aof` in `dir`) moves into the
/// directory as the base, plain commands or with an RDB preamble.
#[test]
fn an_old_single_file_aof_is_upgraded() {
    each_server_with(AOF_ON, |s| {
        let mut c = s.connect();
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
        let mut c = s.connect();
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
        let mut c = s.connect();
        c.expect(&["GET", "after"], bulk("upgrade"));
        c.expect(&["GET", "a"], bulk("1"));
        s.kill();

        // An RDB preamble followed by commands.
        fs::remove_dir_all(aof_dir(s)).unwrap();
        let mut old = rdb.clone();
        old.extend(aof_text(&[&["SELECT", "0"], &["SET", "tail", "t"]]));
        fs::write(s.dir().join("appendonly.aof"), &old).unwrap();
        s.restart();
        let mut c = s.connect();
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
        let mut c = s.connect();
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
        let mut c = s.connect();
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
        s.connect().expect(&["GET", "k"], bulk("v"));
    });
}
