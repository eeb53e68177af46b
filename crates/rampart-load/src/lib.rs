//! Loaders: turn what the user points at (files, directories, stdin,
//! Kustomize overlays, Helm charts, `kubectl get -o json|yaml` dumps) into an
//! [`Inventory`].
//!
//! Loading never stops at the first problem: every unreadable file, broken
//! document or ill-typed field becomes an [`InputError`] naming the file and
//! line, and everything else is still loaded.

mod compose;
pub mod config;
pub mod json;
pub mod objects;
pub mod render;
pub mod sources;
pub mod yaml;

use std::sync::Arc;

use rampart_model::{InputError, Inventory, Node};
use rayon::prelude::*;

pub use sources::LoadOptions;

/// A parsed document with its origin, before it becomes objects.
pub(crate) struct Doc {
    pub file: Arc<str>,
    pub line: u32,
    pub node: Node,
}

/// Text read from one source, with the name findings will cite.
pub(crate) struct SourceText {
    pub file: Arc<str>,
    pub text: String,
    pub json: bool,
    /// For rendered output (Helm), the template each document came from.
    pub rendered: bool,
}

/// Load everything `paths` names. `-` reads standard input.
pub fn load(paths: &[String], options: &LoadOptions) -> Inventory {
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    let started = std::time::Instant::now();
    let texts = sources::collect(paths, options, &mut errors, &mut notes);
    timing("read", started);
    let files = texts.len();
    let (docs, parse_errors) = parse_all(&texts, &mut notes);
    timing("parsed", started);
    // The parsed trees own their data: the source text can go before the
    // objects are built.
    drop(texts);
    errors.extend(parse_errors);
    let mut inventory = objects::build(docs, options, &mut errors, &mut notes);
    timing("objects built", started);
    inventory.files = files;
    errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    inventory.errors = errors;
    inventory.notes = notes;
    inventory
}

/// Print a phase time to stderr when RAMPART_TIMING is set (benchmarks).
fn timing(name: &str, started: std::time::Instant) {
    if std::env::var_os("RAMPART_TIMING").is_some() {
        eprintln!("timing: {name} {:.3}s", started.elapsed().as_secs_f64());
    }
}

/// Load from in-memory text (tests, fuzzing, stdin).
pub fn load_text(name: &str, text: &str, options: &LoadOptions) -> Inventory {
    let file: Arc<str> = Arc::from(name);
    let texts = vec![SourceText {
        file,
        text: text.to_string(),
        json: looks_like_json(name, text),
        rendered: false,
    }];
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    let (docs, parse_errors) = parse_all(&texts, &mut notes);
    errors.extend(parse_errors);
    let mut inventory = objects::build(docs, options, &mut errors, &mut notes);
    inventory.files = 1;
    inventory.errors = errors;
    inventory.notes = notes;
    inventory
}

pub(crate) fn looks_like_json(name: &str, text: &str) -> bool {
    name.ends_with(".json") || text.trim_start().starts_with(['{', '['])
}

/// The note for `n` items of a List left out (see [`objects::drop_controlled_items`]).
fn skipped_message(n: usize) -> String {
    format!(
        "{n} items not kept: their controller is in the same List, and its pod template is theirs"
    )
}

/// Parse every document of every source, in parallel.
fn parse_all(
    texts: &[SourceText],
    notes: &mut Vec<rampart_model::Note>,
) -> (Vec<Doc>, Vec<InputError>) {
    struct Job<'a> {
        file: &'a Arc<str>,
        chunk: yaml::Chunk<'a>,
        source: Option<Arc<str>>,
    }
    let mut jobs = Vec::new();
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    for source in texts {
        if source.json {
            let parsed = json::parse(&source.text);
            if parsed.skipped > 0 {
                notes.push(rampart_model::Note {
                    file: source.file.clone(),
                    line: 1,
                    message: skipped_message(parsed.skipped),
                });
            }
            docs.extend(parsed.docs.into_iter().map(|d| Doc {
                file: source.file.clone(),
                line: d.line,
                node: d.node,
            }));
            if let Some((line, message)) = parsed.error {
                errors.push(InputError {
                    file: source.file.clone(),
                    line,
                    message,
                });
            }
            continue;
        }
        // Large streams are split in parallel.
        for chunk in yaml::split_documents_parallel(&source.text, yaml::SPLIT_SEGMENT) {
            let origin = if source.rendered {
                render::helm_source(chunk.text).map(|t| Arc::from(format!("{} ({t})", source.file)))
            } else {
                None
            };
            jobs.push(Job {
                file: &source.file,
                chunk,
                source: origin,
            });
        }
    }
    type Result = (Option<Doc>, Vec<InputError>, Option<rampart_model::Note>);
    let results: Vec<Result> = jobs
        .par_iter()
        .map(|job| {
            let file = job.source.clone().unwrap_or_else(|| job.file.clone());
            match yaml::parse_document(job.chunk) {
                Ok((node, problems)) => {
                    let errs = problems
                        .into_iter()
                        .map(|p| InputError {
                            file: file.clone(),
                            line: p.line,
                            message: p.message,
                        })
                        .collect();
                    let mut note = None;
                    let doc = node.map(|mut node| {
                        let skipped = objects::drop_controlled_items(&mut node);
                        if skipped > 0 {
                            note = Some(rampart_model::Note {
                                file: file.clone(),
                                line: node.line,
                                message: skipped_message(skipped),
                            });
                        }
                        Doc {
                            line: node.line,
                            file,
                            node,
                        }
                    });
                    (doc, errs, note)
                }
                Err(p) => (
                    None,
                    vec![InputError {
                        file,
                        line: p.line,
                        message: p.message,
                    }],
                    None,
                ),
            }
        })
        .collect();
    for (doc, errs, note) in results {
        docs.extend(doc);
        errors.extend(errs);
        notes.extend(note);
    }
    (docs, errors)
}
