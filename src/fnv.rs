//! FNV-1a, the crate's one stable hash: the same on every platform and Rust version, which
//! std's hashers do not promise. Derived leitmotifs and instruments, and the PDF's file ID,
//! depend on it never changing.

use std::hash::Hasher;

pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The hash of `bytes` in one go.
pub(crate) fn hash(bytes: &[u8]) -> u64 {
    let mut fnv = Fnv::default();
    fnv.write(bytes);
    fnv.finish()
}
