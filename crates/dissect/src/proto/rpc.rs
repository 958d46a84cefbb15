//! ONC RPC (RFC 5531) over UDP and TCP: calls and replies, found on port 111 or by tshark's
//! heuristic (a version 2 call of a program tshark knows, or a reply to a call seen
//! before in the conversation). The program's own protocol (`nfs`, `portmap`, `mount`,
//! ...) follows; a reply takes it from its call. Without arguments or results (NULL) its
//! item is there but it is no layer of `frame.protocols`. Portmap's
//! CALLIT names the program it forwards to, which shows as well. Over TCP, records are
//! led by their record mark (last-fragment bit and length) and reassembled.
crate::declare_fields! {
    after = super::db_lsp_disc::END;
    PROTO = "rpc", "Remote Procedure Call", Protocol, None;
    LASTFRAG = "rpc.lastfrag", "Last Fragment", Boolean, None, mask = 0x8000_0000;
    FRAGLEN = "rpc.fraglen", "Fragment Length", U32, Dec, mask = 0x7fff_ffff;
    XID = "rpc.xid", "XID", U32, HexDec;
    MSGTYP = "rpc.msgtyp", "Message Type", U32, Dec, vals = MSGTYP_VALS;
    VERSION = "rpc.version", "RPC Version", U32, Dec;
    PROGRAM = "rpc.program", "Program", U32, Dec;
    PROGRAMVERSION = "rpc.programversion", "Program Version", U32, Dec;
    PROCEDURE = "rpc.procedure", "Procedure", U32, Dec;
    REPLYSTAT = "rpc.replystat", "Reply State", U32, Dec;
    STATE_ACCEPT = "rpc.state_accept", "Accept State", U32, Dec;
    PORTMAP = "portmap", "Portmap", Protocol, None;
    NFS = "nfs", "Network File System", Protocol, None;
    MOUNT = "mount", "Mount Service", Protocol, None;
    YPSERV = "ypserv", "Yellow Pages Service", Protocol, None;
    YPBIND = "ypbind", "Yellow Pages Bind", Protocol, None;
    NLM = "nlm", "Network Lock Manager Protocol", Protocol, None;
    STAT = "stat", "Network Status Monitor Protocol", Protocol, None;
    BOOTPARAMS = "bootparams", "Boot Parameters", Protocol, None;
    RQUOTA = "rquota", "Remote Quota", Protocol, None;
    NFSACL = "nfsacl", "NFSACL", Protocol, None;
    RSTAT = "rstat", "RSTAT", Protocol, None;
    YPPASSWD = "yppasswd", "Yellow Pages Passwd", Protocol, None;
    YPXFR = "ypxfr", "Yellow Pages Transfer", Protocol, None;
    PCNFSD = "pcnfsd", "PC NFS", Protocol, None;
    SPRAY = "spray", "SPRAY", Protocol, None;
    RWALL = "rwall", "Remote Wall protocol", Protocol, None;
    KLM = "klm", "Kernel Lock Manager", Protocol, None;
}

use crate::cx::{Bytes, ConvKey, Cx};
use crate::field::FieldId;
use crate::reasm::Deseg;
use crate::tree::Value;

pub static MSGTYP_VALS: &[(u64, &str)] = &[(0, "Call"), (1, "Reply")];

/// Calls remembered at most (the table is emptied past it).
const MAX_CALLS: usize = 200_000;

/// The calls seen, by conversation and XID: (program, procedure).
#[derive(Default)]
pub struct Table {
    calls: crate::cx::FastMap<(ConvKey, u32), (u32, u32)>,
}

/// The programs tshark knows, with their protocol.
fn program(prog: u32) -> Option<(FieldId, &'static str)> {
    Some(match prog {
        100000 => (PORTMAP, "portmap"),
        100001 => (RSTAT, "rstat"),
        100003 => (NFS, "nfs"),
        100004 => (YPSERV, "ypserv"),
        100005 => (MOUNT, "mount"),
        100007 => (YPBIND, "ypbind"),
        100008 => (RWALL, "rwall"),
        100009 => (YPPASSWD, "yppasswd"),
        100011 => (RQUOTA, "rquota"),
        100012 => (SPRAY, "spray"),
        100020 => (KLM, "klm"),
        100021 => (NLM, "nlm"),
        100024 => (STAT, "stat"),
        100026 => (BOOTPARAMS, "bootparams"),
        100069 => (YPXFR, "ypxfr"),
        100227 => (NFSACL, "nfsacl"),
        150001 => (PCNFSD, "pcnfsd"),
        _ => return None,
    })
}

fn be32(d: &[u8], o: usize) -> Option<u32> {
    d.get(o..o + 4).map(|x| u32::from_be_bytes([x[0], x[1], x[2], x[3]]))
}

/// Where a call's arguments start: past the credentials and the verifier.
fn args_offset(d: &[u8]) -> Option<usize> {
    let cred_len = be32(d, 28)? as usize;
    let v = 32 + cred_len.div_ceil(4) * 4;
    let verf_len = be32(d, v + 4)? as usize;
    Some(v + 8 + verf_len.div_ceil(4) * 4)
}

fn key(cx: &Cx, ports: (u16, u16)) -> ConvKey {
    ConvKey::new((cx.src, ports.0), (cx.dst, ports.1))
}

/// tshark's heuristic on the RPC message `d`: a version 2 call of a known program with
/// sane credentials, or a reply to a call seen in this conversation.
pub fn looks_like(cx: &Cx, d: &[u8], ports: (u16, u16)) -> bool {
    let (Some(xid), Some(t)) = (be32(d, 0), be32(d, 4)) else { return false };
    match t {
        0 => {
            be32(d, 8) == Some(2)
                && be32(d, 12).and_then(program).is_some()
                && be32(d, 28).is_some_and(|l| l <= 400)
                && args_offset(d).is_some_and(|a| a <= d.len())
        }
        1 => {
            let calls = &cx.st.apps.rpc.calls;
            !calls.is_empty() && calls.contains_key(&(key(cx, ports), xid))
        }
        _ => false,
    }
}

/// One RPC message in `off..end`.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, ports: (u16, u16)) {
    cx.proto(PROTO, "rpc", b.span_to(off, end));
    message(cx, b, off, end, ports);
}

fn message(cx: &mut Cx, b: Bytes, off: usize, end: usize, ports: (u16, u16)) {
    let d = b.data.get(off..end.min(b.len())).unwrap_or(&[]);
    let (Some(xid), Some(t)) = (be32(d, 0), be32(d, 4)) else { return };
    if t > 1 {
        return;
    }
    cx.u(XID, xid, b.span(off, 4));
    cx.u(MSGTYP, t, b.span(off + 4, 4));
    let k = (key(cx, ports), xid);
    let sub = if t == 0 {
        let (Some(vers), Some(prog), Some(pvers), Some(proc_)) = (be32(d, 8), be32(d, 12), be32(d, 16), be32(d, 20))
        else {
            return;
        };
        cx.u(VERSION, vers, b.span(off + 8, 4));
        cx.u(PROGRAM, prog, b.span(off + 12, 4));
        cx.u(PROGRAMVERSION, pvers, b.span(off + 16, 4));
        cx.u(PROCEDURE, proc_, b.span(off + 20, 4));
        if !cx.in_error {
            let calls = &mut cx.st.apps.rpc.calls;
            if calls.len() >= MAX_CALLS {
                calls.clear();
            }
            calls.insert(k, (prog, proc_));
        }
        let Some(args) = args_offset(d) else { return };
        if args > d.len() {
            return;
        }
        Some((prog, proc_, args))
    } else {
        let Some(&(prog, proc_)) = cx.st.apps.rpc.calls.get(&k) else { return };
        cx.u(PROGRAM, prog, Default::default());
        cx.u(PROCEDURE, proc_, Default::default());
        let Some(stat) = be32(d, 8) else { return };
        cx.u(REPLYSTAT, stat, b.span(off + 8, 4));
        if stat != 0 {
            return;
        }
        let Some(vlen) = be32(d, 16) else { return };
        let a = 20 + (vlen as usize).div_ceil(4) * 4;
        let Some(accept) = be32(d, a) else { return };
        cx.u(STATE_ACCEPT, accept, b.span(off + a, 4));
        if accept != 0 {
            return;
        }
        Some((prog, proc_, a + 4))
    };
    let Some((prog, proc_, body)) = sub else { return };
    let Some((id, name)) = program(prog) else { return };
    if off + body >= end {
        // No body: the program's item is in the tree, but its protocol is no layer of
        // `frame.protocols`.
        cx.push_name(tree_only(name));
        cx.add(id, Value::None, b.span_to(off, end));
        return;
    }
    cx.proto(id, name, b.span_to(off, end));
    let args = Some(body).filter(|_| t == 0);
    // Portmap's CALLIT forwards a call to another program: its protocol reads the
    // arguments (inside Portmap's item) once their length is there.
    if let (100000, 5, Some(a)) = (prog, proc_, args) {
        if let (Some(inner), Some(_)) = (be32(d, a), be32(d, a + 12)) {
            if let Some((iid, iname)) = program(inner) {
                cx.nested(|cx| cx.proto(iid, iname, b.span_to(off + a, end)));
            }
        }
    }
}

/// The path entry of a program's item that is no layer (see `dissector::repeat`).
fn tree_only(name: &'static str) -> &'static str {
    match name {
        "portmap" => "+portmap",
        "nfs" => "+nfs",
        "mount" => "+mount",
        "ypserv" => "+ypserv",
        "ypbind" => "+ypbind",
        "nlm" => "+nlm",
        "stat" => "+stat",
        "bootparams" => "+bootparams",
        "rquota" => "+rquota",
        "nfsacl" => "+nfsacl",
        "rstat" => "+rstat",
        "yppasswd" => "+yppasswd",
        "ypxfr" => "+ypxfr",
        "pcnfsd" => "+pcnfsd",
        "spray" => "+spray",
        "rwall" => "+rwall",
        "klm" => "+klm",
        _ => "+rpc",
    }
}

/// RPC records over TCP in `off..end`: each led by its record mark. `by_port` when the
/// port chose RPC (else the heuristic did, on the first record).
pub fn dissect_tcp(cx: &mut Cx, b: Bytes, off: usize, end: usize, ports: (u16, u16)) -> Option<Deseg> {
    let mut first = true;
    crate::reasm::pdus(
        cx,
        b,
        off,
        end,
        4,
        |h| 4 + (u32::from_be_bytes([h[0], h[1], h[2], h[3]]) & 0x7fff_ffff) as usize,
        |cx, b, o, e| {
            let sp = b.span_to(o, e);
            if first {
                cx.proto(PROTO, "rpc", sp);
                first = false;
            } else {
                cx.push_name("+rpc");
                cx.add(PROTO, Value::None, sp);
            }
            if let Some(m) = b.be32(o) {
                // The record mark: the last-fragment bit and the fragment's length.
                cx.flag(LASTFRAG, m & 0x8000_0000 != 0, b.span(o, 4));
                cx.u(FRAGLEN, m & 0x7fff_ffff, b.span(o, 4));
            }
            message(cx, b, o + 4, e, ports);
        },
    )
}

/// tshark's TCP heuristic: a record mark whose length fits the message, then a message
/// [`looks_like`] takes.
pub fn looks_like_tcp(cx: &Cx, d: &[u8], ports: (u16, u16)) -> bool {
    let Some(mark) = be32(d, 0) else { return false };
    let len = (mark & 0x7fff_ffff) as usize;
    len >= 8 && len <= crate::reasm::MAX_PDU as usize && looks_like(cx, &d[4..], ports)
}

#[cfg(test)]
mod tests {
    #[test]
    fn call_arguments() {
        // A portmap GETPORT call with AUTH_NULL credentials and verifier.
        let mut c = vec![0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0x86, 0xa0, 0, 0, 0, 2, 0, 0, 0, 3];
        c.extend_from_slice(&[0; 16]);
        assert_eq!(super::args_offset(&c), Some(40));
        // AUTH_UNIX credentials of 5 bytes are padded to 8.
        c[27] = 1;
        c[31] = 5;
        c.extend_from_slice(&[0; 8]);
        assert_eq!(super::args_offset(&c), Some(48));
        assert!(super::program(100003).is_some());
        assert!(super::program(4).is_none());
    }
}
