//! TFTP (UDP port 69). A request to port 69 opens a conversation of the client's address
//! and port with the server's address, any server port, as tshark 4.0 does; the server's
//! replies from its own port belong to it. Per conversation: the file requested, the block
//! size (512, or an OACK's blksize), the next block expected; a transfer whose blocks all
//! came in order, ending with a short block, is one `tftp` export object named after the
//! requested file's base name.
crate::declare_fields! {
    after = super::ftp_data::END;
    PROTO = "tftp", "Trivial File Transfer Protocol", Protocol, None;
    OPCODE = "tftp.opcode", "Opcode", U16, Dec;
    SOURCE_FILE = "tftp.source_file", "Source File", String, None;
    DESTINATION_FILE = "tftp.destination_file", "Destination File", String, None;
    TYPE = "tftp.type", "Type", String, None;
    BLOCK = "tftp.block", "Block", U16, Dec;
    ERROR_CODE = "tftp.error.code", "Error code", U16, Dec;
    ERROR_MESSAGE = "tftp.error.message", "Error message", String, None;
}

use crate::cx::{Bytes, Cx, FastMap, NetAddr};
use crate::export::{Object, Piece, Proto};

/// Most conversations remembered (a full table is emptied).
const MAX_ENTRIES: usize = 4096;

/// A conversation's key: the client's address and port, the server's address.
type Key = (NetAddr, u16, NetAddr);

struct Conv {
    blocksize: usize,
    source: Option<Vec<u8>>,
    destination: Option<Vec<u8>>,
    next_block: u32,
    blocks_missing: bool,
    next_tap_block: u32,
    /// The transfer's blocks so far (only when TFTP objects are exported).
    data: Vec<u8>,
    capped: bool,
    /// The server's port, from its first datagram other than the request.
    server_port: Option<u16>,
}

impl Conv {
    fn new() -> Conv {
        Conv { blocksize: 512, source: None, destination: None, next_block: 1, blocks_missing: false, next_tap_block: 1, data: Vec::new(), capped: false, server_port: None }
    }
}

/// TFTP state of a capture.
#[derive(Default)]
pub struct Table {
    convs: FastMap<Key, Conv>,
}

/// The conversation a datagram belongs to: a request to port 69 opens (or reuses) its
/// own; other datagrams belong to one if their addresses and client port match.
fn conversation(cx: &mut Cx, sport: u16, dport: u16) -> Option<Key> {
    let t = &mut cx.st.tftp;
    if dport == 69 {
        let k = (cx.src, sport, cx.dst);
        // A conversation that took another server port is done with: a new one opens.
        if t.convs.get(&k).is_none_or(|c| c.server_port.is_some_and(|p| p != 69)) {
            if t.convs.len() >= MAX_ENTRIES {
                t.convs.clear();
            }
            t.convs.insert(k, Conv::new());
        }
        return Some(k);
    }
    if t.convs.is_empty() {
        return None;
    }
    for (k, server_port) in [((cx.src, sport, cx.dst), dport), ((cx.dst, dport, cx.src), sport)] {
        if let Some(c) = t.convs.get_mut(&k) {
            match c.server_port {
                None => c.server_port = Some(server_port),
                Some(p) if p != server_port => continue,
                Some(_) => {}
            }
            return Some(k);
        }
    }
    None
}

/// Whether a datagram is TFTP (to port 69, or in a conversation a request opened).
pub fn claims(cx: &Cx, sport: u16, dport: u16) -> bool {
    let t = &cx.st.tftp;
    let ours = |k: &Key, server_port: u16| t.convs.get(k).is_some_and(|c| c.server_port.is_none_or(|p| p == server_port));
    dport == 69 || !t.convs.is_empty() && (ours(&(cx.src, sport, cx.dst), dport) || ours(&(cx.dst, dport, cx.src), sport))
}

/// A zero-terminated string at `off` (to the end when there is no NUL) and where the next
/// one starts.
fn strz(d: &[u8], off: usize) -> (&[u8], usize) {
    let rest = d.get(off..).unwrap_or(&[]);
    match memchr::memchr(0, rest) {
        Some(n) => (&rest[..n], off + n + 1),
        None => (rest, d.len()),
    }
}

pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, ports: (u16, u16)) {
    let cap_end = end.min(b.len());
    let Some(key) = conversation(cx, ports.0, ports.1) else { return };
    cx.proto(PROTO, "tftp", b.span_to(off, end));
    let d = &b.data[..cap_end];
    let Some(opcode) = b.be16(off) else { return };
    cx.u(OPCODE, opcode, b.span(off, 2));
    let exporting = cx.st.export.has(Proto::Tftp);
    match opcode {
        1 | 2 => {
            let (name, next) = strz(d, off + 2);
            let (mode, _) = strz(d, next);
            let id = if opcode == 1 { SOURCE_FILE } else { DESTINATION_FILE };
            cx.add_str(id, &String::from_utf8_lossy(name), b.span(off + 2, name.len()));
            cx.add_str(TYPE, &String::from_utf8_lossy(mode), b.span(next, mode.len()));
            if let Some(c) = cx.st.tftp.convs.get_mut(&key) {
                if opcode == 1 {
                    c.source = Some(name.to_vec());
                    c.destination = None;
                } else {
                    c.destination = Some(name.to_vec());
                    c.source = None;
                }
            }
        }
        3 => {
            let Some(block) = b.be16(off + 2) else { return };
            cx.u(BLOCK, block, b.span(off + 2, 2));
            let block = block as u32;
            // tshark counts the datagram's reported bytes; a cut datagram ends the export.
            let bytes = end.saturating_sub(off + 4);
            let whole = cap_end >= end;
            let data = &d[(off + 4).min(cap_end)..cap_end];
            if cap_end > off + 4 {
                crate::proto::data::dissect(cx, b, off + 4, end);
            }
            let cap = cx.st.export_cap;
            let Some(c) = cx.st.tftp.convs.get_mut(&key) else { return };
            if block > c.next_block {
                c.next_block = block + 1;
                c.blocks_missing = true;
            } else if block == c.next_block {
                c.next_block += 1;
            }
            if !exporting || c.blocks_missing || !whole {
                return;
            }
            if block == 1 {
                c.data.clear();
                c.capped = false;
                c.next_tap_block = 1;
            }
            if block != c.next_tap_block {
                return;
            }
            if bytes > 0 {
                let room = cap.saturating_sub(c.data.len());
                c.data.extend_from_slice(&data[..data.len().min(room)]);
                c.capped |= data.len() > room;
                c.next_tap_block += 1;
            }
            if bytes < c.blocksize {
                let name = c.source.clone().or_else(|| c.destination.clone());
                let data = std::mem::take(&mut c.data);
                let capped = std::mem::take(&mut c.capped);
                c.next_tap_block = 1;
                if let Some(name) = name {
                    cx.tree.objects.push(Object {
                        proto: Proto::Tftp,
                        piece: Piece::Whole,
                        filename: Some(crate::export::basename(&name).to_vec()),
                        content_type: None,
                        host: None,
                        data,
                        capped,
                        range: None,
                    });
                }
            }
        }
        4 => {
            if let Some(block) = b.be16(off + 2) {
                cx.u(BLOCK, block, b.span(off + 2, 2));
            }
        }
        5 => {
            if let Some(code) = b.be16(off + 2) {
                cx.u(ERROR_CODE, code, b.span(off + 2, 2));
            }
            let (msg, _) = strz(d, off + 4);
            cx.add_str(ERROR_MESSAGE, &String::from_utf8_lossy(msg), b.span(off + 4, msg.len()));
        }
        6 => {
            // OACK: a blksize option sets the block size.
            let mut p = off + 2;
            while p < cap_end {
                let (name, next) = strz(d, p);
                let (value, after) = strz(d, next);
                if name.eq_ignore_ascii_case(b"blksize") {
                    let v: i64 = std::str::from_utf8(value).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0);
                    if (8..=65464).contains(&v) {
                        if let Some(c) = cx.st.tftp.convs.get_mut(&key) {
                            c.blocksize = v as usize;
                        }
                    }
                }
                if after <= p {
                    break;
                }
                p = after;
            }
        }
        _ => {}
    }
}

/// A TFTP datagram quoted by an ICMP error, on a conversation TFTP has (or to port 69):
/// its opcode and block, no state touched.
pub fn dissect_quoted(cx: &mut Cx, b: Bytes, off: usize, end: usize) {
    cx.proto(PROTO, "tftp", b.span_to(off, end));
    let Some(opcode) = b.be16(off) else { return };
    cx.u(OPCODE, opcode, b.span(off, 2));
    if matches!(opcode, 3 | 4) {
        if let Some(block) = b.be16(off + 2) {
            cx.u(BLOCK, block, b.span(off + 2, 2));
            if opcode == 3 && end.min(b.len()) > off + 4 {
                crate::proto::data::dissect(cx, b, off + 4, end);
            }
        }
    }
}
