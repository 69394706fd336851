//! Loading an AOF: the base (an RDB image, or commands), then each incremental
//! file, replayed through the command table by a client of its own.
//!
//! A file that ends in the middle of a command (a crash while writing) is
//! loaded up to its last complete command when it is the last file and
//! `aof-load-truncated` is on, and cut there; anything else that is not a
//! well-formed command stops the load with the file and offset.

use super::manifest::FileInfo;
use crate::persistence::rdb::decode::Decoder;
use crate::server::client::{Client, Conn};
use crate::server::Core;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader};
use std::path::Path;

/// Why reading a file's commands stopped early.
enum Stop {
    /// The file ends inside a command; the offset after the last complete one.
    Truncated(u64),
    /// Not a command at this offset.
    Corrupt(u64),
    /// A command the server does not know.
    Unknown(String),
    Io(io::Error),
}

/// Loads every file the manifest names, in order. Ok(false) when there are none.
/// Errors are fatal at startup: the message to log.
pub fn load_all(core: &mut Core) -> Result<bool, String> {
    let files: Vec<FileInfo> = core.aof.manifest.files().cloned().collect();
    if files.is_empty() {
        return Ok(false);
    }
    let dir = super::dir_path(core);
    // Every file must be there before anything is loaded.
    for f in &files {
        if let Err(e) = std::fs::metadata(dir.join(&f.name)) {
            return Err(format!(
                "Unable to obtain the AOF file {} length. stat: {}",
                f.name,
                super::strerror(&e)
            ));
        }
    }
    // Replayed commands are not recorded again, and keys do not expire meanwhile.
    let propagating = std::mem::replace(&mut core.prop.active, false);
    for db in &mut core.dbs {
        db.expiry_paused = true;
    }
    let mut result = Ok(true);
    for (i, f) in files.iter().enumerate() {
        let last = i + 1 == files.len();
        let kind = if f.kind == super::manifest::Kind::Base {
            "base"
        } else {
            "incr"
        };
        let started = std::time::Instant::now();
        result = load_file(core, &dir, &f.name, last);
        match &result {
            Ok(true) => log::info!(
                "DB loaded from {kind} file {}: {:.3} seconds",
                f.name,
                started.elapsed().as_secs_f64()
            ),
            Ok(false) => {}
            Err(_) => break,
        }
    }
    for db in &mut core.dbs {
        db.expiry_paused = false;
    }
    core.prop.active = propagating;
    core.dirty = 0;
    result.map(|_| true)
}

fn fake_client(core: &mut Core) -> Result<Client, String> {
    let (sock, _peer) = mio::net::UnixStream::pair()
        .map_err(|e| format!("Can't create the AOF loading client: {e}"))?;
    let id = core.next_client_id;
    core.next_client_id += 1;
    let mut c = Client::new(
        id,
        Conn::Unix(sock),
        -1,
        String::new(),
        String::new(),
        core.now_ms,
    );
    c.authenticated = true;
    c.obey = true;
    c.token = usize::MAX;
    Ok(c)
}

/// Loads one file of the AOF: Ok(false) when it is empty.
fn load_file(core: &mut Core, dir: &Path, name: &str, last: bool) -> Result<bool, String> {
    let path = dir.join(name);
    let path = path.as_path();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(format!(
                "The append log file {name} doesn't exist: {}",
                super::strerror(&e)
            ));
        }
        Err(e) => {
            return Err(format!(
                "Fatal error: can't open the append log file {name} for reading: {}",
                super::strerror(&e)
            ))
        }
    };
    let size = file.metadata().map_or(0, |m| m.len());
    if size == 0 {
        return Ok(false);
    }
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut start = 0;
    if reader
        .fill_buf()
        .map_err(|e| format!("Error reading {name}: {e}"))?
        .starts_with(b"REDIS")
    {
        // An RDB image (a base written with aof-use-rdb-preamble), maybe followed
        // by commands (a single-file AOF of an older version).
        log::info!("Reading RDB base file on AOF loading...");
        let mut d = Decoder::new(reader, size);
        crate::persistence::snapshot::load_from(core, &mut d, false).map_err(|e| {
            format!(
                "Error reading the RDB base file {name}, AOF loading aborted: {} (offset {})",
                e.what, e.offset
            )
        })?;
        start = d.offset();
        reader = d.into_inner();
    }
    let mut fake = fake_client(core)?;
    match replay(core, &mut fake, &mut reader, start, size, name) {
        Ok(()) => Ok(true),
        Err(Stop::Truncated(valid)) if last && core.config.aof_load_truncated => {
            log::warn!("!!! Warning: short read while loading the AOF file {name}!!!");
            log::warn!("!!! Truncating the AOF {name} at offset {valid} !!!");
            OpenOptions::new()
                .write(true)
                .open(path)
                .and_then(|f| f.set_len(valid))
                .map_err(|e| format!("Error truncating the AOF file {name}: {e}"))?;
            log::warn!("AOF {name} loaded anyway because aof-load-truncated is enabled");
            Ok(true)
        }
        Err(Stop::Truncated(_)) if core.config.aof_load_truncated => Err(format!(
            "Fatal error: the truncated file is not the last file ({name})"
        )),
        Err(Stop::Truncated(_)) => Err(format!(
            "Unexpected end of file reading the append only file {name}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server."
        )),
        Err(Stop::Corrupt(at)) => Err(format!(
            "Bad file format reading the append only file {name} at offset {at}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>"
        )),
        Err(Stop::Unknown(cmd)) => Err(format!(
            "Unknown command '{cmd}' reading the append only file {name}"
        )),
        Err(Stop::Io(e)) => Err(format!(
            "Unrecoverable error reading the append only file {name}: {}",
            super::strerror(&e)
        )),
    }
}

/// Replays the commands of `reader` (positioned at `offset` of a file of `size`
/// bytes). A transaction left open at the end counts as a truncation before its
/// MULTI: its queued commands were never applied.
fn replay(
    core: &mut Core,
    fake: &mut Client,
    reader: &mut impl BufRead,
    mut offset: u64,
    size: u64,
    name: &str,
) -> Result<(), Stop> {
    let mut before_multi = offset;
    loop {
        let at = offset;
        let argv = match read_command(reader, &mut offset, size) {
            Ok(Some(argv)) => argv,
            Ok(None) => break,
            Err(Stop::Truncated(_)) => {
                let valid = if fake.multi.is_some() {
                    before_multi
                } else {
                    at
                };
                return Err(Stop::Truncated(valid));
            }
            Err(Stop::Corrupt(_)) => return Err(Stop::Corrupt(at)),
            Err(e) => return Err(e),
        };
        if core.registry.find(&argv[0]).is_none() {
            return Err(Stop::Unknown(
                String::from_utf8_lossy(&argv[0]).into_owned(),
            ));
        }
        if argv[0].eq_ignore_ascii_case(b"multi") {
            before_multi = at;
        }
        crate::commands::execute(core, fake, argv);
        fake.out.buf.clear();
        fake.out_pos = 0;
    }
    if fake.multi.is_some() {
        log::warn!("Revert incomplete MULTI/EXEC transaction in AOF file {name}");
        return Err(Stop::Truncated(before_multi));
    }
    Ok(())
}

/// Reads one command (`*<argc>` then `$<len>` bulks), skipping `#` annotation
/// lines. Ok(None) at a clean end of file.
fn read_command(
    r: &mut impl BufRead,
    offset: &mut u64,
    size: u64,
) -> Result<Option<Vec<Vec<u8>>>, Stop> {
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = r.read_until(b'\n', &mut line).map_err(Stop::Io)?;
        if n == 0 {
            return Ok(None);
        }
        *offset += n as u64;
        // Annotations (`#TS:...`) are skipped, whole.
        if line[0] != b'#' {
            break;
        }
    }
    let argc = header(&line, b'*')?;
    if argc < 1 {
        return Err(Stop::Corrupt(0));
    }
    // Read like any other input: a count the file cannot hold ends in a
    // truncation or a format error, never in a big allocation.
    let mut argv = Vec::with_capacity((argc as usize).min(1024));
    for _ in 0..argc {
        line.clear();
        let n = r.read_until(b'\n', &mut line).map_err(Stop::Io)?;
        *offset += n as u64;
        let len = header(&line, b'$')?;
        if len < 0 {
            return Err(Stop::Corrupt(0));
        }
        let len = len as u64;
        if len > size.saturating_sub(*offset) {
            return Err(Stop::Truncated(0));
        }
        let mut arg = vec![0; len as usize + 2];
        r.read_exact(&mut arg).map_err(|e| match e.kind() {
            io::ErrorKind::UnexpectedEof => Stop::Truncated(0),
            _ => Stop::Io(e),
        })?;
        *offset += len + 2;
        if !arg.ends_with(b"\r\n") {
            return Err(Stop::Corrupt(0));
        }
        arg.truncate(len as usize);
        argv.push(arg);
    }
    Ok(Some(argv))
}

/// Parses a `<prefix><number>\r\n` line.
fn header(line: &[u8], prefix: u8) -> Result<i64, Stop> {
    // The prefix first: garbage at the end of a file is corrupt, not cut short.
    match line.first() {
        None => return Err(Stop::Truncated(0)),
        Some(&b) if b != prefix => return Err(Stop::Corrupt(0)),
        _ => {}
    }
    if !line.ends_with(b"\n") {
        return Err(Stop::Truncated(0));
    }
    if !line.ends_with(b"\r\n") {
        return Err(Stop::Corrupt(0));
    }
    crate::util::num::parse_i64(&line[1..line.len() - 2]).ok_or(Stop::Corrupt(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic sequence, so a failure repeats on every run.
    struct Gen(Box<dyn FnMut() -> u64>);

    impl Gen {
        fn new(seed: u64) -> Gen {
            Gen(Box::new(crate::util::xorshift(seed)))
        }
        fn next(&mut self) -> u64 {
            (self.0)()
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n.max(1) as u64) as usize
        }
    }

    fn encode(args: &[String]) -> Vec<u8> {
        let mut out = format!("*{}\r\n", args.len()).into_bytes();
        for a in args {
            out.extend(format!("${}\r\n{a}\r\n", a.len()).into_bytes());
        }
        out
    }

    /// A plausible AOF: writes of every type, transactions, SELECTs, errors.
    fn random_aof(g: &mut Gen) -> Vec<u8> {
        let mut out = Vec::new();
        if g.below(4) == 0 {
            out.extend(b"#TS:1795342133\r\n");
        }
        for _ in 0..g.below(40) {
            let k = format!("k{}", g.below(8));
            let n = g.below(1000).to_string();
            let cmd: Vec<&str> = match g.below(16) {
                0 => vec!["SELECT", ["0", "3", "15", "16", "x"][g.below(5)]],
                1 => vec!["SET", &k, &n],
                2 => vec!["RPUSH", &k, &n, "b"],
                3 => vec!["HSET", &k, "f", &n],
                4 => vec!["ZADD", &k, &n, "m"],
                5 => vec!["SADD", &k, &n],
                6 => vec!["XADD", &k, "*", "f", &n],
                7 => vec!["INCR", &k],
                8 => vec!["DEL", &k],
                9 => vec!["PEXPIREAT", &k, "1"],
                10 => vec!["MULTI"],
                11 => vec!["EXEC"],
                12 => vec!["XGROUP", "CREATE", &k, "g", "0", "MKSTREAM"],
                13 => vec!["XCLAIM", &k, "g", "c", "0", "0-1", "FORCE", "JUSTID"],
                14 => vec!["SET", &k],
                _ => vec!["FLUSHDB"],
            };
            let cmd: Vec<String> = cmd.iter().map(|s| s.to_string()).collect();
            out.extend(encode(&cmd));
        }
        out
    }

    /// Cuts, flips, inserts and splices bytes.
    fn damage(g: &mut Gen, mut b: Vec<u8>) -> Vec<u8> {
        for _ in 0..1 + g.below(3) {
            match g.below(5) {
                0 => {
                    let at = g.below(b.len() + 1);
                    b.truncate(at);
                }
                1 if !b.is_empty() => {
                    let at = g.below(b.len());
                    b[at] = g.next() as u8;
                }
                2 => {
                    let at = g.below(b.len() + 1);
                    let junk = [
                        b"*".as_slice(),
                        b"$",
                        b"\r\n",
                        b"-1",
                        b"99999999999999",
                        b"#",
                        b"\0",
                    ];
                    b.splice(at..at, junk[g.below(junk.len())].iter().copied());
                }
                3 if !b.is_empty() => {
                    let from = g.below(b.len());
                    let to = (from + g.below(64)).min(b.len());
                    let at = g.below(b.len() + 1);
                    let piece = b[from..to].to_vec();
                    b.splice(at..at, piece);
                }
                _ => {}
            }
        }
        b
    }

    /// Many randomly damaged files, AOF commands and RDB bases: the loader
    /// reports errors and never panics.
    #[test]
    fn damaged_files_never_panic() {
        let args = ["--port", "0"].map(String::from);
        let config = crate::config::Config::from_args(&args).unwrap();
        let mut srv = crate::server::Server::new(config).unwrap();
        let core = &mut srv.core;
        let dir = std::env::temp_dir().join(format!("oxidis-aof-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut g = Gen::new(0x2545_f491_4f6c_dd1d);
        let (mut loaded, mut refused) = (0, 0);
        for round in 0..1500 {
            let mut bytes = random_aof(&mut g);
            if round % 5 == 0 {
                // An RDB base (of whatever the last rounds left), then commands.
                let mut rdb = Vec::new();
                crate::persistence::snapshot::write_image(core, true, &mut rdb).unwrap();
                rdb.extend(bytes);
                bytes = rdb;
            }
            let bytes = damage(&mut g, bytes);
            std::fs::write(dir.join("f.aof"), &bytes).unwrap();
            core.config.aof_load_truncated = g.below(2) == 0;
            let last = g.below(4) != 0;
            match load_file(core, &dir, "f.aof", last) {
                Ok(_) => loaded += 1,
                Err(_) => refused += 1,
            }
            if g.below(10) == 0 {
                for db in &mut core.dbs {
                    drop(db.clear());
                }
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
        // Both outcomes were exercised.
        assert!(
            loaded > 100 && refused > 100,
            "{loaded} loaded, {refused} refused"
        );
    }

    fn read_all(bytes: &[u8]) -> Vec<Result<Vec<String>, String>> {
        let mut r = BufReader::new(bytes);
        let mut offset = 0;
        let mut out = Vec::new();
        loop {
            match read_command(&mut r, &mut offset, bytes.len() as u64) {
                Ok(Some(argv)) => out.push(Ok(argv
                    .iter()
                    .map(|a| String::from_utf8_lossy(a).into_owned())
                    .collect())),
                Ok(None) => break,
                Err(Stop::Truncated(_)) => {
                    out.push(Err("truncated".into()));
                    break;
                }
                Err(Stop::Corrupt(_)) => {
                    out.push(Err("corrupt".into()));
                    break;
                }
                Err(_) => {
                    out.push(Err("other".into()));
                    break;
                }
            }
        }
        out
    }

    #[test]
    fn commands_annotations_truncation_and_corruption() {
        let good =
            b"#TS:1\r\n*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nset\r\n$1\r\na\r\n$0\r\n\r\n";
        let all = read_all(good);
        assert_eq!(all.len(), 2);
        assert_eq!(all[1], Ok(vec!["set".into(), "a".into(), "".into()]));
        // Every cut inside the last command is a truncation, never a panic.
        for cut in 34..good.len() {
            let r = read_all(&good[..cut]);
            assert_eq!(r.last(), Some(&Err("truncated".into())), "cut at {cut}");
        }
        for bad in [
            &b"*1\r\n+OK\r\n"[..],
            b"x\r\n",
            b"*0\r\n",
            b"*1\r\n$2\r\nabc\r\n",
            b"*1\r\n$-1\r\n",
            b"*99999999999\r\n$1\r\na\r\n*1\r\n",
        ] {
            let r = read_all(bad);
            assert_eq!(
                r.last(),
                Some(&Err("corrupt".into())),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}
