#!/usr/bin/env bash
# Distributed-mode upload benchmark (not part of ./upfront test). Builds the server and its test classes, starts
# S3Proxy (in-process, the S3 server the tests use) and embedded PostgreSQL (zonky's binaries from the Maven
# repository) on loopback, then runs one server JVM per phase against them:
#   30 MB uploads and 300 MB uploads one at a time (MB/s, the server's peak RSS from /proc/<pid>/status VmHWM and
#   the most heap live after a GC from the server's -Xlog:gc: 300 MB must need no more than 30 MB), and 48 KB
#   uploads 32 at a time (uploads/s). Bounded counts; a few minutes on 2 cores. Prints a markdown table.
#
#   bench/s3.sh [--big 2] [--medium 3] [--small 1000] [--concurrency 32] [--heap 192m] [--data DIR]
#
# S3Proxy is for correctness, not speed (a 20 kB GET takes milliseconds): the figures are a loopback smoke test,
# not what MinIO or AWS S3 on their own hosts would give.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source bench/java-bench.sh
run_java_bench dev.upfront.bench.S3Benchmark "$@"
