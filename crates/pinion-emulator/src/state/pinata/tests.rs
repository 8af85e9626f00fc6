//! The pin indexes against a scan: after any sequence of inserts, changes and
//! removals, every `pinList` page, count, CID lookup and total answered from the
//! indexes equals what filtering and sorting every row gives.

use chrono::{DateTime, Duration, Utc};
use pinion_api::pinata::types as wire;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use super::{
    PinFilter, PinRow, PinStatus, account_policy, active_pin, copies, parse_keyvalue_filters,
};
use crate::state::{Data, table};

fn base() -> DateTime<Utc> {
    "2024-05-01T00:00:00Z".parse().unwrap()
}

fn id(n: u8) -> String {
    uuid::Uuid::from_u128(u128::from(n) * 0x1234_5678_9abc).to_string()
}

const CIDS: [&str; 4] = ["bafyaaa", "bafybbb", "QmCcc", "QmDdd"];
const NAMES: [&str; 3] = ["Alpha", "beta", "Gamma alpha"];

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0i64..3).prop_map(Value::from),
        (0i64..3).prop_map(|n| Value::from(n.to_string())),
        Just(Value::from("1.0")),
        Just(Value::from("x")),
        Just(Value::from("X")),
        Just(Value::from(true)),
        Just(Value::from("2024-01-01")),
        Just(Value::from("2024-01-01T00:00:00Z")),
    ]
}

fn keyvalues() -> impl Strategy<Value = Map<String, Value>> {
    proptest::collection::btree_map(prop_oneof![Just("a"), Just("b"), Just("c")], value(), 0..3)
        .prop_map(|map| map.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

fn policy(copies: i64) -> wire::PinPolicy {
    wire::PinPolicy {
        regions: vec![wire::PinPolicyRegion {
            id: "FRA1".into(),
            desired_replication_count: copies,
        }],
        version: Some(1),
    }
}

fn row() -> impl Strategy<Value = PinRow> {
    (
        (
            0u8..12,
            0usize..4,
            0u64..100,
            0i64..6,
            proptest::option::of(0i64..6),
        ),
        (
            proptest::option::of(0usize..3),
            keyvalues(),
            proptest::option::of(prop_oneof![Just("g1"), Just("g2")]),
            proptest::option::of(0i64..3),
        ),
    )
        .prop_map(
            |((n, cid, size, pinned, unpinned), (name, keyvalues, group, copies))| PinRow {
                id: id(n),
                cid: CIDS[cid].into(),
                size,
                date_pinned: base() + Duration::minutes(pinned),
                date_unpinned: unpinned.map(|m| base() + Duration::minutes(m)),
                name: name.map(|i| NAMES[i].to_owned()),
                keyvalues,
                mime_type: None,
                number_of_files: 1,
                group_id: group.map(str::to_owned),
                pin_policy: copies.map(policy),
                expires_at: None,
                vectorized: false,
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
        1 => (0u8..12).prop_map(Step::Remove),
    ]
}

fn time(minutes: i64) -> DateTime<Utc> {
    base() + Duration::minutes(minutes)
}

fn keyvalue_condition() -> impl Strategy<Value = Value> {
    let op = prop_oneof![
        4 => Just("eq"),
        1 => Just("ne"),
        1 => Just("gt"),
        1 => Just("like"),
    ];
    (prop_oneof![Just("a"), Just("b"), Just("c")], value(), op).prop_map(|(key, value, op)| {
        let value = if op == "like" {
            Value::from(format!("{}%", value.as_str().unwrap_or("x")))
        } else {
            value
        };
        json!({ key: { "value": value, "op": op } })
    })
}

fn filter() -> impl Strategy<Value = PinFilter> {
    (
        (
            prop_oneof![
                Just(PinStatus::All),
                Just(PinStatus::Pinned),
                Just(PinStatus::Unpinned)
            ],
            proptest::option::of(0usize..5),
            proptest::option::of(prop_oneof![Just("g1"), Just("g2"), Just("g3")]),
            proptest::option::of(0i64..7),
            proptest::option::of(0i64..7),
        ),
        (
            proptest::option::of(0i64..7),
            proptest::option::of(0u64..100),
            proptest::option::of(prop_oneof![Just("ALPHA"), Just("bet")]),
            proptest::collection::vec(keyvalue_condition(), 0..3),
            proptest::option::of(prop_oneof![Just("bafy"), Just("Cc")]),
        ),
    )
        .prop_map(
            |((status, cid, group, start, end), (unpin_start, size_min, name, kv, contains))| {
                let json: Vec<String> = kv.iter().map(Value::to_string).collect();
                PinFilter {
                    status,
                    cid_contains: contains.map(str::to_owned),
                    cid: cid.map(|i| CIDS.get(i).copied().unwrap_or("bafyzzz").to_owned()),
                    group_id: group.map(str::to_owned),
                    pin_start: start.map(time),
                    pin_end: end.map(time),
                    unpin_start: unpin_start.map(time),
                    unpin_end: None,
                    size_min,
                    size_max: None,
                    name: name.map(str::to_owned),
                    keyvalues: parse_keyvalue_filters(&json, &[]).expect("valid conditions"),
                    ..PinFilter::default()
                }
            },
        )
}

fn scan<'a>(data: &'a Data, filter: &PinFilter) -> Vec<&'a PinRow> {
    let mut rows: Vec<&PinRow> = data
        .pinata
        .pins
        .values()
        .filter(|row| filter.matches(row))
        .collect();
    rows.sort_by(|a, b| b.date_pinned.cmp(&a.date_pinned).then(b.id.cmp(&a.id)));
    rows
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn indexed_pages_equal_a_scan(
        steps in proptest::collection::vec(step(), 0..40),
        filters in proptest::collection::vec(filter(), 1..6),
        offset in 0usize..5,
        limit in 1usize..6,
    ) {
        let mut data = Data::default();
        apply(&mut data, steps);
        for filter in &filters {
            let expected = scan(&data, filter);
            for count in [true, false] {
                let page = filter.page(&data.pinata, offset, limit, count);
                let want: Vec<&PinRow> =
                    expected.iter().copied().skip(offset).take(limit).collect();
                prop_assert_eq!(&page.rows, &want, "{:?}", filter);
                prop_assert_eq!(page.count, count.then_some(expected.len()), "{:?}", filter);
            }
        }
    }

    #[test]
    fn lookups_and_totals_equal_a_scan(steps in proptest::collection::vec(step(), 0..40)) {
        let mut data = Data::default();
        apply(&mut data, steps);
        for cid in CIDS {
            let scanned = data.pinata.pins.values().find(|row| row.cid == cid && row.is_pinned());
            prop_assert_eq!(active_pin(&data, cid), scanned);
            let any = data.pinata.pins.values().find(|row| row.cid == cid);
            prop_assert_eq!(super::any_pin_of_cid(&data, cid), any);
        }
        let active: Vec<&PinRow> = data.pinata.pins.values().filter(|r| r.is_pinned()).collect();
        let totals = data.pinata.pin_index.totals();
        prop_assert_eq!(totals.count, active.len() as u64);
        prop_assert_eq!(totals.size, active.iter().map(|r| u128::from(r.size)).sum::<u128>());
        let account = copies(&account_policy(&data));
        let replicated: u128 = active
            .iter()
            .map(|r| u128::from(r.size) * u128::from(r.pin_policy.as_ref().map_or(account, copies)))
            .sum();
        prop_assert_eq!(
            totals.replicated_own_policy + totals.size_on_account_policy * u128::from(account),
            replicated
        );
        for group in ["g1", "g2"] {
            let mut scanned: Vec<String> = data
                .pinata
                .pins
                .values()
                .filter(|row| row.group_id.as_deref() == Some(group))
                .map(|row| row.id.clone())
                .collect();
            let mut indexed = super::group_members(&data, group);
            scanned.sort();
            indexed.sort();
            prop_assert_eq!(indexed, scanned);
        }
    }
}
