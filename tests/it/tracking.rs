//! Client-side caching: CLIENT TRACKING invalidations seen by RESP3 clients and by
//! RESP2 clients through REDIRECT, in every mode, compared with redis-server.

use crate::support::*;

fn invalidate(keys: &[&str]) -> Reply {
    Reply::Push(vec![bulk("invalidate"), bulks(keys)])
}

#[test]
fn default_mode_invalidates_read_keys_once() {
    each_server(|s| {
        let mut a = s.connect();
        let mut b = s.connect();
        a.cmd(&["HELLO", "3"]);
        a.ok(&["CLIENT", "TRACKING", "ON"]);
        a.expect(&["GET", "k"], null());
        a.expect(&["MGET", "x", "y"], arr(vec![null(), null()]));
        b.ok(&["SET", "k", "1"]);
        assert_eq!(a.read_reply(), invalidate(&["k"]));
        // One message per key in the default mode.
        b.ok(&["MSET", "x", "1", "y", "2"]);
        assert_eq!(a.read_reply(), invalidate(&["x"]));
        assert_eq!(a.read_reply(), invalidate(&["y"]));
        // Forgotten after one invalidation: a second write sends nothing.
        b.ok(&["SET", "k", "2"]);
        a.expect(&["PING"], status("PONG"));
        // The client's own write is announced after its reply.
        a.expect(&["GET", "k"], bulk("2"));
        a.ok(&["SET", "k", "3"]);
        assert_eq!(a.read_reply(), invalidate(&["k"]));
        // NOLOOP skips one's own writes.
        a.ok(&["CLIENT", "TRACKING", "ON", "NOLOOP"]);
        a.expect(&["GET", "k"], bulk("3"));
        a.ok(&["SET", "k", "4"]);
        a.expect(&["PING"], status("PONG"));
        // FLUSHALL invalidates everything with a null key list.
        a.expect(&["GET", "k"], bulk("4"));
        b.ok(&["FLUSHALL"]);
        assert_eq!(
            a.read_reply(),
            Reply::Push(vec![bulk("invalidate"), null()])
        );
        a.expect(
            &["CLIENT", "TRACKINGINFO"],
            map(vec![
                (bulk("flags"), set(vec![bulk("on"), bulk("noloop")])),
                (bulk("redirect"), int(0)),
                (bulk("prefixes"), arr(vec![])),
            ]),
        );
        a.expect(&["CLIENT", "GETREDIR"], int(0));
        a.ok(&["CLIENT", "TRACKING", "OFF"]);
        a.expect(&["CLIENT", "GETREDIR"], int(-1));
    });
}

#[test]
fn bcast_optin_optout_and_redirect() {
    each_server(|s| {
        let mut a = s.connect();
        let mut b = s.connect();
        a.cmd(&["HELLO", "3"]);
        a.ok(&[
            "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "user:", "PREFIX", "cfg:",
        ]);
        b.ok(&["SET", "user:1", "x"]);
        assert_eq!(a.read_reply(), invalidate(&["user:1"]));
        b.ok(&["SET", "other", "x"]);
        b.ok(&["SET", "cfg:a", "x"]);
        assert_eq!(a.read_reply(), invalidate(&["cfg:a"]));
        a.expect(
            &["CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "u"],
            err("ERR Prefix 'u' overlaps with an existing prefix 'user:'. Prefixes for a single client must not overlap."),
        );
        a.ok(&["CLIENT", "TRACKING", "OFF"]);
        // OPTIN: only reads right after CLIENT CACHING YES are tracked.
        a.ok(&["CLIENT", "TRACKING", "ON", "OPTIN"]);
        a.expect(&["GET", "p"], null());
        b.ok(&["SET", "p", "1"]);
        a.ok(&["CLIENT", "CACHING", "YES"]);
        a.expect(&["GET", "q"], null());
        b.ok(&["SET", "q", "1"]);
        assert_eq!(a.read_reply(), invalidate(&["q"]));
        a.expect(
            &["CLIENT", "CACHING", "NO"],
            err("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode."),
        );
        a.ok(&["CLIENT", "TRACKING", "OFF"]);
        // OPTOUT: everything but reads after CLIENT CACHING NO.
        a.ok(&["CLIENT", "TRACKING", "ON", "OPTOUT"]);
        a.ok(&["CLIENT", "CACHING", "NO"]);
        a.expect(&["GET", "r"], null());
        a.expect(&["GET", "t"], null());
        b.ok(&["MSET", "r", "1", "t", "1"]);
        assert_eq!(a.read_reply(), invalidate(&["t"]));
        // BCAST batches the keys of one command.
        a.ok(&["CLIENT", "TRACKING", "OFF"]);
        a.ok(&["CLIENT", "TRACKING", "ON", "BCAST"]);
        b.ok(&["MSET", "m1", "1", "m2", "1"]);
        assert_eq!(a.read_reply(), invalidate(&["m1", "m2"]));
        a.ok(&["CLIENT", "TRACKING", "OFF"]);
        // REDIRECT to a RESP2 client subscribed to __redis__:invalidate.
        let mut r = s.connect();
        let rid = r.cmd(&["CLIENT", "ID"]).int_val().to_string();
        r.cmd(&["SUBSCRIBE", "__redis__:invalidate"]);
        let mut c = s.connect();
        c.ok(&["CLIENT", "TRACKING", "ON", "REDIRECT", &rid]);
        c.expect(&["GET", "z"], nil());
        b.ok(&["SET", "z", "1"]);
        assert_eq!(
            r.read_reply(),
            arr(vec![
                bulk("message"),
                bulk("__redis__:invalidate"),
                bulks(&["z"])
            ])
        );
        c.expect(&["CLIENT", "GETREDIR"], int(rid.parse().unwrap()));
    });
}

#[test]
fn tracking_errors_and_expiry() {
    each_server(|s| {
        let mut a = s.connect();
        a.expect(&["CLIENT", "TRACKING", "MAYBE"], err("ERR syntax error"));
        a.expect(
            &["CLIENT", "TRACKING", "ON", "REDIRECT", "999999"],
            err("ERR The client ID you want redirect to does not exist"),
        );
        a.expect(
            &["CLIENT", "TRACKING", "ON", "PREFIX", "x"],
            err("ERR PREFIX option requires BCAST mode to be enabled"),
        );
        a.expect(
            &["CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT"],
            err("ERR You can't specify both OPTIN mode and OPTOUT mode"),
        );
        a.expect(
            &["CLIENT", "TRACKING", "ON", "OPTIN", "BCAST"],
            err("ERR OPTIN and OPTOUT are not compatible with BCAST"),
        );
        a.expect(
            &["CLIENT", "CACHING", "YES"],
            err("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled"),
        );
        // A tracked key that expires is invalidated.
        a.cmd(&["HELLO", "3"]);
        a.ok(&["SET", "e", "v", "PX", "100"]);
        a.ok(&["CLIENT", "TRACKING", "ON"]);
        a.expect(&["GET", "e"], bulk("v"));
        assert_eq!(a.read_reply(), invalidate(&["e"]));
    });
}
