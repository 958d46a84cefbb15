//! Capture files as libpcap and dumpcap write them: pcap (microsecond
//! `a1b2c3d4` or nanosecond `a1b23c4d` magic, native byte order) and pcapng
//! (a Section Header Block with the comment and the writing application, one
//! Interface Description Block per interface with `if_name` and
//! `if_tsresol`, Enhanced Packet Blocks, and at the end an Interface
//! Statistics Block per interface with the drop counts).

use std::fs::File;
use std::io::{self, BufWriter, Write};

/// pcap or pcapng.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Pcap,
    Pcapng,
}

/// What every file of a capture starts with.
#[derive(Debug, Clone)]
pub struct Header {
    pub format: FileFormat,
    /// (name, link type) of each interface, in `-i` order.
    pub interfaces: Vec<(String, u32)>,
    pub snaplen: u32,
    /// Nanosecond time stamps (else microseconds).
    pub nano: bool,
    /// pcapng section comments (`--comment`).
    pub comments: Vec<String>,
}

/// One packet to write.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    pub interface: u32,
    pub ts_sec: i64,
    pub ts_nsec: u32,
    pub len: u32,
    pub data: &'a [u8],
}

/// An open output file.
pub struct Writer {
    out: BufWriter<Box<dyn Write + Send>>,
    header: Header,
    bytes: u64,
    /// Flush after every packet (`-U`).
    flush_each: bool,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer").field("bytes", &self.bytes).finish_non_exhaustive()
    }
}

impl Writer {
    /// Creates (truncates) `path` ("-": standard output) and writes the headers.
    pub fn create(path: &str, header: &Header, flush_each: bool) -> io::Result<Writer> {
        let out: Box<dyn Write + Send> = if path == "-" { Box::new(io::stdout()) } else { Box::new(File::create(path)?) };
        Writer::new(out, header, flush_each)
    }

    /// Writes the headers to any byte sink.
    pub fn new(out: Box<dyn Write + Send>, header: &Header, flush_each: bool) -> io::Result<Writer> {
        let mut w = Writer { out: BufWriter::with_capacity(1 << 20, out), header: header.clone(), bytes: 0, flush_each };
        let head = match header.format {
            FileFormat::Pcap => pcap_header(header),
            FileFormat::Pcapng => pcapng_header(header),
        };
        w.put(&head)?;
        if flush_each {
            w.out.flush()?;
        }
        Ok(w)
    }

    fn put(&mut self, b: &[u8]) -> io::Result<()> {
        self.out.write_all(b)?;
        self.bytes += b.len() as u64;
        Ok(())
    }

    /// Bytes written to this file so far (headers included).
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Appends one packet.
    pub fn write(&mut self, r: &Record) -> io::Result<()> {
        let caplen = r.data.len() as u32;
        match self.header.format {
            FileFormat::Pcap => {
                let frac = if self.header.nano { r.ts_nsec } else { r.ts_nsec / 1000 };
                let mut h = [0u8; 16];
                h[0..4].copy_from_slice(&(r.ts_sec as u32).to_ne_bytes());
                h[4..8].copy_from_slice(&frac.to_ne_bytes());
                h[8..12].copy_from_slice(&caplen.to_ne_bytes());
                h[12..16].copy_from_slice(&r.len.to_ne_bytes());
                self.put(&h)?;
                self.put(r.data)?;
            }
            FileFormat::Pcapng => {
                let units: u64 = if self.header.nano { 1_000_000_000 } else { 1_000_000 };
                let frac = if self.header.nano { r.ts_nsec as u64 } else { r.ts_nsec as u64 / 1000 };
                let ts = (r.ts_sec as u64).wrapping_mul(units).wrapping_add(frac);
                let pad = (4 - caplen as usize % 4) % 4;
                let total = 32 + caplen + pad as u32;
                let mut h = Vec::with_capacity(28);
                h.extend_from_slice(&6u32.to_ne_bytes());
                h.extend_from_slice(&total.to_ne_bytes());
                h.extend_from_slice(&r.interface.to_ne_bytes());
                h.extend_from_slice(&((ts >> 32) as u32).to_ne_bytes());
                h.extend_from_slice(&(ts as u32).to_ne_bytes());
                h.extend_from_slice(&caplen.to_ne_bytes());
                h.extend_from_slice(&r.len.to_ne_bytes());
                self.put(&h)?;
                self.put(r.data)?;
                self.put(&[0u8; 3][..pad])?;
                self.put(&total.to_ne_bytes())?;
            }
        }
        if self.flush_each {
            self.out.flush()?;
        }
        Ok(())
    }

    /// Writes the closing blocks (pcapng: an Interface Statistics Block per
    /// interface, `(received, dropped)` when known) and flushes.
    pub fn finish(mut self, stats: &[(u64, u64)], now_ns: u64) -> io::Result<()> {
        if self.header.format == FileFormat::Pcapng {
            for (i, &(recv, drop)) in stats.iter().enumerate() {
                let units = if self.header.nano { now_ns } else { now_ns / 1000 };
                let mut opts = Vec::new();
                push_opt(&mut opts, 4, &recv.to_ne_bytes()); // isb_ifrecv
                push_opt(&mut opts, 5, &drop.to_ne_bytes()); // isb_ifdrop
                opts.extend_from_slice(&[0u8; 4]); // opt_endofopt
                let mut body = Vec::new();
                body.extend_from_slice(&(i as u32).to_ne_bytes());
                body.extend_from_slice(&((units >> 32) as u32).to_ne_bytes());
                body.extend_from_slice(&(units as u32).to_ne_bytes());
                body.extend_from_slice(&opts);
                let block = block(5, &body);
                self.put(&block)?;
            }
        }
        self.out.flush()
    }
}

fn pcap_header(h: &Header) -> Vec<u8> {
    let magic: u32 = if h.nano { 0xa1b2_3c4d } else { 0xa1b2_c3d4 };
    let linktype = h.interfaces.first().map_or(1, |i| i.1);
    let mut b = Vec::with_capacity(24);
    b.extend_from_slice(&magic.to_ne_bytes());
    b.extend_from_slice(&2u16.to_ne_bytes());
    b.extend_from_slice(&4u16.to_ne_bytes());
    b.extend_from_slice(&0i32.to_ne_bytes());
    b.extend_from_slice(&0u32.to_ne_bytes());
    b.extend_from_slice(&h.snaplen.to_ne_bytes());
    b.extend_from_slice(&linktype.to_ne_bytes());
    b
}

/// An option: code, length, value padded to 4 bytes.
fn push_opt(out: &mut Vec<u8>, code: u16, value: &[u8]) {
    let len = value.len().min(u16::MAX as usize);
    out.extend_from_slice(&code.to_ne_bytes());
    out.extend_from_slice(&(len as u16).to_ne_bytes());
    out.extend_from_slice(&value[..len]);
    out.extend_from_slice(&[0u8; 3][..(4 - len % 4) % 4]);
}

/// A block: type, total length, body (already padded), total length.
fn block(kind: u32, body: &[u8]) -> Vec<u8> {
    let total = (12 + body.len()) as u32;
    let mut b = Vec::with_capacity(total as usize);
    b.extend_from_slice(&kind.to_ne_bytes());
    b.extend_from_slice(&total.to_ne_bytes());
    b.extend_from_slice(body);
    b.extend_from_slice(&total.to_ne_bytes());
    b
}

fn pcapng_header(h: &Header) -> Vec<u8> {
    let mut shb = Vec::new();
    shb.extend_from_slice(&0x1a2b_3c4du32.to_ne_bytes());
    shb.extend_from_slice(&1u16.to_ne_bytes());
    shb.extend_from_slice(&0u16.to_ne_bytes());
    shb.extend_from_slice(&(-1i64).to_ne_bytes()); // section length unknown
    for c in &h.comments {
        push_opt(&mut shb, 1, c.as_bytes()); // opt_comment
    }
    push_opt(&mut shb, 3, uname_os().as_bytes()); // shb_os
    push_opt(&mut shb, 4, concat!("pcap-capture ", env!("CARGO_PKG_VERSION")).as_bytes()); // shb_userappl
    shb.extend_from_slice(&[0u8; 4]);
    let mut out = block(0x0a0d_0d0a, &shb);
    for (name, linktype) in &h.interfaces {
        let mut idb = Vec::new();
        idb.extend_from_slice(&(*linktype as u16).to_ne_bytes());
        idb.extend_from_slice(&0u16.to_ne_bytes());
        idb.extend_from_slice(&h.snaplen.to_ne_bytes());
        push_opt(&mut idb, 2, name.as_bytes()); // if_name
        push_opt(&mut idb, 9, &[if h.nano { 9 } else { 6 }]); // if_tsresol
        idb.extend_from_slice(&[0u8; 4]);
        out.extend_from_slice(&block(1, &idb));
    }
    out
}

/// "Linux 6.1.0-…", as dumpcap's shb_os.
fn uname_os() -> String {
    // SAFETY: uname fills the struct.
    unsafe {
        let mut u: libc::utsname = std::mem::zeroed();
        if libc::uname(&mut u) != 0 {
            return String::new();
        }
        let f = |a: &[libc::c_char]| {
            let b: Vec<u8> = a.iter().take_while(|&&c| c != 0).map(|&c| c as u8).collect();
            String::from_utf8_lossy(&b).into_owned()
        };
        format!("{} {}", f(&u.sysname), f(&u.release))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pcaptk_capture::CaptureReader;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn roundtrip(format: FileFormat, nano: bool) {
        let header = Header {
            format,
            interfaces: vec![("lo".into(), 1)],
            snaplen: 262144,
            nano,
            comments: vec!["a comment".into()],
        };
        let sink = Sink::default();
        let mut w = Writer::new(Box::new(sink.clone()), &header, false).unwrap();
        let data = [1u8, 2, 3, 4, 5];
        w.write(&Record { interface: 0, ts_sec: 1_700_000_000, ts_nsec: 123_456_789, len: 60, data: &data }).unwrap();
        w.write(&Record { interface: 0, ts_sec: 1_700_000_001, ts_nsec: 0, len: 4, data: &data[..4] }).unwrap();
        let size = w.bytes();
        w.finish(&[(2, 0)], 1_700_000_002_000_000_000).unwrap();
        let bytes = sink.0.lock().unwrap().clone();
        if format == FileFormat::Pcap {
            assert_eq!(bytes.len() as u64, size);
        }
        let mut r = CaptureReader::from_bytes(bytes).unwrap();
        let p = r.next_packet().unwrap().unwrap();
        assert_eq!((p.ts_sec, p.len, p.data), (1_700_000_000, 60, &data[..]));
        assert_eq!(p.ts_nsec, if nano { 123_456_789 } else { 123_456_000 });
        assert_eq!(p.ts_digits, if nano { 9 } else { 6 });
        let p = r.next_packet().unwrap().unwrap();
        assert_eq!((p.ts_sec, p.ts_nsec, p.data.len()), (1_700_000_001, 0, 4));
        assert!(r.next_packet().unwrap().is_none());
        if format == FileFormat::Pcapng {
            assert_eq!(r.section_comments(), ["a comment"]);
        }
    }

    #[test]
    fn files_read_back() {
        for format in [FileFormat::Pcap, FileFormat::Pcapng] {
            for nano in [false, true] {
                roundtrip(format, nano);
            }
        }
    }
}
