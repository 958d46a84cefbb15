//! Wake On LAN magic packets (ethertype 0x0842, UDP ports 7 and 9): the sync stream of six
//! 0xff bytes and the target MAC sixteen times (an optional password follows).
crate::declare_fields! {
    after = super::mipv6::END;
    PROTO = "wol", "Wake On LAN", Protocol, None;
    SYNC = "wol.sync", "Sync stream", Bytes, None;
    MAC = "wol.mac", "MAC", Ether, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

/// True when `off..end` holds a magic packet (what tshark checks before claiming one).
pub fn is_magic(b: Bytes, off: usize, end: usize) -> bool {
    let Some(m) = b.data.get(off..end.min(b.len())) else { return false };
    if m.len() < 102 || m[..6] != [0xff; 6] {
        return false;
    }
    let mac = &m[6..12];
    (1..16).all(|i| &m[6 + 6 * i..12 + 6 * i] == mac)
}

/// Dissects a magic packet at `off..end` (check [`is_magic`] first).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let end = end.min(b.len());
    cx.proto(PROTO, "wol", b.span_to(off, end));
    cx.add(SYNC, Value::Bytes(b.span(off, 6)), b.span(off, 6));
    let Some(mac) = b.arr::<6>(off + 6) else { return };
    for i in 0..16 {
        cx.add(MAC, Value::Ether(mac), b.span(off + 6 + 6 * i, 6));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::Buf;

    #[test]
    fn magic() {
        let mut p = vec![0xff; 6];
        for _ in 0..16 {
            p.extend_from_slice(&[0, 0x0d, 0x56, 0xdc, 0x9e, 0x35]);
        }
        assert!(is_magic(Bytes::new(&p, Buf::Frame), 0, p.len()));
        p[50] ^= 1;
        assert!(!is_magic(Bytes::new(&p, Buf::Frame), 0, p.len()));
        assert!(!is_magic(Bytes::new(&p[..80], Buf::Frame), 0, 200));
    }
}
