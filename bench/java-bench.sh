# Sourced by the benchmarks that run a Java main from the server's test classes (bench/listing.sh, bench/dashboard.sh).
# run_java_bench CLASS ARGS...: builds the server and its test classes (with the modules it depends on), then runs
# CLASS with ARGS; unless ARGS hold --data DIR, a fresh temp data folder is added and removed afterwards.
# Returns CLASS's exit status.
source bench/jdk25.sh

# bench_java_classpath: builds the server's test classes and prints the class path that runs them (JAVA_HOME set).
bench_java_classpath() {
  local classpath_file="server/target/bench.classpath"
  ./mvnw -B -q -pl server -am -DskipTests test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/$classpath_file" >&2
  echo "server/target/classes:server/target/test-classes:$(cat "$classpath_file")"
}

run_java_bench() {
  local class="$1"
  shift
  JAVA_HOME="$(jdk25)" || { echo "bench: no JDK 25 found (see ./upfront)" >&2; return 1; }
  export JAVA_HOME
  local classpath
  classpath="$(bench_java_classpath)"

  local data="" i
  local args=("$@")
  for ((i = 0; i < ${#args[@]}; i++)); do [ "${args[$i]}" = "--data" ] && data="${args[$((i + 1))]:-}"; done
  if [ -z "$data" ]; then
    data="$(mktemp -d -t upfront-bench-XXXXXX)"
    trap "rm -rf '$data'" EXIT
    args+=(--data "$data")
  fi

  local status=0
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xmx2g \
    -cp "$classpath" \
    "$class" "${args[@]}" || status=$?
  return "$status"
}
