//! Deterministic, incompressible test bytes: the rule `crates/pinion-cid/fixtures`
//! names `xorshift32:<seed>` (xorshift32 seeded by FNV-1a-32 of the seed, little-endian
//! words), so fixtures, tests and benchmarks all make the same bytes.

use std::io::Write;
use std::path::Path;

/// The fixture byte stream for `seed`, produced in blocks without holding it all.
#[derive(Debug, Clone)]
pub struct FixtureBytes {
    state: u32,
}

impl FixtureBytes {
    /// The stream for `seed`.
    pub fn new(seed: &str) -> Self {
        let mut hash: u32 = 0x811c_9dc5;
        for byte in seed.bytes() {
            hash ^= u32::from(byte);
            hash = hash.wrapping_mul(0x0100_0193);
        }
        Self {
            state: if hash == 0 { 1 } else { hash },
        }
    }

    /// Fills `out` with the next bytes. `out.len()` must be a multiple of 4 except for
    /// the last call, or the stream is no longer the fixture rule.
    pub fn fill(&mut self, out: &mut [u8]) {
        let mut words = out.chunks_exact_mut(4);
        for word in &mut words {
            word.copy_from_slice(&self.next_word().to_le_bytes());
        }
        let rest = words.into_remainder();
        if !rest.is_empty() {
            let word = self.next_word().to_le_bytes();
            rest.copy_from_slice(&word[..rest.len()]);
        }
    }

    fn next_word(&mut self) -> u32 {
        let mut x = self.state;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.state = x;
        x
    }

    /// `len` bytes of the stream in `block`-sized pieces (the last one shorter).
    pub fn blocks(mut self, len: u64, block: usize) -> impl Iterator<Item = Vec<u8>> {
        let block = block.max(4) / 4 * 4;
        let mut left = len;
        std::iter::from_fn(move || {
            if left == 0 {
                return None;
            }
            let size = left.min(block as u64) as usize;
            let mut piece = vec![0; size];
            self.fill(&mut piece);
            left -= size as u64;
            Some(piece)
        })
    }
}

/// `len` fixture bytes for `seed`.
///
/// ```
/// let bytes = pinion_testkit::fixture::xorshift_bytes("a", 10);
/// assert_eq!(bytes.len(), 10);
/// assert_eq!(bytes, pinion_testkit::fixture::xorshift_bytes("a", 10));
/// ```
pub fn xorshift_bytes(seed: &str, len: usize) -> Vec<u8> {
    let mut out = vec![0; len];
    FixtureBytes::new(seed).fill(&mut out);
    out
}

/// Writes `len` fixture bytes for `seed` to `path`, 1 MiB at a time.
pub fn write_file(path: &Path, seed: &str, len: u64) -> std::io::Result<()> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    for block in FixtureBytes::new(seed).blocks(len, 1 << 20) {
        file.write_all(&block)?;
    }
    file.into_inner().map_err(|e| e.into_error())?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_whole_agree() {
        let whole = xorshift_bytes("seed", 10_003);
        let pieces: Vec<u8> = FixtureBytes::new("seed")
            .blocks(10_003, 1000)
            .flatten()
            .collect();
        assert_eq!(whole, pieces);
    }

    #[test]
    fn known_prefix() {
        // FNV-1a-32("") = 0x811c9dc5; one xorshift32 step of it, little-endian.
        let mut x: u32 = 0x811c_9dc5;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        assert_eq!(xorshift_bytes("", 4), x.to_le_bytes());
    }
}
