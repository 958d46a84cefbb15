#!/usr/bin/env bash
# Writes tcp-ports.tsv and udp-ports.tsv beside this script: the port → dissector
# table of tshark 4.0.17 (`tshark -G decodes`), which decides, before any heuristic,
# which protocol a TCP or UDP payload is handed to. Port 0 entries (placeholders of
# dissectors without a default port) are left out.
set -euo pipefail
cd "$(dirname "$0")"
for t in tcp udp; do
    tshark -G decodes 2>/dev/null | awk -F'\t' -v t="$t.port" '$1 == t && $2 != 0 { print $2 "\t" $3 }' | sort -n -u >"$t-ports.tsv"
done
wc -l tcp-ports.tsv udp-ports.tsv
