//! Corpus runs: many sources in, one merged graph out, as a stream.
//!
//! One thread reads documents in a canonical order (sources sorted by path,
//! records of a JSON Lines file in file order) into a bounded queue; the
//! main thread takes them in batches of a few megabytes, extracts each
//! batch in parallel on a rayon pool of `jobs` threads, and adds the
//! extractions to the graph in reading order while the next batch is being
//! extracted. Document text is dropped as soon as its document is
//! extracted, so memory grows with the graph, not with the corpus.
//!
//! The output does not depend on the number of threads (the merge order is
//! the reading order) nor on the order of paths on the command line (the
//! sources are sorted) — and since merging nodes and edges in the graph is
//! itself independent of order, not even on the reading order.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::export::Format;
use crate::graph::KnowledgeGraph;
use crate::input::{
    jsonl_records, read_file, read_stdin, source_size, InputError, RawDocument, Source,
};
use crate::timing::{timed, Stage, StageTimes};
use crate::{Extraction, Extractor};

/// A batch is cut when its documents hold this many bytes of text...
const BATCH_BYTES: usize = 8 << 20;
/// ... or this many documents.
const BATCH_DOCS: usize = 512;
/// Documents read ahead of extraction.
const QUEUE_DOCS: usize = 256;

/// What a corpus run did, for `--stats` and the exit status.
#[derive(Clone, Debug, Default)]
pub struct RunSummary {
    /// Documents extracted.
    pub documents: usize,
    /// Bytes of text extracted.
    pub bytes: u64,
    /// Inputs skipped because of an error (each also reported to `warn`).
    pub failed: usize,
    /// Documents left out because the graph already held their id (`--into`).
    pub already_present: usize,
    /// Wall-clock time of the run.
    pub elapsed: Duration,
}

/// Where `--per-doc` writes one graph per document.
#[derive(Clone, Debug)]
pub struct PerDoc {
    /// The directory (created if missing).
    pub dir: PathBuf,
    /// The format of each file.
    pub format: Format,
}

/// How to run a corpus.
#[derive(Clone, Debug, Default)]
pub struct CorpusOptions {
    /// Replace invalid UTF-8 instead of skipping the input.
    pub lossy: bool,
    /// Worker threads; 0 for one per core.
    pub jobs: usize,
    /// Write one graph per document here too.
    pub per_doc: Option<PerDoc>,
    /// Show a progress bar on standard error.
    pub progress: bool,
    /// Leave out documents whose id is already in the graph (`--into`).
    pub skip_known_ids: bool,
}

/// Streams the documents of `sources` in order, calling `each` with every
/// document read or the error of every input that could not be read (which
/// is then skipped). Reading time goes to `times` when given.
pub fn for_each_document(
    sources: &[Source],
    lossy: bool,
    times: Option<&StageTimes>,
    mut each: impl FnMut(Result<RawDocument, InputError>),
) {
    for source in sources {
        match source {
            Source::File(p) => each(timed(times, Stage::Read, || read_file(p, lossy))),
            Source::Stdin { jsonl: false } => each(timed(times, Stage::Read, || read_stdin(lossy))),
            Source::Stdin { jsonl: true } => {
                records("-".into(), std::io::stdin().lock(), lossy, times, &mut each)
            }
            Source::Jsonl(p) => match std::fs::File::open(p) {
                Ok(f) => records(
                    p.display().to_string(),
                    std::io::BufReader::with_capacity(1 << 20, f),
                    lossy,
                    times,
                    &mut each,
                ),
                Err(e) => each(Err(InputError::Unreadable {
                    path: p.display().to_string(),
                    source: e,
                })),
            },
        }
    }
}

/// Streams the records of one JSON Lines input into `each`.
fn records(
    name: String,
    reader: impl std::io::BufRead,
    lossy: bool,
    times: Option<&StageTimes>,
    each: &mut impl FnMut(Result<RawDocument, InputError>),
) {
    let mut it = jsonl_records(name, reader, lossy);
    while let Some(r) = timed(times, Stage::Read, || it.next()) {
        each(r);
    }
}

/// Extracts every document of `sources` into one graph.
pub fn extract_corpus(
    extractor: &Extractor,
    sources: &[Source],
    options: &CorpusOptions,
    warn: impl FnMut(InputError) + Send,
) -> (KnowledgeGraph, RunSummary) {
    let mut graph = KnowledgeGraph::new();
    let summary = extract_into(&mut graph, extractor, sources, options, warn);
    (graph, summary)
}

/// Extracts every document of `sources` and adds it to `graph` (which may
/// already hold documents, for `--into`), then finalizes the graph.
/// `warn` hears of every input skipped, in reading order.
pub fn extract_into(
    graph: &mut KnowledgeGraph,
    extractor: &Extractor,
    sources: &[Source],
    options: &CorpusOptions,
    mut warn: impl FnMut(InputError) + Send,
) -> RunSummary {
    let started = Instant::now();
    let mut summary = RunSummary::default();
    let times = extractor.timings();
    let progress = progress_bar(sources, options.progress);
    let known: HashSet<String> = if options.skip_known_ids {
        graph.documents().iter().map(|d| d.id.clone()).collect()
    } else {
        HashSet::new()
    };
    let mut per_doc_names: HashSet<String> = HashSet::new();
    if let Some(p) = &options.per_doc {
        if let Err(e) = std::fs::create_dir_all(&p.dir) {
            warn(InputError::Unwritable {
                message: format!("{}: cannot create the directory: {e}", p.dir.display()),
            });
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()
        .expect("a thread pool can be built");
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel(QUEUE_DOCS);
        scope.spawn(move || {
            for_each_document(sources, options.lossy, times, |item| {
                // The receiver only goes away if the main thread panicked.
                let _ = tx.send(item);
            })
        });
        let mut pending: Vec<Done> = Vec::new();
        loop {
            let batch = next_batch(&rx);
            if batch.is_empty() && pending.is_empty() {
                break;
            }
            // Name the per-document files here, in reading order, so that
            // two documents with one id get distinct, stable names.
            let batch: Vec<Item> = batch
                .into_iter()
                .map(|item| match item {
                    Ok(raw) if known.contains(&raw.id) => Item::Known(raw.input_bytes),
                    Ok(raw) => {
                        let file = options
                            .per_doc
                            .as_ref()
                            .map(|p| per_doc_path(p, &raw.id, &mut per_doc_names));
                        Item::Doc(raw, file)
                    }
                    Err(e) => Item::Failed(e),
                })
                .collect();
            let done = pool.install(|| {
                let (_, done) = rayon::join(
                    || {
                        timed(times, Stage::Merge, || {
                            merge(
                                graph,
                                std::mem::take(&mut pending),
                                &mut summary,
                                &progress,
                                &mut warn,
                            )
                        })
                    },
                    || {
                        batch
                            .into_par_iter()
                            .map(|item| process(extractor, item, options.per_doc.as_ref()))
                            .collect::<Vec<Done>>()
                    },
                );
                done
            });
            pending = done;
        }
    });
    timed(times, Stage::Merge, || graph.finalize());
    progress.finish_and_clear();
    summary.elapsed = started.elapsed();
    summary
}

/// A document read, or why an input was not.
type Read = Result<RawDocument, InputError>;

/// Work for the extraction threads.
enum Item {
    /// A document, with its `--per-doc` file.
    Doc(RawDocument, Option<PathBuf>),
    /// A document already in the graph, of this many input bytes.
    Known(u64),
    /// An input that could not be read.
    Failed(InputError),
}

/// Work done, ready to merge.
enum Done {
    /// A document extracted (bytes of text, of input), and the error of
    /// writing its `--per-doc` file if that failed.
    Doc(Box<Extraction>, u64, u64, Option<anyhow::Error>),
    /// A document already in the graph.
    Known(u64),
    /// An input that could not be read.
    Failed(InputError),
}

/// Takes the next batch off the queue: documents until the batch holds
/// `BATCH_BYTES` of text or `BATCH_DOCS` documents. Empty at the end.
fn next_batch(rx: &Receiver<Read>) -> Vec<Read> {
    let mut batch = Vec::new();
    let mut bytes = 0;
    while bytes < BATCH_BYTES && batch.len() < BATCH_DOCS {
        match rx.recv() {
            Ok(item) => {
                if let Ok(d) = &item {
                    bytes += d.text.len();
                }
                batch.push(item);
            }
            Err(_) => break,
        }
    }
    batch
}

/// Runs the pipeline on one document and writes its `--per-doc` graph.
fn process(extractor: &Extractor, item: Item, per_doc: Option<&PerDoc>) -> Done {
    let (raw, file) = match item {
        Item::Doc(raw, file) => (raw, file),
        Item::Known(n) => return Done::Known(n),
        Item::Failed(e) => return Done::Failed(e),
    };
    let text_bytes = raw.text.len() as u64;
    let mut doc = extractor.document(&raw.id, raw.text);
    doc.path = Some(raw.path);
    doc.date = raw.date;
    let mut ex = extractor.extract_document(&doc);
    drop(doc);
    ex.document.source = raw.source;
    let mut error = None;
    if let (Some(p), Some(file)) = (per_doc, file) {
        let mut g = KnowledgeGraph::new();
        g.add(ex.clone());
        g.finalize();
        let written = timed(extractor.timings(), Stage::Export, || {
            crate::output::write_atomically_unsynced(&file, |w| {
                crate::export::write(&g, p.format, w)
            })
        });
        error = written.err();
    }
    Done::Doc(Box::new(ex), text_bytes, raw.input_bytes, error)
}

/// Adds extracted documents to the graph in order.
fn merge(
    graph: &mut KnowledgeGraph,
    done: Vec<Done>,
    summary: &mut RunSummary,
    progress: &ProgressBar,
    warn: &mut impl FnMut(InputError),
) {
    for d in done {
        match d {
            Done::Doc(ex, text_bytes, input_bytes, error) => {
                if let Some(e) = error {
                    summary.failed += 1;
                    progress.suspend(|| {
                        warn(InputError::Unwritable {
                            message: format!("{e:#}"),
                        })
                    });
                }
                graph.add(*ex);
                summary.documents += 1;
                summary.bytes += text_bytes;
                progress.inc(input_bytes);
            }
            Done::Known(n) => {
                summary.already_present += 1;
                progress.inc(n);
            }
            Done::Failed(e) => {
                summary.failed += 1;
                progress.suspend(|| warn(e));
            }
        }
    }
    progress.set_message(format!("{} documents", summary.documents));
}

/// A bar of bytes read when the total is known (files), else a spinner;
/// hidden unless asked for.
fn progress_bar(sources: &[Source], show: bool) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let sizes: Option<Vec<u64>> = sources.iter().map(source_size).collect();
    let (bar, template) = match sizes {
        Some(s) => (
            ProgressBar::with_draw_target(Some(s.iter().sum()), ProgressDrawTarget::stderr()),
            "{elapsed_precise} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta} {msg}",
        ),
        None => (
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
            "{elapsed_precise} {spinner} {bytes} {bytes_per_sec} {msg}",
        ),
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// The `--per-doc` file of document `id`: the id with characters that are
/// unsafe in file names replaced, and `~2`, `~3` ... added when two
/// documents share a name.
fn per_doc_path(per_doc: &PerDoc, id: &str, taken: &mut HashSet<String>) -> PathBuf {
    let mut base: String = id
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if base.starts_with('.') || base.is_empty() {
        base.insert(0, '_');
    }
    let mut name = base.clone();
    let mut n = 1;
    while !taken.insert(name.clone()) {
        n += 1;
        name = format!("{base}~{n}");
    }
    per_doc
        .dir
        .join(format!("{name}.{}", format_extension(per_doc.format)))
}

/// The file extension of a format: its `--format` name.
pub fn format_extension(format: Format) -> String {
    use clap::ValueEnum;
    format
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_else(|| "out".into())
}
