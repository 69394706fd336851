//! Values stored under keys.

use crate::types::hash::Hash;
use crate::types::list::List;
use crate::types::set::Set;
use crate::types::stream::Stream;
use crate::types::zset::ZSet;
use crate::util::num;

/// A collection type a key can hold: lets one typed lookup serve every family
/// (see `commands::read_typed` and `commands::write_typed`).
pub trait Typed {
    /// The collection in `v`, or None when `v` holds another type.
    fn of(v: &Value) -> Option<&Self>;
    fn of_mut(v: &mut Value) -> Option<&mut Self>;
}

macro_rules! typed {
    ($($variant:ident => $ty:ty),*) => {$(
        impl Typed for $ty {
            fn of(v: &Value) -> Option<&$ty> {
                match v {
                    Value::$variant(x) => Some(x),
                    _ => None,
                }
            }
            fn of_mut(v: &mut Value) -> Option<&mut $ty> {
                match v {
                    Value::$variant(x) => Some(x),
                    _ => None,
                }
            }
        }
    )*};
}

typed!(List => List, Set => Set, Hash => Hash, ZSet => ZSet, Stream => Stream);

/// Strings up to this length are reported as `embstr`, as Redis allocates them.
pub const EMBSTR_MAX: usize = 44;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A string holding a 64-bit integer in canonical form (OBJECT ENCODING "int").
    Int(i64),
    /// A string as set by SET and friends ("embstr" up to 44 bytes, else "raw").
    Str(Vec<u8>),
    /// A string modified in place (APPEND, SETRANGE, SETBIT...): always "raw", as in Redis.
    Raw(Vec<u8>),
    /// Boxed: a key's entry stays small whatever its type (strings are most keys).
    List(Box<List>),
    Set(Set),
    Hash(Hash),
    ZSet(Box<ZSet>),
    Stream(Box<Stream>),
}

impl Value {
    /// A string value from client bytes, integer-encoded when Redis would be.
    pub fn string(bytes: Vec<u8>) -> Value {
        if bytes.len() <= 20 {
            if let Some(n) = num::parse_i64(&bytes) {
                return Value::Int(n);
            }
        }
        Value::Str(bytes)
    }

    /// The TYPE name.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Int(_) | Value::Str(_) | Value::Raw(_) => "string",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::Hash(_) => "hash",
            Value::ZSet(_) => "zset",
            Value::Stream(_) => "stream",
        }
    }

    /// The OBJECT ENCODING name.
    pub fn encoding(&self) -> &'static str {
        match self {
            Value::Int(_) => "int",
            Value::Str(s) if s.len() <= EMBSTR_MAX => "embstr",
            Value::Str(_) | Value::Raw(_) => "raw",
            Value::List(_) => "quicklist",
            Value::Set(s) => s.encoding(),
            Value::Hash(h) => h.encoding(),
            Value::ZSet(z) => z.encoding(),
            Value::Stream(_) => "stream",
        }
    }

    pub fn is_string(&self) -> bool {
        matches!(self, Value::Int(_) | Value::Str(_) | Value::Raw(_))
    }

    /// The bytes of a string value (integers rendered), or None for other types.
    pub fn string_bytes(&self) -> Option<std::borrow::Cow<'_, [u8]>> {
        match self {
            Value::Int(n) => {
                let mut v = Vec::with_capacity(20);
                num::fmt_i64(*n, &mut v);
                Some(v.into())
            }
            Value::Str(s) | Value::Raw(s) => Some(s.as_slice().into()),
            Value::List(_) | Value::Set(_) | Value::Hash(_) | Value::ZSet(_) | Value::Stream(_) => {
                None
            }
        }
    }

    /// Length of a string value in bytes.
    pub fn string_len(&self) -> usize {
        match self {
            Value::Int(n) => {
                let mut v = Vec::with_capacity(20);
                num::fmt_i64(*n, &mut v);
                v.len()
            }
            Value::Str(s) | Value::Raw(s) => s.len(),
            Value::List(_) | Value::Set(_) | Value::Hash(_) | Value::ZSet(_) | Value::Stream(_) => {
                0
            }
        }
    }

    /// Turns a string value into a mutable raw byte vector (Redis's dbUnshareStringValue).
    pub fn make_raw(&mut self) -> Option<&mut Vec<u8>> {
        match self {
            Value::Int(n) => {
                let mut v = Vec::with_capacity(20);
                num::fmt_i64(*n, &mut v);
                *self = Value::Raw(v);
            }
            Value::Str(s) => *self = Value::Raw(std::mem::take(s)),
            Value::Raw(_) => {}
            Value::List(_) | Value::Set(_) | Value::Hash(_) | Value::ZSet(_) | Value::Stream(_) => {
                return None
            }
        }
        match self {
            Value::Raw(v) => Some(v),
            _ => None,
        }
    }

    /// Approximate heap bytes used by the value (for INFO memory estimates).
    pub fn heap_bytes(&self) -> usize {
        match self {
            Value::Int(_) => 0,
            Value::Str(s) | Value::Raw(s) => s.capacity(),
            Value::List(l) => l.heap_bytes(),
            Value::Set(s) => s.heap_bytes(),
            Value::Hash(h) => h.heap_bytes(),
            Value::ZSet(z) => z.heap_bytes(),
            Value::Stream(s) => s.heap_bytes(),
        }
    }
}

#[cfg(test)]
mod tests {
    /// Every key pays for the size of `Value`: keep it at a string's size.
    #[test]
    fn value_stays_small() {
        assert!(std::mem::size_of::<super::Value>() <= 32);
    }
}
