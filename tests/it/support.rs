//! Integration-test harness: real server processes, a RESP2/RESP3 client and
//! assertion helpers.
//!
//! Every scenario runs once per server kind (oxidis, then redis-server when it
//! is available), each time against a freshly started process, so every
//! expectation in this suite is also checked against Redis itself.
//!
//! API overview:
//! * Scenarios: [`each_server`], [`each_server_with`] (extra args, e.g.
//!   `&["--requirepass", "pw"]`), [`each_server_with_conf`] (start from a
//!   private config file, e.g. for CONFIG REWRITE), [`each_server_opts`].
//!   Failures name the server kind, the command, expected and actual reply,
//!   the last exchanges and the tail of the server log.
//! * [`Server`]: `connect()`, `port()`, `kind()`, `dir()`, `conf_path()`,
//!   `pid()`, `log()`, `is_running()`, `wait_exit(timeout)`, `kill()`,
//!   `signal("TERM")`, `restart()`, `redis_cli(args, stdin)`.
//!   Servers are started as `<bin> <conf> --port N --dir <tmp>/data <args>`.
//! * [`Conn`]: `cmd(&[..]) -> Reply`, `expect(&[..], reply)`, `ok(&[..])`,
//!   `expect_err(&[..], text)`, `expect_unordered`, `set(k, v)`,
//!   `pipeline(&cmds)`, `send(&[..])`, `send_raw(bytes)`, `read_reply()`,
//!   `try_read_reply()`, `read_to_close()`, `assert_closed()`,
//!   `expect_err_and_close(text)`.
//! * Replies: [`Reply`] plus constructors `bulk int err status ok nil nil_arr
//!   null arr bulks ints map set dbl`; accessors `int_val str_val array_val
//!   strings get as_pairs sorted`; [`assert_unordered`].
//! * Misc: [`wait_for`]/[`poll_until`] (poll instead of sleeping),
//!   [`parse_info`]/[`info_field`], [`encode_cmd`], [`unix_now`]/[`unix_now_ms`].
//!
//! Environment knobs:
//! * `REQUIRE_REDIS=1`        a missing `redis-server` fails the test instead of skipping its Redis half.
//! * `OXIDIS_IT_SERVERS=..`   comma-separated subset of `oxidis,redis` to run (default: both).
//! * `OXIDIS_SERVER_BIN=path` override the oxidis binary (default: cargo's `oxidis-server`).
//! * `REDIS_SERVER_BIN=path`  override the redis-server binary (default: looked up on PATH).
//! * `OXIDIS_IT_KEEP=1`       keep the temp dirs (logs, data) of servers instead of deleting them.
#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::fs;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

// ---------------------------------------------------------------------------
// Server binaries and selection
// ---------------------------------------------------------------------------

/// Path of the oxidis server binary under test. This is the single place to
/// change if the binary is located differently.
pub fn oxidis_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("OXIDIS_SERVER_BIN") {
        return PathBuf::from(p);
    }
    PathBuf::from(env!("CARGO_BIN_EXE_oxidis-server"))
}

/// Path of `redis-server`, if available.
pub fn redis_bin() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("REDIS_SERVER_BIN") {
        return Some(PathBuf::from(p));
    }
    find_in_path("redis-server")
}

/// Path of `redis-cli`, if available.
pub fn redis_cli_bin() -> Option<PathBuf> {
    find_in_path("redis-cli")
}

pub fn find_in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// True when the environment demands that the Redis half of each test runs.
pub fn require_redis() -> bool {
    matches!(
        std::env::var("REQUIRE_REDIS").as_deref(),
        Ok("1") | Ok("true") | Ok("yes")
    )
}

/// Base configuration file every server is started with.
pub fn test_conf_path() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/conf/test.conf"))
}

/// Contents of `conf/test.conf` (e.g. to start a server from a private copy).
pub fn test_conf_contents() -> String {
    fs::read_to_string(test_conf_path()).expect("read conf/test.conf")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Oxidis,
    Redis,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Oxidis => "oxidis",
            Kind::Redis => "redis",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

fn selected_kinds() -> Vec<Kind> {
    match std::env::var("OXIDIS_IT_SERVERS") {
        Ok(v) if !v.trim().is_empty() => {
            let mut kinds = Vec::new();
            for part in v.split(',').map(|p| p.trim().to_ascii_lowercase()) {
                match part.as_str() {
                    "oxidis" => kinds.push(Kind::Oxidis),
                    "redis" => kinds.push(Kind::Redis),
                    "" => {}
                    other => panic!("OXIDIS_IT_SERVERS: unknown server kind {other:?}"),
                }
            }
            kinds
        }
        _ => vec![Kind::Oxidis, Kind::Redis],
    }
}

// ---------------------------------------------------------------------------
// Running scenarios
// ---------------------------------------------------------------------------

/// Options for starting a server.
#[derive(Clone, Debug, Default)]
pub struct ServerOpts {
    /// Extra command-line arguments appended after `--port N --dir D`.
    pub args: Vec<String>,
    /// If set, the server is started from a private config file with these
    /// contents (inside the server's temp dir) instead of `conf/test.conf`.
    pub conf: Option<String>,
}

/// Runs `f` once per server kind, each time against a fresh server.
pub fn each_server<F: FnMut(&mut Server)>(f: F) {
    each_server_opts(ServerOpts::default(), f)
}

/// Like [`each_server`], with extra server command-line arguments.
pub fn each_server_with<F: FnMut(&mut Server)>(args: &[&str], f: F) {
    each_server_opts(
        ServerOpts {
            args: args.iter().map(|s| s.to_string()).collect(),
            conf: None,
        },
        f,
    )
}

/// Like [`each_server_with`], but the server is started from a private copy
/// of a config file with `conf` as contents (see [`Server::conf_path`]).
pub fn each_server_with_conf<F: FnMut(&mut Server)>(conf: &str, args: &[&str], f: F) {
    each_server_opts(
        ServerOpts {
            args: args.iter().map(|s| s.to_string()).collect(),
            conf: Some(conf.to_string()),
        },
        f,
    )
}

/// Runs the scenario for every selected server kind. All kinds run even if
/// one fails; the test then fails with a report naming each failing server,
/// its recent commands/replies and the tail of its log.
pub fn each_server_opts<F: FnMut(&mut Server)>(opts: ServerOpts, mut f: F) {
    let mut failures = Vec::new();
    for kind in selected_kinds() {
        if kind == Kind::Redis && redis_bin().is_none() {
            if require_redis() {
                failures
                    .push("[redis] redis-server not found on PATH but REQUIRE_REDIS=1".to_string());
            } else {
                eprintln!("note: redis-server not found on PATH; skipping the redis half");
            }
            continue;
        }
        clear_history();
        let mut server: Option<Server> = None;
        let result = panic::catch_unwind(AssertUnwindSafe(|| {
            server = Some(Server::start(kind, &opts));
            let s = server.as_mut().unwrap();
            f(s);
            s.check_not_crashed();
        }));
        if let Err(payload) = result {
            let msg = panic_message(&payload);
            let mut report = format!("===== FAILED against {kind}");
            if let Some(s) = &server {
                report.push_str(&format!(" (port {})", s.port));
            }
            report.push_str(&format!(" =====\n{msg}\n"));
            let hist = take_history();
            if !hist.is_empty() {
                report.push_str("--- last exchanges on this test's thread (oldest first) ---\n");
                for h in hist {
                    report.push_str(&h);
                    report.push('\n');
                }
            }
            if let Some(s) = &server {
                let log = s.log();
                let tail: Vec<&str> = log.lines().rev().take(15).collect();
                if !tail.is_empty() {
                    report.push_str("--- server log (tail) ---\n");
                    for l in tail.into_iter().rev() {
                        report.push_str(l);
                        report.push('\n');
                    }
                }
                if std::env::var_os("OXIDIS_IT_KEEP").is_some() {
                    report.push_str(&format!("(server files kept in {})\n", s.root.display()));
                }
            }
            failures.push(report);
        }
        drop(server);
    }
    if !failures.is_empty() {
        panic!("\n{}", failures.join("\n"));
    }
}

fn panic_message(payload: &Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "(non-string panic payload)".to_string()
    }
}

// Recent exchanges on the current thread, included in failure reports.
thread_local! {
    static HISTORY: RefCell<VecDeque<String>> = const { RefCell::new(VecDeque::new()) };
}
const HISTORY_LEN: usize = 8;

fn record_history(entry: String) {
    HISTORY.with(|h| {
        let mut h = h.borrow_mut();
        if h.len() == HISTORY_LEN {
            h.pop_front();
        }
        h.push_back(entry);
    });
}

fn clear_history() {
    HISTORY.with(|h| h.borrow_mut().clear());
}

fn take_history() -> Vec<String> {
    HISTORY.with(|h| h.borrow_mut().drain(..).collect())
}

// ---------------------------------------------------------------------------
// Server process
// ---------------------------------------------------------------------------

static NEXT_ID: AtomicU64 = AtomicU64::new(0);
static USED_PORTS: Mutex<Option<HashSet<u16>>> = Mutex::new(None);

/// Picks a currently free port (never 0, never handed out twice per process).
pub fn free_port() -> u16 {
    loop {
        let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = l.local_addr().unwrap().port();
        drop(l);
        let mut used = USED_PORTS.lock().unwrap_or_else(|e| e.into_inner());
        if port != 0 && used.get_or_insert_with(HashSet::new).insert(port) {
            return port;
        }
    }
}

const START_TIMEOUT: Duration = Duration::from_secs(10);
const START_ATTEMPTS: usize = 5;

/// A running server process in its own temp dir. Killed (and the temp dir
/// removed) on drop, also when the test panics.
pub struct Server {
    kind: Kind,
    bin: PathBuf,
    root: PathBuf,
    data_dir: PathBuf,
    conf_path: PathBuf,
    log_path: PathBuf,
    args: Vec<String>,
    port: u16,
    child: Option<Child>,
    exit_status: Option<ExitStatus>,
    exit_expected: bool,
}

impl Server {
    /// Starts a server of the given kind (panics if it cannot be started).
    pub fn start(kind: Kind, opts: &ServerOpts) -> Server {
        let bin = match kind {
            Kind::Oxidis => oxidis_bin(),
            Kind::Redis => redis_bin().expect("redis-server not found on PATH"),
        };
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let root = std::env::temp_dir().join(format!(
            "oxidis-it-{}-{}-{}",
            std::process::id(),
            id,
            kind.name()
        ));
        let _ = fs::remove_dir_all(&root);
        let data_dir = root.join("data");
        fs::create_dir_all(&data_dir).expect("create server temp dir");
        let conf_path = match &opts.conf {
            Some(contents) => {
                let p = root.join("server.conf");
                fs::write(&p, contents).expect("write server.conf");
                p
            }
            None => test_conf_path(),
        };
        let mut s = Server {
            kind,
            bin,
            log_path: root.join("server.log"),
            root,
            data_dir,
            conf_path,
            args: opts.args.clone(),
            port: 0,
            child: None,
            exit_status: None,
            exit_expected: false,
        };
        s.launch(None);
        s
    }

    /// Spawns the process, retrying on fresh ports if it exits early
    /// (e.g. lost a port race). `prefer_port` is tried first.
    fn launch(&mut self, prefer_port: Option<u16>) {
        let mut errors = Vec::new();
        for attempt in 0..START_ATTEMPTS {
            let port = match (attempt, prefer_port) {
                (0, Some(p)) => p,
                _ => free_port(),
            };
            match self.spawn_on(port) {
                Ok(child) => {
                    self.port = port;
                    self.child = Some(child);
                    self.exit_status = None;
                    self.exit_expected = false;
                    return;
                }
                Err((fatal, e)) => {
                    errors.push(format!("port {port}: {e}"));
                    if fatal {
                        break;
                    }
                }
            }
        }
        panic!(
            "could not start {} server ({}):\n  {}\n--- server log ---\n{}",
            self.kind,
            self.bin.display(),
            errors.join("\n  "),
            self.log()
        );
    }

    fn spawn_on(&self, port: u16) -> Result<Child, (bool, String)> {
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log_path)
            .map_err(|e| (true, format!("open log: {e}")))?;
        let log2 = log.try_clone().map_err(|e| (true, e.to_string()))?;
        let mut child = Command::new(&self.bin)
            .arg(&self.conf_path)
            .arg("--port")
            .arg(port.to_string())
            .arg("--dir")
            .arg(&self.data_dir)
            .args(&self.args)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log2)
            .spawn()
            .map_err(|e| (true, format!("spawn {}: {e}", self.bin.display())))?;
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if let Ok(Some(st)) = child.try_wait() {
                return Err((false, format!("server exited during startup ({st})")));
            }
            if let Ok(mut probe) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) {
                // Close the probe cleanly and wait for the server to drop it,
                // so it does not linger in client counts or maxclients.
                let _ = probe.shutdown(Shutdown::Write);
                let _ = probe.set_read_timeout(Some(Duration::from_secs(2)));
                let mut sink = [0u8; 64];
                while let Ok(n) = probe.read(&mut sink) {
                    if n == 0 {
                        break;
                    }
                }
                // Make sure it is our process that accepted, not a stranger.
                if let Ok(Some(st)) = child.try_wait() {
                    return Err((false, format!("server exited during startup ({st})")));
                }
                return Ok(child);
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return Err((
                    false,
                    format!("not accepting connections after {START_TIMEOUT:?}"),
                ));
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }
    pub fn port(&self) -> u16 {
        self.port
    }
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], self.port))
    }
    /// The server's working directory (`--dir`).
    pub fn dir(&self) -> &Path {
        &self.data_dir
    }
    /// The test's private temp dir (contains `data/`, `server.log`, maybe `server.conf`).
    pub fn root(&self) -> &Path {
        &self.root
    }
    /// The config file the server was started from.
    pub fn conf_path(&self) -> &Path {
        &self.conf_path
    }
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(|c| c.id())
    }
    /// Everything the server printed to stdout/stderr so far.
    pub fn log(&self) -> String {
        fs::read(&self.log_path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }

    /// Opens a new client connection (panics on failure). A few retries absorb
    /// transient connect errors on a loaded machine.
    pub fn connect(&self) -> Conn {
        let mut last = None;
        for _ in 0..5 {
            match self.try_connect() {
                Ok(c) => return c,
                Err(e) => {
                    last = Some(e);
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        }
        panic!(
            "[{}] connect to port {}: {}",
            self.kind,
            self.port,
            last.map(|e| e.to_string()).unwrap_or_default()
        )
    }

    pub fn try_connect(&self) -> io::Result<Conn> {
        Conn::connect(self.addr(), self.kind.name())
    }

    /// Whether the process is still running (records its exit status if not).
    pub fn is_running(&mut self) -> bool {
        match self.child.as_mut() {
            None => false,
            Some(c) => match c.try_wait() {
                Ok(Some(st)) => {
                    self.exit_status = Some(st);
                    self.child = None;
                    false
                }
                _ => true,
            },
        }
    }

    /// Exit status if the process has exited.
    pub fn exit_status(&mut self) -> Option<ExitStatus> {
        self.is_running();
        self.exit_status
    }

    /// Waits for the process to exit by itself (e.g. after SHUTDOWN).
    /// Marks the exit as expected. Returns None on timeout.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        self.exit_expected = true;
        let deadline = Instant::now() + timeout;
        loop {
            if !self.is_running() {
                return self.exit_status;
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Kills the process with SIGKILL and waits for it.
    pub fn kill(&mut self) {
        self.exit_expected = true;
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            if let Ok(st) = c.wait() {
                self.exit_status = Some(st);
            }
        }
    }

    /// Sends a signal by name (e.g. "TERM", "INT") using `kill(1)`.
    pub fn signal(&mut self, sig: &str) {
        if let Some(pid) = self.pid() {
            self.exit_expected = true;
            let st = Command::new("kill")
                .arg(format!("-{sig}"))
                .arg(pid.to_string())
                .status()
                .expect("run kill");
            assert!(st.success(), "kill -{sig} {pid} failed");
        }
    }

    /// Stops the process (SIGKILL if still running) and starts it again with
    /// the same config, args and directory, on the same port if possible.
    pub fn restart(&mut self) {
        self.kill();
        let port = self.port;
        self.launch(Some(port));
    }

    fn check_not_crashed(&mut self) {
        if !self.exit_expected && !self.is_running() {
            panic!(
                "[{}] server process exited unexpectedly during the test ({:?})",
                self.kind, self.exit_status
            );
        }
    }

    /// Runs `redis-cli -p PORT <args>` with optional stdin; None if redis-cli is not installed.
    pub fn redis_cli(&self, args: &[&str], stdin: Option<&[u8]>) -> Option<Output> {
        let bin = redis_cli_bin()?;
        let mut child = Command::new(bin)
            .arg("-h")
            .arg("127.0.0.1")
            .arg("-p")
            .arg(self.port.to_string())
            .args(args)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn redis-cli");
        let writer = stdin.map(|data| {
            let mut pipe = child.stdin.take().unwrap();
            let data = data.to_vec();
            std::thread::spawn(move || {
                let _ = pipe.write_all(&data);
            })
        });
        let out = child.wait_with_output().expect("wait redis-cli");
        if let Some(w) = writer {
            let _ = w.join();
        }
        Some(out)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        if std::env::var_os("OXIDIS_IT_KEEP").is_none() {
            let _ = fs::remove_dir_all(&self.root);
        }
    }
}

// ---------------------------------------------------------------------------
// Replies
// ---------------------------------------------------------------------------

/// A RESP2 or RESP3 reply. RESP2 nil bulk (`$-1`) is `Nil`, RESP2 nil array
/// (`*-1`) is `NilArray`, RESP3 null (`_`) is `Null`. RESP3 blob errors (`!`)
/// are reported as `Error`.
#[derive(Clone, PartialEq, Eq)]
pub enum Reply {
    Status(String),
    Error(String),
    Int(i64),
    Bulk(Vec<u8>),
    Nil,
    Array(Vec<Reply>),
    NilArray,
    Map(Vec<(Reply, Reply)>),
    Set(Vec<Reply>),
    /// RESP3 double, as the raw text sent by the server (e.g. "1.5", "inf").
    Double(String),
    Bool(bool),
    Null,
    /// RESP3 verbatim string: (format, text).
    Verbatim(String, String),
    BigNum(String),
    Push(Vec<Reply>),
    /// RESP3 attribute map followed by the reply it annotates.
    Attr(Vec<(Reply, Reply)>, Box<Reply>),
}

fn fmt_bytes(b: &[u8], f: &mut fmt::Formatter<'_>) -> fmt::Result {
    const MAX: usize = 300;
    let shown = &b[..b.len().min(MAX)];
    f.write_str("\"")?;
    for &c in shown {
        match c {
            b'"' => f.write_str("\\\"")?,
            b'\\' => f.write_str("\\\\")?,
            b'\n' => f.write_str("\\n")?,
            b'\r' => f.write_str("\\r")?,
            b'\t' => f.write_str("\\t")?,
            0x20..=0x7e => write!(f, "{}", c as char)?,
            _ => write!(f, "\\x{c:02x}")?,
        }
    }
    f.write_str("\"")?;
    if b.len() > MAX {
        write!(f, "...({} bytes)", b.len())?;
    }
    Ok(())
}

fn fmt_list(items: &[Reply], open: &str, close: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    const MAX: usize = 50;
    f.write_str(open)?;
    for (i, r) in items.iter().take(MAX).enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{r:?}")?;
    }
    if items.len() > MAX {
        write!(f, ", ...({} elements)", items.len())?;
    }
    f.write_str(close)
}

fn fmt_pairs(items: &[(Reply, Reply)], open: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    f.write_str(open)?;
    for (i, (k, v)) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{k:?}: {v:?}")?;
    }
    f.write_str("}")
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reply::Status(s) => write!(f, "+{s}"),
            Reply::Error(s) => write!(f, "-{s}"),
            Reply::Int(i) => write!(f, ":{i}"),
            Reply::Bulk(b) => fmt_bytes(b, f),
            Reply::Nil => f.write_str("(nil)"),
            Reply::NilArray => f.write_str("(nil array)"),
            Reply::Array(v) => fmt_list(v, "[", "]", f),
            Reply::Map(m) => fmt_pairs(m, "%{", f),
            Reply::Set(v) => fmt_list(v, "~{", "}", f),
            Reply::Double(d) => write!(f, ",{d}"),
            Reply::Bool(b) => write!(f, "#{}", if *b { 't' } else { 'f' }),
            Reply::Null => f.write_str("_null"),
            Reply::Verbatim(fmt_, s) => {
                write!(f, "={fmt_}:")?;
                fmt_bytes(s.as_bytes(), f)
            }
            Reply::BigNum(n) => write!(f, "({n}"),
            Reply::Push(v) => fmt_list(v, ">[", "]", f),
            Reply::Attr(a, r) => {
                fmt_pairs(a, "|{", f)?;
                write!(f, " {r:?}")
            }
        }
    }
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

impl Reply {
    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }

    /// Integer value (`:n`), if this is one.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Reply::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// Bytes of a bulk, status, verbatim or double reply.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Reply::Bulk(b) => Some(b),
            Reply::Status(s) | Reply::Double(s) | Reply::BigNum(s) => Some(s.as_bytes()),
            Reply::Verbatim(_, s) => Some(s.as_bytes()),
            _ => None,
        }
    }

    /// Text of a bulk/status/verbatim/double reply (lossy UTF-8).
    pub fn as_str(&self) -> Option<String> {
        self.as_bytes()
            .map(|b| String::from_utf8_lossy(b).into_owned())
    }

    /// Elements of an array, set or push reply.
    pub fn as_array(&self) -> Option<&Vec<Reply>> {
        match self {
            Reply::Array(v) | Reply::Set(v) | Reply::Push(v) => Some(v),
            _ => None,
        }
    }

    /// Key/value pairs of a RESP3 map, or of a RESP2 flat array of pairs.
    pub fn as_pairs(&self) -> Option<Vec<(Reply, Reply)>> {
        match self {
            Reply::Map(m) => Some(m.clone()),
            Reply::Array(v) if v.len() % 2 == 0 => {
                Some(v.chunks(2).map(|c| (c[0].clone(), c[1].clone())).collect())
            }
            _ => None,
        }
    }

    /// Value for a text key in a map (or RESP2 flat pair array).
    pub fn get(&self, key: &str) -> Option<Reply> {
        self.as_pairs()?
            .into_iter()
            .find(|(k, _)| k.as_bytes() == Some(key.as_bytes()))
            .map(|(_, v)| v)
    }

    #[track_caller]
    pub fn int_val(&self) -> i64 {
        self.as_int()
            .unwrap_or_else(|| panic!("expected an integer reply, got {self:?}"))
    }

    #[track_caller]
    pub fn str_val(&self) -> String {
        self.as_str()
            .unwrap_or_else(|| panic!("expected a string reply, got {self:?}"))
    }

    #[track_caller]
    pub fn array_val(&self) -> Vec<Reply> {
        self.as_array()
            .cloned()
            .unwrap_or_else(|| panic!("expected an array reply, got {self:?}"))
    }

    /// Elements of an array reply as strings (panics otherwise).
    #[track_caller]
    pub fn strings(&self) -> Vec<String> {
        self.array_val()
            .iter()
            .map(|r| {
                r.as_str()
                    .unwrap_or_else(|| panic!("expected string elements, got {self:?}"))
            })
            .collect()
    }

    /// Copy with top-level array/set elements and map pairs sorted, for
    /// order-insensitive comparison.
    pub fn sorted(&self) -> Reply {
        fn key(r: &Reply) -> String {
            format!("{r:?}")
        }
        match self {
            Reply::Array(v) => {
                let mut v = v.clone();
                v.sort_by_key(key);
                Reply::Array(v)
            }
            Reply::Set(v) => {
                let mut v = v.clone();
                v.sort_by_key(key);
                Reply::Set(v)
            }
            Reply::Map(m) => {
                let mut m = m.clone();
                m.sort_by_key(|(k, _)| key(k));
                Reply::Map(m)
            }
            other => other.clone(),
        }
    }
}

// Constructors for expected replies.

pub fn bulk(b: impl AsRef<[u8]>) -> Reply {
    Reply::Bulk(b.as_ref().to_vec())
}
pub fn int(i: i64) -> Reply {
    Reply::Int(i)
}
pub fn err(s: &str) -> Reply {
    Reply::Error(s.to_string())
}
pub fn status(s: &str) -> Reply {
    Reply::Status(s.to_string())
}
/// `+OK`
pub fn ok() -> Reply {
    status("OK")
}
/// RESP2 nil bulk (`$-1`).
pub fn nil() -> Reply {
    Reply::Nil
}
/// RESP2 nil array (`*-1`).
pub fn nil_arr() -> Reply {
    Reply::NilArray
}
/// RESP3 null (`_`).
pub fn null() -> Reply {
    Reply::Null
}
pub fn arr(v: Vec<Reply>) -> Reply {
    Reply::Array(v)
}
/// Array of bulk strings.
pub fn bulks<S: AsRef<[u8]>>(items: &[S]) -> Reply {
    Reply::Array(items.iter().map(bulk).collect())
}
/// Array of integers.
pub fn ints(items: &[i64]) -> Reply {
    Reply::Array(items.iter().map(|&i| Reply::Int(i)).collect())
}
pub fn map(pairs: Vec<(Reply, Reply)>) -> Reply {
    Reply::Map(pairs)
}
pub fn set(v: Vec<Reply>) -> Reply {
    Reply::Set(v)
}
pub fn dbl(s: &str) -> Reply {
    Reply::Double(s.to_string())
}

/// Asserts two replies are equal ignoring the order of top-level elements.
#[track_caller]
pub fn assert_unordered(actual: &Reply, expected: &Reply) {
    assert_eq!(
        actual.sorted(),
        expected.sorted(),
        "replies differ (order-insensitive)\n  expected: {expected:?}\n    actual: {actual:?}"
    );
}

/// Waits (polling) until `cond` is true; panics after `timeout`.
#[track_caller]
pub fn wait_for(timeout: Duration, mut cond: impl FnMut() -> bool) {
    if !poll_until(timeout, &mut cond) {
        panic!("condition not met within {timeout:?}");
    }
}

/// Polls `cond` until it is true (returns true) or `timeout` passes (false).
pub fn poll_until(timeout: Duration, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + timeout;
    loop {
        if cond() {
            return true;
        }
        if Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

pub fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}
pub fn millis(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Current UNIX time in seconds.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// Current UNIX time in milliseconds.
pub fn unix_now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

// ---------------------------------------------------------------------------
// Client connection
// ---------------------------------------------------------------------------

/// Encodes a command as a RESP multibulk.
pub fn encode_cmd<S: AsRef<[u8]>>(args: &[S]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + args.len() * 16);
    out.extend_from_slice(format!("*{}\r\n", args.len()).as_bytes());
    for a in args {
        let a = a.as_ref();
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Human-readable rendering of a command for failure messages.
pub fn fmt_cmd<S: AsRef<[u8]>>(args: &[S]) -> String {
    let mut s = String::new();
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        if i >= 12 {
            s.push_str(&format!("...({} args)", args.len()));
            break;
        }
        let a = a.as_ref();
        let plain = !a.is_empty()
            && a.len() <= 60
            && a.iter()
                .all(|&c| c.is_ascii_graphic() && c != b'"' && c != b'\\');
        if plain {
            s.push_str(&String::from_utf8_lossy(a));
        } else {
            s.push_str(&format!("{:?}", Reply::Bulk(a.to_vec())));
        }
    }
    s
}

#[derive(Debug)]
pub enum ReadError {
    /// The server closed the connection (EOF or reset) at a reply boundary.
    Closed,
    /// No complete reply within the read timeout.
    Timeout,
    Io(io::Error),
    /// Malformed reply, or connection closed mid-reply.
    Protocol(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Closed => f.write_str("connection closed by server"),
            ReadError::Timeout => f.write_str("timed out waiting for a reply"),
            ReadError::Io(e) => write!(f, "I/O error: {e}"),
            ReadError::Protocol(s) => write!(f, "malformed reply: {s}"),
        }
    }
}

static NEXT_CONN: AtomicU64 = AtomicU64::new(1);

pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// A blocking client connection with its own RESP2/RESP3 parser.
pub struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
    pos: usize,
    label: String,
    id: u64,
}

impl Conn {
    pub fn connect(addr: SocketAddr, label: &str) -> io::Result<Conn> {
        let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))?;
        stream.set_read_timeout(Some(DEFAULT_READ_TIMEOUT))?;
        stream.set_write_timeout(Some(Duration::from_secs(30)))?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            buf: Vec::with_capacity(64 * 1024),
            pos: 0,
            label: label.to_string(),
            id: NEXT_CONN.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// Which server this connection talks to ("oxidis" or "redis").
    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn stream(&self) -> &TcpStream {
        &self.stream
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.stream.local_addr().unwrap()
    }

    pub fn set_read_timeout(&mut self, d: Duration) {
        self.stream.set_read_timeout(Some(d)).unwrap();
    }

    /// Writes raw bytes (panics on I/O error).
    #[track_caller]
    pub fn send_raw(&mut self, bytes: &[u8]) {
        if let Err(e) = self.try_send_raw(bytes) {
            panic!("[{}] write failed: {e}", self.label);
        }
    }

    pub fn try_send_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.write_all(bytes)?;
        self.stream.flush()
    }

    /// Sends one command without waiting for the reply.
    #[track_caller]
    pub fn send<S: AsRef<[u8]>>(&mut self, args: &[S]) {
        record_history(format!(
            "[{} conn#{}] > {} (no wait)",
            self.label,
            self.id,
            fmt_cmd(args)
        ));
        self.send_raw(&encode_cmd(args));
    }

    /// Shuts down the writing half (the server sees EOF).
    pub fn shutdown_write(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Write);
    }

    /// Reads one reply (panics on close/timeout/malformed reply).
    #[track_caller]
    pub fn read_reply(&mut self) -> Reply {
        match self.try_read_reply() {
            Ok(r) => r,
            Err(e) => panic!("[{}] reading reply: {e}", self.label),
        }
    }

    pub fn try_read_reply(&mut self) -> Result<Reply, ReadError> {
        let start = self.pos;
        let r = self.parse();
        let r = match r {
            Err(ReadError::Closed) if self.pos != start || self.buf.len() > self.pos => {
                Err(ReadError::Protocol(format!(
                    "connection closed mid-reply; partial data: {:?}",
                    Reply::Bulk(self.buf[start..].to_vec())
                )))
            }
            Err(ReadError::Timeout) => {
                // Keep partial data for a later retry.
                self.pos = start;
                Err(ReadError::Timeout)
            }
            other => other,
        };
        if self.pos == self.buf.len() {
            self.buf.clear();
            self.pos = 0;
        } else if self.pos > 1 << 20 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        r
    }

    /// Sends a command and returns its reply.
    #[track_caller]
    pub fn cmd<S: AsRef<[u8]>>(&mut self, args: &[S]) -> Reply {
        let shown = fmt_cmd(args);
        if let Err(e) = self.try_send_raw(&encode_cmd(args)) {
            record_history(format!(
                "[{} conn#{}] > {shown}\n    write failed: {e}",
                self.label, self.id
            ));
            panic!("[{}] command `{shown}`: write failed: {e}", self.label);
        }
        match self.try_read_reply() {
            Ok(r) => {
                record_history(format!(
                    "[{} conn#{}] > {shown}\n    < {r:?}",
                    self.label, self.id
                ));
                r
            }
            Err(e) => {
                record_history(format!(
                    "[{} conn#{}] > {shown}\n    ! {e}",
                    self.label, self.id
                ));
                panic!("[{}] command `{shown}`: {e}", self.label)
            }
        }
    }

    /// Sends a command and asserts its reply.
    #[track_caller]
    pub fn expect<S: AsRef<[u8]>>(&mut self, args: &[S], expected: Reply) {
        let actual = self.cmd(args);
        if actual != expected {
            panic!(
                "[{}] command `{}`\n  expected: {expected:?}\n    actual: {actual:?}",
                self.label,
                fmt_cmd(args)
            );
        }
    }

    /// Sends a command and asserts its reply ignoring top-level element order.
    #[track_caller]
    pub fn expect_unordered<S: AsRef<[u8]>>(&mut self, args: &[S], expected: Reply) {
        let actual = self.cmd(args);
        if actual.sorted() != expected.sorted() {
            panic!(
                "[{}] command `{}` (order-insensitive)\n  expected: {expected:?}\n    actual: {actual:?}",
                self.label,
                fmt_cmd(args)
            );
        }
    }

    /// Sends a command and asserts `+OK`.
    #[track_caller]
    pub fn ok<S: AsRef<[u8]>>(&mut self, args: &[S]) {
        self.expect(args, ok());
    }

    /// Sends a command and asserts an error reply with exactly this text.
    #[track_caller]
    pub fn expect_err<S: AsRef<[u8]>>(&mut self, args: &[S], text: &str) {
        self.expect(args, err(text));
    }

    /// Sends a command and asserts an error reply starting with `prefix`.
    #[track_caller]
    pub fn expect_err_prefix<S: AsRef<[u8]>>(&mut self, args: &[S], prefix: &str) {
        let actual = self.cmd(args);
        match &actual {
            Reply::Error(e) if e.starts_with(prefix) => {}
            _ => panic!(
                "[{}] command `{}`\n  expected: error starting with {prefix:?}\n    actual: {actual:?}",
                self.label,
                fmt_cmd(args)
            ),
        }
    }

    /// `SET key value` (binary-safe), asserting `+OK`.
    #[track_caller]
    pub fn set(&mut self, key: impl AsRef<[u8]>, value: impl AsRef<[u8]>) {
        self.ok(&[b"SET" as &[u8], key.as_ref(), value.as_ref()]);
    }

    /// Sends all commands in a single write, then reads one reply per command.
    #[track_caller]
    pub fn pipeline<C, S>(&mut self, cmds: &[C]) -> Vec<Reply>
    where
        C: AsRef<[S]>,
        S: AsRef<[u8]>,
    {
        let mut out = Vec::new();
        for c in cmds {
            out.extend_from_slice(&encode_cmd(c.as_ref()));
        }
        record_history(format!(
            "[{} conn#{}] > pipeline of {} commands, first: {}",
            self.label,
            self.id,
            cmds.len(),
            cmds.first()
                .map(|c| fmt_cmd(c.as_ref()))
                .unwrap_or_default()
        ));
        // Write from a helper thread so a server that replies while we are
        // still writing cannot deadlock us on full socket buffers.
        let mut w = self.stream.try_clone().expect("clone stream");
        let writer = std::thread::spawn(move || w.write_all(&out).and_then(|_| w.flush()));
        let mut replies = Vec::with_capacity(cmds.len());
        for i in 0..cmds.len() {
            match self.try_read_reply() {
                Ok(r) => replies.push(r),
                Err(e) => panic!(
                    "[{}] pipeline: reading reply {} of {} (command `{}`): {e}",
                    self.label,
                    i + 1,
                    cmds.len(),
                    fmt_cmd(cmds[i].as_ref())
                ),
            }
        }
        writer
            .join()
            .unwrap()
            .unwrap_or_else(|e| panic!("[{}] pipeline write failed: {e}", self.label));
        replies
    }

    /// Reads until the server closes the connection; returns all bytes
    /// received (including any not yet parsed). Panics on timeout.
    #[track_caller]
    pub fn read_to_close(&mut self) -> Vec<u8> {
        let mut out = self.buf[self.pos..].to_vec();
        self.buf.clear();
        self.pos = 0;
        let mut chunk = [0u8; 16384];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(0) => return out,
                Ok(n) => out.extend_from_slice(&chunk[..n]),
                Err(e) if is_closed_err(&e) => return out,
                Err(e) if is_timeout_err(&e) => panic!(
                    "[{}] expected the server to close the connection, but it stayed open (received so far: {:?})",
                    self.label,
                    Reply::Bulk(out)
                ),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => panic!("[{}] read failed: {e}", self.label),
            }
        }
    }

    /// Asserts the server closes the connection without sending anything more.
    #[track_caller]
    pub fn assert_closed(&mut self) {
        let rest = self.read_to_close();
        if !rest.is_empty() {
            panic!(
                "[{}] expected connection close, got extra data {:?}",
                self.label,
                Reply::Bulk(rest)
            );
        }
    }

    /// Reads one reply, asserting it is exactly this error, then asserts the
    /// server closes the connection.
    #[track_caller]
    pub fn expect_err_and_close(&mut self, text: &str) {
        let r = self.read_reply();
        if r != err(text) {
            panic!(
                "[{}] expected error then close\n  expected: -{text}\n    actual: {r:?}",
                self.label
            );
        }
        self.assert_closed();
    }

    // --- parser -----------------------------------------------------------

    fn fill(&mut self) -> Result<(), ReadError> {
        let mut chunk = [0u8; 65536];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(0) => return Err(ReadError::Closed),
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if is_timeout_err(&e) => return Err(ReadError::Timeout),
                Err(e) if is_closed_err(&e) => return Err(ReadError::Closed),
                Err(e) => return Err(ReadError::Io(e)),
            }
        }
    }

    fn read_line(&mut self) -> Result<Vec<u8>, ReadError> {
        let mut scan = self.pos;
        loop {
            if let Some(i) = self.buf[scan..].iter().position(|&c| c == b'\n') {
                let end = scan + i;
                if end == self.pos || self.buf[end - 1] != b'\r' {
                    return Err(ReadError::Protocol(format!(
                        "line not terminated by CRLF: {:?}",
                        Reply::Bulk(self.buf[self.pos..=end].to_vec())
                    )));
                }
                let line = self.buf[self.pos..end - 1].to_vec();
                self.pos = end + 1;
                return Ok(line);
            }
            scan = self.buf.len();
            self.fill()?;
        }
    }

    fn read_exact_bulk(&mut self, n: usize) -> Result<Vec<u8>, ReadError> {
        while self.buf.len() - self.pos < n + 2 {
            self.fill()?;
        }
        let data = self.buf[self.pos..self.pos + n].to_vec();
        if &self.buf[self.pos + n..self.pos + n + 2] != b"\r\n" {
            return Err(ReadError::Protocol(format!(
                "bulk of {n} bytes not followed by CRLF"
            )));
        }
        self.pos += n + 2;
        Ok(data)
    }

    fn parse(&mut self) -> Result<Reply, ReadError> {
        let line = self.read_line()?;
        if line.is_empty() {
            return Err(ReadError::Protocol("empty line".into()));
        }
        let kind = line[0];
        let text = String::from_utf8_lossy(&line[1..]).into_owned();
        let num = |t: &str| -> Result<i64, ReadError> {
            t.parse::<i64>().map_err(|_| {
                ReadError::Protocol(format!(
                    "bad length/integer {:?} after {:?}",
                    t, kind as char
                ))
            })
        };
        Ok(match kind {
            b'+' => Reply::Status(text),
            b'-' => Reply::Error(text),
            b':' => Reply::Int(num(&text)?),
            b'$' => {
                let n = num(&text)?;
                if n == -1 {
                    Reply::Nil
                } else if n < 0 {
                    return Err(ReadError::Protocol(format!("bad bulk length {n}")));
                } else {
                    Reply::Bulk(self.read_exact_bulk(n as usize)?)
                }
            }
            b'*' => {
                let n = num(&text)?;
                if n == -1 {
                    Reply::NilArray
                } else {
                    Reply::Array(self.parse_n(n)?)
                }
            }
            b'~' => Reply::Set(self.parse_n(num(&text)?)?),
            b'>' => Reply::Push(self.parse_n(num(&text)?)?),
            b'%' => Reply::Map(self.parse_pairs(num(&text)?)?),
            b'|' => {
                let attrs = self.parse_pairs(num(&text)?)?;
                let inner = self.parse()?;
                Reply::Attr(attrs, Box::new(inner))
            }
            b'_' => {
                if !text.is_empty() {
                    return Err(ReadError::Protocol(format!("junk after null: {text:?}")));
                }
                Reply::Null
            }
            b',' => Reply::Double(text),
            b'#' => match text.as_str() {
                "t" => Reply::Bool(true),
                "f" => Reply::Bool(false),
                _ => return Err(ReadError::Protocol(format!("bad boolean {text:?}"))),
            },
            b'(' => Reply::BigNum(text),
            b'=' => {
                let n = num(&text)?;
                let data = self.read_exact_bulk(n as usize)?;
                if data.len() < 4 || data[3] != b':' {
                    return Err(ReadError::Protocol("bad verbatim string".into()));
                }
                Reply::Verbatim(
                    String::from_utf8_lossy(&data[..3]).into_owned(),
                    String::from_utf8_lossy(&data[4..]).into_owned(),
                )
            }
            b'!' => {
                let n = num(&text)?;
                let data = self.read_exact_bulk(n as usize)?;
                Reply::Error(String::from_utf8_lossy(&data).into_owned())
            }
            _ => {
                return Err(ReadError::Protocol(format!(
                    "unknown reply type byte in line {:?}",
                    Reply::Bulk(line)
                )))
            }
        })
    }

    fn parse_n(&mut self, n: i64) -> Result<Vec<Reply>, ReadError> {
        if n < 0 {
            return Err(ReadError::Protocol(format!("bad aggregate length {n}")));
        }
        let mut v = Vec::with_capacity((n as usize).min(1 << 16));
        for _ in 0..n {
            v.push(self.parse()?);
        }
        Ok(v)
    }

    fn parse_pairs(&mut self, n: i64) -> Result<Vec<(Reply, Reply)>, ReadError> {
        if n < 0 {
            return Err(ReadError::Protocol(format!("bad map length {n}")));
        }
        let mut v = Vec::with_capacity((n as usize).min(1 << 16));
        for _ in 0..n {
            let k = self.parse()?;
            let val = self.parse()?;
            v.push((k, val));
        }
        Ok(v)
    }
}

fn is_timeout_err(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

fn is_closed_err(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::UnexpectedEof
    )
}

/// Parses the text of an `INFO` reply into (section, field, value) triples.
pub fn parse_info(text: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut section = String::new();
    for line in text.split("\r\n") {
        if let Some(name) = line.strip_prefix("# ") {
            section = name.trim().to_string();
        } else if let Some((k, v)) = line.split_once(':') {
            out.push((section.clone(), k.to_string(), v.to_string()));
        }
    }
    out
}

/// Value of one field of an `INFO` reply text.
pub fn info_field(text: &str, field: &str) -> Option<String> {
    parse_info(text)
        .into_iter()
        .find(|(_, k, _)| k == field)
        .map(|(_, _, v)| v)
}

/// The `blocked_clients` field of `INFO clients`.
pub fn blocked_count(c: &mut Conn) -> String {
    info_field(&c.cmd(&["INFO", "clients"]).str_val(), "blocked_clients").unwrap_or_default()
}

/// Waits (up to 5 s) until exactly `n` clients are blocked.
pub fn wait_blocked(c: &mut Conn, n: usize) {
    assert!(
        poll_until(secs(5), || blocked_count(c) == n.to_string()),
        "expected {n} blocked clients"
    );
}

/// Runs `script` on every server; the first server's replies must be given by all.
/// For replies too long to spell out (COMMAND INFO, random runs).
pub fn same_on_every_server(mut script: impl FnMut(&mut Conn) -> Vec<(String, Reply)>) {
    let mut first: Option<Vec<(String, Reply)>> = None;
    each_server(|s| {
        let mut c = s.connect();
        let got = script(&mut c);
        match &first {
            None => first = Some(got),
            Some(want) => {
                assert_eq!(want.len(), got.len(), "number of replies differs");
                for ((cmd, w), (_, g)) in want.iter().zip(&got) {
                    assert_eq!(w, g, "{cmd}: replies differ between servers");
                }
            }
        }
    });
}

/// Keyspace notifications on `s`: sets `notify-keyspace-events` to `flags` and
/// returns (a writer connection, a subscriber to every keyspace/keyevent channel
/// and to the channel `end`, which a test publishes to as an end marker).
pub fn watch_keyspace(s: &Server, flags: &str) -> (Conn, Conn) {
    let mut c = s.connect();
    c.ok(&["CONFIG", "SET", "notify-keyspace-events", flags]);
    let mut sub = s.connect();
    sub.expect(
        &["PSUBSCRIBE", "__key*__:*"],
        arr(vec![bulk("psubscribe"), bulk("__key*__:*"), int(1)]),
    );
    sub.expect(
        &["SUBSCRIBE", "end"],
        arr(vec![bulk("subscribe"), bulk("end"), int(2)]),
    );
    (c, sub)
}

/// A tiny deterministic generator (xorshift64) for seeded random scripts: both
/// servers get exactly the same commands.
pub struct Gen(pub u64);

impl Gen {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}
