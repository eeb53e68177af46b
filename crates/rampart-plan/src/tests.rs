use std::sync::Arc;

use rampart_model::{Area, Finding, Inventory, Location, ResourceRef, Severity};

use crate::{area_scores, plan, ActionKind, Exposure};

fn finding(
    check: &'static str,
    severity: Severity,
    area: Area,
    kind: &str,
    ns: &str,
    name: &str,
    container: Option<&str>,
) -> Finding {
    Finding {
        check,
        severity,
        area,
        resource: ResourceRef {
            api_version: "apps/v1".into(),
            kind: kind.into(),
            namespace: Some(ns.into()),
            name: name.into(),
        },
        container: container.map(str::to_string),
        path: "spec.template.spec.containers[0].securityContext".into(),
        location: Location {
            file: Arc::from("f.yaml"),
            line: 1,
        },
        message: "m".into(),
        pss: None,
        suppressed: None,
    }
}

fn sample() -> Vec<Finding> {
    vec![
        finding(
            "pss-privileged",
            Severity::Critical,
            Area::Workload,
            "Deployment",
            "shop",
            "web",
            Some("app"),
        ),
        finding(
            "pss-host-path",
            Severity::High,
            Area::Workload,
            "Deployment",
            "shop",
            "web",
            None,
        ),
        finding(
            "pss-run-as-non-root",
            Severity::Medium,
            Area::Workload,
            "Deployment",
            "shop",
            "web",
            Some("app"),
        ),
        finding(
            "pss-run-as-non-root",
            Severity::Medium,
            Area::Workload,
            "Deployment",
            "shop",
            "api",
            Some("api"),
        ),
        finding(
            "memory-limits-missing",
            Severity::Medium,
            Area::Quotas,
            "Deployment",
            "shop",
            "api",
            Some("api"),
        ),
        finding(
            "namespace-no-resourcequota",
            Severity::Medium,
            Area::Quotas,
            "Namespace",
            "shop",
            "shop",
            None,
        ),
        finding(
            "image-not-pinned",
            Severity::Low,
            Area::Workload,
            "Deployment",
            "shop",
            "api",
            Some("api"),
        ),
    ]
}

#[test]
fn findings_are_grouped_into_actions() {
    let findings = sample();
    let actions = plan(&findings, &Inventory::default(), &Exposure::default());
    let host = actions
        .iter()
        .find(|a| a.kind == ActionKind::RemoveHostAccess)
        .expect("host action");
    assert_eq!(host.findings, vec![0, 1]);
    let quotas = actions
        .iter()
        .find(|a| a.kind == ActionKind::NamespaceQuotas)
        .expect("quota action");
    assert_eq!(quotas.target, "Namespace/shop");
    assert_eq!(quotas.findings, vec![4, 5]);
    assert!(quotas.fix.contains("kind: LimitRange"));
    let harden = actions
        .iter()
        .find(|a| a.kind == ActionKind::HardenWorkload && a.target.ends_with("/web"))
        .expect("harden");
    assert!(harden.fix.contains("- name: app") && harden.fix.contains("template:"));
}

#[test]
fn ranking_is_by_risk_per_effort_and_deterministic() {
    let findings = sample();
    let a = plan(&findings, &Inventory::default(), &Exposure::default());
    let b = plan(&findings, &Inventory::default(), &Exposure::default());
    let ids = |v: &[crate::Action]| v.iter().map(|x| x.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b));
    for w in a.windows(2) {
        assert!(w[0].score >= w[1].score);
    }
    // Critical host access (medium effort, 25*1.5 + 10 = 47.5 risk => 23.75)
    // outranks a medium-severity hardening patch (low effort, 3 => 3).
    assert_eq!(a[0].kind, ActionKind::RemoveHostAccess);
    // Reversing the input order gives the same plan.
    let mut reversed = findings.clone();
    reversed.reverse();
    let c = plan(&reversed, &Inventory::default(), &Exposure::default());
    let titles = |v: &[crate::Action]| v.iter().map(|x| x.title.clone()).collect::<Vec<_>>();
    assert_eq!(titles(&a), titles(&c));
}

#[test]
fn exposure_and_paths_raise_the_rank() {
    let findings = sample();
    let mut exposure = Exposure::default();
    exposure
        .internet_facing
        .insert("Deployment/shop/api".to_string());
    exposure.path_cuts.push((
        "harden-workload:Deployment/shop/api".to_string(),
        "harden api".to_string(),
        2,
    ));
    exposure.path_cuts.push((
        "service-account-token:Deployment/shop/api".to_string(),
        "stop mounting the token in Deployment shop/api".to_string(),
        3,
    ));
    let actions = plan(&findings, &Inventory::default(), &exposure);
    let api = actions
        .iter()
        .find(|a| a.kind == ActionKind::HardenWorkload && a.target.ends_with("/api"))
        .expect("api");
    assert_eq!(api.paths_cut, 2);
    assert!((api.risk - (3.0 * 2.0 + 30.0)).abs() < 1e-9, "{}", api.risk);
    // A cut no finding covers becomes an action of its own.
    let token = actions
        .iter()
        .find(|a| a.kind == ActionKind::ServiceAccountToken)
        .expect("token action");
    assert_eq!((token.paths_cut, token.findings.len()), (3, 0));
    assert!(token.title.starts_with("Stop mounting"));
}

#[test]
fn suppressed_findings_are_not_acted_on() {
    let mut findings = sample();
    for f in &mut findings {
        f.suppressed = Some(rampart_model::Suppression {
            by: "config",
            reason: "r".into(),
        });
    }
    assert!(plan(&findings, &Inventory::default(), &Exposure::default()).is_empty());
}

#[test]
fn area_scores_are_bounded_and_say_what_is_not_assessed() {
    let findings = sample();
    let scores = area_scores(&findings, &Inventory::default(), false, false);
    let cloud = scores
        .iter()
        .find(|s| s.area == Area::CloudConfig)
        .expect("cloud");
    assert_eq!(cloud.score, None);
    assert!(cloud.hint.is_some_and(|h| h.contains("Terraform")));
    let workload = scores
        .iter()
        .find(|s| s.area == Area::Workload)
        .expect("workload");
    // Two resources with findings, no other workloads: web loses 60+30+10 = 100,
    // api 10+3 = 13, mean 44; a critical finding caps the area at 40.
    assert_eq!(workload.score, Some(40));
    let quotas = scores
        .iter()
        .find(|s| s.area == Area::Quotas)
        .expect("quotas");
    // Namespace shop loses 10, Deployment api 10: mean 90, medium caps at 90.
    assert_eq!(quotas.score, Some(90));
    assert_eq!(
        scores,
        area_scores(&findings, &Inventory::default(), false, false)
    );
}

#[test]
fn a_binding_without_its_role_is_deleted_not_replaced() {
    let binding = |check| {
        let mut f = finding(
            check,
            Severity::Low,
            Area::Identity,
            "RoleBinding",
            "ci",
            "old-deployer",
            None,
        );
        f.resource.api_version = "rbac.authorization.k8s.io/v1".into();
        f
    };
    let actions = plan(
        &[binding("rbac-binding-missing-role")],
        &Inventory::default(),
        &Exposure::default(),
    );
    assert_eq!(actions[0].kind, ActionKind::RemoveBinding);
    assert_eq!(
        actions[0].title,
        "Delete RoleBinding ci/old-deployer: the role it grants does not exist"
    );
    assert_eq!(
        actions[0].fix,
        "kubectl delete rolebinding old-deployer -n ci"
    );
    assert_eq!(actions[0].effort, crate::Effort::Low);
    // With another finding on the binding, its subjects need a replacement.
    let actions = plan(
        &[
            binding("rbac-binding-missing-role"),
            binding("rbac-default-sa-binding"),
        ],
        &Inventory::default(),
        &Exposure::default(),
    );
    assert!(
        actions[0].title.contains("replace it"),
        "{}",
        actions[0].title
    );
    assert_eq!(actions[0].effort, crate::Effort::Medium);
}
