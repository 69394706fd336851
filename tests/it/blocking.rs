//! Blocked clients: WAIT (no replicas: it waits for its timeout), CLIENT UNBLOCK,
//! pipelined commands after a blocking one, and INFO blocked_clients.

use crate::support::*;
use std::time::Instant;

#[test]
fn wait_without_replicas() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["WAIT", "0", "0"], int(0));
        c.expect(
            &["WAIT", "x", "0"],
            err("ERR value is not an integer or out of range"),
        );
        c.expect(&["WAIT", "1", "-1"], err("ERR timeout is negative"));
        c.expect(
            &["WAIT", "1", "x"],
            err("ERR timeout is not an integer or out of range"),
        );
        let start = Instant::now();
        c.expect(&["WAIT", "1", "150"], int(0));
        assert!(start.elapsed() >= millis(140), "WAIT returned early");
        // Inside MULTI it does not block.
        c.ok(&["MULTI"]);
        c.expect(&["WAIT", "1", "0"], status("QUEUED"));
        c.expect(&["EXEC"], arr(vec![int(0)]));
    });
}

#[test]
fn blocked_client_is_unblocked_and_resumes_its_pipeline() {
    each_server(|s| {
        let mut blocked = s.connect();
        let id = blocked.cmd(&["CLIENT", "ID"]).int_val();
        let mut c = s.connect();
        // WAIT 1 0 blocks forever; the PING pipelined after it waits too.
        blocked.send_raw(&[encode_cmd(&["WAIT", "1", "0"]), encode_cmd(&["PING"])].concat());
        assert!(poll_until(secs(5), || {
            info_field(&c.cmd(&["INFO", "clients"]).str_val(), "blocked_clients")
                == Some("1".into())
        }));
        assert!(c.cmd(&["CLIENT", "LIST"]).str_val().contains("flags=b"));
        c.expect(&["CLIENT", "UNBLOCK", &id.to_string(), "TIMEOUT"], int(1));
        assert_eq!(blocked.read_reply(), int(0));
        assert_eq!(blocked.read_reply(), status("PONG"));
        c.expect(&["CLIENT", "UNBLOCK", &id.to_string()], int(0));
        // ERROR reason.
        blocked.send(&["WAIT", "1", "0"]);
        assert!(poll_until(secs(5), || {
            info_field(&c.cmd(&["INFO", "clients"]).str_val(), "blocked_clients")
                == Some("1".into())
        }));
        c.expect(&["CLIENT", "UNBLOCK", &id.to_string(), "ERROR"], int(1));
        assert_eq!(
            blocked.read_reply(),
            err("UNBLOCKED client unblocked via CLIENT UNBLOCK")
        );
        c.expect(
            &["CLIENT", "UNBLOCK", &id.to_string(), "MAYBE"],
            err("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR"),
        );
        c.expect(
            &["CLIENT", "UNBLOCK", "x"],
            err("ERR value is not an integer or out of range"),
        );
        // A blocked client that disconnects is cleaned up.
        blocked.send(&["WAIT", "1", "0"]);
        assert!(poll_until(secs(5), || {
            info_field(&c.cmd(&["INFO", "clients"]).str_val(), "blocked_clients")
                == Some("1".into())
        }));
        drop(blocked);
        assert!(poll_until(secs(5), || {
            info_field(&c.cmd(&["INFO", "clients"]).str_val(), "blocked_clients")
                == Some("0".into())
        }));
    });
}
