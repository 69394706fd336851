//! Propagation: the stream of write commands that rebuilds the dataset when
//! replayed (the AOF's input).
//!
//! Commands are recorded in a deterministic form, as Redis records them: a
//! handler whose effect depends on the clock or on chance rewrites what it
//! propagates (EXPIRE becomes PEXPIREAT, SPOP becomes SREM, BLPOP becomes LPOP...),
//! keys deleted by expiry become DEL, and a command that changed nothing is not
//! recorded. The ops of one execution unit (a command, or a whole EXEC) are
//! committed together, wrapped in MULTI/EXEC when there are several, with SELECT
//! emitted whenever the database changes.
//!
//! The running command's arguments are serialized before its handler runs (a
//! handler may move them out of argv), so a rewrite can still name them.

use crate::persistence::aof::commands::{bulk, command, header as array_header};

/// A piece of a rewritten command: an argument of the original command, or new bytes.
pub enum Part<'a> {
    Arg(usize),
    New(&'a [u8]),
}

#[derive(Default)]
pub struct Propagator {
    /// Whether anything consumes the stream (the AOF is on, or being turned on).
    pub active: bool,
    /// The running command as it will be recorded: its arguments as RESP bulk
    /// strings, and where each ends.
    cmd: Vec<u8>,
    cmd_ends: Vec<usize>,
    /// False when the running command is not recorded by itself (it recorded its
    /// own ops, or nothing).
    cmd_keep: bool,
    /// Recorded even if it changed nothing (FLUSHALL on an empty server).
    cmd_force: bool,
    scratch: Vec<u8>,
    scratch_ends: Vec<usize>,
    /// Ops of the execution unit in progress, not yet committed.
    ops: Vec<u8>,
    ops_count: usize,
    first_db: usize,
    last_db: usize,
    /// The committed stream, taken by the AOF writer.
    pub out: Vec<u8>,
    /// The database `out` last selected (None: the next op selects its own).
    out_db: Option<usize>,
    /// aof-timestamp-enabled: a `#TS:<unix time>` annotation line precedes the
    /// first ops of each second. `clock_sec` is the loop turn's clock.
    pub timestamps: bool,
    pub clock_sec: i64,
    last_ts: i64,
}

/// Buffers keep their room between commands, unless a big command made them
/// big: then it goes back to the allocator rather than staying held. (The
/// AOF buffer, a whole loop turn of writes, may keep more.)
const KEEP_CAPACITY: usize = 64 * 1024;
pub const KEEP_OUT_CAPACITY: usize = 4 << 20;

/// Empties `buf`, releasing its memory if it grew past [`KEEP_CAPACITY`].
fn release(buf: &mut Vec<u8>) {
    release_above(buf, KEEP_CAPACITY);
}

/// Empties `buf`, releasing its memory if it grew past `keep` bytes.
pub fn release_above(buf: &mut Vec<u8>, keep: usize) {
    if buf.capacity() > keep {
        *buf = Vec::new();
    } else {
        buf.clear();
    }
}

impl Propagator {
    /// Records the arguments of a write command about to run.
    pub fn begin(&mut self, argv: &[Vec<u8>]) {
        self.cmd.clear();
        self.cmd_ends.clear();
        for a in argv {
            bulk(&mut self.cmd, a);
            self.cmd_ends.push(self.cmd.len());
        }
        self.cmd_keep = true;
        self.cmd_force = false;
    }

    /// Records the running command as `parts` instead of as it was sent.
    pub fn rewrite(&mut self, parts: &[Part]) {
        if !self.active || self.cmd_ends.is_empty() {
            return;
        }
        self.scratch.clear();
        self.scratch_ends.clear();
        for p in parts {
            match *p {
                Part::Arg(i) => {
                    let start = if i == 0 {
                        0
                    } else {
                        self.cmd_ends.get(i - 1).copied().unwrap_or(0)
                    };
                    let end = self.cmd_ends.get(i).copied().unwrap_or(start);
                    self.scratch.extend_from_slice(&self.cmd[start..end]);
                }
                Part::New(bytes) => bulk(&mut self.scratch, bytes),
            }
            self.scratch_ends.push(self.scratch.len());
        }
        std::mem::swap(&mut self.cmd, &mut self.scratch);
        std::mem::swap(&mut self.cmd_ends, &mut self.scratch_ends);
        self.cmd_keep = true;
    }

    /// Records the running command as `argv` (a handler that edited its arguments in place).
    pub fn rewrite_argv(&mut self, argv: &[Vec<u8>]) {
        if self.active && !self.cmd_ends.is_empty() {
            self.begin(argv);
        }
    }

    /// The running command is not recorded by itself.
    pub fn skip_command(&mut self) {
        self.cmd_keep = false;
    }

    /// The running command is recorded even if it changed nothing.
    pub fn force_command(&mut self) {
        self.cmd_force = true;
    }

    /// Adds one op to the execution unit in progress.
    pub fn op(&mut self, db: usize, args: &[&[u8]]) {
        if !self.active {
            return;
        }
        self.select_for_op(db);
        command(&mut self.ops, args);
    }

    fn select_for_op(&mut self, db: usize) {
        if self.ops_count == 0 {
            self.first_db = db;
        } else if db != self.last_db {
            crate::persistence::aof::commands::select(&mut self.ops, db);
        }
        self.last_db = db;
        self.ops_count += 1;
    }

    /// Ends the running command: records DELs for keys that expired meanwhile,
    /// then the command itself if it changed something (`changed`).
    pub fn end_command(&mut self, db: usize, changed: bool) {
        if !self.cmd_ends.is_empty() && self.cmd_keep && (changed || self.cmd_force) {
            self.select_for_op(db);
            array_header(&mut self.ops, self.cmd_ends.len());
            self.ops.extend_from_slice(&self.cmd);
        }
        release(&mut self.cmd);
        release(&mut self.scratch);
        self.cmd_ends.clear();
    }

    /// Records keys deleted by expiry, as DEL (or UNLINK with lazyfree-lazy-expire):
    /// within the running command's unit, or (`standalone`, active expiry outside
    /// any command) each committed on its own, as Redis records them.
    pub fn expired(&mut self, dbs: &mut [crate::keyspace::Db], unlink: bool, standalone: bool) {
        let verb: &[u8] = if unlink { b"UNLINK" } else { b"DEL" };
        for (id, db) in dbs.iter_mut().enumerate() {
            if db.expired_log.is_empty() {
                continue;
            }
            for key in std::mem::take(&mut db.expired_log) {
                if standalone {
                    self.commit();
                }
                self.op(id, &[verb, &key]);
            }
        }
        if standalone {
            self.commit();
        }
    }

    /// Commits the execution unit: its ops join the stream, in MULTI/EXEC when
    /// there are several (a single command is atomic already).
    pub fn commit(&mut self) {
        if self.ops_count == 0 {
            return;
        }
        if self.timestamps && self.last_ts < self.clock_sec {
            self.last_ts = self.clock_sec;
            self.out
                .extend_from_slice(format!("#TS:{}\r\n", self.clock_sec).as_bytes());
        }
        if self.out_db != Some(self.first_db) {
            crate::persistence::aof::commands::select(&mut self.out, self.first_db);
        }
        let wrap = self.ops_count > 1;
        if wrap {
            command(&mut self.out, &[b"MULTI"]);
        }
        self.out.extend_from_slice(&self.ops);
        if wrap {
            command(&mut self.out, &[b"EXEC"]);
        }
        self.out_db = Some(self.last_db);
        release(&mut self.ops);
        self.ops_count = 0;
    }

    /// The next op selects its database again (a new AOF file starts).
    pub fn reselect(&mut self) {
        self.out_db = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(args: &[&str]) -> Vec<Vec<u8>> {
        args.iter().map(|a| a.as_bytes().to_vec()).collect()
    }

    fn text(p: &Propagator) -> String {
        String::from_utf8_lossy(&p.out).replace("\r\n", " ")
    }

    #[test]
    fn timestamp_annotations() {
        let mut p = Propagator {
            active: true,
            timestamps: true,
            clock_sec: 100,
            ..Default::default()
        };
        for _ in 0..2 {
            p.op(0, &[b"DEL", b"k"]);
            p.commit();
        }
        p.clock_sec = 101;
        p.op(0, &[b"DEL", b"k"]);
        p.commit();
        assert_eq!(
            text(&p),
            "#TS:100 *2 $6 SELECT $1 0 *2 $3 DEL $1 k *2 $3 DEL $1 k #TS:101 *2 $3 DEL $1 k "
        );
    }

    #[test]
    fn commands_select_and_wrap() {
        let mut p = Propagator {
            active: true,
            ..Default::default()
        };
        p.begin(&argv(&["set", "a", "1"]));
        p.end_command(0, true);
        p.commit();
        assert_eq!(text(&p), "*2 $6 SELECT $1 0 *3 $3 set $1 a $1 1 ");
        p.out.clear();
        // Unchanged: nothing; rewritten with original arguments; an op before it wraps.
        p.begin(&argv(&["set", "a", "1", "nx"]));
        p.end_command(0, false);
        p.commit();
        assert!(p.out.is_empty());
        p.begin(&argv(&["setex", "k", "10", "v"]));
        p.rewrite(&[
            Part::New(b"SET"),
            Part::Arg(1),
            Part::Arg(3),
            Part::New(b"PXAT"),
            Part::New(b"5"),
        ]);
        p.op(0, &[b"DEL", b"x"]);
        p.end_command(0, true);
        p.commit();
        assert_eq!(
            text(&p),
            "*1 $5 MULTI *2 $3 DEL $1 x *5 $3 SET $1 k $1 v $4 PXAT $1 5 *1 $4 EXEC "
        );
        p.out.clear();
        p.op(3, &[b"DEL", b"y"]);
        p.op(4, &[b"DEL", b"z"]);
        p.commit();
        assert_eq!(
            text(&p),
            "*2 $6 SELECT $1 3 *1 $5 MULTI *2 $3 DEL $1 y *2 $6 SELECT $1 4 *2 $3 DEL $1 z *1 $4 EXEC "
        );
    }
}
