#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 300), seeded with the
# example estate and the malformed-input cases. Needs cargo-fuzz
# (`cargo install cargo-fuzz`); works on the stable toolchain without
# sanitizers (`-s none`). Crashes land in fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-300}"
for target in yaml_loader yaml_equivalence json_loader config scan; do
  mkdir -p "corpus/$target"
  cp ../examples/insecure-cluster/*/*.yaml "corpus/$target/" 2>/dev/null || true
  cp ../examples/insecure-cluster/argocd/*.json "corpus/$target/" 2>/dev/null || true
  cargo fuzz run -s none "$target" "corpus/$target" -- -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=65536
done
