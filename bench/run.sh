#!/usr/bin/env bash
# Times tshark and pcap-fields side by side on the benchmark capture:
#
#     tshark      -n -r FILE ARGS > /dev/null
#     pcap-fields -n -r FILE ARGS > /dev/null
#
# with /usr/bin/time -v (wall time, peak RSS), and prints packets/s, MB/s,
# the speed ratio and peak RSS.
#
# Usage: bench/run.sh [options] [-- ARGS...]
#   --file F       capture (default bench/out/bench.pcap; make it with
#                  bench/make-bench-capture.sh)
#   --big          use bench/out/bench-big.pcap
#   --ours-only    run only pcap-fields (tshark takes ~1 min per 250 MB)
#   --tshark-only  run only tshark
#   --bin DIR      folder holding pcap-fields (default target/release)
#   --tool NAME    time NAME (pcap-stats, pcap-beacon) instead of pcap-fields; for
#                  pcap-beacon, which tshark has no counterpart for, add --ours-only:
#                  bench/run.sh --tool pcap-beacon --ours-only --runs 3 -- -q
#   --filter EXPR  add -Y EXPR
#   --runs N       run each side N times, report the fastest (default 1)
#   --check        hash both outputs (sha256) and say whether they are equal;
#                  output goes through a pipe instead of /dev/null
#   -- ARGS...     replace the default fields
#                  (-T fields -e frame.number -e frame.time_epoch -e ip.src
#                   -e ip.dst -e tcp.dstport)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
FILE=bench/out/bench.pcap
BIN=target/release
OURS=1
THEIRS=1
FILTER=
RUNS=1
CHECK=0
TOOL=pcap-fields
ARGS=(-T fields -e frame.number -e frame.time_epoch -e ip.src -e ip.dst -e tcp.dstport)
while (($#)); do
    case $1 in
        --file) FILE=$2; shift ;;
        --big) FILE=bench/out/bench-big.pcap ;;
        --ours-only) THEIRS=0 ;;
        --tshark-only) OURS=0 ;;
        --bin) BIN=$2; shift ;;
        --tool) TOOL=$2; shift ;;
        --filter) FILTER=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        --check) CHECK=1 ;;
        --) shift; ARGS=("$@"); break ;;
        -h|--help) sed -n '2,28p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
[[ -n $FILTER ]] && ARGS+=(-Y "$FILTER")

[[ -f $FILE ]] || { echo "no $FILE: run bench/make-bench-capture.sh first" >&2; exit 1; }
if [[ ! -x /usr/bin/time ]]; then
    echo "installing GNU time" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
fi
OURS_BIN=$BIN/$TOOL
if ((OURS)) && [[ ! -x $OURS_BIN ]]; then
    echo "no $OURS_BIN: cargo build --release -p $TOOL" >&2
    exit 1
fi

BYTES=$(stat -L -c %s "$FILE")
PACKETS=
[[ -f $FILE.info ]] && PACKETS=$(awk -F'\t' '$1 == "packets" {print $2}' "$FILE.info")
if [[ -z $PACKETS ]]; then
    PACKETS=$(capinfos -M -c "$FILE" | awk -F': *' '/Number of packets/ {print $2}')
fi

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export TZ=UTC LC_ALL=C

# measure LABEL CMD...: fastest of RUNS runs; sets M_WALL M_RSS M_RC M_HASH
measure() {
    local label=$1; shift
    local best= rss= rc= hash= r wall kb
    for ((r = 1; r <= RUNS; r++)); do
        local tv=$TMP/$label.$r.time
        set +e
        if ((CHECK)); then
            /usr/bin/time -v -o "$tv" "$@" </dev/null 2>"$TMP/$label.err" | sha256sum >"$TMP/$label.hash"
            rc=${PIPESTATUS[0]}
        else
            /usr/bin/time -v -o "$tv" "$@" </dev/null >/dev/null 2>"$TMP/$label.err"
            rc=$?
        fi
        set -e
        wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {
                 n = split($2, p, ":"); s = 0
                 for (i = 1; i <= n; i++) s = s * 60 + p[i]
                 print s }' "$tv")
        kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tv")
        echo "  $label run $r: ${wall}s, ${kb} KiB peak RSS, exit $rc" >&2
        if [[ -z $best ]] || awk -v a="$wall" -v b="$best" 'BEGIN {exit !(a < b)}'; then
            best=$wall
            rss=$kb
        fi
    done
    [[ -f $TMP/$label.hash ]] && hash=$(cut -c1-16 "$TMP/$label.hash")
    if [[ $rc != 0 ]]; then
        echo "  $label exited $rc; stderr:" >&2
        grep -v '^Running as user "root"' "$TMP/$label.err" | head -5 >&2 || true
    fi
    M_WALL=$best M_RSS=$rss M_RC=$rc M_HASH=$hash
}

echo "capture: $FILE  ($((BYTES / 1000000)) MB, $PACKETS packets)"
echo "args:    -n -r FILE ${ARGS[*]@Q}"
declare -A WALL RSS RC HASH
if ((THEIRS)); then
    echo "tshark: $(tshark --version 2>/dev/null | head -1)" >&2
    measure tshark tshark -n -r "$FILE" "${ARGS[@]}"
    WALL[tshark]=$M_WALL RSS[tshark]=$M_RSS RC[tshark]=$M_RC HASH[tshark]=$M_HASH
fi
if ((OURS)); then
    measure "$TOOL" "$OURS_BIN" -n -r "$FILE" "${ARGS[@]}"
    WALL[$TOOL]=$M_WALL RSS[$TOOL]=$M_RSS RC[$TOOL]=$M_RC HASH[$TOOL]=$M_HASH
fi

echo
printf '%-12s %9s %13s %9s %13s %6s %s\n' tool wall_s packets/s MB/s peak_RSS_MB exit "$( ((CHECK)) && echo sha256)"
for t in tshark "$TOOL"; do
    [[ -n ${WALL[$t]:-} ]] || continue
    awk -v t="$t" -v w="${WALL[$t]}" -v p="$PACKETS" -v b="$BYTES" -v k="${RSS[$t]}" -v rc="${RC[$t]}" -v h="${HASH[$t]:-}" 'BEGIN {
        if (w <= 0) w = 0.01
        printf "%-12s %9.2f %13.0f %9.1f %13.1f %6s %s\n", t, w, p / w, b / w / 1e6, k / 1024, rc, h }'
done
if [[ -n ${WALL[tshark]:-} && -n ${WALL[$TOOL]:-} ]]; then
    awk -v a="${WALL[tshark]}" -v b="${WALL[$TOOL]}" -v t="$TOOL" 'BEGIN {
        if (b <= 0) b = 0.01
        printf "speed ratio: %s is %.1fx tshark\n", t, a / b }'
    if ((CHECK)); then
        if [[ ${HASH[tshark]} == "${HASH[$TOOL]}" ]]; then echo "outputs: identical"; else echo "outputs: DIFFER"; fi
    fi
fi
