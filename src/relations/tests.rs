//! Each relation pattern family, and cases that must not match, on
//! sentences written for these tests.

use super::*;
use crate::ner::EntityKind::{Organisation as Org, Person as Per, Place as Loc};
use crate::resolve::resolve;
use crate::resolve::tests::doc_with;

fn typed(
    text: &str,
    lang: &str,
    names: &[(&str, crate::ner::EntityKind)],
) -> Vec<(String, String, String)> {
    let (doc, ms) = doc_with(text, lang, names);
    let es = resolve(&doc, &ms);
    let name = |r: NodeRef| match r {
        NodeRef::Entity(i) => es[i].label.clone(),
        NodeRef::Event(i) => format!("event {i}"),
    };
    let mut v: Vec<(String, String, String)> =
        find_relations(&doc, &ms, &es, &[], Cooccurrence::Off)
            .into_iter()
            .map(|r| (name(r.source), r.kind, name(r.target)))
            .collect();
    v.sort();
    v
}

fn rel(s: &str, k: &str, t: &str) -> (String, String, String) {
    (s.into(), k.into(), t.into())
}

#[test]
fn leader_of_apposition_and_title_before() {
    let r = typed(
        "Eerder zei Joris Lambrecht, voorzitter van de Boerenbond, dat het kon.",
        "nl",
        &[("Joris Lambrecht", Per), ("Boerenbond", Org)],
    );
    assert_eq!(r, vec![rel("Joris Lambrecht", "leader_of", "Boerenbond")]);
    let r = typed(
        "Burgemeester Femke Jacobs van Leuven opende de markt.",
        "nl",
        &[("Femke Jacobs", Per), ("Leuven", Loc)],
    );
    assert_eq!(r, vec![rel("Femke Jacobs", "leader_of", "Leuven")]);
    let r = typed(
        "Yesterday Maria Costa, the leader of the Harbour Union, resigned.",
        "en",
        &[("Maria Costa", Per), ("Harbour Union", Org)],
    );
    assert_eq!(r, vec![rel("Maria Costa", "leader_of", "Harbour Union")]);
}

#[test]
fn spokesperson_and_role() {
    let r = typed(
        "Volgens Tom Peeters, woordvoerder van de Spoorbond, is alles rustig.",
        "nl",
        &[("Tom Peeters", Per), ("Spoorbond", Org)],
    );
    assert_eq!(r, vec![rel("Tom Peeters", "spokesperson_of", "Spoorbond")]);
    let r = typed(
        "The minister of Finance of Norland, Erik Holm, spoke.",
        "en",
        &[("Norland", Loc), ("Erik Holm", Per)],
    );
    assert_eq!(r, vec![rel("Erik Holm", "role", "Norland")]);
}

#[test]
fn member_list() {
    let r = typed(
        "Er was een top van de Oostzeeraad, waarin Letland, Estland en sinds kort ook Finland verenigd zijn.",
        "nl",
        &[("Oostzeeraad", Org), ("Letland", Loc), ("Estland", Loc), ("Finland", Loc)],
    );
    assert_eq!(
        r,
        vec![
            rel("Estland", "member_of", "Oostzeeraad"),
            rel("Finland", "member_of", "Oostzeeraad"),
            rel("Letland", "member_of", "Oostzeeraad"),
        ]
    );
    let r = typed(
        "Karin Vos is lid van de Groene Partij.",
        "nl",
        &[("Karin Vos", Per), ("Groene Partij", Org)],
    );
    assert_eq!(r, vec![rel("Karin Vos", "member_of", "Groene Partij")]);
}

#[test]
fn located_in_and_gazetteer_hierarchy() {
    let r = typed(
        "Het protest in Eindhoven, de grootste stad van Brabant, bleef klein.",
        "nl",
        &[("Eindhoven", Loc), ("Brabant", Loc)],
    );
    assert_eq!(r, vec![rel("Eindhoven", "located_in", "Brabant")]);
    // Moscow lies in Russia by the gazetteer, even when no sentence says so.
    let r = typed(
        "Moskou zweeg. Rusland ook.",
        "nl",
        &[("Moskou", Loc), ("Rusland", Loc)],
    );
    assert_eq!(r, vec![rel("Moskou", "located_in", "Rusland")]);
}

#[test]
fn affiliation_in_brackets_and_part_of() {
    let r = typed(
        "Door Lotte Claes (Vrije Pers in Gent)",
        "nl",
        &[("Lotte Claes", Per), ("Vrije Pers", Org), ("Gent", Loc)],
    );
    assert!(
        r.contains(&rel("Lotte Claes", "affiliated_with", "Vrije Pers")),
        "{r:?}"
    );
    let r = typed(
        "The Coast Guard is part of the Navy.",
        "en",
        &[("Coast Guard", Org), ("Navy", Org)],
    );
    assert_eq!(r, vec![rel("Coast Guard", "part_of", "Navy")]);
}

#[test]
fn no_relation_without_the_wording() {
    // Two names in one sentence, no pattern: only co-occurrence.
    let r = typed(
        "Joris Lambrecht en de Boerenbond spraken gisteren in Leuven.",
        "nl",
        &[
            ("Joris Lambrecht", Per),
            ("Boerenbond", Org),
            ("Leuven", Loc),
        ],
    );
    assert!(r.is_empty(), "{r:?}");
    // A plain list of countries is no membership.
    let r = typed(
        "Letland, Estland en Finland stemden tegen.",
        "nl",
        &[("Letland", Loc), ("Estland", Loc), ("Finland", Loc)],
    );
    assert!(r.is_empty(), "{r:?}");
}

#[test]
fn cooccurrence_modes() {
    let text = "Anna Smit zag Piet Jansen.\n\nPiet Jansen zag Karel Vos. Karel Vos zag Anna Smit.";
    let names = [("Anna Smit", Per), ("Piet Jansen", Per), ("Karel Vos", Per)];
    let (doc, ms) = doc_with(text, "nl", &names);
    let es = resolve(&doc, &ms);
    let count = |mode| {
        find_relations(&doc, &ms, &es, &[], mode)
            .iter()
            .filter(|r| r.kind == "co_occurs")
            .count()
    };
    assert_eq!(count(Cooccurrence::Sentence), 3);
    assert_eq!(count(Cooccurrence::Paragraph), 3);
    assert_eq!(count(Cooccurrence::Off), 0);
    // Anna Smit and Piet Jansen share a sentence once, but both paragraphs.
    let weight = |mode| {
        find_relations(&doc, &ms, &es, &[], mode)
            .into_iter()
            .find(|r| r.source == NodeRef::Entity(0) && r.target == NodeRef::Entity(1))
            .map(|r| r.evidence.len())
    };
    assert_eq!(weight(Cooccurrence::Sentence), Some(1));
    assert_eq!(weight(Cooccurrence::Paragraph), Some(2));
}

#[test]
fn a_place_adjective_stands_for_its_place() {
    // Title after a place adjective: the person's role is in that country.
    let r = typed(
        "Later sprak de Noorse minister van Visserij Ingrid Solberg. Noorwegen zweeg.",
        "nl",
        &[("Ingrid Solberg", Per), ("Noorwegen", Loc)],
    );
    assert_eq!(r, vec![rel("Ingrid Solberg", "role", "Noorwegen")]);
    let r = typed(
        "Gisteren landde de Chileense president Ana Rojas. Chili vierde feest.",
        "nl",
        &[("Ana Rojas", Per), ("Chili", Loc)],
    );
    assert_eq!(r, vec![rel("Ana Rojas", "leader_of", "Chili")]);
    let r = typed(
        "Then Hungarian Foreign Minister Laszlo Varga arrived. Hungary said nothing.",
        "en",
        &[("Laszlo Varga", Per), ("Hungary", Loc)],
    );
    assert_eq!(r, vec![rel("Laszlo Varga", "role", "Hungary")]);
    // A city in apposition with `the ADJ capital` lies in that place.
    let r = typed(
        "Troops entered Tbilisi, the Georgian capital, at dawn. Georgia protested.",
        "en",
        &[("Tbilisi", Loc), ("Georgia", Loc)],
    );
    assert!(
        r.contains(&rel("Tbilisi", "located_in", "Georgia")),
        "{r:?}"
    );
}

#[test]
fn a_place_adjective_without_its_place_links_nothing() {
    // The document does not name Norway: no node, no relation.
    let r = typed(
        "Later sprak de Noorse minister van Visserij Ingrid Solberg in Bergen.",
        "nl",
        &[("Ingrid Solberg", Per), ("Bergen", Loc)],
    );
    assert!(r.iter().all(|(_, k, _)| k != "role"), "{r:?}");
    // An adjective not right before the title is no role (`de Noorse vis`).
    let r = typed(
        "Ingrid Solberg prees de Noorse vis. Noorwegen exporteert veel.",
        "nl",
        &[("Ingrid Solberg", Per), ("Noorwegen", Loc)],
    );
    assert!(r.is_empty(), "{r:?}");
}

#[test]
fn events_also_take_place_in_the_places_containing_theirs() {
    use crate::events::find_events;
    let text = "Vandaag protesteerden duizenden mensen in Lyon. Frankrijk reageerde kalm.";
    let (doc, ms) = doc_with(text, "nl", &[("Lyon", Loc), ("Frankrijk", Loc)]);
    let es = resolve(&doc, &ms);
    let evs = find_events(&doc, &ms, &es);
    let rels = find_relations(&doc, &ms, &es, &evs, Cooccurrence::Off);
    let places: Vec<&str> = rels
        .iter()
        .filter(|r| r.kind == "place_of" && r.target == NodeRef::Event(0))
        .filter_map(|r| match r.source {
            NodeRef::Entity(i) => Some(es[i].label.as_str()),
            NodeRef::Event(_) => None,
        })
        .collect();
    assert_eq!(places, ["Lyon", "Frankrijk"], "{rels:?}");
    // Without a known containment, only the event's own place.
    let text = "Vandaag protesteerden duizenden mensen in Lyon. Spanje reageerde kalm.";
    let (doc, ms) = doc_with(text, "nl", &[("Lyon", Loc), ("Spanje", Loc)]);
    let es = resolve(&doc, &ms);
    let evs = find_events(&doc, &ms, &es);
    let rels = find_relations(&doc, &ms, &es, &evs, Cooccurrence::Off);
    assert_eq!(
        rels.iter()
            .filter(|r| r.kind == "place_of" && r.target == NodeRef::Event(0))
            .count(),
        1,
        "{rels:?}"
    );
}
