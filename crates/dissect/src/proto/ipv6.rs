//! IPv6 with its extension headers (hop-by-hop, routing, fragment, destination options).
crate::declare_fields! {
    after = super::ip::END;
    PROTO = "ipv6", "Internet Protocol Version 6", Protocol, None;
    VERSION = "ipv6.version", "Version", U8, Dec, mask = 0xf0;
    TCLASS = "ipv6.tclass", "Traffic Class", U32, Hex, mask = 0x0ff00000;
    TCLASS_DSCP = "ipv6.tclass.dscp", "Differentiated Services Codepoint", U32, Dec, mask = 0x0fc00000;
    TCLASS_ECN = "ipv6.tclass.ecn", "Explicit Congestion Notification", U32, Dec, mask = 0x00300000;
    FLOW = "ipv6.flow", "Flow Label", U24, Hex, mask = 0x0fffff;
    PLEN = "ipv6.plen", "Payload Length", U16, Dec;
    NXT = "ipv6.nxt", "Next Header", U8, Dec, vals = super::ip::PROTO_VALS;
    HLIM = "ipv6.hlim", "Hop Limit", U8, Dec;
    SRC = "ipv6.src", "Source Address", Ipv6, None;
    ADDR = "ipv6.addr", "Source or Destination Address", Ipv6, None;
    SRC_HOST = "ipv6.src_host", "Source Host", String, None;
    HOST = "ipv6.host", "Source or Destination Host", String, None;
    DST = "ipv6.dst", "Destination Address", Ipv6, None;
    DST_HOST = "ipv6.dst_host", "Destination Host", String, None;
    FRAGMENT = "ipv6.fragment", "IPv6 Fragment", FrameNum, None;
    FRAGMENT_COUNT = "ipv6.fragment.count", "Fragment count", U32, Dec;
    REASSEMBLED_LENGTH = "ipv6.reassembled.length", "Reassembled IPv6 length", U32, Dec;
    HOPOPTS = "ipv6.hopopts", "IPv6 Hop-by-Hop Option", Protocol, None;
    HOPOPTS_NXT = "ipv6.hopopts.nxt", "Next Header", U8, Dec, vals = super::ip::PROTO_VALS;
    HOPOPTS_LEN = "ipv6.hopopts.len", "Length", U8, Dec;
    HOPOPTS_LEN_OCT = "ipv6.hopopts.len_oct", "Length", U16, Dec;
    ROUTING = "ipv6.routing", "Routing Header for IPv6", Protocol, None;
    ROUTING_NXT = "ipv6.routing.nxt", "Next Header", U8, Dec, vals = super::ip::PROTO_VALS;
    ROUTING_LEN = "ipv6.routing.len", "Length", U8, Dec;
    ROUTING_LEN_OCT = "ipv6.routing.len_oct", "Length", U16, Dec;
    ROUTING_TYPE = "ipv6.routing.type", "Type", U8, Dec;
    ROUTING_SEGLEFT = "ipv6.routing.segleft", "Segments Left", U8, Dec;
    FRAGHDR = "ipv6.fraghdr", "Fragment Header for IPv6", Protocol, None;
    FRAGHDR_NXT = "ipv6.fraghdr.nxt", "Next header", U8, Dec, vals = super::ip::PROTO_VALS;
    FRAGHDR_OFFSET = "ipv6.fraghdr.offset", "Offset", U16, Dec, mask = 0xfff8;
    FRAGHDR_MORE = "ipv6.fraghdr.more", "More Fragments", Boolean, None, mask = 0x0001, tfs = ("Yes", "No");
    FRAGHDR_IDENT = "ipv6.fraghdr.ident", "Identification", U32, Hex;
    DSTOPTS = "ipv6.dstopts", "Destination Options for IPv6", Protocol, None;
    DSTOPTS_NXT = "ipv6.dstopts.nxt", "Next Header", U8, Dec, vals = super::ip::PROTO_VALS;
    DSTOPTS_LEN = "ipv6.dstopts.len", "Length", U8, Dec;
    DSTOPTS_LEN_OCT = "ipv6.dstopts.len_oct", "Length", U16, Dec;
}

use crate::cx::{Bytes, Cx, NetAddr};
use crate::tree::Value;
use std::collections::{HashMap, VecDeque};

pub fn fmt_v6(a: [u8; 16]) -> String {
    std::net::Ipv6Addr::from(a).to_string()
}

/// IPv6 header at `off`, its extension headers, then the payload.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    let plen = b.be16(off + 4).unwrap_or(0) as usize;
    if let Some(v) = b.u8(off).map(|v| v >> 4).filter(|&v| v != 6) {
        // A bogus version: tshark's item shows the version, but the dissector rejects the
        // packet (no layer of frame.protocols) and its caller shows the bytes as data.
        cx.proto(PROTO, "~ipv6", b.span_to(off, off + 40));
        cx.u(VERSION, v, b.span(off, 1));
        cx.u(super::ip::VERSION, v, b.span(off, 1));
        crate::proto::data::dissect(cx, b, off, b.reported);
        return;
    }
    cx.proto(PROTO, "ipv6", b.span_to(off, off + 40 + plen));
    let Some(w) = b.be32(off) else { return };
    let r = b.span(off, 4);
    cx.u(VERSION, w >> 28, b.span(off, 1));
    cx.u(super::ip::VERSION, w >> 28, b.span(off, 1));
    cx.u(TCLASS, (w >> 20) & 0xff, r);
    cx.u(TCLASS_DSCP, (w >> 22) & 0x3f, r);
    cx.u(TCLASS_ECN, (w >> 20) & 3, r);
    cx.u(FLOW, w & 0xfffff, r);
    let Some(plen) = b.be16(off + 4) else { return };
    cx.u(PLEN, plen, b.span(off + 4, 2));
    let Some(nxt) = b.u8(off + 6) else { return };
    cx.u(NXT, nxt, b.span(off + 6, 1));
    let Some(hlim) = b.u8(off + 7) else { return };
    cx.u(HLIM, hlim, b.span(off + 7, 1));
    let (Some(src), Some(dst)) = (b.arr::<16>(off + 8), b.arr::<16>(off + 24)) else { return };
    cx.label(PROTO, || format!("Internet Protocol Version 6, Src: {}, Dst: {}", fmt_v6(src), fmt_v6(dst)));
    for (a, f, host, o) in [(src, SRC, SRC_HOST, 8), (dst, DST, DST_HOST, 24)] {
        let r = b.span(off + o, 16);
        cx.add(f, Value::Ipv6(a), r);
        cx.add(ADDR, Value::Ipv6(a), r);
        if cx.wants(host) || cx.wants(HOST) {
            let s = fmt_v6(a);
            cx.add_str(host, &s, r);
            cx.add_str(HOST, &s, r);
        }
    }
    cx.src = NetAddr::v6(src);
    cx.dst = NetAddr::v6(dst);
    let end = if plen == 0 { b.reported } else { (off + 40 + plen as usize).min(b.reported) };
    let mut nh = nxt;
    let mut p = off + 40;
    loop {
        match nh {
            0 | 43 | 60 => {
                let (proto, name, f_nxt, f_len, f_oct) = match nh {
                    0 => (HOPOPTS, "ipv6.hopopts", HOPOPTS_NXT, HOPOPTS_LEN, HOPOPTS_LEN_OCT),
                    43 => (ROUTING, "ipv6.routing", ROUTING_NXT, ROUTING_LEN, ROUTING_LEN_OCT),
                    _ => (DSTOPTS, "ipv6.dstopts", DSTOPTS_NXT, DSTOPTS_LEN, DSTOPTS_LEN_OCT),
                };
                let Some(n) = b.u8(p) else { return };
                let Some(l) = b.u8(p + 1) else {
                    // Cut short after the next header: tshark still shows the header's item.
                    cx.proto(proto, name, b.span_to(p, p + 1));
                    cx.u(f_nxt, n, b.span(p, 1));
                    cx.bounds_error(p + 2, end);
                    return;
                };
                let len = (l as usize + 1) * 8;
                cx.proto(proto, name, b.span_to(p, p + len));
                cx.u(f_nxt, n, b.span(p, 1));
                cx.u(f_len, l, b.span(p + 1, 1));
                cx.u(f_oct, len as u64, b.span(p + 1, 1));
                if nh == 43 {
                    if let (Some(t), Some(s)) = (b.u8(p + 2), b.u8(p + 3)) {
                        cx.u(ROUTING_TYPE, t, b.span(p + 2, 1));
                        cx.u(ROUTING_SEGLEFT, s, b.span(p + 3, 1));
                    }
                }
                if nh != 43 {
                    if let Err(need) = options(b, p + 2, p + len) {
                        cx.bounds_error(need, end);
                        return;
                    }
                }
                nh = n;
                p += len;
                if p > end {
                    return;
                }
            }
            44 if plen == 0 => {
                // No payload length (a jumbogram's or a segmentation offload's): tshark's
                // fragment header works out a negative fragment length and throws before its
                // item (malformed); the Ethernet trailer that follows, if the frame was cut
                // short, is the snapshot-length exception.
                cx.nested(|cx| cx.push_name("ipv6.fraghdr"));
                cx.malformed();
                if off > 0 && b.len() < b.reported {
                    cx.bounds_error(b.reported, b.reported);
                }
                return;
            }
            44 => {
                cx.proto(FRAGHDR, "ipv6.fraghdr", b.span_to(p, p + 8));
                let Some(n) = b.u8(p) else { return };
                cx.u(FRAGHDR_NXT, n, b.span(p, 1));
                let Some(o) = b.be16(p + 2) else { return };
                cx.u(FRAGHDR_OFFSET, (o >> 3) as u64, b.span(p + 2, 2));
                let more = o & 1 != 0;
                cx.flag(FRAGHDR_MORE, more, b.span(p + 2, 2));
                let Some(ident) = b.be32(p + 4) else { return };
                cx.u(FRAGHDR_IDENT, ident, b.span(p + 4, 4));
                p += 8;
                let frag_off = (o >> 3) as usize * 8;
                if frag_off != 0 && (cx.in_error || end > b.len()) {
                    // A later fragment that cannot be reassembled is shown as data.
                    crate::proto::data::dissect(cx, b, p, end);
                    return;
                }
                if (more || frag_off != 0) && !cx.in_error && p <= end && end <= b.len() {
                    let key = FragKey { src, dst, ident };
                    let done = cx.st.ipv6_frag.add(key, cx.meta.number, frag_off, &b.data[p..end.min(b.len())], more);
                    match done {
                        Some(d) => {
                            cx.tap(crate::tap::Tap::Ipv6 { src, dst });
                            crate::frag::dissect_reassembled(cx, d, [FRAGMENT, FRAGMENT_COUNT, REASSEMBLED_LENGTH], n)
                        }
                        None => crate::proto::data::dissect(cx, b, p, end),
                    }
                    return;
                }
                nh = n;
            }
            59 => {
                cx.tap(crate::tap::Tap::Ipv6 { src, dst });
                return;
            }
            _ => {
                if p <= end {
                    cx.tap(crate::tap::Tap::Ipv6 { src, dst });
                    crate::dissector::ip_proto(cx, b, p, end, nh);
                }
                return;
            }
        }
    }
}

/// Walks the options of a hop-by-hop or destination options header at `off..end`, as
/// tshark adds their items: an option (type, length and data) not wholly captured is an
/// exception; `Err` holds the offset it needed.
fn options(b: Bytes, off: usize, end: usize) -> Result<(), usize> {
    let mut o = off;
    while o < end {
        let Some(t) = b.u8(o) else { return Err(o + 1) };
        if t == 0 {
            // Pad1: a lone type byte.
            o += 1;
            continue;
        }
        let Some(l) = b.u8(o + 1) else { return Err(o + 2) };
        let next = o + 2 + l as usize;
        if next > b.len() {
            return Err(next);
        }
        o = next;
    }
    Ok(())
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct FragKey {
    src: [u8; 16],
    dst: [u8; 16],
    ident: u32,
}

/// IPv6 fragment reassembly (bounded like IPv4's).
#[derive(Default)]
pub struct Defrag {
    pending: HashMap<FragKey, crate::frag::Pending>,
    order: VecDeque<FragKey>,
}

impl Defrag {
    pub fn add(
        &mut self,
        key: FragKey,
        frame: u32,
        offset: usize,
        data: &[u8],
        more: bool,
    ) -> Option<super::ip::Reassembled> {
        crate::frag::add(&mut self.pending, &mut self.order, key, frame, offset, data, more)
    }
}

#[cfg(test)]
mod tests {
    use crate::cx::Bytes;
    use crate::tree::Buf;

    #[test]
    fn options_cut_short_need_their_end() {
        // Pad1, then PadN of 2 data bytes: 5 bytes, all captured.
        let h = [0u8, 1, 2, 0, 0, 0];
        assert_eq!(super::options(Bytes::new(&h, Buf::Frame), 0, 5), Ok(()));
        // A PMTU option claiming 48 bytes of data at 2, in 6 captured bytes.
        let h = [0x00u8, 0x00, 0x30, 0x30, 0x30, 0x30];
        assert_eq!(super::options(Bytes::new(&h, Buf::Frame), 0, 6), Err(2 + 2 + 0x30));
        // The length byte not captured.
        let h = [0x00u8, 0x05];
        assert_eq!(super::options(Bytes::new(&h, Buf::Frame), 0, 8), Err(3));
        // The type byte not captured.
        assert_eq!(super::options(Bytes::new(&h[..1], Buf::Frame), 0, 8), Err(2));
    }
}
