# Compares pcap-report's JSON with the seed analyzer's on the keys the issue names:
# total_packets, the conversation pairs with their packet and byte counts, and the DNS query
# names; then, for information, potential_beacons and protocol_distribution.
# Usage: python3 compare_seed.py SEED.json OURS.json   (exit 0 when the named keys agree)
import json
import sys


def main():
    seed = json.load(open(sys.argv[1]))
    ours = json.load(open(sys.argv[2]))
    bad = []
    if seed["total_packets"] != ours["total_packets"]:
        bad.append(f"total_packets: seed {seed['total_packets']}, ours {ours['total_packets']}")
    conv = lambda r: [(c["src"], c["dst"], c["packets"], c["bytes"]) for c in r["conversations"]]
    if conv(seed) != conv(ours):
        bad.append(f"conversations differ: seed {conv(seed)[:5]}..., ours {conv(ours)[:5]}...")
    names = lambda r: [q["query"] for q in r["dns_queries"]]
    if names(seed) != names(ours):
        s, o = names(seed), names(ours)
        first = next((i for i in range(min(len(s), len(o))) if s[i] != o[i]), min(len(s), len(o)))
        bad.append(f"dns_queries differ at {first}: seed {s[first:first+3]} ({len(s)}), ours {o[first:first+3]} ({len(o)})")
    info = []
    if seed["potential_beacons"] != ours["potential_beacons"]:
        info.append("potential_beacons")
    if list(seed["protocol_distribution"].items()) != list(ours["protocol_distribution"].items()):
        info.append("protocol_distribution")
    dq = lambda r: [(q["query"], q["type"], q["src"]) for q in r["dns_queries"]]
    if not bad and dq(seed) != dq(ours):
        info.append("dns_queries type/src")
    for b in bad:
        print("DIFF", b)
    if info:
        print("INFO also differ:", ", ".join(info))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
