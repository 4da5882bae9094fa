//! Bad input never crashes kgx or loses output.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::process::Output;
use std::time::{Duration, Instant};

use kgx::lang::Language;
use kgx::Extractor;

/// Counts the bytes each thread has allocated and its peak, so a test can
/// check that memory stays linear in the input.
struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = LIVE.try_with(|l| {
            l.set(l.get() + layout.size() as isize);
            let _ = PEAK.try_with(|p| p.set(p.get().max(l.get())));
        });
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let _ = LIVE.try_with(|l| l.set(l.get() - layout.size() as isize));
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = LIVE.try_with(|l| {
            l.set(l.get() + new_size as isize - layout.size() as isize);
            let _ = PEAK.try_with(|p| p.set(p.get().max(l.get())));
        });
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// Runs `f` and returns its result with the peak bytes it had allocated
/// (on this thread) beyond what was live when it started.
fn peak_memory<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let out = f();
    (out, (PEAK.with(Cell::get) - base).max(0) as usize)
}

mod common;
use common::{kgx, stderr};

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(o)))
}

/// Every mention's offsets must select exactly its text in the original bytes.
fn assert_offsets_exact(graph: &serde_json::Value, original: &[u8]) {
    let mut n = 0;
    for node in graph["nodes"].as_array().unwrap() {
        for m in node["mentions"].as_array().unwrap() {
            let (s, e) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(&original[s..e], m["text"].as_str().unwrap().as_bytes());
            n += 1;
        }
    }
    assert!(n > 0, "no mentions to check");
}

#[test]
fn invalid_utf8_names_file_and_offset_or_is_replaced_with_lossy() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = b"Minister Jan Smit bezocht \xff\xfe Arnhem met Anna Jansen.".to_vec();
    std::fs::write(dir.path().join("bad.txt"), &bytes).unwrap();
    let o = kgx(&["extract", "bad.txt"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("bad.txt: not valid UTF-8 at byte 26"),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
    let o = kgx(&["extract", "--lossy", "bad.txt"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert_offsets_exact(&json(&o), &bytes);
}

#[test]
fn bad_files_in_a_directory_are_skipped_and_the_rest_processed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("news");
    std::fs::create_dir_all(d.join("deeper")).unwrap();
    std::fs::write(
        d.join("good.txt"),
        "Minister Jan Smit bezocht Arnhem met Anna Jansen.",
    )
    .unwrap();
    std::fs::write(d.join("latin1.txt"), b"Caf\xe9 in Utrecht met Jan Smit.").unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(std::iter::repeat_n(0u8, 500));
    std::fs::write(d.join("image.txt"), &png).unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("..", d.join("deeper/loop")).unwrap();
        std::os::unix::fs::symlink("nowhere.txt", d.join("dangling.txt")).unwrap();
    }
    let (tx, rx) = std::sync::mpsc::channel();
    let cwd = dir.path().to_path_buf();
    std::thread::spawn(move || tx.send(kgx(&["extract", "-q", "news"], &cwd)).unwrap());
    let o = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("a symlink loop must not hang the directory walk");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("latin1.txt: not valid UTF-8 at byte 3"),
        "{err}"
    );
    assert!(err.contains("image.txt: looks like a binary file"), "{err}");
    #[cfg(unix)]
    {
        assert!(err.contains("loop"), "{err}");
        assert!(err.contains("dangling.txt"), "{err}");
    }
    let g = json(&o);
    assert_eq!(g["graph"]["documents"].as_array().unwrap().len(), 1);
    assert!(g["nodes"].as_array().unwrap().len() >= 2);
}

#[test]
fn bom_crlf_and_nul_keep_offsets_exact() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\u{feff}Minister Jan Smit bezocht Arnhem.\r\n\r\nAnna\0 Jansen sprak in\0Utrecht met Jan Smit.\r\n";
    std::fs::write(dir.path().join("odd.txt"), text).unwrap();
    let o = kgx(&["extract", "odd.txt"], dir.path());
    assert!(o.status.success(), "{}", stderr(&o));
    let g = json(&o);
    assert_offsets_exact(&g, text.as_bytes());
    let labels: Vec<&str> = g["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["label"].as_str().unwrap())
        .collect();
    assert!(labels.contains(&"Jan Smit"), "{labels:?}");
    assert!(
        labels.iter().all(|l| !l.contains(['\u{feff}', '\0', '\r'])),
        "{labels:?}"
    );
}

#[test]
fn empty_and_punctuation_only_files_give_empty_graphs() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("empty.txt", ""),
        ("punct.txt", "... ,,, !?! -- \n\n\t ‘’ “” ()"),
        ("blank.txt", " \n\r\n\t "),
    ] {
        std::fs::write(dir.path().join(name), text).unwrap();
        let o = kgx(&["extract", name], dir.path());
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let g = json(&o);
        assert_eq!(g["nodes"].as_array().unwrap().len(), 0, "{name}");
        assert_eq!(g["graph"]["documents"][0]["bytes"], text.len());
    }
}

/// Runs the whole pipeline on `text` and checks it is fast enough to be
/// linear (a quadratic step would take hours on these sizes).
/// Extracts `text`, failing if it takes longer than `limit`: a guard against
/// quadratic blow-ups (which would take hours), generous enough never to
/// measure speed (benches/ does that).
fn extract_within(text: String, limit: Duration) -> kgx::KnowledgeGraph {
    let start = Instant::now();
    let ex = Extractor::default();
    let g = ex.extract_text("big", &text);
    let took = start.elapsed();
    assert!(took < limit, "took {took:?} for {} bytes", text.len());
    g
}

#[test]
fn huge_inputs_stay_linear() {
    // A 20 MB document on one line (commas, no sentence end).
    let line = "de minister sprak in het stadhuis met de burgemeester, ".repeat(20_000_000 / 55);
    extract_within(line, Duration::from_secs(300));
    // One sentence of 100,000 tokens, a few names repeated in it.
    let long: Vec<&str> = [
        "de", "kat", "zat", "bij", "Jan", "Smit", "in", "Arnhem", "op", "mat",
    ]
    .iter()
    .copied()
    .cycle()
    .take(100_000)
    .collect();
    let g = extract_within(long.join(" ") + ".", Duration::from_secs(300));
    assert!(g.node_count() >= 1);
    // A million one-word sentences.
    let many = "Ja.\n".repeat(1_000_000);
    extract_within(many, Duration::from_secs(300));
}

#[test]
fn a_20_mb_word_costs_one_pass_and_little_memory() {
    let nl = Language::get("nl").unwrap();
    for text in [
        "a".repeat(20_000_000),
        "a.".repeat(10_000_000),
        "a-".repeat(10_000_000),
        "'".repeat(5_000_000),
    ] {
        let start = Instant::now();
        let (tokens, peak) = peak_memory(|| kgx::text::tokenize(&text, nl));
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "a hang guard, not a speed test"
        );
        // Tokens are 8 bytes each (twice that while the vector grows); a
        // per-character copy of a chunk would cost 16 bytes per character.
        let budget = 2 * text.len() + tokens.len() * 16;
        assert!(
            peak <= budget,
            "peak {peak} bytes for {} bytes of text, {} tokens",
            text.len(),
            tokens.len()
        );
        let mut end = 0;
        for t in &tokens {
            assert!(t.span.start as usize >= end && t.span.end > t.span.start);
            end = t.span.end as usize;
        }
    }
}

#[test]
fn output_errors_are_clear_and_leave_no_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "Minister Jan Smit bezocht Arnhem.",
    )
    .unwrap();
    let o = kgx(
        &["extract", "a.txt", "-o", "missing/dir/g.json"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));
    // Root can write anywhere chmod forbids; a regular file as the parent
    // directory stops everyone.
    let o = kgx(&["extract", "a.txt", "-o", "a.txt/g.json"], dir.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not a directory"), "{}", stderr(&o));
    #[cfg(target_os = "linux")]
    {
        // /dev/full: every write fails with "no space left on device".
        let o = kgx(
            &["extract", "a.txt", "-o", "/dev/full", "-f", "json"],
            dir.path(),
        );
        assert_eq!(o.status.code(), Some(2));
        assert!(
            stderr(&o).contains("/dev/full: cannot write"),
            "{}",
            stderr(&o)
        );
        assert!(!std::fs::metadata("/dev/full").unwrap().is_file());
    }
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["a.txt"]);
}

#[test]
fn truncated_or_foreign_graphs_are_refused_by_merge() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        "Minister Jan Smit bezocht Arnhem met Anna Jansen.",
    )
    .unwrap();
    let o = kgx(&["extract", "a.txt", "-o", "a.json"], dir.path());
    assert!(o.status.success());
    let full = std::fs::read(dir.path().join("a.json")).unwrap();
    std::fs::write(dir.path().join("cut.json"), &full[..full.len() / 2]).unwrap();
    let o = kgx(
        &["merge", "a.json", "cut.json", "-o", "all.json"],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cut.json: not a kgx JSON graph"),
        "{}",
        stderr(&o)
    );
    assert!(!dir.path().join("all.json").exists());
}

#[test]
fn same_input_same_bytes_whatever_the_directory_order() {
    // The same files created in opposite orders, so that the directory
    // lists them differently; run twice each and with 1 and 2 threads.
    let texts = [
        ("z.txt", "Minister Jan Smit bezocht Arnhem met Anna Jansen."),
        (
            "m.md",
            "Anna Jansen sprak in Utrecht met de NAVO en Jan Smit.",
        ),
        (
            "a.txt",
            "President Maria Ortega landde in Madrid met Jan Smit.",
        ),
    ];
    let mut outputs = Vec::new();
    for (reverse, jobs) in [(false, "1"), (true, "2"), (false, "2"), (true, "1")] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("in")).unwrap();
        let mut order: Vec<_> = texts.iter().collect();
        if reverse {
            order.reverse();
        }
        for (name, text) in order {
            std::fs::write(dir.path().join("in").join(name), text).unwrap();
        }
        let o = kgx(&["extract", "-q", "-j", jobs, "in"], dir.path());
        assert!(o.status.success(), "{}", stderr(&o));
        outputs.push(o.stdout);
    }
    assert!(outputs.iter().all(|o| *o == outputs[0]));
}
