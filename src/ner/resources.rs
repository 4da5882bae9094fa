//! Language resources compiled into the binary: gazetteers, a common-word
//! list and word clusters. See `resources/SOURCES.md` for their origin.

use super::hash::{hash_str, mix};
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

/// Gazetteer type bits (index into the per-type B/I/S bit triples).
pub(crate) const GAZ_PLACE: u8 = 1;
pub(crate) const GAZ_COUNTRY: u8 = 2;
pub(crate) const GAZ_TYPES: usize = 2;
/// Number of cluster columns read from clusters.tsv.
pub(crate) const NCL: usize = 6;
/// Longest gazetteer entry, in tokens.
pub(crate) const GAZ_MAX_LEN: usize = 4;

const COUNTRIES: &str = include_str!("../../resources/countries.tsv");
const PLACES: &str = include_str!("../../resources/places.txt");
const NL_PLACES: &str = include_str!("../../resources/nl/places.txt");
const NL_WORDS: &str = include_str!("../../resources/nl/words.txt");
const NL_CLUSTERS: &str = include_str!("../../resources/nl/clusters.tsv");
const EN_PLACES: &str = include_str!("../../resources/en/places.txt");
const EN_WORDS: &str = include_str!("../../resources/en/words.txt");
const EN_CLUSTERS: &str = include_str!("../../resources/en/clusters.tsv");

/// Lookup tables for one language.
pub(crate) struct Resources {
    /// Hash of the token sequence (see [`seq_hash`]) -> type bits.
    pub gaz: FxHashMap<u64, u8>,
    /// Lowercase hash of a token -> where it occurs in multi-token
    /// gazetteer entries (bit [`gaz_pos_bit`]`(p, len)`): a sequence whose
    /// tokens do not all have their bit needs no look-up in `gaz`.
    pub gaz_pos: FxHashMap<u64, u16>,
    /// Hashes of lowercase common words.
    pub words: FxHashSet<u64>,
    /// Hash of a word (exact case) -> cluster ids, coarse to fine (0 = none).
    pub clusters: FxHashMap<u64, [u16; NCL]>,
    /// Fingerprint of the resource texts; stored in models trained with them.
    pub fingerprint: u64,
}

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

/// Bit of [`Resources::gaz_pos`] for position `p` in an entry of `len`
/// (2 ..= [`GAZ_MAX_LEN`]) tokens.
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

/// Gazetteer tables being built: see [`Resources::gaz`] and [`Resources::gaz_first`].
#[derive(Default)]
struct GazBuilder {
    gaz: FxHashMap<u64, u8>,
    pos: FxHashMap<u64, u16>,
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

impl Resources {
    pub(crate) fn build(
        lang_col: usize,
        countries: &str,
        places: &[&str],
        words: &str,
        clusters: &str,
    ) -> Resources {
        let mut gaz = GazBuilder::default();
        for line in countries.lines() {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 3 || line.starts_with('#') {
                continue;
            }
            for name in cols[lang_col].split('|') {
                gaz.add(name, GAZ_COUNTRY);
            }
        }
        for line in places.iter().flat_map(|p| p.lines()) {
            let name = line.trim();
            if !name.is_empty() && !name.starts_with('#') {
                gaz.add(name, GAZ_PLACE);
            }
        }
        let mut buf = gaz.buf;
        let word_set: FxHashSet<u64> = words
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(|w| {
                lower_into(w, &mut buf);
                hash_str(&buf)
            })
            .collect();
        let mut cl = FxHashMap::default();
        for line in clusters.lines() {
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
                cl.insert(hash_str(w), ids);
            }
        }
        let mut fp = 0x0123_4567_89ab_cdef;
        for text in std::iter::once(&countries).chain(places) {
            fp = mix(fp, hash_str(text));
        }
        fp = mix(fp, hash_str(words));
        fp = mix(fp, hash_str(clusters));
        fp = mix(fp, lang_col as u64);
        Resources {
            gaz: gaz.gaz,
            gaz_pos: gaz.pos,
            words: word_set,
            clusters: cl,
            fingerprint: fp,
        }
    }

    /// Resources for a language code, built once on first use.
    pub(crate) fn embedded(lang: &str) -> Option<&'static Resources> {
        static NL: OnceLock<Resources> = OnceLock::new();
        static EN: OnceLock<Resources> = OnceLock::new();
        match lang {
            "nl" => Some(NL.get_or_init(|| {
                Resources::build(1, COUNTRIES, &[PLACES, NL_PLACES], NL_WORDS, NL_CLUSTERS)
            })),
            "en" => Some(EN.get_or_init(|| {
                Resources::build(2, COUNTRIES, &[PLACES, EN_PLACES], EN_WORDS, EN_CLUSTERS)
            })),
            _ => None,
        }
    }

    /// Cluster ids of a word: exact form first, then lowercase.
    #[inline]
    pub(crate) fn cluster(&self, word_hash: u64, lower_hash: u64) -> [u16; NCL] {
        if let Some(c) = self.clusters.get(&word_hash) {
            return *c;
        }
        self.clusters.get(&lower_hash).copied().unwrap_or([0; NCL])
    }
}
