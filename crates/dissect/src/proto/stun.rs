//! STUN (RFC 5389) over UDP: by port 3478 or tshark's heuristic (the magic cookie and a
//! message length that fills the datagram). The header, and the attributes' types and
//! lengths with the common address, string and number attributes read; a DATA attribute's
//! content is data inside STUN's item.
crate::declare_fields! {
    after = super::lisp::END;
    PROTO = "stun", "Session Traversal Utilities for NAT", Protocol, None;
    TYPE = "stun.type", "Message Type", U16, Hex;
    TYPE_CLASS = "stun.type.class", "Message Class", U16, Hex, mask = 0x110;
    TYPE_METHOD = "stun.type.method", "Message Method", U16, Hex, mask = 0x3eef;
    TYPE_METHOD_ASSIGNMENT = "stun.type.method-assignment", "Message Method Assignment", U16, Hex, mask = 0x2000;
    LENGTH = "stun.length", "Message Length", U16, Dec;
    COOKIE = "stun.cookie", "Message Cookie", Bytes, None;
    ID = "stun.id", "Message Transaction ID", Bytes, None;
    ATTRIBUTES = "stun.attributes", "Attributes", None, None;
    ATT_TYPE = "stun.att.type", "Attribute Type", U16, Hex;
    ATT_LENGTH = "stun.att.length", "Attribute Length", U16, Dec;
    ATT_FAMILY = "stun.att.family", "Protocol Family", U8, Hex;
    ATT_IPV4 = "stun.att.ipv4", "IP", Ipv4, None;
    ATT_IPV6 = "stun.att.ipv6", "IP", Ipv6, None;
    ATT_PORT = "stun.att.port", "Port", U16, Dec;
    ATT_PORT_XORD = "stun.att.port-xord", "Port (XOR-d)", Bytes, None;
    ATT_IPV4_XORD = "stun.att.ipv4-xord", "IP (XOR-d)", Bytes, None;
    ATT_IPV6_XORD = "stun.att.ipv6-xord", "IP (XOR-d)", Bytes, None;
    ATT_USERNAME = "stun.att.username", "Username", String, None;
    ATT_SOFTWARE = "stun.att.software", "Software", String, None;
    ATT_PRIORITY = "stun.att.priority", "Priority", U32, Dec;
    ATT_CRC32 = "stun.att.crc32", "CRC-32", U32, Hex;
    ATT_VALUE = "stun.value", "Value", Bytes, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::{Span, Value};

const COOKIE_VALUE: u32 = 0x2112_a442;
const HDR_LEN: usize = 20;

/// tshark's test for a STUN message: a whole header with the magic cookie, and a message
/// length that, with the header, is the datagram's (`reported`) length.
pub fn looks_like(d: &[u8], reported: usize) -> bool {
    d.len() >= HDR_LEN
        && d[0] & 0xc0 == 0
        && u32::from_be_bytes([d[4], d[5], d[6], d[7]]) == COOKIE_VALUE
        && u16::from_be_bytes([d[2], d[3]]) as usize + HDR_LEN == reported
        && known_method(u16::from_be_bytes([d[0], d[1]]))
}

/// The methods tshark's STUN dissector knows (it rejects a message of another).
fn known_method(t: u16) -> bool {
    let method = ((t & 0x3e00) >> 2) | ((t & 0xe0) >> 1) | (t & 0xf);
    matches!(method, 0x001..=0x004 | 0x006..=0x00c | 0x080)
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let end = end.min(b.reported);
    cx.proto(PROTO, "stun", b.span_to(off, end));
    let (Some(t), Some(len)) = (b.be16(off), b.be16(off + 2)) else { return };
    let r = b.span(off, 2);
    cx.u(TYPE, t, r);
    cx.u(TYPE_CLASS, ((t & 0x100) >> 7) | ((t & 0x10) >> 4), r);
    cx.u(TYPE_METHOD, ((t & 0x3e00) >> 2) | ((t & 0xe0) >> 1) | (t & 0xf), r);
    cx.u(TYPE_METHOD_ASSIGNMENT, (t & 0x2000) >> 13, r);
    cx.u(LENGTH, len, b.span(off + 2, 2));
    cx.add(COOKIE, Value::Bytes(b.span(off + 4, 4)), b.span(off + 4, 4));
    cx.add(ID, Value::Bytes(b.span(off + 8, 12)), b.span(off + 8, 12));
    let cap = end.min(b.len());
    let mut o = off + HDR_LEN;
    if o + 4 > cap {
        return;
    }
    cx.add(ATTRIBUTES, Value::None, Span::EMPTY);
    let mut data_at = None;
    while o + 4 <= cap {
        let (Some(at), Some(al)) = (b.be16(o), b.be16(o + 2)) else { break };
        let al = al as usize;
        cx.u(ATT_TYPE, at, b.span(o, 2));
        cx.u(ATT_LENGTH, al as u32, b.span(o + 2, 2));
        let v = o + 4;
        if v + al > cap {
            break;
        }
        attribute(cx, b, at, v, al);
        if at == 0x0013 && al > 0 && data_at.is_none() {
            data_at = Some((v, v + al));
        }
        // Attributes are padded to four bytes.
        o = v + ((al + 3) & !3);
    }
    if let Some((a, z)) = data_at {
        cx.nested(|cx| crate::proto::data::dissect(cx, b, a, z));
    }
}

/// One attribute's value (`v..v + al`).
fn attribute(cx: &mut Cx, b: Bytes, at: u16, v: usize, al: usize) {
    let d = &b.data[v..v + al];
    match at {
        // MAPPED-ADDRESS and the other plain addresses.
        0x0001 | 0x0002 | 0x0004 | 0x0005 | 0x000b | 0x8023 | 0x802b | 0x802c if al >= 8 => {
            cx.u(ATT_FAMILY, d[1], b.span(v + 1, 1));
            cx.u(ATT_PORT, u16::from_be_bytes([d[2], d[3]]), b.span(v + 2, 2));
            match d[1] {
                1 => cx.add(ATT_IPV4, Value::Ipv4([d[4], d[5], d[6], d[7]]), b.span(v + 4, 4)),
                2 if al >= 20 => {
                    let mut a = [0u8; 16];
                    a.copy_from_slice(&d[4..20]);
                    cx.add(ATT_IPV6, Value::Ipv6(a), b.span(v + 4, 16));
                }
                _ => {}
            }
        }
        // XOR-MAPPED-ADDRESS and the other XOR-ed addresses.
        0x0012 | 0x0016 | 0x0020 | 0x8020 if al >= 8 => {
            cx.u(ATT_FAMILY, d[1], b.span(v + 1, 1));
            cx.add(ATT_PORT_XORD, Value::Bytes(b.span(v + 2, 2)), b.span(v + 2, 2));
            cx.u(ATT_PORT, u16::from_be_bytes([d[2], d[3]]) ^ 0x2112, Span::EMPTY);
            match d[1] {
                1 => {
                    cx.add(ATT_IPV4_XORD, Value::Bytes(b.span(v + 4, 4)), b.span(v + 4, 4));
                    let x = COOKIE_VALUE.to_be_bytes();
                    let a = [d[4] ^ x[0], d[5] ^ x[1], d[6] ^ x[2], d[7] ^ x[3]];
                    cx.add(ATT_IPV4, Value::Ipv4(a), Span::EMPTY);
                }
                2 if al >= 20 => {
                    cx.add(ATT_IPV6_XORD, Value::Bytes(b.span(v + 4, 16)), b.span(v + 4, 16));
                }
                _ => {}
            }
        }
        0x0006 => cx.add_ascii(ATT_USERNAME, d, b.span(v, al)),
        0x8022 => cx.add_ascii(ATT_SOFTWARE, d, b.span(v, al)),
        0x0024 if al >= 4 => cx.u(ATT_PRIORITY, u32::from_be_bytes([d[0], d[1], d[2], d[3]]), b.span(v, 4)),
        0x8028 if al >= 4 => cx.u(ATT_CRC32, u32::from_be_bytes([d[0], d[1], d[2], d[3]]), b.span(v, 4)),
        // An attribute tshark does not know shows its value.
        _ if al > 0 && !known(at) => cx.add(ATT_VALUE, Value::Bytes(b.span(v, al)), b.span(v, al)),
        _ => {}
    }
}

/// The attribute types tshark's STUN dissector names.
fn known(at: u16) -> bool {
    matches!(
        at,
        0x0001..=0x001a
            | 0x001c..=0x0022
            | 0x0024..=0x0028
            | 0x002a
            | 0x0030
            | 0x8000..=0x8008
            | 0x8020
            | 0x8022..=0x802c
            | 0x8050
            | 0x8054..=0x8062
            | 0x8068
            | 0x8070
            | 0x8090
    )
}

#[cfg(test)]
mod tests {
    use super::looks_like;

    #[test]
    fn heuristic() {
        let mut m = vec![0u8, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42];
        m.extend_from_slice(&[7; 12]);
        assert!(looks_like(&m, 20));
        assert!(!looks_like(&m, 24));
        m[4] = 0;
        assert!(!looks_like(&m, 20));
        // An unknown method (0x200).
        let mut u = vec![0x08u8, 0, 0, 0, 0x21, 0x12, 0xa4, 0x42];
        u.extend_from_slice(&[7; 12]);
        assert!(!looks_like(&u, 20));
        let mut c = vec![0x40u8, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42];
        c.extend_from_slice(&[7; 12]);
        assert!(!looks_like(&c, 20));
        assert!(!looks_like(&[0, 1, 0, 0], 4));
    }
}
