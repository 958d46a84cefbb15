//! The layer-2/3 protocols added for `frame.protocols` (OSPF, VRRP, PIM, PGM, SCTP with M3UA
//! and ISUP, IPX, NetBIOS over LLC, LLC's I and S frames, HSR, Wake On LAN, Slow Protocols,
//! Cisco ISL, and the link types USB/FreeBSD, I2C and ARCNET) on frames written here from
//! their specifications: the protocol chain and main header fields as `-T fields` shows them,
//! and every prefix of each frame dissected without a panic.

mod support;
use support::{dissect, dissect_link, dot3, eth2, ipv4, prefixes};

#[test]
fn ospf_hello() {
    let mut o = vec![2, 1, 0, 44, 4, 4, 4, 1, 0, 0, 0, 0, 0xf3, 0x9d, 0, 0];
    o.extend_from_slice(&[0; 8]);
    o.extend_from_slice(&[255, 255, 255, 252, 0, 10, 2, 1, 0, 0, 0, 40, 0, 0, 0, 0, 0, 0, 0, 0]);
    let f = ipv4(89, &o);
    let (p, v) =
        dissect(&f, &["ospf.version", "ospf.msg", "ospf.srcrouter", "ospf.checksum", "ospf.hello.network_mask"]);
    assert_eq!(p, "eth:ethertype:ip:ospf");
    assert_eq!(v, ["2", "1", "4.4.4.1", "0xf39d", "255.255.255.252"]);
    prefixes(&f, 1);
}

#[test]
fn vrrp_advertisement() {
    let f = ipv4(112, &[0x21, 51, 200, 1, 0, 10, 0x16, 0xf8, 10, 199, 245, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    let (p, v) = dissect(&f, &["vrrp.version", "vrrp.type", "vrrp.virt_rtr_id", "vrrp.prio", "vrrp.ip_addr"]);
    assert_eq!(p, "eth:ethertype:ip:vrrp");
    assert_eq!(v, ["2", "1", "51", "200", "10.199.245.1"]);
    prefixes(&f, 1);
}

#[test]
fn pim_and_pgm() {
    let f = ipv4(103, &[0x20, 0, 0xab, 0xcd, 0, 1, 0, 0]);
    let (p, v) = dissect(&f, &["pim.version", "pim.type", "pim.cksum"]);
    assert_eq!(p, "eth:ethertype:ip:pim");
    assert_eq!(v, ["2", "0", "0xabcd"]);
    // PGM ODATA: header, sequence numbers, then the data.
    let mut g = vec![0x34, 0x08, 0x15, 0xbb, 0x04, 0x00, 0, 0, 0x33, 0x29, 0x04, 0x1e, 0xba, 0x74, 0, 4];
    g.extend_from_slice(&[0, 0, 0xd6, 0xa7, 0, 0, 0x54, 0x72, 1, 2, 3, 4]);
    let f = ipv4(113, &g);
    let (p, v) = dissect(&f, &["pgm.hdr.sport", "pgm.hdr.type", "pgm.hdr.gsi", "data.len"]);
    assert_eq!(p, "eth:ethertype:ip:pgm:data");
    assert_eq!(v, ["13320", "0x04", "3329041eba74", "4"]);
    prefixes(&f, 1);
}

#[test]
fn sctp_data_chunks_to_m3ua_and_isup() {
    // M3UA DATA with a Protocol Data parameter: OPC 1, DPC 2, SI 5 (ISUP), then ISUP's CIC 1
    // and message type IAM (1).
    let mut m = vec![1, 0, 1, 1, 0, 0, 0, 28, 0x02, 0x10, 0, 19, 0, 0, 0, 1, 0, 0, 0, 2, 5, 2, 0, 0, 1, 0, 1, 0];
    m.truncate(28);
    let mut chunk = vec![0, 3, 0, (16 + m.len()) as u8, 0, 0, 0, 45, 0, 1, 0, 0, 0, 0, 0, 3];
    chunk.extend_from_slice(&m);
    let mut s = vec![0x4b, 0xc8, 0x4b, 0xc8, 0, 0, 0, 0x29, 0, 0x6c, 0xcd, 0x0a];
    s.extend_from_slice(&chunk);
    s.extend_from_slice(&chunk);
    // A SACK chunk hands nothing on.
    s.extend_from_slice(&[3, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0x10, 0, 0, 0, 0, 0]);
    let f = ipv4(132, &s);
    let (p, v) = dissect(
        &f,
        &["sctp.srcport", "sctp.chunk_type", "sctp.data_payload_proto_id", "m3ua.protocol_data_si", "isup.cic"],
    );
    assert_eq!(p, "eth:ethertype:ip:sctp:m3ua:isup:m3ua:isup");
    assert_eq!(v, ["19400", "0,0,3", "3,3", "5,5", "1,1"]);
    prefixes(&f, 1);
}

#[test]
fn ipx_over_llc_ethertype_and_raw() {
    // A SAP nearest-server query: checksum 0xffff, length 34, type 4, to socket 0x0452.
    let mut ipx = vec![0xff, 0xff, 0, 34, 0, 4, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x04, 0x52];
    ipx.extend_from_slice(&[0, 0, 0, 0, 0, 0xc0, 2, 0xd0, 0xcd, 0x8a, 0x40, 0x13, 0, 3, 0, 4]);
    let names = ["ipx.len", "ipx.dst.socket", "ipx.src.node", "llc.dsap"];
    let mut llc = vec![0xe0, 0xe0, 0x03];
    llc.extend_from_slice(&ipx);
    let f = dot3([0xff; 6], &llc);
    let (p, v) = dissect(&f, &names);
    // The SAP layer is a tree item only (`io,phs` counts it), not in frame.protocols.
    assert_eq!(p, "eth:llc:ipx");
    assert_eq!(v, ["34", "0x0452", "00:c0:02:d0:cd:8a", "0xe0"]);
    let f = dot3([0xff; 6], &ipx);
    assert_eq!(dissect(&f, &names).0, "eth:ipx");
    let f = eth2(0x8137, &ipx);
    assert_eq!(dissect(&f, &names).0, "eth:ethertype:ipx");
    prefixes(&f, 1);
}

#[test]
fn llc_supervisory_and_netbios() {
    // A Receiver Ready S frame: a 2-byte control field, nothing after it.
    let f = dot3([0x03, 0, 0, 0, 0, 1], &[0xf0, 0xf0, 0x01, 0x01]);
    let (p, v) = dissect(&f, &["llc.control"]);
    assert_eq!(p, "eth:llc");
    assert_eq!(v, ["0x0101"]);
    // NetBIOS Add Name Query (no payload) and DATA ONLY LAST carrying bytes that are no SMB.
    let mut nb = vec![0xf0, 0xf0, 0x03, 44, 0, 0xff, 0xef, 0x01];
    nb.extend_from_slice(&[0; 39]);
    let (p, v) = dissect(&dot3([0x03, 0, 0, 0, 0, 1], &nb), &["netbios.command", "netbios.hdr_len"]);
    assert_eq!(p, "eth:llc:netbios");
    assert_eq!(v, ["0x01", "44"]);
    let mut nb = vec![0xf0, 0xf0, 0x00, 0x02, 14, 0, 0xff, 0xef, 0x16];
    nb.extend_from_slice(&[0; 9]);
    nb.extend_from_slice(b"payload");
    let f = dot3([0x03, 0, 0, 0, 0, 1], &nb);
    assert_eq!(dissect(&f, &[]).0, "eth:llc:netbios:data");
    prefixes(&f, 1);
}

#[test]
fn hsr_wol_slow_loop() {
    // HSR tag then an ARP request.
    let mut h = vec![0x00, 0x1c, 0x00, 0x05, 0x08, 0x06];
    h.extend_from_slice(&[0, 1, 8, 0, 6, 4, 0, 1, 0, 0x11, 0x22, 0x33, 0x44, 0x55, 10, 0, 0, 1]);
    h.extend_from_slice(&[0, 0, 0, 0, 0, 0, 10, 0, 0, 2]);
    let f = eth2(0x892f, &h);
    let (p, v) = dissect(&f, &["hsr.sequence_nr", "hsr.type"]);
    assert_eq!(p, "eth:ethertype:hsr:arp");
    assert_eq!(v, ["5", "0x0806"]);
    prefixes(&f, 1);
    // A magic packet; a packet that is no magic packet stays data.
    let mut w = vec![0xff; 6];
    for _ in 0..16 {
        w.extend_from_slice(&[0, 0x0d, 0x56, 0xdc, 0x9e, 0x35]);
    }
    let (p, v) = dissect(&eth2(0x0842, &w), &["wol.mac"]);
    assert_eq!(p, "eth:ethertype:wol");
    assert!(v[0].starts_with("00:0d:56:dc:9e:35,00:0d:56:dc:9e:35"));
    w[20] = 0;
    assert_eq!(dissect(&eth2(0x0842, &w), &[]).0, "eth:ethertype:data");
    // ESMC: OSSP with a quality-level TLV, then padding shown as data.
    let mut s = vec![0x0a, 0x00, 0x19, 0xa7, 0x00, 0x01, 0x10, 0, 0, 0, 0x01, 0x00, 0x04, 0x04];
    s.extend_from_slice(&[0; 20]);
    let f = eth2(0x8809, &s);
    let (p, v) = dissect(&f, &["slow.subtype", "ossp.itu.subtype"]);
    assert_eq!(p, "eth:ethertype:slow:ossp:data");
    assert_eq!(v, ["0x0a", "0x0001"]);
    prefixes(&f, 1);
    // Loopback: skip count 0, an unknown function, data.
    let f = eth2(0x9000, &[0, 0, 0, 1, 0xff, 0xff, 1, 2, 3]);
    let (p, v) = dissect(&f, &["loop.function", "data.len"]);
    assert_eq!(p, "eth:ethertype:loop:data");
    assert_eq!(v, ["256", "5"]);
    prefixes(&f, 1);
}

#[test]
fn isl_carries_a_frame() {
    // ISL header (26 bytes) then an 802.3 frame with a Cisco SNAP PID nobody dissects.
    let inner = dot3([0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc], &[0xaa, 0xaa, 0x03, 0, 0, 0x0c, 0x99, 0x99, 1, 2]);
    let mut isl = vec![0xaa, 0xaa, 0x03, 0, 0, 0x0c, 0, 3, 0, 0, 0];
    isl.push(0);
    isl.extend_from_slice(&inner);
    isl.extend_from_slice(&[0, 0, 0, 0]);
    let f = dot3([0x01, 0x00, 0x0c, 0x00, 0x00, 0x00], &isl);
    let (p, v) = dissect(&f, &["eth.dst"]);
    assert_eq!(p, "eth:eth:llc:data");
    // Only the encapsulated frame's addresses are Ethernet's.
    assert_eq!(v, ["01:00:0c:cc:cc:cc"]);
    prefixes(&f, 1);
}

#[test]
fn link_types() {
    let f = [0xbe, 0x00, 0xed, 0x08, 0xf1, 0, 7, 8, 0, 1, 4, 0, 1, 0xbe, 10, 80, 131, 1, 0, 10, 80, 131, 254];
    let (p, v) = dissect_link(&f, 129, &["arcnet.src", "arcnet.protID"]);
    assert_eq!(p, "arcnet:arp");
    assert_eq!(v, ["0xbe", "0xf1"]);
    prefixes(&f, 129);
    assert_eq!(dissect_link(&[0x20, 0x10, 0xd0], 209, &[]).0, "i2c:data");
    assert_eq!(dissect_link(&[], 209, &[]).0, "");
    let (p, v) = dissect_link(&[0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 1], 186, &["usb.totlen", "usb.busunit"]);
    assert_eq!(p, "usb");
    assert_eq!(v, ["67108864", "16777216"]);
    // RFC 1483 LLC (with FCS bits in the link type's upper bits): an I frame's payload.
    let f = [0x30, 0x30, 0x30, 0x30, 0x30, 0x30];
    assert_eq!(dissect_link(&f, 0x3000_0064, &[]).0, "llc:data");
}

#[test]
fn erf_infiniband_ipoib() {
    let mut f = vec![0x00, 0x02, 0x00, 0x01, 0x00, 14, 0x00, 0x02];
    f.extend_from_slice(&[4, 0, 0xff, 0xff, 0, 0, 0, 1, 0, 0, 0, 1]);
    f.extend_from_slice(&[0x08, 0x00, 0, 0]);
    f.extend_from_slice(&[0x45, 0, 0, 28, 0, 1, 0, 0, 64, 1, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
    f.extend_from_slice(&[8, 0, 0, 0, 0, 1, 0, 1]);
    f.extend_from_slice(&[0xde, 0xad, 0xbe, 0xef, 0x12, 0x34]);
    assert_eq!(f.len(), 58);
    let (p, v) =
        dissect_link(&f, 197, &["infiniband.lrh.pktlen", "infiniband.bth.opcode", "infiniband.variant.crc", "ip.dst"]);
    assert_eq!(p, "erf:infiniband:ethertype:ip:icmp");
    assert_eq!(v, ["14", "4", "0x1234", "10.0.0.2"]);
    prefixes(&f, 197);
    // A record whose length does not match is no InfiniBand packet (nothing is shown).
    assert_eq!(dissect_link(&f[..40], 197, &[]).0, "");
}

#[test]
fn sctp_fragments_wait_for_the_last() {
    let frag = |flags: u8| {
        let mut s = vec![0x0b, 0x59, 0x0b, 0x59, 0, 0, 0, 1, 0, 0, 0, 0];
        s.extend_from_slice(&[0, flags, 0, 20, 0, 0, 0, 9, 0, 1, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4]);
        ipv4(132, &s)
    };
    assert_eq!(dissect(&frag(2), &[]).0, "eth:ethertype:ip:sctp");
    assert_eq!(dissect(&frag(0), &[]).0, "eth:ethertype:ip:sctp");
    assert_eq!(dissect(&frag(1), &[]).0, "eth:ethertype:ip:sctp:data");
}
