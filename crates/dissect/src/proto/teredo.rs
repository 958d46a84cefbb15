//! Teredo (IPv6 over UDP port 3544), with its optional authentication and origin headers.
crate::declare_fields! {
    after = super::esp::END;
    PROTO = "teredo", "Teredo IPv6 over UDP tunneling", Protocol, None;
}

use crate::cx::{Bytes, Cx};

/// True when the payload looks like Teredo (as tshark's heuristic: an IPv6 header, possibly
/// behind the 0x0001 authentication or 0x0000 origin indication headers).
pub fn looks_like(b: Bytes, off: usize) -> bool {
    inner(b, off).is_some()
}

fn inner(b: Bytes, mut off: usize) -> Option<usize> {
    if b.be16(off)? == 1 {
        let id_len = b.u8(off + 2)? as usize;
        let au_len = b.u8(off + 3)? as usize;
        off += 4 + id_len + au_len + 9;
    }
    if b.be16(off)? == 0 {
        off += 8;
    }
    let v = b.u8(off)?;
    let plen = b.be16(off + 4)? as usize;
    (v >> 4 == 6 && off + 40 + plen <= b.reported).then_some(off)
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "teredo", b.span_to(off, end));
    if let Some(p) = inner(b, off) {
        crate::proto::ipv6::dissect(cx, b.until(end), p);
    }
}
