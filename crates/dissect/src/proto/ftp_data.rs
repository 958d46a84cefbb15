//! FTP data connections, linked to their control connection as tshark 4.0 links them: a
//! PASV (227) or EPSV (229) reply, or a PORT or EPRT command, announces a data
//! conversation (an address and port, a peer address, any peer port: for PASV the
//! address and port the reply gives, for EPSV the server's address; for PORT the
//! server's port 20 and the address the command gives; for EPRT the client's address and
//! the command's port); the next command on the control connection is what the data
//! answers. Segments
//! of that conversation are FTP-DATA, and those answering RETR or STOR feed the
//! `ftp-data` export-object tap, segment by segment, as tshark's does.
crate::declare_fields! {
    after = super::kerberos::END;
    PROTO = "ftp-data", "FTP Data", Protocol, None;
    SETUP_FRAME = "ftp-data.setup-frame", "Setup frame", FrameNum, None;
    SETUP_METHOD = "ftp-data.setup-method", "Setup method", String, None;
    COMMAND = "ftp-data.command", "Command", String, None;
    COMMAND_FRAME = "ftp-data.command-frame", "Command frame", FrameNum, None;
    TEXT_LINES = "data-text-lines", "Line-based text data", Protocol, None;
}

use crate::cx::{Bytes, ConvKey, Cx, FastMap, NetAddr};
use crate::export::{Object, Piece, Proto};
use crate::tree::{Span, Value};

/// Most data conversations and control connections remembered (a full table is emptied).
const MAX_ENTRIES: usize = 4096;

/// A data conversation's key: the announced address and port, and the peer's address.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct DataKey {
    addr: NetAddr,
    port: u16,
    peer: NetAddr,
}

struct DataConv {
    setup_frame: u32,
    method: &'static str,
    command: Option<Vec<u8>>,
    command_frame: u32,
}

/// FTP-DATA state of a capture.
#[derive(Default)]
pub struct Table {
    data: FastMap<DataKey, DataConv>,
    /// Per control connection: its latest data conversation.
    current: FastMap<ConvKey, DataKey>,
}

impl Table {
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
}

/// Called for each segment of an FTP control connection (`d` is its payload): follows the
/// commands and replies that set data conversations up.
pub fn control(cx: &mut Cx, d: &[u8], request: bool, ports: (u16, u16)) {
    let frame = cx.meta.number;
    let (src, dst) = (cx.src, cx.dst);
    let ctl = ConvKey::new((src, ports.0), (dst, ports.1));
    let t = &mut cx.st.ftp_data;
    if request {
        // The first command after a data conversation was set up is what it answers.
        if let Some(k) = t.current.get(&ctl) {
            if let Some(dc) = t.data.get_mut(k) {
                if dc.command.is_none() {
                    dc.command = Some(first_line(d).to_vec());
                    dc.command_frame = frame;
                }
            }
        }
    }
    if let Some((key, method)) = announced(d, request, src, dst) {
        announce(t, ctl, key, frame, method);
    }
}

fn first_line(d: &[u8]) -> &[u8] {
    &d[..d.iter().position(|&c| c == b'\r' || c == b'\n').unwrap_or(d.len())]
}

/// The data conversation a control connection's segment sets up (`d` is its payload, from
/// `src` to `dst`), and tshark's name for how.
pub(crate) fn announced(d: &[u8], request: bool, src: NetAddr, dst: NetAddr) -> Option<(DataKey, &'static str)> {
    let line = first_line(d);
    if request {
        let cmd = line.split(|&c| c == b' ').next().unwrap_or(&[]);
        let arg = line.get(cmd.len() + 1..).unwrap_or(&[]);
        // tshark's keys: PORT, the server's port 20 and the address the command gives;
        // EPRT, the client's own address and the port and address the command gives.
        match cmd {
            b"PORT" => six_numbers(arg).map(|(ip, _)| (DataKey { addr: dst, port: 20, peer: NetAddr::v4(ip) }, "PORT")),
            b"EPRT" => eprt(arg).map(|(ip, port)| (DataKey { addr: src, port, peer: ip }, "EPRT")),
            _ => None,
        }
    } else if line.len() >= 3 && line[..3].iter().all(u8::is_ascii_digit) {
        // PASV: the address and port the reply gives; EPSV: the server's own address.
        match &line[..3] {
            b"227" => six_numbers(&line[3..]).map(|(ip, port)| (DataKey { addr: NetAddr::v4(ip), port, peer: dst }, "PASV")),
            b"229" => epsv_port(&line[3..]).map(|port| (DataKey { addr: src, port, peer: dst }, "EPASV")),
            _ => None,
        }
    } else {
        None
    }
}

/// The keys a segment from `src:sport` to `dst:dport` would have if it belonged to an
/// announced data conversation (either end may be the announced one).
pub(crate) fn candidates(src: NetAddr, sport: u16, dst: NetAddr, dport: u16) -> [DataKey; 2] {
    [DataKey { addr: src, port: sport, peer: dst }, DataKey { addr: dst, port: dport, peer: src }]
}

fn announce(t: &mut Table, ctl: ConvKey, key: DataKey, frame: u32, method: &'static str) {
    if t.data.len() >= MAX_ENTRIES {
        t.data.clear();
    }
    if t.current.len() >= MAX_ENTRIES {
        t.current.clear();
    }
    t.data.insert(key, DataConv { setup_frame: frame, method, command: None, command_frame: 0 });
    t.current.insert(ctl, key);
}

/// The data conversation a TCP segment belongs to, if one was announced.
pub fn lookup(cx: &Cx, ports: (u16, u16)) -> Option<DataKey> {
    let t = &cx.st.ftp_data;
    if t.is_empty() {
        return None;
    }
    candidates(cx.src, ports.0, cx.dst, ports.1).into_iter().find(|k| t.data.contains_key(k))
}

/// One segment of a data conversation.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, key: DataKey) {
    let cap_end = end.min(b.len());
    cx.proto(PROTO, "ftp-data", b.span_to(off, end));
    let Some(dc) = cx.st.ftp_data.data.get(&key) else { return };
    let (setup, method, command, command_frame) = (dc.setup_frame, dc.method, dc.command.clone(), dc.command_frame);
    // tshark shows these as top-level items of every data packet (see `TREE_ITEMS`).
    cx.push_name("ftp-data.setup-frame");
    cx.push_name("ftp-data.setup-method");
    if command.is_some() {
        cx.push_name("ftp-data.command");
        cx.push_name("ftp-data.command-frame");
    }
    cx.push_name("ftp-data.current-working-directory");
    cx.add(SETUP_FRAME, Value::U(setup as u64), Span::EMPTY);
    cx.add_str(SETUP_METHOD, method, Span::EMPTY);
    if let Some(c) = &command {
        cx.add_str(COMMAND, &String::from_utf8_lossy(c), Span::EMPTY);
        cx.add(COMMAND_FRAME, Value::U(command_frame as u64), Span::EMPTY);
    }
    if cx.st.export.has(Proto::FtpData) && cap_end >= end {
        if let Some(c) = command.filter(|c| c.starts_with(b"STOR") || c.starts_with(b"RETR")) {
            let name = if c.len() > 5 { c[5..].to_vec() } else { b"(MISSING)".to_vec() };
            let cap = cx.st.export_cap;
            let data = &b.data[off.min(cap_end)..cap_end];
            cx.tree.objects.push(Object {
                proto: Proto::FtpData,
                piece: Piece::Append { key: command_frame as u64 },
                filename: Some(name),
                content_type: Some(b"FTP file".to_vec()),
                host: None,
                data: data[..data.len().min(cap)].to_vec(),
                capped: data.len() > cap,
                range: None,
            });
        }
    }
    // Text (its first 20 bytes printable or CR/LF) is shown line by line.
    let d = &b.data[off.min(cap_end)..cap_end];
    if d.iter().take(20).all(|&c| c == b'\r' || c == b'\n' || (0x20..0x7f).contains(&c)) {
        cx.proto(TEXT_LINES, "data-text-lines", b.span_to(off, end));
    }
}

/// The address and port of "h1,h2,h3,h4,p1,p2" anywhere in the text (tshark's PORT / 227
/// parsing: the first place six comma-separated numbers start).
fn six_numbers(s: &[u8]) -> Option<([u8; 4], u16)> {
    let mut p = 0;
    while p < s.len() {
        if !s[p].is_ascii_digit() {
            p += 1;
            continue;
        }
        let mut nums = [0i64; 6];
        let mut q = p;
        let mut ok = true;
        for (i, n) in nums.iter_mut().enumerate() {
            let neg = s.get(q) == Some(&b'-');
            if neg {
                q += 1;
            }
            let start = q;
            while q < s.len() && s[q].is_ascii_digit() && q - start < 10 {
                *n = *n * 10 + (s[q] - b'0') as i64;
                q += 1;
            }
            if q == start {
                ok = false;
                break;
            }
            if neg {
                *n = -*n;
            }
            if i < 5 {
                if s.get(q) != Some(&b',') {
                    ok = false;
                    break;
                }
                q += 1;
            }
        }
        if ok {
            let ip = [nums[0] as u8, nums[1] as u8, nums[2] as u8, nums[3] as u8];
            return Some((ip, (((nums[4] & 0xff) << 8) | (nums[5] & 0xff)) as u16));
        }
        // Skip this number and look for the next.
        while p < s.len() && s[p].is_ascii_digit() {
            p += 1;
        }
    }
    None
}

/// "(|||port|)" of an EPSV reply.
fn epsv_port(s: &[u8]) -> Option<u16> {
    let open = s.iter().position(|&c| c == b'(')?;
    let inner = &s[open + 1..];
    let delim = *inner.first()?;
    let parts: Vec<&[u8]> = inner.split(|&c| c == delim).collect();
    // "", "", "", port, ")"...
    parse_port(parts.get(3)?)
}

/// The address and port of an EPRT command's "|af|address|port|".
fn eprt(s: &[u8]) -> Option<(NetAddr, u16)> {
    let delim = *s.first()?;
    let parts: Vec<&[u8]> = s.split(|&c| c == delim).collect();
    let text = std::str::from_utf8(parts.get(2)?).ok()?;
    let addr = match *parts.get(1)? {
        b"1" => NetAddr::v4(text.parse::<std::net::Ipv4Addr>().ok()?.octets()),
        b"2" => NetAddr::v6(text.parse::<std::net::Ipv6Addr>().ok()?.octets()),
        _ => return None,
    };
    Some((addr, parse_port(parts.get(3)?)?))
}

fn parse_port(s: &[u8]) -> Option<u16> {
    std::str::from_utf8(s).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announcements() {
        assert_eq!(six_numbers(b" Entering Passive Mode (192,168,0,1,4,51)"), Some(([192, 168, 0, 1], 4 * 256 + 51)));
        assert_eq!(six_numbers(b" Data on 127,0,0,1,4,51"), Some(([127, 0, 0, 1], 1075)));
        assert_eq!(six_numbers(b"10,0,0,1,300,1").map(|x| x.1), Some((300 & 0xff) << 8 | 1));
        assert_eq!(six_numbers(b"no numbers"), None);
        assert_eq!(epsv_port(b" Entering Extended Passive Mode (|||6446|)"), Some(6446));
        assert_eq!(eprt(b"|1|132.235.1.2|6275|"), Some((NetAddr::v4([132, 235, 1, 2]), 6275)));
        assert_eq!(eprt(b"|2|::1|70000|"), None);
        assert_eq!(eprt(b"|3|x|1|"), None);
    }
}
