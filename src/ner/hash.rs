//! Stable 64-bit hashing used for feature hashing and resource look-ups.
//!
//! The functions here define the model format: changing them invalidates
//! every trained model, so they are written out by hand instead of relying
//! on a hasher whose algorithm may change between crate versions.

const K: u64 = 0x9E37_79B9_7F4A_7C15;
const M: u64 = 0xff51_afd7_ed55_8ccd;

/// MurmurHash3 finaliser.
#[inline]
pub(crate) fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(M);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// Hash a byte string.
#[inline]
pub(crate) fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = (bytes.len() as u64).wrapping_mul(K) ^ 0x2545_F491_4F6C_DD1D;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let v = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h ^ v).wrapping_mul(M).rotate_left(31);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(buf))
            .wrapping_mul(M)
            .rotate_left(31);
    }
    fmix(h)
}

#[inline]
pub(crate) fn hash_str(s: &str) -> u64 {
    hash_bytes(s.as_bytes())
}

/// Order-sensitive combination of two hashes.
#[inline]
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    fmix(a.wrapping_mul(K).rotate_left(17) ^ b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_values() {
        // These values pin the hash function: models depend on them.
        assert_eq!(hash_str(""), hash_bytes(b""));
        assert_ne!(hash_str("ab"), hash_str("ba"));
        assert_ne!(mix(1, 2), mix(2, 1));
        assert_eq!(hash_str("Amsterdam"), 0x6a15_7f98_46fc_0f1f);
        assert_eq!(mix(1, 2), 0xdf27_e6ad_97d2_30de);
    }
}
