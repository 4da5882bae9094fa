//! Place adjectives (demonyms) that point at a place the document names:
//! `de Tsjetsjeense hoofdstad` names Tsjetsjenië, `Russian forces` Russia.
//!
//! A demonym is no entity of its own (analysts want no node `Russische`),
//! but it tells which place a phrase is about, so the relations and events
//! stages read it as a reference to the place entity, when the document
//! names that place. The adjectives are language data,
//! `resources/<lang>/demonyms.tsv` (`Adjective<TAB>name|name|...`), built by
//! `scripts/build_demonyms.py` from the gazetteer and public word lists.

use rustc_hash::FxHashMap as HashMap;

use crate::lang::{lines, Language, PerLanguage};
use crate::ner::{EntityKind, Mention};
use crate::text::Document;

use super::keys::skeleton_key;
use super::Entity;

/// One language's demonyms: each adjective as written, with the skeleton
/// keys of the names of its place.
#[derive(Debug, Default)]
pub struct Demonyms {
    by_word: HashMap<&'static str, Vec<String>>,
}

impl Demonyms {
    /// Parses a `demonyms.tsv` file.
    pub fn parse(text: &'static str) -> Demonyms {
        let mut d = Demonyms::default();
        for line in lines(text) {
            let Some((word, names)) = line.split_once('\t') else {
                continue;
            };
            let keys: Vec<String> = names
                .split('|')
                .map(skeleton_key)
                .filter(|k| !k.is_empty())
                .collect();
            if !keys.is_empty() {
                d.by_word.insert(word.trim(), keys);
            }
        }
        d
    }

    /// The demonyms of a language.
    pub fn of(lang: &'static Language) -> &'static Demonyms {
        static ALL: PerLanguage<Demonyms> = PerLanguage::new();
        ALL.get(lang, |l| Demonyms::parse(l.resource("demonyms.tsv")))
    }

    /// The name keys of the place a word (as written) is the adjective of.
    pub fn place_keys(&self, word: &str) -> Option<&[String]> {
        self.by_word.get(word).map(Vec::as_slice)
    }
}

/// Whether a mention is a lone place adjective (`Russian` read as a person
/// or place by the tagger): no name of its own, but a demonym. Resolution
/// leaves it out, as it does MISC mentions, and [`demonym_refs`] reads it.
pub fn is_demonym_mention(doc: &Document, m: &Mention) -> bool {
    m.tokens.len() == 1
        && Demonyms::of(doc.language())
            .place_keys(doc.token_text(m.tokens.start))
            .is_some()
}

/// A demonym token that refers to a place entity of the document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DemonymRef {
    /// The token of the adjective.
    pub token: usize,
    /// The place entity it refers to (index into the entities).
    pub entity: usize,
}

/// The demonyms of a document that refer to one of its place entities, in
/// text order. Tokens inside a person, organisation or place mention are
/// not read (`Russische Federatie` is a name of its own). One hash lookup
/// per capitalised token.
pub fn demonym_refs(doc: &Document, mentions: &[Mention], entities: &[Entity]) -> Vec<DemonymRef> {
    let table = Demonyms::of(doc.language());
    if table.by_word.is_empty() || !entities.iter().any(|e| e.kind == EntityKind::Place) {
        return Vec::new();
    }
    let mut in_name = vec![false; doc.tokens.len()];
    // The tagger reads demonyms as MISC names (as CoNLL annotates them):
    // those are read; other names are not.
    for m in mentions.iter().filter(|m| m.kind != EntityKind::Misc) {
        if m.tokens.len() == 1 && table.place_keys(doc.token_text(m.tokens.start)).is_some() {
            continue;
        }
        for t in m.tokens.clone() {
            if let Some(x) = in_name.get_mut(t) {
                *x = true;
            }
        }
    }
    // The demonym tokens first: most documents have few or none, and only
    // then are the place names worth their skeleton keys.
    let mut found: Vec<(usize, &[String])> = Vec::new();
    let bytes = doc.text.as_bytes();
    for (t, (&named, token)) in in_name.iter().zip(&doc.tokens).enumerate() {
        // Judged by the first byte where it is ASCII: no slicing, no decoding.
        let capitalised = match bytes.get(token.span.start as usize) {
            Some(&b) if b < 0x80 => b.is_ascii_uppercase(),
            Some(_) => doc
                .token_text(t)
                .chars()
                .next()
                .is_some_and(char::is_uppercase),
            None => false,
        };
        if named || !capitalised {
            continue;
        }
        if let Some(keys) = table.place_keys(doc.token_text(t)) {
            found.push((t, keys));
        }
    }
    if found.is_empty() {
        return Vec::new();
    }
    // Every name key of every place entity.
    let mut place_of_key: HashMap<String, usize> = HashMap::default();
    for (ei, e) in entities.iter().enumerate() {
        if e.kind != EntityKind::Place {
            continue;
        }
        for name in std::iter::once(&e.label).chain(&e.aliases) {
            place_of_key.entry(skeleton_key(name)).or_insert(ei);
        }
    }
    let mut out = Vec::new();
    for (t, keys) in found {
        if let Some(&entity) = keys.iter().find_map(|k| place_of_key.get(k)) {
            out.push(DemonymRef { token: t, entity });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::resolve;
    use crate::resolve::tests::doc_with;
    use EntityKind::{Person as Per, Place as Loc};

    fn refs(text: &str, lang: &str, names: &[(&str, EntityKind)]) -> Vec<(String, String)> {
        let (doc, ms) = doc_with(text, lang, names);
        let es = resolve(&doc, &ms);
        demonym_refs(&doc, &ms, &es)
            .iter()
            .map(|r| {
                (
                    doc.token_text(r.token).to_string(),
                    es[r.entity].label.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn a_demonym_refers_to_a_place_the_document_names() {
        let text = "De Poolse regering protesteerde. Polen stuurde een brief.";
        assert_eq!(
            refs(text, "nl", &[("Polen", Loc)]),
            [("Poolse".to_string(), "Polen".to_string())]
        );
        // Across languages of the gazetteer: the English name of the place.
        let text = "Georgian troops left. Georgia said so.";
        assert_eq!(
            refs(text, "en", &[("Georgia", Loc)]),
            [("Georgian".to_string(), "Georgia".to_string())]
        );
    }

    #[test]
    fn no_reference_without_the_place_or_inside_a_name() {
        // The document names no Poland: the adjective points at nothing.
        let text = "De Poolse regering protesteerde in Berlijn.";
        assert!(refs(text, "nl", &[("Berlijn", Loc)]).is_empty());
        // Inside a name, the adjective is part of that name; lowercase
        // words are no demonyms.
        let text = "Mark Polish spoke in Poland about polish.";
        assert!(refs(text, "en", &[("Mark Polish", Per), ("Poland", Loc)]).is_empty());
    }

    #[test]
    fn a_lone_demonym_the_tagger_called_a_name_is_no_entity() {
        let text = "Russian troops left Kharkiv. Russia denied it.";
        let (doc, ms) = doc_with(
            text,
            "en",
            &[("Russian", Per), ("Kharkiv", Loc), ("Russia", Loc)],
        );
        let es = resolve(&doc, &ms);
        let labels: Vec<&str> = es.iter().map(|e| e.label.as_str()).collect();
        assert_eq!(labels, ["Kharkiv", "Russia"]);
        let r = demonym_refs(&doc, &ms, &es);
        assert_eq!(r.len(), 1);
        assert_eq!(es[r[0].entity].label, "Russia");
        // A name that merely starts with a demonym stays a name.
        let (doc, ms) = doc_with("Russian Railways grew.", "en", &[("Russian Railways", Per)]);
        assert_eq!(resolve(&doc, &ms).len(), 1);
    }

    #[test]
    fn the_shipped_tables_parse() {
        for lang in Language::all() {
            let d = Demonyms::of(lang);
            assert!(d.by_word.len() > 100, "{} has few demonyms", lang.code);
        }
        let nl = Demonyms::of(Language::get("nl").expect("nl"));
        assert!(nl.place_keys("Franse").is_some());
        assert!(nl.place_keys("franse").is_none());
    }
}
