//! Freeing big values off the loop thread (UNLINK, FLUSHALL ASYNC), as Redis's
//! lazyfree does: the owner hands the value to a helper thread that drops it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Mutex, OnceLock};

type Garbage = Box<dyn Send>;

static FREER: OnceLock<Mutex<Sender<Garbage>>> = OnceLock::new();
/// Values handed over, and values dropped (INFO lazyfree_pending_objects and
/// lazyfreed_objects).
static SENT: AtomicU64 = AtomicU64::new(0);
static FREED: AtomicU64 = AtomicU64::new(0);

/// (pending, freed) counts.
pub fn stats() -> (u64, u64) {
    let freed = FREED.load(Ordering::Relaxed);
    (SENT.load(Ordering::Relaxed).saturating_sub(freed), freed)
}

fn sender() -> &'static Mutex<Sender<Garbage>> {
    FREER.get_or_init(|| {
        let (tx, rx) = channel::<Garbage>();
        std::thread::Builder::new()
            .name("lazyfree".into())
            .spawn(move || {
                for garbage in rx {
                    drop(garbage);
                    FREED.fetch_add(1, Ordering::Relaxed);
                }
            })
            .ok();
        Mutex::new(tx)
    })
}

/// Drops `value` on the lazyfree thread (or here if that thread is gone).
pub fn free<T: Send + 'static>(value: T) {
    let boxed: Garbage = Box::new(value);
    SENT.fetch_add(1, Ordering::Relaxed);
    match sender().lock() {
        Ok(tx) => {
            if let Err(e) = tx.send(boxed) {
                drop(e.0);
            }
        }
        Err(_) => drop(boxed),
    }
}
