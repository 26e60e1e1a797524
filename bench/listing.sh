#!/usr/bin/env bash
# Listing / search latency benchmark (not part of ./upfront test). Builds the server and its test classes, writes a
# library of 100 000 files straight into SQLite, starts the server on it and times, after a warm-up, full HTTP round
# trips of
#   (a) GET /v1/files?path=/folder-042/&sort=DESC_CREATED&limit=100
#   (b) GET /v1/files?searchQuery=tags IN ["tag-7"]&limit=100
# then prints a markdown table (median, p95, max). Exit status 1 when a median misses the 20 ms goal.
#
#   bench/listing.sh [--files 100000] [--folders 100] [--runs 200] [--warmup 50] [--data DIR]
#
# With --data DIR an existing library in DIR is reused (no insert); otherwise a fresh temp folder is used and
# removed afterwards.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source bench/java-bench.sh
run_java_bench dev.upfront.bench.ListingBenchmark "$@"
