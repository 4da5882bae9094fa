//! Time spent per pipeline stage, summed over documents and threads, for
//! `kgx extract --stats`.
//!
//! An [`Extractor`](crate::Extractor) given a [`StageTimes`] adds the time
//! of every stage to it; without one it reads no clock at all. The counters
//! are atomics, so one accumulator serves every thread of a corpus run.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A pipeline stage whose time is measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Reading and decoding input.
    Read,
    /// Language detection, tokens and sentences.
    Tokenize,
    /// Named-entity recognition.
    Ner,
    /// Mentions to entities.
    Resolve,
    /// Events.
    Events,
    /// Relations.
    Relations,
    /// Adding documents to the graph.
    Merge,
    /// Writing the output.
    Export,
}

impl Stage {
    /// Every stage, in pipeline order.
    pub const ALL: [Stage; 8] = [
        Stage::Read,
        Stage::Tokenize,
        Stage::Ner,
        Stage::Resolve,
        Stage::Events,
        Stage::Relations,
        Stage::Merge,
        Stage::Export,
    ];

    /// The stage's name in `--stats`.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Read => "read",
            Stage::Tokenize => "tokenize",
            Stage::Ner => "ner",
            Stage::Resolve => "resolve",
            Stage::Events => "events",
            Stage::Relations => "relations",
            Stage::Merge => "merge",
            Stage::Export => "export",
        }
    }
}

/// Nanoseconds spent per stage, shared between threads.
#[derive(Debug, Default)]
pub struct StageTimes {
    nanos: [AtomicU64; 8],
}

impl StageTimes {
    /// Adds `d` to `stage`.
    pub fn add(&self, stage: Stage, d: Duration) {
        self.nanos[stage as usize].fetch_add(d.as_nanos() as u64, Ordering::Relaxed);
    }

    /// Runs `f`, adding its time to `stage`.
    pub fn time<T>(&self, stage: Stage, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        self.add(stage, t.elapsed());
        out
    }

    /// The time spent in `stage` so far.
    pub fn get(&self, stage: Stage) -> Duration {
        Duration::from_nanos(self.nanos[stage as usize].load(Ordering::Relaxed))
    }

    /// `read 0.12 s, tokenize 1.30 s, ...` for every stage.
    pub fn summary(&self) -> String {
        Stage::ALL
            .iter()
            .map(|&s| format!("{} {:.2} s", s.name(), self.get(s).as_secs_f64()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Runs `f`, adding its time to `stage` of `times` when there is one.
pub fn timed<T>(times: Option<&StageTimes>, stage: Stage, f: impl FnOnce() -> T) -> T {
    match times {
        Some(t) => t.time(stage, f),
        None => f(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_up_per_stage() {
        let t = StageTimes::default();
        t.add(Stage::Ner, Duration::from_millis(5));
        t.add(Stage::Ner, Duration::from_millis(7));
        assert_eq!(t.get(Stage::Ner), Duration::from_millis(12));
        assert_eq!(t.get(Stage::Tokenize), Duration::ZERO);
        assert!(t.summary().contains("ner 0.01 s"));
    }
}
