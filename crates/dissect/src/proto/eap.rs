//! Extensible Authentication Protocol (RFC 3748) as another protocol carries it (PANA's
//! EAP-Payload AVP): code, identifier, length and, for requests and responses, the type.
crate::declare_fields! {
    after = super::papi::END;
    PROTO = "eap", "Extensible Authentication Protocol", Protocol, None;
    CODE = "eap.code", "Code", U8, Dec, vals = CODE_VALS;
    ID = "eap.id", "Id", U8, Dec;
    LEN = "eap.len", "Length", U16, Dec;
    TYPE = "eap.type", "Type", U8, Dec;
}

use crate::cx::{Bytes, Cx};

pub static CODE_VALS: &[(u64, &str)] =
    &[(1, "Request"), (2, "Response"), (3, "Success"), (4, "Failure"), (5, "Initiate"), (6, "Finish")];

/// An EAP packet in `off..end`.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "eap", b.span_to(off, end));
    let Some(code) = b.u8(off) else { return };
    cx.u(CODE, code, b.span(off, 1));
    if let Some(id) = b.u8(off + 1) {
        cx.u(ID, id, b.span(off + 1, 1));
    }
    if let Some(len) = b.be16(off + 2) {
        cx.u(LEN, len, b.span(off + 2, 2));
    }
    if matches!(code, 1 | 2) {
        if let Some(t) = b.u8(off + 4) {
            cx.u(TYPE, t, b.span(off + 4, 1));
        }
    }
}
