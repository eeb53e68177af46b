//! The bootstrap ClusterRoles and ClusterRoleBindings every cluster has,
//! as the API server creates them (plugin/pkg/auth/authorizer/rbac/bootstrappolicy).
//! Manifests reference them without defining them; a live dump that does
//! define one replaces the built-in copy.

/// A rule as `(verbs, apiGroups, resources)`; non-resource rules use `NR`.
type R = (
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

pub(crate) struct BuiltinRole {
    pub name: &'static str,
    pub labels: &'static [(&'static str, &'static str)],
    pub rules: &'static [R],
    pub non_resource: &'static [(&'static [&'static str], &'static [&'static str])],
    /// Label selectors (matchLabels only) of an aggregated role.
    pub aggregate_from: &'static [(&'static str, &'static str)],
}

pub(crate) struct BuiltinBinding {
    pub name: &'static str,
    pub role: &'static str,
    /// `(kind, name)`; kind is `Group` or `User`.
    pub subjects: &'static [(&'static str, &'static str)],
}

const READ: &[&str] = &["get", "list", "watch"];
const WRITE: &[&str] = &["create", "delete", "deletecollection", "patch", "update"];
const RW: &[&str] = &[
    "create",
    "delete",
    "deletecollection",
    "get",
    "list",
    "patch",
    "update",
    "watch",
];

pub(crate) const ROLES: &[BuiltinRole] = &[
    BuiltinRole {
        name: "cluster-admin",
        labels: &[("kubernetes.io/bootstrapping", "rbac-defaults")],
        rules: &[(&["*"], &["*"], &["*"])],
        non_resource: &[(&["*"], &["*"])],
        aggregate_from: &[],
    },
    BuiltinRole {
        name: "admin",
        labels: &[("kubernetes.io/bootstrapping", "rbac-defaults")],
        rules: &[],
        non_resource: &[],
        aggregate_from: &[("rbac.authorization.k8s.io/aggregate-to-admin", "true")],
    },
    BuiltinRole {
        name: "edit",
        labels: &[
            ("kubernetes.io/bootstrapping", "rbac-defaults"),
            ("rbac.authorization.k8s.io/aggregate-to-admin", "true"),
        ],
        rules: &[],
        non_resource: &[],
        aggregate_from: &[("rbac.authorization.k8s.io/aggregate-to-edit", "true")],
    },
    BuiltinRole {
        name: "view",
        labels: &[
            ("kubernetes.io/bootstrapping", "rbac-defaults"),
            ("rbac.authorization.k8s.io/aggregate-to-edit", "true"),
        ],
        rules: &[],
        non_resource: &[],
        aggregate_from: &[("rbac.authorization.k8s.io/aggregate-to-view", "true")],
    },
    BuiltinRole {
        name: "system:aggregate-to-admin",
        labels: &[("rbac.authorization.k8s.io/aggregate-to-admin", "true")],
        rules: &[
            (
                &["create"],
                &["authorization.k8s.io"],
                &["localsubjectaccessreviews"],
            ),
            (
                RW,
                &["rbac.authorization.k8s.io"],
                &["rolebindings", "roles"],
            ),
        ],
        non_resource: &[],
        aggregate_from: &[],
    },
    BuiltinRole {
        name: "system:aggregate-to-edit",
        labels: &[("rbac.authorization.k8s.io/aggregate-to-edit", "true")],
        rules: &[
            (&["impersonate"], &[""], &["serviceaccounts"]),
            (
                WRITE,
                &[""],
                &[
                    "pods",
                    "pods/attach",
                    "pods/proxy",
                    "pods/exec",
                    "pods/portforward",
                ],
            ),
            (&["create"], &[""], &["pods/eviction"]),
            (
                WRITE,
                &[""],
                &[
                    "replicationcontrollers",
                    "replicationcontrollers/scale",
                    "serviceaccounts",
                    "services",
                    "services/proxy",
                    "persistentvolumeclaims",
                    "configmaps",
                    "secrets",
                ],
            ),
            (&["create"], &[""], &["serviceaccounts/token"]),
            (
                WRITE,
                &["apps"],
                &[
                    "statefulsets",
                    "statefulsets/scale",
                    "daemonsets",
                    "deployments",
                    "deployments/scale",
                    "deployments/rollback",
                    "replicasets",
                    "replicasets/scale",
                ],
            ),
            (WRITE, &["autoscaling"], &["horizontalpodautoscalers"]),
            (WRITE, &["batch"], &["jobs", "cronjobs"]),
            (
                WRITE,
                &["extensions"],
                &[
                    "daemonsets",
                    "deployments",
                    "deployments/scale",
                    "deployments/rollback",
                    "ingresses",
                    "replicasets",
                    "replicasets/scale",
                    "replicationcontrollers/scale",
                    "networkpolicies",
                ],
            ),
            (WRITE, &["policy"], &["poddisruptionbudgets"]),
            (
                WRITE,
                &["networking.k8s.io"],
                &["ingresses", "networkpolicies"],
            ),
            (WRITE, &["coordination.k8s.io"], &["leases"]),
            (
                READ,
                &[""],
                &[
                    "pods/attach",
                    "pods/exec",
                    "pods/portforward",
                    "pods/proxy",
                    "secrets",
                    "services/proxy",
                ],
            ),
        ],
        non_resource: &[],
        aggregate_from: &[],
    },
    BuiltinRole {
        name: "system:aggregate-to-view",
        labels: &[("rbac.authorization.k8s.io/aggregate-to-view", "true")],
        rules: &[
            (
                READ,
                &[""],
                &[
                    "pods",
                    "replicationcontrollers",
                    "replicationcontrollers/scale",
                    "serviceaccounts",
                    "services",
                    "services/status",
                    "endpoints",
                    "persistentvolumeclaims",
                    "persistentvolumeclaims/status",
                    "configmaps",
                    "limitranges",
                    "resourcequotas",
                    "bindings",
                    "events",
                    "pods/status",
                    "resourcequotas/status",
                    "namespaces/status",
                    "replicationcontrollers/status",
                    "pods/log",
                    "namespaces",
                ],
            ),
            (READ, &["discovery.k8s.io"], &["endpointslices"]),
            (
                READ,
                &["apps"],
                &[
                    "controllerrevisions",
                    "statefulsets",
                    "statefulsets/status",
                    "statefulsets/scale",
                    "daemonsets",
                    "daemonsets/status",
                    "deployments",
                    "deployments/status",
                    "deployments/scale",
                    "replicasets",
                    "replicasets/status",
                    "replicasets/scale",
                ],
            ),
            (
                READ,
                &["autoscaling"],
                &[
                    "horizontalpodautoscalers",
                    "horizontalpodautoscalers/status",
                ],
            ),
            (
                READ,
                &["batch"],
                &["jobs", "jobs/status", "cronjobs", "cronjobs/status"],
            ),
            (
                READ,
                &["extensions"],
                &[
                    "daemonsets",
                    "daemonsets/status",
                    "deployments",
                    "deployments/scale",
                    "deployments/status",
                    "ingresses",
                    "ingresses/status",
                    "replicasets",
                    "replicasets/scale",
                    "replicasets/status",
                    "replicationcontrollers/scale",
                    "networkpolicies",
                ],
            ),
            (
                READ,
                &["policy"],
                &["poddisruptionbudgets", "poddisruptionbudgets/status"],
            ),
            (
                READ,
                &["networking.k8s.io"],
                &["ingresses", "ingresses/status", "networkpolicies"],
            ),
            (READ, &["coordination.k8s.io"], &["leases"]),
        ],
        non_resource: &[],
        aggregate_from: &[],
    },
    BuiltinRole {
        name: "system:basic-user",
        labels: &[("kubernetes.io/bootstrapping", "rbac-defaults")],
        rules: &[(
            &["create"],
            &["authorization.k8s.io"],
            &["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
        )],
        non_resource: &[],
        aggregate_from: &[],
    },
    BuiltinRole {
        name: "system:discovery",
        labels: &[("kubernetes.io/bootstrapping", "rbac-defaults")],
        rules: &[],
        non_resource: &[(
            &["get"],
            &[
                "/api",
                "/api/*",
                "/apis",
                "/apis/*",
                "/healthz",
                "/livez",
                "/openapi",
                "/openapi/*",
                "/readyz",
                "/version",
                "/version/",
            ],
        )],
        aggregate_from: &[],
    },
    BuiltinRole {
        name: "system:public-info-viewer",
        labels: &[("kubernetes.io/bootstrapping", "rbac-defaults")],
        rules: &[],
        non_resource: &[(
            &["get"],
            &["/healthz", "/livez", "/readyz", "/version", "/version/"],
        )],
        aggregate_from: &[],
    },
    BuiltinRole {
        name: "system:service-account-issuer-discovery",
        labels: &[("kubernetes.io/bootstrapping", "rbac-defaults")],
        rules: &[],
        non_resource: &[(
            &["get"],
            &[
                "/.well-known/openid-configuration",
                "/.well-known/openid-configuration/",
                "/openid/v1/jwks",
                "/openid/v1/jwks/",
            ],
        )],
        aggregate_from: &[],
    },
];

pub(crate) const BINDINGS: &[BuiltinBinding] = &[
    BuiltinBinding {
        name: "cluster-admin",
        role: "cluster-admin",
        subjects: &[("Group", "system:masters")],
    },
    BuiltinBinding {
        name: "system:basic-user",
        role: "system:basic-user",
        subjects: &[("Group", "system:authenticated")],
    },
    BuiltinBinding {
        name: "system:discovery",
        role: "system:discovery",
        subjects: &[("Group", "system:authenticated")],
    },
    BuiltinBinding {
        name: "system:public-info-viewer",
        role: "system:public-info-viewer",
        subjects: &[
            ("Group", "system:authenticated"),
            ("Group", "system:unauthenticated"),
        ],
    },
    BuiltinBinding {
        name: "system:service-account-issuer-discovery",
        role: "system:service-account-issuer-discovery",
        subjects: &[("Group", "system:serviceaccounts")],
    },
];

/// Roles granted to everyone by default: grants of these to
/// `system:authenticated`/`system:unauthenticated` are not findings.
pub const DEFAULT_PUBLIC_ROLES: &[&str] = &[
    "system:basic-user",
    "system:discovery",
    "system:public-info-viewer",
    "system:service-account-issuer-discovery",
];
