//! The emulator's state: every service's rows in memory, written through to the
//! [`Store`] when one is configured, plus the blobs, the clock and the signing secret.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use serde::{Deserialize, Serialize};

use crate::blobs::BlobStore;
use crate::clock::Clock;
use crate::content::StoredObject;
use crate::faults::Faults;
use crate::limits::RateLimiter;
use crate::store::{Change, Record, Store};
use crate::{EmulatorError, pinata, submarine, w3ipfs};

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
}

/// A record type together with where its rows live in [`Data`].
pub(crate) trait Table: Record {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self>;
}

impl Table for Meta {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.meta
    }
}

impl Table for StoredObject {
    fn rows_mut(data: &mut Data) -> &mut BTreeMap<String, Self> {
        &mut data.objects
    }
}

/// Loads every stored row of `T` into `data`.
pub(crate) fn load_table<T: Table>(store: &Store, data: &mut Data) -> Result<(), EmulatorError> {
    let rows = T::rows_mut(data);
    for row in store.load::<T>()? {
        rows.insert(row.key(), row);
    }
    Ok(())
}

/// A write in progress: changes to [`Data`] recorded for the store.
pub(crate) struct Tx<'a> {
    data: &'a mut Data,
    changes: Vec<Change>,
}

impl Tx<'_> {
    /// The rows, to read while writing.
    pub(crate) fn data(&self) -> &Data {
        self.data
    }

    /// Inserts or replaces `row`.
    pub(crate) fn put<T: Table>(&mut self, row: T) {
        self.changes.push(Change::put(&row));
        T::rows_mut(self.data).insert(row.key(), row);
    }

    /// Removes the row with `key`, returning it.
    pub(crate) fn delete<T: Table>(&mut self, key: &str) -> Option<T> {
        let removed = T::rows_mut(self.data).remove(key);
        if removed.is_some() {
            self.changes.push(Change::delete::<T>(key));
        }
        removed
    }

    /// Changes the row with `key` in place, if it exists, and returns the new row.
    pub(crate) fn update<T: Table>(&mut self, key: &str, change: impl FnOnce(&mut T)) -> Option<T> {
        let row = T::rows_mut(self.data).get_mut(key)?;
        change(row);
        let row = row.clone();
        self.changes.push(Change::put(&row));
        Some(row)
    }
}

/// Everything the emulator knows.
pub(crate) struct State {
    data: Mutex<Data>,
    store: Store,
    pub(crate) blobs: BlobStore,
    pub(crate) clock: Clock,
    pub(crate) faults: RwLock<Faults>,
    pub(crate) limiter: RateLimiter,
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
        State {
            data: Mutex::new(data),
            store,
            blobs,
            clock: Clock::default(),
            faults: RwLock::new(faults),
            limiter,
            jwt_secret,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Data> {
        // A panic in a handler must not wedge every later request.
        self.data
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Reads the state.
    pub(crate) fn read<R>(&self, read: impl FnOnce(&Data) -> R) -> R {
        read(&self.lock())
    }

    /// Changes the state; the changes are stored before this returns.
    pub(crate) fn write<R>(
        &self,
        write: impl FnOnce(&mut Tx<'_>) -> R,
    ) -> Result<R, EmulatorError> {
        let mut data = self.lock();
        let mut tx = Tx {
            data: &mut data,
            changes: Vec::new(),
        };
        let result = write(&mut tx);
        let changes = tx.changes;
        self.store.apply(&changes)?;
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
