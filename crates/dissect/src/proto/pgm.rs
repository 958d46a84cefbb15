//! Pragmatic General Multicast (IP protocol 113): the header, and the data of ODATA and
//! RDATA packets (after their sequence numbers and any options) handed to `data`.
crate::declare_fields! {
    after = super::rsvp::END;
    PROTO = "pgm", "Pragmatic General Multicast", Protocol, None;
    HDR_SPORT = "pgm.hdr.sport", "Source Port", U16, Dec;
    HDR_DPORT = "pgm.hdr.dport", "Destination Port", U16, Dec;
    HDR_TYPE = "pgm.hdr.type", "Type", U8, Hex;
    HDR_OPTS = "pgm.hdr.opts", "Options", U8, Hex;
    HDR_GSI = "pgm.hdr.gsi", "Global Source Identifier", Bytes, None;
    HDR_TSDULEN = "pgm.hdr.tsdulen", "Transport Service Data Unit Length", U16, Dec;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    // tshark leaves packets of a type it does not know (such as SPMR, 0x0c) to `data`.
    if !b.u8(off + 4).is_some_and(|t| matches!(t, 0 | 1 | 2 | 4 | 5 | 8 | 9 | 0x0a | 0x0d)) {
        crate::proto::data::dissect(cx, b, off, end);
        return;
    }
    cx.proto(PROTO, "pgm", b.span_to(off, end));
    let (Some(sp), Some(dp), Some(ty), Some(opts)) = (b.be16(off), b.be16(off + 2), b.u8(off + 4), b.u8(off + 5))
    else {
        return;
    };
    cx.u(HDR_SPORT, sp, b.span(off, 2));
    cx.u(HDR_DPORT, dp, b.span(off + 2, 2));
    cx.u(HDR_TYPE, ty, b.span(off + 4, 1));
    cx.u(HDR_OPTS, opts, b.span(off + 5, 1));
    if b.arr::<6>(off + 8).is_none() {
        return;
    }
    cx.add(HDR_GSI, Value::Bytes(b.span(off + 8, 6)), b.span(off + 8, 6));
    let Some(tsdu) = b.be16(off + 14) else { return };
    cx.u(HDR_TSDULEN, tsdu, b.span(off + 14, 2));
    // ODATA and RDATA: two sequence numbers, options, then the data.
    if ty != 4 && ty != 5 {
        return;
    }
    let mut p = off + 24;
    if opts & 1 != 0 {
        // The first option (OPT_LENGTH) gives the options' total length.
        let Some(total) = b.be16(p + 2) else { return };
        p += total as usize;
    }
    if p < end {
        crate::proto::data::dissect(cx, b, p, end);
    }
}
