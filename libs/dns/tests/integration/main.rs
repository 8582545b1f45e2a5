//! Integration tests of tiwire-dns.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod kzonecheck;
mod plan;
mod srv;
mod txt;

/// SplitMix64: a small deterministic RNG so ordering tests give the same draws on every run.
pub(crate) struct SplitMix64(pub(crate) u64);

impl rand_core::TryRng for SplitMix64 {
    type Error = core::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok((self.try_next_u64()? >> 32) as u32)
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Ok(z ^ (z >> 31))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

/// The sample plans shipped in this crate.
pub(crate) const BENCH_PLAN: &str = include_str!("../vectors/bench-provider.zoneplan.toml");
pub(crate) const SEED_PLAN: &str = include_str!("../vectors/seed-example.zoneplan.toml");
