//! H.263 video in RTP (RFC 2190, static payload type 34): the payload header (mode A, B or
//! C by its F and P bits), then the H.263 bitstream.
crate::declare_fields! {
    after = super::cups::END;
    PROTO = "rfc2190", "H.263 RTP Payload header (RFC2190)", Protocol, None;
    FTYPE = "rfc2190.ftype", "F", Boolean, None;
    PBFRAMES = "rfc2190.pbframes", "p/b frame", Boolean, None;
    SBIT = "rfc2190.sbit", "Start bit position", U8, Dec;
    EBIT = "rfc2190.ebit", "End bit position", U8, Dec;
    SRCFORMAT = "rfc2190.srcformat", "SRC format", U8, Dec;
    PICTURE_CODING_TYPE = "rfc2190.picture_coding_type", "Inter-coded frame", Boolean, None;
    UNRESTRICTED_MOTION_VECTOR = "rfc2190.unrestricted_motion_vector", "Motion vector", Boolean, None;
    SYNTAX_BASED_ARITHMETIC = "rfc2190.syntax_based_arithmetic", "Syntax-based arithmetic coding", Boolean, None;
    ADVANCED_PREDICTION = "rfc2190.advanced_prediction", "Advanced prediction option", Boolean, None;
    R = "rfc2190.r", "Reserved field", U16, Dec;
    DBQ = "rfc2190.dbq", "Differential quantization parameter", U8, Dec;
    TRB = "rfc2190.trb", "Temporal Reference for B frames", U8, Dec;
    TR = "rfc2190.tr", "Temporal Reference for P frames", U8, Dec;
    QUANT = "rfc2190.quant", "Quantizer", U8, Dec;
    GOBN = "rfc2190.gobn", "GOB Number", U8, Dec;
    MBA = "rfc2190.mba", "Macroblock address", U16, Dec;
    H263 = "h263", "ITU-T Recommendation H.263", Protocol, None;
}

use crate::cx::{Bytes, Cx};

/// The RTP payload type tshark's table gives this dissector.
pub const PT_H263: u8 = 34;

/// The payload header's length: mode A (F clear), B (F set, P clear) or C (both set).
fn header_len(first: u8) -> usize {
    match first >> 6 {
        0 | 1 => 4,
        2 => 8,
        _ => 12,
    }
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let end = end.min(b.len());
    cx.proto(PROTO, "rfc2190", b.span_to(off, end));
    let Some(o0) = b.u8(off).filter(|_| off < end) else {
        cx.bounds_error(off + 1, end);
        return;
    };
    let hl = header_len(o0);
    if off + hl > end {
        cx.bounds_error(off + hl, end);
        return;
    }
    let d = &b.data[off..off + hl];
    let (r0, r1) = (b.span(off, 1), b.span(off + 1, 1));
    cx.flag(FTYPE, o0 & 0x80 != 0, r0);
    cx.flag(PBFRAMES, o0 & 0x40 != 0, r0);
    cx.u(SBIT, (o0 >> 3) & 7, r0);
    cx.u(EBIT, o0 & 7, r0);
    cx.u(SRCFORMAT, d[1] >> 5, r1);
    if hl == 4 {
        cx.flag(PICTURE_CODING_TYPE, d[1] & 0x10 != 0, r1);
        cx.flag(UNRESTRICTED_MOTION_VECTOR, d[1] & 0x08 != 0, r1);
        cx.flag(SYNTAX_BASED_ARITHMETIC, d[1] & 0x04 != 0, r1);
        cx.flag(ADVANCED_PREDICTION, d[1] & 0x02 != 0, r1);
        cx.u(R, ((d[1] & 1) << 3) | (d[2] >> 5), b.span(off + 1, 2));
        cx.u(DBQ, (d[2] >> 3) & 3, b.span(off + 2, 1));
        cx.u(TRB, d[2] & 7, b.span(off + 2, 1));
        cx.u(TR, d[3], b.span(off + 3, 1));
    } else {
        cx.u(QUANT, d[1] & 0x1f, r1);
        cx.u(GOBN, d[2] >> 3, b.span(off + 2, 1));
        cx.u(MBA, (((d[2] & 7) as u16) << 6) | (d[3] >> 2) as u16, b.span(off + 2, 2));
        cx.u(R, d[3] & 3, b.span(off + 3, 1));
        let r4 = b.span(off + 4, 1);
        cx.flag(PICTURE_CODING_TYPE, d[4] & 0x80 != 0, r4);
        cx.flag(UNRESTRICTED_MOTION_VECTOR, d[4] & 0x40 != 0, r4);
        cx.flag(SYNTAX_BASED_ARITHMETIC, d[4] & 0x20 != 0, r4);
        cx.flag(ADVANCED_PREDICTION, d[4] & 0x10 != 0, r4);
        if hl == 12 {
            cx.u(DBQ, (d[10] >> 3) & 3, b.span(off + 10, 1));
            cx.u(TRB, d[10] & 7, b.span(off + 10, 1));
            cx.u(TR, d[11], b.span(off + 11, 1));
        }
    }
    // The rest is the H.263 stream.
    cx.proto(H263, "h263", b.span_to(off + hl, end));
}

#[cfg(test)]
mod tests {
    use super::header_len;

    #[test]
    fn modes() {
        assert_eq!(header_len(0x00), 4);
        assert_eq!(header_len(0x40), 4);
        assert_eq!(header_len(0x80), 8);
        assert_eq!(header_len(0xc0), 12);
    }
}
