use rampart_model::{Area, Severity};

use crate::check::{Check, CheckMeta, Logic};

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "ingress-nginx-snippet",
        title: "Ingress injects raw NGINX configuration (snippet annotation)",
        area: Area::Network,
        severity: Severity::High,
        rationale: "ingress-nginx copies `*-snippet` annotations into its own NGINX configuration. Whoever can \
            create an Ingress can then read files of the controller (its service-account token, which reads every \
            Secret of the cluster) or change routing for other hosts (CVE-2021-25742, CVE-2023-5044, \
            CVE-2025-1974 family).",
        remediation: "Remove the snippet annotations, use the controller's dedicated annotations or a ConfigMap \
            reviewed by the platform team, and set `allow-snippet-annotations: \"false\"` on the controller.",
        references: &[
            "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/",
            "https://github.com/kubernetes/ingress-nginx/issues/7837",
        ],
        pss: None,
    },
    logic: Logic::Object(|object, emit| {
        if object.kind() != "Ingress" {
            return;
        }
        for (key, value) in object.annotations().as_map().unwrap_or(&[]) {
            if key.starts_with("nginx.ingress.kubernetes.io/") && key.ends_with("-snippet") {
                emit.object(object, None, format!("metadata.annotations.{key}"), &[Some(value)],
                    format!("annotation {key} writes raw NGINX configuration into the ingress controller"));
            }
        }
    }),
};
