//! Times the full reachability matrix on a generated estate.
//!
//! ```sh
//! cargo run --release -p rampart-network --example matrix_bench -- [NAMESPACES] [WORKLOADS_PER_NS] [POLICIES_PER_NS]
//! ```
//!
//! Defaults: 500 namespaces x 20 workloads (10,000) and 4 policies per
//! namespace (2,000). The estate mixes default-deny, DNS egress, ipBlock
//! egress with `except`, named ports, cross-namespace AND peers, port ranges
//! and host-network DaemonSets, with ports varying by namespace so that many
//! distinct port sets exist. Building the inventory (JSON text, then the
//! loader) is not timed; `NetworkModel::build` and `matrix()` are, on one
//! thread.

use std::fmt::Write;
use std::time::Instant;

use rampart_load::{load_text, LoadOptions};
use rampart_network::NetworkModel;

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let namespaces = args.first().copied().unwrap_or(500);
    let per_ns = args.get(1).copied().unwrap_or(20);
    let policies_per_ns = args.get(2).copied().unwrap_or(4);

    let t = Instant::now();
    let json = estate(namespaces, per_ns, policies_per_ns);
    let inventory = load_text("estate.json", &json, &LoadOptions::default());
    assert!(
        inventory.errors.is_empty(),
        "{:?}",
        inventory.errors.first()
    );
    let load = t.elapsed();

    let t = Instant::now();
    let model = NetworkModel::build(&inventory);
    let build = t.elapsed();
    let t = Instant::now();
    let matrix = model.matrix();
    let matrix_time = t.elapsed();

    let stats = matrix.stats();
    let policies = inventory.of_kind("NetworkPolicy").count();
    println!(
        "estate: {} workloads, {policies} policies, {namespaces} namespaces ({} warnings)",
        stats.workloads,
        model.warnings().len()
    );
    println!("generate+load (not part of the figure): {load:.2?}");
    println!("NetworkModel::build: {build:.2?}");
    println!("matrix(): {matrix_time:.2?}");
    println!("build + matrix: {:.2?}", build + matrix_time);
    println!(
        "allowed workload pairs: {} of {} ({:.1}%)",
        stats.allowed_pairs,
        stats.possible_pairs,
        100.0 * stats.allowed_pairs as f64 / stats.possible_pairs.max(1) as f64
    );
    for x in matrix.externals() {
        println!(
            "workloads reaching {}: {}",
            model.endpoints()[x.0].name,
            matrix.sources(*x).len()
        );
    }
}

/// The estate as one JSON List, the shape of `kubectl get -o json`.
fn estate(namespaces: usize, per_ns: usize, policies_per_ns: usize) -> String {
    let mut items: Vec<String> = Vec::new();
    let tiers = ["web", "api", "db", "worker"];
    let envs = ["prod", "staging", "dev"];
    items.push(
        r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"coredns","namespace":"kube-system"},
        "spec":{"selector":{"matchLabels":{"k8s-app":"kube-dns"}},"template":{"metadata":{"labels":{"k8s-app":"kube-dns"}},
        "spec":{"containers":[{"name":"coredns","image":"coredns","ports":[{"containerPort":53,"name":"dns","protocol":"UDP"},
        {"containerPort":53,"name":"dns-tcp"}]}]}}}}"#
            .to_string(),
    );
    for n in 0..namespaces {
        let ns = format!("ns-{n:03}");
        let team = format!("team-{}", n % 25);
        let env = envs[n % 3];
        let monitoring = if n % 50 == 0 {
            r#","monitoring":"true""#
        } else {
            ""
        };
        items.push(format!(
            r#"{{"apiVersion":"v1","kind":"Namespace","metadata":{{"name":"{ns}","labels":{{"team":"{team}","env":"{env}"{monitoring}}}}}}}"#
        ));
        let web_port = 8000 + n % 40;
        for w in 0..per_ns {
            let tier = tiers[w % 4];
            let host = (n * per_ns + w) % 50 == 49;
            let (kind, host_field) = if host {
                ("DaemonSet", r#""hostNetwork":true,"#)
            } else {
                ("Deployment", "")
            };
            let ports = match tier {
                "db" => r#"[{"containerPort":5432,"name":"pg"},{"containerPort":9187,"name":"metrics"}]"#.to_string(),
                _ => format!(
                    r#"[{{"containerPort":{web_port},"name":"http"}},{{"containerPort":9090,"name":"metrics"}}]"#
                ),
            };
            items.push(format!(
                r#"{{"apiVersion":"apps/v1","kind":"{kind}","metadata":{{"name":"app-{w}","namespace":"{ns}"}},
                "spec":{{"selector":{{"matchLabels":{{"app":"app-{n}-{w}"}}}},"template":{{"metadata":{{"labels":
                {{"app":"app-{n}-{w}","tier":"{tier}","team":"{team}","version":"v{}"}}}},
                "spec":{{{host_field}"containers":[{{"name":"c","image":"img","ports":{ports}}}]}}}}}}}}"#,
                w % 3
            ));
        }
        let peer_team = format!("team-{}", (n * 7 + 3) % 25);
        let policies = [
            // 1. default deny (most namespaces) or allow within the namespace.
            if n % 5 != 4 {
                r#"{"podSelector":{},"policyTypes":["Ingress","Egress"]}"#.to_string()
            } else {
                r#"{"podSelector":{},"ingress":[{"from":[{"podSelector":{}}]}]}"#.to_string()
            },
            // 2. egress: DNS, own namespace, internet without metadata and VPC,
            //    prod APIs on their named port.
            r#"{"podSelector":{},"policyTypes":["Egress"],"egress":[
              {"to":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"kube-system"}},
                      "podSelector":{"matchLabels":{"k8s-app":"kube-dns"}}}],
               "ports":[{"port":53,"protocol":"UDP"},{"port":53,"protocol":"TCP"}]},
              {"to":[{"podSelector":{}}]},
              {"to":[{"ipBlock":{"cidr":"0.0.0.0/0","except":["169.254.169.254/32","10.0.0.0/8","172.16.0.0/12","192.168.0.0/16"]}}],
               "ports":[{"port":443}]},
              {"to":[{"namespaceSelector":{"matchLabels":{"env":"prod"}},"podSelector":{"matchLabels":{"tier":"api"}}}],
               "ports":[{"port":"http"}]}]}"#
                .to_string(),
            // 3. web: from ingress namespaces and the load balancer range.
            format!(
                r#"{{"podSelector":{{"matchLabels":{{"tier":"web"}}}},"ingress":[
                  {{"from":[{{"namespaceSelector":{{"matchLabels":{{"team":"{peer_team}"}}}}}},
                            {{"ipBlock":{{"cidr":"0.0.0.0/0","except":["10.0.0.0/8"]}}}}],
                   "ports":[{{"port":{web_port}}}]}}]}}"#
            ),
            // 4. api and db: from web in the namespace, from prod APIs of
            //    every namespace, from monitoring on metrics.
            r#"{"podSelector":{"matchExpressions":[{"key":"tier","operator":"In","values":["api","db"]}]},"ingress":[
              {"from":[{"podSelector":{"matchLabels":{"tier":"web"}}}],"ports":[{"port":"http"},{"port":"pg"}]},
              {"from":[{"namespaceSelector":{"matchExpressions":[{"key":"env","operator":"NotIn","values":["dev"]}]},
                        "podSelector":{"matchLabels":{"tier":"api"}}}],"ports":[{"port":8000,"endPort":8039}]},
              {"from":[{"namespaceSelector":{"matchLabels":{"monitoring":"true"}}}],"ports":[{"port":"metrics"}]}]}"#
                .to_string(),
        ];
        for p in 0..policies_per_ns {
            let spec = &policies[p % policies.len()];
            let mut item = String::new();
            let _ = write!(
                item,
                r#"{{"apiVersion":"networking.k8s.io/v1","kind":"NetworkPolicy","metadata":{{"name":"np-{p}","namespace":"{ns}"}},"spec":{spec}}}"#
            );
            items.push(item);
        }
    }
    format!(
        r#"{{"apiVersion":"v1","kind":"List","items":[{}]}}"#,
        items.join(",")
    )
}
