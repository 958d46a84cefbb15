//! PostgreSQL frontend/backend protocol (port 5432): every message is a type byte and a
//! 32-bit length that counts itself; the start-up message, SSL and cancel requests have no
//! type byte (they start with a zero byte of their length). Messages spanning segments are
//! reassembled; one `pgsql` layer per call, however many messages it holds. For pcap-creds
//! the login is followed: a cleartext password, an MD5 answer (hashcat mode 11100) and, for
//! SCRAM-SHA-256, the username alone (its exchange gives no line hashcat can crack).
crate::declare_fields! {
    after = super::mqtt::END;
    PROTO = "pgsql", "PostgreSQL", Protocol, None;
    TYPE = "pgsql.type", "Type", String, None;
    LENGTH = "pgsql.length", "Length", U32, Dec;
    FRONTEND = "pgsql.frontend", "Frontend", Boolean, None;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;
use crate::tap::Credential;
use crate::tree::{Span, Value};

/// A connection's login, for pcap-creds.
#[derive(Default)]
pub struct Conv {
    /// The start-up message's `user`.
    user: Vec<u8>,
    /// The last authentication request's code (3 cleartext, 5 MD5, 10 SASL).
    method: u32,
    /// The MD5 request's salt.
    salt: [u8; 4],
}

/// The whole length of the message starting with `h` (its first five bytes): below five, a
/// bogus length (tshark shows the packet as malformed); 0 asks for another segment.
fn pdu_len(h: &[u8]) -> usize {
    let n = (h[0] != 0) as usize;
    let len = u32::from_be_bytes([h[n], h[n + 1], h[n + 2], h[n + 3]]) as usize;
    len + n
}

/// The name tshark gives a message type, for the types whose name does not depend on the
/// authentication exchange.
fn type_name(t: u8, frontend: bool) -> Option<&'static str> {
    Some(if frontend {
        match t {
            b'B' => "Bind",
            b'C' => "Close",
            b'D' => "Describe",
            b'E' => "Execute",
            b'F' => "Function call",
            b'H' => "Flush",
            b'P' => "Parse",
            b'Q' => "Simple query",
            b'S' => "Sync",
            b'X' => "Termination",
            b'd' => "Copy data",
            b'c' => "Copy completion",
            b'f' => "Copy failure",
            _ => return None,
        }
    } else {
        match t {
            b'R' => "Authentication request",
            b'K' => "Backend key data",
            b'S' => "Parameter status",
            b'1' => "Parse completion",
            b'2' => "Bind completion",
            b'3' => "Close completion",
            b'C' => "Command completion",
            b't' => "Parameter description",
            b'T' => "Row description",
            b'D' => "Data row",
            b'I' => "Empty query",
            b'n' => "No data",
            b'E' => "Error",
            b'N' => "Notice",
            b's' => "Portal suspended",
            b'Z' => "Ready for query",
            b'A' => "Notification",
            b'V' => "Function call response",
            b'G' => "CopyIn response",
            b'H' => "CopyOut response",
            b'd' => "Copy data",
            b'c' => "Copy completion",
            _ => return None,
        }
    })
}

/// Messages in `off..end` of a TCP payload; `frontend` when they go to the server port.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, frontend: bool, conv: &mut Conv) -> Option<Deseg> {
    if let Some(h) = b.data.get(off..off + 5).filter(|_| off + 5 <= end) {
        if (1..5).contains(&pdu_len(h)) {
            // The first message's length is bogus: tshark's PDU loop reports it before PGSQL
            // adds its item (the layer stays in `frame.protocols`).
            cx.push_name(crate::dissector::NESTED_OPEN);
            cx.push_name("pgsql");
            cx.push_name(crate::dissector::NESTED_CLOSE);
            cx.malformed();
            return None;
        }
    }
    let mut first = true;
    crate::reasm::pdus(cx, b, off, end, 5, pdu_len, |cx, b, o, e| {
        let sp = b.span_to(o, e);
        if first {
            cx.proto(PROTO, "pgsql", sp);
            first = false;
        } else {
            cx.push_name(crate::dissector::repeat("pgsql"));
            cx.add(PROTO, Value::None, sp);
        }
        cx.flag(FRONTEND, frontend, Span::EMPTY);
        let t = b.data[o];
        let n = (t != 0) as usize;
        if t == 0 {
            if frontend {
                cx.add_str(TYPE, "Startup message", b.span(o, 0));
            }
        } else if let Some(name) = type_name(t, frontend) {
            cx.add_str(TYPE, name, b.span(o, 1));
        }
        if let Some(len) = b.be32(o + n) {
            cx.u(LENGTH, len, b.span(o + n, 4));
        }
        if cx.creds_on() {
            if let Some(c) = login(b.data.get(o..e.min(b.len())).unwrap_or(&[]), frontend, conv) {
                cx.credential(c);
            }
        }
        if !frontend && (t == b'E' || t == b'N') && !notice_fields_end(&b.data[(o + 5).min(e)..e.min(b.len())]) {
            // An error or notice field runs past the message: tshark's dissector throws.
            cx.malformed();
        }
    })
}

/// Reads one message `m` (type byte included) for the login exchange.
fn login(m: &[u8], frontend: bool, conv: &mut Conv) -> Option<Credential> {
    let t = *m.first()?;
    if !frontend {
        if t == b'R' {
            conv.method = u32::from_be_bytes(m.get(5..9)?.try_into().ok()?);
            if conv.method == 5 {
                conv.salt = m.get(9..13)?.try_into().ok()?;
            }
        }
        return None;
    }
    if t == 0 {
        // A start-up message (protocol 3.0): NUL-terminated names and values.
        if m.get(4..8)? != [0, 3, 0, 0] {
            return None;
        }
        let mut it = m[8..].split(|&c| c == 0);
        while let (Some(k), Some(v)) = (it.next(), it.next()) {
            if k == b"user" {
                conv.user = v.to_vec();
            }
        }
        return None;
    }
    if t != b'p' {
        return None;
    }
    let body = m.get(5..)?;
    match std::mem::take(&mut conv.method) {
        3 => Some(Credential::cleartext("PostgreSQL", &conv.user, crate::codec::cstr(body))),
        5 => {
            let hash = crate::codec::cstr(body).strip_prefix(b"md5")?;
            if hash.len() != 32 || !hash.iter().all(u8::is_ascii_hexdigit) || conv.user.contains(&b'*') {
                return None;
            }
            let salt: String = conv.salt.iter().map(|x| format!("{:02x}", x)).collect();
            let line = format!(
                "$postgres${}*{}*{}",
                String::from_utf8_lossy(&conv.user),
                salt,
                String::from_utf8_lossy(hash).to_ascii_lowercase()
            );
            Some(Credential::hash("PostgreSQL MD5", &conv.user, b"", line, 11100))
        }
        10 => {
            // SASLInitialResponse: the mechanism; SCRAM's proof cannot be cracked from
            // the exchange by hashcat, so only the username is reported.
            let mech = crate::codec::cstr(body);
            mech.starts_with(b"SCRAM-").then(|| Credential::cleartext("PostgreSQL SCRAM", &conv.user, b""))
        }
        _ => None,
    }
}

/// Whether the fields of an ErrorResponse or NoticeResponse (a type byte and a
/// NUL-terminated string each, up to a 0 byte) end within the message `f`.
fn notice_fields_end(f: &[u8]) -> bool {
    let mut p = 0;
    loop {
        match f.get(p) {
            None => return false,
            Some(0) => return true,
            Some(_) => match memchr::memchr(0, &f[p + 1..]) {
                Some(z) => p += 1 + z + 1,
                None => return false,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{pdu_len, type_name};

    #[test]
    fn logins() {
        let mut conv = super::Conv::default();
        let startup = b"\0\0\0\x1b\0\x03\0\0user\0alice\0database\0x\0\0";
        assert!(super::login(startup, true, &mut conv).is_none());
        assert_eq!(conv.user, b"alice");
        assert!(super::login(b"R\0\0\0\x0c\0\0\0\x05\x01\x02\x03\xff", false, &mut conv).is_none());
        let answer = b"p\0\0\0\x28md5a8b4cbd40f2a8d6ae72a3d3ad0b0b14a\0";
        let c = super::login(answer, true, &mut conv).expect("md5 line");
        assert_eq!(String::from_utf8(c.secret).unwrap(), "$postgres$alice*010203ff*a8b4cbd40f2a8d6ae72a3d3ad0b0b14a");
        assert_eq!(c.hashcat, Some(11100));
        // A password message not asked for is nothing.
        assert!(super::login(answer, true, &mut conv).is_none());
        assert!(super::login(b"R\0\0\0\x08\0\0\0\x03", false, &mut conv).is_none());
        let c = super::login(b"p\0\0\0\x0bsecret\0", true, &mut conv).expect("cleartext");
        assert_eq!((c.username.as_slice(), c.secret.as_slice()), (&b"alice"[..], &b"secret"[..]));
        for m in [&startup[..], &answer[..]] {
            for n in 0..m.len() {
                let _ = super::login(&m[..n], true, &mut super::Conv { method: 5, ..Default::default() });
                let _ = super::login(&m[..n], false, &mut super::Conv::default());
            }
        }
    }

    #[test]
    fn lengths() {
        // Query "SELECT 1;": 'Q', length 14 (4 + 10 bytes of text and its NUL).
        assert_eq!(pdu_len(b"Q\x00\x00\x00\x0e"), 15);
        // A start-up message of 8 bytes (protocol 3.0 and nothing else): no type byte.
        assert_eq!(pdu_len(b"\x00\x00\x00\x08\x00"), 8);
        // ReadyForQuery: 'Z', length 5.
        assert_eq!(pdu_len(b"Z\x00\x00\x00\x05"), 6);
        // A bogus length: shorter than the five bytes it is read from.
        assert_eq!(pdu_len(b"Z\x00\x00\x00\x01"), 2);
        assert_eq!(pdu_len(b"\x00\x00\x00\x03\x00"), 3);
        assert!(super::notice_fields_end(b"SINFO\x00MTest\x00\x00"));
        assert!(!super::notice_fields_end(b"SINFO\x00MTest Er"));
        assert!(!super::notice_fields_end(b"SINFO\x00"));
        assert_eq!(type_name(b'Z', false), Some("Ready for query"));
        assert_eq!(type_name(b'Q', true), Some("Simple query"));
    }
}
