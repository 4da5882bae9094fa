//! Statistical named-entity tagger (PER, ORG, LOC, MISC in BIO encoding).
//!
//! A linear structured model (averaged perceptron) over hashed features,
//! decoded with constrained first-order Viterbi. Weights are quantised to
//! `i16` and kept in a dense `2^bits x 9` table; gazetteers, a common-word
//! list and word clusters are compiled into the binary (see `docs/NER.md`).

pub mod cli;
mod features;
pub(crate) mod hash;
mod mention;
mod model;
mod resource_tables;
mod resources;
mod rules;
mod stacked;
pub mod train;
mod typecache;

use std::cell::RefCell;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

pub use mention::{find_mentions, mentions_from_labels, Mention};
pub use model::{EntityKind, Label, NUM_LABELS};
pub use rules::rule_mentions;

use crate::radix::Aligned;
use features::Scratch;
use model::{viterbi, Weights};
use resources::Resources;
use stacked::StackTables;
use typecache::TypeCache;

/// Errors loading a model.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("cannot read model file {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("not a kgx NER model (bad magic bytes)")]
    BadMagic,
    #[error("unsupported NER model format version {0} (this build reads version {v})", v = model::FORMAT_VERSION)]
    UnsupportedVersion(u16),
    #[error("NER model file is truncated")]
    Truncated,
    #[error("NER model file is corrupt: {0}")]
    Corrupt(String),
    #[error("no NER resources for language {0:?}")]
    UnknownLanguage(String),
    #[error("NER model for {0:?} was trained with different gazetteers/word lists/clusters than this build embeds; retrain it")]
    ResourceMismatch(String),
}

/// A trained tagger for one language: weights plus its language resources.
pub struct Tagger {
    w: Weights,
    res: &'static Resources,
    /// Distinguishes taggers for the per-thread [`TypeCache`]s, which hold
    /// sums of this tagger's weights.
    id: u64,
    /// Summed rows of the stacked stage, if the model has one.
    stacked: Option<StackTables>,
}

/// Source of [`Tagger::id`]s.
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// Type caches kept per thread: one per language of a mixed corpus.
const MAX_CACHES: usize = 2;

include!(concat!(env!("OUT_DIR"), "/ner_models.rs"));

#[derive(Default)]
struct Buffers {
    scratch: Scratch,
    emit: Vec<[i32; NUM_LABELS]>,
    back: Vec<[u8; NUM_LABELS]>,
    out: Vec<u8>,
    pred: Vec<u8>,
    pred1: Vec<u8>,
    e1: Vec<[f32; NUM_LABELS]>,
    emitf: Vec<[f32; NUM_LABELS]>,
    ridx: Vec<u32>,
    /// Most recently used first.
    caches: Vec<TypeCache>,
}

thread_local! {
    static SCRATCH: RefCell<Buffers> = RefCell::new(Buffers::default());
}

impl Tagger {
    /// The model shipped in the binary for a language code ("nl", "en"); None if no model for it.
    pub fn embedded(lang: &str) -> Option<&'static Tagger> {
        static CELLS: [OnceLock<Option<Tagger>>; MODELS.len()] =
            [const { OnceLock::new() }; MODELS.len()];
        let i = MODELS.iter().position(|(code, _)| *code == lang)?;
        CELLS[i]
            .get_or_init(|| Tagger::from_image(&MODELS[i].1 .0).ok())
            .as_ref()
    }

    /// A model `build.rs` decoded ([`Weights::from_image`]), checked
    /// against the resources as [`Tagger::from_bytes`] checks.
    fn from_image(image: &'static [u8]) -> Result<Tagger, ModelError> {
        Tagger::checked(Weights::from_image(image))
    }

    /// Parse a model. Checks magic bytes, format version, checksum and that
    /// the model matches the resources compiled into this build.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        Tagger::checked(Weights::from_bytes(bytes)?)
    }

    /// The tagger of weights `w` with the resources of their language,
    /// which must be those the model was trained with.
    fn checked(w: Weights) -> Result<Tagger, ModelError> {
        let res = Resources::embedded(&w.lang)
            .ok_or_else(|| ModelError::UnknownLanguage(w.lang.clone()))?;
        if res.fingerprint != w.fingerprint {
            return Err(ModelError::ResourceMismatch(w.lang.clone()));
        }
        Ok(Tagger::new(w, res))
    }

    fn new(w: Weights, res: &'static Resources) -> Tagger {
        let stacked = w.stages.get(1).map(|st| StackTables::new(st, w.bits));
        Tagger {
            w,
            res,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            stacked,
        }
    }

    /// Load a model file.
    pub fn load(path: &Path) -> Result<Tagger, ModelError> {
        let bytes = std::fs::read(path).map_err(|source| ModelError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Tagger::from_bytes(&bytes)
    }

    /// Serialise the model.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.w.to_bytes()
    }

    /// Language code of the model.
    pub fn lang(&self) -> &str {
        &self.w.lang
    }

    pub(crate) fn from_weights(w: Weights) -> Result<Tagger, ModelError> {
        let res = Resources::embedded(&w.lang)
            .ok_or_else(|| ModelError::UnknownLanguage(w.lang.clone()))?;
        Ok(Tagger::new(w, res))
    }

    /// Tag one document given as sentences of tokens. Document-level features (same word capitalised mid-sentence elsewhere in the doc, etc.) use all sentences.
    pub fn tag_document(&self, sentences: &[Vec<&str>]) -> Vec<Vec<Label>> {
        self.tag_generic(sentences)
    }

    /// Like [`Tagger::tag_document`] for owned tokens.
    pub fn tag_document_owned(&self, sentences: &[Vec<String>]) -> Vec<Vec<Label>> {
        self.tag_generic(sentences)
    }

    fn tag_generic<S: AsRef<str>>(&self, sentences: &[Vec<S>]) -> Vec<Vec<Label>> {
        SCRATCH.with(|cell| {
            let mut guard = cell.borrow_mut();
            let bufs = &mut *guard;
            self.decode1(bufs, sentences);
            if let Some(tables) = &self.stacked {
                std::mem::swap(&mut bufs.pred, &mut bufs.pred1);
                self.decode2(bufs, tables);
            }
            let mut result = Vec::with_capacity(sentences.len());
            let mut tok = 0usize;
            for sent in sentences {
                let n = sent.len();
                result.push(
                    bufs.pred[tok..tok + n]
                        .iter()
                        .map(|&y| Label::ALL[y as usize])
                        .collect(),
                );
                tok += n;
            }
            result
        })
    }

    /// Stage-1 emission scores (in weight units) and labels of every token.
    pub(crate) fn stage1_output<S: AsRef<str>>(
        &self,
        sentences: &[Vec<S>],
    ) -> (Vec<[f32; NUM_LABELS]>, Vec<u8>) {
        SCRATCH.with(|cell| {
            let mut guard = cell.borrow_mut();
            let bufs = &mut *guard;
            self.decode1(bufs, sentences);
            (bufs.e1.clone(), bufs.pred.clone())
        })
    }

    /// Stage 1: token features only. Fills `bufs.pred` and `bufs.e1`.
    fn decode1<S: AsRef<str>>(&self, bufs: &mut Buffers, sentences: &[Vec<S>]) {
        let st = &self.w.stages[0];
        let cache = self.cache(&mut bufs.caches);
        bufs.emit.clear();
        bufs.scratch
            .scores(self.res, st, sentences, cache, &mut bufs.emit);
        bufs.pred.clear();
        let mut tok = 0usize;
        for &n in &bufs.scratch.sent_lens {
            viterbi(
                &bufs.emit[tok..tok + n],
                &st.trans,
                &mut bufs.back,
                &mut bufs.out,
            );
            bufs.pred.extend_from_slice(&bufs.out);
            tok += n;
        }
        bufs.e1.clear();
        bufs.e1
            .extend(bufs.emit.iter().map(|a| a.map(|v| v as f32 * st.scale)));
    }

    /// This tagger's cache among a thread's `caches`, moved to the front
    /// (created, evicting the least recently used, if missing).
    fn cache<'a>(&self, caches: &'a mut Vec<TypeCache>) -> &'a mut TypeCache {
        match caches.iter().position(|c| c.owner() == self.id) {
            Some(k) => caches[..=k].rotate_right(1),
            None => {
                caches.truncate(MAX_CACHES - 1);
                caches.insert(0, TypeCache::new(self.id, &self.w.stages[0], self.w.bits));
            }
        }
        &mut caches[0]
    }

    /// Stage 2: stage-1 scores (times `alpha`) plus stacked features.
    fn decode2(&self, bufs: &mut Buffers, tables: &StackTables) {
        let st = &self.w.stages[1];
        let trans = st.trans.map(|row| row.map(|v| v as f32 * st.scale));
        // Stacked-feature scores of the whole document: the tabled ones,
        // then the rest in one batch.
        bufs.emit.clear();
        bufs.scratch
            .stack_scores(self.w.bits, &bufs.pred1, st, tables, &mut bufs.emit);
        let sc = &bufs.scratch;
        st.accumulate_all(&sc.sfeats, &sc.soffs, &mut bufs.emit, &mut bufs.ridx);
        bufs.emitf.clear();
        bufs.emitf
            .extend(bufs.e1.iter().zip(&bufs.emit).map(|(e1, s)| {
                let mut e = *e1;
                for (x, &v) in e.iter_mut().zip(s) {
                    *x = *x * st.alpha + v as f32 * st.scale;
                }
                e
            }));
        bufs.pred.clear();
        let mut tok = 0usize;
        for &n in &sc.sent_lens {
            viterbi(
                &bufs.emitf[tok..tok + n],
                &trans,
                &mut bufs.back,
                &mut bufs.out,
            );
            bufs.pred.extend_from_slice(&bufs.out);
            tok += n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The models build.rs decoded hold exactly what their files hold, and
    /// so does decoding the files at run time.
    #[test]
    fn embedded_models_are_their_files() {
        assert!(MODELS.len() >= 2);
        for &(code, image) in MODELS {
            let path = format!("{}/models/{code}-ner.bin", env!("CARGO_MANIFEST_DIR"));
            let file = std::fs::read(&path).expect("model file");
            let w = Weights::from_image(&image.0);
            assert_eq!(w.lang, code);
            assert!(w.to_bytes() == file, "{code}: image differs from file");
            let parsed = Weights::from_bytes(&file).expect("valid model");
            assert!(parsed.to_bytes() == file, "{code}: decoding differs");
        }
        assert!(Tagger::embedded("xx").is_none());
    }

    /// Weights of every varint length (one to three bytes) survive a round
    /// trip, in any mix within a row.
    #[test]
    fn weights_of_every_size_roundtrip() {
        use model::Stage;
        let edge = [
            0i16,
            1,
            -1,
            63,
            -64,
            64,
            -65,
            8191,
            -8192,
            8192,
            -8193,
            12345,
            i16::MAX,
            i16::MIN,
        ];
        let bits = 8;
        let mut emit = vec![0i16; (1 << bits) * NUM_LABELS];
        for (i, v) in emit.iter_mut().enumerate() {
            // Every fifth bucket empty; the others a spread of sizes.
            if !(i / NUM_LABELS).is_multiple_of(5) {
                *v = edge[(i * 7 + i / 3) % edge.len()];
            }
        }
        let mut trans = [[0i32; NUM_LABELS]; NUM_LABELS + 1];
        trans[1][2] = -70_000;
        let w = Weights {
            lang: "nl".into(),
            bits,
            fingerprint: 42,
            stages: vec![Stage::from_dense(0.5, 1.0, trans, bits, &emit)],
        };
        let bytes = w.to_bytes();
        let back = Weights::from_bytes(&bytes).expect("roundtrip");
        assert!(back.to_bytes() == bytes);
        assert_eq!(back.stages[0].nrows(), w.stages[0].nrows());
    }

    #[test]
    fn label_roundtrip() {
        for l in Label::ALL {
            assert_eq!(Label::parse(l.as_str()), l);
            assert_eq!(Label::from_index(l.index()), Some(l));
        }
        assert!(Label::BPer.is_begin());
        assert_eq!(Label::ILoc.kind(), Some(EntityKind::Place));
        assert_eq!(Label::O.kind(), None);
    }

    #[test]
    fn transitions() {
        use model::{allowed, START};
        assert!(!allowed(START, Label::IPer.index()));
        assert!(!allowed(Label::O.index(), Label::IPer.index()));
        assert!(!allowed(Label::BOrg.index(), Label::IPer.index()));
        assert!(allowed(Label::BPer.index(), Label::IPer.index()));
        assert!(allowed(Label::IPer.index(), Label::IPer.index()));
        assert!(allowed(Label::IPer.index(), Label::BPer.index()));
    }

    #[test]
    fn predecessor_lists_are_the_allowed_transitions() {
        use model::{allowed, PREDECESSORS};
        for (y, preds) in PREDECESSORS.iter().enumerate() {
            let want: Vec<usize> = (0..NUM_LABELS).filter(|&p| allowed(p, y)).collect();
            assert_eq!(*preds, &want[..], "label {y}");
        }
    }

    #[test]
    fn viterbi_finds_a_best_allowed_path() {
        use model::{allowed, viterbi, START};
        // Exhaustive search over all label sequences of short sentences.
        let mut r = 7u64;
        let mut next = |m: i32| {
            r = r.wrapping_mul(6364136223846793005).wrapping_add(1);
            ((r >> 33) % m as u64) as i32 - m / 2
        };
        for n in 1..=3 {
            for _ in 0..50 {
                // Few distinct values, so that ties happen.
                let emit: Vec<[i32; NUM_LABELS]> =
                    (0..n).map(|_| std::array::from_fn(|_| next(4))).collect();
                let trans: [[i32; NUM_LABELS]; NUM_LABELS + 1] =
                    std::array::from_fn(|_| std::array::from_fn(|_| next(4)));
                let (mut back, mut out) = (Vec::new(), Vec::new());
                viterbi(&emit, &trans, &mut back, &mut out);
                let mut best = None;
                for code in 0..NUM_LABELS.pow(n as u32) {
                    let ys: Vec<usize> = (0..n)
                        .map(|t| code / NUM_LABELS.pow(t as u32) % NUM_LABELS)
                        .collect();
                    let mut prev = START;
                    let mut score = 0;
                    let mut ok = true;
                    for (t, &y) in ys.iter().enumerate() {
                        ok &= allowed(prev, y);
                        score += trans[prev][y] + emit[t][y];
                        prev = y;
                    }
                    if ok && best.as_ref().is_none_or(|(b, _)| score > *b) {
                        best = Some((score, ys));
                    }
                }
                let (score, _) = best.expect("some path is allowed");
                let got: i32 = out
                    .iter()
                    .enumerate()
                    .map(|(t, &y)| {
                        let prev = if t == 0 { START } else { out[t - 1] as usize };
                        assert!(allowed(prev, y as usize));
                        trans[prev][y as usize] + emit[t][y as usize]
                    })
                    .sum();
                assert_eq!(got, score);
            }
        }
    }
}
