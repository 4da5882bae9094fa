//! The `kgx` command line: a thin layer over the library.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};

use kgx::corpus::{CorpusOptions, PerDoc, RunSummary};
use kgx::export::{Filter, Format, Renderer};
use kgx::graph::NodeKind;
use kgx::lang::Language;
use kgx::relations::Cooccurrence;
use kgx::timing::{Stage, StageTimes};
use kgx::{Extractor, KnowledgeGraph, Options};

/// mimalloc instead of the system allocator: the pipeline makes many small,
/// short-lived allocations (tokens, names, keys), where it is faster and,
/// for a long corpus run, keeps the heap less fragmented.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Knowledge graphs from news text: who did what, where and when.
#[derive(Parser)]
#[command(name = "kgx", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Extract a knowledge graph from documents.
    Extract(ExtractArgs),
    /// Tag named entities: in raw text (one JSON object per mention) or in a
    /// CoNLL file with --conll (the predicted tag appended to each line).
    Tag(TagCommand),
    /// Train a model.
    Train {
        #[command(subcommand)]
        what: TrainWhat,
    },
    /// Merge graphs written earlier (kgx JSON) into one.
    Merge(MergeArgs),
}

#[derive(Subcommand)]
enum TrainWhat {
    /// Train the named-entity tagger.
    Ner(kgx::ner::cli::TrainNerArgs),
}

#[derive(clap::Args)]
struct MergeArgs {
    /// kgx JSON graphs to merge.
    #[arg(required = true)]
    graphs: Vec<PathBuf>,
    /// Output format [default: from the -o extension, else json].
    #[arg(short, long, value_enum)]
    format: Option<Format>,
    /// Output file [default: standard output].
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ExtractArgs {
    /// Files (.txt, .md, .jsonl), directories (searched recursively), or - for standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format [default: from the -o extension, else json].
    #[arg(short, long, value_enum)]
    format: Option<Format>,
    /// Output file [default: standard output].
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Language of the documents (nl, en) [default: detected per document].
    #[arg(long)]
    lang: Option<String>,
    /// Replace invalid UTF-8 bytes with '?' instead of failing (offsets stay exact).
    #[arg(long)]
    lossy: bool,
    /// Read standard input (-) as JSON Lines: one {"id", "text", "date"?, "source"?} per line.
    #[arg(long)]
    jsonl: bool,
    /// Worker threads [default: one per core]; the output is the same for any number.
    #[arg(short, long, default_value_t = 0, hide_default_value = true)]
    jobs: usize,
    /// No progress bar (warnings are still printed).
    #[arg(short, long)]
    quiet: bool,
    /// Print a summary to standard error at the end: documents, bytes, speed,
    /// nodes by type, edges, time per stage.
    #[arg(long)]
    stats: bool,
    /// Also write one graph per document into this directory (in --format);
    /// without -o, no merged graph is printed.
    #[arg(long, value_name = "DIR")]
    per_doc: Option<PathBuf>,
    /// Add the documents to this existing kgx JSON graph (documents already in
    /// it are skipped) and write the result back to it, or to -o.
    #[arg(long, value_name = "GRAPH.json")]
    into: Option<PathBuf>,
    /// Co-occurrence edges: between entities in the same sentence, paragraph, or none.
    #[arg(long, value_enum, default_value = "sentence")]
    cooccurrence: CooccurrenceArg,
    /// Export only nodes of these types (comma-separated: person,organisation,place,event).
    #[arg(long, value_delimiter = ',', value_parser = Filter::parse_type)]
    types: Option<Vec<kgx::graph::NodeKind>>,
    /// Export only edges with at least this weight.
    #[arg(long, value_name = "N")]
    min_weight: Option<u32>,
    /// Export only the N most salient nodes and the edges among them.
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Export no co-occurrence edges (typed relations only).
    #[arg(long)]
    no_cooccurrence: bool,
    /// Who draws --format svg: kgx itself, or Graphviz's dot (when installed).
    #[arg(long, value_enum, default_value = "builtin")]
    renderer: Renderer,
    /// Publication date (YYYY-MM-DD) of documents that carry none, to resolve relative times.
    #[arg(long, value_parser = parse_date)]
    date: Option<String>,
}

#[derive(clap::Args)]
struct TagCommand {
    /// A raw text file (or - for standard input) whose mentions to print.
    #[arg(conflicts_with = "conll", required_unless_present = "conll")]
    file: Option<PathBuf>,
    #[command(flatten)]
    conll: kgx::ner::cli::TagArgs,
}

/// Checks a `--date` value.
fn parse_date(s: &str) -> Result<String, String> {
    match kgx::events::time::parse_date(s) {
        Some(_) if s.len() == 10 => Ok(s.to_string()),
        _ => Err(format!("'{s}' is not a date like 2022-09-24 (YYYY-MM-DD)")),
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum CooccurrenceArg {
    Sentence,
    Paragraph,
    Off,
}

fn main() -> ExitCode {
    // Like any Unix filter, stop quietly when the reader of our output goes
    // away (`kgx ... | head`) instead of reporting a write error.
    #[cfg(unix)]
    // SAFETY: resetting a signal to its default action at start-up, before
    // any thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // The graph is millions of small objects spread over the heap; with
    // transparent huge pages every touched 2 MB page counts whole, which
    // cost about 40 MB of resident memory and no measurable speed.
    #[cfg(target_os = "linux")]
    // SAFETY: a process attribute set at start-up; it only changes how the
    // kernel backs later allocations.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract(args),
        Command::Tag(TagCommand {
            file: Some(file),
            conll,
        }) => tag_text(&file, &conll.lang),
        Command::Tag(TagCommand { file: None, conll }) => kgx::ner::cli::run_tag(&conll)
            .map(|_| ExitCode::SUCCESS)
            .map_err(anyhow::Error::msg),
        Command::Train {
            what: TrainWhat::Ner(args),
        } => kgx::ner::cli::run_train_ner(&args)
            .map(|_| ExitCode::SUCCESS)
            .map_err(anyhow::Error::msg),
        Command::Merge(args) => merge(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("kgx: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn language(code: Option<&str>) -> anyhow::Result<Option<&'static Language>> {
    match code {
        None => Ok(None),
        Some(c) => match Language::get(c) {
            Some(l) => Ok(Some(l)),
            None => bail!(
                "unknown language '{c}' (known: {})",
                Language::codes().join(", ")
            ),
        },
    }
}

/// The format asked for: `--format`, else the output file's extension, else JSON.
fn output_format(format: Option<Format>, output: Option<&Path>) -> anyhow::Result<Format> {
    if let Some(f) = format {
        return Ok(f);
    }
    match output {
        None => Ok(Format::Json),
        Some(p) => Format::from_path(p).with_context(|| {
            format!(
                "{}: cannot tell the format from the extension; pass --format ({})",
                p.display(),
                Format::names()
            )
        }),
    }
}

/// `kgx tag FILE`: the mentions of raw text, one JSON object per line with
/// UTF-8 byte offsets.
fn tag_text(path: &Path, lang: &str) -> anyhow::Result<ExitCode> {
    let raw = if path.as_os_str() == "-" {
        kgx::input::read_stdin(false)?
    } else {
        kgx::input::read_file(path, false)?
    };
    let doc = kgx::text::Document::new(raw.id, raw.text, language(Some(lang))?);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for m in kgx::ner::find_mentions(&doc) {
        let line = serde_json::json!({
            "text": doc.slice(m.span),
            "type": m.kind.as_str(),
            "start": m.span.start,
            "end": m.span.end,
        });
        writeln!(out, "{line}")?;
    }
    out.flush().context("cannot write to standard output")?;
    Ok(ExitCode::SUCCESS)
}

fn extract(args: ExtractArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    // With --into and no -o, the graph goes back into the --into file, as JSON.
    let target = args.output.clone().or_else(|| args.into.clone());
    let format = output_format(args.format, target.as_deref())?;
    if args.output.is_none() && args.into.is_some() && format != Format::Json {
        bail!("--into writes JSON back into its file; pass -o to write another format");
    }
    if format == Format::Csv && target.is_none() {
        bail!("--format csv writes two files (nodes.csv, edges.csv): pass -o DIRECTORY");
    }
    let options = Options {
        lang: language(args.lang.as_deref())?,
        cooccurrence: match args.cooccurrence {
            CooccurrenceArg::Sentence => Cooccurrence::Sentence,
            CooccurrenceArg::Paragraph => Cooccurrence::Paragraph,
            CooccurrenceArg::Off => Cooccurrence::Off,
        },
        date: args.date,
    };
    let mut graph = KnowledgeGraph::new();
    if let Some(into) = &args.into {
        kgx::import::read_json_file_into(&mut graph, into)?;
    }
    let (sources, warnings) = kgx::input::collect_sources(&args.paths, args.jsonl)?;
    for w in warnings {
        eprintln!("kgx: warning: {w}");
    }
    // A single named file that cannot be read is an error, not a warning:
    // there is nothing else to extract.
    let single = sources.len() == 1 && !matches!(sources[0], kgx::input::Source::Jsonl(_));
    let mut first_error = None;
    let times = Arc::new(StageTimes::default());
    let mut extractor = Extractor::new(options);
    if args.stats {
        extractor = extractor.with_timings(times.clone());
    }
    let corpus_options = CorpusOptions {
        lossy: args.lossy,
        jobs: args.jobs,
        per_doc: args.per_doc.clone().map(|dir| PerDoc { dir, format }),
        progress: !args.quiet && std::io::stderr().is_terminal(),
        skip_known_ids: args.into.is_some(),
    };
    let summary =
        kgx::corpus::extract_into(&mut graph, &extractor, &sources, &corpus_options, |e| {
            if single && first_error.is_none() {
                first_error = Some(e);
            } else {
                eprintln!("kgx: warning: skipped {e}");
            }
        });
    if let Some(e) = first_error {
        return Err(e.into());
    }
    Filter {
        types: args.types,
        min_weight: args.min_weight,
        top: args.top,
        no_cooccurrence: args.no_cooccurrence,
    }
    .apply(&mut graph);
    if summary.already_present > 0 {
        eprintln!(
            "kgx: {} document(s) already in the graph were left out",
            summary.already_present
        );
    }
    let print_merged = target.is_some() || args.per_doc.is_none();
    if print_merged {
        times.time(Stage::Export, || {
            write_graph(&graph, format, args.renderer, target.as_deref())
        })?;
    }
    if args.stats {
        print_stats(&graph, &summary, &times, started.elapsed());
    }
    // The process ends here: freeing a corpus graph node by node would only
    // delay the exit by a second per gigabyte of text.
    std::mem::forget(graph);
    Ok(if summary.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn merge(args: MergeArgs) -> anyhow::Result<ExitCode> {
    let format = output_format(args.format, args.output.as_deref())?;
    let mut graph = KnowledgeGraph::new();
    for path in &args.graphs {
        kgx::import::read_json_file_into(&mut graph, path)?;
    }
    graph.finalize();
    write_graph(&graph, format, Renderer::default(), args.output.as_deref())?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the graph to `path` (whole or not at all), or to standard output.
fn write_graph(
    graph: &KnowledgeGraph,
    format: Format,
    renderer: Renderer,
    path: Option<&Path>,
) -> anyhow::Result<()> {
    match path {
        Some(path) => kgx::export::save(graph, format, renderer, path),
        None => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            match kgx::export::write_with(graph, format, renderer, &mut lock)
                .and_then(|_| lock.flush())
            {
                // A reader that stopped early (`kgx ... | head`) is not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.context("cannot write to standard output"),
            }
        }
    }
}

/// The `--stats` summary, on standard error.
fn print_stats(graph: &KnowledgeGraph, s: &RunSummary, times: &StageTimes, elapsed: Duration) {
    let mb = s.bytes as f64 / 1e6;
    let secs = elapsed.as_secs_f64();
    eprintln!(
        "kgx: stats: {} documents, {:.2} MB in {:.2} s ({:.2} MB/s); {} skipped with errors",
        s.documents,
        mb,
        secs,
        if secs > 0.0 { mb / secs } else { 0.0 },
        s.failed
    );
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for n in graph.petgraph().node_weights() {
        *by_kind.entry(n.kind.as_str()).or_default() += 1;
    }
    let kinds: Vec<String> = NodeKind::ALL
        .iter()
        .map(|k| format!("{} {}", by_kind.get(k.as_str()).unwrap_or(&0), k.as_str()))
        .collect();
    eprintln!(
        "kgx: stats: {} nodes ({}), {} edges",
        graph.node_count(),
        kinds.join(", "),
        graph.edge_count()
    );
    eprintln!(
        "kgx: stats: time per stage (summed over threads): {}",
        times.summary()
    );
}
