//! Language resources compiled into the binary: gazetteers, a common-word
//! list and word clusters. See `resources/SOURCES.md` for their origin.
//!
//! `build.rs` computes the look-up tables from the resource files at
//! compile time ([`super::resource_tables`]) and the binary reads them in
//! place ([`crate::radix`]): loading a language costs nothing at start-up.

use crate::radix::{Aligned, Image, RadixSet, RadixTable};
use std::sync::OnceLock;

pub(crate) use super::resource_tables::{
    gaz_pos_bit, lower_into, seq_extend, GAZ_MAX_LEN, GAZ_TYPES, NCL, SEQ_SEED,
};

include!(concat!(env!("OUT_DIR"), "/ner_tables.rs"));

/// Lookup tables for one language.
pub(crate) struct Resources {
    /// Hash of the token sequence (see [`seq_extend`]) -> type bits.
    pub gaz: RadixTable<u8>,
    /// Lowercase hash of a token -> where it occurs in multi-token
    /// gazetteer entries (bit [`gaz_pos_bit`]`(p, len)`): a sequence whose
    /// tokens do not all have their bit needs no look-up in `gaz`.
    pub gaz_pos: RadixTable<u16>,
    /// Hashes of lowercase common words.
    pub words: RadixSet,
    /// Hash of a word (exact case) -> cluster ids, coarse to fine (0 = none).
    pub clusters: RadixTable<[u16; NCL]>,
    /// Fingerprint of the resource texts; stored in models trained with them.
    pub fingerprint: u64,
}

impl Resources {
    /// Reads an image written by `build.rs` (`ner_image`).
    fn from_image(bytes: &'static Aligned<[u8]>) -> Resources {
        let mut img = Image::new(&bytes.0);
        let fingerprint = img.u64();
        Resources {
            fingerprint,
            gaz: img.table(),
            gaz_pos: img.table(),
            words: img.set(),
            clusters: img.table(),
        }
    }

    /// Resources for a language code, read once on first use.
    pub(crate) fn embedded(lang: &str) -> Option<&'static Resources> {
        static CELLS: [OnceLock<Resources>; NER_TABLES.len()] =
            [const { OnceLock::new() }; NER_TABLES.len()];
        let i = NER_TABLES.iter().position(|(code, _, _)| *code == lang)?;
        Some(CELLS[i].get_or_init(|| Resources::from_image(NER_TABLES[i].2)))
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

#[cfg(test)]
mod tests {
    use super::super::resource_tables::{Sources, Tables, GAZ_PLACE};
    use super::*;

    fn read(path: &str) -> String {
        let p = format!("{}/resources/{path}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    /// The tables read in place hold exactly what the rules compute from
    /// the resource files, for every language.
    #[test]
    fn embedded_tables_match_the_resource_files() {
        assert!(NER_TABLES.len() >= 2);
        for &(code, lang_col, _) in NER_TABLES {
            let (countries, places) = (read("countries.tsv"), read("places.txt"));
            let lang_places = read(&format!("{code}/places.txt"));
            let t = Tables::build(&Sources {
                lang_col,
                countries: &countries,
                places: &[&places, &lang_places],
                words: &read(&format!("{code}/words.txt")),
                clusters: &read(&format!("{code}/clusters.tsv")),
            });
            let r = Resources::embedded(code).expect("embedded language");
            assert_eq!(r.fingerprint, t.fingerprint, "{code}");
            assert_eq!(r.gaz.len(), t.gaz.len(), "{code}");
            for (k, v) in &t.gaz {
                assert_eq!(r.gaz.get(k), Some(v), "{code}");
            }
            assert_eq!(r.gaz_pos.len(), t.gaz_pos.len(), "{code}");
            for (k, v) in &t.gaz_pos {
                assert_eq!(r.gaz_pos.get(k), Some(v), "{code}");
            }
            assert_eq!(r.words.len(), t.words.len(), "{code}");
            assert!(t.words.iter().all(|k| r.words.contains(k)), "{code}");
            assert_eq!(r.clusters.len(), t.clusters.len(), "{code}");
            for (k, v) in &t.clusters {
                assert_eq!(r.clusters.get(k), Some(v), "{code}");
            }
        }
        assert!(Resources::embedded("xx").is_none());
    }

    #[test]
    fn known_words_and_places_are_found() {
        use super::super::hash::hash_str;
        let nl = Resources::embedded("nl").expect("Dutch resources");
        let h = seq_extend(SEQ_SEED, hash_str("amsterdam"));
        assert_eq!(nl.gaz.get(&h).map(|b| b & GAZ_PLACE), Some(GAZ_PLACE));
        assert!(nl.words.contains(&hash_str("huis")));
        assert!(!nl.words.contains(&hash_str("xqzvw")));
    }
}
