//! The full reachability matrix, computed with bitsets.
//!
//! A connection s → d is allowed when some egress rule of s admits d and some
//! ingress rule of d admits s, on a common port (a side that is not isolated
//! acts as one rule admitting everything on every port). Ports are what make
//! this more than two bitset unions: each rule's port set, with named ports
//! resolved on the destination, is interned into a *port class*. For each
//! ingress class Q the matrix IN_Q (rows by destination: the sources some
//! class-Q rule of d admits) is built from the rules' peer bitsets and
//! transposed once into rows by source; then for every source the egress
//! peers of its rules whose class shares a port with Q are ORed and ANDed
//! with that row. The cost is (number of ingress port classes) x (a
//! transpose plus a pass over the rows), independent of how many pods each
//! selector matches, and the result is exact, not an approximation.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::bitset::{ones, or_words, set_range, transpose64, BitMatrix, Bitset};
use crate::policy::Rule;
use crate::ports::{ContainerPort, PortSet};
use crate::{dir_index, Direction, EndpointId, NetworkModel, Party, PeerSet};

/// Which workload can reach which (on some port), and which workload can
/// reach each external endpoint.
#[derive(Debug, Clone)]
pub struct Matrix {
    workloads: usize,
    allowed: BitMatrix,
    externals: Vec<EndpointId>,
    /// Per external endpoint, the workloads that can reach it.
    external: Vec<Bitset>,
    /// `allowed` by columns, built on first use.
    columns: std::sync::OnceLock<BitMatrix>,
}

/// Summary counts, for reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MatrixStats {
    pub workloads: usize,
    /// Allowed (source, destination) workload pairs, a workload to itself
    /// included (its replicas talk to each other).
    pub allowed_pairs: usize,
    /// `workloads * workloads`.
    pub possible_pairs: usize,
}

impl Matrix {
    /// Number of workloads (rows and columns are `EndpointId(0..workloads)`).
    pub fn workloads(&self) -> usize {
        self.workloads
    }

    /// The external endpoints with a column: internet, metadata, private,
    /// dns.
    pub fn externals(&self) -> &[EndpointId] {
        &self.externals
    }

    /// Whether workload `from` can reach `to` (a workload or an external
    /// endpoint) on some port. False for anything else.
    pub fn allowed(&self, from: EndpointId, to: EndpointId) -> bool {
        if from.0 >= self.workloads {
            return false;
        }
        if to.0 < self.workloads {
            return self.allowed.get(from.0, to.0);
        }
        self.externals
            .iter()
            .position(|x| *x == to)
            .is_some_and(|k| self.external[k].get(from.0))
    }

    /// The workloads `from` can reach, as bits: bit `d % 64` of word `d / 64`
    /// is set when `from` can reach workload `d` (empty for anything but a
    /// workload).
    pub fn destination_words(&self, from: EndpointId) -> &[u64] {
        if from.0 < self.workloads {
            self.allowed.row(from.0)
        } else {
            &[]
        }
    }

    /// The workloads `from` can reach.
    pub fn destinations(&self, from: EndpointId) -> impl Iterator<Item = EndpointId> + '_ {
        let row: &[u64] = if from.0 < self.workloads {
            self.allowed.row(from.0)
        } else {
            &[]
        };
        ones(row).map(EndpointId)
    }

    /// The workloads that can reach `to` (a workload or an external
    /// endpoint).
    pub fn sources(&self, to: EndpointId) -> Vec<EndpointId> {
        // An external endpoint's column is kept (DNS may be a workload):
        // no need to transpose the matrix for it.
        if let Some(k) = self.externals.iter().position(|x| *x == to) {
            return self.external[k].ones().map(EndpointId).collect();
        }
        if to.0 < self.workloads {
            return ones(self.source_words(to)).map(EndpointId).collect();
        }
        Vec::new()
    }

    /// The workloads that can reach workload `to`, as bits: bit `s % 64` of
    /// word `s / 64` is set when workload `s` can reach it (empty for
    /// anything but a workload). The first call transposes the matrix once.
    pub fn source_words(&self, to: EndpointId) -> &[u64] {
        if to.0 >= self.workloads {
            return &[];
        }
        self.columns
            .get_or_init(|| {
                let mut columns = BitMatrix::new(self.workloads);
                self.allowed.transpose_into(&mut columns);
                columns
            })
            .row(to.0)
    }

    pub fn stats(&self) -> MatrixStats {
        MatrixStats {
            workloads: self.workloads,
            allowed_pairs: self
                .allowed
                .bits
                .iter()
                .map(|w| w.count_ones() as usize)
                .sum(),
            possible_pairs: self.workloads * self.workloads,
        }
    }
}

/// The egress peers of a source, split by port class.
enum Egress<'a> {
    /// Not isolated (or not a pod): every destination, every port.
    Unrestricted,
    Parts(Vec<(usize, PartSet<'a>)>),
}

#[derive(Clone, Copy)]
enum PartSet<'a> {
    All,
    Set(&'a Bitset),
}

/// Ingress entries sharing one compatibility signature: for each port class,
/// whether it shares a port with the group's classes; then (destination,
/// admitted sources).
type Group<'a> = (Vec<bool>, Vec<(usize, PartSet<'a>)>);

/// Port sets interned into dense class ids.
#[derive(Default)]
struct Classes {
    sets: Vec<PortSet>,
    ids: HashMap<PortSet, usize>,
}

impl Classes {
    fn intern(&mut self, set: PortSet) -> usize {
        if let Some(&id) = self.ids.get(&set) {
            return id;
        }
        let id = self.sets.len();
        self.sets.push(set.clone());
        self.ids.insert(set, id);
        id
    }
}

impl NetworkModel {
    /// The full matrix: every workload against every workload (on some
    /// port), plus every workload's reach to each external endpoint.
    ///
    /// Called from outside rayon's thread pool, it uses the pool's threads;
    /// called from one of them (inside another parallel computation), it
    /// runs on that thread alone. A pool thread waiting for its share of the
    /// work would take other queued work meanwhile, and that work may wait
    /// on this very matrix (a lazily built analysis): that is a deadlock.
    pub fn matrix(&self) -> Matrix {
        self.matrix_in_strips(STRIP_BLOCKS)
    }

    /// [`NetworkModel::matrix`], destinations taken `strip` 64-workload
    /// blocks at a time (tests use narrow strips to cross their edges).
    #[doc(hidden)]
    pub fn matrix_in_strips(&self, strip: usize) -> Matrix {
        let strip = strip.max(1);
        let parallel = rayon::current_thread_index().is_none();
        let n = self.workloads;
        let mut classes = Classes::default();
        let all_class = classes.intern(PortSet::all());

        // Port class of each rule without named ports (independent of the
        // destination); rules with named ports are resolved per destination.
        let mut static_class: HashMap<(usize, usize, usize), Option<usize>> = HashMap::new();
        for (p, policy) in self.policies.iter().enumerate() {
            for direction in [Direction::Ingress, Direction::Egress] {
                for (r, rule) in policy.rules(direction).iter().enumerate() {
                    if !rule.has_named_ports() {
                        let set = PortSet::of_rule(&rule.ports, None);
                        let class = (!set.is_empty()).then(|| classes.intern(set));
                        static_class.insert((p, dir_index(direction), r), class);
                    }
                }
            }
        }

        // Named ports resolve alike on destinations declaring the same
        // ports: resolve once per (rule, port signature).
        let mut signatures: HashMap<&[ContainerPort], usize> = HashMap::new();
        let sig: Vec<usize> = (0..n)
            .map(|d| {
                if self.party(d) != Party::Pod(d) {
                    return usize::MAX;
                }
                let next = signatures.len();
                *signatures
                    .entry(self.endpoints[d].ports.as_slice())
                    .or_insert(next)
            })
            .collect();
        let mut named_cache: HashMap<(usize, usize, usize, usize), Option<usize>> = HashMap::new();

        // Ingress entries grouped by class: (destination, admitted sources).
        let mut by_class: Vec<Vec<(usize, PartSet)>> = Vec::new();
        for (d, &signature) in sig.iter().enumerate() {
            let policies = self.policies_for(d, Direction::Ingress);
            if self.party(d) != Party::Pod(d) || policies.is_empty() {
                push(&mut by_class, all_class, (d, PartSet::All));
                continue;
            }
            for p in policies {
                let rules = self.policies[p].rules(Direction::Ingress);
                for (r, rule) in rules.iter().enumerate() {
                    let class = match static_class.get(&(p, 0, r)) {
                        Some(class) => *class,
                        None => named_class(
                            &mut classes,
                            &mut named_cache,
                            (p, 0, r, signature),
                            rule,
                            Some(&self.endpoints[d].ports),
                        ),
                    };
                    if let Some(class) = class {
                        let peers = part(&self.peer_sets[p][0][r]);
                        push(&mut by_class, class, (d, peers));
                    }
                }
            }
        }

        // Egress rules with named ports: their peers split by the class the
        // names resolve to on each destination.
        let mut named_split: HashMap<(usize, usize), Vec<(usize, Bitset)>> = HashMap::new();
        for (p, policy) in self.policies.iter().enumerate() {
            for (r, rule) in policy.egress_rules.iter().enumerate() {
                if !rule.has_named_ports() || !policy.egress {
                    continue;
                }
                let mut split: Vec<(usize, Bitset)> = Vec::new();
                let peers: Box<dyn Iterator<Item = usize>> = match &self.peer_sets[p][1][r] {
                    PeerSet::All => Box::new(0..n),
                    PeerSet::Some(bits) => Box::new(bits.ones()),
                };
                for d in peers {
                    // Names resolve on pods only; a host-network destination
                    // keeps the rule's numeric ports.
                    let dest_ports = (self.party(d) == Party::Pod(d))
                        .then(|| self.endpoints[d].ports.as_slice());
                    let key = (p, 1, r, sig[d]);
                    let Some(class) =
                        named_class(&mut classes, &mut named_cache, key, rule, dest_ports)
                    else {
                        continue;
                    };
                    match split.iter_mut().find(|(c, _)| *c == class) {
                        Some((_, bits)) => bits.set(d),
                        None => {
                            let mut bits = Bitset::new(n);
                            bits.set(d);
                            split.push((class, bits));
                        }
                    }
                }
                named_split.insert((p, r), split);
            }
        }

        let egress: Vec<Egress> = (0..n)
            .map(|s| {
                let policies = self.policies_for(s, Direction::Egress);
                if self.party(s) != Party::Pod(s) || policies.is_empty() {
                    return Egress::Unrestricted;
                }
                let mut parts = Vec::new();
                for p in policies {
                    for r in 0..self.policies[p].egress_rules.len() {
                        match static_class.get(&(p, 1, r)) {
                            Some(Some(class)) => {
                                parts.push((*class, part(&self.peer_sets[p][1][r])))
                            }
                            Some(None) => {}
                            None => {
                                for (class, bits) in named_split.get(&(p, r)).into_iter().flatten()
                                {
                                    parts.push((*class, PartSet::Set(bits)));
                                }
                            }
                        }
                    }
                }
                Egress::Parts(parts)
            })
            .collect();

        // Ingress classes that share a port with exactly the same egress
        // classes are interchangeable here: merge them into one pass.
        let k = classes.sets.len();
        let mut egress_classes: Vec<usize> = egress
            .iter()
            .filter_map(|eg| match eg {
                Egress::Parts(parts) => Some(parts.iter().map(|(c, _)| *c)),
                Egress::Unrestricted => None,
            })
            .flatten()
            .collect();
        egress_classes.sort_unstable();
        egress_classes.dedup();
        let mut groups: Vec<Group> = Vec::new();
        let mut group_of: HashMap<Vec<bool>, usize> = HashMap::new();
        for (q, entries) in by_class.into_iter().enumerate() {
            if entries.is_empty() {
                continue;
            }
            // compat[class] for every class id, via the egress classes used.
            let mut signature = vec![false; k];
            for &e in &egress_classes {
                signature[e] = classes.sets[e].intersects(&classes.sets[q]);
            }
            match group_of.get(&signature) {
                Some(&g) => groups[g].1.extend(entries),
                None => {
                    group_of.insert(signature.clone(), groups.len());
                    groups.push((signature, entries));
                }
            }
        }

        // Per group, the destinations are taken a strip of 64-row blocks at
        // a time: their rows of admitted sources (`in_q`, compact: row
        // `j * 64 + d % 64` for the strip's `j`-th block) are transposed
        // into one word per block for each source (`int_q`), then combined
        // with the sources' egress. Two buffers of a few MB instead of two
        // more matrices of n x n bits.
        let mut allowed = BitMatrix::new(n);
        let stride = allowed.stride;
        let mut in_q: Vec<u64> = vec![0; strip * 64 * stride];
        let mut int_q: Vec<u64> = vec![0; n * strip];
        for (compat, mut entries) in groups {
            entries.sort_unstable_by_key(|(d, _)| *d);
            let mut blocks: Vec<usize> = entries.iter().map(|(d, _)| d / 64).collect();
            blocks.dedup();
            let mut next = 0;
            for strip_blocks in blocks.chunks(strip) {
                let width = strip_blocks.len();
                let last = strip_blocks[width - 1];
                while let Some((d, sources)) = entries.get(next).filter(|(d, _)| d / 64 <= last) {
                    let j = strip_blocks.partition_point(|&b| b < d / 64);
                    let r = j * 64 + d % 64;
                    let row = &mut in_q[r * stride..(r + 1) * stride];
                    match sources {
                        PartSet::All => set_range(row, 0, n),
                        PartSet::Set(bits) => or_words(row, bits.words()),
                    }
                    next += 1;
                }
                let int_q = &mut int_q[..n * width];
                transpose_strip(&in_q, stride, width, int_q, parallel);
                // Rows of the result are independent: sources in parallel.
                if parallel {
                    allowed
                        .bits
                        .par_chunks_mut(stride)
                        .zip(int_q.par_chunks(width))
                        .zip(egress.par_iter())
                        .for_each_init(Vec::new, |useful, ((out, row), eg)| {
                            add_source_row(out, row, eg, &compat, strip_blocks, useful)
                        });
                } else {
                    let mut useful = Vec::new();
                    for ((out, row), eg) in allowed
                        .bits
                        .chunks_mut(stride)
                        .zip(int_q.chunks(width))
                        .zip(egress.iter())
                    {
                        add_source_row(out, row, eg, &compat, strip_blocks, &mut useful);
                    }
                }
                in_q[..width * 64 * stride].iter_mut().for_each(|w| *w = 0);
            }
        }

        // External columns: few, so each pair is evaluated directly.
        let external = self
            .externals
            .iter()
            .map(|x| {
                let reach = |s: usize| {
                    if x.0 < n {
                        allowed.get(s, x.0)
                    } else {
                        self.pair_allowed(s, x.0)
                    }
                };
                let reachable: Vec<bool> = if parallel {
                    (0..n).into_par_iter().map(reach).collect()
                } else {
                    (0..n).map(reach).collect()
                };
                let mut column = Bitset::new(n);
                for s in (0..n).filter(|&s| reachable[s]) {
                    column.set(s);
                }
                column
            })
            .collect();

        Matrix {
            workloads: n,
            allowed,
            externals: self.externals.clone(),
            external,
            columns: std::sync::OnceLock::new(),
        }
    }
}

/// Destination blocks taken at a time by [`NetworkModel::matrix`]: 16
/// blocks of 64 workloads.
const STRIP_BLOCKS: usize = 16;

/// Transpose a strip: `in_q` holds `width` blocks of 64 destination rows
/// (`stride` words each); `int_q` gets, for each source, `width` words, word
/// `j` saying which destinations of the strip's `j`-th block admit it.
/// Every word of `int_q` is written.
fn transpose_strip(in_q: &[u64], stride: usize, width: usize, int_q: &mut [u64], parallel: bool) {
    let block_rows = |(bj, rows): (usize, &mut [u64])| {
        let mut block = [0u64; 64];
        for j in 0..width {
            let mut any = 0u64;
            for (k, slot) in block.iter_mut().enumerate() {
                *slot = in_q[(j * 64 + k) * stride + bj];
                any |= *slot;
            }
            if any != 0 {
                transpose64(&mut block);
            }
            for (k, row) in rows.chunks_mut(width).enumerate() {
                row[j] = block[k];
            }
        }
    };
    if parallel {
        int_q
            .par_chunks_mut(64 * width)
            .enumerate()
            .for_each(block_rows);
    } else {
        int_q
            .chunks_mut(64 * width)
            .enumerate()
            .for_each(block_rows);
    }
}

/// Add to `out`, one source's row of the result, what one strip of one group
/// of ingress port classes gives: `row[j]` holds the destinations of block
/// `blocks[j]` that admit the source, and `eg` what the source's egress rules
/// admit, by port class.
fn add_source_row<'a>(
    out: &mut [u64],
    row: &[u64],
    eg: &'a Egress<'a>,
    compat: &[bool],
    blocks: &[usize],
    useful: &mut Vec<&'a [u64]>,
) {
    if row.iter().all(|&w| w == 0) {
        return;
    }
    match eg {
        Egress::Unrestricted => {
            for (&w, &admitted) in blocks.iter().zip(row) {
                out[w] |= admitted;
            }
        }
        Egress::Parts(parts) => {
            // Most parts (a named port resolved elsewhere, another port)
            // share nothing with this group: drop them once.
            useful.clear();
            let mut everything = false;
            for (class, set) in parts {
                if compat[*class] {
                    match set {
                        PartSet::All => everything = true,
                        PartSet::Set(bits) => useful.push(bits.words()),
                    }
                }
            }
            if everything {
                for (&w, &admitted) in blocks.iter().zip(row) {
                    out[w] |= admitted;
                }
                return;
            }
            if useful.is_empty() {
                return;
            }
            for (&w, &admitted) in blocks.iter().zip(row) {
                if admitted == 0 {
                    continue;
                }
                let reach = useful.iter().fold(0u64, |acc, bits| acc | bits[w]);
                out[w] |= reach & admitted;
            }
        }
    }
}

impl NetworkModel {
    /// Policies selecting endpoint `e` that list `direction`.
    pub(crate) fn policies_for(&self, e: usize, direction: Direction) -> Vec<usize> {
        self.selecting[e]
            .iter()
            .copied()
            .filter(|&p| self.policies[p].applies(direction))
            .collect()
    }
}

/// The port class of a rule with named ports on a destination, cached by
/// (policy, direction, rule, port signature).
fn named_class(
    classes: &mut Classes,
    cache: &mut HashMap<(usize, usize, usize, usize), Option<usize>>,
    key: (usize, usize, usize, usize),
    rule: &Rule,
    dest_ports: Option<&[ContainerPort]>,
) -> Option<usize> {
    *cache.entry(key).or_insert_with(|| {
        let set = PortSet::of_rule(&rule.ports, dest_ports);
        (!set.is_empty()).then(|| classes.intern(set))
    })
}

fn push<'a>(
    by_class: &mut Vec<Vec<(usize, PartSet<'a>)>>,
    class: usize,
    entry: (usize, PartSet<'a>),
) {
    if by_class.len() <= class {
        by_class.resize_with(class + 1, Vec::new);
    }
    by_class[class].push(entry);
}

fn part(set: &PeerSet) -> PartSet<'_> {
    match set {
        PeerSet::All => PartSet::All,
        PeerSet::Some(bits) => PartSet::Set(bits),
    }
}
