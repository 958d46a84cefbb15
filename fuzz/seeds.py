#!/usr/bin/env python3
"""Seed corpora for the fuzz targets tcp_stream and udp_stream, made from real captures.

Every TCP or UDP conversation of the given pcap files (Ethernet, IPv4) whose server port is in
tshark's port tables becomes one input in the targets' format: the port's index in the table the
target builds, then the conversation's first 40 payloads (TCP ones cut into 255-byte segments).

    python3 fuzz/seeds.py fuzz/corpus/tcp_stream fuzz/corpus/udp_stream ../shared/captures/*/*
"""
import hashlib
import os
import struct
import sys

def ports(path):
    out = []
    for l in open(path):
        p = l.split('\t')[0]
        if p.isdigit(): out.append(int(p))
    return out

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
H_TCP = [8000, 40001, 55555]
H_UDP = [40001, 55555, 1024]
tcp_tab = H_TCP + ports(root + '/crates/dissect/data/tcp-ports.tsv')
udp_tab = H_UDP + ports(root + '/crates/dissect/data/udp-ports.tsv')

def packets(fn):
    data = open(fn, 'rb').read()
    if len(data) < 24: return
    magic = data[:4]
    if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1'): e = '<'
    elif magic in (b'\xa1\xb2\xc3\xd4', b'\xa1\xb2\x3c\x4d'): e = '>'
    else: return
    lt = struct.unpack(e + 'I', data[20:24])[0]
    if lt != 1: return
    off = 24
    while off + 16 <= len(data):
        _, _, cap, _ = struct.unpack(e + 'IIII', data[off:off + 16])
        off += 16
        yield data[off:off + cap]
        off += cap

def main(outdir_tcp, outdir_udp, files, per=400):
    convs = {}
    for fn in files:
        try:
            for p in packets(fn):
                if len(p) < 34 or p[12:14] != b'\x08\x00': continue
                ihl = (p[14] & 15) * 4
                proto = p[23]
                src, dst = p[26:30], p[30:34]
                l4 = p[14 + ihl:]
                if proto == 17 and len(l4) >= 8:
                    sp, dp = struct.unpack('>HH', l4[:4])
                    key = ('u', fn, min((src, sp), (dst, dp)), max((src, sp), (dst, dp)))
                    convs.setdefault(key, []).append(((src, sp), l4[8:]))
                elif proto == 6 and len(l4) >= 20:
                    sp, dp = struct.unpack('>HH', l4[:4])
                    doff = (l4[12] >> 4) * 4
                    pay = l4[doff:]
                    if not pay: continue
                    key = ('t', fn, min((src, sp), (dst, dp)), max((src, sp), (dst, dp)))
                    convs.setdefault(key, []).append(((src, sp), pay))
        except Exception as ex:
            print(fn, ex, file=sys.stderr)
    n = {'t': 0, 'u': 0}
    seen = set()
    for key, segs in convs.items():
        kind = key[0]
        tab = tcp_tab if kind == 't' else udp_tab
        a, b = key[2], key[3]
        # server = the endpoint whose port is in the table (else the lower port)
        if b[1] in tab and a[1] not in tab: server = b
        elif a[1] in tab: server = a
        else: server = a if a[1] < b[1] else b
        if server[1] not in tab: continue
        idx = tab.index(server[1])
        if (kind, server[1]) in seen and n[kind] > per: continue
        seen.add((kind, server[1]))
        out = bytearray(struct.pack('>H', idx))
        for ep, pay in segs[:40]:
            d = 0x80 if ep == server else 0
            if kind == 'u':
                out += bytes([d, min(len(pay), 255)]) + pay[:255]
            else:
                for i in range(0, min(len(pay), 4096), 255):
                    c = pay[i:i + 255]
                    out += bytes([d | 0x08, 0, 0, len(c)]) + c
            if len(out) > 16000: break
        h = hashlib.sha1(out).hexdigest()
        od = outdir_tcp if kind == 't' else outdir_udp
        os.makedirs(od, exist_ok=True)
        open(os.path.join(od, h), 'wb').write(out)
        n[kind] += 1
    print(n)

if __name__ == '__main__':
    if len(sys.argv) < 4:
        sys.exit('usage: seeds.py TCP_CORPUS_DIR UDP_CORPUS_DIR CAPTURE...')
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
