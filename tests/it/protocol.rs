//! Wire protocol: pipelining, partial reads, inline commands, protocol
//! errors, limits, and redis-cli as a real client.

use std::time::Duration;

use crate::support::*;

fn arity(cmd: &str) -> String {
    format!("ERR wrong number of arguments for '{cmd}' command")
}

/// Sends raw bytes on a fresh connection and expects exactly this error
/// followed by the server closing the connection.
#[track_caller]
fn expect_protocol_error(s: &Server, payload: &[u8], error: &str) {
    let mut c = s.connect();
    c.send_raw(payload);
    c.expect_err_and_close(error);
}

#[test]
fn pipelining_10000_commands() {
    each_server(|s| {
        let mut c = s.connect();
        let n = 10_000;
        let mut cmds: Vec<Vec<String>> = Vec::with_capacity(2 * n);
        for i in 0..n {
            cmds.push(vec!["SET".into(), format!("key:{i}"), format!("value:{i}")]);
        }
        for i in 0..n {
            cmds.push(vec!["GET".into(), format!("key:{i}")]);
        }
        let replies = c.pipeline(&cmds);
        assert_eq!(replies.len(), 2 * n);
        for (i, r) in replies[..n].iter().enumerate() {
            assert_eq!(*r, ok(), "reply to SET #{i}");
        }
        for (i, r) in replies[n..].iter().enumerate() {
            assert_eq!(*r, bulk(format!("value:{i}")), "reply to GET #{i}");
        }
        c.expect(&["DBSIZE"], int(n as i64));
    });
}

#[test]
fn pipelined_replies_stay_in_order_with_errors() {
    each_server(|s| {
        let mut c = s.connect();
        let replies = c.pipeline(&[
            vec!["SET", "a", "x"],
            vec!["INCR", "a"],
            vec!["NOSUCHCMD"],
            vec!["GET"],
            vec!["APPEND", "a", "y"],
            vec!["PING"],
            vec!["GET", "a"],
            vec!["ECHO", "last"],
        ]);
        assert_eq!(
            replies,
            vec![
                ok(),
                err("ERR value is not an integer or out of range"),
                err("ERR unknown command 'NOSUCHCMD', with args beginning with: "),
                err(&arity("get")),
                int(2),
                status("PONG"),
                bulk("xy"),
                bulk("last"),
            ]
        );
        // Inline and multibulk commands can be mixed in one write.
        let mut raw = b"SET inl 1\r\n".to_vec();
        raw.extend(encode_cmd(&["INCR", "inl"]));
        raw.extend(b"GET inl\r\n");
        c.send_raw(&raw);
        assert_eq!(c.read_reply(), ok());
        assert_eq!(c.read_reply(), int(2));
        assert_eq!(c.read_reply(), bulk("2"));
    });
}

#[test]
fn command_split_at_every_byte() {
    each_server(|s| {
        let mut c = s.connect();
        // One byte per write.
        let cmd = encode_cmd(&["SET", "key", "some value"]);
        for b in &cmd {
            c.send_raw(&[*b]);
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(c.read_reply(), ok());
        let inline = b"ECHO \"split inline\"\r\n";
        for b in inline.iter() {
            c.send_raw(&[*b]);
            std::thread::sleep(Duration::from_millis(1));
        }
        assert_eq!(c.read_reply(), bulk("split inline"));
        // Two pipelined commands split at every possible position.
        let mut two = encode_cmd(&["APPEND", "s", "ab"]);
        two.extend(encode_cmd(&["STRLEN", "s"]));
        for cut in 1..two.len() {
            c.send_raw(&two[..cut]);
            std::thread::sleep(Duration::from_millis(2));
            c.send_raw(&two[cut..]);
            let len = 2 * cut as i64;
            assert_eq!(c.read_reply(), int(len), "APPEND with split at byte {cut}");
            assert_eq!(c.read_reply(), int(len), "STRLEN with split at byte {cut}");
        }
        c.expect(&["GET", "key"], bulk("some value"));
    });
}

#[test]
fn large_arguments() {
    each_server(|s| {
        let mut c = s.connect();
        let big: Vec<u8> = (0..10 * 1024 * 1024)
            .map(|i| b'a' + (i % 26) as u8)
            .collect();
        c.set("big", &big);
        c.expect(&["STRLEN", "big"], int(big.len() as i64));
        c.expect(&["GET", "big"], bulk(&big));
        // Many arguments in one command.
        let mut mset = vec!["MSET".to_string()];
        for i in 0..5000 {
            mset.push(format!("m{i}"));
            mset.push(i.to_string());
        }
        c.ok(&mset);
        c.expect(&["DBSIZE"], int(5001));
        c.expect(&["GET", "m4999"], bulk("4999"));
    });
}

#[test]
fn inline_commands() {
    each_server(|s| {
        let mut c = s.connect();
        let cases: Vec<(&[u8], Reply)> = vec![
            (b"PING\r\n", status("PONG")),
            (b"ping\n", status("PONG")),
            (b"SET k \"a b\"\r\n", ok()),
            (b"GET k\r\n", bulk("a b")),
            (b"SET  k2   v2 \t\r\n", ok()),
            (b"GET k2\r\n", bulk("v2")),
            (b"ECHO \"\\x41\\t\\n\\\\\"\r\n", bulk("A\t\n\\")),
            (b"ECHO \"q\\\"uote\"\r\n", bulk("q\"uote")),
            (b"ECHO 'single \"quoted\"'\r\n", bulk("single \"quoted\"")),
            (b"ECHO 'a\\'b'\r\n", bulk("a'b")),
            (b"ECHO ''\r\n", bulk("")),
            (b"ECHO \"\"\r\n", bulk("")),
            (b"ECHO \"\\xff\\x00\"\r\n", bulk(b"\xff\x00")),
            (
                b"foo a b\r\n",
                err("ERR unknown command 'foo', with args beginning with: 'a' 'b' "),
            ),
            (b"GET\r\n", err(&arity("get"))),
        ];
        for (raw, want) in cases {
            c.send_raw(raw);
            let got = c.read_reply();
            assert_eq!(got, want, "inline {:?}", String::from_utf8_lossy(raw));
        }
        // Empty and blank lines are ignored (no reply at all).
        c.send_raw(b"\r\n\r\n\n   \r\nPING\r\n");
        assert_eq!(c.read_reply(), status("PONG"));
        c.send_raw(&encode_cmd(&["ECHO", "next"]));
        assert_eq!(
            c.read_reply(),
            bulk("next"),
            "blank lines produced extra replies"
        );
        // Zero and negative multibulk counts are ignored too.
        c.send_raw(b"*0\r\n*-1\r\n*-5\r\nPING\r\n");
        assert_eq!(c.read_reply(), status("PONG"));
        c.send_raw(&encode_cmd(&["ECHO", "after"]));
        assert_eq!(c.read_reply(), bulk("after"));
    });
}

#[test]
fn inline_unbalanced_quotes() {
    each_server(|s| {
        let e = "ERR Protocol error: unbalanced quotes in request";
        expect_protocol_error(s, b"SET k \"a b\r\n", e);
        expect_protocol_error(s, b"SET k 'a b\r\n", e);
        // A closing quote must be followed by a space or the end.
        expect_protocol_error(s, b"SET k \"a\"b\r\n", e);
        expect_protocol_error(s, b"ECHO 'it''s'\r\n", e);
        // Nothing was executed; the server is fine.
        let mut c = s.connect();
        c.expect(&["EXISTS", "k"], int(0));
    });
}

#[test]
fn protocol_errors_close_connection() {
    each_server(|s| {
        let mbulk = "ERR Protocol error: invalid multibulk length";
        let blen = "ERR Protocol error: invalid bulk length";
        expect_protocol_error(s, b"*abc\r\n", mbulk);
        expect_protocol_error(s, b"*1x\r\n", mbulk);
        expect_protocol_error(s, b"*3000000000\r\n", mbulk);
        expect_protocol_error(s, b"*1\r\n$abc\r\n", blen);
        expect_protocol_error(s, b"*1\r\n$-1\r\n", blen);
        expect_protocol_error(s, b"*1\r\n$\r\n", blen);
        expect_protocol_error(s, b"*1\r\n$600000000\r\n", blen);
        expect_protocol_error(
            s,
            b"*1\r\nxfoo\r\n",
            "ERR Protocol error: expected '$', got 'x'",
        );
        expect_protocol_error(
            s,
            b"*2\r\n$4\r\nECHO\r\n:1\r\n",
            "ERR Protocol error: expected '$', got ':'",
        );
        // Replies to earlier pipelined commands are delivered first.
        let mut c = s.connect();
        let mut raw = encode_cmd(&["SET", "before", "1"]);
        raw.extend(b"*1\r\n$x\r\n");
        raw.extend(encode_cmd(&["SET", "after", "1"]));
        c.send_raw(&raw);
        assert_eq!(c.read_reply(), ok());
        c.expect_err_and_close(blen);
        let mut c = s.connect();
        c.expect(&["EXISTS", "before", "after"], int(1));
    });
}

#[test]
fn too_big_requests() {
    each_server(|s| {
        // Over 64 KiB without a newline.
        let mut inline = vec![b'a'; 70_000];
        expect_protocol_error(s, &inline, "ERR Protocol error: too big inline request");
        let mut count = b"*".to_vec();
        count.extend(vec![b'1'; 70_000]);
        expect_protocol_error(s, &count, "ERR Protocol error: too big mbulk count string");
        let mut blen = b"*1\r\n$".to_vec();
        blen.extend(vec![b'1'; 70_000]);
        expect_protocol_error(s, &blen, "ERR Protocol error: too big bulk count string");
        // A long inline command with a newline is fine.
        inline.truncate(60_000);
        let mut c = s.connect();
        let mut raw = b"ECHO ".to_vec();
        raw.extend(&inline);
        raw.extend(b"\r\n");
        c.send_raw(&raw);
        assert_eq!(c.read_reply(), bulk(&inline));
    });
}

#[test]
fn unknown_command_messages() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(
            &["foo", "a", "b"],
            err("ERR unknown command 'foo', with args beginning with: 'a' 'b' "),
        );
        c.expect(
            &["foo"],
            err("ERR unknown command 'foo', with args beginning with: "),
        );
        c.expect(
            &["FOO", ""],
            err("ERR unknown command 'FOO', with args beginning with: '' "),
        );
        // Newlines in arguments are replaced by spaces.
        c.expect(
            &["foo", "a\r\nb"],
            err("ERR unknown command 'foo', with args beginning with: 'a  b' "),
        );
        // The name is cut at 128 characters, the argument list at ~128.
        let long_name = "x".repeat(200);
        let long_arg = "y".repeat(200);
        c.expect(
            &[long_name.as_str(), long_arg.as_str()],
            err(&format!(
                "ERR unknown command '{}', with args beginning with: '{}' ",
                "x".repeat(128),
                "y".repeat(128)
            )),
        );
        let a100 = "y".repeat(100);
        let b100 = "z".repeat(100);
        c.expect(
            &["foo", a100.as_str(), b100.as_str(), "c"],
            err(&format!(
                "ERR unknown command 'foo', with args beginning with: '{a100}' '{}' ",
                "z".repeat(25)
            )),
        );
        c.expect(
            &["CONFIG", "nosub"],
            err("ERR unknown subcommand 'nosub'. Try CONFIG HELP."),
        );
        c.expect(&["PING"], status("PONG"));
    });
}

#[test]
fn proto_max_bulk_len_enforced() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["CONFIG", "SET", "proto-max-bulk-len", "1mb"]);
        // Exactly the limit is accepted.
        let at_limit = vec![b'x'; 1024 * 1024];
        c.expect(&[b"ECHO" as &[u8], &at_limit], bulk(&at_limit));
        let mut c2 = s.connect();
        c2.send_raw(b"*2\r\n$4\r\nECHO\r\n$1048577\r\n");
        c2.expect_err_and_close("ERR Protocol error: invalid bulk length");
        // The limit also applies to values built by commands.
        c.expect(
            &["SETRANGE", "k", "1048576", "x"],
            err("ERR string exceeds maximum allowed size (proto-max-bulk-len)"),
        );
        c.expect(&["PING"], status("PONG"));
    });
}

#[test]
fn client_query_buffer_limit() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["CONFIG", "SET", "client-query-buffer-limit", "1mb"]);
        // Under the limit works.
        let under = vec![b'u'; 900_000];
        c.ok(&[b"SET" as &[u8], b"under", &under]);
        // A partial bulk that grows the query buffer past the limit gets the
        // connection closed (no reply).
        let mut hog = s.connect();
        hog.send_raw(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$3000000\r\n");
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..32 {
            if hog.try_send_raw(&chunk).is_err() {
                break;
            }
        }
        hog.set_read_timeout(secs(10));
        let rest = hog.read_to_close();
        assert!(rest.is_empty(), "unexpected reply {:?}", Reply::Bulk(rest));
        c.expect(&["EXISTS", "k"], int(0));
        c.expect(&["STRLEN", "under"], int(900_000));
    });
}

#[test]
fn huge_multibulk_count_does_not_allocate() {
    each_server(|s| {
        let mut c = s.connect();
        let before: u64 = info_field(&c.cmd(&["INFO", "memory"]).str_val(), "used_memory")
            .unwrap()
            .parse()
            .unwrap();
        for payload in [
            b"*2147483647\r\n".to_vec(),
            b"*2147483647\r\n$4\r\nPING\r\n".to_vec(),
            b"*1048576\r\n$3\r\nSET\r\n$1\r\na\r\n".to_vec(),
            b"*100000\r\n".to_vec(),
        ] {
            let mut h = s.connect();
            h.send_raw(&payload);
            // Dropping the connection closes it mid-command.
            drop(h);
        }
        // A few at once, left open for now.
        let mut open: Vec<Conn> = (0..5).map(|_| s.connect()).collect();
        for h in &mut open {
            h.send_raw(b"*2147483647\r\n$3\r\nGET\r\n");
        }
        let mut c2 = s.connect();
        c2.expect(&["PING"], status("PONG"));
        let after: u64 = info_field(&c2.cmd(&["INFO", "memory"]).str_val(), "used_memory")
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            after < before + 64 * 1024 * 1024,
            "used_memory grew from {before} to {after}"
        );
        drop(open);
        c.expect(&["PING"], status("PONG"));
        c.expect(&["EXISTS", "a"], int(0));
    });
}

#[test]
fn unauthenticated_request_limits() {
    each_server_with(&["--requirepass", "pw"], |s| {
        expect_protocol_error(
            s,
            b"*11\r\n",
            "ERR Protocol error: unauthenticated multibulk length",
        );
        expect_protocol_error(
            s,
            b"*2147483647\r\n",
            "ERR Protocol error: unauthenticated multibulk length",
        );
        expect_protocol_error(
            s,
            b"*1\r\n$16385\r\n",
            "ERR Protocol error: unauthenticated bulk length",
        );
        // At the limits it is fine (and then needs AUTH).
        let mut c = s.connect();
        let mut raw = b"*10\r\n".to_vec();
        for _ in 0..10 {
            raw.extend(b"$1\r\na\r\n");
        }
        c.send_raw(&raw);
        assert_eq!(c.read_reply(), err("ERR unknown command 'a', with args beginning with: 'a' 'a' 'a' 'a' 'a' 'a' 'a' 'a' 'a' "));
        let big = vec![b'x'; 16384];
        c.expect(
            &[b"ECHO" as &[u8], &big],
            err("NOAUTH Authentication required."),
        );
        // After AUTH the limits are gone.
        c.ok(&["AUTH", "pw"]);
        let big = vec![b'x'; 100_000];
        c.expect(&[b"ECHO" as &[u8], &big], bulk(&big));
        let mut mset = vec!["MSET".to_string()];
        for i in 0..50 {
            mset.push(format!("k{i}"));
            mset.push("v".into());
        }
        c.ok(&mset);
    });
}

#[test]
fn redis_cli_one_shot() {
    each_server(|s| {
        let Some(out) = s.redis_cli(&["SET", "a", "hello world"], None) else {
            if require_redis() {
                panic!("redis-cli not found on PATH but REQUIRE_REDIS=1");
            }
            eprintln!("note: redis-cli not found; skipping");
            return;
        };
        assert!(out.status.success(), "{out:?}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "OK\n");
        let out = s.redis_cli(&["GET", "a"], None).unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "hello world\n");
        let out = s.redis_cli(&["GET", "missing"], None).unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "\n");
        let out = s.redis_cli(&["INCR", "a"], None).unwrap();
        assert!(
            String::from_utf8_lossy(&out.stdout)
                .starts_with("ERR value is not an integer or out of range\n"),
            "{out:?}"
        );
        let out = s.redis_cli(&["RPUSH", "l", "x", "y"], None).unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "2\n");
        let out = s.redis_cli(&["LRANGE", "l", "0", "-1"], None).unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "x\ny\n");
        let out = s
            .redis_cli(&["-n", "3", "SET", "indb3", "1"], None)
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout), "OK\n");
        let mut c = s.connect();
        c.ok(&["SELECT", "3"]);
        c.expect(&["GET", "indb3"], bulk("1"));
    });
}

#[test]
fn redis_cli_pipe_mass_insert() {
    each_server(|s| {
        if redis_cli_bin().is_none() {
            if require_redis() {
                panic!("redis-cli not found on PATH but REQUIRE_REDIS=1");
            }
            eprintln!("note: redis-cli not found; skipping");
            return;
        }
        let mut input = Vec::new();
        for i in 0..10_000 {
            input.extend(encode_cmd(&[
                "SET",
                &format!("key:{i}"),
                &format!("val:{i}"),
            ]));
        }
        let out = s.redis_cli(&["--pipe"], Some(&input)).unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "redis-cli --pipe failed: {out:?}");
        assert!(stdout.contains("errors: 0, replies: 10000"), "{stdout}");
        let mut c = s.connect();
        c.expect(&["DBSIZE"], int(10_000));
        c.expect(&["GET", "key:9999"], bulk("val:9999"));
        // Errors are counted (and make redis-cli exit non-zero).
        let out = s
            .redis_cli(&["--pipe"], Some(b"SET x 1\r\nINCR key:1\r\nGET x\r\n"))
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("errors: 1, replies: 3"), "{stdout}");
        assert!(!out.status.success());
    });
}

/// Random bytes and mangled commands on many connections never take the server
/// down: afterwards it still answers, with its data intact.
#[test]
fn random_garbage_never_kills_the_server() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["SET", "survivor", "yes"]);
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let pieces: [&[u8]; 10] = [
            b"*",
            b"$",
            b"\r\n",
            b"-1",
            b"3",
            b"99999999999",
            b"SET",
            b"GET",
            b"\"",
            b"\x00\xff",
        ];
        for _ in 0..40 {
            let mut g = s.connect();
            let mut payload = Vec::new();
            for _ in 0..(next() % 64) {
                if next() % 3 == 0 {
                    payload.push(next() as u8);
                } else {
                    payload.extend_from_slice(pieces[(next() % pieces.len() as u64) as usize]);
                }
            }
            payload.extend_from_slice(b"\r\n");
            let _ = g.try_send_raw(&payload);
            drop(g);
        }
        let mut c = s.connect();
        c.expect(&["PING"], status("PONG"));
        c.expect(&["GET", "survivor"], bulk("yes"));
    });
}
