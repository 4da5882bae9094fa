//! Corpus runs: many sources in, one merged graph out.

use std::path::Path;

use crate::graph::KnowledgeGraph;
use crate::input::{jsonl_records, read_file, read_stdin, InputError, RawDocument, Source};
use crate::Extractor;

/// What a corpus run did, for `--stats` and the exit status.
#[derive(Clone, Debug, Default)]
pub struct RunSummary {
    /// Documents extracted.
    pub documents: usize,
    /// Bytes of text extracted.
    pub bytes: u64,
    /// Inputs skipped because of an error (each also reported to `warn`).
    pub failed: usize,
}

/// Streams the documents of `sources`, calling `each` on every document read
/// and `warn` on every input that could not be read (which is then skipped).
pub fn for_each_document(
    sources: &[Source],
    lossy: bool,
    mut each: impl FnMut(RawDocument),
    mut warn: impl FnMut(InputError),
) {
    for source in sources {
        match source {
            Source::File(p) => match read_file(p, lossy) {
                Ok(d) => each(d),
                Err(e) => warn(e),
            },
            Source::Stdin { jsonl: false } => match read_stdin(lossy) {
                Ok(d) => each(d),
                Err(e) => warn(e),
            },
            Source::Stdin { jsonl: true } => {
                for r in jsonl_records("-".into(), std::io::stdin().lock(), lossy) {
                    match r {
                        Ok(d) => each(d),
                        Err(e) => warn(e),
                    }
                }
            }
            Source::Jsonl(p) => match std::fs::File::open(p) {
                Ok(f) => {
                    let name = p.display().to_string();
                    for r in jsonl_records(name, std::io::BufReader::new(f), lossy) {
                        match r {
                            Ok(d) => each(d),
                            Err(e) => warn(e),
                        }
                    }
                }
                Err(e) => warn(InputError::Unreadable {
                    path: p.display().to_string(),
                    source: e,
                }),
            },
        }
    }
}

/// Extracts every document of `sources` into one graph.
pub fn extract_corpus(
    extractor: &Extractor,
    sources: &[Source],
    lossy: bool,
    mut warn: impl FnMut(InputError),
) -> (KnowledgeGraph, RunSummary) {
    let mut graph = KnowledgeGraph::new();
    let mut summary = RunSummary::default();
    let mut extractions = Vec::new();
    for_each_document(
        sources,
        lossy,
        |raw| {
            summary.documents += 1;
            summary.bytes += raw.text.len() as u64;
            let mut doc = extractor.document(&raw.id, raw.text);
            doc.path = Some(raw.path);
            doc.date = raw.date;
            extractions.push(extractor.extract_document(&doc));
        },
        |e| {
            summary.failed += 1;
            warn(e)
        },
    );
    // Documents join the graph in id order, so the result does not depend on
    // the order in which paths were given.
    extractions.sort_by(|a, b| a.document.id.cmp(&b.document.id));
    for ex in extractions {
        graph.add(ex);
    }
    graph.compute_salience();
    (graph, summary)
}

/// The display name of a path for messages.
pub fn display(path: &Path) -> String {
    path.display().to_string()
}
