//! Kustomize and Helm: render with the user's own tools, then read the output.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use rampart_model::InputError;

use crate::sources::{err, LoadOptions};
use crate::SourceText;

/// Render a Kustomize directory with `kubectl kustomize` (or `kustomize build`).
/// Returns whether it rendered.
pub(crate) fn kustomize(
    dir: &Path,
    kustomization: &Path,
    out: &mut Vec<SourceText>,
    errors: &mut Vec<InputError>,
) -> bool {
    let shown = dir.display().to_string();
    let file: Arc<str> = Arc::from(format!("{shown} (kubectl kustomize)"));
    let attempts: [(&str, &[&str]); 2] = [("kubectl", &["kustomize"]), ("kustomize", &["build"])];
    for (tool, args) in attempts {
        match Command::new(tool).args(args).arg(dir).output() {
            Ok(output) if output.status.success() => {
                push_rendered(out, file, output.stdout, false, errors);
                return true;
            }
            Ok(output) => {
                errors.push(err(
                    &Arc::from(kustomization.display().to_string()),
                    1,
                    format!(
                        "`{tool} {} {shown}` failed: {}",
                        args.join(" "),
                        first_lines(&output.stderr)
                    ),
                ));
                return false;
            }
            Err(_) => continue, // not installed: try the next tool
        }
    }
    errors.push(err(
        &Arc::from(kustomization.display().to_string()),
        1,
        format!(
            "{shown} is a Kustomize directory, and rendering it needs `kubectl` or `kustomize` on PATH; \
             install one, or render it yourself: `kubectl kustomize {shown} | rampart scan -`"
        ),
    ));
    false
}

/// Render a Helm chart with `helm template`.
pub(crate) fn helm(
    dir: &Path,
    options: &LoadOptions,
    out: &mut Vec<SourceText>,
    errors: &mut Vec<InputError>,
) {
    let shown = dir.display().to_string();
    let chart_file: Arc<str> = Arc::from(dir.join("Chart.yaml").display().to_string());
    let mut cmd = Command::new("helm");
    cmd.arg("template").arg("rampart").arg(dir);
    for values in &options.helm_values {
        cmd.arg("--values").arg(values);
    }
    for set in &options.helm_set {
        cmd.arg("--set").arg(set);
    }
    match cmd.output() {
        Ok(output) if output.status.success() => {
            let file: Arc<str> = Arc::from(shown.clone());
            push_rendered(out, file, output.stdout, true, errors);
        }
        Ok(output) => errors.push(err(
            &chart_file,
            1,
            format!("`helm template {shown}` failed: {}", first_lines(&output.stderr)),
        )),
        Err(_) => errors.push(err(
            &chart_file,
            1,
            format!(
                "{shown} is a Helm chart, and rendering it needs `helm` on PATH; install Helm, or \
                 render it yourself and pipe it in: `helm template NAME {shown} -f values.yaml | rampart scan -`"
            ),
        )),
    }
}

fn push_rendered(
    out: &mut Vec<SourceText>,
    file: Arc<str>,
    stdout: Vec<u8>,
    rendered: bool,
    errors: &mut Vec<InputError>,
) {
    match String::from_utf8(stdout) {
        Ok(text) => out.push(SourceText {
            file,
            text,
            json: false,
            rendered,
        }),
        Err(_) => errors.push(err(&file, 0, "rendered output is not UTF-8".to_string())),
    }
}

/// The template a document of `helm template` output came from
/// (`# Source: chart/templates/deployment.yaml`).
pub(crate) fn helm_source(chunk: &str) -> Option<String> {
    chunk
        .lines()
        .take_while(|l| l.starts_with('#') || l.starts_with("---") || l.trim().is_empty())
        .find_map(|l| l.strip_prefix("# Source: "))
        .map(|s| s.trim().to_string())
}

/// The gist of a tool's error output: warnings and log prefixes dropped,
/// bounded in length.
fn first_lines(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("# Warning") && !l.starts_with("Warning:"))
        .map(|l| match l.find("\"command failed\" err=") {
            Some(i) => l[i + "\"command failed\" err=".len()..]
                .trim_matches(['<', '"', ' '])
                .to_string(),
            None => l.to_string(),
        })
        .filter(|l| !l.is_empty())
        .take(3)
        .collect();
    let joined = if lines.is_empty() {
        "no error output".to_string()
    } else {
        lines.join(" / ")
    };
    match joined.char_indices().nth(400) {
        Some((i, _)) => format!("{}...", &joined[..i]),
        None => joined,
    }
}
