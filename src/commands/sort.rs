//! SORT and SORT_RO: sorting the elements of a list, set or sorted set, by themselves
//! or by the values of other keys (BY), fetching other keys per element (GET), and
//! optionally storing the result as a list (STORE).

use super::{acl, flag::*, Command, Ctx, KeySpec};
use crate::error::{CmdError, CmdResult};
use crate::keyspace::{Value, NO_EXPIRE};
use crate::server::Core;
use crate::types::list::List;
use crate::util::num;
use std::cmp::Ordering;

/// The parsed options.
struct Opts {
    desc: bool,
    alpha: bool,
    limit_start: i64,
    limit_count: i64,
    /// The last BY pattern (used only when sorting: a BY pattern without a `*`
    /// means "don't sort").
    by: Option<Vec<u8>>,
    dontsort: bool,
    gets: Vec<Vec<u8>>,
    store: Option<Vec<u8>>,
}

fn parse(ctx: &Ctx, readonly: bool) -> Result<Opts, CmdError> {
    let mut o = Opts {
        desc: false,
        alpha: false,
        limit_start: 0,
        limit_count: -1,
        by: None,
        dontsort: false,
        gets: Vec::new(),
        store: None,
    };
    let argc = ctx.argc();
    let mut j = 2;
    while j < argc {
        let left = argc - j - 1;
        if ctx.is(j, "asc") {
            o.desc = false;
        } else if ctx.is(j, "desc") {
            o.desc = true;
        } else if ctx.is(j, "alpha") {
            o.alpha = true;
        } else if ctx.is(j, "limit") && left >= 2 {
            o.limit_start = ctx.parse_i64(j + 1)?;
            o.limit_count = ctx.parse_i64(j + 2)?;
            j += 2;
        } else if ctx.is(j, "store") && left >= 1 && !readonly {
            o.store = Some(ctx.arg(j + 1).to_vec());
            j += 1;
        } else if ctx.is(j, "by") && left >= 1 {
            let pat = ctx.arg(j + 1);
            // Without a '*' every element maps to the same key: nothing to sort by
            // (and, as in Redis, a later BY does not undo that).
            o.dontsort |= !c_str(pat).contains(&b'*');
            o.by = Some(pat.to_vec());
            j += 1;
        } else if ctx.is(j, "get") && left >= 1 {
            o.gets.push(ctx.arg(j + 1).to_vec());
            j += 1;
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    Ok(o)
}

/// The part of `s` before its first NUL byte: Redis scans patterns and collates
/// strings as C strings.
fn c_str(s: &[u8]) -> &[u8] {
    s.iter().position(|&b| b == 0).map_or(s, |n| &s[..n])
}

/// The value a BY/GET pattern names for `elem`: `#` is the element itself; the first
/// `*` is replaced by the element to form a key, whose string value is taken, or with
/// `key->field`, the field of the hash at that key. None if missing or another type.
fn lookup_pattern(core: &mut Core, db: usize, pat: &[u8], elem: &[u8]) -> Option<Vec<u8>> {
    let cpat = c_str(pat);
    if cpat == b"#" {
        return Some(elem.to_vec());
    }
    let star = cpat.iter().position(|&b| b == b'*')?;
    // A "->" after the '*' followed by a non-empty field name selects a hash field.
    let arrow = cpat[star + 1..]
        .windows(2)
        .position(|w| w == b"->")
        .map(|i| star + 1 + i)
        .filter(|&i| pat.get(i + 2).is_some_and(|&b| b != 0));
    let (postfix, field) = match arrow {
        Some(i) => (&pat[star + 1..i], Some(&pat[i + 2..])),
        None => (&pat[star + 1..], None),
    };
    let mut key = Vec::with_capacity(pat.len() + elem.len());
    key.extend_from_slice(&pat[..star]);
    key.extend_from_slice(elem);
    key.extend_from_slice(postfix);
    let value = &core.lookup_read(db, &key)?.value;
    match (field, value) {
        (Some(f), Value::Hash(h)) => h.get(f).map(|v| v.to_vec()),
        (Some(_), _) => None,
        (None, v) => v.string_bytes().map(|b| b.into_owned()),
    }
}

/// A sort weight read as C `strtod` would for SORT: leading spaces allowed, the whole
/// (C) string consumed, an empty string is 0; NaN and out-of-range values fail,
/// including decimal values that round to a subnormal (strtod reports ERANGE).
fn sort_score(bytes: &[u8]) -> Option<f64> {
    let s = c_str(bytes);
    if s.is_empty() {
        return Some(0.0);
    }
    let start = s
        .iter()
        .position(|&b| !matches!(b, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))?;
    let text = &s[start..];
    let v = num::parse_f64(text)?;
    let hex = text
        .iter()
        .position(|&b| b != b'+' && b != b'-')
        .is_some_and(|i| text[i..].starts_with(b"0x") || text[i..].starts_with(b"0X"));
    if v != 0.0 && v.abs() < f64::MIN_POSITIVE && !hex {
        return None;
    }
    Some(v)
}

/// One element with what it is compared by.
struct Item {
    elem: Vec<u8>,
    score: f64,
    /// ALPHA's comparison bytes (None: the BY key is missing).
    cmp: Option<Vec<u8>>,
}

fn sort_generic(ctx: &mut Ctx, readonly: bool) -> CmdResult {
    let mut o = parse(ctx, readonly)?;
    let db = ctx.client.db;
    let key = ctx.arg(1).to_vec();
    let mut value = ctx
        .core
        .lookup_read_slot(db, &key)
        .and_then(|s| ctx.core.dbs[db].entry_to_recode(s))
        .map(|e| &mut e.value);
    let (len, is_set) = match value.as_deref_mut() {
        None => (0, false),
        Some(Value::List(l)) => (l.len(), false),
        Some(Value::Set(s)) => (s.len(), true),
        Some(Value::ZSet(z)) => {
            // Redis converts every sorted set it sorts to the skiplist encoding.
            z.convert();
            (z.len(), false)
        }
        Some(_) => return Err(CmdError::WrongType),
    };
    // A set's iteration order is arbitrary: what is stored must not depend on it.
    if o.dontsort && is_set && o.store.is_some() {
        o.dontsort = false;
        o.alpha = true;
        o.by = None;
    }

    // The output range, clamped as Redis does.
    let len = len as i64;
    let mut start = o.limit_start.max(0);
    let mut end = if o.limit_count < 0 {
        len - 1
    } else {
        start.saturating_add(o.limit_count - 1)
    };
    if start >= len {
        start = len - 1;
        end = len - 2;
    }
    end = end.min(len - 1);

    // Load the elements. Unsorted lists and sorted sets keep their order (reversed by
    // DESC), and only the output range is loaded.
    let mut elems: Vec<Vec<u8>> = Vec::new();
    match value.as_deref() {
        Some(Value::List(l)) if o.dontsort => {
            if end >= start {
                let n = (end - start + 1) as usize;
                if o.desc {
                    let skip = start as usize;
                    elems.extend(l.iter_rev().skip(skip).take(n).map(|i| i.to_vec()));
                } else {
                    elems.extend(l.iter_from(start as usize).take(n).map(|i| i.to_vec()));
                }
            }
            end -= start;
            start = 0;
        }
        Some(Value::ZSet(z)) if o.dontsort => {
            if end >= start {
                let (s, e) = if o.desc {
                    ((len - 1 - end) as usize, (len - start) as usize)
                } else {
                    (start as usize, (end + 1) as usize)
                };
                z.visit(s, e, o.desc, &mut |m, _| elems.push(m.to_vec()));
            }
            end -= start;
            start = 0;
        }
        Some(Value::List(l)) => elems.extend(l.iter().map(|i| i.to_vec())),
        Some(Value::Set(s)) => elems.extend(s.iter().map(|m| m.to_vec())),
        Some(Value::ZSet(z)) => z.visit(0, len as usize, false, &mut |m, _| elems.push(m.to_vec())),
        _ => {}
    }

    if !o.dontsort {
        elems = sort_elems(ctx.core, db, &o, elems)?;
    }

    let range: &[Vec<u8>] = if end >= start {
        elems.get(start as usize..=end as usize).unwrap_or_default()
    } else {
        &[]
    };
    match o.store.take() {
        None => {
            let n = range.len() * o.gets.len().max(1);
            let mut rows: Vec<Option<Vec<u8>>> = Vec::with_capacity(n);
            for e in range {
                if o.gets.is_empty() {
                    rows.push(Some(e.clone()));
                }
                for g in &o.gets {
                    rows.push(lookup_pattern(ctx.core, db, g, e));
                }
            }
            let out = ctx.out();
            out.array(rows.len());
            for r in rows {
                match r {
                    Some(v) => out.bulk(&v),
                    None => out.null(),
                }
            }
        }
        Some(dest) => {
            let mut list = List::with_fill(ctx.core.config.list_max_listpack_size);
            for e in range {
                if o.gets.is_empty() {
                    list.push_back(e);
                }
                for g in &o.gets {
                    // Missing values are stored as empty strings.
                    let v = lookup_pattern(ctx.core, db, g, e).unwrap_or_default();
                    list.push_back(&v);
                }
            }
            let n = list.len();
            if n > 0 {
                let clock = ctx.core.lru_clock();
                ctx.db()
                    .set(&dest, Value::List(Box::new(list)), NO_EXPIRE, clock);
                ctx.dirty(n as u64);
            } else if ctx.db().remove(&dest).is_some() {
                ctx.dirty(1);
            }
            ctx.out().int(n as i64);
        }
    }
    Ok(())
}

/// Sorts `elems` by the options: numerically (ties broken by comparing the elements
/// as binary strings, so the result is deterministic) or with ALPHA by bytes.
fn sort_elems(
    core: &mut Core,
    db: usize,
    o: &Opts,
    elems: Vec<Vec<u8>>,
) -> Result<Vec<Vec<u8>>, CmdError> {
    let mut items = Vec::with_capacity(elems.len());
    let mut bad_score = false;
    for elem in elems {
        let by = match &o.by {
            Some(pat) => lookup_pattern(core, db, pat, &elem),
            None => Some(elem.clone()),
        };
        let mut item = Item {
            elem,
            score: 0.0,
            cmp: None,
        };
        if o.alpha {
            item.cmp = by;
        } else if let Some(b) = by {
            match sort_score(&b) {
                Some(s) => item.score = s,
                None => bad_score = true,
            }
        }
        items.push(item);
    }
    if bad_score {
        return Err(CmdError::msg(
            "ERR One or more scores can't be converted into double",
        ));
    }
    // STORE compares binary strings; a reply collates them as C strings (strcoll
    // in the C locale).
    let binary = o.store.is_some();
    let text = |s: &[u8]| -> Vec<u8> {
        if binary {
            s.to_vec()
        } else {
            c_str(s).to_vec()
        }
    };
    let compare = |a: &Item, b: &Item| -> Ordering {
        let ord = if !o.alpha {
            a.score
                .partial_cmp(&b.score)
                .unwrap_or(Ordering::Equal)
                .then_with(|| a.elem.cmp(&b.elem))
        } else {
            match (&a.cmp, &b.cmp) {
                (Some(x), Some(y)) => text(x).cmp(&text(y)),
                (x, y) => x.is_some().cmp(&y.is_some()),
            }
        };
        if o.desc {
            ord.reverse()
        } else {
            ord
        }
    };
    items.sort_by(compare);
    Ok(items.into_iter().map(|i| i.elem).collect())
}

fn sort(ctx: &mut Ctx) -> CmdResult {
    sort_generic(ctx, false)
}

fn sort_ro(ctx: &mut Ctx) -> CmdResult {
    sort_generic(ctx, true)
}

/// SORT's keys: the sorted key, and the destination of the last STORE. Options are
/// skipped with their arguments (LIMIT two, GET and BY one); other words none.
fn sort_keys(argv: &[Vec<u8>]) -> Vec<(usize, &'static str)> {
    let mut keys = vec![(1, "RO access")];
    let mut store = None;
    let mut i = 2;
    while i < argv.len() {
        let a = &argv[i];
        if a.eq_ignore_ascii_case(b"limit") {
            i += 2;
        } else if a.eq_ignore_ascii_case(b"get") || a.eq_ignore_ascii_case(b"by") {
            i += 1;
        } else if a.eq_ignore_ascii_case(b"store") && i + 1 < argv.len() {
            // The destination itself is then read as a possible option, as in Redis.
            store = Some(i + 1);
        }
        i += 1;
    }
    keys.extend(store.map(|p| (p, "OW update")));
    keys
}

const BY_GET_NOTES: &str = "For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort";
const STORE_NOTES: &str = "For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array";
const COMPLEXITY: &str = "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).";
const CATS: u32 = acl::SET | acl::SORTEDSET | acl::LIST | acl::DANGEROUS;

#[rustfmt::skip]
pub const COMMANDS: &[Command] = &[
    Command::new("sort", -2, sort).flags(WRITE | DENYOOM | MOVABLE_KEYS).acl(CATS)
        .keys(1, 1, 1, "RO access")
        .key_specs(&[
            KeySpec::new(1, 0, 1, "RO access"),
            KeySpec::unknown("RO access").notes(BY_GET_NOTES),
            KeySpec::unknown("OW update").notes(STORE_NOTES),
        ])
        .getkeys(sort_keys)
        .doc("generic", "1.0.0", "Sort the elements in a list, set or sorted set", COMPLEXITY),
    Command::new("sort_ro", -2, sort_ro).flags(READONLY | MOVABLE_KEYS).acl(CATS)
        .keys(1, 1, 1, "RO access")
        .key_specs(&[
            KeySpec::new(1, 0, 1, "RO access"),
            KeySpec::unknown("RO access").notes(BY_GET_NOTES),
        ])
        .doc("generic", "7.0.0", "Sort the elements in a list, set or sorted set. Read-only variant of SORT.", COMPLEXITY),
];
