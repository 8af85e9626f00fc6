//! The emulator's state: every service's rows in memory with the indexes they are
//! looked up by, committed to the [`Store`] by the writer thread when the state is
//! persisted, plus the blobs, the clock and the signing secret.
//!
//! This module tree holds the record types and the lookups the services share; it
//! imports no service or handler module (they sit above it).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use serde::{Deserialize, Serialize};

use crate::EmulatorError;
use crate::blobs::BlobStore;
use crate::clock::Clock;
use crate::faults::Faults;
use crate::limits::RateLimiter;
use crate::store::{Change, Record, Store};
use objects::StoredObject;

pub(crate) mod gateway;
pub(crate) mod objects;
pub(crate) mod pinata;
pub(crate) mod psa;
pub(crate) mod received;
pub(crate) mod submarine;
pub(crate) mod table;
pub(crate) mod tus;
pub(crate) mod w3ipfs;
mod writer;

pub(crate) use table::Table;
use writer::Writer;

/// The state every handler gets.
pub(crate) type AppState = Arc<State>;

/// Secrets and identities fixed when a state is first created.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct Meta {
    /// HMAC key of every JWT the emulator signs (hex).
    pub(crate) jwt_secret: String,
    /// The emulated Pinata account's user id.
    pub(crate) pinata_user_id: String,
    /// The emulated W3IPFS account's user id.
    pub(crate) w3ipfs_user_id: String,
    /// The admin credentials provisioned on first start.
    pub(crate) admin: crate::AdminSecrets,
}

impl Record for Meta {
    const TABLE: &'static str = "meta";
    fn key(&self) -> String {
        "meta".to_owned()
    }
}

/// Every row, by table.
#[derive(Default)]
pub(crate) struct Data {
    pub(crate) meta: BTreeMap<String, Meta>,
    pub(crate) objects: BTreeMap<String, StoredObject>,
    pub(crate) pinata: pinata::PinataData,
    pub(crate) submarine: submarine::SubmarineData,
    pub(crate) w3ipfs: w3ipfs::W3ipfsData,
    pub(crate) psa: psa::PsaData,
    pub(crate) gateway: gateway::GatewayData,
    pub(crate) tus: tus::TusData,
}

impl Table for Meta {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.meta
    }
}

/// Loads every stored row of `T` into `data`.
pub(crate) fn load_table<T: Table>(store: &Store, data: &mut Data) -> Result<(), EmulatorError> {
    for row in store.load::<T>()? {
        table::insert(data, row);
    }
    Ok(())
}

/// Undoes one change in memory.
pub(crate) type Undo = Box<dyn FnOnce(&mut Data) + Send>;

/// What a write changed, kept when the state is persisted: the rows to store and how
/// to take each change back if storing them fails.
#[derive(Default)]
pub(crate) struct Journal {
    pub(crate) changes: Vec<Change>,
    pub(crate) undo: Vec<Undo>,
}

/// A write in progress: changes to [`Data`], journaled for the store.
pub(crate) struct Tx<'a> {
    data: &'a mut Data,
    journal: Option<Journal>,
}

impl Tx<'_> {
    /// The rows, to read while writing.
    pub(crate) fn data(&self) -> &Data {
        self.data
    }

    fn journal<T: Table>(&mut self, key: String, change: Change, old: Option<T>) {
        if let Some(journal) = &mut self.journal {
            journal.changes.push(change);
            journal
                .undo
                .push(Box::new(move |data| table::restore::<T>(data, &key, old)));
        }
    }

    /// Inserts or replaces `row`.
    pub(crate) fn put<T: Table>(&mut self, row: T) {
        let change = self.journal.is_some().then(|| Change::put(&row));
        let key = row.key();
        let old = table::insert(self.data, row);
        if let Some(change) = change {
            self.journal(key, change, old);
        }
    }

    /// Removes the row with `key`, returning it.
    pub(crate) fn delete<T: Table>(&mut self, key: &str) -> Option<T> {
        let removed = table::remove::<T>(self.data, key)?;
        if self.journal.is_some() {
            self.journal(
                key.to_owned(),
                Change::delete::<T>(key),
                Some(removed.clone()),
            );
        }
        Some(removed)
    }

    /// Changes the row with `key` in place, if it exists, and returns the new row.
    pub(crate) fn update<T: Table>(&mut self, key: &str, change: impl FnOnce(&mut T)) -> Option<T> {
        let mut row = T::rows_mut(self.data).get(key)?.clone();
        change(&mut row);
        self.put(row.clone());
        Some(row)
    }
}

/// Everything the emulator knows.
pub(crate) struct State {
    data: Arc<Mutex<Data>>,
    /// Commits changes to disk when the state is persisted.
    writer: Option<Writer>,
    pub(crate) blobs: BlobStore,
    pub(crate) clock: Clock,
    pub(crate) faults: RwLock<Faults>,
    pub(crate) limiter: RateLimiter,
    /// TUS bytes received and request cuts done.
    pub(crate) received: received::ReceivedCounters,
    jwt_secret: Vec<u8>,
}

impl State {
    pub(crate) fn new(
        data: Data,
        store: Store,
        blobs: BlobStore,
        faults: Faults,
        limiter: RateLimiter,
    ) -> Self {
        let jwt_secret = data
            .meta
            .get("meta")
            .map(|meta| hex::decode(&meta.jwt_secret).expect("the stored JWT secret is hex"))
            .expect("state is created with its meta row");
        let data = Arc::new(Mutex::new(data));
        let writer = store
            .is_persistent()
            .then(|| Writer::start(store, data.clone()));
        State {
            data,
            writer,
            blobs,
            clock: Clock::default(),
            faults: RwLock::new(faults),
            limiter,
            received: received::ReceivedCounters::default(),
            jwt_secret,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Data> {
        lock(&self.data)
    }

    /// Commits what is queued and closes the database (see [`Writer::close`]); the
    /// emulator calls it when it stops.
    pub(crate) fn close(&self) {
        if let Some(writer) = &self.writer {
            writer.close();
        }
    }

    /// Reads the state. With a state directory, waits (off the async workers) until
    /// every change this read may have seen is committed, so that no answer shows
    /// what a crash could still take back.
    pub(crate) fn read<R>(&self, read: impl FnOnce(&Data) -> R) -> R {
        let (result, seen) = {
            let data = self.lock();
            let seen = self.writer.as_ref().map(Writer::submitted);
            (read(&data), seen)
        };
        if let (Some(writer), Some(seen)) = (&self.writer, seen) {
            writer.wait_processed(seen);
        }
        result
    }

    /// Changes the state. In memory the change is done when this returns. With a
    /// state directory it returns once the batch holding the change is committed
    /// durably (the commit runs on the writer thread, not under the state's lock);
    /// if that commit fails, the change (and every change queued after it) is taken
    /// back in memory too, and this returns the error.
    pub(crate) fn write<R>(
        &self,
        write: impl FnOnce(&mut Tx<'_>) -> R,
    ) -> Result<R, EmulatorError> {
        let (result, ticket) = {
            let mut data = self.lock();
            let mut tx = Tx {
                data: &mut data,
                journal: self.writer.as_ref().map(|_| Journal::default()),
            };
            let result = write(&mut tx);
            let journal = tx.journal;
            let wait = match (&self.writer, journal) {
                (Some(writer), Some(journal)) if journal.changes.is_empty() => {
                    Some(Wait::Seen(writer.submitted()))
                }
                (Some(writer), Some(journal)) => Some(Wait::Committed(writer.submit(journal))),
                _ => None,
            };
            (result, wait)
        };
        match (&self.writer, ticket) {
            (Some(writer), Some(Wait::Committed(ticket))) => writer.wait(ticket)?,
            // Nothing changed, but what was read must be on disk before it is told.
            (Some(writer), Some(Wait::Seen(seen))) => writer.wait_processed(seen),
            _ => {}
        }
        Ok(result)
    }

    /// The key every emulator JWT is signed with.
    pub(crate) fn jwt_secret(&self) -> &[u8] {
        &self.jwt_secret
    }

    /// The identities and admin credentials fixed at creation.
    pub(crate) fn meta(&self) -> Meta {
        self.read(|data| data.meta.get("meta").cloned())
            .expect("state is created with its meta row")
    }
}

/// What a write waits for once it has released the lock.
enum Wait {
    /// Its own journal's commit.
    Committed(writer::Ticket),
    /// Every journal queued before it read (it changed nothing).
    Seen(u64),
}

fn lock(data: &Mutex<Data>) -> MutexGuard<'_, Data> {
    // A panic in a handler must not wedge every later request.
    data.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests;
