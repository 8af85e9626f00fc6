//! W3IPFS's pin indexes against a scan: after any inserts, changes and removals, every
//! list page and its totals, the duplicate check and the pending pins equal what
//! filtering and sorting every row gives.

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use serde_json::{Map, Value};

use super::{PinListQuery, PinRow, PinSort, has_active_pin, has_metadata, pending_pins};
use crate::state::{Data, table};

fn base() -> DateTime<Utc> {
    "2024-05-01T00:00:00Z".parse().unwrap()
}

fn id(n: u8) -> String {
    uuid::Uuid::from_u128(u128::from(n) * 0x9876_5432_1fed).to_string()
}

const CIDS: [&str; 3] = ["bafyaaa", "bafybbb", "bafyccc"];
const STATUSES: [&str; 3] = ["PENDING", "RETRIEVAL", "DONE"];

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0i64..3).prop_map(Value::from),
        Just(Value::from("1")),
        Just(Value::from(1.0)),
        Just(Value::from("x")),
    ]
}

fn metadata() -> impl Strategy<Value = Map<String, Value>> {
    proptest::collection::btree_map(prop_oneof![Just("a"), Just("b")], value(), 0..3)
        .prop_map(|map| map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

fn row() -> impl Strategy<Value = PinRow> {
    (
        (0u8..10, 0usize..3, 0u64..5, 0i64..4, any::<bool>()),
        (
            proptest::option::of(0i64..3),
            0usize..3,
            proptest::option::of(prop_oneof![Just("b"), Just("a"), Just("a b")]),
            proptest::option::of(metadata()),
        ),
    )
        .prop_map(
            |((n, cid, size, created, pinned), (unpinned, status, name, keyvalues))| PinRow {
                id: id(n),
                cid: CIDS[cid].into(),
                size,
                file_record_id: None,
                date_pinned: base(),
                date_unpinned: unpinned.map(|m| base() + Duration::minutes(m)),
                created_at: base() + Duration::minutes(created),
                updated_at: base(),
                pinned,
                is_pin_by_hash: false,
                is_dir: false,
                name: name.map(str::to_owned),
                mime_type: None,
                keyvalues,
                status: STATUSES[status].into(),
            },
        )
}

#[derive(Debug, Clone)]
enum Step {
    Put(Box<PinRow>),
    Remove(u8),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => row().prop_map(|row| Step::Put(Box::new(row))),
        1 => (0u8..10).prop_map(Step::Remove),
    ]
}

fn apply(data: &mut Data, steps: Vec<Step>) {
    for step in steps {
        match step {
            Step::Put(row) => {
                table::insert(data, *row);
            }
            Step::Remove(n) => {
                table::remove::<PinRow>(data, &id(n));
            }
        }
    }
}

/// The list as it was computed before the indexes: filter, sort by key, reverse.
fn scan<'a>(data: &'a Data, query: &PinListQuery<'_>) -> (Vec<&'a PinRow>, usize, u128) {
    let mut rows: Vec<&PinRow> = data
        .w3ipfs
        .pins
        .values()
        .filter(|row| query.pinned.is_none_or(|want| row.pinned == want))
        .filter(|row| has_metadata(row.keyvalues.as_ref(), query.metadata))
        .collect();
    rows.sort_by_key(|row| match query.sort {
        PinSort::Size => (row.size as i64, row.id.clone()),
        PinSort::Name => (
            0,
            format!("{}\u{0}{}", row.name.clone().unwrap_or_default(), row.id),
        ),
        PinSort::Created => (row.created_at.timestamp_micros(), row.id.clone()),
    });
    if !query.ascending {
        rows.reverse();
    }
    let files = rows.len();
    let size = rows.iter().map(|row| u128::from(row.size)).sum();
    let page = rows
        .into_iter()
        .skip(query.offset)
        .take(query.limit)
        .collect();
    (page, files, size)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn indexed_lists_equal_a_scan(
        steps in proptest::collection::vec(step(), 0..30),
        wanted in metadata(),
        pinned in proptest::option::of(any::<bool>()),
        sort in prop_oneof![Just(PinSort::Created), Just(PinSort::Size), Just(PinSort::Name)],
        ascending in any::<bool>(),
        offset in 0usize..4,
        limit in 1usize..5,
    ) {
        let mut data = Data::default();
        apply(&mut data, steps);
        let query = PinListQuery { pinned, metadata: &wanted, sort, ascending, offset, limit };
        let page = query.page(&data.w3ipfs);
        let (rows, files, size) = scan(&data, &query);
        prop_assert_eq!(page.rows, rows);
        prop_assert_eq!(page.files, files);
        prop_assert_eq!(page.size, size);
    }

    #[test]
    fn lookups_equal_a_scan(steps in proptest::collection::vec(step(), 0..30)) {
        let mut data = Data::default();
        apply(&mut data, steps);
        for cid in CIDS {
            let scanned = data
                .w3ipfs
                .pins
                .values()
                .any(|row| row.cid == cid && row.date_unpinned.is_none());
            prop_assert_eq!(has_active_pin(&data, cid), scanned);
            let any = data.w3ipfs.pins.values().find(|row| row.cid == cid);
            prop_assert_eq!(super::any_pin_of_cid(&data, cid), any);
        }
        let scanned: Vec<String> = data
            .w3ipfs
            .pins
            .values()
            .filter(|row| row.date_unpinned.is_none())
            .filter(|row| row.status == "PENDING" || row.status == "RETRIEVAL")
            .map(|row| row.id.clone())
            .collect();
        prop_assert_eq!(pending_pins(&data), scanned);
    }
}
