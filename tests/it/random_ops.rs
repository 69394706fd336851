//! Seeded random operation sequences: the same few thousand mixed string, bitmap
//! and key commands go to oxidis and to redis-server, and every reply must match.

use crate::support::*;
use std::cell::RefCell;

fn key(g: &mut Gen) -> String {
    format!("k{}", g.below(12))
}

fn value(g: &mut Gen) -> String {
    match g.below(5) {
        0 => g.below(1000).to_string(),
        1 => format!("-{}", g.below(50)),
        2 => format!("{}.{}", g.below(100), g.below(100)),
        3 => String::new(),
        _ => "abcdefghij"[..(g.below(10) as usize + 1)].to_string(),
    }
}

fn command(g: &mut Gen) -> Vec<String> {
    let k = key(g);
    let v = value(g);
    let n = (g.below(40) as i64 - 10).to_string();
    let m = (g.below(40) as i64 - 10).to_string();
    let words: Vec<String> = match g.below(32) {
        0 => vec!["SET".into(), k, v],
        1 => vec![
            "SET".into(),
            k,
            v,
            g.pick(&["NX", "XX", "GET", "KEEPTTL"]).into(),
        ],
        2 => vec!["GET".into(), k],
        3 => vec!["APPEND".into(), k, v],
        4 => vec!["INCR".into(), k],
        5 => vec!["INCRBY".into(), k, n],
        6 => vec!["DECRBY".into(), k, n],
        7 => vec!["INCRBYFLOAT".into(), k, v],
        8 => vec!["GETRANGE".into(), k, n, m],
        9 => vec!["SETRANGE".into(), k, g.below(20).to_string(), v],
        10 => vec!["STRLEN".into(), k],
        11 => vec!["DEL".into(), k, key(g)],
        12 => vec!["EXISTS".into(), k, key(g), key(g)],
        13 => vec!["MSET".into(), k, v, key(g), value(g)],
        14 => vec!["MGET".into(), k, key(g), key(g)],
        15 => vec!["GETSET".into(), k, v],
        16 => vec!["GETDEL".into(), k],
        17 => vec!["SETNX".into(), k, v],
        18 => vec!["EXPIRE".into(), k, (1000 + g.below(1000)).to_string()],
        19 => vec!["PERSIST".into(), k],
        20 => vec!["RENAME".into(), k, key(g)],
        21 => vec!["RENAMENX".into(), k, key(g)],
        22 => vec!["TYPE".into(), k],
        23 => vec![
            "SETBIT".into(),
            k,
            g.below(64).to_string(),
            g.below(2).to_string(),
        ],
        24 => vec!["GETBIT".into(), k, g.below(80).to_string()],
        25 => vec!["BITCOUNT".into(), k, n, m, g.pick(&["BYTE", "BIT"]).into()],
        26 => vec!["BITPOS".into(), k, g.below(2).to_string(), n],
        27 => vec![
            "BITOP".into(),
            g.pick(&["AND", "OR", "XOR"]).into(),
            k,
            key(g),
            key(g),
        ],
        28 => vec!["LCS".into(), k, key(g)],
        29 => vec!["RPUSH".into(), k, v],
        30 => vec!["OBJECT".into(), "ENCODING".into(), k],
        _ => vec!["COPY".into(), k, key(g), "REPLACE".into()],
    };
    words
}

/// Replies whose exact value depends on the clock are reduced to their class.
fn normalize(cmd: &[String], reply: Reply) -> Reply {
    match (cmd[0].as_str(), reply) {
        ("TTL" | "PTTL", Reply::Int(n)) if n > 0 => Reply::Int(1),
        (_, r) => r,
    }
}

#[test]
fn random_string_and_key_operations_match_redis() {
    for seed in [0x5EED_0F0A_1D15, 0xC0FFEE, 0xDEAD_BEEF_1234] {
        run_script(seed, false);
    }
    // The same script spoken in RESP3 (nulls, and the OBJECT/TYPE replies, change shape).
    run_script(0xC0FFEE, true);
}

fn run_script(seed: u64, resp3: bool) {
    let mut g = Gen(seed);
    let script: Vec<Vec<String>> = (0..4000).map(|_| command(&mut g)).collect();
    let results: RefCell<Vec<(Kind, Vec<Reply>)>> = RefCell::new(Vec::new());
    each_server(|s| {
        let mut c = s.connect();
        if resp3 {
            let hello = c.cmd(&["HELLO", "3"]);
            assert!(matches!(hello, Reply::Map(_)), "{hello:?}");
        }
        let mut replies = Vec::with_capacity(script.len());
        for chunk in script.chunks(100) {
            let got = c.pipeline(chunk);
            for (cmd, r) in chunk.iter().zip(got) {
                replies.push(normalize(cmd, r));
            }
            // Look at TTLs too, through the same normalisation.
            let ttl = vec!["TTL".to_string(), chunk[0][1].clone()];
            let r = c.cmd(&ttl);
            replies.push(normalize(&ttl, r));
        }
        results.borrow_mut().push((s.kind(), replies));
    });
    let results = results.into_inner();
    let ox = results.iter().find(|(k, _)| *k == Kind::Oxidis);
    let rd = results.iter().find(|(k, _)| *k == Kind::Redis);
    if let (Some((_, ox)), Some((_, rd))) = (ox, rd) {
        assert_eq!(ox.len(), rd.len());
        for (i, (a, b)) in ox.iter().zip(rd).enumerate() {
            let step = i / 101 * 100 + (i % 101).min(99);
            assert_eq!(a, b, "reply {i} differs (command {:?})", script.get(step));
        }
    }
}
