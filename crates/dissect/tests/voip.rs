//! SIP with an SDP offer on UDP port 5060, then RTP and RTCP datagrams to the endpoint the
//! offer announced (tshark 4.0.17 sets up the conversations at the offer's frame: RTP on the
//! media port, RTCP on the next). Hostile truncations and byte changes never panic.

use pcaptk_dissect::{field, Dissector, FieldId, FrameMeta, Tree, Value};

const SIP: &str = "INVITE sip:bob@example.com SIP/2.0\r\n\
Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n\
From: \"Alice\" <sip:alice@example.org>;tag=abc\r\n\
To: <sip:bob@example.com>\r\n\
Call-ID: 1234@10.0.0.1\r\n\
CSeq: 1 INVITE\r\n\
Content-Type: application/sdp\r\n\
Content-Length: 74\r\n\
\r\n\
v=0\r\n\
o=a 1 1 IN IP4 10.0.0.1\r\n\
c=IN IP4 10.0.0.1\r\n\
m=audio 30000 RTP/AVP 0\r\n";

/// An Ethernet/IPv4/UDP frame from `src:sport` to `dst:dport`.
fn udp(src: [u8; 4], sport: u16, dst: [u8; 4], dport: u16, payload: &[u8]) -> Vec<u8> {
    let ulen = 8 + payload.len();
    let ip_len = 20 + ulen;
    let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0];
    f.extend_from_slice(&[0x45, 0, (ip_len >> 8) as u8, ip_len as u8, 0, 1, 0x40, 0, 64, 17, 0, 0]);
    f.extend_from_slice(&src);
    f.extend_from_slice(&dst);
    f.extend_from_slice(&sport.to_be_bytes());
    f.extend_from_slice(&dport.to_be_bytes());
    f.extend_from_slice(&(ulen as u16).to_be_bytes());
    f.extend_from_slice(&[0, 0]);
    f.extend_from_slice(payload);
    f
}

const A: [u8; 4] = [10, 0, 0, 1];
const B: [u8; 4] = [10, 0, 0, 2];

fn frames() -> Vec<Vec<u8>> {
    let rtp = [0x80, 0x00, 0x00, 0x01, 0, 0, 0, 160, 0x11, 0x22, 0x33, 0x44, 0xff, 0xff];
    let rtcp = [0x80, 201, 0, 1, 0x11, 0x22, 0x33, 0x44];
    vec![udp(A, 5060, B, 5060, SIP.as_bytes()), udp(B, 40000, A, 30000, &rtp), udp(B, 40001, A, 30001, &rtcp)]
}

fn id(name: &str) -> FieldId {
    field::lookup(name).unwrap_or_else(|| panic!("{name} not in the field table"))
}

/// Each frame's values of `names`, as text.
fn values(frames: &[Vec<u8>], names: &[&str]) -> Vec<Vec<Vec<String>>> {
    let ids: Vec<FieldId> = names.iter().map(|n| id(n)).collect();
    let mut d = Dissector::new(ids.iter().copied());
    let mut out = Vec::new();
    for (i, f) in frames.iter().enumerate() {
        let mut tree = Tree::default();
        let meta = FrameMeta::synthetic(i as u32 + 1, 1_700_000_000_000_000_000 + i as i64, f.len() as u32, 1);
        d.dissect(&meta, f, &mut tree);
        let view = tree.view(f);
        out.push(
            ids.iter()
                .map(|&fid| {
                    tree.items
                        .iter()
                        .filter(|it| it.id == fid)
                        .filter_map(|it| match it.value {
                            Value::Str(s) => Some(view.str(s).to_string()),
                            Value::U(n) => Some(n.to_string()),
                            _ => None,
                        })
                        .collect()
                })
                .collect(),
        );
    }
    out
}

#[test]
fn protocols_as_tshark() {
    let v = values(&frames(), &["frame.protocols"]);
    assert_eq!(v[0][0], ["eth:ethertype:ip:udp:sip:sdp"]);
    assert_eq!(v[1][0], ["eth:ethertype:ip:udp:rtp"]);
    assert_eq!(v[2][0], ["eth:ethertype:ip:udp:rtcp"]);
}

#[test]
fn fields_as_tshark() {
    let v = values(
        &frames(),
        &[
            "sip.Method",
            "sip.r-uri.user",
            "sip.from.user",
            "sip.from.tag",
            "sip.to.host",
            "sip.Call-ID",
            "sip.CSeq.seq",
            "sip.Content-Length",
            "sdp.connection_info.address",
            "sdp.media.port",
            "rtp.setup-frame",
            "rtp.seq",
            "rtp.timestamp",
            "rtcp.pt",
            "rtcp.setup-frame",
        ],
    );
    let f1: Vec<Vec<String>> = v[0].clone();
    let s = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(f1[0], s(&["INVITE"]));
    assert_eq!(f1[1], s(&["bob"]));
    assert_eq!(f1[2], s(&["alice"]));
    assert_eq!(f1[3], s(&["abc"]));
    assert_eq!(f1[4], s(&["example.com"]));
    assert_eq!(f1[5], s(&["1234@10.0.0.1"]));
    assert_eq!(f1[6], s(&["1"]));
    assert_eq!(f1[7], s(&["74"]));
    assert_eq!(f1[8], s(&["10.0.0.1"]));
    assert_eq!(f1[9], s(&["30000"]));
    assert_eq!(v[1][10], s(&["1"]));
    assert_eq!(v[1][11], s(&["1"]));
    assert_eq!(v[1][12], s(&["160"]));
    assert_eq!(v[2][13], s(&["201"]));
    assert_eq!(v[2][14], s(&["1"]));
}

#[test]
fn hostile_sip() {
    let sip = SIP.as_bytes();
    let mut d = Dissector::new([id("frame.protocols"), id("sip.from.user"), id("sdp.media.port")]);
    let mut tree = Tree::default();
    let mut n = 0;
    let mut run = |payload: &[u8], d: &mut Dissector| {
        n += 1;
        let f = udp(A, 5060, B, 5060, payload);
        d.dissect(&FrameMeta::synthetic(n, n as i64, f.len() as u32, 1), &f, &mut tree);
    };
    for cut in 0..sip.len() {
        run(&sip[..cut], &mut d);
    }
    for i in 0..sip.len() {
        for x in [0u8, 0xff, b' ', b'<', b'>', b':', b'\n', b'@'] {
            let mut p = sip.to_vec();
            p[i] = x;
            run(&p, &mut d);
        }
    }
}
