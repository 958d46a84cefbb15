//! Distributed Interactive Simulation (IEEE 1278.1, UDP port 3000): the 12-byte PDU header
//! (version, exercise, PDU type, family, timestamp, length). The PDU bodies are not read.
crate::declare_fields! {
    after = super::rtps::END;
    PROTO = "dis", "Distributed Interactive Simulation", Protocol, None;
    PROTO_VER = "dis.proto_ver", "Proto version", U8, Dec;
    EXER_ID = "dis.exer_id", "Exercise ID", U8, Dec;
    PDU_TYPE = "dis.pdu_type", "PDU type", U8, Dec;
    PROTO_FAM = "dis.proto_fam", "Proto Family", U8, Dec;
    PDU_LENGTH = "dis.pdu_length", "PDU Length", U16, Dec;
}

use crate::cx::{Bytes, Cx};

/// A DIS PDU in `off..end` of a datagram (tshark's DIS takes whatever its port carries).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "dis", b.span_to(off, end));
    for (i, f) in [PROTO_VER, EXER_ID, PDU_TYPE, PROTO_FAM].into_iter().enumerate() {
        if let Some(v) = b.u8(off + i) {
            cx.u(f, v, b.span(off + i, 1));
        }
    }
    if let Some(len) = b.be16(off + 8) {
        cx.u(PDU_LENGTH, len, b.span(off + 8, 2));
    }
}
