//! Cross-document resolution in `KnowledgeGraph::add`: the same alias keys
//! as within a document.

use kgx::extract::Extraction;
use kgx::graph::{DocumentInfo, KnowledgeGraph, MentionRef};
use kgx::ner::EntityKind;
use kgx::resolve::Entity;
use kgx::text::Span;

/// An extraction of one document whose entities each have one mention.
fn extraction(doc: &str, entities: &[(&str, EntityKind)]) -> Extraction {
    let mut mentions = Vec::new();
    let mut ents = Vec::new();
    let mut at = 0u32;
    for (i, &(name, kind)) in entities.iter().enumerate() {
        let end = at + name.len() as u32;
        mentions.push(MentionRef {
            doc: doc.into(),
            start: at,
            end,
            text: name.into(),
            sentence: Some(0),
        });
        ents.push(Entity {
            kind,
            label: name.into(),
            aliases: Vec::new(),
            roles: Vec::new(),
            mentions: vec![i],
            names: vec![Span { start: at, end }],
        });
        at = end + 1;
    }
    Extraction {
        document: DocumentInfo {
            id: doc.into(),
            path: None,
            language: "nl".into(),
            bytes: u64::from(at),
            date: None,
            source: None,
        },
        mentions,
        entities: ents,
        events: Vec::new(),
        relations: Vec::new(),
    }
}

fn labels(g: &KnowledgeGraph) -> Vec<(String, usize)> {
    g.sorted_nodes()
        .iter()
        .map(|n| (n.label.clone(), n.mention_count()))
        .collect()
}

#[test]
fn later_surname_and_exonym_join_earlier_nodes() {
    let mut g = KnowledgeGraph::new();
    g.add(extraction(
        "a",
        &[
            ("Vladimir Poetin", EntityKind::Person),
            ("Moskou", EntityKind::Place),
        ],
    ));
    g.add(extraction(
        "b",
        &[
            ("Poetin", EntityKind::Person),
            ("Moscow", EntityKind::Place),
        ],
    ));
    assert_eq!(
        labels(&g),
        vec![
            ("Vladimir Poetin".to_string(), 2),
            // Equally long names: the alphabetically first labels the node,
            // so the label does not depend on the order of the documents.
            ("Moscow".to_string(), 2)
        ]
    );
    assert_eq!(
        g.node("person:vladimir-poetin").unwrap().aliases,
        vec!["Poetin"]
    );
}

#[test]
fn people_sharing_a_surname_across_documents_stay_apart() {
    let mut g = KnowledgeGraph::new();
    g.add(extraction("a", &[("Anna Smit", EntityKind::Person)]));
    g.add(extraction("b", &[("Piet Smit", EntityKind::Person)]));
    g.add(extraction("c", &[("Smit", EntityKind::Person)]));
    assert_eq!(g.node_count(), 3);
}

#[test]
fn two_entities_of_one_document_never_share_a_node() {
    let mut g = KnowledgeGraph::new();
    g.add(extraction("a", &[("Jan Smit", EntityKind::Person)]));
    g.add(extraction(
        "b",
        &[
            ("Jan Smit", EntityKind::Person),
            ("Jan Smit", EntityKind::Person),
        ],
    ));
    assert_eq!(g.node_count(), 2);
    assert!(g.node("person:jan-smit-2").is_some());
}

#[test]
fn types_do_not_join_across_documents() {
    let mut g = KnowledgeGraph::new();
    g.add(extraction("a", &[("Georgia", EntityKind::Place)]));
    g.add(extraction("b", &[("Georgia", EntityKind::Organisation)]));
    assert_eq!(g.node_count(), 2);
}
