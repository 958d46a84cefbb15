#!/usr/bin/env bash
# Times tshark and pcap-export-objects side by side, exporting objects of one protocol:
#
#     tshark              -n -q -r FILE --export-objects PROTO,DIR
#     pcap-export-objects -n -q -r FILE --export-objects PROTO,DIR
#
# (each into a fresh folder, fastest of --runs N), and prints wall time, peak RSS, the
# number of files written, the speed ratio and whether both folders hold the same files.
#
# Usage: bench/export.sh [--proto P] [--runs N] [--bin DIR] [FILE]
#   FILE defaults to the large corpus capture (../shared/captures/large/*.pcap).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PROTO=http
RUNS=3
BIN=target/release
FILE=
while (($#)); do
    case $1 in
        --proto) PROTO=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        --bin) BIN=$2; shift ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) FILE=$1 ;;
    esac
    shift
done
[[ -n $FILE ]] || FILE=$(ls ../shared/captures/large/*.pcap 2>/dev/null | head -1)
[[ -f $FILE ]] || { echo "no capture: give one (or put ../shared/captures/large beside the checkout)" >&2; exit 1; }
[[ -x /usr/bin/time ]] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
# Output folders go on tmpfs when there is one, so the disk of a busy machine does not
# decide the figures (file creation is most of what both tools spend on small objects).
TMP=$(mktemp -d -p "$( [[ -d /dev/shm && -w /dev/shm ]] && echo /dev/shm || echo "${TMPDIR:-/tmp}")")
trap 'rm -rf "$TMP"' EXIT
export WIRESHARK_CONFIG_DIR=$TMP/conf
mkdir -p "$WIRESHARK_CONFIG_DIR"

# run LABEL CMD...: fastest of RUNS; prints "wall rss files"
run() {
    local label=$1; shift
    local best= rss= r
    for ((r = 1; r <= RUNS; r++)); do
        rm -rf "$TMP/$label"
        /usr/bin/time -f '%e %M' -o "$TMP/time" "$@" --export-objects "$PROTO,$TMP/$label" >/dev/null 2>"$TMP/err" || true
        read -r wall kb <"$TMP/time"
        if [[ -z $best ]] || awk -v a="$wall" -v b="$best" 'BEGIN {exit !(a < b)}'; then best=$wall; rss=$kb; fi
    done
    echo "$best $rss $(ls "$TMP/$label" 2>/dev/null | wc -l)"
}
echo "capture: $FILE ($(($(stat -c %s "$FILE") / 1000000)) MB), --export-objects $PROTO, fastest of $RUNS"
read -r tw tr tf < <(run tshark tshark -n -q -r "$FILE")
read -r ow or of < <(run ours "$BIN/pcap-export-objects" -n -q -r "$FILE")
printf '%-22s %8s %12s %7s\n' tool wall_s peak_RSS_MB files
printf '%-22s %8.2f %12.1f %7s\n' tshark "$tw" "$(echo "$tr/1024" | bc -l)" "$tf"
printf '%-22s %8.2f %12.1f %7s\n' pcap-export-objects "$ow" "$(echo "$or/1024" | bc -l)" "$of"
awk -v a="$tw" -v b="$ow" 'BEGIN { if (b <= 0) b = 0.01; printf "speed ratio: pcap-export-objects is %.1fx tshark\n", a / b }'
if diff -r "$TMP/tshark" "$TMP/ours" >/dev/null 2>&1; then echo "files: identical"; else echo "files: $(diff -rq "$TMP/tshark" "$TMP/ours" 2>/dev/null | wc -l) differ"; fi
