//! The relations stage: typed links and weighted co-occurrence between the
//! entities and events of a document, each with the sentence that supports it.

use crate::events::Event;
use crate::ner::Mention;
use crate::resolve::Entity;
use crate::text::{Document, Span};

/// One end of a relation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeRef {
    /// An index into the document's entities.
    Entity(usize),
    /// An index into the document's events.
    Event(usize),
}

/// A link between two nodes, with evidence.
#[derive(Clone, Debug, PartialEq)]
pub struct Relation {
    /// Where the link starts (for typed relations: the actor, the part, the member).
    pub source: NodeRef,
    /// Where the link ends.
    pub target: NodeRef,
    /// A lowercase word: `co_occurs`, `role`, `leader_of`, `participant_in`, ...
    pub kind: String,
    /// The wording in the text (`minister van Buitenlandse Zaken`), if any.
    pub label: Option<String>,
    /// The sentence spans that state it; its weight is their number.
    pub evidence: Vec<Span>,
}

/// How co-occurrence edges are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Cooccurrence {
    /// Entities named in the same sentence.
    #[default]
    Sentence,
    /// Entities named in the same paragraph.
    Paragraph,
    /// No co-occurrence edges.
    Off,
}

/// Finds the relations of a document.
pub fn find_relations(
    doc: &Document,
    mentions: &[Mention],
    entities: &[Entity],
    events: &[Event],
    cooccurrence: Cooccurrence,
) -> Vec<Relation> {
    let mut out = Vec::new();
    for (ei, ev) in events.iter().enumerate() {
        let evidence = vec![doc.sentences[ev.mentions[0].sentence].span];
        for &p in &ev.participants {
            out.push(Relation {
                source: NodeRef::Entity(p),
                target: NodeRef::Event(ei),
                kind: "participant_in".into(),
                label: None,
                evidence: evidence.clone(),
            });
        }
        for &p in &ev.places {
            out.push(Relation {
                source: NodeRef::Entity(p),
                target: NodeRef::Event(ei),
                kind: "place_of".into(),
                label: None,
                evidence: evidence.clone(),
            });
        }
    }
    out.extend(cooccurrences(doc, mentions, entities, cooccurrence));
    out
}

/// `co_occurs` relations between entities named in the same sentence (or
/// paragraph), one piece of evidence per sentence, in a stable order.
pub fn cooccurrences(
    doc: &Document,
    mentions: &[Mention],
    entities: &[Entity],
    mode: Cooccurrence,
) -> Vec<Relation> {
    use std::collections::BTreeMap;
    if mode == Cooccurrence::Off {
        return Vec::new();
    }
    let mut entity_of = vec![None; mentions.len()];
    for (ei, e) in entities.iter().enumerate() {
        for &m in &e.mentions {
            entity_of[m] = Some(ei);
        }
    }
    // Group entities by window (sentence or paragraph), keeping the window's span.
    let mut windows: BTreeMap<usize, (Span, Vec<usize>)> = BTreeMap::new();
    for (mi, m) in mentions.iter().enumerate() {
        let Some(ei) = entity_of[mi] else { continue };
        let sentence = &doc.sentences[m.sentence];
        let key = match mode {
            Cooccurrence::Sentence => m.sentence,
            _ => sentence.paragraph,
        };
        let w = windows.entry(key).or_insert((sentence.span, Vec::new()));
        w.0 = Span {
            start: w.0.start.min(sentence.span.start),
            end: w.0.end.max(sentence.span.end),
        };
        w.1.push(ei);
    }
    let mut pairs: BTreeMap<(usize, usize), Vec<Span>> = BTreeMap::new();
    for (span, mut ents) in windows.into_values() {
        ents.sort_unstable();
        ents.dedup();
        for (i, &a) in ents.iter().enumerate() {
            for &b in &ents[i + 1..] {
                pairs.entry((a, b)).or_default().push(span);
            }
        }
    }
    pairs
        .into_iter()
        .map(|((a, b), evidence)| Relation {
            source: NodeRef::Entity(a),
            target: NodeRef::Entity(b),
            kind: "co_occurs".into(),
            label: None,
            evidence,
        })
        .collect()
}
