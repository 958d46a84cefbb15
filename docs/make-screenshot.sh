#!/usr/bin/env bash
# Renders pcap-report's page for tests/fixtures/beacon.pcap in headless Chromium and writes
# docs/report-screenshot.png (the top of the page) and docs/report-screenshot-beacons.png
# (the beacon section). Needs Debian's chromium and a release build:
#     apt-get install -y chromium && cargo build --release && docs/make-screenshot.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
target/release/pcap-report -q -r tests/fixtures/beacon.pcap -o "$WORK/report"
shot() { # OUT WIDTHxHEIGHT URL
    chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$WORK/profile" \
        --window-size="$2" --screenshot="$1" "$3" 2>/dev/null
}
shot docs/report-screenshot.png 1280,1900 "file://$WORK/report/report.html"
# The beacon section alone: the page with everything else hidden.
sed 's#</style>#section{display:none}section\#beacons{display:block}</style>#' "$WORK/report/report.html" >"$WORK/report/beacons.html"
shot docs/report-screenshot-beacons.png 1280,900 "file://$WORK/report/beacons.html"
ls -l docs/report-screenshot*.png
