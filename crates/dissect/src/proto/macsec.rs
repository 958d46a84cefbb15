//! IEEE 802.1AE MACsec (ethertype 0x88e5): the SecTAG; the protected payload (before the
//! 16-byte ICV) goes to `data`, as tshark shows it without keys.
crate::declare_fields! {
    after = super::bofl::END;
    PROTO = "macsec", "802.1AE Security tag", Protocol, None;
    TCI = "macsec.TCI", "TCI", U8, Hex, mask = 0xfc;
    AN = "macsec.AN", "AN", U8, Hex, mask = 0x3;
    SL = "macsec.SL", "Short length", U8, Dec;
    PN = "macsec.PN", "Packet number", U32, Dec;
    SCI_SYSTEM_IDENTIFIER = "macsec.SCI.system_identifier", "System Identifier", Ether, None;
    SCI_PORT_IDENTIFIER = "macsec.SCI.port_identifier", "Port Identifier", U16, Dec;
    ICV = "macsec.ICV", "ICV", Bytes, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    let end = b.len();
    cx.proto(PROTO, "macsec", b.span_to(off, end));
    let (Some(tci), Some(sl), Some(pn)) = (b.u8(off), b.u8(off + 1), b.be32(off + 2)) else { return };
    cx.u(TCI, tci >> 2, b.span(off, 1));
    cx.u(AN, tci & 3, b.span(off, 1));
    cx.u(SL, sl, b.span(off + 1, 1));
    cx.u(PN, pn, b.span(off + 2, 4));
    let mut p = off + 6;
    if tci & 0x20 != 0 {
        let (Some(sys), Some(port)) = (b.arr::<6>(p), b.be16(p + 6)) else { return };
        cx.add(SCI_SYSTEM_IDENTIFIER, Value::Ether(sys), b.span(p, 6));
        cx.u(SCI_PORT_IDENTIFIER, port, b.span(p + 6, 2));
        p += 8;
    }
    // A short length gives the payload's length (frames under 64 bytes).
    let icv = if sl != 0 && p + sl as usize + 16 <= end { p + sl as usize } else { end.saturating_sub(16) };
    if icv > p {
        crate::proto::data::dissect(cx, b, p, icv);
    }
    if icv >= p && icv + 16 <= end {
        cx.add(ICV, Value::Bytes(b.span(icv, 16)), b.span(icv, 16));
    }
}
