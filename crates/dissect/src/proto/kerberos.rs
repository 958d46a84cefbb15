//! Kerberos 5 (port 88, UDP and TCP with its 4-byte record mark) for the credentials tap:
//! AS-REQ pre-authentication timestamps (hashcat 7500 for RC4, 19800/19900 for AES),
//! AS-REP encrypted parts (18200, RC4) and TGS-REP tickets (13100, 19600, 19700), read with
//! the BER reader over whole (reassembled) messages. The layer is shown (UDP and TCP port
//! 88); its tree holds only the fields the credentials need.
crate::declare_fields! {
    after = super::ldap::END;
    PROTO = "kerberos", "Kerberos", Protocol, None;
    MSG_TYPE = "kerberos.msg_type", "msg-type", I32, Dec;
    CNAMESTRING = "kerberos.CNameString", "CNameString", String, None;
    REALM = "kerberos.realm", "realm", String, None;
    ETYPE = "kerberos.etype", "etype", I32, Dec;
}

use crate::ber::{self, Tlv};
use crate::codec::hex;
use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;
use crate::tap::Credential;
use crate::tree::{Span, Value};

/// Kerberos over TCP: record-marked messages in `off..end`.
pub fn dissect_tcp(cx: &mut Cx, b: Bytes, off: usize, end: usize) -> Option<Deseg> {
    crate::reasm::pdus(
        cx,
        b,
        off,
        end,
        4,
        |h| 4 + (u32::from_be_bytes([h[0] & 0x7f, h[1], h[2], h[3]]) as usize).min(1 << 20),
        |cx, b, o, e| {
            cx.proto(PROTO, "kerberos", b.span_to(o, e));
            if cx.creds_on() || cx.wants_any(PROTO, END) {
                message(cx, b.data.get(o + 4..e.min(b.len())).unwrap_or(&[]))
            }
        },
    )
}

/// tshark's test of a Kerberos datagram (UDP has no record mark): a first byte above 0x10
/// (below is Kerberos 4's) that is the identifier of an application-class tag of one of
/// Kerberos 5's messages.
pub fn looks_like_udp(d: &[u8]) -> bool {
    let Some(&id) = d.first() else { return false };
    id > 0x10 && id >> 6 == 1 && matches!(id & 0x1f, 1..=3 | 10..=17 | 20..=22 | 25..=30)
}

/// A Kerberos datagram in `off..end` ([`looks_like_udp`] took it).
pub fn dissect_udp(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "kerberos", b.span_to(off, end));
    if cx.creds_on() || cx.wants_any(PROTO, END) {
        message(cx, b.data.get(off..end.min(b.len())).unwrap_or(&[]));
    }
}

/// One Kerberos message (a UDP payload, or a TCP record without its mark).
pub fn message(cx: &mut Cx, d: &[u8]) {
    let Some((app, _)) = ber::parse(d) else { return };
    if app.class != 1 {
        return;
    }
    let Some(body) = ber::parse(app.value).map(|x| x.0).filter(|t| t.tag == 16) else { return };
    cx.add(MSG_TYPE, Value::I(app.tag as i64), Span::EMPTY);
    match app.tag {
        10 => as_req(cx, body.value),
        11 | 13 => kdc_rep(cx, body.value, app.tag),
        _ => {}
    }
}

/// A context tag's inner value (`[n] EXPLICIT`).
fn field<'a>(v: &'a [u8], tag: u32) -> Option<Tlv<'a>> {
    ber::inner(ber::ctx(v, tag)?)
}

fn text(v: &[u8], tag: u32) -> Option<Vec<u8>> {
    Some(field(v, tag)?.value.to_vec())
}

/// PrincipalName: the name strings joined with `/`.
fn principal(v: &[u8], tag: u32) -> Option<Vec<u8>> {
    let name = field(v, tag)?;
    let strings = field(name.value, 1)?;
    let parts: Vec<&[u8]> = ber::children(strings.value).take(16).map(|t| t.value).collect();
    (!parts.is_empty()).then(|| parts.join(&b'/'))
}

/// EncryptedData: (etype, cipher).
fn encrypted(t: Tlv<'_>) -> Option<(i64, &[u8])> {
    Some((ber::int(field(t.value, 0)?.value)?, field(t.value, 2)?.value))
}

fn s(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn as_req(cx: &mut Cx, v: &[u8]) {
    let Some(body) = field(v, 4) else { return };
    let (Some(user), Some(realm)) = (principal(body.value, 1), text(body.value, 2)) else { return };
    cx.add_str(CNAMESTRING, &s(&user), Span::EMPTY);
    cx.add_str(REALM, &s(&realm), Span::EMPTY);
    let Some(padata) = field(v, 3) else { return };
    for pa in ber::children(padata.value).take(32) {
        let (Some(kind), Some(value)) = (field(pa.value, 1), field(pa.value, 2)) else { continue };
        if ber::int(kind.value) != Some(2) {
            continue;
        }
        // PA-ENC-TIMESTAMP: EncryptedData encrypted with the user's key.
        let Some((enc, _)) = ber::parse(value.value) else { continue };
        let Some((etype, cipher)) = encrypted(enc) else { continue };
        cx.add(ETYPE, Value::I(etype), Span::EMPTY);
        let line = match etype {
            23 if cipher.len() > 16 => {
                let salt = format!("{}{}", s(&realm), s(&user));
                format!("$krb5pa$23${}${}${}${}{}", s(&user), s(&realm), salt, hex(&cipher[16..]), hex(&cipher[..16]))
            }
            17 | 18 if cipher.len() > 12 => format!("$krb5pa${}${}${}${}", etype, s(&user), s(&realm), hex(cipher)),
            _ => continue,
        };
        let mode = match etype {
            23 => 7500,
            17 => 19800,
            _ => 19900,
        };
        cx.credential(Credential::hash("Kerberos AS-REQ", &user, &realm, line, mode));
    }
}

/// AS-REP (11) and TGS-REP (13): the reply's encrypted part (AS-REP roasting) and the
/// ticket's (Kerberoasting).
fn kdc_rep(cx: &mut Cx, v: &[u8], kind: u32) {
    let (Some(realm), Some(user)) = (text(v, 3), principal(v, 4)) else { return };
    cx.add_str(CNAMESTRING, &s(&user), Span::EMPTY);
    cx.add_str(REALM, &s(&realm), Span::EMPTY);
    let mut cred = if kind == 11 {
        let Some((etype, cipher)) = field(v, 6).and_then(encrypted) else { return };
        if etype != 23 || cipher.len() <= 16 {
            return;
        }
        let line = format!("$krb5asrep$23${}@{}:{}${}", s(&user), s(&realm), hex(&cipher[..16]), hex(&cipher[16..]));
        Credential::hash("Kerberos AS-REP", &user, &realm, line, 18200)
    } else {
        // Ticket ::= [APPLICATION 1] SEQUENCE { tkt-vno [0], realm [1], sname [2], enc-part [3] }
        let Some(ticket) = field(v, 5).and_then(|t| ber::parse(t.value).map(|x| x.0)) else { return };
        let spn = principal(ticket.value, 2).unwrap_or_default();
        let Some((etype, cipher)) = field(ticket.value, 3).and_then(encrypted) else { return };
        let (line, mode) = match etype {
            23 if cipher.len() > 16 => (
                format!("$krb5tgs$23$*{}${}${}*${}${}", s(&user), s(&realm), s(&spn).replace(':', "~"), hex(&cipher[..16]), hex(&cipher[16..])),
                13100,
            ),
            17 | 18 if cipher.len() > 12 => {
                let (edata, mac) = cipher.split_at(cipher.len() - 12);
                (format!("$krb5tgs${}${}${}${}${}", etype, s(&user), s(&realm), hex(mac), hex(edata)), if etype == 17 { 19600 } else { 19700 })
            }
            _ => return,
        };
        Credential::hash("Kerberos TGS-REP", &user, &realm, line, mode)
    };
    // The reply travels from the KDC to the client.
    cred.from_client = false;
    cx.credential(cred);
}

#[cfg(test)]
mod tests {
    #[test]
    fn udp_test() {
        // AS-REQ [APPLICATION 10], KRB-ERROR [APPLICATION 30], TGS-REP [APPLICATION 13].
        assert!(super::looks_like_udp(&[0x6a, 0x81, 0x10]));
        assert!(super::looks_like_udp(&[0x7e, 0x10]));
        assert!(super::looks_like_udp(&[0x6d, 0x10]));
        // A SEQUENCE, an unknown application tag, Kerberos 4, nothing.
        assert!(!super::looks_like_udp(&[0x30, 0x10]));
        assert!(!super::looks_like_udp(&[0x64, 0x10]));
        assert!(!super::looks_like_udp(&[0x04, 0x10]));
        assert!(!super::looks_like_udp(&[]));
    }
}
