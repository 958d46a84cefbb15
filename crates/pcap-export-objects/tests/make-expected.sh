#!/usr/bin/env bash
# Regenerates crates/pcap-export-objects/tests/expected/ from cases.tsv by running
# tshark 4.0.17's --export-objects: for each line `name<TAB>capture<TAB>protocol` it runs
#     tshark -n -r tests/fixtures/CAPTURE --export-objects PROTOCOL,DIR
# and writes expected/NAME.files: one line per file tshark wrote, "SHA-256  NAME", sorted
# by name (the test compares pcap-export-objects' folder with it).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$ROOT"
HERE=crates/pcap-export-objects/tests
export TZ=UTC LC_ALL=C
CONF=$(mktemp -d)
OUT=$(mktemp -d)
trap 'rm -rf "$CONF" "$OUT"' EXIT
export WIRESHARK_CONFIG_DIR=$CONF
command -v tshark >/dev/null || { echo "make-expected.sh: tshark not found" >&2; exit 1; }
mkdir -p "$HERE/expected"
while IFS=$'\t' read -r name capture proto || [[ -n $name ]]; do
    [[ -z $name || $name == \#* ]] && continue
    rm -rf "$OUT/d"
    tshark -n -r "tests/fixtures/$capture" -q --export-objects "$proto,$OUT/d" >/dev/null 2>&1 || true
    (cd "$OUT/d" 2>/dev/null && find . -maxdepth 1 -type f -printf '%P\0' | sort -z | xargs -0 -r sha256sum) >"$HERE/expected/$name.files" || true
    printf '%-24s %s files\n' "$name" "$(wc -l <"$HERE/expected/$name.files")"
done <"$HERE/cases.tsv"
