# bench/lib.sh: shared by the bench/ scripts (sourced, not run). See bench/README.md.
#
# The caller sets BENCH_NAME (used in messages and the temporary directory's
# name) and `set -euo pipefail`, then sources this file. It provides:
#   say/die                  messages on stderr, prefixed "bench/NAME:"
#   bench_tools CMD...       installs missing tools with apt-get --no-install-recommends
#   bench_init               temporary directory $TMP and the EXIT trap (cleanup)
#   bench_on_exit CMD...     one more command for the EXIT trap (e.g. stop a cluster)
#   free_port, wait_for      a free port on 127.0.0.1; polling with a time limit
#   demo_db N SEED           path of a cached demo database (generated once per machine)
#   demo_copy N SEED DEST    a private copy of it (database + key file) to serve or change
#   server_start NAME DB..   starts `dangjian serve` on 127.0.0.1:0; sets SERVER_PID, API
#   server_login             logs in as admin; sets COOKIE and ORG (admin's root org)
#   fetch NAME URL           GETs URL with the cookie into $TMP/NAME.json (must answer 200)
#   curl_ms URL N            mean ms of N sequential GETs with the cookie
#   nginx_start FILE         nginx serving FILE's bytes; sets NGINX_PID, STATIC_URL
#   run_wrk NAME URL OPTS.. [-- SCRIPT ARGS..]  one bounded wrk run; sets RPS, LAT_MS, LAT_P50_MS
#   best A B, ratio A B      arithmetic helpers
# Every process started here is on 127.0.0.1 only and is stopped by the EXIT
# trap, even after an error or Ctrl-C.

BENCH_NAME=${BENCH_NAME:-bench}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BIN=${DANGJIAN_BIN:-$ROOT/build/dangjian}
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
THREADS=${BENCH_THREADS:-2}
CONNS=${BENCH_CONNECTIONS:-32}
ROUNDS=${BENCH_ROUNDS:-2}
BENCH_CACHE=${BENCH_CACHE:-/tmp/dangjian-bench}
BENCH_SEED=${BENCH_SEED:-2026}
# Logins (and the demo's password hashes) at a cheap cost: only the session
# cookie matters here, never the hashing. An explicit setting wins.
export DJ_PBKDF2_ITERATIONS=${DJ_PBKDF2_ITERATIONS:-1000}

say() { printf 'bench/%s: %s\n' "$BENCH_NAME" "$*" >&2; }
die() { say "$*"; exit 1; }

# --- tools -------------------------------------------------------------------
# bench_tools wrk curl nginx sqlite3 python3 postgresql: installs the missing ones.
bench_tools() {
	local need=() t
	for t in "$@"; do
		case "$t" in
		nginx) [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || need+=(nginx-light) ;;
		postgresql) [ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql) ;;
		*) command -v "$t" >/dev/null || need+=("$t") ;;
		esac
	done
	if [ ${#need[@]} -gt 0 ]; then
		[ "$(id -u)" -eq 0 ] || die "missing ${need[*]}; run as root or install them"
		say "installing ${need[*]}"
		apt-get update -qq >&2
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
	fi
	NGINX=$(command -v nginx || echo /usr/sbin/nginx)
	[ -x "$BIN" ] || die "no server binary at '$BIN' (build it, or set DANGJIAN_BIN)"
}

# --- cleanup -----------------------------------------------------------------
TMP=
WRK_PID=
NGINX_PID=
SERVER_PID=
BENCH_PIDS=()       # every server/nginx started here
BENCH_EXIT_HOOKS=() # commands run by the EXIT trap, last added first
declare -A _BENCH_REGENERATED=()

bench_on_exit() { BENCH_EXIT_HOOKS+=("$*"); }

bench_cleanup() {
	local rc=$? pid i
	trap - EXIT
	for pid in $WRK_PID "${BENCH_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in $WRK_PID "${BENCH_PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	for ((i = ${#BENCH_EXIT_HOOKS[@]} - 1; i >= 0; i--)); do
		eval "${BENCH_EXIT_HOOKS[$i]}" || true
	done
	if [ -n "$TMP" ]; then
		if [ "${BENCH_KEEP:-0}" = 1 ]; then
			say "kept $TMP"
		else
			rm -rf "$TMP"
		fi
	fi
	exit "$rc"
}

bench_init() {
	TMP=$(mktemp -d "/tmp/dj-bench-$BENCH_NAME.XXXXXX")
	trap bench_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Polls until the command succeeds, fails with 2 (gave up: process died)
# or $1 tenths of a second pass.
wait_for() {
	local tenths=$1 rc; shift
	for _ in $(seq "$tenths"); do
		rc=0
		"$@" || rc=$?
		[ "$rc" -eq 0 ] && return 0
		[ "$rc" -eq 2 ] && return 1
		sleep 0.1
	done
	return 1
}

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
mib() { awk -v b="$1" 'BEGIN { printf "%.0f MiB", b / 1048576 }'; }

# --- demo databases ----------------------------------------------------------
# The cache holds sqlite-m<N>-s<SEED>-<SCHEMA>.db with its key file (.db.key)
# and an .info file with how long the generation took. <SCHEMA> is a short hash
# of the migration names built into the binary: a database made by an older
# binary would be migrated when first opened (at 1M members that rewrites
# every row, takes seconds and hundreds of MiB), so a new migration means a new
# database. The demo generator itself is not fingerprinted: after changing it,
# set BENCH_REGEN=1 (or remove $BENCH_CACHE). The cache is only ever read:
# servers and imports work on copies (demo_copy), since logins write sessions.
schema_tag() {
	grep -a -o '\b0[0-9][0-9][0-9]_[a-z_]*' "$BIN" | sort -u | sha1sum | cut -c1-8
}
demo_db() {
	local n=$1 seed=$2 base gen t0 secs
	base="$BENCH_CACHE/sqlite-m$n-s$seed-$(schema_tag)"
	[ "${BENCH_REGEN:-0}" = 1 ] && [ -z "${_BENCH_REGENERATED[$base]:-}" ] && rm -f "$base.db" "$base.info"
	mkdir -p "$BENCH_CACHE"
	# One generator per size and seed, even when two benchmarks start at once.
	exec {lockfd}>"$base.lock"
	flock "$lockfd"
	if [ ! -s "$base.db" ] || [ ! -s "$base.db.key" ] || [ ! -s "$base.info" ]; then
		rm -f "$base.db" "$base.db.key" "$base.info"
		gen=$(mktemp -d "$BENCH_CACHE/gen.XXXXXX")
		say "generating the demo database: $n members, seed $seed (once per machine, in $BENCH_CACHE)"
		t0=$(now)
		if ! "$BIN" demo --db "$gen/demo.db" --members "$n" --seed "$seed" >"$gen/demo.log" 2>&1; then
			cat "$gen/demo.log" >&2
			rm -rf "$gen"
			exec {lockfd}>&-
			die "'$BIN demo --members $n --seed $seed' failed"
		fi
		secs=$(since "$t0")
		mv "$gen/demo.db.key" "$base.db.key"
		mv "$gen/demo.db" "$base.db"
		rm -rf "$gen"
		printf 'generate_seconds=%s\n' "$secs" >"$base.info"
		_BENCH_REGENERATED[$base]=1
		say "generated in $secs s: $(mib "$(stat -c %s "$base.db")") ($base.db)"
	else
		secs=$(sed -n 's/^generate_seconds=//p' "$base.info")
		say "cached demo database: $n members, seed $seed, $(mib "$(stat -c %s "$base.db")"), generated in $secs s ($base.db)"
	fi
	exec {lockfd}>&-
	DEMO_GEN_SECONDS=$secs
	DEMO_DB=$base.db
}

# demo_copy N SEED DEST: DEST and DEST.key, a private copy of the cached database.
demo_copy() {
	demo_db "$1" "$2"
	cp --reflink=auto "$DEMO_DB" "$3"
	cp "$DEMO_DB.key" "$3.key"
}

# --- the dangjian server -----------------------------------------------------
# server_start NAME DB [serve options...]: logs in $TMP/server-NAME.{out,err}.
server_start() {
	local name=$1 db=$2 out err; shift 2
	out="$TMP/server-$name.out"
	err="$TMP/server-$name.err"
	"$BIN" serve --db "$db" --listen 127.0.0.1:0 "$@" >"$out" 2>"$err" &
	SERVER_PID=$!
	BENCH_PIDS+=("$SERVER_PID")
	_listening() { grep -m1 -o 'dangjian: listening on http://127\.0\.0\.1:[0-9]*' "$out"; }
	_server_up() { kill -0 "$SERVER_PID" 2>/dev/null || return 2; _listening >/dev/null; }
	if ! wait_for 300 _server_up; then
		cat "$out" "$err" >&2
		die "server did not print 'dangjian: listening on http://127.0.0.1:PORT' within 30 s"
	fi
	API=$(_listening | sed 's/^dangjian: listening on //')
	say "server $name at $API (pid $SERVER_PID)"
}

# Logs in as admin on $API; sets COOKIE and ORG (BENCH_ORG wins).
server_login() {
	curl -sS -D "$TMP/login.hdr" -o "$TMP/login.json" -H 'Content-Type: application/json' \
		--data '{"username":"admin","password":"Demo@2026"}' "$API/api/v1/session" ||
		die "login request failed"
	COOKIE=$(tr -d '\r' <"$TMP/login.hdr" | sed -n 's/^[Ss]et-[Cc]ookie: *\(dj_session=[^;]*\).*/\1/p' | head -n1)
	[ -n "$COOKIE" ] || { cat "$TMP/login.hdr" "$TMP/login.json" >&2; die "login set no dj_session cookie"; }
	ORG=${BENCH_ORG:-$(python3 -c 'import json,sys; print(json.load(sys.stdin)["user"]["org_id"])' <"$TMP/login.json")} ||
		die "no user.org_id in the login reply"
}

# fetch NAME URL: the body in $TMP/NAME.json, headers in $TMP/NAME.hdr; sets
# BYTES. Fails unless 200; warns about `Connection: close`.
fetch() {
	local name=$1 url=$2 code
	code=$(curl -sS -D "$TMP/$name.hdr" -o "$TMP/$name.json" -w '%{http_code}' -H "Cookie: $COOKIE" "$url")
	[ "$code" = 200 ] || { head -c 2000 "$TMP/$name.json" >&2; die "GET $url answered $code"; }
	BYTES=$(stat -c %s "$TMP/$name.json")
	if tr -d '\r' <"$TMP/$name.hdr" | grep -qi '^connection: *close'; then
		say "warning: the API answers 'Connection: close' (see DESIGN.md, libmicrohttpd trap)"
	fi
}

# curl_ms URL N: mean time of N sequential requests (after one warm-up), in ms.
curl_ms() {
	local url=$1 n=$2
	curl -sS -o /dev/null -H "Cookie: $COOKIE" "$url"
	for _ in $(seq "$n"); do
		curl -sS -o /dev/null -w '%{time_total}\n' -H "Cookie: $COOKIE" "$url"
	done | awk '{ t += $1 } END { printf "%.2f", t * 1000 / NR }'
}

# --- nginx serving the same bytes --------------------------------------------
# nginx_start FILE: Debian's nginx, own configuration and prefix in $TMP/nginx,
# a free port on 127.0.0.1, foreground. Never touches /etc/nginx.
nginx_start() {
	local file=$1 fname port
	fname=$(basename "$file")
	mkdir -p "$TMP/nginx/www" "$TMP/nginx/logs"
	cp "$file" "$TMP/nginx/www/$fname"
	# Workers drop root for www-data, who must be able to read the file.
	chmod 755 "$TMP" "$TMP/nginx" "$TMP/nginx/www"
	chmod 644 "$TMP/nginx/www/$fname"
	[ "$(id -u)" -eq 0 ] || say "warning: not root; nginx workers will run as $(id -un)"
	for _ in 1 2 3; do        # the free port may be taken between probe and bind
		port=$(free_port)
		STATIC_URL="http://127.0.0.1:$port/$fname"
		_nginx_conf "$port"
		"$NGINX" -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/logs/error.log" \
			-g 'daemon off;' 2>>"$TMP/nginx/logs/stderr" &
		NGINX_PID=$!
		BENCH_PIDS+=("$NGINX_PID")
		wait_for 50 _nginx_up && break
		kill "$NGINX_PID" 2>/dev/null || true
		wait "$NGINX_PID" 2>/dev/null || true
		NGINX_PID=
	done
	[ -n "$NGINX_PID" ] || { cat "$TMP/nginx/logs/"* >&2; die "nginx did not start"; }
	local sbytes
	sbytes=$(curl -sS -o /dev/null -w '%{size_download}' "$STATIC_URL")
	[ "$sbytes" = "$(stat -c %s "$file")" ] || die "nginx serves $sbytes bytes, the file has $(stat -c %s "$file")"
	say "nginx at $STATIC_URL (pid $NGINX_PID), $sbytes bytes"
}
_nginx_up() {
	kill -0 "$NGINX_PID" 2>/dev/null || return 2
	curl -sf -o /dev/null "$STATIC_URL"
}
_nginx_conf() {
	local port=$1 user='' access='access_log off;'
	# As root the workers drop to Debian's www-data (nginx's own default,
	# nobody:nobody, has no group on Debian).
	[ "$(id -u)" -eq 0 ] && user="user www-data;"
	# Without its access log nginx is about 25% faster here: the stricter
	# baseline is the default; BENCH_NGINX_ACCESS_LOG=1 logs as dangjian does.
	[ "${BENCH_NGINX_ACCESS_LOG:-0}" = 1 ] && access="access_log $TMP/nginx/logs/access.log;"
	# Debian's shipped settings (worker_processes auto, sendfile, tcp_nopush,
	# keepalive defaults); every path inside the temporary prefix.
	cat >"$TMP/nginx/nginx.conf" <<EOF
$user
worker_processes auto;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log warn;
events { worker_connections 1024; }
http {
	sendfile on;
	tcp_nopush on;
	types_hash_max_size 2048;
	default_type application/json;
	$access
	client_body_temp_path $TMP/nginx/body;
	proxy_temp_path $TMP/nginx/proxy;
	fastcgi_temp_path $TMP/nginx/fastcgi;
	uwsgi_temp_path $TMP/nginx/uwsgi;
	scgi_temp_path $TMP/nginx/scgi;
	server {
		listen 127.0.0.1:$port;
		root $TMP/nginx/www;
	}
}
EOF
}

# --- measure -----------------------------------------------------------------
# run_wrk NAME URL [wrk options...]: one wrk run of SECONDS_PER_RUN seconds
# with THREADS threads and CONNS connections (set them around a call to
# change one run). Sets RPS, LAT_MS and LAT_P50_MS (wrk's average and median
# latency in ms). Fails if
# any reply was not 2xx/3xx or a socket failed, so a run of 401s or resets is
# never reported as a result. wrk runs in the background: bash acts on a
# signal during `wait` at once, where it would hold it until a foreground
# child ends. The full output is appended to $TMP/wrk-NAME.log.
run_wrk() {
	local name=$1 url=$2 out="$TMP/wrk.out" rc=0 opts=(); shift 2
	# wrk wants its options, the URL, then "--" and the Lua script's arguments.
	while [ $# -gt 0 ] && [ "$1" != -- ]; do opts+=("$1"); shift; done
	wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_PER_RUN}s" --latency "${opts[@]}" "$url" "$@" >"$out" 2>&1 &
	WRK_PID=$!
	wait "$WRK_PID" || rc=$?
	WRK_PID=
	cat "$out" >>"$TMP/wrk-$name.log"
	[ "$rc" -eq 0 ] || { cat "$out" >&2; die "wrk failed on $url"; }
	if grep -q -E 'Non-2xx or 3xx responses|Socket errors' "$out"; then
		cat "$out" >&2
		die "$name: errors during the run"
	fi
	RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
	[ -n "$RPS" ] || { cat "$out" >&2; die "no Requests/sec in wrk's output"; }
	LAT_MS=$(awk '$1 == "Latency" && NF >= 4 {
		v = $2; u = v; sub(/^[0-9.]+/, "", u); v += 0
		if (u == "us") v /= 1000; else if (u == "s") v *= 1000; else if (u == "m") v *= 60000
		printf "%.4f", v; exit }' "$out")
	LAT_P50_MS=$(awk '$1 == "50%" {
		v = $2; u = v; sub(/^[0-9.]+/, "", u); v += 0
		if (u == "us") v /= 1000; else if (u == "s") v *= 1000; else if (u == "m") v *= 60000
		printf "%.4f", v; exit }' "$out")
}
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
# below R G: true when R < G (for BENCH_STRICT)
below() { awk -v r="$1" -v g="$2" 'BEGIN { exit !(r < g) }'; }
