//! SNMP over UDP (ports 161 and 162): version, community (a cleartext secret, also given
//! to the credentials tap), and for v1/v2c the PDU type with its request ID and error
//! fields. SNMPv3 messages show their version only.
crate::declare_fields! {
    after = super::smtp::END;
    PROTO = "snmp", "Simple Network Management Protocol", Protocol, None;
    VERSION = "snmp.version", "version", I32, Dec;
    COMMUNITY = "snmp.community", "community", String, None;
    DATA = "snmp.data", "data", U32, Dec;
    REQUEST_ID = "snmp.request_id", "request-id", I32, Dec;
    ERROR_STATUS = "snmp.error_status", "error-status", I32, Dec;
    ERROR_INDEX = "snmp.error_index", "error-index", I32, Dec;
}

use crate::ber;
use crate::tap::Credential;
use crate::tree::{Span, Value};

/// The SNMP message at `off..end` of `b`; `to_agent` when it goes to port 161 or 162.
pub fn dissect(cx: &mut crate::cx::Cx, b: crate::cx::Bytes, off: usize, end: usize, to_agent: bool) {
    cx.proto(PROTO, "snmp", b.span_to(off, end));
    let Some(d) = b.data.get(off..end.min(b.len())) else { return };
    if cx.creds_on() {
        credentials(cx, d, to_agent);
    }
    fields(cx, d, !cx.creds_on());
}

/// A TLV read leniently, as tshark reads a message cut short by the snapshot length: the
/// identifier and length must be there, the value is what was captured of it. Returns the
/// class, whether constructed, the tag, the value and what follows the value (None when
/// the value is cut short).
fn tlv(d: &[u8]) -> Option<(u8, bool, u32, &[u8], Option<&[u8]>)> {
    let first = *d.first()?;
    if first & 0x1f == 0x1f {
        // No SNMP element before the varbinds has a multi-byte tag.
        return None;
    }
    let l = *d.get(1)?;
    let (hl, len) = match l {
        l if l & 0x80 == 0 => (2, l as usize),
        0x81..=0x84 => {
            let n = (l & 0x7f) as usize;
            (2 + n, d.get(2..2 + n)?.iter().fold(0usize, |a, &x| a << 8 | x as usize))
        }
        _ => return None,
    };
    let rest = d.get(hl..)?;
    let (value, after) = if len <= rest.len() { (&rest[..len], Some(&rest[len..])) } else { (rest, None) };
    Some((first >> 6, first & 0x20 != 0, (first & 0x1f) as u32, value, after))
}

/// An INTEGER element (whole) at the start of `d`, and what follows it.
fn integer(d: &[u8]) -> Option<(i64, &[u8])> {
    match tlv(d)? {
        (0, _, 2, v, Some(rest)) => Some((ber::int(v)?, rest)),
        _ => None,
    }
}

/// Version and community (with `header`: [`credentials`] adds them otherwise), then for a
/// v1/v2c message the PDU's type (`snmp.data`, the tag of the choice), request ID and error
/// fields (a v1 trap has none of those).
fn fields(cx: &mut crate::cx::Cx, d: &[u8], header: bool) {
    let Some((0, _, 16, msg, _)) = tlv(d) else { return };
    let Some((version, rest)) = integer(msg) else { return };
    if header {
        cx.add(VERSION, Value::I(version), Span::EMPTY);
    }
    if version >= 3 {
        return;
    }
    let Some((0, _, 4, community, Some(rest))) = tlv(rest) else { return };
    if header {
        cx.add_str(COMMUNITY, &String::from_utf8_lossy(community), Span::EMPTY);
    }
    let Some((2, true, tag, pdu, _)) = tlv(rest) else { return };
    cx.u(DATA, tag, Span::EMPTY);
    if tag == 4 {
        return;
    }
    let mut p = pdu;
    for f in [REQUEST_ID, ERROR_STATUS, ERROR_INDEX] {
        let Some((v, rest)) = integer(p) else { return };
        cx.add(f, Value::I(v), Span::EMPTY);
        p = rest;
    }
}

/// The SNMP message `d` (a UDP payload); `to_agent` when it goes to port 161 or 162.
pub fn credentials(cx: &mut crate::cx::Cx, d: &[u8], to_agent: bool) {
    let Some((msg, _)) = ber::parse(d) else { return };
    if msg.class != 0 || msg.tag != 16 {
        return;
    }
    let mut kids = ber::children(msg.value);
    let (Some(v), Some(c)) = (kids.next(), kids.next()) else { return };
    if v.tag != 2 || c.tag != 4 || c.class != 0 {
        return;
    }
    let Some(version) = ber::int(v.value) else { return };
    cx.add(VERSION, Value::I(version), Span::EMPTY);
    cx.add_str(COMMUNITY, &String::from_utf8_lossy(c.value), Span::EMPTY);
    let protocol = match version {
        0 => "SNMPv1",
        1 => "SNMPv2c",
        _ => return,
    };
    let mut cred = Credential::cleartext(protocol, b"", c.value);
    cred.from_client = to_agent;
    cx.credential(cred);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An SNMPv1 GetRequest (RFC 1157) for 1.3.6.1.2.1 with a NULL value, community "public".
    const GET: &[u8] = &[
        0x30, 0x26, 0x02, 0x01, 0x00, 0x04, 0x06, b'p', b'u', b'b', b'l', b'i', b'c', 0xa0, 0x19, 0x02, 0x04, 0x12,
        0x34, 0x56, 0x78, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0b, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x06, 0x01,
        0x02, 0x01, 0x05, 0x00,
    ];

    #[test]
    fn lenient_tlv() {
        let (class, constructed, tag, v, rest) = tlv(GET).unwrap();
        assert_eq!((class, constructed, tag, v.len(), rest.map(<[u8]>::len)), (0, true, 16, 38, Some(0)));
        // Cut short: the value is what was captured, nothing follows.
        let (_, _, _, v, rest) = tlv(&GET[..20]).unwrap();
        assert_eq!((v.len(), rest), (18, None));
        assert_eq!(integer(&GET[2..]).map(|(v, r)| (v, r.len())), Some((0, 35)));
        assert_eq!(integer(&GET[15..17]), None);
    }
}
