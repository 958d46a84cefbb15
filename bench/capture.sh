#!/usr/bin/env bash
# Captures one iperf3 flow with pcap-capture and tcpdump at the same time, in a fresh network
# namespace (its loopback carries nothing else), and compares what each wrote and the
# "dropped by kernel" counts both print:
#
#     pcap-capture -i lo -w A.pcap <filter>        tcpdump -i lo -w B.pcap <filter>
#     iperf3 -c 127.0.0.1 -b RATE -t SECONDS [-u -l LEN]
#
# Both use libpcap's defaults (2 MiB kernel buffer, TPACKET_V3) unless --buffer KiB is given.
#
# Usage: bench/capture.sh [--rate 1G] [--seconds 10] [--udp] [--len 1400] [--buffer KiB] [--bin DIR]
# Needs root, iperf3 (apt-get install iperf3) and tcpdump.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
RATE=1G
SECS=10
UDP=
LEN=1400
BUF=
BIN=target/release
while (($#)); do
    case $1 in
        --rate) RATE=$2; shift ;;
        --seconds) SECS=$2; shift ;;
        --udp) UDP=1 ;;
        --len) LEN=$2; shift ;;
        --buffer) BUF=$2; shift ;;
        --bin) BIN=$2; shift ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) echo "unknown argument $1 (see --help)" >&2; exit 1 ;;
    esac
    shift
done
for p in iperf3 tcpdump; do
    command -v $p >/dev/null || { echo "$p is not installed: apt-get install -y $p" >&2; exit 1; }
done
[[ -x $BIN/pcap-capture ]] || { echo "no $BIN/pcap-capture: cargo build --release" >&2; exit 1; }
BIN=$(cd "$BIN" && pwd)

NS=pcaptk-bench-$$
TMP=$(mktemp -d)
cleanup() {
    ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns delete "$NS" 2>/dev/null || true
    rm -rf "$TMP"
}
trap cleanup EXIT
ip netns add "$NS"
ip netns exec "$NS" ip link set lo up
in_ns() { ip netns exec "$NS" "$@"; }

FILTER="port 5201"
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
bopt=()
[[ -n $BUF ]] && bopt=(-B "$BUF")
# `ip netns exec` execs the program, so $! is the capturer itself (SIGINT reaches it).
ip netns exec "$NS" "$BIN/pcap-capture" -i lo "${bopt[@]}" -w "$TMP/a.pcap" $FILTER 2>"$TMP/a.err" &
PC=$!
ip netns exec "$NS" tcpdump -Z root -i lo "${bopt[@]}" -w "$TMP/b.pcap" $FILTER 2>"$TMP/b.err" &
TD=$!
for f in a b; do
    for _ in $(seq 100); do grep -q "listening on" "$TMP/$f.err" && break; sleep 0.1; done
done
ip netns exec "$NS" iperf3 -s -1 >/dev/null 2>&1 &
sleep 0.5
client=(iperf3 -c 127.0.0.1 -b "$RATE" -t "$SECS")
[[ -n $UDP ]] && client+=(-u -l "$LEN")
echo "flow: ${client[*]}"
in_ns "${client[@]}" | grep -E "sender|receiver" | sed 's/^/  iperf3: /'
sleep 1
kill -INT $PC $TD
wait $PC $TD || true

count() { grep -o "^[0-9]* packets\? $2" "$1" | grep -o "^[0-9]*" || echo "?"; }
echo "load average before the flow: $LOAD"
printf '%-14s %10s %12s %10s %12s\n' tool captured "recv filter" dropped "file bytes"
for f in a:pcap-capture b:tcpdump; do
    k=${f%%:*}; name=${f#*:}
    printf '%-14s %10s %12s %10s %12s\n' "$name" "$(count "$TMP/$k.err" captured)" \
        "$(count "$TMP/$k.err" received)" "$(count "$TMP/$k.err" dropped)" "$(stat -c %s "$TMP/$k.pcap")"
done
