//! Body decodings shared by the dissectors that carry entities (HTTP, mail): de-chunking
//! and content decompression with tshark 4.0's rules, bounded by an output cap so a
//! decompression bomb costs at most the cap.

use flate2::{Decompress, FlushDecompress, Status};

/// The result of a decoding: the bytes, and whether they were cut at the cap.
#[derive(Debug, PartialEq, Eq)]
pub struct Decoded {
    pub data: Vec<u8>,
    pub capped: bool,
}

/// Concatenates the data of a chunked body as tshark 4.0's chunked-encoding dissector
/// does: a size line (ended by CR, LF or CRLF; an empty one ends the body) read with
/// `strtol(…, 16)` up to `;`, the chunk data, then two bytes skipped whatever they are; a
/// zero size ends the body; a size beyond the data left is cut to it. `None` where tshark's
/// dissector fails (a chunk runs past the captured bytes), which exports nothing.
pub fn dechunk(body: &[u8], cap: usize) -> Option<Decoded> {
    let mut out = Vec::new();
    let mut capped = false;
    let mut p = 0;
    while p < body.len() {
        let rest = &body[p..];
        let Some(e) = memchr::memchr2(b'\r', b'\n', rest) else { break };
        if e == 0 {
            break;
        }
        let next = p + e + if rest[e] == b'\r' && rest.get(e + 1) == Some(&b'\n') { 2 } else { 1 };
        let line = &rest[..e];
        let size_txt = line.split(|&c| c == b';').next().unwrap_or(&[]);
        let size = (strtol16(size_txt) as u32 as usize).min(body.len() - p);
        if size == 0 {
            break;
        }
        let data = body.get(next..next + size)?;
        let room = cap.saturating_sub(out.len());
        if size > room {
            out.extend_from_slice(&data[..room]);
            capped = true;
            break;
        }
        out.extend_from_slice(data);
        p = next + size + 2;
    }
    Some(Decoded { data: out, capped })
}

/// C's `strtol(s, NULL, 16)`: leading white space, a sign, an optional "0x", hex digits up
/// to the first other character; saturating like `strtol` (to `i64` bounds).
fn strtol16(s: &[u8]) -> i64 {
    let mut i = 0;
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    let neg = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    if s.get(i) == Some(&b'0') && matches!(s.get(i + 1), Some(b'x') | Some(b'X')) && s.get(i + 2).is_some_and(u8::is_ascii_hexdigit) {
        i += 2;
    }
    let mut v: i64 = 0;
    for &c in &s[i..] {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => break,
        };
        v = v.saturating_mul(16).saturating_add(d as i64);
    }
    if neg {
        -v
    } else {
        v
    }
}

/// A content coding tshark 4.0 decompresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    Identity,
    /// gzip, x-gzip, deflate, x-deflate: zlib with tshark's fallbacks.
    Zlib,
    Brotli,
    /// Anything else: tshark leaves the body as data (and exports nothing).
    Unknown,
}

impl Coding {
    /// The coding a `Content-Encoding` value names (compared as tshark compares it: the
    /// whole value, ignoring case).
    pub fn from_header(v: &[u8]) -> Coding {
        let is = |s: &[u8]| v.eq_ignore_ascii_case(s);
        if is(b"identity") {
            Coding::Identity
        } else if is(b"gzip") || is(b"x-gzip") || is(b"deflate") || is(b"x-deflate") {
            Coding::Zlib
        } else if is(b"br") {
            Coding::Brotli
        } else {
            Coding::Unknown
        }
    }
}

/// Decompresses `data`; `None` where tshark reports "Decompression failed".
pub fn decompress(coding: Coding, data: &[u8], cap: usize) -> Option<Decoded> {
    match coding {
        Coding::Identity => Some(Decoded { data: data[..data.len().min(cap)].to_vec(), capped: data.len() > cap }),
        Coding::Zlib => inflate_like_tshark(data, cap),
        Coding::Brotli => brotli(data, cap),
        Coding::Unknown => None,
    }
}

/// tshark's `tvb_uncompress`: a zlib stream first; on a data error before any output, a
/// gzip header is skipped (then raw deflate), or the data is tried as raw deflate. What
/// was inflated before an error or the end of the input is kept; no output is a failure.
fn inflate_like_tshark(data: &[u8], cap: usize) -> Option<Decoded> {
    match inflate(data, true, cap) {
        Inflated::Done(d) => return Some(d),
        Inflated::Failed => return None,
        Inflated::DataErrorNoOutput => {}
    }
    let raw_from = if data.len() >= 2 && data[0] == 0x1f && data[1] == 0x8b { gzip_header_len(data)? } else { 0 };
    match inflate(&data[raw_from..], false, cap) {
        Inflated::Done(d) => Some(d),
        _ => None,
    }
}

enum Inflated {
    Done(Decoded),
    /// A data error before any byte came out (tshark then tries another format).
    DataErrorNoOutput,
    Failed,
}

fn inflate(data: &[u8], zlib_header: bool, cap: usize) -> Inflated {
    let mut z = Decompress::new(zlib_header);
    let mut out: Vec<u8> = Vec::new();
    loop {
        // Always room to write: no progress then means the input is used up.
        if out.capacity() - out.len() < 4096 {
            out.reserve(out.len().clamp(4096, 1 << 20));
        }
        let (before_in, before_out) = (z.total_in(), z.total_out());
        let input = &data[(before_in as usize).min(data.len())..];
        let res = z.decompress_vec(input, &mut out, FlushDecompress::Sync);
        if out.len() >= cap {
            out.truncate(cap);
            let ended = matches!(res, Ok(Status::StreamEnd)) && z.total_out() as usize == cap;
            return Inflated::Done(Decoded { data: out, capped: !ended });
        }
        match res {
            Ok(Status::StreamEnd) => return Inflated::Done(Decoded { data: out, capped: false }),
            Ok(_) if z.total_in() == before_in && z.total_out() == before_out => {
                // The input ended before the stream did: keep what came out.
                return if out.is_empty() { Inflated::Failed } else { Inflated::Done(Decoded { data: out, capped: false }) };
            }
            Ok(_) => {}
            Err(_) if out.is_empty() => return Inflated::DataErrorNoOutput,
            Err(_) => return Inflated::Done(Decoded { data: out, capped: false }),
        }
    }
}

/// The length of a gzip member header (RFC 1952), as tshark skips it; `None` when the
/// data is too short or not deflate.
fn gzip_header_len(d: &[u8]) -> Option<usize> {
    if d.len() < 10 || d[2] != 8 {
        return None;
    }
    let flags = d[3];
    let mut p = 10usize;
    if flags & 0x04 != 0 {
        let lo = *d.get(p)? as usize;
        let hi = d.get(p + 1).copied().unwrap_or(0) as usize;
        p += 2 + (lo | hi << 8);
    }
    for bit in [0x08u8, 0x10] {
        if flags & bit != 0 {
            while p < d.len() && d[p] != 0 {
                p += 1;
            }
            p += 1;
        }
    }
    if p > d.len() {
        return None;
    }
    Some(p)
}

fn brotli(data: &[u8], cap: usize) -> Option<Decoded> {
    use std::io::Read;
    let mut r = brotli_decompressor::Decompressor::new(data, 4096);
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        match r.read(&mut buf) {
            Ok(0) => return Some(Decoded { data: out, capped: false }),
            Ok(n) => {
                let room = cap - out.len();
                if n > room {
                    out.extend_from_slice(&buf[..room]);
                    return Some(Decoded { data: out, capped: true });
                }
                out.extend_from_slice(&buf[..n]);
            }
            Err(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn chunks_as_tshark_reads_them() {
        let d = dechunk(b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n", 100).unwrap();
        assert_eq!(d.data, b"hello world");
        // A size beyond the data is cut to what is left from the size line on: the chunk
        // then runs past the end, which tshark's dissector does not survive.
        assert_eq!(dechunk(b"a\r\nabc", 100), None);
        let d = dechunk(b"5\r\nhello\r\n", 3).unwrap();
        assert_eq!(d, Decoded { data: b"hel".to_vec(), capped: true });
        assert!(dechunk(b"zz\r\nhello", 100).unwrap().data.is_empty());
        // LF-only lines: two bytes are skipped after the data, whatever they are.
        assert_eq!(dechunk(b"5\nX5O!P\n5\n%@AP[\n0\n\n", 100).unwrap().data, b"X5O!P");
        assert_eq!(dechunk(b"0x3\r\nabc\r\n0\r\n", 100).unwrap().data, b"abc");
    }

    #[test]
    fn gzip_zlib_and_raw_deflate() {
        let text = b"The quick brown fox jumps over the lazy dog. ".repeat(20);
        let g = gz(&text);
        assert_eq!(decompress(Coding::Zlib, &g, 1 << 20).unwrap().data, text);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(&text).unwrap();
        assert_eq!(decompress(Coding::Zlib, &z.finish().unwrap(), 1 << 20).unwrap().data, text);
        let mut r = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        r.write_all(&text).unwrap();
        assert_eq!(decompress(Coding::Zlib, &r.finish().unwrap(), 1 << 20).unwrap().data, text);
        // Truncated: what was inflated is kept.
        let part = decompress(Coding::Zlib, &g[..g.len() / 2], 1 << 20).unwrap();
        assert!(!part.data.is_empty() && text.starts_with(&part.data));
        // Garbage fails.
        assert!(decompress(Coding::Zlib, b"not compressed at all", 1 << 20).is_none());
        assert!(decompress(Coding::Unknown, &g, 1 << 20).is_none());
    }

    #[test]
    fn bombs_stop_at_the_cap() {
        let zeros = vec![0u8; 50 << 20];
        let g = gz(&zeros);
        assert!(g.len() < 100_000);
        let d = decompress(Coding::Zlib, &g, 1 << 20).unwrap();
        assert_eq!(d.data.len(), 1 << 20);
        assert!(d.capped);
    }
}
