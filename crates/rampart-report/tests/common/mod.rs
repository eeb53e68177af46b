//! A small hand-built report shared by the renderer tests: findings of four
//! severities (one suppressed, one with a `<script>` and table
//! metacharacters in its message), a plan, scores, an attack path of two
//! steps and an input error.

use std::sync::Arc;
use std::time::Duration;

use rampart_model::{
    Area, Finding, InputError, Location, Note, PssLevel, PssRef, ResourceRef, Severity, Suppression,
};
use rampart_paths::{AttackPath, Evidence, Step, Target, Technique};
use rampart_plan::{Action, ActionKind, AreaScore, Effort};
use rampart_report::Report;

pub struct Fixture {
    pub findings: Vec<Finding>,
    pub errors: Vec<InputError>,
    pub notes: Vec<Note>,
    pub plan: Vec<Action>,
    pub scores: Vec<AreaScore>,
    pub paths: Vec<AttackPath>,
}

fn resource(kind: &str, namespace: Option<&str>, name: &str) -> ResourceRef {
    ResourceRef {
        api_version: if kind.ends_with("Binding") {
            "rbac.authorization.k8s.io/v1".into()
        } else {
            "apps/v1".into()
        },
        kind: kind.into(),
        namespace: namespace.map(Into::into),
        name: name.into(),
    }
}

fn loc(file: &str, line: u32) -> Location {
    Location {
        file: Arc::from(file),
        line,
    }
}

#[allow(clippy::too_many_arguments)]
fn finding(
    check: &'static str,
    severity: Severity,
    area: Area,
    resource: ResourceRef,
    container: Option<&str>,
    path: &str,
    location: Location,
    message: &str,
) -> Finding {
    Finding {
        check,
        severity,
        area,
        resource,
        container: container.map(Into::into),
        path: path.into(),
        location,
        message: message.into(),
        pss: None,
        suppressed: None,
    }
}

impl Fixture {
    pub fn new() -> Fixture {
        let web = resource("Deployment", Some("shop"), "web");
        let mut privileged = finding(
            "pss-privileged",
            Severity::Critical,
            Area::Workload,
            web.clone(),
            Some("app"),
            "spec.template.spec.containers[0].securityContext.privileged",
            loc("shop/web.yaml", 21),
            "container `app` runs privileged: it has every capability of the node",
        );
        privileged.pss = Some(PssRef {
            level: PssLevel::Baseline,
            control: "Privileged Containers",
        });
        let binding = finding(
            "rbac-cluster-admin-binding",
            Severity::High,
            Area::Identity,
            resource("ClusterRoleBinding", None, "ci-admin"),
            None,
            "roleRef",
            loc("cluster/rbac.yaml", 7),
            "binds cluster-admin to ServiceAccount ci/runner",
        );
        let secret = finding(
            "secret-in-env-literal",
            Severity::Medium,
            Area::Workload,
            web.clone(),
            Some("app"),
            "spec.template.spec.containers[0].env[2].value",
            loc("shop/web.yaml", 30),
            "env DB_PASSWORD holds a literal | value: <script>alert(\"x\")</script>\nsecond line",
        );
        let latest = finding(
            "image-latest-tag",
            Severity::Low,
            Area::Workload,
            web.clone(),
            Some("app"),
            "spec.template.spec.containers[0].image",
            loc("shop/web.yaml", 19),
            "image nginx:latest uses the mutable `latest` tag",
        );
        let mut waived = finding(
            "image-latest-tag",
            Severity::Low,
            Area::Workload,
            resource("Deployment", Some("tools"), "debug"),
            Some("shell"),
            "spec.template.spec.containers[0].image",
            loc("tools/debug.yaml", 12),
            "image busybox:latest uses the mutable `latest` tag",
        );
        waived.suppressed = Some(Suppression {
            by: "waiver",
            reason: "debug image, tracked in SEC-12".into(),
        });
        let findings = vec![privileged, binding, secret, latest, waived];

        let plan = vec![
            Action {
                id: "remove-host-access:Deployment/shop/web".into(),
                kind: ActionKind::RemoveHostAccess,
                title: "Remove host access and privileges from Deployment shop/web".into(),
                target: "Deployment/shop/web".into(),
                findings: vec![0],
                checks: vec!["pss-privileged"],
                paths_cut: 1,
                effort: Effort::Medium,
                effort_rule: "the workload relies on host access; removing it may need a redesign",
                risk: 52.5,
                score: 26.25,
                fix: "In Deployment shop/web, remove:\n- spec.template.spec.containers[0].securityContext.privileged\n".into(),
                fix_language: "text",
            },
            Action {
                id: "remove-binding:ClusterRoleBinding/ci-admin".into(),
                kind: ActionKind::RemoveBinding,
                title: "Remove ClusterRoleBinding ci-admin (replace it with a narrowly scoped role)"
                    .into(),
                target: "ClusterRoleBinding/ci-admin".into(),
                findings: vec![1],
                checks: vec!["rbac-cluster-admin-binding"],
                paths_cut: 0,
                effort: Effort::Medium,
                effort_rule: "replace the binding with a role scoped to what the subject needs",
                risk: 15.0,
                score: 7.5,
                fix: "# after granting the subjects a role with only what they need:\nkubectl delete clusterrolebinding ci-admin\n".into(),
                fix_language: "shell",
            },
            Action {
                id: "harden-workload:Deployment/shop/web".into(),
                kind: ActionKind::HardenWorkload,
                title: "Move the credentials of Deployment shop/web to a Secret".into(),
                target: "Deployment/shop/web".into(),
                findings: vec![2, 3],
                checks: vec!["secret-in-env-literal", "image-latest-tag"],
                paths_cut: 0,
                effort: Effort::Low,
                effort_rule: "a patch",
                risk: 5.5,
                score: 5.5,
                // A fix holding a fence and markup must not break out of its block.
                fix: "env:\n- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef: {name: web-db, key: password}\n\n# ``` not the end </details> <b>\n".into(),
                fix_language: "yaml",
            },
        ];

        let scores = vec![
            AreaScore {
                area: Area::Workload,
                score: Some(40),
                assessed: 1,
                findings: 3,
                hint: None,
            },
            AreaScore {
                area: Area::Identity,
                score: Some(70),
                assessed: 2,
                findings: 1,
                hint: None,
            },
            AreaScore {
                area: Area::Network,
                score: None,
                assessed: 0,
                findings: 0,
                hint: Some("include NetworkPolicies | Services (or a cluster dump)"),
            },
        ];

        let paths = vec![AttackPath {
            target: Target::ClusterAdmin,
            entry: web.clone(),
            entry_reason: "internet-facing through Ingress shop/web".into(),
            steps: vec![
                Step {
                    from: "Deployment shop/web".into(),
                    to: "Node".into(),
                    action: "escapes the privileged container to its node".into(),
                    technique: Technique {
                        id: "T1611",
                        name: "Escape to Host",
                    },
                    evidence: Evidence {
                        resource: Some(web),
                        location: Some(loc("shop/web.yaml", 21)),
                        detail: "securityContext.privileged: true".into(),
                    },
                    assumption: None,
                },
                Step {
                    from: "Node".into(),
                    to: "cluster-admin".into(),
                    action: "reads the token of ServiceAccount ci/runner from a pod on the node"
                        .into(),
                    technique: Technique {
                        id: "T1528",
                        name: "Steal Application Access Token",
                    },
                    evidence: Evidence {
                        resource: Some(resource("ClusterRoleBinding", None, "ci-admin")),
                        location: Some(loc("cluster/rbac.yaml", 7)),
                        detail: "ci/runner is bound to cluster-admin".into(),
                    },
                    assumption: Some("a runner pod is scheduled on the same node".into()),
                },
            ],
            likelihood: 0.42,
            cut_by: vec!["remove-host-access:Deployment/shop/web".into()],
        }];

        let errors = vec![InputError {
            file: Arc::from("broken.yaml"),
            line: 3,
            message: "did not find expected key | <b>bold</b>".into(),
        }];
        let notes = vec![Note {
            file: Arc::from("values.yaml"),
            line: 1,
            message: "not a Kubernetes object (no apiVersion)".into(),
        }];

        Fixture {
            findings,
            errors,
            notes,
            plan,
            scores,
            paths,
        }
    }

    pub fn report(&self) -> Report<'_> {
        Report {
            findings: &self.findings,
            errors: &self.errors,
            notes: &self.notes,
            objects: 4,
            files: 3,
            checks: 120,
            // Varies between runs in real scans: renderers must not print it.
            duration: Duration::from_millis(1234),
            fail_on: Severity::High,
            plan: &self.plan,
            scores: &self.scores,
            paths: &self.paths,
        }
    }
}
