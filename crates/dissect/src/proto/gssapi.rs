//! GSS-API (RFC 2743) tokens as the carriers of Windows authentication hand them over (SMB2
//! security blobs, DCE-RPC auth verifiers): an initial token (`[APPLICATION 0]` with the
//! mechanism's OID) names the mechanism; later tokens use the mechanism the conversation
//! last named, as tshark's `gss-api` does. Raw NTLMSSP messages and Kerberos wrap tokens
//! are recognised by their first bytes.
//!
//! The mechanisms tshark hands tokens to, by OID, and the layer each adds to
//! `frame.protocols`: SPNEGO (`spnego`), NTLMSSP (`ntlmssp`), Kerberos 5 (`spnego-krb5`,
//! which dissects the Kerberos message inside it without a layer of its own).
crate::declare_fields! {
    after = super::smb::END;
    PROTO = "gss-api", "GSS-API Generic Security Service Application Program Interface", Protocol, None;
    OID = "gss-api.OID", "OID", String, None;
    TOKEN_OBJECT = "gss-api.token_object", "Token object", Bytes, None;
}

use crate::cx::{Bytes, Cx};
use crate::tree::Value;

/// A security mechanism tshark knows by OID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mech {
    Spnego,
    Ntlmssp,
    Krb5,
    Negoex,
}

impl Mech {
    /// The mechanism of a dotted OID (those tshark registers with GSS-API).
    pub fn of_oid(oid: &str) -> Option<Mech> {
        match oid {
            "1.3.6.1.5.5.2" => Some(Mech::Spnego),
            "1.3.6.1.4.1.311.2.2.10" => Some(Mech::Ntlmssp),
            "1.2.840.113554.1.2.2" | "1.2.840.48018.1.2.2" | "1.2.840.113554.1.2.2.3" => Some(Mech::Krb5),
            "1.3.6.1.4.1.311.2.2.30" => Some(Mech::Negoex),
            _ => None,
        }
    }
}

/// Authentication state of one conversation (TCP connection): the mechanism GSS-API's last
/// initial token named, and the one SPNEGO negotiated (or offered first).
#[derive(Default, Clone, Copy, Debug)]
pub struct Conv {
    pub gss: Option<Mech>,
    pub spnego: Option<Mech>,
}

/// The dotted form of a BER OBJECT IDENTIFIER's contents (None when malformed).
pub fn oid_str(v: &[u8]) -> Option<String> {
    if v.is_empty() || v.len() > 64 {
        return None;
    }
    let mut arcs: Vec<u64> = Vec::new();
    let mut x: u64 = 0;
    for (i, &b) in v.iter().enumerate() {
        if x > (u64::MAX >> 8) {
            return None;
        }
        x = x << 7 | (b & 0x7f) as u64;
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (x / 40).min(2);
                arcs.push(first);
                arcs.push(x - first * 40);
            } else {
                arcs.push(x);
            }
            x = 0;
        } else if i + 1 == v.len() {
            return None;
        }
    }
    Some(arcs.iter().map(|a| a.to_string()).collect::<Vec<_>>().join("."))
}

/// A security blob as SMB2 (and HTTP, LDAP) hand it over: raw NTLMSSP goes straight to
/// NTLMSSP, anything else to GSS-API.
pub fn secblob(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    end: usize,
    conv: &mut Conv,
    ntlm: &mut crate::proto::ntlmssp::Pairing,
) {
    let d = &b.data[off.min(b.len())..end.min(b.len())];
    if d.len() >= 7 && &d[..7] == b"NTLMSSP" {
        crate::proto::ntlmssp::layer(cx, b, off, end, ntlm);
    } else {
        dissect(cx, b, off, end, conv, ntlm);
    }
}

/// A GSS-API token at `off..end`.
pub fn dissect(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    end: usize,
    conv: &mut Conv,
    ntlm: &mut crate::proto::ntlmssp::Pairing,
) {
    cx.proto(PROTO, "gss-api", b.span_to(off, end));
    work(cx, b, off, end, conv, ntlm, false);
}

/// GSS-API's work without its protocol item (DCE-RPC calls it so): `verifier` for an auth
/// verifier (the mechanism's wrap dissector then takes the token).
pub fn work(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    end: usize,
    conv: &mut Conv,
    ntlm: &mut crate::proto::ntlmssp::Pairing,
    verifier: bool,
) {
    let cap_end = end.min(b.len());
    let d = &b.data[off.min(cap_end)..cap_end];
    if d.len() > 7 && &d[..7] == b"NTLMSSP" {
        crate::proto::ntlmssp::layer(cx, b, off, end, ntlm);
        return;
    }
    if d.first() != Some(&0x60) {
        // Not an initial token: a raw NTLMSSP signature, a Kerberos wrap token, or a token
        // of the mechanism the conversation uses.
        if d.len() >= 16 && d[..4] == [1, 0, 0, 0] {
            if d.len() == 16 && verifier {
                cx.proto(crate::proto::ntlmssp::PROTO, "ntlmssp", b.span_to(off, end));
            }
            return;
        }
        if d.len() > 2 && (d[..2] == [4, 4] || d[..2] == [5, 4]) {
            cx.proto(crate::proto::spnego::KRB5_PROTO, "spnego-krb5", b.span_to(off, end));
            return;
        }
        if let Some(m) = conv.gss {
            mech(cx, b, off, end, m, conv, ntlm, verifier);
        }
        return;
    }
    let Some((t, _)) = crate::ber::parse(d) else { return };
    let hdr = t.value.as_ptr() as usize - d.as_ptr() as usize;
    let inner = off + hdr;
    let Some((o, rest)) = crate::ber::parse(t.value) else { return };
    if o.class != 0 || o.tag != 6 {
        return;
    }
    let oid = oid_str(o.value).unwrap_or_default();
    cx.add_str(OID, &oid, b.span(inner, t.value.len() - rest.len()));
    let tok = inner + (t.value.len() - rest.len());
    let tok_end = inner + t.value.len();
    match Mech::of_oid(&oid) {
        Some(m) => {
            conv.gss = Some(m);
            mech(cx, b, tok, tok_end, m, conv, ntlm, verifier);
        }
        None => {
            let sp = b.span_to(tok, tok_end);
            cx.add(TOKEN_OBJECT, Value::Bytes(sp), sp);
        }
    }
}

/// Hands a token to a mechanism's dissector (or its wrap dissector for verifiers).
#[allow(clippy::too_many_arguments)]
pub fn mech(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    end: usize,
    m: Mech,
    conv: &mut Conv,
    ntlm: &mut crate::proto::ntlmssp::Pairing,
    verifier: bool,
) {
    match m {
        Mech::Spnego => {
            if verifier {
                // SPNEGO's wrap dissector hands the verifier to the negotiated mechanism.
                crate::proto::spnego::wrap(cx, b, off, end, conv, ntlm);
            } else {
                crate::proto::spnego::dissect(cx, b, off, end, conv, ntlm);
            }
        }
        Mech::Ntlmssp => {
            if verifier {
                cx.proto(crate::proto::ntlmssp::PROTO, "ntlmssp", b.span_to(off, end));
            } else {
                crate::proto::ntlmssp::layer(cx, b, off, end, ntlm);
            }
        }
        Mech::Krb5 => cx.proto(crate::proto::spnego::KRB5_PROTO, "spnego-krb5", b.span_to(off, end)),
        // (tshark shows no layer for NEGOEX tokens.)
        Mech::Negoex => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids() {
        assert_eq!(oid_str(&[0x2b, 6, 1, 5, 5, 2]).as_deref(), Some("1.3.6.1.5.5.2"));
        assert_eq!(oid_str(&[0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12, 1, 2, 2]).as_deref(), Some("1.2.840.48018.1.2.2"));
        assert_eq!(oid_str(&[0x2b, 0x86]), None);
        assert_eq!(oid_str(&[]), None);
        assert_eq!(Mech::of_oid("1.3.6.1.4.1.311.2.2.10"), Some(Mech::Ntlmssp));
        assert_eq!(Mech::of_oid("1.2.3"), None);
    }
}
