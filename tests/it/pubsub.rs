//! Pub/Sub: subscribe mode, message delivery order, patterns, shard channels,
//! PUBSUB introspection, RESP3 pushes, and slow subscribers being cut off.

use crate::support::*;

fn message(ch: &str, msg: &str) -> Reply {
    arr(vec![bulk("message"), bulk(ch), bulk(msg)])
}

#[test]
fn subscribe_publish_unsubscribe() {
    each_server(|s| {
        let mut sub = s.connect();
        let mut publ = s.connect();
        sub.expect(
            &["SUBSCRIBE", "a", "b"],
            arr(vec![bulk("subscribe"), bulk("a"), int(1)]),
        );
        assert_eq!(
            sub.read_reply(),
            arr(vec![bulk("subscribe"), bulk("b"), int(2)])
        );
        sub.expect(
            &["PSUBSCRIBE", "n*"],
            arr(vec![bulk("psubscribe"), bulk("n*"), int(3)]),
        );
        publ.expect(&["PUBLISH", "a", "hello"], int(1));
        publ.expect(&["PUBLISH", "news", "x"], int(1));
        publ.expect(&["PUBLISH", "nobody", "x"], int(1));
        publ.expect(&["PUBLISH", "zzz", "x"], int(0));
        assert_eq!(sub.read_reply(), message("a", "hello"));
        assert_eq!(
            sub.read_reply(),
            arr(vec![bulk("pmessage"), bulk("n*"), bulk("news"), bulk("x")])
        );
        assert_eq!(
            sub.read_reply(),
            arr(vec![
                bulk("pmessage"),
                bulk("n*"),
                bulk("nobody"),
                bulk("x")
            ])
        );
        // Subscribe mode: only a few commands are allowed in RESP2.
        sub.expect(
            &["GET", "a"],
            err("ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"),
        );
        sub.expect(&["PING"], arr(vec![bulk("pong"), bulk("")]));
        sub.expect(&["PING", "x"], arr(vec![bulk("pong"), bulk("x")]));
        publ.expect(
            &["PUBSUB", "NUMSUB", "a", "b", "c"],
            arr(vec![
                bulk("a"),
                int(1),
                bulk("b"),
                int(1),
                bulk("c"),
                int(0),
            ]),
        );
        publ.expect(&["PUBSUB", "NUMPAT"], int(1));
        publ.expect_unordered(&["PUBSUB", "CHANNELS"], bulks(&["a", "b"]));
        publ.expect(&["PUBSUB", "CHANNELS", "a*"], bulks(&["a"]));
        sub.expect(
            &["UNSUBSCRIBE", "a"],
            arr(vec![bulk("unsubscribe"), bulk("a"), int(2)]),
        );
        sub.expect(
            &["PUNSUBSCRIBE"],
            arr(vec![bulk("punsubscribe"), bulk("n*"), int(1)]),
        );
        sub.expect(
            &["UNSUBSCRIBE"],
            arr(vec![bulk("unsubscribe"), bulk("b"), int(0)]),
        );
        sub.expect(
            &["UNSUBSCRIBE"],
            arr(vec![bulk("unsubscribe"), nil(), int(0)]),
        );
        // Out of subscribe mode again.
        sub.expect(&["GET", "a"], nil());
        publ.expect(&["PUBLISH", "a", "x"], int(0));
        // A disconnected subscriber is forgotten.
        sub.expect(
            &["SUBSCRIBE", "gone"],
            arr(vec![bulk("subscribe"), bulk("gone"), int(1)]),
        );
        drop(sub);
        assert!(poll_until(secs(5), || publ.cmd(&["PUBLISH", "gone", "x"]) == int(0)));
        publ.expect(&["PUBSUB", "CHANNELS"], arr(vec![]));
    });
}

#[test]
fn shard_channels() {
    each_server(|s| {
        let mut sub = s.connect();
        let mut publ = s.connect();
        sub.expect(
            &["SSUBSCRIBE", "s1"],
            arr(vec![bulk("ssubscribe"), bulk("s1"), int(1)]),
        );
        sub.expect(
            &["SUBSCRIBE", "c1"],
            arr(vec![bulk("subscribe"), bulk("c1"), int(1)]),
        );
        publ.expect(&["SPUBLISH", "s1", "m"], int(1));
        publ.expect(&["PUBLISH", "s1", "m"], int(0));
        assert_eq!(
            sub.read_reply(),
            arr(vec![bulk("smessage"), bulk("s1"), bulk("m")])
        );
        publ.expect(&["PUBSUB", "SHARDCHANNELS"], bulks(&["s1"]));
        publ.expect(
            &["PUBSUB", "SHARDNUMSUB", "s1", "x"],
            arr(vec![bulk("s1"), int(1), bulk("x"), int(0)]),
        );
        sub.expect(
            &["SUNSUBSCRIBE"],
            arr(vec![bulk("sunsubscribe"), bulk("s1"), int(0)]),
        );
        sub.expect(&["RESET"], status("RESET"));
        publ.expect(&["PUBLISH", "c1", "m"], int(0));
    });
}

#[test]
fn resp3_pushes_on_a_normal_connection() {
    each_server(|s| {
        let mut sub = s.connect();
        let mut publ = s.connect();
        sub.cmd(&["HELLO", "3"]);
        sub.expect(
            &["SUBSCRIBE", "a"],
            Reply::Push(vec![bulk("subscribe"), bulk("a"), int(1)]),
        );
        // In RESP3 any command works while subscribed.
        sub.expect(&["SET", "k", "v"], ok());
        publ.expect(&["PUBLISH", "a", "hi"], int(1));
        assert_eq!(
            sub.read_reply(),
            Reply::Push(vec![bulk("message"), bulk("a"), bulk("hi")])
        );
        sub.expect(&["PING"], status("PONG"));
        // A client can receive its own publications: the push comes before the reply.
        sub.expect(
            &["PUBLISH", "a", "me"],
            Reply::Push(vec![bulk("message"), bulk("a"), bulk("me")]),
        );
        assert_eq!(sub.read_reply(), int(1));
    });
}

#[test]
fn many_subscribers_get_every_message_in_order() {
    each_server(|s| {
        let mut subs: Vec<Conn> = (0..50).map(|_| s.connect()).collect();
        for c in &mut subs {
            c.cmd(&["SUBSCRIBE", "feed"]);
        }
        let mut publ = s.connect();
        let cmds: Vec<Vec<String>> = (0..2000)
            .map(|i| vec!["PUBLISH".into(), "feed".into(), format!("m{i}")])
            .collect();
        for chunk in cmds.chunks(500) {
            for r in publ.pipeline(chunk) {
                assert_eq!(r, int(50));
            }
        }
        for c in &mut subs {
            for i in 0..2000 {
                assert_eq!(c.read_reply(), message("feed", &format!("m{i}")));
            }
        }
    });
}

#[test]
fn subscriber_that_never_reads_is_disconnected() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&[
            "CONFIG",
            "SET",
            "client-output-buffer-limit",
            "pubsub 1mb 0 0",
        ]);
        let mut sub = s.connect();
        sub.cmd(&["SUBSCRIBE", "flood"]);
        let big = "x".repeat(64 * 1024);
        let mut cut = false;
        for _ in 0..2000 {
            let n = c.cmd(&["PUBLISH", "flood", &big]).int_val();
            if n == 0 {
                cut = true;
                break;
            }
        }
        assert!(cut, "the subscriber was never disconnected");
        c.expect(&["PING"], status("PONG"));
        c.expect(
            &["PUBSUB", "NUMSUB", "flood"],
            arr(vec![bulk("flood"), int(0)]),
        );
    });
}

#[test]
fn client_list_and_kill_by_pubsub_type() {
    each_server(|s| {
        let mut c = s.connect();
        let mut sub = s.connect();
        sub.cmd(&["SUBSCRIBE", "x"]);
        let list = c.cmd(&["CLIENT", "LIST", "TYPE", "pubsub"]).str_val();
        assert_eq!(list.lines().count(), 1, "{list}");
        assert!(list.contains("sub=1") && list.contains("flags=P"), "{list}");
        let normal = c.cmd(&["CLIENT", "LIST", "TYPE", "normal"]).str_val();
        assert_eq!(normal.lines().count(), 1, "{normal}");
        c.expect(&["CLIENT", "KILL", "TYPE", "pubsub"], int(1));
        assert!(poll_until(secs(5), || c.cmd(&["PUBLISH", "x", "m"]) == int(0)));
    });
}

/// 1,000 subscribers each receive all of 100,000 messages, none lost, in order.
/// Heavy (100M deliveries per server): run with
/// `cargo test --release --test it pubsub::thousand -- --ignored`.
#[test]
#[ignore]
fn thousand_subscribers_hundred_thousand_messages() {
    const SUBSCRIBERS: usize = 1000;
    const MESSAGES: usize = 100_000;
    each_server(|s| {
        let mut subs: Vec<Conn> = (0..SUBSCRIBERS).map(|_| s.connect()).collect();
        for c in &mut subs {
            c.cmd(&["SUBSCRIBE", "feed"]);
        }
        // Each subscriber is drained by its own thread, checking the sequence.
        let readers: Vec<_> = subs
            .into_iter()
            .map(|mut c| {
                std::thread::Builder::new()
                    .stack_size(512 * 1024)
                    .spawn(move || {
                        for i in 0..MESSAGES {
                            let want =
                                arr(vec![bulk("message"), bulk("feed"), bulk(format!("m{i}"))]);
                            let got = c.read_reply();
                            if got != want {
                                return Err(format!("message {i}: got {got:?}"));
                            }
                        }
                        Ok(())
                    })
                    .expect("spawn reader")
            })
            .collect();
        let mut publ = s.connect();
        let cmds: Vec<Vec<String>> = (0..MESSAGES)
            .map(|i| vec!["PUBLISH".into(), "feed".into(), format!("m{i}")])
            .collect();
        for chunk in cmds.chunks(1000) {
            for r in publ.pipeline(chunk) {
                assert_eq!(r, int(SUBSCRIBERS as i64));
            }
        }
        for r in readers {
            r.join().expect("reader thread").expect("ordered delivery");
        }
    });
}
