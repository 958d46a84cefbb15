//! Cisco's Dynamic Trunking Protocol (SNAP OUI 00:00:0c, PID 0x2004): the version and the
//! TLVs (type, length; domain, status, type and sender ID values).
crate::declare_fields! {
    after = super::cdp::END;
    PROTO = "dtp", "Dynamic Trunking Protocol", Protocol, None;
    VERSION = "dtp.version", "Version", U8, Dec;
    TLV_TYPE = "dtp.tlv_type", "Type", U16, Hex;
    TLV_LEN = "dtp.tlv_len", "Length", U16, Dec;
    DOMAIN = "dtp.domain", "Domain", String, None;
    SENDERID = "dtp.senderid", "Sender ID", Ether, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "dtp", b.span_to(off, end));
    let Some(ver) = b.u8(off) else { return };
    cx.u(VERSION, ver, b.span(off, 1));
    let mut p = off + 1;
    while p + 4 <= end {
        let (Some(ty), Some(len)) = (b.be16(p), b.be16(p + 2)) else { return };
        cx.u(TLV_TYPE, ty, b.span(p, 2));
        cx.u(TLV_LEN, len, b.span(p + 2, 2));
        if len < 4 {
            return;
        }
        let len = len as usize;
        match ty {
            1 => {
                if let Some(v) = b.data.get(p + 4..(p + len).min(end)) {
                    // The domain is NUL-padded.
                    let v = v.split(|&c| c == 0).next().unwrap_or(v);
                    cx.add_ascii(DOMAIN, v, b.span(p + 4, v.len()));
                }
            }
            4 if len == 10 => {
                if let Some(m) = b.arr::<6>(p + 4) {
                    cx.add(SENDERID, Value::Ether(m), b.span(p + 4, 6));
                }
            }
            _ => {}
        }
        p += len;
    }
}
