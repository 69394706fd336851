//! Connection commands: PING, ECHO, QUIT, RESET, HELLO, AUTH and CLIENT.

use super::{acl, flag::*, keys::reply_help, Command, Ctx};
use crate::error::{err, lossy, CmdError, CmdResult};
use crate::server::client::Client;
use crate::server::Core;
use crate::util::num;

const C: u32 = acl::CONNECTION;

fn ping(ctx: &mut Ctx) -> CmdResult {
    if ctx.argc() > 2 {
        return Err(CmdError::Arity("ping".into()));
    }
    // A RESP2 client in subscribe mode gets PING answered in the push shape.
    if ctx.client.subs.total() > 0 && !ctx.client.out.is_resp3() {
        let msg = ctx.argv.get(1).cloned().unwrap_or_default();
        let out = ctx.out();
        out.array(2);
        out.bulk(b"pong");
        out.bulk(&msg);
        return Ok(());
    }
    if ctx.argc() == 1 {
        ctx.out().status("PONG");
    } else {
        let msg = ctx.take_arg(1);
        ctx.out().bulk(&msg);
    }
    Ok(())
}

fn echo(ctx: &mut Ctx) -> CmdResult {
    let msg = ctx.take_arg(1);
    ctx.out().bulk(&msg);
    Ok(())
}

fn quit(ctx: &mut Ctx) -> CmdResult {
    ctx.out().ok();
    ctx.client.close_after_reply = true;
    Ok(())
}

fn reset(ctx: &mut Ctx) -> CmdResult {
    super::pubsub::unsubscribe_all(ctx.core, ctx.client);
    super::tracking::disable(ctx.core, ctx.client);
    ctx.client.multi = None;
    super::transactions::unwatch_all(ctx.core, ctx.client);
    ctx.client.db = 0;
    ctx.client.name = None;
    ctx.client.out.resp = 2;
    ctx.client.reply_mode = crate::server::client::ReplyMode::On;
    ctx.client.no_evict = false;
    ctx.client.no_touch = false;
    if ctx.client.monitor {
        ctx.client.monitor = false;
        let token = ctx.client.token;
        ctx.core.monitors.retain(|&t| t != token);
    }
    ctx.client.authenticated = ctx.core.config.requirepass.is_none();
    ctx.out().status("RESET");
    Ok(())
}

/// Checks a username/password pair against the single `default` user.
fn check_credentials(core: &Core, user: &[u8], pass: &[u8]) -> bool {
    if user != b"default" {
        return false;
    }
    match &core.config.requirepass {
        None => true,
        Some(p) => p.as_slice() == pass,
    }
}

const WRONGPASS: &str = "WRONGPASS invalid username-password pair or user is disabled.";

fn auth(ctx: &mut Ctx) -> CmdResult {
    if ctx.argc() > 3 {
        return Err(CmdError::Syntax);
    }
    let (user, pass) = if ctx.argc() == 2 {
        if ctx.core.config.requirepass.is_none() {
            return err("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
        }
        (b"default".to_vec(), ctx.take_arg(1))
    } else {
        (ctx.take_arg(1), ctx.take_arg(2))
    };
    if check_credentials(ctx.core, &user, &pass) {
        ctx.client.authenticated = true;
        ctx.out().ok();
        Ok(())
    } else {
        err(WRONGPASS)
    }
}

/// Client names may not contain spaces or special characters (Redis's validateClientName).
fn valid_client_name(name: &[u8]) -> bool {
    name.iter().all(|&b| (b'!'..=b'~').contains(&b))
}

/// HELLO [protover [AUTH username password] [SETNAME clientname]]
fn hello(ctx: &mut Ctx) -> CmdResult {
    let mut ver = 0;
    let mut next = 1;
    if ctx.argc() >= 2 {
        let v = num::parse_i64(ctx.arg(1)).ok_or_else(|| {
            CmdError::msg("ERR Protocol version is not an integer or out of range")
        })?;
        if !(2..=3).contains(&v) {
            return err("NOPROTO unsupported protocol version");
        }
        ver = v as u8;
        next = 2;
    }
    let mut creds = None;
    let mut name = None;
    let mut j = next;
    while j < ctx.argc() {
        let left = ctx.argc() - j - 1;
        if ctx.is(j, "auth") && left >= 2 {
            creds = Some((ctx.arg(j + 1).to_vec(), ctx.arg(j + 2).to_vec()));
            j += 3;
        } else if ctx.is(j, "setname") && left >= 1 {
            let n = ctx.arg(j + 1).to_vec();
            if !valid_client_name(&n) {
                return err(
                    "ERR Client names cannot contain spaces, newlines or special characters.",
                );
            }
            name = Some(n);
            j += 2;
        } else {
            return err(format!(
                "ERR Syntax error in HELLO option '{}'",
                lossy(ctx.arg(j))
            ));
        }
    }
    if let Some((user, pass)) = creds {
        if !check_credentials(ctx.core, &user, &pass) {
            return err(WRONGPASS);
        }
        ctx.client.authenticated = true;
    }
    if !ctx.client.authenticated {
        return err("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");
    }
    if let Some(n) = name {
        ctx.client.name = if n.is_empty() { None } else { Some(n) };
    }
    if ver != 0 {
        ctx.client.out.resp = ver;
    }
    let id = ctx.client.id as i64;
    let proto = ctx.client.out.resp as i64;
    let out = ctx.out();
    out.map(7);
    out.bulk(b"server");
    out.bulk(b"redis");
    out.bulk(b"version");
    out.bulk(crate::REDIS_VERSION.as_bytes());
    out.bulk(b"proto");
    out.int(proto);
    out.bulk(b"id");
    out.int(id);
    out.bulk(b"mode");
    out.bulk(b"standalone");
    out.bulk(b"role");
    out.bulk(b"master");
    out.bulk(b"modules");
    out.array(0);
    Ok(())
}

/// One CLIENT LIST line (without the trailing newline), with Redis 7.0's fields.
pub fn client_info_line(core: &Core, c: &Client) -> String {
    let now = core.now_ms;
    let name = c.name.as_deref().map(lossy).unwrap_or_default();
    let cmd = core
        .registry
        .entries
        .get(c.last_cmd)
        .map(|e| e.fullname.as_str())
        .unwrap_or("NULL");
    let qbuf = c.query_len();
    let qbuf_free = c.query.len().saturating_sub(c.qend);
    let obl = c.pending_out();
    let mut flags = String::new();
    if c.subs.total() > 0 {
        flags.push('P');
    }
    if c.multi.is_some() {
        flags.push('x');
    }
    if c.monitor {
        flags.push('O');
    }
    if c.blocked.is_some() {
        flags.push('b');
    }
    if c.tracking.is_some() {
        flags.push('t');
    }
    if c.no_evict {
        flags.push('e');
    }
    if c.no_touch {
        flags.push('T');
    }
    if c.is_unix {
        flags.push('U');
    }
    if flags.is_empty() {
        flags.push('N');
    }
    format!(
        "id={} addr={} laddr={} fd={} name={} age={} idle={} flags={} db={} sub={} psub={} ssub={} multi={} qbuf={} qbuf-free={} argv-mem=0 multi-mem=0 rbs={} rbp=0 obl={} oll=0 omem=0 tot-mem={} events=r cmd={} user=default redir={} resp={}",
        c.id,
        c.addr,
        c.laddr,
        c.fd,
        name,
        (now - c.created_ms) / 1000,
        (now - c.last_interaction_ms) / 1000,
        flags,
        c.db,
        c.subs.channels.len(),
        c.subs.patterns.len(),
        c.subs.shard_channels.len(),
        c.multi.as_ref().map_or(-1, |m| m.queued.len() as i64),
        qbuf,
        qbuf_free,
        c.query.len(),
        obl,
        c.query.len() + c.out.buf.capacity() + std::mem::size_of::<Client>(),
        cmd,
        c.tracking.as_ref().map_or(-1, |t| t.redirect as i64),
        c.out.resp
    )
}

fn client_id(ctx: &mut Ctx) -> CmdResult {
    let id = ctx.client.id as i64;
    ctx.out().int(id);
    Ok(())
}

fn client_setname(ctx: &mut Ctx) -> CmdResult {
    let name = ctx.take_arg(2);
    if !valid_client_name(&name) {
        return err("ERR Client names cannot contain spaces, newlines or special characters.");
    }
    ctx.client.name = if name.is_empty() { None } else { Some(name) };
    ctx.out().ok();
    Ok(())
}

fn client_getname(ctx: &mut Ctx) -> CmdResult {
    match ctx.client.name.clone() {
        Some(n) => ctx.out().bulk(&n),
        None => ctx.out().null(),
    }
    Ok(())
}

fn client_info(ctx: &mut Ctx) -> CmdResult {
    let mut line = client_info_line(ctx.core, ctx.client);
    line.push('\n');
    ctx.out().verbatim("txt", line.as_bytes());
    Ok(())
}

/// The client type name CLIENT LIST/KILL TYPE filter on.
fn client_type(c: &Client) -> &'static str {
    match c.class() {
        crate::config::ClientClass::Pubsub => "pubsub",
        crate::config::ClientClass::Replica => "replica",
        crate::config::ClientClass::Normal => "normal",
    }
}

fn check_client_type(t: &[u8]) -> Result<(), CmdError> {
    let t = t.to_ascii_lowercase();
    match t.as_slice() {
        b"normal" | b"master" | b"replica" | b"slave" | b"pubsub" => Ok(()),
        _ => err(format!("ERR Unknown client type '{}'", lossy(&t))),
    }
}

/// CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id ...]
fn client_list(ctx: &mut Ctx) -> CmdResult {
    let mut type_filter: Option<Vec<u8>> = None;
    let mut ids: Option<Vec<u64>> = None;
    if ctx.argc() == 4 && ctx.is(2, "type") {
        check_client_type(ctx.arg(3))?;
        type_filter = Some(ctx.arg(3).to_ascii_lowercase());
    } else if ctx.argc() >= 4 && ctx.is(2, "id") {
        let mut v = Vec::new();
        for i in 3..ctx.argc() {
            match num::parse_i64(ctx.arg(i)) {
                Some(n) if n > 0 => v.push(n as u64),
                _ => return err("ERR Invalid client ID"),
            }
        }
        ids = Some(v);
    } else if ctx.argc() != 2 {
        return Err(CmdError::Syntax);
    }
    let wanted = |c: &Client| {
        type_filter
            .as_deref()
            .is_none_or(|t| t == client_type(c).as_bytes())
    };
    let mut text = String::new();
    let mut lines: Vec<(u64, String)> = Vec::new();
    if wanted(ctx.client) {
        lines.push((ctx.client.id, client_info_line(ctx.core, ctx.client)));
    }
    for (_, c) in ctx.core.clients.iter().filter(|(_, c)| wanted(c)) {
        lines.push((c.id, client_info_line(ctx.core, c)));
    }
    lines.sort_by_key(|(id, _)| *id);
    for (id, line) in lines {
        if ids.as_ref().is_some_and(|ids| !ids.contains(&id)) {
            continue;
        }
        text.push_str(&line);
        text.push('\n');
    }
    ctx.out().verbatim("txt", text.as_bytes());
    Ok(())
}

/// CLIENT KILL addr:port | CLIENT KILL [ID id] [ADDR a] [LADDR a] [TYPE t] [USER u] [SKIPME yes|no]
fn client_kill(ctx: &mut Ctx) -> CmdResult {
    let old_form = ctx.argc() == 3;
    let mut id: Option<u64> = None;
    let mut addr: Option<Vec<u8>> = None;
    let mut laddr: Option<Vec<u8>> = None;
    let mut ctype: Option<Vec<u8>> = None;
    let mut user: Option<Vec<u8>> = None;
    let mut skipme = true;
    if old_form {
        addr = Some(ctx.arg(2).to_vec());
        skipme = false;
    } else {
        let mut j = 2;
        while j < ctx.argc() {
            if j + 1 >= ctx.argc() {
                return Err(CmdError::Syntax);
            }
            let v = ctx.arg(j + 1).to_vec();
            if ctx.is(j, "id") {
                match num::parse_i64(&v) {
                    Some(n) if n > 0 => id = Some(n as u64),
                    _ => return err("ERR client-id should be greater than 0"),
                }
            } else if ctx.is(j, "addr") {
                addr = Some(v);
            } else if ctx.is(j, "laddr") {
                laddr = Some(v);
            } else if ctx.is(j, "type") {
                check_client_type(&v)?;
                ctype = Some(v.to_ascii_lowercase());
            } else if ctx.is(j, "user") {
                if v != b"default" {
                    return err(format!("ERR No such user '{}'", lossy(&v)));
                }
                user = Some(v);
            } else if ctx.is(j, "skipme") {
                if v.eq_ignore_ascii_case(b"yes") {
                    skipme = true;
                } else if v.eq_ignore_ascii_case(b"no") {
                    skipme = false;
                } else {
                    return Err(CmdError::Syntax);
                }
            } else {
                return Err(CmdError::Syntax);
            }
            j += 2;
        }
    }
    let matches = |c: &Client| {
        id.is_none_or(|i| c.id == i)
            && addr
                .as_ref()
                .is_none_or(|a| c.addr.as_bytes() == a.as_slice())
            && laddr
                .as_ref()
                .is_none_or(|a| c.laddr.as_bytes() == a.as_slice())
            && ctype
                .as_ref()
                .is_none_or(|t| t.as_slice() == client_type(c).as_bytes())
            && user.as_ref().is_none_or(|_| true)
    };
    let mut killed = 0;
    let victims: Vec<usize> = ctx
        .core
        .clients
        .iter()
        .filter(|(_, c)| matches(c))
        .map(|(k, _)| k)
        .collect();
    for token in victims {
        if let Some(c) = ctx.core.clients.get_mut(token) {
            c.close_asap = true;
            ctx.core.close_queue.push(token);
            killed += 1;
        }
    }
    if !skipme && matches(ctx.client) {
        ctx.client.close_after_reply = true;
        killed += 1;
    }
    if old_form {
        if killed == 0 {
            return err("ERR No such client");
        }
        ctx.out().ok();
    } else {
        ctx.out().int(killed);
    }
    Ok(())
}

/// CLIENT REPLY ON|OFF|SKIP
fn client_reply(ctx: &mut Ctx) -> CmdResult {
    use crate::server::client::ReplyMode;
    if ctx.is(2, "on") {
        ctx.client.reply_mode = ReplyMode::On;
        ctx.out().ok();
    } else if ctx.is(2, "off") {
        ctx.client.reply_mode = ReplyMode::Off;
    } else if ctx.is(2, "skip") {
        if ctx.client.reply_mode == ReplyMode::On {
            ctx.client.reply_mode = ReplyMode::SkipNext;
        }
    } else {
        return Err(CmdError::Syntax);
    }
    Ok(())
}

/// CLIENT NO-TOUCH ON|OFF (Redis 7.2): this client's reads leave access times alone.
fn client_no_touch(ctx: &mut Ctx) -> CmdResult {
    if ctx.is(2, "on") {
        ctx.client.no_touch = true;
    } else if ctx.is(2, "off") {
        ctx.client.no_touch = false;
    } else {
        return Err(CmdError::Syntax);
    }
    ctx.out().ok();
    Ok(())
}

/// CLIENT NO-EVICT ON|OFF (there is no eviction yet; the flag is kept and shown).
fn client_no_evict(ctx: &mut Ctx) -> CmdResult {
    if ctx.is(2, "on") {
        ctx.client.no_evict = true;
    } else if ctx.is(2, "off") {
        ctx.client.no_evict = false;
        ctx.client.no_touch = false;
    } else {
        return Err(CmdError::Syntax);
    }
    ctx.out().ok();
    Ok(())
}

const CLIENT_HELP: &[&str] = &[
    "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GETNAME",
    "    Return the name of the current connection.",
    "ID",
    "    Return the ID of the current connection.",
    "INFO",
    "    Return information about the current client connection.",
    "KILL <ip:port>",
    "    Kill connection made from <ip:port>.",
    "KILL <option> <value> [<option> <value> [...]]",
    "    Kill connections. Options are:",
    "    * ADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made from the specified address",
    "    * LADDR (<ip:port>|<unixsocket>:0)",
    "      Kill connections made to specified local address",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Kill connections by type.",
    "    * USER <username>",
    "      Kill connections authenticated by <username>.",
    "    * SKIPME (YES|NO)",
    "      Skip killing current connection (default: yes).",
    "    * ID <client-id>",
    "      Kill connections by client id.",
    "LIST [options ...]",
    "    Return information about client connections. Options:",
    "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
    "      Return clients of specified type.",
    "SETNAME <name>",
    "    Assign the name <name> to the current connection.",
    "HELP",
    "    Print this help.",
];

fn client_help(ctx: &mut Ctx) -> CmdResult {
    reply_help(ctx, CLIENT_HELP);
    Ok(())
}

fn container(_: &mut Ctx) -> CmdResult {
    Err(CmdError::Syntax)
}

const CF: u32 = NOSCRIPT | LOADING | STALE;

const CLIENT_SUBS: &[Command] = &[
    Command::new("getname", 2, client_getname)
        .flags(CF)
        .acl(C)
        .doc(
            "connection",
            "2.6.9",
            "Get the current connection name",
            "O(1)",
        ),
    Command::new("help", 2, client_help)
        .flags(LOADING | STALE)
        .acl(C)
        .doc(
            "connection",
            "5.0.0",
            "Show helpful text about the different subcommands",
            "O(1)",
        ),
    Command::new("id", 2, client_id).flags(CF).acl(C).doc(
        "connection",
        "5.0.0",
        "Returns the client ID for the current connection",
        "O(1)",
    ),
    Command::new("info", 2, client_info)
        .tips(&["nondeterministic_output"])
        .flags(CF)
        .acl(C)
        .doc(
            "connection",
            "6.2.0",
            "Returns information about the current client connection.",
            "O(1)",
        ),
    Command::new("kill", -3, client_kill)
        .flags(ADMIN | CF)
        .acl(C)
        .doc(
            "connection",
            "2.4.0",
            "Kill the connection of a client",
            "O(N) where N is the number of client connections",
        ),
    Command::new("list", -2, client_list)
        .tips(&["nondeterministic_output"])
        .flags(ADMIN | CF)
        .acl(C)
        .doc(
            "connection",
            "2.4.0",
            "Get the list of client connections",
            "O(N) where N is the number of client connections",
        ),
    Command::new("caching", 3, super::tracking::client_caching)
        .flags(CF)
        .acl(C)
        .doc("connection", "6.0.0", "Instruct the server about tracking or not keys in the next request", "O(1)"),
    Command::new("getredir", 2, super::tracking::client_getredir)
        .flags(CF)
        .acl(C)
        .doc("connection", "6.0.0", "Get tracking notifications redirection client ID if any", "O(1)"),
    Command::new("tracking", -3, super::tracking::client_tracking)
        .flags(CF)
        .acl(C)
        .doc("connection", "6.0.0", "Enable or disable server assisted client side caching support", "O(1). Some options may introduce additional complexity."),
    Command::new("trackinginfo", 2, super::tracking::client_trackinginfo)
        .flags(CF)
        .acl(C)
        .doc("connection", "6.2.0", "Return information about server assisted client side caching for the current connection", "O(1)"),
    Command::new("pause", -3, super::blocking::client_pause)
        .flags(ADMIN | CF)
        .acl(C)
        .doc(
            "connection",
            "2.9.50",
            "Stop processing commands from clients for some time",
            "O(1)",
        ),
    Command::new("unpause", 2, super::blocking::client_unpause)
        .flags(ADMIN | CF)
        .acl(C)
        .doc(
            "connection",
            "6.2.0",
            "Resume processing of clients that were paused",
            "O(N) Where N is the number of paused clients",
        ),
    Command::new("unblock", -3, super::blocking::client_unblock)
        .flags(ADMIN | CF)
        .acl(C)
        .doc(
            "connection",
            "5.0.0",
            "Unblock a client blocked in a blocking command from a different connection",
            "O(log N) where N is the number of client connections",
        ),
    Command::new("no-evict", 3, client_no_evict)
        .flags(ADMIN | CF)
        .acl(C)
        .doc(
            "connection",
            "7.0.0",
            "Set client eviction mode for the current connection",
            "O(1)",
        ),
    Command::new("no-touch", 3, client_no_touch)
        .flags(CF)
        .acl(C)
        .doc("connection", "7.2.0", "Controls whether commands sent by the client will alter the LRU/LFU of the keys they access.", "O(1)"),
    Command::new("reply", 3, client_reply).flags(CF).acl(C).doc(
        "connection",
        "3.2.0",
        "Instruct the server whether to reply to commands",
        "O(1)",
    ),
    Command::new("setname", 3, client_setname)
        .flags(CF)
        .acl(C)
        .doc(
            "connection",
            "2.6.9",
            "Set the current connection name",
            "O(1)",
        ),
];

pub const COMMANDS: &[Command] = &[
    Command::new("ping", -1, ping)
        .tips(&["request_policy:all_shards", "response_policy:all_succeeded"])
        .flags(FAST)
        .acl(C)
        .doc("connection", "1.0.0", "Ping the server", "O(1)"),
    Command::new("echo", 2, echo)
        .flags(FAST | LOADING | STALE)
        .acl(C)
        .doc("connection", "1.0.0", "Echo the given string", "O(1)"),
    Command::new("quit", -1, quit)
        .flags(ALLOW_BUSY | NOSCRIPT | LOADING | STALE | FAST | NO_AUTH)
        .acl(C)
        .doc("connection", "1.0.0", "Close the connection", "O(1)"),
    Command::new("reset", 1, reset)
        .flags(ALLOW_BUSY | NOSCRIPT | LOADING | STALE | FAST | NO_AUTH)
        .acl(C)
        .doc("connection", "6.2.0", "Reset the connection", "O(1)"),
    Command::new("auth", -2, auth)
        .flags(ALLOW_BUSY | NOSCRIPT | LOADING | STALE | FAST | NO_AUTH)
        .acl(C)
        .doc(
            "connection",
            "1.0.0",
            "Authenticate to the server",
            "O(N) where N is the number of passwords defined for the user",
        ),
    Command::new("hello", -1, hello)
        .flags(ALLOW_BUSY | NOSCRIPT | LOADING | STALE | FAST | NO_AUTH)
        .acl(C)
        .doc("connection", "6.0.0", "Handshake with Redis", "O(1)"),
    Command::new("client", -2, container)
        .subcommands(CLIENT_SUBS)
        .doc(
            "connection",
            "2.4.0",
            "A container for client connection commands",
            "Depends on subcommand.",
        ),
];
