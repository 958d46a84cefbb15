//! RTP and RTCP (RFC 3550) on the UDP conversations SDP announced, RTCP also by tshark's
//! heuristic; T.38 (UDPTL) conversations show their protocol only.
crate::declare_fields! {
    after = super::sdp::END;
    PROTO = "rtp", "Real-Time Transport Protocol", Protocol, None;
    SETUP_FRAME = "rtp.setup-frame", "Setup frame", FrameNum, None;
    SETUP_METHOD = "rtp.setup-method", "Setup Method", String, None;
    VERSION = "rtp.version", "Version", U8, Dec, mask = 0xc0;
    PADDING = "rtp.padding", "Padding", Boolean, None, mask = 0x20;
    EXT = "rtp.ext", "Extension", Boolean, None, mask = 0x10;
    CC = "rtp.cc", "Contributing source identifiers count", U8, Dec, mask = 0x0f;
    MARKER = "rtp.marker", "Marker", Boolean, None, mask = 0x80;
    P_TYPE = "rtp.p_type", "Payload type", U8, Dec, mask = 0x7f;
    SEQ = "rtp.seq", "Sequence number", U16, Dec;
    TIMESTAMP = "rtp.timestamp", "Timestamp", U32, Dec;
    SSRC = "rtp.ssrc", "Synchronization Source identifier", U32, HexDec;
    CSRC_ITEM = "rtp.csrc.item", "CSRC item", U32, HexDec;
    PAYLOAD = "rtp.payload", "Payload", Bytes, None;
    RTCP = "rtcp", "Real-time Transport Control Protocol", Protocol, None;
    RTCP_SETUP_FRAME = "rtcp.setup-frame", "Setup frame", FrameNum, None;
    RTCP_SETUP_METHOD = "rtcp.setup-method", "Setup Method", String, None;
    RTCP_VERSION = "rtcp.version", "Version", U8, Dec, mask = 0xc0;
    RTCP_PADDING = "rtcp.padding", "Padding", Boolean, None, mask = 0x20;
    RTCP_RC = "rtcp.rc", "Reception report count", U8, Dec, mask = 0x1f;
    RTCP_PT = "rtcp.pt", "Packet type", U8, Dec;
    RTCP_LENGTH = "rtcp.length", "Length", U16, Dec;
    RTCP_SENDERSSRC = "rtcp.senderssrc", "Sender SSRC", U32, HexDec;
    T38 = "t38", "ITU-T Recommendation T.38", Protocol, None;
}

use crate::cx::{Bytes, Cx, FastMap, NetAddr};
use crate::tree::{Span, Value};

/// What an announced conversation carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Rtp,
    Rtcp,
    T38,
}

#[derive(Clone, Copy, Debug)]
pub struct Conv {
    kind: Kind,
    frame: u32,
    method: &'static str,
}

/// Most announced endpoints kept (a hostile capture could announce one per SDP line).
const MAX_CONVS: usize = 1 << 20;

/// The endpoints SDP announced: any datagram from or to one is that conversation's.
#[derive(Default)]
pub struct Table {
    map: FastMap<(NetAddr, u16), Conv>,
    /// The frames of SIP requests with SDP, by Call-ID and CSeq number (a 2xx answer's SDP is
    /// set up as of its request's frame).
    pub requests: FastMap<(Vec<u8>, u32), Vec<u32>>,
}

/// Records that `addr:port` carries `kind` from this frame on (a later announcement of the
/// same endpoint replaces it, as tshark's newer conversation is found first).
pub fn announce(cx: &mut Cx, addr: NetAddr, port: u16, kind: Kind, frame: u32, method: &'static str) {
    let t = &mut cx.st.rtp;
    if t.map.len() >= MAX_CONVS && !t.map.contains_key(&(addr, port)) {
        t.map.clear();
    }
    // tshark finds the conversation set up in the latest frame (not the latest set up).
    match t.map.get(&(addr, port)) {
        Some(c) if c.frame > frame => {}
        _ => {
            t.map.insert((addr, port), Conv { kind, frame, method });
        }
    }
}

/// The announced conversation a datagram belongs to: its destination endpoint's, else its
/// source's (as tshark's lookup finds them).
pub fn lookup(cx: &Cx, sport: u16, dport: u16) -> Option<Conv> {
    let t = &cx.st.rtp;
    if t.map.is_empty() {
        return None;
    }
    let now = cx.meta.number;
    let get = |k: (NetAddr, u16)| t.map.get(&k).copied().filter(|c| c.frame <= now);
    get((cx.dst, dport)).or_else(|| get((cx.src, sport)))
}

/// Dissects a datagram of an announced conversation.
pub fn dissect_conv(cx: &mut Cx, b: Bytes, off: usize, end: usize, c: Conv) {
    match c.kind {
        Kind::Rtp => dissect_rtp(cx, b, off, end, Some(c)),
        Kind::Rtcp => dissect_rtcp(cx, b, off, end, Some(c)),
        Kind::T38 => {
            cx.proto(T38, "t38", b.span_to(off, end));
            crate::proto::t30::t38(cx, b, off, end);
        }
    }
}

pub fn dissect_rtp(cx: &mut Cx, b: Bytes, off: usize, end: usize, c: Option<Conv>) {
    let end = end.min(b.len());
    cx.proto(PROTO, "rtp", b.span_to(off, end));
    if let Some(c) = c {
        cx.add(SETUP_FRAME, Value::U(c.frame as u64), Span::EMPTY);
        cx.add_str(SETUP_METHOD, c.method, Span::EMPTY);
    }
    let (Some(o1), Some(o2)) = (b.u8(off), b.u8(off + 1)) else { return };
    let (s1, s2) = (b.span(off, 1), b.span(off + 1, 1));
    cx.u(VERSION, o1 >> 6, s1);
    if o1 >> 6 != 2 {
        return;
    }
    cx.flag(PADDING, o1 & 0x20 != 0, s1);
    cx.flag(EXT, o1 & 0x10 != 0, s1);
    cx.u(CC, o1 & 0x0f, s1);
    cx.flag(MARKER, o2 & 0x80 != 0, s2);
    cx.u(P_TYPE, o2 & 0x7f, s2);
    let (Some(seq), Some(ts), Some(ssrc)) = (b.be16(off + 2), b.be32(off + 4), b.be32(off + 8)) else { return };
    cx.u(SEQ, seq, b.span(off + 2, 2));
    cx.u(TIMESTAMP, ts, b.span(off + 4, 4));
    cx.u(SSRC, ssrc, b.span(off + 8, 4));
    let mut p = off + 12;
    for _ in 0..(o1 & 0x0f) {
        let Some(v) = b.be32(p) else { return };
        cx.u(CSRC_ITEM, v, b.span(p, 4));
        p += 4;
    }
    if o1 & 0x10 != 0 {
        let Some(words) = b.be16(p + 2) else { return };
        p += 4 + 4 * words as usize;
    }
    let mut pend = end;
    if o1 & 0x20 != 0 {
        if let Some(n) = end.checked_sub(1).and_then(|i| b.u8(i)) {
            pend = end.saturating_sub(n as usize);
        }
    }
    if p < pend {
        let sp = b.span(p, pend - p);
        cx.add(PAYLOAD, Value::Bytes(sp), sp);
        // The payload types with a dissector of their own in tshark's table.
        if o2 & 0x7f == crate::proto::rfc2190::PT_H263 {
            crate::proto::rfc2190::dissect(cx, b, p, pend);
        }
    }
}

/// The UDP heuristics of tshark's this module answers for, tried on a payload no port
/// dissector took: SIP, RTCP, RTPS. False when none takes it.
pub fn udp_heuristics(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> bool {
    let cap_end = end.min(b.len());
    let Some(d) = b.data.get(off..cap_end) else { return false };
    if cx.in_error {
        return false;
    }
    if crate::proto::sip::looks_like(d) {
        return crate::proto::sip::dissect_udp(cx, b, off, end);
    }
    if looks_like_rtcp(d, end.min(b.reported).saturating_sub(off)) {
        dissect_rtcp(cx, b, off, end, None);
        return true;
    }
    if crate::proto::rtps::looks_like(d) {
        crate::proto::rtps::dissect(cx, b, off, end);
        return true;
    }
    false
}

/// RTCP packet types tshark's heuristic takes first in a datagram (SR, RR, BYE, APP, PSFB).
fn first_type_ok(pt: u8) -> bool {
    matches!(pt, 200 | 201 | 203 | 204 | 206)
}

/// tshark's RTCP-over-UDP heuristic: version 2, a report, BYE, APP or PSFB packet first, and
/// a length that is a multiple of 4.
pub fn looks_like_rtcp(d: &[u8], reported: usize) -> bool {
    d.len() >= 2 && d[0] >> 6 == 2 && first_type_ok(d[1]) && reported % 4 == 0
}

/// A compound RTCP datagram: each packet is a protocol item of its own.
pub fn dissect_rtcp(cx: &mut Cx, b: Bytes, off: usize, end: usize, c: Option<Conv>) {
    let end = end.min(b.len());
    let mut p = off;
    let mut first = true;
    while p + 4 <= end {
        let (Some(o1), Some(pt), Some(len)) = (b.u8(p), b.u8(p + 1), b.be16(p + 2)) else { return };
        // tshark's walk stops at a packet type outside the RTCP range (192..=213).
        if !first && !(192..=213).contains(&pt) {
            return;
        }
        let plen = 4 * (len as usize + 1);
        let pkt_end = (p + plen).min(end);
        if first {
            cx.proto(RTCP, "rtcp", b.span_to(p, pkt_end));
        } else {
            cx.push_name(crate::dissector::repeat("rtcp"));
            cx.proto_quiet(RTCP, b.span_to(p, pkt_end));
        }
        // Each packet of the compound shows the conversation's setup.
        if let Some(c) = c {
            cx.add(RTCP_SETUP_FRAME, Value::U(c.frame as u64), Span::EMPTY);
            cx.add_str(RTCP_SETUP_METHOD, c.method, Span::EMPTY);
        }
        first = false;
        let s1 = b.span(p, 1);
        cx.u(RTCP_VERSION, o1 >> 6, s1);
        cx.flag(RTCP_PADDING, o1 & 0x20 != 0, s1);
        cx.u(RTCP_RC, o1 & 0x1f, s1);
        cx.u(RTCP_PT, pt, b.span(p + 1, 1));
        cx.u(RTCP_LENGTH, len, b.span(p + 2, 2));
        if matches!(pt, 200 | 201 | 204..=207) {
            if let Some(ssrc) = b.be32(p + 4) {
                cx.u(RTCP_SENDERSSRC, ssrc, b.span(p + 4, 4));
            }
        }
        if o1 >> 6 != 2 {
            return;
        }
        p += plen;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rtcp_heuristic() {
        assert!(looks_like_rtcp(&[0x80, 201, 0, 1, 0, 3, 0xcf, 0xa9], 8));
        assert!(!looks_like_rtcp(&[0x80, 202, 0, 1, 0, 3, 0xcf, 0xa9], 8));
        assert!(!looks_like_rtcp(&[0x40, 201, 0, 1, 0, 3, 0xcf, 0xa9], 8));
        assert!(!looks_like_rtcp(&[0x80, 201, 0, 1, 0, 3, 0xcf], 7));
        assert!(!looks_like_rtcp(&[0x80], 4));
    }
}
