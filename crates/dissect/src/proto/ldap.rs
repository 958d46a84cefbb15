//! LDAP over TCP (port 389): one `ldap` layer per message (its ID and operation), and for
//! the credentials tap simple binds (DN and password) and NTLMSSP inside SASL binds.
//! Messages are framed by their BER length and desegmented, as tshark does. A payload
//! that does not start a message (SASL-wrapped) is left to the caller.
crate::declare_fields! {
    after = super::snmp::END;
    PROTO = "ldap", "Lightweight Directory Access Protocol", Protocol, None;
    MESSAGE_ID = "ldap.messageID", "messageID", U32, Dec;
    PROTOCOL_OP = "ldap.protocolOp", "protocolOp", U32, Dec;
    NAME = "ldap.name", "name", String, None;
    SIMPLE = "ldap.simple", "simple", String, None;
}

use crate::ber;
use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;
use crate::tap::Credential;
use crate::tree::{Span, Value};

/// True when the payload at `off` starts an LDAP message (a SEQUENCE).
pub fn starts_message(b: Bytes, off: usize) -> bool {
    b.u8(off) == Some(0x30)
}

/// The LDAP messages of `off..end`.
pub fn dissect(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    end: usize,
    ntlm: &mut crate::proto::ntlmssp::Pairing,
) -> Option<Deseg> {
    let first = b.data.get(off).copied();
    if first != Some(0x30) {
        return None;
    }
    let mut first = true;
    crate::reasm::pdus(
        cx,
        b,
        off,
        end,
        6,
        |h| ber::total_len(h).map_or(1, |n| n.min(1 << 20)),
        |cx, b, o, e| {
            let sp = b.span_to(o, e);
            if first {
                cx.proto(PROTO, "ldap", sp);
                first = false;
            } else {
                cx.push_name("+ldap");
                cx.add(PROTO, Value::None, sp);
            }
            message(cx, &b.data[o..e.min(b.len())], ntlm)
        },
    )
}

/// BER nesting depth past which tshark's tree is too deep for it.
const MAX_NESTING: usize = 249;

/// The deepest nesting of constructed values in `v` (at depth `depth`), up to [`MAX_NESTING`].
fn nesting(v: &[u8], depth: usize) -> usize {
    if depth >= MAX_NESTING {
        return depth;
    }
    let mut max = depth;
    for t in ber::children(v) {
        if t.constructed {
            max = max.max(nesting(t.value, depth + 1));
            if max >= MAX_NESTING {
                break;
            }
        }
    }
    max
}

fn message(cx: &mut Cx, d: &[u8], ntlm: &mut crate::proto::ntlmssp::Pairing) {
    if cx.creds_on() && memchr::memmem::find(d, b"NTLMSSP\0").is_some() {
        crate::proto::ntlmssp::find(cx, d, ntlm, "LDAP");
    }
    let Some((msg, _)) = ber::parse(d) else { return };
    // tshark gives up on a tree deeper than 500 items (two per nested filter): its
    // dissector-bug exception shows as a malformed packet.
    if nesting(msg.value, 1) >= MAX_NESTING {
        cx.malformed();
    }
    let mut kids = ber::children(msg.value);
    let (Some(id), Some(op)) = (kids.next(), kids.next()) else { return };
    if id.class == 0 && id.tag == 2 && id.value.len() <= 4 {
        cx.u(MESSAGE_ID, id.value.iter().fold(0u32, |a, &x| a << 8 | x as u32), Span::EMPTY);
    }
    if op.class == 1 {
        cx.u(PROTOCOL_OP, op.tag, Span::EMPTY);
    }
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

#[cfg(test)]
mod tests {
    /// A filter nested `n` deep: `and` sets each holding the next.
    fn nested(n: usize) -> Vec<u8> {
        let mut v = vec![0x87, 1, b'x'];
        for _ in 0..n {
            let mut o = vec![0xa0, 0x84];
            o.extend_from_slice(&(v.len() as u32).to_be_bytes());
            o.extend_from_slice(&v);
            v = o;
        }
        v
    }

    #[test]
    fn nesting_depth() {
        assert_eq!(super::nesting(&nested(3), 1), 4);
        assert_eq!(super::nesting(&nested(400), 1), super::MAX_NESTING);
        assert_eq!(super::nesting(b"\x02\x01\x01", 1), 1);
    }
}
