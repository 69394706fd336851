//! List commands (the part needed so far): pushes, pops, LLEN, LRANGE, LINDEX.

use super::{acl, flag::*, Command, Ctx};
use crate::error::{err, CmdError, CmdResult};
use crate::keyspace::Value;
use crate::types::list::List;

/// The list at argument `i` for writing: Ok(None) if missing, WRONGTYPE for other types.
fn list_mut<'a>(ctx: &'a mut Ctx, i: usize) -> Result<Option<&'a mut List>, CmdError> {
    let Some(slot) = ctx.lookup_write(i) else {
        return Ok(None);
    };
    match ctx.db().entry_at(slot).map(|e| &mut e.value) {
        Some(Value::List(l)) => Ok(Some(l)),
        Some(_) => Err(CmdError::WrongType),
        None => Ok(None),
    }
}

/// LPUSH/RPUSH/LPUSHX/RPUSHX key element [element ...]
fn push_generic(ctx: &mut Ctx, front: bool, only_existing: bool) -> CmdResult {
    let values: Vec<Vec<u8>> = (2..ctx.argc()).map(|i| ctx.take_arg(i)).collect();
    let len = match list_mut(ctx, 1)? {
        Some(l) => {
            for v in values {
                if front {
                    l.push_front(v)
                } else {
                    l.push_back(v)
                }
            }
            l.len()
        }
        None if only_existing => {
            ctx.out().int(0);
            return Ok(());
        }
        None => {
            let mut l = List::new();
            for v in values {
                if front {
                    l.push_front(v)
                } else {
                    l.push_back(v)
                }
            }
            let len = l.len();
            let key = ctx.take_arg(1);
            let clock = ctx.core.lru_clock();
            ctx.db().add(key.into(), Value::List(l), clock);
            len
        }
    };
    ctx.dirty(1);
    ctx.out().int(len as i64);
    Ok(())
}

fn lpush(ctx: &mut Ctx) -> CmdResult {
    push_generic(ctx, true, false)
}
fn rpush(ctx: &mut Ctx) -> CmdResult {
    push_generic(ctx, false, false)
}
fn lpushx(ctx: &mut Ctx) -> CmdResult {
    push_generic(ctx, true, true)
}
fn rpushx(ctx: &mut Ctx) -> CmdResult {
    push_generic(ctx, false, true)
}

/// LPOP/RPOP key [count]
fn pop_generic(ctx: &mut Ctx, front: bool) -> CmdResult {
    let count = if ctx.argc() == 3 {
        let n = ctx
            .parse_i64(2)
            .map_err(|_| CmdError::msg("ERR value is out of range, must be positive"))?;
        if n < 0 {
            return err("ERR value is out of range, must be positive");
        }
        Some(n as usize)
    } else if ctx.argc() > 3 {
        return Err(CmdError::Arity(if front { "lpop" } else { "rpop" }.into()));
    } else {
        None
    };
    let Some(l) = list_mut(ctx, 1)? else {
        match count {
            Some(_) => ctx.out().null_array(),
            None => ctx.out().null(),
        }
        return Ok(());
    };
    let n = count.unwrap_or(1).min(l.len());
    let mut popped = Vec::with_capacity(n);
    for _ in 0..n {
        if let Some(v) = if front { l.pop_front() } else { l.pop_back() } {
            popped.push(v);
        }
    }
    let now_empty = l.is_empty();
    if now_empty {
        let key = ctx.take_arg(1);
        ctx.db().remove(&key);
    }
    if n > 0 {
        ctx.dirty(1);
    }
    let out = ctx.out();
    match count {
        None => out.bulk(&popped[0]),
        Some(_) => {
            out.array(popped.len());
            for v in &popped {
                out.bulk(v);
            }
        }
    }
    Ok(())
}

fn lpop(ctx: &mut Ctx) -> CmdResult {
    pop_generic(ctx, true)
}
fn rpop(ctx: &mut Ctx) -> CmdResult {
    pop_generic(ctx, false)
}

/// The list at argument `i` for reading.
fn list_ref<'a>(ctx: &'a mut Ctx, i: usize) -> Result<Option<&'a List>, CmdError> {
    match ctx.lookup_read(i).map(|e| &e.value) {
        None => Ok(None),
        Some(Value::List(l)) => Ok(Some(l)),
        Some(_) => Err(CmdError::WrongType),
    }
}

fn llen(ctx: &mut Ctx) -> CmdResult {
    let n = list_ref(ctx, 1)?.map_or(0, |l| l.len());
    ctx.out().int(n as i64);
    Ok(())
}

fn lindex(ctx: &mut Ctx) -> CmdResult {
    let index = ctx.parse_i64(2)?;
    let v = list_ref(ctx, 1)?
        .and_then(|l| l.get(index))
        .map(|v| v.to_vec());
    match v {
        Some(v) => ctx.out().bulk(&v),
        None => ctx.out().null(),
    }
    Ok(())
}

fn lrange(ctx: &mut Ctx) -> CmdResult {
    let start = ctx.parse_i64(2)?;
    let end = ctx.parse_i64(3)?;
    let Ctx { core, client, argv } = ctx;
    let list = match core.lookup_read(client.db, &argv[1]).map(|e| &e.value) {
        None => {
            client.out.array(0);
            return Ok(());
        }
        Some(Value::List(l)) => l,
        Some(_) => return Err(CmdError::WrongType),
    };
    let len = list.len() as i64;
    let mut s = if start < 0 { len + start } else { start };
    let mut e = if end < 0 { len + end } else { end };
    s = s.max(0);
    if e >= len {
        e = len - 1;
    }
    if s > e || s >= len {
        client.out.array(0);
        return Ok(());
    }
    let items = list.range(s as usize, e as usize);
    client.out.array(items.len());
    for v in items {
        client.out.bulk(v);
    }
    Ok(())
}

const L: u32 = acl::LIST;
const G: &str = "list";
const W: u32 = WRITE | DENYOOM | FAST;

pub const COMMANDS: &[Command] = &[
    Command::new("lpush", -3, lpush).flags(W).acl(L).keys(1, 1, 1, "RW insert")
        .doc(G, "1.0.0", "Prepend one or multiple elements to a list", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."),
    Command::new("rpush", -3, rpush).flags(W).acl(L).keys(1, 1, 1, "RW insert")
        .doc(G, "1.0.0", "Append one or multiple elements to a list", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."),
    Command::new("lpushx", -3, lpushx).flags(W).acl(L).keys(1, 1, 1, "RW insert")
        .doc(G, "2.2.0", "Prepend an element to a list, only if the list exists", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."),
    Command::new("rpushx", -3, rpushx).flags(W).acl(L).keys(1, 1, 1, "RW insert")
        .doc(G, "2.2.0", "Append an element to a list, only if the list exists", "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments."),
    Command::new("lpop", -2, lpop).flags(WRITE | FAST).acl(L).keys(1, 1, 1, "RW access delete")
        .doc(G, "1.0.0", "Remove and get the first elements in a list", "O(N) where N is the number of elements returned"),
    Command::new("rpop", -2, rpop).flags(WRITE | FAST).acl(L).keys(1, 1, 1, "RW access delete")
        .doc(G, "1.0.0", "Remove and get the last elements in a list", "O(N) where N is the number of elements returned"),
    Command::new("llen", 2, llen).flags(READONLY | FAST).acl(L).keys(1, 1, 1, "RO")
        .doc(G, "1.0.0", "Get the length of a list", "O(1)"),
    Command::new("lindex", 3, lindex).flags(READONLY).acl(L).keys(1, 1, 1, "RO access")
        .doc(G, "1.0.0", "Get an element from a list by its index", "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1)."),
    Command::new("lrange", 4, lrange).flags(READONLY).acl(L).keys(1, 1, 1, "RO access")
        .doc(G, "1.0.0", "Get a range of elements from a list", "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range."),
];
