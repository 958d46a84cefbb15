#!/usr/bin/env bash
# Builds the benchmark capture bench/out/bench.pcap (classic pcap, Ethernet,
# >= 250 MiB) by concatenating (mergecap -a, no time-ordering) every Ethernet
# pcap listed in ../shared/captures/MANIFEST.tsv (format "pcap", link type
# "ether", tshark could read it to the end), in MANIFEST order, and repeating
# that round until the size is reached. Same shared/ in, same bytes out.
#
# Usage: bench/make-bench-capture.sh [--big] [--shared DIR]
#   --big     also build bench/out/bench-big.pcap, 10 times as many rounds
#             (>= 2.5 GB)
#   --shared  the shared/ folder (default: ../shared beside the repository)
# Writes FILE.info beside each capture (bytes, packets) for bench/run.sh.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
SHARED=../shared
BIG=0
while (($#)); do
    case $1 in
        --big) BIG=1 ;;
        --shared) SHARED=$2; shift ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done
CAPS=$SHARED/captures
MANIFEST=$CAPS/MANIFEST.tsv
OUT=bench/out
MIN_BYTES=$((250 * 1024 * 1024))
[[ -f $MANIFEST ]] || { echo "no $MANIFEST" >&2; exit 1; }
command -v mergecap >/dev/null || { echo "mergecap (tshark/wireshark-common) is needed" >&2; exit 1; }
mkdir -p "$OUT"

# One round: the selected captures in MANIFEST order.
inputs=()
while IFS=$'\t' read -r path size format linktype _packets _protos _features status _origin; do
    [[ $format == pcap && $linktype == ether ]] || continue
    [[ $status == rc=* || $status == *,rc=* ]] && continue
    [[ -f $CAPS/$path ]] || { echo "listed but missing: $CAPS/$path" >&2; continue; }
    inputs+=("$CAPS/$path")
done < <(tail -n +2 "$MANIFEST")
((${#inputs[@]})) || { echo "no pcap/ether captures found in $MANIFEST" >&2; exit 1; }

round=$OUT/round.pcap
echo "round: ${#inputs[@]} captures -> $round"
mergecap -F pcap -a -w "$round.tmp" "${inputs[@]}"
mv "$round.tmp" "$round"
round_bytes=$(stat -c %s "$round")
round_packets=$(capinfos -M -c "$round" | awk -F': *' '/Number of packets/ {print $2}')
echo "round: $round_bytes bytes, $round_packets packets"

build() { # build NAME MIN_BYTES
    local name=$1 min=$2 n f=$OUT/$1
    # the pcap header (24 bytes) is written once, so each extra round adds round_bytes - 24
    n=$(((min - 24 + round_bytes - 24 - 1) / (round_bytes - 24)))
    ((n >= 1)) || n=1
    local list=()
    for ((i = 0; i < n; i++)); do list+=("$round"); done
    echo "$name: $n rounds"
    mergecap -F pcap -a -w "$f.tmp" "${list[@]}"
    mv "$f.tmp" "$f"
    local bytes packets
    bytes=$(stat -c %s "$f")
    packets=$((n * round_packets))
    printf 'bytes\t%s\npackets\t%s\nrounds\t%s\ninputs\t%s\n' "$bytes" "$packets" "$n" "${#inputs[@]}" >"$f.info"
    echo "$name: $bytes bytes ($((bytes / 1024 / 1024)) MiB), $packets packets"
}

build bench.pcap "$MIN_BYTES"
if ((BIG)); then
    build bench-big.pcap $((10 * MIN_BYTES))
fi
rm -f "$round"
sha256sum "$OUT"/bench*.pcap
