//! The NER look-up tables computed from the resource texts, and the
//! token-hashing rules they share with feature extraction.
//!
//! `build.rs` includes this file to compute the tables at compile time (see
//! [`super::resources`]); the tests include it to check the embedded tables
//! against the texts.

// The binary uses only the hashing rules; the builder runs in build.rs and tests.
#![cfg_attr(not(test), allow(dead_code))]

use super::hash::{hash_str, mix};
use std::collections::{HashMap, HashSet};

/// Gazetteer type bits (index into the per-type B/I/S bit triples).
pub(crate) const GAZ_PLACE: u8 = 1;
pub(crate) const GAZ_COUNTRY: u8 = 2;
pub(crate) const GAZ_TYPES: usize = 2;
/// Number of cluster columns read from clusters.tsv.
pub(crate) const NCL: usize = 6;
/// Longest gazetteer entry, in tokens.
pub(crate) const GAZ_MAX_LEN: usize = 4;

/// Lowercase `s` into `out` (cleared first).
#[inline]
pub(crate) fn lower_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
    } else {
        for c in s.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

/// Hash of a sequence of lowercase-token hashes.
#[inline]
pub(crate) fn seq_extend(prev: u64, tok_lower_hash: u64) -> u64 {
    mix(prev, tok_lower_hash)
}

/// Bit of the gazetteer position table for position `p` in an entry of
/// `len` (2 ..= [`GAZ_MAX_LEN`]) tokens.
#[inline]
pub(crate) const fn gaz_pos_bit(p: usize, len: usize) -> u16 {
    // Entries of length 2 use bits 0-1, of length 3 bits 2-4, of length 4 bits 5-8.
    1 << ((len - 2) * (len + 1) / 2 + p)
}

pub(crate) const SEQ_SEED: u64 = 0x5eed_0f6a_2e77_e11a;

fn split_entry(name: &str) -> impl Iterator<Item = &str> {
    name.split_whitespace().flat_map(|w| {
        // Split a trailing comma off, as the tokenizer does.
        if w.len() > 1 && w.ends_with(',') {
            vec![&w[..w.len() - 1], ","]
        } else {
            vec![w]
        }
    })
}

/// The resource texts of one language.
pub(crate) struct Sources<'a> {
    /// Column of the language's names in `countries`.
    pub lang_col: usize,
    pub countries: &'a str,
    pub places: &'a [&'a str],
    pub words: &'a str,
    pub clusters: &'a str,
}

/// The tables of one language (see `Resources` for their meaning).
#[derive(Default)]
pub(crate) struct Tables {
    pub gaz: HashMap<u64, u8>,
    pub gaz_pos: HashMap<u64, u16>,
    pub words: HashSet<u64>,
    pub clusters: HashMap<u64, [u16; NCL]>,
    pub fingerprint: u64,
}

/// Gazetteer tables being built.
#[derive(Default)]
struct GazBuilder {
    gaz: HashMap<u64, u8>,
    pos: HashMap<u64, u16>,
    buf: String,
    toks: Vec<u64>,
}

impl GazBuilder {
    fn add(&mut self, name: &str, bit: u8) {
        let mut h = SEQ_SEED;
        self.toks.clear();
        for tok in split_entry(name) {
            lower_into(tok, &mut self.buf);
            let lh = hash_str(&self.buf);
            h = seq_extend(h, lh);
            self.toks.push(lh);
        }
        let n = self.toks.len();
        if n == 0 || n > GAZ_MAX_LEN {
            return;
        }
        *self.gaz.entry(h).or_insert(0) |= bit;
        if n > 1 {
            for (p, &lh) in self.toks.iter().enumerate() {
                *self.pos.entry(lh).or_insert(0) |= gaz_pos_bit(p, n);
            }
        }
    }
}

impl Tables {
    /// Computes the tables from the texts.
    pub(crate) fn build(src: &Sources<'_>) -> Tables {
        let mut gaz = GazBuilder::default();
        for line in src.countries.lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 3 || line.starts_with('#') {
                continue;
            }
            for name in cols[src.lang_col].split('|') {
                gaz.add(name, GAZ_COUNTRY);
            }
        }
        for line in src.places.iter().flat_map(|p| p.lines()) {
            let name = line.trim();
            if !name.is_empty() && !name.starts_with('#') {
                gaz.add(name, GAZ_PLACE);
            }
        }
        let mut buf = gaz.buf;
        let words: HashSet<u64> = src
            .words
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(|w| {
                lower_into(w, &mut buf);
                hash_str(&buf)
            })
            .collect();
        let mut clusters = HashMap::new();
        for line in src.clusters.lines() {
            let mut it = line.split('\t');
            let Some(w) = it.next() else { continue };
            let mut ids = [0u16; NCL];
            for id in ids.iter_mut() {
                *id = it
                    .next()
                    .and_then(|v| v.parse::<u16>().ok())
                    .map_or(0, |v| v + 1);
            }
            if !w.is_empty() {
                clusters.insert(hash_str(w), ids);
            }
        }
        let mut fp = 0x0123_4567_89ab_cdef;
        for text in std::iter::once(&src.countries).chain(src.places) {
            fp = mix(fp, hash_str(text));
        }
        fp = mix(fp, hash_str(src.words));
        fp = mix(fp, hash_str(src.clusters));
        fp = mix(fp, src.lang_col as u64);
        Tables {
            gaz: gaz.gaz,
            gaz_pos: gaz.pos,
            words,
            clusters,
            fingerprint: fp,
        }
    }
}
