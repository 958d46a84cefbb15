//! CLDAP: LDAP messages in UDP datagrams (port 389). One `cldap` layer holds the
//! datagram's messages, each showing its ID and operation (LDAP's fields).
crate::declare_fields! {
    after = super::dtls::END;
    PROTO = "cldap", "Connectionless Lightweight Directory Access Protocol", Protocol, None;
}

use crate::ber;
use crate::cx::{Bytes, Cx};
use crate::proto::ldap::{MESSAGE_ID, PROTOCOL_OP};
use crate::tree::Span;

/// Most messages read from one datagram.
const MAX_MESSAGES: usize = 256;

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    let end = end.min(b.reported);
    cx.proto(PROTO, "cldap", b.span_to(off, end));
    if !cx.wants_any(MESSAGE_ID, PROTOCOL_OP.0 + 1) {
        return;
    }
    let mut rest = b.data.get(off..end.min(b.len())).unwrap_or(&[]);
    for _ in 0..MAX_MESSAGES {
        let Some((msg, r)) = ber::parse(rest) else { return };
        rest = r;
        let mut kids = ber::children(msg.value);
        let (Some(id), Some(op)) = (kids.next(), kids.next()) else { continue };
        if id.class == 0 && id.tag == 2 && id.value.len() <= 4 {
            cx.u(MESSAGE_ID, id.value.iter().fold(0u32, |a, &x| a << 8 | x as u32), Span::EMPTY);
        }
        if op.class == 1 {
            cx.u(PROTOCOL_OP, op.tag, Span::EMPTY);
        }
        if rest.is_empty() {
            return;
        }
    }
}
