//! **Not a stable API**: the hook of the state-scale benchmark
//! (`benches/state_scale.rs`). It seeds Pinata pins straight into the state of the
//! in-process [`Harness`](crate::fuzzing::Harness), far faster than a million
//! uploads, so requests sent through the harness can be timed against a large state.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Map, Value};

use crate::fuzzing::Harness;
use crate::state::pinata::PinRow;

/// Rows per write while seeding.
const CHUNK: usize = 10_000;

/// The key-values of seeded pin `n`: `env` is `prod` or `dev` (half each) and `batch`
/// one of 1,000 numbers.
pub fn seeded_keyvalues(n: usize) -> Map<String, Value> {
    let mut keyvalues = Map::new();
    let env = if n.is_multiple_of(2) { "prod" } else { "dev" };
    keyvalues.insert("env".into(), Value::from(env));
    keyvalues.insert("batch".into(), Value::from(n % 1000));
    keyvalues
}

/// The CID of seeded pin `n` (unique; the emulator holds no content for it).
pub fn seeded_cid(n: usize) -> String {
    format!("bafkreiseed{n:048}")
}

/// Adds Pinata pins until the state holds `total` (each an active pin, one second
/// after the previous, with [`seeded_keyvalues`]); returns how many were added.
pub fn seed_pinata_pins(harness: &Harness, total: usize) -> usize {
    let state = harness.state();
    let start: DateTime<Utc> = "2020-01-01T00:00:00Z".parse().expect("a date");
    let have = state.read(|data| data.pinata.pins.len());
    let mut n = have;
    while n < total {
        let end = (n + CHUNK).min(total);
        state
            .write(|tx| {
                for n in n..end {
                    tx.put(PinRow {
                        id: crate::secrets::uuid(),
                        cid: seeded_cid(n),
                        size: 1000 + n as u64 % 1000,
                        date_pinned: start + Duration::seconds(n as i64),
                        date_unpinned: None,
                        name: Some(format!("seed-{n}.json")),
                        keyvalues: seeded_keyvalues(n),
                        mime_type: Some("application/json".into()),
                        number_of_files: 1,
                        group_id: None,
                        pin_policy: None,
                        expires_at: None,
                        vectorized: false,
                    });
                }
            })
            .expect("an in-memory write cannot fail");
        n = end;
    }
    total.saturating_sub(have)
}
