#!/usr/bin/env bash
# Transformation benchmark (not part of ./upfront test): the two delivery rows of bench/run.sh alone, on one
# generated 12 MP JPEG:
#   1. first-hit resize to 400x300 through Upfront (HTTP, cache miss: read, decode, resize, encode, store) against
#      libvips's vips_thumbnail timed in-process (bench/vips_thumbnail_time.c), alternating, median of N each;
#   2. cached hits of that rendering through Upfront against nginx serving the same bytes, with wrk on loopback.
# Prints a markdown table with the ratios. Installs what it needs with apt (see bench/run.sh).
#
#   bench/transform.sh [--runs 15] [--seconds 8] [--connections 32]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) export BENCH_RESIZE_RUNS="$2"; shift 2 ;;
    --seconds) export BENCH_SECONDS="$2"; shift 2 ;;
    --connections) export BENCH_CONNECTIONS="$2"; shift 2 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done
BENCH_ONLY=resize,cached exec bench/run.sh
