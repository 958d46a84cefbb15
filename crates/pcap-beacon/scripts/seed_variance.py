# The seed playbook's detect_beaconing (research/seed-playbook.txt), its logic unchanged, printed as
# `pcap-beacon --method variance` prints it, to compare the two: needs scapy (pip install scapy).
#   diff <(python3 seed_variance.py X.pcap) <(pcap-beacon -q -r X.pcap --method variance)
import sys
from collections import defaultdict
from scapy.all import rdpcap, IP, TCP
def detect_beaconing(packets, threshold_seconds=5.0):
    ip_timestamps = defaultdict(list)
    for pkt in packets:
        if IP in pkt and TCP in pkt:
            key = (pkt[IP].src, pkt[IP].dst, pkt[TCP].dport)
            ip_timestamps[key].append(float(pkt.time))
    beacons = []
    for key, times in ip_timestamps.items():
        if len(times) < 5:
            continue
        deltas = [times[i+1] - times[i] for i in range(len(times)-1)]
        if deltas:
            avg_delta = sum(deltas) / len(deltas)
            variance = sum((d - avg_delta) ** 2 for d in deltas) / len(deltas)
            if variance < threshold_seconds and avg_delta > 1:
                beacons.append({"src": key[0], "dst": key[1], "port": key[2], "avg_interval": round(avg_delta, 2), "variance": round(variance, 4), "connection_count": len(times)})
    return sorted(beacons, key=lambda x: x["variance"])
print("src\tdst\tport\tavg_interval\tvariance\tconnection_count")
for b in detect_beaconing(rdpcap(sys.argv[1])):
    print("\t".join(str(b[k]) for k in ["src","dst","port","avg_interval","variance","connection_count"]))
