//! X.509 certificates as tshark 4.0 dissects them inside a TLS Certificate message (its
//! `dissect_x509af_Certificate`): no layer of its own, but every value the certificate
//! hands to a BER dissector registered for an OID (`call_ber_oid_callback`) adds that
//! dissector's protocol to `frame.protocols`, in tree order: each attribute of the issuer
//! and subject names (`x509sat` for the usual ones), each extension (`x509ce`,
//! `pkix1implicit` for authorityInfoAccess, `tls` for the signed certificate timestamps,
//! ...), algorithm parameters (`pkcs-1` for an EC public key's curve), and what those
//! extensions dispatch again: policy qualifiers (`pkix1explicit` for a CPS pointer),
//! directory names inside general names (their attributes), other names, QC statements.
//! The protocols' own dissections are not reproduced: only their layers, and the main
//! certificate fields below.
//!
//! The OID table is tshark 4.0.17's own `ber.oid` dissector table (read through its Lua
//! `DissectorTable.get("ber.oid"):get_dissector(oid)` for the OIDs of the X.509, PKIX,
//! PKCS and attribute modules and of the certificates of the test corpus).
crate::declare_fields! {
    after = super::dcerpc::END;
    X509AF = "x509af", "X.509 Authentication Framework", Protocol, None;
    VERSION = "x509af.version", "version", I32, Dec;
    SERIAL = "x509af.serialNumber", "serialNumber", Bytes, None;
    ALGORITHM_ID = "x509af.algorithm.id", "Algorithm Id", Oid, None;
    EXTENSION_ID = "x509af.extension.id", "Extension Id", Oid, None;
    CRITICAL = "x509af.critical", "critical", Boolean, None;
    X509IF = "x509if", "X.509 Information Framework", Protocol, None;
    OID = "x509if.oid", "Object Id", Oid, None, blurb = "Object identifier Id";
    X509SAT = "x509sat", "X.509 Selected Attribute Types", Protocol, None;
    PRINTABLE = "x509sat.printableString", "printableString", String, None;
    UTF8 = "x509sat.uTF8String", "uTF8String", String, None;
    COUNTRY = "x509sat.CountryName", "CountryName", String, None;
    PRINTABLE_SYNTAX = "x509sat.PrintableString", "PrintableString", String, None;
    IA5_SYNTAX = "x509sat.IA5String", "IA5String", String, None;
    X509CE = "x509ce", "X.509 Certificate Extensions", Protocol, None;
    RFC822 = "x509ce.rfc822Name", "rfc822Name", String, None;
    DNS_NAME = "x509ce.dNSName", "dNSName", String, None;
    URI = "x509ce.uniformResourceIdentifier", "uniformResourceIdentifier", String, None;
    PKIX1EXPLICIT = "pkix1explicit", "PKIX1Explicit", Protocol, None;
    PKIX1IMPLICIT = "pkix1implicit", "PKIX1Implitit", Protocol, None;
    PKIXQUALIFIED = "pkixqualified", "PKIX Qualified", Protocol, None;
    PKCS1 = "pkcs-1", "PKCS#1", Protocol, None;
    PKIXPROXY = "pkixproxy", "PKIXProxy (RFC3820)", Protocol, None;
    PKIXAC = "pkixac", "PKIX Attribute Certificate", Protocol, None;
    PKIXTSP = "pkixtsp", "PKIX Time Stamp Protocol", Protocol, None;
    NS_CERT_EXTS = "ns_cert_exts", "NetScape Certificate Extensions", Protocol, None;
    LOGOTYPE = "logotypecertextn", "Logotype Certificate Extensions", Protocol, None;
    WLANCERTEXTN = "wlancertextn", "Wlan Certificate Extension", Protocol, None;
    OCSP = "ocsp", "Online Certificate Status Protocol", Protocol, None;
    CMS = "cms", "Cryptographic Message Syntax", Protocol, None;
    ESS = "ess", "Extended Security Services", Protocol, None;
    CMP = "cmp", "Certificate Management Protocol", Protocol, None;
    CRMF = "crmf", "Certificate Request Message Format", Protocol, None;
    PKCS10 = "pkcs10", "PKCS10 Certification Request", Protocol, None;
    PKCS12 = "pkcs12", "PKCS#12: Personal Information Exchange", Protocol, None;
    PKINIT = "pkinit", "PKINIT", Protocol, None;
    ACP133 = "acp133", "ACP133 Attribute Syntaxes", Protocol, None;
    DOP = "dop", "X.501 Directory Operational Binding Management Protocol", Protocol, None;
    P1 = "p1", "X.411 Message Transfer Service", Protocol, None;
    P22 = "p22", "X.420 Information Object", Protocol, None;
    MUDURL = "mudurl", "MUDURL", Protocol, None;
    NEGOEX = "negoex", "SPNEGO Extended Negotiation Security Mechanism", Protocol, None;
    NIST_CSOR = "nist_csor", "NIST_CSOR", Protocol, None;
}

use crate::ber::{self, Tlv};
use crate::cx::Cx;
use crate::field::FieldId;
use crate::tree::{Buf, Span, Value};

/// The protocols BER dissectors are registered for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum P {
    Acp133,
    Cmp,
    Cms,
    Crmf,
    Dop,
    Ess,
    Imf,
    Logotype,
    Mudurl,
    Negoex,
    NistCsor,
    NsCertExts,
    Ntlmssp,
    Ocsp,
    P1,
    P22,
    Pkcs1,
    Pkcs10,
    Pkcs12,
    Pkix1Explicit,
    Pkix1Implicit,
    PkixAc,
    PkixProxy,
    PkixQualified,
    PkixTsp,
    PkInit,
    Tls,
    WlanCertExtn,
    X509af,
    X509ce,
    X509if,
    X509sat,
}

impl P {
    fn id_name(self) -> (FieldId, &'static str) {
        match self {
            P::Acp133 => (ACP133, "acp133"),
            P::Cmp => (CMP, "cmp"),
            P::Cms => (CMS, "cms"),
            P::Crmf => (CRMF, "crmf"),
            P::Dop => (DOP, "dop"),
            P::Ess => (ESS, "ess"),
            P::Imf => (super::imf::PROTO, "imf"),
            P::Logotype => (LOGOTYPE, "logotypecertextn"),
            P::Mudurl => (MUDURL, "mudurl"),
            P::Negoex => (NEGOEX, "negoex"),
            P::NistCsor => (NIST_CSOR, "nist_csor"),
            P::NsCertExts => (NS_CERT_EXTS, "ns_cert_exts"),
            P::Ntlmssp => (super::ntlmssp::PROTO, "ntlmssp"),
            P::Ocsp => (OCSP, "ocsp"),
            P::P1 => (P1, "p1"),
            P::P22 => (P22, "p22"),
            P::Pkcs1 => (PKCS1, "pkcs-1"),
            P::Pkcs10 => (PKCS10, "pkcs10"),
            P::Pkcs12 => (PKCS12, "pkcs12"),
            P::Pkix1Explicit => (PKIX1EXPLICIT, "pkix1explicit"),
            P::Pkix1Implicit => (PKIX1IMPLICIT, "pkix1implicit"),
            P::PkixAc => (PKIXAC, "pkixac"),
            P::PkixProxy => (PKIXPROXY, "pkixproxy"),
            P::PkixQualified => (PKIXQUALIFIED, "pkixqualified"),
            P::PkixTsp => (PKIXTSP, "pkixtsp"),
            P::PkInit => (PKINIT, "pkinit"),
            P::Tls => (super::tls::PROTO, "tls"),
            P::WlanCertExtn => (WLANCERTEXTN, "wlancertextn"),
            P::X509af => (X509AF, "x509af"),
            P::X509ce => (X509CE, "x509ce"),
            P::X509if => (X509IF, "x509if"),
            P::X509sat => (X509SAT, "x509sat"),
        }
    }
}

/// The protocol registered for an OID (its DER contents): `Some(None)` for an OID whose
/// registered callback adds nothing (algorithm parameters that are NULL), None when no
/// dissector is registered.
fn registered(oid: &[u8]) -> Option<Option<P>> {
    OIDS.binary_search_by(|(o, _)| (*o).cmp(oid)).ok().map(|i| OIDS[i].1)
}

/// An OID's dotted text (None when it is not a valid encoding).
pub fn oid_text(d: &[u8]) -> Option<String> {
    use std::fmt::Write;
    if d.is_empty() || d.len() > 128 || d[d.len() - 1] & 0x80 != 0 {
        return None;
    }
    let mut s = String::new();
    let mut v: u64 = 0;
    let mut first = true;
    for &b in d {
        if v > (u64::MAX >> 7) {
            return None;
        }
        v = v << 7 | (b & 0x7f) as u64;
        if b & 0x80 == 0 {
            if first {
                let (a, r) = if v < 40 {
                    (0, v)
                } else if v < 80 {
                    (1, v - 40)
                } else {
                    (2, v - 80)
                };
                let _ = write!(s, "{a}.{r}");
                first = false;
            } else {
                let _ = write!(s, ".{v}");
            }
            v = 0;
        }
    }
    Some(s)
}

/// The certificate's bytes and where their spans point.
#[derive(Clone, Copy)]
struct Src<'d> {
    d: &'d [u8],
    buf: Buf,
    base: usize,
    /// How many dispatched values enclose this one (a hostile certificate could nest names
    /// in general names in names without end).
    depth: u8,
}

/// Most dispatched values walked inside one another.
const MAX_DEPTH: u8 = 16;

impl<'d> Src<'d> {
    /// The span of `part`, a slice of `d`.
    fn span(&self, part: &[u8]) -> Span {
        let off = (part.as_ptr() as usize).saturating_sub(self.d.as_ptr() as usize).min(self.d.len());
        Span::new(self.buf, self.base + off, part.len().min(self.d.len() - off))
    }
}

fn is_seq(t: &Tlv) -> bool {
    t.class == 0 && t.constructed && t.tag == 16
}

fn is_ctx(t: &Tlv, tag: u32) -> bool {
    t.class == 2 && t.tag == tag
}

/// True when the X.509 walk has something to record: `frame.protocols` or a field here.
pub fn wanted(cx: &Cx) -> bool {
    cx.wants(super::frame::PROTOCOLS) || cx.wants_any(X509AF, END)
}

/// One DER certificate (`cert`, whose first byte is at `base` of `buf`), as a TLS
/// Certificate message's entry.
pub fn certificate(cx: &mut Cx, cert: &[u8], buf: Buf, base: usize) {
    let mut broken = false;
    cx.nested(|cx| {
        if let Some((c, _)) = ber::parse(cert) {
            broken = is_seq(&c) && !c.value.is_empty() && ber::parse(c.value).is_none();
            certificate_tlv(cx, Src { d: cert, buf, base, depth: 0 }, c);
        }
    });
    // A certificate whose content cannot be read (its length runs past the certificate):
    // tshark's exception ends the TLS item.
    if broken {
        cx.malformed();
    }
}

/// A DER DistinguishedName (a TLS CertificateRequest's certificate authority).
pub fn distinguished_name(cx: &mut Cx, dn: &[u8], buf: Buf, base: usize) {
    cx.nested(|cx| {
        if let Some((n, _)) = ber::parse(dn) {
            name(cx, Src { d: dn, buf, base, depth: 0 }, n);
        }
    });
}

/// A DER OCSPResponse (a TLS CertificateStatus message's): its response bytes handed to
/// the dissector of their type (`ocsp` for a basic response).
pub fn ocsp_response(cx: &mut Cx, resp: &[u8], buf: Buf, base: usize) {
    cx.nested(|cx| {
        let s = Src { d: resp, buf, base, depth: 0 };
        let Some((r, _)) = ber::parse(resp).filter(|(t, _)| is_seq(t)) else { return };
        let Some(rb) = ber::children(r.value).find(|t| is_ctx(t, 0) && t.constructed) else { return };
        let Some(rb) = ber::inner(rb).filter(is_seq) else { return };
        let mut k = ber::children(rb.value);
        let (Some(ty), Some(val)) = (k.next(), k.next()) else { return };
        if ty.class == 0 && ty.tag == 6 && val.class == 0 && val.tag == 4 {
            dispatch(cx, s, ty.value, val.value);
        }
    });
}

/// An OCSP request or response carried as an HTTP body of media type `ty` (the `ocsp`
/// layer is the caller's): the layers of its X.509 contents.
pub fn ocsp_body(cx: &mut Cx, ty: &[u8], data: &[u8]) {
    if !wanted(cx) {
        return;
    }
    let sp = cx.tree.push_scratch(data);
    let (buf, base) = (Buf::Scratch, sp.off as usize);
    if ty == b"application/ocsp-response" {
        ocsp_response(cx, data, buf, base);
    } else {
        ocsp_request(cx, data, buf, base);
    }
}

/// A DER OCSPRequest: the requestor's name, each request's hash algorithm and extensions,
/// the request's extensions, and the optional signature's algorithm and certificates.
fn ocsp_request(cx: &mut Cx, req: &[u8], buf: Buf, base: usize) {
    cx.nested(|cx| {
        let s = Src { d: req, buf, base, depth: 0 };
        let Some((r, _)) = ber::parse(req).filter(|(t, _)| is_seq(t)) else { return };
        let mut kids = ber::children(r.value);
        if let Some(tbs) = kids.next().filter(is_seq) {
            for t in ber::children(tbs.value) {
                match (t.class, t.tag) {
                    (2, 1) if t.constructed => {
                        if let Some(g) = ber::inner(t) {
                            general_name(cx, s, g);
                        }
                    }
                    (0, 16) => {
                        for one in ber::children(t.value).filter(is_seq) {
                            single_response(cx, s, one.value);
                        }
                    }
                    (2, 2) if t.constructed => {
                        if let Some(e) = ber::inner(t).filter(is_seq) {
                            extensions(cx, s, e.value);
                        }
                    }
                    _ => {}
                }
            }
        }
        if let Some(sig) = kids.next().filter(|t| is_ctx(t, 0) && t.constructed).and_then(ber::inner).filter(is_seq) {
            let mut k = ber::children(sig.value);
            if let Some(alg) = k.next().filter(is_seq) {
                algorithm(cx, s, alg.value);
            }
            let _signature = k.next();
            if let Some(list) = k.next().filter(|t| is_ctx(t, 0) && t.constructed).and_then(ber::inner).filter(is_seq) {
                for c in ber::children(list.value) {
                    certificate_tlv(cx, s, c);
                }
            }
        }
    });
}

/// A Certificate (SIGNED { CertificateContent }).
fn certificate_tlv(cx: &mut Cx, s: Src, c: Tlv) {
    if !is_seq(&c) {
        return;
    }
    let mut kids = ber::children(c.value);
    if let Some(tbs) = kids.next().filter(is_seq) {
        tbs_certificate(cx, s, tbs.value);
    }
    if let Some(alg) = kids.next().filter(is_seq) {
        algorithm(cx, s, alg.value);
    }
}

/// A BasicOCSPResponse: the responder's name, each response's hash algorithm and
/// extensions, the response's extensions, its signature algorithm and certificates.
fn basic_ocsp_response(cx: &mut Cx, s: Src, value: &[u8]) {
    let Some((b, _)) = ber::parse(value).filter(|(t, _)| is_seq(t)) else { return };
    let mut kids = ber::children(b.value);
    if let Some(data) = kids.next().filter(is_seq) {
        // version [0], responderID (byName [1] Name or byKey [2]), producedAt, responses,
        // responseExtensions [1].
        let mut after_responses = false;
        for t in ber::children(data.value) {
            if is_seq(&t) {
                after_responses = true;
                for single in ber::children(t.value).filter(is_seq) {
                    single_response(cx, s, single.value);
                }
            } else if is_ctx(&t, 1) && t.constructed {
                let Some(inner) = ber::inner(t) else { continue };
                if after_responses {
                    if is_seq(&inner) {
                        extensions(cx, s, inner.value);
                    }
                } else {
                    name(cx, s, inner);
                }
            }
        }
    }
    if let Some(alg) = kids.next().filter(is_seq) {
        algorithm(cx, s, alg.value);
    }
    let _signature = kids.next();
    if let Some(certs) = kids.next().filter(|t| is_ctx(t, 0) && t.constructed) {
        if let Some(list) = ber::inner(certs).filter(is_seq) {
            for c in ber::children(list.value) {
                certificate_tlv(cx, s, c);
            }
        }
    }
}

/// A SingleResponse (or a request's Request): certID's hash algorithm, and its extensions
/// ([1] in a response, [0] in a request).
fn single_response(cx: &mut Cx, s: Src, v: &[u8]) {
    let mut kids = ber::children(v);
    if let Some(id) = kids.next().filter(is_seq) {
        if let Some(alg) = ber::children(id.value).next().filter(is_seq) {
            algorithm(cx, s, alg.value);
        }
    }
    for t in kids {
        if t.class == 2 && t.tag <= 1 && t.constructed {
            if let Some(e) = ber::inner(t).filter(is_seq) {
                extensions(cx, s, e.value);
            }
        }
    }
}

fn tbs_certificate(cx: &mut Cx, s: Src, v: &[u8]) {
    let mut kids = ber::children(v).peekable();
    if let Some(t) = kids.next_if(|t| is_ctx(t, 0) && t.constructed) {
        if let Some(i) = ber::inner(t).filter(|i| i.class == 0 && i.tag == 2) {
            if let Some(n) = ber::int(i.value) {
                cx.add(VERSION, Value::I(n), s.span(i.value));
            }
        }
    }
    match kids.next() {
        Some(t) if t.class == 0 && t.tag == 2 => {
            let sp = s.span(t.value);
            cx.add(SERIAL, Value::Bytes(sp), sp);
        }
        _ => return,
    }
    let Some(sig) = kids.next().filter(is_seq) else { return };
    algorithm(cx, s, sig.value);
    let Some(issuer) = kids.next() else { return };
    name(cx, s, issuer);
    // Validity: nothing dispatched.
    if kids.next().is_none() {
        return;
    }
    let Some(subject) = kids.next() else { return };
    name(cx, s, subject);
    let Some(spki) = kids.next().filter(is_seq) else { return };
    if let Some(alg) = ber::children(spki.value).next().filter(is_seq) {
        algorithm(cx, s, alg.value);
    }
    for t in kids {
        if is_ctx(&t, 3) && t.constructed {
            if let Some(exts) = ber::inner(t).filter(is_seq) {
                extensions(cx, s, exts.value);
            }
        }
    }
}

/// Calls the dissector registered for `oid` on `value` (tshark's `call_ber_oid_callback`):
/// its layer, then what it dispatches again.
fn dispatch(cx: &mut Cx, s: Src, oid: &[u8], value: &[u8]) {
    let Some(Some(p)) = registered(oid) else { return };
    let (id, name) = p.id_name();
    cx.proto(id, name, s.span(value));
    if s.depth >= MAX_DEPTH {
        return;
    }
    let s = Src { depth: s.depth + 1, ..s };
    match p {
        P::X509ce => match oid {
            // subjectAltName, issuerAltName, certificateIssuer
            b"\x55\x1d\x11" | b"\x55\x1d\x12" | b"\x55\x1d\x1d" => {
                if let Some((t, _)) = ber::parse(value).filter(|(t, _)| is_seq(t)) {
                    general_names(cx, s, t.value);
                }
            }
            // certificatePolicies (and the old id), Microsoft's application policies
            b"\x55\x1d\x20" | b"\x55\x1d\x03" | b"\x2b\x06\x01\x04\x01\x82\x37\x15\x0a" => policies(cx, s, value),
            // subjectDirectoryAttributes
            b"\x55\x1d\x09" => {
                if let Some((t, _)) = ber::parse(value).filter(|(t, _)| is_seq(t)) {
                    for a in ber::children(t.value).filter(is_seq) {
                        attribute(cx, s, a.value);
                    }
                }
            }
            // authorityKeyIdentifier: authorityCertIssuer [1] GeneralNames
            b"\x55\x1d\x23" => {
                if let Some((t, _)) = ber::parse(value).filter(|(t, _)| is_seq(t)) {
                    for k in ber::children(t.value).filter(|k| is_ctx(k, 1) && k.constructed) {
                        general_names(cx, s, k.value);
                    }
                }
            }
            // cRLDistributionPoints, freshestCRL
            b"\x55\x1d\x1f" | b"\x55\x1d\x2e" => {
                if let Some((t, _)) = ber::parse(value).filter(|(t, _)| is_seq(t)) {
                    for dp in ber::children(t.value).filter(is_seq) {
                        distribution_point(cx, s, dp.value);
                    }
                }
            }
            // nameConstraints: permitted [0] and excluded [1] subtrees
            b"\x55\x1d\x1e" => {
                if let Some((t, _)) = ber::parse(value).filter(|(t, _)| is_seq(t)) {
                    for sub in ber::children(t.value).filter(|k| k.class == 2 && k.constructed) {
                        for gs in ber::children(sub.value).filter(is_seq) {
                            if let Some(g) = ber::children(gs.value).next() {
                                general_name(cx, s, g);
                            }
                        }
                    }
                }
            }
            _ => {}
        },
        P::Pkix1Implicit => match oid {
            // authorityInfoAccess, subjectInfoAccess: SEQUENCE OF { method, GeneralName }
            b"\x2b\x06\x01\x05\x05\x07\x01\x01" | b"\x2b\x06\x01\x05\x05\x07\x01\x0b" => {
                if let Some((t, _)) = ber::parse(value).filter(|(t, _)| is_seq(t)) {
                    for ad in ber::children(t.value).filter(is_seq) {
                        if let Some(g) = ber::children(ad.value).nth(1) {
                            general_name(cx, s, g);
                        }
                    }
                }
            }
            _ => {}
        },
        // id-pkix-ocsp-basic
        P::Ocsp if oid == b"\x2b\x06\x01\x05\x05\x07\x30\x01\x01" => basic_ocsp_response(cx, s, value),
        // qcStatements: SEQUENCE OF { statementId, statementInfo ANY DEFINED BY it }
        P::PkixQualified if oid == b"\x2b\x06\x01\x05\x05\x07\x01\x03" => {
            if let Some((t, _)) = ber::parse(value).filter(|(t, _)| is_seq(t)) {
                for st in ber::children(t.value).filter(is_seq) {
                    let mut k = ber::children(st.value);
                    if let (Some(id), Some(info)) = (k.next(), k.next()) {
                        if id.class == 0 && id.tag == 6 {
                            dispatch_leaf(cx, s, id.value, info);
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// Dispatches the value `t` (an ANY DEFINED BY `oid`).
fn dispatch_leaf(cx: &mut Cx, s: Src, oid: &[u8], t: Tlv) {
    dispatch(cx, s, oid, t.value);
}

/// An AlgorithmIdentifier's contents: the id, and its parameters handed to their dissector.
fn algorithm(cx: &mut Cx, s: Src, v: &[u8]) {
    let mut kids = ber::children(v);
    let Some(id) = kids.next().filter(|t| t.class == 0 && t.tag == 6) else { return };
    if cx.wants(ALGORITHM_ID) {
        if let Some(text) = oid_text(id.value) {
            cx.add_str(ALGORITHM_ID, &text, s.span(id.value));
        }
    }
    if let Some(p) = kids.next() {
        dispatch_leaf(cx, s, id.value, p);
    }
}

/// A Name (CHOICE: the RDN sequence).
fn name(cx: &mut Cx, s: Src, t: Tlv) {
    if !is_seq(&t) {
        return;
    }
    for rdn in ber::children(t.value).filter(|r| r.class == 0 && r.constructed && r.tag == 17) {
        rdn_set(cx, s, rdn.value);
    }
}

/// A RelativeDistinguishedName's attributes (type and value, the value dispatched).
fn rdn_set(cx: &mut Cx, s: Src, v: &[u8]) {
    for atv in ber::children(v).filter(is_seq) {
        let mut k = ber::children(atv.value);
        let Some(ty) = k.next().filter(|t| t.class == 0 && t.tag == 6) else { continue };
        if cx.wants(OID) {
            if let Some(text) = oid_text(ty.value) {
                cx.add_str(OID, &text, s.span(ty.value));
            }
        }
        let Some(val) = k.next() else { continue };
        let layer = cx.layer();
        dispatch_leaf(cx, s, ty.value, val);
        if matches!(registered(ty.value), Some(Some(P::X509sat))) {
            attribute_value(cx, s, ty.value, val);
        }
        cx.set_layer(layer);
    }
}

/// The strings of an attribute value x509sat dissects (its main fields).
fn attribute_value(cx: &mut Cx, s: Src, ty: &[u8], val: Tlv) {
    if val.class != 0 || val.constructed {
        return;
    }
    let sp = s.span(val.value);
    let text = || String::from_utf8_lossy(val.value).into_owned();
    match (ty, val.tag) {
        // countryName and jurisdictionOfIncorporationCountryName: CountryName
        (b"\x55\x04\x06", _) | (b"\x2b\x06\x01\x04\x01\x82\x37\x3c\x02\x01\x03", _) => {
            if cx.wants(COUNTRY) {
                cx.add_str(COUNTRY, &text(), sp);
            }
        }
        // serialNumber, dnQualifier: PrintableString
        (b"\x55\x04\x05", _) | (b"\x55\x04\x2e", _) => {
            if cx.wants(PRINTABLE_SYNTAX) {
                cx.add_str(PRINTABLE_SYNTAX, &text(), sp);
            }
        }
        // emailAddress, domainComponent: IA5String
        (b"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01", _) | (b"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x19", _) => {
            if cx.wants(IA5_SYNTAX) {
                cx.add_str(IA5_SYNTAX, &text(), sp);
            }
        }
        // A DirectoryString.
        (_, 19) => {
            if cx.wants(PRINTABLE) {
                cx.add_str(PRINTABLE, &text(), sp);
            }
        }
        (_, 12) => {
            if cx.wants(UTF8) {
                cx.add_str(UTF8, &text(), sp);
            }
        }
        _ => {}
    }
}

/// An Attribute { type, values SET OF ANY }: each value dispatched.
fn attribute(cx: &mut Cx, s: Src, v: &[u8]) {
    let mut k = ber::children(v);
    let Some(ty) = k.next().filter(|t| t.class == 0 && t.tag == 6) else { return };
    let Some(vals) = k.next().filter(|t| t.constructed) else { return };
    for val in ber::children(vals.value) {
        dispatch_leaf(cx, s, ty.value, val);
    }
}

/// The extensions: each one's value handed to the dissector of its id.
fn extensions(cx: &mut Cx, s: Src, v: &[u8]) {
    for ext in ber::children(v).filter(is_seq) {
        let mut k = ber::children(ext.value).peekable();
        let Some(id) = k.next().filter(|t| t.class == 0 && t.tag == 6) else { continue };
        if cx.wants(EXTENSION_ID) {
            if let Some(text) = oid_text(id.value) {
                cx.add_str(EXTENSION_ID, &text, s.span(id.value));
            }
        }
        if let Some(c) = k.next_if(|t| t.class == 0 && t.tag == 1) {
            cx.add(CRITICAL, Value::Bool(c.value.first().is_some_and(|&b| b != 0)), s.span(c.value));
        }
        let Some(val) = k.next().filter(|t| t.class == 0 && t.tag == 4) else { continue };
        let layer = cx.layer();
        dispatch(cx, s, id.value, val.value);
        cx.set_layer(layer);
    }
}

/// The contents of a GeneralNames (SEQUENCE OF GeneralName, or its implicitly tagged form).
fn general_names(cx: &mut Cx, s: Src, v: &[u8]) {
    for g in ber::children(v) {
        general_name(cx, s, g);
    }
}

fn general_name(cx: &mut Cx, s: Src, g: Tlv) {
    if g.class != 2 {
        return;
    }
    let sp = s.span(g.value);
    match g.tag {
        // otherName: type-id, [0] EXPLICIT value
        0 if g.constructed => {
            let mut k = ber::children(g.value);
            let (Some(id), Some(val)) = (k.next(), k.next()) else { return };
            if id.class == 0 && id.tag == 6 && is_ctx(&val, 0) {
                if let Some(inner) = ber::inner(val) {
                    dispatch_leaf(cx, s, id.value, inner);
                }
            }
        }
        1 if cx.wants(RFC822) => cx.add_ascii(RFC822, g.value, sp),
        2 if cx.wants(DNS_NAME) => cx.add_ascii(DNS_NAME, g.value, sp),
        // directoryName: a Name (explicitly tagged: a CHOICE)
        4 if g.constructed => {
            if let Some(n) = ber::inner(g) {
                name(cx, s, n);
            }
        }
        6 if cx.wants(URI) => cx.add_ascii(URI, g.value, sp),
        _ => {}
    }
}

/// CertificatePolicies: each qualifier dispatched by its id.
fn policies(cx: &mut Cx, s: Src, value: &[u8]) {
    let Some((t, _)) = ber::parse(value).filter(|(t, _)| is_seq(t)) else { return };
    for pi in ber::children(t.value).filter(is_seq) {
        let Some(quals) = ber::children(pi.value).nth(1).filter(is_seq) else { continue };
        for q in ber::children(quals.value).filter(is_seq) {
            let mut k = ber::children(q.value);
            let (Some(id), Some(val)) = (k.next(), k.next()) else { continue };
            if id.class == 0 && id.tag == 6 {
                dispatch_leaf(cx, s, id.value, val);
            }
        }
    }
}

/// A DistributionPoint: its name ([0]: fullName [0] GeneralNames, or
/// nameRelativeToCRLIssuer [1] RDN) and cRLIssuer [2] GeneralNames.
fn distribution_point(cx: &mut Cx, s: Src, v: &[u8]) {
    for k in ber::children(v).filter(|k| k.class == 2 && k.constructed) {
        match k.tag {
            0 => {
                if let Some(n) = ber::inner(k) {
                    match n.tag {
                        0 if n.class == 2 => general_names(cx, s, n.value),
                        1 if n.class == 2 => rdn_set(cx, s, n.value),
                        _ => {}
                    }
                }
            }
            2 => general_names(cx, s, k.value),
            _ => {}
        }
    }
}

include!("x509_oids.rs");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_sorted_for_binary_search() {
        assert!(OIDS.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(registered(b"\x55\x04\x03"), Some(Some(P::X509sat)));
        assert_eq!(registered(b"\x55\x1d\x11"), Some(Some(P::X509ce)));
        assert_eq!(registered(b"\x2b\x06\x01\x05\x05\x07\x01\x01"), Some(Some(P::Pkix1Implicit)));
        assert_eq!(registered(b"\x2b\x06\x01\x05\x05\x07\x02\x01"), Some(Some(P::Pkix1Explicit)));
        assert_eq!(registered(b"\x2b\x06\x01\x04\x01\xd6\x79\x02\x04\x02"), Some(Some(P::Tls)));
        // sha256WithRSAEncryption's NULL parameters: a callback that adds no layer.
        assert_eq!(registered(b"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b"), Some(None));
        assert_eq!(registered(b"\x2a\x86\x48\xce\x3d\x02\x01"), Some(Some(P::Pkcs1)));
        assert_eq!(registered(b"\x55\x1d\x0e\x07"), None);
    }

    #[test]
    fn oid_texts() {
        assert_eq!(oid_text(b"\x55\x04\x03").as_deref(), Some("2.5.4.3"));
        assert_eq!(oid_text(b"\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b").as_deref(), Some("1.2.840.113549.1.1.11"));
        assert_eq!(oid_text(b"\x88\x37\x01").as_deref(), Some("2.999.1"));
        assert_eq!(oid_text(b"\x2b\x86"), None);
        assert_eq!(oid_text(b""), None);
    }
}
