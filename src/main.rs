//! `kgx` command-line interface.
use clap::{Parser, Subcommand};
use kgx::ner::cli::{run_tag, run_train_ner, TagArgs, TrainNerArgs};

#[derive(Parser)]
#[command(name = "kgx", version, about = "Knowledge-graph extractor")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train a model.
    Train {
        #[command(subcommand)]
        what: TrainWhat,
    },
    /// Tag named entities.
    Tag(TagArgs),
}

#[derive(Subcommand)]
enum TrainWhat {
    /// Train the named-entity tagger.
    Ner(TrainNerArgs),
}

fn main() {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Train {
            what: TrainWhat::Ner(a),
        } => run_train_ner(a),
        Command::Tag(a) => run_tag(a),
    };
    if let Err(e) = result {
        eprintln!("kgx: {e}");
        std::process::exit(2);
    }
}
