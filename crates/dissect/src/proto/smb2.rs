//! SMB2 inside an NBSS session message: the header of each message of a compound chain,
//! the share a tree id stands for (`smb2.tree`), the file names of CREATE, QUERY_DIRECTORY
//! and QUERY_INFO (`smb2.filename`), and the READ and WRITE data tshark's `smb` export
//! object tap receives.
//!
//! State per TCP conversation, as tshark keeps it: the requests waiting for their response
//! (by message id), the trees of each session and the files CREATE opened (by file id).
//! Each table is capped; a full table is emptied (a hostile stream costs bounded memory).
//! The security blob of SESSION_SETUP goes to the credentials tap (NTLMSSP) when it is on.
crate::declare_fields! {
    after = super::nbss::END;
    PROTO = "smb2", "SMB2 (Server Message Block Protocol version 2)", Protocol, None;
    CMD = "smb2.cmd", "Command", U16, Dec;
    TREE = "smb2.tree", "Tree", String, None;
    SESID = "smb2.sesid", "Session Id", U64, Hex;
    FILENAME = "smb2.filename", "Filename", String, None;
}

use crate::cx::{Bytes, Cx, FastMap};
use crate::export::{Object, Piece, Proto};

/// Most entries of each per-conversation table.
const MAX_ENTRIES: usize = 4096;

const CREATE: u16 = 5;
const READ: u16 = 8;
const WRITE: u16 = 9;
const TREE_CONNECT: u16 = 3;
const QUERY_DIRECTORY: u16 = 14;
const QUERY_INFO: u16 = 16;
const IOCTL: u16 = 11;
const FSCTL_PIPE_TRANSCEIVE: u32 = 0x0011_c017;

/// What a request leaves for its response.
#[derive(Clone)]
enum Pending {
    TreeConnect(String),
    Create(String),
    Read { fid: [u8; 16], offset: u64 },
    QueryDirectory(u8),
    QueryInfo { kind: u8, class: u8 },
    /// A pipe transceive: its response's data belongs to the request's file (tshark takes
    /// the saved request's file when the response's id is unknown).
    Ioctl { fid: [u8; 16] },
}

#[derive(Clone)]
struct FileInfo {
    name: String,
    attrs: u32,
    eof: u64,
}

/// SMB2 state of one TCP conversation.
#[derive(Default)]
pub struct Conv {
    pending: FastMap<u64, Pending>,
    trees: FastMap<(u64, u32), String>,
    files: FastMap<[u8; 16], FileInfo>,
    /// GSS-API and SPNEGO state of the connection (security blobs).
    pub gss: crate::proto::gssapi::Conv,
    /// DCE-RPC state of the named pipes of the connection.
    pub dcerpc: crate::proto::dcerpc::Conv,
}

fn insert<K: std::hash::Hash + Eq, V>(map: &mut FastMap<K, V>, k: K, v: V) {
    if map.len() >= MAX_ENTRIES {
        map.clear();
    }
    map.insert(k, v);
}

/// Little-endian readers that return `None` past the captured data.
struct Le<'a>(&'a [u8]);
impl Le<'_> {
    fn u8(&self, at: usize) -> Option<u8> {
        self.0.get(at).copied()
    }
    fn u16(&self, at: usize) -> Option<u16> {
        self.0.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
    }
    fn u32(&self, at: usize) -> Option<u32> {
        self.0.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn u64(&self, at: usize) -> Option<u64> {
        self.0.get(at..at + 8).map(|s| u64::from_le_bytes(s.try_into().unwrap_or([0; 8])))
    }
    fn guid(&self, at: usize) -> Option<[u8; 16]> {
        self.0.get(at..at + 16).and_then(|s| s.try_into().ok())
    }
    /// A UTF-16LE string of `len` bytes at `at`.
    fn utf16(&self, at: usize, len: usize) -> Option<String> {
        let s = self.0.get(at..at.checked_add(len)?)?;
        let units: Vec<u16> = s.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
        Some(String::from_utf16_lossy(&units))
    }
}

/// SMB2 messages at `off..end` (the NBSS payload).
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, conv: &mut Conv, ntlm: &mut crate::proto::ntlmssp::Pairing) {
    let cap_end = end.min(b.len());
    let d = &b.data[..cap_end];
    if d.get(off + 1..off + 4) != Some(b"SMB") || !matches!(d[off], 0xfe | 0xfd | 0xfc) {
        crate::proto::data::dissect(cx, b, off, end);
        return;
    }
    let mut p = off;
    // At most 256 messages in one chain (a hostile chain cannot loop).
    for _ in 0..256 {
        // A compound chain is read in one call: `smb2` is in the protocol path once, each
        // further message an item of its own.
        if p == off {
            cx.proto(PROTO, "smb2", b.span_to(p, end));
        } else {
            cx.push_name(crate::dissector::repeat("smb2"));
            cx.proto_quiet(PROTO, b.span_to(p, end));
        }
        if d[p] != 0xfe {
            // Transform (encrypted) or compression header: no readable command.
            return;
        }
        let next = Le(d).u32(p + 20).unwrap_or(0) as usize;
        let msg_end = if next >= 64 && p + next < end { p + next } else { end };
        message(cx, b, p, msg_end.min(cap_end), conv, ntlm);
        if next < 64 || p + next >= end || d.get(p + next..p + next + 4).is_none_or(|m| m != b"\xfeSMB") {
            return;
        }
        p += next;
    }
}

/// One message: header fields, then what its command carries.
fn message(cx: &mut Cx, b: Bytes, h: usize, end: usize, conv: &mut Conv, ntlm: &mut crate::proto::ntlmssp::Pairing) {
    let m = Le(&b.data[..end]);
    let Some(cmd) = m.u16(h + 12) else { return };
    cx.u(CMD, cmd, b.span(h + 12, 2));
    let flags = m.u32(h + 16).unwrap_or(0);
    let response = flags & 1 != 0;
    let is_async = flags & 2 != 0;
    let msg_id = m.u64(h + 24).unwrap_or(0);
    let tid = if is_async { None } else { m.u32(h + 36) };
    let sesid = m.u64(h + 40);
    let status = m.u32(h + 8).unwrap_or(0);
    let tree = tid.and_then(|t| conv.trees.get(&(sesid.unwrap_or(0), t)).cloned());
    if let Some(t) = &tree {
        cx.add_str(TREE, t, b.span(h + 36, 4));
    }
    if let Some(sid) = sesid {
        cx.u(SESID, sid, b.span(h + 40, 8));
    }
    let body = h + 64;
    if cmd == 1 && cx.creds_on() {
        // SESSION_SETUP: the security buffer's offset (from the header) and length sit at
        // body + 12 in a request, body + 4 in a response.
        let at = body + if response { 4 } else { 12 };
        if let (Some(o), Some(l)) = (m.u16(at), m.u16(at + 2)) {
            let start = h + o as usize;
            if let Some(blob) = m.0.get(start..start + l as usize) {
                crate::proto::ntlmssp::find(cx, blob, ntlm, "SMB2");
            }
        }
    }
    // The security blob of NEGOTIATE's response and of SESSION_SETUP.
    let blob_at = match (cmd, response) {
        (0, true) if status == 0 => Some(body + 56),
        (1, false) => Some(body + 12),
        (1, true) if status == 0 || status == 0xc000_0016 => Some(body + 4),
        _ => None,
    };
    if let Some(at) = blob_at {
        if let (Some(o), Some(l)) = (m.u16(at), m.u16(at + 2)) {
            let start = h + o as usize;
            if l > 0 && start < end {
                crate::proto::gssapi::secblob(cx, b, start, start + l as usize, &mut conv.gss, ntlm);
            }
        }
    }
    // Data of READ, WRITE and pipe IOCTLs: DCE-RPC on a pipe, else data.
    let ok = !response || status == 0 || status == 0x8000_0005;
    let data = match (cmd, response) {
        (WRITE, false) => match (m.u16(body + 2), m.u32(body + 4)) {
            (Some(o), Some(l)) => Some((h + o as usize, l as usize, m.guid(body + 16))),
            _ => None,
        },
        (READ, true) if ok => match (m.u8(body + 2), m.u32(body + 4)) {
            (Some(o), Some(l)) => {
                let fid = match conv.pending.get(&msg_id) {
                    Some(Pending::Read { fid, .. }) => Some(*fid),
                    _ => None,
                };
                Some((h + o as usize, l as usize, fid))
            }
            _ => None,
        },
        (IOCTL, _) if ok && m.u32(body + 4) == Some(FSCTL_PIPE_TRANSCEIVE) => {
            let (o, l) = if response { (m.u32(body + 32), m.u32(body + 36)) } else { (m.u32(body + 24), m.u32(body + 28)) };
            match (o, l) {
                (Some(o), Some(l)) => {
                    let fid = match conv.pending.get(&msg_id) {
                        Some(Pending::Ioctl { fid }) if response => Some(*fid),
                        _ => m.guid(body + 8),
                    };
                    Some((h + o as usize, l as usize, fid))
                }
                _ => None,
            }
        }
        _ => None,
    };
    if let Some((start, len, fid)) = data {
        if len > 0 && start < end {
            let stop = start.saturating_add(len).min(end);
            let salt = fid.map_or(0, |f| fnv_key(0, &f));
            if !crate::proto::dcerpc::dissect_pipe(cx, b, start, stop, salt, &mut conv.dcerpc, ntlm) {
                crate::proto::data::dissect(cx, b, start, stop);
            }
        }
    }
    // An error response carries no command body.
    let error = response && status != 0 && !(cmd == READ && status == 0x8000_0005);
    if !response {
        request(cx, b, &m, h, body, cmd, msg_id, tid, tree.as_deref(), conv);
    } else if !error {
        let pending = conv.pending.remove(&msg_id);
        reply(cx, b, &m, h, body, cmd, tid, sesid.unwrap_or(0), tree.as_deref(), pending, conv);
    } else if !(status == 0x0000_0103 && is_async) {
        // STATUS_PENDING interim responses keep the request waiting.
        conv.pending.remove(&msg_id);
    }
}

#[allow(clippy::too_many_arguments)]
fn request(cx: &mut Cx, b: Bytes, m: &Le, h: usize, body: usize, cmd: u16, msg_id: u64, tid: Option<u32>, tree: Option<&str>, conv: &mut Conv) {
    match cmd {
        TREE_CONNECT => {
            let (Some(o), Some(l)) = (m.u16(body + 4), m.u16(body + 6)) else { return };
            if let Some(path) = m.utf16(h + o as usize, l as usize) {
                cx.add_str(TREE, &path, b.span(h + o as usize, l as usize));
                insert(&mut conv.pending, msg_id, Pending::TreeConnect(path));
            }
        }
        CREATE => {
            let (Some(o), Some(l)) = (m.u16(body + 44), m.u16(body + 46)) else { return };
            let name = if l == 0 { Some(String::new()) } else { m.utf16(h + o as usize, l as usize) };
            if let Some(name) = name {
                if !name.is_empty() {
                    cx.add_str(FILENAME, &name, b.span(h + o as usize, l as usize));
                }
                insert(&mut conv.pending, msg_id, Pending::Create(name));
            }
        }
        READ => {
            if let (Some(offset), Some(fid)) = (m.u64(body + 8), m.guid(body + 16)) {
                insert(&mut conv.pending, msg_id, Pending::Read { fid, offset });
            }
        }
        WRITE => {
            let (Some(doff), Some(len), Some(offset), Some(fid)) = (m.u16(body + 2), m.u32(body + 4), m.u64(body + 8), m.guid(body + 16)) else {
                return;
            };
            export(cx, m, h + doff as usize, len as usize, fid, offset, tid, tree, conv);
        }
        QUERY_DIRECTORY => {
            if let Some(class) = m.u8(body + 2) {
                insert(&mut conv.pending, msg_id, Pending::QueryDirectory(class));
            }
        }
        QUERY_INFO => {
            if let (Some(kind), Some(class)) = (m.u8(body + 2), m.u8(body + 3)) {
                insert(&mut conv.pending, msg_id, Pending::QueryInfo { kind, class });
            }
        }
        IOCTL if m.u32(body + 4) == Some(FSCTL_PIPE_TRANSCEIVE) => {
            if let Some(fid) = m.guid(body + 8) {
                insert(&mut conv.pending, msg_id, Pending::Ioctl { fid });
            }
        }
        _ => {}
    }
}

#[allow(clippy::too_many_arguments)]
fn reply(
    cx: &mut Cx,
    b: Bytes,
    m: &Le,
    h: usize,
    body: usize,
    cmd: u16,
    tid: Option<u32>,
    sesid: u64,
    tree: Option<&str>,
    pending: Option<Pending>,
    conv: &mut Conv,
) {
    match (cmd, pending) {
        (TREE_CONNECT, Some(Pending::TreeConnect(path))) => {
            if let Some(t) = tid {
                insert(&mut conv.trees, (sesid, t), path);
            }
        }
        (CREATE, Some(Pending::Create(name))) => {
            if let (Some(eof), Some(attrs), Some(fid)) = (m.u64(body + 48), m.u32(body + 56), m.guid(body + 64)) {
                insert(&mut conv.files, fid, FileInfo { name, attrs, eof });
            }
        }
        (READ, Some(Pending::Read { fid, offset })) => {
            let (Some(doff), Some(len)) = (m.u8(body + 2), m.u32(body + 4)) else { return };
            export(cx, m, h + doff as usize, len as usize, fid, offset, tid, tree, conv);
        }
        (QUERY_DIRECTORY, Some(Pending::QueryDirectory(class))) => {
            let (Some(o), Some(l)) = (m.u16(body + 2), m.u32(body + 4)) else { return };
            directory_names(cx, b, m, h + o as usize, l as usize, class);
        }
        (QUERY_INFO, Some(Pending::QueryInfo { kind: 1, class })) => {
            let (Some(o), Some(_l)) = (m.u16(body + 2), m.u32(body + 4)) else { return };
            let buf = h + o as usize;
            // FileAllInformation ends with the name; FileNameInformation is only the name.
            let at = match class {
                18 => buf + 96,
                9 => buf,
                _ => return,
            };
            if let Some(len) = m.u32(at) {
                if let Some(name) = m.utf16(at + 4, len as usize) {
                    cx.add_str(FILENAME, &name, b.span(at + 4, len as usize));
                }
            }
        }
        _ => {}
    }
}

/// The file names of a QUERY_DIRECTORY response, for the information classes tshark names.
fn directory_names(cx: &mut Cx, b: Bytes, m: &Le, buf: usize, len: usize, class: u8) {
    // (offset of FileNameLength, offset of FileName) in each entry.
    let (len_at, name_at) = match class {
        1 => (60, 64),
        2 => (60, 68),
        3 => (60, 94),
        12 => (8, 12),
        37 => (60, 104),
        38 => (60, 80),
        _ => return,
    };
    let end = buf.saturating_add(len);
    let mut p = buf;
    for _ in 0..65536 {
        if p >= end {
            return;
        }
        let (Some(next), Some(nlen)) = (m.u32(p), m.u32(p + len_at)) else { return };
        if let Some(name) = m.utf16(p + name_at, nlen as usize) {
            cx.add_str(FILENAME, &name, b.span(p + name_at, nlen as usize));
        } else {
            return;
        }
        if next == 0 {
            return;
        }
        p += next as usize;
    }
}

/// Queues a READ response's or WRITE request's data for the `smb` export (tshark's
/// `feed_eo_smb2`): only for files whose CREATE was seen, whole data only.
#[allow(clippy::too_many_arguments)]
fn export(cx: &mut Cx, m: &Le, at: usize, len: usize, fid: [u8; 16], offset: u64, tid: Option<u32>, tree: Option<&str>, conv: &Conv) {
    if !cx.st.export.has(Proto::Smb) {
        return;
    }
    let Some(data) = m.0.get(at..at.saturating_add(len)) else { return };
    // A file whose CREATE was not seen: tshark names it after its id and, not knowing
    // its type, keeps no data.
    let (name, attrs, eof) = match conv.files.get(&fid) {
        Some(f) if f.name.starts_with('\\') => (f.name.clone(), f.attrs, Some(f.eof)),
        Some(f) => (format!("\\{}", f.name), f.attrs, Some(f.eof)),
        None => (format!("File_Id_{}", guid_str(&fid)), 0, None),
    };
    // Directories give an entry but no data; files (archive, normal, hidden, read-only,
    // system) give their bytes; anything else an entry without data.
    let is_file = attrs & 0x10 == 0 && attrs & (0x20 | 0x80 | 0x02 | 0x01 | 0x04) != 0;
    let mut key = fnv_key(tid.unwrap_or(0), &fid);
    // SMB2 keys never collide with SMB1's (which set the top bit).
    key &= !(1 << 63);
    let cap = cx.st.export_cap;
    cx.tree.objects.push(Object {
        proto: Proto::Smb,
        piece: Piece::At { key, offset, size: eof },
        filename: Some(name.into_bytes()),
        content_type: Some(b"FILE".to_vec()),
        host: tree.map(|t| t.as_bytes().to_vec()),
        data: if is_file { data[..data.len().min(cap)].to_vec() } else { Vec::new() },
        capped: is_file && data.len() > cap,
        range: None,
    });
}

/// A GUID as tshark prints it (the first three groups little-endian).
fn guid_str(g: &[u8; 16]) -> String {
    let d1 = u32::from_le_bytes([g[0], g[1], g[2], g[3]]);
    let d2 = u16::from_le_bytes([g[4], g[5]]);
    let d3 = u16::from_le_bytes([g[6], g[7]]);
    format!(
        "{:08x}-{:04x}-{:04x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
        d1, d2, d3, g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]
    )
}

/// A stable 64-bit key for (tree id, file id) (FNV-1a).
fn fnv_key(tid: u32, fid: &[u8; 16]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for byte in tid.to_le_bytes().iter().chain(fid.iter()) {
        h ^= *byte as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}
