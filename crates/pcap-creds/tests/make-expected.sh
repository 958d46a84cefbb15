#!/usr/bin/env bash
# Regenerates crates/pcap-creds/tests/expected/ from crates/pcap-creds/tests/cases.tsv by
# running tshark 4.0.17 on the project's fixture captures (tests/fixtures/), the way
# tests/fixtures/make-expected.sh does for pcap-fields:
#     tshark -n -r tests/fixtures/CAPTURE ARGUMENTS...
# from the workspace root, with TZ=UTC LC_ALL=C and an empty WIRESHARK_CONFIG_DIR, writing
# expected/NAME.out (stdout), NAME.err (stderr without the root warning), NAME.rc.
#
# Usage: crates/pcap-creds/tests/make-expected.sh [NAME-GLOB]
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
cd "$ROOT"
OUT=$HERE/expected
ONLY=${1:-}
ROOT_WARNING='Running as user "root" and group "root". This could be dangerous.'

export TZ=UTC LC_ALL=C
CONF=$(mktemp -d)
trap 'rm -rf "$CONF"' EXIT
export WIRESHARK_CONFIG_DIR=$CONF

command -v tshark >/dev/null || { echo "make-expected.sh: tshark not found" >&2; exit 1; }
version=$(tshark --version 2>/dev/null | head -1)
case $version in
    *" 4.0.17 "*) ;;
    *) echo "make-expected.sh: warning: expected tshark 4.0.17, found: $version" >&2 ;;
esac

mkdir -p "$OUT"
if [[ -z $ONLY ]]; then
    rm -f "$OUT"/*.out "$OUT"/*.err "$OUT"/*.rc
fi

n=0
while IFS=$'\t' read -r name capture argstr || [[ -n $name ]]; do
    [[ -z $name || $name == \#* ]] && continue
    if [[ -n $ONLY && $name != $ONLY ]]; then continue; fi
    mapfile -d '' args < <(python3 -c 'import shlex, sys
for a in shlex.split(sys.argv[1]): sys.stdout.write(a + "\0")' "$argstr")
    rc=0
    tshark -n -r "tests/fixtures/$capture" "${args[@]}" </dev/null >"$OUT/$name.out" 2>"$OUT/$name.err.tmp" || rc=$?
    grep -vxF "$ROOT_WARNING" "$OUT/$name.err.tmp" >"$OUT/$name.err" || true
    rm -f "$OUT/$name.err.tmp"
    echo "$rc" >"$OUT/$name.rc"
    printf '%-40s rc=%s out=%s lines\n' "$name" "$rc" "$(wc -l <"$OUT/$name.out")"
    n=$((n + 1))
done <"$HERE/cases.tsv"
echo "make-expected.sh: $n cases written to $OUT ($version)"
