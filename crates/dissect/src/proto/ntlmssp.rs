//! NTLMSSP inside other protocols (HTTP `NTLM`/`Negotiate`, SMB2 session setup, ...): the
//! server's challenge (type 2) and the client's answer (type 3), which together make a
//! NetNTLMv1 or v2 hash line for hashcat (modes 5500 and 5600). The challenge is paired with
//! the answer by TCP connection; an answer without a challenge seen gives no line.
crate::declare_fields! {
    after = super::tls::END;
    PROTO = "ntlmssp", "NTLM Secure Service Provider", Protocol, None;
    MESSAGETYPE = "ntlmssp.messagetype", "NTLM Message Type", U32, Hex;
    SERVER_CHALLENGE = "ntlmssp.ntlmserverchallenge", "NTLM Server Challenge", Bytes, None;
    AUTH_DOMAIN = "ntlmssp.auth.domain", "Domain name", String, None;
    AUTH_USERNAME = "ntlmssp.auth.username", "User name", String, None;
    AUTH_HOSTNAME = "ntlmssp.auth.hostname", "Host name", String, None;
}

use crate::codec::{hex, utf16le};
use crate::cx::{Bytes, Cx};
use crate::tap::Credential;
use crate::tree::Span;

const SIGNATURE: &[u8; 8] = b"NTLMSSP\0";

/// The last challenge a server sent on a connection.
#[derive(Default)]
pub struct Pairing {
    challenge: Option<[u8; 8]>,
}

/// The client's answer (type 3).
struct Auth {
    user: Vec<u8>,
    domain: Vec<u8>,
    host: Vec<u8>,
    lm: Vec<u8>,
    nt: Vec<u8>,
}

enum Msg {
    Negotiate,
    Challenge([u8; 8]),
    Auth(Auth),
}

/// Looks for an NTLMSSP message anywhere in `blob` (bare, or wrapped in SPNEGO / GSS-API)
/// and dissects it: fields, the challenge kept in `pair`, a credential for an answer.
/// `carrier` names the protocol it travelled in (`HTTP`, `SMB2`, ...).
pub fn find(cx: &mut Cx, blob: &[u8], pair: &mut Pairing, carrier: &'static str) {
    let Some(at) = memchr::memmem::find(blob, SIGNATURE) else { return };
    let m = &blob[at..];
    let Some(msg) = parse(m) else { return };
    // (No protocol item: the GSS-API and SPNEGO layers tshark shows around it are not
    // dissected, so `frame.protocols` is left as it was.)
    let kind = u32::from_le_bytes([m[8], m[9], m[10], m[11]]);
    cx.u(MESSAGETYPE, kind, Span::EMPTY);
    match msg {
        Msg::Negotiate => {}
        Msg::Challenge(c) => {
            if cx.wants(SERVER_CHALLENGE) {
                let sp = cx.tree.push_scratch(&c);
                cx.add(SERVER_CHALLENGE, crate::tree::Value::Bytes(sp), Span::EMPTY);
            }
            pair.challenge = Some(c);
        }
        Msg::Auth(a) => {
            for (id, v) in [(AUTH_DOMAIN, &a.domain), (AUTH_USERNAME, &a.user), (AUTH_HOSTNAME, &a.host)] {
                let s = if v.is_empty() { "NULL".into() } else { String::from_utf8_lossy(v).into_owned() };
                cx.add_str(id, &s, Span::EMPTY);
            }
            if let Some(c) = hash_line(&a, pair.challenge) {
                cx.credential(c.with_carrier(carrier));
            }
        }
    }
}

/// NTLMSSP as a layer of its own (called by GSS-API, SPNEGO or a carrier that saw the
/// signature): its protocol item, then its fields. With the credentials tap on, the carrier
/// has already looked for the message (`find`), so only the item is added here.
pub fn layer(cx: &mut Cx, b: Bytes, off: usize, end: usize, pair: &mut Pairing) {
    cx.proto(PROTO, "ntlmssp", b.span_to(off, end));
    if !cx.creds_on() {
        dissect(cx, b, off, end, pair, "NTLMSSP");
    }
}

/// Dissects a bare NTLMSSP message at `off..end` of `b` (a carrier that knows where it is).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, pair: &mut Pairing, carrier: &'static str) {
    let d = &b.data[off.min(b.len())..end.min(b.len())];
    find(cx, d, pair, carrier)
}

fn parse(m: &[u8]) -> Option<Msg> {
    let le16 = |at: usize| m.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]) as usize);
    let le32 = |at: usize| m.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]));
    match le32(8)? {
        1 => Some(Msg::Negotiate),
        2 => Some(Msg::Challenge(m.get(24..32)?.try_into().ok()?)),
        3 => {
            // A security buffer: length, allocated length, offset from the signature.
            let field = |at: usize| -> Option<&[u8]> {
                let (len, off) = (le16(at)?, le32(at + 4)? as usize);
                if len == 0 {
                    return Some(&[]);
                }
                m.get(off..off.checked_add(len)?)
            };
            let flags = le32(60).unwrap_or(1);
            let unicode = flags & 1 != 0;
            let text = |b: &[u8]| if unicode { utf16le(b) } else { b.to_vec() };
            Some(Msg::Auth(Auth {
                lm: field(12)?.to_vec(),
                nt: field(20)?.to_vec(),
                domain: text(field(28)?),
                user: text(field(36)?),
                host: text(field(44)?),
            }))
        }
        _ => None,
    }
}

/// hashcat's NetNTLMv2 (5600) or NetNTLMv1 (5500) line; none for anonymous answers or
/// without the server's challenge.
fn hash_line(a: &Auth, challenge: Option<[u8; 8]>) -> Option<Credential> {
    let ch = challenge?;
    if a.user.is_empty() || a.nt.len() < 24 {
        return None;
    }
    let (u, d) = (String::from_utf8_lossy(&a.user), String::from_utf8_lossy(&a.domain));
    if a.nt.len() > 24 {
        let line = format!("{}::{}:{}:{}:{}", u, d, hex(&ch), hex(&a.nt[..16]), hex(&a.nt[16..]));
        Some(Credential::hash("NTLMv2", &a.user, &a.domain, line, 5600))
    } else {
        if a.lm.len() != 24 {
            return None;
        }
        let line = format!("{}::{}:{}:{}:{}", u, d, hex(&a.lm), hex(&a.nt), hex(&ch));
        Some(Credential::hash("NTLMv1", &a.user, &a.domain, line, 5500))
    }
}

trait Carrier {
    fn with_carrier(self, carrier: &'static str) -> Self;
}

impl Carrier for Credential {
    /// Names the protocol as carrier and version: `SMB2 NTLMv2`, `HTTP NTLMv1`, ...
    fn with_carrier(mut self, carrier: &'static str) -> Self {
        let v2 = self.hashcat == Some(5600);
        self.protocol = match (carrier, v2) {
            ("HTTP", true) => "HTTP NTLMv2",
            ("HTTP", false) => "HTTP NTLMv1",
            ("SMB2", true) => "SMB2 NTLMv2",
            ("SMB2", false) => "SMB2 NTLMv1",
            ("SMB", true) => "SMB NTLMv2",
            ("SMB", false) => "SMB NTLMv1",
            ("SMTP", true) => "SMTP NTLMv2",
            ("SMTP", false) => "SMTP NTLMv1",
            (_, true) => "NTLMv2",
            (_, false) => "NTLMv1",
        };
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buf(len: usize, off: usize) -> [u8; 8] {
        let mut b = [0u8; 8];
        b[0..2].copy_from_slice(&(len as u16).to_le_bytes());
        b[2..4].copy_from_slice(&(len as u16).to_le_bytes());
        b[4..8].copy_from_slice(&(off as u32).to_le_bytes());
        b
    }

    #[test]
    fn v2_line_and_no_challenge() {
        let mut m = b"NTLMSSP\0\x03\0\0\0".to_vec();
        let payload_at = 64;
        let nt: Vec<u8> = (0..40).collect();
        let user = utf16_of("bob");
        let dom = utf16_of("CORP");
        m.extend_from_slice(&buf(0, payload_at)); // LM
        m.extend_from_slice(&buf(nt.len(), payload_at)); // NT
        m.extend_from_slice(&buf(dom.len(), payload_at + nt.len()));
        m.extend_from_slice(&buf(user.len(), payload_at + nt.len() + dom.len()));
        m.extend_from_slice(&buf(0, payload_at)); // host
        m.extend_from_slice(&buf(0, payload_at)); // session key
        m.extend_from_slice(&1u32.to_le_bytes()); // flags: unicode
        m.extend_from_slice(&nt);
        m.extend_from_slice(&dom);
        m.extend_from_slice(&user);
        let Some(Msg::Auth(a)) = parse(&m) else { panic!("not parsed") };
        assert_eq!(a.user, b"bob");
        assert!(hash_line(&a, None).is_none());
        let c = hash_line(&a, Some([1, 2, 3, 4, 5, 6, 7, 8])).unwrap();
        let line = String::from_utf8(c.secret).unwrap();
        assert!(line.starts_with("bob::CORP:0102030405060708:000102030405060708090a0b0c0d0e0f:1011"), "{}", line);
        // Offsets past the end: no answer, no panic.
        m.truncate(70);
        assert!(parse(&m).is_none());
    }

    fn utf16_of(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
    }
}
