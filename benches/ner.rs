//! Throughput of `Tagger::tag_document` (tokens/s).
//!
//! The input is synthetic Dutch-like news text: function words, common words
//! and made-up capitalised names built from syllables, so that most tokens
//! are distinct and the weight table is accessed as with real text.
//! Every iteration tags the same documents, so after the first one the
//! tagger's per-thread word-type cache (`src/ner/typecache.rs`) holds every
//! form: this measures the warm case. For the cold case, time `kgx extract
//! --stats -j 1` on a corpus from `benches/make_corpus.py` (see docs/NER.md).
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kgx::ner::Tagger;

const FUNCTION: &[&str] = &[
    "de", "het", "een", "van", "in", "op", "met", "voor", "door", "aan", "dat", "die", "en", "is",
    "zijn", "werd", "heeft", "niet", "ook", "om", "bij", "naar", "over", "tegen", "na", ",", ".",
    "\"", "(", ")",
];
const CONTENT: &[&str] = &[
    "minister",
    "regering",
    "bedrijf",
    "stad",
    "wedstrijd",
    "verkiezingen",
    "dinsdag",
    "woensdag",
    "miljoen",
    "euro",
    "procent",
    "president",
    "partij",
    "burgemeester",
    "rechtbank",
    "onderzoek",
    "zei",
    "meldt",
    "volgens",
    "jaar",
    "nieuwe",
    "grote",
    "Belgische",
    "Nederlandse",
    "Europese",
    "gisteren",
    "politie",
    "ploeg",
    "aandeelhouders",
    "raad",
];
const SYL: &[&str] = &[
    "van", "der", "ber", "ko", "ma", "li", "sen", "dam", "rik", "jan", "wou", "ter", "hout", "ge",
    "bo", "rus", "tel", "mans",
];

struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

fn corpus() -> Vec<Vec<Vec<String>>> {
    let mut r = Lcg(42);
    let mut docs = Vec::new();
    for _ in 0..40 {
        let mut doc = Vec::new();
        for _ in 0..25 {
            let len = 8 + r.next(25);
            let mut s = Vec::with_capacity(len);
            for _ in 0..len {
                let w = match r.next(10) {
                    0..=4 => FUNCTION[r.next(FUNCTION.len())].to_string(),
                    5..=7 => CONTENT[r.next(CONTENT.len())].to_string(),
                    _ => {
                        let mut name = String::new();
                        for _ in 0..2 + r.next(2) {
                            name.push_str(SYL[r.next(SYL.len())]);
                        }
                        let mut c = name.chars();
                        let first = c
                            .next()
                            .map(|f| f.to_uppercase().collect::<String>())
                            .unwrap_or_default();
                        first + c.as_str()
                    }
                };
                s.push(w);
            }
            doc.push(s);
        }
        docs.push(doc);
    }
    docs
}

fn bench(c: &mut Criterion) {
    let tagger = Tagger::embedded("nl").expect("embedded nl model");
    let docs = corpus();
    let docs: Vec<Vec<Vec<&str>>> = docs
        .iter()
        .map(|d| {
            d.iter()
                .map(|s| s.iter().map(String::as_str).collect())
                .collect()
        })
        .collect();
    let ntok: usize = docs.iter().flatten().map(Vec::len).sum();
    let mut g = c.benchmark_group("ner");
    g.throughput(Throughput::Elements(ntok as u64));
    g.bench_function("tag_document_nl", |b| {
        b.iter(|| {
            for d in &docs {
                std::hint::black_box(tagger.tag_document(std::hint::black_box(d)));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
