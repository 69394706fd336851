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
