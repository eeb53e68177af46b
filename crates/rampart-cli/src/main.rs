//! `rampart`: parse arguments, wire the stages, set the exit code.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};

/// Scans allocate millions of small strings and nodes: mimalloc packs them
/// tighter and faster than the system allocator (see docs/decisions.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use rampart_checks::{Check, REGISTRY};
use rampart_load::LoadOptions;
use rampart_model::{Area, Config, Date, Severity};
use rampart_report::{Report, TextOptions};

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
    /// Who can perform an action: every subject, with the binding and role that grant it.
    #[command(name = "who-can")]
    WhoCan(WhoCanArgs),
    /// Effective permissions of a subject (sa:NAMESPACE:NAME, user:NAME, group:NAME).
    Access(AccessArgs),
    /// Can FROM open a connection to TO? Explains which policies decide.
    Reach(ReachArgs),
    /// Who can reach whom: the namespace and workload matrix.
    Netmap(NetmapArgs),
    /// Attack paths: how an attacker gets from an entry point to cluster-admin, kube-system
    /// secrets, a node or a cloud identity.
    Paths(PathsArgs),
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
    /// Markdown, for pull-request comments (scan only).
    Markdown,
    /// One self-contained HTML report (scan only).
    Html,
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
struct WhoCanArgs {
    /// The verb: get, list, watch, create, update, patch, delete, impersonate, bind, escalate...
    verb: String,
    /// RESOURCE[.GROUP][/SUBRESOURCE] (pods, pods/exec, deployments.apps) or a URL (/healthz).
    resource: String,
    /// Files or directories holding the RBAC objects (as for `scan`).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// Only grants that apply in this namespace (default: any namespace, each grant with its scope).
    #[arg(short = 'n', long = "namespace")]
    namespace: Option<String>,
    /// The name of the object (rules with resourceNames match only their names).
    #[arg(long)]
    name: Option<String>,
    /// Output format (text or json).
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(clap::Args)]
struct AccessArgs {
    /// sa:NAMESPACE:NAME, user:NAME or group:NAME.
    subject: String,
    /// Files or directories holding the RBAC objects.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// Output format (text or json).
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(clap::Args)]
struct ReachArgs {
    /// Source: NAMESPACE/NAME, NAMESPACE/KIND/NAME, internet, private.
    from: String,
    /// Destination: NAMESPACE/NAME, NAMESPACE/KIND/NAME, internet, metadata, private, dns.
    to: String,
    /// Files or directories holding workloads and NetworkPolicies.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// PORT[/PROTOCOL] or a port name (default: any port).
    #[arg(long)]
    port: Option<String>,
    /// Namespace for objects that do not name one.
    #[arg(long = "default-namespace", default_value = "default")]
    default_namespace: String,
    /// Output format (text or json).
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Clone, Copy, ValueEnum)]
enum MapFormat {
    Text,
    Json,
    Dot,
    Mermaid,
}

#[derive(clap::Args)]
struct NetmapArgs {
    /// Files or directories holding workloads and NetworkPolicies.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// Namespace for objects that do not name one.
    #[arg(long = "default-namespace", default_value = "default")]
    default_namespace: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: MapFormat,
}

#[derive(clap::Args)]
struct PathsArgs {
    /// Files or directories to analyse.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<String>,
    /// Start from every workload, not only exposed ones.
    #[arg(long)]
    assume_breach: bool,
    /// Only paths from entries matching NAMESPACE/NAME (or part of it).
    #[arg(long)]
    from: Option<String>,
    /// Only paths to this target: cluster-admin, kube-system-secrets, node, cloud-identity.
    #[arg(long)]
    to: Option<String>,
    /// How many paths the text output narrates.
    #[arg(long, default_value = "20")]
    limit: usize,
    /// Namespace for objects that do not name one.
    #[arg(long = "default-namespace", default_value = "default")]
    default_namespace: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: MapFormat,
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
        Command::WhoCan(args) => who_can(args),
        Command::Reach(args) => reach(args),
        Command::Netmap(args) => netmap(args),
        Command::Paths(args) => paths_cmd(args),
        Command::Access(args) => access(args),
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
    let inventory = rampart_load::load(&args.paths, &options);
    phase("load", started);
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
    let ctx = rampart_checks::Context::new(&inventory, &config, today);
    // The checks and the attack paths share the analyses of `ctx` and run
    // side by side; those built in parallel are built first.
    ctx.prepare();
    let ((mut findings, exposure), computed) = rayon::join(
        || {
            let findings = rampart_checks::run_in(&ctx, &checks);
            phase("checks", started);
            let exposure = rampart_plan::Exposure {
                third_party: rampart_checks::third_party_workloads(&ctx),
                internet_facing: rampart_checks::internet_facing_workloads(&ctx),
                ..rampart_plan::Exposure::default()
            };
            (findings, exposure)
        },
        || {
            let computed = attack_paths(
                &ctx,
                &rampart_paths::Options {
                    extra_entries: rampart_checks::supply_chain_entries_in(&ctx),
                    ..rampart_paths::Options::default()
                },
            );
            phase("paths", started);
            computed
        },
    );
    errors.extend(rampart_checks::suppress::apply(
        &mut findings,
        &inventory,
        &config,
        today,
    ));
    let exposure = rampart_plan::Exposure {
        path_cuts: computed
            .cuts
            .iter()
            .map(|c| (c.action.clone(), c.description.clone(), c.paths))
            .collect(),
        ..exposure
    };
    let paths = computed.paths;
    let (plan, mut scores) = rayon::join(
        || {
            let plan = rampart_plan::plan(&findings, &inventory, &exposure);
            phase("plan", started);
            plan
        },
        || {
            let mut scores = rampart_plan::area_scores(&findings, &inventory, true, true);
            rampart_plan::score_paths(&mut scores, &paths);
            phase("scores", started);
            scores
        },
    );
    // Areas whose checks were not run (--area) are not assessed.
    let ran: std::collections::BTreeSet<Area> = checks.iter().map(|c| c.meta.area).collect();
    for s in &mut scores {
        if s.score.is_some() && s.area != Area::AttackPaths && !ran.contains(&s.area) {
            s.score = None;
            s.hint = Some("not selected with --area");
        }
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
        plan: &plan,
        scores: &scores,
        paths: &paths,
    };
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color = to_terminal && !args.no_color && std::env::var_os("NO_COLOR").is_none();
    let options = TextOptions {
        color,
        verbose: args.verbose,
    };
    let rendered = match args.format {
        // Streamed: a large report is never held whole in memory.
        Format::Text | Format::Json | Format::Sarif => None,
        Format::Markdown => Some(rampart_report::render_markdown(&report)),
        Format::Html => Some(rampart_report::render_html(&report)),
    };
    phase("render", started);
    write_with(args.output.as_deref(), |out| match &rendered {
        Some(text) => out.write_all(text.as_bytes()),
        None => match args.format {
            Format::Sarif => rampart_report::write_sarif(&report, out),
            Format::Text => rampart_report::write_text(&report, options, out),
            _ => rampart_report::write_json(&report, out),
        },
    })?;
    phase("write", started);
    // With a machine format on stdout, input errors also go to stderr so that
    // a person running it sees them.
    if !matches!(args.format, Format::Text) || args.output.is_some() {
        for e in &errors {
            eprintln!("error: {}:{}: {}", e.file, e.line, e.message);
        }
    }
    let code = if !errors.is_empty() {
        ExitCode::from(2)
    } else if report.failed() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    phase("exit", started);
    // See paths_cmd: the process ends here, the system reclaims the memory.
    std::mem::forget(findings);
    std::mem::forget(paths);
    std::mem::forget(plan);
    std::mem::forget(exposure);
    std::mem::forget(ctx);
    std::mem::forget(inventory);
    Ok(code)
}

/// Resources that are not namespaced, for `who-can` scoping.
const CLUSTER_SCOPED_RESOURCES: &[&str] = &[
    "nodes",
    "namespaces",
    "persistentvolumes",
    "clusterroles",
    "clusterrolebindings",
    "customresourcedefinitions",
    "storageclasses",
    "certificatesigningrequests",
    "signers",
    "mutatingwebhookconfigurations",
    "validatingwebhookconfigurations",
    "validatingadmissionpolicies",
    "validatingadmissionpolicybindings",
    "priorityclasses",
    "runtimeclasses",
    "csidrivers",
    "csinodes",
    "ingressclasses",
    "apiservices",
    "tokenreviews",
    "subjectaccessreviews",
    "selfsubjectaccessreviews",
    "selfsubjectrulesreviews",
    "volumeattachments",
    "podsecuritypolicies",
    "flowschemas",
    "prioritylevelconfigurations",
];

/// Load RBAC inputs for a query; input errors are printed, not fatal.
fn load_for_query(paths: &[String]) -> rampart_model::Inventory {
    let inventory = rampart_load::load(paths, &LoadOptions::default());
    for e in &inventory.errors {
        eprintln!("error: {}:{}: {}", e.file, e.line, e.message);
    }
    inventory
}

fn who_can(args: WhoCanArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let inventory = load_for_query(&args.paths);
    phase("load", started);
    let analysis = Instant::now();
    let model = rampart_rbac::RbacModel::build(&inventory);
    let query = if args.resource.starts_with('/') {
        rampart_report::rbac::WhoCanQuery {
            verb: args.verb.clone(),
            group: String::new(),
            resource: String::new(),
            subresource: None,
            name: None,
            namespace: None,
            url: Some(args.resource.clone()),
        }
    } else {
        let (base, sub) = match args.resource.split_once('/') {
            Some((b, s)) => (b, Some(s.to_string())),
            None => (args.resource.as_str(), None),
        };
        let (resource, group) = rampart_rbac::resource_group(base);
        let cluster_scoped = CLUSTER_SCOPED_RESOURCES.contains(&resource);
        if cluster_scoped && args.namespace.is_some() {
            anyhow::bail!("{resource} are cluster-scoped: drop -n/--namespace");
        }
        rampart_report::rbac::WhoCanQuery {
            verb: args.verb.clone(),
            group: group.to_string(),
            resource: resource.to_string(),
            subresource: sub,
            name: args.name.clone(),
            namespace: if cluster_scoped {
                None
            } else {
                Some(args.namespace.clone().unwrap_or_else(|| "*".to_string()))
            },
            url: None,
        }
    };
    let request = rampart_rbac::Request {
        verb: &query.verb,
        group: &query.group,
        resource: &query.resource,
        subresource: query.subresource.as_deref(),
        name: query.name.as_deref(),
        url: query.url.as_deref(),
    };
    let grants = model.who_can(&request, query.namespace.as_deref());
    phase("who-can (model + query)", analysis);
    let text = match args.format {
        Format::Json => rampart_report::rbac::who_can_json(&query, &grants),
        _ => rampart_report::rbac::who_can_text(&query, &grants),
    };
    write_output(None, &text)?;
    Ok(if inventory.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

/// Attack paths over the analyses the checks already built.
fn attack_paths(
    ctx: &rampart_checks::Context<'_>,
    options: &rampart_paths::Options,
) -> rampart_paths::Paths {
    rampart_paths::compute_exposed(
        ctx.inventory,
        ctx.pods(),
        ctx.rbac(),
        ctx.network(),
        ctx.matrix(),
        ctx.exposures(),
        options,
    )
}

/// Print a phase time to stderr when RAMPART_TIMING is set (benchmarks).
fn phase(name: &str, started: Instant) {
    if std::env::var_os("RAMPART_TIMING").is_some() {
        let rss = rampart_checks::check::resident_mb()
            .map(|mb| format!(" ({mb} MB resident)"))
            .unwrap_or_default();
        eprintln!(
            "timing: {name} {:.3}s{rss}",
            started.elapsed().as_secs_f64()
        );
    }
}

fn paths_cmd(args: PathsArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let inventory = load_with_namespace(&args.paths, &args.default_namespace);
    phase("load", started);
    let analysis = Instant::now();
    let config = Config::default();
    let ctx = rampart_checks::Context::new(&inventory, &config, Date::today());
    ctx.prepare();
    let to = match &args.to {
        Some(t) => Some(rampart_paths::Target::parse(t).ok_or_else(|| {
            anyhow::anyhow!("unknown target `{t}` (expected cluster-admin, kube-system-secrets, node or cloud-identity)")
        })?),
        None => None,
    };
    let options = rampart_paths::Options {
        assume_breach: args.assume_breach,
        extra_entries: rampart_checks::supply_chain_entries_in(&ctx),
        from: args.from.clone(),
        to,
    };
    let result = attack_paths(&ctx, &options);
    phase("paths", analysis);
    let text = match args.format {
        // Streamed: every path of every entry point can be a lot.
        MapFormat::Json => None,
        MapFormat::Dot => Some(rampart_report::paths::paths_dot(&result.paths)),
        MapFormat::Mermaid => Some(rampart_report::paths::paths_mermaid(&result.paths)),
        MapFormat::Text => Some(rampart_report::paths::paths_text(
            &result.paths,
            &result.cuts,
            args.limit,
        )),
    };
    write_with(None, |out| match &text {
        Some(text) => out.write_all(text.as_bytes()),
        None => rampart_report::paths::write_paths_json(&result.paths, &result.cuts, out),
    })?;
    phase("output", started);
    let code = if inventory.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    };
    // The process ends here: freeing millions of nodes one by one would only
    // delay the exit, so the memory goes back to the system with the process.
    std::mem::forget(result);
    std::mem::forget(ctx);
    std::mem::forget(inventory);
    Ok(code)
}

fn load_with_namespace(paths: &[String], namespace: &str) -> rampart_model::Inventory {
    let options = LoadOptions {
        namespace: namespace.to_string(),
        ..LoadOptions::default()
    };
    let inventory = rampart_load::load(paths, &options);
    for e in &inventory.errors {
        eprintln!("error: {}:{}: {}", e.file, e.line, e.message);
    }
    inventory
}

fn reach(args: ReachArgs) -> anyhow::Result<ExitCode> {
    let inventory = load_with_namespace(&args.paths, &args.default_namespace);
    let model = rampart_network::NetworkModel::build(&inventory);
    let from = model.find(&args.from).map_err(|e| anyhow::anyhow!(e))?;
    let to = model.find(&args.to).map_err(|e| anyhow::anyhow!(e))?;
    let port = match &args.port {
        Some(p) => Some(rampart_network::PortQuery::parse(p).map_err(|e| anyhow::anyhow!(e))?),
        None => None,
    };
    let verdict = model.reach(from, to, port);
    let text = match args.format {
        Format::Json => rampart_report::network::reach_json(&model, &verdict),
        _ => rampart_report::network::reach_text(&model, &verdict),
    };
    write_output(None, &text)?;
    Ok(if inventory.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn netmap(args: NetmapArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let inventory = load_with_namespace(&args.paths, &args.default_namespace);
    phase("load", started);
    let analysis = Instant::now();
    let model = rampart_network::NetworkModel::build(&inventory);
    let matrix = model.matrix();
    phase("netmap (model + matrix)", analysis);
    let text = match args.format {
        MapFormat::Text => Some(rampart_report::network::netmap_text(&model, &matrix)),
        // Streamed: the adjacency list of a large cluster runs to gigabytes.
        MapFormat::Json => None,
        MapFormat::Dot => Some(rampart_report::network::netmap_dot(&model, &matrix)),
        MapFormat::Mermaid => Some(rampart_report::network::netmap_mermaid(&model, &matrix)),
    };
    write_with(None, |out| match &text {
        Some(text) => out.write_all(text.as_bytes()),
        None => rampart_report::network::write_netmap_json(&model, &matrix, out),
    })?;
    phase("output", started);
    Ok(if inventory.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn access(args: AccessArgs) -> anyhow::Result<ExitCode> {
    let subject = rampart_rbac::Subject::parse(&args.subject).map_err(|e| anyhow::anyhow!(e))?;
    let inventory = load_for_query(&args.paths);
    let model = rampart_rbac::RbacModel::build(&inventory);
    let bindings = model.bindings_of(&subject);
    let text = match args.format {
        Format::Json => rampart_report::rbac::access_json(&subject, &bindings),
        _ => rampart_report::rbac::access_text(&subject, &bindings),
    };
    write_output(None, &text)?;
    Ok(if inventory.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn write_output(path: Option<&str>, text: &str) -> anyhow::Result<()> {
    write_with(path, |out| out.write_all(text.as_bytes()))
}

/// Write to `path`, or to standard output without one, through a buffer.
fn write_with(
    path: Option<&str>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    match path {
        Some(p) => {
            let file =
                std::fs::File::create(p).map_err(|e| anyhow::anyhow!("cannot write `{p}`: {e}"))?;
            let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
            write(&mut out)
                .and_then(|_| out.flush())
                .map_err(|e| anyhow::anyhow!("cannot write `{p}`: {e}"))
        }
        None => {
            let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
            // A closed pipe (`rampart scan . | head`) is not an error.
            let _ = write(&mut out).and_then(|_| out.flush());
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
