//! Client-side caching: CLIENT TRACKING, CACHING, TRACKINGINFO and GETREDIR.
//!
//! In the default mode the server remembers which keys each tracking client read
//! (the keys of the read-only commands it ran) and, when one of them is modified,
//! sends that client one `invalidate` message and forgets the pair. In BCAST mode
//! nothing is remembered: every modified key matching one of the client's prefixes
//! is announced. Modifications are the ones WATCH sees (the written keys of commands
//! that changed something, expirations, flushes), so there is one source of truth.

use super::Ctx;
use crate::error::{err, CmdError, CmdResult};
use crate::protocol::ReplyBuf;
use crate::server::client::Client;
use crate::server::Core;
use std::collections::HashMap;

/// A client's tracking settings.
#[derive(Clone, Debug, Default)]
pub struct TrackState {
    /// Client id receiving the invalidations instead of this one (0 = itself).
    pub redirect: u64,
    pub bcast: bool,
    pub optin: bool,
    pub optout: bool,
    pub noloop: bool,
    pub prefixes: Vec<Vec<u8>>,
    /// CLIENT CACHING YES/NO applies to the next command only.
    pub caching: Option<bool>,
}

/// A tracking client: (token, client id).
type Holder = (usize, u64);

#[derive(Default)]
pub struct Tracking {
    /// Default mode: key -> (token, client id) of the clients that read it.
    table: HashMap<Vec<u8>, Vec<(usize, u64)>>,
    /// BCAST mode: (prefix, token, client id).
    bcast: Vec<(Vec<u8>, usize, u64)>,
    /// Clients with tracking on (INFO tracking_clients).
    pub clients: usize,
}

impl Tracking {
    /// True when modified keys must be looked at.
    pub fn active(&self) -> bool {
        !self.table.is_empty() || !self.bcast.is_empty()
    }
    pub fn tracked_keys(&self) -> usize {
        self.table.len()
    }
    /// (key, client) pairs remembered.
    pub fn tracked_items(&self) -> usize {
        self.table.values().map(Vec::len).sum()
    }
    pub fn prefix_count(&self) -> usize {
        self.bcast.len()
    }
}

/// Remembers the keys a read-only command just read, for a tracking client.
pub fn remember_reads(core: &mut Core, client: &mut Client, keys: &[&[u8]]) {
    let Some(t) = &mut client.tracking else {
        return;
    };
    let caching = t.caching.take();
    if t.bcast || (t.optin && caching != Some(true)) || (t.optout && caching == Some(false)) {
        return;
    }
    for key in keys {
        let holders = core.tracking.table.entry(key.to_vec()).or_default();
        if !holders.iter().any(|&(_, id)| id == client.id) {
            holders.push((client.token, client.id));
        }
    }
    super::transactions::track_key_logs(core);
}

/// Forgets the pending CLIENT CACHING choice after a command that read nothing.
pub fn end_command(client: &mut Client) {
    if let Some(t) = &mut client.tracking {
        t.caching = None;
    }
}

/// Writes an invalidation message (`keys` None = everything, after a flush).
fn write_invalidation(
    out: &mut ReplyBuf,
    keys: Option<&[Vec<u8>]>,
    redirected: bool,
    subscribed: bool,
) -> bool {
    if out.is_resp3() {
        out.push(2);
        out.bulk(b"invalidate");
    } else if redirected && subscribed {
        out.array(3);
        out.bulk(b"message");
        out.bulk(b"__redis__:invalidate");
    } else {
        // A RESP2 client can only receive invalidations through a redirect to a
        // client subscribed to __redis__:invalidate.
        return false;
    }
    match keys {
        Some(keys) => {
            out.array(keys.len());
            for k in keys {
                out.bulk(k);
            }
        }
        None => out.null(),
    }
    true
}

/// Sends `keys` to the tracking client (token, id), or to its redirect target.
/// The modifying client's own invalidations go after its reply.
fn send(
    core: &mut Core,
    current: Option<&mut Client>,
    token: usize,
    id: u64,
    keys: Option<&[Vec<u8>]>,
) {
    let redirect = match current.as_deref() {
        Some(c) if c.id == id => c.tracking.as_ref().map(|t| t.redirect),
        _ => core
            .clients
            .get(token)
            .filter(|c| c.id == id)
            .and_then(|c| c.tracking.as_ref().map(|t| t.redirect)),
    };
    let Some(redirect) = redirect else {
        return;
    };
    let target_id = if redirect != 0 { redirect } else { id };
    if let Some(c) = current.filter(|c| c.id == target_id) {
        c.pending_invalidations
            .push((keys.map(|k| k.to_vec()), redirect != 0));
        return;
    }
    let target = core
        .clients
        .iter()
        .find(|(_, c)| c.id == target_id)
        .map(|(t, _)| t);
    let Some(c) = target.and_then(|t| core.clients.get_mut(t)) else {
        return;
    };
    let subscribed = c.subs.channels.contains(&b"__redis__:invalidate"[..]);
    if write_invalidation(&mut c.out, keys, redirect != 0, subscribed) && !c.pending_write {
        c.pending_write = true;
        core.pending_writes.push(c.token);
    }
}

/// Writes the invalidations a command caused for its own client, after its reply.
pub fn flush_own(client: &mut Client) {
    if client.pending_invalidations.is_empty() {
        return;
    }
    let subscribed = client.subs.channels.contains(&b"__redis__:invalidate"[..]);
    for (keys, redirected) in std::mem::take(&mut client.pending_invalidations) {
        write_invalidation(&mut client.out, keys.as_deref(), redirected, subscribed);
    }
}

/// Invalidates modified keys for every client that read them, and announces them to
/// matching BCAST clients. `current` made the modification (NOLOOP skips it).
pub fn invalidate(core: &mut Core, mut current: Option<&mut Client>, keys: &[Vec<u8>]) {
    if !core.tracking.active() || keys.is_empty() {
        return;
    }
    // Readers get one message per key, as Redis sends them; BCAST clients get the
    // keys of the whole command in one message (Redis batches them per loop turn).
    let mut messages: Vec<(Holder, Vec<Vec<u8>>)> = Vec::new();
    let mut bcast: Vec<(Holder, Vec<Vec<u8>>)> = Vec::new();
    for key in keys {
        for h in core.tracking.table.remove(key).unwrap_or_default() {
            messages.push((h, vec![key.clone()]));
        }
        for (prefix, token, id) in &core.tracking.bcast {
            if key.starts_with(prefix) {
                match bcast.iter_mut().find(|(c, _)| c.1 == *id) {
                    Some((_, ks)) => ks.push(key.clone()),
                    None => bcast.push(((*token, *id), vec![key.clone()])),
                }
            }
        }
    }
    messages.extend(bcast);
    for ((token, id), ks) in messages {
        let noloop = current
            .as_deref()
            .is_some_and(|c| c.id == id && c.tracking.as_ref().is_some_and(|t| t.noloop));
        if !noloop {
            send(core, current.as_deref_mut(), token, id, Some(&ks));
        }
    }
    super::transactions::track_key_logs(core);
}

/// After FLUSHDB/FLUSHALL: every tracking client is told to drop everything.
pub fn invalidate_all(core: &mut Core, current: &mut Client) {
    if core.tracking.clients == 0 {
        return;
    }
    core.tracking.table.clear();
    let mut targets: Vec<(usize, u64)> = core
        .clients
        .iter()
        .filter(|(_, c)| c.tracking.is_some())
        .map(|(t, c)| (t, c.id))
        .collect();
    if current.tracking.is_some() {
        targets.push((current.token, current.id));
    }
    for (token, id) in targets {
        send(core, Some(&mut *current), token, id, None);
    }
    super::transactions::track_key_logs(core);
}

/// Turns tracking off for a client (CLIENT TRACKING OFF, RESET, disconnect).
pub fn disable(core: &mut Core, client: &mut Client) {
    if client.tracking.take().is_none() {
        return;
    }
    core.tracking.clients -= 1;
    let id = client.id;
    core.tracking.bcast.retain(|(_, _, c)| *c != id);
    core.tracking.table.retain(|_, holders| {
        holders.retain(|&(_, c)| c != id);
        !holders.is_empty()
    });
    super::transactions::track_key_logs(core);
}

/// CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]
pub fn client_tracking(ctx: &mut Ctx) -> CmdResult {
    let on = if ctx.is(2, "on") {
        true
    } else if ctx.is(2, "off") {
        false
    } else {
        return Err(CmdError::Syntax);
    };
    let mut t = TrackState::default();
    let mut j = 3;
    while j < ctx.argc() {
        let more = j + 1 < ctx.argc();
        if ctx.is(j, "redirect") && more {
            j += 1;
            let id = ctx.parse_i64(j)?;
            let exists = id == ctx.client.id as i64
                || ctx.core.clients.iter().any(|(_, c)| c.id as i64 == id);
            if !exists {
                return err("ERR The client ID you want redirect to does not exist");
            }
            t.redirect = id as u64;
        } else if ctx.is(j, "bcast") {
            t.bcast = true;
        } else if ctx.is(j, "optin") {
            t.optin = true;
        } else if ctx.is(j, "optout") {
            t.optout = true;
        } else if ctx.is(j, "noloop") {
            t.noloop = true;
        } else if ctx.is(j, "prefix") && more {
            j += 1;
            t.prefixes.push(ctx.arg(j).to_vec());
        } else {
            return Err(CmdError::Syntax);
        }
        j += 1;
    }
    if !on {
        disable(ctx.core, ctx.client);
        ctx.out().ok();
        return Ok(());
    }
    if let Some(old) = &ctx.client.tracking {
        if old.bcast != t.bcast {
            return err("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.");
        }
    }
    if !t.bcast && !t.prefixes.is_empty() {
        return err("ERR PREFIX option requires BCAST mode to be enabled");
    }
    if t.optin && t.optout {
        return err("ERR You can't specify both OPTIN mode and OPTOUT mode");
    }
    if t.bcast && (t.optin || t.optout) {
        return err("ERR OPTIN and OPTOUT are not compatible with BCAST");
    }
    if let Some(old) = &ctx.client.tracking {
        if (old.optin && t.optout) || (old.optout && t.optin) {
            return err("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.");
        }
    }
    let existing: Vec<Vec<u8>> = ctx
        .client
        .tracking
        .as_ref()
        .map(|o| o.prefixes.clone())
        .unwrap_or_default();
    for (i, p) in t.prefixes.iter().enumerate() {
        for (k, q) in t.prefixes.iter().enumerate() {
            if i != k && (p.starts_with(q) || q.starts_with(p)) {
                return err(format!(
                    "ERR Prefix '{}' overlaps with another provided prefix '{}'. Prefixes for a single client must not overlap.",
                    crate::error::lossy(p),
                    crate::error::lossy(q)
                ));
            }
        }
        for q in &existing {
            if q != p && (p.starts_with(q) || q.starts_with(p)) {
                return err(format!(
                    "ERR Prefix '{}' overlaps with an existing prefix '{}'. Prefixes for a single client must not overlap.",
                    crate::error::lossy(p),
                    crate::error::lossy(q)
                ));
            }
        }
    }
    if t.bcast && t.prefixes.is_empty() && existing.is_empty() {
        t.prefixes.push(Vec::new());
    }
    let (token, id) = (ctx.client.token, ctx.client.id);
    for p in &t.prefixes {
        if !existing.contains(p) {
            ctx.core.tracking.bcast.push((p.clone(), token, id));
        }
    }
    if t.bcast {
        let mut all = existing;
        all.extend(t.prefixes.iter().filter(|p| !p.is_empty()).cloned());
        all.dedup();
        t.prefixes = all;
    }
    if ctx.client.tracking.is_none() {
        ctx.core.tracking.clients += 1;
    }
    ctx.client.tracking = Some(t);
    super::transactions::track_key_logs(ctx.core);
    ctx.out().ok();
    Ok(())
}

/// CLIENT CACHING YES|NO
pub fn client_caching(ctx: &mut Ctx) -> CmdResult {
    let Some(t) = ctx.client.tracking.as_mut().filter(|t| t.optin || t.optout) else {
        return err("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled");
    };
    if ctx.argv[2].eq_ignore_ascii_case(b"yes") {
        if !t.optin {
            return err(
                "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.",
            );
        }
        t.caching = Some(true);
    } else if ctx.argv[2].eq_ignore_ascii_case(b"no") {
        if !t.optout {
            return err(
                "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.",
            );
        }
        t.caching = Some(false);
    } else {
        return Err(CmdError::Syntax);
    }
    ctx.out().ok();
    Ok(())
}

/// CLIENT TRACKINGINFO
pub fn client_trackinginfo(ctx: &mut Ctx) -> CmdResult {
    let t = ctx.client.tracking.clone();
    let out = ctx.out();
    out.map(3);
    out.bulk(b"flags");
    match &t {
        None => {
            out.set(1);
            out.bulk(b"off");
        }
        Some(t) => {
            let mut flags: Vec<&[u8]> = vec![b"on"];
            if t.bcast {
                flags.push(b"bcast");
            }
            if t.optin {
                flags.push(b"optin");
                if t.caching == Some(true) {
                    flags.push(b"caching-yes");
                }
            }
            if t.optout {
                flags.push(b"optout");
                if t.caching == Some(false) {
                    flags.push(b"caching-no");
                }
            }
            if t.noloop {
                flags.push(b"noloop");
            }
            out.set(flags.len());
            for f in flags {
                out.bulk(f);
            }
        }
    }
    out.bulk(b"redirect");
    out.int(t.as_ref().map_or(-1, |t| t.redirect as i64));
    out.bulk(b"prefixes");
    let prefixes = t.map(|t| t.prefixes).unwrap_or_default();
    out.array(prefixes.len());
    for p in prefixes {
        out.bulk(&p);
    }
    Ok(())
}

/// CLIENT GETREDIR
pub fn client_getredir(ctx: &mut Ctx) -> CmdResult {
    let r = ctx
        .client
        .tracking
        .as_ref()
        .map_or(-1, |t| t.redirect as i64);
    ctx.out().int(r);
    Ok(())
}
