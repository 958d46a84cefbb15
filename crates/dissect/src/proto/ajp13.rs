//! Apache JServ Protocol v1.3 (TCP port 8009): packets of a 4-byte header (magic, length)
//! reassembled across segments, each an item of its own. Magic 0x1234 is the web server's
//! (a forward request, or a request body chunk while the connection's content length is not
//! used up), "AB" the container's. The walk follows tshark's: a string or value running past
//! its packet is the exception it shows (malformed). Request headers and attributes are
//! walked, not shown.
crate::declare_fields! {
    after = super::cfp::END;
    PROTO = "ajp13", "Apache JServ Protocol v1.3", Protocol, None;
    MAGIC = "ajp13.magic", "Magic", Bytes, None, blurb = "Magic Number";
    LEN = "ajp13.len", "Length", U16, Dec, blurb = "Data Length";
    CODE = "ajp13.code", "Code", U32, Dec, vals = CODES, blurb = "Type Code";
    METHOD = "ajp13.method", "Method", U8, Dec, vals = METHODS, blurb = "HTTP Method";
    VER = "ajp13.ver", "Version", String, None, blurb = "HTTP Version";
    URI = "ajp13.uri", "URI", String, None, blurb = "HTTP URI";
    RADDR = "ajp13.raddr", "RADDR", String, None, blurb = "Remote Address";
    RHOST = "ajp13.rhost", "RHOST", String, None, blurb = "Remote Host";
    SRV = "ajp13.srv", "SRV", String, None, blurb = "Server";
    PORT = "ajp13.port", "PORT", U16, Dec;
    SSLP = "ajp13.sslp", "SSLP", Boolean, None, blurb = "Is SSL?";
    NHDR = "ajp13.nhdr", "NHDR", U16, Dec, blurb = "Num Headers";
    RLEN = "ajp13.rlen", "RLEN", U16, Dec, blurb = "Requested Length";
    REUSEP = "ajp13.reusep", "REUSEP", U8, Dec, blurb = "Reuse Connection?";
    RSTATUS = "ajp13.rstatus", "RSTATUS", U16, Dec, blurb = "HTTP Status Code";
    RSMSG = "ajp13.rmsg", "RSMSG", String, None, blurb = "HTTP Status Message";
    DATA = "ajp13.data", "Data", String, None;
}

use crate::cx::{Bytes, Cx};
use crate::reasm::Deseg;
use crate::tree::Value;

static CODES: &[(u64, &str)] = &[
    (2, "FORWARD REQUEST"),
    (3, "SEND BODY CHUNK"),
    (4, "SEND HEADERS"),
    (5, "END RESPONSE"),
    (6, "GET BODY CHUNK"),
    (7, "SHUTDOWN"),
    (8, "PING"),
    (9, "CPONG"),
    (10, "CPING"),
];

static METHODS: &[(u64, &str)] = &[
    (1, "OPTIONS"),
    (2, "GET"),
    (3, "HEAD"),
    (4, "POST"),
    (5, "PUT"),
    (6, "DELETE"),
    (7, "TRACE"),
    (8, "PROPFIND"),
    (9, "PROPPATCH"),
    (10, "MKCOL"),
    (11, "COPY"),
    (12, "MOVE"),
    (13, "LOCK"),
    (14, "UNLOCK"),
    (15, "ACL"),
    (16, "REPORT"),
    (17, "VERSION-CONTROL"),
    (18, "CHECKIN"),
    (19, "CHECKOUT"),
    (20, "UNCHECKOUT"),
    (21, "SEARCH"),
    (22, "MKWORKSPACE"),
    (23, "UPDATE"),
    (24, "LABEL"),
    (25, "MERGE"),
    (26, "BASELINE_CONTROL"),
    (27, "MKACTIVITY"),
];

/// A connection's state: the request body still expected, and whether the frame being
/// dissected carries body (decided at its first packet, as tshark's per-frame data).
#[derive(Default)]
pub struct Conv {
    content_length: i32,
    frame: u32,
    body: bool,
}

/// Where a read stopped: the end it needed.
type Walk<T> = Result<T, usize>;

/// Bounds of one packet: reads must end at or before its captured end.
struct Pdu<'a> {
    b: Bytes<'a>,
    cap: usize,
}

impl Pdu<'_> {
    fn need(&self, end: usize) -> Walk<()> {
        if end > self.cap {
            Err(end)
        } else {
            Ok(())
        }
    }
    fn u8(&self, p: usize) -> Walk<u8> {
        self.need(p + 1)?;
        self.b.u8(p).ok_or(p + 1)
    }
    fn be16(&self, p: usize) -> Walk<u16> {
        self.need(p + 2)?;
        self.b.be16(p).ok_or(p + 2)
    }
    /// tshark's length-prefixed string at `p`: its text (at most 240 bytes of it) and the
    /// offset after it. The length it steps over is the string's plus one, kept in 16 bits
    /// (0xFFFF, "no string", steps over nothing but the length).
    fn nstring(&self, p: usize) -> Walk<(&[u8], usize)> {
        let len = self.be16(p)?;
        let step = len.wrapping_add(1) as usize;
        let text = if len == 0xffff { 0 } else { (len as usize).min(240) };
        self.need(p + 2 + text)?;
        let next = p + 2 + step;
        self.need(next)?;
        Ok((self.b.data.get(p + 2..p + 2 + text).unwrap_or(&[]), next))
    }
}

/// A TCP payload `off..end` on AJP13's port.
pub fn dissect(cx: &mut Cx, b: Bytes, off: usize, end: usize, conv: &mut Conv) -> Option<Deseg> {
    let len = |d: &[u8]| 4 + u16::from_be_bytes([d[2], d[3]]) as usize;
    crate::proto::apps::pdu_items(cx, b, off, end, 4, len, (PROTO, "ajp13", "+ajp13"), |cx, b, o, e| {
        packet(cx, b, o, e, conv)
    })
}

/// One packet `off..end`.
fn packet(cx: &mut Cx, b: Bytes, off: usize, end: usize, conv: &mut Conv) {
    let frame = cx.meta.number;
    if conv.frame != frame {
        conv.frame = frame;
        conv.body = conv.content_length != 0;
    }
    let pdu = Pdu { b, cap: b.len().min(end) };
    let r = match b.be16(off) {
        Some(0x1234) if conv.body => body(cx, &pdu, off, conv),
        Some(0x1234) => forward(cx, &pdu, off, end, conv),
        Some(0x4142) => response(cx, &pdu, off, end, conv),
        _ => Ok(()),
    };
    if let Err(need) = r {
        cx.bounds_error(need, end);
    }
}

fn header(cx: &mut Cx, pdu: &Pdu, off: usize) -> Walk<u16> {
    let b = pdu.b;
    pdu.need(off + 2)?;
    cx.add(MAGIC, Value::Bytes(b.span(off, 2)), b.span(off, 2));
    let len = pdu.be16(off + 2)?;
    cx.u(LEN, len, b.span(off + 2, 2));
    Ok(len)
}

fn string(cx: &mut Cx, pdu: &Pdu, p: usize, f: crate::field::FieldId) -> Walk<usize> {
    let (text, next) = pdu.nstring(p)?;
    cx.add_ascii(f, text, pdu.b.span(p, next - p));
    Ok(next)
}

/// A request body chunk.
fn body(cx: &mut Cx, pdu: &Pdu, off: usize, conv: &mut Conv) -> Walk<()> {
    let len = header(cx, pdu, off)?;
    if len == 0 {
        conv.content_length = 0;
        return Ok(());
    }
    let n = pdu.be16(off + 4)?;
    if n == 0 {
        conv.content_length = 0;
        return Ok(());
    }
    conv.content_length = conv.content_length.wrapping_sub(n as i32);
    let p = off + 6;
    pdu.need(p + n as usize)?;
    cx.add_ascii(DATA, pdu.b.data.get(p..p + n as usize).unwrap_or(&[]), pdu.b.span(p, n as usize));
    Ok(())
}

/// A forward request (or CPING).
fn forward(cx: &mut Cx, pdu: &Pdu, off: usize, end: usize, conv: &mut Conv) -> Walk<()> {
    let b = pdu.b;
    header(cx, pdu, off)?;
    let code = pdu.u8(off + 4)?;
    cx.u(CODE, code, b.span(off + 4, 1));
    if code == 10 {
        return Ok(());
    }
    let method = pdu.u8(off + 5)?;
    cx.u(METHOD, method, b.span(off + 5, 1));
    let mut p = off + 6;
    for f in [VER, URI, RADDR, RHOST, SRV] {
        p = string(cx, pdu, p, f)?;
    }
    let port = pdu.be16(p)?;
    cx.u(PORT, port, b.span(p, 2));
    let sslp = pdu.u8(p + 2)?;
    cx.flag(SSLP, sslp != 0, b.span(p + 2, 1));
    let nhdr = pdu.be16(p + 3)?;
    cx.u(NHDR, nhdr, b.span(p + 3, 2));
    p += 5;
    conv.content_length = 0;
    for _ in 0..nhdr {
        if pdu.u8(p)? == 0xa0 {
            let id = pdu.u8(p + 1)?;
            let (value, next) = pdu.nstring(p + 2)?;
            p = next;
            // Content-Length.
            if id == 0x08 {
                conv.content_length = atoi(value);
            }
        } else {
            let (_, next) = pdu.nstring(p)?;
            let (_, next) = pdu.nstring(next)?;
            p = next;
        }
    }
    // Attributes, up to the terminator or the packet's end.
    while p < end {
        let id = pdu.u8(p)?;
        p += 1;
        match id {
            0xff => break,
            0x0a => {
                let (_, next) = pdu.nstring(p)?;
                let (_, next) = pdu.nstring(next)?;
                p = next;
            }
            0x0b => {
                pdu.be16(p)?;
                p += 2;
            }
            _ => p = pdu.nstring(p)?.1,
        }
    }
    Ok(())
}

/// A container's packet.
fn response(cx: &mut Cx, pdu: &Pdu, off: usize, end: usize, conv: &mut Conv) -> Walk<()> {
    let b = pdu.b;
    header(cx, pdu, off)?;
    let code = pdu.u8(off + 4)?;
    cx.u(CODE, code, b.span(off + 4, 1));
    let p = off + 5;
    match code {
        5 => {
            let v = pdu.u8(p)?;
            cx.u(REUSEP, v, b.span(p, 1));
        }
        4 => {
            let status = pdu.be16(p)?;
            cx.u(RSTATUS, status, b.span(p, 2));
            let mut p = string(cx, pdu, p + 2, RSMSG)?;
            let nhdr = pdu.be16(p)?;
            cx.u(NHDR, nhdr, b.span(p, 2));
            p += 2;
            for _ in 0..nhdr {
                if pdu.u8(p)? == 0xa0 {
                    pdu.u8(p + 1)?;
                    p = pdu.nstring(p + 2)?.1;
                } else {
                    let (_, next) = pdu.nstring(p)?;
                    p = pdu.nstring(next)?.1;
                }
            }
        }
        6 => {
            let rlen = pdu.be16(p)?;
            conv.content_length = rlen as i32;
            cx.u(RLEN, rlen, b.span(p, 2));
        }
        9 => {}
        _ => {
            // The rest after a 2-byte length; starting past the packet is an exception.
            let at = p + 2;
            if at > end {
                return Err(at);
            }
            let cap = pdu.cap.max(at);
            cx.add_ascii(DATA, b.data.get(at..cap).unwrap_or(&[]), b.span(at, cap - at));
        }
    }
    Ok(())
}

/// C's `atoi`: optional blanks and sign, then digits.
fn atoi(s: &[u8]) -> i32 {
    let mut i = 0;
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    let neg = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'-') | Some(b'+')) {
        i += 1;
    }
    let mut v: i32 = 0;
    while let Some(d) = s.get(i).filter(|c| c.is_ascii_digit()) {
        v = v.wrapping_mul(10).wrapping_add((d - b'0') as i32);
        i += 1;
    }
    if neg {
        v.wrapping_neg()
    } else {
        v
    }
}

#[cfg(test)]
mod tests {
    use super::{atoi, Pdu};
    use crate::cx::Bytes;
    use crate::tree::Buf;

    #[test]
    fn strings_and_numbers() {
        let d = [0, 3, b'a', b'b', b'c', 0, 0xff, 0xff, 0, 9];
        let pdu = Pdu { b: Bytes::new(&d, Buf::Frame), cap: d.len() };
        assert_eq!(pdu.nstring(0), Ok((&b"abc"[..], 6)));
        // 0xFFFF: no string, only the length is stepped over.
        assert_eq!(pdu.nstring(6), Ok((&b""[..], 8)));
        // A length running past the packet.
        assert_eq!(pdu.nstring(8), Err(8 + 2 + 9));
        assert_eq!(pdu.be16(9), Err(11));
        assert_eq!(atoi(b" 42x"), 42);
        assert_eq!(atoi(b"-7"), -7);
        assert_eq!(atoi(b""), 0);
    }
}
