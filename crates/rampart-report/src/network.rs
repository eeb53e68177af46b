//! Output of the network queries: `reach` and `netmap`.

use std::collections::BTreeMap;
use std::fmt::Write;

use rampart_network::{Endpoint, EndpointId, Matrix, NetworkModel, SideExplanation, Verdict};
use serde_json::{json, Value};

fn name(model: &NetworkModel, id: EndpointId) -> String {
    model
        .endpoints()
        .get(id.0)
        .map_or_else(|| "?".to_string(), |e| e.name.clone())
}

fn side_text(out: &mut String, label: &str, who: &str, side: &SideExplanation) {
    let verdict = if side.allowed { "allows" } else { "denies" };
    let _ = writeln!(out, "  {label} at {who}: {verdict}. {}", side.reason);
    for p in &side.policies {
        let _ = writeln!(
            out,
            "    selected by {} ({}:{})",
            p.resource.display(),
            p.location.file,
            p.location.line
        );
    }
    for r in &side.allowing {
        let _ = writeln!(out, "    allowed by {}", r.describe());
    }
    for d in side.details.iter().take(8) {
        let _ = writeln!(out, "    - {d}");
    }
}

/// `reach` as text.
pub fn reach_text(model: &NetworkModel, v: &Verdict) -> String {
    let from = name(model, v.from);
    let to = name(model, v.to);
    let port = match (&v.port, &v.resolved_port) {
        (Some(_), Some(p)) => format!(" on {}/{}", p.port, p.protocol),
        (Some(q), None) => format!(" on {q:?}"),
        (None, _) => " on some port".to_string(),
    };
    let mut out = format!(
        "{}: {from} -> {to}{port}\n",
        if v.allowed { "ALLOWED" } else { "DENIED" }
    );
    side_text(&mut out, "egress", &from, &v.egress);
    side_text(&mut out, "ingress", &to, &v.ingress);
    for n in &v.notes {
        let _ = writeln!(out, "  note: {n}");
    }
    out
}

/// `reach` as JSON: `allowed`, the endpoints and both sides' explanation.
pub fn reach_json(model: &NetworkModel, v: &Verdict) -> String {
    let doc = json!({
        "allowed": v.allowed,
        "from": name(model, v.from),
        "to": name(model, v.to),
        "port": v.resolved_port,
        "egress": v.egress,
        "ingress": v.ingress,
        "notes": v.notes,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

fn workloads(model: &NetworkModel) -> Vec<&Endpoint> {
    model
        .endpoints()
        .iter()
        .filter(|e| e.is_workload())
        .collect()
}

/// Allowed workload pairs per (source namespace, destination namespace),
/// from each source's destinations (linear in the allowed pairs, not in
/// all pairs).
fn namespace_matrix(
    model: &NetworkModel,
    matrix: &Matrix,
) -> BTreeMap<(String, String), (usize, usize)> {
    let ws = workloads(model);
    let mut per_ns: BTreeMap<String, usize> = BTreeMap::new();
    for w in &ws {
        *per_ns
            .entry(w.namespace.clone().unwrap_or_default())
            .or_default() += 1;
    }
    // Namespaces numbered in order, and the number of every endpoint's.
    let names: Vec<&String> = per_ns.keys().collect();
    let k = names.len();
    let number: std::collections::HashMap<&str, usize> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    let ns_of: Vec<Option<usize>> = model
        .endpoints()
        .iter()
        .map(|e| {
            number
                .get(e.namespace.as_deref().unwrap_or_default())
                .copied()
        })
        .collect();
    use rayon::prelude::*;
    let allowed: Vec<usize> = ws
        .par_iter()
        .fold(
            || vec![0usize; k * k],
            |mut cells, a| {
                if let Some(src) = ns_of.get(a.id.0).copied().flatten() {
                    for b in matrix.destinations(a.id) {
                        if let Some(dst) = ns_of.get(b.0).copied().flatten() {
                            cells[src * k + dst] += 1;
                        }
                    }
                }
                cells
            },
        )
        .reduce(
            || vec![0usize; k * k],
            |mut x, y| {
                x.iter_mut().zip(y).for_each(|(a, b)| *a += b);
                x
            },
        );
    let mut out: BTreeMap<(String, String), (usize, usize)> = BTreeMap::new();
    for (i, (a, na)) in per_ns.iter().enumerate() {
        for (j, (b, nb)) in per_ns.iter().enumerate() {
            out.insert((a.clone(), b.clone()), (allowed[i * k + j], na * nb));
        }
    }
    out
}

/// `netmap` as text: the namespace matrix, then each workload's reach outside the cluster.
pub fn netmap_text(model: &NetworkModel, matrix: &Matrix) -> String {
    let ws = workloads(model);
    let namespaces: Vec<String> = ws
        .iter()
        .filter_map(|e| e.namespace.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let cells = namespace_matrix(model, matrix);
    let mut out = String::from(
        "Allowed workload pairs, source namespace (rows) to destination namespace (columns):\n\n",
    );
    let width = namespaces.iter().map(String::len).max().unwrap_or(4).max(6);
    let _ = write!(out, "{:width$}", "");
    for ns in &namespaces {
        let _ = write!(out, " {:>width$}", ns);
    }
    out.push('\n');
    for src in &namespaces {
        let _ = write!(out, "{src:width$}");
        for dst in &namespaces {
            let (ok, total) = cells
                .get(&(src.clone(), dst.clone()))
                .copied()
                .unwrap_or((0, 0));
            let _ = write!(out, " {:>width$}", format!("{ok}/{total}"));
        }
        out.push('\n');
    }
    out.push_str("\nOutside the cluster (workloads able to reach it):\n");
    for &ext in matrix.externals() {
        let reached: Vec<String> = ws
            .iter()
            .filter(|w| matrix.allowed(w.id, ext))
            .map(|w| w.name.clone())
            .collect();
        let _ = writeln!(
            out,
            "  {:<9} {}/{} workloads",
            name(model, ext),
            reached.len(),
            ws.len()
        );
    }
    let stats = matrix.stats();
    let _ = writeln!(
        out,
        "\n{} of {} workload pairs can connect.",
        stats.allowed_pairs, stats.possible_pairs
    );
    out
}

/// `netmap --format json`: the workloads, then for each one the indices of
/// the workloads it can reach (an adjacency list: the full edge list of a
/// large cluster would not fit in memory), external reach and the
/// namespace matrix.
pub fn netmap_json(model: &NetworkModel, matrix: &Matrix) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail, and everything written is UTF-8.
    let _ = write_netmap_json(model, matrix, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`netmap_json`], streamed to `out`: the adjacency list of a large
/// cluster runs to gigabytes, so its rows are formatted in parallel, a batch
/// at a time, and never held whole.
pub fn write_netmap_json(
    model: &NetworkModel,
    matrix: &Matrix,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let ws = workloads(model);
    // Position in `ws` of each endpoint id (a dense table, not a hash: it is
    // read once per allowed pair).
    let mut index: Vec<Option<usize>> = vec![None; model.endpoints().len()];
    for (i, w) in ws.iter().enumerate() {
        if let Some(slot) = index.get_mut(w.id.0) {
            *slot = Some(i);
        }
    }
    let position = |id: EndpointId| index.get(id.0).copied().flatten();
    out.write_all(b"{\n  \"workloads\": ")?;
    let nodes: Vec<Value> = ws
        .iter()
        .map(|w| json!({"id": w.name, "namespace": w.namespace, "resource": w.resource, "hostNetwork": w.host_network}))
        .collect();
    serde_json::to_writer(&mut *out, &nodes)?;
    out.write_all(b",\n  \"reach\": [")?;
    crate::write_in_parallel(out, &ws, 256, |first, rows| {
        let mut text = String::new();
        for (r, a) in rows.iter().enumerate() {
            if first + r > 0 {
                text.push(',');
            }
            text.push_str("\n    [");
            let mut first = true;
            for j in matrix.destinations(a.id).filter_map(position) {
                if !first {
                    text.push(',');
                }
                first = false;
                push_decimal(&mut text, j);
            }
            text.push(']');
        }
        Ok(text.into_bytes())
    })?;
    out.write_all(b"\n  ],\n  \"external\": ")?;
    let external: BTreeMap<String, Vec<usize>> = matrix
        .externals()
        .iter()
        .map(|&e| {
            let reached = matrix.sources(e).into_iter().filter_map(position).collect();
            (name(model, e), reached)
        })
        .collect();
    serde_json::to_writer(&mut *out, &external)?;
    let namespaces: Vec<Value> = namespace_matrix(model, matrix)
        .into_iter()
        .map(|((s, d), (ok, total))| json!({"from": s, "to": d, "allowed": ok, "pairs": total}))
        .collect();
    out.write_all(b",\n  \"namespaces\": ")?;
    serde_json::to_writer(&mut *out, &namespaces)?;
    out.write_all(b"\n}\n")
}

/// Append `n` in decimal (the adjacency list holds millions of numbers).
fn push_decimal(text: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        text.push(char::from(d));
    }
}

fn dot_id(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\\\""))
}

/// `netmap --format dot`: workloads clustered by namespace, allowed edges
/// between namespaces' workloads, and edges to external endpoints.
pub fn netmap_dot(model: &NetworkModel, matrix: &Matrix) -> String {
    let ws = workloads(model);
    let mut out =
        String::from("digraph netmap {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n");
    let mut by_ns: BTreeMap<String, Vec<&Endpoint>> = BTreeMap::new();
    for w in &ws {
        by_ns
            .entry(w.namespace.clone().unwrap_or_default())
            .or_default()
            .push(w);
    }
    for (i, (ns, members)) in by_ns.iter().enumerate() {
        let _ = writeln!(out, "  subgraph cluster_{i} {{\n    label={};", dot_id(ns));
        for w in members {
            let _ = writeln!(out, "    {};", dot_id(&w.name));
        }
        out.push_str("  }\n");
    }
    for &e in matrix.externals() {
        let _ = writeln!(
            out,
            "  {} [shape=ellipse, style=filled, fillcolor=\"#fde2e2\"];",
            dot_id(&name(model, e))
        );
    }
    for a in &ws {
        for b in matrix.destinations(a.id) {
            if b != a.id {
                let _ = writeln!(out, "  {} -> {};", dot_id(&a.name), dot_id(&name(model, b)));
            }
        }
        for &e in matrix.externals() {
            if matrix.allowed(a.id, e) {
                let _ = writeln!(
                    out,
                    "  {} -> {} [color=red];",
                    dot_id(&a.name),
                    dot_id(&name(model, e))
                );
            }
        }
    }
    out.push_str("}\n");
    out
}

/// `netmap --format mermaid`: the namespace-level graph (readable at any size).
pub fn netmap_mermaid(model: &NetworkModel, matrix: &Matrix) -> String {
    let cells = namespace_matrix(model, matrix);
    let ws = workloads(model);
    let id = |s: &str| {
        s.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect::<String>()
    };
    let mut out = String::from("graph LR\n");
    for ((s, d), (ok, total)) in &cells {
        if *ok > 0 && s != d {
            let _ = writeln!(
                out,
                "  ns_{}[{s}] -->|{ok}/{total}| ns_{}[{d}]",
                id(s),
                id(d)
            );
        }
    }
    for &e in matrix.externals() {
        let ext = name(model, e);
        let mut per_ns: BTreeMap<String, usize> = BTreeMap::new();
        for w in ws.iter().filter(|w| matrix.allowed(w.id, e)) {
            *per_ns
                .entry(w.namespace.clone().unwrap_or_default())
                .or_default() += 1;
        }
        for (ns, n) in per_ns {
            let _ = writeln!(
                out,
                "  ns_{}[{ns}] -.->|{n}| ext_{}(({ext}))",
                id(&ns),
                id(&ext)
            );
        }
    }
    out
}
