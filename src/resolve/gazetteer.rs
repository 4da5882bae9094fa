//! A place gazetteer: names of countries, regions and cities in several
//! languages (`resources/exonyms.tsv`, built from CLDR and GeoNames by
//! `scripts/build_exonyms.py`), so that `Moskou`, `Moscow` and `Moskau`
//! resolve to one place and a city knows its country.

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

use super::keys::skeleton;

const EXONYMS: &str = include_str!("../../resources/exonyms.tsv");

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
    by_id: HashMap<&'static str, usize>,
    by_key: HashMap<String, usize>,
}

impl Gazetteer {
    /// Parses a gazetteer in the `exonyms.tsv` format
    /// (`id<TAB>kind<TAB>parent<TAB>name|name|...`). A name listed twice
    /// belongs to the first place that lists it (the file lists the most
    /// important places first).
    pub fn parse(text: &'static str) -> Gazetteer {
        let mut g = Gazetteer::default();
        for line in crate::lang::lines(text) {
            let mut cols = line.split('\t');
            let (Some(id), Some(kind), Some(parent), Some(names)) =
                (cols.next(), cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            let ix = g.places.len();
            g.places.push(Place {
                id,
                kind,
                parent: (!parent.is_empty()).then_some(parent),
            });
            g.by_id.insert(id, ix);
            for name in names.split('|') {
                let key = skeleton(name).join(" ");
                if !key.is_empty() {
                    g.by_key.entry(key).or_insert(ix);
                }
            }
        }
        g
    }

    /// The built-in gazetteer.
    pub fn get() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| Gazetteer::parse(EXONYMS))
    }

    /// The place a name (as written) names, if the gazetteer knows it.
    pub fn lookup(&self, name: &str) -> Option<&Place> {
        self.lookup_key(&skeleton(name).join(" "))
    }

    /// The place with this name skeleton (words joined by spaces).
    pub fn lookup_key(&self, key: &str) -> Option<&Place> {
        self.by_key.get(key).map(|&ix| &self.places[ix])
    }

    /// The place with this id.
    pub fn place(&self, id: &str) -> Option<&Place> {
        self.by_id.get(id).map(|&ix| &self.places[ix])
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
