//! Pub/Sub: SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and their UN- forms, PUBLISH,
//! SPUBLISH and PUBSUB introspection.
//!
//! The server keeps, per channel (and per pattern), the tokens of the subscribed
//! clients in subscription order; each client keeps the names it is subscribed to.
//! PUBLISH writes the message straight into every subscriber's output buffer and
//! queues it for the end-of-turn flush; a subscriber that lets its buffer grow past
//! `client-output-buffer-limit pubsub` is disconnected instead of growing memory.

use super::{flag::*, keys::reply_help, Command, Ctx, KeySpec};
use crate::error::{CmdError, CmdResult};
use crate::protocol::ReplyBuf;
use crate::server::client::Client;
use crate::server::Core;
use crate::util::glob::string_match;
use std::collections::{HashMap, HashSet};

/// Which namespace a subscription lives in.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Channel,
    Pattern,
    Shard,
}

impl Kind {
    fn subscribe_word(self) -> &'static [u8] {
        match self {
            Kind::Channel => b"subscribe",
            Kind::Pattern => b"psubscribe",
            Kind::Shard => b"ssubscribe",
        }
    }
    fn unsubscribe_word(self) -> &'static [u8] {
        match self {
            Kind::Channel => b"unsubscribe",
            Kind::Pattern => b"punsubscribe",
            Kind::Shard => b"sunsubscribe",
        }
    }
}

/// Subscribers by channel, by pattern and by shard channel.
#[derive(Default)]
pub struct PubSub {
    channels: HashMap<Vec<u8>, Vec<usize>>,
    patterns: HashMap<Vec<u8>, Vec<usize>>,
    shard_channels: HashMap<Vec<u8>, Vec<usize>>,
}

impl PubSub {
    pub fn channel_count(&self) -> usize {
        self.channels.len()
    }
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }
    pub fn shard_channel_count(&self) -> usize {
        self.shard_channels.len()
    }
    fn map(&mut self, kind: Kind) -> &mut HashMap<Vec<u8>, Vec<usize>> {
        match kind {
            Kind::Channel => &mut self.channels,
            Kind::Pattern => &mut self.patterns,
            Kind::Shard => &mut self.shard_channels,
        }
    }
}

/// A client's subscriptions.
#[derive(Default)]
pub struct Subscriptions {
    pub channels: HashSet<Vec<u8>>,
    pub patterns: HashSet<Vec<u8>>,
    pub shard_channels: HashSet<Vec<u8>>,
}

impl Subscriptions {
    /// Channels plus patterns: the count in (un)subscribe replies.
    pub fn count(&self) -> usize {
        self.channels.len() + self.patterns.len()
    }
    pub fn total(&self) -> usize {
        self.count() + self.shard_channels.len()
    }
    fn set(&mut self, kind: Kind) -> &mut HashSet<Vec<u8>> {
        match kind {
            Kind::Channel => &mut self.channels,
            Kind::Pattern => &mut self.patterns,
            Kind::Shard => &mut self.shard_channels,
        }
    }
    fn reply_count(&self, kind: Kind) -> usize {
        match kind {
            Kind::Shard => self.shard_channels.len(),
            _ => self.count(),
        }
    }
}

/// Writes one (un)subscribe confirmation: [word, name or nil, count].
fn confirm(out: &mut ReplyBuf, word: &[u8], name: Option<&[u8]>, count: usize) {
    out.push(3);
    out.bulk(word);
    match name {
        Some(n) => out.bulk(n),
        None => out.null(),
    }
    out.int(count as i64);
}

fn subscribe_generic(ctx: &mut Ctx, kind: Kind) -> CmdResult {
    for i in 1..ctx.argc() {
        let name = ctx.arg(i).to_vec();
        if ctx.client.subs.set(kind).insert(name.clone()) {
            ctx.core
                .pubsub
                .map(kind)
                .entry(name.clone())
                .or_default()
                .push(ctx.client.token);
        }
        let count = ctx.client.subs.reply_count(kind);
        confirm(
            &mut ctx.client.out,
            kind.subscribe_word(),
            Some(&name),
            count,
        );
    }
    Ok(())
}

fn forget(core: &mut Core, kind: Kind, name: &[u8], token: usize) {
    let map = core.pubsub.map(kind);
    if let Some(tokens) = map.get_mut(name) {
        tokens.retain(|&t| t != token);
        if tokens.is_empty() {
            map.remove(name);
        }
    }
}

fn unsubscribe_generic(ctx: &mut Ctx, kind: Kind) -> CmdResult {
    let names: Vec<Vec<u8>> = if ctx.argc() > 1 {
        ctx.argv[1..].to_vec()
    } else {
        ctx.client.subs.set(kind).iter().cloned().collect()
    };
    if names.is_empty() {
        let count = ctx.client.subs.reply_count(kind);
        confirm(&mut ctx.client.out, kind.unsubscribe_word(), None, count);
        return Ok(());
    }
    for name in names {
        if ctx.client.subs.set(kind).remove(&name) {
            forget(ctx.core, kind, &name, ctx.client.token);
        }
        let count = ctx.client.subs.reply_count(kind);
        confirm(
            &mut ctx.client.out,
            kind.unsubscribe_word(),
            Some(&name),
            count,
        );
    }
    Ok(())
}

/// Drops every subscription of a client (RESET, disconnect).
pub fn unsubscribe_all(core: &mut Core, client: &mut Client) {
    for kind in [Kind::Channel, Kind::Pattern, Kind::Shard] {
        for name in std::mem::take(client.subs.set(kind)) {
            forget(core, kind, &name, client.token);
        }
    }
}

fn subscribe(ctx: &mut Ctx) -> CmdResult {
    subscribe_generic(ctx, Kind::Channel)
}
fn psubscribe(ctx: &mut Ctx) -> CmdResult {
    subscribe_generic(ctx, Kind::Pattern)
}
fn ssubscribe(ctx: &mut Ctx) -> CmdResult {
    subscribe_generic(ctx, Kind::Shard)
}
fn unsubscribe(ctx: &mut Ctx) -> CmdResult {
    unsubscribe_generic(ctx, Kind::Channel)
}
fn punsubscribe(ctx: &mut Ctx) -> CmdResult {
    unsubscribe_generic(ctx, Kind::Pattern)
}
fn sunsubscribe(ctx: &mut Ctx) -> CmdResult {
    unsubscribe_generic(ctx, Kind::Shard)
}

/// Writes a message into one subscriber's output buffer: into the calling client
/// directly, or into another client's, which is then queued for writing and cut
/// off if it is over the pub/sub output limit.
fn deliver(
    core: &mut Core,
    current: &mut Option<&mut Client>,
    token: usize,
    write: &dyn Fn(&mut ReplyBuf),
) {
    if let Some(c) = current.as_deref_mut().filter(|c| c.token == token) {
        write(&mut c.out);
        return;
    }
    let now = core.now_ms;
    let Some(c) = core.clients.get_mut(token) else {
        return;
    };
    let limit = core.config.client_output_buffer_limit[c.class() as usize];
    if c.close_asap {
        return;
    }
    write(&mut c.out);
    if !c.pending_write {
        c.pending_write = true;
        core.pending_writes.push(token);
    }
    if c.over_output_limit(&limit, now) {
        log::warn!(
            "Client id={} addr={} scheduled to be closed ASAP for overcoming of output buffer limits.",
            c.id,
            c.addr
        );
        c.close_asap = true;
        core.close_queue.push(token);
    }
}

/// Sends `message` on `channel` to its subscribers (and, for ordinary channels, to
/// matching pattern subscribers); returns the number of receivers. `current` is the
/// client running the command, if any (it is not in `core.clients` meanwhile).
pub fn publish_generic(
    core: &mut Core,
    mut current: Option<&mut Client>,
    shard: bool,
    channel: &[u8],
    message: &[u8],
) -> usize {
    let (map, word): (&HashMap<Vec<u8>, Vec<usize>>, &[u8]) = if shard {
        (&core.pubsub.shard_channels, b"smessage")
    } else {
        (&core.pubsub.channels, b"message")
    };
    let direct: Vec<usize> = map.get(channel).cloned().unwrap_or_default();
    let mut receivers = 0;
    for token in direct {
        deliver(core, &mut current, token, &|out| {
            out.push(3);
            out.bulk(word);
            out.bulk(channel);
            out.bulk(message);
        });
        receivers += 1;
    }
    if !shard {
        let matching: Vec<(Vec<u8>, Vec<usize>)> = core
            .pubsub
            .patterns
            .iter()
            .filter(|(p, _)| string_match(p, channel, false))
            .map(|(p, t)| (p.clone(), t.clone()))
            .collect();
        for (pattern, tokens) in matching {
            for token in tokens {
                deliver(core, &mut current, token, &|out| {
                    out.push(4);
                    out.bulk(b"pmessage");
                    out.bulk(&pattern);
                    out.bulk(channel);
                    out.bulk(message);
                });
                receivers += 1;
            }
        }
    }
    receivers
}

fn publish(ctx: &mut Ctx) -> CmdResult {
    let (channel, message) = (ctx.take_arg(1), ctx.take_arg(2));
    let n = publish_generic(ctx.core, Some(&mut *ctx.client), false, &channel, &message);
    ctx.out().int(n as i64);
    Ok(())
}

fn spublish(ctx: &mut Ctx) -> CmdResult {
    let (channel, message) = (ctx.take_arg(1), ctx.take_arg(2));
    let n = publish_generic(ctx.core, Some(&mut *ctx.client), true, &channel, &message);
    ctx.out().int(n as i64);
    Ok(())
}

fn channels_generic(ctx: &mut Ctx, shard: bool) -> CmdResult {
    if ctx.argc() > 3 {
        return Err(ctx.subcommand_syntax());
    }
    let pattern = ctx.argv.get(2).cloned();
    let map = if shard {
        &ctx.core.pubsub.shard_channels
    } else {
        &ctx.core.pubsub.channels
    };
    let names: Vec<&Vec<u8>> = map
        .keys()
        .filter(|c| pattern.as_ref().is_none_or(|p| string_match(p, c, false)))
        .collect();
    let out = &mut ctx.client.out;
    out.array(names.len());
    for n in names {
        out.bulk(n);
    }
    Ok(())
}

fn pubsub_channels(ctx: &mut Ctx) -> CmdResult {
    channels_generic(ctx, false)
}
fn pubsub_shardchannels(ctx: &mut Ctx) -> CmdResult {
    channels_generic(ctx, true)
}

fn numsub_generic(ctx: &mut Ctx, shard: bool) -> CmdResult {
    let map = if shard {
        &ctx.core.pubsub.shard_channels
    } else {
        &ctx.core.pubsub.channels
    };
    let counts: Vec<(Vec<u8>, usize)> = ctx.argv[2..]
        .iter()
        .map(|c| (c.clone(), map.get(c).map_or(0, |t| t.len())))
        .collect();
    let out = &mut ctx.client.out;
    out.map(counts.len());
    for (c, n) in counts {
        out.bulk(&c);
        out.int(n as i64);
    }
    Ok(())
}

fn pubsub_numsub(ctx: &mut Ctx) -> CmdResult {
    numsub_generic(ctx, false)
}
fn pubsub_shardnumsub(ctx: &mut Ctx) -> CmdResult {
    numsub_generic(ctx, true)
}

fn pubsub_numpat(ctx: &mut Ctx) -> CmdResult {
    let n = ctx.core.pubsub.pattern_count();
    ctx.out().int(n as i64);
    Ok(())
}

const PUBSUB_HELP: &[&str] = &[
    "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "CHANNELS [<pattern>]",
    "    Return the currently active channels matching a <pattern> (default: '*').",
    "NUMPAT",
    "    Return number of subscriptions to patterns.",
    "NUMSUB [<channel> ...]",
    "    Return the number of subscribers for the specified channels, excluding",
    "    pattern subscriptions(default: no channels).",
    "SHARDCHANNELS [<pattern>]",
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    "SHARDNUMSUB [<shardchannel> ...]",
    "    Return the number of subscribers for the specified shard level channel(s)",
    "HELP",
    "    Print this help.",
];

fn pubsub_help(ctx: &mut Ctx) -> CmdResult {
    reply_help(ctx, PUBSUB_HELP);
    Ok(())
}

fn container(_: &mut Ctx) -> CmdResult {
    Err(CmdError::Syntax)
}

/// Commands a RESP2 client may send while subscribed.
pub fn allowed_while_subscribed(name: &str) -> bool {
    matches!(
        name,
        "subscribe"
            | "ssubscribe"
            | "psubscribe"
            | "unsubscribe"
            | "sunsubscribe"
            | "punsubscribe"
            | "ping"
            | "quit"
            | "reset"
    )
}

/// The error for any other command in RESP2 subscribe mode.
pub fn subscribed_error(fullname: &str) -> String {
    format!("ERR Can't execute '{fullname}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context")
}

const P: u32 = super::acl::PUBSUB;
const SUB: u32 = PUBSUB | NOSCRIPT | LOADING | STALE;
const G: &str = "pubsub";

const PUBSUB_SUBS: &[Command] = &[
    Command::new("channels", -2, pubsub_channels).flags(PUBSUB | LOADING | STALE).acl(P)
        .doc(G, "2.8.0", "List active channels", "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)"),
    Command::new("help", 2, pubsub_help).flags(LOADING | STALE)
        .doc(G, "6.2.0", "Show helpful text about the different subcommands", "O(1)"),
    Command::new("numpat", 2, pubsub_numpat).flags(PUBSUB | LOADING | STALE).acl(P)
        .doc(G, "2.8.0", "Get the count of unique patterns pattern subscriptions", "O(1)"),
    Command::new("numsub", -2, pubsub_numsub).flags(PUBSUB | LOADING | STALE).acl(P)
        .doc(G, "2.8.0", "Get the count of subscribers for channels", "O(N) for the NUMSUB subcommand, where N is the number of requested channels"),
    Command::new("shardchannels", -2, pubsub_shardchannels).flags(PUBSUB | LOADING | STALE).acl(P)
        .doc(G, "7.0.0", "List active shard channels", "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels)."),
    Command::new("shardnumsub", -2, pubsub_shardnumsub).flags(PUBSUB | LOADING | STALE).acl(P)
        .doc(G, "7.0.0", "Get the count of subscribers for shard channels", "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels"),
];

pub const COMMANDS: &[Command] = &[
    Command::new("subscribe", -2, subscribe).flags(SUB).acl(P)
        .doc(G, "2.0.0", "Listen for messages published to the given channels", "O(N) where N is the number of channels to subscribe to."),
    Command::new("unsubscribe", -1, unsubscribe).flags(SUB).acl(P)
        .doc(G, "2.0.0", "Stop listening for messages posted to the given channels", "O(N) where N is the number of clients already subscribed to a channel."),
    Command::new("psubscribe", -2, psubscribe).flags(SUB).acl(P)
        .doc(G, "2.0.0", "Listen for messages published to channels matching the given patterns", "O(N) where N is the number of patterns the client is already subscribed to."),
    Command::new("punsubscribe", -1, punsubscribe).flags(SUB).acl(P)
        .doc(G, "2.0.0", "Stop listening for messages posted to channels matching the given patterns", "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client)."),
    Command::new("ssubscribe", -2, ssubscribe).flags(SUB).acl(P).keys(1, -1, 1, "not_key")
        .key_specs(&[KeySpec::new(1, -1, 1, "not_key")])
        .doc(G, "7.0.0", "Listen for messages published to the given shard channels", "O(N) where N is the number of shard channels to subscribe to."),
    Command::new("sunsubscribe", -1, sunsubscribe).flags(SUB).acl(P).keys(1, -1, 1, "not_key")
        .key_specs(&[KeySpec::new(1, -1, 1, "not_key")])
        .doc(G, "7.0.0", "Stop listening for messages posted to the given shard channels", "O(N) where N is the number of clients already subscribed to a shard channel."),
    Command::new("publish", 3, publish).flags(PUBSUB | LOADING | STALE | FAST).acl(P)
        .doc(G, "2.0.0", "Post a message to a channel", "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client)."),
    Command::new("spublish", 3, spublish).flags(PUBSUB | LOADING | STALE | FAST).acl(P).keys(1, 1, 1, "not_key")
        .key_specs(&[KeySpec::new(1, 0, 1, "not_key")])
        .doc(G, "7.0.0", "Post a message to a shard channel", "O(N) where N is the number of clients subscribed to the receiving shard channel."),
    Command::new("pubsub", -2, container).subcommands(PUBSUB_SUBS)
        .doc(G, "2.8.0", "A container for Pub/Sub commands", "Depends on subcommand."),
];
