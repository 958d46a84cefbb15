//! Cisco FabricPath: tshark's Ethernet heuristic takes a frame whose type field is 0x8903
//! before Ethernet adds its item (Ethernet stays a layer of `frame.protocols`, FabricPath is
//! the tree's top item). A 16-byte header (hierarchical destination and source MACs, the
//! type, FTAG and TTL), then the carried Ethernet frame, then a 4-byte FCS.
crate::declare_fields! {
    after = super::bittorrent::END;
    PROTO = "cfp", "Cisco FabricPath", Protocol, None;
    D_HMAC = "cfp.d_hmac", "Destination HMAC", None, None, blurb = "Destination Hierarchical MAC";
    S_HMAC = "cfp.s_hmac", "Source HMAC", None, None, blurb = "Source Hierarchical MAC";
    EID = "cfp.eid", "End Node ID", U24, Dec, mask = 0xfcc000, blurb = "Cisco FabricPath End node ID";
    UL = "cfp.ul", "U/L bit", Boolean, None, mask = 0x20000, tfs = ("Locally administered address (this is NOT the factory default)", "Globally unique address (factory default)");
    IG = "cfp.ig", "I/G bit", Boolean, None, mask = 0x10000, tfs = ("Group address (multicast/broadcast)", "Individual address (unicast)");
    OOODL = "cfp.ooodl", "OOO/DL Bit", Boolean, None, mask = 0x1000, tfs = ("Out of Order Delivery (If DA) or Do Not Learn (If SA)", "Deliver in order (If DA) or Learn (If SA)");
    SWID = "cfp.swid", "switch-id", U24, Dec, mask = 0xfff, blurb = "Switch-id/nickname of switch in FabricPath network";
    SSWID = "cfp.sswid", "sub-switch-id", U8, Dec, blurb = "Sub-switch-id of switch in FabricPath network";
    LID = "cfp.lid", "Source LID", U16, Dec, blurb = "Source or Destination Port index on switch in FabricPath network";
    ETYPE = "cfp.etype", "FP Ethertype", U16, Hex;
    FTAG = "cfp.ftag", "FTAG", U16, Dec, mask = 0xffc0, blurb = "FTAG field identifying forwarding distribution tree.";
    TTL = "cfp.ttl", "TTL", U16, Dec, mask = 0x3f, blurb = "The remaining hop count for this frame";
    FCS = "cfp.fcs", "Frame check sequence", U32, Hex, blurb = "FabricPath checksum";
}

use crate::cx::{Bytes, Cx};
use crate::field::FieldId;

/// The type field that marks a FabricPath header.
pub const ETHERTYPE: u16 = 0x8903;
/// The header's length.
const HEADER: usize = 16;
/// The trailing FCS's length.
const FCS_LEN: usize = 4;

/// Whether the Ethernet frame at `off` is FabricPath (tshark's heuristic).
pub fn looks_like(b: Bytes, off: usize) -> bool {
    b.be16(off + 12) == Some(ETHERTYPE)
}

/// One hierarchical MAC address at `p`.
fn hmac(cx: &mut Cx, b: Bytes, p: usize, item: FieldId) {
    cx.add(item, crate::tree::Value::None, b.span(p, 6));
    let (Some(hi), Some(sswid), Some(lid)) = (b.be24(p), b.u8(p + 3), b.be16(p + 4)) else { return };
    let r = b.span(p, 3);
    cx.u(EID, (hi & 0xfcc000) >> 14, r);
    cx.flag(UL, hi & 0x20000 != 0, r);
    cx.flag(IG, hi & 0x10000 != 0, r);
    cx.flag(OOODL, hi & 0x1000 != 0, r);
    cx.u(SWID, hi & 0xfff, r);
    cx.u(SSWID, sswid, b.span(p + 3, 1));
    cx.u(LID, lid, b.span(p + 4, 2));
}

/// The frame at `off` (its type field already checked): the header, the Ethernet frame it
/// carries, the FCS.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    cx.nested(|cx| cx.push_name("eth"));
    cx.proto(PROTO, "cfp", b.span(off, HEADER.min(b.len().saturating_sub(off))));
    hmac(cx, b, off, D_HMAC);
    hmac(cx, b, off + 6, S_HMAC);
    cx.u(ETYPE, ETHERTYPE, b.span(off + 12, 2));
    let Some(ft) = b.be16(off + 14) else { return cx.bounds_error(off + HEADER, b.reported) };
    let r = b.span(off + 14, 2);
    cx.u(FTAG, (ft & 0xffc0) >> 6, r);
    cx.u(TTL, ft & 0x3f, r);
    let inner_end = b.reported.saturating_sub(FCS_LEN).max(off + HEADER);
    let inner = b.until(inner_end);
    if looks_like(inner, off + HEADER) {
        // FabricPath inside FabricPath: left as data (no unbounded nesting).
        crate::proto::data::dissect(cx, inner, off + HEADER, inner.len());
    } else {
        crate::proto::eth::dissect(cx, inner, off + HEADER);
    }
    if let Some(fcs) = b.be32(inner_end).filter(|_| inner_end + FCS_LEN <= b.len()) {
        cx.u(FCS, fcs, b.span(inner_end, FCS_LEN));
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like;
    use crate::cx::Bytes;
    use crate::tree::Buf;

    #[test]
    fn heuristic() {
        let mut f = [0u8; 20];
        f[12] = 0x89;
        f[13] = 0x03;
        assert!(looks_like(Bytes::new(&f, Buf::Frame), 0));
        f[13] = 0x00;
        assert!(!looks_like(Bytes::new(&f, Buf::Frame), 0));
        assert!(!looks_like(Bytes::new(&f[..13], Buf::Frame), 0));
    }
}
