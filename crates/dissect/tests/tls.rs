//! TLS on our loopback fixture (tests/fixtures/lo-tls.pcap, made by make-tls.sh): what the
//! dissector finds, the JA3/JA4 fingerprints (checked against values computed
//! independently from the ClientHello bytes), and hostile variants of every TLS payload
//! (cut anywhere, bytes changed anywhere, record lengths made huge) that must never panic.

use pcaptk_capture::CaptureReader;
use pcaptk_dissect::{field, Dissector, FieldId, FrameMeta, Tree, Value};
use std::path::Path;

struct Packet {
    meta_len: u32,
    ts_ns: i64,
    ts_sec: i64,
    ts_nsec: u32,
    linktype: u32,
    data: Vec<u8>,
}

fn fixture() -> Vec<Packet> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/lo-tls.pcap");
    let mut r = CaptureReader::open(path.to_str().unwrap()).expect("lo-tls.pcap");
    let mut out = Vec::new();
    while let Ok(Some(p)) = r.next_packet() {
        out.push(Packet {
            meta_len: p.len,
            ts_ns: p.ts_ns,
            ts_sec: p.ts_sec,
            ts_nsec: p.ts_nsec,
            linktype: p.linktype,
            data: p.data.to_vec(),
        });
    }
    out
}

fn meta(p: &Packet, number: u32, len: u32) -> FrameMeta<'static> {
    FrameMeta {
        number,
        ts_ns: p.ts_ns,
        ts_sec: p.ts_sec,
        ts_nsec: p.ts_nsec,
        len,
        linktype: p.linktype,
        interface_id: 0,
        has_interface: false,
        interface_name: "",
        comments: &[],
    }
}

fn id(name: &str) -> FieldId {
    field::lookup(name).unwrap_or_else(|| panic!("{name} not in the field table"))
}

/// Every string value of `name`, frame by frame (frame number, values).
fn strings(packets: &[Packet], name: &str) -> Vec<(u32, Vec<String>)> {
    let f = id(name);
    let mut d = Dissector::new([f, id("tls")]);
    let mut tree = Tree::default();
    let mut out = Vec::new();
    for (i, p) in packets.iter().enumerate() {
        let n = i as u32 + 1;
        d.dissect(&meta(p, n, p.meta_len), &p.data, &mut tree);
        let view = tree.view(&p.data);
        let v: Vec<String> = tree
            .items
            .iter()
            .filter(|it| it.id == f)
            .filter_map(|it| match it.value {
                Value::Str(s) => Some(view.str(s).to_string()),
                _ => None,
            })
            .collect();
        if !v.is_empty() {
            out.push((n, v));
        }
    }
    out
}

#[test]
fn server_names_and_alpn() {
    let p = fixture();
    let sni: Vec<(u32, Vec<String>)> = strings(&p, "tls.handshake.extensions_server_name");
    let names: Vec<&str> = sni.iter().flat_map(|(_, v)| v.iter().map(|s| s.as_str())).collect();
    assert_eq!(names, ["fixture.example", "www.fixture.example", "split.fixture.example", "refused.fixture.example"]);
    // Port 4443 is no TLS port: the heuristic found it.
    assert_eq!(sni[2].0, 40);
    let alpn = strings(&p, "tls.handshake.extensions_alpn_str");
    assert_eq!(alpn[0].1, ["h2", "http/1.1"]);
}

/// JA3 and JA4 of two OpenSSL ClientHellos, as computed from the hello's bytes by an
/// independent script (python's hashlib over the parsed lists).
#[test]
fn fingerprints() {
    let p = fixture();
    let full = strings(&p, "pcaptk.ja3_full");
    let ja3 = strings(&p, "pcaptk.ja3");
    let ja4 = strings(&p, "pcaptk.ja4");
    assert_eq!(full[0].0, 4);
    assert_eq!(
        full[0].1[0],
        "771,4866-4867-4865-255,0-11-10-35-16-22-23-13-43-45-51,29-23-30-25-24-256-257-258-259-260,0-1-2"
    );
    assert_eq!(ja3[0].1[0], "9dffdb8b608a430b774a2ff7d36c1a0c");
    assert_eq!(ja4[0].1[0], "t13d0411h2_16476d049b0b_78f1d400d464");
    let i = ja3.iter().position(|(n, _)| *n == 40).expect("ClientHello in frame 40");
    assert_eq!(ja3[i].1[0], "871a754af286dfb70c1b53c6887c62e0");
    assert_eq!(ja4[i].1[0], "t12d280700_d943125447b4_e7e480e5a997");
    // One fingerprint per ClientHello, none for other messages.
    assert_eq!(ja3.len(), 4);
}

/// Where the TCP payload of an Ethernet/IPv4/TCP frame starts.
fn payload_offset(d: &[u8]) -> Option<usize> {
    if d.len() < 34 || d[12..14] != [0x08, 0x00] {
        return None;
    }
    let ihl = (d[14] & 0x0f) as usize * 4;
    let tcp = 14 + ihl;
    let off = tcp + (*d.get(tcp + 12)? >> 4) as usize * 4;
    (off < d.len()).then_some(off)
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// The whole capture, many times over, each time with every TLS payload changed: cut at
/// a random point (the wire length kept, as a snapshot length does), bytes overwritten
/// anywhere, record and handshake lengths set to extremes. One dissector per round, so
/// the damage also reaches conversation state (reassembly across records and segments).
#[test]
fn hostile_payloads_never_panic() {
    let packets = fixture();
    let all: Vec<FieldId> = (0..field::count()).map(|i| FieldId(i as u16)).collect();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for round in 0..300 {
        let mut d = Dissector::new(all.iter().copied());
        let mut tree = Tree::default();
        for (i, p) in packets.iter().enumerate() {
            let mut data = p.data.clone();
            let mut len = p.meta_len;
            if let Some(off) = payload_offset(&data) {
                let n = data.len() - off;
                match round % 4 {
                    0 => {
                        let cut = off + (rng.next() as usize) % n;
                        data.truncate(cut);
                    }
                    1 => {
                        for _ in 0..1 + rng.next() % 6 {
                            let j = off + (rng.next() as usize) % n;
                            data[j] = rng.next() as u8;
                        }
                    }
                    2 => {
                        // Lengths: record length (3..5), handshake length (6..9), anything after.
                        for j in [off + 3, off + 4, off + 6, off + 7, off + 8] {
                            if j < data.len() && rng.next() % 2 == 0 {
                                data[j] = [0x00, 0xff, 0x7f, 0x01][(rng.next() % 4) as usize];
                            }
                        }
                    }
                    _ => {
                        let keep = (rng.next() as usize) % n;
                        for b in &mut data[off + keep..] {
                            *b = rng.next() as u8;
                        }
                        len = len.max(data.len() as u32);
                    }
                }
            }
            d.dissect(&meta(p, i as u32 + 1, len), &data, &mut tree);
            assert!(tree.items.len() < 100_000, "round {round} frame {}: {} items", i + 1, tree.items.len());
        }
    }
}
