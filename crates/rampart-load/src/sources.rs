//! Finding and reading the sources the user named.

use std::collections::HashSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rampart_model::{InputError, Note};

use crate::{looks_like_json, render, SourceText};

/// How to load.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Namespace for namespaced objects that do not name one.
    pub namespace: String,
    /// `--values FILE` for `helm template` (repeatable).
    pub helm_values: Vec<String>,
    /// `--set KEY=VALUE` for `helm template` (repeatable).
    pub helm_set: Vec<String>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            namespace: "default".to_string(),
            helm_values: Vec::new(),
            helm_set: Vec::new(),
        }
    }
}

const KUSTOMIZATION_FILES: [&str; 3] = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

pub(crate) fn collect(
    paths: &[String],
    options: &LoadOptions,
    errors: &mut Vec<InputError>,
    notes: &mut Vec<Note>,
) -> Vec<SourceText> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for path in paths {
        if path == "-" {
            let mut bytes = Vec::new();
            let file: Arc<str> = Arc::from("<stdin>");
            match std::io::stdin().read_to_end(&mut bytes) {
                Ok(_) => push_bytes(&mut out, file, &bytes, errors),
                Err(e) => errors.push(err(&file, 0, format!("cannot read standard input: {e}"))),
            }
            continue;
        }
        let p = Path::new(path);
        match std::fs::metadata(p) {
            Ok(meta) if meta.is_dir() => walk(p, options, &mut out, errors, notes, &mut seen),
            Ok(_) => read_file(p, &mut out, errors),
            Err(e) => errors.push(err(
                &Arc::from(path.as_str()),
                0,
                format!("cannot read `{path}`: {e}"),
            )),
        }
    }
    out
}

fn walk(
    dir: &Path,
    options: &LoadOptions,
    out: &mut Vec<SourceText>,
    errors: &mut Vec<InputError>,
    notes: &mut Vec<Note>,
    seen: &mut HashSet<PathBuf>,
) {
    // Symlinked directories could loop; visit each real directory once.
    if let Ok(real) = dir.canonicalize() {
        if !seen.insert(real) {
            return;
        }
    }
    let kustomization = KUSTOMIZATION_FILES.iter().map(|f| dir.join(f)).find(|p| p.is_file());
    if let Some(k) = &kustomization {
        if is_component(k) {
            notes.push(Note {
                file: Arc::from(k.display().to_string()),
                line: 1,
                message: "Kustomize component: it is rendered as part of the overlays that use it; skipped".to_string(),
            });
            return;
        }
        if render::kustomize(dir, k, out, errors) {
            return;
        }
        // Rendering failed (reported as an error): scan the raw files so the
        // rest of what they hold is still checked.
        notes.push(Note {
            file: Arc::from(k.display().to_string()),
            line: 1,
            message: "Kustomize rendering failed; the directory's files were scanned as they are".to_string(),
        });
    } else if dir.join("Chart.yaml").is_file() {
        render::helm(dir, options, out, errors);
        return;
    }
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            let name: Arc<str> = Arc::from(dir.display().to_string());
            errors.push(err(&name, 0, format!("cannot read directory: {e}")));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if name.starts_with('.') {
            continue; // .git, .github, editor files, .rampart.yaml
        }
        if kustomization.is_some() && KUSTOMIZATION_FILES.contains(&name) {
            continue;
        }
        if path.is_dir() {
            walk(&path, options, out, errors, notes, seen);
        } else if [".yaml", ".yml", ".json"].iter().any(|ext| name.ends_with(ext)) {
            read_file(&path, out, errors);
        }
    }
}

/// A kustomization of `kind: Component` cannot be built on its own.
fn is_component(kustomization: &Path) -> bool {
    std::fs::read_to_string(kustomization)
        .is_ok_and(|t| t.lines().any(|l| l.trim_end() == "kind: Component"))
}

fn read_file(path: &Path, out: &mut Vec<SourceText>, errors: &mut Vec<InputError>) {
    let file: Arc<str> = Arc::from(path.display().to_string());
    match std::fs::read(path) {
        Ok(bytes) => push_bytes(out, file, &bytes, errors),
        Err(e) => errors.push(err(&file, 0, format!("cannot read file: {e}"))),
    }
}

pub(crate) fn push_bytes(
    out: &mut Vec<SourceText>,
    file: Arc<str>,
    bytes: &[u8],
    errors: &mut Vec<InputError>,
) {
    match decode(bytes) {
        Ok(text) => {
            let json = looks_like_json(&file, &text);
            out.push(SourceText {
                file,
                text,
                json,
                rendered: false,
            });
        }
        Err((line, message)) => errors.push(err(&file, line, message)),
    }
}

/// Bytes to text: UTF-8 (with or without BOM) or UTF-16 with a BOM.
fn decode(bytes: &[u8]) -> Result<String, (u32, String)> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    if let Some(pos) = bytes.iter().take(8192).position(|&b| b == 0) {
        return Err((
            line_at(bytes, pos),
            "binary file (it contains NUL bytes), not a manifest; skipped".to_string(),
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err((
            line_at(bytes, e.valid_up_to()),
            format!(
                "not valid UTF-8 (invalid byte at offset {}); Kubernetes manifests must be UTF-8; skipped",
                e.valid_up_to()
            ),
        )),
    }
}

fn utf16(bytes: &[u8], conv: fn([u8; 2]) -> u16) -> Result<String, (u32, String)> {
    let units = bytes.chunks_exact(2).map(|c| conv([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| (1, "invalid UTF-16 text; skipped".to_string()))
}

fn line_at(bytes: &[u8], pos: usize) -> u32 {
    let n = bytes[..pos.min(bytes.len())].iter().filter(|&&b| b == b'\n').count();
    u32::try_from(n + 1).unwrap_or(u32::MAX)
}

pub(crate) fn err(file: &Arc<str>, line: u32, message: String) -> InputError {
    InputError {
        file: file.clone(),
        line,
        message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_reports_the_line_of_bad_bytes() {
        assert_eq!(decode(b"a: 1\n").as_deref(), Ok("a: 1\n"));
        let e = decode(b"a: 1\nb: \xff\n").expect_err("invalid");
        assert_eq!(e.0, 2);
        let e = decode(b"a\nb\nc\0").expect_err("binary");
        assert_eq!(e.0, 3);
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a: 1".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(&utf16).as_deref(), Ok("a: 1"));
    }
}
