#!/usr/bin/env bash
# Dashboard benchmark (not part of ./upfront test). Builds the server and its test classes, writes 100 000 files
# into one folder straight into SQLite, starts the server on it, signs in with Chromium and times the folder page
# (/dashboard?path=/folder-000/) from navigation to the frame that drew its first grid, in fresh tabs, then prints a
# markdown table (median, p95, max). Exit status 1 when the median misses the 1 s goal. Needs node, npm, Chromium.
#
#   bench/dashboard.sh [--files 100000] [--runs 20] [--warmup 3] [--data DIR]
#
# With --data DIR an existing library in DIR is reused (no insert); otherwise a fresh temp folder is used and
# removed afterwards.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source bench/java-bench.sh
run_java_bench dev.upfront.bench.DashboardBenchmark "$@"
