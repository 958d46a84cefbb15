//! TCP leaves alone the conversations that cannot carry a protocol the command needs: a
//! DNS-only command keeps no state for an HTTP conversation, an HTTP command does, and
//! anything that needs every conversation (`frame.protocols`, `tcp.stream`, taps) gets
//! every one.

use pcaptk_dissect::proto::{bodies_matter, tcp_app, tcp_apps_needed, transport_only};
use pcaptk_dissect::tree::{render_field, Tree};
use pcaptk_dissect::{field, lookup, Dissector, FrameMeta};

fn want(names: &[&str]) -> Vec<bool> {
    let mut w = vec![false; field::count()];
    for n in names {
        w[lookup(n).expect("known field").index()] = true;
    }
    w
}

#[test]
fn needed_protocols_follow_the_fields() {
    assert_eq!(tcp_apps_needed(&want(&["dns.qry.name", "ip.src", "tcp.dstport"])), Some(tcp_app::DNS));
    assert_eq!(tcp_apps_needed(&want(&["http.host"])), Some(tcp_app::HTTP));
    let tls = tcp_apps_needed(&want(&["tls.handshake.extensions_server_name"])).unwrap();
    // TLS also comes after STARTTLS in mail and after an HTTP CONNECT.
    assert_eq!(tls & (tcp_app::TLS | tcp_app::SMTP | tcp_app::HTTP), tcp_app::TLS | tcp_app::SMTP | tcp_app::HTTP);
    assert_eq!(tls & tcp_app::DNS, 0);
    assert_eq!(tcp_apps_needed(&want(&["frame.number", "ip.dst"])), Some(0));
    // Every conversation: the protocol chain, reassembly fields, protocols not placed.
    assert_eq!(tcp_apps_needed(&want(&["dns.qry.name", "frame.protocols"])), None);
    assert_eq!(tcp_apps_needed(&want(&["http.host", "tcp.reassembled.length"])), None);
    assert_eq!(tcp_apps_needed(&want(&["ntlmssp.auth.username"])), None);
}

/// An Ethernet + IPv4 + TCP frame.
fn tcp_frame(sport: u16, dport: u16, seq: u32, flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00];
    let total = (40 + payload.len()) as u16;
    f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, 6, 0, 0]);
    f.extend_from_slice(&[10, 0, 0, 1, 10, 0, 0, 2]);
    f.extend_from_slice(&sport.to_be_bytes());
    f.extend_from_slice(&dport.to_be_bytes());
    f.extend_from_slice(&seq.to_be_bytes());
    f.extend_from_slice(&[0, 0, 0, 0, 0x50, flags, 0xff, 0xff, 0, 0, 0, 0]);
    f.extend_from_slice(payload);
    f
}

/// Streams remembered after an HTTP request on port 80, a TLS-looking one on port 47123,
/// and a DNS query over TCP on port 53.
fn streams_after(fields: &[&str], taps: bool) -> usize {
    let mut d = Dissector::new(fields.iter().map(|n| lookup(n).expect("known field")));
    let mut tree = Tree { record_taps: taps, ..Tree::default() };
    let dns_query = [0, 17, 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, b'a', 0, 0, 1, 0, 1];
    let frames = [
        tcp_frame(40000, 80, 1, 0x18, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
        tcp_frame(40001, 47123, 1, 0x18, &[0x16, 3, 1, 0, 4, 1, 0, 0, 0]),
        tcp_frame(40002, 53, 1, 0x18, &dns_query),
    ];
    for (i, f) in frames.iter().enumerate() {
        let meta = FrameMeta::synthetic(i as u32 + 1, 0, f.len() as u32, 1);
        d.dissect(&meta, f, &mut tree);
    }
    d.tcp_streams()
}

#[test]
fn conversations_that_cannot_carry_a_needed_protocol_get_no_state() {
    assert_eq!(streams_after(&["dns.qry.name"], false), 1);
    // HTTP: port 80, and port 47123 (no dissector: tshark's heuristics look at it).
    assert_eq!(streams_after(&["http.host"], false), 2);
    assert_eq!(streams_after(&["dns.qry.name", "frame.protocols"], false), 3);
    assert_eq!(streams_after(&["dns.qry.name", "tcp.stream"], false), 3);
    assert_eq!(streams_after(&["dns.qry.name"], true), 3);
}

#[test]
fn transport_only_commands_are_recognised() {
    assert!(transport_only(&want(&["frame.number", "ip.src", "tcp.dstport", "udp.port", "eth.src", "vxlan.vni"])));
    assert!(!transport_only(&want(&["ip.src", "frame.protocols"])));
    assert!(!transport_only(&want(&["ip.src", "dns.qry.name"])));
    assert!(!transport_only(&want(&["tcp.payload"])));
    assert!(!transport_only(&want(&["tftp.opcode"])));
    assert!(!transport_only(&want(&["data.data"])));
}

/// An Ethernet + IPv4 + UDP frame.
fn udp_frame(sport: u16, dport: u16, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00];
    let total = (28 + payload.len()) as u16;
    f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, 17, 0, 0]);
    f.extend_from_slice(&[10, 0, 0, 1, 10, 0, 0, 2]);
    f.extend_from_slice(&sport.to_be_bytes());
    f.extend_from_slice(&dport.to_be_bytes());
    f.extend_from_slice(&(8 + payload.len() as u16).to_be_bytes());
    f.extend_from_slice(&[0, 0]);
    f.extend_from_slice(payload);
    f
}

/// Each frame's rendered values of `field`, dissected for `fields`.
fn values(fields: &[&str], field: &str, frames: &[Vec<u8>]) -> Vec<String> {
    let mut d = Dissector::new(fields.iter().map(|n| lookup(n).expect("known field")));
    let id = lookup(field).expect("known field");
    let mut tree = Tree::default();
    let mut out = Vec::new();
    for (i, f) in frames.iter().enumerate() {
        let meta = FrameMeta::synthetic(i as u32 + 1, 0, f.len() as u32, 1);
        d.dissect(&meta, f, &mut tree);
        let view = tree.view(f);
        let mut line = String::new();
        for item in view.items.iter().filter(|i| i.id == id) {
            line.push(' ');
            render_field(&view, item, &mut line);
        }
        out.push(line);
    }
    out
}

#[test]
fn transport_only_commands_still_see_inside_tunnels() {
    // A TCP segment in VXLAN (UDP port 4789), a DNS query, and the same TCP segment in a
    // datagram to a port that carries no tunnel.
    let mut vxlan = vec![0x08, 0, 0, 0, 0, 0, 42, 0];
    vxlan.extend(tcp_frame(40000, 8443, 1, 0x02, &[]));
    let dns_query = [0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, b'a', 0, 0, 1, 0, 1];
    let frames = vec![udp_frame(50000, 4789, &vxlan), udp_frame(50001, 53, &dns_query), udp_frame(50002, 9999, &vxlan)];
    let only = values(&["ip.src", "tcp.dstport"], "tcp.dstport", &frames);
    assert_eq!(only, [" 8443", "", ""]);
    // The same values when the command needs every layer.
    assert_eq!(values(&["ip.src", "tcp.dstport", "frame.protocols"], "tcp.dstport", &frames), only);
    assert_eq!(values(&["ip.src", "tcp.dstport"], "ip.src", &frames), [" 10.0.0.1 10.0.0.1", " 10.0.0.1", " 10.0.0.1"]);
}

/// The tap records of a TCP frame (for tables of `pcap-stats`), with TCP's taps skipped.
fn taps_when_tcp_taps_skipped(fields: &[&str]) -> (usize, usize, bool) {
    use pcaptk_dissect::Tap;
    let mut d = Dissector::new(fields.iter().map(|n| lookup(n).expect("known field")));
    d.transport_taps();
    d.skip_tcp_taps();
    let mut tree = Tree { record_taps: true, ..Tree::default() };
    let f = tcp_frame(40000, 80, 1, 0x18, b"GET / HTTP/1.1\r\n\r\n");
    d.dissect(&FrameMeta::synthetic(1, 0, f.len() as u32, 1), &f, &mut tree);
    let ip = tree.taps.iter().filter(|t| matches!(t, Tap::Ip { .. })).count();
    let tcp = tree.taps.iter().filter(|t| matches!(t, Tap::Tcp { .. })).count();
    let port = tree.items.iter().any(|i| i.id == lookup("tcp.dstport").unwrap());
    (ip, tcp, port)
}

#[test]
fn skipped_tcp_taps_leave_tcp_unread_unless_a_tcp_field_is_wanted() {
    // A table of IP endpoints: the IP record only.
    assert_eq!(taps_when_tcp_taps_skipped(&[]), (1, 0, false));
    // A filter on a TCP field: TCP is read (its record comes too; nothing reads it).
    assert_eq!(taps_when_tcp_taps_skipped(&["tcp.dstport"]), (1, 1, true));
    // Anything above the transport layer wanted: TCP is read.
    assert_eq!(taps_when_tcp_taps_skipped(&["http.host"]).1, 1);
}

#[test]
fn bodies_are_read_only_when_a_field_can_come_from_one() {
    // HTTP's own fields, the layers under it and TLS: never from inside a body.
    assert!(!bodies_matter(&want(&["http.host", "http.request.uri", "ip.src", "tcp.stream"])));
    assert!(!bodies_matter(&want(&["tls.handshake.extensions_server_name", "tls.handshake.type"])));
    // The protocol chain, certificates (OCSP bodies), any other protocol.
    assert!(bodies_matter(&want(&["http.host", "frame.protocols"])));
    assert!(bodies_matter(&want(&["tls.handshake.type", "x509af.version"])));
    assert!(bodies_matter(&want(&["dns.qry.name"])));
}
