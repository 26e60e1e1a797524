#!/usr/bin/env bash
# The performance benchmark (not part of ./upfront test): Upfront against references doing the same job, on
# 127.0.0.1, alternating run by run (round 1: Upfront first; round 2: the reference first; ...), then one markdown
# table of medians, spreads (min–max over the rounds) and ratios (Upfront ÷ reference, medians) on stdout.
#
#   bench/run.sh                 full run (under 15 minutes on 2 cores, builds included)
#   QUICK=1 bench/run.sh         smoke run: one short round each, 50 MB instead of 300 MB
#
# Scenarios (BENCH_ONLY=small,v1,pg,big,big4,cached,resize,jmh picks some):
#   small   48 KB JPEG uploads, BENCH_CONNECTIONS connections, Basic auth  vs  nginx WebDAV PUT and S3Proxy PUT Object
#   v1      the same with client-side v1 credentials, a fresh token each  vs  nginx multipart POST (body kept in a file)
#   pg      the small uploads with the library in PostgreSQL (embedded binaries, fsync and synchronous_commit on; a second Upfront)  vs  nginx WebDAV PUT
#   big     one BENCH_BIG_MB upload at a time                             vs  nginx multipart POST
#   big4    4 × BENCH_BIG_MB at once, with Upfront's peak RSS during them (and over the whole run)  vs  nginx multipart POST
#   cached  cached hits of a 400×300 rendering                            vs  nginx serving the same bytes
#   resize  first hit: 12 MP JPEG → 400×300                               vs  vips_thumbnail in-process (bench/vips_thumbnail_time.c)
#   jmh     JMH: v1 signature and v2 JWT verification (bench/jmh)
#
# Settings (environment): BENCH_ROUNDS (5), BENCH_SECONDS per load run (8), BENCH_WARMUP seconds (20),
# BENCH_CONNECTIONS (32), BENCH_BIG_MB (300), BENCH_RESIZE_RUNS (15), BENCH_KEEP=1 keeps the work folder,
# BENCH_JFR=FILE records a JFR profile of Upfront (settings=profile) into FILE.
# Installs what it lacks from Debian (nginx-light, wrk, libvips-tools, libvips-dev, gcc, pkg-config, curl, python3).
# Every load run is bounded by time (wrk -d), every loop by a count. Progress goes to stderr.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source bench/lib.sh
source bench/jdk25.sh
source bench/java-bench.sh

if [ "${QUICK:-0}" = 1 ]; then
  d_rounds=1; d_seconds=3; d_warmup=1; d_big=50; d_resize=3; jmh_args=(-wi 1 -w 1 -i 2 -r 1)
else
  # 20 s of warm-up: on 2 cores the JVM's C2 compiler still took a quarter of the CPU 25 s into an upload run.
  d_rounds=5; d_seconds=8; d_warmup=20; d_big=300; d_resize=15; jmh_args=(-wi 3 -w 1 -i 5 -r 1)
fi
rounds="${BENCH_ROUNDS:-$d_rounds}"
seconds="${BENCH_SECONDS:-$d_seconds}"
warmup="${BENCH_WARMUP:-$d_warmup}"
connections="${BENCH_CONNECTIONS:-32}"
big_mb="${BENCH_BIG_MB:-$d_big}"
resize_runs="${BENCH_RESIZE_RUNS:-$d_resize}"
only=",${BENCH_ONLY:-small,v1,pg,big,big4,cached,resize,jmh},"
wants() { [[ "$only" == *",$1,"* ]]; }
say() { echo "bench: $*" >&2; }
started=$(date +%s)

need_debian nginx:nginx-light wrk:wrk vips:libvips-tools pc/vips:libvips-dev cc:gcc pkg-config:pkg-config \
  curl:curl python3:python3
JAVA_HOME="$(jdk25)" || { say "no JDK 25 found (see ./upfront)"; exit 1; }
export JAVA_HOME

work="$(mktemp -d -t upfront-bench-XXXXXX)"
finish() {
  bench_cleanup
  if [ "${BENCH_KEEP:-0}" = 1 ]; then say "work folder kept: $work"; else rm -rf "$work"; fi
}
trap finish EXIT

# --- Build: the JMH module (with the server it depends on) first, so no jar is rewritten under a running server.
if wants jmh || wants small; then
  say "building the server and bench/jmh"
  ./mvnw -B -q -Pbench -pl bench/jmh -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile="$work/jmh.classpath" >&2
fi
./upfront help >/dev/null # builds the server when its sources changed
cc -O2 -o "$work/vips_thumbnail_time" bench/vips_thumbnail_time.c $(pkg-config --cflags --libs vips)

# --- Inputs
say "making inputs"
# A 4000x3000 photo-like JPEG (smooth gradients plus grain), about 12 MP.
vips sines "$work/s.v" 4000 3000 --hfreq 3 --vfreq 2
vips gaussnoise "$work/n.v" 4000 3000 --sigma 12 --mean 0
vips linear "$work/s.v" "$work/s2.v" 90 128
vips add "$work/s2.v" "$work/n.v" "$work/g.v"
vips bandjoin "$work/g.v $work/s2.v $work/g.v" "$work/rgb.v"
vips cast "$work/rgb.v" "$work/rgb8.v" uchar
vips copy "$work/rgb8.v" "$work/photo.jpg[Q=90]"
rm -f "$work"/*.v
# The small upload: a 520x390 cut of it (grain kept), about 48 KB.
vips extract_area "$work/photo.jpg" "$work/small.jpg[Q=85]" 1000 1000 520 390
small_kb=$(( $(stat -c %s "$work/small.jpg") / 1024 ))
big_bytes=$((big_mb * 1024 * 1024))
if wants big || wants big4; then head -c "$big_bytes" /dev/urandom > "$work/big.bin"; fi

# --- JMH first, before any server runs beside it.
if wants jmh; then
  say "JMH: upload credential checks"
  "$JAVA_HOME/bin/java" -cp "bench/jmh/target/classes:$(cat "$work/jmh.classpath")" org.openjdk.jmh.Main \
    "${jmh_args[@]}" -f 1 -rf json -rff "$work/jmh.json" UploadCredentialBenchmark > "$work/jmh.log" 2>&1 \
    || { say "JMH failed:"; tail -20 "$work/jmh.log" >&2; }
fi

# --- Servers
say "starting Upfront and nginx"
jfr=()
if [ -n "${BENCH_JFR:-}" ]; then
  jfr=(UPFRONT_JAVA_OPTS="-XX:StartFlightRecording=settings=profile,dumponexit=true,filename=$BENCH_JFR")
fi
start_upfront "$work/upfront-data" "$work/upfront.log" UPFRONT_MAX_FILE_SIZE=2GB UPFRONT_MAX_VIDEO_FILE_SIZE=2GB \
  UPFRONT_MAX_PENDING_BYTES=8GB "${jfr[@]}"
up="http://127.0.0.1:$upfront_port"
mkdir -p "$work/www" "$work/nginx-store/dav" "$work/nginx-store/bodies"
nginx_port=$(free_port)
# /dav/: WebDAV PUT (nginx writes the body to a temp file, then renames it into place).
# /upload: a POST whose whole body nginx writes to a file of its own and keeps (client_body_in_file_only on); the
# mirror subrequest with mirror_request_body is what makes nginx read the body before it answers; then 204.
# Neither fsyncs: nginx has no setting for it. Upfront fsyncs blob and database before its 200.
start_nginx "$work/nginx" "server {
    listen 127.0.0.1:$nginx_port;
    root $work/www;
    etag on;
    client_max_body_size 4g;
    location /dav/ {
      root $work/nginx-store;
      dav_methods PUT;
      client_body_temp_path $work/nginx-store/davtmp;
    }
    location = /upload {
      client_body_in_file_only on;
      client_body_temp_path $work/nginx-store/bodies;
      mirror /sink;
      mirror_request_body on;
      log_not_found off;
      error_page 404 =204 @stored;
    }
    location @stored { return 204; }
    location = /sink { internal; return 204; }
  }"
ng="http://127.0.0.1:$nginx_port"
clear_nginx_store() { find "$work/nginx-store" -type f -delete; }
# The small-file rows delete nothing until the big rows: right after thousands of files are deleted, ext4 spends
# ~20× the CPU creating a file (it steps past the freed inodes) for minutes, which would tax whichever side ran next.
# So each small-file run writes under names of its own (PUT overwriting an earlier run's file frees its inode too).
run_no=0
fresh() { run_no=$((run_no + 1)); echo "$1r$run_no-"; } # URL prefix: a path no earlier run used

s3=""
if wants small && [ -s "$work/jmh.classpath" ]; then
  s3_port=$(free_port)
  mkdir -p "$work/s3-data"
  cat > "$work/s3proxy.properties" <<PROPS
s3proxy.endpoint=http://127.0.0.1:$s3_port
s3proxy.authorization=none
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$work/s3-data
PROPS
  "$JAVA_HOME/bin/java" -cp "$(cat "$work/jmh.classpath")" org.gaul.s3proxy.Main \
    --properties "$work/s3proxy.properties" > "$work/s3proxy.log" 2>&1 &
  bench_pids+=("$!")
  wait_http "http://127.0.0.1:$s3_port/" && curl -sf -o /dev/null -X PUT "http://127.0.0.1:$s3_port/bench" \
    && s3="http://127.0.0.1:$s3_port"
fi

# --- Load runs. wrk_run NAME URL MODE [SECONDS]: appends "req/s p50-ms errors" to $work/NAME.runs.
wrk_run() {
  local name="$1" url="$2" mode="$3" secs="${4:-$seconds}" out
  out=$(BENCH_MODE="$mode" BENCH_FILE="$work/small.jpg" BENCH_TOKENS="$work/tokens.txt" BENCH_THREADS=2 \
    BENCH_PUBLIC_KEY=public_bench BENCH_AUTHORIZATION="Basic $(printf 'private_bench_key:' | base64)" \
    wrk -t2 -c"$connections" -d"${secs}s" --timeout 10s -s bench/wrk-bench.lua "$url" | awk '/^RESULT/ {print $2, $3, $4}')
  [ -n "$out" ] || { say "wrk gave no result for $name"; out="nan nan 1"; }
  echo "$out" >> "$work/$name.runs"
}

# Fresh v1 credentials, enough for the fastest server for one run: "token expire signature" per line.
make_tokens() {
  python3 - "$1" > "$work/tokens.txt" <<'PY'
import hashlib, hmac, os, sys, time
expire = str(int(time.time()) + 1800)
prefix = os.urandom(6).hex()
key = b"private_bench_key"
out = []
for i in range(int(sys.argv[1])):
    token = f"{prefix}-{i}"
    out.append(f"{token} {expire} {hmac.new(key, (token + expire).encode(), hashlib.sha1).hexdigest()}")
print("\n".join(out))
PY
}
tokens_per_run=$((seconds * 20000))

# alternate ROUND CMD_A CMD_B: A then B in odd rounds, B then A in even ones.
alternate() { if (( $1 % 2 )); then $2; $3; else $3; $2; fi; }

# Peak RSS (VmHWM) of Upfront's process. The big4 row reports the peak within its own uploads: the high-water mark is
# reset (clear_refs) just before them, so it starts from what the earlier rows left resident. The process's peak over
# the whole run (every row) is kept beside it, with the part of the run that set it: the mark is read and reset at the
# end of each part and before each big4 round.
peak_rss_mb() { awk '/VmHWM/ { printf "%.0f\n", $2 / 1024 }' "/proc/$upfront_pid/status" 2>/dev/null || echo 0; }
whole_run_rss=0 whole_run_rss_in="start-up"
# note_whole_run_rss PART: PART ran since the last reset.
note_whole_run_rss() {
  local h; h=$(peak_rss_mb)
  (( h > whole_run_rss )) && whole_run_rss=$h whole_run_rss_in=$1
  return 0
}
# reset_peak_rss PART: notes PART's peak, then starts a new high-water mark.
reset_peak_rss() { note_whole_run_rss "$1"; echo 5 > "/proc/$upfront_pid/clear_refs" 2>/dev/null || true; }

if wants small; then
  say "small uploads: Basic auth vs nginx WebDAV PUT${s3:+ and S3Proxy PUT Object}"
  small_up() { wrk_run small-upfront "$up/api/v1/files/upload" basic; }
  small_ng() { wrk_run small-nginx "$(fresh "$ng/dav/")" put; }
  small_s3() { [ -z "$s3" ] || wrk_run small-s3 "$(fresh "$s3/bench/o")" put; }
  wrk_run warm "$up/api/v1/files/upload" basic "$warmup"
  wrk_run warm "$(fresh "$ng/dav/")" put "$warmup"
  [ -z "$s3" ] || wrk_run warm "$(fresh "$s3/bench/w")" put "$warmup"
  for r in $(seq 1 "$rounds"); do
    alternate "$r" small_up small_ng
    small_s3
  done
  reset_peak_rss "the small uploads"
fi

if wants v1; then
  say "small uploads: client-side v1 vs nginx multipart POST"
  v1_up() { make_tokens "$tokens_per_run"; wrk_run v1-upfront "$up/api/v1/files/upload" v1; }
  v1_ng() { wrk_run v1-nginx "$ng/upload" v1; } # nginx names each kept body itself
  make_tokens "$((warmup * 20000))"
  wrk_run warm "$up/api/v1/files/upload" v1 "$warmup"
  for r in $(seq 1 "$rounds"); do alternate "$r" v1_up v1_ng; done
  reset_peak_rss "the client-side v1 uploads"
fi

if wants pg; then
  say "small uploads on PostgreSQL: Basic auth vs nginx WebDAV PUT"
  classpath="$(bench_java_classpath)"
  "$JAVA_HOME/bin/java" -Xmx64m -cp "$classpath" dev.upfront.bench.PostgresServer --data "$work" \
    > "$work/postgres.out" 2> "$work/postgres.log" &
  pg_pid=$!
  bench_pids+=("$pg_pid")
  for _ in $(seq 1 300); do grep -q '^URL ' "$work/postgres.out" && break; sleep 0.2; done
  pg_url=$(sed -n 's/^URL //p' "$work/postgres.out")
  [ -n "$pg_url" ] || { say "PostgreSQL did not start:"; tail -20 "$work/postgres.log" >&2; exit 1; }
  # A second Upfront on it, for this row only; the first keeps its port and pid for the rows after.
  main_port=$upfront_port main_pid=$upfront_pid
  start_upfront "$work/upfront-pg-data" "$work/upfront-pg.log" UPFRONT_DATABASE_URL="$pg_url"
  upg="http://127.0.0.1:$upfront_port" pg_upfront_pid=$upfront_pid
  upfront_port=$main_port upfront_pid=$main_pid
  pg_up() { wrk_run pg-upfront "$upg/api/v1/files/upload" basic; }
  pg_ng() { wrk_run pg-nginx "$(fresh "$ng/dav/")" put; }
  wrk_run warm "$upg/api/v1/files/upload" basic "$warmup"
  for r in $(seq 1 "$rounds"); do alternate "$r" pg_up pg_ng; done
  kill "$pg_upfront_pid" "$pg_pid" 2>/dev/null || true
  for pid in "$pg_upfront_pid" "$pg_pid"; do
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
fi

# big_run NAME URL PARALLEL [CURL AUTH ARGS]: PARALLEL uploads of big.bin at once; appends MB/s (all together).
big_run() {
  local name="$1" url="$2" n="$3" i start codes pids=()
  shift 3
  start=$(date +%s%N)
  for ((i = 0; i < n; i++)); do
    curl -s -o /dev/null -w '%{http_code}\n' "$@" -F fileName=big.bin -F "file=@$work/big.bin" "$url" > "$work/code.$i" &
    pids+=("$!")
  done
  wait "${pids[@]}"
  local ns=$(( $(date +%s%N) - start ))
  codes=$(cat "$work"/code.* | sort -u | tr '\n' ' '); rm -f "$work"/code.*
  [[ "$codes" == "200 " || "$codes" == "204 " ]] || say "$name: answers $codes"
  awk -v b="$big_bytes" -v n="$n" -v ns="$ns" 'BEGIN { printf "%.1f\n", n * b / 1048576 / (ns / 1e9) }' >> "$work/$name.runs"
}

if wants big; then
  say "${big_mb} MB uploads, one at a time"
  clear_nginx_store # the small rows' files: a few big files are created from here on
  big_up() { big_run big-upfront "$up/api/v1/files/upload" 1 -u private_bench_key:; }
  big_ng() { big_run big-nginx "$ng/upload" 1; clear_nginx_store; }
  # What the disk gives one writer that fsyncs at the end, as Upfront does: the ceiling for a durable upload.
  big_dd() {
    local start=$(date +%s%N)
    dd if="$work/big.bin" of="$work/nginx-store/dd.bin" bs=1M conv=fsync status=none
    awk -v b="$big_bytes" -v ns="$(( $(date +%s%N) - start ))" 'BEGIN { printf "%.1f\n", b / 1048576 / (ns / 1e9) }' >> "$work/big-dd.runs"
    rm -f "$work/nginx-store/dd.bin"
  }
  for r in $(seq 1 "$rounds"); do alternate "$r" big_up big_ng; big_dd; done
  reset_peak_rss "the ${big_mb} MB uploads one at a time"
fi

if wants big4; then
  say "4 × ${big_mb} MB uploads at once"
  nginx_turn="nginx's turn of the 4 × ${big_mb} MB uploads" # what Upfront's mark spans between its own rounds
  big4_up() {
    reset_peak_rss "$nginx_turn"
    big_run big4-upfront "$up/api/v1/files/upload" 4 -u private_bench_key:
    peak_rss_mb >> "$work/big4-rss.runs"
    note_whole_run_rss "the 4 × ${big_mb} MB uploads"
  }
  big4_ng() { big_run big4-nginx "$ng/upload" 4; clear_nginx_store; }
  for r in $(seq 1 "$rounds"); do alternate "$r" big4_up big4_ng; done
  reset_peak_rss "$nginx_turn"
fi

if wants cached || wants resize; then
  curl -sf -o /dev/null -u private_bench_key: -F fileName=photo.jpg -F useUniqueFileName=false \
    -F file=@"$work/photo.jpg" "$up/api/v1/files/upload"
fi

if wants cached; then
  say "cached hits of a 400x300 rendering vs nginx static"
  rendering="$up/media/tr:w-400,h-300,q-80/photo.jpg"
  curl -sf -o "$work/www/r.jpg" "$rendering"
  cached_up() { wrk_run cached-upfront "$rendering" get; }
  cached_ng() { wrk_run cached-nginx "$ng/r.jpg" get; }
  wrk_run warm "$rendering" get "$warmup"
  wrk_run warm "$ng/r.jpg" get "$warmup"
  for r in $(seq 1 "$rounds"); do alternate "$r" cached_up cached_ng; done
  reset_peak_rss "the cached hits"
fi

if wants resize; then
  say "first-hit resize: Upfront vs vips_thumbnail in-process"
  coproc VIPS { "$work/vips_thumbnail_time" "$work/photo.jpg" 400 300; }
  bench_pids+=("$VIPS_PID")
  # Each Upfront run asks for a quality not asked before, so it is a cache miss doing the whole work; the harness
  # encodes at the same quality. Three warm-ups each (JIT, page cache, libvips's own start).
  resize_up() {
    curl -sf -o /dev/null -w '%{time_total}\n' "$up/media/tr:w-400,h-300,q-$q/photo.jpg" \
      | awk '{ print $1 * 1000 }' >> "$work/resize-upfront.runs"
  }
  resize_vips() { echo "$q" >&"${VIPS[1]}"; local ms; read -r ms <&"${VIPS[0]}"; echo "$ms" >> "$work/resize-vips.runs"; }
  for q in 7 8 9; do resize_up; resize_vips; done
  : > "$work/resize-upfront.runs"; : > "$work/resize-vips.runs"
  for i in $(seq 1 "$resize_runs"); do q=$((10 + i % 90)); alternate "$i" resize_up resize_vips; done
  exec {VIPS[1]}>&-
  reset_peak_rss "the first-hit resizes"
fi

# --- The table
col() { awk -v c="$2" '{ print $c }' "$work/$1.runs"; } # column C of NAME's runs
med() { col "$1" "${2:-1}" | median; }
spread() { printf '%s–%s' "$(fmt "$(col "$1" "${2:-1}" | minimum)")" "$(fmt "$(col "$1" "${2:-1}" | maximum)")"; }
errs() { col "$1" 3 | awk '{ s += $1 } END { if (s > 0) printf ", **%d errors**", s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "–" }'; }
fmt() { awk -v x="$1" 'BEGIN { printf (x >= 100 ? "%.0f" : "%.1f"), x }'; }
rps_cell() { # NAME: "median req/s (min–max), p50 N ms"
  printf '%s req/s (%s), p50 %s ms%s' "$(fmt "$(med "$1")")" "$(spread "$1")" "$(fmt "$(med "$1" 2)")" "$(errs "$1")"
}
have() { [ -s "$work/$1.runs" ]; }

echo
echo "Upfront $(git rev-parse --short HEAD) vs references, $(nproc) cores, $(date -u +%Y-%m-%d), rounds=$rounds," \
  "${seconds}s per load run, $connections connections; medians (min–max over rounds); ratio = Upfront ÷ reference"
echo
echo "| scenario | Upfront | reference | ratio | goal |"
echo "|---|---|---|---|---|"
if have small-upfront; then
  echo "| ${small_kb} KB JPEG uploads, $connections connections, Basic auth | $(rps_cell small-upfront) |" \
    "nginx WebDAV PUT $(rps_cell small-nginx) | $(ratio "$(med small-upfront)" "$(med small-nginx)") | ≥ 0.5× (stretch 1.0×) |"
fi
if have small-s3; then
  echo "| the same uploads vs S3Proxy | $(rps_cell small-upfront) | S3Proxy PUT Object $(rps_cell small-s3) |" \
    "$(ratio "$(med small-upfront)" "$(med small-s3)") | – |"
fi
if have v1-upfront; then
  echo "| the same, client-side v1, fresh token each | $(rps_cell v1-upfront) | nginx multipart POST $(rps_cell v1-nginx) |" \
    "$(ratio "$(med v1-upfront)" "$(med v1-nginx)") | ≥ 0.5× |"
fi
if have pg-upfront; then
  echo "| the same Basic-auth uploads, library in PostgreSQL (fsync, synchronous_commit on) | $(rps_cell pg-upfront) |" \
    "nginx WebDAV PUT $(rps_cell pg-nginx) | $(ratio "$(med pg-upfront)" "$(med pg-nginx)") | ≥ 0.5× |"
fi
if have big-upfront; then
  echo "| ${big_mb} MB upload, one at a time | $(fmt "$(med big-upfront)") MB/s ($(spread big-upfront)) |" \
    "nginx POST $(fmt "$(med big-nginx)") MB/s ($(spread big-nginx)) | $(ratio "$(med big-upfront)" "$(med big-nginx)") | ≥ 0.8× |"
fi
if have big-dd; then
  echo "| the same, against the disk | $(fmt "$(med big-upfront)") MB/s | dd of the same bytes + fsync $(fmt "$(med big-dd)") MB/s" \
    "($(spread big-dd)) | $(ratio "$(med big-upfront)" "$(med big-dd)") | – (the durable ceiling) |"
fi
if have big4-upfront; then
  echo "| 4 × ${big_mb} MB at once | $(fmt "$(med big4-upfront)") MB/s ($(spread big4-upfront)), peak RSS $(fmt "$(med big4-rss)") MB" \
    "($(spread big4-rss) over the rounds; the whole run's peak: $whole_run_rss MB, in $whole_run_rss_in) |" \
    "nginx POST $(fmt "$(med big4-nginx)") MB/s ($(spread big4-nginx)) | $(ratio "$(med big4-upfront)" "$(med big4-nginx)") |" \
    "≥ 0.8×, peak RSS < 300 MB |"
fi
if have cached-upfront; then
  echo "| cached hits of a 400×300 rendering, $connections connections | $(rps_cell cached-upfront) |" \
    "nginx static, same bytes, $(rps_cell cached-nginx) | $(ratio "$(med cached-upfront)" "$(med cached-nginx)") | ≥ 0.7× |"
fi
if have resize-upfront; then
  echo "| first-hit 12 MP JPEG → 400×300, median of $resize_runs | $(fmt "$(med resize-upfront)") ms ($(spread resize-upfront)) |" \
    "libvips vips_thumbnail in-process $(fmt "$(med resize-vips)") ms ($(spread resize-vips)) |" \
    "$(ratio "$(med resize-upfront)" "$(med resize-vips)") time | ≤ 1.2× |"
fi
if [ -s "$work/jmh.json" ]; then
  python3 - "$work/jmh.json" <<'PY'
import json, sys
names = {"v1Signature": "v1 signature check (JMH, per upload)", "v2Jwt": "v2 JWT verification (JMH, per upload)"}
for b in json.load(open(sys.argv[1])):
    m = b["primaryMetric"]
    raw = [x for fork in m["rawData"] for x in fork]
    err = m["scoreError"]
    err = "" if isinstance(err, str) or err != err else f" ± {err:.2f}"  # NaN with too few iterations
    print(f"| {names[b['benchmark'].rsplit('.', 1)[1]]} | {m['score']:.2f} µs{err} ({min(raw):.2f}–{max(raw):.2f}) | – | – | < 20 µs |")
PY
fi
echo
say "done in $(( $(date +%s) - started )) s"
