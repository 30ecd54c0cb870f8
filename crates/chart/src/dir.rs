//! Reading a chart directory into memory (Helm's `LoadDir` with `sympath.Walk`).
//!
//! Owns: the sorted walk, `.helmignore` application (with the default
//! `templates/.?*` rule), irregular-file and per-file size checks, BOM stripping,
//! and origanctl's symlink policy. Does not own: classifying files (`load`).
//!
//! Symlinks: Helm follows every symlink (logging "found symbolic link in path").
//! origanctl follows symlinks whose target stays inside the chart directory, and
//! refuses ones that point outside it unless [`LoadOptions::allow_external_symlinks`]
//! is set (then it behaves like Helm). Symlink loops are refused (Helm would recurse
//! until the path gets too long).

use std::fs;
use std::path::{Path, PathBuf};

use crate::archive::{BufferedFile, Limits, UTF8_BOM};
use crate::ignore::{HELM_IGNORE, IgnoreError, Rules};

/// Options for loading from disk.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub limits: Limits,
    /// Follow symlinks that lead outside the chart directory, as Helm does.
    pub allow_external_symlinks: bool,
}

/// Errors while reading a chart directory.
#[derive(Debug, thiserror::Error)]
pub enum DirError {
    #[error("{0}")]
    Ignore(#[from] IgnoreError),
    #[error("cannot load irregular file {0} as it has file mode type bits set")]
    Irregular(String),
    #[error("chart file {} is larger than the maximum file size {}", origan_semver::go_quote(.0), .1)]
    TooLarge(String, u64),
    #[error("error reading {0}: {1}")]
    Read(String, String),
    #[error("error evaluating symlink {0}: {1}")]
    Symlink(String, String),
    #[error("symbolic link {0} points outside the chart directory (to {1}); refusing to follow it")]
    SymlinkOutside(String, String),
    #[error("symbolic link loop at {0}")]
    SymlinkLoop(String),
    #[error("chart directory has more than {0} files")]
    TooManyFiles(usize),
    #[error("{0}")]
    Io(String),
}

/// Reads every non-ignored file of the chart directory `dir`.
pub fn load_dir_files(dir: &Path, opts: &LoadOptions) -> Result<Vec<BufferedFile>, DirError> {
    let top = fs::canonicalize(dir).map_err(|e| DirError::Io(format!("{e}")))?;
    let mut rules = Rules::empty();
    let ifile = top.join(HELM_IGNORE);
    if ifile.exists() {
        let text = fs::read(&ifile).map_err(|e| DirError::Io(format!("{e}")))?;
        rules = Rules::parse(&String::from_utf8_lossy(&text))?;
    }
    rules.add_defaults();
    let mut w = Walker {
        top: top.clone(),
        rules,
        opts,
        files: Vec::new(),
        stack: vec![top.clone()],
    };
    w.walk_dir(&top, "")?;
    Ok(w.files)
}

struct Walker<'a> {
    top: PathBuf,
    rules: Rules,
    opts: &'a LoadOptions,
    files: Vec<BufferedFile>,
    /// Canonical directories on the current path (loop detection).
    stack: Vec<PathBuf>,
}

impl Walker<'_> {
    fn walk_dir(&mut self, dir: &Path, rel: &str) -> Result<(), DirError> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .map_err(|e| DirError::Io(format!("{e}")))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        // Go sorts names bytewise.
        names.sort();
        for name in names {
            let path = dir.join(&name);
            let n = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            self.visit(&path, &n)?;
        }
        Ok(())
    }

    fn visit(&mut self, path: &Path, n: &str) -> Result<(), DirError> {
        let lmeta = fs::symlink_metadata(path).map_err(|e| DirError::Io(format!("{e}")))?;
        let meta = if lmeta.file_type().is_symlink() {
            let resolved = fs::canonicalize(path)
                .map_err(|e| DirError::Symlink(path.display().to_string(), e.to_string()))?;
            if !resolved.starts_with(&self.top) && !self.opts.allow_external_symlinks {
                return Err(DirError::SymlinkOutside(
                    n.to_string(),
                    resolved.display().to_string(),
                ));
            }
            fs::metadata(&resolved).map_err(|e| DirError::Io(format!("{e}")))?
        } else {
            lmeta
        };
        if meta.is_dir() {
            if self.rules.ignore(n, true) {
                return Ok(());
            }
            let canon = fs::canonicalize(path).map_err(|e| DirError::Io(format!("{e}")))?;
            if self.stack.contains(&canon) {
                return Err(DirError::SymlinkLoop(n.to_string()));
            }
            self.stack.push(canon);
            let r = self.walk_dir(path, n);
            self.stack.pop();
            return r;
        }
        if self.rules.ignore(n, false) {
            return Ok(());
        }
        if !meta.is_file() {
            return Err(DirError::Irregular(path.display().to_string()));
        }
        if meta.len() > self.opts.limits.max_file_size {
            let base = path
                .file_name()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            return Err(DirError::TooLarge(base, self.opts.limits.max_file_size));
        }
        if self.files.len() >= self.opts.limits.max_entries {
            return Err(DirError::TooManyFiles(self.opts.limits.max_entries));
        }
        let mut data = fs::read(path).map_err(|e| DirError::Read(n.to_string(), e.to_string()))?;
        // The file may have grown since it was measured.
        if data.len() as u64 > self.opts.limits.max_file_size {
            return Err(DirError::TooLarge(
                n.to_string(),
                self.opts.limits.max_file_size,
            ));
        }
        if data.starts_with(UTF8_BOM) {
            data.drain(..3);
        }
        let mod_time = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            // Go's tar writer rounds ModTime to the nearest second (halves
            // up) for USTAR headers; the packager only ever needs that.
            .map_or(0, |d| {
                d.as_secs() as i64 + i64::from(d.subsec_nanos() >= 500_000_000)
            });
        self.files.push(BufferedFile {
            name: n.to_string(),
            mod_time,
            data,
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn tmp(name: &str) -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("origan-chart-dir-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(d.join("chart/templates")).unwrap();
        fs::write(
            d.join("chart/Chart.yaml"),
            "apiVersion: v2\nname: c\nversion: 0.1.0\n",
        )
        .unwrap();
        d
    }

    fn names(files: &[BufferedFile]) -> Vec<&str> {
        files.iter().map(|f| f.name.as_str()).collect()
    }

    #[test]
    fn symlink_inside_is_followed() {
        let d = tmp("inside");
        fs::create_dir_all(d.join("chart/files")).unwrap();
        fs::write(d.join("chart/files/a.yaml"), "a: 1\n").unwrap();
        symlink("../files/a.yaml", d.join("chart/templates/l.yaml")).unwrap();
        symlink("files", d.join("chart/more")).unwrap();
        let files = load_dir_files(&d.join("chart"), &LoadOptions::default()).unwrap();
        assert_eq!(
            names(&files),
            [
                "Chart.yaml",
                "files/a.yaml",
                "more/a.yaml",
                "templates/l.yaml"
            ]
        );
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn symlink_outside_is_refused_unless_allowed() {
        let d = tmp("outside");
        fs::write(d.join("secret.txt"), "s\n").unwrap();
        symlink("../../secret.txt", d.join("chart/templates/s.txt")).unwrap();
        let e = load_dir_files(&d.join("chart"), &LoadOptions::default()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("symbolic link templates/s.txt points outside the chart directory"),
            "{e}"
        );
        let opts = LoadOptions {
            allow_external_symlinks: true,
            ..LoadOptions::default()
        };
        let files = load_dir_files(&d.join("chart"), &opts).unwrap();
        assert_eq!(names(&files), ["Chart.yaml", "templates/s.txt"]);
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn symlink_loop_is_refused() {
        let d = tmp("loop");
        symlink("..", d.join("chart/templates/up")).unwrap();
        let e = load_dir_files(&d.join("chart"), &LoadOptions::default()).unwrap_err();
        assert_eq!(e.to_string(), "symbolic link loop at templates/up");
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn oversized_file() {
        let d = tmp("big");
        let limits = Limits {
            max_file_size: 4,
            ..Limits::default()
        };
        fs::write(d.join("chart/templates/big.yaml"), "12345").unwrap();
        let opts = LoadOptions {
            limits,
            ..LoadOptions::default()
        };
        let e = load_dir_files(&d.join("chart"), &opts).unwrap_err();
        assert_eq!(
            e.to_string(),
            "chart file \"Chart.yaml\" is larger than the maximum file size 4"
        );
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn fifo_is_irregular() {
        let d = tmp("fifo");
        let fifo = d.join("chart/templates/pipe");
        let ok = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            return; // no mkfifo on this system
        }
        let e = load_dir_files(&d.join("chart"), &LoadOptions::default()).unwrap_err();
        assert!(
            e.to_string().starts_with("cannot load irregular file"),
            "{e}"
        );
        assert!(
            e.to_string().ends_with("as it has file mode type bits set"),
            "{e}"
        );
        fs::remove_dir_all(&d).unwrap();
    }
}
