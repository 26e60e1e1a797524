# Sourced by the bench scripts that start servers (bench/run.sh, bench/transform.sh): installs Debian packages when
# missing, starts Upfront (embedded default, a data folder of the caller's) and nginx on 127.0.0.1, and small
# statistics helpers. Every process started here is recorded and stopped by bench_cleanup.

bench_pids=()

# need_debian CMD:PACKAGE ...: installs the packages whose command (or, for a -dev package, pkg-config module
# written as pc/NAME) is missing, non-interactively. Root here; sudo elsewhere.
need_debian() {
  local want=() pair what pkg
  for pair in "$@"; do
    what="${pair%%:*}"; pkg="${pair#*:}"
    if [[ "$what" == pc/* ]]; then
      pkg-config --exists "${what#pc/}" 2>/dev/null || want+=("$pkg")
    else
      command -v "$what" >/dev/null 2>&1 || want+=("$pkg")
    fi
  done
  [ ${#want[@]} -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo -n)
  echo "bench: installing ${want[*]} from Debian" >&2
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq >/dev/null
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${want[@]}" >/dev/null
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_http() { # URL [tries]: waits until URL answers 2xx, 0.2 s apart
  local i
  for ((i = 0; i < ${2:-150}; i++)); do curl -sf -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "bench: $1 did not answer" >&2
  return 1
}

# start_upfront DATA_DIR LOG [VAR=VALUE ...]: the built server on a free loopback port with the bench key pair
# (public_bench / private_bench_key) and no access log; sets upfront_port and upfront_pid (the JVM's pid: ./upfront
# execs java). Extra settings come as VAR=VALUE.
start_upfront() {
  local data="$1" log="$2"
  shift 2
  upfront_port=$(free_port)
  env UPFRONT_PORT="$upfront_port" UPFRONT_BIND=127.0.0.1 UPFRONT_DATA_DIR="$data" UPFRONT_PUBLIC_KEY=public_bench \
    UPFRONT_PRIVATE_KEY=private_bench_key UPFRONT_ACCESS_LOG=OFF "$@" ./upfront serve > "$log" 2>&1 &
  upfront_pid=$!
  bench_pids+=("$upfront_pid")
  wait_http "http://127.0.0.1:$upfront_port/readyz"
}

# start_nginx DIR SERVER_BLOCK: nginx (2 workers, like the 2 cores) with DIR as its prefix (pid, logs, temp
# folders) and one server block; $nginx_port is free to be used in SERVER_BLOCK as listen 127.0.0.1:$nginx_port.
# Sets nginx_pid.
start_nginx() {
  local dir="$1" server="$2"
  mkdir -p "$dir"
  local user=""
  # Run as root, nginx's workers would drop to nobody and could not write into the caller's folders.
  [ "$(id -u)" -eq 0 ] && user="user root;"
  cat > "$dir/nginx.conf" <<NGINX
$user
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir/client_temp;
  proxy_temp_path $dir/proxy_temp;
  fastcgi_temp_path $dir/fastcgi_temp;
  uwsgi_temp_path $dir/uwsgi_temp;
  scgi_temp_path $dir/scgi_temp;
  types { image/jpeg jpg; }
  $server
}
NGINX
  nginx -p "$dir" -c "$dir/nginx.conf"
  local i
  for ((i = 0; i < 50; i++)); do [ -s "$dir/nginx.pid" ] && break; sleep 0.1; done
  nginx_pid=$(cat "$dir/nginx.pid")
  bench_pids+=("$nginx_pid")
}

bench_cleanup() {
  local pid
  for pid in "${bench_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${bench_pids[@]}"; do
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
minimum() { sort -g | head -n1; }
maximum() { sort -g | tail -n1; }
