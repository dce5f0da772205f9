#!/usr/bin/env bash
# Re-records fixtures/lab/*.pcap from real clients against real servers on loopback, checks each
# recording against the X.224 exchange it is meant to show and for the lab password, and rewrites
# fixtures/lab/README.md from what happened.
#
#   scripts/record-fixtures.sh [OUT_DIR]      (default fixtures/lab; needs root for dumpcap on lo)
#
# Recordings are written to a temporary directory first and only replace OUT_DIR's files when every
# one of them matched its expectation.
# shellcheck disable=SC2016 # backticks in printf formats are Markdown, not command substitution
set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAB="$REPO_DIR/scripts/lab.sh"
OUT_DIR=${1:-$REPO_DIR/fixtures/lab}
LAB_DIR=${LAB_DIR:-$REPO_DIR/.lab}
export LAB_DIR
PASS='Lab#Pass1'
CLIENT_TIMEOUT=15

# One recording per line, fields separated by '|':
#   file | scenario ('-' = no server) | extra start options | port | expected client exit |
#   expected X.224 summary (see x224_summary) | client command (words split on spaces)
# X.224 summary: per TCP connection "cN:" then CR(req=P) / CR(no-neg) and CC(sel=P) / CC(fail=C) /
# CC(no-neg), protocols as MS-RDPBCGR bit masks (1 SSL, 2 HYBRID, 4 RDSTLS, 8 HYBRID_EX), "none" when
# no Connection Request/Confirm was seen. Compared regardless of connection order and numbering.
RECORDINGS=(
  "xfreerdp-xrdp-negotiate-ok|xrdp-negotiate||33891|0|c0: CR(req=3) CC(sel=1)|xfreerdp /v:127.0.0.1:33891 /u:labuser /p:$PASS /auth-only /cert:ignore"
  "xfreerdp-tls-to-shadow-nla|shadow-nla||33897|133|c0: CR(req=1) CC(fail=5)|xfreerdp /v:127.0.0.1:33897 /u:labuser /sec:tls /cert:ignore"
  "xfreerdp-rdp-to-xrdp-tls|xrdp-tls||33905|147|c0: CR(no-neg) CC(no-neg); c1: CR(no-neg) CC(no-neg)|xfreerdp /v:127.0.0.1:33905 /u:labuser /sec:rdp /cert:ignore"
  "xfreerdp-tls-to-xrdp-rdp|xrdp-rdp||33892|133|c0: CR(req=1) CC(sel=0)|xfreerdp /v:127.0.0.1:33892 /u:labuser /sec:tls /cert:ignore"
  "xfreerdp-nla-to-shadow-nla-ok|shadow-nla||33897|0|c0: CR(req=3) CC(sel=2)|xfreerdp /v:127.0.0.1:33897 /u:labuser /p:$PASS /sec:nla /auth-only /cert:ignore"
  "xfreerdp-closed-port|-||33898|147|none|xfreerdp /v:127.0.0.1:33898 /u:labuser /cert:ignore"
  "xfreerdp-xrdp-negotiate-ipv6|xrdp-negotiate|--ipv6|33891|0|c0: CR(req=3) CC(sel=1)|xfreerdp /v:[::1] /port:33891 /u:labuser /p:$PASS /auth-only /cert:ignore"
  "xfreerdp-certdeny-to-xrdp-tls-expired|xrdp-tls-expired||33893|143|c0: CR(req=3) CC(sel=1)|xfreerdp /v:127.0.0.1:33893 /u:labuser /cert:deny"
  "xfreerdp-tls12-to-xrdp-tls13-only|xrdp-tls13-only||33894|143|c0: CR(req=3) CC(sel=1)|xfreerdp /v:127.0.0.1:33894 /u:labuser +enforce-tlsv1_2 /cert:ignore"
  "xfreerdp-cipher-to-xrdp-cipher-mismatch|xrdp-cipher-mismatch||33895|143|c0: CR(req=3) CC(sel=1)|xfreerdp /v:127.0.0.1:33895 /u:labuser /tls-ciphers:ma /cert:ignore"
  "nmap-enum-encryption-to-xrdp-tls|xrdp-tls||33905|0|CR(req=4) CC(fail=1); CR(req=8) CC(fail=1); CR(req=1) CC(sel=1); CR(req=0) CC(fail=1); CR(req=3) CC(sel=1); CR(no-neg) CC(no-neg)|nmap -Pn -n -p 33905 --script +rdp-enum-encryption 127.0.0.1"
)

log() { printf 'record: %s\n' "$*" >&2; }
die() { printf 'record: ERROR %s\n' "$*" >&2; exit 1; }

for t in tshark dumpcap xfreerdp nmap xrdp freerdp-shadow-cli Xvfb; do
  command -v "$t" >/dev/null || die "missing $t (run scripts/lab.sh install)"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rdpscope-record.XXXXXX")
LAB_PID=''
on_exit() {
  set +e
  [[ -n $LAB_PID ]] && kill -TERM "$LAB_PID" 2>/dev/null && wait "$LAB_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# alive PID: running and not a zombie (kill -0 succeeds on an unreaped child)
alive() { local st; st=$(cat "/proc/$1/stat" 2>/dev/null) || return 1; st=${st##*) }; [[ ${st%% *} != Z ]]; }

# lab_start SCENARIO [OPTS...]: starts 'lab.sh start' in the background, waits for READY
lab_start() {
  local i
  : >"$WORK/lab.out"          # truncate here: the child's own truncation may come after our first read
  "$LAB" start "$@" >"$WORK/lab.out" 2>"$WORK/lab.err" &
  LAB_PID=$!
  for ((i = 0; i < 750; i++)); do
    grep -q '^READY ' "$WORK/lab.out" && break
    alive "$LAB_PID" || { cat "$WORK/lab.err" >&2; die "lab start $* failed"; }
    sleep 0.02
  done
  grep -q '^READY ' "$WORK/lab.out" || { cat "$WORK/lab.err" >&2; die "lab start $*: no READY after 15 s"; }
  log "$(cat "$WORK/lab.out")"
}

lab_stop() {
  [[ -n $LAB_PID ]] || return 0
  kill -TERM "$LAB_PID"
  wait "$LAB_PID" || true
  LAB_PID=''
}

# x224_summary PCAP PORT: Connection Request/Confirm per TCP stream (see RECORDINGS)
x224_summary() {
  local stream type neg req sel fail cur='' out='' tok
  while IFS=, read -r stream type neg req sel fail; do
    case $type/$neg in
      0x0e/0x01) tok="CR(req=$((req)))" ;;
      0x0e/*) tok="CR(no-neg)" ;;
      0x0d/0x02) tok="CC(sel=$((sel)))" ;;
      0x0d/0x03) tok="CC(fail=$((fail)))" ;;
      0x0d/*) tok="CC(no-neg)" ;;
      *) tok="?($type)" ;;
    esac
    if [[ $stream != "$cur" ]]; then
      out+="${out:+; }c$stream:"
      cur=$stream
    fi
    out+=" $tok"
  done < <(tshark -r "$1" -d "tcp.port==$2,tpkt" -Y 'cotp.type == 0x0e || cotp.type == 0x0d' -T fields -E separator=, \
    -e tcp.stream -e cotp.type -e rdp.neg_type -e rdp.negReq.requestedProtocols \
    -e rdp.negReq.selectedProtocol -e rdp.negFailure.failureCode 2>/dev/null)
  echo "${out:-none}"
}

# the tshark field dump shown in the README (the command is printed there too)
x224_fields() {
  tshark -r "$1" -d "tcp.port==$2,tpkt" -Y cotp -T fields -e frame.number -e frame.time_relative \
    -e tcp.stream -e cotp.type -e rdp.neg_type -e rdp.negReq.requestedProtocols \
    -e rdp.negReq.selectedProtocol -e rdp.negFailure.failureCode -e rdp.rt_cookie 2>/dev/null
}

# connections in a canonical order, without their numbers (nmap's connections race each other)
x224_canonical() { tr ';' '\n' | sed 's/^ *//; s/^c[0-9]*: *//' | sort | paste -sd ';'; }

tcp_summary() {
  local syn rst fin
  syn=$(tshark -r "$1" -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0' 2>/dev/null | wc -l)
  rst=$(tshark -r "$1" -Y 'tcp.flags.reset == 1' 2>/dev/null | wc -l)
  fin=$(tshark -r "$1" -Y 'tcp.flags.fin == 1' 2>/dev/null | wc -l)
  echo "$(tshark -r "$1" 2>/dev/null | wc -l) packets, $syn SYN, $fin FIN, $rst RST"
}

# contains_bytes FILE HEX: HEX = "4c 61 ..." (byte aligned match)
contains_bytes() {
  od -An -v -tx1 "$1" | tr -s ' \n' '  ' | grep -qF " $2 "
}

hex_of() { printf %s "$1" | od -An -v -tx1 | tr -s ' \n' '  ' | sed 's/^ //; s/ $//'; }

PASS_UTF8=$(hex_of "$PASS")
PASS_UTF16=$(printf %s "$PASS" | iconv -f UTF-8 -t UTF-16LE | od -An -v -tx1 | tr -s ' \n' '  ' | sed 's/^ //; s/ $//')

pkg_version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo '?'; }

# shell-quote a word for the README only when needed
q() { if [[ $1 =~ ^[][A-Za-z0-9/:._=+,@-]+$ ]]; then printf %s "$1"; else printf "'%s'" "$1"; fi; }

# server_config RUN_DIR: the settings that matter, from the running lab's run dir
server_config() {
  local run=$1
  if [[ -f $run/xrdp.ini ]]; then
    sed -n '/^\[Globals\]/,/^$/p' "$run/xrdp.ini" |
      grep -E '^(port|security_layer|crypt_level|certificate|ssl_protocols|tls_ciphers)=' |
      sed "s|$LAB_DIR|\$LAB_DIR|g" | tr '\n' ';' | sed 's/;$//; s/;/; /g'
  else
    tr '\0' ' ' <"/proc/$(sed -E 's/.* pid=([0-9]+).*/\1/' "$WORK/lab.out")/cmdline" | sed "s|$LAB_DIR|\$LAB_DIR|g; s/ $//"
  fi
}

FAILED=0
SECTIONS="$WORK/sections.md"
TABLE="$WORK/table.md"
: >"$SECTIONS"
: >"$TABLE"

for rec in "${RECORDINGS[@]}"; do
  IFS='|' read -r name scenario opts port want_rc want_x224 client <<<"$rec"
  read -ra argv <<<"$client"
  pcap="$WORK/$name.pcap"
  server='none (nothing listens on that port)'
  log "== $name"
  if [[ $scenario != - ]]; then
    run="$LAB_DIR/run/$scenario-$port"
    [[ $opts == *--ipv6* ]] && run="$LAB_DIR/run/$scenario-ipv6-$port"
    # shellcheck disable=SC2086 # opts is a word list
    lab_start "$scenario" --port "$port" $opts
    server="$scenario${opts:+ $opts} ($(server_config "$run"))"
    host_line=$(cat "$WORK/lab.out")
  else
    [[ -z $(ss -Hltn "sport = :$port") ]] || die "port $port is supposed to be closed"
    host_line=''
  fi
  if [[ ${argv[0]} == xfreerdp ]]; then
    cmd=("$LAB" client --timeout "$CLIENT_TIMEOUT" -- "${argv[@]:1}")
  else
    cmd=("${argv[@]}")
  fi
  rc=0
  "$LAB" capture "$pcap" "$port" -- "${cmd[@]}" >"$WORK/$name.client.log" 2>&1 || rc=$?
  server_log=''
  if [[ $scenario != - ]]; then
    [[ -f $run/xrdp.log ]] && server_log=$(grep -o 'Security protocol: .*' "$run/xrdp.log" | sort | uniq -c | sed 's/^ *//' || true)
  fi
  lab_stop

  x224=$(x224_summary "$pcap" "$port")
  tcp=$(tcp_summary "$pcap")
  verdict=ok
  [[ $rc == "$want_rc" ]] || { verdict="FAILED: exit $rc, expected $want_rc"; }
  [[ $(x224_canonical <<<"$x224") == "$(x224_canonical <<<"$want_x224")" ]] || { verdict="FAILED: X.224 '$x224', expected '$want_x224'"; }
  if contains_bytes "$pcap" "$PASS_UTF8" || contains_bytes "$pcap" "$PASS_UTF16"; then
    verdict="FAILED: the password appears in clear text in the capture"
  fi
  log "$name: exit=$rc x224=[$x224] tcp=[$tcp] -> $verdict"
  [[ $verdict == ok ]] || { FAILED=1; continue; }

  printed_cmd="scripts/lab.sh capture fixtures/lab/$name.pcap $port --"
  [[ ${argv[0]} == xfreerdp ]] && printed_cmd+=" scripts/lab.sh client --timeout $CLIENT_TIMEOUT --"
  for w in "${argv[@]}"; do
    [[ ${argv[0]} == xfreerdp && $w == xfreerdp ]] && continue
    # the README names the password's variable, never the password (it is the lab's documented one)
    [[ $w == "/p:$PASS" ]] && w='/p:$LAB_PASS'
    printed_cmd+=" $(q "$w")"
  done
  client_says=$(sed -nE 's/^\[[^]]*\] \[[^]]*\] \[(ERROR|WARN)\]\[[^]]*\] - //p' "$WORK/$name.client.log" |
    awk '!seen[$0]++' | head -n 8)
  [[ ${argv[0]} == nmap ]] && client_says=$(grep -E '^(PORT|[0-9]+/tcp|\|)' "$WORK/$name.client.log" || true)
  size=$(stat -c %s "$pcap")
  printf '| `%s.pcap` | %s | %s | %s | %s |\n' "$name" "${scenario/#-/none}${opts:+ $opts}" "$rc" "$x224" "$size" >>"$TABLE"
  {
    printf '### `%s.pcap`\n\n' "$name"
    printf -- '- command: `%s`\n' "$printed_cmd"
    printf -- '- server: %s\n' "$server"
    [[ -n $host_line ]] && printf -- '- lab: `%s`\n' "$host_line"
    printf -- '- client exit code: %s\n' "$rc"
    printf -- '- X.224 (per TCP connection): `%s`\n' "$x224"
    printf -- '- TCP: %s; %s bytes; sha256 `%s`\n' "$tcp" "$size" "$(sha256sum "$pcap" | cut -c1-16)"
    if [[ -n $server_log ]]; then
      printf -- '- xrdp log (count, line):\n\n```\n%s\n```\n' "$server_log"
    fi
    printf '\nClient output (errors and warnings, deduplicated):\n\n```\n%s\n```\n\n' "${client_says:-(none)}"
    printf 'tshark fields (frame, time, stream, cotp.type, neg_type, requestedProtocols, selectedProtocol, failureCode, cookie):\n\n```\n%s\n```\n\n' \
      "$(x224_fields "$pcap" "$port" | grep . || echo '(no X.224 frames)')"
  } >>"$SECTIONS"
done

((FAILED == 0)) || die "some recordings did not match their expectation; $OUT_DIR left unchanged"

mkdir -p "$OUT_DIR"
for rec in "${RECORDINGS[@]}"; do
  name=${rec%%|*}
  install -m 644 "$WORK/$name.pcap" "$OUT_DIR/$name.pcap"
done

{
  cat <<EOF
# fixtures/lab: real client captures against real servers on loopback

Our own recordings (no third-party data, same licence as the project), made on Debian 12 with the
Debian packages xrdp $(pkg_version xrdp), freerdp2-x11 $(pkg_version freerdp2-x11), freerdp2-shadow-x11
$(pkg_version freerdp2-shadow-x11), nmap $(pkg_version nmap) and tshark $(pkg_version tshark).
Regenerate them all with \`scripts/record-fixtures.sh\` (root, packages from \`scripts/lab.sh install\`);
it checks every recording against the expected X.224 exchange and client exit code, and fails if the
lab password (\`$PASS\`, UTF-8 or UTF-16LE) appears anywhere in a capture. Servers are the lab
scenarios of \`scripts/lab.sh\` (configs below, details in \`shared/docs/real-servers.md\`).
Captures are libpcap files (Ethernet link type, loopback), filter \`tcp port P\`, stopped 0.5 s after
the client exits.

tshark 4.0 only dissects TPKT on 3389 by default: add \`-d tcp.port==P,tpkt\` for these ports, e.g.
\`tshark -r F -d tcp.port==33891,tpkt -Y cotp -T fields -e frame.number -e cotp.type -e rdp.neg_type
-e rdp.negReq.requestedProtocols -e rdp.negReq.selectedProtocol -e rdp.negFailure.failureCode\`.

X.224 notation: \`cN:\` = TCP connection N; \`CR(req=P)\` Connection Request with RDP_NEG_REQ,
\`CR(no-neg)\` without one; \`CC(sel=P)\` Confirm with RDP_NEG_RSP, \`CC(fail=C)\` with RDP_NEG_FAILURE,
\`CC(no-neg)\` without negotiation data. Protocols: 0 RDP, 1 SSL, 2 HYBRID, 3 SSL|HYBRID,
4 RDSTLS, 8 HYBRID_EX. Failure codes: 1 SSL_REQUIRED_BY_SERVER, 2 SSL_NOT_ALLOWED_BY_SERVER,
5 HYBRID_REQUIRED_BY_SERVER. xfreerdp exit codes: 0 ok, 133 NEGO_FAILURE, 147 CONNECT_TRANSPORT_FAILED.

| file | server scenario | client exit | X.224 | bytes |
|---|---|---|---|---|
EOF
  cat "$TABLE"
  printf '\n## Recordings\n\n'
  cat "$SECTIONS"
  cat "$REPO_DIR/scripts/record-fixtures.notes.md"
} >"$OUT_DIR/README.md"
log "wrote ${#RECORDINGS[@]} recordings and README.md to $OUT_DIR"
