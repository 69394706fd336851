//! The AOF base file written as commands (`aof-use-rdb-preamble no`).
//!
//! Each key becomes the commands that recreate it, in the form Redis 7.0 writes
//! in its rewrite, so either server loads the other's base file: `SET` for
//! strings, `RPUSH`/`SADD`/`ZADD`/`HMSET` for collections, a stream as its
//! entries (`XADD`), its counters (`XSETID`) and its groups (`XGROUP CREATE`,
//! `XCLAIM` per pending entry, `XGROUP CREATECONSUMER` for idle consumers), then
//! `PEXPIREAT` when the key has a deadline.
//!
//! Collections are cut into commands of at most [`ITEMS_PER_CMD`] elements (as
//! Redis does), so loading never parses one huge command.
//!
//! The helpers writing one RESP command ([`command`], or [`header`] then
//! [`bulk`]s) serve command propagation too.

use crate::keyspace::{Entry, Value, NO_EXPIRE};
use crate::types::set::Member;
use crate::types::stream::{Stream, StreamId};
use crate::util::num;

/// Elements per command for collections (Redis's AOF_REWRITE_ITEMS_PER_CMD).
pub const ITEMS_PER_CMD: usize = 64;

/// A multibulk header: `*<n>\r\n`; `n` bulks must follow.
pub fn header(out: &mut Vec<u8>, n: usize) {
    out.push(b'*');
    num::fmt_u64(n as u64, out);
    out.extend_from_slice(b"\r\n");
}

/// One bulk string: `$<len>\r\n<bytes>\r\n`.
pub fn bulk(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'$');
    num::fmt_u64(bytes.len() as u64, out);
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(bytes);
    out.extend_from_slice(b"\r\n");
}

/// An integer as a bulk string in decimal, formatted on the stack.
pub fn bulk_u64(out: &mut Vec<u8>, n: u64) {
    let mut digits = [0u8; 20];
    let start = num::u64_digits(n, &mut digits);
    bulk(out, &digits[start..]);
}

/// A signed integer as a bulk string in decimal, formatted on the stack.
pub fn bulk_i64(out: &mut Vec<u8>, n: i64) {
    let mut digits = [0u8; 20];
    let start = num::u64_digits(n.unsigned_abs(), &mut digits);
    let digits = &digits[start..];
    let neg = n < 0;
    out.push(b'$');
    num::fmt_u64((digits.len() + neg as usize) as u64, out);
    out.extend_from_slice(b"\r\n");
    if neg {
        out.push(b'-');
    }
    out.extend_from_slice(digits);
    out.extend_from_slice(b"\r\n");
}

/// A stream id `ms-seq` as a bulk string, formatted on the stack.
pub fn bulk_id(out: &mut Vec<u8>, id: StreamId) {
    let (mut ms_buf, mut seq_buf) = ([0u8; 20], [0u8; 20]);
    let ms_start = num::u64_digits(id.ms, &mut ms_buf);
    let seq_start = num::u64_digits(id.seq, &mut seq_buf);
    let (ms, seq) = (&ms_buf[ms_start..], &seq_buf[seq_start..]);
    out.push(b'$');
    num::fmt_u64((ms.len() + 1 + seq.len()) as u64, out);
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(ms);
    out.push(b'-');
    out.extend_from_slice(seq);
    out.extend_from_slice(b"\r\n");
}

/// A score as Redis writes doubles in the AOF: C `%.17g`, `inf`/`-inf`.
pub fn bulk_double(out: &mut Vec<u8>, v: f64) {
    bulk(out, num::fmt_double(v).as_bytes());
}

/// One command from its arguments.
pub fn command(out: &mut Vec<u8>, args: &[&[u8]]) {
    header(out, args.len());
    for arg in args {
        bulk(out, arg);
    }
}

/// `SELECT <db>`.
pub fn select(out: &mut Vec<u8>, db: usize) {
    header(out, 2);
    bulk(out, b"SELECT");
    bulk_u64(out, db as u64);
}

/// The commands that recreate `key` with `entry`'s value, then `PEXPIREAT key ms`
/// if it has a deadline. Keys already past their deadline are written too, as
/// Redis does (the loader drops them).
pub fn entry(out: &mut Vec<u8>, key: &[u8], entry: &Entry) {
    match &entry.value {
        Value::Int(n) => {
            header(out, 3);
            bulk(out, b"SET");
            bulk(out, key);
            bulk_i64(out, *n);
        }
        Value::Str(s) | Value::Raw(s) => command(out, &[b"SET", key, s]),
        Value::List(list) => {
            let mut b = Batches::new(out, b"RPUSH", key, 1, list.len());
            for item in list.iter() {
                item.with_bytes(|x| bulk(b.next(), x));
            }
        }
        Value::Set(set) => {
            let mut b = Batches::new(out, b"SADD", key, 1, set.len());
            for m in set.iter() {
                match m {
                    Member::Int(n) => bulk_i64(b.next(), n),
                    Member::Bytes(x) => bulk(b.next(), x),
                }
            }
        }
        Value::Hash(hash) => {
            let mut b = Batches::new(out, b"HMSET", key, 2, hash.len());
            for (field, value) in hash.iter() {
                let out = b.next();
                bulk(out, field);
                bulk(out, value);
            }
        }
        Value::ZSet(zset) => {
            // Score order (Redis walks a big set's dict; any order loads the same).
            let mut b = Batches::new(out, b"ZADD", key, 2, zset.len());
            zset.visit(0, zset.len(), false, &mut |member, score| {
                let out = b.next();
                bulk_double(out, score);
                bulk(out, member);
            });
        }
        Value::Stream(stream) => write_stream(out, key, stream),
    }
    if entry.expire_at != NO_EXPIRE {
        header(out, 3);
        bulk(out, b"PEXPIREAT");
        bulk(out, key);
        bulk_i64(out, entry.expire_at);
    }
}

/// Writes a collection of `total` elements as `<cmd> key <element>...` commands
/// of at most ITEMS_PER_CMD elements, each element `width` bulks.
struct Batches<'a> {
    out: &'a mut Vec<u8>,
    cmd: &'static [u8],
    key: &'a [u8],
    width: usize,
    /// Elements not yet started.
    left: usize,
    /// Elements the current command still expects.
    room: usize,
}

impl<'a> Batches<'a> {
    fn new(
        out: &'a mut Vec<u8>,
        cmd: &'static [u8],
        key: &'a [u8],
        width: usize,
        total: usize,
    ) -> Batches<'a> {
        Batches {
            out,
            cmd,
            key,
            width,
            left: total,
            room: 0,
        }
    }

    /// The buffer to write the next element's `width` bulks to, after the
    /// command header when the element starts a command.
    fn next(&mut self) -> &mut Vec<u8> {
        if self.room == 0 {
            // At least one: an iteration longer than the length it announced
            // still gives well-formed commands.
            let n = self.left.clamp(1, ITEMS_PER_CMD);
            header(self.out, 2 + n * self.width);
            bulk(self.out, self.cmd);
            bulk(self.out, self.key);
            self.room = n;
        }
        self.room -= 1;
        self.left = self.left.saturating_sub(1);
        self.out
    }
}

/// A stream: its live entries (or, when it has none, an entry added and trimmed
/// at once, so the key exists), its counters, then each group with its pending
/// entries and consumers.
fn write_stream(out: &mut Vec<u8>, key: &[u8], s: &Stream) {
    if s.is_empty() {
        command(out, &[b"XADD", key, b"MAXLEN", b"0", b"0-1", b"x", b"y"]);
    } else {
        s.range(StreamId::MIN, StreamId::MAX, false, |id, pairs| {
            header(out, 3 + 2 * pairs.len());
            bulk(out, b"XADD");
            bulk(out, key);
            bulk_id(out, id);
            for (field, value) in pairs {
                bulk(out, field);
                bulk(out, value);
            }
            true
        });
    }
    // The last id may be past the last live entry (XDEL, XSETID).
    header(out, 7);
    bulk(out, b"XSETID");
    bulk(out, key);
    bulk_id(out, s.last_id);
    bulk(out, b"ENTRIESADDED");
    // Redis prints this unsigned counter as a signed one: same bytes.
    bulk_i64(out, s.entries_added as i64);
    bulk(out, b"MAXDELETEDID");
    bulk_id(out, s.max_deleted_id);

    for (group, g) in s.groups.iter() {
        header(out, 7);
        bulk(out, b"XGROUP");
        bulk(out, b"CREATE");
        bulk(out, key);
        bulk(out, group);
        bulk_id(out, g.last_id);
        bulk(out, b"ENTRIESREAD");
        bulk_i64(out, g.entries_read);
        for (consumer, c) in &g.consumers {
            // A consumer is created by claiming its pending entries, or
            // explicitly when it has none.
            let mut claimed = false;
            for id in &c.pel {
                // The group's PEL holds every consumer's ids; skip one that is
                // missing rather than invent its delivery time.
                let Some(nack) = g.pel.get(id) else {
                    continue;
                };
                claimed = true;
                header(out, 12);
                bulk(out, b"XCLAIM");
                bulk(out, key);
                bulk(out, group);
                bulk(out, consumer);
                bulk(out, b"0");
                bulk_id(out, *id);
                bulk(out, b"TIME");
                bulk_i64(out, nack.delivery_time);
                bulk(out, b"RETRYCOUNT");
                // Unsigned, printed signed as Redis does.
                bulk_i64(out, nack.delivery_count as i64);
                bulk(out, b"JUSTID");
                bulk(out, b"FORCE");
            }
            if !claimed {
                command(out, &[b"XGROUP", b"CREATECONSUMER", key, group, consumer]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::parse::{Limits as ParseLimits, Parser};
    use crate::types::hash::{Hash, Limits as HashLimits};
    use crate::types::list::List;
    use crate::types::set::Set;
    use crate::types::stream::{NodeLimits, Trim};
    use crate::types::zset::{Limits as ZLimits, ZSet};

    const HASH_SMALL: HashLimits = HashLimits {
        max_entries: 128,
        max_value: 64,
    };
    const HASH_TABLE: HashLimits = HashLimits {
        max_entries: 0,
        max_value: 0,
    };
    const Z_SMALL: ZLimits = ZLimits {
        entries: 128,
        value: 64,
    };
    const Z_FULL: ZLimits = ZLimits {
        entries: 0,
        value: 0,
    };
    const NODES: NodeLimits = NodeLimits {
        max_bytes: 4096,
        max_entries: 100,
    };

    /// RESP for commands given as space-separated words, built independently of
    /// the code under test.
    fn resp(cmds: &[&str]) -> Vec<u8> {
        let mut s = String::new();
        for cmd in cmds {
            let args: Vec<&str> = cmd.split(' ').collect();
            s += &format!("*{}\r\n", args.len());
            for a in args {
                s += &format!("${}\r\n{}\r\n", a.len(), a);
            }
        }
        s.into_bytes()
    }

    /// Every command in `buf`, parsed back with the server's own request parser;
    /// the buffer must end exactly after the last one.
    fn parse_all(buf: &[u8]) -> Vec<Vec<Vec<u8>>> {
        let mut parser = Parser::new();
        let limits = ParseLimits {
            max_bulk_len: u64::MAX,
            authenticated: true,
        };
        let mut pos = 0;
        let mut cmds = Vec::new();
        while pos < buf.len() {
            assert_eq!(buf[pos], b'*', "multibulk expected at {pos}");
            assert_eq!(parser.parse(buf, &mut pos, limits), Ok(true));
            cmds.push(std::mem::take(&mut parser.argv));
        }
        cmds
    }

    fn with_ttl(value: Value, expire_at: i64) -> Entry {
        Entry {
            value,
            expire_at,
            access: 0,
        }
    }

    fn write(key: &str, value: Value) -> Vec<u8> {
        let mut out = Vec::new();
        entry(&mut out, key.as_bytes(), &with_ttl(value, NO_EXPIRE));
        out
    }

    /// `<cmd> key <items...>` in batches of 64, as text for `resp`.
    fn batched(cmd: &str, key: &str, items: &[String]) -> Vec<String> {
        items
            .chunks(64)
            .map(|c| format!("{cmd} {key} {}", c.join(" ")))
            .collect()
    }

    fn strs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }

    #[test]
    fn resp_helpers() {
        let mut out = Vec::new();
        select(&mut out, 0);
        select(&mut out, 15);
        assert_eq!(
            out,
            b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*2\r\n$6\r\nSELECT\r\n$2\r\n15\r\n"
        );

        let mut out = Vec::new();
        command(&mut out, &[b"SET", b"k", b""]);
        assert_eq!(out, b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");

        let mut out = Vec::new();
        bulk_i64(&mut out, i64::MIN);
        bulk_i64(&mut out, 0);
        bulk_u64(&mut out, u64::MAX);
        bulk_id(&mut out, StreamId::MAX);
        bulk_id(&mut out, StreamId::MIN);
        let want = "$20\r\n-9223372036854775808\r\n$1\r\n0\r\n$20\r\n18446744073709551615\r\n\
                    $41\r\n18446744073709551615-18446744073709551615\r\n$3\r\n0-0\r\n";
        assert_eq!(out, want.as_bytes());
    }

    #[test]
    fn strings() {
        assert_eq!(
            write("s1", Value::string(b"hello".to_vec())),
            resp(&["SET s1 hello"])
        );
        assert_eq!(write("s2", Value::Int(12345)), resp(&["SET s2 12345"]));
        assert_eq!(write("s3", Value::Int(-99)), resp(&["SET s3 -99"]));
        assert_eq!(
            write("s4", Value::Raw(b"123".to_vec())),
            resp(&["SET s4 123"])
        );
        let big = "x".repeat(60);
        assert_eq!(
            write("bigs", Value::Str(big.clone().into_bytes())),
            resp(&[&format!("SET bigs {big}")])
        );
        // Binary-safe: CR LF and NUL inside a value.
        let out = write("b", Value::Str(b"a\r\n\0b".to_vec()));
        assert_eq!(out, b"*3\r\n$3\r\nSET\r\n$1\r\nb\r\n$5\r\na\r\n\0b\r\n");
    }

    #[test]
    fn deadline_follows_the_value_and_past_ones_are_kept() {
        // Byte for byte what Redis 7.0.15 wrote for a key whose deadline had
        // passed (active expiry off): the key and its PEXPIREAT are both there.
        let mut out = Vec::new();
        let e = with_ttl(Value::string(b"x".to_vec()), 1795341913552);
        entry(&mut out, b"gone", &e);
        let want = "*3\r\n$3\r\nSET\r\n$4\r\ngone\r\n$1\r\nx\r\n\
                    *3\r\n$9\r\nPEXPIREAT\r\n$4\r\ngone\r\n$13\r\n1795341913552\r\n";
        assert_eq!(out, want.as_bytes());

        let mut list = List::new();
        list.push_back(b"a");
        let mut out = Vec::new();
        entry(
            &mut out,
            b"el",
            &with_ttl(Value::List(Box::new(list)), 99999999999998),
        );
        assert_eq!(out, resp(&["RPUSH el a", "PEXPIREAT el 99999999999998"]));
    }

    #[test]
    fn lists_keep_order_in_batches_of_64() {
        let mut l1 = List::new();
        for x in ["a", "b", "3"] {
            l1.push_back(x.as_bytes());
        }
        assert_eq!(
            write("l1", Value::List(Box::new(l1))),
            resp(&["RPUSH l1 a b 3"])
        );

        // What Redis wrote for RPUSH l2 1..70: 64, then 6.
        for n in [64, 65, 70, 128, 129, 1000] {
            let items: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
            let mut l = List::new();
            for i in &items {
                l.push_back(i.as_bytes());
            }
            let want = batched("RPUSH", "l2", &items);
            assert_eq!(
                write("l2", Value::List(Box::new(l))),
                resp(&strs(&want)),
                "{n}"
            );
        }
    }

    #[test]
    fn intsets_in_order() {
        let mut st1 = Set::new_intset();
        for m in ["3", "1", "2"] {
            st1.add(m.as_bytes(), 512);
        }
        assert_eq!(write("st1", Value::Set(st1)), resp(&["SADD st1 1 2 3"]));

        // Redis: SADD st3 1..64 then SADD st3 65..70.
        let items: Vec<String> = (1..=70).map(|i| i.to_string()).collect();
        let mut st3 = Set::new_intset();
        for i in items.iter().rev() {
            st3.add(i.as_bytes(), 512);
        }
        let want = batched("SADD", "st3", &items);
        assert_eq!(write("st3", Value::Set(st3)), resp(&strs(&want)));
    }

    #[test]
    fn hashtable_sets() {
        // Order is the table's: compare as sets, and the batch sizes exactly.
        let mut set = Set::new_for(b"m");
        let mut want: Vec<Vec<u8>> = (0..200).map(|i| format!("m{i}").into_bytes()).collect();
        for m in &want {
            set.add(m, 512);
        }
        let cmds = parse_all(&write("big", Value::Set(set)));
        let sizes: Vec<usize> = cmds.iter().map(|c| c.len() - 2).collect();
        assert_eq!(sizes, [64, 64, 64, 8]);
        let mut got = Vec::new();
        for c in cmds {
            assert_eq!(&c[..2], [b"SADD".to_vec(), b"big".to_vec()]);
            got.extend_from_slice(&c[2..]);
        }
        got.sort();
        want.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn hashes() {
        let mut h1 = Hash::new();
        h1.set(b"f1", b"v1", HASH_SMALL);
        h1.set(b"f2", b"2", HASH_SMALL);
        assert_eq!(write("h1", Value::Hash(h1)), resp(&["HMSET h1 f1 v1 f2 2"]));

        // Packed: insertion order, as Redis wrote for HSET h2 f1 v1 .. f70 v70.
        let pairs: Vec<String> = (1..=70).map(|i| format!("f{i} v{i}")).collect();
        let mut h2 = Hash::new();
        for i in 1..=70 {
            h2.set(
                format!("f{i}").as_bytes(),
                format!("v{i}").as_bytes(),
                HASH_SMALL,
            );
        }
        assert_eq!(h2.encoding(), "listpack");
        let want = batched("HMSET", "h2", &pairs);
        assert_eq!(write("h2", Value::Hash(h2)), resp(&strs(&want)));

        // Table: any order, pairs kept together, 64 pairs a command.
        let mut h3 = Hash::new();
        for i in 0..130 {
            h3.set(
                format!("f{i}").as_bytes(),
                format!("v{i}").as_bytes(),
                HASH_TABLE,
            );
        }
        assert_eq!(h3.encoding(), "hashtable");
        let cmds = parse_all(&write("h3", Value::Hash(h3)));
        let sizes: Vec<usize> = cmds.iter().map(|c| c.len() - 2).collect();
        assert_eq!(sizes, [128, 128, 4]);
        let mut seen = std::collections::BTreeSet::new();
        for c in &cmds {
            assert_eq!(&c[..2], [b"HMSET".to_vec(), b"h3".to_vec()]);
            for pair in c[2..].chunks(2) {
                let f = String::from_utf8_lossy(&pair[0]).into_owned();
                assert_eq!(pair[1], f.replace('f', "v").into_bytes());
                seen.insert(f);
            }
        }
        assert_eq!(seen.len(), 130);
    }

    #[test]
    fn sorted_sets_score_first_as_percent_17g() {
        // Redis wrote this for ZADD z1 1.5 a 0.1 b inf c -inf d 3 e 1e20 f 0 g 2.5e-5 h.
        let mut z1 = ZSet::with_hint(0, 0, Z_SMALL);
        let scores = [
            ("a", 1.5),
            ("b", 0.1),
            ("c", f64::INFINITY),
            ("d", f64::NEG_INFINITY),
            ("e", 3.0),
            ("f", 1e20),
            ("g", 0.0),
            ("h", 2.5e-5),
        ];
        for (m, s) in scores {
            z1.insert(m.as_bytes(), s, Z_SMALL);
        }
        assert_eq!(z1.encoding(), "listpack");
        let want = "ZADD z1 -inf d 0 g 2.5000000000000001e-05 h 0.10000000000000001 b \
                    1.5 a 3 e 1e+20 f inf c";
        assert_eq!(write("z1", Value::ZSet(Box::new(z1))), resp(&[want]));

        // Big, with a negative zero (ZUNIONSTORE ... WEIGHTS -1 makes one; Redis
        // writes it "-0"), in score order, 64 pairs a command.
        let mut z = ZSet::with_hint(0, 0, Z_FULL);
        z.insert(b"a", -0.0, Z_FULL);
        let mut pairs = vec!["-0 a".to_string()];
        for i in 1..=130 {
            z.insert(format!("m{i}").as_bytes(), i as f64, Z_FULL);
            pairs.push(format!("{i} m{i}"));
        }
        assert_eq!(z.encoding(), "skiplist");
        let want = batched("ZADD", "zneg2", &pairs);
        assert_eq!(write("zneg2", Value::ZSet(Box::new(z))), resp(&strs(&want)));
    }

    /// The stream of the Redis experiment: three entries, the middle one deleted,
    /// group g1 read everything (alice holds both entries, bob holds none), group
    /// g2 was created at `$` and has an idle consumer.
    #[test]
    fn stream_with_groups_pel_and_idle_consumers() {
        let mut s = Stream::new();
        s.append(StreamId::new(1, 1), &["a", "1", "b", "2"], NODES)
            .unwrap();
        s.append(StreamId::new(1, 2), &["a", "3", "c", "4"], NODES)
            .unwrap();
        s.append(StreamId::new(2, 0), &["x", "y"], NODES).unwrap();
        assert_eq!(s.delete_ids(&[StreamId::new(1, 2)]), 1);
        let t = 1795341888817;
        s.groups.create(b"g1", StreamId::new(2, 0), 3);
        if let Some(g) = s.groups.get_mut(b"g1") {
            g.create_consumer(b"alice", t);
            g.deliver(StreamId::new(1, 1), b"alice", t);
            g.deliver(StreamId::new(2, 0), b"alice", t);
            g.create_consumer(b"bob", t);
        }
        s.groups.create(b"g2", StreamId::new(2, 0), -1);
        if let Some(g) = s.groups.get_mut(b"g2") {
            g.create_consumer(b"carol", t);
        }
        let want = [
            "XADD st 1-1 a 1 b 2",
            "XADD st 2-0 x y",
            "XSETID st 2-0 ENTRIESADDED 3 MAXDELETEDID 1-2",
            "XGROUP CREATE st g1 2-0 ENTRIESREAD 3",
            "XCLAIM st g1 alice 0 1-1 TIME 1795341888817 RETRYCOUNT 1 JUSTID FORCE",
            "XCLAIM st g1 alice 0 2-0 TIME 1795341888817 RETRYCOUNT 1 JUSTID FORCE",
            "XGROUP CREATECONSUMER st g1 bob",
            "XGROUP CREATE st g2 2-0 ENTRIESREAD -1",
            "XGROUP CREATECONSUMER st g2 carol",
        ];
        assert_eq!(write("st", Value::Stream(Box::new(s))), resp(&want));
    }

    #[test]
    fn stream_counters_and_pel_in_byte_order() {
        // Several nodes, deleted entries in the first and last, a counter that
        // Redis prints signed, PEL entries of consumers in name and id order.
        let two = NodeLimits {
            max_bytes: 4096,
            max_entries: 2,
        };
        let mut s = Stream::new();
        for i in 1..=5 {
            let v = i.to_string();
            s.append(StreamId::new(10, i), &["f", v.as_str()], two)
                .unwrap();
        }
        assert!(s.node_count() > 1);
        assert_eq!(
            s.delete_ids(&[StreamId::new(10, 1), StreamId::new(10, 5)]),
            2
        );
        s.entries_added = u64::MAX;
        s.groups.create(b"g", StreamId::new(10, 4), 4);
        if let Some(g) = s.groups.get_mut(b"g") {
            g.create_consumer(b"z", 7);
            g.create_consumer(b"b", 7);
            g.deliver(StreamId::new(10, 4), b"z", 9);
            g.deliver(StreamId::new(10, 2), b"z", 8);
            g.deliver(StreamId::new(10, 3), b"b", 7);
            if let Some(n) = g.pel.get_mut(&StreamId::new(10, 2)) {
                n.delivery_count = 5;
            }
        }
        let want = [
            "XADD k 10-2 f 2",
            "XADD k 10-3 f 3",
            "XADD k 10-4 f 4",
            "XSETID k 10-5 ENTRIESADDED -1 MAXDELETEDID 10-5",
            "XGROUP CREATE k g 10-4 ENTRIESREAD 4",
            "XCLAIM k g b 0 10-3 TIME 7 RETRYCOUNT 1 JUSTID FORCE",
            "XCLAIM k g z 0 10-2 TIME 8 RETRYCOUNT 5 JUSTID FORCE",
            "XCLAIM k g z 0 10-4 TIME 9 RETRYCOUNT 1 JUSTID FORCE",
        ];
        assert_eq!(write("k", Value::Stream(Box::new(s))), resp(&want));
    }

    #[test]
    fn empty_streams_use_the_maxlen_0_trick() {
        // XADD es 5-5 a b; XDEL es 5-5; XGROUP CREATE es eg 0; CREATECONSUMER dave.
        let mut es = Stream::new();
        es.append(StreamId::new(5, 5), &["a", "b"], NODES).unwrap();
        es.delete_ids(&[StreamId::new(5, 5)]);
        es.groups.create(b"eg", StreamId::MIN, -1);
        if let Some(g) = es.groups.get_mut(b"eg") {
            g.create_consumer(b"dave", 1);
        }
        let want = [
            "XADD es MAXLEN 0 0-1 x y",
            "XSETID es 5-5 ENTRIESADDED 1 MAXDELETEDID 5-5",
            "XGROUP CREATE es eg 0-0 ENTRIESREAD -1",
            "XGROUP CREATECONSUMER es eg dave",
        ];
        assert_eq!(write("es", Value::Stream(Box::new(es))), resp(&want));

        // XGROUP CREATE mk mg $ MKSTREAM.
        let mut mk = Stream::new();
        mk.groups.create(b"mg", StreamId::MIN, -1);
        let want = [
            "XADD mk MAXLEN 0 0-1 x y",
            "XSETID mk 0-0 ENTRIESADDED 0 MAXDELETEDID 0-0",
            "XGROUP CREATE mk mg 0-0 ENTRIESREAD -1",
        ];
        assert_eq!(write("mk", Value::Stream(Box::new(mk))), resp(&want));

        // XADD es2 MAXLEN 0 * a b: trimming does not move the max deleted id.
        let mut es2 = Stream::new();
        es2.append(StreamId::new(1795341888847, 0), &["a", "b"], NODES)
            .unwrap();
        es2.trim(Trim::MaxLen(0), false, 0);
        let want = [
            "XADD es2 MAXLEN 0 0-1 x y",
            "XSETID es2 1795341888847-0 ENTRIESADDED 1 MAXDELETEDID 0-0",
        ];
        assert_eq!(write("es2", Value::Stream(Box::new(es2))), resp(&want));
    }

    #[test]
    fn a_database_parses_back_command_by_command() {
        let mut out = Vec::new();
        select(&mut out, 3);
        let mut list = List::new();
        for i in 0..300 {
            list.push_back(format!("item-{i}").as_bytes());
        }
        let mut stream = Stream::new();
        stream
            .append(StreamId::new(1, 0), &["f", "v"], NODES)
            .unwrap();
        let entries = [
            ("s", with_ttl(Value::Int(7), 1000)),
            ("l", with_ttl(Value::List(Box::new(list)), NO_EXPIRE)),
            ("x", with_ttl(Value::Stream(Box::new(stream)), 2000)),
        ];
        for (k, e) in &entries {
            entry(&mut out, k.as_bytes(), e);
        }
        let cmds = parse_all(&out);
        let names: Vec<&[u8]> = cmds.iter().map(|c| c[0].as_slice()).collect();
        let want: [&[u8]; 11] = [
            b"SELECT",
            b"SET",
            b"PEXPIREAT",
            b"RPUSH",
            b"RPUSH",
            b"RPUSH",
            b"RPUSH",
            b"RPUSH",
            b"XADD",
            b"XSETID",
            b"PEXPIREAT",
        ];
        assert_eq!(names, want);
        let items: Vec<Vec<u8>> = cmds[3..8].iter().flat_map(|c| c[2..].to_vec()).collect();
        assert_eq!(items.len(), 300);
        assert_eq!(items[299], b"item-299");
    }
}
