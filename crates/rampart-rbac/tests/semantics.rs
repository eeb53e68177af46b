//! The RBAC model against Kubernetes' own semantics
//! (`pkg/apis/rbac/v1/evaluation_helpers.go`, `plugin/pkg/auth/authorizer/rbac`,
//! the clusterrole aggregation controller and the bootstrap policy): each
//! behaviour with a case that grants and a case that must not.

use rampart_rbac::{RbacModel, Request, Subject};

fn model(yaml: &str) -> RbacModel {
    let inventory = rampart_load::load_text("t.yaml", yaml, &rampart_load::LoadOptions::default());
    assert!(
        inventory.errors.is_empty(),
        "input errors: {:?}",
        inventory.errors
    );
    RbacModel::build(&inventory)
}

/// A resource request without subresource or name.
fn res<'a>(verb: &'a str, group: &'a str, resource: &'a str) -> Request<'a> {
    Request {
        verb,
        group,
        resource,
        subresource: None,
        name: None,
        url: None,
    }
}

fn sub<'a>(verb: &'a str, group: &'a str, resource: &'a str, subresource: &'a str) -> Request<'a> {
    Request {
        subresource: Some(subresource),
        ..res(verb, group, resource)
    }
}

fn named<'a>(verb: &'a str, group: &'a str, resource: &'a str, name: &'a str) -> Request<'a> {
    Request {
        name: Some(name),
        ..res(verb, group, resource)
    }
}

fn url<'a>(verb: &'a str, path: &'a str) -> Request<'a> {
    Request {
        verb,
        group: "",
        resource: "",
        subresource: None,
        name: None,
        url: Some(path),
    }
}

/// Whether `who` (through its user name and implicit groups too) may
/// perform `req` in `ns` (`None`: cluster-scoped or non-resource).
fn can(m: &RbacModel, who: &Subject, req: &Request<'_>, ns: Option<&str>) -> bool {
    let ids = who.identities();
    m.who_can(req, ns).iter().any(|g| ids.contains(g.subject))
}

fn sa(ns: &str, name: &str) -> Subject {
    Subject::service_account(ns, name)
}

const POD_READER: &str = r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: pod-reader
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get", "list"]
- apiGroups: [""]
  resources: ["nodes"]
  verbs: ["get"]
"#;

#[test]
fn rolebinding_to_a_clusterrole_grants_only_in_its_namespace() {
    let m = model(&format!(
        "{POD_READER}---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: read-pods
  namespace: team-a
subjects:
- kind: ServiceAccount
  name: app
  namespace: team-a
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: pod-reader
"
    ));
    let app = sa("team-a", "app");
    let get = res("get", "", "pods");
    assert!(can(&m, &app, &get, Some("team-a")));
    assert!(!can(&m, &app, &get, Some("team-b")));
    // Cluster-scoped resources of the ClusterRole (nodes) are not granted by
    // a RoleBinding, nor are cluster-wide lists.
    assert!(!can(&m, &app, &res("get", "", "nodes"), None));
    assert!(!can(&m, &app, &res("list", "", "pods"), None));
    // "In any namespace" sees the grant, with its scope.
    let any = m.who_can(&get, Some("*"));
    let grant = any
        .iter()
        .find(|g| *g.subject == app)
        .expect("grant in some namespace");
    assert_eq!(grant.binding.scope(), Some("team-a"));
    assert_eq!(grant.role.id.name, "pod-reader");
    // Another service account of the namespace holds nothing.
    assert!(!can(&m, &sa("team-a", "other"), &get, Some("team-a")));

    let bindings = m.bindings_of(&app);
    assert!(bindings.iter().any(|(_, b, role)| b.id.name == "read-pods"
        && !b.cluster
        && role.is_some_and(|r| r.id.name == "pod-reader")));
}

#[test]
fn clusterrolebinding_grants_everywhere() {
    let m = model(&format!(
        "{POD_READER}---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: read-pods
subjects:
- kind: User
  name: alice
  apiGroup: rbac.authorization.k8s.io
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: pod-reader
"
    ));
    let alice = Subject::user("alice");
    for ns in ["team-a", "team-b", "kube-system"] {
        assert!(can(&m, &alice, &res("get", "", "pods"), Some(ns)));
    }
    assert!(can(&m, &alice, &res("list", "", "pods"), None));
    assert!(can(&m, &alice, &res("get", "", "nodes"), None));
    // Only what the role grants, and only to the subject.
    assert!(!can(&m, &alice, &res("delete", "", "pods"), Some("team-a")));
    assert!(!can(
        &m,
        &Subject::user("bob"),
        &res("get", "", "pods"),
        Some("team-a")
    ));
    assert!(m
        .bindings_of(&alice)
        .iter()
        .any(|(_, b, _)| b.id.name == "read-pods" && b.cluster && b.scope().is_none()));
}

#[test]
fn a_rolebinding_cannot_reference_a_role_of_another_namespace() {
    let m = model(
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
  namespace: ns-a
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: cross
  namespace: ns-b
subjects:
- kind: User
  name: bob
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: reader
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: same
  namespace: ns-a
subjects:
- kind: User
  name: carol
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: reader
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: cluster-to-role
subjects:
- kind: User
  name: dave
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: reader
"#,
    );
    let get = res("get", "", "configmaps");
    let bob = Subject::user("bob");
    // roleRef has no namespace: `reader` is looked up in ns-b, where it does not exist.
    assert!(!can(&m, &bob, &get, Some("ns-a")));
    assert!(!can(&m, &bob, &get, Some("ns-b")));
    let cross = m.bindings.iter().find(|b| b.id.name == "cross").unwrap();
    assert!(m.role_of(cross).is_none());
    // The same Role from its own namespace works, there only.
    let carol = Subject::user("carol");
    assert!(can(&m, &carol, &get, Some("ns-a")));
    assert!(!can(&m, &carol, &get, Some("ns-b")));
    // A ClusterRoleBinding can only refer to a ClusterRole.
    let dave = Subject::user("dave");
    assert!(!can(&m, &dave, &get, Some("ns-a")));
    let crb = m
        .bindings
        .iter()
        .find(|b| b.id.name == "cluster-to-role")
        .unwrap();
    assert!(m.role_of(crb).is_none());
}

fn bind_cluster_role(role: &str, user: &str) -> String {
    format!(
        "---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {user}-{role}
subjects:
- kind: User
  name: {user}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {role}
"
    )
}

#[test]
fn aggregation_picks_up_labelled_clusterroles() {
    let yaml = format!(
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring
aggregationRule:
  clusterRoleSelectors:
  - matchLabels:
      example.com/aggregate-to-monitoring: "true"
  - matchExpressions:
    - key: example.com/tier
      operator: In
      values: ["metrics", "logs"]
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring-endpoints
  labels:
    example.com/aggregate-to-monitoring: "true"
rules:
- apiGroups: [""]
  resources: ["endpoints"]
  verbs: ["list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring-logs
  labels:
    example.com/tier: logs
rules:
- apiGroups: [""]
  resources: ["pods/log"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: not-selected
  labels:
    example.com/aggregate-to-monitoring: "false"
    example.com/tier: frontend
rules:
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: namespaced-is-never-aggregated
  namespace: default
  labels:
    example.com/aggregate-to-monitoring: "true"
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get"]
{}"#,
        bind_cluster_role("monitoring", "mon")
    );
    let m = model(&yaml);
    let mon = Subject::user("mon");
    // matchLabels
    assert!(can(&m, &mon, &res("list", "", "endpoints"), Some("x")));
    // matchExpressions (In)
    assert!(can(&m, &mon, &sub("get", "", "pods", "log"), Some("x")));
    // A label with another value, or another tier: not selected.
    assert!(!can(&m, &mon, &res("get", "", "secrets"), Some("x")));
    // Roles (namespaced) are never aggregated.
    assert!(!can(
        &m,
        &mon,
        &res("get", "", "configmaps"),
        Some("default")
    ));
}

#[test]
fn nested_aggregation_converges() {
    let yaml = format!(
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: top
aggregationRule:
  clusterRoleSelectors:
  - matchLabels:
      example.com/into: top
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: middle
  labels:
    example.com/into: top
aggregationRule:
  clusterRoleSelectors:
  - matchExpressions:
    - key: example.com/into
      operator: In
      values: ["middle"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: leaf
  labels:
    example.com/into: middle
rules:
- apiGroups: ["apps"]
  resources: ["deployments"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: unrelated
  labels:
    example.com/into: elsewhere
rules:
- apiGroups: ["apps"]
  resources: ["daemonsets"]
  verbs: ["get"]
{}{}"#,
        bind_cluster_role("top", "t"),
        bind_cluster_role("middle", "m")
    );
    let m = model(&yaml);
    let deployments = res("get", "apps", "deployments");
    // leaf -> middle -> top
    assert!(can(&m, &Subject::user("t"), &deployments, Some("x")));
    assert!(can(&m, &Subject::user("m"), &deployments, Some("x")));
    assert!(!can(
        &m,
        &Subject::user("t"),
        &res("get", "apps", "daemonsets"),
        Some("x")
    ));
    // Aggregation does not flow downwards.
    let middle = m.find_role(true, "", "middle").unwrap();
    assert_eq!(middle.rules.len(), 1);
}

fn rolebinding(ns: &str, role: &str, user: &str) -> String {
    format!(
        "---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {user}-{role}
  namespace: {ns}
subjects:
- kind: User
  name: {user}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {role}
"
    )
}

#[test]
fn builtin_admin_edit_view() {
    let yaml = format!(
        "{}{}{}",
        rolebinding("dev", "admin", "ann"),
        rolebinding("dev", "edit", "ed"),
        rolebinding("dev", "view", "vic")
    );
    let m = model(&yaml);
    let (ann, ed, vic) = (
        Subject::user("ann"),
        Subject::user("ed"),
        Subject::user("vic"),
    );
    let ns = Some("dev");
    let secrets = res("get", "", "secrets");
    let exec = sub("create", "", "pods", "exec");
    let pods = res("list", "", "pods");
    let rolebindings = res("create", "rbac.authorization.k8s.io", "rolebindings");

    // edit: reads secrets, execs, creates workloads; no RBAC.
    assert!(can(&m, &ed, &secrets, ns));
    assert!(can(&m, &ed, &exec, ns));
    assert!(can(&m, &ed, &res("create", "apps", "deployments"), ns));
    assert!(can(&m, &ed, &pods, ns)); // through view, aggregated into edit
    assert!(!can(&m, &ed, &rolebindings, ns));
    // view: reads, but not secrets, and no exec.
    assert!(can(&m, &vic, &pods, ns));
    assert!(!can(&m, &vic, &secrets, ns));
    assert!(!can(&m, &vic, &exec, ns));
    assert!(!can(&m, &vic, &res("create", "", "pods"), ns));
    // admin: edit plus RBAC in the namespace.
    assert!(can(&m, &ann, &rolebindings, ns));
    assert!(can(&m, &ann, &secrets, ns));
    assert!(can(&m, &ann, &pods, ns));
    // None of them beyond the namespace, nor on cluster-scoped resources.
    assert!(!can(&m, &ann, &secrets, Some("prod")));
    assert!(!can(&m, &ann, &res("get", "", "nodes"), None));
    // The built-in roles are not defined by the input.
    let edit = m.find_role(true, "", "edit").unwrap();
    assert!(edit.builtin());
}

#[test]
fn a_clusterrole_labelled_aggregate_to_view_adds_to_view_edit_and_admin() {
    let yaml = format!(
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: widgets-view
  labels:
    rbac.authorization.k8s.io/aggregate-to-view: "true"
rules:
- apiGroups: ["example.com"]
  resources: ["widgets"]
  verbs: ["get", "list", "watch"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: gadgets-edit
  labels:
    rbac.authorization.k8s.io/aggregate-to-edit: "true"
rules:
- apiGroups: ["example.com"]
  resources: ["gadgets"]
  verbs: ["create"]
{}{}{}"#,
        rolebinding("dev", "view", "vic"),
        rolebinding("dev", "edit", "ed"),
        rolebinding("dev", "admin", "ann")
    );
    let m = model(&yaml);
    let widgets = res("list", "example.com", "widgets");
    let gadgets = res("create", "example.com", "gadgets");
    for who in ["vic", "ed", "ann"] {
        assert!(can(&m, &Subject::user(who), &widgets, Some("dev")), "{who}");
    }
    assert!(!can(&m, &Subject::user("vic"), &gadgets, Some("dev")));
    assert!(can(&m, &Subject::user("ed"), &gadgets, Some("dev")));
    assert!(can(&m, &Subject::user("ann"), &gadgets, Some("dev")));
}

#[test]
fn bootstrap_roles_work_without_being_defined_and_the_input_wins() {
    // Referenced, not defined: the built-in edit.
    let m = model(&rolebinding("dev", "edit", "ed"));
    let binding = m.bindings.iter().find(|b| b.id.name == "ed-edit").unwrap();
    let role = m.role_of(binding).expect("edit is built in");
    assert!(role.builtin());
    assert!(can(
        &m,
        &Subject::user("ed"),
        &res("get", "", "secrets"),
        Some("dev")
    ));
    // An unknown role name resolves to nothing.
    let m = model(&rolebinding("dev", "no-such-role", "x"));
    let binding = m
        .bindings
        .iter()
        .find(|b| b.id.name == "x-no-such-role")
        .unwrap();
    assert!(m.role_of(binding).is_none());

    // A live dump that defines `view` differently: its definition wins.
    let yaml = format!(
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: view
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get"]
{}"#,
        rolebinding("dev", "view", "vic")
    );
    let m = model(&yaml);
    let vic = Subject::user("vic");
    assert!(can(&m, &vic, &res("get", "", "configmaps"), Some("dev")));
    assert!(!can(&m, &vic, &res("get", "", "pods"), Some("dev")));
    let view = m.find_role(true, "", "view").unwrap();
    assert!(!view.builtin());
    assert_eq!(
        m.roles
            .iter()
            .filter(|r| r.cluster && r.id.name == "view")
            .count(),
        1
    );
}

#[test]
fn resource_names_limit_named_requests_only() {
    let m = model(
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: one-secret
  namespace: app
rules:
- apiGroups: [""]
  resources: ["secrets"]
  resourceNames: ["app-tls"]
  verbs: ["get", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: one-secret
  namespace: app
subjects:
- kind: ServiceAccount
  name: web
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: one-secret
"#,
    );
    let web = sa("app", "web");
    let ns = Some("app");
    assert!(can(&m, &web, &named("get", "", "secrets", "app-tls"), ns));
    assert!(!can(
        &m,
        &web,
        &named("get", "", "secrets", "db-password"),
        ns
    ));
    // A list without a name is not matched by a rule with resourceNames.
    assert!(!can(&m, &web, &res("list", "", "secrets"), ns));
    assert!(!can(&m, &web, &res("get", "", "secrets"), ns));
}

#[test]
fn group_subjects_reach_service_accounts() {
    let yaml = format!(
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: cm-reader
rules:
- apiGroups: [""]
  resources: ["configmaps"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: svc-reader
rules:
- apiGroups: [""]
  resources: ["services"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ep-reader
rules:
- apiGroups: [""]
  resources: ["endpoints"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: lease-reader
rules:
- apiGroups: ["coordination.k8s.io"]
  resources: ["leases"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: all-sas
subjects:
- kind: Group
  name: system:serviceaccounts
  apiGroup: rbac.authorization.k8s.io
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cm-reader
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ci-sas
subjects:
- kind: Group
  name: system:serviceaccounts:ci
  apiGroup: rbac.authorization.k8s.io
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: svc-reader
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: everyone
subjects:
- kind: Group
  name: system:authenticated
  apiGroup: rbac.authorization.k8s.io
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: ep-reader
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: runner-as-user
subjects:
- kind: User
  name: system:serviceaccount:ci:runner
  apiGroup: rbac.authorization.k8s.io
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: lease-reader
{}"#,
        // A ServiceAccount subject without namespace is of the binding's namespace.
        "---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: local-sa
  namespace: ci
subjects:
- kind: ServiceAccount
  name: builder
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: lease-reader
"
    );
    let m = model(&yaml);
    let runner = sa("ci", "runner");
    let web = sa("web", "frontend");
    let alice = Subject::user("alice");
    let anonymous = Subject::user("system:anonymous");
    let (cms, svcs, eps, leases) = (
        res("get", "", "configmaps"),
        res("get", "", "services"),
        res("get", "", "endpoints"),
        res("get", "coordination.k8s.io", "leases"),
    );
    let ns = Some("anywhere");
    // system:serviceaccounts: every service account, no user.
    assert!(can(&m, &runner, &cms, ns));
    assert!(can(&m, &web, &cms, ns));
    assert!(!can(&m, &alice, &cms, ns));
    // system:serviceaccounts:ci: the service accounts of ci only.
    assert!(can(&m, &runner, &svcs, ns));
    assert!(!can(&m, &web, &svcs, ns));
    // system:authenticated: users and service accounts, not anonymous.
    assert!(can(&m, &runner, &eps, ns));
    assert!(can(&m, &alice, &eps, ns));
    assert!(!can(&m, &anonymous, &eps, ns));
    // User system:serviceaccount:ci:runner is the service account ci/runner,
    // and the service account found through that user name.
    assert!(can(&m, &runner, &leases, ns));
    assert!(can(
        &m,
        &Subject::user("system:serviceaccount:ci:runner"),
        &leases,
        ns
    ));
    assert!(!can(&m, &sa("ci", "other"), &leases, ns));
    assert!(m
        .bindings_of(&runner)
        .iter()
        .any(|(_, b, _)| b.id.name == "runner-as-user"));
    assert!(!m
        .bindings_of(&sa("ci", "other"))
        .iter()
        .any(|(_, b, _)| b.id.name == "runner-as-user"));
    // The bindings of a service account include its groups' bindings.
    let names: Vec<&str> = m
        .bindings_of(&runner)
        .iter()
        .map(|(_, b, _)| b.id.name.as_str())
        .collect();
    for n in ["all-sas", "ci-sas", "everyone", "runner-as-user"] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    // Namespace defaulting of ServiceAccount subjects.
    assert!(can(&m, &sa("ci", "builder"), &leases, Some("ci")));
    assert!(!can(
        &m,
        &sa("default", "builder"),
        &leases,
        Some("default")
    ));
}

fn role_with_rule(rule: &str) -> String {
    format!(
        "apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: r
rules:
{rule}{}",
        bind_cluster_role("r", "u")
    )
}

#[test]
fn subresources_are_separate_resources() {
    let u = Subject::user("u");
    let ns = Some("x");
    // `pods` does not cover pods/exec.
    let m = model(&role_with_rule(
        "- apiGroups: [\"\"]\n  resources: [\"pods\"]\n  verbs: [\"get\", \"create\"]\n",
    ));
    assert!(can(&m, &u, &res("create", "", "pods"), ns));
    assert!(!can(&m, &u, &sub("create", "", "pods", "exec"), ns));
    // `pods/exec` does not cover pods.
    let m = model(&role_with_rule(
        "- apiGroups: [\"\"]\n  resources: [\"pods/exec\"]\n  verbs: [\"create\"]\n",
    ));
    assert!(can(&m, &u, &sub("create", "", "pods", "exec"), ns));
    assert!(!can(&m, &u, &res("create", "", "pods"), ns));
    assert!(!can(&m, &u, &sub("create", "", "pods", "attach"), ns));
    // `*/scale`: the scale subresource of every resource, not the resources.
    let m = model(&role_with_rule(
        "- apiGroups: [\"apps\"]\n  resources: [\"*/scale\"]\n  verbs: [\"update\"]\n",
    ));
    assert!(can(
        &m,
        &u,
        &sub("update", "apps", "deployments", "scale"),
        ns
    ));
    assert!(can(
        &m,
        &u,
        &sub("update", "apps", "statefulsets", "scale"),
        ns
    ));
    assert!(!can(&m, &u, &res("update", "apps", "deployments"), ns));
    assert!(!can(
        &m,
        &u,
        &sub("update", "apps", "deployments", "status"),
        ns
    ));
    // `pods/*` is not a wildcard in Kubernetes (ResourceMatches knows only
    // `*` and `*/subresource`): it matches nothing but a literal `pods/*`.
    let m = model(&role_with_rule(
        "- apiGroups: [\"\"]\n  resources: [\"pods/*\"]\n  verbs: [\"create\", \"get\"]\n",
    ));
    assert!(!can(&m, &u, &sub("create", "", "pods", "exec"), ns));
    assert!(!can(&m, &u, &sub("get", "", "pods", "log"), ns));
    assert!(!can(&m, &u, &res("get", "", "pods"), ns));
}

#[test]
fn wildcard_api_groups_versus_wildcard_resources() {
    let u = Subject::user("u");
    let ns = Some("x");
    // `*` in apiGroups: the named resource in every group, nothing else.
    let m = model(&role_with_rule(
        "- apiGroups: [\"*\"]\n  resources: [\"deployments\"]\n  verbs: [\"get\"]\n",
    ));
    assert!(can(&m, &u, &res("get", "apps", "deployments"), ns));
    assert!(can(&m, &u, &res("get", "extensions", "deployments"), ns));
    assert!(!can(&m, &u, &res("get", "apps", "statefulsets"), ns));
    assert!(!can(&m, &u, &res("get", "", "secrets"), ns));
    // `*` in resources: every resource and subresource of the named group only.
    let m = model(&role_with_rule(
        "- apiGroups: [\"\"]\n  resources: [\"*\"]\n  verbs: [\"get\"]\n",
    ));
    assert!(can(&m, &u, &res("get", "", "secrets"), ns));
    assert!(can(&m, &u, &sub("get", "", "pods", "exec"), ns));
    assert!(can(&m, &u, &res("get", "", "nodes"), None));
    assert!(!can(&m, &u, &res("get", "apps", "deployments"), ns));
    assert!(!can(&m, &u, &res("delete", "", "secrets"), ns));
}

#[test]
fn wildcard_verbs() {
    let u = Subject::user("u");
    let ns = Some("x");
    let m = model(&role_with_rule(
        "- apiGroups: [\"\"]\n  resources: [\"configmaps\"]\n  verbs: [\"*\"]\n",
    ));
    for verb in [
        "get",
        "delete",
        "deletecollection",
        "patch",
        "escalate",
        "impersonate",
    ] {
        assert!(can(&m, &u, &res(verb, "", "configmaps"), ns), "{verb}");
    }
    assert!(!can(&m, &u, &res("get", "", "secrets"), ns));
    assert!(!can(&m, &u, &sub("get", "", "configmaps", "status"), ns));
    // A rule with a verb list is not a wildcard.
    let m = model(&role_with_rule(
        "- apiGroups: [\"\"]\n  resources: [\"configmaps\"]\n  verbs: [\"get\"]\n",
    ));
    assert!(!can(&m, &u, &res("delete", "", "configmaps"), ns));
}

#[test]
fn non_resource_urls_only_through_clusterrolebindings() {
    let yaml = r#"apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: scraper
rules:
- nonResourceURLs: ["/metrics", "/logs/*"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: scraper
subjects:
- kind: ServiceAccount
  name: prometheus
  namespace: monitoring
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: scraper
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: scraper
  namespace: monitoring
subjects:
- kind: ServiceAccount
  name: local
  namespace: monitoring
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: scraper
"#;
    let m = model(yaml);
    let prom = sa("monitoring", "prometheus");
    assert!(can(&m, &prom, &url("get", "/metrics"), None));
    assert!(can(
        &m,
        &prom,
        &url("get", "/logs/kube-apiserver.log"),
        None
    ));
    // Exact unless the rule ends in `*`; `/logs/*` does not cover `/logs`.
    assert!(!can(&m, &prom, &url("get", "/metricsz"), None));
    assert!(!can(&m, &prom, &url("get", "/logs"), None));
    assert!(!can(&m, &prom, &url("post", "/metrics"), None));
    // A RoleBinding never grants non-resource URLs.
    let local = sa("monitoring", "local");
    assert!(!can(&m, &local, &url("get", "/metrics"), None));
    assert!(!can(
        &m,
        &local,
        &url("get", "/metrics"),
        Some("monitoring")
    ));
    // A non-resource rule grants no resource.
    assert!(!can(&m, &prom, &res("get", "", "pods"), Some("monitoring")));

    // The bootstrap discovery bindings: every user reads /api and /version;
    // anonymous users only the public info.
    let alice = Subject::user("alice");
    let anonymous = Subject::user("system:anonymous");
    assert!(can(&m, &alice, &url("get", "/apis/apps/v1"), None));
    assert!(can(&m, &anonymous, &url("get", "/healthz"), None));
    assert!(!can(&m, &anonymous, &url("get", "/apis/apps/v1"), None));
    // `*` covers every URL.
    let m = model(&role_with_rule(
        "- nonResourceURLs: [\"*\"]\n  verbs: [\"get\"]\n",
    ));
    assert!(can(
        &m,
        &Subject::user("u"),
        &url("get", "/debug/pprof/heap"),
        None
    ));
}
