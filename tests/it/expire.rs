//! Key expiry: lazy (on access) and active (background) expiration.

use crate::support::*;

/// Waits on the local clock (the server shares it) without touching keys.
fn wait_until_ms(deadline_ms: u64) {
    wait_for(secs(30), || unix_now_ms() > deadline_ms);
}

#[test]
fn ttl_pttl_missing_and_persistent() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["TTL", "nokey"], int(-2));
        c.expect(&["PTTL", "nokey"], int(-2));
        c.ok(&["SET", "k", "v"]);
        c.expect(&["TTL", "k"], int(-1));
        c.expect(&["PTTL", "k"], int(-1));
        c.ok(&["SET", "k", "v", "PX", "100000"]);
        let ttl = c.cmd(&["TTL", "k"]).int_val();
        assert!((1..=100).contains(&ttl), "ttl {ttl}");
        let pttl = c.cmd(&["PTTL", "k"]).int_val();
        assert!((1..=100_000).contains(&pttl), "pttl {pttl}");
        // TTL rounds to the nearest second.
        c.ok(&["SET", "k", "v", "PX", "2900"]);
        let ttl = c.cmd(&["TTL", "k"]).int_val();
        assert!((1..=3).contains(&ttl), "ttl {ttl}");
    });
}

#[test]
fn lazy_expiry_on_access() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]);
        c.ok(&["SET", "k", "v", "PX", "50"]);
        c.expect(&["RPUSH", "l", "a"], int(1));
        c.expect(&["PEXPIRE", "l", "50"], int(1));
        wait_for(secs(10), || c.cmd(&["GET", "k"]) == nil());
        wait_for(secs(10), || c.cmd(&["EXISTS", "l"]) == int(0));
        c.expect(&["TTL", "k"], int(-2));
        c.expect(&["PTTL", "l"], int(-2));
        c.expect(&["DBSIZE"], int(0));
    });
}

#[test]
fn expired_keys_behave_as_missing() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]);
        let start = unix_now_ms();
        c.ok(&["SET", "counter", "5", "PX", "50"]);
        c.ok(&["SET", "str", "abc", "PX", "50"]);
        c.ok(&["SET", "ren", "x", "PX", "50"]);
        c.ok(&["SET", "ex", "x", "PX", "50"]);
        c.ok(&["SET", "nx", "x", "PX", "50"]);
        c.ok(&["SET", "keep", "x", "PX", "100000"]);
        c.ok(&["SET", "p", "x", "PX", "50"]);
        c.expect(&["PERSIST", "p"], int(1));
        wait_until_ms(start + 300);
        // Still counted: active expiry is off and nothing touched them.
        c.expect(&["DBSIZE"], int(7));
        // Keys that expired are skipped by KEYS and SCAN.
        c.expect_unordered(&["KEYS", "*"], bulks(&["keep", "p"]));
        let r = c.cmd(&["SCAN", "0", "COUNT", "1000"]);
        assert_unordered(&r.array_val()[1], &bulks(&["keep", "p"]));
        c.expect(&["INCR", "counter"], int(1));
        c.expect(&["APPEND", "str", "d"], int(1));
        c.expect(&["RENAME", "ren", "x"], err("ERR no such key"));
        c.expect(&["EXPIRE", "ex", "100"], int(0));
        c.expect(&["SET", "nx", "new", "NX"], ok());
        c.expect(&["TTL", "nx"], int(-1));
        c.expect(&["GET", "p"], bulk("x"));
        c.expect(&["GET", "keep"], bulk("x"));
        c.expect(&["EXISTS", "ex", "ren"], int(0));
        c.expect_unordered(
            &["KEYS", "*"],
            bulks(&["keep", "p", "counter", "str", "nx"]),
        );
        c.expect(&["DBSIZE"], int(5));
    });
}

#[test]
fn active_expiry_disabled_keeps_keys_counted() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]);
        let start = unix_now_ms();
        let cmds: Vec<Vec<String>> = (0..100)
            .map(|i| {
                vec![
                    "SET".into(),
                    format!("k{i}"),
                    "v".into(),
                    "PX".into(),
                    "50".into(),
                ]
            })
            .collect();
        assert!(c.pipeline(&cmds).iter().all(|r| *r == ok()));
        wait_until_ms(start + 500);
        // Give a would-be background cycle plenty of chances to run.
        std::thread::sleep(millis(300));
        c.expect(&["DBSIZE"], int(100));
        // Accessing a key expires it.
        c.expect(&["GET", "k0"], nil());
        c.expect(&["DBSIZE"], int(99));
        c.expect(&["EXISTS", "k1", "k2"], int(0));
        c.expect(&["DBSIZE"], int(97));
        // Re-enabling active expiry cleans up the rest without any access.
        c.ok(&["DEBUG", "SET-ACTIVE-EXPIRE", "1"]);
        wait_for(secs(20), || c.cmd(&["DBSIZE"]) == int(0));
    });
}

#[test]
fn active_expiry_removes_untouched_keys() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["DEBUG", "SET-ACTIVE-EXPIRE", "1"]);
        let mut cmds: Vec<Vec<String>> = (0..500)
            .map(|i| {
                vec![
                    "SET".into(),
                    format!("k{i}"),
                    "v".into(),
                    "PX".into(),
                    "100".into(),
                ]
            })
            .collect();
        cmds.push(vec!["SET".into(), "persistent".into(), "v".into()]);
        cmds.push(vec![
            "SET".into(),
            "long".into(),
            "v".into(),
            "EX".into(),
            "1000".into(),
        ]);
        assert!(c.pipeline(&cmds).iter().all(|r| *r == ok()));
        // Keys in another database expire too.
        c.ok(&["SELECT", "3"]);
        let cmds: Vec<Vec<String>> = (0..100)
            .map(|i| {
                vec![
                    "SET".into(),
                    format!("d3:{i}"),
                    "v".into(),
                    "PX".into(),
                    "100".into(),
                ]
            })
            .collect();
        assert!(c.pipeline(&cmds).iter().all(|r| *r == ok()));
        let mut watcher = s.connect();
        // Databases are swept one after the other: wait for both.
        wait_for(secs(20), || {
            watcher.cmd(&["DBSIZE"]) == int(2) && c.cmd(&["DBSIZE"]) == int(0)
        });
        watcher.expect_unordered(&["KEYS", "*"], bulks(&["persistent", "long"]));
        // Expired keys are reported in INFO keyspace as gone.
        let info = watcher.cmd(&["INFO", "keyspace"]).str_val();
        let db0 = info_field(&info, "db0").expect("db0 line");
        assert!(db0.starts_with("keys=2,expires=1,"), "{db0}");
        assert_eq!(info_field(&info, "db3"), None, "{info}");
        let stats = watcher.cmd(&["INFO", "stats"]).str_val();
        let expired: i64 = info_field(&stats, "expired_keys").unwrap().parse().unwrap();
        assert_eq!(expired, 600);
    });
}

#[test]
fn expiry_precision_and_reset() {
    each_server(|s| {
        let mut c = s.connect();
        // A key set with a short TTL is visible before and gone after.
        c.ok(&["SET", "k", "v", "PX", "100000"]);
        c.expect(&["PEXPIRE", "k", "200"], int(1));
        c.expect(&["GET", "k"], bulk("v"));
        wait_for(secs(10), || c.cmd(&["EXISTS", "k"]) == int(0));
        // Overwriting a volatile key with SET removes its TTL.
        c.ok(&["SET", "k", "v", "PX", "100"]);
        c.ok(&["SET", "k", "v2"]);
        let t = unix_now_ms();
        wait_until_ms(t + 300);
        c.expect(&["GET", "k"], bulk("v2"));
        // PERSIST saves a key from expiring.
        c.ok(&["SET", "k", "v", "PX", "100"]);
        c.expect(&["PERSIST", "k"], int(1));
        let t = unix_now_ms();
        wait_until_ms(t + 300);
        c.expect(&["GET", "k"], bulk("v"));
        // GETEX PX sets a short TTL that then fires.
        c.expect(&["GETEX", "k", "PX", "50"], bulk("v"));
        wait_for(secs(10), || c.cmd(&["GET", "k"]) == nil());
    });
}
