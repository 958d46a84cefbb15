//! Raw IP link types: LINKTYPE_RAW (101, version from the first nibble, shown as `raw`)
//! and LINKTYPE_IPV4 / LINKTYPE_IPV6 (228/229, straight to the IP dissector).
crate::declare_fields! {
    after = super::null::END;
    PROTO = "raw", "Raw packet data", Protocol, None;
}

use crate::cx::{Bytes, Cx};

/// `version`: 0 = read the IP version from the packet (LINKTYPE_RAW), 4 or 6 = fixed.
pub fn dissect(cx: &mut Cx, b: Bytes, version: u8) {
    let v = if version == 0 {
        cx.proto(PROTO, "raw", b.span_to(0, b.len()));
        b.u8(0).map(|x| x >> 4).unwrap_or(0)
    } else {
        version
    };
    if version == 6 && b.u8(0).is_some_and(|x| x >> 4 != 6) {
        // A bogus version: tshark's IPv6 dissector shows its item and rejects the packet, so
        // the layer is in the tree (`io,phs`) but not in `frame.protocols`.
        cx.proto(crate::proto::ipv6::PROTO, "~ipv6", b.span_to(0, b.len()));
        return;
    }
    match v {
        4 => crate::proto::ip::dissect(cx, b, 0),
        6 => crate::proto::ipv6::dissect(cx, b, 0),
        _ => crate::proto::data::dissect(cx, b, 0, b.len()),
    }
}
