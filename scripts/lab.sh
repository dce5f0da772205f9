#!/usr/bin/env bash
# rdpscope real-server lab: runs real RDP servers (xrdp, FreeRDP shadow server) and clients
# (xfreerdp) on loopback for tests and fixture recordings.
#
#   scripts/lab.sh install                         idempotent apt install of everything the lab uses
#   scripts/lab.sh list                            scenarios with their default ports
#   scripts/lab.sh start SCENARIO [--port P] [--ipv6]
#        starts the server, prints one line
#          READY scenario=NAME host=HOST port=PORT pid=PID startup_ms=N
#        once the server's PID owns a LISTEN socket on the port (polled every 20 ms, error after
#        10 s), then runs until SIGTERM/SIGINT and on exit stops the server (and a shadow server's
#        Xvfb) by PID: TERM, up to 5 s, KILL. Run state and logs: $LAB_DIR/run/SCENARIO[-ipv6]-PORT/.
#        Note: a lab started with '&' from another bash script ignores SIGINT (bash rule); use SIGTERM.
#   scripts/lab.sh stop SCENARIO [--port P] [--ipv6]   stops a lab started from another shell
#   scripts/lab.sh cleanup                         stops every lab recorded in LAB_DIR (orphans too)
#                                                  and the client display if no client uses it
#   scripts/lab.sh capture OUT.pcap PORT -- CMD... dumpcap on lo, filter 'tcp port PORT', around CMD;
#                                                  exit status = CMD's; OUT is libpcap
#   scripts/lab.sh client [--timeout S] [--rdesktop] [--] CLIENT_ARGS...
#        runs xfreerdp (or rdesktop, answering "yes" to its certificate prompt) under 'timeout' on a
#        private Xvfb display with a throw-away HOME; exit status = the client's (124 = killed by
#        the timeout: rdesktop has no auth-only mode, so 124 is its success)
#
# Environment: LAB_DIR (default <repo>/.lab), LAB_READY_TIMEOUT_MS (10000), LAB_WATCH_PID (start:
# also stop once that process is gone), LAB_CLIENT_DISPLAY (:58), LAB_CLIENT_TIMEOUT (20 s),
# LAB_KEEP_CLIENT_DISPLAY=1 (leave the client Xvfb running), LAB_CAPTURE_TAIL_S (0.5).
#
# Facts behind every choice here: shared/docs/real-servers.md (sections 2-5).
# Processes are only ever stopped by the PID this script recorded, never by name.
# Network traffic stays on 127.0.0.1 / ::1.
# shellcheck disable=SC2317 # trap handlers and start_$kind are called indirectly
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAB_DIR=${LAB_DIR:-$REPO_DIR/.lab}
PKI_DIR=$LAB_DIR/pki
RUN_ROOT=$LAB_DIR/run
LAB_USER=labuser
LAB_PASS='Lab#Pass1'
READY_TIMEOUT_MS=${LAB_READY_TIMEOUT_MS:-10000}
CAPTURE_TAIL_S=${LAB_CAPTURE_TAIL_S:-0.5}    # dumpcap delivers packets in 250 ms blocks: keep >= 0.3
CLIENT_DISPLAY=${LAB_CLIENT_DISPLAY:-:58}
# machine-wide (not per LAB_DIR): every lab.sh using that display shares one reference count
CLIENT_X_DIR=${LAB_CLIENT_X_DIR:-/tmp/rdpscope-lab-x${CLIENT_DISPLAY#:}}

LAB_PACKAGES=(xrdp freerdp2-x11 freerdp2-shadow-x11 winpr-utils xvfb xauth tshark nmap openssl
              sslscan nftables iproute2 rdesktop chromium)

# ---------------------------------------------------------------------------------------------
# Scenario table (real-servers.md section 2/3/4). '-' = not set.
#   xrdp:   SEC = security_layer, CRYPT = crypt_level, CERT = $PKI_DIR/<CERT>.pem, PROTOS = ssl_protocols
#   shadow: SEC = freerdp-shadow-cli /sec:, CERT = $HOME/.config/freerdp/shadow/shadow.crt
SCENARIO_TABLE='
# name                 kind    port   sec        crypt  cert        ssl_protocols     tls_ciphers
xrdp-negotiate         xrdp    33891  negotiate  high   selfsigned  TLSv1.2,TLSv1.3   -
xrdp-rdp               xrdp    33892  rdp        high   selfsigned  -                 -
xrdp-tls-expired       xrdp    33893  tls        high   expired     TLSv1.2,TLSv1.3   -
xrdp-tls13-only        xrdp    33894  tls        high   selfsigned  TLSv1.3           -
xrdp-cipher-mismatch   xrdp    33895  tls        high   selfsigned  TLSv1.2           ECDHE-RSA-AES256-GCM-SHA384
xrdp-cn-mismatch       xrdp    33896  tls        high   mismatch    TLSv1.2,TLSv1.3   -
shadow-nla             shadow  33897  nla        -      selfsigned  -                 -
shadow-tls             shadow  33902  tls        -      selfsigned  -                 -
shadow-rdp             shadow  33903  rdp        -      selfsigned  -                 -
xrdp-rdp-fips          xrdp    33904  rdp        fips   selfsigned  -                 -
xrdp-tls               xrdp    33905  tls        high   selfsigned  TLSv1.2,TLSv1.3   -
xrdp-rdp-low           xrdp    33906  rdp        low    selfsigned  -                 -
xrdp-rdp-medium        xrdp    33907  rdp        medium selfsigned  -                 -
'

# ---------------------------------------------------------------------------------------------
# shared helpers

log() { printf 'lab: %s\n' "$*" >&2 || true; }
die() { printf 'lab: ERROR %s\n' "$*" >&2 || true; exit 1; }
now_us() { echo "${EPOCHREALTIME/./}"; }
have() { command -v "$1" >/dev/null 2>&1; }
need_tools() {
  local t missing=()
  for t in "$@"; do have "$t" || missing+=("$t"); done
  ((${#missing[@]} == 0)) || die "missing tools: ${missing[*]} (run: scripts/lab.sh install)"
}

# true when PID exists and is not a zombie
pid_running() {
  local st
  [[ -n ${1:-} ]] || return 1
  st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  st=${st##*) }
  [[ ${st%% *} != Z ]]
}

# true when PID is running and its command line contains WORD (guards against PID reuse)
pid_is() {
  pid_running "$1" || return 1
  tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -qF -- "$2"
}

# stop_pid PID LABEL: SIGTERM, wait up to 5 s, then SIGKILL; reaps it when it is our child
stop_pid() {
  local pid=${1:-} label=$2 i
  [[ -n $pid ]] || return 0
  if pid_running "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do pid_running "$pid" || break; sleep 0.05; done
    if pid_running "$pid"; then
      log "$label pid=$pid still running 5 s after SIGTERM: SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      for ((i = 0; i < 40; i++)); do pid_running "$pid" || break; sleep 0.05; done
    fi
  fi
  wait "$pid" 2>/dev/null || true
}

read_pid_file() { if [[ -s $1 ]]; then cat "$1"; fi; }

# sockets bound to HOST:PORT (or the wildcard address) that make binding it fail: listeners, and
# connections whose local port it is (the default lab ports lie in Linux's ephemeral range, so a client
# connection can hold one for a moment). TIME-WAIT is left out: it blocks only when the closed socket
# lacked SO_REUSEADDR (a client's, for 60 s), which ss cannot tell; a failed bind lists it afterwards.
# Prints "STATE ADDRESS" lines.
port_users() {
  local host=$1 port=$2
  ss -Htan "sport = :$port" | awk -v h="$host" -v p="$port" '$1 != "TIME-WAIT" {
      a = $4; sub(":" p "$", "", a); gsub(/[\[\]]/, "", a)
      if (a == h || a == "*" || a == "0.0.0.0" || a == "::") print $1, $4 }'
}

# wait_port_free HOST PORT: fails at once for a listener, waits up to LAB_PORT_WAIT_MS for connections
wait_port_free() {
  local users deadline=$(($(now_us) + ${LAB_PORT_WAIT_MS:-3000} * 1000))
  while users=$(port_users "$1" "$2") && [[ -n $users ]]; do
    if grep -q '^LISTEN' <<<"$users" || (($(now_us) > deadline)); then
      echo "$users" | tr '\n' ' '
      return 1
    fi
    sleep 0.1
  done
}

# wait_listening PID PORT: polls ss every 20 ms until PID owns a LISTEN socket on PORT
wait_listening() {
  local pid=$1 port=$2 deadline=$(($(now_us) + READY_TIMEOUT_MS * 1000))
  while (($(now_us) < deadline)); do
    ss -Hltnp "sport = :$port" 2>/dev/null | grep -q "pid=$pid," && return 0
    pid_running "$pid" || return 2
    sleep 0.02
  done
  return 1
}

# xvfb_start DISPLAY_NUMBER LOGFILE: sets XVFB_STARTED_PID; returns 1 if that display cannot be used
xvfb_start() {
  local d=$1 logf=$2 dfd i
  dfd=$(mktemp "$LAB_DIR/displayfd.XXXXXX")
  # fds 7/8 are the client display locks: the X server must not inherit them
  Xvfb ":$d" -displayfd 3 -screen 0 1024x768x24 -nolisten tcp -noreset \
    </dev/null >"$logf" 2>&1 3>"$dfd" 7>&- 8>&- &
  XVFB_STARTED_PID=$!
  for ((i = 0; i < 500; i++)); do            # -displayfd is written once the server accepts clients
    [[ -s $dfd ]] && { rm -f "$dfd"; return 0; }
    pid_running "$XVFB_STARTED_PID" || break
    sleep 0.02
  done
  rm -f "$dfd"
  stop_pid "$XVFB_STARTED_PID" Xvfb
  XVFB_STARTED_PID=
  return 1
}

# an X server (any, ours or not) is listening for display D (this Xvfb build writes no /tmp/.XD-lock)
x_display_alive() {
  ss -Hxl 2>/dev/null | awk -v p="/tmp/.X11-unix/X$1" '$5 == p || $5 == "@" p { found = 1 } END { exit !found }'
}

# ---------------------------------------------------------------------------------------------
# PKI and credentials

pki_complete() {
  local n
  for n in selfsigned expired mismatch; do [[ -s $PKI_DIR/$n.pem && -s $PKI_DIR/$n.key ]] || return 1; done
}

# self-signed RSA-2048/SHA-256 certificates, made once; flock so parallel starts don't race
setup_pki() {
  pki_complete && return 0
  need_tools openssl flock
  mkdir -p "$LAB_DIR"
  (
    flock -x 9
    pki_complete && exit 0
    tmp=$(mktemp -d "$LAB_DIR/pki.tmp.XXXXXX")
    cd "$tmp"
    selfsigned() { # NAME CN SAN
      openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 3650 -keyout "$1.key" -out "$1.pem" \
        -subj "/CN=$2" -addext "subjectAltName=$3" 2>/dev/null
    }
    selfsigned selfsigned localhost "DNS:localhost,IP:127.0.0.1"
    selfsigned mismatch rdp-other.example.invalid "DNS:rdp-other.example.invalid"
    # expired: OpenSSL 3.0 'req' cannot set past dates, 'ca -selfsign' can
    mkdir -p ca/newcerts && : >ca/index.txt && echo 1000 >ca/serial
    cat >ca.cnf <<'EOF'
[ca]
default_ca = lab_ca
[lab_ca]
dir = ./ca
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
default_md = sha256
policy = lab_policy
copy_extensions = copy
unique_subject = no
[lab_policy]
commonName = supplied
EOF
    openssl req -new -newkey rsa:2048 -sha256 -nodes -keyout expired.key -out expired.csr \
      -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
    openssl ca -batch -notext -selfsign -config ca.cnf -keyfile expired.key -in expired.csr \
      -out expired.pem -startdate 20200101000000Z -enddate 20210101000000Z 2>/dev/null
    cd "$LAB_DIR"
    rm -rf "$PKI_DIR"
    mv "$tmp" "$PKI_DIR"
    chmod 755 "$PKI_DIR"
  ) 9>"$LAB_DIR/pki.lock"
  pki_complete || die "PKI generation failed in $PKI_DIR"
  log "PKI created in $PKI_DIR"
}

# NT hash = MD4(UTF-16LE(password)); winpr-hash, or openssl's legacy provider as a fallback
nt_hash() {
  if have winpr-hash; then
    winpr-hash -u "$1" -p "$2"
  else
    printf %s "$2" | iconv -f UTF-8 -t UTF-16LE |
      openssl dgst -md4 -provider legacy -provider default | awk '{print $NF}'
  fi
}

# ---------------------------------------------------------------------------------------------
# scenarios

# scenario_lookup NAME: sets S_KIND S_PORT S_SEC S_CRYPT S_CERT S_PROTOS S_CIPHERS
scenario_lookup() {
  local name kind port sec crypt cert protos ciphers
  while read -r name kind port sec crypt cert protos ciphers; do
    [[ -z $name || $name == \#* || $name != "$1" ]] && continue
    S_KIND=$kind S_PORT=$port S_SEC=$sec S_CRYPT=$crypt S_CERT=$cert S_PROTOS=$protos S_CIPHERS=$ciphers
    return 0
  done <<<"$SCENARIO_TABLE"
  return 1
}

scenario_names() { awk '$1 != "" && $1 !~ /^#/ {print $1}' <<<"$SCENARIO_TABLE"; }

# parse_target SCENARIO [--port P] [--ipv6]: sets SCENARIO HOST PORT IPV6 RUN_DIR + S_*
parse_target() {
  (($# >= 1)) || die "missing scenario (one of: $(scenario_names | tr '\n' ' '))"
  SCENARIO=$1
  shift
  scenario_lookup "$SCENARIO" || die "unknown scenario '$SCENARIO' (one of: $(scenario_names | tr '\n' ' '))"
  PORT=$S_PORT IPV6=0
  while (($#)); do
    case $1 in
      --port) PORT=${2:?--port needs a value}; shift 2 ;;
      --port=*) PORT=${1#--port=}; shift ;;
      --ipv6) IPV6=1; shift ;;
      *) die "unknown option '$1'" ;;
    esac
  done
  if ! [[ $PORT =~ ^[0-9]+$ ]] || ((PORT < 1 || PORT > 65535)); then die "bad port '$PORT'"; fi
  if ((IPV6)); then HOST=::1; RUN_DIR=$RUN_ROOT/$SCENARIO-ipv6-$PORT; else HOST=127.0.0.1; RUN_DIR=$RUN_ROOT/$SCENARIO-$PORT; fi
}

# --- xrdp: one process (fork=false), listen address in the ini, no sesman, no X server
write_xrdp_ini() {
  local listen
  if ((IPV6)); then listen="tcp6://{::1}:$PORT"; else listen="tcp://127.0.0.1:$PORT"; fi
  {
    printf '%s\n' '[Globals]' 'ini_version=1' 'fork=false' "port=$listen" 'use_vsock=false' \
      'tcp_nodelay=true' 'tcp_keepalive=true' "security_layer=$S_SEC" "crypt_level=$S_CRYPT" \
      "certificate=$PKI_DIR/$S_CERT.pem" "key_file=$PKI_DIR/$S_CERT.key"
    [[ $S_PROTOS == - ]] || printf 'ssl_protocols=%s\n' "${S_PROTOS//,/, }"
    [[ $S_CIPHERS == - ]] || printf 'tls_ciphers=%s\n' "$S_CIPHERS"
    printf '%s\n' 'autorun=' 'allow_channels=true' 'max_bpp=32' 'new_cursors=true' 'use_fastpath=both' \
      '' '[Logging]' "LogFile=$RUN_DIR/xrdp.log" 'LogLevel=DEBUG' 'EnableSyslog=false' \
      '' '[Channels]' 'rdpdr=true' 'rdpsnd=true' 'drdynvc=true' 'cliprdr=true' 'rail=true' \
      'xrdpvr=true' 'tcutils=true' \
      '' '[Xorg]' 'name=Xorg' 'lib=libxup.so' 'username=ask' 'password=ask' 'ip=127.0.0.1' \
      'port=-1' 'code=20'
  } >"$RUN_DIR/xrdp.ini"
}

start_xrdp() {
  need_tools xrdp
  write_xrdp_ini
  SERVER_START_US=$(now_us)
  xrdp --nodaemon --config "$RUN_DIR/xrdp.ini" </dev/null >"$RUN_DIR/server.log" 2>&1 &
  SERVER_PID=$!
}

# --- FreeRDP shadow server on its own Xvfb :1xx (numbered from the port), NLA users from a SAM file
start_shadow() {
  local d base i bind
  need_tools freerdp-shadow-cli Xvfb
  base=$((100 + PORT % 100))
  for ((i = 0; i < 100; i++)); do
    d=$((100 + (base - 100 + i) % 100))
    x_display_alive "$d" && continue
    if xvfb_start "$d" "$RUN_DIR/xvfb.log"; then XVFB_PID=$XVFB_STARTED_PID; break; fi
  done
  [[ -n $XVFB_PID ]] || die "no free X display for the shadow server (see $RUN_DIR/xvfb.log)"
  echo "$XVFB_PID" >"$RUN_DIR/xvfb.pid"

  printf '%s:::%s:::\n' "$LAB_USER" "$(nt_hash "$LAB_USER" "$LAB_PASS")" >"$RUN_DIR/sam"
  mkdir -p "$RUN_DIR/home/.config/freerdp/shadow"
  cp "$PKI_DIR/$S_CERT.pem" "$RUN_DIR/home/.config/freerdp/shadow/shadow.crt"
  cp "$PKI_DIR/$S_CERT.key" "$RUN_DIR/home/.config/freerdp/shadow/shadow.key"
  if ((IPV6)); then bind='[::1]'; else bind=127.0.0.1; fi
  SERVER_START_US=$(now_us)
  HOME=$RUN_DIR/home DISPLAY=:$d freerdp-shadow-cli "/bind-address:$bind" "/port:$PORT" \
    "/sec:$S_SEC" "/sam-file:$RUN_DIR/sam" </dev/null >"$RUN_DIR/server.log" 2>&1 &
  SERVER_PID=$!
}

# ---------------------------------------------------------------------------------------------
# start / stop / cleanup

SERVER_PID='' XVFB_PID='' SLEEP_PID=''

start_exit_trap() {
  local rc=$?
  set +e
  trap '' PIPE INT TERM
  [[ -n $SLEEP_PID ]] && kill "$SLEEP_PID" 2>/dev/null && wait "$SLEEP_PID" 2>/dev/null
  stop_pid "$SERVER_PID" "$S_KIND server"
  stop_pid "$XVFB_PID" Xvfb
  rm -f "$RUN_DIR/lab.pid" "$RUN_DIR/server.pid" "$RUN_DIR/xvfb.pid"
  log "$SCENARIO stopped (server pid=${SERVER_PID:-none}${XVFB_PID:+, Xvfb pid=$XVFB_PID})"
  exit "$rc"
}

server_logs_tail() {
  local f
  for f in "$RUN_DIR/server.log" "$RUN_DIR/xrdp.log" "$RUN_DIR/xvfb.log"; do
    [[ -s $f ]] && { log "--- tail $f"; tail -n 8 "$f" >&2 || true; }
  done
  return 0
}

# run dirs of stopped labs are kept (logs) for an hour, then removed by the next start
prune_run_dirs() {
  local dir
  [[ -d $RUN_ROOT ]] || return 0
  while IFS= read -r dir; do
    [[ -e $dir/lab.pid || -e $dir/server.pid || -e $dir/xvfb.pid ]] || rm -rf "$dir"
  done < <(find "$RUN_ROOT" -mindepth 1 -maxdepth 1 -type d -mmin +60)
}

cmd_start() {
  parse_target "$@"
  need_tools ss
  trap '' PIPE
  prune_run_dirs
  local users
  users=$(wait_port_free "$HOST" "$PORT") || die "$SCENARIO: $HOST port $PORT is already in use: $users"
  setup_pki
  mkdir -p "$RUN_DIR"
  rm -f "$RUN_DIR"/*.log "$RUN_DIR"/*.pid
  trap start_exit_trap EXIT
  trap 'exit 0' TERM INT
  echo $$ >"$RUN_DIR/lab.pid"

  "start_$S_KIND"
  echo "$SERVER_PID" >"$RUN_DIR/server.pid"
  local rc=0
  wait_listening "$SERVER_PID" "$PORT" || rc=$?
  case $rc in
    0) ;;
    2)
      server_logs_tail
      users=$(ss -Htan "sport = :$PORT" | awk '{print $1, $4, $5}' | tr '\n' ';')
      die "$SCENARIO: server exited before listening on $HOST:$PORT (logs in $RUN_DIR)${users:+; sockets on that port: $users}" ;;
    *) server_logs_tail; die "$SCENARIO: not listening on $HOST:$PORT after $READY_TIMEOUT_MS ms (logs in $RUN_DIR)" ;;
  esac
  echo "READY scenario=$SCENARIO host=$HOST port=$PORT pid=$SERVER_PID startup_ms=$((($(now_us) - SERVER_START_US) / 1000))"

  # run until signalled; the sleep is waited in the background so signals are handled at once
  while pid_running "$SERVER_PID"; do
    if [[ -n ${LAB_WATCH_PID:-} ]] && ! kill -0 "$LAB_WATCH_PID" 2>/dev/null; then
      log "$SCENARIO: watched pid $LAB_WATCH_PID is gone, stopping"
      exit 0
    fi
    [[ -z $XVFB_PID ]] || pid_running "$XVFB_PID" || { server_logs_tail; die "$SCENARIO: Xvfb pid=$XVFB_PID exited"; }
    sleep 0.5 &
    SLEEP_PID=$!
    wait "$SLEEP_PID" || true
    SLEEP_PID=''
  done
  rc=0
  wait "$SERVER_PID" || rc=$?
  server_logs_tail
  die "$SCENARIO: server pid=$SERVER_PID exited unexpectedly with status $rc (logs in $RUN_DIR)"
}

# stop_run_dir DIR: stops the lab recorded there; if the lab itself is gone, its orphans
stop_run_dir() {
  local dir=$1 lab server xvfb i
  lab=$(read_pid_file "$dir/lab.pid")
  if [[ -n $lab ]] && pid_is "$lab" lab.sh; then
    kill -TERM "$lab" 2>/dev/null || true
    for ((i = 0; i < 200; i++)); do pid_running "$lab" || break; sleep 0.05; done
    pid_running "$lab" && log "lab pid=$lab did not exit within 10 s"
  fi
  server=$(read_pid_file "$dir/server.pid")
  xvfb=$(read_pid_file "$dir/xvfb.pid")
  if [[ -n $server ]] && { pid_is "$server" xrdp || pid_is "$server" freerdp-shadow-cli; }; then stop_pid "$server" server; fi
  if [[ -n $xvfb ]] && pid_is "$xvfb" Xvfb; then stop_pid "$xvfb" Xvfb; fi
  rm -f "$dir/lab.pid" "$dir/server.pid" "$dir/xvfb.pid"
  log "stopped ${dir##*/}"
}

cmd_stop() {
  parse_target "$@"
  [[ -d $RUN_DIR ]] || die "no lab state in $RUN_DIR"
  stop_run_dir "$RUN_DIR"
}

cmd_cleanup() {
  local dir
  for dir in "$RUN_ROOT"/*/; do
    [[ -e $dir/lab.pid || -e $dir/server.pid || -e $dir/xvfb.pid ]] && stop_run_dir "${dir%/}"
  done
  client_display_stop_if_unused
  return 0
}

cmd_list() {
  grep -v '^$' <<<"$SCENARIO_TABLE"
}

# ---------------------------------------------------------------------------------------------
# client: xfreerdp on a shared private Xvfb display, reference-counted with two flock files in
# CLIENT_X_DIR: mutex.lock serialises start/stop decisions, every running client holds users.lock
# shared. The last client out stops the Xvfb it (or an earlier client) started; an X server the lab
# did not start is used but never stopped. LAB_KEEP_CLIENT_DISPLAY=1 keeps it running.

CLIENT_PID='' CLIENT_HOME=''

client_display_acquire() {
  local d=${CLIENT_DISPLAY#:}
  mkdir -p "$CLIENT_X_DIR"
  exec 7>"$CLIENT_X_DIR/mutex.lock"
  flock -x 7
  exec 8>"$CLIENT_X_DIR/users.lock"
  flock -s 8
  if ! x_display_alive "$d"; then
    if xvfb_start "$d" "$CLIENT_X_DIR/xvfb.log"; then
      echo "$XVFB_STARTED_PID" >"$CLIENT_X_DIR/xvfb.pid"
      log "client display :$d started (Xvfb pid=$XVFB_STARTED_PID)"
    elif ! x_display_alive "$d"; then     # lost a race against an X server started outside the lab
      flock -u 7
      die "cannot start Xvfb :$d: $(tail -n 3 "$CLIENT_X_DIR/xvfb.log" | tr '\n' ' ')"
    fi
  fi
  flock -u 7
  exec 7>&-
}

# stops our Xvfb when no client holds users.lock (call with no users.lock held by this process)
client_display_stop_if_unused() {
  local pid
  pid=$(read_pid_file "$CLIENT_X_DIR/xvfb.pid")
  [[ -n $pid ]] || return 0
  (
    flock -x 7
    if flock -xn 9; then
      pid_is "$pid" Xvfb && stop_pid "$pid" "client Xvfb" && log "client display stopped (Xvfb pid=$pid)"
      rm -f "$CLIENT_X_DIR/xvfb.pid"
    fi
  ) 7>"$CLIENT_X_DIR/mutex.lock" 9>"$CLIENT_X_DIR/users.lock"
}

client_exit_trap() {
  local rc=$?
  set +e
  trap '' PIPE INT TERM
  [[ -n $CLIENT_PID ]] && stop_pid "$CLIENT_PID" "xfreerdp (timeout)"
  [[ -n $CLIENT_HOME ]] && rm -rf "$CLIENT_HOME"
  exec 8>&-                                    # drop our users.lock share
  [[ ${LAB_KEEP_CLIENT_DISPLAY:-0} == 1 ]] || client_display_stop_if_unused
  exit "$rc"
}

cmd_client() {
  local t=${LAB_CLIENT_TIMEOUT:-20} rc=0 prog=xfreerdp
  while (($#)); do
    case $1 in
      --timeout) t=${2:?--timeout needs seconds}; shift 2 ;;
      --rdesktop) prog=rdesktop; shift ;;
      --) shift; break ;;
      *) break ;;
    esac
  done
  need_tools "$prog" Xvfb timeout flock
  mkdir -p "$LAB_DIR"
  trap client_exit_trap EXIT
  trap 'exit 143' TERM
  trap 'exit 130' INT
  client_display_acquire
  CLIENT_HOME=$(mktemp -d "$LAB_DIR/client-home.XXXXXX")
  # xfreerdp has no X.224 timeout (real-servers.md section 5): always under timeout. rdesktop asks
  # on stdin whether to trust an unverifiable certificate.
  if [[ $prog == rdesktop ]]; then
    HOME=$CLIENT_HOME DISPLAY=$CLIENT_DISPLAY env -u XDG_CONFIG_HOME -u XDG_DATA_HOME \
      timeout -k 2 "$t" rdesktop "$@" < <(yes yes) 8>&- &
  else
    HOME=$CLIENT_HOME DISPLAY=$CLIENT_DISPLAY env -u XDG_CONFIG_HOME -u XDG_DATA_HOME \
      timeout -k 2 "$t" xfreerdp "$@" </dev/null 8>&- &
  fi
  CLIENT_PID=$!
  wait "$CLIENT_PID" || rc=$?
  CLIENT_PID=''
  exit "$rc"
}

# ---------------------------------------------------------------------------------------------
# capture: dumpcap on lo (tshark's capture engine; 20 ms to start against ~300 ms for tshark)

CAP_PID='' CMD_PID='' CAP_LOG=''

capture_exit_trap() {
  local rc=$?
  set +e
  trap '' PIPE INT TERM
  [[ -n $CMD_PID ]] && stop_pid "$CMD_PID" "captured command"
  if [[ -n $CAP_PID ]]; then
    stop_pid "$CAP_PID" dumpcap
    [[ -f $CAP_OUT ]] && chmod 644 "$CAP_OUT"
    log "capture: $(grep -o 'Packets captured: [0-9]*' "$CAP_LOG" | tail -n 1 || echo 'no packet count') -> $CAP_OUT"
  fi
  rm -f "$CAP_LOG"
  exit "$rc"
}

cmd_capture() {
  (($# >= 2)) || die "usage: capture OUT.pcap PORT -- CMD..."
  CAP_OUT=$1
  local port=$2 filter other i rc=0
  shift 2
  [[ ${1:-} == -- ]] && shift
  (($#)) || die "capture: no command given"
  need_tools dumpcap ss
  # leave out connections still open on that port (xrdp keeps finished ones in CLOSE-WAIT)
  filter="tcp port $port"
  for other in $(ss -Htan "( sport = :$port or dport = :$port )" | awk -v p="$port" '$1 != "LISTEN" {
        n = split($4, l, ":"); m = split($5, r, ":"); if (l[n] != p) print l[n]; else if (r[m] != p) print r[m] }' | sort -u); do
    filter+=" and not tcp port $other"
  done
  mkdir -p "$LAB_DIR" "$(dirname "$CAP_OUT")"
  CAP_LOG=$(mktemp "$LAB_DIR/capture.XXXXXX.log")
  trap capture_exit_trap EXIT
  trap 'exit 143' TERM
  trap 'exit 130' INT
  rm -f "$CAP_OUT"
  dumpcap -q -i lo -f "$filter" -P -w "$CAP_OUT" </dev/null >/dev/null 2>"$CAP_LOG" &
  CAP_PID=$!
  for ((i = 0; i < 500; i++)); do              # "File: ..." = interface open, filter set, file written
    grep -q '^File: ' "$CAP_LOG" && break
    pid_running "$CAP_PID" || die "dumpcap failed: $(cat "$CAP_LOG")"
    sleep 0.02
  done
  ((i < 500)) || die "dumpcap did not start within 10 s"
  "$@" 0<&0 &
  CMD_PID=$!
  wait "$CMD_PID" || rc=$?
  CMD_PID=''
  sleep "$CAPTURE_TAIL_S"
  exit "$rc"
}

# ---------------------------------------------------------------------------------------------
# install

cmd_install() {
  local p missing=() sudo=()
  have dpkg-query || die "install: dpkg-query not found (Debian/Ubuntu only)"
  for p in "${LAB_PACKAGES[@]}"; do
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true) == installed ]] || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    echo "install: nothing to do, all ${#LAB_PACKAGES[@]} packages present (${LAB_PACKAGES[*]})"
    return 0
  fi
  if ((EUID != 0)); then have sudo || die "install: need root for apt-get"; sudo=(sudo); fi
  echo "install: missing ${missing[*]}"
  echo "install: apt-get update"
  "${sudo[@]}" apt-get update
  echo "install: apt-get install --no-install-recommends ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  echo "install: installed ${missing[*]}"
}

usage() {
  sed -n '2,/^# shellcheck/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
}

main() {
  local cmd=${1:-}
  (($#)) && shift
  case $cmd in
    install) cmd_install "$@" ;;
    list) cmd_list ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    cleanup) cmd_cleanup ;;
    capture) cmd_capture "$@" ;;
    client) cmd_client "$@" ;;
    -h | --help | help | '') usage ;;
    *) log "unknown command '$cmd'"; usage ;;
  esac
  # exit inside main: bash never reads past the last line, so replacing this file while an
  # instance runs (tests run lab.sh concurrently) cannot feed it stray text
  exit 0
}

main "$@"
