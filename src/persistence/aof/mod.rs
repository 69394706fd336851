//! The append-only file, in Redis 7's multi-part layout: a directory
//! (`appenddirname`) holding a base file (an RDB image, or commands), the
//! incremental files of commands written since, and the manifest naming them.
//!
//! Writes reach the AOF through the propagator (`server::propagate`), whose
//! committed stream is the AOF buffer. `flush` writes it before any reply of the
//! loop turn leaves (and fsyncs it there under `appendfsync always`, one fsync for
//! every client of the turn); under `everysec` a helper thread fsyncs once a
//! second. A rewrite (BGREWRITEAOF) never forks: it starts a new incremental file
//! and writes a new base with the background-save walker, as of the moment it
//! started; when the base is complete the manifest switches to it.

pub mod commands;
pub mod load;
pub mod manifest;

use crate::config::AppendFsync;
use crate::server::Core;
use manifest::Manifest;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum State {
    #[default]
    Off,
    On,
    /// Turned on at runtime: on once the first rewrite has written a base.
    WaitRewrite,
}

/// The AOF's state on the core.
#[derive(Default)]
pub struct Aof {
    pub state: State,
    pub manifest: Manifest,
    /// The incremental file being appended to.
    file: Option<Arc<File>>,
    /// Bytes in the base and incremental files (aof_current_size), and that total
    /// when the last rewrite finished (aof_base_size, the auto-rewrite baseline).
    pub current_size: u64,
    pub base_size: u64,
    /// Size of the incremental file being appended to.
    incr_size: u64,
    /// `incr_size` as of the last fsync requested.
    fsync_offset: u64,
    last_fsync_sec: i64,
    /// When a write started waiting for a slow background fsync (everysec).
    postponed_since: Option<i64>,
    pub delayed_fsync: u64,
    /// The last write error (aof_last_write_status:err), until a write succeeds.
    pub write_error: Option<String>,
    fsyncer: Option<Fsyncer>,
    /// BGREWRITEAOF asked while a save was running.
    pub rewrite_scheduled: bool,
    pub rewrites: u64,
    pub last_rewrite_ok: bool,
    pub rewrites_failed_in_a_row: u64,
    pub last_rewrite_time_sec: i64,
    /// The back-off after repeated rewrite failures: minutes of the last
    /// delay, and the unix time before which no automatic rewrite starts.
    limit_minutes: i64,
    limit_until: i64,
}

/// The everysec fsync thread.
struct Fsyncer {
    jobs: mpsc::Sender<Arc<File>>,
    pending: Arc<AtomicUsize>,
    /// The last fsync's error, until one succeeds (writes are refused meanwhile),
    /// and whether there is one (checked on every write command, without a lock).
    error: Arc<Mutex<Option<String>>>,
    failing: Arc<AtomicBool>,
}

impl Fsyncer {
    fn start() -> io::Result<Fsyncer> {
        let (jobs, rx) = mpsc::channel::<Arc<File>>();
        let pending = Arc::new(AtomicUsize::new(0));
        let done = pending.clone();
        let error = Arc::new(Mutex::new(None));
        let status = error.clone();
        let failing = Arc::new(AtomicBool::new(false));
        let flag = failing.clone();
        std::thread::Builder::new()
            .name("aof-fsync".into())
            .spawn(move || {
                for file in rx {
                    let result = file.sync_data();
                    let mut last = status.lock().unwrap_or_else(|e| e.into_inner());
                    match result {
                        // A file closed or not syncable meanwhile is no data at risk.
                        Err(e) if matches!(e.raw_os_error(), Some(libc::EBADF | libc::EINVAL)) => {}
                        Err(e) => {
                            if last.is_none() {
                                log::warn!("Fail to fsync the AOF file: {}", strerror(&e));
                            }
                            *last = Some(strerror(&e));
                        }
                        Ok(()) => *last = None,
                    }
                    flag.store(last.is_some(), Ordering::SeqCst);
                    drop(last);
                    done.fetch_sub(1, Ordering::SeqCst);
                }
            })?;
        Ok(Fsyncer {
            jobs,
            pending,
            error,
            failing,
        })
    }

    fn error(&self) -> Option<String> {
        if !self.failing.load(Ordering::SeqCst) {
            return None;
        }
        self.error.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn busy(&self) -> bool {
        self.pending.load(Ordering::SeqCst) > 0
    }

    fn submit(&self, file: Arc<File>) {
        self.pending.fetch_add(1, Ordering::SeqCst);
        if self.jobs.send(file).is_err() {
            self.pending.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

impl Aof {
    pub fn new() -> Aof {
        Aof {
            last_rewrite_ok: true,
            last_rewrite_time_sec: -1,
            ..Default::default()
        }
    }

    pub fn is_on(&self) -> bool {
        self.state != State::Off
    }

    /// Why the AOF cannot be written (aof_last_write_status:err): the last
    /// write's error, else the last background fsync's.
    pub fn write_failure(&self) -> Option<String> {
        self.write_error
            .clone()
            .or_else(|| self.fsyncer.as_ref().and_then(|f| f.error()))
    }

    /// Background fsyncs not yet done (aof_pending_bio_fsync).
    pub fn pending_fsync(&self) -> usize {
        self.fsyncer
            .as_ref()
            .map_or(0, |f| f.pending.load(Ordering::SeqCst))
    }
}

/// The AOF directory (relative to `dir`, the working directory).
pub fn dir_path(core: &Core) -> PathBuf {
    PathBuf::from(&core.config.appenddirname)
}

fn manifest_name(core: &Core) -> String {
    format!("{}.manifest", core.config.appendfilename)
}

/// Writes the manifest atomically (temp file, fsync, rename, fsync of the directory).
pub fn persist_manifest(core: &Core) -> io::Result<()> {
    let dir = dir_path(core);
    let name = manifest_name(core);
    let tmp = dir.join(format!("temp-{name}"));
    let mut f = File::create(&tmp)?;
    f.write_all(core.aof.manifest.format().as_bytes())?;
    f.sync_all()?;
    fs::rename(&tmp, dir.join(&name))?;
    File::open(&dir)?.sync_all()
}

/// An OS error as C's strerror words it (Rust adds " (os error N)").
pub fn strerror(e: &io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" (os error ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

fn file_size(path: &Path) -> u64 {
    fs::metadata(path).map_or(0, |m| m.len())
}

/// Deletes the files a rewrite replaced (history), off the loop.
fn delete_history(core: &mut Core) {
    if core.aof.manifest.history.is_empty() || core.config.aof_disable_auto_gc {
        return;
    }
    let dir = dir_path(core);
    let history = std::mem::take(&mut core.aof.manifest.history);
    // The files go first, then their lines (as Redis). A history name that a
    // live file took again (a history-only manifest) is not deleted.
    let live: Vec<&str> = core.aof.manifest.files().map(|f| f.name.as_str()).collect();
    let mut open = Vec::new();
    for f in history.iter().filter(|f| !live.contains(&f.name.as_str())) {
        let p = dir.join(&f.name);
        // Unlinked now, closed off the loop: freeing a big file's blocks can
        // take a while.
        let file = File::open(&p);
        if fs::remove_file(&p).is_ok() {
            log::info!("Removing the history file {} in the background", f.name);
        }
        open.extend(file.ok());
    }
    if !open.is_empty() {
        std::thread::spawn(move || drop(open));
    }
    if let Err(e) = persist_manifest(core) {
        log::warn!("Can't persist the AOF manifest after removing history files: {e}");
    }
}

/// Opens (creating it if needed) the last incremental file for appending.
fn open_incr(core: &mut Core) -> io::Result<()> {
    let name = match core.aof.manifest.incrs.last() {
        Some(f) => f.name.clone(),
        None => core.aof.manifest.new_incr(&core.config.appendfilename),
    };
    let file = open_append(&dir_path(core).join(&name), false)?;
    let size = file.metadata()?.len();
    write_to(core, file, size)
}

/// Opens an incremental file for appending (emptied first with `truncate`).
fn open_append(path: &Path, truncate: bool) -> io::Result<File> {
    let file = OpenOptions::new().create(true).append(true).open(path)?;
    if truncate {
        // (The open cannot both append and truncate.)
        file.set_len(0)?;
    }
    Ok(file)
}

/// Makes `file` (holding `size` bytes) the incremental file writes go to. The
/// one it replaces is handed to the fsync thread; the new one starts with a
/// SELECT of its own.
fn write_to(core: &mut Core, file: File, size: u64) -> io::Result<()> {
    if core.aof.fsyncer.is_none() {
        core.aof.fsyncer = Some(Fsyncer::start()?);
    }
    if let (Some(old), Some(fsyncer)) = (core.aof.file.replace(Arc::new(file)), &core.aof.fsyncer) {
        fsyncer.submit(old);
    }
    core.aof.incr_size = size;
    core.aof.fsync_offset = size;
    core.prop.reselect();
    Ok(())
}

/// The total size of the files the manifest names.
fn dataset_size(core: &Core) -> u64 {
    let dir = dir_path(core);
    core.aof
        .manifest
        .files()
        .map(|f| file_size(&dir.join(&f.name)))
        .sum()
}

/// Startup with `appendonly yes`: loads the AOF (upgrading a single-file one, or
/// creating an empty base when there is none), then opens it for appending.
/// Errors are fatal: the message to log before exiting.
/// Reads the manifest at startup (also with `appendonly no`, as Redis does:
/// BGREWRITEAOF and DEBUG LOADAOF work from it). A manifest that does not
/// parse is fatal: the message to log.
pub fn read_manifest(core: &mut Core) -> Result<(), String> {
    let path = dir_path(core).join(manifest_name(core));
    match fs::read(&path) {
        Ok(text) => core.aof.manifest = Manifest::parse(&text)?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => {
            return Err(format!(
                "Fatal error: can't open the AOF manifest file {} for reading: {}",
                manifest_name(core),
                strerror(&e)
            ))
        }
    }
    Ok(())
}

/// Startup with `appendonly no`: the manifest is read and history files left
/// by an interrupted clean-up are deleted.
pub fn boot_when_off(core: &mut Core) -> Result<(), String> {
    read_manifest(core)?;
    if !core.aof.manifest.history.is_empty() && dir_path(core).is_dir() {
        delete_history(core);
    }
    Ok(())
}

/// A single-file AOF of Redis < 7 (`appendonly.aof` in `dir`) becomes the base
/// of the directory: when there is no directory or no dataset in the manifest,
/// or a previous upgrade stopped between writing the manifest and the move.
fn upgrade_old_file(core: &mut Core, dir_existed: bool) -> Result<(), String> {
    let name = core.config.appendfilename.clone();
    let dir = dir_path(core);
    let m = &core.aof.manifest;
    let interrupted = m.incrs.is_empty()
        && m.base.as_ref().is_some_and(|b| b.name == name)
        && !dir.join(&name).exists();
    let empty = m.base.is_none() && m.incrs.is_empty();
    if !Path::new(&name).is_file() || !(!dir_existed || empty || interrupted) {
        return Ok(());
    }
    // The manifest first: a crash before the move is finished on the next start.
    core.aof.manifest.base_seq = 1;
    core.aof.manifest.base = Some(manifest::FileInfo {
        name: name.clone(),
        seq: 1,
        kind: manifest::Kind::Base,
    });
    persist_manifest(core).map_err(|e| format!("Can't persist the AOF manifest: {e}"))?;
    fs::rename(&name, dir.join(&name)).map_err(|e| {
        format!(
            "Error trying to move the old AOF file {name} into dir {}: {}",
            dir.display(),
            strerror(&e)
        )
    })?;
    log::info!(
        "Successfully migrated an old-style AOF file ({name}) into the AOF directory ({}).",
        dir.display()
    );
    Ok(())
}

pub fn start(core: &mut Core) -> Result<(), String> {
    let dir = dir_path(core);
    let dir_existed = dir.is_dir();
    read_manifest(core)?;
    if let Err(e) = fs::create_dir_all(&dir) {
        return Err(format!(
            "Can't open or create append-only dir {}: {}",
            dir.display(),
            strerror(&e)
        ));
    }
    upgrade_old_file(core, dir_existed)?;
    let mut changed = false;
    let started = std::time::Instant::now();
    let loaded = load::load_all(core)?;
    // What was loaded (a base created below for an empty dataset is not
    // counted, as in Redis); the auto-rewrite baseline is the base alone.
    core.aof.current_size = dataset_size(core);
    core.aof.base_size = core
        .aof
        .manifest
        .base
        .as_ref()
        .map_or(0, |b| file_size(&dir.join(&b.name)));
    if loaded {
        log::info!(
            "DB loaded from append only file: {:.3} seconds",
            started.elapsed().as_secs_f64()
        );
    }
    if core.aof.manifest.base.is_none() && core.aof.manifest.incrs.is_empty() {
        // Nothing yet: an empty base, so the directory is a complete AOF.
        write_base_now(core).map_err(|e| format!("Can't create the AOF base: {e}"))?;
        changed = true;
    }
    if core.aof.manifest.incrs.is_empty() {
        changed = true;
    }
    open_incr(core).map_err(|e| format!("Can't open the append-only file: {e}"))?;
    if changed || !core.aof.manifest.history.is_empty() {
        persist_manifest(core).map_err(|e| format!("Can't persist the AOF manifest: {e}"))?;
    }
    delete_history(core);
    core.aof.state = State::On;
    set_propagation(core, true);
    Ok(())
}

/// Writes the current dataset as a new base, synchronously (startup with no AOF).
fn write_base_now(core: &mut Core) -> io::Result<()> {
    let name = core.aof.manifest.next_base_name(
        &core.config.appendfilename,
        core.config.aof_use_rdb_preamble,
    );
    let path = dir_path(core).join(&name);
    let tmp = dir_path(core).join(format!("temp-{name}"));
    let mut w = io::BufWriter::new(File::create(&tmp)?);
    if core.config.aof_use_rdb_preamble {
        crate::persistence::snapshot::write_image(core, true, &mut w)?;
    } else {
        let mut out = Vec::new();
        for (id, db) in core.dbs.iter().enumerate() {
            if db.is_empty() {
                continue;
            }
            commands::select(&mut out, id);
            for (_, slot) in db.dict.iter() {
                commands::entry(&mut out, &slot.key, &slot.value);
            }
        }
        w.write_all(&out)?;
    }
    let file = w.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    fs::rename(&tmp, &path)?;
    core.aof.manifest.install_base(name);
    Ok(())
}

/// Turns propagation (and the expiry log it needs) on or off.
fn set_propagation(core: &mut Core, on: bool) {
    core.prop.active = on;
    core.prop.out.clear();
    core.prop.reselect();
    for db in &mut core.dbs {
        db.propagate_expired = on;
        db.expired_log.clear();
    }
}

/// Writes the AOF buffer to the incremental file; fsyncs it under `always`, or
/// hands an fsync to the helper thread under `everysec` (at most once a second).
/// Called before replies are written, every loop turn. With `force` (shutdown,
/// rewrite start) a write waiting for a slow fsync is done anyway.
pub fn flush(core: &mut Core, force: bool) {
    if !core.aof.is_on() {
        return;
    }
    // Keys expired outside commands (active expiry) join the stream first,
    // each on its own, as Redis records them.
    core.prop
        .expired(&mut core.dbs, core.config.lazyfree_lazy_expire, true);
    let Some(file) = core.aof.file.clone() else {
        // Turning on, rewrite not started yet: the image it writes will hold these.
        core.prop.out.clear();
        return;
    };
    let now = core.now_ms / 1000;
    let policy = core.config.appendfsync;
    let fsync_paused = core.config.no_appendfsync_on_rewrite && rewrite_in_progress(core);
    if core.prop.out.is_empty() {
        // Written earlier but not yet fsynced (everysec).
        if policy == AppendFsync::EverySec && core.aof.fsync_offset != core.aof.incr_size {
            background_fsync(core, &file, now, fsync_paused);
        }
        return;
    }
    let fsync_busy = core.aof.fsyncer.as_ref().is_some_and(|f| f.busy());
    if policy == AppendFsync::EverySec && fsync_busy && !force {
        // Writing would block behind the fsync: wait up to two seconds, as Redis does.
        match core.aof.postponed_since {
            None => {
                core.aof.postponed_since = Some(now);
                return;
            }
            Some(t) if now - t < 2 => return,
            Some(_) => {
                core.aof.delayed_fsync += 1;
                log::warn!("Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.");
            }
        }
    }
    core.aof.postponed_since = None;
    let (written, error) = write_out(&file, &core.prop.out);
    if let Some(e) = error {
        // As Redis: a short write reports "no space" (the error that stopped it is lost).
        let reason = if written > 0 {
            if core.aof.write_error.is_none() {
                log::warn!(
                    "Short write while writing to the AOF file: (nwritten={written}, expected={})",
                    core.prop.out.len()
                );
            }
            strerror(&io::Error::from_raw_os_error(libc::ENOSPC))
        } else {
            if core.aof.write_error.is_none() {
                log::warn!("Error writing to the AOF file: {}", strerror(&e));
            }
            strerror(&e)
        };
        if policy == AppendFsync::Always {
            log::warn!("Can't recover from AOF write error when the AOF fsync policy is 'always'. Exiting...");
            std::process::exit(1);
        }
        // Take a partial write back, so the file never ends in half a command
        // written twice; if that fails, keep it and drop what was written.
        let kept = if written > 0 && file.set_len(core.aof.incr_size).is_err() {
            log::warn!("Could not remove short write from the append-only file.  Redis may refuse to load the AOF the next time it starts.");
            written
        } else {
            0
        };
        core.prop.out.drain(..kept);
        core.aof.incr_size += kept as u64;
        core.aof.current_size += kept as u64;
        core.aof.write_error = Some(reason);
        return;
    }
    crate::server::propagate::release_above(
        &mut core.prop.out,
        crate::server::propagate::KEEP_OUT_CAPACITY,
    );
    core.aof.incr_size += written as u64;
    core.aof.current_size += written as u64;
    if core.aof.write_error.take().is_some() {
        log::warn!("AOF write error looks solved, Redis can write again.");
    }
    match policy {
        AppendFsync::Always if !fsync_paused => {
            if let Err(e) = file.sync_data() {
                log::warn!("Can't persist AOF for fsync error when the AOF fsync policy is 'always': {e}. Exiting...");
                std::process::exit(1);
            }
            core.aof.fsync_offset = core.aof.incr_size;
            core.aof.last_fsync_sec = now;
        }
        AppendFsync::EverySec => background_fsync(core, &file, now, fsync_paused),
        _ => {}
    }
}

fn background_fsync(core: &mut Core, file: &Arc<File>, now: i64, paused: bool) {
    let Some(fsyncer) = &core.aof.fsyncer else {
        return;
    };
    if paused || now <= core.aof.last_fsync_sec || fsyncer.busy() {
        return;
    }
    fsyncer.submit(file.clone());
    core.aof.fsync_offset = core.aof.incr_size;
    core.aof.last_fsync_sec = now;
}

/// Writes as much of `buf` as the file takes: (bytes written, the error that stopped it).
fn write_out(mut file: &File, buf: &[u8]) -> (usize, Option<io::Error>) {
    let mut done = 0;
    while done < buf.len() {
        match file.write(&buf[done..]) {
            Ok(0) => return (done, Some(io::ErrorKind::WriteZero.into())),
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return (done, Some(e)),
        }
    }
    (done, None)
}

/// Whether an AOF rewrite is running.
pub fn rewrite_in_progress(core: &Core) -> bool {
    core.bgsave.as_ref().is_some_and(|b| b.aof_base().is_some())
}

/// The error writes get while the AOF cannot be written.
pub fn write_refusal(core: &Core) -> Option<String> {
    if !core.aof.is_on() {
        return None;
    }
    core.aof
        .write_failure()
        .map(|e| format!("MISCONF Errors writing to the AOF file: {e}"))
}

/// BGREWRITEAOF: flushes the buffer, starts a new incremental file for the
/// writes to come, and starts writing a new base as of now.
pub fn rewrite_start(core: &mut Core) -> Result<(), String> {
    let dir = dir_path(core);
    fs::create_dir_all(&dir).map_err(|e| format!("Can't create the AOF dir: {e}"))?;
    match core.aof.state {
        State::On => {
            flush(core, true);
            if !core.prop.out.is_empty() {
                // What could not be written is in the image the rewrite takes:
                // written later into the new incr file it would apply twice.
                return Err("Can't rewrite the AOF while its buffer can't be written".into());
            }
            start_new_incr(core)?;
        }
        State::WaitRewrite => {
            // Turning the AOF on: writes go to a temporary incremental file that
            // joins the manifest with the base.
            let path = dir.join(temp_incr_name(core));
            open_append(&path, true)
                .and_then(|file| write_to(core, file, 0))
                .map_err(|e| format!("Can't open {}: {e}", path.display()))?;
            // Writes until now are in the image about to be written.
            core.prop.out.clear();
        }
        State::Off => {}
    }
    let base = core.aof.manifest.next_base_name(
        &core.config.appendfilename,
        core.config.aof_use_rdb_preamble,
    );
    crate::persistence::snapshot::bgsave_start_aof(core, dir.join(&base), base)?;
    core.aof.rewrites += 1;
    log::info!("Background append only file rewriting started");
    Ok(())
}

/// Switches writing to a new incremental file, named in the manifest before the
/// first write reaches it (if the manifest can't be saved, writing goes on in
/// the current file). The old file is fsynced by the fsync thread.
fn start_new_incr(core: &mut Core) -> Result<(), String> {
    let before = core.aof.manifest.clone();
    let name = core.aof.manifest.new_incr(&core.config.appendfilename);
    let path = dir_path(core).join(&name);
    let switched = open_append(&path, true)
        .and_then(|f| persist_manifest(core).map(|_| f))
        .and_then(|f| write_to(core, f, 0));
    if let Err(e) = switched {
        core.aof.manifest = before;
        let _ = fs::remove_file(&path);
        return Err(format!("Can't open new incr AOF file {name}: {e}"));
    }
    log::info!("Creating AOF incr file {name} on background rewrite");
    Ok(())
}

fn temp_incr_name(core: &Core) -> String {
    format!("temp-{}.incr", core.config.appendfilename)
}

/// Completes a finished rewrite (from the save cron): switches the manifest to
/// the new base and deletes the files it replaces.
pub fn rewrite_done(core: &mut Core, base: String, result: Result<(), String>, secs: i64) {
    core.aof.last_rewrite_time_sec = secs;
    let dir = dir_path(core);
    let written = result.is_ok();
    if written {
        log::info!("Background AOF rewrite terminated with success");
    }
    let installed = result.and_then(|()| {
        let before = core.aof.manifest.clone();
        let prefix = core.config.appendfilename.clone();
        let m = &mut core.aof.manifest;
        match core.aof.state {
            State::On => m.install_base(base.clone()),
            State::WaitRewrite => {
                // The writes made since the start become the first incremental file.
                let name = m.new_incr(&prefix);
                m.install_base(base.clone());
                if let Err(e) = fs::rename(dir.join(temp_incr_name(core)), dir.join(&name)) {
                    core.aof.manifest = before;
                    return Err(format!("Can't rename the temp incr AOF file: {e}"));
                }
            }
            State::Off => {
                // The AOF is off: the base alone is the whole dataset.
                m.install_base(base.clone());
                let incrs: Vec<manifest::FileInfo> = m.incrs.drain(..).collect();
                for f in incrs {
                    m.to_history(f);
                }
            }
        }
        persist_manifest(core).map_err(|e| {
            core.aof.manifest = before;
            format!("Can't persist the AOF manifest: {e}")
        })
    });
    if let Err(e) = installed {
        if !written {
            log::warn!("Background AOF rewrite terminated with error");
        }
        log::warn!("{e}");
        core.aof.last_rewrite_ok = false;
        core.aof.rewrites_failed_in_a_row += 1;
        if written {
            // Written but not installed: the manifest does not name it.
            let _ = fs::remove_file(dir.join(&base));
        }
        if core.aof.state == State::WaitRewrite {
            // Turning on failed: the writes kept meanwhile go with the temp
            // incr file, and a new rewrite will capture them (as Redis retries).
            core.aof.file = None;
            core.prop.out.clear();
            let temp = dir.join(temp_incr_name(core));
            if fs::remove_file(&temp).is_ok() {
                log::info!(
                    "Removing the temp incr aof file {} in the background",
                    temp_incr_name(core)
                );
            }
            core.aof.rewrite_scheduled = true;
        }
        return;
    }
    if core.aof.state == State::WaitRewrite {
        core.aof.state = State::On;
    }
    delete_history(core);
    core.aof.current_size = dataset_size(core);
    core.aof.base_size = core.aof.current_size;
    core.aof.last_rewrite_ok = true;
    core.aof.rewrites_failed_in_a_row = 0;
    log::info!("Background AOF rewrite finished successfully");
}

/// CONFIG SET appendonly yes: the AOF starts with a rewrite of the current
/// dataset; writes are recorded from now on and land in the incremental file
/// opened when the rewrite's base is installed.
pub fn enable(core: &mut Core) -> Result<(), String> {
    if core.aof.is_on() {
        return Ok(());
    }
    // The manifest in memory (read at startup, kept up to date since) goes on:
    // the new base and incr files take the next sequence numbers, as in Redis.
    fs::create_dir_all(dir_path(core)).map_err(|e| format!("Can't create the AOF dir: {e}"))?;
    core.aof.state = State::WaitRewrite;
    set_propagation(core, true);
    // Errors of the AOF before it was turned off no longer count.
    core.aof.write_error = None;
    if let Some(f) = &core.aof.fsyncer {
        *f.error.lock().unwrap_or_else(|e| e.into_inner()) = None;
        f.failing.store(false, Ordering::SeqCst);
    }
    if rewrite_in_progress(core) {
        // A rewrite started with the AOF off has no incr file for the writes
        // from now on: a new one starts, as in Redis.
        log::warn!("AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.");
        crate::persistence::snapshot::bgsave_abort(core);
    }
    if core.exec_depth > 0 {
        log::warn!("AOF was enabled during a transaction. An AOF background was scheduled to start when possible.");
        core.aof.rewrite_scheduled = true;
    } else if core.bgsave.is_some() {
        log::warn!("AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.");
        // A save is running: the rewrite starts when it ends (writes wait in
        // the buffer meanwhile).
        core.aof.rewrite_scheduled = true;
    } else if let Err(e) = rewrite_start(core) {
        core.aof.state = State::Off;
        set_propagation(core, false);
        return Err(e);
    }
    Ok(())
}

/// CONFIG SET appendonly no: flushes and closes the AOF; its files stay.
pub fn disable(core: &mut Core) {
    if !core.aof.is_on() {
        return;
    }
    flush(core, true);
    if let Some(file) = core.aof.file.take() {
        let _ = file.sync_data();
    }
    if rewrite_in_progress(core) {
        crate::persistence::snapshot::bgsave_abort(core);
    }
    core.aof.state = State::Off;
    core.aof.rewrite_scheduled = false;
    core.prop.out.clear();
    set_propagation(core, false);
}

/// Periodic work: a scheduled rewrite, the automatic rewrite once the AOF has
/// grown enough, and retrying writes after an error.
pub fn cron(core: &mut Core) {
    // History kept while aof-disable-auto-gc was on goes once it is off again.
    if !core.config.aof_disable_auto_gc
        && !core.aof.manifest.history.is_empty()
        && !rewrite_in_progress(core)
    {
        delete_history(core);
    }
    if core.bgsave.is_none() && core.aof.rewrite_scheduled {
        if rewrite_limited(core) {
            return;
        }
        core.aof.rewrite_scheduled = false;
        if let Err(e) = rewrite_start(core) {
            rewrite_start_failed(core, e);
            // Turning the AOF on needs its first rewrite: try again later.
            core.aof.rewrite_scheduled = core.aof.state == State::WaitRewrite;
        }
        return;
    }
    if core.aof.state != State::On || core.bgsave.is_some() {
        return;
    }
    let pct = core.config.auto_aof_rewrite_percentage as u64;
    let min = core.config.auto_aof_rewrite_min_size;
    if pct > 0 && core.aof.current_size > min {
        let base = core.aof.base_size.max(1);
        let growth = (core.aof.current_size * 100 / base).saturating_sub(100);
        if growth >= pct && !rewrite_limited(core) {
            log::info!("Starting automatic rewriting of AOF on {growth}% growth");
            if let Err(e) = rewrite_start(core) {
                rewrite_start_failed(core, e);
            }
        }
    }
}

/// DEBUG LOADAOF: writes out the buffer, empties the dataset and loads the AOF
/// the manifest on disk names. A file that does not load stops the server, as
/// in Redis.
pub fn debug_reload(core: &mut Core) {
    if core.aof.is_on() {
        flush(core, true);
    }
    for db in &mut core.dbs {
        let old = db.clear();
        crate::server::lazyfree::free(old);
    }
    let result = match fs::read(dir_path(core).join(manifest_name(core))) {
        Ok(text) => Manifest::parse(&text),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Manifest::default()),
        Err(e) => Err(format!("Can't read the AOF manifest: {e}")),
    }
    .and_then(|m| {
        core.aof.manifest = m;
        load::load_all(core)
    });
    if let Err(e) = result {
        log::warn!("{e}");
        log::warn!("Failed loading the AOF by DEBUG LOADAOF. Exiting.");
        std::process::exit(1);
    }
    core.dirty = 0;
    log::warn!("Append Only File loaded by DEBUG LOADAOF");
}

/// Whether SHUTDOWN may go on: not while the first rewrite after turning the AOF
/// on runs (the AOF would be missing), unless forced, as in Redis.
pub fn may_shutdown(core: &Core, force: bool) -> bool {
    if core.aof.state != State::WaitRewrite || !rewrite_in_progress(core) {
        return true;
    }
    if force {
        log::warn!("Writing initial AOF. Exit anyway.");
        return true;
    }
    log::warn!("Writing initial AOF, can't exit.");
    false
}

/// After three rewrites failed in a row, automatic and scheduled rewrites wait
/// 1, 2, 4... up to 60 minutes between attempts, as in Redis.
fn rewrite_limited(core: &mut Core) -> bool {
    let aof = &mut core.aof;
    if aof.rewrites_failed_in_a_row < 3 {
        aof.limit_minutes = 0;
        aof.limit_until = 0;
        return false;
    }
    let now = core.now_ms / 1000;
    if aof.limit_until != 0 {
        if now < aof.limit_until {
            return true;
        }
        aof.limit_until = 0;
        return false;
    }
    aof.limit_minutes = (aof.limit_minutes * 2).clamp(1, 60);
    aof.limit_until = now + aof.limit_minutes * 60;
    log::warn!(
        "Background AOF rewrite has repeatedly failed and triggered the limit, will retry in {} minutes",
        aof.limit_minutes
    );
    true
}

/// A rewrite that could not start counts as a failed one.
fn rewrite_start_failed(core: &mut Core, e: String) {
    log::warn!("{e}");
    core.aof.last_rewrite_ok = false;
    core.aof.rewrites_failed_in_a_row += 1;
}

/// SHUTDOWN and exits: everything written and fsynced.
pub fn shutdown(core: &mut Core) {
    if !core.aof.is_on() {
        return;
    }
    flush(core, true);
    if let Some(file) = &core.aof.file {
        let _ = file.sync_data();
    }
}
