#!/usr/bin/env bash
# pcap-report against the seed's analyzer (crates/pcap-report/tests/support/seed_analyzer.py,
# scapy), as issue 8 asks: the script loads the whole capture into memory, so it is timed on
# a smaller capture (the first N packets of the benchmark capture, cut with editcap) and the
# rates are compared; pcap-report is timed on the whole benchmark capture (and on the small
# one). Prints wall time, packets/s, MB/s, peak RSS, the speed ratio, and pcap-report's
# --timings line (how long after the pass the JSON and the HTML are written).
#
# Usage: bench/report.sh [--file F] [--seed-packets N] [--runs N] [--bin DIR]
#   --file F           benchmark capture (default bench/out/bench.pcap; bench/make-bench-capture.sh)
#   --seed-packets N   packets of the capture the seed's script reads (default 50000)
#   --runs N           pcap-report runs on the whole capture; the median is reported (default 3)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
FILE=bench/out/bench.pcap
N=50000
RUNS=3
BIN=target/release
while (($#)); do
    case $1 in
        --file) FILE=$2; shift 2 ;;
        --seed-packets) N=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --bin) BIN=$2; shift 2 ;;
        *) echo "bench/report.sh: unknown option $1 (see the header of this script)" >&2; exit 1 ;;
    esac
done
[[ -f $FILE ]] || { echo "bench/report.sh: no $FILE: make it with bench/make-bench-capture.sh" >&2; exit 1; }
command -v editcap >/dev/null || { echo "bench/report.sh: editcap missing: apt-get install -y tshark" >&2; exit 1; }
python3 -c "import scapy.all" 2>/dev/null || { echo "bench/report.sh: python3 has no scapy: pip install scapy" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
SMALL=$WORK/small.pcap
editcap -r "$FILE" "$SMALL" "1-$N" >/dev/null
size() { stat -c %s "$1"; }
packets() { capinfos -c -M "$1" | awk -F': *' '/Number of packets/ {print $2}'; }

# timed CMD...: prints "seconds peak_rss_kb"
timed() { /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; return 1; }; cat "$WORK/time"; }
row() { # label seconds rss_kb packets bytes
    awk -v l="$1" -v s="$2" -v r="$3" -v p="$4" -v b="$5" 'BEGIN {
        printf "%-34s %8.2f s %12.0f packets/s %9.1f MB/s %8.1f MB RSS\n", l, s, p / s, b / s / 1e6, r / 1024 }'
}

SP=$(packets "$SMALL"); SB=$(size "$SMALL")
FP=$(packets "$FILE"); FB=$(size "$FILE")
echo "small capture: first $SP packets ($SB bytes) of $FILE ($FP packets, $FB bytes)"

read -r s_secs s_rss < <(timed python3 crates/pcap-report/tests/support/seed_analyzer.py "$SMALL" "$WORK/seed")
row "seed script, small capture" "$s_secs" "$s_rss" "$SP" "$SB"

read -r o_small o_small_rss < <(timed "$BIN/pcap-report" -q -r "$SMALL" -o "$WORK/ours-small")
row "pcap-report, small capture" "$o_small" "$o_small_rss" "$SP" "$SB"

times=()
rss=0
for ((i = 0; i < RUNS; i++)); do
    read -r t r < <(timed "$BIN/pcap-report" -q -r "$FILE" -o "$WORK/ours")
    times+=("$t")
    ((r > rss)) && rss=$r
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')
row "pcap-report, whole capture (median)" "$median" "$rss" "$FP" "$FB"
echo "runs: ${times[*]}"
awk -v sp="$SP" -v ss="$s_secs" -v fp="$FP" -v fs="$median" -v os="$o_small" 'BEGIN {
    printf "speed ratio (packets/s, whole capture vs seed on small): %.0fx\n", (fp / fs) / (sp / ss)
    printf "speed ratio (same small capture): %.0fx\n", ss / os }'
"$BIN/pcap-report" -q --timings -r "$FILE" -o "$WORK/ours" 2>&1 | sed 's/^/timings: /'
