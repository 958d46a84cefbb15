//! X.509 inside a TLS Certificate message: a self-signed ECDSA P-256 certificate made with
//! `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -outform DER` (subject
//! C, O, CN; subjectAltName with two DNS names and a directory name; certificatePolicies
//! with a CPS pointer; authorityInfoAccess; basicConstraints), sent alone in a TLS 1.2
//! record from port 443. tshark 4.0.17 gives that frame (written to a pcap) the protocols
//! and fields asserted below; hostile variants of the certificate must never panic.

use pcaptk_dissect::{field, Dissector, FieldId, FrameMeta, Tree, Value};

const CERT_HEX: &[&str] = &[
    "30820251308201f7a003020102021419b6d8f50de75b1c834aa979564e49c6699bbacd300a06082a8648ce3d04030230",
    "37310b300906035504061302465231143012060355040a0c0b50636170746b20546573743112301006035504030c0978",
    "3530392e74657374301e170d3236313132383135333931365a170d3336313132353135333931365a3037310b30090603",
    "5504061302465231143012060355040a0c0b50636170746b20546573743112301006035504030c09783530392e746573",
    "743059301306072a8648ce3d020106082a8648ce3d03010703420004236ecb5424b00d927709a7fcffcceab612b0f4b5",
    "1bdc18a925d763fd14b34be014c2f50a8509d437b273ad7d5fb06a1fff468161d9e4d7606516dc8a2defc265a381e030",
    "81dd30420603551d11043b30398209783530392e74657374820d7777772e783530392e74657374a41d301b310b300906",
    "0355040613024445310c300a06035504030c03416c7430370603551d200430302e302c060667810c0102013022302006",
    "082b060105050702011614687474703a2f2f6370732e783530392e74657374303106082b060105050701010425302330",
    "2106082b060105050730018615687474703a2f2f6f6373702e783530392e74657374300c0603551d130101ff04023000",
    "301d0603551d0e0416041459335f281026c5ecb5dd3b9d3cd4dcf27088781e300a06082a8648ce3d0403020348003045",
    "0221008bd15c4693c830a85d6db0d2cd4fd93022d5936e67627a62bd548f621575645f022015ae9a25403cef1a0672ff",
    "fee55fbf14aab41c4b2e630f1668ea281c74ebc98e",
];

fn cert() -> Vec<u8> {
    let hex: String = CERT_HEX.concat();
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
}

/// An Ethernet/IPv4/TCP frame from port 443 carrying one TLS 1.2 handshake record with a
/// Certificate message holding `cert`.
fn frame(cert: &[u8]) -> Vec<u8> {
    let be24 = |n: usize| [(n >> 16) as u8, (n >> 8) as u8, n as u8];
    let mut certs = be24(cert.len()).to_vec();
    certs.extend_from_slice(cert);
    let mut body = be24(certs.len()).to_vec();
    body.extend_from_slice(&certs);
    let mut hs = vec![11];
    hs.extend_from_slice(&be24(body.len()));
    hs.extend_from_slice(&body);
    let mut rec = vec![22, 3, 3, (hs.len() >> 8) as u8, hs.len() as u8];
    rec.extend_from_slice(&hs);
    let tcp = [0x01, 0xbb, 0xc3, 0x50, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0xff, 0xff, 0, 0, 0, 0];
    let ip_len = 20 + tcp.len() + rec.len();
    let ip = [0x45, 0, (ip_len >> 8) as u8, ip_len as u8, 0, 1, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2];
    let mut f = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 8, 0];
    f.extend_from_slice(&ip);
    f.extend_from_slice(&tcp);
    f.extend_from_slice(&rec);
    f
}

fn meta(len: u32) -> FrameMeta<'static> {
    FrameMeta {
        number: 1,
        ts_ns: 1_700_000_000_000_000_000,
        ts_sec: 1_700_000_000,
        ts_nsec: 0,
        len,
        linktype: 1,
        interface_id: 0,
        has_interface: false,
        interface_name: "",
        comments: &[],
    }
}

fn id(name: &str) -> FieldId {
    field::lookup(name).unwrap_or_else(|| panic!("{name} not in the field table"))
}

/// The string values of each field of `names` in the frame.
fn strings(data: &[u8], names: &[&str]) -> Vec<Vec<String>> {
    let ids: Vec<FieldId> = names.iter().map(|n| id(n)).collect();
    let mut d = Dissector::new(ids.iter().copied());
    let mut tree = Tree::default();
    d.dissect(&meta(data.len() as u32), data, &mut tree);
    let view = tree.view(data);
    ids.iter()
        .map(|&f| {
            tree.items
                .iter()
                .filter(|it| it.id == f)
                .filter_map(|it| match it.value {
                    Value::Str(s) => Some(view.str(s).to_string()),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

#[test]
fn protocols_as_tshark() {
    let f = frame(&cert());
    let v = strings(&f, &["frame.protocols"]);
    assert_eq!(
        v[0],
        ["eth:ethertype:ip:tcp:tls:x509sat:x509sat:x509sat:x509sat:x509sat:x509sat:pkcs-1:x509ce:x509sat:x509sat:\
          x509ce:pkix1explicit:pkix1implicit:x509ce:x509ce"]
    );
}

#[test]
fn io_phs_path_keeps_x509_inside_tls() {
    let f = frame(&cert());
    let mut d = Dissector::new([id("frame.protocols")]);
    let mut tree = Tree::default();
    d.dissect(&meta(f.len() as u32), &f, &mut tree);
    let path = d.protocol_path();
    let open = path.iter().position(|&p| p == pcaptk_dissect::dissector::NESTED_OPEN).expect("nested layers marked");
    assert_eq!(path[open - 1], "tls");
    assert_eq!(path.last(), Some(&pcaptk_dissect::dissector::NESTED_CLOSE));
}

#[test]
fn fields_as_tshark() {
    let f = frame(&cert());
    let v = strings(
        &f,
        &["x509ce.dNSName", "x509sat.uTF8String", "x509sat.CountryName", "x509af.algorithm.id", "x509af.extension.id"],
    );
    assert_eq!(v[0], ["x509.test", "www.x509.test"]);
    assert_eq!(v[1], ["Pcaptk Test", "x509.test", "Pcaptk Test", "x509.test", "Alt"]);
    assert_eq!(v[2], ["FR", "FR", "DE"]);
    assert_eq!(v[3], ["1.2.840.10045.4.3.2", "1.2.840.10045.2.1", "1.2.840.10045.4.3.2"]);
    assert_eq!(v[4], ["2.5.29.17", "2.5.29.32", "1.3.6.1.5.5.7.1.1", "2.5.29.19", "2.5.29.14"]);
}

/// Every truncation of the certificate and every single-byte change (to 0x00, 0xff and
/// 0x80) dissects without panicking.
#[test]
fn hostile_certificates() {
    let c = cert();
    let mut d = Dissector::new([id("frame.protocols"), id("x509sat.printableString"), id("x509if.oid")]);
    let mut tree = Tree::default();
    for cut in 0..c.len() {
        let f = frame(&c[..cut]);
        d.dissect(&meta(f.len() as u32), &f, &mut tree);
    }
    for i in 0..c.len() {
        for b in [0x00, 0xff, 0x80] {
            let mut m = c.clone();
            m[i] = b;
            let f = frame(&m);
            d.dissect(&meta(f.len() as u32), &f, &mut tree);
        }
    }
}

/// A DER TLV (definite length).
fn tlv(tag: u8, value: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = value.len();
    if n < 0x80 {
        out.push(n as u8);
    } else if n < 0x100 {
        out.extend_from_slice(&[0x81, n as u8]);
    } else if n < 0x10000 {
        out.extend_from_slice(&[0x82, (n >> 8) as u8, n as u8]);
    } else {
        out.extend_from_slice(&[0x83, (n >> 16) as u8, (n >> 8) as u8, n as u8]);
    }
    out.extend_from_slice(value);
    out
}

/// An issuer name whose attribute is a subjectAltName (x509ce's GeneralNames) holding a
/// directory name holding the same, thousands deep: bounded, no stack overflow.
#[test]
fn deeply_nested_names() {
    let mut name = tlv(0x30, &[]);
    for _ in 0..2000 {
        // directoryName [4] { Name } inside GeneralNames, as the value of attribute 2.5.29.17.
        let gns = tlv(0x30, &tlv(0xa4, &name));
        let mut atv = tlv(0x06, &[0x55, 0x1d, 0x11]);
        atv.extend_from_slice(&gns);
        name = tlv(0x30, &tlv(0x31, &tlv(0x30, &atv)));
    }
    let mut tbs = tlv(0x02, &[1]);
    tbs.extend_from_slice(&tlv(0x30, &tlv(0x06, &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02])));
    tbs.extend_from_slice(&name);
    let c = tlv(0x30, &tlv(0x30, &tbs));
    assert!(c.len() < 60000, "fits one TLS record");
    let f = frame(&c);
    let v = strings(&f, &["frame.protocols"]);
    assert!(v[0][0].starts_with("eth:ethertype:ip:tcp:tls:x509ce"), "{}", &v[0][0][..v[0][0].len().min(120)]);
    assert!(v[0][0].split(':').count() < 64);
}
