//! The incremental hasher gives the same result however the bytes are split.

use pinion_cid::{CHUNK_SIZE, CidVersion, FileHasher, hash_bytes};
use proptest::prelude::*;

/// Cheap deterministic content (proptest-generated megabytes would be slow).
fn content(seed: u32, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    let mut out = Vec::with_capacity(len + 4);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        out.extend_from_slice(&x.to_le_bytes());
    }
    out.truncate(len);
    out
}

fn version() -> impl Strategy<Value = CidVersion> {
    prop_oneof![Just(CidVersion::V0), Just(CidVersion::V1)]
}

fn length() -> impl Strategy<Value = usize> {
    prop_oneof![
        0..1_000usize,
        (CHUNK_SIZE - 64)..(CHUNK_SIZE + 64),
        0..(3 * CHUNK_SIZE + 1_000),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn split_points_do_not_matter(
        seed in any::<u32>(),
        len in length(),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..24),
        version in version(),
    ) {
        let data = content(seed, len);
        let expected = hash_bytes(&data, version);

        let mut points: Vec<usize> = cuts.iter().map(|c| c.index(len + 1)).collect();
        points.push(0);
        points.push(len);
        points.sort_unstable();
        let mut hasher = FileHasher::new(version);
        for pair in points.windows(2) {
            hasher.update(&data[pair[0]..pair[1]]);
        }
        prop_assert_eq!(hasher.byte_len(), len as u64);
        prop_assert_eq!(hasher.finish(), expected);
    }
}

#[cfg(feature = "tokio")]
#[tokio::test]
async fn async_reader_matches() {
    let data = content(7, 2 * CHUNK_SIZE + 3);
    for version in [CidVersion::V0, CidVersion::V1] {
        let got = pinion_cid::hash_async_reader(&data[..], version)
            .await
            .unwrap();
        assert_eq!(got, hash_bytes(&data, version));
    }
}
