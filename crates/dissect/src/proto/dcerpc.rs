//! DCE-RPC (C706, MS-RPCE): the connection-oriented PDUs (over TCP, found by tshark's
//! heuristic, and over SMB2 named pipes) and the connectionless ones (over UDP). The
//! header fields, the interface a bind names for each presentation context, and, for
//! requests and responses of a known interface, the interface's own item, which tshark
//! puts in its tree (so `io,phs` counts it) but not in `frame.protocols`: it is recorded as
//! the tree item `dcerpc.if.NAME`. The stubs are not decoded.
//!
//! The authentication trailer: NTLMSSP (type 10) is read by DCE-RPC itself (no layer);
//! SPNEGO (9) goes through GSS-API (no `gss-api` layer, but SPNEGO, NTLMSSP and Kerberos
//! add theirs); Kerberos (16) is tshark's `spnego-krb5`.
crate::declare_fields! {
    after = super::spnego::END;
    PROTO = "dcerpc", "Distributed Computing Environment / Remote Procedure Call (DCE/RPC)", Protocol, None;
    VER = "dcerpc.ver", "Version", U8, Dec;
    VER_MINOR = "dcerpc.ver_minor", "Version (minor)", U8, Dec;
    PKT_TYPE = "dcerpc.pkt_type", "Packet type", U8, Dec;
    CN_FLAGS = "dcerpc.cn_flags", "Packet Flags", U8, Hex;
    DREP = "dcerpc.drep", "Data Representation", Bytes, None;
    CN_FRAG_LEN = "dcerpc.cn_frag_len", "Frag Length", U16, Dec;
    CN_AUTH_LEN = "dcerpc.cn_auth_len", "Auth Length", U16, Dec;
    CN_CALL_ID = "dcerpc.cn_call_id", "Call ID", U32, Dec;
    CN_CTX_ID = "dcerpc.cn_ctx_id", "Context ID", U16, Dec;
    OPNUM = "dcerpc.opnum", "Opnum", U16, Dec;
    CN_BIND_TO_UUID = "dcerpc.cn_bind_to_uuid", "Interface UUID", Guid, None;
    CN_BIND_IF_VER = "dcerpc.cn_bind_if_ver", "Interface Ver", U16, Dec;
    AUTH_TYPE = "dcerpc.auth_type", "Auth type", U8, Dec;
    AUTH_LEVEL = "dcerpc.auth_level", "Auth level", U8, Dec;
    DG_IF_ID = "dcerpc.dg_if_id", "Interface", Guid, None;
}

use crate::cx::{Bytes, Cx, FastMap};
use crate::proto::gssapi;
use crate::proto::ntlmssp::Pairing;
use crate::reasm::{Deseg, Need};
use crate::tree::Value;

/// Most binds and calls remembered per connection (a full table is emptied).
const MAX_ENTRIES: usize = 4096;

/// The interfaces tshark dissects, by UUID and major version, with their protocol names.
const INTERFACES: &[(&str, u16, &str)] = &[
    ("e1af8308-5d1f-11c9-91a4-08002b14a0fa", 3, "epm"),
    ("12345778-1234-abcd-ef00-0123456789ab", 0, "lsarpc"),
    ("12345778-1234-abcd-ef00-0123456789ac", 1, "samr"),
    ("12345678-1234-abcd-ef00-01234567cffb", 1, "rpc_netlogon"),
    ("4b324fc8-1670-01d3-1278-5a47bf6ee188", 3, "srvsvc"),
    ("6bffd098-a112-3610-9833-46c3f87e345a", 1, "wkssvc"),
    ("367abb81-9844-35f1-ad32-98f038001003", 2, "svcctl"),
    ("338cd001-2244-31f1-aaaa-900038001003", 1, "winreg"),
    ("12345678-1234-abcd-ef00-0123456789ab", 1, "spoolss"),
    ("1ff70682-0a51-30e8-076d-740be8cee98b", 1, "atsvc"),
    ("82273fdc-e32a-18c3-3f78-827929dc23ea", 0, "eventlog"),
    ("3919286a-b10c-11d0-9ba8-00c04fd92ef5", 0, "dssetup"),
    ("e3514235-4b06-11d1-ab04-00c04fc2dcd2", 4, "drsuapi"),
    ("afa8bd80-7d8a-11c9-bef4-08002b102989", 1, "mgmt"),
    ("5a7b91f8-ff00-11d0-a9b2-00c04fb6e6fc", 1, "messenger"),
    ("ccd8c074-d0e5-4a40-92b4-d074faa6ba28", 1, "witness"),
    ("885d85fb-c754-4062-a0e7-6872ce0064f4", 2, "mdssvc"),
    ("a4f1db00-ca47-1067-b31f-00dd010662da", 0, "mapi"),
    ("f5cc5a18-4264-101a-8c59-08002b2f8426", 56, "nspi"),
    ("894de0c0-0d55-11d3-a322-00c04fa321a1", 1, "initshutdown"),
    ("4fc742e0-4a10-11cf-8273-00aa004ae673", 3, "netdfs"),
    ("99fcfec4-5260-101b-bbcb-00aa0021347a", 0, "oxid"),
    ("4d9f4ab8-7d1c-11cf-861e-0020af6e7c57", 0, "remact"),
    ("000001a0-0000-0000-c000-000000000046", 0, "isystemactivator"),
];

/// The tree items of the interfaces (`dcerpc.if.` and the protocol name).
const ITEMS: &[&str] = &[
    "dcerpc.if.epm",
    "dcerpc.if.lsarpc",
    "dcerpc.if.samr",
    "dcerpc.if.rpc_netlogon",
    "dcerpc.if.srvsvc",
    "dcerpc.if.wkssvc",
    "dcerpc.if.svcctl",
    "dcerpc.if.winreg",
    "dcerpc.if.spoolss",
    "dcerpc.if.atsvc",
    "dcerpc.if.eventlog",
    "dcerpc.if.dssetup",
    "dcerpc.if.drsuapi",
    "dcerpc.if.mgmt",
    "dcerpc.if.messenger",
    "dcerpc.if.witness",
    "dcerpc.if.mdssvc",
    "dcerpc.if.mapi",
    "dcerpc.if.nspi",
    "dcerpc.if.initshutdown",
    "dcerpc.if.netdfs",
    "dcerpc.if.oxid",
    "dcerpc.if.remact",
    "dcerpc.if.isystemactivator",
];

/// The tree item of macOS Spotlight's interface.
const MDSSVC: &str = "dcerpc.if.mdssvc";

/// The prefix of the interface tree items.
pub const ITEM_PREFIX: &str = "dcerpc.if.";

/// The interface (index in [`INTERFACES`]) of a UUID and major version.
fn interface(uuid: &[u8; 16], le: bool, ver: u16) -> Option<usize> {
    let s = uuid_str(uuid, le);
    INTERFACES.iter().position(|&(u, v, _)| u == s && v == ver)
}

/// A UUID as tshark prints it; `le` when its first three groups are little-endian.
pub fn uuid_str(g: &[u8; 16], le: bool) -> String {
    let (d1, d2, d3) = if le {
        (
            u32::from_le_bytes([g[0], g[1], g[2], g[3]]),
            u16::from_le_bytes([g[4], g[5]]),
            u16::from_le_bytes([g[6], g[7]]),
        )
    } else {
        (
            u32::from_be_bytes([g[0], g[1], g[2], g[3]]),
            u16::from_be_bytes([g[4], g[5]]),
            u16::from_be_bytes([g[6], g[7]]),
        )
    };
    format!(
        "{:08x}-{:04x}-{:04x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
        d1, d2, d3, g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]
    )
}

/// DCE-RPC state of one connection (a TCP connection, or an SMB2 connection's pipes told
/// apart by `salt`, the file id).
#[derive(Default)]
pub struct Conv {
    /// (salt, context id) → interface.
    binds: FastMap<(u64, u16), Option<usize>>,
    /// (salt, call id) → interface of the request, and whether its first fragment was seen.
    calls: FastMap<(u64, u32), Option<usize>>,
    /// (salt, context id) of the contexts bound with the NDR64 transfer syntax.
    ndr64: FastMap<(u64, u16), ()>,
    /// (salt, call id) of SRVSVC NetShareEnumAll requests over NDR64: tshark's SRVSVC
    /// dissector does not read their responses to the end (a malformed packet).
    enum_all_ndr64: FastMap<(u64, u32), ()>,
    /// (salt, call id) of MDSSVC `cmd` requests: their responses carry Spotlight data too.
    mdssvc_cmd: FastMap<(u64, u32), ()>,
    pub gss: gssapi::Conv,
}

/// The NDR64 transfer syntax.
const NDR64: &str = "71710533-beba-4937-8319-b5dbef9ccc36";

fn insert<K: std::hash::Hash + Eq, V>(map: &mut FastMap<K, V>, k: K, v: V) {
    if map.len() >= MAX_ENTRIES {
        map.clear();
    }
    map.insert(k, v);
}

/// tshark's check of a connection-oriented header at the start of `d`.
pub fn looks_like(d: &[u8]) -> bool {
    d.len() >= 16 && d[0] == 5 && d[1] <= 1 && d[2] <= 20
}

/// Connection-oriented PDUs at `off..end` of a TCP payload (tshark's heuristic accepted
/// the first): each dissected once complete; an unfinished one asks for more bytes.
pub fn dissect_tcp(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    end: usize,
    conv: &mut Conv,
    ntlm: &mut Pairing,
) -> Option<Deseg> {
    pdus(cx, b, off, end, 0, conv, ntlm, true)
}

/// Data read from or written to a named pipe (SMB2 READ, WRITE, IOCTL; SMB's transactions):
/// true when it is DCE-RPC (dissected), false when the caller shows it as data. `salt`
/// tells the pipes of one connection apart (the file id).
pub fn dissect_pipe(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    end: usize,
    salt: u64,
    conv: &mut Conv,
    ntlm: &mut Pairing,
) -> bool {
    let d = &b.data[off.min(b.len())..end.min(b.len())];
    if !looks_like(d) {
        return false;
    }
    pdus(cx, b, off, end, salt, conv, ntlm, false);
    true
}

#[allow(clippy::too_many_arguments)]
fn pdus(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    end: usize,
    salt: u64,
    conv: &mut Conv,
    ntlm: &mut Pairing,
    tcp: bool,
) -> Option<Deseg> {
    let start = off;
    let mut off = off;
    let mut first = true;
    while off < end {
        let cap_end = end.min(b.len());
        let d = &b.data[off.min(cap_end)..cap_end];
        if !looks_like(d) {
            if first {
                return None;
            }
            break;
        }
        first = false;
        let le = d[4] & 0x10 != 0;
        let u16_at =
            |i: usize| if le { u16::from_le_bytes([d[i], d[i + 1]]) } else { u16::from_be_bytes([d[i], d[i + 1]]) };
        let frag_len = u16_at(8) as usize;
        if d.len() < frag_len {
            if tcp && cap_end >= end {
                // Desegmentation (the frame shows no dcerpc layer).
                return Deseg::new(off - start, Need::Bytes((frag_len - d.len()) as u32));
            }
            cx.push_name("dcerpc");
            break;
        }
        let pend = off + frag_len.max(16);
        pdu(cx, b, off, pend.min(end), salt, conv, ntlm);
        off = pend;
    }
    None
}

/// One connection-oriented PDU at `off..end`.
fn pdu(cx: &mut Cx, b: Bytes, off: usize, end: usize, salt: u64, conv: &mut Conv, ntlm: &mut Pairing) {
    cx.proto(PROTO, "dcerpc", b.span_to(off, end));
    let cap_end = end.min(b.len());
    let d = &b.data[off..cap_end];
    let le = d[4] & 0x10 != 0;
    let u16_at = |i: usize| -> Option<u16> {
        let s = d.get(i..i + 2)?;
        Some(if le { u16::from_le_bytes([s[0], s[1]]) } else { u16::from_be_bytes([s[0], s[1]]) })
    };
    let u32_at = |i: usize| -> Option<u32> {
        let s = d.get(i..i + 4)?;
        let a = [s[0], s[1], s[2], s[3]];
        Some(if le { u32::from_le_bytes(a) } else { u32::from_be_bytes(a) })
    };
    let ptype = d[2];
    let flags = d[3];
    cx.u(VER, d[0], b.span(off, 1));
    cx.u(VER_MINOR, d[1], b.span(off + 1, 1));
    cx.u(PKT_TYPE, ptype, b.span(off + 2, 1));
    cx.u(CN_FLAGS, flags, b.span(off + 3, 1));
    cx.add(DREP, Value::Bytes(b.span(off + 4, 4)), b.span(off + 4, 4));
    let frag_len = u16_at(8).unwrap_or(0);
    let auth_len = u16_at(10).unwrap_or(0) as usize;
    let call_id = u32_at(12).unwrap_or(0);
    cx.u(CN_FRAG_LEN, frag_len, b.span(off + 8, 2));
    cx.u(CN_AUTH_LEN, auth_len as u16, b.span(off + 10, 2));
    cx.u(CN_CALL_ID, call_id, b.span(off + 12, 4));
    let frag_len = frag_len as usize;
    let mut stub = 16;
    match ptype {
        // Bind, alter context: the contexts' interfaces.
        11 | 14 => {
            let n = d.get(24).copied().unwrap_or(0) as usize;
            let mut p = 28;
            for _ in 0..n {
                let (Some(ctx), Some(nt)) = (u16_at(p), d.get(p + 2).copied()) else { break };
                cx.u(CN_CTX_ID, ctx, b.span(off + p, 2));
                let Some(uuid) = d.get(p + 4..p + 20).and_then(|s| <[u8; 16]>::try_from(s).ok()) else { break };
                let Some(ver) = (if le { u16_at(p + 20) } else { u16_at(p + 22) }) else { break };
                cx.add_str(CN_BIND_TO_UUID, &uuid_str(&uuid, le), b.span(off + p + 4, 16));
                cx.u(CN_BIND_IF_VER, ver, b.span(off + p + 20, 2));
                insert(&mut conv.binds, (salt, ctx), interface(&uuid, le, ver));
                let ndr64 = (0..nt as usize).any(|t| {
                    d.get(p + 24 + 20 * t..p + 40 + 20 * t)
                        .and_then(|s| <[u8; 16]>::try_from(s).ok())
                        .is_some_and(|u| uuid_str(&u, le) == NDR64)
                });
                if ndr64 {
                    insert(&mut conv.ndr64, (salt, ctx), ());
                } else {
                    conv.ndr64.remove(&(salt, ctx));
                }
                p += 24 + 20 * nt as usize;
            }
            stub = p;
        }
        // Request: the context's interface, the call remembered for its response.
        0 => {
            let (Some(ctx), Some(opnum)) = (u16_at(20), u16_at(22)) else { return };
            cx.u(CN_CTX_ID, ctx, b.span(off + 20, 2));
            cx.u(OPNUM, opnum, b.span(off + 22, 2));
            stub = 24 + if flags & 0x80 != 0 { 16 } else { 0 };
        }
        2 => {
            if let Some(ctx) = u16_at(20) {
                cx.u(CN_CTX_ID, ctx, b.span(off + 20, 2));
            }
            stub = 24;
        }
        _ => {}
    }
    // The authentication trailer.
    if auth_len > 0 && auth_len + 8 <= frag_len.saturating_sub(stub) {
        let a = frag_len - (auth_len + 8);
        if a == 0 || a <= d.len() {
            auth(cx, b, off, a, d, auth_len, ptype, conv, ntlm);
        }
    }
    // Requests and responses of a known interface: the interface's item (the whole stub of
    // an unfragmented PDU, or the last fragment of a reassembled one).
    let first = flags & 1 != 0;
    let last = flags & 2 != 0;
    let iface = match ptype {
        0 => {
            let Some(ctx) = u16_at(20) else { return };
            match conv.binds.get(&(salt, ctx)) {
                Some(&i) => {
                    if first {
                        insert(&mut conv.calls, (salt, call_id), i);
                        let srvsvc = i.is_some_and(|i| ITEMS[i] == "dcerpc.if.srvsvc");
                        if srvsvc && u16_at(22) == Some(15) && conv.ndr64.contains_key(&(salt, ctx)) {
                            insert(&mut conv.enum_all_ndr64, (salt, call_id), ());
                        }
                        if i.is_some_and(|i| ITEMS[i] == MDSSVC) && u16_at(22) == Some(crate::proto::afp::MDSSVC_CMD) {
                            insert(&mut conv.mdssvc_cmd, (salt, call_id), ());
                        } else {
                            conv.mdssvc_cmd.remove(&(salt, call_id));
                        }
                    }
                    if first || conv.calls.contains_key(&(salt, call_id)) {
                        conv.calls.get(&(salt, call_id)).copied().flatten()
                    } else {
                        None
                    }
                }
                None => None,
            }
        }
        2 => conv.calls.get(&(salt, call_id)).copied().flatten(),
        _ => None,
    };
    if let Some(i) = iface {
        if last && d.len() >= frag_len {
            cx.push_name(ITEMS[i]);
            if ITEMS[i] == MDSSVC {
                let cmd = match ptype {
                    0 => u16_at(22) == Some(crate::proto::afp::MDSSVC_CMD),
                    _ => conv.mdssvc_cmd.remove(&(salt, call_id)).is_some(),
                };
                if cmd {
                    crate::proto::afp::spotlight(cx, b, off + stub.min(frag_len), end);
                }
            }
            if ptype == 2 && conv.enum_all_ndr64.remove(&(salt, call_id)).is_some() {
                cx.malformed();
            }
        }
    }
}

/// tshark's check of a connectionless (datagram) header at the start of `d`.
pub fn looks_like_dg(d: &[u8], reported: usize) -> bool {
    reported >= 80 && d.len() >= 8 && d[0] == 4 && d[1] <= 10 && d[3] & 0xfc == 0 && d[4] & 0xee == 0 && d[5] <= 3
}

/// A connectionless PDU at `off..end` (UDP's heuristic accepted it): the header fields and,
/// for an unfragmented request or response of a known interface, the interface's item.
pub fn dissect_dg(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "dcerpc", b.span_to(off, end));
    let d = &b.data[off.min(b.len())..end.min(b.len())];
    let (ptype, flags1) = (d[1], d[2]);
    cx.u(VER, d[0], b.span(off, 1));
    cx.u(PKT_TYPE, ptype, b.span(off + 1, 1));
    cx.add(DREP, Value::Bytes(b.span(off + 4, 3)), b.span(off + 4, 3));
    let le = d[4] & 0x10 != 0;
    let Some(uuid) = d.get(24..40).and_then(|s| <[u8; 16]>::try_from(s).ok()) else { return };
    cx.add_str(DG_IF_ID, &uuid_str(&uuid, le), b.span(off + 24, 16));
    let Some(v) = d.get(60..64) else { return };
    let ver =
        if le { u32::from_le_bytes([v[0], v[1], v[2], v[3]]) } else { u32::from_be_bytes([v[0], v[1], v[2], v[3]]) };
    if let Some(o) = d.get(68..70) {
        cx.u(
            OPNUM,
            if le { u16::from_le_bytes([o[0], o[1]]) } else { u16::from_be_bytes([o[0], o[1]]) },
            b.span(off + 68, 2),
        );
    }
    if matches!(ptype, 0 | 2) && flags1 & 0x04 == 0 {
        if let Some(i) = u16::try_from(ver).ok().and_then(|v| interface(&uuid, le, v)) {
            cx.push_name(ITEMS[i]);
        }
    }
}

/// The auth trailer at `a` (from the PDU's start `off`): its type and level, and the
/// token handed to the security provider.
#[allow(clippy::too_many_arguments)]
fn auth(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    a: usize,
    d: &[u8],
    auth_len: usize,
    ptype: u8,
    conv: &mut Conv,
    ntlm: &mut Pairing,
) {
    let (Some(&atype), Some(&level)) = (d.get(a), d.get(a + 1)) else { return };
    cx.u(AUTH_TYPE, atype, b.span(off + a, 1));
    cx.u(AUTH_LEVEL, level, b.span(off + a + 1, 1));
    let t = off + a + 8;
    let t_end = t + auth_len;
    let verifier = matches!(ptype, 0 | 2 | 3 | 18 | 19);
    match atype {
        9 => {
            if matches!(ptype, 0 | 2 | 3 | 11 | 12 | 14 | 15 | 16 | 18 | 19) {
                gssapi::work(cx, b, t, t_end, &mut conv.gss, ntlm, verifier);
            }
        }
        16 => {
            if matches!(ptype, 0 | 2 | 3 | 11 | 12 | 14 | 15 | 16 | 18 | 19) {
                cx.proto(crate::proto::spnego::KRB5_PROTO, "spnego-krb5", b.span_to(t, t_end));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_check_and_uuids() {
        assert!(looks_like(&[5, 0, 11, 3, 0x10, 0, 0, 0, 72, 0, 0, 0, 1, 0, 0, 0]));
        assert!(!looks_like(&[5, 2, 11, 3, 0x10, 0, 0, 0, 72, 0, 0, 0, 1, 0, 0, 0]));
        assert!(!looks_like(&[5, 0, 21, 3, 0x10, 0, 0, 0, 72, 0, 0, 0, 1, 0, 0, 0]));
        assert!(!looks_like(&[5, 0, 11]));
        let epm = [0x08, 0x83, 0xaf, 0xe1, 0x1f, 0x5d, 0xc9, 0x11, 0x91, 0xa4, 0x08, 0x00, 0x2b, 0x14, 0xa0, 0xfa];
        assert_eq!(uuid_str(&epm, true), "e1af8308-5d1f-11c9-91a4-08002b14a0fa");
        assert_eq!(interface(&epm, true, 3).map(|i| INTERFACES[i].2), Some("epm"));
        assert_eq!(interface(&epm, true, 2), None);
        assert_eq!(INTERFACES.len(), ITEMS.len());
        for (i, &(_, _, n)) in INTERFACES.iter().enumerate() {
            assert_eq!(ITEMS[i], format!("{}{}", ITEM_PREFIX, n));
        }
    }
}
