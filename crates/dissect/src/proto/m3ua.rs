//! MTP 3 User Adaptation Layer (SCTP payload protocol 3, port 2905): the common header and
//! the parameters; the Protocol Data parameter's SS7 message goes to ISUP (service
//! indicator 5, whose header this module reads too) or `data`.
crate::declare_fields! {
    after = super::sctp::END;
    PROTO = "m3ua", "MTP 3 User Adaptation Layer", Protocol, None;
    VERSION = "m3ua.version", "Version", U8, Dec;
    RESERVED = "m3ua.reserved", "Reserved", U8, Hex;
    MESSAGE_CLASS = "m3ua.message_class", "Message class", U8, Dec;
    MESSAGE_TYPE = "m3ua.message_type", "Message Type", U8, Dec;
    MESSAGE_LENGTH = "m3ua.message_length", "Message length", U32, Dec;
    PARAMETER_TAG = "m3ua.parameter_tag", "Parameter Tag", U16, Dec;
    PARAMETER_LENGTH = "m3ua.parameter_length", "Parameter length", U16, Dec;
    PROTOCOL_DATA_OPC = "m3ua.protocol_data_opc", "OPC", U32, Dec, blurb = "Originating Point Code";
    PROTOCOL_DATA_DPC = "m3ua.protocol_data_dpc", "DPC", U32, Dec, blurb = "Destination Point Code";
    PROTOCOL_DATA_SI = "m3ua.protocol_data_si", "SI", U8, Dec, blurb = "Service Indicator";
    PROTOCOL_DATA_NI = "m3ua.protocol_data_ni", "NI", U8, Dec, blurb = "Network Indicator";
    PROTOCOL_DATA_MP = "m3ua.protocol_data_mp", "MP", U8, Dec, blurb = "Message Priority";
    PROTOCOL_DATA_SLS = "m3ua.protocol_data_sls", "SLS", U8, Dec, blurb = "Signalling Link Selection";
    ISUP = "isup", "ISDN User Part", Protocol, None;
    ISUP_CIC = "isup.cic", "CIC", U16, Dec;
    ISUP_MESSAGE_TYPE = "isup.message_type", "Message Type", U8, Dec;
}

use crate::cx::{Bytes, Cx};

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "m3ua", b.span_to(off, end));
    let (Some(v), Some(r), Some(class), Some(ty), Some(len)) =
        (b.u8(off), b.u8(off + 1), b.u8(off + 2), b.u8(off + 3), b.be32(off + 4))
    else {
        return;
    };
    cx.u(VERSION, v, b.span(off, 1));
    cx.u(RESERVED, r, b.span(off + 1, 1));
    cx.u(MESSAGE_CLASS, class, b.span(off + 2, 1));
    cx.u(MESSAGE_TYPE, ty, b.span(off + 3, 1));
    cx.u(MESSAGE_LENGTH, len, b.span(off + 4, 4));
    let mend = (off + len as usize).min(end);
    let mut p = off + 8;
    // Parameters (tag, length, value padded to 4 bytes), a bounded number of them.
    for _ in 0..64 {
        let (Some(tag), Some(plen)) = (b.be16(p), b.be16(p + 2)) else { return };
        cx.u(PARAMETER_TAG, tag, b.span(p, 2));
        cx.u(PARAMETER_LENGTH, plen, b.span(p + 2, 2));
        let plen = plen as usize;
        if plen < 4 {
            return;
        }
        if tag == 0x0210 && plen >= 16 {
            protocol_data(cx, b, p + 4, (p + plen).min(mend));
        }
        p += (plen + 3) & !3;
        if p >= mend {
            return;
        }
    }
}

fn protocol_data(cx: &mut Cx, b: Bytes, p: usize, end: usize) {
    let (Some(opc), Some(dpc), Some(si), Some(ni), Some(mp), Some(sls)) =
        (b.be32(p), b.be32(p + 4), b.u8(p + 8), b.u8(p + 9), b.u8(p + 10), b.u8(p + 11))
    else {
        return;
    };
    cx.u(PROTOCOL_DATA_OPC, opc, b.span(p, 4));
    cx.u(PROTOCOL_DATA_DPC, dpc, b.span(p + 4, 4));
    cx.u(PROTOCOL_DATA_SI, si, b.span(p + 8, 1));
    cx.u(PROTOCOL_DATA_NI, ni, b.span(p + 9, 1));
    cx.u(PROTOCOL_DATA_MP, mp, b.span(p + 10, 1));
    cx.u(PROTOCOL_DATA_SLS, sls, b.span(p + 11, 1));
    let s = p + 12;
    if s >= end {
        return;
    }
    if si == 5 {
        cx.proto(ISUP, "isup", b.span_to(s, end));
        let (Some(cic), Some(mt)) = (b.le16(s), b.u8(s + 2)) else { return };
        cx.u(ISUP_CIC, cic & 0x0fff, b.span(s, 2));
        cx.u(ISUP_MESSAGE_TYPE, mt, b.span(s + 2, 1));
    } else {
        crate::proto::data::dissect(cx, b, s, end);
    }
}
