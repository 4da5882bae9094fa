//! Finding and reading input documents: files, directories, standard input
//! and JSON Lines corpora.

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;

use crate::text::decode;

/// A problem with one input. The message names the input and says what to do.
#[derive(Debug, Error)]
pub enum InputError {
    /// The path does not exist.
    #[error("{0}: no such file or directory")]
    Missing(String),
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Unreadable {
        /// The path.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The bytes are not UTF-8.
    #[error("{path}: {source}")]
    NotUtf8 {
        /// The path.
        path: String,
        /// Where the first bad byte is.
        source: crate::text::DecodeError,
    },
    /// The file looks like binary data, not text.
    #[error(
        "{0}: looks like a binary file, not text (kgx reads UTF-8 text, Markdown and JSON Lines)"
    )]
    Binary(String),
    /// The document is too long for 32-bit offsets.
    #[error("{0}: document longer than 4 GiB; split it into smaller documents")]
    TooLarge(String),
    /// A per-document output could not be written.
    #[error("{message}")]
    Unwritable {
        /// What went wrong, naming the file.
        message: String,
    },
    /// A JSON Lines record is malformed.
    #[error("{path}:{line}: bad JSON Lines record: {message}")]
    BadRecord {
        /// The path.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// One input document, decoded.
#[derive(Clone, Debug, PartialEq)]
pub struct RawDocument {
    /// The id: file stem or JSON Lines `id`.
    pub id: String,
    /// Where it came from: the path, `-`, or `PATH:LINE` for JSON Lines.
    pub path: String,
    /// The text.
    pub text: String,
    /// The publication date, when the record gives one.
    pub date: Option<String>,
    /// The outlet or feed, when the record gives one.
    pub source: Option<String>,
    /// How many input bytes it took (file size or JSON Lines line length),
    /// for progress reports.
    pub input_bytes: u64,
}

/// Refuses texts that 32-bit offsets cannot address.
fn check_size(path: &str, len: usize) -> Result<(), InputError> {
    if len > u32::MAX as usize {
        Err(InputError::TooLarge(path.to_string()))
    } else {
        Ok(())
    }
}

/// Whether `bytes` look like binary data rather than text: more than one
/// in ten of the first 8 KiB are control characters other than whitespace.
/// Text with a stray NUL or form feed is still text.
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 10 > head.len()
}

/// Where documents come from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// A text or Markdown file: one document.
    File(PathBuf),
    /// A JSON Lines file: one document per line.
    Jsonl(PathBuf),
    /// Standard input: one document, or JSON Lines with `--jsonl`.
    Stdin {
        /// Read standard input as JSON Lines.
        jsonl: bool,
    },
}

fn is_text_file(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("txt" | "md")
    )
}

fn is_jsonl_file(path: &Path) -> bool {
    matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("jsonl" | "ndjson")
    )
}

/// Expands command-line paths into sources: directories are walked
/// recursively (their `.txt`, `.md` and `.jsonl` files, sorted, symlink loops
/// skipped), `-` is standard input. A path that does not exist is an error;
/// problems inside a directory walk are returned as warnings.
pub fn collect_sources(
    paths: &[PathBuf],
    stdin_jsonl: bool,
) -> Result<(Vec<Source>, Vec<String>), InputError> {
    let mut sources = Vec::new();
    let mut warnings = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            sources.push(Source::Stdin { jsonl: stdin_jsonl });
            continue;
        }
        let meta = std::fs::metadata(p).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => InputError::Missing(p.display().to_string()),
            _ => InputError::Unreadable {
                path: p.display().to_string(),
                source: e,
            },
        })?;
        if meta.is_dir() {
            let mut found = Vec::new();
            for entry in walkdir::WalkDir::new(p)
                .follow_links(true)
                .sort_by_file_name()
            {
                match entry {
                    Ok(e) if e.file_type().is_file() => {
                        let path = e.into_path();
                        if is_text_file(&path) {
                            found.push(Source::File(path));
                        } else if is_jsonl_file(&path) {
                            found.push(Source::Jsonl(path));
                        }
                    }
                    Ok(_) => {}
                    Err(e) => warnings.push(format!("skipped: {e}")),
                }
            }
            sources.extend(found);
        } else if is_jsonl_file(p) {
            sources.push(Source::Jsonl(p.clone()));
        } else {
            sources.push(Source::File(p.clone()));
        }
    }
    // A canonical order: the same files give the same run, however they
    // were listed on the command line or found on disk.
    sources.sort();
    sources.dedup();
    Ok((sources, warnings))
}

/// The size in bytes of a source, when it is known before reading (files).
pub fn source_size(source: &Source) -> Option<u64> {
    match source {
        Source::File(p) | Source::Jsonl(p) => std::fs::metadata(p).ok().map(|m| m.len()),
        Source::Stdin { .. } => None,
    }
}

/// The document id of a file: its stem.
pub fn file_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads a whole file (or standard input) as one document.
pub fn read_file(path: &Path, lossy: bool) -> Result<RawDocument, InputError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| InputError::Unreadable {
        path: name.clone(),
        source: e,
    })?;
    let input_bytes = bytes.len() as u64;
    let text = decode_text(&name, bytes, lossy)?;
    Ok(RawDocument {
        id: file_id(path),
        path: name,
        text,
        date: None,
        source: None,
        input_bytes,
    })
}

/// Decodes a whole text file, refusing binary data and oversized texts.
fn decode_text(name: &str, bytes: Vec<u8>, lossy: bool) -> Result<String, InputError> {
    if looks_binary(&bytes) {
        return Err(InputError::Binary(name.to_string()));
    }
    check_size(name, bytes.len())?;
    decode(bytes, lossy).map_err(|e| InputError::NotUtf8 {
        path: name.to_string(),
        source: e,
    })
}

/// Reads standard input as one document with id `stdin`.
pub fn read_stdin(lossy: bool) -> Result<RawDocument, InputError> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::Unreadable {
            path: "-".into(),
            source: e,
        })?;
    let input_bytes = bytes.len() as u64;
    let text = decode_text("-", bytes, lossy)?;
    Ok(RawDocument {
        id: "stdin".into(),
        path: "-".into(),
        text,
        date: None,
        source: None,
        input_bytes,
    })
}

#[derive(Deserialize)]
struct Record {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

/// Parses one JSON Lines record. `Ok(None)` for a blank line.
pub fn parse_record(
    path: &str,
    line_no: usize,
    line: &str,
) -> Result<Option<RawDocument>, InputError> {
    if line.trim().is_empty() {
        return Ok(None);
    }
    let bad = |message: String| InputError::BadRecord {
        path: path.to_string(),
        line: line_no,
        message,
    };
    let rec: Record = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
    let id = match rec.id {
        serde_json::Value::String(s) if !s.is_empty() => s,
        serde_json::Value::Number(n) => n.to_string(),
        _ => return Err(bad("\"id\" must be a non-empty string or a number".into())),
    };
    check_size(&format!("{path}:{line_no}"), rec.text.len())?;
    Ok(Some(RawDocument {
        id,
        path: format!("{path}:{line_no}"),
        text: rec.text,
        date: rec.date,
        source: rec.source,
        input_bytes: line.len() as u64,
    }))
}

/// Reads JSON Lines from `reader` lazily, one record at a time, so that a
/// corpus never has to fit in memory. Bad lines come back as errors and
/// reading goes on.
pub fn jsonl_records<R: BufRead>(
    path: String,
    mut reader: R,
    lossy: bool,
) -> impl Iterator<Item = Result<RawDocument, InputError>> {
    let mut line_no = 0usize;
    let mut buf = Vec::new();
    std::iter::from_fn(move || loop {
        buf.clear();
        line_no += 1;
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => return None,
            Ok(_) => {
                let line = match decode(std::mem::take(&mut buf), lossy) {
                    Ok(l) => l,
                    Err(e) => {
                        return Some(Err(InputError::BadRecord {
                            path: path.clone(),
                            line: line_no,
                            message: e.to_string(),
                        }))
                    }
                };
                match parse_record(&path, line_no, &line) {
                    Ok(Some(doc)) => return Some(Ok(doc)),
                    Ok(None) => continue,
                    Err(e) => return Some(Err(e)),
                }
            }
            Err(e) => {
                return Some(Err(InputError::Unreadable {
                    path: path.clone(),
                    source: e,
                }))
            }
        }
    })
}
