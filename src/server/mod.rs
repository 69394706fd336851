//! The event loop. One mio `Poll` owns every socket and, through `Core`, the whole
//! keyspace: no locks, no threads touching data.
//!
//! Each turn: wait for events (or the next timer), read and execute commands from
//! every readable client, run due timed work (expiry, client timeouts), then in
//! `before_sleep` write every client with pending output once and close the clients
//! marked for closing. Replies are only buffered while commands run; a socket gets
//! WRITABLE attention only when the kernel buffer was full.

pub mod client;
pub mod lazyfree;
pub mod propagate;
pub mod timer;

use crate::commands::{self, Registry};
use crate::config::Config;
use crate::keyspace::Db;
use crate::persistence::snapshot;
use crate::protocol::parse::Limits;
use crate::util::{self, Rng};
use client::{Client, Conn, READ_CHUNK};
use mio::net::{TcpListener, UnixListener};
use mio::{Events, Interest, Poll, Token};
use slab::Slab;
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

/// Reads per client per readiness event before yielding to other clients.
const READS_PER_EVENT: usize = 2;
/// Time budget for one slice of active expiry.
const EXPIRE_SLICE: Duration = Duration::from_millis(1);

pub enum Listener {
    Tcp(TcpListener),
    Unix(UnixListener),
}

/// Counters reported by INFO stats.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    pub connections_received: u64,
    pub commands_processed: u64,
    pub rejected_connections: u64,
    pub net_input_bytes: u64,
    pub net_output_bytes: u64,
    pub keyspace_hits: u64,
    pub keyspace_misses: u64,
    pub error_replies: u64,
    pub unexpected_error_replies: u64,
    pub expired_stale_perc: f64,
    pub errors: HashMap<String, u64>,
    /// (ms, commands_processed) samples for instantaneous_ops_per_sec.
    pub ops_samples: Vec<(i64, u64)>,
}

/// Everything a command may touch: the databases, configuration, statistics and the
/// other clients. The calling client is lent separately (see `commands::Ctx`).
pub struct Core {
    pub config: Config,
    pub dbs: Vec<Db>,
    pub clients: Slab<Box<Client>>,
    pub registry: Registry,
    pub stats: Stats,
    /// Wall clock in ms, cached once per loop turn (Redis's mstime cache).
    pub now_ms: i64,
    pub start_ms: i64,
    pub start: Instant,
    pub rng: Rng,
    pub run_id: String,
    pub next_client_id: u64,
    pub pending_writes: Vec<usize>,
    /// Clients with unread input left after their read budget, served next turn.
    pub pending_reads: Vec<usize>,
    pub active_expire: bool,
    /// Active expiry stopped at its time budget with due keys left.
    pub expire_backlog: bool,
    /// Writes since the last save (Redis's server.dirty).
    pub dirty: u64,
    /// Clients to close at the end of this loop turn (CLIENT KILL).
    pub close_queue: Vec<usize>,
    /// WATCHed keys: (db, key) -> tokens of the clients watching it.
    pub watched_keys: HashMap<(usize, Vec<u8>), Vec<usize>>,
    /// Pub/Sub subscribers.
    pub pubsub: commands::pubsub::PubSub,
    pub slowlog: commands::slowlog::SlowLog,
    /// Client-side caching: who tracks which keys.
    pub tracking: commands::tracking::Tracking,
    /// LATENCY monitor events.
    pub latency: commands::latency::LatencyMonitor,
    /// Clients blocked in BLPOP-like commands and WAIT.
    pub blocking: commands::blocking::Blocking,
    /// Nesting depth of EXEC (blocking commands do not block inside it).
    pub exec_depth: usize,
    /// The running command comes from a CLIENT NO-TOUCH client: reads leave the
    /// keys' access times alone.
    pub no_touch: bool,
    /// Set by a command whose writes Redis does not signal as key modifications
    /// (consumer-group bookkeeping): no WATCH, tracking or blocked-client signals.
    pub quiet_write: bool,
    /// Tokens of MONITOR clients.
    pub monitors: Vec<usize>,
    /// Set by SHUTDOWN (or a signal); the loop exits at the end of the turn.
    pub shutdown: bool,
    pub last_save_unix: i64,
    pub persistence: crate::persistence::Stats,
    /// The background save in progress.
    pub bgsave: Option<Box<crate::persistence::snapshot::Bgsave>>,
    /// Write commands in their deterministic form, for the AOF.
    pub prop: propagate::Propagator,
    /// The keys the running command said it changed (`Ctx::modified`): Some
    /// while anyone watches keys, Some(Some(..)) once the command named one.
    pub modified: Option<Option<Vec<Vec<u8>>>>,
    /// The append-only file.
    pub aof: crate::persistence::aof::Aof,
    /// Listening sockets (TCP per bind address, and the unix socket); their tokens
    /// count down from usize::MAX.
    pub listeners: Vec<Listener>,
    /// A handle on the poll's registry, for (re)binding listeners from CONFIG SET.
    pub poll_registry: mio::Registry,
    pub unix_path: Option<String>,
    pub executable: String,
}

impl Core {
    /// Pushes configuration the databases act on by themselves (lazy freeing);
    /// called at startup and after CONFIG SET.
    pub fn apply_config(&mut self) {
        for db in &mut self.dbs {
            db.lazy_expire = self.config.lazyfree_lazy_expire;
            db.lazy_overwrite = self.config.lazyfree_lazy_server_del;
        }
        self.prop.timestamps = self.config.aof_timestamp_enabled;
        // jemalloc-bg-thread, as in Redis: freed pages go back to the system
        // from jemalloc's own thread rather than in the middle of a command.
        crate::util::alloc::set_background_thread(self.config.jemalloc_bg_thread);
    }

    /// See `Ctx::modified`.
    pub fn note_modified(&mut self, key: &[u8]) {
        if let Some(keys) = &mut self.modified {
            keys.get_or_insert_with(Vec::new).push(key.to_vec());
        }
    }

    /// Seconds-resolution clock for LRU idle times.
    pub fn lru_clock(&self) -> u32 {
        (self.now_ms / 1000) as u32
    }

    /// A live key's entry for reading (lazy expiry applied), counting hits and misses
    /// and refreshing its access time.
    pub fn lookup_read(&mut self, db: usize, key: &[u8]) -> Option<&crate::keyspace::Entry> {
        let slot = self.lookup_read_slot(db, key)?;
        self.dbs[db].entry(slot)
    }

    /// [`Core::lookup_read`]'s slot, for the few reads that go on to change the
    /// value (PFCOUNT's cached count, XREADGROUP's pending list) through
    /// `Db::entry_at`.
    pub fn lookup_read_slot(&mut self, db: usize, key: &[u8]) -> Option<usize> {
        let now = self.now_ms;
        let clock = self.lru_clock();
        let Some(slot) = self.dbs[db].lookup(key, now) else {
            self.stats.keyspace_misses += 1;
            self.key_miss(db, key);
            return None;
        };
        self.stats.keyspace_hits += 1;
        if !self.no_touch {
            self.dbs[db].touch(slot, clock);
        }
        Some(slot)
    }

    /// A read did not find `key`: logged for the "keymiss" event when it is on.
    pub fn key_miss(&mut self, db: usize, key: &[u8]) {
        self.dbs[db].log_key(crate::keyspace::db::LOG_MISSED, key);
    }

    pub fn db_index_ok(&self, i: i64) -> bool {
        i >= 0 && (i as usize) < self.dbs.len()
    }

    pub fn instantaneous_ops(&self) -> u64 {
        let s = &self.stats.ops_samples;
        if s.len() < 2 {
            return 0;
        }
        let (t0, c0) = s[0];
        let (t1, c1) = s[s.len() - 1];
        if t1 <= t0 {
            0
        } else {
            (c1 - c0) * 1000 / (t1 - t0) as u64
        }
    }
}

/// The loop's pause between background-save slices when nothing else is to do.
const SAVE_PAUSE: Duration = Duration::from_millis(1);

pub struct Server {
    poll: Poll,
    pub core: Core,
}

impl Server {
    /// Binds the configured listeners and builds the server. Errors are the message to log.
    pub fn new(config: Config) -> Result<Server, String> {
        let poll = Poll::new().map_err(|e| format!("Failed creating the event loop: {e}"))?;
        let mut listeners = bind_listeners(&config)?;
        register_listeners(poll.registry(), &mut listeners)
            .map_err(|e| format!("Failed registering listener: {e}"))?;
        let unix_path = config.unixsocket.clone();
        let poll_registry = poll
            .registry()
            .try_clone()
            .map_err(|e| format!("Failed creating the event loop: {e}"))?;
        let now = util::unix_ms();
        let dbs = (0..config.databases).map(|_| Db::new(now)).collect();
        let mut rng = Rng::new();
        let run_id = (0..40)
            .map(|_| b"0123456789abcdef"[rng.below(16) as usize] as char)
            .collect();
        let core = Core {
            listeners,
            poll_registry,
            unix_path,
            config,
            dbs,
            clients: Slab::new(),
            registry: Registry::new(),
            stats: Stats::default(),
            now_ms: now,
            start_ms: now,
            start: Instant::now(),
            rng,
            run_id,
            next_client_id: 1,
            pending_writes: Vec::new(),
            pending_reads: Vec::new(),
            active_expire: true,
            expire_backlog: false,
            dirty: 0,
            close_queue: Vec::new(),
            watched_keys: HashMap::new(),
            pubsub: Default::default(),
            slowlog: Default::default(),
            latency: Default::default(),
            blocking: Default::default(),
            tracking: Default::default(),
            exec_depth: 0,
            no_touch: false,
            quiet_write: false,
            monitors: Vec::new(),
            shutdown: false,
            last_save_unix: now / 1000,
            persistence: Default::default(),
            bgsave: None,
            prop: Default::default(),
            modified: None,
            aof: crate::persistence::aof::Aof::new(),
            executable: std::env::current_exe()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
        };
        let mut server = Server { poll, core };
        server.core.apply_config();
        Ok(server)
    }

    /// Runs the loop until SHUTDOWN.
    pub fn run(&mut self) -> io::Result<()> {
        let mut events = Events::with_capacity(1024);
        util::clock::init();
        let mut next_cron = Instant::now();
        loop {
            let busy = !self.core.pending_reads.is_empty() || self.expiry_pending();
            let mut timeout = if busy {
                Duration::ZERO
            } else if snapshot::bgsave_walking(&self.core) {
                // A background save walks in slices. While clients are about,
                // the loop sleeps as long as a slice between them unless a
                // client needs it, so it never hogs a core and is quick to wake
                // (the kernel favours a thread that sleeps over one that spins);
                // on an idle server the walk goes at full speed.
                if events.is_empty() {
                    Duration::ZERO
                } else {
                    SAVE_PAUSE
                }
            } else {
                next_cron.saturating_duration_since(Instant::now())
            };
            if let Some(d) = self.core.blocking.next_deadline() {
                let until = (d - util::unix_ms()).max(0) as u64;
                timeout = timeout.min(Duration::from_millis(until));
            }
            match self.poll.poll(&mut events, Some(timeout)) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
            self.core.now_ms = util::unix_ms();
            self.core.prop.clock_sec = self.core.now_ms / 1000;
            let turn_start = Instant::now();
            for event in events.iter() {
                let token = event.token().0;
                if token > usize::MAX - self.core.listeners.len() {
                    self.accept(usize::MAX - token);
                    continue;
                }
                if event.is_writable() {
                    self.on_writable(token);
                }
                if event.is_readable() || event.is_read_closed() || event.is_error() {
                    // After a hangup, read until EOF rather than stopping at a short read.
                    self.on_readable(token, event.is_read_closed() || event.is_error());
                }
            }
            for token in std::mem::take(&mut self.core.pending_reads) {
                self.on_readable(token, false);
            }
            if Instant::now() >= next_cron {
                self.cron();
                let hz = self.core.config.hz.clamp(1, 500) as u64;
                next_cron = Instant::now() + Duration::from_millis(1000 / hz);
            }
            let t_events = turn_start.elapsed();
            self.active_expire_slice();
            commands::blocking::expire_timeouts(&mut self.core);
            commands::blocking::end_pause_if_due(&mut self.core);
            self.before_sleep();
            // After the replies of this turn are written, so they wait for no slice;
            // a short one while clients keep the loop busy.
            snapshot::bgsave_step(&mut self.core, !events.is_empty());
            let turn = turn_start.elapsed();
            if turn > Duration::from_millis(10) {
                log::debug!(
                    "slow loop turn: {:?} ({} events, {:?} before writes)",
                    turn,
                    events.iter().count(),
                    t_events
                );
            }
            if SHUTDOWN_SIGNAL.swap(false, std::sync::atomic::Ordering::SeqCst) {
                log::warn!("Received shutdown signal, scheduling shutdown...");
                // As Redis does, save first when save rules are set; if that
                // fails, keep running.
                if crate::persistence::aof::may_shutdown(&self.core, false) {
                    snapshot::bgsave_abort(&mut self.core);
                    if self.core.config.save.is_empty() || snapshot::save(&mut self.core).is_ok() {
                        self.core.shutdown = true;
                    } else {
                        log::warn!("Error trying to save the DB, can't exit.");
                    }
                }
            }
            if self.core.shutdown {
                crate::persistence::aof::shutdown(&mut self.core);
                self.flush_all();
                if let Some(p) = &self.core.unix_path {
                    let _ = std::fs::remove_file(p);
                }
                return Ok(());
            }
        }
    }

    fn accept(&mut self, listener: usize) {
        loop {
            let Some(l) = self.core.listeners.get(listener) else {
                return;
            };
            let (conn, addr, laddr, fd) = match l {
                Listener::Tcp(l) => match l.accept() {
                    Ok((s, peer)) => {
                        let _ = s.set_nodelay(true);
                        let fd = s.as_raw_fd();
                        set_keepalive(fd, self.core.config.tcp_keepalive);
                        let laddr = s.local_addr().map(|a| a.to_string()).unwrap_or_default();
                        (Conn::Tcp(s), peer.to_string(), laddr, fd)
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                    Err(e) => {
                        log::warn!("Accepting client connection: {e}");
                        return;
                    }
                },
                Listener::Unix(l) => match l.accept() {
                    Ok((s, _)) => {
                        let fd = s.as_raw_fd();
                        let path = self.core.unix_path.clone().unwrap_or_default();
                        (Conn::Unix(s), format!("{path}:0"), path, fd)
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
                    Err(e) => {
                        log::warn!("Accepting client connection: {e}");
                        return;
                    }
                },
            };
            let core = &mut self.core;
            if core.clients.len() >= core.config.maxclients {
                let mut conn = conn;
                let _ = conn.write(b"-ERR max number of clients reached\r\n");
                core.stats.rejected_connections += 1;
                continue;
            }
            let id = core.next_client_id;
            core.next_client_id += 1;
            let mut client = Box::new(Client::new(id, conn, fd, addr, laddr, core.now_ms));
            client.authenticated = core.config.requirepass.is_none();
            let entry = core.clients.vacant_entry();
            let token = Token(entry.key());
            client.token = token.0;
            if let Err(e) =
                self.poll
                    .registry()
                    .register(&mut client.conn, token, Interest::READABLE)
            {
                log::warn!("Registering client: {e}");
                continue;
            }
            entry.insert(client);
            core.stats.connections_received += 1;
        }
    }

    /// Writes a client's pending output. WRITABLE interest is added only when the
    /// kernel buffer filled up, and dropped once everything went out. Returns false
    /// if the client must be closed.
    fn flush_client(&mut self, token: usize) -> bool {
        let Some(c) = self.core.clients.get_mut(token) else {
            return false;
        };
        if c.write_out().is_err() {
            return false;
        }
        let want = c.write_blocked;
        if want != c.writable_registered {
            let interest = if want {
                Interest::READABLE | Interest::WRITABLE
            } else {
                Interest::READABLE
            };
            if self
                .poll
                .registry()
                .reregister(&mut c.conn, Token(token), interest)
                .is_err()
            {
                return false;
            }
            c.writable_registered = want;
        }
        !(c.pending_out() == 0 && c.close_after_reply)
    }

    fn on_writable(&mut self, token: usize) {
        let Some(c) = self.core.clients.get_mut(token) else {
            return;
        };
        if c.pending_out() == 0 || c.pending_write {
            // Nothing to write, or before_sleep will write it this turn anyway.
            return;
        }
        if c.close_asap || !self.flush_client(token) {
            self.close_client(token);
        }
    }

    /// Reads what the socket has (up to a budget) and runs every complete command.
    fn on_readable(&mut self, token: usize, until_eof: bool) {
        if !self.core.clients.contains(token) {
            return;
        }
        // The client is lent to the command layer while its commands run; the slab's
        // free list hands the same slot back on re-insertion.
        let mut client = self.core.clients.remove(token);
        // Input already buffered runs first (a client just unblocked, or one that used
        // up its read budget last turn).
        if client.query_len() > 0 {
            self.process_input(&mut client);
        }
        let mut reads = 0;
        let mut eof = false;
        while !client.close_after_reply && !client.close_asap {
            if reads == READS_PER_EVENT {
                self.core.pending_reads.push(token);
                break;
            }
            let want = client
                .parser
                .big_bulk_needed(client.query_len())
                .unwrap_or(READ_CHUNK)
                .max(READ_CHUNK);
            client.reserve_query(want);
            let qend = client.qend;
            // Read at most `want` bytes, however large the buffer grew: a flood from one
            // client is served a chunk at a time, interleaved with everyone else.
            match client.conn.read(&mut client.query[qend..qend + want]) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => {
                    reads += 1;
                    client.qend += n;
                    client.net_in += n as u64;
                    client.last_interaction_ms = self.core.now_ms;
                    self.process_input(&mut client);
                    let limit =
                        self.core.config.client_output_buffer_limit[client.class() as usize];
                    if client.over_output_limit(&limit, self.core.now_ms) {
                        log::warn!(
                            "Client id={} addr={} scheduled to be closed ASAP for overcoming of output buffer limits.",
                            client.id,
                            client.addr
                        );
                        client.close_asap = true;
                    }
                    if client.query_len() as u64 > self.core.config.client_query_buffer_limit {
                        log::warn!(
                            "Closing client that reached max query buffer length: id={}",
                            client.id
                        );
                        client.close_asap = true;
                    }
                    // A short read drained the socket: new data will raise a new edge,
                    // so another read would only return WouldBlock (one syscall saved
                    // per event).
                    if n < want && !until_eof {
                        break;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => {
                    eof = true;
                    break;
                }
            }
        }
        client.trim_query();
        if eof {
            client.close_asap = true;
        }
        if client.pending_out() > 0 && !client.pending_write {
            client.pending_write = true;
            self.core.pending_writes.push(token);
        }
        let close = client.close_asap;
        let entry = self.core.clients.vacant_entry();
        debug_assert_eq!(entry.key(), token);
        entry.insert(client);
        if close {
            self.close_client(token);
        }
    }

    /// Parses and executes every complete command in the client's query buffer.
    fn process_input(&mut self, client: &mut Client) {
        while !client.close_after_reply && !client.close_asap && client.blocked.is_none() {
            let limits = Limits {
                max_bulk_len: self.core.config.proto_max_bulk_len,
                authenticated: client.authenticated,
            };
            let mut pos = client.qpos;
            match client
                .parser
                .parse(&client.query[..client.qend], &mut pos, limits)
            {
                Ok(true) => {
                    client.qpos = pos;
                    if client.parser.argv.is_empty() {
                        continue;
                    }
                    let argv = std::mem::take(&mut client.parser.argv);
                    let mut spent = commands::execute(&mut self.core, client, argv);
                    // Keep the argument vector's allocation for the next command
                    // (unless a huge command left it big).
                    if spent.capacity() <= 1024 {
                        spent.clear();
                        client.parser.argv = spent;
                    }
                }
                Ok(false) => {
                    client.qpos = pos;
                    break;
                }
                Err(e) => {
                    client.out.error(&e.0);
                    client.close_after_reply = true;
                    client.qpos = client.qend;
                    break;
                }
            }
        }
    }

    /// Periodic work (hz times a second): client timeouts, resize steps, ops sampling.
    fn cron(&mut self) {
        let core = &mut self.core;
        core.now_ms = util::unix_ms();
        for db in &mut core.dbs {
            db.cron();
        }
        snapshot::cron(core);
        crate::persistence::aof::cron(core);
        let samples = &mut core.stats.ops_samples;
        samples.push((core.now_ms, core.stats.commands_processed));
        if samples.len() > 16 {
            samples.remove(0);
        }
        let timeout = core.config.timeout;
        if timeout > 0 {
            let limit = timeout as i64 * 1000;
            let now = core.now_ms;
            let idle: Vec<usize> = core
                .clients
                .iter()
                .filter(|(_, c)| now - c.last_interaction_ms > limit)
                .map(|(k, _)| k)
                .collect();
            for token in idle {
                self.close_client(token);
            }
        }
    }

    /// Active expiry stopped at its time budget and may go on now (not while
    /// it is off, or clients are paused: the loop would spin for nothing).
    fn expiry_pending(&self) -> bool {
        self.core.expire_backlog && self.core.active_expire && self.core.blocking.pause_end == 0
    }

    /// One bounded slice of active expiry over every database.
    fn active_expire_slice(&mut self) {
        // Keys do not expire in the background while clients are paused, as in Redis.
        if !self.core.active_expire || self.core.blocking.pause_end != 0 {
            return;
        }
        let started = Instant::now();
        let end = started + EXPIRE_SLICE;
        let now = self.core.now_ms;
        let mut backlog = false;
        for db in &mut self.core.dbs {
            if db.expires == 0 {
                continue;
            }
            let (_, more) = db.expire_cycle(now, end);
            if more {
                backlog = true;
                break;
            }
        }
        self.core.expire_backlog = backlog;
        commands::latency::record(
            &mut self.core,
            "expire-cycle",
            started.elapsed().as_millis() as u64,
        );
        if commands::transactions::key_logs_on(&self.core) {
            commands::transactions::flush_key_logs(&mut self.core, None);
        }
    }

    /// Writes every client with pending output, then closes those marked for closing.
    fn before_sleep(&mut self) {
        // The AOF first: no reply of this turn leaves before its write is in the file.
        crate::persistence::aof::flush(&mut self.core, false);
        let pending = std::mem::take(&mut self.core.pending_writes);
        for token in pending {
            let Some(c) = self.core.clients.get_mut(token) else {
                continue;
            };
            c.pending_write = false;
            if c.close_asap || !self.flush_client(token) {
                self.close_client(token);
            }
        }
        for token in std::mem::take(&mut self.core.close_queue) {
            self.close_client(token);
        }
    }

    fn flush_all(&mut self) {
        let tokens: Vec<usize> = self.core.clients.iter().map(|(k, _)| k).collect();
        for t in tokens {
            if let Some(c) = self.core.clients.get_mut(t) {
                let _ = c.write_out();
            }
        }
    }

    fn close_client(&mut self, token: usize) {
        if !self.core.clients.contains(token) {
            return;
        }
        let mut c = self.core.clients.remove(token);
        commands::transactions::unwatch_all(&mut self.core, &mut c);
        commands::pubsub::unsubscribe_all(&mut self.core, &mut c);
        commands::blocking::forget(&mut self.core, &mut c);
        commands::tracking::disable(&mut self.core, &mut c);
        self.core.stats.net_input_bytes += c.net_in;
        self.core.stats.net_output_bytes += c.net_out;
        let _ = self.poll.registry().deregister(&mut c.conn);
    }
}

/// Binds the TCP listeners for `bind` x `port` (a '-' prefix makes an address
/// optional) and the unix socket, as configured.
pub fn bind_listeners(config: &Config) -> Result<Vec<Listener>, String> {
    let mut listeners = Vec::new();
    if config.port != 0 {
        for spec in &config.bind {
            let (optional, host) = match spec.strip_prefix('-') {
                Some(h) => (true, h),
                None => (false, spec.as_str()),
            };
            let host = match host {
                "*" => "0.0.0.0",
                "::*" => "::",
                h => h,
            };
            let addr = if host.contains(':') {
                format!("[{host}]:{}", config.port)
            } else {
                format!("{host}:{}", config.port)
            };
            let parsed: std::net::SocketAddr = match addr.parse() {
                Ok(a) => a,
                Err(_) if optional => continue,
                Err(_) => return Err(format!("Invalid bind address '{host}'")),
            };
            match TcpListener::bind(parsed) {
                Ok(l) => listeners.push(Listener::Tcp(l)),
                Err(_) if optional => {}
                Err(e) => {
                    return Err(format!(
                        "Warning: Could not create server TCP listening socket {host}:{}: {e}",
                        config.port
                    ))
                }
            }
        }
        if listeners.is_empty() {
            return Err("Failed listening on any configured address".into());
        }
    }
    if let Some(path) = &config.unixsocket {
        let _ = std::fs::remove_file(path);
        let l = UnixListener::bind(path).map_err(|e| format!("Failed opening Unix socket: {e}"))?;
        if config.unixsocketperm != 0 {
            use std::os::unix::fs::PermissionsExt;
            let perm = std::fs::Permissions::from_mode(config.unixsocketperm);
            let _ = std::fs::set_permissions(path, perm);
        }
        listeners.push(Listener::Unix(l));
    }
    Ok(listeners)
}

/// Registers listeners with the poll, listener i under token usize::MAX - i.
pub fn register_listeners(registry: &mio::Registry, listeners: &mut [Listener]) -> io::Result<()> {
    for (i, l) in listeners.iter_mut().enumerate() {
        let token = Token(usize::MAX - i);
        match l {
            Listener::Tcp(l) => registry.register(l, token, Interest::READABLE)?,
            Listener::Unix(l) => registry.register(l, token, Interest::READABLE)?,
        }
    }
    Ok(())
}

impl Core {
    /// Replaces the listeners after `port`, `bind` or `unixsocket` changed (CONFIG SET).
    /// On failure the old listeners stay and the error is returned.
    pub fn rebind(&mut self) -> Result<(), String> {
        let mut fresh = bind_listeners(&self.config)?;
        for l in &mut self.listeners {
            let _ = match l {
                Listener::Tcp(l) => self.poll_registry.deregister(l),
                Listener::Unix(l) => self.poll_registry.deregister(l),
            };
        }
        register_listeners(&self.poll_registry, &mut fresh).map_err(|e| e.to_string())?;
        self.listeners = fresh;
        self.unix_path = self.config.unixsocket.clone();
        Ok(())
    }
}

static SHUTDOWN_SIGNAL: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

extern "C" fn on_shutdown_signal(_: libc::c_int) {
    SHUTDOWN_SIGNAL.store(true, std::sync::atomic::Ordering::SeqCst);
}

/// SIGTERM and SIGINT ask the loop to shut down cleanly at the end of its turn.
pub fn install_signal_handlers() {
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(
            libc::SIGTERM,
            on_shutdown_signal as *const () as libc::sighandler_t,
        );
        libc::signal(
            libc::SIGINT,
            on_shutdown_signal as *const () as libc::sighandler_t,
        );
        // A file over its size limit fails the write (EFBIG, reported as an
        // AOF write error) instead of killing the process.
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// Enables TCP keepalive with the configured interval (Redis's anetKeepAlive).
fn set_keepalive(fd: i32, interval: u64) {
    if interval == 0 {
        return;
    }
    let on: libc::c_int = 1;
    let idle = interval as libc::c_int;
    let intvl = (interval / 3).max(1) as libc::c_int;
    let cnt: libc::c_int = 3;
    let size = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: fd is a live socket owned by the caller; the option values are plain ints.
    unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_KEEPALIVE,
            &on as *const _ as *const libc::c_void,
            size,
        );
        libc::setsockopt(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_KEEPIDLE,
            &idle as *const _ as *const libc::c_void,
            size,
        );
        libc::setsockopt(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_KEEPINTVL,
            &intvl as *const _ as *const libc::c_void,
            size,
        );
        libc::setsockopt(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_KEEPCNT,
            &cnt as *const _ as *const libc::c_void,
            size,
        );
    }
}
