use super::decode::{self, Decoder, Limits};
use super::encode::{self, Encoder};
use crate::keyspace::value::Value;
use crate::types::{hash, list::List, set::Set, zset};

fn limits() -> Limits {
    Limits {
        hash: hash::Limits {
            max_entries: 128,
            max_value: 64,
        },
        zset: zset::Limits {
            entries: 128,
            value: 64,
        },
        set_max_intset: 512,
        list_fill: -2,
    }
}

fn samples() -> Vec<Value> {
    let lim = limits();
    let mut out = vec![
        Value::Int(-7),
        Value::Int(1 << 40),
        Value::string(b"hello".to_vec()),
        Value::Str(vec![b'a'; 300]),
    ];
    let mut list = List::new();
    for i in 0..1000 {
        list.push_back(format!("item{i}").as_bytes());
    }
    out.push(Value::List(Box::new(list)));
    for n in [10usize, 1000] {
        let mut ints = Set::new_intset();
        let mut words = Set::new_intset();
        let mut h = hash::Hash::new();
        let mut z = Vec::new();
        for i in 0..n {
            ints.add(
                format!("{}", i as i64 * 70001 - 5).as_bytes(),
                lim.set_max_intset,
            );
            words.add(format!("w{i}").as_bytes(), lim.set_max_intset);
            h.set(
                format!("f{i}").as_bytes(),
                format!("{i}").as_bytes(),
                lim.hash,
            );
            z.push((format!("m{i}").into_bytes(), i as f64 / 3.0 - 10.0));
        }
        out.push(Value::Set(ints));
        out.push(Value::Set(words));
        out.push(Value::Hash(h));
        out.push(Value::ZSet(Box::new(zset::ZSet::from_elements(
            z, lim.zset,
        ))));
    }
    out
}

#[test]
fn values_round_trip_with_their_encodings() {
    for compress in [false, true] {
        for v in samples() {
            let mut e = Encoder::new(compress);
            e.value(&v);
            let kind = encode::value_kind(&v);
            let mut d = Decoder::new(e.buf.as_slice(), e.buf.len() as u64);
            let back = d.value(kind, &limits()).unwrap();
            assert_eq!(back, v);
            assert_eq!(back.encoding(), v.encoding());
            assert_eq!(d.offset(), e.buf.len() as u64);
        }
    }
}

#[test]
fn dump_payload_checks_its_footer() {
    let p = encode::dump_payload(&Value::string(b"abc".to_vec()), true);
    assert_eq!(p, b"\x00\x03abc\x0a\x00\xd9\xac0=Ar\xa2\xe2");
    assert!(decode::check_payload(&p).is_some());
    let mut bad = p.clone();
    bad[2] ^= 1;
    assert!(decode::check_payload(&bad).is_none());
}

#[test]
fn truncated_or_corrupt_input_is_an_error_not_a_panic() {
    let mut rng = crate::util::Rng::new();
    for v in samples() {
        let mut e = Encoder::new(true);
        e.value(&v);
        let kind = encode::value_kind(&v);
        for cut in 0..e.buf.len().min(64) {
            let part = &e.buf[..cut];
            let mut d = Decoder::new(part, part.len() as u64);
            assert!(d.value(kind, &limits()).is_err());
        }
        for _ in 0..200 {
            let mut buf = e.buf.clone();
            let i = rng.below(buf.len() as u64) as usize;
            buf[i] = rng.next_u64() as u8;
            let mut d = Decoder::new(buf.as_slice(), buf.len() as u64);
            let _ = d.value(kind, &limits());
        }
    }
}

/// A ziplist as Redis 6 wrote them, with every entry encoding.
fn ziplist(entries: &[&[u8]]) -> Vec<u8> {
    let mut body = Vec::new();
    let mut prev = 0usize;
    for e in entries {
        let start = body.len();
        if prev < 254 {
            body.push(prev as u8);
        } else {
            body.push(0xfe);
            body.extend_from_slice(&(prev as u32).to_le_bytes());
        }
        body.extend_from_slice(e);
        prev = body.len() - start;
    }
    let total = 10 + body.len() + 1;
    let mut z = Vec::new();
    z.extend_from_slice(&(total as u32).to_le_bytes());
    z.extend_from_slice(&0u32.to_le_bytes());
    z.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    z.extend_from_slice(&body);
    z.push(0xff);
    z
}

#[test]
fn ziplist_entries_of_every_encoding() {
    let long = [vec![0x40, 100], vec![b'x'; 100]].concat();
    let z = ziplist(&[
        b"\x02ab",
        &long,
        b"\xfd",                                 // immediate 12
        b"\xfe\xfb",                             // int8 -5
        b"\xc0\xe8\x03",                         // int16 1000
        b"\xf0\x40\x42\x0f",                     // int24 1000000
        b"\xd0\x00\xca\x9a\x3b",                 // int32 1000000000
        b"\xe0\x00\x00\xc1\x6f\xf2\x86\x23\x00", // int64 10^16
    ]);
    let items = decode::ziplist_entries(&z).unwrap();
    let text: Vec<String> = items
        .iter()
        .map(|i| String::from_utf8_lossy(i).into_owned())
        .collect();
    assert_eq!(
        text,
        [
            "ab",
            &"x".repeat(100),
            "12",
            "-5",
            "1000",
            "1000000",
            "1000000000",
            "10000000000000000"
        ]
    );
    // Truncated or with a wrong size: refused.
    assert!(decode::ziplist_entries(&z[..z.len() - 1]).is_none());
    let mut bad = z.clone();
    bad[0] ^= 1;
    assert!(decode::ziplist_entries(&bad).is_none());
}

#[test]
fn zipmap_entries() {
    // zmlen, then (len, key, len, free, value, free bytes)..., 0xff.
    let zm = b"\x02\x01a\x02\x00xy\x03bcd\x01\x01z\x00\xff";
    let items = decode::zipmap_entries(zm).unwrap();
    assert_eq!(
        items,
        [
            b"a".to_vec(),
            b"xy".to_vec(),
            b"bcd".to_vec(),
            b"z".to_vec()
        ]
    );
    assert!(decode::zipmap_entries(&zm[..zm.len() - 2]).is_none());
}

#[test]
fn intset_members_are_checked() {
    let ints = crate::types::set::IntSet::W32(vec![-70000, 1, 5]);
    let blob = encode::intset_bytes(&ints);
    assert_eq!(decode::intset_members(&blob).unwrap(), [-70000, 1, 5]);
    let mut unsorted = blob.clone();
    unsorted[8..12].copy_from_slice(&10i32.to_le_bytes());
    assert!(decode::intset_members(&unsorted).is_none());
    assert!(decode::intset_members(&blob[..blob.len() - 1]).is_none());
}

/// Whole files with random damage: the loader answers an error or loads
/// something, and never panics.
#[test]
fn damaged_files_never_panic_the_loader() {
    let mut db = crate::keyspace::Db::new(0);
    for (i, v) in samples().into_iter().enumerate() {
        db.add(format!("key{i}").into_bytes().into_boxed_slice(), v, 0);
    }
    let slot = db.dict.find(b"key0").unwrap();
    db.set_expire(slot, 4_000_000_000_000);
    let mut file = Vec::new();
    crate::persistence::snapshot::write_all(std::slice::from_ref(&db), 0, true, true, &mut file)
        .unwrap();
    let load = |bytes: &[u8]| {
        let mut d = Decoder::new(bytes, bytes.len() as u64);
        decode::load(&mut d, &limits(), |_, _| {}, |_| Ok(()))
    };
    assert!(load(&file).is_ok());
    let mut rng = crate::util::Rng::new();
    for round in 0..3000 {
        let mut bad = file.clone();
        match round % 3 {
            0 => bad.truncate(rng.below(file.len() as u64) as usize),
            1 => {
                let i = rng.below(bad.len() as u64) as usize;
                bad[i] = rng.next_u64() as u8;
            }
            _ => {
                for _ in 0..8 {
                    let i = rng.below(bad.len() as u64) as usize;
                    bad[i] ^= 1 << rng.below(8);
                }
            }
        }
        let r = load(&bad);
        if round % 3 == 0 {
            assert!(r.is_err(), "a truncated file loaded");
        }
    }
}

#[test]
fn zipmap_length_253_is_an_ordinary_length() {
    let mut zm = vec![1u8, 1, b'k', 253, 0];
    zm.extend(std::iter::repeat_n(b'v', 253));
    zm.push(0xff);
    let items = decode::zipmap_entries(&zm).unwrap();
    assert_eq!(items[1].len(), 253);
}

#[test]
fn empty_collections_are_skipped_by_a_file_load() {
    // REDIS0009, an empty list "e", a string "s", EOF, zero checksum.
    let mut file = b"REDIS0009".to_vec();
    file.extend_from_slice(b"\x01\x01e\x00");
    file.extend_from_slice(b"\x00\x01s\x01v");
    file.push(0xff);
    file.extend_from_slice(&[0; 8]);
    let mut keys = Vec::new();
    let mut d = Decoder::new(file.as_slice(), file.len() as u64);
    decode::load(
        &mut d,
        &limits(),
        |_, _| {},
        |k| {
            keys.push(k.key);
            Ok(())
        },
    )
    .unwrap();
    assert_eq!(keys, [b"s".to_vec()]);
}

#[test]
fn files_before_version_5_have_no_checksum() {
    let file = b"REDIS0004\x00\x01s\x01v\xff";
    let mut d = Decoder::new(&file[..], file.len() as u64);
    assert!(decode::load(&mut d, &limits(), |_, _| {}, |_| Ok(())).is_ok());
}

#[test]
fn a_ziplist_ending_inside_a_string_is_refused() {
    let z = b"\x0d\x00\x00\x00\x0a\x00\x00\x00\x01\x00\x00\x01\xff";
    assert!(decode::ziplist_entries(z).is_none());
}

/// A stream with two consumer groups, as Redis 7.0 DUMPs it (LZF-compressed
/// node included).
const REDIS_STREAM_DUMP: &str = "13011000000000000000010000000000000001c34064406e126e0000002700030101010201816102816202002009000020014011000520050001200b601b070301816302040108600f02dfff022014077802f4141a99be1c20440609817902dffb02401d0004801d05826631038276200301663220070432030801ff0305000101020104020267310201020200000000000000010000000000000001f2968602a20100000100000000000000020000000000000001f2968602a2010000010105616c696365f2968602a2010000020000000000000001000000000000000100000000000000020000000000000001026732030081ffffffffffffffff000103626f62f2968602a2010000000a00d6e25787756a4550";

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn a_redis_stream_dump_restores_and_damage_never_panics() {
    let payload = unhex(REDIS_STREAM_DUMP);
    assert!(decode::check_payload(&payload).is_some());
    let decode = |bytes: &[u8]| {
        let mut d = Decoder::new(bytes, bytes.len() as u64);
        d.u8().and_then(|kind| d.value(kind, &limits()))
    };
    let Ok(Value::Stream(s)) = decode(&payload) else {
        panic!("the stream did not load");
    };
    assert_eq!((s.len(), s.groups.len()), (3, 2));
    // Written back, with and without compression, it reads back equal (our LZF
    // bytes differ from liblzf's, so the payload is not byte-identical).
    let plain = |p: &[u8]| decode(p).ok();
    let original = Value::Stream(s);
    let ours = encode::dump_payload(&original, true);
    assert_eq!(plain(&ours).as_ref(), Some(&original));
    let uncompressed = encode::dump_payload(&original, false);
    assert_eq!(plain(&uncompressed).as_ref(), Some(&original));
    let mut rng = crate::util::Rng::new();
    for round in 0..5000 {
        let mut bad = payload[..payload.len() - 10].to_vec();
        if round % 2 == 0 {
            bad.truncate(rng.below(bad.len() as u64) as usize);
        } else {
            for _ in 0..1 + rng.below(4) {
                let i = rng.below(bad.len() as u64) as usize;
                bad[i] = rng.next_u64() as u8;
            }
        }
        let _ = decode(&bad);
    }
}
