//! Linux netfilter NFLOG (LINKTYPE 239): TLVs, the packet in the payload TLV (type 9).
crate::declare_fields! {
    after = super::fr::END;
    PROTO = "nflog", "Linux Netfilter NFLOG", Protocol, None;
    FAMILY = "nflog.family", "Family", U8, Dec;
    VERSION = "nflog.version", "Version", U8, Dec;
    RES_ID = "nflog.res_id", "Resource id", U16, Dec;
    TLV_LENGTH = "nflog.tlv_length", "Length", U16, Dec;
    TLV_TYPE = "nflog.tlv_type", "Type", U16, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes) {
    cx.proto(PROTO, "nflog", b.span_to(0, b.reported));
    let (Some(fam), Some(ver), Some(res)) = (b.u8(0), b.u8(1), b.be16(2)) else { return };
    cx.u(FAMILY, fam, b.span(0, 1));
    cx.u(VERSION, ver, b.span(1, 1));
    cx.u(RES_ID, res, b.span(2, 2));
    // TLV lengths are in the capturing host's byte order; a first TLV that only makes
    // sense big-endian means a big-endian host.
    let big = matches!((b.le16(4), b.be16(4)), (Some(le), Some(be)) if (le < 4 || 4 + le as usize > b.reported) && be >= 4 && 4 + be as usize <= b.reported);
    let rd = |o: usize| if big { b.be16(o) } else { b.le16(o) };
    let mut p = 4;
    let mut payload = None;
    let mut hw_protocol = None;
    while let (Some(len), Some(t)) = (rd(p), rd(p + 2)) {
        let len = len as usize;
        if len < 4 {
            break;
        }
        cx.u(TLV_LENGTH, len as u64, b.span(p, 2));
        cx.u(TLV_TYPE, t & 0x7fff, b.span(p + 2, 2));
        if t & 0x7fff == 9 {
            payload = Some((p + 4, p + len));
        }
        if t & 0x7fff == 1 {
            // NFULA_PACKET_HDR: the packet's ethertype (network order), hook, padding.
            hw_protocol = b.be16(p + 4);
        }
        p += len.next_multiple_of(4);
    }
    if let Some((a, e)) = payload {
        let pb = b.until(e);
        match (fam, hw_protocol) {
            (2, _) => crate::proto::ip::dissect(cx, pb, a),
            (10, _) => crate::proto::ipv6::dissect(cx, pb, a),
            (_, Some(t)) if t != 0 => crate::dissector::ethertype_payload(cx, pb, a, t),
            _ => crate::proto::data::dissect(cx, pb, a, e),
        }
    }
}
