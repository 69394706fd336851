//! The declarative command table and dispatch.
//!
//! Every command is one `Command` row in its family's file: name, arity, flags, key
//! positions, ACL categories, documentation and handler. Unknown-command, arity and
//! authentication errors, `COMMAND` introspection and per-command statistics are all
//! derived from these rows here; handlers only do their command's own work.

pub mod bitmaps;
pub mod blocking;
pub mod connection;
pub mod docs;
pub mod geo;
pub mod hashes;
pub mod hll;
pub mod introspect;
pub mod keys;
pub mod latency;
pub mod lists;
pub mod notify;
pub mod pubsub;
pub mod server;
pub mod sets;
pub mod slowlog;
pub mod sort;
pub mod stream_groups;
pub mod streams;
pub mod strings;
pub mod tracking;
pub mod transactions;
pub mod zsets;

use crate::error::{CmdError, CmdResult};
use crate::keyspace::{Db, Entry, Typed, Value};
use crate::protocol::ReplyBuf;
use crate::server::client::{Client, ReplyMode};
use crate::server::Core;
use crate::util::num;
use std::collections::HashMap;

/// Command-name lookups happen once per command: use a fast hasher.
type NameMap = HashMap<Vec<u8>, usize, foldhash::fast::RandomState>;

pub type Handler = fn(&mut Ctx) -> CmdResult;

/// A command's own key finder (Redis's getkeys_proc), for keys no key spec can
/// locate: (position, key spec flags) of each key in `argv` (name included).
pub type GetKeys = fn(&[Vec<u8>]) -> Vec<(usize, &'static str)>;

/// Command flags, in the order Redis lists them in COMMAND INFO.
pub mod flag {
    pub const WRITE: u32 = 1 << 0;
    pub const READONLY: u32 = 1 << 1;
    pub const DENYOOM: u32 = 1 << 2;
    pub const ADMIN: u32 = 1 << 4;
    pub const PUBSUB: u32 = 1 << 5;
    pub const NOSCRIPT: u32 = 1 << 6;
    pub const BLOCKING: u32 = 1 << 7;
    pub const LOADING: u32 = 1 << 8;
    pub const STALE: u32 = 1 << 9;
    pub const SKIP_MONITOR: u32 = 1 << 10;
    pub const SKIP_SLOWLOG: u32 = 1 << 11;
    pub const ASKING: u32 = 1 << 12;
    pub const FAST: u32 = 1 << 13;
    pub const NO_AUTH: u32 = 1 << 14;
    pub const MAY_REPLICATE: u32 = 1 << 15;
    pub const NO_MANDATORY_KEYS: u32 = 1 << 18;
    pub const PROTECTED: u32 = 1 << 19;
    pub const NO_ASYNC_LOADING: u32 = 1 << 22;
    pub const NO_MULTI: u32 = 1 << 23;
    pub const MOVABLE_KEYS: u32 = 1 << 24;
    pub const ALLOW_BUSY: u32 = 1 << 25;

    pub const NAMES: &[(u32, &str)] = &[
        (WRITE, "write"),
        (READONLY, "readonly"),
        (DENYOOM, "denyoom"),
        (ADMIN, "admin"),
        (PUBSUB, "pubsub"),
        (NOSCRIPT, "noscript"),
        (BLOCKING, "blocking"),
        (LOADING, "loading"),
        (STALE, "stale"),
        (SKIP_MONITOR, "skip_monitor"),
        (SKIP_SLOWLOG, "skip_slowlog"),
        (ASKING, "asking"),
        (FAST, "fast"),
        (NO_AUTH, "no_auth"),
        (MAY_REPLICATE, "may_replicate"),
        (NO_MANDATORY_KEYS, "no_mandatory_keys"),
        (PROTECTED, "protected"),
        (NO_ASYNC_LOADING, "no_async_loading"),
        (NO_MULTI, "no_multi"),
        (MOVABLE_KEYS, "movablekeys"),
        (ALLOW_BUSY, "allow_busy"),
    ];
}

/// ACL categories, in Redis's order. `@read`, `@write`, `@admin`, `@fast`/`@slow`,
/// `@pubsub` and `@blocking` are added from the flags, as Redis does.
pub mod acl {
    pub const KEYSPACE: u32 = 1 << 0;
    pub const READ: u32 = 1 << 1;
    pub const WRITE: u32 = 1 << 2;
    pub const SET: u32 = 1 << 3;
    pub const SORTEDSET: u32 = 1 << 4;
    pub const LIST: u32 = 1 << 5;
    pub const HASH: u32 = 1 << 6;
    pub const STRING: u32 = 1 << 7;
    pub const BITMAP: u32 = 1 << 8;
    pub const HYPERLOGLOG: u32 = 1 << 9;
    pub const GEO: u32 = 1 << 10;
    pub const STREAM: u32 = 1 << 11;
    pub const PUBSUB: u32 = 1 << 12;
    pub const ADMIN: u32 = 1 << 13;
    pub const FAST: u32 = 1 << 14;
    pub const SLOW: u32 = 1 << 15;
    pub const BLOCKING: u32 = 1 << 16;
    pub const DANGEROUS: u32 = 1 << 17;
    pub const CONNECTION: u32 = 1 << 18;
    pub const TRANSACTION: u32 = 1 << 19;
    pub const SCRIPTING: u32 = 1 << 20;

    pub const NAMES: &[&str] = &[
        "keyspace",
        "read",
        "write",
        "set",
        "sortedset",
        "list",
        "hash",
        "string",
        "bitmap",
        "hyperloglog",
        "geo",
        "stream",
        "pubsub",
        "admin",
        "fast",
        "slow",
        "blocking",
        "dangerous",
        "connection",
        "transaction",
        "scripting",
    ];
}

/// A Redis 7 key spec of the `index` + `range` kind: keys start at argument `index`
/// and run to `lastkey` (relative to it; negative counts from the end) in `step`s.
/// With `keynum` set it is of the `index` + `keynum` kind instead (LMPOP, ZUNION...).
pub struct KeySpec {
    pub index: i32,
    pub lastkey: i32,
    pub step: i32,
    pub flags: &'static str,
    pub notes: &'static str,
    /// For a `keynum` spec (the key count is an argument, as in SINTERCARD or
    /// ZUNION 2 a b): (keynumidx, firstkey, keystep), relative to `index`;
    /// `lastkey`/`step` unused.
    pub keynum: Option<(i32, i32, i32)>,
    /// A spec of the `unknown` kind (SORT's BY/GET/STORE keys): Redis cannot say
    /// where these keys are; they contribute no positions.
    pub unknown: bool,
    /// For a spec whose keys begin after a keyword (GEORADIUS's STORE key):
    /// (keyword, startfrom), replacing `index`. The keyword is looked for from
    /// argument `startfrom` on (from the end backwards if negative).
    pub keyword: Option<(&'static str, i32)>,
    /// For a keyword spec whose keys are followed by as many other arguments
    /// (XREAD's STREAMS keys then ids): the range is cut to 1/`limit` of what
    /// follows the keyword. 0 or 1: no cut.
    pub limit: i32,
}

impl KeySpec {
    /// A spec of the `index` + `range` kind: keys from argument `index` to `lastkey`
    /// (negative: from the end), every `step`. The other constructors start from it.
    pub const fn new(index: i32, lastkey: i32, step: i32, flags: &'static str) -> KeySpec {
        KeySpec {
            index,
            lastkey,
            step,
            flags,
            notes: "",
            keynum: None,
            unknown: false,
            keyword: None,
            limit: 0,
        }
    }
    /// A spec whose keys are counted by the argument at `index + keynumidx`.
    pub const fn keynum(
        index: i32,
        keynumidx: i32,
        firstkey: i32,
        keystep: i32,
        flags: &'static str,
    ) -> KeySpec {
        KeySpec {
            keynum: Some((keynumidx, firstkey, keystep)),
            ..KeySpec::new(index, 0, 0, flags)
        }
    }
    /// A spec whose begin_search and find_keys are both `unknown`.
    pub const fn unknown(flags: &'static str) -> KeySpec {
        KeySpec {
            unknown: true,
            ..KeySpec::new(0, 0, 0, flags)
        }
    }
    /// A spec of the `keyword` + `range` kind: the keys follow `keyword`, found from
    /// argument `startfrom` on; `lastkey`/`step` as in [`KeySpec::new`].
    pub const fn keyword(
        keyword: &'static str,
        startfrom: i32,
        lastkey: i32,
        step: i32,
        flags: &'static str,
    ) -> KeySpec {
        KeySpec {
            keyword: Some((keyword, startfrom)),
            ..KeySpec::new(0, lastkey, step, flags)
        }
    }
    /// Positions of this spec's keys in `argv`; None when a keynum count is not a
    /// positive integer or the keys it announces overrun the arguments.
    pub fn positions(&self, argv: &[Vec<u8>]) -> Option<Vec<usize>> {
        if self.unknown {
            return Some(Vec::new());
        }
        if let Some((keynumidx, firstkey, step)) = self.keynum {
            let numidx = usize::try_from(self.index + keynumidx).ok()?;
            let n = crate::util::num::parse_i64(argv.get(numidx)?)?;
            let n = usize::try_from(n).ok().filter(|&n| n > 0)?;
            let first = usize::try_from(self.index + firstkey).ok()?;
            let step = usize::try_from(step).ok()?.max(1);
            let keys: Vec<usize> = (0..n).map(|k| first + k * step).collect();
            return keys.iter().all(|&k| k < argv.len()).then_some(keys);
        }
        let argc = argv.len() as i32;
        let mut index = self.index;
        if let Some((word, startfrom)) = self.keyword {
            // As Redis searches: the last argument is never taken for the keyword
            // (searching forward), nor argument 0; not found means no keys.
            let (start, end) = if startfrom > 0 {
                (startfrom, argc - 1)
            } else {
                (argc + startfrom, 0)
            };
            let mut i = start;
            let found = loop {
                if i == end || i >= argc || i < 1 {
                    break None;
                }
                if argv[i as usize].eq_ignore_ascii_case(word.as_bytes()) {
                    break Some(i + 1);
                }
                i += if start <= end { 1 } else { -1 };
            };
            match found {
                Some(first) => index = first,
                None => return Some(Vec::new()),
            }
        }
        let last = if self.lastkey >= 0 {
            index + self.lastkey
        } else if self.limit > 1 {
            index + (argc - index) / self.limit + self.lastkey
        } else {
            argc + self.lastkey
        };
        let mut out = Vec::new();
        let mut i = index;
        while i <= last && i < argc {
            out.push(i as usize);
            i += self.step.max(1);
        }
        Some(out)
    }

    pub const fn notes(mut self, notes: &'static str) -> KeySpec {
        self.notes = notes;
        self
    }

    /// Sets the range's `limit` (see the field).
    pub const fn limit(mut self, limit: i32) -> KeySpec {
        self.limit = limit;
        self
    }
}

/// One row of the command table.
pub struct Command {
    /// Lower-case name (for a subcommand, the part after the '|').
    pub name: &'static str,
    pub handler: Handler,
    /// N = exactly N arguments counting the name; -N = at least N.
    pub arity: i32,
    pub flags: u32,
    pub acl: u32,
    /// Key positions: first, last (negative counts from the end), step. 0 = no keys.
    pub first_key: i32,
    pub last_key: i32,
    pub key_step: i32,
    /// Flags of the key spec, as COMMAND INFO shows them (e.g. "RW access update").
    pub key_flags: &'static str,
    /// Key specs, when the single range spec derived from the key positions is not
    /// what Redis reports (commands whose keys play different roles).
    pub key_specs: &'static [KeySpec],
    pub group: &'static str,
    pub since: &'static str,
    pub summary: &'static str,
    pub complexity: &'static str,
    pub subcommands: &'static [Command],
    /// Hints for cluster clients and proxies (COMMAND INFO "tips").
    pub tips: &'static [&'static str],
    /// Key finder used instead of the key specs (COMMAND GETKEYS, WATCH touches).
    pub getkeys: Option<GetKeys>,
}

impl Command {
    pub const fn new(name: &'static str, arity: i32, handler: Handler) -> Command {
        Command {
            name,
            handler,
            arity,
            flags: 0,
            acl: 0,
            first_key: 0,
            last_key: 0,
            key_step: 0,
            key_flags: "",
            key_specs: &[],
            group: "",
            since: "1.0.0",
            summary: "",
            complexity: "O(1)",
            subcommands: &[],
            tips: &[],
            getkeys: None,
        }
    }
    pub const fn getkeys(mut self, f: GetKeys) -> Command {
        self.getkeys = Some(f);
        self
    }
    pub const fn tips(mut self, tips: &'static [&'static str]) -> Command {
        self.tips = tips;
        self
    }
    pub const fn flags(mut self, flags: u32) -> Command {
        self.flags = flags;
        self
    }
    pub const fn acl(mut self, acl: u32) -> Command {
        self.acl = acl;
        self
    }
    /// Key positions and the key spec flags.
    pub const fn keys(
        mut self,
        first: i32,
        last: i32,
        step: i32,
        key_flags: &'static str,
    ) -> Command {
        self.first_key = first;
        self.last_key = last;
        self.key_step = step;
        self.key_flags = key_flags;
        self
    }
    pub const fn key_specs(mut self, specs: &'static [KeySpec]) -> Command {
        self.key_specs = specs;
        self
    }
    pub const fn doc(
        mut self,
        group: &'static str,
        since: &'static str,
        summary: &'static str,
        complexity: &'static str,
    ) -> Command {
        self.group = group;
        self.since = since;
        self.summary = summary;
        self.complexity = complexity;
        self
    }
    pub const fn subcommands(mut self, subs: &'static [Command]) -> Command {
        self.subcommands = subs;
        self
    }

    /// ACL categories including the ones implied by the flags.
    pub fn acl_categories(&self) -> u32 {
        let mut a = self.acl;
        if self.flags & flag::WRITE != 0 {
            a |= acl::WRITE;
        }
        if self.flags & flag::READONLY != 0 && self.acl & acl::SCRIPTING == 0 {
            a |= acl::READ;
        }
        if self.flags & flag::ADMIN != 0 {
            a |= acl::ADMIN | acl::DANGEROUS;
        }
        if self.flags & flag::PUBSUB != 0 {
            a |= acl::PUBSUB;
        }
        if self.flags & flag::FAST != 0 {
            a |= acl::FAST;
        }
        if self.flags & flag::BLOCKING != 0 {
            a |= acl::BLOCKING;
        }
        if a & acl::FAST == 0 {
            a |= acl::SLOW;
        }
        a
    }

    /// Positions of the keys a write may modify: those of key specs that are not
    /// read-only (COPY's source, BITOP's sources... are only read).
    pub fn written_key_positions(&self, argv: &[Vec<u8>]) -> Vec<usize> {
        if let Some(f) = self.getkeys {
            return f(argv)
                .into_iter()
                .filter(|(_, flags)| !flags.starts_with("RO"))
                .map(|(p, _)| p)
                .collect();
        }
        if self.key_specs.is_empty() {
            return self.key_positions(argv.len());
        }
        self.key_specs
            .iter()
            .filter(|s| !s.flags.starts_with("RO"))
            .filter_map(|s| s.positions(argv))
            .flatten()
            .collect()
    }

    /// Positions of every key in `argv`: from the command's own key finder, else
    /// its key specs (keyword and keynum kinds included, as XREAD's), else the
    /// first/last/step triple.
    pub fn all_key_positions(&self, argv: &[Vec<u8>]) -> Vec<usize> {
        if let Some(f) = self.getkeys {
            return f(argv).into_iter().map(|(p, _)| p).collect();
        }
        if self.key_specs.is_empty() {
            return self.key_positions(argv.len());
        }
        self.key_specs
            .iter()
            .filter_map(|s| s.positions(argv))
            .flatten()
            .collect()
    }

    /// Positions of the keys in `argv` (as COMMAND GETKEYS reports them).
    pub fn key_positions(&self, argc: usize) -> Vec<usize> {
        if self.first_key <= 0 {
            return Vec::new();
        }
        let last = if self.last_key < 0 {
            argc as i32 + self.last_key
        } else {
            self.last_key
        };
        let mut out = Vec::new();
        let mut i = self.first_key;
        while i <= last && (i as usize) < argc {
            out.push(i as usize);
            i += self.key_step.max(1);
        }
        out
    }
}

/// Calls, time and errors of one command, for INFO commandstats.
#[derive(Default, Clone)]
pub struct CmdStats {
    pub calls: u64,
    pub usec: u64,
    pub rejected: u64,
    pub failed: u64,
    /// Call durations in ns (INFO latencystats), allocated on first use.
    pub latency: Option<Box<crate::util::histogram::Histogram>>,
}

pub struct RegEntry {
    pub cmd: &'static Command,
    /// "get", or "config|get" for subcommands.
    pub fullname: String,
    pub stats: CmdStats,
}

/// The command table, indexed by lower-case name, with per-command statistics.
pub struct Registry {
    pub entries: Vec<RegEntry>,
    top: NameMap,
    subs: NameMap,
}

/// Every family's command table.
pub fn all_tables() -> &'static [&'static [Command]] {
    &[
        blocking::COMMANDS,
        slowlog::COMMANDS,
        latency::COMMANDS,
        pubsub::COMMANDS,
        transactions::COMMANDS,
        strings::COMMANDS,
        lists::COMMANDS,
        sets::COMMANDS,
        hashes::COMMANDS,
        zsets::COMMANDS,
        streams::COMMANDS,
        stream_groups::COMMANDS,
        geo::COMMANDS,
        sort::COMMANDS,
        bitmaps::COMMANDS,
        hll::COMMANDS,
        keys::COMMANDS,
        connection::COMMANDS,
        server::COMMANDS,
        introspect::COMMANDS,
    ]
}

impl Registry {
    pub fn new() -> Registry {
        let mut r = Registry {
            entries: Vec::new(),
            top: NameMap::default(),
            subs: NameMap::default(),
        };
        for table in all_tables().iter().copied() {
            for cmd in table {
                r.top.insert(cmd.name.as_bytes().to_vec(), r.entries.len());
                r.entries.push(RegEntry {
                    cmd,
                    fullname: cmd.name.to_string(),
                    stats: CmdStats::default(),
                });
                for sub in cmd.subcommands {
                    let full = format!("{}|{}", cmd.name, sub.name);
                    r.subs.insert(full.as_bytes().to_vec(), r.entries.len());
                    r.entries.push(RegEntry {
                        cmd: sub,
                        fullname: full,
                        stats: CmdStats::default(),
                    });
                }
            }
        }
        r
    }

    pub fn find(&self, name: &[u8]) -> Option<usize> {
        let mut buf = [0u8; 64];
        let lower = crate::util::ascii_lower(name, &mut buf)?;
        self.top.get(lower).copied()
    }

    pub fn find_sub(&self, parent: usize, sub: &[u8]) -> Option<usize> {
        let mut key = self.entries[parent].cmd.name.as_bytes().to_vec();
        key.push(b'|');
        key.extend(sub.iter().map(|b| b.to_ascii_lowercase()));
        self.subs.get(&key).copied()
    }

    /// Top-level commands, in table order.
    pub fn top_level(&self) -> impl Iterator<Item = &RegEntry> {
        self.entries.iter().filter(|e| !e.fullname.contains('|'))
    }
}

impl Default for Registry {
    fn default() -> Self {
        Registry::new()
    }
}

/// The `T` under `key` for reading, as Redis's lookupKeyRead (counts a keyspace hit
/// or miss, refreshes the access time): Ok(None) if absent, WRONGTYPE for another type.
pub(crate) fn read_typed<'a, T: Typed>(
    core: &'a mut Core,
    db: usize,
    key: &[u8],
) -> Result<Option<&'a T>, CmdError> {
    match core.lookup_read(db, key) {
        None => Ok(None),
        Some(e) => T::of(&e.value).map(Some).ok_or(CmdError::WrongType),
    }
}

/// [`read_typed`] for the commands that change what they read (XREADGROUP moves
/// entries into a group's pending list).
pub(crate) fn read_typed_mut<'a, T: Typed>(
    core: &'a mut Core,
    db: usize,
    key: &[u8],
) -> Result<Option<&'a mut T>, CmdError> {
    // Changed through entry_at, so a background save copies it first.
    let Some(e) = core
        .lookup_read_slot(db, key)
        .and_then(|slot| core.dbs[db].entry_at(slot))
    else {
        return Ok(None);
    };
    T::of_mut(&mut e.value).map(Some).ok_or(CmdError::WrongType)
}

/// The `T` under `key` for writing (lazy expiry applied, no hit/miss counted):
/// Ok(None) if absent, WRONGTYPE for another type. With `touch`, refreshes the
/// key's access time as Redis's lookupKeyWrite does.
pub(crate) fn write_typed<'a, T: Typed>(
    core: &'a mut Core,
    db: usize,
    key: &[u8],
    touch: bool,
) -> Result<Option<&'a mut T>, CmdError> {
    let (now, clock) = (core.now_ms, core.lru_clock());
    let db = &mut core.dbs[db];
    let Some(entry) = db.lookup(key, now).and_then(|slot| db.entry_at(slot)) else {
        return Ok(None);
    };
    if touch {
        entry.access = clock;
    }
    T::of_mut(&mut entry.value)
        .map(Some)
        .ok_or(CmdError::WrongType)
}

pub use crate::server::propagate::Part;

/// What a handler works with: the server core, the calling client, the arguments.
pub struct Ctx<'a> {
    pub core: &'a mut Core,
    pub client: &'a mut Client,
    /// The arguments, name included. Handlers may take values out of it (no copy).
    pub argv: Vec<Vec<u8>>,
}

impl Ctx<'_> {
    pub fn out(&mut self) -> &mut ReplyBuf {
        &mut self.client.out
    }

    pub fn arg(&self, i: usize) -> &[u8] {
        self.argv.get(i).map(|a| a.as_slice()).unwrap_or(&[])
    }

    pub fn argc(&self) -> usize {
        self.argv.len()
    }

    /// Moves argument `i` out of the argument list.
    pub fn take_arg(&mut self, i: usize) -> Vec<u8> {
        self.argv.get_mut(i).map(std::mem::take).unwrap_or_default()
    }

    pub fn now(&self) -> i64 {
        self.core.now_ms
    }

    /// The client's selected database.
    pub fn db(&mut self) -> &mut Db {
        &mut self.core.dbs[self.client.db]
    }

    /// A live key's entry in the selected database (lazy expiry applied), counting hits/misses.
    pub fn lookup_read(&mut self, key_arg: usize) -> Option<&Entry> {
        let key = self.argv.get(key_arg).map(|k| k.as_slice()).unwrap_or(&[]);
        self.core.lookup_read(self.client.db, key)
    }

    /// The `T` at key argument `key_arg` for reading (see [`read_typed`]).
    pub(crate) fn read_arg<T: Typed>(&mut self, key_arg: usize) -> Result<Option<&T>, CmdError> {
        let key = self.argv.get(key_arg).map(|k| k.as_slice()).unwrap_or(&[]);
        read_typed(self.core, self.client.db, key)
    }

    /// The `T` at key argument `key_arg` for writing, access time left alone (see
    /// [`write_typed`]).
    pub(crate) fn write_arg<T: Typed>(
        &mut self,
        key_arg: usize,
    ) -> Result<Option<&mut T>, CmdError> {
        let key = self.argv.get(key_arg).map(|k| k.as_slice()).unwrap_or(&[]);
        write_typed(self.core, self.client.db, key, false)
    }

    /// A live key's slot in the selected database for writing (lazy expiry applied).
    pub fn lookup_write(&mut self, key_arg: usize) -> Option<usize> {
        let now = self.core.now_ms;
        let key = self.argv.get(key_arg).map(|k| k.as_slice()).unwrap_or(&[]);
        self.core.dbs[self.client.db].lookup(key, now)
    }

    pub fn parse_i64(&self, i: usize) -> Result<i64, CmdError> {
        num::parse_i64(self.arg(i)).ok_or(CmdError::NotInteger)
    }

    pub fn parse_f64(&self, i: usize) -> Result<f64, CmdError> {
        num::parse_f64(self.arg(i)).ok_or(CmdError::NotFloat)
    }

    /// Parses LMPOP/ZMPOP-style arguments from `at`: `numkeys key [key ...] A|B
    /// [COUNT count]`, where `words` are (A, B). Returns the key argument range,
    /// whether A was given, and the count (1 by default), with Redis's errors.
    pub fn parse_mpop(
        &self,
        at: usize,
        words: (&str, &str),
    ) -> Result<(std::ops::Range<usize>, bool, usize), CmdError> {
        let positive = |i: usize, msg: &'static str| match num::parse_i64(self.arg(i)) {
            Some(n) if n > 0 => Ok(n as usize),
            _ => Err(CmdError::msg(msg)),
        };
        let numkeys = positive(at, "ERR numkeys should be greater than 0")?;
        if numkeys > self.argc().saturating_sub(at + 2) {
            return Err(CmdError::Syntax);
        }
        let where_idx = at + 1 + numkeys;
        let first = if self.is(where_idx, words.0) {
            true
        } else if self.is(where_idx, words.1) {
            false
        } else {
            return Err(CmdError::Syntax);
        };
        let mut count = None;
        let mut j = where_idx + 1;
        while j < self.argc() {
            if count.is_none() && self.is(j, "count") && j + 1 < self.argc() {
                count = Some(positive(j + 1, "ERR count should be greater than 0")?);
                j += 2;
            } else {
                return Err(CmdError::Syntax);
            }
        }
        Ok((at + 1..where_idx, first, count.unwrap_or(1)))
    }

    /// The error Redis gives for a subcommand called with bad arguments.
    pub fn subcommand_syntax(&self) -> CmdError {
        CmdError::SubcommandSyntax {
            sub: String::from_utf8_lossy(self.arg(1)).into_owned(),
            cmd: String::from_utf8_lossy(self.arg(0)).to_uppercase(),
        }
    }

    /// True if argument `i` equals `word`, ignoring ASCII case.
    pub fn is(&self, i: usize, word: &str) -> bool {
        self.arg(i).eq_ignore_ascii_case(word.as_bytes())
    }

    /// Counts a write for persistence (Redis's server.dirty).
    pub fn dirty(&mut self, n: u64) {
        self.core.dirty += n;
    }

    /// Propagates this command as `parts` (arguments of the original command or
    /// new bytes) instead of as it was sent: the deterministic form of its effect.
    pub fn propagate_as(&mut self, parts: &[Part]) {
        self.core.prop.rewrite(parts);
    }

    /// Propagates this command with its arguments as they are now (edited in place).
    pub fn propagate_argv(&mut self) {
        self.core.prop.rewrite_argv(&self.argv);
    }

    /// Propagates one more command, in the selected database, before this one
    /// (which may then be skipped with [`Ctx::propagate_none`]).
    pub fn propagate_op(&mut self, args: &[&[u8]]) {
        self.core.prop.op(self.client.db, args);
    }

    /// This command itself is not propagated (it changed nothing a replay needs,
    /// or it propagated its effect with [`Ctx::propagate_op`]).
    pub fn propagate_none(&mut self) {
        self.core.prop.skip_command();
    }

    /// This command is propagated even if it changed nothing (FLUSHALL).
    pub fn propagate_always(&mut self) {
        self.core.prop.force_command();
    }

    /// Names a key this command changed, for commands whose key specs name more
    /// keys than they change (a pop from the first non-empty of several keys, DEL
    /// of keys that may not exist): WATCH, client tracking and blocked clients
    /// then hear of these keys only, as in Redis.
    pub fn modified(&mut self, key: &[u8]) {
        self.core.note_modified(key);
    }

    /// Whether propagation is on (to skip preparing rewrites otherwise).
    pub fn propagating(&self) -> bool {
        self.core.prop.active
    }
}

/// The string value of a key, or a WRONGTYPE error for other types.
pub fn as_string(value: &Value) -> Result<std::borrow::Cow<'_, [u8]>, CmdError> {
    value.string_bytes().ok_or(CmdError::WrongType)
}

const MISCONF: &str = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";

/// Whether a client's queued transaction holds a write command.
fn multi_writes(client: &Client) -> bool {
    client.multi.as_ref().is_some_and(|m| m.writes)
}

/// Runs one command from a client: lookup, arity, auth, handler, statistics.
/// Returns the argument vector so its allocation can be reused for the next command.
pub fn execute(core: &mut Core, client: &mut Client, argv: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let Some(mut idx) = core.registry.find(&argv[0]) else {
        let mut args = String::new();
        for a in argv.iter().skip(1) {
            if args.len() >= 128 {
                break;
            }
            let room = 128 - args.len();
            let text = String::from_utf8_lossy(a);
            let cut: String = text.chars().take(room).collect();
            args.push_str(&format!("'{cut}' "));
        }
        let name: String = String::from_utf8_lossy(&argv[0])
            .chars()
            .take(128)
            .collect();
        reject(
            core,
            client,
            None,
            &format!("ERR unknown command '{name}', with args beginning with: {args}"),
        );
        return argv;
    };
    let top = core.registry.entries[idx].cmd;
    if !top.subcommands.is_empty() && argv.len() >= 2 {
        match core.registry.find_sub(idx, &argv[1]) {
            Some(sub) => idx = sub,
            None => {
                let sub: String = String::from_utf8_lossy(&argv[1])
                    .chars()
                    .take(128)
                    .collect();
                let msg = CmdError::UnknownSubcommand {
                    sub,
                    cmd: top.name.to_uppercase(),
                }
                .message();
                reject(core, client, Some(idx), &msg);
                return argv;
            }
        }
    }
    let cmd = core.registry.entries[idx].cmd;
    let argc = argv.len() as i32;
    if (cmd.arity > 0 && argc != cmd.arity) || argc < -cmd.arity {
        let name = core.registry.entries[idx].fullname.clone();
        reject(core, client, Some(idx), &CmdError::Arity(name).message());
        return argv;
    }
    if !client.authenticated && cmd.flags & flag::NO_AUTH == 0 {
        reject(core, client, Some(idx), &CmdError::NoAuth.message());
        return argv;
    }
    if client.subs.total() > 0
        && !client.out.is_resp3()
        && !pubsub::allowed_while_subscribed(cmd.name)
    {
        let msg = pubsub::subscribed_error(&core.registry.entries[idx].fullname);
        reject(core, client, Some(idx), &msg);
        return argv;
    }
    // The last background save failed and save rules are set: with
    // stop-writes-on-bgsave-error, writes (and PING) are refused until one succeeds.
    // (Commands replayed from the AOF are never refused nor delayed.)
    let writes = !client.obey
        && (cmd.flags & flag::WRITE != 0
            || cmd.name == "ping"
            || (cmd.name == "exec" && multi_writes(client)));
    if writes && crate::persistence::snapshot::writes_refused(core) {
        reject(core, client, Some(idx), MISCONF);
        return argv;
    }
    if writes {
        if let Some(msg) = crate::persistence::aof::write_refusal(core) {
            reject(core, client, Some(idx), &msg);
            return argv;
        }
    }
    // CLIENT PAUSE: the command waits (queued in arrival order) for the pause to end.
    if !client.obey
        && core.blocking.must_postpone(pause_flags(core, client, cmd))
        && !core.blocking.retrying
    {
        blocking::postpone(core, client, argv);
        return Vec::new();
    }
    if let Some(multi) = &mut client.multi {
        let name = cmd.name;
        let immediate = matches!(
            name,
            "exec" | "discard" | "multi" | "watch" | "quit" | "reset"
        ) && core.registry.entries[idx].fullname == name;
        if !immediate {
            if cmd.flags & flag::NO_MULTI != 0 {
                reject(
                    core,
                    client,
                    Some(idx),
                    "ERR Command not allowed inside a transaction",
                );
                return argv;
            }
            multi.writes |= cmd.flags & flag::WRITE != 0;
            multi.queued.push(argv);
            client.out.status("QUEUED");
            return Vec::new();
        }
    }
    client.last_cmd = idx;
    let dirty_before = core.dirty;
    // Keys a write may modify, kept only while someone WATCHes (handlers may move
    // arguments out of argv).
    let watching =
        !core.watched_keys.is_empty() || core.blocking.has_waiters() || core.tracking.active();
    let touched: Vec<Vec<u8>> = if cmd.flags & flag::WRITE != 0 && watching {
        cmd.written_key_positions(&argv)
            .into_iter()
            .filter_map(|p| argv.get(p).cloned())
            .collect()
    } else {
        Vec::new()
    };
    // What slowlog and MONITOR show: the arguments as sent (handlers may move them).
    // (Not the AOF's replay: it is not a client's command.)
    let logged = !client.obey
        && (cmd.flags & flag::SKIP_SLOWLOG == 0 && core.config.slowlog_log_slower_than >= 0
            || (cmd.flags & (flag::SKIP_MONITOR | flag::ADMIN) == 0 && !core.monitors.is_empty()));
    let original = if logged { argv.clone() } else { Vec::new() };
    // Keys a tracking client reads are remembered after the command.
    let read_keys: Vec<Vec<u8>> = if client.tracking.is_some() && cmd.flags & flag::READONLY != 0 {
        cmd.all_key_positions(&argv)
            .into_iter()
            .filter_map(|p| argv.get(p).cloned())
            .collect()
    } else {
        Vec::new()
    };
    let reply_mark = client.out.len();
    let reply_mode = client.reply_mode;
    core.no_touch = client.no_touch && cmd.name != "touch";
    let start = crate::util::clock::start();
    let propagating = core.prop.active && cmd.flags & (flag::WRITE | flag::MAY_REPLICATE) != 0;
    if propagating {
        core.prop.begin(&argv);
    }
    core.modified = watching.then_some(None);
    let mut ctx = Ctx { core, client, argv };
    let result = (cmd.handler)(&mut ctx);
    let argv = ctx.argv;
    // A command that named the keys it changed is taken at its word.
    let touched = match core.modified.take() {
        Some(Some(keys)) => keys,
        _ => touched,
    };
    if core.prop.active {
        // Keys that expired during the command come first, then the command.
        core.prop
            .expired(&mut core.dbs, core.config.lazyfree_lazy_expire, false);
        if propagating {
            core.prop.end_command(client.db, core.dirty != dirty_before);
        }
        if core.exec_depth == 0 {
            core.prop.commit();
        }
    }
    if core.dirty != dirty_before && !std::mem::take(&mut core.quiet_write) {
        let db = client.db;
        for key in &touched {
            transactions::touch_key(core, Some(&mut *client), db, key);
            core.blocking.signal_key(db, key);
        }
        tracking::invalidate(core, Some(&mut *client), &touched);
    }
    if client.tracking.is_some() && cmd.name != "caching" {
        if result.is_ok() && !read_keys.is_empty() {
            let keys: Vec<&[u8]> = read_keys.iter().map(|k| k.as_slice()).collect();
            tracking::remember_reads(core, client, &keys);
        } else {
            tracking::end_command(client);
        }
    }
    // Clients blocked on keys this command wrote are served right after it (after
    // the whole transaction inside EXEC, and not from within a retried command).
    // (Not while the AOF is replayed: the data is not the live dataset yet.)
    if core.blocking.has_ready() && core.exec_depth == 0 && !core.blocking.retrying && !client.obey
    {
        blocking::serve_ready(core, client);
    }
    if transactions::key_logs_on(core) {
        transactions::flush_key_logs(core, Some(&mut *client));
    }
    if client.obey {
        // Replayed from the AOF: no statistics, slowlog or MONITOR, as in Redis.
        return argv;
    }
    // A blocking command counts once, when it first runs: not again each time
    // it is re-run for a wake-up.
    let counted = !core.blocking.retrying;
    let elapsed_ns = crate::util::clock::elapsed_ns(start);
    if counted {
        core.stats.commands_processed += 1;
        let track_latency = core.config.latency_tracking;
        let stats = &mut core.registry.entries[idx].stats;
        stats.calls += 1;
        stats.usec += elapsed_ns / 1000;
        if track_latency {
            stats
                .latency
                .get_or_insert_with(Default::default)
                .record(elapsed_ns);
        }
        latency::record_command(core, cmd.flags, elapsed_ns);
    }
    let final_error = std::mem::take(&mut core.blocking.final_error);
    if result.is_err() && core.blocking.retrying && !final_error {
        // A woken blocked command that now fails (the key changed type) keeps
        // waiting, as Redis only wakes clients for writes of the type they want.
        core.blocking.not_served = true;
        return argv;
    }
    if let Err(e) = result {
        core.registry.entries[idx].stats.failed += 1;
        let msg = e.message();
        count_error(core, &msg);
        client.out.error(&msg);
    }
    // (The threshold may have just changed, as with CONFIG SET: then the arguments
    // were not saved, and what is left of argv is shown.)
    let shown = if logged { &original } else { &argv };
    // A command that blocked is logged when it is served (if ever), as in Redis.
    let ended = if core.blocking.retrying {
        !core.blocking.not_served
    } else {
        client.blocked.is_none()
    };
    if ended && cmd.flags & flag::SKIP_SLOWLOG == 0 {
        slowlog::record(core, client, shown, elapsed_ns / 1000);
    }
    if counted
        && logged
        && cmd.flags & (flag::SKIP_MONITOR | flag::ADMIN) == 0
        && !core.monitors.is_empty()
    {
        slowlog::feed_monitors(core, client, shown);
    }
    tracking::flush_own(client);
    // CLIENT REPLY OFF/SKIP: drop this command's reply (CLIENT REPLY itself decides
    // about its own reply).
    if reply_mode != ReplyMode::On && core.registry.entries[idx].fullname != "client|reply" {
        client.out.buf.truncate(reply_mark.max(client.out_pos));
        // A command that blocked skips the reply it gets when it ends.
        if reply_mode == ReplyMode::SkipNext && ended {
            client.reply_mode = ReplyMode::On;
        }
    }
    argv
}

/// The flags that decide whether a command waits for a WRITE pause: EXEC counts as a
/// write when its transaction holds one.
fn pause_flags(core: &Core, client: &Client, cmd: &Command) -> u32 {
    if cmd.name != "exec" {
        return cmd.flags;
    }
    let Some(multi) = &client.multi else {
        return cmd.flags;
    };
    multi
        .queued
        .iter()
        .filter_map(|argv| argv.first().and_then(|name| core.registry.find(name)))
        .fold(cmd.flags, |f, i| f | core.registry.entries[i].cmd.flags)
}

fn reject(core: &mut Core, client: &mut Client, idx: Option<usize>, msg: &str) {
    // A command refused while queueing a transaction makes EXEC fail (EXECABORT).
    if let Some(multi) = &mut client.multi {
        multi.aborted = true;
    }
    if let Some(i) = idx {
        core.registry.entries[i].stats.rejected += 1;
    }
    count_error(core, msg);
    client.out.error(msg);
}

/// Counts an error reply in INFO errorstats, by its first word (the error code).
pub fn count_error(core: &mut Core, msg: &str) {
    core.stats.error_replies += 1;
    let code = msg.split(' ').next().unwrap_or("ERR");
    match core.stats.errors.get_mut(code) {
        Some(n) => *n += 1,
        None => {
            if core.stats.errors.len() < 128 {
                core.stats.errors.insert(code.to_string(), 1);
            }
        }
    }
}
