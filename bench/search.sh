#!/usr/bin/env bash
# searchQuery latency by query shape (not part of ./upfront test). Builds the server and its test classes, writes a
# library of 100 000 files straight into SQLite (as bench/listing.sh does; 20 of them also get the tag 'rare'),
# starts the server on it and times, after a warm-up, full HTTP round trips of each query shape: tags common, rare
# and absent, NOT IN, OR, name equality / prefix / IN lists / HAS, paths, numbers, dates, custom metadata.
# Prints p50 and p95 per shape as a markdown table. Exit status 1 when a p95 misses the 50 ms goal.
#
#   bench/search.sh [--files 100000] [--runs 60] [--warmup 10] [--data DIR] [--postgres true]
#
# With --data DIR an existing library in DIR is reused (no insert); otherwise a fresh temp folder is used and
# removed afterwards. With --postgres true the library is in PostgreSQL instead: the embedded cluster the tests use,
# its data in DIR/postgres (reused too).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source bench/java-bench.sh
run_java_bench dev.upfront.bench.SearchBenchmark "$@"
