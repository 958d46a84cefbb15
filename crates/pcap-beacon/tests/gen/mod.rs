//! A capture generator for the tests: Ethernet/IPv4 TCP sessions (TLS ClientHello with SNI,
//! HTTP request with Host, or opaque bytes), DNS lookups, and real packets from other
//! captures, written as one nanosecond pcap in time order.

#![allow(dead_code)]

use std::net::Ipv4Addr;
use std::path::Path;

/// A small deterministic generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [-1, 1).
    pub fn sym(&mut self) -> f64 {
        self.unit() * 2.0 - 1.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    pub fn exp(&mut self, mean: f64) -> f64 {
        -mean * (1.0 - self.unit()).ln()
    }
    /// Log-normal with median `median` and log-sd `sigma` (Box-Muller).
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        let (u1, u2) = (1.0 - self.unit(), self.unit());
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        median * (sigma * z).exp()
    }
}

/// Packets of the capture being built: (time in ns, frame bytes, original length).
#[derive(Default)]
pub struct Capture {
    pub packets: Vec<(i64, Vec<u8>, u32)>,
}

const CLIENT_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 1];
const SERVER_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 2];

fn checksum(b: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for c in b.chunks(2) {
        sum += u32::from(u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

fn ipv4(src: Ipv4Addr, dst: Ipv4Addr, proto: u8, payload: &[u8], to_server: bool) -> Vec<u8> {
    let mut f = Vec::with_capacity(34 + payload.len());
    let (smac, dmac) = if to_server { (CLIENT_MAC, SERVER_MAC) } else { (SERVER_MAC, CLIENT_MAC) };
    f.extend_from_slice(&dmac);
    f.extend_from_slice(&smac);
    f.extend_from_slice(&[0x08, 0x00]);
    let total = (20 + payload.len()) as u16;
    let mut h = vec![0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, proto, 0, 0];
    h[2..4].copy_from_slice(&total.to_be_bytes());
    h.extend_from_slice(&src.octets());
    h.extend_from_slice(&dst.octets());
    let c = checksum(&h);
    h[10..12].copy_from_slice(&c.to_be_bytes());
    f.extend_from_slice(&h);
    f.extend_from_slice(payload);
    f
}

#[allow(clippy::too_many_arguments)]
fn tcp(src: Ipv4Addr, sport: u16, dst: Ipv4Addr, dport: u16, seq: u32, ack: u32, flags: u8, payload: &[u8], to_server: bool) -> Vec<u8> {
    let mut t = Vec::with_capacity(20 + payload.len());
    t.extend_from_slice(&sport.to_be_bytes());
    t.extend_from_slice(&dport.to_be_bytes());
    t.extend_from_slice(&seq.to_be_bytes());
    t.extend_from_slice(&ack.to_be_bytes());
    t.extend_from_slice(&[0x50, flags, 0xfa, 0xf0, 0, 0, 0, 0]);
    t.extend_from_slice(payload);
    ipv4(src, dst, 6, &t, to_server)
}

fn udp(src: Ipv4Addr, sport: u16, dst: Ipv4Addr, dport: u16, payload: &[u8], to_server: bool) -> Vec<u8> {
    let mut u = Vec::with_capacity(8 + payload.len());
    u.extend_from_slice(&sport.to_be_bytes());
    u.extend_from_slice(&dport.to_be_bytes());
    u.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    u.extend_from_slice(&[0, 0]);
    u.extend_from_slice(payload);
    ipv4(src, dst, 17, &u, to_server)
}

/// A TLS 1.2 record holding a ClientHello with the server name and `pad` bytes of padding.
pub fn client_hello(name: &str, pad: usize) -> Vec<u8> {
    let mut sni = Vec::new();
    let n = name.as_bytes();
    sni.extend_from_slice(&((n.len() + 3) as u16).to_be_bytes());
    sni.push(0);
    sni.extend_from_slice(&(n.len() as u16).to_be_bytes());
    sni.extend_from_slice(n);
    let mut ext = Vec::new();
    ext.extend_from_slice(&[0, 0]);
    ext.extend_from_slice(&(sni.len() as u16).to_be_bytes());
    ext.extend_from_slice(&sni);
    ext.extend_from_slice(&[0, 21]);
    ext.extend_from_slice(&(pad as u16).to_be_bytes());
    ext.extend(std::iter::repeat_n(0, pad));
    let mut body = vec![0x03, 0x03];
    body.extend((0..32).map(|i| i as u8));
    body.push(0);
    body.extend_from_slice(&[0, 2, 0x13, 0x01, 1, 0]);
    body.extend_from_slice(&(ext.len() as u16).to_be_bytes());
    body.extend_from_slice(&ext);
    let mut hs = vec![1];
    hs.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    hs.extend_from_slice(&body);
    let mut rec = vec![0x16, 0x03, 0x01];
    rec.extend_from_slice(&(hs.len() as u16).to_be_bytes());
    rec.extend_from_slice(&hs);
    rec
}

pub fn http_request(host: &str, pad: usize) -> Vec<u8> {
    format!("GET /api/v1/ping?{} HTTP/1.1\r\nHost: {}\r\nUser-Agent: agent\r\nAccept: */*\r\n\r\n", "x".repeat(pad), host).into_bytes()
}

fn dns_name(name: &str) -> Vec<u8> {
    let mut v = Vec::new();
    for label in name.split('.') {
        v.push(label.len() as u8);
        v.extend_from_slice(label.as_bytes());
    }
    v.push(0);
    v
}

impl Capture {
    fn push(&mut self, t: f64, frame: Vec<u8>) {
        let len = frame.len() as u32;
        self.packets.push(((t * 1e9) as i64, frame, len));
    }

    /// One TCP connection: handshake, a request, a response, and the close.
    #[allow(clippy::too_many_arguments)]
    pub fn tcp_session(&mut self, t: f64, client: Ipv4Addr, cport: u16, server: Ipv4Addr, sport: u16, request: &[u8], response: usize) {
        let rtt = 0.02;
        let (cs, ss) = (1000u32, 5000u32);
        let req_end = cs + 1 + request.len() as u32;
        let resp = vec![0x17u8; response];
        let resp_end = ss + 1 + response as u32;
        self.push(t, tcp(client, cport, server, sport, cs, 0, 0x02, &[], true));
        self.push(t + rtt, tcp(server, sport, client, cport, ss, cs + 1, 0x12, &[], false));
        self.push(t + 2.0 * rtt, tcp(client, cport, server, sport, cs + 1, ss + 1, 0x10, &[], true));
        self.push(t + 2.0 * rtt, tcp(client, cport, server, sport, cs + 1, ss + 1, 0x18, request, true));
        self.push(t + 3.0 * rtt, tcp(server, sport, client, cport, ss + 1, req_end, 0x18, &resp, false));
        self.push(t + 4.0 * rtt, tcp(client, cport, server, sport, req_end, resp_end, 0x11, &[], true));
        self.push(t + 5.0 * rtt, tcp(server, sport, client, cport, resp_end, req_end + 1, 0x11, &[], false));
        self.push(t + 6.0 * rtt, tcp(client, cport, server, sport, req_end + 1, resp_end + 1, 0x10, &[], true));
    }

    /// A lone SYN (a connection attempt nobody answers).
    pub fn syn(&mut self, t: f64, client: Ipv4Addr, cport: u16, server: Ipv4Addr, sport: u16) {
        self.push(t, tcp(client, cport, server, sport, 1000, 0, 0x02, &[], true));
    }

    /// A DNS lookup of `name` answered with `addr`.
    pub fn dns_lookup(&mut self, t: f64, client: Ipv4Addr, resolver: Ipv4Addr, name: &str, addr: Ipv4Addr, id: u16) {
        let q = dns_name(name);
        let mut query = Vec::new();
        query.extend_from_slice(&id.to_be_bytes());
        query.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
        query.extend_from_slice(&q);
        query.extend_from_slice(&[0, 1, 0, 1]);
        let mut answer = query.clone();
        answer[2..4].copy_from_slice(&[0x81, 0x80]);
        answer[6..8].copy_from_slice(&[0, 1]);
        answer.extend_from_slice(&[0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4]);
        answer.extend_from_slice(&addr.octets());
        self.push(t, udp(client, 53000 + id % 1000, resolver, 53, &query, true));
        self.push(t + 0.01, udp(resolver, 53, client, 53000 + id % 1000, &answer, false));
    }

    /// Adds packets read by `load_real` with their times moved so the first lands at `at`
    /// (seconds); packets later than `until` are left out.
    pub fn add_real(&mut self, packets: &[(i64, Vec<u8>, u32)], at: f64, until: f64) {
        for (rel, data, len) in packets {
            let t = (at * 1e9) as i64 + rel;
            if t > (until * 1e9) as i64 {
                break;
            }
            self.packets.push((t, data.clone(), *len));
        }
    }

    /// Writes a nanosecond-resolution Ethernet pcap, packets in time order.
    pub fn write(&mut self, path: &Path) {
        self.packets.sort_by_key(|p| p.0);
        let mut out = Vec::new();
        out.extend_from_slice(&0xa1b2_3c4du32.to_le_bytes());
        out.extend_from_slice(&2u16.to_le_bytes());
        out.extend_from_slice(&4u16.to_le_bytes());
        out.extend_from_slice(&[0; 8]);
        out.extend_from_slice(&262_144u32.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        for (t, data, len) in &self.packets {
            out.extend_from_slice(&((t / 1_000_000_000) as u32).to_le_bytes());
            out.extend_from_slice(&((t % 1_000_000_000) as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&len.to_le_bytes());
            out.extend_from_slice(data);
        }
        std::fs::write(path, out).expect("write the generated capture");
    }
}

/// The Ethernet packets of a capture, times relative to its first packet (empty when the file
/// cannot be read).
pub fn load_real(path: &Path) -> Vec<(i64, Vec<u8>, u32)> {
    let Ok(mut r) = pcaptk_capture::CaptureReader::open(&path.to_string_lossy()) else { return Vec::new() };
    let mut first = None;
    let mut out = Vec::new();
    while let Ok(Some(p)) = r.next_packet() {
        if p.linktype != 1 {
            continue;
        }
        let t0 = *first.get_or_insert(p.ts_ns);
        if p.ts_ns < t0 {
            continue;
        }
        out.push((p.ts_ns - t0, p.data.to_vec(), p.len));
    }
    out
}
