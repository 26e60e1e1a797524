#!/usr/bin/env bash
# Delivery benchmark (not part of ./upfront test): cached hits of a 400x300 rendering of a 1600x1200 JPEG, with the
# memory delivery cache off (UPFRONT_DELIVERY_CACHE_BYTES=0) and on (64MB), against nginx serving the same bytes as a
# static file. wrk runs against the three in turn, round after round; prints median req/s and the ratios to nginx.
# Needs wrk and nginx (apt-get install wrk nginx-light).
#
#   bench/delivery.sh [--rounds 5] [--seconds 5] [--connections 32]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
for tool in wrk nginx; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed (apt-get install wrk nginx-light)" >&2; exit 1; }
done

source bench/java-bench.sh
run_java_bench dev.upfront.bench.DeliveryBenchmark "$@"
