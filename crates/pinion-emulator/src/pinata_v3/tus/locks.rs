//! One writer at a time per TUS upload: a `PATCH` (or the `HEAD` that recovers an
//! upload's offset) holds its upload's lock from reading the offset until the new one
//! is recorded, so two requests for one upload never write the same bytes. A second
//! request waits for the first, then sees the offset it left (and gets 409 if it
//! assumed another).
//!
//! The locks live in one process-wide registry keyed by upload id (UUIDv7, unique
//! across emulators in one process), so every router serving TUS paths (the uploads
//! host and the api host's one-base routes) shares them. An entry lives only while
//! some request holds or waits for it.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex, Weak};

use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

type Registry = Mutex<HashMap<String, Weak<AsyncMutex<()>>>>;

static LOCKS: LazyLock<Registry> = LazyLock::new(Registry::default);

/// Waits for, then holds, the lock of upload `id` until the guard is dropped.
pub(crate) async fn lock(id: &str) -> OwnedMutexGuard<()> {
    let lock = {
        let mut locks = LOCKS
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let existing = locks.get(id).and_then(Weak::upgrade);
        let lock = existing.unwrap_or_else(|| {
            let lock = Arc::new(AsyncMutex::new(()));
            locks.insert(id.to_owned(), Arc::downgrade(&lock));
            lock
        });
        // Forget uploads nobody holds any more.
        locks.retain(|_, held| held.strong_count() > 0);
        lock
    };
    lock.lock_owned().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_holder_per_upload_and_entries_are_dropped_when_free() {
        let first = lock("locks-test-a").await;
        let other = lock("locks-test-b").await;
        let waiting = tokio::spawn(async {
            let _second = lock("locks-test-a").await;
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "waits for the first holder");
        drop(first);
        waiting.await.unwrap();
        drop(other);
        let _unrelated = lock("locks-test-c").await;
        let locks = LOCKS.lock().unwrap();
        assert!(!locks.contains_key("locks-test-a"));
        assert!(!locks.contains_key("locks-test-b"));
    }
}
