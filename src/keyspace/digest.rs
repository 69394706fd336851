//! DEBUG DIGEST and DEBUG DIGEST-VALUE: a content hash of the dataset or of single
//! values, computed exactly as Redis computes it, so two servers' datasets can be
//! compared (the same data gives the same digest on Redis and on oxidis).
//!
//! Two SHA-1 based combiners build it: `xor` folds in a hash without regard to
//! order (set members, hash fields, keys of a database), `mix` chains it so order
//! matters (list elements, the parts of one element).

use super::db::Entry;
use crate::keyspace::value::Value;
use crate::util::num;
use sha1::{Digest as _, Sha1};

pub type Digest = [u8; 20];

fn sha1(bytes: &[u8]) -> Digest {
    Sha1::digest(bytes).into()
}

fn xor(d: &mut Digest, bytes: &[u8]) {
    for (a, b) in d.iter_mut().zip(sha1(bytes)) {
        *a ^= b;
    }
}

fn mix(d: &mut Digest, bytes: &[u8]) {
    xor(d, bytes);
    *d = sha1(d);
}

/// Redis's numeric type codes, hashed big-endian first.
fn type_code(v: &Value) -> u32 {
    match v {
        Value::Int(_) | Value::Str(_) | Value::Raw(_) => 0,
        Value::List(_) => 1,
        Value::Set(_) => 2,
        Value::ZSet(_) => 3,
        Value::Hash(_) => 4,
        Value::Stream(_) => 6,
    }
}

/// Folds one value (and whether it has a TTL) into `d`.
pub fn value(d: &mut Digest, entry: &Entry) {
    let v = &entry.value;
    mix(d, &type_code(v).to_be_bytes());
    match v {
        Value::Int(_) | Value::Str(_) | Value::Raw(_) => {
            if let Some(bytes) = v.string_bytes() {
                mix(d, &bytes);
            }
        }
        Value::List(list) => {
            for item in list.iter() {
                item.with_bytes(|b| mix(d, b));
            }
        }
        Value::Set(set) => {
            for m in set.iter() {
                xor(d, &m.to_bytes());
            }
        }
        Value::ZSet(z) => {
            z.visit(0, z.len(), false, &mut |member, score| {
                let mut e = [0u8; 20];
                mix(&mut e, member);
                mix(&mut e, num::fmt_double(score).as_bytes());
                xor(d, &e);
            });
        }
        Value::Stream(s) => {
            use crate::types::stream::StreamId;
            s.range(StreamId::MIN, StreamId::MAX, false, |id, pairs| {
                mix(d, format!("{}.{}", id.ms, id.seq).as_bytes());
                for (field, value) in pairs {
                    mix(d, field);
                    mix(d, value);
                }
                true
            });
        }
        Value::Hash(h) => {
            for (field, value) in h.iter() {
                let mut e = [0u8; 20];
                mix(&mut e, field);
                mix(&mut e, value);
                xor(d, &e);
            }
        }
    }
    if entry.has_ttl() {
        xor(d, b"!!expire!!");
    }
}

/// The digest of one database's keys, folded into `d` with its number; empty
/// databases leave `d` unchanged.
pub fn database(d: &mut Digest, db: &super::db::Db, id: usize) {
    if db.is_empty() {
        return;
    }
    mix(d, &(id as u32).to_be_bytes());
    for (_, slot) in db.dict.iter() {
        let mut k = [0u8; 20];
        mix(&mut k, &slot.key);
        value(&mut k, &slot.value);
        xor(d, &k);
    }
}

pub fn hex(d: &Digest) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}
