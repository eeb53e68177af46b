use rampart_model::{Area, Node, PssLevel, Severity};

use crate::check::{describe, Check, CheckMeta, Logic};
use crate::rules::pss::PSS_DOC;

fn host_process(sc: Option<&Node>) -> Option<&Node> {
    sc.and_then(|s| s.at(&["windowsOptions", "hostProcess"]))
}

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "pss-host-process",
        title: "Windows HostProcess container",
        area: Area::Workload,
        severity: Severity::Critical,
        rationale: "A Windows HostProcess container runs directly on the node with the privileges of the \
            node's host, outside any container isolation: whoever controls it controls the node.",
        remediation: "Remove `securityContext.windowsOptions.hostProcess: true` from the pod and its containers; \
            run node-level Windows agents only in a namespace reserved for them.",
        references: &[PSS_DOC],
        pss: CheckMeta::pss(PssLevel::Baseline, "HostProcess"),
    },
    logic: Logic::Pod(|pod, emit| {
        if let Some(n) = host_process(pod.security_context()).filter(|n| n.as_bool() == Some(true)) {
            emit.pod(pod, "securityContext.windowsOptions.hostProcess", &[Some(n)],
                "pod sets securityContext.windowsOptions.hostProcess=true".into());
        }
        for c in pod.containers() {
            if let Some(n) = host_process(c.security_context()).filter(|n| n.as_bool() == Some(true)) {
                emit.container(pod, &c, "securityContext.windowsOptions.hostProcess", &[Some(n)],
                    format!("{} sets securityContext.windowsOptions.hostProcess=true", describe(&c)));
            }
        }
    }),
};
