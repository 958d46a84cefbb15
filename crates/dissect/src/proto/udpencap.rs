//! UDP encapsulation of IPsec (UDP port 4500, RFC 3948): a one-byte 0xff NAT keepalive,
//! IKE after a zero non-ESP marker, or ESP.
crate::declare_fields! {
    after = super::isakmp::END;
    PROTO = "udpencap", "UDP Encapsulation of IPsec Packets", Protocol, None;
    NAT_KEEPALIVE = "udpencap.nat_keepalive", "NAT-keepalive packet", None, None;
    NON_ESP_MARKER = "udpencap.non_esp_marker", "Non-ESP Marker", None, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

/// The payload `off..end` of a datagram to or from port 4500. ESP is read whatever the
/// command wants (its fields are the network layer's); IKE only when `leaf`.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, leaf: bool) {
    cx.proto(PROTO, "udpencap", b.span_to(off, end));
    if end.saturating_sub(off) == 1 && b.u8(off) == Some(0xff) {
        cx.add(NAT_KEEPALIVE, Value::None, b.span(off, 1));
        return;
    }
    let Some(spi) = b.be32(off) else {
        cx.bounds_error(off + 4, end);
        return;
    };
    if spi == 0 {
        cx.add(NON_ESP_MARKER, Value::None, b.span(off, 4));
        if leaf && end > off + 4 {
            crate::proto::isakmp::dissect(cx, b, off + 4, end);
        }
    } else {
        crate::proto::esp::dissect(cx, b, off, end);
    }
}
