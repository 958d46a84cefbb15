//! The small link-layer and UDP protocols (STP, GVRP, CDP, DTP, UDLD, LLDP, EAPOL, NTP,
//! HSRP, BFD, RADIUS, SNMP, IGMP) on frames written here from their specifications: the
//! protocol chain `frame.protocols` shows and the main header fields, rendered as
//! `-T fields` renders them.

mod support;
use support::{dissect, dot3, eth2, ipv4, udp};

const STP_DST: [u8; 6] = [0x01, 0x80, 0xc2, 0x00, 0x00, 0x00];
const CISCO_DST: [u8; 6] = [0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc];

#[test]
fn stp_configuration_bpdu() {
    // IEEE 802.1D configuration BPDU: root 32768+1/00:b0:64:10:84:40, cost 4, port 0x8001,
    // message age 1 s, max age 20 s, hello 2 s, forward delay 15 s.
    let mut llc = vec![0x42, 0x42, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
    llc.extend_from_slice(&[0x80, 0x01, 0x00, 0xb0, 0x64, 0x10, 0x84, 0x40, 0, 0, 0, 4]);
    llc.extend_from_slice(&[0x80, 0x01, 0x00, 0xb0, 0x64, 0x10, 0x84, 0x41, 0x80, 0x01]);
    llc.extend_from_slice(&[0x01, 0x00, 0x14, 0x00, 0x02, 0x00, 0x0f, 0x00]);
    let names = ["stp.type", "stp.flags", "stp.root.prio", "stp.root.ext", "stp.root.hw", "stp.root.cost", "stp.port"];
    let (chain, v) = dissect(&dot3(STP_DST, &llc), &names);
    assert_eq!(chain, "eth:llc:stp");
    assert_eq!(v, ["0x00", "0x01", "32768", "1", "00:b0:64:10:84:40", "4", "0x8001"]);
    let (_, v) = dissect(&dot3(STP_DST, &llc), &["stp.msg_age", "stp.max_age", "stp.hello", "stp.forward"]);
    assert_eq!(v, ["1", "20", "2", "15"]);
}

#[test]
fn gvrp_behind_the_bpdu_dissector() {
    let gvrp_dst = [0x01, 0x80, 0xc2, 0x00, 0x00, 0x21];
    // Protocol 1, VLAN attribute: length 4, JoinIn (2), VLAN 2; end marks.
    let llc = [0x42, 0x42, 0x03, 0x00, 0x01, 0x01, 0x04, 0x02, 0x00, 0x02, 0x00, 0x00];
    let (chain, v) = dissect(&dot3(gvrp_dst, &llc), &["gvrp.protocol_id", "gvrp.attribute_value"]);
    assert_eq!(chain, "eth:llc:stp:gvrp");
    assert_eq!(v, ["0x0001", "2"]);
    // Another attribute type first: the rest is data.
    let (chain, _) = dissect(&dot3(gvrp_dst, &[0x42, 0x42, 0x03, 0x00, 0x01, 0x00]), &[]);
    assert_eq!(chain, "eth:llc:stp:gvrp:data");
}

/// An LLC/SNAP header of Cisco's OUI and `pid`.
fn cisco_snap(pid: u16, payload: &[u8]) -> Vec<u8> {
    let mut llc = vec![0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c];
    llc.extend_from_slice(&pid.to_be_bytes());
    llc.extend_from_slice(payload);
    llc
}

#[test]
fn cdp_dtp_udld_over_snap() {
    // CDP v2, TTL 180, device ID "sw1", platform "cisco".
    let cdp = [2, 180, 0x12, 0x34, 0, 1, 0, 7, b's', b'w', b'1', 0, 6, 0, 9, b'c', b'i', b's', b'c', b'o'];
    let names = ["cdp.version", "cdp.ttl", "cdp.checksum", "cdp.tlv.type", "cdp.deviceid", "cdp.platform"];
    let (chain, v) = dissect(&dot3(CISCO_DST, &cisco_snap(0x2000, &cdp)), &names);
    assert_eq!(chain, "eth:llc:cdp");
    assert_eq!(v, ["2", "180", "0x1234", "0x0001,0x0006", "sw1", "cisco"]);
    // DTP v1: domain "lab" NUL-padded, sender ID.
    let dtp = [1, 0, 1, 0, 8, b'l', b'a', b'b', 0, 0, 4, 0, 10, 0, 0x24, 0xc3, 0x4d, 0x19, 0x8d];
    let (chain, v) =
        dissect(&dot3(CISCO_DST, &cisco_snap(0x2004, &dtp)), &["dtp.version", "dtp.domain", "dtp.senderid"]);
    assert_eq!(chain, "eth:llc:dtp");
    assert_eq!(v, ["1", "lab", "00:24:c3:4d:19:8d"]);
    // UDLD v1 probe (opcode 1), flags 1, one device ID TLV.
    let udld = [0x21, 0x01, 0xab, 0xcd, 0, 1, 0, 6, b'x', b'y'];
    let (chain, v) =
        dissect(&dot3(CISCO_DST, &cisco_snap(0x0111, &udld)), &["udld.version", "udld.opcode", "udld.flags"]);
    assert_eq!(chain, "eth:llc:udld");
    assert_eq!(v, ["1", "1", "1"]);
    // PVST+ is a BPDU too.
    let (chain, _) = dissect(&dot3(CISCO_DST, &cisco_snap(0x010b, &[0, 0, 0, 0x80])), &[]);
    assert_eq!(chain, "eth:llc:stp");
}

#[test]
fn lldp_and_eapol_ethertypes() {
    // Chassis ID (MAC), port ID (interface name "1/3"), TTL 120, end.
    let lldp = [
        0x02, 0x07, 0x04, 0x00, 0x04, 0x96, 0x1f, 0xa7, 0x26, 0x04, 0x04, 0x05, b'1', b'/', b'3', 0x06, 0x02, 0x00,
        0x78, 0x00, 0x00,
    ];
    let names = ["lldp.tlv.type", "lldp.tlv.len", "lldp.chassis.subtype", "lldp.port.subtype", "lldp.time_to_live"];
    let (chain, v) = dissect(&eth2(0x88cc, &lldp), &names);
    assert_eq!(chain, "eth:ethertype:lldp");
    assert_eq!(v, ["1,2,3,0", "7,4,2,0", "4", "5", "120"]);
    // EAPOL v2 key frame (type 3), descriptor 2 (RSN).
    let (chain, v) =
        dissect(&eth2(0x888e, &[2, 3, 0, 95, 2]), &["eapol.version", "eapol.type", "eapol.len", "eapol.keydes.type"]);
    assert_eq!(chain, "eth:ethertype:eapol");
    assert_eq!(v, ["2", "3", "95", "2"]);
}

#[test]
fn udp_protocols() {
    // NTP v4 client request (mode 3), stratum 0, poll 6, precision 0xec.
    let mut ntp = vec![0x23, 0, 6, 0xec];
    ntp.resize(48, 0);
    let (chain, v) =
        dissect(&udp(40000, 123, &ntp), &["ntp.flags", "ntp.flags.vn", "ntp.flags.mode", "ntp.ppoll", "ntp.precision"]);
    assert_eq!(chain, "eth:ethertype:ip:udp:ntp");
    assert_eq!(v, ["0x23", "4", "3", "6", "236"]);
    // HSRP v0 hello, active, group 1, priority 100, auth "cisco", virtual IP 10.0.0.254.
    let hsrp = [0, 0, 16, 3, 10, 100, 1, 0, b'c', b'i', b's', b'c', b'o', 0, 0, 0, 10, 0, 0, 254];
    let names = ["hsrp.opcode", "hsrp.state", "hsrp.priority", "hsrp.group", "hsrp.auth_data", "hsrp.virt_ip"];
    let (chain, v) = dissect(&udp(1985, 1985, &hsrp), &names);
    assert_eq!(chain, "eth:ethertype:ip:udp:hsrp");
    assert_eq!(v, ["0", "16", "100", "1", "cisco", "10.0.0.254"]);
    // BFD v1 control, state Up (3), multiplier 3, length 24.
    let bfd = [0x20, 0xc0, 3, 24, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0x0f, 0x42, 0x40, 0, 0x0f, 0x42, 0x40, 0, 0, 0, 0];
    let names = ["bfd.version", "bfd.sta", "bfd.flags", "bfd.my_discriminator", "bfd.desired_min_tx_interval"];
    let (chain, v) = dissect(&udp(49152, 3784, &bfd), &names);
    assert_eq!(chain, "eth:ethertype:ip:udp:bfd");
    assert_eq!(v, ["1", "0x03", "0xc0", "0x00000001", "1000000"]);
    let (chain, _) = dissect(&udp(3785, 3785, &[1, 2, 3, 4]), &[]);
    assert_eq!(chain, "eth:ethertype:ip:udp:bfd_echo");
    // RADIUS Access-Request; a datagram too short for a header is data.
    let mut radius = vec![1, 7, 0, 20];
    radius.resize(20, 0xaa);
    let (chain, v) = dissect(&udp(50000, 1812, &radius), &["radius.code", "radius.id", "radius.length"]);
    assert_eq!(chain, "eth:ethertype:ip:udp:radius");
    assert_eq!(v, ["1", "7", "20"]);
    assert_eq!(dissect(&udp(50000, 1812, &radius[..8]), &[]).0, "eth:ethertype:ip:udp:data");
}

#[test]
fn snmp_get_request() {
    // SNMPv2c GetRequest, community "public", request ID 0x12345678, one varbind.
    let msg = [
        0x30, 0x26, 0x02, 0x01, 0x01, 0x04, 0x06, b'p', b'u', b'b', b'l', b'i', b'c', 0xa0, 0x19, 0x02, 0x04, 0x12,
        0x34, 0x56, 0x78, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0b, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x06, 0x01,
        0x02, 0x01, 0x05, 0x00,
    ];
    let names = ["snmp.version", "snmp.community", "snmp.data", "snmp.request_id", "snmp.error_status"];
    let (chain, v) = dissect(&udp(40000, 161, &msg), &names);
    assert_eq!(chain, "eth:ethertype:ip:udp:snmp");
    assert_eq!(v, ["1", "public", "0", "305419896", "0"]);
    // Not a BER SEQUENCE spanning the datagram: data.
    assert_eq!(dissect(&udp(40000, 161, &msg[..20]), &[]).0, "eth:ethertype:ip:udp:data");
}

#[test]
fn igmp_layers() {
    // IGMPv2 membership report for 239.255.255.250 (checksum 0xfa04 from RFC 1071's sum).
    let report = [0x16, 0x00, 0xfa, 0x04, 239, 255, 255, 250];
    let names = ["igmp.version", "igmp.type", "igmp.checksum.status", "igmp.maddr"];
    let (chain, v) = dissect(&ipv4(2, &report), &names);
    assert_eq!(chain, "eth:ethertype:ip:igmp:igmp");
    assert_eq!(v, ["2", "0x16", "1", "239.255.255.250"]);
    // An IGMPv3 report with one group record (mode is exclude, no sources).
    let mut v3 = vec![0x22, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 224, 0, 0, 252];
    let sum = v3.chunks(2).fold(0u32, |s, c| s + (u32::from(c[0]) << 8 | u32::from(c[1])));
    let ck = !((sum & 0xffff) + (sum >> 16)) as u16;
    v3[2..4].copy_from_slice(&ck.to_be_bytes());
    let (chain, v) =
        dissect(&ipv4(2, &v3), &["igmp.version", "igmp.num_grp_recs", "igmp.maddr", "igmp.checksum.status"]);
    assert_eq!(chain, "eth:ethertype:ip:igmp:igmp");
    assert_eq!(v, ["3", "1", "224.0.0.252", "1"]);
    // A type of another protocol (DVMRP): one layer.
    assert_eq!(dissect(&ipv4(2, &[0x13, 0, 0, 0, 0, 0, 0, 0]), &[]).0, "eth:ethertype:ip:igmp");
}

/// An ICMPv6 echo request inside Teredo (UDP port 3544) is a direct connectivity test: a
/// 4-byte nonce and nothing after it; the same request to another port has data.
#[test]
fn icmpv6_echo_nonce_inside_teredo() {
    let icmp = [0x80, 0, 0x6d, 0x57, 0, 1, 0x06, 0x85, 0xda, 0xdc, 0xad, 0xad, 0x00];
    let mut ip6 = vec![0x60, 0, 0, 0, 0, icmp.len() as u8, 58, 0x15];
    ip6.extend_from_slice(&[0x20, 0x01, 0, 0, 0x41, 0x37, 0x9e, 0x50, 0x80, 0, 0xf1, 0x2a, 0xb9, 0xc8, 0x28, 0x15]);
    ip6.extend_from_slice(&[0x20, 0x01, 0x48, 0x60, 0, 0, 0x20, 0x01, 0, 0, 0, 0, 0, 0, 0, 0x68]);
    ip6.extend_from_slice(&icmp);
    let (p, v) = dissect(&udp(51812, 3544, &ip6), &["icmpv6.nonce", "icmpv6.echo.sequence_number"]);
    assert_eq!(p, "eth:ethertype:ip:udp:teredo:ipv6:icmpv6");
    assert_eq!(v, ["dadcadad", "1669"]);
    let (p, v) = dissect(&udp(3544, 51812, &ip6), &["icmpv6.nonce"]);
    assert_eq!(p, "eth:ethertype:ip:udp:teredo:ipv6:icmpv6:data");
    assert_eq!(v, [""]);
}
