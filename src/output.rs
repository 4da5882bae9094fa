//! Writing output files whole or not at all.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context;

/// Writes a file through `write`: into a temporary file beside `path`, then
/// renamed over it, so that a failure (full disk, a bug, Ctrl-C) never leaves
/// a half-written or truncated output behind and an existing file is only
/// replaced by a complete one.
///
/// A path that exists but is not a regular file (`/dev/stdout`, a named
/// pipe) is written to directly: it cannot be replaced, and must not be.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    write_atomically_through(path, true, |f| Box::new(f), write)
}

/// [`write_atomically`] without waiting for the data to reach the disk:
/// still whole or not at all for every reader, but after a power cut the
/// file may be lost. For the thousands of `--per-doc` files, where one
/// `fsync` each would cost more than the extraction.
pub fn write_atomically_unsynced(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    write_atomically_through(path, false, |f| Box::new(f), write)
}

/// [`write_atomically`], with every byte for the file passing through the
/// writer `wrap` makes of it (tests use this to simulate a full disk).
fn write_atomically_through(
    path: &Path,
    sync: bool,
    wrap: impl FnOnce(File) -> Box<dyn Write>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let cannot_write = || format!("{}: cannot write", path.display());
    if let Ok(meta) = std::fs::metadata(path) {
        if meta.is_dir() {
            anyhow::bail!(
                "{}: is a directory; give a file name for the output",
                path.display()
            );
        }
        if !meta.is_file() {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(|| format!("{}: cannot open for writing", path.display()))?;
            let mut w = BufWriter::new(&f);
            write(&mut w).with_context(cannot_write)?;
            return w.flush().with_context(cannot_write);
        }
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => anyhow::bail!(
            "{}: {} is not a directory; choose another output path",
            path.display(),
            dir.display()
        ),
        Err(_) => anyhow::bail!(
            "{}: the directory {} does not exist (create it first)",
            path.display(),
            dir.display()
        ),
    }
    let tmp = tempfile::Builder::new()
        .prefix(".kgx-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| {
            format!(
                "{}: cannot create a file in {}",
                path.display(),
                dir.display()
            )
        })?;
    // `tmp` is deleted when dropped, so every early return below leaves
    // nothing behind.
    {
        let file = tmp.as_file().try_clone().with_context(cannot_write)?;
        let mut w = BufWriter::with_capacity(1 << 16, wrap(file));
        write(&mut w).with_context(cannot_write)?;
        w.flush().with_context(cannot_write)?;
    }
    if sync {
        tmp.as_file().sync_all().with_context(cannot_write)?;
    }
    // Temporary files are created private (0600); an output file should be
    // as readable as any other the user writes: keep the permissions of the
    // file it replaces, else rw-r--r--.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let perms = std::fs::metadata(path)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644));
        tmp.as_file()
            .set_permissions(perms)
            .with_context(|| format!("{}: cannot set permissions", path.display()))?;
    }
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("{}: cannot replace the file", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A disk that fills up after `room` bytes.
    struct FullDisk {
        inner: File,
        room: usize,
    }

    impl Write for FullDisk {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if buf.len() > self.room {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::StorageFull,
                    "No space left on device",
                ));
            }
            self.room -= buf.len();
            self.inner.write(buf)
        }
        fn flush(&mut self) -> std::io::Result<()> {
            self.inner.flush()
        }
    }

    fn files_in(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn full_disk_keeps_the_old_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("graph.json");
        std::fs::write(&out, "old and complete").unwrap();
        let big = vec![b'x'; 200_000];
        let err = write_atomically_through(
            &out,
            true,
            |f| {
                Box::new(FullDisk {
                    inner: f,
                    room: 1000,
                })
            },
            |w| w.write_all(&big),
        )
        .unwrap_err();
        let msg = format!("{err:#}");
        assert!(msg.contains("graph.json: cannot write"), "{msg}");
        assert!(msg.contains("No space left"), "{msg}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "old and complete");
        assert_eq!(files_in(dir.path()), ["graph.json"]);
    }

    #[test]
    fn failure_in_the_final_flush_is_caught_too() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("g.json");
        // Small enough to sit in the buffer until the flush.
        let err = write_atomically_through(
            &out,
            true,
            |f| Box::new(FullDisk { inner: f, room: 3 }),
            |w| w.write_all(b"0123456789"),
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("No space left"));
        assert!(files_in(dir.path()).is_empty());
    }

    #[test]
    fn replaces_an_existing_file_when_complete() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("g.json");
        std::fs::write(&out, "old").unwrap();
        write_atomically(&out, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "new");
        assert_eq!(files_in(dir.path()), ["g.json"]);
    }

    #[test]
    fn clear_errors_for_impossible_paths() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no/such/dir/g.json");
        let e = format!("{:#}", write_atomically(&missing, |_| Ok(())).unwrap_err());
        assert!(e.contains("does not exist"), "{e}");
        // A regular file as the parent: a path nobody, not even root, can create.
        let file = dir.path().join("plain");
        std::fs::write(&file, "x").unwrap();
        let e = format!(
            "{:#}",
            write_atomically(&file.join("g.json"), |_| Ok(())).unwrap_err()
        );
        assert!(e.contains("is not a directory"), "{e}");
        let e = format!(
            "{:#}",
            write_atomically(dir.path(), |_| Ok(())).unwrap_err()
        );
        assert!(e.contains("is a directory"), "{e}");
        // A write error from the exporter itself is reported, nothing is left.
        let out = dir.path().join("g.json");
        let e = write_atomically(&out, |_| Err(std::io::Error::other("exporter failed")));
        assert!(format!("{:#}", e.unwrap_err()).contains("exporter failed"));
        assert!(!out.exists());
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn devices_are_written_in_place_not_replaced() {
        // /dev/full fails every write with ENOSPC, like a full disk.
        let e = write_atomically(Path::new("/dev/full"), |w| w.write_all(&[b'x'; 100_000]));
        assert!(format!("{:#}", e.unwrap_err()).contains("/dev/full: cannot write"));
        assert!(!std::fs::metadata("/dev/full").unwrap().is_file());
        write_atomically(Path::new("/dev/null"), |w| w.write_all(b"ok")).unwrap();
    }
}
