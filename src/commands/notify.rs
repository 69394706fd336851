//! Keyspace notifications (`notify-keyspace-events`): a write publishes
//! `__keyspace@<db>__:<key>` → event (class K) and `__keyevent@<db>__:<event>` → key
//! (class E) through ordinary Pub/Sub, when the event's class is enabled.
//!
//! Keys deleted by expiry, created, or missed by a read are logged in order by their
//! database (`Db::key_log`) while the `x`, `n` or `m` class is on; the log is drained
//! before any other event is published, so "expired", "new" and "keymiss" come
//! before the event of the command that caused them, as in Redis where these
//! publish on the spot.

use super::{pubsub, transactions, Ctx};
use crate::config::notify::{KEYEVENT, KEYSPACE};
use crate::server::client::Client;
use crate::server::Core;

pub use crate::config::notify::{EXPIRED, GENERIC, HASH, KEY_MISS, LIST, NEW, SET, STRING, ZSET};

/// True if events of `class` are published (the class and K or E are on).
pub fn enabled(core: &Core, class: u32) -> bool {
    let flags = core.config.notify_keyspace_events;
    flags & class != 0 && flags & (KEYSPACE | KEYEVENT) != 0
}

/// Publishes `event` about `key` of database `db` if `class` is enabled, after any
/// pending "expired" events.
pub fn notify(
    core: &mut Core,
    mut current: Option<&mut Client>,
    class: u32,
    event: &str,
    key: &[u8],
    db: usize,
) {
    if !enabled(core, class) {
        return;
    }
    transactions::flush_key_logs(core, current.as_deref_mut());
    publish(core, current, class, event, key, db);
}

/// Publishes without draining the expiry logs (used by the drain itself).
pub fn publish(
    core: &mut Core,
    mut current: Option<&mut Client>,
    class: u32,
    event: &str,
    key: &[u8],
    db: usize,
) {
    if !enabled(core, class) {
        return;
    }
    let flags = core.config.notify_keyspace_events;
    if flags & KEYSPACE != 0 {
        let mut channel = format!("__keyspace@{db}__:").into_bytes();
        channel.extend_from_slice(key);
        pubsub::publish_generic(
            core,
            current.as_deref_mut(),
            false,
            &channel,
            event.as_bytes(),
        );
    }
    if flags & KEYEVENT != 0 {
        let channel = format!("__keyevent@{db}__:{event}").into_bytes();
        pubsub::publish_generic(core, current, false, &channel, key);
    }
}

impl Ctx<'_> {
    /// Publishes `event` about the key in argument `key_arg` (selected database).
    pub fn notify(&mut self, class: u32, event: &str, key_arg: usize) {
        if !enabled(self.core, class) {
            return;
        }
        let db = self.client.db;
        let key = self.argv.get(key_arg).map(|k| k.as_slice()).unwrap_or(&[]);
        notify(self.core, Some(&mut *self.client), class, event, key, db);
    }

    /// Publishes `event` about `key` (selected database).
    pub fn notify_key(&mut self, class: u32, event: &str, key: &[u8]) {
        let db = self.client.db;
        notify(self.core, Some(&mut *self.client), class, event, key, db);
    }

    /// Publishes `event` about `key` of database `db`.
    pub fn notify_db(&mut self, class: u32, event: &str, key: &[u8], db: usize) {
        notify(self.core, Some(&mut *self.client), class, event, key, db);
    }
}

/// Publishes `event` about `key` in `client`'s selected database (for handlers that
/// hold the core and the client separately).
pub fn event(core: &mut Core, client: &mut Client, class: u32, event: &str, key: &[u8]) {
    let db = client.db;
    notify(core, Some(client), class, event, key, db);
}
