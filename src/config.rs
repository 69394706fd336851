//! Server configuration: redis.conf parsing, `--directive value` command-line overrides,
//! CONFIG GET, CONFIG SET and CONFIG REWRITE, all driven by one declarative directive
//! table (see `config/table.rs`), following Redis 7.0's behaviour and error texts.
//!
//! The server reads the typed public fields of [`Config`] directly.
//!
//! # Features that oxidis does not have yet
//!
//! A directive whose feature is not built yet is accepted only at its default / "off"
//! value and refused otherwise, at load time and by CONFIG SET, with
//! "`<directive> <value>` is not supported yet by oxidis". Refused for now: `daemonize yes`,
//! `io-threads` above 1, `maxmemory` other than 0, a `maxmemory-policy` other than
//! `noeviction`, `replicaof`/`slaveof` (except
//! `no one`), `cluster-enabled yes`, `tls-port` other than 0, a non-empty `aclfile`, and
//! the file-only directives `rename-command`, `user`, `loadmodule`.
//! Everything else is validated like Redis and stored.

mod parse;
/// sdscatrepr-style quoting, also used for file names in the AOF manifest.
pub use parse::repr;
mod rewrite;
mod table;
#[cfg(test)]
mod tests;

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use parse::{lossy, split_args, split_spaces, strerror, trim_line};
use table::{lookup, Directive, HIDDEN, IMMUTABLE, PROTECTED, TABLE};

// ---------------------------------------------------------------------------------------
// Value types.

/// Enumerated directive values: the accepted names, in Redis's order. Several names may
/// map to the same value (the first one is what CONFIG GET shows).
pub trait ConfigEnum: Copy + PartialEq + 'static {
    const VALUES: &'static [(&'static str, Self)];

    /// The name CONFIG GET shows for this value.
    fn name(self) -> &'static str {
        Self::VALUES
            .iter()
            .find(|(_, v)| *v == self)
            .map_or("", |(n, _)| n)
    }

    /// Case-insensitive lookup of a name.
    fn parse(s: &[u8]) -> Option<Self> {
        Self::VALUES
            .iter()
            .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(s))
            .map(|(_, v)| *v)
    }

    /// All names, for error messages.
    fn names() -> String {
        Self::VALUES
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

macro_rules! config_enum {
    ($(#[$m:meta])* pub enum $name:ident { $($(#[$vm:meta])* $var:ident),+ $(,)? }
     names { $($s:literal => $v:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
        pub enum $name { $($(#[$vm])* $var),+ }
        impl ConfigEnum for $name {
            const VALUES: &'static [(&'static str, Self)] = &[$(($s, $name::$v)),+];
        }
    };
}

config_enum! {
    /// `loglevel`.
    pub enum LogLevel { Debug, Verbose, #[default] Notice, Warning }
    names { "debug" => Debug, "verbose" => Verbose, "notice" => Notice, "warning" => Warning }
}

config_enum! {
    /// `supervised`.
    pub enum Supervised { Upstart, Systemd, Auto, #[default] No }
    names { "upstart" => Upstart, "systemd" => Systemd, "auto" => Auto, "no" => No }
}

config_enum! {
    /// `syslog-facility`.
    pub enum SyslogFacility {
        User, #[default] Local0, Local1, Local2, Local3, Local4, Local5, Local6, Local7
    }
    names {
        "user" => User, "local0" => Local0, "local1" => Local1, "local2" => Local2,
        "local3" => Local3, "local4" => Local4, "local5" => Local5, "local6" => Local6,
        "local7" => Local7
    }
}

config_enum! {
    /// `enable-protected-configs`, `enable-debug-command`, `enable-module-command`.
    pub enum ProtectedMode { #[default] No, Yes, Local }
    names { "no" => No, "yes" => Yes, "local" => Local }
}

impl LogLevel {
    /// The directive's value: "debug", "verbose", "notice" or "warning".
    pub fn as_str(self) -> &'static str {
        self.name()
    }
}

impl ProtectedMode {
    /// Whether the action is allowed for a client (local = loopback or unix socket).
    pub fn allows(self, client_is_local: bool) -> bool {
        match self {
            ProtectedMode::No => false,
            ProtectedMode::Yes => true,
            ProtectedMode::Local => client_is_local,
        }
    }
}

config_enum! {
    /// `tls-auth-clients`.
    pub enum TlsAuthClients { No, #[default] Yes, Optional }
    names { "no" => No, "yes" => Yes, "optional" => Optional }
}

config_enum! {
    /// `acl-pubsub-default`.
    pub enum AclPubsubDefault { AllChannels, #[default] ResetChannels }
    names { "allchannels" => AllChannels, "resetchannels" => ResetChannels }
}

config_enum! {
    /// `maxmemory-policy`.
    pub enum MaxmemoryPolicy {
        VolatileLru, VolatileLfu, VolatileRandom, VolatileTtl,
        AllkeysLru, AllkeysLfu, AllkeysRandom, #[default] NoEviction
    }
    names {
        "volatile-lru" => VolatileLru, "volatile-lfu" => VolatileLfu,
        "volatile-random" => VolatileRandom, "volatile-ttl" => VolatileTtl,
        "allkeys-lru" => AllkeysLru, "allkeys-lfu" => AllkeysLfu,
        "allkeys-random" => AllkeysRandom, "noeviction" => NoEviction
    }
}

config_enum! {
    /// `oom-score-adj` (`yes` is the same as `relative`).
    pub enum OomScoreAdj { #[default] No, Relative, Absolute }
    names { "no" => No, "yes" => Relative, "relative" => Relative, "absolute" => Absolute }
}

config_enum! {
    /// `sanitize-dump-payload`.
    pub enum SanitizeDumpPayload { #[default] No, Yes, Clients }
    names { "no" => No, "yes" => Yes, "clients" => Clients }
}

config_enum! {
    /// `appendfsync`.
    pub enum AppendFsync { #[default] EverySec, Always, No }
    names { "everysec" => EverySec, "always" => Always, "no" => No }
}

config_enum! {
    /// `repl-diskless-load`.
    pub enum ReplDisklessLoad { #[default] Disabled, OnEmptyDb, Swapdb }
    names { "disabled" => Disabled, "on-empty-db" => OnEmptyDb, "swapdb" => Swapdb }
}

config_enum! {
    /// `propagation-error-behavior`.
    pub enum PropagationErrorBehavior { #[default] Ignore, Panic, PanicOnReplicas }
    names { "ignore" => Ignore, "panic" => Panic, "panic-on-replicas" => PanicOnReplicas }
}

config_enum! {
    /// `cluster-preferred-endpoint-type`.
    pub enum ClusterPreferredEndpointType { #[default] Ip, Hostname, UnknownEndpoint }
    names { "ip" => Ip, "hostname" => Hostname, "unknown-endpoint" => UnknownEndpoint }
}

/// One `save <seconds> <changes>` rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct SaveRule {
    pub seconds: u64,
    pub changes: u64,
}

/// Client classes of `client-output-buffer-limit`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientClass {
    Normal = 0,
    Replica = 1,
    Pubsub = 2,
}

impl ClientClass {
    pub const ALL: [ClientClass; 3] = [
        ClientClass::Normal,
        ClientClass::Replica,
        ClientClass::Pubsub,
    ];

    fn from_name(name: &[u8]) -> Option<ClientClass> {
        match name.to_ascii_lowercase().as_slice() {
            b"normal" => Some(ClientClass::Normal),
            b"slave" | b"replica" => Some(ClientClass::Replica),
            b"pubsub" => Some(ClientClass::Pubsub),
            _ => None,
        }
    }

    /// CONFIG GET says "slave", CONFIG REWRITE writes "replica" (as Redis 7.0 does).
    fn config_get_name(self) -> &'static str {
        ["normal", "slave", "pubsub"][self as usize]
    }

    fn rewrite_name(self) -> &'static str {
        ["normal", "replica", "pubsub"][self as usize]
    }
}

/// One class of `client-output-buffer-limit`: hard and soft limits in bytes (0 = none)
/// and how long the soft limit may be exceeded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ClientBufferLimit {
    pub hard: u64,
    pub soft: u64,
    pub soft_seconds: u64,
}

/// `shutdown-on-sigint` / `shutdown-on-sigterm` flags (`default` is no flag).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct ShutdownFlags(pub u8);

impl ShutdownFlags {
    pub const SAVE: u8 = 1;
    pub const NOSAVE: u8 = 2;
    pub const NOW: u8 = 4;
    pub const FORCE: u8 = 8;
    const NAMES: [(&'static str, u8); 5] = [
        ("default", 0),
        ("save", Self::SAVE),
        ("nosave", Self::NOSAVE),
        ("now", Self::NOW),
        ("force", Self::FORCE),
    ];

    pub fn has(self, flag: u8) -> bool {
        self.0 & flag != 0
    }

    fn parse(args: &[Vec<u8>]) -> Result<ShutdownFlags, String> {
        let bad = || {
            format!(
                "argument(s) must be one of the following: {}",
                Self::NAMES.map(|(n, _)| n).join(", ")
            )
        };
        if args.is_empty() {
            return Err(bad());
        }
        let mut flags = 0;
        for a in args {
            flags |= Self::NAMES
                .iter()
                .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(a))
                .ok_or_else(bad)?
                .1;
        }
        if flags & Self::SAVE != 0 && flags & Self::NOSAVE != 0 {
            return Err("shutdown options SAVE and NOSAVE can't be used simultaneously".into());
        }
        Ok(ShutdownFlags(flags))
    }
}

impl fmt::Display for ShutdownFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("default");
        }
        let names: Vec<&str> = Self::NAMES[1..]
            .iter()
            .filter(|(_, bit)| self.0 & bit != 0)
            .map(|(n, _)| *n)
            .collect();
        f.write_str(&names.join(" "))
    }
}

/// `notify-keyspace-events` flag bits and their text form.
pub mod notify {
    pub const KEYSPACE: u32 = 1 << 0;
    pub const KEYEVENT: u32 = 1 << 1;
    pub const GENERIC: u32 = 1 << 2;
    pub const STRING: u32 = 1 << 3;
    pub const LIST: u32 = 1 << 4;
    pub const SET: u32 = 1 << 5;
    pub const HASH: u32 = 1 << 6;
    pub const ZSET: u32 = 1 << 7;
    pub const EXPIRED: u32 = 1 << 8;
    pub const EVICTED: u32 = 1 << 9;
    pub const STREAM: u32 = 1 << 10;
    pub const KEY_MISS: u32 = 1 << 11;
    pub const MODULE: u32 = 1 << 13;
    pub const NEW: u32 = 1 << 14;
    /// What `A` stands for (not `m` nor `n`).
    pub const ALL: u32 =
        GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    const CLASSES: [(u8, u32); 11] = [
        (b'g', GENERIC),
        (b'$', STRING),
        (b'l', LIST),
        (b's', SET),
        (b'h', HASH),
        (b'z', ZSET),
        (b'x', EXPIRED),
        (b'e', EVICTED),
        (b't', STREAM),
        (b'd', MODULE),
        (b'n', NEW),
    ];

    /// Parses the class characters; `None` for an unknown character.
    pub fn parse(s: &[u8]) -> Option<u32> {
        let mut flags = 0;
        for &ch in s {
            flags |= match ch {
                b'A' => ALL,
                b'K' => KEYSPACE,
                b'E' => KEYEVENT,
                b'm' => KEY_MISS,
                _ => CLASSES.iter().find(|(c, _)| *c == ch)?.1,
            };
        }
        Some(flags)
    }

    /// Canonical text, as CONFIG GET shows it (e.g. "KEA" is "AKE").
    pub fn to_string(flags: u32) -> String {
        let mut out = String::new();
        if flags & ALL == ALL {
            out.push('A');
        } else {
            for (c, bit) in CLASSES {
                if flags & bit != 0 {
                    out.push(c as char);
                }
            }
        }
        for (c, bit) in [('K', KEYSPACE), ('E', KEYEVENT), ('m', KEY_MISS)] {
            if flags & bit != 0 {
                out.push(c);
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------
// The configuration.

macro_rules! config_struct {
    ($(#[$m:meta])* pub struct $name:ident {
        $($(#[$fm:meta])* $vis:vis $f:ident : $t:ty,)*
    }) => {
        $(#[$m])*
        pub struct $name { $($(#[$fm])* $vis $f: $t,)* }
        impl $name {
            /// Every field at its type's zero value; `Default` then applies the table.
            fn blank() -> Self {
                $name { $($f: <$t as Default>::default(),)* }
            }
        }
    };
}

config_struct! {
    /// The server configuration. Field names follow the directive names; see redis.conf
    /// (and conf/oxidis.conf) for the meaning of each directive.
    #[derive(Clone, Debug, PartialEq)]
    pub struct Config {
        // general
        pub daemonize: bool,
        pub supervised: Supervised,
        /// Empty: no pid file.
        pub pidfile: String,
        pub loglevel: LogLevel,
        /// Empty: log to standard output.
        pub logfile: String,
        pub syslog_enabled: bool,
        pub syslog_ident: String,
        pub syslog_facility: SyslogFacility,
        pub crash_log_enabled: bool,
        pub crash_memcheck_enabled: bool,
        pub databases: usize,
        pub always_show_logo: bool,
        pub set_proc_title: bool,
        pub proc_title_template: String,
        // network
        pub bind: Vec<String>,
        pub bind_source_addr: Option<String>,
        pub protected_mode: bool,
        pub enable_protected_configs: ProtectedMode,
        pub enable_debug_command: ProtectedMode,
        pub enable_module_command: ProtectedMode,
        pub port: u16,
        pub tcp_backlog: u32,
        pub unixsocket: Option<String>,
        pub unixsocketperm: u32,
        /// Idle client timeout in seconds (0 = never).
        pub timeout: u64,
        /// Seconds.
        pub tcp_keepalive: u64,
        pub socket_mark_id: u32,
        // TLS (stored only)
        pub tls_port: u16,
        pub tls_cert_file: Option<String>,
        pub tls_key_file: Option<String>,
        pub tls_key_file_pass: Option<String>,
        pub tls_client_cert_file: Option<String>,
        pub tls_client_key_file: Option<String>,
        pub tls_client_key_file_pass: Option<String>,
        pub tls_dh_params_file: Option<String>,
        pub tls_ca_cert_file: Option<String>,
        pub tls_ca_cert_dir: Option<String>,
        pub tls_auth_clients: TlsAuthClients,
        pub tls_replication: bool,
        pub tls_cluster: bool,
        pub tls_protocols: Option<String>,
        pub tls_ciphers: Option<String>,
        pub tls_ciphersuites: Option<String>,
        pub tls_prefer_server_ciphers: bool,
        pub tls_session_caching: bool,
        pub tls_session_cache_size: u32,
        pub tls_session_cache_timeout: u32,
        // snapshotting
        pub save: Vec<SaveRule>,
        pub stop_writes_on_bgsave_error: bool,
        pub rdbcompression: bool,
        pub rdbchecksum: bool,
        pub sanitize_dump_payload: SanitizeDumpPayload,
        pub dbfilename: String,
        pub rdb_del_sync_files: bool,
        /// Working directory (absolute). The process has chdir()ed to it.
        pub dir: PathBuf,
        // replication (stored only)
        pub replicaof: Option<(String, u16)>,
        pub masterauth: Option<Vec<u8>>,
        pub masteruser: Option<String>,
        pub replica_serve_stale_data: bool,
        pub replica_read_only: bool,
        pub repl_diskless_sync: bool,
        pub repl_diskless_sync_delay: u32,
        pub repl_diskless_sync_max_replicas: u32,
        pub repl_diskless_load: ReplDisklessLoad,
        pub repl_ping_replica_period: u32,
        pub repl_timeout: u32,
        pub repl_disable_tcp_nodelay: bool,
        pub repl_backlog_size: u64,
        pub repl_backlog_ttl: u64,
        pub replica_priority: u32,
        pub propagation_error_behavior: PropagationErrorBehavior,
        pub replica_ignore_disk_write_errors: bool,
        pub replica_announced: bool,
        pub min_replicas_to_write: u32,
        pub min_replicas_max_lag: u32,
        pub replica_announce_ip: Option<String>,
        pub replica_announce_port: u16,
        // keys tracking
        pub tracking_table_max_keys: u64,
        // security
        pub acllog_max_len: u64,
        pub aclfile: String,
        pub acl_pubsub_default: AclPubsubDefault,
        /// Password of the default user (binary-safe); `None` = no password.
        pub requirepass: Option<Vec<u8>>,
        // clients and memory
        pub maxclients: usize,
        /// Bytes (0 = no limit).
        pub maxmemory: u64,
        pub maxmemory_policy: MaxmemoryPolicy,
        pub maxmemory_samples: u32,
        pub maxmemory_eviction_tenacity: u32,
        pub replica_ignore_maxmemory: bool,
        pub active_expire_effort: u32,
        /// Bytes, or a percentage of maxmemory stored as a negative number (-10 = 10%).
        pub maxmemory_clients: i64,
        // lazy freeing
        pub lazyfree_lazy_eviction: bool,
        pub lazyfree_lazy_expire: bool,
        pub lazyfree_lazy_server_del: bool,
        pub replica_lazy_flush: bool,
        pub lazyfree_lazy_user_del: bool,
        pub lazyfree_lazy_user_flush: bool,
        // threads and kernel
        pub io_threads: u32,
        pub io_threads_do_reads: bool,
        pub oom_score_adj: OomScoreAdj,
        pub oom_score_adj_values: [i32; 3],
        pub disable_thp: bool,
        // append only file (stored only)
        pub appendonly: bool,
        pub appendfilename: String,
        pub appenddirname: String,
        pub appendfsync: AppendFsync,
        pub no_appendfsync_on_rewrite: bool,
        pub auto_aof_rewrite_percentage: u32,
        pub auto_aof_rewrite_min_size: u64,
        pub aof_load_truncated: bool,
        pub aof_use_rdb_preamble: bool,
        pub aof_timestamp_enabled: bool,
        pub aof_disable_auto_gc: bool,
        // shutdown
        /// Seconds.
        pub shutdown_timeout: u32,
        pub shutdown_on_sigint: ShutdownFlags,
        pub shutdown_on_sigterm: ShutdownFlags,
        // scripts
        /// Milliseconds (`busy-reply-threshold`, alias `lua-time-limit`).
        pub busy_reply_threshold: u64,
        // cluster (stored only)
        pub cluster_enabled: bool,
        pub cluster_config_file: String,
        pub cluster_node_timeout: u64,
        pub cluster_port: u16,
        pub cluster_replica_validity_factor: u32,
        pub cluster_migration_barrier: u32,
        pub cluster_allow_replica_migration: bool,
        pub cluster_require_full_coverage: bool,
        pub cluster_replica_no_failover: bool,
        pub cluster_allow_reads_when_down: bool,
        pub cluster_allow_pubsubshard_when_down: bool,
        pub cluster_link_sendbuf_limit: u64,
        pub cluster_announce_hostname: Option<String>,
        pub cluster_preferred_endpoint_type: ClusterPreferredEndpointType,
        pub cluster_announce_ip: Option<String>,
        pub cluster_announce_port: u16,
        pub cluster_announce_tls_port: u16,
        pub cluster_announce_bus_port: u16,
        // slow log and latency
        /// Microseconds; -1 disables the slow log, 0 logs every command.
        pub slowlog_log_slower_than: i64,
        pub slowlog_max_len: u64,
        /// Milliseconds (0 = latency monitor off).
        pub latency_monitor_threshold: u64,
        pub latency_tracking: bool,
        pub latency_tracking_info_percentiles: Vec<f64>,
        /// Bits of [`notify`].
        pub notify_keyspace_events: u32,
        // encodings
        pub hash_max_listpack_entries: u64,
        pub hash_max_listpack_value: u64,
        pub list_max_listpack_size: i32,
        pub list_compress_depth: u32,
        pub set_max_intset_entries: u64,
        pub set_max_listpack_entries: u64,
        pub set_max_listpack_value: u64,
        pub zset_max_listpack_entries: u64,
        pub zset_max_listpack_value: u64,
        pub hll_sparse_max_bytes: u64,
        pub stream_node_max_bytes: u64,
        pub stream_node_max_entries: u64,
        pub activerehashing: bool,
        // clients buffers and frequency
        /// Indexed by `ClientClass as usize`.
        pub client_output_buffer_limit: [ClientBufferLimit; 3],
        pub client_query_buffer_limit: u64,
        pub proto_max_bulk_len: u64,
        /// Clamped to 1..=500 like Redis.
        pub hz: u32,
        pub dynamic_hz: bool,
        pub aof_rewrite_incremental_fsync: bool,
        pub rdb_save_incremental_fsync: bool,
        pub lfu_log_factor: u32,
        pub lfu_decay_time: u32,
        // active defragmentation (stored only)
        pub activedefrag: bool,
        pub active_defrag_ignore_bytes: u64,
        pub active_defrag_threshold_lower: u32,
        pub active_defrag_threshold_upper: u32,
        pub active_defrag_cycle_min: u32,
        pub active_defrag_cycle_max: u32,
        pub active_defrag_max_scan_fields: u64,
        pub jemalloc_bg_thread: bool,
        pub server_cpulist: Option<String>,
        pub bio_cpulist: Option<String>,
        pub aof_rewrite_cpulist: Option<String>,
        pub bgsave_cpulist: Option<String>,
        pub ignore_warnings: String,
        // hidden debugging knobs
        /// Debug delay per key while loading (as Redis's key-load-delay).
        pub key_load_delay: i32,
        pub rdb_key_save_delay: i32,
        pub loading_process_events_interval_bytes: u32,
        /// Absolute path of the config file, if any.
        config_file: Option<PathBuf>,
    }
}

impl Default for Config {
    /// Embedded defaults: what the server runs with when started without a config file.
    /// `dir` is the current working directory.
    fn default() -> Config {
        let mut c = Config::blank();
        let mut ctx = Ctx::loading();
        for d in TABLE {
            if d.default.is_empty() && matches!(d.kind, table::Kind::Special { .. }) {
                continue;
            }
            let args = if d.multi_arg() {
                split_spaces(d.default.as_bytes())
            } else {
                vec![d.default.as_bytes().to_vec()]
            };
            if let Err(e) = d.set(&mut c, &args, &mut ctx) {
                panic!("bad default for {}: {}", d.name, e);
            }
        }
        c.dir = std::env::current_dir().unwrap_or_default();
        c
    }
}

/// The defaults, computed once (for CONFIG REWRITE's "is it the default?" questions).
pub(crate) fn defaults() -> &'static Config {
    static DEFAULTS: OnceLock<Config> = OnceLock::new();
    DEFAULTS.get_or_init(Config::default)
}

/// State carried while setting directives.
pub(crate) struct Ctx {
    /// Loading a config file / command line (as opposed to CONFIG SET).
    pub loading: bool,
    /// A `save` line was already seen while loading.
    pub save_loaded: bool,
    /// CONFIG SET dir: where to chdir once the whole command is validated.
    pub pending_dir: Option<PathBuf>,
    include_depth: usize,
}

impl Ctx {
    fn loading() -> Ctx {
        Ctx {
            loading: true,
            save_loaded: false,
            pending_dir: None,
            include_depth: 0,
        }
    }

    fn runtime() -> Ctx {
        Ctx {
            loading: false,
            ..Ctx::loading()
        }
    }
}

const MAX_INCLUDE_DEPTH: usize = 32;

/// "\n*** FATAL CONFIG FILE ERROR (oxidis x.y.z) ***\n..." as Redis prints it (without the
/// final newline, which `eprintln!` adds).
fn fatal(at: Option<(usize, &[u8])>, msg: &str) -> String {
    let mut s = format!(
        "\n*** FATAL CONFIG FILE ERROR (oxidis {}) ***\n",
        env!("CARGO_PKG_VERSION")
    );
    if let Some((linenum, line)) = at {
        s.push_str(&format!(
            "Reading the configuration file, at line {}\n>>> '{}'\n",
            linenum,
            lossy(line)
        ));
    }
    s.push_str(msg);
    s
}

fn has_wildcard(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Expands a path pattern like glob(3) (sorted, no match for dot files unless the pattern
/// component starts with a dot). Only existing paths are returned.
fn glob_paths(pattern: &str) -> Vec<PathBuf> {
    use std::path::Component;
    let mut found = vec![PathBuf::new()];
    for comp in Path::new(pattern).components() {
        match comp {
            Component::Normal(part) if has_wildcard(&part.to_string_lossy()) => {
                let part = part.to_string_lossy().into_owned();
                let mut next = Vec::new();
                for base in &found {
                    let dir = if base.as_os_str().is_empty() {
                        Path::new(".")
                    } else {
                        base.as_path()
                    };
                    let Ok(entries) = std::fs::read_dir(dir) else {
                        continue;
                    };
                    let mut names: Vec<String> = entries
                        .filter_map(|e| e.ok())
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .filter(|n| !n.starts_with('.') || part.starts_with('.'))
                        .filter(|n| {
                            crate::util::glob::string_match(part.as_bytes(), n.as_bytes(), false)
                        })
                        .collect();
                    names.sort();
                    next.extend(names.into_iter().map(|n| base.join(n)));
                }
                found = next;
            }
            other => found.iter_mut().for_each(|p| p.push(other)),
        }
    }
    found.retain(|p| p.exists());
    found
}

/// Reads a config file, or all files matching a pattern (no match is not an error then).
fn read_config_source(path: &str) -> Result<Vec<u8>, String> {
    let cant_open = |p: &Path, e: std::io::Error| {
        format!(
            "Fatal error, can't open config file '{}': {}",
            p.display(),
            strerror(&e)
        )
    };
    if has_wildcard(path) {
        let mut content = Vec::new();
        for p in glob_paths(path) {
            content.extend(std::fs::read(&p).map_err(|e| cant_open(&p, e))?);
        }
        return Ok(content);
    }
    std::fs::read(path).map_err(|e| cant_open(Path::new(path), e))
}

/// The process arguments as redis-server understands them.
struct Invocation {
    config_file: Option<String>,
    from_stdin: bool,
    /// The `--directive value` arguments turned into config lines.
    options: String,
}

impl Invocation {
    fn parse(args: &[String]) -> Invocation {
        let mut inv = Invocation {
            config_file: None,
            from_stdin: false,
            options: String::new(),
        };
        let mut j = 0;
        if let Some(first) = args.first() {
            if !first.starts_with('-') {
                inv.config_file = Some(first.clone());
                j = 1;
            }
        }
        // Whether the last `--name` already has its value (else the next argument is its
        // value even if it starts with "--").
        let mut has_value = true;
        let last = args.len().saturating_sub(1);
        while j < args.len() {
            let arg = &args[j];
            if arg == "-" && (j == 0 || j == last) {
                inv.from_stdin = true;
            } else if has_value && arg.starts_with("--") {
                if !inv.options.is_empty() {
                    inv.options.push('\n');
                }
                inv.options.push_str(&arg[2..]);
                inv.options.push(' ');
                let words = split_args(arg.as_bytes()).map_or(0, |v| v.len());
                has_value = words != 1;
                if words == 1 {
                    let next_is_option = j != last && args[j + 1].starts_with("--");
                    // `--save` without a value means `--save ""`.
                    if arg.eq_ignore_ascii_case("--save") && (next_is_option || j == last) {
                        inv.options.push_str("\"\"");
                        has_value = true;
                    } else if arg.eq_ignore_ascii_case("--sentinel") && next_is_option {
                        has_value = true;
                    }
                }
            } else {
                inv.options.push_str(&parse::repr(arg.as_bytes()));
                inv.options.push(' ');
                has_value = true;
            }
            j += 1;
        }
        inv
    }
}

impl Config {
    /// Loads the configuration from the process arguments (after argv[0]) exactly as
    /// redis-server takes them: `[config-file | -] [--directive arg arg ...] ...`.
    /// The file is read first, then standard input ("-"), then the command-line
    /// directives (later lines win). `dir` directives chdir() as they are read.
    ///
    /// `-v`, `--version`, `-h`, `--help` are for the caller to handle before.
    ///
    /// The error is the complete text to print to stderr with `eprintln!` (it has no final
    /// newline) before exiting with status 1.
    pub fn from_args(args: &[String]) -> Result<Config, String> {
        let inv = Invocation::parse(args);
        let mut cfg = Config::default();
        let mut content = Vec::new();
        if let Some(file) = &inv.config_file {
            let abs = std::path::absolute(file).unwrap_or_else(|_| PathBuf::from(file));
            content = read_config_source(&abs.to_string_lossy())?;
            cfg.config_file = Some(abs);
        }
        if inv.from_stdin {
            log::warn!("Reading config from stdin");
            let mut input = Vec::new();
            std::io::stdin()
                .read_to_end(&mut input)
                .map_err(|e| fatal(None, &format!("Can't read from stdin: {}", strerror(&e))))?;
            content.extend(input);
        }
        content.push(b'\n');
        content.extend_from_slice(inv.options.as_bytes());
        let mut ctx = Ctx::loading();
        cfg.load_bytes(&content, &mut ctx)?;
        cfg.check_after_load()?;
        Ok(cfg)
    }

    /// Applies config-file text on top of this configuration (used by `from_args`, and
    /// handy for tests). Errors are formatted like `from_args` errors.
    pub fn load_str(&mut self, text: &str) -> Result<(), String> {
        self.load_bytes(text.as_bytes(), &mut Ctx::loading())
    }

    fn load_bytes(&mut self, content: &[u8], ctx: &mut Ctx) -> Result<(), String> {
        if content.is_empty() {
            return Ok(());
        }
        for (i, raw) in content.split(|&b| b == b'\n').enumerate() {
            let line = trim_line(raw);
            if line.is_empty() || line[0] == b'#' {
                continue;
            }
            let fail = |msg: &str| fatal(Some((i + 1, line)), msg);
            let Some(args) = split_args(line) else {
                return Err(fail("Unbalanced quotes in configuration line"));
            };
            let Some(first) = args.first() else {
                continue;
            };
            let name = lossy(first).to_ascii_lowercase();
            if let Some((d, _)) = lookup(&name) {
                let values = &args[1..];
                let values: Vec<Vec<u8>> = if d.multi_arg() {
                    match values {
                        [] => return Err(fail("wrong number of arguments")),
                        // A single value holds all the arguments: `--save "3600 1"`.
                        [one] if !one.is_empty() => split_args(one).unwrap_or_default(),
                        _ => values.to_vec(),
                    }
                } else if values.len() != 1 {
                    return Err(fail("wrong number of arguments"));
                } else {
                    values.to_vec()
                };
                d.set(self, &values, ctx).map_err(|e| fail(&e))?;
                continue;
            }
            match (name.as_str(), args.len()) {
                ("include", 2) => {
                    if ctx.include_depth >= MAX_INCLUDE_DEPTH {
                        return Err(fail("include nesting is too deep"));
                    }
                    let included = read_config_source(&lossy(&args[1]))?;
                    ctx.include_depth += 1;
                    self.load_bytes(&included, ctx)?;
                    ctx.include_depth -= 1;
                }
                ("rename-command", 3) | ("user", 2..) | ("loadmodule", 2..) => {
                    return Err(fail(&format!("{} is not supported yet by oxidis", name)));
                }
                ("sentinel", _) => {
                    return Err(fail("sentinel directive while not in sentinel mode"));
                }
                // Removed in Redis 7.0 and silently ignored by it.
                ("list-max-ziplist-entries" | "list-max-ziplist-value", 2)
                | ("lua-replicate-commands", 2) => {}
                _ => return Err(fail("Bad directive or wrong number of arguments")),
            }
        }
        Ok(())
    }

    /// Checks done by Redis once everything is loaded.
    fn check_after_load(&self) -> Result<(), String> {
        if !self.logfile.is_empty() {
            std::fs::OpenOptions::new()
                .append(true)
                .create(true)
                .open(&self.logfile)
                .map_err(|e| fatal(None, &format!("Can't open the log file: {}", strerror(&e))))?;
        }
        Ok(())
    }

    /// CONFIG GET: each pattern is a case-insensitive glob, or an exact name (which may
    /// name a hidden directive; the reply then uses the name as given). Returns (name,
    /// value) pairs, each name at most once. Aliases are names too, as in Redis 7.0.
    pub fn get(&self, patterns: &[&[u8]]) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let seen = |out: &Vec<(String, String)>, n: &str| {
            out.iter().any(|(k, _)| k.eq_ignore_ascii_case(n))
        };
        for &pattern in patterns {
            if !pattern.iter().any(|b| matches!(b, b'*' | b'?' | b'[')) {
                let name = lossy(pattern);
                if let Some((d, _)) = lookup(&name.to_ascii_lowercase()) {
                    if !seen(&out, &name) {
                        out.push((name, d.get(self)));
                    }
                }
                continue;
            }
            for d in TABLE.iter().filter(|d| !d.is(HIDDEN)) {
                for n in std::iter::once(&d.name).chain(d.aliases.iter()) {
                    if crate::util::glob::string_match(pattern, n.as_bytes(), true)
                        && !seen(&out, n)
                    {
                        out.push((n.to_string(), d.get(self)));
                    }
                }
            }
        }
        out
    }

    /// CONFIG SET with one or more (name, value) pairs, from a client that is not local
    /// (protected directives need `enable-protected-configs yes`). See [`Config::set_as`].
    pub fn set(&mut self, pairs: &[(&[u8], &[u8])]) -> Result<(), String> {
        self.set_as(pairs, false).map(|_| ())
    }

    /// CONFIG SET: validates every pair, then applies all of them or none. `client_is_local`
    /// tells whether `enable-protected-configs local` lets the client change protected
    /// directives (`dir`, `dbfilename`). Returns the canonical names of the directives
    /// set, so the server can act on changes (port, bind, maxclients...).
    ///
    /// The error is Redis's text without the leading "-".
    pub fn set_as(
        &mut self,
        pairs: &[(&[u8], &[u8])],
        client_is_local: bool,
    ) -> Result<Vec<&'static str>, String> {
        let failed = |name: &[u8], msg: &str| {
            format!(
                "ERR CONFIG SET failed (possibly related to argument '{}') - {}",
                lossy(name),
                msg
            )
        };
        // First pass: names.
        let mut found: Vec<(&'static Directive, &'static str)> = Vec::with_capacity(pairs.len());
        for &(name, _) in pairs {
            let Some((d, entry)) = lookup(&lossy(name).to_ascii_lowercase()) else {
                return Err(format!(
                    "ERR Unknown option or number of arguments for CONFIG SET - '{}'",
                    lossy(name)
                ));
            };
            if d.is(IMMUTABLE) {
                return Err(failed(name, "can't set immutable config"));
            }
            if d.is(PROTECTED) && !self.enable_protected_configs.allows(client_is_local) {
                return Err(failed(name, "can't set protected config"));
            }
            if found.iter().any(|&(_, e)| e == entry) {
                return Err(failed(name, "duplicate parameter"));
            }
            found.push((d, entry));
        }
        // Second pass: values, on a copy.
        let mut new = self.clone();
        let mut ctx = Ctx::runtime();
        let mut dir_name: &[u8] = b"dir";
        for (&(name, value), &(d, _)) in pairs.iter().zip(&found) {
            let args = if d.multi_arg() {
                split_spaces(value)
            } else {
                vec![value.to_vec()]
            };
            d.set(&mut new, &args, &mut ctx)
                .map_err(|e| failed(name, &e))?;
            if d.name == "dir" {
                dir_name = name;
            }
        }
        if let Some(dir) = ctx.pending_dir {
            std::env::set_current_dir(&dir).map_err(|e| failed(dir_name, &strerror(&e)))?;
        }
        *self = new;
        Ok(found.iter().map(|(d, _)| d.name).collect())
    }

    /// The name of `maxmemory-policy` (INFO shows it).
    pub fn maxmemory_policy_name(&self) -> &'static str {
        self.maxmemory_policy.name()
    }

    /// Path of the config file (absolute), if the server was started with one.
    pub fn config_file(&self) -> Option<&Path> {
        self.config_file.as_deref()
    }

    /// Sets the config file path (for tests and embedders).
    pub fn set_config_file(&mut self, path: Option<PathBuf>) {
        self.config_file = path;
    }

    /// CONFIG REWRITE: rewrites the config file the way Redis 7.0 does. The error is
    /// Redis's text without the leading "-".
    pub fn rewrite(&self) -> Result<(), String> {
        let Some(path) = self.config_file.as_deref() else {
            return Err("ERR The server is running without a config file".into());
        };
        rewrite::rewrite_file(self, path)
            .map_err(|e| format!("ERR Rewriting config file: {}", strerror(&e)))
    }

    /// Names of all directives (canonical names and aliases, hidden ones included).
    pub fn directive_names() -> impl Iterator<Item = &'static str> {
        TABLE
            .iter()
            .flat_map(|d| std::iter::once(d.name).chain(d.aliases.iter().copied()))
    }
}
