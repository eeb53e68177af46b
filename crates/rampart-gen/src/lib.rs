//! `rampart-gen`: a deterministic generator of realistic Kubernetes estates, for benchmarks
//! and scale tests of rampart.
//!
//! The estate is planned sequentially from the seed ([`plan::Plan`]), then cut into units that
//! are generated and serialised in parallel, each from its own derived random stream, and
//! written in a fixed order. Output is therefore byte-identical for a given seed and set of
//! arguments, whatever the thread count or platform.

pub mod emit;
mod gen;
pub mod plan;
pub mod rng;
pub mod util;
pub mod vocab;

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::mpsc;

use rayon::prelude::*;

pub use plan::{Config, Plan};

pub use emit::Format;

/// What was written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub objects: usize,
    /// Pods accounted for: Pod objects with `live`, else the sum of replicas.
    pub pods: usize,
    pub bytes: u64,
    /// Files written (`yaml-dir`), else 1.
    pub files: usize,
}

struct Rendered {
    unit: gen::Unit,
    bytes: Vec<u8>,
    objects: usize,
}

/// Units per parallel batch: large enough to keep every core busy, small enough to stream.
const BATCH: usize = 512;

/// Generate every unit in order, in parallel batches, handing each to `sink` on this thread.
fn drive(
    cfg: &Config,
    format: Format,
    mut sink: impl FnMut(&gen::Gen, Rendered) -> io::Result<()>,
) -> io::Result<(Plan, usize)> {
    let plan = Plan::new(cfg);
    let g = gen::Gen::new(cfg, &plan, format);
    let units = g.units();
    let mut objects = 0;
    std::thread::scope(|s| -> io::Result<()> {
        let (tx, rx) = mpsc::sync_channel::<Vec<Rendered>>(2);
        let g = &g;
        let units = &units;
        s.spawn(move || {
            for batch in units.chunks(BATCH) {
                let rendered: Vec<Rendered> = batch
                    .par_iter()
                    .map(|&unit| {
                        let out = g.render(unit);
                        Rendered {
                            unit,
                            bytes: out.buf,
                            objects: out.count,
                        }
                    })
                    .collect();
                if tx.send(rendered).is_err() {
                    return; // the writer failed and stopped listening
                }
            }
        });
        for batch in rx {
            for r in batch {
                objects += r.objects;
                sink(g, r)?;
            }
        }
        Ok(())
    })?;
    Ok((plan, objects))
}

/// Write the estate as one stream (`list-json`, compact or not, `list-yaml` or `yaml-stream`).
pub fn write_stream<W: Write>(cfg: &Config, format: Format, out: W) -> io::Result<Stats> {
    assert!(format != Format::YamlDir, "yaml-dir writes a directory");
    let mut w = Counting {
        inner: out,
        bytes: 0,
    };
    let live = cfg.live;
    match (format, live) {
        (Format::ListJson, false) => w.write_all(
            b"{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    },\n    \"items\": [",
        )?,
        (Format::ListJson, true) => w.write_all(b"{\n    \"apiVersion\": \"v1\",\n    \"items\": [")?,
        (Format::ListJsonCompact, false) => w.write_all(
            b"{\"apiVersion\":\"v1\",\"kind\":\"List\",\"metadata\":{\"resourceVersion\":\"\"},\"items\":[",
        )?,
        (Format::ListJsonCompact, true) => w.write_all(b"{\"apiVersion\":\"v1\",\"items\":[")?,
        (Format::ListYaml, false) => {
            w.write_all(b"apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: \"\"\n")?
        }
        (Format::ListYaml, true) => w.write_all(b"apiVersion: v1\n")?,
        _ => {}
    }
    let mut any = false;
    let (plan, objects) = drive(cfg, format, |_, r| {
        if r.bytes.is_empty() {
            return Ok(());
        }
        match format {
            Format::ListJson | Format::ListJsonCompact => {
                w.write_all(if any { b",\n" } else { b"\n" })?
            }
            Format::ListYaml if !any => w.write_all(b"items:\n")?,
            _ => {}
        }
        any = true;
        w.write_all(&r.bytes)
    })?;
    match format {
        Format::ListJson => {
            w.write_all(if any { b"\n    ]" } else { b"]" })?;
            if live {
                w.write_all(
                    b",\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }",
                )?;
            }
            w.write_all(b"\n}\n")?;
        }
        Format::ListJsonCompact => {
            w.write_all(if any { b"\n]" } else { b"]" })?;
            if live {
                w.write_all(b",\"kind\":\"List\",\"metadata\":{\"resourceVersion\":\"\"}")?;
            }
            w.write_all(b"}\n")?;
        }
        Format::ListYaml => {
            if !any {
                w.write_all(b"items: []\n")?;
            }
            if live {
                w.write_all(b"kind: List\nmetadata:\n  resourceVersion: \"\"\n")?;
            }
        }
        _ => {}
    }
    w.flush()?;
    Ok(Stats {
        objects,
        pods: plan.pods(),
        bytes: w.bytes,
        files: 1,
    })
}

/// Write the estate as a directory tree: `<namespace>/{namespace,rbac,network-policies,
/// workloads}.yaml` and `_cluster/{clusterroles,clusterrolebindings}.yaml`. The directory must
/// be empty or absent.
pub fn write_dir(cfg: &Config, dir: &Path) -> io::Result<Stats> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists and is not empty", dir.display()),
        ));
    }
    fs::create_dir_all(dir)?;
    let mut current: Option<(String, BufWriter<fs::File>)> = None;
    let mut bytes = 0u64;
    let mut files = 0usize;
    let (plan, objects) = drive(cfg, Format::YamlDir, |g, r| {
        if r.bytes.is_empty() {
            return Ok(());
        }
        let file = g.file_of(r.unit);
        if current.as_ref().map(|c| &c.0) != Some(&file) {
            if let Some((_, mut w)) = current.take() {
                w.flush()?;
            }
            let path = dir.join(&file);
            if let Some(parent) = path.parent() {
                fs::create_dir_all(parent)?;
            }
            let f = fs::File::create(&path)?;
            files += 1;
            current = Some((file, BufWriter::with_capacity(1 << 20, f)));
        }
        bytes += r.bytes.len() as u64;
        current
            .as_mut()
            .expect("file is open")
            .1
            .write_all(&r.bytes)
    })?;
    if let Some((_, mut w)) = current.take() {
        w.flush()?;
    }
    Ok(Stats {
        objects,
        pods: plan.pods(),
        bytes,
        files,
    })
}

struct Counting<W> {
    inner: W,
    bytes: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
