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
    /// Read Kustomize directories as plain files and skip Helm charts,
    /// instead of rendering them.
    pub no_render: bool,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            namespace: "default".to_string(),
            helm_values: Vec::new(),
            helm_set: Vec::new(),
            no_render: false,
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
    let mut walk = Walk::default();
    for path in paths {
        if path == "-" {
            let mut bytes = Vec::new();
            let file: Arc<str> = Arc::from("<stdin>");
            match std::io::stdin().read_to_end(&mut bytes) {
                Ok(_) => push_bytes(&mut out, file, std::mem::take(&mut bytes), errors),
                Err(e) => errors.push(err(&file, 0, format!("cannot read standard input: {e}"))),
            }
            continue;
        }
        let p = Path::new(path);
        match std::fs::metadata(p) {
            Ok(meta) if meta.is_dir() => walk.dir(p, false, options.no_render, errors, notes),
            Ok(_) => walk.files.push(p.to_path_buf()),
            Err(e) => errors.push(err(
                &Arc::from(path.as_str()),
                0,
                format!("cannot read `{path}`: {e}"),
            )),
        }
    }
    for file in &walk.files {
        read_file(file, &mut out, errors);
    }
    render_kustomizations(&walk.kustomize, &mut out, errors, notes);
    let helm: Vec<(PathBuf, Vec<SourceText>, Vec<InputError>)> = parallel(&walk.helm, |dir| {
        let mut texts = Vec::new();
        let mut errs = Vec::new();
        render::helm(dir, options, &mut texts, &mut errs);
        (dir.clone(), texts, errs)
    });
    for (_, texts, errs) in helm {
        out.extend(texts);
        errors.extend(errs);
    }
    out
}

/// What a directory walk found.
#[derive(Default)]
struct Walk {
    files: Vec<PathBuf>,
    /// Kustomize directories and their kustomization file.
    kustomize: Vec<(PathBuf, PathBuf)>,
    helm: Vec<PathBuf>,
    seen: HashSet<PathBuf>,
}

impl Walk {
    /// Walk `dir`. Files below a Kustomize directory are not collected: they
    /// reach the scan through rendering, and scanning them raw too would
    /// report every problem twice.
    fn dir(
        &mut self,
        dir: &Path,
        in_kustomize: bool,
        no_render: bool,
        errors: &mut Vec<InputError>,
        notes: &mut Vec<Note>,
    ) {
        // Symlinked directories could loop; visit each real directory once.
        if let Ok(real) = dir.canonicalize() {
            if !self.seen.insert(real) {
                return;
            }
        }
        let mut in_kustomize = in_kustomize;
        if no_render {
            if dir.join("Chart.yaml").is_file() {
                notes.push(Note {
                    file: Arc::from(dir.join("Chart.yaml").display().to_string()),
                    line: 1,
                    message: "Helm chart not rendered (--no-render); skipped".to_string(),
                });
                return;
            }
        } else if let Some(k) = KUSTOMIZATION_FILES
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.is_file())
        {
            in_kustomize = true;
            if is_component(&k) {
                notes.push(Note {
                    file: Arc::from(k.display().to_string()),
                    line: 1,
                    message:
                        "Kustomize component: rendered as part of the overlays that use it; skipped"
                            .to_string(),
                });
            } else {
                self.kustomize.push((dir.to_path_buf(), k));
            }
        } else if dir.join("Chart.yaml").is_file() {
            // Templates are not YAML until rendered; nothing below is read raw.
            self.helm.push(dir.to_path_buf());
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
            if path.is_dir() {
                self.dir(&path, in_kustomize, no_render, errors, notes);
            } else if !in_kustomize
                && is_manifest_name(name)
                && !(no_render && KUSTOMIZATION_FILES.contains(&name))
            {
                self.files.push(path);
            }
        }
    }
}

fn is_manifest_name(name: &str) -> bool {
    [".yaml", ".yml", ".json"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Render the Kustomize directories that no other one includes (the
/// overlays people deploy); a base is rendered on its own only when every
/// overlay using it failed to render. A directory that fails is scanned raw.
fn render_kustomizations(
    dirs: &[(PathBuf, PathBuf)],
    out: &mut Vec<SourceText>,
    errors: &mut Vec<InputError>,
    notes: &mut Vec<Note>,
) {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let index: std::collections::HashMap<PathBuf, usize> = dirs
        .iter()
        .enumerate()
        .map(|(i, (d, _))| (canonical(d), i))
        .collect();
    let refs: Vec<Vec<usize>> = dirs
        .iter()
        .map(|(dir, k)| {
            local_references(k)
                .iter()
                .filter_map(|r| index.get(&canonical(&dir.join(r))).copied())
                .collect()
        })
        .collect();
    let mut referenced = vec![false; dirs.len()];
    for r in refs.iter().flatten() {
        referenced[*r] = true;
    }
    let mut wave: Vec<usize> = (0..dirs.len()).filter(|&i| !referenced[i]).collect();
    let mut done = vec![false; dirs.len()];
    while !wave.is_empty() {
        for &i in &wave {
            done[i] = true;
        }
        let jobs: Vec<&(PathBuf, PathBuf)> = wave.iter().map(|&i| &dirs[i]).collect();
        let results = parallel(&jobs, |(dir, k)| {
            let mut texts = Vec::new();
            let mut errs = Vec::new();
            let ok = render::kustomize(dir, k, &mut texts, &mut errs);
            (ok, texts, errs)
        });
        let mut next = Vec::new();
        for (&i, (ok, texts, errs)) in wave.iter().zip(results) {
            out.extend(texts);
            errors.extend(errs);
            if !ok {
                let (dir, k) = &dirs[i];
                notes.push(Note {
                    file: Arc::from(k.display().to_string()),
                    line: 1,
                    message: "Kustomize rendering failed; the directory's own files were scanned as they are, \
                              and the bases it includes were rendered on their own"
                        .to_string(),
                });
                read_raw_dir(dir, out, errors);
                next.extend(refs[i].iter().copied().filter(|&r| !done[r]));
            }
        }
        next.sort_unstable();
        next.dedup();
        wave = next;
    }
}

/// The manifest files directly in `dir`, kustomization files excepted.
fn read_raw_dir(dir: &Path, out: &mut Vec<SourceText>, errors: &mut Vec<InputError>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_file() && is_manifest_name(name) && !KUSTOMIZATION_FILES.contains(&name) {
            read_file(&path, out, errors);
        }
    }
}

/// Local directories a kustomization includes (`resources`, `bases`, `components`).
fn local_references(kustomization: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(kustomization) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for chunk in crate::yaml::split_documents(&text) {
        let Ok((Some(node), _)) = crate::yaml::parse_document(chunk) else {
            continue;
        };
        for key in ["resources", "bases", "components"] {
            for item in node
                .get(key)
                .and_then(rampart_model::Node::as_seq)
                .unwrap_or(&[])
            {
                if let Some(s) = item.as_str().filter(|s| !s.contains("://")) {
                    out.push(s.to_string());
                }
            }
        }
    }
    out
}

/// Run `f` over `items` on a few threads: rendering is spent waiting on
/// child processes, so it overlaps well even on two cores. Results keep the
/// order of `items`.
fn parallel<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    const WORKERS: usize = 4;
    if items.len() <= 1 {
        return items.iter().map(&f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..WORKERS.min(items.len()))
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, f(item)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// A kustomization of `kind: Component` cannot be built on its own.
fn is_component(kustomization: &Path) -> bool {
    std::fs::read_to_string(kustomization)
        .is_ok_and(|t| t.lines().any(|l| l.trim_end() == "kind: Component"))
}

fn read_file(path: &Path, out: &mut Vec<SourceText>, errors: &mut Vec<InputError>) {
    let file: Arc<str> = Arc::from(path.display().to_string());
    match std::fs::read(path) {
        Ok(bytes) => push_bytes(out, file, bytes, errors),
        Err(e) => errors.push(err(&file, 0, format!("cannot read file: {e}"))),
    }
}

pub(crate) fn push_bytes(
    out: &mut Vec<SourceText>,
    file: Arc<str>,
    bytes: Vec<u8>,
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
fn decode(bytes: Vec<u8>) -> Result<String, (u32, String)> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    if let Some(pos) = bytes.iter().take(8192).position(|&b| b == 0) {
        return Err((
            line_at(&bytes, pos),
            "binary file (it contains NUL bytes), not a manifest; skipped".to_string(),
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        (
            line_at(e.as_bytes(), at),
            format!(
                "not valid UTF-8 (invalid byte at offset {at}); Kubernetes manifests must be UTF-8; skipped"
            ),
        )
    })
}

fn utf16(bytes: &[u8], conv: fn([u8; 2]) -> u16) -> Result<String, (u32, String)> {
    let units = bytes.chunks_exact(2).map(|c| conv([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| (1, "invalid UTF-16 text; skipped".to_string()))
}

fn line_at(bytes: &[u8], pos: usize) -> u32 {
    let n = bytes[..pos.min(bytes.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count();
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
        assert_eq!(decode(b"a: 1\n".to_vec()).as_deref(), Ok("a: 1\n"));
        let e = decode(b"a: 1\nb: \xff\n".to_vec()).expect_err("invalid");
        assert_eq!(e.0, 2);
        let e = decode(b"a\nb\nc\0".to_vec()).expect_err("binary");
        assert_eq!(e.0, 3);
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a: 1".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(utf16).as_deref(), Ok("a: 1"));
    }
}
