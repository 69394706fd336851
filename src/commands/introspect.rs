//! COMMAND and its subcommands: the command table described to clients.

use super::{acl, flag, flag::*, keys::reply_help, Command, Ctx, KeySpec};
use crate::error::{err, CmdError, CmdResult};
use crate::protocol::ReplyBuf;
use crate::util::glob::string_match;

fn reply_key_spec(out: &mut ReplyBuf, spec: &KeySpec) {
    out.map(3 + usize::from(!spec.notes.is_empty()));
    if !spec.notes.is_empty() {
        out.bulk(b"notes");
        out.bulk(spec.notes.as_bytes());
    }
    out.bulk(b"flags");
    let kf = key_flag_names(spec.flags);
    out.set(kf.len());
    for f in kf {
        out.status(&f);
    }
    if spec.unknown {
        for part in [&b"begin_search"[..], b"find_keys"] {
            out.bulk(part);
            out.map(2);
            out.bulk(b"type");
            out.bulk(b"unknown");
            out.bulk(b"spec");
            out.map(0);
        }
        return;
    }
    out.bulk(b"begin_search");
    out.map(2);
    out.bulk(b"type");
    if let Some((keyword, startfrom)) = spec.keyword {
        out.bulk(b"keyword");
        out.bulk(b"spec");
        out.map(2);
        out.bulk(b"keyword");
        out.bulk(keyword.as_bytes());
        out.bulk(b"startfrom");
        out.int(startfrom as i64);
    } else {
        out.bulk(b"index");
        out.bulk(b"spec");
        out.map(1);
        out.bulk(b"index");
        out.int(spec.index as i64);
    }
    out.bulk(b"find_keys");
    out.map(2);
    out.bulk(b"type");
    if let Some((keynumidx, firstkey, keystep)) = spec.keynum {
        out.bulk(b"keynum");
        out.bulk(b"spec");
        out.map(3);
        out.bulk(b"keynumidx");
        out.int(keynumidx as i64);
        out.bulk(b"firstkey");
        out.int(firstkey as i64);
        out.bulk(b"keystep");
        out.int(keystep as i64);
        return;
    }
    out.bulk(b"range");
    out.bulk(b"spec");
    out.map(3);
    out.bulk(b"lastkey");
    out.int(spec.lastkey as i64);
    out.bulk(b"keystep");
    out.int(spec.step as i64);
    out.bulk(b"limit");
    out.int(spec.limit as i64);
}

/// Key spec flags as Redis prints them: the access type upper-case (RO, RW, OW, RM),
/// the rest lower-case.
fn key_flag_names(flags: &str) -> Vec<String> {
    flags
        .split_whitespace()
        .map(|f| match f {
            "RO" | "RW" | "OW" | "RM" => f.to_string(),
            other => other.to_ascii_lowercase(),
        })
        .collect()
}

/// One COMMAND INFO entry (Redis 7.0's ten-element shape).
fn reply_info(out: &mut ReplyBuf, cmd: &Command, fullname: &str) {
    out.array(10);
    out.bulk(fullname.as_bytes());
    out.int(cmd.arity as i64);
    let flags: Vec<&str> = flag::NAMES
        .iter()
        .filter(|(bit, _)| cmd.flags & bit != 0)
        .map(|(_, n)| *n)
        .collect();
    out.set(flags.len());
    for f in flags {
        out.status(f);
    }
    out.int(cmd.first_key as i64);
    out.int(cmd.last_key as i64);
    out.int(cmd.key_step as i64);
    let cats = cmd.acl_categories();
    let names: Vec<&str> = acl::NAMES
        .iter()
        .enumerate()
        .filter(|(i, _)| cats & (1 << i) != 0)
        .map(|(_, n)| *n)
        .collect();
    out.set(names.len());
    for n in names {
        out.status(&format!("@{n}"));
    }
    out.set(cmd.tips.len());
    for t in cmd.tips {
        // Redis sends tips as bulk strings (flags and categories are statuses).
        out.bulk(t.as_bytes());
    }
    let derived;
    let specs: &[KeySpec] = if !cmd.key_specs.is_empty() {
        cmd.key_specs
    } else if cmd.first_key > 0 {
        let last = if cmd.last_key < 0 {
            cmd.last_key
        } else {
            cmd.last_key - cmd.first_key
        };
        derived = [KeySpec::new(
            cmd.first_key,
            last,
            cmd.key_step,
            cmd.key_flags,
        )];
        &derived
    } else {
        &[]
    };
    // Redis 7.0 sends the key specs as a set, and "no subcommands" as an empty set.
    out.set(specs.len());
    for spec in specs {
        reply_key_spec(out, spec);
    }
    if cmd.subcommands.is_empty() {
        out.set(0);
    } else {
        out.array(cmd.subcommands.len());
    }
    for sub in cmd.subcommands {
        reply_info(out, sub, &format!("{fullname}|{}", sub.name));
    }
}

/// One COMMAND DOCS entry: name then its documentation map.
fn reply_docs(out: &mut ReplyBuf, cmd: &Command, fullname: &str) {
    out.bulk(fullname.as_bytes());
    // A command without a complexity (MONITOR) has no such field, as in Redis.
    let n = 3
        + usize::from(!cmd.complexity.is_empty())
        + usize::from(!cmd.subcommands.is_empty())
        + super::docs::extra_fields(fullname);
    out.map(n);
    out.bulk(b"summary");
    out.bulk(cmd.summary.as_bytes());
    out.bulk(b"since");
    out.bulk(cmd.since.as_bytes());
    out.bulk(b"group");
    out.bulk(cmd.group.as_bytes());
    if !cmd.complexity.is_empty() {
        out.bulk(b"complexity");
        out.bulk(cmd.complexity.as_bytes());
    }
    super::docs::write_extra_fields(out, fullname);
    if !cmd.subcommands.is_empty() {
        out.bulk(b"subcommands");
        out.map(cmd.subcommands.len());
        for sub in cmd.subcommands {
            reply_docs(out, sub, &format!("{fullname}|{}", sub.name));
        }
    }
}

fn command(ctx: &mut Ctx) -> CmdResult {
    if ctx.argc() > 1 {
        return Err(CmdError::Arity("command".into()));
    }
    let top: Vec<&'static Command> = ctx.core.registry.top_level().map(|e| e.cmd).collect();
    let out = &mut ctx.client.out;
    out.array(top.len());
    for cmd in top {
        reply_info(out, cmd, cmd.name);
    }
    Ok(())
}

fn command_count(ctx: &mut Ctx) -> CmdResult {
    let n = ctx.core.registry.top_level().count();
    ctx.out().int(n as i64);
    Ok(())
}

/// Finds a command by "name" or "name|sub".
fn find_by_fullname(ctx: &Ctx, name: &[u8]) -> Option<(&'static Command, String)> {
    let r = &ctx.core.registry;
    let mut parts = name.splitn(2, |&b| b == b'|');
    let top = r.find(parts.next()?)?;
    let idx = match parts.next() {
        Some(sub) => r.find_sub(top, sub)?,
        None => top,
    };
    Some((r.entries[idx].cmd, r.entries[idx].fullname.clone()))
}

fn command_info(ctx: &mut Ctx) -> CmdResult {
    if ctx.argc() == 2 {
        return command(&mut Ctx {
            core: ctx.core,
            client: ctx.client,
            argv: vec![b"command".to_vec()],
        });
    }
    let found: Vec<_> = (2..ctx.argc())
        .map(|i| find_by_fullname(ctx, ctx.arg(i)))
        .collect();
    let out = &mut ctx.client.out;
    out.array(found.len());
    for f in found {
        match f {
            Some((cmd, name)) => reply_info(out, cmd, &name),
            None => out.null(),
        }
    }
    Ok(())
}

fn command_docs(ctx: &mut Ctx) -> CmdResult {
    let found: Vec<(&'static Command, String)> = if ctx.argc() == 2 {
        ctx.core
            .registry
            .top_level()
            .map(|e| (e.cmd, e.fullname.clone()))
            .collect()
    } else {
        (2..ctx.argc())
            .filter_map(|i| find_by_fullname(ctx, ctx.arg(i)))
            .collect()
    };
    let out = &mut ctx.client.out;
    out.map(found.len());
    for (cmd, name) in found {
        reply_docs(out, cmd, &name);
    }
    Ok(())
}

/// COMMAND LIST [FILTERBY MODULE name | ACLCAT category | PATTERN pattern]
fn command_list(ctx: &mut Ctx) -> CmdResult {
    enum Filter {
        All,
        Module,
        Acl(u32),
        Pattern(Vec<u8>),
    }
    let filter = match ctx.argc() {
        2 => Filter::All,
        5 if ctx.is(2, "filterby") => {
            let v = ctx.arg(4).to_vec();
            if ctx.is(3, "module") {
                Filter::Module
            } else if ctx.is(3, "aclcat") {
                let lower = String::from_utf8_lossy(&v).to_lowercase();
                match acl::NAMES.iter().position(|n| *n == lower) {
                    Some(i) => Filter::Acl(1 << i),
                    None => Filter::Module, // unknown category: nothing matches
                }
            } else if ctx.is(3, "pattern") {
                Filter::Pattern(v)
            } else {
                return Err(CmdError::Syntax);
            }
        }
        _ => return Err(CmdError::Syntax),
    };
    let names: Vec<String> = ctx
        .core
        .registry
        .entries
        .iter()
        .filter(|e| match &filter {
            Filter::All => true,
            Filter::Module => false,
            Filter::Acl(bit) => e.cmd.acl_categories() & bit != 0,
            Filter::Pattern(p) => string_match(p, e.fullname.as_bytes(), true),
        })
        .map(|e| e.fullname.clone())
        .collect();
    let out = &mut ctx.client.out;
    out.array(names.len());
    for n in names {
        out.bulk(n.as_bytes());
    }
    Ok(())
}

/// The command described by argv[2..] and its key positions, with Redis's errors
/// in Redis's order (COMMAND GETKEYS / GETKEYSANDFLAGS).
fn getkeys_of(ctx: &Ctx) -> Result<(&'static Command, Vec<usize>), CmdError> {
    let args = &ctx.argv[2..];
    let r = &ctx.core.registry;
    let invalid_command = || CmdError::msg("ERR Invalid command specified");
    let mut idx = r.find(&args[0]).ok_or_else(invalid_command)?;
    // A container with a subcommand names that subcommand, which must exist.
    if !r.entries[idx].cmd.subcommands.is_empty() && args.len() >= 2 {
        idx = r.find_sub(idx, &args[1]).ok_or_else(invalid_command)?;
    }
    let cmd = r.entries[idx].cmd;
    // Channels of shard Pub/Sub are "not_key" specs: they do not count as keys.
    let is_key = |s: &KeySpec| !s.flags.contains("not_key");
    let has_keys = cmd.getkeys.is_some()
        || if cmd.key_specs.is_empty() {
            cmd.first_key > 0 && !cmd.key_flags.contains("not_key")
        } else {
            cmd.key_specs.iter().any(is_key)
        };
    if !has_keys {
        return err("ERR The command has no key arguments");
    }
    let argc = args.len() as i32;
    if (cmd.arity > 0 && argc != cmd.arity) || argc < -cmd.arity {
        return err("ERR Invalid number of arguments specified for command");
    }
    let invalid_args = || CmdError::msg("ERR Invalid arguments specified for command");
    let keys = if let Some(f) = cmd.getkeys {
        f(args).into_iter().map(|(p, _)| p).collect()
    } else if cmd.key_specs.is_empty() {
        cmd.key_positions(args.len())
    } else {
        let mut keys = Vec::new();
        for spec in cmd.key_specs.iter().filter(|s| is_key(s)) {
            // A range spec that begins past the arguments or is empty (PFMERGE
            // with no source key) makes them invalid, as in Redis.
            if spec.keynum.is_none() && spec.keyword.is_none() && !spec.unknown {
                let last = if spec.lastkey >= 0 {
                    spec.index + spec.lastkey
                } else {
                    argc + spec.lastkey
                };
                if spec.index >= argc || last < spec.index {
                    return Err(invalid_args());
                }
            }
            keys.extend(spec.positions(args).ok_or_else(invalid_args)?);
        }
        keys
    };
    if keys.is_empty() && cmd.flags & NO_MANDATORY_KEYS == 0 {
        return Err(invalid_args());
    }
    Ok((cmd, keys))
}

/// The key spec flags of the key at `pos` (of `argc` arguments): those of the spec
/// covering it, else the command's.
fn key_flags_at(cmd: &Command, args: &[Vec<u8>], pos: usize) -> &'static str {
    if let Some(f) = cmd.getkeys {
        if let Some((_, flags)) = f(args).into_iter().find(|&(p, _)| p == pos) {
            return flags;
        }
    }
    let argc = args.len();
    let covers = |s: &KeySpec| {
        if s.keyword.is_some() {
            return s.positions(args).is_some_and(|p| p.contains(&pos));
        }
        let (first, step) = (s.index as i64, s.step.max(1) as i64);
        let last = match s.keynum {
            Some(_) => i64::MAX,
            None if s.lastkey < 0 => argc as i64 + s.lastkey as i64,
            None => first + s.lastkey as i64,
        };
        let p = pos as i64;
        p >= first && p <= last && (p - first) % step == 0
    };
    cmd.key_specs
        .iter()
        .find(|s| covers(s))
        .map_or(cmd.key_flags, |s| s.flags)
}

fn command_getkeys(ctx: &mut Ctx) -> CmdResult {
    let (_, keys) = getkeys_of(ctx)?;
    let base = 2;
    let names: Vec<Vec<u8>> = keys.iter().map(|&k| ctx.argv[base + k].clone()).collect();
    let out = ctx.out();
    out.array(names.len());
    for n in names {
        out.bulk(&n);
    }
    Ok(())
}

fn command_getkeysandflags(ctx: &mut Ctx) -> CmdResult {
    let (cmd, keys) = getkeys_of(ctx)?;
    let found: Vec<(Vec<u8>, Vec<String>)> = keys
        .iter()
        .map(|&k| {
            let flags = key_flag_names(key_flags_at(cmd, &ctx.argv[2..], k));
            (ctx.argv[2 + k].clone(), flags)
        })
        .collect();
    let out = ctx.out();
    out.array(found.len());
    for (name, kf) in found {
        out.array(2);
        out.bulk(&name);
        out.set(kf.len());
        for f in &kf {
            out.status(f);
        }
    }
    Ok(())
}

const COMMAND_HELP: &[&str] = &[
    "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "(no subcommand)",
    "    Return details about all Redis commands.",
    "COUNT",
    "    Return the total number of commands in this Redis server.",
    "LIST",
    "    Return a list of all commands in this Redis server.",
    "INFO [<command-name> ...]",
    "    Return details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "DOCS [<command-name> ...]",
    "    Return documentation details about multiple Redis commands.",
    "    If no command names are given, documentation details for all",
    "    commands are returned.",
    "GETKEYS <full-command>",
    "    Return the keys from a full Redis command.",
    "GETKEYSANDFLAGS <full-command>",
    "    Return the keys and the access flags from a full Redis command.",
    "HELP",
    "    Print this help.",
];

fn command_help(ctx: &mut Ctx) -> CmdResult {
    reply_help(ctx, COMMAND_HELP);
    Ok(())
}

const CF: u32 = LOADING | STALE;
const SV: &str = "server";

const COMMAND_SUBS: &[Command] = &[
    Command::new("count", 2, command_count)
        .flags(CF)
        .acl(acl::CONNECTION)
        .doc(SV, "2.8.13", "Get total number of Redis commands", "O(1)"),
    Command::new("docs", -2, command_docs)
        .tips(&["nondeterministic_output_order"])
        .flags(CF)
        .acl(acl::CONNECTION)
        .doc(
            SV,
            "7.0.0",
            "Get array of specific Redis command documentation",
            "O(N) where N is the number of commands to look up",
        ),
    Command::new("getkeys", -4, command_getkeys)
        .flags(CF)
        .acl(acl::CONNECTION)
        .doc(
            SV,
            "2.8.13",
            "Extract keys given a full Redis command",
            "O(N) where N is the number of arguments to the command",
        ),
    Command::new("getkeysandflags", -4, command_getkeysandflags)
        .flags(CF)
        .acl(acl::CONNECTION)
        .doc(
            SV,
            "7.0.0",
            "Extract keys and access flags given a full Redis command",
            "O(N) where N is the number of arguments to the command",
        ),
    Command::new("help", 2, command_help)
        .flags(CF)
        .acl(acl::CONNECTION)
        .doc(
            SV,
            "5.0.0",
            "Show helpful text about the different subcommands",
            "O(1)",
        ),
    Command::new("info", -2, command_info)
        .tips(&["nondeterministic_output_order"])
        .flags(CF)
        .acl(acl::CONNECTION)
        .doc(
            SV,
            "2.8.13",
            "Get array of specific Redis command details, or all when no argument is given.",
            "O(N) where N is the number of commands to look up",
        ),
    Command::new("list", -2, command_list)
        .tips(&["nondeterministic_output_order"])
        .flags(CF)
        .acl(acl::CONNECTION)
        .doc(
            SV,
            "7.0.0",
            "Get an array of Redis command names",
            "O(N) where N is the total number of Redis commands",
        ),
];

pub const COMMANDS: &[Command] = &[Command::new("command", -1, command)
    .tips(&["nondeterministic_output_order"])
    .flags(CF)
    .acl(acl::CONNECTION)
    .subcommands(COMMAND_SUBS)
    .doc(
        SV,
        "2.8.13",
        "Get array of Redis command details",
        "O(N) where N is the total number of Redis commands",
    )];
