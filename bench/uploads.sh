#!/usr/bin/env bash
# Upload throughput on loopback (not part of ./upfront test): builds the server and its test classes, starts the
# server as its own JVM and drives it with dev.upfront.bench.UploadBenchmark.
#
#   bench/uploads.sh small [--connections 32] [--seconds 10] [--warmup 3] [--auth basic|v1] [--postgres true [--pgstats true]] [--jvm ARG]... [--env K=V]...
#   bench/uploads.sh large [--mb 300] [--runs 3]
#
# --postgres true records into a PostgreSQL cluster of the bench's own with fsync and synchronous_commit on (commits
# wait for their WAL flush, as on a real server); --pgstats true also prints PostgreSQL's cost per upload: commits,
# WAL bytes and flushes, CPU time of its processes.
#
# Profile the server with e.g. --jvm -XX:StartFlightRecording=filename=/tmp/up.jfr,settings=profile, then
# `jfr view hot-methods /tmp/up.jfr`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source bench/java-bench.sh
run_java_bench dev.upfront.bench.UploadBenchmark "$@"
