//! TLS (and SSLv3, SSLv2-compatible ClientHello) over TCP as tshark 4.0 shows it without
//! keys: records, handshake messages (reassembled across records), hellos with their
//! extensions, certificates' sizes, alerts, change_cipher_spec and application data.
//! Records spanning segments are desegmented through TCP (`tls.desegment_ssl_records`).
//!
//! Our own fields (not Wireshark's): `pcaptk.ja3_full`, `pcaptk.ja3`, `pcaptk.ja4` and
//! `pcaptk.ja4_r`, the JA3 and JA4 fingerprints of a ClientHello.
crate::declare_fields! {
    after = super::smb2::END;
    PROTO = "tls", "Transport Layer Security", Protocol, None;
    RECORD = "tls.record", "Record Layer", None, None;
    CONTENT_TYPE = "tls.record.content_type", "Content Type", U8, Dec, vals = CONTENT_TYPES;
    OPAQUE_TYPE = "tls.record.opaque_type", "Opaque Type", U8, Dec, vals = CONTENT_TYPES;
    HS_TYPE = "tls.handshake.type", "Handshake Message Type", U8, Dec, vals = HANDSHAKE_TYPES;
    RECORD_VERSION = "tls.record.version", "Version", U16, Hex;
    RECORD_LENGTH = "tls.record.length", "Length", U16, Dec;
    APP_DATA = "tls.app_data", "Encrypted Application Data", Bytes, None;
    IS_ESCAPE = "tls.record.is_escape", "Is Escape", Boolean, None;
    PADDING_LENGTH = "tls.record.padding_length", "Padding Length", U8, Dec;
    ALERT = "tls.alert_message", "Alert Message", None, None;
    ALERT_LEVEL = "tls.alert_message.level", "Level", U8, Dec;
    ALERT_DESC = "tls.alert_message.desc", "Description", U8, Dec;
    HANDSHAKE = "tls.handshake", "Handshake Protocol", None, None;
    HS_LENGTH = "tls.handshake.length", "Length", U24, Dec;
    CIPHERSPEC = "tls.handshake.cipherspec", "Cipher Spec", U24, Hex;
    CHALLENGE = "tls.handshake.challenge", "Challenge", None, None;
    CIPHER_SPEC_LEN = "tls.handshake.cipher_spec_len", "Cipher Spec Length", U16, Dec;
    SESSION_ID_LENGTH = "tls.handshake.session_id_length", "Session ID Length", U16, Dec;
    CHALLENGE_LENGTH = "tls.handshake.challenge_length", "Challenge Length", U16, Dec;
    CHANGE_CIPHER_SPEC = "tls.change_cipher_spec", "Change Cipher Spec Message", None, None;
    EXTS_LEN = "tls.handshake.extensions_length", "Extensions Length", U16, Dec;
    EXT_TYPE = "tls.handshake.extension.type", "Type", U16, Dec;
    EXT_LEN = "tls.handshake.extension.len", "Length", U16, Dec;
    EXT_DATA = "tls.handshake.extension.data", "Data", Bytes, None;
    GROUPS_LEN = "tls.handshake.extensions_supported_groups_length", "Supported Groups List Length", U16, Dec;
    GROUPS = "tls.handshake.extensions_supported_groups", "Supported Groups List", None, None;
    GROUP = "tls.handshake.extensions_supported_group", "Supported Group", U16, Hex;
    EC_PF_LEN = "tls.handshake.extensions_ec_point_formats_length", "EC point formats Length", U8, Dec;
    EC_PFS = "tls.handshake.extensions_ec_point_formats", "EC point formats", None, None;
    EC_PF = "tls.handshake.extensions_ec_point_format", "EC point format", U8, Dec;
    ALPN_LEN = "tls.handshake.extensions_alpn_len", "ALPN Extension Length", U16, Dec;
    ALPN_LIST = "tls.handshake.extensions_alpn_list", "ALPN Protocol", None, None;
    ALPN_STR_LEN = "tls.handshake.extensions_alpn_str_len", "ALPN string length", U8, Dec;
    ALPN_STR = "tls.handshake.extensions_alpn_str", "ALPN Next Protocol", String, None;
    RENEG_LEN = "tls.handshake.extensions_reneg_info_len", "Renegotiation info extension length", U8, Dec;
    RENEG = "tls.handshake.extensions_reneg_info", "Renegotiation info", Bytes, None;
    KS_CLIENT_LEN = "tls.handshake.extensions_key_share_client_length", "Client Key Share Length", U16, Dec;
    KS_GROUP = "tls.handshake.extensions_key_share_group", "Group", U16, Dec;
    KS_KE_LEN = "tls.handshake.extensions_key_share_key_exchange_length", "Key Exchange Length", U16, Dec;
    KS_KE = "tls.handshake.extensions_key_share_key_exchange", "Key Exchange", Bytes, None;
    KS_SELECTED = "tls.handshake.extensions_key_share_selected_group", "Selected Group", U16, Dec;
    SV_LEN = "tls.handshake.extensions.supported_versions_len", "Supported Versions length", U8, Dec;
    SV = "tls.handshake.extensions.supported_version", "Supported Version", U16, Hex;
    SNI_LIST_LEN = "tls.handshake.extensions_server_name_list_len", "Server Name list length", U16, Dec;
    SNI_LEN = "tls.handshake.extensions_server_name_len", "Server Name length", U16, Dec;
    SNI_TYPE = "tls.handshake.extensions_server_name_type", "Server Name Type", U8, Dec;
    SNI = "tls.handshake.extensions_server_name", "Server Name", String, None;
    MAX_FRAGMENT_LENGTH = "tls.handshake.max_fragment_length", "Maximum Fragment Length", U8, Dec;
    PADDING_DATA = "tls.handshake.extensions_padding_data", "Padding Data", Bytes, None;
    CERTIFICATES_LENGTH = "tls.handshake.certificates_length", "Certificates Length", U24, Dec;
    CERTIFICATES = "tls.handshake.certificates", "Certificates", None, None;
    CERTIFICATE = "tls.handshake.certificate", "Certificate", Bytes, None;
    CERTIFICATE_LENGTH = "tls.handshake.certificate_length", "Certificate Length", U24, Dec;
    RANDOM = "tls.handshake.random", "Random", Bytes, None;
    SESSION_ID = "tls.handshake.session_id", "Session ID", Bytes, None;
    VERSION = "tls.handshake.version", "Version", U16, Hex;
    CIPHER_SUITES_LENGTH = "tls.handshake.cipher_suites_length", "Cipher Suites Length", U16, Dec;
    CIPHERSUITES = "tls.handshake.ciphersuites", "Cipher Suites", None, None;
    CIPHERSUITE = "tls.handshake.ciphersuite", "Cipher Suite", U16, Hex;
    COMP_METHODS_LENGTH = "tls.handshake.comp_methods_length", "Compression Methods Length", U8, Dec;
    COMP_METHODS = "tls.handshake.comp_methods", "Compression Methods", None, None;
    COMP_METHOD = "tls.handshake.comp_method", "Compression Method", U8, Dec;
    JA3_FULL = "pcaptk.ja3_full", "JA3 fingerprint string (pcaptk)", String, None,
        blurb = "JA3 string of a ClientHello: version,ciphers,extensions,groups,point formats (GREASE left out); pcaptk's own field";
    JA3 = "pcaptk.ja3", "JA3 fingerprint (pcaptk)", String, None,
        blurb = "MD5 of pcaptk.ja3_full, lower-case hex; pcaptk's own field";
    JA4 = "pcaptk.ja4", "JA4 fingerprint (pcaptk)", String, None,
        blurb = "JA4 TLS client fingerprint (FoxIO), e.g. t13d1516h2_8daaf6152771_b186095e22b6; pcaptk's own field";
    JA4_R = "pcaptk.ja4_r", "JA4 raw fingerprint (pcaptk)", String, None,
        blurb = "JA4 with the sorted cipher and extension lists in clear instead of hashed; pcaptk's own field";
}

use crate::cx::{Bytes, Cx, NetAddr};
use crate::reasm::{Deseg, Need};
use crate::tree::{Buf, Span, Value};

static CONTENT_TYPES: &[(u64, &str)] = &[
    (20, "Change Cipher Spec"),
    (21, "Alert"),
    (22, "Handshake"),
    (23, "Application Data"),
    (24, "Heartbeat"),
    (25, "Connection ID"),
];

/// tshark's `ssl_31_handshake_type`: the message types it names.
static HANDSHAKE_TYPES: &[(u64, &str)] = &[
    (0, "Hello Request"),
    (1, "Client Hello"),
    (2, "Server Hello"),
    (3, "Hello Verify Request"),
    (4, "New Session Ticket"),
    (5, "End of Early Data"),
    (6, "Hello Retry Request"),
    (8, "Encrypted Extensions"),
    (11, "Certificate"),
    (12, "Server Key Exchange"),
    (13, "Certificate Request"),
    (14, "Server Hello Done"),
    (15, "Certificate Verify"),
    (16, "Client Key Exchange"),
    (20, "Finished"),
    (21, "Client Certificate URL"),
    (22, "Certificate Status"),
    (23, "Supplemental Data"),
    (24, "Key Update"),
    (25, "Compressed Certificate"),
    (67, "Encrypted Extensions"),
];

const SSLV2: u16 = 0x0002;
const SSLV3: u16 = 0x0300;
const TLS10: u16 = 0x0301;
const TLS11: u16 = 0x0302;
const TLS12: u16 = 0x0303;
const TLS13: u16 = 0x0304;
const GMTLS: u16 = 0x0101;

/// Largest handshake message reassembled across records (tshark has no limit below 16 MiB;
/// messages this large do not occur in practice, and a hostile capture cannot make us hold
/// more than this per direction of a conversation).
const MAX_HS_MESSAGE: usize = 256 << 10;

/// Per-conversation TLS state tshark keeps (`SslSession`).
#[derive(Default)]
pub struct Conv {
    /// Negotiated version, 0 while unknown.
    version: u16,
    /// The TLS 1.3 draft a 0x7fXX version names (0: none).
    draft: u8,
    /// The server's address and port, from the ClientHello.
    server: Option<(NetAddr, u16)>,
    /// Frame of the first ChangeCipherSpec from the client [0] and the server [1].
    ccs_frame: [u32; 2],
    /// A handshake message being reassembled across records, per direction.
    pending: [Option<Vec<u8>>; 2],
    /// The handshake is carried in QUIC CRYPTO frames (JA4 then starts with `q`).
    quic: bool,
}

/// A dissection that must stop (tshark threw a bounds exception: the data is cut short).
struct Stop;
type R<T> = Result<T, Stop>;

/// The bytes being read: the PDU's captured bytes, and where their spans point.
#[derive(Clone, Copy)]
struct Data<'a> {
    d: &'a [u8],
    buf: Buf,
    base: usize,
}

impl<'a> Data<'a> {
    fn span(&self, off: usize, len: usize) -> Span {
        Span::new(self.buf, self.base + off, len)
    }
    fn get(&self, off: usize, len: usize) -> R<&'a [u8]> {
        self.d.get(off..off.checked_add(len).ok_or(Stop)?).ok_or(Stop)
    }
    fn u8(&self, off: usize) -> R<u8> {
        self.d.get(off).copied().ok_or(Stop)
    }
    fn be16(&self, off: usize) -> R<u16> {
        let b = self.get(off, 2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn be24(&self, off: usize) -> R<u32> {
        let b = self.get(off, 3)?;
        Ok(u32::from_be_bytes([0, b[0], b[1], b[2]]))
    }
    fn uint(&self, off: usize, size: usize) -> R<u32> {
        Ok(self.get(off, size)?.iter().fold(0u32, |a, &x| a << 8 | x as u32))
    }
}

/// Adds a byte-string field (its bytes must be captured).
fn bytes(cx: &mut Cx, id: crate::field::FieldId, d: Data, off: usize, len: usize) -> R<()> {
    d.get(off, len)?;
    let sp = d.span(off, len);
    cx.add(id, Value::Bytes(sp), sp);
    Ok(())
}

/// An FT_NONE item over `off..off + len`.
fn none(cx: &mut Cx, id: crate::field::FieldId, d: Data, off: usize, len: usize) {
    cx.add(id, Value::None, d.span(off, len));
}

/// tshark's `ssl_is_valid_content_type`.
fn valid_content_type(t: u8) -> bool {
    (20..=25).contains(&t)
}

fn hs_type_known(t: u8) -> bool {
    HANDSHAKE_TYPES.iter().any(|&(v, _)| v == t as u64)
}

/// A version tshark's `tls_try_get_version` accepts (drafts of 1.3 count as 1.3), with
/// the draft number.
fn try_get_version(v: u16) -> Option<(u16, u8)> {
    let draft = if v >> 8 == 0x7f { v as u8 } else { 0 };
    let v = if draft != 0 || v == 0xfb17 || v == 0xfb1a { TLS13 } else { v };
    matches!(v, SSLV3 | TLS10 | TLS11 | TLS12 | TLS13 | GMTLS).then_some((v, draft))
}

/// tshark's `ssl_try_set_version`: any record but a ClientHello tells the version.
fn try_set_version(conv: &mut Conv, content_type: u8, hs_type: u8, version: u16) {
    let authoritative = if content_type == 22 {
        hs_type_known(hs_type) && hs_type != 3 && hs_type != 1
    } else {
        valid_content_type(content_type)
    };
    if authoritative {
        if let Some((v, draft)) = try_get_version(version) {
            conv.version = v;
            conv.draft = draft;
        }
    }
}

/// tshark's TLS heuristic over TCP (`is_sslv3_or_tls || is_sslv2_clienthello`).
pub fn looks_like(d: &[u8]) -> bool {
    sslv3_or_tls(d) || sslv2_clienthello(d)
}

fn sslv3_or_tls(d: &[u8]) -> bool {
    if d.len() < 5 {
        return false;
    }
    let version = u16::from_be_bytes([d[1], d[2]]);
    let len = u16::from_be_bytes([d[3], d[4]]);
    (d[0] == 22 || d[0] == 23)
        && matches!(version, SSLV3 | TLS10 | TLS11 | TLS12 | GMTLS)
        && len != 0
        && (len as usize) < (1 << 14) + 2048
}

fn sslv2_clienthello(d: &[u8]) -> bool {
    if d.len() < 46 || d[0] != 0x80 || d[2] != 1 {
        return false;
    }
    let specs = u16::from_be_bytes([d[5], d[6]]);
    let sid = u16::from_be_bytes([d[7], d[8]]);
    let challenge = u16::from_be_bytes([d[9], d[10]]);
    specs != 0 && specs % 3 == 0 && (sid == 0 || sid == 16) && challenge == 32
}

/// The handshake bytes of QUIC CRYPTO frames, as tshark's `tls13-handshake` dissector shows
/// them (one call per CRYPTO frame handed over, or per reassembled run of frames): a `tls`
/// layer, and handshake messages reassembled across calls per direction.
pub fn quic_handshake(cx: &mut Cx, data: &[u8], conv: &mut Conv, from_server: bool, dport: u16) {
    let sp = cx.tree.push_scratch(data);
    cx.proto(PROTO, "tls", sp);
    if conv.version == 0 {
        conv.version = TLS13;
    }
    conv.quic = true;
    let d = Data { d: data, buf: Buf::Scratch, base: sp.off as usize };
    let _ = handshake(cx, d, 0, data.len(), conv, Seg { dir: from_server as usize, dport, quic: true });
}

/// tshark's TLS dissector declines data that starts with four printable characters (more
/// than four bytes captured): text, not a record.
pub fn rejects(d: &[u8]) -> bool {
    d.len() > 4 && d[..4].iter().all(|&c| (0x20..0x7f).contains(&c))
}

/// Dissects the TLS records in `off..end` of a TCP stream's payload (`ports`: this
/// segment's source and destination). Returns where an unfinished record starts.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, conv: &mut Conv, ports: (u16, u16)) -> Option<Deseg> {
    if off >= end {
        // A FIN without payload: nothing for TLS.
        return None;
    }
    cx.proto(PROTO, "tls", b.span_to(off, end));
    let from_server = match conv.server {
        Some(s) => s == (cx.src, ports.0),
        None => crate::ports::tcp(ports.0) == Some("tls"),
    };
    // TCP desegments only what was captured whole.
    let can_deseg = end <= b.len();
    let d = Data { d: &b.data[..end.min(b.len())], buf: b.buf, base: 0 };
    let mut o = off;
    while o < end {
        let avail = end - o;
        let step = match conv.version {
            SSLV2 => ssl2_record(cx, d, o, end, conv, can_deseg),
            SSLV3 | TLS10 | TLS11 | TLS12 | GMTLS | 0 | TLS13 if avail < 5 => {
                if can_deseg {
                    Ok(Step::Need(Need::OneMoreSegment))
                } else {
                    Ok(Step::Next(end))
                }
            }
            SSLV3 | TLS10 | TLS11 | TLS12 | GMTLS => {
                if d.d.get(o) == Some(&0x80) && d.d.get(o + 2) == Some(&1) {
                    ssl2_record(cx, d, o, end, conv, can_deseg)
                } else {
                    ssl3_record(cx, d, o, end, conv, (from_server, ports.1), can_deseg)
                }
            }
            _ => match looks_like_sslv2(d, o).and_then(|v2| Ok((v2, looks_like_sslv3(d, o)?))) {
                Ok((true, _)) => ssl2_record(cx, d, o, end, conv, can_deseg),
                Ok((false, true)) => ssl3_record(cx, d, o, end, conv, (from_server, ports.1), can_deseg),
                // Continuation data: the rest of the payload.
                Ok((false, false)) => Ok(Step::Next(end)),
                Err(e) => Err(e),
            },
        };
        match step {
            Ok(Step::Next(n)) => o = n,
            Ok(Step::Need(need)) => return Deseg::new(o - off, need),
            Err(Stop) => break,
        }
    }
    None
}

/// Which way the segment goes: `dir` 1 from the server, and its destination port.
#[derive(Clone, Copy)]
struct Seg {
    dir: usize,
    dport: u16,
    /// QUIC CRYPTO data (`dissect_tls13_handshake`): never taken as encrypted.
    quic: bool,
}

enum Step {
    /// The next record starts here.
    Next(usize),
    /// The record starting here needs more data.
    Need(Need),
}

fn looks_like_sslv2(d: Data, o: usize) -> R<bool> {
    if d.u8(o)? < 0x80 {
        return Ok(false);
    }
    Ok(matches!(d.u8(o + 2)?, 0 | 1 | 2 | 4))
}

fn looks_like_sslv3(d: Data, o: usize) -> R<bool> {
    if !valid_content_type(d.u8(o)?) {
        return Ok(false);
    }
    Ok(matches!(d.be16(o + 1)?, SSLV3 | TLS10 | TLS11 | TLS12 | GMTLS))
}

/// One SSLv3/TLS record (`dissect_ssl3_record`).
fn ssl3_record(cx: &mut Cx, d: Data, o: usize, end: usize, conv: &mut Conv, seg: (bool, u16), can_deseg: bool) -> R<Step> {
    let (from_server, dport) = seg;
    let avail = end - o;
    if matches!(conv.version, TLS10 | TLS11 | TLS12 | GMTLS) && !valid_content_type(d.u8(o)?) {
        // "Ignored Unknown Record": the rest of the payload.
        return Ok(Step::Next(end));
    }
    if avail < 5 {
        return Ok(if can_deseg { Step::Need(Need::OneMoreSegment) } else { Step::Next(end) });
    }
    let ct = d.u8(o)?;
    let record_version = d.be16(o + 1)?;
    let len = d.be16(o + 3)? as usize;
    if !valid_content_type(ct) {
        return Ok(Step::Next(o + 5 + len));
    }
    if avail < len + 5 {
        return Ok(if can_deseg { Step::Need(Need::Bytes((len + 5 - avail) as u32)) } else { Step::Next(end) });
    }
    none(cx, RECORD, d, o, 5 + len);
    let type_field = if conv.version == TLS13 && ct == 23 { OPAQUE_TYPE } else { CONTENT_TYPE };
    cx.u(type_field, ct, d.span(o, 1));
    cx.u(RECORD_VERSION, record_version, d.span(o + 1, 2));
    cx.u(RECORD_LENGTH, len as u32, d.span(o + 3, 2));
    let next_byte = d.u8(o + 5)?;
    if conv.version == 0 {
        try_set_version(conv, ct, next_byte, record_version);
    }
    let body = o + 5;
    // tshark's first pass saves the record's tail for decryption (`decrypt_ssl3_record`):
    // a record not captured whole ends the dissection here.
    if len > 0 && (conv.version != TLS13 || ct == 23) {
        d.get(body, len)?;
    }
    let dir = from_server as usize;
    match ct {
        20 => {
            none(cx, CHANGE_CIPHER_SPEC, d, body, 1);
            // In TLS 1.3 a ChangeCipherSpec is a dummy: nothing after it is taken as encrypted.
            if conv.version != TLS13 && conv.ccs_frame[dir] == 0 {
                conv.ccs_frame[dir] = cx.meta.number;
            }
        }
        21 => {
            none(cx, ALERT, d, body, len);
            if len == 2 {
                cx.u(ALERT_LEVEL, d.u8(body)?, d.span(body, 1));
                cx.u(ALERT_DESC, d.u8(body + 1)?, d.span(body + 1, 1));
            }
        }
        22 => handshake(cx, d, body, body + len, conv, Seg { dir, dport, quic: false })?,
        23 => bytes(cx, APP_DATA, d, body, len)?,
        _ => {}
    }
    Ok(Step::Next(body + len))
}

/// A handshake record's messages (`dissect_tls_handshake`), reassembling a message that
/// spans records.
fn handshake(cx: &mut Cx, d: Data, mut o: usize, rend: usize, conv: &mut Conv, seg: Seg) -> R<()> {
    let dir = seg.dir;
    let mut first = true;
    let mut continued = false;
    if let Some(p) = conv.pending[dir].take() {
        // The header may end in this record.
        let mut hdr: Vec<u8> = p.iter().take(4).copied().collect();
        if hdr.len() < 4 {
            let need = 4 - hdr.len();
            hdr.extend(d.d.get(o..).unwrap_or(&[]).iter().take(need));
        }
        let mut subset = rend - o;
        let mut msg_len = 0;
        if hdr.len() >= 4 {
            msg_len = 4 + u32::from_be_bytes([0, hdr[1], hdr[2], hdr[3]]) as usize;
            subset = subset.min(msg_len.saturating_sub(p.len()));
        }
        // Not captured whole: reassembly stops (and the record is looked at afresh).
        if let Ok(piece) = d.get(o, subset) {
            continued = true;
            let is_last = p.len() + subset == msg_len;
            if is_last {
                none(cx, HANDSHAKE, d, o, subset);
                o += subset;
                let mut msg = p;
                msg.extend_from_slice(piece);
                let sp = cx.tree.push_scratch(&msg);
                let md = Data { d: &msg, buf: Buf::Scratch, base: sp.off as usize };
                message(cx, md, 0, conv, seg, true)?;
                first = false;
            } else {
                none(cx, HANDSHAKE, d, o, rend - o);
                if p.len() + subset <= MAX_HS_MESSAGE {
                    let mut p = p;
                    p.extend_from_slice(piece);
                    conv.pending[dir] = Some(p);
                }
                return Ok(());
            }
        }
    }
    if !continued && !seg.quic && encrypted(d, o, rend, conv, dir, cx.meta.number)? {
        none(cx, HANDSHAKE, d, o, rend - o);
        return Ok(());
    }
    while o < rend {
        let subset = rend - o;
        let msg_len = if subset >= 4 { 4 + d.be24(o + 1)? as usize } else { 0 };
        if msg_len == 0 || subset < msg_len {
            // The start of a message the next records complete.
            let piece = d.get(o, subset)?;
            none(cx, HANDSHAKE, d, o, subset);
            conv.pending[dir] = Some(piece.to_vec());
            break;
        }
        message(cx, d, o, conv, seg, first)?;
        o += msg_len;
        first = false;
    }
    Ok(())
}

/// tshark's `is_encrypted_handshake_message`: a Finished after ChangeCipherSpec and the like.
fn encrypted(d: Data, o: usize, rend: usize, conv: &Conv, dir: usize, frame: u32) -> R<bool> {
    if rend - o < 16 {
        return Ok(false);
    }
    let mut enc = d.get(o, 5)?.iter().all(|&x| x == 0);
    if !enc {
        let ccs = conv.ccs_frame[dir];
        enc = ccs != 0 && frame > ccs;
    }
    if !enc {
        enc = !hs_type_known(d.u8(o)?);
        if !enc {
            enc = d.be24(o + 1)? >= 0x10000;
        }
    }
    Ok(enc)
}

/// One complete handshake message at `o` (`dissect_tls_handshake_full`).
fn message(cx: &mut Cx, d: Data, o: usize, conv: &mut Conv, seg: Seg, first: bool) -> R<()> {
    let t = d.u8(o)?;
    let len = d.be24(o + 1)? as usize;
    let known = hs_type_known(t);
    if !known && !first {
        return Ok(());
    }
    let body = o + 4;
    let end = body + len;
    let mut hrr = false;
    if first && t == 2 && len > 2 {
        let v = scan_server_hello(d, body, end, &mut hrr)?;
        try_set_version(conv, 22, 2, v);
    }
    none(cx, HANDSHAKE, d, o, len + 4);
    if !known {
        return Ok(());
    }
    cx.u(HS_TYPE, t, d.span(o, 1));
    cx.u(HS_LENGTH, len as u32, d.span(o + 1, 3));
    match t {
        1 => {
            conv.server = Some((cx.dst, seg.dport));
            client_hello(cx, d, body, end, conv.quic)
        }
        2 => server_hello(cx, d, body, end, conv, hrr),
        11 => certificate(cx, d, body, end, conv),
        // Read only for X.509 layers: a short message stops nothing here.
        13 => {
            let _ = certificate_request(cx, d, body, end, conv);
            Ok(())
        }
        22 => {
            let _ = certificate_status(cx, d, body, end);
            Ok(())
        }
        _ => Ok(()),
    }
}

/// tshark's `tls_scan_server_hello`: the version a ServerHello selects, and whether it is
/// a HelloRetryRequest.
fn scan_server_hello(d: Data, mut o: usize, end: usize, hrr: &mut bool) -> R<u16> {
    const HRR_RANDOM: [u8; 32] = [
        0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2,
        0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
    ];
    let version = d.be16(o)?;
    if version != TLS12 || end - o < 46 {
        return Ok(version);
    }
    o += 2;
    *hrr = d.get(o, 32)? == HRR_RANDOM;
    o += 32;
    let sid = d.u8(o)? as usize;
    o += 1;
    if end - o < sid + 5 {
        return Ok(version);
    }
    o += sid + 5;
    while end - o >= 6 {
        let t = d.be16(o)?;
        let l = d.be16(o + 2)? as usize;
        if end - o < 4 + l {
            break;
        }
        if t == 43 && l == 2 {
            return d.be16(o + 4);
        }
        o += 4 + l;
    }
    Ok(version)
}

/// tshark's `ssl_add_vector`: a vector's length field (`size` bytes) at `o`, shown as
/// `field`, truncated to what `end` leaves. `None`: no room for the length.
fn vector(cx: &mut Cx, d: Data, o: usize, end: usize, field: crate::field::FieldId, size: usize) -> R<Option<usize>> {
    if o > end || end - o < size {
        return Ok(None);
    }
    let v = d.uint(o, size)? as usize;
    cx.u(field, v as u32, d.span(o, size));
    Ok(Some(v.min(end - o - size)))
}

/// ASCII string as tshark decodes `ENC_ASCII`: up to a NUL, other bytes above 0x7f shown
/// as U+FFFD.
fn ascii(v: &[u8]) -> String {
    let v = v.split(|&c| c == 0).next().unwrap_or(&[]);
    v.iter().map(|&c| if c < 0x80 { c as char } else { '\u{fffd}' }).collect()
}

fn add_ascii(cx: &mut Cx, id: crate::field::FieldId, d: Data, o: usize, len: usize) -> R<()> {
    let v = d.get(o, len)?;
    if cx.wants(id) {
        cx.add_str(id, &ascii(v), d.span(o, len));
    }
    Ok(())
}

/// What JA3 and JA4 need from a ClientHello.
#[derive(Default)]
struct Hello {
    version: u16,
    ciphers: Vec<u16>,
    extensions: Vec<u16>,
    groups: Vec<u16>,
    point_formats: Vec<u8>,
    sig_algs: Vec<u16>,
    versions: Vec<u16>,
    alpn: Option<Vec<u8>>,
}

/// Random and session id (`ssl_dissect_hnd_hello_common`); a ServerHello of a TLS 1.3
/// draft before -22 has no session id.
fn hello_common(cx: &mut Cx, d: Data, mut o: usize, no_session_id: bool) -> R<usize> {
    bytes(cx, RANDOM, d, o, 32)?;
    o += 32;
    if no_session_id {
        return Ok(o);
    }
    let sid = d.u8(o)? as usize;
    cx.u(SESSION_ID_LENGTH, sid as u32, d.span(o, 1));
    o += 1;
    if sid > 0 {
        bytes(cx, SESSION_ID, d, o, sid)?;
        o += sid;
    }
    Ok(o)
}

fn client_hello(cx: &mut Cx, d: Data, mut o: usize, end: usize, quic: bool) -> R<()> {
    let fp = cx.wants(JA3) || cx.wants(JA3_FULL) || cx.wants(JA4) || cx.wants(JA4_R);
    let mut h = Hello { version: d.be16(o)?, ..Hello::default() };
    cx.u(VERSION, h.version, d.span(o, 2));
    o += 2;
    o = hello_common(cx, d, o, false)?;
    let Some(n) = vector(cx, d, o, end, CIPHER_SUITES_LENGTH, 2)? else { return Ok(()) };
    o += 2;
    let next = o + n;
    none(cx, CIPHERSUITES, d, o, n);
    while o + 2 <= next {
        let c = d.be16(o)?;
        cx.u(CIPHERSUITE, c, d.span(o, 2));
        if fp {
            h.ciphers.push(c);
        }
        o += 2;
    }
    o = next;
    let Some(n) = vector(cx, d, o, end, COMP_METHODS_LENGTH, 1)? else { return Ok(()) };
    o += 1;
    let next = o + n;
    none(cx, COMP_METHODS, d, o, n);
    while o < next {
        cx.u(COMP_METHOD, d.u8(o)?, d.span(o, 1));
        o += 1;
    }
    if o < end {
        extensions(cx, d, o, end, 1, if fp { Some(&mut h) } else { None })?;
    }
    if fp {
        let full = ja3_string(&h);
        cx.add_str(JA3_FULL, &full, Span::EMPTY);
        cx.add_str(JA3, &crate::hash::hex(&crate::hash::md5(full.as_bytes())), Span::EMPTY);
        let (ja4, raw) = ja4(&h, quic);
        cx.add_str(JA4, &ja4, Span::EMPTY);
        cx.add_str(JA4_R, &raw, Span::EMPTY);
    }
    Ok(())
}

fn server_hello(cx: &mut Cx, d: Data, mut o: usize, end: usize, conv: &Conv, hrr: bool) -> R<()> {
    cx.u(VERSION, d.be16(o)?, d.span(o, 2));
    o += 2;
    let old_draft = conv.version == TLS13 && conv.draft > 0 && conv.draft < 22;
    o = hello_common(cx, d, o, old_draft)?;
    cx.u(CIPHERSUITE, d.be16(o)?, d.span(o, 2));
    o += 2;
    if !old_draft {
        cx.u(COMP_METHOD, d.u8(o)?, d.span(o, 1));
        o += 1;
    }
    if o < end {
        extensions(cx, d, o, end, if hrr { 6 } else { 2 }, None)?;
    }
    Ok(())
}

/// Extension types tshark 4.0 dissects itself (any other shows as `extension.data`).
fn ext_handled(t: u16) -> bool {
    matches!(
        t,
        0 | 1 | 5 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20 | 21 | 22 | 23 | 27 | 28 | 40 | 41
            | 42 | 43 | 44 | 45 | 47 | 48 | 49 | 50 | 51 | 53 | 54 | 57 | 13172 | 17513 | 0xffa5 | 0xffce | 0xff01
    )
}

/// The extensions block of a hello (`ssl_dissect_hnd_extension`); `hs`: the message type.
fn extensions(cx: &mut Cx, d: Data, o: usize, end: usize, hs: u8, mut h: Option<&mut Hello>) -> R<()> {
    let Some(n) = vector(cx, d, o, end, EXTS_LEN, 2)? else { return Ok(()) };
    let mut o = o + 2;
    let end = o + n;
    while end - o >= 4 {
        let t = d.be16(o)?;
        d.be16(o + 2)?;
        cx.u(EXT_TYPE, t, d.span(o, 2));
        o += 2;
        let Some(l) = vector(cx, d, o, end, EXT_LEN, 2)? else { return Ok(()) };
        o += 2;
        let next = o + l;
        if let Some(h) = h.as_deref_mut() {
            h.extensions.push(t);
        }
        extension(cx, d, o, next, t, hs, h.as_deref_mut())?;
        o = next;
    }
    Ok(())
}

fn extension(cx: &mut Cx, d: Data, o: usize, end: usize, t: u16, hs: u8, h: Option<&mut Hello>) -> R<()> {
    match t {
        0 if hs == 1 => {
            let Some(n) = vector(cx, d, o, end, SNI_LIST_LEN, 2)? else { return Ok(()) };
            let mut o = o + 2;
            let next = o + n;
            while o < next {
                cx.u(SNI_TYPE, d.u8(o)?, d.span(o, 1));
                o += 1;
                let Some(n) = vector(cx, d, o, next, SNI_LEN, 2)? else { return Ok(()) };
                o += 2;
                add_ascii(cx, SNI, d, o, n)?;
                o += n;
            }
        }
        1 => cx.u(MAX_FRAGMENT_LENGTH, d.u8(o)?, d.span(o, 1)),
        10 => {
            let Some(n) = vector(cx, d, o, end, GROUPS_LEN, 2)? else { return Ok(()) };
            let mut o = o + 2;
            none(cx, GROUPS, d, o, n);
            let mut h = h;
            while o + 2 <= end {
                let g = d.be16(o)?;
                cx.u(GROUP, g, d.span(o, 2));
                if let Some(h) = h.as_deref_mut() {
                    h.groups.push(g);
                }
                o += 2;
            }
        }
        11 => {
            let n = d.u8(o)? as usize;
            cx.u(EC_PF_LEN, n as u32, d.span(o, 1));
            none(cx, EC_PFS, d, o + 1, n);
            let mut h = h;
            for i in 0..n {
                let f = d.u8(o + 1 + i)?;
                cx.u(EC_PF, f, d.span(o + 1 + i, 1));
                if let Some(h) = h.as_deref_mut() {
                    h.point_formats.push(f);
                }
            }
        }
        // Signature algorithms: tshark's `tls.handshake.sig_hash_*` fields also come from
        // certificates' SCT lists (X.509, not dissected here), so they are not offered;
        // JA4 reads the list.
        13 => {
            if let (Some(h), true) = (h, o + 2 <= end) {
                let next = o + 2 + (d.be16(o)? as usize).min(end - o - 2);
                let mut o = o + 2;
                while o + 2 <= next {
                    h.sig_algs.push(d.be16(o)?);
                    o += 2;
                }
            }
        }
        16 => {
            let Some(n) = vector(cx, d, o, end, ALPN_LEN, 2)? else { return Ok(()) };
            let mut o = o + 2;
            let next = o + n;
            none(cx, ALPN_LIST, d, o, n);
            let mut h = h;
            while o < next {
                let Some(n) = vector(cx, d, o, next, ALPN_STR_LEN, 1)? else { return Ok(()) };
                o += 1;
                add_ascii(cx, ALPN_STR, d, o, n)?;
                if let Some(h) = h.as_deref_mut() {
                    if h.alpn.is_none() {
                        h.alpn = Some(d.get(o, n)?.to_vec());
                    }
                }
                o += n;
            }
        }
        21 => bytes(cx, PADDING_DATA, d, o, end - o)?,
        35 => bytes(cx, EXT_DATA, d, o, end - o)?,
        43 => match hs {
            1 => {
                let Some(n) = vector(cx, d, o, end, SV_LEN, 1)? else { return Ok(()) };
                let mut o = o + 1;
                let next = o + n;
                let mut h = h;
                while o + 2 <= next {
                    let v = d.be16(o)?;
                    cx.u(SV, v, d.span(o, 2));
                    if let Some(h) = h.as_deref_mut() {
                        h.versions.push(v);
                    }
                    o += 2;
                }
            }
            2 | 6 => cx.u(SV, d.be16(o)?, d.span(o, 2)),
            _ => {}
        },
        40 | 51 => {
            if end <= o {
                return Ok(());
            }
            match hs {
                1 => {
                    let Some(n) = vector(cx, d, o, end, KS_CLIENT_LEN, 2)? else { return Ok(()) };
                    let mut o = o + 2;
                    let next = o + n;
                    while o + 4 <= next {
                        match key_share_entry(cx, d, o, next)? {
                            Some(n) => o = n,
                            None => break,
                        }
                    }
                }
                2 => {
                    key_share_entry(cx, d, o, end)?;
                }
                6 => cx.u(KS_SELECTED, d.be16(o)?, d.span(o, 2)),
                _ => {}
            }
        }
        0xff01 => {
            let Some(n) = vector(cx, d, o, end, RENEG_LEN, 1)? else { return Ok(()) };
            if n > 0 {
                bytes(cx, RENEG, d, o + 1, n)?;
            }
        }
        t if !ext_handled(t) => bytes(cx, EXT_DATA, d, o, end - o)?,
        _ => {}
    }
    Ok(())
}

/// One KeyShareEntry; `None` when its key exchange length does not fit (the rest of the
/// extension is skipped).
fn key_share_entry(cx: &mut Cx, d: Data, o: usize, end: usize) -> R<Option<usize>> {
    cx.u(KS_GROUP, d.be16(o)?, d.span(o, 2));
    let o = o + 2;
    let Some(n) = vector(cx, d, o, end, KS_KE_LEN, 2)? else { return Ok(None) };
    bytes(cx, KS_KE, d, o + 2, n)?;
    Ok(Some(o + 2 + n))
}

/// A Certificate message's list (`ssl_dissect_hnd_cert`, TLS 1.2 and before).
fn certificate(cx: &mut Cx, d: Data, o: usize, end: usize, conv: &Conv) -> R<()> {
    if conv.version == TLS13 {
        return Ok(());
    }
    let Some(n) = vector(cx, d, o, end, CERTIFICATES_LENGTH, 3)? else { return Ok(()) };
    let mut o = o + 3;
    let next = o + n;
    if n == 0 {
        return Ok(());
    }
    none(cx, CERTIFICATES, d, o, n);
    while o < next {
        let Some(n) = vector(cx, d, o, next, CERTIFICATE_LENGTH, 3)? else { return Ok(()) };
        o += 3;
        bytes(cx, CERTIFICATE, d, o, n)?;
        if super::x509::wanted(cx) {
            super::x509::certificate(cx, d.get(o, n)?, d.buf, d.base + o);
        }
        o += n;
    }
    Ok(())
}

/// A CertificateRequest (TLS 1.2 and before): only its certificate authorities' names are
/// read, for the X.509 layers tshark's dissection of them adds.
fn certificate_request(cx: &mut Cx, d: Data, o: usize, end: usize, conv: &Conv) -> R<()> {
    if conv.version == TLS13 || !super::x509::wanted(cx) {
        return Ok(());
    }
    let types = d.u8(o)? as usize;
    let mut o = o + 1 + types;
    if conv.version == TLS12 {
        o += 2 + d.be16(o)? as usize;
    }
    let n = d.be16(o)? as usize;
    o += 2;
    let list_end = (o + n).min(end);
    while o + 2 <= list_end {
        let l = d.be16(o)? as usize;
        o += 2;
        if o + l > list_end {
            break;
        }
        super::x509::distinguished_name(cx, d.get(o, l)?, d.buf, d.base + o);
        o += l;
    }
    Ok(())
}

/// A CertificateStatus: an OCSP response (`status_type` 1) is read for the layers of its
/// X.509 contents.
fn certificate_status(cx: &mut Cx, d: Data, o: usize, end: usize) -> R<()> {
    if !super::x509::wanted(cx) || d.u8(o)? != 1 {
        return Ok(());
    }
    let n = d.be24(o + 1)? as usize;
    if o + 4 + n > end {
        return Ok(());
    }
    super::x509::ocsp_response(cx, d.get(o + 4, n)?, d.buf, d.base + o + 4);
    Ok(())
}

/// An SSLv2 record (`dissect_ssl2_record`): only a ClientHello is dissected.
fn ssl2_record(cx: &mut Cx, d: Data, o: usize, end: usize, conv: &mut Conv, can_deseg: bool) -> R<Step> {
    let avail = end - o;
    let b0 = d.u8(o)?;
    let hl = if b0 & 0x80 != 0 { 2 } else { 3 };
    if avail < hl {
        return Ok(if can_deseg { Step::Need(Need::OneMoreSegment) } else { Step::Next(end) });
    }
    let (len, escape, padding) = if hl == 2 {
        (((b0 & 0x7f) as usize) << 8 | d.u8(o + 1)? as usize, None, None)
    } else {
        (((b0 & 0x3f) as usize) << 8 | d.u8(o + 1)? as usize, Some(b0 & 0x40 != 0), Some(d.u8(o + 2)?))
    };
    if avail < hl + len {
        return Ok(if can_deseg { Step::Need(Need::Bytes((hl + len - avail) as u32)) } else { Step::Next(end) });
    }
    let body = o + hl;
    none(cx, RECORD, d, o, hl + len);
    let t = d.u8(body)?;
    if conv.version == 0 && (2..=8).contains(&t) {
        conv.version = SSLV2;
    }
    let next = Ok(Step::Next(body + len));
    cx.u(RECORD_VERSION, SSLV2, d.span(o, 0));
    if !valid_v2_handshake(d, body, len)? {
        return next;
    }
    cx.u(RECORD_LENGTH, len as u32, d.span(o, hl));
    if let Some(e) = escape {
        cx.flag(IS_ESCAPE, e, d.span(o, 1));
    }
    if let Some(p) = padding {
        cx.u(PADDING_LENGTH, p, d.span(o + 2, 1));
    }
    cx.u(HS_TYPE, t, d.span(body, 1));
    if t == 1 {
        ssl2_client_hello(cx, d, body + 1)?;
    }
    next
}

/// tshark's `ssl_looks_like_valid_v2_handshake`.
fn valid_v2_handshake(d: Data, o: usize, len: usize) -> R<bool> {
    let valid_version = |v: u16| matches!(v, SSLV2 | SSLV3 | TLS10 | TLS11 | TLS12 | TLS13 | GMTLS | 0x0100 | 0xfeff | 0xfefd | 0xfefc) || v >> 8 == 0x7f;
    Ok(match d.u8(o)? {
        1 => valid_version(d.be16(o + 1)?),
        4 => valid_version(d.be16(o + 3)?),
        2 => d.be16(o + 4)? as usize + d.be16(o + 6)? as usize + d.be16(o + 8)? as usize <= len,
        _ => false,
    })
}

fn ssl2_client_hello(cx: &mut Cx, d: Data, mut o: usize) -> R<()> {
    cx.u(VERSION, d.be16(o)?, d.span(o, 2));
    o += 2;
    let specs = d.be16(o)? as usize;
    cx.u(CIPHER_SPEC_LEN, specs as u32, d.span(o, 2));
    o += 2;
    let sid = d.be16(o)? as usize;
    cx.u(SESSION_ID_LENGTH, sid as u32, d.span(o, 2));
    if sid > 16 {
        return Ok(());
    }
    o += 2;
    let challenge = d.be16(o)? as usize;
    cx.u(CHALLENGE_LENGTH, challenge as u32, d.span(o, 2));
    o += 2;
    none(cx, CIPHERSUITES, d, o, specs);
    let mut left = specs;
    while left > 0 {
        cx.u(CIPHERSPEC, d.be24(o)?, d.span(o, 3));
        o += 3;
        left = left.saturating_sub(3);
    }
    if sid > 0 {
        bytes(cx, SESSION_ID, d, o, sid)?;
        o += sid;
    }
    if challenge > 0 {
        d.get(o, challenge)?;
        none(cx, CHALLENGE, d, o, challenge);
    }
    Ok(())
}

/// A GREASE value (RFC 8701): 0x?a?a with both bytes equal.
fn grease(v: u16) -> bool {
    v & 0x0f0f == 0x0a0a && v >> 8 == v & 0xff
}

/// The JA3 string: version,ciphers,extensions,groups,point formats in decimal, GREASE
/// values left out.
fn ja3_string(h: &Hello) -> String {
    let join = |v: &mut dyn Iterator<Item = u32>| v.map(|x| x.to_string()).collect::<Vec<_>>().join("-");
    format!(
        "{},{},{},{},{}",
        h.version,
        join(&mut h.ciphers.iter().filter(|c| !grease(**c)).map(|&c| c as u32)),
        join(&mut h.extensions.iter().filter(|c| !grease(**c)).map(|&c| c as u32)),
        join(&mut h.groups.iter().filter(|c| !grease(**c)).map(|&c| c as u32)),
        join(&mut h.point_formats.iter().map(|&c| c as u32)),
    )
}

/// JA4 (hashed) and JA4_r (raw) of a ClientHello over TCP (`t`) or QUIC (`q`).
fn ja4(h: &Hello, quic: bool) -> (String, String) {
    let version = h.versions.iter().copied().filter(|v| !grease(*v)).max().unwrap_or(h.version);
    let v = match version {
        TLS13 => "13",
        TLS12 => "12",
        TLS11 => "11",
        TLS10 => "10",
        SSLV3 => "s3",
        SSLV2 => "s2",
        0xfeff => "d1",
        0xfefd => "d2",
        0xfefc => "d3",
        _ => "00",
    };
    let sni = if h.extensions.contains(&0) { 'd' } else { 'i' };
    let mut ciphers: Vec<u16> = h.ciphers.iter().copied().filter(|c| !grease(*c)).collect();
    let exts: Vec<u16> = h.extensions.iter().copied().filter(|c| !grease(*c)).collect();
    let alpn = match h.alpn.as_deref() {
        Some([first, .., last]) | Some([first @ last]) => {
            if first.is_ascii_alphanumeric() && last.is_ascii_alphanumeric() {
                format!("{}{}", *first as char, *last as char)
            } else {
                let (f, l) = (crate::hash::hex(&[*first]), crate::hash::hex(&[*last]));
                format!("{}{}", &f[..1], &l[1..])
            }
        }
        _ => "00".to_string(),
    };
    let a = format!("{}{}{}{:02}{:02}{}", if quic { 'q' } else { 't' }, v, sni, ciphers.len().min(99), exts.len().min(99), alpn);
    ciphers.sort_unstable();
    let mut sorted_exts: Vec<u16> = exts.into_iter().filter(|&e| e != 0 && e != 0x10).collect();
    sorted_exts.sort_unstable();
    let list = |v: &[u16]| v.iter().map(|x| format!("{:04x}", x)).collect::<Vec<_>>().join(",");
    let b_raw = list(&ciphers);
    let mut c_raw = list(&sorted_exts);
    let sigs: Vec<u16> = h.sig_algs.iter().copied().filter(|s| !grease(*s)).collect();
    if !sigs.is_empty() {
        c_raw = format!("{}_{}", c_raw, list(&sigs));
    }
    let hash12 = |s: &str, empty: bool| {
        if empty {
            "000000000000".to_string()
        } else {
            crate::hash::hex(&crate::hash::sha256(s.as_bytes()))[..12].to_string()
        }
    };
    let hashed = format!("{}_{}_{}", a, hash12(&b_raw, ciphers.is_empty()), hash12(&c_raw, sorted_exts.is_empty()));
    (hashed, format!("{}_{}_{}", a, b_raw, c_raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_start_is_no_record() {
        assert!(rejects(b"1%0#\x06\x03"));
        assert!(!rejects(b"1%0#"));
        assert!(!rejects(b"\x16\x03\x01\x00\x05"));
    }

    #[test]
    fn heuristic() {
        assert!(looks_like(&[22, 3, 1, 0, 200, 1]));
        assert!(looks_like(&[23, 3, 3, 0, 20]));
        assert!(!looks_like(&[21, 3, 3, 0, 2]));
        assert!(!looks_like(&[22, 3, 4, 0, 200]));
        assert!(!looks_like(&[22, 3, 1, 0, 0]));
        assert!(!looks_like(&[22, 3, 1]));
        assert!(!looks_like(b"GET / HTTP/1.1\r\n"));
    }

    #[test]
    fn grease_values() {
        assert!(grease(0x0a0a));
        assert!(grease(0xfafa));
        assert!(!grease(0x0a1a));
        assert!(!grease(0x1301));
    }

    /// The browserleaks.com answer for a Chrome 143 ClientHello (public JA3/JA4 test data):
    /// the same lists give the same JA3 hash and JA4.
    #[test]
    fn chrome_fingerprints() {
        let h = Hello {
            version: 771,
            ciphers: vec![
                0x0a0a, 4865, 4866, 4867, 49195, 49199, 49196, 49200, 52393, 52392, 49171, 49172, 156, 157, 47, 53,
            ],
            extensions: vec![
                0x2a2a, 45, 51, 16, 65037, 23, 17613, 0, 11, 10, 43, 65281, 35, 18, 5, 13, 27, 0x3a3a,
            ],
            groups: vec![0x4a4a, 4588, 29, 23, 24],
            point_formats: vec![0],
            sig_algs: vec![0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601],
            versions: vec![0x5a5a, 0x0304, 0x0303],
            alpn: Some(b"h2".to_vec()),
        };
        let s = ja3_string(&h);
        assert_eq!(
            s,
            "771,4865-4866-4867-49195-49199-49196-49200-52393-52392-49171-49172-156-157-47-53,45-51-16-65037-23-17613-0-11-10-43-65281-35-18-5-13-27,4588-29-23-24,0"
        );
        assert_eq!(crate::hash::hex(&crate::hash::md5(s.as_bytes())), "98487aa16281980e7d1120d399efb6a4");
        let (ja4, raw) = ja4(&h, false);
        assert_eq!(ja4, "t13d1516h2_8daaf6152771_d8a2da3f94cd");
        assert_eq!(
            raw,
            "t13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0017,001b,0023,002b,002d,0033,44cd,fe0d,ff01_0403,0804,0401,0503,0805,0501,0806,0601"
        );
    }

    #[test]
    fn ja4_without_alpn_sni_or_sigs() {
        let h = Hello { version: 0x0303, ciphers: vec![0x002f], extensions: vec![0x000a], ..Hello::default() };
        let (hashed, raw) = ja4(&h, false);
        assert_eq!(raw, "t12i010100_002f_000a");
        assert!(hashed.starts_with("t12i010100_"), "{hashed}");
        let h = Hello { version: 0x0301, alpn: Some(b"\x01x".to_vec()), ..Hello::default() };
        assert_eq!(ja4(&h, false).0, "t10i000008_000000000000_000000000000");
    }
}
