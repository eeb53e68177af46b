//! What a check is: metadata plus one function, and the emitter it reports to.

use rampart_model::{
    Area, Config, Container, Finding, Inventory, Location, Node, Object, PodTemplate, PssLevel,
    PssRef, ResourceRef, Severity,
};

/// Everything a person needs to know about a check; docs are generated from it.
#[derive(Debug)]
pub struct CheckMeta {
    /// Stable identifier, e.g. `pss-privileged`.
    pub id: &'static str,
    pub title: &'static str,
    pub area: Area,
    pub severity: Severity,
    /// Why this matters: what an attacker gains.
    pub rationale: &'static str,
    /// What to change.
    pub remediation: &'static str,
    /// Links to the standards and documentation behind the check.
    pub references: &'static [&'static str],
    /// The Pod Security Standards control, for checks that implement one.
    pub pss: Option<PssRef>,
}

/// The logic of a check, by the unit it looks at.
pub enum Logic {
    /// Called once per pod template (Pods, workloads, CronJobs, CRDs with templates).
    Pod(fn(&PodTemplate<'_>, &mut Emitter<'_>)),
    /// Called once per object.
    Object(fn(&Object, &mut Emitter<'_>)),
    /// Called once for the whole inventory (cross-object checks).
    Inventory(fn(&Inventory, &mut Emitter<'_>)),
}

pub struct Check {
    pub meta: CheckMeta,
    pub logic: Logic,
}

impl CheckMeta {
    pub const fn pss(level: PssLevel, control: &'static str) -> Option<PssRef> {
        Some(PssRef { level, control })
    }
}

/// What every check may consult besides the object it looks at. Shared
/// analyses (the RBAC model) are built once per run, on first use.
pub struct Context<'a> {
    pub inventory: &'a Inventory,
    pub config: &'a Config,
    /// The date waivers are judged against (today, or fixed in tests).
    pub today: rampart_model::Date,
    rbac: std::sync::OnceLock<rampart_rbac::RbacModel>,
    dangers: std::sync::OnceLock<Vec<Vec<rampart_rbac::danger::RoleDanger>>>,
    /// The pod templates analysed (a plain field: a lock would make the
    /// context invariant in `'a`).
    pods: Vec<PodTemplate<'a>>,
    network: std::sync::OnceLock<rampart_network::NetworkModel>,
    matrix: std::sync::OnceLock<rampart_network::Matrix>,
    workloads: std::sync::OnceLock<crate::rules::identity::Workloads>,
    /// Third-party components recognised, by the address of the pod's object.
    components: std::sync::OnceLock<std::collections::HashMap<usize, Option<Recognised>>>,
    exposures: std::sync::OnceLock<
        std::collections::BTreeMap<
            rampart_model::ResourceRef,
            Vec<rampart_network::exposure::ExposedBy>,
        >,
    >,
}

impl<'a> Context<'a> {
    pub fn new(inventory: &'a Inventory, config: &'a Config, today: rampart_model::Date) -> Self {
        Context {
            inventory,
            config,
            today,
            rbac: std::sync::OnceLock::new(),
            dangers: std::sync::OnceLock::new(),
            pods: crate::pod_templates(inventory),
            network: std::sync::OnceLock::new(),
            matrix: std::sync::OnceLock::new(),
            exposures: std::sync::OnceLock::new(),
            workloads: std::sync::OnceLock::new(),
            components: std::sync::OnceLock::new(),
        }
    }

    /// Every pod template, controllers' copies left out (see [`crate::pod_templates`]).
    pub fn pods(&self) -> &[PodTemplate<'a>] {
        &self.pods
    }

    /// Build the analyses whose construction is itself parallel (the
    /// NetworkPolicy matrix, the third-party components), before parallel
    /// work asks for them. Built lazily from inside rayon's pool, they run on
    /// one thread: a pool thread waiting for its share of a parallel build
    /// takes other queued work meanwhile, and if that work needs the analysis
    /// being built, it waits on itself.
    ///
    /// The analyses built on one thread (the NetworkPolicy and RBAC models,
    /// the exposures, the workloads by account) are built side by side
    /// first: their construction starts no parallel work, so it is safe
    /// anywhere.
    pub fn prepare(&self) {
        rayon::join(
            || {
                let _ = self.network();
            },
            || {
                rayon::join(
                    || {
                        let _ = self.dangers();
                        let _ = self.workloads();
                    },
                    || {
                        let _ = self.exposures();
                    },
                )
            },
        );
        let _ = self.matrix();
        if let Some(pod) = self.pods.first() {
            let _ = self.component(pod);
        }
    }

    /// The third-party component a pod template belongs to, and whether it
    /// runs the component's own image (see
    /// [`crate::rules::third_party::recognise_how`]); computed once per pod.
    pub(crate) fn component(&self, pod: &PodTemplate<'_>) -> Option<Recognised> {
        use rayon::prelude::*;
        let known = self.components.get_or_init(|| {
            let entry = |p: &PodTemplate<'_>| {
                (
                    address(p.object),
                    crate::rules::third_party::recognise_how(p),
                )
            };
            // Parallel only from outside rayon's pool: see `prepare`.
            if rayon::current_thread_index().is_none() {
                self.pods.par_iter().map(entry).collect()
            } else {
                self.pods.iter().map(entry).collect()
            }
        });
        match known.get(&address(pod.object)) {
            Some(found) => *found,
            None => crate::rules::third_party::recognise_how(pod),
        }
    }

    /// Workloads by the service account they run as.
    pub(crate) fn workloads(&self) -> &crate::rules::identity::Workloads {
        self.workloads
            .get_or_init(|| crate::rules::identity::Workloads::build(self))
    }

    /// The NetworkPolicy model of the inventory.
    pub fn network(&self) -> &rampart_network::NetworkModel {
        self.network.get_or_init(|| {
            timed("network model", || {
                rampart_network::NetworkModel::build(self.inventory)
            })
        })
    }

    /// Who can reach whom, for every workload and external endpoint.
    pub fn matrix(&self) -> &rampart_network::Matrix {
        let network = self.network();
        self.matrix
            .get_or_init(|| timed("network matrix", || network.matrix()))
    }

    /// Workloads exposed through Services, Ingresses and routes.
    pub fn exposures(
        &self,
    ) -> &std::collections::BTreeMap<
        rampart_model::ResourceRef,
        Vec<rampart_network::exposure::ExposedBy>,
    > {
        self.exposures.get_or_init(|| {
            timed("exposures", || {
                rampart_network::exposure::exposures(self.inventory, self.pods())
            })
        })
    }

    /// The RBAC model of the inventory.
    pub fn rbac(&self) -> &rampart_rbac::RbacModel {
        self.rbac.get_or_init(|| {
            timed("rbac model", || {
                rampart_rbac::RbacModel::build(self.inventory)
            })
        })
    }

    /// The dangerous capabilities of every role of [`Context::rbac`], by role index.
    pub fn dangers(&self) -> &[Vec<rampart_rbac::danger::RoleDanger>] {
        let rbac = self.rbac();
        self.dangers.get_or_init(|| {
            timed("role dangers", || {
                rbac.roles
                    .iter()
                    .map(rampart_rbac::danger::role_dangers)
                    .collect()
            })
        })
    }
}

/// A recognised third-party component, and whether the pod runs its image.
pub(crate) type Recognised = (&'static crate::rules::third_party::Component, bool);

fn address(object: &Object) -> usize {
    object as *const Object as usize
}

/// Run `f`, printing its time to stderr when RAMPART_TIMING is set.
pub(crate) fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = std::time::Instant::now();
    let value = f();
    if std::env::var_os("RAMPART_TIMING").is_some() {
        let rss = resident_mb()
            .map(|mb| format!(" ({mb} MB resident after)"))
            .unwrap_or_default();
        eprintln!(
            "timing: analysis {what} {:.3}s{rss}",
            started.elapsed().as_secs_f64()
        );
    }
    value
}

/// The process's resident memory in MB, where the system tells it (Linux),
/// for `RAMPART_TIMING` lines.
#[doc(hidden)]
pub fn resident_mb() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some((pages * 4096) >> 20)
}

/// Collects the findings of one check.
pub struct Emitter<'a> {
    meta: &'static CheckMeta,
    ctx: &'a Context<'a>,
    out: &'a mut Vec<Finding>,
    severity: Option<Severity>,
}

impl<'a> Emitter<'a> {
    pub fn new(meta: &'static CheckMeta, ctx: &'a Context<'a>, out: &'a mut Vec<Finding>) -> Self {
        Emitter {
            meta,
            ctx,
            out,
            severity: None,
        }
    }

    pub fn context(&self) -> &'a Context<'a> {
        self.ctx
    }

    pub fn inventory(&self) -> &'a Inventory {
        self.ctx.inventory
    }

    pub fn config(&self) -> &'a Config {
        self.ctx.config
    }

    /// Report the next findings at `severity` instead of the check's default
    /// (for checks whose danger depends on what is found, such as which host
    /// path is mounted). `None` restores the default.
    pub fn severity(&mut self, severity: Option<Severity>) -> &mut Self {
        self.severity = severity;
        self
    }

    /// Report a finding on `object`. `nodes` are candidates for the location,
    /// most specific first (the offending field, then the fields enclosing
    /// it); the first with a known line wins, else the object's own line.
    pub fn object(
        &mut self,
        object: &Object,
        container: Option<&str>,
        path: String,
        nodes: &[Option<&Node>],
        message: String,
    ) {
        self.located(object, container, path, nodes, None, message);
    }

    /// [`Emitter::object`] with one more candidate after `nodes`.
    fn located(
        &mut self,
        object: &Object,
        container: Option<&str>,
        path: String,
        nodes: &[Option<&Node>],
        last: Option<&Node>,
        message: String,
    ) {
        let line = nodes
            .iter()
            .chain(std::iter::once(&last))
            .flatten()
            .map(|n| n.line)
            .find(|&l| l > 0)
            .unwrap_or(object.origin.line);
        self.out.push(Finding {
            check: self.meta.id,
            severity: self.severity.unwrap_or(self.meta.severity),
            area: self.meta.area,
            resource: object.id.clone(),
            container: container.map(str::to_string),
            path,
            location: Location {
                file: object.origin.file.clone(),
                line,
            },
            message,
            pss: self.meta.pss,
            suppressed: None,
        });
    }

    /// Report a finding on a resource that may not be an object of the input
    /// (a namespace known only from its workloads, a waiver).
    pub fn resource(
        &mut self,
        resource: ResourceRef,
        path: String,
        location: Location,
        message: String,
    ) {
        self.out.push(Finding {
            check: self.meta.id,
            severity: self.severity.unwrap_or(self.meta.severity),
            area: self.meta.area,
            resource,
            container: None,
            path,
            location,
            message,
            pss: self.meta.pss,
            suppressed: None,
        });
    }

    /// Report on a pod template as a whole (a pod-level field).
    pub fn pod(
        &mut self,
        pod: &PodTemplate<'_>,
        field: &str,
        nodes: &[Option<&Node>],
        message: String,
    ) {
        let path = if field.is_empty() {
            pod.spec_path.to_string()
        } else {
            format!("{}.{field}", pod.spec_path)
        };
        self.located(pod.object, None, path, nodes, Some(pod.spec), message);
    }

    /// Report on one container. `field` is relative to the container.
    pub fn container(
        &mut self,
        pod: &PodTemplate<'_>,
        c: &Container<'_>,
        field: &str,
        nodes: &[Option<&Node>],
        message: String,
    ) {
        let path = c.field_path(field);
        self.located(pod.object, Some(c.name), path, nodes, Some(c.node), message);
    }
}

/// `container "name"` or `init container "name"`, for messages.
pub fn describe(c: &Container<'_>) -> String {
    match c.kind {
        rampart_model::ContainerKind::Container => format!("container \"{}\"", c.name),
        rampart_model::ContainerKind::Init => format!("init container \"{}\"", c.name),
        rampart_model::ContainerKind::Ephemeral => format!("ephemeral container \"{}\"", c.name),
    }
}
