//! DER builders for the Kerberos tests: the messages a KDC and a client exchange (RFC 4120),
//! and a pcap of them over UDP port 88.

pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut v = vec![tag];
    let n = content.len();
    if n < 0x80 {
        v.push(n as u8);
    } else if n < 0x100 {
        v.extend_from_slice(&[0x81, n as u8]);
    } else {
        v.extend_from_slice(&[0x82, (n >> 8) as u8, n as u8]);
    }
    v.extend_from_slice(content);
    v
}
pub fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}
pub fn ctx(n: u8, inner: Vec<u8>) -> Vec<u8> {
    tlv(0xa0 + n, &inner)
}
pub fn int(v: u8) -> Vec<u8> {
    tlv(0x02, &[v])
}
pub fn gstr(s: &str) -> Vec<u8> {
    tlv(0x1b, s.as_bytes())
}
pub fn principal(kind: u8, names: &[&str]) -> Vec<u8> {
    seq(&[ctx(0, int(kind)), ctx(1, seq(&names.iter().map(|n| gstr(n)).collect::<Vec<_>>()))])
}
pub fn enc_data(etype: u8, cipher: Vec<u8>) -> Vec<u8> {
    seq(&[ctx(0, int(etype)), ctx(2, tlv(0x04, &cipher))])
}

pub fn udp_pcap(messages: &[(bool, Vec<u8>)]) -> Vec<u8> {
    let mut pcap = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 1, 0, 0, 0];
    for (i, (to_kdc, payload)) in messages.iter().enumerate() {
        let (src, dst, sp, dp) = if *to_kdc { ([10, 0, 0, 1], [10, 0, 0, 2], 50000u16, 88u16) } else { ([10, 0, 0, 2], [10, 0, 0, 1], 88, 50000) };
        let mut f = vec![0u8; 12];
        f.extend_from_slice(&[8, 0]);
        let total = 20 + 8 + payload.len();
        f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 0, 0x40, 0, 64, 17, 0, 0]);
        f.extend_from_slice(&src);
        f.extend_from_slice(&dst);
        f.extend_from_slice(&sp.to_be_bytes());
        f.extend_from_slice(&dp.to_be_bytes());
        f.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
        f.extend_from_slice(&[0, 0]);
        f.extend_from_slice(payload);
        pcap.extend_from_slice(&(1_700_000_000u32 + i as u32).to_le_bytes());
        pcap.extend_from_slice(&0u32.to_le_bytes());
        pcap.extend_from_slice(&(f.len() as u32).to_le_bytes());
        pcap.extend_from_slice(&(f.len() as u32).to_le_bytes());
        pcap.extend_from_slice(&f);
    }
    pcap
}

pub fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}
