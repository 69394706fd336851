//! Persistence: the RDB file format (snapshots, DUMP/RESTORE payloads).

pub mod aof;
pub mod lzf;
pub mod rdb;
pub mod snapshot;

/// Persistence counters for INFO persistence.
#[derive(Debug)]
pub struct Stats {
    /// Whether the last save succeeded (rdb_last_bgsave_status).
    pub last_save_ok: bool,
    /// Successful saves since startup (rdb_saves).
    pub saves: u64,
    /// Keys loaded and keys skipped as expired by the last load.
    pub last_load_keys_loaded: u64,
    pub last_load_keys_expired: u64,
    /// Unix time of the last background save attempt (save rules retry after a delay).
    pub last_bgsave_try: i64,
    /// Duration of the last background save, -1 if none (rdb_last_bgsave_time_sec).
    pub last_bgsave_time_sec: i64,
    /// BGSAVE SCHEDULE (or BGSAVE in MULTI): start one at the next chance.
    pub bgsave_scheduled: bool,
}

impl Default for Stats {
    fn default() -> Stats {
        Stats {
            last_save_ok: true,
            saves: 0,
            last_load_keys_loaded: 0,
            last_load_keys_expired: 0,
            last_bgsave_try: 0,
            last_bgsave_time_sec: -1,
            bgsave_scheduled: false,
        }
    }
}
