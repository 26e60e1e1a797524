#!/usr/bin/env bash
# Long coverage-guided fuzzing campaign (not part of ./upfront test, which only replays seeds and past findings).
# Runs every Jazzer @FuzzTest in server/src/test/java (classes named *FuzzTest) in fuzzing mode, one after the
# other, each in its own JVM for an equal share of MINUTES, then prints executions and findings per target.
#
#   bench/fuzz.sh MINUTES [FILTER]      FILTER: only targets whose Class#method contains it
#
# A finding (an exception a target does not allow, a hang, a failed assertion) is written as crash-<sha1> into the
# target's inputs folder, src/test/resources/<package>/<Class>Inputs/<method>/, where the normal test suite replays
# it from then on: fix the bug, or the suite stays red. Inputs that reached new code are kept, untracked, in
# server/.cifuzz-corpus/ and make the next campaign start where this one stopped. Logs: server/target/fuzz/.
# Exit status 1 when any target had a finding.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

minutes="${1:-}"
filter="${2:-}"
if ! [[ "$minutes" =~ ^[0-9]+([.][0-9]+)?$ ]]; then
  echo "usage: bench/fuzz.sh MINUTES [FILTER]" >&2; exit 2
fi
source bench/jdk25.sh
JAVA_HOME="$(jdk25)" || { echo "fuzz: no JDK 25 found (see ./upfront)" >&2; exit 1; }
export JAVA_HOME

# Every "@FuzzTest ... void name(" as Class#method, the class named by its file's path.
targets=()
while IFS= read -r file; do
  class="$(echo "${file#server/src/test/java/}" | sed 's#\.java$##; s#/#.#g')"
  while IFS= read -r method; do
    if [[ "$class#$method" == *"$filter"* ]]; then targets+=("$class#$method"); fi
  done < <(awk '/@FuzzTest/ { want = 1 } want && match($0, /void [A-Za-z0-9_]+\(/) { print substr($0, RSTART + 5, RLENGTH - 6); want = 0 }' "$file")
done < <(find server/src/test/java -name '*FuzzTest.java' | sort)
[ "${#targets[@]}" -gt 0 ] || { echo "fuzz: no @FuzzTest matches '$filter'" >&2; exit 2; }

seconds=$(awk -v m="$minutes" -v n="${#targets[@]}" 'BEGIN { s = int(m * 60 / n); print (s < 10 ? 10 : s) }')
echo "fuzz: ${#targets[@]} targets, ${seconds}s of fuzzing each (plus JVM start-up)" >&2

# The server's tests resolve the protocol module from the local repository when run on their own.
./mvnw -B -q -DskipTests install -pl protocol -am
./mvnw -B -q -f server/pom.xml -DskipTests test-compile
logs="server/target/fuzz"
mkdir -p "$logs"

inputs_dir() { # the resources folder Jazzer writes a target's findings into
  local class="${1%#*}" method="${1#*#}"
  echo "server/src/test/resources/$(echo "${class%.*}" | tr . /)/${class##*.}Inputs/$method"
}

summary=()
found_any=0
for target in "${targets[@]}"; do
  log="$logs/${target//#/.}.log"
  dir="$(inputs_dir "$target")"
  mkdir -p "$dir"
  before="$(find "$dir" -name 'crash-*' | wc -l)"
  echo "fuzz: $target" >&2
  # keep_going: carry on after a finding to collect distinct ones; instrument: our classes plus the third-party
  # parsers our code drives (multipart, JWT, JSON), so coverage guides the fuzzer through them too.
  JAZZER_FUZZ=1 ./mvnw -B -o -f server/pom.xml surefire:test@fuzz -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.max_duration="${seconds}s" -Djazzer.keep_going=10 \
    -Djazzer.instrument='dev.upfront.**,org.eclipse.jetty.http.MultiPart**,com.auth0.jwt.**,com.fasterxml.jackson.core.**' \
    > "$log" 2>&1 || true
  runs="$(grep -aoE '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -n1 | awk '{ print $2 }')"
  [ -n "$runs" ] || runs="$(grep -aoE '^#[0-9]+' "$log" | tail -n1 | tr -d '#')"
  after="$(find "$dir" -name 'crash-*' | wc -l)"
  findings=$((after - before))
  if [ "$findings" -gt 0 ] || grep -aqE 'Tests run:.*(Failures: [1-9]|Errors: [1-9])' "$log"; then
    found_any=1
  fi
  summary+=("$(printf '%-80s %12s %9s' "$target" "${runs:-?}" "$findings")")
done

printf '\n%-80s %12s %9s\n' "target" "executions" "findings"
printf '%s\n' "${summary[@]}"
if [ "$found_any" -ne 0 ]; then
  echo
  echo "Findings (new crash-* files; the suite replays them until fixed):"
  git status --porcelain --untracked-files=all -- 'server/src/test/resources' | grep 'crash-' || true
  echo "Logs with the stack traces: $logs/"
  exit 1
fi
