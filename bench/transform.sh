#!/usr/bin/env bash
# Transformation benchmark (not part of ./upfront test), in one run, on one generated 12 MP JPEG:
#   1. first-hit resize to 400x300 through Upfront (HTTP, cache miss: read, decode, resize, encode, store)
#      against the vipsthumbnail CLI doing the same resize, alternating, median of N each;
#   2. cached hits of that rendering through Upfront against nginx serving the same bytes, with wrk on loopback.
# Prints a markdown table with the ratios. Installs what it needs (libvips-tools, nginx-light, wrk) with apt.
#
#   bench/transform.sh [--runs 15] [--seconds 10] [--connections 32]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=15; seconds=10; connections=32
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    *) echo "bench: unknown option $1" >&2; exit 2 ;;
  esac
done

need=()
command -v vipsthumbnail >/dev/null || need+=(libvips-tools)
command -v nginx >/dev/null || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

./upfront build >/dev/null
work="$(mktemp -d)"
cleanup() {
  [ -n "${upfront_pid:-}" ] && kill "$upfront_pid" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A 4000x3000 photo-like JPEG (smooth gradients plus grain), about 12 MP.
vips sines "$work/s.v" 4000 3000 --hfreq 3 --vfreq 2
vips gaussnoise "$work/n.v" 4000 3000 --sigma 12 --mean 0
vips linear "$work/s.v" "$work/s2.v" 90 128
vips add "$work/s2.v" "$work/n.v" "$work/g.v"
vips bandjoin "$work/g.v $work/s2.v $work/g.v" "$work/rgb.v"
vips cast "$work/rgb.v" "$work/rgb8.v" uchar
vips copy "$work/rgb8.v" "$work/photo.jpg[Q=90]"
echo "Source: $(vipsheader "$work/photo.jpg"), $(stat -c %s "$work/photo.jpg") bytes" >&2

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
UPFRONT_PORT=$port UPFRONT_BIND=127.0.0.1 UPFRONT_DATA_DIR="$work/data" UPFRONT_PUBLIC_KEY=public_bench \
  UPFRONT_PRIVATE_KEY=private_bench_key UPFRONT_ACCESS_LOG=OFF ./upfront serve > "$work/upfront.log" 2>&1 &
upfront_pid=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
backend=$(grep -o 'Image processing: .*' "$work/upfront.log" || true)
curl -sf -u private_bench_key: -F fileName=photo.jpg -F useUniqueFileName=false -F file=@"$work/photo.jpg" \
  "http://127.0.0.1:$port/api/v1/files/upload" >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# Warm up both once (JIT, page cache), then alternate. Each Upfront run asks for a fresh quality so that it is a
# cache miss doing the full work; vipsthumbnail writes the same size and quality.
curl -sf -o /dev/null "http://127.0.0.1:$port/media/tr:w-400,h-300,q-60/photo.jpg"
vipsthumbnail "$work/photo.jpg" -s 400x300 -o "$work/warm.jpg[Q=60]"
: > "$work/upfront.times"; : > "$work/cli.times"
for i in $(seq 1 "$runs"); do
  q=$((60 + i))
  curl -sf -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port/media/tr:w-400,h-300,q-$q/photo.jpg" \
    | awk '{print $1*1000}' >> "$work/upfront.times"
  start=$(date +%s%N)
  vipsthumbnail "$work/photo.jpg" -s 400x300 -o "$work/out-$i.jpg[Q=$q]"
  echo $(( ($(date +%s%N) - start) / 1000 )) | awk '{print $1/1000}' >> "$work/cli.times"
done
up_ms=$(median < "$work/upfront.times"); cli_ms=$(median < "$work/cli.times")

# Cached hits: the same rendering from Upfront's cache, and its bytes from nginx.
url="http://127.0.0.1:$port/media/tr:w-400,h-300,q-80/photo.jpg"
curl -sf -o "$work/www/r.jpg" --create-dirs "$url"
nport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/nginx.conf" <<NGINX
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx.err;
events { worker_connections 1024; }
http {
  access_log off;
  types { image/jpeg jpg; }
  server { listen 127.0.0.1:$nport; root $work/www; etag on; }
}
NGINX
nginx -c "$work/nginx.conf"
sleep 0.5
# A short pass each first, so both are measured warm (Upfront's JIT, nginx's open-file cache).
wrk -t2 -c"$connections" -d3s "$url" >/dev/null
wrk -t2 -c"$connections" -d3s "http://127.0.0.1:$nport/r.jpg" >/dev/null
wrk -t2 -c"$connections" -d"${seconds}s" "$url" > "$work/wrk-upfront.txt"
wrk -t2 -c"$connections" -d"${seconds}s" "http://127.0.0.1:$nport/r.jpg" > "$work/wrk-nginx.txt"
up_rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk-upfront.txt")
ng_rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk-nginx.txt")

echo
echo "Transformations, one run on $(nproc) cores (${backend:-backend unknown})"
echo
echo "| scenario | Upfront | reference | ratio | goal |"
echo "|---|---:|---:|---:|---|"
printf '| first-hit 12 MP JPEG → 400×300, median of %s | %.1f ms | vipsthumbnail %.1f ms | %.2f× time | ≤ 1.0× |\n' \
  "$runs" "$up_ms" "$cli_ms" "$(echo "$up_ms / $cli_ms" | bc -l)"
printf '| cached hits, %s connections, %ss | %.0f req/s | nginx %.0f req/s | %.2f× req/s | ≥ 0.5× |\n' \
  "$connections" "$seconds" "$up_rps" "$ng_rps" "$(echo "$up_rps / $ng_rps" | bc -l)"
