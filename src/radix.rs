//! Read-only look-up tables used in place from a byte image that `build.rs`
//! computes at compile time, so that start-up parses and hashes nothing.
//!
//! A table maps 64-bit keys (already hashes, so their top bits are evenly
//! spread) to values. The keys are stored sorted; a directory indexed by
//! the top `bits` bits of a key gives the range of keys that share them
//! (one at most, on average), so a look-up costs one directory read and a short scan,
//! like a hash table, in 12 to 16 bytes per key and with no build step.
//!
//! Image layout (numbers in the target's byte order, every section padded
//! to 8 bytes): `n: u64`, `bits: u64`, `dir: [u32; 2^bits + 1]`,
//! `keys: [u64; n]`, then the caller's sections (for a table: `vals: [V; n]`).
//! `src/radix_writer.rs` writes it.

use std::fmt;

/// Types that may be read from the image in place: plain integers (and
/// arrays of them), for which every bit pattern is a valid value.
///
/// # Safety
/// Implementors must have no padding and no invalid bit patterns.
pub(crate) unsafe trait Plain: Copy + 'static {}
// SAFETY: integers and arrays of integers have neither padding nor invalid values.
unsafe impl Plain for u8 {}
// SAFETY: as above.
unsafe impl Plain for u16 {}
// SAFETY: as above.
unsafe impl Plain for u32 {}
// SAFETY: as above.
unsafe impl Plain for u64 {}
// SAFETY: as above.
unsafe impl Plain for i16 {}
// SAFETY: as above.
unsafe impl<T: Plain, const N: usize> Plain for [T; N] {}

/// Bytes aligned to 8, so that an embedded image can be read in place:
/// `&Aligned(*include_bytes!("..."))` coerces to `&Aligned<[u8]>`.
#[repr(C, align(8))]
pub(crate) struct Aligned<B: ?Sized>(pub B);

/// A cursor over an image, handing out its sections as typed slices.
pub(crate) struct Image {
    bytes: &'static [u8],
    pos: usize,
}

impl Image {
    /// Reads `bytes` from the start; they must be 8-aligned (see [`Aligned`]).
    pub(crate) fn new(bytes: &'static [u8]) -> Image {
        Image { bytes, pos: 0 }
    }

    /// The next `n` values of type `T`; the cursor then moves to the next
    /// multiple of 8. Panics if the image is too short: it is built with
    /// the binary, so that would be a build bug.
    pub(crate) fn slice<T: Plain>(&mut self, n: usize) -> &'static [T] {
        let size = n * std::mem::size_of::<T>();
        let bytes = &self.bytes[self.pos..self.pos + size];
        self.pos = (self.pos + size).next_multiple_of(8);
        assert_eq!(
            bytes.as_ptr().align_offset(std::mem::align_of::<T>()),
            0,
            "embedded table image is misaligned"
        );
        // SAFETY: `bytes` holds `n * size_of::<T>()` initialised bytes that
        // live for 'static, is aligned for `T` (checked above), and `T: Plain`
        // accepts any bit pattern.
        unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<T>(), n) }
    }

    /// The next number.
    pub(crate) fn u64(&mut self) -> u64 {
        self.slice::<u64>(1)[0]
    }

    /// The next key set.
    pub(crate) fn set(&mut self) -> RadixSet {
        let n = self.u64() as usize;
        let bits = self.u64() as u32;
        assert!(
            (1..=32).contains(&bits),
            "bad directory size in table image"
        );
        let dir = self.slice::<u32>((1usize << bits) + 1);
        let keys = self.slice::<u64>(n);
        RadixSet {
            shift: 64 - bits,
            dir,
            keys,
        }
    }

    /// The next table: a key set and one value of type `V` per key.
    pub(crate) fn table<V: Plain>(&mut self) -> RadixTable<V> {
        let set = self.set();
        let vals = self.slice::<V>(set.keys.len());
        RadixTable { set, vals }
    }
}

/// A set of 64-bit keys (see the module documentation).
#[derive(Clone, Copy)]
pub(crate) struct RadixSet {
    /// `64 - bits`: a key's directory slot is `key >> shift`.
    shift: u32,
    dir: &'static [u32],
    keys: &'static [u64],
}

impl RadixSet {
    /// Index of `key` among the sorted keys, if present.
    #[inline]
    pub(crate) fn find(&self, key: u64) -> Option<usize> {
        let b = (key >> self.shift) as usize;
        let (lo, hi) = (self.dir[b] as usize, self.dir[b + 1] as usize);
        for (i, &k) in self.keys[lo..hi].iter().enumerate() {
            if k >= key {
                return (k == key).then_some(lo + i);
            }
        }
        None
    }

    /// Whether `key` is in the set.
    #[inline]
    pub(crate) fn contains(&self, key: &u64) -> bool {
        self.find(*key).is_some()
    }

    /// Number of keys.
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }
}

impl fmt::Debug for RadixSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RadixSet({} keys)", self.keys.len())
    }
}

/// A map from 64-bit keys to values of type `V` (see the module documentation).
#[derive(Clone, Copy)]
pub(crate) struct RadixTable<V: Plain> {
    set: RadixSet,
    vals: &'static [V],
}

impl<V: Plain> RadixTable<V> {
    /// The value of `key`, if present.
    #[inline]
    pub(crate) fn get(&self, key: &u64) -> Option<&'static V> {
        self.set.find(*key).map(|i| &self.vals[i])
    }

    /// Number of entries.
    pub(crate) fn len(&self) -> usize {
        self.set.len()
    }

    /// The entries, in increasing key order.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u64, &'static V)> + '_ {
        self.set.keys.iter().copied().zip(self.vals)
    }
}

impl<V: Plain> fmt::Debug for RadixTable<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RadixTable({} entries)", self.len())
    }
}

// build.rs writes the images; the tests write their own with the same code
// (not all of which they use).
#[cfg(test)]
#[allow(dead_code)]
#[path = "radix_writer.rs"]
pub(crate) mod writer;

#[cfg(test)]
mod tests {
    use super::writer::Writer;
    use super::*;

    /// An image built at run time, leaked so that it is 'static and
    /// 8-aligned like an embedded one.
    fn leak(bytes: Vec<u8>) -> &'static [u8] {
        let buf: &'static mut [u8] = Box::leak(vec![0u8; bytes.len() + 8].into_boxed_slice());
        let off = buf.as_ptr().align_offset(8);
        let out = &mut buf[off..off + bytes.len()];
        out.copy_from_slice(&bytes);
        out
    }

    /// splitmix64: well-spread test keys.
    fn next(x: &mut u64) -> u64 {
        *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    #[test]
    fn finds_every_key_and_nothing_else() {
        let mut x = 0x1234_5678_9abc_def0u64;
        let mut keys: Vec<u64> = (0..5000).map(|_| next(&mut x)).collect();
        keys.extend([0, 1, u64::MAX, u64::MAX - 1, 1 << 63]);
        let mut entries: Vec<(u64, u16)> = keys.iter().map(|&k| (k, (k % 977) as u16)).collect();
        entries.sort();
        entries.dedup_by_key(|e| e.0);
        let mut w = Writer::new(cfg!(target_endian = "big"));
        w.set(&entries.iter().map(|e| e.0).collect::<Vec<_>>());
        for e in &entries {
            w.u16(e.1);
        }
        w.pad();
        let mut img = Image::new(leak(w.into_bytes()));
        let t = img.table::<u16>();
        assert_eq!(t.len(), entries.len());
        for &(k, v) in &entries {
            assert_eq!(t.get(&k), Some(&v), "key {k:#x}");
            assert_eq!(
                t.get(&k.wrapping_add(1)).is_some(),
                entries
                    .binary_search_by_key(&k.wrapping_add(1), |e| e.0)
                    .is_ok()
            );
        }
        assert_eq!(t.get(&2), None);
        assert_eq!(t.iter().count(), entries.len());
    }

    #[test]
    fn an_empty_set_has_no_keys() {
        let mut w = Writer::new(cfg!(target_endian = "big"));
        w.set(&[]);
        let mut img = Image::new(leak(w.into_bytes()));
        let s = img.set();
        assert_eq!(s.len(), 0);
        assert!(!s.contains(&0));
        assert!(!s.contains(&u64::MAX));
    }
}
