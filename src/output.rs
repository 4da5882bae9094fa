//! Writing output files whole or not at all.

use std::io::{BufWriter, Write};
use std::path::Path;

/// Writes a file through `write`: into a temporary file beside `path`, then
/// renamed over it, so that a failure (full disk, a bug, Ctrl-C) never leaves
/// a half-written or truncated output behind and an existing file is only
/// replaced by a complete one.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    use anyhow::Context;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        anyhow::bail!(
            "{}: the directory {} does not exist (create it first)",
            path.display(),
            dir.display()
        );
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
    {
        let mut w = BufWriter::new(tmp.as_file());
        write(&mut w).with_context(|| format!("{}: cannot write", path.display()))?;
        w.flush()
            .with_context(|| format!("{}: cannot write", path.display()))?;
    }
    tmp.as_file()
        .sync_all()
        .with_context(|| format!("{}: cannot write", path.display()))?;
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
