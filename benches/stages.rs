//! Criterion benchmarks of each pipeline stage on the seed article:
//! `cargo bench --bench stages`. Throughput is reported in bytes of text.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

use kgx::events::find_events;
use kgx::export::Format;
use kgx::ner::find_mentions;
use kgx::relations::{find_relations, Cooccurrence};
use kgx::resolve::resolve;
use kgx::{Extractor, KnowledgeGraph};

fn stages(c: &mut Criterion) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/seeds/seed-article.txt"
    ))
    .expect("seeds/seed-article.txt is readable");
    let ex = Extractor::default();
    let doc = ex.document("seed", text.clone());
    let mentions = find_mentions(&doc);
    let entities = resolve(&doc, &mentions);
    let events = find_events(&doc, &mentions, &entities);
    let mut graph = KnowledgeGraph::new();
    graph.add(ex.extract_document(&doc));
    graph.finalize();

    let mut g = c.benchmark_group("stage");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("tokenize", |b| {
        b.iter(|| ex.document("seed", black_box(text.clone())))
    });
    g.bench_function("ner", |b| b.iter(|| find_mentions(black_box(&doc))));
    g.bench_function("resolve", |b| {
        b.iter(|| resolve(black_box(&doc), black_box(&mentions)))
    });
    g.bench_function("events", |b| {
        b.iter(|| find_events(black_box(&doc), &mentions, &entities))
    });
    g.bench_function("relations", |b| {
        b.iter(|| {
            find_relations(
                black_box(&doc),
                &mentions,
                &entities,
                &events,
                Cooccurrence::Sentence,
            )
        })
    });
    g.bench_function("graph", |b| {
        b.iter(|| {
            let mut g = KnowledgeGraph::new();
            g.add(ex.extract_document(black_box(&doc)));
            g.finalize();
            g
        })
    });
    for format in [Format::Json, Format::Dot] {
        g.bench_function(format!("export-{format:?}").to_lowercase(), |b| {
            b.iter(|| {
                let mut out = Vec::with_capacity(1 << 20);
                kgx::export::write(black_box(&graph), format, &mut out).unwrap();
                out
            })
        });
    }
    g.bench_function("end-to-end", |b| {
        b.iter(|| ex.extract_text("seed", black_box(&text)))
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
