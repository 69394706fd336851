//! A connected client: its socket, query and output buffers, and connection state.

use crate::protocol::{Parser, ReplyBuf};
use mio::net::{TcpStream, UnixStream};
use std::io::{self, Read, Write};

/// Bytes read per read() call (Redis's PROTO_IOBUF_LEN).
pub const READ_CHUNK: usize = 16 * 1024;

pub enum Conn {
    Tcp(TcpStream),
    Unix(UnixStream),
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Conn::Tcp(s) => s.read(buf),
            Conn::Unix(s) => s.read(buf),
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Conn::Tcp(s) => s.write(buf),
            Conn::Unix(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl mio::event::Source for Conn {
    fn register(&mut self, r: &mio::Registry, t: mio::Token, i: mio::Interest) -> io::Result<()> {
        match self {
            Conn::Tcp(s) => s.register(r, t, i),
            Conn::Unix(s) => s.register(r, t, i),
        }
    }
    fn reregister(&mut self, r: &mio::Registry, t: mio::Token, i: mio::Interest) -> io::Result<()> {
        match self {
            Conn::Tcp(s) => s.reregister(r, t, i),
            Conn::Unix(s) => s.reregister(r, t, i),
        }
    }
    fn deregister(&mut self, r: &mio::Registry) -> io::Result<()> {
        match self {
            Conn::Tcp(s) => s.deregister(r),
            Conn::Unix(s) => s.deregister(r),
        }
    }
}

/// CLIENT REPLY: whether replies are sent.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReplyMode {
    On,
    Off,
    /// The next command's reply is dropped, then replies resume.
    SkipNext,
}

/// A transaction being queued (between MULTI and EXEC).
#[derive(Default)]
pub struct Multi {
    pub queued: Vec<Vec<Vec<u8>>>,
    /// A command was rejected while queueing: EXEC answers EXECABORT.
    pub aborted: bool,
    /// A queued command writes (EXEC then counts as a write command).
    pub writes: bool,
}

pub struct Client {
    pub id: u64,
    /// The client's slot in the server's client table (its poll token).
    pub token: usize,
    pub conn: Conn,
    pub fd: i32,
    /// Peer address as CLIENT LIST prints it ("ip:port", or "path:0" for unix sockets).
    pub addr: String,
    pub laddr: String,
    pub is_unix: bool,
    /// Query buffer: bytes `qpos..qend` are unparsed; the vector's length is its
    /// zero-initialised capacity, so reads need no fresh zeroing.
    pub query: Vec<u8>,
    pub qpos: usize,
    pub qend: usize,
    pub parser: Parser,
    /// Pending replies; `out_pos` bytes of it were already written.
    pub out: ReplyBuf,
    pub out_pos: usize,
    pub db: usize,
    pub name: Option<Vec<u8>>,
    pub authenticated: bool,
    /// The client replaying the AOF: what it sends was already accepted once, so
    /// checks meant for users are relaxed (Redis's mustObeyClient).
    pub obey: bool,
    /// Seconds since the epoch when connected / last command, for CLIENT LIST age and idle.
    pub created_ms: i64,
    pub last_interaction_ms: i64,
    /// Registry index of the last command run (CLIENT LIST cmd=), usize::MAX for none.
    pub last_cmd: usize,
    /// Close once the output buffer has been written (QUIT, protocol errors).
    pub close_after_reply: bool,
    /// Close at the end of this loop iteration without writing more (CLIENT KILL).
    pub close_asap: bool,
    /// Queued in the server's pending-write list.
    pub pending_write: bool,
    /// The kernel buffer was full on the last write: wait for a WRITABLE event.
    pub write_blocked: bool,
    /// WRITABLE interest is registered with the poll (only while write_blocked).
    pub writable_registered: bool,
    /// Bytes read and written, for INFO's totals.
    pub net_in: u64,
    pub net_out: u64,
    /// CLIENT REPLY state.
    pub reply_mode: ReplyMode,
    /// In MONITOR mode: receives every command the server runs.
    pub monitor: bool,
    /// CLIENT NO-EVICT on.
    pub no_evict: bool,
    /// CLIENT NO-TOUCH on: its reads do not change keys' access times (TOUCH still does).
    pub no_touch: bool,
    /// When the output buffer first went over the soft limit (0 = it is under).
    pub soft_limit_since_ms: i64,
    /// MULTI state, while a transaction is being queued.
    pub multi: Option<Multi>,
    /// WATCHed keys: (db, key, whether it was already expired when watched).
    pub watched: Vec<(usize, Vec<u8>, bool)>,
    /// A watched key was modified: the next EXEC fails.
    pub dirty_cas: bool,
    /// Pub/Sub subscriptions.
    pub subs: crate::commands::pubsub::Subscriptions,
    /// Set while a blocking command waits (BLPOP, WAIT...).
    pub blocked: Option<crate::commands::blocking::BlockState>,
    /// CLIENT TRACKING settings, when on.
    pub tracking: Option<crate::commands::tracking::TrackState>,
    /// Invalidations this client's own command caused (key lists, None = all;
    /// whether redirected), written after its reply.
    pub pending_invalidations: Vec<(Option<Vec<Vec<u8>>>, bool)>,
}

impl Client {
    pub fn new(id: u64, conn: Conn, fd: i32, addr: String, laddr: String, now_ms: i64) -> Client {
        let is_unix = matches!(conn, Conn::Unix(_));
        Client {
            id,
            token: usize::MAX,
            conn,
            fd,
            addr,
            laddr,
            is_unix,
            query: Vec::new(),
            qpos: 0,
            qend: 0,
            parser: Parser::new(),
            out: ReplyBuf::new(),
            out_pos: 0,
            db: 0,
            name: None,
            authenticated: false,
            obey: false,
            created_ms: now_ms,
            last_interaction_ms: now_ms,
            last_cmd: usize::MAX,
            close_after_reply: false,
            close_asap: false,
            pending_write: false,
            write_blocked: false,
            writable_registered: false,
            net_in: 0,
            net_out: 0,
            reply_mode: ReplyMode::On,
            monitor: false,
            no_evict: false,
            no_touch: false,
            soft_limit_since_ms: 0,
            multi: None,
            watched: Vec::new(),
            dirty_cas: false,
            subs: Default::default(),
            blocked: None,
            tracking: None,
            pending_invalidations: Vec::new(),
        }
    }

    /// Unparsed bytes in the query buffer.
    pub fn query_len(&self) -> usize {
        self.qend - self.qpos
    }

    /// Makes room for at least `want` more bytes after `qend`, compacting first.
    pub fn reserve_query(&mut self, want: usize) {
        if self.qpos > 0 && (self.qpos == self.qend || self.qpos >= self.query.len() / 2) {
            self.query.copy_within(self.qpos..self.qend, 0);
            self.qend -= self.qpos;
            self.qpos = 0;
        }
        let need = self.qend + want;
        if self.query.len() < need {
            self.query.resize(need, 0);
        }
    }

    /// Releases a large idle query buffer (after a big argument was consumed).
    pub fn trim_query(&mut self) {
        if self.qpos == self.qend {
            self.qpos = 0;
            self.qend = 0;
            if self.query.len() > 4 * READ_CHUNK {
                self.query = Vec::new();
            }
        }
    }

    /// Writes pending output until done or the socket is full. Returns Err on a broken socket.
    pub fn write_out(&mut self) -> io::Result<()> {
        while self.out_pos < self.out.buf.len() {
            match self.conn.write(&self.out.buf[self.out_pos..]) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => {
                    self.out_pos += n;
                    self.net_out += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    self.write_blocked = true;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.write_blocked = false;
        self.out.buf.clear();
        self.out_pos = 0;
        if self.out.buf.capacity() > 1024 * 1024 {
            self.out.buf.shrink_to(16 * 1024);
        }
        Ok(())
    }

    /// Applies `client-output-buffer-limit`: true when the client must be disconnected
    /// (over the hard limit, or over the soft limit for longer than allowed).
    pub fn over_output_limit(
        &mut self,
        limit: &crate::config::ClientBufferLimit,
        now_ms: i64,
    ) -> bool {
        let used = self.pending_out() as u64;
        if limit.hard > 0 && used >= limit.hard {
            return true;
        }
        if limit.soft > 0 && used >= limit.soft {
            if self.soft_limit_since_ms == 0 {
                self.soft_limit_since_ms = now_ms;
            }
            return now_ms - self.soft_limit_since_ms > limit.soft_seconds as i64 * 1000;
        }
        self.soft_limit_since_ms = 0;
        false
    }

    /// The client class for output limits and CLIENT LIST/KILL TYPE: pub/sub while
    /// subscribed (there are no replica clients yet).
    pub fn class(&self) -> crate::config::ClientClass {
        if self.subs.total() > 0 {
            crate::config::ClientClass::Pubsub
        } else {
            crate::config::ClientClass::Normal
        }
    }

    /// Output bytes not yet written.
    pub fn pending_out(&self) -> usize {
        self.out.buf.len() - self.out_pos
    }
}
