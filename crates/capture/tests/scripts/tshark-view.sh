#!/bin/sh
# Dumps tshark's view of a capture file's framing, in the layout of
# `cargo run --example dump`: one line per packet, then tshark's stderr
# (minus the "Running as user root" warning) and its exit code.
f="$1"
tshark -n -r "$f" -T fields -e frame.number -e frame.time_epoch -e frame.len \
  -e frame.cap_len -e frame.interface_id -e frame.comment 2>/tmp/tshark-view.$$.err
rc=$?
grep -v "Running as user" /tmp/tshark-view.$$.err >&2
rm -f /tmp/tshark-view.$$.err
exit $rc
