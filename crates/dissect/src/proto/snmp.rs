//! SNMP v1 and v2c over UDP (ports 161 and 162): the community string, a cleartext secret.
//! Only the credentials tap and the two fields below are produced (the payload stays `data`
//! in the tree, as before this dissector).
crate::declare_fields! {
    after = super::smtp::END;
    PROTO = "snmp", "Simple Network Management Protocol", Protocol, None;
    VERSION = "snmp.version", "version", I32, Dec;
    COMMUNITY = "snmp.community", "community", String, None;
}

use crate::ber;
use crate::tap::Credential;
use crate::tree::{Span, Value};

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
