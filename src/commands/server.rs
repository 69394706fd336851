//! Server commands: INFO, CONFIG, DEBUG, TIME, LASTSAVE, SHUTDOWN.

use super::{acl, flag::*, keys::reply_help, Command, Ctx};
use crate::error::{err, CmdError, CmdResult};
use crate::keyspace::digest;
use crate::persistence::snapshot;
use crate::server::Core;
use crate::util::{alloc, num};
use std::fmt::Write as _;

const DEFAULT_SECTIONS: &[&str] = &[
    "server",
    "clients",
    "memory",
    "persistence",
    "stats",
    "replication",
    "cpu",
    "modules",
    "errorstats",
    "cluster",
    "keyspace",
];

/// "1.50M"-style sizes, as Redis's bytesToHuman.
fn human_bytes(n: usize) -> String {
    let n = n as f64;
    if n < 1024.0 {
        format!("{}B", n as u64)
    } else if n < 1024.0 * 1024.0 {
        format!("{:.2}K", n / 1024.0)
    } else if n < 1024.0 * 1024.0 * 1024.0 {
        format!("{:.2}M", n / (1024.0 * 1024.0))
    } else {
        format!("{:.2}G", n / (1024.0 * 1024.0 * 1024.0))
    }
}

fn rusage(who: i32) -> (f64, f64) {
    // SAFETY: getrusage only writes into the struct we pass.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(who, &mut ru) };
    let t = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
    (t(ru.ru_stime), t(ru.ru_utime))
}

/// Builds the INFO text for the requested sections (Redis's genRedisInfoString).
pub fn info_text(core: &Core, client_count: usize, sections: &[String]) -> String {
    let mut wanted: Vec<&str> = Vec::new();
    let mut everything = false;
    if sections.is_empty() {
        wanted.extend(DEFAULT_SECTIONS);
    }
    for s in sections {
        match s.as_str() {
            "default" => wanted.extend(DEFAULT_SECTIONS),
            "all" | "everything" => {
                everything = true;
            }
            other => wanted.push(other),
        }
    }
    let has = |name: &str| everything || wanted.contains(&name);
    let mut o = String::new();
    let section = |o: &mut String, title: &str| {
        if !o.is_empty() {
            o.push_str("\r\n");
        }
        let _ = write!(o, "# {title}\r\n");
    };
    let now = core.now_ms;
    let uptime = (now - core.start_ms) / 1000;
    let cfg = &core.config;
    if has("server") {
        section(&mut o, "Server");
        let _ = write!(
            o,
            "redis_version:{}\r\noxidis_version:{}\r\nredis_git_sha1:00000000\r\nredis_git_dirty:0\r\nredis_build_id:0\r\nredis_mode:standalone\r\nos:{} {}\r\narch_bits:64\r\nmonotonic_clock:POSIX clock_gettime\r\nmultiplexing_api:epoll\r\natomicvar_api:c11-builtin\r\ngcc_version:0.0.0\r\nprocess_id:{}\r\nprocess_supervised:no\r\nrun_id:{}\r\ntcp_port:{}\r\nserver_time_usec:{}\r\nuptime_in_seconds:{}\r\nuptime_in_days:{}\r\nhz:{}\r\nconfigured_hz:{}\r\nlru_clock:{}\r\nexecutable:{}\r\nconfig_file:{}\r\nio_threads_active:0\r\n",
            crate::REDIS_VERSION,
            env!("CARGO_PKG_VERSION"),
            std::env::consts::OS,
            std::env::consts::ARCH,
            std::process::id(),
            core.run_id,
            cfg.port,
            crate::util::unix_us(),
            uptime,
            uptime / 86400,
            cfg.hz,
            cfg.hz,
            core.lru_clock() & 0xFF_FFFF,
            core.executable,
            cfg.config_file().map(|p| p.display().to_string()).unwrap_or_default(),
        );
    }
    if has("clients") {
        section(&mut o, "Clients");
        let _ = write!(
            o,
            "connected_clients:{}\r\ncluster_connections:0\r\nmaxclients:{}\r\nclient_recent_max_input_buffer:0\r\nclient_recent_max_output_buffer:0\r\nblocked_clients:{}\r\ntracking_clients:{}\r\nclients_in_timeout_table:0\r\n",
            client_count,
            cfg.maxclients,
            core.blocking.count,
            core.tracking.clients
        );
    }
    if has("memory") {
        section(&mut o, "Memory");
        let used = alloc::allocated();
        let peak = alloc::peak();
        let rss = alloc::rss();
        let overhead: usize = core.dbs.iter().map(|d| d.dict.overhead_bytes()).sum();
        let _ = write!(
            o,
            "used_memory:{used}\r\nused_memory_human:{}\r\nused_memory_rss:{rss}\r\nused_memory_rss_human:{}\r\nused_memory_peak:{peak}\r\nused_memory_peak_human:{}\r\nused_memory_peak_perc:{:.2}%\r\nused_memory_overhead:{overhead}\r\nused_memory_startup:0\r\nused_memory_dataset:{}\r\nused_memory_lua:0\r\nused_memory_scripts:0\r\nnumber_of_cached_scripts:0\r\nmaxmemory:{}\r\nmaxmemory_human:{}\r\nmaxmemory_policy:{}\r\nmem_fragmentation_ratio:{:.2}\r\nmem_aof_buffer:{}\r\nmem_allocator:jemalloc-5.3.0\r\nlazyfree_pending_objects:{}\r\nlazyfreed_objects:{}\r\n",
            human_bytes(used),
            human_bytes(rss),
            human_bytes(peak),
            if peak > 0 { used as f64 * 100.0 / peak as f64 } else { 0.0 },
            used.saturating_sub(overhead),
            cfg.maxmemory,
            human_bytes(cfg.maxmemory as usize),
            cfg.maxmemory_policy_name(),
            if used > 0 { rss as f64 / used as f64 } else { 0.0 },
            core.prop.out.capacity(),
            crate::server::lazyfree::stats().0,
            crate::server::lazyfree::stats().1,
        );
    }
    if has("persistence") {
        section(&mut o, "Persistence");
        let bg = core.bgsave.as_deref();
        let rewrite = bg.filter(|b| b.aof_base().is_some());
        let aof = &core.aof;
        let _ = write!(
            o,
            "loading:0\r\nasync_loading:0\r\ncurrent_cow_peak:0\r\ncurrent_cow_size:0\r\ncurrent_cow_size_age:0\r\ncurrent_fork_perc:0.00\r\ncurrent_save_keys_processed:{}\r\ncurrent_save_keys_total:{}\r\nrdb_changes_since_last_save:{}\r\nrdb_bgsave_in_progress:{}\r\nrdb_last_save_time:{}\r\nrdb_last_bgsave_status:{}\r\nrdb_last_bgsave_time_sec:{}\r\nrdb_current_bgsave_time_sec:{}\r\nrdb_saves:{}\r\nrdb_last_cow_size:0\r\nrdb_last_load_keys_expired:{}\r\nrdb_last_load_keys_loaded:{}\r\naof_enabled:{}\r\naof_rewrite_in_progress:{}\r\naof_rewrite_scheduled:{}\r\naof_last_rewrite_time_sec:{}\r\naof_current_rewrite_time_sec:{}\r\naof_last_bgrewrite_status:{}\r\naof_rewrites:{}\r\naof_rewrites_consecutive_failures:{}\r\naof_last_write_status:{}\r\naof_last_cow_size:0\r\nmodule_fork_in_progress:0\r\nmodule_fork_last_cow_size:0\r\n",
            bg.map_or(0, |b| b.keys_done),
            bg.map_or(0, |b| b.keys_total),
            core.dirty,
            (bg.is_some() && rewrite.is_none()) as u8,
            core.last_save_unix,
            if core.persistence.last_save_ok { "ok" } else { "err" },
            core.persistence.last_bgsave_time_sec,
            bg.map_or(-1, |b| b.started.elapsed().as_secs() as i64),
            core.persistence.saves,
            core.persistence.last_load_keys_expired,
            core.persistence.last_load_keys_loaded,
            aof.is_on() as u8,
            rewrite.is_some() as u8,
            aof.rewrite_scheduled as u8,
            aof.last_rewrite_time_sec,
            rewrite.map_or(-1, |b| b.started.elapsed().as_secs() as i64),
            if aof.last_rewrite_ok { "ok" } else { "err" },
            aof.rewrites,
            aof.rewrites_failed_in_a_row,
            if aof.write_failure().is_some() { "err" } else { "ok" },
        );
        if aof.is_on() {
            let _ = write!(
                o,
                "aof_current_size:{}\r\naof_base_size:{}\r\naof_pending_rewrite:{}\r\naof_buffer_length:{}\r\naof_pending_bio_fsync:{}\r\naof_delayed_fsync:{}\r\n",
                aof.current_size,
                aof.base_size,
                aof.rewrite_scheduled as u8,
                core.prop.out.len(),
                aof.pending_fsync(),
                aof.delayed_fsync,
            );
        }
    }
    if has("stats") {
        section(&mut o, "Stats");
        let s = &core.stats;
        let (net_in, net_out) = core
            .clients
            .iter()
            .fold((s.net_input_bytes, s.net_output_bytes), |(i, w), (_, c)| {
                (i + c.net_in, w + c.net_out)
            });
        let expired: u64 = core.dbs.iter().map(|d| d.expired_keys).sum();
        let _ = write!(
            o,
            "total_connections_received:{}\r\ntotal_commands_processed:{}\r\ninstantaneous_ops_per_sec:{}\r\ntotal_net_input_bytes:{net_in}\r\ntotal_net_output_bytes:{net_out}\r\ntotal_net_repl_input_bytes:0\r\ntotal_net_repl_output_bytes:0\r\ninstantaneous_input_kbps:0.00\r\ninstantaneous_output_kbps:0.00\r\ninstantaneous_input_repl_kbps:0.00\r\ninstantaneous_output_repl_kbps:0.00\r\nrejected_connections:{}\r\nsync_full:0\r\nsync_partial_ok:0\r\nsync_partial_err:0\r\nexpired_keys:{expired}\r\nexpired_stale_perc:0.00\r\nexpired_time_cap_reached_count:0\r\nexpire_cycle_cpu_milliseconds:0\r\nevicted_keys:0\r\nevicted_clients:0\r\ntotal_eviction_exceeded_time:0\r\ncurrent_eviction_exceeded_time:0\r\nkeyspace_hits:{}\r\nkeyspace_misses:{}\r\npubsub_channels:{}\r\npubsub_patterns:{}\r\npubsubshard_channels:{}\r\nlatest_fork_usec:0\r\ntotal_forks:0\r\nmigrate_cached_sockets:0\r\nslave_expires_tracked_keys:0\r\nactive_defrag_hits:0\r\nactive_defrag_misses:0\r\nactive_defrag_key_hits:0\r\nactive_defrag_key_misses:0\r\ntotal_active_defrag_time:0\r\ncurrent_active_defrag_time:0\r\ntracking_total_keys:{}\r\ntracking_total_items:{}\r\ntracking_total_prefixes:{}\r\nunexpected_error_replies:0\r\ntotal_error_replies:{}\r\ndump_payload_sanitizations:0\r\ntotal_reads_processed:0\r\ntotal_writes_processed:0\r\nio_threaded_reads_processed:0\r\nio_threaded_writes_processed:0\r\nreply_buffer_shrinks:0\r\nreply_buffer_expands:0\r\n",
            s.connections_received,
            s.commands_processed,
            core.instantaneous_ops(),
            s.rejected_connections,
            s.keyspace_hits,
            s.keyspace_misses,
            core.pubsub.channel_count(),
            core.pubsub.pattern_count(),
            core.pubsub.shard_channel_count(),
            core.tracking.tracked_keys(),
            core.tracking.tracked_items(),
            core.tracking.prefix_count(),
            s.error_replies,
        );
    }
    if has("replication") {
        section(&mut o, "Replication");
        let _ = write!(
            o,
            "role:master\r\nconnected_slaves:0\r\nmaster_failover_state:no-failover\r\nmaster_replid:{}\r\nmaster_replid2:0000000000000000000000000000000000000000\r\nmaster_repl_offset:0\r\nsecond_repl_offset:-1\r\nrepl_backlog_active:0\r\nrepl_backlog_size:1048576\r\nrepl_backlog_first_byte_offset:0\r\nrepl_backlog_histlen:0\r\n",
            core.run_id
        );
    }
    if has("cpu") {
        section(&mut o, "CPU");
        let (sys, user) = rusage(libc::RUSAGE_SELF);
        let (csys, cuser) = rusage(libc::RUSAGE_CHILDREN);
        let _ = write!(
            o,
            "used_cpu_sys:{sys:.6}\r\nused_cpu_user:{user:.6}\r\nused_cpu_sys_children:{csys:.6}\r\nused_cpu_user_children:{cuser:.6}\r\nused_cpu_sys_main_thread:{sys:.6}\r\nused_cpu_user_main_thread:{user:.6}\r\n"
        );
    }
    if has("modules") {
        section(&mut o, "Modules");
    }
    if everything || wanted.contains(&"commandstats") {
        section(&mut o, "Commandstats");
        for e in &core.registry.entries {
            let s = &e.stats;
            if s.calls == 0 && s.rejected == 0 && s.failed == 0 {
                continue;
            }
            let per = if s.calls > 0 {
                s.usec as f64 / s.calls as f64
            } else {
                0.0
            };
            let _ = write!(
                o,
                "cmdstat_{}:calls={},usec={},usec_per_call={:.2},rejected_calls={},failed_calls={}\r\n",
                e.fullname, s.calls, s.usec, per, s.rejected, s.failed
            );
        }
    }
    if everything || wanted.contains(&"latencystats") {
        section(&mut o, "Latencystats");
        for e in &core.registry.entries {
            let Some(h) = e.stats.latency.as_deref().filter(|h| h.count() > 0) else {
                continue;
            };
            let _ = write!(o, "latency_percentiles_usec_{}:", e.fullname);
            for (i, p) in cfg.latency_tracking_info_percentiles.iter().enumerate() {
                // "%f" with trailing zeros trimmed, as Redis labels percentiles.
                let label = format!("{p:.6}");
                let label = label.trim_end_matches('0').trim_end_matches('.');
                let us = h.percentile(*p) as f64 / 1000.0;
                let sep = if i == 0 { "" } else { "," };
                let _ = write!(o, "{sep}p{label}={us:.3}");
            }
            o.push_str("\r\n");
        }
    }
    if has("errorstats") {
        section(&mut o, "Errorstats");
        let mut errs: Vec<_> = core.stats.errors.iter().collect();
        errs.sort();
        for (code, n) in errs {
            let _ = write!(o, "errorstat_{code}:count={n}\r\n");
        }
    }
    if has("cluster") {
        section(&mut o, "Cluster");
        o.push_str("cluster_enabled:0\r\n");
    }
    if has("keyspace") {
        section(&mut o, "Keyspace");
        for (i, db) in core.dbs.iter().enumerate() {
            if !db.is_empty() {
                let _ = write!(
                    o,
                    "db{i}:keys={},expires={},avg_ttl={}\r\n",
                    db.len(),
                    db.expires,
                    db.avg_ttl(now)
                );
            }
        }
    }
    o
}

fn info(ctx: &mut Ctx) -> CmdResult {
    let sections: Vec<String> = ctx.argv[1..]
        .iter()
        .map(|a| String::from_utf8_lossy(a).to_lowercase())
        .collect();
    let text = info_text(ctx.core, ctx.core.clients.len() + 1, &sections);
    ctx.out().verbatim("txt", text.as_bytes());
    Ok(())
}

fn time(ctx: &mut Ctx) -> CmdResult {
    let us = crate::util::unix_us();
    let out = ctx.out();
    out.array(2);
    out.bulk((us / 1_000_000).to_string().as_bytes());
    out.bulk((us % 1_000_000).to_string().as_bytes());
    Ok(())
}

/// SAVE: writes the dump file synchronously (the loop waits, as in Redis).
fn save(ctx: &mut Ctx) -> CmdResult {
    if ctx.core.bgsave.is_some() {
        return err("ERR Background save already in progress");
    }
    match snapshot::save(ctx.core) {
        Ok(()) => ctx.out().ok(),
        Err(_) => return err("ERR"),
    }
    Ok(())
}

/// BGSAVE [SCHEDULE]: starts a fork-free background save.
fn bgsave(ctx: &mut Ctx) -> CmdResult {
    if ctx.argc() > 1 && !(ctx.argc() == 2 && ctx.is(1, "schedule")) {
        return Err(CmdError::Syntax);
    }
    let schedule = ctx.argc() == 2;
    match ctx.core.bgsave.as_deref() {
        Some(b) if b.aof_base().is_none() => {
            return err("ERR Background save already in progress");
        }
        Some(_) if !schedule => {
            return err("ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
        }
        _ => {}
    }
    if ctx.core.exec_depth > 0 || ctx.core.bgsave.is_some() {
        // Not in the middle of a transaction: right after it.
        ctx.core.persistence.bgsave_scheduled = true;
        ctx.out().status("Background saving scheduled");
        return Ok(());
    }
    match snapshot::bgsave_start(ctx.core) {
        Ok(()) => ctx.out().status("Background saving started"),
        Err(_) => return err("ERR"),
    }
    Ok(())
}

/// BGREWRITEAOF: rewrites the AOF in the background (fork-free, as BGSAVE).
fn bgrewriteaof(ctx: &mut Ctx) -> CmdResult {
    match ctx.core.bgsave.as_deref() {
        Some(b) if b.aof_base().is_some() => {
            return err("ERR Background append only file rewriting already in progress");
        }
        // Scheduled: it starts once the save ends (or the transaction), and a
        // user's request lifts the back-off of failed automatic rewrites.
        Some(_) => {
            ctx.core.aof.rewrite_scheduled = true;
            ctx.core.aof.rewrites_failed_in_a_row = 0;
        }
        None if ctx.core.exec_depth > 0 => {
            ctx.core.aof.rewrite_scheduled = true;
            ctx.core.aof.rewrites_failed_in_a_row = 0;
        }
        None => {
            if crate::persistence::aof::rewrite_start(ctx.core).is_err() {
                return err("ERR Can't execute an AOF background rewriting. Please check the server logs for more information.");
            }
            ctx.out()
                .status("Background append only file rewriting started");
            return Ok(());
        }
    }
    ctx.out()
        .status("Background append only file rewriting scheduled");
    Ok(())
}

fn lastsave(ctx: &mut Ctx) -> CmdResult {
    let t = ctx.core.last_save_unix;
    ctx.out().int(t);
    Ok(())
}

/// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]
fn shutdown(ctx: &mut Ctx) -> CmdResult {
    let (mut save, mut nosave, mut abort, mut force) = (false, false, false, false);
    for i in 1..ctx.argc() {
        if ctx.is(i, "nosave") {
            nosave = true;
        } else if ctx.is(i, "save") {
            save = true;
        } else if ctx.is(i, "force") {
            force = true;
        } else if ctx.is(i, "now") {
        } else if ctx.is(i, "abort") {
            abort = true;
        } else {
            return Err(CmdError::Syntax);
        }
    }
    if (abort && ctx.argc() != 2) || (save && nosave) {
        return Err(CmdError::Syntax);
    }
    if abort {
        return err("ERR No shutdown in progress.");
    }
    if !crate::persistence::aof::may_shutdown(ctx.core, force) {
        return err("ERR Errors trying to SHUTDOWN. Check logs.");
    }
    snapshot::bgsave_abort(ctx.core);
    if (save || (!nosave && !ctx.core.config.save.is_empty())) && snapshot::save(ctx.core).is_err()
    {
        log::warn!("Error trying to save the DB, can't exit.");
        return err("ERR Errors trying to SHUTDOWN. Check logs.");
    }
    log::warn!("User requested shutdown...");
    ctx.core.shutdown = true;
    // Redis closes the connection without a reply when the shutdown succeeds.
    ctx.client.close_asap = true;
    Ok(())
}

fn config_get(ctx: &mut Ctx) -> CmdResult {
    let patterns: Vec<&[u8]> = ctx.argv[2..].iter().map(|a| a.as_slice()).collect();
    let pairs = ctx.core.config.get(&patterns);
    let out = &mut ctx.client.out;
    out.map(pairs.len());
    for (k, v) in pairs {
        out.bulk(k.as_bytes());
        out.bulk(v.as_bytes());
    }
    Ok(())
}

/// CONFIG SET parameter value [parameter value ...]: all or nothing. Directives whose
/// change needs action (listeners) are applied here; the others are read where used.
fn config_set(ctx: &mut Ctx) -> CmdResult {
    if !ctx.argc().is_multiple_of(2) {
        return Err(CmdError::Syntax);
    }
    let pairs: Vec<(&[u8], &[u8])> = ctx.argv[2..]
        .chunks(2)
        .map(|c| (c[0].as_slice(), c[1].as_slice()))
        .collect();
    let local = ctx.client.is_unix
        || ctx.client.addr.starts_with("127.")
        || ctx.client.addr.starts_with("[::1]");
    let before = ctx.core.config.clone();
    let changed = ctx
        .core
        .config
        .set_as(&pairs, local)
        .map_err(CmdError::msg)?;
    if changed.contains(&"appendonly") && ctx.core.config.appendonly != before.appendonly {
        if ctx.core.config.appendonly {
            if let Err(e) = crate::persistence::aof::enable(ctx.core) {
                log::warn!("{e}");
                ctx.core.config = before;
                return err("ERR CONFIG SET failed (possibly related to argument 'appendonly') - Unable to turn on AOF. Check server logs.");
            }
        } else {
            crate::persistence::aof::disable(ctx.core);
        }
    }
    ctx.core.apply_config();
    super::transactions::track_key_logs(ctx.core);
    let listeners = ["port", "bind", "unixsocket", "unixsocketperm"];
    if changed.iter().any(|n| listeners.contains(n)) {
        if let Err(e) = ctx.core.rebind() {
            log::warn!("CONFIG SET could not rebind: {e}");
            ctx.core.config = before;
            return err("ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified addresses.");
        }
    }
    ctx.out().ok();
    Ok(())
}

fn config_resetstat(ctx: &mut Ctx) -> CmdResult {
    let core = &mut ctx.core;
    core.stats = Default::default();
    for e in &mut core.registry.entries {
        e.stats = Default::default();
    }
    for db in &mut core.dbs {
        db.expired_keys = 0;
    }
    for (_, c) in core.clients.iter_mut() {
        c.net_in = 0;
        c.net_out = 0;
    }
    ctx.client.net_in = 0;
    ctx.client.net_out = 0;
    ctx.out().ok();
    Ok(())
}

fn config_rewrite(ctx: &mut Ctx) -> CmdResult {
    ctx.core.config.rewrite().map_err(CmdError::msg)?;
    ctx.out().ok();
    Ok(())
}

const CONFIG_HELP: &[&str] = &[
    "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "GET <pattern>",
    "    Return parameters matching the glob-like <pattern> and their values.",
    "SET <directive> <value>",
    "    Set the configuration <directive> to <value>.",
    "RESETSTAT",
    "    Reset statistics reported by the INFO command.",
    "REWRITE",
    "    Rewrite the configuration file.",
    "HELP",
    "    Print this help.",
];

fn config_help(ctx: &mut Ctx) -> CmdResult {
    reply_help(ctx, CONFIG_HELP);
    Ok(())
}

const DEBUG_HELP: &[&str] = &[
    "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
    "DIGEST",
    "    Output a hex signature representing the current DB content.",
    "DIGEST-VALUE <key> [<key> ...]",
    "    Output a hex signature of the values of all the specified keys.",
    "LOADAOF",
    "    Flush the AOF buffers on disk and reload the AOF in memory.",
    "OBJECT <key>",
    "    Show low-level info about the `key` and associated value.",
    "POPULATE <count> [<prefix>] [<size>]",
    "    Create <count> string keys named key:<num>. If <prefix> is specified then",
    "    it is used instead of the 'key' prefix. These are not propagated to",
    "    replicas. Cluster slots are not respected so keys not belonging to the",
    "    current node can be created in cluster mode.",
    "RELOAD [option ...]",
    "    Save the RDB on disk and reload it back to memory. Valid <option> values:",
    "    * MERGE: conflicting keys will be loaded from RDB.",
    "    * NOFLUSH: the existing database will not be removed before load, but",
    "      conflicting keys will generate an exception and kill the server.",
    "    * NOSAVE: the database will be loaded from an existing RDB file.",
    "    Examples:",
    "    * DEBUG RELOAD: verify that the server is able to persist, flush and reload",
    "      the database.",
    "    * DEBUG RELOAD NOSAVE: replace the current database with the contents of an",
    "      existing RDB file.",
    "    * DEBUG RELOAD NOSAVE NOFLUSH MERGE: add the contents of an existing RDB",
    "      file to the database.",
    "SET-ACTIVE-EXPIRE <0|1>",
    "    Setting it to 0 disables expiring keys in background when they are not",
    "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
    "    default.",
    "SLEEP <seconds>",
    "    Stop the server for <seconds>. Decimals allowed.",
    "HELP",
    "    Print this help.",
];

fn debug(ctx: &mut Ctx) -> CmdResult {
    let allowed = match ctx.core.config.enable_debug_command {
        crate::config::ProtectedMode::Yes => true,
        crate::config::ProtectedMode::No => false,
        crate::config::ProtectedMode::Local => {
            ctx.client.is_unix
                || ctx.client.addr.starts_with("127.")
                || ctx.client.addr.starts_with("[::1]")
        }
    };
    if !allowed {
        return err("ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.");
    }
    let sub = ctx.arg(1).to_ascii_lowercase();
    match (sub.as_slice(), ctx.argc()) {
        (b"help", 2) => reply_help(ctx, DEBUG_HELP),
        (b"sleep", 3) => {
            let secs = num::parse_f64(ctx.arg(2)).unwrap_or(0.0);
            if secs > 0.0 && secs.is_finite() {
                std::thread::sleep(std::time::Duration::from_secs_f64(secs));
            }
            ctx.out().ok();
        }
        (b"set-active-expire", 3) => {
            ctx.core.active_expire = ctx.arg(2) != b"0";
            ctx.out().ok();
        }
        (b"object", 3) => {
            let now = ctx.now();
            let key = ctx.arg(2).to_vec();
            let clock = ctx.core.lru_clock();
            let db = &mut ctx.core.dbs[ctx.client.db];
            let Some(e) = db.get(&key, now) else {
                return Err(CmdError::NoSuchKey);
            };
            let text = format!(
                "Value at:0x0 refcount:1 encoding:{} serializedlength:{} lru:{} lru_seconds_idle:{}",
                e.value.encoding(),
                e.value.string_len(),
                e.access & 0xFF_FFFF,
                clock.saturating_sub(e.access)
            );
            ctx.out().status(&text);
        }
        (b"reload", _) => debug_reload(ctx)?,
        (b"loadaof", 2) => {
            crate::persistence::aof::debug_reload(ctx.core);
            ctx.out().ok();
        }
        (b"populate", 3..=5) => debug_populate(ctx)?,
        (b"digest", 2) => {
            let mut d = [0u8; 20];
            for (id, db) in ctx.core.dbs.iter().enumerate() {
                digest::database(&mut d, db, id);
            }
            ctx.out().status(&digest::hex(&d));
        }
        (b"digest-value", _) => {
            // Logically expired keys count too: DEBUG looks at the table as it is.
            let n = ctx.argc() - 2;
            ctx.out().array(n);
            for i in 2..ctx.argc() {
                let mut d = [0u8; 20];
                let db = &ctx.core.dbs[ctx.client.db];
                if let Some(e) = db.dict.get(ctx.arg(i)) {
                    digest::value(&mut d, e);
                }
                ctx.out().status(&digest::hex(&d));
            }
        }
        _ => return Err(ctx.subcommand_syntax()),
    }
    Ok(())
}

/// DEBUG POPULATE count [prefix] [size]: adds keys `prefix:N` (default prefix
/// "key") holding `value:N`, cut or zero-padded to `size` bytes when given; keys
/// that exist are left alone. Not counted as writes, as in Redis.
fn debug_populate(ctx: &mut Ctx) -> CmdResult {
    let positive = |b: &[u8]| num::parse_i64(b).filter(|n| *n >= 0);
    let out_of_range = || err("ERR value is out of range, must be positive");
    let Some(count) = positive(ctx.arg(2)) else {
        return out_of_range();
    };
    let size = match ctx.argc() {
        5 => match positive(ctx.arg(4)) {
            Some(n) => Some(n as usize),
            None => return out_of_range(),
        },
        _ => None,
    };
    let prefix = if ctx.argc() >= 4 {
        ctx.arg(3).to_vec()
    } else {
        b"key".to_vec()
    };
    let (now, clock) = (ctx.now(), ctx.core.lru_clock());
    let db = &mut ctx.core.dbs[ctx.client.db];
    let mut key = Vec::new();
    for j in 0..count {
        key.clear();
        key.extend_from_slice(&prefix);
        key.push(b':');
        num::fmt_i64(j, &mut key);
        if db.lookup(&key, now).is_some() {
            continue;
        }
        let mut value = format!("value:{j}").into_bytes();
        if let Some(size) = size {
            value.resize(size, 0);
        }
        db.add(
            key.as_slice().into(),
            crate::keyspace::Value::string(value),
            clock,
        );
    }
    ctx.out().ok();
    Ok(())
}

/// DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: save, empty the dataset, load the file.
fn debug_reload(ctx: &mut Ctx) -> CmdResult {
    let (mut merge, mut flush, mut save) = (false, true, true);
    for i in 2..ctx.argc() {
        if ctx.is(i, "merge") {
            merge = true;
        } else if ctx.is(i, "noflush") {
            flush = false;
        } else if ctx.is(i, "nosave") {
            save = false;
        } else {
            return err("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.");
        }
    }
    // (An AOF rewrite goes on: its image is of before the reload.)
    snapshot::rdb_save_abort(ctx.core);
    if save && snapshot::save(ctx.core).is_err() {
        return err("ERR Error trying to save the DB");
    }
    if flush && !merge {
        for db in &mut ctx.core.dbs {
            let old = db.clear();
            crate::server::lazyfree::free(old);
        }
    }
    let path = snapshot::dump_path(ctx.core);
    match snapshot::load(ctx.core, &path, merge) {
        Ok(_) => {
            log::info!("DB reloaded by DEBUG RELOAD");
            ctx.out().ok();
            Ok(())
        }
        Err(e) => {
            log::warn!("{e}");
            err("ERR Error trying to load the RDB dump")
        }
    }
}

fn container(_: &mut Ctx) -> CmdResult {
    Err(CmdError::Syntax)
}

const SV: &str = "server";

const CONFIG_SUBS: &[Command] = &[
    Command::new("get", -3, config_get)
        .flags(ADMIN | NOSCRIPT | LOADING | STALE)
        .doc(
            SV,
            "2.0.0",
            "Get the values of configuration parameters",
            "O(N) when N is the number of configuration parameters provided",
        ),
    Command::new("help", 2, config_help)
        .flags(LOADING | STALE)
        .doc(
            SV,
            "5.0.0",
            "Show helpful text about the different subcommands",
            "O(1)",
        ),
    Command::new("resetstat", 2, config_resetstat)
        .flags(ADMIN | NOSCRIPT | LOADING | STALE)
        .doc(SV, "2.0.0", "Reset the stats returned by INFO", "O(1)"),
    Command::new("rewrite", 2, config_rewrite)
        .flags(ADMIN | NOSCRIPT | LOADING | STALE)
        .doc(
            SV,
            "2.8.0",
            "Rewrite the configuration file with the in memory configuration",
            "O(1)",
        ),
    Command::new("set", -4, config_set)
        .tips(&["request_policy:all_nodes", "response_policy:all_succeeded"])
        .flags(ADMIN | NOSCRIPT | LOADING | STALE)
        .doc(
            SV,
            "2.0.0",
            "Set configuration parameters to the given values",
            "O(N) when N is the number of configuration parameters provided",
        ),
];

pub const COMMANDS: &[Command] = &[
    Command::new("info", -1, info).tips(&["nondeterministic_output", "request_policy:all_shards", "response_policy:special"]).flags(LOADING | STALE).acl(acl::DANGEROUS)
        .doc(SV, "1.0.0", "Get information and statistics about the server", "O(1)"),
    Command::new("time", 1, time).tips(&["nondeterministic_output"]).flags(LOADING | STALE | FAST)
        .doc(SV, "2.6.0", "Return the current server time", "O(1)"),
    Command::new("lastsave", 1, lastsave).tips(&["nondeterministic_output"]).flags(LOADING | STALE | FAST).acl(acl::ADMIN | acl::DANGEROUS)
        .doc(SV, "1.0.0", "Get the UNIX time stamp of the last successful save to disk", "O(1)"),
    Command::new("bgrewriteaof", 1, bgrewriteaof).flags(ADMIN | NOSCRIPT | NO_ASYNC_LOADING)
        .doc(SV, "1.0.0", "Asynchronously rewrite the append-only file", "O(1)"),
    Command::new("bgsave", -1, bgsave).flags(ADMIN | NOSCRIPT | NO_ASYNC_LOADING)
        .doc(SV, "1.0.0", "Asynchronously save the dataset to disk", "O(1)"),
    Command::new("save", 1, save).flags(ADMIN | NOSCRIPT | NO_ASYNC_LOADING | NO_MULTI)
        .doc(SV, "1.0.0", "Synchronously save the dataset to disk", "O(N) where N is the total number of keys in all databases"),
    Command::new("shutdown", -1, shutdown).flags(ADMIN | NOSCRIPT | LOADING | STALE | NO_MULTI | ALLOW_BUSY)
        .doc(SV, "1.0.0", "Synchronously save the dataset to disk and then shut down the server", "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)"),
    Command::new("config", -2, container).subcommands(CONFIG_SUBS)
        .doc(SV, "2.0.0", "A container for server configuration commands", "Depends on subcommand."),
    Command::new("debug", -2, debug).flags(ADMIN | NOSCRIPT | LOADING | STALE)
        .doc(SV, "1.0.0", "A container for debugging commands", "Depends on subcommand."),
];
