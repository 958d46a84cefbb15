//! ASAP (RSerPool's Aggregate Server Access Protocol) over TCP (port 3863): one message per
//! segment, no reassembly. The header (type, flags, length) is read; a length running past
//! the payload is the exception tshark's parameter walk meets (malformed).
crate::declare_fields! {
    after = super::msnms::END;
    PROTO = "asap", "Aggregate Server Access Protocol", Protocol, None;
    MESSAGE_TYPE = "asap.message_type", "Type", U8, Dec;
    MESSAGE_FLAGS = "asap.message_flags", "Flags", U8, Hex;
    MESSAGE_LENGTH = "asap.message_length", "Length", U16, Dec;
}

use crate::cx::{Bytes, Cx};

/// The message header's length.
const HEADER: usize = 4;

/// A TCP payload at `off..end` on ASAP's port.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "asap", b.span_to(off, end));
    let (Some(t), Some(f), Some(l)) = (b.u8(off), b.u8(off + 1), b.be16(off + 2)) else {
        return cx.bounds_error(off + HEADER, end);
    };
    cx.u(MESSAGE_TYPE, t, b.span(off, 1));
    cx.u(MESSAGE_FLAGS, f, b.span(off + 1, 1));
    cx.u(MESSAGE_LENGTH, l, b.span(off + 2, 2));
    let need = off + (l as usize).max(HEADER);
    if need > end {
        cx.bounds_error(need, end);
    }
}
