//! Throughput of `Tagger::tag_document` (tokens/s) on a synthetic Dutch news document.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kgx::ner::Tagger;

fn document() -> Vec<Vec<&'static str>> {
    let sents: [&[&str]; 4] = [
        &["Premier", "Mark", "Rutte", "sprak", "dinsdag", "in", "Den", "Haag", "met", "de", "Belgische", "minister", "van", "Financiën", "."],
        &["Volgens", "de", "Nederlandsche", "Bank", "groeit", "de", "economie", "van", "Nederland", "dit", "jaar", "met", "1,5", "procent", "."],
        &["Het", "bedrijf", "Philips", "opent", "een", "nieuwe", "fabriek", "in", "Eindhoven", ",", "meldt", "het", "ANP", "."],
        &["\"", "We", "zijn", "tevreden", "\"", ",", "zei", "Jan", "de", "Vries", "van", "Ajax", "na", "de", "wedstrijd", "tegen", "PSV", "in", "Amsterdam", "."],
    ];
    (0..50).flat_map(|_| sents.iter().map(|s| s.to_vec())).collect()
}

fn bench(c: &mut Criterion) {
    let tagger = Tagger::embedded("nl").expect("embedded nl model");
    let doc = document();
    let ntok: usize = doc.iter().map(Vec::len).sum();
    let mut g = c.benchmark_group("ner");
    g.throughput(Throughput::Elements(ntok as u64));
    g.bench_function("tag_document_nl", |b| b.iter(|| tagger.tag_document(std::hint::black_box(&doc))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
