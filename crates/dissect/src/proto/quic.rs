//! QUIC (IETF) as tshark 4.0 shows it without key log: found by its UDP heuristic (long
//! header of a known version) or by a UDP conversation the heuristic claimed before; the
//! packets of a datagram (coalesced), their headers, and the Initial packets decrypted with
//! the keys derived from the client's first Destination Connection ID (RFC 9001 §5.2; the
//! salts of drafts 22 to 34, v1 and v2). The CRYPTO frames of decrypted packets go to the TLS
//! handshake dissector (`tls::quic_handshake`), in order: frames that arrive ahead of a gap
//! are held until the gap is filled, as tshark's out-of-order CRYPTO reassembly does.
//!
//! Connections are tracked as tshark does: by the client's first Initial (its DCID and
//! SCID), the server's SCID, and the UDP conversation; `quic.connection.number` counts them.
//! Handshake, 0-RTT and 1-RTT packets need TLS secrets and stay encrypted.
//!
//! Not done (tshark shows more): frame fields other than the type, PADDING length and
//! CRYPTO offset/length (ACK ranges, CONNECTION_CLOSE reasons, …); the transport parameters
//! extension; gQUIC frames inside Q050/T050/T051 packets; stateless resets; QUIC inside ICMP
//! errors shows its layer only.
crate::declare_fields! {
    after = super::tftp::END;
    PROTO = "quic", "QUIC IETF", Protocol, None;
    CONNECTION_NUMBER = "quic.connection.number", "Connection Number", U32, Dec,
        blurb = "Connection identifier within this capture file";
    PACKET_LENGTH = "quic.packet_length", "Packet Length", U32, Dec, blurb = "Size of the QUIC packet";
    HEADER_FORM = "quic.header_form", "Header Form", U8, Dec, mask = 0x80, vals = HEADER_FORMS,
        blurb = "The most significant bit (0x80) of the first octet is set to 1 for long headers and 0 for short headers.";
    FIXED_BIT = "quic.fixed_bit", "Fixed Bit", Boolean, None, mask = 0x40, blurb = "Must be 1";
    LONG_PACKET_TYPE = "quic.long.packet_type", "Packet Type", U8, Dec, mask = 0x30, vals = V1_PACKET_TYPES,
        blurb = "Long Header Packet Type";
    LONG_PACKET_TYPE_V2 = "quic.long.packet_type_v2", "Packet Type", U8, Dec, mask = 0x30, vals = V2_PACKET_TYPES,
        blurb = "Long Header Packet Type";
    LONG_RESERVED = "quic.long.reserved", "Reserved", U8, Dec, mask = 0x0c,
        blurb = "Reserved bits (protected using header protection)";
    PACKET_NUMBER_LENGTH = "quic.packet_number_length", "Packet Number Length", U8, Dec, mask = 0x03,
        vals = PN_LENGTHS, blurb = "Packet Number field length (protected using header protection)";
    VN_UNUSED = "quic.vn.unused", "Unused", U8, Hex, mask = 0x7f;
    VERSION = "quic.version", "Version", U32, Hex;
    DCIL = "quic.dcil", "Destination Connection ID Length", U8, Dec;
    DCID = "quic.dcid", "Destination Connection ID", Bytes, None;
    SCIL = "quic.scil", "Source Connection ID Length", U8, Dec;
    SCID = "quic.scid", "Source Connection ID", Bytes, None;
    SUPPORTED_VERSION = "quic.supported_version", "Supported Version", U32, Hex;
    TOKEN_LENGTH = "quic.token_length", "Token Length", U64, Dec;
    TOKEN = "quic.token", "Token", Bytes, None;
    LENGTH = "quic.length", "Length", U64, Dec, blurb = "Length of Packet Number and Payload fields";
    PACKET_NUMBER = "quic.packet_number", "Packet Number", U64, Dec, blurb = "Decoded packet number";
    PAYLOAD = "quic.payload", "Payload", Bytes, None, blurb = "(Encrypted) payload of a packet";
    RETRY_TOKEN = "quic.retry_token", "Retry Token", Bytes, None;
    RETRY_INTEGRITY_TAG = "quic.retry_integrity_tag", "Retry Integrity Tag", Bytes, None;
    SHORT = "quic.short", "QUIC Short Header", None, None;
    SPIN_BIT = "quic.spin_bit", "Spin Bit", Boolean, None, mask = 0x20, blurb = "Latency Spin Bit";
    REMAINING_PAYLOAD = "quic.remaining_payload", "Remaining Payload", Bytes, None,
        blurb = "Remaining payload in a packet (possibly PKN followed by encrypted payload)";
    FRAME = "quic.frame", "Frame", None, None;
    FRAME_TYPE = "quic.frame_type", "Frame Type", U64, Hex;
    PADDING_LENGTH = "quic.padding_length", "Padding Length", U32, Dec;
    CRYPTO_OFFSET = "quic.crypto.offset", "Offset", U64, Dec, blurb = "Byte offset into the stream";
    CRYPTO_LENGTH = "quic.crypto.length", "Length", U64, Dec, blurb = "Length of the Crypto Data field";
    CRYPTO_DATA = "quic.crypto.crypto_data", "Crypto Data", None, None, blurb = "The cryptographic message data";
}

use crate::cx::{Bytes, ConvKey, Cx, FastMap, NetAddr};
use crate::tree::{Span, Value};
use std::collections::BTreeMap;

static HEADER_FORMS: &[(u64, &str)] = &[(0, "Short Header"), (1, "Long Header")];
static V1_PACKET_TYPES: &[(u64, &str)] = &[(0, "Initial"), (1, "0-RTT"), (2, "Handshake"), (3, "Retry")];
static V2_PACKET_TYPES: &[(u64, &str)] = &[(0, "Retry"), (1, "Initial"), (2, "0-RTT"), (3, "Handshake")];
static PN_LENGTHS: &[(u64, &str)] = &[(0, "1 bytes"), (1, "2 bytes"), (2, "3 bytes"), (3, "4 bytes")];

/// Most connections remembered (a full table is emptied).
const MAX_CONNS: usize = 4096;
/// Most CRYPTO bytes held out of order per connection, direction and packet number space.
const MAX_CRYPTO_HELD: usize = 256 << 10;
/// Most out-of-order runs held per connection, direction and packet number space.
const MAX_MSPS: usize = 64;
/// Longest connection ID (RFC 9000).
const MAX_CID: usize = 20;

const V2: u32 = 0x6b33_43cf;

/// tshark's internal packet types (the wire values depend on the version).
const LPT_INITIAL: u8 = 0;
const LPT_0RTT: u8 = 1;
const LPT_HANDSHAKE: u8 = 2;
const LPT_RETRY: u8 = 3;
const LPT_VER_NEG: u8 = 0xfe;
const SHORT_PACKET: u8 = 0xff;

/// A connection ID (at most 20 bytes).
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
struct Cid {
    len: u8,
    b: [u8; MAX_CID],
}

impl Cid {
    fn new(v: &[u8]) -> Cid {
        let mut c = Cid { len: v.len().min(MAX_CID) as u8, b: [0; MAX_CID] };
        c.b[..c.len as usize].copy_from_slice(&v[..c.len as usize]);
        c
    }
    fn bytes(&self) -> &[u8] {
        &self.b[..self.len as usize]
    }
    /// tshark's `quic_cids_has_match` for one CID: `raw` may carry trailing bytes (an
    /// empty CID matches anything).
    fn prefix_of(&self, raw: &Cid) -> bool {
        raw.len >= self.len && raw.b[..self.len as usize] == self.b[..self.len as usize]
    }
}

/// The packet protection of one side's Initial packets.
struct Keys {
    hp: aes::Aes128,
    aead: aes_gcm::Aes128Gcm,
    iv: [u8; 12],
}

/// Out-of-order CRYPTO data of one connection, direction and packet number space.
#[derive(Default)]
struct Crypto {
    max_contiguous: u64,
    /// Runs waiting for a gap to be filled, by the offset where the gap starts.
    msps: BTreeMap<u64, Msp>,
    held: usize,
}

struct Msp {
    seq: u64,
    nxtpdu: u64,
    got_all: bool,
    missing_first: bool,
    /// The offset of the frame that completed the run (the one that hands it to TLS).
    completed_by: u64,
    /// Fragments (offset relative to `seq`, bytes), sorted by offset.
    frags: Vec<(u64, Vec<u8>)>,
}

struct Conn {
    number: u32,
    version: u32,
    server: (NetAddr, u16),
    client_dcid_initial: Option<Cid>,
    /// The client's CIDs and the server's; the first may be empty (it then matches anything).
    client_cids: Vec<Cid>,
    server_cids: Vec<Cid>,
    /// Initial keys [client, server], and the DCID and version they were derived from.
    keys: Option<(Box<[Keys; 2]>, Cid, u32)>,
    /// Largest packet number per [client, server] and space (Initial, Handshake, appdata).
    max_pkn: [[u64; 3]; 2],
    crypto: [[Option<Box<Crypto>>; 4]; 2],
    tls: crate::proto::tls::Conv,
}

/// QUIC state of a capture.
pub struct Table {
    /// Initial packets are decrypted (a command wants an application field or the layers).
    decrypt: bool,
    conns: Vec<Conn>,
    next_number: u32,
    initial: FastMap<Cid, usize>,
    client: FastMap<Cid, usize>,
    server: FastMap<Cid, usize>,
    /// The connection of a UDP conversation (tshark's conversation data).
    by_conv: FastMap<ConvKey, usize>,
    /// UDP conversations the heuristic claimed (tshark's conversation dissector).
    claimed: FastMap<ConvKey, ()>,
    /// Bit n set: a CID of length n is known.
    cid_lengths: u32,
}

impl Table {
    pub fn new(want: &[bool]) -> Self {
        Table {
            decrypt: crate::proto::app_fields_wanted(want),
            conns: Vec::new(),
            next_number: 0,
            initial: Default::default(),
            client: Default::default(),
            server: Default::default(),
            by_conv: Default::default(),
            claimed: Default::default(),
            cid_lengths: 0,
        }
    }

    fn clear(&mut self) {
        self.conns.clear();
        self.initial.clear();
        self.client.clear();
        self.server.clear();
        self.by_conv.clear();
        self.claimed.clear();
        self.cid_lengths = 0;
    }

    fn cid_known_length(&self, len: u8) -> bool {
        self.cid_lengths & (1 << len) != 0
    }

    fn insert_cid(&mut self, cid: Cid, conn: usize, from_server: bool) {
        let map = if from_server { &mut self.server } else { &mut self.client };
        map.insert(cid, conn);
        self.cid_lengths |= 1 << cid.len;
    }
}

/// A dissection that must stop (tshark threw a bounds exception).
struct Stop;
type R<T> = Result<T, Stop>;

fn get(d: &[u8], off: usize, len: usize) -> R<&[u8]> {
    d.get(off..off.checked_add(len).ok_or(Stop)?).ok_or(Stop)
}

fn u8_at(d: &[u8], off: usize) -> R<u8> {
    d.get(off).copied().ok_or(Stop)
}

fn be32(d: &[u8], off: usize) -> R<u32> {
    let b = get(d, off, 4)?;
    Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// A QUIC variable-length integer and its size.
fn varint(d: &[u8], off: usize) -> R<(u64, usize)> {
    let first = u8_at(d, off)?;
    let n = 1usize << (first >> 6);
    let b = get(d, off, n)?;
    let v = b[1..].iter().fold((first & 0x3f) as u64, |a, &x| a << 8 | x as u64);
    Ok((v, n))
}

/// tshark's `quic_draft_version`: the draft a version follows (0: none).
fn draft_version(v: u32) -> u8 {
    if v >> 8 == 0xff0000 {
        return v as u8;
    }
    match v {
        0xfaceb001 => 22,
        0xfaceb002 | 0xfaceb00e => 27,
        0x51303530 | 0x54303530 | 0x54303531 => 27,
        _ if v & 0x0f0f0f0f == 0x0a0a0a0a => 29,
        1 => 34,
        V2 => 100,
        _ => 0,
    }
}

fn draft_max(v: u32, max: u8) -> bool {
    let d = draft_version(v);
    d != 0 && d <= max
}

/// The internal packet type of a long header's first byte.
fn long_packet_type(first: u8, version: u32) -> u8 {
    let t = (first & 0x30) >> 4;
    if version != V2 {
        t
    } else {
        match t {
            0 => LPT_RETRY,
            1 => LPT_INITIAL,
            2 => LPT_0RTT,
            _ => LPT_HANDSHAKE,
        }
    }
}

/// The salt of a version's Initial secrets.
fn initial_salt(version: u32) -> [u8; 20] {
    match version {
        0x51303530 => hex20("504574efd066fe2f9d945cfcdbd3a7f0d3b56b45"),
        0x54303530 => hex20("7ff579e5acd072915580304c43a2367c60488310"),
        0x54303531 => hex20("7a4edef4e7ccee5fa4506c19124fc8ccda6e033d"),
        v if draft_max(v, 22) => hex20("7fbcdb0e7c66bbe9193a96cd21519ebd7a02644a"),
        v if draft_max(v, 28) => hex20("c3eef712c72ebb5a11a7d2432bb46365bef9f502"),
        v if draft_max(v, 32) => hex20("afbfec289993d24c9e9786f19c6111e04390a899"),
        v if draft_max(v, 34) => hex20("38762cf7f55934b34d179ae6a4c80cadccbb7f0a"),
        _ => hex20("0dede3def700a6db819381be6e269dcbf9bd2ed9"),
    }
}

fn hex20(s: &str) -> [u8; 20] {
    let s: Vec<u8> = s.bytes().filter(|c| c.is_ascii_hexdigit()).collect();
    let mut out = [0u8; 20];
    for (i, o) in out.iter_mut().enumerate() {
        let h = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
        *o = h(s[2 * i]) << 4 | h(s[2 * i + 1]);
    }
    out
}

/// TLS 1.3's HKDF-Expand-Label with an empty context.
fn expand_label(secret: &[u8], label: &str, out: &mut [u8]) {
    let Ok(hk) = hkdf::Hkdf::<sha2::Sha256>::from_prk(secret) else { return };
    let full = [b"tls13 ".as_slice(), label.as_bytes()].concat();
    let info = [&(out.len() as u16).to_be_bytes()[..], &[full.len() as u8], &full, &[0u8]].concat();
    let _ = hk.expand(&info, out);
}

/// The client and server Initial secrets of a connection (RFC 9001 §5.2).
fn initial_secrets(dcid: &[u8], version: u32) -> ([u8; 32], [u8; 32]) {
    let (prk, _) = hkdf::Hkdf::<sha2::Sha256>::extract(Some(&initial_salt(version)), dcid);
    let (mut c, mut s) = ([0u8; 32], [0u8; 32]);
    expand_label(&prk, "client in", &mut c);
    expand_label(&prk, "server in", &mut s);
    (c, s)
}

/// The packet protection key, IV and header protection key of a secret.
fn key_iv_hp(secret: &[u8], version: u32) -> ([u8; 16], [u8; 12], [u8; 16]) {
    let v2 = version == V2;
    let (mut key, mut iv, mut hp) = ([0u8; 16], [0u8; 12], [0u8; 16]);
    expand_label(secret, if v2 { "quicv2 key" } else { "quic key" }, &mut key);
    expand_label(secret, if v2 { "quicv2 iv" } else { "quic iv" }, &mut iv);
    expand_label(secret, if v2 { "quicv2 hp" } else { "quic hp" }, &mut hp);
    (key, iv, hp)
}

fn keys(secret: &[u8], version: u32) -> Keys {
    use aes::cipher::KeyInit;
    let (key, iv, hp) = key_iv_hp(secret, version);
    Keys { hp: aes::Aes128::new(&hp.into()), aead: aes_gcm::Aes128Gcm::new(&key.into()), iv }
}

fn initial_keys(dcid: &[u8], version: u32) -> Box<[Keys; 2]> {
    let (c, s) = initial_secrets(dcid, version);
    Box::new([keys(&c, version), keys(&s, version)])
}

/// Removes header protection: the first byte and the truncated packet number.
fn unprotect_header(k: &Keys, pkt: &[u8], pn_offset: usize) -> R<(u8, u32, usize)> {
    use aes::cipher::BlockEncrypt;
    let sample = get(pkt, pn_offset + 4, 16)?;
    let mut block = aes::Block::clone_from_slice(sample);
    k.hp.encrypt_block(&mut block);
    let first = pkt[0] ^ (block[0] & if pkt[0] & 0x80 != 0 { 0x0f } else { 0x1f });
    let n = (first & 3) as usize + 1;
    let pn = get(pkt, pn_offset, n)?.iter().enumerate().fold(0u32, |a, (i, &x)| a << 8 | (x ^ block[1 + i]) as u32);
    Ok((first, pn, n))
}

/// tshark's `quic_pkt_adjust_pkt_num`.
fn full_packet_number(max: u64, pn: u32, bits: u32) -> u64 {
    let k = if max == u64::MAX { max } else { max + 1 };
    let u = k & !((1u64 << bits) - 1);
    let a = u | pn as u64;
    let b = u.wrapping_add(1u64 << bits) | pn as u64;
    let a1 = k.abs_diff(a);
    let b1 = k.abs_diff(b);
    if a1 < b1 {
        a
    } else {
        b
    }
}

/// Decrypts a packet's payload (`header` with the first byte and packet number unprotected).
fn decrypt(k: &Keys, header: &[u8], body: &[u8], pn: u64) -> Option<Vec<u8>> {
    use aes_gcm::aead::AeadInPlace;
    let mut nonce = k.iv;
    for (i, x) in pn.to_be_bytes().iter().enumerate() {
        nonce[4 + i] ^= x;
    }
    let (ct, tag) = body.split_at(body.len().checked_sub(16)?);
    let mut buf = ct.to_vec();
    k.aead
        .decrypt_in_place_detached(aes_gcm::Nonce::from_slice(&nonce), header, &mut buf, aes_gcm::Tag::from_slice(tag))
        .ok()?;
    Some(buf)
}

/// Builds a protected Initial packet (tests and fuzzing): a long header of `version` with
/// `dcid` and `scid`, no token, a 4-byte packet number `pn`, and `frames` (at most 16000
/// bytes) protected with one side's Initial keys, derived from `odcid` (the client's first
/// DCID).
#[doc(hidden)]
pub fn seal_initial(
    version: u32,
    odcid: &[u8],
    dcid: &[u8],
    scid: &[u8],
    from_server: bool,
    pn: u32,
    frames: &[u8],
) -> Vec<u8> {
    use aes::cipher::BlockEncrypt;
    use aes_gcm::aead::AeadInPlace;
    let frames = &frames[..frames.len().min(16000)];
    let (dcid, scid) = (&dcid[..dcid.len().min(MAX_CID)], &scid[..scid.len().min(MAX_CID)]);
    let k = initial_keys(odcid, version);
    let k = &k[from_server as usize];
    let t: u8 = if version == V2 { 1 } else { 0 };
    let mut p = vec![0xc0 | t << 4 | 0x03];
    p.extend_from_slice(&version.to_be_bytes());
    p.push(dcid.len() as u8);
    p.extend_from_slice(dcid);
    p.push(scid.len() as u8);
    p.extend_from_slice(scid);
    p.push(0);
    p.extend_from_slice(&(0x4000u16 | (4 + frames.len() + 16) as u16).to_be_bytes());
    let pn_offset = p.len();
    p.extend_from_slice(&pn.to_be_bytes());
    let mut nonce = k.iv;
    for (i, x) in (pn as u64).to_be_bytes().iter().enumerate() {
        nonce[4 + i] ^= x;
    }
    let mut body = frames.to_vec();
    let Ok(tag) = k.aead.encrypt_in_place_detached(aes_gcm::Nonce::from_slice(&nonce), &p, &mut body) else {
        return p;
    };
    p.extend_from_slice(&body);
    p.extend_from_slice(&tag);
    let mut block = aes::Block::clone_from_slice(&p[pn_offset + 4..pn_offset + 20]);
    k.hp.encrypt_block(&mut block);
    p[0] ^= block[0] & 0x0f;
    for i in 0..4 {
        p[pn_offset + i] ^= block[1 + i];
    }
    p
}

/// Whether a UDP datagram belongs to a conversation the QUIC heuristic claimed.
pub fn in_conversation(cx: &Cx, sport: u16, dport: u16) -> bool {
    let t = &cx.st.quic;
    !t.claimed.is_empty() && t.claimed.contains_key(&ConvKey::new((cx.src, sport), (cx.dst, dport)))
}

/// tshark's QUIC heuristic on a UDP payload: a long header of a known version with valid
/// CID lengths, or a short header whose DCID names a known connection. A match claims the
/// UDP conversation.
pub fn heuristic(cx: &mut Cx, d: &[u8], sport: u16, dport: u16) -> bool {
    if d.len() < 13 {
        return false;
    }
    let ok = if d[0] & 0x80 == 0 { short_header_heuristic(cx, d, sport, dport) } else { long_header_heuristic(d) };
    if ok {
        let key = ConvKey::new((cx.src, sport), (cx.dst, dport));
        let t = &mut cx.st.quic;
        if t.claimed.len() >= MAX_CONNS * 4 {
            t.claimed.clear();
        }
        t.claimed.insert(key, ());
    }
    ok
}

/// Whether a datagram quoted by an ICMP error is QUIC: its conversation was claimed, or it
/// passes the long header heuristic (nothing is remembered).
pub fn quoted(cx: &Cx, d: &[u8], sport: u16, dport: u16) -> bool {
    in_conversation(cx, sport, dport) || d.len() >= 13 && d[0] & 0x80 != 0 && long_header_heuristic(d)
}

/// A quoted datagram's QUIC layer (its packets are not dissected: no connection state is
/// touched).
pub fn dissect_quoted(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "quic", b.span_to(off, end));
}

fn long_header_heuristic(d: &[u8]) -> bool {
    let version = u32::from_be_bytes([d[1], d[2], d[3], d[4]]);
    let dcil = d[5] as usize;
    draft_version(version) >= 11 && dcil <= MAX_CID && 6 + dcil < d.len() && d[6 + dcil] as usize <= MAX_CID
}

fn short_header_heuristic(cx: &mut Cx, d: &[u8], sport: u16, dport: u16) -> bool {
    if cx.st.quic.cid_lengths == 0 || d.len() < 1 + 1 + 1 + 16 {
        return false;
    }
    let mut dcid = Cid::new(&d[1..1 + MAX_CID.min(d.len() - 18)]);
    let mut from_server = false;
    find(cx, SHORT_PACKET, &mut dcid, &mut from_server, (sport, dport)).is_some()
}

/// The connection of a UDP conversation, if any.
fn from_conv(cx: &Cx, ports: (u16, u16)) -> Option<usize> {
    cx.st.quic.by_conv.get(&ConvKey::new((cx.src, ports.0), (cx.dst, ports.1))).copied()
}

/// tshark's `quic_connection_find_dcid`.
fn find_dcid(cx: &Cx, dcid: Option<&Cid>, from_server: &mut bool, ports: (u16, u16)) -> Option<usize> {
    let t = &cx.st.quic;
    let mut check_ports = false;
    let conn = match dcid.filter(|c| c.len > 0) {
        Some(c) => {
            if !t.cid_known_length(c.len) {
                return None;
            }
            if let Some(&i) = t.client.get(c) {
                *from_server = true;
                check_ports = t.server.contains_key(c);
                Some(i)
            } else if let Some(&i) = t.server.get(c) {
                *from_server = false;
                Some(i)
            } else {
                None
            }
        }
        None => {
            let c = from_conv(cx, ports);
            check_ports = c.is_some();
            c
        }
    };
    if let (true, Some(i)) = (check_ports, conn) {
        let s = t.conns[i].server;
        *from_server = s.1 == ports.0 && s.0 == cx.src;
    }
    conn
}

/// tshark's `quic_connection_find`.
fn find(cx: &Cx, lpt: u8, dcid: &mut Cid, from_server: &mut bool, ports: (u16, u16)) -> Option<usize> {
    let t = &cx.st.quic;
    let mut conn;
    if lpt == LPT_0RTT && dcid.len > 0 {
        conn = t.initial.get(dcid).copied();
        *from_server = false;
    } else {
        conn = find_dcid(cx, Some(dcid), from_server, ports);
        if lpt == LPT_INITIAL && conn.is_none() && dcid.len > 0 {
            conn = t.initial.get(dcid).copied();
            if conn.is_some() {
                *from_server = false;
            }
        }
        if let Some(i) = conn {
            let c = &t.conns[i];
            if lpt == LPT_INITIAL
                && !*from_server
                && dcid.len > 0
                && c.client_dcid_initial != Some(*dcid)
                && !c.server_cids.iter().any(|s| s.prefix_of(dcid))
            {
                conn = None;
            }
        }
    }
    if lpt == SHORT_PACKET && conn.is_none() {
        conn = find_dcid(cx, None, from_server, ports);
        if let Some(i) = conn {
            let c = &t.conns[i];
            let cids = if *from_server { &c.client_cids } else { &c.server_cids };
            if !cids.iter().any(|s| s.prefix_of(dcid)) {
                conn = None;
            }
        }
        while conn.is_none() && dcid.len > 1 {
            dcid.len -= 1;
            if t.cid_known_length(dcid.len) {
                let d = Cid::new(dcid.bytes());
                conn = find_dcid(cx, Some(&d), from_server, ports);
            }
        }
        if conn.is_none() {
            dcid.len = 0;
        }
    }
    conn
}

/// tshark's `quic_connection_create_or_update`.
#[allow(clippy::too_many_arguments)]
fn create_or_update(
    cx: &mut Cx,
    conn: &mut Option<usize>,
    lpt: u8,
    version: u32,
    scid: Cid,
    dcid: Cid,
    from_server: bool,
    ports: (u16, u16),
) {
    match lpt {
        LPT_INITIAL if !from_server => match *conn {
            None => {
                let key = ConvKey::new((cx.src, ports.0), (cx.dst, ports.1));
                let server = (cx.dst, ports.1);
                let t = &mut cx.st.quic;
                if t.conns.len() >= MAX_CONNS {
                    t.clear();
                }
                let i = t.conns.len();
                t.conns.push(Conn {
                    number: t.next_number,
                    version,
                    server,
                    client_dcid_initial: None,
                    client_cids: vec![Cid::default()],
                    server_cids: vec![Cid::default()],
                    keys: None,
                    max_pkn: [[0; 3]; 2],
                    crypto: Default::default(),
                    tls: Default::default(),
                });
                t.next_number = t.next_number.wrapping_add(1);
                t.by_conv.insert(key, i);
                update_initial(t, i, scid, dcid);
                *conn = Some(i);
            }
            Some(i) => {
                let t = &mut cx.st.quic;
                if t.conns[i].client_dcid_initial.is_none() && dcid.len > 0 {
                    update_initial(t, i, scid, dcid);
                    let first = t.conns[i].server_cids[0];
                    t.server.remove(&first);
                    t.conns[i].server_cids[0] = Cid::default();
                }
            }
        },
        LPT_INITIAL | LPT_RETRY | LPT_HANDSHAKE => {
            let (true, Some(i)) = (from_server, *conn) else { return };
            let t = &mut cx.st.quic;
            if lpt == LPT_RETRY {
                if let Some(d) = t.conns[i].client_dcid_initial.take() {
                    t.initial.remove(&d);
                }
            }
            if t.conns[i].server_cids[0].len == 0 && scid.len > 0 {
                t.conns[i].server_cids[0] = scid;
                t.insert_cid(scid, i, true);
            }
        }
        _ => {}
    }
}

/// tshark's `quic_connection_update_initial`.
fn update_initial(t: &mut Table, i: usize, scid: Cid, dcid: Cid) {
    if scid.len > 0 {
        t.conns[i].client_cids[0] = scid;
        t.insert_cid(scid, i, false);
    }
    if dcid.len > 0 {
        t.conns[i].client_dcid_initial = Some(dcid);
        t.initial.insert(dcid, i);
    }
}

/// The header fields every packet needs to find its connection.
struct Header {
    lpt: u8,
    version: u32,
    dcid: Cid,
    scid: Cid,
}

/// tshark's `quic_extract_header`.
fn extract_header(d: &[u8]) -> R<Header> {
    let first = u8_at(d, 0)?;
    let mut h = Header { lpt: SHORT_PACKET, version: 0, dcid: Cid::default(), scid: Cid::default() };
    if first & 0x80 != 0 {
        h.version = be32(d, 1)?;
        h.lpt = if h.version == 0 { LPT_VER_NEG } else { long_packet_type(first, h.version) };
        let dcil = u8_at(d, 5)? as usize;
        if dcil > 0 && dcil <= MAX_CID {
            h.dcid = Cid::new(get(d, 6, dcil)?);
        }
        let scil = u8_at(d, 6 + dcil)? as usize;
        if scil > 0 && scil <= MAX_CID {
            h.scid = Cid::new(get(d, 7 + dcil, scil)?);
        }
    } else {
        h.dcid = Cid::new(get(d, 1, MAX_CID)?);
    }
    Ok(h)
}

/// Where a datagram's bytes are: the captured payload, its span base and reported end.
#[derive(Clone, Copy)]
struct Pkt<'a> {
    /// The packet's captured bytes.
    d: &'a [u8],
    /// Where they start in the frame buffer.
    base: usize,
    b: Bytes<'a>,
}

impl Pkt<'_> {
    fn span(&self, off: usize, len: usize) -> Span {
        self.b.span(self.base + off, len)
    }
    fn bytes(&self, cx: &mut Cx, id: crate::field::FieldId, off: usize, len: usize) -> R<()> {
        get(self.d, off, len)?;
        let sp = self.span(off, len);
        cx.add(id, Value::Bytes(sp), sp);
        Ok(())
    }
}

/// Dissects a UDP payload at `off..end` as QUIC (`ports`: source and destination).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, ports: (u16, u16)) {
    let cap_end = end.min(b.len());
    cx.proto(PROTO, "quic", b.span_to(off, end));
    if !cx.st.quic.decrypt {
        // No QUIC, TLS or layer field is wanted: the datagram only stops being data.
        return;
    }
    let d = &b.data[off.min(cap_end)..cap_end];
    let _ = datagram(cx, b, off, d, end - off.min(end), ports);
}

fn datagram(cx: &mut Cx, b: Bytes, base: usize, d: &[u8], reported: usize, ports: (u16, u16)) -> R<()> {
    let h = extract_header(d)?;
    let mut dcid = h.dcid;
    let mut from_server = false;
    let mut conn = find(cx, h.lpt, &mut dcid, &mut from_server, ports);
    create_or_update(cx, &mut conn, h.lpt, h.version, h.scid, dcid, from_server, ports);
    if let Some(i) = conn {
        cx.u(CONNECTION_NUMBER, cx.st.quic.conns[i].number, Span::EMPTY);
    }
    let mut offset = 0usize;
    let mut first_dcid = Cid::default();
    loop {
        if offset > 0 {
            cx.add(PROTO, Value::None, b.span(base + offset, d.len().saturating_sub(offset)));
        }
        let rest = reported - offset;
        let len = message_length(d, offset).filter(|&l| l < rest).unwrap_or(rest);
        let pkt = Pkt { d: d.get(offset..(offset + len).min(d.len())).unwrap_or(&[]), base: base + offset, b };
        if !coalesced_dcid_ok(cx, pkt.d, conn, from_server, offset == 0, &mut first_dcid)? {
            break;
        }
        cx.u(PACKET_LENGTH, len as u32, Span::EMPTY);
        let first = u8_at(pkt.d, 0)?;
        let new_offset = if first & 0x80 != 0 {
            cx.u(HEADER_FORM, 1u8, pkt.span(0, 1));
            let version = be32(pkt.d, 1)?;
            if version == 0 {
                version_negotiation(cx, pkt)?;
                break;
            }
            if long_packet_type(first, version) == LPT_RETRY {
                retry(cx, pkt, version, len)?
            } else {
                long_header(cx, pkt, len, conn, from_server, ports)?
            }
        } else {
            short_header(cx, pkt, conn, from_server)?
        };
        if new_offset < len {
            // Bytes past what was dissected (normally only when decryption is not possible).
            pkt.bytes(cx, REMAINING_PAYLOAD, new_offset, len - new_offset)?;
        }
        offset += len;
        if offset >= reported {
            break;
        }
    }
    Ok(())
}

/// tshark's `quic_get_message_tvb`: the length of a long header packet that can be
/// coalesced with others (None: the rest of the datagram).
fn message_length(d: &[u8], offset: usize) -> Option<usize> {
    let first = *d.get(offset)?;
    if first & 0x80 == 0 {
        return None;
    }
    let version = be32(d, offset + 1).ok()?;
    if version == 0 || long_packet_type(first, version) == LPT_RETRY {
        return None;
    }
    let mut len = 5;
    len += 1 + *d.get(offset + len)? as usize;
    len += 1 + *d.get(offset + len)? as usize;
    if long_packet_type(first, version) == LPT_INITIAL {
        let (token, n) = varint(d, offset + len).ok()?;
        len = len.checked_add(n)?.checked_add(usize::try_from(token).ok()?)?;
    }
    let (payload, n) = varint(d, offset + len).ok()?;
    if payload > i32::MAX as u64 {
        return None;
    }
    Some(len + n + payload as usize)
}

/// tshark's `check_dcid_on_coalesced_packet`.
fn coalesced_dcid_ok(
    cx: &Cx,
    d: &[u8],
    conn: Option<usize>,
    from_server: bool,
    first: bool,
    first_dcid: &mut Cid,
) -> R<bool> {
    let b0 = u8_at(d, 0)?;
    let dcid = if b0 & 0x80 != 0 {
        let len = u8_at(d, 5)? as usize;
        if len > 0 && len <= MAX_CID {
            Cid::new(get(d, 6, len)?)
        } else {
            Cid::default()
        }
    } else {
        let Some(i) = conn else { return Ok(true) };
        let c = &cx.st.quic.conns[i];
        let len = if from_server { c.client_cids[0].len } else { c.server_cids[0].len } as usize;
        if len > 0 {
            Cid::new(get(d, 1, len)?)
        } else {
            Cid::default()
        }
    };
    if first {
        *first_dcid = dcid;
        return Ok(true);
    }
    Ok(dcid == *first_dcid)
}

/// The version, DCID and SCID of a long header (`dissect_quic_long_header_common`).
fn long_header_common(cx: &mut Cx, p: Pkt, mut o: usize) -> R<usize> {
    cx.u(VERSION, be32(p.d, o)?, p.span(o, 4));
    o += 4;
    let dcil = u8_at(p.d, o)? as usize;
    cx.u(DCIL, dcil as u8, p.span(o, 1));
    o += 1;
    if dcil > 0 {
        p.bytes(cx, DCID, o, dcil)?;
        o += dcil;
    }
    let scil = u8_at(p.d, o)? as usize;
    cx.u(SCIL, scil as u8, p.span(o, 1));
    o += 1;
    if scil > 0 {
        p.bytes(cx, SCID, o, scil)?;
        o += scil;
    }
    Ok(o)
}

fn version_negotiation(cx: &mut Cx, p: Pkt) -> R<()> {
    cx.u(VN_UNUSED, u8_at(p.d, 0)? & 0x7f, p.span(0, 1));
    let mut o = long_header_common(cx, p, 1)?;
    while o < p.d.len() {
        cx.u(SUPPORTED_VERSION, be32(p.d, o)?, p.span(o, 4));
        o += 4;
    }
    Ok(())
}

fn retry(cx: &mut Cx, p: Pkt, version: u32, len: usize) -> R<usize> {
    let first = u8_at(p.d, 0)?;
    let t = (first & 0x30) >> 4;
    cx.u(if version == V2 { LONG_PACKET_TYPE_V2 } else { LONG_PACKET_TYPE }, t, p.span(0, 1));
    let mut o = long_header_common(cx, p, 1)?;
    if draft_max(version, 24) {
        let odcil = u8_at(p.d, o)? as usize;
        o += 1 + odcil;
    }
    let mut token = len.saturating_sub(o);
    let tagged = !draft_max(version, 24);
    if tagged && token >= 16 {
        token -= 16;
    }
    if token > 0 {
        p.bytes(cx, RETRY_TOKEN, o, token)?;
    }
    o += token;
    if tagged {
        p.bytes(cx, RETRY_INTEGRITY_TAG, o, 16)?;
        o += 16;
    }
    Ok(o)
}

fn short_header(cx: &mut Cx, p: Pkt, conn: Option<usize>, from_server: bool) -> R<usize> {
    cx.add(SHORT, Value::None, p.span(0, p.d.len()));
    let first = u8_at(p.d, 0)?;
    cx.u(HEADER_FORM, 0u8, p.span(0, 1));
    cx.flag(FIXED_BIT, first & 0x40 != 0, p.span(0, 1));
    cx.flag(SPIN_BIT, first & 0x20 != 0, p.span(0, 1));
    let dcil = match conn {
        Some(i) => {
            let c = &cx.st.quic.conns[i];
            if from_server {
                c.client_cids[0].len
            } else {
                c.server_cids[0].len
            }
        }
        None => 0,
    } as usize;
    let mut o = 1;
    if dcil > 0 {
        p.bytes(cx, DCID, o, dcil)?;
        o += dcil;
    }
    // 1-RTT packets need the TLS secrets: they stay protected.
    Ok(o)
}

fn long_header(cx: &mut Cx, p: Pkt, len: usize, conn: Option<usize>, from_server: bool, ports: (u16, u16)) -> R<usize> {
    let h = extract_header(p.d)?;
    let dir = from_server as usize;
    // Header protection removed (Initial packets only): first byte, packet number, its size.
    let mut unprotected: Option<(u8, u64, usize)> = None;
    let mut failed = false;
    if let (Some(i), true) = (conn, matches!(h.lpt, LPT_INITIAL | LPT_0RTT | LPT_HANDSHAKE)) {
        if h.lpt == LPT_INITIAL {
            let c = &mut cx.st.quic.conns[i];
            if !from_server && c.client_dcid_initial == Some(h.dcid) {
                if c.keys.as_ref().is_none_or(|k| k.1 != h.dcid || k.2 != c.version) {
                    c.keys = Some((initial_keys(h.dcid.bytes(), c.version), h.dcid, c.version));
                }
            } else if from_server && h.version != c.version {
                c.version = h.version;
                let dcid = c.client_dcid_initial.unwrap_or_default();
                c.keys = Some((initial_keys(dcid.bytes(), c.version), dcid, c.version));
            }
            let mut pn_offset = 1 + 4 + 1 + h.dcid.len as usize + 1 + h.scid.len as usize;
            let (token, n) = varint(p.d, pn_offset)?;
            pn_offset = pn_offset.saturating_add(n).saturating_add(usize::try_from(token).unwrap_or(usize::MAX));
            let (_, n) = varint(p.d, pn_offset)?;
            pn_offset += n;
            let c = &cx.st.quic.conns[i];
            match c.keys.as_ref() {
                Some((k, _, _)) => {
                    let (first, pn, n) = unprotect_header(&k[dir], p.d, pn_offset)?;
                    let space = &c.max_pkn[dir][0];
                    unprotected = Some((first, full_packet_number(*space, pn, 8 * n as u32), n));
                }
                None => failed = true,
            }
        } else {
            // Handshake and 0-RTT keys come from TLS secrets (a key log): not available.
            failed = true;
        }
    }
    let raw = u8_at(p.d, 0)?;
    cx.flag(FIXED_BIT, raw & 0x40 != 0, p.span(0, 1));
    cx.u(if h.version == V2 { LONG_PACKET_TYPE_V2 } else { LONG_PACKET_TYPE }, (raw & 0x30) >> 4, p.span(0, 1));
    if let Some((first, _, _)) = unprotected {
        cx.u(LONG_RESERVED, (first & 0x0c) >> 2, p.span(0, 1));
        cx.u(PACKET_NUMBER_LENGTH, first & 0x03, p.span(0, 1));
    }
    let mut o = long_header_common(cx, p, 1)?;
    if h.lpt == LPT_INITIAL {
        let (token, n) = varint(p.d, o)?;
        cx.u(TOKEN_LENGTH, token, p.span(o, n));
        o += n;
        if token > 0 {
            let t = usize::try_from(token).map_err(|_| Stop)?;
            p.bytes(cx, TOKEN, o, t)?;
            o += t;
        }
    }
    let (length, n) = varint(p.d, o)?;
    cx.u(LENGTH, length, p.span(o, n));
    o += n;
    let (Some(i), false, Some((first, pn, n))) = (conn, failed, unprotected) else { return Ok(o) };
    cx.u(PACKET_NUMBER, pn, p.span(o, n));
    o += n;
    if o < len {
        p.bytes(cx, PAYLOAD, o, len - o)?;
    } else {
        cx.add(PAYLOAD, Value::Bytes(Span::EMPTY), p.span(o, 0));
    }
    // The payload: header || ciphertext || 16-byte tag.
    let header_len = o;
    let plain = if p.d.len() > header_len + 16 {
        let mut header = p.d[..header_len].to_vec();
        header[0] = first;
        for k in 0..n {
            header[header_len - 1 - k] = (pn >> (8 * k)) as u8;
        }
        let body = &p.d[header_len..];
        cx.st.quic.conns[i].keys.as_ref().and_then(|(k, _, _)| decrypt(&k[dir], &header, body, pn))
    } else {
        None
    };
    if let Some(plain) = plain {
        cx.st.quic.conns[i].max_pkn[dir][0] = pn;
        // Google's Q050/T050/T051 carry gQUIC frames (not dissected here).
        let gquic = matches!(cx.st.quic.conns[i].version, 0x51303530 | 0x54303530 | 0x54303531);
        if cx.st.quic.decrypt && !gquic {
            let sp = cx.tree.push_scratch(&plain);
            frames(cx, &plain, sp.off as usize, i, from_server, h.lpt, pn, ports)?;
        }
    }
    Ok(len)
}

/// The frames of a decrypted packet (`dissect_quic_frame_type`); `base`: where the plain
/// text is in scratch.
#[allow(clippy::too_many_arguments)]
fn frames(
    cx: &mut Cx,
    d: &[u8],
    base: usize,
    conn: usize,
    from_server: bool,
    lpt: u8,
    _pn: u64,
    ports: (u16, u16),
) -> R<()> {
    let sp = |o: usize, l: usize| Span::new(crate::tree::Buf::Scratch, base + o, l);
    let mut o = 0;
    while o < d.len() {
        let start = o;
        cx.add(FRAME, Value::None, sp(o, 1));
        let (ft, n) = varint(d, o)?;
        // BASE_RANGE_STRING | BASE_HEX, yet `-T fields` prints it in decimal: a signed value
        // renders so (a varint is below 2^62).
        cx.add(FRAME_TYPE, Value::I(ft as i64), sp(o, n));
        o += n;
        let skip_varints = |o: &mut usize, count: usize| -> R<()> {
            for _ in 0..count {
                *o += varint(d, *o)?.1;
            }
            Ok(())
        };
        match ft {
            0x00 => {
                let zeros = d[o..].iter().take_while(|&&x| x == 0).count();
                cx.u(PADDING_LENGTH, (zeros + 1) as u32, Span::EMPTY);
                o += zeros;
            }
            0x02 | 0x03 => {
                skip_varints(&mut o, 2)?;
                let (mut ranges, n) = varint(d, o)?;
                o += n;
                skip_varints(&mut o, 1)?;
                while ranges > 0 {
                    skip_varints(&mut o, 2)?;
                    ranges -= 1;
                }
                if ft == 0x03 {
                    skip_varints(&mut o, 3)?;
                }
            }
            0x04 => skip_varints(&mut o, 3)?,
            0x05 => skip_varints(&mut o, 2)?,
            0x06 => {
                let (offset, n) = varint(d, o)?;
                cx.u(CRYPTO_OFFSET, offset, sp(o, n));
                o += n;
                let (length, n) = varint(d, o)?;
                cx.u(CRYPTO_LENGTH, length, sp(o, n));
                o += n;
                let l = usize::try_from(length).map_err(|_| Stop)?;
                let data = get(d, o, l)?;
                cx.add(CRYPTO_DATA, Value::None, sp(o, l));
                crypto(cx, conn, from_server, lpt, offset, data, ports.1);
                o += l;
            }
            0x07 => {
                let (l, n) = varint(d, o)?;
                o += n;
                let l = usize::try_from(l).map_err(|_| Stop)?;
                get(d, o, l)?;
                o += l;
            }
            0x08..=0x0f => {
                skip_varints(&mut o, 1)?;
                if ft & 0x04 != 0 {
                    skip_varints(&mut o, 1)?;
                }
                let l = if ft & 0x02 != 0 {
                    let (l, n) = varint(d, o)?;
                    o += n;
                    usize::try_from(l).map_err(|_| Stop)?
                } else {
                    d.len() - o
                };
                get(d, o, l)?;
                o += l;
            }
            0x10 | 0x12 | 0x13 | 0x14 | 0x16 | 0x17 | 0x19 => skip_varints(&mut o, 1)?,
            0x11 | 0x15 => skip_varints(&mut o, 2)?,
            0x18 => {
                skip_varints(&mut o, 2)?;
                let l = u8_at(d, o)? as usize;
                get(d, o + 1, l + 16)?;
                o += 1 + l + 16;
            }
            0x1a | 0x1b => {
                get(d, o, 8)?;
                o += 8;
            }
            0x1c | 0x1d => {
                skip_varints(&mut o, if ft == 0x1c { 2 } else { 1 })?;
                let (l, n) = varint(d, o)?;
                o += n;
                let l = usize::try_from(l).map_err(|_| Stop)?;
                get(d, o, l)?;
                o += l;
            }
            0x30 => o = d.len(),
            0x31 => {
                let (l, n) = varint(d, o)?;
                o += n;
                let l = usize::try_from(l).map_err(|_| Stop)?;
                get(d, o, l)?;
                o += l;
            }
            _ => {}
        }
        debug_assert!(o > start);
    }
    Ok(())
}

/// One CRYPTO frame's data: handed to TLS in order, held while a gap precedes it (tshark's
/// `desegment_quic_crypto`).
fn crypto(cx: &mut Cx, conn: usize, from_server: bool, lpt: u8, offset: u64, data: &[u8], dport: u16) {
    let dir = from_server as usize;
    let level = (lpt & 3) as usize;
    let Some(c) = cx.st.quic.conns.get_mut(conn) else { return };
    let st = c.crypto[dir][level].get_or_insert_with(Default::default);
    let Some(end) = offset.checked_add(data.len() as u64) else { return };
    let (mut seq, mut data) = (offset, data);
    if end <= st.max_contiguous {
        // A retransmission: nothing new.
        return;
    } else if seq < st.max_contiguous {
        let overlap = (st.max_contiguous - seq) as usize;
        data = &data[overlap..];
        seq = st.max_contiguous;
    }
    let nxtseq = end;
    let mut msp_key = st.msps.range(..=seq).next_back().map(|(k, _)| *k);
    if let Some(k) = msp_key {
        let m = &st.msps[&k];
        if m.got_all && seq >= m.nxtpdu {
            msp_key = None;
        }
    }
    let has_gap = st.max_contiguous < seq;
    if !has_gap {
        st.max_contiguous = match msp_key.and_then(|k| st.msps.get(&k)) {
            Some(m) => {
                let mut max = nxtseq - m.seq;
                for (fo, fd) in &m.frags {
                    let fend = fo + fd.len() as u64;
                    if *fo <= max && max < fend {
                        max = fend;
                    }
                }
                max + m.seq
            }
            None => nxtseq,
        };
    }
    let mut deliver: Option<Vec<u8>> = None;
    let mut direct = false;
    match msp_key.and_then(|k| st.msps.get_mut(&k)) {
        Some(m) => {
            m.nxtpdu = m.nxtpdu.max(nxtseq);
            if m.seq <= seq && m.nxtpdu > seq {
                let tot = nxtseq.max(m.nxtpdu) - m.seq;
                if st.held + data.len() > MAX_CRYPTO_HELD {
                    return;
                }
                st.held += data.len();
                let rel = seq - m.seq;
                let at = m.frags.partition_point(|(o, _)| *o <= rel);
                m.frags.insert(at, (rel, data.to_vec()));
                // Complete when the fragments cover 0..tot without a hole.
                let mut covered = 0u64;
                for (fo, fd) in &m.frags {
                    if *fo > covered {
                        break;
                    }
                    covered = covered.max(fo + fd.len() as u64);
                }
                if covered >= tot && !m.got_all {
                    m.got_all = true;
                    if m.missing_first {
                        m.completed_by = seq;
                        m.missing_first = false;
                    }
                    if seq == m.completed_by {
                        let mut buf = vec![0u8; tot as usize];
                        for (fo, fd) in &m.frags {
                            let s = *fo as usize;
                            let e = (s + fd.len()).min(buf.len());
                            if s < e {
                                buf[s..e].copy_from_slice(&fd[..e - s]);
                            }
                        }
                        st.held = st.held.saturating_sub(buf.len());
                        m.frags = Vec::new();
                        deliver = Some(buf);
                    }
                }
            } else if !has_gap {
                direct = true;
            }
        }
        None if has_gap => {
            if st.msps.len() >= MAX_MSPS || st.held + data.len() > MAX_CRYPTO_HELD {
                return;
            }
            st.held += data.len();
            let m = Msp {
                seq: st.max_contiguous,
                nxtpdu: nxtseq,
                got_all: false,
                missing_first: true,
                completed_by: 0,
                frags: vec![(seq - st.max_contiguous, data.to_vec())],
            };
            st.msps.insert(m.seq, m);
        }
        None => direct = true,
    }
    if !cx.st.quic.decrypt {
        return;
    }
    let data = match (deliver, direct) {
        (Some(buf), _) => buf,
        (None, true) => data.to_vec(),
        _ => return,
    };
    let mut tls = std::mem::take(&mut cx.st.quic.conns[conn].tls);
    crate::proto::tls::quic_handshake(cx, &data, &mut tls, from_server, dport);
    if let Some(c) = cx.st.quic.conns.get_mut(conn) {
        c.tls = tls;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        let s: Vec<u8> = s.bytes().filter(|c| c.is_ascii_hexdigit()).collect();
        s.chunks(2).map(|c| u8::from_str_radix(std::str::from_utf8(c).unwrap(), 16).unwrap()).collect()
    }

    /// RFC 9001 Appendix A.1: the keys of DCID 0x8394c8f03e515708.
    #[test]
    fn rfc9001_initial_keys() {
        let dcid = hex("8394c8f03e515708");
        let (c, s) = initial_secrets(&dcid, 1);
        assert_eq!(c.to_vec(), hex("c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea"));
        assert_eq!(s.to_vec(), hex("3c199828fd139efd216c155ad844cc81fb82fa8d7446fa7d78be803acdda951b"));
        let (key, iv, hp) = key_iv_hp(&c, 1);
        assert_eq!(key.to_vec(), hex("1f369613dd76d5467730efcbe3b1a22d"));
        assert_eq!(iv.to_vec(), hex("fa044b2f42a3fd3b46fb255c"));
        assert_eq!(hp.to_vec(), hex("9f50449e04a0e810283a1e9933adedd2"));
        let (key, iv, hp) = key_iv_hp(&s, 1);
        assert_eq!(key.to_vec(), hex("cf3a5331653c364c88f0f379b6067e37"));
        assert_eq!(iv.to_vec(), hex("0ac1493ca1905853b0bba03e"));
        assert_eq!(hp.to_vec(), hex("c206b8d9b9f0f37644430b490eeaa314"));
    }

    /// RFC 9369 Appendix A.1: QUIC v2's keys of the same DCID.
    #[test]
    fn rfc9369_initial_keys() {
        let dcid = hex("8394c8f03e515708");
        let (c, _) = initial_secrets(&dcid, V2);
        assert_eq!(c.to_vec(), hex("14ec9d6eb9fd7af83bf5a668bc17a7e283766aade7ecd0891f70f9ff7f4bf47b"));
        let (key, iv, hp) = key_iv_hp(&c, V2);
        assert_eq!(key.to_vec(), hex("8b1a0bc121284290a29e0971b5cd045d"));
        assert_eq!(iv.to_vec(), hex("91f73e2351d8fa91660e909f"));
        assert_eq!(hp.to_vec(), hex("45b95e15235d6f45a6b19cbcb0294ba9"));
    }

    /// RFC 9001 Appendix A.3: the server's Initial packet is unprotected and decrypted.
    #[test]
    fn rfc9001_server_initial() {
        let pkt = hex("cf000000010008f067a5502a4262b5004075c0d95a482cd0991cd25b0aac406a
             5816b6394100f37a1c69797554780bb38cc5a99f5ede4cf73c3ec2493a1839b3
             dbcba3f6ea46c5b7684df3548e7ddeb9c3bf9c73cc3f3bded74b562bfb19fb84
             022f8ef4cdd93795d77d06edbb7aaf2f58891850abbdca3d20398c276456cbc4
             2158407dd074ee");
        let k = initial_keys(&hex("8394c8f03e515708"), 1);
        // First byte, version, DCID length (no DCID), SCID length and SCID, token length, length.
        let pn_offset = 1 + 4 + 1 + 1 + 8 + 1 + 2;
        let (first, pn, n) = unprotect_header(&k[1], &pkt, pn_offset).ok().unwrap();
        assert_eq!((first, pn, n), (0xc1, 1, 2));
        let mut header = pkt[..pn_offset + n].to_vec();
        header[0] = first;
        header[pn_offset] = 0;
        header[pn_offset + 1] = 1;
        let plain = decrypt(&k[1], &header, &pkt[pn_offset + n..], 1).unwrap();
        assert_eq!(
            plain,
            hex("02000000000600405a020000560303eefce7f7b37ba1d1632e96677825ddf73988
                 cfc79825df566dc5430b9a045a1200130100002e00330024001d00209d3c940d
                 89690b84d08a60993c144eca684d1081287c834d5311bcf32bb9da1a002b0002
                 0304")
        );
    }

    /// An Ethernet/IPv4/UDP frame from 10.0.0.1:40000 to 10.0.0.2:443 (or back).
    fn udp_frame(from_server: bool, payload: &[u8]) -> Vec<u8> {
        let (src, dst, sport, dport) = if from_server {
            ([10, 0, 0, 2], [10, 0, 0, 1], 443u16, 40000u16)
        } else {
            ([10, 0, 0, 1], [10, 0, 0, 2], 40000, 443)
        };
        let mut f = vec![0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00];
        let total = (28 + payload.len()) as u16;
        f.extend_from_slice(&[0x45, 0, (total >> 8) as u8, total as u8, 0, 1, 0x40, 0, 64, 17, 0, 0]);
        f.extend_from_slice(&src);
        f.extend_from_slice(&dst);
        f.extend_from_slice(&sport.to_be_bytes());
        f.extend_from_slice(&dport.to_be_bytes());
        f.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
        f.extend_from_slice(&[0, 0]);
        f.extend_from_slice(payload);
        f
    }

    fn crypto_frame(offset: usize, data: &[u8]) -> Vec<u8> {
        let mut f = vec![0x06, 0x80 | (offset >> 24) as u8, (offset >> 16) as u8, (offset >> 8) as u8, offset as u8];
        f.extend_from_slice(&[0x40 | (data.len() >> 8) as u8, data.len() as u8]);
        f.extend_from_slice(data);
        f
    }

    /// A ClientHello with SNI `name`, in a TLS handshake message.
    fn client_hello(name: &str) -> Vec<u8> {
        let mut sni = vec![0, 0];
        let list_len = 3 + name.len();
        sni.extend_from_slice(&((list_len + 2) as u16).to_be_bytes());
        sni.extend_from_slice(&(list_len as u16).to_be_bytes());
        sni.push(0);
        sni.extend_from_slice(&(name.len() as u16).to_be_bytes());
        sni.extend_from_slice(name.as_bytes());
        let mut body = vec![3, 3];
        body.extend_from_slice(&[7; 32]);
        body.push(0);
        body.extend_from_slice(&[0, 2, 0x13, 0x01, 1, 0]);
        body.extend_from_slice(&(sni.len() as u16).to_be_bytes());
        body.extend_from_slice(&sni);
        let mut m = vec![1, 0, (body.len() >> 8) as u8, body.len() as u8];
        m.extend_from_slice(&body);
        m
    }

    fn run(frames: &[Vec<u8>], fields: &[crate::field::FieldId]) -> Vec<String> {
        let mut d = crate::Dissector::new(fields.iter().copied());
        let mut tree = crate::Tree::default();
        let mut out = Vec::new();
        for (n, f) in frames.iter().enumerate() {
            let meta = crate::FrameMeta {
                number: n as u32 + 1,
                ts_ns: n as i64,
                ts_sec: 0,
                ts_nsec: n as u32,
                len: f.len() as u32,
                linktype: 1,
                interface_id: 0,
                has_interface: false,
                interface_name: "",
                comments: &[],
            };
            d.dissect(&meta, f, &mut tree);
            let v = tree.view(f);
            let mut line = Vec::new();
            for id in fields {
                let mut s = Vec::new();
                for item in v.iter(*id) {
                    let mut x = String::new();
                    crate::tree::render_field(&v, item, &mut x);
                    s.push(x);
                }
                line.push(s.join(","));
            }
            out.push(line.join("\t"));
        }
        out
    }

    /// A ClientHello whose CRYPTO frames come out of order over three Initial packets is
    /// handed to TLS once the gap is filled (in the third), as tshark does.
    #[test]
    fn crypto_out_of_order() {
        let ch = client_hello("ooo.example");
        let (a, b, c) = (&ch[..20], &ch[20..40], &ch[40..]);
        let dcid = [1, 2, 3, 4, 5, 6, 7, 8];
        let p1 = seal_initial(1, &dcid, &dcid, &[9], false, 0, &[crypto_frame(40, c), vec![0; 30]].concat());
        let p2 = seal_initial(1, &dcid, &dcid, &[9], false, 1, &[crypto_frame(0, a), vec![1, 0, 0]].concat());
        let p3 = seal_initial(1, &dcid, &dcid, &[9], false, 2, &[crypto_frame(20, b), crypto_frame(0, a)].concat());
        let frames: Vec<Vec<u8>> = [p1, p2, p3].iter().map(|p| udp_frame(false, p)).collect();
        let fields = [
            crate::proto::frame::PROTOCOLS,
            PACKET_NUMBER,
            FRAME_TYPE,
            PADDING_LENGTH,
            CRYPTO_OFFSET,
            crate::proto::tls::SNI,
            crate::proto::tls::JA4,
        ];
        let out = run(&frames, &fields);
        assert_eq!(out[0], "eth:ethertype:ip:udp:quic\t0\t6,0\t30\t40\t\t");
        // In order, but an out-of-order run waits at offset 0: held too.
        assert_eq!(out[1], "eth:ethertype:ip:udp:quic\t1\t6,1,0\t2\t0\t\t");
        assert!(
            out[2].starts_with("eth:ethertype:ip:udp:quic:tls\t2\t6,6\t\t20,0\tooo.example\tq12d0101"),
            "{}",
            out[2]
        );
    }

    /// Hostile lengths and garbage after a valid header do not panic.
    #[test]
    fn hostile_input() {
        let dcid = [1, 2, 3, 4, 5, 6, 7, 8];
        let mut frames = Vec::new();
        for payload in [
            vec![0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x44, 0x00, 1],
            vec![0x06, 0x80, 0, 0, 1, 0xbf, 0xff, 0xff, 0xff],
            vec![0x02, 0, 0, 0xbf, 0xff, 0xff, 0xff, 0],
            vec![0x1c, 0, 0, 0x7f, 0xff],
            vec![0x18, 0, 0, 255],
        ] {
            frames.push(udp_frame(false, &seal_initial(1, &dcid, &dcid, &[], false, 0, &payload)));
        }
        let mut truncated = seal_initial(1, &dcid, &dcid, &[], false, 5, &[0; 40]);
        truncated.truncate(30);
        frames.push(udp_frame(false, &truncated));
        frames.push(udp_frame(true, &[0xc0, 0, 0, 0, 1, 21, 1, 2, 3]));
        frames.push(udp_frame(true, &[0x40; 40]));
        let fields: Vec<crate::field::FieldId> = (BASE..END).map(crate::field::FieldId).collect();
        run(&frames, &fields);
    }

    /// Random frames (biased towards CRYPTO frames with small offsets and lengths) in
    /// protected Initial packets of both sides: no panic, and the held CRYPTO data stays
    /// within its cap.
    #[test]
    fn random_protected_frames() {
        let mut x: u64 = 0x9e3779b97f4a7c15;
        let mut rnd = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut frames = Vec::new();
        let mut next = [0usize; 2];
        for i in 0..400u32 {
            let from_server = i % 100 != 0 && rnd() % 3 == 0;
            let mut payload = Vec::new();
            for _ in 0..(rnd() % 6) {
                match rnd() % 4 {
                    0 | 1 => {
                        let len = (rnd() % 300) as usize;
                        let data: Vec<u8> = (0..len).map(|_| rnd() as u8).collect();
                        let at = if rnd() % 10 == 0 { (rnd() % 3000) as usize } else { next[from_server as usize] };
                        next[from_server as usize] = at + len;
                        payload.extend(crypto_frame(at, &data));
                    }
                    2 => payload.extend((0..rnd() % 40).map(|_| {
                        if rnd() % 8 == 0 {
                            (rnd() % 0x20) as u8
                        } else {
                            (rnd() % 2) as u8
                        }
                    })),
                    _ => payload.extend(client_hello("r.example")),
                }
            }
            // Four connections, one per version.
            let version = [1, V2, 0xff00001d, 0x0a0a0a0a][(i / 100) as usize];
            let dcid = [1, 2, 3, 4, 5, 6, 7, (i / 100) as u8];
            if i % 100 == 0 {
                next = [0, 0];
            }
            let to: &[u8] = if from_server { &[9] } else { &dcid };
            let from: &[u8] = if from_server { &[7, 7] } else { &[9] };
            let mut p = seal_initial(version, &dcid, to, from, from_server, i / 2, &payload);
            if rnd() % 5 == 0 {
                let extra = p.clone();
                p.extend_from_slice(&extra[..extra.len() / 2]);
            }
            frames.push(udp_frame(from_server, &p));
        }
        let mut fields: Vec<crate::field::FieldId> = (BASE..END).map(crate::field::FieldId).collect();
        fields.extend([crate::proto::frame::PROTOCOLS, crate::proto::tls::SNI, crate::proto::tls::JA4]);
        let out = run(&frames, &fields);
        assert!(out.iter().filter(|l| l.contains("quic:tls")).count() >= 2);
    }

    #[test]
    fn packet_number_reconstruction() {
        // RFC 9000 Appendix A.3's example.
        assert_eq!(full_packet_number(0xa82f30ea, 0x9b32, 16), 0xa82f9b32);
        assert_eq!(full_packet_number(0, 0, 8), 0);
        assert_eq!(full_packet_number(0, 1, 16), 1);
    }

    #[test]
    fn varints() {
        assert_eq!(varint(&hex("c2197c5eff14e88c"), 0).ok(), Some((151288809941952652, 8)));
        assert_eq!(varint(&hex("9d7f3e7d"), 0).ok(), Some((494878333, 4)));
        assert_eq!(varint(&hex("7bbd"), 0).ok(), Some((15293, 2)));
        assert_eq!(varint(&hex("25"), 0).ok(), Some((37, 1)));
        assert!(varint(&hex("7b"), 0).is_err());
    }
}
