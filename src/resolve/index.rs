//! Cross-document resolution: an index from alias keys to graph nodes, so
//! that a later document's `Poetin` joins an existing `Vladimir Poetin` and
//! an English `Moscow` a Dutch `Moskou`, with the same keys and guards as
//! within a document.

use rustc_hash::FxHashMap as HashMap;

use super::gazetteer::Gazetteer;
use super::keys::{fuzzy_name_eq, push_skeleton_key};

/// Alias keys of the nodes of a graph. Node kinds are the graph's type
/// names (`person`, `organisation`, `place`); only nodes of one kind join.
#[derive(Clone, Debug, Default)]
pub struct AliasIndex {
    /// `kind` + full-name skeleton → node ids (in insertion order).
    full: HashMap<String, Vec<String>>,
    /// `kind` + surname skeleton of a multi-word person name → node ids.
    surname: HashMap<String, Vec<String>>,
    /// Gazetteer place id → node ids.
    place: HashMap<String, Vec<String>>,
    /// `kind` + first letter + word count → (node id, name skeleton), for
    /// spelling variants.
    fuzzy: HashMap<String, Vec<(String, Vec<String>)>>,
    /// Names already folded → their skeleton keys. A corpus names the same
    /// things in document after document, and folding a name costs far
    /// more than looking it up. Emptied when full ([`MEMO`]), so memory
    /// stays bounded; a pure function's memo, so results never depend on it.
    memo: HashMap<Box<str>, Box<str>>,
}

/// How many names [`AliasIndex`] remembers the skeleton keys of.
const MEMO: usize = 1 << 16;

/// Adds `id` to the ids of `key`; returns whether it was not there yet.
fn push(map: &mut HashMap<String, Vec<String>>, key: String, id: &str) -> bool {
    let ids = map.entry(key).or_default();
    let new = !ids.iter().any(|x| x == id);
    if new {
        ids.push(id.to_string());
    }
    new
}

/// The spelling-variant bucket of a name whose last word has `last_len`
/// letters: variants share the kind, the number of words and every word's
/// first letter ([`fuzzy_eq`](super::keys::fuzzy_eq) demands it), and their
/// last words differ in length by two letters at most. A finer bucket than
/// the first letter alone keeps the scan short when a corpus holds a
/// million names.
fn bucket_of<W: AsRef<str>>(kind: &str, words: &[W], last_len: usize) -> Option<String> {
    let mut key = String::with_capacity(kind.len() + 2 * words.len() + 4);
    key.push_str(kind);
    key.push(':');
    for w in words {
        key.push(w.as_ref().chars().next()?);
    }
    key.push(':');
    key.push_str(&last_len.to_string());
    Some(key)
}

fn last_len<W: AsRef<str>>(words: &[W]) -> usize {
    words.last().map_or(0, |w| w.as_ref().chars().count())
}

fn bucket<W: AsRef<str>>(kind: &str, words: &[W]) -> Option<String> {
    bucket_of(kind, words, last_len(words))
}

/// Calls `f` with each bucket a name's spelling variants can be in (one
/// buffer for all five).
fn variant_buckets<W: AsRef<str>>(kind: &str, words: &[W], mut f: impl FnMut(&str)) {
    let n = last_len(words);
    let Some(mut key) = bucket_of(kind, words, 0) else {
        return;
    };
    key.pop();
    let prefix = key.len();
    for len in n.saturating_sub(2)..=n + 2 {
        key.truncate(prefix);
        key.push_str(&len.to_string());
        f(&key);
    }
}

impl AliasIndex {
    /// An empty index.
    pub fn new() -> AliasIndex {
        AliasIndex::default()
    }

    /// [`push_skeleton_key`], remembered.
    fn push_key(&mut self, name: &str, out: &mut String) -> bool {
        if let Some(key) = self.memo.get(name) {
            out.push_str(key);
            return !key.is_empty();
        }
        let start = out.len();
        let any = push_skeleton_key(name, out);
        if self.memo.len() >= MEMO {
            self.memo.clear();
        }
        self.memo.insert(name.into(), out[start..].into());
        any
    }

    /// Adds (or re-adds, after a merge) a node's names.
    pub fn insert(&mut self, id: &str, kind: &str, label: &str, aliases: &[String]) {
        let gaz = Gazetteer::get();
        for name in std::iter::once(label).chain(aliases.iter().map(String::as_str)) {
            // `kind:` and the name's skeleton key (its words joined by spaces).
            let mut full = String::with_capacity(kind.len() + 1 + name.len());
            full.push_str(kind);
            full.push(':');
            if !self.push_key(name, &mut full) {
                continue;
            }
            let key = &full[kind.len() + 1..];
            let words: Vec<&str> = key.split(' ').collect();
            if kind == "place" {
                if let Some(p) = gaz.lookup_key(key) {
                    push(&mut self.place, p.id.to_string(), id);
                }
            }
            if kind == "person" && words.len() >= 2 {
                let last = words.last().expect("two words or more");
                push(&mut self.surname, format!("{kind}:{last}"), id);
            }
            let bucket = bucket(kind, &words);
            let words: Vec<String> = words.into_iter().map(String::from).collect();
            // A name (id and words) is in its spelling-variant bucket exactly
            // when its full key already lists the id: the two are only ever
            // filled together. So the bucket, which grows with the corpus,
            // need not be searched.
            if push(&mut self.full, full, id) {
                if let Some(b) = bucket {
                    self.fuzzy
                        .entry(b)
                        .or_default()
                        .push((id.to_string(), words));
                }
            }
        }
    }

    /// The node an entity of another document joins, if exactly one fits:
    /// the same name (any of label and aliases), the same gazetteer place,
    /// a surname of exactly one person (or a full name whose surname is
    /// exactly one bare-surname node), or a spelling variant. `skip` says
    /// which ids may not be joined (nodes gone, or already taken by
    /// another entity of the same document).
    pub fn find(
        &mut self,
        kind: &str,
        label: &str,
        aliases: &[String],
        skip: impl Fn(&str) -> bool,
    ) -> Option<String> {
        let gaz = Gazetteer::get();
        // The same name: the first candidate not skipped, names in order.
        // Most entities of a corpus are names seen before, found here by
        // their label alone, before the other names are even folded.
        // `keys` holds `kind:` and the skeleton key of each name folded.
        let mut keys: Vec<String> = Vec::with_capacity(1 + aliases.len());
        let mut label_folded = false;
        for (i, name) in std::iter::once(label)
            .chain(aliases.iter().map(String::as_str))
            .enumerate()
        {
            let mut key = String::with_capacity(kind.len() + 1 + name.len());
            key.push_str(kind);
            key.push(':');
            if !self.push_key(name, &mut key) {
                continue;
            }
            label_folded |= i == 0;
            if let Some(id) = self
                .full
                .get(&key)
                .into_iter()
                .flatten()
                .find(|id| !skip(id))
            {
                return Some(id.clone());
            }
            keys.push(key);
        }
        // The skeleton words of each name, and of the label.
        let names: Vec<Vec<&str>> = keys
            .iter()
            .map(|k| k[kind.len() + 1..].split(' ').collect())
            .collect();
        let label_words: &[&str] = match names.first() {
            Some(w) if label_folded => w,
            _ => &[],
        };
        // The one candidate not skipped, if exactly one is left.
        let pick = |cands: Vec<&String>| -> Option<String> {
            let mut distinct: Vec<&String> = cands.into_iter().filter(|id| !skip(id)).collect();
            distinct.sort();
            distinct.dedup();
            match distinct.as_slice() {
                [one] => Some((*one).clone()),
                _ => None,
            }
        };
        // The same place.
        if kind == "place" {
            let places: Vec<&String> = keys
                .iter()
                .filter_map(|k| gaz.lookup_key(&k[kind.len() + 1..]))
                .filter_map(|p| self.place.get(p.id))
                .flatten()
                .collect();
            if let Some(id) = pick(places) {
                return Some(id);
            }
        }
        // Surnames.
        if kind == "person" {
            let cands: Vec<&String> = if label_words.len() == 1 {
                self.surname
                    .get(&format!("{kind}:{}", label_words[0]))
                    .into_iter()
                    .flatten()
                    .collect()
            } else if let Some(last) = label_words.last() {
                self.full
                    .get(&format!("{kind}:{last}"))
                    .into_iter()
                    .flatten()
                    .collect()
            } else {
                Vec::new()
            };
            if let Some(id) = pick(cands) {
                return Some(id);
            }
        }
        // A bare name typed as a place or organisation that the gazetteer
        // does not know joins the one person it is the surname of, as
        // within a document.
        if kind != "person" {
            let words = label_words;
            if words.len() == 1 && gaz.lookup_key(words[0]).is_none() {
                let cands: Vec<&String> = self
                    .surname
                    .get(&format!("person:{}", words[0]))
                    .into_iter()
                    .flatten()
                    .collect();
                if let Some(id) = pick(cands) {
                    return Some(id);
                }
            }
        }
        // Spelling variants.
        let mut variants: Vec<&String> = Vec::new();
        for w in &names {
            variant_buckets(kind, w, |b| {
                if let Some(v) = self.fuzzy.get(b) {
                    variants.extend(
                        v.iter()
                            .filter(|(_, x)| fuzzy_name_eq(w, x))
                            .map(|(id, _)| id),
                    );
                }
            });
        }
        pick(variants)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> bool {
        false
    }

    #[test]
    fn surname_joins_the_full_name_of_an_earlier_document() {
        let mut ix = AliasIndex::new();
        ix.insert("person:vladimir-poetin", "person", "Vladimir Poetin", &[]);
        assert_eq!(
            ix.find("person", "Poetin", &[], none).as_deref(),
            Some("person:vladimir-poetin")
        );
        // An English spelling joins too.
        assert_eq!(
            ix.find("person", "Vladimir Putin", &[], none).as_deref(),
            Some("person:vladimir-poetin")
        );
    }

    #[test]
    fn full_name_joins_an_earlier_bare_surname() {
        let mut ix = AliasIndex::new();
        ix.insert("person:kadyrov", "person", "Kadyrov", &[]);
        assert_eq!(
            ix.find("person", "Ramzan Kadyrov", &[], none).as_deref(),
            Some("person:kadyrov")
        );
    }

    #[test]
    fn shared_surname_of_two_people_joins_neither() {
        let mut ix = AliasIndex::new();
        ix.insert("person:anna-smit", "person", "Anna Smit", &[]);
        ix.insert("person:piet-smit", "person", "Piet Smit", &[]);
        assert_eq!(ix.find("person", "Smit", &[], none), None);
        // Another first name is another person.
        assert_eq!(ix.find("person", "Karel Smit", &[], none), None);
    }

    #[test]
    fn places_join_across_languages_but_not_across_types() {
        let mut ix = AliasIndex::new();
        ix.insert("place:moskou", "place", "Moskou", &[]);
        assert_eq!(
            ix.find("place", "Moscow", &[], none).as_deref(),
            Some("place:moskou")
        );
        assert_eq!(ix.find("organisation", "Moskou", &[], none), None);
    }

    #[test]
    fn surname_typed_as_place_joins_the_person_unless_a_known_place() {
        let mut ix = AliasIndex::new();
        ix.insert("person:eva-lindqvist", "person", "Eva Lindqvist", &[]);
        ix.insert("person:tom-berlin", "person", "Tom Berlin", &[]);
        assert_eq!(
            ix.find("place", "Lindqvist", &[], none).as_deref(),
            Some("person:eva-lindqvist")
        );
        assert_eq!(ix.find("place", "Berlin", &[], none), None);
    }

    #[test]
    fn spelling_variant_with_a_longer_surname_joins() {
        let mut ix = AliasIndex::new();
        ix.insert(
            "person:michail-misjoetin",
            "person",
            "Michail Misjoetin",
            &[],
        );
        ix.insert("person:maria-mirova", "person", "Maria Mirova", &[]);
        // One letter more in the surname's skeleton: another bucket length.
        assert_eq!(
            ix.find("person", "Mikhail Mishustin", &[], none).as_deref(),
            Some("person:michail-misjoetin")
        );
        // Other initials are never variants.
        assert_eq!(ix.find("person", "Nikolai Mishustin", &[], none), None);
    }

    #[test]
    fn skipped_nodes_are_not_joined() {
        let mut ix = AliasIndex::new();
        ix.insert("person:jan-smit", "person", "Jan Smit", &[]);
        assert_eq!(
            ix.find("person", "Jan Smit", &[], |id| id == "person:jan-smit"),
            None
        );
    }
}
