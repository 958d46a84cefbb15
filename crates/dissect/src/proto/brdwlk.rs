//! Boardwalk (ethertypes 0x88ae and 0xabcd): a Fibre Channel frame behind a 2-byte header
//! (start-of-frame delimiter, VSAN) and, when the whole frame was captured, a 4-byte
//! trailer (packet count, error flags, end-of-frame delimiter). The FC frame goes to Fibre
//! Channel, of which only the 24-byte header is read here (tshark reads its fields before
//! adding its item: a header cut short names the `fc` layer, which has no tree item for
//! `io,phs`, and shows only the exception).
crate::declare_fields! {
    after = super::afp::END;
    PROTO = "brdwlk", "Boardwalk", Protocol, None;
    SOF = "brdwlk.sof", "SOF", U8, Hex, mask = 0xf0;
    EOF = "brdwlk.eof", "EOF", U8, Hex, mask = 0x0f;
    ERROR = "brdwlk.error", "Error", U8, Hex;
    PKTCNT = "brdwlk.pktcnt", "Packet Count", U16, Dec;
    VSAN = "brdwlk.vsan", "VSAN", U16, Dec, mask = 0x0fff;
    FC = "fc", "Fibre Channel", Protocol, None;
    FC_R_CTL = "fc.r_ctl", "R_CTL", U8, Hex;
    FC_D_ID = "fc.d_id", "Dest Addr", Bytes, None, blurb = "Destination Address";
    FC_CS_CTL = "fc.cs_ctl", "CS_CTL", U8, Hex;
    FC_S_ID = "fc.s_id", "Src Addr", Bytes, None, blurb = "Source Address";
    FC_TYPE = "fc.type", "Type", U8, Hex;
    FC_F_CTL = "fc.f_ctl", "F_CTL", U24, Hex;
    FC_DF_CTL = "fc.df_ctl", "DF_CTL", U8, Hex;
    FC_OX_ID = "fc.ox_id", "OX_ID", U16, Hex, blurb = "Originator ID";
    FC_RX_ID = "fc.rx_id", "RX_ID", U16, Hex, blurb = "Receiver ID";
    FC_PARAMETER = "fc.parameter", "Parameter", U32, Hex;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

/// The Fibre Channel frame header's length.
const FC_HEADER: usize = 24;

/// Boardwalk at `off` (the rest of the frame).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize) {
    cx.proto(PROTO, "brdwlk", b.span_to(off, off + 2));
    let Some(h) = b.be16(off) else { return cx.bounds_error(off + 2, b.reported) };
    cx.u(SOF, (h >> 12) as u8, b.span(off, 1));
    cx.u(VSAN, h & 0x0fff, b.span(off, 2));
    // The trailer is read only when the whole frame was captured.
    let mut fc_end = b.reported;
    if b.reported >= off + 2 + 4 {
        fc_end = b.reported - 4;
        if b.len() >= b.reported {
            let t = fc_end;
            if let (Some(cnt), Some(err), Some(eof)) = (b.be16(t), b.u8(t + 2), b.u8(t + 3)) {
                cx.u(PKTCNT, cnt, b.span(t, 2));
                cx.u(ERROR, err, b.span(t + 2, 1));
                cx.u(EOF, eof & 0x0f, b.span(t + 3, 1));
            }
        }
    }
    fc(cx, b.until(fc_end), off + 2);
}

/// A Fibre Channel frame at `off` (its header only).
fn fc(cx: &mut Cx, b: Bytes, off: usize) {
    if b.len() < off + FC_HEADER {
        cx.nested(|cx| cx.push_name("fc"));
        return cx.bounds_error(off + FC_HEADER, b.reported);
    }
    cx.proto(FC, "fc", b.span_to(off, b.len()));
    let d = &b.data[off..off + FC_HEADER];
    cx.u(FC_R_CTL, d[0], b.span(off, 1));
    cx.add(FC_D_ID, Value::Bytes(b.span(off + 1, 3)), b.span(off + 1, 3));
    cx.u(FC_CS_CTL, d[4], b.span(off + 4, 1));
    cx.add(FC_S_ID, Value::Bytes(b.span(off + 5, 3)), b.span(off + 5, 3));
    cx.u(FC_TYPE, d[8], b.span(off + 8, 1));
    cx.u(FC_F_CTL, u32::from_be_bytes([0, d[9], d[10], d[11]]), b.span(off + 9, 3));
    cx.u(FC_DF_CTL, d[13], b.span(off + 13, 1));
    cx.u(FC_OX_ID, u16::from_be_bytes([d[16], d[17]]), b.span(off + 16, 2));
    cx.u(FC_RX_ID, u16::from_be_bytes([d[18], d[19]]), b.span(off + 18, 2));
    cx.u(FC_PARAMETER, u32::from_be_bytes([d[20], d[21], d[22], d[23]]), b.span(off + 20, 4));
}
