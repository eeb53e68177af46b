use rampart_model::{Area, Severity};
use rampart_rbac::danger::Danger;

use crate::check::{Check, CheckMeta, Logic};
use crate::rules::identity::{cluster_binding, fixed, report};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "rbac-csr-approve",
        title: "Role can approve certificate signing requests",
        area: Area::Identity,
        severity: Severity::Critical,
        rationale: "Approving CertificateSigningRequests for a signer such as kubernetes.io/kube-apiserver-client lets the holder mint a client certificate for any user and group, system:masters included; the certificate cannot be revoked before it expires.",
        remediation: "Leave CSR approval to the controller manager and node bootstrap; if a controller must approve, restrict signers/approve to the one signer it serves (resourceNames).",
        references: &["https://kubernetes.io/docs/concepts/security/rbac-good-practices/"],
        pss: None,
    },
    logic: Logic::Inventory(|_, emit| {
        report(emit, Danger::CsrApprove, cluster_binding, fixed, |cluster| {
            if cluster {
                "an attacker holding it issues itself a client certificate for system:masters, which is cluster-admin that cannot be revoked"
            } else {
                "an attacker holding it issues itself client certificates for any identity"
            }
        })
    }),
};
