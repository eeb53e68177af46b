use rampart_model::{Area, Severity};
use rampart_rbac::danger::Danger;

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::identity::{fixed, is_eks, kube_system_scope, report};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-aws-auth-write",
        title: "Role can edit the EKS aws-auth ConfigMap",
        area: Area::Identity,
        severity: Severity::Critical,
        rationale: "On EKS the aws-auth ConfigMap in kube-system maps IAM roles and users to Kubernetes groups: whoever can edit it maps an IAM identity they control to system:masters.",
        remediation: "Remove update and patch on configmaps in kube-system (or at least on aws-auth); migrate to EKS access entries managed through the AWS API.",
        references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
        pss: None,
    },
    logic: Logic::Inventory(|inventory, emit| {
        if !is_eks(inventory) {
            return; // aws-auth only means something on EKS
        }
        report(emit, Danger::AwsAuthWrite, kube_system_scope, fixed, |_| {
            "an attacker holding it maps an IAM identity it controls to system:masters"
        })
    }),
};
