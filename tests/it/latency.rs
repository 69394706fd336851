//! The latency monitor and LATENCY LATEST/HISTORY/RESET/GRAPH/DOCTOR/HISTOGRAM/HELP.

use crate::support::*;

/// The LATENCY LATEST row of `event`, if any.
fn latest_of(c: &mut Conn, event: &str) -> Option<Vec<Reply>> {
    c.cmd(&["LATENCY", "LATEST"])
        .array_val()
        .into_iter()
        .map(|r| r.array_val())
        .find(|row| row[0].as_bytes() == Some(event.as_bytes()))
}

#[test]
fn slow_command_is_recorded() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["LATENCY", "LATEST"], arr(vec![]));
        c.expect(&["LATENCY", "HISTORY", "command"], arr(vec![]));
        c.ok(&["CONFIG", "SET", "latency-monitor-threshold", "1"]);
        let before = unix_now() as i64;
        c.ok(&["DEBUG", "SLEEP", "0.05"]);
        let after = unix_now() as i64;
        // (With a 1 ms threshold a later command may add a newer, smaller sample on
        // a loaded machine: look for the sleep's sample rather than the newest one.)
        let row = latest_of(&mut c, "command").expect("a command event");
        assert_eq!(row.len(), 4, "{row:?}");
        let (time, last, max) = (row[1].int_val(), row[2].int_val(), row[3].int_val());
        assert!(time >= before && time <= unix_now() as i64, "{row:?}");
        assert!(last >= 1 && max >= 50 && max >= last, "{row:?}");
        let history = c.cmd(&["LATENCY", "HISTORY", "command"]).array_val();
        let samples: Vec<Vec<Reply>> = history.iter().map(|r| r.array_val()).collect();
        assert!(samples.iter().all(|p| p.len() == 2), "{history:?}");
        assert!(
            samples
                .iter()
                .any(|p| { (before..=after).contains(&p[0].int_val()) && p[1].int_val() >= 50 }),
            "{history:?}"
        );
        // Unknown events have no history.
        c.expect(&["LATENCY", "HISTORY", "nope"], arr(vec![]));
        c.expect(&["LATENCY", "HISTORY", "expire-cycle"], arr(vec![]));
    });
}

#[test]
fn samples_per_second_and_reset() {
    each_server(|s| {
        let mut c = s.connect();
        // A high threshold so that only the sleeps count.
        c.ok(&["CONFIG", "SET", "latency-monitor-threshold", "40"]);
        c.ok(&["DEBUG", "SLEEP", "0"]);
        c.expect(&["LATENCY", "LATEST"], arr(vec![]));
        // Two spikes in one second make one sample (its max); another second, another.
        let start = unix_now();
        c.ok(&["DEBUG", "SLEEP", "0.05"]);
        c.ok(&["DEBUG", "SLEEP", "0.07"]);
        let same_second = unix_now() == start;
        wait_for(secs(5), || unix_now() > start + 1);
        c.ok(&["DEBUG", "SLEEP", "0.06"]);
        let history = c.cmd(&["LATENCY", "HISTORY", "command"]).array_val();
        if same_second {
            assert_eq!(history.len(), 2, "{history:?}");
            assert!(history[0].array_val()[1].int_val() >= 70);
        }
        let last = history.last().map(|r| r.array_val()).unwrap_or_default();
        assert!(
            last[1].int_val() >= 60 && last[1].int_val() < 70,
            "{history:?}"
        );
        let row = latest_of(&mut c, "command").expect("event");
        assert!(row[3].int_val() >= 70, "{row:?}");
        // RESET counts the events it dropped, each once.
        c.expect(&["LATENCY", "RESET", "nope"], int(0));
        c.expect(&["LATENCY", "RESET", "command", "command", "x"], int(1));
        c.expect(&["LATENCY", "LATEST"], arr(vec![]));
        c.expect(&["LATENCY", "HISTORY", "command"], arr(vec![]));
        c.ok(&["DEBUG", "SLEEP", "0.05"]);
        c.expect(&["LATENCY", "RESET"], int(1));
        c.expect(&["LATENCY", "RESET"], int(0));
        // Threshold 0 turns the monitor off.
        c.ok(&["CONFIG", "SET", "latency-monitor-threshold", "0"]);
        c.ok(&["DEBUG", "SLEEP", "0.05"]);
        c.expect(&["LATENCY", "LATEST"], arr(vec![]));
    });
}

#[test]
fn graph_shape() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect_err(
            &["LATENCY", "GRAPH", "command"],
            "ERR No samples available for event 'command'",
        );
        c.ok(&["CONFIG", "SET", "latency-monitor-threshold", "40"]);
        c.ok(&["DEBUG", "SLEEP", "0.05"]);
        let text = c.cmd(&["LATENCY", "GRAPH", "command"]).str_val();
        let lines: Vec<&str> = text.split('\n').collect();
        // Title, rule, 4 sparkline rows, a blank row, a 2-character label ("0s"), "".
        assert_eq!(lines.len(), 10, "{text:?}");
        assert!(lines[0].starts_with("command - high "), "{text:?}");
        assert!(lines[0].contains(" ms (all time high "), "{text:?}");
        assert_eq!(lines[1], "-".repeat(80));
        // One sample: its column is at the bottom.
        assert_eq!(&lines[2..7], &[" ", " ", " ", "_", " "], "{text:?}");
        assert_eq!(lines[8], "s");
        assert_eq!(lines[9], "");
        c.expect_err(
            &["LATENCY", "GRAPH", "nope"],
            "ERR No samples available for event 'nope'",
        );
        // RESP3: a verbatim string.
        c.cmd(&["HELLO", "3"]);
        match c.cmd(&["LATENCY", "GRAPH", "command"]) {
            Reply::Verbatim(f, t) => {
                assert_eq!(f, "txt");
                assert!(t.starts_with("command - high "));
            }
            other => panic!("expected a verbatim string, got {other:?}"),
        }
    });
}

#[test]
fn doctor_is_text() {
    each_server(|s| {
        let mut c = s.connect();
        assert!(!c.cmd(&["LATENCY", "DOCTOR"]).str_val().is_empty());
        c.ok(&["CONFIG", "SET", "latency-monitor-threshold", "40"]);
        c.ok(&["DEBUG", "SLEEP", "0.05"]);
        let report = c.cmd(&["LATENCY", "DOCTOR"]).str_val();
        assert!(report.contains("command: 1 latency spikes"), "{report}");
        c.cmd(&["HELLO", "3"]);
        assert!(matches!(
            c.cmd(&["LATENCY", "DOCTOR"]),
            Reply::Verbatim(f, _) if f == "txt"
        ));
    });
}

/// A histogram reply reduced to what does not depend on timing: per command,
/// its calls, whether its buckets are increasing, and the last cumulative count.
fn skeleton(r: &Reply) -> Vec<(String, i64, bool, i64)> {
    let mut out: Vec<_> = r
        .as_pairs()
        .unwrap_or_else(|| panic!("a map: {r:?}"))
        .into_iter()
        .map(|(name, h)| {
            let calls = h.get("calls").expect("calls").int_val();
            let buckets = h.get("histogram_usec").expect("buckets").as_pairs();
            let buckets: Vec<(i64, i64)> = buckets
                .expect("bucket map")
                .iter()
                .map(|(k, v)| (k.int_val(), v.int_val()))
                .collect();
            let increasing = buckets
                .windows(2)
                .all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1);
            let last = buckets.last().map_or(0, |b| b.1);
            (name.str_val(), calls, increasing, last)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn histogram_per_command() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["CONFIG", "RESETSTAT"]);
        for _ in 0..3 {
            c.ok(&["SET", "a", "1"]);
        }
        c.expect(&["GET", "a"], bulk("1"));
        c.expect(&["GET", "a"], bulk("1"));
        c.expect(&["DEBUG", "SLEEP", "0.02"], ok());
        let h = c.cmd(&["LATENCY", "HISTOGRAM", "set", "GET", "nope", "lpush"]);
        assert_eq!(
            skeleton(&h),
            vec![("get".into(), 2, true, 2), ("set".into(), 3, true, 3)]
        );
        // Named twice, shown twice; a container shows its called subcommands.
        let h = c.cmd(&["LATENCY", "HISTOGRAM", "set", "set", "config"]);
        assert_eq!(
            skeleton(&h),
            vec![
                ("config|resetstat".into(), 1, true, 1),
                ("set".into(), 3, true, 3),
                ("set".into(), 3, true, 3),
            ]
        );
        let h = c.cmd(&["LATENCY", "HISTOGRAM", "config|resetstat", "config|get"]);
        assert_eq!(skeleton(&h), vec![("config|resetstat".into(), 1, true, 1)]);
        // A 20 ms command lands in the bucket of ~33.8 ms.
        let h = c.cmd(&["LATENCY", "HISTOGRAM", "debug"]);
        let buckets = h.get("debug").and_then(|d| d.get("histogram_usec"));
        assert_eq!(buckets, Some(arr(vec![int(33816), int(1)])), "{h:?}");
        c.expect(&["LATENCY", "HISTOGRAM", "lpush"], arr(vec![]));
        // Without names: every command called so far.
        let all = skeleton(&c.cmd(&["LATENCY", "HISTOGRAM"]));
        assert!(all.contains(&("set".into(), 3, true, 3)), "{all:?}");
        assert!(all.iter().any(|e| e.0 == "latency|histogram"), "{all:?}");
        // RESP3: a map of maps.
        c.cmd(&["HELLO", "3"]);
        let h = c.cmd(&["LATENCY", "HISTOGRAM", "get"]);
        assert!(matches!(&h, Reply::Map(m) if m.len() == 1), "{h:?}");
        assert!(matches!(h.get("get"), Some(Reply::Map(m)) if m.len() == 2));
        assert_eq!(skeleton(&h), vec![("get".into(), 2, true, 2)]);
    });
}

#[test]
fn errors_and_help() {
    let mut helps = Vec::new();
    each_server(|s| {
        let mut c = s.connect();
        c.expect_err(
            &["LATENCY"],
            "ERR wrong number of arguments for 'latency' command",
        );
        c.expect_err(
            &["LATENCY", "foo"],
            "ERR unknown subcommand 'foo'. Try LATENCY HELP.",
        );
        for (args, name) in [
            (&["LATENCY", "LATEST", "x"][..], "latency|latest"),
            (&["LATENCY", "DOCTOR", "x"][..], "latency|doctor"),
            (&["LATENCY", "HISTORY"][..], "latency|history"),
            (&["LATENCY", "HISTORY", "a", "b"][..], "latency|history"),
            (&["LATENCY", "GRAPH"][..], "latency|graph"),
            (&["LATENCY", "HELP", "x"][..], "latency|help"),
        ] {
            c.expect_err(
                args,
                &format!("ERR wrong number of arguments for '{name}' command"),
            );
        }
        let help = c.cmd(&["LATENCY", "HELP"]);
        assert!(help.array_val().len() > 10);
        helps.push(help);
        c.expect_err(
            &["CONFIG", "SET", "latency-monitor-threshold", "-1"],
            "ERR CONFIG SET failed (possibly related to argument 'latency-monitor-threshold') - argument must be between 0 and 9223372036854775807 inclusive",
        );
    });
    if helps.len() == 2 {
        assert_eq!(helps[0], helps[1]);
    }
}

/// COMMAND INFO and COMMAND DOCS of LATENCY and its subcommands, as Redis.
#[test]
fn command_introspection_matches() {
    const SUBS: [&str; 7] = [
        "doctor",
        "graph",
        "help",
        "histogram",
        "history",
        "latest",
        "reset",
    ];
    let mut runs: Vec<Vec<String>> = Vec::new();
    each_server(|s| {
        let mut c = s.connect();
        let mut seen = Vec::new();
        for sub in SUBS {
            let name = format!("latency|{sub}");
            seen.push(format!("{:?}", c.cmd(&["COMMAND", "INFO", &name])));
            seen.push(format!("{:?}", c.cmd(&["COMMAND", "DOCS", &name])));
        }
        // The container: its own fields, and its subcommands in any order.
        let info = c.cmd(&["COMMAND", "INFO", "latency"]).array_val()[0].array_val();
        seen.push(format!("{:?}", &info[..9]));
        seen.push(format!("{:?}", info[9].sorted()));
        let docs = c.cmd(&["COMMAND", "DOCS", "latency"]).array_val();
        let fields = docs[1].as_pairs().expect("doc fields");
        for (k, v) in fields {
            if k.as_bytes() == Some(b"subcommands") {
                seen.push(format!("{:?}", v.sorted()));
            } else {
                seen.push(format!("{k:?}={v:?}"));
            }
        }
        runs.push(seen);
    });
    if runs.len() == 2 {
        for (a, b) in runs[0].iter().zip(&runs[1]) {
            assert_eq!(a, b);
        }
    }
}
