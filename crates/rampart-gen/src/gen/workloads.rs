//! A workload and what comes with it: its ConfigMap/Secret, Services, Ingress, the controller,
//! and in live dumps the ReplicaSets, Jobs and Pods the controllers created.

use serde_json::{json, Map, Value};

use super::pods::{fake_pem, Template, MARKERS, TPL};
use super::{object, with_labels, Gen};
use crate::emit::{Out, Raw, Spliced};
use crate::plan::{Flavor, Kind, Namespace, Workload};
use crate::rng::Rng;
use crate::util::{base64, labels, obj};
use crate::vocab::*;

impl Gen<'_> {
    pub(super) fn workload(&self, nsi: usize, wi: usize, rng: &mut Rng, out: &mut Out) {
        let ns = &self.plan.namespaces[nsi];
        let w = &ns.workloads[wi];
        let mut tpl = self.pod_template(ns, w, rng);
        out.extend(std::mem::take(&mut tpl.extras));
        if self.live() {
            crate::util::sort_map(&mut tpl.spec);
        }
        // The pod spec, rendered once for the controller and its ReplicaSets or Jobs.
        let raw = Raw::new(self.format, &tpl.spec, 3, TPL);
        let cron_raw = (w.kind == Kind::CronJob).then(|| Raw::new(self.format, &tpl.spec, 5, TPL));
        let mut services = Vec::new();
        self.services(ns, w, &tpl, rng, &mut services);
        out.extend(services);

        // Controller metadata.
        let mut wl_labels = if matches!(w.flavor, Flavor::Infra(_)) {
            tpl.selector.clone()
        } else {
            labels(&[("app", &w.name), ("team", ns.team), ("tier", w.tier)])
        };
        let mut wl_annotations = Map::new();
        match rng.weighted(&[50, 30, 20]) {
            0 => {}
            1 => {
                wl_labels.insert("app.kubernetes.io/managed-by".into(), "Helm".into());
                wl_labels.insert(
                    "helm.sh/chart".into(),
                    format!("{}-{}.{}.0", w.name, rng.range(0, 3), rng.range(0, 20)).into(),
                );
                wl_annotations.insert("meta.helm.sh/release-name".into(), w.name.as_str().into());
                wl_annotations.insert(
                    "meta.helm.sh/release-namespace".into(),
                    ns.name.as_str().into(),
                );
            }
            _ => {
                wl_labels.insert("app.kubernetes.io/managed-by".into(), "kustomize".into());
                wl_annotations.insert(
                    "argocd.argoproj.io/tracking-id".into(),
                    format!(
                        "{}:apps/{}:{}/{}",
                        ns.name,
                        w.kind.as_str(),
                        ns.name,
                        w.name
                    )
                    .into(),
                );
            }
        }
        let kind = w.kind.as_str();
        let api = match w.kind {
            Kind::Job | Kind::CronJob => "batch/v1",
            _ => "apps/v1",
        };
        let mut meta = self.meta(kind, Some(&ns.name), &w.name);
        let revision = rng.range(1, 12);
        if self.live() {
            meta.insert("generation".into(), revision.into());
            if w.kind == Kind::Deployment {
                wl_annotations.insert(
                    "deployment.kubernetes.io/revision".into(),
                    revision.to_string().into(),
                );
            }
        }
        let meta = with_labels(meta, wl_labels, wl_annotations);
        let template = self.template_value(&tpl, &[]);

        let mut spec = Map::new();
        match w.kind {
            Kind::Deployment => {
                spec.insert("replicas".into(), w.pods.into());
                spec.insert(
                    "selector".into(),
                    obj([("matchLabels", Value::Object(tpl.selector.clone()))]),
                );
                if rng.pct(30) {
                    spec.insert(
                        "strategy".into(),
                        json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}),
                    );
                } else if self.live() {
                    spec.insert(
                        "strategy".into(),
                        json!({"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}),
                    );
                }
                if self.live() {
                    spec.insert("progressDeadlineSeconds".into(), 600.into());
                    spec.insert("revisionHistoryLimit".into(), 10.into());
                } else if rng.pct(20) {
                    spec.insert("revisionHistoryLimit".into(), 3.into());
                }
                spec.insert("template".into(), template);
            }
            Kind::StatefulSet => {
                spec.insert("serviceName".into(), format!("{}-headless", w.name).into());
                spec.insert("replicas".into(), w.pods.into());
                spec.insert(
                    "selector".into(),
                    obj([("matchLabels", Value::Object(tpl.selector.clone()))]),
                );
                if rng.pct(30) {
                    spec.insert("podManagementPolicy".into(), "Parallel".into());
                } else if self.live() {
                    spec.insert("podManagementPolicy".into(), "OrderedReady".into());
                }
                if self.live() {
                    spec.insert("revisionHistoryLimit".into(), 10.into());
                    spec.insert(
                        "updateStrategy".into(),
                        json!({"rollingUpdate": {"partition": 0}, "type": "RollingUpdate"}),
                    );
                    spec.insert(
                        "persistentVolumeClaimRetentionPolicy".into(),
                        json!({"whenDeleted": "Retain", "whenScaled": "Retain"}),
                    );
                }
                spec.insert("template".into(), template);
                if let Some(c) = &tpl.claims {
                    spec.insert("volumeClaimTemplates".into(), c.clone());
                }
            }
            Kind::DaemonSet => {
                spec.insert(
                    "selector".into(),
                    obj([("matchLabels", Value::Object(tpl.selector.clone()))]),
                );
                if rng.pct(50) || self.live() {
                    spec.insert(
                        "updateStrategy".into(),
                        json!({"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}),
                    );
                }
                if self.live() {
                    spec.insert("revisionHistoryLimit".into(), 10.into());
                }
                spec.insert("template".into(), template);
            }
            Kind::Job => {
                spec = self.job_spec(w.pods, &tpl, None, rng);
            }
            Kind::CronJob => {
                spec.insert("schedule".into(), (*rng.pick(SCHEDULES)).into());
                if rng.pct(20) {
                    spec.insert(
                        "timeZone".into(),
                        (*rng.pick(&["Etc/UTC", "Europe/Berlin"])).into(),
                    );
                }
                spec.insert(
                    "concurrencyPolicy".into(),
                    (*rng.pick(&["Forbid", "Allow", "Replace"])).into(),
                );
                spec.insert("successfulJobsHistoryLimit".into(), 1.into());
                spec.insert("failedJobsHistoryLimit".into(), 1.into());
                if self.live() {
                    spec.insert("suspend".into(), false.into());
                }
                let job_spec = self.job_spec(1, &tpl, None, rng);
                spec.insert(
                    "jobTemplate".into(),
                    json!({"metadata": {}, "spec": Value::Object(job_spec)}),
                );
            }
        }
        out.push_raw(
            object(api, kind, meta, vec![("spec", Value::Object(spec))]),
            &[cron_raw.as_ref().unwrap_or(&raw)],
        );

        if self.live() {
            self.children(ns, w, &tpl, &raw, revision, rng, out);
        }
    }

    /// `spec.template` as a value: labels and annotations, and the `TPL` marker for the pod
    /// spec, which is rendered once per workload (see `emit::Raw`).
    fn template_value(&self, tpl: &Template, extra: &[(&str, String)]) -> Value {
        let mut tl = tpl.labels.clone();
        for (k, v) in extra {
            tl.insert((*k).into(), v.as_str().into());
        }
        let mut meta = Map::new();
        if self.live() {
            // What the API server stores for a template's creationTimestamp.
            meta.insert("creationTimestamp".into(), Value::Null);
        }
        let meta = with_labels(meta, tl, tpl.annotations.clone());
        obj([("metadata", Value::Object(meta)), ("spec", TPL.into())])
    }

    fn job_spec(
        &self,
        completions: u32,
        tpl: &Template,
        uid: Option<(&str, &str)>,
        rng: &mut Rng,
    ) -> Map<String, Value> {
        let mut spec = Map::new();
        if completions > 1 {
            spec.insert("completions".into(), completions.into());
            spec.insert("parallelism".into(), completions.min(2).into());
        } else if self.live() {
            spec.insert("completions".into(), 1.into());
            spec.insert("parallelism".into(), 1.into());
        }
        spec.insert("backoffLimit".into(), (*rng.pick(&[0, 2, 4, 6])).into());
        if rng.pct(40) {
            spec.insert(
                "ttlSecondsAfterFinished".into(),
                (*rng.pick(&[300, 3600, 86400])).into(),
            );
        }
        if rng.pct(20) {
            spec.insert(
                "activeDeadlineSeconds".into(),
                (*rng.pick(&[600, 3600])).into(),
            );
        }
        let template = if let Some((uid, job)) = uid {
            let extra = [
                ("batch.kubernetes.io/controller-uid", uid.to_string()),
                ("batch.kubernetes.io/job-name", job.to_string()),
                ("controller-uid", uid.to_string()),
                ("job-name", job.to_string()),
            ];
            spec.insert(
                "selector".into(),
                json!({"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}),
            );
            spec.insert("completionMode".into(), "NonIndexed".into());
            spec.insert("suspend".into(), false.into());
            self.template_value(tpl, &extra)
        } else {
            self.template_value(tpl, &[])
        };
        spec.insert("template".into(), template);
        spec
    }

    /// What the controllers created: ReplicaSets, Jobs and Pods. Pods of one controller share
    /// a spec, rendered once and filled in per pod.
    #[allow(clippy::too_many_arguments)]
    fn children(
        &self,
        ns: &Namespace,
        w: &Workload,
        tpl: &Template,
        raw: &Raw,
        revision: u64,
        rng: &mut Rng,
        out: &mut Out,
    ) {
        let nodes = &self.plan.nodes;
        let fallback = "ip-10-0-0-1.eu-west-1.compute.internal";
        let node = |rng: &mut Rng| -> &str {
            if nodes.is_empty() {
                fallback
            } else {
                &nodes[rng.below(nodes.len())]
            }
        };
        let owner_kind = match w.kind {
            Kind::Deployment => "ReplicaSet",
            Kind::StatefulSet => "StatefulSet",
            Kind::DaemonSet => "DaemonSet",
            Kind::Job | Kind::CronJob => "Job",
        };
        let spec = Spliced::new(self.format, &self.pod_spec(ns, tpl, owner_kind), &MARKERS);
        let mut suffixes = Suffixes::default();
        match w.kind {
            Kind::Deployment => {
                let owner = ("apps/v1", "Deployment", w.name.as_str());
                if revision > 1 && rng.pct(35) {
                    let hash = rng.k8s_suffix(10);
                    out.push_raw(
                        self.replica_set(ns, w, tpl, &hash, 0, revision - 1, owner),
                        &[raw],
                    );
                }
                let len = if rng.pct(50) { 9 } else { 10 };
                let hash = rng.k8s_suffix(len);
                out.push_raw(
                    self.replica_set(ns, w, tpl, &hash, w.pods, revision, owner),
                    &[raw],
                );
                let rs = format!("{}-{hash}", w.name);
                for _ in 0..w.pods {
                    let name = format!("{rs}-{}", suffixes.next(rng));
                    let n = node(rng);
                    let meta = self.pod_meta(
                        ns,
                        &name,
                        tpl,
                        &[("pod-template-hash", hash.clone())],
                        ("apps/v1", "ReplicaSet", &rs),
                    );
                    let kaa = rng.k8s_suffix(5);
                    out.push_spliced("v1", "Pod", meta, &spec, &[n, &kaa, &name]);
                }
            }
            Kind::StatefulSet => {
                let rev = format!("{}-{}", w.name, rng.k8s_suffix(10));
                for i in 0..w.pods {
                    let name = format!("{}-{i}", w.name);
                    let n = node(rng);
                    let mut meta = self.pod_meta(
                        ns,
                        &name,
                        tpl,
                        &[
                            ("apps.kubernetes.io/pod-index", i.to_string()),
                            ("controller-revision-hash", rev.clone()),
                            ("statefulset.kubernetes.io/pod-name", name.clone()),
                        ],
                        ("apps/v1", "StatefulSet", &w.name),
                    );
                    meta.remove("generateName");
                    let kaa = rng.k8s_suffix(5);
                    out.push_spliced("v1", "Pod", meta, &spec, &[n, &kaa, &name]);
                }
            }
            Kind::DaemonSet => {
                let rev = rng.k8s_suffix(10);
                for i in 0..w.pods as usize {
                    let name = format!("{}-{}", w.name, suffixes.next(rng));
                    let n = nodes.get(i).map_or(fallback, String::as_str);
                    let meta = self.pod_meta(
                        ns,
                        &name,
                        tpl,
                        &[
                            ("controller-revision-hash", rev.clone()),
                            ("pod-template-generation", "1".to_string()),
                        ],
                        ("apps/v1", "DaemonSet", &w.name),
                    );
                    let kaa = rng.k8s_suffix(5);
                    out.push_spliced("v1", "Pod", meta, &spec, &[n, &kaa, &name]);
                }
            }
            Kind::Job | Kind::CronJob => {
                let job = if w.kind == Kind::Job {
                    w.name.clone()
                } else {
                    // The last scheduled run, kept by successfulJobsHistoryLimit.
                    format!("{}-{}", w.name, 28_400_000 + rng.below(600_000))
                };
                let uid = self.uid("Job", &ns.name, &job);
                let job_labels = [
                    ("batch.kubernetes.io/controller-uid", uid.clone()),
                    ("batch.kubernetes.io/job-name", job.clone()),
                    ("controller-uid", uid.clone()),
                    ("job-name", job.clone()),
                ];
                if w.kind == Kind::CronJob {
                    let mut meta =
                        self.owned_meta("Job", &ns.name, &job, ("batch/v1", "CronJob", &w.name));
                    let mut jl = tpl.labels.clone();
                    for (k, v) in &job_labels[..2] {
                        jl.insert((*k).into(), v.as_str().into());
                    }
                    meta.insert("generation".into(), 1.into());
                    let meta = with_labels(meta, jl, Map::new());
                    let spec = self.job_spec(1, tpl, Some((&uid, &job)), rng);
                    out.push_raw(
                        object("batch/v1", "Job", meta, vec![("spec", Value::Object(spec))]),
                        &[raw],
                    );
                }
                for _ in 0..w.pods {
                    let name = format!("{job}-{}", suffixes.next(rng));
                    let n = node(rng);
                    let meta =
                        self.pod_meta(ns, &name, tpl, &job_labels, ("batch/v1", "Job", &job));
                    let kaa = rng.k8s_suffix(5);
                    out.push_spliced("v1", "Pod", meta, &spec, &[n, &kaa, &name]);
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn replica_set(
        &self,
        ns: &Namespace,
        w: &Workload,
        tpl: &Template,
        hash: &str,
        replicas: u32,
        revision: u64,
        owner: (&str, &str, &str),
    ) -> Value {
        let name = format!("{}-{hash}", w.name);
        let mut rl = tpl.labels.clone();
        rl.insert("pod-template-hash".into(), hash.into());
        let annotations = crate::util::labels(&[
            (
                "deployment.kubernetes.io/desired-replicas",
                &w.pods.to_string(),
            ),
            (
                "deployment.kubernetes.io/max-replicas",
                &(w.pods + 1).to_string(),
            ),
            ("deployment.kubernetes.io/revision", &revision.to_string()),
        ]);
        let mut meta = self.owned_meta("ReplicaSet", &ns.name, &name, owner);
        meta.insert("generation".into(), 1.into());
        let meta = with_labels(meta, rl, annotations);
        let mut sel = tpl.selector.clone();
        sel.insert("pod-template-hash".into(), hash.into());
        let template = self.template_value(tpl, &[("pod-template-hash", hash.to_string())]);
        object(
            "apps/v1",
            "ReplicaSet",
            meta,
            vec![(
                "spec",
                obj([
                    ("replicas", replicas.into()),
                    ("selector", obj([("matchLabels", Value::Object(sel))])),
                    ("template", template),
                ]),
            )],
        )
    }

    /// Services (and an Ingress) in front of a serving workload.
    fn services(
        &self,
        ns: &Namespace,
        w: &Workload,
        tpl: &Template,
        rng: &mut Rng,
        out: &mut Vec<Value>,
    ) {
        let Some((port, pname)) = w.port else { return };
        if matches!(w.kind, Kind::Job | Kind::CronJob) {
            return;
        }
        let target: Value = if tpl.named_port && rng.pct(70) {
            pname.into()
        } else {
            port.into()
        };
        let svc_port = if pname == "http" { 80 } else { port };
        match (w.flavor, w.kind) {
            (Flavor::Infra(_), _) if w.name == "coredns" => {
                out.push(self.service(
                    ns,
                    "kube-dns",
                    labels(&[("k8s-app", "kube-dns"), ("kubernetes.io/name", "CoreDNS")]),
                    &tpl.selector,
                    "ClusterIP",
                    json!([
                        {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                        {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                    ]),
                    rng,
                ));
                return;
            }
            (Flavor::Infra(_), _) if w.name == "ingress-nginx-controller" => {
                let mut s = self.service(
                    ns,
                    &w.name,
                    tpl.selector.clone(),
                    &tpl.selector,
                    "LoadBalancer",
                    json!([
                        {"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"},
                        {"name": "https", "port": 443, "protocol": "TCP", "targetPort": 443},
                    ]),
                    rng,
                );
                s["metadata"]["annotations"] = json!({
                    "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
                    "service.beta.kubernetes.io/aws-load-balancer-scheme": "internet-facing",
                });
                out.push(s);
                return;
            }
            (_, Kind::StatefulSet) => {
                let mut s = self.service(
                    ns,
                    &format!("{}-headless", w.name),
                    labels(&[("app", &w.name)]),
                    &tpl.selector,
                    "ClusterIP",
                    json!([{"name": pname, "port": port, "targetPort": target}]),
                    rng,
                );
                s["spec"]["clusterIP"] = "None".into();
                if self.live() {
                    s["spec"]["clusterIPs"] = json!(["None"]);
                }
                s["spec"]["publishNotReadyAddresses"] = true.into();
                out.push(s);
                if !rng.pct(50) {
                    return;
                }
            }
            (Flavor::Agent(_), _) if rng.pct(60) => return,
            (Flavor::App, _) if rng.pct(12) => return,
            _ => {}
        }
        let ty = if ns.system {
            "ClusterIP"
        } else {
            ["ClusterIP", "NodePort", "LoadBalancer"][rng.weighted(&[82, 9, 9])]
        };
        let mut sl = labels(&[("app", &w.name)]);
        if !ns.system {
            sl.insert("team".into(), ns.team.into());
        }
        let mut s = self.service(
            ns,
            &w.name,
            sl,
            &tpl.selector,
            ty,
            json!([{"name": pname, "port": svc_port, "protocol": "TCP", "targetPort": target}]),
            rng,
        );
        if ty == "LoadBalancer" {
            let scheme = *rng.pick(&["internet-facing", "internal"]);
            s["metadata"]["annotations"] = json!({
                "service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
                "service.beta.kubernetes.io/aws-load-balancer-scheme": scheme,
            });
            if rng.pct(30) {
                s["spec"]["loadBalancerSourceRanges"] = json!(["10.0.0.0/8", "203.0.113.0/24"]);
            }
        }
        out.push(s);

        // Ingress for web-facing services in team namespaces.
        let web = matches!(pname, "http" | "https") && w.tier == "frontend"
            || w.name.ends_with("-api")
            || w.name.ends_with("-gateway");
        if ns.system || w.flavor != Flavor::App || !web || !rng.pct(40) {
            return;
        }
        let class = *rng.pick(&["nginx", "nginx", "alb"]);
        let host = format!("{}.{}.{}.example.com", w.name, ns.team, ns.env);
        let tls = rng.pct(60);
        let mut ann = Map::new();
        if tls && class == "nginx" && rng.pct(70) {
            ann.insert(
                "cert-manager.io/cluster-issuer".into(),
                "letsencrypt-prod".into(),
            );
        }
        if class == "nginx" && rng.pct(15) {
            ann.insert(
                "nginx.ingress.kubernetes.io/ssl-redirect".into(),
                "false".into(),
            );
        }
        if class == "nginx" && rng.pct(4) {
            ann.insert(
                "nginx.ingress.kubernetes.io/configuration-snippet".into(),
                "more_set_headers \"X-Frame-Options: DENY\";\n".into(),
            );
        }
        if class == "alb" {
            ann.insert(
                "alb.ingress.kubernetes.io/scheme".into(),
                (*rng.pick(&["internet-facing", "internal"])).into(),
            );
            ann.insert("alb.ingress.kubernetes.io/target-type".into(), "ip".into());
        }
        let backend_port = if rng.pct(50) {
            json!({"name": pname})
        } else {
            json!({"number": svc_port})
        };
        let path = json!({
            "path": *rng.pick(&["/", "/", "/api", "/v1"]),
            "pathType": *rng.pick(&["Prefix", "Prefix", "ImplementationSpecific", "Exact"]),
            "backend": {"service": {"name": w.name, "port": backend_port}},
        });
        let rule = if rng.pct(8) {
            // No host: matches every host name.
            json!({"http": {"paths": [path]}})
        } else {
            json!({"host": host, "http": {"paths": [path]}})
        };
        let mut spec = Map::new();
        spec.insert("ingressClassName".into(), class.into());
        let tls_secret = format!("{}-tls", w.name);
        if tls {
            spec.insert(
                "tls".into(),
                json!([{"hosts": [host], "secretName": tls_secret}]),
            );
        }
        spec.insert("rules".into(), json!([rule]));
        let meta = with_labels(
            self.meta("Ingress", Some(&ns.name), &w.name),
            labels(&[("app", &w.name)]),
            ann,
        );
        out.push(object(
            "networking.k8s.io/v1",
            "Ingress",
            meta,
            vec![("spec", Value::Object(spec))],
        ));
        if tls && rng.pct(80) {
            let meta = self.meta("Secret", Some(&ns.name), &tls_secret);
            let crt = fake_pem(rng, "CERTIFICATE");
            let key = fake_pem(rng, "PRIVATE KEY");
            out.push(object(
                "v1",
                "Secret",
                meta,
                vec![
                    ("type", "kubernetes.io/tls".into()),
                    (
                        "data",
                        json!({"tls.crt": base64(crt.as_bytes()), "tls.key": base64(key.as_bytes())}),
                    ),
                ],
            ));
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn service(
        &self,
        ns: &Namespace,
        name: &str,
        svc_labels: Map<String, Value>,
        selector: &Map<String, Value>,
        ty: &str,
        mut ports: Value,
        rng: &mut Rng,
    ) -> Value {
        let meta = with_labels(
            self.meta("Service", Some(&ns.name), name),
            svc_labels,
            Map::new(),
        );
        let mut spec = Map::new();
        if ty != "ClusterIP" || rng.pct(40) {
            spec.insert("type".into(), ty.into());
        }
        if ty != "ClusterIP" {
            for p in ports.as_array_mut().into_iter().flatten() {
                if self.live() || rng.pct(30) {
                    p["nodePort"] = rng.range(30000, 32767).into();
                }
            }
        }
        spec.insert("selector".into(), Value::Object(selector.clone()));
        if self.live() {
            let ip = format!("10.100.{}.{}", rng.range(0, 255), rng.range(1, 254));
            spec.insert("clusterIP".into(), ip.as_str().into());
            spec.insert("clusterIPs".into(), json!([ip]));
            spec.insert("internalTrafficPolicy".into(), "Cluster".into());
            spec.insert("ipFamilies".into(), json!(["IPv4"]));
            spec.insert("ipFamilyPolicy".into(), "SingleStack".into());
            spec.insert("sessionAffinity".into(), "None".into());
            spec.insert("type".into(), ty.into());
            if ty != "ClusterIP" {
                spec.insert("externalTrafficPolicy".into(), "Cluster".into());
            }
            for p in ports.as_array_mut().into_iter().flatten() {
                if p.get("protocol").is_none() {
                    p["protocol"] = "TCP".into();
                }
            }
        }
        spec.insert("ports".into(), ports);
        object("v1", "Service", meta, vec![("spec", Value::Object(spec))])
    }
}

/// Random 5-character name suffixes, never the same twice for one owner.
#[derive(Default)]
struct Suffixes(std::collections::HashSet<String>);

impl Suffixes {
    fn next(&mut self, rng: &mut Rng) -> String {
        loop {
            let s = rng.k8s_suffix(5);
            if self.0.insert(s.clone()) {
                return s;
            }
        }
    }
}
