//! A persisted state: what a failed commit leaves, and concurrent writes batched by
//! the writer thread.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::Ordering;

use super::objects::{ObjectKind, StoredObject};
use super::pinata::{PinFilter, PinRow, active_pin};
use super::{AppState, Data, load_table};
use crate::store::Store;

fn pin(n: u128, cid: &str) -> PinRow {
    PinRow {
        id: uuid::Uuid::from_u128(n).to_string(),
        cid: cid.into(),
        size: 10,
        date_pinned: "2024-05-01T00:00:00Z".parse().unwrap(),
        date_unpinned: None,
        name: Some(format!("pin {n}")),
        keyvalues: serde_json::Map::new(),
        mime_type: None,
        number_of_files: 1,
        group_id: None,
        pin_policy: None,
        expires_at: None,
        vectorized: false,
    }
}

fn object(cid: &str) -> StoredObject {
    StoredObject {
        cid: cid.into(),
        pin_size: 10,
        byte_len: 10,
        kind: ObjectKind::File {
            blob: "blob".into(),
        },
        public_pins: 1,
        published: Some(true),
    }
}

type Snapshot = (BTreeMap<String, PinRow>, BTreeMap<String, StoredObject>);

fn in_memory(state: &AppState) -> Snapshot {
    state.read(|data| (data.pinata.pins.clone(), data.objects.clone()))
}

fn on_disk(dir: &Path) -> Snapshot {
    let store = Store::open(&dir.join("state.redb")).unwrap();
    let mut data = Data::default();
    load_table::<PinRow>(&store, &mut data).unwrap();
    load_table::<StoredObject>(&store, &mut data).unwrap();
    (data.pinata.pins, data.objects)
}

fn open(dir: &Path) -> AppState {
    crate::Emulator::builder()
        .state_dir(dir)
        .open_state()
        .unwrap()
}

#[test]
fn a_failed_commit_leaves_memory_as_on_disk() {
    let dir = tempfile::tempdir().unwrap();
    let state = open(dir.path());
    let first = pin(1, "bafyone");
    state
        .write(|tx| {
            tx.put(first.clone());
            tx.put(object("bafyone"));
        })
        .unwrap();
    let before = in_memory(&state);

    let fail = &state.writer.as_ref().unwrap().fail_commits;
    fail.store(true, Ordering::SeqCst);
    let error = state
        .write(|tx| {
            tx.put(pin(2, "bafytwo"));
            tx.put(object("bafytwo"));
            tx.update::<PinRow>(&first.id, |row| row.name = Some("renamed".into()));
            tx.update::<StoredObject>("bafyone", |object| object.public_pins = 0);
            tx.delete::<PinRow>(&first.id);
        })
        .unwrap_err();
    assert!(error.to_string().contains("undone"), "{error}");
    assert_eq!(in_memory(&state), before);
    // The indexes were taken back too.
    state.read(|data| {
        assert_eq!(active_pin(data, "bafyone"), Some(&first));
        assert_eq!(active_pin(data, "bafytwo"), None);
        let page = PinFilter::default().page(&data.pinata, 0, 10, true);
        assert_eq!(page.rows, vec![&first]);
        assert_eq!(page.count, Some(1));
    });

    fail.store(false, Ordering::SeqCst);
    state.write(|tx| tx.put(pin(3, "bafythree"))).unwrap();
    let memory = in_memory(&state);
    assert_eq!(memory.0.len(), 2);
    drop(state);
    assert_eq!(on_disk(dir.path()), memory);
}

#[test]
fn concurrent_writes_are_all_committed() {
    let dir = tempfile::tempdir().unwrap();
    let state = open(dir.path());
    std::thread::scope(|scope| {
        for thread in 0..8u128 {
            let state = &state;
            scope.spawn(move || {
                for n in 0..25u128 {
                    let row = pin(thread * 1000 + n, &format!("bafy{thread}x{n}"));
                    state.write(|tx| tx.put(row)).unwrap();
                }
            });
        }
    });
    let memory = in_memory(&state);
    assert_eq!(memory.0.len(), 200);
    drop(state);
    assert_eq!(on_disk(dir.path()), memory);
}
