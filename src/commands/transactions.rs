//! Transactions: MULTI, EXEC, DISCARD, WATCH, UNWATCH.
//!
//! Between MULTI and EXEC, commands are queued by the dispatcher (see `execute`);
//! EXEC runs them back to back, so no other client's command can interleave. WATCH
//! makes EXEC fail if a watched key is modified before it: the dispatcher "touches"
//! the keys of every write command that changed something, as Redis's
//! signalModifiedKey does, and FLUSHDB/FLUSHALL/SWAPDB touch whole databases.

use super::{flag::*, notify, Command, Ctx};
use crate::error::{err, CmdResult};
use crate::keyspace::db::{LOG_CREATED, LOG_EXPIRED, LOG_MISSED};
use crate::server::client::{Client, Multi};
use crate::server::Core;

const T: u32 = super::acl::TRANSACTION;

fn multi(ctx: &mut Ctx) -> CmdResult {
    if ctx.client.multi.is_some() {
        return err("ERR MULTI calls can not be nested");
    }
    ctx.client.multi = Some(Multi::default());
    ctx.out().ok();
    Ok(())
}

fn discard(ctx: &mut Ctx) -> CmdResult {
    if ctx.client.multi.take().is_none() {
        return err("ERR DISCARD without MULTI");
    }
    unwatch_all(ctx.core, ctx.client);
    ctx.out().ok();
    Ok(())
}

fn exec(ctx: &mut Ctx) -> CmdResult {
    let Some(multi) = ctx.client.multi.take() else {
        return err("ERR EXEC without MULTI");
    };
    // A watched key that expired since WATCH counts as modified.
    let now = ctx.now();
    let expired = ctx
        .client
        .watched
        .iter()
        .any(|(db, key, was_expired)| !was_expired && key_is_expired(ctx.core, *db, key, now));
    let cas_failed = ctx.client.dirty_cas || expired;
    unwatch_all(ctx.core, ctx.client);
    if multi.aborted {
        return err("EXECABORT Transaction discarded because of previous errors.");
    }
    if cas_failed {
        ctx.out().null_array();
        return Ok(());
    }
    ctx.out().array(multi.queued.len());
    ctx.core.exec_depth += 1;
    for argv in multi.queued {
        super::execute(ctx.core, ctx.client, argv);
    }
    ctx.core.exec_depth -= 1;
    Ok(())
}

fn key_is_expired(core: &Core, db: usize, key: &[u8], now: i64) -> bool {
    core.dbs
        .get(db)
        .and_then(|d| d.dict.get(key))
        .is_some_and(|e| e.expire_at <= now)
}

fn watch(ctx: &mut Ctx) -> CmdResult {
    if ctx.client.multi.is_some() {
        return err("ERR WATCH inside MULTI is not allowed");
    }
    let db = ctx.client.db;
    let now = ctx.now();
    for i in 1..ctx.argc() {
        let key = ctx.arg(i).to_vec();
        if ctx
            .client
            .watched
            .iter()
            .any(|(d, k, _)| *d == db && *k == key)
        {
            continue;
        }
        let expired = key_is_expired(ctx.core, db, &key, now);
        ctx.core
            .watched_keys
            .entry((db, key.clone()))
            .or_default()
            .push(ctx.client.token);
        ctx.client.watched.push((db, key, expired));
    }
    track_key_logs(ctx.core);
    ctx.out().ok();
    Ok(())
}

fn unwatch(ctx: &mut Ctx) -> CmdResult {
    unwatch_all(ctx.core, ctx.client);
    ctx.out().ok();
    Ok(())
}

/// Forgets every key the client watches (EXEC, DISCARD, UNWATCH, RESET, disconnect).
pub fn unwatch_all(core: &mut Core, client: &mut Client) {
    for (db, key, _) in client.watched.drain(..) {
        let k = (db, key);
        if let Some(tokens) = core.watched_keys.get_mut(&k) {
            tokens.retain(|&t| t != client.token);
            if tokens.is_empty() {
                core.watched_keys.remove(&k);
            }
        }
    }
    client.dirty_cas = false;
    track_key_logs(core);
}

/// Marks every client watching `key` in `db` as failed (Redis's touchWatchedKey).
/// `current` is the client running the command, which is not in the client table.
pub fn touch_key(core: &mut Core, mut current: Option<&mut Client>, db: usize, key: &[u8]) {
    if core.watched_keys.is_empty() {
        return;
    }
    let Some(tokens) = core.watched_keys.get(&(db, key.to_vec())) else {
        return;
    };
    for &t in tokens {
        match current.as_deref_mut() {
            Some(c) if c.token == t => c.dirty_cas = true,
            _ => {
                if let Some(c) = core.clients.get_mut(t) {
                    c.dirty_cas = true;
                }
            }
        }
    }
}

/// Applies the databases' key logs: keys deleted by expiry count as modified for
/// WATCH (Redis signals them too) and publish the "expired" keyspace event; keys
/// created publish "new"; keys a read missed publish "keymiss".
pub fn flush_key_logs(core: &mut Core, mut current: Option<&mut Client>) {
    for db in 0..core.dbs.len() {
        if core.dbs[db].key_log.is_empty() {
            continue;
        }
        let mut expired = Vec::new();
        for (kind, key) in std::mem::take(&mut core.dbs[db].key_log) {
            let (class, event) = match kind {
                LOG_EXPIRED => {
                    touch_key(core, current.as_deref_mut(), db, &key);
                    expired.push(key.clone());
                    (notify::EXPIRED, "expired")
                }
                LOG_CREATED => (notify::NEW, "new"),
                _ => (notify::KEY_MISS, "keymiss"),
            };
            notify::publish(core, current.as_deref_mut(), class, event, &key, db);
        }
        super::tracking::invalidate(core, current.as_deref_mut(), &expired);
    }
}

/// True while the databases log happenings to keys.
pub fn key_logs_on(core: &Core) -> bool {
    core.dbs.first().is_some_and(|d| d.log_kinds != 0)
}

/// Sets what the databases log: expired keys while any key is watched or tracked or
/// "expired" events are published; created and missed keys while "new" and
/// "keymiss" are.
pub fn track_key_logs(core: &mut Core) {
    let mut kinds = 0;
    if !core.watched_keys.is_empty()
        || core.tracking.active()
        || notify::enabled(core, notify::EXPIRED)
    {
        kinds |= LOG_EXPIRED;
    }
    if notify::enabled(core, notify::NEW) {
        kinds |= LOG_CREATED;
    }
    if notify::enabled(core, notify::KEY_MISS) {
        kinds |= LOG_MISSED;
    }
    for db in &mut core.dbs {
        db.log_kinds = kinds;
        if kinds == 0 {
            db.key_log = Vec::new();
        }
    }
}

/// Before database `db` is emptied, or swapped with `other`: fails the watchers of
/// its keys that exist in it (or in `other`), as Redis's touchAllWatchedKeysInDb.
pub fn touch_existing_in_db(
    core: &mut Core,
    current: &mut Client,
    db: usize,
    other: Option<usize>,
) {
    if core.watched_keys.is_empty() {
        return;
    }
    let exists = |d: usize, k: &[u8]| core.dbs.get(d).is_some_and(|x| x.dict.contains(k));
    let keys: Vec<Vec<u8>> = core
        .watched_keys
        .keys()
        .filter(|(d, k)| *d == db && (exists(db, k) || other.is_some_and(|o| exists(o, k))))
        .map(|(_, k)| k.clone())
        .collect();
    for key in keys {
        touch_key(core, Some(&mut *current), db, &key);
    }
}

const F: u32 = NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY;

pub const COMMANDS: &[Command] = &[
    Command::new("multi", 1, multi).flags(F).acl(T).doc(
        "transactions",
        "1.2.0",
        "Mark the start of a transaction block",
        "O(1)",
    ),
    Command::new("exec", 1, exec)
        .flags(NOSCRIPT | LOADING | STALE | SKIP_SLOWLOG)
        .acl(T)
        .doc(
            "transactions",
            "1.2.0",
            "Execute all commands issued after MULTI",
            "Depends on commands in the transaction",
        ),
    Command::new("discard", 1, discard).flags(F).acl(T).doc(
        "transactions",
        "2.0.0",
        "Discard all commands issued after MULTI",
        "O(N), when N is the number of queued commands",
    ),
    Command::new("watch", -2, watch)
        .flags(F)
        .acl(T)
        .keys(1, -1, 1, "RO")
        .doc(
            "transactions",
            "2.2.0",
            "Watch the given keys to determine execution of the MULTI/EXEC block",
            "O(1) for every key.",
        ),
    Command::new("unwatch", 1, unwatch).flags(F).acl(T).doc(
        "transactions",
        "2.2.0",
        "Forget about all watched keys",
        "O(1)",
    ),
];
