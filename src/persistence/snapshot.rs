//! Writing the dataset to `dump.rdb` and reading it back at startup.

use super::rdb::decode::{self, Decoder, LoadedKey};
use super::rdb::encode::Encoder;
use crate::keyspace::{Db, NO_EXPIRE};
use crate::server::Core;
use crate::util::alloc;
use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};

/// Flush the encoder to the file once it holds this much.
const CHUNK: usize = 1 << 20;

/// The aux fields Redis 7.0 writes at the top of a file (`aof_base`: the file is
/// the base of an AOF).
pub fn header(e: &mut Encoder, now_ms: i64, aof_base: bool) {
    e.magic();
    e.aux("redis-ver", crate::REDIS_VERSION.as_bytes());
    e.aux("redis-bits", b"64");
    e.aux("ctime", (now_ms / 1000).to_string().as_bytes());
    e.aux("used-mem", alloc::allocated().to_string().as_bytes());
    e.aux("aof-base", if aof_base { b"1" } else { b"0" });
}

/// Serializes every database into `out`, chunk by chunk, and returns the CRC64
/// of what was written (the EOF marker and checksum included).
pub fn write_all(
    dbs: &[Db],
    now_ms: i64,
    compress: bool,
    checksum: bool,
    out: &mut impl Write,
) -> io::Result<()> {
    write_all_as(dbs, now_ms, compress, checksum, false, out)
}

/// The dataset as an RDB image, as configured (`aof_base`: for an AOF's base).
pub fn write_image(core: &Core, aof_base: bool, out: &mut impl Write) -> io::Result<()> {
    write_all_as(
        &core.dbs,
        core.now_ms,
        core.config.rdbcompression,
        core.config.rdbchecksum,
        aof_base,
        out,
    )
}

fn write_all_as(
    dbs: &[Db],
    now_ms: i64,
    compress: bool,
    checksum: bool,
    aof_base: bool,
    out: &mut impl Write,
) -> io::Result<()> {
    let mut e = Encoder::new(compress);
    let mut crc = 0;
    header(&mut e, now_ms, aof_base);
    for (id, db) in dbs.iter().enumerate() {
        if db.is_empty() {
            continue;
        }
        e.select_db(id, db.len(), db.expires);
        for (_, slot) in db.dict.iter() {
            let entry = &slot.value;
            if entry.expire_at != NO_EXPIRE {
                e.expire_ms(entry.expire_at);
            }
            e.key_value(&slot.key, &entry.value);
            if e.buf.len() >= CHUNK {
                if checksum {
                    crc = super::rdb::crc64(crc, &e.buf);
                }
                out.write_all(&e.buf)?;
                e.buf.clear();
            }
        }
    }
    e.eof(crc, checksum);
    out.write_all(&e.buf)
}

/// The path of the configured dump file (relative to `dir`, the working directory).
pub fn dump_path(core: &Core) -> PathBuf {
    PathBuf::from(&core.config.dbfilename)
}

/// SAVE: writes the whole dataset to a temporary file, fsyncs it and renames it
/// over the dump file, so the dump file is always complete.
pub fn save(core: &mut Core) -> Result<(), String> {
    let tmp = PathBuf::from(format!("temp-{}.rdb", std::process::id()));
    let result = (|| -> io::Result<()> {
        let file = File::create(&tmp)?;
        let mut w = io::BufWriter::with_capacity(CHUNK, file);
        write_all(
            &core.dbs,
            core.now_ms,
            core.config.rdbcompression,
            core.config.rdbchecksum,
            &mut w,
        )?;
        let file = w.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, dump_path(core))
    })();
    match result {
        Ok(()) => {
            log::info!("DB saved on disk");
            core.dirty = 0;
            core.last_save_unix = core.now_ms / 1000;
            core.persistence.last_save_ok = true;
            core.persistence.saves += 1;
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            log::warn!("Failed saving the DB: {e}");
            core.persistence.last_save_ok = false;
            Err(e.to_string())
        }
    }
}

/// What a load found.
#[derive(Debug, Default)]
pub struct LoadInfo {
    pub keys: u64,
    pub expired: u64,
}

/// Loads `path` into the databases. Ok(None) when there is no file. Keys whose
/// deadline has passed are skipped, as a Redis master does. A key already present
/// is an error, unless `merge` (DEBUG RELOAD MERGE), where the file's value wins.
pub fn load(core: &mut Core, path: &Path, merge: bool) -> Result<Option<LoadInfo>, String> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("Fatal error loading the DB: {e}. Exiting.")),
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut d = Decoder::new(BufReader::with_capacity(CHUNK, file), size);
    match load_from(core, &mut d, merge) {
        Ok(info) => Ok(Some(info)),
        Err(e) => Err(format!(
            "Bad file format reading {}: {} (offset {})",
            path.display(),
            e.what,
            e.offset
        )),
    }
}

/// Loads an RDB image from `d` into the databases (see [`load`]).
pub fn load_from<R: io::Read>(
    core: &mut Core,
    d: &mut Decoder<R>,
    merge: bool,
) -> Result<LoadInfo, decode::Error> {
    let limits = decode::Limits::from_config(&core.config);
    let now = core.now_ms;
    let clock = core.lru_clock();
    let mut info = LoadInfo::default();
    let dbs = &mut core.dbs;
    let result = decode::load(
        d,
        &limits,
        |_, _| {},
        |k: LoadedKey| {
            let Some(db) = dbs.get_mut(k.db) else {
                return Err(decode::Error {
                    offset: 0,
                    what: format!(
                        "key in database {} but only {} databases are configured",
                        k.db,
                        dbs.len()
                    ),
                });
            };
            let expire_at = k.expire_ms.unwrap_or(NO_EXPIRE);
            // An AOF base keeps its expired keys (keys do not expire while an AOF
            // is replayed): later commands in the AOF may still change them.
            if expire_at <= now && !db.expiry_paused {
                info.expired += 1;
                return Ok(());
            }
            if merge {
                db.remove(&k.key);
            } else if db.dict.contains(&k.key) {
                return Err(decode::Error {
                    offset: 0,
                    what: format!(
                        "duplicated key '{}' in database {}",
                        String::from_utf8_lossy(&k.key),
                        k.db
                    ),
                });
            }
            let slot = db.add(k.key.into_boxed_slice(), k.value, clock);
            if expire_at != NO_EXPIRE {
                db.set_expire(slot, expire_at);
            }
            info.keys += 1;
            Ok(())
        },
    );
    match result {
        Ok(()) => {
            core.persistence.last_load_keys_loaded = info.keys;
            core.persistence.last_load_keys_expired = info.expired;
            Ok(info)
        }
        Err(e) => {
            // Errors raised by the sink carry no offset: use the decoder's.
            let offset = if e.offset == 0 { d.offset() } else { e.offset };
            Err(decode::Error {
                offset,
                what: e.what,
            })
        }
    }
}

// ---- Fork-free background save -------------------------------------------------------
//
// BGSAVE writes the dataset as it was when the command ran, without forking and
// without stopping the loop. Each database gets a `DbSnapshot`; the loop then
// walks its slots in order, a bounded slice per turn, serializing entries into
// chunks that a writer thread appends to a temporary file. Slots are stable (an
// entry never moves), so "already written" is simply "below the cursor", and:
//
// - before an entry at or above the cursor changes or disappears, its old value is
//   serialized on the spot (copy-before-write) into the database's `early` buffer
//   and its slot marked done, so the walk skips it;
// - a key created after the start, in a free slot at or above the cursor, is
//   marked done at birth; slots past `limit` did not exist at the start and are
//   never walked;
// - FLUSHDB hands its old table to the snapshot (`detached`), which finishes
//   walking it; SWAPDB moves databases and their snapshot state together, and
//   `id` keeps each section under the number it had at the start.

use crate::keyspace::dict::Dict;
use crate::keyspace::Entry;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// Per-database state of a background save in progress.
pub struct DbSnapshot {
    /// The database's number when the save started.
    pub id: usize,
    /// Slots below this are written.
    pub cursor: usize,
    /// The slot count at the start: slots from here on were born later.
    pub limit: usize,
    /// Slots in cursor..limit already handled (written early, or born later).
    done: Vec<u64>,
    /// Entries written before a change (copy-before-write), in chunks so the
    /// buffer never has to be moved as it grows.
    early: Encoder,
    early_chunks: Vec<Vec<u8>>,
    /// Keys and deadlines at the start (RESIZEDB hints).
    keys: usize,
    expires: usize,
    /// The table FLUSHDB took away during the save: the walk finishes over it.
    pub detached: Option<Dict<Entry>>,
    /// Entries are written as commands (an AOF base without RDB preamble).
    commands: bool,
}

impl DbSnapshot {
    fn new(id: usize, db: &Db, compress: bool, commands: bool) -> DbSnapshot {
        let limit = db.dict.slot_count();
        DbSnapshot {
            id,
            cursor: 0,
            limit,
            done: vec![0; limit.div_ceil(64)],
            early: Encoder::new(compress),
            early_chunks: Vec::new(),
            keys: db.len(),
            expires: db.expires,
            detached: None,
            commands,
        }
    }

    fn is_done(&self, slot: usize) -> bool {
        self.done[slot / 64] & (1 << (slot % 64)) != 0
    }

    fn mark_done(&mut self, slot: usize) {
        self.done[slot / 64] |= 1 << (slot % 64);
    }

    /// Whether the walk has yet to reach `slot` of the live table.
    fn pending(&self, slot: usize) -> bool {
        self.detached.is_none() && slot >= self.cursor && slot < self.limit && !self.is_done(slot)
    }

    /// Copy-before-write: the entry in `slot` is about to change or go away.
    pub fn before_change(&mut self, dict: &Dict<Entry>, slot: usize) {
        if !self.pending(slot) {
            return;
        }
        if let Some(s) = dict.slot(slot) {
            write_entry(&mut self.early, self.commands, &s.key, &s.value);
            if self.early.buf.len() >= CHUNK {
                let full = std::mem::take(&mut self.early.buf);
                self.early_chunks.push(full);
            }
        }
        self.mark_done(slot);
    }

    /// A key was created in `slot` after the start: it is not part of the image.
    pub fn born(&mut self, slot: usize) {
        if self.pending(slot) {
            self.mark_done(slot);
        }
    }

    /// FLUSHDB: the walk continues over the old table, which the snapshot now owns.
    pub fn detach(&mut self, old: Dict<Entry>) {
        self.detached = Some(old);
    }

    pub fn is_detached(&self) -> bool {
        self.detached.is_some()
    }
}

fn write_entry(e: &mut Encoder, commands: bool, key: &[u8], entry: &Entry) {
    if commands {
        super::aof::commands::entry(&mut e.buf, key, entry);
        return;
    }
    if entry.expire_at != NO_EXPIRE {
        e.expire_ms(entry.expire_at);
    }
    e.key_value(key, &entry.value);
}

/// With incremental fsync, the writer fsyncs after this many bytes (as Redis).
const INCREMENTAL_FSYNC_BYTES: usize = 4 << 20;

/// Lowers the calling thread's scheduling priority: when the machine's cores are
/// all busy, the event loop (serving clients) should win over the save's writer.
fn lower_priority() {
    // On Linux, PRIO_PROCESS with 0 applies to the calling thread only.
    // SAFETY: plain syscall wrapper, no memory is passed.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

/// Chunks in flight to the writer thread before the walk waits for it.
const CHUNKS_IN_FLIGHT: usize = 8;

/// What a background save writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The dump file.
    Rdb,
    /// A new AOF base named `name`, an RDB image or (`rdb` false) commands.
    AofBase { name: String, rdb: bool },
}

/// A background save in progress.
pub struct Bgsave {
    pub target: Target,
    /// The number of the database being walked.
    next_db: usize,
    /// Whether its SELECTDB has been written.
    db_started: bool,
    /// Whether the EOF marker and checksum are written (only handing over is left).
    ended: bool,
    out: Encoder,
    /// Chunks waiting for room in the writer's queue, in file order.
    queued: std::collections::VecDeque<Vec<u8>>,
    chunks: Option<mpsc::SyncSender<Vec<u8>>>,
    result: mpsc::Receiver<Result<(), String>>,
    /// Set when the save is abandoned: the writer then deletes its file.
    aborted: Arc<AtomicBool>,
    pub started: Instant,
    /// `dirty` at the start: what the save covers.
    pub dirty_at_start: u64,
    pub keys_total: u64,
    pub keys_done: u64,
    /// rdb-key-save-delay in microseconds (0: none), and slots walked so far.
    key_delay_us: u64,
    slots_done: u64,
}

/// Keys per walk step between clock checks.
const STEP_KEYS: usize = 64;

impl Bgsave {
    /// Starts a save of every database to `dest` (relative to the working
    /// directory): sets up the per-database state and the writer thread.
    pub fn start(core: &mut Core, dest: &Path, target: Target) -> Result<Bgsave, String> {
        let compress = core.config.rdbcompression;
        let commands = matches!(target, Target::AofBase { rdb: false, .. });
        // A name of its own (an abandoned save's thread may still be finishing),
        // and absolute paths: CONFIG SET dir during the save must not move them.
        static SAVES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = SAVES.fetch_add(1, Ordering::Relaxed);
        // (A working directory that was removed gives relative paths, and the
        // writer's open then fails, failing the save.)
        let cwd = std::env::current_dir().unwrap_or_default();
        let tmp = match target {
            Target::Rdb => cwd.join(format!("temp-bg-{}-{n}.rdb", std::process::id())),
            Target::AofBase { .. } => {
                cwd.join(format!("temp-rewriteaof-bg-{}-{n}.aof", std::process::id()))
            }
        };
        let dest = cwd.join(dest);
        let (tx, rx) = mpsc::sync_channel::<Vec<u8>>(CHUNKS_IN_FLIGHT);
        let (done_tx, done_rx) = mpsc::channel();
        // The CRC trailer of an RDB image (none after commands).
        let trailer = (!commands).then_some(core.config.rdbchecksum);
        // rdb-save-incremental-fsync / aof-rewrite-incremental-fsync.
        let incremental = match target {
            Target::Rdb => core.config.rdb_save_incremental_fsync,
            Target::AofBase { .. } => core.config.aof_rewrite_incremental_fsync,
        };
        let aborted = Arc::new(AtomicBool::new(false));
        let abort_seen = aborted.clone();
        std::thread::Builder::new()
            .name("bgsave".into())
            .spawn(move || {
                lower_priority();
                let r = write_chunks(rx, trailer, incremental, &abort_seen, &tmp, &dest);
                if r.is_err() {
                    let _ = std::fs::remove_file(&tmp);
                }
                let _ = done_tx.send(r);
            })
            .map_err(|e| format!("Can't start the background save thread: {e}"))?;
        let mut keys_total = 0;
        for (id, db) in core.dbs.iter_mut().enumerate() {
            keys_total += db.len() as u64;
            db.snapshot =
                (!db.is_empty()).then(|| Box::new(DbSnapshot::new(id, db, compress, commands)));
        }
        let mut out = Encoder::new(compress);
        if !commands {
            header(&mut out, core.now_ms, target != Target::Rdb);
        }
        Ok(Bgsave {
            target,
            next_db: 0,
            db_started: false,
            ended: false,
            out,
            queued: Default::default(),
            chunks: Some(tx),
            result: done_rx,
            aborted,
            started: Instant::now(),
            dirty_at_start: core.dirty,
            keys_total,
            keys_done: 0,
            key_delay_us: core.config.rdb_key_save_delay.max(0) as u64,
            slots_done: 0,
        })
    }

    /// Walks for up to `budget`. Returns true when the whole image has been
    /// handed to the writer.
    pub fn step(&mut self, dbs: &mut [Db], budget: Duration) -> bool {
        let end = Instant::now() + budget;
        while !self.ended {
            if self.chunks.is_none() {
                return false; // the writer failed
            }
            if !self.flush(false) {
                return false; // the writer is behind: let it catch up
            }
            if self.next_db >= dbs.len() {
                break;
            }
            let Some(db) = dbs
                .iter_mut()
                .find(|d| d.snapshot.as_ref().is_some_and(|s| s.id == self.next_db))
            else {
                self.next_db += 1;
                continue;
            };
            let Some(snap) = db.snapshot.as_mut() else {
                continue;
            };
            if !self.db_started {
                if snap.commands {
                    super::aof::commands::select(&mut self.out.buf, snap.id);
                } else {
                    self.out.select_db(snap.id, snap.keys, snap.expires);
                }
                self.db_started = true;
            }
            let table = snap.detached.as_ref().unwrap_or(&db.dict);
            let mut step = STEP_KEYS;
            // rdb-key-save-delay (a testing knob): walk no faster than one slot
            // per that many microseconds.
            let elapsed = self.started.elapsed().as_micros() as u64;
            if let Some(allowed) = elapsed.checked_div(self.key_delay_us) {
                step = step.min(allowed.saturating_sub(self.slots_done) as usize);
                if step == 0 {
                    return false;
                }
            }
            let stop = (snap.cursor + step).min(snap.limit);
            self.slots_done += (stop - snap.cursor) as u64;
            for slot in snap.cursor..stop {
                if snap.is_done(slot) {
                    continue;
                }
                if let Some(s) = table.slot(slot) {
                    write_entry(&mut self.out, snap.commands, &s.key, &s.value);
                    self.keys_done += 1;
                }
            }
            snap.cursor = stop;
            if snap.cursor >= snap.limit {
                // The walk is done; what was written early completes the section
                // (handed over as it is: it can be large, and is not copied).
                let current = std::mem::take(&mut self.out.buf);
                self.queued.push_back(current);
                self.queued.extend(snap.early_chunks.drain(..));
                self.queued.push_back(std::mem::take(&mut snap.early.buf));
                if let Some(snap) = db.snapshot.take() {
                    if let Some(old) = snap.detached {
                        crate::server::lazyfree::free(old);
                    }
                }
                self.next_db += 1;
                self.db_started = false;
            }
            if Instant::now() >= end {
                return false;
            }
        }
        if !self.ended {
            // The writer thread appends the checksum (it computes the CRC of
            // everything it writes, off the loop).
            if !matches!(self.target, Target::AofBase { rdb: false, .. }) {
                self.out.eof_marker();
            }
            self.ended = true;
        }
        if !self.flush(true) {
            return false;
        }
        self.chunks = None; // closing the channel tells the writer to finish
        true
    }

    /// Hands the current chunk to the writer when it is big enough (or `all`).
    /// False when the writer's queue is full.
    fn flush(&mut self, all: bool) -> bool {
        if self.out.buf.len() >= CHUNK || (all && !self.out.buf.is_empty()) {
            let chunk = std::mem::replace(&mut self.out.buf, Vec::with_capacity(CHUNK + CHUNK / 4));
            self.queued.push_back(chunk);
        }
        while let Some(chunk) = self.queued.pop_front() {
            if chunk.is_empty() {
                continue;
            }
            let Some(tx) = &self.chunks else {
                return false;
            };
            match tx.try_send(chunk) {
                Ok(()) => {}
                Err(mpsc::TrySendError::Full(chunk)) => {
                    self.queued.push_front(chunk);
                    return false;
                }
                // The writer failed and hung up (its result tells why): stop walking.
                Err(mpsc::TrySendError::Disconnected(_)) => {
                    self.chunks = None;
                    return false;
                }
            }
        }
        true
    }

    /// The name of the AOF base this save writes, if it is an AOF rewrite.
    pub fn aof_base(&self) -> Option<&str> {
        match &self.target {
            Target::AofBase { name, .. } => Some(name),
            Target::Rdb => None,
        }
    }

    /// The writer's result, once it has finished.
    pub fn finished(&self) -> Option<Result<(), String>> {
        match self.result.try_recv() {
            Ok(r) => Some(r),
            Err(mpsc::TryRecvError::Empty) => None,
            Err(mpsc::TryRecvError::Disconnected) => Some(Err("the save thread died".into())),
        }
    }
}

/// The writer thread: appends chunks until the channel closes, then fsyncs and
/// renames the file over the dump file.
fn write_chunks(
    rx: mpsc::Receiver<Vec<u8>>,
    trailer: Option<bool>,
    incremental_fsync: bool,
    aborted: &AtomicBool,
    tmp: &Path,
    dest: &Path,
) -> Result<(), String> {
    // Opened here, so a failure shows as a failed save (as a forked child's would).
    let mut file = File::create(tmp)
        .map_err(|e| format!("Failed opening the temp RDB file {}: {e}", tmp.display()))?;
    let failed = |e: io::Error| format!("Write error saving DB on disk: {e}");
    let mut crc = 0;
    let mut unsynced = 0;
    for chunk in rx {
        if aborted.load(Ordering::SeqCst) {
            break;
        }
        if trailer == Some(true) {
            crc = super::rdb::crc64(crc, &chunk);
        }
        file.write_all(&chunk).map_err(failed)?;
        // Flushed to disk as it goes, so the final fsync is short instead of one
        // burst of the whole file that stalls every other write to the disk
        // (the AOF's among them).
        unsynced += chunk.len();
        if incremental_fsync && unsynced >= INCREMENTAL_FSYNC_BYTES {
            file.sync_data().map_err(failed)?;
            unsynced = 0;
        }
    }
    if aborted.load(Ordering::SeqCst) {
        return Err("the background save was aborted".into());
    }
    // The image ends with the EOF opcode: its checksum (0 with rdbchecksum no).
    if trailer.is_some() {
        file.write_all(&crc.to_le_bytes()).map_err(failed)?;
    }
    file.sync_all()
        .map_err(|e| format!("Write error saving DB on disk: {e}"))?;
    std::fs::rename(tmp, dest)
        .map_err(|e| format!("Error moving temp DB file on the final destination: {e}"))
}

/// Slice of loop time given to a background save per turn; shorter in turns
/// that served clients, so a client waits less for the loop.
const BGSAVE_SLICE: Duration = Duration::from_millis(1);
const BGSAVE_SLICE_BUSY: Duration = Duration::from_micros(250);

/// Seconds to wait after a failed background save before save rules try again.
const BGSAVE_RETRY_DELAY: i64 = 5;

/// BGSAVE: starts a background save.
pub fn bgsave_start(core: &mut Core) -> Result<(), String> {
    core.persistence.last_bgsave_try = core.now_ms / 1000;
    let dest = dump_path(core);
    match Bgsave::start(core, &dest, Target::Rdb) {
        Ok(b) => {
            log::info!("Background saving started");
            core.bgsave = Some(Box::new(b));
            Ok(())
        }
        Err(e) => {
            log::warn!("{e}");
            core.persistence.last_save_ok = false;
            Err(e)
        }
    }
}

/// BGREWRITEAOF: starts writing a new AOF base `name` at `dest`.
pub fn bgsave_start_aof(core: &mut Core, dest: PathBuf, name: String) -> Result<(), String> {
    let rdb = core.config.aof_use_rdb_preamble;
    let b = Bgsave::start(core, &dest, Target::AofBase { name, rdb })?;
    core.bgsave = Some(Box::new(b));
    Ok(())
}

/// Whether a background save still has walking to do (the loop then does not sleep).
pub fn bgsave_walking(core: &Core) -> bool {
    core.bgsave.as_ref().is_some_and(|b| b.chunks.is_some())
}

/// One slice of the background save in progress, if any (every loop turn).
pub fn bgsave_step(core: &mut Core, clients_active: bool) {
    let Some(b) = core.bgsave.as_mut() else {
        return;
    };
    if b.chunks.is_some() {
        let slice = if clients_active {
            BGSAVE_SLICE_BUSY
        } else {
            BGSAVE_SLICE
        };
        b.step(&mut core.dbs, slice);
    }
}

/// Abandons a background save in progress (FLUSHALL, SHUTDOWN, SAVE...).
pub fn bgsave_abort(core: &mut Core) {
    let Some(b) = core.bgsave.take() else {
        return;
    };
    b.aborted.store(true, Ordering::SeqCst);
    drop(b);
    detach_snapshots(core);
    log::warn!("Background saving aborted");
}

/// Abandons a background save of the dump file in progress (not an AOF rewrite).
pub fn rdb_save_abort(core: &mut Core) {
    if core
        .bgsave
        .as_ref()
        .is_some_and(|b| b.target == Target::Rdb)
    {
        bgsave_abort(core);
    }
}

/// Drops the per-database state of a save that ended early (abandoned or
/// failed), so writes stop copying and tables FLUSHDB handed over are freed.
fn detach_snapshots(core: &mut Core) {
    for db in &mut core.dbs {
        if let Some(snap) = db.snapshot.take() {
            crate::server::lazyfree::free(snap);
        }
    }
}

/// Periodic work: completes a finished background save, starts one that is
/// scheduled or that a `save` rule asks for.
pub fn cron(core: &mut Core) {
    if let Some(b) = &core.bgsave {
        let Some(result) = b.finished() else {
            return;
        };
        let elapsed = b.started.elapsed().as_secs() as i64;
        let dirty_at_start = b.dirty_at_start;
        let target = b.target.clone();
        core.bgsave = None;
        detach_snapshots(core);
        if let Target::AofBase { name, .. } = target {
            super::aof::rewrite_done(core, name, result, elapsed);
            return;
        }
        core.persistence.last_bgsave_time_sec = elapsed;
        match result {
            Ok(()) => {
                log::info!("Background saving terminated with success");
                core.dirty = core.dirty.saturating_sub(dirty_at_start);
                // As Redis: the time the save completed.
                core.last_save_unix = core.now_ms / 1000;
                core.persistence.last_save_ok = true;
                core.persistence.saves += 1;
            }
            Err(e) => {
                log::warn!("Background saving error: {e}");
                core.persistence.last_save_ok = false;
            }
        }
    }
    let now = core.now_ms / 1000;
    let retry_ok = core.persistence.last_save_ok
        || now - core.persistence.last_bgsave_try > BGSAVE_RETRY_DELAY;
    let due = core
        .config
        .save
        .iter()
        .find(|r| core.dirty >= r.changes && now - core.last_save_unix > r.seconds as i64);
    if let Some(rule) = due {
        if retry_ok {
            log::info!(
                "{} changes in {} seconds. Saving...",
                rule.changes,
                rule.seconds
            );
            let _ = bgsave_start(core);
            return;
        }
    }
    if core.persistence.bgsave_scheduled {
        core.persistence.bgsave_scheduled = false;
        let _ = bgsave_start(core);
    }
}

/// Whether writes are refused because the last save failed (Redis's MISCONF):
/// `stop-writes-on-bgsave-error yes` with save rules set.
pub fn writes_refused(core: &Core) -> bool {
    !core.persistence.last_save_ok
        && core.config.stop_writes_on_bgsave_error
        && !core.config.save.is_empty()
}
