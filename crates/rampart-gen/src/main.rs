//! `rampart-gen`: write a realistic Kubernetes estate of a chosen size from a seed.

use std::fs::File;
use std::io::{self, BufWriter};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, ValueEnum};
use rampart_gen::{write_dir, write_stream, Config, Format};

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// One `kubectl get -o json` style List.
    ListJson,
    /// The same List as YAML.
    ListYaml,
    /// A directory with one folder per namespace (requires -o).
    YamlDir,
    /// One multi-document YAML stream.
    YamlStream,
}

#[derive(Parser)]
#[command(
    name = "rampart-gen",
    version,
    about = "Write a realistic, deterministic Kubernetes estate for benchmarks and scale tests."
)]
struct Cli {
    /// Pods in the estate: the sum of replicas (DaemonSets count once per node); with --live,
    /// the number of Pod objects written.
    #[arg(long, value_name = "N")]
    pods: usize,
    /// Seed: the same seed and arguments give byte-identical output.
    #[arg(long, default_value_t = 1, value_name = "S")]
    seed: u64,
    /// Output layout.
    #[arg(long, value_enum, default_value = "list-json")]
    format: FormatArg,
    /// Output file (directory for yaml-dir); standard output when absent.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    output: Option<PathBuf>,
    /// Write a live-cluster dump: also the ReplicaSets, Jobs and Pods the controllers own, with
    /// uids, owner references and API-server defaults.
    #[arg(long)]
    live: bool,
    /// Namespaces [default: max(5, pods/200)].
    #[arg(long, value_name = "N")]
    namespaces: Option<usize>,
    /// ServiceAccounts, besides `default` (--live) and those of cluster add-ons and node agents
    /// [default: max(namespaces, pods/20)].
    #[arg(long, value_name = "N")]
    service_accounts: Option<usize>,
    /// Roles plus ClusterRoles [default: max(4, pods/5)].
    #[arg(long, value_name = "N")]
    roles: Option<usize>,
    /// RoleBindings plus ClusterRoleBindings [default: max(4, pods/5)].
    #[arg(long, value_name = "N")]
    bindings: Option<usize>,
    /// NetworkPolicies [default: max(3, pods/50)].
    #[arg(long, value_name = "N")]
    policies: Option<usize>,
    /// Nodes; each DaemonSet runs one pod per node [default: 3].
    #[arg(long, value_name = "N")]
    nodes: Option<usize>,
    /// list-json without indentation: one item per line (about a third of the size).
    #[arg(long)]
    compact: bool,
    /// Do not print the summary on standard error.
    #[arg(short, long)]
    quiet: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut cfg = Config::new(cli.pods, cli.seed, cli.live);
    if let Some(n) = cli.namespaces {
        cfg.namespaces = n.max(1);
        if cli.service_accounts.is_none() {
            cfg.service_accounts = (cli.pods / 20).max(cfg.namespaces);
        }
    }
    if let Some(n) = cli.service_accounts {
        cfg.service_accounts = n;
    }
    if let Some(n) = cli.roles {
        cfg.roles = n;
    }
    if let Some(n) = cli.bindings {
        cfg.bindings = n;
    }
    if let Some(n) = cli.policies {
        cfg.policies = n;
    }
    if let Some(n) = cli.nodes {
        cfg.nodes = n;
    }
    let format = match cli.format {
        FormatArg::ListJson if cli.compact => Format::ListJsonCompact,
        FormatArg::ListJson => Format::ListJson,
        _ if cli.compact => {
            eprintln!("rampart-gen: --compact applies to --format list-json only");
            return ExitCode::from(2);
        }
        FormatArg::ListYaml => Format::ListYaml,
        FormatArg::YamlDir => Format::YamlDir,
        FormatArg::YamlStream => Format::YamlStream,
    };
    let start = Instant::now();
    let result = match (format, &cli.output) {
        (Format::YamlDir, None) => {
            eprintln!("rampart-gen: --format yaml-dir needs -o DIRECTORY");
            return ExitCode::from(2);
        }
        (Format::YamlDir, Some(dir)) => write_dir(&cfg, dir),
        (_, Some(path)) => File::create(path)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))
            .and_then(|f| write_stream(&cfg, format, BufWriter::with_capacity(1 << 20, f))),
        (_, None) => write_stream(
            &cfg,
            format,
            BufWriter::with_capacity(1 << 20, io::stdout().lock()),
        ),
    };
    match result {
        Ok(stats) => {
            if !cli.quiet {
                eprintln!(
                    "rampart-gen: {} objects, {} pods, {:.1} MB in {} file(s), {:.2}s",
                    stats.objects,
                    stats.pods,
                    stats.bytes as f64 / 1e6,
                    stats.files,
                    start.elapsed().as_secs_f64()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rampart-gen: {e}");
            ExitCode::FAILURE
        }
    }
}
