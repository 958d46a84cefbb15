//! SMB1 (the `\xffSMB` protocol) inside an NBSS session message: the header (command,
//! status, flags, ids), the word and byte blocks of each command of an AndX chain, and what
//! the commands hand on as tshark 4.0 does:
//! - NEGOTIATE responses and SESSION_SETUP_ANDX carry a security blob (GSS-API / SPNEGO /
//!   NTLMSSP): see [`security_blob`];
//! - TRANSACTION on `\PIPE\` and READ_ANDX / WRITE_ANDX on a named pipe carry DCE-RPC (or
//!   data that is not): see [`pipe_payload`]; transactions on a pipe add SMB Pipe's tree
//!   item, and on `\PIPE\LANMAN` LANMAN's too (items for `io,phs`, no layers of the path);
//!   mailslots (`\MAILSLOT\...`) go to `mailslot` and the browser or logon protocol, as for
//!   NBDGM (the mailslot classification lives in `nbdgm`);
//! - TRANSACTION2 shows its subcommand (`smb.trans2.cmd`), in the response too.
//!
//! State per TCP conversation: the tree each tree id names, the files NT_CREATE_ANDX opened
//! (name, and whether it is a pipe), and the requests waiting for their response (by
//! multiplex and process id). Each table is capped; a full table is emptied.
crate::declare_fields! {
    after = super::radius::END;
    PROTO = "smb", "SMB (Server Message Block Protocol)", Protocol, None;
    SERVER_COMPONENT = "smb.server_component", "Server Component", U32, Hex;
    CMD = "smb.cmd", "SMB Command", U8, Hex;
    NT_STATUS = "smb.nt_status", "NT Status", U32, Hex, blurb = "NT Status code";
    ERROR_CLASS = "smb.error_class", "Error Class", U8, Hex, blurb = "DOS Error Class";
    ERROR_CODE = "smb.error_code", "Error Code", U16, Hex, blurb = "DOS Error Code";
    FLAGS = "smb.flags", "Flags", U8, Hex;
    FLAGS_RESPONSE = "smb.flags.response", "Request/Response", Boolean, None, mask = 0x80, tfs = ("Message is a response to the client/redirector", "Message is a request to the server"), blurb = "Is this a request or a response?";
    FLAGS_NOTIFY = "smb.flags.notify", "Notify", Boolean, None, mask = 0x40, tfs = ("Notify client on all modifications", "Notify client only on open"), blurb = "Notify on open or all?";
    FLAGS_OPLOCK = "smb.flags.oplock", "Oplocks", Boolean, None, mask = 0x20, tfs = ("OpLock requested/granted", "OpLock not requested/granted"), blurb = "Is an oplock requested/granted?";
    FLAGS_CANON = "smb.flags.canon", "Canonicalized Pathnames", Boolean, None, mask = 0x10, tfs = ("Pathnames are canonicalized", "Pathnames are not canonicalized"), blurb = "Are pathnames canonicalized?";
    FLAGS_CASELESS = "smb.flags.caseless", "Case Sensitivity", Boolean, None, mask = 0x08, tfs = ("Path names are caseless", "Path names are case sensitive"), blurb = "Are pathnames caseless or casesensitive?";
    FLAGS_RECEIVE_BUFFER = "smb.flags.receive_buffer", "Receive Buffer Posted", Boolean, None, mask = 0x02, tfs = ("Receive buffer has been posted", "Receive buffer has not been posted"), blurb = "Have receive buffers been reported?";
    FLAGS_LOCK = "smb.flags.lock", "Lock and Read", Boolean, None, mask = 0x01, tfs = ("Lock&Read, Write&Unlock are supported", "Lock&Read, Write&Unlock are not supported"), blurb = "Are Lock&Read and Write&Unlock operations supported?";
    FLAGS2 = "smb.flags2", "Flags2", U16, Hex;
    FLAGS2_STRING = "smb.flags2.string", "Unicode Strings", Boolean, None, mask = 0x8000, tfs = ("Strings are Unicode", "Strings are ASCII"), blurb = "Are strings ASCII or Unicode?";
    FLAGS2_NT_ERROR = "smb.flags2.nt_error", "Error Code Type", Boolean, None, mask = 0x4000, tfs = ("Error codes are NT error codes", "Error codes are DOS error codes"), blurb = "Are error codes NT or DOS format?";
    FLAGS2_ROE = "smb.flags2.roe", "Execute-only Reads", Boolean, None, mask = 0x2000, tfs = ("Permit reads if execute-only", "Don't permit reads if execute-only"), blurb = "Will reads be allowed for execute-only files?";
    FLAGS2_DFS = "smb.flags2.dfs", "Dfs", Boolean, None, mask = 0x1000, tfs = ("Resolve pathnames with Dfs", "Don't resolve pathnames with Dfs"), blurb = "Can pathnames be resolved using Dfs?";
    FLAGS2_ESN = "smb.flags2.esn", "Extended Security Negotiation", Boolean, None, mask = 0x0800, tfs = ("Extended security negotiation is supported", "Extended security negotiation is not supported"), blurb = "Is extended security negotiation supported?";
    FLAGS2_REPARSE_PATH = "smb.flags2.reparse_path", "Reparse Path", Boolean, None, mask = 0x0400, tfs = ("The request uses a @GMT reparse path", "The request does not use a @GMT reparse path"), blurb = "The request uses a @GMT reparse path";
    FLAGS2_LONG_NAMES_USED = "smb.flags2.long_names_used", "Long Names Used", Boolean, None, mask = 0x0040, tfs = ("Path names in request are long file names", "Path names in request are not long file names"), blurb = "Are pathnames in this request long file names?";
    FLAGS2_SEC_SIG_REQUIRED = "smb.flags2.sec_sig_required", "Security Signatures Required", Boolean, None, mask = 0x0010, tfs = ("Security signatures are required", "Security signatures are not required"), blurb = "Are security signatures required?";
    FLAGS2_COMPRESSED = "smb.flags2.compressed", "Compressed", Boolean, None, mask = 0x0008, tfs = ("Compression is requested", "Compression is not requested"), blurb = "Is compression requested?";
    FLAGS2_SEC_SIG = "smb.flags2.sec_sig", "Security Signatures", Boolean, None, mask = 0x0004, tfs = ("Security signatures are supported", "Security signatures are not supported"), blurb = "Are security signatures supported?";
    FLAGS2_EA = "smb.flags2.ea", "Extended Attributes", Boolean, None, mask = 0x0002, tfs = ("Extended attributes are supported", "Extended attributes are not supported"), blurb = "Are extended attributes supported?";
    FLAGS2_LONG_NAMES_ALLOWED = "smb.flags2.long_names_allowed", "Long Names Allowed", Boolean, None, mask = 0x0001, tfs = ("Long file names are allowed in the response", "Long file names are not allowed in the response"), blurb = "Are long file names allowed in the response?";
    PID_HIGH = "smb.pid.high", "Process ID High", U16, Dec, blurb = "Process ID High Bytes";
    SIGNATURE = "smb.signature", "Signature", Bytes, None, blurb = "Signature bytes";
    RESERVED = "smb.reserved", "Reserved", Bytes, None, blurb = "Reserved bytes, must be zero";
    TID = "smb.tid", "Tree ID", U16, Dec;
    PID = "smb.pid", "Process ID", U16, Dec;
    UID = "smb.uid", "User ID", U16, Dec;
    MID = "smb.mid", "Multiplex ID", U16, Dec;
    WCT = "smb.wct", "Word Count (WCT)", U8, Dec, blurb = "Word Count, count of parameter words";
    ANDXOFFSET = "smb.andxoffset", "AndXOffset", U16, Dec, blurb = "Offset to next command in this SMB packet";
    BCC = "smb.bcc", "Byte Count (BCC)", U16, Dec, blurb = "Byte Count, count of data bytes";
    DIALECT = "smb.dialect", "Dialect", String, None;
    DIALECT_INDEX = "smb.dialect.index", "Selected Index", U16, Dec, blurb = "Index of selected dialect";
    SECURITY_BLOB_LEN = "smb.security_blob_len", "Security Blob Length", U16, Dec;
    SECURITY_BLOB = "smb.security_blob", "Security Blob", Bytes, None;
    NATIVE_OS = "smb.native_os", "Native OS", String, None, blurb = "Which OS we are running";
    NATIVE_LANMAN = "smb.native_lanman", "Native LAN Manager", String, None, blurb = "Which LANMAN protocol we are running";
    PATH = "smb.path", "Path", String, None, blurb = "Path. Server name and share name";
    SERVICE = "smb.service", "Service", String, None, blurb = "Service name";
    FID = "smb.fid", "FID", U16, Hex, blurb = "FID: File ID";
    FILE = "smb.file", "File Name", String, None;
    PC = "smb.pc", "Parameter Count", U16, Dec, blurb = "Number of parameter bytes in this buffer";
    DC = "smb.dc", "Data Count", U16, Dec, blurb = "Number of data bytes in this buffer";
    TRANS_NAME = "smb.trans_name", "Transaction Name", String, None, blurb = "Name of transaction";
    TRANS2_CMD = "smb.trans2.cmd", "Subcommand", U16, Hex, blurb = "Subcommand for TRANSACTION2";
}

use crate::cx::{Bytes, Cx, FastMap};
use crate::dissector::{LANMAN_ITEM, SMB_PIPE_ITEM};
use crate::proto::nbdgm::{self, Mailslot};
use crate::tree::Value;

/// Most entries of each per-conversation table.
const MAX_ENTRIES: usize = 4096;
/// Most commands of one AndX chain.
const MAX_ANDX: usize = 16;

const NEGOTIATE: u8 = 0x72;
const SESSION_SETUP_ANDX: u8 = 0x73;
const TREE_CONNECT_ANDX: u8 = 0x75;
const NT_CREATE_ANDX: u8 = 0xa2;
const READ_ANDX: u8 = 0x2e;
const WRITE_ANDX: u8 = 0x2f;
const TRANSACTION: u8 = 0x25;
const TRANSACTION2: u8 = 0x32;
const CLOSE: u8 = 0x04;

/// The commands whose first words are the AndX block (command, reserved, offset).
fn is_andx(cmd: u8) -> bool {
    matches!(cmd, 0x24 | 0x2d | 0x2e | 0x2f | 0x73 | 0x74 | 0x75 | 0xa2)
}

/// What a request leaves for its response.
#[derive(Clone, Debug, PartialEq)]
enum Pending {
    TreeConnect(String),
    Create(String),
    Read(u16),
    Write(u16),
    Close(u16),
    /// A transaction on `\PIPE\` (TransactNmPipe and friends, with the pipe's FID): its
    /// response carries DCE-RPC.
    PipeTrans(Option<u16>),
    /// A transaction on `\PIPE\LANMAN` (the LANMAN remote API).
    LanmanTrans,
    /// Any other TRANSACTION (mailslots, ...).
    Trans,
    Trans2(u16),
}

#[derive(Clone, Debug)]
struct Fid {
    #[allow(dead_code)]
    name: String,
    pipe: bool,
}

/// SMB1 state of one TCP conversation.
#[derive(Default)]
pub struct Conv {
    pending: FastMap<(u16, u16), Pending>,
    trees: FastMap<u16, String>,
    fids: FastMap<u16, Fid>,
    /// The GSS-API mechanism the session setup blobs named.
    gss: crate::proto::gssapi::Conv,
    /// DCE-RPC bindings of the named pipes.
    dcerpc: crate::proto::dcerpc::Conv,
}

fn insert<K: std::hash::Hash + Eq, V>(map: &mut FastMap<K, V>, k: K, v: V) {
    if map.len() >= MAX_ENTRIES {
        map.clear();
    }
    map.insert(k, v);
}

/// The header fields the commands need.
#[derive(Clone, Copy)]
struct Hdr {
    /// Where the SMB header starts (offsets in SMB are from here).
    h: usize,
    /// Where the message ends (clipped to the captured bytes).
    end: usize,
    response: bool,
    unicode: bool,
    status: u32,
    tid: u16,
    pid: u16,
    mid: u16,
}

/// One SMB message at `off..end` (the NBSS payload). `conv` is None where no conversation
/// state is kept (datagrams).
pub fn dissect(
    cx: &mut Cx,
    b: Bytes,
    off: usize,
    end: usize,
    conv: Option<&mut Conv>,
    ntlm: &mut crate::proto::ntlmssp::Pairing,
) {
    let mut scratch = Conv::default();
    let conv = match conv {
        Some(c) => c,
        None => &mut scratch,
    };
    let b = b.until(end);
    let end = b.len();
    cx.proto(PROTO, "smb", b.span_to(off, end));
    if b.data.get(off..off + 4) != Some(b"\xffSMB") {
        return;
    }
    let Some(cmd) = b.u8(off + 4) else { return };
    cx.u(SERVER_COMPONENT, u32::from_le_bytes([0xff, b'S', b'M', b'B']), b.span(off, 4));
    cx.u(CMD, cmd, b.span(off + 4, 1));
    let (Some(status), Some(flags), Some(flags2)) = (b.le32(off + 5), b.u8(off + 9), b.le16(off + 10)) else {
        return;
    };
    if flags2 & 0x4000 != 0 {
        cx.u(NT_STATUS, status, b.span(off + 5, 4));
    } else {
        cx.u(ERROR_CLASS, status as u8, b.span(off + 5, 1));
        cx.u(ERROR_CODE, (status >> 16) as u16, b.span(off + 7, 2));
    }
    let sp1 = b.span(off + 9, 1);
    cx.u(FLAGS, flags, sp1);
    for (id, bit) in [
        (FLAGS_RESPONSE, 0x80),
        (FLAGS_NOTIFY, 0x40),
        (FLAGS_OPLOCK, 0x20),
        (FLAGS_CANON, 0x10),
        (FLAGS_CASELESS, 0x08),
        (FLAGS_RECEIVE_BUFFER, 0x02),
        (FLAGS_LOCK, 0x01),
    ] {
        cx.flag(id, flags & bit != 0, sp1);
    }
    let sp2 = b.span(off + 10, 2);
    cx.u(FLAGS2, flags2, sp2);
    for (id, bit) in [
        (FLAGS2_STRING, 0x8000),
        (FLAGS2_NT_ERROR, 0x4000),
        (FLAGS2_ROE, 0x2000),
        (FLAGS2_DFS, 0x1000),
        (FLAGS2_ESN, 0x0800),
        (FLAGS2_REPARSE_PATH, 0x0400),
        (FLAGS2_LONG_NAMES_USED, 0x0040),
        (FLAGS2_SEC_SIG_REQUIRED, 0x0010),
        (FLAGS2_COMPRESSED, 0x0008),
        (FLAGS2_SEC_SIG, 0x0004),
        (FLAGS2_EA, 0x0002),
        (FLAGS2_LONG_NAMES_ALLOWED, 0x0001),
    ] {
        cx.flag(id, flags2 & bit != 0, sp2);
    }
    let Some(pid_high) = b.le16(off + 12) else { return };
    cx.u(PID_HIGH, pid_high, b.span(off + 12, 2));
    if b.data.len() < off + 32 {
        return;
    }
    cx.add(SIGNATURE, Value::Bytes(b.span(off + 14, 8)), b.span(off + 14, 8));
    cx.add(RESERVED, Value::Bytes(b.span(off + 22, 2)), b.span(off + 22, 2));
    let (tid, pid, uid, mid) = (
        b.le16(off + 24).unwrap_or(0),
        b.le16(off + 26).unwrap_or(0),
        b.le16(off + 28).unwrap_or(0),
        b.le16(off + 30).unwrap_or(0),
    );
    cx.u(TID, tid, b.span(off + 24, 2));
    cx.u(PID, pid, b.span(off + 26, 2));
    cx.u(UID, uid, b.span(off + 28, 2));
    cx.u(MID, mid, b.span(off + 30, 2));
    let hdr = Hdr { h: off, end, response: flags & 0x80 != 0, unicode: flags2 & 0x8000 != 0, status, tid, pid, mid };
    // The commands of the AndX chain, each at a larger offset than the one before.
    let mut cmd = cmd;
    let mut at = off + 32;
    for _ in 0..MAX_ANDX {
        let Some(next) = command(cx, &b, &hdr, cmd, at, conv, ntlm) else { return };
        let (next_cmd, next_off) = next;
        let next_at = off + next_off as usize;
        if next_cmd == 0xff || next_at <= at || next_at >= end {
            return;
        }
        cmd = next_cmd;
        at = next_at;
    }
}

/// The word block of one command at `at`: its fields and what it carries. Returns the next
/// command of an AndX chain (command, offset from the header).
fn command(
    cx: &mut Cx,
    b: &Bytes,
    hdr: &Hdr,
    cmd: u8,
    at: usize,
    conv: &mut Conv,
    ntlm: &mut crate::proto::ntlmssp::Pairing,
) -> Option<(u8, u16)> {
    let wct = b.u8(at)?;
    cx.u(WCT, wct, b.span(at, 1));
    let w = at + 1;
    let bcc_at = w + 2 * wct as usize;
    let mut next = None;
    if is_andx(cmd) && wct >= 2 {
        let andx = b.u8(w)?;
        cx.u(CMD, andx, b.span(w, 1));
        let andx_off = b.le16(w + 2)?;
        cx.u(ANDXOFFSET, andx_off, b.span(w + 2, 2));
        next = Some((andx, andx_off));
    }
    let bcc = b.le16(bcc_at);
    let bytes = bcc_at + 2;
    let bytes_end = match bcc {
        Some(n) => (bytes + n as usize).min(hdr.end),
        None => hdr.end,
    };
    let key = (hdr.mid, hdr.pid);
    // An error response carries no command body (a BUFFER_OVERFLOW one still has data).
    let error = hdr.response && hdr.status != 0 && hdr.status != 0x8000_0005;
    match (cmd, hdr.response) {
        (NEGOTIATE, false) => {
            if let Some(n) = bcc {
                cx.u(BCC, n, b.span(bcc_at, 2));
            }
            // Dialects: a buffer format byte (2) and a NUL-terminated name each.
            let mut p = bytes;
            for _ in 0..64 {
                if p >= bytes_end || b.u8(p) != Some(2) {
                    break;
                }
                let rest = b.data.get(p + 1..bytes_end)?;
                let n = memchr::memchr(0, rest).unwrap_or(rest.len());
                cx.add_ascii(DIALECT, &rest[..n], b.span(p + 1, n));
                p += 1 + n + 1;
            }
        }
        (NEGOTIATE, true) => {
            if let Some(i) = b.le16(w) {
                cx.u(DIALECT_INDEX, i, b.span(w, 2));
            }
            if wct == 17 {
                let caps = b.le32(w + 19).unwrap_or(0);
                if let Some(n) = bcc {
                    cx.u(BCC, n, b.span(bcc_at, 2));
                }
                // Extended security: the server GUID, then the security blob.
                if caps & 0x8000_0000 != 0 && bytes + 16 < bytes_end {
                    security_blob(cx, b, bytes + 16, bytes_end, conv, ntlm);
                }
            } else if let Some(n) = bcc {
                cx.u(BCC, n, b.span(bcc_at, 2));
            }
            // LANMAN dialects: the challenge, then the primary domain's NUL-terminated
            // name, which tshark looks for up to the end of the message.
            if wct == 13 && !error {
                if let Some(cl) = b.le16(w + 22) {
                    let p = bytes + cl as usize;
                    let cap = hdr.end.min(b.len());
                    if p <= cap && memchr::memchr(0, &b.data[p..cap]).is_none() {
                        cx.bounds_error(cap + 1, hdr.end);
                    }
                }
            }
        }
        (SESSION_SETUP_ANDX, false) if wct == 12 => {
            let len = b.le16(w + 14)?;
            cx.u(SECURITY_BLOB_LEN, len, b.span(w + 14, 2));
            cx.u(BCC, bcc?, b.span(bcc_at, 2));
            let blob_end = (bytes + len as usize).min(bytes_end);
            if len > 0 && bytes < blob_end {
                security_blob(cx, b, bytes, blob_end, conv, ntlm);
            }
            native_strings(cx, b, hdr, bytes + len as usize, bytes_end);
        }
        (SESSION_SETUP_ANDX, true) if wct == 4 && !error || wct == 4 && hdr.status == 0xc000_0016 => {
            // MORE_PROCESSING_REQUIRED responses carry the server's challenge.
            let len = b.le16(w + 6)?;
            cx.u(SECURITY_BLOB_LEN, len, b.span(w + 6, 2));
            cx.u(BCC, bcc?, b.span(bcc_at, 2));
            let blob_end = (bytes + len as usize).min(bytes_end);
            if len > 0 && bytes < blob_end {
                security_blob(cx, b, bytes, blob_end, conv, ntlm);
            }
            native_strings(cx, b, hdr, bytes + len as usize, bytes_end);
        }
        (TREE_CONNECT_ANDX, false) if wct == 4 => {
            let pw = b.le16(w + 6)? as usize;
            cx.u(BCC, bcc?, b.span(bcc_at, 2));
            let (path, p) = string(b, hdr, bytes + pw, bytes_end, hdr.unicode)?;
            cx.add_str(PATH, &path, b.span(bytes + pw, p - (bytes + pw)));
            let (service, _) = string(b, hdr, p, bytes_end, false).unwrap_or_default();
            cx.add_str(SERVICE, &service, b.span(p, service.len() + 1));
            insert(&mut conv.pending, key, Pending::TreeConnect(path));
        }
        (TREE_CONNECT_ANDX, true) => {
            let pending = conv.pending.remove(&key);
            if let Some(n) = bcc {
                cx.u(BCC, n, b.span(bcc_at, 2));
            }
            if !error && wct >= 2 {
                if let Some((service, _)) = string(b, hdr, bytes, bytes_end, false) {
                    cx.add_str(SERVICE, &service, b.span(bytes, service.len() + 1));
                }
                if let Some(Pending::TreeConnect(path)) = pending {
                    insert(&mut conv.trees, hdr.tid, path);
                }
            }
        }
        (NT_CREATE_ANDX, false) if wct == 24 => {
            let name_len = b.le16(w + 5)? as usize;
            cx.u(BCC, bcc?, b.span(bcc_at, 2));
            let (name, _) = if hdr.unicode {
                let s = align(hdr, bytes);
                (utf16(b.data.get(s..(s + name_len).min(bytes_end))?), s)
            } else {
                string(b, hdr, bytes, bytes_end, false)?
            };
            let name = name.trim_end_matches('\0').to_string();
            cx.add_str(FILE, &name, b.span(bytes, name_len.min(bytes_end.saturating_sub(bytes))));
            insert(&mut conv.pending, key, Pending::Create(name));
        }
        (NT_CREATE_ANDX, true) => {
            let pending = conv.pending.remove(&key);
            if !error && wct >= 34 {
                let fid = b.le16(w + 5)?;
                cx.u(FID, fid, b.span(w + 5, 2));
                let ftype = b.le16(w + 63).unwrap_or(0);
                let name = match pending {
                    Some(Pending::Create(n)) => n,
                    _ => String::new(),
                };
                let ipc = conv.trees.get(&hdr.tid).is_some_and(|t| t.to_ascii_uppercase().ends_with("IPC$"));
                let pipe = ftype == 1 || ftype == 2 || ipc;
                insert(&mut conv.fids, fid, Fid { name, pipe });
            }
            if let Some(n) = bcc {
                cx.u(BCC, n, b.span(bcc_at, 2));
            }
        }
        (READ_ANDX, false) if wct >= 10 => {
            let fid = b.le16(w + 4)?;
            cx.u(FID, fid, b.span(w + 4, 2));
            if let Some(n) = bcc {
                cx.u(BCC, n, b.span(bcc_at, 2));
            }
            insert(&mut conv.pending, key, Pending::Read(fid));
        }
        (READ_ANDX, true) => {
            let pending = conv.pending.remove(&key);
            if let Some(n) = bcc {
                cx.u(BCC, n, b.span(bcc_at, 2));
            }
            if !error && wct >= 12 {
                let (Some(dlen), Some(doff)) = (b.le16(w + 10), b.le16(w + 12)) else { return next };
                let high = b.le16(w + 14).unwrap_or(0) as usize;
                let len = dlen as usize | (high & 0xffff) << 16;
                if let Some(Pending::Read(fid)) = pending {
                    cx.u(FID, fid, crate::tree::Span::EMPTY);
                    let data = hdr.h + doff as usize;
                    if len > 0 && conv.fids.get(&fid).is_some_and(|f| f.pipe) && data < hdr.end {
                        pipe_payload(cx, b, data, (data + len).min(hdr.end), Some(fid), conv, ntlm);
                    }
                }
            }
        }
        (WRITE_ANDX, false) if wct >= 12 => {
            let fid = b.le16(w + 4)?;
            cx.u(FID, fid, b.span(w + 4, 2));
            let (Some(high), Some(dlen), Some(doff)) = (b.le16(w + 18), b.le16(w + 20), b.le16(w + 22)) else {
                return next;
            };
            if let Some(n) = bcc {
                cx.u(BCC, n, b.span(bcc_at, 2));
            }
            insert(&mut conv.pending, key, Pending::Write(fid));
            let len = dlen as usize | (high as usize) << 16;
            let data = hdr.h + doff as usize;
            // A pipe: one NT_CREATE_ANDX opened as such, or a write that starts a message.
            let mode = b.le16(w + 14).unwrap_or(0);
            let pipe = mode & 0x0008 != 0 || conv.fids.get(&fid).is_some_and(|f| f.pipe);
            if len > 0 && pipe && data < hdr.end {
                pipe_payload(cx, b, data, (data + len).min(hdr.end), Some(fid), conv, ntlm);
            }
        }
        (WRITE_ANDX, true) | (CLOSE, true) => {
            // The FID of the request, as tshark shows it (generated).
            if let Some(Pending::Write(fid) | Pending::Close(fid)) = conv.pending.remove(&key) {
                cx.u(FID, fid, crate::tree::Span::EMPTY);
            }
            if let Some(n) = bcc {
                cx.u(BCC, n, b.span(bcc_at, 2));
            }
        }
        (CLOSE, false) if wct >= 3 => {
            let fid = b.le16(w)?;
            cx.u(FID, fid, b.span(w, 2));
            insert(&mut conv.pending, key, Pending::Close(fid));
            if let Some(n) = bcc {
                cx.u(BCC, n, b.span(bcc_at, 2));
            }
        }
        (TRANSACTION, false) if wct >= 14 => {
            transaction_request(cx, b, hdr, w, wct, bcc_at, bytes, bytes_end, conv, ntlm)
        }
        (TRANSACTION, true) => {
            let pending = conv.pending.remove(&key);
            if let Some(n) = bcc {
                cx.u(BCC, n, b.span(bcc_at, 2));
            }
            if !error && wct >= 10 {
                let (Some(pc), Some(dc), Some(doff)) = (b.le16(w + 6), b.le16(w + 12), b.le16(w + 14)) else {
                    return next;
                };
                cx.u(PC, pc, b.span(w + 6, 2));
                cx.u(DC, dc, b.span(w + 12, 2));
                let data = hdr.h + doff as usize;
                if pending == Some(Pending::LanmanTrans) {
                    cx.push_name(SMB_PIPE_ITEM);
                    cx.push_name(LANMAN_ITEM);
                }
                if let Some(Pending::PipeTrans(fid)) = pending {
                    if let Some(fid) = fid {
                        cx.u(FID, fid, crate::tree::Span::EMPTY);
                    }
                    cx.push_name(SMB_PIPE_ITEM);
                    if dc > 0 && data < hdr.end {
                        pipe_payload(cx, b, data, (data + dc as usize).min(hdr.end), fid, conv, ntlm);
                    }
                }
            }
        }
        (TRANSACTION2, false) if wct >= 14 => {
            let (Some(pc), Some(dc)) = (b.le16(w + 18), b.le16(w + 22)) else { return next };
            cx.u(PC, pc, b.span(w + 18, 2));
            cx.u(DC, dc, b.span(w + 22, 2));
            if let Some(sub) = b.le16(w + 28) {
                cx.u(TRANS2_CMD, sub, b.span(w + 28, 2));
                insert(&mut conv.pending, key, Pending::Trans2(sub));
            }
            if let Some(n) = bcc {
                cx.u(BCC, n, b.span(bcc_at, 2));
            }
        }
        (TRANSACTION2, true) => {
            if let Some(Pending::Trans2(sub)) = conv.pending.remove(&key) {
                cx.u(TRANS2_CMD, sub, crate::tree::Span::EMPTY);
            }
            if !error && wct >= 10 {
                if let (Some(pc), Some(dc)) = (b.le16(w + 6), b.le16(w + 12)) {
                    cx.u(PC, pc, b.span(w + 6, 2));
                    cx.u(DC, dc, b.span(w + 12, 2));
                }
            }
            if let Some(n) = bcc {
                cx.u(BCC, n, b.span(bcc_at, 2));
            }
        }
        _ => {
            if let Some(n) = bcc {
                cx.u(BCC, n, b.span(bcc_at, 2));
            }
        }
    }
    next
}

/// A TRANSACTION request: its name, and what the name selects for its data.
#[allow(clippy::too_many_arguments)]
fn transaction_request(
    cx: &mut Cx,
    b: &Bytes,
    hdr: &Hdr,
    w: usize,
    wct: u8,
    bcc_at: usize,
    bytes: usize,
    bytes_end: usize,
    conv: &mut Conv,
    ntlm: &mut crate::proto::ntlmssp::Pairing,
) {
    let (Some(pc), Some(dc), Some(doff), Some(scount)) = (b.le16(w + 18), b.le16(w + 22), b.le16(w + 24), b.u8(w + 26))
    else {
        return;
    };
    cx.u(PC, pc, b.span(w + 18, 2));
    cx.u(DC, dc, b.span(w + 22, 2));
    let _ = wct;
    let Some(bcc) = b.le16(bcc_at) else { return };
    cx.u(BCC, bcc, b.span(bcc_at, 2));
    let Some((name, name_end)) = string(b, hdr, bytes, bytes_end, hdr.unicode) else { return };
    let name_at = if hdr.unicode { align(hdr, bytes) } else { bytes };
    cx.add_str(TRANS_NAME, &name, b.span(name_at, name_end - name_at));
    let key = (hdr.mid, hdr.pid);
    let data = hdr.h + doff as usize;
    let data_end = (data + dc as usize).min(hdr.end);
    if let Some(kind) = nbdgm::mailslot(name.as_bytes()) {
        insert(&mut conv.pending, key, Pending::Trans);
        // The mailslot item covers the setup words through the name.
        let ms = w + 28;
        cx.add(nbdgm::MAILSLOT, Value::None, b.span_to(ms.min(name_end), name_end));
        cx.label(nbdgm::MAILSLOT, || "mailslot".into());
        if scount < 3 {
            return;
        }
        match kind {
            Mailslot::Browser => {
                cx.proto(nbdgm::BROWSER, "browser", b.span_to(data, data_end));
                cx.label(nbdgm::BROWSER, || "browser".into());
            }
            Mailslot::Netlogon => {
                cx.proto(nbdgm::SMB_NETLOGON, "smb_netlogon", b.span_to(data, data_end));
                cx.label(nbdgm::SMB_NETLOGON, || "smb_netlogon".into());
            }
            Mailslot::Other => {
                if data < data_end {
                    crate::proto::data::dissect(cx, *b, data, data_end);
                }
            }
        }
        return;
    }
    let upper = name.to_ascii_uppercase();
    if upper == "\\PIPE\\" {
        // The setup words: the pipe function, then the FID.
        let fid = if scount >= 2 { b.le16(w + 30) } else { None };
        if let Some(fid) = fid {
            cx.u(FID, fid, b.span(w + 30, 2));
        }
        insert(&mut conv.pending, key, Pending::PipeTrans(fid));
        cx.push_name(SMB_PIPE_ITEM);
        if dc > 0 && data < data_end {
            pipe_payload(cx, b, data, data_end, fid, conv, ntlm);
        }
    } else if upper == "\\PIPE\\LANMAN" {
        // The LANMAN remote API: items of SMB Pipe and LANMAN, no layers of `frame.protocols`.
        insert(&mut conv.pending, key, Pending::LanmanTrans);
        cx.push_name(SMB_PIPE_ITEM);
        cx.push_name(LANMAN_ITEM);
    } else {
        insert(&mut conv.pending, key, Pending::Trans);
    }
}

/// The Native OS and Native LAN Manager strings that end a SESSION_SETUP_ANDX.
fn native_strings(cx: &mut Cx, b: &Bytes, hdr: &Hdr, p: usize, end: usize) {
    let Some((os, q)) = string(b, hdr, p, end, hdr.unicode) else { return };
    let os_at = if hdr.unicode { align(hdr, p) } else { p };
    cx.add_str(NATIVE_OS, &os, b.span(os_at, q - os_at));
    if let Some((lanman, _)) = string(b, hdr, q, end, hdr.unicode) {
        cx.add_str(NATIVE_LANMAN, &lanman, b.span(q, 0));
    }
}

/// A UTF-16 string starts at an even offset from the SMB header.
fn align(hdr: &Hdr, p: usize) -> usize {
    if (p - hdr.h) % 2 == 1 {
        p + 1
    } else {
        p
    }
}

/// A NUL-terminated string at `p` (before `end`), UTF-16LE (aligned) or 8-bit. Returns the
/// string and where the next one starts. An unterminated string runs to `end`.
fn string(b: &Bytes, hdr: &Hdr, p: usize, end: usize, unicode: bool) -> Option<(String, usize)> {
    if p >= end {
        return None;
    }
    let end = end.min(b.len());
    if unicode {
        let p = align(hdr, p);
        let s = b.data.get(p..end)?;
        let mut n = 0;
        while n + 1 < s.len() && (s[n] != 0 || s[n + 1] != 0) {
            n += 2;
        }
        let text = utf16(&s[..n.min(s.len())]);
        Some((text, (p + n + 2).min(end)))
    } else {
        let s = b.data.get(p..end)?;
        let n = memchr::memchr(0, s).unwrap_or(s.len());
        let text = String::from_utf8_lossy(&crate::codec::ascii(&s[..n])).into_owned();
        Some((text, (p + n + 1).min(end)))
    }
}

fn utf16(s: &[u8]) -> String {
    let units: Vec<u16> = s.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
    String::from_utf16_lossy(&units)
}

/// The security blob of NEGOTIATE (response) and SESSION_SETUP_ANDX at `off..end`: tshark
/// hands it to GSS-API, which finds SPNEGO (and in it NTLMSSP or Kerberos) or a bare
/// NTLMSSP message.
///
/// Tshark hands every blob to GSS-API (a bare NTLMSSP message straight to NTLMSSP).
pub fn security_blob(
    cx: &mut Cx,
    b: &Bytes,
    off: usize,
    end: usize,
    conv: &mut Conv,
    ntlm: &mut crate::proto::ntlmssp::Pairing,
) {
    let end = end.min(b.len());
    if off >= end {
        return;
    }
    if cx.wants(SECURITY_BLOB) {
        cx.add(SECURITY_BLOB, Value::Bytes(b.span(off, end - off)), b.span(off, end - off));
    }
    if cx.creds_on() {
        // The credentials tap finds NTLMSSP in any blob (SPNEGO-wrapped too) itself.
        crate::proto::ntlmssp::find(cx, &b.data[off..end], ntlm, "SMB");
    }
    crate::proto::gssapi::secblob(cx, *b, off, end, &mut conv.gss, ntlm);
}

/// The bytes written to or read from a named pipe (WRITE_ANDX, READ_ANDX, TRANSACTION on
/// `\PIPE\`) at `off..end`: tshark tries DCE-RPC (bound per pipe `fid`), and shows what
/// is not DCE-RPC as data.
pub fn pipe_payload(
    cx: &mut Cx,
    b: &Bytes,
    off: usize,
    end: usize,
    fid: Option<u16>,
    conv: &mut Conv,
    ntlm: &mut crate::proto::ntlmssp::Pairing,
) {
    let salt = fid.map_or(0, |f| 0x534d_4231_0000_0000 | f as u64);
    if !crate::proto::dcerpc::dissect_pipe(cx, *b, off, end, salt, &mut conv.dcerpc, ntlm) {
        crate::proto::data::dissect(cx, *b, off, end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field::FieldId;

    /// An SMB1 NEGOTIATE request as smbclient -m NT1 sends it (written from [MS-CIFS]
    /// 2.2.4.52: header, WordCount 0, the dialect strings).
    fn negotiate_request() -> Vec<u8> {
        let mut m = vec![0xff, b'S', b'M', b'B', 0x72];
        m.extend_from_slice(&[0, 0, 0, 0]); // status
        m.push(0x18); // flags: canonicalized, caseless
        m.extend_from_slice(&0xc853u16.to_le_bytes()); // flags2: unicode, NT status, dfs, esn, ...
        m.extend_from_slice(&[0; 2]); // pid high
        m.extend_from_slice(&[0; 8]); // signature
        m.extend_from_slice(&[0; 2]); // reserved
        m.extend_from_slice(&0u16.to_le_bytes()); // tid
        m.extend_from_slice(&0xfeffu16.to_le_bytes()); // pid
        m.extend_from_slice(&0u16.to_le_bytes()); // uid
        m.extend_from_slice(&1u16.to_le_bytes()); // mid
        m.push(0); // wct
        let mut dialects = Vec::new();
        for d in ["NT LANMAN 1.0", "NT LM 0.12", "SMB 2.002", "SMB 2.???"] {
            dialects.push(2);
            dialects.extend_from_slice(d.as_bytes());
            dialects.push(0);
        }
        m.extend_from_slice(&(dialects.len() as u16).to_le_bytes());
        m.extend_from_slice(&dialects);
        m
    }

    /// The NT LM 0.12 response with extended security: WordCount 17, the server GUID and a
    /// SPNEGO negTokenInit as the security blob.
    fn negotiate_response() -> Vec<u8> {
        let mut m = vec![0xff, b'S', b'M', b'B', 0x72];
        m.extend_from_slice(&[0, 0, 0, 0]);
        m.push(0x98); // response
        m.extend_from_slice(&0xc853u16.to_le_bytes());
        m.extend_from_slice(&[0; 12]);
        m.extend_from_slice(&0u16.to_le_bytes());
        m.extend_from_slice(&0xfeffu16.to_le_bytes());
        m.extend_from_slice(&0u16.to_le_bytes());
        m.extend_from_slice(&1u16.to_le_bytes());
        m.push(17);
        m.extend_from_slice(&1u16.to_le_bytes()); // dialect index: NT LM 0.12
        m.push(0x03); // security mode
        m.extend_from_slice(&50u16.to_le_bytes()); // max mpx
        m.extend_from_slice(&1u16.to_le_bytes()); // max vcs
        m.extend_from_slice(&16644u32.to_le_bytes()); // max buffer
        m.extend_from_slice(&65536u32.to_le_bytes()); // max raw
        m.extend_from_slice(&0u32.to_le_bytes()); // session key
        m.extend_from_slice(&0x8000f3fdu32.to_le_bytes()); // capabilities: extended security
        m.extend_from_slice(&[0; 8]); // system time
        m.extend_from_slice(&0u16.to_le_bytes()); // time zone
        m.push(0); // key length
        let blob: &[u8] = &[0x60, 0x0a, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02, 0xa0, 0x00];
        m.extend_from_slice(&((16 + blob.len()) as u16).to_le_bytes());
        m.extend_from_slice(&[0x11; 16]); // server GUID
        m.extend_from_slice(blob);
        m
    }

    fn run(msg: &[u8], fields: &[FieldId], conv: &mut Conv) -> (Vec<String>, Vec<&'static str>) {
        let mut want = vec![false; crate::field::count()];
        want[crate::proto::frame::PROTOCOLS.index()] = true;
        for f in fields {
            want[f.index()] = true;
        }
        let mut sum = vec![0u32; want.len() + 1];
        for i in 0..want.len() {
            sum[i + 1] = sum[i] + want[i] as u32;
        }
        let mut tree = crate::tree::Tree::default();
        let mut st = crate::state::State::new(&want);
        let comments = Vec::new();
        let meta = crate::cx::FrameMeta {
            number: 1,
            ts_ns: 0,
            ts_sec: 0,
            ts_nsec: 0,
            len: msg.len() as u32,
            linktype: 1,
            interface_id: 0,
            has_interface: false,
            interface_name: "",
            comments: &comments,
        };
        let mut cx = Cx::new(&mut tree, &want, &sum, &mut st, &meta, crate::dissector::depth::APPLICATION);
        let mut ntlm = crate::proto::ntlmssp::Pairing::default();
        dissect(&mut cx, Bytes::new(msg, crate::tree::Buf::Frame), 0, msg.len(), Some(conv), &mut ntlm);
        let protos = cx.st.protos.clone();
        let view = tree.view(msg);
        let mut out = Vec::new();
        for item in view.items {
            let mut s = String::new();
            crate::tree::render_field(&view, item, &mut s);
            out.push(format!("{}={}", item.id.def().abbrev, s));
        }
        (out, protos)
    }

    #[test]
    fn negotiate() {
        let mut conv = Conv::default();
        let fields = [
            PROTO,
            CMD,
            NT_STATUS,
            FLAGS,
            FLAGS_RESPONSE,
            FLAGS2,
            FLAGS2_STRING,
            PID,
            MID,
            WCT,
            BCC,
            DIALECT,
            DIALECT_INDEX,
            SECURITY_BLOB,
        ];
        let (out, protos) = run(&negotiate_request(), &fields, &mut conv);
        assert_eq!(protos, ["smb"]);
        assert_eq!(
            out,
            [
                "smb=SMB (Server Message Block Protocol)",
                "smb.cmd=0x72",
                "smb.nt_status=0x00000000",
                "smb.flags=0x18",
                "smb.flags.response=0",
                "smb.flags2=0xc853",
                "smb.flags2.string=1",
                "smb.pid=65279",
                "smb.mid=1",
                "smb.wct=0",
                "smb.bcc=49",
                "smb.dialect=NT LANMAN 1.0",
                "smb.dialect=NT LM 0.12",
                "smb.dialect=SMB 2.002",
                "smb.dialect=SMB 2.???",
            ]
        );
        let (out, _) = run(&negotiate_response(), &fields, &mut conv);
        assert!(out.contains(&"smb.flags.response=1".to_string()), "{:?}", out);
        assert!(out.contains(&"smb.wct=17".to_string()), "{:?}", out);
        assert!(out.contains(&"smb.dialect.index=1".to_string()), "{:?}", out);
        assert!(out.contains(&"smb.bcc=28".to_string()), "{:?}", out);
        assert!(out.contains(&"smb.security_blob=600a06062b0601050502a000".to_string()), "{:?}", out);
    }

    #[test]
    fn truncated_and_hostile() {
        let req = negotiate_request();
        let mut conv = Conv::default();
        for n in 0..req.len() {
            run(&req[..n], &[PROTO, CMD, DIALECT, BCC], &mut conv);
        }
        let resp = negotiate_response();
        for n in 0..resp.len() {
            run(&resp[..n], &[PROTO, SECURITY_BLOB], &mut conv);
        }
        // An AndX chain pointing backwards ends.
        let mut m = resp.clone();
        m[4] = SESSION_SETUP_ANDX;
        m[32] = 4;
        m[33] = SESSION_SETUP_ANDX;
        m[35..37].copy_from_slice(&0u16.to_le_bytes());
        run(&m, &[PROTO, CMD], &mut conv);
    }

    /// A TRANSACTION request on `name` (ASCII) with `setup` words and `data`, or (`resp`) its
    /// response carrying `data`.
    fn transaction(resp: bool, name: &str, setup: &[u16], data: &[u8]) -> Vec<u8> {
        let mut m = vec![0xff, b'S', b'M', b'B', TRANSACTION, 0, 0, 0, 0, if resp { 0x98 } else { 0x18 }];
        m.extend_from_slice(&[0; 14]); // flags2 (ASCII), pid high, signature, reserved
        m.extend_from_slice(&[0, 0, 0xff, 0xfe, 0, 0, 7, 0]); // tid, pid, uid, mid
        let words = if resp { 10 } else { 14 + setup.len() };
        let bytes_len = if resp { data.len() } else { name.len() + 1 + data.len() };
        let data_off = 32 + 1 + words * 2 + 2 + bytes_len - data.len();
        let mut w = vec![0u16; words];
        if resp {
            w[1] = data.len() as u16; // total data count
            w[6] = data.len() as u16; // data count
            w[7] = data_off as u16; // data offset
        } else {
            w[1] = data.len() as u16;
            w[11] = data.len() as u16; // data count
            w[12] = data_off as u16; // data offset
            w[13] = setup.len() as u16; // setup count (the reserved byte stays 0)
            w[14..].copy_from_slice(setup);
        }
        m.push(words as u8);
        for x in w {
            m.extend_from_slice(&x.to_le_bytes());
        }
        m.extend_from_slice(&(bytes_len as u16).to_le_bytes());
        if !resp {
            m.extend_from_slice(name.as_bytes());
            m.push(0);
        }
        m.extend_from_slice(data);
        m
    }

    #[test]
    fn pipe_transactions_add_the_smb_pipe_item() {
        // LANMAN: SMB Pipe and LANMAN items in the request and in its response.
        let mut conv = Conv::default();
        let (_, path) = run(&transaction(false, "\\PIPE\\LANMAN", &[], b"\x00\x00WrLeh\x00"), &[PROTO], &mut conv);
        assert_eq!(path, ["smb", SMB_PIPE_ITEM, LANMAN_ITEM]);
        let (_, path) = run(&transaction(true, "", &[], b"\x00\x00"), &[PROTO], &mut conv);
        assert_eq!(path, ["smb", SMB_PIPE_ITEM, LANMAN_ITEM]);
        // TransactNmPipe: SMB Pipe's item before what the pipe carries (not DCE-RPC here).
        let (_, path) = run(&transaction(false, "\\PIPE\\", &[0x26, 0x4000], b"not rpc"), &[PROTO], &mut conv);
        assert_eq!(path, ["smb", SMB_PIPE_ITEM, "data"]);
        let (_, path) = run(&transaction(true, "", &[], b"reply"), &[PROTO], &mut conv);
        assert_eq!(path, ["smb", SMB_PIPE_ITEM, "data"]);
        // A mailslot is no pipe.
        let (_, path) = run(&transaction(false, "\\MAILSLOT\\BROWSE", &[1, 0, 0], b"\x01"), &[PROTO], &mut conv);
        assert!(!path.contains(&SMB_PIPE_ITEM), "{path:?}");
    }
}
