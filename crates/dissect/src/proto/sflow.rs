//! InMon sFlow version 5 (UDP port 6343): the datagram header and its samples; a flow
//! sample's raw packet header record of an Ethernet frame is dissected (inside sFlow's
//! item) from the link layer up.
crate::declare_fields! {
    after = super::iwarp::END;
    PROTO = "sflow", "InMon sFlow", Protocol, None;
    VERSION = "sflow_245.version", "Datagram version", U32, Dec;
    AGENT = "sflow_245.agent", "Agent address", Ipv4, None;
    SEQUENCE_NUMBER = "sflow_245.sequence_number", "Sequence number", U32, Dec;
    SYSUPTIME = "sflow_245.sysuptime", "SysUptime", U32, Dec;
    NUMSAMPLES = "sflow_245.numsamples", "NumSamples", U32, Dec;
    HEADER_PROTOCOL = "sflow_245.header_protocol", "Header protocol", U32, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

/// Samples read at most from one datagram.
const MAX_SAMPLES: u32 = 1000;

/// An sFlow datagram in `off..end`.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "sflow", b.span_to(off, end));
    let b = b.until(end);
    let Some(version) = b.be32(off) else { return };
    cx.u(VERSION, version, b.span(off, 4));
    if version != 5 {
        return;
    }
    let Some(atype) = b.be32(off + 4) else { return };
    let mut p = off + 8;
    match atype {
        1 => {
            if let Some(a) = b.arr::<4>(p) {
                cx.add(AGENT, Value::Ipv4(a), b.span(p, 4));
            }
            p += 4;
        }
        2 => p += 16,
        _ => return,
    }
    // Sub-agent ID, sequence number, uptime, sample count.
    let (Some(seq), Some(up), Some(n)) = (b.be32(p + 4), b.be32(p + 8), b.be32(p + 12)) else { return };
    cx.u(SEQUENCE_NUMBER, seq, b.span(p + 4, 4));
    cx.u(SYSUPTIME, up, b.span(p + 8, 4));
    cx.u(NUMSAMPLES, n, b.span(p + 12, 4));
    p += 16;
    for _ in 0..n.min(MAX_SAMPLES) {
        let (Some(fmt), Some(len)) = (b.be32(p), b.be32(p + 4)) else { return };
        let body = p + 8;
        let send = body + len as usize;
        match fmt & 0xfff {
            // Flow sample, expanded flow sample: the records follow a fixed part.
            1 => records(cx, b, body + 32, send),
            3 => records(cx, b, body + 44, send),
            _ => {}
        }
        p = send;
    }
}

/// A flow sample's records from `p` (their count first) up to `end`.
fn records(cx: &mut Cx, b: Bytes, p: usize, end: usize) {
    let Some(n) = b.be32(p.wrapping_sub(4)) else { return };
    let mut p = p;
    for _ in 0..n.min(MAX_SAMPLES) {
        let (Some(fmt), Some(len)) = (b.be32(p), b.be32(p + 4)) else { return };
        let body = p + 8;
        let rend = body + len as usize;
        if rend > end {
            return;
        }
        // A raw packet header: protocol, frame length, bytes stripped, header length.
        if fmt & 0xfff == 1 {
            let (Some(proto), Some(hlen)) = (b.be32(body), b.be32(body + 12)) else { return };
            cx.u(HEADER_PROTOCOL, proto, b.span(body, 4));
            let h = body + 16;
            let hend = h + hlen as usize;
            if proto == 1 && hend <= rend && hlen > 0 {
                cx.nested(|cx| crate::dissector::link_at(cx, b.until(hend), h, 1));
            }
        }
        p = rend;
    }
}
