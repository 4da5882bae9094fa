//! A place gazetteer: names of countries, regions and cities in several
//! languages (`resources/exonyms.tsv`, built from CLDR and GeoNames by
//! `scripts/build_exonyms.py`), so that `Moskou`, `Moscow` and `Moskau`
//! resolve to one place and a city knows its country.

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use super::keys::skeleton;
use crate::ner::hash::hash_str;
use crate::radix::{Aligned, Image, RadixTable};

const EXONYMS: &str = include_str!("../../resources/exonyms.tsv");

include!(concat!(env!("OUT_DIR"), "/gazetteer_image.rs"));

/// One place of the gazetteer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// Stable id: ISO country code, CLDR region number, or `g` + GeoNames id.
    pub id: &'static str,
    /// `country`, `region` or `city`.
    pub kind: &'static str,
    /// The id of the country a city lies in, if any.
    pub parent: Option<&'static str>,
}

/// The parsed gazetteer: places, and every name's skeleton to its place.
#[derive(Debug, Default)]
pub struct Gazetteer {
    places: Vec<Place>,
    index: Index,
}

/// Ids and name skeletons to places.
#[derive(Debug)]
enum Index {
    /// Built from a text by [`Gazetteer::parse`].
    Parsed {
        by_id: HashMap<&'static str, usize>,
        by_key: HashMap<String, usize>,
    },
    /// The built-in gazetteer's, computed by `build.rs` (`gazetteer_image`)
    /// with the rules of [`Gazetteer::parse`] and read in place, so that
    /// start-up skeletonises no names: id hash -> place; skeleton hash ->
    /// (place, span of the skeleton in `keys`), checked against the key.
    Embedded {
        by_id: RadixTable<u32>,
        by_key: RadixTable<[u32; 3]>,
        keys: &'static [u8],
    },
}

impl Default for Index {
    fn default() -> Index {
        Index::Parsed {
            by_id: HashMap::default(),
            by_key: HashMap::default(),
        }
    }
}

impl Gazetteer {
    /// Parses a gazetteer in the `exonyms.tsv` format
    /// (`id<TAB>kind<TAB>parent<TAB>name|name|...`). A name listed twice
    /// belongs to the first place that lists it (the file lists the most
    /// important places first).
    pub fn parse(text: &'static str) -> Gazetteer {
        let mut places = Vec::new();
        let mut by_id = HashMap::default();
        let mut by_key = HashMap::default();
        for line in crate::lang::lines(text) {
            let mut cols = line.split('\t');
            let (Some(id), Some(kind), Some(parent), Some(names)) =
                (cols.next(), cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            let ix = places.len();
            places.push(Place {
                id,
                kind,
                parent: (!parent.is_empty()).then_some(parent),
            });
            by_id.insert(id, ix);
            for name in names.split('|') {
                let key = skeleton(name).join(" ");
                if !key.is_empty() {
                    by_key.entry(key).or_insert(ix);
                }
            }
        }
        Gazetteer {
            places,
            index: Index::Parsed { by_id, by_key },
        }
    }

    /// The built-in gazetteer (`resources/exonyms.tsv`).
    pub fn get() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(Gazetteer::embedded)
    }

    /// Reads the image of the built-in gazetteer.
    fn embedded() -> Gazetteer {
        let mut img = Image::new(&IMAGE.0);
        assert_eq!(
            img.u64() as usize,
            EXONYMS.len(),
            "gazetteer image built from another exonyms.tsv"
        );
        let n = img.u64() as usize;
        let at = |off: u32, len: u32| &EXONYMS[off as usize..(off + len) as usize];
        let places = img
            .slice::<[u32; 6]>(n)
            .iter()
            .map(|s| Place {
                id: at(s[0], s[1]),
                kind: at(s[2], s[3]),
                parent: (s[5] != 0).then(|| at(s[4], s[5])),
            })
            .collect();
        let by_id = img.table();
        let by_key = img.table();
        let len = img.u64() as usize;
        let keys = img.slice::<u8>(len);
        Gazetteer {
            places,
            index: Index::Embedded {
                by_id,
                by_key,
                keys,
            },
        }
    }

    /// The place a name (as written) names, if the gazetteer knows it.
    pub fn lookup(&self, name: &str) -> Option<&Place> {
        self.lookup_key(&skeleton(name).join(" "))
    }

    /// The place with this name skeleton (words joined by spaces).
    pub fn lookup_key(&self, key: &str) -> Option<&Place> {
        let ix = match &self.index {
            Index::Parsed { by_key, .. } => by_key.get(key).copied(),
            Index::Embedded { by_key, keys, .. } => {
                let &[ix, off, len] = by_key.get(&hash_str(key))?;
                let stored = &keys[off as usize..(off + len) as usize];
                (stored == key.as_bytes()).then_some(ix as usize)
            }
        };
        ix.map(|ix| &self.places[ix])
    }

    /// The place with this id.
    pub fn place(&self, id: &str) -> Option<&Place> {
        let ix = match &self.index {
            Index::Parsed { by_id, .. } => by_id.get(id).copied(),
            Index::Embedded { by_id, .. } => by_id
                .get(&hash_str(id))
                .map(|&ix| ix as usize)
                .filter(|&ix| self.places[ix].id == id),
        };
        ix.map(|ix| &self.places[ix])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exonyms_of_one_place_share_an_id() {
        let g = Gazetteer::get();
        let a = g.lookup("Moskou").expect("Dutch name of Moscow");
        let b = g.lookup("Moscow").expect("English name");
        assert_eq!(a.id, b.id);
        assert_eq!(a.parent, Some("RU"));
        assert_eq!(g.lookup("Duitsland").map(|p| p.id), Some("DE"));
        assert_eq!(g.lookup("Germany").map(|p| p.id), Some("DE"));
        assert_eq!(
            g.lookup("Kiev").map(|p| p.id),
            g.lookup("Kyiv").map(|p| p.id)
        );
    }

    #[test]
    fn unknown_names_are_not_places() {
        let g = Gazetteer::get();
        assert!(g.lookup("Jansen").is_none());
        assert!(g.lookup("").is_none());
    }

    /// The built-in gazetteer, read from the image `build.rs` computed,
    /// holds exactly what parsing its text gives.
    #[test]
    fn embedded_image_matches_parsing() {
        let parsed = Gazetteer::parse(EXONYMS);
        let g = Gazetteer::get();
        assert_eq!(g.places, parsed.places);
        let (Index::Parsed { by_id, by_key }, Index::Embedded { by_key: keys, .. }) =
            (&parsed.index, &g.index)
        else {
            panic!("parse builds maps, get reads the image");
        };
        assert_eq!(keys.len(), by_key.len());
        for (key, &ix) in by_key {
            assert_eq!(g.lookup_key(key), Some(&parsed.places[ix]), "{key}");
        }
        for (id, &ix) in by_id {
            assert_eq!(g.place(id), Some(&parsed.places[ix]), "{id}");
        }
        assert!(g.lookup_key("").is_none());
        assert!(g.place("no such id").is_none());
    }

    #[test]
    fn parses_its_own_format() {
        let g = Gazetteer::parse(
            "# c\nXX\tcountry\t\tFooland|Fooland Republic\ng1\tcity\tXX\tBarton\n",
        );
        assert_eq!(g.lookup("Barton").and_then(|p| p.parent), Some("XX"));
        assert_eq!(
            g.lookup("fooland republic").map(|p| p.kind),
            Some("country")
        );
        assert_eq!(g.place("g1").map(|p| p.kind), Some("city"));
    }
}
