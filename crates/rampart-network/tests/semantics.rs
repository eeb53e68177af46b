//! NetworkPolicy semantics, one small manifest set per case, with expected
//! answers for chosen pairs and ports. Every case also checks that the
//! bitset matrix agrees with the pair-by-pair evaluation.

use rampart_load::{load_text, LoadOptions};
use rampart_network::{EndpointKind, NetworkModel, PortQuery, Verdict};

/// Namespaces `shop` (team=x, env=prod) and `other` (team=ops) are declared;
/// `free` exists only through its workloads.
const BASE: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: x, env: prod}}
---
apiVersion: v1
kind: Namespace
metadata: {name: other, labels: {team: ops}}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web, tier: frontend}}
spec:
  containers:
  - name: c
    image: nginx
    ports: [{containerPort: 8080, name: http}, {containerPort: 9090, name: metrics}]
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api, tier: backend}}
spec:
  containers:
  - name: c
    image: api
    ports: [{containerPort: 8000, name: http}, {containerPort: 9090, name: metrics}]
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db, tier: data}}
spec:
  containers:
  - name: c
    image: postgres
    ports: [{containerPort: 5432, name: pg}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
spec:
  containers: [{name: c, image: curl}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: other, labels: {app: client}}
spec:
  containers: [{name: c, image: curl}]
---
apiVersion: v1
kind: Pod
metadata: {name: monitor, namespace: other, labels: {app: monitor}}
spec:
  containers: [{name: c, image: prom}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: free, labels: {app: client}}
spec:
  containers: [{name: c, image: curl}]
---
apiVersion: v1
kind: Pod
metadata: {name: tool, namespace: free, labels: {app: tool, env: dev}}
spec:
  containers: [{name: c, image: tool}]
"#;

struct Case {
    model: NetworkModel,
}

impl Case {
    /// The base estate plus `extra` documents.
    fn new(extra: &str) -> Case {
        Case::raw(&format!("{BASE}\n---\n{extra}"))
    }

    fn raw(yaml: &str) -> Case {
        let inventory = load_text("case.yaml", yaml, &LoadOptions::default());
        assert!(inventory.errors.is_empty(), "{:?}", inventory.errors);
        let case = Case {
            model: NetworkModel::build(&inventory),
        };
        case.check_matrix();
        case
    }

    fn reach(&self, from: &str, to: &str, port: Option<&str>) -> Verdict {
        let m = &self.model;
        let from = m.find(from).unwrap_or_else(|e| panic!("{e}"));
        let to = m.find(to).unwrap_or_else(|e| panic!("{e}"));
        let port = port.map(|p| PortQuery::parse(p).unwrap_or_else(|e| panic!("{e}")));
        m.reach(from, to, port)
    }

    /// Assert each (from, to, port, allowed).
    fn expect(&self, cases: &[(&str, &str, Option<&str>, bool)]) -> &Case {
        for (from, to, port, want) in cases {
            let v = self.reach(from, to, *port);
            assert_eq!(
                v.allowed, *want,
                "{from} -> {to} on {port:?}: egress: {}; ingress: {}; notes: {:?}",
                v.egress.reason, v.ingress.reason, v.notes
            );
        }
        self
    }

    /// The matrix must agree with `reach` on every workload pair and every
    /// external column.
    fn check_matrix(&self) {
        let m = &self.model;
        let matrix = m.matrix();
        let n = m.workload_count();
        for s in 0..n {
            let from = m.endpoints()[s].id;
            for e in m.endpoints() {
                if !e.is_workload() && !m.externals().contains(&e.id) {
                    continue;
                }
                let want = m.reach(from, e.id, None).allowed;
                assert_eq!(
                    matrix.allowed(from, e.id),
                    want,
                    "matrix disagrees with reach for {} -> {}",
                    m.endpoints()[s].name,
                    e.name
                );
            }
        }
    }
}

// ---- no policy, isolation, policyTypes defaulting -------------------------

#[test]
fn without_policies_everything_is_allowed() {
    let c = Case::raw(BASE);
    c.expect(&[
        ("shop/web", "shop/db", None, true),
        ("other/client", "shop/db", Some("5432"), true),
        ("shop/web", "internet", None, true),
        ("shop/web", "metadata", None, true),
        ("shop/web", "private", None, true),
        ("shop/web", "dns", Some("udp/53"), true),
        ("internet", "shop/web", Some("8080"), true),
    ]);
    assert_eq!(c.model.isolation("shop"), (false, false));
    let v = c.reach("shop/web", "shop/db", None);
    assert!(!v.egress.isolated && !v.ingress.isolated);
}

#[test]
fn empty_pod_selector_without_rules_denies_all_ingress() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec:
  podSelector: {}
"#,
    );
    c.expect(&[
        ("shop/web", "shop/db", None, false),
        ("other/client", "shop/web", None, false),
        ("internet", "shop/web", None, false),
        ("shop/web", "shop/web", None, false),
        // Egress is not isolated: shop can still talk out.
        ("shop/web", "other/client", None, true),
        ("shop/web", "internet", None, true),
    ]);
    assert_eq!(c.model.isolation("shop"), (true, false));
    assert_eq!(c.model.isolation("other"), (false, false));
}

#[test]
fn absent_spec_pod_selector_selects_every_pod() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec:
  policyTypes: [Ingress]
"#,
    );
    c.expect(&[
        ("shop/client", "shop/db", None, false),
        ("shop/client", "shop/web", None, false),
    ]);
    assert_eq!(c.model.isolation("shop"), (true, false));
}

#[test]
fn ingress_rules_only_default_to_ingress_type() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: api}}}]
"#,
    );
    c.expect(&[
        ("shop/api", "shop/db", None, true),
        ("shop/web", "shop/db", None, false),
        // db's egress is untouched.
        ("shop/db", "internet", None, true),
        ("shop/db", "shop/web", None, true),
    ]);
}

#[test]
fn empty_egress_list_does_not_default_to_egress() {
    // SetDefaults_NetworkPolicy adds Egress only when len(egress) != 0.
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  egress: []
"#,
    );
    c.expect(&[
        ("shop/web", "internet", None, true),
        ("shop/web", "shop/db", None, true),
        ("shop/client", "shop/web", None, false),
    ]);
}

#[test]
fn egress_rules_make_the_default_ingress_and_egress() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  egress:
  - to: [{podSelector: {matchLabels: {app: api}}}]
"#,
    );
    c.expect(&[
        ("shop/web", "shop/api", None, true),
        ("shop/web", "shop/db", None, false),
        ("shop/web", "internet", None, false),
        // Ingress is isolated too, with no ingress rule.
        ("shop/client", "shop/web", None, false),
    ]);
    let v = c.reach("shop/web", "shop/db", None);
    assert!(
        v.egress
            .details
            .iter()
            .any(|d| d.contains("defaulted to [Ingress, Egress]")),
        "{:?}",
        v.egress.details
    );
}

#[test]
fn explicit_empty_policy_types_is_defaulted() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: []
  egress:
  - to: [{podSelector: {matchLabels: {app: api}}}]
"#,
    );
    c.expect(&[
        ("shop/web", "shop/db", None, false),
        ("shop/client", "shop/web", None, false),
    ]);
}

#[test]
fn egress_only_policy_leaves_ingress_open() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: no-egress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
"#,
    );
    c.expect(&[
        ("shop/web", "internet", None, false),
        ("shop/web", "dns", Some("udp/53"), false),
        ("shop/web", "shop/db", None, false),
        ("other/client", "shop/web", Some("8080"), true),
        ("internet", "shop/web", None, true),
    ]);
    assert_eq!(c.model.isolation("shop"), (false, true));
}

#[test]
fn rules_of_an_unlisted_direction_are_ignored_and_reported() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  ingress:
  - from: [{podSelector: {matchLabels: {app: api}}}]
  egress:
  - to: [{podSelector: {matchLabels: {app: api}}}]
"#,
    );
    c.expect(&[
        ("shop/db", "shop/web", None, true),
        ("shop/web", "shop/api", None, true),
        ("shop/web", "shop/db", None, false),
    ]);
    assert!(c.model.warnings().iter().any(|w| w
        .message
        .contains("ingress rules but policyTypes does not list Ingress")));
}

#[test]
fn deny_all_in_both_directions() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
"#,
    );
    c.expect(&[
        ("shop/web", "shop/web", None, false),
        ("shop/web", "shop/api", None, false),
        ("shop/web", "dns", None, false),
        ("shop/web", "internet", None, false),
        ("other/client", "shop/web", None, false),
        ("other/client", "other/monitor", None, true),
    ]);
    assert_eq!(c.model.isolation("shop"), (true, true));
    let v = c.reach("shop/web", "internet", None);
    assert!(v.egress.isolated && !v.egress.allowed);
    assert!(
        v.egress.reason.contains("no egress rule"),
        "{}",
        v.egress.reason
    );
}

#[test]
fn a_policy_selects_only_in_its_own_namespace() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: other}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
"#,
    );
    c.expect(&[
        ("shop/web", "shop/db", None, true),
        ("shop/web", "other/client", None, false),
        ("other/client", "shop/web", None, false),
    ]);
}

#[test]
fn ingress_with_one_empty_rule_allows_everything() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: shop}
spec:
  podSelector: {}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: open, namespace: shop}
spec:
  podSelector: {}
  ingress:
  - {}
"#,
    );
    c.expect(&[
        ("other/client", "shop/web", Some("1234"), true),
        ("internet", "shop/db", Some("udp/53"), true),
    ]);
    // Re-opened by an all-pods policy: not default-deny.
    assert_eq!(c.model.isolation("shop"), (false, false));
}

#[test]
fn empty_from_list_means_every_source() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from: []
    ports: [{port: 5432}]
"#,
    );
    c.expect(&[
        ("other/client", "shop/db", Some("5432"), true),
        ("internet", "shop/db", Some("5432"), true),
        ("other/client", "shop/db", Some("5433"), false),
    ]);
}

#[test]
fn empty_ingress_list_denies() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: []
"#,
    );
    c.expect(&[
        ("shop/api", "shop/db", None, false),
        ("shop/api", "shop/web", None, true),
    ]);
}

// ---- peers ---------------------------------------------------------------

#[test]
fn pod_selector_peer_is_limited_to_the_policy_namespace() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: client}}}]
"#,
    );
    c.expect(&[
        ("shop/client", "shop/web", None, true),
        ("other/client", "shop/web", None, false),
        ("free/client", "shop/web", None, false),
    ]);
}

#[test]
fn namespace_selector_alone_admits_every_pod_of_matching_namespaces() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {team: ops}}}]
"#,
    );
    c.expect(&[
        ("other/client", "shop/web", None, true),
        ("other/monitor", "shop/web", None, true),
        ("shop/client", "shop/web", None, false),
        ("free/client", "shop/web", None, false),
    ]);
}

#[test]
fn pod_and_namespace_selector_in_one_peer_are_anded() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: ops}}
      podSelector: {matchLabels: {app: client}}
"#,
    );
    c.expect(&[
        ("other/client", "shop/web", None, true),
        ("other/monitor", "shop/web", None, false),
        ("shop/client", "shop/web", None, false),
        ("free/client", "shop/web", None, false),
    ]);
}

#[test]
fn separate_peers_are_ored() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: ops}}
    - podSelector: {matchLabels: {app: client}}
"#,
    );
    c.expect(&[
        ("other/client", "shop/web", None, true),
        ("other/monitor", "shop/web", None, true),
        ("shop/client", "shop/web", None, true),
        ("free/client", "shop/web", None, false),
        ("shop/api", "shop/web", None, false),
    ]);
}

#[test]
fn empty_namespace_selector_means_every_namespace() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{namespaceSelector: {}}]
"#,
    );
    c.expect(&[
        ("free/tool", "shop/web", None, true),
        ("other/monitor", "shop/web", None, true),
        ("shop/db", "shop/web", None, true),
        // Pods only: not external addresses.
        ("internet", "shop/web", None, false),
        ("private", "shop/web", None, false),
    ]);
}

#[test]
fn empty_namespace_selector_with_pod_selector_matches_those_pods_anywhere() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {}
  ingress:
  - from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: client}}}]
"#,
    );
    c.expect(&[
        ("free/client", "shop/db", None, true),
        ("other/client", "shop/api", None, true),
        ("shop/client", "shop/web", None, true),
        ("other/monitor", "shop/web", None, false),
    ]);
}

#[test]
fn null_selector_in_a_peer_means_not_specified() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: ops}}
      podSelector: null
"#,
    );
    c.expect(&[
        ("other/monitor", "shop/web", None, true),
        ("shop/client", "shop/web", None, false),
    ]);
}

#[test]
fn namespace_name_label_selects_undeclared_namespaces() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: free}}
"#,
    );
    c.expect(&[
        ("free/client", "shop/web", None, true),
        ("free/tool", "shop/web", None, true),
        ("other/client", "shop/web", None, false),
    ]);
}

#[test]
fn namespace_name_label_cannot_be_overridden() {
    // The API server sets kubernetes.io/metadata.name to the name itself.
    let yaml = BASE.replace(
        "metadata: {name: other, labels: {team: ops}}",
        "metadata: {name: other, labels: {team: ops, kubernetes.io/metadata.name: shop}}",
    );
    let c = Case::raw(&format!(
        "{yaml}\n---\n{}",
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: other}}
"#
    ));
    c.expect(&[
        ("other/client", "shop/web", None, true),
        ("shop/client", "shop/web", None, false),
    ]);
}

#[test]
fn match_expressions_in() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchExpressions: [{key: tier, operator: In, values: [backend, data]}]}
  ingress: []
"#,
    );
    c.expect(&[
        ("shop/web", "shop/api", None, false),
        ("shop/web", "shop/db", None, false),
        ("shop/api", "shop/web", None, true),
        ("shop/api", "shop/client", None, true),
    ]);
}

#[test]
fn match_expressions_not_in_matches_absent_keys() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [frontend]}]}
  ingress: []
"#,
    );
    c.expect(&[
        ("shop/api", "shop/web", None, true),
        ("shop/web", "shop/api", None, false),
        // client has no tier label: NotIn selects it.
        ("shop/web", "shop/client", None, false),
    ]);
}

#[test]
fn match_expressions_exists_and_does_not_exist() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchExpressions: [{key: tier, operator: Exists}]}
  ingress:
  - from: [{podSelector: {matchExpressions: [{key: tier, operator: DoesNotExist}]}}]
"#,
    );
    c.expect(&[
        ("shop/client", "shop/web", None, true),
        ("shop/api", "shop/web", None, false),
        ("shop/web", "shop/client", None, true),
    ]);
}

#[test]
fn match_labels_and_match_expressions_are_anded() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels: {team: ops}
        matchExpressions: [{key: env, operator: NotIn, values: [prod]}]
      podSelector:
        matchLabels: {app: client}
        matchExpressions: [{key: env, operator: DoesNotExist}]
"#,
    );
    c.expect(&[
        ("other/client", "shop/web", None, true),
        ("other/monitor", "shop/web", None, false),
        ("free/client", "shop/web", None, false),
    ]);
}

#[test]
fn namespace_selector_expressions_use_namespace_labels() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - namespaceSelector:
        matchExpressions: [{key: team, operator: NotIn, values: [ops]}]
"#,
    );
    c.expect(&[
        // shop (team=x) and free (no team label) match NotIn.
        ("shop/api", "shop/db", None, true),
        ("free/tool", "shop/db", None, true),
        ("other/client", "shop/db", None, false),
    ]);
}

// ---- ipBlock and external endpoints ---------------------------------------

#[test]
fn ip_block_except_blocks_the_metadata_service() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}}]
"#,
    );
    c.expect(&[
        ("shop/web", "internet", None, true),
        ("shop/web", "metadata", None, false),
        ("shop/web", "private", None, true),
        // ipBlock never matches pods.
        ("shop/web", "shop/db", None, false),
        ("shop/web", "dns", Some("udp/53"), false),
    ]);
}

#[test]
fn ipv6_metadata_leaks_when_only_ipv4_is_excepted() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock: {cidr: 0.0.0.0/0, except: [169.254.169.254/32]}
    - ipBlock: {cidr: "::/0"}
"#,
    );
    c.expect(&[
        ("shop/web", "metadata", None, true),
        ("shop/web", "internet", None, true),
    ]);
    let v = c.reach("shop/web", "metadata", None);
    assert!(
        v.egress
            .allowing
            .iter()
            .any(|r| r.peer.contains("fd00:ec2::254")),
        "{:?}",
        v.egress.allowing
    );
}

#[test]
fn ipv6_blocks_with_except() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: "::/0", except: ["fd00:ec2::254/128"]}}]
"#,
    );
    c.expect(&[
        ("shop/web", "internet", None, true),
        ("shop/web", "metadata", None, false),
        // No IPv6 address stands for the private range.
        ("shop/web", "private", None, false),
    ]);
}

#[test]
fn private_ranges_only() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: 10.20.0.0/16}}]
    ports: [{port: 5432}]
"#,
    );
    c.expect(&[
        ("shop/api", "private", None, true),
        ("shop/api", "private", Some("5432"), true),
        ("shop/api", "private", Some("443"), false),
        ("shop/api", "internet", None, false),
        ("shop/api", "metadata", None, false),
        ("shop/web", "internet", None, true),
    ]);
}

#[test]
fn ingress_from_internet_needs_an_ip_block() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: public, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - ipBlock:
        cidr: 0.0.0.0/0
        except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]
    ports: [{port: 8080}]
"#,
    );
    c.expect(&[
        ("internet", "shop/web", Some("8080"), true),
        ("internet", "shop/web", Some("9090"), false),
        ("private", "shop/web", None, false),
        ("shop/client", "shop/web", None, false),
    ]);
    let v = c.reach("internet", "shop/web", Some("8080"));
    assert!(!v.egress.governed);
    assert!(v.notes.iter().any(|n| n.contains("Service or Ingress")));
}

#[test]
fn except_entirely_covering_the_range_blocks_it() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.0.0.0/9, 10.128.0.0/9]}
    - ipBlock: {cidr: 172.16.0.0/12, except: [172.16.0.0/12]}
"#,
    );
    // `except` equal to `cidr` is not a strict subset: the policy is invalid.
    assert!(c
        .model
        .warnings()
        .iter()
        .any(|w| w.message.contains("strict subset")));
    c.expect(&[
        ("shop/web", "private", None, true),
        ("shop/web", "internet", None, true),
    ]);

    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.0.0.0/9, 10.128.0.0/9]}
"#,
    );
    c.expect(&[("shop/web", "private", None, false)]);
}

// ---- ports ---------------------------------------------------------------

#[test]
fn numeric_ports_and_portless_queries() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - ports: [{port: 8080}]
"#,
    );
    c.expect(&[
        ("shop/client", "shop/web", Some("8080"), true),
        ("shop/client", "shop/web", Some("tcp/80"), false),
        ("shop/client", "shop/web", Some("udp/8080"), false),
        ("shop/client", "shop/web", None, true),
    ]);
    let v = c.reach("shop/client", "shop/web", None);
    let port = v.resolved_port.map(|p| (p.protocol.as_str(), p.port));
    assert_eq!(port, Some(("TCP", 8080)));
}

#[test]
fn named_ports_resolve_on_the_selected_pod_for_ingress() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchExpressions: [{key: app, operator: In, values: [web, api, db]}]}
  ingress:
  - ports: [{port: http}]
"#,
    );
    c.expect(&[
        ("shop/client", "shop/web", Some("8080"), true),
        ("shop/client", "shop/web", Some("8000"), false),
        ("shop/client", "shop/api", Some("8000"), true),
        ("shop/client", "shop/api", Some("8080"), false),
        ("shop/client", "shop/web", Some("http"), true),
        ("shop/client", "shop/web", Some("metrics"), false),
        // db declares no port named http: the rule admits nothing.
        ("shop/client", "shop/db", None, false),
    ]);
}

#[test]
fn named_ports_resolve_on_the_peer_for_egress() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {}}]
    ports: [{port: http}]
"#,
    );
    c.expect(&[
        ("shop/client", "shop/web", Some("8080"), true),
        ("shop/client", "shop/api", Some("8000"), true),
        ("shop/client", "shop/api", Some("8080"), false),
        ("shop/client", "shop/db", None, false),
        ("shop/client", "shop/db", Some("5432"), false),
    ]);
}

#[test]
fn named_port_protocol_must_match() {
    let c = Case::new(
        r#"
apiVersion: v1
kind: Pod
metadata: {name: resolver, namespace: shop, labels: {app: resolver}}
spec:
  containers:
  - name: c
    image: dns
    ports: [{containerPort: 53, name: dns, protocol: UDP}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: resolver}}
  ingress:
  - ports: [{port: dns}]
"#,
    );
    c.expect(&[
        ("shop/web", "shop/resolver", Some("udp/53"), false),
        ("shop/web", "shop/resolver", Some("tcp/53"), false),
        ("shop/web", "shop/resolver", None, false),
    ]);
    let c = Case::new(
        r#"
apiVersion: v1
kind: Pod
metadata: {name: resolver, namespace: shop, labels: {app: resolver}}
spec:
  containers:
  - name: c
    image: dns
    ports: [{containerPort: 53, name: dns, protocol: UDP}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: resolver}}
  ingress:
  - ports: [{port: dns, protocol: UDP}]
"#,
    );
    c.expect(&[
        ("shop/web", "shop/resolver", Some("udp/53"), true),
        ("shop/web", "shop/resolver", Some("udp/dns"), true),
        ("shop/web", "shop/resolver", Some("tcp/53"), false),
    ]);
}

#[test]
fn end_port_ranges_are_inclusive() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - ports: [{port: 8000, endPort: 8100}]
"#,
    );
    c.expect(&[
        ("shop/client", "shop/web", Some("8000"), true),
        ("shop/client", "shop/web", Some("8080"), true),
        ("shop/client", "shop/web", Some("8100"), true),
        ("shop/client", "shop/web", Some("8101"), false),
        ("shop/client", "shop/web", Some("7999"), false),
    ]);
}

#[test]
fn protocols_udp_and_sctp() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - ports: [{port: 53, protocol: UDP}, {port: 9999, protocol: SCTP}, {protocol: TCP, port: 443}]
"#,
    );
    c.expect(&[
        ("shop/client", "shop/web", Some("udp/53"), true),
        ("shop/client", "shop/web", Some("tcp/53"), false),
        ("shop/client", "shop/web", Some("sctp/9999"), true),
        ("shop/client", "shop/web", Some("9999"), false),
        ("shop/client", "shop/web", Some("443"), true),
    ]);
}

#[test]
fn a_port_entry_without_port_admits_the_whole_protocol() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - ports: [{protocol: UDP}]
"#,
    );
    c.expect(&[
        ("shop/client", "shop/web", Some("udp/1"), true),
        ("shop/client", "shop/web", Some("udp/65535"), true),
        ("shop/client", "shop/web", Some("8080"), false),
    ]);
}

#[test]
fn portless_query_needs_a_port_both_sides_allow() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: api}}}]
    ports: [{port: 80}]
  - to: [{podSelector: {matchLabels: {app: db}}}]
    ports: [{port: 5000, endPort: 6000}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: in, namespace: shop}
spec:
  podSelector: {matchExpressions: [{key: app, operator: In, values: [api, db]}]}
  ingress:
  - ports: [{port: 8000}, {port: 5432}]
"#,
    );
    c.expect(&[
        ("shop/web", "shop/api", None, false),
        ("shop/web", "shop/api", Some("80"), false),
        ("shop/web", "shop/api", Some("8000"), false),
        ("shop/web", "shop/db", None, true),
        ("shop/web", "shop/db", Some("5432"), true),
    ]);
    let v = c.reach("shop/web", "shop/api", None);
    assert!(
        v.notes.iter().any(|n| n.contains("no common port")),
        "{:?}",
        v.notes
    );
    let v = c.reach("shop/web", "shop/db", None);
    assert_eq!(v.resolved_port.map(|p| p.port), Some(5432));
}

#[test]
fn invalid_ports_make_the_policy_ignored() {
    for bad in [
        r#"[{port: "80"}]"#,
        "[{port: 80, endPort: 70}]",
        "[{port: http, endPort: 90}]",
        "[{endPort: 90}]",
        "[{port: 70000}]",
        "[{port: 80, protocol: tcp}]",
        "[{port: 80, protocol: ICMP}]",
    ] {
        let c = Case::new(&format!(
            r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: p, namespace: shop}}
spec:
  podSelector: {{}}
  ingress:
  - ports: {bad}
"#
        ));
        assert!(
            c.model
                .warnings()
                .iter()
                .any(|w| w.message.contains("is ignored")),
            "{bad}: {:?}",
            c.model.warnings()
        );
        c.expect(&[("shop/client", "shop/web", Some("1"), true)]);
    }
}

#[test]
fn invalid_peers_make_the_policy_ignored() {
    for bad in [
        "[{}]",
        "[{ipBlock: {cidr: 0.0.0.0/0}, podSelector: {}}]",
        "[{ipBlock: {cidr: 10.0.0.0}}]",
        "[{ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/16]}}]",
        "[{podSelector: {matchExpressions: [{key: a, operator: In}]}}]",
        "[{podSelector: {matchLabels: {a: 1}}}]",
    ] {
        let c = Case::new(&format!(
            r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: p, namespace: shop}}
spec:
  podSelector: {{}}
  ingress:
  - from: {bad}
"#
        ));
        assert!(
            c.model
                .warnings()
                .iter()
                .any(|w| w.message.contains("is ignored")),
            "{bad}"
        );
        c.expect(&[("internet", "shop/web", None, true)]);
    }
}

// ---- unions across policies and directions --------------------------------

#[test]
fn rules_of_all_selecting_policies_are_unioned() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-client, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: client}}}]
    ports: [{port: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-monitoring, namespace: shop}
spec:
  podSelector: {matchLabels: {tier: frontend}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {team: ops}}, podSelector: {matchLabels: {app: monitor}}}]
    ports: [{port: metrics}]
"#,
    );
    c.expect(&[
        ("shop/client", "shop/web", Some("8080"), true),
        ("shop/client", "shop/web", Some("9090"), false),
        ("other/monitor", "shop/web", Some("9090"), true),
        ("other/monitor", "shop/web", Some("8080"), false),
        ("shop/api", "shop/web", None, false),
    ]);
    let v = c.reach("shop/client", "shop/web", Some("8080"));
    assert_eq!(v.ingress.policies.len(), 2);
    assert_eq!(v.ingress.allowing.len(), 1);
    assert_eq!(v.ingress.allowing[0].policy.resource.name, "from-client");
}

#[test]
fn a_connection_needs_egress_and_ingress() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-out, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: api}}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-in, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: client}}}]
"#,
    );
    c.expect(&[
        ("shop/web", "shop/api", None, false),
        ("shop/client", "shop/api", None, true),
        ("shop/web", "shop/db", None, false),
    ]);
    let v = c.reach("shop/web", "shop/api", None);
    assert!(v.egress.allowed, "{}", v.egress.reason);
    assert!(!v.ingress.allowed, "{}", v.ingress.reason);
    assert!(v
        .ingress
        .details
        .iter()
        .any(|d| d.contains("matches no entry of `from`")));
}

// ---- hostNetwork -----------------------------------------------------------

const HOST_AGENT: &str = r#"
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: shop}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostNetwork: true
      containers: [{name: c, image: agent, ports: [{containerPort: 9100, name: metrics}]}]
"#;

#[test]
fn host_network_pods_are_outside_network_policy() {
    let c = Case::new(&format!(
        "{HOST_AGENT}\n---\n{}",
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
"#
    ));
    c.expect(&[
        // Not selected by the all-pods policy: no isolation either way.
        ("shop/agent", "internet", None, true),
        ("shop/agent", "metadata", None, true),
        ("other/client", "shop/agent", Some("9100"), true),
        // As a source it is the node; shop's pods are isolated.
        ("shop/agent", "shop/web", None, false),
        // shop's egress is isolated, and no ipBlock covers the node.
        ("shop/web", "shop/agent", None, false),
    ]);
    let v = c.reach("other/client", "shop/agent", None);
    assert!(!v.ingress.governed);
    assert!(v.notes.iter().any(|n| n.contains("host network")));
}

#[test]
fn host_network_traffic_is_matched_by_ip_blocks_covering_nodes() {
    let c = Case::new(&format!(
        "{HOST_AGENT}\n---\n{}",
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: nodes, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress, Egress]
  ingress:
  - from: [{ipBlock: {cidr: 10.0.0.0/8}}]
  - from: [{podSelector: {}}]
  egress:
  - to: [{ipBlock: {cidr: 192.168.0.0/16}}]
    ports: [{port: 9100}]
"#
    ));
    c.expect(&[
        ("shop/agent", "shop/web", Some("8080"), true),
        ("shop/web", "shop/agent", Some("9100"), true),
        ("shop/web", "shop/agent", Some("9101"), false),
        ("shop/web", "shop/api", None, false),
        ("shop/api", "shop/web", None, true),
        ("private", "shop/web", None, true),
    ]);
}

// ---- DNS -------------------------------------------------------------------

#[test]
fn virtual_dns_endpoint_when_no_dns_workload() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: dns-only, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports: [{port: 53, protocol: UDP}, {port: dns-tcp, protocol: TCP}]
"#,
    );
    let dns = c.model.dns();
    assert_eq!(c.model.endpoints()[dns.0].kind, EndpointKind::Dns);
    c.expect(&[
        ("shop/web", "dns", Some("udp/53"), true),
        ("shop/web", "dns", Some("tcp/53"), true),
        ("shop/web", "dns", Some("tcp/9153"), false),
        ("shop/web", "internet", None, false),
        ("other/client", "dns", Some("udp/53"), true),
    ]);
}

#[test]
fn real_dns_workload_is_used_and_its_policies_apply() {
    let c = Case::new(
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: coredns, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: kube-dns}}
  template:
    metadata: {labels: {k8s-app: kube-dns}}
    spec:
      containers:
      - name: coredns
        image: coredns
        ports: [{containerPort: 53, name: dns, protocol: UDP}, {containerPort: 53, name: dns-tcp}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: dns-in, namespace: kube-system}
spec:
  podSelector: {matchLabels: {k8s-app: kube-dns}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {team: x}}}]
    ports: [{port: dns, protocol: UDP}]
"#,
    );
    let dns = c.model.find("dns").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        c.model.endpoints()[dns.0].name,
        "kube-system/Deployment/coredns"
    );
    c.expect(&[
        ("shop/web", "dns", Some("udp/53"), true),
        ("shop/web", "dns", Some("tcp/53"), false),
        ("other/client", "dns", None, false),
    ]);
}

// ---- inventory handling, lookup, explanations ------------------------------

#[test]
fn workloads_of_every_kind_and_owned_copies_collapsed() {
    let c = Case::raw(
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata:
  name: web-123
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true}]
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: shop}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: report}}
        spec: {containers: [{name: c, image: r}], restartPolicy: Never}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec: {containers: [{name: c, image: redis}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: cache}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: report}}}]
"#,
    );
    let names: Vec<&str> = c.model.endpoints()[..c.model.workload_count()]
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "shop/CronJob/report",
            "shop/Deployment/web",
            "shop/StatefulSet/web"
        ]
    );
    let err = c.model.find("shop/web").err().unwrap_or_default();
    assert!(
        err.contains("ambiguous") && err.contains("shop/StatefulSet/web"),
        "{err}"
    );
    assert!(c.model.find("shop/statefulset/web").is_ok());
    assert!(c.model.find("shop/nothing").is_err());
    c.expect(&[
        ("shop/CronJob/report", "shop/StatefulSet/web", None, true),
        ("shop/Deployment/web", "shop/StatefulSet/web", None, false),
    ]);
}

#[test]
fn explanations_name_policies_rules_and_lines() {
    let c = Case::new(
        r#"
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-in, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: api}}}]
  - from: [{podSelector: {matchLabels: {app: client}}}]
    ports: [{port: 8080}]
"#,
    );
    let v = c.reach("shop/client", "shop/web", Some("8080"));
    assert!(v.allowed);
    let rule = &v.ingress.allowing[0];
    assert_eq!(rule.index, 1);
    assert_eq!(rule.policy.resource.name, "web-in");
    assert!(rule.line > rule.policy.location.line, "{rule:?}");
    assert!(
        rule.peer.contains("pods app=client in namespace shop"),
        "{}",
        rule.peer
    );
    assert!(v
        .ingress
        .reason
        .starts_with("allowed by NetworkPolicy shop/web-in ingress[1]"));
    let v = c.reach("shop/client", "shop/web", Some("9090"));
    assert!(!v.allowed);
    assert!(
        v.ingress
            .details
            .iter()
            .any(|d| d.contains("allows TCP 8080, not TCP 9090")),
        "{:?}",
        v.ingress.details
    );
    let json = serde_json::to_value(&v).unwrap_or_default();
    assert_eq!(json["ingress"]["direction"], "ingress");
}

#[test]
fn other_policy_engines_are_reported_not_evaluated() {
    let c = Case::new(
        r#"
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: x, namespace: shop}
spec: {endpointSelector: {}}
---
apiVersion: crd.projectcalico.org/v1
kind: NetworkPolicy
metadata: {name: calico-policy, namespace: shop}
spec: {selector: all()}
"#,
    );
    let messages: Vec<&str> = c
        .model
        .warnings()
        .iter()
        .map(|w| w.message.as_str())
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("CiliumNetworkPolicy")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("crd.projectcalico.org/v1")),
        "{messages:?}"
    );
    c.expect(&[("shop/web", "shop/db", None, true)]);
}

#[test]
fn unresolvable_named_query_port_is_denied_with_a_note() {
    let c = Case::raw(BASE);
    let v = c.reach("shop/web", "shop/db", Some("http"));
    assert!(!v.allowed);
    assert!(
        v.notes
            .iter()
            .any(|n| n.contains("no TCP port named \"http\"")),
        "{:?}",
        v.notes
    );
}
