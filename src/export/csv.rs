//! CSV for Gephi's spreadsheet import: `nodes.csv` (`Id,Label,Type,...`)
//! and `edges.csv` (`Source,Target,Type,Weight,Label,Relation,...`), RFC 4180
//! quoting by the csv crate, UTF-8.

use arcstr::ArcStr;
use std::io::Write;
use std::path::Path;

use crate::graph::KnowledgeGraph;

use super::style::list_value;

/// The header of `nodes.csv`: Gephi's `Id` and `Label`, then kgx's attributes.
pub const NODE_HEADER: [&str; 11] = [
    "Id",
    "Label",
    "Type",
    "event_type",
    "modality",
    "time",
    "time_iso",
    "mention_count",
    "salience",
    "aliases",
    "roles",
];

/// The header of `edges.csv`: Gephi's `Source`, `Target`, `Type`
/// (always `Directed`), `Weight` and `Label`, then kgx's attributes.
pub const EDGE_HEADER: [&str; 7] = [
    "Source",
    "Target",
    "Type",
    "Weight",
    "Label",
    "Relation",
    "evidence_count",
];

fn csv_err(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        k => std::io::Error::other(format!("{k:?}")),
    }
}

/// Writes `nodes.csv`.
pub fn write_nodes_csv(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    let graph = super::clean::clean_graph(graph);
    let mut w = csv::Writer::from_writer(out);
    w.write_record(NODE_HEADER).map_err(csv_err)?;
    for n in graph.sorted_nodes() {
        let list = |v: &[String]| {
            if v.is_empty() {
                String::new()
            } else {
                list_value(v)
            }
        };
        let opt = |o: &Option<ArcStr>| o.as_deref().unwrap_or_default().to_string();
        w.write_record([
            n.id.clone(),
            n.label.clone(),
            n.kind.as_str().to_string(),
            opt(&n.event_type),
            opt(&n.modality),
            opt(&n.time),
            opt(&n.time_iso),
            n.mention_count().to_string(),
            n.salience.to_string(),
            list(&n.aliases),
            list(&n.roles),
        ])
        .map_err(csv_err)?;
    }
    w.flush()
}

/// Writes `edges.csv`.
pub fn write_edges_csv(graph: &KnowledgeGraph, out: &mut dyn Write) -> std::io::Result<()> {
    let graph = super::clean::clean_graph(graph);
    let mut w = csv::Writer::from_writer(out);
    w.write_record(EDGE_HEADER).map_err(csv_err)?;
    for (s, t, e) in graph.sorted_edges() {
        w.write_record([
            s.id.as_str(),
            t.id.as_str(),
            "Directed",
            &e.weight.to_string(),
            e.label.as_deref().unwrap_or(""),
            &e.relation,
            &e.evidence.len().to_string(),
        ])
        .map_err(csv_err)?;
    }
    w.flush()
}

/// Writes `nodes.csv` and `edges.csv` into `dir` (created if missing), each
/// file whole or not at all.
pub fn write_csv_dir(graph: &KnowledgeGraph, dir: &Path) -> anyhow::Result<()> {
    use anyhow::Context;
    if dir.exists() && !dir.is_dir() {
        anyhow::bail!(
            "{}: CSV export writes nodes.csv and edges.csv into a directory; pass a directory to -o",
            dir.display()
        );
    }
    std::fs::create_dir_all(dir)
        .with_context(|| format!("{}: cannot create the directory", dir.display()))?;
    let graph = super::clean::clean_graph(graph);
    crate::output::write_atomically(&dir.join("nodes.csv"), |w| write_nodes_csv(&graph, w))?;
    crate::output::write_atomically(&dir.join("edges.csv"), |w| write_edges_csv(&graph, w))?;
    Ok(())
}
