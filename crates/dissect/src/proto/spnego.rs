//! SPNEGO (RFC 4178) inside GSS-API: `negTokenInit` (the mechanisms offered, the first
//! one's initial token) and `negTokenTarg` (the result, the mechanism chosen, its response
//! token and MIC). The mechanism a token belongs to is the first one offered or the one
//! chosen, remembered for the conversation as tshark does; its tokens go to that
//! mechanism's dissector (`ntlmssp`, `spnego-krb5`), its MICs to the mechanism's verifier.
crate::declare_fields! {
    after = super::gssapi::END;
    PROTO = "spnego", "Simple Protected Negotiation", Protocol, None;
    NEG_TOKEN_INIT = "spnego.negTokenInit_element", "negTokenInit", None, None;
    NEG_TOKEN_TARG = "spnego.negTokenTarg_element", "negTokenTarg", None, None;
    MECH_TYPES = "spnego.mechTypes", "mechTypes", U32, Dec;
    MECH_TYPE = "spnego.MechType", "MechType", Oid, None;
    MECH_TOKEN = "spnego.mechToken", "mechToken", Bytes, None;
    NEG_RESULT = "spnego.negResult", "negResult", U32, Dec;
    SUPPORTED_MECH = "spnego.supportedMech", "supportedMech", Oid, None;
    RESPONSE_TOKEN = "spnego.responseToken", "responseToken", Bytes, None;
    MECH_LIST_MIC = "spnego.mechListMIC", "mechListMIC", Bytes, None;
    KRB5_PROTO = "spnego-krb5", "SPNEGO-KRB5", Protocol, None;
}

use crate::ber::{self, Tlv};
use crate::cx::{Bytes, Cx};
use crate::proto::gssapi::{self, Conv, Mech};
use crate::proto::ntlmssp::Pairing;
use crate::tree::Value;

/// Where `inner` (a slice of `b.data`) starts in `b`.
fn at(b: &Bytes, inner: &[u8]) -> usize {
    inner.as_ptr() as usize - b.data.as_ptr() as usize
}

/// A SPNEGO token at `off..end`.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, conv: &mut Conv, ntlm: &mut Pairing) {
    cx.proto(PROTO, "spnego", b.span_to(off, end));
    let d = &b.data[off.min(b.len())..end.min(b.len())];
    // The mechanism from the conversation, until the token names one.
    let mut next = conv.spnego;
    let Some((t, _)) = ber::parse(d) else { return };
    if t.class != 2 {
        return;
    }
    let Some(seq) = ber::inner(t).filter(|s| s.class == 0 && s.tag == 16) else { return };
    match t.tag {
        0 => {
            let sp = b.span(at(&b, d), d.len());
            cx.add(NEG_TOKEN_INIT, Value::None, sp);
            init(cx, b, seq, &mut next, conv, ntlm);
        }
        1 => {
            let sp = b.span(at(&b, d), d.len());
            cx.add(NEG_TOKEN_TARG, Value::None, sp);
            targ(cx, b, seq, &mut next, conv, ntlm);
        }
        _ => {}
    }
}

fn init(cx: &mut Cx, b: Bytes, seq: Tlv, next: &mut Option<Mech>, conv: &mut Conv, ntlm: &mut Pairing) {
    for f in ber::children(seq.value) {
        if f.class != 2 {
            continue;
        }
        match f.tag {
            0 => {
                let Some(list) = ber::inner(f) else { continue };
                let mut n = 0u32;
                let mut first = true;
                for o in ber::children(list.value).filter(|o| o.class == 0 && o.tag == 6) {
                    n += 1;
                    let s = gssapi::oid_str(o.value).unwrap_or_default();
                    cx.add_str(MECH_TYPE, &s, b.span(at(&b, o.value), o.value.len()));
                    if first {
                        first = false;
                        if let Some(m) = Mech::of_oid(&s) {
                            *next = Some(m);
                        }
                    }
                }
                cx.u(MECH_TYPES, n, b.span(at(&b, list.value), list.value.len()));
                if next.is_some() {
                    conv.spnego = *next;
                }
            }
            2 => {
                let Some(tok) = ber::inner(f) else { continue };
                let (o, l) = (at(&b, tok.value), tok.value.len());
                cx.add(MECH_TOKEN, Value::Bytes(b.span(o, l)), b.span(o, l));
                if let Some(m) = *next {
                    gssapi::mech(cx, b, o, o + l, m, conv, ntlm, false);
                }
            }
            4 => mic(cx, b, f, *next, conv, ntlm),
            _ => {}
        }
    }
}

fn targ(cx: &mut Cx, b: Bytes, seq: Tlv, next: &mut Option<Mech>, conv: &mut Conv, ntlm: &mut Pairing) {
    for f in ber::children(seq.value) {
        if f.class != 2 {
            continue;
        }
        let Some(v) = ber::inner(f) else { continue };
        match f.tag {
            0 => {
                if let Some(r) = ber::int(v.value) {
                    cx.u(NEG_RESULT, r as u32, b.span(at(&b, v.value), v.value.len()));
                }
            }
            1 => {
                let s = gssapi::oid_str(v.value).unwrap_or_default();
                cx.add_str(SUPPORTED_MECH, &s, b.span(at(&b, v.value), v.value.len()));
                if let Some(m) = Mech::of_oid(&s) {
                    *next = Some(m);
                }
                if next.is_some() {
                    conv.spnego = *next;
                }
            }
            2 => {
                let (o, l) = (at(&b, v.value), v.value.len());
                cx.add(RESPONSE_TOKEN, Value::Bytes(b.span(o, l)), b.span(o, l));
                if let (Some(m), true) = (*next, l > 0) {
                    gssapi::mech(cx, b, o, o + l, m, conv, ntlm, false);
                }
            }
            3 => mic(cx, b, f, *next, conv, ntlm),
            _ => {}
        }
    }
}

/// mechListMIC: Microsoft's principal sequence, or the mechanism's checksum (its verifier).
fn mic(cx: &mut Cx, b: Bytes, f: Tlv, next: Option<Mech>, conv: &mut Conv, ntlm: &mut Pairing) {
    let Some(v) = ber::inner(f) else { return };
    if v.class == 0 && v.tag == 16 {
        return;
    }
    let (o, l) = (at(&b, v.value), v.value.len());
    cx.add(MECH_LIST_MIC, Value::Bytes(b.span(o, l)), b.span(o, l));
    if let Some(m) = next {
        gssapi::mech(cx, b, o, o + l, m, conv, ntlm, true);
    }
}

/// SPNEGO's wrap dissector (a DCE-RPC verifier under SPNEGO): the negotiated mechanism's.
pub fn wrap(cx: &mut Cx, b: Bytes, off: usize, end: usize, conv: &mut Conv, ntlm: &mut Pairing) {
    let d = &b.data[off.min(b.len())..end.min(b.len())];
    if d.len() >= 16 && d[..4] == [1, 0, 0, 0] {
        cx.proto(crate::proto::ntlmssp::PROTO, "ntlmssp", b.span_to(off, end));
    } else if d.len() > 2 && (d[..2] == [4, 4] || d[..2] == [5, 4] || d[..2] == [1, 1] || d[..2] == [2, 1]) {
        cx.proto(KRB5_PROTO, "spnego-krb5", b.span_to(off, end));
    } else if let Some(m) = conv.spnego.filter(|m| *m != Mech::Spnego) {
        gssapi::mech(cx, b, off, end, m, conv, ntlm, true);
    }
}
