#!/usr/bin/env python3
"""rampart's benchmark suite: one command, one table.

    python3 bench/run.py                 # everything (about 15-25 minutes on 2 cores)
    python3 bench/run.py --quick         # 1k and 10k pods, no Checkov, no 100 MB file
    python3 bench/run.py --no-checkov    # skip the Checkov comparison

What it measures (release build, medians of --runs runs, wall time and peak
memory from /usr/bin/time):
  * rampart against Checkov on ../shared/corpus (bench/checkov.py; ratio of medians);
  * YAML throughput: the YAML parser alone (serde-saphyr into a value, same
    split and threads), the event parser under it alone (no tree), loading
    alone (examples/load_only.rs: tree, lines, duplicate keys, objects) and a
    full scan, with JSON and with text output, of the same 100+ MB
    multi-document file;
  * each analysis on generated estates (rampart-gen, --live dumps) of 1k, 10k
    and 100k pods: scan with every check, attack paths, network matrix;
  * RBAC at scale: 20,000 roles and 100,000 bindings, every identity check and
    a who-can query;
  * the network engine alone on 10,000 workloads, 2,000 policies and 500
    namespaces (crates/rampart-network/examples/matrix_bench.rs).

The machines are shared and noisy: compare within one run, use medians, and
prefer the instruction counts (--instructions, valgrind) for regressions.
Results go to stdout and bench/out/results.md.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
RAMPART = os.path.join(ROOT, "target", "release", "rampart")
GEN = os.path.join(ROOT, "target", "release", "rampart-gen")
PARSE_ONLY = os.path.join(ROOT, "target", "release", "examples", "parse_only")
LOAD_ONLY = os.path.join(ROOT, "target", "release", "examples", "load_only")
EVENTS_ONLY = os.path.join(ROOT, "target", "release", "examples", "events_only")
MATRIX = os.path.join(ROOT, "target", "release", "examples", "matrix_bench")


# Finer RAMPART_TIMING lines, left out of the table's notes.
DETAIL = ("check ", "analysis ", "read", "parsed", "objects built", "per-object", "cross-object", "sorted", "render",
          "exit")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def build():
    sh(["cargo", "build", "--release", "-q", "--bin", "rampart", "--bin", "rampart-gen"], cwd=ROOT)
    sh(["cargo", "build", "--release", "-q", "-p", "rampart-load", "--example", "parse_only", "--example", "load_only",
        "--example", "events_only"],
       cwd=ROOT)
    sh(["cargo", "build", "--release", "-q", "-p", "rampart-network", "--example", "matrix_bench"], cwd=ROOT)


def measure(cmd, runs, env=None):
    """Median wall seconds, max peak RSS (MB) and the last run's timing phases."""
    walls, rss, phases = [], [], {}
    for _ in range(runs):
        e = dict(os.environ, RAMPART_TIMING="1", **(env or {}))
        start = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "RSS_KB %M"] + cmd, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, text=True, env=e)
        walls.append(time.perf_counter() - start)
        m = re.search(r"RSS_KB (\d+)", p.stderr)
        rss.append(int(m.group(1)) / 1024 if m else float("nan"))
        phases = {k: v for k, v in re.findall(r"timing: (.+?) ([0-9.]+)s", p.stderr) if not k.startswith(DETAIL)}
    return statistics.median(walls), max(rss), phases


def generate(name, args):
    path = os.path.join(OUT, name)
    if not os.path.exists(path):
        sh([GEN, "--quiet", "-o", path] + args)
    return path, os.path.getsize(path) / 1e6


def row(table, what, size, wall, rss, note=""):
    table.append(f"| {what} | {size} | {wall:.2f} s | {rss:.0f} MB | {note} |")
    print(table[-1], flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-checkov", action="store_true")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--instructions", action="store_true", help="also count instructions with valgrind (slow)")
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    build()
    sizes = [1000, 10000] if args.quick else [1000, 10000, 100000]
    table = ["| benchmark | input | wall (median) | peak memory | note |", "|---|---|---|---|---|"]
    print("\n".join(table), flush=True)

    corpus = os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus"))
    if os.path.isdir(corpus):
        wall, rss, _ = measure([RAMPART, "scan", corpus, "--no-render", "--format", "json"], max(args.runs, 5))
        row(table, "scan ../shared/corpus, every check", "1,300 objects, 6.5 MB", wall, rss, "--no-render")
        wall, rss, _ = measure([RAMPART, "scan", corpus, "--format", "json"], args.runs)
        row(table, "scan ../shared/corpus, Kustomize rendered", "same", wall, rss, "dominated by kubectl kustomize")
        if args.instructions:
            p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", RAMPART, "scan",
                                corpus, "--no-render", "--format", "json"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
            m = re.search(r"refs:\s+([\d,]+)", p.stderr)
            table.append(f"| instructions, corpus scan | | {m.group(1) if m else '?'} instructions | | valgrind callgrind |")
            print(table[-1], flush=True)

    if not args.quick:
        big, mb = generate("big-stream.yaml", ["--pods", "100000", "--format", "yaml-stream"])
        def self_timed(program):
            """Median of the seconds an example prints first."""
            runs = [float(subprocess.run([program, big], capture_output=True, text=True, check=True).stdout.split()[0])
                    for _ in range(args.runs)]
            return statistics.median(runs)

        parse_s = self_timed(PARSE_ONLY)
        table.append(f"| YAML parser alone (serde-saphyr, split + rayon) | {mb:.0f} MB stream | {parse_s:.2f} s | | {mb / parse_s:.1f} MB/s |")
        print(table[-1], flush=True)
        events_s = self_timed(EVENTS_ONLY)
        table.append(f"| event parser alone (granit-parser: events, no tree) | {mb:.0f} MB stream | {events_s:.2f} s | "
                     f"| {mb / events_s:.1f} MB/s; the layer under serde-saphyr |")
        print(table[-1], flush=True)
        load_s = self_timed(LOAD_ONLY)
        table.append(f"| loading alone (tree with lines, duplicate keys, objects) | {mb:.0f} MB stream | {load_s:.2f} s | "
                     f"| {load_s / parse_s:.2f}x the parser alone |")
        print(table[-1], flush=True)
        wall, rss, ph = measure([RAMPART, "scan", big, "--format", "json", "-o", "/dev/null"], args.runs)
        row(table, "scan of the same file, every check, JSON", f"{mb:.0f} MB stream", wall, rss,
            f"{wall / parse_s:.2f}x the parser alone; " + ", ".join(f"{k} at {v}s" for k, v in ph.items()))
        wall, rss, _ = measure([RAMPART, "scan", big, "-o", "/dev/null"], args.runs)
        row(table, "scan of the same file, every check, text", f"{mb:.0f} MB stream", wall, rss,
            f"{wall / parse_s:.2f}x the parser alone")

    for n in sizes:
        path, mb = generate(f"estate-{n}.json", ["--pods", str(n), "--live", "--compact"])
        label = f"{n:,} pods (live dump, {mb:.0f} MB JSON)"
        wall, rss, ph = measure([RAMPART, "scan", path, "--format", "json", "-o", "/dev/null"], args.runs)
        row(table, "scan, every check + plan + paths", label, wall, rss, ", ".join(f"{k} at {v}s" for k, v in ph.items()))
        wall, rss, ph = measure([RAMPART, "paths", path, "--format", "json"], args.runs)
        row(table, "attack paths", label, wall, rss, ", ".join(f"{k} {v}s" for k, v in ph.items()))
        wall, rss, ph = measure([RAMPART, "paths", path, "--format", "json", "--assume-breach"], args.runs)
        row(table, "attack paths --assume-breach", label, wall, rss, ", ".join(f"{k} {v}s" for k, v in ph.items()))
        wall, rss, ph = measure([RAMPART, "netmap", path, "--format", "json"], args.runs)
        row(table, "network matrix (netmap)", label, wall, rss, ", ".join(f"{k} {v}s" for k, v in ph.items()))

    if not args.quick:
        rbac, mb = generate("rbac-20k-100k.json", ["--pods", "5000", "--roles", "20000", "--bindings", "100000"])
        label = f"20,000 roles, 100,000 bindings ({mb:.0f} MB)"
        wall, rss, ph = measure([RAMPART, "scan", rbac, "--area", "identity", "--format", "json", "-o", "/dev/null"], args.runs)
        row(table, "every identity check", label, wall, rss, ", ".join(f"{k} at {v}s" for k, v in ph.items()))
        wall, rss, ph = measure([RAMPART, "who-can", "get", "secrets", rbac, "--format", "json"], args.runs)
        row(table, "who-can get secrets", label, wall, rss, ", ".join(f"{k} {v}s" for k, v in ph.items()))

    p = subprocess.run(["taskset", "-c", "0", MATRIX, "500", "20", "4"], capture_output=True, text=True)
    table.append(f"| network engine alone, one core | 10,000 workloads, 2,000 policies, 500 namespaces | | | {' '.join(p.stdout.split())} |")
    print(table[-1], flush=True)

    if not args.no_checkov and not args.quick and os.path.isdir(corpus):
        print("\nrampart against Checkov (bench/checkov.py):\n", flush=True)
        sh([sys.executable, os.path.join(ROOT, "bench", "checkov.py"), "--corpus", corpus])

    with open(os.path.join(OUT, "results.md"), "w") as f:
        f.write("\n".join(table) + "\n")


if __name__ == "__main__":
    main()
