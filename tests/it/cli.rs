//! The command line, as redis-server has it: version, help, config errors naming
//! the line and directive (exit status 1), a config file plus --directive overrides,
//! and a unix socket listener.

use crate::support::*;
use std::io::{Read, Write};
use std::process::{Command, Output};

/// Runs each available binary (oxidis, and redis-server when installed) with `args`
/// and hands the output to `check`.
fn each_binary(args: &[&str], stdin: Option<&str>, check: impl Fn(&str, &Output)) {
    let mut bins = vec![("oxidis", oxidis_bin())];
    match redis_bin() {
        Some(r) => bins.push(("redis", r)),
        None => assert!(
            !require_redis(),
            "REQUIRE_REDIS=1 but redis-server is missing"
        ),
    }
    for (name, bin) in bins {
        let mut child = Command::new(&bin)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn server binary");
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        } else {
            drop(child.stdin.take());
        }
        let out = child.wait_with_output().expect("wait for server binary");
        check(name, &out);
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn version_and_help() {
    each_binary(&["--version"], None, |name, out| {
        assert_eq!(out.status.code(), Some(0), "{name}");
        assert!(text(out).contains(" v="), "{name}: {}", text(out));
    });
    each_binary(&["-v"], None, |name, out| {
        assert_eq!(out.status.code(), Some(0), "{name}");
    });
    each_binary(&["--help"], None, |name, out| {
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(text(out).contains("Usage:"), "{name}: {}", text(out));
    });
}

#[test]
fn bad_directive_on_command_line() {
    each_binary(&["--nosuchdirective", "1"], None, |name, out| {
        assert_eq!(out.status.code(), Some(1), "{name}");
        let t = text(out);
        assert!(t.contains("*** FATAL CONFIG FILE ERROR"), "{name}: {t}");
        assert!(t.contains(">>> 'nosuchdirective \"1\"'"), "{name}: {t}");
        assert!(
            t.contains("Bad directive or wrong number of arguments"),
            "{name}: {t}"
        );
    });
}

#[test]
fn bad_value_in_config_file_names_the_line() {
    let dir = std::env::temp_dir().join(format!("oxidis-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let conf = dir.join("bad.conf");
    std::fs::write(&conf, "# comment\nport 6399\ntimeout abc\n").unwrap();
    each_binary(&[conf.to_str().unwrap()], None, |name, out| {
        assert_eq!(out.status.code(), Some(1), "{name}");
        let t = text(out);
        assert!(
            t.contains("Reading the configuration file, at line 3"),
            "{name}: {t}"
        );
        assert!(t.contains(">>> 'timeout abc'"), "{name}: {t}");
        assert!(
            t.contains("argument couldn't be parsed into an integer"),
            "{name}: {t}"
        );
    });
    // Config from stdin ("-") is read too.
    each_binary(&["-"], Some("databases 0\n"), |name, out| {
        assert_eq!(out.status.code(), Some(1), "{name}");
        let t = text(out);
        assert!(t.contains(">>> 'databases 0'"), "{name}: {t}");
        assert!(
            t.contains("argument must be between 1 and 2147483647 inclusive"),
            "{name}: {t}"
        );
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn file_then_command_line_overrides() {
    let conf = "enable-debug-command yes\nsave \"\"\ntimeout 5\nhz 11\n";
    each_server_with_conf(conf, &["--hz", "12", "--databases", "4"], |s| {
        let mut c = s.connect();
        c.expect(&["CONFIG", "GET", "timeout"], bulks(&["timeout", "5"]));
        c.expect(&["CONFIG", "GET", "hz"], bulks(&["hz", "12"]));
        c.expect(&["SELECT", "3"], ok());
        c.expect(&["SELECT", "4"], err("ERR DB index is out of range"));
    });
}

#[test]
fn unix_socket_listener() {
    let path = std::env::temp_dir().join(format!("oxidis-it-{}.sock", std::process::id()));
    let p = path.to_str().unwrap().to_string();
    each_server_with(&["--unixsocket", &p, "--unixsocketperm", "700"], |s| {
        let mut u = std::os::unix::net::UnixStream::connect(&p).expect("connect unix socket");
        u.write_all(b"*1\r\n$4\r\nPING\r\n").unwrap();
        let mut buf = [0u8; 7];
        u.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"+PONG\r\n", "{:?}", s.kind());
        u.write_all(b"*2\r\n$6\r\nCLIENT\r\n$4\r\nINFO\r\n")
            .unwrap();
        let mut reply = vec![0u8; 4096];
        let n = u.read(&mut reply).unwrap();
        let text = String::from_utf8_lossy(&reply[..n]).to_string();
        assert!(text.contains(&format!("addr={p}:0")), "{text}");
        assert!(text.contains("flags=U"), "{text}");
        // TCP keeps working alongside.
        s.connect().expect(&["PING"], status("PONG"));
    });
}
