//! Output of attack paths: a numbered narrative, JSON, DOT and Mermaid.

use std::fmt::Write;

use rampart_paths::{AttackPath, Cut};

fn location(step: &rampart_paths::Step) -> String {
    match &step.evidence.location {
        Some(l) if l.line > 0 => format!(" [{}:{}]", l.file, l.line),
        Some(l) => format!(" [{}]", l.file),
        None => String::new(),
    }
}

/// A narrative a person can follow: one numbered path after another.
pub fn paths_text(paths: &[AttackPath], cuts: &[Cut], limit: usize) -> String {
    let mut out = String::new();
    if paths.is_empty() {
        out.push_str("No attack path from the entry points to a critical target was found.\n(Entry points: internet-facing workloads, third-party components and mutable images; --assume-breach starts from every workload.)\n");
        return out;
    }
    let mut current = None;
    for (i, p) in paths.iter().take(limit).enumerate() {
        if current != Some(p.target) {
            let _ = writeln!(out, "== to {} ==\n", p.target.slug());
            current = Some(p.target);
        }
        let _ = writeln!(
            out,
            "Path {} ({} steps, likelihood {:.2}): {} -> {}",
            i + 1,
            p.steps.len(),
            p.likelihood,
            p.entry.display(),
            p.target.slug()
        );
        for (n, s) in p.steps.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {}. {} [{} {}]{}",
                n + 1,
                capitalise(&s.action),
                s.technique.id,
                s.technique.name,
                location(s)
            );
            if let Some(a) = &s.assumption {
                let _ = writeln!(out, "     assumes {a}");
            }
        }
        if !p.cut_by.is_empty() {
            let _ = writeln!(out, "  Cut by: {}", p.cut_by.join("; "));
        }
        out.push('\n');
    }
    if paths.len() > limit {
        let _ = writeln!(
            out,
            "... and {} more paths (--format json lists them all)\n",
            paths.len() - limit
        );
    }
    if !cuts.is_empty() {
        out.push_str("== what cuts the most paths ==\n\n");
        for c in cuts.iter().take(10) {
            let _ = writeln!(
                out,
                "  {:>4} path{}  {}",
                c.paths,
                if c.paths == 1 { " " } else { "s" },
                c.description
            );
        }
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// `paths --format json`: `paths` (target, entry, steps...) and `cuts`.
pub fn paths_json(paths: &[AttackPath], cuts: &[Cut]) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and serde_json writes UTF-8.
    let _ = write_paths_json(paths, cuts, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`paths_json`], streamed to `out` with the paths serialized in parallel
/// (`--assume-breach` on a large cluster gives hundreds of thousands).
pub fn write_paths_json(
    paths: &[AttackPath],
    cuts: &[Cut],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    out.write_all(b"{\n  \"paths\": ")?;
    crate::json::write_array(out, 1, paths, |p| p)?;
    out.write_all(b",\n  \"cuts\": ")?;
    crate::json::write_value(out, cuts)?;
    out.write_all(b"\n}\n")
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `paths --format dot`: every step of every path as an edge labelled with its technique.
pub fn paths_dot(paths: &[AttackPath]) -> String {
    let mut out =
        String::from("digraph attack_paths {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n");
    let mut seen = std::collections::BTreeSet::new();
    for p in paths {
        let _ = writeln!(
            out,
            "  {} [shape=doubleoctagon, style=filled, fillcolor=\"#f8d7da\"];",
            quote(p.target.slug())
        );
        for s in &p.steps {
            let to = if s.to == "cluster-admin" {
                p.target.slug().to_string()
            } else {
                s.to.clone()
            };
            if seen.insert((s.from.clone(), to.clone(), s.technique.id)) {
                let _ = writeln!(
                    out,
                    "  {} -> {} [label={}];",
                    quote(&s.from),
                    quote(&to),
                    quote(s.technique.id)
                );
            }
        }
        if let Some(last) = p.steps.last() {
            if last.to != p.target.slug()
                && seen.insert((last.to.clone(), p.target.slug().to_string(), ""))
            {
                let _ = writeln!(
                    out,
                    "  {} -> {} [style=dashed];",
                    quote(&last.to),
                    quote(p.target.slug())
                );
            }
        }
    }
    out.push_str("}\n");
    out
}

/// `paths --format mermaid`: one flowchart, shared steps merged.
pub fn paths_mermaid(paths: &[AttackPath]) -> String {
    let mut ids: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    let mut out = String::from("flowchart LR\n");
    let mut id = |name: &str, out: &mut String| -> String {
        let n = ids.len();
        let i = *ids.entry(name.to_string()).or_insert_with(|| {
            let label = name.replace('"', "'");
            let _ = writeln!(out, "  n{n}[\"{label}\"]");
            n
        });
        format!("n{i}")
    };
    let mut seen = std::collections::BTreeSet::new();
    for p in paths {
        for s in &p.steps {
            let a = id(&s.from, &mut out);
            let b = id(&s.to, &mut out);
            if seen.insert((a.clone(), b.clone())) {
                let _ = writeln!(out, "  {a} -->|{}| {b}", s.technique.id);
            }
        }
        if let Some(last) = p.steps.last() {
            let a = id(&last.to, &mut out);
            let b = id(p.target.slug(), &mut out);
            if a != b && seen.insert((a.clone(), b.clone())) {
                let _ = writeln!(out, "  {a} -.-> {b}");
            }
        }
    }
    out
}
