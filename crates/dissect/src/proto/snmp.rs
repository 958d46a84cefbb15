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
    } else {
        header(cx, d);
    }
    pdu(cx, d);
}

/// Version and community (what [`credentials`] adds too).
fn header(cx: &mut crate::cx::Cx, d: &[u8]) {
    let Some((msg, _)) = ber::parse(d) else { return };
    if msg.class != 0 || msg.tag != 16 {
        return;
    }
    let mut kids = ber::children(msg.value);
    let Some(v) = kids.next().filter(|v| v.tag == 2 && v.class == 0) else { return };
    let Some(version) = ber::int(v.value) else { return };
    cx.add(VERSION, Value::I(version), Span::EMPTY);
    if let Some(c) = kids.next().filter(|c| c.tag == 4 && c.class == 0 && version < 3) {
        cx.add_str(COMMUNITY, &String::from_utf8_lossy(c.value), Span::EMPTY);
    }
}

/// The PDU of a v1/v2c message: its type (`snmp.data`, the tag of the choice), request ID
/// and error fields (a v1 trap has none of those).
fn pdu(cx: &mut crate::cx::Cx, d: &[u8]) {
    let Some((msg, _)) = ber::parse(d) else { return };
    if msg.class != 0 || msg.tag != 16 {
        return;
    }
    let mut kids = ber::children(msg.value);
    let Some(version) = kids.next().filter(|v| v.tag == 2).and_then(|v| ber::int(v.value)) else { return };
    if version >= 3 || kids.next().is_none() {
        return;
    }
    let Some(p) = kids.next().filter(|p| p.class == 2 && p.constructed) else { return };
    cx.u(DATA, p.tag, Span::EMPTY);
    if p.tag == 4 {
        return;
    }
    for (f, t) in [REQUEST_ID, ERROR_STATUS, ERROR_INDEX].into_iter().zip(ber::children(p.value)) {
        let Some(v) = ber::int(t.value).filter(|_| t.tag == 2 && t.class == 0) else { return };
        cx.add(f, Value::I(v), Span::EMPTY);
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
