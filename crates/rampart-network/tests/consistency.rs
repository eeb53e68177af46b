//! The bitset matrix must agree with the pair-by-pair evaluation on random
//! estates that mix every feature: selectors with all operators, AND/OR
//! peers, ipBlocks, named ports, port ranges, protocols, host networking,
//! both policy directions and defaulted policyTypes.

use std::fmt::Write;

use rampart_load::{load_text, LoadOptions};
use rampart_network::NetworkModel;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const APPS: &[&str] = &["web", "api", "db", "cache", "worker"];
const TIERS: &[&str] = &["front", "back", "data"];
const TEAMS: &[&str] = &["red", "blue", "green"];
const PORT_NAMES: &[&str] = &["http", "metrics", "grpc"];
const CIDRS: &[(&str, &[&str])] = &[
    ("0.0.0.0/0", &["169.254.169.254/32", "10.0.0.0/8"]),
    ("10.0.0.0/8", &["10.0.0.0/9"]),
    ("192.168.0.0/16", &[]),
    ("::/0", &["fd00:ec2::254/128"]),
    ("169.254.0.0/16", &[]),
    ("8.8.0.0/16", &[]),
];

fn selector(rng: &mut Rng, keys: &[(&str, &[&str])]) -> String {
    let mut parts = Vec::new();
    if rng.chance(50) {
        let (k, values) = keys[rng.below(keys.len())];
        parts.push(format!("matchLabels: {{{k}: {}}}", rng.pick(values)));
    }
    if rng.chance(40) {
        let (k, values) = keys[rng.below(keys.len())];
        let expr = match rng.below(4) {
            0 => format!(
                "{{key: {k}, operator: In, values: [{}, {}]}}",
                rng.pick(values),
                rng.pick(values)
            ),
            1 => format!(
                "{{key: {k}, operator: NotIn, values: [{}]}}",
                rng.pick(values)
            ),
            2 => format!("{{key: {k}, operator: Exists}}"),
            _ => format!("{{key: {k}, operator: DoesNotExist}}"),
        };
        parts.push(format!("matchExpressions: [{expr}]"));
    }
    format!("{{{}}}", parts.join(", "))
}

fn ports(rng: &mut Rng) -> String {
    let mut items = Vec::new();
    for _ in 0..rng.below(3) {
        let protocol = match rng.below(6) {
            0 => ", protocol: UDP",
            1 => ", protocol: SCTP",
            2 => ", protocol: TCP",
            _ => "",
        };
        let item = match rng.below(4) {
            0 => format!("{{port: {}{protocol}}}", [80, 8080, 9090, 53][rng.below(4)]),
            1 => format!(
                "{{port: 8000, endPort: {}{protocol}}}",
                8000 + rng.below(200)
            ),
            2 => format!("{{port: {}{protocol}}}", rng.pick(PORT_NAMES)),
            _ => format!("{{protocol: {}}}", ["TCP", "UDP"][rng.below(2)]),
        };
        items.push(item);
    }
    if items.is_empty() && rng.chance(50) {
        String::new()
    } else {
        format!("\n    ports: [{}]", items.join(", "))
    }
}

fn peers(rng: &mut Rng, field: &str) -> String {
    if rng.chance(15) {
        return String::new();
    }
    let pod_keys: &[(&str, &[&str])] = &[("app", APPS), ("tier", TIERS)];
    let ns_keys: &[(&str, &[&str])] = &[
        ("team", TEAMS),
        ("kubernetes.io/metadata.name", &["ns0", "ns1", "ns2", "ns3"]),
    ];
    let mut list = Vec::new();
    for _ in 0..1 + rng.below(2) {
        let peer = match rng.below(4) {
            0 => format!("{{podSelector: {}}}", selector(rng, pod_keys)),
            1 => format!("{{namespaceSelector: {}}}", selector(rng, ns_keys)),
            2 => format!(
                "{{podSelector: {}, namespaceSelector: {}}}",
                selector(rng, pod_keys),
                selector(rng, ns_keys)
            ),
            _ => {
                let (cidr, except) = CIDRS[rng.below(CIDRS.len())];
                let except: Vec<String> = except.iter().map(|e| format!("\"{e}\"")).collect();
                format!(
                    "{{ipBlock: {{cidr: \"{cidr}\", except: [{}]}}}}",
                    except.join(", ")
                )
            }
        };
        list.push(peer);
    }
    format!("\n    {field}: [{}]", list.join(", "))
}

fn estate(seed: u64, pods: usize, policies: usize) -> String {
    let mut rng = Rng(seed);
    let mut out = String::new();
    for ns in 0..4 {
        let _ = write!(
            out,
            "apiVersion: v1\nkind: Namespace\nmetadata: {{name: ns{ns}, labels: {{team: {}}}}}\n---\n",
            rng.pick(TEAMS)
        );
    }
    for i in 0..pods {
        let ns = rng.below(5); // ns4 has no Namespace object
        let mut ports = Vec::new();
        for (j, name) in PORT_NAMES.iter().enumerate() {
            if rng.chance(50) {
                let protocol = if rng.chance(20) {
                    ", protocol: UDP"
                } else {
                    ""
                };
                ports.push(format!(
                    "{{containerPort: {}, name: {name}{protocol}}}",
                    [80, 8080, 8100][j] + rng.below(2)
                ));
            }
        }
        let host = if rng.chance(8) {
            "\n  hostNetwork: true"
        } else {
            ""
        };
        let tier = if rng.chance(70) {
            format!(", tier: {}", rng.pick(TIERS))
        } else {
            String::new()
        };
        let _ = write!(
            out,
            "apiVersion: v1\nkind: Pod\nmetadata: {{name: p{i}, namespace: ns{ns}, labels: {{app: {}{tier}}}}}\n\
             spec:{host}\n  containers: [{{name: c, image: x, ports: [{}]}}]\n---\n",
            rng.pick(APPS),
            ports.join(", ")
        );
    }
    for i in 0..policies {
        let ns = rng.below(5);
        let types = match rng.below(4) {
            0 => "\n  policyTypes: [Ingress]",
            1 => "\n  policyTypes: [Egress]",
            2 => "\n  policyTypes: [Ingress, Egress]",
            _ => "",
        };
        let pod_keys: &[(&str, &[&str])] = &[("app", APPS), ("tier", TIERS)];
        let _ = write!(
            out,
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: np{i}, namespace: ns{ns}}}\n\
             spec:\n  podSelector: {}{types}\n",
            selector(&mut rng, pod_keys)
        );
        for (field, peer_field) in [("ingress", "from"), ("egress", "to")] {
            match rng.below(4) {
                0 => {}
                1 => {
                    let _ = writeln!(out, "  {field}: []");
                }
                _ => {
                    let _ = writeln!(out, "  {field}:");
                    for _ in 0..1 + rng.below(2) {
                        let body = format!("{}{}", peers(&mut rng, peer_field), ports(&mut rng));
                        if body.is_empty() {
                            let _ = writeln!(out, "  - {{}}");
                        } else {
                            let _ = writeln!(out, "  -{}", body.replacen("\n    ", " ", 1));
                        }
                    }
                }
            }
        }
        out.push_str("---\n");
    }
    out
}

#[test]
fn matrix_agrees_with_reach_on_random_estates() {
    // Small estates for variety, larger ones to span several 64-workload
    // blocks of the bit matrix.
    let sizes = (1..=12u64)
        .map(|seed| (seed, 60, 25))
        .chain((13..=14).map(|seed| (seed, 200, 60)));
    for (seed, pods, policies) in sizes {
        let yaml = estate(seed * 7919, pods, policies);
        let inventory = load_text("random.yaml", &yaml, &LoadOptions::default());
        assert!(
            inventory.errors.is_empty(),
            "seed {seed}: {:?}",
            inventory.errors
        );
        let model = NetworkModel::build(&inventory);
        if std::env::var("DUMP").is_ok() {
            let _ = std::fs::write(format!("/tmp/estate-{seed}.yaml"), &yaml);
        }
        let rejected = model
            .warnings()
            .iter()
            .filter(|w| w.message.contains("would reject"))
            .count();
        assert!(
            rejected == 0,
            "seed {seed}: generated policies must be valid: {:?}",
            model.warnings()
        );
        let matrix = model.matrix();
        let n = model.workload_count();
        // Destinations are combined a strip of 64-workload blocks at a
        // time: strips of one and two blocks must give the same matrix.
        for strip in [1, 2] {
            let narrow = model.matrix_in_strips(strip);
            for s in 0..n {
                let from = model.endpoints()[s].id;
                for e in model.endpoints()[..n]
                    .iter()
                    .map(|e| e.id)
                    .chain(model.externals().iter().copied())
                {
                    assert_eq!(
                        narrow.allowed(from, e),
                        matrix.allowed(from, e),
                        "seed {seed}, strips of {strip}"
                    );
                }
            }
        }
        let mut allowed = 0;
        for s in 0..n {
            let from = model.endpoints()[s].id;
            let targets = model.endpoints()[..n]
                .iter()
                .map(|e| e.id)
                .chain(model.externals().iter().copied());
            for to in targets {
                let verdict = model.reach(from, to, None);
                let want = verdict.allowed;
                allowed += usize::from(want);
                assert_eq!(
                    matrix.allowed(from, to),
                    want,
                    "seed {seed}: {} -> {}\n{verdict:#?}",
                    model.endpoints()[s].name,
                    model.endpoints()[to.0].name
                );
            }
        }
        // The estates must exercise both answers.
        assert!(
            allowed > 0 && allowed < n * (n + 4),
            "seed {seed}: {allowed}"
        );
    }
}
