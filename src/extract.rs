//! The pipeline: one [`Extractor`] runs every stage on a document and
//! gathers documents into a [`KnowledgeGraph`].

use crate::events::{find_events_dated, Event};
use crate::graph::{DocumentInfo, KnowledgeGraph, MentionRef};
use crate::lang::Language;
use crate::ner::{find_mentions, Mention};
use crate::relations::{find_relations, Cooccurrence, Relation};
use crate::resolve::{resolve, split_names, Entity};
use crate::text::Document;
use crate::timing::{timed, Stage};

/// Settings of an extraction run.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Force this language instead of detecting it per document.
    pub lang: Option<&'static Language>,
    /// How co-occurrence edges are counted.
    pub cooccurrence: Cooccurrence,
    /// Publication date (`YYYY-MM-DD`) for documents that carry none, to
    /// resolve relative times (`woensdag`, `last week`).
    pub date: Option<String>,
}

/// Everything extracted from one document, ready to add to a graph.
///
/// It holds no document text beyond the mentioned names, so a corpus run
/// can drop each document as soon as it is extracted.
#[derive(Clone, Debug)]
pub struct Extraction {
    /// The document's id, path, language and size.
    pub document: DocumentInfo,
    /// The names found, in text order (text copied out of the document).
    pub mentions: Vec<MentionRef>,
    /// The entities (indices into `mentions`).
    pub entities: Vec<Entity>,
    /// The events.
    pub events: Vec<Event>,
    /// The relations between entities and events.
    pub relations: Vec<Relation>,
}

/// Runs the pipeline. Build it once and share it across threads.
#[derive(Clone, Debug, Default)]
pub struct Extractor {
    options: Options,
    /// Where to add the time of each stage, when asked (`--stats`).
    timings: Option<std::sync::Arc<crate::timing::StageTimes>>,
}

impl Extractor {
    /// An extractor with these settings.
    pub fn new(options: Options) -> Extractor {
        Extractor {
            options,
            timings: None,
        }
    }

    /// Adds the time of every stage to `times` from now on.
    pub fn with_timings(mut self, times: std::sync::Arc<crate::timing::StageTimes>) -> Extractor {
        self.timings = Some(times);
        self
    }

    /// The stage time accumulator, if timing is on.
    pub fn timings(&self) -> Option<&crate::timing::StageTimes> {
        self.timings.as_deref()
    }

    /// The settings.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Runs the text stage on decoded text.
    pub fn document(&self, id: &str, text: String) -> Document {
        timed(self.timings(), Stage::Tokenize, || {
            Document::new(id, text, self.options.lang)
        })
    }

    /// Runs every stage after the text stage on one document.
    pub fn extract_document(&self, doc: &Document) -> Extraction {
        let t = self.timings();
        let mentions: Vec<Mention> = timed(t, Stage::Ner, || find_mentions(doc));
        let mentions = timed(t, Stage::Resolve, || split_names(doc, mentions));
        let entities = timed(t, Stage::Resolve, || resolve(doc, &mentions));
        let events = {
            let date = doc.date.as_deref().or(self.options.date.as_deref());
            timed(t, Stage::Events, || {
                find_events_dated(doc, &mentions, &entities, date)
            })
        };
        let relations = timed(t, Stage::Relations, || {
            find_relations(
                doc,
                &mentions,
                &entities,
                &events,
                self.options.cooccurrence,
            )
        });
        Extraction {
            document: DocumentInfo {
                id: doc.id.clone(),
                path: doc.path.clone(),
                language: doc.lang.to_string(),
                bytes: doc.text.len() as u64,
                date: doc.date.clone(),
                source: None,
            },
            mentions: mention_refs(doc, &mentions, &entities),
            entities,
            events,
            relations,
        }
    }

    /// Extracts a single text into a graph of its own.
    pub fn extract_text(&self, id: &str, text: &str) -> KnowledgeGraph {
        let doc = self.document(id, text.to_string());
        let mut graph = KnowledgeGraph::new();
        graph.add(self.extract_document(&doc));
        graph.finalize();
        graph
    }
}

/// The mentions as the graph shows them: each entity mention reduced to the
/// name the resolver found in it (no title, the name part of a compound).
fn mention_refs(doc: &Document, mentions: &[Mention], entities: &[Entity]) -> Vec<MentionRef> {
    let mut spans: Vec<crate::text::Span> = mentions.iter().map(|m| m.span).collect();
    for e in entities {
        for (&m, &name) in e.mentions.iter().zip(&e.names) {
            spans[m] = name;
        }
    }
    let id = arcstr::ArcStr::from(doc.id.as_str());
    mentions
        .iter()
        .zip(spans)
        .map(|(m, span)| MentionRef {
            doc: id.clone(),
            start: span.start,
            end: span.end,
            text: doc.slice(span).into(),
            sentence: Some(m.sentence as u32),
        })
        .collect()
}
