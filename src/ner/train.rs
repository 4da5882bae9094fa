//! Training (averaged structured perceptron), CoNLL reading and scoring.

use super::features::Scratch;
use super::model::{allowed, viterbi, Stage, Weights, NUM_LABELS, START};
use super::resources::Resources;
use super::{Label, ModelError, Tagger};
use std::path::{Path, PathBuf};

/// One document of a CoNLL file.
#[derive(Clone, Debug, Default)]
pub struct Doc {
    pub sentences: Vec<Vec<String>>,
    pub labels: Vec<Vec<Label>>,
}

/// Errors of training and data reading.
#[derive(Debug, thiserror::Error)]
pub enum TrainError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}: {msg}")]
    Format {
        path: String,
        line: usize,
        msg: String,
    },
    #[error("no training sentences")]
    Empty,
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// Parse CoNLL text. Two flavours are recognised per line: tab-separated
/// `index<TAB>token<TAB>tag` (WikiNEuRal) and space-separated `token ... tag`
/// (CoNLL-2002). Blank lines end sentences; `-DOCSTART-` lines start a new
/// document. A file without `-DOCSTART-` lines is one document (as
/// `kgx tag --conll` treats it).
pub fn parse_conll(text: &str, path: &str) -> Result<Vec<Doc>, TrainError> {
    let mut docs = Vec::new();
    let mut doc = Doc::default();
    let mut toks = Vec::new();
    let mut labs = Vec::new();
    let flush_sent = |doc: &mut Doc, toks: &mut Vec<String>, labs: &mut Vec<Label>| {
        if !toks.is_empty() {
            doc.sentences.push(std::mem::take(toks));
            doc.labels.push(std::mem::take(labs));
        }
    };
    for (ln, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            flush_sent(&mut doc, &mut toks, &mut labs);
            continue;
        }
        if line.starts_with("-DOCSTART-") {
            flush_sent(&mut doc, &mut toks, &mut labs);
            if !doc.sentences.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        let (tok, tag) = if line.contains('\t') {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() >= 3 && cols[0].chars().all(|c| c.is_ascii_digit()) {
                (cols[1], cols[cols.len() - 1])
            } else {
                (cols[0], cols[cols.len() - 1])
            }
        } else {
            let cols: Vec<&str> = line.split_whitespace().collect();
            if cols.len() < 2 {
                return Err(TrainError::Format {
                    path: path.to_string(),
                    line: ln + 1,
                    msg: "expected at least a token and a tag".into(),
                });
            }
            (cols[0], cols[cols.len() - 1])
        };
        toks.push(tok.to_string());
        labs.push(Label::parse(tag.trim()));
    }
    flush_sent(&mut doc, &mut toks, &mut labs);
    if !doc.sentences.is_empty() {
        docs.push(doc);
    }
    Ok(docs)
}

/// Read a CoNLL file; `spec` may end in `@N` to keep only the first N sentences.
pub fn read_conll(spec: &str) -> Result<Vec<Doc>, TrainError> {
    let (path, limit) = match spec.rsplit_once('@') {
        Some((p, n)) if n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty() => {
            (p, Some(n.parse::<usize>().unwrap_or(usize::MAX)))
        }
        _ => (spec, None),
    };
    let text = std::fs::read_to_string(path).map_err(|source| TrainError::Io {
        path: path.to_string(),
        source,
    })?;
    let mut docs = parse_conll(&text, path)?;
    if let Some(limit) = limit {
        let mut left = limit;
        docs.retain_mut(|d| {
            if left == 0 {
                return false;
            }
            if d.sentences.len() > left {
                d.sentences.truncate(left);
                d.labels.truncate(left);
            }
            left -= d.sentences.len();
            true
        });
    }
    Ok(docs)
}

/// Entity spans `(start, end, type index)` the way conlleval finds them.
pub fn chunks(labels: &[Label]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    for (i, l) in labels.iter().enumerate() {
        let ty = l.index().div_ceil(2); // 0 = O
        let continues = l.is_inside() && matches!(start, Some((_, t)) if t == ty);
        if !continues {
            if let Some((s, t)) = start.take() {
                out.push((s, i, t));
            }
            if ty != 0 {
                start = Some((i, ty));
            }
        }
    }
    if let Some((s, t)) = start {
        out.push((s, labels.len(), t));
    }
    out
}

/// Precision/recall/F1 counts.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub correct: usize,
    pub guessed: usize,
    pub gold: usize,
}

impl Counts {
    pub fn add(&mut self, gold: &[Label], pred: &[Label]) {
        let g = chunks(gold);
        let p = chunks(pred);
        self.gold += g.len();
        self.guessed += p.len();
        self.correct += p.iter().filter(|c| g.contains(c)).count();
    }
    pub fn f1(&self) -> f64 {
        let p = self.correct as f64 / self.guessed.max(1) as f64;
        let r = self.correct as f64 / self.gold.max(1) as f64;
        if p + r == 0.0 {
            0.0
        } else {
            200.0 * p * r / (p + r)
        }
    }
}

/// Entity F1 of a tagger on documents.
pub fn evaluate(tagger: &Tagger, docs: &[Doc]) -> Counts {
    let mut c = Counts::default();
    for d in docs {
        let pred = tagger.tag_document_owned(&d.sentences);
        for (g, p) in d.labels.iter().zip(&pred) {
            c.add(g, p);
        }
    }
    c
}

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    pub lang: String,
    /// Training files (`path` or `path@N`).
    pub train: Vec<String>,
    pub dev: Option<PathBuf>,
    pub epochs: usize,
    pub seed: u64,
    /// Weight table has `2^bits` buckets.
    pub bits: u32,
    /// Cross-validation folds for the stacked second stage (0 = no second stage).
    pub folds: usize,
    /// Perceptrons with different shuffles whose weights are averaged.
    pub replicas: usize,
    /// Weight of the stage-1 scores inside the stacked stage.
    pub stack_alpha: f32,
    /// Probability of dropping each feature occurrence during training.
    pub dropout: f32,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            lang: "nl".into(),
            train: Vec::new(),
            dev: None,
            epochs: 16,
            seed: 1,
            bits: 21,
            folds: 5,
            replicas: 4,
            stack_alpha: 0.1,
            dropout: 0.4,
        }
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Precomputed features of a training set.
struct Data {
    /// Fixed per-token scores added to the emissions (stage-1 output for a stacked stage).
    base: Vec<[f32; NUM_LABELS]>,
    feats: Vec<u32>,
    offs: Vec<usize>,
    gold: Vec<u8>,
    sents: Vec<(usize, usize)>,
}

/// Extract features of all documents; with `preds` (flat first-stage labels
/// per document) only the stacked features are kept.
fn build_data(res: &Resources, bits: u32, docs: &[Doc], preds: Option<&[Vec<u8>]>) -> Data {
    let mut scratch = Scratch::default();
    let mut d = Data {
        base: Vec::new(),
        feats: Vec::new(),
        offs: vec![0],
        gold: Vec::new(),
        sents: Vec::new(),
    };
    for (k, doc) in docs.iter().enumerate() {
        scratch.extract(res, bits, &doc.sentences);
        if let Some(p) = preds {
            scratch.stack(bits, &p[k]);
        }
        for i in 0..scratch.offs.len() - 1 {
            if preds.is_none() {
                d.feats.extend_from_slice(
                    &scratch.feats[scratch.offs[i] as usize..scratch.offs[i + 1] as usize],
                );
            } else {
                d.feats.extend_from_slice(
                    &scratch.sfeats[scratch.soffs[i] as usize..scratch.soffs[i + 1] as usize],
                );
            }
            d.offs.push(d.feats.len());
        }
        let mut t = d.gold.len();
        for labs in &doc.labels {
            d.sents.push((t, t + labs.len()));
            t += labs.len();
            d.gold.extend(labs.iter().map(|l| l.index() as u8));
        }
    }
    d
}

/// State of one perceptron replica.
struct Replica {
    w: Vec<f32>,
    u: Vec<f64>,
    tw: [[f32; NUM_LABELS]; NUM_LABELS + 1],
    tu: [[f64; NUM_LABELS]; NUM_LABELS + 1],
    c: f64,
    rng: Rng,
    order: Vec<usize>,
    dropout: f32,
}

impl Replica {
    fn new(nb: usize, seed: u64, subset: &[usize], dropout: f32) -> Replica {
        Replica {
            w: vec![0f32; nb * NUM_LABELS],
            u: vec![0f64; nb * NUM_LABELS],
            tw: [[0f32; NUM_LABELS]; NUM_LABELS + 1],
            tu: [[0f64; NUM_LABELS]; NUM_LABELS + 1],
            c: 1.0,
            rng: Rng(seed ^ 0x6b67_786e_6572),
            order: subset.to_vec(),
            dropout,
        }
    }

    /// One shuffled pass over the sentences; returns the token error count.
    fn epoch(&mut self, data: &Data) -> usize {
        let (feats, offs, gold) = (&data.feats, &data.offs, &data.gold);
        for i in (1..self.order.len()).rev() {
            let j = (self.rng.next() % (i as u64 + 1)) as usize;
            self.order.swap(i, j);
        }
        let mut emit: Vec<[f32; NUM_LABELS]> = Vec::new();
        let mut back = Vec::new();
        let mut pred = Vec::new();
        let mut errors = 0usize;
        let (w, u, tw, tu) = (&mut self.w, &mut self.u, &mut self.tw, &mut self.tu);
        let mut c = self.c;
        let drop_below = (self.dropout.clamp(0.0, 0.9) as f64 * u64::MAX as f64) as u64;
        let mut sf: Vec<u32> = Vec::new();
        let mut so: Vec<usize> = Vec::new();
        for &s in &self.order {
            let (a, b) = data.sents[s];
            // Features of this sentence, with random feature dropout.
            sf.clear();
            so.clear();
            so.push(0);
            for t in a..b {
                for (k, &f) in feats[offs[t]..offs[t + 1]].iter().enumerate() {
                    if k == 0 || drop_below == 0 || self.rng.next() >= drop_below {
                        sf.push(f);
                    }
                }
                so.push(sf.len());
            }
            emit.clear();
            for t in a..b {
                let mut acc = data.base.get(t).copied().unwrap_or([0f32; NUM_LABELS]);
                for &f in &sf[so[t - a]..so[t - a + 1]] {
                    let row = &w[f as usize * NUM_LABELS..f as usize * NUM_LABELS + NUM_LABELS];
                    for (x, &v) in acc.iter_mut().zip(row) {
                        *x += v;
                    }
                }
                emit.push(acc);
            }
            viterbi(&emit, tw, &mut back, &mut pred);
            let g = &gold[a..b];
            if pred.as_slice() != g {
                for t in 0..b - a {
                    let (gy, py) = (g[t] as usize, pred[t] as usize);
                    if gy != py {
                        errors += 1;
                        for &f in &sf[so[t]..so[t + 1]] {
                            let base = f as usize * NUM_LABELS;
                            w[base + gy] += 1.0;
                            u[base + gy] += c;
                            w[base + py] -= 1.0;
                            u[base + py] -= c;
                        }
                    }
                    let gp = if t == 0 { START } else { g[t - 1] as usize };
                    let pp = if t == 0 { START } else { pred[t - 1] as usize };
                    if (gp, gy) != (pp, py) {
                        tw[gp][gy] += 1.0;
                        tu[gp][gy] += c;
                        tw[pp][py] -= 1.0;
                        tu[pp][py] -= c;
                    }
                }
            }
            c += 1.0;
        }
        self.c = c;
        errors
    }
}

/// Train one perceptron stage on the sentences `subset` of `data`:
/// `replicas` averaged perceptrons with different shuffles run in parallel
/// and their averaged weights are averaged (less variance than one run).
/// After each epoch the quantised stage is passed to `eval`; the stage with
/// the best score is returned with its epoch (the last one if `eval` gives
/// no scores).
#[allow(clippy::too_many_arguments)]
fn train_stage(
    data: &Data,
    subset: &[usize],
    bits: u32,
    epochs: usize,
    seed: u64,
    replicas: usize,
    alpha: f32,
    dropout: f32,
    mut eval: impl FnMut(&Stage) -> Option<f64>,
    log: &mut dyn FnMut(&str),
) -> (Stage, usize) {
    use rayon::prelude::*;
    let nb = 1usize << bits;
    let mut reps: Vec<Replica> = (0..replicas.max(1))
        .map(|r| {
            Replica::new(
                nb,
                seed.wrapping_mul(1000).wrapping_add(r as u64),
                subset,
                dropout,
            )
        })
        .collect();
    let mut best: Option<(f64, Stage, usize)> = None;
    for epoch in 1..=epochs {
        let errors: usize = reps.par_iter_mut().map(|r| r.epoch(data)).sum();
        let last = epoch == epochs;
        let stage = quantise(&reps, bits, alpha);
        match eval(&stage) {
            Some(f1) => {
                log(&format!(
                    "  epoch {epoch}: {errors} token errors, dev F1 {f1:.2}"
                ));
                if best.as_ref().is_none_or(|(b, _, _)| f1 > *b) {
                    best = Some((f1, stage, epoch));
                }
            }
            None => {
                if last {
                    best = Some((0.0, stage, epoch));
                }
            }
        }
    }
    let (_, stage, epoch) = best.expect("at least one epoch");
    (stage, epoch)
}

fn quantise(reps: &[Replica], bits: u32, alpha: f32) -> Stage {
    use rayon::prelude::*;
    let n = reps.len() as f64;
    let len = reps[0].w.len();
    let mut avg = vec![0f32; len];
    avg.par_chunks_mut(1 << 16)
        .enumerate()
        .for_each(|(k, chunk)| {
            let off = k << 16;
            for (j, a) in chunk.iter_mut().enumerate() {
                let i = off + j;
                let mut s = 0f64;
                for r in reps {
                    s += r.w[i] as f64 - r.u[i] / r.c;
                }
                *a = (s / n) as f32;
            }
        });
    let max = avg.iter().fold(0f32, |m, &v| m.max(v.abs())).max(1e-6);
    let scale = max / 32000.0;
    let emit: Vec<i16> = avg.iter().map(|&v| (v / scale).round() as i16).collect();
    let mut trans = [[0i32; NUM_LABELS]; NUM_LABELS + 1];
    for (p, row) in trans.iter_mut().enumerate() {
        for (y, t) in row.iter_mut().enumerate() {
            if allowed(p, y) {
                let a: f64 = reps
                    .iter()
                    .map(|r| r.tw[p][y] as f64 - r.tu[p][y] / r.c)
                    .sum::<f64>()
                    / n;
                *t = (a / scale as f64).round() as i32;
            }
        }
    }
    Stage::from_dense(scale, alpha, trans, bits, &emit)
}

fn make_tagger(
    cfg: &TrainConfig,
    res: &Resources,
    stages: Vec<Stage>,
) -> Result<Tagger, TrainError> {
    Ok(Tagger::from_weights(Weights {
        lang: cfg.lang.clone(),
        bits: cfg.bits,
        fingerprint: res.fingerprint,
        stages,
    })?)
}

/// Train a tagger. Progress lines go to `log`. When a dev set is given the
/// epoch with the best dev F1 is kept for each stage. With `folds > 1` a
/// second, stacked stage is trained on cross-validated first-stage output
/// and kept if it improves dev F1 (or always, without a dev set).
pub fn train(cfg: &TrainConfig, mut log: impl FnMut(&str)) -> Result<Tagger, TrainError> {
    let log: &mut dyn FnMut(&str) = &mut log;
    let res = Resources::embedded(&cfg.lang)
        .ok_or_else(|| ModelError::UnknownLanguage(cfg.lang.clone()))?;
    let mut docs = Vec::new();
    for spec in &cfg.train {
        let d = read_conll(spec)?;
        log(&format!(
            "read {spec}: {} documents, {} sentences",
            d.len(),
            d.iter().map(|d| d.sentences.len()).sum::<usize>()
        ));
        docs.extend(d);
    }
    let dev = match &cfg.dev {
        Some(p) => read_conll(&p.to_string_lossy())?,
        None => Vec::new(),
    };
    let data = build_data(res, cfg.bits, &docs, None);
    if data.sents.is_empty() {
        return Err(TrainError::Empty);
    }
    log(&format!(
        "{} sentences, {} tokens, {:.1} features/token",
        data.sents.len(),
        data.gold.len(),
        data.feats.len() as f64 / data.gold.len() as f64
    ));
    let all: Vec<usize> = (0..data.sents.len()).collect();
    let dev_f1 = |stages: Vec<Stage>| -> Result<(f64, Vec<Stage>), TrainError> {
        let t = make_tagger(cfg, res, stages)?;
        let f1 = evaluate(&t, &dev).f1();
        Ok((f1, t.w.stages))
    };
    // Stage 1.
    log("stage 1");
    let mut err = None;
    let (stage1, e1) = train_stage(
        &data,
        &all,
        cfg.bits,
        cfg.epochs,
        cfg.seed,
        cfg.replicas,
        1.0,
        cfg.dropout,
        |st| {
            if dev.is_empty() {
                return None;
            }
            // Evaluate a copy: the tagger owns its stages.
            let copy = st.clone();
            match dev_f1(vec![copy]) {
                Ok((f1, _)) => Some(f1),
                Err(e) => {
                    err = Some(e);
                    None
                }
            }
        },
        log,
    );
    if let Some(e) = err {
        return Err(e);
    }
    let (f1_1, mut stages) = if dev.is_empty() {
        (0.0, vec![stage1])
    } else {
        dev_f1(vec![stage1])?
    };
    log(&format!("stage 1: keeping epoch {e1} (dev F1 {f1_1:.2})"));
    if cfg.folds < 2 {
        return make_tagger(cfg, res, stages);
    }
    // Cross-validated stage-1 predictions on the training set.
    let k = cfg.folds;
    let mut preds: Vec<Vec<u8>> = docs
        .iter()
        .map(|d| vec![0u8; d.labels.iter().map(Vec::len).sum()])
        .collect();
    let mut scores: Vec<Vec<[f32; NUM_LABELS]>> = preds
        .iter()
        .map(|p| vec![[0f32; NUM_LABELS]; p.len()])
        .collect();
    let alpha = cfg.stack_alpha;
    for fold in 0..k {
        let subset: Vec<usize> = all.iter().copied().filter(|s| s % k != fold).collect();
        let (st, _) = train_stage(
            &data,
            &subset,
            cfg.bits,
            e1,
            cfg.seed + 1 + fold as u64,
            cfg.replicas,
            1.0,
            cfg.dropout,
            |_| None,
            log,
        );
        let t = make_tagger(cfg, res, vec![st])?;
        let mut sent_idx = 0usize;
        for ((d, p), sc) in docs.iter().zip(preds.iter_mut()).zip(scores.iter_mut()) {
            let (e1, labels) = t.stage1_output(&d.sentences);
            let mut tok = 0;
            for s in &d.sentences {
                if sent_idx % k == fold {
                    p[tok..tok + s.len()].copy_from_slice(&labels[tok..tok + s.len()]);
                    sc[tok..tok + s.len()].copy_from_slice(&e1[tok..tok + s.len()]);
                }
                tok += s.len();
                sent_idx += 1;
            }
        }
        log(&format!("fold {}/{k} done", fold + 1));
    }
    let mut data2 = build_data(res, cfg.bits, &docs, Some(&preds));
    data2.base = scores
        .into_iter()
        .flatten()
        .map(|e| e.map(|v| v * alpha))
        .collect();
    drop(data);
    log("stage 2");
    let mut s1 = Some(stages.pop().expect("stage 1"));
    let mut err = None;
    let (stage2, e2) = train_stage(
        &data2,
        &all,
        cfg.bits,
        cfg.epochs,
        cfg.seed + 100,
        cfg.replicas,
        alpha,
        cfg.dropout,
        |st| {
            if dev.is_empty() {
                return None;
            }
            let copy = st.clone();
            match dev_f1(vec![s1.take().expect("stage 1"), copy]) {
                Ok((f1, mut v)) => {
                    v.pop();
                    s1 = v.pop();
                    Some(f1)
                }
                Err(e) => {
                    err = Some(e);
                    None
                }
            }
        },
        log,
    );
    if let Some(e) = err {
        return Err(e);
    }
    let stage1 = s1.expect("stage 1");
    if dev.is_empty() {
        return make_tagger(cfg, res, vec![stage1, stage2]);
    }
    let (f1_2, mut both) = dev_f1(vec![stage1, stage2])?;
    if f1_2 > f1_1 {
        log(&format!("stage 2: keeping epoch {e2} (dev F1 {f1_2:.2})"));
        make_tagger(cfg, res, both)
    } else {
        log(&format!(
            "stage 2 does not help (dev F1 {f1_2:.2}); keeping stage 1 only"
        ));
        both.truncate(1);
        make_tagger(cfg, res, both)
    }
}

/// Train and write the model to `out`.
pub fn train_to_file(
    cfg: &TrainConfig,
    out: &Path,
    log: impl FnMut(&str),
) -> Result<Tagger, TrainError> {
    let tagger = train(cfg, log)?;
    std::fs::write(out, tagger.to_bytes()).map_err(|source| TrainError::Io {
        path: out.display().to_string(),
        source,
    })?;
    Ok(tagger)
}
