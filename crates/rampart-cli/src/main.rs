//! `rampart`: parse arguments, wire the stages, set the exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use rampart_checks::{Check, REGISTRY};
use rampart_load::LoadOptions;
use rampart_model::{Area, Config, Date, Severity};
use rampart_report::{render_json, render_sarif, render_text, Report, TextOptions};

#[derive(Parser)]
#[command(
    name = "rampart",
    version,
    about = "Kubernetes security review: find what is wrong, show how it chains, say what to fix first.",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan manifests, Kustomize overlays, Helm charts or `kubectl get -o json|yaml` dumps.
    Scan(ScanArgs),
    /// List the checks.
    Checks(ChecksArgs),
    /// Explain one check: why it matters and how to fix it.
    Explain {
        /// Check id, e.g. pss-privileged.
        id: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    Sarif,
}

#[derive(clap::Args)]
struct ScanArgs {
    /// Files or directories to scan (directories recursively: .yaml, .yml, .json); `-` reads stdin.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Write the output to FILE instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<String>,
    /// Exit 1 when a finding at or above this severity is found.
    #[arg(long, default_value = "high", value_parser = parse_severity)]
    fail_on: Severity,
    /// Namespace for namespaced objects that do not name one.
    #[arg(short = 'n', long, default_value = "default")]
    namespace: String,
    /// Values file for Helm charts (repeatable).
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    values: Vec<String>,
    /// `--set KEY=VALUE` for Helm charts (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Do not render Kustomize directories or Helm charts: read Kustomize
    /// directories as plain manifests and skip charts.
    #[arg(long)]
    no_render: bool,
    /// Configuration file (default: `.rampart.yaml` in the first scanned directory that has one).
    #[arg(long, value_name = "FILE")]
    config: Option<String>,
    /// Run only the checks of this area (repeatable).
    #[arg(long, value_parser = parse_area)]
    area: Vec<Area>,
    /// List skipped documents and other notes.
    #[arg(short, long)]
    verbose: bool,
    /// Never use colours.
    #[arg(long)]
    no_color: bool,
}

#[derive(clap::Args)]
struct ChecksArgs {
    /// Only the checks of this area.
    #[arg(long, value_parser = parse_area)]
    area: Option<Area>,
    /// Output format (text or json).
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Regenerate the rule documentation into DIR (docs/rules).
    #[arg(long, value_name = "DIR", hide = true)]
    write_docs: Option<String>,
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}

fn parse_area(s: &str) -> Result<Area, String> {
    s.parse()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Scan(args) => scan(args),
        Command::Checks(args) => checks(args),
        Command::Explain { id } => explain(&id),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn scan(args: ScanArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let options = LoadOptions {
        namespace: args.namespace.clone(),
        helm_values: args.values.clone(),
        helm_set: args.set.clone(),
        no_render: args.no_render,
    };
    let timing = std::env::var_os("RAMPART_TIMING").is_some();
    let inventory = rampart_load::load(&args.paths, &options);
    if timing {
        eprintln!("timing: load {:.3}s", started.elapsed().as_secs_f64());
    }
    let mut errors = inventory.errors.clone();
    let config = match rampart_load::config::discover(args.config.as_deref(), &args.paths) {
        Some(path) => {
            let (config, config_errors) = rampart_load::config::load_config(&path);
            errors.extend(config_errors);
            errors.extend(rampart_checks::suppress::validate(&config));
            config
        }
        None => Config::default(),
    };
    let checks: Vec<&'static Check> = REGISTRY
        .iter()
        .copied()
        .filter(|c| args.area.is_empty() || args.area.contains(&c.meta.area))
        .collect();
    let today = Date::today();
    let mut findings = rampart_checks::run_on(&inventory, &config, today, &checks);
    errors.extend(rampart_checks::suppress::apply(
        &mut findings,
        &inventory,
        &config,
        today,
    ));
    if timing {
        eprintln!("timing: analyse {:.3}s", started.elapsed().as_secs_f64());
    }
    let report = Report {
        findings: &findings,
        errors: &errors,
        notes: &inventory.notes,
        objects: inventory.objects.len(),
        files: inventory.files,
        checks: checks.len(),
        duration: started.elapsed(),
        fail_on: args.fail_on,
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = to_terminal && !args.no_color && std::env::var_os("NO_COLOR").is_none();
    let rendered = match args.format {
        Format::Text => render_text(
            &report,
            TextOptions {
                color,
                verbose: args.verbose,
            },
        ),
        Format::Json => render_json(&report),
        Format::Sarif => render_sarif(&report),
    };
    write_output(args.output.as_deref(), &rendered)?;
    if timing {
        eprintln!("timing: render {:.3}s", started.elapsed().as_secs_f64());
    }
    // With a machine format on stdout, input errors also go to stderr so that
    // a person running it sees them.
    if !matches!(args.format, Format::Text) || args.output.is_some() {
        for e in &errors {
            eprintln!("error: {}:{}: {}", e.file, e.line, e.message);
        }
    }
    Ok(if !errors.is_empty() {
        ExitCode::from(2)
    } else if report.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_output(path: Option<&str>, text: &str) -> anyhow::Result<()> {
    match path {
        Some(p) => std::fs::write(p, text).map_err(|e| anyhow::anyhow!("cannot write `{p}`: {e}")),
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`rampart scan . | head`) is not an error.
            let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
            Ok(())
        }
    }
}

fn checks(args: ChecksArgs) -> anyhow::Result<ExitCode> {
    if let Some(dir) = args.write_docs {
        std::fs::create_dir_all(&dir)?;
        for (name, content) in rampart_checks::docs::all_pages() {
            std::fs::write(std::path::Path::new(&dir).join(name), content)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let selected: Vec<&Check> = REGISTRY
        .iter()
        .copied()
        .filter(|c| args.area.is_none_or(|a| c.meta.area == a))
        .collect();
    let text = match args.format {
        Format::Json => {
            let list: Vec<serde_json::Value> = selected
                .iter()
                .map(|c| {
                    let m = &c.meta;
                    serde_json::json!({
                        "id": m.id, "title": m.title, "area": m.area, "severity": m.severity,
                        "pss": m.pss, "rationale": m.rationale, "remediation": m.remediation,
                        "references": m.references,
                    })
                })
                .collect();
            serde_json::to_string_pretty(&list)? + "\n"
        }
        _ => {
            let mut s = String::new();
            for c in &selected {
                let m = &c.meta;
                s.push_str(&format!(
                    "{:<30} {:<9} {:<12} {}\n",
                    m.id,
                    m.severity,
                    m.area.slug(),
                    m.title
                ));
            }
            s.push_str(&format!("{} checks\n", selected.len()));
            s
        }
    };
    write_output(None, &text)?;
    Ok(ExitCode::SUCCESS)
}

fn explain(id: &str) -> anyhow::Result<ExitCode> {
    match rampart_checks::find(id) {
        Some(check) => {
            write_output(None, &rampart_checks::docs::rule_page(check))?;
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let close: Vec<&str> = REGISTRY
                .iter()
                .map(|c| c.meta.id)
                .filter(|cid| cid.contains(id) || id.contains(*cid))
                .collect();
            let hint = if close.is_empty() {
                "`rampart checks` lists them all".to_string()
            } else {
                format!("did you mean {}?", close.join(", "))
            };
            anyhow::bail!("no check `{id}`; {hint}")
        }
    }
}
