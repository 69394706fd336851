//! Freeing big values off the loop thread (UNLINK, FLUSHALL ASYNC), as Redis's
//! lazyfree does: the owner hands the value to a helper thread that drops it.

use std::sync::mpsc::{channel, Sender};
use std::sync::{Mutex, OnceLock};

type Garbage = Box<dyn Send>;

static FREER: OnceLock<Mutex<Sender<Garbage>>> = OnceLock::new();

fn sender() -> &'static Mutex<Sender<Garbage>> {
    FREER.get_or_init(|| {
        let (tx, rx) = channel::<Garbage>();
        std::thread::Builder::new()
            .name("lazyfree".into())
            .spawn(move || {
                for garbage in rx {
                    drop(garbage);
                }
            })
            .ok();
        Mutex::new(tx)
    })
}

/// Drops `value` on the lazyfree thread (or here if that thread is gone).
pub fn free<T: Send + 'static>(value: T) {
    let boxed: Garbage = Box::new(value);
    match sender().lock() {
        Ok(tx) => {
            if let Err(e) = tx.send(boxed) {
                drop(e.0);
            }
        }
        Err(_) => drop(boxed),
    }
}
