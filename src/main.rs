//! The `kgx` command line: a thin layer over the library.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::{Parser, Subcommand};

use kgx::export::Format;
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
    /// Publication date (YYYY-MM-DD) of documents that carry none, to resolve relative times.
    #[arg(long, value_parser = parse_date)]
    date: Option<String>,
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
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract(args) => extract(args),
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

fn extract(args: ExtractArgs) -> anyhow::Result<ExitCode> {
    let format = output_format(args.format, args.output.as_deref())?;
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
    match &args.output {
        Some(path) => {
            kgx::output::write_atomically(path, |w| kgx::export::write(&graph, format, w))?
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            kgx::export::write(&graph, format, &mut lock)
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
