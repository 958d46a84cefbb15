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

/// Concatenates the data of a chunked body as tshark's chunked-encoding dissector does:
/// chunk sizes in hex up to `;`, a chunk longer than what is left is cut, a zero-size
/// chunk (or a line that is not a size) ends the body; trailers are ignored.
pub fn dechunk(body: &[u8], cap: usize) -> Decoded {
    let mut out = Vec::new();
    let mut capped = false;
    let mut p = 0;
    while p < body.len() {
        let Some(nl) = memchr::memchr(b'\n', &body[p..]) else { break };
        let line = &body[p..p + nl];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let size_txt = line.split(|&c| c == b';').next().unwrap_or(&[]);
        let size = hex_prefix(size_txt);
        p += nl + 1;
        if size == 0 {
            break;
        }
        let take = (size.min((body.len() - p) as u64)) as usize;
        let room = cap.saturating_sub(out.len());
        if take > room {
            out.extend_from_slice(&body[p..p + room]);
            capped = true;
            break;
        }
        out.extend_from_slice(&body[p..p + take]);
        p += take;
        // The CRLF after the chunk data.
        if body.get(p) == Some(&b'\r') {
            p += 1;
        }
        if body.get(p) == Some(&b'\n') {
            p += 1;
        }
    }
    Decoded { data: out, capped }
}

/// `strtol(s, NULL, 16)`: leading blanks, hex digits up to the first other character.
fn hex_prefix(s: &[u8]) -> u64 {
    let mut v: u64 = 0;
    for &c in s.iter().skip_while(|c| **c == b' ' || **c == b'\t') {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => break,
        };
        v = v.saturating_mul(16).saturating_add(d as u64);
    }
    v
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
    fn chunks_are_joined_and_cut() {
        let d = dechunk(b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n", 100);
        assert_eq!(d.data, b"hello world");
        let d = dechunk(b"a\r\nabc", 100);
        assert_eq!(d.data, b"abc");
        let d = dechunk(b"5\r\nhello\r\n", 3);
        assert_eq!(d, Decoded { data: b"hel".to_vec(), capped: true });
        assert!(dechunk(b"zz\r\nhello", 100).data.is_empty());
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
