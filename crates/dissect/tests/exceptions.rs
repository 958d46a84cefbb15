//! tshark's exception items: a header cut off by the snapshot length gives `_ws.short`, a
//! message shorter than its fixed part `_ws.malformed`. Both are top-level tree items that
//! `io,phs` counts (in `Dissector::protocol_path`) and never layers of `frame.protocols`.

use pcaptk_dissect::tree::{render_field, Tree};
use pcaptk_dissect::{lookup, Dissector, FrameMeta};

/// Ethernet + IPv4 carrying `l4` with IP protocol `proto`.
fn ipv4_frame(proto: u8, l4: &[u8]) -> Vec<u8> {
    let mut f = vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00];
    let total = (20 + l4.len()) as u16;
    f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, proto, 0, 0]);
    f.extend_from_slice(&[10, 0, 0, 2, 10, 0, 0, 1]);
    f.extend_from_slice(l4);
    f
}

/// The protocol path and `frame.protocols` of `frame`, captured up to `caplen` bytes.
fn dissect(frame: &[u8], caplen: usize) -> (String, String) {
    let mut d = Dissector::new([lookup("frame.protocols").unwrap()]);
    let mut tree = Tree::default();
    let meta = FrameMeta::synthetic(1, 0, frame.len() as u32, 1);
    let data = &frame[..caplen];
    d.dissect(&meta, data, &mut tree);
    let path = d.protocol_path().join(":");
    let v = tree.view(data);
    let mut s = String::new();
    render_field(&v, v.items.iter().find(|i| i.id == lookup("frame.protocols").unwrap()).unwrap(), &mut s);
    (path, s)
}

fn tcp_syn(options: &[u8]) -> Vec<u8> {
    let hl = 20 + options.len();
    let mut t =
        vec![0x1f, 0x90, 0x9c, 0x40, 0, 0, 0, 1, 0, 0, 0, 0, ((hl / 4) << 4) as u8, 0x02, 0xff, 0xff, 0, 0, 0, 0];
    t.extend_from_slice(options);
    t
}

#[test]
fn ipv4_header_cut_by_the_snapshot_length_is_short() {
    let f = ipv4_frame(6, &tcp_syn(&[]));
    let (path, protocols) = dissect(&f, 14 + 10);
    assert_eq!(path, "eth:ethertype:ip:_ws.short");
    assert_eq!(protocols, "eth:ethertype:ip");
    // The whole header captured: no exception.
    let (path, _) = dissect(&f, f.len());
    assert_eq!(path, "eth:ethertype:ip:tcp");
}

#[test]
fn tcp_options_cut_by_the_snapshot_length_are_short() {
    let f = ipv4_frame(6, &tcp_syn(&[2, 4, 5, 0xb4, 1, 1, 4, 2]));
    let (path, protocols) = dissect(&f, f.len() - 4);
    assert_eq!(path, "eth:ethertype:ip:tcp:_ws.short");
    assert_eq!(protocols, "eth:ethertype:ip:tcp");
    let (path, _) = dissect(&f, f.len());
    assert_eq!(path, "eth:ethertype:ip:tcp");
}

/// A BOOTP message (client port 68 → server port 67) of `len` bytes with the given cookie.
fn bootp(len: usize, cookie: [u8; 4]) -> Vec<u8> {
    let mut m = vec![0u8; len.max(240)];
    m[0] = 1;
    m[1] = 1;
    m[2] = 6;
    m[236..240].copy_from_slice(&cookie);
    m.truncate(len);
    let mut u = vec![0, 68, 0, 67];
    u.extend_from_slice(&((8 + m.len()) as u16).to_be_bytes());
    u.extend_from_slice(&[0, 0]);
    u.extend_from_slice(&m);
    u
}

#[test]
fn bootp_without_the_cookie_needs_its_vendor_area() {
    // No DHCP cookie: tshark reads a 64-byte vendor area, past the end of a 248-byte message.
    let f = ipv4_frame(17, &bootp(248, [0, 0, 0, 0]));
    let (path, protocols) = dissect(&f, f.len());
    assert_eq!(path, "eth:ethertype:ip:udp:dhcp:_ws.malformed");
    assert_eq!(protocols, "eth:ethertype:ip:udp:dhcp");
    // The same message with its vendor area, or with the cookie: no exception.
    let f = ipv4_frame(17, &bootp(300, [0, 0, 0, 0]));
    assert_eq!(dissect(&f, f.len()).0, "eth:ethertype:ip:udp:dhcp");
    let mut m = bootp(248, [0x63, 0x82, 0x53, 0x63]);
    m[8 + 240] = 255;
    let f = ipv4_frame(17, &m);
    assert_eq!(dissect(&f, f.len()).0, "eth:ethertype:ip:udp:dhcp");
}
