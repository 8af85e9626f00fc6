//! Persistence: every change to the emulator's state is written through to a redb
//! database when a state directory is given, in durable transactions that each hold
//! whole requests' changes (see `state::writer`), so a `kill -9` loses nothing that
//! was answered and never corrupts what is on disk. Each row is stored on its own, so
//! a change writes only the rows it touched, whatever the size of the state.
//!
//! The directory is private to its owner (0700) and the database file too (0600): it
//! holds the JWT signing key and every API key's secret.

use std::path::Path;

use redb::{ReadableDatabase, ReadableTable, TableDefinition};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::EmulatorError;

/// A row of the emulator's state, stored as JSON under `key()` in table `TABLE`.
pub(crate) trait Record: Serialize + DeserializeOwned + Clone + Send + 'static {
    /// The redb table the rows live in; unique per record type.
    const TABLE: &'static str;
    /// The row's primary key.
    fn key(&self) -> String;
}

/// One pending write: a row to store, or (with `value: None`) to delete.
#[derive(Debug)]
pub(crate) struct Change {
    table: &'static str,
    key: String,
    value: Option<Vec<u8>>,
}

impl Change {
    pub(crate) fn put<T: Record>(row: &T) -> Self {
        Change {
            table: T::TABLE,
            key: row.key(),
            value: Some(serde_json::to_vec(row).expect("emulator records serialize to JSON")),
        }
    }

    pub(crate) fn delete<T: Record>(key: &str) -> Self {
        Change {
            table: T::TABLE,
            key: key.to_owned(),
            value: None,
        }
    }
}

/// Where state is persisted: nowhere (in memory only) or a redb file.
pub(crate) struct Store {
    db: Option<redb::Database>,
    /// Tests make the next commits fail, to check what a failed commit leaves.
    #[cfg(test)]
    pub(crate) fail_commits: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// Creates `dir` (and its parents) if missing and makes it private to its owner.
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Creates `path` empty, readable and writable by its owner only, if missing; makes
/// an existing file private too (an older emulator left it 0644).
fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        options.open(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    options.open(path)?;
    Ok(())
}

impl Store {
    pub(crate) fn memory() -> Self {
        Store {
            db: None,
            #[cfg(test)]
            fail_commits: Default::default(),
        }
    }

    /// Opens (or creates, private to its owner) the database at `path`.
    pub(crate) fn open(path: &Path) -> Result<Self, EmulatorError> {
        let fail = |reason: String| EmulatorError::State {
            path: path.to_owned(),
            reason,
        };
        create_private_file(path).map_err(|error| fail(error.to_string()))?;
        let db = redb::Database::create(path).map_err(|error| fail(error.to_string()))?;
        Ok(Store {
            db: Some(db),
            #[cfg(test)]
            fail_commits: Default::default(),
        })
    }

    /// Whether changes are written anywhere.
    pub(crate) fn is_persistent(&self) -> bool {
        self.db.is_some()
    }

    /// Every stored row of `T`.
    pub(crate) fn load<T: Record>(&self) -> Result<Vec<T>, EmulatorError> {
        let Some(db) = &self.db else {
            return Ok(Vec::new());
        };
        let table_def: TableDefinition<&str, &[u8]> = TableDefinition::new(T::TABLE);
        let read = db.begin_read().map_err(store_error)?;
        let table = match read.open_table(table_def) {
            Ok(table) => table,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
            Err(error) => return Err(store_error(error)),
        };
        let mut rows = Vec::new();
        for entry in table.iter().map_err(store_error)? {
            let (key, value) = entry.map_err(store_error)?;
            let row = serde_json::from_slice(value.value()).map_err(|error| {
                EmulatorError::Store(format!(
                    "row {:?} of table {} does not decode: {error}",
                    key.value(),
                    T::TABLE
                ))
            })?;
            rows.push(row);
        }
        Ok(rows)
    }

    /// Applies `changes` in one durable transaction: all of them or, on error, none.
    pub(crate) fn apply<'a>(
        &self,
        changes: impl IntoIterator<Item = &'a Change>,
    ) -> Result<(), EmulatorError> {
        let Some(db) = &self.db else {
            return Ok(());
        };
        let mut changes = changes.into_iter().peekable();
        if changes.peek().is_none() {
            return Ok(());
        }
        let write = db.begin_write().map_err(store_error)?;
        for change in changes {
            let table_def: TableDefinition<&str, &[u8]> = TableDefinition::new(change.table);
            let mut table = write.open_table(table_def).map_err(store_error)?;
            match &change.value {
                Some(value) => {
                    table
                        .insert(change.key.as_str(), value.as_slice())
                        .map_err(store_error)?;
                }
                None => {
                    table.remove(change.key.as_str()).map_err(store_error)?;
                }
            }
        }
        #[cfg(test)]
        if self.fail_commits.load(std::sync::atomic::Ordering::SeqCst) {
            // Dropping the transaction aborts it, as a failed commit does.
            return Err(EmulatorError::Store("injected commit failure".into()));
        }
        write.commit().map_err(store_error)
    }
}

fn store_error(error: impl std::fmt::Display) -> EmulatorError {
    EmulatorError::Store(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
    struct Row {
        id: String,
        n: u32,
    }
    impl Record for Row {
        const TABLE: &'static str = "test_rows";
        fn key(&self) -> String {
            self.id.clone()
        }
    }

    #[test]
    fn rows_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.redb");
        {
            let store = Store::open(&path).unwrap();
            assert!(store.load::<Row>().unwrap().is_empty());
            let a = Row {
                id: "a".into(),
                n: 1,
            };
            let b = Row {
                id: "b".into(),
                n: 2,
            };
            store.apply(&[Change::put(&a), Change::put(&b)]).unwrap();
            store.apply(&[Change::delete::<Row>("a")]).unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(
            store.load::<Row>().unwrap(),
            vec![Row {
                id: "b".into(),
                n: 2
            }]
        );
    }

    #[test]
    fn memory_store_keeps_nothing() {
        let store = Store::memory();
        store
            .apply(&[Change::put(&Row {
                id: "a".into(),
                n: 1,
            })])
            .unwrap();
        assert!(store.load::<Row>().unwrap().is_empty());
    }
}
