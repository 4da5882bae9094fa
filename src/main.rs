//! The `kgx` command line: a thin layer over the library.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};

use kgx::export::{Filter, Format, Renderer};
use kgx::lang::Language;
use kgx::relations::Cooccurrence;
use kgx::{Extractor, Options};

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
}

#[derive(Subcommand)]
enum TrainWhat {
    /// Train the named-entity tagger.
    Ner(kgx::ner::cli::TrainNerArgs),
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
    /// Read standard input (-) as JSON Lines: one {"id", "text", "date"?} per line.
    #[arg(long)]
    jsonl: bool,
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
    let format = output_format(args.format, args.output.as_deref())?;
    if format == Format::Csv && args.output.is_none() {
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
    let (sources, warnings) = kgx::input::collect_sources(&args.paths, args.jsonl)?;
    for w in warnings {
        eprintln!("kgx: warning: {w}");
    }
    // A single named file that cannot be read is an error, not a warning:
    // there is nothing else to extract.
    let single = sources.len() == 1 && !matches!(sources[0], kgx::input::Source::Jsonl(_));
    let mut first_error = None;
    let extractor = Extractor::new(options);
    let (graph, summary) = kgx::corpus::extract_corpus(&extractor, &sources, args.lossy, |e| {
        if single {
            first_error.get_or_insert(e);
        } else {
            eprintln!("kgx: warning: skipped {e}");
        }
    });
    if let Some(e) = first_error {
        return Err(e.into());
    }
    let mut graph = graph;
    Filter {
        types: args.types,
        min_weight: args.min_weight,
        top: args.top,
        no_cooccurrence: args.no_cooccurrence,
    }
    .apply(&mut graph);
    match &args.output {
        Some(path) => kgx::export::save(&graph, format, args.renderer, path)?,
        None => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            kgx::export::write_with(&graph, format, args.renderer, &mut lock)
                .and_then(|_| lock.flush())
                .context("cannot write to standard output")?;
        }
    }
    Ok(if summary.failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
