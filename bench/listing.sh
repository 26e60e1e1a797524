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

source bench/jdk25.sh
JAVA_HOME="$(jdk25)" || { echo "bench: no JDK 25 found (see ./upfront)" >&2; exit 1; }
export JAVA_HOME

classpath_file="server/target/bench.classpath"
./mvnw -B -q -f server/pom.xml -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$classpath_file"

data=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do [ "${args[$i]}" = "--data" ] && data="${args[$((i + 1))]:-}"; done
if [ -z "$data" ]; then
  data="$(mktemp -d -t upfront-bench-XXXXXX)"
  trap 'rm -rf "$data"' EXIT
  args+=(--data "$data")
fi

status=0
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g \
  -cp "server/target/classes:server/target/test-classes:$(cat "$classpath_file")" \
  dev.upfront.bench.ListingBenchmark "${args[@]}" || status=$?
exit "$status"
