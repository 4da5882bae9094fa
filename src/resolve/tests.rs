//! Each merge rule, and cases that must not merge, on sentences written
//! for these tests.

use super::*;
use crate::lang::Language;

/// A document and mentions of the given names (each occurrence, in text
/// order), typed as given; names must be whole tokens.
pub(crate) fn doc_with(
    text: &str,
    lang: &str,
    names: &[(&str, EntityKind)],
) -> (Document, Vec<Mention>) {
    let doc = Document::new("t", text.to_string(), Language::get(lang));
    let mut out = Vec::new();
    for &(name, kind) in names {
        let mut from = 0;
        while let Some(pos) = text[from..].find(name) {
            let start = from + pos;
            let end = start + name.len();
            from = end;
            let first = doc
                .tokens
                .iter()
                .position(|t| t.span.start as usize == start);
            let last = doc.tokens.iter().position(|t| t.span.end as usize == end);
            let (Some(first), Some(last)) = (first, last) else {
                continue;
            };
            let sentence = doc
                .sentences
                .iter()
                .position(|s| s.tokens.contains(&first))
                .expect("token in a sentence");
            out.push(Mention {
                span: Span::new(start, end),
                kind,
                tokens: first..last + 1,
                sentence,
            });
        }
    }
    // A name inside a longer one (`Diallo` in `Amara Diallo`) is not a mention.
    let all = out.clone();
    out.retain(|m| {
        !all.iter()
            .any(|o| o.span != m.span && o.span.start <= m.span.start && m.span.end <= o.span.end)
    });
    out.sort_by_key(|m| m.span.start);
    out.dedup_by_key(|m| m.span);
    (doc, out)
}

use EntityKind::{Misc, Organisation as Org, Person as Per, Place as Loc};

fn labels(es: &[Entity]) -> Vec<(String, Vec<String>)> {
    es.iter()
        .map(|e| (e.label.clone(), e.aliases.clone()))
        .collect()
}

fn entity<'a>(es: &'a [Entity], label: &str) -> &'a Entity {
    es.iter()
        .find(|e| e.label == label)
        .unwrap_or_else(|| panic!("no entity {label} in {:?}", labels(es)))
}

#[test]
fn surname_joins_full_name() {
    let (doc, ms) = doc_with(
        "Burgemeester Johan Verhoeven opende de brug. Verhoeven sprak kort.",
        "nl",
        &[("Johan Verhoeven", Per), ("Verhoeven", Per)],
    );
    let es = resolve(&doc, &ms);
    assert_eq!(es.len(), 1, "{:?}", labels(&es));
    assert_eq!(es[0].label, "Johan Verhoeven");
    assert_eq!(es[0].aliases, vec!["Verhoeven"]);
    assert_eq!(es[0].roles, vec!["burgemeester"]);
}

#[test]
fn surname_tagged_as_place_still_joins_a_person() {
    // A tagger may type a bare surname as a place; an unknown place that is
    // exactly a person's surname is that person.
    let (doc, ms) = doc_with(
        "Gisteren sprak Ilse Vandermeer in Gent. Vandermeer was blij.",
        "nl",
        &[("Ilse Vandermeer", Per), ("Vandermeer", Loc), ("Gent", Loc)],
    );
    let es = resolve(&doc, &ms);
    assert_eq!(es.len(), 2, "{:?}", labels(&es));
    assert_eq!(entity(&es, "Ilse Vandermeer").kind, Per);
}

#[test]
fn known_place_never_joins_a_person_by_surname() {
    let (doc, ms) = doc_with(
        "De zanger Tom Berlin trad op. Daarna reisde hij naar Berlijn en Berlin.",
        "nl",
        &[("Tom Berlin", Per), ("Berlin", Loc), ("Berlijn", Loc)],
    );
    let es = resolve(&doc, &ms);
    let berlin = es.iter().find(|e| e.kind == Loc).expect("a place");
    assert_eq!(berlin.mentions.len(), 2, "{:?}", labels(&es));
    assert_eq!(entity(&es, "Tom Berlin").mentions.len(), 1);
}

#[test]
fn two_people_sharing_a_surname_stay_apart() {
    let (doc, ms) = doc_with(
        "Anna Dekker won de prijs. Haar broer Piet Dekker keek toe. Dekker juichte.",
        "nl",
        &[("Anna Dekker", Per), ("Piet Dekker", Per), ("Dekker", Per)],
    );
    let es = resolve(&doc, &ms);
    assert_eq!(es.len(), 2, "{:?}", labels(&es));
    // The bare surname goes to the nearest full name before it.
    assert_eq!(entity(&es, "Piet Dekker").mentions.len(), 2);
    assert_eq!(entity(&es, "Anna Dekker").mentions.len(), 1);
}

#[test]
fn title_is_stripped_and_kept_as_role() {
    let (doc, ms) = doc_with(
        "Premier Olaf Brandt kwam aan. Brandt zweeg.",
        "nl",
        &[("Premier Olaf Brandt", Per), ("Brandt", Per)],
    );
    let es = resolve(&doc, &ms);
    assert_eq!(es.len(), 1, "{:?}", labels(&es));
    assert_eq!(es[0].label, "Olaf Brandt");
    assert_eq!(es[0].roles, vec!["premier"]);
    assert_eq!(doc.slice(es[0].names[0]), "Olaf Brandt");
}

#[test]
fn role_phrase_before_name_and_apposition_after() {
    let (doc, ms) = doc_with(
        "Daar was minister van Landbouw Karel Mertens. Ook Lies Aerts, woordvoerder van de bond, was er.",
        "nl",
        &[("Karel Mertens", Per), ("Lies Aerts", Per)],
    );
    let es = resolve(&doc, &ms);
    assert_eq!(
        entity(&es, "Karel Mertens").roles,
        vec!["minister van Landbouw"]
    );
    assert_eq!(
        entity(&es, "Lies Aerts").roles,
        vec!["woordvoerder van de bond"]
    );
}

#[test]
fn title_before_name_makes_a_person() {
    let (doc, ms) = doc_with(
        "President Okoro sprak. Okoro lachte. Okoro vertrok.",
        "nl",
        &[("Okoro", Loc)],
    );
    let es = resolve(&doc, &ms);
    assert_eq!(es.len(), 1);
    assert_eq!(es[0].kind, Per);
}

#[test]
fn ministry_after_title_is_not_a_person() {
    let (doc, ms) = doc_with(
        "Hij werd minister van Defensie in mei.",
        "nl",
        &[("Defensie", Org)],
    );
    let es = resolve(&doc, &ms);
    assert_eq!(es[0].kind, Org);
    assert!(es[0].roles.is_empty());
}

#[test]
fn dutch_genitive_joins_the_name() {
    let (doc, ms) = doc_with(
        "Noorwegen groeit. Noorwegens economie bloeit. Hendriks plan faalde.",
        "nl",
        &[("Noorwegen", Loc), ("Noorwegens", Loc), ("Hendriks", Per)],
    );
    let es = resolve(&doc, &ms);
    assert_eq!(entity(&es, "Noorwegen").aliases, vec!["Noorwegens"]);
    // `Hendriks` is a name of its own: no `Hendrik` in the text.
    assert_eq!(entity(&es, "Hendriks").mentions.len(), 1);
}

#[test]
fn majority_type_wins_for_one_string() {
    let (doc, ms) = doc_with(
        "Valdoria groeit. Valdoria bouwt. Er is nieuws uit Valdoria.",
        "nl",
        &[("Valdoria", Loc)],
    );
    let mut ms = ms;
    ms[0].kind = Per;
    let es = resolve(&doc, &ms);
    assert_eq!(es.len(), 1);
    assert_eq!(es[0].kind, Loc);
}

#[test]
fn transliteration_variants_join() {
    let (doc, ms) = doc_with(
        "Sergej Sobjanin sprak. Later zei Sergey Sobyanin niets. Ook Sobjanin zweeg.",
        "nl",
        &[
            ("Sergej Sobjanin", Per),
            ("Sergey Sobyanin", Per),
            ("Sobjanin", Per),
        ],
    );
    let es = resolve(&doc, &ms);
    assert_eq!(es.len(), 1, "{:?}", labels(&es));
}

#[test]
fn one_letter_surname_variant_joins_full_name() {
    let (doc, ms) = doc_with(
        "Premier Mikhail Mishustin zweeg. Een figuur als Misjoetin dan.",
        "nl",
        &[("Mikhail Mishustin", Per), ("Misjoetin", Loc)],
    );
    let es = resolve(&doc, &ms);
    assert_eq!(es.len(), 1, "{:?}", labels(&es));
}

#[test]
fn different_first_names_are_different_people() {
    let (doc, ms) = doc_with(
        "Ivan Petrov kwam. Olga Petrova bleef.",
        "nl",
        &[("Ivan Petrov", Per), ("Olga Petrova", Per)],
    );
    assert_eq!(resolve(&doc, &ms).len(), 2);
}

#[test]
fn gazetteer_exonyms_join() {
    let (doc, ms) = doc_with(
        "Troepen trokken naar Charkov. In Kharkiv bleef het rustig. Kiev en Kyiv ook.",
        "nl",
        &[
            ("Charkov", Loc),
            ("Kharkiv", Loc),
            ("Kiev", Loc),
            ("Kyiv", Loc),
        ],
    );
    let es = resolve(&doc, &ms);
    assert_eq!(es.len(), 2, "{:?}", labels(&es));
}

#[test]
fn acronym_in_brackets_and_initials() {
    let (doc, ms) = doc_with(
        "De Volksfront-partij (VFP) won. De Nordic Trade Council vergaderde. De VFP en de NTC reageerden.",
        "nl",
        &[
            ("Volksfront-partij", Org),
            ("VFP", Org),
            ("Nordic Trade Council", Org),
            ("NTC", Org),
        ],
    );
    let es = resolve(&doc, &ms);
    assert_eq!(es.len(), 2, "{:?}", labels(&es));
    assert_eq!(entity(&es, "Nordic Trade Council").aliases, vec!["NTC"]);
}

#[test]
fn party_acronym_after_a_person_is_not_an_alias() {
    let (doc, ms) = doc_with(
        "Kamerlid Joost Visser (PVDA) stemde tegen.",
        "nl",
        &[("Joost Visser", Per), ("PVDA", Org)],
    );
    assert_eq!(resolve(&doc, &ms).len(), 2);
}

#[test]
fn pseudonym_in_brackets_joins_a_person() {
    let (doc, ms) = doc_with(
        "Karl Weber (Falke) leidde de groep.",
        "nl",
        &[("Karl Weber", Per), ("Falke", Per)],
    );
    let es = resolve(&doc, &ms);
    assert_eq!(es.len(), 1);
    assert_eq!(es[0].aliases, vec!["Falke"]);
}

#[test]
fn compound_name_part_joins_a_known_entity() {
    let (doc, ms) = doc_with(
        "President Dubois sprak. Het Dubois-kamp juichte en de Dubois-regering viel.",
        "nl",
        &[
            ("Dubois", Per),
            ("Dubois-kamp", Misc),
            ("Dubois-regering", Org),
        ],
    );
    let es = resolve(&doc, &ms);
    let d = entity(&es, "Dubois");
    assert_eq!(d.mentions.len(), 2, "{:?}", labels(&es));
    assert_eq!(doc.slice(d.names[1]), "Dubois");
    // `regering` makes the compound a name of its own.
    assert_eq!(entity(&es, "Dubois-regering").kind, Org);
}

#[test]
fn compound_of_two_names_stays_whole() {
    let (doc, ms) = doc_with(
        "Noord-Valdoria grenst aan Valdoria.",
        "nl",
        &[("Noord-Valdoria", Loc), ("Valdoria", Loc)],
    );
    assert_eq!(resolve(&doc, &ms).len(), 2);
}

#[test]
fn organisation_does_not_swallow_its_place() {
    let (doc, ms) = doc_with(
        "Verenigd Noorwegen won in Noorwegen.",
        "nl",
        &[("Verenigd Noorwegen", Org), ("Noorwegen", Loc)],
    );
    assert_eq!(resolve(&doc, &ms).len(), 2);
}

#[test]
fn english_names_and_titles() {
    let (doc, ms) = doc_with(
        "Former president Amara Diallo spoke in Dakar. Diallo's party, the Sahel Union Party (SUP), agreed.",
        "en",
        &[
            ("Amara Diallo", Per),
            ("Diallo", Per),
            ("Dakar", Loc),
            ("Sahel Union Party", Org),
            ("SUP", Org),
        ],
    );
    let es = resolve(&doc, &ms);
    assert_eq!(es.len(), 3, "{:?}", labels(&es));
    assert_eq!(entity(&es, "Amara Diallo").roles, vec!["former president"]);
}

#[test]
fn sentence_opening_word_is_not_part_of_a_name() {
    let (doc, ms) = doc_with(
        "Nadat Hugo Claes vertrok, bleef het stil. Het werd laat nadat hij ging.",
        "nl",
        &[("Nadat Hugo Claes", Per)],
    );
    let es = resolve(&doc, &ms);
    assert_eq!(es[0].label, "Hugo Claes");
}

#[test]
fn name_after_title_phrase_is_split_from_the_phrase() {
    let (doc, ms) = doc_with(
        "Toen sprak minister van Binnenlandse Zaken Verbeek. Later zweeg Verbeek.",
        "nl",
        &[("Binnenlandse Zaken Verbeek", Per), ("Verbeek", Per)],
    );
    let es = resolve(&doc, &ms);
    assert_eq!(es.len(), 1, "{:?}", labels(&es));
    assert_eq!(es[0].label, "Verbeek");
    assert_eq!(es[0].roles, vec!["minister van Binnenlandse Zaken"]);
}

#[test]
fn known_place_does_not_absorb_a_near_spelling() {
    // An adjective a tagger may mark is one letter from a country the
    // gazetteer knows: it does not join the country (a known demonym is no
    // entity at all), nor does an unknown adjective-like name.
    let (doc, ms) = doc_with(
        "Oekraïne won. De Oekraïense troepen rukten op.",
        "nl",
        &[("Oekraïne", Loc), ("Oekraïense", Loc)],
    );
    assert_eq!(
        labels(&resolve(&doc, &ms)),
        labels(&resolve(&doc, &ms[..1]))
    );
    let (doc, ms) = doc_with(
        "Oekraïne won. De Oekraïnse troepen rukten op.",
        "nl",
        &[("Oekraïne", Loc), ("Oekraïnse", Loc)],
    );
    assert_eq!(resolve(&doc, &ms).len(), 2);
}

#[test]
fn a_known_place_read_as_a_person_is_a_place_unless_titled() {
    let (doc, ms) = doc_with(
        "De beschietingen op Rotterdam gingen door. Later bezocht Amara Diallo de stad.",
        "nl",
        &[("Rotterdam", Per), ("Amara Diallo", Per)],
    );
    let es = resolve(&doc, &ms);
    let kinds: Vec<(String, EntityKind)> = es.iter().map(|e| (e.label.clone(), e.kind)).collect();
    assert_eq!(
        kinds,
        [
            ("Rotterdam".to_string(), Loc),
            ("Amara Diallo".to_string(), Per)
        ]
    );
    // A title says person, whatever the gazetteer knows.
    let (doc, ms) = doc_with(
        "Dat zei minister Lincoln gisteren.",
        "en",
        &[("Lincoln", Per)],
    );
    assert_eq!(resolve(&doc, &ms)[0].kind, Per);
}
