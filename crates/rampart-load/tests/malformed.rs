//! The malformed-input set: every kind of broken input gives a clean error
//! naming the line, never a panic, and the rest of the input still loads.

use rampart_load::{load_text, LoadOptions};

fn load(text: &str) -> rampart_model::Inventory {
    load_text("bad.yaml", text, &LoadOptions::default())
}

/// A valid Deployment whose pod spec has `field` set to `value` at `path`
/// (pod level or container level), plus a second, valid object.
fn deployment(pod_fields: &str, container_fields: &str) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n{pod_fields}      containers:\n      - name: c\n        image: x:1\n{container_fields}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: still-here\n"
    )
}

#[test]
fn wrong_types_in_every_pod_field_are_errors_with_their_line() {
    // (pod-level field, value) and (container-level field, value): each of the
    // wrong JSON type, which the API server would reject.
    let pod_cases = [
        ("hostNetwork", "\"true\""),
        ("hostPID", "1"),
        ("hostIPC", "[true]"),
        ("hostUsers", "\"false\""),
        ("shareProcessNamespace", "yes please"),
        ("automountServiceAccountToken", "{}"),
        ("serviceAccountName", "[a]"),
        ("initContainers", "x"),
        ("ephemeralContainers", "{}"),
        ("volumes", "x"),
        ("hostAliases", "x"),
        ("os", "windows"),
        ("securityContext", "[]"),
    ];
    for (field, value) in pod_cases {
        let text = deployment(&format!("      {field}: {value}\n"), "");
        let inv = load(&text);
        assert_eq!(inv.errors.len(), 1, "{field}: {:?}", inv.errors);
        assert_eq!(inv.errors[0].line, 8, "{field}: {:?}", inv.errors);
        assert!(
            inv.errors[0].message.contains(field),
            "{field}: {}",
            inv.errors[0].message
        );
        assert_eq!(inv.objects.len(), 2, "{field}: the rest still loads");
    }
    let pod_sc_cases = [
        ("runAsNonRoot", "\"true\""),
        ("runAsUser", "root"),
        ("runAsGroup", "1.5"),
        ("fsGroup", "x"),
        ("seccompProfile", "RuntimeDefault"),
        ("appArmorProfile", "[]"),
        ("seLinuxOptions", "x"),
        ("windowsOptions", "x"),
        ("sysctls", "x"),
        ("supplementalGroups", "x"),
    ];
    for (field, value) in pod_sc_cases {
        let text = deployment(
            &format!("      securityContext:\n        {field}: {value}\n"),
            "",
        );
        let inv = load(&text);
        assert_eq!(inv.errors.len(), 1, "{field}: {:?}", inv.errors);
        assert_eq!(inv.errors[0].line, 9, "{field}");
    }
    let container_cases = [
        ("name", "[x]"),
        ("image", "{}"),
        ("ports", "x"),
        ("env", "x"),
        ("envFrom", "x"),
        ("volumeMounts", "x"),
        ("resources", "x"),
        ("livenessProbe", "x"),
        ("readinessProbe", "x"),
        ("startupProbe", "x"),
        ("lifecycle", "x"),
        ("securityContext", "x"),
    ];
    for (field, value) in container_cases {
        // `name` and `image` are already set: override them in place.
        let text = deployment("", &format!("        {field}: {value}\n")).replace(
            "        name: c\n        image: x:1\n        name: [x]\n",
            "        name: [x]\n        image: x:1\n",
        );
        let inv = load(&text);
        assert!(!inv.errors.is_empty(), "{field}");
        assert!(
            inv.errors.iter().all(|e| e.line >= 10),
            "{field}: {:?}",
            inv.errors
        );
        assert_eq!(inv.objects.len(), 2, "{field}");
    }
    let container_sc_cases = [
        ("privileged", "\"true\""),
        ("allowPrivilegeEscalation", "1"),
        ("readOnlyRootFilesystem", "[]"),
        ("runAsNonRoot", "x"),
        ("runAsUser", "x"),
        ("runAsGroup", "x"),
        ("procMount", "1"),
        ("capabilities", "x"),
        ("seccompProfile", "x"),
        ("appArmorProfile", "x"),
        ("seLinuxOptions", "x"),
        ("windowsOptions", "x"),
    ];
    for (field, value) in container_sc_cases {
        let text = deployment(
            "",
            &format!("        securityContext:\n          {field}: {value}\n"),
        );
        let inv = load(&text);
        assert_eq!(inv.errors.len(), 1, "{field}: {:?}", inv.errors);
        assert_eq!(inv.errors[0].line, 12, "{field}: {:?}", inv.errors);
    }
    // Nested list entries: a capability that is not a string, a port that is not a number.
    let text = deployment("", "        securityContext:\n          capabilities:\n            add: [SYS_ADMIN, 7]\n        ports:\n        - containerPort: http\n");
    let lines: Vec<u32> = load(&text).errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![13, 15]);
}

#[test]
fn truncated_documents_are_errors_and_earlier_documents_survive() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: b\nspec:\n  containers: [{name: c, image: \"x:1";
    let inv = load(text);
    assert_eq!(inv.objects.len(), 1);
    assert_eq!(inv.errors.len(), 1);
    assert!(inv.errors[0].line >= 5);
    let inv = load_text(
        "t.json",
        "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [",
        &LoadOptions::default(),
    );
    assert_eq!(inv.errors.len(), 1);
    assert!(inv.errors[0].message.starts_with("invalid JSON"));
}

#[test]
fn alias_bombs_and_deep_nesting_are_refused_quickly() {
    let mut bomb = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..15 {
        bomb.push_str(&format!(
            "  a{i}: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 10].join(", ")
        ));
    }
    let started = std::time::Instant::now();
    let inv = load(&bomb);
    assert_eq!(inv.errors.len(), 1);
    assert!(started.elapsed().as_secs() < 10, "bounded work");
    let deep = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: d}}\ndata: {}1{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let inv = load(&deep);
    assert_eq!(inv.errors.len(), 1);
    assert_eq!(inv.errors[0].line, 4);
    let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let inv = load_text("deep.json", &deep_json, &LoadOptions::default());
    assert_eq!(inv.errors.len(), 1);
}

#[test]
fn enormous_scalars_load_without_trouble() {
    let big = "x".repeat(20 * 1024 * 1024);
    let text = format!("apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: big}}\ndata:\n  blob: {big}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: small}}\n");
    let inv = load(&text);
    assert!(
        inv.errors.is_empty(),
        "{:?}",
        inv.errors.first().map(|e| &e.message)
    );
    assert_eq!(inv.objects.len(), 2);
}

#[test]
fn invalid_utf8_and_binary_are_errors_with_lines() {
    let dir = std::env::temp_dir().join(format!("rampart-malformed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("a.yaml"),
        b"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \xc3\x28\n",
    )
    .expect("write");
    std::fs::write(dir.join("b.yaml"), b"\x00\x01\x02binary").expect("write");
    std::fs::write(
        dir.join("c.yaml"),
        b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine}\n",
    )
    .expect("write");
    let inv = rampart_load::load(&[dir.display().to_string()], &LoadOptions::default());
    let mut lines: Vec<(String, u32)> = inv
        .errors
        .iter()
        .map(|e| (e.file.rsplit('/').next().unwrap_or("").to_string(), e.line))
        .collect();
    lines.sort();
    assert_eq!(
        lines,
        vec![("a.yaml".to_string(), 4), ("b.yaml".to_string(), 1)]
    );
    assert_eq!(inv.objects.len(), 1);
}

#[test]
fn missing_identity_fields_are_errors() {
    let cases = [
        ("kind: Pod\nmetadata: {name: x}\n", "apiVersion"),
        ("apiVersion: v1\nmetadata: {name: x}\n", "kind"),
        ("apiVersion: v1\nkind: Pod\nmetadata: {}\n", "metadata.name"),
        (
            "apiVersion: 1\nkind: Pod\nmetadata: {name: x}\n",
            "apiVersion",
        ),
        ("apiVersion: v1\nkind: Pod\nmetadata: [x]\n", "metadata"),
    ];
    for (text, what) in cases {
        let inv = load(text);
        assert_eq!(inv.errors.len(), 1, "{what}");
        assert!(
            inv.errors[0].message.contains(what),
            "{what}: {}",
            inv.errors[0].message
        );
        assert!(inv.errors[0].line >= 1);
    }
}
