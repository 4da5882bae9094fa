//! What the integration tests share: running the real `kgx` binary.

// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// Runs `kgx` with `args` in `cwd` and waits for it.
pub fn kgx(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kgx"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("kgx runs")
}

/// A run's standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The ids of `graph.documents` in a JSON graph, in order.
pub fn document_ids(graph: &serde_json::Value) -> Vec<&str> {
    graph["graph"]["documents"]
        .as_array()
        .expect("a documents list")
        .iter()
        .map(|d| d["id"].as_str().expect("a string id"))
        .collect()
}
