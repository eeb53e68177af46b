use rampart_model::{Area, Node, Object, Severity};

use crate::check::{describe, Check, CheckMeta, Emitter, Logic};

/// What kind of static cloud credential `key: value` is, if any.
pub(crate) fn cloud_credential(key: &str, value: &str) -> Option<&'static str> {
    let k = key.to_ascii_lowercase().replace(['-', '.'], "_");
    let v = value.trim();
    let alnum_upper = |s: &str| {
        s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    };
    if v.len() == 20 && v.starts_with("AKIA") && alnum_upper(v) {
        return Some("an AWS access key id");
    }
    // 40 characters of base64: placeholders (`<your-secret-key>`,
    // `${AWS_SECRET}`, `changeme`) are not keys.
    let aws_secret_like = |s: &str| {
        s.len() == 40
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '/' || c == '+')
    };
    if k.contains("aws_secret_access_key") || k == "secretaccesskey" || k == "aws_secret_key" {
        return aws_secret_like(v).then_some("an AWS secret access key");
    }
    if v.contains("\"type\"") && v.contains("service_account") && v.contains("private_key") {
        return Some("a GCP service-account key");
    }
    if v.contains("AccountKey=") && v.contains("AccountName=") {
        return Some("an Azure storage connection string");
    }
    // `client_secret` alone is any OAuth client (Dex, oauth2-proxy, GitHub
    // apps), not a cloud credential: only Azure's own names count.
    if k.contains("azure_client_secret")
        || k.contains("azureclientsecret")
        || k.contains("aadclientsecret")
    {
        return (v.len() >= 16 && !v.contains(char::is_whitespace))
            .then_some("an Azure client secret");
    }
    // An AWS credentials file (any profile): `aws_secret_access_key = KEY`.
    let credentials_file = v.lines().any(|line| {
        line.trim()
            .strip_prefix("aws_secret_access_key")
            .and_then(|rest| rest.trim_start().strip_prefix('='))
            .is_some_and(|key| aws_secret_like(key.trim()))
    });
    if credentials_file {
        return Some("an AWS credentials file");
    }
    None
}

/// Decode standard base64 (Secret `data`); `None` when it is not base64.
pub(crate) fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => return None,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    Some(out)
}

fn scan_map(object: &Object, emit: &mut Emitter<'_>, field: &str, decode: bool, what: &str) {
    let Some(entries) = object.root.get(field).and_then(Node::as_map) else {
        return;
    };
    for (key, value) in entries {
        let Some(text) = value.as_str() else { continue };
        let decoded = if decode {
            base64_decode(text).and_then(|b| String::from_utf8(b).ok())
        } else {
            Some(text.to_string())
        };
        let Some(decoded) = decoded else { continue };
        if let Some(kind) = cloud_credential(key, &decoded) {
            emit.object(
                object,
                None,
                format!("{field}.{key}"),
                &[Some(value)],
                format!("{what} key {key} holds {kind}"),
            );
        }
    }
}

pub static CHECK: Check = Check {
    meta: CheckMeta {
        id: "cloud-static-credentials",
        title: "Static cloud credentials stored in the cluster",
        area: Area::Identity,
        severity: Severity::High,
        rationale: "Long-lived cloud keys (AWS access keys, GCP service-account JSON keys, Azure client secrets \
            and storage keys) in Secrets, ConfigMaps or environment variables outlive the pod, are copied into \
            backups and dumps, and give whoever reads them the cloud account's permissions from anywhere. This \
            is how attacks such as SCARLETEEL moved from a pod to the cloud account.",
        remediation: "Use workload identity instead (EKS IRSA or Pod Identity, GKE Workload Identity, Azure \
            Workload Identity); delete the stored keys and rotate them.",
        references: &[
            "https://docs.aws.amazon.com/eks/latest/userguide/iam-roles-for-service-accounts.html",
            "https://cloud.google.com/kubernetes-engine/docs/concepts/workload-identity",
            "https://azure.github.io/azure-workload-identity/docs/",
            "https://attack.mitre.org/techniques/T1552/",
        ],
        pss: None,
    },
    logic: Logic::Object(|object, emit| {
        match (object.kind(), object.id.api_version.as_str()) {
            ("Secret", "v1") => {
                scan_map(object, emit, "data", true, "Secret");
                scan_map(object, emit, "stringData", false, "Secret");
            }
            ("ConfigMap", "v1") => scan_map(object, emit, "data", false, "ConfigMap"),
            _ => {}
        }
        let Some(pod) = rampart_model::PodTemplate::of(object) else { return };
        for c in pod.containers() {
            for (i, var) in c.node.get("env").and_then(Node::as_seq).unwrap_or(&[]).iter().enumerate() {
                let name = var.get("name").and_then(Node::as_str).unwrap_or("");
                let Some(value) = var.get("value").and_then(Node::as_str) else { continue };
                if let Some(kind) = cloud_credential(name, value) {
                    emit.container(&pod, &c, &format!("env[{i}].value"), &[var.get("value"), Some(var)],
                        format!("{} env {name} holds {kind}", describe(&c)));
                }
            }
        }
    }),
};
