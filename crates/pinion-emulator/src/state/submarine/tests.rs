//! Submarine's content indexes against a scan, after any inserts, changes and removals.

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use serde_json::Map;

use super::{ContentRow, FolderFile, content_of_cid, covering_ids, is_content_id};
use crate::state::{Data, table};

const CIDS: [&str; 3] = ["QmAaa", "QmBbb", "QmCcc"];
const PATHS: [&str; 2] = ["a.txt", "b/c.txt"];

fn id(n: u8) -> String {
    format!("content-{n:02}")
}

fn base() -> DateTime<Utc> {
    "2024-05-01T00:00:00Z".parse().unwrap()
}

fn row() -> impl Strategy<Value = ContentRow> {
    (
        0u8..8,
        0usize..3,
        0i64..4,
        any::<bool>(),
        proptest::collection::vec((0u8..6, 0usize..3, 0usize..2), 0..3),
    )
        .prop_map(|(n, cid, created, published, files)| ContentRow {
            id: id(n),
            cid: CIDS[cid].into(),
            name: format!("item {n}"),
            originalname: format!("item {n}"),
            size: 1,
            mime_type: None,
            metadata: Map::new(),
            pin_to_ipfs: published,
            created_at: base() + Duration::minutes(created),
            files: files
                .into_iter()
                .map(|(file, cid, path)| FolderFile {
                    // File ids are unique across items, as the service makes them.
                    id: format!("file-{n}-{file}"),
                    path: PATHS[path].into(),
                    cid: CIDS[cid].into(),
                    size: 1,
                })
                .collect(),
        })
}

#[derive(Debug, Clone)]
enum Step {
    Put(Box<ContentRow>),
    Remove(u8),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => row().prop_map(|row| Step::Put(Box::new(row))),
        1 => (0u8..8).prop_map(Step::Remove),
    ]
}

/// `covering_ids` as it was: a scan of every item.
fn scanned_covering(data: &Data, cid: &str, path: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for row in data.submarine.content.values() {
        if row.cid == cid {
            ids.push(row.id.clone());
            ids.extend(
                row.files
                    .iter()
                    .filter(|f| f.path == path)
                    .map(|f| f.id.clone()),
            );
        }
        ids.extend(
            row.files
                .iter()
                .filter(|f| f.cid == cid && path.is_empty())
                .map(|f| f.id.clone()),
        );
    }
    ids.sort();
    ids
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn lookups_equal_a_scan(steps in proptest::collection::vec(step(), 0..30)) {
        let mut data = Data::default();
        for step in steps {
            match step {
                Step::Put(row) => {
                    table::insert(&mut data, *row);
                }
                Step::Remove(n) => {
                    table::remove::<ContentRow>(&mut data, &id(n));
                }
            }
        }
        let content = &data.submarine.content;
        for cid in CIDS {
            let scanned = content.values().find(|row| row.cid == cid);
            prop_assert_eq!(content_of_cid(&data, cid), scanned);
            for path in ["", PATHS[0], PATHS[1]] {
                let mut indexed = covering_ids(&data, cid, path);
                indexed.sort();
                prop_assert_eq!(indexed, scanned_covering(&data, cid, path));
            }
        }
        for n in 0..8u8 {
            for candidate in [id(n), format!("file-{n}-0"), format!("file-{n}-5")] {
                let scanned = content.contains_key(&candidate)
                    || content.values().any(|row| row.files.iter().any(|f| f.id == candidate));
                prop_assert_eq!(is_content_id(&data, &candidate), scanned);
            }
        }
        let index = &data.submarine.content_index;
        for published in [None, Some(true), Some(false)] {
            let mut scanned: Vec<&ContentRow> = content
                .values()
                .filter(|row| published.is_none_or(|p| row.pin_to_ipfs == p))
                .collect();
            scanned.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
            let set = match published {
                Some(p) => index.with_published(p),
                None => index.all(),
            };
            let indexed: Vec<&ContentRow> =
                set.iter().filter_map(|(_, id)| content.get(&**id)).collect();
            prop_assert_eq!(indexed, scanned);
        }
    }
}
