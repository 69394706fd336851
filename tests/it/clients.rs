//! Client control and introspection: SLOWLOG, MONITOR, CLIENT REPLY, CLIENT NO-EVICT.

use crate::support::*;

#[test]
fn slowlog_records_commands_over_the_threshold() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["CONFIG", "SET", "slowlog-log-slower-than", "0"]);
        c.ok(&["SLOWLOG", "RESET"]);
        c.ok(&["SET", "a", "1"]);
        // SLOWLOG RESET itself was logged after it cleared the log.
        c.expect(&["SLOWLOG", "LEN"], int(2));
        let entries = c.cmd(&["SLOWLOG", "GET", "2"]).array_val();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].array_val()[3], bulks(&["SLOWLOG", "LEN"]));
        let e = entries[1].array_val();
        assert_eq!(e.len(), 6);
        assert_eq!(e[3], bulks(&["SET", "a", "1"]));
        assert_eq!(e[5], bulk(""));
        // Long argument lists and long arguments are abbreviated.
        let many: Vec<String> = (0..40).map(|i| i.to_string()).collect();
        let mut cmd = vec!["DEL".to_string()];
        cmd.extend(many);
        c.cmd(&cmd);
        let long = "x".repeat(200);
        c.cmd(&["GET", &long]);
        let entries = c.cmd(&["SLOWLOG", "GET", "2"]).array_val();
        let get = entries[0].array_val()[3].array_val();
        assert_eq!(get[0], bulk("GET"));
        assert_eq!(
            get[1],
            bulk(format!("{}... (72 more bytes)", "x".repeat(128)))
        );
        let del = entries[1].array_val()[3].array_val();
        assert_eq!(del.len(), 32);
        assert_eq!(del[31], bulk("... (10 more arguments)"));
        c.expect(
            &["SLOWLOG", "GET", "-2"],
            err("ERR count should be greater than or equal to -1"),
        );
        c.expect(
            &["SLOWLOG", "GET", "1", "2"],
            err("ERR unknown subcommand or wrong number of arguments for 'GET'. Try SLOWLOG HELP."),
        );
        // Disabled with a negative threshold.
        c.ok(&["CONFIG", "SET", "slowlog-log-slower-than", "-1"]);
        c.ok(&["SLOWLOG", "RESET"]);
        c.ok(&["SET", "a", "1"]);
        c.expect(&["SLOWLOG", "LEN"], int(0));
        // The ids keep counting.
        c.ok(&["CONFIG", "SET", "slowlog-log-slower-than", "0"]);
        let id = c.cmd(&["SLOWLOG", "GET"]).array_val()[0].array_val()[0].int_val();
        assert!(id > 5, "{id}");
    });
}

#[test]
fn monitor_streams_commands() {
    each_server(|s| {
        let mut m = s.connect();
        m.ok(&["MONITOR"]);
        let mut c = s.connect();
        c.ok(&["SET", "k", "a b\n\"q\""]);
        c.expect(&["GET", "k"], bulk("a b\n\"q\""));
        let line = m.read_reply();
        let Reply::Status(text) = line else {
            panic!("monitor line is a status reply: {line:?}");
        };
        assert!(text.contains(r#"] "SET" "k" "a b\n\"q\"""#), "{text}");
        assert!(text.contains("[0 127.0.0.1:"), "{text}");
        let Reply::Status(text) = m.read_reply() else {
            panic!("second monitor line");
        };
        assert!(text.ends_with(r#""GET" "k""#), "{text}");
    });
}

#[test]
fn client_reply_off_and_skip() {
    each_server(|s| {
        let mut c = s.connect();
        c.send(&["CLIENT", "REPLY", "OFF"]);
        c.send(&["SET", "a", "1"]);
        c.send(&["INCR", "a"]);
        c.expect(&["CLIENT", "REPLY", "ON"], ok());
        c.expect(&["GET", "a"], bulk("2"));
        c.send(&["CLIENT", "REPLY", "SKIP"]);
        c.send(&["INCR", "a"]);
        c.expect(&["INCR", "a"], int(4));
        c.expect(&["CLIENT", "REPLY", "MAYBE"], err("ERR syntax error"));
        c.ok(&["CLIENT", "NO-EVICT", "on"]);
        c.expect(&["CLIENT", "NO-EVICT", "x"], err("ERR syntax error"));
        assert!(c.cmd(&["CLIENT", "INFO"]).str_val().contains("flags=e"));
    });
}

/// CLIENT NO-TOUCH comes from Redis 7.2: redis-server 7.0 refuses it, oxidis
/// provides it (reads of such a client leave OBJECT IDLETIME growing).
#[test]
fn client_no_touch() {
    each_server(|s| {
        let mut c = s.connect();
        if s.kind() == Kind::Redis {
            c.expect(
                &["CLIENT", "NO-TOUCH", "ON"],
                err("ERR unknown subcommand 'NO-TOUCH'. Try CLIENT HELP."),
            );
            return;
        }
        c.ok(&["SET", "k", "v"]);
        c.ok(&["CLIENT", "NO-TOUCH", "ON"]);
        c.ok(&["DEBUG", "SLEEP", "1.1"]);
        c.expect(&["GET", "k"], bulk("v"));
        assert!(c.cmd(&["OBJECT", "IDLETIME", "k"]).int_val() >= 1);
        // TOUCH still touches.
        c.expect(&["TOUCH", "k"], int(1));
        assert_eq!(c.cmd(&["OBJECT", "IDLETIME", "k"]).int_val(), 0);
        c.ok(&["CLIENT", "NO-TOUCH", "OFF"]);
        c.expect(&["CLIENT", "NO-TOUCH", "X"], err("ERR syntax error"));
    });
}
