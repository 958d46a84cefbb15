//! LDAP over TCP (port 389) for the credentials tap: simple binds (DN and password) and
//! NTLMSSP inside SASL binds. Messages are framed by their BER length and desegmented, as
//! tshark does; no tree is built for them (the payload is not shown as LDAP).
crate::declare_fields! {
    after = super::snmp::END;
    PROTO = "ldap", "Lightweight Directory Access Protocol", Protocol, None;
    NAME = "ldap.name", "name", String, None;
    SIMPLE = "ldap.simple", "simple", String, None;
}

use crate::ber;
use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;
use crate::tap::Credential;
use crate::tree::Span;

/// The LDAP messages of `off..end`.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, ntlm: &mut crate::proto::ntlmssp::Pairing) -> Option<Deseg> {
    let first = b.data.get(off).copied();
    if first != Some(0x30) {
        return None;
    }
    crate::reasm::pdus(cx, b, off, end, 6, |h| ber::total_len(h).map_or(1, |n| n.min(1 << 20)), |cx, b, o, e| message(cx, &b.data[o..e.min(b.len())], ntlm))
}

fn message(cx: &mut Cx, d: &[u8], ntlm: &mut crate::proto::ntlmssp::Pairing) {
    if memchr::memmem::find(d, b"NTLMSSP\0").is_some() {
        crate::proto::ntlmssp::find(cx, d, ntlm, "LDAP");
    }
    let Some((msg, _)) = ber::parse(d) else { return };
    let mut kids = ber::children(msg.value);
    let (Some(_id), Some(op)) = (kids.next(), kids.next()) else { return };
    // bindRequest: [APPLICATION 0] { version, name, authentication }.
    if op.class != 1 || op.tag != 0 {
        return;
    }
    let mut f = ber::children(op.value);
    let (Some(_version), Some(name), Some(auth)) = (f.next(), f.next(), f.next()) else { return };
    cx.add_str(NAME, &String::from_utf8_lossy(name.value), Span::EMPTY);
    if auth.class == 2 && auth.tag == 0 {
        cx.add_str(SIMPLE, &String::from_utf8_lossy(auth.value), Span::EMPTY);
        if !auth.value.is_empty() {
            cx.credential(Credential::cleartext("LDAP", name.value, auth.value));
        }
    }
}
