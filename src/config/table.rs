//! The directive table: one row per directive, in redis.conf order.
//!
//! A row gives the directive's name, its aliases, its kind (which also says how to reach
//! the typed field of [`Config`]), its default as it would be written in a config file,
//! its flags, and optional hooks:
//!
//! * `supported`: the "not built yet" policy. Returns false when the value asks for a
//!   feature oxidis does not have yet; the value is then refused with
//!   "`<name> <value>` is not supported yet by oxidis".
//! * `fixup`: adjusts a value after it was set (e.g. `hz` is clamped to 1..=500).
//!
//! To add a directive: add the typed field to `Config` (mod.rs) and one row here.

use std::path::PathBuf;

use super::parse::{format_memory, lossy, parse_ll, parse_memory, parse_strtoll, repr, strerror};
use super::*;

/// Flags of a directive.
pub(crate) const IMMUTABLE: u8 = 1;
/// Settable only when `enable-protected-configs` allows it.
pub(crate) const PROTECTED: u8 = 2;
/// Not listed by CONFIG GET patterns, only by its exact name.
pub(crate) const HIDDEN: u8 = 4;

/// How an integer directive's value is written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// Plain integer (`string2ll` syntax).
    Plain,
    /// Memory value: `1k`, `1kb`, `5mb`... (written back in `kb`/`mb`/`gb` by REWRITE).
    Memory,
    /// Memory value or a percentage `N%` (stored as `-N`).
    MemoryOrPercent,
}

/// How a special directive is written by CONFIG REWRITE.
pub(crate) enum Rewrite {
    /// `name <CONFIG GET value>`.
    Plain,
    /// `name "<CONFIG GET value, quoted>"`.
    Quoted,
    /// Custom lines, each with its "force" flag (write it even if the file has no line for
    /// the directive). Returning no line removes the directive's lines from the file.
    Custom(fn(&Config) -> Vec<(String, bool)>),
}

/// Checks a string value before it is stored.
pub(crate) type Validator = fn(&[u8]) -> Result<(), String>;

/// Parses and stores the arguments of a special directive.
pub(crate) type SpecialSetter = fn(&mut Config, &[Vec<u8>], &mut Ctx) -> Result<(), String>;

/// What kind of value a directive takes, and how to reach its field.
pub(crate) enum Kind {
    Bool {
        get: fn(&Config) -> bool,
        set: fn(&mut Config, bool),
    },
    Int {
        min: i128,
        max: i128,
        unit: Unit,
        get: fn(&Config) -> i128,
        set: fn(&mut Config, i128),
    },
    Enum {
        names: fn() -> String,
        get: fn(&Config) -> &'static str,
        set: fn(&mut Config, &[u8]) -> bool,
    },
    Str {
        /// An empty value is stored as "no value" (`None`); CONFIG REWRITE then drops the
        /// directive from the file instead of writing `name ""`.
        nullable: bool,
        validate: Option<Validator>,
        get: fn(&Config) -> Option<Vec<u8>>,
        set: fn(&mut Config, Option<Vec<u8>>),
    },
    Special {
        /// Takes several arguments (`save 3600 1`); via CONFIG SET the single value is
        /// split on spaces.
        multi: bool,
        get: fn(&Config) -> String,
        set: SpecialSetter,
        rewrite: Rewrite,
    },
}

/// One directive.
pub(crate) struct Directive {
    pub name: &'static str,
    pub aliases: &'static [&'static str],
    pub kind: Kind,
    /// Default value, as a single config-file argument (split on spaces for multi-argument
    /// directives). An empty default of a `Special` directive means "the blank state".
    pub default: &'static str,
    pub flags: u8,
    pub supported: Option<fn(&Config) -> bool>,
    pub fixup: Option<fn(&mut Config)>,
}

const fn d(name: &'static str, kind: Kind, default: &'static str) -> Directive {
    Directive {
        name,
        aliases: &[],
        kind,
        default,
        flags: 0,
        supported: None,
        fixup: None,
    }
}

impl Directive {
    const fn alias(mut self, aliases: &'static [&'static str]) -> Self {
        self.aliases = aliases;
        self
    }
    const fn immutable(mut self) -> Self {
        self.flags |= IMMUTABLE;
        self
    }
    const fn protected(mut self) -> Self {
        self.flags |= PROTECTED;
        self
    }
    const fn hidden(mut self) -> Self {
        self.flags |= HIDDEN;
        self
    }
    const fn supported(mut self, f: fn(&Config) -> bool) -> Self {
        self.supported = Some(f);
        self
    }
    const fn fixup(mut self, f: fn(&mut Config)) -> Self {
        self.fixup = Some(f);
        self
    }

    pub fn is(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// Whether the directive takes several arguments.
    pub fn multi_arg(&self) -> bool {
        matches!(self.kind, Kind::Special { multi: true, .. })
    }

    /// Parses `args` and stores the value in `c`, then applies the hooks.
    pub fn set(&self, c: &mut Config, args: &[Vec<u8>], ctx: &mut Ctx) -> Result<(), String> {
        let single = || -> Result<&[u8], String> {
            match args {
                [one] => Ok(one.as_slice()),
                _ => Err("wrong number of arguments".to_string()),
            }
        };
        match &self.kind {
            Kind::Bool { set, .. } => {
                let v = single()?;
                if v.eq_ignore_ascii_case(b"yes") {
                    set(c, true)
                } else if v.eq_ignore_ascii_case(b"no") {
                    set(c, false)
                } else {
                    return Err("argument must be 'yes' or 'no'".into());
                }
            }
            Kind::Int {
                min,
                max,
                unit,
                set,
                ..
            } => set(c, parse_int(single()?, *unit, *min, *max)?),
            Kind::Enum { names, set, .. } => {
                if !set(c, single()?) {
                    return Err(format!(
                        "argument(s) must be one of the following: {}",
                        names()
                    ));
                }
            }
            Kind::Str {
                nullable,
                validate,
                set,
                ..
            } => {
                let v = single()?;
                if let Some(validate) = validate {
                    validate(v)?;
                }
                set(
                    c,
                    if *nullable && v.is_empty() {
                        None
                    } else {
                        Some(v.to_vec())
                    },
                );
            }
            Kind::Special { set, .. } => set(c, args, ctx)?,
        }
        if let Some(fixup) = self.fixup {
            fixup(c);
        }
        if let Some(supported) = self.supported {
            if !supported(c) {
                return Err(format!(
                    "{} {} is not supported yet by oxidis",
                    self.name,
                    self.get(c)
                ));
            }
        }
        Ok(())
    }

    /// The value as CONFIG GET shows it.
    pub fn get(&self, c: &Config) -> String {
        match &self.kind {
            Kind::Bool { get, .. } => yes_no(get(c)).to_string(),
            Kind::Int { get, unit, .. } => {
                let v = get(c);
                if *unit == Unit::MemoryOrPercent && v < 0 {
                    format!("{}%", -v)
                } else {
                    v.to_string()
                }
            }
            Kind::Enum { get, .. } => get(c).to_string(),
            Kind::Str { get, .. } => get(c).map(|v| lossy(&v)).unwrap_or_default(),
            Kind::Special { get, .. } => get(c),
        }
    }

    /// The lines CONFIG REWRITE writes for this directive, each with its "force" flag
    /// (true when the value differs from the default, so the line must be written even
    /// if the old file had none).
    pub fn rewrite_lines(&self, c: &Config, defaults: &Config) -> Vec<(String, bool)> {
        let force = self.get(c) != self.get(defaults);
        let line = |value: String| vec![(format!("{} {}", self.name, value), force)];
        match &self.kind {
            Kind::Bool { get, .. } => line(yes_no(get(c)).to_string()),
            Kind::Int { get, unit, .. } => {
                let v = get(c);
                match unit {
                    Unit::Plain => line(v.to_string()),
                    Unit::MemoryOrPercent if v < 0 => line(format!("{}%", -v)),
                    _ => line(format_memory(v)),
                }
            }
            Kind::Enum { get, .. } => line(get(c).to_string()),
            Kind::Str { get, .. } => match get(c) {
                // A "null" string must not appear in the file at all.
                None => Vec::new(),
                Some(v) => line(repr(&v)),
            },
            Kind::Special { rewrite, .. } => match rewrite {
                Rewrite::Plain => line(self.get(c)),
                Rewrite::Quoted => line(repr(self.get(c).as_bytes())),
                Rewrite::Custom(f) => f(c),
            },
        }
    }
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// Parses an integer directive's value and checks its range, with Redis's messages.
pub(crate) fn parse_int(s: &[u8], unit: Unit, min: i128, max: i128) -> Result<i128, String> {
    // Memory values are parsed as unsigned and then seen through the directive's C type:
    // a signed directive sees huge values as negative (and then fails the range check).
    let as_c_type = |u: u64| -> i128 {
        if max > i128::from(i64::MAX) {
            i128::from(u)
        } else {
            i128::from(u as i64)
        }
    };
    let v = match unit {
        Unit::Plain => parse_ll(s)
            .map(i128::from)
            .ok_or("argument couldn't be parsed into an integer")?,
        Unit::Memory => as_c_type(parse_memory(s).ok_or("argument must be a memory value")?),
        Unit::MemoryOrPercent => {
            const BAD: &str = "argument must be a memory or percent value";
            if let Some(num) = s.strip_suffix(b"%") {
                let p = parse_ll(num).filter(|p| *p >= 0).ok_or(BAD)?;
                if p > 100 {
                    return Err("percentage argument must be less or equal to 100".into());
                }
                return Ok(-i128::from(p));
            }
            as_c_type(parse_memory(s).ok_or(BAD)?)
        }
    };
    if v < min || v > max {
        return Err(format!(
            "argument must be between {} and {} inclusive",
            min, max
        ));
    }
    Ok(v)
}

// ---------------------------------------------------------------------------------------
// Accessor macros: each expands to a `Kind` whose non-capturing closures reach one field.

macro_rules! boolean {
    ($f:ident) => {
        Kind::Bool {
            get: |c| c.$f,
            set: |c, v| c.$f = v,
        }
    };
}

macro_rules! int {
    ($f:ident, $min:expr, $max:expr) => {
        int!($f, $min, $max, Unit::Plain)
    };
    ($f:ident, $min:expr, $max:expr, $unit:expr) => {
        Kind::Int {
            min: $min as i128,
            max: $max as i128,
            unit: $unit,
            get: |c| c.$f as i128,
            set: |c, v| c.$f = v as _,
        }
    };
}

macro_rules! mem {
    ($f:ident, $min:expr, $max:expr) => {
        int!($f, $min, $max, Unit::Memory)
    };
}

macro_rules! enumeration {
    ($f:ident, $t:ty) => {
        Kind::Enum {
            names: <$t as ConfigEnum>::names,
            get: |c| c.$f.name(),
            set: |c, s| match <$t as ConfigEnum>::parse(s) {
                Some(v) => {
                    c.$f = v;
                    true
                }
                None => false,
            },
        }
    };
}

/// `String` field; empty is a normal value.
macro_rules! string {
    ($f:ident) => {
        string!($f, None)
    };
    ($f:ident, $validate:expr) => {
        Kind::Str {
            nullable: false,
            validate: $validate,
            get: |c| Some(c.$f.as_bytes().to_vec()),
            set: |c, v| c.$f = lossy(&v.unwrap_or_default()),
        }
    };
}

/// `Option<String>` field; empty means `None`.
macro_rules! opt_string {
    ($f:ident) => {
        Kind::Str {
            nullable: true,
            validate: None,
            get: |c| c.$f.as_ref().map(|s| s.as_bytes().to_vec()),
            set: |c, v| c.$f = v.map(|v| lossy(&v)),
        }
    };
}

/// `String` field where empty means "no value" (dropped by CONFIG REWRITE).
macro_rules! nullable_string {
    ($f:ident) => {
        Kind::Str {
            nullable: true,
            validate: None,
            get: |c| (!c.$f.is_empty()).then(|| c.$f.as_bytes().to_vec()),
            set: |c, v| c.$f = v.map(|v| lossy(&v)).unwrap_or_default(),
        }
    };
}

/// `Option<Vec<u8>>` field (binary-safe); empty means `None`.
macro_rules! opt_bytes {
    ($f:ident) => {
        Kind::Str {
            nullable: true,
            validate: None,
            get: |c| c.$f.clone(),
            set: |c, v| c.$f = v,
        }
    };
}

const INT_MAX: i64 = i32::MAX as i64;
const INT_MIN: i64 = i32::MIN as i64;
const LLONG_MAX: i64 = i64::MAX;
const UINT_MAX: i64 = u32::MAX as i64;
const MB: i64 = 1024 * 1024;

/// The directive table, in redis.conf order (CONFIG GET and the lines appended by CONFIG
/// REWRITE follow this order).
pub(crate) static TABLE: &[Directive] = &[
    // ---- INCLUDES / GENERAL -----------------------------------------------------------
    d("daemonize", boolean!(daemonize), "no")
        .immutable()
        .supported(|c| !c.daemonize),
    d("supervised", enumeration!(supervised, Supervised), "no").immutable(),
    d("pidfile", nullable_string!(pidfile), "").immutable(),
    d("loglevel", enumeration!(loglevel, LogLevel), "notice"),
    d("logfile", string!(logfile), "").immutable(),
    d("syslog-enabled", boolean!(syslog_enabled), "no").immutable(),
    d("syslog-ident", string!(syslog_ident), "redis").immutable(),
    d(
        "syslog-facility",
        enumeration!(syslog_facility, SyslogFacility),
        "local0",
    )
    .immutable(),
    d("crash-log-enabled", boolean!(crash_log_enabled), "yes"),
    d(
        "crash-memcheck-enabled",
        boolean!(crash_memcheck_enabled),
        "yes",
    ),
    d("databases", int!(databases, 1, INT_MAX), "16").immutable(),
    d("always-show-logo", boolean!(always_show_logo), "no").immutable(),
    d("set-proc-title", boolean!(set_proc_title), "yes").immutable(),
    d(
        "proc-title-template",
        string!(proc_title_template, Some(validate_proc_title_template)),
        "{title} {listen-addr} {server-mode}",
    ),
    // ---- NETWORK ------------------------------------------------------------------------
    d(
        "bind",
        Kind::Special {
            multi: true,
            get: |c| c.bind.join(" "),
            set: set_bind,
            rewrite: Rewrite::Custom(rewrite_bind),
        },
        "* -::*",
    ),
    d("bind-source-addr", opt_string!(bind_source_addr), ""),
    d("protected-mode", boolean!(protected_mode), "yes"),
    d(
        "enable-protected-configs",
        enumeration!(enable_protected_configs, ProtectedMode),
        "no",
    )
    .immutable(),
    d(
        "enable-debug-command",
        enumeration!(enable_debug_command, ProtectedMode),
        "no",
    )
    .immutable(),
    d(
        "enable-module-command",
        enumeration!(enable_module_command, ProtectedMode),
        "no",
    )
    .immutable(),
    d("port", int!(port, 0, 65535), "6379"),
    d("tcp-backlog", int!(tcp_backlog, 0, INT_MAX), "511").immutable(),
    d("unixsocket", opt_string!(unixsocket), "").immutable(),
    d(
        "unixsocketperm",
        Kind::Special {
            multi: false,
            get: |c| format!("{:o}", c.unixsocketperm),
            set: set_unixsocketperm,
            rewrite: Rewrite::Plain,
        },
        "0",
    )
    .immutable(),
    d("timeout", int!(timeout, 0, INT_MAX), "0"),
    d("tcp-keepalive", int!(tcp_keepalive, 0, INT_MAX), "300"),
    d("socket-mark-id", int!(socket_mark_id, 0, UINT_MAX), "0").immutable(),
    // ---- TLS (stored only; a TLS listener is refused) ----------------------------------
    d("tls-port", int!(tls_port, 0, 65535), "0").supported(|c| c.tls_port == 0),
    d("tls-cert-file", opt_string!(tls_cert_file), ""),
    d("tls-key-file", opt_string!(tls_key_file), ""),
    d("tls-key-file-pass", opt_string!(tls_key_file_pass), ""),
    d(
        "tls-client-cert-file",
        opt_string!(tls_client_cert_file),
        "",
    ),
    d("tls-client-key-file", opt_string!(tls_client_key_file), ""),
    d(
        "tls-client-key-file-pass",
        opt_string!(tls_client_key_file_pass),
        "",
    ),
    d("tls-dh-params-file", opt_string!(tls_dh_params_file), ""),
    d("tls-ca-cert-file", opt_string!(tls_ca_cert_file), ""),
    d("tls-ca-cert-dir", opt_string!(tls_ca_cert_dir), ""),
    d(
        "tls-auth-clients",
        enumeration!(tls_auth_clients, TlsAuthClients),
        "yes",
    ),
    d("tls-replication", boolean!(tls_replication), "no"),
    d("tls-cluster", boolean!(tls_cluster), "no"),
    d("tls-protocols", opt_string!(tls_protocols), ""),
    d("tls-ciphers", opt_string!(tls_ciphers), ""),
    d("tls-ciphersuites", opt_string!(tls_ciphersuites), ""),
    d(
        "tls-prefer-server-ciphers",
        boolean!(tls_prefer_server_ciphers),
        "no",
    ),
    d("tls-session-caching", boolean!(tls_session_caching), "yes"),
    d(
        "tls-session-cache-size",
        int!(tls_session_cache_size, 0, INT_MAX),
        "20480",
    ),
    d(
        "tls-session-cache-timeout",
        int!(tls_session_cache_timeout, 0, INT_MAX),
        "300",
    ),
    // ---- SNAPSHOTTING -------------------------------------------------------------------
    d(
        "save",
        Kind::Special {
            multi: true,
            get: |c| {
                c.save
                    .iter()
                    .map(|r| format!("{} {}", r.seconds, r.changes))
                    .collect::<Vec<_>>()
                    .join(" ")
            },
            set: set_save,
            rewrite: Rewrite::Custom(rewrite_save),
        },
        "3600 1 300 100 60 10000",
    ),
    d(
        "stop-writes-on-bgsave-error",
        boolean!(stop_writes_on_bgsave_error),
        "yes",
    ),
    d("rdbcompression", boolean!(rdbcompression), "yes"),
    d("rdbchecksum", boolean!(rdbchecksum), "yes").immutable(),
    d(
        "sanitize-dump-payload",
        enumeration!(sanitize_dump_payload, SanitizeDumpPayload),
        "no",
    ),
    d(
        "dbfilename",
        string!(
            dbfilename,
            Some(|v| is_basename(v, "dbfilename can't be a path, just a filename"))
        ),
        "dump.rdb",
    )
    .protected(),
    d("rdb-del-sync-files", boolean!(rdb_del_sync_files), "no"),
    d(
        "dir",
        Kind::Special {
            multi: false,
            get: |c| {
                std::env::current_dir()
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_else(|_| c.dir.to_string_lossy().into_owned())
            },
            set: set_dir,
            rewrite: Rewrite::Custom(rewrite_dir),
        },
        "",
    )
    .protected(),
    // ---- REPLICATION (stored only; replicaof is refused) -------------------------------
    d(
        "replicaof",
        Kind::Special {
            multi: true,
            get: |c| match &c.replicaof {
                Some((host, port)) => format!("{} {}", host, port),
                None => String::new(),
            },
            set: set_replicaof,
            rewrite: Rewrite::Custom(|c| match &c.replicaof {
                Some((host, port)) => vec![(format!("replicaof {} {}", host, port), true)],
                None => Vec::new(),
            }),
        },
        "",
    )
    .alias(&["slaveof"])
    .immutable()
    .supported(|c| c.replicaof.is_none()),
    d("masterauth", opt_bytes!(masterauth), ""),
    d("masteruser", opt_string!(masteruser), ""),
    d(
        "replica-serve-stale-data",
        boolean!(replica_serve_stale_data),
        "yes",
    )
    .alias(&["slave-serve-stale-data"]),
    d("replica-read-only", boolean!(replica_read_only), "yes").alias(&["slave-read-only"]),
    d("repl-diskless-sync", boolean!(repl_diskless_sync), "yes"),
    d(
        "repl-diskless-sync-delay",
        int!(repl_diskless_sync_delay, 0, INT_MAX),
        "5",
    ),
    d(
        "repl-diskless-sync-max-replicas",
        int!(repl_diskless_sync_max_replicas, 0, INT_MAX),
        "0",
    ),
    d(
        "repl-diskless-load",
        enumeration!(repl_diskless_load, ReplDisklessLoad),
        "disabled",
    ),
    d(
        "repl-ping-replica-period",
        int!(repl_ping_replica_period, 1, INT_MAX),
        "10",
    )
    .alias(&["repl-ping-slave-period"]),
    d("repl-timeout", int!(repl_timeout, 1, INT_MAX), "60"),
    d(
        "repl-disable-tcp-nodelay",
        boolean!(repl_disable_tcp_nodelay),
        "no",
    ),
    d(
        "repl-backlog-size",
        mem!(repl_backlog_size, 1, LLONG_MAX),
        "1mb",
    ),
    d(
        "repl-backlog-ttl",
        int!(repl_backlog_ttl, 0, LLONG_MAX),
        "3600",
    ),
    d(
        "replica-priority",
        int!(replica_priority, 0, INT_MAX),
        "100",
    )
    .alias(&["slave-priority"]),
    d(
        "propagation-error-behavior",
        enumeration!(propagation_error_behavior, PropagationErrorBehavior),
        "ignore",
    ),
    d(
        "replica-ignore-disk-write-errors",
        boolean!(replica_ignore_disk_write_errors),
        "no",
    ),
    d("replica-announced", boolean!(replica_announced), "yes"),
    d(
        "min-replicas-to-write",
        int!(min_replicas_to_write, 0, INT_MAX),
        "0",
    )
    .alias(&["min-slaves-to-write"]),
    d(
        "min-replicas-max-lag",
        int!(min_replicas_max_lag, 0, INT_MAX),
        "10",
    )
    .alias(&["min-slaves-max-lag"]),
    d("replica-announce-ip", opt_string!(replica_announce_ip), "").alias(&["slave-announce-ip"]),
    d(
        "replica-announce-port",
        int!(replica_announce_port, 0, 65535),
        "0",
    )
    .alias(&["slave-announce-port"]),
    // ---- KEYS TRACKING ------------------------------------------------------------------
    d(
        "tracking-table-max-keys",
        int!(tracking_table_max_keys, 0, LLONG_MAX),
        "1000000",
    ),
    // ---- SECURITY -----------------------------------------------------------------------
    d("acllog-max-len", int!(acllog_max_len, 0, LLONG_MAX), "128"),
    d("aclfile", string!(aclfile), "")
        .immutable()
        .supported(|c| c.aclfile.is_empty()),
    d(
        "acl-pubsub-default",
        enumeration!(acl_pubsub_default, AclPubsubDefault),
        "resetchannels",
    ),
    d("requirepass", opt_bytes!(requirepass), ""),
    // ---- CLIENTS / MEMORY MANAGEMENT ----------------------------------------------------
    d("maxclients", int!(maxclients, 1, UINT_MAX), "10000"),
    d("maxmemory", mem!(maxmemory, 0, u64::MAX), "0").supported(|c| c.maxmemory == 0),
    d(
        "maxmemory-policy",
        enumeration!(maxmemory_policy, MaxmemoryPolicy),
        "noeviction",
    )
    .supported(|c| c.maxmemory_policy == MaxmemoryPolicy::NoEviction),
    d(
        "maxmemory-samples",
        int!(maxmemory_samples, 1, INT_MAX),
        "5",
    ),
    d(
        "maxmemory-eviction-tenacity",
        int!(maxmemory_eviction_tenacity, 0, 100),
        "10",
    ),
    d(
        "replica-ignore-maxmemory",
        boolean!(replica_ignore_maxmemory),
        "yes",
    )
    .alias(&["slave-ignore-maxmemory"]),
    d(
        "active-expire-effort",
        int!(active_expire_effort, 1, 10),
        "1",
    ),
    d(
        "maxmemory-clients",
        int!(maxmemory_clients, 0, LLONG_MAX, Unit::MemoryOrPercent),
        "0",
    ),
    // ---- LAZY FREEING -------------------------------------------------------------------
    d(
        "lazyfree-lazy-eviction",
        boolean!(lazyfree_lazy_eviction),
        "no",
    ),
    d("lazyfree-lazy-expire", boolean!(lazyfree_lazy_expire), "no"),
    d(
        "lazyfree-lazy-server-del",
        boolean!(lazyfree_lazy_server_del),
        "no",
    ),
    d("replica-lazy-flush", boolean!(replica_lazy_flush), "no").alias(&["slave-lazy-flush"]),
    d(
        "lazyfree-lazy-user-del",
        boolean!(lazyfree_lazy_user_del),
        "no",
    ),
    d(
        "lazyfree-lazy-user-flush",
        boolean!(lazyfree_lazy_user_flush),
        "no",
    ),
    // ---- THREADED I/O -------------------------------------------------------------------
    d("io-threads", int!(io_threads, 1, 128), "1")
        .immutable()
        .supported(|c| c.io_threads == 1),
    d("io-threads-do-reads", boolean!(io_threads_do_reads), "no").immutable(),
    // ---- KERNEL ---------------------------------------------------------------------------
    d(
        "oom-score-adj",
        enumeration!(oom_score_adj, OomScoreAdj),
        "no",
    ),
    d(
        "oom-score-adj-values",
        Kind::Special {
            multi: true,
            get: |c| {
                let v = c.oom_score_adj_values;
                format!("{} {} {}", v[0], v[1], v[2])
            },
            set: set_oom_score_adj_values,
            rewrite: Rewrite::Plain,
        },
        "0 200 800",
    ),
    d("disable-thp", boolean!(disable_thp), "yes").immutable(),
    // ---- APPEND ONLY MODE -----------------------------------------------------------------
    d("appendonly", boolean!(appendonly), "no"),
    d(
        "appendfilename",
        string!(
            appendfilename,
            Some(|v| {
                if v.is_empty() {
                    return Err("appendfilename can't be empty".into());
                }
                is_basename(v, "appendfilename can't be a path, just a filename")
            })
        ),
        "appendonly.aof",
    )
    .immutable(),
    d(
        "appenddirname",
        string!(
            appenddirname,
            Some(|v| {
                if v.is_empty() {
                    return Err("appenddirname can't be empty".into());
                }
                is_basename(v, "appenddirname can't be a path, just a dirname")
            })
        ),
        "appendonlydir",
    )
    .immutable(),
    d(
        "appendfsync",
        enumeration!(appendfsync, AppendFsync),
        "everysec",
    ),
    d(
        "no-appendfsync-on-rewrite",
        boolean!(no_appendfsync_on_rewrite),
        "no",
    ),
    d(
        "auto-aof-rewrite-percentage",
        int!(auto_aof_rewrite_percentage, 0, INT_MAX),
        "100",
    ),
    d(
        "auto-aof-rewrite-min-size",
        mem!(auto_aof_rewrite_min_size, 0, LLONG_MAX),
        "64mb",
    ),
    d("aof-load-truncated", boolean!(aof_load_truncated), "yes"),
    d(
        "aof-use-rdb-preamble",
        boolean!(aof_use_rdb_preamble),
        "yes",
    ),
    d(
        "aof-timestamp-enabled",
        boolean!(aof_timestamp_enabled),
        "no",
    ),
    d("aof-disable-auto-gc", boolean!(aof_disable_auto_gc), "no"),
    // ---- SHUTDOWN -------------------------------------------------------------------------
    d("shutdown-timeout", int!(shutdown_timeout, 0, INT_MAX), "10"),
    d(
        "shutdown-on-sigint",
        Kind::Special {
            multi: true,
            get: |c| c.shutdown_on_sigint.to_string(),
            set: |c, args, _| {
                c.shutdown_on_sigint = ShutdownFlags::parse(args)?;
                Ok(())
            },
            rewrite: Rewrite::Plain,
        },
        "default",
    ),
    d(
        "shutdown-on-sigterm",
        Kind::Special {
            multi: true,
            get: |c| c.shutdown_on_sigterm.to_string(),
            set: |c, args, _| {
                c.shutdown_on_sigterm = ShutdownFlags::parse(args)?;
                Ok(())
            },
            rewrite: Rewrite::Plain,
        },
        "default",
    ),
    // ---- LONG BLOCKING COMMANDS (scripts) ---------------------------------------------
    d(
        "busy-reply-threshold",
        int!(busy_reply_threshold, 0, LLONG_MAX),
        "5000",
    )
    .alias(&["lua-time-limit"]),
    // ---- CLUSTER (stored only; cluster-enabled yes is refused) --------------------------
    d("cluster-enabled", boolean!(cluster_enabled), "no")
        .immutable()
        .supported(|c| !c.cluster_enabled),
    d(
        "cluster-config-file",
        string!(cluster_config_file),
        "nodes.conf",
    )
    .immutable(),
    d(
        "cluster-node-timeout",
        int!(cluster_node_timeout, 0, LLONG_MAX),
        "15000",
    ),
    d("cluster-port", int!(cluster_port, 0, 65535), "0").immutable(),
    d(
        "cluster-replica-validity-factor",
        int!(cluster_replica_validity_factor, 0, INT_MAX),
        "10",
    )
    .alias(&["cluster-slave-validity-factor"]),
    d(
        "cluster-migration-barrier",
        int!(cluster_migration_barrier, 0, INT_MAX),
        "1",
    ),
    d(
        "cluster-allow-replica-migration",
        boolean!(cluster_allow_replica_migration),
        "yes",
    ),
    d(
        "cluster-require-full-coverage",
        boolean!(cluster_require_full_coverage),
        "yes",
    ),
    d(
        "cluster-replica-no-failover",
        boolean!(cluster_replica_no_failover),
        "no",
    )
    .alias(&["cluster-slave-no-failover"]),
    d(
        "cluster-allow-reads-when-down",
        boolean!(cluster_allow_reads_when_down),
        "no",
    ),
    d(
        "cluster-allow-pubsubshard-when-down",
        boolean!(cluster_allow_pubsubshard_when_down),
        "yes",
    ),
    d(
        "cluster-link-sendbuf-limit",
        mem!(cluster_link_sendbuf_limit, 0, u64::MAX),
        "0",
    ),
    d(
        "cluster-announce-hostname",
        opt_string!(cluster_announce_hostname),
        "",
    ),
    d(
        "cluster-preferred-endpoint-type",
        enumeration!(
            cluster_preferred_endpoint_type,
            ClusterPreferredEndpointType
        ),
        "ip",
    ),
    d("cluster-announce-ip", opt_string!(cluster_announce_ip), ""),
    d(
        "cluster-announce-port",
        int!(cluster_announce_port, 0, 65535),
        "0",
    ),
    d(
        "cluster-announce-tls-port",
        int!(cluster_announce_tls_port, 0, 65535),
        "0",
    ),
    d(
        "cluster-announce-bus-port",
        int!(cluster_announce_bus_port, 0, 65535),
        "0",
    ),
    // ---- SLOW LOG / LATENCY -------------------------------------------------------------
    d(
        "slowlog-log-slower-than",
        int!(slowlog_log_slower_than, -1, LLONG_MAX),
        "10000",
    ),
    d(
        "slowlog-max-len",
        int!(slowlog_max_len, 0, LLONG_MAX),
        "128",
    ),
    d(
        "latency-monitor-threshold",
        int!(latency_monitor_threshold, 0, LLONG_MAX),
        "0",
    ),
    d("latency-tracking", boolean!(latency_tracking), "yes"),
    d(
        "latency-tracking-info-percentiles",
        Kind::Special {
            multi: true,
            get: |c| {
                c.latency_tracking_info_percentiles
                    .iter()
                    .map(|p| format_percentile(*p))
                    .collect::<Vec<_>>()
                    .join(" ")
            },
            set: set_latency_percentiles,
            rewrite: Rewrite::Custom(rewrite_latency_percentiles),
        },
        "50 99 99.9",
    ),
    // ---- EVENT NOTIFICATION -------------------------------------------------------------
    d(
        "notify-keyspace-events",
        Kind::Special {
            multi: false,
            get: |c| notify::to_string(c.notify_keyspace_events),
            set: |c, args, _| {
                c.notify_keyspace_events = notify::parse(&args[0]).ok_or_else(|| {
                    "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.".to_string()
                })?;
                Ok(())
            },
            rewrite: Rewrite::Quoted,
        },
        "",
    ),
    // ---- ADVANCED CONFIG: encodings -----------------------------------------------------
    d(
        "hash-max-listpack-entries",
        int!(hash_max_listpack_entries, 0, LLONG_MAX),
        "512",
    )
    .alias(&["hash-max-ziplist-entries"]),
    d(
        "hash-max-listpack-value",
        mem!(hash_max_listpack_value, 0, LLONG_MAX),
        "64",
    )
    .alias(&["hash-max-ziplist-value"]),
    d(
        "list-max-listpack-size",
        int!(list_max_listpack_size, INT_MIN, INT_MAX),
        "-2",
    )
    .alias(&["list-max-ziplist-size"]),
    d(
        "list-compress-depth",
        int!(list_compress_depth, 0, INT_MAX),
        "0",
    ),
    d(
        "set-max-intset-entries",
        int!(set_max_intset_entries, 0, LLONG_MAX),
        "512",
    ),
    d(
        "set-max-listpack-entries",
        int!(set_max_listpack_entries, 0, LLONG_MAX),
        "128",
    ),
    d(
        "set-max-listpack-value",
        mem!(set_max_listpack_value, 0, LLONG_MAX),
        "64",
    ),
    d(
        "zset-max-listpack-entries",
        int!(zset_max_listpack_entries, 0, LLONG_MAX),
        "128",
    )
    .alias(&["zset-max-ziplist-entries"]),
    d(
        "zset-max-listpack-value",
        mem!(zset_max_listpack_value, 0, LLONG_MAX),
        "64",
    )
    .alias(&["zset-max-ziplist-value"]),
    d(
        "hll-sparse-max-bytes",
        mem!(hll_sparse_max_bytes, 0, LLONG_MAX),
        "3000",
    ),
    d(
        "stream-node-max-bytes",
        mem!(stream_node_max_bytes, 0, LLONG_MAX),
        "4096",
    ),
    d(
        "stream-node-max-entries",
        int!(stream_node_max_entries, 0, LLONG_MAX),
        "100",
    ),
    d("activerehashing", boolean!(activerehashing), "yes"),
    // ---- ADVANCED CONFIG: clients, frequency ------------------------------------------
    d(
        "client-output-buffer-limit",
        Kind::Special {
            multi: true,
            get: get_client_output_buffer_limit,
            set: set_client_output_buffer_limit,
            rewrite: Rewrite::Custom(rewrite_client_output_buffer_limit),
        },
        "normal 0 0 0 slave 256mb 64mb 60 pubsub 32mb 8mb 60",
    ),
    d(
        "client-query-buffer-limit",
        mem!(client_query_buffer_limit, MB, LLONG_MAX),
        "1gb",
    ),
    d(
        "proto-max-bulk-len",
        mem!(proto_max_bulk_len, MB, LLONG_MAX),
        "512mb",
    ),
    d("hz", int!(hz, 0, INT_MAX), "10").fixup(clamp_hz),
    d("dynamic-hz", boolean!(dynamic_hz), "yes"),
    d(
        "aof-rewrite-incremental-fsync",
        boolean!(aof_rewrite_incremental_fsync),
        "yes",
    ),
    d(
        "rdb-save-incremental-fsync",
        boolean!(rdb_save_incremental_fsync),
        "yes",
    ),
    d("lfu-log-factor", int!(lfu_log_factor, 0, INT_MAX), "10"),
    d("lfu-decay-time", int!(lfu_decay_time, 0, INT_MAX), "1"),
    // ---- ACTIVE DEFRAGMENTATION (stored only) -------------------------------------------
    d("activedefrag", boolean!(activedefrag), "no"),
    d(
        "active-defrag-ignore-bytes",
        mem!(active_defrag_ignore_bytes, 1, LLONG_MAX),
        "100mb",
    ),
    d(
        "active-defrag-threshold-lower",
        int!(active_defrag_threshold_lower, 0, 1000),
        "10",
    ),
    d(
        "active-defrag-threshold-upper",
        int!(active_defrag_threshold_upper, 0, 1000),
        "100",
    ),
    d(
        "active-defrag-cycle-min",
        int!(active_defrag_cycle_min, 1, 99),
        "1",
    ),
    d(
        "active-defrag-cycle-max",
        int!(active_defrag_cycle_max, 1, 99),
        "25",
    ),
    d(
        "active-defrag-max-scan-fields",
        int!(active_defrag_max_scan_fields, 1, LLONG_MAX),
        "1000",
    ),
    d("jemalloc-bg-thread", boolean!(jemalloc_bg_thread), "yes"),
    d("server_cpulist", opt_string!(server_cpulist), "").immutable(),
    d("bio_cpulist", opt_string!(bio_cpulist), "").immutable(),
    d("aof_rewrite_cpulist", opt_string!(aof_rewrite_cpulist), "").immutable(),
    d("bgsave_cpulist", opt_string!(bgsave_cpulist), "").immutable(),
    d("ignore-warnings", string!(ignore_warnings), ""),
    // ---- Hidden debugging knobs (used by test suites) -----------------------------------
    d(
        "key-load-delay",
        int!(key_load_delay, INT_MIN, INT_MAX),
        "0",
    )
    .hidden(),
    d(
        "rdb-key-save-delay",
        int!(rdb_key_save_delay, INT_MIN, INT_MAX),
        "0",
    )
    .hidden(),
    d(
        "loading-process-events-interval-bytes",
        int!(loading_process_events_interval_bytes, 1024, INT_MAX),
        "2097152",
    )
    .hidden(),
];

/// Finds a directive by (lowercase) name or alias; also returns the matched name.
pub(crate) fn lookup(name: &str) -> Option<(&'static Directive, &'static str)> {
    TABLE.iter().find_map(|d| {
        std::iter::once(&d.name)
            .chain(d.aliases.iter())
            .find(|n| n.eq_ignore_ascii_case(name))
            .map(|n| (d, *n))
    })
}

// ---------------------------------------------------------------------------------------
// Validators, hooks and special directives.

fn is_basename(v: &[u8], err: &str) -> Result<(), String> {
    if v.contains(&b'/') {
        Err(err.to_string())
    } else {
        Ok(())
    }
}

fn clamp_hz(c: &mut Config) {
    const MIN_HZ: u32 = 1;
    const MAX_HZ: u32 = 500;
    if c.hz < MIN_HZ {
        c.hz = MIN_HZ;
    }
    if c.hz > MAX_HZ {
        log::warn!(
            "hz is more than {}, setting it to the max allowed value of {}",
            MAX_HZ,
            MAX_HZ
        );
        c.hz = MAX_HZ;
    }
}

/// A template is valid when every `{variable}` is known and the expansion (with an empty
/// title and server mode) is not blank, as Redis checks it.
fn validate_proc_title_template(v: &[u8]) -> Result<(), String> {
    const ERR: &str = "template format is invalid or contains unknown variables";
    let mut out = Vec::new();
    let mut i = 0;
    while i < v.len() {
        if v[i] == b'{' {
            let end = v[i..].iter().position(|&b| b == b'}').ok_or(ERR)? + i;
            let expansion: &[u8] = match &v[i + 1..end] {
                b"title" | b"server-mode" | b"unixsocket" | b"config-file" => b"",
                b"listen-addr" | b"port" | b"tls-port" => b"x",
                _ => return Err(ERR.into()),
            };
            out.extend_from_slice(expansion);
            i = end + 1;
        } else {
            out.push(v[i]);
            i += 1;
        }
    }
    if out.iter().all(|&b| b == b' ') {
        return Err(ERR.into());
    }
    Ok(())
}

/// A single empty argument counts as no argument (`bind ""`, `save ""`).
fn none_if_single_empty(args: &[Vec<u8>]) -> &[Vec<u8>] {
    match args {
        [one] if one.is_empty() => &[],
        _ => args,
    }
}

fn set_bind(c: &mut Config, args: &[Vec<u8>], _: &mut Ctx) -> Result<(), String> {
    const MAX_BIND_ADDRESSES: usize = 16;
    let args = none_if_single_empty(args);
    if args.len() > MAX_BIND_ADDRESSES {
        return Err("Too many bind addresses specified.".into());
    }
    c.bind = args.iter().map(|a| lossy(a)).collect();
    Ok(())
}

fn rewrite_bind(c: &Config) -> Vec<(String, bool)> {
    // At its default the directive is dropped from the file, like Redis does.
    if c.bind == defaults().bind {
        Vec::new()
    } else {
        vec![(format!("bind {}", c.bind.join(" ")), true)]
    }
}

fn set_unixsocketperm(c: &mut Config, args: &[Vec<u8>], _: &mut Ctx) -> Result<(), String> {
    const ERR: &str = "argument couldn't be parsed as an octal number";
    let v = &args[0];
    let digits = v.strip_prefix(b"+").unwrap_or(v);
    if !digits.iter().all(|b| (b'0'..=b'7').contains(b)) {
        return Err(ERR.into());
    }
    // Like strtol(), an empty string is 0.
    let mut perm: u32 = 0;
    for &b in digits {
        perm = perm.saturating_mul(8).saturating_add(u32::from(b - b'0'));
    }
    if perm > 0o777 {
        return Err(ERR.into());
    }
    c.unixsocketperm = perm;
    Ok(())
}

fn set_save(c: &mut Config, args: &[Vec<u8>], ctx: &mut Ctx) -> Result<(), String> {
    const ERR: &str = "Invalid save parameters";
    let args = none_if_single_empty(args);
    if !args.len().is_multiple_of(2) {
        return Err(ERR.into());
    }
    let mut rules = Vec::new();
    for pair in args.chunks(2) {
        match (parse_strtoll(&pair[0]), parse_strtoll(&pair[1])) {
            (Some(seconds), Some(changes)) if seconds >= 1 && changes >= 0 => {
                rules.push(SaveRule {
                    seconds: seconds as u64,
                    changes: changes as u64,
                })
            }
            _ => return Err(ERR.into()),
        }
    }
    if args.is_empty() {
        c.save.clear();
    }
    // While loading, the first `save` line replaces the defaults and the following ones
    // add rules; CONFIG SET replaces the rules.
    if !ctx.loading || !ctx.save_loaded {
        ctx.save_loaded |= ctx.loading;
        c.save.clear();
    }
    c.save.extend(rules);
    Ok(())
}

fn rewrite_save(c: &Config) -> Vec<(String, bool)> {
    // Always written, so that the defaults don't come back at the next start.
    if c.save.is_empty() {
        return vec![("save \"\"".to_string(), true)];
    }
    c.save
        .iter()
        .map(|r| (format!("save {} {}", r.seconds, r.changes), true))
        .collect()
}

fn set_dir(c: &mut Config, args: &[Vec<u8>], ctx: &mut Ctx) -> Result<(), String> {
    use std::os::unix::ffi::OsStrExt;
    let path = std::path::Path::new(std::ffi::OsStr::from_bytes(&args[0]));
    if ctx.loading {
        std::env::set_current_dir(path).map_err(|e| strerror(&e))?;
        c.dir = std::env::current_dir().unwrap_or_else(|_| path.to_path_buf());
    } else {
        // CONFIG SET: check now, change directory when the whole command succeeded.
        let meta = std::fs::metadata(path).map_err(|e| strerror(&e))?;
        if !meta.is_dir() {
            return Err("Not a directory".into());
        }
        let abs = std::fs::canonicalize(path).map_err(|e| strerror(&e))?;
        ctx.pending_dir = Some(abs.clone());
        c.dir = abs;
    }
    Ok(())
}

fn rewrite_dir(c: &Config) -> Vec<(String, bool)> {
    let cwd: PathBuf = std::env::current_dir().unwrap_or_else(|_| c.dir.clone());
    use std::os::unix::ffi::OsStrExt;
    vec![(format!("dir {}", repr(cwd.as_os_str().as_bytes())), true)]
}

fn set_replicaof(c: &mut Config, args: &[Vec<u8>], _: &mut Ctx) -> Result<(), String> {
    let [host, port] = args else {
        return Err("wrong number of arguments".into());
    };
    if host.eq_ignore_ascii_case(b"no") && port.eq_ignore_ascii_case(b"one") {
        c.replicaof = None;
        return Ok(());
    }
    let port = parse_ll(port)
        .and_then(|p| u16::try_from(p).ok())
        .ok_or("Invalid master port")?;
    c.replicaof = Some((lossy(host), port));
    Ok(())
}

fn set_oom_score_adj_values(c: &mut Config, args: &[Vec<u8>], _: &mut Ctx) -> Result<(), String> {
    if args.len() != 3 {
        return Err("wrong number of arguments".into());
    }
    let mut values = [0i32; 3];
    for (slot, arg) in values.iter_mut().zip(args) {
        *slot = parse_strtoll(arg)
            .filter(|v| (-2000..=2000).contains(v))
            .ok_or("Invalid oom-score-adj-values, elements must be between -2000 and 2000.")?
            as i32;
    }
    c.oom_score_adj_values = values;
    Ok(())
}

fn set_latency_percentiles(c: &mut Config, args: &[Vec<u8>], _: &mut Ctx) -> Result<(), String> {
    let mut values = Vec::new();
    for arg in none_if_single_empty(args) {
        let v: f64 = std::str::from_utf8(arg)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or("Invalid latency-tracking-info-percentiles parameters")?;
        if !(0.0..=100.0).contains(&v) {
            return Err(
                "latency-tracking-info-percentiles parameters should sit between [0.0,100.0]"
                    .into(),
            );
        }
        values.push(v);
    }
    c.latency_tracking_info_percentiles = values;
    Ok(())
}

/// Like Redis: six decimals, without trailing zeros ("99.9", "50", "33.333333").
fn format_percentile(p: f64) -> String {
    let s = format!("{:.6}", p);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn rewrite_latency_percentiles(c: &Config) -> Vec<(String, bool)> {
    // Redis 7.0 always writes this directive.
    let v = &c.latency_tracking_info_percentiles;
    let value = if v.is_empty() {
        "\"\"".to_string()
    } else {
        v.iter()
            .map(|p| format_percentile(*p))
            .collect::<Vec<_>>()
            .join(" ")
    };
    vec![(format!("latency-tracking-info-percentiles {}", value), true)]
}

fn get_client_output_buffer_limit(c: &Config) -> String {
    ClientClass::ALL
        .iter()
        .map(|&class| {
            let l = c.client_output_buffer_limit[class as usize];
            format!(
                "{} {} {} {}",
                class.config_get_name(),
                l.hard,
                l.soft,
                l.soft_seconds
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn set_client_output_buffer_limit(
    c: &mut Config,
    args: &[Vec<u8>],
    _: &mut Ctx,
) -> Result<(), String> {
    if !args.len().is_multiple_of(4) {
        return Err("Wrong number of arguments in buffer limit configuration.".into());
    }
    // Validate every group before changing anything.
    let mut limits = c.client_output_buffer_limit;
    for group in args.chunks(4) {
        let class = ClientClass::from_name(&group[0])
            .ok_or("Invalid client class specified in buffer limit configuration.")?;
        const ERR: &str =
            "Error in hard, soft or soft_seconds setting in buffer limit configuration.";
        let hard = parse_memory(&group[1]).ok_or(ERR)?;
        let soft = parse_memory(&group[2]).ok_or(ERR)?;
        let soft_seconds = parse_strtoll(&group[3]).filter(|s| *s >= 0).ok_or(ERR)?;
        limits[class as usize] = ClientBufferLimit {
            hard,
            soft,
            soft_seconds: soft_seconds as u64,
        };
    }
    c.client_output_buffer_limit = limits;
    Ok(())
}

fn rewrite_client_output_buffer_limit(c: &Config) -> Vec<(String, bool)> {
    let defaults = &defaults().client_output_buffer_limit;
    ClientClass::ALL
        .iter()
        .map(|&class| {
            let l = c.client_output_buffer_limit[class as usize];
            (
                format!(
                    "client-output-buffer-limit {} {} {} {}",
                    class.rewrite_name(),
                    format_memory(i128::from(l.hard)),
                    format_memory(i128::from(l.soft)),
                    l.soft_seconds
                ),
                l != defaults[class as usize],
            )
        })
        .collect()
}
