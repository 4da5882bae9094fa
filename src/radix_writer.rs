//! Writes the table images that `src/radix.rs` reads in place. Used by
//! `build.rs` (which includes this file) and by the tests.

/// An image being written, in the target's byte order.
pub(crate) struct Writer {
    out: Vec<u8>,
    big_endian: bool,
}

impl Writer {
    /// An empty image for a target of this byte order.
    pub(crate) fn new(big_endian: bool) -> Writer {
        Writer {
            out: Vec::new(),
            big_endian,
        }
    }

    /// Appends raw bytes.
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        self.out.extend_from_slice(b);
    }

    /// Appends a `u8`.
    pub(crate) fn u8(&mut self, v: u8) {
        self.out.push(v);
    }

    /// Appends a `u16`.
    pub(crate) fn u16(&mut self, v: u16) {
        let b = if self.big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        self.bytes(&b);
    }

    /// Appends a `u32`.
    pub(crate) fn u32(&mut self, v: u32) {
        let b = if self.big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        self.bytes(&b);
    }

    /// Appends a `u64`.
    pub(crate) fn u64(&mut self, v: u64) {
        let b = if self.big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        };
        self.bytes(&b);
    }

    /// Pads with zeros to a multiple of 8 bytes: every section starts aligned.
    pub(crate) fn pad(&mut self) {
        while !self.out.len().is_multiple_of(8) {
            self.out.push(0);
        }
    }

    /// Appends a key set: `keys` must be sorted and free of duplicates.
    /// The values of a table follow, in the same order, then [`Writer::pad`].
    pub(crate) fn set(&mut self, keys: &[u64]) {
        assert!(
            keys.windows(2).all(|w| w[0] < w[1]),
            "table keys must be sorted and unique"
        );
        assert!(keys.len() < u32::MAX as usize, "table too large");
        // About one key per directory slot.
        let bits = keys
            .len()
            .max(2)
            .next_power_of_two()
            .trailing_zeros()
            .min(32);
        let shift = 64 - bits;
        self.pad();
        self.u64(keys.len() as u64);
        self.u64(u64::from(bits));
        let mut i = 0;
        for b in 0..=(1u64 << bits) {
            while i < keys.len() && keys[i] >> shift < b {
                i += 1;
            }
            self.u32(i as u32);
        }
        self.pad();
        for &k in keys {
            self.u64(k);
        }
    }

    /// The image.
    pub(crate) fn into_bytes(mut self) -> Vec<u8> {
        self.pad();
        self.out
    }
}
