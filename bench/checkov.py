#!/usr/bin/env python3
"""rampart against Checkov on the same files.

Installs Checkov into bench/.venv from PyPI (once), builds rampart in release
mode, then times `rampart scan` (every check enabled) and
`checkov --framework kubernetes` on the whole corpus and on each of its source
folders. Prints medians and the ratio as a Markdown table.

    python3 bench/checkov.py [--corpus ../shared/corpus] [--runs 5] [--checkov-runs 3]

The machines this runs on are shared and noisy: compare the two tools within
one run, as ratios of medians.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, "bench", ".venv")
CHECKOV = os.path.join(VENV, "bin", "checkov")
RAMPART = os.path.join(ROOT, "target", "release", "rampart")


def ensure_checkov():
    if os.path.exists(CHECKOV):
        return
    print("installing Checkov into bench/.venv ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    subprocess.run([os.path.join(VENV, "bin", "pip"), "install", "-q", "checkov"], check=True)


def build_rampart():
    subprocess.run(["cargo", "build", "--release", "-q", "--bin", "rampart"], cwd=ROOT, check=True)


def timed(cmd, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    parser.add_argument("--runs", type=int, default=5, help="runs of rampart per target")
    parser.add_argument("--checkov-runs", type=int, default=3, help="runs of Checkov per target")
    parser.add_argument("--only-whole", action="store_true", help="time the whole corpus only")
    args = parser.parse_args()

    ensure_checkov()
    build_rampart()
    corpus = os.path.normpath(args.corpus)
    targets = [("all of the corpus", corpus)]
    if not args.only_whole:
        for name in sorted(os.listdir(corpus)):
            path = os.path.join(corpus, name)
            if os.path.isdir(path):
                targets.append((name, path))

    checkov_version = subprocess.run([CHECKOV, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"Checkov {checkov_version}; rampart release build; medians of {args.runs} (rampart) and "
          f"{args.checkov_runs} (Checkov) runs; {os.cpu_count()} cores\n")
    print("| target | rampart (render) | rampart --no-render | Checkov | Checkov / rampart --no-render |")
    print("|---|---|---|---|---|")
    for name, path in targets:
        rendered = timed([RAMPART, "scan", path, "--format", "json"], args.runs)
        raw = timed([RAMPART, "scan", path, "--format", "json", "--no-render"], args.runs)
        checkov = timed([CHECKOV, "-d", path, "--framework", "kubernetes", "--quiet", "--compact",
                         "-o", "json"], args.checkov_runs)
        print(f"| {name} | {rendered:.3f} s | {raw:.3f} s | {checkov:.2f} s | {checkov / raw:.0f}x |",
              flush=True)


if __name__ == "__main__":
    main()
