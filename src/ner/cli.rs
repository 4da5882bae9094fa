//! `kgx train ner` and `kgx tag --conll` subcommands.

use super::train::{train_to_file, TrainConfig};
use super::Tagger;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// Arguments of `kgx train ner`.
#[derive(Debug, clap::Args)]
pub struct TrainNerArgs {
    /// Language code of the model (selects the embedded gazetteers etc.).
    #[arg(long, default_value = "nl")]
    pub lang: String,
    /// Training files, comma-separated; `FILE@N` keeps the first N sentences.
    #[arg(long, value_delimiter = ',', required = true)]
    pub train: Vec<String>,
    /// Development file: dev F1 is printed per epoch and the best epoch kept.
    #[arg(long)]
    pub dev: Option<PathBuf>,
    /// Output model file.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    #[arg(long, default_value_t = 16)]
    pub epochs: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// log2 of the number of weight-table buckets.
    #[arg(long, default_value_t = 21)]
    pub bits: u32,
    /// Cross-validation folds for the stacked second stage (0 = single stage).
    #[arg(long, default_value_t = 5)]
    pub folds: usize,
    /// Perceptron replicas (different shuffles) averaged into one model; run in parallel.
    #[arg(long, default_value_t = 4)]
    pub replicas: usize,
    /// Weight of the stage-1 scores inside the stacked second stage.
    #[arg(long, default_value_t = 0.1)]
    pub stack_alpha: f32,
    /// Probability of dropping each feature occurrence during training (regularisation).
    #[arg(long, default_value_t = 0.4)]
    pub dropout: f32,
}

/// Arguments of `kgx tag`.
#[derive(Debug, clap::Args)]
pub struct TagArgs {
    /// CoNLL-style input: one token per line, blank line = sentence end,
    /// `-DOCSTART-` = document break. Each line is echoed with the tag appended.
    #[arg(long)]
    pub conll: Option<PathBuf>,
    /// 0-based whitespace-separated column holding the token.
    #[arg(long, default_value_t = 0)]
    pub token_column: usize,
    /// Language of the embedded model to use.
    #[arg(long, default_value = "nl")]
    pub lang: String,
    /// Use this model file instead of the embedded one.
    #[arg(long)]
    pub model: Option<PathBuf>,
}

/// Run `kgx train ner`.
pub fn run_train_ner(args: &TrainNerArgs) -> Result<(), String> {
    if !(12..=24).contains(&args.bits) {
        return Err(format!(
            "--bits must be between 12 and 24, got {}",
            args.bits
        ));
    }
    let cfg = TrainConfig {
        lang: args.lang.clone(),
        train: args.train.clone(),
        dev: args.dev.clone(),
        epochs: args.epochs.max(1),
        seed: args.seed,
        bits: args.bits,
        folds: args.folds,
        replicas: args.replicas,
        stack_alpha: args.stack_alpha,
        dropout: args.dropout,
    };
    let t0 = std::time::Instant::now();
    let tagger =
        train_to_file(&cfg, &args.output, |m| eprintln!("{m}")).map_err(|e| e.to_string())?;
    eprintln!(
        "wrote {} ({} bytes) in {:.1}s",
        args.output.display(),
        tagger.to_bytes().len(),
        t0.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Run `kgx tag --conll FILE`.
pub fn run_tag(args: &TagArgs) -> Result<(), String> {
    let Some(path) = &args.conll else {
        return Err(
            "kgx tag: give --conll FILE (raw text tagging is not available in this build)".into(),
        );
    };
    let owned;
    let tagger: &Tagger = match &args.model {
        Some(p) => {
            owned = Tagger::load(p).map_err(|e| e.to_string())?;
            &owned
        }
        None => Tagger::embedded(&args.lang)
            .ok_or_else(|| format!("no NER model for language {:?}", args.lang))?,
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    tag_conll(tagger, &text, args.token_column, &mut out)
        .map_err(|e| format!("write error: {e}"))?;
    out.flush().map_err(|e| format!("write error: {e}"))
}

/// Tag CoNLL-style text, writing each line with the predicted tag appended.
pub fn tag_conll(
    tagger: &Tagger,
    text: &str,
    column: usize,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let lines: Vec<&str> = text.lines().collect();
    // A document is a run of lines between -DOCSTART- lines.
    let mut start = 0;
    while start < lines.len() {
        let mut end = start;
        while end < lines.len() && (end == start || !lines[end].starts_with("-DOCSTART-")) {
            end += 1;
        }
        let doc = &lines[start..end];
        let mut sentences: Vec<Vec<&str>> = Vec::new();
        let mut cur: Vec<&str> = Vec::new();
        for l in doc {
            if l.trim().is_empty() || l.starts_with("-DOCSTART-") {
                if !cur.is_empty() {
                    sentences.push(std::mem::take(&mut cur));
                }
            } else {
                let tok = l
                    .split_whitespace()
                    .nth(column)
                    .unwrap_or_else(|| l.split_whitespace().next().unwrap_or(""));
                cur.push(tok);
            }
        }
        if !cur.is_empty() {
            sentences.push(cur);
        }
        let labels = tagger.tag_document(&sentences);
        let mut it = labels.iter().flatten();
        for l in doc {
            if l.trim().is_empty() || l.starts_with("-DOCSTART-") {
                writeln!(out, "{l}")?;
            } else {
                let tag = it.next().map_or("O", |t| t.as_str());
                writeln!(out, "{l} {tag}")?;
            }
        }
        start = end;
    }
    Ok(())
}
