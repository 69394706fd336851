//! HyperLogLog commands: PFADD PFCOUNT PFMERGE PFDEBUG PFSELFTEST, the exact bytes
//! of the representation (sparse and dense, as Redis 7.0 writes them), the
//! sparse → dense promotion, the cached cardinality, errors, events, and a seeded
//! random differential run.

use crate::support::*;

const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
const NOT_HLL: &str = "WRONGTYPE Key is not a valid HyperLogLog string value.";
const CORRUPT: &str = "INVALIDOBJ Corrupted HLL object detected";
const DENSE_SIZE: i64 = 12304;

/// `PFADD x e0 .. e199` as Redis 7.0.15 stores it (sparse, cached cardinality stale).
const SPARSE_200: &str = "48594c4c010000000000000000000080368421801980409f8408a40e88409084406c9c0190018812883884409480411c8817884055800080407a80411d8812804075800d842a8040638440768c404684414880098040d5800980409480407e9040738040628440a280408384405d84148040cb8407840d8040f080405e80068427844081803c844047840780404e80408f84039404844043840c842684406e80407380404084409d84198019802a8441028c088441298010801c884060801080404b8c4052881b8040b080406e8040bc802b8c40f58040618c1a840380407e80408080404580088440fd80405a80406684409f8040468c108c018401841e8811802384407d8440de84406280308812844065840784198040de84404684408b8814802988008402800a8840578041a79011842e844070801f840180189440f98440848c168421813c881d801380368410804089844044804147800380228040b88440bb88404684168040c684404980048440e680404380388c405c80405584409980268005800380405480409e88404c882e8840448040b080198408841f880380405b841b803f804044804055800d88128440d380405988408b800290407e800784407b801d841d8040af8418840f844045803384404f80288440a78440768040578419844048800e9022840a80406a840d8039801380409a8828804046844044";

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn arity(cmd: &str) -> String {
    format!("ERR wrong number of arguments for '{cmd}' command")
}

/// An empty HLL's bytes, with the cached cardinality stale or 0.
fn empty_hll(stale: bool) -> Vec<u8> {
    let mut v = b"HYLL\x01\0\0\0\0\0\0\0\0\0\0\0\x7f\xff".to_vec();
    if stale {
        v[15] = 0x80;
    }
    v
}

/// Runs `f` on each server and asserts both produced the same replies.
fn same_on_both(mut f: impl FnMut(&mut Conn) -> Vec<(String, Reply)>) {
    let mut runs: Vec<Vec<(String, Reply)>> = Vec::new();
    each_server(|s| {
        let mut c = s.connect();
        runs.push(f(&mut c));
    });
    if let [a, b] = runs.as_slice() {
        assert_eq!(a.len(), b.len());
        for ((cmd, x), (_, y)) in a.iter().zip(b) {
            assert_eq!(x, y, "replies differ for `{cmd}` (oxidis, redis)");
        }
    }
}

fn ints_sum(r: &Reply) -> i64 {
    r.array_val().iter().map(|v| v.int_val()).sum()
}

#[test]
fn pfadd_and_pfcount() {
    each_server(|s| {
        let mut c = s.connect();
        // A new key is an update even without elements; the cache starts stale.
        c.expect(&["PFADD", "e"], int(1));
        c.expect(&["PFADD", "e"], int(0));
        c.expect(&["GET", "e"], bulk(empty_hll(true)));
        c.expect(&["TYPE", "e"], status("string"));
        c.expect(&["OBJECT", "ENCODING", "e"], bulk("raw"));
        c.expect(&["PFCOUNT", "e"], int(0));
        c.expect(&["GET", "e"], bulk(empty_hll(false)));
        c.expect(&["PFDEBUG", "DECODE", "e"], bulk("Z:16384"));
        c.expect(&["PFDEBUG", "ENCODING", "e"], status("sparse"));

        c.expect(&["PFADD", "h", "a", "b", "c", "d", "e", "f", "g"], int(1));
        c.expect(&["PFADD", "h", "a", "b", "c"], int(0));
        c.expect(&["PFADD", "h", "a", "b", "c", "zz"], int(1));
        c.expect(&["PFCOUNT", "h"], int(8));
        c.expect(&["GETRANGE", "h", "8", "15"], bulk(b"\x08\0\0\0\0\0\0\0"));
        // The cached value is returned as is.
        c.expect(&["PFCOUNT", "h"], int(8));
        c.expect(&["PFADD", "one", "a"], int(1));
        c.expect(&["PFDEBUG", "DECODE", "one"], bulk("Z:12711 v:2,1 Z:3672"));
        c.expect(&["PFCOUNT", "one"], int(1));
        // Missing keys count as empty.
        c.expect(&["PFCOUNT", "nokey"], int(0));
        c.expect(&["PFCOUNT", "nokey", "other"], int(0));
        c.expect(&["PFCOUNT", "h", "one", "nokey"], int(8));
        c.expect(&["PFADD", "h2", "x", "y", "a"], int(1));
        c.expect(&["PFCOUNT", "h", "h2"], int(10));
        c.expect(&["PFCOUNT", "h", "h", "h"], int(8));
        // Binary and empty elements are elements too.
        c.expect(&["PFADD", "bin", "", "\0", "\0\0\u{ff}"], int(1));
        c.expect(&["PFCOUNT", "bin"], int(3));
        c.expect(&["EXISTS", "nokey"], int(0));
    });
}

#[test]
fn errors() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect_err(&["PFADD"], &arity("pfadd"));
        c.expect_err(&["PFCOUNT"], &arity("pfcount"));
        c.expect_err(&["PFMERGE"], &arity("pfmerge"));
        c.expect_err(&["PFDEBUG"], &arity("pfdebug"));
        c.expect_err(&["PFDEBUG", "GETREG"], &arity("pfdebug"));
        c.expect_err(&["PFDEBUG", "GETREG", "a", "b"], &arity("pfdebug"));
        c.expect_err(&["PFSELFTEST", "x"], &arity("pfselftest"));
        // Other types.
        c.expect(&["RPUSH", "l", "a"], int(1));
        c.expect_err(&["PFADD", "l", "a"], WRONGTYPE);
        c.expect_err(&["PFADD", "l"], WRONGTYPE);
        c.expect_err(&["PFCOUNT", "l"], WRONGTYPE);
        c.expect_err(&["PFCOUNT", "nokey", "l"], WRONGTYPE);
        c.expect_err(&["PFMERGE", "l"], WRONGTYPE);
        c.expect_err(&["PFMERGE", "d", "l"], WRONGTYPE);
        c.expect(&["EXISTS", "d"], int(0));
        c.expect_err(&["PFDEBUG", "GETREG", "l"], WRONGTYPE);
        c.expect_err(&["PFDEBUG", "NOSUCH", "l"], WRONGTYPE);
        // Strings that are not HLLs: short, integer, bad magic, bad encoding byte,
        // dense of the wrong length.
        let bad: Vec<Vec<u8>> = vec![
            b"foo".to_vec(),
            b"123".to_vec(),
            b"HYLL".to_vec(),
            b"HYLL\x01\0\0\0\0\0\0\0\0\0\0".to_vec(),
            b"HYLX\x01\0\0\0\0\0\0\0\0\0\0\0\x7f\xff".to_vec(),
            b"HYLL\x02\0\0\0\0\0\0\0\0\0\0\0\x7f\xff".to_vec(),
            b"HYLL\0\0\0\0\0\0\0\0\0\0\0\0\x7f\xff".to_vec(),
        ];
        for v in &bad {
            c.expect(&[b"SET".as_slice(), b"s", v], ok());
            c.expect_err(&["PFADD", "s", "a"], NOT_HLL);
            c.expect_err(&["PFADD", "s"], NOT_HLL);
            c.expect_err(&["PFCOUNT", "s"], NOT_HLL);
            c.expect_err(&["PFCOUNT", "s", "nokey"], NOT_HLL);
            c.expect_err(&["PFMERGE", "s"], NOT_HLL);
            c.expect_err(&["PFMERGE", "d", "s"], NOT_HLL);
            c.expect_err(&["PFDEBUG", "ENCODING", "s"], NOT_HLL);
            c.expect_err(&["PFDEBUG", "NOSUCH", "s"], NOT_HLL);
            c.expect(&[b"GET".as_slice(), b"s"], bulk(v));
        }
        // A valid dense HLL with one byte more is no longer valid.
        c.expect(&["PFADD", "h", "a"], int(1));
        c.expect(&["PFDEBUG", "TODENSE", "h"], int(1));
        c.expect(&["STRLEN", "h"], int(DENSE_SIZE));
        c.expect(&["APPEND", "h", "x"], int(DENSE_SIZE + 1));
        c.expect_err(&["PFCOUNT", "h"], NOT_HLL);
        // The first bad key stops PFCOUNT.
        c.expect(&["PFADD", "ok1", "a"], int(1));
        c.expect_err(&["PFCOUNT", "ok1", "h", "l"], NOT_HLL);
        c.expect_err(&["PFCOUNT", "ok1", "l", "h"], WRONGTYPE);
        // PFDEBUG: the key is looked at before the subcommand.
        c.expect_err(
            &["PFDEBUG", "GETREG", "nokey"],
            "ERR The specified key does not exist",
        );
        c.expect_err(
            &["PFDEBUG", "NOSUCH", "nokey"],
            "ERR The specified key does not exist",
        );
        c.expect_err(
            &["PFDEBUG", "NoSuch", "ok1"],
            "ERR Unknown PFDEBUG subcommand 'NoSuch'",
        );
        c.expect(&["PFDEBUG", "TODENSE", "ok1"], int(1));
        c.expect_err(
            &["PFDEBUG", "DECODE", "ok1"],
            "ERR HLL encoding is not sparse",
        );
        c.expect(&["PFDEBUG", "encoding", "ok1"], status("dense"));
    });
}

#[test]
fn corrupted_sparse_hll() {
    each_server(|s| {
        let mut c = s.connect();
        let good = unhex(SPARSE_200);
        // One byte short: the opcodes no longer cover 16384 registers.
        let short = &good[..good.len() - 1];
        c.expect(&[b"SET".as_slice(), b"c", short], ok());
        c.expect_err(&["PFCOUNT", "c"], CORRUPT);
        c.expect_err(&["PFCOUNT", "c", "nokey"], CORRUPT);
        c.expect_err(&["PFMERGE", "d", "c"], CORRUPT);
        c.expect(&["EXISTS", "d"], int(0));
        c.expect_err(&["PFMERGE", "c"], CORRUPT);
        c.expect_err(&["PFDEBUG", "GETREG", "c"], CORRUPT);
        c.expect_err(&["PFDEBUG", "TODENSE", "c"], CORRUPT);
        c.expect(&["PFDEBUG", "ENCODING", "c"], status("sparse"));
        // DECODE shows the opcodes whatever they cover.
        let decoded = c.cmd(&["PFDEBUG", "DECODE", "c"]).str_val();
        assert!(decoded.starts_with("z:55 v:2,1 z:34 v:1,1 "), "{decoded}");
        // Registers past the last opcode cannot be set.
        c.expect_err(
            &["PFADD", "c", "e199", "x", "y", "z", "w", "v", "u"],
            CORRUPT,
        );
        // A valid cached cardinality is trusted without looking at the registers.
        let mut cached = short.to_vec();
        cached[8] = 42;
        cached[15] = 0;
        c.expect(&[b"SET".as_slice(), b"c2", &cached], ok());
        c.expect(&["PFCOUNT", "c2"], int(42));
        c.expect_err(&["PFCOUNT", "c2", "c2"], CORRUPT);
        // A header alone has no opcodes at all.
        c.expect(&["SET", "hdr", "HYLL\x01\0\0\0\0\0\0\0\0\0\0\0"], ok());
        c.expect(&["PFDEBUG", "DECODE", "hdr"], bulk(""));
        c.expect_err(&["PFADD", "hdr", "a"], CORRUPT);
        c.expect(&["PFADD", "hdr"], int(0));
        // A truncated XZERO reads its missing byte as 0 (16129 registers).
        c.expect(
            &[
                b"SET".as_slice(),
                b"tr",
                b"HYLL\x01\0\0\0\0\0\0\0\0\0\0\x80\x7f",
            ],
            ok(),
        );
        c.expect(&["PFDEBUG", "DECODE", "tr"], bulk("Z:16129"));
        c.expect_err(&["PFCOUNT", "tr"], CORRUPT);
        // Too many registers: VAL past the end.
        let mut over = empty_hll(true);
        over.push(0x80);
        c.expect(&[b"SET".as_slice(), b"ov", &over], ok());
        c.expect_err(&["PFCOUNT", "ov"], CORRUPT);
        c.expect_err(&["PFDEBUG", "TODENSE", "ov"], CORRUPT);
        c.expect_err(&["PFCOUNT", "ov", "ov"], CORRUPT);
        c.expect_err(&["PFMERGE", "d", "ov"], CORRUPT);
        // Registers inside the covered range can still be raised.
        c.expect(&["PFADD", "ov", "a"], int(1));
        c.expect(
            &["PFDEBUG", "DECODE", "ov"],
            bulk("Z:12711 v:2,1 Z:3672 v:1,1"),
        );
    });
}

#[test]
fn bytes_copied_from_redis() {
    each_server(|s| {
        let mut c = s.connect();
        let raw = unhex(SPARSE_200);
        c.expect(&[b"SET".as_slice(), b"x", &raw], ok());
        // Stored by SET: an ordinary string (embstr only for short ones).
        c.expect(&["OBJECT", "ENCODING", "x"], bulk("raw"));
        c.expect(&["PFCOUNT", "x"], int(200));
        // The same elements change nothing: the registers are the same.
        let elems: Vec<String> = (0..200).map(|i| format!("e{i}")).collect();
        let mut cmd = vec!["PFADD".to_string(), "y".to_string()];
        cmd.extend(elems.iter().cloned());
        c.expect(&cmd, int(1));
        c.expect(&["PFCOUNT", "y"], int(200));
        let want = c.cmd(&["GET", "x"]);
        c.expect(&["GET", "y"], want);
        cmd[1] = "x".into();
        c.expect(&cmd, int(0));
        let mut cached = raw.clone();
        cached[8] = 200;
        cached[15] = 0;
        c.expect(&["GET", "x"], bulk(&cached));
        let regs = c.cmd(&["PFDEBUG", "GETREG", "x"]);
        assert_eq!(regs.array_val().len(), 16384);
        c.expect(&["PFDEBUG", "ENCODING", "x"], status("dense"));
        assert_eq!(ints_sum(&regs), 384);
        c.expect(&["PFCOUNT", "x"], int(200));
        c.expect(&["PFCOUNT", "x", "nokey"], int(200));
        c.expect(
            &["GETRANGE", "x", "0", "15"],
            bulk(b"HYLL\0\0\0\0\xc8\0\0\0\0\0\0\0"),
        );
        // A short sparse HLL set by SET is embstr until a PF command unshares it.
        c.expect(&[b"SET".as_slice(), b"small", &empty_hll(false)], ok());
        c.expect(&["OBJECT", "ENCODING", "small"], bulk("embstr"));
        c.expect(&["PFCOUNT", "small"], int(0));
        c.expect(&["OBJECT", "ENCODING", "small"], bulk("raw"));
        // Every register at 63: the estimator's z is 0 and Redis answers LLONG_MIN;
        // with the cache valid (0) the cache is answered.
        let mut ff = b"HYLL\0\0\0\0\0\0\0\0\0\0\0\x80".to_vec();
        ff.resize(DENSE_SIZE as usize, 0xff);
        c.expect(&[b"SET".as_slice(), b"ff", &ff], ok());
        c.expect(&["PFCOUNT", "ff", "ff"], int(i64::MIN));
        c.expect(&["PFCOUNT", "ff"], int(i64::MIN));
        // ... and the value stored as 2^63 has the stale bit set.
        c.expect(&["GETRANGE", "ff", "8", "15"], bulk(b"\0\0\0\0\0\0\0\x80"));
    });
}

#[test]
fn pfmerge() {
    each_server(|s| {
        let mut c = s.connect();
        // No source: the destination is created empty (cache stale).
        c.ok(&["PFMERGE", "d"]);
        c.expect(&["GET", "d"], bulk(empty_hll(true)));
        c.ok(&["PFMERGE", "d2", "nokey", "nokey2"]);
        c.expect(&["PFCOUNT", "d2"], int(0));
        c.expect(&["PFADD", "a", "1", "2", "3", "4"], int(1));
        c.expect(&["PFADD", "b", "3", "4", "5", "6"], int(1));
        c.ok(&["PFMERGE", "u", "a", "b"]);
        c.expect(&["PFCOUNT", "u"], int(6));
        c.expect(&["PFDEBUG", "ENCODING", "u"], status("sparse"));
        c.expect(&["PFCOUNT", "a"], int(4));
        // The destination is one of the sets merged.
        c.expect(&["PFADD", "a2", "x", "y"], int(1));
        c.ok(&["PFMERGE", "a2", "b"]);
        c.expect(&["PFCOUNT", "a2"], int(6));
        c.ok(&["PFMERGE", "a2"]);
        c.expect(&["PFCOUNT", "a2"], int(6));
        c.ok(&["PFMERGE", "a", "a", "a"]);
        c.expect(&["PFCOUNT", "a"], int(4));
        // A dense source makes the destination dense.
        c.expect(&["PFDEBUG", "TODENSE", "b"], int(1));
        c.ok(&["PFMERGE", "u2", "a", "b"]);
        c.expect(&["PFDEBUG", "ENCODING", "u2"], status("dense"));
        c.expect(&["PFCOUNT", "u2"], int(6));
        c.expect(
            &["GETRANGE", "u2", "0", "15"],
            bulk(b"HYLL\0\0\0\0\x06\0\0\0\0\0\0\0"),
        );
        c.ok(&["PFMERGE", "a", "b"]);
        c.expect(&["PFDEBUG", "ENCODING", "a"], status("dense"));
        let want = c.cmd(&["PFDEBUG", "GETREG", "u2"]);
        c.expect(&["PFDEBUG", "GETREG", "a"], want);
        // Sparse sources merged into a dense destination keep it dense.
        c.expect(&["PFADD", "s1", "q"], int(1));
        c.ok(&["PFMERGE", "u2", "s1"]);
        c.expect(&["PFCOUNT", "u2"], int(7));
        c.expect(&["STRLEN", "u2"], int(DENSE_SIZE));
    });
}

#[test]
fn sparse_to_dense_at_the_threshold() {
    // Lengths of the sparse string after each add, with a large limit.
    let elems: Vec<String> = (0..400).map(|i| format!("t{i}")).collect();
    let mut lens: Vec<i64> = Vec::new();
    each_server(|s| {
        let mut c = s.connect();
        let mut here = Vec::new();
        for e in &elems {
            c.cmd(&["PFADD", "h", e]);
            here.push(c.cmd(&["STRLEN", "h"]).int_val());
        }
        c.expect(&["PFDEBUG", "ENCODING", "h"], status("sparse"));
        if lens.is_empty() {
            lens = here;
        } else {
            assert_eq!(lens, here);
        }
    });
    // Pick an add that grows the string: with the limit at exactly the new length
    // it stays sparse; one byte less and it turns dense; one more, sparse.
    let k = (1..lens.len())
        .find(|&i| lens[i] > lens[i - 1] && lens[i] > 300)
        .unwrap();
    let n = lens[k];
    for (limit, dense) in [(n - 1, true), (n, false), (n + 1, false)] {
        each_server(|s| {
            let mut c = s.connect();
            c.ok(&["CONFIG", "SET", "hll-sparse-max-bytes", &limit.to_string()]);
            for e in &elems[..k] {
                c.cmd(&["PFADD", "h", e]);
            }
            c.expect(&["PFDEBUG", "ENCODING", "h"], status("sparse"));
            c.expect(&["STRLEN", "h"], int(lens[k - 1]));
            c.expect(&["PFADD", "h", &elems[k]], int(1));
            if dense {
                c.expect(&["PFDEBUG", "ENCODING", "h"], status("dense"));
                c.expect(&["STRLEN", "h"], int(DENSE_SIZE));
            } else {
                c.expect(&["PFDEBUG", "ENCODING", "h"], status("sparse"));
                c.expect(&["STRLEN", "h"], int(n));
            }
            let want = c.cmd(&["PFCOUNT", "h", "h"]);
            c.expect(&["PFCOUNT", "h"], want);
        });
    }
    // With a limit of 0 the first split turns the HLL dense; the read of the
    // setting happens at each write (runtime-settable).
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["PFADD", "z"], int(1));
        c.ok(&["CONFIG", "SET", "hll-sparse-max-bytes", "0"]);
        c.expect(&["PFADD", "z"], int(0));
        c.expect(&["PFDEBUG", "ENCODING", "z"], status("sparse"));
        c.expect(&["PFADD", "z", "a"], int(1));
        c.expect(&["PFDEBUG", "ENCODING", "z"], status("dense"));
        c.expect(&["PFCOUNT", "z"], int(1));
        c.ok(&["CONFIG", "SET", "hll-sparse-max-bytes", "3000"]);
        c.expect(&["PFADD", "z2", "a"], int(1));
        c.expect(&["PFDEBUG", "ENCODING", "z2"], status("sparse"));
        // PFMERGE into a sparse destination follows the same limit.
        c.ok(&["CONFIG", "SET", "hll-sparse-max-bytes", "20"]);
        c.expect(&["PFADD", "m1", "a", "b", "c"], int(1));
        c.ok(&["PFMERGE", "m2", "m1"]);
        c.expect(&["PFDEBUG", "ENCODING", "m2"], status("dense"));
        c.expect(&["PFCOUNT", "m2"], int(3));
    });
}

#[test]
fn register_value_above_32_promotes() {
    // HIGH_ELEMENT hashes to a run of 34: a sparse VAL (up to 32) cannot hold it.
    each_server(|s| {
        let mut c = s.connect();
        c.expect(&["PFADD", "h", "a"], int(1));
        c.expect(&["PFADD", "h", HIGH_ELEMENT], int(1));
        c.expect(&["PFDEBUG", "ENCODING", "h"], status("dense"));
        let regs = c.cmd(&["PFDEBUG", "GETREG", "h"]).array_val();
        let max = regs.iter().map(|r| r.int_val()).max().unwrap();
        assert!(max > 32, "{max}");
        c.expect(&["PFCOUNT", "h"], int(2));
        // A merge of it into a sparse destination promotes too.
        c.expect(&["PFADD", "s", "b"], int(1));
        c.ok(&["PFMERGE", "s", "h"]);
        c.expect(&["PFDEBUG", "ENCODING", "s"], status("dense"));
        c.expect(&["PFCOUNT", "s"], int(3));
    });
}

/// An element whose hash gives a register value above 32.
const HIGH_ELEMENT: &str = "xfh4svqb";

#[test]
fn one_million_distinct_elements() {
    each_server(|s| {
        let mut c = s.connect();
        let mut counts = Vec::new();
        for batch in 0..100 {
            let cmds: Vec<Vec<String>> = (0..10)
                .map(|k| {
                    let start = (batch * 10 + k) * 1000;
                    let mut cmd = vec!["PFADD".to_string(), "big".to_string()];
                    cmd.extend((start..start + 1000).map(|j| format!("el:{j}")));
                    cmd
                })
                .collect();
            for r in c.pipeline(&cmds) {
                assert!(!r.is_error(), "{r:?}");
            }
            if [0, 9, 99].contains(&batch) {
                counts.push(c.cmd(&["PFCOUNT", "big"]).int_val());
            }
        }
        // Redis 7.0.15's estimates for 10k, 100k and 1M elements.
        assert_eq!(counts, vec![10019, 98893, 995821]);
        c.expect(&["PFDEBUG", "ENCODING", "big"], status("dense"));
        c.expect(&["PFCOUNT", "big", "nokey"], int(995821));
    });
}

#[test]
fn cached_cardinality_write_semantics() {
    each_server(|s| {
        let mut c = s.connect();
        let mut other = s.connect();
        let changes = |c: &mut Conn| {
            let info = c.cmd(&["INFO", "persistence"]).str_val();
            info_field(&info, "rdb_changes_since_last_save")
                .unwrap()
                .parse::<i64>()
                .unwrap()
        };
        let base = changes(&mut c);
        // Created + 3 registers changed.
        c.expect(&["PFADD", "h", "a", "b", "c"], int(1));
        assert_eq!(changes(&mut c) - base, 4);
        c.expect(&["PFADD", "h", "a"], int(0));
        assert_eq!(changes(&mut c) - base, 4);
        // Refreshing the cache is a change; reading it is not.
        c.expect(&["PFCOUNT", "h"], int(3));
        assert_eq!(changes(&mut c) - base, 5);
        c.expect(&["PFCOUNT", "h"], int(3));
        c.expect(&["PFCOUNT", "h", "h"], int(3));
        assert_eq!(changes(&mut c) - base, 5);
        // A refreshed cache touches watchers (PFCOUNT is a read for everything else).
        c.ok(&["WATCH", "h"]);
        other.expect(&["PFCOUNT", "h"], int(3));
        c.ok(&["MULTI"]);
        c.expect(&["PING"], status("QUEUED"));
        c.expect(&["EXEC"], arr(vec![status("PONG")]));
        c.ok(&["WATCH", "h"]);
        other.expect(&["PFADD", "h", "d"], int(1));
        other.expect(&["PFCOUNT", "h"], int(4));
        c.ok(&["MULTI"]);
        c.expect(&["EXEC"], nil_arr());
        c.expect(&["PFADD", "h", "e"], int(1));
        c.ok(&["WATCH", "h"]);
        other.expect(&["PFCOUNT", "h"], int(5));
        c.ok(&["MULTI"]);
        c.expect(&["EXEC"], nil_arr());
        // PFDEBUG conversions count as changes.
        let before = changes(&mut c);
        c.expect(&["PFDEBUG", "TODENSE", "h"], int(1));
        c.expect(&["PFDEBUG", "TODENSE", "h"], int(0));
        c.expect(&["PFADD", "g", "a"], int(1));
        let before_getreg = changes(&mut c);
        assert_eq!(before_getreg - before, 3);
        c.cmd(&["PFDEBUG", "GETREG", "g"]);
        c.cmd(&["PFDEBUG", "GETREG", "g"]);
        assert_eq!(changes(&mut c) - before_getreg, 1);
        // PFMERGE counts one change.
        c.ok(&["PFMERGE", "g", "h"]);
        assert_eq!(changes(&mut c) - before_getreg, 2);
    });
}

#[test]
fn keyspace_events() {
    each_server(|s| {
        let mut c = s.connect();
        c.ok(&["CONFIG", "SET", "notify-keyspace-events", "KEA"]);
        let mut sub = s.connect();
        sub.cmd(&["PSUBSCRIBE", "__key*__:*"]);
        sub.cmd(&["SUBSCRIBE", "end"]);
        let mut run = |c: &mut Conn, cmd: &[&str]| -> Vec<String> {
            c.cmd(cmd);
            c.cmd(&["PUBLISH", "end", "x"]);
            let mut got = Vec::new();
            loop {
                let m = sub.read_reply().strings();
                if m[0] == "message" {
                    return got;
                }
                got.push(format!("{} {}", m[2], m[3]));
            }
        };
        let ev = |key: &str, event: &str| {
            vec![
                format!("__keyspace@0__:{key} {event}"),
                format!("__keyevent@0__:{event} {key}"),
            ]
        };
        assert_eq!(run(&mut c, &["PFADD", "h", "a"]), ev("h", "pfadd"));
        assert_eq!(run(&mut c, &["PFADD", "h", "a"]), Vec::<String>::new());
        assert_eq!(run(&mut c, &["PFADD", "e"]), ev("e", "pfadd"));
        assert_eq!(run(&mut c, &["PFCOUNT", "h"]), Vec::<String>::new());
        // Redis 7.0 announces a merge as "pfadd", even when nothing changed.
        assert_eq!(run(&mut c, &["PFMERGE", "m", "h"]), ev("m", "pfadd"));
        assert_eq!(run(&mut c, &["PFMERGE", "m", "h"]), ev("m", "pfadd"));
        assert_eq!(
            run(&mut c, &["PFDEBUG", "TODENSE", "m"]),
            Vec::<String>::new()
        );
        assert_eq!(
            run(&mut c, &["PFADD", "nokey2", "x"]),
            ev("nokey2", "pfadd")
        );
    });
}

#[test]
fn resp3_replies_and_selftest() {
    each_server(|s| {
        let mut c = s.connect();
        c.cmd(&["HELLO", "3"]);
        c.expect(&["PFADD", "h", "a"], int(1));
        c.expect(&["PFCOUNT", "h"], int(1));
        c.expect(&["PFDEBUG", "ENCODING", "h"], status("sparse"));
        c.expect(&["PFDEBUG", "DECODE", "h"], bulk("Z:12711 v:2,1 Z:3672"));
        let regs = c.cmd(&["PFDEBUG", "GETREG", "h"]);
        assert_eq!(regs.array_val().len(), 16384);
        assert_eq!(ints_sum(&regs), 2);
        c.ok(&["PFMERGE", "h2", "h"]);
        c.ok(&["PFSELFTEST"]);
    });
}

#[test]
fn command_info_and_docs_match_redis() {
    each_server(|s| {
        let mut c = s.connect();
        c.expect_unordered(
            &["COMMAND", "LIST", "FILTERBY", "ACLCAT", "hyperloglog"],
            bulks(&["pfadd", "pfcount", "pfdebug", "pfmerge", "pfselftest"]),
        );
    });
    same_on_both(|c| {
        let mut seen = Vec::new();
        for name in ["pfadd", "pfcount", "pfmerge", "pfdebug", "pfselftest"] {
            for sub in ["INFO", "DOCS"] {
                seen.push((
                    format!("COMMAND {sub} {name}"),
                    c.cmd(&["COMMAND", sub, name]),
                ));
            }
        }
        for cmd in [
            &["PFADD", "k1", "a", "b"][..],
            &["PFCOUNT", "k1", "k2", "k3"],
            &["PFMERGE", "k1", "k2", "k3"],
            &["PFDEBUG", "GETREG", "k1"],
        ] {
            let mut args = vec!["COMMAND", "GETKEYS"];
            args.extend_from_slice(cmd);
            seen.push((args.join(" "), c.cmd(&args)));
            args[1] = "GETKEYSANDFLAGS";
            seen.push((args.join(" "), c.cmd(&args)));
        }
        seen
    });
}

/// A few thousand random HLL commands; every reply (string bytes included) must
/// be the same on both servers.
#[test]
fn random_operations_match_redis() {
    let mut g = Gen(0x5EED_4C4C_0001_7AB3);
    let keys = ["h0", "h1", "h2", "h3", "h4"];
    let mut script: Vec<Vec<String>> = Vec::new();
    for _ in 0..3000 {
        let k = keys[g.below(keys.len() as u64) as usize].to_string();
        let pick = |g: &mut Gen| keys[g.below(keys.len() as u64) as usize].to_string();
        let cmd: Vec<String> = match g.below(100) {
            0..=44 => {
                let mut c = vec!["PFADD".into(), k];
                // Mostly a small pool (repeats), sometimes fresh elements.
                for _ in 0..g.below(12) {
                    let e = if g.below(4) == 0 {
                        format!("fresh:{}", g.next())
                    } else {
                        format!("p{}", g.below(3000))
                    };
                    c.push(e);
                }
                c
            }
            45..=59 => vec!["PFCOUNT".into(), k],
            60..=66 => vec!["PFCOUNT".into(), k, pick(&mut g), pick(&mut g)],
            67..=72 => vec!["PFMERGE".into(), k, pick(&mut g), pick(&mut g)],
            73..=75 => vec!["PFMERGE".into(), k],
            76..=79 => vec!["PFDEBUG".into(), "DECODE".into(), k],
            80..=82 => vec!["PFDEBUG".into(), "ENCODING".into(), k],
            83 => vec!["PFDEBUG".into(), "TODENSE".into(), k],
            84..=88 => vec!["GET".into(), k],
            89..=90 => vec!["DEL".into(), k],
            // Damage (wrong types, non-HLL strings, corrupted opcodes) only "h4".
            91 => vec!["SET".into(), "h4".into(), "notanhll".into()],
            92 => match g.below(2) {
                0 => vec!["RPUSH".into(), "h4".into(), "x".into()],
                _ => vec![
                    "SETRANGE".into(),
                    "h4".into(),
                    (16 + g.below(40)).to_string(),
                    "\u{7f}".into(),
                ],
            },
            93..=95 => vec![
                "CONFIG".into(),
                "SET".into(),
                "hll-sparse-max-bytes".into(),
                ["40", "200", "1000", "3000"][g.below(4) as usize].into(),
            ],
            96 => vec!["STRLEN".into(), k],
            97 => vec![
                "COPY".into(),
                k,
                keys[g.below(4) as usize].into(),
                "REPLACE".into(),
            ],
            _ => vec!["PFDEBUG".into(), "GETREG".into(), k],
        };
        script.push(cmd);
    }
    same_on_both(|c| {
        let mut out = Vec::with_capacity(script.len());
        for chunk in script.chunks(50) {
            for (cmd, r) in chunk.iter().zip(c.pipeline(chunk)) {
                out.push((cmd.join(" "), r));
            }
        }
        // The script must mostly exercise working HLLs, not errors.
        let errors = out.iter().filter(|(_, r)| r.is_error()).count();
        assert!(errors < out.len() / 5, "{errors} errors");
        let dense = out.iter().filter(|(_, r)| *r == status("dense")).count();
        assert!(dense > 0 && dense < 100, "{dense}");
        out
    });
}
